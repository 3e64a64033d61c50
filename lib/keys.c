/* rahdari: XSLT keys (xsl:key and key()), fn:distinct() and fn:after() for rule
 * expressions.
 *
 * XPath 1.0 can only find related nodes by scanning: a rule that looks, for each of n
 * passengers, for the segments, contacts or payments that name it costs O(n) per
 * passenger and O(n^2) in all, and a booking of a few thousand travellers stalls a
 * check. ISO Schematron's xslt query binding allows xsl:key in a schema; with it, such a
 * rule makes n lookups in an index built once.
 *
 * An index belongs to one check (rd_eval) and is built the first time key() asks for a
 * (key, document) pair: every xsl:key of the name contributes the nodes its match pattern
 * selects, each under the string values of its use expression, evaluated with the node
 * as context (XSLT 1.0, 12.2). It is a sorted array of (value, node), not a hash table:
 * building costs O(m log m) for m entries and a lookup O(log m), whatever values a
 * hostile document chooses, and nothing random is needed. Everything is freed when the
 * check ends; the compiled keys (schema.c) are never written, so threads share them.
 *
 * key() charges what it copies to the XPath context's operation count, as libxml2 does
 * for its own steps, so that an operation limit on the check covers it too.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

#define EV(ctxt) ((rd_eval *)(ctxt)->context->funcLookupData)

typedef struct key_entry {
	char *value; /* owned (xmlFree) */
	xmlNodePtr node;
	size_t seq; /* order of insertion: document order when the key has one source */
} key_entry;

struct rd_key_index {
	const rd_key *key;
	xmlDocPtr doc;
	key_entry *e;
	size_t n, cap;
	xmlNodePtr *nodes; /* e[i].node for each i, contiguous: a run is copied in one go */
	char *failed; /* the build failed: the message, given again to every later call */
	struct rd_key_index *next;
};

static void raise_error(xmlXPathParserContextPtr ctxt, int code, const char *fmt, ...)
	RD_PRINTF(3, 4);

static void raise_error(xmlXPathParserContextPtr ctxt, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rd__eval_vraise(ctxt, code, fmt, ap);
	va_end(ap);
}

/* Count n operations against the check's budget (rd__eval_charge: only when a limit is
 * set). 0, or -1 with the error raised. */
static int charge(xmlXPathParserContextPtr ctxt, unsigned long n)
{
	return rd__eval_charge(ctxt, n);
}

/* Push a node-set as the result and take ownership of it (*set becomes NULL once wrapped).
 * -1 when it could not be wrapped or pushed: the caller reports out of memory and frees
 * what is left in *set. */
static int push_nodeset(xmlXPathParserContextPtr ctxt, xmlNodeSetPtr *set)
{
	xmlXPathObjectPtr v = xmlXPathWrapNodeSet(*set);

	if (v == NULL)
		return -1;
	*set = NULL;
	if (valuePush(ctxt, v) < 0) {
		xmlXPathFreeObject(v);
		return -1;
	}
	return 0;
}

/* Document order of two nodes of one document; <0, 0 or >0. Elements of loaded
 * documents carry their order (rd__index_build), so this is O(1) for them. */
static int doc_order(const xmlNode *a, const xmlNode *b)
{
	int c;

	if (a == b)
		return 0;
	c = xmlXPathCmpNodes((xmlNodePtr)(uintptr_t)a, (xmlNodePtr)(uintptr_t)b);
	return c == 1 ? -1 : c == -1 ? 1 : 0;
}

