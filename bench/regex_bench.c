/* rahdari benchmark: fn:matches' regular-expression engine (lib/regex.c) against
 * libxml2's xmlRegexp, which it replaced.
 *
 *   make bench-regex              (or: bench/regex_bench [SECONDS])
 *
 * 1. The pk pack's patterns on strings like the ones they meet (remarks and purposes
 *    of 40 to 400 characters, lower-cased as the rules do), and some of the pk XSDs'
 *    patterns on short values: nanoseconds per match, CPU time of this thread, each
 *    repeated for at least SECONDS (default 0.5).
 * 2. (a*)*(a*)*(a*)*b on n 'a': libxml2 until one match takes more than a second,
 *    rahdari up to 3,200.
 * 3. A 10 MB remark against the two patterns of PK-RISK-019, and 11 million 'p' then
 *    " passport", where libxml2 answers -1.
 * The engine is internal to the library, so this program compiles lib/regex.c in.
 * Numbers only: it never fails.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlregexp.h>

#include "internal.h"

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void quiet(void *ctx, rd_xml_error err)
{
	RD_UNUSED(ctx);
	RD_UNUSED(err);
}

/* Seconds of CPU per match of s, repeated for at least `seconds`; *rc the result. */
static double time_ours(const rd_regex *re, const char *s, double seconds, int *rc)
{
	double t0 = cpu_now(), t;
	size_t len = strlen(s);
	long n = 0;

	do {
		*rc = rd__regex_match(re, s, len, NULL);
		n++;
		t = cpu_now() - t0;
	} while (t < seconds);
	return t / (double)n;
}

static double time_libxml2(xmlRegexpPtr x, const char *s, double seconds, int *rc)
{
	double t0 = cpu_now(), t;
	long n = 0;

	do {
		*rc = xmlRegexpExec(x, (const xmlChar *)s);
		n++;
		t = cpu_now() - t0;
	} while (t < seconds);
	return t / (double)n;
}

static const char *const work_re =
	"(.*[^a-z])?(job|jobs|employment|naukri|naukari|salary|salaries|wages|labour|labor|kafeel|"
	"kafala|work permit|work visa|for work|to work)([^a-z].*)?";
static const char *const custody_re =
	".*(handed to|hand over|handed over|to be handed|hand them|kept by|keep the|keeps the|"
	"keep their|held by|hold the|holds the|retain|surrender|in his custody|in her custody|in "
	"the custody).*";

static const struct {
	const char *label;
	const char *re;
	const char *s;
} cases[] = {
	{ "PK-RISK-019 passports, 60 chars", ".*passports?.*",
	  "customer asked for a window seat and extra baggage allowance" },
	{ "PK-RISK-019 passports, 300 chars", ".*passports?.*",
	  "group of twelve pilgrims travelling with their families; hotel near haram for ten "
	  "nights, transport by bus from jeddah; the agent collected the passports of all "
	  "members for visa stamping and will return them at the airport before departure; "
	  "payment received in cash at the office in lahore" },
	{ "PK-RISK-019 custody, 60 chars", NULL,
	  "customer asked for a window seat and extra baggage allowance" },
	{ "PK-RISK-019 custody, 300 chars", NULL,
	  "group of twelve pilgrims travelling with their families; hotel near haram for ten "
	  "nights, transport by bus from jeddah; the agent collected the passports of all "
	  "members for visa stamping and will return them at the airport before departure; "
	  "payment received in cash at the office in lahore" },
	{ "PK-RISK work text, 40 chars (no)", "W", "umrah with family and visit to madinah" },
	{ "PK-RISK work text, 40 chars (yes)", "W", "visit visa, going to dubai for a job there" },
	{ "PK-RISK work text, 400 chars", "W",
	  "tourism. the passenger is a retired school teacher travelling with his wife to see "
	  "their daughter in toronto; return ticket booked for june; hotel not needed since they "
	  "stay with the family; insurance purchased through the agency; bank statement and "
	  "pension slips attached to the visa file; no previous refusals; they have travelled "
	  "to dubai twice before on visit visas and returned on time both times; the sponsor "
	  "letter is from the daughter" },
	{ "XSD Cnic", "[0-9]{5}-?[0-9]{7}-?[0-9]", "35202-1234567-1" },
	{ "XSD MinuteTime",
	  "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](Z|[+\\-]"
	  "(0[0-9]|1[0-4]):[0-5][0-9])?",
	  "2026-03-14T09:45+05:00" },
	{ "XSD Email", "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "bookings@example-travel.com.pk" },
	{ "XSD Phone", "\\+?[0-9()][0-9 ()\\-]{5,24}", "+92 300 1234567" },
};

static char *filled(size_t n, const char *fill, const char *tail)
{
	size_t f = strlen(fill), t = strlen(tail), i;
	char *s = malloc(n + t + 1);

	if (s == NULL) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < n; i++)
		s[i] = fill[i % f];
	memcpy(s + n, tail, t + 1);
	return s;
}

