/* rahdari fuzz target "schema": the Schematron compiler (rd_rules_load_memory), then the
 * engine running what it compiled.
 *
 * The input is a schema document's bytes, compiled without a base directory (so includes
 * and tables, which would read files, are refused and never touch the disk), optionally
 * followed by a NUL byte and a document. A schema that compiles is run on that document,
 * or on a small fixed booking when there is none (or it does not load), by default, for
 * all patterns and phase by phase, and its reports rendered: a hostile pack author
 * controls the expressions the engine evaluates.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

/* A small booking with a bit of everything the rules look at (the document kind of the
 * pk pack, since the schemas of the seed corpus are written for it). */
static const char booking[] =
	"<?xml version='1.0' encoding='UTF-8'?>\n"
	"<booking xmlns='urn:rahdari:doc:1' id='BK-1' created='2026-11-26'>\n"
	" <agency name='Shaheen Air Travel' licence='PB-GRW-2021-0090' office='GRW-02'"
	" province='PK-PB'/>\n"
	" <service type='umrah'/>\n"
	" <passenger id='P1'>\n"
	"  <surname>AHMED</surname><given-names>BILAL</given-names>\n"
	"  <birth-date>2009-02-17</birth-date><sex>M</sex><nationality>PAK</nationality>\n"
	"  <cnic>35202-1234567-1</cnic>\n"
	"  <passport number='BC9081726' issuing-state='PAK' issue-date='2026-10-01'"
	" expiry-date='2031-09-30'><mrz>\n"
	"PPPAKAHMED&lt;&lt;BILAL&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;"
	"&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;\n"
	"BC90817268PAK0902171M3109306&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;08\n"
	"  </mrz></passport>\n"
	"  <visa country='SAU' category='UMRAH' valid-from='2026-11-28' valid-until='2027-01-27'/>\n"
	" </passenger>\n"
	" <passenger id='P2'><surname>BIBI</surname><given-names>AMNA</given-names>"
	"<birth-date>1990-05-01</birth-date><sex>F</sex><phone>03001234567</phone></passenger>\n"
	" <segment carrier='PK' flight='PK741' from='LHE' to='JED' departure='2026-12-02T22:45'"
	" arrival='2026-12-03T03:15'/>\n"
	" <segment carrier='PK' flight='PK742' from='JED' to='LHE' departure='2026-12-20T10:00'"
	" arrival='2026-12-20T17:00'/>\n"
	" <payment payer='P1' method='CASH' amount='650000' currency='PKR'/>\n"
	" <remark>passports held by sub-agent</remark>\n"
	"</booking>\n";

static rd_document *doc; /* the fixed booking */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (rd_document_load_memory(&doc, booking, sizeof booking - 1, "booking.xml", NULL) != RD_OK)
		FUZZ_FAIL("the fixed booking does not load: %s", rd_error_last()->message);
	return 0;
}

static void run(const rd_rules *rules, const rd_document *d, const char *phase)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *report = NULL;
	int rc;

	o.as_of = RD_FUZZ_AS_OF;
	o.phase = phase;
	rc = rd_check(&report, rules, d, &o);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM) | FUZZ_ST(RD_ENOTFOUND), "rd_check");
	if (rc != RD_OK) {
		/* a phase that the compiler accepted exists */
		FUZZ_REQUIRE(rc != RD_ENOTFOUND || phase == NULL);
		return;
	}
	fuzz_walk_report(report);
	fuzz_render(report);
	rd_report_free(report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	rd_document *own = NULL;
	const rd_document *target = doc;
	rd_rules *rules = NULL;
	size_t i, n, schema_size = nul != NULL ? (size_t)(nul - data) : size;
	int rc, f;

	rc = rd_rules_load_memory(&rules, data, schema_size, "fuzz.sch", NULL, NULL);
	fuzz_status(rc, FUZZ_ST(RD_EINVAL) | FUZZ_ST(RD_ENOTFOUND) | FUZZ_ST(RD_EIO) |
	                FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_EUNSAFE) | FUZZ_ST(RD_ELIMIT) |
	                FUZZ_ST(RD_ERULES) | FUZZ_ST(RD_EUNSUPPORTED) | FUZZ_ST(RD_ENOMEM),
	            "rd_rules_load_memory");
	if (rc != RD_OK) {
		FUZZ_REQUIRE(rules == NULL);
		return 0;
	}
	for (f = RD_RULES_ID; f <= RD_RULES_TESTS; f++)
		(void)rd_rules_get(rules, (rd_rules_field)f);
	for (i = 0, n = rd_rules_param_count(rules); i < n; i++) {
		const char *value = NULL;

		FUZZ_REQUIRE(rd_rules_param(rules, i, &value) != NULL);
	}
	for (i = 0, n = rd_rules_assertion_count(rules); i < n; i++) {
		const rd_assertion *a = rd_rules_assertion(rules, i);

		FUZZ_REQUIRE(a != NULL);
		for (f = RD_FIELD_RULE; f <= RD_FIELD_LANG; f++)
			(void)rd_assertion_get(a, (rd_field)f);
		(void)rd_assertion_has_lang(a, "ur");
	}
	if (nul != NULL && rd_document_load_memory(&own, nul + 1, size - schema_size - 1,
	                                           "document.xml", NULL) == RD_OK)
		target = own;
	run(rules, target, NULL);
	run(rules, target, "#ALL");
	/* a few declared phases (a schema may declare thousands) */
	for (i = 0, n = rd_rules_phase_count(rules); i < n && i < 4; i++) {
		const char *phase = rd_rules_phase(rules, i);

		FUZZ_REQUIRE(phase != NULL && rd_rules_has_phase(rules, phase));
		run(rules, target, phase);
	}
	rd_document_free(own);
	rd_rules_free(rules);
	return 0;
}
