/* rahdari: the evaluation engine.
 *
 * rd_check() runs a compiled rule set over one document. Each call has its own
 * XPath context (namespaces from the compiled schema, function and variable
 * lookups through callbacks), so many threads can check at once with one rule
 * set. For each active pattern, every rule's context is evaluated once from the
 * root; the matches of all rules are merged in document order and each node
 * fires only the first rule of the pattern that matches it (ISO Schematron
 * semantics). Anything that cannot be evaluated becomes a finding of kind
 * "evaluation-error" on that document: never dropped, never fatal.
 *
 * Fail closed: while a check runs, this thread's libxml2 error handlers are the check's
 * (restored after), so an error libxml2 reports anywhere -- an allocation that failed in
 * xmlStrcat or in a node-set, which libxml2 itself may then ignore -- taints the
 * evaluation under way, and one that libxml2 returned a value for is an evaluation error
 * all the same. An allocation failure anywhere makes the whole check fail (RD_ENOMEM):
 * a report that might lack a finding is never returned. The check has a budget of XPath
 * operations (libxml2's opLimit, with rahdari's functions charging their own work); when
 * it runs out, one evaluation-error finding says where, and the check stops there.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

/* The last position computed at each depth: findings come in document order, so the
 * next sibling asked for is usually a little after the last one. */
typedef struct pos_cache {
	const xmlNode *child;
	long pos;
} pos_cache;

#define RD_POS_DEPTH 300

typedef struct check_state {
	rd_eval ev;
	const rd_check_options *opts;
	rd_report *r;
	const rd_document *doc;
	const rd_schema *s;
	size_t schema_index;
	const char *lang;
	const char *jurisdiction;
	rd_buf buf;
	rd_buf loc;
	pos_cache pcache[RD_POS_DEPTH];
	/* Rules fire in document order over all patterns at once (for memory locality);
	 * each pattern's events go to its own slot, and the report is put back in
	 * pattern order when the schema is done. NULL: events go to the report. */
	struct ev_slot *slot;
	const rd_xsd *xsd; /* while validating the structure */
	int stopped;       /* the budget ran out (and the finding that says so was made) */
} check_state;

typedef struct ev_slot {
	rd_event *ev;
	size_t n, cap;
	int oom;
} ev_slot;

static void st_event(check_state *st, rd_event_type type, size_t index)
{
	ev_slot *sl = st->slot;

	if (sl == NULL) {
		rd__report_event(st->r, type, st->schema_index, index);
		return;
	}
	if (rd__grow(&sl->ev, &sl->cap, sl->n, sizeof *sl->ev) < 0) {
		sl->oom = 1;
		st->r->oom = 1;
		return;
	}
	sl->ev[sl->n].type = type;
	sl->ev[sl->n].schema = (uint32_t)st->schema_index;
	sl->ev[sl->n].index = index;
	sl->n++;
}

typedef struct hit {
	xmlNodePtr node;
	uint32_t pattern; /* position among the active patterns */
	uint32_t rule;
} hit;

/* ---------------------------------------------------------------- XPath plumbing */

void rd__eval_error(rd_eval *ev, const char *fmt, ...)
{
	va_list ap;

	if (ev->has_error)
		return;
	va_start(ap, fmt);
	vsnprintf(ev->errmsg, sizeof ev->errmsg, fmt, ap);
	va_end(ap);
	ev->has_error = 1;
}

static int is_oom(const xmlError *err)
{
	return err->code == XML_ERR_NO_MEMORY || err->code == XML_XPATH_MEMORY_ERROR;
}

/* The first error of an evaluation (fixed buffers: no allocation, memory may be short). */
static void note_error(rd_eval *ev, const char *msg)
{
	if (ev->has_error)
		return;
	snprintf(ev->errmsg, sizeof ev->errmsg, "%s",
	         msg && *msg ? msg : "libxml2 reported an error");
	rd__normalize_space(ev->errmsg);
	ev->has_error = 1;
}

/* The XPath context's error callback. */
static void on_xpath_error(void *ud, rd_xml_error err)
{
	rd_eval *ev = ud;

	if (ev == NULL || err == NULL)
		return;
	if (is_oom(err))
		ev->oom = 1;
	note_error(ev, err->message);
}

/* This thread's structured and generic error handlers while a check runs: libxml2 reports
 * there what it cannot report through the XPath context (an allocation that failed in
 * xmlStrdup, a node-set that could not grow, a stack left unbalanced). */
static void on_thread_error(void *ud, rd_xml_error err)
{
	rd_eval *ev = ud;

	if (ev == NULL || err == NULL)
		return;
	if (is_oom(err))
		ev->oom = 1;
	else if (ev->quiet)
		return;
	note_error(ev, err->message);
}

static void on_thread_generic(void *ud, const char *fmt, ...) RD_PRINTF(2, 3);

static void on_thread_generic(void *ud, const char *fmt, ...)
{
	rd_eval *ev = ud;
	char msg[256];
	va_list ap;

	if (ev == NULL || ev->quiet || ev->has_error)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	note_error(ev, msg);
}

/* The handlers of this thread that a check replaces for its duration. */
typedef struct thread_handlers {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc generic;
	void *gctx;
} thread_handlers;

static void handlers_take(thread_handlers *saved, rd_eval *ev)
{
	saved->serror = xmlStructuredError;
	saved->sctx = xmlStructuredErrorContext;
	saved->generic = xmlGenericError;
	saved->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(ev, on_thread_error);
	xmlSetGenericErrorFunc(ev, on_thread_generic);
}

static void handlers_restore(const thread_handlers *saved)
{
	xmlSetStructuredErrorFunc(saved->sctx, saved->serror);
	xmlSetGenericErrorFunc(saved->gctx, saved->generic);
}

/* libxml2 sets opCount to opLimit when the budget runs out. */
static int budget_out(const rd_eval *ev)
{
	return ev->xp->opLimit != 0 && ev->xp->opCount >= ev->xp->opLimit;
}

static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static xmlXPathObjectPtr eval_obj(rd_eval *ev, xmlXPathCompExprPtr e, xmlNodePtr node);
static int lazy_eval_error(rd_eval *ev, size_t i);

/* Evaluate rule variable i now, where the rule is: with only the variables declared
 * before it in scope, at the rule's context node, and the evaluation that asked for it
 * left as it was. */
