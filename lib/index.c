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

static size_t hash_name(const xmlChar *local, const xmlChar *ns)
{
	uint64_t h = 1469598103934665603ULL;
	const xmlChar *p;

	for (p = local; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	h ^= 0xff;
	h *= 1099511628211ULL;
	for (p = ns; p && *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static rd_name_list *slot_for(rd_index *ix, const xmlChar *local, const xmlChar *ns)
{
	size_t i = hash_name(local, ns) & (ix->size - 1);

	for (;;) {
		rd_name_list *l = &ix->names[i];

		if (l->local == NULL)
			return l;
		if ((l->local == local || xmlStrEqual(l->local, local)) &&
		    (l->ns == ns || xmlStrEqual(l->ns, ns)))
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
	return 0;
}

static int add(rd_index *ix, xmlNodePtr n)
{
	const xmlChar *ns = n->ns ? n->ns->href : NULL;
	rd_name_list *l;

	if ((ix->used + 1) * 2 > ix->size && grow_table(ix) < 0)
		return -1;
	l = slot_for(ix, n->name, ns);
	if (l->local == NULL) {
		l->local = n->name;
		l->ns = ns;
		ix->used++;
	}
	if (rd__grow(&l->nodes, &l->cap, l->n, sizeof *l->nodes) < 0)
		return -1;
	l->nodes[l->n++] = n;
	if (rd__grow(&ix->all, &ix->cap_all, ix->nall, sizeof *ix->all) < 0)
		return -1;
	ix->all[ix->nall++] = n;
	return 0;
}

int rd__index_build(rd_index *ix, xmlDocPtr doc)
{
	xmlNodePtr cur = doc->children;
	ptrdiff_t order = 0;

	memset(ix, 0, sizeof *ix);
	/* iterative pre-order walk over elements */
	while (cur != NULL) {
		if (cur->type == XML_ELEMENT_NODE) {
			cur->content = (void *)(-(++order));
			if (add(ix, cur) < 0) {
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
	memset(ix, 0, sizeof *ix);
}

const rd_name_list *rd__index_find(const rd_index *ix, const char *local, const char *ns)
{
	size_t i;

	if (ix->size == 0)
		return NULL;
	i = hash_name((const xmlChar *)local, (const xmlChar *)ns) & (ix->size - 1);
	for (;;) {
		const rd_name_list *l = &ix->names[i];

		if (l->local == NULL)
			return NULL;
		if (xmlStrEqual(l->local, (const xmlChar *)local) &&
		    xmlStrEqual(l->ns, (const xmlChar *)ns))
			return l;
		i = (i + 1) & (ix->size - 1);
	}
}
