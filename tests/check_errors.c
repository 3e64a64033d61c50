/* rahdari tests: status codes and the per-thread last error.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

START_TEST(test_initial_state)
{
	const rd_error *e;

	rd_error_clear();
	e = rd_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, RD_OK);
	ck_assert_str_eq(e->message, "no error");
	ck_assert_ptr_null(e->file);
	ck_assert_int_eq(e->line, 0);
}
END_TEST

START_TEST(test_error_fields)
{
	rd_document *d = NULL;
	const char *xml = "<a>\n  <b>\n</a>";
	const rd_error *e;

	ck_assert_int_eq(rd_document_load_memory(&d, xml, strlen(xml), "broken.xml", NULL), RD_EPARSE);
	ck_assert_ptr_null(d);
	e = rd_error_last();
	ck_assert_int_eq(e->code, RD_EPARSE);
	ck_assert_str_eq(e->file, "broken.xml");
	ck_assert_int_eq(e->line, 3);
	ck_assert_int_gt(e->column, 0);
	ck_assert_contains(e->message, "broken.xml:3:");
	rd_error_clear();
	ck_assert_int_eq(rd_error_last()->code, RD_OK);
}
END_TEST

START_TEST(test_status_names)
{
	static const struct {
		int code;
		const char *name;
	} t[] = {
		{ RD_OK, "RD_OK" }, { RD_ERROR, "RD_ERROR" }, { RD_ENOMEM, "RD_ENOMEM" },
		{ RD_EINVAL, "RD_EINVAL" }, { RD_ENOTFOUND, "RD_ENOTFOUND" }, { RD_EIO, "RD_EIO" },
		{ RD_EPARSE, "RD_EPARSE" }, { RD_EUNSAFE, "RD_EUNSAFE" }, { RD_ELIMIT, "RD_ELIMIT" },
		{ RD_ERULES, "RD_ERULES" }, { RD_EUNSUPPORTED, "RD_EUNSUPPORTED" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_str_eq(rd_status_name(t[i].code), t[i].name);
	ck_assert_str_eq(rd_status_name(-99), "RD_EUNKNOWN");
}
END_TEST

START_TEST(test_null_arguments)
{
	rd_report *r = NULL;
	rd_document *d = NULL;
	rd_rules *rules = NULL;

	ck_assert_int_eq(rd_check(&r, NULL, NULL, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_check(NULL, NULL, NULL, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_document_load_file(&d, NULL, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_document_load_file(NULL, "x", NULL), RD_EINVAL);
	ck_assert_int_eq(rd_rules_load(&rules, NULL, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_rules_load_default(NULL), RD_EINVAL);
	/* free functions accept NULL */
	rd_rules_free(NULL);
	rd_document_free(NULL);
	rd_report_free(NULL);
	rd_writer_free(NULL);
	rd_free(NULL);
	/* getters accept NULL */
	ck_assert_uint_eq(rd_report_count(NULL), 0);
	ck_assert_ptr_null(rd_report_finding(NULL, 0));
	ck_assert_ptr_null(rd_finding_get(NULL, RD_FIELD_RULE));
	ck_assert_ptr_null(rd_rules_get(NULL, RD_RULES_ID));
	ck_assert_ptr_null(rd_document_name(NULL));
}
END_TEST

static char err_fail[] = "load did not fail";
static char err_leak[] = "another thread's error leaked in";
static char thread_names[4][8] = { "t0.xml", "t1.xml", "t2.xml", "t3.xml" };

static void *thread_error(void *arg)
{
	const char *name = arg;
	rd_document *d = NULL;
	int i;

	for (i = 0; i < 200; i++) {
		const rd_error *e;

		if (rd_document_load_memory(&d, "<x>", 3, name, NULL) != RD_EPARSE)
			return err_fail;
		e = rd_error_last();
		if (e->file == NULL || strcmp(e->file, name) != 0)
			return err_leak;
	}
	return NULL;
}

START_TEST(test_per_thread)
{
	pthread_t t[4];
	int i;

	rd_error_clear();
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_error, thread_names[i]), 0);
	for (i = 0; i < 4; i++) {
		void *res;

		ck_assert_int_eq(pthread_join(t[i], &res), 0);
		ck_assert_msg(res == NULL, "%s", (const char *)res);
	}
	/* this thread's slot was not touched */
	ck_assert_int_eq(rd_error_last()->code, RD_OK);
}
END_TEST

START_TEST(test_version)
{
	ck_assert_str_eq(rd_version(), RD_VERSION_STRING);
	ck_assert_int_eq(rd_version_number(), RD_VERSION_NUMBER);
	ck_assert(RD_VERSION_CHECK(0, 0, 1));
	ck_assert(!RD_VERSION_CHECK(99, 0, 0));
	ck_assert_str_eq(rd_version_libxml2(), "2.9.14");
	ck_assert_contains(rd_version_openssl(), "OpenSSL");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("errors");

	tcase_add_test(tc, test_initial_state);
	tcase_add_test(tc, test_error_fields);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_per_thread);
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
