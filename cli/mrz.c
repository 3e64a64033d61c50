/* rahdari mrz, rahdari cnic: read machine-readable zones and CNIC numbers.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void mrz_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s mrz [OPTIONS] [FILE|-]\n"
	        "       %s mrz [OPTIONS] LINE LINE [LINE]\n"
	        "\n"
	        "Read and validate ICAO Doc 9303 machine-readable zones: passports (TD3), identity\n"
	        "cards (TD1, TD2) and visas (MRV-A, MRV-B). A file (or standard input, the default)\n"
	        "holds one MRZ per block of lines, blocks separated by a blank line; or give the\n"
	        "lines of one MRZ as arguments (one argument that names an existing file is read\n"
	        "as the file).\n"
	        "\n"
	        "Options:\n"
	        "  -f, --format FORMAT     text (default), json or jsonl\n"
	        "  -d, --as-of YYYY-MM-DD  the date that decides the century of two-digit years\n"
	        "                          (default: today)\n"
	        "  -h, --help              show this help\n"
	        "\n"
	        "Centuries: a birth date is 20YY unless that is after the as-of date, then 19YY;\n"
	        "an expiry (visas: valid until) date is 20YY unless that is more than 20 years\n"
	        "after the as-of date, then 19YY.\n"
	        "\n"
	        "Exit status: 0 every MRZ is valid (warnings allowed); 1 an MRZ is not; 2 usage\n"
	        "error; 3 the input could not be read.\n",
	        progname, progname);
}

static const struct option mrz_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "as-of", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum { FMT_TEXT = 1, FMT_JSON, FMT_JSONL };

static int only_mrz_chars(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '<'))
			return 0;
	return 1;
}

static void print_text(FILE *out, const rd_mrz *m, size_t n, size_t total)
{
	size_t i;
	int f;

	if (total > 1)
		fprintf(out, "MRZ %zu: ", n);
	fprintf(out, "%s, %s\n", rd_mrz_format_name(rd_mrz_get_format(m)),
	        rd_mrz_valid(m) ? "valid" : "NOT valid");
	for (f = 1; f < RD_MRZ_FIELD_MAX; f++) {
		const char *v = rd_mrz_get(m, (rd_mrz_field)f);

		if (v == NULL || f == RD_MRZ_NAME)
			continue;
		fprintf(out, "  %-15s %s\n", rd_mrz_field_name((rd_mrz_field)f), cli_safe(v));
	}
	if (rd_mrz_check_count(m)) {
		fprintf(out, "  check digits:  ");
		for (i = 0; i < rd_mrz_check_count(m); i++) {
			const rd_mrz_check *c = rd_mrz_get_check(m, i);

			fprintf(out, "%s%s %c%s", i ? ", " : "", c->field, c->found,
			        c->ok ? " ok" : " WRONG");
		}
		fputc('\n', out);
	}
	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(m, i);

		fprintf(out, "  %s [%s]: %s\n", p->severity == RD_SEVERITY_ERROR ? "error  " : "warning",
		        cli_safe(p->code), cli_safe(p->message));
	}
}

/* Split text into blocks separated by blank lines; call fn on each. */
typedef struct mrz_run {
	rd_mrz_options opts;
	int format;
	FILE *out;
	size_t count;
	int any_invalid;
	int failed;
	rd_mrz **all;
	size_t nall, capall;
} mrz_run;

static int add_block(mrz_run *r, const char *text, size_t len)
{
	rd_mrz *m = NULL;

	if (rd_mrz_parse(&m, text, len, &r->opts) != RD_OK) {
		cli_lib_error();
		return -1;
	}
	if (!rd_mrz_valid(m))
		r->any_invalid = 1;
	if (r->nall == r->capall) {
		size_t cap = r->capall ? r->capall * 2 : 8;
		rd_mrz **na = realloc(r->all, cap * sizeof *na);

		if (na == NULL) {
			rd_mrz_free(m);
			cli_error("out of memory");
			return -1;
		}
		r->all = na;
		r->capall = cap;
	}
	r->all[r->nall++] = m;
	return 0;
}

