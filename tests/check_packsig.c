/* rahdari tests: detached CMS signatures of packs, directories and files (packsig.h).
 *
 * The manifest's exact format and what it refuses; signing and verifying small packs
 * written for each test; every verdict (unsigned, bad signature, weak, untrusted,
 * expired, revoked, bad manifest, altered) with signatures made by rahdari and by the
 * openssl command; what signing refuses; trust stores and CRLs; and rules loaded only
 * when signed (rd_rules_load_signed), overlays and includes included. The certificates
 * come from tests/packsig_pki.sh, run once; the suite is skipped without openssl.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char *pki; /* the test PKI's directory */

/* ---------------------------------------------------------------- helpers */

/* A file of the PKI (a few rotating buffers: valid until eight calls later). */
static const char *pk(const char *name)
{
	static char bufs[8][1024];
	static unsigned next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof bufs[0], "%s/%s", pki, name);
	return b;
}

static char *pjoin(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Write dir/name, making dir (one level) and name's directories. */
static void put(const char *dir, const char *name, const char *content)
{
	mkdir(dir, 0700);
	free(tu_write(dir, name, content));
}

static void append(const char *dir, const char *name, const char *text)
{
	char *p = pjoin(dir, name);
	FILE *f = fopen(p, "ab");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void removef(const char *dir, const char *name)
{
	char *p = pjoin(dir, name);

	ck_assert_int_eq(unlink(p), 0);
	free(p);
}

static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int shell(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A small pack: a manifest, a schema with an include and a table. */
static void write_pack(const char *dir)
{
	put(dir, "pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='tiny' version='1.0'>"
	    "<schema href='main.sch'/></pack>");
	put(dir, "main.sch",
	    "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'"
	    " xmlns:rd='urn:rahdari:rules:1' queryBinding='xslt'>"
	    "<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
	    "<rd:table name='codes' href='tables/codes.csv'/>"
	    "<sch:include href='parts/part.sch'/>"
	    "</sch:schema>");
	put(dir, "parts/part.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='p'>"
	    "<sch:rule context='/*'>"
	    "<sch:assert id='T-1' test=\"fn:in-table('codes', 'code', local-name())\">"
	    "unknown root</sch:assert></sch:rule></sch:pattern>");
	put(dir, "tables/codes.csv", "code\nbooking\n");
}

/* A new directory holding a small pack. Caller frees (and removes with tu_rmtree). */
static char *new_pack(void)
{
	char *t = tu_tmpdir(), *d = pjoin(t, "pack");

	free(t);
	write_pack(d);
	return d;
}

static void remove_pack(char *dir)
{
	char *parent = strdup(dir), *slash;

	ck_assert_ptr_nonnull(parent);
	slash = strrchr(parent, '/');
	*slash = '\0';
	tu_rmtree(parent);
	free(parent);
	free(dir);
}

/* rahdari signs with the PKI's NAME.key and NAME.pem. */
static int sign_as(const char *path, const char *name)
{
	rd_pack_sign_options so = RD_PACK_SIGN_OPTIONS_INIT;
	char key[1100], cert[1100];

	snprintf(key, sizeof key, "%s/%s.key", pki, name);
	snprintf(cert, sizeof cert, "%s/%s.pem", pki, name);
	so.key = key;
	so.cert = cert;
	return rd_pack_sign(path, &so);
}

static void sign_ok(const char *path, const char *name)
{
	int rc = sign_as(path, name);

	ck_assert_msg(rc == RD_OK, "sign %s as %s: %s", path, name, rd_error_last()->message);
}

/* openssl signs dir/SIGNED-FILES as NAME, with extra options. */
static void osign(const char *dir, const char *name, const char *extra)
{
	int rc = shell("openssl cms -sign -binary -outform DER -in '%s/SIGNED-FILES' -out '%s/pack.sig'"
	               " -signer '%s/%s.pem' -inkey '%s/%s.key' %s 2>/dev/null",
	               dir, dir, pki, name, pki, name, extra ? extra : "");

	ck_assert_msg(rc == 0, "openssl cms -sign as %s failed", name);
}

/* Write dir/SIGNED-FILES with rd_pack_manifest. */
static void write_manifest(const char *dir)
{
	char *m = NULL;
	size_t len = 0;
	int rc = rd_pack_manifest(&m, &len, dir);
	char *p;
	FILE *f;

	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	p = pjoin(dir, "SIGNED-FILES");
	f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(m, 1, len, f), len);
	fclose(f);
	free(p);
	rd_free(m);
}

/* A trust store of trust, with crl when not NULL; it must load. */
static rd_trust *store_of(const char *trust, const char *crl)
{
	rd_trust *t = NULL;

	ck_assert_msg(rd_trust_load(&t, trust) == RD_OK, "%s: %s", trust, rd_error_last()->message);
	if (crl)
		ck_assert_msg(rd_trust_add_crl(t, crl) == RD_OK, "%s: %s", crl, rd_error_last()->message);
	return t;
}

/* Verify with trust, crl and as_of; the verification must run. */
static rd_pack_verification *verify_with(const char *path, const char *trust, const char *crl,
                                         const char *as_of)
{
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_pack_verification *v = NULL;
	rd_trust *t = store_of(trust, crl);
	int rc;

	vo.as_of = as_of;
	rc = rd_pack_verify(&v, t, path, &vo);
	rd_trust_free(t);
	ck_assert_msg(rc == RD_OK, "verify %s: %s", path, rd_error_last()->message);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(rd_pack_verification_get(v, RD_PACK_MESSAGE));
	return v;
}

/* The status of a verification against the root CA; the message must contain sub. */
static void expect(const char *path, const char *crl, const char *as_of, int status,
                   const char *sub)
{
	rd_pack_verification *v = verify_with(path, pk("ca.pem"), crl, as_of);
	const char *msg = rd_pack_verification_get(v, RD_PACK_MESSAGE);

	ck_assert_msg(rd_pack_verification_status(v) == status, "%s: expected %s, got %s: %s", path,
	              rd_sig_status_name(status), rd_sig_status_name(rd_pack_verification_status(v)),
	              msg);
	if (sub)
		ck_assert_contains(msg, sub);
	rd_pack_verification_free(v);
}

/* ---------------------------------------------------------------- the manifest */

START_TEST(test_manifest_exact)
{
	char *t = tu_tmpdir(), *m = NULL;
	size_t len = 0;
	const char *expected =
	    "rahdari-signed-files 1\n"
	    "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 6 A.txt\n"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 a/x.csv\n"
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 b.txt\n"
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 link.txt\n"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 sub/.keep\n"
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 sub/SIGNED-FILES\n";
	char *link;

	put(t, "b.txt", "abc");
	put(t, "A.txt", "hello\n");
	put(t, "a/x.csv", "");
	put(t, "sub/.keep", "");
	put(t, "sub/SIGNED-FILES", "abc");      /* only the top-level ones are left out */
	put(t, "SIGNED-FILES", "old manifest"); /* left out */
	put(t, "pack.sig", "old signature");    /* left out */
	link = pjoin(t, "link.txt");
	ck_assert_int_eq(symlink("b.txt", link), 0); /* a link inside: its target's bytes */
	free(link);
	ck_assert_int_eq(rd_pack_manifest(&m, &len, t), RD_OK);
	ck_assert_uint_eq(len, strlen(expected));
	ck_assert_str_eq(m, expected);
	rd_free(m);
	tu_rmtree(t);
	free(t);
}
END_TEST

/* rd_pack_manifest(dir) must fail with code, naming sub. */
static void manifest_fails(const char *dir, int code, const char *sub)
{
	static char dummy[] = "x";
	char *m = dummy;
	size_t len = 1;
	int rc = rd_pack_manifest(&m, &len, dir);

	ck_assert_msg(rc == code, "%s: expected %s, got %s: %s", dir, rd_status_name(code),
	              rd_status_name(rc), rd_error_last()->message);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(len, 0);
	if (sub)
		ck_assert_contains(rd_error_last()->message, sub);
}

START_TEST(test_manifest_refusals)
{
	char *t = tu_tmpdir(), *d = pjoin(t, "d"), *p;
	char *m = NULL;
	size_t len;

	put(d, "ok.txt", "ok");
	put(t, "outside.txt", "secret");
	put(d, "a b.txt", "x");
	manifest_fails(d, RD_EUNSAFE, "a b.txt: refused: a name with characters");
	removef(d, "a b.txt");
	put(d, "caf\xc3\xa9.txt", "x");
	manifest_fails(d, RD_EUNSAFE, "caf\\xc3\\xa9.txt: refused");
	removef(d, "caf\xc3\xa9.txt");
	p = pjoin(d, "out.txt");
	ck_assert_int_eq(symlink("../outside.txt", p), 0);
	manifest_fails(d, RD_EUNSAFE, "out.txt: refused: a symbolic link leading out of the pack");
	unlink(p);
	ck_assert_int_eq(symlink("nowhere", p), 0);
	manifest_fails(d, RD_EUNSAFE, "leads nowhere");
	unlink(p);
	ck_assert_int_eq(symlink(".", p), 0);
	manifest_fails(d, RD_EUNSAFE, "a symbolic link to a directory");
	unlink(p);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	manifest_fails(d, RD_EUNSAFE, "not a regular file");
	unlink(p);
	free(p);
	ck_assert_int_eq(rd_pack_manifest(&m, &len, d), RD_OK);
	rd_free(m);
	p = pjoin(t, "empty");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	manifest_fails(p, RD_EINVAL, "no file to sign");
	free(p);
	p = pjoin(t, "nothing");
	manifest_fails(p, RD_ENOTFOUND, NULL);
	free(p);
	p = pjoin(t, "outside.txt");
	manifest_fails(p, RD_EINVAL, "not a directory");
	free(p);
	ck_assert_int_eq(rd_pack_manifest(NULL, &len, d), RD_EINVAL);
	ck_assert_int_eq(rd_pack_manifest(&m, NULL, d), RD_EINVAL);
	ck_assert_int_eq(rd_pack_manifest(&m, &len, NULL), RD_EINVAL);
	tu_rmtree(t);
	free(t);
	free(d);
}
END_TEST

/* ---------------------------------------------------------------- round trip */

START_TEST(test_sign_verify)
{
	char *d = new_pack(), *pxml = pjoin(d, "pack.xml");
	rd_pack_verification *v;

	sign_ok(d, "signer");
	v = verify_with(d, pk("ca.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	ck_assert_uint_eq(rd_pack_verification_file_count(v), 4);
	ck_assert_uint_eq(rd_pack_verification_problem_count(v), 0);
	ck_assert_str_eq(rd_pack_verification_get(v, RD_PACK_PATH), d);
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_MESSAGE), "verified: 4 files signed by");
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_SIGNER), "CN=Rule Pack Signer");
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_ISSUER), "CN=Test Root CA");
	ck_assert_ptr_nonnull(rd_pack_verification_get(v, RD_PACK_SERIAL));
	ck_assert_str_eq(rd_pack_verification_get(v, RD_PACK_NOT_BEFORE), "2020-01-01T00:00:00Z");
	ck_assert_str_eq(rd_pack_verification_get(v, RD_PACK_NOT_AFTER), "2099-12-31T23:59:59Z");
	ck_assert_ptr_nonnull(rd_pack_verification_get(v, RD_PACK_SIGNING_TIME));
	ck_assert_str_eq(rd_pack_verification_get(v, RD_PACK_DIGEST), "SHA256");
	ck_assert_uint_eq(strlen(rd_pack_verification_get(v, RD_PACK_CHECKED_AT)), 20);
	ck_assert_ptr_null(rd_pack_verification_problem(v, 0, NULL, NULL));
	rd_pack_verification_free(v);
	/* the pack.xml names its pack; the root as a directory; the signer's own certificate */
	expect(pxml, NULL, NULL, RD_SIG_OK, NULL);
	v = verify_with(d, pk("trustdir"), pk("crl.pem"), NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	rd_pack_verification_free(v);
	v = verify_with(d, pk("signer.pem"), NULL, "2030-06-30T12:00:00Z");
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	ck_assert_str_eq(rd_pack_verification_get(v, RD_PACK_CHECKED_AT), "2030-06-30T12:00:00Z");
	rd_pack_verification_free(v);
	/* signing again replaces both files; openssl agrees */
	sign_ok(pxml, "rsa");
	expect(d, pk("crl.der"), NULL, RD_SIG_OK, "RSA Signer");
	ck_assert_int_eq(shell("openssl cms -verify -binary -inform DER -content '%s/SIGNED-FILES'"
	                       " -in '%s/pack.sig' -CAfile '%s' -purpose any -out /dev/null 2>/dev/null",
	                       d, d, pk("ca.pem")),
	                 0);
	free(pxml);
	remove_pack(d);
}
END_TEST

