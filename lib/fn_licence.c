/* rahdari: fn:licence-signature([role]) and fn:licence-signature-detail([role]), the
 * evaluation layer's view of signed licences.
 *
 * The licence of a role is found in the check (a document given with that role, a
 * document element of the case, or the document itself when it is a licence), copied as
 * it was signed, and verified by licsig.c against the check's trust store on the check's
 * as-of day. A verdict is remembered per thread (in the rd_checker), keyed by the
 * document, its SHA-256, the role, the trust store's generation and the day, so that the
 * rules of one check, or the checks of one audit record, verify a licence once.
 * SPDX-License-Identifier: MIT */
#include "sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpathInternals.h>

#define EV(ctxt) ((rd_eval *)(ctxt)->context->funcLookupData)
#define MEMO_SIZE 8

typedef struct memo_entry {
	const void *doc;      /* the rd_document the licence was found through */
	char sha[65];         /* its SHA-256 ("" when unknown) */
	char role[64];
	unsigned long gen;    /* the trust store's generation */
	long day;             /* the check's as-of day */
	unsigned long serial; /* the check it is valid for (0: any, the document being stable) */
	const char *verdict;
	char detail[480];
	int used;
} memo_entry;

struct rd_sig_memo {
	memo_entry e[MEMO_SIZE];
	unsigned int next;
};

void rd__sig_memo_free(struct rd_sig_memo *m)
{
	free(m);
}

static const char *verdict_of(int status)
{
	switch (status) {
	case RD_SIG_OK: return RD_SIGV_VERIFIED;
	case RD_SIG_MISSING: return RD_SIGV_UNSIGNED;
	case RD_SIG_UNTRUSTED:
	case RD_SIG_EXPIRED:
	case RD_SIG_NOT_YET_VALID:
	case RD_SIG_REVOKED: return RD_SIGV_UNTRUSTED;
	default: return RD_SIGV_INVALID;
	}
}

/* The licence of the role: a document given to the check, or a document element of the
 * case being checked, or (role "licence") the document being checked when it is a
 * licence. *whole: the node is the root of its own document. */
