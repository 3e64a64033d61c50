/* rahdari tests: streaming audits (rd_audit_file, rd_audit_fd, rd_audit_memory) and the
 * record writer (rd_writer_add_record).
 *
 * What a record is (children of the root; a submission's bookings, with the envelope's
 * agency carried into those without one; --record NAME at any depth), what reaches it
 * (the namespaces declared outside it, its line numbers in the file, CDATA, comments,
 * entities, attributes with '>' and quotes, records split across read chunks, CRLF, a BOM),
 * that every record's findings are those of rd_check() on the record saved alone, that the
 * callback sees the records in input order in the calling thread whatever the number of
 * jobs, that it can stop the audit, what happens when the file is malformed part-way or
 * refused, the facets, the progress callback, the json and jsonl record writers, and the
 * other sources (a pipe, memory, standard input).
 *
 * Everything the library hands out is freed before the assertions that use it, so that
 * CK_FORK=no valgrind --leak-check=full stays clean on success.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "minijson.h"

/* ---------------------------------------------------------------- a string builder */

typedef struct sb {
	char *s;
	size_t len, cap;
} sb;

static void sb_add(sb *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		ck_assert_ptr_nonnull(b->s);
		b->cap = cap;
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sb *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		ck_assert_ptr_nonnull(big);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(b, big, (size_t)n);
		free(big);
	}
}

/* The text built (never NULL); the builder is left empty. */
static char *sb_take(sb *b)
{
	char *s = b->s;

	if (s == NULL) {
		s = strdup("");
		ck_assert_ptr_nonnull(s);
	}
	memset(b, 0, sizeof *b);
	return s;
}

static char *xstrdup(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	ck_assert_ptr_nonnull(d);
	return d;
}

/* Under valgrind or the sanitizers, ten to fifty times slower: smaller inputs. */
/* ThreadSanitizer (configure --enable-tsan) runs the code ten times slower or more, and
 * starts a thread of its own at the first pthread_create of a process. */
static int tsan_build(void)
{
	const char *tsan = getenv("RD_TSAN");

	return tsan != NULL && strcmp(tsan, "yes") == 0;
}

static int slow_build(void)
{
	const char *san = getenv("RD_SANITIZERS");

	return getenv("RD_UNDER_VALGRIND") != NULL || (san != NULL && strcmp(san, "yes") == 0) ||
	       tsan_build();
}

/* ---------------------------------------------------------------- findings as text */

#define AGENCY_PATH "/d:booking[1]/d:agency[1]"

/* One line per finding: kind|rule|severity|line|location|message|document. A finding on
 * the agency of a booking whose line is env_line (the envelope's agency, carried) or, when
 * carried is set, any finding on the booking's agency, shows its line as ENV: the carried
 * agency keeps its line in the file, the agency pasted into a record saved alone cannot. */
static char *fmt_findings(const rd_report *r, long env_line, int carried)
{
	sb b = { 0 };
	size_t i, n = rd_report_count(r);

	for (i = 0; i < n; i++) {
		const rd_finding *f = rd_report_finding(r, i);
		const char *loc = rd_finding_get(f, RD_FIELD_LOCATION);
		const char *msg = rd_finding_get(f, RD_FIELD_MESSAGE);
		const char *doc = rd_finding_get(f, RD_FIELD_DOCUMENT);
		const char *id = rd_finding_get(f, RD_FIELD_RULE);
		long line = rd_finding_line(f);
		int on_agency = loc && strncmp(loc, AGENCY_PATH, strlen(AGENCY_PATH)) == 0;

		sb_printf(&b, "%s|%s|%s|", rd_kind_name(rd_finding_kind(f)), id ? id : "-",
		          rd_severity_name(rd_finding_severity(f)));
		if (on_agency && (carried || (env_line > 0 && line == env_line)))
			sb_puts(&b, "ENV");
		else
			sb_printf(&b, "%ld", line);
		sb_printf(&b, "|%s|%s|%s\n", loc ? loc : "-", msg ? msg : "-", doc ? doc : "-");
	}
	return sb_take(&b);
}

/* ---------------------------------------------------------------- collecting records */

typedef struct rec {
	uint64_t index;
	char *id, *element, *findings, *facets, *docname, *rootname, *rootns;
	long line;
	size_t nfindings;
	int max_severity;
} rec;

typedef struct coll {
	rec *v;
	size_t n, cap;
	size_t calls;
	size_t stop_after; /* non-zero: return stop_rc from that call on */
	int stop_rc;
	pthread_t self;
	int wrong_thread, out_of_order, bad_facets;
	long env_line;     /* see fmt_findings */
	size_t nfacets;
	/* progress */
	size_t pcalls;
	int pbad, pwrong_thread;
	uint64_t plast_read, plast_total, plast_records, pfirst_total;
	/* a writer that takes each record */
	rd_writer *w;
	int wrc;
} coll;

static void coll_init(coll *c)
{
	memset(c, 0, sizeof *c);
	c->self = pthread_self();
	c->env_line = -1;
}

static void coll_free(coll *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].element);
		free(c->v[i].findings);
		free(c->v[i].facets);
		free(c->v[i].docname);
		free(c->v[i].rootname);
		free(c->v[i].rootns);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static int on_rec(const rd_audit_record *r, void *payload)
{
	coll *c = payload;
	rec *e;
	sb f = { 0 };
	size_t i;

	c->calls++;
	if (!pthread_equal(pthread_self(), c->self))
		c->wrong_thread = 1;
	if (r->index != c->n)
		c->out_of_order = 1;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		ck_assert_ptr_nonnull(c->v);
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof *e);
	e->index = r->index;
	e->id = xstrdup(r->id);
	e->element = xstrdup(r->element);
	e->line = r->line;
	e->findings = fmt_findings(r->report, c->env_line, 0);
	e->nfindings = rd_report_count(r->report);
	e->max_severity = rd_report_max_severity(r->report);
	if (r->nfacets != c->nfacets || (r->nfacets && r->facets == NULL))
		c->bad_facets = 1;
	for (i = 0; i < r->nfacets && r->facets; i++) {
		if (r->facets[i] == NULL)
			c->bad_facets = 1;
		sb_printf(&f, "%s%s", i ? "|" : "", r->facets[i] ? r->facets[i] : "(null)");
	}
	e->facets = sb_take(&f);
	if (r->document) {
		e->docname = xstrdup(rd_document_name(r->document));
		e->rootname = xstrdup(rd_document_root_name(r->document));
		e->rootns = xstrdup(rd_document_root_namespace(r->document));
	}
	if (c->w && c->wrc == RD_OK)
		c->wrc = rd_writer_add_record(c->w, r);
	if (c->stop_after && c->calls >= c->stop_after)
		return c->stop_rc;
	return 0;
}

static void on_prog(const rd_audit_progress *p, void *payload)
{
	coll *c = payload;

	if (!pthread_equal(pthread_self(), c->self))
		c->pwrong_thread = 1;
	if (c->pcalls == 0)
		c->pfirst_total = p->bytes_total;
	else if (p->bytes_read < c->plast_read || p->records < c->plast_records ||
	         p->bytes_total != c->plast_total)
		c->pbad = 1;
	c->pcalls++;
	c->plast_read = p->bytes_read;
	c->plast_total = p->bytes_total;
	c->plast_records = p->records;
}

/* The collected records as one string: "index id element line [facets]" per record and,
 * when with_findings, their findings. */
static char *coll_summary(const coll *c, int with_findings)
{
	sb b = { 0 };
	size_t i;

	for (i = 0; i < c->n; i++) {
		const rec *e = &c->v[i];

		sb_printf(&b, "%llu %s %s %ld [%s]\n", (unsigned long long)e->index,
		          e->id ? e->id : "(none)", e->element ? e->element : "(none)", e->line,
		          e->facets);
		if (with_findings)
			sb_puts(&b, e->findings);
	}
	return sb_take(&b);
}

/* Ids of the records, space-separated ("-" for a record without id). */
static char *coll_ids(const coll *c)
{
	sb b = { 0 };
	size_t i;

	for (i = 0; i < c->n; i++)
		sb_printf(&b, "%s%s", i ? " " : "", c->v[i].id ? c->v[i].id : "-");
	return sb_take(&b);
}

/* ---------------------------------------------------------------- running audits */

/* An error as it was right after an audit (rd_error_last() copied). */
typedef struct err {
	int code;
	char *message, *file;
	int line, column;
} err;

static void err_take(err *e, int rc)
{
	const rd_error *le = rd_error_last();

	e->code = rc;
	e->message = rc == RD_OK ? NULL : xstrdup(le->message);
	e->file = rc == RD_OK ? NULL : xstrdup(le->file);
	e->line = le->line;
	e->column = le->column;
}

static void err_free(err *e)
{
	free(e->message);
	free(e->file);
	memset(e, 0, sizeof *e);
}

static int audit_mem(const rd_rules *rules, const char *xml, size_t len, const char *name,
                     const rd_audit_options *o, coll *c, rd_audit_progress *stats)
{
	c->nfacets = o ? o->nfacets : 0;
	return rd_audit_memory(rules, xml, len, name, o, on_rec, on_prog, c, stats);
}

static int audit_file(const rd_rules *rules, const char *path, const rd_audit_options *o,
                      coll *c, rd_audit_progress *stats)
{
	c->nfacets = o ? o->nfacets : 0;
	return rd_audit_file(rules, path, o, on_rec, on_prog, c, stats);
}

/* A schema that reports once on each record's root element: its local name and id. */
#define ROOT_RULE                                                                           \
	SCH_OPEN "<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"                             \
	"<sch:pattern><sch:rule context='/*'><sch:report id='ROOT' test='true()'>"          \
	"<sch:value-of select='local-name()'/>=<sch:value-of select='@id'/></sch:report>"   \
	"</sch:rule></sch:pattern>" SCH_CLOSE

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	sb b = { 0 };
	char buf[65536];
	size_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&b, buf, n);
	fclose(f);
	*len = b.len;
	return sb_take(&b);
}

static char *write_bytes(const char *dir, const char *name, const char *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	FILE *f;

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

static long line_at(const char *text, size_t off)
{
	long line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* ---------------------------------------------------------------- generated submissions */

static uint64_t rng_state;

static unsigned int rnd(unsigned int n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned int)((rng_state >> 33) % n) : 0;
}

/* A submission of n bookings in urn:rahdari:doc:1 (default namespace on the root), with an
 * envelope agency (licence env_licence, or none when NULL), some bookings without an agency
 * of their own, some with an agency without licence, invalid dates, passports that expire
 * too soon, large cash payments, minors alone, CDATA remarks that look like markup,
 * comments between bookings and start tags over several lines: findings of the starter
 * pack here and there. Deterministic. */
static char *gen_submission(size_t n, const char *env_licence, unsigned int seed)
{
	sb b = { 0 };
	size_t i;

	rng_state = seed;
	sb_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	            "<!-- generated by check_audit.c -->\n"
	            "<submission xmlns=\"urn:rahdari:doc:1\" id=\"SUB-TEST\"\n"
	            "            period-from=\"2026-10-01\" period-to=\"2026-11-27\">\n");
	if (env_licence)
		sb_printf(&b, "  <agency name=\"Envelope Travels\" licence=\"%s\" province=\"PK-PB\"/>\n",
		          env_licence);
	else
		sb_puts(&b, "  <agency name=\"Envelope Travels\" province=\"PK-PB\"/>\n");
	for (i = 0; i < n; i++) {
		unsigned int kind = rnd(20), npass = 1 + rnd(3), p;
		int one_way = rnd(5) == 0;

		if (rnd(7) == 0)
			sb_printf(&b, "  <!-- booking %zu follows: <booking id=\"fake\"/> -->\n", i + 1);
		if (rnd(6) == 0)
			sb_printf(&b, "  <booking\n      id=\"BK-%06zu\"\n      created=\"2026-10-%02u\">\n", i + 1,
			          1 + rnd(28));
		else
			sb_printf(&b, "  <booking id=\"BK-%06zu\" created=\"2026-10-%02u\">\n", i + 1, 1 + rnd(28));
		if (kind < 4) {
			/* no agency: the envelope's */
		} else if (kind < 6) {
			sb_printf(&b, "    <agency name=\"No Licence %u\" office=\"O-%u\"/>\n", rnd(5), rnd(3));
		} else {
			sb_printf(&b, "    <agency name=\"Agency %u\" licence=\"PB-LHR-20%02u-%04u\" office=\"LHR-%02u\"/>\n",
			          kind, 10 + rnd(15), rnd(9999), rnd(5));
		}
		sb_puts(&b, "    <service type=\"air-ticket\" field=\"a\"/>\n");
		for (p = 1; p <= npass; p++) {
			unsigned int year = rnd(10) == 0 ? 2012 : 1960 + rnd(45);
			const char *bd = rnd(15) == 0 ? "-02-30" : "-05-17";

			sb_printf(&b, "    <passenger id=\"P%u\">\n", p);
			sb_printf(&b, "      <surname>NAME%u</surname>\n      <given-names>GIVEN &amp; %u</given-names>\n",
			          rnd(100), p);
			sb_printf(&b, "      <birth-date>%u%s</birth-date>\n", year, bd);
			sb_printf(&b, "      <sex>%s</sex>\n      <nationality>PAK</nationality>\n",
			          rnd(2) ? "M" : "F");
			sb_printf(&b, "      <passport number=\"AB%07u\" issuing-state=\"PAK\" issue-date=\"2020-01-01\""
			              " expiry-date=\"%s\"/>\n",
			          rnd(9999999), rnd(6) == 0 ? "2027-02-01" : "2030-01-01");
			sb_printf(&b, "      <visa country=\"ARE\" category=\"%s\" valid-from=\"2026-11-01\""
			              " valid-until=\"2027-03-01\"/>\n",
			          rnd(3) ? "VISIT" : "WORK");
			sb_puts(&b, "    </passenger>\n");
		}
		sb_puts(&b, "    <segment carrier=\"EK\" flight=\"EK623\" from=\"LHE\" to=\"DXB\""
		            " departure=\"2026-12-01T04:50\" arrival=\"2026-12-01T07:10\"/>\n");
		if (!one_way)
			sb_puts(&b, "    <segment carrier=\"EK\" flight=\"EK622\" from=\"DXB\" to=\"LHE\""
			            " departure=\"2026-12-20T22:10\" arrival=\"2026-12-21T02:30\"/>\n");
		sb_printf(&b, "    <payment payer=\"P1\" method=\"%s\" amount=\"%u\" currency=\"PKR\"/>\n",
		          rnd(8) == 0 ? "CASH" : "CARD", rnd(4) == 0 ? 900000 : 150000);
		if (rnd(5) == 0)
			sb_puts(&b, "    <remark><![CDATA[ </booking> <booking id=\"x\"> & < ]]></remark>\n");
		sb_puts(&b, "  </booking>\n");
	}
	sb_puts(&b, "</submission>\n");
	return sb_take(&b);
}