static int cmp_by_seq(const void *pa, const void *pb)
{
	const key_entry *a = pa, *b = pb;
	int c = strcmp(a->value, b->value);

	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_by_doc(const void *pa, const void *pb)
{
	const key_entry *a = pa, *b = pb;
	int c = strcmp(a->value, b->value);

	if (c)
		return c;
	c = doc_order(a->node, b->node);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_nodes(const void *pa, const void *pb)
{
	return doc_order(*(const xmlNode *const *)pa, *(const xmlNode *const *)pb);
}

static void index_free(struct rd_key_index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		xmlFree(ix->e[i].value);
	free(ix->e);
	free(ix->nodes);
	free(ix->failed);
	free(ix);
}

void rd__keys_free(rd_eval *ev)
{
	struct rd_key_index *ix = ev->key_indexes, *next;

	for (; ix; ix = next) {
		next = ix->next;
		index_free(ix);
	}
	ev->key_indexes = NULL;
}

/* Index node under value (an xmlChar string, which the index takes). 0 or -1 (out of
 * memory). */
static int index_add(struct rd_key_index *ix, xmlChar *value, xmlNodePtr node)
{
	if (value == NULL)
		return -1;
	/* the same node under the same value twice (a use node-set with equal strings) */
	if (ix->n && ix->e[ix->n - 1].node == node && strcmp(ix->e[ix->n - 1].value, (char *)value) == 0) {
		xmlFree(value);
		return 0;
	}
	if (rd__grow(&ix->e, &ix->cap, ix->n, sizeof *ix->e) < 0) {
		xmlFree(value);
		return -1;
	}
	ix->e[ix->n].value = (char *)value;
	ix->e[ix->n].node = node;
	ix->e[ix->n].seq = ix->n;
	ix->n++;
	return 0;
}

/* Evaluate e with node as the context, leaving the evaluation that called key() as it
 * was. NULL when it fails (the reason, if libxml2 gave one, in ev->errmsg). */
static xmlXPathObjectPtr eval_at(rd_eval *ev, xmlXPathContextPtr xp, xmlXPathCompExprPtr e,
                                 xmlNodePtr node, xmlDocPtr doc)
{
	xmlNodePtr saved_node = xp->node, saved_current = ev->current;
	xmlDocPtr saved_doc = xp->doc;
	int size = xp->contextSize, pos = xp->proximityPosition, depth = xp->depth;
	xmlXPathObjectPtr o;

	xp->doc = doc;
	xp->node = node;
	xp->contextSize = 1;
	xp->proximityPosition = 1;
	ev->current = node; /* current() in a use expression: the node being indexed */
	o = xmlXPathCompiledEval(e, xp);
	/* fail closed: an error reported while it ran (the thread's handlers, a function, memory)
	 * fails the evaluation even when libxml2 gave a value */
	if (o != NULL && (ev->has_error || ev->oom)) {
		xmlXPathFreeObject(o);
		o = NULL;
	}
	xp->doc = saved_doc;
	xp->node = saved_node;
	xp->contextSize = size;
	xp->proximityPosition = pos;
	xp->depth = depth;
	ev->current = saved_current;
	return o;
}

/* ---------------------------------------------------------------- plain match paths */

/* The document index of doc, when it is one a check was given (the document checked or a
 * case document); NULL otherwise. */
static const rd_index *index_of(const rd_eval *ev, xmlDocPtr doc)
{
	size_t i;

	if (ev->doc && ev->doc->doc == doc)
		return &ev->doc->index;
	for (i = 0; ev->opts && i < ev->opts->ndocs; i++)
		if (ev->opts->docs[i].doc && ev->opts->docs[i].doc->doc == doc)
			return &ev->opts->docs[i].doc->index;
	return NULL;
}

static int set_add(void *ud, xmlNodePtr n)
{
	return xmlXPathNodeSetAddUnique(ud, n) < 0 ? -1 : 0;
}

/* The nodes a plain path selects, in document order, from the index: a node-set. */
static xmlNodeSetPtr path_nodes(const rd_index *ix, const rd_simple_path *p)
{
	xmlNodeSetPtr out = xmlXPathNodeSetCreate(NULL);

	if (out != NULL && rd__simple_path_each(ix, p, set_add, out) < 0) {
		xmlXPathFreeNodeSet(out);
		out = NULL;
	}
	return out;
}

/* Does element n have an attribute without namespace named name (as XPath sees them: no
 * DTD defaults)? */
static int has_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	if (n->type != XML_ELEMENT_NODE)
		return 0;
	for (a = n->properties; a; a = a->next)
		if (a->ns == NULL && xmlStrEqual(a->name, (const xmlChar *)name))
			return 1;
	return 0;
}

/* The nodes match alternative a of def selects in ix->doc: from the document index when
 * the alternative is a plain path (with predicates, tested on each node), else by XPath.
 * NULL when that fails (why in ev->errmsg, or memory). */
static xmlXPathObjectPtr match_nodes(rd_eval *ev, xmlXPathContextPtr xp, const rd_key_def *def,
                                     size_t a, xmlDocPtr doc)
{
	const rd_index *dix = def->simple[a] ? index_of(ev, doc) : NULL;
	xmlNodeSetPtr set;
	int i, w = 0;

	if (dix == NULL || (dix->nall == 0 && xmlDocGetRootElement(doc) != NULL))
		return eval_at(ev, xp, def->match[a], (xmlNodePtr)doc, doc);
	set = path_nodes(dix, def->simple[a]);
	if (set == NULL)
		return NULL;
	if (def->pred_attr[a]) {
		/* [@a] or [not(@a)] */
		for (i = 0; i < set->nodeNr; i++)
			if (has_attr(set->nodeTab[i], def->pred_attr[a]) != (def->pred_not[a] != 0))
				set->nodeTab[w++] = set->nodeTab[i];
		set->nodeNr = w;
		return xmlXPathWrapNodeSet(set);
	}
	for (i = 0; def->pred[a] && i < set->nodeNr; i++) {
		xmlXPathObjectPtr r = eval_at(ev, xp, def->pred[a], set->nodeTab[i], doc);
		int keep;

		if (r == NULL) {
			xmlXPathFreeNodeSet(set);
			return NULL;
		}
		keep = xmlXPathCastToBoolean(r);
		xmlXPathFreeObject(r);
		if (keep)
			set->nodeTab[w++] = set->nodeTab[i];
	}
	if (def->pred[a])
		set->nodeNr = w;
	return xmlXPathWrapNodeSet(set);
}

/* Build the index of key k over doc. 0; -1 when it failed (ix->failed says why, or it is
 * NULL when memory ran out). */
static int index_build(rd_eval *ev, xmlXPathContextPtr xp, struct rd_key_index *ix)
{
	const rd_key *k = ix->key;
	char why[sizeof ev->errmsg];
	size_t d, a;
	int multi = k->ndefs > 1 || k->defs[0].nmatch > 1;

	for (d = 0; d < k->ndefs; d++) {
		const rd_key_def *def = &k->defs[d];

		for (a = 0; a < def->nmatch; a++) {
			xmlXPathObjectPtr m;
			int i;

			ev->has_error = 0;
			m = match_nodes(ev, xp, def, a, ix->doc);
			if (m == NULL || m->type != XPATH_NODESET) {
				rd_buf b;

				snprintf(why, sizeof why, "%s", m ? "it does not select nodes"
				                               : ev->has_error ? ev->errmsg : "evaluation failed");
				xmlXPathFreeObject(m);
				rd__buf_init(&b);
				rd__buf_printf(&b, "key('%s'): cannot evaluate the match pattern \"%s\" of "
				               "xsl:key (%s:%ld): %s",
				               k->name, def->match_src, def->file, def->line, why);
				ix->failed = rd__buf_take(&b, NULL);
				return -1;
			}
			for (i = 0; m->nodesetval && i < m->nodesetval->nodeNr; i++) {
				xmlNodePtr node = m->nodesetval->nodeTab[i];
				xmlXPathObjectPtr u;
				int rc = 0;

				/* namespace nodes are copies that live as long as the node-set: not
				 * indexed */
				if (node->type == XML_NAMESPACE_DECL || node->doc != ix->doc)
					continue;
				ev->has_error = 0;
				u = eval_at(ev, xp, def->use, node, ix->doc);
				if (u == NULL) {
					rd_buf b;

					snprintf(why, sizeof why, "%s", ev->has_error ? ev->errmsg : "evaluation failed");
					xmlXPathFreeObject(m);
					rd__buf_init(&b);
					rd__buf_printf(&b, "key('%s'): cannot evaluate use=\"%s\" of xsl:key (%s:%ld) "
					               "on line %ld: %s",
					               k->name, def->use_src, def->file, def->line, rd__node_line(node),
					               why);
					ix->failed = rd__buf_take(&b, NULL);
					return -1;
				}
				if (u->type == XPATH_NODESET) {
					int j;

					/* one value per node of the set: its string value */
					for (j = 0; u->nodesetval && j < u->nodesetval->nodeNr && rc == 0; j++)
						rc = index_add(ix, xmlXPathCastNodeToString(u->nodesetval->nodeTab[j]), node);
				} else {
					rc = index_add(ix, xmlXPathCastToString(u), node);
				}
				xmlXPathFreeObject(u);
				if (rc < 0) {
					xmlXPathFreeObject(m);
					return -1;
				}
			}
			xmlXPathFreeObject(m);
		}
	}
	/* group equal values; within a value, document order (the order of insertion when
	 * there is one source, since each source's nodes come in document order) */
	if (ix->n > 1)
		qsort(ix->e, ix->n, sizeof *ix->e, multi ? cmp_by_doc : cmp_by_seq);
	if (multi && ix->n) {
		size_t r, w = 1;

		for (r = 1; r < ix->n; r++) {
			if (ix->e[r].node != ix->e[w - 1].node || strcmp(ix->e[r].value, ix->e[w - 1].value) != 0)
				ix->e[w++] = ix->e[r];
			else
				xmlFree(ix->e[r].value);
		}
		ix->n = w;
	}
	ix->nodes = rd__malloc((ix->n ? ix->n : 1) * sizeof *ix->nodes);
	if (ix->nodes == NULL)
		return -1;
	for (d = 0; d < ix->n; d++)
		ix->nodes[d] = ix->e[d].node;
	return 0;
}

/* The first entry whose value is not less than v. */
static size_t lower_bound(const struct rd_key_index *ix, const char *v)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->e[mid].value, v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run of entries equal to v: [*from, return value). */
static size_t find_run(const struct rd_key_index *ix, const char *v, size_t *from)
{
	size_t i = lower_bound(ix, v), j = i;

	while (j < ix->n && strcmp(ix->e[j].value, v) == 0)
		j++;
	*from = i;
	return j;
}

/* The document of the context node (a namespace node keeps it in ->context). */
static xmlDocPtr context_doc(xmlXPathContextPtr xp)
{
	xmlNodePtr n = xp->node;

	if (n == NULL)
		return xp->doc;
	if (n->type == XML_NAMESPACE_DECL)
		return ((xmlNsPtr)n)->context ? ((xmlNsPtr)n)->context : xp->doc;
	return n->doc ? n->doc : xp->doc;
}

static struct rd_key_index *get_index(xmlXPathParserContextPtr ctxt, const rd_key *k,
                                      xmlDocPtr doc)
{
	rd_eval *ev = EV(ctxt);
	struct rd_key_index *ix;
	int had_error = ev->has_error;
	char saved[sizeof ev->errmsg];

	for (ix = ev->key_indexes; ix; ix = ix->next)
		if (ix->key == k && ix->doc == doc)
			break;
	if (ix == NULL) {
		ix = rd__calloc(1, sizeof *ix);
		if (ix == NULL) {
			rd__eval_oom(ctxt);
			return NULL;
		}
		ix->key = k;
		ix->doc = doc;
		if (had_error)
			memcpy(saved, ev->errmsg, sizeof saved);
		if (index_build(ev, ctxt->context, ix) < 0 && ix->failed == NULL) {
			index_free(ix);
			ev->has_error = had_error;
			if (had_error)
				memcpy(ev->errmsg, saved, sizeof saved);
			rd__eval_oom(ctxt);
			return NULL;
		}
		ev->has_error = had_error;
		if (had_error)
			memcpy(ev->errmsg, saved, sizeof saved);
		/* a failed build is kept, so that every later call fails the same way at once */
		ix->next = ev->key_indexes;
		ev->key_indexes = ix;
		if (ix->failed == NULL && charge(ctxt, (unsigned long)ix->n + 1) < 0)
			return NULL;
	}
	if (ix->failed) {
		int limit = ctxt->context->opLimit && ctxt->context->opCount >= ctxt->context->opLimit;

		raise_error(ctxt, limit ? XPATH_OP_LIMIT_EXCEEDED : XPATH_INVALID_OPERAND, "%s",
		            ix->failed);
		return NULL;
	}
	return ix;
}

/* key(name, value) (XSLT 1.0, 12.2): the nodes of the context node's document that have a
 * key of that name whose value is the string value of value, or, when value is a
 * node-set, the string value of any of its nodes; in document order, each once. */
void rd__fn_key(xmlXPathParserContextPtr ctxt, int nargs)
{
	rd_eval *ev = EV(ctxt);
	xmlXPathObjectPtr val = NULL;
	xmlChar *name = NULL;
	const rd_key *k;
	struct rd_key_index *ix;
	xmlNodeSetPtr out = NULL;
	size_t one[2], *runs = one, nruns = 0, caprun = 0, total = 0, i;

	CHECK_ARITY(2);
	val = valuePop(ctxt);
	name = xmlXPathPopString(ctxt);
	if (val == NULL || name == NULL) {
		xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
		goto done;
	}
	k = rd__schema_key(ev->schema, (const char *)name);
	if (k == NULL) {
		raise_error(ctxt, XPATH_INVALID_OPERAND, "key('%s'): no xsl:key of this name in the schema",
		            (const char *)name);
		goto done;
	}
	/* no value (an empty node-set): nothing to look up, and no index to build */
	if (val->type == XPATH_NODESET && (val->nodesetval == NULL || val->nodesetval->nodeNr == 0)) {
		out = xmlXPathNodeSetCreate(NULL);
		if (out == NULL || push_nodeset(ctxt, &out) < 0)
			goto oom;
		goto done;
	}
	ix = get_index(ctxt, k->same_as ? k->same_as : k, context_doc(ctxt->context));
	if (ix == NULL)
		goto done;

	/* the runs of entries for each value asked for (each run once) */
	if (val->type == XPATH_NODESET) {
		int j;

		runs = NULL;
		for (j = 0; val->nodesetval && j < val->nodesetval->nodeNr; j++) {
			xmlChar *s = xmlXPathCastNodeToString(val->nodesetval->nodeTab[j]);
			size_t from, to;

			if (s == NULL)
				goto oom;
			to = find_run(ix, (const char *)s, &from);
			xmlFree(s);
			if (to == from)
				continue;
			if (rd__grow(&runs, &caprun, nruns, 2 * sizeof *runs) < 0)
				goto oom;
			runs[2 * nruns] = from;
			runs[2 * nruns + 1] = to;
			nruns++;
		}
	} else {
		/* a string is looked up as it is; another value as its string */
		xmlChar *s = val->type == XPATH_STRING && val->stringval ? val->stringval
		                                                          : xmlXPathCastToString(val);
		size_t from, to;

		if (s == NULL)
			goto oom;
		to = find_run(ix, (const char *)s, &from);
		if (s != val->stringval)
			xmlFree(s);
		if (to > from) {
			runs[0] = from;
			runs[1] = to;
			nruns = 1;
		}
	}
	for (i = 0; i < nruns; i++)
		total += runs[2 * i + 1] - runs[2 * i];
	if (charge(ctxt, (unsigned long)total + (unsigned long)nruns + 1) < 0)
		goto done;

	out = xmlXPathNodeSetCreate(NULL);
	if (out == NULL)
		goto oom;
	if (nruns == 1) {
		/* one value: its run is already in document order, without duplicates, and
		 * holds no namespace node (those are not indexed): copied as it is, into an array
		 * that libxml2 frees with the set */
		size_t n = runs[1] - runs[0];
		xmlNodePtr *tab = n <= (size_t)INT_MAX ? xmlMalloc(n * sizeof *tab) : NULL;

		if (tab == NULL)
			goto oom;
		memcpy(tab, ix->nodes + runs[0], n * sizeof *tab);
		xmlFree(out->nodeTab);
		out->nodeTab = tab;
		out->nodeMax = (int)n;
		out->nodeNr = (int)n;
	} else if (nruns > 1) {
		/* several values: the union of their runs, sorted, each node once */
		xmlNodePtr *all = rd__malloc(total * sizeof *all);
		size_t n = 0, r;

		if (all == NULL)
			goto oom;
		for (r = 0; r < nruns; r++)
			for (i = runs[2 * r]; i < runs[2 * r + 1]; i++)
				all[n++] = ix->e[i].node;
		qsort(all, n, sizeof *all, cmp_nodes);
		for (i = 0; i < n; i++)
			if ((i == 0 || all[i] != all[i - 1]) && xmlXPathNodeSetAddUnique(out, all[i]) < 0) {
				free(all);
				goto oom;
			}
		free(all);
	}
	if (push_nodeset(ctxt, &out) < 0)
		goto oom;
	goto done;
oom:
	rd__eval_oom(ctxt);
done:
	if (out)
		xmlXPathFreeNodeSet(out);
	if (runs != one)
		free(runs);
	xmlXPathFreeObject(val);
	xmlFree(name);
}

/* ---------------------------------------------------------------- fn:distinct */

typedef struct dv {
	char *value;
	size_t index;
} dv;

static int cmp_dv(const void *pa, const void *pb)
{
	const dv *a = pa, *b = pb;
	int c = strcmp(a->value, b->value);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* distinct(nodes): the nodes, in document order, whose string value differs from that of
 * every node before them (the first node of each value). O(n log n), by sorting. */
void rd__fn_distinct(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr in, out = NULL;
	dv *v = NULL;
	unsigned char *keep = NULL;
	size_t n, i;

	CHECK_ARITY(1);
	if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
		raise_error(ctxt, XPATH_INVALID_TYPE, "distinct() needs a node-set");
		return;
	}
	in = xmlXPathPopNodeSet(ctxt);
	n = in ? (size_t)in->nodeNr : 0;
	if (charge(ctxt, (unsigned long)n + 1) < 0)
		goto done;
	if (n > 1)
		xmlXPathNodeSetSort(in);
	v = rd__calloc(n ? n : 1, sizeof *v);
	keep = rd__calloc(n ? n : 1, 1);
	out = xmlXPathNodeSetCreate(NULL);
	if (v == NULL || keep == NULL || out == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		v[i].value = (char *)xmlXPathCastNodeToString(in->nodeTab[i]);
		v[i].index = i;
		if (v[i].value == NULL)
			goto oom;
	}
	qsort(v, n, sizeof *v, cmp_dv);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i].value, v[i - 1].value) != 0)
			keep[v[i].index] = 1;
	for (i = 0; i < n; i++)
		if (keep[i] && xmlXPathNodeSetAddUnique(out, in->nodeTab[i]) < 0)
			goto oom;
	if (push_nodeset(ctxt, &out) < 0)
		goto oom;
	goto done;
