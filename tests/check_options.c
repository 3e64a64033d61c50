/* rahdari tests: the one rule of the options structs (doc/api.md, "Options structs"), their
 * initialisers, the structs the caller hands over to be filled (rd_audit_progress,
 * rd_cnic), and an audit stopped by its callback (RD_ESTOPPED).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define SCH SCH_OPEN "<sch:pattern><sch:rule context='a'><sch:report id='A' test='true()'>a</sch:report></sch:rule></sch:pattern>" SCH_CLOSE
#define RECORDS "<r><a/><a/><a/><a/><a/></r>"

static rd_rules *rules;
static rd_document *doc;
static char *dir, *doc_path, *sch_path, *ca_path;
static rd_trust *trust;

static void setup(void)
{
	dir = tu_tmpdir();
	doc_path = tu_write(dir, "a.xml", "<a/>");
	sch_path = tu_write(dir, "a.sch", SCH);
	ca_path = tu_srcpath("rules/pk/tests/lic/support/trust-ca.pem");
	rules = tu_rules(SCH);
	doc = tu_doc("<a/>");
	ck_assert_msg(rd_trust_load(&trust, ca_path) == RD_OK, "%s", rd_error_last()->message);
}

static void teardown(void)
{
	rd_trust_free(trust);
	rd_document_free(doc);
	rd_rules_free(rules);
	tu_rmtree(dir);
	free(ca_path);
	free(sch_path);
	free(doc_path);
	free(dir);
}

/* ---------------------------------------------------------------- every entry point */

/* Each calls one public function with an options struct of version v and returns its
 * status; with the current version, none returns RD_EINVAL. */

static int load_document_memory(unsigned int v)
{
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	rd_document *d = NULL;
	int rc;

	o.version = v;
	rc = rd_document_load_memory(&d, "<a/>", 4, "a.xml", &o);
	rd_document_free(d);
	return rc;
}

static int load_document_file(unsigned int v)
{
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	rd_document *d = NULL;
	int rc;

	o.version = v;
	rc = rd_document_load_file(&d, doc_path, &o);
	rd_document_free(d);
	return rc;
}

static int load_rules_file(unsigned int v)
{
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	rd_rules *r = NULL;
	int rc;

	o.version = v;
	rc = rd_rules_load(&r, sch_path, &o);
	rd_rules_free(r);
	return rc;
}

static int load_rules_memory(unsigned int v)
{
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	rd_rules *r = NULL;
	int rc;

	o.version = v;
	rc = rd_rules_load_memory(&r, SCH, strlen(SCH), "a.sch", NULL, &o);
	rd_rules_free(r);
	return rc;
}

static int load_signed(unsigned int load_v, unsigned int verify_v)
{
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_rules *r = NULL;
	int rc;

	lo.version = load_v;
	vo.version = verify_v;
	rc = rd_rules_load_signed(&r, sch_path, &lo, trust, &vo); /* unsigned: refused, but not EINVAL */
	rd_rules_free(r);
	return rc;
}

static int load_signed_load(unsigned int v)
{
	return load_signed(v, RD_PACK_VERIFY_OPTIONS_VERSION);
}

static int load_signed_verify(unsigned int v)
{
	return load_signed(RD_LOAD_OPTIONS_VERSION, v);
}

static int check(unsigned int v)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *rep = NULL;
	int rc;

	o.version = v;
	rc = rd_check(&rep, rules, doc, &o);
	rd_report_free(rep);
	return rc;
}

static int discard(const char *data, size_t len, void *payload)
{
	(void)data;
	(void)len;
	(void)payload;
	return 0;
}

static int writer_set_rules(unsigned int v)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_writer *w = NULL;
	int rc;

	o.version = v;
	ck_assert_int_eq(rd_writer_new(&w, RD_FORMAT_JSON, 0, discard, NULL), RD_OK);
	rc = rd_writer_set_rules(w, rules, &o);
	rd_writer_free(w);
	return rc;
}

static int audit(unsigned int v, unsigned int check_v)
{
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;

	o.version = v;
	o.check.version = check_v;
	return rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", &o, NULL, NULL, NULL, NULL);
}

static int audit_options(unsigned int v)
{
	return audit(v, RD_CHECK_OPTIONS_VERSION);
}

static int audit_check_options(unsigned int v)
{
	return audit(RD_AUDIT_OPTIONS_VERSION, v);
}

