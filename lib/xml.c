/* rahdari: the secure XML loader.
 *
 * Every XML file rahdari reads (documents, schemas, packs) goes through here.
 * The parser never touches the network, never loads a DTD, never substitutes
 * entities, and stops at the first entity declaration in a DOCTYPE: such a
 * document is refused (RD_EUNSAFE) rather than half-trusted. Element nesting
 * and input size are limited. Errors are caught through the parser context's
 * own structured-error callback: no global libxml2 handler is installed, so a
 * host program's handlers are left alone.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

/* Options for every parse. Deliberately absent: XML_PARSE_NOENT (entity
 * substitution), XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_XINCLUDE,
 * XML_PARSE_HUGE. */
#define RD_PARSE_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT | \
	 XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

/* libxml2 refuses nesting deeper than this without XML_PARSE_HUGE. */
#define RD_LIBXML_MAX_DEPTH 256

typedef rd_loader loader;

void rd__xml_refuse(xmlParserCtxtPtr ctxt, rd_loader *ld, int code, const char *fmt, ...)
{
	va_list ap;

	if (ld->code != RD_OK)
		return;
	ld->code = code;
	va_start(ap, fmt);
	vsnprintf(ld->msg, sizeof ld->msg, fmt, ap);
	va_end(ap);
	if (ctxt->input != NULL) {
		ld->line = ctxt->input->line;
		ld->column = ctxt->input->col;
	}
	xmlStopParser(ctxt);
}

