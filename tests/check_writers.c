/* rahdari tests: the writers (text, JSON, JSON Lines, SVRL).
 *
 * One schema and one document give findings of every severity and kind, on
 * elements, attributes and an element in a namespace the schema does not
 * declare. Each format is rendered through the public writer API and read back:
 * JSON with a small strict parser written here (RFC 8259: no raw control
 * characters in strings, valid UTF-8, no trailing garbage, no duplicate keys),
 * SVRL with libxml2 and XPath, whose failed-assert locations are evaluated on
 * the original document.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "testutil.h"

/* ================================================================ a strict JSON reader */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv jv;
struct jv {
	int type;
	int boolean;   /* J_BOOL */
	double num;    /* J_NUM */
	char *str;     /* J_STR: decoded UTF-8, NUL-terminated */
	size_t len;    /* J_STR: length in bytes */
	size_t n;      /* J_ARR, J_OBJ: number of members */
	char **keys;   /* J_OBJ */
	jv **vals;     /* J_ARR, J_OBJ */
};

typedef struct jparser {
	const unsigned char *p, *end;
	const char *err;
	int depth;
} jparser;

static void jv_free(jv *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		jv_free(v->vals[i]);
	}
	free(v->keys);
	free(v->vals);
	free(v->str);
	free(v);
}

static jv *jv_new(int type)
{
	jv *v = calloc(1, sizeof *v);

	ck_assert_ptr_nonnull(v);
	v->type = type;
	return v;
}