START_TEST(test_openssl_signs)
{
	char *d = new_pack();

	write_manifest(d);
	osign(d, "signer", "-md sha256");
	expect(d, NULL, NULL, RD_SIG_OK, NULL);
	osign(d, "signer", "-md sha384");
	expect(d, NULL, NULL, RD_SIG_OK, NULL);
	osign(d, "chained", "-certfile \"$RD_PKI/inter.pem\"");
	expect(d, NULL, NULL, RD_SIG_OK, "Chained Signer");
	osign(d, "signer", "-nodetach");
	expect(d, NULL, NULL, RD_SIG_BAD_SIGNATURE, "not a detached signature");
	remove_pack(d);
}
END_TEST

/* ---------------------------------------------------------------- alterations */

START_TEST(test_altered)
{
	char *d = new_pack(), *p;
	rd_pack_verification *v;
	const char *detail, *file;
	int kind;

	sign_ok(d, "signer");
	append(d, "main.sch", " ");
	put(d, "tables/extra.csv", "code\n");
	put(d, "new/dir/x", "");
	put(d, "odd\nname", "");
	removef(d, "parts/part.sch");
	p = pjoin(d, "tables/codes.csv");
	ck_assert_int_eq(truncate(p, 0), 0);
	put(d, "tables/codes.csv", "code\nbookinG\n"); /* same size, other bytes */
	free(p);
	v = verify_with(d, pk("ca.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_DIGEST_MISMATCH);
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_MESSAGE),
	                   "altered: 6 files differ from the signed manifest");
	ck_assert_uint_eq(rd_pack_verification_problem_count(v), 6);
	/* in the order of the names */
	file = rd_pack_verification_problem(v, 0, &kind, &detail);
	ck_assert_str_eq(file, "main.sch");
	ck_assert_int_eq(kind, RD_PACK_FILE_CHANGED);
	ck_assert_contains(detail, "digest mismatch: 254 bytes now, 253 when signed");
	file = rd_pack_verification_problem(v, 1, &kind, &detail);
	ck_assert_str_eq(file, "new/dir/x");
	ck_assert_int_eq(kind, RD_PACK_FILE_ADDED);
	ck_assert_str_eq(detail, "file added: not in the signed manifest");
	file = rd_pack_verification_problem(v, 2, &kind, &detail);
	ck_assert_str_eq(file, "odd\\x0aname");
	ck_assert_int_eq(kind, RD_PACK_FILE_REFUSED);
	ck_assert_contains(detail, "file added, and refused: a name with characters");
	file = rd_pack_verification_problem(v, 3, &kind, &detail);
	ck_assert_str_eq(file, "parts/part.sch");
	ck_assert_int_eq(kind, RD_PACK_FILE_MISSING);
	ck_assert_contains(detail, "file missing");
	file = rd_pack_verification_problem(v, 4, &kind, &detail);
	ck_assert_str_eq(file, "tables/codes.csv");
	ck_assert_int_eq(kind, RD_PACK_FILE_CHANGED);
	ck_assert_contains(detail, "digest mismatch: SHA-256");
	file = rd_pack_verification_problem(v, 5, &kind, NULL);
	ck_assert_str_eq(file, "tables/extra.csv");
	ck_assert_int_eq(kind, RD_PACK_FILE_ADDED);
	ck_assert_ptr_null(rd_pack_verification_problem(v, 6, &kind, &detail));
	ck_assert_int_eq(kind, 0);
	ck_assert_ptr_null(detail);
	/* the signature itself is still good */
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_SIGNER), "Rule Pack Signer");
	rd_pack_verification_free(v);
	remove_pack(d);
}
END_TEST

