/* rahdari: structural validation with the XML Schemas of a rule pack.
 *
 * A pack names an XSD per document kind (the local name of the root element in
 * urn:rahdari:doc:1). Schemas are read with the secure loader and must be
 * self-contained: xs:include, xs:import and xs:redefine are refused, so that compiling
 * a schema never opens another file or the network. Errors while compiling or
 * validating reach rahdari through per-context structured handlers only.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlschemas.h>

#define RD_NS_XSD "http://www.w3.org/2001/XMLSchema"
#define MAX_SCHEMA_FINDINGS 50

typedef struct xsd_err {
	char msg[512];
	long line;
	int have;
} xsd_err;

static void on_parse_error(void *ctx, rd_xml_error err)
{
	xsd_err *e = ctx;

	if (e->have || err == NULL)
		return;
	snprintf(e->msg, sizeof e->msg, "%s", err->message ? err->message : "invalid schema");
	rd__normalize_space(e->msg);
	e->line = err->line;
	e->have = 1;
}

/* Refuse schemas that would load other files. */
static int self_contained(xmlNodePtr n, const char *path)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns && xmlStrEqual(n->ns->href, (const xmlChar *)RD_NS_XSD) &&
		    (xmlStrEqual(n->name, (const xmlChar *)"include") ||
		     xmlStrEqual(n->name, (const xmlChar *)"import") ||
		     xmlStrEqual(n->name, (const xmlChar *)"redefine") ||
		     xmlStrEqual(n->name, (const xmlChar *)"override")))
			return rd__error_set(RD_EUNSAFE, path, rd__node_line(n), 0,
			                     "%s:%ld: xs:%s: a pack's XML Schemas must be self-contained "
			                     "(rahdari never lets a schema load another file)",
			                     path, rd__node_line(n), (const char *)n->name);
		if (self_contained(n->children, path) != RD_OK)
			return rd_error_last()->code;
	}
	return RD_OK;
}

/* Refuse xs:pattern facets on which libxml2's matcher could take time that grows faster
 * than the value's length (rd__regex_backtrack_safe): libxml2 runs them outside every
 * budget of rahdari's, on values as long as a document allows. */
static int patterns_safe(xmlNodePtr n, const char *path)
{
	for (; n; n = n->next) {
		xmlChar *value;
		char why[256];
		int ok;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns && xmlStrEqual(n->ns->href, (const xmlChar *)RD_NS_XSD) &&
		    xmlStrEqual(n->name, (const xmlChar *)"pattern") &&
		    xmlHasNsProp(n, (const xmlChar *)"value", NULL) != NULL) {
			value = xmlGetNoNsProp(n, (const xmlChar *)"value");
			if (value == NULL)
				return rd__error_oom();
			ok = rd__regex_backtrack_safe((const char *)value, why);
			if (ok < 0) {
				xmlFree(value);
				return rd__error_oom();
			}
			if (ok == 0) {
				/* an ambiguous pattern: how to rewrite it (the other reasons say what to do) */
				int ambiguous = strstr(why, "cannot read") == NULL &&
				                strstr(why, "too large") == NULL &&
				                strstr(why, "too complex") == NULL;
				int rc = rd__error_set(
					RD_ERULES, path, rd__node_line(n), 0,
					"%s:%ld: xs:pattern \"%.200s%s\": %s: %s%s", path, rd__node_line(n),
					(const char *)value, xmlStrlen(value) > 200 ? "..." : "",
					ambiguous ? "libxml2's backtracking matcher could take time growing faster "
					            "than the length of a value"
					          : "not known to be safe for libxml2's backtracking matcher",
					why,
					ambiguous ? ". Rewrite it so that at each point of a value only one part of "
					            "the pattern can match the next character (make a repeated part "
					            "and what follows it disjoint: [^@\\s]+\\.[^@\\s]+ as "
					            "[^@\\s][^@\\s.]*\\.[^@\\s]+), or so that its values have a "
					            "bounded length"
					          : "");

				xmlFree(value);
				return rc;
			}
			xmlFree(value);
		}
		if (patterns_safe(n->children, path) != RD_OK)
			return rd_error_last()->code;
	}
	return RD_OK;
}

