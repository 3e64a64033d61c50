/* rahdari tests: a small strict JSON reader, to read back what the library writes and
 * the shared corpora's vector files. Header only (static functions), so that any test
 * program can include it without a build change.
 *
 * Strict RFC 8259: one value, optional white space around it, nothing after it; strings
 * with every escape (\uXXXX, surrogate pairs joined) decoded to UTF-8; numbers kept as
 * doubles. Nesting is limited to 64 levels. Not fast, not meant to be.
 * SPDX-License-Identifier: MIT */
#ifndef RD_MINIJSON_H
#define RD_MINIJSON_H

#include <stdlib.h>
#include <string.h>

typedef enum mj_type { MJ_NULL, MJ_BOOL, MJ_NUMBER, MJ_STRING, MJ_ARRAY, MJ_OBJECT } mj_type;

typedef struct mj_value {
	mj_type type;
	int boolean;
	double number;
	char *string;            /* MJ_STRING: decoded, NUL-terminated (may hold NULs: see len) */
	size_t len;              /* MJ_STRING: length in bytes */
	struct mj_value **items; /* MJ_ARRAY and MJ_OBJECT: the values */
	char **keys;             /* MJ_OBJECT: the member names */
	size_t count;
} mj_value;

typedef struct mj_parser {
	const char *p, *end;
	const char *error; /* static text, set on failure */
	int depth;
} mj_parser;

static inline void mj_free(mj_value *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->count; i++) {
		mj_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
	free(v);
}

static inline void mj_skip_ws(mj_parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static inline mj_value *mj_new(mj_type t)
{
	mj_value *v = calloc(1, sizeof *v);

	if (v)
		v->type = t;
	return v;
}

static inline int mj_hex4(const char *s, unsigned int *out)
{
	unsigned int u = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		u <<= 4;
		if (c >= '0' && c <= '9')
			u |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			u |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			u |= (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	*out = u;
	return 0;
}

/* Append code point cp as UTF-8 to buf (room for 4 more bytes is guaranteed by caller). */
static inline size_t mj_put_utf8(char *buf, unsigned int cp)
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

/* A string starting at the opening quote; returns a malloc'd buffer and its length. */
static inline char *mj_string(mj_parser *ps, size_t *outlen)
{
	const char *s = ps->p + 1;
	size_t cap = 16, n = 0;
	char *buf = malloc(cap);

	if (buf == NULL) {
		ps->error = "out of memory";
		return NULL;
	}
	while (s < ps->end && *s != '"') {
		unsigned char c = (unsigned char)*s;

		if (n + 5 > cap) {
			char *nb;

			cap *= 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				ps->error = "out of memory";
				return NULL;
			}
			buf = nb;
		}
		if (c < 0x20) {
			free(buf);
			ps->error = "control character in a string";
			return NULL;
		}
		if (c != '\\') {
			buf[n++] = (char)c;
			s++;
			continue;
		}
		if (s + 1 >= ps->end) {
			free(buf);
			ps->error = "unterminated escape";
			return NULL;
		}
		switch (s[1]) {
		case '"': buf[n++] = '"'; s += 2; break;
		case '\\': buf[n++] = '\\'; s += 2; break;
		case '/': buf[n++] = '/'; s += 2; break;
		case 'b': buf[n++] = '\b'; s += 2; break;
		case 'f': buf[n++] = '\f'; s += 2; break;
		case 'n': buf[n++] = '\n'; s += 2; break;
		case 'r': buf[n++] = '\r'; s += 2; break;
		case 't': buf[n++] = '\t'; s += 2; break;
		case 'u': {
			unsigned int cp, lo;

			if (ps->end - s < 6 || mj_hex4(s + 2, &cp) < 0) {
				free(buf);
				ps->error = "bad \\u escape";
				return NULL;
			}
			s += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (ps->end - s < 6 || s[0] != '\\' || s[1] != 'u' ||
				    mj_hex4(s + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
					free(buf);
					ps->error = "lone high surrogate";
					return NULL;
				}
				s += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				free(buf);
				ps->error = "lone low surrogate";
				return NULL;
			}
			n += mj_put_utf8(buf + n, cp);
			break;
		}
		default:
			free(buf);
			ps->error = "unknown escape";
			return NULL;
		}
	}
	if (s >= ps->end) {
		free(buf);
		ps->error = "unterminated string";
		return NULL;
	}
	buf[n] = '\0';
	ps->p = s + 1;
	*outlen = n;
	return buf;
}

static inline int mj_append(mj_value *v, mj_value *item, char *key)
{
	mj_value **ni = realloc(v->items, (v->count + 1) * sizeof *ni);

	if (ni == NULL)
		return -1;
	v->items = ni;
	if (v->type == MJ_OBJECT) {
		char **nk = realloc(v->keys, (v->count + 1) * sizeof *nk);

		if (nk == NULL)
			return -1;
		v->keys = nk;
		v->keys[v->count] = key;
	}
	v->items[v->count++] = item;
	return 0;
}

static inline mj_value *mj_value_at(mj_parser *ps);

static inline mj_value *mj_container(mj_parser *ps, int object)
{
	mj_value *v = mj_new(object ? MJ_OBJECT : MJ_ARRAY);
	char close = object ? '}' : ']';

	if (v == NULL) {
		ps->error = "out of memory";
		return NULL;
	}
	if (++ps->depth > 64) {
		ps->error = "nested too deeply";
		mj_free(v);
		return NULL;
	}
	ps->p++;
	mj_skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		mj_value *item;

		mj_skip_ws(ps);
		if (object) {
			size_t kl;

			if (ps->p >= ps->end || *ps->p != '"') {
				ps->error = "expected a member name";
				mj_free(v);
				return NULL;
			}
			key = mj_string(ps, &kl);
			if (key == NULL) {
				mj_free(v);
				return NULL;
			}
			mj_skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				ps->error = "expected ':'";
				free(key);
				mj_free(v);
				return NULL;
			}
			ps->p++;
		}
		item = mj_value_at(ps);
		if (item == NULL || mj_append(v, item, key) < 0) {
			if (item && ps->error == NULL)
				ps->error = "out of memory";
			mj_free(item);
			free(key);
			mj_free(v);
			return NULL;
		}
		mj_skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return v;
		}
		ps->error = object ? "expected ',' or '}'" : "expected ',' or ']'";
		mj_free(v);
		return NULL;
	}
}