START_TEST(test_unsigned_and_bad_signature)
{
	char *d = new_pack(), *p;
	rd_pack_verification *v;

	expect(d, NULL, NULL, RD_SIG_MISSING, "no SIGNED-FILES manifest and no pack.sig");
	write_manifest(d);
	expect(d, NULL, NULL, RD_SIG_MISSING, "the signature pack.sig is missing");
	sign_ok(d, "signer");
	removef(d, "SIGNED-FILES");
	expect(d, NULL, NULL, RD_SIG_MISSING, "the manifest SIGNED-FILES is missing");
	sign_ok(d, "signer");
	/* the manifest altered: one digest */
	p = pjoin(d, "SIGNED-FILES");
	{
		FILE *f = fopen(p, "r+b");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fseek(f, 30, SEEK_SET), 0);
		ck_assert_int_eq(fputc('0', f) != EOF, 1);
		ck_assert_int_eq(fputc('0', f) != EOF, 1);
		fclose(f);
	}
	free(p);
	v = verify_with(d, pk("ca.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_BAD_SIGNATURE);
	ck_assert_contains(rd_pack_verification_get(v, RD_PACK_MESSAGE),
	                   "bad signature: pack.sig does not match SIGNED-FILES");
	rd_pack_verification_free(v);
	put(d, "pack.sig", "not a signature at all");
	expect(d, NULL, NULL, RD_SIG_BAD_SIGNATURE, "pack.sig is not a CMS signature");
	put(d, "pack.sig", "-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n");
	expect(d, NULL, NULL, RD_SIG_BAD_SIGNATURE, "pack.sig is not a CMS signature");
	remove_pack(d);
}
END_TEST

START_TEST(test_bad_manifest)
{
	char *d = new_pack();
	const char *h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char buf[512];
	static const struct {
		const char *text;
		const char *sub;
	} cases[] = {
		{ "rahdari-signed-files 2\n", "a format this rahdari does not know" },
		{ "sha256sum output\n", "not a rahdari manifest" },
		{ "rahdari-signed-files 1\n@ 0 b\n@ 0 a\n", "line 3: the paths are not sorted" },
		{ "rahdari-signed-files 1\n@ 0 a\n@ 0 a\n", "line 3: the paths are not sorted, or one is listed twice" },
		{ "rahdari-signed-files 1\n@ 0 ../x\n", "line 2: the path has an empty, '.' or '..' name" },
		{ "rahdari-signed-files 1\n@ 0 /etc/passwd\n", "line 2: the path has an empty" },
		{ "rahdari-signed-files 1\n@ 01 a\n", "line 2: a bad size" },
		{ "rahdari-signed-files 1\n@ 0 a", "line 2: the last line does not end with a newline" },
		{ "rahdari-signed-files 1\n@  0 a\n", "line 2: not 'SHA256HEX SIZE PATH'" },
		{ "rahdari-signed-files 1\n@ 0 pack.sig\n", "the manifest or the signature itself" },
		{ "rahdari-signed-files 1\nE3B0 0 a\n", "not 'SHA256HEX SIZE PATH'" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *c;
		size_t n = 0;

		/* each @ is a digest */
		for (c = cases[i].text; *c && n + 70 < sizeof buf; c++) {
			if (*c == '@') {
				memcpy(buf + n, h, 64);
				n += 64;
			} else {
				buf[n++] = *c;
			}
		}
		buf[n] = '\0';
		put(d, "SIGNED-FILES", buf);
		osign(d, "signer", NULL);
		expect(d, NULL, NULL, RD_SIG_MALFORMED, cases[i].sub);
	}
	remove_pack(d);
}
END_TEST

/* ---------------------------------------------------------------- signers */

START_TEST(test_signers)
{
	char *d = new_pack();
	rd_pack_verification *v;

	write_manifest(d);
	osign(d, "expired", NULL);
	expect(d, NULL, NULL, RD_SIG_EXPIRED,
	       "expired: the signer's certificate O=rahdari tests,CN=Expired Signer expired on "
	       "2021-01-01T00:00:00Z");
	expect(d, NULL, "2020-06-01", RD_SIG_OK, NULL);
	expect(d, NULL, "2020-12-31", RD_SIG_OK, NULL); /* the end of that day */
	expect(d, NULL, "2021-01-01T00:00:01Z", RD_SIG_EXPIRED, "checked at 2021-01-01T00:00:01Z");
	expect(d, NULL, "2019-12-31", RD_SIG_NOT_YET_VALID, "is valid only from 2020-01-01");
	expect(d, NULL, "2019-12-31", RD_SIG_NOT_YET_VALID, "not yet valid: the ");
	osign(d, "revoked", NULL);
	expect(d, pk("crl.pem"), NULL, RD_SIG_REVOKED, "revoked: the signer's certificate");
	expect(d, pk("crl.der"), NULL, RD_SIG_REVOKED, "was revoked on");
	expect(d, NULL, NULL, RD_SIG_OK, NULL); /* no CRL, no revocation check */
	osign(d, "outsider", NULL);
	expect(d, NULL, NULL, RD_SIG_UNTRUSTED,
	       "untrusted signer: the signer's certificate CN=Outsider,O=elsewhere does not chain");
	v = verify_with(d, pk("outsider.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	rd_pack_verification_free(v);
	osign(d, "server", NULL);
	expect(d, NULL, NULL, RD_SIG_UNTRUSTED, "is not meant for signing: its extended key usage");
	osign(d, "weak", NULL);
	expect(d, NULL, NULL, RD_SIG_WEAK_ALGORITHM, "weak algorithm");
	osign(d, "signer", "-md sha1");
	expect(d, NULL, NULL, RD_SIG_WEAK_ALGORITHM, "the signature's digest is SHA1");
	osign(d, "rsa", "-md sha1");
	expect(d, NULL, NULL, RD_SIG_WEAK_ALGORITHM, "SHA1");
	osign(d, "chained", NULL);
	expect(d, NULL, NULL, RD_SIG_UNTRUSTED, "does not chain to a certificate of the trust store");
	v = verify_with(d, pk("inter.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	rd_pack_verification_free(v);
	osign(d, "signer", "-nocerts");
	expect(d, NULL, NULL, RD_SIG_UNTRUSTED, "neither in pack.sig nor in the trust store");
	v = verify_with(d, pk("signer.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	rd_pack_verification_free(v);
	/* a CRL of the signer's issuer must be there when CRLs are given */
	sign_ok(d, "chained");
	expect(d, NULL, NULL, RD_SIG_UNTRUSTED, NULL); /* no --chain */
	remove_pack(d);
}
END_TEST

START_TEST(test_sign_refusals)
{
	rd_pack_sign_options so = RD_PACK_SIGN_OPTIONS_INIT;
	char *d = new_pack();
	char key[1100], cert[1100], chain[1100];

	ck_assert_int_eq(sign_as(d, "expired"), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "is not valid now");
	ck_assert_int_eq(sign_as(d, "server"), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "not meant for signing");
	ck_assert_int_eq(sign_as(d, "weak"), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "too weak");
	expect(d, NULL, NULL, RD_SIG_MISSING, NULL); /* nothing written */
	snprintf(key, sizeof key, "%s", pk("outsider.key"));
	snprintf(cert, sizeof cert, "%s", pk("signer.pem"));
	so.key = key;
	so.cert = cert;
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "does not belong to certificate");
	snprintf(key, sizeof key, "%s", pk("signer-enc.key"));
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "passphrase");
	so.key_password = "wrong";
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_EPARSE);
	so.key_password = "secret pass";
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_OK);
	expect(d, NULL, NULL, RD_SIG_OK, NULL);
	/* a chain */
	snprintf(key, sizeof key, "%s", pk("chained.key"));
	snprintf(cert, sizeof cert, "%s", pk("chained.pem"));
	snprintf(chain, sizeof chain, "%s", pk("inter.pem"));
	so.key_password = NULL;
	so.chain = chain;
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_OK);
	expect(d, NULL, NULL, RD_SIG_OK, "Chained Signer");
	/* with CRLs, the signer's issuer (the intermediate) must have given one */
	expect(d, pk("crl.pem"), NULL, RD_SIG_UNTRUSTED,
	       "revocation unknown: no CRL of the issuer of the signer's certificate");
	/* a certificate file with its chain after it */
	ck_assert_int_eq(shell("cat '%s' '%s' > '%s'", pk("chained.pem"), pk("inter.pem"),
	                       pk("chained-full.pem")),
	                 0);
	snprintf(cert, sizeof cert, "%s", pk("chained-full.pem"));
	so.chain = NULL;
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_OK);
	expect(d, NULL, NULL, RD_SIG_OK, "Chained Signer");
	snprintf(cert, sizeof cert, "%s", pk("chained.pem"));
	/* what cannot be read */
	snprintf(cert, sizeof cert, "%s", pk("nothing.pem"));
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_ENOTFOUND);
	snprintf(cert, sizeof cert, "%s", pk("crl.pem"));
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_EPARSE);
	snprintf(cert, sizeof cert, "%s", pk("chained.pem"));
	ck_assert_int_eq(rd_pack_sign("/nonexistent/pack", &so), RD_ENOTFOUND);
	ck_assert_int_eq(rd_pack_sign(NULL, &so), RD_EINVAL);
	ck_assert_int_eq(rd_pack_sign(d, NULL), RD_EINVAL);
	so.version = 99;
	ck_assert_int_eq(rd_pack_sign(d, &so), RD_EINVAL);
	remove_pack(d);
}
END_TEST

