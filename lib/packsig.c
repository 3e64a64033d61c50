/* rahdari: detached CMS signatures of rule packs, directories and single files.
 *
 * A signed directory holds a manifest, SIGNED-FILES, and pack.sig, a detached CMS
 * SignedData over the manifest's bytes (what `openssl cms -sign -binary` makes). The
 * manifest is text: the line "rahdari-signed-files 1", then "SHA256HEX SIZE PATH" for
 * every other regular file, sorted by PATH. Verifying checks the signature (no MD5 or
 * SHA-1, keys of at least 112 bits of security) and the signer's chain against the trust
 * store (an rd_trust, the same as licences', judged by x509.c at a chosen time), then every
 * file against the manifest, and that there is no file the manifest does not list. The
 * verdict is an rd_sig_status, the licences' vocabulary, its message starting with the
 * pack's word for it ("altered: ...").
 *
 * For signed loading (rd_rules_load_signed, in loader.c), a rd_packsig_ctx verifies each
 * pack directory before its first file is read, keeps the manifest, and checks every file
 * the loader reads against it: what is compiled is what was signed, even if a file
 * changes after the verification.
 * SPDX-License-Identifier: MIT */
#include "x509.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h> /* before cms.h, which declares PEM_read_bio_CMS only after it */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define PS_HEADER "rahdari-signed-files 1"
#define PS_MAX_MANIFEST ((size_t)64 << 20)  /* bytes */
#define PS_MAX_SIG ((size_t)1 << 20)        /* bytes */
#define PS_MAX_DEPTH 32                     /* directory nesting */
#define PS_MAX_PATH 1024                    /* bytes of a relative path */
#define PS_MAX_FILES 1000000
#define PS_NFIELDS (RD_PACK_CHECKED_AT + 1)

/* ---------------------------------------------------------------- types */

/* A file the manifest lists. */
typedef struct ps_entry {
	char *path;
	unsigned long long size;
	char sha256[65];
} ps_entry;

/* A file found in the directory. */
typedef struct ps_found {
	char *path;   /* relative */
	char *open;   /* what to read: the full path, or a link's target; NULL when refused */
	char *reason; /* why it is refused, or NULL */
} ps_found;

typedef struct ps_walk {
	const char *root;
	char *root_real;
	int strict; /* refuse (with an error) instead of recording the refusal */
	ps_found *v;
	size_t n, cap;
} ps_walk;

typedef struct ps_problem {
	int kind;
	char *file;   /* printable */
	char *detail;
} ps_problem;

struct rd_pack_verification {
	rd_sig_outcome o; /* status, message, warnings, chain (x509.c) */
	char *fields[PS_NFIELDS];
	size_t nfiles;
	ps_problem *problems;
	size_t nproblems, capproblems;
	ps_entry *entries; /* the manifest (for the loader), sorted by path */
	size_t nentries;
};

/* The packs verified while loading signed rules. */
typedef struct ps_root {
	char *real;
	rd_pack_verification *v;
} ps_root;

struct rd_packsig_ctx {
	const rd_trust *trust;
	const rd_pack_verify_options *opts;
	ps_root *roots;
	size_t n, cap;
};

/* ---------------------------------------------------------------- small helpers */

/* The start of a pack's message, by rd_sig_status. */
static const char *const labels[] = {
	[RD_SIG_OK] = "verified",
	[RD_SIG_MISSING] = "unsigned",
	[RD_SIG_DIGEST_MISMATCH] = "altered",
	[RD_SIG_BAD_SIGNATURE] = "bad signature",
	[RD_SIG_UNTRUSTED] = "untrusted signer",
	[RD_SIG_EXPIRED] = "expired",
	[RD_SIG_NOT_YET_VALID] = "not yet valid",
	[RD_SIG_REVOKED] = "revoked",
	[RD_SIG_WEAK_ALGORITHM] = "weak algorithm",
	[RD_SIG_BAD_PROFILE] = "bad signature",
	[RD_SIG_MALFORMED] = "bad manifest",
};
static const char *const problem_names[] = { NULL, "changed", "added", "missing", "refused" };

/* s with bytes outside printable ASCII (and the backslash) written \xHH. */
static char *printable(const char *s)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i]; i++)
		n += (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '\\' ? 4 : 1;
	out = rd__malloc(n + 1);
	if (out == NULL)
		return NULL;
	for (o = out, i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\') {
			snprintf(o, 5, "\\x%02x", c);
			o += 4;
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	return out;
}

/* Digests a signature may use. */
static int digest_allowed(int nid)
{
	return nid == NID_sha256 || nid == NID_sha384 || nid == NID_sha512 || nid == NID_sha3_256 ||
	       nid == NID_sha3_384 || nid == NID_sha3_512;
}

/* Why a file name cannot be signed, or NULL when it can. */
static const char *bad_name(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "an empty, '.' or '..' name";
	if (n > 255)
		return "a name longer than 255 bytes";
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '+'))
			return "a name with characters other than A-Z a-z 0-9 . _ - +";
	}
	return NULL;
}

/* Is the manifest path well formed (components with good names, not the manifest or
 * the signature itself)? */
static const char *bad_path(const char *path)
{
	char comp[256];
	const char *p = path, *why;
	size_t depth = 0;

	if (strlen(path) > PS_MAX_PATH)
		return "a path longer than 1024 bytes";
	if (strcmp(path, RD_PACK_MANIFEST) == 0 || strcmp(path, RD_PACK_SIGNATURE) == 0)
		return "the manifest or the signature itself";
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n >= sizeof comp)
			return "a name longer than 255 bytes";
		memcpy(comp, p, n);
		comp[n] = '\0';
		if ((why = bad_name(comp)) != NULL)
			return why;
		if (++depth > PS_MAX_DEPTH)
			return "directories nested too deep";
		if (p[n] == '\0')
			return NULL;
		p += n + 1;
	}
}

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const ps_found *)a)->path, ((const ps_found *)b)->path);
}

static int cmp_entry_key(const void *key, const void *e)
{
	return strcmp(key, ((const ps_entry *)e)->path);
}

