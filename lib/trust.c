/* rahdari: the regulator's trust store, and certificate chains verified against it.
 *
 * A store is a set of trust anchors (every certificate loaded is one: a regulator may
 * trust its issuing CA without the root above it) and of CRLs, in an OpenSSL X509_STORE
 * that is never changed while it is shared (but by rd_trust_add_crl(), documented as
 * not concurrent). Each verification makes its own X509_STORE_CTX with its own
 * parameters (time, flags, callback), so that threads never see each other's state.
 * The outcome of a chain is told precisely, in words: untrusted, expired, not yet valid,
 * revoked, revocation not checkable, not meant for signing.
 * SPDX-License-Identifier: MIT */
#include "sig.h"

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
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* a trust store or CRL file larger than this is refused */
#define RD_TRUST_MAX_FILE ((size_t)64 * 1024 * 1024)

/* RFC 9336 id-kp-documentSigning */
#define RD_OID_DOCUMENT_SIGNING "1.3.6.1.5.5.7.3.36"

struct rd_trust {
	X509_STORE *store;
	size_t ncerts;
	size_t ncrls;
	unsigned long gen;
};

static unsigned long next_generation(void)
{
	static unsigned long counter;

	return __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
}

unsigned long rd__trust_generation(const rd_trust *t)
{
	return t ? __atomic_load_n(&t->gen, __ATOMIC_SEQ_CST) : 0;
}

/* ---------------------------------------------------------------- describing certificates */

char *rd__cert_subject(void *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long n;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &p);
		s = rd__strndup(n > 0 ? p : "", n > 0 ? (size_t)n : 0);
	}
	BIO_free(b);
	return s;
}

static char *name_string(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long n;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &p);
		s = rd__strndup(n > 0 ? p : "", n > 0 ? (size_t)n : 0);
	}
	BIO_free(b);
	return s;
}

static void asn1_time_string(const ASN1_TIME *t, char buf[21])
{
	struct tm tm;

	buf[0] = '\0';
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return;
	{
		char tmp[64];

		snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		snprintf(buf, 21, "%.20s", tmp);
	}
}

void rd__cert_describe(void *certp, rd_verify_result *r)
{
	X509 *cert = certp;
	char *s, buf[21];
	BIGNUM *bn;
	EVP_PKEY *pk;

	s = name_string(X509_get_subject_name(cert));
	rd__vr_set(r, RD_VERIFY_SUBJECT, s);
	free(s);
	s = name_string(X509_get_issuer_name(cert));
	rd__vr_set(r, RD_VERIFY_ISSUER, s);
	free(s);
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	if (bn) {
		char *hex = BN_bn2hex(bn);

		rd__vr_set(r, RD_VERIFY_SERIAL, hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	asn1_time_string(X509_get0_notBefore(cert), buf);
	rd__vr_set(r, RD_VERIFY_NOT_BEFORE, buf[0] ? buf : NULL);
	asn1_time_string(X509_get0_notAfter(cert), buf);
	rd__vr_set(r, RD_VERIFY_NOT_AFTER, buf[0] ? buf : NULL);
	pk = X509_get0_pubkey(cert);
	if (pk) {
		char desc[96], group[64];
		size_t glen = 0;

		switch (EVP_PKEY_get_base_id(pk)) {
		case EVP_PKEY_RSA:
		case EVP_PKEY_RSA_PSS:
			snprintf(desc, sizeof desc, "RSA %d", EVP_PKEY_get_bits(pk));
			break;
		case EVP_PKEY_EC:
			if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group,
			                                   sizeof group, &glen)) {
				const char *nist = EC_curve_nid2nist(OBJ_sn2nid(group));

				snprintf(desc, sizeof desc, "EC %s", nist ? nist : group);
			} else {
				snprintf(desc, sizeof desc, "EC %d", EVP_PKEY_get_bits(pk));
			}
			break;
		default:
			snprintf(desc, sizeof desc, "%s %d", OBJ_nid2sn(EVP_PKEY_get_base_id(pk)),
			         EVP_PKEY_get_bits(pk));
			break;
		}
		rd__vr_set(r, RD_VERIFY_KEY, desc);
	}
}

