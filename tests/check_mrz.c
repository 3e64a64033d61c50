/* rahdari tests: the ICAO Doc 9303 machine-readable zone reader (<rahdari/mrz.h>).
 *
 * The vectors are those of the domain brief, section 4 (TV-1 to TV-8, the negative
 * vectors, the worked check digits of Part 3 Appendix A, the long document number of
 * 4.6, the truncated names of 4.1), plus MRZs built here with check digits computed by
 * this file's own 7-3-1 implementation. The property test substitutes every character
 * of A-Z, 0-9 and '<' at every position of valid MRZs of the five formats and compares
 * the reader's check digits with an independent model of the layouts.
 * The public corpora are read by check_mrz_corpus.c.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minijson.h"
#include "testutil.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A fixed as-of date, so that no result depends on the day the tests run. */
#define AS_OF "2026-11-28"

/* ---------------------------------------------------------------- the test's own 7-3-1 */

/* Value of an MRZ character, or -1 outside A-Z, 0-9 and '<'. */
static int mrz_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return 10 + (c - 'A');
	return c == '<' ? 0 : -1;
}

/* A run of characters: 0-based line, 0-based first position, length. */
typedef struct piece {
	int line, from, len;
} piece;

/* The check digit ('0'..'9') over pieces of lines, the weights running on from one
 * piece to the next; 0 when a character is outside the MRZ set. */
static char digit_over(const char lines[][48], const piece *p, int np)
{
	static const int weight[3] = { 7, 3, 1 };
	int sum = 0, k = 0, i, j;

	for (i = 0; i < np; i++) {
		for (j = 0; j < p[i].len; j++) {
			int v = mrz_value(lines[p[i].line][p[i].from + j]);

			if (v < 0)
				return 0;
			sum += v * weight[k % 3];
			k++;
		}
	}
	return (char)('0' + sum % 10);
}

static char digit_of(const char *s)
{
	char one[1][48];
	piece p = { 0, 0, 0 };

	ck_assert_uint_lt(strlen(s), 48);
	memset(one, 0, sizeof one);
	memcpy(one[0], s, strlen(s));
	p.len = (int)strlen(s);
	return digit_over((const char(*)[48])one, &p, 1);
}

/* ---------------------------------------------------------------- helpers */

/* Parse text as of a date (NULL: today). The test fails unless the call succeeds. */
static rd_mrz *parse_text(const char *text, const char *as_of)
{
	rd_mrz *m = NULL;
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	int rc;

	o.as_of = as_of;
	rc = rd_mrz_parse(&m, text, strlen(text), &o);
	ck_assert_msg(rc == RD_OK, "rd_mrz_parse failed (%d): %s", rc, rd_error_last()->message);
	ck_assert_ptr_nonnull(m);
	return m;
}

/* Join up to three lines with newlines into buf. */
static void join(char *buf, size_t size, const char *l1, const char *l2, const char *l3)
{
	int n = snprintf(buf, size, "%s\n%s%s%s", l1, l2 ? l2 : "", l3 ? "\n" : "", l3 ? l3 : "");

	ck_assert(n > 0 && (size_t)n < size);
}

static rd_mrz *parse_lines(const char *as_of, const char *l1, const char *l2, const char *l3)
{
	char text[256];

	join(text, sizeof text, l1, l2, l3);
	return parse_text(text, as_of);
}

#define MRZ2(l1, l2) parse_lines(AS_OF, (l1), (l2), NULL)
#define MRZ3(l1, l2, l3) parse_lines(AS_OF, (l1), (l2), (l3))

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the space-separated words of in into out. */
static void sort_words(const char *in, char *out, size_t size)
{
	char copy[2048];
	const char *w[64];
	size_t n = 0, i, off = 0;
	char *tok, *save = NULL;

	ck_assert_uint_lt(strlen(in), sizeof copy);
	strcpy(copy, in);
	for (tok = strtok_r(copy, " ", &save); tok && n < 64; tok = strtok_r(NULL, " ", &save))
		w[n++] = tok;
	qsort(w, n, sizeof *w, cmp_str);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		int k = snprintf(out + off, size - off, "%s%s", i ? " " : "", w[i]);

		ck_assert(k > 0 && (size_t)k < size - off);
		off += (size_t)k;
	}
}

/* The problems of one severity as sorted words "code:field@line:position" (field "-"
 * when the problem names none). */
static void problem_words(const rd_mrz *m, int severity, char *out, size_t size)
{
	char raw[2048];
	size_t i, off = 0;

	raw[0] = '\0';
	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(m, i);
		int k;

		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(p->code);
		ck_assert_ptr_nonnull(p->message);
		ck_assert_msg(p->message[0] != '\0', "problem %s has an empty message", p->code);
		if (p->severity != severity)
			continue;
		k = snprintf(raw + off, sizeof raw - off, "%s%s:%s@%d:%d", off ? " " : "", p->code,
		             p->field ? p->field : "-", p->line, p->position);
		ck_assert(k > 0 && (size_t)k < sizeof raw - off);
		off += (size_t)k;
	}
	sort_words(raw, out, size);
}

/* The errors (or warnings) of m are exactly the words of want, in any order. */
static void expect_problems(const rd_mrz *m, int severity, const char *want, int at)
{
	char got[2048], exp[2048];

	problem_words(m, severity, got, sizeof got);
	sort_words(want, exp, sizeof exp);
	ck_assert_msg(strcmp(got, exp) == 0, "line %d: %s are '%s', expected '%s'", at,
	              severity == RD_SEVERITY_ERROR ? "errors" : "warnings", got, exp);
}

#define EXPECT_ERRORS(m, want) expect_problems((m), RD_SEVERITY_ERROR, (want), __LINE__)
#define EXPECT_WARNINGS(m, want) expect_problems((m), RD_SEVERITY_WARNING, (want), __LINE__)

static const rd_mrz_check *find_check(const rd_mrz *m, const char *field)
{
	size_t i;

	for (i = 0; i < rd_mrz_check_count(m); i++) {
		const rd_mrz_check *c = rd_mrz_get_check(m, i);

		if (c && strcmp(c->field, field) == 0)
			return c;
	}
	return NULL;
}

static void expect_check(const rd_mrz *m, const char *field, int line, int pos, char expected,
                         char found, int ok, int at)
{
	const rd_mrz_check *c = find_check(m, field);

	ck_assert_msg(c != NULL, "line %d: no check digit for %s", at, field);
	ck_assert_msg(c->line == line && c->position == pos,
	              "line %d: check digit of %s at %d:%d, expected %d:%d", at, field, c->line,
	              c->position, line, pos);
	ck_assert_msg(c->expected == expected && c->found == found && (c->ok != 0) == (ok != 0),
	              "line %d: check digit of %s: expected '%c' found '%c' ok %d; wanted '%c' '%c' %d",
	              at, field, c->expected, c->found, c->ok, expected, found, ok);
}

#define EXPECT_CHECK(m, f, l, p, e, fd, ok) expect_check((m), (f), (l), (p), (e), (fd), (ok), __LINE__)

/* A field has the value want (NULL: the format has no such field). */
static void expect_field(const rd_mrz *m, rd_mrz_field f, const char *want, int at)
{
	const char *got = rd_mrz_get(m, f);

	if (want == NULL)
		ck_assert_msg(got == NULL, "line %d: field %s is '%s', expected none", at,
		              rd_mrz_field_name(f), got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		              "line %d: field %s is '%s', expected '%s'", at, rd_mrz_field_name(f),
		              got ? got : "(none)", want);
}

#define EXPECT_FIELD(m, f, want) expect_field((m), (f), (want), __LINE__)

/* The first problem with this code, or NULL. */
static const rd_mrz_problem *find_problem(const rd_mrz *m, const char *code)
{
	size_t i;

	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(m, i);

		if (strcmp(p->code, code) == 0)
			return p;
	}
	return NULL;
}

/* find_problem() and find_check() that fail the test when there is none. */
static const rd_mrz_problem *need_problem(const rd_mrz *m, const char *code)
{
	const rd_mrz_problem *p = find_problem(m, code);

	if (p == NULL)
		ck_abort_msg("no problem '%s'", code);
	return p;
}

static const rd_mrz_check *need_check(const rd_mrz *m, const char *field)
{
	const rd_mrz_check *c = find_check(m, field);

	if (c == NULL)
		ck_abort_msg("no check digit for %s", field);
	return c;
}

/* ---------------------------------------------------------------- the domain's vectors */

typedef struct want_check {
	const char *field;
	int line, pos;
	char expected, found;
	int ok;
} want_check;

typedef struct vector {
	const char *name;
	const char *lines[3];
	int format;
	int valid;
	const char *fields[RD_MRZ_FIELD_MAX]; /* NULL: the format has no such field */
	want_check checks[6];                 /* ended by a NULL field */
	const char *errors;
	const char *warnings;
	int truncated;
} vector;

#define UTO_WARNINGS(natline, natpos)                                                      \
	"specimen:issuingState@1:3 specimen:nationality@" #natline ":" #natpos