static void jp_ws(jparser *jp)
{
	while (jp->p < jp->end &&
	       (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not valid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Append code point cp to buf as UTF-8. */
static size_t put_utf8(char *buf, unsigned long cp)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int jp_hex4(jparser *jp, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	if (jp->end - jp->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned c = jp->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	jp->p += 4;
	*out = v;
	return 0;
}

/* A string starting at the opening quote; the decoded text goes to *out. */
static int jp_string(jparser *jp, char **out, size_t *outlen)
{
	/* the decoded form is never longer than the source */
	char *buf = malloc((size_t)(jp->end - jp->p) + 1);
	size_t n = 0;

	ck_assert_ptr_nonnull(buf);
	jp->p++; /* the opening quote */
	for (;;) {
		unsigned c;

		if (jp->p >= jp->end) {
			jp->err = "unterminated string";
			goto fail;
		}
		c = *jp->p;
		if (c == '"') {
			jp->p++;
			break;
		}
		if (c < 0x20) {
			jp->err = "raw control character in a string";
			goto fail;
		}
		if (c == '\\') {
			unsigned long cp, lo;

			if (jp->end - jp->p < 2) {
				jp->err = "truncated escape";
				goto fail;
			}
			c = jp->p[1];
			jp->p += 2;
			switch (c) {
			case '"': buf[n++] = '"'; break;
			case '\\': buf[n++] = '\\'; break;
			case '/': buf[n++] = '/'; break;
			case 'b': buf[n++] = '\b'; break;
			case 'f': buf[n++] = '\f'; break;
			case 'n': buf[n++] = '\n'; break;
			case 'r': buf[n++] = '\r'; break;
			case 't': buf[n++] = '\t'; break;
			case 'u':
				if (jp_hex4(jp, &cp) < 0) {
					jp->err = "bad \\u escape";
					goto fail;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					/* a surrogate pair */
					if (jp->end - jp->p < 6 || jp->p[0] != '\\' || jp->p[1] != 'u') {
						jp->err = "lone high surrogate";
						goto fail;
					}
					jp->p += 2;
					if (jp_hex4(jp, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
						jp->err = "bad low surrogate";
						goto fail;
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					jp->err = "lone low surrogate";
					goto fail;
				}
				n += put_utf8(buf + n, cp);
				break;
			default:
				jp->err = "unknown escape";
				goto fail;
			}
			continue;
		}
		{
			size_t k = utf8_len(jp->p, jp->end);

			if (k == 0) {
				jp->err = "invalid UTF-8 in a string";
				goto fail;
			}
			memcpy(buf + n, jp->p, k);
			n += k;
			jp->p += k;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
fail:
	free(buf);
	return -1;
}

static int jp_digits(jparser *jp)
{
	const unsigned char *s = jp->p;

	while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
		jp->p++;
	return jp->p > s ? 0 : -1;
}

static jv *jp_value(jparser *jp);

static jv *jp_number(jparser *jp)
{
	const unsigned char *s = jp->p;
	char tmp[64];
	jv *v;

	if (jp->p < jp->end && *jp->p == '-')
		jp->p++;
	if (jp->p < jp->end && *jp->p == '0')
		jp->p++;
	else if (jp_digits(jp) < 0)
		goto bad;
	if (jp->p < jp->end && *jp->p == '.') {
		jp->p++;
		if (jp_digits(jp) < 0)
			goto bad;
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (jp_digits(jp) < 0)
			goto bad;
	}
	if ((size_t)(jp->p - s) >= sizeof tmp)
		goto bad;
	memcpy(tmp, s, (size_t)(jp->p - s));
	tmp[jp->p - s] = '\0';
	v = jv_new(J_NUM);
	v->num = strtod(tmp, NULL);
	return v;
bad:
	jp->err = "bad number";
	return NULL;
}

static int jp_literal(jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return -1;
	jp->p += n;
	return 0;
}

/* Add a member to an array or object. */
static void jv_push(jv *v, char *key, jv *val)
{
	v->vals = realloc(v->vals, (v->n + 1) * sizeof *v->vals);
	ck_assert_ptr_nonnull(v->vals);
	if (v->type == J_OBJ) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof *v->keys);
		ck_assert_ptr_nonnull(v->keys);
		v->keys[v->n] = key;
	}
	v->vals[v->n++] = val;
}

static jv *jp_container(jparser *jp, int type)
{
	unsigned char close = type == J_ARR ? ']' : '}';
	jv *v = jv_new(type);

	if (++jp->depth > 64) {
		jp->err = "nested too deep";
		goto fail;
	}
	jp->p++; /* [ or { */
	jp_ws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		jp->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		size_t klen, i;
		jv *m;

		jp_ws(jp);
		if (type == J_OBJ) {
			if (jp->p >= jp->end || *jp->p != '"') {
				jp->err = "expected a key";
				goto fail;
			}
			if (jp_string(jp, &key, &klen) < 0)
				goto fail;
			for (i = 0; i < v->n; i++) {
				if (strcmp(v->keys[i], key) == 0) {
					free(key);
					jp->err = "duplicate key";
					goto fail;
				}
			}
			jp_ws(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				jp->err = "expected ':'";
				goto fail;
			}
			jp->p++;
		}
		m = jp_value(jp);
		if (m == NULL) {
			free(key);
			goto fail;
		}
		jv_push(v, key, m);
		jp_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			break;
		}
		jp->err = type == J_ARR ? "expected ',' or ']'" : "expected ',' or '}'";
		goto fail;
	}
	jp->depth--;
	return v;
fail:
	jv_free(v);
	return NULL;
}

static jv *jp_value(jparser *jp)
{
	jv *v;

	jp_ws(jp);
	if (jp->p >= jp->end) {
		jp->err = "expected a value";
		return NULL;
	}
	switch (*jp->p) {
	case '{': return jp_container(jp, J_OBJ);
	case '[': return jp_container(jp, J_ARR);
	case '"':
		v = jv_new(J_STR);
		if (jp_string(jp, &v->str, &v->len) < 0) {
			jv_free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
		v = jv_new(J_BOOL);
		v->boolean = *jp->p == 't';
		if (jp_literal(jp, v->boolean ? "true" : "false") < 0) {
			jv_free(v);
			jp->err = "bad literal";
			return NULL;
		}
		return v;
	case 'n':
		if (jp_literal(jp, "null") < 0) {
			jp->err = "bad literal";
			return NULL;
		}
		return jv_new(J_NULL);
	default:
		return jp_number(jp);
	}
}

/* Parse one JSON text of len bytes; NULL with *err set when it is not valid JSON. */
static jv *json_parse(const char *text, size_t len, const char **err, size_t *errpos)
{
	jparser jp;
	jv *v;

	jp.p = (const unsigned char *)text;
	jp.end = jp.p + len;
	jp.err = NULL;
	jp.depth = 0;
	v = jp_value(&jp);
	if (v != NULL) {
		jp_ws(&jp);
		if (jp.p != jp.end) {
			jv_free(v);
			v = NULL;
			jp.err = "trailing characters";
		}
	}
	*err = jp.err;
	*errpos = (size_t)(jp.p - (const unsigned char *)text);
	return v;
}

/* Parse or fail the test, showing where. */
static jv *json_must(const char *text, size_t len)
{
	const char *err;
	size_t pos;
	jv *v = json_parse(text, len, &err, &pos);

	ck_assert_msg(v != NULL, "invalid JSON (%s at byte %zu): %.*s", err, pos, (int)len, text);
	return v;
}

/* Follow a path such as "findings[2].tags[0]" or "tool.name"; NULL when absent. */
static const jv *jget(const jv *v, const char *path)
{
	const char *p = path;

	while (v != NULL && *p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			char *end;
			size_t i = strtoul(p + 1, &end, 10);

			if (*end != ']' || v->type != J_ARR || i >= v->n)
				return NULL;
			p = end + 1;
			v = v->vals[i];
		} else {
			size_t k = strcspn(p, ".["), i;
			const jv *found = NULL;

			if (v->type != J_OBJ)
				return NULL;
			for (i = 0; i < v->n; i++)
				if (strlen(v->keys[i]) == k && memcmp(v->keys[i], p, k) == 0)
					found = v->vals[i];
			v = found;
			p += k;
		}
	}
	return v;
}

static const char *jstr(const jv *root, const char *path)
{
	const jv *v = jget(root, path);

	ck_assert_msg(v != NULL && v->type == J_STR, "JSON %s is not a string", path);
	return v->str;
}

static double jnum(const jv *root, const char *path)
{
	const jv *v = jget(root, path);

	ck_assert_msg(v != NULL && v->type == J_NUM, "JSON %s is not a number", path);
	return v->num;
}

static size_t jlen(const jv *root, const char *path)
{
	const jv *v = jget(root, path);

	ck_assert_msg(v != NULL && v->type == J_ARR, "JSON %s is not an array", path);
	return v->n;
}

static int jnull(const jv *root, const char *path)
{
	const jv *v = jget(root, path);

	return v != NULL && v->type == J_NULL;
}

#define ck_json_str(root, path, want) ck_assert_str_eq(jstr((root), (path)), (want))
#define ck_json_num(root, path, want) ck_assert_msg(jnum((root), (path)) == (double)(want), \
	"JSON %s is %g, expected %g", (path), jnum((root), (path)), (double)(want))

START_TEST(test_json_reader_self_check)
{
	/* the reader itself must accept what is valid and refuse what is not */
	static const char *const good[] = {
		"{}", "[]", "0", "-1.5e+3", "\"\\u00e9\\ud83d\\ude00\"", "{\"a\":[1,{\"b\":null}]}",
		" true ", "\"\xD8\xA7\"",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"a\nb\"", "\"\x01\"", "\"\\x\"",
		"\"\\ud800\"", "{\"a\":1,\"a\":2}", "[1] x", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"",
		"'a'", "nul", "{a:1}",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		const char *err;
		size_t pos;
		jv *v = json_parse(good[i], strlen(good[i]), &err, &pos);

		ck_assert_msg(v != NULL, "refused valid JSON %s: %s", good[i], err);
		jv_free(v);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *err;
		size_t pos;
		jv *v = json_parse(bad[i], strlen(bad[i]), &err, &pos);

		ck_assert_msg(v == NULL, "accepted invalid JSON %s", bad[i]);
	}
	{
		static const char sample[] = "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u00e9\",\"x\":[10,20]}";
		jv *v = json_must(sample, strlen(sample));

		ck_json_str(v, "s", "a\"b\\c\n\x01\xC3\xA9");
		ck_json_num(v, "x[1]", 20);
		ck_assert_uint_eq(jlen(v, "x"), 2);
		ck_assert_ptr_null(jget(v, "x[2]"));
		jv_free(v);
	}
}
END_TEST

/* ================================================================ fixtures */

/* Urdu for "item ... is not correct" and the rendered form for item 1. */
#define UR_ITEM "\xD8\xA2\xD8\xA6\xD9\xB9\xD9\x85"                        /* آئٹم */
#define UR_NOT_OK "\xD8\xAF\xD8\xB1\xD8\xB3\xD8\xAA \xD9\x86\xDB\x81\xDB\x8C\xDA\xBA \xDB\x81\xDB\x92\xDB\x94" /* درست نہیں ہے۔ */

/*
 * Findings, in report order (pattern by pattern, document order):
 *   0 ERR-1  assert  error    line 3  /d:doc[1]/d:item[1]
 *   1 INFO-1 report  info     line 4  /d:doc[1]/d:item[2]
 *   2 ERR-1  assert  error    line 5  /d:doc[1]/d:item[3]
 *   3 WARN-1 assert  warning  line 2  /d:doc[1]/d:note[1]
 *   4 INFO-2 report  info     line 5  /d:doc[1]/d:item[3]/@n
 *   5 ERR-2  report  error    line 6  the o:extra element (a namespace the schema lacks)
 */
static const char schema_xml[] =
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'\n"
	"            xmlns:rd='urn:rahdari:rules:1' id='wtest' schemaVersion='1.2' xml:lang='en'>\n"
	"  <sch:title>Writer test rules</sch:title>\n"
	"  <sch:ns prefix='d' uri='urn:test:doc'/>\n"
	"  <sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>\n"
	"  <sch:pattern id='p-one'>\n"
	"    <sch:title>First</sch:title>\n"
	"    <sch:rule context='d:item' id='rule-item'>\n"
	"      <sch:assert id='ERR-1' test='@ok = \"yes\"' diagnostics='d-note d-ur'\n"
	"                  rd:cite='Act &quot;X&quot; \\ s.1&#10;para&#9;2' rd:tags='A  B'\n"
	"                  rd:confidence='V' see='https://example.org/rule?a=1&amp;b=2'>Item\n"
	"        <sch:value-of select='@n'/> is \"not ok\" \\ back</sch:assert>\n"
	"      <sch:report id='INFO-1' role='info' test='@n = 2'>item <sch:value-of select='@n'/> seen</sch:report>\n"
	"    </sch:rule>\n"
	"  </sch:pattern>\n"
	"  <sch:pattern id='p-two'>\n"
	"    <sch:title>Second</sch:title>\n"
	"    <sch:rule context='d:note'>\n"
	"      <sch:assert id='WARN-1' role='warning' test='string-length(.) &lt; 5'>note &lt;too&gt; long &amp; wordy</sch:assert>\n"
	"    </sch:rule>\n"
	"    <sch:rule context='d:item/@n'>\n"
	"      <sch:report id='INFO-2' role='info' test='. = 3'>attribute <sch:name/> is 3</sch:report>\n"
	"    </sch:rule>\n"
	"    <sch:rule context='*[local-name() = \"extra\"]'>\n"
	"      <sch:report id='ERR-2' role='error' test='true()'>foreign element</sch:report>\n"
	"    </sch:rule>\n"
	"  </sch:pattern>\n"
	"  <sch:diagnostics>\n"
	"    <sch:diagnostic id='d-note'>Set ok to yes.</sch:diagnostic>\n"
	"    <sch:diagnostic id='d-ur' xml:lang='ur'>" UR_ITEM " <sch:value-of select='@n'/> " UR_NOT_OK "</sch:diagnostic>\n"
	"  </sch:diagnostics>\n"
	"</sch:schema>\n";

static const char doc_xml[] =
	"<d:doc xmlns:d='urn:test:doc' xmlns:o='urn:other'>\n"
	"<d:note>long note here</d:note>\n"
	"<d:item n='1' ok='no'/>\n"
	"<d:item n='2' ok='yes'/>\n"
	"<d:item n='3' ok='no'/>\n"
	"<o:extra/>\n"
	"</d:doc>\n";

static const char clean_xml[] = "<d:doc xmlns:d='urn:test:doc'><d:note>ok</d:note></d:doc>";

static rd_rules *g_rules;
static rd_document *g_doc, *g_clean;

static void setup(void)
{
	int rc;

	rc = rd_rules_load_memory(&g_rules, schema_xml, strlen(schema_xml), "writers.sch", NULL,
	                          NULL);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	rc = rd_document_load_memory(&g_doc, doc_xml, strlen(doc_xml), "booking.xml", NULL);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	rc = rd_document_load_memory(&g_clean, clean_xml, strlen(clean_xml), "clean.xml", NULL);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
}

static void teardown(void)
{
	rd_document_free(g_clean);
	rd_document_free(g_doc);
	rd_rules_free(g_rules);
	g_clean = g_doc = NULL;
	g_rules = NULL;
}

/* Check a document with the fixture rules as of 2024-06-15 in language lang. */
static rd_report *check_lang(const rd_document *doc, const char *lang)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	o.as_of = "2024-06-15";
	o.lang = lang;
	return tu_check(g_rules, doc, &o);
}

static rd_report *check(const rd_document *doc)
{
	return check_lang(doc, NULL);
}

/* ---------------------------------------------------------------- a memory sink */

typedef struct sink {
	char *data;
	size_t len;
	size_t cap;
	int calls;      /* how many times the writer called the sink */
	int fail_after; /* calls that succeed before every call fails; -1: never fail */
} sink;

static int sink_write(const char *data, size_t len, void *payload)
{
	sink *s = payload;

	s->calls++;
	if (s->fail_after >= 0 && s->calls > s->fail_after)
		return -1;
	if (s->len + len + 1 > s->cap) {
		while (s->len + len + 1 > s->cap)
			s->cap = s->cap ? s->cap * 2 : 256;
		s->data = realloc(s->data, s->cap);
		ck_assert_ptr_nonnull(s->data);
	}
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->data[s->len] = '\0';
	return 0;
}

/* Render reports (NULL-terminated) in a format; caller frees the text. */
static char *render_n(int format, unsigned int flags, rd_report *const *reports)
{
	sink s = { NULL, 0, 0, 0, -1 };
	rd_writer *w = NULL;
	size_t i;

	ck_assert_int_eq(rd_writer_new(&w, format, flags, sink_write, &s), RD_OK);
	for (i = 0; reports[i] != NULL; i++)
		ck_assert_int_eq(rd_writer_add(w, reports[i]), RD_OK);
	ck_assert_int_eq(rd_writer_finish(w), RD_OK);
	rd_writer_free(w);
	ck_assert_ptr_nonnull(s.data);
	ck_assert_uint_eq(strlen(s.data), s.len);
	return s.data;
}

static char *render(int format, unsigned int flags, rd_report *r)
{
	rd_report *list[2];

	list[0] = r;
	list[1] = NULL;
	return render_n(format, flags, list);
}

/* Number of lines of s (a final line without '\n' counts). */
static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n' || s[1] == '\0')
			n++;
	return n;
}

/* Does s start with prefix? */
#define ck_assert_starts(s, prefix) \
	ck_assert_msg(strncmp((s), (prefix), strlen(prefix)) == 0, "'%s' does not start with '%s'", \
	              (s), (prefix))

/* Position of sub in s; the test fails when it is absent. */
static size_t pos_of(const char *s, const char *sub)
{
	const char *p = strstr(s, sub);

	ck_assert_msg(p != NULL, "'%s' not found in:\n%s", sub, s);
	return (size_t)(p - s);
}

START_TEST(test_fixture_findings)
{
	/* the fixture gives the findings the other tests rely on */
	rd_report *r = check(g_doc);
	char *s = tu_findings(r);

	ck_assert_str_eq(s, "A:ERR-1@/d:doc[1]/d:item[1] R:INFO-1@/d:doc[1]/d:item[2] "
	                    "A:ERR-1@/d:doc[1]/d:item[3] A:WARN-1@/d:doc[1]/d:note[1] "
	                    "R:INFO-2@/d:doc[1]/d:item[3]/@n "
	                    "R:ERR-2@/d:doc[1]/*[local-name()='extra' and namespace-uri()='urn:other'][1]");
	ck_assert_uint_eq(rd_report_severity_count(r, RD_SEVERITY_ERROR), 3);
	ck_assert_uint_eq(rd_report_severity_count(r, RD_SEVERITY_WARNING), 1);
	ck_assert_uint_eq(rd_report_severity_count(r, RD_SEVERITY_INFO), 2);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(r, 0), RD_FIELD_MESSAGE),
	                 "Item 1 is \"not ok\" \\ back");
	free(s);
	rd_report_free(r);
}
END_TEST