START_TEST(test_trust_errors)
{
	/* one trust store for licences and packs: its errors are rd_trust_load()'s */
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_pack_verification *v = (rd_pack_verification *)&vo;
	rd_trust *trust = (rd_trust *)&vo;
	char *d = new_pack(), *t = tu_tmpdir(), *missing = pjoin(t, "nothing");

	sign_ok(d, "signer");
	ck_assert_int_eq(rd_trust_load(&trust, missing), RD_ENOTFOUND);
	ck_assert_ptr_null(trust);
	ck_assert_int_eq(rd_trust_load(&trust, pk("trustdir/README")), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "no certificate");
	ck_assert_int_eq(rd_trust_load(&trust, t), RD_EINVAL); /* a directory without certificates */
	ck_assert_contains(rd_error_last()->message, "no certificate");
	trust = store_of(pk("ca.pem"), NULL);
	ck_assert_int_eq(rd_trust_add_crl(trust, pk("ca.key")), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "no certificate revocation list");
	ck_assert_int_eq(rd_trust_add_crl(trust, missing), RD_ENOTFOUND);
	ck_assert_uint_eq(rd_trust_crl_count(trust), 0);
	vo.as_of = "2026-02-30";
	ck_assert_int_eq(rd_pack_verify(&v, trust, d, &vo), RD_EINVAL);
	ck_assert_ptr_null(v);
	vo.as_of = "2026-01-01T25:00:00Z";
	ck_assert_int_eq(rd_pack_verify(&v, trust, d, &vo), RD_EINVAL);
	vo.as_of = NULL;
	ck_assert_int_eq(rd_pack_verify(&v, trust, missing, &vo), RD_ENOTFOUND);
	ck_assert_int_eq(rd_pack_verify(NULL, trust, d, &vo), RD_EINVAL);
	ck_assert_int_eq(rd_pack_verify(&v, NULL, d, &vo), RD_EINVAL);
	ck_assert_int_eq(rd_pack_verify(&v, trust, NULL, &vo), RD_EINVAL);
	vo.version = 0;
	ck_assert_int_eq(rd_pack_verify(&v, trust, d, &vo), RD_EINVAL);
	/* no options: the defaults */
	ck_assert_int_eq(rd_pack_verify(&v, trust, d, NULL), RD_OK);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	rd_pack_verification_free(v);
	rd_trust_free(trust);
	tu_rmtree(t);
	free(t);
	free(missing);
	remove_pack(d);
}
END_TEST

