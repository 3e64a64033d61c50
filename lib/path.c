/* rahdari: where a path leads, for the checks that keep a pack inside its directories.
 *
 * rd__path_resolve() gives the absolute path a path leads to, symbolic links resolved
 * (for a path that does not exist yet, through its deepest existing ancestor);
 * rd__path_lexical() collapses a path without the file system (the embedded packs);
 * rd__path_under() says whether a path is a directory or below it. This file depends on
 * nothing else of the library (libc only), so that the tool compiles it in for the
 * confinement of `rules test`, which must agree with the library's to the letter.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *rd__path_resolve(const char *path);
char *rd__path_lexical(const char *path);
int rd__path_under(const char *path, const char *dir);

/* Collapse "//", "/./" and "/x/../" of an absolute path in place ("/.." is "/"). It
 * never allocates, so it cannot fail and leave a ".." behind. */
static void collapse_abs(char *p)
{
	char *w = p;
	const char *r = p;

	while (*r) {
		const char *seg;
		size_t len;

		while (*r == '/')
			r++;
		if (*r == '\0')
			break;
		seg = r;
		len = strcspn(r, "/");
		r += len;
		if (len == 1 && seg[0] == '.')
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (w > p && *--w != '/')
				;
			continue;
		}
		*w++ = '/';
		memmove(w, seg, len);
		w += len;
	}
	if (w == p)
		*w++ = '/';
	*w = '\0';
}

char *rd__path_resolve(const char *path)
{
	char *head = strdup(path), *real = NULL, *out;
	size_t cut, rl;
	struct stat st;

	if (head == NULL)
		return NULL;
	cut = strlen(head);
	/* climb to the deepest ancestor that exists: what follows it cannot hold a link */
	while ((real = realpath(head[0] ? head : ".", NULL)) == NULL) {
		if (errno == ENOMEM)
			break;
		while (cut > 0 && head[cut - 1] == '/')
			cut--;
		if (cut == 0)
			break; /* not even "." or "/" resolves */
		head[cut] = '\0';
		/* a link that leads nowhere: where it would lead is not known, so neither is
		 * whether that is inside */
		if (lstat(head, &st) == 0 && S_ISLNK(st.st_mode)) {
			errno = ENOENT;
			break;
		}
		while (cut > 0 && head[cut - 1] != '/')
			cut--;
		head[cut] = '\0';
	}
	if (real == NULL) {
		int e = errno;

		free(head);
		errno = e;
		return NULL;
	}
	free(head);
	rl = strlen(real);
	out = malloc(rl + strlen(path + cut) + 2);
	if (out != NULL) {
		memcpy(out, real, rl);
		out[rl] = '/';
		strcpy(out + rl + 1, path + cut);
		collapse_abs(out);
	}
	free(real);
	return out;
}

char *rd__path_lexical(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 2);

	if (out == NULL)
		return NULL;
	out[0] = '/';
	memcpy(out + 1, path, n + 1);
	collapse_abs(out);
	return out;
}

int rd__path_under(const char *path, const char *dir)
{
	size_t dl = strlen(dir);

	if (dl == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, dl) == 0 && (path[dl] == '/' || path[dl] == '\0');
}