/* ================================================================ text */

START_TEST(test_text_plain)
{
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_TEXT, 0, r);

	/* no escape sequences without RD_WRITE_COLOR */
	ck_assert_ptr_null(strchr(t, '\033'));
	/* the document line with its counts, then the findings */
	ck_assert_starts(t, "booking.xml: 3 errors, 1 warning, 2 infos\n");
	ck_assert_contains(t, "  error   ERR-1 at line 3: Item 1 is \"not ok\" \\ back\n");
	ck_assert_contains(t, "          where: /d:doc[1]/d:item[1]\n");
	ck_assert_contains(t, "  warning WARN-1 at line 2: note <too> long & wordy\n");
	ck_assert_contains(t, "  info    INFO-2 at line 5: attribute n is 3\n");
	/* the diagnostic in the default language is a note; the translation is not */
	ck_assert_contains(t, "note: Set ok to yes.");
	ck_assert_msg(!tu_contains(t, UR_ITEM), "the Urdu diagnostic leaked into English text");
	ck_assert_contains(t, "see: https://example.org/rule?a=1&b=2");
	/* the summary line */
	ck_assert_contains(t, "1 document checked: 3 errors, 1 warning, 2 infos "
	                      "(rules: wtest 1.2, as of 2024-06-15)\n");
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_order)
{
	/* errors first, then warnings, then infos; within a severity by line */
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_TEXT, 0, r);
	size_t e3 = pos_of(t, "ERR-1 at line 3"), e5 = pos_of(t, "ERR-1 at line 5");
	size_t e6 = pos_of(t, "ERR-2 at line 6"), w2 = pos_of(t, "WARN-1 at line 2");
	size_t i4 = pos_of(t, "INFO-1 at line 4"), i5 = pos_of(t, "INFO-2 at line 5");

	ck_assert(e3 < e5);
	ck_assert(e5 < e6);
	ck_assert(e6 < w2);
	ck_assert(w2 < i4);
	ck_assert(i4 < i5);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_color)
{
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_TEXT, RD_WRITE_COLOR, r);
	const char *p;
	size_t resets = 0, opens = 0;

	ck_assert_contains(t, "\033[1m\033[31merror  \033[0m");    /* bold red */
	ck_assert_contains(t, "\033[33mwarning\033[0m");            /* yellow */
	ck_assert_contains(t, "\033[36minfo   \033[0m");            /* cyan */
	ck_assert_contains(t, "\033[1mbooking.xml\033[0m: 3 errors");
	/* the words themselves are unchanged, and every escape is a complete SGR sequence */
	ck_assert_contains(t, "ERR-1 at line 3: Item 1 is \"not ok\" \\ back");
	for (p = t; (p = strchr(p, '\033')) != NULL; p++) {
		const char *q = p + 1;

		ck_assert_msg(*q == '[', "bare escape");
		q++;
		while ((*q >= '0' && *q <= '9') || *q == ';')
			q++;
		ck_assert_msg(*q == 'm', "unterminated escape sequence");
		if (strncmp(p, "\033[0m", 4) == 0)
			resets++;
		else
			opens++;
	}
	ck_assert_uint_gt(resets, 0);
	ck_assert_uint_gt(opens, 0);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_no_findings)
{
	rd_report *r = check(g_clean);
	char *t = render(RD_FORMAT_TEXT, 0, r);

	ck_assert_str_eq(t, "clean.xml: no findings\n"
	                    "1 document checked: 0 errors, 0 warnings, 0 infos "
	                    "(rules: wtest 1.2, as of 2024-06-15)\n");
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_quiet)
{
	rd_report *r = check(g_doc), *c = check(g_clean);
	rd_report *both[3];
	char *t;

	/* one document: exactly one line */
	t = render(RD_FORMAT_TEXT, RD_WRITE_QUIET, r);
	ck_assert_str_eq(t, "booking.xml: 3 errors, 1 warning, 2 infos\n");
	free(t);
	t = render(RD_FORMAT_TEXT, RD_WRITE_QUIET, c);
	ck_assert_str_eq(t, "clean.xml: no findings\n");
	free(t);
	/* several documents: a line for each, then the summary */
	both[0] = r;
	both[1] = c;
	both[2] = NULL;
	t = render_n(RD_FORMAT_TEXT, RD_WRITE_QUIET, both);
	ck_assert_starts(t, "booking.xml: 3 errors, 1 warning, 2 infos\nclean.xml: no findings\n");
	ck_assert(!tu_contains(t, "where:"));
	ck_assert(!tu_contains(t, "ERR-1"));
	ck_assert_contains(t, "2 documents checked: 3 errors, 1 warning, 2 infos");
	/* quiet and colour together */
	free(t);
	t = render(RD_FORMAT_TEXT, RD_WRITE_QUIET | RD_WRITE_COLOR, r);
	ck_assert_uint_eq(count_lines(t), 1);
	ck_assert_contains(t, "\033[");
	free(t);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_several)
{
	rd_report *r = check(g_doc), *c = check(g_clean), *r2 = check(g_doc);
	rd_report *all[4];
	char *t;

	all[0] = r;
	all[1] = c;
	all[2] = r2;
	all[3] = NULL;
	t = render_n(RD_FORMAT_TEXT, 0, all);
	ck_assert_contains(t, "clean.xml: no findings\n");
	/* the counts add up */
	ck_assert_contains(t, "\n3 documents checked: 6 errors, 2 warnings, 4 infos "
	                      "(rules: wtest 1.2, as of 2024-06-15)\n");
	free(t);
	rd_report_free(r2);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

START_TEST(test_text_format_matches_writer)
{
	/* rd_report_format gives what a writer gives, in every format */
	rd_report *r = check(g_doc);
	int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_JSON, RD_FORMAT_JSONL, RD_FORMAT_SVRL };
	size_t i;

	for (i = 0; i < 4; i++) {
		char *viaw = render(formats[i], 0, r), *s = NULL;
		size_t len = 0;

		ck_assert_int_eq(rd_report_format(&s, &len, r, formats[i], 0), RD_OK);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(len, strlen(s));
		ck_assert_str_eq(s, viaw);
		rd_free(s);
		free(viaw);
	}
	rd_report_free(r);
}
END_TEST

/* ================================================================ JSON */

