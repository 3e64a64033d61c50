/* rahdari tests: runs the public ISO Schematron conformance corpora.
 *
 * Usage: corpus_schematron [CORPUS_ROOT]
 *
 * CORPUS_ROOT is the folder holding schematron-conformance/ and schxslt/
 * (e.g. /work/shared/corpora/schematron); without an argument, $CORPORA/schematron
 * is tried. When neither exists the program prints "SKIP: ..." and exits 77.
 *
 * Two test-case formats are read (see each folder's SOURCE.txt):
 *
 *  - schematron-conformance (namespace tag:dmaus@dmaus.name,2019:Schematron:Testsuite):
 *      <testcase expect="valid|invalid|error" id="...">
 *        <documents><primary filename="..."/><secondary filename="..."/>*</documents>
 *        <schemas [phase="..."]><sch:schema/>+</schemas>
 *        <expectations><expectation test="XPath over the SVRL"/>*</expectations>
 *      </testcase>
 *  - SchXslt (namespace https://doi.org/10.5281/zenodo.5679629#):
 *      <testcase expect="...">
 *        <schemas [phase="..."]><sch:schema/>+</schemas>
 *        <documents><document filename="..."/>+</documents>   (the first is checked)
 *        <assertions><assertion assert="XPath over the SVRL"/>*</assertions>
 *      </testcase>
 *
 * For each case the documents and schemas are written to a fresh temporary
 * directory under their file names, each schema is compiled with
 * rd_rules_load() and the primary document checked with rd_check(); the report
 * is rendered as SVRL and every expectation is evaluated on it with libxml2.
 *   expect="error":   the schema must be refused (by the loader, or the check);
 *   expect="valid":   no failed-assert and no successful-report;
 *   expect="invalid": at least one of them;
 * and every expectation XPath must be true. An evaluation error is always a
 * failure. A case with several schemas must hold for each of them.
 *
 * Two explicit tables say where rahdari differs on purpose:
 *   refused_by_design: cases that need what rahdari refuses (XSLT 2/3, XSLT
 *     elements other than XSLT 1.0 keys, subordinate documents). They count as skipped when rahdari
 *     refuses them at load time with RD_EUNSUPPORTED; any other outcome is
 *     judged as usual.
 *   divergences: cases whose expectation rahdari does not meet for a documented
 *     reason. They count as divergent when they fail.
 * Everything else must pass. Exit status: 0 when nothing failed unexpectedly,
 * 1 otherwise, 77 when the corpus is missing.
 * SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <rahdari.h>

#define NS_DMAUS "tag:dmaus@dmaus.name,2019:Schematron:Testsuite"
#define NS_ZENODO "https://doi.org/10.5281/zenodo.5679629#"
#define NS_SCH "http://purl.oclc.org/dsdl/schematron"
#define NS_SVRL "http://purl.oclc.org/dsdl/svrl"

/* ---------------------------------------------------------------- the tables */

typedef struct known_case {
	const char *name;   /* folder/file stem, e.g. "core/xslt-key-01" */
	const char *reason; /* one line */
} known_case;

/* Cases that use what rahdari refuses by design at load time. */
static const known_case refused_by_design[] = {
	{ "core/pattern-subordinate-document-01",
	  "pattern/@documents: rahdari never opens files named inside a document" },
	{ "core/pattern-subordinate-document-02",
	  "pattern/@documents: rahdari never opens files named inside a document" },
	{ "core/xslt-key-element-content-01",
	  "an xsl:key with a sequence constructor is XSLT 2 (rahdari reads XSLT 1.0 keys)" },
	{ "svrl/svrl-property-copy-of", "xsl:copy-of in a property is XSLT" },
	{ "bugs/bug-208", "xsl:copy-of in a property is XSLT" },
	{ "features/schep-001-typed-variables-01", "queryBinding xslt2/xslt3 (typed variables)" },
	{ "features/svrl-suppressed-rule", "queryBinding xslt2/xslt3" },
	{ "features/xslt3-accumulators-01", "queryBinding xslt3 (XSLT accumulators)" },
	{ NULL, NULL }
};

