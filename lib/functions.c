/* rahdari: the XPath function library (namespace urn:rahdari:fn:1).
 *
 * XPath 1.0 has no dates, no tables and no regular expressions; rules about
 * bookings and licences need all three. These functions are registered on
 * every evaluation context through a lookup callback (no per-check hash
 * population). Dates are "YYYY-MM-DD" strings; a dateTime's date part is used.
 * A function given a value it cannot use returns NaN, false or the empty
 * string, as XPath 1.0 does; a misuse that no data can fix (an unknown table
 * or column given at run time, a bad regular expression) is an evaluation
 * error, reported as a finding.
 *
 * Fail closed: a function that cannot compute its answer (an allocation that
 * failed, a regular expression engine that gave up, the budget run out) raises an
 * error on the XPath parser context, which stops the evaluation; it never pushes
 * false, "" or NaN instead. Each function charges the check's budget for the work
 * it does, in proportion to what it reads (rd__eval_charge).
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "sig.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

#define EV(ctxt) ((rd_eval *)(ctxt)->context->funcLookupData)

void rd__eval_vraise(xmlXPathParserContextPtr ctxt, int code, const char *fmt, va_list ap)
{
	rd_eval *ev = EV(ctxt);

	/* the first error of an evaluation wins: it becomes the finding's message */
	if (ev != NULL && !ev->has_error) {
		vsnprintf(ev->errmsg, sizeof ev->errmsg, fmt, ap);
		ev->has_error = 1;
	}
	xmlXPathErr(ctxt, code);
}

static void raise_error(xmlXPathParserContextPtr ctxt, const char *fmt, ...) RD_PRINTF(2, 3);

static void raise_error(xmlXPathParserContextPtr ctxt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd__eval_vraise(ctxt, XPATH_INVALID_OPERAND, fmt, ap);
	va_end(ap);
}

void rd__eval_oom(xmlXPathParserContextPtr ctxt)
{
	rd_eval *ev = EV(ctxt);

	if (ev != NULL) {
		ev->oom = 1;
		if (!ev->has_error) {
			snprintf(ev->errmsg, sizeof ev->errmsg, "out of memory");
			ev->has_error = 1;
		}
	}
	xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
}

int rd__eval_charge(xmlXPathParserContextPtr ctxt, unsigned long ops)
{
	xmlXPathContextPtr xp = ctxt->context;

	if (xp->opLimit == 0)
		return 0;
	if (ops > xp->opLimit - (xp->opCount < xp->opLimit ? xp->opCount : xp->opLimit)) {
		/* as libxml2 does: the count stays at the limit, which says the budget ran out */
		xp->opCount = xp->opLimit;
		xmlXPathErr(ctxt, XPATH_OP_LIMIT_EXCEEDED);
		return -1;
	}
	xp->opCount += ops;
	return 0;
}

/* Push a result; when it could not be made (NULL) or the stack cannot grow, the check is
 * out of memory: never a missing value that a caller would read as another. */
static void push(xmlXPathParserContextPtr ctxt, xmlXPathObjectPtr v)
{
	if (v == NULL || valuePush(ctxt, v) < 0) {
		xmlXPathFreeObject(v);
		rd__eval_oom(ctxt);
	}
}

/* Pop a string argument, charging its length to the budget; the caller frees it with
 * xmlFree. NULL when there is none (an error raised: a missing argument, out of memory,
 * the budget run out). */
static xmlChar *pop_str(xmlXPathParserContextPtr ctxt)
{
	xmlChar *s;

	if (ctxt->error != XPATH_EXPRESSION_OK)
		return NULL;
	s = xmlXPathPopString(ctxt);
	if (s == NULL) {
		/* libxml2 raised the error of an empty stack; a string it could not copy it only
		 * reported to this thread's handlers */
		if (ctxt->error == XPATH_EXPRESSION_OK)
			rd__eval_oom(ctxt);
		return NULL;
	}
	if (rd__eval_charge(ctxt, RD_OPS_FOR_BYTES(strlen((const char *)s))) < 0) {
		xmlFree(s);
		return NULL;
	}
	return s;
}

/* Pop a number argument. 0, or -1 with an error raised. */
static int pop_num(xmlXPathParserContextPtr ctxt, double *out)
{
	if (ctxt->error != XPATH_EXPRESSION_OK)
		return -1;
	*out = xmlXPathPopNumber(ctxt);
	return ctxt->error == XPATH_EXPRESSION_OK ? 0 : -1;
}

/* Pop a date argument: 0, -1 when it is not a date (or an error was raised: the caller
 * looks at ctxt->error before it pushes anything). */
static int pop_date(xmlXPathParserContextPtr ctxt, long *days)
{
	xmlChar *s = pop_str(ctxt);
	int ok;

	if (s == NULL)
		return -1;
	ok = rd__date_parse((const char *)s, strlen((const char *)s), 1, days);
	xmlFree(s);
	return ok;
}

static void push_date(xmlXPathParserContextPtr ctxt, long days, int valid)
{
	char buf[11];

	if (ctxt->error != XPATH_EXPRESSION_OK)
		return;
	if (!valid) {
		push(ctxt, xmlXPathNewCString(""));
		return;
	}
	rd__date_format(days, buf);
	push(ctxt, xmlXPathNewCString(buf));
}

/* Push a number, unless an error was raised while the arguments were read. */
static void push_num(xmlXPathParserContextPtr ctxt, double d)
{
	if (ctxt->error == XPATH_EXPRESSION_OK)
		push(ctxt, xmlXPathNewFloat(d));
}

static void push_bool(xmlXPathParserContextPtr ctxt, int b)
{
	if (ctxt->error == XPATH_EXPRESSION_OK)
		push(ctxt, xmlXPathNewBoolean(b));
}

/* today(): the as-of date of the check. */
static void fn_today(xmlXPathParserContextPtr ctxt, int nargs)
{
	CHECK_ARITY(0);
	push_date(ctxt, EV(ctxt)->today, 1);
}

/* date-valid(s): true when s is a real calendar date YYYY-MM-DD. */
static void fn_date_valid(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *s;
	long d;

	CHECK_ARITY(1);
	s = pop_str(ctxt);
	if (s == NULL)
		return;
	push_bool(ctxt, rd__date_parse((const char *)s, strlen((const char *)s), 0, &d) == 0);
	xmlFree(s);
}

