/* rahdari check: check XML documents against rules.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void check_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s check [OPTIONS] FILE...\n"
	        "\n"
	        "Check XML documents against ISO Schematron rules and report what breaks them,\n"
	        "which law says so, and where. FILE '-' reads standard input.\n"
	        "\n"
	        "Options:\n"
	        "  -r, --rules PATH        a Schematron file (.sch), a rule pack directory, or a\n"
	        "                          pack.xml (default: the pack embedded in rahdari)\n"
	        "  -p, --phase ID          run only the patterns of this phase (#ALL: every\n"
	        "                          pattern; default: the schema's defaultPhase)\n"
	        "  -d, --as-of YYYY-MM-DD  the date rules take as today (default: today)\n"
	        "  -l, --lang LANG         message language, e.g. en or ur (default: en;\n"
	        "                          English is used where a rule has no translation)\n"
	        "  -j, --jurisdiction CODE run only rules for CODE and its parents (e.g. PK-PB);\n"
	        "                          without --rules, also the embedded overlay for CODE\n"
	        "      --licence FILE      the selling agency's licence (role 'licence')\n"
	        "      --doc ROLE=FILE     another document of the case, for rules that read it\n"
	        "                          with fn:doc('ROLE') (repeatable)\n"
	        "      --register FILE     a licence register (CSV), as the table licence-register\n"
	        "      --table NAME=FILE   a CSV table for the rules (repeatable)\n"
	        "      --param NAME=VALUE  a value for one of the rules' parameters (repeatable;\n"
	        "                          'rahdari rules list' shows them)\n"
	        "      --no-xsd            skip the structural (XML Schema) validation\n"
	        "  -f, --format FORMAT     text (default), json, jsonl or svrl\n"
	        "  -o, --output FILE       write the report to FILE (default: standard output)\n"
	        "      --fail-on LEVEL     error (default), warning or info: exit 1 when a\n"
	        "                          finding at or above LEVEL is found\n"
	        "      --color WHEN        auto (default: on a terminal), always or never\n"
	        "  -q, --quiet             text: one summary line per document\n"
	        "      --max-size BYTES    refuse documents larger than this (default 256 MiB)\n"
	        "  -h, --help              show this help\n"
	        "\n"
	        "Exit status: 0 no finding at or above --fail-on; 1 such a finding; 2 usage\n"
	        "error; 3 an input or the rules could not be processed (the other inputs are\n"
	        "still checked and reported).\n"
	        "\n"
	        "Examples:\n"
	        "  %s check booking.xml\n"
	        "  %s check --rules rules.sch --format json --as-of 2026-01-15 *.xml\n",
	        progname, progname, progname);
}

enum { OPT_FAIL_ON = 256, OPT_COLOR, OPT_MAX_SIZE, OPT_LICENCE, OPT_DOC, OPT_REGISTER, OPT_TABLE,
       OPT_PARAM, OPT_NO_XSD };

#define MAX_EXTRA 64

static const struct option long_opts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "phase", required_argument, NULL, 'p' },
	{ "as-of", required_argument, NULL, 'd' },
	{ "lang", required_argument, NULL, 'l' },
	{ "jurisdiction", required_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "licence", required_argument, NULL, OPT_LICENCE },
	{ "license", required_argument, NULL, OPT_LICENCE },
	{ "doc", required_argument, NULL, OPT_DOC },
	{ "register", required_argument, NULL, OPT_REGISTER },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "param", required_argument, NULL, OPT_PARAM },
	{ "no-xsd", no_argument, NULL, OPT_NO_XSD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int load_input(rd_document **doc, const char *path, const rd_load_options *lo)
{
	char *data;
	size_t len;
	int rc;

	if (strcmp(path, "-") != 0)
		return rd_document_load_file(doc, path, lo);
	if (cli_read_stream(stdin, &data, &len, lo->max_bytes ? lo->max_bytes : RD_DEFAULT_MAX_BYTES) < 0) {
		cli_error("cannot read standard input: %s", strerror(errno));
		return RD_EIO;
	}
	rc = rd_document_load_memory(doc, data, len, "<stdin>", lo);
	free(data);
	return rc;
}

/* A jurisdiction code: letters, with dashes between them (PK, PK-PB). */
static int valid_jurisdiction(const char *s)
{
	size_t i;

	if (!s[0] || s[0] == '-' || strlen(s) > 32)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

int cmd_check(int argc, char **argv)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;
	const char *rules_path = NULL, *output = NULL, *color = "auto";
	int format = RD_FORMAT_TEXT, fail_on = RD_SEVERITY_ERROR, quiet = 0;
	rd_rules *rules = NULL;
	rd_writer *w = NULL;
	cli_out out;
	int c, i, status = EXIT_CLEAN, stdin_used = 0;
	unsigned int flags = 0;
	/* the case: other documents, tables and parameters */
	const char *doc_role[MAX_EXTRA], *doc_path[MAX_EXTRA];
	const char *table_name[MAX_EXTRA], *table_path[MAX_EXTRA];
	rd_param params[MAX_EXTRA];
	rd_case_doc case_docs[MAX_EXTRA];
	rd_document *case_loaded[MAX_EXTRA];
	rd_data_table *tables[MAX_EXTRA];
	size_t ndocs = 0, ntables = 0, nparams = 0, k;
	char *eq;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:p:d:l:j:f:o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rules_path = optarg;
			break;
		case 'p':
			co.phase = optarg;
			break;
		case 'd':
			if (!cli_valid_date(optarg))
				return cli_usage_error("check", "--as-of '%s' is not a date (YYYY-MM-DD)",
				                       optarg);
			co.as_of = optarg;
			break;
		case 'l':
			if (optarg[0] == '\0' || strlen(optarg) > 35 || strspn(optarg,
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(optarg))
				return cli_usage_error("check", "--lang '%s' is not a language tag", optarg);
			co.lang = optarg;
			break;
		case 'j':
			if (!valid_jurisdiction(optarg))
				return cli_usage_error("check",
				                       "--jurisdiction '%s' is not a jurisdiction code (letters and "
				                       "dashes: PK, PK-PB)",
				                       optarg);
			co.jurisdiction = optarg;
			break;
		case 'f':
			format = rd_format_from_name(optarg);
			if (format == 0)
				return cli_usage_error("check",
				                       "unknown format '%s' (use text, json, jsonl or svrl)",
				                       optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				fail_on = RD_SEVERITY_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				fail_on = RD_SEVERITY_WARNING;
			else if (strcmp(optarg, "info") == 0)
				fail_on = RD_SEVERITY_INFO;
			else
				return cli_usage_error("check",
				                       "--fail-on '%s': use error, warning or info", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage_error("check", "--color '%s': use auto, always or never",
				                       optarg);
			color = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_MAX_SIZE: {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || v == 0 || v > INT_MAX)
				return cli_usage_error("check", "--max-size '%s': give a number of bytes up to %d",
				                       optarg, INT_MAX);
			lo.max_bytes = (size_t)v;
			break;
		}
		case OPT_LICENCE:
		case OPT_DOC:
			if (ndocs == MAX_EXTRA)
				return cli_usage_error("check", "too many case documents (at most %d)", MAX_EXTRA);
			if (c == OPT_LICENCE) {
				doc_role[ndocs] = "licence";
				doc_path[ndocs] = optarg;
			} else {
				eq = strchr(optarg, '=');
				if (eq == NULL || eq == optarg || eq[1] == '\0')
					return cli_usage_error("check", "--doc '%s': give ROLE=FILE", optarg);
				*eq = '\0';
				doc_role[ndocs] = optarg;
				doc_path[ndocs] = eq + 1;
			}
			ndocs++;
			break;
		case OPT_REGISTER:
		case OPT_TABLE:
			if (ntables == MAX_EXTRA)
				return cli_usage_error("check", "too many tables (at most %d)", MAX_EXTRA);
			if (c == OPT_REGISTER) {
				table_name[ntables] = "licence-register";
				table_path[ntables] = optarg;
			} else {
				eq = strchr(optarg, '=');
				if (eq == NULL || eq == optarg || eq[1] == '\0')
					return cli_usage_error("check", "--table '%s': give NAME=FILE", optarg);
				*eq = '\0';
				table_name[ntables] = optarg;
				table_path[ntables] = eq + 1;
			}
			ntables++;
			break;
		case OPT_PARAM:
			if (nparams == MAX_EXTRA)
				return cli_usage_error("check", "too many parameters (at most %d)", MAX_EXTRA);
			eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg)
				return cli_usage_error("check", "--param '%s': give NAME=VALUE", optarg);
			*eq = '\0';
			params[nparams].name = optarg;
			params[nparams].value = eq + 1;
			nparams++;
			break;
		case OPT_NO_XSD:
			co.flags |= RD_CHECK_NO_XSD;
			break;
		case 'h':
			check_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("check", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("check", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no FILE to check");
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (stdin_used)
				return cli_usage_error("check", "standard input ('-') can be read only once");
			stdin_used = 1;
		}
	}

	if ((rules_path ? rd_rules_load(&rules, rules_path, &lo)
	                : rd_rules_load_default_for(&rules, co.jurisdiction)) != RD_OK) {
		cli_lib_error();
		return EXIT_INPUT;
	}
	for (k = 0; k < nparams; k++) {
		size_t p, n = rd_rules_param_count(rules);

		for (p = 0; p < n; p++)
			if (strcmp(rd_rules_param(rules, p, NULL), params[k].name) == 0)
				break;
		if (p == n) {
			fprintf(stderr, "%s check: the rules have no parameter '%s'; parameters:", progname,
			        params[k].name);
			for (p = 0; p < n; p++)
				fprintf(stderr, " %s", rd_rules_param(rules, p, NULL));
			fputc('\n', stderr);
			rd_rules_free(rules);
			return EXIT_USAGE;
		}
	}
	/* the other documents of the case and the tables: loaded once, for every FILE */
	memset(case_loaded, 0, sizeof case_loaded);
	memset(tables, 0, sizeof tables);
	for (k = 0; k < ndocs; k++) {
		if (rd_document_load_file(&case_loaded[k], doc_path[k], &lo) != RD_OK) {
			cli_lib_error();
			goto case_fail;
		}
		case_docs[k].role = doc_role[k];
		case_docs[k].doc = case_loaded[k];
	}
	for (k = 0; k < ntables; k++) {
		if (rd_data_table_load(&tables[k], table_name[k], table_path[k]) != RD_OK) {
			cli_lib_error();
			goto case_fail;
		}
	}
	co.docs = case_docs;
	co.ndocs = ndocs;
	co.tables = (const rd_data_table *const *)tables;
	co.ntables = ntables;
	co.params = params;
	co.nparams = nparams;
	if (0) {
case_fail:
		for (k = 0; k < ndocs; k++)
			rd_document_free(case_loaded[k]);
		for (k = 0; k < ntables; k++)
			rd_data_table_free(tables[k]);
		rd_rules_free(rules);
		return EXIT_INPUT;
	}
	if (co.phase && !rd_rules_has_phase(rules, co.phase)) {
		size_t p, n = rd_rules_phase_count(rules);

		fprintf(stderr, "%s check: the rules have no phase '%s'; phases: #ALL, #DEFAULT", progname,
		        co.phase);
		for (p = 0; p < n; p++)
			fprintf(stderr, ", %s", rd_rules_phase(rules, p));
		fputc('\n', stderr);
		status = EXIT_USAGE;
		goto done;
	}
	if (cli_out_open(&out, output) < 0) {
		status = EXIT_INPUT;
		goto done;
	}
	if (format == RD_FORMAT_TEXT && cli_color_wanted(color, out.f))
		flags |= RD_WRITE_COLOR;
	if (quiet)
		flags |= RD_WRITE_QUIET;
	if (rd_writer_new(&w, format, flags, cli_out_write, &out) != RD_OK ||
	    rd_writer_set_rules(w, rules, &co) != RD_OK) {
		cli_lib_error();
		cli_out_close(&out);
		rd_writer_free(w);
		status = EXIT_INPUT;
		goto done;
	}

	for (i = optind; i < argc && !out.failed; i++) {
		rd_document *doc = NULL;
		rd_report *report = NULL;
		const char *path = argv[i];

		if (load_input(&doc, path, &lo) != RD_OK) {
			const rd_error *e = rd_error_last();

			if (e->code != RD_OK)
				cli_lib_error();
			if (rd_writer_add_error(w, strcmp(path, "-") ? path : "<stdin>", e) != RD_OK)
				break;
			status = EXIT_INPUT;
			continue;
		}
		if (rd_check(&report, rules, doc, &co) != RD_OK) {
			cli_lib_error();
			rd_document_free(doc);
			status = EXIT_INPUT;
			if (rd_error_last()->code == RD_EINVAL) {
				status = EXIT_USAGE;
				break;
			}
			continue;
		}
		if (status == EXIT_CLEAN && rd_report_max_severity(report) >= fail_on)
			status = EXIT_FINDINGS;
		if (rd_writer_add(w, report) != RD_OK && !out.failed)
			cli_lib_error();
		rd_report_free(report);
		rd_document_free(doc);
	}
	if (!out.failed && rd_writer_finish(w) != RD_OK && !out.failed)
		cli_lib_error();
	rd_writer_free(w);
	if (cli_out_close(&out) < 0)
		status = EXIT_INPUT;
done:
	rd_rules_free(rules);
	for (k = 0; k < ndocs; k++)
		rd_document_free(case_loaded[k]);
	for (k = 0; k < ntables; k++)
		rd_data_table_free(tables[k]);
	return status;
}
