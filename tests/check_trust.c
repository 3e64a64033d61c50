/* rahdari tests: signed licences (XML Signature, strict profile) and trust stores.
 *
 * A test PKI is made once, in a temporary directory, by tests/trust_pki.sh (the openssl
 * command): root and issuing CAs, signers valid, expired, not yet valid, revoked, with a
 * weak RSA key, an EC key, a key not meant for signing, and a self-signed outsider; CRLs.
 * Licences are signed by rahdari itself, and, for the signatures rahdari will not make
 * (SHA-1, a bare KeyValue, other canonicalisations, HMAC...), crafted here with libxmlsec1
 * so that their mathematics is right and only the profile refuses them. Every attack must
 * be refused with the right reason. Everything runs against fixed dates (as of 2026-12-01).
 *
 * Built twice: tests/check_trust runs all but the vectors of the public XML Signature
 * corpora ($CORPORA, ../shared/corpora); tests/check_trust_corpora (RD_TRUST_CORPORA)
 * runs only those, every one of them, and is a SKIP (77) when the corpora are not there.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/crypto.h>

#include "testutil.h"

#define AS_OF "2026-12-01"
#define DS "http://www.w3.org/2000/09/xmldsig#"

static char *pki;           /* the test PKI's directory */
static const char *corpora; /* $CORPORA, or NULL */

#ifndef RD_TRUST_CORPORA
#define RD_TRUST_CORPORA 0
#endif

/* ---------------------------------------------------------------- helpers */

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* s with the first occurrence of old replaced (which must be there). Caller frees. */
static char *replace(const char *s, const char *old, const char *new)
{
	const char *at = strstr(s, old);
	size_t n;
	char *r;

	ck_assert_msg(at != NULL, "'%s' not found", old);
	n = strlen(s) - strlen(old) + strlen(new) + 1;
	r = malloc(n);
	ck_assert_ptr_nonnull(r);
	memcpy(r, s, (size_t)(at - s));
	strcpy(r + (at - s), new);
	strcat(r, at + strlen(old));
	return r;
}

/* A trust store of the PKI: cert file (or directory) name and up to two CRLs. */
static rd_trust *store(const char *name, const char *crl1, const char *crl2)
{
	rd_trust *t = NULL;
	char *p = path_in(pki, name);

	ck_assert_msg(rd_trust_load(&t, p) == RD_OK, "%s", rd_error_last()->message);
	free(p);
	if (crl1) {
		p = path_in(pki, crl1);
		ck_assert_msg(rd_trust_add_crl(t, p) == RD_OK, "%s", rd_error_last()->message);
		free(p);
	}
	if (crl2) {
		p = path_in(pki, crl2);
		ck_assert_msg(rd_trust_add_crl(t, p) == RD_OK, "%s", rd_error_last()->message);
		free(p);
	}
	return t;
}

#define LIC_OPEN                                                                              \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                            \
	"<licence xmlns=\"urn:rahdari:doc:1\" type=\"travel-agency\" number=\"PB-LHR-2019-0412\"" \
	" status=\"VALID\" valid-from=\"2026-07-01\" valid-until=\"2027-06-30\">\n"              \
	"  <authority province=\"PK-PB\">Directorate of Tourist Services, Punjab</authority>\n"   \
	"  <holder name=\"Al-Noor Travels\" form=\"partnership\"/>\n"                            \
	"  <field>a</field>\n"                                                                    \
	"  <field>d</field>\n"                                                                    \
	"  <office id=\"LHR-01\" kind=\"head\" district=\"Lahore\" province=\"PK-PB\" status=\"ACTIVE\"/>\n"
#define LIC_CLOSE "</licence>\n"

static const char unsigned_licence[] = LIC_OPEN LIC_CLOSE;

/* Sign a document with a signer of the PKI (and the issuing CA as chain). Caller frees. */
static char *sign_as(const char *signer, int chain, const char *xml, size_t *len)
{
	rd_sign_options so = RD_SIGN_OPTIONS_INIT;
	char *k = malloc(strlen(pki) + 64), *c = malloc(strlen(pki) + 64), *ch = path_in(pki, "chain.pem");
	char *out = NULL;

	ck_assert_ptr_nonnull(k);
	ck_assert_ptr_nonnull(c);
	sprintf(k, "%s/%s.key", pki, signer);
	sprintf(c, "%s/%s.pem", pki, signer);
	so.key = k;
	so.cert = c;
	so.chain = chain ? ch : NULL;
	ck_assert_msg(rd_licence_sign(&out, len, "licence.xml", xml, strlen(xml), &so) == RD_OK, "%s",
	              rd_error_last()->message);
	free(k);
	free(c);
	free(ch);
	return out;
}

static rd_verify_result *verify_opts(const rd_trust *t, const char *xml, size_t len,
                                     const char *as_of, unsigned int flags)
{
	rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *r = NULL;

	vo.as_of = as_of;
	vo.flags = flags;
	ck_assert_msg(rd_licence_verify(&r, t, "licence.xml", xml, len, &vo) == RD_OK, "%s",
	              rd_error_last()->message);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* Verify against the root CA (with both CRLs) as of AS_OF; the verdict must be status, and
 * the message must contain part (when not NULL). */
static void expect_with(const rd_trust *t, const char *xml, size_t len, int status,
                        const char *part, unsigned int flags)
{
	rd_verify_result *r = verify_opts(t, xml, len, AS_OF, flags);

	ck_assert_msg(rd_verify_result_status(r) == status, "expected %s, got %s: %s",
	              rd_sig_status_name(status), rd_sig_status_name(rd_verify_result_status(r)),
	              rd_verify_result_message(r));
	ck_assert_int_eq(rd_verify_result_ok(r), status == RD_SIG_OK);
	if (part)
		ck_assert_contains(rd_verify_result_message(r), part);
	rd_verify_result_free(r);
}

static void expect(const char *xml, int status, const char *part)
{
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");

	expect_with(t, xml, strlen(xml), status, part, 0);
	rd_trust_free(t);
}

/* Make the library initialise libxmlsec1 (as it would for any verification). */
static void xmlsec_ready(void)
{
	rd_trust *t = store("ca.pem", NULL, NULL);

	expect_with(t, unsigned_licence, strlen(unsigned_licence), RD_SIG_MISSING, NULL, 0);
	rd_trust_free(t);
}

/* Sign the licence carrying the signature template sigxml (the last child of its root)
 * with libxmlsec1 directly: signer "hmac" uses the HMAC key "secret"; otherwise the
 * PKI's key and certificate (and the issuing CA when chain). Caller frees. */
static char *craft(const char *sigxml, const char *signer, int chain)
{
	size_t n = strlen(LIC_OPEN) + strlen(sigxml) + strlen(LIC_CLOSE) + 1;
	char *xml = malloc(n), *out;
	xmlDocPtr doc;
	xmlNodePtr sig;
	xmlSecDSigCtxPtr ctx;
	xmlSecKeyPtr key;
	xmlChar *mem = NULL;
	int size = 0;

	xmlsec_ready();
	ck_assert_ptr_nonnull(xml);
	snprintf(xml, n, "%s%s%s", LIC_OPEN, sigxml, LIC_CLOSE);
	doc = xmlReadMemory(xml, (int)strlen(xml), "craft.xml", NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	free(xml);
	sig = xmlSecFindNode(xmlDocGetRootElement(doc), xmlSecNodeSignature, xmlSecDSigNs);
	ck_assert_ptr_nonnull(sig);
	if (strcmp(signer, "hmac") == 0) {
		key = xmlSecKeyReadMemory(xmlSecKeyDataHmacId, (const xmlSecByte *)"secret", 6);
	} else {
		char k[4096], c[4096];

		snprintf(k, sizeof k, "%s/%s.key", pki, signer);
		snprintf(c, sizeof c, "%s/%s.pem", pki, signer);
		key = xmlSecCryptoAppKeyLoad(k, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
		ck_assert_ptr_nonnull(key);
		ck_assert_int_eq(xmlSecCryptoAppKeyCertLoad(key, c, xmlSecKeyDataFormatPem), 0);
		if (chain) {
			snprintf(c, sizeof c, "%s/inter.pem", pki);
			ck_assert_int_eq(xmlSecCryptoAppKeyCertLoad(key, c, xmlSecKeyDataFormatPem), 0);
		}
	}
	ck_assert_ptr_nonnull(key);
	ctx = xmlSecDSigCtxCreate(NULL);
	ck_assert_ptr_nonnull(ctx);
	ctx->signKey = key;
	ck_assert_int_eq(xmlSecDSigCtxSign(ctx, sig), 0);
	ck_assert_int_eq(ctx->status, xmlSecDSigStatusSucceeded);
	xmlSecDSigCtxDestroy(ctx);
	xmlDocDumpMemory(doc, &mem, &size);
	ck_assert_ptr_nonnull(mem);
	out = strdup((const char *)mem);
	ck_assert_ptr_nonnull(out);
	xmlFree(mem);
	xmlFreeDoc(doc);
	return out;
}

/* A signature template: SignatureMethod, transforms (XML), DigestMethod, reference
 * attributes, KeyInfo content, extra elements after KeyInfo; c14n for SignedInfo. */
static char *tmpl(const char *c14n, const char *method, const char *ref_attrs,
                  const char *transforms, const char *digest, const char *keyinfo)
{
	static const char fmt[] =
		"<ds:Signature xmlns:ds=\"" DS "\"><ds:SignedInfo>"
		"<ds:CanonicalizationMethod Algorithm=\"%s\"/>"
		"<ds:SignatureMethod Algorithm=\"%s\"/>"
		"<ds:Reference %s><ds:Transforms>%s</ds:Transforms>"
		"<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue/></ds:Reference>"
		"</ds:SignedInfo><ds:SignatureValue/>%s</ds:Signature>\n";
	size_t n = sizeof fmt + strlen(c14n) + strlen(method) + strlen(ref_attrs) +
	           strlen(transforms) + strlen(digest) + strlen(keyinfo);
	char *s = malloc(n);

	ck_assert_ptr_nonnull(s);
	snprintf(s, n, fmt, c14n, method, ref_attrs, transforms, digest, keyinfo);
	return s;
}

#define EXC "http://www.w3.org/2001/10/xml-exc-c14n#"
#define INC "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
#define RSA256 "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
#define RSA1 "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
#define SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define SHA1 "http://www.w3.org/2000/09/xmldsig#sha1"
#define T_ENV "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
#define T_EXC "<ds:Transform Algorithm=\"" EXC "\"/>"
#define KI_X509 "<ds:KeyInfo><ds:X509Data/></ds:KeyInfo>"

/* The profile's template, with the given methods. */
static char *profile_tmpl(const char *method, const char *digest)
{
	return tmpl(EXC, method, "URI=\"\"", T_ENV T_EXC, digest, KI_X509);
}

/* ---------------------------------------------------------------- trust stores */

START_TEST(test_trust_load)
{
	rd_trust *t = NULL;
	char *p;

	t = store("ca.pem", NULL, NULL);
	ck_assert_uint_eq(rd_trust_cert_count(t), 1);
	ck_assert_uint_eq(rd_trust_crl_count(t), 0);
	rd_trust_free(t);
	t = store("store", "crl-inter.pem", "crl-ca.pem");
	ck_assert_uint_eq(rd_trust_cert_count(t), 1);
	ck_assert_uint_eq(rd_trust_crl_count(t), 2);
	rd_trust_free(t);
	t = store("ca.der", "crl-inter.der", NULL); /* DER certificate and CRL */
	ck_assert_uint_eq(rd_trust_cert_count(t), 1);
	ck_assert_uint_eq(rd_trust_crl_count(t), 1);
	rd_trust_free(t);
	rd_trust_free(NULL);
	ck_assert_uint_eq(rd_trust_cert_count(NULL), 0);

	/* failures: missing, no certificate, empty directory, NULL */
	p = path_in(pki, "no-such.pem");
	ck_assert_int_eq(rd_trust_load(&t, p), RD_ENOTFOUND);
	ck_assert_ptr_null(t);
	ck_assert_contains(rd_error_last()->message, "no-such.pem");
	free(p);
	p = path_in(pki, "openssl.cnf");
	ck_assert_int_eq(rd_trust_load(&t, p), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "no certificate");
	free(p);
	p = path_in(pki, "empty-store");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(rd_trust_load(&t, p), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "holds no certificate");
	rmdir(p);
	free(p);
	ck_assert_int_eq(rd_trust_load(NULL, "x"), RD_EINVAL);
	ck_assert_int_eq(rd_trust_load(&t, NULL), RD_EINVAL);
	t = store("ca.pem", NULL, NULL);
	p = path_in(pki, "ca.pem"); /* a certificate is not a CRL */
	ck_assert_int_eq(rd_trust_add_crl(t, p), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "revocation list");
	free(p);
	ck_assert_int_eq(rd_trust_add_crl(t, NULL), RD_EINVAL);
	ck_assert_int_eq(rd_trust_add_crl(NULL, "x"), RD_EINVAL);
	rd_trust_free(t);
}
END_TEST

/* ---------------------------------------------------------------- signing and verifying */

START_TEST(test_sign_verify_rsa)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len);
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	rd_verify_result *r;

	ck_assert_uint_eq(len, strlen(s));
	ck_assert_contains(s, "<ds:Signature xmlns:ds=\"" DS "\">");
	ck_assert_contains(s, "<ds:Reference URI=\"\">");
	ck_assert_contains(s, RSA256);
	ck_assert_contains(s, SHA256);
	ck_assert_contains(s, "</ds:Signature>\n</licence>");
	ck_assert_contains(s, "<field>a</field>"); /* the content is kept as it was */
	r = verify_opts(t, s, len, AS_OF, 0);
	ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
	ck_assert_int_eq(rd_verify_result_status(r), RD_SIG_OK);
	ck_assert_contains(rd_verify_result_message(r), "verified");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_DOCUMENT), "licence.xml");
	ck_assert_uint_eq(strlen(rd_verify_result_get(r, RD_VERIFY_SHA256)), 64);
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_SUBJECT),
	                 "CN=Licence Signing Officer,O=Test Tourism Regulator,C=PK");
	ck_assert_contains(rd_verify_result_get(r, RD_VERIFY_ISSUER), "CN=Test Licensing Issuing CA");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_SERIAL), "2000");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_NOT_BEFORE), "2024-01-01T00:00:00Z");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_NOT_AFTER), "2030-12-31T23:59:59Z");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_KEY), "RSA 2048");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_SIGNATURE_METHOD), RSA256);
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_DIGEST_METHOD), SHA256);
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_CHECKED_AT), "2026-12-01T23:59:59Z");
	ck_assert_contains(rd_verify_result_get(r, RD_VERIFY_ANCHOR), "CN=Test Licensing Root CA");
	ck_assert_uint_eq(rd_verify_result_chain_count(r), 3);
	ck_assert_contains(rd_verify_result_chain(r, 0), "Licence Signing Officer");
	ck_assert_contains(rd_verify_result_chain(r, 1), "Issuing CA");
	ck_assert_contains(rd_verify_result_chain(r, 2), "Root CA");
	ck_assert_ptr_null(rd_verify_result_chain(r, 3));
	ck_assert_uint_eq(rd_verify_result_warning_count(r), 0);
	ck_assert_ptr_null(rd_verify_result_warning(r, 0));
	ck_assert_ptr_null(rd_verify_result_get(r, (rd_verify_field)99));
	rd_verify_result_free(r);
	/* a full UTC time as of, and the default (now) */
	r = verify_opts(t, s, len, "2030-12-31T12:00:00Z", 0);
	ck_assert(rd_verify_result_ok(r));
	rd_verify_result_free(r);
	r = verify_opts(t, s, len, "2031-01-01T00:00:00Z", 0);
	ck_assert_int_eq(rd_verify_result_status(r), RD_SIG_EXPIRED);
	rd_verify_result_free(r);
	r = verify_opts(t, s, len, NULL, 0);
	ck_assert_ptr_nonnull(rd_verify_result_get(r, RD_VERIFY_CHECKED_AT));
	rd_verify_result_free(r);
	rd_verify_result_free(NULL);
	rd_trust_free(t);
	free(s);
}
END_TEST

