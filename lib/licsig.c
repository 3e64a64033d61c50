/* rahdari: signed licences: enveloped XML Signatures in a strict profile.
 *
 * Verification, in this order, each step deciding the verdict when it fails:
 *   1. the document is parsed by rahdari's secure loader (no DTD, no entity, no network);
 *      a document it refuses is an error, not a verdict;
 *   2. rahdari's own code checks the profile on the tree: one ds:Signature in the whole
 *      document, a child of the root; SignedInfo with exclusive C14N (without comments),
 *      an allowed SignatureMethod, exactly one Reference with URI="", the transforms
 *      enveloped-signature then exclusive C14N and nothing else, an allowed DigestMethod;
 *      KeyInfo with X509Data certificates (and naming hints) only, text only, since
 *      nothing in KeyInfo is signed; no Object, no comment inside the signature, no
 *      DOCTYPE;
 *   3. the signer's certificate is the one certificate of X509Data that issued no other;
 *      its key must fit the SignatureMethod and be strong enough;
 *   4. libxmlsec1 verifies digest and signature with that key only (no keys manager, so
 *      KeyInfo is never used to find a key; enabled key data X.509 only; reference URIs
 *      restricted to the empty one; reference and signature transforms restricted to the
 *      profile's), and both the context's status and the reference's status must be
 *      "succeeded" (a return of 0 alone means nothing);
 *   5. what was digested must be the canonical form of the whole document without the
 *      signature: rahdari canonicalises the document itself and compares the bytes;
 *   6. the certificate chain is verified by trust.c against the trust store.
 *
 * Rules read a licence without its signature and comments (document.c); its signature is
 * verified on the licence as it was parsed (signed_copy).
 *
 * libxmlsec1 is initialised once (rd_init(), or lazily on first use), only if the host
 * program has not done it already, and shut down by rd_shutdown() if rahdari initialised
 * it. Its error callback is process-wide: rahdari installs one that, during rahdari's own
 * operations on a thread, records the error in thread-local storage and prints nothing,
 * and passes any other error to libxmlsec1's default callback.
 * SPDX-License-Identifier: MIT */
#include "sig.h"
#include "x509.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/xpathInternals.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/membuf.h>
#include <xmlsec/openssl/evp.h>

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"
#define ALG_EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ALG_EXC_C14N_COMMENTS "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
#define ALG_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* at most this many certificates in X509Data */
#define RD_MAX_CERTS 16

/* ---------------------------------------------------------------- algorithms */

enum { KEY_RSA = 1, KEY_EC = 2 };
enum { T_RSA_SHA256 = 1, T_RSA_SHA384, T_RSA_SHA512, T_ECDSA_SHA256, T_ECDSA_SHA384,
       T_ECDSA_SHA512, T_RSA_SHA1, T_ECDSA_SHA1, T_RSA_MD5, T_SHA256, T_SHA384, T_SHA512,
       T_SHA1, T_MD5 };

typedef struct alg {
	const char *uri;
	const char *name;
	int key;  /* signature methods: KEY_RSA or KEY_EC; digests: 0 */
	int weak; /* SHA-1 or MD5 */
	int id;
} alg;

static const alg sig_algs[] = {
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "RSA-SHA256", KEY_RSA, 0, T_RSA_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "RSA-SHA384", KEY_RSA, 0, T_RSA_SHA384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "RSA-SHA512", KEY_RSA, 0, T_RSA_SHA512 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ECDSA-SHA256", KEY_EC, 0, T_ECDSA_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "ECDSA-SHA384", KEY_EC, 0, T_ECDSA_SHA384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "ECDSA-SHA512", KEY_EC, 0, T_ECDSA_SHA512 },
	{ "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "RSA-SHA1", KEY_RSA, 1, T_RSA_SHA1 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "ECDSA-SHA1", KEY_EC, 1, T_ECDSA_SHA1 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-md5", "RSA-MD5", KEY_RSA, 1, T_RSA_MD5 },
};

