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
	rd__limits_from(&lim, opts);
	rc = rd__file_map(path, lim.max_bytes, &m);
	if (rc != RD_OK)
		return rc;
	rc = rd_document_load_memory(out, m.data, m.len, path, opts);
	rd__file_unmap(&m);
	return rc;
}

void rd_document_free(rd_document *doc)
{
	if (doc == NULL)
		return;
	rd__index_free(&doc->index);
	xmlFreeDoc(doc->doc);
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