START_TEST(test_single_file)
{
	char *t = tu_tmpdir(), *f = pjoin(t, "register.csv"), *sig = pjoin(t, "register.csv.sig");
	struct stat st;
	rd_pack_verification *v;

	put(t, "register.csv", "licence,name\nPB-1,Al-Noor\n");
	expect(f, NULL, NULL, RD_SIG_MISSING, "no signature");
	sign_ok(f, "signer");
	ck_assert_int_eq(stat(sig, &st), 0);
	v = verify_with(f, pk("ca.pem"), NULL, NULL);
	ck_assert_int_eq(rd_pack_verification_status(v), RD_SIG_OK);
	ck_assert_uint_eq(rd_pack_verification_file_count(v), 1);
	rd_pack_verification_free(v);
	ck_assert_int_eq(shell("openssl cms -verify -binary -inform DER -content '%s' -in '%s'"
	                       " -CAfile '%s' -purpose any -out /dev/null 2>/dev/null",
	                       f, sig, pk("ca.pem")),
	                 0);
	append(t, "register.csv", "PB-2,Other\n");
	expect(f, NULL, NULL, RD_SIG_BAD_SIGNATURE, "does not match");
	ck_assert_int_eq(shell("openssl cms -sign -binary -outform DER -in '%s' -out '%s'"
	                       " -signer '%s' -inkey '%s' 2>/dev/null",
	                       f, sig, pk("signer.pem"), pk("signer.key")),
	                 0);
	expect(f, NULL, NULL, RD_SIG_OK, NULL);
	tu_rmtree(t);
	free(t);
	free(f);
	free(sig);
}
END_TEST