static void on_error(void *ctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = ctx;
	loader *ld = ctxt ? ctxt->_private : NULL;
	char msg[600];
	size_t n;
	int code = RD_EPARSE;

	if (ld == NULL || err == NULL || ld->code != RD_OK)
		return;
	/* An entity that some unread DTD might declare: the text it stands for would be
	 * silently lost, so refuse. Other warnings are harmless. */
	if (err->code == XML_WAR_UNDECLARED_ENTITY)
		code = RD_EUNSAFE;
	else if (err->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "parse error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (err->code == XML_ERR_INTERNAL_ERROR && strstr(msg, "depth") != NULL)
		code = RD_ELIMIT;
	else if (strstr(msg, "XML_PARSE_HUGE") != NULL)
		code = RD_ELIMIT;
	ld->code = code;
	snprintf(ld->msg, sizeof ld->msg, "%s", msg);
	ld->line = err->line;
	ld->column = err->int2;
	if (err->level == XML_ERR_FATAL || code != RD_EPARSE)
		xmlStopParser(ctxt);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;

	RD_UNUSED(type);
	RD_UNUSED(public_id);
	RD_UNUSED(content);
	rd__xml_refuse(ctxt, ctxt->_private, RD_EUNSAFE,
	       "the DOCTYPE declares the entity '%s'%s: documents that declare entities are refused "
	       "(entity expansion and external entities are attack vectors)",
	       name ? (const char *)name : "", system_id ? " with an external reference" : "");
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
                                    const xmlChar *system_id, const xmlChar *notation)
{
	RD_UNUSED(notation);
	on_entity_decl(ctx, name, 0, public_id, system_id, NULL);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	loader *ld = ctxt->_private;

	if (++ld->depth > ld->lim->max_depth) {
		rd__xml_refuse(ctxt, ld, RD_ELIMIT, "elements nested deeper than the limit of %u",
		       ld->lim->max_depth);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
	                      nb_defaulted, attributes);
	if (ld->index && ctxt->node && rd__index_add(ld->index, ctxt->node) < 0)
		rd__xml_refuse(ctxt, ld, RD_ENOMEM, "out of memory");
	/* libxml2 keeps 16-bit line numbers on elements and guesses longer ones from the
	 * text inside, one line late; an element's psvi is otherwise unused, so it keeps the
	 * exact line (rd__node_line reads it) */
	if (ctxt->node && ctxt->input && ctxt->input->line >= 65535)
		ctxt->node->psvi = (void *)(ptrdiff_t)ctxt->input->line;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	loader *ld = ctxt->_private;

	if (ld->depth)
		ld->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

void rd__limits_from(rd_limits *lim, const rd_load_options *opts)
{
	lim->max_bytes = RD_DEFAULT_MAX_BYTES;
	lim->max_depth = RD_DEFAULT_MAX_DEPTH;
	if (opts != NULL && opts->version >= 1) {
		if (opts->max_bytes)
			lim->max_bytes = opts->max_bytes;
		if (opts->max_depth)
			lim->max_depth = opts->max_depth;
	}
	if (lim->max_depth > RD_LIBXML_MAX_DEPTH)
		lim->max_depth = RD_LIBXML_MAX_DEPTH;
	if (lim->max_bytes > (size_t)INT_MAX)
		lim->max_bytes = (size_t)INT_MAX;
}

void rd__xml_secure(xmlParserCtxtPtr ctxt, rd_loader *ld)
{
	ctxt->_private = ld;
	ctxt->sax->serror = on_error;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	/* No warnings or errors to the generic (global) channel. */
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	xmlCtxtUseOptions(ctxt, RD_PARSE_OPTIONS);
	ctxt->keepBlanks = 1;
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
}

int rd__xml_finish_error(rd_loader *ld, xmlParserCtxtPtr ctxt)
{
	/* libxml2 stops at an allocation that fails and returns what it had parsed, still
	 * "well-formed": never a document cut short */
	if (ld->code == RD_OK && ctxt && ctxt->errNo == XML_ERR_NO_MEMORY)
		ld->code = RD_ENOMEM;
	if (ld->code == RD_OK && ctxt && (!ctxt->wellFormed || !ctxt->nsWellFormed)) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		ld->code = RD_EPARSE;
		snprintf(ld->msg, sizeof ld->msg, "%s",
		         e && e->message ? e->message : "document is not well-formed");
		ld->line = e ? e->line : 0;
		ld->column = e ? e->int2 : 0;
	}
	if (ld->code != RD_OK) {
		size_t n = strlen(ld->msg);

		while (n && (ld->msg[n - 1] == '\n' || ld->msg[n - 1] == ' '))
			ld->msg[--n] = '\0';
		if (ld->code == RD_ENOMEM)
			return rd__error_oom();
		if (ld->line > 0)
			return rd__error_set(ld->code, ld->name, ld->line, ld->column, "%s:%ld:%ld: %s",
			                     ld->name, ld->line, ld->column > 0 ? ld->column : 1, ld->msg);
		return rd__error_set(ld->code, ld->name, 0, 0, "%s: %s", ld->name, ld->msg);
	}
	return RD_OK;
}

static int finish_parse(xmlParserCtxtPtr ctxt, loader *ld, xmlDocPtr doc, rd_index *ix,
                        const char *name, xmlDocPtr *out);

int rd__xml_parse(xmlDocPtr *out, const char *data, size_t len, const char *name,
                  const rd_limits *lim)
{
	return rd__xml_parse_indexed(out, data, len, name, lim, NULL);
}

int rd__xml_parse_indexed(xmlDocPtr *out, const char *data, size_t len, const char *name,
                          const rd_limits *lim, rd_index *ix)
{
	return rd__xml_parse_at(out, data, len, name, lim, ix, 1);
}

int rd__xml_parse_at(xmlDocPtr *out, const char *data, size_t len, const char *name,
                     const rd_limits *lim, rd_index *ix, long first_line)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	loader ld;
	rd_oom_watch watch;
	int rc;

	rd__init();
	*out = NULL;
	if (name == NULL)
		name = "<memory>";
	if (len > lim->max_bytes)
		return rd__error_set(RD_ELIMIT, name, 0, 0,
		                     "%s: input is %zu bytes, over the limit of %zu bytes", name, len,
		                     lim->max_bytes);
	if (len == 0)
		return rd__error_set(RD_EPARSE, name, 1, 1, "%s:1:1: empty input: no XML document",
		                     name);

	memset(&ld, 0, sizeof ld);
	ld.lim = lim;
	ld.index = ix;
	if (ix)
		memset(ix, 0, sizeof *ix);
	ld.name = name;
	ld.code = RD_OK;

	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (ctxt == NULL)
		return rd__error_oom();
	rd__xml_secure(ctxt, &ld);
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	if (first_line > 1 && first_line < INT_MAX && ctxt->input)
		ctxt->input->line = (int)first_line;

	rd__oom_watch_begin(&watch);
	xmlParseDocument(ctxt);
	if (rd__oom_watch_end(&watch))
		rd__xml_refuse(ctxt, &ld, RD_ENOMEM, "out of memory");
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	rc = finish_parse(ctxt, &ld, doc, ix, name, out);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* The outcome of a parse: the document, or the error (file:line:column: why). */
static int finish_parse(xmlParserCtxtPtr ctxt, loader *ld, xmlDocPtr doc, rd_index *ix,
                        const char *name, xmlDocPtr *out)
{
	/* libxml2 stops at an allocation that fails and returns what it had parsed, still
	 * "well-formed": never a document cut short */
	if (ld->code == RD_OK && ctxt->errNo == XML_ERR_NO_MEMORY)
		ld->code = RD_ENOMEM;
	if (ld->code == RD_OK && (!ctxt->wellFormed || !ctxt->nsWellFormed)) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		ld->code = RD_EPARSE;
		snprintf(ld->msg, sizeof ld->msg, "%s",
		         e && e->message ? e->message : "document is not well-formed");
		ld->line = e ? e->line : 0;
		ld->column = e ? e->int2 : 0;
	}
	if (ld->code == RD_OK && (doc == NULL || xmlDocGetRootElement(doc) == NULL)) {
		ld->code = RD_EPARSE;
		snprintf(ld->msg, sizeof ld->msg, "no root element");
	}
	if (ld->code != RD_OK) {
		size_t n = strlen(ld->msg);

		while (n && (ld->msg[n - 1] == '\n' || ld->msg[n - 1] == ' '))
			ld->msg[--n] = '\0';
		xmlFreeDoc(doc);
		if (ix)
			rd__index_free(ix);
		if (ld->code == RD_ENOMEM)
			return rd__error_oom();
		if (ld->line > 0)
			return rd__error_set(ld->code, name, ld->line, ld->column, "%s:%ld:%ld: %s", name,
			                     ld->line, ld->column > 0 ? ld->column : 1, ld->msg);
		return rd__error_set(ld->code, name, 0, 0, "%s: %s", name, ld->msg);
	}
	xmlFree((void *)(uintptr_t)doc->URL); /* the parser's, when it was given a file name */
	doc->URL = xmlStrdup((const xmlChar *)name);
	if (doc->URL == NULL) {
		xmlFreeDoc(doc);
		return rd__error_oom();
	}
	*out = doc;
	return RD_OK;
}