START_TEST(test_json_fields)
{
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_JSON, 0, r);
	jv *j = json_must(t, strlen(t));
	const char *sha;
	size_t i;

	ck_json_str(j, "tool.name", "rahdari");
	ck_json_str(j, "tool.version", rd_version());
	ck_json_str(j, "rules.id", "wtest");
	ck_json_str(j, "rules.version", "1.2");
	ck_json_str(j, "rules.title", "Writer test rules");
	ck_json_str(j, "as_of", "2024-06-15");
	ck_json_str(j, "phase", "#ALL");
	ck_json_str(j, "lang", "en");
	/* documents */
	ck_assert_uint_eq(jlen(j, "documents"), 1);
	ck_json_str(j, "documents[0].path", "booking.xml");
	sha = jstr(j, "documents[0].sha256");
	ck_assert_str_eq(sha, rd_document_sha256(g_doc));
	ck_assert_uint_eq(strlen(sha), 64);
	ck_assert_uint_eq(strspn(sha, "0123456789abcdef"), 64);
	ck_json_num(j, "documents[0].errors", 3);
	ck_json_num(j, "documents[0].warnings", 1);
	ck_json_num(j, "documents[0].infos", 2);
	/* summary */
	ck_json_num(j, "summary.errors", 3);
	ck_json_num(j, "summary.warnings", 1);
	ck_json_num(j, "summary.infos", 2);
	ck_json_num(j, "summary.documents", 1);
	ck_json_num(j, "summary.unreadable", 0);
	ck_assert_uint_eq(jlen(j, "errors"), 0);
	/* findings, in report order */
	ck_assert_uint_eq(jlen(j, "findings"), 6);
	ck_json_str(j, "findings[0].rule", "ERR-1");
	ck_json_str(j, "findings[0].kind", "assert");
	ck_json_str(j, "findings[0].severity", "error");
	ck_json_str(j, "findings[0].message", "Item 1 is \"not ok\" \\ back");
	ck_json_str(j, "findings[0].lang", "en");
	ck_json_str(j, "findings[0].pattern", "p-one");
	ck_json_str(j, "findings[0].context", "d:item");
	ck_json_str(j, "findings[0].location", "/d:doc[1]/d:item[1]");
	ck_json_num(j, "findings[0].line", 3);
	ck_json_str(j, "findings[0].document", "booking.xml");
	ck_json_str(j, "findings[0].test", "@ok = \"yes\"");
	ck_json_str(j, "findings[0].cite", "Act \"X\" \\ s.1\npara\t2");
	ck_json_str(j, "findings[0].confidence", "V");
	ck_json_str(j, "findings[0].see", "https://example.org/rule?a=1&b=2");
	ck_assert_uint_eq(jlen(j, "findings[0].tags"), 2);
	ck_json_str(j, "findings[0].tags[0]", "A");
	ck_json_str(j, "findings[0].tags[1]", "B");
	/* only the diagnostic in the default language is listed */
	ck_assert_uint_eq(jlen(j, "findings[0].diagnostics"), 1);
	ck_json_str(j, "findings[0].diagnostics[0].id", "d-note");
	ck_json_str(j, "findings[0].diagnostics[0].text", "Set ok to yes.");
	ck_json_str(j, "findings[0].source.file", "writers.sch");
	/* the assert's start tag spans lines 9 to 11 (libxml2 records where it ends) */
	ck_assert(jnum(j, "findings[0].source.line") >= 9 && jnum(j, "findings[0].source.line") <= 11);
	ck_json_num(j, "findings[0].source.line", rd_assertion_line(rd_rules_assertion(g_rules, 0)));
	/* the others */
	ck_json_str(j, "findings[1].rule", "INFO-1");
	ck_json_str(j, "findings[1].kind", "report");
	ck_json_str(j, "findings[1].severity", "info");
	ck_json_str(j, "findings[1].message", "item 2 seen");
	ck_json_str(j, "findings[3].rule", "WARN-1");
	ck_json_str(j, "findings[3].severity", "warning");
	ck_json_str(j, "findings[3].message", "note <too> long & wordy");
	ck_json_num(j, "findings[3].line", 2);
	ck_assert(jnull(j, "findings[3].cite"));
	ck_assert_uint_eq(jlen(j, "findings[3].tags"), 0);
	ck_json_str(j, "findings[4].location", "/d:doc[1]/d:item[3]/@n");
	ck_json_str(j, "findings[5].location",
	            "/d:doc[1]/*[local-name()='extra' and namespace-uri()='urn:other'][1]");
	for (i = 0; i < 6; i++) {
		char path[64];

		snprintf(path, sizeof path, "findings[%zu].document", i);
		ck_json_str(j, path, "booking.xml");
	}
	jv_free(j);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_json_escaping)
{
	/* a document name with quotes, a backslash, a newline, a tab and a control
	 * character: it appears in documents[].path and findings[].document */
	static const char odd[] = "odd \"name\" \\ with\nnewline\ttab\x01" "ctl\x1f.xml";
	rd_document *d = NULL;
	rd_report *r;
	char *t;
	jv *j;

	ck_assert_int_eq(rd_document_load_memory(&d, doc_xml, strlen(doc_xml), odd, NULL), RD_OK);
	r = check(d);
	t = render(RD_FORMAT_JSON, 0, r);
	j = json_must(t, strlen(t));
	ck_json_str(j, "documents[0].path", odd);
	ck_json_str(j, "findings[0].document", odd);
	/* escaped on the wire: no raw control characters, standard escapes */
	ck_assert_contains(t, "\"odd \\\"name\\\" \\\\ with\\nnewline\\ttab\\u0001ctl\\u001f.xml\"");
	ck_assert_contains(t, "\"Item 1 is \\\"not ok\\\" \\\\ back\"");
	ck_assert_contains(t, "\"Act \\\"X\\\" \\\\ s.1\\npara\\t2\"");
	jv_free(j);
	free(t);
	/* JSONL too */
	t = render(RD_FORMAT_JSONL, 0, r);
	ck_assert_contains(t, "\\u0001");
	ck_assert_uint_eq(count_lines(t), 2);
	free(t);
	rd_report_free(r);
	rd_document_free(d);
}
END_TEST

START_TEST(test_json_urdu)
{
	/* Urdu text is passed through as UTF-8, not escaped */
	rd_report *r = check_lang(g_doc, "ur");
	char *t = render(RD_FORMAT_JSON, 0, r);
	jv *j = json_must(t, strlen(t));
	const char *want = UR_ITEM " 1 " UR_NOT_OK;

	ck_json_str(j, "lang", "ur");
	ck_json_str(j, "findings[0].message", want);
	ck_json_str(j, "findings[0].lang", "ur");
	ck_assert_contains(t, want);
	ck_assert(!tu_contains(t, "\\u06"));
	/* findings with no Urdu text stay in English */
	ck_json_str(j, "findings[1].message", "item 2 seen");
	ck_json_str(j, "findings[1].lang", "en");
	jv_free(j);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_json_several)
{
	rd_report *r = check(g_doc), *c = check(g_clean), *r2 = check(g_doc);
	rd_report *all[4];
	char *t;
	jv *j;

	all[0] = r;
	all[1] = c;
	all[2] = r2;
	all[3] = NULL;
	t = render_n(RD_FORMAT_JSON, 0, all);
	j = json_must(t, strlen(t));
	ck_assert_uint_eq(jlen(j, "documents"), 3);
	ck_json_str(j, "documents[1].path", "clean.xml");
	ck_json_str(j, "documents[1].sha256", rd_document_sha256(g_clean));
	ck_json_num(j, "documents[1].errors", 0);
	ck_json_num(j, "summary.documents", 3);
	ck_json_num(j, "summary.errors", 6);
	ck_json_num(j, "summary.warnings", 2);
	ck_json_num(j, "summary.infos", 4);
	ck_assert_uint_eq(jlen(j, "findings"), 12);
	jv_free(j);
	free(t);
	rd_report_free(r2);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

START_TEST(test_json_empty_writer)
{
	/* a writer given nothing still writes valid JSON */
	sink s = { NULL, 0, 0, 0, -1 };
	rd_writer *w = NULL;
	jv *j;

	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_JSON, 0, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_finish(w), RD_OK);
	rd_writer_free(w);
	j = json_must(s.data, s.len);
	ck_json_str(j, "tool.name", "rahdari");
	ck_json_num(j, "summary.documents", 0);
	ck_assert_uint_eq(jlen(j, "findings"), 0);
	jv_free(j);
	free(s.data);
}
END_TEST

/* ================================================================ JSON Lines */

