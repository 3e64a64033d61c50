/* rahdari fuzz target "mrz": the ICAO 9303 reader (rd_mrz_parse) and its JSON.
 *
 * The input is the text of an MRZ (lines separated by newlines, any bytes). It is parsed
 * as of a fixed day; every field, check and problem is read, the MRZ is rendered as JSON,
 * and the check digit of the whole input computed. An MRZ that breaks the rules is a
 * result with problems, never an error: only RD_ENOMEM may fail.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	rd_mrz *mrz = NULL;
	char *json = NULL, digit;
	size_t len = 0, i, n;
	int rc, f, errors = 0;

	o.as_of = RD_FUZZ_AS_OF;
	rc = rd_mrz_parse(&mrz, (const char *)data, size, &o);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_mrz_parse");
	if (rc != RD_OK)
		return 0;
	FUZZ_REQUIRE(mrz != NULL);
	(void)rd_mrz_format_name(rd_mrz_get_format(mrz));
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		const char *v = rd_mrz_get(mrz, (rd_mrz_field)f);

		if (v != NULL)
			(void)strlen(v);
		FUZZ_REQUIRE(rd_mrz_field_from_name(rd_mrz_field_name((rd_mrz_field)f)) == f);
	}
	(void)rd_mrz_name_truncated(mrz);
	for (i = 0, n = rd_mrz_check_count(mrz); i < n; i++) {
		const rd_mrz_check *c = rd_mrz_get_check(mrz, i);

		FUZZ_REQUIRE(c != NULL && c->field != NULL);
	}
	for (i = 0, n = rd_mrz_problem_count(mrz); i < n; i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(mrz, i);

		FUZZ_REQUIRE(p != NULL && p->code != NULL && p->message != NULL);
		FUZZ_REQUIRE(p->severity == RD_SEVERITY_ERROR || p->severity == RD_SEVERITY_WARNING);
		errors += p->severity == RD_SEVERITY_ERROR;
	}
	/* valid means no error */
	FUZZ_REQUIRE(rd_mrz_valid(mrz) == (errors == 0));
	rc = rd_mrz_to_json(&json, &len, mrz);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_mrz_to_json");
	FUZZ_REQUIRE(rc != RD_OK || (json != NULL && strlen(json) == len));
	rd_free(json);
	rd_mrz_free(mrz);
	digit = rd_mrz_check_digit((const char *)data, size);
	FUZZ_REQUIRE(digit == 0 || (digit >= '0' && digit <= '9'));
	return 0;
}