static int audit_file(unsigned int v)
{
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;

	o.version = v;
	return rd_audit_file(rules, doc_path, &o, NULL, NULL, NULL, NULL);
}

static int mrz_parse(unsigned int v)
{
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	rd_mrz *m = NULL;
	int rc;

	o.version = v;
	rc = rd_mrz_parse(&m, "P<PAK", 5, &o); /* not an MRZ: parsed, with problems */
	rd_mrz_free(m);
	return rc;
}

static int licence_verify(unsigned int v)
{
	rd_verify_options o = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *r = NULL;
	int rc;

	o.version = v;
	rc = rd_licence_verify(&r, trust, "l.xml", "<licence/>", 10, &o); /* unsigned: RD_OK */
	rd_verify_result_free(r);
	return rc;
}

static int licence_sign(unsigned int v)
{
	rd_sign_options o = RD_SIGN_OPTIONS_INIT;
	char *out = NULL;
	size_t len = 0;
	int rc;

	o.version = v;
	o.key = "/nonexistent/key.pem";
	o.cert = "/nonexistent/cert.pem";
	rc = rd_licence_sign(&out, &len, NULL, "<licence/>", 10, &o); /* RD_ENOTFOUND */
	rd_free(out);
	return rc;
}

static int pack_sign(unsigned int v)
{
	rd_pack_sign_options o = RD_PACK_SIGN_OPTIONS_INIT;

	o.version = v;
	o.key = "/nonexistent/key.pem";
	o.cert = "/nonexistent/cert.pem";
	return rd_pack_sign(doc_path, &o); /* RD_ENOTFOUND */
}

static int pack_verify(unsigned int v)
{
	rd_pack_verify_options o = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_pack_verification *pv = NULL;
	int rc;

	o.version = v;
	rc = rd_pack_verify(&pv, trust, doc_path, &o); /* unsigned: RD_OK */
	rd_pack_verification_free(pv);
	return rc;
}

static const struct {
	const char *function; /* as the message names it */
	const char *type;
	unsigned int current;
	int (*call)(unsigned int version);
} entry[] = {
	{ "rd_document_load_memory", "rd_load_options", RD_LOAD_OPTIONS_VERSION, load_document_memory },
	{ "rd_document_load_file", "rd_load_options", RD_LOAD_OPTIONS_VERSION, load_document_file },
	{ "rd_rules_load", "rd_load_options", RD_LOAD_OPTIONS_VERSION, load_rules_file },
	{ "rd_rules_load_memory", "rd_load_options", RD_LOAD_OPTIONS_VERSION, load_rules_memory },
	{ "rd_rules_load_signed", "rd_load_options", RD_LOAD_OPTIONS_VERSION, load_signed_load },
	{ "rd_rules_load_signed", "rd_pack_verify_options", RD_PACK_VERIFY_OPTIONS_VERSION,
	  load_signed_verify },
	{ "rd_check", "rd_check_options", RD_CHECK_OPTIONS_VERSION, check },
	{ "rd_writer_set_rules", "rd_check_options", RD_CHECK_OPTIONS_VERSION, writer_set_rules },
	{ "rd_audit", "rd_audit_options", RD_AUDIT_OPTIONS_VERSION, audit_options },
	{ "rd_audit", "rd_check_options", RD_CHECK_OPTIONS_VERSION, audit_check_options },
	{ "rd_audit", "rd_audit_options", RD_AUDIT_OPTIONS_VERSION, audit_file },
	{ "rd_mrz_parse", "rd_mrz_options", RD_MRZ_OPTIONS_VERSION, mrz_parse },
	{ "rd_licence_verify", "rd_verify_options", RD_VERIFY_OPTIONS_VERSION, licence_verify },
	{ "rd_licence_sign", "rd_sign_options", RD_SIGN_OPTIONS_VERSION, licence_sign },
	{ "rd_pack_sign", "rd_pack_sign_options", RD_PACK_SIGN_OPTIONS_VERSION, pack_sign },
	{ "rd_pack_verify", "rd_pack_verify_options", RD_PACK_VERIFY_OPTIONS_VERSION, pack_verify },
};

/* Version 0 (a struct nobody initialised), the next version, 99 and the largest: refused
 * with RD_EINVAL and a message naming the function, the struct and the version; the
 * current version is not refused. */
