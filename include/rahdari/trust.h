/** @file
 * @brief rahdari: signed licences (enveloped XML Signature) and the regulator's trust store.
 *
 * A licence is issued as XML carrying one enveloped XML Signature over the whole
 * document, verified in a strict profile (doc/trust.md):
 *   - exactly one ds:Signature in the document, a child of the root element;
 *   - exactly one Reference, URI="", with the transforms enveloped-signature then
 *     exclusive C14N (without comments), and nothing else;
 *   - exclusive C14N (without comments) for SignedInfo;
 *   - RSA (2048 bits or more) or ECDSA with SHA-256, SHA-384 or SHA-512; digests
 *     SHA-256, SHA-384 or SHA-512 (SHA-1 and MD5 only with RD_VERIFY_ALLOW_WEAK);
 *   - the key is the one of the signer's X.509 certificate in KeyInfo (certificates and
 *     the standard's naming hints only, each with text only: no KeyValue, KeyName or
 *     RetrievalMethod; no ds:Object; no DOCTYPE), and that
 *     certificate chains to a certificate of the trust store, valid at the time of
 *     verification and not revoked by a CRL of the store.
 * Rules read a licence without its ds:Signature element and comments, which no
 * signature covers (doc/trust.md, "What rules see of a licence").
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_TRUST_H
#define RAHDARI_TRUST_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** A regulator's trust store: trusted certificates and CRLs. Immutable once loaded (but
 * for rd_trust_add_crl()), so one store may serve any number of threads at once. */
typedef struct rd_trust rd_trust;
/** The outcome of one licence verification. */
typedef struct rd_verify_result rd_verify_result;

/**
 * Load a trust store: a file of one or more PEM certificates (a DER certificate is
 * accepted too), or a directory whose files named *.pem, *.crt or *.cer are read so.
 * Every certificate loaded is a trust anchor (a regulator may trust its issuing CA
 * without its root). CRLs found in the same PEM files are added as by rd_trust_add_crl().
 *
 * @param out receives the store; free it with rd_trust_free(). @owned
 * @return RD_OK, RD_EINVAL (NULL argument, no certificate found), RD_ENOTFOUND, RD_EIO,
 *         RD_EPARSE (a file that holds no readable certificate) or RD_ENOMEM
 */
RD_EXTERN(int) rd_trust_load(rd_trust **out, const char *path) RD_WARN_UNUSED;

/**
 * Add certificate revocation lists (a PEM file of one or more, or one DER CRL). Once a
 * store holds a CRL, a signer's certificate is accepted only when a CRL of its issuer,
 * in date, is in the store; CRLs of the other CAs of the chain are checked when present.
 * Do not call it while other threads verify with the same store.
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE or RD_ENOMEM
 */
RD_EXTERN(int) rd_trust_add_crl(rd_trust *trust, const char *path) RD_WARN_UNUSED;

/** Number of trusted certificates in the store. */
RD_EXTERN(size_t) rd_trust_cert_count(const rd_trust *trust);
/** Number of CRLs in the store. */
RD_EXTERN(size_t) rd_trust_crl_count(const rd_trust *trust);
/** Free a store. NULL is a no-op. */
RD_EXTERN(void) rd_trust_free(rd_trust *trust);

/** Why a licence, or a pack (rd_pack_verify()), did or did not verify: one vocabulary
 * for everything rahdari verifies. */
typedef enum rd_sig_status {
	RD_SIG_OK = 0,              /**< verified, in the profile, by a trusted certificate */
	RD_SIG_MISSING = 1,         /**< the document carries no XML Signature (a pack: no manifest
	                                 or no signature) */
	RD_SIG_DIGEST_MISMATCH = 2, /**< the document was changed after it was signed (a pack: a
	                                 file was changed, added or removed) */
	RD_SIG_BAD_SIGNATURE = 3,   /**< the signature value does not match SignedInfo and the key */
	RD_SIG_UNTRUSTED = 4,       /**< the signer does not chain to the trust store, is not meant
	                                 for signing, or its revocation could not be checked */
	RD_SIG_EXPIRED = 5,         /**< a certificate of the chain had expired */
	RD_SIG_NOT_YET_VALID = 6,   /**< a certificate of the chain was not yet valid */
	RD_SIG_REVOKED = 7,         /**< a certificate of the chain is revoked */
	RD_SIG_WEAK_ALGORITHM = 8,  /**< SHA-1, MD5, or an RSA key under 2048 bits */
	RD_SIG_BAD_PROFILE = 9,     /**< outside the profile: several signatures, signature not a
	                                 child of the root, other references or transforms, a
	                                 key without certificate, ... */
	RD_SIG_MALFORMED = 10       /**< the signature cannot be read (missing parts, bad base64,
	                                 a certificate that is not one); a pack's signed manifest
	                                 is not in the format rahdari reads */
} rd_sig_status;