/* days-between(a, b): b - a in days (NaN when either is not a date). */
static void fn_days_between(xmlXPathParserContextPtr ctxt, int nargs)
{
	long a, b;
	int ok;

	CHECK_ARITY(2);
	ok = pop_date(ctxt, &b) == 0;
	ok = (pop_date(ctxt, &a) == 0) && ok;
	push_num(ctxt, ok ? (double)(b - a) : NAN);
}

/* add-days(d, n): the date n days after d ("" when d is not a date or n not a number). */
static void fn_add_days(xmlXPathParserContextPtr ctxt, int nargs)
{
	double n;
	long d;
	int ok;

	CHECK_ARITY(2);
	if (pop_num(ctxt, &n) < 0)
		return;
	ok = pop_date(ctxt, &d) == 0 && isfinite(n) && fabs(n) < 3650000;
	push_date(ctxt, ok ? d + (long)floor(n) : 0, ok);
}

static long add_months(long days, long n)
{
	long y, total;
	unsigned m, d, md;
	static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	rd__civil_from_days(days, &y, &m, &d);
	total = y * 12 + (long)(m - 1) + n;
	y = total >= 0 ? total / 12 : -((-total + 11) / 12);
	m = (unsigned)(total - y * 12) + 1;
	md = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		md = 29;
	if (d > md)
		d = md;
	return rd__days_from_civil(y, m, d);
}

/* add-months(d, n): the same day n months later, clamped to the month's end. */
static void fn_add_months(xmlXPathParserContextPtr ctxt, int nargs)
{
	double n;
	long d;
	int ok;

	CHECK_ARITY(2);
	if (pop_num(ctxt, &n) < 0)
		return;
	ok = pop_date(ctxt, &d) == 0 && isfinite(n) && fabs(n) < 120000;
	push_date(ctxt, ok ? add_months(d, (long)floor(n)) : 0, ok);
}

/* Whole months from a to b (negative when b is before a). */
static long months_between(long a, long b)
{
	long ya, yb, m;
	unsigned ma, mb, da, db;

	rd__civil_from_days(a, &ya, &ma, &da);
	rd__civil_from_days(b, &yb, &mb, &db);
	m = (yb - ya) * 12 + ((long)mb - (long)ma);
	if (m > 0 && add_months(a, m) > b)
		m--;
	else if (m < 0 && add_months(a, m) < b)
		m++;
	return m;
}

/* months-between(a, b): whole months from a to b. */
static void fn_months_between(xmlXPathParserContextPtr ctxt, int nargs)
{
	long a, b;
	int ok;

	CHECK_ARITY(2);
	ok = pop_date(ctxt, &b) == 0;
	ok = (pop_date(ctxt, &a) == 0) && ok;
	push_num(ctxt, ok ? (double)months_between(a, b) : NAN);
}

/* age(birth [, on]): age in whole years on the date on (default: today()).
 * Someone born on 29 February has a birthday on 28 February in other years. */
static void fn_age(xmlXPathParserContextPtr ctxt, int nargs)
{
	long birth, on;
	int ok = 1;

	if (nargs < 1 || nargs > 2) {
		XP_ERROR(XPATH_INVALID_ARITY);
	}
	if (nargs == 2)
		ok = pop_date(ctxt, &on) == 0;
	else
		on = EV(ctxt)->today;
	ok = (pop_date(ctxt, &birth) == 0) && ok;
	if (!ok || on < birth) {
		push_num(ctxt, NAN);
		return;
	}
	push_num(ctxt, (double)(months_between(birth, on) / 12));
}

static const rd_table *arg_table(xmlXPathParserContextPtr ctxt, const xmlChar *name)
{
	const rd_eval *ev = EV(ctxt);
	const rd_table *t = NULL;
	size_t i;

	/* a table given to the check hides the pack's table of the same name */
	for (i = 0; ev->opts && i < ev->opts->ntables && t == NULL; i++)
		if (ev->opts->tables[i] && strcmp(ev->opts->tables[i]->table->name, (const char *)name) == 0)
			t = ev->opts->tables[i]->table;
	if (t == NULL)
		t = rd__rules_table(ev->rules, (const char *)name);

	if (t == NULL)
		raise_error(ctxt, "no table named '%s' (declare it with rd:table)", (const char *)name);
	return t;
}

static int arg_column(xmlXPathParserContextPtr ctxt, const rd_table *t, const xmlChar *col)
{
	int c = rd__table_column(t, (const char *)col);

	if (c < 0)
		raise_error(ctxt, "table '%s' has no column '%s'", t->name, (const char *)col);
	return c;
}

/* in-table(table, column, value): true when some row has value in column. */
static void fn_in_table(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *name = NULL, *col = NULL, *val = NULL;
	const rd_table *t;
	int c;

	CHECK_ARITY(3);
	val = pop_str(ctxt);
	col = pop_str(ctxt);
	name = pop_str(ctxt);
	if (name == NULL || col == NULL || val == NULL)
		goto done;
	t = arg_table(ctxt, name);
	if (t == NULL)
		goto done;
	c = arg_column(ctxt, t, col);
	if (c < 0)
		goto done;
	push_bool(ctxt, rd__table_find(t, c, (const char *)val) >= 0);
done:
	xmlFree(name);
	xmlFree(col);
	xmlFree(val);
}

/* lookup(table, key-column, key, value-column): the value in the first row whose key
 * column equals key, or "". */
static void fn_lookup(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *name = NULL, *kcol = NULL, *key = NULL, *vcol = NULL;
	const rd_table *t;
	int kc, vc;
	long row;

	CHECK_ARITY(4);
	vcol = pop_str(ctxt);
	key = pop_str(ctxt);
	kcol = pop_str(ctxt);
	name = pop_str(ctxt);
	if (name == NULL || kcol == NULL || key == NULL || vcol == NULL)
		goto done;
	t = arg_table(ctxt, name);
	if (t == NULL)
		goto done;
	kc = arg_column(ctxt, t, kcol);
	if (kc < 0)
		goto done;
	vc = arg_column(ctxt, t, vcol);
	if (vc < 0)
		goto done;
	row = rd__table_find(t, kc, (const char *)key);
	push(ctxt, xmlXPathNewCString(row >= 0 ? t->rows[row][vc] : ""));
done:
	xmlFree(name);
	xmlFree(kcol);
	xmlFree(key);
	xmlFree(vcol);
}