static int var_force(rd_eval *ev, size_t i)
{
	struct rd_lazy_var *lz = &ev->var_lazy[i];
	xmlXPathContextPtr xp = ev->xp;
	xmlNodePtr node = xp->node;
	int size = xp->contextSize, pos = xp->proximityPosition;
	size_t limit = ev->var_limit;
	int had_error = ev->has_error;
	char saved[sizeof ev->errmsg];
	xmlXPathObjectPtr v;

	if (had_error)
		memcpy(saved, ev->errmsg, sizeof saved);
	ev->var_limit = i;
	v = eval_obj(ev, lz->let->expr, lz->node);
	if (v == NULL) {
		/* the variable's own error is a finding; the evaluation that asked goes on with
		 * an empty node-set, as when variables were evaluated in order */
		if (lazy_eval_error(ev, i) < 0) {
			ev->var_limit = limit;
			return -1;
		}
		v = xmlXPathNewNodeSet(NULL);
	}
	ev->var_limit = limit;
	xp->node = node;
	xp->contextSize = size;
	xp->proximityPosition = pos;
	ev->has_error = had_error;
	if (had_error)
		memcpy(ev->errmsg, saved, sizeof saved);
	if (v == NULL)
		return -1;
	ev->var_values[i] = v;
	lz->let = NULL;
	return 0;
}

static xmlXPathObjectPtr var_lookup(void *data, const xmlChar *name, const xmlChar *ns_uri)
{
	rd_eval *ev = data;
	unsigned int h;
	size_t i;

	if (ns_uri != NULL)
		return NULL;
	h = name_hash((const char *)name);
	for (i = ev->nvars < ev->var_limit ? ev->nvars : ev->var_limit; i-- > 0;) {
		xmlXPathObjectPtr copy;

		if (ev->var_hash[i] != h || strcmp(ev->var_names[i], (const char *)name) != 0)
			continue;

		if (ev->var_lazy[i].let && var_force(ev, i) < 0) {
			ev->oom = 1;
			rd__eval_error(ev, "out of memory");
			return NULL;
		}
		copy = xmlXPathObjectCopy(ev->var_values[i]);
		if (copy == NULL) {
			ev->oom = 1;
			rd__eval_error(ev, "out of memory");
		}
		return copy;
	}
	rd__eval_error(ev, "variable $%s is not defined here", (const char *)name);
	return NULL;
}

/* Push a variable: its value, or (value NULL, lazy set) what computes it when used. */
static int var_push_as(rd_eval *ev, const char *name, xmlXPathObjectPtr value,
                       const struct rd_lazy_var *lazy)
{
	if (ev->nvars == ev->capvars) {
		size_t cap = ev->capvars ? ev->capvars * 2 : 16;
		const char **nn = realloc(ev->var_names, cap * sizeof *nn);
		xmlXPathObjectPtr *nv;
		unsigned int *nh;
		struct rd_lazy_var *nl;

		if (nn == NULL)
			goto oom;
		ev->var_names = nn;
		nv = realloc(ev->var_values, cap * sizeof *nv);
		if (nv == NULL)
			goto oom;
		ev->var_values = nv;
		nh = realloc(ev->var_hash, cap * sizeof *nh);
		if (nh == NULL)
			goto oom;
		ev->var_hash = nh;
		nl = realloc(ev->var_lazy, cap * sizeof *nl);
		if (nl == NULL)
			goto oom;
		ev->var_lazy = nl;
		ev->capvars = cap;
	}
	ev->var_names[ev->nvars] = name;
	ev->var_values[ev->nvars] = value;
	ev->var_hash[ev->nvars] = name_hash(name);
	if (lazy)
		ev->var_lazy[ev->nvars] = *lazy;
	else
		memset(&ev->var_lazy[ev->nvars], 0, sizeof ev->var_lazy[ev->nvars]);
	ev->nvars++;
	return 0;
oom:
	xmlXPathFreeObject(value);
	return -1;
}

static int var_push(rd_eval *ev, const char *name, xmlXPathObjectPtr value)
{
	return var_push_as(ev, name, value, NULL);
}

static void var_pop_to(rd_eval *ev, size_t n)
{
	while (ev->nvars > n) {
		ev->nvars--;
		xmlXPathFreeObject(ev->var_values[ev->nvars]);
		ev->var_values[ev->nvars] = NULL;
	}
}

static void set_node(rd_eval *ev, xmlNodePtr node)
{
	ev->xp->node = node;
	ev->xp->contextSize = 1;
	ev->xp->proximityPosition = 1;
}

/* Evaluate; NULL when the evaluation failed, or raised an error on the way (libxml2 may
 * return a value all the same: a truncated string, a shorter node-set). */
static xmlXPathObjectPtr eval_obj(rd_eval *ev, xmlXPathCompExprPtr e, xmlNodePtr node)
{
	xmlXPathObjectPtr v;

	ev->has_error = 0;
	set_node(ev, node);
	v = xmlXPathCompiledEval(e, ev->xp);
	if (v != NULL && (ev->has_error || ev->oom)) {
		xmlXPathFreeObject(v);
		v = NULL;
	}
	return v;
}

/* 1, 0, or -1 when the evaluation failed or raised an error (libxml2 answers 0 when the
 * budget runs out in some places). */
static int eval_bool(rd_eval *ev, xmlXPathCompExprPtr e, xmlNodePtr node)
{
	int b;

	ev->has_error = 0;
	set_node(ev, node);
	b = xmlXPathCompiledEvalToBoolean(e, ev->xp);
	return ev->has_error || ev->oom ? -1 : b;
}

static const char *eval_reason(rd_eval *ev)
{
	return ev->has_error ? ev->errmsg : "evaluation failed";
}

/* ---------------------------------------------------------------- locations */

static int same_kind(const xmlNode *a, const xmlNode *b)
{
	if (a->type != b->type) {
		/* text and CDATA are both text() */
		int ta = a->type == XML_TEXT_NODE || a->type == XML_CDATA_SECTION_NODE;
		int tb = b->type == XML_TEXT_NODE || b->type == XML_CDATA_SECTION_NODE;

		return ta && tb;
	}
	if (a->type == XML_ELEMENT_NODE || a->type == XML_PI_NODE) {
		if (!xmlStrEqual(a->name, b->name))
			return 0;
		if (a->type == XML_ELEMENT_NODE) {
			const xmlChar *ua = a->ns ? a->ns->href : NULL, *ub = b->ns ? b->ns->href : NULL;

			return xmlStrEqual(ua, ub);
		}
	}
	return 1;
}

/* 1-based position of n among its siblings of the same kind and name. */
static long sibling_pos(check_state *st, const xmlNode *n, size_t depth)
{
	pos_cache *c = depth < RD_POS_DEPTH ? &st->pcache[depth] : NULL;
	const xmlNode *k;
	long pos = 0;

	if (n->parent == NULL)
		return 1;
	if (c && c->child && c->child->parent == n->parent && same_kind(c->child, n)) {
		/* walk forward from the last node asked for at this depth */
		pos = c->pos;
		for (k = c->child; k && k != n; k = k->next)
			if (k != c->child && same_kind(k, n))
				pos++;
		if (k == n) {
			if (n != c->child)
				pos++;
			c->child = n;
			c->pos = pos;
			return pos;
		}
		pos = 0;
	}
	for (k = n->parent->children; k; k = k->next) {
		if (same_kind(k, n))
			pos++;
		if (k == n)
			break;
	}
	if (c) {
		c->child = n;
		c->pos = pos;
	}
	return pos;
}

