/* rahdari benchmark: machine-readable zones, CNIC numbers and name matching, one thread.
 *
 * Build and run (from the source tree, after make):
 *   gcc -O2 -Iinclude bench/mrz_bench.c -Llib/.libs -lrahdari -o mrz_bench
 *   LD_LIBRARY_PATH=lib/.libs ./mrz_bench [SECONDS]
 *
 * Each measurement repeats its operation on a rotating set of inputs for at least
 * SECONDS (default 1) of wall-clock time (CLOCK_MONOTONIC) and prints operations per
 * second and nanoseconds per operation, by wall-clock time and by the thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID; the two differ when the machine is busy). One MRZ validation is rd_mrz_parse() +
 * rd_mrz_valid() + rd_mrz_free() on one of the five formats, valid or not.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rahdari.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The five formats, valid and not: 10 valid (specimens, Pakistani documents, long
 * document numbers) and 5 invalid (a changed birth date, a lower-case letter, an unknown
 * country, a line one character short, a check digit wrong). */
static const char *const mrzs[] = {
	/* TD3 */
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
	"PPPAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<\nAB12345615PAK8204114M32013143520212345671<92",
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7508122F1204159ZE184226B<<<<<10",
	/* TD2 */
	"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
	"I<PAKKHAN<<AYESHA<<<<<<<<<<<<<<<<<<<\nD23145890<PAK7408122F1204159K78<<<<6",
	"I<UTOERIKSSON<<anna<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
	/* TD1 */
	"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	"I<UTOD23145890<XYZ5<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<0\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	"I<YTOD231458907<<<<<<<<<<<<<<<\n3407127M9507122YTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
	/* MRV-A */
	"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<<<",
	"V<SAUKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<\nAB12345615PAK8204114M2702227<<<<<<<<<<<<<<<<",
	"V<SAUKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<\nAB12345615PAK8204114M2702227<<<<<<<<<<<<<<<",
	/* MRV-B */
	"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226",
	"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<",
	"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C5XXX4009078F9612109<<<<<<<<",
};

static const char *const cnics[] = {
	"34201-0891231-8", "42201-0397640-8", "3420108912318", " 35202-1234567-1 ",
	"94201-0891231-8", "34201-0891231-0", "3420-10891231-8", "3420108912A18",
};

static const char *const names[][2] = {
	{ "Muhammad Al-Hassan", "AL<HASSAN<<MUHAMMAD" },
	{ "MUHAMMAD ALI KHAN", "KHAN<<MUHAMMAD<ALI" },
	{ "AL-HASSAN, Muhammad", "AL<HASSAN<<MUHAMMAD<<<<<<<<<<<<<<<<<<<<" },
	{ "J\xc3\xbcrgen M\xc3\xbcller", "MULLER<<JURGEN" },
	{ "Chayapa Dejthamrong Krasuang Nilavadhanananda", "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K" },
	{ "Muhammad Hassan", "AL<HASSAN<<MUHAMMAD" },
};

static size_t mrz_len[COUNT(mrzs)];
static volatile long sink;

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what the work cost, also on a busy machine */
static double cpu_now(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/* One MRZ validation; as_of NULL: today's date (read on every parse). */
static int mrz_once(size_t i, const char *as_of)
{
	rd_mrz *m = NULL;
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;
	int v;

	o.as_of = as_of;
	if (rd_mrz_parse(&m, mrzs[i], mrz_len[i], &o) != RD_OK) {
		fprintf(stderr, "mrz_bench: rd_mrz_parse failed\n");
		exit(1);
	}
	v = rd_mrz_valid(m);
	rd_mrz_free(m);
	return v;
}

typedef long (*batch_fn)(long n, const void *arg);

static long batch_mrz(long n, const void *arg)
{
	const char *as_of = arg;
	long valid = 0, k;

	for (k = 0; k < n; k++)
		valid += mrz_once((size_t)k % COUNT(mrzs), as_of);
	return valid;
}

static long batch_cnic(long n, const void *arg)
{
	long valid = 0, k;
	rd_cnic c = RD_CNIC_INIT;

	(void)arg;
	for (k = 0; k < n; k++)
		valid += rd_cnic_parse(cnics[(size_t)k % COUNT(cnics)], &c);
	return valid;
}

static long batch_names(long n, const void *arg)
{
	long valid = 0, k;

	(void)arg;
	for (k = 0; k < n; k++) {
		size_t i = (size_t)k % COUNT(names);

		valid += rd_name_matches(names[i][0], names[i][1]);
	}
	return valid;
}

/* Run fn in batches until at least min_s seconds passed; print the rate. */
static void measure(const char *what, batch_fn fn, const void *arg, double min_s, long batch)
{
	double start, cpu_start, elapsed, cpu;
	long total = 0, accepted = 0;

	sink += fn(batch / 10 + 1, arg); /* warm up */
	start = now();
	cpu_start = cpu_now();
	do {
		accepted += fn(batch, arg);
		total += batch;
		elapsed = now() - start;
	} while (elapsed < min_s);
	cpu = cpu_now() - cpu_start;
	sink += accepted;
	printf("%-32s %11.0f /s %8.1f ns each | CPU: %11.0f /s %8.1f ns | %ld in %.2f s, %.0f%% accepted\n",
	       what, (double)total / elapsed, elapsed * 1e9 / (double)total, (double)total / cpu,
	       cpu * 1e9 / (double)total, total, elapsed, 100.0 * (double)accepted / (double)total);
}

int main(int argc, char **argv)
{
	double min_s = argc > 1 ? atof(argv[1]) : 1.0;
	size_t i;

	if (min_s <= 0)
		min_s = 1.0;
	for (i = 0; i < COUNT(mrzs); i++)
		mrz_len[i] = strlen(mrzs[i]);
	printf("rahdari %s: MRZ, CNIC and name benchmarks, one thread, >= %.1f s each\n",
	       rd_version(), min_s);
	printf("inputs: %zu MRZs (TD1, TD2, TD3, MRV-A, MRV-B; valid and invalid), %zu CNICs, "
	       "%zu name pairs\n",
	       COUNT(mrzs), COUNT(cnics), COUNT(names));
	measure("MRZ validation (--as-of given)", batch_mrz, "2026-11-28", min_s, 100000);
	measure("MRZ validation (as of today)", batch_mrz, NULL, min_s, 100000);
	measure("rd_cnic_parse", batch_cnic, NULL, min_s, 1000000);
	measure("rd_name_matches", batch_names, NULL, min_s, 100000);
	return sink == -1;
}
