/* rahdari: loading XML documents safely.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_DOCUMENT_H
#define RAHDARI_DOCUMENT_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/**
 * Load and parse an XML document from a file.
 *
 * The loader never touches the network, never loads a DTD, never substitutes
 * entities, and refuses a document whose DOCTYPE declares any entity
 * (RD_EUNSAFE). Inputs over the size or depth limits are refused
 * (RD_ELIMIT). Every refusal names file, line and column in rd_error_last().
 *
 * @param out   receives the document; the caller frees it with rd_document_free(). @owned
 * @param path  file to read
 * @param opts  limits, or NULL for the defaults
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE, RD_EUNSAFE, RD_ELIMIT or RD_ENOMEM
 */
RD_EXTERN(int) rd_document_load_file(rd_document **out, const char *path,
                                     const rd_load_options *opts) RD_WARN_UNUSED;

/**
 * Load and parse an XML document from memory. @p name is used in messages and
 * reports (e.g. "<stdin>"); it may be NULL. The buffer is not retained.
 * @return as rd_document_load_file()
 */
RD_EXTERN(int) rd_document_load_memory(rd_document **out, const void *data, size_t len,
                                       const char *name,
                                       const rd_load_options *opts) RD_WARN_UNUSED;

/** Free a document. NULL is a no-op. */
RD_EXTERN(void) rd_document_free(rd_document *doc);

/** Name the document was loaded under (its path, or the name given). @borrowed */
RD_EXTERN(const char *) rd_document_name(const rd_document *doc);
/** SHA-256 of the document's bytes, 64 lowercase hex digits. @borrowed */
RD_EXTERN(const char *) rd_document_sha256(const rd_document *doc);
/** Local name of the root element. @borrowed */
RD_EXTERN(const char *) rd_document_root_name(const rd_document *doc);
/** Namespace URI of the root element, or NULL. @borrowed */
RD_EXTERN(const char *) rd_document_root_namespace(const rd_document *doc);

RD_END_DECL

#endif /* RAHDARI_DOCUMENT_H */
