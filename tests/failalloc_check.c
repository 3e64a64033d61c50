/* rahdari tests: every allocation of a small check made to fail, one at a time.
 *
 * Run with tests/failalloc.so preloaded (tests/failalloc.sh does it). For each case, the
 * check runs once as it should (the expected report) and once counting the allocations
 * it makes; then, for every N up to that count, a child process fails the Nth
 * allocation made inside rd_check() (or rd_audit_memory()) -- that one only, or that one
 * and every later one ("sticky": memory gone for good) -- and the result is classified:
 *   same      the report equals the expected one exactly (the failure was recovered)
 *   refused   rd_check returned RD_ENOMEM (the audit: RD_ENOMEM, or the record an
 *             evaluation-error finding that says it could not be checked)
 *   eval      the report has an evaluation-error finding the expected one has not
 *   SILENT    anything else: a clean, shorter or different report -- a failure that
 *             rahdari hid. The test fails.
 *   CRASH     the child died of a signal. The test fails.
 * libxml2 2.9.14 dereferences NULL when xmlXPathCompiledEval() cannot allocate its parser
 * context (fixed upstream in 2.10): no caller can recover from that, so the two
 * allocations it makes are found first (traced on a bare evaluation) and spared; the N
 * that fall on them are counted as "spared", and the summary says how many.
 * Options: -v lists every N that is not "same"; -c CASE runs one case; -s STEP sweeps
 * every STEPth N only (for a quick look); -n N [-S] runs N alone (sticky with -S) in this
 * process and prints the outcome (for a debugger).
 * SPDX-License-Identifier: MIT */
/* dladdr(), dl_iterate_phdr() */
#define _GNU_SOURCE 1
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/xpath.h>

#include <rahdari.h>

typedef void (*arm_fn)(unsigned long n, int sticky);
typedef unsigned long (*disarm_fn)(void);
typedef int (*injected_fn)(void);

static arm_fn fa_arm;
static disarm_fn fa_disarm;
static injected_fn fa_injected;

enum { R_SAME = 0, R_SPARED, R_REFUSED, R_EVAL, R_SILENT, R_CRASH, R_N };
static const char *const rname[R_N] = { "same", "spared", "refused", "eval", "SILENT", "CRASH" };

typedef void *(*caller_fn)(void);
typedef void (*spare_fn)(void *caller);
static caller_fn fa_caller;
static spare_fn fa_spare;
static void *spared_at[2];

/* The two allocations of xmlXPathCompiledEval's parser context: the first two calls of an
 * evaluation, traced (mode 2 fails nothing). */
static int find_spared(void)
{
	xmlXPathContextPtr xp = xmlXPathNewContext(NULL);
	xmlXPathCompExprPtr e = xmlXPathCompile((const xmlChar *)"1");
	int i;

	if (xp == NULL || e == NULL)
		return -1;
	xmlXPathContextSetCache(xp, 1, -1, 0);
	for (i = 0; i < 2; i++) {
		fa_arm((unsigned long)i + 1, 2);
		xmlXPathFreeObject(xmlXPathCompiledEval(e, xp));
		fa_disarm();
		spared_at[i] = fa_caller();
		if (spared_at[i] == NULL)
			return -1;
		fa_spare(spared_at[i]);
	}
	xmlXPathFreeCompExpr(e);
	xmlXPathFreeContext(xp);
	return 0;
}

/* The same as LIB:OFFSET,OFFSET for RD_FAILALLOC_SPARE. */
static int print_spared(void)
{
	Dl_info a, b;
	const char *name;

	if (!dladdr(spared_at[0], &a) || !dladdr(spared_at[1], &b) || a.dli_fbase != b.dli_fbase ||
	    a.dli_fname == NULL)
		return 1;
	name = strrchr(a.dli_fname, '/');
	printf("%s:%lx,%lx\n", name ? name + 1 : a.dli_fname,
	       (unsigned long)((char *)spared_at[0] - (char *)a.dli_fbase),
	       (unsigned long)((char *)spared_at[1] - (char *)a.dli_fbase));
	return 0;
}

/* ---------------------------------------------------------------- the cases */