START_TEST(test_unknown_versions_refused)
{
	static const unsigned int bad[] = { 0, 2, 99, UINT_MAX };
	char want[128];
	size_t k;
	int rc;

	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		rd_error_clear();
		rc = entry[_i].call(bad[k]);
		ck_assert_msg(rc == RD_EINVAL, "%s, %s version %u: %s (%s)", entry[_i].function,
		              entry[_i].type, bad[k], rd_status_name(rc), rd_error_last()->message);
		snprintf(want, sizeof want, "%s: %s version %u is not supported", entry[_i].function,
		         entry[_i].type, bad[k]);
		ck_assert_contains(rd_error_last()->message, want);
		ck_assert_int_eq(rd_error_last()->code, RD_EINVAL);
	}
	rc = entry[_i].call(entry[_i].current);
	ck_assert_msg(rc != RD_EINVAL, "%s, %s version %u: %s", entry[_i].function, entry[_i].type,
	              entry[_i].current, rd_error_last()->message);
}
END_TEST

/* Every struct's current version is 1: no version of 0.1.0 was ever released. */
START_TEST(test_current_versions)
{
	ck_assert_uint_eq(entry[_i].current, 1);
}
END_TEST

/* ---------------------------------------------------------------- initialisers */

/* The init function gives the macro's value byte for byte (static storage: padding 0). */
#define SAME_AS_MACRO(type, INIT)                                                           \
	do {                                                                                \
		static const type macro = INIT;                                             \
		type got;                                                                   \
                                                                                            \
		memset(&got, 0xA5, sizeof got);                                             \
		ck_assert_int_eq(type##_init(&got), RD_OK);                                 \
		ck_assert_msg(memcmp(&got, &macro, sizeof got) == 0, #type "_init differs from " #INIT); \
		ck_assert_uint_eq(got.version, 1);                                          \
		ck_assert_int_eq(type##_init(NULL), RD_EINVAL);                             \
		ck_assert_contains(rd_error_last()->message, #type "_init");                \
	} while (0)

START_TEST(test_init_functions)
{
	SAME_AS_MACRO(rd_load_options, RD_LOAD_OPTIONS_INIT);
	SAME_AS_MACRO(rd_check_options, RD_CHECK_OPTIONS_INIT);
	SAME_AS_MACRO(rd_audit_options, RD_AUDIT_OPTIONS_INIT);
	SAME_AS_MACRO(rd_mrz_options, RD_MRZ_OPTIONS_INIT);
	SAME_AS_MACRO(rd_verify_options, RD_VERIFY_OPTIONS_INIT);
	SAME_AS_MACRO(rd_sign_options, RD_SIGN_OPTIONS_INIT);
	SAME_AS_MACRO(rd_pack_sign_options, RD_PACK_SIGN_OPTIONS_INIT);
	SAME_AS_MACRO(rd_pack_verify_options, RD_PACK_VERIFY_OPTIONS_INIT);
}
END_TEST

/* What an init function gives is accepted, and NULL options still mean the defaults. */
START_TEST(test_init_accepted_null_defaults)
{
	rd_check_options co;
	rd_audit_options ao;
	rd_mrz_options mo;
	rd_report *rep = NULL;
	rd_mrz *m = NULL;

	ck_assert_int_eq(rd_check_options_init(&co), RD_OK);
	ck_assert_int_eq(rd_check(&rep, rules, doc, &co), RD_OK);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	rd_report_free(rep);
	ck_assert_int_eq(rd_check(&rep, rules, doc, NULL), RD_OK);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	rd_report_free(rep);
	ck_assert_int_eq(rd_audit_options_init(&ao), RD_OK);
	ck_assert_int_eq(rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", &ao, NULL, NULL,
	                                 NULL, NULL),
	                 RD_OK);
	ck_assert_int_eq(rd_mrz_options_init(&mo), RD_OK);
	ck_assert_int_eq(rd_mrz_parse(&m, "x", 1, &mo), RD_OK);
	rd_mrz_free(m);
}
END_TEST

/* ---------------------------------------------------------------- callbacks that stop */

typedef struct stopper {
	int value;         /* what the callback returns at record stop_at */
	uint64_t stop_at;
	uint64_t calls;
	int progress_bad;  /* a progress struct of another version was seen */
} stopper;

static int stop_record(const rd_audit_record *r, void *payload)
{
	stopper *s = payload;

	s->calls++;
	return r->index == s->stop_at ? s->value : 0;
}

static void check_progress(const rd_audit_progress *p, void *payload)
{
	stopper *s = payload;

	if (p->version != RD_AUDIT_PROGRESS_VERSION)
		s->progress_bad = 1;
}

/* Whatever the callback returns to stop (a status code's value, RD_ENOMEM, or 1), the
 * audit returns RD_ESTOPPED, with a message that says where and what it returned. */
START_TEST(test_callback_stops)
{
	static const int values[] = { -2, 1, -1, 2, INT_MIN, RD_ESTOPPED };
	static const unsigned int jobs[] = { 1, 3 };
	size_t k, j;

	for (j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
		for (k = 0; k < sizeof values / sizeof values[0]; k++) {
			rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
			rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
			stopper s = { values[k], 1, 0, 0 };
			char want[64];
			int rc;

			o.jobs = jobs[j];
			rc = rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", &o, stop_record,
			                     check_progress, &s, &stats);
			ck_assert_msg(rc == RD_ESTOPPED, "callback returned %d, jobs %u: %s (%s)",
			              values[k], jobs[j], rd_status_name(rc), rd_error_last()->message);
			ck_assert_int_eq(rd_error_last()->code, RD_ESTOPPED);
			snprintf(want, sizeof want, "(it returned %d)", values[k]);
			ck_assert_contains(rd_error_last()->message, want);
			ck_assert_contains(rd_error_last()->message, "stopped the audit after record 2");
			ck_assert_str_eq(rd_error_last()->file, "r.xml");
			ck_assert_uint_eq(s.calls, 2);
			ck_assert_uint_eq(stats.records, 2);
			ck_assert_uint_eq(stats.version, RD_AUDIT_PROGRESS_VERSION);
			ck_assert_int_eq(s.progress_bad, 0);
		}
	}
	ck_assert_str_eq(rd_status_name(RD_ESTOPPED), "RD_ESTOPPED");
}
END_TEST

/* ---------------------------------------------------------------- structs to fill */

START_TEST(test_progress_version)
{
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	stopper s = { 0, 99, 0, 0 };

	ck_assert_int_eq(rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", NULL, stop_record,
	                                 check_progress, &s, &stats),
	                 RD_OK);
	ck_assert_uint_eq(stats.records, 5);
	ck_assert_uint_eq(stats.bytes_read, strlen(RECORDS));
	ck_assert_int_eq(s.progress_bad, 0);
	/* of another version: refused before anything is read, and left as it is */
	memset(&stats, 0x5A, sizeof stats);
	stats.version = 0;
	s.calls = 0;
	ck_assert_int_eq(rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", NULL, stop_record,
	                                 NULL, &s, &stats),
	                 RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "rd_audit_progress version 0");
	ck_assert_uint_eq(s.calls, 0);
	ck_assert_uint_eq(stats.records, 0x5A5A5A5A5A5A5A5AULL);
	stats.version = 2;
	ck_assert_int_eq(rd_audit_memory(rules, RECORDS, strlen(RECORDS), "r.xml", NULL, NULL, NULL,
	                                 NULL, &stats),
	                 RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "rd_audit_progress version 2");
}
END_TEST