static int split_blocks(mrz_run *r, const char *text, size_t len)
{
	size_t i = 0, start = 0;
	int in_block = 0;

	while (i <= len) {
		size_t ls = i, le;
		int blank = 1;

		while (i < len && text[i] != '\n')
			i++;
		le = i;
		for (size_t k = ls; k < le; k++)
			if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r')
				blank = 0;
		if (blank || i >= len) {
			size_t end = blank ? ls : le;

			if (in_block && add_block(r, text + start, end - start) < 0)
				return -1;
			in_block = 0;
		} else if (!in_block) {
			in_block = 1;
			start = ls;
		}
		i++;
	}
	return 0;
}

static int write_all(mrz_run *r)
{
	size_t i;

	for (i = 0; i < r->nall; i++) {
		if (r->format == FMT_TEXT) {
			if (i)
				fputc('\n', r->out);
			print_text(r->out, r->all[i], i + 1, r->nall);
		} else {
			char *js = NULL;

			if (rd_mrz_to_json(&js, NULL, r->all[i]) != RD_OK) {
				cli_lib_error();
				return -1;
			}
			if (r->format == FMT_JSONL)
				fprintf(r->out, "%s\n", js);
			else if (r->nall == 1)
				fprintf(r->out, "%s\n", js);
			else
				fprintf(r->out, "%s%s%s", i ? ",\n " : "[", js, i + 1 == r->nall ? "]\n" : "");
			rd_free(js);
		}
	}
	if (r->format == FMT_JSON && r->nall == 0)
		fprintf(r->out, "[]\n");
	return 0;
}

int cmd_mrz(int argc, char **argv)
{
	mrz_run r;
	int c, i, status;
	char *data = NULL;
	size_t len = 0;

	memset(&r, 0, sizeof r);
	r.opts.version = RD_MRZ_OPTIONS_VERSION;
	r.format = FMT_TEXT;
	r.out = stdout;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:d:h", mrz_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				r.format = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				r.format = FMT_JSON;
			else if (strcmp(optarg, "jsonl") == 0)
				r.format = FMT_JSONL;
			else
				return cli_usage_error("mrz", "unknown format '%s' (use text, json or jsonl)",
				                       optarg);
			break;
		case 'd':
			if (!cli_valid_date(optarg))
				return cli_usage_error("mrz", "--as-of '%s' is not a date (YYYY-MM-DD)", optarg);
			r.opts.as_of = optarg;
			break;
		case 'h':
			mrz_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("mrz", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("mrz", "unknown option '%s'", argv[optind - 1]);
		}
	}
	/* MRZ lines as arguments, unless the one argument names a file (a file called
	 * MRZ2024 or README is read, not taken for an MRZ line) */
	if (optind < argc && only_mrz_chars(argv[optind]) &&
	    !(optind + 1 == argc && access(argv[optind], F_OK) == 0)) {
		/* the lines of one MRZ, as arguments */
		size_t total = 0, off = 0;

		for (i = optind; i < argc; i++) {
			if (!only_mrz_chars(argv[i]))
				return cli_usage_error("mrz",
				                       "argument '%s' is not an MRZ line (A-Z, 0-9 and '<' only); "
				                       "give MRZ lines, or one FILE",
				                       argv[i]);
			total += strlen(argv[i]) + 1;
		}
		data = malloc(total + 1);
		if (data == NULL) {
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		for (i = optind; i < argc; i++) {
			size_t n = strlen(argv[i]);

			memcpy(data + off, argv[i], n);
			off += n;
			data[off++] = '\n';
		}
		len = off;
		if (add_block(&r, data, len) < 0) {
			free(data);
			return EXIT_INPUT;
		}
	} else {
		const char *path = optind < argc ? argv[optind] : "-";

		if (optind + 1 < argc)
			return cli_usage_error("mrz", "give one FILE (or the lines of one MRZ)");
		if (strcmp(path, "-") == 0) {
			if (cli_read_stream(stdin, "standard input", RD_READ_TEXT, &data, &len, (size_t)64 << 20) < 0) {
				if (rd_error_last()->code != RD_OK)
					cli_lib_error();
				return EXIT_INPUT;
			}
		} else {
			FILE *f = fopen(path, "rb");

			if (f == NULL) {
				cli_error("%s: cannot open: %s", path, strerror(errno));
				return EXIT_INPUT;
			}
			if (cli_read_stream(f, path, RD_READ_TEXT, &data, &len, (size_t)64 << 20) < 0) {
				if (rd_error_last()->code != RD_OK)
					cli_lib_error();
				fclose(f);
				return EXIT_INPUT;
			}
			fclose(f);
		}
		if (split_blocks(&r, data, len) < 0) {
			free(data);
			return EXIT_INPUT;
		}
		if (r.nall == 0) {
			cli_error("%s: no MRZ in the input", strcmp(path, "-") ? path : "standard input");
			free(data);
			free(r.all);
			return EXIT_INPUT;
		}
	}
	free(data);
	status = write_all(&r) < 0 ? EXIT_INPUT : r.any_invalid ? EXIT_FINDINGS : EXIT_CLEAN;
	for (size_t k = 0; k < r.nall; k++)
		rd_mrz_free(r.all[k]);
	free(r.all);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	return status;
}

