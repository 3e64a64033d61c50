/* rahdari fuzz targets: what every target shares.
 *
 * Each tests/fuzz/fuzz_<target>.c defines LLVMFuzzerInitialize (run once: fixed rule sets,
 * trust stores) and LLVMFuzzerTestOneInput (one input: everything it makes is freed before
 * it returns, so that no state passes from one input to the next). They are linked either
 * with libFuzzer (tests/fuzz/fuzz_<target>, --enable-fuzzing) or with tests/fuzz/replay.c
 * (tests/fuzz/replay_<target>, make check), against the library's objects built statically
 * (tests/fuzz/librdstatic.la), so that internal entry points such as rd__table_parse are
 * reachable.
 *
 * A target aborts when the library breaks a promise of its API (a status it does not
 * document, an error without a message, records out of order): under libFuzzer that is a
 * crash with a reproducer, in make check a failed test. Nothing is written outside the
 * process; no network.
 * SPDX-License-Identifier: MIT */
#ifndef RD_FUZZ_H
#define RD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rahdari.h>

/* The day every target checks "as of": results never depend on today's date. */
#define RD_FUZZ_AS_OF "2026-12-01"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the process: the library broke a promise (what says which). */
#define FUZZ_FAIL(...)                                                                      \
	do {                                                                                \
		fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__);                       \
		fprintf(stderr, __VA_ARGS__);                                               \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

#define FUZZ_REQUIRE(cond)                                                                  \
	do {                                                                                \
		if (!(cond))                                                                \
			FUZZ_FAIL("promise broken: %s", #cond);                             \
	} while (0)

/* rc is a status the call documents (a bitmask of 1 << -status over the RD_E* codes, which
 * are negative, plus RD_OK), and a failure left its own status and a message in
 * rd_error_last(). */
#define FUZZ_ST(code) (1u << (unsigned int)(-(code)))
static inline void fuzz_status(int rc, unsigned int allowed, const char *call)
{
	const rd_error *e;

	if (rc == RD_OK)
		return;
	if (rc > 0 || rc < -31 || !(allowed & FUZZ_ST(rc)))
		FUZZ_FAIL("%s returned %d (%s), which it does not document", call, rc,
		          rd_status_name(rc));
	e = rd_error_last();
	if (e->code != rc || e->message == NULL || e->message[0] == '\0')
		FUZZ_FAIL("%s returned %s but rd_error_last() says %d '%s'", call,
		          rd_status_name(rc), e->code, e->message ? e->message : "(null)");
}

/* A copy of the input with a NUL after it, for calls that take C strings or read one byte
 * past the end (the library's own callers always give that byte). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		FUZZ_FAIL("out of memory");
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A writer sink that keeps nothing but counts the bytes (so the output is produced). */
static inline int fuzz_discard(const char *data, size_t len, void *payload)
{
	size_t *n = payload;

	(void)data;
	*n += len;
	return 0;
}

/* Render a report in every format (the writers see every hostile string). */
static inline void fuzz_render(const rd_report *report)
{
	static const int formats[] = { RD_FORMAT_TEXT, RD_FORMAT_JSON, RD_FORMAT_JSONL,
	                               RD_FORMAT_SVRL };
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char *out = NULL;
		size_t len = 0;
		int rc = rd_report_format(&out, &len, report, formats[i], 0);

		fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_report_format");
		FUZZ_REQUIRE(rc != RD_OK || (out != NULL && strlen(out) <= len));
		rd_free(out);
	}
}

/* Read every field of every finding, and check what the API promises of them. */
static inline void fuzz_walk_report(const rd_report *report)
{
	size_t n = rd_report_count(report), i, sev = 0;
	int s;

	for (s = RD_SEVERITY_INFO; s <= RD_SEVERITY_ERROR; s++)
		sev += rd_report_severity_count(report, s);
	FUZZ_REQUIRE(sev == n);
	for (i = 0; i < n; i++) {
		const rd_finding *f = rd_report_finding(report, i);
		int field, k;
		size_t d;

		FUZZ_REQUIRE(f != NULL);
		k = rd_finding_kind(f);
		FUZZ_REQUIRE(k >= RD_KIND_ASSERT && k <= RD_KIND_SCHEMA);
		s = rd_finding_severity(f);
		FUZZ_REQUIRE(s >= RD_SEVERITY_INFO && s <= RD_SEVERITY_ERROR);
		FUZZ_REQUIRE(rd_finding_get(f, RD_FIELD_MESSAGE) != NULL);
		for (field = RD_FIELD_RULE; field <= RD_FIELD_LANG; field++) {
			const char *v = rd_finding_get(f, (rd_field)field);

			if (v != NULL)
				(void)strlen(v);
		}
		for (d = 0; d < rd_finding_diagnostic_count(f); d++) {
			const char *id = NULL;

			FUZZ_REQUIRE(rd_finding_diagnostic(f, d, &id) != NULL);
		}
		(void)rd_finding_line(f);
	}
	FUZZ_REQUIRE(rd_report_finding(report, n) == NULL);
}

#endif /* RD_FUZZ_H */