/* A schema that uses the functions that build strings: matches, concat, string-join,
 * translate, the case functions, dates, variables (lazy), value-of, diagnostics, subject. */
static const char schema_b[] =
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt'>"
	"<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
	"<sch:let name='prefix' value='\"IT\"'/>"
	"<sch:pattern id='items'>"
	"<sch:rule context='item'>"
	"<sch:let name='label' value='concat(@code, \"-\", fn:upper-case(@name), \"/\", $prefix)'/>"
	"<sch:let name='all' value='fn:string-join(../item/@code, \",\")'/>"
	"<sch:assert id='code-form' test='fn:matches(@code, \"[A-Z]{2}[0-9]+\")'"
	" diagnostics='d1'>Item <sch:value-of select='$label'/> has a bad code"
	" (codes: <sch:value-of select='$all'/>).</sch:assert>"
	"<sch:report id='remark' test='fn:matches(fn:lower-case(remark), \".*passports?.*\")'"
	" subject='remark'>Remark of <sch:value-of select='$label'/>:"
	" <sch:value-of select='translate(remark, \"abcé\", \"ABCÉ\")'/></sch:report>"
	"<sch:report id='late' test='fn:days-between(@from, fn:today()) &gt; 30'>"
	"<sch:name/> <sch:value-of select='fn:add-days(@from, 30)'/> is past.</sch:report>"
	"</sch:rule>"
	"</sch:pattern>"
	"<sch:diagnostics><sch:diagnostic id='d1'>Code <sch:value-of select='@code'/>,"
	" name <sch:value-of select='fn:lower-case(@name)'/>.</sch:diagnostic></sch:diagnostics>"
	"</sch:schema>";

static const char doc_b[] =
	"<r>"
	"<item code='AB12' name='one' from='2026-01-01'><remark>nothing</remark></item>"
	"<item code='x9' name='two' from='2026-11-20'><remark>He keeps the PASSPORTS, café</remark></item>"
	"<item code='CD7' name='three' from='2025-05-05'><remark>passport</remark></item>"
	"</r>";

typedef struct tcase {
	const char *name;
	int audit;
	unsigned long stride; /* sweep every stride-th N (times -s) */
	rd_rules *rules;
	rd_document *doc;      /* checks */
	const char *data;      /* audits */
	rd_check_options co;
} tcase;

/* The findings of a report as text, into a fixed buffer (no allocation: the callback of an
 * audit runs while the injector is armed). */
static void describe(const rd_report *r, char *buf, size_t cap, int *has_eval)
{
	size_t i, len = strlen(buf);

	for (i = 0; i < rd_report_count(r) && len + 1 < cap; i++) {
		const rd_finding *f = rd_report_finding(r, i);
		int n;

		if (rd_finding_kind(f) == RD_KIND_EVAL_ERROR)
			*has_eval = 1;
		n = snprintf(buf + len, cap - len, "%s|%s|%s|%ld|%s|%s\n",
		             rd_kind_name(rd_finding_kind(f)),
		             rd_finding_get(f, RD_FIELD_RULE) ? rd_finding_get(f, RD_FIELD_RULE) : "-",
		             rd_finding_get(f, RD_FIELD_LOCATION), rd_finding_line(f),
		             rd_finding_get(f, RD_FIELD_MESSAGE),
		             rd_severity_name(rd_finding_severity(f)));
		if (n < 0)
			break;
		len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
	}
}

typedef struct audit_out {
	char *buf;
	size_t cap;
	int has_eval;
	unsigned long records;
} audit_out;

static int on_record(const rd_audit_record *rec, void *payload)
{
	audit_out *o = payload;
	size_t len = strlen(o->buf);

	if (len + 32 < o->cap)
		snprintf(o->buf + len, o->cap - len, "record %lu\n", (unsigned long)rec->index);
	describe(rec->report, o->buf, o->cap, &o->has_eval);
	o->records++;
	return 0;
}

#define OUT_CAP (1u << 20)

/* Run the case; its outcome as text in out (NUL-terminated), the status returned. When arm
 * is set, the injector is armed (n, sticky) around the library call only. */
