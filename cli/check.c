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
	        CLI_SIGNED_HELP
	        "  -f, --format FORMAT     text (default), json, jsonl or svrl\n"
	        "  -o, --output FILE       write the report to FILE (default: standard output)\n"
	        "      --fail-on LEVEL     error (default), warning or info: exit 1 when a\n"
	        "                          finding at or above LEVEL is found\n"
	        "      --color WHEN        auto (default: on a terminal), always or never\n"
	        "  -q, --quiet             text: one summary line per document\n"
	        "      --max-size BYTES    refuse documents larger than this (default 256 MiB)\n"
	        CLI_MAX_OPS_HELP
	        "  -h, --help              show this help\n"
	        "\n"
	        "Exit status: 0 no finding at or above --fail-on; 1 such a finding (an\n"
	        "evaluation error, such as a budget run out, is an error); 2 usage error; 3 an\n"
	        "input or the rules could not be processed, or a document could not be checked\n"
	        "(out of memory; the other inputs are still checked and reported), or the rules\n"
	        "were refused: with --require-signed, an unsigned, altered or untrusted pack,\n"
	        "before any document is checked.\n"
	        "\n"
	        "Examples:\n"
	        "  %s check booking.xml\n"
	        "  %s check --rules rules.sch --format json --as-of 2026-01-15 *.xml\n"
	        "  %s check --rules /srv/packs/pk-pb --require-signed --trust regulator.pem booking.xml\n",
	        progname, progname, progname, progname);
}

enum { OPT_COLOR = CLI_OPT_COLOR };

static const struct option long_opts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "phase", required_argument, NULL, 'p' },
	{ "as-of", required_argument, NULL, 'd' },
	{ "lang", required_argument, NULL, 'l' },
	{ "jurisdiction", required_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "fail-on", required_argument, NULL, CLI_OPT_FAIL_ON },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "max-size", required_argument, NULL, CLI_OPT_MAX_SIZE },
	{ "max-ops", required_argument, NULL, CLI_OPT_MAX_OPS },
	{ "licence", required_argument, NULL, CLI_OPT_LICENCE },
	{ "license", required_argument, NULL, CLI_OPT_LICENCE },
	{ "doc", required_argument, NULL, CLI_OPT_DOC },
	{ "register", required_argument, NULL, CLI_OPT_REGISTER },
	{ "table", required_argument, NULL, CLI_OPT_TABLE },
	{ "param", required_argument, NULL, CLI_OPT_PARAM },
	{ "no-xsd", no_argument, NULL, CLI_OPT_NO_XSD },
	CLI_SIGNED_OPTIONS,
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
	if (cli_read_stream(stdin, "<stdin>", RD_READ_XML, &data, &len,
	                    lo->max_bytes ? lo->max_bytes : RD_DEFAULT_MAX_BYTES) < 0)
		return RD_EIO;
	rc = rd_document_load_memory(doc, data, len, "<stdin>", lo);
	free(data);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	cli_case cc;
	const char *output = NULL, *color = "auto";
	int format = RD_FORMAT_TEXT, quiet = 0;
	rd_writer *w = NULL;
	cli_out out;
	int c, i, status = EXIT_CLEAN, stdin_used = 0;
	unsigned int flags = 0;

	cli_case_init(&cc);
	cc.fail_on = RD_SEVERITY_ERROR;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:p:d:l:j:f:o:qh", long_opts, NULL)) != -1) {
		switch (c) {
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
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage_error("check", "--color '%s': use auto, always or never",
				                       optarg);
			color = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			check_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("check", "option '%s' needs a value", argv[optind - 1]);
		case 'r': case 'p': case 'd': case 'l': case 'j':
		case CLI_OPT_FAIL_ON: case CLI_OPT_MAX_SIZE: case CLI_OPT_LICENCE: case CLI_OPT_DOC:
		case CLI_OPT_REGISTER: case CLI_OPT_TABLE: case CLI_OPT_PARAM: case CLI_OPT_NO_XSD:
		case CLI_OPT_REQUIRE_SIGNED: case CLI_OPT_TRUST: case CLI_OPT_CRL: case CLI_OPT_MAX_OPS:
			if (cli_case_option(&cc, "check", c, optarg) != 0)
				return EXIT_USAGE;
			break;
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
	status = cli_case_load(&cc, "check");
	if (status != EXIT_CLEAN)
		goto done;
	if (cli_out_open(&out, output) < 0) {
		status = EXIT_INPUT;
		goto done;
	}
	if (format == RD_FORMAT_TEXT && cli_color_wanted(color, out.f))
		flags |= RD_WRITE_COLOR;
	if (quiet)
		flags |= RD_WRITE_QUIET;
	if (rd_writer_new(&w, format, flags, cli_out_write, &out) != RD_OK ||
	    rd_writer_set_rules(w, cc.rules, &cc.co) != RD_OK) {
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

		if (load_input(&doc, path, &cc.lo) != RD_OK) {
			const rd_error *e = rd_error_last();

			if (e->code != RD_OK)
				cli_lib_error();
			status = EXIT_INPUT;
			if (rd_writer_add_error(w, strcmp(path, "-") ? path : "<stdin>", e) != RD_OK)
				break;
			continue;
		}
		if (rd_check(&report, cc.rules, doc, &cc.co) != RD_OK) {
			const rd_error *e = rd_error_last();

			rd_document_free(doc);
			if (e->code == RD_EINVAL) {
				cli_lib_error();
				status = EXIT_USAGE;
				break;
			}
			/* out of memory: the document is not reported as checked, in any format */
			cli_error("%s: cannot be checked: %s", strcmp(path, "-") ? path : "<stdin>",
			          e->message);
			status = EXIT_INPUT;
			if (rd_writer_add_error(w, strcmp(path, "-") ? path : "<stdin>", e) != RD_OK)
				break;
			continue;
		}
		if (status == EXIT_CLEAN && rd_report_max_severity(report) >= cc.fail_on)
			status = EXIT_FINDINGS;
		if (rd_writer_add(w, report) != RD_OK) {
			/* a report that is not written in full is not a result */
			if (!out.failed)
				cli_lib_error();
			status = EXIT_INPUT;
		}
		rd_report_free(report);
		rd_document_free(doc);
	}
	if (!out.failed && rd_writer_finish(w) != RD_OK) {
		if (!out.failed)
			cli_lib_error();
		status = EXIT_INPUT;
	}
	rd_writer_free(w);
	if (cli_out_close(&out) < 0)
		status = EXIT_INPUT;
done:
	cli_case_free(&cc);
	return status;
}
