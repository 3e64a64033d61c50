/* rahdari rules: list, lint and test rule packs.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void rules_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s rules list [--format text|json] [PACK]\n"
	        "       %s rules lint [--lang LANG]... [PACK]\n"
	        "       %s rules test [--tests DIR] [--max-ops N] [--verbose] PACK\n"
	        "       %s rules manifest [--output FILE] PACK\n"
	        "       %s rules sign --key KEY --cert CERT [--chain FILE] [--pass SOURCE] PACK|FILE\n"
	        "       %s rules verify --trust FILE|DIR [--crl FILE] [--as-of DATE]\n"
	        "                       [--format text|json] [--quiet] PACK|FILE\n"
	        "\n"
	        "PACK is a rule pack directory, its pack.xml, or a Schematron file; without one,\n"
	        "list and lint read the pack embedded in rahdari.\n"
	        "\n"
	        "  list   every assert and report: id, kind, severity, citation, tags, confidence,\n"
	        "         jurisdiction, effective dates and languages; then the parameters a check\n"
	        "         can set with --param, and the phases\n"
	        "  lint   load the pack (which checks every XPath, prefix, function, key,\n"
	        "         variable, table and include) and report rules without an id,\n"
	        "         duplicate ids, rules without a citation or tags, and rules without a\n"
	        "         message in each LANG (default: ur)\n"
	        "  test   run the pack's tests: every XML file under its test directories (the\n"
	        "         pack's <tests href=.../> and those of the packs it extends; or --tests\n"
	        "         DIR) that starts with a processing instruction\n"
	        "           <?rahdari-test fires=\"ID ...\" not-fires=\"ID ...\" as-of=\"YYYY-MM-DD\"?>\n"
	        "         (also jurisdiction=, phase=, licence=FILE, doc-ROLE=FILE, register=FILE,\n"
	        "         table-NAME=FILE, param-NAME=VALUE, trust=FILE|DIR, crl=FILE; files\n"
	        "         relative to the test, under the test directory or the pack) is\n"
	        "         checked, and the rules it names must fire, or not. Every rule must have a\n"
	        "         test where it fires and one where it does not. --max-ops N: the\n"
	        "         evaluation budget of each test, as for rahdari check\n"
	        "  manifest  write the pack's manifest, PACK/SIGNED-FILES (or --output FILE, '-'\n"
	        "         for standard output): a line 'rahdari-signed-files 1', then\n"
	        "         'SHA256 SIZE PATH' for every other file, sorted; sign it with openssl:\n"
	        "           openssl cms -sign -binary -outform DER -md sha256 -in PACK/SIGNED-FILES\n"
	        "             -signer cert.pem -inkey key.pem -out PACK/pack.sig\n"
	        "  sign   write the manifest and its detached CMS signature PACK/pack.sig (DER,\n"
	        "         SHA-256, with the certificate and the --chain certificates); a FILE that\n"
	        "         is no pack gets FILE.sig. --pass env:VAR or file:PATH gives the\n"
	        "         passphrase of an encrypted key\n"
	        "  verify check the signature against the certificates of --trust (a PEM file or a\n"
	        "         directory of *.pem, *.crt, *.cer), revocation with --crl, validity at\n"
	        "         --as-of (YYYY-MM-DD, the end of that day in UTC; default now); then that\n"
	        "         every file of the manifest is there unchanged and that no file was added.\n"
	        "         An overlay's base pack is a pack of its own: verify it too\n"
	        "\n"
	        "Exit status: 0 clean (verify: verified); 1 lint problems, failed tests or\n"
	        "untested rules (verify: unsigned, altered, untrusted, expired, revoked or a bad\n"
	        "signature); 2 usage error; 3 the pack (or a key, certificate, trust store or\n"
	        "CRL) could not be read or written.\n",
	        progname, progname, progname, progname, progname, progname);
}

static int load(rd_rules **rules, const char *path)
{
	if ((path ? rd_rules_load(rules, path, NULL) : rd_rules_load_default(rules)) != RD_OK) {
		cli_lib_error();
		return -1;
	}
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("null", f);
	else
		cli_json_string(f, s); /* DEL, C1 controls and bytes that are not UTF-8 too */
}

/* ---------------------------------------------------------------- list */

