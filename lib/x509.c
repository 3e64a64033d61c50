/* rahdari: X.509 for everything that is signed.
 *
 * One module for what licences (licsig.c) and packs (packsig.c) both need, so that they
 * load, judge and describe certificates the same way: certificates, CRLs and keys read
 * from PEM or DER files and from directories; names, serials, times, keys and SHA-256 in
 * words; a signer's chain verified against the trust store at a chosen time, its outcome
 * told in the one vocabulary of rd_sig_status.
 *
 * Errors of loading, the same for every caller: a file or directory that does not exist
 * is RD_ENOTFOUND, one that cannot be read RD_EIO, a file without anything readable in it
 * RD_EPARSE; a trust store with no certificate at all is refused by trust.c (RD_EINVAL).
 * SPDX-License-Identifier: MIT */
#include "x509.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

/* RFC 9336 id-kp-documentSigning */
#define RD_OID_DOCUMENT_SIGNING "1.3.6.1.5.5.7.3.36"
/* OpenSSL's security level of keys and digests with RD_CHAIN_STRICT_KEYS (112 bits) */
#define RD_AUTH_LEVEL 2

/* ---------------------------------------------------------------- the outcome */

static char *format(const char *label, const char *fmt, va_list ap) RD_PRINTF(2, 0);

static char *format(const char *label, const char *fmt, va_list ap)
{
	char buf[1536];
	size_t n = 0;

	if (label)
		n = (size_t)snprintf(buf, sizeof buf, "%s: ", label);
	if (n < sizeof buf)
		vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	return rd__strdup(buf);
}

void rd__outcome_verdict(rd_sig_outcome *o, int status, const char *fmt, ...)
{
	va_list ap;

	if (o->status >= 0)
		return;
	o->status = status;
	va_start(ap, fmt);
	o->message = format(o->labels ? o->labels[status] : NULL, fmt, ap);
	va_end(ap);
	if (o->message == NULL)
		o->oom = 1;
}

void rd__outcome_warn(rd_sig_outcome *o, const char *fmt, ...)
{
	va_list ap;
	char *s;
	size_t i;

	va_start(ap, fmt);
	s = format(NULL, fmt, ap);
	va_end(ap);
	if (s == NULL) {
		o->oom = 1;
		return;
	}
	for (i = 0; i < o->nwarnings; i++) {
		if (strcmp(o->warnings[i], s) == 0) {
			free(s);
			return;
		}
	}
	if (rd__grow(&o->warnings, &o->capwarnings, o->nwarnings, sizeof *o->warnings) < 0) {
		free(s);
		o->oom = 1;
		return;
	}
	o->warnings[o->nwarnings++] = s;
}

static void chain_add(rd_sig_outcome *o, const char *subject)
{
	char *s = rd__strdup(subject);

	if (s == NULL || rd__grow(&o->chain, &o->capchain, o->nchain, sizeof *o->chain) < 0) {
		free(s);
		o->oom = 1;
		return;
	}
	o->chain[o->nchain++] = s;
}

void rd__outcome_clear(rd_sig_outcome *o)
{
	size_t i;

	free(o->message);
	for (i = 0; i < o->nwarnings; i++)
		free(o->warnings[i]);
	free(o->warnings);
	for (i = 0; i < o->nchain; i++)
		free(o->chain[i]);
	free(o->chain);
	free(o->anchor);
	o->message = NULL;
	o->warnings = o->chain = NULL;
	o->nwarnings = o->capwarnings = o->nchain = o->capchain = 0;
	o->anchor = NULL;
}

/* ---------------------------------------------------------------- words */

void rd__x509_time_format(time_t t, char buf[21])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 ||
	    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		buf[0] = '\0';
}

static int two_digits(const char *s, int max, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return *v <= max ? 0 : -1;
}

int rd__x509_time_parse(const char *s, time_t *out)
{
	size_t len = strlen(s);
	long days;
	int h, m, sec;

	if (len == 10) {
		if (rd__date_parse(s, 10, 0, &days) != 0)
			return -1;
		*out = (time_t)days * 86400 + 86399;
		return 0;
	}
	if (len != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    rd__date_parse(s, 10, 0, &days) != 0 || two_digits(s + 11, 23, &h) < 0 ||
	    two_digits(s + 14, 59, &m) < 0 || two_digits(s + 17, 59, &sec) < 0)
		return -1;
	*out = (time_t)days * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

const char *rd__x509_asn1_time(const ASN1_TIME *t, char buf[21])
{
	struct tm tm;

	buf[0] = '\0';
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) || tm.tm_year + 1900 > 9999 ||
	    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		buf[0] = '\0';
	ERR_clear_error();
	return buf;
}