oom:
	rd__eval_oom(ctxt);
done:
	for (i = 0; v && i < n; i++)
		xmlFree(v[i].value);
	free(v);
	free(keep);
	if (out)
		xmlXPathFreeNodeSet(out);
	xmlXPathFreeNodeSet(in);
}

/* ---------------------------------------------------------------- fn:after */

/* after(nodes, node): the nodes of the set that come after node (the first node of the
 * second argument) in document order. With $segs a passenger's flights, after($segs, .)[1]
 * is the flight after this one: a binary search and a copy of the rest, where
 * following-sibling::d:segment[...] walks every later flight of the booking. */
/* Push nodes from..to-1 of a sorted set as a new node-set (none when in is NULL), after
 * charging the budget for them; an allocation that fails is reported. */
static void push_slice(xmlXPathParserContextPtr ctxt, xmlNodeSetPtr in, size_t from, size_t to)
{
	xmlNodeSetPtr out;
	size_t i;

	if (charge(ctxt, (unsigned long)(to - from) + 1) < 0)
		return;
	out = xmlXPathNodeSetCreate(NULL);
	if (out == NULL) {
		rd__eval_oom(ctxt);
		return;
	}
	for (i = from; i < to; i++)
		if (xmlXPathNodeSetAddUnique(out, in->nodeTab[i]) < 0)
			break;
	if (i < to || push_nodeset(ctxt, &out) < 0) {
		if (out)
			xmlXPathFreeNodeSet(out);
		rd__eval_oom(ctxt);
	}
}