/* Regular expressions compiled at run time (patterns that are not literals) are kept
 * for the rest of the check, up to this many; past them each one is compiled, used and
 * freed, so that a document cannot make a check keep an automaton per node. */
#define RD_DYN_REGEX_MAX 64

/* The compiled expression for src: the rule set's (literals compiled at load time), the
 * check's, or a new one, which the caller frees when *owned is set to it. */
static const rd_regex *dyn_regex(xmlXPathParserContextPtr ctxt, const char *src, rd_regex **owned)
{
	rd_eval *ev = EV(ctxt);
	const rd_regex *cre;
	rd_regex *re;
	char err[256];
	size_t i;

	*owned = NULL;
	cre = rd__rules_regex(ev->rules, src);
	if (cre != NULL)
		return cre;
	for (i = 0; i < ev->ndyn_regex; i++)
		if (strcmp(ev->dyn_regex[i].src, src) == 0)
			return ev->dyn_regex[i].re;
	re = rd__regex_compile(src, err);
	if (re == NULL) {
		raise_error(ctxt, "bad regular expression '%s': %s", src, err);
		return NULL;
	}
	if (ev->ndyn_regex >= RD_DYN_REGEX_MAX) {
		*owned = re;
		return re;
	}
	if (rd__grow(&ev->dyn_regex, &ev->capdyn_regex, ev->ndyn_regex, sizeof *ev->dyn_regex) < 0) {
		rd__regex_free(re);
		rd__eval_oom(ctxt);
		return NULL;
	}
	ev->dyn_regex[ev->ndyn_regex].src = rd__strdup(src);
	if (ev->dyn_regex[ev->ndyn_regex].src == NULL) {
		rd__regex_free(re);
		rd__eval_oom(ctxt);
		return NULL;
	}
	ev->dyn_regex[ev->ndyn_regex++].re = re;
	return re;
}

/* The automaton's steps that count as one XPath operation against the evaluation
 * budget (ctxt->context->opLimit): a step (one instruction tried on one character)
 * costs about 1.5 ns, an XPath operation about 15 (measured: bench/README.md). */
#define RD_REGEX_STEPS_PER_OP 10

/* matches(s, pattern): true when the whole of s matches the XSD regular expression.
 * The match runs in time linear in s (regex.c) and its steps are charged to the
 * budget; a match that cannot be decided is an evaluation error, never false. */
static void fn_matches(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlXPathContextPtr xp = ctxt->context;
	unsigned long work = 0, limit = ULONG_MAX, ops;
	rd_regex *owned = NULL;
	const rd_regex *re;
	xmlChar *s, *pat;
	int rc;

	CHECK_ARITY(2);
	pat = pop_str(ctxt);
	s = pop_str(ctxt);
	if (s != NULL && pat != NULL) {
		re = dyn_regex(ctxt, (const char *)pat, &owned);
		if (re != NULL) {
			if (xp->opLimit != 0) {
				unsigned long left = xp->opCount < xp->opLimit ? xp->opLimit - xp->opCount : 0;

				limit = left > ULONG_MAX / RD_REGEX_STEPS_PER_OP ? ULONG_MAX
				                                                 : left * RD_REGEX_STEPS_PER_OP;
			}
			rc = rd__regex_exec(re, (const char *)s, strlen((const char *)s), &work, limit);
			ops = work / RD_REGEX_STEPS_PER_OP;
			xp->opCount = xp->opCount > ULONG_MAX - ops ? ULONG_MAX : xp->opCount + ops;
			if (rc == -2 || (xp->opLimit != 0 && xp->opCount > xp->opLimit)) {
				/* the budget ran out: as libxml2 says it, the count at the limit */
				xp->opCount = xp->opLimit;
				xmlXPathErr(ctxt, XPATH_OP_LIMIT_EXCEEDED);
			} else if (rc < 0) {
				raise_error(ctxt,
				            "matches(): could not match '%.60s' against a string of %zu bytes "
				            "(out of memory, or the string is not UTF-8)",
				            (const char *)pat, strlen((const char *)s));
			} else {
				push_bool(ctxt, rc == 1);
			}
		}
	}
	rd__regex_free(owned);
	xmlFree(s);
	xmlFree(pat);
}

static void change_case(xmlXPathParserContextPtr ctxt, int nargs, int upper)
{
	xmlChar *s, *p;
	xmlXPathObjectPtr v;

	CHECK_ARITY(1);
	s = pop_str(ctxt);
	if (s == NULL)
		return;
	for (p = s; *p; p++) {
		if (upper && *p >= 'a' && *p <= 'z')
			*p = (xmlChar)(*p - 'a' + 'A');
		else if (!upper && *p >= 'A' && *p <= 'Z')
			*p = (xmlChar)(*p - 'A' + 'a');
	}
	v = xmlXPathWrapString(s);
	if (v == NULL)
		xmlFree(s);
	push(ctxt, v);
}

/* upper-case(s), lower-case(s): ASCII letters only; other characters are kept. */
static void fn_upper_case(xmlXPathParserContextPtr ctxt, int nargs)
{
	change_case(ctxt, nargs, 1);
}

static void fn_lower_case(xmlXPathParserContextPtr ctxt, int nargs)
{
	change_case(ctxt, nargs, 0);
}