/* Split JSON Lines output and parse each line; returns the number of lines. */
static size_t jsonl_parse(const char *t, jv **lines, size_t max)
{
	size_t n = 0;
	const char *p = t;

	ck_assert_msg(t[0] != '\0' && t[strlen(t) - 1] == '\n', "JSON Lines must end with a newline");
	while (*p) {
		const char *nl = strchr(p, '\n');

		ck_assert_ptr_nonnull(nl);
		ck_assert_uint_lt(n, max);
		ck_assert_msg(nl > p, "empty line in JSON Lines output");
		lines[n++] = json_must(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return n;
}

START_TEST(test_jsonl)
{
	rd_report *r = check(g_doc), *c = check(g_clean);
	rd_report *all[3];
	jv *lines[8];
	size_t n, i;
	char *t;

	all[0] = r;
	all[1] = c;
	all[2] = NULL;
	t = render_n(RD_FORMAT_JSONL, 0, all);
	n = jsonl_parse(t, lines, 8);
	ck_assert_uint_eq(n, 3);
	ck_json_str(lines[0], "type", "document");
	ck_json_str(lines[0], "path", "booking.xml");
	ck_json_str(lines[0], "sha256", rd_document_sha256(g_doc));
	ck_json_num(lines[0], "summary.errors", 3);
	ck_json_num(lines[0], "summary.warnings", 1);
	ck_json_num(lines[0], "summary.infos", 2);
	ck_assert_uint_eq(jlen(lines[0], "findings"), 6);
	ck_json_str(lines[0], "findings[0].rule", "ERR-1");
	ck_json_str(lines[0], "findings[0].message", "Item 1 is \"not ok\" \\ back");
	ck_json_num(lines[0], "findings[0].line", 3);
	ck_json_str(lines[1], "type", "document");
	ck_json_str(lines[1], "path", "clean.xml");
	ck_assert_uint_eq(jlen(lines[1], "findings"), 0);
	ck_json_str(lines[2], "type", "summary");
	ck_json_str(lines[2], "tool.name", "rahdari");
	ck_json_str(lines[2], "rules.id", "wtest");
	ck_json_str(lines[2], "as_of", "2024-06-15");
	ck_json_num(lines[2], "documents", 2);
	ck_json_num(lines[2], "errors", 3);
	ck_json_num(lines[2], "warnings", 1);
	ck_json_num(lines[2], "infos", 2);
	for (i = 0; i < n; i++)
		jv_free(lines[i]);
	free(t);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

START_TEST(test_jsonl_streams)
{
	/* JSON Lines writes each document as it is added */
	sink s = { NULL, 0, 0, 0, -1 };
	rd_writer *w = NULL;
	rd_report *r = check(g_doc);
	jv *j;

	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_JSONL, 0, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, r), RD_OK);
	ck_assert_ptr_nonnull(s.data);
	ck_assert_uint_eq(count_lines(s.data), 1);
	j = json_must(s.data, s.len - 1);
	ck_json_str(j, "type", "document");
	jv_free(j);
	ck_assert_int_eq(rd_writer_finish(w), RD_OK);
	ck_assert_uint_eq(count_lines(s.data), 2);
	rd_writer_free(w);
	free(s.data);
	rd_report_free(r);
}
END_TEST

/* ================================================================ SVRL */

#define SVRL_NS "http://purl.oclc.org/dsdl/svrl"
/* A C string as libxml2's string type (BAD_CAST would drop const). */
#define XC (const xmlChar *)

static xmlDocPtr parse_xml(const char *text, const char *name)
{
	xmlDocPtr d = xmlReadMemory(text, (int)strlen(text), name, NULL, XML_PARSE_NONET);

	ck_assert_msg(d != NULL, "%s is not well-formed:\n%s", name, text);
	return d;
}

static xmlXPathContextPtr svrl_ctx(xmlDocPtr d)
{
	xmlXPathContextPtr x = xmlXPathNewContext(d);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(xmlXPathRegisterNs(x, XC "svrl", XC SVRL_NS), 0);
	return x;
}

/* The number an XPath expression gives. */
static double xnum(xmlXPathContextPtr x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(XC expr, x);
	double v;

	ck_assert_msg(o != NULL, "XPath %s failed", expr);
	v = xmlXPathCastToNumber(o);
	xmlXPathFreeObject(o);
	return v;
}

/* Assert that an XPath expression evaluates to the string want. */
static void ck_xstr(xmlXPathContextPtr x, const char *expr, const char *want)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(XC expr, x);
	xmlChar *s;

	ck_assert_msg(o != NULL, "XPath %s failed", expr);
	s = xmlXPathCastToString(o);
	ck_assert_msg(s != NULL && strcmp((const char *)s, want) == 0, "%s is '%s', expected '%s'",
	              expr, s ? (const char *)s : "(null)", want);
	xmlFree(s);
	xmlXPathFreeObject(o);
}

#define ck_xnum(x, expr, want) ck_assert_msg(xnum((x), (expr)) == (double)(want), \
	"%s is %g, expected %g", (expr), xnum((x), (expr)), (double)(want))

START_TEST(test_svrl_structure)
{
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_SVRL, 0, r);
	xmlDocPtr d = parse_xml(t, "svrl");
	xmlNodePtr root = xmlDocGetRootElement(d);
	xmlXPathContextPtr x = svrl_ctx(d);

	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq((const char *)root->name, "schematron-output");
	ck_assert_ptr_nonnull(root->ns);
	ck_assert_str_eq((const char *)root->ns->href, SVRL_NS);
	ck_xstr(x, "/svrl:schematron-output/@title", "Writer test rules");
	ck_xstr(x, "/svrl:schematron-output/@schemaVersion", "1.2");
	ck_xstr(x, "/svrl:schematron-output/@phase", "#ALL");
	/* the schema's namespaces */
	ck_xnum(x, "count(/*/svrl:ns-prefix-in-attribute-values)", 2);
	ck_xstr(x, "/*/svrl:ns-prefix-in-attribute-values[@prefix='d']/@uri", "urn:test:doc");
	ck_xstr(x, "/*/svrl:ns-prefix-in-attribute-values[@prefix='fn']/@uri", "urn:rahdari:fn:1");
	/* one active-pattern per pattern, each followed by its fired rules */
	ck_xnum(x, "count(/*/svrl:active-pattern)", 2);
	ck_xstr(x, "/*/svrl:active-pattern[1]/@id", "p-one");
	ck_xstr(x, "/*/svrl:active-pattern[1]/@name", "First");
	ck_xstr(x, "/*/svrl:active-pattern[1]/@documents", "booking.xml");
	ck_xstr(x, "/*/svrl:active-pattern[2]/@id", "p-two");
	ck_xnum(x, "count(/*/svrl:fired-rule)", 8);
	ck_xnum(x, "count(/*/svrl:fired-rule[@context='d:item'])", 3);
	ck_xstr(x, "/*/svrl:fired-rule[1]/@id", "rule-item");
	ck_xnum(x, "count(/*/svrl:active-pattern[2]/following-sibling::svrl:fired-rule)", 5);
	/* SVRL's content order: text, ns-prefix..., then patterns */
	ck_xnum(x, "count(/*/svrl:ns-prefix-in-attribute-values[preceding-sibling::svrl:active-pattern])",
	        0);
	ck_xnum(x, "count(/*/svrl:fired-rule[1]/preceding-sibling::svrl:active-pattern)", 1);
	ck_xnum(x, "count(/*/*[1]/self::svrl:ns-prefix-in-attribute-values)", 1);
	/* failed asserts and successful reports */
	ck_xnum(x, "count(//svrl:failed-assert)", 3);
	ck_xnum(x, "count(//svrl:successful-report)", 3);
	ck_xstr(x, "(//svrl:failed-assert)[1]/@id", "ERR-1");
	ck_xstr(x, "(//svrl:failed-assert)[1]/@location", "/d:doc[1]/d:item[1]");
	ck_xstr(x, "(//svrl:failed-assert)[1]/@test", "@ok = \"yes\"");
	ck_xstr(x, "(//svrl:failed-assert)[1]/@see", "https://example.org/rule?a=1&b=2");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:text", "Item 1 is \"not ok\" \\ back");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:text/@xml:lang", "en");
	ck_xstr(x, "//svrl:failed-assert[@id='WARN-1']/@role", "warning");
	ck_xstr(x, "//svrl:failed-assert[@id='WARN-1']/@test", "string-length(.) < 5");
	ck_xstr(x, "//svrl:failed-assert[@id='WARN-1']/svrl:text", "note <too> long & wordy");
	ck_xstr(x, "//svrl:successful-report[@id='INFO-1']/@role", "info");
	ck_xstr(x, "//svrl:successful-report[@id='INFO-1']/svrl:text", "item 2 seen");
	ck_xstr(x, "//svrl:successful-report[@id='INFO-2']/@location", "/d:doc[1]/d:item[3]/@n");
	/* each result follows the fired-rule of its node */
	ck_xstr(x, "(//svrl:failed-assert)[1]/preceding-sibling::svrl:fired-rule[1]/@context",
	        "d:item");
	ck_xstr(x, "//svrl:successful-report[@id='ERR-2']/preceding-sibling::*[1]/@context",
	        "*[local-name() = \"extra\"]");
	/* diagnostics: both, the translation marked with its language */
	ck_xnum(x, "count((//svrl:failed-assert)[1]/svrl:diagnostic-reference)", 2);
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:diagnostic-reference[1]/@diagnostic", "d-note");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:diagnostic-reference[1]/svrl:text",
	        "Set ok to yes.");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:diagnostic-reference[2]/@diagnostic", "d-ur");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:diagnostic-reference[2]/svrl:text/@xml:lang", "ur");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:diagnostic-reference[2]/svrl:text",
	        UR_ITEM " 1 " UR_NOT_OK);
	/* every element is in the SVRL namespace */
	ck_xnum(x, "count(//*[namespace-uri() != 'http://purl.oclc.org/dsdl/svrl'])", 0);
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_svrl_locations)
{
	/* every location, evaluated on the original document with the prefixes the SVRL
	 * declares, selects exactly the node the finding is about */
	rd_report *r = check(g_doc);
	char *t = render(RD_FORMAT_SVRL, 0, r);
	xmlDocPtr svrl = parse_xml(t, "svrl"), orig = parse_xml(doc_xml, "booking.xml");
	xmlXPathContextPtr sx = svrl_ctx(svrl), ox = xmlXPathNewContext(orig);
	xmlXPathObjectPtr decls, results;
	int i, checked = 0;

	ck_assert_ptr_nonnull(ox);
	decls = xmlXPathEvalExpression(XC "//svrl:ns-prefix-in-attribute-values", sx);
	ck_assert_ptr_nonnull(decls);
	ck_assert_ptr_nonnull(decls->nodesetval);
	for (i = 0; i < decls->nodesetval->nodeNr; i++) {
		xmlNodePtr n = decls->nodesetval->nodeTab[i];
		xmlChar *prefix = xmlGetProp(n, XC "prefix"), *uri = xmlGetProp(n, XC "uri");

		ck_assert_int_eq(xmlXPathRegisterNs(ox, prefix, uri), 0);
		xmlFree(prefix);
		xmlFree(uri);
	}
	results = xmlXPathEvalExpression(XC "//svrl:failed-assert | //svrl:successful-report",
	                                 sx);
	ck_assert_ptr_nonnull(results);
	ck_assert_ptr_nonnull(results->nodesetval);
	for (i = 0; i < results->nodesetval->nodeNr; i++) {
		xmlNodePtr n = results->nodesetval->nodeTab[i];
		xmlChar *loc = xmlGetProp(n, XC "location");
		xmlXPathObjectPtr o;
		const rd_finding *f = rd_report_finding(r, (size_t)i);

		ck_assert_ptr_nonnull(loc);
		o = xmlXPathEvalExpression(loc, ox);
		ck_assert_msg(o != NULL && o->type == XPATH_NODESET && o->nodesetval &&
		              o->nodesetval->nodeNr == 1,
		              "location %s does not select exactly one node", (const char *)loc);
		/* the results come in report order: the node is on the finding's line */
		ck_assert_str_eq((const char *)loc, rd_finding_get(f, RD_FIELD_LOCATION));
		{
			xmlNodePtr hit = o->nodesetval->nodeTab[0];
			long line = xmlGetLineNo(hit->type == XML_ATTRIBUTE_NODE ? hit->parent : hit);

			ck_assert_int_eq(line, rd_finding_line(f));
		}
		xmlXPathFreeObject(o);
		xmlFree(loc);
		checked++;
	}
	ck_assert_int_eq(checked, 6);
	xmlXPathFreeObject(results);
	xmlXPathFreeObject(decls);
	xmlXPathFreeContext(ox);
	xmlXPathFreeContext(sx);
	xmlFreeDoc(orig);
	xmlFreeDoc(svrl);
	free(t);
	rd_report_free(r);
}
END_TEST

