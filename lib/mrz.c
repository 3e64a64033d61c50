/* rahdari: ICAO Doc 9303 machine-readable zones.
 *
 * A strict reader of the five MRZ formats (TD1, TD2, TD3, MRV-A, MRV-B): layout and
 * character set, every check digit (7-3-1 weights) including the composites and the
 * optional-data rule, long document numbers continued in the optional data (TD1,
 * TD2), names (primary and secondary identifiers, possible truncation), sex, dates
 * with a stated century policy, and issuing state and nationality against ISO 3166-1
 * plus the codes ICAO adds. Layouts and rules follow the domain brief (section 4),
 * which transcribes Doc 9303 Parts 3 to 7. One parse is one allocation and a few
 * loops over at most 90 characters: well over a million per second on one core.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 24
#define FIELD_LEN 48
#define MSG_LEN 192

struct rd_mrz {
	int format;
	int errors;
	int truncated;
	char lines[3][48];
	int nlines;
	unsigned int have; /* bit f: field f present in this format */
	char fields[RD_MRZ_FIELD_MAX][FIELD_LEN];
	rd_mrz_check checks[5];
	size_t nchecks;
	rd_mrz_problem problems[MAX_PROBLEMS];
	char messages[MAX_PROBLEMS][MSG_LEN];
	size_t nproblems;
	size_t dropped; /* problems beyond MAX_PROBLEMS */
	long today;
};

static const char *const field_names[RD_MRZ_FIELD_MAX] = {
	NULL,          "documentCode", "issuingState", "surname",      "givenNames",
	"documentNumber", "nationality", "birthDate",  "sex",          "expiryDate",
	"optionalData", "optionalData2", "name",
};

/* Codes ICAO uses besides ISO 3166-1 alpha-3 (Doc 9303 Part 3, section 5). */
static const char *const icao_codes[] = {
	"D",   "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "EUE", "UNO", "UNA", "UNK",
	"XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO", "XES", "XMP", "XOM", "XDC",
	"XXA", "XXB", "XXC", "XXX", "ANT", "NTZ", "UTO", NULL,
};

/* ---------------------------------------------------------------- helpers */