/* ---------------------------------------------------------------- splitting a submission */

typedef struct piece {
	size_t start, tag_end, end; /* '<' of the start tag, after its '>', after the end tag */
	long line;
	int empty;
} piece;

static size_t skip_markup(const char *t, size_t len, size_t i)
{
	const char *end = NULL;

	if (len - i >= 4 && memcmp(t + i, "<!--", 4) == 0)
		end = strstr(t + i + 4, "-->"), end = end ? end + 3 : NULL;
	else if (len - i >= 9 && memcmp(t + i, "<![CDATA[", 9) == 0)
		end = strstr(t + i + 9, "]]>"), end = end ? end + 3 : NULL;
	else if (len - i >= 2 && memcmp(t + i, "<?", 2) == 0)
		end = strstr(t + i + 2, "?>"), end = end ? end + 2 : NULL;
	return end ? (size_t)(end - t) : i;
}

static int name_at(const char *t, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);

	return len - i > n + 1 && memcmp(t + i, name, n) == 0 &&
	       strchr(" \t\r\n/>", t[i + n]) != NULL;
}

/* After the '>' of the tag that starts at i (quotes respected). */
static size_t tag_end(const char *t, size_t len, size_t i)
{
	char q = 0;

	for (; i < len; i++) {
		if (q) {
			if (t[i] == q)
				q = 0;
		} else if (t[i] == '"' || t[i] == '\'') {
			q = t[i];
		} else if (t[i] == '>') {
			return i + 1;
		}
	}
	ck_abort_msg("unterminated tag");
	return len;
}

/* The bookings of a submission (not nested; CDATA, comments and PIs skipped). */
static piece *split_bookings(const char *t, size_t len, size_t *count, size_t *env_start,
                             size_t *env_end)
{
	piece *v = NULL;
	size_t n = 0, cap = 0, i = 0;

	*env_start = *env_end = 0;
	while (i < len) {
		size_t j;

		if (t[i] != '<') {
			i++;
			continue;
		}
		j = skip_markup(t, len, i);
		if (j != i) {
			i = j;
			continue;
		}
		if (n == 0 && *env_end == 0 && name_at(t, len, i + 1, "agency")) {
			*env_start = i;
			*env_end = tag_end(t, len, i);
			ck_assert_msg(t[*env_end - 2] == '/', "the envelope agency must be an empty element");
			i = *env_end;
			continue;
		}
		if (name_at(t, len, i + 1, "booking")) {
			piece p;

			p.start = i;
			p.tag_end = tag_end(t, len, i);
			p.line = line_at(t, i);
			p.empty = t[p.tag_end - 2] == '/';
			i = p.tag_end;
			if (!p.empty) {
				for (;;) {
					ck_assert_msg(i < len, "unterminated booking");
					if (t[i] == '<') {
						j = skip_markup(t, len, i);
						if (j != i) {
							i = j;
							continue;
						}
						if (len - i >= 10 && memcmp(t + i, "</booking", 9) == 0 &&
						    strchr(" \t\r\n>", t[i + 9])) {
							i = tag_end(t, len, i);
							break;
						}
					}
					i++;
				}
			}
			p.end = i;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = realloc(v, cap * sizeof *v);
				ck_assert_ptr_nonnull(v);
			}
			v[n++] = p;
			continue;
		}
		i++;
	}
	*count = n;
	return v;
}

static int has_own_agency(const char *t, const piece *p)
{
	size_t i;

	for (i = p->tag_end; i + 8 < p->end; i++) {
		if (t[i] == '<') {
			size_t j = skip_markup(t, p->end, i);

			if (j != i) {
				i = j - 1;
				continue;
			}
			if (name_at(t, p->end, i + 1, "agency"))
				return 1;
		}
	}
	return 0;
}

/* The booking saved alone: its start tag on its line in the file (blank lines before it),
 * the namespace declared on it, and the envelope's agency pasted in when it has none. */
static char *alone_text(const char *t, const piece *p, const char *env, size_t envlen,
                        int carry)
{
	sb b = { 0 };
	long i;

	for (i = 1; i < p->line; i++)
		sb_puts(&b, "\n");
	sb_puts(&b, "<booking xmlns=\"urn:rahdari:doc:1\"");
	if (!carry) {
		sb_add(&b, t + p->start + 8, p->end - p->start - 8);
	} else if (p->empty) {
		sb_add(&b, t + p->start + 8, p->tag_end - 2 - p->start - 8);
		sb_puts(&b, ">");
		sb_add(&b, env, envlen);
		sb_puts(&b, "</booking>");
	} else {
		sb_add(&b, t + p->start + 8, p->tag_end - p->start - 8);
		sb_add(&b, env, envlen);
		sb_add(&b, t + p->tag_end, p->end - p->tag_end);
	}
	return sb_take(&b);
}

/* Check that the audit of the submission at path gives, record by record, the findings of
 * rd_check on each booking saved alone (the envelope's agency pasted in where it lacks
 * one), with the lines of the file. Returns the number of records compared. */
static size_t compare_with_alone(const rd_rules *rules, const char *path,
                                 const rd_check_options *co, unsigned int jobs)
{
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t len, npieces, env_start, env_end, i, carried = 0;
	char *text = read_all(path, &len);
	piece *pieces = split_bookings(text, len, &npieces, &env_start, &env_end);
	char **expected = calloc(npieces + 1, sizeof *expected);
	long env_line = env_end ? line_at(text, env_start) : -1;
	coll c;
	err e;
	int rc;

	ck_assert_ptr_nonnull(expected);
	ck_assert_uint_gt(npieces, 0);
	for (i = 0; i < npieces; i++) {
		int carry = env_end && !has_own_agency(text, &pieces[i]);
		char *alone = alone_text(text, &pieces[i], text + env_start, env_end - env_start, carry);
		rd_document *d = NULL;
		rd_report *r = NULL;
		int lrc = rd_document_load_memory(&d, alone, strlen(alone), path, NULL);

		ck_assert_msg(lrc == RD_OK, "booking %zu alone: %s", i + 1, rd_error_last()->message);
		lrc = rd_check(&r, rules, d, co);
		ck_assert_msg(lrc == RD_OK, "booking %zu alone: %s", i + 1, rd_error_last()->message);
		expected[i] = fmt_findings(r, -1, carry);
		carried += (size_t)carry;
		rd_report_free(r);
		rd_document_free(d);
		free(alone);
	}
	coll_init(&c);
	c.env_line = env_line;
	o.jobs = jobs;
	o.check = *co;
	rc = audit_file(rules, path, &o, &c, NULL);
	err_take(&e, rc);
	ck_assert_msg(rc == RD_OK, "%s: %s", path, e.message);
	ck_assert_uint_eq(c.n, npieces);
	ck_assert_int_eq(c.out_of_order, 0);
	for (i = 0; i < npieces; i++) {
		ck_assert_int_eq(c.v[i].line, pieces[i].line);
		ck_assert_str_eq(c.v[i].element, "booking");
		ck_assert_msg(strcmp(c.v[i].findings, expected[i]) == 0,
		              "%s: booking %zu (line %ld), jobs %u:\naudit:\n%s\nalone:\n%s", path, i + 1,
		              pieces[i].line, jobs, c.v[i].findings, expected[i]);
	}
	for (i = 0; i < npieces; i++)
		free(expected[i]);
	free(expected);
	free(pieces);
	free(text);
	coll_free(&c);
	err_free(&e);
	return npieces * 1000 + carried; /* both, for the caller's sanity checks */
}

/* ================================================================ records */

START_TEST(test_children_of_root)
{
	static const char xml[] =
	        "<?xml version=\"1.0\"?>\n"          /* 1 */
	        "<root>\n"                           /* 2 */
	        "  <a id=\"1\"/>\n"                  /* 3 */
	        "  text between\n"                   /* 4 */
	        "  <b id=\"2\"><x/><x/></b>\n"       /* 5 */
	        "  <!-- <c id=\"no\"/> -->\n"        /* 6 */
	        "  <c\n"                             /* 7 */
	        "     id=\"3\"\n"                    /* 8 */
	        "  >y</c><d/>\n"                     /* 9 */
	        "</root>\n";
	static const char *const facets[] = { "local-name()", "count(*)", "string(.)", "count(/*)",
		                              "count(ancestor::*)" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	coll c;
	char *sum;
	int rc;

	o.facets = facets;
	o.nfacets = 5;
	o.jobs = 1;
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "kids.xml", &o, &c, &stats);
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 1);
	ck_assert_str_eq(sum, "0 1 a 3 [a|0||1|0]\n"
	                      "report|ROOT|warning|3|/a[1]|a=1|kids.xml\n"
	                      "1 2 b 5 [b|2||1|0]\n"
	                      "report|ROOT|warning|5|/b[1]|b=2|kids.xml\n"
	                      "2 3 c 7 [c|0|y|1|0]\n"
	                      "report|ROOT|warning|9|/c[1]|c=3|kids.xml\n"
	                      "3 (none) d 9 [d|0||1|0]\n"
	                      "report|ROOT|warning|9|/d[1]|d=|kids.xml\n");
	ck_assert_uint_eq(stats.records, 4);
	ck_assert_uint_eq(stats.bytes_read, strlen(xml));
	ck_assert_str_eq(c.v[0].docname, "kids.xml");
	ck_assert_str_eq(c.v[2].rootname, "c");
	ck_assert_ptr_null(c.v[2].rootns);
	ck_assert_int_eq(c.wrong_thread, 0);
	ck_assert_int_eq(c.bad_facets, 0);
	free(sum);
	coll_free(&c);
}
END_TEST

/* A submission and its records with facets that show what each record holds. */
static const char *const sub_facets[] = {
	"string(d:agency/@name)", "count(d:agency)", "local-name(*[1])", "namespace-uri()",
	"count(/d:submission)", "string(d:agency/@licence)"
};

static const char sub_xml[] =
        "<submission xmlns=\"urn:rahdari:doc:1\" id=\"S\">\n"                        /* 1 */
        "  <agency name=\"Env\" licence=\"ENV-1\"/>\n"                               /* 2 */
        "  <booking id=\"B1\"><agency name=\"Own\" licence=\"OWN-1\"/><service type=\"x\"/></booking>\n"
        "  <booking id=\"B2\"><service type=\"y\"/></booking>\n"                     /* 4 */
        "  <booking id=\"B3\"/>\n"                                                   /* 5 */
        "  <note id=\"N\">not a record</note>\n"                                     /* 6 */
        "  <booking id=\"B4\"><agency name=\"NoLic\"/></booking>\n"                  /* 7 */
        "</submission>\n";