/* string-join(nodes, separator): the string values of the nodes, in document order. */
static void fn_string_join(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *sep;
	xmlNodeSetPtr ns;
	rd_buf b;
	size_t seplen;
	int i, over = 0;

	CHECK_ARITY(2);
	sep = pop_str(ctxt);
	if (sep == NULL)
		return;
	if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
		xmlFree(sep);
		raise_error(ctxt, "string-join() needs a node-set as its first argument");
		return;
	}
	ns = xmlXPathPopNodeSet(ctxt);
	if (ctxt->error != XPATH_EXPRESSION_OK) {
		xmlXPathFreeNodeSet(ns);
		xmlFree(sep);
		return;
	}
	rd__buf_init(&b);
	rd__buf_add(&b, "", 0);
	seplen = strlen((const char *)sep);
	for (i = 0; ns && i < ns->nodeNr && !b.oom && !over; i++) {
		xmlChar *v = xmlXPathCastNodeToString(ns->nodeTab[i]);
		size_t vlen;

		if (v == NULL) {
			b.oom = 1;
			break;
		}
		vlen = strlen((const char *)v);
		/* each node costs what it adds to the result */
		if (rd__eval_charge(ctxt, RD_OPS_FOR_BYTES(vlen + (i ? seplen : 0))) < 0) {
			over = 1;
		} else {
			if (i)
				rd__buf_add(&b, (const char *)sep, seplen);
			rd__buf_add(&b, (const char *)v, vlen);
		}
		xmlFree(v);
	}
	xmlXPathFreeNodeSet(ns);
	xmlFree(sep);
	if (over) {
		rd__buf_free(&b);
		return;
	}
	if (b.oom) {
		rd__buf_free(&b);
		rd__eval_oom(ctxt);
		return;
	}
	push(ctxt, xmlXPathNewCString(b.data));
	rd__buf_free(&b);
}

/* A new element of the check's scratch document (made when first needed), appended to
 * parent (NULL: the root), numbered in document order as loaded documents are, so that
 * node-sets of these nodes sort in O(n log n). */
static xmlNodePtr scratch_element(rd_eval *ev, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	if (ev->scratch == NULL) {
		xmlNodePtr root;

		ev->scratch = xmlNewDoc((const xmlChar *)"1.0");
		if (ev->scratch == NULL)
			return NULL;
		root = xmlNewDocNode(ev->scratch, NULL, (const xmlChar *)"scratch", NULL);
		if (root == NULL)
			return NULL;
		xmlDocSetRootElement(ev->scratch, root);
		root->content = (void *)(-(ptrdiff_t)++ev->scratch_order);
	}
	n = xmlNewDocNode(ev->scratch, NULL, (const xmlChar *)name, NULL);
	if (n == NULL)
		return NULL;
	xmlAddChild(parent ? parent : xmlDocGetRootElement(ev->scratch), n);
	n->content = (void *)(-(ptrdiff_t)++ev->scratch_order);
	return n;
}

static int is_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* tokens(list [, prefix [, suffix...]]): the whitespace-separated tokens of the string
 * list (an IDREFS-like value such as segment/@passengers), as a node-set of new text
 * nodes, in order, whose string values are prefix, the token and a suffix: one node per
 * token, or, with suffixes, one per token and suffix. XPath 1.0 cannot split a string
 * into several values; an xsl:key whose use is tokens(@passengers) indexes each segment
 * under every passenger it names, and key(name, tokens(...)) looks several values up at
 * once. The nodes of one call are the children of one element of the check's scratch
 * document, numbered in document order; they live until the check ends. */
static void fn_tokens(xmlXPathParserContextPtr ctxt, int nargs)
{
	rd_eval *ev = EV(ctxt);
	xmlChar *list = NULL, *prefix = NULL, **suffix = NULL;
	xmlNodeSetPtr out = NULL;
	xmlNodePtr group = NULL;
	const xmlChar *p;
	size_t plen = 0, nsuf = 0, i;
	unsigned long made = 0;
	rd_buf b;

	rd__buf_init(&b);
	if (nargs < 1) {
		XP_ERROR(XPATH_INVALID_ARITY);
	}
	if (nargs > 2) {
		nsuf = (size_t)nargs - 2;
		suffix = rd__calloc(nsuf, sizeof *suffix);
		if (suffix == NULL)
			goto oom;
		for (i = nsuf; i-- > 0;)
			if ((suffix[i] = pop_str(ctxt)) == NULL)
				goto oom;
	}
	if (nargs >= 2) {
		prefix = pop_str(ctxt);
		if (prefix == NULL)
			goto oom;
		plen = strlen((const char *)prefix);
	}
	list = pop_str(ctxt);
	out = xmlXPathNodeSetCreate(NULL);
	if (list == NULL || out == NULL)
		goto oom;
	for (p = list; *p;) {
		const xmlChar *t;

		while (is_xml_space(*p))
			p++;
		if (*p == '\0')
			break;
		for (t = p; *p && !is_xml_space(*p); p++)
			;
		if (group == NULL && (group = scratch_element(ev, NULL, "tokens")) == NULL)
			goto oom;
		for (i = 0; i < (nsuf ? nsuf : 1); i++) {
			xmlNodePtr text;

			rd__buf_reset(&b);
			rd__buf_add(&b, prefix ? (const char *)prefix : "", plen);
			rd__buf_add(&b, (const char *)t, (size_t)(p - t));
			if (nsuf)
				rd__buf_puts(&b, (const char *)suffix[i]);
			if (b.oom || b.len > INT_MAX)
				goto oom;
			text = xmlNewDocTextLen(ev->scratch, (const xmlChar *)b.data, (int)b.len);
			if (text == NULL)
				goto oom;
			/* linked by hand: xmlAddChild() would merge it into the text before */
			text->parent = group;
			text->prev = group->last;
			if (group->last)
				group->last->next = text;
			else
				group->children = text;
			group->last = text;
			if (xmlXPathNodeSetAddUnique(out, text) < 0)
				goto oom;
			made++;
		}
	}
	/* counted as libxml2 counts its own work, when the context has a limit */
	if (ctxt->context->opLimit) {
		xmlXPathContextPtr xp = ctxt->context;

		if (made + 1 > xp->opLimit || xp->opCount > xp->opLimit - (made + 1)) {
			xp->opCount = xp->opLimit;
			raise_error(ctxt, "the evaluation exceeded its operation limit");
			goto done;
		}
		xp->opCount += made + 1;
	}
	valuePush(ctxt, xmlXPathWrapNodeSet(out));
	out = NULL;
	goto done;
oom:
	raise_error(ctxt, "out of memory");
done:
	for (i = 0; suffix && i < nsuf; i++)
		xmlFree(suffix[i]);
	free(suffix);
	xmlFree(list);
	xmlFree(prefix);
	rd__buf_free(&b);
	if (out)
		xmlXPathFreeNodeSet(out);
}

/* doc(role): the root of the case's document with that role (given to the check, or a
 * document element of a case being checked); an empty node-set when there is none. */
