/* rahdari: internal declarations of the licence signatures (licsig.c) and of the trust
 * store (trust.c). Only these two files include OpenSSL's X.509 and libxmlsec1's headers;
 * the rest of the library sees opaque types.
 * SPDX-License-Identifier: MIT */
#ifndef RD_SIG_H
#define RD_SIG_H

#include "internal.h"

#include <time.h>

#include <rahdari/trust.h>

/* ---------------------------------------------------------------- results (licsig.c) */

struct rd_verify_result {
	int status;              /* rd_sig_status; -1 while undecided */
	char *message;
	char *fields[RD_VERIFY_CHECKED_AT + 1];
	char **warnings;
	size_t nwarnings, capwarnings;
	char **chain;
	size_t nchain, capchain;
	int oom;
};

/* Decide the verdict (the first call wins) with its message in words. */
void rd__vr_verdict(rd_verify_result *r, int status, const char *fmt, ...) RD_PRINTF(3, 4);
void rd__vr_warn(rd_verify_result *r, const char *fmt, ...) RD_PRINTF(2, 3);
void rd__vr_set(rd_verify_result *r, rd_verify_field f, const char *value);
void rd__vr_chain_add(rd_verify_result *r, const char *subject);
/* The time "YYYY-MM-DDTHH:MM:SSZ" into buf[21]. */
void rd__time_format(time_t t, char buf[21]);
/* "YYYY-MM-DD" (the end of that day, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; 0 or -1. */
int rd__time_parse(const char *s, time_t *out);

/* ---------------------------------------------------------------- trust store (trust.c) */

/* A number that changes whenever a store is made or changed (never reused), so that a
 * cached verdict cannot outlive the store it was made with. */
unsigned long rd__trust_generation(const rd_trust *t);

/* Verify the signer's certificate (an X509 *) with the other certificates the signature
 * carries (a STACK_OF(X509) *, may be NULL) against the store, at time when. Sets the
 * verdict of r when the chain does not verify (RD_SIG_UNTRUSTED, _EXPIRED, _NOT_YET_VALID,
 * _REVOKED) and fills RD_VERIFY_ANCHOR and the chain. 0, or -1 when memory ran out. */
int rd__trust_verify_cert(const rd_trust *t, void *leaf, void *untrusted, time_t when,
                          rd_verify_result *r);

/* Describe a certificate (an X509 *) into r: subject, issuer, serial, validity, key. */
void rd__cert_describe(void *cert, rd_verify_result *r);
/* Subject of a certificate (an X509 *) in RFC 2253 form, malloc'ed (NULL: out of memory). */
char *rd__cert_subject(void *cert);

/* ---------------------------------------------------------------- rules (licsig.c) */

/* The verdicts fn:licence-signature() returns. */
#define RD_SIGV_VERIFIED "verified"
#define RD_SIGV_UNSIGNED "unsigned"
#define RD_SIGV_INVALID "invalid"
#define RD_SIGV_UNTRUSTED "untrusted"
#define RD_SIGV_NOT_CHECKED "not-checked"

/* fn:licence-signature([role]) and fn:licence-signature-detail([role]). */
void rd__fn_licence_signature(xmlXPathParserContextPtr ctxt, int nargs);
void rd__fn_licence_signature_detail(xmlXPathParserContextPtr ctxt, int nargs);

#endif /* RD_SIG_H */