char *rd__x509_name(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *s = NULL;
	long n;

	if (b == NULL) {
		ERR_clear_error();
		return NULL;
	}
	/* RFC 2253, UTF-8 kept, control characters escaped */
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &data);
		s = rd__strndup(n > 0 ? data : "", n > 0 ? (size_t)n : 0);
	}
	BIO_free(b);
	ERR_clear_error();
	return s;
}

char *rd__x509_subject(const X509 *cert)
{
	return rd__x509_name(X509_get_subject_name(cert));
}

char *rd__x509_serial(const X509 *cert)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *h = bn ? BN_bn2hex(bn) : NULL, *s = rd__strdup(h ? h : "?");

	OPENSSL_free(h);
	BN_free(bn);
	ERR_clear_error();
	return s;
}

void rd__x509_key_words(const X509 *cert, char *buf, size_t len)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	char group[64];
	size_t glen = 0;

	if (pk == NULL) {
		snprintf(buf, len, "unreadable");
		ERR_clear_error();
		return;
	}
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		snprintf(buf, len, "RSA %d", EVP_PKEY_get_bits(pk));
		break;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
		                                   &glen)) {
			const char *nist = EC_curve_nid2nist(OBJ_sn2nid(group));

			snprintf(buf, len, "EC %s", nist ? nist : group);
		} else {
			snprintf(buf, len, "EC %d", EVP_PKEY_get_bits(pk));
		}
		break;
	default:
		snprintf(buf, len, "%s %d", OBJ_nid2sn(EVP_PKEY_get_base_id(pk)), EVP_PKEY_get_bits(pk));
		break;
	}
	ERR_clear_error();
}

void rd__x509_hex(const unsigned char *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

void rd__x509_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	out[0] = '\0';
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) && mdlen == 32)
		rd__x509_hex(md, 32, out);
	ERR_clear_error();
}

const char *rd__x509_ossl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (e == 0)
		snprintf(buf, len, "unknown OpenSSL error");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* ---------------------------------------------------------------- loading */

