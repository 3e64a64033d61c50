/* rahdari: documents.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <openssl/evp.h>

/* 0, or -1 when OpenSSL could not digest (out of memory). */
static int sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		out[0] = '\0';
		return -1;
	}
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- what rules see of a licence
 *
 * The enveloped signature of a licence covers the document without its ds:Signature
 * element (the enveloped-signature transform) and without comments (exclusive C14N
 * without comments). Those can be added or changed after signing and the licence still
 * verifies: an office put inside KeyInfo's X509SubjectName, or in a comment, would be
 * read as licensed by any rule that reads the licence with "//". So rules are given
 * every licence without its ds:Signature elements and comments, signed or not: a rule
 * then reads a licence the same way whether it carries a signature or not (stripping
 * the signature never shows a rule more), and the signed content is exactly what it
 * reads. A licence is the root element, or the element a d:document of a d:case holds,
 * named licence in the rahdari namespace (as fn:doc() and fn:licence-signature() find
 * them). Other documents are read as they are: nothing in them is signed, and hiding a
 * part of a booking would hide it from the rules but not from the systems that act on
 * it.
 *
 * Elements keep their line numbers; texts that a removed node separated become one text
 * again, as the signature saw them. A licence changed so is kept as it was parsed, a
 * document of its own, on which its signature is verified (rd__document_pristine). */

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"

static int is_doc_element(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       xmlStrEqual(n->ns->href, (const xmlChar *)RD_NS_DOC) &&
	       xmlStrEqual(n->name, (const xmlChar *)name);
}

static int hidden(const xmlNode *n)
{
	return n->type == XML_COMMENT_NODE ||
	       (n->type == XML_ELEMENT_NODE && n->ns &&
	        xmlStrEqual(n->ns->href, (const xmlChar *)DS_NS) &&
	        xmlStrEqual(n->name, (const xmlChar *)"Signature"));
}

/* Remove the run of hidden nodes and texts that starts at the hidden node first, its
 * texts (and the text before it) joined into one, in one pass (joining pairwise would
 * be quadratic in the number of comments). *after: the node after the run; *elements
 * counts the elements removed. 0 or -1. */