static xmlNodePtr find_licence(const rd_eval *ev, const char *role, const rd_document **via,
                               int *whole)
{
	xmlNodePtr root, k, c;
	size_t i;

	for (i = 0; ev->opts && i < ev->opts->ndocs; i++) {
		if (ev->opts->docs[i].role && ev->opts->docs[i].doc &&
		    strcmp(ev->opts->docs[i].role, role) == 0) {
			*via = ev->opts->docs[i].doc;
			*whole = 1;
			return xmlDocGetRootElement(ev->opts->docs[i].doc->doc);
		}
	}
	if (ev->doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(ev->doc->doc);
	if (root == NULL || root->ns == NULL || !xmlStrEqual(root->ns->href, (const xmlChar *)RD_NS_DOC))
		return NULL;
	*via = ev->doc;
	if (xmlStrEqual(root->name, (const xmlChar *)"case")) {
		for (k = root->children; k; k = k->next) {
			xmlChar *r;
			int match;

			if (k->type != XML_ELEMENT_NODE || !xmlStrEqual(k->name, (const xmlChar *)"document"))
				continue;
			r = xmlGetNoNsProp(k, (const xmlChar *)"role");
			match = r && strcmp((const char *)r, role) == 0;
			xmlFree(r);
			if (!match)
				continue;
			for (c = k->children; c; c = c->next) {
				if (c->type == XML_ELEMENT_NODE) {
					*whole = 0;
					return c;
				}
			}
		}
		return NULL;
	}
	if (strcmp(role, "licence") == 0 && xmlStrEqual(root->name, (const xmlChar *)"licence")) {
		*whole = 1;
		return root;
	}
	return NULL;
}

/* A private copy of the licence, as the document it was signed as. */
static xmlDocPtr licence_copy(xmlNodePtr node, int whole)
{
	xmlDocPtr d;
	xmlNodePtr c;

	if (whole)
		return xmlCopyDoc(node->doc, 1);
	d = xmlNewDoc((const xmlChar *)"1.0");
	if (d == NULL)
		return NULL;
	c = xmlDocCopyNode(node, d, 1);
	if (c == NULL) {
		xmlFreeDoc(d);
		return NULL;
	}
	xmlDocSetRootElement(d, c);
	return d;
}

/* A private copy of the licence node (found through via) as it was signed. The rules'
 * tree of a licence lacks what its signature does not cover (document.c), so the copy is
 * made from the licence as it was parsed. NULL when memory ran out. */
static xmlDocPtr signed_copy(const rd_document *via, xmlNodePtr node, int whole)
{
	xmlDocPtr pristine = rd__document_pristine(via, node);

	return pristine ? xmlCopyDoc(pristine, 1) : licence_copy(node, whole);
}

/* The verdict on the role's licence for this check: NULL with *word set when there is
 * nothing to verify ("" no licence, "not-checked" no trust store), else the memo entry.
 * On an internal failure, an XPath error is raised and NULL returned with *word NULL. */
static const memo_entry *licence_verdict(xmlXPathParserContextPtr ctxt, const char *role,
                                         const char **word)
{
	rd_eval *ev = EV(ctxt);
	const rd_trust *trust = NULL;
	struct rd_checker *ck = ev ? ev->checker : NULL;
	const rd_document *via = NULL;
	xmlNodePtr node;
	int whole = 0;
	unsigned long gen, serial;
	memo_entry *e;
	unsigned int i;
	rd_verify_result *r = NULL;
	xmlDocPtr copy;
	int rc;

	*word = NULL;
	if (ev == NULL) {
		*word = "";
		return NULL;
	}
	node = find_licence(ev, role, &via, &whole);
	if (node == NULL) {
		*word = "";
		return NULL;
	}
	if (ev->opts)
		trust = ev->opts->trust;
	if (trust == NULL) {
		*word = RD_SIGV_NOT_CHECKED;
		return NULL;
	}
	if (ck == NULL) {
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
		return NULL;
	}
	gen = rd__trust_generation(trust);
	serial = via->sha256[0] ? 0 : ck->checks;
	if (ck->sig_memo == NULL) {
		ck->sig_memo = rd__calloc(1, sizeof *ck->sig_memo);
		if (ck->sig_memo == NULL) {
			xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
			return NULL;
		}
	}
	for (i = 0; i < MEMO_SIZE; i++) {
		e = &ck->sig_memo->e[i];
		if (e->used && e->doc == via && strcmp(e->sha, via->sha256) == 0 &&
		    strcmp(e->role, role) == 0 && e->gen == gen && e->day == ev->today &&
		    e->serial == serial)
			return e;
	}
	copy = signed_copy(via, node, whole);
	if (copy == NULL) {
		xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
		return NULL;
	}
	rc = rd__licence_verify_doc(&r, trust, copy, (time_t)ev->today * 86400 + 86399);
	xmlFreeDoc(copy);
	if (rc != RD_OK) {
		if (rc != RD_ENOMEM)
			rd__eval_error(ev, "licence signatures cannot be verified: %s",
			               rd_error_last()->message);
		xmlXPathErr(ctxt, rc == RD_ENOMEM ? XPATH_MEMORY_ERROR : XPATH_INVALID_OPERAND);
		return NULL;
	}
	e = &ck->sig_memo->e[ck->sig_memo->next++ % MEMO_SIZE];
	memset(e, 0, sizeof *e);
	e->used = strlen(role) < sizeof e->role; /* a longer role is verified every time */
	e->doc = via;
	snprintf(e->sha, sizeof e->sha, "%s", via->sha256);
	snprintf(e->role, sizeof e->role, "%s", role);
	e->gen = gen;
	e->day = ev->today;
	e->serial = serial;
	e->verdict = verdict_of(rd_verify_result_status(r));
	snprintf(e->detail, sizeof e->detail, "%s", rd_verify_result_message(r));
	rd_verify_result_free(r);
	return e;
}

static void licence_fn(xmlXPathParserContextPtr ctxt, int nargs, int detail)
{
	xmlChar *role = NULL;
	const memo_entry *e;
	const char *word;

	if (nargs > 1) {
		XP_ERROR(XPATH_INVALID_ARITY);
	}
	if (nargs == 1) {
		role = xmlXPathPopString(ctxt);
		if (role == NULL)
			return;
	}
	e = licence_verdict(ctxt, role ? (const char *)role : "licence", &word);
	xmlFree(role);
	if (e == NULL && word == NULL)
		return; /* an error was raised */
	if (e == NULL)
		valuePush(ctxt, xmlXPathNewCString(detail ? "" : word));
	else
		valuePush(ctxt, xmlXPathNewCString(detail ? e->detail : e->verdict));
}

void rd__fn_licence_signature(xmlXPathParserContextPtr ctxt, int nargs)
{
	licence_fn(ctxt, nargs, 0);
}

void rd__fn_licence_signature_detail(xmlXPathParserContextPtr ctxt, int nargs)
{
	licence_fn(ctxt, nargs, 1);
}