static inline mj_value *mj_number(mj_parser *ps)
{
	const char *s = ps->p;
	char tmp[64];
	size_t n;
	mj_value *v;

	if (s < ps->end && *s == '-')
		s++;
	if (s >= ps->end || !(*s >= '0' && *s <= '9')) {
		ps->error = "unexpected character";
		return NULL;
	}
	if (*s == '0')
		s++;
	else
		while (s < ps->end && *s >= '0' && *s <= '9')
			s++;
	if (s < ps->end && *s == '.') {
		s++;
		if (s >= ps->end || !(*s >= '0' && *s <= '9')) {
			ps->error = "bad number";
			return NULL;
		}
		while (s < ps->end && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < ps->end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < ps->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= ps->end || !(*s >= '0' && *s <= '9')) {
			ps->error = "bad number";
			return NULL;
		}
		while (s < ps->end && *s >= '0' && *s <= '9')
			s++;
	}
	n = (size_t)(s - ps->p);
	if (n >= sizeof tmp) {
		ps->error = "number too long";
		return NULL;
	}
	memcpy(tmp, ps->p, n);
	tmp[n] = '\0';
	v = mj_new(MJ_NUMBER);
	if (v == NULL) {
		ps->error = "out of memory";
		return NULL;
	}
	v->number = strtod(tmp, NULL);
	ps->p = s;
	return v;
}

static inline mj_value *mj_literal(mj_parser *ps, const char *word, mj_type t, int b)
{
	size_t n = strlen(word);
	mj_value *v;

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
		ps->error = "unexpected character";
		return NULL;
	}
	v = mj_new(t);
	if (v == NULL) {
		ps->error = "out of memory";
		return NULL;
	}
	v->boolean = b;
	ps->p += n;
	return v;
}

static inline mj_value *mj_value_at(mj_parser *ps)
{
	mj_skip_ws(ps);
	if (ps->p >= ps->end) {
		ps->error = "unexpected end";
		return NULL;
	}
	switch (*ps->p) {
	case '{': return mj_container(ps, 1);
	case '[': return mj_container(ps, 0);
	case '"': {
		mj_value *v = mj_new(MJ_STRING);

		if (v == NULL) {
			ps->error = "out of memory";
			return NULL;
		}
		v->string = mj_string(ps, &v->len);
		if (v->string == NULL) {
			free(v);
			return NULL;
		}
		return v;
	}
	case 't': return mj_literal(ps, "true", MJ_BOOL, 1);
	case 'f': return mj_literal(ps, "false", MJ_BOOL, 0);
	case 'n': return mj_literal(ps, "null", MJ_NULL, 0);
	default: return mj_number(ps);
	}
}

/* Parse @len bytes of @text as one JSON value. NULL on error, with a static message in
 * *error (when error is not NULL). Free the result with mj_free(). */
static inline mj_value *mj_parse(const char *text, size_t len, const char **error)
{
	mj_parser ps;
	mj_value *v;

	ps.p = text;
	ps.end = text + len;
	ps.error = NULL;
	ps.depth = 0;
	v = mj_value_at(&ps);
	if (v != NULL) {
		mj_skip_ws(&ps);
		if (ps.p != ps.end) {
			ps.error = "text after the value";
			mj_free(v);
			v = NULL;
		}
	}
	if (error)
		*error = ps.error;
	return v;
}

/* Member @key of an object, or NULL (also when v is not an object). */
static inline const mj_value *mj_get(const mj_value *v, const char *key)
{
	size_t i;

	if (v == NULL || v->type != MJ_OBJECT)
		return NULL;
	for (i = 0; i < v->count; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

/* Item @i of an array, or NULL. */
static inline const mj_value *mj_at(const mj_value *v, size_t i)
{
	if (v == NULL || v->type != MJ_ARRAY || i >= v->count)
		return NULL;
	return v->items[i];
}

/* The string of a string value, or NULL for anything else. */
static inline const char *mj_str(const mj_value *v)
{
	return v && v->type == MJ_STRING ? v->string : NULL;
}

/* Shortcut: the string member @key of object @v, or NULL. */
static inline const char *mj_get_str(const mj_value *v, const char *key)
{
	return mj_str(mj_get(v, key));
}

/* 1 when @v is a boolean true, 0 when false, -1 otherwise. */
static inline int mj_bool(const mj_value *v)
{
	return v && v->type == MJ_BOOL ? v->boolean : -1;
}

/* The number of items of an array or members of an object, 0 otherwise. */
static inline size_t mj_count(const mj_value *v)
{
	return v && (v->type == MJ_ARRAY || v->type == MJ_OBJECT) ? v->count : 0;
}

#endif
