/* rahdari mrz, rahdari cnic: read machine-readable zones and CNIC numbers.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	        "as the file). The MRZs are written as they are read, in flat memory; a block of\n"
	        "more than 64 KiB without a blank line stops the input (status 3).\n"
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

/* The MRZs are streamed: each block is parsed, written and freed as it comes, so that
 * memory stays flat however many there are. One MRZ is held back, because the form of
 * the output depends on whether there is more than one: text numbers the MRZs ("MRZ 2:")
 * only then, and json writes one object, or an array of several. */
typedef struct mrz_run {
	rd_mrz_options opts;
	int format;
	FILE *out;
	size_t count;     /* MRZs parsed */
	int any_invalid;
	rd_mrz *pending;  /* the last one parsed, not written yet */
} mrz_run;

/* The largest block of lines taken for one MRZ: an MRZ has at most 3 lines of 30 to 44
 * characters, so this leaves room for any white space around them. */
#define MRZ_BLOCK_MAX 65536

/* Write MRZ number n (1-based); many: it is not the only one; last: no other follows.
 * 0, or -1 (printed). */
static int write_one(mrz_run *r, const rd_mrz *m, size_t n, int many, int last)
{
	char *js = NULL;

	if (r->format == FMT_TEXT) {
		if (n > 1)
			fputc('\n', r->out);
		print_text(r->out, m, n, many ? 2 : 1);
	} else {
		if (rd_mrz_to_json(&js, NULL, m) != RD_OK) {
			cli_lib_error();
			return -1;
		}
		if (r->format == FMT_JSONL || !many)
			fprintf(r->out, "%s\n", js);
		else
			fprintf(r->out, "%s%s%s", n == 1 ? "[" : ",\n ", js, last ? "]\n" : "");
		rd_free(js);
	}
	if (ferror(r->out)) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Parse one block; write the one held back, now that it is known not to be the last. */
static int add_block(mrz_run *r, const char *text, size_t len)
{
	rd_mrz *m = NULL;
	int rc = 0;

	if (rd_mrz_parse(&m, text, len, &r->opts) != RD_OK) {
		cli_lib_error();
		return -1;
	}
	if (!rd_mrz_valid(m))
		r->any_invalid = 1;
	r->count++;
	if (r->pending != NULL) {
		rc = write_one(r, r->pending, r->count - 1, 1, 0);
		rd_mrz_free(r->pending);
	}
	r->pending = m;
	return rc;
}

/* After the last block: write the one held back. */
static int finish(mrz_run *r)
{
	int rc = 0;

	if (r->pending != NULL) {
		rc = write_one(r, r->pending, r->count, r->count > 1, 1);
		rd_mrz_free(r->pending);
		r->pending = NULL;
	} else if (r->format == FMT_JSON) {
		fprintf(r->out, "[]\n");
	}
	return rc;
}

/* Read f as blocks of lines separated by blank lines (lines of spaces, tabs and CRs are
 * blank) and add each. A block takes its lines with their ends, the last one's when it
 * has one. A stream (not a regular file) stops at a NUL byte, as rahdari's other inputs
 * do: text never holds one, and /dev/zero or /dev/urandom behind a pipe would otherwise
 * be read for ever; in a regular file, a NUL byte is a character the MRZ check refuses.
 * 0, or -1 (printed). */
static int read_blocks(mrz_run *r, FILE *f, const char *name, int stream)
{
	char *blk = malloc(MRZ_BLOCK_MAX), chunk[16384];
	size_t len = 0, line_start = 0, got, i;
	unsigned long line = 1, col = 0, block_line = 1;
	int line_blank = 1, in_block = 0, rc = 0;

	if (blk == NULL) {
		cli_error("out of memory");
		return -1;
	}
	while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		for (i = 0; i < got; i++) {
			char c = chunk[i];

			if (((unsigned char)c & 0xc0) != 0x80)
				col++;
			if (c == '\0' && stream) {
				cli_error("%s:%lu:%lu: a NUL byte, which a text file never holds: reading "
				          "stopped", name, line, col);
				rc = -1;
				break;
			}
			if (len == MRZ_BLOCK_MAX) {
				cli_error("%s:%lu: more than %d bytes without a blank line: not an MRZ "
				          "(an MRZ is 2 or 3 lines; MRZs are separated by blank lines)",
				          name, block_line, MRZ_BLOCK_MAX);
				rc = -1;
				break;
			}
			blk[len++] = c;
			if (c == '\n') {
				if (line_blank) {
					if (in_block && add_block(r, blk, line_start) < 0) {
						rc = -1;
						break;
					}
					len = 0;
					in_block = 0;
				} else {
					in_block = 1;
				}
				line_start = len;
				line_blank = 1;
				line++;
				col = 0;
			} else if (c != ' ' && c != '\t' && c != '\r' && line_blank) {
				line_blank = 0;
				if (!in_block)
					block_line = line;
			}
		}
	}
	if (rc == 0 && ferror(f)) {
		cli_error("%s: cannot read: %s", name, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && (!line_blank || in_block))
		rc = add_block(r, blk, line_blank ? line_start : len);
	free(blk);
	return rc;
}

int cmd_mrz(int argc, char **argv)
{
	mrz_run r;
	int c, i, status, rc;

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
		char *data;

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
		rc = add_block(&r, data, off);
		free(data);
	} else {
		const char *path = optind < argc ? argv[optind] : "-";
		const char *name = strcmp(path, "-") ? path : "standard input";
		FILE *f = stdin;
		struct stat sb;

		if (optind + 1 < argc)
			return cli_usage_error("mrz", "give one FILE (or the lines of one MRZ)");
		if (strcmp(path, "-") != 0 && (f = fopen(path, "rb")) == NULL) {
			cli_error("%s: cannot open: %s", path, strerror(errno));
			return EXIT_INPUT;
		}
		/* a regular file, a pipe, or on standard input a terminal or a socket: anything
		 * else is refused before a byte is read (a device could be read for ever, now
		 * that nothing caps the size of the input), as rahdari's other inputs are */
		if (fstat(fileno(f), &sb) != 0) {
			cli_error("%s: cannot read: %s", name, strerror(errno));
			rc = -1;
		} else if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode) &&
		           !(f == stdin && (S_ISSOCK(sb.st_mode) ||
		                            (S_ISCHR(sb.st_mode) && isatty(fileno(f)))))) {
			cli_error("%s: %s: not read", name,
			          S_ISDIR(sb.st_mode)   ? "is a directory"
			          : S_ISCHR(sb.st_mode) ? "is a character device, not a regular file or a pipe"
			          : S_ISBLK(sb.st_mode) ? "is a block device, not a regular file or a pipe"
			          : S_ISSOCK(sb.st_mode) ? "is a socket, not a regular file or a pipe"
			                                 : "is not a regular file or a pipe");
			rc = -1;
		} else {
			rc = read_blocks(&r, f, name, !S_ISREG(sb.st_mode));
		}
		if (f != stdin)
			fclose(f);
		if (rc == 0 && r.count == 0) {
			cli_error("%s: no MRZ in the input", name);
			return EXIT_INPUT;
		}
	}
	if (rc == 0)
		rc = finish(&r);
	else if (r.pending != NULL)
		/* the input stopped at a fault: what came before it is still reported, as one of
		 * several (an unterminated json array says the output is incomplete) */
		(void)write_one(&r, r.pending, r.count, 1, 0);
	rd_mrz_free(r.pending);
	status = rc < 0 ? EXIT_INPUT : r.any_invalid ? EXIT_FINDINGS : EXIT_CLEAN;
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
		rd_cnic k = RD_CNIC_INIT;
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
