/** @file
 * @brief rahdari: loading XML documents safely.
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

/** Flags of rd_read_fd(). */
#define RD_READ_XML 1u  /**< the input is an XML document: see rd_read_fd() */
#define RD_READ_TEXT 2u /**< the input is text: a NUL byte stops the reading */

/**
 * Read all of a descriptor (standard input, a pipe, a regular file) into memory, as
 * rahdari reads its own inputs, for rd_document_load_memory() and the other calls that
 * take bytes.
 *
 * A regular file larger than @p max is refused before it is read; other input is read up
 * to @p max bytes (RD_ELIMIT beyond). A directory, a block device, or a character device
 * other than a terminal (/dev/zero, /dev/urandom) is refused at once (RD_EIO). A pipe,
 * a terminal or a socket is read as a stream and, with RD_READ_XML, stopped (RD_EPARSE,
 * with line and column) at the first byte that cannot be there: an XML document starts
 * with an optional byte-order mark (UTF-8 or UTF-16), white space, then '<' (or with
 * "<?xml" in one of the other encodings libxml2 detects: UCS-4, UTF-16 without a mark,
 * EBCDIC), and a UTF-8 document holds no NUL byte. RD_READ_TEXT stops at a NUL byte.
 * The bytes of a regular file are left to the parser.
 *
 * @param out   receives the bytes, followed by four zero bytes (not counted in *len);
 *              free with rd_free(). @owned
 * @param len   receives the number of bytes read
 * @param fd    the descriptor, read to its end (not closed)
 * @param name  the input's name in messages (e.g. "<stdin>"), or NULL
 * @param max   the most bytes to read, or 0 for the default (256 MiB)
 * @param flags 0, RD_READ_XML or RD_READ_TEXT
 * @return RD_OK, RD_EINVAL, RD_EIO, RD_EPARSE, RD_ELIMIT or RD_ENOMEM
 */
RD_EXTERN(int) rd_read_fd(char **out, size_t *len, int fd, const char *name, size_t max,
                          unsigned int flags) RD_WARN_UNUSED;

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
