/* rahdari tests: an allocator that fails on demand, loaded with LD_PRELOAD.
 *
 * Every allocation function a program, glibc, libxml2 or OpenSSL may call (malloc,
 * calloc, realloc, reallocarray, the aligned ones; glibc's strdup and friends call
 * malloc) is interposed; each call is counted while the injector is armed, and the Nth
 * one fails (returns NULL with errno ENOMEM) -- that one only, or that one and every later
 * one ("sticky", memory exhausted for good). The memory itself comes from the allocator
 * the program would have used (glibc's __libc_* entry points, which an allocator that
 * replaces malloc, such as mimalloc, replaces too), so what one allocates the other frees.
 *
 * A test program arms it around the call under test, found with dlsym():
 *   void failalloc_arm(unsigned long n, int mode);   n = 0: count only, fail nothing;
 *                                                    mode 0 one-shot, 1 sticky, 2 trace
 *                                                    (fail nothing, note the Nth caller)
 *   unsigned long failalloc_disarm(void);            the calls counted since armed
 *   int failalloc_injected(void);                    whether a call was made to fail
 *   void *failalloc_caller(void);                    the code that made the Nth call
 *   void failalloc_spare(void *caller);              never fail calls made from there
 * Sparing is for call sites that a library cannot survive (libxml2 2.9.14 dereferences
 * NULL when xmlXPathCompiledEval cannot allocate its parser context): the test finds
 * them by tracing, and says how many N it spared.
 * A whole process is armed from its start by RD_FAILALLOC=N (N = 0: count only) or
 * RD_FAILALLOC=N:sticky; with RD_FAILALLOC_REPORT=FILE, the number of calls counted is
 * written to FILE when the process exits (how far a sweep must go); RD_FAILALLOC_SPARE=
 * LIB:OFFSET,OFFSET... spares the calls made from those offsets of the shared object
 * whose name contains LIB (what tests/failalloc_check -p prints). Before it arms itself
 * from the environment, it has OpenSSL set up its default context (a first digest fetch),
 * as a program that uses OpenSSL early would: OpenSSL 3.0 crashes later when an allocation
 * fails while it does that, which no caller can prevent (rahdari does it in rd__init).
 *
 * Not for the sanitizers or valgrind, which bring their own allocators (tests skip).
 * SPDX-License-Identifier: MIT */
/* dladdr(), dl_iterate_phdr() */
#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's own entry points (exported for exactly this use: wrapping malloc). */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

#define EXPORT __attribute__((visibility("default")))

#define MAX_SPARED 8

static int armed;              /* atomic */
static int mode;               /* 0 one-shot, 1 sticky, 2 trace */
static void *spared[MAX_SPARED];
static int nspared;
static int injected;           /* atomic: a failure was injected since armed */
static unsigned long fail_at;  /* 1-based call to fail; 0: none */
static unsigned long calls;    /* atomic: calls since armed */
static void *last_caller;      /* the caller of the last call made to fail */

EXPORT void failalloc_arm(unsigned long n, int how);
EXPORT unsigned long failalloc_disarm(void);
EXPORT int failalloc_injected(void);
EXPORT void *failalloc_caller(void);
EXPORT void failalloc_spare(void *caller);