static const vector vectors[] = {
	{ "TV-1 TD3 specimen",
	  { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10", NULL },
	  RD_MRZ_TD3, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "P", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C3", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "optionalData", 2, 43, '1', '1', 1 },
	    { "composite", 2, 44, '0', '0', 1 } },
	  "",
	  "document-code-not-harmonised:documentCode@1:2 " UTO_WARNINGS(2, 11), 0 },
	{ "TV-2 TD2 specimen",
	  { "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6", NULL },
	  RD_MRZ_TD2, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '7', '7', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "composite", 2, 36, '6', '6', 1 } },
	  "", UTO_WARNINGS(2, 11), 0 },
	{ "TV-3 TD1 specimen",
	  { "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
	    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	  RD_MRZ_TD1, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_OPTIONAL_DATA2] = "", [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 1, 15, '7', '7', 1 },
	    { "birthDate", 2, 7, '2', '2', 1 },
	    { "expiryDate", 2, 15, '9', '9', 1 },
	    { "composite", 2, 30, '6', '6', 1 } },
	  "", UTO_WARNINGS(2, 16), 0 },
	{ "TV-4 MRV-A",
	  { "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	    "L898902C<3UTO6908061F9406236ZE184226B<<<<<<<", NULL },
	  RD_MRZ_MRVA, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "V", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1969-08-06", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "1994-06-23", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '3', '3', 1 },
	    { "birthDate", 2, 20, '1', '1', 1 },
	    { "expiryDate", 2, 28, '6', '6', 1 } },
	  "", UTO_WARNINGS(2, 11), 0 },
	{ "TV-5 MRV-B",
	  { "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L898902C<3UTO6908061F9406236ZE184226", NULL },
	  RD_MRZ_MRVB, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "V", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1969-08-06", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "1994-06-23", [RD_MRZ_OPTIONAL_DATA] = "ZE184226",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '3', '3', 1 },
	    { "birthDate", 2, 20, '1', '1', 1 },
	    { "expiryDate", 2, 28, '6', '6', 1 } },
	  "", UTO_WARNINGS(2, 11), 0 },
	{ "TV-6 MRV-A (XXX)",
	  { "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<", NULL },
	  RD_MRZ_MRVA, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "V", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L8988901C", [RD_MRZ_NATIONALITY] = "XXX",
	    [RD_MRZ_BIRTH_DATE] = "1940-09-07", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "1996-12-10", [RD_MRZ_OPTIONAL_DATA] = "6ZE184226B",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '4', '4', 1 },
	    { "birthDate", 2, 20, '8', '8', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 } },
	  "", "specimen:issuingState@1:3", 0 },
	{ "TV-7 MRV-B (XXX)",
	  { "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<", NULL },
	  RD_MRZ_MRVB, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "V", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L8988901C", [RD_MRZ_NATIONALITY] = "XXX",
	    [RD_MRZ_BIRTH_DATE] = "1940-09-07", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "1996-12-10", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '4', '4', 1 },
	    { "birthDate", 2, 20, '8', '8', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 } },
	  "", "specimen:issuingState@1:3", 0 },
	{ "TV-8 legacy TD3",
	  { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14", NULL },
	  RD_MRZ_TD3, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "P", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1969-08-06", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "1994-06-23", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 2, 10, '3', '3', 1 },
	    { "birthDate", 2, 20, '1', '1', 1 },
	    { "expiryDate", 2, 28, '6', '6', 1 },
	    { "optionalData", 2, 43, '1', '1', 1 },
	    { "composite", 2, 44, '4', '4', 1 } },
	  "", "document-code-not-harmonised:documentCode@1:2 " UTO_WARNINGS(2, 11), 0 },
	/* Part 3 Appendix A: right check digits, but YTO is no country */
	{ "Appendix A TD3 (YTO)",
	  { "P<YTOSTEVENSON<<PETER<JOHN<<<<<<<<<<<<<<<<<<",
	    "HA672242<6YTO5802254M9601086<<<<<<<<<<<<<<08", NULL },
	  RD_MRZ_TD3, 0,
	  { [RD_MRZ_DOCUMENT_CODE] = "P", [RD_MRZ_ISSUING_STATE] = "YTO",
	    [RD_MRZ_SURNAME] = "STEVENSON", [RD_MRZ_GIVEN_NAMES] = "PETER JOHN",
	    [RD_MRZ_DOCUMENT_NUMBER] = "HA672242", [RD_MRZ_NATIONALITY] = "YTO",
	    [RD_MRZ_BIRTH_DATE] = "1958-02-25", [RD_MRZ_SEX] = "M",
	    [RD_MRZ_EXPIRY_DATE] = "1996-01-08", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "STEVENSON<<PETER<JOHN" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '4', '4', 1 },
	    { "expiryDate", 2, 28, '6', '6', 1 },
	    { "optionalData", 2, 43, '0', '0', 1 },
	    { "composite", 2, 44, '8', '8', 1 } },
	  "unknown-country:issuingState@1:3 unknown-country:nationality@2:11",
	  "document-code-not-harmonised:documentCode@1:2", 0 },
	{ "Appendix A TD2 (YTO)",
	  { "I<YTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "HA672242<6YTO5802254M9601086<<<<<<<8", NULL },
	  RD_MRZ_TD2, 0,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "YTO",
	    [RD_MRZ_SURNAME] = "STEVENSON", [RD_MRZ_GIVEN_NAMES] = "PETER JOHN",
	    [RD_MRZ_DOCUMENT_NUMBER] = "HA672242", [RD_MRZ_NATIONALITY] = "YTO",
	    [RD_MRZ_BIRTH_DATE] = "1958-02-25", [RD_MRZ_SEX] = "M",
	    [RD_MRZ_EXPIRY_DATE] = "1996-01-08", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "STEVENSON<<PETER<JOHN" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '4', '4', 1 },
	    { "expiryDate", 2, 28, '6', '6', 1 },
	    { "composite", 2, 36, '8', '8', 1 } },
	  "unknown-country:issuingState@1:3 unknown-country:nationality@2:11", "", 0 },
	{ "Appendix A TD1 (YTO)",
	  { "I<YTOD231458907<<<<<<<<<<<<<<<", "3407127M9507122YTO<<<<<<<<<<<2",
	    "STEVENSON<<PETER<JOHN<<<<<<<<<" },
	  RD_MRZ_TD1, 0,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "YTO",
	    [RD_MRZ_SURNAME] = "STEVENSON", [RD_MRZ_GIVEN_NAMES] = "PETER JOHN",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890", [RD_MRZ_NATIONALITY] = "YTO",
	    [RD_MRZ_BIRTH_DATE] = "1934-07-12", [RD_MRZ_SEX] = "M",
	    [RD_MRZ_EXPIRY_DATE] = "1995-07-12", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_OPTIONAL_DATA2] = "", [RD_MRZ_NAME] = "STEVENSON<<PETER<JOHN" },
	  { { "documentNumber", 1, 15, '7', '7', 1 },
	    { "birthDate", 2, 7, '7', '7', 1 },
	    { "expiryDate", 2, 15, '2', '2', 1 },
	    { "composite", 2, 30, '2', '2', 1 } },
	  "unknown-country:issuingState@1:3 unknown-country:nationality@2:16", "", 0 },
	/* 4.6: a long document number continued in the optional data */
	{ "4.6 TD1 long number D23145890XYZ",
	  { "I<UTOD23145890<XYZ5<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<0",
	    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	  RD_MRZ_TD1, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890XYZ", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_OPTIONAL_DATA2] = "", [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 1, 19, '5', '5', 1 },
	    { "birthDate", 2, 7, '2', '2', 1 },
	    { "expiryDate", 2, 15, '9', '9', 1 },
	    { "composite", 2, 30, '0', '0', 1 } },
	  "", UTO_WARNINGS(2, 16), 0 },
	{ "TD1 long number with optional data after it",
	  { "I<UTOD23145890<XYZ5<ABC<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<5",
	    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	  RD_MRZ_TD1, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "ERIKSSON", [RD_MRZ_GIVEN_NAMES] = "ANNA MARIA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890XYZ", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "ABC",
	    [RD_MRZ_OPTIONAL_DATA2] = "", [RD_MRZ_NAME] = "ERIKSSON<<ANNA<MARIA" },
	  { { "documentNumber", 1, 19, '5', '5', 1 },
	    { "birthDate", 2, 7, '2', '2', 1 },
	    { "expiryDate", 2, 15, '9', '9', 1 },
	    { "composite", 2, 30, '5', '5', 1 } },
	  "", UTO_WARNINGS(2, 16), 0 },
	/* TD2 long numbers built for these tests (check digits from this file's 7-3-1) */
	{ "TD2 long number D23145890K7",
	  { "I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<", "D23145890<PAK7408122F1204159K78<<<<6", NULL },
	  RD_MRZ_TD2, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "PAK",
	    [RD_MRZ_SURNAME] = "KHAN", [RD_MRZ_GIVEN_NAMES] = "AYESHA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "D23145890K7", [RD_MRZ_NATIONALITY] = "PAK",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "KHAN<<AYESHA" },
	  { { "documentNumber", 2, 31, '8', '8', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "composite", 2, 36, '6', '6', 1 } },
	  "", "", 0 },
	{ "TD2 long number PK12345678901 (13 characters)",
	  { "I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<", "PK1234567<PAK7408122F120415989013<<2", NULL },
	  RD_MRZ_TD2, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "I", [RD_MRZ_ISSUING_STATE] = "PAK",
	    [RD_MRZ_SURNAME] = "KHAN", [RD_MRZ_GIVEN_NAMES] = "AYESHA",
	    [RD_MRZ_DOCUMENT_NUMBER] = "PK12345678901", [RD_MRZ_NATIONALITY] = "PAK",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "",
	    [RD_MRZ_NAME] = "KHAN<<AYESHA" },
	  { { "documentNumber", 2, 33, '3', '3', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "composite", 2, 36, '2', '2', 1 } },
	  "", "", 0 },
	/* the three truncation examples of 4.1 (TD3, PP, UTO), on TV-1's lower line */
	{ "4.1 truncated NILAVADHANANANDA",
	  { "PPUTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K",
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10", NULL },
	  RD_MRZ_TD3, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "PP", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "NILAVADHANANANDA", [RD_MRZ_GIVEN_NAMES] = "CHAYAPA DEJTHAMRONG K",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C3", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "optionalData", 2, 43, '1', '1', 1 },
	    { "composite", 2, 44, '0', '0', 1 } },
	  "", "name-truncated:name@1:44 " UTO_WARNINGS(2, 11), 1 },
	{ "4.1 truncated BENNELONG",
	  { "PPUTOBENNELONG<WOOLOOMOOLOO<WARRANDYTE<W<<DI",
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10", NULL },
	  RD_MRZ_TD3, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "PP", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "BENNELONG WOOLOOMOOLOO WARRANDYTE W", [RD_MRZ_GIVEN_NAMES] = "DI",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C3", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "BENNELONG<WOOLOOMOOLOO<WARRANDYTE<W<<DI" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "optionalData", 2, 43, '1', '1', 1 },
	    { "composite", 2, 44, '0', '0', 1 } },
	  "", "name-truncated:name@1:44 " UTO_WARNINGS(2, 11), 1 },
	{ "4.1 exactly filled PAPANDROPOULOUS",
	  { "PPUTOPAPANDROPOULOUS<<JONATHON<WARREN<TREVOR",
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10", NULL },
	  RD_MRZ_TD3, 1,
	  { [RD_MRZ_DOCUMENT_CODE] = "PP", [RD_MRZ_ISSUING_STATE] = "UTO",
	    [RD_MRZ_SURNAME] = "PAPANDROPOULOUS", [RD_MRZ_GIVEN_NAMES] = "JONATHON WARREN TREVOR",
	    [RD_MRZ_DOCUMENT_NUMBER] = "L898902C3", [RD_MRZ_NATIONALITY] = "UTO",
	    [RD_MRZ_BIRTH_DATE] = "1974-08-12", [RD_MRZ_SEX] = "F",
	    [RD_MRZ_EXPIRY_DATE] = "2012-04-15", [RD_MRZ_OPTIONAL_DATA] = "ZE184226B",
	    [RD_MRZ_NAME] = "PAPANDROPOULOUS<<JONATHON<WARREN<TREVOR" },
	  { { "documentNumber", 2, 10, '6', '6', 1 },
	    { "birthDate", 2, 20, '2', '2', 1 },
	    { "expiryDate", 2, 28, '9', '9', 1 },
	    { "optionalData", 2, 43, '1', '1', 1 },
	    { "composite", 2, 44, '0', '0', 1 } },
	  "", "name-truncated:name@1:44 " UTO_WARNINGS(2, 11), 1 },
};

static void run_vector(const vector *v, const char *as_of)
{
	static const int lens[] = { 0, 30, 36, 44, 44, 36 };
	rd_mrz *m;
	int f, i, nlines = v->format == RD_MRZ_TD1 ? 3 : 2;
	size_t nchecks = 0;

	/* guard against typing mistakes in the table */
	for (i = 0; i < nlines; i++)
		ck_assert_msg(strlen(v->lines[i]) == (size_t)lens[v->format], "%s: line %d has %zu characters",
		              v->name, i + 1, strlen(v->lines[i]));
	m = parse_lines(as_of, v->lines[0], v->lines[1], v->lines[2]);
	ck_assert_msg(rd_mrz_get_format(m) == v->format, "%s: format %s", v->name,
	              rd_mrz_format_name(rd_mrz_get_format(m)));
	ck_assert_msg(rd_mrz_valid(m) == v->valid, "%s: valid %d", v->name, rd_mrz_valid(m));
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		const char *got = rd_mrz_get(m, (rd_mrz_field)f);
		const char *want = v->fields[f];

		ck_assert_msg((got == NULL) == (want == NULL) && (!got || strcmp(got, want) == 0),
		              "%s: field %s is '%s', expected '%s'", v->name,
		              rd_mrz_field_name((rd_mrz_field)f), got ? got : "(none)",
		              want ? want : "(none)");
	}
	for (i = 0; v->checks[i].field; i++) {
		const want_check *w = &v->checks[i];
		const rd_mrz_check *c = find_check(m, w->field);

		ck_assert_msg(c != NULL, "%s: no check digit for %s", v->name, w->field);
		ck_assert_msg(c->line == w->line && c->position == w->pos && c->expected == w->expected &&
		                  c->found == w->found && (c->ok != 0) == w->ok,
		              "%s: check %s at %d:%d expected '%c' found '%c' ok %d", v->name, w->field,
		              c->line, c->position, c->expected, c->found, c->ok);
		nchecks++;
	}
	ck_assert_msg(rd_mrz_check_count(m) == nchecks, "%s: %zu check digits, expected %zu", v->name,
	              rd_mrz_check_count(m), nchecks);
	ck_assert_ptr_null(rd_mrz_get_check(m, nchecks));
	expect_problems(m, RD_SEVERITY_ERROR, v->errors, __LINE__);
	expect_problems(m, RD_SEVERITY_WARNING, v->warnings, __LINE__);
	ck_assert_int_eq(rd_mrz_name_truncated(m), v->truncated);
	ck_assert_ptr_null(rd_mrz_get_problem(m, rd_mrz_problem_count(m)));
	rd_mrz_free(m);
}