/* SHA-256 and size of an open file. */
static int hash_fd(int fd, const char *shown, char out[65], unsigned long long *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned long long total = 0;
	int rc = RD_OK;

	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		ERR_clear_error();
		return rd__error_oom();
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = rd__error_set(RD_EIO, shown, 0, 0, "%s: cannot read: %s", shown, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		total += (unsigned long long)r;
		if (!EVP_DigestUpdate(ctx, buf, (size_t)r)) {
			rc = rd__error_oom();
			break;
		}
	}
	if (rc == RD_OK && (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32))
		rc = rd__error_set(RD_ERROR, shown, 0, 0, "%s: SHA-256 failed", shown);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	if (rc == RD_OK) {
		rd__x509_hex(md, 32, out);
		*size = total;
	}
	return rc;
}

/* SHA-256 and size of a regular file (never blocks on a FIFO, never follows a last link). */
static int hash_file(const char *path, const char *shown, char out[65], unsigned long long *size)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		return rd__error_set(e == ENOENT ? RD_ENOTFOUND : RD_EIO, shown, 0, 0,
		                     "%s: cannot open: %s", shown, strerror(e));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return rd__error_set(RD_EIO, shown, 0, 0, "%s: not a regular file", shown);
	}
	rc = hash_fd(fd, shown, out, size);
	close(fd);
	return rc;
}

/* Read a whole small file; RD_ENOTFOUND quietly distinguishable (*missing set). */
static int read_optional(const char *path, size_t max, char **data, size_t *len, int *missing)
{
	struct stat st;
	int rc;

	*missing = 0;
	*data = NULL;
	*len = 0;
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		*missing = 1;
		return RD_OK;
	}
	rc = rd__file_read(path, max, data, len);
	if (rc == RD_ENOTFOUND) {
		*missing = 1;
		return RD_OK;
	}
	return rc;
}

/* ---------------------------------------------------------------- walking a directory */

static void walk_free(ps_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].path);
		free(w->v[i].open);
		free(w->v[i].reason);
	}
	free(w->v);
	free(w->root_real);
	memset(w, 0, sizeof *w);
}

/* Record a file (open != NULL) or a refusal (reason != NULL). Takes rel and open. */
static int walk_add(ps_walk *w, char *rel, char *open_path, const char *reason)
{
	ps_found *f;

	if (reason && w->strict) {
		char *shown = printable(rel);
		int rc = shown ? rd__error_set(RD_EUNSAFE, w->root, 0, 0, "%s/%s: refused: %s", w->root,
		                               shown, reason)
		               : rd__error_oom();

		free(shown);
		free(rel);
		free(open_path);
		return rc;
	}
	if (w->n >= PS_MAX_FILES) {
		free(rel);
		free(open_path);
		return rd__error_set(RD_ELIMIT, w->root, 0, 0, "%s: more than %d files", w->root,
		                     PS_MAX_FILES);
	}
	if (rd__grow(&w->v, &w->cap, w->n, sizeof *w->v) < 0) {
		free(rel);
		free(open_path);
		return rd__error_oom();
	}
	f = &w->v[w->n++];
	f->path = rel;
	f->open = open_path;
	f->reason = reason ? rd__strdup(reason) : NULL;
	if (reason && f->reason == NULL)
		return rd__error_oom();
	return RD_OK;
}