static const char *prefix_for(const rd_schema *s, const xmlChar *uri)
{
	size_t i;

	for (i = 0; i < s->nns; i++)
		if (xmlStrEqual((const xmlChar *)s->ns[i].uri, uri))
			return s->ns[i].prefix;
	return NULL;
}

static void step_name(check_state *st, rd_buf *b, const xmlNode *n)
{
	const xmlChar *uri = n->ns ? n->ns->href : NULL;

	if (uri == NULL) {
		rd__buf_puts(b, (const char *)n->name);
	} else {
		const char *p = prefix_for(st->s, uri);

		if (p) {
			rd__buf_printf(b, "%s:%s", p, (const char *)n->name);
		} else {
			rd__buf_puts(b, "*[local-name()='");
			rd__buf_puts(b, (const char *)n->name);
			rd__buf_puts(b, "' and namespace-uri()='");
			rd__buf_puts(b, (const char *)uri);
			rd__buf_puts(b, "']");
		}
	}
}

static void add_step(check_state *st, rd_buf *b, const xmlNode *n, size_t depth)
{
	rd__buf_putc(b, '/');
	switch (n->type) {
	case XML_ELEMENT_NODE:
		step_name(st, b, n);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		rd__buf_puts(b, "text()");
		break;
	case XML_COMMENT_NODE:
		rd__buf_puts(b, "comment()");
		break;
	case XML_PI_NODE:
		rd__buf_printf(b, "processing-instruction('%s')", (const char *)n->name);
		break;
	default:
		rd__buf_puts(b, "node()");
		break;
	}
	rd__buf_printf(b, "[%ld]", sibling_pos(st, n, depth));
}