START_TEST(test_submission_bookings_and_carry)
{
	rd_rules *rules = tu_starter();
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	coll c;
	char *sum;
	int rc;

	co.as_of = "2026-11-28";
	o.check = co;
	o.facets = sub_facets;
	o.nfacets = 6;
	coll_init(&c);
	rc = audit_mem(rules, sub_xml, strlen(sub_xml), "sub.xml", &o, &c, NULL);
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 0);
	/* bookings only; the envelope's agency in those without one, not in those with one */
	ck_assert_str_eq(sum, "0 B1 booking 3 [Own|1|agency|urn:rahdari:doc:1|0|OWN-1]\n"
	                      "1 B2 booking 4 [Env|1|agency|urn:rahdari:doc:1|0|ENV-1]\n"
	                      "2 B3 booking 5 [Env|1|agency|urn:rahdari:doc:1|0|ENV-1]\n"
	                      "3 B4 booking 7 [NoLic|1|agency|urn:rahdari:doc:1|0|]\n");
	/* the carried agency has a licence: no START-LIC-001; B4's own agency has none */
	ck_assert_msg(strstr(c.v[1].findings, "START-LIC-001") == NULL, "%s", c.v[1].findings);
	ck_assert_msg(strstr(c.v[2].findings, "START-LIC-001") == NULL, "%s", c.v[2].findings);
	ck_assert_contains(c.v[3].findings, "assert|START-LIC-001|error|7|/d:booking[1]|");
	ck_assert_str_eq(c.v[0].rootns, "urn:rahdari:doc:1");
	free(sum);
	coll_free(&c);
}
END_TEST

START_TEST(test_carry_options)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	coll c;
	char *sum;
	int rc;

	/* carry "" carries nothing */
	o.carry = "";
	o.facets = sub_facets;
	o.nfacets = 2;
	coll_init(&c);
	rc = audit_mem(rules, sub_xml, strlen(sub_xml), "sub.xml", &o, &c, NULL);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 0);
	ck_assert_str_eq(sum, "0 B1 booking 3 [Own|1]\n1 B2 booking 4 [|0]\n2 B3 booking 5 [|0]\n"
	                      "3 B4 booking 7 [NoLic|1]\n");
	free(sum);
	coll_free(&c);

	/* naming the records "booking" does not change what a submission carries (carry NULL:
	 * "agency" for a submission) */
	o.carry = NULL;
	o.record = "booking";
	coll_init(&c);
	rc = audit_mem(rules, sub_xml, strlen(sub_xml), "sub.xml", &o, &c, NULL);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 0);
	ck_assert_str_eq(sum, "0 B1 booking 3 [Own|1]\n1 B2 booking 4 [Env|1]\n2 B3 booking 5 [Env|1]\n"
	                      "3 B4 booking 7 [NoLic|1]\n");
	free(sum);
	coll_free(&c);

	/* another root: no carrying unless asked; asked, the named envelope elements */
	{
		static const char xml[] = "<batch>\n"
		                          "  <agency name=\"E\"/><meta v=\"m\"/><skip v=\"s\"/>\n"
		                          "  <rec id=\"r1\"><agency name=\"R\"/></rec>\n"
		                          "  <rec id=\"r2\"/>\n"
		                          "</batch>\n";
		static const char *const f2[] = { "string(agency/@name)", "string(meta/@v)",
			                          "string(skip/@v)", "local-name(*[1])" };

		o.record = "rec";
		o.carry = NULL;
		o.facets = f2;
		o.nfacets = 4;
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "batch.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_OK);
		sum = coll_summary(&c, 0);
		ck_assert_str_eq(sum, "0 r1 rec 3 [R|||agency]\n1 r2 rec 4 [|||]\n");
		free(sum);
		coll_free(&c);

		o.carry = "  agency   meta ";
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "batch.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_OK);
		sum = coll_summary(&c, 0);
		/* what is carried goes first, in the envelope's order */
		ck_assert_str_eq(sum, "0 r1 rec 3 [R|m||meta]\n1 r2 rec 4 [E|m||agency]\n");
		free(sum);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_prefixed_submission)
{
	/* the namespace under a prefix, declared on the root; a wrapper between the root and
	 * the bookings is not a booking */
	static const char xml[] =
	        "<s:submission xmlns:s=\"urn:rahdari:doc:1\" xmlns:ext=\"urn:ext\">\n"
	        "  <s:agency name=\"Env\" licence=\"L\"/>\n"
	        "  <s:booking id=\"B1\" ext:flag=\"yes\"><s:service type=\"a\"/><ext:x/></s:booking>\n"
	        "  <s:booking id=\"B2\"><s:agency name=\"Own\" licence=\"M\"/></s:booking>\n"
	        "</s:submission>\n";
	static const char *const facets[] = { "string(d:agency/@name)", "namespace-uri(*[local-name()='x'])",
		                              "string(@*[local-name()='flag'])",
		                              "namespace-uri(@*[local-name()='flag'])" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	coll c;
	char *sum;
	int rc;

	o.facets = facets;
	o.nfacets = 4;
	o.jobs = 2;
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "ps.xml", &o, &c, NULL);
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 1);
	ck_assert_str_eq(sum, "0 B1 booking 3 [Env|urn:ext|yes|urn:ext]\n"
	                      "report|ROOT|warning|3|/d:booking[1]|booking=B1|ps.xml\n"
	                      "1 B2 booking 4 [Own|||]\n"
	                      "report|ROOT|warning|4|/d:booking[1]|booking=B2|ps.xml\n");
	ck_assert_str_eq(c.v[0].rootns, "urn:rahdari:doc:1");
	free(sum);
	coll_free(&c);
}
END_TEST