/* ---------------------------------------------------------------- loading */

/* Add every certificate (when certs) and CRL of the bytes: PEM blocks, else one DER
 * certificate or CRL. Counts what was added. 0, or -1 when the bytes are not readable. */
static int add_blob(rd_trust *t, const char *data, size_t len, int certs, size_t *nc,
                    size_t *nl)
{
	BIO *b;
	STACK_OF(X509_INFO) *infos;
	int i, found = 0;

	if (len > (size_t)INT32_MAX)
		return -1;
	b = BIO_new_mem_buf(data, (int)len);
	if (b == NULL)
		return -1;
	infos = PEM_X509_INFO_read_bio(b, NULL, NULL, NULL);
	BIO_free(b);
	for (i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (xi->x509 && certs) {
			found = 1;
			if (X509_STORE_add_cert(t->store, xi->x509))
				(*nc)++;
		}
		if (xi->crl) {
			found = 1;
			if (X509_STORE_add_crl(t->store, xi->crl))
				(*nl)++;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (found)
		return 0;
	/* DER */
	{
		const unsigned char *p = (const unsigned char *)data;
		X509 *x = certs ? d2i_X509(NULL, &p, (long)len) : NULL;

		if (x && p == (const unsigned char *)data + len) {
			if (X509_STORE_add_cert(t->store, x))
				(*nc)++;
			X509_free(x);
			return 0;
		}
		X509_free(x);
		p = (const unsigned char *)data;
		{
			X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)len);

			if (c && p == (const unsigned char *)data + len) {
				if (X509_STORE_add_crl(t->store, c))
					(*nl)++;
				X509_CRL_free(c);
				return 0;
			}
			X509_CRL_free(c);
		}
	}
	ERR_clear_error();
	return -1;
}