void rd__fn_after(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr in = NULL, pivot = NULL;
	size_t lo = 0, hi, n;

	CHECK_ARITY(2);
	if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
		raise_error(ctxt, XPATH_INVALID_TYPE, "after() needs node-sets");
		return;
	}
	pivot = xmlXPathPopNodeSet(ctxt);
	if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
		xmlXPathFreeNodeSet(pivot);
		raise_error(ctxt, XPATH_INVALID_TYPE, "after() needs node-sets");
		return;
	}
	in = xmlXPathPopNodeSet(ctxt);
	n = in ? (size_t)in->nodeNr : 0;
	if (n && pivot && pivot->nodeNr > 0) {
		xmlNodePtr p = pivot->nodeTab[0];

		if (n > 1)
			xmlXPathNodeSetSort(in);
		/* the first node after p */
		hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (doc_order(in->nodeTab[mid], p) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else {
		lo = n; /* nothing after no node */
	}
	push_slice(ctxt, in, lo, n);
	xmlXPathFreeNodeSet(in);
	xmlXPathFreeNodeSet(pivot);
}

/* ---------------------------------------------------------------- fn:except */

static int cmp_ptr(const void *pa, const void *pb)
{
	uintptr_t a = (uintptr_t) * (xmlNodePtr const *)pa, b = (uintptr_t) * (xmlNodePtr const *)pb;

	return a < b ? -1 : a > b;
}

/* except(nodes, drop1, drop2, ...): the nodes of the first set, in document order, that
 * are in none of the others (XPath 2.0's `except`). XPath 1.0 has only `|`, whose merge in
 * libxml2 compares every node of one set with every node of the other; a rule that takes
 * from n fellow travellers those related to one of them (PK-RISK-015) would walk the n
 * with several predicates each. This sorts the nodes to drop by address and looks each
 * node up: O((n + m) log m). */
void rd__fn_except(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr *drops = NULL, in = NULL, out = NULL;
	xmlNodePtr *dropped = NULL;
	size_t ndrops = 0, m = 0, n, i, k;
	unsigned long work = 1;
	int a;

	if (nargs < 1) {
		xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
		return;
	}
	for (a = 0; a < nargs; a++) {
		xmlXPathObjectPtr v = ctxt->valueNr > a ? ctxt->valueTab[ctxt->valueNr - 1 - a] : NULL;

		if (v == NULL || v->type != XPATH_NODESET) {
			raise_error(ctxt, XPATH_INVALID_TYPE, "except() needs node-sets");
			return;
		}
	}
	drops = rd__calloc((size_t)nargs, sizeof *drops);
	if (drops == NULL) {
		rd__eval_oom(ctxt);
		return;
	}
	for (a = 1; a < nargs; a++) {
		drops[ndrops] = xmlXPathPopNodeSet(ctxt);
		if (drops[ndrops]) {
			m += (size_t)drops[ndrops]->nodeNr;
			ndrops++;
		}
	}
	in = xmlXPathPopNodeSet(ctxt);
	n = in ? (size_t)in->nodeNr : 0;
	work += (unsigned long)n + (unsigned long)m;
	if (charge(ctxt, work) < 0)
		goto done;
	out = xmlXPathNodeSetCreate(NULL);
	dropped = rd__calloc(m ? m : 1, sizeof *dropped);
	if (out == NULL || dropped == NULL)
		goto oom;
	for (k = 0, i = 0; i < ndrops; i++) {
		int j;

		for (j = 0; j < drops[i]->nodeNr; j++)
			dropped[k++] = drops[i]->nodeTab[j];
	}
	if (m > 1)
		qsort(dropped, m, sizeof *dropped, cmp_ptr);
	if (n > 1)
		xmlXPathNodeSetSort(in);
	for (i = 0; i < n; i++) {
		xmlNodePtr node = in->nodeTab[i];

		if (m && bsearch(&node, dropped, m, sizeof *dropped, cmp_ptr) != NULL)
			continue;
		if (xmlXPathNodeSetAddUnique(out, node) < 0)
			goto oom;
	}
	if (push_nodeset(ctxt, &out) < 0)
		goto oom;
	goto done;
oom:
	rd__eval_oom(ctxt);
done:
	if (out)
		xmlXPathFreeNodeSet(out);
	free(dropped);
	xmlXPathFreeNodeSet(in);
	for (i = 0; i < ndrops; i++)
		xmlXPathFreeNodeSet(drops[i]);
	free(drops);
}

/* ---------------------------------------------------------------- fn:first */

/* first(nodes, n): the first n nodes of the set in document order (all of them when there
 * are fewer; none when n is not a number of at least 1). $set[position() <= 10] tests
 * every node of the set; a message that names the first ten of a thousand fellow
 * travellers should cost ten. */
void rd__fn_first(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlNodeSetPtr in;
	double want;
	size_t n, take = 0;

	CHECK_ARITY(2);
	want = xmlXPathPopNumber(ctxt);
	if (ctxt->error != XPATH_EXPRESSION_OK)
		return;
	if (ctxt->value == NULL || ctxt->value->type != XPATH_NODESET) {
		raise_error(ctxt, XPATH_INVALID_TYPE, "first() needs a node-set");
		return;
	}
	in = xmlXPathPopNodeSet(ctxt);
	n = in ? (size_t)in->nodeNr : 0;
	if (want >= 1) /* false for NaN */
		take = want >= (double)n ? n : (size_t)want;
	if (take && n > 1)
		xmlXPathNodeSetSort(in);
	push_slice(ctxt, in, 0, take);
	xmlXPathFreeNodeSet(in);
}