/* The PEM blocks of data into certs and crls; how many were taken. -1: out of memory. */
static int take_pem(const char *data, size_t len, STACK_OF(X509) *certs,
                    STACK_OF(X509_CRL) *crls)
{
	BIO *b = BIO_new_mem_buf(data, (int)len);
	STACK_OF(X509_INFO) *infos;
	int i, n = 0, oom = 0;

	if (b == NULL)
		return -1;
	infos = PEM_X509_INFO_read_bio(b, NULL, NULL, NULL);
	BIO_free(b);
	for (i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (certs && xi->x509) {
			if (sk_X509_push(certs, xi->x509) > 0) {
				xi->x509 = NULL;
				n++;
			} else {
				oom = 1;
			}
		}
		if (crls && xi->crl) {
			if (sk_X509_CRL_push(crls, xi->crl) > 0) {
				xi->crl = NULL;
				n++;
			} else {
				oom = 1;
			}
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	return oom ? -1 : n;
}

/* One DER certificate (else CRL) that is the whole of data; how many were taken (0, 1). */
static int take_der(const char *data, size_t len, STACK_OF(X509) *certs,
                    STACK_OF(X509_CRL) *crls)
{
	const unsigned char *start = (const unsigned char *)data, *p = start;
	int n = 0;

	if (certs) {
		X509 *x = d2i_X509(NULL, &p, (long)len);

		if (x && p == start + len && sk_X509_push(certs, x) > 0)
			n = 1;
		else
			X509_free(x);
	}
	if (n == 0 && crls) {
		X509_CRL *c;

		p = start;
		c = d2i_X509_CRL(NULL, &p, (long)len);
		if (c && p == start + len && sk_X509_CRL_push(crls, c) > 0)
			n = 1;
		else
			X509_CRL_free(c);
	}
	ERR_clear_error();
	return n;
}

int rd__x509_load_file(const char *path, STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls,
                       const char *what)
{
	char *data;
	size_t len;
	int rc, n;

	rc = rd__file_read(path, RD_X509_MAX_FILE, &data, &len);
	if (rc != RD_OK) {
		rd__error_prefix("%s: ", what);
		return rc;
	}
	n = take_pem(data, len, certs, crls);
	if (n == 0)
		n = take_der(data, len, certs, crls);
	free(data);
	if (n < 0)
		return rd__error_oom();
	if (n == 0)
		return rd__error_set(RD_EPARSE, path, 0, 0, "%s %s: no %s in it (PEM or DER expected)",
		                     what, path,
		                     certs && crls ? "certificate or certificate revocation list"
		                     : certs       ? "certificate"
		                                   : "certificate revocation list");
	return RD_OK;
}

static int cert_file_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.' || l < 5)
		return 0;
	return strcasecmp(n + l - 4, ".pem") == 0 || strcasecmp(n + l - 4, ".crt") == 0 ||
	       strcasecmp(n + l - 4, ".cer") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rd__x509_load_dir(const char *dir, STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = RD_OK;

	if (d == NULL) {
		int err = errno;

		return rd__error_set(err == ENOENT || err == ENOTDIR ? RD_ENOTFOUND : RD_EIO, dir, 0, 0,
		                     "trust store %s: cannot read the directory: %s", dir, strerror(err));
	}
	while ((e = readdir(d)) != NULL) {
		if (!cert_file_name(e->d_name))
			continue;
		if (rd__grow(&names, &cap, n, sizeof *names) < 0 ||
		    (names[n] = rd__path_join(dir, e->d_name)) == NULL) {
			rc = rd__error_oom();
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (rc == RD_OK && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = rd__x509_load_file(names[i], certs, crls, "trust store");
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Never prompt: the passphrase is the one given, or none. */
static int passphrase(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	size_t n;

	RD_UNUSED(rwflag);
	if (pw == NULL || size <= 0)
		return -1;
	n = strlen(pw);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pw, n);
	return (int)n;
}

int rd__x509_load_key(EVP_PKEY **out, const char *path, const char *password)
{
	char *data = NULL, ebuf[256];
	size_t len = 0;
	BIO *b;
	int rc;

	*out = NULL;
	rc = rd__file_read(path, RD_X509_MAX_FILE, &data, &len);
	if (rc != RD_OK) {
		rd__error_prefix("key: ");
		return rc;
	}
	b = BIO_new_mem_buf(data, (int)len);
	if (b && strstr(data, "-----BEGIN ") != NULL)
		*out = PEM_read_bio_PrivateKey(b, NULL, passphrase, (void *)(uintptr_t)password);
	else if (b)
		*out = d2i_PrivateKey_bio(b, NULL);
	BIO_free(b);
	OPENSSL_cleanse(data, len);
	free(data);
	if (*out == NULL)
		return rd__error_set(RD_EPARSE, path, 0, 0,
		                     "key %s: no private key could be read from it (PEM or DER; %s): %s",
		                     path,
		                     password ? "or the passphrase is wrong"
		                              : "an encrypted key needs its passphrase",
		                     rd__x509_ossl_reason(ebuf, sizeof ebuf));
	ERR_clear_error();
	return RD_OK;
}

/* ---------------------------------------------------------------- judging certificates */

const char *rd__x509_signing_use(X509 *cert)
{
	uint32_t ku = X509_get_key_usage(cert), xku = X509_get_extended_key_usage(cert);

	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return "its key usage allows neither digital signatures nor non-repudiation";
	if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) &&
	    !(xku & (XKU_SMIME | XKU_CODE_SIGN | XKU_ANYEKU))) {
		EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
		int i, found = 0;
		char oid[64];

		for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && !found; i++) {
			if (OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1) > 0 &&
			    strcmp(oid, RD_OID_DOCUMENT_SIGNING) == 0)
				found = 1;
		}
		EXTENDED_KEY_USAGE_free(eku);
		ERR_clear_error();
		if (!found)
			return "its extended key usage is none of document signing, e-mail protection, "
			       "code signing or any";
	}
	return NULL;
}

/* ---------------------------------------------------------------- chains */

/* What the verification callback saw. */
typedef struct chain_state {
	rd_sig_outcome *o;
	int err;   /* the first error that stopped the verification, or 0 */
	int depth;
	X509 *cert; /* the certificate it is about (a reference) */
} chain_state;

/* X509_STORE_CTX_set_app_data uses ex_data index 0 */
#define CHAIN_STATE_INDEX 0

static void describe_name(X509 *cert, char *buf, size_t len)
{
	char *s = cert ? rd__x509_subject(cert) : NULL;

	snprintf(buf, len, "%s", s && s[0] ? s : "(a certificate without subject)");
	free(s);
}

static int on_verify(int ok, X509_STORE_CTX *ctx)
{
	chain_state *st = X509_STORE_CTX_get_ex_data(ctx, CHAIN_STATE_INDEX);
	int err, depth;
	X509 *cert;

	if (ok || st == NULL)
		return ok;
	err = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	cert = X509_STORE_CTX_get_current_cert(ctx);
	/* CRLs are required for the signer's issuer; above it, they are checked when the store
	 * has them, and their absence is only a warning; the trust anchor itself is trusted as
	 * configured, whatever CRLs say or do not say of it. */
	if (depth > 0 && (err == X509_V_ERR_UNABLE_TO_GET_CRL || err == X509_V_ERR_CRL_HAS_EXPIRED ||
	                  err == X509_V_ERR_CRL_NOT_YET_VALID)) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		char who[512];

		if (chain && depth == sk_X509_num(chain) - 1)
			return 1;
		describe_name(cert, who, sizeof who);
		rd__outcome_warn(st->o, "the revocation of the CA certificate %s was not checked: %s", who,
		                 err == X509_V_ERR_UNABLE_TO_GET_CRL ? "the trust store has no CRL of its issuer"
		                                                     : "the CRL of its issuer is out of date");
		return 1;
	}
	if (st->err == 0) {
		st->err = err;
		st->depth = depth;
		if (cert && X509_up_ref(cert))
			st->cert = cert;
	}
	return 0;
}