static void fn_doc(xmlXPathParserContextPtr ctxt, int nargs)
{
	const rd_eval *ev = EV(ctxt);
	xmlChar *role;
	xmlNodePtr found = NULL;
	size_t i;

	CHECK_ARITY(1);
	role = pop_str(ctxt);
	if (role == NULL)
		return;
	for (i = 0; ev->opts && i < ev->opts->ndocs && found == NULL; i++)
		if (ev->opts->docs[i].role && ev->opts->docs[i].doc &&
		    strcmp(ev->opts->docs[i].role, (const char *)role) == 0)
			found = xmlDocGetRootElement(ev->opts->docs[i].doc->doc);
	if (found == NULL && ev->doc) {
		/* a case document: <case><document role="..."><licence .../></document></case> */
		xmlNodePtr root = xmlDocGetRootElement(ev->doc->doc), k;

		if (root && root->ns && xmlStrEqual(root->ns->href, (const xmlChar *)RD_NS_DOC) &&
		    xmlStrEqual(root->name, (const xmlChar *)"case")) {
			for (k = root->children; k && found == NULL; k = k->next) {
				xmlChar *r;

				if (k->type != XML_ELEMENT_NODE || !xmlStrEqual(k->name, (const xmlChar *)"document"))
					continue;
				r = xmlGetNoNsProp(k, (const xmlChar *)"role");
				if (r == NULL && xmlHasNsProp(k, (const xmlChar *)"role", NULL) != NULL) {
					/* there, but it could not be copied */
					xmlFree(role);
					rd__eval_oom(ctxt);
					return;
				}
				if (r && xmlStrEqual(r, role)) {
					xmlNodePtr c;

					for (c = k->children; c && found == NULL; c = c->next)
						if (c->type == XML_ELEMENT_NODE)
							found = c;
				}
				xmlFree(r);
			}
		}
	}
	xmlFree(role);
	push(ctxt, xmlXPathNewNodeSet(found));
}

/* XSLT current(): the node the rule fired on. */
static void fn_current(xmlXPathParserContextPtr ctxt, int nargs)
{
	CHECK_ARITY(0);
	push(ctxt, xmlXPathNewNodeSet(EV(ctxt)->current));
}

static void node_id(const xmlNode *node, char *buf, size_t len)
{
	if (node == NULL) {
		buf[0] = '\0';
	} else if (node->type == XML_NAMESPACE_DECL) {
		/* namespace nodes are copies made for each evaluation: name them by their
		 * element and prefix, which do not change */
		const xmlNs *ns = (const xmlNs *)node;
		unsigned long h = 5381;
		const xmlChar *q;

		for (q = ns->prefix; q && *q; q++)
			h = h * 33 + *q;
		snprintf(buf, len, "n%lx-ns%lx", (unsigned long)(uintptr_t)ns->next, h);
	} else {
		/* by hand, not snprintf: keys scope their values with generate-id(..), so this
		 * runs for every node they index and every lookup */
		static const char hex[] = "0123456789abcdef";
		unsigned long v = (unsigned long)(uintptr_t)node;
		char tmp[2 * sizeof v];
		size_t n = 0, i;

		do {
			tmp[n++] = hex[v & 15];
			v >>= 4;
		} while (v);
		if (len < n + 2) {
			buf[0] = '\0';
			return;
		}
		buf[0] = 'n';
		for (i = 0; i < n; i++)
			buf[1 + i] = tmp[n - 1 - i];
		buf[1 + n] = '\0';
	}
}

/* XSLT generate-id([nodes]): an identifier for a node, stable during one check. */
static void fn_generate_id(xmlXPathParserContextPtr ctxt, int nargs)
{
	char buf[64];

	if (nargs > 1) {
		XP_ERROR(XPATH_INVALID_ARITY);
	}
	if (nargs == 1) {
		xmlNodeSetPtr ns;

		if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
			XP_ERROR(XPATH_INVALID_TYPE);
		}
		ns = xmlXPathPopNodeSet(ctxt);
		/* before the set is freed: it owns namespace node copies */
		node_id(ns && ns->nodeNr ? ns->nodeTab[0] : NULL, buf, sizeof buf);
		xmlXPathFreeNodeSet(ns);
	} else {
		node_id(ctxt->context->node, buf, sizeof buf);
	}
	push(ctxt, xmlXPathNewCString(buf));
}

/* ---------------------------------------------------------------- identity documents */

void rd__eval_cleanup(rd_eval *ev)
{
	size_t i;

	rd__keys_free(ev);
	if (ev->scratch)
		xmlFreeDoc(ev->scratch);
	ev->scratch = NULL;
	ev->scratch_order = 0;

	for (i = 0; i < ev->ndyn_regex; i++) {
		free(ev->dyn_regex[i].src);
		rd__regex_free(ev->dyn_regex[i].re);
	}
	free(ev->dyn_regex);
	ev->dyn_regex = NULL;
	ev->ndyn_regex = ev->capdyn_regex = 0;
	for (i = 0; i < RD_ARRAY_LEN(ev->mrz_cache); i++) {
		free(ev->mrz_cache[i].text);
		rd_mrz_free(ev->mrz_cache[i].mrz);
		ev->mrz_cache[i].text = NULL;
		ev->mrz_cache[i].mrz = NULL;
	}
}

/* The parsed MRZ of a string (cached for the check); NULL when out of memory. */
static const rd_mrz *mrz_of(xmlXPathParserContextPtr ctxt, const xmlChar *text)
{
	rd_eval *ev = EV(ctxt);
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	char asof[11];
	rd_mrz *m = NULL;
	unsigned int i;

	for (i = 0; i < RD_ARRAY_LEN(ev->mrz_cache); i++)
		if (ev->mrz_cache[i].text && strcmp(ev->mrz_cache[i].text, (const char *)text) == 0)
			return ev->mrz_cache[i].mrz;
	rd__date_format(ev->today, asof);
	o.as_of = asof;
	if (rd_mrz_parse(&m, (const char *)text, strlen((const char *)text), &o) != RD_OK)
		return NULL;
	i = ev->mrz_next++ % RD_ARRAY_LEN(ev->mrz_cache);
	free(ev->mrz_cache[i].text);
	rd_mrz_free(ev->mrz_cache[i].mrz);
	ev->mrz_cache[i].text = rd__strdup((const char *)text);
	ev->mrz_cache[i].mrz = m;
	if (ev->mrz_cache[i].text == NULL) {
		rd_mrz_free(m);
		ev->mrz_cache[i].mrz = NULL;
		return NULL;
	}
	return m;
}