static const alg digest_algs[] = {
	{ "http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256", 0, 0, T_SHA256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384", 0, 0, T_SHA384 },
	{ "http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512", 0, 0, T_SHA512 },
	{ "http://www.w3.org/2000/09/xmldsig#sha1", "SHA-1", 0, 1, T_SHA1 },
	{ "http://www.w3.org/2001/04/xmldsig-more#md5", "MD5", 0, 1, T_MD5 },
};

static xmlSecTransformId transform_of(int id)
{
	switch (id) {
	case T_RSA_SHA256: return xmlSecTransformRsaSha256Id;
	case T_RSA_SHA384: return xmlSecTransformRsaSha384Id;
	case T_RSA_SHA512: return xmlSecTransformRsaSha512Id;
	case T_ECDSA_SHA256: return xmlSecTransformEcdsaSha256Id;
	case T_ECDSA_SHA384: return xmlSecTransformEcdsaSha384Id;
	case T_ECDSA_SHA512: return xmlSecTransformEcdsaSha512Id;
	case T_RSA_SHA1: return xmlSecTransformRsaSha1Id;
	case T_ECDSA_SHA1: return xmlSecTransformEcdsaSha1Id;
	case T_RSA_MD5: return xmlSecTransformRsaMd5Id;
	case T_SHA256: return xmlSecTransformSha256Id;
	case T_SHA384: return xmlSecTransformSha384Id;
	case T_SHA512: return xmlSecTransformSha512Id;
	case T_SHA1: return xmlSecTransformSha1Id;
	case T_MD5: return xmlSecTransformMd5Id;
	default: return xmlSecTransformIdUnknown;
	}
}

static const alg *find_alg(const alg *table, size_t n, const xmlChar *uri)
{
	size_t i;

	for (i = 0; uri && i < n; i++)
		if (strcmp(table[i].uri, (const char *)uri) == 0)
			return &table[i];
	return NULL;
}

/* ---------------------------------------------------------------- results */

struct rd_verify_result {
	rd_sig_outcome o; /* status, message, warnings, chain, anchor (x509.c) */
	char *fields[RD_VERIFY_CHECKED_AT + 1];
};

static rd_verify_result *vr_new(void)
{
	rd_verify_result *r = rd__calloc(1, sizeof *r);

	if (r)
		r->o.status = -1;
	return r;
}

static void vr_set(rd_verify_result *r, rd_verify_field f, const char *value)
{
	if ((int)f < 1 || f > RD_VERIFY_CHECKED_AT)
		return;
	free(r->fields[f]);
	r->fields[f] = NULL;
	if (value && (r->fields[f] = rd__strdup(value)) == NULL)
		r->o.oom = 1;
}

/* Describe the signer's certificate into r: subject, issuer, serial, validity, key. */
static void describe_signer(rd_verify_result *r, X509 *cert)
{
	char *s, buf[96];

	s = rd__x509_name(X509_get_subject_name(cert));
	vr_set(r, RD_VERIFY_SUBJECT, s);
	free(s);
	s = rd__x509_name(X509_get_issuer_name(cert));
	vr_set(r, RD_VERIFY_ISSUER, s);
	free(s);
	s = rd__x509_serial(cert);
	vr_set(r, RD_VERIFY_SERIAL, s);
	free(s);
	rd__x509_asn1_time(X509_get0_notBefore(cert), buf);
	vr_set(r, RD_VERIFY_NOT_BEFORE, buf[0] ? buf : NULL);
	rd__x509_asn1_time(X509_get0_notAfter(cert), buf);
	vr_set(r, RD_VERIFY_NOT_AFTER, buf[0] ? buf : NULL);
	rd__x509_key_words(cert, buf, sizeof buf);
	vr_set(r, RD_VERIFY_KEY, buf);
}

/* ---------------------------------------------------------------- libxmlsec1 */

/* The first libxmlsec1 error of the current operation on this thread; active while one
 * of rahdari's operations runs on it. */
static _Thread_local struct {
	int active;
	int set;
	int reason;
	char msg[320];
} xs_error;

/* A rahdari operation begins (xs_begin) and ends (xs_end) on this thread. */
static void xs_begin(void)
{
	xs_error.active = 1;
	xs_error.set = 0;
	xs_error.reason = 0;
	xs_error.msg[0] = '\0';
}

static void xs_end(void)
{
	xs_error.active = 0;
}

/* libxmlsec1's error callback is process-wide. During rahdari's own operations on a
 * thread, the first error is kept for the message of the verdict and nothing is printed;
 * any other error (a host's own use of libxmlsec1) goes to libxmlsec1's default callback,
 * as if rahdari had installed none. */
static void on_xmlsec_error(const char *file, int line, const char *func, const char *object,
                            const char *subject, int reason, const char *msg)
{
	const char *r = NULL;
	size_t i, n;

	if (!xs_error.active) {
		xmlSecErrorsDefaultCallback(file, line, func, object, subject, reason, msg);
		return;
	}
	if (xs_error.set)
		return;
	xs_error.set = 1;
	xs_error.reason = reason;
	for (i = 0; xmlSecErrorsGetMsg(i) != NULL; i++)
		if (xmlSecErrorsGetCode(i) == reason)
			r = xmlSecErrorsGetMsg(i);
	snprintf(xs_error.msg, sizeof xs_error.msg, "%s", r ? r : "error");
	n = strlen(xs_error.msg);
	if (subject && n < sizeof xs_error.msg)
		snprintf(xs_error.msg + n, sizeof xs_error.msg - n, " (%s)", subject);
	n = strlen(xs_error.msg);
	if (msg && strcmp(msg, " ") != 0 && n < sizeof xs_error.msg)
		snprintf(xs_error.msg + n, sizeof xs_error.msg - n, ": %s", msg);
}

/* The one-time initialisation, under xs_lock. xs_state: 0 not done (or shut down), 1
 * ready, -1 failed (xs_why says why); read without the lock once it is not 0. */
static pthread_mutex_t xs_lock = PTHREAD_MUTEX_INITIALIZER;
static int xs_state;
static int xs_owned;        /* rahdari called xmlSecInit() */
static int xs_crypto_owned; /* rahdari initialised libxmlsec1's OpenSSL back end */
static char xs_why[256];

static int xs_setup(void)
{
	xmlSecPtrListPtr ids;

	if (xmlSecCheckVersion() != 1) {
		snprintf(xs_why, sizeof xs_why,
		         "libxmlsec1 %s was built for, but the library loaded is not compatible",
		         XMLSEC_VERSION);
		return -1;
	}
	/* the host program may have initialised libxmlsec1 (and its crypto) already */
	ids = xmlSecTransformIdsGet();
	if (!xmlSecPtrListIsValid(ids)) {
		if (xmlSecInit() < 0) {
			snprintf(xs_why, sizeof xs_why, "libxmlsec1 could not be initialised");
			return -1;
		}
		xs_owned = 1;
	}
	if (xmlSecTransformIdListFind(ids, xmlSecTransformRsaSha256Id) != 1) {
		if (xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0) {
			snprintf(xs_why, sizeof xs_why, "libxmlsec1's OpenSSL back end could not be initialised");
			return -1;
		}
		xs_crypto_owned = 1;
	}
	/* after xmlSecInit(), which installs the default (printing) callback */
	xmlSecErrorsSetCallback(on_xmlsec_error);
	ERR_clear_error();
	return 1;
}

int rd__xmlsec_init(void)
{
	int st = __atomic_load_n(&xs_state, __ATOMIC_ACQUIRE);

	if (st == 0) {
		rd__init();
		pthread_mutex_lock(&xs_lock);
		if (xs_state == 0)
			__atomic_store_n(&xs_state, xs_setup(), __ATOMIC_RELEASE);
		st = xs_state;
		pthread_mutex_unlock(&xs_lock);
	}
	if (st < 0)
		return rd__error_set(RD_ERROR, NULL, 0, 0, "%s", xs_why);
	return RD_OK;
}

void rd__xmlsec_shutdown(void)
{
	pthread_mutex_lock(&xs_lock);
	if (xs_state == 1) {
		xmlSecErrorsSetCallback(xmlSecErrorsDefaultCallback);
		if (xs_crypto_owned)
			xmlSecCryptoShutdown();
		if (xs_owned)
			xmlSecShutdown();
		ERR_clear_error();
	}
	xs_owned = xs_crypto_owned = 0;
	__atomic_store_n(&xs_state, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&xs_lock);
}

static int sig_init(void)
{
	return rd__xmlsec_init();
}

/* ---------------------------------------------------------------- the profile */

typedef struct profile {
	xmlNodePtr sig;
	xmlNodePtr signedinfo;
	xmlNodePtr sigvalue;
	xmlNodePtr keyinfo;
	xmlNodePtr ref;
	const alg *salg;
	const alg *dalg;
	xmlNodePtr certs[RD_MAX_CERTS];
	size_t ncerts;
	size_t comments; /* comments outside the signature */
} profile;

static int is_ds(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       xmlStrEqual(n->ns->href, (const xmlChar *)DS_NS) &&
	       (name == NULL || xmlStrEqual(n->name, (const xmlChar *)name));
}

static int blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static const char *el_name(const xmlNode *n)
{
	return n ? (const char *)n->name : "";
}

/* The element children of n, in order (at most max). Text between them must be white
 * space. Returns the count, or -1 (verdict set) when something else is there. */
static long kids(rd_verify_result *r, xmlNodePtr n, xmlNodePtr *out, size_t max)
{
	xmlNodePtr c;
	size_t k = 0;

	for (c = n->children; c; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (k == max) {
				rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
				               "%s (line %ld) has more child elements than the profile allows",
				               el_name(n), rd__node_line(n));
				return -1;
			}
			out[k++] = c;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (!blank(c->content)) {
				rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "%s (line %ld) holds text where only elements "
				               "belong", el_name(n), rd__node_line(n));
				return -1;
			}
			break;
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "%s (line %ld) holds a %s: the signature must hold none (comments and "
			               "processing instructions there are not signed)",
			               el_name(n), rd__node_line(n),
			               c->type == XML_COMMENT_NODE ? "comment" : "processing instruction");
			return -1;
		default:
			rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "%s (line %ld) holds an unexpected node",
			               el_name(n), rd__node_line(n));
			return -1;
		}
	}
	return (long)k;
}

/* The element holds text only (no child element, comment or processing instruction).
 * -1 with the verdict otherwise. */
static int text_only(rd_verify_result *r, xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			continue;
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "%s (line %ld) holds %s: it may hold only text (a comment or an element "
		               "there could hide part of the value from some readers, or be read as "
		               "content that nobody signed)",
		               el_name(n), rd__node_line(n),
		               c->type == XML_ELEMENT_NODE ? "an element"
		               : c->type == XML_COMMENT_NODE ? "a comment"
		               : c->type == XML_PI_NODE ? "a processing instruction"
		                                        : "a node other than text");
		return -1;
	}
	return 0;
}

/* An element's text, which must be its only content (no child element). NULL (verdict
 * set) otherwise. The caller frees it with xmlFree. */
static xmlChar *text_of(rd_verify_result *r, xmlNodePtr n)
{
	xmlChar *t;

	if (text_only(r, n) < 0)
		return NULL;
	t = xmlNodeGetContent(n);
	if (t == NULL)
		t = xmlStrdup((const xmlChar *)"");
	if (t == NULL)
		r->o.oom = 1;
	return t;
}

/* n must hold nothing but white space (no parameter element, no comment). -1 with the
 * verdict otherwise. */
static int leaf_el(rd_verify_result *r, xmlNodePtr n, const char *what)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && blank(c->content))
			continue;
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "%s (line %ld) has content or parameters: %s",
		               el_name(n), rd__node_line(n), what);
		return -1;
	}
	return 0;
}

