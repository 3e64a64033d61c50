/* rahdari tests: helpers shared by the Check suites.
 * SPDX-License-Identifier: MIT */
#ifndef RD_TESTUTIL_H
#define RD_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include <rahdari.h>

/* Path of a file in the source tree (honours $srcdir for VPATH builds). Caller frees. */
char *tu_srcpath(const char *rel);
/* A fresh temporary directory (removed by tu_rmtree). Caller frees the string. */
char *tu_tmpdir(void);
void tu_rmtree(const char *dir);
/* Write a file (dir/name); returns the full path, caller frees. */
char *tu_write(const char *dir, const char *name, const char *content);

/* The starter pack of the source tree (rules/starter): small, with stable findings on the
 * examples; the test fails if it does not load. */
rd_rules *tu_starter(void);
/* Compile a schema held in a string; the test fails with the library's message otherwise. */
rd_rules *tu_rules(const char *sch);
/* Compile a schema; return the status and leave *out NULL on failure. */
int tu_rules_try(rd_rules **out, const char *sch);
/* Parse a document held in a string; the test fails otherwise. */
rd_document *tu_doc(const char *xml);
/* Check; the test fails unless rd_check returns RD_OK. */
rd_report *tu_check(const rd_rules *rules, const rd_document *doc, const rd_check_options *opts);
/* The findings of a report as one string: "KIND:ID@LOCATION" joined by " ", in report
 * order (KIND is A, R or E). Caller frees. */
char *tu_findings(const rd_report *r);
/* Shortcut: compile sch, parse xml, check with opts, return tu_findings. Caller frees. */
char *tu_run(const char *sch, const char *xml, const rd_check_options *opts);

/* Does s contain sub? */
int tu_contains(const char *s, const char *sub);

#define ck_assert_contains(s, sub)                                                          \
	do {                                                                                \
		const char *s_ = (s);                                                       \
		ck_assert_msg(s_ != NULL && tu_contains(s_, (sub)), "'%s' does not contain '%s'", \
		              s_ ? s_ : "(null)", (sub));                                   \
	} while (0)

/* A schema wrapper: namespace declarations for sch and the rahdari extensions. */
#define SCH_OPEN                                                                            \
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'"                      \
	" xmlns:rd='urn:rahdari:rules:1'>"                                                  \
	"<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
#define SCH_CLOSE "</sch:schema>"

/* Run a suite; returns the number of failures. Used by each suite's main(). */
int tu_run_suite(Suite *s);

#endif