START_TEST(test_svrl_several_and_urdu)
{
	rd_report *r = check_lang(g_doc, "ur"), *c = check_lang(g_clean, "ur");
	rd_report *all[3];
	char *t;
	xmlDocPtr d;
	xmlXPathContextPtr x;

	all[0] = r;
	all[1] = c;
	all[2] = NULL;
	t = render_n(RD_FORMAT_SVRL, 0, all);
	d = parse_xml(t, "svrl");
	x = svrl_ctx(d);
	/* patterns are reported for each document */
	ck_xnum(x, "count(/*/svrl:active-pattern)", 4);
	ck_xnum(x, "count(/*/svrl:active-pattern[@documents='clean.xml'])", 2);
	ck_xnum(x, "count(/*/svrl:ns-prefix-in-attribute-values)", 2);
	ck_xnum(x, "count(//svrl:failed-assert)", 3);
	/* the message in Urdu where there is one, in English otherwise */
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:text/@xml:lang", "ur");
	ck_xstr(x, "(//svrl:failed-assert)[1]/svrl:text", UR_ITEM " 1 " UR_NOT_OK);
	ck_xstr(x, "//svrl:failed-assert[@id='WARN-1']/svrl:text/@xml:lang", "en");
	ck_xstr(x, "//svrl:failed-assert[@id='WARN-1']/svrl:text", "note <too> long & wordy");
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	free(t);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

/* ================================================================ languages */

START_TEST(test_lang_selection)
{
	rd_report *r;
	const rd_finding *f;

	/* Urdu asked for and present */
	r = check_lang(g_doc, "ur");
	f = rd_report_finding(r, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), UR_ITEM " 1 " UR_NOT_OK);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "ur");
	ck_assert_str_eq(rd_report_get(r, RD_REPORT_LANG), "ur");
	/* the translation is not counted as a diagnostic */
	ck_assert_uint_eq(rd_finding_diagnostic_count(f), 1);
	/* an assert without Urdu falls back to English */
	f = rd_report_finding(r, 3);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "note <too> long & wordy");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "en");
	rd_report_free(r);
	/* a language nobody wrote: English */
	r = check_lang(g_doc, "fr");
	f = rd_report_finding(r, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "Item 1 is \"not ok\" \\ back");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "en");
	rd_report_free(r);
	/* matching is case-insensitive */
	r = check_lang(g_doc, "UR");
	ck_assert_str_eq(rd_finding_get(rd_report_finding(r, 0), RD_FIELD_LANG), "ur");
	rd_report_free(r);
}
END_TEST

START_TEST(test_lang_region_falls_back)
{
	/* a request for a regional variant ("ur-PK", as a locale gives it) is served by
	 * the plain-language text ("ur") before English (RFC 4647 lookup) */
	rd_report *r = check_lang(g_doc, "ur-PK");
	const rd_finding *f = rd_report_finding(r, 0);

	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "ur");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), UR_ITEM " 1 " UR_NOT_OK);
	rd_report_free(r);
	/* but a different language that merely shares a prefix does not match */
	r = check_lang(g_doc, "urd");
	ck_assert_str_eq(rd_finding_get(rd_report_finding(r, 0), RD_FIELD_LANG), "en");
	rd_report_free(r);
}
END_TEST

/* ================================================================ evaluation errors */

START_TEST(test_eval_error_all_formats)
{
	/* an expression that fails on this document becomes a finding in every format */
	static const char sch[] =
		"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
		"<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
		"<sch:pattern id='p'><sch:rule context='r'>"
		"<sch:assert id='RE' test='fn:matches(\"a\", @re)'>no match</sch:assert>"
		"</sch:rule></sch:pattern></sch:schema>";
	rd_rules *rules = tu_rules(sch);
	rd_document *doc = tu_doc("<r re='[a-'/>");
	rd_report *r = tu_check(rules, doc, NULL);
	char *t;
	jv *j;
	xmlDocPtr d;
	xmlXPathContextPtr x;

	ck_assert_uint_eq(rd_report_count(r), 1);
	ck_assert_int_eq(rd_finding_kind(rd_report_finding(r, 0)), RD_KIND_EVAL_ERROR);
	t = render(RD_FORMAT_TEXT, 0, r);
	ck_assert_contains(t, "  error   RE at line 1: [evaluation error] ");
	ck_assert_contains(t, "expression: fn:matches(\"a\", @re)\n");
	free(t);
	t = render(RD_FORMAT_JSON, 0, r);
	j = json_must(t, strlen(t));
	ck_json_str(j, "findings[0].kind", "evaluation-error");
	ck_json_str(j, "findings[0].severity", "error");
	ck_json_str(j, "findings[0].test", "fn:matches(\"a\", @re)");
	ck_json_num(j, "summary.errors", 1);
	jv_free(j);
	free(t);
	t = render(RD_FORMAT_SVRL, 0, r);
	d = parse_xml(t, "svrl");
	x = svrl_ctx(d);
	ck_xnum(x, "count(//svrl:failed-assert)", 0);
	ck_xnum(x, "count(/*/svrl:text[contains(., 'evaluation error')])", 1);
	ck_xnum(x, "count(/*/svrl:text[contains(., 'fn:matches(\"a\", @re)')])", 1);
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	free(t);
	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
}
END_TEST

/* ================================================================ awkward names */

/* Render the fixture document, loaded under @name, in @format; caller frees. */
static char *render_named(const char *name, int format)
{
	rd_rules *rules = NULL;
	rd_document *doc = NULL;
	rd_report *r;
	char *t = NULL;
	int rc;

	rc = rd_rules_load_memory(&rules, schema_xml, strlen(schema_xml), "writers.sch", NULL, NULL);
	ck_assert_int_eq(rc, RD_OK);
	rc = rd_document_load_memory(&doc, doc_xml, strlen(doc_xml), name, NULL);
	ck_assert_int_eq(rc, RD_OK);
	ck_assert_int_eq(rd_check(&r, rules, doc, NULL), RD_OK);
	rc = rd_report_format(&t, NULL, r, format, 0);
	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	return t;
}



START_TEST(test_svrl_name_with_newline)
{
	/* white space in a name survives SVRL attributes as character references */
	static const char name[] = "two\nlines\tand tab.xml";
	char *t = render_named(name, RD_FORMAT_SVRL);
	xmlDocPtr d = parse_xml(t, "svrl");
	xmlXPathContextPtr x = svrl_ctx(d);

	ck_xstr(x, "/*/svrl:active-pattern[1]/@documents", name);
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	rd_free(t);
}
END_TEST

/* The known bugs below are checked without the fixture and release everything
 * before asserting, so that under CK_FORK=no (valgrind) a failure leaks nothing. */