START_TEST(test_vectors)
{
	run_vector(&vectors[_i], AS_OF);
}
END_TEST

START_TEST(test_vectors_other_dates)
{
	/* nothing in these vectors moves with the as-of date between 2013 and 2031 (the
	 * 2012 expiry stays in this century, the 1994 and 1996 ones in the last) */
	run_vector(&vectors[_i], "2013-01-01");
	run_vector(&vectors[_i], "2031-12-31");
}
END_TEST

START_TEST(test_tv4_without_as_of)
{
	/* today (not before 2026, not after 2074): 940623 is 1994, not 2094 */
	rd_mrz *m = parse_lines(NULL, "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	                        "L898902C<3UTO6908061F9406236ZE184226B<<<<<<<", NULL);

	EXPECT_FIELD(m, RD_MRZ_EXPIRY_DATE, "1994-06-23");
	EXPECT_FIELD(m, RD_MRZ_BIRTH_DATE, "1969-08-06");
	ck_assert(rd_mrz_valid(m));
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- negative vectors */

#define TV1_L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TV1_L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"

START_TEST(test_changed_birth_date)
{
	rd_mrz *m = MRZ2(TV1_L1, "L898902C36UTO7508122F1204159ZE184226B<<<<<10");
	const rd_mrz_problem *p;
	size_t i, n = 0;

	ck_assert(!rd_mrz_valid(m));
	EXPECT_FIELD(m, RD_MRZ_BIRTH_DATE, "1975-08-12");
	EXPECT_CHECK(m, "birthDate", 2, 20, '5', '2', 0);
	EXPECT_CHECK(m, "composite", 2, 44, '1', '0', 0);
	EXPECT_CHECK(m, "documentNumber", 2, 10, '6', '6', 1);
	EXPECT_CHECK(m, "expiryDate", 2, 28, '9', '9', 1);
	EXPECT_CHECK(m, "optionalData", 2, 43, '1', '1', 1);
	/* exactly two errors, both check digits, with what was expected and found */
	EXPECT_ERRORS(m, "check-digit:birthDate@2:20 check-digit:composite@2:44");
	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		p = rd_mrz_get_problem(m, i);
		if (p->severity != RD_SEVERITY_ERROR)
			continue;
		n++;
		if (p->position == 20) {
			ck_assert_int_eq(p->expected, '5');
			ck_assert_int_eq(p->found, '2');
		} else {
			ck_assert_int_eq(p->expected, '1');
			ck_assert_int_eq(p->found, '0');
		}
		ck_assert_contains(p->message, "expected");
	}
	ck_assert_uint_eq(n, 2);
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_unprotected_fields)
{
	/* nationality and sex are covered by no check digit: still valid */
	static const char *const seconds[] = {
		"L898902C36GBR7408122F1204159ZE184226B<<<<<10", /* nationality GBR */
		"L898902C36UTO7408122M1204159ZE184226B<<<<<10", /* sex M */
		"L898902C36PAK7408122M1204159ZE184226B<<<<<10", /* both */
	};
	size_t i, k;

	for (i = 0; i < COUNT(seconds); i++) {
		rd_mrz *m = MRZ2(TV1_L1, seconds[i]);

		ck_assert_msg(rd_mrz_valid(m), "%s", seconds[i]);
		for (k = 0; k < rd_mrz_check_count(m); k++)
			ck_assert(rd_mrz_get_check(m, k)->ok);
		EXPECT_ERRORS(m, "");
		rd_mrz_free(m);
	}
	{
		rd_mrz *m = MRZ2(TV1_L1, seconds[0]);

		EXPECT_FIELD(m, RD_MRZ_NATIONALITY, "GBR");
		EXPECT_WARNINGS(m, "document-code-not-harmonised:documentCode@1:2 specimen:issuingState@1:3");
		rd_mrz_free(m);
		m = MRZ2(TV1_L1, seconds[1]);
		EXPECT_FIELD(m, RD_MRZ_SEX, "M");
		rd_mrz_free(m);
	}
}
END_TEST

START_TEST(test_wrong_line_lengths)
{
	static const struct {
		const char *l1, *l2, *l3;
		const char *shape;
	} cases[] = {
		{ TV1_L1, "L898902C36UTO7408122F1204159ZE184226B<<<<10", NULL, "44, 43" },
		{ TV1_L1, "L898902C36UTO7408122F1204159ZE184226B<<<<<<10", NULL, "44, 45" },
		{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<", TV1_L2, NULL, "43, 44" },
		{ TV1_L1, TV1_L2, TV1_L2, "44, 44, 44" },
		{ "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", NULL, "30, 30" },
		{ "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "30, 29, 30" },
		{ "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6<", NULL,
		  "36, 37" },
		{ TV1_L1, "D231458907UTO7408122F1204159<<<<<<<6", NULL, "44, 36" },
	};
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		rd_mrz *m = parse_lines(AS_OF, cases[i].l1, cases[i].l2, cases[i].l3);
		const rd_mrz_problem *p = find_problem(m, "format");

		ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
		ck_assert(!rd_mrz_valid(m));
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(p->severity, RD_SEVERITY_ERROR);
		ck_assert_uint_eq(rd_mrz_check_count(m), 0);
		EXPECT_ERRORS(m, "format:-@0:0");
		for (int f = 1; f < RD_MRZ_FIELD_MAX; f++)
			ck_assert_ptr_null(rd_mrz_get(m, (rd_mrz_field)f));
		rd_mrz_free(m);
	}
}
END_TEST

START_TEST(test_format_message_names_lengths)
{
	/* doc/mrz.md: "the lines fit no format (their count and lengths are named)" */
	static const struct {
		const char *text, *shape;
	} cases[] = {
		{ TV1_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<10", "2 lines of 44, 43 characters" },
		{ TV1_L1 "\nL898902C36UTO7408122F1204159ZE184226B<<<<<<10", "2 lines of 44, 45 characters" },
		{ TV1_L1, "1 line of 44 characters" },
		{ TV1_L1 "\n" TV1_L2 "\n" TV1_L1 "\n" TV1_L2, "4 lines of 44, 44, 44, 44 characters" },
		{ "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		  "3 lines of 30, 29, 30 characters" },
	};
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		rd_mrz *m = parse_text(cases[i].text, AS_OF);
		char msg[256];

		snprintf(msg, sizeof msg, "%s", need_problem(m, "format")->message);
		rd_mrz_free(m);
		ck_assert_msg(strstr(msg, cases[i].shape) != NULL, "'%s' does not say '%s'", msg,
		              cases[i].shape);
	}
}
END_TEST

START_TEST(test_one_and_four_lines)
{
	rd_mrz *m = parse_text(TV1_L1, AS_OF);

	ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
	EXPECT_ERRORS(m, "format:-@0:0");
	rd_mrz_free(m);
	m = parse_text(TV1_L1 "\n" TV1_L2 "\n" TV1_L1 "\n" TV1_L2, AS_OF);
	ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
	ck_assert_contains(need_problem(m, "format")->message, "4 lines");
	rd_mrz_free(m);
	m = parse_text("", AS_OF);
	ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
	ck_assert(!rd_mrz_valid(m));
	ck_assert_contains(need_problem(m, "format")->message, "0 lines");
	rd_mrz_free(m);
	m = parse_text(" \n\t\r\n \n", AS_OF);
	ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_lower_case)
{
	rd_mrz *m = MRZ2("P<UTOEriksson<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TV1_L2);

	ck_assert(!rd_mrz_valid(m));
	/* each lower-case letter, by line and position */
	EXPECT_ERRORS(m, "charset:-@1:7 charset:-@1:8 charset:-@1:9 charset:-@1:10 charset:-@1:11 "
	                 "charset:-@1:12 charset:-@1:13");
	ck_assert_contains(need_problem(m, "charset")->message, "'r'");
	ck_assert_contains(need_problem(m, "charset")->message, "line 1, position 7");
	rd_mrz_free(m);
	/* in the lower line, where it also spoils the check digit covering it */
	m = MRZ2(TV1_L1, "l898902C36UTO7408122F1204159ZE184226B<<<<<10");
	ck_assert(!rd_mrz_valid(m));
	ck_assert_ptr_nonnull(find_problem(m, "charset"));
	ck_assert_int_eq(need_problem(m, "charset")->line, 2);
	ck_assert_int_eq(need_problem(m, "charset")->position, 1);
	ck_assert(!need_check(m, "documentNumber")->ok);
	ck_assert(!need_check(m, "composite")->ok);
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_bad_characters)
{
	static const char bad[] = "-.,' /*#\"&a";
	size_t i;

	/* in the name (covered by no check digit): exactly one error */
	for (i = 0; i < sizeof bad - 1; i++) {
		char l1[45], want[64];
		rd_mrz *m;

		strcpy(l1, TV1_L1);
		l1[19] = bad[i]; /* the '<' between ANNA and MARIA, position 20 */
		m = MRZ2(l1, TV1_L2);
		ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_TD3);
		ck_assert_msg(!rd_mrz_valid(m), "'%c' accepted", bad[i]);
		snprintf(want, sizeof want, "charset:-@1:20");
		EXPECT_ERRORS(m, want);
		ck_assert_int_eq(need_problem(m, "charset")->found, bad[i]);
		rd_mrz_free(m);
	}
	/* in the document number: the check digits over it cannot be computed */
	{
		rd_mrz *m = MRZ2(TV1_L1, "L898*02C36UTO7408122F1204159ZE184226B<<<<<10");
		const rd_mrz_check *c = find_check(m, "documentNumber");

		EXPECT_ERRORS(m, "charset:-@2:5 check-digit:documentNumber@2:10 check-digit:composite@2:44");
		ck_assert(!c->ok);
		ck_assert_int_eq(c->found, '6');
		ck_assert(!need_check(m, "composite")->ok);
		ck_assert(need_check(m, "birthDate")->ok);
		rd_mrz_free(m);
	}
	/* a byte outside ASCII (the line stays 44 bytes long) */
	{
		rd_mrz *m = MRZ2("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\xff", TV1_L2);

		EXPECT_ERRORS(m, "charset:-@1:44");
		ck_assert_contains(need_problem(m, "charset")->message, "0xff");
		rd_mrz_free(m);
	}
}
END_TEST

START_TEST(test_nul_byte)
{
	/* a NUL byte inside a line (the length says where the text ends) is a character
	 * outside the set like any other, and so is everything after it */
	static const char text[] = "P<UTOERIKSSON<<ANNA\0maria<<<<<<<<<<<<<<<<<<<\n" TV1_L2;
	rd_mrz *m = NULL;
	int valid, format;
	char errors[512];

	ck_assert_int_eq(rd_mrz_parse(&m, text, sizeof text - 1, NULL), RD_OK);
	valid = rd_mrz_valid(m);
	format = rd_mrz_get_format(m);
	problem_words(m, RD_SEVERITY_ERROR, errors, sizeof errors);
	rd_mrz_free(m);
	ck_assert_int_eq(format, RD_MRZ_TD3);
	ck_assert_msg(!valid, "an MRZ with a NUL byte is valid (errors '%s')", errors);
	ck_assert_msg(strstr(errors, "charset:-@1:20") != NULL, "errors '%s'", errors);
	ck_assert_msg(strstr(errors, "charset:-@1:21") != NULL, "errors '%s'", errors);
}
END_TEST

START_TEST(test_unknown_country)
{
	rd_mrz *m = MRZ2("P<YTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	                 "L898902C36YTO7408122F1204159ZE184226B<<<<<10");

	ck_assert(!rd_mrz_valid(m));
	EXPECT_ERRORS(m, "unknown-country:issuingState@1:3 unknown-country:nationality@2:11");
	EXPECT_WARNINGS(m, "document-code-not-harmonised:documentCode@1:2");
	ck_assert_contains(need_problem(m, "unknown-country")->message, "YTO");
	EXPECT_FIELD(m, RD_MRZ_ISSUING_STATE, "YTO");
	rd_mrz_free(m);
	/* only the nationality */
	m = MRZ2("PPPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	         "L898902C36AAA7408122F1204159ZE184226B<<<<<10");
	EXPECT_ERRORS(m, "unknown-country:nationality@2:11");
	EXPECT_WARNINGS(m, "");
	rd_mrz_free(m);
	/* TD1: nationality on line 2 at 16 */
	m = MRZ3("I<ZZZD231458907<<<<<<<<<<<<<<<", "7408122F1204159ZZZ<<<<<<<<<<<6",
	         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	EXPECT_ERRORS(m, "unknown-country:issuingState@1:3 unknown-country:nationality@2:16");
	rd_mrz_free(m);
	/* Germany's one-letter code, with fillers, is known */
	m = MRZ2("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
	         "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0");
	ck_assert(rd_mrz_valid(m));
	EXPECT_FIELD(m, RD_MRZ_ISSUING_STATE, "D");
	EXPECT_FIELD(m, RD_MRZ_NATIONALITY, "D");
	EXPECT_ERRORS(m, "");
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_document_codes)
{
	static const struct {
		const char *l1, *l2, *l3;
		const char *errors, *warnings;
	} cases[] = {
		/* harmonised passport codes: no warning */
		{ "PPPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10",
		  NULL, "", "" },
		{ "PDPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10",
		  NULL, "", "" },
		{ "PUPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10",
		  NULL, "", "" },
		/* other second letters: a warning */
		{ "PXPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10",
		  NULL, "", "document-code-not-harmonised:documentCode@1:2" },
		/* a 2x44 MRZ that is neither passport nor visa */
		{ "X<PAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10",
		  NULL, "document-code:documentCode@1:1", "" },
		/* TD1: never AI, never V second, first letter A, C or I */
		{ "AIPAKD231458907<<<<<<<<<<<<<<<", "7408122F1204159PAK<<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "document-code:documentCode@1:2", "" },
		{ "IVPAKD231458907<<<<<<<<<<<<<<<", "7408122F1204159PAK<<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "document-code:documentCode@1:2", "" },
		{ "P<PAKD231458907<<<<<<<<<<<<<<<", "7408122F1204159PAK<<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "document-code:documentCode@1:1", "" },
		{ "ACPAKD231458907<<<<<<<<<<<<<<<", "7408122F1204159PAK<<<<<<<<<<<6",
		  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "", "" },
		/* TD2: AI is allowed, V second is not */
		{ "AIPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907PAK7408122F1204159<<<<<<<6", NULL, "",
		  "" },
		{ "CVPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907PAK7408122F1204159<<<<<<<6", NULL,
		  "document-code:documentCode@1:2", "" },
	};
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		rd_mrz *m = parse_lines(AS_OF, cases[i].l1, cases[i].l2, cases[i].l3);

		EXPECT_ERRORS(m, cases[i].errors);
		EXPECT_WARNINGS(m, cases[i].warnings);
		ck_assert_int_eq(rd_mrz_valid(m), cases[i].errors[0] == '\0');
		rd_mrz_free(m);
	}
}
END_TEST

/* ---------------------------------------------------------------- check digits */

START_TEST(test_worked_check_digits)
{
	/* Part 3 Appendix A */
	ck_assert_int_eq(rd_mrz_check_digit("520727", 6), '3');
	ck_assert_int_eq(rd_mrz_check_digit("AB2134<<<", 9), '5');
	ck_assert_int_eq(rd_mrz_check_digit("<<<<<<", 6), '0');
	ck_assert_int_eq(rd_mrz_check_digit("HA672242<6" "5802254" "9601086<<<<<<<<<<<<<<0", 39), '8');
	ck_assert_int_eq(rd_mrz_check_digit("D231458907<<<<<<<<<<<<<<<" "3407127" "9507122"
	                                    "<<<<<<<<<<<", 50),
	                 '2');
	ck_assert_int_eq(rd_mrz_check_digit("HA672242<6" "5802254" "9601086<<<<<<<", 31), '8');
	/* the specimens' digits */
	ck_assert_int_eq(rd_mrz_check_digit("L898902C3", 9), '6');
	ck_assert_int_eq(rd_mrz_check_digit("740812", 6), '2');
	ck_assert_int_eq(rd_mrz_check_digit("120415", 6), '9');
	ck_assert_int_eq(rd_mrz_check_digit("ZE184226B<<<<<", 14), '1');
	ck_assert_int_eq(rd_mrz_check_digit("D23145890XYZ", 12), '5');
	ck_assert_int_eq(rd_mrz_check_digit("74<<<<", 6), '1');
	/* the length is honoured; an empty run is 0 */
	ck_assert_int_eq(rd_mrz_check_digit("520727XXXX", 6), '3');
	ck_assert_int_eq(rd_mrz_check_digit("", 0), '0');
	/* characters outside the set: no digit */
	ck_assert_int_eq(rd_mrz_check_digit("52072a", 6), 0);
	ck_assert_int_eq(rd_mrz_check_digit("AB 134", 6), 0);
	ck_assert_int_eq(rd_mrz_check_digit("AB-134", 6), 0);
	ck_assert_int_eq(rd_mrz_check_digit(NULL, 3), 0);
}
END_TEST

START_TEST(test_check_digit_agrees_with_own)
{
	/* every single character and many runs, against this file's implementation */
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	unsigned int seed = 12345;
	int i, n;

	for (i = 0; set[i]; i++) {
		char s[2] = { set[i], '\0' };

		ck_assert_int_eq(rd_mrz_check_digit(s, 1), digit_of(s));
		ck_assert_int_eq(rd_mrz_check_digit(s, 1) - '0', (mrz_value(set[i]) * 7) % 10);
	}
	for (n = 0; n < 2000; n++) {
		char s[40];
		int len = 1 + n % 39, k;

		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			s[k] = set[(seed >> 16) % 37];
		}
		s[len] = '\0';
		ck_assert_int_eq(rd_mrz_check_digit(s, (size_t)len), digit_of(s));
	}
}
END_TEST

START_TEST(test_optional_data_check_digit)
{
	/* empty optional data: '<' or '0' */
	rd_mrz *m = MRZ2("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
	                 "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0");

	ck_assert(rd_mrz_valid(m));
	EXPECT_CHECK(m, "optionalData", 2, 43, '0', '<', 1);
	EXPECT_FIELD(m, RD_MRZ_OPTIONAL_DATA, "");
	rd_mrz_free(m);
	m = MRZ2("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
	         "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<00");
	ck_assert(rd_mrz_valid(m));
	EXPECT_CHECK(m, "optionalData", 2, 43, '0', '0', 1);
	EXPECT_CHECK(m, "composite", 2, 44, '0', '0', 1);
	rd_mrz_free(m);
	/* anything else in an empty field is wrong (composite fixed: 5 + 5*1 → 5) */
	m = MRZ2("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
	         "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<55");
	ck_assert(!rd_mrz_valid(m));
	EXPECT_CHECK(m, "optionalData", 2, 43, '0', '5', 0);
	EXPECT_ERRORS(m, "check-digit:optionalData@2:43");
	rd_mrz_free(m);
	/* a filled field with '<' as its check digit is wrong (composite recomputed: 9) */
	m = MRZ2(TV1_L1, "L898902C36UTO7408122F1204159ZE184226B<<<<<<9");
	EXPECT_CHECK(m, "optionalData", 2, 43, '1', '<', 0);
	EXPECT_CHECK(m, "composite", 2, 44, '9', '9', 1);
	EXPECT_ERRORS(m, "check-digit:optionalData@2:43");
	rd_mrz_free(m);
	/* the filler rule is for the optional data only: a date's '<' check digit is wrong */
	m = MRZ2(TV1_L1, "L898902C36UTO740812<F1204159ZE184226B<<<<<18");
	EXPECT_CHECK(m, "birthDate", 2, 20, '2', '<', 0);
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- long document numbers */

START_TEST(test_long_number_problems)
{
	/* '<' in the check digit's place but nothing continued (composite 7 recomputed) */
	rd_mrz *m = MRZ3("I<UTOD23145890<<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<7",
	                 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");

	ck_assert(!rd_mrz_valid(m));
	EXPECT_ERRORS(m, "document-number:documentNumber@1:15");
	ck_assert_ptr_null(find_check(m, "documentNumber"));
	EXPECT_CHECK(m, "composite", 2, 30, '7', '7', 1);
	rd_mrz_free(m);
	/* a wrong check digit after the continuation */
	m = MRZ3("I<UTOD23145890<XYZ4<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<0",
	         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	EXPECT_CHECK(m, "documentNumber", 1, 19, '5', '4', 0);
	ck_assert(!need_check(m, "composite")->ok);
	EXPECT_ERRORS(m, "check-digit:documentNumber@1:19 check-digit:composite@2:30");
	rd_mrz_free(m);
	/* a continuation of one character is not enough (it would be its own check digit) */
	m = MRZ3("I<UTOD23145890<5<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<0",
	         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	ck_assert_ptr_nonnull(find_problem(m, "document-number"));
	rd_mrz_free(m);
	/* visas have no continuation: a 44-character visa with '<' as check digit is wrong */
	m = MRZ2("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	         "L898902C3<UTO6908061F9406236ZE184226B<<<<<<<");
	EXPECT_CHECK(m, "documentNumber", 2, 10, '6', '<', 0);
	ck_assert(!rd_mrz_valid(m));
	rd_mrz_free(m);
	/* TD2: the 4.6 rule, with the check digit followed by '<' */
	m = MRZ2("I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<", "D23145890<PAK7408122F1204159K79<<<<6");
	EXPECT_CHECK(m, "documentNumber", 2, 31, '8', '9', 0);
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- names */

START_TEST(test_names)
{
	rd_mrz *m;

	/* primary only */
	m = MRZ2("PPPAKCHER<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	EXPECT_FIELD(m, RD_MRZ_SURNAME, "CHER");
	EXPECT_FIELD(m, RD_MRZ_GIVEN_NAMES, "");
	EXPECT_FIELD(m, RD_MRZ_NAME, "CHER");
	ck_assert(rd_mrz_valid(m));
	rd_mrz_free(m);
	/* components of both parts */
	m = MRZ2("PPPAKAL<HASSAN<<MUHAMMAD<ALI<RAZA<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	EXPECT_FIELD(m, RD_MRZ_SURNAME, "AL HASSAN");
	EXPECT_FIELD(m, RD_MRZ_GIVEN_NAMES, "MUHAMMAD ALI RAZA");
	EXPECT_FIELD(m, RD_MRZ_NAME, "AL<HASSAN<<MUHAMMAD<ALI<RAZA");
	ck_assert(!rd_mrz_name_truncated(m));
	EXPECT_WARNINGS(m, "");
	rd_mrz_free(m);
	/* no primary identifier: a single name after '<<' (as India writes it) reads, with a
	 * warning; an empty name field is an error */
	m = MRZ2("PPPAK<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	EXPECT_ERRORS(m, "");
	EXPECT_WARNINGS(m, "name-no-primary:name@1:6");
	EXPECT_FIELD(m, RD_MRZ_SURNAME, "");
	EXPECT_FIELD(m, RD_MRZ_GIVEN_NAMES, "MUHAMMAD ALI");
	rd_mrz_free(m);
	/* a digit in a name is an error, at its position */
	m = MRZ2("PPPAKKHAN<<MUHAMMAD<AL1<<<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	EXPECT_ERRORS(m, "name:name@1:23");
	ck_assert_contains(need_problem(m, "name")->message, "'1'");
	ck_assert(!rd_mrz_valid(m));
	rd_mrz_free(m);
	m = MRZ3("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
	         "ERIKSSON2<<ANNA<MARIA<<<<<<<<<");
	EXPECT_ERRORS(m, "name:name@3:9");
	rd_mrz_free(m);
	/* TD1 and TD2 fields filled to the end: possibly truncated */
	m = MRZ3("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
	         "ERIKSSON<<ANNA<MARIA<ELISABETH");
	ck_assert(rd_mrz_name_truncated(m));
	EXPECT_WARNINGS(m, "name-truncated:name@3:30 " UTO_WARNINGS(2, 16));
	EXPECT_FIELD(m, RD_MRZ_GIVEN_NAMES, "ANNA MARIA ELISABETH");
	rd_mrz_free(m);
	m = MRZ2("I<UTOERIKSSON<<ANNA<MARIA<ELISABETHA", "D231458907UTO7408122F1204159<<<<<<<6");
	ck_assert(rd_mrz_name_truncated(m));
	EXPECT_WARNINGS(m, "name-truncated:name@1:36 " UTO_WARNINGS(2, 11));
	rd_mrz_free(m);
	/* one character short of the end: not truncated */
	m = MRZ2("I<UTOERIKSSON<<ANNA<MARIA<ELISABETH<", "D231458907UTO7408122F1204159<<<<<<<6");
	ck_assert(!rd_mrz_name_truncated(m));
	rd_mrz_free(m);
	/* fillers around the separator do not make empty components */
	m = MRZ2("PPPAKKHAN<<<MUHAMMAD<<ALI<<<<<<<<<<<<<<<<<<<", "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	EXPECT_FIELD(m, RD_MRZ_SURNAME, "KHAN");
	EXPECT_FIELD(m, RD_MRZ_GIVEN_NAMES, "MUHAMMAD ALI");
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- sex */

START_TEST(test_sex)
{
	static const struct {
		char c;
		const char *field;
		const char *errors, *warnings;
	} cases[] = {
		{ 'M', "M", "", "" },
		{ 'F', "F", "", "" },
		{ '<', "X", "", "" },
		{ 'X', "X", "", "sex:sex@2:21" },
		{ 'Q', "", "sex:sex@2:21", "" },
		{ '1', "", "sex:sex@2:21", "" },
	};
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		char l2[45];
		rd_mrz *m;

		strcpy(l2, "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
		l2[20] = cases[i].c;
		m = MRZ2("PPPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", l2);
		EXPECT_FIELD(m, RD_MRZ_SEX, cases[i].field);
		EXPECT_ERRORS(m, cases[i].errors);
		EXPECT_WARNINGS(m, cases[i].warnings);
		ck_assert_int_eq(rd_mrz_valid(m), cases[i].errors[0] == '\0');
		if (cases[i].errors[0] || cases[i].warnings[0])
			ck_assert_int_eq(need_problem(m, "sex")->found, cases[i].c);
		rd_mrz_free(m);
	}
	/* TD1: the sex is at line 2, position 8 */
	{
		rd_mrz *m = MRZ3("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122Z1204159UTO<<<<<<<<<<<6",
		                 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");

		EXPECT_ERRORS(m, "sex:sex@2:8");
		rd_mrz_free(m);
		m = MRZ3("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122<1204159UTO<<<<<<<<<<<6",
		         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
		EXPECT_FIELD(m, RD_MRZ_SEX, "X");
		ck_assert(rd_mrz_valid(m));
		rd_mrz_free(m);
	}
}
END_TEST

/* ---------------------------------------------------------------- dates */

/* A valid TD3 (PAK, no warnings) with these birth and expiry dates; check digits and
 * composite computed here. Returns the parsed MRZ. */
static rd_mrz *td3_dates(const char *birth, const char *expiry, const char *as_of)
{
	char l2[45];
	char lines[2][48];
	piece comp[3] = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 22 } };

	strcpy(l2, "L898902C36PAK7408122F1204159ZE184226B<<<<<10");
	memcpy(l2 + 13, birth, 6);
	l2[19] = digit_of(birth);
	memcpy(l2 + 21, expiry, 6);
	l2[27] = digit_of(expiry);
	memset(lines, 0, sizeof lines);
	memcpy(lines[1], l2, 44);
	l2[43] = digit_over((const char(*)[48])lines, comp, 3);
	ck_assert(l2[19] && l2[27] && l2[43]);
	return parse_lines(as_of, "PPPAKERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", l2, NULL);
}

static void expect_dates(const char *birth, const char *expiry, const char *as_of,
                         const char *want_birth, const char *want_expiry, const char *errors,
                         int at)
{
	rd_mrz *m = td3_dates(birth, expiry, as_of);

	expect_field(m, RD_MRZ_BIRTH_DATE, want_birth, at);
	expect_field(m, RD_MRZ_EXPIRY_DATE, want_expiry, at);
	expect_problems(m, RD_SEVERITY_ERROR, errors, at);
	/* the check digits are right whatever the dates say */
	ck_assert(need_check(m, "birthDate")->ok && need_check(m, "expiryDate")->ok &&
	          need_check(m, "composite")->ok);
	rd_mrz_free(m);
}

#define DATES(b, e, asof, wb, we, err) expect_dates((b), (e), (asof), (wb), (we), (err), __LINE__)

START_TEST(test_century_policy)
{
	/* birth: 20YY unless that is after the as-of date */
	DATES("261128", "300101", "2026-11-28", "2026-11-28", "2030-01-01", "");
	DATES("261129", "300101", "2026-11-28", "1926-11-29", "2030-01-01", "");
	DATES("000229", "300101", "2026-11-28", "2000-02-29", "2030-01-01", "");
	DATES("991231", "100101", "2000-01-01", "1999-12-31", "2010-01-01", "");
	DATES("000101", "100101", "2000-01-01", "2000-01-01", "2010-01-01", "");
	DATES("000102", "100101", "2000-01-01", "1900-01-02", "2010-01-01", "");
	DATES("100615", "300101", "2010-06-15", "2010-06-15", "2030-01-01", "");
	DATES("100616", "300101", "2010-06-15", "1910-06-16", "2030-01-01", "");
	DATES("820411", "300101", "2026-11-28", "1982-04-11", "2030-01-01", "");
	/* expiry: 20YY unless that is more than 20 years after the as-of date */
	DATES("820411", "461128", "2026-11-28", "1982-04-11", "2046-11-28", "");
	DATES("820411", "461129", "2026-11-28", "1982-04-11", "1946-11-29", "");
	DATES("820411", "120415", "2026-11-28", "1982-04-11", "2012-04-15", "");
	DATES("820411", "940623", "2026-11-28", "1982-04-11", "1994-06-23", "");
	DATES("820411", "991231", "2026-11-28", "1982-04-11", "1999-12-31", "");
	DATES("820411", "940623", "1990-01-01", "1982-04-11", "1994-06-23", "");
	DATES("820411", "940623", "2080-01-01", "1982-04-11", "2094-06-23", "");
	DATES("940623", "300101", "2080-01-01", "1994-06-23", "2030-01-01", "");
	DATES("820411", "440229", "2024-02-29", "1982-04-11", "2044-02-29", "");
	DATES("820411", "440301", "2024-02-29", "1982-04-11", "1944-03-01", "");
}
END_TEST

START_TEST(test_birth_date_not_in_future)
{
	/* domain 4.1: "reject if result is in the future". With an as-of date in 1999, 990601
	 * is 2099 or 1999, both after the as-of date: it must not be accepted silently. */
	rd_mrz *m = td3_dates("990601", "050101", "1999-01-01");
	const rd_mrz_problem *p = find_problem(m, "date");
	int flagged = p != NULL && p->field && strcmp(p->field, "birthDate") == 0;
	char got[16];

	snprintf(got, sizeof got, "%s", rd_mrz_get(m, RD_MRZ_BIRTH_DATE));
	rd_mrz_free(m);
	ck_assert_msg(flagged, "a birth date after the as-of date is accepted as %s", got);
}
END_TEST

START_TEST(test_impossible_dates)
{
	/* birth date at line 2, 14; expiry at 22 */
	DATES("741312", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("740012", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("740800", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("740230", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("740431", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("010229", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("740229", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:14");
	DATES("760229", "300101", AS_OF, "1976-02-29", "2030-01-01", "");
	/* 000229 before 2000 is 1900-02-29, which does not exist */
	DATES("000229", "050101", "1999-06-01", "", "2005-01-01", "date:birthDate@2:14");
	DATES("820411", "301301", AS_OF, "1982-04-11", "", "date:expiryDate@2:22");
	DATES("820411", "290229", AS_OF, "1982-04-11", "", "date:expiryDate@2:22");
	DATES("820411", "280229", AS_OF, "1982-04-11", "2028-02-29", "");
	DATES("820411", "300631", AS_OF, "1982-04-11", "", "date:expiryDate@2:22");
	/* a letter: the error names its position */
	DATES("74O812", "300101", AS_OF, "", "2030-01-01", "date:birthDate@2:16");
	DATES("820411", "3001A1", AS_OF, "1982-04-11", "", "date:expiryDate@2:26");
}
END_TEST

START_TEST(test_unknown_birth_date)
{
	rd_mrz *m = td3_dates("<<<<<<", "300101", AS_OF);

	ck_assert(rd_mrz_valid(m));
	EXPECT_FIELD(m, RD_MRZ_BIRTH_DATE, "");
	EXPECT_CHECK(m, "birthDate", 2, 20, '0', '0', 1);
	EXPECT_WARNINGS(m, "date-unknown:birthDate@2:14");
	rd_mrz_free(m);
	m = td3_dates("74<<<<", "300101", AS_OF);
	ck_assert(rd_mrz_valid(m));
	EXPECT_FIELD(m, RD_MRZ_BIRTH_DATE, "");
	EXPECT_CHECK(m, "birthDate", 2, 20, '1', '1', 1);
	EXPECT_WARNINGS(m, "date-unknown:birthDate@2:14");
	rd_mrz_free(m);
	/* an unknown expiry date is an error */
	m = td3_dates("820411", "<<<<<<", AS_OF);
	ck_assert(!rd_mrz_valid(m));
	EXPECT_ERRORS(m, "date:expiryDate@2:22");
	rd_mrz_free(m);
	/* TD1 */
	m = MRZ3("I<UTOD231458907<<<<<<<<<<<<<<<", "<<<<<<0F1204159UTO<<<<<<<<<<<6",
	         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	EXPECT_ERRORS(m, "");
	EXPECT_WARNINGS(m, "date-unknown:birthDate@2:1 " UTO_WARNINGS(2, 16));
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- input handling */

START_TEST(test_white_space_and_crlf)
{
	static const char *const texts[] = {
		TV1_L1 "\n" TV1_L2,
		TV1_L1 "\n" TV1_L2 "\n",
		TV1_L1 "\r\n" TV1_L2 "\r\n",
		"\n\n" TV1_L1 "\r\n\r\n" TV1_L2 "\n\n\n",
		"   " TV1_L1 "   \n\t" TV1_L2 "\t",
		"\t \r\n  " TV1_L1 " \r\n  " TV1_L2 " \r\n \t",
	};
	size_t i;

	for (i = 0; i < COUNT(texts); i++) {
		rd_mrz *m = parse_text(texts[i], AS_OF);

		ck_assert_msg(rd_mrz_get_format(m) == RD_MRZ_TD3 && rd_mrz_valid(m), "text %zu", i);
		EXPECT_FIELD(m, RD_MRZ_OPTIONAL_DATA, "ZE184226B");
		EXPECT_ERRORS(m, "");
		rd_mrz_free(m);
	}
	/* white space inside a line is a character like any other */
	{
		rd_mrz *m = parse_text("P<UTOERIKSSON<<ANNA MARIA<<<<<<<<<<<<<<<<<<<\n" TV1_L2, AS_OF);

		EXPECT_ERRORS(m, "charset:-@1:20");
		rd_mrz_free(m);
	}
	/* the length argument is honoured (no NUL needed) */
	{
		static const char text[] = TV1_L1 "\n" TV1_L2 "GARBAGE";
		rd_mrz *m = NULL;

		ck_assert_int_eq(rd_mrz_parse(&m, text, strlen(text) - 7, NULL), RD_OK);
		ck_assert(rd_mrz_valid(m));
		rd_mrz_free(m);
	}
}
END_TEST

START_TEST(test_bad_arguments)
{
	rd_mrz *keep = MRZ2(TV1_L1, TV1_L2); /* a sentinel: *out must be reset on failure */
	rd_mrz *m = keep;
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	char *js = NULL;
	static const char *const bad_dates[] = { "2026-02-30", "2026-13-01", "yesterday", "", "26-11-28" };
	size_t i;

	ck_assert_int_eq(rd_mrz_parse(NULL, TV1_L1, 44, NULL), RD_EINVAL);
	for (i = 0; i < COUNT(bad_dates); i++) {
		m = keep;
		o.as_of = bad_dates[i];
		ck_assert_msg(rd_mrz_parse(&m, TV1_L1 "\n" TV1_L2, 89, &o) == RD_EINVAL, "as-of '%s'",
		              bad_dates[i]);
		ck_assert_ptr_null(m);
		ck_assert_int_eq(rd_error_last()->code, RD_EINVAL);
	}
	m = keep;
	ck_assert_int_eq(rd_mrz_parse(&m, NULL, 10, NULL), RD_EINVAL);
	rd_mrz_free(keep);
	/* NULL text of length 0: an empty MRZ */
	ck_assert_int_eq(rd_mrz_parse(&m, NULL, 0, NULL), RD_OK);
	ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_UNKNOWN);
	rd_mrz_free(m);
	/* NULL everywhere is safe */
	ck_assert_int_eq(rd_mrz_get_format(NULL), RD_MRZ_UNKNOWN);
	ck_assert_int_eq(rd_mrz_valid(NULL), 0);
	ck_assert_ptr_null(rd_mrz_get(NULL, RD_MRZ_SURNAME));
	ck_assert_uint_eq(rd_mrz_check_count(NULL), 0);
	ck_assert_ptr_null(rd_mrz_get_check(NULL, 0));
	ck_assert_uint_eq(rd_mrz_problem_count(NULL), 0);
	ck_assert_ptr_null(rd_mrz_get_problem(NULL, 0));
	ck_assert_int_eq(rd_mrz_name_truncated(NULL), 0);
	ck_assert_int_eq(rd_mrz_known_code(NULL), 0);
	ck_assert_int_eq(rd_mrz_to_json(&js, NULL, NULL), RD_EINVAL);
	rd_mrz_free(NULL);
	m = MRZ2(TV1_L1, TV1_L2);
	ck_assert_int_eq(rd_mrz_to_json(NULL, NULL, m), RD_EINVAL);
	ck_assert_ptr_null(rd_mrz_get(m, (rd_mrz_field)0));
	ck_assert_ptr_null(rd_mrz_get(m, RD_MRZ_FIELD_MAX));
	ck_assert_ptr_null(rd_mrz_get(m, (rd_mrz_field)-1));
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_names_of_things)
{
	static const char *const names[] = { NULL, "documentCode", "issuingState", "surname",
		                             "givenNames", "documentNumber", "nationality",
		                             "birthDate", "sex", "expiryDate", "optionalData",
		                             "optionalData2", "name" };
	int f;

	ck_assert_int_eq(COUNT(names), RD_MRZ_FIELD_MAX);
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		ck_assert_str_eq(rd_mrz_field_name((rd_mrz_field)f), names[f]);
		ck_assert_int_eq(rd_mrz_field_from_name(names[f]), f);
	}
	ck_assert_ptr_null(rd_mrz_field_name((rd_mrz_field)0));
	ck_assert_ptr_null(rd_mrz_field_name(RD_MRZ_FIELD_MAX));
	ck_assert_int_eq(rd_mrz_field_from_name("bogus"), 0);
	ck_assert_int_eq(rd_mrz_field_from_name("BirthDate"), 0);
	ck_assert_int_eq(rd_mrz_field_from_name(""), 0);
	ck_assert_int_eq(rd_mrz_field_from_name(NULL), 0);
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_TD1), "TD1");
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_TD2), "TD2");
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_TD3), "TD3");
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_MRVA), "MRVA");
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_MRVB), "MRVB");
	ck_assert_str_eq(rd_mrz_format_name(RD_MRZ_UNKNOWN), "unknown");
	ck_assert_str_eq(rd_mrz_format_name(99), "unknown");
	ck_assert_str_eq(rd_mrz_format_name(-1), "unknown");
}
END_TEST

/* ---------------------------------------------------------------- codes */

START_TEST(test_known_codes)
{
	static const char *const known[] = {
		/* ISO 3166-1 alpha-3 */
		"PAK", "GBR", "DEU", "IND", "AFG", "SAU", "ARE", "USA", "CHN", "BEL", "ZWE", "ALA",
		/* ICAO additions (Doc 9303 Part 3, 5) */
		"D", "D<<", "D<", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "EUE", "UNO", "UNA", "UNK",
		"XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO", "XES", "XMP", "XOM", "XDC", "XXA",
		"XXB", "XXC", "XXX", "ANT", "NTZ", "UTO",
	};
	static const char *const unknown[] = {
		"YTO", "AAA", "ZZZ", "BAD", "ASU", "BOS", "INP", "pak", "Pak", "PA", "PAKI", "P<K",
		"<PA", "", "<", "<<<", "DE", "GB", "UK", "P4K", "12A", "D<D", "XXD",
	};
	size_t i;

	for (i = 0; i < COUNT(known); i++)
		ck_assert_msg(rd_mrz_known_code(known[i]) == 1, "'%s' unknown", known[i]);
	for (i = 0; i < COUNT(unknown); i++)
		ck_assert_msg(rd_mrz_known_code(unknown[i]) == 0, "'%s' known", unknown[i]);
}
END_TEST

/* ---------------------------------------------------------------- JSON */

/* A member that must be there. */
static const mj_value *jneed(const mj_value *v, const char *key)
{
	const mj_value *m = mj_get(v, key);

	if (m == NULL)
		ck_abort_msg("JSON member '%s' missing", key);
	return m;
}

/* Parse an MRZ's JSON; the test fails unless it is one well-formed object. */
static mj_value *json_of(const rd_mrz *m)
{
	char *js = NULL;
	size_t len = 0;
	const char *err = NULL;
	mj_value *v;

	ck_assert_int_eq(rd_mrz_to_json(&js, &len, m), RD_OK);
	ck_assert_ptr_nonnull(js);
	ck_assert_uint_eq(len, strlen(js));
	v = mj_parse(js, len, &err);
	ck_assert_msg(v != NULL, "bad JSON (%s): %s", err ? err : "?", js);
	rd_free(js);
	ck_assert_int_eq(v->type, MJ_OBJECT);
	return v;
}

/* The JSON agrees with the API: fields, checks, errors and warnings. */
static void json_agrees(const rd_mrz *m, const mj_value *v)
{
	const mj_value *fields = mj_get(v, "fields"), *checks = mj_get(v, "checks");
	const mj_value *lists[2] = { mj_get(v, "errors"), mj_get(v, "warnings") };
	size_t i, nfields = 0, k;
	int f;

	if (rd_mrz_get_format(m) == RD_MRZ_UNKNOWN)
		ck_assert_int_eq(jneed(v, "format")->type, MJ_NULL);
	else
		ck_assert_str_eq(mj_get_str(v, "format"), rd_mrz_format_name(rd_mrz_get_format(m)));
	ck_assert_int_eq(mj_bool(mj_get(v, "valid")), rd_mrz_valid(m));
	ck_assert_ptr_nonnull(fields);
	ck_assert_int_eq(fields->type, MJ_OBJECT);
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		const char *want = rd_mrz_get(m, (rd_mrz_field)f);
		const char *got = mj_get_str(fields, rd_mrz_field_name((rd_mrz_field)f));

		if (f == RD_MRZ_NAME) /* the raw name is not in the JSON */
			continue;
		if (want == NULL) {
			ck_assert_msg(mj_get(fields, rd_mrz_field_name((rd_mrz_field)f)) == NULL,
			              "JSON has field %s", rd_mrz_field_name((rd_mrz_field)f));
			continue;
		}
		nfields++;
		ck_assert_msg(got && strcmp(got, want) == 0, "JSON %s is '%s', API '%s'",
		              rd_mrz_field_name((rd_mrz_field)f), got ? got : "(none)", want);
	}
	ck_assert_uint_eq(mj_count(fields), nfields);
	ck_assert_int_eq(checks->type, MJ_ARRAY);
	ck_assert_uint_eq(mj_count(checks), rd_mrz_check_count(m));
	for (i = 0; i < rd_mrz_check_count(m); i++) {
		const rd_mrz_check *c = rd_mrz_get_check(m, i);
		const mj_value *j = mj_at(checks, i);
		const mj_value *pos = mj_get(j, "position");
		char e[2] = { c->expected, '\0' }, fd[2] = { c->found, '\0' };

		ck_assert_str_eq(mj_get_str(j, "field"), c->field);
		ck_assert_str_eq(mj_get_str(j, "expected"), e);
		ck_assert_str_eq(mj_get_str(j, "found"), fd);
		ck_assert_int_eq(mj_bool(mj_get(j, "ok")), c->ok != 0);
		ck_assert_int_eq((int)jneed(pos, "line")->number, c->line);
		ck_assert_int_eq((int)jneed(pos, "column")->number, c->position);
	}
	for (k = 0; k < 2; k++) {
		int sev = k == 0 ? RD_SEVERITY_ERROR : RD_SEVERITY_WARNING;
		size_t n = 0;

		ck_assert_int_eq(lists[k]->type, MJ_ARRAY);
		for (i = 0; i < rd_mrz_problem_count(m); i++) {
			const rd_mrz_problem *p = rd_mrz_get_problem(m, i);
			const mj_value *j, *pos;

			if (p->severity != sev)
				continue;
			j = mj_at(lists[k], n++);
			ck_assert_ptr_nonnull(j);
			ck_assert_str_eq(mj_get_str(j, "code"), p->code);
			ck_assert_str_eq(mj_get_str(j, "message"), p->message);
			if (p->field)
				ck_assert_str_eq(mj_get_str(j, "field"), p->field);
			else
				ck_assert_int_eq(jneed(j, "field")->type, MJ_NULL);
			pos = mj_get(j, "position");
			ck_assert_ptr_nonnull(pos);
			if (p->line) {
				ck_assert_int_eq((int)jneed(pos, "line")->number, p->line);
				ck_assert_int_eq((int)jneed(pos, "column")->number, p->position);
			} else {
				ck_assert_int_eq(pos->type, MJ_NULL);
			}
		}
		ck_assert_uint_eq(mj_count(lists[k]), n);
	}
}

START_TEST(test_json_tv1)
{
	rd_mrz *m = MRZ2(TV1_L1, TV1_L2);
	mj_value *v = json_of(m);
	const mj_value *fields = mj_get(v, "fields"), *checks = mj_get(v, "checks");
	const mj_value *w;

	/* the issue's shape, literally */
	ck_assert_str_eq(mj_get_str(v, "format"), "TD3");
	ck_assert_int_eq(mj_bool(mj_get(v, "valid")), 1);
	ck_assert_str_eq(mj_get_str(fields, "documentCode"), "P");
	ck_assert_str_eq(mj_get_str(fields, "issuingState"), "UTO");
	ck_assert_str_eq(mj_get_str(fields, "surname"), "ERIKSSON");
	ck_assert_str_eq(mj_get_str(fields, "givenNames"), "ANNA MARIA");
	ck_assert_str_eq(mj_get_str(fields, "documentNumber"), "L898902C3");
	ck_assert_str_eq(mj_get_str(fields, "nationality"), "UTO");
	ck_assert_str_eq(mj_get_str(fields, "birthDate"), "1974-08-12");
	ck_assert_str_eq(mj_get_str(fields, "sex"), "F");
	ck_assert_str_eq(mj_get_str(fields, "expiryDate"), "2012-04-15");
	ck_assert_str_eq(mj_get_str(fields, "optionalData"), "ZE184226B");
	ck_assert_ptr_null(mj_get(fields, "optionalData2"));
	ck_assert_uint_eq(mj_count(fields), 10);
	ck_assert_uint_eq(mj_count(checks), 5);
	ck_assert_str_eq(mj_get_str(mj_at(checks, 4), "field"), "composite");
	ck_assert_str_eq(mj_get_str(mj_at(checks, 4), "expected"), "0");
	ck_assert_int_eq(mj_bool(mj_get(mj_at(checks, 4), "ok")), 1);
	ck_assert_uint_eq(mj_count(mj_get(v, "errors")), 0);
	ck_assert_uint_eq(mj_count(mj_get(v, "warnings")), 3);
	w = mj_at(mj_get(v, "warnings"), 1);
	ck_assert_str_eq(mj_get_str(w, "code"), "specimen");
	ck_assert_int_eq((int)jneed(mj_get(w, "position"), "line")->number, 1);
	ck_assert_int_eq((int)jneed(mj_get(w, "position"), "column")->number, 3);
	json_agrees(m, v);
	mj_free(v);
	rd_mrz_free(m);
}
END_TEST

START_TEST(test_json_invalid_and_others)
{
	static const char *const texts[] = {
		TV1_L1 "\nL898902C36UTO7508122F1204159ZE184226B<<<<<10",
		"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226",
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<<<",
		"just one line",
		"",
		/* characters JSON must escape, and bytes that are not UTF-8 */
		"P<UTOERIKSSON<<ANNA\"MARIA\\<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
		"P<UTOERIKSSON<<ANNA\x01MARIA\x7f<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122Q1204159ZE184226B<<<<<1<",
	};
	size_t i;

	for (i = 0; i < COUNT(texts); i++) {
		rd_mrz *m = parse_text(texts[i], AS_OF);
		mj_value *v = json_of(m);

		json_agrees(m, v);
		mj_free(v);
		rd_mrz_free(m);
	}
	/* bytes that are not UTF-8 are replaced: the JSON stays valid */
	{
		rd_mrz *m = MRZ2("P<UTOERIKSSON<<ANNA\xff" "MARIA\xc3<<<<<<<<<<<<<<<<<<", TV1_L2);
		mj_value *v = json_of(m);
		const char *given = mj_get_str(mj_get(v, "fields"), "givenNames");

		ck_assert_int_eq(rd_mrz_get_format(m), RD_MRZ_TD3);
		ck_assert_ptr_nonnull(given);
		ck_assert_contains(given, "\xef\xbf\xbd"); /* U+FFFD */
		ck_assert_uint_eq(mj_count(mj_get(v, "errors")), 2);
		mj_free(v);
		rd_mrz_free(m);
	}
	/* the negative vector, literally */
	{
		rd_mrz *m = parse_text(texts[0], AS_OF);
		mj_value *v = json_of(m);
		const mj_value *errors = mj_get(v, "errors"), *checks = mj_get(v, "checks");

		ck_assert_int_eq(mj_bool(mj_get(v, "valid")), 0);
		ck_assert_uint_eq(mj_count(errors), 2);
		ck_assert_str_eq(mj_get_str(mj_at(errors, 0), "code"), "check-digit");
		ck_assert_str_eq(mj_get_str(mj_at(checks, 1), "expected"), "5");
		ck_assert_str_eq(mj_get_str(mj_at(checks, 1), "found"), "2");
		ck_assert_int_eq(mj_bool(mj_get(mj_at(checks, 1), "ok")), 0);
		ck_assert_str_eq(mj_get_str(mj_at(checks, 4), "expected"), "1");
		ck_assert_str_eq(mj_get_str(mj_at(checks, 4), "found"), "0");
		mj_free(v);
		rd_mrz_free(m);
	}
	/* the unknown format: null format, no fields, no checks, one error */
	{
		rd_mrz *m = parse_text("just one line", AS_OF);
		mj_value *v = json_of(m);

		ck_assert_int_eq(jneed(v, "format")->type, MJ_NULL);
		ck_assert_uint_eq(mj_count(mj_get(v, "fields")), 0);
		ck_assert_uint_eq(mj_count(mj_get(v, "checks")), 0);
		ck_assert_uint_eq(mj_count(mj_get(v, "errors")), 1);
		ck_assert_str_eq(mj_get_str(mj_at(mj_get(v, "errors"), 0), "code"), "format");
		mj_free(v);
		rd_mrz_free(m);
	}
}
END_TEST

/* ---------------------------------------------------------------- property test */

/* An independent model of the check digits of the five layouts (domain 4.3 to 4.7):
 * which characters each check digit covers and where it stands, worked out from the
 * lines as they are (a long document number in TD1/TD2 changes the layout). */
typedef struct model_check {
	const char *field;
	int line, pos; /* 0-based */
	piece p[4];
	int np;
	int filler_ok; /* TD3 optional data: '<' accepted over fillers only */
} model_check;

static int model_format(const char lines[][48], int n)
{
	size_t l0 = strlen(lines[0]);

	if (n == 3 && l0 == 30 && strlen(lines[1]) == 30 && strlen(lines[2]) == 30)
		return RD_MRZ_TD1;
	if (n == 2 && l0 == 44 && strlen(lines[1]) == 44)
		return lines[0][0] == 'V' ? RD_MRZ_MRVA : RD_MRZ_TD3;
	if (n == 2 && l0 == 36 && strlen(lines[1]) == 36)
		return lines[0][0] == 'V' ? RD_MRZ_MRVB : RD_MRZ_TD2;
	return RD_MRZ_UNKNOWN;
}

static void add_check(model_check *out, size_t *n, const char *field, int line, int pos,
                      const piece *p, int np, int filler_ok)
{
	model_check *c = &out[(*n)++];
	int i;

	c->field = field;
	c->line = line;
	c->pos = pos;
	c->np = np;
	c->filler_ok = filler_ok;
	for (i = 0; i < np; i++)
		c->p[i] = p[i];
}

/* The document number of TD1 (line 0 from 5, optional data 15..29) or TD2 (line 1 from 0,
 * optional data 28..34): ordinary, or continued when '<' stands in the check digit's
 * place after a ninth character. */
static void model_number(const char lines[][48], model_check *out, size_t *n, int line,
                         int from, int opt_from, int opt_len)
{
	const char *s = lines[line];
	piece p[2] = { { line, from, 9 }, { line, opt_from, 0 } };
	int k;

	if (s[from + 9] != '<' || s[from + 8] == '<') {
		add_check(out, n, "documentNumber", line, from + 9, p, 1, 0);
		return;
	}
	for (k = 0; k < opt_len && s[opt_from + k] != '<'; k++)
		;
	if (k < 2)
		return; /* no continuation: no check digit to speak of */
	p[1].len = k - 1;
	add_check(out, n, "documentNumber", line, opt_from + k - 1, p, 2, 0);
}

static size_t model_checks(const char lines[][48], int nlines, model_check *out, int *format)
{
	size_t n = 0;

	*format = model_format(lines, nlines);
	switch (*format) {
	case RD_MRZ_TD3:
	case RD_MRZ_MRVA:
	case RD_MRZ_MRVB: {
		piece num = { 1, 0, 9 }, dob = { 1, 13, 6 }, exp = { 1, 21, 6 };

		add_check(out, &n, "documentNumber", 1, 9, &num, 1, 0);
		add_check(out, &n, "birthDate", 1, 19, &dob, 1, 0);
		add_check(out, &n, "expiryDate", 1, 27, &exp, 1, 0);
		if (*format == RD_MRZ_TD3) {
			piece opt = { 1, 28, 14 };
			piece comp[3] = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 22 } };

			add_check(out, &n, "optionalData", 1, 42, &opt, 1, 1);
			add_check(out, &n, "composite", 1, 43, comp, 3, 0);
		}
		break;
	}
	case RD_MRZ_TD2: {
		piece dob = { 1, 13, 6 }, exp = { 1, 21, 6 };
		piece comp[3] = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 14 } };

		model_number(lines, out, &n, 1, 0, 28, 7);
		add_check(out, &n, "birthDate", 1, 19, &dob, 1, 0);
		add_check(out, &n, "expiryDate", 1, 27, &exp, 1, 0);
		add_check(out, &n, "composite", 1, 35, comp, 3, 0);
		break;
	}
	case RD_MRZ_TD1: {
		piece dob = { 1, 0, 6 }, exp = { 1, 8, 6 };
		piece comp[4] = { { 0, 5, 25 }, { 1, 0, 7 }, { 1, 8, 7 }, { 1, 18, 11 } };

		model_number(lines, out, &n, 0, 5, 15, 15);
		add_check(out, &n, "birthDate", 1, 6, &dob, 1, 0);
		add_check(out, &n, "expiryDate", 1, 14, &exp, 1, 0);
		add_check(out, &n, "composite", 1, 29, comp, 4, 0);
		break;
	}
	default:
		break;
	}
	return n;
}

/* Expected digit and verdict of one model check on these lines. */
static void model_eval(const char lines[][48], const model_check *c, char *expected, char *found,
                       int *ok)
{
	int all_fillers = 1, i, j;

	*expected = digit_over(lines, c->p, c->np);
	*found = lines[c->line][c->pos];
	for (i = 0; i < c->np; i++)
		for (j = 0; j < c->p[i].len; j++)
			if (lines[c->p[i].line][c->p[i].from + j] != '<')
				all_fillers = 0;
	*ok = *expected == *found || (c->filler_ok && all_fillers && *found == '<');
}

/* 1 when (line, pos) is covered by a check digit of the model (or is one). */
static int model_covers(const model_check *c, size_t n, int line, int pos)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		if (c[i].line == line && c[i].pos == pos)
			return 1;
		for (k = 0; k < c[i].np; k++)
			if (c[i].p[k].line == line && pos >= c[i].p[k].from &&
			    pos < c[i].p[k].from + c[i].p[k].len)
				return 1;
	}
	return 0;
}

/* Valid MRZs of the five formats, the bases of the property test. */
static const char *const bases[][3] = {
	{ TV1_L1, TV1_L2, NULL },                                         /* TD3 specimen */
	{ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	  "L898902C<3UTO6908061F9406236ZE184226B<<<<<14", NULL },       /* TD3 legacy, 8 chars */
	{ "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
	  "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0", NULL },       /* TD3 empty optional */
	{ "PPPAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<",
	  "AB12345615PAK8204114M32013143520212345671<92", NULL },       /* TD3 with a CNIC */
	{ "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6", NULL },
	{ "I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<", "D23145890<PAK7408122F1204159K78<<<<6", NULL },
	{ "I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<", "PK1234567<PAK7408122F120415989013<<2", NULL },
	{ "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
	  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	{ "I<UTOD23145890<XYZ5<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<0",
	  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	{ "I<UTOD23145890<XYZ5<ABC<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<5",
	  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" },
	{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	  "L898902C<3UTO6908061F9406236ZE184226B<<<<<<<", NULL },
	{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	  "L8988901C4XXX4009078F96121096ZE184226B<<<<<<", NULL },
	{ "V<SAUKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<",
	  "AB12345615PAK8204114M2702227<<<<<<<<<<<<<<<<", NULL },
	{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L898902C<3UTO6908061F9406236ZE184226", NULL },
	{ "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<", NULL },
};

/* Compare the library's check digits with the model's on these lines. */
static void compare_with_model(const char lines[][48], int nlines, const char *what)
{
	char text[160];
	model_check mc[6];
	size_t nm, i;
	int format;
	rd_mrz *m;
	size_t cd_problems = 0, bad = 0;

	join(text, sizeof text, lines[0], lines[1], nlines == 3 ? lines[2] : NULL);
	m = parse_text(text, AS_OF);
	nm = model_checks(lines, nlines, mc, &format);
	ck_assert_msg(rd_mrz_get_format(m) == format, "%s: format %d, model %d", what,
	              rd_mrz_get_format(m), format);
	ck_assert_msg(rd_mrz_check_count(m) == nm, "%s: %zu check digits, model %zu", what,
	              rd_mrz_check_count(m), nm);
	for (i = 0; i < nm; i++) {
		const rd_mrz_check *c = find_check(m, mc[i].field);
		char expected, found;
		int ok;

		model_eval(lines, &mc[i], &expected, &found, &ok);
		ck_assert_msg(c != NULL, "%s: no check digit for %s", what, mc[i].field);
		ck_assert_msg(c->line == mc[i].line + 1 && c->position == mc[i].pos + 1,
		              "%s: %s at %d:%d, model %d:%d", what, mc[i].field, c->line, c->position,
		              mc[i].line + 1, mc[i].pos + 1);
		ck_assert_msg(c->expected == expected && c->found == found && (c->ok != 0) == ok,
		              "%s: %s expected '%c' found '%c' ok %d; model '%c' '%c' %d", what,
		              mc[i].field, c->expected, c->found, c->ok, expected, found, ok);
		if (!ok)
			bad++;
	}
	/* one check-digit problem per wrong check digit, at its place, saying what and where */
	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(m, i);
		size_t k;
		int matched = 0;

		if (strcmp(p->code, "check-digit") != 0)
			continue;
		cd_problems++;
		for (k = 0; k < nm; k++) {
			char expected, found;
			int ok;

			model_eval(lines, &mc[k], &expected, &found, &ok);
			if (!ok && p->line == mc[k].line + 1 && p->position == mc[k].pos + 1) {
				ck_assert_msg(p->expected == expected && p->found == found,
				              "%s: problem at %d:%d says '%c'/'%c'", what, p->line,
				              p->position, p->expected, p->found);
				matched = 1;
			}
		}
		ck_assert_msg(matched, "%s: check-digit problem at %d:%d, the model has none there",
		              what, p->line, p->position);
	}
	ck_assert_msg(cd_problems == bad, "%s: %zu check-digit problems, model %zu", what,
	              cd_problems, bad);
	rd_mrz_free(m);
}

START_TEST(test_property_substitutions)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	const char *const *b = bases[_i];
	char lines[3][48];
	int nlines = b[2] ? 3 : 2, l, pos, base_format, k;
	model_check base_checks[6];
	size_t nbase, i, substitutions = 0, uncovered = 0;

	memset(lines, 0, sizeof lines);
	for (l = 0; l < nlines; l++)
		strcpy(lines[l], b[l]);
	/* the base is valid, every check digit right */
	nbase = model_checks((const char(*)[48])lines, nlines, base_checks, &base_format);
	ck_assert_int_ne(base_format, RD_MRZ_UNKNOWN);
	for (i = 0; i < nbase; i++) {
		char e, f;
		int ok;

		model_eval((const char(*)[48])lines, &base_checks[i], &e, &f, &ok);
		ck_assert_msg(ok, "base %d: %s check digit wrong in the model", _i, base_checks[i].field);
	}
	{
		char text[160];
		rd_mrz *m;

		join(text, sizeof text, b[0], b[1], b[2]);
		m = parse_text(text, AS_OF);
		ck_assert_msg(rd_mrz_valid(m), "base %d is not valid", _i);
		rd_mrz_free(m);
	}
	compare_with_model((const char(*)[48])lines, nlines, "base");
	for (l = 0; l < nlines; l++) {
		int len = (int)strlen(lines[l]);

		for (pos = 0; pos < len; pos++) {
			char orig = lines[l][pos];
			int covered = model_covers(base_checks, nbase, l, pos);

			for (k = 0; set[k]; k++) {
				char what[96];

				if (set[k] == orig)
					continue;
				lines[l][pos] = set[k];
				snprintf(what, sizeof what, "base %d, '%c' at %d:%d", _i, set[k], l + 1, pos + 1);
				compare_with_model((const char(*)[48])lines, nlines, what);
				substitutions++;
				if (!covered) {
					/* nothing covered: no check-digit problem, unless the change made
					 * another format of it (the V of a visa's document code) */
					int fmt;
					model_check mc[6];

					model_checks((const char(*)[48])lines, nlines, mc, &fmt);
					if (fmt == base_format) {
						char text[160];
						rd_mrz *m;

						join(text, sizeof text, lines[0], lines[1], nlines == 3 ? lines[2] : NULL);
						m = parse_text(text, AS_OF);
						ck_assert_msg(find_problem(m, "check-digit") == NULL,
						              "%s: a check-digit problem for an uncovered position", what);
						for (i = 0; i < rd_mrz_check_count(m); i++)
							ck_assert(rd_mrz_get_check(m, i)->ok);
						rd_mrz_free(m);
						uncovered++;
					}
				}
			}
			lines[l][pos] = orig;
		}
	}
	ck_assert_uint_gt(substitutions, 36 * 60);
	ck_assert_uint_gt(uncovered, 36 * 20);
}
END_TEST

START_TEST(test_property_single_digit_changes)
{
	/* the property in its plainest form, on TV-1: changing one character covered by
	 * exactly one field check digit and the composite makes those two wrong exactly when
	 * the 7-3-1 value of the field changes */
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	static const struct {
		const char *field;
		int from, len;
	} fields[] = { { "documentNumber", 0, 9 }, { "birthDate", 13, 6 }, { "expiryDate", 21, 6 },
		       { "optionalData", 28, 14 } };
	size_t f;
	int pos, k;

	for (f = 0; f < COUNT(fields); f++) {
		for (pos = fields[f].from; pos < fields[f].from + fields[f].len; pos++) {
			for (k = 0; set[k]; k++) {
				char l2[45], run[16], old_digit, new_digit, comp_old, comp_new;
				char comp_text[40];
				rd_mrz *m;

				strcpy(l2, TV1_L2);
				if (l2[pos] == set[k])
					continue;
				memcpy(run, l2 + fields[f].from, (size_t)fields[f].len);
				run[fields[f].len] = '\0';
				old_digit = digit_of(run);
				snprintf(comp_text, sizeof comp_text, "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
				comp_old = digit_of(comp_text);
				l2[pos] = set[k];
				memcpy(run, l2 + fields[f].from, (size_t)fields[f].len);
				new_digit = digit_of(run);
				snprintf(comp_text, sizeof comp_text, "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
				comp_new = digit_of(comp_text);
				m = MRZ2(TV1_L1, l2);
				ck_assert_msg((need_check(m, fields[f].field)->ok != 0) == (old_digit == new_digit),
				              "%s: '%c' at %d", fields[f].field, set[k], pos + 1);
				ck_assert_msg((need_check(m, "composite")->ok != 0) == (comp_old == comp_new),
				              "composite: '%c' at %d", set[k], pos + 1);
				rd_mrz_free(m);
			}
		}
	}
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *suite(void)
{
	Suite *s = suite_create("mrz");
	TCase *tc;

	tc = tcase_create("vectors");
	tcase_add_loop_test(tc, test_vectors, 0, (int)COUNT(vectors));
	tcase_add_loop_test(tc, test_vectors_other_dates, 0, (int)COUNT(vectors));
	tcase_add_test(tc, test_tv4_without_as_of);
	suite_add_tcase(s, tc);

	tc = tcase_create("negative");
	tcase_add_test(tc, test_changed_birth_date);
	tcase_add_test(tc, test_unprotected_fields);
	tcase_add_test(tc, test_wrong_line_lengths);
	tcase_add_test(tc, test_format_message_names_lengths);
	tcase_add_test(tc, test_one_and_four_lines);
	tcase_add_test(tc, test_lower_case);
	tcase_add_test(tc, test_bad_characters);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_unknown_country);
	tcase_add_test(tc, test_document_codes);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_digits");
	tcase_add_test(tc, test_worked_check_digits);
	tcase_add_test(tc, test_check_digit_agrees_with_own);
	tcase_add_test(tc, test_optional_data_check_digit);
	tcase_add_test(tc, test_long_number_problems);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_sex);
	tcase_add_test(tc, test_century_policy);
	tcase_add_test(tc, test_birth_date_not_in_future);
	tcase_add_test(tc, test_impossible_dates);
	tcase_add_test(tc, test_unknown_birth_date);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_white_space_and_crlf);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_names_of_things);
	tcase_add_test(tc, test_known_codes);
	tcase_add_test(tc, test_json_tv1);
	tcase_add_test(tc, test_json_invalid_and_others);
	suite_add_tcase(s, tc);

	tc = tcase_create("property");
	/* about 3,000 parses per base; generous under valgrind */
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_property_substitutions, 0, (int)COUNT(bases));
	tcase_add_test(tc, test_property_single_digit_changes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