/* mrz-valid(mrz): true when the MRZ has no error (every check digit right, known codes,
 * real dates, ...). */
static void fn_mrz_valid(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *s;
	const rd_mrz *m;

	CHECK_ARITY(1);
	s = pop_str(ctxt);
	if (s == NULL)
		return;
	m = mrz_of(ctxt, s);
	xmlFree(s);
	if (m == NULL) {
		rd__eval_oom(ctxt);
		return;
	}
	push(ctxt, xmlXPathNewBoolean(rd_mrz_valid(m)));
}

/* mrz-field(mrz, name): a field of an MRZ by its JSON name (documentNumber, birthDate,
 * ...), dates as YYYY-MM-DD; '' when the format has no such field. */
static void fn_mrz_field(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *s, *name;
	const rd_mrz *m;
	int f;

	CHECK_ARITY(2);
	name = pop_str(ctxt);
	s = pop_str(ctxt);
	if (s == NULL || name == NULL) {
		xmlFree(s);
		xmlFree(name);
		return;
	}
	f = rd_mrz_field_from_name((const char *)name);
	if (f == 0) {
		raise_error(ctxt, "mrz-field(): no MRZ field named '%s'", (const char *)name);
	} else {
		m = mrz_of(ctxt, s);
		if (m == NULL)
			rd__eval_oom(ctxt);
		else {
			const char *v = rd_mrz_get(m, (rd_mrz_field)f);

			push(ctxt, xmlXPathNewCString(v ? v : ""));
		}
	}
	xmlFree(s);
	xmlFree(name);
}

/* mrz-problems(mrz): the MRZ's errors as "code:field" words separated by spaces ('' when
 * valid); warnings are not included. */
static void fn_mrz_problems(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *s;
	const rd_mrz *m;
	rd_buf b;
	size_t i;

	CHECK_ARITY(1);
	s = pop_str(ctxt);
	if (s == NULL)
		return;
	m = mrz_of(ctxt, s);
	xmlFree(s);
	if (m == NULL) {
		rd__eval_oom(ctxt);
		return;
	}
	rd__buf_init(&b);
	rd__buf_add(&b, "", 0);
	for (i = 0; i < rd_mrz_problem_count(m); i++) {
		const rd_mrz_problem *p = rd_mrz_get_problem(m, i);

		if (p->severity != RD_SEVERITY_ERROR)
			continue;
		if (b.len)
			rd__buf_putc(&b, ' ');
		rd__buf_puts(&b, p->code);
		if (p->field) {
			rd__buf_putc(&b, ':');
			rd__buf_puts(&b, p->field);
		}
	}
	if (b.oom) {
		rd__buf_free(&b);
		rd__eval_oom(ctxt);
		return;
	}
	push(ctxt, xmlXPathNewCString(b.data));
	rd__buf_free(&b);
}

static void cnic_fn(xmlXPathParserContextPtr ctxt, int nargs, int what)
{
	xmlChar *s;
	rd_cnic k = RD_CNIC_INIT;
	int ok;

	CHECK_ARITY(1);
	s = pop_str(ctxt);
	if (s == NULL)
		return;
	ok = rd_cnic_parse((const char *)s, &k);
	xmlFree(s);
	if (what == 0)
		push(ctxt, xmlXPathNewBoolean(ok));
	else if (what == 1)
		push(ctxt, xmlXPathNewCString(k.digits[0] && k.province ? k.province : ""));
	else {
		char g[2] = { k.gender, '\0' };

		push(ctxt, xmlXPathNewCString(k.digits[0] ? g : ""));
	}
}

/* cnic-valid(s): a well-formed CNIC (format, province digit 1-7, gender digit not 0). */
static void fn_cnic_valid(xmlXPathParserContextPtr ctxt, int nargs)
{
	cnic_fn(ctxt, nargs, 0);
}

/* cnic-province(s): the province or region of registration, or ''. */
static void fn_cnic_province(xmlXPathParserContextPtr ctxt, int nargs)
{
	cnic_fn(ctxt, nargs, 1);
}

/* cnic-gender(s): 'M' or 'F' from the last digit, or ''. */
static void fn_cnic_gender(xmlXPathParserContextPtr ctxt, int nargs)
{
	cnic_fn(ctxt, nargs, 2);
}

/* name-matches(printed, mrz): the printed name and the MRZ name have the same
 * components under ICAO's transliteration. mrz is a whole MRZ (two or three lines:
 * its name field is used, truncated only if it fills the field) or a name field
 * (rd_name_matches). */
static void fn_name_matches(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *printed, *mrz;

	CHECK_ARITY(2);
	mrz = pop_str(ctxt);
	printed = pop_str(ctxt);
	if (printed && mrz) {
		int match;

		if (strchr((const char *)mrz, '\n')) {
			const rd_mrz *m = mrz_of(ctxt, mrz);
			const char *name = m ? rd_mrz_get(m, RD_MRZ_NAME) : NULL;

			if (m == NULL) {
				rd__eval_oom(ctxt);
				goto done;
			}
			match = name && *name
			            ? rd__name_matches((const char *)printed, name, rd_mrz_name_truncated(m))
			            : 0;
		} else {
			match = rd__name_matches_field((const char *)printed, (const char *)mrz);
		}
		if (match < 0)
			rd__eval_oom(ctxt);
		else
			push(ctxt, xmlXPathNewBoolean(match));
	}
done:
	xmlFree(printed);
	xmlFree(mrz);
}

/* name-to-mrz(surname, given): the name as an MRZ name field writes it. */
static void fn_name_to_mrz(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *sur, *giv;
	char *out = NULL;

	CHECK_ARITY(2);
	giv = pop_str(ctxt);
	sur = pop_str(ctxt);
	if (sur && giv && rd_name_to_mrz(&out, (const char *)sur, (const char *)giv) == RD_OK)
		push(ctxt, xmlXPathNewCString(out));
	else if (sur && giv)
		rd__eval_oom(ctxt);
	free(out);
	xmlFree(sur);
	xmlFree(giv);
}