/* Is the SVRL rendered for a document named @name well-formed? */
static int svrl_well_formed(const char *name)
{
	char *t = render_named(name, RD_FORMAT_SVRL);
	xmlDocPtr d = xmlReadMemory(t, (int)strlen(t), "svrl", NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int ok = d != NULL;

	xmlFreeDoc(d);
	rd_free(t);
	return ok;
}

START_TEST(test_svrl_name_with_control_char)
{
	/* Regression: a document name (a file name: any bytes but '/' and NUL) holding a
	 * C0 control character, which XML 1.0 cannot carry even as a character
	 * reference, once made the SVRL ill-formed; such characters become U+FFFD. */
	ck_assert_msg(svrl_well_formed("bell\x07.xml"),
	              "SVRL for a document named 'bell\\x07.xml' is not well-formed");
}
END_TEST

START_TEST(test_svrl_name_not_utf8)
{
	/* Regression: a document name that is not UTF-8 (a Latin-1 file name,
	 * "caf\xE9.xml") was once copied byte for byte into the UTF-8 SVRL. */
	ck_assert_msg(svrl_well_formed("caf\xE9.xml"),
	              "SVRL for a document named 'caf\\xE9.xml' is not well-formed");
}
END_TEST

START_TEST(test_json_name_not_utf8)
{
	/* Regression: the same name in JSON strings must stay valid UTF-8 (RFC 8259). */
	char *t = render_named("caf\xE9.xml", RD_FORMAT_JSON);
	const char *err = NULL;
	size_t pos = 0;
	jv *j = json_parse(t, strlen(t), &err, &pos);
	int ok = j != NULL;

	jv_free(j);
	rd_free(t);
	ck_assert_msg(ok, "JSON for a document named 'caf\\xE9.xml' is invalid: %s at byte %zu",
	              err, pos);
}
END_TEST

/* ================================================================ terminal controls */

/* A document named with ESC and U+009B (CSI), whose value (a C1 control and DEL, which
 * XML 1.0 allows) reaches a message through value-of and an error path: the text format
 * printed them raw, so they reached the terminal (issue 11). Text escapes them; JSON
 * writes \u00XX, SVRL character references; no raw control byte is left in any. */
START_TEST(test_terminal_controls_escaped)
{
	static const char sch[] =
	    SCH_OPEN "<sch:pattern><sch:rule context='a'><sch:report id='V\xC2\x9B' test='true()'>"
	    "value <sch:value-of select='.'/></sch:report></sch:rule></sch:pattern>" SCH_CLOSE;
	static const char xml[] = "<a>x&#x9B;31m&#x7F;y\xC2\x85</a>";
	static const char name[] = "n\x1b[31m\xC2\x9B.xml";
	static const rd_error err = { RD_EIO, "n\x1b]0;t\x07\xC2\x9B.xml: cannot open", NULL, 0, 0 };
	static const int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_JSON, RD_FORMAT_JSONL,
		                       RD_FORMAT_SVRL };
	rd_rules *rules = tu_rules(sch);
	rd_document *doc = NULL;
	rd_report *r;
	size_t i;

	ck_assert_int_eq(rd_document_load_memory(&doc, xml, strlen(xml), name, NULL), RD_OK);
	r = tu_check(rules, doc, NULL);
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		sink s = { NULL, 0, 0, 0, -1 };
		rd_writer *w = NULL;
		const unsigned char *p;

		ck_assert_int_eq(rd_writer_new(&w, formats[i], 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add(w, r), RD_OK);
		ck_assert_int_eq(rd_writer_add_error(w, "bad\x1b[2J.xml", &err), RD_OK);
		ck_assert_int_eq(rd_writer_finish(w), RD_OK);
		rd_writer_free(w);
		for (p = (const unsigned char *)s.data; *p; p++) {
			ck_assert_msg(*p != 0x1b && *p != 0x07 && *p != 0x7f,
			              "format %d: a raw control byte 0x%02x at %zu", formats[i], *p,
			              (size_t)(p - (const unsigned char *)s.data));
			ck_assert_msg(!(p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0),
			              "format %d: a raw C1 control at %zu", formats[i],
			              (size_t)(p - (const unsigned char *)s.data));
		}
		if (formats[i] == RD_FORMAT_TEXT) {
			ck_assert_contains(s.data, "n\\x1b[31m\\u009b.xml: 0 errors, 1 warning");
			ck_assert_contains(s.data, "V\\u009b at line 1: value x\\u009b31m\\x7fy\\u0085");
			ck_assert_contains(s.data, "bad\\x1b[2J.xml: cannot be checked: "
			                           "n\\x1b]0;t\\x07\\u009b.xml: cannot open");
		} else if (formats[i] == RD_FORMAT_SVRL) {
			ck_assert_contains(s.data, "value x&#x9B;31m&#x7F;y&#x85;");
		} else {
			ck_assert_contains(s.data, "value x\\u009b31m\\u007fy\\u0085");
			ck_assert_contains(s.data, "n\\u001b[31m\\u009b.xml");
		}
		free(s.data);
	}
	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
}
END_TEST

/* ================================================================ input errors */

/* An error as rd_error_last() would give it, with characters that need escaping. */
static const rd_error bad_input = { RD_EPARSE, "bad.xml:3:7: tag <b> & \"quote\" mismatch", "bad.xml",
	                            3, 7 };
#define BAD_PATH "dir/we<ird>&\"name\".xml"

/* Render: a report, then an input error, then another report. */
static char *render_with_error(int format, unsigned int flags)
{
	sink s = { NULL, 0, 0, 0, -1 };
	rd_writer *w = NULL;
	rd_report *r = check(g_doc), *c = check(g_clean);

	ck_assert_int_eq(rd_writer_new(&w, format, flags, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, r), RD_OK);
	ck_assert_int_eq(rd_writer_add_error(w, BAD_PATH, &bad_input), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, c), RD_OK);
	ck_assert_int_eq(rd_writer_finish(w), RD_OK);
	rd_writer_free(w);
	rd_report_free(c);
	rd_report_free(r);
	ck_assert_ptr_nonnull(s.data);
	return s.data;
}

START_TEST(test_error_text)
{
	char *t = render_with_error(RD_FORMAT_TEXT, 0);

	ck_assert_contains(t, BAD_PATH ": cannot be checked: bad.xml:3:7: tag <b> & \"quote\" mismatch\n");
	ck_assert_contains(t, "2 documents checked (1 more could not be read): 3 errors");
	ck_assert_ptr_null(strchr(t, '\033'));
	/* in order: first document, the error, the second document */
	ck_assert(pos_of(t, "booking.xml:") < pos_of(t, "cannot be checked"));
	ck_assert(pos_of(t, "cannot be checked") < pos_of(t, "clean.xml:"));
	free(t);
	t = render_with_error(RD_FORMAT_TEXT, RD_WRITE_COLOR);
	ck_assert_contains(t, "\033[1m\033[31m" BAD_PATH ": cannot be checked\033[0m");
	free(t);
}
END_TEST

START_TEST(test_error_json)
{
	char *t = render_with_error(RD_FORMAT_JSON, 0);
	jv *j = json_must(t, strlen(t));

	ck_assert_uint_eq(jlen(j, "errors"), 1);
	ck_json_str(j, "errors[0].path", BAD_PATH);
	ck_json_str(j, "errors[0].status", "RD_EPARSE");
	ck_json_str(j, "errors[0].message", bad_input.message);
	ck_json_num(j, "errors[0].line", 3);
	ck_json_num(j, "errors[0].column", 7);
	ck_json_num(j, "summary.documents", 2);
	ck_json_num(j, "summary.unreadable", 1);
	ck_assert_uint_eq(jlen(j, "documents"), 2);
	jv_free(j);
	free(t);
}
END_TEST

START_TEST(test_error_jsonl)
{
	char *t = render_with_error(RD_FORMAT_JSONL, 0);
	jv *lines[8];
	size_t n = jsonl_parse(t, lines, 8), i;

	ck_assert_uint_eq(n, 4);
	ck_json_str(lines[0], "type", "document");
	ck_json_str(lines[1], "type", "error");
	ck_json_str(lines[1], "path", BAD_PATH);
	ck_json_str(lines[1], "status", "RD_EPARSE");
	ck_json_str(lines[1], "message", bad_input.message);
	ck_json_num(lines[1], "line", 3);
	ck_json_str(lines[2], "type", "document");
	ck_json_str(lines[3], "type", "summary");
	ck_json_num(lines[3], "unreadable", 1);
	ck_json_num(lines[3], "documents", 2);
	for (i = 0; i < n; i++)
		jv_free(lines[i]);
	free(t);
}
END_TEST

START_TEST(test_error_svrl)
{
	char *t = render_with_error(RD_FORMAT_SVRL, 0);
	xmlDocPtr d = parse_xml(t, "svrl");
	xmlXPathContextPtr x = svrl_ctx(d);

	ck_xnum(x, "count(/*/svrl:text)", 1);
	ck_xstr(x, "/*/svrl:text", "cannot check " BAD_PATH ": bad.xml:3:7: tag <b> & \"quote\" mismatch");
	/* the text comes first, as SVRL wants */
	ck_xnum(x, "count(/*/*[1]/self::svrl:text)", 1);
	ck_xnum(x, "count(/*/svrl:active-pattern)", 4);
	xmlXPathFreeContext(x);
	xmlFreeDoc(d);
	free(t);
}
END_TEST

