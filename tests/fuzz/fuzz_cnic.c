/* rahdari fuzz target "cnic": Pakistani CNIC numbers and the name functions beside them
 * (rd_cnic_parse, rd_name_to_mrz, rd_name_matches).
 *
 * The input is a C string (it ends at its first NUL byte) read as a CNIC. Its lines then
 * give a surname and given names for rd_name_to_mrz, and a printed name and an MRZ name
 * field for rd_name_matches, which must agree with itself: a name written as the MRZ would
 * hold it matches that MRZ name.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void cnic(const char *text)
{
	rd_cnic c = RD_CNIC_INIT;
	int ok = rd_cnic_parse(text, &c);

	FUZZ_REQUIRE(ok == 0 || ok == 1);
	FUZZ_REQUIRE(ok == c.valid);
	FUZZ_REQUIRE(ok ? c.error == NULL : c.error != NULL);
	FUZZ_REQUIRE(strlen(c.digits) == 0 || strlen(c.digits) == 13);
	FUZZ_REQUIRE(strlen(c.formatted) == 0 || strlen(c.formatted) == 15);
	if (ok) {
		FUZZ_REQUIRE(c.province_digit >= 1 && c.province_digit <= 7);
		FUZZ_REQUIRE(c.province != NULL);
		FUZZ_REQUIRE(c.gender == 'M' || c.gender == 'F');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *a, *b, *mrz = NULL;
	int rc;

	cnic(s);
	/* line 1: surname (or a printed name); line 2: given names (or an MRZ name) */
	a = s;
	b = strchr(s, '\n');
	if (b != NULL)
		*b++ = '\0';
	else
		b = s + strlen(s);
	rc = rd_name_to_mrz(&mrz, a, b);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_name_to_mrz");
	FUZZ_REQUIRE(rd_name_matches(a, b) == 0 || rd_name_matches(a, b) == 1);
	if (rc == RD_OK) {
		size_t na = strlen(a), nb = strlen(b);
		char *printed = malloc(na + nb + 2);

		FUZZ_REQUIRE(mrz != NULL && printed != NULL);
		memcpy(printed, a, na);
		printed[na] = ' ';
		memcpy(printed + na + 1, b, nb + 1);
		if (strspn(mrz, "<") < strlen(mrz) && !rd_name_matches(printed, mrz))
			FUZZ_FAIL("'%s' is written '%s' in an MRZ, but does not match it", printed, mrz);
		free(printed);
		rd_free(mrz);
	}
	free(s);
	return 0;
}