int rd__xsd_load(rd_rules *rules, const rd_source *src, const char *kind, const char *path,
                 const char *decl_file, long decl_line)
{
	xmlDocPtr doc = NULL;
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;
	rd_xml_trap trap;
	xsd_err e;
	size_t cap = rules->nxsds;
	int rc;

	if (rd__rules_xsd(rules, kind) != NULL)
		return rd__error_set(RD_ERULES, decl_file, decl_line, 0,
		                     "%s:%ld: a second XSD for documents of kind '%s'", decl_file, decl_line,
		                     kind);
	rc = rd__source_parse(src, path, &doc);
	if (rc != RD_OK) {
		rd__error_prefix("%s:%ld: xsd '%s': ", decl_file, decl_line, kind);
		return rc;
	}
	rc = self_contained(doc->children, path);
	if (rc == RD_OK)
		rc = patterns_safe(doc->children, path);
	if (rc != RD_OK) {
		xmlFreeDoc(doc);
		return rc;
	}
	memset(&e, 0, sizeof e);
	pctxt = xmlSchemaNewDocParserCtxt(doc);
	if (pctxt == NULL) {
		xmlFreeDoc(doc);
		return rd__error_oom();
	}
	xmlSchemaSetParserStructuredErrors(pctxt, on_parse_error, &e);
	/* the regular-expression compiler reports to the thread's handlers: trapped */
	rd__xml_trap_begin(&trap, NULL, NULL);
	schema = xmlSchemaParse(pctxt);
	rd__xml_trap_end(&trap);
	xmlSchemaFreeParserCtxt(pctxt);
	if (schema != NULL && trap.have && !e.have) {
		/* compiled, yet libxml2 said something went wrong: not trusted */
		xmlSchemaFree(schema);
		schema = NULL;
		snprintf(e.msg, sizeof e.msg, "%s", trap.msg);
		e.have = 1;
	}
	if (schema == NULL) {
		rc = rd__error_set(RD_ERULES, path, e.line, 0, "%s:%ld: invalid XML Schema: %s", path,
		                   e.line, e.have ? e.msg : "cannot be compiled");
		xmlFreeDoc(doc);
		return rc;
	}
	/* the compiled schema keeps pointers into the document: it lives as long */
	if (rd__grow(&rules->xsds, &cap, rules->nxsds, sizeof *rules->xsds) < 0) {
		xmlSchemaFree(schema);
		xmlFreeDoc(doc);
		return rd__error_oom();
	}
	rules->xsd_free = rd__xsd_free;
	rules->xsds[rules->nxsds].kind = rd__strdup(kind);
	rules->xsds[rules->nxsds].file = rd__strdup(path);
	rules->xsds[rules->nxsds].schema = schema;
	rules->xsds[rules->nxsds].doc = doc;
	rules->nxsds++;
	if (rules->xsds[rules->nxsds - 1].kind == NULL || rules->xsds[rules->nxsds - 1].file == NULL)
		return rd__error_oom();
	return RD_OK;
}

void rd__xsd_free(rd_xsd *x)
{
	free(x->kind);
	free(x->file);
	if (x->schema)
		xmlSchemaFree(x->schema);
	xmlFreeDoc(x->doc);
}

const rd_xsd *rd__rules_xsd(const rd_rules *rules, const char *kind)
{
	size_t i;

	for (i = 0; rules && i < rules->nxsds; i++)
		if (strcmp(rules->xsds[i].kind, kind) == 0)
			return &rules->xsds[i];
	return NULL;
}

typedef struct valid_state {
	rd__xsd_sink sink;
	void *payload;
	size_t count;
	int failed;
	/* libxml2's matcher gave up on a pattern facet (xmlRegexpExec returned -1): the
	 * validation stops there; where it was */
	int internal;
	xmlNodePtr internal_node;
	long internal_line;
} valid_state;