static int walk_dir(ps_walk *w, const char *reldir, unsigned depth)
{
	char *dirpath = reldir[0] ? rd__path_join(w->root, reldir) : rd__strdup(w->root);
	struct dirent *e;
	DIR *d;
	int rc = RD_OK;

	if (dirpath == NULL)
		return rd__error_oom();
	d = opendir(dirpath);
	if (d == NULL) {
		int err = errno;

		rc = rd__error_set(err == ENOENT ? RD_ENOTFOUND : RD_EIO, dirpath, 0, 0,
		                   "%s: cannot read the directory: %s", dirpath, strerror(err));
		free(dirpath);
		return rc;
	}
	while (rc == RD_OK && (e = readdir(d)) != NULL) {
		const char *name = e->d_name, *why;
		char *rel, *full;
		struct stat st;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (reldir[0] == '\0' &&
		    (strcmp(name, RD_PACK_MANIFEST) == 0 || strcmp(name, RD_PACK_SIGNATURE) == 0))
			continue;
		rel = reldir[0] ? rd__path_join(reldir, name) : rd__strdup(name);
		full = rel ? rd__path_join(w->root, rel) : NULL;
		if (full == NULL) {
			free(rel);
			rc = rd__error_oom();
			break;
		}
		if ((why = bad_name(name)) != NULL || strlen(rel) > PS_MAX_PATH) {
			free(full);
			rc = walk_add(w, rel, NULL, why ? why : "a path longer than 1024 bytes");
			continue;
		}
		if (lstat(full, &st) != 0) {
			int err = errno;

			rc = rd__error_set(RD_EIO, full, 0, 0, "%s: cannot read: %s", full, strerror(err));
			free(full);
			free(rel);
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			free(full);
			if (depth + 1 >= PS_MAX_DEPTH) {
				rc = walk_add(w, rel, NULL, "directories nested too deep");
			} else {
				rc = walk_dir(w, rel, depth + 1);
				free(rel);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = walk_add(w, rel, full, NULL);
		} else if (S_ISLNK(st.st_mode)) {
			char *target = realpath(full, NULL);
			size_t rl = strlen(w->root_real);
			struct stat ts;
			char reason[PS_MAX_PATH + 128];

			free(full);
			if (target == NULL) {
				rc = walk_add(w, rel, NULL, "a symbolic link that leads nowhere");
			} else if (!(strncmp(target, w->root_real, rl) == 0 &&
			             (target[rl] == '/' || target[rl] == '\0' ||
			              strcmp(w->root_real, "/") == 0))) {
				char *shown = printable(target);

				snprintf(reason, sizeof reason, "a symbolic link leading out of the pack (to %s)",
				         shown ? shown : "?");
				free(shown);
				free(target);
				rc = walk_add(w, rel, NULL, reason);
			} else if (stat(target, &ts) != 0 || !S_ISREG(ts.st_mode)) {
				free(target);
				rc = walk_add(w, rel, NULL,
				              S_ISDIR(ts.st_mode) ? "a symbolic link to a directory"
				                                  : "a symbolic link to something not a regular file");
			} else {
				rc = walk_add(w, rel, target, NULL);
			}
		} else {
			free(full);
			rc = walk_add(w, rel, NULL, "not a regular file (a device, FIFO or socket)");
		}
	}
	closedir(d);
	free(dirpath);
	return rc;
}

/* Every file under root (manifest and signature excepted), sorted by path. */
static int walk(ps_walk *w, const char *root, int strict)
{
	int rc;

	memset(w, 0, sizeof *w);
	w->root = root;
	w->strict = strict;
	w->root_real = realpath(root, NULL);
	if (w->root_real == NULL) {
		int err = errno;

		return rd__error_set(err == ENOENT || err == ENOTDIR ? RD_ENOTFOUND : RD_EIO, root, 0, 0,
		                     "%s: %s", root, strerror(err));
	}
	rc = walk_dir(w, "", 0);
	if (rc == RD_OK && w->n > 1)
		qsort(w->v, w->n, sizeof *w->v, cmp_found);
	return rc;
}

/* ---------------------------------------------------------------- the manifest */

int rd_pack_manifest(char **out, size_t *len, const char *dir)
{
	ps_walk w;
	rd_buf b;
	size_t i;
	int rc;

	rd__init();
	if (out == NULL || len == NULL || dir == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_pack_manifest: NULL argument");
	*out = NULL;
	*len = 0;
	if (!rd__is_dir(dir))
		return rd__error_set(access(dir, F_OK) == 0 ? RD_EINVAL : RD_ENOTFOUND, dir, 0, 0,
		                     "%s: not a directory", dir);
	rc = walk(&w, dir, 1);
	if (rc == RD_OK && w.n == 0)
		rc = rd__error_set(RD_EINVAL, dir, 0, 0, "%s: no file to sign", dir);
	rd__buf_init(&b);
	rd__buf_puts(&b, PS_HEADER "\n");
	for (i = 0; rc == RD_OK && i < w.n; i++) {
		char digest[65], *shown = rd__path_join(dir, w.v[i].path);
		unsigned long long size;

		if (shown == NULL) {
			rc = rd__error_oom();
			break;
		}
		rc = hash_file(w.v[i].open, shown, digest, &size);
		free(shown);
		if (rc == RD_OK)
			rd__buf_printf(&b, "%s %llu %s\n", digest, size, w.v[i].path);
	}
	walk_free(&w);
	if (rc == RD_OK && b.oom)
		rc = rd__error_oom();
	if (rc != RD_OK) {
		rd__buf_free(&b);
		return rc;
	}
	*out = rd__buf_take(&b, len);
	return *out ? RD_OK : rd__error_oom();
}

static void entries_free(ps_entry *e, size_t n)
{
	size_t i;

	for (i = 0; e && i < n; i++)
		free(e[i].path);
	free(e);
}

/* Parse a manifest strictly. On a format error: -1 with the line and reason in err. */
static int manifest_parse(const char *data, size_t len, ps_entry **out, size_t *n, char *err,
                          size_t errlen)
{
	size_t pos, cap = 0, hl = strlen(PS_HEADER);
	long line = 1;
	ps_entry *v = NULL;

	*out = NULL;
	*n = 0;
	if (memchr(data, '\0', len)) {
		snprintf(err, errlen, "it holds a NUL byte");
		return -1;
	}
	if (len < hl + 1 || memcmp(data, PS_HEADER, hl) != 0 || data[hl] != '\n') {
		if (len > 21 && memcmp(data, "rahdari-signed-files ", 21) == 0)
			snprintf(err, errlen, "line 1: a format this rahdari does not know (it reads '%s')",
			         PS_HEADER);
		else
			snprintf(err, errlen, "line 1: not a rahdari manifest (it must be '%s')", PS_HEADER);
		return -1;
	}
	for (pos = hl + 1; pos < len; ) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos), *sp1, *sp2, *why;
		size_t ll, i;
		unsigned long long size = 0;
		ps_entry *e;

		line++;
		if (nl == NULL) {
			snprintf(err, errlen, "line %ld: the last line does not end with a newline", line);
			goto bad;
		}
		ll = (size_t)(nl - l);
		pos += ll + 1;
		sp1 = memchr(l, ' ', ll);
		sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(nl - sp1 - 1)) : NULL;
		if (sp1 == NULL || sp2 == NULL || sp1 - l != 64 || sp2 == sp1 + 1 || sp2 + 1 == nl) {
			snprintf(err, errlen, "line %ld: not 'SHA256HEX SIZE PATH'", line);
			goto bad;
		}
		for (i = 0; i < 64; i++)
			if (!((l[i] >= '0' && l[i] <= '9') || (l[i] >= 'a' && l[i] <= 'f'))) {
				snprintf(err, errlen, "line %ld: the digest is not 64 lower-case hexadecimal digits",
				         line);
				goto bad;
			}
		if (sp2 - sp1 - 1 > 19 || (sp1[1] == '0' && sp2 - sp1 - 1 > 1)) {
			snprintf(err, errlen, "line %ld: a bad size", line);
			goto bad;
		}
		for (i = 1; sp1 + i < sp2; i++) {
			if (sp1[i] < '0' || sp1[i] > '9') {
				snprintf(err, errlen, "line %ld: a bad size", line);
				goto bad;
			}
			size = size * 10 + (unsigned long long)(sp1[i] - '0');
		}
		if (rd__grow(&v, &cap, *n, sizeof *v) < 0 || *n >= PS_MAX_FILES) {
			snprintf(err, errlen, "too many files or out of memory");
			goto bad;
		}
		e = &v[*n];
		e->path = rd__strndup(sp2 + 1, (size_t)(nl - sp2 - 1));
		if (e->path == NULL) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		(*n)++;
		e->size = size;
		memcpy(e->sha256, l, 64);
		e->sha256[64] = '\0';
		if ((why = bad_path(e->path)) != NULL) {
			snprintf(err, errlen, "line %ld: the path has %s", line, why);
			goto bad;
		}
		if (*n > 1 && strcmp(v[*n - 2].path, e->path) >= 0) {
			snprintf(err, errlen, "line %ld: the paths are not sorted, or one is listed twice",
			         line);
			goto bad;
		}
	}
	*out = v;
	return 0;