/* Does the element carry only these attributes (a NULL-terminated list of names)? */
static int only_attrs(rd_verify_result *r, xmlNodePtr n, const char *const *allowed)
{
	xmlAttrPtr a;
	size_t i;

	for (a = n->properties; a; a = a->next) {
		int ok = 0;

		for (i = 0; allowed[i] && !ok; i++)
			if (a->ns == NULL && xmlStrEqual(a->name, (const xmlChar *)allowed[i]))
				ok = 1;
		if (!ok) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "%s (line %ld) has the attribute '%s', which the profile does not allow",
			               el_name(n), rd__node_line(n), (const char *)a->name);
			return -1;
		}
	}
	return 0;
}

static const char *const attrs_algorithm[] = { "Algorithm", NULL };
static const char *const attrs_id[] = { "Id", NULL };
static const char *const attrs_ref[] = { "Id", "URI", "Type", NULL };
static const char *const attrs_none[] = { NULL };

/* Check that n is the ds element `name`; verdict otherwise. */
static int expect(rd_verify_result *r, xmlNodePtr n, xmlNodePtr parent, const char *name)
{
	if (is_ds(n, name))
		return 0;
	if (n == NULL)
		rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "%s (line %ld) lacks its %s element", el_name(parent),
		               rd__node_line(parent), name);
	else
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "%s (line %ld) holds %s%s%s (line %ld) where the profile expects %s",
		               el_name(parent), rd__node_line(parent),
		               n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
		               n->ns && n->ns->prefix ? ":" : "", el_name(n), rd__node_line(n), name);
	return -1;
}

static int check_algorithm(rd_verify_result *r, xmlNodePtr n, const char *want, const char *what)
{
	xmlChar *a;
	int ok;

	if (only_attrs(r, n, attrs_algorithm) < 0)
		return -1;
	a = xmlGetNoNsProp(n, (const xmlChar *)"Algorithm");
	ok = a && strcmp((const char *)a, want) == 0;
	if (!ok) {
		if (a && strcmp((const char *)a, ALG_EXC_C14N_COMMENTS) == 0)
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "%s (line %ld) is exclusive C14N with comments: the profile requires "
			               "exclusive C14N without comments",
			               what, rd__node_line(n));
		else
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "%s (line %ld) is '%s': the profile requires %s",
			               what, rd__node_line(n), a ? (const char *)a : "(no Algorithm)", want);
	}
	xmlFree(a);
	return ok ? 0 : -1;
}

/* Is s (white space aside) an integer, as XML Schema writes one? */
static int integer_text(const xmlChar *s)
{
	size_t digits = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	return digits > 0 && blank(s);
}

/* Is s base64 (white space allowed), and not empty? */
static int base64_text(const xmlChar *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '+' || *s == '/' || *s == '='))
			return 0;
		n++;
	}
	return n > 0;
}

/* One child of X509Data. KeyInfo is outside SignedInfo, so nothing in it is signed: it
 * may hold the certificates and the standard's naming hints, each with text only and no
 * attribute, and nothing that a reader could take for content of the licence (an
 * element in the rahdari namespace inside X509SubjectName would otherwise be found by
 * every rule that reads the licence with "//"). -1 with the verdict. */
static int check_x509_child(rd_verify_result *r, xmlNodePtr n)
{
	xmlNodePtr c, k[3];
	xmlChar *t;
	long m;
	int ok;

	if (!is_ds(n, "X509Certificate") && !is_ds(n, "X509SubjectName") &&
	    !is_ds(n, "X509IssuerSerial") && !is_ds(n, "X509SKI")) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "X509Data holds %s (line %ld): the profile allows certificates (and "
		               "the naming hints X509IssuerSerial, X509SubjectName, X509SKI) only",
		               el_name(n), rd__node_line(n));
		return -1;
	}
	if (only_attrs(r, n, attrs_none) < 0)
		return -1;
	if (!is_ds(n, "X509IssuerSerial")) {
		/* a certificate's text is decoded later (decode_cert) */
		if (!is_ds(n, "X509SKI"))
			return text_only(r, n);
		if ((t = text_of(r, n)) == NULL)
			return -1;
		ok = base64_text(t);
		xmlFree(t);
		if (!ok)
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "X509SKI (line %ld) is not base64",
			               rd__node_line(n));
		return ok ? 0 : -1;
	}
	/* X509IssuerSerial: exactly X509IssuerName then X509SerialNumber */
	for (c = n->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !blank(c->content)) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "X509IssuerSerial (line %ld) holds text: it may hold only "
			               "X509IssuerName and X509SerialNumber",
			               rd__node_line(n));
			return -1;
		}
	}
	if ((m = kids(r, n, k, RD_ARRAY_LEN(k))) < 0)
		return -1;
	if (m != 2 || !is_ds(k[0], "X509IssuerName") || !is_ds(k[1], "X509SerialNumber")) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "X509IssuerSerial (line %ld) must hold exactly X509IssuerName then "
		               "X509SerialNumber",
		               rd__node_line(n));
		return -1;
	}
	if (only_attrs(r, k[0], attrs_none) < 0 || text_only(r, k[0]) < 0 ||
	    only_attrs(r, k[1], attrs_none) < 0 || (t = text_of(r, k[1])) == NULL)
		return -1;
	ok = integer_text(t);
	xmlFree(t);
	if (!ok)
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "X509SerialNumber (line %ld) is not an integer",
		               rd__node_line(k[1]));
	return ok ? 0 : -1;
}

/* Every ds:Signature of the tree, and the comments outside them. */
static void survey(xmlNodePtr n, xmlNodePtr *first, size_t *nsig, size_t *comments, int in_sig)
{
	for (; n; n = n->next) {
		if (n->type == XML_COMMENT_NODE && !in_sig)
			(*comments)++;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_ds(n, "Signature")) {
			if ((*nsig)++ == 0)
				*first = n;
		}
		survey(n->children, first, nsig, comments, in_sig || is_ds(n, "Signature"));
	}
}

/* Step 2, the profile, in the order of the checks; each step is 0, or -1 with the verdict
 * set. */

/* One ds:Signature in the whole document, a child of the root; no DOCTYPE. */
static int find_signature(rd_verify_result *r, xmlDocPtr doc, profile *p)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	size_t nsig = 0;

	survey(doc->children, &p->sig, &nsig, &p->comments, 0);
	if (nsig == 0) {
		rd__outcome_verdict(&r->o, RD_SIG_MISSING, "the document carries no XML Signature");
		return -1;
	}
	if (nsig > 1) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the document carries %zu XML Signatures: the profile allows exactly one, a "
		               "child of the root element",
		               nsig);
		return -1;
	}
	if (doc->intSubset || doc->extSubset) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the document has a DOCTYPE: a signed licence may have none (a DTD could "
		               "give its readers content or identifiers the signature does not cover)");
		return -1;
	}
	if (p->sig->parent != root) {
		int same = xmlStrEqual(p->sig->parent->name, root->name);

		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the signature (line %ld) is inside %s<%s> element (line %ld), not a child of "
		               "the root element <%s>: only a signature over the whole document is accepted",
		               rd__node_line(p->sig), same ? "a nested " : "the ", el_name(p->sig->parent),
		               rd__node_line(p->sig->parent), el_name(root));
		return -1;
	}
	return only_attrs(r, p->sig, attrs_id);
}

/* Signature: SignedInfo SignatureValue KeyInfo, and no ds:Object. */
static int check_signature_parts(rd_verify_result *r, profile *p)
{
	xmlNodePtr k[8];
	long n;
	size_t i;

	if ((n = kids(r, p->sig, k, RD_ARRAY_LEN(k))) < 0)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		if (is_ds(k[i], "Object")) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "the signature holds a ds:Object (line %ld): the profile allows none "
			               "(its content would not be covered by the signature)",
			               rd__node_line(k[i]));
			return -1;
		}
	}
	if (expect(r, n > 0 ? k[0] : NULL, p->sig, "SignedInfo") < 0 ||
	    expect(r, n > 1 ? k[1] : NULL, p->sig, "SignatureValue") < 0)
		return -1;
	if (n >= 3 && !is_ds(k[2], "KeyInfo")) {
		expect(r, k[2], p->sig, "KeyInfo");
		return -1;
	}
	if (n < 3) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the signature has no KeyInfo with the signer's certificate: the profile "
		               "requires an X.509 certificate chained to the trust store");
		return -1;
	}
	if (n > 3) {
		expect(r, k[3], p->sig, "nothing more");
		return -1;
	}
	p->signedinfo = k[0];
	p->sigvalue = k[1];
	p->keyinfo = k[2];
	return 0;
}

