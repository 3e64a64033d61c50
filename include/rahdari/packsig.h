/** @file
 * @brief rahdari: detached CMS signatures of rule packs (and of any directory or file).
 *
 * A signed pack carries two files at its top level: a manifest, SIGNED-FILES, listing
 * every other file of the pack with its size and SHA-256 digest, and pack.sig, a detached
 * CMS (PKCS #7) SignedData signature over the manifest's exact bytes, in DER, the same as
 * `openssl cms -sign -binary -outform DER` makes. doc/packsig.md describes the format and
 * how to sign and verify with openssl alone.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_PACKSIG_H
#define RAHDARI_PACKSIG_H

#include <rahdari/common.h>
#include <rahdari/trust.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** The manifest's file name, at the top of the pack directory. */
#define RD_PACK_MANIFEST "SIGNED-FILES"
/** The detached signature's file name, at the top of the pack directory. */
#define RD_PACK_SIGNATURE "pack.sig"
/** The suffix of the detached signature of a single file (FILE.sig). */
#define RD_PACK_FILE_SIG_SUFFIX ".sig"

/** Options of rd_pack_sign(). Initialise with RD_PACK_SIGN_OPTIONS_INIT or
 * rd_pack_sign_options_init(); any other version is refused. */
typedef struct rd_pack_sign_options {
	unsigned int version;     /**< RD_PACK_SIGN_OPTIONS_VERSION */
	const char *key;          /**< the signer's private key, PEM or DER (required) */
	const char *cert;         /**< the signer's certificate, PEM or DER (required); more
	                               certificates after it in a PEM file are included too */
	const char *chain;        /**< PEM file of certificates to include (intermediates), or NULL */
	const char *key_password; /**< passphrase of an encrypted PEM key, or NULL (never prompted) */
	unsigned int flags;       /**< 0 */
} rd_pack_sign_options;

/** The version of rd_pack_sign_options these headers describe. */
#define RD_PACK_SIGN_OPTIONS_VERSION 1
/** rd_pack_sign_options with the defaults: assign it, then set what differs. */
#define RD_PACK_SIGN_OPTIONS_INIT { RD_PACK_SIGN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0 }

/** Set @p opts to RD_PACK_SIGN_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_pack_sign_options_init(rd_pack_sign_options *opts);

/** Options of rd_pack_verify() and rd_rules_load_signed(). Initialise with
 * RD_PACK_VERIFY_OPTIONS_INIT or rd_pack_verify_options_init(); any other version is refused.
 * The trusted certificates and CRLs are an rd_trust, the same store as licences'
 * (rd_trust_load(), rd_trust_add_crl()). */
typedef struct rd_pack_verify_options {
	unsigned int version; /**< RD_PACK_VERIFY_OPTIONS_VERSION */
	const char *as_of;    /**< when to judge the certificates and CRLs: "YYYY-MM-DD" (the end of
	                           that day, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; NULL: now */
	unsigned int flags;   /**< 0 */
} rd_pack_verify_options;

/** The version of rd_pack_verify_options these headers describe. */
#define RD_PACK_VERIFY_OPTIONS_VERSION 1
/** rd_pack_verify_options with the defaults: assign it, then set what differs. */
#define RD_PACK_VERIFY_OPTIONS_INIT { RD_PACK_VERIFY_OPTIONS_VERSION, NULL, 0 }

/** Set @p opts to RD_PACK_VERIFY_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_pack_verify_options_init(rd_pack_verify_options *opts);

/** What is wrong with one file. */
typedef enum rd_pack_problem {
	RD_PACK_FILE_CHANGED = 1, /**< its size or SHA-256 digest differs from the manifest's */
	RD_PACK_FILE_ADDED = 2,   /**< present, but not in the manifest */
	RD_PACK_FILE_MISSING = 3, /**< in the manifest, but absent */
	RD_PACK_FILE_REFUSED = 4  /**< a link out of the pack, a link to a directory, not a regular file */
} rd_pack_problem;

/** Properties of a verification, for rd_pack_verification_get(). */
typedef enum rd_pack_field {
	RD_PACK_PATH = 1,         /**< the directory (or file) verified */
	RD_PACK_MESSAGE,          /**< the verdict in words (never NULL) */
	RD_PACK_SIGNER,           /**< the signer certificate's subject (RFC 2253), or NULL */
	RD_PACK_ISSUER,           /**< its issuer, or NULL */
	RD_PACK_SERIAL,           /**< its serial number in hexadecimal, or NULL */
	RD_PACK_NOT_BEFORE,       /**< its validity, "YYYY-MM-DDTHH:MM:SSZ", or NULL */
	RD_PACK_NOT_AFTER,        /**< as above */
	RD_PACK_SIGNING_TIME,     /**< the signing time the signer claims, or NULL when none */
	RD_PACK_DIGEST,           /**< the signature's digest algorithm ("SHA256"), or NULL */
	RD_PACK_CHECKED_AT        /**< the time the certificates were judged at */
} rd_pack_field;

/** The result of rd_pack_verify(). */
typedef struct rd_pack_verification rd_pack_verification;

/**
 * Build the manifest of the directory @p dir: a first line "rahdari-signed-files 1",
 * then one line per regular file under @p dir (except the manifest and the signature at
 * its top), "SHA256HEX SIZE PATH", sorted by PATH (bytes). File names are limited to
 * A-Z a-z 0-9 . _ - + (no "." or ".." component); a symbolic link must lead to a
 * regular file inside @p dir. Anything else is refused (RD_EUNSAFE), naming the file.
 *
 * @param out receives the manifest's bytes; free with rd_free(). @owned
 * @param len receives its length
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EUNSAFE, RD_ELIMIT or RD_ENOMEM
 */