static void on_valid_error(void *ctx, rd_xml_error err)
{
	valid_state *v = ctx;
	char msg[512];

	if (err == NULL || v->failed)
		return;
	/* libxml2 could not validate (memory): not a fault of the document, and the rest of
	 * it is not validated: the check fails (never a shorter list of structural errors) */
	if (err->code == XML_ERR_NO_MEMORY || err->code == XML_ERR_INTERNAL_ERROR) {
		v->failed = 1;
		return;
	}
	if (err->code == XML_SCHEMAV_INTERNAL &&
	    (v->internal || (err->message && strstr(err->message, "pattern facet") != NULL))) {
		/* the validation stops here, with more internal errors as libxml2 unwinds: one
		 * finding says so, after it ends */
		if (!v->internal) {
			v->internal = 1;
			v->internal_node = (xmlNodePtr)err->node;
			v->internal_line = err->line;
		}
		return;
	}
	if (err->level == XML_ERR_WARNING)
		return;
	v->count++;
	if (v->count > MAX_SCHEMA_FINDINGS)
		return;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "structure error");
	rd__normalize_space(msg);
	if (v->sink(v->payload, msg, (xmlNodePtr)err->node, err->line) < 0)
		v->failed = 1;
}

int rd__xsd_validate(const rd_xsd *x, xmlDocPtr doc, rd__xsd_sink sink, void *payload,
                     size_t *more)
{
	xmlSchemaValidCtxtPtr vctxt;
	rd_xml_trap trap;
	rd_oom_watch watch;
	valid_state v;
	int rc;

	*more = 0;
	vctxt = xmlSchemaNewValidCtxt(x->schema);
	if (vctxt == NULL)
		return -1;
	memset(&v, 0, sizeof v);
	v.sink = sink;
	v.payload = payload;
	xmlSchemaSetValidStructuredErrors(vctxt, on_valid_error, &v);
	rd__xml_trap_begin(&trap, NULL, NULL);
	/* libxml2's regular expressions report a failed allocation to the thread's handlers
	 * only, and then fail as a pattern they could not match would */
	rd__oom_watch_begin(&watch);
	rc = xmlSchemaValidateDoc(vctxt, doc);
	if (rd__oom_watch_end(&watch))
		v.failed = 1;
	rd__xml_trap_end(&trap);
	xmlSchemaFreeValidCtxt(vctxt);
	/* xmlRegexpExec returned -1 on a pattern facet: its matcher gave up on a value that
	 * needs more than ten million saved choices (its allocations failing are reported,
	 * and seen above). libxml2 stops validating there. Fail closed: a value libxml2
	 * could not check is a structural finding, never a valid value, and the finding says
	 * that nothing after it was validated. Any other internal error that stops the
	 * validation may be an allocation that failed unreported: the check fails, as when
	 * memory runs out. */
	if (v.internal && !v.failed) {
		if (sink(payload,
		         "the XML Schema validation stopped here: libxml2 could not match this value "
		         "against its xs:pattern (its matcher gives up on some values of millions of "
		         "characters); the rest of the document's structure is not checked",
		         v.internal_node, v.internal_line) < 0)
			v.failed = 1;
	} else if (rc < 0) {
		v.failed = 1;
	}
	/* an error libxml2 raised outside the validation context (a regular expression that
	 * could not be run, memory): the structure was not fully checked, so say so */
	if (trap.have && !v.failed) {
		char msg[600];

		snprintf(msg, sizeof msg, "the XML Schema validation failed: %s", trap.msg);
		rd__normalize_space(msg);
		if (sink(payload, msg, NULL, trap.line > 0 ? trap.line : 0) < 0)
			v.failed = 1;
	}
	if (v.count > MAX_SCHEMA_FINDINGS)
		*more = v.count - MAX_SCHEMA_FINDINGS;
	return v.failed ? -1 : 0;
}