static int run_case(const tcase *t, char *out, int arm, unsigned long n, int sticky,
                    unsigned long *count, int *has_eval)
{
	int rc;

	out[0] = '\0';
	*has_eval = 0;
	if (t->audit) {
		rd_audit_options ao = RD_AUDIT_OPTIONS_INIT;
		audit_out o = { out, OUT_CAP, 0, 0 };

		ao.jobs = 1;
		ao.check = t->co;
		if (arm)
			fa_arm(n, sticky);
		rc = rd_audit_memory(t->rules, t->data, strlen(t->data), "audit.xml", &ao, on_record,
		                     NULL, &o, NULL);
		if (arm)
			*count = fa_disarm();
		*has_eval = o.has_eval;
		return rc;
	} else {
		rd_report *r = NULL;

		if (arm)
			fa_arm(n, sticky);
		rc = rd_check(&r, t->rules, t->doc, &t->co);
		if (arm)
			*count = fa_disarm();
		if (rc == RD_OK) {
			describe(r, out, OUT_CAP, has_eval);
			rd_report_free(r);
		}
		return rc;
	}
}

static int classify(const tcase *t, const char *expected, int n_rc, const char *got, int got_eval,
                    unsigned long records_hint)
{
	(void)records_hint;
	if (!fa_injected())
		return R_SPARED; /* (or past the end) */
	if (n_rc == RD_OK && strcmp(expected, got) == 0)
		return R_SAME;
	/* an audit stops with the status of what it cannot read (its input's reader may say
	 * RD_EPARSE of an allocation that failed): a refusal too */
	if (n_rc == RD_ENOMEM || (t->audit && n_rc != RD_OK))
		return R_REFUSED;
	if (n_rc == RD_OK && got_eval) {
		/* an audit record that could not be checked says so as the record's finding */
		if (t->audit && strstr(got, "could not be checked") != NULL)
			return R_REFUSED;
		return R_EVAL;
	}
	return R_SILENT;
}

/* Where the failure was injected: the function that called the allocator. */
static void print_caller(void)
{
	void *at = fa_caller();
	Dl_info info;
	const char *lib;

	memset(&info, 0, sizeof info);
	if (at == NULL || !dladdr(at, &info)) {
		printf("    injected in a call from %p\n", at);
		return;
	}
	lib = info.dli_fname ? strrchr(info.dli_fname, '/') : NULL;
	if (info.dli_sname)
		printf("    injected in a call from %s+%#lx (%s)\n", info.dli_sname,
		       (unsigned long)((char *)at - (char *)info.dli_saddr), lib ? lib + 1 : "?");
	else
		printf("    injected in a call from %s+%#lx\n", lib ? lib + 1 : "?",
		       (unsigned long)((char *)at - (char *)info.dli_fbase));
}