START_TEST(test_sign_verify_ec)
{
	size_t len;
	char *s = sign_as("ec", 1, unsigned_licence, &len);
	rd_trust *t = store("ca.pem", NULL, NULL);
	rd_verify_result *r = verify_opts(t, s, len, AS_OF, 0);

	ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_KEY), "EC P-256");
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_SIGNATURE_METHOD),
	                 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
	rd_verify_result_free(r);
	rd_trust_free(t);
	free(s);
}
END_TEST

START_TEST(test_verify_file_and_errors)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len);
	char *dir = tu_tmpdir(), *p = tu_write(dir, "signed.xml", s);
	rd_trust *t = store("ca.pem", NULL, NULL);
	rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *r = NULL;

	vo.as_of = AS_OF;
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_OK);
	ck_assert(rd_verify_result_ok(r));
	ck_assert_str_eq(rd_verify_result_get(r, RD_VERIFY_DOCUMENT), p);
	rd_verify_result_free(r);
	r = NULL;
	/* bad arguments */
	ck_assert_int_eq(rd_licence_verify(&r, NULL, p, NULL, 0, &vo), RD_EINVAL);
	ck_assert_int_eq(rd_licence_verify(&r, t, NULL, NULL, 0, &vo), RD_EINVAL);
	ck_assert_int_eq(rd_licence_verify(NULL, t, p, NULL, 0, &vo), RD_EINVAL);
	vo.as_of = "2026-13-01";
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "2026-13-01");
	vo.as_of = "2026-12-01T25:00:00Z";
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_EINVAL);
	vo.as_of = AS_OF;
	vo.version = 99;
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_EINVAL);
	vo.version = RD_VERIFY_OPTIONS_VERSION;
	ck_assert_ptr_null(r);
	/* a file that does not exist, that is not XML, that is over the limit */
	free(p);
	p = path_in(dir, "missing.xml");
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_ENOTFOUND);
	free(p);
	p = tu_write(dir, "bad.xml", "<licence><field>a</licence>");
	ck_assert_int_eq(rd_licence_verify(&r, t, p, NULL, 0, &vo), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "bad.xml:1:");
	ck_assert_int_eq(rd_error_last()->line, 1);
	vo.max_bytes = 10;
	ck_assert_int_eq(rd_licence_verify(&r, t, NULL, s, len, &vo), RD_ELIMIT);
	ck_assert_ptr_null(r);
	free(p);
	tu_rmtree(dir);
	free(dir);
	rd_trust_free(t);
	free(s);
}
END_TEST

START_TEST(test_sign_refusals)
{
	rd_sign_options so = RD_SIGN_OPTIONS_INIT;
	char *key = path_in(pki, "signer.key"), *cert = path_in(pki, "signer.pem");
	char *weak_key = path_in(pki, "weak.key"), *weak_cert = path_in(pki, "weak.pem");
	char *other = path_in(pki, "expired.pem"), *out = NULL, *s;
	size_t len = 0;
	const char *xml = unsigned_licence;

	so.key = key;
	so.cert = cert;
	/* the key must match the certificate */
	so.cert = other;
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "does not belong to the certificate");
	/* an RSA key under 2048 bits */
	so.key = weak_key;
	so.cert = weak_cert;
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "1024 bits");
	so.key = key;
	so.cert = cert;
	/* already signed; a DOCTYPE; entities; not XML */
	s = sign_as("signer", 0, xml, &len);
	ck_assert_int_eq(rd_licence_sign(&out, &len, "again.xml", s, strlen(s), &so), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "signed already");
	free(s);
	s = replace(xml, "<licence", "<!DOCTYPE licence>\n<licence");
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, s, strlen(s), &so), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "DOCTYPE");
	free(s);
	s = replace(xml, "<licence", "<!DOCTYPE licence [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<licence");
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, s, strlen(s), &so), RD_EUNSAFE);
	free(s);
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, "<a>", 3, &so), RD_EPARSE);
	/* missing files, arguments */
	so.key = cert; /* a certificate is not a key */
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "no private key");
	so.key = "/nonexistent/key.pem";
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_ENOTFOUND);
	so.key = key;
	so.chain = "/nonexistent/chain.pem";
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_ENOTFOUND);
	so.chain = NULL;
	so.cert = NULL;
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_EINVAL);
	so.cert = cert;
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), NULL), RD_EINVAL);
	ck_assert_int_eq(rd_licence_sign(NULL, &len, NULL, xml, strlen(xml), &so), RD_EINVAL);
	so.version = 7;
	ck_assert_int_eq(rd_licence_sign(&out, &len, NULL, xml, strlen(xml), &so), RD_EINVAL);
	ck_assert_ptr_null(out);
	free(key);
	free(cert);
	free(weak_key);
	free(weak_cert);
	free(other);
}
END_TEST