START_TEST(test_namespaces_in_scope)
{
	static const char xml[] =
	        "<r:root xmlns:r=\"urn:r\" xmlns=\"urn:default\" xmlns:x=\"urn:x1\">\n"   /* 1 */
	        "  <r:wrap xmlns:y=\"urn:y\">\n"                                           /* 2 */
	        "    <r:mid xmlns:x=\"urn:x2\">\n"                                         /* 3 */
	        "      <item id=\"1\"><x:a/><y:b/><c/></item>\n"                           /* 4 */
	        "    </r:mid>\n"                                                           /* 5 */
	        "    <item id=\"2\"><x:a/><y:b/><c/></item>\n"                             /* 6 */
	        "  </r:wrap>\n"                                                            /* 7 */
	        "  <other xmlns=\"\">\n"                                                   /* 8 */
	        "    <item id=\"3\"><x:a/><c/></item>\n"                                   /* 9 */
	        "  </other>\n"                                                             /* 10 */
	        "  <item id=\"4\" xmlns:x=\"urn:x3\"><x:a/><c/></item>\n"                  /* 11 */
	        "  <item id=\"5\"><x:a/><r:z/></item>\n"                                   /* 12 */
	        "</r:root>\n";
	static const char *const facets[] = {
		"namespace-uri()", "namespace-uri(*[local-name()='a'])",
		"namespace-uri(*[local-name()='b'])", "namespace-uri(*[local-name()='c'])",
		"namespace-uri(*[local-name()='z'])"
	};
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	unsigned int jobs[] = { 1, 3 };
	size_t k;

	o.record = "item";
	o.facets = facets;
	o.nfacets = 5;
	for (k = 0; k < 2; k++) {
		coll c;
		char *sum;
		int rc;

		o.jobs = jobs[k];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "ns.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_OK);
		sum = coll_summary(&c, 0);
		ck_assert_str_eq(sum, "0 1 item 4 [urn:default|urn:x2|urn:y|urn:default|]\n"
		                      "1 2 item 6 [urn:default|urn:x1|urn:y|urn:default|]\n"
		                      "2 3 item 9 [|urn:x1|||]\n"
		                      "3 4 item 11 [urn:default|urn:x3||urn:default|]\n"
		                      "4 5 item 12 [urn:default|urn:x1|||urn:r]\n");
		ck_assert_str_eq(c.v[0].rootns, "urn:default");
		ck_assert_ptr_null(c.v[2].rootns);
		free(sum);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_record_name_deep_and_nested)
{
	static const char xml[] =
	        "<root>\n"                                                                  /* 1 */
	        " <g><h>\n"                                                                 /* 2 */
	        "  <item id=\"1\"><item id=\"1.1\"><item id=\"1.1.1\"/></item></item>\n"   /* 3 */
	        " </h></g>\n"                                                               /* 4 */
	        " <item id=\"2\"/>\n"                                                       /* 5 */
	        " <k><l><m><n>\n"                                                           /* 6 */
	        "   <item id=\"3\">t</item>\n"                                              /* 7 */
	        " </n></m></l></k>\n"                                                       /* 8 */
	        " <p:item xmlns:p=\"urn:p\" id=\"4\"/>\n"                                   /* 9 */
	        "</root>\n";
	static const char *const facets[] = { "count(.//*[local-name()='item'])", "string(.)",
		                              "count(ancestor::*)" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	coll c;
	char *sum;
	int rc;

	o.record = "item";
	o.facets = facets;
	o.nfacets = 3;
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "deep.xml", &o, &c, NULL);
	ck_assert_int_eq(rc, RD_OK);
	sum = coll_summary(&c, 1);
	/* the inner items are part of the outer one, never records of their own; any
	 * namespace */
	ck_assert_str_eq(sum, "0 1 item 3 [2||0]\n"
	                      "report|ROOT|warning|3|/item[1]|item=1|deep.xml\n"
	                      "1 2 item 5 [0||0]\n"
	                      "report|ROOT|warning|5|/item[1]|item=2|deep.xml\n"
	                      "2 3 item 7 [0|t|0]\n"
	                      "report|ROOT|warning|7|/item[1]|item=3|deep.xml\n"
	                      "3 4 item 9 [0||0]\n"
	                      "report|ROOT|warning|9|/*[local-name()='item' and "
	                      "namespace-uri()='urn:p'][1]|item=4|deep.xml\n");
	ck_assert_str_eq(c.v[3].rootns, "urn:p");
	free(sum);
	coll_free(&c);

	/* a record name that matches nothing: no records, no error */
	o.record = "nothing";
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "deep.xml", &o, &c, NULL);
	ck_assert_int_eq(rc, RD_OK);
	ck_assert_uint_eq(c.n, 0);
	coll_free(&c);

	/* the root itself is the record: everything is part of it */
	o.record = "root";
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "deep.xml", &o, &c, NULL);
	ck_assert_int_eq(rc, RD_OK);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(strncmp(c.v[0].facets, "6|", 2), 0); /* every item, at any depth */
	ck_assert_contains(c.v[0].facets, "   t\n");
	ck_assert_int_eq(strcmp(c.v[0].facets + strlen(c.v[0].facets) - 2, "|0"), 0);
	ck_assert_int_eq(c.v[0].line, 1);
	coll_free(&c);
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_markup_inside_records)
{
	static const char xml[] =
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                  /* 1 */
	        "<!-- before the root: <rec id=\"no\"/> -->\n"                                 /* 2 */
	        "<?pi before?>\n"                                                               /* 3 */
	        "<batch>\n"                                                                     /* 4 */
	        "<rec id=\"cdata\"><![CDATA[ <rec id=\"fake\"> & < ]]></rec>\n"                 /* 5 */
	        "<rec id=\"comment\"><!-- </rec> <rec id=\"no\"> --><v>1</v></rec>\n"          /* 6 */
	        "<!-- between: </batch> -->\n"                                                  /* 7 */
	        "<rec id=\"pi\"><?proc data > </rec> ?><v>2</v></rec>\n"                        /* 8 */
	        "<?between <rec/> ?>\n"                                                         /* 9 */
	        "<rec id=\"ent\" name=\"a&amp;b &#x6A9; &lt;\">x&amp;y&#x6A9;&#1705;&gt;</rec>\n" /* 10 */
	        "<rec id=\"attr\" a='x>\"y' b=\"it's &quot;q&quot; > &apos;\"/>\n"              /* 11 */
	        "<rec/>\n"                                                                      /* 12 */
	        "<rec id=\"empty\"></rec>\n"                                                    /* 13 */
	        "<rec id='q&apos;d' c=\"&#10;&#9;\">  <v\n a='>'\n/>\n</rec>\n"                  /* 14-17 */
	        "<rec id=\"last\"><![CDATA[]]></rec></batch>\n";                                /* 18 */
	static const char *const facets[] = { "string(.)", "string(@a)", "string(@b)", "string(@name)",
		                              "count(*)", "count(//comment())", "count(//processing-instruction())" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	unsigned int jobs[] = { 1, 4 };
	size_t k;

	o.facets = facets;
	o.nfacets = 7;
	for (k = 0; k < 2; k++) {
		coll c;
		char *sum;
		int rc;

		o.jobs = jobs[k];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "markup.xml", &o, &c, NULL);
		ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
		sum = coll_summary(&c, 0);
		ck_assert_str_eq(sum,
		                 "0 cdata rec 5 [ <rec id=\"fake\"> & < ||||0|0|0]\n"
		                 "1 comment rec 6 [1||||1|1|0]\n"
		                 "2 pi rec 8 [2||||1|0|1]\n"
		                 "3 ent rec 10 [x&y\xda\xa9\xda\xa9>|||a&b \xda\xa9 <|0|0|0]\n"
		                 "4 attr rec 11 [|x>\"y|it's \"q\" > '||0|0|0]\n"
		                 "5 (none) rec 12 [||||0|0|0]\n"
		                 "6 empty rec 13 [||||0|0|0]\n"
		                 "7 q'd rec 14 [  \n||||1|0|0]\n"
		                 "8 last rec 18 [||||0|0|0]\n");
		free(sum);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

/* A file of records of many sizes, some larger than the 256 KiB read chunk, so that
 * records start, end and straddle chunk boundaries anywhere. */
static char *gen_big(size_t *len, size_t *nrec, long **lines)
{
	static const size_t sizes[] = { 10, 200, 3000, 70000, 262144, 262150, 5, 400000, 1, 90000,
		                        700000, 33, 131072, 17 };
	sb b = { 0 };
	size_t i, k, n = sizeof sizes / sizeof sizes[0];
	/* under valgrind, one round of sizes (about 1.9 MB, still across many chunks) */
	size_t rounds = slow_build() ? 1 : 2;
	long line = 1;

	*lines = malloc(n * rounds * sizeof **lines);
	ck_assert_ptr_nonnull(*lines);
	sb_puts(&b, "<big>\n");
	line++;
	for (k = 0; k < rounds * n; k++) {
		size_t size = sizes[k % n] + k, children = 0;

		/* libxml2's push parser looks for the end of a long text node again with every
		 * chunk: the largest records cost minutes under the sanitizers */
		if (rounds == 1 && size > 300000)
			size /= 4;

		(*lines)[k] = line;
		sb_printf(&b, "<rec id=\"r%zu\" size=\"%zu\" note=\"%s\">", k, size, k % 3 ? "a>b" : "c'd");
		/* children every 100 bytes or so for half the records, one text node for the rest,
		 * a newline every 1,000 bytes */
		for (i = 0; i < size; i++) {
			if (k % 2 == 0 && i % 100 == 99) {
				sb_printf(&b, "<p n=\"%zu\"/>", ++children);
			} else if (i % 1000 == 999) {
				sb_puts(&b, "\n");
				line++;
			} else {
				sb_add(&b, &"abcdefghijklmnopqrstuvwxyz"[i % 26], 1);
			}
		}
		sb_puts(&b, "<end/></rec>\n");
		line++;
	}
	sb_puts(&b, "</big>\n");
	*nrec = rounds * n;
	*len = b.len;
	return sb_take(&b);
}

START_TEST(test_records_across_chunks)
{
	static const char *const facets[] = { "string(@size)", "count(p)", "string(p[last()]/@n)",
		                              "local-name(*[last()])", "string-length(translate(., '\n', ''))" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t len, n, k, j;
	long *lines;
	char *xml = gen_big(&len, &n, &lines);
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "big.xml", xml, len);
	unsigned int jobs[] = { 1, 3 };

	/* many read chunks, records across them */
	ck_assert_uint_gt(len, slow_build() ? 1024 * 1024 : 3 * 1024 * 1024);
	o.facets = facets;
	o.nfacets = 5;
	for (j = slow_build() ? 1 : 0; j < 2; j++) {
		rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
		coll c;
		int rc;

		o.jobs = jobs[j];
		coll_init(&c);
		rc = audit_file(rules, path, &o, &c, &stats);
		ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
		ck_assert_uint_eq(c.n, n);
		ck_assert_uint_eq(stats.bytes_read, len);
		for (k = 0; k < n; k++) {
			char want[200], id[32];
			size_t size = atol(c.v[k].facets), children = k % 2 == 0 ? size / 100 : 0;
			size_t newlines = k % 2 == 0 ? 0 : size / 1000;

			snprintf(id, sizeof id, "r%zu", k);
			ck_assert_str_eq(c.v[k].id, id);
			ck_assert_int_eq(c.v[k].line, lines[k]);
			if (children)
				snprintf(want, sizeof want, "%zu|%zu|%zu|end|%zu", size, children, children,
				         size - children - newlines);
			else
				snprintf(want, sizeof want, "%zu|0||end|%zu", size, size - newlines);
			ck_assert_msg(strcmp(c.v[k].facets, want) == 0, "record %zu: %s, expected %s", k,
			              c.v[k].facets, want);
			ck_assert_int_eq(strstr(c.v[k].findings, "|ROOT|warning|") != NULL, 1);
		}
		coll_free(&c);
	}
	rd_rules_free(rules);
	free(lines);
	free(xml);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_crlf_bom_declaration)
{
	static const char body[] =
	        "<root>\r\n"                              /* 2 */
	        "  <a id=\"1\" v=\"x\r\ny\"/>\r\n"        /* 3-4 */
	        "  <b\r\n"                                /* 5 */
	        "     id=\"2\">t\r\nu</b>\r\n"            /* 6-7 */
	        "  <c id=\"\xd8\xb1\xd8\xa7\xdb\x81\">\xda\xa9</c>\r\n"   /* 8 */
	        "</root>\r\n";
	static const char *const heads[] = {
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n",
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n",
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n",
		"\xef\xbb\xbf\r\n",
		"<?xml version='1.0'?>\r\n",
	};
	static const char *const facets[] = { "string(@v)", "string(.)" };
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t k;

	o.facets = facets;
	o.nfacets = 2;
	for (k = 0; k < sizeof heads / sizeof heads[0]; k++) {
		char xml[1024];
		coll c;
		char *sum;
		int rc;

		snprintf(xml, sizeof xml, "%s%s", heads[k], body);
		o.jobs = k % 2 ? 2 : 1;
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "crlf.xml", &o, &c, NULL);
		ck_assert_msg(rc == RD_OK, "head %zu: %s", k, rd_error_last()->message);
		sum = coll_summary(&c, 1);
		ck_assert_msg(strcmp(sum, "0 1 a 3 [x y|]\n"
		                          "report|ROOT|warning|4|/a[1]|a=1|crlf.xml\n"
		                          "1 2 b 5 [|t\nu]\n"
		                          "report|ROOT|warning|6|/b[1]|b=2|crlf.xml\n"
		                          "2 \xd8\xb1\xd8\xa7\xdb\x81 c 8 [|\xda\xa9]\n"
		                          "report|ROOT|warning|8|/c[1]|c=\xd8\xb1\xd8\xa7\xdb\x81|crlf.xml\n") == 0,
		              "head %zu:\n%s", k, sum);
		free(sum);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_other_encodings_refused)
{
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	                             "<root>\n  <a id=\"caf\xe9\">\xe9</a>\n  <b/>\n</root>\n";
	/* "<root><a/></root>" in UTF-16LE with its BOM */
	static const char utf16[] = "\xff\xfe<\0r\0o\0o\0t\0>\0<\0a\0/\0>\0<\0/\0r\0o\0o\0t\0>\0";
	rd_rules *rules = tu_rules(ROOT_RULE);
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "latin1.xml", latin1, sizeof latin1 - 1);
	coll c;
	err e;
	int rc;

	coll_init(&c);
	rc = audit_file(rules, path, NULL, &c, NULL);
	err_take(&e, rc);
	ck_assert_msg(rc == RD_EUNSUPPORTED, "%s: %s", rd_status_name(rc), e.message);
	ck_assert_uint_eq(c.calls, 0);
	ck_assert_contains(e.message, "ISO-8859-1");
	ck_assert_contains(e.message, "UTF-8");
	ck_assert_contains(e.message, "latin1.xml");
	err_free(&e);
	coll_free(&c);

	coll_init(&c);
	rc = audit_mem(rules, utf16, sizeof utf16 - 1, "utf16.xml", NULL, &c, NULL);
	err_take(&e, rc);
	ck_assert_msg(rc == RD_EUNSUPPORTED, "%s: %s", rd_status_name(rc), e.message);
	ck_assert_uint_eq(c.calls, 0);
	ck_assert_contains(e.message, "UTF-8");
	err_free(&e);
	coll_free(&c);

	/* ASCII is UTF-8: a file that says so is read */
	{
		static const char ascii[] = "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<root><a id=\"1\"/></root>\n";

		coll_init(&c);
		rc = audit_mem(rules, ascii, sizeof ascii - 1, "ascii.xml", NULL, &c, NULL);
		err_take(&e, rc);
		ck_assert_msg(rc == RD_OK, "encoding=\"US-ASCII\": %s: %s", rd_status_name(rc), e.message);
		ck_assert_uint_eq(c.n, 1);
		err_free(&e);
		coll_free(&c);
	}
	rd_rules_free(rules);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_big_line_numbers)
{
	/* lines past 65,535 (libxml2 keeps short line numbers unless asked not to) */
	rd_rules *rules = tu_rules(ROOT_RULE);
	sb b = { 0 };
	size_t i;
	coll c;
	char *xml;
	int rc;

	sb_puts(&b, "<root>\n<a id=\"1\"/>\n");
	for (i = 0; i < 70000; i++)
		sb_puts(&b, "\n");
	sb_puts(&b, "<a id=\"2\">\n<x/>\n</a>\n");     /* line 70003 */
	for (i = 0; i < 70000; i++)
		sb_puts(&b, "\n");
	sb_puts(&b, "<a id=\"3\"/>\n</root>\n");       /* line 140006 */
	xml = sb_take(&b);
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "lines.xml", NULL, &c, NULL);
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_int_eq(c.v[1].line, 70003);
	ck_assert_contains(c.v[1].findings, "report|ROOT|warning|70003|/a[1]|");
	ck_assert_int_eq(c.v[2].line, 140006);
	ck_assert_contains(c.v[2].findings, "report|ROOT|warning|140006|/a[1]|");
	coll_free(&c);
	free(xml);
}
END_TEST

/* ================================================================ equality with rd_check */

START_TEST(test_same_findings_as_alone_generated)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_rules *starter = tu_starter();
	rd_rules *pk = NULL;
	char *dir = tu_tmpdir();
	size_t n = slow_build() ? 16 : 250, got;
	char *xml = gen_submission(n, "PB-LHR-2019-0412", 7);
	char *path = tu_write(dir, "gen.xml", xml);
	char *xml2 = gen_submission(n / 2, NULL, 11);
	char *path2 = tu_write(dir, "gen-nolicence.xml", xml2);

	co.as_of = "2026-11-28";
	got = compare_with_alone(starter, path, &co, 1);
	ck_assert_uint_eq(got / 1000, n);
	ck_assert_uint_gt(got % 1000, 0); /* some bookings carried the envelope's agency */
	compare_with_alone(starter, path, &co, 4);
	got = compare_with_alone(starter, path2, &co, 3);
	ck_assert_uint_gt(got % 1000, 0);
	co.lang = "ur";
	compare_with_alone(starter, path2, &co, 2);
	co.lang = NULL;
	ck_assert_int_eq(rd_rules_load_default(&pk), RD_OK);
	compare_with_alone(pk, path, &co, 2);
	compare_with_alone(pk, path2, &co, 1);
	rd_rules_free(pk);
	rd_rules_free(starter);
	free(xml);
	free(xml2);
	free(path);
	free(path2);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_same_findings_as_alone_gen_submission_py)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_rules *starter = tu_starter();
	rd_rules *pk = NULL;
	char *dir = tu_tmpdir();
	char *gen = tu_srcpath("bench/gen_submission.py");
	char cmd[9000], path[4096];
	const char *py = getenv("PYTHON_TESTS");
	size_t n = slow_build() ? 20 : 300;

	if (py == NULL || py[0] == '\0')
		py = "python3";
	snprintf(path, sizeof path, "%s/gen300.xml", dir);
	snprintf(cmd, sizeof cmd, "'%s' '%s' %zu '%s' >/dev/null 2>&1", py, gen, n, path);
	if (system(cmd) != 0) {
		fprintf(stderr, "check_audit: %s did not run; the comparison with "
		                "bench/gen_submission.py is skipped\n", py);
	} else {
		co.as_of = "2026-11-28";
		ck_assert_uint_eq(compare_with_alone(starter, path, &co, 1) / 1000, n);
		compare_with_alone(starter, path, &co, 3);
		ck_assert_int_eq(rd_rules_load_default(&pk), RD_OK);
		compare_with_alone(pk, path, &co, 2);
		co.jurisdiction = "PK-PB";
		compare_with_alone(pk, path, &co, 1);
		rd_rules_free(pk);
	}
	rd_rules_free(starter);
	free(gen);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_same_findings_as_alone_example)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_rules *pk = NULL;
	char *path = tu_srcpath("examples/submissions/lahore-2026-q4.xml");

	co.as_of = "2026-11-28";
	ck_assert_int_eq(rd_rules_load_default(&pk), RD_OK);
	ck_assert_uint_eq(compare_with_alone(pk, path, &co, 1) / 1000, 11);
	compare_with_alone(pk, path, &co, 8);
	rd_rules_free(pk);
	free(path);
}
END_TEST

/* ================================================================ order and threads */

