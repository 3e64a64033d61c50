/* rahdari: private declarations of the one X.509 module (x509.c) and of the trust store
 * (trust.c), shared by everything that is signed: licences (licsig.c) and packs
 * (packsig.c). Only the crypto layer includes it; the rest of the library sees rd_trust
 * as an opaque type.
 *
 * Order of the crypto layer, each part calling only those before it:
 *   x509.c, trust.c (certificates, CRLs, keys, chains, the outcome of a verification)
 *   -> licsig.c (enveloped XML Signatures of licences)
 *   -> packsig.c (detached CMS signatures of packs and files).
 * SPDX-License-Identifier: MIT */
#ifndef RD_X509_H
#define RD_X509_H

#include "internal.h"
#include "sig.h"

#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <rahdari/trust.h>

/* A certificate, CRL or key file larger than this is refused (RD_ELIMIT). */
#define RD_X509_MAX_FILE ((size_t)16 << 20)

/* ---------------------------------------------------------------- the outcome (x509.c) */

/* The outcome of one verification, a licence's or a pack's: one status (an rd_sig_status)
 * with its message, warnings, and the chain the signer's certificate was verified by. */
typedef struct rd_sig_outcome {
	int status;                /* rd_sig_status; -1 while undecided */
	char *message;
	const char *const *labels; /* when set, a message starts "labels[status]: " */
	char **warnings;
	size_t nwarnings, capwarnings;
	char **chain;              /* subjects, the signer's first */
	size_t nchain, capchain;
	char *anchor;              /* the trust store's certificate the chain ends at */
	int oom;                   /* memory ran out while it was filled */
} rd_sig_outcome;

/* Decide the status (the first call wins) with its message in words. */
void rd__outcome_verdict(rd_sig_outcome *o, int status, const char *fmt, ...) RD_PRINTF(3, 4);
/* Add a warning (a warning given already is not repeated). */
void rd__outcome_warn(rd_sig_outcome *o, const char *fmt, ...) RD_PRINTF(2, 3);
/* Free what the outcome holds (not the outcome itself). */
void rd__outcome_clear(rd_sig_outcome *o);

/* ---------------------------------------------------------------- X.509 (x509.c) */

/* The time "YYYY-MM-DDTHH:MM:SSZ" into buf[21] ("" when it cannot be written). */
void rd__x509_time_format(time_t t, char buf[21]);
/* "YYYY-MM-DD" (the end of that day, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; 0 or -1. */
int rd__x509_time_parse(const char *s, time_t *out);
/* An ASN.1 time as "YYYY-MM-DDTHH:MM:SSZ" into buf[21] ("" when unreadable); buf. */
const char *rd__x509_asn1_time(const ASN1_TIME *t, char buf[21]);
/* A name in RFC 2253 form, UTF-8 kept, control characters escaped; malloc'ed, NULL when
 * memory ran out. */
char *rd__x509_name(const X509_NAME *name);
/* The subject of a certificate, as rd__x509_name(). */
char *rd__x509_subject(const X509 *cert);
/* The serial number in upper-case hexadecimal; malloc'ed, NULL when memory ran out. */
char *rd__x509_serial(const X509 *cert);
/* The certificate's key in words ("RSA 2048", "EC P-256", "ED25519 256") into buf. */
void rd__x509_key_words(const X509 *cert, char *buf, size_t len);
/* n bytes in lower-case hexadecimal into out[2n + 1]. */
void rd__x509_hex(const unsigned char *bytes, size_t n, char *out);
/* SHA-256 of the bytes in hexadecimal into out[65] ("" when it cannot be computed). */
void rd__x509_sha256_hex(const void *data, size_t len, char out[65]);
/* OpenSSL's reason for its last error (the queue is emptied); buf. */
const char *rd__x509_ossl_reason(char *buf, size_t len);

/* The certificates (when certs is not NULL) and CRLs (when crls is not NULL) of one file:
 * PEM (any number of blocks), else one DER certificate or CRL. what names the file in
 * messages ("trust store", "certificate", "CRL"). RD_OK; RD_ENOTFOUND, RD_EIO, RD_ELIMIT
 * (the file); RD_EPARSE (nothing wanted in it); RD_ENOMEM. */
int rd__x509_load_file(const char *path, STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls,
                       const char *what);
/* Certificates and CRLs of the files *.pem, *.crt and *.cer of a directory, in name
 * order. RD_OK; RD_ENOTFOUND (no such directory), RD_EIO; as rd__x509_load_file(). An
 * empty directory is not an error here. */
int rd__x509_load_dir(const char *dir, STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls);
/* A private key, PEM (encrypted with password, never prompted) or DER. RD_OK; as
 * rd__x509_load_file() (RD_EPARSE: no key, or a wrong or missing passphrase). */
int rd__x509_load_key(EVP_PKEY **out, const char *path, const char *password);

/* Is the certificate meant for signing documents? NULL when it is, else why not: its key
 * usage, when present, must allow digital signatures or non-repudiation; its extended key
 * usage, when present, document signing, e-mail protection, code signing or any. */
const char *rd__x509_signing_use(X509 *cert);

/* ---------------------------------------------------------------- trust store (trust.c) */

struct rd_trust {
	X509_STORE *store;
	STACK_OF(X509) *certs;    /* the anchors, as loaded */
	STACK_OF(X509_CRL) *crls; /* the CRLs, as loaded */
	unsigned long gen;
};

/* Flags of rd__trust_verify_chain(). */
#define RD_CHAIN_STRICT_KEYS 0x1u /* keys and digests of the chain: 112 bits of security */

/* Verify the signer's certificate with the other certificates the signature carries
 * (untrusted, may be NULL) against the store at time when. Sets the status of o when the
 * chain does not hold (RD_SIG_UNTRUSTED, _EXPIRED, _NOT_YET_VALID, _REVOKED,
 * _WEAK_ALGORITHM) or the certificate is not meant for signing; fills o's chain and
 * anchor; warns of CA certificates whose revocation could not be checked. 0, or -1 when
 * memory ran out. */
int rd__trust_verify_chain(const rd_trust *t, X509 *leaf, STACK_OF(X509) *untrusted,
                           time_t when, unsigned int flags, rd_sig_outcome *o);

#endif /* RD_X509_H */