/* ---------------------------------------------------------------- integrity */

START_TEST(test_unsigned)
{
	expect(unsigned_licence, RD_SIG_MISSING, "no XML Signature");
}
END_TEST

START_TEST(test_altered_content)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a;

	a = replace(s, "status=\"VALID\"", "status=\"VALlD\""); /* an attribute */
	expect(a, RD_SIG_DIGEST_MISMATCH, "changed after it was signed");
	free(a);
	a = replace(s, "<field>a</field>", "<field>e</field>"); /* a text */
	expect(a, RD_SIG_DIGEST_MISMATCH, NULL);
	free(a);
	a = replace(s, "<field>d</field>", "<field>d</field><field>e</field>"); /* an element */
	expect(a, RD_SIG_DIGEST_MISMATCH, NULL);
	free(a);
	a = replace(s, "<field>d</field>", "<field>d</field>\n  <?note unsigned?>"); /* a PI */
	expect(a, RD_SIG_DIGEST_MISMATCH, NULL);
	free(a);
	a = replace(s, "<holder ", "<holder xml:lang=\"ur\" "); /* an xml: attribute */
	expect(a, RD_SIG_DIGEST_MISMATCH, NULL);
	free(a);
	free(s);
}
END_TEST

START_TEST(test_altered_signature)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a, *v;
	const char *sv;

	/* SignedInfo changed: the digests still match, the signature value does not */
	a = replace(s, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"\" Id=\"ref-1\">");
	expect(a, RD_SIG_BAD_SIGNATURE, "signature value does not match");
	free(a);
	/* the signature value changed */
	sv = strstr(s, "<ds:SignatureValue>");
	ck_assert_ptr_nonnull(sv);
	a = strdup(s);
	ck_assert_ptr_nonnull(a);
	v = a + (sv - s) + strlen("<ds:SignatureValue>") + 10;
	*v = *v == 'A' ? 'B' : 'A';
	expect(a, RD_SIG_BAD_SIGNATURE, NULL);
	free(a);
	/* another certificate in X509Data than the signer's */
	{
		char *cert = path_in(pki, "outsider.pem"), *pem = slurp(cert, NULL), *b64, *p, *q;
		const char *c0 = strstr(s, "<ds:X509Certificate>"), *c1 = strstr(s, "</ds:X509Data>");

		ck_assert_ptr_nonnull(pem);
		p = strstr(pem, "-----BEGIN CERTIFICATE-----") + strlen("-----BEGIN CERTIFICATE-----");
		q = strstr(pem, "-----END CERTIFICATE-----");
		b64 = strndup(p, (size_t)(q - p));
		ck_assert_ptr_nonnull(b64);
		a = malloc(strlen(s) + strlen(b64) + 64);
		ck_assert_ptr_nonnull(a);
		sprintf(a, "%.*s<ds:X509Certificate>%s</ds:X509Certificate>%s", (int)(c0 - s), s, b64, c1);
		expect(a, RD_SIG_BAD_SIGNATURE, "Self-made Licence Authority");
		free(a);
		free(b64);
		free(pem);
		free(cert);
	}
	free(s);
}
END_TEST

START_TEST(test_comments)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a;
	rd_trust *t = store("ca.pem", NULL, NULL);
	rd_verify_result *r;

	/* a comment is outside exclusive C14N without comments: the signed content is the
	 * same, so the licence verifies, with a warning that the comment is not signed */
	a = replace(s, "<field>a</field>", "<field>a</field><!-- (e) Hajj and Umrah -->");
	r = verify_opts(t, a, strlen(a), AS_OF, 0);
	ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
	ck_assert_uint_eq(rd_verify_result_warning_count(r), 1);
	ck_assert_contains(rd_verify_result_warning(r, 0), "1 comment");
	ck_assert_contains(rd_verify_result_warning(r, 0), "not covered by the signature");
	rd_verify_result_free(r);
	free(a);
	/* a comment splitting a text node: the text itself is unchanged */
	a = replace(s, "<field>a</field>", "<field>a<!---->\n</field>");
	expect_with(t, a, strlen(a), RD_SIG_DIGEST_MISMATCH, NULL, 0); /* the newline is text */
	free(a);
	a = replace(s, "Directorate of Tourist", "Directorate<!-- x --> of Tourist");
	expect_with(t, a, strlen(a), RD_SIG_OK, NULL, 0);
	free(a);
	/* a comment inside the signature is refused (it could hide part of a value) */
	a = replace(s, "<ds:DigestValue>", "<ds:DigestValue><!-- x -->");
	expect_with(t, a, strlen(a), RD_SIG_BAD_PROFILE, "comment", 0);
	free(a);
	a = replace(s, "<ds:SignedInfo>", "<ds:SignedInfo><!-- x -->");
	expect_with(t, a, strlen(a), RD_SIG_BAD_PROFILE, "comment", 0);
	free(a);
	rd_trust_free(t);
	free(s);
}
END_TEST

/* ---------------------------------------------------------------- wrapping */

START_TEST(test_wrapping)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a, *sig;
	const char *body = strstr(s, "<licence"), *s0 = strstr(s, "<ds:Signature"),
	           *s1 = strstr(s, "</ds:Signature>") + strlen("</ds:Signature>");

	sig = strndup(s0, (size_t)(s1 - s0));
	ck_assert_ptr_nonnull(sig);
	/* the signed licence moved under a new root, next to an unsigned copy */
	a = malloc(2 * strlen(s) + 128);
	ck_assert_ptr_nonnull(a);
	sprintf(a, "<wrapper xmlns=\"urn:rahdari:doc:1\">%s%s</wrapper>", body,
	        strstr(unsigned_licence, "<licence"));
	expect(a, RD_SIG_BAD_PROFILE, "not a child of the root element <wrapper>");
	free(a);
	/* the signature nested in an element of the licence */
	{
		char *t = replace(s, sig, "");

		a = replace(t, "<holder name=\"Al-Noor Travels\" form=\"partnership\"/>",
		            "<holder name=\"Al-Noor Travels\" form=\"partnership\">@@SIG@@</holder>");
		free(t);
		t = replace(a, "@@SIG@@", sig);
		expect(t, RD_SIG_BAD_PROFILE, "inside the <holder> element");
		free(t);
		free(a);
	}
	/* a second, unsigned copy of the licence content inside the licence */
	a = replace(s, "</ds:Signature>", "</ds:Signature><licence><field>e</field></licence>");
	expect(a, RD_SIG_DIGEST_MISMATCH, NULL);
	free(a);
	/* two signatures: the same twice, and a nested licence with its own */
	a = replace(s, "</ds:Signature>", "</ds:Signature>@@SIG@@");
	{
		char *t = replace(a, "@@SIG@@", sig);

		expect(t, RD_SIG_BAD_PROFILE, "2 XML Signatures");
		free(t);
	}
	free(a);
	/* the signature in a ds:Object of the signature (enveloping) */
	a = replace(s, "</ds:KeyInfo>", "</ds:KeyInfo><ds:Object><field>e</field></ds:Object>");
	expect(a, RD_SIG_BAD_PROFILE, "ds:Object");
	free(a);
	free(sig);
	free(s);
}
END_TEST

/* ---------------------------------------------------------------- the profile */

START_TEST(test_references)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a;

	a = replace(s, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"http://example.org/licence.xml\">");
	expect(a, RD_SIG_BAD_PROFILE, "URI=\"http://example.org/licence.xml\"");
	free(a);
	a = replace(s, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"#lic\">");
	expect(a, RD_SIG_BAD_PROFILE, "URI=\"#lic\"");
	free(a);
	a = replace(s, "<ds:Reference URI=\"\">", "<ds:Reference>");
	expect(a, RD_SIG_BAD_PROFILE, "without URI");
	free(a);
	a = replace(s, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"#xpointer(/)\">");
	expect(a, RD_SIG_BAD_PROFILE, NULL);
	free(a);
	/* two references, both signed (crafted: the mathematics is right) */
	{
		char *t = tmpl(EXC, RSA256,
		               "URI=\"\"><ds:Transforms>" T_ENV T_EXC "</ds:Transforms>"
		               "<ds:DigestMethod Algorithm=\"" SHA256 "\"/><ds:DigestValue/>"
		               "</ds:Reference><ds:Reference URI=\"\"",
		               T_ENV T_EXC, SHA256, KI_X509);

		a = craft(t, "signer", 1);
		expect(a, RD_SIG_BAD_PROFILE, "2 references");
		free(a);
		free(t);
	}
	free(s);
}
END_TEST

START_TEST(test_transforms_and_c14n)
{
	char *t, *a;

	/* inclusive C14N for SignedInfo */
	t = tmpl(INC, RSA256, "URI=\"\"", T_ENV T_EXC, SHA256, KI_X509);
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "CanonicalizationMethod");
	free(a);
	free(t);
	/* exclusive C14N with comments as the transform */
	t = tmpl(EXC, RSA256, "URI=\"\"",
	         T_ENV "<ds:Transform Algorithm=\"" EXC "WithComments\"/>", SHA256, KI_X509);
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "with comments");
	free(a);
	free(t);
	/* the enveloped transform alone, and in the other order */
	t = tmpl(EXC, RSA256, "URI=\"\"", T_ENV, SHA256, KI_X509);
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "1 transform");
	free(a);
	free(t);
	/* a transform with parameters */
	{
		size_t len;
		char *s = sign_as("signer", 1, unsigned_licence, &len);

		a = replace(s, "<ds:Transform Algorithm=\"" EXC "\"/>",
		            "<ds:Transform Algorithm=\"" EXC "\"><ec:InclusiveNamespaces "
		            "xmlns:ec=\"" EXC "\" PrefixList=\"d\"/></ds:Transform>");
		expect(a, RD_SIG_BAD_PROFILE, "parameter");
		free(a);
		a = replace(s, "<ds:Transforms>", "<ds:Transforms><ds:Transform Algorithm="
		            "\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>1</ds:XPath></ds:Transform>");
		expect(a, RD_SIG_BAD_PROFILE, "3 transforms");
		free(a);
		a = replace(s, "<ds:SignatureMethod Algorithm=\"" RSA256 "\"/>",
		            "<ds:SignatureMethod Algorithm=\"" RSA256 "\"><ds:HMACOutputLength>8"
		            "</ds:HMACOutputLength></ds:SignatureMethod>");
		expect(a, RD_SIG_BAD_PROFILE, "HMACOutputLength");
		free(a);
		/* the transforms in the other order */
		{
			char *b = replace(s, T_ENV, "@@E@@"), *c = replace(b, T_EXC, T_ENV);

			a = replace(c, "@@E@@", T_EXC);
			expect(a, RD_SIG_BAD_PROFILE, "first transform");
			free(a);
			free(b);
			free(c);
		}
		a = replace(s, "<licence", "<!DOCTYPE licence>\n<licence");
		expect(a, RD_SIG_BAD_PROFILE, "DOCTYPE");
		free(a);
		free(s);
	}
}
END_TEST