/* SignedInfo: exclusive C14N, an allowed SignatureMethod, exactly one Reference. */
static int check_signed_info(rd_verify_result *r, profile *p)
{
	xmlNodePtr si[8], parent = p->signedinfo;
	size_t i, nsi, nref = 0;
	long n;
	xmlChar *a;

	if (only_attrs(r, parent, attrs_id) < 0 || (n = kids(r, parent, si, RD_ARRAY_LEN(si))) < 0)
		return -1;
	nsi = (size_t)n;
	if (expect(r, nsi > 0 ? si[0] : NULL, parent, "CanonicalizationMethod") < 0 ||
	    expect(r, nsi > 1 ? si[1] : NULL, parent, "SignatureMethod") < 0)
		return -1;
	if (check_algorithm(r, si[0], ALG_EXC_C14N, "CanonicalizationMethod") < 0 ||
	    leaf_el(r, si[0], "the profile allows no InclusiveNamespaces or other parameter") < 0)
		return -1;
	if (only_attrs(r, si[1], attrs_algorithm) < 0 ||
	    leaf_el(r, si[1], "the profile allows no HMACOutputLength or other parameter") < 0)
		return -1;
	a = xmlGetNoNsProp(si[1], (const xmlChar *)"Algorithm");
	p->salg = find_alg(sig_algs, RD_ARRAY_LEN(sig_algs), a);
	if (p->salg == NULL) {
		int hmac = a && strstr((const char *)a, "hmac") != NULL;

		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the signature method '%s' is not allowed%s: the profile allows RSA and "
		               "ECDSA with SHA-256, SHA-384 or SHA-512",
		               a ? (const char *)a : "(no Algorithm)",
		               hmac ? " (an HMAC is made with a shared secret, not with a certificate)" : "");
		xmlFree(a);
		return -1;
	}
	xmlFree(a);
	vr_set(r, RD_VERIFY_SIGNATURE_METHOD, p->salg->uri);
	for (i = 2; i < nsi; i++) {
		if (!is_ds(si[i], "Reference")) {
			expect(r, si[i], parent, "Reference");
			return -1;
		}
		nref++;
	}
	if (nref != 1) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "SignedInfo holds %zu references: the profile requires exactly one, "
		               "URI=\"\" (the whole document)",
		               nref);
		return -1;
	}
	p->ref = si[2];
	return 0;
}

/* Transforms: enveloped-signature then exclusive C14N, and nothing else. */
static int check_transforms(rd_verify_result *r, xmlNodePtr transforms)
{
	xmlNodePtr tr[4];
	long n, i;

	if (only_attrs(r, transforms, attrs_none) < 0 ||
	    (n = kids(r, transforms, tr, RD_ARRAY_LEN(tr))) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (expect(r, tr[i], transforms, "Transform") < 0)
			return -1;
	if (n != 2) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the reference has %ld transform%s: the profile requires exactly two, "
		               "enveloped-signature then exclusive C14N",
		               n, n == 1 ? "" : "s");
		return -1;
	}
	if (leaf_el(r, tr[0], "the profile allows no XPath, InclusiveNamespaces or other "
	            "parameter") < 0 ||
	    leaf_el(r, tr[1], "the profile allows no XPath, InclusiveNamespaces or other "
	            "parameter") < 0)
		return -1;
	if (check_algorithm(r, tr[0], ALG_ENVELOPED, "the first transform") < 0 ||
	    check_algorithm(r, tr[1], ALG_EXC_C14N, "the second transform") < 0)
		return -1;
	return 0;
}

/* Reference: URI="", the transforms, an allowed DigestMethod, a DigestValue. */
static int check_reference(rd_verify_result *r, profile *p)
{
	xmlNodePtr rk[4];
	xmlChar *uri, *a;
	long n;
	int empty;

	if (only_attrs(r, p->ref, attrs_ref) < 0)
		return -1;
	uri = xmlGetNoNsProp(p->ref, (const xmlChar *)"URI");
	if (uri == NULL || uri[0] != '\0') {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the reference (line %ld) is %s%s%s: the profile requires URI=\"\", the whole "
		               "document (a reference to an element or to another resource could leave "
		               "the content rahdari reads unsigned)",
		               rd__node_line(p->ref), uri ? "URI=\"" : "without URI", uri ? (const char *)uri : "",
		               uri ? "\"" : "");
		xmlFree(uri);
		return -1;
	}
	xmlFree(uri);
	if ((n = kids(r, p->ref, rk, RD_ARRAY_LEN(rk))) < 0)
		return -1;
	if (n < 1 || !is_ds(rk[0], "Transforms")) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the reference (line %ld) has no transforms: the profile requires "
		               "enveloped-signature then exclusive C14N",
		               rd__node_line(p->ref));
		return -1;
	}
	if (expect(r, n > 1 ? rk[1] : NULL, p->ref, "DigestMethod") < 0 ||
	    expect(r, n > 2 ? rk[2] : NULL, p->ref, "DigestValue") < 0)
		return -1;
	if (n > 3) {
		expect(r, rk[3], p->ref, "nothing more");
		return -1;
	}
	if (check_transforms(r, rk[0]) < 0)
		return -1;
	if (only_attrs(r, rk[1], attrs_algorithm) < 0 ||
	    leaf_el(r, rk[1], "the profile allows no parameter") < 0)
		return -1;
	a = xmlGetNoNsProp(rk[1], (const xmlChar *)"Algorithm");
	p->dalg = find_alg(digest_algs, RD_ARRAY_LEN(digest_algs), a);
	if (p->dalg == NULL) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the digest method '%s' is not allowed: the profile allows SHA-256, SHA-384 "
		               "and SHA-512",
		               a ? (const char *)a : "(no Algorithm)");
		xmlFree(a);
		return -1;
	}
	xmlFree(a);
	vr_set(r, RD_VERIFY_DIGEST_METHOD, p->dalg->uri);
	if (only_attrs(r, rk[2], attrs_none) < 0 || (a = text_of(r, rk[2])) == NULL)
		return -1;
	empty = blank(a);
	xmlFree(a);
	if (empty) {
		rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "DigestValue (line %ld) is empty",
		                    rd__node_line(rk[2]));
		return -1;
	}
	return 0;
}

/* SignatureValue: text, not empty. */
static int check_signature_value(rd_verify_result *r, profile *p)
{
	xmlChar *a;
	int empty;

	if (only_attrs(r, p->sigvalue, attrs_id) < 0 || (a = text_of(r, p->sigvalue)) == NULL)
		return -1;
	empty = blank(a);
	xmlFree(a);
	if (empty) {
		rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "SignatureValue (line %ld) is empty",
		               rd__node_line(p->sigvalue));
		return -1;
	}
	return 0;
}

