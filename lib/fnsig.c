/* rahdari: the signatures of the XPath functions rules may call, which the compiler
 * checks when a schema is loaded: the functions of urn:rahdari:fn:1 (name, arity, which
 * arguments are literals it checks: a table and its column, a regular expression, an MRZ
 * field name), and the XPath 1.0 core and XSLT functions rahdari evaluates, unprefixed.
 * Names and arities only: the implementations are the evaluator's (functions.c, keys.c),
 * found by name at evaluation time (rd__fn_lookup), so that the compiler does not depend
 * on the evaluator.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <string.h>

static const rd_fninfo functions[] = {
	{ "add-days", 2, 2, 0, 0 },
	{ "add-months", 2, 2, 0, 0 },
	{ "after", 2, 2, 0, 0 },
	{ "age", 1, 2, 0, 0 },
	{ "cnic-gender", 1, 1, 0, 0 },
	{ "cnic-province", 1, 1, 0, 0 },
	{ "cnic-valid", 1, 1, 0, 0 },
	{ "date-valid", 1, 1, 0, 0 },
	{ "doc", 1, 1, 0, 0 },
	{ "days-between", 2, 2, 0, 0 },
	{ "distinct", 1, 1, 0, 0 },
	{ "except", 1, -1, 0, 0 },
	{ "first", 2, 2, 0, 0 },
	{ "in-table", 3, 3, 1, 0 },
	{ "licence-signature", 0, 1, 0, 0 },
	{ "licence-signature-detail", 0, 1, 0, 0 },
	{ "lookup", 4, 4, 1, 0 },
	{ "lower-case", 1, 1, 0, 0 },
	{ "matches", 2, 2, 0, 1 },
	{ "months-between", 2, 2, 0, 0 },
	{ "mrz-field", 2, 2, 0, 0, 1 },
	{ "mrz-problems", 1, 1, 0, 0 },
	{ "mrz-valid", 1, 1, 0, 0 },
	{ "name-matches", 2, 2, 0, 0 },
	{ "name-to-mrz", 2, 2, 0, 0 },
	{ "string-join", 2, 2, 0, 0 },
	{ "today", 0, 0, 0, 0 },
	{ "tokens", 1, -1, 0, 0 },
	{ "upper-case", 1, 1, 0, 0 },
};

const rd_fninfo *rd__fn_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(functions); i++)
		if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
			return &functions[i];
	return NULL;
}

static const struct {
	const char *name;
	int min, max;
} core_functions[] = {
	/* XPath 1.0 core function library */
	{ "last", 0, 0 }, { "position", 0, 0 }, { "count", 1, 1 }, { "id", 1, 1 },
	{ "local-name", 0, 1 }, { "namespace-uri", 0, 1 }, { "name", 0, 1 },
	{ "string", 0, 1 }, { "concat", 2, -1 }, { "starts-with", 2, 2 }, { "contains", 2, 2 },
	{ "substring-before", 2, 2 }, { "substring-after", 2, 2 }, { "substring", 2, 3 },
	{ "string-length", 0, 1 }, { "normalize-space", 0, 1 }, { "translate", 3, 3 },
	{ "boolean", 1, 1 }, { "not", 1, 1 }, { "true", 0, 0 }, { "false", 0, 0 },
	{ "lang", 1, 1 }, { "number", 0, 1 }, { "sum", 1, 1 }, { "floor", 1, 1 },
	{ "ceiling", 1, 1 }, { "round", 1, 1 },
	/* XSLT 1.0 functions rahdari implements */
	{ "current", 0, 0 }, { "generate-id", 0, 1 }, { "key", 2, 2 },
};

int rd__fn_core_arity(const char *name, size_t len, int *min, int *max)
{
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(core_functions); i++) {
		if (strlen(core_functions[i].name) == len &&
		    memcmp(core_functions[i].name, name, len) == 0) {
			*min = core_functions[i].min;
			*max = core_functions[i].max;
			return 1;
		}
	}
	return 0;
}