START_TEST(test_key_info)
{
	char *t, *a;

	/* a bare key: the signature is right, but anyone can make one */
	t = tmpl(EXC, RSA256, "URI=\"\"", T_ENV T_EXC, SHA256, "<ds:KeyInfo><ds:KeyValue/></ds:KeyInfo>");
	a = craft(t, "signer", 0);
	ck_assert_contains(a, "RSAKeyValue");
	expect(a, RD_SIG_BAD_PROFILE, "without certificate");
	free(a);
	free(t);
	/* a KeyValue beside the certificate */
	t = tmpl(EXC, RSA256, "URI=\"\"", T_ENV T_EXC, SHA256,
	         "<ds:KeyInfo><ds:KeyValue/><ds:X509Data/></ds:KeyInfo>");
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "KeyValue");
	free(a);
	free(t);
	/* a key name, and no KeyInfo at all */
	t = tmpl(EXC, RSA256, "URI=\"\"", T_ENV T_EXC, SHA256,
	         "<ds:KeyInfo><ds:KeyName>regulator</ds:KeyName></ds:KeyInfo>");
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "KeyName");
	free(a);
	free(t);
	t = tmpl(EXC, RSA256, "URI=\"\"", T_ENV T_EXC, SHA256, "");
	a = craft(t, "signer", 1);
	expect(a, RD_SIG_BAD_PROFILE, "no KeyInfo");
	free(a);
	free(t);
	/* HMAC: a shared secret, no certificate */
	t = tmpl(EXC, "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "URI=\"\"", T_ENV T_EXC, SHA256,
	         KI_X509);
	a = craft(t, "hmac", 0);
	expect(a, RD_SIG_BAD_PROFILE, "HMAC");
	free(a);
	free(t);
}
END_TEST

START_TEST(test_certificates_in_signature)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a, *b;
	const char *c = strstr(s, "<ds:X509Certificate>") + strlen("<ds:X509Certificate>");

	/* not base64, not a certificate, empty */
	a = strdup(s);
	ck_assert_ptr_nonnull(a);
	a[c - s + 5] = '*';
	expect(a, RD_SIG_MALFORMED, "X509Certificate 1");
	free(a);
	a = replace(s, "<ds:X509Certificate>", "<ds:X509Certificate>AAAA");
	expect(a, RD_SIG_MALFORMED, "not a base64 DER X.509 certificate");
	free(a);
	a = replace(s, "<ds:X509Data>", "<ds:X509Data><ds:X509Certificate>QUJD</ds:X509Certificate>");
	expect(a, RD_SIG_MALFORMED, NULL);
	free(a);
	/* certificates that are not one chain: the signer's twice */
	{
		const char *c0 = strstr(s, "<ds:X509Certificate>"), *c1 = strstr(c0, "</ds:X509Certificate>");
		char *one = strndup(c0, (size_t)(c1 - c0) + strlen("</ds:X509Certificate>"));

		ck_assert_ptr_nonnull(one);
		b = malloc(strlen(one) + 32);
		ck_assert_ptr_nonnull(b);
		sprintf(b, "<ds:X509Data>%s", one);
		a = replace(s, "<ds:X509Data>", b);
		expect(a, RD_SIG_BAD_PROFILE, "not one chain");
		free(a);
		free(b);
		free(one);
	}
	/* no certificate at all; a naming hint is fine, an X509CRL is not */
	{
		const char *x0 = strstr(s, "<ds:X509Data>"), *x1 = strstr(s, "</ds:X509Data>");

		a = malloc(strlen(s) + 1);
		ck_assert_ptr_nonnull(a);
		sprintf(a, "%.*s<ds:X509Data></ds:X509Data>%s", (int)(x0 - s), s,
		        x1 + strlen("</ds:X509Data>"));
		expect(a, RD_SIG_BAD_PROFILE, "no X509Certificate");
		free(a);
	}
	a = replace(s, "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=x</ds:X509SubjectName>");
	expect(a, RD_SIG_OK, NULL);
	free(a);
	a = replace(s, "<ds:X509Data>", "<ds:X509Data><ds:X509CRL>AAAA</ds:X509CRL>");
	expect(a, RD_SIG_BAD_PROFILE, "X509CRL");
	free(a);
	/* the parts of the signature that must be there */
	a = replace(s, "<ds:SignatureValue>", "<ds:SignatureValue>\n");
	expect(a, RD_SIG_OK, NULL); /* white space in base64 is allowed */
	free(a);
	{
		const char *v0 = strstr(s, "<ds:SignatureValue>"), *v1 = strstr(s, "</ds:SignatureValue>");

		a = malloc(strlen(s) + 1);
		ck_assert_ptr_nonnull(a);
		sprintf(a, "%.*s<ds:SignatureValue>%s", (int)(v0 - s), s, v1);
		expect(a, RD_SIG_MALFORMED, "SignatureValue");
		free(a);
		a = malloc(strlen(s) + 1);
		ck_assert_ptr_nonnull(a);
		sprintf(a, "%.*s<ds:SignatureValue>@@@@%s", (int)(v0 - s), s, v1);
		expect(a, RD_SIG_MALFORMED, "could not be processed");
		free(a);
	}
	free(s);
}
END_TEST

/* An office the regulator never licensed, in the rahdari namespace, for the places of a
 * signature that the signature does not cover (issue 11: "KHI-99"). */
#define KHI99                                                                                  \
	"<office xmlns=\"urn:rahdari:doc:1\" id=\"KHI-99\" kind=\"branch\" district=\"Karachi\" "  \
	"province=\"PK-SD\" status=\"ACTIVE\"/>"
#define ISSUER "<ds:X509IssuerName>CN=Test Licensing Issuing CA,O=Test Tourism Regulator,C=PK</ds:X509IssuerName>"
#define SERIAL "<ds:X509SerialNumber>8192</ds:X509SerialNumber>"

/* KeyInfo is outside SignedInfo: whatever it holds is unsigned, so it may hold only the
 * certificates and naming hints of the profile, with text only. */
START_TEST(test_key_info_unsigned_parts)
{
	static const struct {
		const char *old, *new;
		int status;
		const char *part;
	} cases[] = {
		/* the naming hints, as the standard has them: accepted */
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=Licence Signing Officer,O=Test "
		  "Tourism Regulator,C=PK</ds:X509SubjectName>", RD_SIG_OK, NULL },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>\n" ISSUER "\n" SERIAL
		  "\n</ds:X509IssuerSerial>", RD_SIG_OK, NULL },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SKI>KcDXW3dvgi+8GB4TC6tgR8ZwvGQ=</ds:X509SKI>",
		  RD_SIG_OK, NULL },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName><![CDATA[CN=x]]></ds:X509SubjectName>",
		  RD_SIG_OK, NULL },
		/* KHI-99: an element in the subject name */
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=x" KHI99 "</ds:X509SubjectName>",
		  RD_SIG_BAD_PROFILE, "X509SubjectName" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>" KHI99 "</ds:X509SubjectName>",
		  RD_SIG_BAD_PROFILE, "X509SubjectName" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=x<!-- KHI-99 --></ds:X509SubjectName>",
		  RD_SIG_BAD_PROFILE, "comment" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=x<?office KHI-99?></ds:X509SubjectName>",
		  RD_SIG_BAD_PROFILE, "X509SubjectName" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName xmlns:d=\"urn:rahdari:doc:1\" "
		  "d:office=\"KHI-99\">CN=x</ds:X509SubjectName>", RD_SIG_BAD_PROFILE, "attribute 'office'" },
		/* the issuer and serial hint: exactly an issuer name and a serial number, text only */
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER SERIAL KHI99
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "X509IssuerSerial" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" KHI99 ISSUER SERIAL
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "X509IssuerSerial" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>CN=x" KHI99
		  "</ds:X509IssuerName>" SERIAL "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE,
		  "X509IssuerName" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER "<ds:X509SerialNumber>8192"
		  KHI99 "</ds:X509SerialNumber></ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE,
		  "X509SerialNumber" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER
		  "<ds:X509SerialNumber>KHI-99</ds:X509SerialNumber></ds:X509IssuerSerial>",
		  RD_SIG_BAD_PROFILE, "not an integer" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" SERIAL ISSUER
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "X509IssuerSerial" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER "</ds:X509IssuerSerial>",
		  RD_SIG_BAD_PROFILE, "X509IssuerSerial" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>KHI-99" ISSUER SERIAL
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "X509IssuerSerial" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER "<!-- KHI-99 -->" SERIAL
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "comment" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial office=\"KHI-99\">" ISSUER SERIAL
		  "</ds:X509IssuerSerial>", RD_SIG_BAD_PROFILE, "attribute 'office'" },
		/* the other parts of KeyInfo */
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SKI>" KHI99 "</ds:X509SKI>", RD_SIG_BAD_PROFILE,
		  "X509SKI" },
		{ "<ds:X509Data>", "<ds:X509Data><ds:X509SKI>KHI-99!</ds:X509SKI>", RD_SIG_BAD_PROFILE,
		  "X509SKI" },
		{ "<ds:X509Data>", "<ds:X509Data>" KHI99, RD_SIG_BAD_PROFILE, "X509Data holds office" },
		{ "<ds:X509Data>", "<ds:X509Data><!-- KHI-99 -->", RD_SIG_BAD_PROFILE, "comment" },
		{ "<ds:X509Data>", "<ds:X509Data><?office KHI-99?>", RD_SIG_BAD_PROFILE,
		  "processing instruction" },
		{ "<ds:X509Data>", "<ds:X509Data xmlns:d=\"urn:rahdari:doc:1\" d:office=\"KHI-99\">",
		  RD_SIG_BAD_PROFILE, "attribute 'office'" },
		{ "<ds:X509Certificate>", "<ds:X509Certificate office=\"KHI-99\">", RD_SIG_BAD_PROFILE,
		  "attribute 'office'" },
		{ "</ds:X509Certificate>", KHI99 "</ds:X509Certificate>", RD_SIG_BAD_PROFILE,
		  "X509Certificate" },
		{ "</ds:X509Data>", "</ds:X509Data>" KHI99, RD_SIG_BAD_PROFILE, "KeyInfo holds office" },
		{ "<ds:KeyInfo>", "<ds:KeyInfo xmlns:d=\"urn:rahdari:doc:1\" d:office=\"KHI-99\">",
		  RD_SIG_BAD_PROFILE, "attribute 'office'" },
		{ "<ds:KeyInfo>", "<ds:KeyInfo><!-- KHI-99 -->", RD_SIG_BAD_PROFILE, "comment" },
		{ "</ds:SignatureValue>", "</ds:SignatureValue>" KHI99, RD_SIG_BAD_PROFILE, "office" },
		{ "</ds:KeyInfo>", "</ds:KeyInfo><ds:Object>" KHI99 "</ds:Object>", RD_SIG_BAD_PROFILE,
		  "ds:Object" },
		{ "</ds:KeyInfo>", "</ds:KeyInfo>" KHI99, RD_SIG_BAD_PROFILE, "office" },
		{ "<ds:Signature ", "<ds:Signature xmlns:d=\"urn:rahdari:doc:1\" d:office=\"KHI-99\" ",
		  RD_SIG_BAD_PROFILE, "attribute 'office'" },
	};
	size_t len, i;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a;
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rd_verify_result *r;

		a = replace(s, cases[i].old, cases[i].new);
		r = verify_opts(t, a, strlen(a), AS_OF, 0);
		ck_assert_msg(rd_verify_result_status(r) == cases[i].status,
		              "case %zu (%s): expected %s, got %s: %s", i, cases[i].new,
		              rd_sig_status_name(cases[i].status),
		              rd_sig_status_name(rd_verify_result_status(r)), rd_verify_result_message(r));
		if (cases[i].part)
			ck_assert_msg(tu_contains(rd_verify_result_message(r), cases[i].part),
			              "case %zu: '%s' does not contain '%s'", i, rd_verify_result_message(r),
			              cases[i].part);
		rd_verify_result_free(r);
		free(a);
	}
	rd_trust_free(t);
	free(s);
}
END_TEST