/* KeyInfo: one X509Data with certificates (and naming hints), no bare key. */
static int check_key_info(rd_verify_result *r, profile *p)
{
	xmlNodePtr ki[4], xd[RD_MAX_CERTS + 8], keyinfo = p->keyinfo;
	int has_x509 = 0, has_value = 0;
	size_t i;
	long n;

	if (only_attrs(r, keyinfo, attrs_id) < 0 || (n = kids(r, keyinfo, ki, RD_ARRAY_LEN(ki))) < 0)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		if (is_ds(ki[i], "X509Data"))
			has_x509++;
		else if (is_ds(ki[i], "KeyValue") || (ki[i]->ns && strstr((const char *)ki[i]->ns->href, "xmldsig11") &&
		                                      xmlStrEqual(ki[i]->name, (const xmlChar *)"DEREncodedKeyValue")))
			has_value++;
	}
	if (!has_x509 && has_value) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "KeyInfo gives a bare key (KeyValue) without certificate: anyone can "
		               "make such a signature; the profile requires the signer's X.509 "
		               "certificate");
		return -1;
	}
	if (n != 1 || has_x509 != 1) {
		xmlNodePtr other = NULL;

		for (i = 0; i < (size_t)n && other == NULL; i++)
			if (!is_ds(ki[i], "X509Data"))
				other = ki[i];
		if (other)
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "KeyInfo holds %s (line %ld): the profile allows only one X509Data "
			               "with the signer's certificate (no KeyValue, KeyName or "
			               "RetrievalMethod)",
			               el_name(other), rd__node_line(other));
		else
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "KeyInfo holds %zu X509Data elements: the profile allows one", n > 0 ? (size_t)n : 0);
		return -1;
	}
	if (only_attrs(r, ki[0], attrs_none) < 0 || (n = kids(r, ki[0], xd, RD_ARRAY_LEN(xd))) < 0)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		if (check_x509_child(r, xd[i]) < 0)
			return -1;
		if (is_ds(xd[i], "X509Certificate")) {
			if (p->ncerts == RD_MAX_CERTS) {
				rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "X509Data holds more than %d certificates",
				               RD_MAX_CERTS);
				return -1;
			}
			p->certs[p->ncerts++] = xd[i];
		}
	}
	if (p->ncerts == 0) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "X509Data holds no X509Certificate: the profile requires the signer's "
		               "certificate in the signature (it is never looked up elsewhere)");
		return -1;
	}
	return 0;
}

/* SHA-1 and MD5: refused, or accepted with warnings when weak algorithms are allowed. */
static int check_weak_methods(rd_verify_result *r, const profile *p, unsigned int flags)
{
	const char *which;

	if (!p->salg->weak && !p->dalg->weak)
		return 0;
	which = p->salg->weak ? p->salg->name : p->dalg->name;
	if (!(flags & RD_VERIFY_ALLOW_WEAK)) {
		rd__outcome_verdict(&r->o, RD_SIG_WEAK_ALGORITHM,
		               "the signature uses %s%s%s, which is no longer safe: the profile requires "
		               "SHA-256 or stronger",
		               which, p->salg->weak && p->dalg->weak ? " and " : "",
		               p->salg->weak && p->dalg->weak ? p->dalg->name : "");
		return -1;
	}
	if (p->salg->weak)
		rd__outcome_warn(&r->o, "the signature method %s is weak (accepted because weak algorithms "
		            "were allowed)", p->salg->name);
	if (p->dalg->weak)
		rd__outcome_warn(&r->o, "the digest method %s is weak (accepted because weak algorithms were "
		            "allowed)", p->dalg->name);
	return 0;
}

/* Step 2: the profile. 0, or -1 with the verdict set. */
static int check_profile(rd_verify_result *r, xmlDocPtr doc, unsigned int flags, profile *p)
{
	memset(p, 0, sizeof *p);
	if (find_signature(r, doc, p) < 0 || check_signature_parts(r, p) < 0 ||
	    check_signed_info(r, p) < 0 || check_reference(r, p) < 0 ||
	    check_signature_value(r, p) < 0 || check_key_info(r, p) < 0 ||
	    check_weak_methods(r, p, flags) < 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- certificates */

/* Decode one X509Certificate element. NULL (verdict set) when it is not one. */
static X509 *decode_cert(rd_verify_result *r, xmlNodePtr n, size_t index)
{
	xmlChar *text = text_of(r, n);
	unsigned char *bin = NULL;
	char *clean = NULL;
	const unsigned char *p;
	size_t i, k = 0, len, pad = 0;
	int dl;
	X509 *x = NULL;

	if (text == NULL)
		return NULL;
	len = strlen((const char *)text);
	clean = rd__malloc(len + 1);
	bin = rd__malloc(len + 1);
	if (clean == NULL || bin == NULL) {
		r->o.oom = 1;
		goto done;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			break;
		clean[k++] = (char)c;
	}
	if (i < len || k == 0 || k % 4 != 0 || k > (size_t)INT32_MAX)
		goto bad;
	while (pad < 2 && clean[k - 1 - pad] == '=')
		pad++;
	dl = EVP_DecodeBlock(bin, (const unsigned char *)clean, (int)k);
	if (dl < 0 || (size_t)dl < pad)
		goto bad;
	p = bin;
	x = d2i_X509(NULL, &p, (long)((size_t)dl - pad));
	if (x == NULL || p != bin + ((size_t)dl - pad)) {
		X509_free(x);
		x = NULL;
		goto bad;
	}
	goto done;
bad:
	rd__outcome_verdict(&r->o, RD_SIG_MALFORMED,
	               "X509Certificate %zu (line %ld) is not a base64 DER X.509 certificate", index + 1,
	               rd__node_line(n));
done:
	ERR_clear_error();
	free(clean);
	free(bin);
	xmlFree(text);
	return x;
}

/* The signer: the one certificate that issued no other of the set. -1 (verdict set). */
static int find_signer(rd_verify_result *r, X509 **certs, size_t n, size_t *signer)
{
	size_t i, j, found = 0;

	for (i = 0; i < n; i++) {
		int issuer = 0;

		for (j = 0; j < n && !issuer; j++)
			if (i != j && X509_check_issued(certs[i], certs[j]) == X509_V_OK)
				issuer = 1;
		if (!issuer) {
			if (found++ == 0)
				*signer = i;
		}
	}
	ERR_clear_error();
	if (found != 1) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "X509Data holds certificates that are not one chain (%zu of them could be "
		               "the signer's): the profile requires the signer's certificate and, "
		               "optionally, the CAs above it",
		               found);
		return -1;
	}
	return 0;
}

/* The key fits the method and is strong enough. -1 (verdict set). */
static int check_key(rd_verify_result *r, X509 *cert, const alg *salg, unsigned int flags)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	int id = pk ? EVP_PKEY_get_base_id(pk) : 0, bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	int kind = id == EVP_PKEY_RSA ? KEY_RSA : id == EVP_PKEY_EC ? KEY_EC : 0;

	if (kind == 0) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
		               "the signer's certificate has a %s key: the profile allows RSA and EC keys",
		               pk ? OBJ_nid2sn(id) : "unreadable");
		return -1;
	}
	if (kind != salg->key) {
		rd__outcome_verdict(&r->o, RD_SIG_BAD_SIGNATURE,
		               "the signature method is %s, but the signer's certificate has an %s key: "
		               "the signature cannot be this certificate's",
		               salg->name, kind == KEY_RSA ? "RSA" : "EC");
		return -1;
	}
	if ((kind == KEY_RSA && bits < 2048) || (kind == KEY_EC && bits < 256)) {
		if (!(flags & RD_VERIFY_ALLOW_WEAK)) {
			rd__outcome_verdict(&r->o, RD_SIG_WEAK_ALGORITHM,
			               "the signer's %s key has %d bits: the profile requires %s",
			               kind == KEY_RSA ? "RSA" : "EC", bits,
			               kind == KEY_RSA ? "2048 bits or more" : "256 bits or more");
			return -1;
		}
		rd__outcome_warn(&r->o, "the signer's %s key has only %d bits (accepted because weak algorithms "
		            "were allowed)", kind == KEY_RSA ? "RSA" : "EC", bits);
	}
	return 0;
}

/* ---------------------------------------------------------------- canonical form */

typedef struct c14n_ctx {
	xmlNodePtr sig;
} c14n_ctx;

static int c14n_visible(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	const c14n_ctx *c = data;
	xmlNodePtr n = (node && node->type != XML_NAMESPACE_DECL) ? node : parent;

	for (; n; n = n->parent)
		if (n == c->sig)
			return 0;
	return 1;
}

/* The exclusive canonical form (without comments) of the document without the signature:
 * what an enveloped signature over URI="" signs. */
