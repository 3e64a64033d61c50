/* rahdari licence: sign licences and verify their XML Signatures against a trust store.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void licence_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s licence sign --key KEY --cert CERT [--chain FILE] [--pass SOURCE]\n"
	        "                             [-o OUT] LICENCE\n"
	        "       %s licence verify --trust FILE|DIR [--crl FILE]... [--as-of DATE]\n"
	        "                             [--allow-weak] [--format text|json] LICENCE...\n"
	        "\n"
	        "A licence is issued as XML with one enveloped XML Signature over the whole\n"
	        "document, in a strict profile: the signature a child of the root element, one\n"
	        "reference URI=\"\", the transforms enveloped-signature then exclusive C14N, RSA\n"
	        "(2048 bits or more) or ECDSA with SHA-256 or stronger, and the signer's X.509\n"
	        "certificate, which must chain to the regulator's trust store (doc/trust.md).\n"
	        "LICENCE '-' reads standard input.\n"
	        "\n"
	        "sign     add the signature as the last child of the root element (RSA-SHA256,\n"
	        "         or ECDSA-SHA256 for an EC key; SHA-256 digest; the certificate and the\n"
	        "         chain in KeyInfo), and write the signed licence to OUT (default:\n"
	        "         standard output)\n"
	        "  -k, --key FILE        the signer's private key (PEM)\n"
	        "  -c, --cert FILE       the signer's certificate (PEM or DER)\n"
	        "      --chain FILE      intermediate CA certificates to include (PEM)\n"
	        "      --pass SOURCE     the passphrase of an encrypted key: env:VAR (an\n"
	        "                        environment variable) or file:PATH (its first line);\n"
	        "                        rahdari never prompts\n"
	        "  -o, --output FILE     write the signed licence to FILE\n"
	        "\n"
	        "verify   verify each LICENCE and say why it does or does not verify\n"
	        "  -t, --trust FILE|DIR  trusted certificates: a PEM file, or a directory of\n"
	        "                        *.pem, *.crt, *.cer files (every one is trusted)\n"
	        "      --crl FILE        certificate revocation lists, PEM or DER (repeatable);\n"
	        "                        with CRLs, the signer's issuer must have one in date\n"
	        "  -d, --as-of DATE      judge certificates and CRLs at the end of DATE\n"
	        "                        (YYYY-MM-DD, UTC) or at YYYY-MM-DDTHH:MM:SSZ (default: now)\n"
	        "      --allow-weak      accept SHA-1, MD5 and RSA keys under 2048 bits, with a\n"
	        "                        warning (never for new licences)\n"
	        "  -f, --format FORMAT   text (default) or json\n"
	        "  -q, --quiet           text: one line per licence\n"
	        "      --max-size BYTES  refuse licences larger than this (default 256 MiB)\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "Exit status: 0 every licence verified (sign: signed); 1 a signature is\n"
	        "missing, invalid or untrusted; 2 usage error; 3 a file (licence, key,\n"
	        "certificate, trust store, CRL) cannot be read or parsed.\n"
	        "\n"
	        "Examples:\n"
	        "  %s licence sign --key officer.key --cert officer.pem --chain issuing-ca.pem \\\n"
	        "      -o signed.xml licence.xml\n"
	        "  %s licence verify --trust regulator-ca.pem --crl issuing-ca.crl signed.xml\n",
	        progname, progname, progname, progname);
}

enum { OPT_CRL = CLI_OPT_FIRST_OWN, OPT_ALLOW_WEAK, OPT_MAX_SIZE };

static int read_input(const char *path, size_t max, char **data, size_t *len)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (cli_read_stream(f, strcmp(path, "-") ? path : "<stdin>", RD_READ_XML, data, len, max) < 0) {
		if (rd_error_last()->code != RD_OK)
			cli_lib_error();
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

static int parse_size(const char *arg, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || v > INT_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ */
static int valid_as_of(const char *s)
{
	char day[11];
	size_t i;

	if (strlen(s) == 10)
		return cli_valid_date(s);
	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	for (i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return cli_valid_date(day) && atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 60;
}

/* ---------------------------------------------------------------- sign */

static int licence_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_SIGNER_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	rd_sign_options so = RD_SIGN_OPTIONS_INIT;
	cli_signer signer;
	const char *output = NULL;
	char *data = NULL, *signed_xml = NULL;
	size_t len = 0, slen = 0, max = RD_DEFAULT_MAX_BYTES;
	cli_out out;
	int c, status = EXIT_CLEAN;

	memset(&signer, 0, sizeof signer);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:c:o:h", opts, NULL)) != -1) {
		if (cli_signer_option(&signer, c, optarg))
			continue;
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_MAX_SIZE:
			if (parse_size(optarg, &max) < 0)
				return cli_usage_error("licence sign", "--max-size '%s': give a number of bytes up "
				                       "to %d", optarg, INT_MAX);
			break;
		case 'h':
			licence_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("licence sign", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("licence sign", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc || argc - optind > 1) {
		if (signer.key == NULL || signer.cert == NULL)
			return cli_signer_ready(&signer, "licence sign"); /* says what is missing */
		return cli_usage_error("licence sign", optind >= argc ? "no LICENCE to sign"
		                       : "give one LICENCE (sign them one at a time)");
	}
	if ((status = cli_signer_ready(&signer, "licence sign")) != 0)
		return status;
	so.key = signer.key;
	so.cert = signer.cert;
	so.chain = signer.chain;
	so.key_password = signer.has_password ? signer.password : NULL;
	so.max_bytes = max;
	if (read_input(argv[optind], max, &data, &len) < 0) {
		status = EXIT_INPUT;
		goto done;
	}
	if (rd_licence_sign(&signed_xml, &slen, strcmp(argv[optind], "-") ? argv[optind] : "<stdin>",
	                    data, len, &so) != RD_OK) {
		cli_lib_error();
		status = rd_error_last()->code == RD_EINVAL && rd_error_last()->file == NULL ? EXIT_USAGE
		                                                                               : EXIT_INPUT;
		goto done;
	}
	if (cli_out_open(&out, output) < 0) {
		status = EXIT_INPUT;
		goto done;
	}
	cli_out_write(signed_xml, slen, &out);
	if (cli_out_close(&out) < 0)
		status = EXIT_INPUT;
done:
	cli_signer_clear(&signer);
	rd_free(signed_xml);
	free(data);
	return status;
}

/* ---------------------------------------------------------------- verify */

static void json_field(FILE *f, const char *name, const char *value, int comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", name);
	if (value)
		cli_json_string(f, value);
	else
		fputs("null", f);
}

static void print_json(FILE *f, const char *file, const rd_verify_result *r, const char *error,
                       int first)
{
	size_t i;

	fputs(first ? "\n  {" : ",\n  {", f);
	json_field(f, "file", file, 0);
	if (r == NULL) {
		fputs(",\"verified\":false,\"status\":\"error\"", f);
		json_field(f, "message", error, 1);
		fputc('}', f);
		return;
	}
	fprintf(f, ",\"verified\":%s,\"status\":\"%s\"", rd_verify_result_ok(r) ? "true" : "false",
	        rd_sig_status_name(rd_verify_result_status(r)));
	json_field(f, "message", rd_verify_result_message(r), 1);
	json_field(f, "sha256", rd_verify_result_get(r, RD_VERIFY_SHA256), 1);
	fputs(",\"signer\":", f);
	if (rd_verify_result_get(r, RD_VERIFY_SUBJECT)) {
		fputc('{', f);
		json_field(f, "subject", rd_verify_result_get(r, RD_VERIFY_SUBJECT), 0);
		json_field(f, "issuer", rd_verify_result_get(r, RD_VERIFY_ISSUER), 1);
		json_field(f, "serial", rd_verify_result_get(r, RD_VERIFY_SERIAL), 1);
		json_field(f, "not_before", rd_verify_result_get(r, RD_VERIFY_NOT_BEFORE), 1);
		json_field(f, "not_after", rd_verify_result_get(r, RD_VERIFY_NOT_AFTER), 1);
		json_field(f, "key", rd_verify_result_get(r, RD_VERIFY_KEY), 1);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputs(",\"chain\":[", f);
	for (i = 0; i < rd_verify_result_chain_count(r); i++) {
		if (i)
			fputc(',', f);
		cli_json_string(f, rd_verify_result_chain(r, i));
	}
	fputc(']', f);
	json_field(f, "anchor", rd_verify_result_get(r, RD_VERIFY_ANCHOR), 1);
	json_field(f, "signature_method", rd_verify_result_get(r, RD_VERIFY_SIGNATURE_METHOD), 1);
	json_field(f, "digest_method", rd_verify_result_get(r, RD_VERIFY_DIGEST_METHOD), 1);
	json_field(f, "checked_at", rd_verify_result_get(r, RD_VERIFY_CHECKED_AT), 1);
	fputs(",\"warnings\":[", f);
	for (i = 0; i < rd_verify_result_warning_count(r); i++) {
		if (i)
			fputc(',', f);
		cli_json_string(f, rd_verify_result_warning(r, i));
	}
	fputs("]}", f);
}

static void print_text(FILE *f, const char *file, const rd_verify_result *r, int quiet)
{
	const char *v;
	size_t i;

	/* names from the command line and from certificates: escaped for the terminal */
	if (rd_verify_result_ok(r))
		fprintf(f, "%s: verified\n", cli_safe(file));
	else
		fprintf(f, "%s: NOT VERIFIED (%s): %s\n", cli_safe(file),
		        rd_sig_status_name(rd_verify_result_status(r)),
		        cli_safe(rd_verify_result_message(r)));
	if (quiet)
		return;
	if ((v = rd_verify_result_get(r, RD_VERIFY_SUBJECT)) != NULL) {
		fprintf(f, "  signer:    %s\n", cli_safe(v));
		fprintf(f, "             %s key, serial %s, valid %s to %s\n",
		        rd_verify_result_get(r, RD_VERIFY_KEY) ? cli_safe(rd_verify_result_get(r, RD_VERIFY_KEY)) : "?",
		        rd_verify_result_get(r, RD_VERIFY_SERIAL) ? cli_safe(rd_verify_result_get(r, RD_VERIFY_SERIAL)) : "?",
		        rd_verify_result_get(r, RD_VERIFY_NOT_BEFORE) ? cli_safe(rd_verify_result_get(r, RD_VERIFY_NOT_BEFORE)) : "?",
		        rd_verify_result_get(r, RD_VERIFY_NOT_AFTER) ? cli_safe(rd_verify_result_get(r, RD_VERIFY_NOT_AFTER)) : "?");
		if ((v = rd_verify_result_get(r, RD_VERIFY_ISSUER)) != NULL)
			fprintf(f, "  issuer:    %s\n", cli_safe(v));
	}
	for (i = 0; i < rd_verify_result_chain_count(r); i++)
		fprintf(f, "  %s %s%s\n", i ? "          " : "chain:    ",
		        cli_safe(rd_verify_result_chain(r, i)),
		        i + 1 == rd_verify_result_chain_count(r) ? " (trusted)" : "");
	if ((v = rd_verify_result_get(r, RD_VERIFY_SIGNATURE_METHOD)) != NULL)
		fprintf(f, "  method:    %s\n", cli_safe(v));
	if ((v = rd_verify_result_get(r, RD_VERIFY_DIGEST_METHOD)) != NULL)
		fprintf(f, "  digest:    %s\n", cli_safe(v));
	if ((v = rd_verify_result_get(r, RD_VERIFY_CHECKED_AT)) != NULL)
		fprintf(f, "  checked:   certificates judged at %s\n", cli_safe(v));
	for (i = 0; i < rd_verify_result_warning_count(r); i++)
		fprintf(f, "  warning:   %s\n", cli_safe(rd_verify_result_warning(r, i)));
}

#define MAX_CRLS 32

static int licence_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "crl", required_argument, NULL, OPT_CRL },
		{ "as-of", required_argument, NULL, 'd' },
		{ "allow-weak", no_argument, NULL, OPT_ALLOW_WEAK },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;
	const char *trust_path = NULL, *crls[MAX_CRLS];
	size_t ncrls = 0, max = RD_DEFAULT_MAX_BYTES, k, nver = 0, nfail = 0, nerr = 0;
	int c, i, json = 0, quiet = 0, stdin_used = 0, status = EXIT_CLEAN;
	rd_trust *trust = NULL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:d:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			trust_path = optarg;
			break;
		case OPT_CRL:
			if (ncrls == MAX_CRLS)
				return cli_usage_error("licence verify", "too many --crl (at most %d)", MAX_CRLS);
			crls[ncrls++] = optarg;
			break;
		case 'd':
			if (!valid_as_of(optarg))
				return cli_usage_error("licence verify",
				                       "--as-of '%s' is not a date (YYYY-MM-DD) or a UTC time "
				                       "(YYYY-MM-DDTHH:MM:SSZ)",
				                       optarg);
			vo.as_of = optarg;
			break;
		case OPT_ALLOW_WEAK:
			vo.flags |= RD_VERIFY_ALLOW_WEAK;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error("licence verify", "unknown format '%s' (text or json)",
				                       optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_MAX_SIZE:
			if (parse_size(optarg, &max) < 0)
				return cli_usage_error("licence verify", "--max-size '%s': give a number of bytes "
				                       "up to %d", optarg, INT_MAX);
			break;
		case 'h':
			licence_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("licence verify", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("licence verify", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (trust_path == NULL)
		return cli_usage_error("licence verify",
		                       "give the regulator's trusted certificates with --trust FILE|DIR");
	if (optind >= argc)
		return cli_usage_error("licence verify", "no LICENCE to verify");
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (stdin_used)
				return cli_usage_error("licence verify",
				                       "standard input ('-') can be read only once");
			stdin_used = 1;
		}
	}
	vo.max_bytes = max;
	if (rd_trust_load(&trust, trust_path) != RD_OK) {
		cli_lib_error();
		return EXIT_INPUT;
	}
	for (k = 0; k < ncrls; k++) {
		if (rd_trust_add_crl(trust, crls[k]) != RD_OK) {
			cli_lib_error();
			rd_trust_free(trust);
			return EXIT_INPUT;
		}
	}
	if (json)
		printf("{\"tool\":\"rahdari\",\"version\":\"%s\",\"licences\":[", PACKAGE_VERSION);
	for (i = optind; i < argc; i++) {
		const char *path = argv[i], *shown = strcmp(path, "-") ? path : "<stdin>";
		rd_verify_result *r = NULL;
		char *data = NULL;
		size_t len = 0;
		int rc;

		if (strcmp(path, "-") == 0) {
			if (read_input(path, max, &data, &len) < 0) {
				nerr++;
				if (json)
					print_json(stdout, shown, NULL, "cannot read standard input", i == optind);
				continue;
			}
			rc = rd_licence_verify(&r, trust, shown, data, len, &vo);
		} else {
			rc = rd_licence_verify(&r, trust, path, NULL, 0, &vo);
		}
		free(data);
		if (rc != RD_OK) {
			nerr++;
			cli_lib_error();
			if (json)
				print_json(stdout, shown, NULL, rd_error_last()->message, i == optind);
			else
				printf("%s: NOT VERIFIED (error): %s\n", cli_safe(shown),
				       cli_safe(rd_error_last()->message));
			if (rc == RD_EINVAL) {
				status = EXIT_USAGE;
				break;
			}
			continue;
		}
		if (rd_verify_result_ok(r))
			nver++;
		else
			nfail++;
		if (json)
			print_json(stdout, shown, r, NULL, i == optind);
		else
			print_text(stdout, shown, r, quiet);
		rd_verify_result_free(r);
	}
	if (json)
		printf("\n ],\n \"summary\":{\"verified\":%zu,\"not_verified\":%zu,\"errors\":%zu}}\n", nver,
		       nfail, nerr);
	else if (argc - optind > 1)
		printf("\n%zu licences: %zu verified, %zu not verified, %zu could not be read\n",
		       (size_t)(argc - optind), nver, nfail, nerr);
	rd_trust_free(trust);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		return EXIT_INPUT;
	}
	if (status != EXIT_CLEAN)
		return status;
	if (nerr)
		return EXIT_INPUT;
	return nfail ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_licence(int argc, char **argv)
{
	if (argc < 2) {
		licence_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		licence_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "sign") == 0)
		return licence_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return licence_verify(argc - 1, argv + 1);
	return cli_usage_error("licence", "unknown subcommand '%s' (sign or verify)", argv[1]);
}