START_TEST(test_missing_parts)
{
	expect(LIC_OPEN "<ds:Signature xmlns:ds=\"" DS "\"/>" LIC_CLOSE, RD_SIG_MALFORMED, "SignedInfo");
	expect(LIC_OPEN "<ds:Signature xmlns:ds=\"" DS "\"><ds:SignedInfo/></ds:Signature>" LIC_CLOSE,
	       RD_SIG_MALFORMED, "SignatureValue");
	expect(LIC_OPEN "<ds:Signature xmlns:ds=\"" DS "\">text</ds:Signature>" LIC_CLOSE,
	       RD_SIG_MALFORMED, "text");
	expect(LIC_OPEN "<ds:Signature xmlns:ds=\"" DS "\"><ds:SignatureValue/><ds:SignedInfo/>"
	       "</ds:Signature>" LIC_CLOSE,
	       RD_SIG_BAD_PROFILE, "expects SignedInfo");
}
END_TEST

/* ---------------------------------------------------------------- algorithms */

START_TEST(test_weak_algorithms)
{
	rd_trust *t = store("ca.pem", NULL, NULL);
	char *tm, *a;
	rd_verify_result *r;

	/* RSA-SHA1 over SHA-1 */
	tm = profile_tmpl(RSA1, SHA1);
	a = craft(tm, "signer", 1);
	expect_with(t, a, strlen(a), RD_SIG_WEAK_ALGORITHM, "RSA-SHA1 and SHA-1", 0);
	r = verify_opts(t, a, strlen(a), AS_OF, RD_VERIFY_ALLOW_WEAK);
	ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
	ck_assert_uint_eq(rd_verify_result_warning_count(r), 2);
	ck_assert_contains(rd_verify_result_warning(r, 0), "RSA-SHA1 is weak");
	ck_assert_contains(rd_verify_result_warning(r, 1), "SHA-1 is weak");
	rd_verify_result_free(r);
	free(a);
	free(tm);
	/* SHA-1 digest only */
	tm = profile_tmpl(RSA256, SHA1);
	a = craft(tm, "signer", 1);
	expect_with(t, a, strlen(a), RD_SIG_WEAK_ALGORITHM, "uses SHA-1", 0);
	expect_with(t, a, strlen(a), RD_SIG_OK, NULL, RD_VERIFY_ALLOW_WEAK);
	free(a);
	free(tm);
	/* an RSA key of 1024 bits */
	tm = profile_tmpl(RSA256, SHA256);
	a = craft(tm, "weak", 1);
	expect_with(t, a, strlen(a), RD_SIG_WEAK_ALGORITHM, "1024 bits", 0);
	r = verify_opts(t, a, strlen(a), AS_OF, RD_VERIFY_ALLOW_WEAK);
	ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
	ck_assert_uint_eq(rd_verify_result_warning_count(r), 1);
	ck_assert_contains(rd_verify_result_warning(r, 0), "1024 bits");
	rd_verify_result_free(r);
	free(a);
	free(tm);
	/* RSA-SHA512 over SHA-512 is in the profile */
	tm = profile_tmpl("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
	                  "http://www.w3.org/2001/04/xmlenc#sha512");
	a = craft(tm, "signer", 1);
	expect_with(t, a, strlen(a), RD_SIG_OK, NULL, 0);
	free(a);
	free(tm);
	/* a method the profile does not know, and one that does not fit the key */
	{
		size_t len;
		char *s = sign_as("signer", 1, unsigned_licence, &len);

		a = replace(s, RSA256, "http://www.w3.org/2000/09/xmldsig#dsa-sha1");
		expect_with(t, a, strlen(a), RD_SIG_BAD_PROFILE, "dsa-sha1", 0);
		free(a);
		a = replace(s, RSA256, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
		expect_with(t, a, strlen(a), RD_SIG_BAD_SIGNATURE, "RSA key", 0);
		free(a);
		a = replace(s, SHA256, "http://www.w3.org/2001/04/xmldsig-more#sha224");
		expect_with(t, a, strlen(a), RD_SIG_BAD_PROFILE, "digest method", 0);
		free(a);
		free(s);
	}
	rd_trust_free(t);
}
END_TEST

/* ---------------------------------------------------------------- chains */

START_TEST(test_chains)
{
	size_t len;
	rd_trust *root = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	rd_trust *plain = store("ca.pem", NULL, NULL);
	rd_trust *inter = store("inter.pem", NULL, NULL);
	rd_trust *ca_crl_only = store("ca.pem", "crl-ca.pem", NULL);
	char *s;

	s = sign_as("outsider", 0, unsigned_licence, &len);
	expect_with(root, s, len, RD_SIG_UNTRUSTED, "does not chain to a certificate of the trust store", 0);
	free(s);
	s = sign_as("expired", 1, unsigned_licence, &len);
	expect_with(root, s, len, RD_SIG_EXPIRED, "expired on 2022-12-31T23:59:59Z", 0);
	free(s);
	s = sign_as("future", 1, unsigned_licence, &len);
	expect_with(root, s, len, RD_SIG_NOT_YET_VALID, "valid only from 2035-01-01", 0);
	free(s);
	s = sign_as("revoked", 1, unsigned_licence, &len);
	expect_with(root, s, len, RD_SIG_REVOKED, "revoked", 0);
	expect_with(plain, s, len, RD_SIG_OK, NULL, 0); /* without the CRL, nobody knows */
	free(s);
	s = sign_as("nokeyuse", 1, unsigned_licence, &len);
	expect_with(root, s, len, RD_SIG_UNTRUSTED, "not meant for signing", 0);
	free(s);
	/* the signer without its issuing CA in the signature: no chain to the root */
	s = sign_as("signer", 0, unsigned_licence, &len);
	expect_with(plain, s, len, RD_SIG_UNTRUSTED, "does not chain", 0);
	/* ... but a store may trust the issuing CA itself */
	expect_with(inter, s, len, RD_SIG_OK, NULL, 0);
	free(s);
	s = sign_as("signer", 1, unsigned_licence, &len);
	expect_with(inter, s, len, RD_SIG_OK, NULL, 0);
	/* CRLs in the store, but none of the signer's issuer: revocation cannot be checked */
	expect_with(ca_crl_only, s, len, RD_SIG_UNTRUSTED, "cannot be checked", 0);
	/* the signer's issuer's CRL, none of the root's: verified, with a warning */
	{
		rd_trust *t = store("ca.pem", "crl-inter.pem", NULL);
		rd_verify_result *r = verify_opts(t, s, len, AS_OF, 0);

		ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
		ck_assert_uint_eq(rd_verify_result_warning_count(r), 1);
		ck_assert_contains(rd_verify_result_warning(r, 0), "Issuing CA");
		ck_assert_contains(rd_verify_result_warning(r, 0), "was not checked");
		rd_verify_result_free(r);
		rd_trust_free(t);
	}
	free(s);
	/* in 2036 the CRLs are out of date (next update 2035-01-01): revocation of a signer
	 * valid then cannot be checked */
	s = sign_as("future", 1, unsigned_licence, &len);
	{
		rd_verify_result *r = verify_opts(root, s, len, "2036-01-01", 0);

		ck_assert_int_eq(rd_verify_result_status(r), RD_SIG_UNTRUSTED);
		ck_assert_contains(rd_verify_result_message(r), "out of date");
		rd_verify_result_free(r);
		r = verify_opts(plain, s, len, "2036-01-01", 0);
		ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
		rd_verify_result_free(r);
	}
	free(s);
	rd_trust_free(root);
	rd_trust_free(plain);
	rd_trust_free(inter);
	rd_trust_free(ca_crl_only);
}
END_TEST

START_TEST(test_unsafe_documents)
{
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *a;
	rd_trust *t = store("ca.pem", NULL, NULL);
	rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *r = NULL;

	vo.as_of = AS_OF;
	/* XXE inside the signed document: refused by the loader before any signature work */
	a = replace(s, "<licence", "<!DOCTYPE licence [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<licence");
	ck_assert_int_eq(rd_licence_verify(&r, t, "xxe.xml", a, strlen(a), &vo), RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "xxe.xml:");
	ck_assert_contains(rd_error_last()->message, "entity 'x'");
	free(a);
	a = replace(s, "<licence", "<!DOCTYPE licence [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n<licence");
	ck_assert_int_eq(rd_licence_verify(&r, t, "bomb.xml", a, strlen(a), &vo), RD_EUNSAFE);
	free(a);
	a = replace(s, "<field>a</field>", "<field>&ext;</field>"); /* no DTD: not well-formed */
	ck_assert_int_eq(rd_licence_verify(&r, t, "undeclared.xml", a, strlen(a), &vo), RD_EPARSE);
	free(a);
	ck_assert_ptr_null(r);
	rd_trust_free(t);
	free(s);
}
END_TEST

/* ---------------------------------------------------------------- the rules */

#define SIG_SCH                                                                                  \
	SCH_OPEN "<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"                                  \
	"<sch:pattern><sch:rule context='/*'>"                                                   \
	"<sch:report id='SIG' test='true()'><sch:value-of select='fn:licence-signature()'/>|"     \
	"<sch:value-of select=\"fn:licence-signature('oep-licence')\"/>|"                        \
	"<sch:value-of select='fn:licence-signature-detail()'/></sch:report>"                    \
	"</sch:rule></sch:pattern>" SCH_CLOSE

/* The message of the SIG report of a check of doc with the given licence and trust. */
static char *sig_of(const rd_rules *rules, const rd_document *doc, const rd_document *licence,
                    const rd_trust *trust, unsigned int version)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_case_doc cd = { "licence", licence };
	rd_report *rep;
	char *msg;

	co.version = version;
	co.as_of = AS_OF;
	co.docs = licence ? &cd : NULL;
	co.ndocs = licence ? 1 : 0;
	co.trust = trust;
	rep = tu_check(rules, doc, &co);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	msg = strdup(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE));
	ck_assert_ptr_nonnull(msg);
	rd_report_free(rep);
	return msg;
}