/* Character values for check digits: 0-9, A=10 ... Z=35, '<' = 0; -1 for anything else. */
static const signed char values[256] = {
	['<'] = 0,
	['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4,
	['5'] = 5, ['6'] = 6, ['7'] = 7, ['8'] = 8, ['9'] = 9,
	['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15, ['G'] = 16,
	['H'] = 17, ['I'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22, ['N'] = 23,
	['O'] = 24, ['P'] = 25, ['Q'] = 26, ['R'] = 27, ['S'] = 28, ['T'] = 29, ['U'] = 30,
	['V'] = 31, ['W'] = 32, ['X'] = 33, ['Y'] = 34, ['Z'] = 35,
};

/* values[] leaves every other byte 0, like '<': mark which bytes are valid. */
static int char_ok(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<';
}

/* Weighted sum (7, 3, 1 from position k onwards) of n characters; -1 when one is not
 * an MRZ character. */
static int weighted(const char *s, int n, int *k)
{
	static const unsigned char w[3] = { 7, 3, 1 };
	int sum = 0, j = *k % 3, i;

	for (i = 0; i < n; i++) {
		if (!char_ok(s[i]))
			return -1;
		sum += values[(unsigned char)s[i]] * w[j];
		if (++j == 3)
			j = 0;
	}
	*k += n;
	return sum;
}

char rd_mrz_check_digit(const char *s, size_t len)
{
	int k = 0, sum;

	if (s == NULL || len > 0x7fffffff)
		return 0;
	sum = weighted(s, (int)len, &k);
	return sum < 0 ? 0 : (char)('0' + sum % 10);
}

static void problem(rd_mrz *m, int severity, const char *code, int field, int line, int pos,
                    char expected, char found, const char *fmt, ...) RD_PRINTF(9, 10);

static void problem(rd_mrz *m, int severity, const char *code, int field, int line, int pos,
                    char expected, char found, const char *fmt, ...)
{
	rd_mrz_problem *p;
	va_list ap;

	if (severity == RD_SEVERITY_ERROR)
		m->errors++;
	if (m->nproblems == MAX_PROBLEMS) {
		m->dropped++;
		return;
	}
	p = &m->problems[m->nproblems];
	p->code = code;
	p->severity = severity;
	p->field = field ? field_names[field] : NULL;
	p->line = line;
	p->position = pos;
	p->expected = expected;
	p->found = found;
	va_start(ap, fmt);
	vsnprintf(m->messages[m->nproblems], MSG_LEN, fmt, ap);
	va_end(ap);
	p->message = m->messages[m->nproblems];
	m->nproblems++;
}

/* Copy n characters of line l from 0-based position p into field f, without the
 * trailing fillers. */
static void set_field(rd_mrz *m, int f, int l, int p, int n)
{
	char *dst = m->fields[f];
	const char *src = m->lines[l] + p;

	while (n > 0 && src[n - 1] == '<')
		n--;
	if (n >= FIELD_LEN)
		n = FIELD_LEN - 1;
	memcpy(dst, src, (size_t)n);
	dst[n] = '\0';
	m->have |= 1u << f;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* A check digit over a run of characters (given as up to three pieces, for composites). */
typedef struct span {
	int line, pos, len;
} span;

static char digit_over(const rd_mrz *m, const span *sp, int nsp)
{
	int sum = 0, k = 0, i;

	for (i = 0; i < nsp; i++) {
		int part = weighted(m->lines[sp[i].line] + sp[i].pos, sp[i].len, &k);

		if (part < 0)
			return 0;
		sum += part;
	}
	return (char)('0' + sum % 10);
}

/* Record a check digit at (line, pos) for field f over the spans; returns 1 when it holds.
 * allow_filler: '<' (or '0') is accepted when every covered character is a filler. */
static int check(rd_mrz *m, int f, const char *name, int line, int pos, const span *sp, int nsp,
                 int allow_filler)
{
	rd_mrz_check *c = &m->checks[m->nchecks++];
	char found = m->lines[line][pos];
	char expected = digit_over(m, sp, nsp);
	int all_fillers = 1, i, j;

	if (allow_filler && found == '<')
		for (i = 0; i < nsp; i++)
			for (j = 0; j < sp[i].len; j++)
				if (m->lines[sp[i].line][sp[i].pos + j] != '<')
					all_fillers = 0;
	c->field = name;
	c->line = line + 1;
	c->position = pos + 1;
	c->expected = expected ? expected : '?';
	c->found = found;
	c->ok = expected != 0 && (found == expected || (allow_filler && all_fillers && found == '<'));
	if (!c->ok) {
		size_t before = m->nproblems;

		if (expected == 0)
			problem(m, RD_SEVERITY_ERROR, "check-digit", f, line + 1, pos + 1, 0, found,
			        "the check digit of %s cannot be computed: the field holds characters "
			        "outside A-Z, 0-9 and '<'",
			        name);
		else
			problem(m, RD_SEVERITY_ERROR, "check-digit", f, line + 1, pos + 1, expected, found,
			        "check digit of %s: expected %c, found %c (line %d, position %d)", name,
			        expected, found, line + 1, pos + 1);
		if (f == 0 && m->nproblems > before)
			m->problems[before].field = name; /* "composite": no field of its own */
	}
	return c->ok;
}

/* Known three-letter codes as a bitmap over AAA..ZZZ, built once; one- and two-letter
 * codes (only "D" today) are checked against the list. */
static unsigned char known3[(26 * 26 * 26 + 7) / 8];
static pthread_once_t known3_once = PTHREAD_ONCE_INIT;

static int code_index(const char *c)
{
	return ((c[0] - 'A') * 26 + (c[1] - 'A')) * 26 + (c[2] - 'A');
}

static void build_known3(void)
{
	size_t i;

	for (i = 0; i < rd__iso3166_count; i++) {
		int x = code_index(rd__iso3166_alpha3[i]);

		known3[x / 8] |= (unsigned char)(1u << (x % 8));
	}
	for (i = 0; icao_codes[i]; i++) {
		if (strlen(icao_codes[i]) == 3) {
			int x = code_index(icao_codes[i]);

			known3[x / 8] |= (unsigned char)(1u << (x % 8));
		}
	}
}

int rd_mrz_known_code(const char *code)
{
	char c[4];
	size_t n, i;

	if (code == NULL)
		return 0;
	n = strlen(code);
	while (n && code[n - 1] == '<')
		n--;
	if (n == 0 || n > 3)
		return 0;
	memcpy(c, code, n);
	c[n] = '\0';
	for (i = 0; i < n; i++)
		if (!is_letter(c[i]))
			return 0;
	if (n == 3) {
		int x = code_index(c);

		pthread_once(&known3_once, build_known3);
		return (known3[x / 8] >> (x % 8)) & 1;
	}
	for (i = 0; icao_codes[i]; i++)
		if (strcmp(icao_codes[i], c) == 0)
			return 1;
	return 0;
}

/* Issuing state or nationality at (line, pos). */
static void country(rd_mrz *m, int f, int line, int pos)
{
	const char *what = f == RD_MRZ_ISSUING_STATE ? "issuing state" : "nationality";

	set_field(m, f, line, pos, 3);
	if (!rd_mrz_known_code(m->fields[f])) {
		problem(m, RD_SEVERITY_ERROR, "unknown-country", f, line + 1, pos + 1, 0, 0,
		        "%s '%.3s' is neither an ISO 3166-1 code nor one ICAO defines", what,
		        m->lines[line] + pos);
	} else if (strcmp(m->fields[f], "UTO") == 0) {
		problem(m, RD_SEVERITY_WARNING, "specimen", f, line + 1, pos + 1, 0, 0,
		        "%s UTO (Utopia) is used only on ICAO specimen documents", what);
	}
}

static int days_in_month(long y, unsigned mo)
{
	static const unsigned char md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[mo - 1];
}

/* A YYMMDD date at (line, pos) into field f. birth: the birth-date century rule (and
 * unknown positions allowed); else the expiry rule. */
static void date_field(rd_mrz *m, int f, int line, int pos, int birth)
{
	const char *s = m->lines[line] + pos;
	long yy, y, days;
	unsigned mo, d;
	int i, unknown = 0;

	m->have |= 1u << f;
	m->fields[f][0] = '\0';
	for (i = 0; i < 6; i++) {
		if (s[i] == '<')
			unknown = 1;
		else if (!is_digit(s[i])) {
			problem(m, RD_SEVERITY_ERROR, "date", f, line + 1, pos + i + 1, 0, s[i],
			        "%s '%.6s' is not a date YYMMDD", field_names[f], s);
			return;
		}
	}
	if (unknown) {
		if (birth) {
			problem(m, RD_SEVERITY_WARNING, "date-unknown", f, line + 1, pos + 1, 0, 0,
			        "the birth date '%.6s' is wholly or partly unknown", s);
		} else {
			problem(m, RD_SEVERITY_ERROR, "date", f, line + 1, pos + 1, 0, 0,
			        "%s '%.6s' is not a date YYMMDD", field_names[f], s);
		}
		return;
	}
	yy = (s[0] - '0') * 10 + (s[1] - '0');
	mo = (unsigned)((s[2] - '0') * 10 + (s[3] - '0'));
	d = (unsigned)((s[4] - '0') * 10 + (s[5] - '0'));
	/* 2000 is a leap year: this admits 29 February, settled below once the century is */
	if (mo < 1 || mo > 12 || d < 1 || (int)d > days_in_month(2000, mo)) {
		problem(m, RD_SEVERITY_ERROR, "date", f, line + 1, pos + 1, 0, 0,
		        "%s '%.6s' is an impossible date", field_names[f], s);
		return;
	}
	/* the century: ICAO defines none; doc/mrz.md states this policy */
	y = 2000 + yy;
	if (birth) {
		if (rd__days_from_civil(y, mo, d) > m->today)
			y = 1900 + yy;
		if ((int)d <= days_in_month(y, mo) && rd__days_from_civil(y, mo, d) > m->today) {
			/* possible only with an as-of date before 2000 */
			problem(m, RD_SEVERITY_ERROR, "date", f, line + 1, pos + 1, 0, 0,
			        "the birth date '%.6s' is after the as-of date in either century", s);
			return;
		}
	} else {
		long limit = m->today + 20L * 365 + 5; /* 20 years after the as-of date */

		if (rd__days_from_civil(y, mo, d) > limit)
			y = 1900 + yy;
	}
	if ((int)d > days_in_month(y, mo)) {
		problem(m, RD_SEVERITY_ERROR, "date", f, line + 1, pos + 1, 0, 0,
		        "%s '%.6s': 29 February %ld does not exist", field_names[f], s, y);
		return;
	}
	days = rd__days_from_civil(y, mo, d);
	rd__date_format(days, m->fields[f]);
}

static void sex_field(rd_mrz *m, int line, int pos)
{
	char c = m->lines[line][pos];

	m->have |= 1u << RD_MRZ_SEX;
	m->fields[RD_MRZ_SEX][1] = '\0';
	if (c == 'M' || c == 'F') {
		m->fields[RD_MRZ_SEX][0] = c;
	} else if (c == '<') {
		m->fields[RD_MRZ_SEX][0] = 'X';
	} else if (c == 'X') {
		m->fields[RD_MRZ_SEX][0] = 'X';
		problem(m, RD_SEVERITY_WARNING, "sex", RD_MRZ_SEX, line + 1, pos + 1, 0, c,
		        "sex 'X' is written '<' in an MRZ ('X' belongs in the visual zone)");
	} else {
		m->fields[RD_MRZ_SEX][0] = '\0';
		problem(m, RD_SEVERITY_ERROR, "sex", RD_MRZ_SEX, line + 1, pos + 1, 0, c,
		        "sex '%c' is not F, M or '<'", c);
	}
}

/* The name field (line, pos, len): primary and secondary identifiers. */
static void name_field(rd_mrz *m, int line, int pos, int len)
{
	const char *s = m->lines[line] + pos;
	char *sur = m->fields[RD_MRZ_SURNAME], *giv = m->fields[RD_MRZ_GIVEN_NAMES];
	int n = len, i, sep = -1, si = 0, gi = 0;

	set_field(m, RD_MRZ_NAME, line, pos, len);
	m->have |= (1u << RD_MRZ_SURNAME) | (1u << RD_MRZ_GIVEN_NAMES);
	while (n > 0 && s[n - 1] == '<')
		n--;
	for (i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			problem(m, RD_SEVERITY_ERROR, "name", RD_MRZ_NAME, line + 1, pos + i + 1, 0, s[i],
			        "names hold no digits: '%c' at line %d, position %d", s[i], line + 1,
			        pos + i + 1);
			break;
		}
	}
	for (i = 0; i + 1 < n; i++)
		if (s[i] == '<' && s[i + 1] == '<') {
			sep = i;
			break;
		}
	/* primary identifier: components separated by single fillers */
	for (i = 0; i < (sep < 0 ? n : sep) && si < FIELD_LEN - 1; i++)
		sur[si++] = s[i] == '<' ? ' ' : s[i];
	sur[si] = '\0';
	if (sep >= 0) {
		int prev_space = 1;

		for (i = sep + 2; i < n && gi < FIELD_LEN - 1; i++) {
			if (s[i] == '<') {
				if (!prev_space)
					giv[gi++] = ' ';
				prev_space = 1;
			} else {
				giv[gi++] = s[i];
				prev_space = 0;
			}
		}
		while (gi && giv[gi - 1] == ' ')
			gi--;
	}
	giv[gi] = '\0';
	if (si == 0 && gi == 0)
		problem(m, RD_SEVERITY_ERROR, "name", RD_MRZ_NAME, line + 1, pos + 1, 0, 0,
		        "the name field is empty");
	else if (si == 0 || s[0] == '<')
		/* Doc 9303 writes a single name as the primary identifier; some states (India,
		 * for one) write it as the secondary, after '<<': readable, but not the rule */
		problem(m, RD_SEVERITY_WARNING, "name-no-primary", RD_MRZ_NAME, line + 1, pos + 1, 0, 0,
		        "the name has no primary identifier (a single name belongs before '<<')");
	if (len > 0 && is_letter(s[len - 1])) {
		m->truncated = 1;
		problem(m, RD_SEVERITY_WARNING, "name-truncated", RD_MRZ_NAME, line + 1, pos + len, 0, 0,
		        "the name fills its field: it may be truncated");
	}
}

/* Document number at (line, pos) with its check digit at cd; opt (line, pos, len) is the
 * optional-data field where a long number continues (TD1, TD2), or len 0. Sets the
 * optional-data field f_opt from what remains. */
static void document_number(rd_mrz *m, int line, int pos, int cd, int oline, int opos, int olen,
                            int f_opt)
{
	const char *o = m->lines[oline] + opos;
	char *num = m->fields[RD_MRZ_DOCUMENT_NUMBER];
	span sp[2] = { { line, pos, 9 }, { oline, opos, 0 } };
	int k;

	set_field(m, RD_MRZ_DOCUMENT_NUMBER, line, pos, 9);
	if (olen == 0 || m->lines[line][cd] != '<' || m->lines[line][pos + 8] == '<') {
		/* an ordinary number, up to 9 characters */
		check(m, RD_MRZ_DOCUMENT_NUMBER, "documentNumber", line, cd, sp, 1, 0);
		if (f_opt && olen)
			set_field(m, f_opt, oline, opos, olen);
		return;
	}
	/* a long number: '<' where its check digit would be, the rest of the number at the
	 * start of the optional data, then its check digit, then '<' */
	for (k = 0; k < olen && o[k] != '<'; k++)
		;
	if (k < 2) {
		problem(m, RD_SEVERITY_ERROR, "document-number", RD_MRZ_DOCUMENT_NUMBER, line + 1,
		        cd + 1, 0, '<',
		        "'<' stands where the document number's check digit belongs, but the "
		        "optional data holds no continuation of the number");
		if (f_opt)
			set_field(m, f_opt, oline, opos, olen);
		return;
	}
	{
		size_t nl = strlen(num), cl = (size_t)(k - 1);

		if (nl + cl < FIELD_LEN) {
			memcpy(num + nl, o, cl);
			num[nl + cl] = '\0';
		}
	}
	sp[1].len = k - 1;
	check(m, RD_MRZ_DOCUMENT_NUMBER, "documentNumber", oline, opos + k - 1, sp, 2, 0);
	if (f_opt) {
		if (k + 1 < olen)
			set_field(m, f_opt, oline, opos + k + 1, olen - k - 1);
		else {
			m->fields[f_opt][0] = '\0';
			m->have |= 1u << f_opt;
		}
	}
}

/* ---------------------------------------------------------------- formats */

static void document_code(rd_mrz *m)
{
	const char *c = m->lines[0];

	set_field(m, RD_MRZ_DOCUMENT_CODE, 0, 0, 2);
	switch (m->format) {
	case RD_MRZ_TD3:
		if (c[0] != 'P') {
			problem(m, RD_SEVERITY_ERROR, "document-code", RD_MRZ_DOCUMENT_CODE, 1, 1, 0, c[0],
			        "a passport (TD3) document code starts with P, not '%c'", c[0]);
		} else if (strchr("PEDORTSLMU", c[1]) == NULL || c[1] == '\0') {
			problem(m, RD_SEVERITY_WARNING, "document-code-not-harmonised",
			        RD_MRZ_DOCUMENT_CODE, 1, 2, 0, c[1],
			        "document code '%.2s' is not one of ICAO's harmonised passport codes "
			        "(PP, PE, PD, PO, PR, PT, PS, PL, PM, PU)",
			        c);
		}
		break;
	case RD_MRZ_TD1:
	case RD_MRZ_TD2:
		if (c[0] != 'A' && c[0] != 'C' && c[0] != 'I')
			problem(m, RD_SEVERITY_ERROR, "document-code", RD_MRZ_DOCUMENT_CODE, 1, 1, 0, c[0],
			        "a %s document code starts with A, C or I, not '%c'",
			        m->format == RD_MRZ_TD1 ? "TD1" : "TD2", c[0]);
		else if (c[1] == 'V' || (m->format == RD_MRZ_TD1 && c[0] == 'A' && c[1] == 'I'))
			problem(m, RD_SEVERITY_ERROR, "document-code", RD_MRZ_DOCUMENT_CODE, 1, 2, 0, c[1],
			        "document code '%.2s' is not allowed (no V in second position; no AI "
			        "on a TD1)",
			        c);
		break;
	default: /* visas */
		if (c[0] != 'V')
			problem(m, RD_SEVERITY_ERROR, "document-code", RD_MRZ_DOCUMENT_CODE, 1, 1, 0, c[0],
			        "a visa document code starts with V, not '%c'", c[0]);
		break;
	}
}

static void parse_td3_or_mrv(rd_mrz *m, int len)
{
	int mrv = m->format == RD_MRZ_MRVA || m->format == RD_MRZ_MRVB;
	span num[1] = { { 1, 0, 9 } };
	span dob[1] = { { 1, 13, 6 } };
	span exp[1] = { { 1, 21, 6 } };

	document_code(m);
	country(m, RD_MRZ_ISSUING_STATE, 0, 2);
	name_field(m, 0, 5, len - 5);
	set_field(m, RD_MRZ_DOCUMENT_NUMBER, 1, 0, 9);
	check(m, RD_MRZ_DOCUMENT_NUMBER, "documentNumber", 1, 9, num, 1, 0);
	country(m, RD_MRZ_NATIONALITY, 1, 10);
	date_field(m, RD_MRZ_BIRTH_DATE, 1, 13, 1);
	check(m, RD_MRZ_BIRTH_DATE, "birthDate", 1, 19, dob, 1, 0);
	sex_field(m, 1, 20);
	date_field(m, RD_MRZ_EXPIRY_DATE, 1, 21, 0);
	check(m, RD_MRZ_EXPIRY_DATE, "expiryDate", 1, 27, exp, 1, 0);
	if (mrv) {
		/* visas: optional data to the end, no composite */
		set_field(m, RD_MRZ_OPTIONAL_DATA, 1, 28, len - 28);
		return;
	}
	if (m->format == RD_MRZ_TD3) {
		span opt[1] = { { 1, 28, 14 } };
		span comp[3] = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 22 } };

		set_field(m, RD_MRZ_OPTIONAL_DATA, 1, 28, 14);
		/* an empty optional-data field may have '<' as its check digit, or '0' (which is
		 * what the computation gives for fillers) */
		check(m, RD_MRZ_OPTIONAL_DATA, "optionalData", 1, 42, opt, 1, 1);
		check(m, 0, "composite", 1, 43, comp, 3, 0);
	}
}

static void parse_td2(rd_mrz *m)
{
	span dob[1] = { { 1, 13, 6 } };
	span exp[1] = { { 1, 21, 6 } };
	span comp[3] = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 14 } };

	document_code(m);
	country(m, RD_MRZ_ISSUING_STATE, 0, 2);
	name_field(m, 0, 5, 31);
	document_number(m, 1, 0, 9, 1, 28, 7, RD_MRZ_OPTIONAL_DATA);
	country(m, RD_MRZ_NATIONALITY, 1, 10);
	date_field(m, RD_MRZ_BIRTH_DATE, 1, 13, 1);
	check(m, RD_MRZ_BIRTH_DATE, "birthDate", 1, 19, dob, 1, 0);
	sex_field(m, 1, 20);
	date_field(m, RD_MRZ_EXPIRY_DATE, 1, 21, 0);
	check(m, RD_MRZ_EXPIRY_DATE, "expiryDate", 1, 27, exp, 1, 0);
	check(m, 0, "composite", 1, 35, comp, 3, 0);
}