void failalloc_arm(unsigned long n, int how)
{
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	fail_at = n;
	mode = how;
	last_caller = NULL;
	__atomic_store_n(&calls, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&injected, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
}

unsigned long failalloc_disarm(void)
{
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

int failalloc_injected(void)
{
	return __atomic_load_n(&injected, __ATOMIC_SEQ_CST);
}

void *failalloc_caller(void)
{
	return __atomic_load_n(&last_caller, __ATOMIC_SEQ_CST);
}

void failalloc_spare(void *caller)
{
	if (nspared < MAX_SPARED)
		spared[nspared++] = caller;
}

/* Count this call (made from caller); 1 when it must fail. */
#define should_fail() should_fail_at(__builtin_return_address(0))
static int should_fail_at(void *caller)
{
	unsigned long k;
	int i;

	if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
		return 0;
	k = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	if (fail_at == 0 || k < fail_at || (k > fail_at && mode != 1))
		return 0;
	if (mode == 2) {
		__atomic_store_n(&last_caller, caller, __ATOMIC_SEQ_CST);
		return 0;
	}
	for (i = 0; i < nspared; i++)
		if (spared[i] == caller)
			return 0;
	__atomic_store_n(&injected, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&last_caller, caller, __ATOMIC_SEQ_CST);
	errno = ENOMEM;
	return 1;
}

EXPORT void *malloc(size_t n)
{
	return should_fail() ? NULL : __libc_malloc(n);
}

EXPORT void *calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : __libc_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t n)
{
	/* realloc(p, 0) frees: not an allocation that can fail */
	if (p != NULL && n == 0)
		return __libc_realloc(p, n);
	return should_fail() ? NULL : __libc_realloc(p, n);
}

EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

EXPORT void free(void *p)
{
	__libc_free(p);
}

EXPORT void *memalign(size_t align, size_t n)
{
	return should_fail() ? NULL : __libc_memalign(align, n);
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	p = memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

EXPORT void *valloc(size_t n)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

EXPORT void *pvalloc(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return memalign(page, (n + page - 1) / page * page);
}

/* RD_FAILALLOC_REPORT: the count, written with no allocation at all. */
static void report_count(void)
{
	const char *path = getenv("RD_FAILALLOC_REPORT");
	char buf[32];
	unsigned long n = __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
	size_t len = 0;
	int fd;

	if (path == NULL || *path == '\0')
		return;
	do {
		buf[sizeof buf - 1 - len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n && len < sizeof buf - 1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, buf + sizeof buf - len, len) < 0) {
		/* nothing to do: the sweep sees an empty file */
	}
	close(fd);
}

typedef struct find_lib {
	const char *name;
	size_t len;
	uintptr_t base;
} find_lib;

static int find_base(struct dl_phdr_info *info, size_t size, void *data)
{
	find_lib *f = data;
	const char *p;

	(void)size;
	for (p = info->dlpi_name; p && *p; p++)
		if (strncmp(p, f->name, f->len) == 0) {
			f->base = (uintptr_t)info->dlpi_addr;
			return 1;
		}
	return 0;
}

/* RD_FAILALLOC_SPARE=LIB:OFFSET,OFFSET... */
static void spare_from(const char *spec)
{
	const char *colon = strchr(spec, ':');
	find_lib f;
	char *end;

	if (colon == NULL)
		return;
	f.name = spec;
	f.len = (size_t)(colon - spec);
	f.base = 0;
	dl_iterate_phdr(find_base, &f);
	if (f.base == 0)
		return;
	for (spec = colon + 1; *spec; spec = *end ? end + 1 : end) {
		unsigned long off = strtoul(spec, &end, 16);

		if (end == spec)
			break;
		failalloc_spare((void *)(f.base + off));
	}
}

__attribute__((constructor)) static void from_environment(void)
{
	const char *s = getenv("RD_FAILALLOC");
	const char *spare = getenv("RD_FAILALLOC_SPARE");
	char *end;
	unsigned long n;

	if (spare && *spare)
		spare_from(spare);
	if (s == NULL || *s == '\0')
		return;
	{
		typedef void *(*fetch_fn)(void *, const char *, const char *);
		typedef void (*free_fn)(void *);
		fetch_fn fetch = (fetch_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "EVP_MD_fetch");
		free_fn md_free = (free_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "EVP_MD_free");

		if (fetch && md_free)
			md_free(fetch(NULL, "SHA256", NULL));
	}
	n = strtoul(s, &end, 10);
	failalloc_arm(n, strcmp(end, ":sticky") == 0);
	atexit(report_count);
}
