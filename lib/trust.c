/* rahdari: the regulator's trust store, one for licences and packs alike.
 *
 * A store is a set of trust anchors (every certificate loaded is one: a regulator may
 * trust its issuing CA without the root above it) and of CRLs, in an OpenSSL X509_STORE
 * that is never changed while it is shared (but by rd_trust_add_crl(), documented as
 * not concurrent). Chains are verified against it by x509.c, each verification with its
 * own X509_STORE_CTX and parameters, so that threads never see each other's state.
 *
 * Loading: a missing file or directory is RD_ENOTFOUND, an unreadable one RD_EIO, a file
 * with no certificate (or CRL) in it RD_EPARSE, and a store that ends up with no
 * certificate at all (an empty directory, a file of CRLs only) RD_EINVAL.
 * SPDX-License-Identifier: MIT */
#include "x509.h"

#include <openssl/err.h>

static unsigned long next_generation(void)
{
	static unsigned long counter;

	return __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
}

unsigned long rd__trust_generation(const rd_trust *t)
{
	return t ? __atomic_load_n(&t->gen, __ATOMIC_SEQ_CST) : 0;
}

/* Add the certificates and CRLs loaded since index nc0 and nl0 to the X509_STORE. */
static int add_to_store(rd_trust *t, int nc0, int nl0)
{
	int i;

	for (i = nc0; i < sk_X509_num(t->certs); i++)
		if (!X509_STORE_add_cert(t->store, sk_X509_value(t->certs, i)))
			return rd__error_oom();
	for (i = nl0; i < sk_X509_CRL_num(t->crls); i++)
		if (!X509_STORE_add_crl(t->store, sk_X509_CRL_value(t->crls, i)))
			return rd__error_oom();
	return RD_OK;
}

int rd_trust_load(rd_trust **out, const char *path)
{
	rd_trust *t;
	int rc, dir;

	rd__init();
	if (out == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_trust_load: out and path must not be NULL");
	*out = NULL;
	t = rd__calloc(1, sizeof *t);
	if (t == NULL || (t->store = X509_STORE_new()) == NULL ||
	    (t->certs = sk_X509_new_null()) == NULL || (t->crls = sk_X509_CRL_new_null()) == NULL) {
		rd_trust_free(t);
		ERR_clear_error();
		return rd__error_oom();
	}
	dir = rd__is_dir(path);
	rc = dir ? rd__x509_load_dir(path, t->certs, t->crls)
	         : rd__x509_load_file(path, t->certs, t->crls, "trust store");
	if (rc == RD_OK && sk_X509_num(t->certs) == 0)
		rc = rd__error_set(RD_EINVAL, path, 0, 0,
		                   "%s: the trust store holds no certificate%s", path,
		                   dir ? " (files named *.pem, *.crt or *.cer are read)" : "");
	if (rc == RD_OK)
		rc = add_to_store(t, 0, 0);
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
	int nl0, rc;

	rd__init();
	if (trust == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_trust_add_crl: trust and path must not be NULL");
	nl0 = sk_X509_CRL_num(trust->crls);
	rc = rd__x509_load_file(path, NULL, trust->crls, "CRL");
	if (rc == RD_OK)
		rc = add_to_store(trust, sk_X509_num(trust->certs), nl0);
	ERR_clear_error();
	if (rc != RD_OK)
		return rc;
	__atomic_store_n(&trust->gen, next_generation(), __ATOMIC_SEQ_CST);
	return RD_OK;
}

size_t rd_trust_cert_count(const rd_trust *trust)
{
	return trust ? (size_t)sk_X509_num(trust->certs) : 0;
}

size_t rd_trust_crl_count(const rd_trust *trust)
{
	return trust ? (size_t)sk_X509_CRL_num(trust->crls) : 0;
}

void rd_trust_free(rd_trust *trust)
{
	if (trust == NULL)
		return;
	X509_STORE_free(trust->store);
	sk_X509_pop_free(trust->certs, X509_free);
	sk_X509_CRL_pop_free(trust->crls, X509_CRL_free);
	free(trust);
}