/* licence-signature([role]), licence-signature-detail([role]) (licsig.c): a verification
 * reports its own failures in the verdict, so while it runs libxml2's errors on this thread
 * do not taint the evaluation, except a failed allocation. */
static void fn_licence_signature(xmlXPathParserContextPtr ctxt, int nargs)
{
	rd_eval *ev = EV(ctxt);

	ev->quiet++;
	rd__fn_licence_signature(ctxt, nargs);
	ev->quiet--;
}

static void fn_licence_signature_detail(xmlXPathParserContextPtr ctxt, int nargs)
{
	rd_eval *ev = EV(ctxt);

	ev->quiet++;
	rd__fn_licence_signature_detail(ctxt, nargs);
	ev->quiet--;
}

/* The implementations of the functions of urn:rahdari:fn:1, by name. Their signatures
 * (arities, literal arguments) are fnsig.c's, which the compiler checks; rd__fn_lookup()
 * gives an implementation only to a name that has a signature there too. */
static const struct {
	const char *name;
	xmlXPathFunction fn;
} implementations[] = {
	{ "add-days", fn_add_days },
	{ "add-months", fn_add_months },
	{ "after", rd__fn_after },
	{ "age", fn_age },
	{ "cnic-gender", fn_cnic_gender },
	{ "cnic-province", fn_cnic_province },
	{ "cnic-valid", fn_cnic_valid },
	{ "date-valid", fn_date_valid },
	{ "doc", fn_doc },
	{ "days-between", fn_days_between },
	{ "distinct", rd__fn_distinct },
	{ "except", rd__fn_except },
	{ "first", rd__fn_first },
	{ "in-table", fn_in_table },
	{ "licence-signature", fn_licence_signature },
	{ "licence-signature-detail", fn_licence_signature_detail },
	{ "lookup", fn_lookup },
	{ "lower-case", fn_lower_case },
	{ "matches", fn_matches },
	{ "months-between", fn_months_between },
	{ "mrz-field", fn_mrz_field },
	{ "mrz-problems", fn_mrz_problems },
	{ "mrz-valid", fn_mrz_valid },
	{ "name-matches", fn_name_matches },
	{ "name-to-mrz", fn_name_to_mrz },
	{ "string-join", fn_string_join },
	{ "today", fn_today },
	{ "tokens", fn_tokens },
	{ "upper-case", fn_upper_case },
};

/* ---------------------------------------------------------------- XPath 1.0 built-ins, faster */

/* Decode one UTF-8 character; its length. The parser has checked the text of documents,
 * but not strings that come from elsewhere (--param values): a byte that does not start a
 * well-formed sequence is a character of its own, so that no following byte is swallowed
 * (the NUL at the end included). */
static size_t u8_next(const unsigned char *p, unsigned int *cp)
{
	uint32_t c;
	size_t n = rd__utf8_decode(p, SIZE_MAX, &c);

	if (n == 0) {
		*cp = p[0];
		return 1;
	}
	*cp = c;
	return n;
}

/* translate(s, from, to), as XPath 1.0 defines it (a character of s that occurs in from,
 * first occurrence, is replaced by the character at that position in to, or removed when
 * to is shorter), with a table for ASCII instead of a search of from for every character
 * of s: libxml2's own is the hottest function of date checks written in plain XPath.
 * The budget is charged for the three strings (pop_str), and for each search of from for
 * a character outside ASCII as it goes (|s| times |from| at worst). */

#define TR_KEEP SIZE_MAX        /* not in from: kept as written */
#define TR_DROP (SIZE_MAX - 1)  /* in from, past the end of to: removed */

/* What each ASCII character of s becomes. */
typedef struct {
	size_t at[128];           /* TR_KEEP, TR_DROP or the byte offset of its replacement in to */
	unsigned char len[128];   /* the length of that replacement in bytes (1 to 4) */
} tr_table;

/* Fill @tab from the ASCII characters of from, walking from and to together. Characters
 * outside ASCII are looked up as they come (tr_search). */
static void tr_table_build(tr_table *tab, const xmlChar *from, const xmlChar *to)
{
	const unsigned char *f = from, *t = to;
	int to_done = 0;
	size_t i;

	for (i = 0; i < 128; i++)
		tab->at[i] = TR_KEEP;
	while (*f) {
		unsigned int fc, tc;
		size_t tl = 0;

		f += u8_next(f, &fc);
		if (!to_done && *t)
			tl = u8_next(t, &tc);
		else
			to_done = 1;
		if (fc < 128 && tab->at[fc] == TR_KEEP) {
			tab->at[fc] = to_done ? TR_DROP : (size_t)(t - to);
			tab->len[fc] = (unsigned char)tl;
		}
		t += tl;
	}
}

/* Search from for the first occurrence of @c; its replacement in to (@put, @putn; 0 bytes
 * when to is shorter), or NULL when @c is not in from. The number of bytes of from read. */
static size_t tr_search(const xmlChar *from, const xmlChar *to, unsigned int c,
                        const char **put, size_t *putn)
{
	const unsigned char *f = from, *t = to;
	int to_done = 0;

	*put = NULL;
	*putn = 0;
	while (*f) {
		unsigned int fc, tc;
		size_t fl = u8_next(f, &fc), tl = 0;

		if (!to_done && *t)
			tl = u8_next(t, &tc);
		else
			to_done = 1;
		if (fc == c) {
			*put = (const char *)t;
			*putn = tl;
			return (size_t)(f - from) + 1;
		}
		f += fl;
		t += tl;
	}
	return (size_t)(f - from) + 1;
}

/* The replacement of the character at @p (of @n bytes, code point @c): @put and @putn,
 * 0 bytes when it is removed. The bytes of from searched are added to @scanned. */
static void tr_map(const tr_table *tab, const xmlChar *from, const xmlChar *to,
                   const unsigned char *p, size_t n, unsigned int c, const char **put,
                   size_t *putn, size_t *scanned)
{
	if (c < 128) {
		size_t m = tab->at[c];

		if (m == TR_KEEP) {
			/* kept as written */
			*put = (const char *)p;
			*putn = n;
		} else if (m == TR_DROP) {
			*put = NULL;
			*putn = 0;
		} else {
			*put = (const char *)to + m;
			*putn = tab->len[c];
		}
		return;
	}
	*scanned += tr_search(from, to, c, put, putn);
	if (*put == NULL) {
		*put = (const char *)p;
		*putn = n;
	}
}