START_TEST(test_order_and_thread)
{
	static const char *const facets[] = { "string(d:agency/@name)", "count(d:passenger)",
		                              "string(d:segment[1]/@from)" };
	rd_rules *rules = tu_starter();
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t n = slow_build() ? 60 : 1500, k, i;
	char *xml = gen_submission(n, "PB-LHR-2019-0412", 3);
	unsigned int jobs[] = { 1, 2, 3, 8, 0 };
	char *first = NULL;

	o.check.as_of = "2026-11-28";
	o.facets = facets;
	o.nfacets = 3;
	for (k = 0; k < sizeof jobs / sizeof jobs[0]; k++) {
		coll c;
		char *sum;
		int rc;

		o.jobs = jobs[k];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "order.xml", &o, &c, NULL);
		ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
		ck_assert_uint_eq(c.n, n);
		ck_assert_int_eq(c.out_of_order, 0);
		ck_assert_int_eq(c.wrong_thread, 0);
		ck_assert_int_eq(c.bad_facets, 0);
		for (i = 0; i < n; i++)
			ck_assert_uint_eq(c.v[i].index, i);
		sum = coll_summary(&c, 1);
		if (first == NULL) {
			first = sum;
		} else {
			ck_assert_msg(strcmp(sum, first) == 0, "jobs %u differs from jobs 1", jobs[k]);
			free(sum);
		}
		coll_free(&c);
	}
	/* many tiny records: the ring turns over many times */
	{
		sb b = { 0 };
		char *tiny;

		sb_puts(&b, "<r>");
		for (i = 0; i < (slow_build() ? 3000 : 30000); i++)
			sb_printf(&b, "<x id=\"%zu\"/>%s", i, i % 10 ? "" : "\n");
		sb_puts(&b, "</r>");
		tiny = sb_take(&b);
		for (k = 0; k < 4; k++) {
			coll c;

			o.jobs = jobs[k];
			o.nfacets = 0;
			coll_init(&c);
			ck_assert_int_eq(audit_mem(rules, tiny, strlen(tiny), "tiny.xml", &o, &c, NULL), RD_OK);
			ck_assert_uint_eq(c.n, slow_build() ? 3000 : 30000);
			ck_assert_int_eq(c.out_of_order, 0);
			ck_assert_int_eq(c.wrong_thread, 0);
			ck_assert_str_eq(c.v[c.n - 1].element, "x");
			coll_free(&c);
		}
		free(tiny);
	}
	free(first);
	free(xml);
	rd_rules_free(rules);
}
END_TEST

/* The threads of this process, or 0 when /proc cannot tell. */
static size_t count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int max_threads_cb(const rd_audit_record *r, void *payload)
{
	size_t *max = payload, n = count_threads();

	(void)r;
	if (n > *max)
		*max = n;
	return 0;
}

/* --jobs N runs N threads in all: the calling thread is one of them (it reads the file and
 * checks records too), so N - 1 are started, and none with one job. */
START_TEST(test_jobs_are_threads)
{
	rd_rules *rules = tu_starter();
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t n = slow_build() ? 40 : 400, base = count_threads(), k;
	size_t tsan = tsan_build() ? 1 : 0; /* ThreadSanitizer's own thread */
	char *xml = gen_submission(n, "PB-LHR-2019-0412", 9);
	unsigned int jobs[] = { 1, 2, 4 };

	if (base == 0) {
		/* Linux lists a process's threads there; a system without it needs another count */
		free(xml);
		rd_rules_free(rules);
		ck_abort_msg("the threads cannot be counted: /proc/self/task cannot be read");
	}
	o.check.as_of = "2026-11-28";
	for (k = 0; k < sizeof jobs / sizeof jobs[0]; k++) {
		size_t max = 0;
		int rc;

		o.jobs = jobs[k];
		rc = rd_audit_memory(rules, xml, strlen(xml), "jobs.xml", &o, max_threads_cb, NULL, &max,
		                     NULL);
		ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
		ck_assert_msg(max <= base + jobs[k] - 1 + tsan,
		              "--jobs %u: %zu threads, %zu before the audit", jobs[k], max, base);
		if (jobs[k] > 1)
			ck_assert_msg(max > base, "--jobs %u: no worker thread started", jobs[k]);
		/* and they are gone afterwards */
		ck_assert_uint_ge(count_threads(), base);
		ck_assert_uint_le(count_threads(), base + tsan);
	}
	free(xml);
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_stop)
{
	rd_rules *rules = tu_starter();
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t n = slow_build() ? 200 : 2000, k, s;
	char *xml = gen_submission(n, "L", 5);
	unsigned int jobs[] = { 1, 2, 4, 8 };
	size_t stops[] = { 1, 10, 0 };

	stops[2] = n; /* stop on the last record: still a stop */
	o.check.as_of = "2026-11-28";
	for (k = 0; k < sizeof jobs / sizeof jobs[0]; k++) {
		for (s = 0; s < 3; s++) {
			rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
			char want[64];
			coll c;
			int rc;

			o.jobs = jobs[k];
			coll_init(&c);
			c.stop_after = stops[s];
			c.stop_rc = 42 + (int)s;
			rc = audit_mem(rules, xml, strlen(xml), "stop.xml", &o, &c, &stats);
			ck_assert_int_eq(rc, RD_ESTOPPED);
			snprintf(want, sizeof want, "after record %zu (it returned %d)", stops[s], 42 + (int)s);
			ck_assert_contains(rd_error_last()->message, want);
			ck_assert_uint_eq(c.calls, stops[s]);
			ck_assert_uint_eq(stats.records, stops[s]);
			ck_assert_int_eq(c.out_of_order, 0);
			coll_free(&c);
		}
	}
	/* a negative value too stops it, and is not taken for a status code */
	{
		coll c;

		o.jobs = 3;
		coll_init(&c);
		c.stop_after = 3;
		c.stop_rc = -1000;
		ck_assert_int_eq(audit_mem(rules, xml, strlen(xml), "stop.xml", &o, &c, NULL), RD_ESTOPPED);
		ck_assert_contains(rd_error_last()->message, "(it returned -1000)");
		ck_assert_uint_eq(c.calls, 3);
		coll_free(&c);
	}
	free(xml);
	rd_rules_free(rules);
}
END_TEST

/* ================================================================ failures */

/* K records, then a fault, then more records that must not be delivered. */
static void fault_after(const char *fault, size_t k, unsigned int jobs, int want, int want_line,
                        int want_col, const char *want_msg)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	sb b = { 0 };
	size_t i;
	char *xml, *ids, want_ids[4096] = "";
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	coll c;
	err e;
	int rc;

	sb_puts(&b, "<root>\n");
	for (i = 0; i < k; i++) {
		char one[32];

		sb_printf(&b, "  <rec id=\"%zu\"><v>%zu</v></rec>\n", i + 1, i);
		snprintf(one, sizeof one, "%s%zu", i ? " " : "", i + 1);
		strcat(want_ids, one);
	}
	sb_puts(&b, fault);
	for (i = 0; i < 5; i++)
		sb_printf(&b, "  <rec id=\"after%zu\"/>\n", i);
	sb_puts(&b, "</root>\n");
	xml = sb_take(&b);
	o.jobs = jobs;
	coll_init(&c);
	rc = audit_mem(rules, xml, strlen(xml), "fault.xml", &o, &c, &stats);
	err_take(&e, rc);
	rd_rules_free(rules);
	ids = coll_ids(&c);
	ck_assert_msg(rc == want, "jobs %u, fault %s: %s (%s), expected %s", jobs, fault,
	              rd_status_name(rc), e.message, rd_status_name(want));
	ck_assert_msg(strcmp(ids, want_ids) == 0, "jobs %u, fault %s: records '%s', expected '%s'",
	              jobs, fault, ids, want_ids);
	ck_assert_int_eq(c.out_of_order, 0);
	ck_assert_uint_eq(stats.records, k);
	ck_assert_str_eq(e.file, "fault.xml");
	ck_assert_contains(e.message, "fault.xml");
	if (want_line)
		ck_assert_msg(e.line == want_line, "line %d, expected %d: %s", e.line, want_line, e.message);
	else
		ck_assert_int_gt(e.line, 0);
	if (want_col)
		ck_assert_msg(e.column == want_col, "column %d, expected %d: %s", e.column, want_col,
		              e.message);
	else
		ck_assert_int_gt(e.column, 0);
	if (want_msg)
		ck_assert_contains(e.message, want_msg);
	free(ids);
	free(xml);
	err_free(&e);
	coll_free(&c);
}

START_TEST(test_malformed_part_way)
{
	unsigned int jobs[] = { 1, 2, 4 };
	size_t j;

	for (j = 0; j < 3; j++) {
		/* a mismatched end tag inside record K+1 (line K+2) */
		fault_after("  <rec id=\"bad\"><x></y></rec>\n", 5, jobs[j], RD_EPARSE, 7, 0, NULL);
		fault_after("  <rec id=\"bad\"><x></y></rec>\n", 0, jobs[j], RD_EPARSE, 2, 0, NULL);
		fault_after("  <rec id=\"bad\"><x></y></rec>\n", 40, jobs[j], RD_EPARSE, 42, 0, NULL);
		/* between records */
		fault_after("  <<oops\n", 3, jobs[j], RD_EPARSE, 5, 0, NULL);
		/* an attribute twice */
		fault_after("  <rec id=\"1\" id=\"2\"/>\n", 2, jobs[j], RD_EPARSE, 4, 0, NULL);
		/* an undeclared entity */
		fault_after("  <rec id=\"ent\">&nosuch;</rec>\n", 4, jobs[j], RD_EPARSE, 6, 0, NULL);
		/* an undeclared prefix */
		fault_after("  <rec id=\"ns\"><q:x/></rec>\n", 4, jobs[j], RD_EPARSE, 6, 0, NULL);
		/* a control character */
		fault_after("  <rec id=\"ctl\">\x01</rec>\n", 4, jobs[j], RD_EPARSE, 6, 0, NULL);
		/* bytes that are not UTF-8 */
		fault_after("  <rec id=\"utf\">\xff\xfe</rec>\n", 4, jobs[j], RD_EPARSE, 6, 0, NULL);
		/* a DOCTYPE in the middle */
		fault_after("  <!DOCTYPE x>\n", 2, jobs[j], RD_EPARSE, 4, 0, NULL);
	}
}
END_TEST