/* Cases whose expectation rahdari does not meet, and why. */
static const known_case divergences[] = {
	{ "core/let-scope-pattern-01",
	  "expects a pattern let to shadow a schema let; let-name-collision-error-05/06 expect "
	  "that to be an error, and rahdari refuses it (one global scope)" },
	{ "core/let-value-element-content-01",
	  "its first schema asserts count(html:p) = 1 at the document node of <element/>, "
	  "which holds no html:p; no XPath 1.0 processor can meet that" },
	{ "svrl/svrl-name-path-01",
	  "rahdari follows the ISO skeleton: sch:name/@path gives the name of the node selected "
	  "('attribute'); the case expects its string value ('value')" },
	{ "features/svrl-metadata",
	  "svrl:metadata (processor metadata) is a SchXslt extension rahdari does not write" },
	{ NULL, NULL }
};

static const char *lookup(const known_case *table, const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table->reason;
	return NULL;
}

/* ---------------------------------------------------------------- small helpers */

/* printf into a fixed buffer (truncating). */
static void say(char *buf, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL) {
		fputs("out of memory\n", stderr);
		exit(99);
	}
	return p;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_el(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The first element child of n, or NULL. */
static xmlNodePtr first_element(const xmlNode *n)
{
	xmlNodePtr k;

	for (k = n ? n->children : NULL; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return k;
	return NULL;
}

/* The first child of n that is the element ns:name, or NULL. */
static xmlNodePtr child(const xmlNode *n, const char *ns, const char *name)
{
	xmlNodePtr k;

	for (k = n ? n->children : NULL; k; k = k->next)
		if (is_el(k, ns, name))
			return k;
	return NULL;
}

/* An attribute's value, or NULL; free with xmlFree. */
static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

/* A file name from a test case must stay inside the temporary directory. */
static int safe_filename(const char *f)
{
	const char *p = f;

	if (f == NULL || f[0] == '\0' || f[0] == '/')
		return 0;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += len;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* Create the directories leading to the file at path (not the file). */
static int make_parents(char *path)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*slash = '/';
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

/* Write element el as the root of a document file dir/filename. The copy
 * declares every namespace it uses that was declared on an ancestor. */
static int write_element(const char *dir, const char *filename, xmlNodePtr el, char *why,
                         size_t whylen)
{
	char path[4096];
	xmlDocPtr doc;
	xmlNodePtr copy;
	int rc;

	if (!safe_filename(filename)) {
		say(why, whylen, "unsafe file name '%s' in the test case", filename ? filename : "");
		return -1;
	}
	if (el == NULL) {
		say(why, whylen, "no element to write to %s", filename);
		return -1;
	}
	say(path, sizeof path, "%s/%s", dir, filename);
	if (make_parents(path) != 0) {
		say(why, whylen, "cannot create the folders of %s: %s", path, strerror(errno));
		return -1;
	}
	doc = xmlNewDoc((const xmlChar *)"1.0");
	copy = doc ? xmlDocCopyNode(el, doc, 1) : NULL;
	if (copy == NULL) {
		xmlFreeDoc(doc);
		say(why, whylen, "out of memory copying %s", filename);
		return -1;
	}
	xmlDocSetRootElement(doc, copy);
	rc = xmlSaveFileEnc(path, doc, "UTF-8");
	xmlFreeDoc(doc);
	if (rc < 0) {
		say(why, whylen, "cannot write %s", path);
		return -1;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove a directory tree (the temporary directory of a case). */
static void rmtree(const char *dir)
{
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "warning: could not remove %s: %s\n", dir, strerror(errno));
}

/* ---------------------------------------------------------------- one schema */

typedef enum result {
	R_PASS,       /* the schema meets the expectations */
	R_FAIL,       /* it does not (why says how) */
	R_UNSUPPORTED /* rahdari refused it with RD_EUNSUPPORTED (why holds the message) */
} result;

typedef enum expect { EXPECT_VALID, EXPECT_INVALID, EXPECT_ERROR } expect;

/* What a case asks of each of its schemas. */
typedef struct case_spec {
	expect want;
	const char *doc_path;   /* the primary document, written */
	const char *phase;      /* schemas/@phase, or NULL */
	xmlNodePtr *checks;     /* expectation elements */
	size_t nchecks;
	const char *check_attr; /* "test" or "assert": the attribute holding the XPath */
} case_spec;

/* Register on ctx the svrl prefix and every prefix in scope at node. */
static void register_namespaces(xmlXPathContextPtr ctx, xmlDocPtr doc, xmlNodePtr node)
{
	xmlNsPtr *list = xmlGetNsList(doc, node);
	size_t i;

	for (i = 0; list && list[i]; i++)
		if (list[i]->prefix)
			xmlXPathRegisterNs(ctx, list[i]->prefix, list[i]->href);
	xmlFree(list);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"svrl", (const xmlChar *)NS_SVRL);
}

/* Evaluate every expectation of the case on the SVRL text. */
static result check_svrl(const case_spec *cs, const char *svrl, size_t len, char *why,
                         size_t whylen)
{
	xmlDocPtr out = xmlReadMemory(svrl, (int)len, "report.svrl", NULL, XML_PARSE_NONET);
	result r = R_PASS;
	size_t i;

	if (out == NULL) {
		say(why, whylen, "the SVRL output is not well-formed XML");
		return R_FAIL;
	}
	for (i = 0; i < cs->nchecks && r == R_PASS; i++) {
		xmlNodePtr e = cs->checks[i];
		char *test = attr(e, cs->check_attr);
		xmlXPathContextPtr ctx = xmlXPathNewContext(out);
		xmlXPathObjectPtr v;

		if (test == NULL || ctx == NULL) {
			say(why, whylen, "an expectation without @%s", cs->check_attr);
			r = R_FAIL;
		} else {
			register_namespaces(ctx, e->doc, e);
			v = xmlXPathEvalExpression((const xmlChar *)test, ctx);
			if (v == NULL) {
				say(why, whylen, "cannot evaluate the expectation %s", test);
				r = R_FAIL;
			} else if (!xmlXPathCastToBoolean(v)) {
				say(why, whylen, "expectation false: %s", test);
				r = R_FAIL;
			}
			xmlXPathFreeObject(v);
		}
		xmlXPathFreeContext(ctx);
		xmlFree(test);
	}
	xmlFreeDoc(out);
	return r;
}

/* Load one schema, check the primary document with it, judge the outcome. */
static result run_schema(const case_spec *cs, const char *schema_path, char *why, size_t whylen)
{
	rd_check_options opts = RD_CHECK_OPTIONS_INIT;
	rd_rules *rules = NULL;
	rd_document *doc = NULL;
	rd_report *report = NULL;
	char *svrl = NULL;
	size_t len = 0, i, hits = 0;
	result r = R_FAIL;
	int rc;

	opts.phase = cs->phase;
	rc = rd_rules_load(&rules, schema_path, NULL);
	if (rc != RD_OK) {
		if (cs->want == EXPECT_ERROR)
			return R_PASS;
		say(why, whylen, "%s: %s", rd_status_name(rc), rd_error_last()->message);
		return rc == RD_EUNSUPPORTED ? R_UNSUPPORTED : R_FAIL;
	}
	rc = rd_document_load_file(&doc, cs->doc_path, NULL);
	if (rc != RD_OK) {
		say(why, whylen, "the document was refused: %s", rd_error_last()->message);
		goto done;
	}
	rc = rd_check(&report, rules, doc, &opts);
	if (rc != RD_OK) {
		if (cs->want == EXPECT_ERROR)
			r = R_PASS; /* e.g. an unknown phase: an error all the same */
		else
			say(why, whylen, "the check failed: %s", rd_error_last()->message);
		goto done;
	}
	if (cs->want == EXPECT_ERROR) {
		say(why, whylen, "the schema should be refused, but rahdari accepted it");
		goto done;
	}
	for (i = 0; i < rd_report_count(report); i++) {
		const rd_finding *f = rd_report_finding(report, i);

		if (rd_finding_kind(f) == RD_KIND_EVAL_ERROR) {
			say(why, whylen, "evaluation error at %s: %s",
			    rd_finding_get(f, RD_FIELD_LOCATION), rd_finding_get(f, RD_FIELD_MESSAGE));
			goto done;
		}
		hits++;
	}
	if (cs->want == EXPECT_VALID && hits > 0) {
		say(why, whylen, "expected valid, got %zu finding%s (first: %s at %s)", hits,
		    hits == 1 ? "" : "s", rd_finding_get(rd_report_finding(report, 0), RD_FIELD_RULE)
		                              ? rd_finding_get(rd_report_finding(report, 0), RD_FIELD_RULE)
		                              : "(no id)",
		    rd_finding_get(rd_report_finding(report, 0), RD_FIELD_LOCATION));
		goto done;
	}
	if (cs->want == EXPECT_INVALID && hits == 0) {
		say(why, whylen, "expected invalid, got no failed-assert or successful-report");
		goto done;
	}
	rc = rd_report_format(&svrl, &len, report, RD_FORMAT_SVRL, 0);
	if (rc != RD_OK) {
		say(why, whylen, "cannot render SVRL: %s", rd_error_last()->message);
		goto done;
	}
	r = check_svrl(cs, svrl, len, why, whylen);
done:
	rd_free(svrl);
	rd_report_free(report);
	rd_document_free(doc);
	rd_rules_free(rules);
	return r;
}

/* ---------------------------------------------------------------- one case */

typedef enum outcome { O_PASS, O_FAIL, O_SKIP, O_DIVERGENT } outcome;

/* Collect the element children of parent named ns:name. */
static size_t collect(const xmlNode *parent, const char *ns, const char *name, xmlNodePtr **out)
{
	xmlNodePtr k;
	size_t n = 0;

	*out = NULL;
	for (k = parent ? parent->children : NULL; k; k = k->next) {
		if (!is_el(k, ns, name))
			continue;
		*out = realloc(*out, (n + 1) * sizeof **out);
		if (*out == NULL) {
			fputs("out of memory\n", stderr);
			exit(99);
		}
		(*out)[n++] = k;
	}
	return n;
}

/* Write the documents of the case into tmp; *primary receives the element that
 * describes the primary document (the one checked). */
static int write_documents(const xmlNode *root, const char *ns, const char *tmp,
                           const xmlNode **primary, char *why, size_t whylen)
{
	xmlNodePtr docs = child(root, ns, "documents"), k;
	int dmaus = strcmp(ns, NS_DMAUS) == 0;

	*primary = NULL;
	for (k = docs ? docs->children : NULL; k; k = k->next) {
		char *filename;
		int rc, is_primary;

		if (dmaus) { /* <primary> is checked, <secondary> files are only written */
			is_primary = is_el(k, ns, "primary");
			if (!is_primary && !is_el(k, ns, "secondary"))
				continue;
		} else { /* the first <document> is checked */
			if (!is_el(k, ns, "document"))
				continue;
			is_primary = *primary == NULL;
		}
		filename = attr(k, "filename");
		rc = write_element(tmp, filename, first_element(k), why, whylen);
		if (rc == 0 && is_primary && *primary == NULL)
			*primary = k;
		xmlFree(filename);
		if (rc != 0)
			return -1;
	}
	if (*primary == NULL) {
		say(why, whylen, "the test case names no primary document");
		return -1;
	}
	return 0;
}

/* Run the test case in file path (named name in the tables and the output);
 * why receives the reason for any outcome other than a plain pass. */
static outcome run_case(const char *path, const char *name, char *why, size_t whylen)
{
	xmlDocPtr tc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlNodePtr root = tc ? xmlDocGetRootElement(tc) : NULL;
	xmlNodePtr schemas_el, *schemas = NULL, checks_el;
	const xmlNode *primary_node = NULL;
	const char *ns = NULL;
	char tmpl[4096], doc_path[4096], *tmp = NULL, *expect_s = NULL, *phase = NULL;
	char *primary_name = NULL;
	case_spec cs;
	size_t nschemas = 0, i;
	int any_fail = 0, any_unsupported = 0;
	outcome o = O_FAIL;
	const char *tmpdir = getenv("TMPDIR");

	memset(&cs, 0, sizeof cs);
	why[0] = '\0';
	if (root && root->ns && strcmp((const char *)root->ns->href, NS_DMAUS) == 0)
		ns = NS_DMAUS;
	else if (root && root->ns && strcmp((const char *)root->ns->href, NS_ZENODO) == 0)
		ns = NS_ZENODO;
	if (ns == NULL || !is_el(root, ns, "testcase")) {
		say(why, whylen, "not a test case in a known format");
		goto done;
	}
	expect_s = attr(root, "expect");
	if (expect_s && strcmp(expect_s, "valid") == 0)
		cs.want = EXPECT_VALID;
	else if (expect_s && strcmp(expect_s, "invalid") == 0)
		cs.want = EXPECT_INVALID;
	else if (expect_s && strcmp(expect_s, "error") == 0)
		cs.want = EXPECT_ERROR;
	else {
		say(why, whylen, "unknown expect=\"%s\"", expect_s ? expect_s : "");
		goto done;
	}
	schemas_el = child(root, ns, "schemas");
	nschemas = collect(schemas_el, NS_SCH, "schema", &schemas);
	if (nschemas == 0) {
		say(why, whylen, "the test case holds no sch:schema");
		goto done;
	}
	phase = schemas_el ? attr(schemas_el, "phase") : NULL;
	cs.phase = phase;
	if (strcmp(ns, NS_DMAUS) == 0) {
		checks_el = child(root, ns, "expectations");
		cs.nchecks = collect(checks_el, ns, "expectation", &cs.checks);
		cs.check_attr = "test";
	} else {
		checks_el = child(root, ns, "assertions");
		cs.nchecks = collect(checks_el, ns, "assertion", &cs.checks);
		cs.check_attr = "assert";
	}

	/* a fresh directory with every file of the case */
	say(tmpl, sizeof tmpl, "%s/rahdari-corpus-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	tmp = mkdtemp(tmpl);
	if (tmp == NULL) {
		say(why, whylen, "mkdtemp: %s", strerror(errno));
		goto done;
	}
	if (write_documents(root, ns, tmp, &primary_node, why, whylen) != 0)
		goto done;
	primary_name = attr(primary_node, "filename");
	say(doc_path, sizeof doc_path, "%s/%s", tmp, primary_name);
	cs.doc_path = doc_path;

	/* each schema on its own: all must meet the expectations */
	for (i = 0; i < nschemas; i++) {
		char fname[64], spath[4096], one[1024];
		result r;

		if (nschemas == 1)
			say(fname, sizeof fname, "schema.sch");
		else
			say(fname, sizeof fname, "schema-%zu.sch", i + 1);
		if (write_element(tmp, fname, schemas[i], why, whylen) != 0)
			goto done;
		say(spath, sizeof spath, "%s/%s", tmp, fname);
		one[0] = '\0';
		r = run_schema(&cs, spath, one, sizeof one);
		if (r == R_FAIL && !any_fail) {
			any_fail = 1;
			if (nschemas > 1)
				say(why, whylen, "schema %zu: %s", i + 1, one);
			else
				say(why, whylen, "%s", one);
		} else if (r == R_UNSUPPORTED && !any_fail && !any_unsupported) {
			any_unsupported = 1;
			say(why, whylen, "%s", one);
		}
	}
	if (any_fail || any_unsupported) {
		const char *divergent = any_fail ? lookup(divergences, name) : NULL;
		const char *by_design = any_fail ? NULL : lookup(refused_by_design, name);
		char seen[1024];

		/* keep what was observed next to the documented reason */
		say(seen, sizeof seen, "%s", why);
		if (divergent) {
			say(why, whylen, "%s; observed: %s", divergent, seen);
			o = O_DIVERGENT;
		} else if (by_design) {
			say(why, whylen, "%s; rahdari: %s", by_design, seen);
			o = O_SKIP;
		} else if (any_unsupported) {
			say(why, whylen, "refused as unsupported, but not listed as refused by design: %s",
			    seen);
		}
	} else {
		o = O_PASS;
		if (lookup(divergences, name))
			say(why, whylen, "note: listed as divergent but passes; remove it from the table");
		else if (lookup(refused_by_design, name))
			say(why, whylen, "note: listed as refused by design but rahdari accepts it");
	}
done:
	if (tmp)
		rmtree(tmp);
	xmlFree(primary_name);
	xmlFree(phase);
	xmlFree(expect_s);
	free(schemas);
	free(cs.checks);
	xmlFreeDoc(tc);
	return o;
}

/* ---------------------------------------------------------------- the corpora */

typedef struct tally {
	unsigned passed, failed, skipped, divergent;
} tally;

static int xml_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0;
}

/* Run every *.xml case of one folder; label is the folder's short name. */
static void run_folder(const char *dir, const char *label, tally *t)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, xml_file, alphasort), i;

	if (n < 0) {
		printf("FAIL       %s: cannot read the folder: %s\n", label, strerror(errno));
		t->failed++;
		return;
	}
	for (i = 0; i < n; i++) {
		char path[4096], name[512], why[2048];
		size_t stem = strlen(list[i]->d_name) - 4;
		outcome o;

		say(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		say(name, sizeof name, "%s/%.*s", label, (int)stem, list[i]->d_name);
		o = run_case(path, name, why, sizeof why);
		switch (o) {
		case O_PASS:
			t->passed++;
			printf("pass       %s%s%s\n", name, why[0] ? " - " : "", why);
			break;
		case O_SKIP:
			t->skipped++;
			printf("skipped    %s (refused by design: %s)\n", name, why);
			break;
		case O_DIVERGENT:
			t->divergent++;
			printf("divergent  %s (documented: %s)\n", name, why);
			break;
		case O_FAIL:
			t->failed++;
			printf("FAIL       %s: %s\n", name, why);
			break;
		}
		free(list[i]);
	}
	free(list);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *rel, *label;
	} folders[] = {
		{ "schematron-conformance/src/main/resources/tests/core", "core" },
		{ "schematron-conformance/src/main/resources/tests/svrl", "svrl" },
		{ "schxslt/core/src/test/schematron/bugs", "bugs" },
		{ "schxslt/core/src/test/schematron/features", "features" },
	};
	char *root = NULL, dirs[4][4096];
	const char *env = getenv("CORPORA");
	tally t = { 0, 0, 0, 0 };
	size_t i;

	if (argc > 1) {
		root = xstrdup(argv[1]);
	} else if (env && *env) {
		size_t len = strlen(env) + sizeof "/schematron";

		root = malloc(len);
		if (root == NULL)
			return 99;
		say(root, len, "%s/schematron", env);
	}
	for (i = 0; root && i < 4; i++) {
		say(dirs[i], sizeof dirs[i], "%s/%s", root, folders[i].rel);
		if (!is_dir(dirs[i])) {
			printf("SKIP: corpus not found at %s\n", dirs[i]);
			free(root);
			return 77;
		}
	}
	if (root == NULL) {
		printf("SKIP: corpus not found at ... (give the corpus root, e.g. "
		       "/work/shared/corpora/schematron, as the argument)\n");
		return 77;
	}
	xmlInitParser();
	for (i = 0; i < 4; i++)
		run_folder(dirs[i], folders[i].label, &t);
	printf("summary: %u passed, %u skipped (refused by design), %u divergent (documented), "
	       "%u failed\n",
	       t.passed, t.skipped, t.divergent, t.failed);
	printf("corpus_schematron: %u passed, %u failed, %u skipped\n", t.passed, t.failed,
	       t.skipped + t.divergent);
	free(root);
	xmlCleanupParser();
	return t.failed ? 1 : 0;
}
