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

static void on_error(void *ctx, rd_xml_error err)
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

/* ---------------------------------------------------------------- the trap */

/* Where the encoding converter failed, when the whole input is in memory: it stopped at
 * the bad bytes, and the rest of the raw input waits behind them. Lines are counted in the
 * code units of the encoding (an LF unit; columns are units too); not for EBCDIC. */
static int converter_position(const rd_xml_trap *t, long *line, long *column)
{
	xmlParserInputPtr in = t->ctxt ? t->ctxt->input : NULL;
	const char *enc;
	size_t off, unit = 1, i, start = 0;

	if (t->data == NULL || in == NULL || in->buf == NULL || in->buf->raw == NULL ||
	    in->buf->encoder == NULL || xmlBufUse(in->buf->raw) > t->len)
		return -1;
	enc = in->buf->encoder->name ? in->buf->encoder->name : "";
	if (strstr(enc, "EBCDIC") || strncmp(enc, "IBM", 3) == 0 || strncmp(enc, "CP0", 3) == 0)
		return -1;
	if (strstr(enc, "UTF-16") || strstr(enc, "UTF16"))
		unit = 2;
	else if (strstr(enc, "UCS-4") || strstr(enc, "UCS4") || strstr(enc, "UTF-32"))
		unit = 4;
	off = t->len - xmlBufUse(in->buf->raw);
	/* a byte-order mark is not a character of the first line */
	if (t->len >= unit * 2 &&
	    ((unit == 2 && ((unsigned char)t->data[0] ^ (unsigned char)t->data[1]) == 0x01 &&
	      ((unsigned char)t->data[0] & 0xFE) == 0xFE) ||
	     (unit == 4 && (memcmp(t->data, "\xFF\xFE\0\0", 4) == 0 ||
	                    memcmp(t->data, "\0\0\xFE\xFF", 4) == 0))))
		start = unit;
	else if (unit == 1 && t->len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	*line = 1;
	for (i = start; i + unit <= off; i += unit) {
		size_t k, nz = 0, lf = 0;

		for (k = 0; k < unit; k++) {
			nz += t->data[i + k] != 0;
			lf += t->data[i + k] == '\n';
		}
		if (lf == 1 && nz == 1) {
			(*line)++;
			start = i + unit;
		}
	}
	*column = (long)((off - start) / unit) + 1;
	return 0;
}

static void trap_keep(rd_xml_trap *t, int domain, int code, const char *message, long line,
                      long column)
{
	size_t n;

	if (t->have)
		return;
	t->have = 1;
	snprintf(t->msg, sizeof t->msg, "%s%s",
	         domain == XML_FROM_I18N ? "encoding error: " : domain == XML_FROM_IO ? "I/O error: " : "",
	         message && message[0] ? message : "error");
	n = strlen(t->msg);
	while (n && (t->msg[n - 1] == '\n' || t->msg[n - 1] == ' '))
		t->msg[--n] = '\0';
	/* where libxml2 knows it; else where the parser is (a converter works ahead of it) */
	t->line = line;
	t->column = column;
	if (line <= 0 && domain == XML_FROM_I18N && converter_position(t, &t->line, &t->column) == 0)
		;
	else if (line <= 0 && t->ctxt != NULL && t->ctxt->input != NULL) {
		t->line = t->ctxt->input->line;
		t->column = t->ctxt->input->col;
	}
	/* the input is refused: never stop the parser from here (the converter that reports
	 * may be working on the buffer xmlStopParser would free); it fails on its own, or the
	 * loader refuses what it made */
	if (t->ld != NULL && t->ld->code == RD_OK) {
		/* a failed allocation is not the input's fault: RD_ENOMEM, as for a check */
		t->ld->code = code == XML_ERR_NO_MEMORY ? RD_ENOMEM : RD_EPARSE;
		snprintf(t->ld->msg, sizeof t->ld->msg, "%s", t->msg);
		t->ld->line = t->line;
		t->ld->column = t->column;
	}
}

static void trap_structured(void *data, rd_xml_error err)
{
	rd_xml_trap *t = data;

	if (err == NULL || err->level == XML_ERR_WARNING)
		return;
	trap_keep(t, err->domain, err->code, err->message, err->line, err->int2);
}

/* libxml2's generic handler: the format is libxml2's */
static void trap_generic(void *data, const char *fmt, ...) RD_PRINTF(2, 3);
static void trap_generic(void *data, const char *fmt, ...)
{
	rd_xml_trap *t = data;
	char piece[512];
	va_list ap;

	/* a message in pieces ("encoding error : ", then the text): the first whole line */
	va_start(ap, fmt);
	vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	if (t->have)
		return;
	if (t->glen < sizeof t->msg - 1) {
		snprintf(t->msg + t->glen, sizeof t->msg - t->glen, "%s", piece);
		t->glen = strlen(t->msg);
	}
	if (strchr(piece, '\n') != NULL || t->glen >= sizeof t->msg - 1) {
		char whole[sizeof t->msg];

		memcpy(whole, t->msg, sizeof whole);
		trap_keep(t, 0, 0, whole, 0, 0);
	}
}

void rd__xml_trap_begin(rd_xml_trap *t, xmlParserCtxtPtr ctxt, rd_loader *ld)
{
	memset(t, 0, sizeof *t);
	t->ctxt = ctxt;
	t->ld = ld;
	t->old_s = xmlStructuredError;
	t->old_sctx = xmlStructuredErrorContext;
	t->old_g = xmlGenericError;
	t->old_gctx = xmlGenericErrorContext;
	/* both are this thread's (libxml2 keeps them per thread) */
	xmlSetStructuredErrorFunc(t, trap_structured);
	xmlSetGenericErrorFunc(t, trap_generic);
}

void rd__xml_trap_pause(rd_xml_trap *t)
{
	xmlSetStructuredErrorFunc(t->old_sctx, t->old_s);
	xmlSetGenericErrorFunc(t->old_gctx, t->old_g);
}

void rd__xml_trap_resume(rd_xml_trap *t)
{
	xmlSetStructuredErrorFunc(t, trap_structured);
	xmlSetGenericErrorFunc(t, trap_generic);
}

void rd__xml_trap_end(rd_xml_trap *t)
{
	/* an unfinished generic message is still an error */
	if (!t->have && t->glen > 0) {
		char whole[sizeof t->msg];

		memcpy(whole, t->msg, sizeof whole);
		trap_keep(t, 0, 0, whole, 0, 0);
	}
	xmlSetStructuredErrorFunc(t->old_sctx, t->old_s);
	xmlSetGenericErrorFunc(t->old_gctx, t->old_g);
}

/* ---------------------------------------------------------------- the loader's handlers */

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
	if (opts != NULL) {
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

/* libxml2's pull parser takes a NUL byte for the end of its input: after the root element
 * it stops there and calls the document well-formed, whatever follows (the push parser
 * of the audit says "Extra content at the end of the document"). So after a parse that
 * succeeded, the whole input must have been read: nothing left in the parser's buffer,
 * nor raw bytes that the encoding converter has not taken (half a UTF-16 code unit). */
static void refuse_unread(xmlParserCtxtPtr ctxt, loader *ld)
{
	xmlParserInputPtr in = ctxt->input;

	if (ld->code != RD_OK || !ctxt->wellFormed || in == NULL)
		return;
	if ((in->cur != NULL && in->end != NULL && in->cur < in->end) ||
	    (in->buf != NULL && in->buf->raw != NULL && xmlBufUse(in->buf->raw) > 0)) {
		ld->code = RD_EPARSE;
		snprintf(ld->msg, sizeof ld->msg, "Extra content at the end of the document%s",
		         in->cur != NULL && in->cur < in->end && *in->cur == 0 ? " (a NUL byte)" : "");
		ld->line = in->line;
		ld->column = in->col;
	}
}

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
	rd_xml_trap trap;
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

	rd__xml_trap_begin(&trap, ctxt, &ld);
	trap.data = data;
	trap.len = len;
	rd__oom_watch_begin(&watch);
	xmlParseDocument(ctxt);
	if (rd__oom_watch_end(&watch))
		rd__xml_refuse(ctxt, &ld, RD_ENOMEM, "out of memory");
	rd__xml_trap_end(&trap);
	refuse_unread(ctxt, &ld);
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
	rd_xml_trap trap;
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
	rd__xml_trap_begin(&trap, ctxt, ld);
	rd__oom_watch_begin(&watch);
	xmlParseChunk(ctxt, data, (int)len, 1);
	if (rd__oom_watch_end(&watch))
		rd__xml_refuse(ctxt, ld, RD_ENOMEM, "out of memory");
	rd__xml_trap_end(&trap);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	return finish_parse(ctxt, ld, doc, NULL, name, out);
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
