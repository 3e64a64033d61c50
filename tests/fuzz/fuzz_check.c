/* rahdari fuzz target "check": rd_check with the embedded pk pack over a fuzzed document.
 *
 * The rule set is loaded once (it is immutable and never changes between inputs). The
 * input is a document's bytes; one that loads is checked as of a fixed day, in English and
 * in Urdu, and its reports are walked and rendered in every format.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

static rd_rules *pk;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (rd_rules_load_default(&pk) != RD_OK)
		FUZZ_FAIL("the embedded pk pack does not load: %s", rd_error_last()->message);
	return 0;
}

static void check(const rd_document *doc, const char *lang)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *report = NULL;
	int rc;

	o.as_of = RD_FUZZ_AS_OF;
	o.lang = lang;
	rc = rd_check(&report, pk, doc, &o);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_check");
	if (rc != RD_OK)
		return;
	FUZZ_REQUIRE(report != NULL);
	FUZZ_REQUIRE(strcmp(rd_report_get(report, RD_REPORT_AS_OF), RD_FUZZ_AS_OF) == 0);
	fuzz_walk_report(report);
	fuzz_render(report);
	rd_report_free(report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd_document *doc = NULL;
	int rc = rd_document_load_memory(&doc, data, size, "fuzz.xml", NULL);

	fuzz_status(rc, FUZZ_ST(RD_ENOMEM) | FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_EUNSAFE) |
	                FUZZ_ST(RD_ELIMIT), "rd_document_load_memory");
	if (rc != RD_OK)
		return 0;
	check(doc, "en");
	check(doc, "ur");
	rd_document_free(doc);
	return 0;
}