START_TEST(test_names_and_nulls)
{
	const char *detail = "x";
	int kind = 7;

	/* packs are named in the licences' vocabulary */
	ck_assert_str_eq(rd_sig_status_name(RD_SIG_OK), "ok");
	ck_assert_str_eq(rd_sig_status_name(RD_SIG_MISSING), "missing");
	ck_assert_str_eq(rd_sig_status_name(RD_SIG_DIGEST_MISMATCH), "digest-mismatch");
	ck_assert_str_eq(rd_sig_status_name(RD_SIG_NOT_YET_VALID), "not-yet-valid");
	ck_assert_str_eq(rd_sig_status_name(RD_SIG_MALFORMED), "malformed");
	ck_assert_str_eq(rd_sig_status_name(11), "unknown");
	ck_assert_str_eq(rd_sig_status_name(-1), "unknown");
	ck_assert_str_eq(rd_pack_problem_name(RD_PACK_FILE_CHANGED), "changed");
	ck_assert_str_eq(rd_pack_problem_name(RD_PACK_FILE_ADDED), "added");
	ck_assert_str_eq(rd_pack_problem_name(RD_PACK_FILE_MISSING), "missing");
	ck_assert_str_eq(rd_pack_problem_name(RD_PACK_FILE_REFUSED), "refused");
	ck_assert_str_eq(rd_pack_problem_name(0), "unknown");
	ck_assert_str_eq(rd_pack_problem_name(5), "unknown");
	ck_assert_int_eq(rd_pack_verification_status(NULL), RD_SIG_MISSING);
	ck_assert_uint_eq(rd_pack_verification_warning_count(NULL), 0);
	ck_assert_ptr_null(rd_pack_verification_warning(NULL, 0));
	ck_assert_ptr_null(rd_pack_verification_get(NULL, RD_PACK_MESSAGE));
	ck_assert_uint_eq(rd_pack_verification_file_count(NULL), 0);
	ck_assert_uint_eq(rd_pack_verification_problem_count(NULL), 0);
	ck_assert_ptr_null(rd_pack_verification_problem(NULL, 0, &kind, &detail));
	ck_assert_int_eq(kind, 0);
	ck_assert_ptr_null(detail);
	rd_pack_verification_free(NULL);
	ck_assert_str_eq(RD_PACK_MANIFEST, "SIGNED-FILES");
	ck_assert_str_eq(RD_PACK_SIGNATURE, "pack.sig");
}
END_TEST