START_TEST(test_rules_function)
{
	rd_rules *rules = tu_rules(SIG_SCH);
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	rd_document *booking = tu_doc("<booking xmlns='urn:rahdari:doc:1' id='B1'/>");
	rd_document *good, *bad, *none, *outsider, *itself, *cased;
	size_t len;
	char *s, *a, *m;

	s = sign_as("signer", 1, unsigned_licence, &len);
	good = tu_doc(s);
	a = replace(s, "<field>a</field>", "<field>e</field>");
	bad = tu_doc(a);
	free(a);
	none = tu_doc(unsigned_licence);
	free(s);
	s = sign_as("outsider", 0, unsigned_licence, &len);
	outsider = tu_doc(s);
	free(s);

	m = sig_of(rules, booking, good, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_msg(strncmp(m, "verified||verified: signed with RSA-SHA256", 42) == 0, "%s", m);
	free(m);
	m = sig_of(rules, booking, bad, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_contains(m, "invalid||the document was changed after it was signed");
	free(m);
	m = sig_of(rules, booking, none, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_contains(m, "unsigned||the document carries no XML Signature");
	free(m);
	m = sig_of(rules, booking, outsider, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_contains(m, "untrusted||");
	free(m);
	/* no trust store: not checked; no licence: '' */
	m = sig_of(rules, booking, bad, NULL, RD_CHECK_OPTIONS_VERSION);
	ck_assert_str_eq(m, "not-checked||");
	free(m);
	m = sig_of(rules, booking, NULL, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_str_eq(m, "||");
	free(m);
	/* the document checked is itself the licence */
	s = sign_as("signer", 1, unsigned_licence, &len);
	itself = tu_doc(s);
	m = sig_of(rules, itself, NULL, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_contains(m, "verified||");
	free(m);
	/* a licence inside a case, as it was signed */
	a = malloc(strlen(s) + strlen(unsigned_licence) + 256);
	ck_assert_ptr_nonnull(a);
	sprintf(a, "<case xmlns='urn:rahdari:doc:1'><document role='booking'><booking id='B'/></document>"
	           "<document role='licence'>%s</document><document role='oep-licence'>%s</document></case>",
	        strstr(s, "<licence"), strstr(unsigned_licence, "<licence"));
	cased = tu_doc(a);
	m = sig_of(rules, cased, NULL, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_msg(strncmp(m, "verified|unsigned|verified", 26) == 0, "%s", m);
	free(m);
	free(a);
	free(s);
	/* the same documents checked again (the verdicts are remembered per thread) */
	m = sig_of(rules, booking, bad, t, RD_CHECK_OPTIONS_VERSION);
	ck_assert_contains(m, "invalid||");
	free(m);
	/* too many arguments is a compile error */
	{
		rd_rules *r2 = NULL;

		ck_assert_int_eq(tu_rules_try(&r2, SCH_OPEN "<sch:pattern><sch:rule context='/'>"
		                                          "<sch:assert test=\"fn:licence-signature('a', 'b')\"/>"
		                                          "</sch:rule></sch:pattern>" SCH_CLOSE),
		                 RD_ERULES);
		ck_assert_ptr_null(r2);
	}
	rd_document_free(booking);
	rd_document_free(good);
	rd_document_free(bad);
	rd_document_free(none);
	rd_document_free(outsider);
	rd_document_free(itself);
	rd_document_free(cased);
	rd_trust_free(t);
	rd_rules_free(rules);
}
END_TEST

START_TEST(test_pk_rules)
{
	rd_rules *pk = NULL;
	rd_trust *t = store("ca.pem", NULL, NULL);
	char *path = tu_srcpath("examples/bookings/umrah-family.xml");
	rd_document *booking = NULL, *lic;
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_case_doc cd;
	rd_report *rep;
	size_t len, i;
	char *s, *a, *fired;

	ck_assert_int_eq(rd_rules_load_default(&pk), RD_OK);
	ck_assert_int_eq(rd_document_load_file(&booking, path, NULL), RD_OK);
	s = sign_as("signer", 1, unsigned_licence, &len);
	a = replace(s, "<field>a</field>", "<field>c</field>");
	lic = tu_doc(a);
	cd.role = "licence";
	cd.doc = lic;
	co.as_of = AS_OF;
	co.docs = &cd;
	co.ndocs = 1;
	co.trust = t;
	co.flags = RD_CHECK_NO_XSD;
	rep = tu_check(pk, booking, &co);
	fired = tu_findings(rep);
	ck_assert_contains(fired, "A:PK-LIC-019@");
	for (i = 0; i < rd_report_count(rep); i++) {
		const rd_finding *f = rd_report_finding(rep, i);

		if (strcmp(rd_finding_get(f, RD_FIELD_RULE), "PK-LIC-019") == 0) {
			ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
			ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "PB-LHR-2019-0412");
		}
	}
	free(fired);
	rd_report_free(rep);
	co.trust = NULL;
	rep = tu_check(pk, booking, &co);
	fired = tu_findings(rep);
	ck_assert_msg(!tu_contains(fired, "PK-LIC-019") && !tu_contains(fired, "PK-LIC-020"), "%s", fired);
	free(fired);
	rd_report_free(rep);
	rd_document_free(lic);
	free(a);
	free(s);
	free(path);
	rd_document_free(booking);
	rd_trust_free(t);
	rd_rules_free(pk);
}
END_TEST

/* ---------------------------------------------------------------- what rules see of a licence */

#define VIEW_SCH                                                                                 \
	SCH_OPEN "<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"                                  \
	"<sch:ns prefix='ds' uri='" DS "'/>"                                                     \
	"<sch:pattern><sch:rule context='/*'><sch:report id='LIC' test='true()'>"                \
	"<sch:value-of select=\"count(fn:doc('licence')//d:office)\"/>|"                         \
	"<sch:value-of select=\"count(fn:doc('licence')//*[@id='KHI-99'])\"/>|"                  \
	"<sch:value-of select=\"count(fn:doc('licence')//comment())\"/>|"                        \
	"<sch:value-of select=\"count(fn:doc('licence')//ds:*)\"/>|"                             \
	"<sch:value-of select=\"count(fn:doc('licence')/d:authority/text())\"/>|"                \
	"<sch:value-of select='fn:licence-signature()'/></sch:report></sch:rule></sch:pattern>"  \
	"<sch:pattern><sch:rule context='d:office'><sch:report id='OFF' test='true()'>"          \
	"<sch:value-of select='@id'/></sch:report></sch:rule></sch:pattern>"                     \
	"<sch:pattern><sch:rule context='comment()'><sch:report id='COM' test='true()'>"         \
	"<sch:value-of select='.'/></sch:report></sch:rule></sch:pattern>"                       \
	"<sch:pattern><sch:rule context='ds:*'><sch:report id='DS' test='true()'>"               \
	"<sch:value-of select='local-name()'/></sch:report></sch:rule></sch:pattern>" SCH_CLOSE

/* The messages of the findings of rule id, "message@line" joined by ";". Caller frees. */
static char *said(const rd_report *rep, const char *id)
{
	char *out = calloc(1, 1);
	size_t i, len = 0;

	ck_assert_ptr_nonnull(out);
	for (i = 0; i < rd_report_count(rep); i++) {
		const rd_finding *f = rd_report_finding(rep, i);
		const char *rule = rd_finding_get(f, RD_FIELD_RULE), *m = rd_finding_get(f, RD_FIELD_MESSAGE);
		char item[512];

		if (rule == NULL || strcmp(rule, id) != 0)
			continue;
		snprintf(item, sizeof item, "%s%s@%ld", len ? ";" : "", m ? m : "", rd_finding_line(f));
		out = realloc(out, len + strlen(item) + 1);
		ck_assert_ptr_nonnull(out);
		memcpy(out + len, item, strlen(item) + 1);
		len += strlen(item);
	}
	return out;
}

/* Check doc (with licence as the role 'licence' when not NULL) with VIEW_SCH; the findings
 * of each rule must be as given. */
static void sees(const rd_rules *rules, const rd_trust *t, const char *doc_xml,
                 const char *licence_xml, const char *lic, const char *off, const char *com,
                 const char *ds)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_document *doc = tu_doc(doc_xml), *licence = licence_xml ? tu_doc(licence_xml) : NULL;
	rd_case_doc cd = { "licence", licence };
	const char *want[4] = { lic, off, com, ds }, *ids[4] = { "LIC", "OFF", "COM", "DS" };
	rd_report *rep;
	size_t i;

	co.as_of = AS_OF;
	co.docs = licence ? &cd : NULL;
	co.ndocs = licence ? 1 : 0;
	co.trust = t;
	rep = tu_check(rules, doc, &co);
	for (i = 0; i < 4; i++) {
		char *got = said(rep, ids[i]);

		ck_assert_msg(strcmp(got, want[i]) == 0, "%s: expected '%s', got '%s'", ids[i], want[i],
		              got);
		free(got);
	}
	rd_report_free(rep);
	rd_document_free(licence);
	rd_document_free(doc);
}

/* A case of a booking and the licence (without its XML declaration). Caller frees. */
static char *in_case(const char *licence)
{
	const char *l = strstr(licence, "<licence");
	char *a = malloc(strlen(l) + 256);

	ck_assert_ptr_nonnull(a);
	sprintf(a, "<case xmlns='urn:rahdari:doc:1'><document role='booking'><booking id='B'/>"
	           "</document>\n<document role='licence'>%s</document></case>",
	        l);
	return a;
}

/* Nothing outside what the signature covers reaches the rules: not the ds:Signature
 * element (KeyInfo is not signed), not comments (exclusive C14N without comments leaves
 * them out), however the licence reaches them; the signature is still verified on the
 * document as it was, and findings keep the lines of the original file. */
START_TEST(test_rules_see_signed_content)
{
	rd_rules *rules = tu_rules(VIEW_SCH);
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	static const char booking[] = "<booking xmlns='urn:rahdari:doc:1' id='B1'/>";
	size_t len;
	char *s = sign_as("signer", 1, unsigned_licence, &len), *khi, *com, *a, *b;

	/* a plain signed licence: verified, its office seen (line 7), its signature not */
	sees(rules, t, booking, s, "1|0|0|0|1|verified@1", "", "", "");
	sees(rules, t, s, NULL, "0|0|0|0|0|verified@2", "LHR-01@7", "", "");
	a = in_case(s);
	sees(rules, t, a, NULL, "1|0|0|0|1|verified@1", "LHR-01@7", "", "");
	free(a);

	/* KHI-99: an office inside the X509SubjectName hint; refused, and never seen */
	khi = replace(s, "<ds:X509Data>", "<ds:X509Data><ds:X509SubjectName>CN=x" KHI99
	                                  "</ds:X509SubjectName>");
	sees(rules, t, booking, khi, "1|0|0|0|1|invalid@1", "", "", "");
	sees(rules, t, khi, NULL, "0|0|0|0|0|invalid@2", "LHR-01@7", "", "");
	a = in_case(khi);
	sees(rules, t, a, NULL, "1|0|0|0|1|invalid@1", "LHR-01@7", "", "");
	free(a);
	/* the same in the other hints and in KeyInfo */
	a = replace(s, "<ds:X509Data>", "<ds:X509Data><ds:X509IssuerSerial>" ISSUER SERIAL KHI99
	                                "</ds:X509IssuerSerial>");
	sees(rules, t, booking, a, "1|0|0|0|1|invalid@1", "", "", "");
	sees(rules, t, a, NULL, "0|0|0|0|0|invalid@2", "LHR-01@7", "", "");
	free(a);
	a = replace(s, "</ds:X509Data>", "</ds:X509Data>" KHI99);
	sees(rules, t, booking, a, "1|0|0|0|1|invalid@1", "", "", "");
	free(a);
	/* ... and in a signature where no signature may be (inside the holder) */
	a = replace(unsigned_licence, "<holder name=\"Al-Noor Travels\" form=\"partnership\"/>",
	            "<holder name=\"Al-Noor Travels\" form=\"partnership\"><ds:Signature xmlns:ds=\"" DS
	            "\">" KHI99 "</ds:Signature></holder>");
	sees(rules, t, booking, a, "1|0|0|0|1|invalid@1", "", "", "");
	sees(rules, t, a, NULL, "0|0|0|0|0|invalid@2", "LHR-01@7", "", "");
	free(a);

	/* comments: the licence still verifies (they are not signed), the rules do not see
	 * them, a text split by one is one text again, and the office keeps its line (12) */
	a = replace(s, "<office id", "<!-- <office id=\"KHI-99\"/>\n\n\n --><office id");
	b = replace(a, "Directorate of", "Directorate<!-- of Sindh,\n not --> of");
	free(a);
	com = replace(b, "<licence ", "<!-- KHI-99 -->\n<licence ");
	free(b);
	sees(rules, t, booking, com, "1|0|0|0|1|verified@1", "", "", "");
	sees(rules, t, com, NULL, "0|0|0|0|0|verified@3", "LHR-01@12", "", "");
	a = in_case(com);
	sees(rules, t, a, NULL, "1|0|0|0|1|verified@1", "LHR-01@11", "", "");
	free(a);
	/* an unsigned licence is read the same way: no comment there either */
	a = replace(unsigned_licence, "<office id", "<!-- KHI-99 --><office id");
	sees(rules, t, booking, a, "1|0|0|0|1|unsigned@1", "", "", "");
	sees(rules, t, a, NULL, "0|0|0|0|0|unsigned@2", "LHR-01@7", "", "");
	free(a);

	/* other documents are read as they are: hiding part of a booking would hide it from
	 * the rules but not from the systems that act on it */
	sees(rules, t,
	     "<booking xmlns='urn:rahdari:doc:1' id='B1'><!-- note --><ds:Signature xmlns:ds='" DS
	     "'><office id='X'/></ds:Signature></booking>",
	     s, "1|0|0|0|1|verified@1", "X@1", "note@1", "Signature@1");

	free(com);
	free(khi);
	free(s);
	rd_trust_free(t);
	rd_rules_free(rules);
}
END_TEST

/* ---------------------------------------------------------------- threads */

typedef struct worker {
	const rd_trust *trust;
	const char *xml;
	size_t len;
	int ok;
} worker;

static void *verify_many(void *arg)
{
	worker *w = arg;
	int i;

	w->ok = 0;
	for (i = 0; i < 4; i++) {
		rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;
		rd_verify_result *r = NULL;

		vo.as_of = AS_OF;
		if (rd_licence_verify(&r, w->trust, "t.xml", w->xml, w->len, &vo) != RD_OK)
			return NULL;
		if (rd_verify_result_ok(r))
			w->ok++;
		rd_verify_result_free(r);
	}
	return NULL;
}

START_TEST(test_threads)
{
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	size_t len, i;
	char *s = sign_as("signer", 1, unsigned_licence, &len);
	pthread_t th[4];
	worker w[4];

	for (i = 0; i < 4; i++) {
		w[i].trust = t;
		w[i].xml = s;
		w[i].len = len;
		ck_assert_int_eq(pthread_create(&th[i], NULL, verify_many, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(w[i].ok, 4);
	}
	rd_trust_free(t);
	free(s);
}
END_TEST

/* ---------------------------------------------------------------- one trust model */

/* The errors of loading a trust store are the same for licences and packs: one store,
 * one loader (x509.c). */
START_TEST(test_store_errors)
{
	rd_trust *t = (rd_trust *)pki;
	char *dir = path_in(pki, "codes-dir"), *f = path_in(pki, "codes-dir/only-crls.pem");
	char *crl = path_in(pki, "crl-ca.pem"), *data;
	size_t len;
	FILE *out;

	/* missing, as a file or as a directory */
	ck_assert_int_eq(rd_trust_load(&t, dir), RD_ENOTFOUND);
	ck_assert_ptr_null(t);
	/* an empty directory: a store without certificates */
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(rd_trust_load(&t, dir), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "holds no certificate");
	/* a file of CRLs only, alone or in a directory: a store without certificates too */
	data = slurp(crl, &len);
	out = fopen(f, "wb");
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(fwrite(data, 1, len, out), len);
	fclose(out);
	free(data);
	ck_assert_int_eq(rd_trust_load(&t, f), RD_EINVAL);
	ck_assert_int_eq(rd_trust_load(&t, dir), RD_EINVAL);
	/* a directory that cannot be read */
	if (geteuid() != 0) {
		ck_assert_int_eq(chmod(dir, 0), 0);
		ck_assert_int_eq(rd_trust_load(&t, dir), RD_EIO);
		ck_assert_int_eq(chmod(dir, 0700), 0);
	}
	unlink(f);
	rmdir(dir);
	free(dir);
	free(f);
	free(crl);
}
END_TEST

/* rd_init() and rd_shutdown(): idempotent, from any number of threads; after a shutdown
 * the library initialises again when used. */
static void *init_many(void *arg)
{
	int *ok = arg, i;

	for (i = 0; i < 50; i++)
		if (rd_init() == RD_OK)
			(*ok)++;
	return NULL;
}

START_TEST(test_init_shutdown)
{
	rd_trust *t = store("ca.pem", "crl-inter.pem", "crl-ca.pem");
	size_t len, i;
	char *s;
	pthread_t th[4];
	int ok[4] = { 0, 0, 0, 0 };

	rd_shutdown(); /* before anything, or twice: nothing to undo */
	rd_shutdown();
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, init_many, &ok[i]), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(ok[i], 50);
	}
	ck_assert_int_eq(rd_init(), RD_OK);
	s = sign_as("signer", 1, unsigned_licence, &len);
	expect_with(t, s, len, RD_SIG_OK, NULL, 0);
	/* shut down, then used again: initialised again, lazily or explicitly */
	rd_shutdown();
	rd_shutdown();
	expect_with(t, s, len, RD_SIG_OK, NULL, 0);
	expect_with(t, unsigned_licence, strlen(unsigned_licence), RD_SIG_MISSING, NULL, 0);
	free(s);
	s = sign_as("signer", 1, unsigned_licence, &len);
	rd_shutdown();
	ck_assert_int_eq(rd_init(), RD_OK);
	expect_with(t, s, len, RD_SIG_OK, NULL, 0);
	free(s);
	rd_trust_free(t);
}
END_TEST

/* ---------------------------------------------------------------- public corpora */

/* A corpus file's bytes (base64-decoded when b64), or NULL when absent. */
static char *corpus(const char *rel, int b64, size_t *len)
{
	char *p, *data;

	if (corpora == NULL)
		return NULL;
	p = path_in(corpora, rel);
	data = slurp(p, len);
	free(p);
	if (data && b64) {
		char *clean = malloc(*len + 1), *bin = malloc(*len + 1);
		size_t i, k = 0;
		int n;

		ck_assert_ptr_nonnull(clean);
		ck_assert_ptr_nonnull(bin);
		for (i = 0; i < *len; i++)
			if (data[i] != '\n' && data[i] != '\r' && data[i] != ' ')
				clean[k++] = data[i];
		n = EVP_DecodeBlock((unsigned char *)bin, (unsigned char *)clean, (int)k);
		ck_assert_int_ge(n, 0);
		while (k > 0 && clean[--k] == '=')
			n--;
		bin[n] = '\0';
		*len = (size_t)n;
		free(clean);
		free(data);
		data = bin;
	}
	return data;
}

static int corpus_expect(const rd_trust *t, const char *rel, int b64, int status,
                         const char *part, unsigned int flags, const char *as_of)
{
	size_t len;
	char *data = corpus(rel, b64, &len);
	rd_verify_result *r;

	ck_assert_msg(data != NULL, "%s: not in the corpora (%s)", rel, corpora);
	r = verify_opts(t, data, len, as_of, flags);
	ck_assert_msg(rd_verify_result_status(r) == status, "%s: expected %s, got %s: %s", rel,
	              rd_sig_status_name(status), rd_sig_status_name(rd_verify_result_status(r)),
	              rd_verify_result_message(r));
	if (part)
		ck_assert_contains(rd_verify_result_message(r), part);
	rd_verify_result_free(r);
	free(data);
	return 1;
}

/* The vectors test_corpora takes from the corpora: all must be there. */
#define CORPUS_VECTORS 20

START_TEST(test_corpora)
{
	rd_trust *t = store("ca.pem", NULL, NULL);
	int n = 0;

	ck_assert_ptr_nonnull(corpora); /* (main returns 77 without them) */
	/* RSA-SHA256, exclusive C14N, enveloped, URI="", but no certificate in KeyInfo */
	n += corpus_expect(t, "xmldsig/signxml/test/interop/xml-crypto/windows_store_signature.xml", 0,
	                   RD_SIG_BAD_PROFILE, "no KeyInfo", 0, AS_OF);
	/* XAdES: signed properties in a ds:Object, a second reference */
	n += corpus_expect(t, "xmldsig/signxml/test/xades/dss-signed.xml", 0, RD_SIG_BAD_PROFILE,
	                   "ds:Object", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/signxml/test/xades/dk_tl-sn21.xml", 0, RD_SIG_BAD_PROFILE, NULL,
	                   0, AS_OF);
	/* SAML: signatures of an element, wrapping, several signatures, a comment in DigestValue */
	n += corpus_expect(t, "xmldsig/xml-crypto/test/static/valid_saml_signature_wrapping.xml", 0,
	                   RD_SIG_BAD_PROFILE, "2 XML Signatures", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/xml-crypto/test/static/valid_saml_with_digest_comment.xml", 0,
	                   RD_SIG_BAD_PROFILE, "not a child of the root element", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/python3-saml/tests/data/responses/invalids/signature_wrapping_attack.xml.base64",
	                   1, RD_SIG_BAD_PROFILE, "nested <Response>", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/python3-saml/tests/data/responses/invalids/signature_wrapping_attack2.xml.base64",
	                   1, RD_SIG_BAD_PROFILE, NULL, 0, AS_OF);
	n += corpus_expect(t, "xmldsig/python3-saml/tests/data/responses/invalids/multiple_assertions.xml.base64",
	                   1, RD_SIG_BAD_PROFILE, NULL, 0, AS_OF);
	/* HMAC, DSA and inclusive C14N interop vectors */
	n += corpus_expect(t, "xmldsig/xml-crypto/test/static/hmac_signature.xml", 0, RD_SIG_BAD_PROFILE,
	                   "HMAC", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/signxml/test/interop/merlin-xmldsig-twenty-three/signature-enveloped-dsa.xml",
	                   0, RD_SIG_BAD_PROFILE, NULL, 0, AS_OF);
	n += corpus_expect(t, "xmldsig/xmlsec/tests/aleksey-xmldsig-01/enveloped-sha256-ecdsa-sha256.xml", 0,
	                   RD_SIG_BAD_PROFILE, "CanonicalizationMethod", 0, AS_OF);
	/* A SAML response in the profile but for SHA-1 (RSA-SHA1 over SHA-1): refused; with weak
	 * algorithms allowed its signature verifies, and its self-signed certificate is not ours */
	n += corpus_expect(t, "xmldsig/python3-saml/tests/data/responses/response_without_reference_uri.xml.base64",
	                   1, RD_SIG_WEAK_ALGORITHM, "SHA-1", 0, AS_OF);
	n += corpus_expect(t, "xmldsig/python3-saml/tests/data/responses/response_without_reference_uri.xml.base64",
	                   1, RD_SIG_UNTRUSTED, "Novapost TEST", RD_VERIFY_ALLOW_WEAK, AS_OF);
	/* ... and verifies entirely with that certificate as the trust store, in 2014 */
	{
		size_t len;
		char *data = corpus("xmldsig/python3-saml/tests/data/responses/response_without_reference_uri.xml.base64",
		                    1, &len);

		ck_assert_ptr_nonnull(data);
		n++;
		{
			const char *c0 = strstr(data, "<ds:X509Certificate>"), *c1 = strstr(data, "</ds:X509Certificate>");
			char *dir = tu_tmpdir(), *pem, *file;
			rd_trust *own = NULL;
			rd_verify_result *r;

			ck_assert_ptr_nonnull(c0);
			ck_assert_ptr_nonnull(c1);
			c0 += strlen("<ds:X509Certificate>");
			pem = malloc((size_t)(c1 - c0) + 128);
			ck_assert_ptr_nonnull(pem);
			{
				/* PEM: 64 characters a line */
				size_t k = 0, i;

				k += (size_t)sprintf(pem, "-----BEGIN CERTIFICATE-----\n");
				for (i = 0; c0 + i < c1; i++) {
					pem[k++] = c0[i];
					if (i % 64 == 63)
						pem[k++] = '\n';
				}
				sprintf(pem + k, "\n-----END CERTIFICATE-----\n");
			}
			file = tu_write(dir, "idp.pem", pem);
			ck_assert_int_eq(rd_trust_load(&own, file), RD_OK);
			r = verify_opts(own, data, len, "2014-06-01", RD_VERIFY_ALLOW_WEAK);
			ck_assert_msg(rd_verify_result_ok(r), "%s", rd_verify_result_message(r));
			ck_assert_uint_eq(rd_verify_result_warning_count(r), 3); /* SHA-1 twice, RSA 1024 */
			rd_verify_result_free(r);
			rd_trust_free(own);
			free(file);
			free(pem);
			tu_rmtree(dir);
			free(dir);
			free(data);
		}
	}
	/* XML attacks: refused by the loader */
	{
		static const char *const attacks[] = { "xmlbomb.xml", "xmlbomb2.xml", "external.xml",
		                                       "external_file.xml", "quadratic.xml", "cyclic.xml" };
		size_t i, len;

		for (i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
			char rel[256], *data;
			rd_verify_result *r = NULL;
			rd_verify_options vo = RD_VERIFY_OPTIONS_INIT;

			snprintf(rel, sizeof rel, "xmldsig/signxml/test/defusedxml-test-data/%s", attacks[i]);
			data = corpus(rel, 0, &len);
			ck_assert_msg(data != NULL, "%s: not in the corpora (%s)", rel, corpora);
			n++;
			ck_assert_msg(rd_licence_verify(&r, t, rel, data, len, &vo) == RD_EUNSAFE, "%s: %s",
			              rel, rd_error_last()->message);
			ck_assert_ptr_null(r);
			free(data);
		}
	}
	printf("check_trust: %d vectors of the public corpora\n", n);
	ck_assert_int_eq(n, CORPUS_VECTORS);
	rd_trust_free(t);
}
END_TEST

/* ---------------------------------------------------------------- the suite */

static Suite *suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("trust");

	tcase_set_timeout(tc, 120);
	if (RD_TRUST_CORPORA) {
		tcase_add_test(tc, test_corpora);
		suite_add_tcase(s, tc);
		return s;
	}
	tcase_add_test(tc, test_trust_load);
	tcase_add_test(tc, test_sign_verify_rsa);
	tcase_add_test(tc, test_sign_verify_ec);
	tcase_add_test(tc, test_verify_file_and_errors);
	tcase_add_test(tc, test_sign_refusals);
	tcase_add_test(tc, test_unsigned);
	tcase_add_test(tc, test_altered_content);
	tcase_add_test(tc, test_altered_signature);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_wrapping);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_transforms_and_c14n);
	tcase_add_test(tc, test_key_info);
	tcase_add_test(tc, test_certificates_in_signature);
	tcase_add_test(tc, test_key_info_unsigned_parts);
	tcase_add_test(tc, test_missing_parts);
	tcase_add_test(tc, test_weak_algorithms);
	tcase_add_test(tc, test_chains);
	tcase_add_test(tc, test_unsafe_documents);
	tcase_add_test(tc, test_rules_function);
	tcase_add_test(tc, test_pk_rules);
	tcase_add_test(tc, test_rules_see_signed_content);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_store_errors);
	tcase_add_test(tc, test_init_shutdown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *c = getenv("CORPORA"), *src = getenv("srcdir"), *tmp = getenv("TMPDIR");
	char base[4096], cmd[12288];
	struct stat st;
	int failed, rc;

	/* (no Check assertion out of a test: the helpers of testutil.c are not used here) */
	if (src == NULL || src[0] == '\0')
		src = ".";
	if (c && c[0]) {
		snprintf(cmd, sizeof cmd, "%s/xmldsig", c);
		if (stat(cmd, &st) == 0 && S_ISDIR(st.st_mode))
			corpora = c;
	}
	if (RD_TRUST_CORPORA && corpora == NULL) {
		printf("SKIP: check_trust_corpora: the public XML Signature corpora are not there "
		       "(CORPORA=%s)\n",
		       c ? c : "");
		return 77;
	}
	snprintf(base, sizeof base, "%s/rdtrust.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror("check_trust: mkdtemp");
		return EXIT_FAILURE;
	}
	snprintf(cmd, sizeof cmd, "sh '%s/tests/trust_pki.sh' '%s/pki' >/dev/null", src, base);
	rc = system(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			fprintf(stderr, "check_trust: cannot remove %s\n", base);
		if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
			printf("SKIP: check_trust: no openssl command to make the test PKI\n");
			return 77;
		}
		printf("check_trust: tests/trust_pki.sh failed (%d)\n", rc);
		return EXIT_FAILURE;
	}
	pki = malloc(strlen(base) + 5);
	if (pki == NULL)
		return EXIT_FAILURE;
	sprintf(pki, "%s/pki", base);
	fflush(stdout);
	failed = tu_run_suite(suite());
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "check_trust: cannot remove %s\n", base);
	free(pki);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