RD_EXTERN(int) rd_pack_manifest(char **out, size_t *len, const char *dir) RD_WARN_UNUSED;

/**
 * Sign @p path. A directory (or the pack.xml of one) gets a fresh manifest
 * (RD_PACK_MANIFEST) and its detached signature (RD_PACK_SIGNATURE), both written
 * atomically; a regular file FILE gets FILE.sig over its bytes. The signature is a DER
 * CMS SignedData with the signer's certificate, the @p opts chain, SHA-256 (SHA-512 for
 * Ed25519 keys) and the signing time. The key must match the certificate, the
 * certificate must be valid now, and the key at least as strong as rd_pack_verify()
 * requires.
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE (a key or certificate that
 *         cannot be read), RD_EUNSAFE (a file that cannot be signed, an expired
 *         certificate, a weak key), RD_ELIMIT, RD_ERROR or RD_ENOMEM
 */
RD_EXTERN(int) rd_pack_sign(const char *path, const rd_pack_sign_options *opts) RD_WARN_UNUSED;

/**
 * Verify the signed directory (or the pack.xml of one), or the file @p path with its
 * FILE.sig: the signature (SHA-256 or stronger; MD5 and SHA-1 refused), the signer's
 * certificate chained to @p trust as a licence's is (doc/trust.md: any trusted
 * certificate is an anchor; the signer's key usage, when present, must allow signatures
 * and its extended key usage, when present, document signing, e-mail protection, code
 * signing or any; keys and digests of the chain of 112 bits of security or more),
 * validity at @p opts->as_of, revocation when the store holds CRLs; then that every file
 * the manifest lists is there with its size and digest, and that no other file is.
 *
 * RD_OK means the verification RAN: the verdict is rd_pack_verification_status().
 * @param out   receives the result; free it with rd_pack_verification_free(). @owned
 * @param trust the trust store (required); not changed, may be shared between threads
 * @param opts  NULL for the defaults
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND (no such pack), RD_EIO (a file that cannot be
 *         read), RD_ELIMIT or RD_ENOMEM
 */
RD_EXTERN(int) rd_pack_verify(rd_pack_verification **out, const rd_trust *trust,
                              const char *path, const rd_pack_verify_options *opts) RD_WARN_UNUSED;

/**
 * The verdict: an rd_sig_status, the vocabulary of licences (rahdari/trust.h). For a
 * pack: RD_SIG_OK (signed by a trusted, valid certificate; every file as signed),
 * RD_SIG_MISSING (no manifest or no signature), RD_SIG_DIGEST_MISMATCH (a file was
 * changed, added or removed since the signature), RD_SIG_BAD_SIGNATURE (the signature
 * cannot be read or does not match the manifest), RD_SIG_MALFORMED (the signed manifest is
 * not in the format rahdari reads), RD_SIG_WEAK_ALGORITHM, RD_SIG_UNTRUSTED,
 * RD_SIG_EXPIRED, RD_SIG_NOT_YET_VALID, RD_SIG_REVOKED. Name it with rd_sig_status_name().
 */
RD_EXTERN(int) rd_pack_verification_status(const rd_pack_verification *v);
/** Number of warnings (CA certificates whose revocation could not be checked, ...). */
RD_EXTERN(size_t) rd_pack_verification_warning_count(const rd_pack_verification *v);
/** Warning @p i in words, or NULL. @borrowed */
RD_EXTERN(const char *) rd_pack_verification_warning(const rd_pack_verification *v, size_t i);
/** A property of the verification, or NULL. @borrowed: lives until rd_pack_verification_free */
RD_EXTERN(const char *) rd_pack_verification_get(const rd_pack_verification *v,
                                                 rd_pack_field field);
/** Number of files the manifest lists (1 for a single file). */
RD_EXTERN(size_t) rd_pack_verification_file_count(const rd_pack_verification *v);
/** Number of files with a problem, in the order of their names. */
RD_EXTERN(size_t) rd_pack_verification_problem_count(const rd_pack_verification *v);
/**
 * Problem @p i: returns the file's path relative to the pack (bytes outside printable
 * ASCII written \\xHH), and through @p kind its rd_pack_problem and through @p detail
 * what is wrong in words (either may be NULL). NULL when out of range. @borrowed
 */
RD_EXTERN(const char *) rd_pack_verification_problem(const rd_pack_verification *v, size_t i,
                                                     int *kind, const char **detail);
/** Free a verification. NULL is a no-op. */
RD_EXTERN(void) rd_pack_verification_free(rd_pack_verification *v);

/** Name of an rd_pack_problem: "changed", "added", "missing", "refused". @borrowed (static) */
RD_EXTERN(const char *) rd_pack_problem_name(rd_pack_problem problem);

/**
 * rd_rules_load() for signed rules only. The directory of @p path (the pack, or the
 * directory of a Schematron file) must pass rd_pack_verify() with @p trust and @p verify
 * (NULL for the defaults), and so must
 * every pack an overlay extends; then every file the loader reads (manifest, schemas,
 * includes, tables, XSDs) must be a file of a verified pack with the size and digest
 * its manifest lists (a file changed after the verification is refused too). Nothing is
 * compiled from a pack that fails. The embedded packs (rd_rules_load_default()) are part
 * of the library and need no signature.
 *
 * @return as rd_rules_load(), and RD_EUNSAFE when a pack is unsigned, altered or
 *         untrusted (rd_error_last() says which pack, which file and why)
 */
RD_EXTERN(int) rd_rules_load_signed(rd_rules **out, const char *path, const rd_load_options *opts,
                                    const rd_trust *trust,
                                    const rd_pack_verify_options *verify) RD_WARN_UNUSED;

RD_END_DECL

#endif /* RAHDARI_PACKSIG_H */