bad:
	entries_free(v, *n);
	*n = 0;
	return -1;
}

/* ---------------------------------------------------------------- verifications */

static rd_pack_verification *verification_new(const char *path)
{
	rd_pack_verification *v = rd__calloc(1, sizeof *v);

	if (v == NULL)
		return NULL;
	v->o.status = -1;
	v->o.labels = labels;
	v->fields[RD_PACK_PATH] = rd__strdup(path);
	if (v->fields[RD_PACK_PATH] == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

void rd_pack_verification_free(rd_pack_verification *v)
{
	size_t i;

	if (v == NULL)
		return;
	rd__outcome_clear(&v->o);
	for (i = 0; i < PS_NFIELDS; i++)
		free(v->fields[i]);
	for (i = 0; i < v->nproblems; i++) {
		free(v->problems[i].file);
		free(v->problems[i].detail);
	}
	free(v->problems);
	entries_free(v->entries, v->nentries);
	free(v);
}

static int set_field(rd_pack_verification *v, rd_pack_field f, char *value)
{
	free(v->fields[f]);
	v->fields[f] = value;
	return value ? RD_OK : RD_ENOMEM;
}

/* The verdict: the first failure found stands; the message starts with the label of the
 * status ("altered: ..."). -1 when out of memory. */
#define verdict(v, ...) (rd__outcome_verdict(&(v)->o, __VA_ARGS__), (v)->o.oom ? -1 : 0)

static int add_problem(rd_pack_verification *v, int kind, const char *file, const char *fmt, ...)
	RD_PRINTF(4, 5);

static int add_problem(rd_pack_verification *v, int kind, const char *file, const char *fmt, ...)
{
	char detail[PS_MAX_PATH + 256];
	ps_problem *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (rd__grow(&v->problems, &v->capproblems, v->nproblems, sizeof *v->problems) < 0)
		return -1;
	p = &v->problems[v->nproblems];
	p->kind = kind;
	p->file = printable(file);
	p->detail = rd__strdup(detail);
	if (p->file == NULL || p->detail == NULL) {
		free(p->file);
		free(p->detail);
		return -1;
	}
	v->nproblems++;
	return 0;
}

/* The signer's details, from its certificate and signer info. */
static int describe_signer(rd_pack_verification *v, X509 *x, CMS_SignerInfo *si, int dig_nid)
{
	int loc;

	char nb[21], na[21];

	if (set_field(v, RD_PACK_SIGNER, rd__x509_name(X509_get_subject_name(x))) != RD_OK ||
	    set_field(v, RD_PACK_ISSUER, rd__x509_name(X509_get_issuer_name(x))) != RD_OK ||
	    set_field(v, RD_PACK_SERIAL, rd__x509_serial(x)) != RD_OK ||
	    set_field(v, RD_PACK_NOT_BEFORE,
	              rd__strdup(rd__x509_asn1_time(X509_get0_notBefore(x), nb))) != RD_OK ||
	    set_field(v, RD_PACK_NOT_AFTER,
	              rd__strdup(rd__x509_asn1_time(X509_get0_notAfter(x), na))) != RD_OK ||
	    set_field(v, RD_PACK_DIGEST, rd__strdup(OBJ_nid2sn(dig_nid))) != RD_OK)
		return rd__error_oom();
	loc = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (loc >= 0) {
		X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, loc);
		ASN1_TYPE *t = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;

		if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) &&
		    rd__x509_asn1_time(t->value.utctime, nb)[0] &&
		    set_field(v, RD_PACK_SIGNING_TIME, rd__strdup(nb)) != RD_OK)
			return rd__error_oom();
	}
	ERR_clear_error();
	return RD_OK;
}

/* Check the CMS signature of content (a file BIO or memory): sets the verdict when the
 * signature is bad, weak or untrusted. RD_OK, or RD_ENOMEM. */