static int rules_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	rd_rules *rules;
	int c, json = 0;
	size_t i, n;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error("rules list", "unknown format '%s' (text or json)", optarg);
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		default:
			return cli_usage_error("rules list", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("rules list", "give one PACK");
	if (load(&rules, optind < argc ? argv[optind] : NULL) < 0)
		return EXIT_INPUT;
	n = rd_rules_assertion_count(rules);
	if (json) {
		printf("{\"pack\":{\"id\":");
		json_str(stdout, rd_rules_get(rules, RD_RULES_ID));
		printf(",\"version\":");
		json_str(stdout, rd_rules_get(rules, RD_RULES_VERSION));
		printf(",\"title\":");
		json_str(stdout, rd_rules_get(rules, RD_RULES_TITLE));
		printf(",\"jurisdiction\":");
		json_str(stdout, rd_rules_get(rules, RD_RULES_JURISDICTION));
		printf("},\n \"rules\":[");
		for (i = 0; i < n; i++) {
			const rd_assertion *a = rd_rules_assertion(rules, i);

			printf("%s\n  {\"id\":", i ? "," : "");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_RULE));
			printf(",\"kind\":\"%s\",\"severity\":\"%s\",\"cite\":",
			       rd_kind_name(rd_assertion_kind(a)), rd_severity_name(rd_assertion_severity(a)));
			json_str(stdout, rd_assertion_get(a, RD_FIELD_CITE));
			printf(",\"tags\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_TAGS));
			printf(",\"confidence\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_CONFIDENCE));
			printf(",\"jurisdiction\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_JURISDICTION));
			printf(",\"effective_from\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_EFFECTIVE_FROM));
			printf(",\"effective_to\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_EFFECTIVE_TO));
			printf(",\"pattern\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_PATTERN));
			printf(",\"urdu\":%s,\"message\":", rd_assertion_has_lang(a, "ur") ? "true" : "false");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_MESSAGE));
			printf(",\"source\":");
			json_str(stdout, rd_assertion_get(a, RD_FIELD_SOURCE));
			printf(",\"line\":%ld}", rd_assertion_line(a));
		}
		printf("],\n \"params\":[");
		for (i = 0; i < rd_rules_param_count(rules); i++) {
			const char *v, *name = rd_rules_param(rules, i, &v);

			printf("%s{\"name\":", i ? "," : "");
			json_str(stdout, name);
			printf(",\"value\":");
			json_str(stdout, v);
			printf("}");
		}
		printf("],\n \"phases\":[");
		for (i = 0; i < rd_rules_phase_count(rules); i++) {
			printf("%s", i ? "," : "");
			json_str(stdout, rd_rules_phase(rules, i));
		}
		printf("]}\n");
	} else {
		const char *v = rd_rules_get(rules, RD_RULES_VERSION);

		printf("%s%s%s: %s (%zu rules)\n", cli_safe(rd_rules_get(rules, RD_RULES_ID)), v ? " " : "",
		       v ? cli_safe(v) : "",
		       rd_rules_get(rules, RD_RULES_TITLE) ? cli_safe(rd_rules_get(rules, RD_RULES_TITLE)) : "",
		       n);
		for (i = 0; i < n; i++) {
			const rd_assertion *a = rd_rules_assertion(rules, i);
			const char *id = rd_assertion_get(a, RD_FIELD_RULE);
			const char *from = rd_assertion_get(a, RD_FIELD_EFFECTIVE_FROM);
			const char *to = rd_assertion_get(a, RD_FIELD_EFFECTIVE_TO);
			const char *jur = rd_assertion_get(a, RD_FIELD_JURISDICTION);
			const char *conf = rd_assertion_get(a, RD_FIELD_CONFIDENCE);

			printf("  %-16s %-7s %-7s [%s]%s%s%s%s%s%s%s\n", id ? cli_safe(id) : "(no id)",
			       rd_severity_name(rd_assertion_severity(a)), rd_kind_name(rd_assertion_kind(a)),
			       conf ? cli_safe(conf) : "-", jur ? " " : "", jur ? cli_safe(jur) : "",
			       from || to ? " in force " : "", from ? cli_safe(from) : "", from || to ? ".." : "",
			       to ? cli_safe(to) : "", rd_assertion_has_lang(a, "ur") ? "" : " (no Urdu)");
			printf("      %s\n", rd_assertion_get(a, RD_FIELD_CITE)
			                      ? cli_safe(rd_assertion_get(a, RD_FIELD_CITE)) : "(no citation)");
			if (rd_assertion_get(a, RD_FIELD_TAGS))
				printf("      tags: %s\n", cli_safe(rd_assertion_get(a, RD_FIELD_TAGS)));
		}
		if (rd_rules_param_count(rules)) {
			printf("parameters (set with --param NAME=VALUE):\n");
			for (i = 0; i < rd_rules_param_count(rules); i++) {
				const char *val, *name = rd_rules_param(rules, i, &val);

				printf("  %s = %s\n", cli_safe(name), val ? cli_safe(val) : "(element content)");
			}
		}
		if (rd_rules_phase_count(rules)) {
			printf("phases:");
			for (i = 0; i < rd_rules_phase_count(rules); i++)
				printf(" %s", cli_safe(rd_rules_phase(rules, i)));
			printf("\n");
		}
	}
	rd_rules_free(rules);
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_INPUT;
}

/* ---------------------------------------------------------------- lint */

static int rules_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *langs[16];
	size_t nlangs = 0, i, j, n, problems = 0;
	rd_rules *rules;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (nlangs == 16)
				return cli_usage_error("rules lint", "too many --lang");
			langs[nlangs++] = optarg;
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		default:
			return cli_usage_error("rules lint", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (nlangs == 0)
		langs[nlangs++] = "ur";
	if (argc - optind > 1)
		return cli_usage_error("rules lint", "give one PACK");
	if (load(&rules, optind < argc ? argv[optind] : NULL) < 0)
		return EXIT_INPUT;
	n = rd_rules_assertion_count(rules);
	for (i = 0; i < n; i++) {
		const rd_assertion *a = rd_rules_assertion(rules, i);
		const char *id = rd_assertion_get(a, RD_FIELD_RULE);
		const char *src = rd_assertion_get(a, RD_FIELD_SOURCE);
		long line = rd_assertion_line(a);

		if (id == NULL) {
			printf("%s:%ld: %s without an id\n", cli_safe(src), line, rd_kind_name(rd_assertion_kind(a)));
			problems++;
			continue;
		}
		for (j = 0; j < i; j++) {
			const rd_assertion *b = rd_rules_assertion(rules, j);
			const char *bid = rd_assertion_get(b, RD_FIELD_RULE);

			if (bid && strcmp(bid, id) == 0 &&
			    !(strcmp(rd_assertion_get(b, RD_FIELD_SOURCE), src) == 0 &&
			      rd_assertion_line(b) == line)) {
				printf("%s:%ld: %s: the id is used again (first at %s:%ld)\n", cli_safe(src), line,
				       cli_safe(id), cli_safe(rd_assertion_get(b, RD_FIELD_SOURCE)),
				       rd_assertion_line(b));
				problems++;
				break;
			}
		}
		if (rd_assertion_get(a, RD_FIELD_CITE) == NULL) {
			printf("%s:%ld: %s: no citation (rd:cite)\n", cli_safe(src), line, cli_safe(id));
			problems++;
		}
		if (rd_assertion_get(a, RD_FIELD_TAGS) == NULL) {
			printf("%s:%ld: %s: no tags (rd:tags)\n", cli_safe(src), line, cli_safe(id));
			problems++;
		}
		if (rd_assertion_get(a, RD_FIELD_CONFIDENCE) == NULL) {
			printf("%s:%ld: %s: no confidence (rd:confidence V, S or U)\n", cli_safe(src), line,
			       cli_safe(id));
			problems++;
		}
		for (j = 0; j < nlangs; j++) {
			if (!rd_assertion_has_lang(a, langs[j])) {
				printf("%s:%ld: %s: no message in '%s' (a diagnostic with xml:lang)\n",
				       cli_safe(src), line, cli_safe(id), cli_safe(langs[j]));
				problems++;
			}
		}
	}
	printf("%s: %zu rules, %zu problem%s\n", cli_safe(rd_rules_get(rules, RD_RULES_ID)), n, problems,
	       problems == 1 ? "" : "s");
	rd_rules_free(rules);
	if (fflush(stdout) != 0)
		return EXIT_INPUT;
	return problems ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---------------------------------------------------------------- test */

typedef struct rule_cov {
	const char *id;
	int fired_ok;   /* a passing test expected it to fire */
	int held_ok;    /* a passing test expected it not to fire */
	int ever_fired; /* it fired in some test */
} rule_cov;

typedef struct test_run {
	rd_rules *rules;
	rule_cov *cov;
	size_t ncov;
	int verbose;
	size_t passed, failed;
	size_t files;
	/* where the files of a test may be: the test directory being walked and the pack's
	 * directory, as resolve() gives them */
	char *test_root, *pack_root;
	size_t refused; /* files refused for being elsewhere: exit status 3 */
	/* the directories walked so far: each once, however many links lead to it */
	struct walked {
		dev_t dev;
		ino_t ino;
	} *walked;
	size_t nwalked, capwalked;
	unsigned long max_ops; /* --max-ops, or 0 */
} test_run;

/* ---- where test files may be
 *
 * A test of a pack is part of the pack, so it is confined as the pack's own files are
 * (lib/loader.c): the files its instruction names (licence=, doc-ROLE=, register=,
 * table-NAME=, trust=, crl=) and the files and directories found under the test
 * directory must be, symbolic links resolved, under that test directory or under the
 * pack's directory. Anything else is refused without being opened. */

/* lib/path.c, compiled into the tool: the library's own rules for where a path leads */
char *rd__path_resolve(const char *path);
int rd__path_under(const char *path, const char *dir);

static char *resolve(const char *path)
{
	return rd__path_resolve(path);
}

static int under(const char *path, const char *dir)
{
	return path != NULL && dir != NULL && rd__path_under(path, dir);
}

/* May a test read path? */
static int test_may_read(const test_run *t, const char *path)
{
	char *r = resolve(path);
	int ok = under(r, t->test_root) || under(r, t->pack_root);

	free(r);
	return ok;
}

static rule_cov *cov_find(test_run *t, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < t->ncov; i++)
		if (strlen(t->cov[i].id) == len && strncmp(t->cov[i].id, id, len) == 0)
			return &t->cov[i];
	return NULL;
}

/* The pseudo-attribute NAME="value" of a processing instruction's text, copied into
 * buf; NULL when absent. */
static const char *pi_attr(const char *pi, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);
	const char *p = pi;

	while ((p = strstr(p, name)) != NULL) {
		int starts = p == pi || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r';

		if (starts && p[nl] == '=' && (p[nl + 1] == '"' || p[nl + 1] == '\'')) {
			char q = p[nl + 1];
			const char *e = strchr(p + nl + 2, q);
			size_t n;

			if (e == NULL)
				return NULL;
			n = (size_t)(e - (p + nl + 2));
			if (n >= len)
				n = len - 1;
			memcpy(buf, p + nl + 2, n);
			buf[n] = '\0';
			return buf;
		}
		p += nl;
	}
	return NULL;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	if (slash)
		memcpy(d, path, n);
	else
		d[0] = '.';
	d[n] = '\0';
	return d;
}

static char *join(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Append to a bounded message buffer; text that does not fit is cut, never overflows. */
static void padd(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void padd(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size - 1 ? *len + (size_t)n : size - 1;
}

/* Does the comma/space separated list contain the id? */
static int in_list(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p = list;

	while (p && *p) {
		const char *s;

		while (*p == ' ' || *p == ',')
			p++;
		s = p;
		while (*p && *p != ' ' && *p != ',')
			p++;
		if ((size_t)(p - s) == n && strncmp(s, id, n) == 0)
			return 1;
	}
	return 0;
}

#define MAX_CASE 16

/* One test file: its rahdari-test instruction, the case it gives the check (documents,
 * tables, parameters, trust store) and what is wrong with it so far (problems). */
typedef struct test_case {
	const char *path;
	char *text, *dir;
	size_t len;
	char pi[4096], fires[2048], notf[2048], asof[32], jur[32], phase[128];
	long pi_line;
	rd_document *extra[MAX_CASE];
	rd_case_doc cdocs[MAX_CASE];
	rd_data_table *tables[MAX_CASE];
	rd_param params[MAX_CASE];
	char *param_names[MAX_CASE], *param_values[MAX_CASE];
	size_t ndocs, ntables, nparams;
	rd_trust *trust; /* trust=FILE|DIR and crl=FILE: the licences' trust store */
	char *crl_path;
	char problems[4096];
	size_t plen;
} test_case;

/* Read the file, NUL-terminated, into tc->text; -1 (a failure counted) when it cannot be. */
static int test_read(test_run *t, test_case *tc)
{
	FILE *f = fopen(tc->path, "rb");
	char *nt;

	if (f == NULL || cli_read_stream(f, tc->path, RD_READ_XML, &tc->text, &tc->len,
	                                 (size_t)64 << 20) < 0) {
		printf("FAIL %s: cannot read: %s\n", cli_safe(tc->path),
		       f == NULL ? strerror(errno) : cli_safe(rd_error_last()->message));
		t->failed++;
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	nt = realloc(tc->text, tc->len + 1);
	if (nt == NULL) {
		printf("FAIL %s: out of memory\n", cli_safe(tc->path));
		t->failed++;
		return -1;
	}
	tc->text = nt;
	tc->text[tc->len] = '\0';
	return 0;
}

/* Find the rahdari-test instruction and read its expectations and check options: 1, 0
 * when there is none (a support file: a licence, a register...), -1 (a failure counted)
 * when it is not closed. */
static int test_instruction(test_run *t, test_case *tc, rd_check_options *co)
{
	const char *start = strstr(tc->text, "<?rahdari-test"), *end, *p;

	if (start == NULL)
		return 0;
	t->files++;
	end = strstr(start, "?>");
	if (end == NULL || (size_t)(end - start) >= sizeof tc->pi) {
		printf("FAIL %s: the rahdari-test instruction is not closed\n", cli_safe(tc->path));
		t->failed++;
		return -1;
	}
	memcpy(tc->pi, start, (size_t)(end - start));
	tc->pi[end - start] = '\0';
	for (p = tc->text; p < start; p++)
		tc->pi_line += *p == '\n';
	if (pi_attr(tc->pi, "fires", tc->fires, sizeof tc->fires) == NULL)
		tc->fires[0] = '\0';
	if (pi_attr(tc->pi, "not-fires", tc->notf, sizeof tc->notf) == NULL)
		tc->notf[0] = '\0';
	if (pi_attr(tc->pi, "as-of", tc->asof, sizeof tc->asof))
		co->as_of = tc->asof;
	co->max_ops = t->max_ops;
	if (pi_attr(tc->pi, "jurisdiction", tc->jur, sizeof tc->jur))
		co->jurisdiction = tc->jur;
	if (pi_attr(tc->pi, "phase", tc->phase, sizeof tc->phase))
		co->phase = tc->phase;
	return 1;
}

/* Whether the attribute key names a file the test reads; if so, it must lie under the
 * test's directory or the pack: 0 when it does, -1 (refused, said) when not. */
static int test_file_allowed(test_run *t, test_case *tc, const char *key, const char *val)
{
	char *fp;

	if (strcmp(key, "licence") != 0 && strncmp(key, "doc-", 4) != 0 &&
	    strcmp(key, "register") != 0 && strncmp(key, "table-", 6) != 0 &&
	    strcmp(key, "trust") != 0 && strcmp(key, "crl") != 0)
		return 0;
	fp = join(tc->dir, val);
	/* an absolute path would be joined to the test's directory: refuse it plainly */
	if (fp == NULL || val[0] == '/' || !test_may_read(t, fp)) {
		/* not opened: the test names a file outside its pack */
		cli_error("%s:%ld: %s=\"%s\": outside the test directory and the pack "
		          "(a test may read only files under %s or %s)",
		          tc->path, tc->pi_line, key, val, t->test_root ? t->test_root : "?",
		          t->pack_root ? t->pack_root : "?");
		padd(tc->problems, sizeof tc->problems, &tc->plen, " %s=\"%s\" refused;", key, val);
		t->refused++;
		free(fp);
		return -1;
	}
	free(fp);
	return 0;
}

/* licence=FILE or doc-ROLE=FILE: a document of the case. */
static void test_add_doc(test_case *tc, const char *key, const char *val)
{
	char *fp = join(tc->dir, val);
	size_t k = tc->ndocs;

	if (fp == NULL || rd_document_load_file(&tc->extra[k], fp, NULL) != RD_OK) {
		padd(tc->problems, sizeof tc->problems, &tc->plen, " cannot load %s: %s;", val,
		     rd_error_last()->message);
		free(fp);
		return;
	}
	free(fp);
	tc->cdocs[k].doc = tc->extra[k];
	tc->cdocs[k].role = strcmp(key, "licence") == 0 ? "licence" : NULL;
	if (tc->cdocs[k].role == NULL) {
		tc->cdocs[k].role = strdup(key + 4);
		if (tc->cdocs[k].role == NULL) {
			rd_document_free(tc->extra[k]);
			tc->extra[k] = NULL;
			return;
		}
	}
	tc->ndocs++;
}

/* register=FILE or table-NAME=FILE: a table of the case. */
static void test_add_table(test_case *tc, const char *key, const char *val)
{
	char *fp = join(tc->dir, val);

	if (fp == NULL ||
	    rd_data_table_load(&tc->tables[tc->ntables],
	                       strcmp(key, "register") == 0 ? "licence-register" : key + 6,
	                       fp) != RD_OK) {
		padd(tc->problems, sizeof tc->problems, &tc->plen, " cannot load %s: %s;", val,
		     rd_error_last()->message);
		free(fp);
		return;
	}
	free(fp);
	tc->ntables++;
}

/* param-NAME=VALUE: a parameter of the check. */
static void test_add_param(test_case *tc, const char *key, const char *val)
{
	size_t k = tc->nparams;

	tc->param_names[k] = strdup(key + 6);
	tc->param_values[k] = strdup(val);
	if (tc->param_names[k] == NULL || tc->param_values[k] == NULL) {
		free(tc->param_names[k]);
		free(tc->param_values[k]);
		return;
	}
	tc->params[k].name = tc->param_names[k];
	tc->params[k].value = tc->param_values[k];
	tc->nparams++;
}

/* One attribute of the instruction, key="val", that may add to the case. */
static void test_case_attribute(test_run *t, test_case *tc, const char *key, const char *val)
{
	if (test_file_allowed(t, tc, key, val) < 0)
		return;
	if ((strcmp(key, "licence") == 0 || strncmp(key, "doc-", 4) == 0) && tc->ndocs < MAX_CASE) {
		test_add_doc(tc, key, val);
	} else if ((strcmp(key, "register") == 0 || strncmp(key, "table-", 6) == 0) &&
	           tc->ntables < MAX_CASE) {
		test_add_table(tc, key, val);
	} else if (strncmp(key, "param-", 6) == 0 && tc->nparams < MAX_CASE) {
		test_add_param(tc, key, val);
	} else if (strcmp(key, "trust") == 0 && tc->trust == NULL) {
		char *fp = join(tc->dir, val);

		if (fp == NULL || rd_trust_load(&tc->trust, fp) != RD_OK)
			padd(tc->problems, sizeof tc->problems, &tc->plen, " cannot load %s: %s;", val,
			     rd_error_last()->message);
		free(fp);
	} else if (strcmp(key, "crl") == 0 && tc->crl_path == NULL) {
		tc->crl_path = join(tc->dir, val);
	}
}

/* The case documents, tables, parameters and trust store of the instruction, given to
 * the check options. */
static void test_case_read(test_run *t, test_case *tc, rd_check_options *co)
{
	const char *p;
	char buf[1024];

	for (p = tc->pi; (p = strpbrk(p, " \t\r\n")) != NULL; p++) {
		const char *name = p + 1, *eq = strchr(name, '=');
		char key[128];
		size_t kl;

		if (eq == NULL)
			break;
		kl = (size_t)(eq - name);
		if (kl == 0 || kl >= sizeof key || strcspn(name, " \t\r\n\"'") < kl)
			continue;
		memcpy(key, name, kl);
		key[kl] = '\0';
		if (pi_attr(tc->pi, key, buf, sizeof buf) == NULL)
			continue;
		test_case_attribute(t, tc, key, buf);
	}
	if (tc->crl_path && (tc->trust == NULL || rd_trust_add_crl(tc->trust, tc->crl_path) != RD_OK))
		padd(tc->problems, sizeof tc->problems, &tc->plen, " cannot load %s: %s;", tc->crl_path,
		     tc->trust ? rd_error_last()->message : "crl= needs trust=");
	co->trust = tc->trust;
	co->docs = tc->cdocs;
	co->ndocs = tc->ndocs;
	co->tables = (const rd_data_table *const *)tc->tables;
	co->ntables = tc->ntables;
	co->params = tc->params;
	co->nparams = tc->nparams;
}

/* The next id of a comma/space separated list at *p: its start, its length in *n (0 at
 * the end); *p moves past it. */
static const char *next_id(const char **p, size_t *n)
{
	const char *s;

	while (**p == ' ' || **p == ',')
		(*p)++;
	s = *p;
	while (**p && **p != ' ' && **p != ',')
		(*p)++;
	*n = (size_t)(*p - s);
	return s;
}

/* The finding of the report whose rule is the id s (n bytes), or NULL. */
static const rd_finding *report_find(const rd_report *rep, const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < rd_report_count(rep); k++) {
		const char *id = rd_finding_get(rd_report_finding(rep, k), RD_FIELD_RULE);

		if (id && strlen(id) == n && strncmp(id, s, n) == 0)
			return rd_report_finding(rep, k);
	}
	return NULL;
}

/* Mark the rules that fired; an evaluation or structure error not expected by fires is a
 * problem. */
static void test_note_fired(test_run *t, test_case *tc, const rd_report *rep)
{
	size_t i;

	for (i = 0; i < rd_report_count(rep); i++) {
		const rd_finding *fd = rd_report_finding(rep, i);
		const char *id = rd_finding_get(fd, RD_FIELD_RULE);
		rule_cov *c = id ? cov_find(t, id, strlen(id)) : NULL;

		if (c)
			c->ever_fired = 1;
		if (rd_finding_kind(fd) == RD_KIND_EVAL_ERROR || rd_finding_kind(fd) == RD_KIND_SCHEMA) {
			if (!in_list(tc->fires, id ? id : "")) {
				padd(tc->problems, sizeof tc->problems, &tc->plen, " %s %s: %s;",
				     rd_finding_kind(fd) == RD_KIND_SCHEMA ? "structure error"
				                                           : "evaluation error",
				     id ? id : "", rd_finding_get(fd, RD_FIELD_MESSAGE));
			}
		}
		if (tc->plen >= sizeof tc->problems - 64)
			break;
	}
}

/* fires: each a rule of the pack (or XSD) that fired; not-fires: each a rule of the pack
 * that did not. */
static void test_expectations(test_run *t, test_case *tc, const rd_report *rep)
{
	const char *p, *s;
	size_t n;

	for (p = tc->fires; *p && tc->plen < sizeof tc->problems - 64;) {
		s = next_id(&p, &n);
		if (n == 0)
			break;
		if (cov_find(t, s, n) == NULL && !(n == 3 && strncmp(s, "XSD", 3) == 0))
			padd(tc->problems, sizeof tc->problems, &tc->plen,
			     " %.*s is not a rule of the pack;", (int)n, s);
		if (report_find(rep, s, n) == NULL)
			padd(tc->problems, sizeof tc->problems, &tc->plen, " %.*s did not fire;", (int)n,
			     s);
	}
	for (p = tc->notf; *p && tc->plen < sizeof tc->problems - 64;) {
		const rd_finding *fd;

		s = next_id(&p, &n);
		if (n == 0)
			break;
		if (cov_find(t, s, n) == NULL)
			padd(tc->problems, sizeof tc->problems, &tc->plen,
			     " %.*s is not a rule of the pack;", (int)n, s);
		fd = report_find(rep, s, n);
		if (fd)
			padd(tc->problems, sizeof tc->problems, &tc->plen, " %.*s fired (%s);", (int)n, s,
			     rd_finding_get(fd, RD_FIELD_MESSAGE));
	}
}

/* The verdict: FAIL with the problems, or a pass credited to the coverage. */
static void test_verdict(test_run *t, const test_case *tc)
{
	size_t i;

	if (tc->plen) {
		printf("FAIL %s:%s\n", cli_safe(tc->path), cli_safe(tc->problems));
		t->failed++;
		return;
	}
	/* credit the coverage only to passing tests */
	for (i = 0; i < t->ncov; i++) {
		if (in_list(tc->fires, t->cov[i].id))
			t->cov[i].fired_ok = 1;
		if (in_list(tc->notf, t->cov[i].id))
			t->cov[i].held_ok = 1;
	}
	if (t->verbose)
		printf("ok   %s\n", cli_safe(tc->path));
	t->passed++;
}

static void test_case_free(test_case *tc)
{
	size_t i;

	for (i = 0; i < tc->ndocs; i++) {
		rd_document_free(tc->extra[i]);
		if (strcmp(tc->cdocs[i].role, "licence") != 0)
			free((char *)(uintptr_t)tc->cdocs[i].role);
	}
	for (i = 0; i < tc->ntables; i++)
		rd_data_table_free(tc->tables[i]);
	for (i = 0; i < tc->nparams; i++) {
		free(tc->param_names[i]);
		free(tc->param_values[i]);
	}
	rd_trust_free(tc->trust);
	free(tc->crl_path);
	free(tc->dir);
	free(tc->text);
}

/* Run one file of a pack's tests: read it, build its case, check it, compare. */
static void run_test_file(test_run *t, const char *path)
{
	test_case *tc = calloc(1, sizeof *tc);
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_document *doc = NULL;
	rd_report *rep = NULL;

	if (tc == NULL) {
		printf("FAIL %s: out of memory\n", cli_safe(path));
		t->failed++;
		return;
	}
	tc->path = path;
	tc->pi_line = 1;
	if (test_read(t, tc) < 0 || test_instruction(t, tc, &co) <= 0)
		goto done;
	tc->dir = dir_of(path);
	test_case_read(t, tc, &co);
	if (tc->plen) {
		test_verdict(t, tc);
		goto done;
	}
	if (rd_document_load_memory(&doc, tc->text, tc->len, path, NULL) != RD_OK ||
	    rd_check(&rep, t->rules, doc, &co) != RD_OK) {
		printf("FAIL %s: %s\n", cli_safe(path), cli_safe(rd_error_last()->message));
		t->failed++;
		goto done;
	}
	test_note_fired(t, tc, rep);
	test_expectations(t, tc, rep);
	test_verdict(t, tc);
done:
	rd_report_free(rep);
	rd_document_free(doc);
	test_case_free(tc);
	free(tc);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAX_TEST_DEPTH 32

static void walk(test_run *t, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	struct stat ds;

	if (depth > MAX_TEST_DEPTH) {
		printf("FAIL %s: test directories nested more than %d deep\n", dir, MAX_TEST_DEPTH);
		t->failed++;
		return;
	}
	if (stat(dir, &ds) == 0) {
		for (i = 0; i < t->nwalked; i++)
			if (t->walked[i].dev == ds.st_dev && t->walked[i].ino == ds.st_ino)
				return; /* seen before, through a link */
		if (t->nwalked == t->capwalked) {
			size_t ncap = t->capwalked ? t->capwalked * 2 : 16;
			struct walked *nw = realloc(t->walked, ncap * sizeof *nw);

			if (nw == NULL) {
				printf("FAIL %s: out of memory\n", dir);
				t->failed++;
				return;
			}
			t->walked = nw;
			t->capwalked = ncap;
		}
		t->walked[t->nwalked].dev = ds.st_dev;
		t->walked[t->nwalked++].ino = ds.st_ino;
	}
	d = opendir(dir);
	if (d == NULL) {
		printf("FAIL %s: cannot read the directory: %s\n", cli_safe(dir), strerror(errno));
		t->failed++;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *nn);

			if (nn == NULL)
				break;
			names = nn;
		}
		names[n] = join(dir, e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_name); /* a stable order */
	for (i = 0; i < n; i++) {
		struct stat st;
		size_t l = strlen(names[i]);

		if (!test_may_read(t, names[i])) {
			/* a symbolic link out of the tests and the pack: neither followed nor read */
			cli_error("%s: a symbolic link out of the test directory and the pack (refused)",
			          names[i]);
			printf("FAIL %s: refused (a link out of the test directory)\n", names[i]);
			t->failed++;
			t->refused++;
		} else if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(t, names[i], depth + 1);
		else if (l > 4 && strcmp(names[i] + l - 4, ".xml") == 0)
			run_test_file(t, names[i]);
		free(names[i]);
	}
	free(names);
}

static int rules_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tests", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "max-ops", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tests = NULL;
	test_run t;
	size_t i, untested = 0, never = 0;
	int c;

	memset(&t, 0, sizeof t);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tests = optarg;
			break;
		case 'm':
			if (cli_max_ops("rules test", optarg, &t.max_ops) != 0)
				return EXIT_USAGE;
			break;
		case 'v':
			t.verbose = 1;
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		default:
			return cli_usage_error("rules test", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("rules test", "give one PACK");
	if (load(&t.rules, argv[optind]) < 0)
		return EXIT_INPUT;
	if (tests == NULL && rd_rules_test_dir_count(t.rules) == 0) {
		cli_error("%s has no tests (a <tests href=\"...\"/> in pack.xml); give --tests DIR",
		          argv[optind]);
		rd_rules_free(t.rules);
		return EXIT_USAGE;
	}
	t.ncov = rd_rules_assertion_count(t.rules);
	t.cov = calloc(t.ncov + 1, sizeof *t.cov);
	if (t.cov == NULL) {
		rd_rules_free(t.rules);
		cli_error("out of memory");
		return EXIT_INPUT;
	}
	for (i = 0; i < t.ncov; i++) {
		const char *id = rd_assertion_get(rd_rules_assertion(t.rules, i), RD_FIELD_RULE);

		t.cov[i].id = id ? id : "";
	}
	{
		/* the pack's directory: PACK, or the directory of the file PACK names */
		struct stat st;
		const char *slash = strrchr(argv[optind], '/');
		char *pdir = stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)
		                 ? strdup(argv[optind])
		             : slash ? strndup(argv[optind], (size_t)(slash - argv[optind]) + 1)
		                     : strdup(".");

		t.pack_root = pdir ? resolve(pdir) : NULL;
		free(pdir);
	}
	if (tests) {
		t.test_root = resolve(tests);
		walk(&t, tests, 0);
	} else {
		/* the pack's tests and those of the packs it extends */
		for (i = 0; i < rd_rules_test_dir_count(t.rules); i++) {
			t.test_root = resolve(rd_rules_test_dir(t.rules, i));
			walk(&t, rd_rules_test_dir(t.rules, i), 0);
			free(t.test_root);
			t.test_root = NULL;
		}
	}
	free(t.test_root);
	free(t.pack_root);
	free(t.walked);
	printf("%zu test%s: %zu passed, %zu failed\n", t.files, t.files == 1 ? "" : "s", t.passed,
	       t.failed);
	for (i = 0; i < t.ncov; i++) {
		if (t.cov[i].id[0] == '\0' || cov_find(&t, t.cov[i].id, strlen(t.cov[i].id)) != &t.cov[i])
			continue; /* no id, or an id seen before (is-a instances) */
		if (!t.cov[i].ever_fired) {
			printf("never fired: %s\n", cli_safe(t.cov[i].id));
			never++;
		}
		if (!t.cov[i].fired_ok || !t.cov[i].held_ok) {
			printf("untested: %s (%s)\n", cli_safe(t.cov[i].id),
			       !t.cov[i].fired_ok && !t.cov[i].held_ok ? "no test where it fires, none where it does not"
			       : !t.cov[i].fired_ok                    ? "no passing test where it fires"
			                                               : "no passing test where it does not fire");
			untested++;
		}
	}
	printf("coverage: %zu of %zu rules tested both ways; %zu never fired\n",
	       t.ncov - untested, t.ncov, never);
	free(t.cov);
	rd_rules_free(t.rules);
	if (fflush(stdout) != 0 || t.refused)
		return EXIT_INPUT;
	return t.failed || untested || t.files == 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---------------------------------------------------------------- manifest, sign, verify */

static int rules_manifest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	char *data = NULL, *path = NULL;
	size_t len = 0, nfiles = 0, i;
	FILE *f;
	int c, status = EXIT_CLEAN;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("rules manifest", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("rules manifest", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("rules manifest", "give one PACK directory");
	if (rd_pack_manifest(&data, &len, argv[optind]) != RD_OK) {
		cli_lib_error();
		return rd_error_last()->code == RD_EINVAL ? EXIT_USAGE : EXIT_INPUT;
	}
	for (i = 0; i < len; i++)
		nfiles += data[i] == '\n';
	if (output == NULL) {
		path = malloc(strlen(argv[optind]) + sizeof "/" RD_PACK_MANIFEST);
		if (path == NULL) {
			rd_free(data);
			cli_error("out of memory");
			return EXIT_INPUT;
		}
		sprintf(path, "%s/%s", argv[optind], RD_PACK_MANIFEST);
		output = path;
	}
	f = strcmp(output, "-") == 0 ? stdout : fopen(output, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fflush(f) != 0 ||
	    (f != stdout && fclose(f) != 0)) {
		cli_error("cannot write %s: %s", output, strerror(errno));
		status = EXIT_INPUT;
	} else if (f != stdout) {
		printf("%s: %zu file%s\n", cli_safe(output), nfiles - 1, nfiles == 2 ? "" : "s");
	}
	rd_free(data);
	free(path);
	return status;
}

static int rules_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_SIGNER_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	rd_pack_sign_options so = RD_PACK_SIGN_OPTIONS_INIT;
	cli_signer signer;
	struct stat st;
	int c, rc;

	memset(&signer, 0, sizeof signer);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:c:h", opts, NULL)) != -1) {
		if (cli_signer_option(&signer, c, optarg))
			continue;
		switch (c) {
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("rules sign", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("rules sign", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1) {
		if (signer.key == NULL || signer.cert == NULL)
			return cli_signer_ready(&signer, "rules sign"); /* says what is missing */
		return cli_usage_error("rules sign", "give one PACK (or FILE)");
	}
	if ((rc = cli_signer_ready(&signer, "rules sign")) != 0)
		return rc;
	so.key = signer.key;
	so.cert = signer.cert;
	so.chain = signer.chain;
	so.key_password = signer.has_password ? signer.password : NULL;
	rc = rd_pack_sign(argv[optind], &so);
	cli_signer_clear(&signer);
	if (rc != RD_OK) {
		cli_lib_error();
		return EXIT_INPUT;
	}
	if (stat(argv[optind], &st) == 0 && S_ISREG(st.st_mode) &&
	    !(strlen(argv[optind]) >= 8 && strcmp(argv[optind] + strlen(argv[optind]) - 8, "pack.xml") == 0))
		printf("%s: signed (%s%s)\n", cli_safe(argv[optind]), cli_safe(argv[optind]),
		       RD_PACK_FILE_SIG_SUFFIX);
	else
		printf("%s: signed (%s, %s)\n", cli_safe(argv[optind]), RD_PACK_MANIFEST, RD_PACK_SIGNATURE);
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_INPUT;
}

static void json_field(const char *name, const char *value, int *first)
{
	printf("%s\"%s\":", *first ? "" : ",", name);
	*first = 0;
	if (value)
		cli_json_string(stdout, value);
	else
		fputs("null", stdout);
}

static int rules_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "crl", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *label, *json;
		rd_pack_field field;
	} fields[] = {
		{ "signer", "signer", RD_PACK_SIGNER },
		{ "issuer", "issuer", RD_PACK_ISSUER },
		{ "serial", "serial", RD_PACK_SERIAL },
		{ "valid from", "not_before", RD_PACK_NOT_BEFORE },
		{ "valid to", "not_after", RD_PACK_NOT_AFTER },
		{ "signed on", "signing_time", RD_PACK_SIGNING_TIME },
		{ "digest", "digest", RD_PACK_DIGEST },
		{ "checked at", "checked_at", RD_PACK_CHECKED_AT },
	};
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_pack_verification *v = NULL;
	rd_trust *trust = NULL;
	const char *trust_path = NULL, *crl_path = NULL;
	int c, json = 0, quiet = 0, ok, first = 1;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:d:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			trust_path = optarg;
			break;
		case 'c':
			crl_path = optarg;
			break;
		case 'd':
			if (!cli_valid_date(optarg) &&
			    !(strlen(optarg) == 20 && optarg[10] == 'T' && optarg[19] == 'Z' &&
			      strspn(optarg, "0123456789-T:Z") == 20))
				return cli_usage_error("rules verify",
				                       "--as-of '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
				                       optarg);
			vo.as_of = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error("rules verify", "unknown format '%s' (text or json)", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("rules verify", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("rules verify", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (trust_path == NULL)
		return cli_usage_error("rules verify", "give --trust FILE|DIR (the certificates that may "
		                                       "sign rule packs)");
	if (argc - optind != 1)
		return cli_usage_error("rules verify", "give one PACK (or FILE)");
	if (rd_trust_load(&trust, trust_path) != RD_OK ||
	    (crl_path && rd_trust_add_crl(trust, crl_path) != RD_OK)) {
		cli_lib_error();
		rd_trust_free(trust);
		return EXIT_INPUT;
	}
	if (rd_pack_verify(&v, trust, argv[optind], &vo) != RD_OK) {
		cli_lib_error();
		rd_trust_free(trust);
		return rd_error_last()->code == RD_EINVAL ? EXIT_USAGE : EXIT_INPUT;
	}
	rd_trust_free(trust);
	ok = rd_pack_verification_status(v) == RD_SIG_OK;
	if (json) {
		printf("{");
		json_field("path", argv[optind], &first);
		printf(",\"verified\":%s", ok ? "true" : "false");
		json_field("status", rd_sig_status_name(rd_pack_verification_status(v)), &first);
		json_field("message", rd_pack_verification_get(v, RD_PACK_MESSAGE), &first);
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
			json_field(fields[i].json, rd_pack_verification_get(v, fields[i].field), &first);
		printf(",\"warnings\":[");
		for (i = 0; i < rd_pack_verification_warning_count(v); i++) {
			printf("%s", i ? "," : "");
			cli_json_string(stdout, rd_pack_verification_warning(v, i));
		}
		printf("]");
		printf(",\"files\":%zu,\"problems\":[", rd_pack_verification_file_count(v));
		for (i = 0; i < rd_pack_verification_problem_count(v); i++) {
			const char *detail;
			int kind;
			const char *file = rd_pack_verification_problem(v, i, &kind, &detail);

			first = 1;
			printf("%s{", i ? "," : "");
			json_field("file", file, &first);
			json_field("problem", rd_pack_problem_name(kind), &first);
			json_field("detail", detail, &first);
			printf("}");
		}
		printf("]}\n");
	} else {
		if (ok)
			printf("%s: verified\n", cli_safe(argv[optind]));
		else
			printf("%s: NOT VERIFIED: %s\n", cli_safe(argv[optind]),
			       cli_safe(rd_pack_verification_get(v, RD_PACK_MESSAGE)));
		for (i = 0; !quiet && i < rd_pack_verification_problem_count(v); i++) {
			const char *detail;
			const char *file = rd_pack_verification_problem(v, i, NULL, &detail);

			printf("  %s: %s\n", cli_safe(file), cli_safe(detail));
		}
		for (i = 0; !quiet && i < rd_pack_verification_warning_count(v); i++)
			printf("  %-11s %s\n", "warning", cli_safe(rd_pack_verification_warning(v, i)));
		for (i = 0; !quiet && i < sizeof fields / sizeof fields[0]; i++) {
			const char *val = rd_pack_verification_get(v, fields[i].field);

			if (val)
				printf("  %-11s %s%s\n", fields[i].label, cli_safe(val),
				       fields[i].field == RD_PACK_SIGNING_TIME ? " (as the signer states)" : "");
		}
		if (!quiet && ok)
			printf("  %-11s %zu\n", "files", rd_pack_verification_file_count(v));
	}
	rd_pack_verification_free(v);
	if (fflush(stdout) != 0)
		return EXIT_INPUT;
	return ok ? EXIT_CLEAN : EXIT_FINDINGS;
}

int cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		rules_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		rules_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "list") == 0)
		return rules_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return rules_lint(argc - 1, argv + 1);
	if (strcmp(argv[1], "test") == 0)
		return rules_test(argc - 1, argv + 1);
	if (strcmp(argv[1], "manifest") == 0)
		return rules_manifest(argc - 1, argv + 1);
	if (strcmp(argv[1], "sign") == 0)
		return rules_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return rules_verify(argc - 1, argv + 1);
	return cli_usage_error("rules", "unknown subcommand '%s' (list, lint, test, manifest, sign or verify)",
	                       argv[1]);
}