/* The revocation date of cert in the store's CRLs, into buf[21] ("" when not found). */
static void revocation_date(const rd_trust *t, X509 *cert, char buf[21])
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < sk_X509_CRL_num(t->crls) && buf[0] == '\0'; i++) {
		X509_REVOKED *r = NULL;

		if (X509_CRL_get0_by_cert(sk_X509_CRL_value(t->crls, i), &r, cert) == 1 && r)
			rd__x509_asn1_time(X509_REVOKED_get0_revocationDate(r), buf);
	}
	ERR_clear_error();
}

/* The status of a chain that did not verify, in words. */
static void chain_failed(const rd_trust *t, X509 *leaf, const chain_state *st, int err,
                         const char *at, rd_sig_outcome *o)
{
	X509 *c = st->cert ? st->cert : leaf;
	const char *which = (st->cert == NULL || st->depth == 0) ? "the signer's certificate"
	                                                          : "the CA certificate";
	char who[512], date[21];

	describe_name(c, who, sizeof who);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		rd__outcome_verdict(o, RD_SIG_EXPIRED, "%s %s expired on %s (checked at %s)", which, who,
		                    rd__x509_asn1_time(X509_get0_notAfter(c), date), at);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		rd__outcome_verdict(o, RD_SIG_NOT_YET_VALID, "%s %s is valid only from %s (checked at %s)",
		                    which, who, rd__x509_asn1_time(X509_get0_notBefore(c), date), at);
		break;
	case X509_V_ERR_CERT_REVOKED: {
		char *serial = rd__x509_serial(c);

		revocation_date(t, c, date);
		rd__outcome_verdict(o, RD_SIG_REVOKED, "%s %s (serial %s) was revoked%s%s by a CRL of its issuer",
		                    which, who, serial ? serial : "?", date[0] ? " on " : "", date);
		free(serial);
		break;
	}
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		rd__outcome_verdict(o, RD_SIG_UNTRUSTED,
		                    "revocation unknown: no CRL of the issuer of %s %s is in the trust store "
		                    "(which has CRLs), so its revocation cannot be checked",
		                    which, who);
		break;
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		rd__outcome_verdict(o, RD_SIG_UNTRUSTED,
		                    "revocation unknown: the CRL of the issuer of %s %s %s at %s, so its "
		                    "revocation cannot be checked",
		                    which, who,
		                    err == X509_V_ERR_CRL_HAS_EXPIRED ? "is out of date" : "is not yet valid", at);
		break;
	case X509_V_ERR_EE_KEY_TOO_SMALL:
	case X509_V_ERR_CA_KEY_TOO_SMALL:
	case X509_V_ERR_CA_MD_TOO_WEAK:
		rd__outcome_verdict(o, RD_SIG_WEAK_ALGORITHM,
		                    "%s %s: %s (rahdari needs 112 bits of security: RSA of 2048 bits, "
		                    "SHA-256 or stronger)",
		                    which, who, X509_verify_cert_error_string(err));
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		describe_name(leaf, who, sizeof who);
		rd__outcome_verdict(o, RD_SIG_UNTRUSTED,
		                    "the signer's certificate %s does not chain to a certificate of the "
		                    "trust store (%s)",
		                    who, X509_verify_cert_error_string(err));
		break;
	default:
		rd__outcome_verdict(o, RD_SIG_UNTRUSTED, "%s %s does not verify: %s", which, who,
		                    X509_verify_cert_error_string(err));
		break;
	}
}