static int check_signature(rd_pack_verification *v, const rd_trust *t, time_t when,
                           const char *sig, size_t siglen, const char *sigpath,
                           const char *signed_name, BIO *content)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *signers, *untrusted = NULL;
	BIO *b = BIO_new_mem_buf(sig, (int)siglen);
	char ebuf[256];
	int i, n, first_dig = NID_undef, rc = 0;

	if (b == NULL) {
		ERR_clear_error();
		return rd__error_oom();
	}
	if (siglen > 11 && memcmp(sig, "-----BEGIN ", 11) == 0)
		cms = PEM_read_bio_CMS(b, NULL, NULL, NULL);
	else
		cms = d2i_CMS_bio(b, NULL);
	BIO_free(b);
	if (cms == NULL) {
		rc = verdict(v, RD_SIG_BAD_SIGNATURE, "%s is not a CMS signature (%s)",
		             sigpath, rd__x509_ossl_reason(ebuf, sizeof ebuf));
		goto done;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		rc = verdict(v, RD_SIG_BAD_SIGNATURE, "%s is CMS but not signed data",
		             sigpath);
		goto done;
	}
	if (CMS_is_detached(cms) != 1) {
		rc = verdict(v, RD_SIG_BAD_SIGNATURE,
		             "%s is not a detached signature (it carries content of its "
		             "own; sign with openssl cms -sign without -nodetach)",
		             sigpath);
		goto done;
	}
	sis = CMS_get0_SignerInfos(cms);
	n = sis ? sk_CMS_SignerInfo_num(sis) : 0;
	if (n == 0) {
		rc = verdict(v, RD_SIG_BAD_SIGNATURE, "%s has no signer", sigpath);
		goto done;
	}
	/* weak algorithms are refused before anything is computed with them */
	for (i = 0; i < n; i++) {
		X509_ALGOR *dig = NULL, *sa = NULL;
		const ASN1_OBJECT *obj = NULL;
		int nid, md_nid = NID_undef, pk_nid = NID_undef;

		CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(sis, i), NULL, NULL, &dig, &sa);
		X509_ALGOR_get0(&obj, NULL, NULL, dig);
		nid = OBJ_obj2nid(obj);
		if (i == 0)
			first_dig = nid;
		if (!digest_allowed(nid)) {
			rc = verdict(v, RD_SIG_WEAK_ALGORITHM,
			             "the signature's digest is %s; rahdari needs SHA-256 or "
			             "stronger (SHA-384, SHA-512, SHA3)",
			             nid == NID_undef ? "unknown" : OBJ_nid2sn(nid));
			goto done;
		}
		X509_ALGOR_get0(&obj, NULL, NULL, sa);
		nid = OBJ_obj2nid(obj);
		if (OBJ_find_sigid_algs(nid, &md_nid, &pk_nid) && md_nid != NID_undef &&
		    !digest_allowed(md_nid)) {
			rc = verdict(v, RD_SIG_WEAK_ALGORITHM,
			             "the signature algorithm is %s; rahdari needs SHA-256 "
			             "or stronger",
			             OBJ_nid2sn(nid));
			goto done;
		}
	}
	if (CMS_verify(cms, t->certs, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) <= 0) {
		unsigned long e = ERR_peek_last_error();

		if (ERR_GET_LIB(e) == ERR_LIB_CMS && ERR_GET_REASON(e) == CMS_R_SIGNER_CERTIFICATE_NOT_FOUND)
			rc = verdict(v, RD_SIG_UNTRUSTED,
			             "the signer's certificate is neither in %s nor in the "
			             "trust store",
			             sigpath);
		else if (ERR_GET_LIB(e) == ERR_LIB_CMS &&
		         (ERR_GET_REASON(e) == CMS_R_VERIFICATION_FAILURE ||
		          ERR_GET_REASON(e) == CMS_R_CONTENT_VERIFY_ERROR))
			rc = verdict(v, RD_SIG_BAD_SIGNATURE,
			             "%s does not match %s (one of them was altered after "
			             "signing)",
			             sigpath, signed_name);
		else
			rc = verdict(v, RD_SIG_BAD_SIGNATURE, "%s: %s", sigpath,
			             rd__x509_ossl_reason(ebuf, sizeof ebuf));
		ERR_clear_error();
		goto done;
	}
	signers = CMS_get0_signers(cms);
	if (signers == NULL || sk_X509_num(signers) != n) {
		sk_X509_free(signers);
		rc = verdict(v, RD_SIG_UNTRUSTED, "%s names a signer it does not carry",
		             sigpath);
		goto done;
	}
	if (describe_signer(v, sk_X509_value(signers, 0), sk_CMS_SignerInfo_value(sis, 0),
	                    first_dig) != RD_OK) {
		sk_X509_free(signers);
		rc = -1;
		goto done;
	}
	untrusted = CMS_get1_certs(cms);
	for (i = 0; i < n && rc == 0 && v->o.status < 0; i++)
		rc = rd__trust_verify_chain(t, sk_X509_value(signers, i), untrusted, when,
		                            RD_CHAIN_STRICT_KEYS, &v->o);
	sk_X509_pop_free(untrusted, X509_free);
	sk_X509_free(signers);
done:
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return rc < 0 ? rd__error_oom() : RD_OK;
}

/* Compare the files of the directory with the manifest. */
static int check_files(rd_pack_verification *v, const char *dir)
{
	ps_walk w;
	size_t i = 0, j = 0, changed = 0;
	int rc;

	rc = walk(&w, dir, 0);
	if (rc != RD_OK) {
		walk_free(&w);
		return rc;
	}
	while (rc == RD_OK && (i < v->nentries || j < w.n)) {
		int c = i == v->nentries ? 1 : j == w.n ? -1 : strcmp(v->entries[i].path, w.v[j].path);
		int bad = 0;

		if (c < 0) {
			bad = add_problem(v, RD_PACK_FILE_MISSING, v->entries[i].path,
			                  "file missing: listed in the signed manifest, not in the pack");
			i++;
		} else if (c > 0) {
			if (w.v[j].reason)
				bad = add_problem(v, RD_PACK_FILE_REFUSED, w.v[j].path,
				                  "file added, and refused: %s", w.v[j].reason);
			else
				bad = add_problem(v, RD_PACK_FILE_ADDED, w.v[j].path,
				                  "file added: not in the signed manifest");
			j++;
		} else {
			const ps_entry *e = &v->entries[i];
			char digest[65], *shown;
			unsigned long long size;
			struct stat st;

			if (w.v[j].reason) {
				bad = add_problem(v, RD_PACK_FILE_REFUSED, e->path, "refused: %s", w.v[j].reason);
			} else if (stat(w.v[j].open, &st) == 0 && (unsigned long long)st.st_size != e->size) {
				bad = add_problem(v, RD_PACK_FILE_CHANGED, e->path,
				                  "digest mismatch: %llu bytes now, %llu when signed",
				                  (unsigned long long)st.st_size, e->size);
			} else if ((shown = rd__path_join(dir, e->path)) == NULL) {
				rc = rd__error_oom();
			} else {
				rc = hash_file(w.v[j].open, shown, digest, &size);
				free(shown);
				if (rc == RD_OK && (size != e->size || strcmp(digest, e->sha256) != 0))
					bad = add_problem(v, RD_PACK_FILE_CHANGED, e->path,
					                  "digest mismatch: SHA-256 %.16s... now, %.16s... when signed",
					                  digest, e->sha256);
			}
			i++;
			j++;
		}
		if (bad < 0)
			rc = rd__error_oom();
	}
	walk_free(&w);
	if (rc != RD_OK)
		return rc;
	changed = v->nproblems;
	if (changed && verdict(v, RD_SIG_DIGEST_MISMATCH, "%zu file%s differ%s from the signed manifest; %s: %s",
	                       changed, changed == 1 ? "" : "s", changed == 1 ? "s" : "", v->problems[0].file,
	                       v->problems[0].detail) < 0)
		return rd__error_oom();
	return RD_OK;
}

/* A path naming a pack: its pack.xml names its directory. */
static char *pack_path(const char *path)
{
	size_t n = strlen(path);

	if ((n == 8 || (n > 8 && path[n - 9] == '/')) && strcmp(path + n - 8, "pack.xml") == 0)
		return n == 8 ? rd__strdup(".") : rd__strndup(path, n - 9 > 0 ? n - 9 : 1);
	return rd__strdup(path);
}

