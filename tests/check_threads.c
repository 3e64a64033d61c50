/* rahdari tests: one rule set shared by threads that check different documents.
 *
 * The embedded pk pack is loaded once; every example booking, and a case whose signed
 * licence is verified against a trust store (so OpenSSL and libxmlsec1 run in the
 * threads too), is checked alone first, then by 4 threads at once, each going through the
 * documents in its own order several times. Every report must be the one the thread alone
 * made, byte for byte in JSON. The suite is one of the threaded tests that make
 * check-tsan runs under ThreadSanitizer.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NTHREADS 4
#define MAXDOCS 32

/* Rounds of each thread over the documents: one under valgrind, which serialises threads
 * (and is fifty times slower). */
static unsigned int rounds(void)
{
	return getenv("RD_UNDER_VALGRIND") != NULL ? 1 : 3;
}

/* The licence case: a booking of Al-Noor Travels, with the licence the regulator signed
 * (the pk pack's licence tests: rules/pk/tests/lic/support, made by make-signed.sh). */
static const char al_noor_booking[] =
	"<booking xmlns='urn:rahdari:doc:1' id='T-THREADS-1' created='2026-11-20'>"
	"<agency name='Al-Noor Travels' licence='PB-LHR-2019-0412' office='LHR-01'"
	" province='PK-PB'/>"
	"<service type='air-ticket' field='a'/>"
	"<passenger id='P1'><surname>KHAN</surname><given-names>MUHAMMAD ALI</given-names>"
	"<birth-date>1982-04-11</birth-date><sex>M</sex><nationality>PAK</nationality>"
	"<cnic>35202-1234567-1</cnic><passport number='AB1234561' issuing-state='PAK'"
	" issue-date='2022-02-01' expiry-date='2032-01-31'/></passenger>"
	"<segment carrier='PK' from='LHE' to='DXB' departure='2026-12-20T09:00'"
	" arrival='2026-12-20T11:30'/>"
	"<segment carrier='PK' from='DXB' to='LHE' departure='2026-12-28T13:00'"
	" arrival='2026-12-28T17:15'/>"
	"</booking>";

typedef struct work {
	const rd_rules *rules;
	rd_document *docs[MAXDOCS];
	rd_case_doc cases[MAXDOCS][1]; /* the licence of a document, when it has one */
	size_t ncase[MAXDOCS];
	char *want[MAXDOCS];           /* each document's report alone, in JSON */
	size_t ndocs;
	rd_trust *trust;
	rd_document *licence;
} work;

typedef struct job {
	const work *w;
	unsigned int index;
	unsigned long checks;
	unsigned long wrong; /* reports unlike the single-threaded one */
	unsigned long failed;
	char first[256];     /* the first difference, for the message */
} job;

static char *check_json(const work *w, size_t i, int *rc)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *r = NULL;
	char *out = NULL;
	size_t len;

	o.as_of = "2026-12-01";
	o.docs = w->cases[i];
	o.ndocs = w->ncase[i];
	o.trust = w->trust;
	*rc = rd_check(&r, w->rules, w->docs[i], &o);
	if (*rc != RD_OK)
		return NULL;
	*rc = rd_report_format(&out, &len, r, RD_FORMAT_JSON, 0);
	rd_report_free(r);
	return *rc == RD_OK ? out : NULL;
}

static void *run(void *arg)
{
	job *j = arg;
	const work *w = j->w;
	size_t round, k, n = rounds();

	for (round = 0; round < n; round++) {
		for (k = 0; k < w->ndocs; k++) {
			/* each thread its own order: a different start and direction */
			size_t i = (j->index % 2 == 0) ? (k + j->index) % w->ndocs
			                               : (w->ndocs - 1 - (k + j->index) % w->ndocs);
			int rc;
			char *got = check_json(w, i, &rc);

			j->checks++;
			if (got == NULL) {
				j->failed++;
				continue;
			}
			if (strcmp(got, w->want[i]) != 0) {
				if (j->wrong++ == 0)
					snprintf(j->first, sizeof j->first, "%s",
					         rd_document_name(w->docs[i]));
			}
			rd_free(got);
		}
	}
	return NULL;
}

static void add_doc(work *w, rd_document *d, const rd_case_doc *licence)
{
	ck_assert_uint_lt(w->ndocs, MAXDOCS);
	w->docs[w->ndocs] = d;
	if (licence != NULL) {
		w->cases[w->ndocs][0] = *licence;
		w->ncase[w->ndocs] = 1;
	}
	w->ndocs++;
}

static void load_examples(work *w)
{
	char *dir = tu_srcpath("examples/bookings");
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[MAXDOCS];
	size_t n = 0, i;

	ck_assert_msg(d != NULL, "%s", dir);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0 && n < MAXDOCS - 2) {
			names[n] = malloc(strlen(dir) + len + 2);
			ck_assert_ptr_nonnull(names[n]);
			sprintf(names[n], "%s/%s", dir, e->d_name);
			n++;
		}
	}
	closedir(d);
	ck_assert_uint_ge(n, 4);
	for (i = 0; i < n; i++) {
		rd_document *doc = NULL;

		ck_assert_msg(rd_document_load_file(&doc, names[i], NULL) == RD_OK, "%s: %s",
		              names[i], rd_error_last()->message);
		add_doc(w, doc, NULL);
		free(names[i]);
	}
	free(dir);
}