START_TEST(test_truncated_and_trailing)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	static const char cut[] = "<root>\n<rec id=\"1\"/>\n<rec id=\"2\"><v>x</v></rec>\n<rec id=\"3\"><v>";
	static const char trailing[] = "<root>\n<rec id=\"1\"/>\n<rec id=\"2\"/>\n</root>\n<extra/>\n";
	static const char unclosed[] = "<root>\n<rec id=\"1\"/>\n<rec id=\"2\"/>\n";
	unsigned int jobs[] = { 1, 4 };
	size_t j;

	for (j = 0; j < 2; j++) {
		coll c;
		err e;
		int rc;
		char *ids;

		o.jobs = jobs[j];
		coll_init(&c);
		rc = audit_mem(rules, cut, strlen(cut), "cut.xml", &o, &c, NULL);
		err_take(&e, rc);
		ids = coll_ids(&c);
		ck_assert_int_eq(rc, RD_EPARSE);
		ck_assert_str_eq(ids, "1 2");
		ck_assert_int_eq(e.line, 4);
		ck_assert_int_gt(e.column, 0);
		ck_assert_contains(e.message, "cut.xml:4:");
		free(ids);
		err_free(&e);
		coll_free(&c);

		coll_init(&c);
		rc = audit_mem(rules, trailing, strlen(trailing), "trail.xml", &o, &c, NULL);
		err_take(&e, rc);
		ids = coll_ids(&c);
		ck_assert_int_eq(rc, RD_EPARSE);
		ck_assert_str_eq(ids, "1 2");
		ck_assert_int_eq(e.line, 5);
		free(ids);
		err_free(&e);
		coll_free(&c);

		coll_init(&c);
		rc = audit_mem(rules, unclosed, strlen(unclosed), "unclosed.xml", &o, &c, NULL);
		err_take(&e, rc);
		ids = coll_ids(&c);
		ck_assert_int_eq(rc, RD_EPARSE);
		ck_assert_str_eq(ids, "1 2");
		ck_assert_int_gt(e.line, 0);
		free(ids);
		err_free(&e);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_fault_late_in_big_file)
{
	/* thousands of records over several read chunks, then a fault: every record before it,
	 * in order, whatever the number of jobs */
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t n = slow_build() ? 2000 : 12000, i, j;
	sb b = { 0 };
	char *xml;
	unsigned int jobs[] = { 1, 2, 8 };

	sb_puts(&b, "<root>\n");
	for (i = 0; i < n; i++)
		sb_printf(&b, "<rec id=\"%zu\"><pad>%0100zu</pad></rec>\n", i, i);
	sb_puts(&b, "<rec id=\"bad\"><pad></rec>\n");
	for (i = 0; i < 100; i++)
		sb_printf(&b, "<rec id=\"after%zu\"/>\n", i);
	sb_puts(&b, "</root>\n");
	xml = sb_take(&b);
	for (j = 0; j < 3; j++) {
		coll c;
		err e;
		int rc;

		o.jobs = jobs[j];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "late.xml", &o, &c, NULL);
		err_take(&e, rc);
		ck_assert_int_eq(rc, RD_EPARSE);
		ck_assert_uint_eq(c.n, n);
		ck_assert_int_eq(c.out_of_order, 0);
		for (i = 0; i < n; i++) {
			char id[32];

			snprintf(id, sizeof id, "%zu", i);
			ck_assert_str_eq(c.v[i].id, id);
		}
		ck_assert_int_eq(e.line, (int)n + 2);
		err_free(&e);
		coll_free(&c);
	}
	free(xml);
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_refused_inputs)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	coll c;
	err e;
	int rc;

	/* an entity declaration: refused before any record */
	{
		static const char xml[] = "<?xml version=\"1.0\"?>\n"
		                          "<!DOCTYPE root [\n"
		                          "  <!ENTITY e \"boom\">\n"
		                          "]>\n"
		                          "<root><rec id=\"1\">&e;</rec><rec id=\"2\"/></root>\n";

		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "ent.xml", &o, &c, NULL);
		err_take(&e, rc);
		ck_assert_int_eq(rc, RD_EUNSAFE);
		ck_assert_uint_eq(c.calls, 0);
		ck_assert_int_eq(e.line, 3);
		ck_assert_contains(e.message, "ent.xml");
		err_free(&e);
		coll_free(&c);
	}
	/* a parameter entity, an external one */
	{
		static const char xml[] = "<!DOCTYPE root [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
		                          "<root><rec/></root>\n";
		static const char xml2[] = "<!DOCTYPE root [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		                           "<root><rec>&x;</rec></root>\n";

		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "pe.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_EUNSAFE);
		ck_assert_uint_eq(c.calls, 0);
		coll_free(&c);
		coll_init(&c);
		rc = audit_mem(rules, xml2, strlen(xml2), "ext.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_EUNSAFE);
		ck_assert_uint_eq(c.calls, 0);
		coll_free(&c);
	}
	/* a record larger than the limit, after two that fit: named by its line */
	{
		sb b = { 0 };
		char *xml;
		size_t i;

		sb_puts(&b, "<root>\n<rec id=\"1\"><v>small</v></rec>\n<rec id=\"2\"/>\n\n<rec id=\"big\">\n");
		for (i = 0; i < 100; i++)
			sb_puts(&b, "<v>0123456789012345678901234567890123456789012345678901234567890123456789</v>\n");
		sb_puts(&b, "</rec>\n<rec id=\"3\"/>\n</root>\n");
		xml = sb_take(&b);
		o.max_record_bytes = 1000;
		for (i = 1; i <= 4; i += 3) {
			char *ids;

			o.jobs = (unsigned int)i;
			coll_init(&c);
			rc = audit_mem(rules, xml, strlen(xml), "limit.xml", &o, &c, NULL);
			err_take(&e, rc);
			ids = coll_ids(&c);
			ck_assert_int_eq(rc, RD_ELIMIT);
			ck_assert_str_eq(ids, "1 2");
			ck_assert_contains(e.message, "line 5");
			ck_assert_contains(e.message, "1000");
			ck_assert_contains(e.message, "limit.xml");
			free(ids);
			err_free(&e);
			coll_free(&c);
		}
		free(xml);

		/* the same with a record that is one text node (no child to look at) */
		sb_puts(&b, "<root>\n<rec id=\"1\"/>\n<rec id=\"big\">");
		for (i = 0; i < 3000; i++)
			sb_puts(&b, "x");
		sb_puts(&b, "</rec>\n<rec id=\"3\"/>\n</root>\n");
		xml = sb_take(&b);
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "limit2.xml", &o, &c, NULL);
		err_take(&e, rc);
		ck_assert_int_eq(rc, RD_ELIMIT);
		ck_assert_uint_eq(c.n, 1);
		ck_assert_contains(e.message, "line 3");
		err_free(&e);
		coll_free(&c);
		free(xml);
		o.max_record_bytes = 0;
	}
	/* a record of exactly the limit is fine; one byte more is not */
	{
		static const char rec_exact[] = "<rec id=\"1\">0123456789</rec>"; /* 28 bytes */
		char xml[256];
		size_t limit = strlen(rec_exact);

		snprintf(xml, sizeof xml, "<root xmlns=\"urn:rahdari:doc:1\">\n%s\n</root>\n", rec_exact);
		o.max_record_bytes = limit;
		o.jobs = 1;
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "exact.xml", &o, &c, NULL);
		err_take(&e, rc);
		ck_assert_msg(rc == RD_OK, "a record of exactly max_record_bytes (%zu): %s: %s", limit,
		              rd_status_name(rc), e.message);
		ck_assert_uint_eq(c.n, 1);
		err_free(&e);
		coll_free(&c);
		o.max_record_bytes = limit - 1;
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "exact.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_ELIMIT);
		ck_assert_uint_eq(c.n, 0);
		coll_free(&c);
		o.max_record_bytes = 0;
	}
	/* nesting deeper than the limit, in the third record */
	{
		sb b = { 0 };
		char *xml, *ids;
		size_t i;

		sb_puts(&b, "<root>\n<rec id=\"1\"><a><b/></a></rec>\n<rec id=\"2\"/>\n<rec id=\"deep\">");
		for (i = 0; i < 10; i++)
			sb_puts(&b, "<n>");
		for (i = 0; i < 10; i++)
			sb_puts(&b, "</n>");
		sb_puts(&b, "</rec>\n</root>\n");
		xml = sb_take(&b);
		o.max_depth = 6;
		o.jobs = 2;
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "depth.xml", &o, &c, NULL);
		err_take(&e, rc);
		ids = coll_ids(&c);
		ck_assert_int_eq(rc, RD_ELIMIT);
		ck_assert_str_eq(ids, "1 2");
		ck_assert_int_eq(e.line, 4);
		ck_assert_contains(e.message, "depth.xml");
		free(ids);
		err_free(&e);
		coll_free(&c);
		o.max_depth = 0;
		free(xml);

		/* the default limit (256) */
		sb_puts(&b, "<root><rec id=\"1\"/><rec>");
		for (i = 0; i < 300; i++)
			sb_puts(&b, "<n>");
		for (i = 0; i < 300; i++)
			sb_puts(&b, "</n>");
		sb_puts(&b, "</rec></root>");
		xml = sb_take(&b);
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "depth2.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_ELIMIT);
		ck_assert_uint_eq(c.n, 1);
		coll_free(&c);
		free(xml);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_empty_and_bad_arguments)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	char *dir = tu_tmpdir();
	char *empty = tu_write(dir, "empty.xml", "");
	char *path;
	coll c;
	err e;
	int rc;

	/* empty input */
	coll_init(&c);
	rc = audit_file(rules, empty, NULL, &c, NULL);
	err_take(&e, rc);
	ck_assert_int_eq(rc, RD_EPARSE);
	ck_assert_uint_eq(c.calls, 0);
	ck_assert_contains(e.message, "empty.xml");
	err_free(&e);
	coll_free(&c);
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, "  \n\t", 4, "ws.xml", NULL, &c, NULL), RD_EPARSE);
	ck_assert_int_eq(audit_mem(rules, "", 0, "nothing.xml", NULL, &c, NULL), RD_EPARSE);
	ck_assert_int_eq(audit_mem(rules, "<!-- only a comment -->", 23, "c.xml", NULL, &c, NULL),
	                 RD_EPARSE);
	ck_assert_uint_eq(c.calls, 0);
	/* a root without records */
	ck_assert_int_eq(audit_mem(rules, "<root/>", 7, "r.xml", NULL, &c, NULL), RD_OK);
	ck_assert_int_eq(audit_mem(rules, "<root>\n</root>", 14, "r.xml", NULL, &c, NULL), RD_OK);
	ck_assert_uint_eq(c.calls, 0);
	coll_free(&c);

	/* a missing file, a directory */
	coll_init(&c);
	path = malloc(strlen(dir) + 32);
	ck_assert_ptr_nonnull(path);
	sprintf(path, "%s/missing.xml", dir);
	rc = audit_file(rules, path, NULL, &c, NULL);
	err_take(&e, rc);
	ck_assert_int_eq(rc, RD_ENOTFOUND);
	ck_assert_contains(e.message, "missing.xml");
	err_free(&e);
	rc = audit_file(rules, dir, NULL, &c, NULL);
	err_take(&e, rc);
	ck_assert_int_eq(rc, RD_EIO);
	ck_assert_contains(e.message, dir);
	err_free(&e);
	ck_assert_uint_eq(c.calls, 0);
	coll_free(&c);
	free(path);

	/* bad arguments and options */
	coll_init(&c);
	o.version = 99;
	rc = audit_mem(rules, "<r><a/></r>", 11, "v.xml", &o, &c, NULL);
	err_take(&e, rc);
	ck_assert_int_eq(rc, RD_EINVAL);
	ck_assert_contains(e.message, "99");
	err_free(&e);
	o.version = RD_AUDIT_OPTIONS_VERSION;
	ck_assert_int_eq(rd_audit_memory(NULL, "<r><a/></r>", 11, "v.xml", NULL, on_rec, NULL, &c, NULL),
	                 RD_EINVAL);
	ck_assert_int_eq(rd_audit_file(rules, NULL, NULL, on_rec, NULL, &c, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_audit_fd(rules, -1, "x", NULL, on_rec, NULL, &c, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_audit_memory(rules, NULL, 5, "x", NULL, on_rec, NULL, &c, NULL), RD_EINVAL);
	o.nfacets = 2;
	o.facets = NULL;
	ck_assert_int_eq(audit_mem(rules, "<r><a/></r>", 11, "v.xml", &o, &c, NULL), RD_EINVAL);
	o.nfacets = 0;
	/* options of the check are checked before anything is read */
	o.check.as_of = "2026-02-30";
	ck_assert_int_eq(audit_mem(rules, "<r><a/></r>", 11, "v.xml", &o, &c, NULL), RD_EINVAL);
	o.check.as_of = NULL;
	o.check.phase = "no-such-phase";
	ck_assert_int_eq(audit_mem(rules, "<r><a/></r>", 11, "v.xml", &o, &c, NULL), RD_ENOTFOUND);
	o.check.phase = NULL;
	ck_assert_uint_eq(c.calls, 0);
	/* a facet that is not XPath */
	{
		static const char *const bad[] = { "string(@id)", "count((" };

		o.facets = bad;
		o.nfacets = 2;
		rc = audit_mem(rules, "<r><a/></r>", 11, "v.xml", &o, &c, NULL);
		err_take(&e, rc);
		ck_assert_int_eq(rc, RD_ERULES);
		ck_assert_contains(e.message, "count((");
		err_free(&e);
		ck_assert_uint_eq(c.calls, 0);
	}
	/* no callback: the audit runs all the same */
	{
		rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;

		rc = rd_audit_memory(rules, "<r><a/><b/></r>", 15, "n.xml", NULL, NULL, NULL, NULL, &stats);
		ck_assert_int_eq(rc, RD_OK);
		ck_assert_uint_eq(stats.records, 2);
	}
	coll_free(&c);
	rd_rules_free(rules);
	free(empty);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ facets and evaluation errors */

START_TEST(test_facets)
{
	static const char xml[] =
	        "<submission xmlns=\"urn:rahdari:doc:1\">\n"
	        "  <agency name=\"Env\"/>\n"
	        "  <booking id=\"B1\"><passenger id=\"P1\"/><passenger id=\"P2\"/></booking>\n"
	        "  <booking id=\"B2\"><agency name=\" Own  Name \"/></booking>\n"
	        "</submission>\n";
	static const char *const facets[] = {
		"string(@id)", "count(d:passenger)", "normalize-space(d:agency/@name)",
		"count(1)", "nosuch(.)", "$undefined", "p:x", "d:passenger/@id", "1 div 0",
		"boolean(d:passenger)", "string(/)"
	};
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	unsigned int jobs[] = { 1, 2 };
	size_t k;

	o.facets = facets;
	o.nfacets = sizeof facets / sizeof facets[0];
	for (k = 0; k < 2; k++) {
		coll c;
		char *sum;
		int rc;

		o.jobs = jobs[k];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "facets.xml", &o, &c, NULL);
		ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
		ck_assert_int_eq(c.bad_facets, 0);
		sum = coll_summary(&c, 0);
		/* a facet that fails at run time gives "" (and the others their values) */
		ck_assert_str_eq(sum, "0 B1 booking 3 [B1|2|Env|||||P1|Infinity|true|]\n"
		                      "1 B2 booking 4 [B2|0|Own Name||||||Infinity|false|]\n");
		free(sum);
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_evaluation_error_on_one_record)
{
	rd_rules *rules = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='/*[@t]'>"
	                                    "<sch:assert id='bad-table' test='fn:in-table(@t, \"c\", \"v\")'/>"
	                                    "</sch:rule><sch:rule context='/*'>"
	                                    "<sch:report id='each' test='true()'/>"
	                                    "</sch:rule></sch:pattern>" SCH_CLOSE);
	static const char xml[] = "<root>\n<a id=\"1\"/>\n<a id=\"2\" t=\"missing\"/>\n<a id=\"3\"/>\n</root>\n";
	unsigned int jobs[] = { 1, 3 };
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t k;

	for (k = 0; k < 2; k++) {
		coll c;
		int rc;

		o.jobs = jobs[k];
		coll_init(&c);
		rc = audit_mem(rules, xml, strlen(xml), "eval.xml", &o, &c, NULL);
		ck_assert_int_eq(rc, RD_OK);
		ck_assert_uint_eq(c.n, 3);
		ck_assert_str_eq(c.v[0].findings, "report|each|warning|2|/a[1]||eval.xml\n");
		ck_assert_contains(c.v[1].findings, "evaluation-error|bad-table|error|3|/a[1]|");
		ck_assert_contains(c.v[1].findings, "no table named 'missing'");
		ck_assert_str_eq(c.v[2].findings, "report|each|warning|4|/a[1]||eval.xml\n");
		coll_free(&c);
	}
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_check_options_reach_records)
{
	rd_rules *rules = tu_rules(SCH_OPEN "<sch:phase id='one'><sch:active pattern='p1'/></sch:phase>"
	                                    "<sch:pattern id='p1'><sch:rule context='/*'>"
	                                    "<sch:report id='today' test='true()'><sch:value-of select='fn:today()'/></sch:report>"
	                                    "</sch:rule></sch:pattern>"
	                                    "<sch:pattern id='p2'><sch:rule context='/*'>"
	                                    "<sch:report id='two' test='true()'/>"
	                                    "</sch:rule></sch:pattern>" SCH_CLOSE);
	static const char xml[] = "<root>\n<a/>\n<a/>\n</root>\n";
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	coll c;

	o.check.as_of = "2031-07-04";
	o.check.phase = "one";
	o.jobs = 2;
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, xml, strlen(xml), "opts.xml", &o, &c, NULL), RD_OK);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_str_eq(c.v[0].findings, "report|today|warning|2|/a[1]|2031-07-04|opts.xml\n");
	ck_assert_str_eq(c.v[1].findings, "report|today|warning|3|/a[1]|2031-07-04|opts.xml\n");
	coll_free(&c);
	rd_rules_free(rules);
}
END_TEST