static int add_file(rd_trust *t, const char *path, int certs, size_t *nc, size_t *nl)
{
	char *data;
	size_t len;
	int rc;

	rc = rd__file_read(path, RD_TRUST_MAX_FILE, &data, &len);
	if (rc != RD_OK)
		return rc;
	if (add_blob(t, data, len, certs, nc, nl) < 0) {
		free(data);
		return rd__error_set(RD_EPARSE, path, 0, 0,
		                     certs ? "%s: no certificate in it (PEM or DER expected)"
		                           : "%s: no certificate revocation list in it (PEM or DER expected)",
		                     path);
	}
	free(data);
	return RD_OK;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cert_file_name(const char *n)
{
	size_t l = strlen(n);

	if (n[0] == '.' || l < 5)
		return 0;
	return strcasecmp(n + l - 4, ".pem") == 0 || strcasecmp(n + l - 4, ".crt") == 0 ||
	       strcasecmp(n + l - 4, ".cer") == 0;
}

/* The files of a directory that hold certificates, in name order. */
static int add_dir(rd_trust *t, const char *path, size_t *nc, size_t *nl)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = RD_OK;

	if (d == NULL)
		return rd__error_set(errno == ENOENT ? RD_ENOTFOUND : RD_EIO, path, 0, 0,
		                     "%s: cannot read the directory: %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!cert_file_name(e->d_name))
			continue;
		if (rd__grow(&names, &cap, n, sizeof *names) < 0 ||
		    (names[n] = rd__strdup(e->d_name)) == NULL) {
			rc = rd__error_oom();
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n && rc == RD_OK; i++) {
		char *p = rd__path_join(path, names[i]);
		struct stat st;

		if (p == NULL) {
			rc = rd__error_oom();
			break;
		}
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			rc = add_file(t, p, 1, nc, nl);
		free(p);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int rd_trust_load(rd_trust **out, const char *path)
{
	rd_trust *t;
	int rc;

	rd__init();
	if (out == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_trust_load: out and path must not be NULL");
	*out = NULL;
	t = rd__calloc(1, sizeof *t);
	if (t == NULL || (t->store = X509_STORE_new()) == NULL) {
		free(t);
		return rd__error_oom();
	}
	rc = rd__is_dir(path) ? add_dir(t, path, &t->ncerts, &t->ncrls)
	                      : add_file(t, path, 1, &t->ncerts, &t->ncrls);
	if (rc == RD_OK && t->ncerts == 0)
		rc = rd__error_set(RD_EINVAL, path, 0, 0,
		                   "%s: the trust store holds no certificate%s", path,
		                   rd__is_dir(path) ? " (files named *.pem, *.crt or *.cer are read)" : "");
	ERR_clear_error();
	if (rc != RD_OK) {
		rd_trust_free(t);
		return rc;
	}
	t->gen = next_generation();
	*out = t;
	return RD_OK;
}

int rd_trust_add_crl(rd_trust *trust, const char *path)
{
	size_t nc = 0, nl = 0;
	int rc;

	if (trust == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_trust_add_crl: trust and path must not be NULL");
	rc = add_file(trust, path, 0, &nc, &nl);
	ERR_clear_error();
	if (rc != RD_OK)
		return rc;
	trust->ncrls += nl;
	__atomic_store_n(&trust->gen, next_generation(), __ATOMIC_SEQ_CST);
	return RD_OK;
}

size_t rd_trust_cert_count(const rd_trust *trust)
{
	return trust ? trust->ncerts : 0;
}

size_t rd_trust_crl_count(const rd_trust *trust)
{
	return trust ? trust->ncrls : 0;
}

void rd_trust_free(rd_trust *trust)
{
	if (trust == NULL)
		return;
	X509_STORE_free(trust->store);
	free(trust);
}

/* ---------------------------------------------------------------- chains */

/* What the verification callback saw. */
typedef struct chain_state {
	rd_verify_result *r;
	int err;         /* the first error that stopped the verification, or 0 */
	int depth;
	X509 *cert;      /* the certificate it is about (a reference) */
} chain_state;

static int chain_state_index(void)
{
	/* X509_STORE_CTX_set_app_data uses ex_data index 0 */
	return 0;
}

static void describe_name(X509 *cert, char *buf, size_t len)
{
	char *s = cert ? rd__cert_subject(cert) : NULL;

	snprintf(buf, len, "%s", s && s[0] ? s : "(a certificate without subject)");
	free(s);
}

static int on_verify(int ok, X509_STORE_CTX *ctx)
{
	chain_state *st = X509_STORE_CTX_get_ex_data(ctx, chain_state_index());
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

		if (chain && depth == sk_X509_num(chain) - 1)
			return 1;
		char who[512];

		describe_name(cert, who, sizeof who);
		rd__vr_warn(st->r, "the revocation of the CA certificate %s was not checked: %s", who,
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

/* Is the certificate meant for signing documents? NULL when it is, else why not. */
static const char *signing_use(X509 *leaf)
{
	uint32_t ku = X509_get_key_usage(leaf), xku = X509_get_extended_key_usage(leaf);

	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return "its key usage allows neither digital signatures nor non-repudiation";
	if (xku != UINT32_MAX && !(xku & (XKU_SMIME | XKU_CODE_SIGN | XKU_ANYEKU))) {
		EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
		int i, found = 0;
		char oid[64];

		for (i = 0; eku && i < sk_ASN1_OBJECT_num(eku) && !found; i++) {
			if (OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1) > 0 &&
			    strcmp(oid, RD_OID_DOCUMENT_SIGNING) == 0)
				found = 1;
		}
		EXTENDED_KEY_USAGE_free(eku);
		if (!found)
			return "its extended key usage is none of document signing, e-mail protection, "
			       "code signing or any";
	}
	return NULL;
}

int rd__trust_verify_cert(const rd_trust *t, void *leafp, void *untrustedp, time_t when,
                          rd_verify_result *r)
{
	X509 *leaf = leafp;
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *param;
	chain_state st;
	unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
	char who[512], at[21], date[21];
	int ok, i;

	memset(&st, 0, sizeof st);
	st.r = r;
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL)
		return -1;
	if (!X509_STORE_CTX_init(ctx, t->store, leaf, untrustedp)) {
		X509_STORE_CTX_free(ctx);
		ERR_clear_error();
		return -1;
	}
	param = X509_STORE_CTX_get0_param(ctx);
	if (t->ncrls)
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	X509_VERIFY_PARAM_set_flags(param, flags);
	X509_VERIFY_PARAM_set_time(param, when);
	X509_STORE_CTX_set_ex_data(ctx, chain_state_index(), &st);
	X509_STORE_CTX_set_verify_cb(ctx, on_verify);
	ok = X509_verify_cert(ctx);
	rd__time_format(when, at);
	if (ok == 1) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		const char *why;

		for (i = 0; chain && i < sk_X509_num(chain); i++) {
			char *s = rd__cert_subject(sk_X509_value(chain, i));

			rd__vr_chain_add(r, s ? s : "");
			if (i == sk_X509_num(chain) - 1)
				rd__vr_set(r, RD_VERIFY_ANCHOR, s);
			free(s);
		}
		why = signing_use(leaf);
		if (why) {
			describe_name(leaf, who, sizeof who);
			rd__vr_verdict(r, RD_SIG_UNTRUSTED,
			               "the signer's certificate (%s) is not meant for signing documents: %s",
			               who, why);
		}
	} else {
		int err = st.err ? st.err : X509_STORE_CTX_get_error(ctx);
		X509 *c = st.cert ? st.cert : leaf;
		const char *which = (st.cert == NULL || st.depth == 0) ? "the signer's certificate"
		                                                        : "the CA certificate";

		describe_name(c, who, sizeof who);
		switch (err) {
		case X509_V_ERR_CERT_HAS_EXPIRED:
			asn1_time_string(X509_get0_notAfter(c), date);
			rd__vr_verdict(r, RD_SIG_EXPIRED, "%s (%s) expired on %s; the verification time is %s",
			               which, who, date, at);
			break;
		case X509_V_ERR_CERT_NOT_YET_VALID:
			asn1_time_string(X509_get0_notBefore(c), date);
			rd__vr_verdict(r, RD_SIG_NOT_YET_VALID,
			               "%s (%s) is valid only from %s; the verification time is %s", which,
			               who, date, at);
			break;
		case X509_V_ERR_CERT_REVOKED:
			rd__vr_verdict(r, RD_SIG_REVOKED, "%s (%s) is revoked by a CRL of its issuer", which,
			               who);
			break;
		case X509_V_ERR_UNABLE_TO_GET_CRL:
			rd__vr_verdict(r, RD_SIG_UNTRUSTED,
			               "the revocation of %s (%s) cannot be checked: the trust store has CRLs, "
			               "but none of its issuer",
			               which, who);
			break;
		case X509_V_ERR_CRL_HAS_EXPIRED:
		case X509_V_ERR_CRL_NOT_YET_VALID:
			rd__vr_verdict(r, RD_SIG_UNTRUSTED,
			               "the revocation of %s (%s) cannot be checked: the CRL of its issuer %s "
			               "at %s",
			               which, who,
			               err == X509_V_ERR_CRL_HAS_EXPIRED ? "is out of date" : "is not yet valid",
			               at);
			break;
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
			describe_name(leaf, who, sizeof who);
			rd__vr_verdict(r, RD_SIG_UNTRUSTED,
			               "the signer's certificate (%s) does not chain to a certificate of the "
			               "trust store",
			               who);
			break;
		default:
			rd__vr_verdict(r, RD_SIG_UNTRUSTED, "%s (%s) does not verify: %s", which, who,
			               X509_verify_cert_error_string(err));
			break;
		}
	}
	X509_free(st.cert);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return r->oom ? -1 : 0;
}