/* ---------------------------------------------------------------- cnic */

static void cnic_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s cnic [--format text|json|jsonl] NUMBER...\n"
	        "\n"
	        "Check Pakistani CNIC numbers (#####-#######-#, with or without dashes): format,\n"
	        "province digit (first) and gender digit (last: odd male, even female). CNICs have\n"
	        "no check digit, so a well-formed number may still not exist.\n"
	        "\n"
	        "Exit status: 0 every number is well-formed; 1 one is not; 2 usage error.\n",
	        progname);
}

static const struct option cnic_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_cnic(int argc, char **argv)
{
	int c, i, format = FMT_TEXT, status = EXIT_CLEAN;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", cnic_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = FMT_JSON;
			else if (strcmp(optarg, "jsonl") == 0)
				format = FMT_JSONL;
			else
				return cli_usage_error("cnic", "unknown format '%s' (use text, json or jsonl)",
				                       optarg);
			break;
		case 'h':
			cnic_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("cnic", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("cnic", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("cnic", "no NUMBER to check");
	if (format == FMT_JSON && argc - optind > 1)
		fputc('[', stdout);
	for (i = optind; i < argc; i++) {
		rd_cnic k;
		int ok = rd_cnic_parse(argv[i], &k);

		if (!ok)
			status = EXIT_FINDINGS;
		if (format == FMT_TEXT) {
			if (ok)
				printf("%s: valid; %s; %s\n", k.formatted, k.province,
				       k.gender == 'M' ? "male" : "female");
			else
				printf("%s: NOT valid: %s\n", cli_safe(argv[i]), k.error);
		} else {
			if (format == FMT_JSON && i > optind)
				fputs(",", stdout);
			fputs("{\"input\":", stdout);
			cli_json_string(stdout, argv[i]);
			printf(",\"valid\":%s", ok ? "true" : "false");
			if (k.digits[0])
				printf(",\"cnic\":\"%s\",\"provinceDigit\":%d", k.formatted, k.province_digit);
			printf(",\"province\":");
			if (k.province)
				printf("\"%s\"", k.province);
			else
				printf("null");
			printf(",\"gender\":%s", k.gender == 'M' ? "\"M\"" : k.gender == 'F' ? "\"F\"" : "null");
			printf(",\"error\":");
			if (k.error)
				printf("\"%s\"", k.error);
			else
				printf("null");
			printf("}%s", format == FMT_JSONL ? "\n" : "");
		}
	}
	if (format == FMT_JSON)
		printf("%s\n", argc - optind > 1 ? "]" : "");
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	return status;
}
