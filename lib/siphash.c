/* rahdari: a keyed hash for hash tables whose keys come from input.
 *
 * SipHash-2-4 (J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast short-input PRF",
 * 2012): the message is read as little-endian 64-bit words, the last one padded with
 * zeros and the message length in its top byte; two SipRounds per word, four to
 * finalise. Under a key the attacker does not know, they cannot choose keys that
 * collide, so a hash table over CSV values, element names and the like keeps its
 * expected O(1) per operation whatever the input.
 *
 * The key of rd__hash() is drawn once per process with getrandom() (under
 * pthread_once, so threads that race to the first hash agree on one key). This file
 * depends on nothing else of the library, so that the tests can compile it in and check
 * it against the published test vectors.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

uint64_t rd__siphash24(const unsigned char key[16], const void *data, size_t len);
uint64_t rd__hash(const void *data, size_t len);

static uint64_t load64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                                   \
	do {                                                                       \
		v0 += v1;                                                          \
		v1 = ROTL(v1, 13);                                                 \
		v1 ^= v0;                                                          \
		v0 = ROTL(v0, 32);                                                 \
		v2 += v3;                                                          \
		v3 = ROTL(v3, 16);                                                 \
		v3 ^= v2;                                                          \
		v0 += v3;                                                          \
		v3 = ROTL(v3, 21);                                                 \
		v3 ^= v0;                                                          \
		v2 += v1;                                                          \
		v1 = ROTL(v1, 17);                                                 \
		v1 ^= v2;                                                          \
		v2 = ROTL(v2, 32);                                                 \
	} while (0)

uint64_t rd__siphash24(const unsigned char key[16], const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + (len & ~(size_t)7);
	uint64_t k0 = load64(key), k1 = load64(key + 8);
	/* the initial state: the key xored with "somepseudorandomlygeneratedbytes" */
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m, b = (uint64_t)len << 56;
	size_t rest = len & 7;

	for (; p != end; p += 8) {
		m = load64(p);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	/* the last 0 to 7 bytes, little-endian, under the length byte */
	while (rest-- > 0)
		b |= (uint64_t)p[rest] << (8 * rest);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static unsigned char process_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* Fill buf from the kernel's generator; 0, or -1 when it cannot be read. */
static int random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	/* a kernel without getrandom(2) (before Linux 3.17), or a seccomp filter that
	 * forbids it */
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? 0 : -1;
}

static void key_init(void)
{
	if (random_bytes(process_key, sizeof process_key) != 0) {
		/* No source of randomness at all: a key that differs from run to run and from
		 * process to process is still far better than none. Hashing never fails. */
		struct timespec ts[2];
		uint64_t seed[4];
		static const unsigned char fixed[16] = "rahdari-nokey-v1";

		clock_gettime(CLOCK_REALTIME, &ts[0]);
		clock_gettime(CLOCK_MONOTONIC, &ts[1]);
		seed[0] = (uint64_t)ts[0].tv_sec ^ (uint64_t)ts[0].tv_nsec << 20;
		seed[1] = (uint64_t)ts[1].tv_sec ^ (uint64_t)ts[1].tv_nsec << 20;
		seed[2] = (uint64_t)getpid();
		seed[3] = (uint64_t)(uintptr_t)&ts; /* the stack's address, under ASLR */
		seed[0] = rd__siphash24(fixed, seed, sizeof seed);
		seed[1] = rd__siphash24(fixed, seed, sizeof seed);
		memcpy(process_key, seed, 16);
	}
}

uint64_t rd__hash(const void *data, size_t len)
{
	pthread_once(&key_once, key_init);
	return rd__siphash24(process_key, data, len);
}