/** Verification flags. */
#define RD_VERIFY_ALLOW_WEAK 0x1u /**< accept SHA-1, MD5 and RSA under 2048 bits, with a warning */

/** Options of rd_licence_verify(). Initialise with RD_VERIFY_OPTIONS_INIT or
 * rd_verify_options_init(); any other version is refused. */
typedef struct rd_verify_options {
	unsigned int version; /**< RD_VERIFY_OPTIONS_VERSION */
	const char *as_of;    /**< when certificates and CRLs are judged: "YYYY-MM-DD" (the end of
	                           that day, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; NULL: now */
	unsigned int flags;   /**< RD_VERIFY_ALLOW_WEAK, or 0 */
	size_t max_bytes;     /**< refuse larger documents; 0: RD_DEFAULT_MAX_BYTES */
} rd_verify_options;

/** The version of rd_verify_options these headers describe. */
#define RD_VERIFY_OPTIONS_VERSION 1
/** rd_verify_options with the defaults: assign it, then set what differs. */
#define RD_VERIFY_OPTIONS_INIT { RD_VERIFY_OPTIONS_VERSION, NULL, 0, 0 }

/** Set @p opts to RD_VERIFY_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_verify_options_init(rd_verify_options *opts);

/**
 * Verify a signed licence. The document is @p data (@p len bytes; @p path, which may be
 * NULL, names it in messages), or, when @p data is NULL, the file @p path. It is parsed
 * by rahdari's secure loader first (no DTD, no entity, no network), then checked against
 * the profile by rahdari's own code, then verified by libxmlsec1 (configured to accept
 * nothing else: empty reference URI, the profile's transforms and algorithms, the key of
 * the certificate only), then the signer's certificate is verified against @p trust.
 *
 * RD_OK means the verification RAN: the verdict is rd_verify_result_status(). A document
 * that cannot be read or parsed, or that the loader refuses, is an error.
 *
 * @param out   receives the result; free it with rd_verify_result_free(). @owned
 * @param trust the trust store (required)
 * @param opts  NULL for the defaults
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE, RD_EUNSAFE, RD_ELIMIT or
 *         RD_ENOMEM
 */
RD_EXTERN(int) rd_licence_verify(rd_verify_result **out, const rd_trust *trust,
                                 const char *path, const void *data, size_t len,
                                 const rd_verify_options *opts) RD_WARN_UNUSED;

/** 1 when the licence verified (RD_SIG_OK), else 0. */
RD_EXTERN(int) rd_verify_result_ok(const rd_verify_result *r);
/** The verdict: an rd_sig_status. */
RD_EXTERN(int) rd_verify_result_status(const rd_verify_result *r);
/** The verdict in words (never NULL for a result). @borrowed */
RD_EXTERN(const char *) rd_verify_result_message(const rd_verify_result *r);

/** Properties of a verification, for rd_verify_result_get(). */
typedef enum rd_verify_field {
	RD_VERIFY_DOCUMENT = 1,   /**< the document's name */
	RD_VERIFY_SHA256,         /**< SHA-256 of the document's bytes (64 hex digits) */
	RD_VERIFY_SUBJECT,        /**< the signer certificate's subject (RFC 2253), or NULL */
	RD_VERIFY_ISSUER,         /**< its issuer, or NULL */
	RD_VERIFY_SERIAL,         /**< its serial number in hexadecimal, or NULL */
	RD_VERIFY_NOT_BEFORE,     /**< its validity, "YYYY-MM-DDTHH:MM:SSZ", or NULL */
	RD_VERIFY_NOT_AFTER,      /**< as above */
	RD_VERIFY_KEY,            /**< the signer's key ("RSA 2048", "EC P-256"), or NULL */
	RD_VERIFY_SIGNATURE_METHOD, /**< SignatureMethod's algorithm URI, or NULL */
	RD_VERIFY_DIGEST_METHOD,  /**< DigestMethod's algorithm URI, or NULL */
	RD_VERIFY_ANCHOR,         /**< the subject of the trust store's certificate the chain
	                               ends at, or NULL */
	RD_VERIFY_CHECKED_AT      /**< the time certificates were judged at, "YYYY-MM-DDTHH:MM:SSZ" */
} rd_verify_field;