static int verify_dir(rd_pack_verification *v, const rd_trust *t, time_t when, const char *dir)
{
	char *mpath = rd__path_join(dir, RD_PACK_MANIFEST), *spath = rd__path_join(dir, RD_PACK_SIGNATURE);
	char *mdata = NULL, *sdata = NULL, err[256];
	size_t mlen = 0, slen = 0;
	int mmissing = 1, smissing = 1, rc;
	BIO *content;

	if (mpath == NULL || spath == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	rc = read_optional(mpath, PS_MAX_MANIFEST, &mdata, &mlen, &mmissing);
	if (rc == RD_OK)
		rc = read_optional(spath, PS_MAX_SIG, &sdata, &slen, &smissing);
	if (rc != RD_OK)
		goto done;
	if (mmissing || smissing) {
		if (verdict(v, RD_SIG_MISSING, "%s",
		            mmissing && smissing ? "no " RD_PACK_MANIFEST " manifest and no " RD_PACK_SIGNATURE
		                                   " signature"
		            : mmissing ? RD_PACK_SIGNATURE " is there but the manifest " RD_PACK_MANIFEST
		                                           " is missing"
		                       : "the manifest " RD_PACK_MANIFEST " is there but the signature "
		                         RD_PACK_SIGNATURE " is missing") < 0)
			rc = rd__error_oom();
		goto done;
	}
	content = BIO_new_mem_buf(mdata, (int)mlen);
	if (content == NULL) {
		ERR_clear_error();
		rc = rd__error_oom();
		goto done;
	}
	rc = check_signature(v, t, when, sdata, slen, RD_PACK_SIGNATURE, RD_PACK_MANIFEST, content);
	BIO_free(content);
	if (rc != RD_OK)
		goto done;
	if (manifest_parse(mdata, mlen, &v->entries, &v->nentries, err, sizeof err) != 0) {
		if (verdict(v, RD_SIG_MALFORMED, "%s: %s", RD_PACK_MANIFEST, err) < 0)
			rc = rd__error_oom();
		goto done;
	}
	v->nfiles = v->nentries;
	rc = check_files(v, dir);
done:
	free(mdata);
	free(sdata);
	free(mpath);
	free(spath);
	return rc;
}

static int verify_file(rd_pack_verification *v, const rd_trust *t, time_t when, const char *file)
{
	size_t n = strlen(file);
	char *spath = rd__malloc(n + sizeof RD_PACK_FILE_SIG_SUFFIX), *sdata = NULL, *shown;
	size_t slen = 0;
	int smissing = 1, rc;
	BIO *content;

	if (spath == NULL)
		return rd__error_oom();
	memcpy(spath, file, n);
	memcpy(spath + n, RD_PACK_FILE_SIG_SUFFIX, sizeof RD_PACK_FILE_SIG_SUFFIX);
	rc = read_optional(spath, PS_MAX_SIG, &sdata, &slen, &smissing);
	if (rc == RD_OK && smissing) {
		if (verdict(v, RD_SIG_MISSING, "no signature %s", spath) < 0)
			rc = rd__error_oom();
	} else if (rc == RD_OK) {
		v->nfiles = 1;
		content = BIO_new_file(file, "rb");
		if (content == NULL) {
			ERR_clear_error();
			rc = rd__error_set(RD_EIO, file, 0, 0, "%s: cannot open: %s", file, strerror(errno));
		} else {
			char *fshown = printable(file);

			shown = printable(spath);
			rc = shown && fshown ? check_signature(v, t, when, sdata, slen, shown, fshown, content)
			                     : rd__error_oom();
			free(shown);
			free(fshown);
			BIO_free(content);
		}
	}
	free(sdata);
	free(spath);
	return rc;
}

int rd_pack_verify(rd_pack_verification **out, const rd_trust *trust, const char *path,
                   const rd_pack_verify_options *opts)
{
	rd_pack_verify_options o = RD_PACK_VERIFY_OPTIONS_INIT;
	rd_pack_verification *v;
	struct stat st;
	char *target, at[21];
	time_t when;
	int rc;

	rd__init();
	if (out == NULL || trust == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_pack_verify: out, trust and path must not be NULL");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_pack_verify", rd_pack_verify_options, RD_PACK_VERIFY_OPTIONS_VERSION, opts);
	if (opts)
		o = *opts;
	if (o.as_of == NULL)
		when = time(NULL);
	else if (rd__x509_time_parse(o.as_of, &when) != 0)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "as-of '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", o.as_of);
	target = pack_path(path);
	if (target == NULL)
		return rd__error_oom();
	if (stat(target, &st) != 0) {
		int e = errno;

		rc = rd__error_set(e == ENOENT || e == ENOTDIR ? RD_ENOTFOUND : RD_EIO, target, 0, 0,
		                   "%s: %s", target, strerror(e));
		free(target);
		return rc;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		rc = rd__error_set(RD_EINVAL, target, 0, 0, "%s: neither a directory nor a regular file",
		                   target);
		free(target);
		return rc;
	}
	v = verification_new(path);
	if (v == NULL) {
		free(target);
		return rd__error_oom();
	}
	rd__x509_time_format(when, at);
	rc = set_field(v, RD_PACK_CHECKED_AT, rd__strdup(at)) == RD_OK ? RD_OK : rd__error_oom();
	if (rc == RD_OK)
		rc = S_ISDIR(st.st_mode) ? verify_dir(v, trust, when, target)
		                         : verify_file(v, trust, when, target);
	if (rc == RD_OK && v->o.status < 0 &&
	    verdict(v, RD_SIG_OK, "%zu file%s signed by %s", v->nfiles, v->nfiles == 1 ? "" : "s",
	            v->fields[RD_PACK_SIGNER] ? v->fields[RD_PACK_SIGNER] : "?") < 0)
		rc = rd__error_oom();
	if (rc == RD_OK && v->o.oom)
		rc = rd__error_oom();
	free(target);
	if (rc != RD_OK) {
		rd_pack_verification_free(v);
		return rc;
	}
	*out = v;
	return RD_OK;
}

int rd_pack_verification_status(const rd_pack_verification *v)
{
	return v ? v->o.status : RD_SIG_MISSING;
}

size_t rd_pack_verification_warning_count(const rd_pack_verification *v)
{
	return v ? v->o.nwarnings : 0;
}