/* ---------------------------------------------------------------- signed rules */

static int load_signed(rd_rules **r, const char *path, const char *crl)
{
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_trust *t = store_of(pk("ca.pem"), crl);
	int rc;

	*r = (rd_rules *)&vo; /* not NULL: the call must clear it */
	rc = rd_rules_load_signed(r, path, NULL, t, &vo);
	rd_trust_free(t);
	return rc;
}

START_TEST(test_load_signed)
{
	char *d = new_pack(), *sch = pjoin(d, "main.sch");
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_rules *r;
	rd_document *doc;
	rd_report *rep;
	int rc;

	/* unsigned: refused, nothing compiled; without a signature required it loads */
	ck_assert_int_eq(load_signed(&r, d, NULL), RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "rules refused, a signed pack is required: unsigned");
	ck_assert_int_eq(rd_rules_load(&r, d, NULL), RD_OK);
	rd_rules_free(r);
	/* signed: loads, and works */
	sign_ok(d, "signer");
	rc = load_signed(&r, d, pk("crl.pem"));
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "tiny");
	ck_assert_uint_eq(rd_rules_assertion_count(r), 1);
	doc = tu_doc("<visa xmlns='urn:rahdari:doc:1'/>");
	rep = tu_check(r, doc, NULL);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	rd_report_free(rep);
	rd_document_free(doc);
	rd_rules_free(r);
	/* a schema file of a signed directory */
	rc = load_signed(&r, sch, NULL);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	rd_rules_free(r);
	/* altered, or signed by someone revoked: refused */
	append(d, "tables/codes.csv", "visa\n");
	ck_assert_int_eq(load_signed(&r, d, NULL), RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "tables/codes.csv: digest mismatch");
	removef(d, "tables/codes.csv");
	put(d, "tables/codes.csv", "code\nbooking\n");
	sign_ok(d, "revoked");
	ck_assert_int_eq(load_signed(&r, d, NULL), RD_OK);
	rd_rules_free(r);
	ck_assert_int_eq(load_signed(&r, d, pk("crl.der")), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "revoked");
	/* bad arguments */
	ck_assert_int_eq(rd_rules_load_signed(&r, d, NULL, NULL, &vo), RD_EINVAL); /* no trust */
	{
		rd_trust *t = store_of(pk("ca.pem"), NULL);

		ck_assert_int_eq(rd_rules_load_signed(NULL, d, NULL, t, &vo), RD_EINVAL);
		ck_assert_int_eq(rd_rules_load_signed(&r, NULL, NULL, t, &vo), RD_EINVAL);
		/* no options: the defaults */
		ck_assert_int_eq(rd_rules_load_signed(&r, d, NULL, t, NULL), RD_OK);
		rd_rules_free(r);
		rd_trust_free(t);
	}
	free(sch);
	remove_pack(d);
}
END_TEST