static void load_licence_case(work *w)
{
	char *ca = tu_srcpath("rules/pk/tests/lic/support/trust-ca.pem");
	char *crl = tu_srcpath("rules/pk/tests/lic/support/trust-crl.pem");
	char *lic = tu_srcpath("rules/pk/tests/lic/support/signed-al-noor.xml");
	rd_document *booking = NULL;
	rd_case_doc c;

	ck_assert_msg(rd_trust_load(&w->trust, ca) == RD_OK, "%s", rd_error_last()->message);
	ck_assert_msg(rd_trust_add_crl(w->trust, crl) == RD_OK, "%s", rd_error_last()->message);
	ck_assert_msg(rd_document_load_file(&w->licence, lic, NULL) == RD_OK, "%s",
	              rd_error_last()->message);
	ck_assert_int_eq(rd_document_load_memory(&booking, al_noor_booking,
	                                         sizeof al_noor_booking - 1, "al-noor.xml", NULL),
	                 RD_OK);
	c.role = "licence";
	c.doc = w->licence;
	add_doc(w, booking, &c);
	free(ca);
	free(crl);
	free(lic);
}

static void work_free(work *w)
{
	size_t i;

	for (i = 0; i < w->ndocs; i++) {
		rd_document_free(w->docs[i]);
		rd_free(w->want[i]);
	}
	rd_document_free(w->licence);
	rd_trust_free(w->trust);
}

START_TEST(test_four_threads_one_rule_set)
{
	static work w; /* large: not on the stack */
	rd_rules *rules = NULL;
	pthread_t t[NTHREADS];
	job jobs[NTHREADS];
	size_t i, nfindings = 0;
	int rc;

	memset(&w, 0, sizeof w);
	ck_assert_msg(rd_rules_load_default(&rules) == RD_OK, "%s", rd_error_last()->message);
	w.rules = rules;
	load_examples(&w);
	load_licence_case(&w);
	/* alone first */
	for (i = 0; i < w.ndocs; i++) {
		w.want[i] = check_json(&w, i, &rc);
		ck_assert_msg(w.want[i] != NULL, "%s: %s", rd_document_name(w.docs[i]),
		              rd_error_last()->message);
		nfindings += strstr(w.want[i], "\"findings\": []") == NULL;
	}
	/* the examples are there for their findings: a run that found none proves little */
	ck_assert_uint_ge(nfindings, w.ndocs / 2);
	/* the licence case verified its signature (PK-LIC-019 and -020 stay silent) */
	ck_assert_ptr_null(strstr(w.want[w.ndocs - 1], "PK-LIC-019"));
	ck_assert_ptr_null(strstr(w.want[w.ndocs - 1], "PK-LIC-020"));
	for (i = 0; i < NTHREADS; i++) {
		memset(&jobs[i], 0, sizeof jobs[i]);
		jobs[i].w = &w;
		jobs[i].index = (unsigned int)i;
		ck_assert_int_eq(pthread_create(&t[i], NULL, run, &jobs[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	for (i = 0; i < NTHREADS; i++) {
		ck_assert_uint_eq(jobs[i].checks, rounds() * w.ndocs);
		ck_assert_uint_eq(jobs[i].failed, 0);
		ck_assert_msg(jobs[i].wrong == 0, "thread %zu: %lu reports differ from a check alone, "
		              "the first of %s", i, jobs[i].wrong, jobs[i].first);
	}
	work_free(&w);
	rd_rules_free(rules);
}
END_TEST

/* Rule sets loaded and freed in threads while others check with their own: nothing of
 * one rule set (nor libxml2's dictionaries) is shared with another. */
typedef struct loader_job {
	const char *xml;
	size_t len;
	int failures;
} loader_job;

static void *load_and_check(void *arg)
{
	loader_job *j = arg;
	int i;

	for (i = 0; i < 3; i++) {
		rd_rules *rules = NULL;
		rd_document *doc = NULL;
		rd_report *r = NULL;
		rd_check_options o = RD_CHECK_OPTIONS_INIT;

		o.as_of = "2026-12-01";
		if (rd_rules_load_default(&rules) != RD_OK ||
		    rd_document_load_memory(&doc, j->xml, j->len, "t.xml", NULL) != RD_OK ||
		    rd_check(&r, rules, doc, &o) != RD_OK || rd_report_count(r) == 0)
			j->failures++;
		rd_report_free(r);
		rd_document_free(doc);
		rd_rules_free(rules);
	}
	return NULL;
}

START_TEST(test_rule_sets_loaded_in_threads)
{
	/* a booking with a finding (a passport that expires before the return) */
	static const char xml[] =
		"<booking xmlns='urn:rahdari:doc:1' id='T2' created='2026-11-20'>"
		"<agency name='A' licence='PB-LHR-2019-0412' office='LHR-01' province='PK-PB'/>"
		"<service type='air-ticket'/>"
		"<passenger id='P1'><surname>KHAN</surname><given-names>ALI</given-names>"
		"<birth-date>1982-04-11</birth-date><sex>M</sex><nationality>PAK</nationality>"
		"<passport number='AB1234561' issuing-state='PAK' issue-date='2017-02-01'"
		" expiry-date='2026-12-10'/></passenger>"
		"<segment carrier='PK' from='LHE' to='DXB' departure='2026-12-20T09:00'"
		" arrival='2026-12-20T11:30'/>"
		"</booking>";
	pthread_t t[NTHREADS];
	loader_job jobs[NTHREADS];
	size_t i;

	for (i = 0; i < NTHREADS; i++) {
		jobs[i].xml = xml;
		jobs[i].len = sizeof xml - 1;
		jobs[i].failures = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, load_and_check, &jobs[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(jobs[i].failures, 0);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	/* generous: ThreadSanitizer and valgrind run these ten to fifty times slower */
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, test_four_threads_one_rule_set);
	tcase_add_test(tc, test_rule_sets_loaded_in_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