const char *rd_pack_verification_warning(const rd_pack_verification *v, size_t i)
{
	return v && i < v->o.nwarnings ? v->o.warnings[i] : NULL;
}

const char *rd_pack_verification_get(const rd_pack_verification *v, rd_pack_field field)
{
	if (v == NULL || (int)field < 1 || (int)field >= PS_NFIELDS)
		return NULL;
	return field == RD_PACK_MESSAGE ? v->o.message : v->fields[field];
}

size_t rd_pack_verification_file_count(const rd_pack_verification *v)
{
	return v ? v->nfiles : 0;
}

size_t rd_pack_verification_problem_count(const rd_pack_verification *v)
{
	return v ? v->nproblems : 0;
}

const char *rd_pack_verification_problem(const rd_pack_verification *v, size_t i, int *kind,
                                         const char **detail)
{
	if (v == NULL || i >= v->nproblems) {
		if (kind)
			*kind = 0;
		if (detail)
			*detail = NULL;
		return NULL;
	}
	if (kind)
		*kind = v->problems[i].kind;
	if (detail)
		*detail = v->problems[i].detail;
	return v->problems[i].file;
}

const char *rd_pack_problem_name(rd_pack_problem problem)
{
	if ((int)problem < 1 || (size_t)problem >= RD_ARRAY_LEN(problem_names))
		return "unknown";
	return problem_names[problem];
}

/* ---------------------------------------------------------------- signing */

/* Write data to dir/name through a temporary file and a rename. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
	char *tmpl = rd__malloc(strlen(dir) + strlen(name) + 16), *final = rd__path_join(dir, name);
	const char *p = data;
	int fd, rc = RD_OK;

	if (tmpl == NULL || final == NULL) {
		free(tmpl);
		free(final);
		return rd__error_oom();
	}
	sprintf(tmpl, "%s/.%s.XXXXXX", dir, name);
	fd = mkstemp(tmpl);
	if (fd < 0) {
		rc = rd__error_set(RD_EIO, final, 0, 0, "%s: cannot write: %s", final, strerror(errno));
		free(tmpl);
		free(final);
		return rc;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = rd__error_set(RD_EIO, final, 0, 0, "%s: cannot write: %s", final, strerror(errno));
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (rc == RD_OK && (fchmod(fd, 0644) != 0 || fsync(fd) != 0))
		rc = rd__error_set(RD_EIO, final, 0, 0, "%s: cannot write: %s", final, strerror(errno));
	if (close(fd) != 0 && rc == RD_OK)
		rc = rd__error_set(RD_EIO, final, 0, 0, "%s: cannot write: %s", final, strerror(errno));
	if (rc == RD_OK && rename(tmpl, final) != 0)
		rc = rd__error_set(RD_EIO, final, 0, 0, "%s: cannot write: %s", final, strerror(errno));
	if (rc != RD_OK)
		unlink(tmpl);
	free(tmpl);
	free(final);
	return rc;
}

/* The DER signature of content. */
static int cms_sign(unsigned char **der, int *derlen, BIO *content, X509 *cert, EVP_PKEY *key,
                    STACK_OF(X509) *chain)
{
	unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	const EVP_MD *md = EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? EVP_sha512() : EVP_sha256();
	CMS_ContentInfo *cms;
	char ebuf[256];
	int i;

	*der = NULL;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	if (cms == NULL || CMS_add1_signer(cms, cert, key, md, flags & ~CMS_PARTIAL) == NULL)
		goto fail;
	for (i = 0; chain && i < sk_X509_num(chain); i++)
		if (!CMS_add1_cert(cms, sk_X509_value(chain, i)))
			goto fail;
	if (!CMS_final(cms, content, NULL, flags & ~CMS_PARTIAL))
		goto fail;
	*derlen = i2d_CMS_ContentInfo(cms, der);
	if (*derlen <= 0)
		goto fail;
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return RD_OK;
fail:
	CMS_ContentInfo_free(cms);
	return rd__error_set(RD_ERROR, NULL, 0, 0, "cannot make the CMS signature: %s",
	                     rd__x509_ossl_reason(ebuf, sizeof ebuf));
}