static void parse_td1(rd_mrz *m)
{
	span dob[1] = { { 1, 0, 6 } };
	span exp[1] = { { 1, 8, 6 } };
	span comp[4] = { { 0, 5, 25 }, { 1, 0, 7 }, { 1, 8, 7 }, { 1, 18, 11 } };

	document_code(m);
	country(m, RD_MRZ_ISSUING_STATE, 0, 2);
	document_number(m, 0, 5, 14, 0, 15, 15, RD_MRZ_OPTIONAL_DATA);
	date_field(m, RD_MRZ_BIRTH_DATE, 1, 0, 1);
	check(m, RD_MRZ_BIRTH_DATE, "birthDate", 1, 6, dob, 1, 0);
	sex_field(m, 1, 7);
	date_field(m, RD_MRZ_EXPIRY_DATE, 1, 8, 0);
	check(m, RD_MRZ_EXPIRY_DATE, "expiryDate", 1, 14, exp, 1, 0);
	country(m, RD_MRZ_NATIONALITY, 1, 15);
	set_field(m, RD_MRZ_OPTIONAL_DATA2, 1, 18, 11);
	check(m, 0, "composite", 1, 29, comp, 4, 0);
	name_field(m, 2, 0, 30);
}

/* ---------------------------------------------------------------- public */