static int drop_run(xmlDocPtr doc, xmlNodePtr first, xmlNodePtr *after, size_t *elements)
{
	xmlNodePtr keep = first->prev && first->prev->type == XML_TEXT_NODE ? first->prev : NULL;
	xmlNodePtr end, n, next;
	size_t len = keep && keep->content ? strlen((const char *)keep->content) : 0;
	size_t ntext = keep ? 1 : 0;

	for (end = first; end && (hidden(end) || end->type == XML_TEXT_NODE); end = end->next) {
		if (end->type != XML_TEXT_NODE)
			continue;
		/* every text of the run is copied, the one kept too (a text before the run was
		 * counted above) */
		if (keep == NULL)
			keep = end;
		len += end->content ? strlen((const char *)end->content) : 0;
		ntext++;
	}
	if (ntext > 1) {
		xmlChar *s = xmlMalloc(len + 1), *p = s;

		if (s == NULL)
			return -1;
		for (n = keep; n != end; n = n->next) {
			size_t k;

			if (n->type != XML_TEXT_NODE || n->content == NULL)
				continue;
			k = strlen((const char *)n->content);
			memcpy(p, n->content, k);
			p += k;
		}
		*p = '\0';
		/* the parser may have taken the text from the dictionary */
		if (keep->content && keep->content != (xmlChar *)&keep->properties &&
		    !(doc->dict && xmlDictOwns(doc->dict, keep->content)))
			xmlFree(keep->content);
		keep->content = s;
		keep->properties = NULL;
	}
	for (n = first; n != end; n = next) {
		next = n->next;
		if (n == keep)
			continue;
		if (n->type == XML_ELEMENT_NODE)
			(*elements)++;
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
	*after = end;
	return 0;
}

/* The node after n's subtree in document order, within top's (NULL at its end). */
static xmlNodePtr next_within(xmlNodePtr n, xmlNodePtr top)
{
	for (; n && n != top; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

/* Remove the hidden nodes below top (which stays). 0 or -1 (out of memory). */
static int strip(xmlDocPtr doc, xmlNodePtr top, size_t *elements)
{
	xmlNodePtr cur = top->children;

	while (cur != NULL) {
		if (hidden(cur)) {
			xmlNodePtr parent = cur->parent, after;

			if (drop_run(doc, cur, &after, elements) < 0)
				return -1;
			cur = after ? after : next_within(parent, top);
		} else if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
		} else {
			cur = next_within(cur, top);
		}
	}
	return 0;
}

/* Is there something to hide below top? */
static int has_hidden(xmlNodePtr top)
{
	xmlNodePtr cur = top->children;

	while (cur != NULL) {
		if (hidden(cur))
			return 1;
		if (cur->type == XML_ELEMENT_NODE && cur->children)
			cur = cur->children;
		else
			cur = next_within(cur, top);
	}
	return 0;
}

/* Keep the licence element as it is (the root: the whole document, comments and DOCTYPE
 * around it included), then strip it. 0 or -1. */
static int view_licence(rd_document *d, xmlNodePtr licence, size_t *elements)
{
	xmlNodePtr top = licence->parent == (xmlNodePtr)d->doc ? (xmlNodePtr)d->doc : licence;
	rd_pristine *p;
	xmlDocPtr copy;

	if (!has_hidden(top))
		return 0;
	p = rd__realloc(d->pristine, (d->npristine + 1) * sizeof *d->pristine);
	if (p == NULL)
		return -1;
	d->pristine = p;
	if (top == (xmlNodePtr)d->doc) {
		copy = xmlCopyDoc(d->doc, 1);
	} else {
		xmlNodePtr n;

		copy = xmlNewDoc((const xmlChar *)"1.0");
		n = copy ? xmlDocCopyNode(licence, copy, 1) : NULL;
		if (n == NULL) {
			xmlFreeDoc(copy);
			return -1;
		}
		xmlDocSetRootElement(copy, n);
	}
	if (copy == NULL)
		return -1;
	p[d->npristine].node = licence;
	p[d->npristine].doc = copy;
	d->npristine++;
	return strip(d->doc, top, elements);
}

int rd__document_view_licences(rd_document *d)
{
	xmlNodePtr root = xmlDocGetRootElement(d->doc), k, c;
	size_t elements = 0;
	int rc = 0;

	if (is_doc_element(root, "licence")) {
		rc = view_licence(d, root, &elements);
	} else if (is_doc_element(root, "case")) {
		for (k = root->children; k && rc == 0; k = k->next) {
			if (k->type != XML_ELEMENT_NODE || !xmlStrEqual(k->name, (const xmlChar *)"document"))
				continue;
			for (c = k->children; c && c->type != XML_ELEMENT_NODE; c = c->next)
				;
			if (is_doc_element(c, "licence"))
				rc = view_licence(d, c, &elements);
		}
	}
	if (rc < 0)
		return rd__error_oom();
	/* the elements removed are in the index, which simple rule contexts read */
	if (elements && d->index.nall) {
		rd__index_free(&d->index);
		if (rd__index_build(&d->index, d->doc) < 0)
			return rd__error_oom();
	}
	return RD_OK;
}

xmlDocPtr rd__document_pristine(const rd_document *d, const xmlNode *node)
{
	size_t i;

	for (i = 0; d && i < d->npristine; i++)
		if (d->pristine[i].node == node)
			return d->pristine[i].doc;
	return NULL;
}

int rd_document_load_memory(rd_document **out, const void *data, size_t len, const char *name,
                            const rd_load_options *opts)
{
	rd_document *d;
	rd_limits lim;
	int rc;

	rd__init();
	if (out == NULL || (data == NULL && len))
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_document_load_memory: bad arguments");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_document_load_memory", rd_load_options, RD_LOAD_OPTIONS_VERSION, opts);
	if (name == NULL)
		name = "<memory>";
	rd__limits_from(&lim, opts);
	d = rd__calloc(1, sizeof *d);
	if (d == NULL)
		return rd__error_oom();
	d->name = rd__strdup(name);
	if (d->name == NULL) {
		free(d);
		return rd__error_oom();
	}
	/* The elements are numbered as they are parsed, so that document-order comparisons
	 * are O(1) and no check ever writes to the tree (documents are shared between
	 * threads), and indexed by name. */
	rc = rd__xml_parse_indexed(&d->doc, data, len, name, &lim, &d->index);
	if (rc != RD_OK) {
		free(d->name);
		free(d);
		return rc;
	}
	if (sha256_hex(data, len, d->sha256) < 0) {
		/* never a report with its document's digest silently missing */
		rd_document_free(d);
		return rd__error_oom();
	}
	rc = rd__document_view_licences(d);
	if (rc != RD_OK) {
		rd_document_free(d);
		return rc;
	}
	*out = d;
	return RD_OK;
}

int rd_document_load_file(rd_document **out, const char *path, const rd_load_options *opts)
{
	rd_limits lim;
	rd_mapped m;
	int rc;

	rd__init();
	if (out == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_document_load_file: out and path must not be NULL");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_document_load_file", rd_load_options, RD_LOAD_OPTIONS_VERSION, opts);
	rd__limits_from(&lim, opts);
	rc = rd__file_map(path, lim.max_bytes, RD_READ_XML, &m);
	if (rc != RD_OK)
		return rc;
	rc = rd_document_load_memory(out, m.data, m.len, path, opts);
	rd__file_unmap(&m);
	return rc;
}

void rd_document_free(rd_document *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	rd__index_free(&doc->index);
	xmlFreeDoc(doc->doc);
	for (i = 0; i < doc->npristine; i++)
		xmlFreeDoc(doc->pristine[i].doc);
	free(doc->pristine);
	free(doc->name);
	free(doc);
}

const char *rd_document_name(const rd_document *doc)
{
	return doc ? doc->name : NULL;
}

const char *rd_document_sha256(const rd_document *doc)
{
	return doc ? doc->sha256 : NULL;
}

const char *rd_document_root_name(const rd_document *doc)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc->doc) : NULL;

	return root ? (const char *)root->name : NULL;
}

const char *rd_document_root_namespace(const rd_document *doc)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc->doc) : NULL;

	return root && root->ns ? (const char *)root->ns->href : NULL;
}