START_TEST(test_load_signed_reads_only_signed_files)
{
	char *t = tu_tmpdir(), *base = pjoin(t, "base"), *over = pjoin(t, "over"),
	     *inc = pjoin(t, "inc");
	rd_rules *r;
	int rc;

	/* an overlay: its base must verify too */
	write_pack(base);
	put(over, "pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'><extends href='../base'/>"
	    "<severity rule='T-1' value='warning'/></pack>");
	sign_ok(over, "signer");
	ck_assert_int_eq(load_signed(&r, over, NULL), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "extends:");
	ck_assert_contains(rd_error_last()->message, "unsigned");
	sign_ok(base, "outsider");
	ck_assert_int_eq(load_signed(&r, over, NULL), RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "untrusted signer");
	sign_ok(base, "rsa");
	rc = load_signed(&r, over, NULL);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "over");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(r, 0)), RD_SEVERITY_WARNING);
	rd_rules_free(r);
	/* a schema that includes a file out of its pack */
	put(t, "shared/x.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='x'>"
	    "<sch:rule context='/*'><sch:assert id='X-1' test='true()'>x</sch:assert></sch:rule>"
	    "</sch:pattern>");
	put(inc, "pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='inc'><schema href='m.sch'/></pack>");
	put(inc, "m.sch",
	    "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	    "<sch:include href='../shared/x.sch'/></sch:schema>");
	/* refused, signed or not: a pack reads only its own files (and its bases') */
	ck_assert_int_eq(rd_rules_load(&r, inc, NULL), RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "outside the pack");
	sign_ok(inc, "signer");
	ck_assert_int_eq(load_signed(&r, inc, NULL), RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "m.sch:1: sch:include href=\"../shared/x.sch\"");
	ck_assert_contains(rd_error_last()->message, "outside the pack");
	tu_rmtree(t);
	free(t);
	free(base);
	free(over);
	free(inc);
}
END_TEST

/* A signed pack is trusted for what it says, not for how long libxml2 takes to run it: an
 * xs:pattern that could make libxml2's matcher explode refuses it as it refuses an
 * unsigned one. */
START_TEST(test_load_signed_unsafe_pattern)
{
	char *d = new_pack();
	rd_rules *r;

	put(d, "pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='tiny' version='1.0'>"
	    "<xsd kind='booking' href='booking.xsd'/><schema href='main.sch'/></pack>");
	put(d, "booking.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:rahdari:doc:1'>\n"
	    "  <xs:element name='booking'><xs:complexType>\n"
	    "    <xs:attribute name='email'><xs:simpleType><xs:restriction base='xs:token'>\n"
	    "      <xs:pattern value='[^@\\s]+@[^@\\s]+\\.[^@\\s]+'/>\n"
	    "    </xs:restriction></xs:simpleType></xs:attribute>\n"
	    "  </xs:complexType></xs:element>\n"
	    "</xs:schema>\n");
	sign_ok(d, "signer");
	ck_assert_int_eq(load_signed(&r, d, NULL), RD_ERULES);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "booking.xsd:4: xs:pattern");
	ck_assert_contains(rd_error_last()->message, "can both match '.'");
	remove_pack(d);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *suite(void)
{
	Suite *s = suite_create("packsig");
	TCase *tc;

	tc = tcase_create("manifest");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_manifest_exact);
	tcase_add_test(tc, test_manifest_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_sign_verify);
	tcase_add_test(tc, test_openssl_signs);
	tcase_add_test(tc, test_altered);
	tcase_add_test(tc, test_unsigned_and_bad_signature);
	tcase_add_test(tc, test_bad_manifest);
	tcase_add_test(tc, test_signers);
	tcase_add_test(tc, test_sign_refusals);
	tcase_add_test(tc, test_trust_errors);
	tcase_add_test(tc, test_single_file);
	tcase_add_test(tc, test_names_and_nulls);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_load_signed);
	tcase_add_test(tc, test_load_signed_reads_only_signed_files);
	tcase_add_test(tc, test_load_signed_unsafe_pattern);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *src = getenv("srcdir"), *tmp = getenv("TMPDIR");
	char dir[1024];
	int failed;

	/* no ck_assert out of a test: Check reports even a passing one */
	if (system("openssl version >/dev/null 2>&1") != 0) {
		printf("SKIP: no openssl command to make the test certificates\n");
		return 77;
	}
	snprintf(dir, sizeof dir, "%s/rdpki.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("check_packsig: mkdtemp");
		return 99;
	}
	pki = dir;
	if (shell("sh '%s/tests/packsig_pki.sh' '%s'", src && *src ? src : ".", pki) != 0) {
		fprintf(stderr, "check_packsig: tests/packsig_pki.sh failed\n");
		tu_rmtree(pki);
		return 99;
	}
	setenv("RD_PKI", pki, 1);
	failed = tu_run_suite(suite());
	tu_rmtree(pki);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