int rd_mrz_parse(rd_mrz **out, const char *text, size_t len, const rd_mrz_options *opts)
{
	rd_mrz *m;
	size_t i = 0;
	int l;
	int lens[8];
	int nl = 0;

	if (out == NULL || (text == NULL && len))
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_mrz_parse: bad arguments");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_mrz_parse", rd_mrz_options, RD_MRZ_OPTIONS_VERSION, opts);
	/* no calloc: only the bookkeeping needs zeroing; fields are written before they are
	 * read (the "have" bits say which), messages when a problem is recorded */
	m = rd__malloc(sizeof *m);
	if (m == NULL)
		return rd__error_oom();
	m->format = RD_MRZ_UNKNOWN;
	m->errors = m->truncated = m->nlines = 0;
	m->have = 0;
	m->nchecks = m->nproblems = m->dropped = 0;
	m->lines[0][0] = m->lines[1][0] = m->lines[2][0] = '\0';
	if (opts && opts->as_of) {
		if (rd__date_parse(opts->as_of, strlen(opts->as_of), 0, &m->today) != 0) {
			free(m);
			return rd__error_set(RD_EINVAL, NULL, 0, 0,
			                     "as-of date '%s' is not a valid date (YYYY-MM-DD)",
			                     opts->as_of);
		}
	} else {
		m->today = rd__date_today();
	}
	/* split into lines, trimming white space around each; blank lines are skipped */
	while (i < len) {
		size_t s = i, e;

		while (i < len && text[i] != '\n')
			i++;
		e = i;
		if (i < len)
			i++;
		while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
			s++;
		while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
			e--;
		if (e == s)
			continue;
		if (nl < 8)
			lens[nl] = (int)(e - s) > 9999 ? 9999 : (int)(e - s);
		if (nl < 3) {
			size_t n = e - s < 47 ? e - s : 47;

			memcpy(m->lines[nl], text + s, n);
			m->lines[nl][n] = '\0';
		}
		nl++;
	}
	m->nlines = nl < 3 ? nl : 3;
	if (nl == 3 && lens[0] == 30 && lens[1] == 30 && lens[2] == 30)
		m->format = RD_MRZ_TD1;
	else if (nl == 2 && lens[0] == 44 && lens[1] == 44)
		m->format = m->lines[0][0] == 'V' ? RD_MRZ_MRVA : RD_MRZ_TD3;
	else if (nl == 2 && lens[0] == 36 && lens[1] == 36)
		m->format = m->lines[0][0] == 'V' ? RD_MRZ_MRVB : RD_MRZ_TD2;
	if (m->format == RD_MRZ_UNKNOWN) {
		char shape[96];
		int k, off = 0;

		shape[0] = '\0';
		for (k = 0; k < nl && k < 8 && off < 80; k++)
			off += snprintf(shape + off, sizeof shape - (size_t)off, "%s%d", k ? ", " : "",
			                lens[k]);
		problem(m, RD_SEVERITY_ERROR, "format", 0, 0, 0, 0, 0,
		        "an MRZ has 3 lines of 30 characters (TD1), or 2 lines of 36 (TD2, MRV-B) "
		        "or 44 (TD3, MRV-A); this has %d line%s%s%s%s",
		        nl, nl == 1 ? "" : "s", nl ? " of " : "", shape, nl ? " characters" : "");
		*out = m;
		return RD_OK;
	}
	/* the character set, over each line's length: a NUL byte is a character like any
	 * other (the lengths were checked above, so every line fits in lines[]) */
	for (l = 0; l < m->nlines; l++) {
		const char *p;

		for (p = m->lines[l]; p < m->lines[l] + lens[l]; p++) {
			if (!(is_letter(*p) || is_digit(*p) || *p == '<')) {
				problem(m, RD_SEVERITY_ERROR, "charset", 0, l + 1, (int)(p - m->lines[l]) + 1, 0,
				        *p,
				        (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f
				            ? "character '%c' at line %d, position %d: an MRZ holds only A-Z, "
				              "0-9 and '<'"
				            : "byte 0x%02x at line %d, position %d: an MRZ holds only A-Z, "
				              "0-9 and '<'",
				        (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f
				            ? *p
				            : (unsigned char)*p,
				        l + 1, (int)(p - m->lines[l]) + 1);
			}
		}
	}
	switch (m->format) {
	case RD_MRZ_TD1:
		parse_td1(m);
		break;
	case RD_MRZ_TD2:
		parse_td2(m);
		break;
	case RD_MRZ_TD3:
	case RD_MRZ_MRVA:
		parse_td3_or_mrv(m, 44);
		break;
	case RD_MRZ_MRVB:
		parse_td3_or_mrv(m, 36);
		break;
	default:
		break;
	}
	*out = m;
	return RD_OK;
}

void rd_mrz_free(rd_mrz *m)
{
	free(m);
}

int rd_mrz_get_format(const rd_mrz *m)
{
	return m ? m->format : RD_MRZ_UNKNOWN;
}

const char *rd_mrz_format_name(rd_mrz_format format)
{
	switch (format) {
	case RD_MRZ_TD1: return "TD1";
	case RD_MRZ_TD2: return "TD2";
	case RD_MRZ_TD3: return "TD3";
	case RD_MRZ_MRVA: return "MRVA";
	case RD_MRZ_MRVB: return "MRVB";
	default: return "unknown";
	}
}

int rd_mrz_valid(const rd_mrz *m)
{
	return m && m->format != RD_MRZ_UNKNOWN && m->errors == 0;
}

const char *rd_mrz_get(const rd_mrz *m, rd_mrz_field f)
{
	if (m == NULL || f <= 0 || f >= RD_MRZ_FIELD_MAX || !(m->have & (1u << f)))
		return NULL;
	return m->fields[f];
}

const char *rd_mrz_field_name(rd_mrz_field f)
{
	return f > 0 && f < RD_MRZ_FIELD_MAX ? field_names[f] : NULL;
}

int rd_mrz_field_from_name(const char *name)
{
	int f;

	for (f = 1; name && f < RD_MRZ_FIELD_MAX; f++)
		if (strcmp(field_names[f], name) == 0)
			return f;
	return 0;
}

int rd_mrz_name_truncated(const rd_mrz *m)
{
	return m ? m->truncated : 0;
}

size_t rd_mrz_check_count(const rd_mrz *m)
{
	return m ? m->nchecks : 0;
}

const rd_mrz_check *rd_mrz_get_check(const rd_mrz *m, size_t i)
{
	return m && i < m->nchecks ? &m->checks[i] : NULL;
}

size_t rd_mrz_problem_count(const rd_mrz *m)
{
	return m ? m->nproblems : 0;
}

const rd_mrz_problem *rd_mrz_get_problem(const rd_mrz *m, size_t i)
{
	return m && i < m->nproblems ? &m->problems[i] : NULL;
}

/* ---------------------------------------------------------------- JSON */

static void json_char(rd_buf *b, char c)
{
	char s[2] = { c, '\0' };

	if (c == 0)
		rd__buf_puts(b, "null");
	else
		rd__buf_json_str(b, s);
}

static void json_problems(rd_buf *b, const rd_mrz *m, int severity)
{
	size_t i;
	int first = 1;

	rd__buf_putc(b, '[');
	for (i = 0; i < m->nproblems; i++) {
		const rd_mrz_problem *p = &m->problems[i];

		if (p->severity != severity)
			continue;
		if (!first)
			rd__buf_putc(b, ',');
		first = 0;
		rd__buf_puts(b, "{\"code\":");
		rd__buf_json_str(b, p->code);
		rd__buf_puts(b, ",\"field\":");
		rd__buf_json_str(b, p->field);
		rd__buf_puts(b, ",\"message\":");
		rd__buf_json_str(b, p->message);
		if (p->line)
			rd__buf_printf(b, ",\"position\":{\"line\":%d,\"column\":%d}", p->line, p->position);
		else
			rd__buf_puts(b, ",\"position\":null");
		rd__buf_putc(b, '}');
	}
	rd__buf_putc(b, ']');
}

int rd__mrz_json(rd_buf *b, const rd_mrz *m)
{
	size_t i;
	int f, first = 1;

	rd__buf_puts(b, "{\"format\":");
	rd__buf_json_str(b, m->format ? rd_mrz_format_name(m->format) : NULL);
	rd__buf_printf(b, ",\"valid\":%s,\"fields\":{", rd_mrz_valid(m) ? "true" : "false");
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		if (f == RD_MRZ_NAME || !(m->have & (1u << f)))
			continue;
		if (!first)
			rd__buf_putc(b, ',');
		first = 0;
		rd__buf_json_str(b, field_names[f]);
		rd__buf_putc(b, ':');
		rd__buf_json_str(b, m->fields[f]);
	}
	rd__buf_puts(b, "},\"checks\":[");
	for (i = 0; i < m->nchecks; i++) {
		const rd_mrz_check *c = &m->checks[i];

		if (i)
			rd__buf_putc(b, ',');
		rd__buf_puts(b, "{\"field\":");
		rd__buf_json_str(b, c->field);
		rd__buf_puts(b, ",\"expected\":");
		json_char(b, c->expected);
		rd__buf_puts(b, ",\"found\":");
		json_char(b, c->found);
		rd__buf_printf(b, ",\"ok\":%s,\"position\":{\"line\":%d,\"column\":%d}}",
		               c->ok ? "true" : "false", c->line, c->position);
	}
	rd__buf_puts(b, "],\"errors\":");
	json_problems(b, m, RD_SEVERITY_ERROR);
	rd__buf_puts(b, ",\"warnings\":");
	json_problems(b, m, RD_SEVERITY_WARNING);
	rd__buf_putc(b, '}');
	return b->oom ? -1 : 0;
}

int rd_mrz_to_json(char **out, size_t *len, const rd_mrz *m)
{
	rd_buf b;

	if (out == NULL || m == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_mrz_to_json: bad arguments");
	rd__buf_init(&b);
	if (rd__mrz_json(&b, m) < 0) {
		rd__buf_free(&b);
		return rd__error_oom();
	}
	*out = rd__buf_take(&b, len);
	return *out ? RD_OK : rd__error_oom();
}