static void once(const char *label, const char *pat, const char *s)
{
	char err[256];
	rd_regex *re = rd__regex_compile(pat, err);
	xmlRegexpPtr x = xmlRegexpCompile((const xmlChar *)pat);
	unsigned long work = 0;
	double t;
	int rc;

	t = cpu_now();
	rc = rd__regex_match(re, s, strlen(s), &work);
	printf("%-44s rahdari %9.3f s -> %2d (%lu steps)\n", label, cpu_now() - t, rc, work);
	t = cpu_now();
	rc = xmlRegexpExec(x, (const xmlChar *)s);
	printf("%-44s libxml2 %9.3f s -> %2d\n", label, cpu_now() - t, rc);
	rd__regex_free(re);
	xmlRegFreeRegexp(x);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	size_t i;
	char err[256];

	xmlSetStructuredErrorFunc(NULL, quiet);
	printf("1. patterns of the pk pack and its XSDs (CPU ns per match)\n");
	printf("%-36s %10s %10s %6s\n", "", "rahdari", "libxml2", "ratio");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *pat = cases[i].re == NULL ? custody_re
		                  : strcmp(cases[i].re, "W") == 0 ? work_re : cases[i].re;
		rd_regex *re = rd__regex_compile(pat, err);
		xmlRegexpPtr x = xmlRegexpCompile((const xmlChar *)pat);
		double a, b;
		int ra, rb;

		if (re == NULL || x == NULL) {
			printf("%-36s does not compile: %s\n", cases[i].label, re ? "libxml2" : err);
			continue;
		}
		a = time_ours(re, cases[i].s, seconds, &ra);
		b = time_libxml2(x, cases[i].s, seconds, &rb);
		printf("%-36s %10.0f %10.0f %6.2f%s\n", cases[i].label, a * 1e9, b * 1e9, b / a,
		       ra == rb ? "" : "  (answers differ)");
		rd__regex_free(re);
		xmlRegFreeRegexp(x);
	}

	printf("\n2. (a*)*(a*)*(a*)*b on n 'a' (CPU seconds per match, answer 0)\n");
	{
		static const size_t sizes[] = { 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3200 };
		rd_regex *re = rd__regex_compile("(a*)*(a*)*(a*)*b", err);
		xmlRegexpPtr x = xmlRegexpCompile((const xmlChar *)"(a*)*(a*)*(a*)*b");
		double last = 0;

		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			char *s = filled(sizes[i], "a", "");
			unsigned long work = 0;
			double t = cpu_now(), ours;
			int rc = rd__regex_match(re, s, sizes[i], &work), rl;

			ours = cpu_now() - t;
			printf("n=%-5zu rahdari %.6f s (%d, %lu steps)", sizes[i], ours, rc, work);
			/* libxml2 until one match takes more than a second */
			if (last < 1.0) {
				t = cpu_now();
				rl = xmlRegexpExec(x, (const xmlChar *)s);
				last = cpu_now() - t;
				printf("   libxml2 %.6f s (%d)", last, rl);
			}
			printf("\n");
			free(s);
		}
		rd__regex_free(re);
		xmlRegFreeRegexp(x);
	}

	printf("\n3. long strings (CPU seconds, one match)\n");
	{
		char *remark = filled(10 * 1000 * 1000, "the agent keeps the p", " passport handed to him");

		once("10 MB remark, .*passports?.*", ".*passports?.*", remark);
		once("10 MB remark, custody", custody_re, remark);
		once("10 MB remark, work text", work_re, remark);
		free(remark);
		remark = filled(11 * 1000 * 1000, "p", " passport");
		once("11M 'p' + \" passport\", .*passports?.*", ".*passports?.*", remark);
		free(remark);
	}
	return 0;
}
