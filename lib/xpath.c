/* rahdari: compiling XPath expressions so that they fail loudly.
 *
 * libxml2 compiles a plain location path to a streaming pattern, which evaluates to an
 * empty node-set without a word when it cannot allocate its state, and it may leave out
 * a literal it could not allocate while compiling. rd__xpath_compile() compiles every
 * expression in parentheses (never streamed) with this thread's error handlers trapped,
 * so that such an expression is an error rather than a different expression. It needs
 * libxml2 and base only: the compiler and the evaluator both use it.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

/* While an expression compiles: what libxml2 reports on this thread (an allocation that
 * failed while it made a literal, which it then leaves out of the compiled expression) is
 * an error of the compilation, passed on to the context's own error callback. */
typedef struct compile_state {
	xmlXPathContextPtr xp;
	int failed;
} compile_state;

static void on_compile_error(void *ud, rd_xml_error err)
{
	compile_state *cs = ud;

	cs->failed = 1;
	if (cs->xp->error && err)
		cs->xp->error(cs->xp->userData, err);
}

static void on_compile_generic(void *ud, const char *fmt, ...) RD_PRINTF(2, 3);

static void on_compile_generic(void *ud, const char *fmt, ...)
{
	char msg[256];
	xmlError err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memset(&err, 0, sizeof err);
	err.domain = XML_FROM_XPATH;
	err.code = XML_XPATH_EXPR_ERROR;
	err.level = XML_ERR_ERROR;
	err.message = msg;
	on_compile_error(ud, &err);
}

xmlXPathCompExprPtr rd__xpath_compile(xmlXPathContextPtr xp, const char *expr)
{
	/* libxml2 compiles a plain path such as "d:passenger/d:name" to a streaming pattern,
	 * and evaluates that to an empty result, without a word, when it cannot allocate the
	 * pattern's state. A parenthesised expression means the same and is never streamed. */
	size_t n = strlen(expr);
	char buf[256], *p = n + 3 <= sizeof buf ? buf : rd__malloc(n + 3);
	xmlXPathCompExprPtr e;
	compile_state cs;
	xmlStructuredErrorFunc old_s = xmlStructuredError;
	void *old_sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc old_g = xmlGenericError;
	void *old_gctx = xmlGenericErrorContext;

	if (p == NULL)
		return NULL;
	p[0] = '(';
	memcpy(p + 1, expr, n);
	p[n + 1] = ')';
	p[n + 2] = '\0';
	cs.xp = xp;
	cs.failed = 0;
	xmlSetStructuredErrorFunc(&cs, on_compile_error);
	xmlSetGenericErrorFunc(&cs, on_compile_generic);
	e = xmlXPathCtxtCompile(xp, (const xmlChar *)p);
	xmlSetStructuredErrorFunc(old_sctx, old_s);
	xmlSetGenericErrorFunc(old_gctx, old_g);
	if (p != buf)
		free(p);
	if (e != NULL && cs.failed) {
		/* compiled, but not as written */
		xmlXPathFreeCompExpr(e);
		e = NULL;
	}
	return e;
}
