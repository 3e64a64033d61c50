/* rahdari command-line tool: shared declarations.
 * SPDX-License-Identifier: MIT */
#ifndef RD_CLI_H
#define RD_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rahdari.h>

/* Exit statuses, the same for every subcommand. */
#define EXIT_CLEAN 0    /* no finding at or above --fail-on */
#define EXIT_FINDINGS 1 /* a finding at or above --fail-on */
#define EXIT_USAGE 2    /* bad command line */
#define EXIT_INPUT 3    /* an input or the rules could not be processed */

extern const char *progname;

/* The library's UTF-8 decoder (lib/utf8.c, compiled into the tool; lib/internal.h): the
 * length of the character at p (at most n bytes read) and its code point, or 0 when the
 * bytes there are not well-formed UTF-8. */
size_t rd__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* s for a terminal (text output, messages): C0 controls but TAB (\n, \r, \xHH), DEL,
 * C1 controls (\u0080..\u009f) and bytes that are not UTF-8 (\xHH) escaped, as the
 * library's text writer does. The result lives until 8 more calls; NULL gives NULL. */
const char *cli_safe(const char *s);
/* A message on stderr, "rahdari: " before it, escaped as cli_safe() does. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the library's last error, prefixed with the program name. */
void cli_lib_error(void);
/* Validate a YYYY-MM-DD date. */
int cli_valid_date(const char *s);
/* Read all of a stream (standard input, a file opened) into memory, as rd_read_fd() does
 * (flags RD_READ_XML, RD_READ_TEXT: a pipe stopped at the first byte that cannot be
 * there; a device refused at once). 0, or -1 with the error in rd_error_last() (some
 * errors, out of memory in the tool, already printed: rd_error_last()->code is RD_OK). */
int cli_read_stream(FILE *f, const char *name, unsigned int flags, char **data, size_t *len,
                    size_t max);

/* Output: stdout or a file, with every write checked. */
typedef struct cli_out {
	FILE *f;
	const char *name;
	char *buf; /* the stream's buffer, for a file */
	int failed;
	int err;
} cli_out;

int cli_out_open(cli_out *o, const char *path);
int cli_out_write(const char *data, size_t len, void *payload);
/* Flush and close; 0 or -1 (error printed). */
int cli_out_close(cli_out *o);
int cli_color_wanted(const char *mode, FILE *f);
/* s as a JSON string (quoted; bytes that are not UTF-8 become U+FFFD). */
void cli_json_string(FILE *f, const char *s);

/* The options check and audit share, and what they load. */
#define CLI_MAX_EXTRA 64
enum { CLI_OPT_FAIL_ON = 256, CLI_OPT_COLOR, CLI_OPT_MAX_SIZE, CLI_OPT_LICENCE, CLI_OPT_DOC,
       CLI_OPT_REGISTER, CLI_OPT_TABLE, CLI_OPT_PARAM, CLI_OPT_NO_XSD, CLI_OPT_REQUIRE_SIGNED,
       CLI_OPT_TRUST, CLI_OPT_CRL, CLI_OPT_CHAIN, CLI_OPT_PASS, CLI_OPT_MAX_OPS,
       CLI_OPT_FIRST_OWN };
typedef struct cli_case {
	const char *rules_path;
	rd_check_options co;
	rd_load_options lo;
	int fail_on;
	const char *doc_role[CLI_MAX_EXTRA], *doc_path[CLI_MAX_EXTRA];
	const char *table_name[CLI_MAX_EXTRA], *table_path[CLI_MAX_EXTRA];
	rd_param params[CLI_MAX_EXTRA];
	size_t ndocs, ntables, nparams;
	int require_signed;       /* --require-signed: rules from disk must be a signed pack */
	const char *trust, *crl;  /* --trust, --crl */
	/* loaded */
	rd_rules *rules;
	rd_case_doc docs[CLI_MAX_EXTRA];
	rd_document *loaded[CLI_MAX_EXTRA];
	rd_data_table *tables[CLI_MAX_EXTRA];
	rd_trust *trust_store;    /* --trust, for the licences' signatures (fn:licence-signature) */
} cli_case;
void cli_case_init(cli_case *c);
/* The long options of the signature of the rules, for check and audit. */
#define CLI_SIGNED_OPTIONS                                                      \
	{ "require-signed", no_argument, NULL, CLI_OPT_REQUIRE_SIGNED },        \
	{ "trust", required_argument, NULL, CLI_OPT_TRUST },                    \
	{ "crl", required_argument, NULL, CLI_OPT_CRL }
/* Their help text. */
#define CLI_SIGNED_HELP                                                                     \
	"      --require-signed    refuse rules from disk unless they are a pack signed by a\n" \
	"                          certificate of --trust (rahdari rules verify); the\n"        \
	"                          embedded pack is part of rahdari and always accepted\n"      \
	"      --trust FILE|DIR    the regulator's trusted certificates (PEM): the case's\n"   \
	"                          licences are verified against them (rules that call\n"     \
	"                          fn:licence-signature), and so are the rules with\n"         \
	"                          --require-signed\n"                                          \
	"      --crl FILE          certificate revocation list(s) (PEM or DER) of the\n"       \
	"                          --trust store\n"
/* --max-ops: the help line, and reading its value (0, or EXIT_USAGE printed). */
#define CLI_MAX_OPS_HELP                                                                    \
	"      --max-ops N         the evaluation budget of each document, in XPath\n"         \
	"                          operations (default 20000000): a document that needs more\n" \
	"                          gets one evaluation-error finding that says where it ran\n" \
	"                          out, and the rules after it are not evaluated\n"
int cli_max_ops(const char *cmd, const char *arg, unsigned long *out);
/* Take one option (r p d l j and the CLI_OPT_* above): 0, or EXIT_USAGE (printed). */
int cli_case_option(cli_case *c, const char *cmd, int opt, char *arg);
/* Load the rules (given or embedded), case documents and tables; check the parameters and
 * phase; fill c->co. EXIT_CLEAN, or EXIT_USAGE / EXIT_INPUT (printed). */
int cli_case_load(cli_case *c, const char *cmd);
void cli_case_free(cli_case *c);

/* The signer of `licence sign` and `rules sign`: --key, --cert, --chain, --pass. */
typedef struct cli_signer {
	const char *key, *cert, *chain, *pass;
	char password[1024]; /* read from --pass by cli_signer_ready() */
	int has_password;
} cli_signer;
#define CLI_SIGNER_OPTIONS                                      \
	{ "key", required_argument, NULL, 'k' },                \
	{ "cert", required_argument, NULL, 'c' },               \
	{ "chain", required_argument, NULL, CLI_OPT_CHAIN },    \
	{ "pass", required_argument, NULL, CLI_OPT_PASS }
/* Take option c if it is one of those: 1, else 0. */
int cli_signer_option(cli_signer *s, int c, const char *arg);
/* After the options: the key and the certificate given, and the passphrase of --pass
 * (env:VAR, or file:PATH and its first line) read. 0, EXIT_USAGE or EXIT_INPUT (printed). */
int cli_signer_ready(cli_signer *s, const char *cmd);
/* Wipe the passphrase from memory. */
void cli_signer_clear(cli_signer *s);

int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_mrz(int argc, char **argv);
int cmd_cnic(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_licence(int argc, char **argv);

#endif