/* A record whose evaluation budget runs out has the finding that says so; the records
 * around it are checked in full, and the audit goes on. */
START_TEST(test_budget_per_record)
{
	rd_rules *rules = tu_rules(SCH_OPEN "<sch:pattern id='p'><sch:rule context='/*'>"
	                                    "<sch:assert id='CUBIC' test='count(//x[count(//x[. = //x]) = 0]) = 0'/>"
	                                    "<sch:report id='seen' test='true()'/>"
	                                    "</sch:rule></sch:pattern>" SCH_CLOSE);
	sb b = { 0 };
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	char *xml;
	size_t i;
	coll c;

	sb_puts(&b, "<root>\n<rec><x>1</x></rec>\n<rec>");
	for (i = 0; i < 1500; i++)
		sb_printf(&b, "<x>%zu</x>", i % 50);
	sb_puts(&b, "</rec>\n<rec><x>2</x></rec>\n</root>\n");
	xml = sb_take(&b);
	o.jobs = 2;
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, xml, strlen(xml), "budget.xml", &o, &c, NULL), RD_OK);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_str_eq(c.v[0].findings, "report|seen|warning|2|/rec[1]||budget.xml\n");
	ck_assert_uint_eq(c.v[1].nfindings, 1);
	ck_assert(strncmp(c.v[1].findings, "evaluation-error|CUBIC|error|3|/rec[1]|the evaluation budget of 20000000 operations ran out in rule CUBIC", 99) == 0);
	ck_assert_str_eq(c.v[2].findings, "report|seen|warning|4|/rec[1]||budget.xml\n");
	coll_free(&c);
	/* the check options' budget reaches every record */
	o.check.max_ops = 5;
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, xml, strlen(xml), "budget.xml", &o, &c, NULL), RD_OK);
	ck_assert_uint_eq(c.n, 3);
	for (i = 0; i < 3; i++)
		ck_assert_msg(strstr(c.v[i].findings, "budget of 5 operations") != NULL, "%s",
		              c.v[i].findings);
	coll_free(&c);
	free(xml);
	rd_rules_free(rules);
}
END_TEST

/* ================================================================ progress */

START_TEST(test_progress)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	size_t len, n;
	long *lines;
	char *xml = gen_big(&len, &n, &lines);
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "prog.xml", xml, len);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	coll c;

	o.jobs = 2;
	coll_init(&c);
	ck_assert_int_eq(audit_file(rules, path, &o, &c, &stats), RD_OK);
	ck_assert_uint_ge(c.pcalls, len / (256 * 1024));
	ck_assert_int_eq(c.pbad, 0);
	ck_assert_int_eq(c.pwrong_thread, 0);
	ck_assert_uint_eq(c.pfirst_total, len);
	ck_assert_uint_eq(c.plast_total, len);
	ck_assert_uint_eq(c.plast_read, len);
	ck_assert_uint_le(c.plast_records, n);
	ck_assert_uint_eq(stats.bytes_read, len);
	ck_assert_uint_eq(stats.bytes_total, len);
	ck_assert_uint_eq(stats.records, n);
	coll_free(&c);

	/* from memory: the total is the length */
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, xml, len, "mem.xml", &o, &c, &stats), RD_OK);
	ck_assert_uint_eq(c.pfirst_total, len);
	ck_assert_uint_eq(c.plast_read, len);
	ck_assert_int_eq(c.pbad, 0);
	coll_free(&c);
	rd_rules_free(rules);
	free(lines);
	free(xml);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ the record writer */

typedef struct sink {
	sb out;
	int fail_after; /* fail the write after this many calls (0: never) */
	int calls;
} sink;

static int sink_write(const char *data, size_t len, void *payload)
{
	sink *s = payload;

	s->calls++;
	if (s->fail_after && s->calls > s->fail_after)
		return -1;
	sb_add(&s->out, data, len);
	return 0;
}

static const char writer_xml[] =
        "<submission xmlns=\"urn:rahdari:doc:1\">\n"                                    /* 1 */
        "  <agency name=\"Env\" licence=\"L-1\"/>\n"                                    /* 2 */
        "  <booking id=\"B&quot;1\u06A9\">\n"                                           /* 3 */
        "    <passenger id=\"P1\"><birth-date>2001-02-30</birth-date></passenger>\n"    /* 4 */
        "  </booking>\n"                                                                /* 5 */
        "  <booking>\n"                                                                 /* 6 */
        "    <agency name=\"Own\"/>\n"                                                  /* 7 */
        "  </booking>\n"                                                                /* 8 */
        "</submission>\n";

/* Audit writer_xml into a writer of the format; returns the output. */
static char *write_records(int format, unsigned int flags, int add_error)
{
	rd_rules *rules = tu_starter();
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	sink s;
	coll c;
	int rc, frc, erc = RD_OK;

	memset(&s, 0, sizeof s);
	o.check.as_of = "2026-11-28";
	o.jobs = 2;
	coll_init(&c);
	ck_assert_int_eq(rd_writer_new(&c.w, format, flags, sink_write, &s), RD_OK);
	ck_assert_int_eq(rd_writer_set_rules(c.w, rules, &o.check), RD_OK);
	rc = audit_mem(rules, writer_xml, strlen(writer_xml), "w.xml", &o, &c, NULL);
	if (add_error) {
		rd_error fake = { RD_EPARSE, "bad.xml:3:7: mismatched tag", "bad.xml", 3, 7 };

		erc = rd_writer_add_error(c.w, "bad.xml", &fake);
	}
	frc = rd_writer_finish(c.w);
	rd_writer_free(c.w);
	c.w = NULL;
	rd_rules_free(rules);
	ck_assert_int_eq(rc, RD_OK);
	ck_assert_int_eq(c.wrc, RD_OK);
	ck_assert_int_eq(erc, RD_OK);
	ck_assert_int_eq(frc, RD_OK);
	ck_assert_uint_eq(c.n, 2);
	coll_free(&c);
	return sb_take(&s.out);
}

static mj_value *parse_json(const char *text, size_t len)
{
	const char *error = NULL;
	mj_value *v = mj_parse(text, len, &error);

	ck_assert_msg(v != NULL, "not JSON (%s): %.*s", error ? error : "?", (int)len, text);
	return v;
}

/* A number member that must be there. */
static double mj_num(const mj_value *v, const char *key)
{
	const mj_value *m = mj_get(v, key);

	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m == NULL ? 0 : m->number;
}

/* A record object as the writers write it. */
static void check_record_object(const mj_value *r, int with_type, int number, const char *id,
                                long line, int errors)
{
	const mj_value *f, *sum;

	if (with_type)
		ck_assert_str_eq(mj_get_str(r, "type"), "record");
	else
		ck_assert_ptr_null(mj_get(r, "type"));
	ck_assert_str_eq(mj_get_str(r, "document"), "w.xml");
	ck_assert_int_eq((int)mj_num(r, "record"), number);
	if (id)
		ck_assert_str_eq(mj_get_str(r, "id"), id);
	else
		ck_assert_int_eq(mj_get(r, "id") == NULL || mj_get(r, "id")->type == MJ_NULL, 1);
	ck_assert_str_eq(mj_get_str(r, "element"), "booking");
	ck_assert_int_eq((long)mj_num(r, "line"), line);
	sum = mj_get(r, "summary");
	ck_assert_ptr_nonnull(sum);
	ck_assert_int_eq((int)mj_num(sum, "errors"), errors);
	f = mj_get(r, "findings");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->type, MJ_ARRAY);
}

START_TEST(test_writer_jsonl)
{
	char *out = write_records(RD_FORMAT_JSONL, RD_WRITE_RECORDS, 1);
	char *line, *save = NULL;
	int n = 0;
	const mj_value *f;

	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		mj_value *v = parse_json(line, strlen(line));

		if (n == 0) {
			check_record_object(v, 1, 1, "B\"1\xda\xa9", 3, 1);
			f = mj_at(mj_get(v, "findings"), 0);
			ck_assert_str_eq(mj_get_str(f, "rule"), "START-DATA-001");
			ck_assert_str_eq(mj_get_str(f, "severity"), "error");
			ck_assert_str_eq(mj_get_str(f, "kind"), "assert");
			ck_assert_str_eq(mj_get_str(f, "location"), "/d:booking[1]/d:passenger[1]/d:birth-date[1]");
			ck_assert_int_eq((int)mj_num(f, "line"), 4);
			ck_assert_str_eq(mj_get_str(f, "document"), "w.xml");
		} else if (n == 1) {
			check_record_object(v, 1, 2, NULL, 6, 1);
			f = mj_at(mj_get(v, "findings"), 0);
			ck_assert_str_eq(mj_get_str(f, "rule"), "START-LIC-001");
			ck_assert_int_eq((int)mj_num(f, "line"), 6);
		} else if (n == 2) {
			ck_assert_str_eq(mj_get_str(v, "type"), "error");
			ck_assert_str_eq(mj_get_str(v, "path"), "bad.xml");
			ck_assert_str_eq(mj_get_str(v, "status"), "RD_EPARSE");
			ck_assert_int_eq((int)mj_num(v, "line"), 3);
			ck_assert_int_eq((int)mj_num(v, "column"), 7);
		} else {
			ck_assert_str_eq(mj_get_str(v, "type"), "summary");
			ck_assert_int_eq((int)mj_num(v, "records"), 2);
			ck_assert_int_eq((int)mj_num(v, "documents"), 1);
			ck_assert_int_eq((int)mj_num(v, "unreadable"), 1);
			ck_assert_int_eq((int)mj_num(v, "errors"), 2);
			ck_assert_int_eq((int)mj_num(v, "warnings"), 0);
			ck_assert_str_eq(mj_get_str(v, "as_of"), "2026-11-28");
			ck_assert_str_eq(mj_get_str(mj_get(v, "rules"), "id"), "starter");
		}
		mj_free(v);
	}
	ck_assert_int_eq(n, 4);
	free(out);
}
END_TEST

START_TEST(test_writer_json)
{
	char *out = write_records(RD_FORMAT_JSON, RD_WRITE_RECORDS, 1);
	mj_value *v = parse_json(out, strlen(out));
	const mj_value *recs = mj_get(v, "records"), *sum = mj_get(v, "summary");

	ck_assert_ptr_nonnull(recs);
	ck_assert_uint_eq(mj_count(recs), 2);
	check_record_object(mj_at(recs, 0), 0, 1, "B\"1\xda\xa9", 3, 1);
	check_record_object(mj_at(recs, 1), 0, 2, NULL, 6, 1);
	ck_assert_ptr_null(mj_get(v, "documents"));
	ck_assert_ptr_null(mj_get(v, "findings"));
	ck_assert_ptr_nonnull(mj_get(v, "tool"));
	ck_assert_ptr_nonnull(mj_get(v, "rules"));
	ck_assert_str_eq(mj_get_str(v, "as_of"), "2026-11-28");
	ck_assert_ptr_nonnull(mj_get(v, "phase"));
	ck_assert_ptr_nonnull(mj_get(v, "lang"));
	ck_assert_uint_eq(mj_count(mj_get(v, "errors")), 1);
	ck_assert_str_eq(mj_get_str(mj_at(mj_get(v, "errors"), 0), "path"), "bad.xml");
	ck_assert_int_eq((int)mj_num(sum, "records"), 2);
	ck_assert_int_eq((int)mj_num(sum, "documents"), 1);
	ck_assert_int_eq((int)mj_num(sum, "errors"), 2);
	mj_free(v);
	free(out);

	/* without the error */
	out = write_records(RD_FORMAT_JSON, 0, 0);
	v = parse_json(out, strlen(out));
	ck_assert_uint_eq(mj_count(mj_get(v, "records")), 2);
	ck_assert_uint_eq(mj_count(mj_get(v, "errors")), 0);
	mj_free(v);
	free(out);
}
END_TEST

