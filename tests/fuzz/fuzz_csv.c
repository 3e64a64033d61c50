/* rahdari fuzz target "csv": reference tables (rd__table_parse, the parser behind rd:table
 * and rd_data_table_load, and its index).
 *
 * The input is a table file's bytes, parsed from memory (rd_data_table_load would read a
 * file). The library's callers give the parser a NUL byte after the data, so the target
 * does too. A table that parses must find each of its columns by name and each value of
 * its first rows in its index, at the first row that holds it.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "internal.h"

#include "fuzz.h"

/* Bounds on the lookups per input (a table may have many rows and columns). */
#define MAX_ROWS 64
#define MAX_COLS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	rd_table *t = NULL;
	size_t r, c;
	int rc;

	rc = rd__table_parse(&t, "fuzz", "fuzz.csv", s, size);
	fuzz_status(rc, FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_ELIMIT) | FUZZ_ST(RD_ENOMEM),
	            "rd__table_parse");
	if (rc != RD_OK) {
		FUZZ_REQUIRE(t == NULL);
		if (rc != RD_ENOMEM)
			FUZZ_REQUIRE(rd_error_last()->file != NULL);
		free(s);
		return 0;
	}
	FUZZ_REQUIRE(t != NULL && t->ncols > 0);
	for (c = 0; c < t->ncols && c < MAX_COLS; c++) {
		FUZZ_REQUIRE(rd__table_column(t, t->cols[c]) == (int)c);
		for (r = 0; r < t->nrows && r < MAX_ROWS; r++) {
			const char *v = t->rows[r][c];
			long found = rd__table_find(t, (int)c, v), k;

			FUZZ_REQUIRE(found >= 0 && (size_t)found <= r);
			FUZZ_REQUIRE(strcmp(t->rows[found][c], v) == 0);
			for (k = 0; k < found; k++)
				FUZZ_REQUIRE(strcmp(t->rows[k][c], v) != 0);
		}
	}
	FUZZ_REQUIRE(rd__table_column(t, "") == -1);
	rd__table_free(t);
	free(s);
	return 0;
}
