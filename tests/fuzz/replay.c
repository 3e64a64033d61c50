/* rahdari fuzz targets without libFuzzer: feed files to LLVMFuzzerTestOneInput.
 *
 *   tests/fuzz/replay_<target> [FILE|DIR]...
 *
 * Each file, and each file of each directory (in name order; names starting with '.' and
 * README files skipped), is read into a buffer of exactly its size (so that a read past
 * the end is seen by valgrind and the sanitizers) and given to the target once. Arguments
 * starting with '-' (libFuzzer's options) are ignored. Without arguments it replays the
 * target's seed corpus, $srcdir/tests/fuzz/corpus/<target> (what make check runs).
 * Exit status 0 when every input ran; 1 when an input could not be read or there was
 * none (an empty corpus is not a pass). A broken promise aborts, as under libFuzzer.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef RD_FUZZ_TARGET
#error RD_FUZZ_TARGET names the target (-DRD_FUZZ_TARGET='"xml"')
#endif

static unsigned long ran;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? cap * 2 : 4096;
			p = realloc(buf, cap);
			if (p == NULL) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	{
		/* exactly len bytes: the target must not read beyond them */
		uint8_t *exact = malloc(len ? len : 1);

		if (exact == NULL) {
			free(buf);
			return -1;
		}
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	ran++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);

			if (p == NULL) {
				rc = -1;
				break;
			}
			names = p;
		}
		if ((names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL) {
			rc = -1;
			break;
		}
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? run_dir(path) : run_file(path);
}

int main(int argc, char **argv)
{
	int i, paths = 0, rc = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		paths++;
		if (run_path(argv[i]) < 0)
			rc = 1;
	}
	if (paths == 0) {
		const char *src = getenv("srcdir");
		char *dir;

		if (src == NULL || src[0] == '\0')
			src = ".";
		dir = malloc(strlen(src) + sizeof "/tests/fuzz/corpus/" RD_FUZZ_TARGET);
		if (dir == NULL)
			return 1;
		sprintf(dir, "%s/tests/fuzz/corpus/" RD_FUZZ_TARGET, src);
		if (run_path(dir) < 0)
			rc = 1;
		free(dir);
	}
	if (ran == 0) {
		fprintf(stderr, "replay " RD_FUZZ_TARGET ": no input\n");
		rc = 1;
	}
	printf("replay " RD_FUZZ_TARGET ": %lu inputs\n", ran);
	return rc;
}