static int c14n_without(xmlDocPtr doc, xmlNodePtr sig, xmlChar **out, int *len)
{
	c14n_ctx c = { sig };
	xmlOutputBufferPtr buf = xmlAllocOutputBuffer(NULL);
	int rc;

	*out = NULL;
	*len = 0;
	if (buf == NULL)
		return -1;
	rc = xmlC14NExecute(doc, c14n_visible, &c, XML_C14N_EXCLUSIVE_1_0, NULL, 0, buf);
	if (rc < 0 || buf->error) {
		xmlOutputBufferClose(buf);
		return -1;
	}
	*len = xmlOutputBufferGetSize(buf);
	*out = xmlStrndup(xmlOutputBufferGetContent(buf), *len);
	xmlOutputBufferClose(buf);
	return *out ? 0 : -1;
}

/* ---------------------------------------------------------------- verification */

static int enable_transforms(xmlSecDSigCtxPtr dsig, unsigned int flags)
{
	static const int ref_ids[] = { T_SHA256, T_SHA384, T_SHA512 };
	static const int sig_ids[] = { T_RSA_SHA256, T_RSA_SHA384, T_RSA_SHA512, T_ECDSA_SHA256,
	                               T_ECDSA_SHA384, T_ECDSA_SHA512 };
	static const int weak_ref[] = { T_SHA1, T_MD5 };
	static const int weak_sig[] = { T_RSA_SHA1, T_ECDSA_SHA1, T_RSA_MD5 };
	size_t i;
	int rc = 0;

	rc |= xmlSecDSigCtxEnableReferenceTransform(dsig, xmlSecTransformEnvelopedId);
	rc |= xmlSecDSigCtxEnableReferenceTransform(dsig, xmlSecTransformExclC14NId);
	rc |= xmlSecDSigCtxEnableSignatureTransform(dsig, xmlSecTransformExclC14NId);
	for (i = 0; i < RD_ARRAY_LEN(ref_ids); i++)
		rc |= xmlSecDSigCtxEnableReferenceTransform(dsig, transform_of(ref_ids[i]));
	for (i = 0; i < RD_ARRAY_LEN(sig_ids); i++)
		rc |= xmlSecDSigCtxEnableSignatureTransform(dsig, transform_of(sig_ids[i]));
	if (flags & RD_VERIFY_ALLOW_WEAK) {
		for (i = 0; i < RD_ARRAY_LEN(weak_ref); i++)
			rc |= xmlSecDSigCtxEnableReferenceTransform(dsig, transform_of(weak_ref[i]));
		for (i = 0; i < RD_ARRAY_LEN(weak_sig); i++)
			rc |= xmlSecDSigCtxEnableSignatureTransform(dsig, transform_of(weak_sig[i]));
	}
	return rc < 0 ? -1 : 0;
}

/* The reference's transforms were exactly enveloped, exclusive C14N (then the digest,
 * and what libxmlsec1 adds to store the data). */
static int transforms_as_profiled(xmlSecDSigReferenceCtxPtr ref, const alg *dalg)
{
	xmlSecTransformPtr t;
	int step = 0;

	for (t = ref->transformCtx.first; t; t = t->next) {
		if (t->id == xmlSecTransformMemBufId)
			continue;
		if (step == 0 && t->id == xmlSecTransformEnvelopedId)
			step = 1;
		else if (step == 1 && t->id == xmlSecTransformExclC14NId)
			step = 2;
		else if (step == 2 && t->id == transform_of(dalg->id))
			step = 3;
		else
			return 0;
	}
	return step == 3;
}

/* Steps 3 to 6 on a parsed document (a private one: libxmlsec1 may add ID attributes to
 * it). trust NULL: stop after the signature (for the check of a fresh signature). 0, or
 * -1 when memory ran out (error set). */
static int verify_tree(rd_verify_result *r, const rd_trust *trust, xmlDocPtr doc, time_t when,
                       unsigned int flags)
{
	profile p;
	X509 *certs[RD_MAX_CERTS];
	STACK_OF(X509) *others = NULL;
	size_t i, ncerts = 0, signer = 0;
	xmlSecDSigCtxPtr dsig = NULL;
	xmlSecKeyPtr key = NULL;
	xmlSecKeyDataPtr kd;
	EVP_PKEY *pk;
	char at[21];
	int rc;

	rd__x509_time_format(when, at);
	vr_set(r, RD_VERIFY_CHECKED_AT, at);
	if (check_profile(r, doc, flags, &p) < 0)
		goto done;
	for (i = 0; i < p.ncerts; i++) {
		certs[i] = decode_cert(r, p.certs[i], i);
		if (certs[i] == NULL)
			goto done;
		ncerts++;
	}
	if (find_signer(r, certs, ncerts, &signer) < 0)
		goto done;
	describe_signer(r, certs[signer]);
	if (check_key(r, certs[signer], p.salg, flags) < 0)
		goto done;

	/* step 4: libxmlsec1, with the certificate's key and nothing else */
	xs_begin();
	dsig = xmlSecDSigCtxCreate(NULL);
	if (dsig == NULL) {
		r->o.oom = 1;
		goto done;
	}
	dsig->flags |= XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
	dsig->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
	dsig->transformCtx.enabledUris = xmlSecTransformUriTypeEmpty;
	dsig->keyInfoReadCtx.certsVerificationTime = when;
	dsig->keyInfoReadCtx.maxRetrievalMethodLevel = 0;
	if (enable_transforms(dsig, flags) < 0 ||
	    xmlSecPtrListAdd(&dsig->keyInfoReadCtx.enabledKeyData, (xmlSecPtr)(uintptr_t)xmlSecKeyDataX509Id) < 0) {
		r->o.oom = 1;
		goto done;
	}
	pk = X509_get_pubkey(certs[signer]);
	kd = pk ? xmlSecOpenSSLEvpKeyAdopt(pk) : NULL;
	if (kd == NULL) {
		EVP_PKEY_free(pk);
		rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "the signer's certificate has a key libxmlsec1 cannot use");
		goto done;
	}
	key = xmlSecKeyCreate();
	if (key == NULL || xmlSecKeySetValue(key, kd) < 0) {
		xmlSecKeyDataDestroy(kd);
		r->o.oom = 1;
		goto done;
	}
	dsig->signKey = key;
	key = NULL; /* the context owns it now */
	rc = xmlSecDSigCtxVerify(dsig, p.sig);
	if (rc < 0) {
		rd__outcome_verdict(&r->o, RD_SIG_MALFORMED, "the signature could not be processed: %s",
		               xs_error.set ? xs_error.msg : "libxmlsec1 failed");
		goto done;
	}
	{
		xmlSecDSigReferenceCtxPtr ref = NULL;

		if (xmlSecPtrListGetSize(&dsig->signedInfoReferences) == 1)
			ref = xmlSecPtrListGetItem(&dsig->signedInfoReferences, 0);
		if (ref == NULL) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE, "libxmlsec1 did not process exactly one reference");
			goto done;
		}
		if (ref->status != xmlSecDSigStatusSucceeded) {
			rd__outcome_verdict(&r->o, RD_SIG_DIGEST_MISMATCH,
			               "the document was changed after it was signed: its digest (%s) is not "
			               "the one signed",
			               p.dalg->name);
			goto done;
		}
		if (dsig->status != xmlSecDSigStatusSucceeded) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_SIGNATURE,
			               "the signature value does not match: SignedInfo was changed, or the "
			               "signature was not made with the key of the certificate it carries "
			               "(%s)",
			               r->fields[RD_VERIFY_SUBJECT] ? r->fields[RD_VERIFY_SUBJECT] : "no subject");
			goto done;
		}
		/* step 5: what was signed is the whole document */
		if (ref->uri == NULL || ref->uri[0] != '\0' || !transforms_as_profiled(ref, p.dalg)) {
			rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
			               "libxmlsec1 processed the reference otherwise than the profile says");
			goto done;
		}
		{
			xmlSecBufferPtr pre = xmlSecDSigReferenceCtxGetPreDigestBuffer(ref);
			xmlChar *mine = NULL;
			int mlen = 0;

			if (c14n_without(doc, p.sig, &mine, &mlen) < 0) {
				r->o.oom = 1;
				goto done;
			}
			if (pre == NULL || (size_t)mlen != (size_t)xmlSecBufferGetSize(pre) ||
			    memcmp(mine, xmlSecBufferGetData(pre), (size_t)mlen) != 0) {
				xmlFree(mine);
				rd__outcome_verdict(&r->o, RD_SIG_BAD_PROFILE,
				               "what the reference signs is not the whole document without its "
				               "signature");
				goto done;
			}
			xmlFree(mine);
		}
	}
	if (p.comments)
		rd__outcome_warn(&r->o, "the document holds %zu comment%s: comments are not covered by the "
		            "signature (exclusive C14N without comments), so they may have been added or "
		            "changed after signing; nothing else was",
		            p.comments, p.comments == 1 ? "" : "s");

	/* step 6: the chain */
	if (trust != NULL) {
		others = sk_X509_new_null();
		if (others == NULL) {
			r->o.oom = 1;
			goto done;
		}
		for (i = 0; i < ncerts; i++)
			if (i != signer && !sk_X509_push(others, certs[i])) {
				r->o.oom = 1;
				goto done;
			}
		if (rd__trust_verify_chain(trust, certs[signer], others, when,
		                           (flags & RD_VERIFY_ALLOW_WEAK) ? 0 : RD_CHAIN_STRICT_KEYS,
		                           &r->o) < 0) {
			r->o.oom = 1;
			goto done;
		}
	}
	rd__outcome_verdict(&r->o, RD_SIG_OK, "verified: signed with %s over %s by %s%s%s", p.salg->name,
	               p.dalg->name,
	               r->fields[RD_VERIFY_SUBJECT] ? r->fields[RD_VERIFY_SUBJECT] : "(no subject)",
	               r->o.anchor ? ", whose chain ends at the trusted " : "",
	               r->o.anchor ? r->o.anchor : "");
