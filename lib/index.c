/* rahdari: the element index of a document.
 *
 * One walk over a freshly parsed document numbers its elements in document order
 * (storing -order in the element's content field, which is what libxml2's own
 * xmlXPathOrderDocElems does and what xmlXPathCmpNodes reads) and records every
 * element by name. Rule contexts that are plain paths ("d:booking",
 * "d:passenger/d:passport", "@expiry-date") are then answered from the index in
 * time proportional to their matches, instead of one walk of the whole tree per rule.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Names are interned in the document's dictionary, so a (local name, namespace) pair is
 * identified by pointers: the local name's, and a canonical pointer for the namespace
 * URI (namespace declarations repeat the same URI in separate strings). */
static size_t hash_ptrs(const void *a, const void *b)
{
	uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ULL;

	h ^= (uint64_t)(uintptr_t)b + 0x7F4A7C15ULL + (h << 6) + (h >> 2);
	return (size_t)(h ^ (h >> 29));
}

static const xmlChar *canonical_ns(rd_index *ix, const xmlChar *href)
{
	size_t i;

	if (href == NULL)
		return NULL;
	for (i = 0; i < ix->nuris; i++)
		if (ix->uris[i] == href || xmlStrEqual(ix->uris[i], href))
			return ix->uris[i];
	if (rd__grow(&ix->uris, &ix->capuris, ix->nuris, sizeof *ix->uris) < 0)
		return NULL;
	ix->uris[ix->nuris++] = href;
	return href;
}

static rd_name_list *slot_for(rd_index *ix, const xmlChar *local, const xmlChar *ns)
{
	size_t i = hash_ptrs(local, ns) & (ix->size - 1);

	for (;;) {
		rd_name_list *l = &ix->names[i];

		if (l->local == NULL || (l->local == local && l->ns == ns))
			return l;
		i = (i + 1) & (ix->size - 1);
	}
}

static int grow_table(rd_index *ix)
{
	rd_name_list *old = ix->names;
	size_t oldsize = ix->size, i;

	ix->size = oldsize ? oldsize * 2 : 64;
	ix->names = rd__calloc(ix->size, sizeof *ix->names);
	if (ix->names == NULL) {
		ix->names = old;
		ix->size = oldsize;
		return -1;
	}
	for (i = 0; i < oldsize; i++)
		if (old[i].local)
			*slot_for(ix, old[i].local, old[i].ns) = old[i];
	free(old);
	ix->last = NULL;
	return 0;
}

int rd__index_add(rd_index *ix, xmlNodePtr n)
{
	const xmlChar *ns;
	rd_name_list *l;

	/* number it as xmlXPathOrderDocElems would: document order, negated */
	n->content = (void *)(-(ptrdiff_t)(ix->nall + 1));
	if (rd__grow(&ix->all, &ix->cap_all, ix->nall, sizeof *ix->all) < 0)
		return -1;
	ix->all[ix->nall++] = n;
	ns = n->ns ? n->ns->href : NULL;
	if (ix->last && ix->last->local == n->name && ix->last_href == ns) {
		l = ix->last; /* siblings often share a name */
	} else {
		const xmlChar *cns = canonical_ns(ix, ns);

		if (ns && cns == NULL)
			return -1;
		if ((ix->used + 1) * 2 > ix->size && grow_table(ix) < 0)
			return -1;
		l = slot_for(ix, n->name, cns);
		if (l->local == NULL) {
			l->local = n->name;
			l->ns = cns;
			ix->used++;
		}
		ix->last = l;
		ix->last_href = ns;
	}
	if (rd__grow(&l->nodes, &l->cap, l->n, sizeof *l->nodes) < 0)
		return -1;
	l->nodes[l->n++] = n;
	return 0;
}

int rd__index_build(rd_index *ix, xmlDocPtr doc)
{
	xmlNodePtr cur = doc->children;

	memset(ix, 0, sizeof *ix);
	/* iterative pre-order walk over elements */
	while (cur != NULL) {
		if (cur->type == XML_ELEMENT_NODE) {
			if (rd__index_add(ix, cur) < 0) {
				rd__index_free(ix);
				return -1;
			}
			if (cur->children != NULL) {
				cur = cur->children;
				continue;
			}
		}
		while (cur != NULL && cur->next == NULL) {
			cur = cur->parent;
			if (cur == NULL || cur == (xmlNodePtr)doc)
				return 0;
		}
		if (cur != NULL)
			cur = cur->next;
	}
	return 0;
}

void rd__index_free(rd_index *ix)
{
	size_t i;

	for (i = 0; i < ix->size; i++)
		free(ix->names[i].nodes);
	free(ix->names);
	free(ix->all);
	free(ix->uris);
	memset(ix, 0, sizeof *ix);
}

const rd_name_list *rd__index_find(const rd_index *ix, const char *local, const char *ns)
{
	size_t i;

	/* by string: called once per rule context, over the distinct names of a document */
	for (i = 0; i < ix->size; i++) {
		const rd_name_list *l = &ix->names[i];

		if (l->local && l->local[0] == (const xmlChar)local[0] &&
		    xmlStrEqual(l->local, (const xmlChar *)local) &&
		    xmlStrEqual(l->ns, (const xmlChar *)ns))
			return l;
	}
	return NULL;
}

/* ---------------------------------------------------------------- plain paths
 *
 * A rule context or a key's match that is a plain path ([/] step (/ step)* [/@attr]) is
 * answered from the index: the elements of the last step's name (or all of them), kept
 * when their ancestors match the other steps. The engine and keys.c both walk it here. */

static int step_matches(const rd_simple_step *st, const xmlNode *n)
{
	if (st->local && !xmlStrEqual(n->name, (const xmlChar *)st->local))
		return 0;
	if (st->any_ns)
		return 1;
	return xmlStrEqual(n->ns ? n->ns->href : NULL, (const xmlChar *)st->ns);
}

static int path_matches(const rd_simple_path *p, const xmlNode *el)
{
	const xmlNode *cur = el;
	size_t k;

	for (k = p->nsteps; k-- > 0;) {
		if (cur == NULL || cur->type != XML_ELEMENT_NODE || !step_matches(&p->steps[k], cur))
			return 0;
		cur = cur->parent;
	}
	if (p->absolute)
		return cur != NULL && cur->type == XML_DOCUMENT_NODE;
	return 1;
}

int rd__simple_path_each(const rd_index *ix, const rd_simple_path *p,
                         int (*add)(void *ud, xmlNodePtr n), void *ud)
{
	xmlNodePtr *cand;
	size_t ncand, i;

	if (p->nsteps && p->steps[p->nsteps - 1].local && !p->steps[p->nsteps - 1].any_ns) {
		const rd_simple_step *last = &p->steps[p->nsteps - 1];
		const rd_name_list *l = rd__index_find(ix, last->local, last->ns);

		cand = l ? l->nodes : NULL;
		ncand = l ? l->n : 0;
	} else {
		cand = ix->all;
		ncand = ix->nall;
	}
	for (i = 0; i < ncand; i++) {
		xmlNodePtr el = cand[i];

		if (p->nsteps && !path_matches(p, el))
			continue;
		if (p->has_attr) {
			xmlAttrPtr a;

			for (a = el->properties; a; a = a->next)
				if (step_matches(&p->attr, (xmlNodePtr)a) && add(ud, (xmlNodePtr)a) < 0)
					return -1;
		} else if (add(ud, el) < 0) {
			return -1;
		}
	}
	return 0;
}