/* A crash in a child: its stack, then the signal's own end. */
static void on_crash(int sig)
{
	static const char msg[] = "    crashed; stack:\n";
	void *frames[32];
	int n = backtrace(frames, 32);

	if (write(1, msg, sizeof msg - 1) < 0) {
		/* nothing to do */
	}
	backtrace_symbols_fd(frames, n, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One N, in this process. */
static int single(const tcase *t, unsigned long n, int sticky)
{
	static char expected[OUT_CAP], got[OUT_CAP];
	unsigned long count = 0;
	int rc, has_eval, cls;

	/* as the sweep does: the expected run, the counting run, then this one */
	run_case(t, expected, 0, 0, 0, &count, &has_eval);
	run_case(t, got, 1, 0, 0, &count, &has_eval);
	rc = run_case(t, got, 1, n, sticky, &count, &has_eval);
	cls = classify(t, expected, rc, got, has_eval, 0);
	{
		void *(*caller)(void) = (void *(*)(void))(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_caller");
		Dl_info info;
		void *at = caller ? caller() : NULL;

		memset(&info, 0, sizeof info);
		if (at)
			dladdr(at, &info);
		printf("%s N=%lu%s: %s (%s: %s; failure injected: %s, called from %p %s+%#lx in %s)\n%s",
		       t->name, n, sticky ? " sticky" : "", rname[cls], rd_status_name(rc),
		       rd_error_last()->message, fa_injected() ? "yes" : "no", at,
		       info.dli_sname ? info.dli_sname : "?",
		       (unsigned long)((char *)at - (char *)info.dli_saddr),
		       info.dli_fname ? info.dli_fname : "?", cls == R_SAME ? "" : got);
	}
	return cls == R_SILENT;
}

static int sweep(const tcase *t, int sticky, unsigned long step, int verbose)
{
	static char expected[OUT_CAP], got[OUT_CAP];
	unsigned long total = 0, n, tally[R_N] = { 0 };
	int rc, has_eval, i;

	rc = run_case(t, expected, 0, 0, 0, &total, &has_eval);
	if (rc != RD_OK || has_eval) {
		fprintf(stderr, "%s: the expected run fails (%s: %s) or has an evaluation error\n",
		        t->name, rd_status_name(rc), rd_error_last()->message);
		return 1;
	}
	run_case(t, got, 1, 0, 0, &total, &has_eval);
	if (strcmp(expected, got) != 0) {
		fprintf(stderr, "%s: a counting run differs from the expected one\n", t->name);
		return 1;
	}
	for (n = 1; n <= total; n += step) {
		pid_t pid;
		int status, cls;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			unsigned long c = 0;
			int nrc;

			if (verbose) {
				printf("  %s N=%lu%s:\n", t->name, n, sticky ? " sticky" : "");
				fflush(stdout);
				signal(SIGSEGV, on_crash);
				signal(SIGBUS, on_crash);
				signal(SIGABRT, on_crash);
			}
			nrc = run_case(t, got, 1, n, sticky, &c, &has_eval);
			cls = classify(t, expected, nrc, got, has_eval, 0);
			if (cls != R_SAME && cls != R_SPARED && verbose) {
				const char *e = rd_error_last()->message;

				printf("    %s (%s%s%s)\n", rname[cls], rd_status_name(nrc),
				       nrc != RD_OK ? ": " : "", nrc != RD_OK ? e : "");
				print_caller();
				if (cls == R_SILENT)
					printf("    expected:\n%s    got:\n%s", expected, got);
				fflush(stdout);
			}
			_exit(cls);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("waitpid");
				return 1;
			}
		if (WIFEXITED(status) && WEXITSTATUS(status) < R_CRASH)
			cls = WEXITSTATUS(status);
		else {
			cls = R_CRASH;
			if (verbose)
				printf("    CRASH (%s %d)\n", WIFSIGNALED(status) ? "signal" : "exit",
				       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		}
		tally[cls]++;
	}
	printf("%s%s: %lu allocations, every %lu:", t->name, sticky ? " (sticky)" : " (one-shot)",
	       total, step);
	for (i = 0; i < R_N; i++)
		printf(" %s %lu%s", rname[i], tally[i], i + 1 < R_N ? "," : "\n");
	fflush(stdout);
	return tally[R_SILENT] || tally[R_CRASH] ? 1 : 0;
}

static char *srcpath(const char *rel)
{
	const char *src = getenv("srcdir");
	size_t n;
	char *p;

	if (src == NULL || *src == '\0')
		src = ".";
	n = strlen(src) + strlen(rel) + 2;
	p = malloc(n);
	if (p == NULL)
		exit(99);
	snprintf(p, n, "%s/%s", src, rel);
	return p;
}

int main(int argc, char **argv)
{
	const char *san = getenv("RD_SANITIZERS");
	const char *only = NULL;
	unsigned long step = 1, one = 0;
	int verbose = 0, failed = 0, opt, one_sticky = 0, print = 0;
	size_t i;
	tcase cases[4];
	char *path;
	rd_check_options co = RD_CHECK_OPTIONS_INIT;

	while ((opt = getopt(argc, argv, "vc:s:n:Sp")) != -1) {
		switch (opt) {
		case 'p': print = 1; break;
		case 'v': verbose = 1; break;
		case 'n': one = strtoul(optarg, NULL, 10); break;
		case 'S': one_sticky = 1; break;
		case 'c': only = optarg; break;
		case 's': step = strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: failalloc_check [-v] [-c CASE] [-s STEP | -n N [-S]] | -p\n");
			return 2;
		}
	}
	if (step == 0)
		step = 1;
	if ((san && strcmp(san, "yes") == 0) || getenv("RD_UNDER_VALGRIND")) {
		printf("SKIP: the allocation-failure injector does not work with the sanitizers' or "
		       "valgrind's allocator\n");
		return 77;
	}
	fa_arm = (arm_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_arm");
	fa_disarm = (disarm_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_disarm");
	fa_injected = (injected_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_injected");
	fa_caller = (caller_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_caller");
	fa_spare = (spare_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "failalloc_spare");
	if (!fa_arm || !fa_disarm || !fa_injected || !fa_caller || !fa_spare) {
		printf("SKIP: tests/failalloc.so is not preloaded (run tests/failalloc.sh)\n");
		return 77;
	}
	{
		/* load the unwinder now: backtrace() after a crash must not allocate */
		void *frames[2];

		backtrace(frames, 2);
	}
	if (find_spared() < 0) {
		fprintf(stderr, "failalloc_check: cannot trace xmlXPathCompiledEval's allocations\n");
		return 99;
	}
	if (print)
		return print_spared();

	memset(cases, 0, sizeof cases);
	co.as_of = "2026-12-01";
	/* A: the starter pack on a booking with three errors (MRZ, dates, tables) */
	cases[0].name = "starter";
	cases[0].co = co;
	path = srcpath("rules/starter");
	if (rd_rules_load(&cases[0].rules, path, NULL) != RD_OK)
		goto lib_error;
	free(path);
	path = srcpath("examples/bookings/expired-passport.xml");
	if (rd_document_load_file(&cases[0].doc, path, NULL) != RD_OK)
		goto lib_error;
	free(path);
	path = NULL;
	/* B: the string functions */
	cases[1].name = "strings";
	cases[1].co = co;
	if (rd_rules_load_memory(&cases[1].rules, schema_b, sizeof schema_b - 1, "b.sch", NULL,
	                         NULL) != RD_OK ||
	    rd_document_load_memory(&cases[1].doc, doc_b, sizeof doc_b - 1, "b.xml", NULL) != RD_OK)
		goto lib_error;
	/* C: the same as an audit of three records */
	cases[2].name = "audit";
	cases[2].audit = 1;
	cases[2].co = co;
	cases[2].rules = cases[1].rules;
	cases[2].data = doc_b;
	/* D: the embedded pk pack on a booking with a red flag found by fn:matches, every
	 * 2nd N (3,100 allocations). Without its XSD: libxml2 2.9's schema validator crashes
	 * when some of its allocations fail (rahdari turns the failures it reports into
	 * RD_ENOMEM: see rd__xsd_validate). */
	cases[3].name = "pk";
	cases[3].co = co;
	cases[3].co.flags |= RD_CHECK_NO_XSD;
	cases[3].stride = 2;
	if (rd_rules_load_default(&cases[3].rules) != RD_OK)
		goto lib_error;
	path = srcpath("rules/pk/tests/risk/019-organiser-keeps-passports.xml");
	if (rd_document_load_file(&cases[3].doc, path, NULL) != RD_OK)
		goto lib_error;
	free(path);
	path = NULL;

	for (i = 0; i < 4; i++) {
		if (only && strcmp(only, cases[i].name) != 0)
			continue;
		if (one) {
			failed |= single(&cases[i], one, one_sticky);
			continue;
		}
		failed |= sweep(&cases[i], 0, step * (cases[i].stride ? cases[i].stride : 1), verbose);
		failed |= sweep(&cases[i], 1, step * (cases[i].stride ? cases[i].stride : 1), verbose);
	}
	for (i = 0; i < 4; i++) {
		rd_document_free(cases[i].doc);
		if (i != 2)
			rd_rules_free(cases[i].rules);
	}
	return failed ? 1 : 0;
lib_error:
	fprintf(stderr, "failalloc_check: %s\n", rd_error_last()->message);
	free(path);
	return 99;
}