done:
	xs_end();
	sk_X509_free(others);
	for (i = 0; i < ncerts; i++)
		X509_free(certs[i]);
	if (dsig)
		xmlSecDSigCtxDestroy(dsig);
	if (key)
		xmlSecKeyDestroy(key);
	ERR_clear_error();
	if (r->o.oom)
		return rd__error_oom();
	return 0;
}

int rd_licence_verify(rd_verify_result **out, const rd_trust *trust, const char *path,
                      const void *data, size_t len, const rd_verify_options *opts)
{
	rd_verify_options o = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *r = NULL;
	rd_limits lim;
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;
	char *owned = NULL, sha[65];
	const char *name;
	xmlDocPtr doc = NULL;
	time_t when;
	int rc;

	if (out == NULL || trust == NULL || (data == NULL && path == NULL))
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_licence_verify: out, trust and the document (data or path) must "
		                     "not be NULL");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_licence_verify", rd_verify_options, RD_VERIFY_OPTIONS_VERSION, opts);
	if (opts)
		o = *opts;
	if (o.as_of) {
		if (rd__x509_time_parse(o.as_of, &when) < 0)
			return rd__error_set(RD_EINVAL, NULL, 0, 0,
			                     "as-of '%s' is not a date (YYYY-MM-DD) or a UTC time "
			                     "(YYYY-MM-DDTHH:MM:SSZ)",
			                     o.as_of);
	} else {
		when = time(NULL);
	}
	rc = sig_init();
	if (rc != RD_OK)
		return rc;
	lo.max_bytes = o.max_bytes;
	rd__limits_from(&lim, &lo);
	name = path ? path : "<memory>";
	if (data == NULL) {
		rc = rd__file_read_as(path, lim.max_bytes, RD_READ_XML, &owned, &len);
		if (rc != RD_OK)
			return rc;
		data = owned;
	}
	rc = rd__xml_parse(&doc, data, len, name, &lim);
	if (rc != RD_OK)
		goto done;
	r = vr_new();
	if (r == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	vr_set(r, RD_VERIFY_DOCUMENT, name);
	rd__x509_sha256_hex(data, len, sha);
	vr_set(r, RD_VERIFY_SHA256, sha);
	rc = verify_tree(r, trust, doc, when, o.flags);
	if (rc == RD_OK && r->o.oom)
		rc = rd__error_oom();
	if (rc != RD_OK)
		goto done;
	*out = r;
	r = NULL;
done:
	rd_verify_result_free(r);
	xmlFreeDoc(doc);
	free(owned);
	return rc;
}

/* ---------------------------------------------------------------- signing */

static int add_cert_element(xmlNodePtr x509data, X509 *cert)
{
	unsigned char *der = NULL;
	int dlen = i2d_X509(cert, &der), elen;
	unsigned char *b64;
	rd_buf text;
	xmlNodePtr n;
	int i;

	if (dlen <= 0)
		return -1;
	b64 = rd__malloc((size_t)dlen / 3 * 4 + 8);
	if (b64 == NULL) {
		OPENSSL_free(der);
		return -1;
	}
	elen = EVP_EncodeBlock(b64, der, dlen);
	OPENSSL_free(der);
	rd__buf_init(&text);
	rd__buf_putc(&text, '\n');
	for (i = 0; i < elen; i += 64) {
		rd__buf_add(&text, (const char *)b64 + i, (size_t)(elen - i < 64 ? elen - i : 64));
		rd__buf_putc(&text, '\n');
	}
	free(b64);
	n = text.oom ? NULL : xmlSecAddChild(x509data, (const xmlChar *)"X509Certificate", xmlSecDSigNs);
	if (n)
		xmlNodeAddContent(n, (const xmlChar *)text.data);
	rd__buf_free(&text);
	return n ? 0 : -1;
}

