/* rahdari: what the crypto layer (trust.c, licsig.c) offers the layers above it: a
 * trust store's generation, a verification of a parsed licence, and the words fn:licence-signature()
 * returns (fn_licence.c). No OpenSSL or libxmlsec1 type here.
 * SPDX-License-Identifier: MIT */
#ifndef RD_SIG_H
#define RD_SIG_H

#include "internal.h"

#include <time.h>

#include <rahdari/trust.h>

/* A number that changes whenever a trust store is made or changed (never reused), so
 * that a cached verdict cannot outlive the store it was made with (trust.c). */
unsigned long rd__trust_generation(const rd_trust *t);

/* libxmlsec1's one-time initialisation (thread-safe, idempotent; RD_OK or RD_ERROR, set)
 * and its undoing (licsig.c), for rd_init() and rd_shutdown() (init.c). */
int rd__xmlsec_init(void);
void rd__xmlsec_shutdown(void);

/* The verdicts fn:licence-signature() returns. */
#define RD_SIGV_VERIFIED "verified"
#define RD_SIGV_UNSIGNED "unsigned"
#define RD_SIGV_INVALID "invalid"
#define RD_SIGV_UNTRUSTED "untrusted"
#define RD_SIGV_NOT_CHECKED "not-checked"

/* Verify the licence doc (a tree rahdari parsed, not changed since: the caller's private
 * copy) against trust at time when, in the profile of rd_licence_verify() without weak
 * algorithms. RD_OK and *out (free with rd_verify_result_free()), or RD_ENOMEM, or
 * RD_ERROR when libxmlsec1 cannot be used (rd_error_last() says why). */
int rd__licence_verify_doc(rd_verify_result **out, const rd_trust *trust, xmlDocPtr doc,
                           time_t when);

/* fn:licence-signature([role]) and fn:licence-signature-detail([role]) (fn_licence.c). */
void rd__fn_licence_signature(xmlXPathParserContextPtr ctxt, int nargs);
void rd__fn_licence_signature_detail(xmlXPathParserContextPtr ctxt, int nargs);

#endif /* RD_SIG_H */