START_TEST(test_error_only)
{
	/* a run where no input could be read still gives valid output in every format */
	int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_JSON, RD_FORMAT_JSONL, RD_FORMAT_SVRL };
	size_t i;

	for (i = 0; i < 4; i++) {
		sink s = { NULL, 0, 0, 0, -1 };
		rd_writer *w = NULL;

		ck_assert_int_eq(rd_writer_new(&w, formats[i], 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add_error(w, "gone.xml", &bad_input), RD_OK);
		ck_assert_int_eq(rd_writer_finish(w), RD_OK);
		rd_writer_free(w);
		ck_assert_ptr_nonnull(s.data);
		ck_assert_contains(s.data, "gone.xml");
		if (formats[i] == RD_FORMAT_JSON) {
			jv *j = json_must(s.data, s.len);

			ck_json_num(j, "summary.unreadable", 1);
			ck_json_num(j, "summary.documents", 0);
			jv_free(j);
		} else if (formats[i] == RD_FORMAT_JSONL) {
			jv *lines[4];
			size_t n = jsonl_parse(s.data, lines, 4), k;

			ck_assert_uint_eq(n, 2);
			for (k = 0; k < n; k++)
				jv_free(lines[k]);
		} else if (formats[i] == RD_FORMAT_SVRL) {
			xmlFreeDoc(parse_xml(s.data, "svrl"));
		}
		free(s.data);
	}
}
END_TEST

/* ================================================================ failing sinks */

START_TEST(test_sink_fails_streaming)
{
	/* text and JSON Lines write as reports are added: the failure shows at once */
	int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_JSONL };
	size_t i;

	for (i = 0; i < 2; i++) {
		sink s = { NULL, 0, 0, 0, 0 };
		rd_writer *w = NULL;
		rd_report *r = check(g_doc);
		int calls;

		ck_assert_int_eq(rd_writer_new(&w, formats[i], 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add(w, r), RD_EIO);
		ck_assert_int_eq(rd_error_last()->code, RD_EIO);
		calls = s.calls;
		ck_assert_int_ge(calls, 1);
		/* once failed, the writer stays failed and does not call the sink again */
		ck_assert_int_eq(rd_writer_add(w, r), RD_EIO);
		ck_assert_int_eq(rd_writer_add_error(w, "x.xml", &bad_input), RD_EIO);
		ck_assert_int_eq(rd_writer_finish(w), RD_EIO);
		ck_assert_int_eq(s.calls, calls);
		rd_writer_free(w);
		rd_report_free(r);
		free(s.data);
	}
}
END_TEST

START_TEST(test_sink_fails_at_finish)
{
	/* JSON and SVRL write at the end: adding works, finishing fails */
	int formats[] = { RD_FORMAT_JSON, RD_FORMAT_SVRL };
	size_t i;

	for (i = 0; i < 2; i++) {
		sink s = { NULL, 0, 0, 0, 0 };
		rd_writer *w = NULL;
		rd_report *r = check(g_doc);

		ck_assert_int_eq(rd_writer_new(&w, formats[i], 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add(w, r), RD_OK);
		ck_assert_int_eq(rd_writer_finish(w), RD_EIO);
		ck_assert_int_eq(rd_error_last()->code, RD_EIO);
		ck_assert_int_eq(rd_writer_finish(w), RD_EIO);
		rd_writer_free(w);
		rd_report_free(r);
		free(s.data);
	}
}
END_TEST

START_TEST(test_sink_fails_later)
{
	/* the first document is written, the second is not: the failure is reported */
	sink s = { NULL, 0, 0, 0, 1 };
	rd_writer *w = NULL;
	rd_report *r = check(g_doc), *c = check(g_clean);
	char *t = NULL;

	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_TEXT, 0, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, r), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, c), RD_EIO);
	ck_assert_int_eq(rd_writer_finish(w), RD_EIO);
	rd_writer_free(w);
	ck_assert_contains(s.data, "booking.xml: 3 errors");
	ck_assert(!tu_contains(s.data, "clean.xml"));
	free(s.data);
	/* rd_report_format is unaffected: it has its own buffer */
	ck_assert_int_eq(rd_report_format(&t, NULL, c, RD_FORMAT_TEXT, 0), RD_OK);
	ck_assert_contains(t, "clean.xml: no findings");
	rd_free(t);
	rd_report_free(c);
	rd_report_free(r);
}
END_TEST

START_TEST(test_writer_bad_arguments)
{
	rd_writer *w = NULL;
	sink s = { NULL, 0, 0, 0, -1 };
	char *t = NULL;
	rd_report *r = check(g_doc);

	ck_assert_int_eq(rd_writer_new(&w, 0, 0, sink_write, &s), RD_EINVAL);
	ck_assert_int_eq(rd_writer_new(&w, 99, 0, sink_write, &s), RD_EINVAL);
	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_TEXT, 0, NULL, &s), RD_EINVAL);
	ck_assert_int_eq(rd_writer_new(NULL, RD_FORMAT_TEXT, 0, sink_write, &s), RD_EINVAL);
	ck_assert_int_eq(rd_report_format(&t, NULL, r, 42, 0), RD_EINVAL);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(rd_report_format(&t, NULL, NULL, RD_FORMAT_TEXT, 0), RD_EINVAL);
	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_JSON, 0, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_add(w, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_writer_add_error(w, NULL, &bad_input), RD_EINVAL);
	rd_writer_free(w);
	ck_assert_int_eq(s.calls, 0);
	/* format names */
	ck_assert_int_eq(rd_format_from_name("text"), RD_FORMAT_TEXT);
	ck_assert_int_eq(rd_format_from_name("json"), RD_FORMAT_JSON);
	ck_assert_int_eq(rd_format_from_name("jsonl"), RD_FORMAT_JSONL);
	ck_assert_int_eq(rd_format_from_name("svrl"), RD_FORMAT_SVRL);
	ck_assert_int_eq(rd_format_from_name("xml"), 0);
	ck_assert_int_eq(rd_format_from_name(NULL), 0);
	rd_report_free(r);
}
END_TEST

START_TEST(test_report_outlives_rules)
{
	/* a report stays renderable after its rules and document are freed */
	rd_report *r = check(g_doc);
	char *t = NULL;
	jv *j;

	teardown();
	ck_assert_int_eq(rd_report_format(&t, NULL, r, RD_FORMAT_JSON, 0), RD_OK);
	j = json_must(t, strlen(t));
	ck_json_str(j, "rules.id", "wtest");
	ck_json_str(j, "findings[0].cite", "Act \"X\" \\ s.1\npara\t2");
	jv_free(j);
	rd_free(t);
	rd_report_free(r);
	setup(); /* for the fixture's teardown */
}
END_TEST

/* ================================================================ suite */

static Suite *suite(void)
{
	Suite *s = suite_create("writers");
	TCase *base = tcase_create("base");
	TCase *text = tcase_create("text");
	TCase *json = tcase_create("json");
	TCase *svrl = tcase_create("svrl");
	TCase *misc = tcase_create("misc");
	TCase *bugs = tcase_create("bugs");

	tcase_add_test(base, test_json_reader_self_check);
	suite_add_tcase(s, base);

	tcase_add_checked_fixture(text, setup, teardown);
	tcase_add_test(text, test_fixture_findings);
	tcase_add_test(text, test_text_plain);
	tcase_add_test(text, test_text_order);
	tcase_add_test(text, test_text_color);
	tcase_add_test(text, test_text_no_findings);
	tcase_add_test(text, test_text_quiet);
	tcase_add_test(text, test_text_several);
	tcase_add_test(text, test_text_format_matches_writer);
	suite_add_tcase(s, text);

	tcase_add_checked_fixture(json, setup, teardown);
	tcase_add_test(json, test_json_fields);
	tcase_add_test(json, test_json_escaping);
	tcase_add_test(json, test_json_urdu);
	tcase_add_test(json, test_json_several);
	tcase_add_test(json, test_json_empty_writer);
	tcase_add_test(json, test_jsonl);
	tcase_add_test(json, test_jsonl_streams);
	suite_add_tcase(s, json);

	tcase_add_checked_fixture(svrl, setup, teardown);
	tcase_add_test(svrl, test_svrl_structure);
	tcase_add_test(svrl, test_svrl_locations);
	tcase_add_test(svrl, test_svrl_several_and_urdu);
	suite_add_tcase(s, svrl);

	tcase_add_checked_fixture(misc, setup, teardown);
	tcase_add_test(misc, test_lang_selection);
	tcase_add_test(misc, test_lang_region_falls_back);
	tcase_add_test(misc, test_error_text);
	tcase_add_test(misc, test_error_json);
	tcase_add_test(misc, test_error_jsonl);
	tcase_add_test(misc, test_error_svrl);
	tcase_add_test(misc, test_error_only);
	tcase_add_test(misc, test_sink_fails_streaming);
	tcase_add_test(misc, test_sink_fails_at_finish);
	tcase_add_test(misc, test_sink_fails_later);
	tcase_add_test(misc, test_writer_bad_arguments);
	tcase_add_test(misc, test_report_outlives_rules);
	tcase_add_test(misc, test_eval_error_all_formats);
	tcase_add_test(misc, test_svrl_name_with_newline);

	suite_add_tcase(s, misc);

	/* known bugs: no fixture (see render_named) */
	tcase_add_test(bugs, test_svrl_name_with_control_char);
	tcase_add_test(bugs, test_svrl_name_not_utf8);
	tcase_add_test(bugs, test_json_name_not_utf8);
	tcase_add_test(bugs, test_terminal_controls_escaped);
	suite_add_tcase(s, bugs);
	return s;
}

int main(void)
{
	int failed = tu_run_suite(suite());

	xmlCleanupParser();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