int rd_licence_sign(char **out, size_t *out_len, const char *path, const void *data,
                    size_t len, const rd_sign_options *opts)
{
	rd_limits lim;
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;
	const char *name;
	char *owned = NULL;
	xmlDocPtr doc = NULL, check = NULL;
	xmlNodePtr root, sig = NULL, ref, keyinfo, x509data, first = NULL;
	EVP_PKEY *pk = NULL;
	STACK_OF(X509) *certs = NULL;
	xmlSecDSigCtxPtr dsig = NULL;
	xmlSecKeyDataPtr kd;
	xmlSecKeyPtr key = NULL;
	xmlChar *mem = NULL;
	int memlen = 0, rc, i, kind;
	size_t nsig = 0, comments = 0;
	rd_verify_result *vr = NULL;

	if (out == NULL || out_len == NULL || opts == NULL || (data == NULL && path == NULL))
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_licence_sign: out, out_len, opts and the document must not be NULL");
	*out = NULL;
	*out_len = 0;
	RD__CHECK_OPTIONS("rd_licence_sign", rd_sign_options, RD_SIGN_OPTIONS_VERSION, opts);
	if (opts->key == NULL || opts->cert == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_licence_sign: the signer's key and certificate are required");
	rc = sig_init();
	if (rc != RD_OK)
		return rc;
	lo.max_bytes = opts->max_bytes;
	rd__limits_from(&lim, &lo);
	name = path ? path : "<memory>";

	/* the signer */
	certs = sk_X509_new_null();
	if (certs == NULL)
		return rd__error_oom();
	rc = rd__x509_load_key(&pk, opts->key, opts->key_password);
	if (rc == RD_OK)
		rc = rd__x509_load_file(opts->cert, certs, NULL, "certificate");
	/* the signer's certificate is the first of its file; the others go */
	while (rc == RD_OK && sk_X509_num(certs) > 1)
		X509_free(sk_X509_pop(certs));
	if (rc == RD_OK && opts->chain)
		rc = rd__x509_load_file(opts->chain, certs, NULL, "certificate chain");
	if (rc != RD_OK)
		goto done;
	if (!X509_check_private_key(sk_X509_value(certs, 0), pk)) {
		ERR_clear_error();
		rc = rd__error_set(RD_EINVAL, opts->key, 0, 0,
		                   "%s: the key does not belong to the certificate %s", opts->key,
		                   opts->cert);
		goto done;
	}
	kind = EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA ? KEY_RSA
	       : EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC ? KEY_EC : 0;
	if (kind == 0 || (kind == KEY_RSA && EVP_PKEY_get_bits(pk) < 2048) ||
	    (kind == KEY_EC && EVP_PKEY_get_bits(pk) < 256)) {
		rc = rd__error_set(RD_EINVAL, opts->key, 0, 0,
		                   "%s: the key (%s, %d bits) cannot sign a licence: use RSA of 2048 bits "
		                   "or more, or EC of 256 bits or more",
		                   opts->key, kind == KEY_RSA ? "RSA" : kind == KEY_EC ? "EC" : OBJ_nid2sn(EVP_PKEY_get_base_id(pk)),
		                   EVP_PKEY_get_bits(pk));
		goto done;
	}

	/* the document */
	if (data == NULL) {
		rc = rd__file_read_as(path, lim.max_bytes, RD_READ_XML, &owned, &len);
		if (rc != RD_OK)
			goto done;
		data = owned;
	}
	rc = rd__xml_parse(&doc, data, len, name, &lim);
	if (rc != RD_OK)
		goto done;
	root = xmlDocGetRootElement(doc);
	survey(doc->children, &first, &nsig, &comments, 0);
	if (nsig) {
		rc = rd__error_set(RD_EINVAL, name, rd__node_line(first), 0,
		                   "%s:%ld: the document is signed already (remove its ds:Signature to "
		                   "sign it again)",
		                   name, rd__node_line(first));
		goto done;
	}
	if (doc->intSubset || doc->extSubset) {
		rc = rd__error_set(RD_EINVAL, name, 0, 0,
		                   "%s: the document has a DOCTYPE, which a signed licence may not have",
		                   name);
		goto done;
	}

	/* the template: the profile's algorithms, as the last child of the root */
	sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId,
	                                      kind == KEY_RSA ? xmlSecTransformRsaSha256Id
	                                                      : xmlSecTransformEcdsaSha256Id,
	                                      NULL, (const xmlChar *)"ds");
	if (sig == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	if (xmlAddChild(root, sig) == NULL) {
		xmlFreeNode(sig);
		rc = rd__error_oom();
		goto done;
	}
	xmlAddNextSibling(sig, xmlNewDocText(doc, (const xmlChar *)"\n"));
	ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL,
	                                      (const xmlChar *)"", NULL);
	if (ref == NULL || xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == NULL ||
	    xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	{
		EVP_PKEY *dup = EVP_PKEY_dup(pk);

		kd = dup ? xmlSecOpenSSLEvpKeyAdopt(dup) : NULL;
		if (kd == NULL) {
			EVP_PKEY_free(dup);
			rc = rd__error_set(RD_ERROR, opts->key, 0, 0, "%s: libxmlsec1 cannot use this key",
			                   opts->key);
			goto done;
		}
	}
	key = xmlSecKeyCreate();
	if (key == NULL || xmlSecKeySetValue(key, kd) < 0) {
		xmlSecKeyDataDestroy(kd);
		rc = rd__error_oom();
		goto done;
	}
	xs_begin();
	dsig = xmlSecDSigCtxCreate(NULL);
	if (dsig == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	dsig->signKey = key;
	key = NULL;
	dsig->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
	if (xmlSecDSigCtxSign(dsig, sig) < 0 || dsig->status != xmlSecDSigStatusSucceeded) {
		rc = rd__error_set(RD_ERROR, name, 0, 0, "%s: the signing failed: %s", name,
		                   xs_error.set ? xs_error.msg : "libxmlsec1 failed");
		goto done;
	}
	/* KeyInfo is outside SignedInfo: the certificates go in after the signing */
	keyinfo = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
	x509data = keyinfo ? xmlSecTmplKeyInfoAddX509Data(keyinfo) : NULL;
	if (x509data == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	for (i = 0; i < sk_X509_num(certs); i++) {
		if (add_cert_element(x509data, sk_X509_value(certs, i)) < 0) {
			rc = rd__error_oom();
			goto done;
		}
	}
	xmlDocDumpMemoryEnc(doc, &mem, &memlen, "UTF-8");
	if (mem == NULL || memlen <= 0) {
		rc = rd__error_oom();
		goto done;
	}

	/* the result must verify (all but the trust) as it will be read */
	rc = rd__xml_parse(&check, (const char *)mem, (size_t)memlen, name, &lim);
	if (rc != RD_OK)
		goto done;
	vr = vr_new();
	if (vr == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	rc = verify_tree(vr, NULL, check, time(NULL), 0);
	if (rc != RD_OK)
		goto done;
	if (vr->o.status != RD_SIG_OK) {
		rc = rd__error_set(RD_ERROR, name, 0, 0, "%s: the new signature does not verify: %s", name,
		                   vr->o.message ? vr->o.message : "?");
		goto done;
	}
	*out = rd__malloc((size_t)memlen + 1);
	if (*out == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	memcpy(*out, mem, (size_t)memlen);
	(*out)[memlen] = '\0';
	*out_len = (size_t)memlen;
	rc = RD_OK;
done:
	xs_end();
	rd_verify_result_free(vr);
	xmlFree(mem);
	xmlFreeDoc(check);
	if (dsig)
		xmlSecDSigCtxDestroy(dsig);
	if (key)
		xmlSecKeyDestroy(key);
	xmlFreeDoc(doc);
	EVP_PKEY_free(pk);
	sk_X509_pop_free(certs, X509_free);
	free(owned);
	ERR_clear_error();
	return rc;
}

/* ---------------------------------------------------------------- results, public */

int rd_verify_result_ok(const rd_verify_result *r)
{
	return r && r->o.status == RD_SIG_OK;
}

int rd_verify_result_status(const rd_verify_result *r)
{
	return r ? r->o.status : RD_SIG_MALFORMED;
}

const char *rd_verify_result_message(const rd_verify_result *r)
{
	return r ? (r->o.message ? r->o.message : "") : NULL;
}

const char *rd_verify_result_get(const rd_verify_result *r, rd_verify_field field)
{
	if (r == NULL || (int)field < 1 || field > RD_VERIFY_CHECKED_AT)
		return NULL;
	return field == RD_VERIFY_ANCHOR ? r->o.anchor : r->fields[field];
}

size_t rd_verify_result_warning_count(const rd_verify_result *r)
{
	return r ? r->o.nwarnings : 0;
}

const char *rd_verify_result_warning(const rd_verify_result *r, size_t i)
{
	return r && i < r->o.nwarnings ? r->o.warnings[i] : NULL;
}

size_t rd_verify_result_chain_count(const rd_verify_result *r)
{
	return r ? r->o.nchain : 0;
}

const char *rd_verify_result_chain(const rd_verify_result *r, size_t i)
{
	return r && i < r->o.nchain ? r->o.chain[i] : NULL;
}

void rd_verify_result_free(rd_verify_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	rd__outcome_clear(&r->o);
	for (i = 0; i < RD_ARRAY_LEN(r->fields); i++)
		free(r->fields[i]);
	free(r);
}

/* ---------------------------------------------------------------- for the evaluator */

int rd__licence_verify_doc(rd_verify_result **out, const rd_trust *trust, xmlDocPtr doc,
                           time_t when)
{
	rd_verify_result *r;
	int rc;

	*out = NULL;
	rc = sig_init();
	if (rc != RD_OK)
		return rc;
	r = vr_new();
	if (r == NULL)
		return rd__error_oom();
	rc = verify_tree(r, trust, doc, when, 0);
	if (rc == RD_OK && r->o.oom)
		rc = rd__error_oom();
	if (rc != RD_OK) {
		rd_verify_result_free(r);
		return rc;
	}
	*out = r;
	return RD_OK;
}