int rd__reparser_init(rd_reparser *p)
{
	memset(p, 0, sizeof *p);
	rd__init();
	p->ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL);
	return p->ctxt ? RD_OK : rd__error_oom();
}

void rd__reparser_free(rd_reparser *p)
{
	if (p->ctxt) {
		xmlFreeDoc(p->ctxt->myDoc);
		p->ctxt->myDoc = NULL;
		xmlFreeParserCtxt(p->ctxt);
	}
	p->ctxt = NULL;
}

int rd__reparser_parse(rd_reparser *p, xmlDocPtr *out, const char *data, size_t len,
                       const char *name, const rd_limits *lim, long first_line)
{
	xmlParserCtxtPtr ctxt = p->ctxt;
	loader *ld = &p->ld;
	xmlDocPtr doc;
	rd_oom_watch watch;

	*out = NULL;
	if (len > lim->max_bytes)
		return rd__error_set(RD_ELIMIT, name, 0, 0,
		                     "%s: input is %zu bytes, over the limit of %zu bytes", name, len,
		                     lim->max_bytes);
	memset(ld, 0, sizeof *ld);
	ld->lim = lim;
	ld->name = name;
	ld->code = RD_OK;
	/* the same context (and dictionary of names) for every part; no file name: libxml2
	 * would make it absolute with getcwd() every time, and finish_parse() names the
	 * document itself */
	if (xmlCtxtResetPush(ctxt, NULL, 0, NULL, NULL) != 0)
		return rd__error_oom();
	rd__xml_secure(ctxt, ld);
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	if (first_line > 1 && first_line < INT_MAX && ctxt->input)
		ctxt->input->line = (int)first_line;
	rd__oom_watch_begin(&watch);
	xmlParseChunk(ctxt, data, (int)len, 1);
	if (rd__oom_watch_end(&watch))
		rd__xml_refuse(ctxt, ld, RD_ENOMEM, "out of memory");
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	return finish_parse(ctxt, ld, doc, NULL, name, out);
}

int rd__xml_parse_file(xmlDocPtr *out, const char *path, const rd_limits *lim)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = rd__file_read(path, lim->max_bytes, &data, &len);
	if (rc != RD_OK)
		return rc;
	rc = rd__xml_parse(out, data, len, path, lim);
	free(data);
	return rc;
}

long rd__node_line(const xmlNode *node)
{
	if (node == NULL)
		return 0;
	if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_NAMESPACE_DECL)
		node = node->parent;
	if (node == NULL || node->type == XML_DOCUMENT_NODE)
		return 0;
	if (node->type == XML_ELEMENT_NODE && node->line == 65535 && node->psvi != NULL)
		return (long)(ptrdiff_t)node->psvi;
	return xmlGetLineNo(node);
}