static void add_steps(check_state *st, rd_buf *b, const xmlNode *n)
{
	const xmlNode *chain[RD_POS_DEPTH];
	const xmlNode *attr = NULL;
	const xmlNs *nsnode = NULL;
	size_t depth = 0, i;

	if (n == NULL || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return;
	if (n->type == XML_ATTRIBUTE_NODE) {
		attr = n;
		n = n->parent;
	} else if (n->type == XML_NAMESPACE_DECL) {
		/* XPath namespace nodes keep their parent element in ->next */
		nsnode = (const xmlNs *)n;
		n = nsnode->next && nsnode->next->type == XML_ELEMENT_NODE
		        ? (const xmlNode *)nsnode->next
		        : NULL;
	}
	for (; n && n->type != XML_DOCUMENT_NODE && n->type != XML_HTML_DOCUMENT_NODE;
	     n = n->parent) {
		if (depth == RD_POS_DEPTH)
			break; /* deeper than the loader allows: not reached */
		chain[depth++] = n;
	}
	for (i = depth; i-- > 0;)
		add_step(st, b, chain[i], depth - 1 - i);
	if (attr) {
		rd__buf_puts(b, "/@");
		step_name(st, b, attr);
	} else if (nsnode) {
		if (nsnode->prefix)
			rd__buf_printf(b, "/namespace::%s", (const char *)nsnode->prefix);
		else
			rd__buf_puts(b, "/namespace::*[name()='']");
	}
}

static const char *location(check_state *st, const xmlNode *n)
{
	rd__buf_reset(&st->loc);
	if (n == NULL || n->type == XML_DOCUMENT_NODE)
		rd__buf_puts(&st->loc, "/");
	else
		add_steps(st, &st->loc, n);
	if (st->loc.oom)
		return NULL;
	return rd__arena_strndup(&st->r->arena, st->loc.data, st->loc.len);
}

static long finding_line(const rd_document *doc, const xmlNode *n)
{
	long line;

	if (n == NULL || n->type == XML_DOCUMENT_NODE) {
		xmlNodePtr root = xmlDocGetRootElement(doc->doc);

		return root ? rd__node_line(root) : 0;
	}
	if (n->type == XML_NAMESPACE_DECL) {
		const xmlNs *ns = (const xmlNs *)n;

		n = ns->next && ns->next->type == XML_ELEMENT_NODE ? (const xmlNode *)ns->next : NULL;
	}
	line = rd__node_line(n);
	return line > 0 ? line : 0;
}

/* ---------------------------------------------------------------- findings */

/* The budget ran out: the one finding that says where, and the check stops (st->stopped:
 * what is evaluated after that fails at once, and is not reported again). */
static void budget_message(check_state *st, const rd_rule *rule, const rd_assertion *a,
                           const char *what, const char *expr, char *msg, size_t cap)
{
	const char *id = a && a->id ? a->id : rule && rule->id ? rule->id : NULL;
	char where[200], shown[400];

	if (id)
		snprintf(where, sizeof where, "rule %s", id);
	else if (rule)
		snprintf(where, sizeof where, "the rule on '%.120s'", rule->context_src);
	else
		snprintf(where, sizeof where, "the variables of the schema");
	snprintf(shown, sizeof shown, "%s", expr ? expr : "");
	rd__normalize_space(shown);
	if (expr && strlen(shown) > 160)
		memcpy(shown + 157, "...", 4);
	snprintf(msg, cap,
	         "the evaluation budget of %lu operations ran out in %s, evaluating %s '%s': "
	         "the check stopped there, and the rules it had not evaluated yet were not run on "
	         "this document, which may have findings that are not reported. If the document "
	         "is genuine, check it with a larger budget (rahdari --max-ops N; max_ops in "
	         "rd_check_options or in Python)",
	         st->ev.xp->opLimit, where, what, shown);
}

static int eval_error(check_state *st, const rd_pattern *p, const rd_rule *rule,
                      const rd_assertion *a, const xmlNode *node, const char *what,
                      const char *expr)
{
	rd_report *r = st->r;
	rd_finding *f;
	char msg[1024];

	/* out of memory: the whole check fails (rd_check returns RD_ENOMEM) */
	if (st->ev.oom)
		return -1;
	if (budget_out(&st->ev)) {
		if (st->stopped)
			return 0;
		st->stopped = 1;
		budget_message(st, rule, a, what, expr, msg, sizeof msg);
	} else {
		snprintf(msg, sizeof msg, "cannot evaluate %s: %s", what, eval_reason(&st->ev));
	}
	f = rd__report_add(r);
	if (f == NULL)
		return -1;
	st->ev.has_error = 0;
	f->assertion = a;
	f->rule = rule;
	f->pattern = p;
	f->kind = RD_KIND_EVAL_ERROR;
	f->severity = RD_SEVERITY_ERROR;
	f->message = rd__arena_strdup(&r->arena, msg);
	f->lang = "en";
	f->location = location(st, node);
	f->line = finding_line(st->doc, node);
	f->document = r->document;
	f->test = rd__arena_strdup(&r->arena, expr);
	f->schema_index = st->schema_index;
	if (f->message == NULL || f->location == NULL || (expr && f->test == NULL))
		return -1;
	st_event(st, RD_EV_FINDING, r->nfindings - 1);
	return r->oom ? -1 : 0;
}

/* A rule variable that could not be evaluated: a finding where the rule fired (the
 * evaluation state is the check's: rd_eval is the first member of check_state). */
static int lazy_eval_error(rd_eval *ev, size_t i)
{
	check_state *st = (check_state *)(void *)ev;
	const struct rd_lazy_var *lz = &ev->var_lazy[i];
	char what[300];

	snprintf(what, sizeof what, "variable $%s", lz->let->name);
	return eval_error(st, lz->pattern, lz->rule, NULL, lz->node, what, lz->let->src);
}

static void node_name(rd_buf *b, const xmlNode *n)
{
	if (n == NULL)
		return;
	switch (n->type) {
	case XML_ELEMENT_NODE:
	case XML_ATTRIBUTE_NODE:
		if (n->ns && n->ns->prefix)
			rd__buf_printf(b, "%s:", (const char *)n->ns->prefix);
		rd__buf_puts(b, (const char *)n->name);
		break;
	case XML_PI_NODE:
		rd__buf_puts(b, (const char *)n->name);
		break;
	case XML_NAMESPACE_DECL:
		if (((const xmlNs *)n)->prefix)
			rd__buf_puts(b, (const char *)((const xmlNs *)n)->prefix);
		break;
	default:
		break;
	}
}

/* Render a message template at node into an arena string. */
static const char *render(check_state *st, const rd_msg *m, xmlNodePtr node, const rd_pattern *p,
                          const rd_rule *rule, const rd_assertion *a, int *failed)
{
	size_t i;
	rd_buf *b = &st->buf;

	rd__buf_reset(b);
	rd__buf_add(b, "", 0);
	for (i = 0; i < m->n; i++) {
		const rd_part *part = &m->parts[i];
		xmlXPathObjectPtr o;

		if (part->type == RD_PART_TEXT) {
			rd__buf_puts(b, part->text);
			continue;
		}
		if (part->type == RD_PART_NAME && part->expr == NULL) {
			node_name(b, node);
			continue;
		}
		o = eval_obj(&st->ev, part->expr, node);
		if (o == NULL) {
			char what[300];

			snprintf(what, sizeof what, "%s in a message",
			         part->type == RD_PART_NAME ? "sch:name/@path" : "sch:value-of/@select");
			if (eval_error(st, p, rule, a, node, what, part->text) < 0)
				return NULL;
			*failed = 1;
			rd__buf_puts(b, "?");
			continue;
		}
		if (part->type == RD_PART_NAME) {
			if (o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0)
				node_name(b, o->nodesetval->nodeTab[0]);
		} else {
			xmlChar *sv = xmlXPathCastToString(o);

			if (sv == NULL) {
				/* never a message with a value silently missing */
				st->ev.oom = 1;
				xmlXPathFreeObject(o);
				return NULL;
			}
			rd__buf_puts(b, (const char *)sv);
			xmlFree(sv);
		}
		xmlXPathFreeObject(o);
	}
	if (b->oom)
		return NULL;
	rd__normalize_space(b->data);
	return rd__arena_strdup(&st->r->arena, b->data);
}

static int lang_match(const char *have, const char *want)
{
	size_t n;

	if (have == NULL || want == NULL)
		return 0;
	if (strcasecmp(have, want) == 0)
		return 1;
	/* same primary language: "ur-PK" serves "ur", "de" serves "de-AT" */
	n = strcspn(have, "-_");
	return strcspn(want, "-_") == n && strncasecmp(have, want, n) == 0;
}

static int make_finding(check_state *st, const rd_pattern *p, const rd_rule *rule,
                        const rd_assertion *a, xmlNodePtr node)
{
	rd_report *r = st->r;
	const rd_schema *s = st->s;
	rd_finding *f;
	xmlNodePtr at = node;
	size_t i, msg_diag = (size_t)-1;
	int failed = 0;
	rd_fdiag *diags = NULL, *props = NULL;
	const char *message = NULL, *lang, *loc;
	long line;

	if (a->subject) {
		xmlXPathObjectPtr o = eval_obj(&st->ev, a->subject, node);

		if (o == NULL) {
			if (eval_error(st, p, rule, a, node, "@subject", a->subject_src) < 0)
				return -1;
		} else {
			/* a subject in another document of the case (fn:doc) cannot be located in
			 * this one: the finding stays on the context node */
			if (o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0 &&
			    o->nodesetval->nodeTab[0]->type != XML_NAMESPACE_DECL &&
			    o->nodesetval->nodeTab[0]->doc == st->doc->doc)
				at = o->nodesetval->nodeTab[0];
			xmlXPathFreeObject(o);
		}
	}
	loc = location(st, at);
	line = finding_line(st->doc, at);
	if (loc == NULL)
		return -1;
	/* the message: in the language asked for when the assert or one of its diagnostics
	 * has it; else English; else the assert's own text */
	if (!lang_match(a->lang, st->lang)) {
		for (i = 0; i < a->ndiags && msg_diag == (size_t)-1; i++)
			if (lang_match(s->diags[a->diags[i]].lang, st->lang))
				msg_diag = a->diags[i];
		if (msg_diag == (size_t)-1 && !lang_match(a->lang, "en"))
			for (i = 0; i < a->ndiags && msg_diag == (size_t)-1; i++)
				if (lang_match(s->diags[a->diags[i]].lang, "en"))
					msg_diag = a->diags[i];
	}
	/* Everything that may add evaluation-error findings (and so move the findings
	 * array) happens before this finding is added. */
	if (a->ndiags) {
		diags = rd__arena_alloc(&r->arena, a->ndiags * sizeof *diags);
		if (diags == NULL)
			return -1;
		for (i = 0; i < a->ndiags; i++) {
			const rd_diag *d = &s->diags[a->diags[i]];

			diags[i].id = d->id;
			diags[i].lang = d->lang;
			diags[i].text = render(st, &d->msg, node, p, rule, a, &failed);
			if (diags[i].text == NULL)
				return -1;
			if (a->diags[i] == msg_diag)
				message = diags[i].text;
		}
	}
	if (a->nprops) {
		props = rd__arena_alloc(&r->arena, a->nprops * sizeof *props);
		if (props == NULL)
			return -1;
		for (i = 0; i < a->nprops; i++) {
			const rd_diag *d = &s->props[a->props[i]];

			props[i].id = d->id;
			props[i].lang = d->lang;
			props[i].role = d->role;
			props[i].text = render(st, &d->msg, node, p, rule, a, &failed);
			if (props[i].text == NULL)
				return -1;
		}
	}
	if (message != NULL) {
		lang = s->diags[msg_diag].lang;
	} else {
		message = render(st, &a->msg, node, p, rule, a, &failed);
		lang = a->lang;
		if (message == NULL)
			return -1;
	}
	f = rd__report_add(r);
	if (f == NULL)
		return -1;
	f->assertion = a;
	f->rule = rule;
	f->pattern = p;
	f->kind = a->kind;
	f->severity = a->severity;
	f->document = r->document;
	f->test = a->test_src;
	f->schema_index = st->schema_index;
	f->location = loc;
	f->line = line;
	f->message = message;
	f->lang = lang;
	f->diags = diags;
	f->ndiags = a->ndiags;
	f->props = props;
	f->nprops = a->nprops;
	st_event(st, RD_EV_FINDING, r->nfindings - 1);
	return r->oom ? -1 : 0;
}

/* ---------------------------------------------------------------- rules */

static int jurisdiction_ok(const char *list, const char *want)
{
	const char *p = list;
	size_t wl;

	if (want == NULL || list == NULL || list[0] == '\0')
		return 1;
	wl = strlen(want);
	while (*p) {
		const char *t;
		size_t tl;

		while (*p == ' ')
			p++;
		t = p;
		while (*p && *p != ' ')
			p++;
		tl = (size_t)(p - t);
		if (tl == 0)
			break;
		/* the rule's code equals the one asked for, or is a parent of it (PK for PK-PB) */
		if (tl == wl && strncmp(t, want, tl) == 0)
			return 1;
		if (tl < wl && strncmp(t, want, tl) == 0 && want[tl] == '-')
			return 1;
	}
	return 0;
}

static int fire(check_state *st, const rd_pattern *p, const rd_rule *rule, xmlNodePtr node)
{
	rd_eval *ev = &st->ev;
	size_t base = ev->nvars, i;
	int rc = 0;

	st_event(st, RD_EV_RULE, rule->global_index);
	ev->current = node;
	/* the rule's variables are evaluated when an assertion first uses them: a rule
	 * whose asserts need few of its variables (or none, out of force) costs little */
	for (i = 0; i < rule->nlets; i++) {
		const rd_let *l = &rule->lets[i];

		if (l->expr) {
			struct rd_lazy_var lz;

			lz.let = l;
			lz.node = node;
			lz.pattern = p;
			lz.rule = rule;
			if (var_push_as(ev, l->name, NULL, &lz) < 0) {
				rc = -1;
				goto done;
			}
		} else {
			xmlXPathObjectPtr v = xmlXPathNewNodeSet((xmlNodePtr)l->content);

			if (v == NULL || var_push(ev, l->name, v) < 0) {
				rc = -1;
				goto done;
			}
		}
	}
	for (i = 0; i < rule->nasserts && !st->stopped; i++) {
		const rd_assertion *a = rule->asserts[i];
		int b;

		if (ev->today < a->eff_from || ev->today > a->eff_to)
			continue;
		if (!jurisdiction_ok(a->jurisdiction, st->jurisdiction))
			continue;
		b = eval_bool(ev, a->test, node);
		if (b < 0) {
			char what[64];

			snprintf(what, sizeof what, "the test of sch:%s",
			         a->kind == RD_KIND_ASSERT ? "assert" : "report");
			if (eval_error(st, p, rule, a, node, what, a->test_src) < 0) {
				rc = -1;
				goto done;
			}
			continue;
		}
		if ((a->kind == RD_KIND_ASSERT) == (b == 0)) {
			if (make_finding(st, p, rule, a, node) < 0) {
				rc = -1;
				goto done;
			}
		}
	}
done:
	var_pop_to(ev, base);
	return rc;
}

/* Document order, fast for elements and attributes (elements carry their order,
 * see rd__index_build), libxml2's comparison for other nodes. <0, 0 or >0. */
static int doc_cmp(const xmlNode *a, const xmlNode *b)
{
	const xmlNode *ea, *eb;
	int c;

	if (a == b)
		return 0;
	ea = a->type == XML_ATTRIBUTE_NODE ? a->parent : a;
	eb = b->type == XML_ATTRIBUTE_NODE ? b->parent : b;
	if (ea && eb && ea->type == XML_ELEMENT_NODE && eb->type == XML_ELEMENT_NODE &&
	    (ptrdiff_t)ea->content < 0 && (ptrdiff_t)eb->content < 0 && ea->doc == eb->doc) {
		const xmlAttr *x;

		if (ea != eb)
			return -(ptrdiff_t)ea->content < -(ptrdiff_t)eb->content ? -1 : 1;
		/* the same element: itself first, then its attributes in order */
		if (a == ea)
			return -1;
		if (b == eb)
			return 1;
		for (x = ea->properties; x; x = x->next) {
			if ((const xmlNode *)x == a)
				return -1;
			if ((const xmlNode *)x == b)
				return 1;
		}
		return 0;
	}
	c = xmlXPathCmpNodes((xmlNodePtr)(uintptr_t)a, (xmlNodePtr)(uintptr_t)b);
	return c == 1 ? -1 : c == -1 ? 1 : 0;
}

static int cmp_hits(const hit *a, const hit *b)
{
	int c = doc_cmp(a->node, b->node);

	if (c)
		return c;
	if (a->pattern != b->pattern)
		return a->pattern < b->pattern ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* The nodes a context alternative selects, in document order: from the document index
 * (simple paths) or from an XPath node-set (which owns them: namespace nodes are copies). */
typedef struct node_list {
	xmlNodePtr *nodes;
	size_t n;
	xmlXPathObjectPtr obj; /* owner when from XPath */
	int own_nodes;         /* nodes was allocated here */
} node_list;

typedef struct list_cap {
	node_list *l;
	size_t cap;
} list_cap;

static int list_add(void *ud, xmlNodePtr n)
{
	list_cap *lc = ud;

	if (rd__grow(&lc->l->nodes, &lc->cap, lc->l->n, sizeof *lc->l->nodes) < 0)
		return -1;
	lc->l->nodes[lc->l->n++] = n;
	return 0;
}

static int eval_simple(const rd_index *ix, const rd_simple_path *p, node_list *out)
{
	list_cap lc;

	memset(out, 0, sizeof *out);
	out->own_nodes = 1;
	lc.l = out;
	lc.cap = 0;
	return rd__simple_path_each(ix, p, list_add, &lc);
}

static void node_list_free(node_list *l)
{
	if (l->own_nodes)
		free(l->nodes);
	xmlXPathFreeObject(l->obj);
	memset(l, 0, sizeof *l);
}

/* One sorted source of hits: the nodes of one context alternative. */
typedef struct source {
	node_list list;
	size_t pos;
	uint32_t pattern, rule;
} source;

static int source_before(const source *a, const source *b)
{
	hit ha = { a->list.nodes[a->pos], a->pattern, a->rule };
	hit hb = { b->list.nodes[b->pos], b->pattern, b->rule };

	return cmp_hits(&ha, &hb) < 0;
}

static void heap_down(source **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		source *t;

		if (l < n && source_before(h[l], h[m]))
			m = l;
		if (r < n && source_before(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* Evaluate the contexts of the active patterns, then fire every (node, rule) pair in
 * document order: a k-way merge of the sources, each already in document order. In a
 * pattern, a node fires only the first rule that matches it. */
static int run_patterns(check_state *st, const rd_pattern *const *pats, size_t npats,
                        ev_slot *slots)
{
	rd_eval *ev = &st->ev;
	xmlNodePtr docnode = (xmlNodePtr)st->doc->doc;
	source *src = NULL;
	source **heap = NULL;
	size_t nsrc = 0, nheap = 0, i, j, k;
	xmlNodePtr last_node = NULL;
	uint32_t last_pattern = (uint32_t)-1;
	int rc = 0;

	for (i = 0; i < npats; i++)
		for (j = 0; j < pats[i]->nrules; j++)
			nsrc += pats[i]->rules[j].ncontexts;
	src = rd__calloc(nsrc, sizeof *src);
	heap = rd__calloc(nsrc, sizeof *heap);
	if (src == NULL || heap == NULL) {
		nsrc = 0; /* nothing to free in src */
		rc = -1;
		goto done;
	}
	nsrc = 0;
	for (i = 0; i < npats; i++) {
		const rd_pattern *p = pats[i];

		st->slot = &slots[i];
		st_event(st, RD_EV_PATTERN, p->index);
		for (j = 0; j < p->nrules; j++) {
			const rd_rule *rule = &p->rules[j];

			for (k = 0; k < rule->ncontexts; k++) {
				source *sc = &src[nsrc++];
				node_list *l = &sc->list;

				sc->pattern = (uint32_t)i;
				sc->rule = (uint32_t)j;
				if (st->stopped) {
					/* the budget ran out: no more evaluation */
				} else if (rule->simple && rule->simple[k]) {
					if (eval_simple(&st->doc->index, rule->simple[k], l) < 0) {
						rc = -1;
						goto done;
					}
				} else {
					l->obj = eval_obj(ev, rule->contexts[k], docnode);
					if (l->obj != NULL && l->obj->type != XPATH_NODESET) {
						rd__eval_error(ev, "the rule context does not select nodes");
						xmlXPathFreeObject(l->obj);
						l->obj = NULL;
					}
					if (l->obj == NULL) {
						if (eval_error(st, p, rule, NULL, docnode, "the rule context",
						               rule->context_src) < 0) {
							rc = -1;
							goto done;
						}
					} else if (l->obj->nodesetval) {
						l->nodes = l->obj->nodesetval->nodeTab;
						l->n = (size_t)l->obj->nodesetval->nodeNr;
					}
				}
				if (l->n)
					heap[nheap++] = sc;
			}
		}
	}
	for (i = nheap / 2; i-- > 0;)
		heap_down(heap, nheap, i);
	while (nheap && rc == 0 && !st->stopped) {
		source *sc = heap[0];
		xmlNodePtr node = sc->list.nodes[sc->pos];

		/* the first rule of a pattern to match a node takes it */
		if (!(node == last_node && sc->pattern == last_pattern)) {
			st->slot = &slots[sc->pattern];
			rc = fire(st, pats[sc->pattern], &pats[sc->pattern]->rules[sc->rule], node);
			last_node = node;
			last_pattern = sc->pattern;
		}
		if (++sc->pos == sc->list.n)
			heap[0] = heap[--nheap];
		heap_down(heap, nheap, 0);
	}
done:
	st->slot = NULL;
	for (i = 0; i < nsrc; i++)
		node_list_free(&src[i].list);
	free(src);
	free(heap);
	return rc;
}

/* Put the findings and events of one schema back in pattern order: first what was
 * reported before the patterns ran (variables), then each pattern's events. */
static int merge_slots(check_state *st, size_t base_f, size_t base_e, ev_slot *slots,
                       size_t nslots)
{
	rd_report *r = st->r;
	size_t nf = r->nfindings - base_f, i, j, out = 0;
	rd_finding *tmp;

	for (i = 0; i < nslots; i++)
		if (slots[i].oom)
			return -1;
	tmp = rd__malloc(nf * sizeof *tmp);
	if (tmp == NULL)
		return -1;
	/* events already in the report (from before the patterns ran) */
	for (j = base_e; j < r->nevents; j++)
		if (r->events[j].type == RD_EV_FINDING) {
			tmp[out] = r->findings[r->events[j].index];
			r->events[j].index = base_f + out++;
		}
	for (i = 0; i < nslots; i++) {
		for (j = 0; j < slots[i].n; j++) {
			rd_event e = slots[i].ev[j];

			if (e.type == RD_EV_FINDING) {
				tmp[out] = r->findings[e.index];
				e.index = base_f + out++;
				/* counted here, as the event enters the report */
			}
			if (rd__grow(&r->events, &r->capevents, r->nevents, sizeof *r->events) < 0) {
				free(tmp);
				return -1;
			}
			r->events[r->nevents++] = e;
			if (e.type == RD_EV_FINDING) {
				int sev = tmp[e.index - base_f].severity;

				if (sev >= 1 && sev <= 3)
					r->counts[sev]++;
			}
		}
	}
	if (out)
		memcpy(r->findings + base_f, tmp, out * sizeof *tmp);
	free(tmp);
	return out == nf ? 0 : -1;
}

/* ---------------------------------------------------------------- structure (XSD) */

static int schema_finding(void *payload, const char *message, xmlNodePtr node, long line)
{
	check_state *st = payload;
	rd_report *r = st->r;
	const rd_xsd *x = st->xsd;
	rd_finding *f;
	const char *loc;

	if (node && node->doc != st->doc->doc)
		node = NULL;
	loc = location(st, node ? node : (xmlNodePtr)st->doc->doc);
	if (loc == NULL)
		return -1;
	f = rd__report_add(r);
	if (f == NULL)
		return -1;
	f->kind = RD_KIND_SCHEMA;
	f->severity = RD_SEVERITY_ERROR;
	f->message = rd__arena_strdup(&r->arena, message);
	f->lang = "en";
	f->location = loc;
	f->line = line > 0 ? line : finding_line(st->doc, node);
	f->document = r->document;
	f->test = x->file;
	if (f->message == NULL)
		return -1;
	st_event(st, RD_EV_FINDING, r->nfindings - 1);
	return r->oom ? -1 : 0;
}

/* Validate the document against its kind's XSD, when the pack has one. */
static int check_structure(check_state *st)
{
	xmlNodePtr root = xmlDocGetRootElement(st->doc->doc);
	size_t more = 0;

	if (root == NULL || root->ns == NULL ||
	    !xmlStrEqual(root->ns->href, (const xmlChar *)RD_NS_DOC))
		return 0;
	st->xsd = rd__rules_xsd(st->ev.rules, (const char *)root->name);
	if (st->xsd == NULL)
		return 0;
	if (rd__xsd_validate(st->xsd, st->doc->doc, schema_finding, st, &more) < 0)
		return -1;
	if (more) {
		char msg[128];

		snprintf(msg, sizeof msg, "%zu more structural errors are not listed", more);
		if (schema_finding(st, msg, NULL, 0) < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- schemas */

static int push_lets(check_state *st, const rd_let *lets, const size_t *order, size_t n)
{
	rd_eval *ev = &st->ev;
	xmlNodePtr docnode = (xmlNodePtr)st->doc->doc;
	size_t i;

	for (i = 0; i < n; i++) {
		const rd_let *l = &lets[order ? order[i] : i];
		xmlXPathObjectPtr v;
		const rd_param *given = NULL;
		size_t j;

		for (j = 0; l->is_param && st->opts && j < st->opts->nparams; j++)
			if (strcmp(st->opts->params[j].name, l->name) == 0)
				given = &st->opts->params[j];
		if (given) {
			/* a value given to the check: a number when it reads as one */
			/* XPath's own number syntax: '12', '-0.5', not '0x10', 'inf' or '1e3' */
			double d = xmlXPathStringEvalNumber((const xmlChar *)given->value);

			if (!xmlXPathIsNaN(d))
				v = xmlXPathNewFloat(d);
			else
				v = xmlXPathNewCString(given->value);
		} else if (l->expr) {
			v = eval_obj(ev, l->expr, docnode);
			if (v == NULL) {
				char what[300];

				snprintf(what, sizeof what, "variable $%s", l->name);
				if (eval_error(st, NULL, NULL, NULL, docnode, what, l->src) < 0)
					return -1;
				v = xmlXPathNewNodeSet(NULL);
			}
		} else {
			v = xmlXPathNewNodeSet((xmlNodePtr)l->content);
		}
		if (v == NULL || var_push(ev, l->name, v) < 0)
			return -1;
	}
	return 0;
}

static int run_schema(check_state *st, const char *phase)
{
	const rd_schema *s = st->s;
	const rd_phase *ph = NULL;
	size_t i;
	int rc = 0;

	if (phase == NULL || strcmp(phase, "#DEFAULT") == 0)
		phase = s->default_phase;
	if (phase != NULL && strcmp(phase, "#ALL") != 0) {
		for (i = 0; i < s->nphases; i++)
			if (strcmp(s->phases[i].id, phase) == 0)
				ph = &s->phases[i];
		if (ph == NULL)
			return 0; /* this schema of the pack has no such phase: none of it runs */
	}
	st->ev.xp->namespaces = s->xns;
	st->ev.xp->nsNr = (int)s->nns;
	st->ev.schema = s; /* key() looks its keys up there */
	{
		const rd_pattern **pats = NULL;
		ev_slot *slots = NULL;
		size_t npats = ph ? ph->nactive : s->npatterns;
		size_t base_f = st->r->nfindings, base_e = st->r->nevents;

		pats = rd__calloc(npats, sizeof *pats);
		slots = rd__calloc(npats, sizeof *slots);
		if (pats == NULL || slots == NULL)
			rc = -1;
		for (i = 0; rc == 0 && i < npats; i++)
			pats[i] = &s->patterns[ph ? ph->active[i] : i];
		if (rc == 0 && push_lets(st, s->globals, s->global_order, s->nglobals) < 0)
			rc = -1;
		if (rc == 0 && ph != NULL && push_lets(st, ph->lets, NULL, ph->nlets) < 0)
			rc = -1;
		if (rc == 0)
			rc = run_patterns(st, pats, npats, slots);
		if (rc == 0)
			rc = merge_slots(st, base_f, base_e, slots, npats);
		for (i = 0; slots && i < npats; i++)
			free(slots[i].ev);
		free(slots);
		free(pats);
	}
	var_pop_to(&st->ev, 0);
	return rc;
}

int rd_check(rd_report **out, const rd_rules *rules, const rd_document *doc,
             const rd_check_options *opts)
{
	return rd__check(out, rules, doc, opts, NULL);
}

int rd__checker_init(rd_checker *c)
{
	c->xp = xmlXPathNewContext(NULL);
	if (c->xp == NULL)
		return rd__error_oom();
	/* Reuse XPath result objects instead of a malloc and a free for each one: at most 10 of
	 * each type, the size libxml2 gives its cache lists at first. A list that must grow
	 * and cannot is left broken by libxml2 2.9 (a NULL array with a count), and freeing
	 * the context then crashes. */
	xmlXPathContextSetCache(c->xp, 1, 10, 0);
	return RD_OK;
}

void rd__checker_free(rd_checker *c)
{
	if (c->xp)
		xmlXPathFreeContext(c->xp);
	c->xp = NULL;
	rd__sig_memo_free(c->sig_memo);
	c->sig_memo = NULL;
}

/* A new report for doc: its as-of date, phase and language as the check shows them. */
static int report_start(rd_report **out, const rd_rules *rules, const rd_document *doc,
                        long today, const char *phase, const char *lang)
{
	rd_report *r;
	int rc = rd__report_new(&r, rules, doc);

	if (rc != RD_OK)
		return rc;
	rd__date_format(today, r->as_of);
	if (phase == NULL || strcmp(phase, "#DEFAULT") == 0)
		phase = rules->nschemas && rules->schemas[0]->default_phase
		            ? rules->schemas[0]->default_phase
		            : "#ALL";
	r->phase = rd__arena_strdup(&r->arena, phase);
	r->lang = rd__arena_strdup(&r->arena, lang);
	if (r->phase == NULL || r->lang == NULL) {
		rd_report_free(r);
		return rd__error_oom();
	}
	*out = r;
	return RD_OK;
}

int rd__check_failed(rd_report **out, const rd_rules *rules, const rd_document *doc,
                     const rd_check_options *opts, const char *why)
{
	rd_report *r = NULL;
	rd_finding *f;
	xmlNodePtr root = xmlDocGetRootElement(doc->doc);
	long today;
	char msg[512];
	int rc;

	*out = NULL;
	if (opts == NULL || opts->as_of == NULL ||
	    rd__date_parse(opts->as_of, strlen(opts->as_of), 0, &today) != 0)
		today = rd__date_today();
	rc = report_start(&r, rules, doc, today, opts ? opts->phase : NULL,
	                  opts && opts->lang && opts->lang[0] ? opts->lang : "en");
	if (rc != RD_OK)
		return rc;
	snprintf(msg, sizeof msg,
	         "this document could not be checked (%s): none of its findings are reported. "
	         "Check it again, alone or with more memory",
	         why);
	f = rd__report_add(r);
	if (f == NULL)
		goto oom;
	f->kind = RD_KIND_EVAL_ERROR;
	f->severity = RD_SEVERITY_ERROR;
	f->message = rd__arena_strdup(&r->arena, msg);
	f->lang = "en";
	f->location = "/";
	f->line = root ? rd__node_line(root) : 0;
	if (f->line < 0)
		f->line = 0;
	f->document = r->document;
	if (f->message == NULL)
		goto oom;
	rd__report_event(r, RD_EV_FINDING, 0, 0);
	if (r->oom)
		goto oom;
	*out = r;
	return RD_OK;
oom:
	rd_report_free(r);
	return rd__error_oom();
}

int rd__check(rd_report **out, const rd_rules *rules, const rd_document *doc,
              const rd_check_options *opts, rd_checker *reuse)
{
	thread_handlers saved;
	rd_checker own = { NULL };
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	check_state st;
	rd_report *r = NULL;
	const char *phase;
	size_t i;
	int rc = RD_OK;

	rd__init();
	if (out == NULL || rules == NULL || doc == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_check: out, rules and doc must not be NULL");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_check", rd_check_options, RD_CHECK_OPTIONS_VERSION, opts);
	if (opts != NULL)
		o = *opts;
	opts = &o;
	for (i = 0; i < o.nparams; i++) {
		size_t k, n = rd_rules_param_count(rules);

		if (o.params[i].name == NULL || o.params[i].value == NULL)
			return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_check: a parameter without name or value");
		for (k = 0; k < n; k++)
			if (strcmp(rd_rules_param(rules, k, NULL), o.params[i].name) == 0)
				break;
		if (k == n)
			return rd__error_set(RD_EINVAL, NULL, 0, 0, "the rules have no parameter '%s'",
			                     o.params[i].name);
	}
	for (i = 0; i < o.ndocs; i++)
		if (o.docs[i].role == NULL || o.docs[i].doc == NULL)
			return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_check: a case document without role or document");
	memset(&st, 0, sizeof st);
	st.opts = &o;
	st.ev.opts = &o;
	st.ev.doc = doc;
	if (opts->as_of != NULL) {
		if (rd__date_parse(opts->as_of, strlen(opts->as_of), 0, &st.ev.today) != 0)
			return rd__error_set(RD_EINVAL, NULL, 0, 0,
			                     "as-of date '%s' is not a valid date (YYYY-MM-DD)",
			                     opts->as_of);
	} else {
		st.ev.today = rd__date_today();
	}
	phase = opts->phase;
	if (phase != NULL && !rd_rules_has_phase(rules, phase))
		return rd__error_set(RD_ENOTFOUND, NULL, 0, 0, "the rules have no phase '%s'", phase);
	st.lang = opts->lang && opts->lang[0] ? opts->lang : "en";
	st.jurisdiction = opts->jurisdiction && opts->jurisdiction[0] ? opts->jurisdiction : NULL;
	st.doc = doc;
	st.ev.rules = rules;

	rc = report_start(&r, rules, doc, st.ev.today, phase, st.lang);
	if (rc != RD_OK)
		return rc;
	st.r = r;
	rd__buf_init(&st.buf);
	rd__buf_init(&st.loc);
	if (reuse == NULL) {
		if (rd__checker_init(&own) != RD_OK) {
			rc = RD_ENOMEM;
			goto fail;
		}
		reuse = &own;
	}
	st.ev.var_limit = SIZE_MAX;
	st.ev.checker = reuse;
	reuse->checks++;
	st.ev.xp = reuse->xp;
	st.ev.xp->doc = doc->doc;
	st.ev.xp->node = NULL;
	st.ev.xp->error = on_xpath_error;
	st.ev.xp->userData = &st.ev;
	/* the budget: libxml2 counts in opCount across every evaluation of this check */
	st.ev.xp->opLimit = o.max_ops ? o.max_ops : RD_DEFAULT_MAX_OPS;
	st.ev.xp->opCount = 0;
	xmlXPathRegisterFuncLookup(st.ev.xp, rd__fn_lookup, &st.ev);
	xmlXPathRegisterVariableLookup(st.ev.xp, var_lookup, &st.ev);
	/* libxml2's errors on this thread are the check's until it ends (they are per thread
	 * in libxml2 2.9: the host program's, and other threads', stay as they are) */
	handlers_take(&saved, &st.ev);

	if (!(o.flags & RD_CHECK_NO_XSD) && rules->nxsds) {
		st.s = rules->nschemas ? rules->schemas[0] : NULL; /* for location prefixes */
		if (st.s && check_structure(&st) < 0)
			rc = rd__error_oom();
	}
	for (i = 0; i < rules->nschemas && rc == RD_OK && !st.stopped; i++) {
		st.s = rules->schemas[i];
		st.schema_index = i;
		memset(st.pcache, 0, sizeof st.pcache);
		if (run_schema(&st, phase) < 0 || r->oom)
			rc = rd__error_oom();
	}
	/* an allocation failed somewhere, even where the evaluation recovered (libxml2 may
	 * drop what it could not allocate): no report that might lack a finding */
	if (rc == RD_OK && st.ev.oom)
		rc = rd__error_oom();
	handlers_restore(&saved);
	var_pop_to(&st.ev, 0);
	st.ev.xp->namespaces = NULL;
	st.ev.xp->nsNr = 0;
	st.ev.xp->doc = NULL;
	st.ev.xp->node = NULL;
	st.ev.xp->userData = NULL;
	st.ev.xp->opLimit = 0;
	st.ev.xp->opCount = 0;
	rd__checker_free(&own);
	free(st.ev.var_names);
	free(st.ev.var_values);
	free(st.ev.var_hash);
	free(st.ev.var_lazy);
	rd__eval_cleanup(&st.ev);
	rd__buf_free(&st.buf);
	rd__buf_free(&st.loc);
	if (rc != RD_OK)
		goto fail;
	*out = r;
	return RD_OK;
fail:
	rd_report_free(r);
	return rc;
}