/* Whether every character of @s is ASCII. */
static int tr_all_ascii(const xmlChar *s)
{
	while (*s && *s < 128)
		s++;
	return *s == '\0';
}

/* Translate @str. When to is ASCII, every replacement is one byte, so the result is never
 * longer than str and is written over it (str is translate's own copy): the result is str.
 * Otherwise it is built in @out and str is left as it was. -1 when the budget ran out
 * (raised). */
static int tr_apply(xmlXPathParserContextPtr ctxt, const tr_table *tab, const xmlChar *from,
                    const xmlChar *to, xmlChar *str, int in_place, rd_buf *out)
{
	const unsigned char *p = str;
	xmlChar *w = str;
	size_t scanned = 0; /* bytes of from searched, not charged yet */

	while (*p) {
		unsigned int c;
		size_t n;
		const char *put;
		size_t putn;

		if (in_place && *p < 128) {
			/* the common case, a byte at a time */
			size_t m = tab->at[*p];

			if (m == TR_KEEP)
				*w++ = *p;
			else if (m != TR_DROP)
				*w++ = to[m];
			p++;
			continue;
		}
		n = u8_next(p, &c);
		tr_map(tab, from, to, p, n, c, &put, &putn, &scanned);
		if (scanned >= 4096 * RD_BYTES_PER_OP) {
			if (rd__eval_charge(ctxt, scanned / RD_BYTES_PER_OP) < 0)
				return -1;
			scanned %= RD_BYTES_PER_OP;
		}
		if (in_place) {
			/* putn <= n: the write never passes the read */
			if (putn)
				memmove(w, put, putn);
			w += putn;
		} else if (putn) {
			rd__buf_add(out, put, putn);
		}
		p += n;
	}
	if (in_place)
		*w = '\0';
	return 0;
}

static void fn_translate(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *str, *from, *to, *res;
	tr_table tab;
	rd_buf out;
	xmlXPathObjectPtr v;
	int in_place, rc;

	CHECK_ARITY(3);
	to = pop_str(ctxt);
	from = pop_str(ctxt);
	str = pop_str(ctxt);
	if (to == NULL || from == NULL || str == NULL) {
		/* the error is raised (an argument missing, memory, the budget) */
		xmlFree(to);
		xmlFree(from);
		xmlFree(str);
		return;
	}
	tr_table_build(&tab, from, to);
	in_place = tr_all_ascii(to);
	rd__buf_init(&out);
	if (!in_place)
		rd__buf_add(&out, "", 0);
	rc = tr_apply(ctxt, &tab, from, to, str, in_place, &out);
	xmlFree(to);
	xmlFree(from);
	if (rc < 0) {
		rd__buf_free(&out);
		xmlFree(str);
		return;
	}
	if (in_place) {
		res = str;
	} else {
		xmlFree(str);
		/* xmlStrndup: the string is libxml2's to free, with its allocator */
		res = out.oom ? NULL : xmlStrndup((const xmlChar *)out.data, (int)out.len);
		rd__buf_free(&out);
		if (res == NULL) {
			rd__eval_oom(ctxt);
			return;
		}
	}
	v = xmlXPathWrapString(res);
	if (v == NULL)
		xmlFree(res);
	push(ctxt, v);
}

/* XPath's round(): the nearest integer, halves up (not floor(x + 0.5), which rounds
 * 0.49999999999999994 up). NaN and infinities stay as they are. */
static double xpath_round(double x)
{
	double r;

	if (!isfinite(x))
		return x;
	r = floor(x);
	return x - r >= 0.5 ? r + 1.0 : r;
}

/* substring(s, start [, length]), as XPath 1.0 defines it: the characters at positions p
 * (from 1) with round(start) <= p < round(start) + round(length). libxml2's own answers
 * "" when it cannot allocate the result, and says nothing. */
static void fn_substring(xmlXPathParserContextPtr ctxt, int nargs)
{
	double start, len = INFINITY, first, end;
	xmlChar *str, *res;
	xmlXPathObjectPtr v;
	const unsigned char *p, *from = NULL, *to = NULL;
	unsigned int cp;
	double pos;

	if (nargs < 2 || nargs > 3) {
		XP_ERROR(XPATH_INVALID_ARITY);
	}
	if (nargs == 3 && pop_num(ctxt, &len) < 0)
		return;
	if (pop_num(ctxt, &start) < 0)
		return;
	str = pop_str(ctxt);
	if (str == NULL)
		return;
	first = xpath_round(start);
	end = first + xpath_round(len); /* NaN when either is, or for -inf + inf */
	/* the first and the last character taken: comparisons with NaN are false */
	for (p = str, pos = 1; *p; pos++) {
		size_t n = u8_next(p, &cp);

		if (pos >= first && pos < end) {
			if (from == NULL)
				from = p;
			to = p + n;
		} else if (from != NULL) {
			break;
		}
		p += n;
	}
	res = xmlStrndup(from ? from : str, from ? (int)(to - from) : 0);
	xmlFree(str);
	if (res == NULL) {
		rd__eval_oom(ctxt);
		return;
	}
	v = xmlXPathWrapString(res);
	if (v == NULL)
		xmlFree(res);
	push(ctxt, v);
}

xmlXPathFunction rd__fn_lookup(void *ctxt, const xmlChar *name, const xmlChar *ns_uri)
{
	size_t i;

	RD_UNUSED(ctxt);
	if (ns_uri == NULL) {
		if (strcmp((const char *)name, "current") == 0)
			return fn_current;
		if (strcmp((const char *)name, "generate-id") == 0)
			return fn_generate_id;
		if (strcmp((const char *)name, "key") == 0)
			return rd__fn_key;
		if (strcmp((const char *)name, "translate") == 0)
			return fn_translate;
		if (strcmp((const char *)name, "substring") == 0)
			return fn_substring;
		return NULL;
	}
	if (strcmp((const char *)ns_uri, RD_NS_FN) != 0)
		return NULL;
	if (rd__fn_find((const char *)name, strlen((const char *)name)) == NULL)
		return NULL;
	for (i = 0; i < RD_ARRAY_LEN(implementations); i++)
		if (strcmp(implementations[i].name, (const char *)name) == 0)
			return implementations[i].fn;
	return NULL;
}