START_TEST(test_cnic_version)
{
	rd_cnic k = RD_CNIC_INIT;

	ck_assert_uint_eq(k.version, RD_CNIC_VERSION);
	ck_assert_int_eq(rd_cnic_parse("34201-0891231-8", &k), 1);
	ck_assert_str_eq(k.digits, "3420108912318");
	ck_assert_uint_eq(k.version, RD_CNIC_VERSION); /* kept for the next call */
	ck_assert_int_eq(rd_cnic_parse("34201-0891231-8", &k), 1);
	/* of another version: not valid, and it says why */
	memset(&k, 0, sizeof k);
	rd_error_clear();
	ck_assert_int_eq(rd_cnic_parse("34201-0891231-8", &k), 0);
	ck_assert_int_eq(k.valid, 0);
	ck_assert_str_eq(k.digits, "");
	ck_assert_uint_eq(k.version, 0);
	ck_assert_contains(k.error, "RD_CNIC_INIT");
	ck_assert_int_eq(rd_error_last()->code, RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "rd_cnic version 0");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");
	int n = (int)(sizeof entry / sizeof entry[0]);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_unknown_versions_refused, 0, n);
	tcase_add_loop_test(tc, test_current_versions, 0, n);
	tcase_add_test(tc, test_init_functions);
	tcase_add_test(tc, test_init_accepted_null_defaults);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_progress_version);
	tcase_add_test(tc, test_cnic_version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