/** A property of the result, or NULL. @borrowed: lives until rd_verify_result_free() */
RD_EXTERN(const char *) rd_verify_result_get(const rd_verify_result *r, rd_verify_field field);
/** Number of warnings (weak algorithms accepted, unsigned comments, CRLs missing for
 * some CA of the chain, ...). */
RD_EXTERN(size_t) rd_verify_result_warning_count(const rd_verify_result *r);
/** Warning @p i in words, or NULL. @borrowed */
RD_EXTERN(const char *) rd_verify_result_warning(const rd_verify_result *r, size_t i);
/** Number of certificates of the verified chain, the signer's first (0 when no chain
 * was built). */
RD_EXTERN(size_t) rd_verify_result_chain_count(const rd_verify_result *r);
/** Subject (RFC 2253) of certificate @p i of the chain, or NULL. @borrowed */
RD_EXTERN(const char *) rd_verify_result_chain(const rd_verify_result *r, size_t i);
/** Free a result. NULL is a no-op. */
RD_EXTERN(void) rd_verify_result_free(rd_verify_result *r);

/** Name of an rd_sig_status (a licence's or a pack's verdict): "ok", "missing", "digest-mismatch", "bad-signature",
 * "untrusted", "expired", "not-yet-valid", "revoked", "weak-algorithm", "bad-profile",
 * "malformed"; "unknown" for any other value. @borrowed (static) */
RD_EXTERN(const char *) rd_sig_status_name(rd_sig_status status);

/** Options of rd_licence_sign(). Initialise with RD_SIGN_OPTIONS_INIT or
 * rd_sign_options_init(); any other version is refused. */
typedef struct rd_sign_options {
	unsigned int version;     /**< RD_SIGN_OPTIONS_VERSION */
	const char *key;          /**< the signer's private key file, PEM (PKCS#8 or traditional),
	                               unencrypted unless key_password is given (required) */
	const char *cert;         /**< the signer's certificate file, PEM or DER (required) */
	const char *chain;        /**< a PEM file of certificates to include after the signer's
	                               (intermediate CAs), or NULL */
	const char *key_password; /**< passphrase of an encrypted PEM key, or NULL */
	unsigned int flags;       /**< 0 */
	size_t max_bytes;         /**< refuse larger documents; 0: RD_DEFAULT_MAX_BYTES */
} rd_sign_options;

/** The version of rd_sign_options these headers describe. */
#define RD_SIGN_OPTIONS_VERSION 1
/** rd_sign_options with the defaults: assign it, then set what differs. */
#define RD_SIGN_OPTIONS_INIT { RD_SIGN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0 }

/** Set @p opts to RD_SIGN_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_sign_options_init(rd_sign_options *opts);

/**
 * Sign a licence: the document @p data (or, when @p data is NULL, the file @p path) gets
 * an enveloped ds:Signature as the last child of its root element, in the profile above:
 * RSA-SHA256 (ECDSA-SHA256 for an EC key), SHA-256 digest, transforms enveloped-signature
 * and exclusive C14N, Reference URI="", KeyInfo with the signer's certificate
 * then the chain. The document is parsed by the secure loader; a document that already
 * carries a signature, or has a DOCTYPE, is refused (RD_EINVAL). The key must match the
 * certificate and be RSA of 2048 bits or more, or EC. The result is verified again (all
 * but the trust) before it is returned.
 *
 * @param out     receives the signed document (UTF-8 XML); free it with rd_free(). @owned
 * @param out_len receives its length
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE, RD_EUNSAFE, RD_ELIMIT,
 *         RD_ERROR (the signing failed) or RD_ENOMEM
 */
RD_EXTERN(int) rd_licence_sign(char **out, size_t *out_len, const char *path, const void *data,
                               size_t len, const rd_sign_options *opts) RD_WARN_UNUSED;

RD_END_DECL

#endif /* RAHDARI_TRUST_H */