int rd_pack_sign(const char *path, const rd_pack_sign_options *opts)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
	char *target = NULL, *manifest = NULL;
	unsigned char *der = NULL;
	int derlen = 0, rc;
	size_t mlen = 0;
	const char *why;
	struct stat st;
	BIO *content = NULL;

	rd__init();
	if (path == NULL || opts == NULL || opts->key == NULL || opts->cert == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_pack_sign: a path, a key and a certificate are needed");
	RD__CHECK_OPTIONS("rd_pack_sign", rd_pack_sign_options, RD_PACK_SIGN_OPTIONS_VERSION, opts);
	target = pack_path(path);
	if (target == NULL)
		return rd__error_oom();
	if (stat(target, &st) != 0) {
		int e = errno;

		rc = rd__error_set(e == ENOENT || e == ENOTDIR ? RD_ENOTFOUND : RD_EIO, target, 0, 0,
		                   "%s: %s", target, strerror(e));
		goto done;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		rc = rd__error_set(RD_EINVAL, target, 0, 0, "%s: neither a directory nor a regular file",
		                   target);
		goto done;
	}
	/* the signer's certificate is the first of its file; the others are included */
	chain = sk_X509_new_null();
	if (chain == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	if ((rc = rd__x509_load_file(opts->cert, chain, NULL, "certificate")) != RD_OK ||
	    (rc = rd__x509_load_key(&key, opts->key, opts->key_password)) != RD_OK)
		goto done;
	cert = sk_X509_shift(chain);
	if (opts->chain &&
	    (rc = rd__x509_load_file(opts->chain, chain, NULL, "certificate chain")) != RD_OK)
		goto done;
	if (!X509_check_private_key(cert, key)) {
		ERR_clear_error();
		rc = rd__error_set(RD_EINVAL, opts->key, 0, 0, "key %s does not belong to certificate %s",
		                   opts->key, opts->cert);
		goto done;
	}
	if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0 ||
	    X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
		char na[21], nb[21];

		rc = rd__error_set(RD_EUNSAFE, opts->cert, 0, 0,
		                   "certificate %s is not valid now (from %s to %s): a signature made with "
		                   "it would not verify",
		                   opts->cert, rd__x509_asn1_time(X509_get0_notBefore(cert), nb),
		                   rd__x509_asn1_time(X509_get0_notAfter(cert), na));
		goto done;
	}
	if (EVP_PKEY_get_security_bits(key) < 112 || EVP_PKEY_get_id(key) == EVP_PKEY_ED448) {
		rc = rd__error_set(RD_EUNSAFE, opts->key, 0, 0,
		                   "key %s is too weak or not supported (RSA of 2048 bits or more, EC "
		                   "of 224 bits or more, or Ed25519)",
		                   opts->key);
		goto done;
	}
	if ((why = rd__x509_signing_use(cert)) != NULL) {
		rc = rd__error_set(RD_EUNSAFE, opts->cert, 0, 0, "certificate %s is not meant for signing: %s",
		                   opts->cert, why);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = rd_pack_manifest(&manifest, &mlen, target);
		if (rc != RD_OK)
			goto done;
		content = BIO_new_mem_buf(manifest, (int)mlen);
	} else {
		content = BIO_new_file(target, "rb");
	}
	if (content == NULL) {
		ERR_clear_error();
		rc = rd__error_set(RD_EIO, target, 0, 0, "%s: cannot read: %s", target, strerror(errno));
		goto done;
	}
	rc = cms_sign(&der, &derlen, content, cert, key, chain);
	if (rc != RD_OK)
		goto done;
	if (S_ISDIR(st.st_mode)) {
		rc = write_atomic(target, RD_PACK_MANIFEST, manifest, mlen);
		if (rc == RD_OK)
			rc = write_atomic(target, RD_PACK_SIGNATURE, der, (size_t)derlen);
	} else {
		char *dir = rd__path_dir(target), *base = strrchr(target, '/'), *name;

		base = base ? base + 1 : target;
		name = rd__malloc(strlen(base) + sizeof RD_PACK_FILE_SIG_SUFFIX);
		if (dir == NULL || name == NULL) {
			rc = rd__error_oom();
		} else {
			sprintf(name, "%s%s", base, RD_PACK_FILE_SIG_SUFFIX);
			rc = write_atomic(dir, name, der, (size_t)derlen);
		}
		free(dir);
		free(name);
	}
done:
	BIO_free(content);
	OPENSSL_free(der);
	rd_free(manifest);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	EVP_PKEY_free(key);
	free(target);
	ERR_clear_error();
	return rc;
}

/* ---------------------------------------------------------------- loading signed rules */

rd_packsig_ctx *rd__packsig_ctx_new(const rd_trust *trust, const rd_pack_verify_options *opts)
{
	rd_packsig_ctx *ctx = rd__calloc(1, sizeof *ctx);

	if (ctx) {
		ctx->trust = trust;
		ctx->opts = opts;
	}
	return ctx;
}

void rd__packsig_ctx_free(rd_packsig_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->n; i++) {
		free(ctx->roots[i].real);
		rd_pack_verification_free(ctx->roots[i].v);
	}
	free(ctx->roots);
	free(ctx);
}

int rd__packsig_add_root(rd_packsig_ctx *ctx, const char *dir)
{
	rd_pack_verification *v = NULL;
	char *real;
	size_t i;
	int rc;

	real = realpath(dir, NULL);
	if (real == NULL) {
		int e = errno;

		return rd__error_set(e == ENOENT || e == ENOTDIR ? RD_ENOTFOUND : RD_EIO, dir, 0, 0,
		                     "%s: %s", dir, strerror(e));
	}
	for (i = 0; i < ctx->n; i++)
		if (strcmp(ctx->roots[i].real, real) == 0) {
			free(real);
			return RD_OK;
		}
	rc = rd_pack_verify(&v, ctx->trust, dir, ctx->opts);
	if (rc != RD_OK) {
		free(real);
		return rc;
	}
	if (v->o.status != RD_SIG_OK) {
		rc = rd__error_set(RD_EUNSAFE, dir, 0, 0, "%s: rules refused, a signed pack is required: %s",
		                   dir, v->o.message);
		rd_pack_verification_free(v);
		free(real);
		return rc;
	}
	if (v->nentries == 0 && v->nfiles == 1) {
		/* a single signed file is no pack */
		rd_pack_verification_free(v);
		free(real);
		return rd__error_set(RD_EUNSAFE, dir, 0, 0, "%s: rules refused: not a signed directory", dir);
	}
	if (rd__grow(&ctx->roots, &ctx->cap, ctx->n, sizeof *ctx->roots) < 0) {
		rd_pack_verification_free(v);
		free(real);
		return rd__error_oom();
	}
	ctx->roots[ctx->n].real = real;
	ctx->roots[ctx->n].v = v;
	ctx->n++;
	return RD_OK;
}

int rd__packsig_check_file(rd_packsig_ctx *ctx, const char *path, const char *data, size_t len)
{
	char *real = realpath(path, NULL), digest[65];
	size_t i;
	int rc;

	if (real == NULL)
		return rd__error_set(RD_EUNSAFE, path, 0, 0, "%s: rules refused: %s", path, strerror(errno));
	for (i = 0; i < ctx->n; i++) {
		const char *root = ctx->roots[i].real;
		size_t rl = strlen(root);
		const ps_entry *e;

		if (strncmp(real, root, rl) != 0 || real[rl] != '/')
			continue;
		e = bsearch(real + rl + 1, ctx->roots[i].v->entries, ctx->roots[i].v->nentries,
		            sizeof *e, cmp_entry_key);
		if (e == NULL)
			continue; /* perhaps the file of an enclosing pack */
		rd__x509_sha256_hex(data, len, digest);
		if (e->size != (unsigned long long)len || strcmp(digest, e->sha256) != 0)
			rc = rd__error_set(RD_EUNSAFE, path, 0, 0,
			                   "%s: rules refused: the file changed after its pack was verified "
			                   "(digest mismatch)",
			                   path);
		else
			rc = RD_OK;
		free(real);
		return rc;
	}
	free(real);
	return rd__error_set(RD_EUNSAFE, path, 0, 0,
	                     "%s: rules refused: not a file of a signed pack (a signed pack may "
	                     "read only its own files and those of the signed packs it extends)",
	                     path);
}