int rd__trust_verify_chain(const rd_trust *t, X509 *leaf, STACK_OF(X509) *untrusted,
                           time_t when, unsigned int flags, rd_sig_outcome *o)
{
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *param;
	chain_state st;
	unsigned long vflags = X509_V_FLAG_PARTIAL_CHAIN;
	char who[512], at[21];
	int ok, i;

	memset(&st, 0, sizeof st);
	st.o = o;
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL || !X509_STORE_CTX_init(ctx, t->store, leaf, untrusted)) {
		X509_STORE_CTX_free(ctx);
		ERR_clear_error();
		return -1;
	}
	/* every certificate of the store is trusted as it stands: a root, an intermediate (and
	 * so only what it issued) or one signer's own certificate */
	param = X509_STORE_CTX_get0_param(ctx);
	if (sk_X509_CRL_num(t->crls) > 0)
		vflags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	X509_VERIFY_PARAM_set_flags(param, vflags);
	X509_VERIFY_PARAM_set_time(param, when);
	X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
	if (flags & RD_CHAIN_STRICT_KEYS)
		X509_VERIFY_PARAM_set_auth_level(param, RD_AUTH_LEVEL);
	X509_STORE_CTX_set_ex_data(ctx, CHAIN_STATE_INDEX, &st);
	X509_STORE_CTX_set_verify_cb(ctx, on_verify);
	ok = X509_verify_cert(ctx);
	rd__x509_time_format(when, at);
	if (ok == 1) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		const char *why;

		for (i = 0; chain && i < sk_X509_num(chain); i++) {
			char *s = rd__x509_subject(sk_X509_value(chain, i));

			chain_add(o, s ? s : "");
			if (i == sk_X509_num(chain) - 1 && s) {
				free(o->anchor);
				o->anchor = s;
				s = NULL;
			} else if (s == NULL) {
				o->oom = 1;
			}
			free(s);
		}
		why = rd__x509_signing_use(leaf);
		if (why) {
			describe_name(leaf, who, sizeof who);
			rd__outcome_verdict(o, RD_SIG_UNTRUSTED,
			                    "the signer's certificate %s is not meant for signing: %s", who, why);
		}
	} else {
		int err = st.err ? st.err : X509_STORE_CTX_get_error(ctx);

		chain_failed(t, leaf, &st, err == X509_V_OK ? X509_V_ERR_UNSPECIFIED : err, at, o);
	}
	X509_free(st.cert);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return o->oom ? -1 : 0;
}

/* ---------------------------------------------------------------- the vocabulary */

const char *rd_sig_status_name(rd_sig_status status)
{
	switch (status) {
	case RD_SIG_OK: return "ok";
	case RD_SIG_MISSING: return "missing";
	case RD_SIG_DIGEST_MISMATCH: return "digest-mismatch";
	case RD_SIG_BAD_SIGNATURE: return "bad-signature";
	case RD_SIG_UNTRUSTED: return "untrusted";
	case RD_SIG_EXPIRED: return "expired";
	case RD_SIG_NOT_YET_VALID: return "not-yet-valid";
	case RD_SIG_REVOKED: return "revoked";
	case RD_SIG_WEAK_ALGORITHM: return "weak-algorithm";
	case RD_SIG_BAD_PROFILE: return "bad-profile";
	case RD_SIG_MALFORMED: return "malformed";
	default: return "unknown";
	}
}