START_TEST(test_writer_no_records)
{
	/* an audit's writer that got no record at all still counts records (0) */
	int formats[] = { RD_FORMAT_JSON, RD_FORMAT_JSONL };
	size_t k;

	for (k = 0; k < 2; k++) {
		rd_writer *w = NULL;
		sink s;
		mj_value *v;
		char *out, *last;

		memset(&s, 0, sizeof s);
		ck_assert_int_eq(rd_writer_new(&w, formats[k], RD_WRITE_RECORDS, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_finish(w), RD_OK);
		rd_writer_free(w);
		out = sb_take(&s.out);
		last = out;
		if (formats[k] == RD_FORMAT_JSONL)
			ck_assert_ptr_null(strchr(out, '\n') == out + strlen(out) - 1 ? NULL : out);
		v = parse_json(last, strlen(last));
		if (formats[k] == RD_FORMAT_JSON) {
			ck_assert_uint_eq(mj_count(mj_get(v, "records")), 0);
			ck_assert_int_eq((int)mj_num(mj_get(v, "summary"), "records"), 0);
		} else {
			ck_assert_str_eq(mj_get_str(v, "type"), "summary");
			ck_assert_int_eq((int)mj_num(v, "records"), 0);
		}
		mj_free(v);
		free(out);
	}
}
END_TEST

/* Record callback that tries a writer of another kind. */
typedef struct misuse {
	rd_writer *w;
	int rc;
} misuse;

static int on_rec_misuse(const rd_audit_record *r, void *payload)
{
	misuse *m = payload;

	if (m->rc == RD_OK)
		m->rc = rd_writer_add_record(m->w, r);
	return 0;
}

static int on_rec_add(const rd_audit_record *r, void *payload)
{
	misuse *m = payload;

	ck_assert_int_eq(rd_writer_add_record(m->w, r), RD_OK);
	return 0;
}

START_TEST(test_writer_misuse)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	static const char xml[] = "<r><a/><b/></r>";
	int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_SVRL };
	size_t k;
	misuse m;
	sink s;

	/* text and svrl writers take no records */
	for (k = 0; k < 2; k++) {
		memset(&s, 0, sizeof s);
		memset(&m, 0, sizeof m);
		ck_assert_int_eq(rd_writer_new(&m.w, formats[k], 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_audit_memory(rules, xml, strlen(xml), "m.xml", NULL, on_rec_misuse,
		                                 NULL, &m, NULL),
		                 RD_OK);
		ck_assert_int_eq(m.rc, RD_EINVAL);
		ck_assert_contains(rd_error_last()->message, "json");
		rd_writer_free(m.w);
		free(s.out.s);
	}
	/* reports, then records */
	{
		rd_document *d = tu_doc("<a/>");
		rd_report *r = tu_check(rules, d, NULL);

		memset(&s, 0, sizeof s);
		memset(&m, 0, sizeof m);
		ck_assert_int_eq(rd_writer_new(&m.w, RD_FORMAT_JSONL, 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add(m.w, r), RD_OK);
		ck_assert_int_eq(rd_audit_memory(rules, xml, strlen(xml), "m.xml", NULL, on_rec_misuse,
		                                 NULL, &m, NULL),
		                 RD_OK);
		ck_assert_int_eq(m.rc, RD_EINVAL);
		rd_writer_free(m.w);
		free(s.out.s);

		/* records, then reports */
		memset(&s, 0, sizeof s);
		memset(&m, 0, sizeof m);
		ck_assert_int_eq(rd_writer_new(&m.w, RD_FORMAT_JSON, 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_audit_memory(rules, xml, strlen(xml), "m.xml", NULL, on_rec_add, NULL,
		                                 &m, NULL),
		                 RD_OK);
		ck_assert_int_eq(rd_writer_add(m.w, r), RD_EINVAL);
		ck_assert_int_eq(rd_writer_finish(m.w), RD_OK);
		rd_writer_free(m.w);
		free(s.out.s);
		rd_report_free(r);
		rd_document_free(d);
	}
	/* bad arguments */
	{
		rd_writer *w = NULL;

		memset(&s, 0, sizeof s);
		ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_JSONL, 0, sink_write, &s), RD_OK);
		ck_assert_int_eq(rd_writer_add_record(w, NULL), RD_EINVAL);
		ck_assert_int_eq(rd_writer_add_record(NULL, NULL), RD_EINVAL);
		rd_writer_free(w);
		free(s.out.s);
	}
	/* a sink that fails: RD_EIO, and the audit stops when the callback says so */
	{
		memset(&s, 0, sizeof s);
		memset(&m, 0, sizeof m);
		s.fail_after = 1;
		ck_assert_int_eq(rd_writer_new(&m.w, RD_FORMAT_JSONL, RD_WRITE_RECORDS, sink_write, &s),
		                 RD_OK);
		ck_assert_int_eq(rd_audit_memory(rules, "<r><a/><b/><c/></r>", 19, "m.xml", NULL,
		                                 on_rec_misuse, NULL, &m, NULL),
		                 RD_OK);
		ck_assert_int_eq(m.rc, RD_EIO);
		rd_writer_free(m.w);
		free(s.out.s);
	}
	rd_rules_free(rules);
}
END_TEST

/* ================================================================ other sources */

typedef struct feeder {
	int fd;
	const char *data;
	size_t len;
} feeder;

static void *feed(void *arg)
{
	feeder *f = arg;
	size_t off = 0;

	while (off < f->len) {
		size_t n = f->len - off < 4096 ? f->len - off : 4096; /* small writes */
		ssize_t w = write(f->fd, f->data + off, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

START_TEST(test_fd_pipe_memory_stdin)
{
	rd_rules *rules = tu_rules(ROOT_RULE);
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	size_t len, n;
	long *lines;
	char *xml = gen_big(&len, &n, &lines);
	char *ref, *sum;
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	coll c;
	int p[2];
	pthread_t t;
	feeder f;

	/* the reference: from memory */
	o.jobs = 2;
	coll_init(&c);
	ck_assert_int_eq(audit_mem(rules, xml, len, "big.xml", &o, &c, &stats), RD_OK);
	ck_assert_uint_eq(stats.bytes_total, len);
	ck_assert_uint_eq(c.n, n);
	ref = coll_summary(&c, 1);
	coll_free(&c);

	/* a pipe: no total */
	ck_assert_int_eq(pipe(p), 0);
	f.fd = p[1];
	f.data = xml;
	f.len = len;
	ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
	coll_init(&c);
	c.nfacets = 0;
	ck_assert_int_eq(rd_audit_fd(rules, p[0], "big.xml", &o, on_rec, on_prog, &c, &stats), RD_OK);
	pthread_join(t, NULL);
	close(p[0]);
	ck_assert_uint_eq(stats.bytes_total, 0);
	ck_assert_uint_eq(stats.bytes_read, len);
	ck_assert_uint_eq(c.pfirst_total, 0);
	ck_assert_uint_eq(c.plast_total, 0);
	ck_assert_uint_eq(c.plast_read, len);
	ck_assert_int_eq(c.pbad, 0);
	sum = coll_summary(&c, 1);
	ck_assert_str_eq(sum, ref);
	free(sum);
	coll_free(&c);

	/* standard input ("-"), named <stdin> */
	{
		int saved = dup(0);

		ck_assert_int_ge(saved, 0);
		ck_assert_int_eq(pipe(p), 0);
		ck_assert_int_eq(dup2(p[0], 0), 0);
		close(p[0]);
		f.fd = p[1];
		f.data = "<r>\n<a id=\"1\"/>\n</r>\n";
		f.len = strlen(f.data);
		ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
		coll_init(&c);
		ck_assert_int_eq(rd_audit_file(rules, "-", NULL, on_rec, NULL, &c, NULL), RD_OK);
		pthread_join(t, NULL);
		dup2(saved, 0);
		close(saved);
		ck_assert_uint_eq(c.n, 1);
		ck_assert_str_eq(c.v[0].findings, "report|ROOT|warning|2|/a[1]|a=1|<stdin>\n");
		coll_free(&c);
	}
	/* names by default */
	coll_init(&c);
	ck_assert_int_eq(rd_audit_memory(rules, "<r><a/></r>", 11, NULL, NULL, on_rec, NULL, &c, NULL),
	                 RD_OK);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_str_eq(c.v[0].findings, "report|ROOT|warning|1|/a[1]|a=|<memory>\n");
	coll_free(&c);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "<r><a/></r>", 11), 11);
	close(p[1]);
	coll_init(&c);
	ck_assert_int_eq(rd_audit_fd(rules, p[0], NULL, NULL, on_rec, NULL, &c, NULL), RD_OK);
	close(p[0]);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_str_eq(c.v[0].docname, "<stream>");
	coll_free(&c);
	/* a regular file through its descriptor: the total is known, the descriptor stays open */
	{
		char *dir = tu_tmpdir();
		char *path = write_bytes(dir, "fd.xml", xml, len);
		int fd = open(path, O_RDONLY);

		ck_assert_int_ge(fd, 0);
		coll_init(&c);
		ck_assert_int_eq(rd_audit_fd(rules, fd, "fd.xml", &o, on_rec, on_prog, &c, &stats), RD_OK);
		ck_assert_uint_eq(stats.bytes_total, len);
		ck_assert_uint_eq(c.pfirst_total, len);
		ck_assert_uint_eq(c.n, n);
		ck_assert_int_eq(fcntl(fd, F_GETFD) >= 0, 1);
		close(fd);
		coll_free(&c);
		free(path);
		tu_rmtree(dir);
		free(dir);
	}
	free(ref);
	free(lines);
	free(xml);
	rd_rules_free(rules);
}
END_TEST

typedef struct par_job {
	const rd_rules *rules;
	const char *xml;
	unsigned int jobs;
	coll c;
	int rc;
	int self_ok;
} par_job;

static void *par_run(void *arg)
{
	par_job *j = arg;
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;

	o.jobs = j->jobs;
	o.check.as_of = "2026-11-28";
	coll_init(&j->c); /* the callback must run in this thread */
	j->rc = rd_audit_memory(j->rules, j->xml, strlen(j->xml), "par.xml", &o, on_rec, NULL, &j->c,
	                        NULL);
	return NULL;
}

START_TEST(test_many_audits_in_threads)
{
	/* several audits at once in different threads share one rule set; each callback runs
	 * in its own audit's calling thread */
	enum { NT = 4 };
	rd_rules *rules = tu_starter();
	char *xml = gen_submission(slow_build() ? 30 : 300, "L", 9);
	par_job jobs[NT];
	pthread_t t[NT];
	size_t i;
	char *first = NULL;

	for (i = 0; i < NT; i++) {
		jobs[i].rules = rules;
		jobs[i].xml = xml;
		jobs[i].jobs = (unsigned int)(i + 1);
		ck_assert_int_eq(pthread_create(&t[i], NULL, par_run, &jobs[i]), 0);
	}
	for (i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NT; i++) {
		char *sum = coll_summary(&jobs[i].c, 1);

		ck_assert_int_eq(jobs[i].rc, RD_OK);
		ck_assert_int_eq(jobs[i].c.wrong_thread, 0);
		ck_assert_int_eq(jobs[i].c.out_of_order, 0);
		if (first == NULL) {
			first = sum;
		} else {
			ck_assert_str_eq(sum, first);
			free(sum);
		}
		coll_free(&jobs[i].c);
	}
	free(first);
	free(xml);
	rd_rules_free(rules);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc;

	tc = tcase_create("records");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_children_of_root);
	tcase_add_test(tc, test_submission_bookings_and_carry);
	tcase_add_test(tc, test_carry_options);
	tcase_add_test(tc, test_prefixed_submission);
	tcase_add_test(tc, test_namespaces_in_scope);
	tcase_add_test(tc, test_record_name_deep_and_nested);
	tcase_add_test(tc, test_markup_inside_records);
	tcase_add_test(tc, test_records_across_chunks);
	tcase_add_test(tc, test_crlf_bom_declaration);
	tcase_add_test(tc, test_other_encodings_refused);
	tcase_add_test(tc, test_big_line_numbers);
	suite_add_tcase(s, tc);

	tc = tcase_create("equality");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_same_findings_as_alone_generated);
	tcase_add_test(tc, test_same_findings_as_alone_gen_submission_py);
	tcase_add_test(tc, test_same_findings_as_alone_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("order");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_order_and_thread);
	tcase_add_test(tc, test_jobs_are_threads);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_many_audits_in_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_malformed_part_way);
	tcase_add_test(tc, test_truncated_and_trailing);
	tcase_add_test(tc, test_fault_late_in_big_file);
	tcase_add_test(tc, test_refused_inputs);
	tcase_add_test(tc, test_empty_and_bad_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("facets");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_facets);
	tcase_add_test(tc, test_evaluation_error_on_one_record);
	tcase_add_test(tc, test_check_options_reach_records);
	tcase_add_test(tc, test_budget_per_record);
	suite_add_tcase(s, tc);

	tc = tcase_create("progress");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_progress);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_writer_jsonl);
	tcase_add_test(tc, test_writer_json);
	tcase_add_test(tc, test_writer_no_records);
	tcase_add_test(tc, test_writer_misuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("sources");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fd_pipe_memory_stdin);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
