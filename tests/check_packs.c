/* rahdari tests: cases, run-time tables, parameters, XML Schemas and pack overlays.
 *
 * The features a check gets from outside its one document (the other documents of a
 * case, reached with fn:doc; tables and parameter values given at run time) and those a
 * pack manifest declares (xsd, extends, severity, tests), plus the embedded pack of a
 * jurisdiction. Packs are written to a temporary directory for each test.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* A schema with the prefixes d (documents) and fn (functions). */
#define SCHD_OPEN                                                                           \
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'"                      \
	" xmlns:rd='urn:rahdari:rules:1'>"                                                  \
	"<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"                                      \
	"<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
#define SCHD_CLOSE "</sch:schema>"
#define DNS "xmlns='urn:rahdari:doc:1'"

/* ---------------------------------------------------------------- helpers */

static char *pjoin(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Write dir/name (and its directories); the path is not kept. */
static void put(const char *dir, const char *name, const char *content)
{
	free(tu_write(dir, name, content));
}

/* Load rules from dir/rel; the test fails unless they load. */
static rd_rules *load_ok(const char *dir, const char *rel)
{
	char *p = pjoin(dir, rel);
	rd_rules *r = NULL;
	int rc = rd_rules_load(&r, p, NULL);

	ck_assert_msg(rc == RD_OK, "%s: %s", p, rd_error_last()->message);
	ck_assert_ptr_nonnull(r);
	free(p);
	return r;
}

/* Load rules from dir/rel, expecting failure with code; the message must contain each
 * of the NULL-terminated substrings. */
static void load_fails(const char *dir, const char *rel, int code, ...)
{
	char *p = pjoin(dir, rel);
	rd_rules *r = (rd_rules *)p; /* not NULL: the call must clear it */
	int rc = rd_rules_load(&r, p, NULL);
	const char *msg = rd_error_last()->message;
	const char *sub;
	va_list ap;

	ck_assert_msg(rc == code, "%s: expected %s, got %s (%s)", p, rd_status_name(code),
	              rd_status_name(rc), msg);
	ck_assert_ptr_null(r);
	va_start(ap, code);
	while ((sub = va_arg(ap, const char *)) != NULL)
		ck_assert_contains(msg, sub);
	va_end(ap);
	free(p);
}

/* Check xml with rules and opts; the findings as tu_findings() gives them. */
static char *run(const rd_rules *r, const char *xml, const rd_check_options *o)
{
	rd_document *d = tu_doc(xml);
	rd_report *rep = tu_check(r, d, o);
	char *s = tu_findings(rep);

	rd_report_free(rep);
	rd_document_free(d);
	return s;
}

#define ck_assert_findings(got, want)                                                       \
	do {                                                                                \
		char *g_ = (got);                                                           \
		ck_assert_msg(strcmp(g_, (want)) == 0, "findings '%s', want '%s'", g_, (want)); \
		free(g_);                                                                   \
	} while (0)

/* The messages of a report joined by " | ". Caller frees. */
static char *messages(const rd_report *rep)
{
	size_t i, len = 0, cap = 256;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (i = 0; i < rd_report_count(rep); i++) {
		const char *m = rd_finding_get(rd_report_finding(rep, i), RD_FIELD_MESSAGE);
		size_t need;

		m = m ? m : "(null)";
		need = len + strlen(m) + 4;
		if (need > cap) {
			while (cap < need)
				cap *= 2;
			s = realloc(s, cap);
			ck_assert_ptr_nonnull(s);
		}
		len += (size_t)sprintf(s + len, "%s%s", i ? " | " : "", m);
	}
	return s;
}

/* Check and return the messages. */
static char *run_msgs(const rd_rules *r, const char *xml, const rd_check_options *o)
{
	rd_document *d = tu_doc(xml);
	rd_report *rep = tu_check(r, d, o);
	char *s = messages(rep);

	rd_report_free(rep);
	rd_document_free(d);
	return s;
}

#define ck_assert_msgs(got, want)                                                           \
	do {                                                                                \
		char *g_ = (got);                                                           \
		ck_assert_msg(strcmp(g_, (want)) == 0, "messages '%s', want '%s'", g_, (want)); \
		free(g_);                                                                   \
	} while (0)

/* A table loaded from a file written for the test. */
static rd_data_table *table_ok(const char *dir, const char *file, const char *name,
                               const char *csv)
{
	char *p = tu_write(dir, file, csv);
	rd_data_table *t = NULL;
	int rc = rd_data_table_load(&t, name, p);

	ck_assert_msg(rc == RD_OK, "%s: %s", p, rd_error_last()->message);
	ck_assert_ptr_nonnull(t);
	free(p);
	return t;
}

/* A table that must be refused with code; returns the path (caller frees) so that the
 * message can be compared with it. */
static char *table_fails(const char *dir, const char *file, const char *csv, int code)
{
	char *p = tu_write(dir, file, csv);
	rd_data_table *t = (rd_data_table *)p;
	int rc = rd_data_table_load(&t, "t", p);

	ck_assert_msg(rc == code, "%s: expected %s, got %s (%s)", p, rd_status_name(code),
	              rd_status_name(rc), rc == RD_OK ? "" : rd_error_last()->message);
	ck_assert_ptr_null(t);
	return p;
}

/* The index of the first finding with that rule id, or -1. */
static long find_rule(const rd_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rd_report_count(rep); i++) {
		const char *fid = rd_finding_get(rd_report_finding(rep, i), RD_FIELD_RULE);

		if (fid && strcmp(fid, id) == 0)
			return (long)i;
	}
	return -1;
}

/* The index of the assertion with that id in a rule set, or -1. */
static long find_assertion(const rd_rules *r, const char *id)
{
	size_t i;

	for (i = 0; i < rd_rules_assertion_count(r); i++) {
		const char *aid = rd_assertion_get(rd_rules_assertion(r, i), RD_FIELD_RULE);

		if (aid && strcmp(aid, id) == 0)
			return (long)i;
	}
	return -1;
}

/* ================================================================ fn:doc */

/* Rules over a booking that read the case's licence. */
static const char doc_rules[] =
	SCHD_OPEN
	"<sch:pattern><sch:rule context='d:booking'>"
	"<sch:report id='ROOT' test=\"fn:doc('licence')/self::d:licence\">licence "
	"<sch:value-of select=\"fn:doc('licence')/@number\"/> office "
	"<sch:value-of select=\"fn:doc('licence')/d:office/@id\"/></sch:report>"
	"<sch:report id='TOP' test=\"fn:doc('licence') and not(fn:doc('licence')/parent::*)\">top</sch:report>"
	"<sch:report id='IN-CASE' test=\"fn:doc('licence')/parent::d:document/@role = 'licence'\">in case</sch:report>"
	"<sch:assert id='MATCH' test=\"not(fn:doc('licence')) or fn:doc('licence')/@number = d:agency/@licence\">"
	"sold under <sch:value-of select='d:agency/@licence'/>, not the case's licence</sch:assert>"
	"<sch:report id='MORA' test=\"fn:doc('mora-licence')\">mora "
	"<sch:value-of select=\"fn:doc('mora-licence')/@number\"/></sch:report>"
	"</sch:rule></sch:pattern>" SCHD_CLOSE;

static const char booking_l1[] =
	"<booking " DNS " id='B1'><agency licence='L-1'/></booking>";

START_TEST(test_doc_from_options)
{
	rd_rules *r = tu_rules(doc_rules);
	rd_document *lic = tu_doc("<licence " DNS " number='L-1' type='travel-agency'>"
	                          "<office id='LHR-01'/></licence>");
	rd_document *lic2 = tu_doc("<licence " DNS " number='L-2'><office id='KHI-01'/></licence>");
	rd_document *mora = tu_doc("<licence " DNS " number='M-7' type='hajj-umrah'/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[3];

	/* no case documents: fn:doc is empty, nothing fires */
	ck_assert_findings(run(r, booking_l1, NULL), "");
	ck_assert_findings(run(r, booking_l1, &o), "");

	/* the licence given to the check: fn:doc returns its root element */
	docs[0].role = "licence";
	docs[0].doc = lic;
	o.docs = docs;
	o.ndocs = 1;
	ck_assert_findings(run(r, booking_l1, &o), "R:ROOT@/d:booking[1] R:TOP@/d:booking[1]");
	ck_assert_msgs(run_msgs(r, booking_l1, &o), "licence L-1 office LHR-01 | top");

	/* another licence: the assert compares the booking with it */
	docs[0].doc = lic2;
	ck_assert_findings(run(r, booking_l1, &o),
	                   "R:ROOT@/d:booking[1] R:TOP@/d:booking[1] A:MATCH@/d:booking[1]");
	ck_assert_msgs(run_msgs(r, booking_l1, &o),
	               "licence L-2 office KHI-01 | top | sold under L-1, not the case's licence");

	/* two roles, each found by its own name; the order of the options does not matter */
	docs[0].role = "mora-licence";
	docs[0].doc = mora;
	docs[1].role = "licence";
	docs[1].doc = lic;
	o.ndocs = 2;
	ck_assert_findings(run(r, booking_l1, &o),
	                   "R:ROOT@/d:booking[1] R:TOP@/d:booking[1] R:MORA@/d:booking[1]");
	ck_assert_msgs(run_msgs(r, booking_l1, &o), "licence L-1 office LHR-01 | top | mora M-7");

	/* a role given twice: the first document of that role */
	docs[0].role = "licence";
	docs[0].doc = lic;
	docs[1].role = "licence";
	docs[1].doc = lic2;
	ck_assert_msgs(run_msgs(r, booking_l1, &o), "licence L-1 office LHR-01 | top");
	docs[0].doc = lic2;
	docs[1].doc = lic;
	ck_assert_msgs(run_msgs(r, booking_l1, &o),
	               "licence L-2 office KHI-01 | top | sold under L-1, not the case's licence");

	/* roles are compared exactly */
	docs[0].role = "Licence";
	docs[1].role = "licence ";
	ck_assert_findings(run(r, booking_l1, &o), "");

	rd_document_free(lic);
	rd_document_free(lic2);
	rd_document_free(mora);
	rd_rules_free(r);
}
END_TEST

static const char case_doc[] =
	"<case " DNS " id='C1'>\n"
	"  <document role='booking'><booking id='B1'><agency licence='L-1'/></booking></document>\n"
	"  <document role='licence' source='x.xml'>\n"
	"    <!-- the licence the booking was sold under -->\n"
	"    <licence number='L-1'><office id='LHR-01'/></licence>\n"
	"  </document>\n"
	"  <document role='licence'><licence number='L-2'><office id='KHI-01'/></licence></document>\n"
	"  <document role='mora-licence'><licence number='M-7'/></document>\n"
	"</case>";

START_TEST(test_doc_in_case)
{
	rd_rules *r = tu_rules(doc_rules);
	rd_document *opt = tu_doc("<licence " DNS " number='L-9'><office id='ISB-01'/></licence>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1];

	/* the booking inside the case fires the d:booking rule; fn:doc finds the first
	 * document of the role, its element (not a comment or text before it) */
	ck_assert_findings(run(r, case_doc, NULL),
	                   "R:ROOT@/d:case[1]/d:document[1]/d:booking[1] "
	                   "R:IN-CASE@/d:case[1]/d:document[1]/d:booking[1] "
	                   "R:MORA@/d:case[1]/d:document[1]/d:booking[1]");
	ck_assert_msgs(run_msgs(r, case_doc, NULL), "licence L-1 office LHR-01 | in case | mora M-7");

	/* a document given to the check wins over the case's document of the same role */
	docs[0].role = "licence";
	docs[0].doc = opt;
	o.docs = docs;
	o.ndocs = 1;
	ck_assert_msgs(run_msgs(r, case_doc, &o),
	               "licence L-9 office ISB-01 | top | sold under L-1, not the case's licence | mora M-7");

	/* a case whose licence comes second: still found */
	ck_assert_msgs(run_msgs(r,
	                        "<case " DNS "><document role='booking'><booking><agency licence='L-2'/></booking></document>"
	                        "<document role='passport'><passport number='P1'/></document>"
	                        "<document role='licence'><licence number='L-2'/></document></case>",
	                        NULL),
	               "licence L-2 office | in case");
	rd_document_free(opt);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_doc_self_axis_both_ways)
{
	/* the idiom of the Punjab overlay: the licence whether given or inside a case */
	rd_rules *r = tu_rules(SCHD_OPEN
	                       "<sch:let name='lic' value=\"fn:doc('licence')/self::d:licence | fn:doc('licence')/d:licence\"/>"
	                       "<sch:pattern><sch:rule context='d:booking'>"
	                       "<sch:report id='N' test='true()'><sch:value-of select='count($lic)'/> "
	                       "<sch:value-of select='$lic/@number'/></sch:report>"
	                       "<sch:report id='SELF' test=\"fn:doc('licence')/self::d:licence\">self</sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	rd_document *lic = tu_doc("<licence " DNS " number='L-1'/>");
	rd_document *notlic = tu_doc("<passport " DNS " number='P-1'/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1] = { { "licence", lic } };

	o.docs = docs;
	o.ndocs = 1;
	ck_assert_msgs(run_msgs(r, booking_l1, &o), "1 L-1 | self");
	ck_assert_msgs(run_msgs(r, case_doc, NULL), "1 L-1 | self");
	ck_assert_msgs(run_msgs(r, booking_l1, NULL), "0");
	/* a document of the role that is not a licence: self::d:licence is empty */
	docs[0].doc = notlic;
	ck_assert_msgs(run_msgs(r, booking_l1, &o), "0");
	/* a licence element in another namespace is not d:licence */
	ck_assert_msgs(run_msgs(r,
	                        "<case " DNS "><document role='booking'><booking/></document>"
	                        "<document role='licence'><licence xmlns='urn:other' number='X'/></document></case>",
	                        NULL),
	               "0");
	rd_document_free(lic);
	rd_document_free(notlic);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_doc_unknown_role)
{
	rd_rules *r = tu_rules(SCHD_OPEN
	                       "<sch:pattern><sch:rule context='/*'>"
	                       "<sch:assert id='EMPTY' test=\"count(fn:doc('passport')) = 0\">not empty</sch:assert>"
	                       "<sch:report id='ANY' test=\"fn:doc('passport')\">found</sch:report>"
	                       "<sch:assert id='STR' test=\"string(fn:doc('passport')/@number) = ''\">str</sch:assert>"
	                       "<sch:report id='VAL' test='true()'>[<sch:value-of select=\"fn:doc('passport')/@number\"/>]</sch:report>"
	                       "<sch:report id='ROLE' test=\"fn:doc(concat('pass', 'port'))\">dynamic</sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	rd_document *lic = tu_doc("<licence " DNS " number='L-1'/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1] = { { "licence", lic } };
	const char *xmls[] = {
		"<booking " DNS "/>",
		/* a case without that role */
		"<case " DNS "><document role='licence'><licence number='L-1'/></document></case>",
		/* a "case" of another namespace is not a case */
		"<case xmlns='urn:other'><document role='passport'><passport number='P-1'/></document></case>",
		/* a document element that holds no element */
		"<case " DNS "><document role='passport'>  text only  </document></case>",
	};
	size_t i;

	o.docs = docs;
	o.ndocs = 1;
	for (i = 0; i < sizeof xmls / sizeof *xmls; i++) {
		char *f = run(r, xmls[i], &o);
		char *m = run_msgs(r, xmls[i], &o);

		ck_assert_msg(strncmp(f, "R:VAL@/", 7) == 0 && strstr(f, " R:") == NULL &&
		              strstr(f, " A:") == NULL && strstr(f, " E:") == NULL,
		              "%s: findings '%s', want only VAL", xmls[i], f);
		ck_assert_str_eq(m, "[]");
		free(f);
		free(m);
	}
	/* and the dynamic role does find a passport inside a case */
	ck_assert_findings(run(r, "<case " DNS "><document role='passport'><passport number='P-1'/></document></case>", NULL),
	                   "A:EMPTY@/d:case[1] R:ANY@/d:case[1] A:STR@/d:case[1] R:VAL@/d:case[1] R:ROLE@/d:case[1]");
	rd_document_free(lic);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_doc_load_time_checks)
{
	rd_rules *r = NULL;

	ck_assert_int_eq(tu_rules_try(&r, SCHD_OPEN "<sch:pattern><sch:rule context='*'>"
	                                  "<sch:assert test='fn:doc()'/></sch:rule></sch:pattern>" SCHD_CLOSE),
	                 RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "fn:doc");
	ck_assert_ptr_null(r);
	ck_assert_int_eq(tu_rules_try(&r, SCHD_OPEN "<sch:pattern><sch:rule context='*'>"
	                                  "<sch:assert test=\"fn:doc('a', 'b')\"/></sch:rule></sch:pattern>" SCHD_CLOSE),
	                 RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "fn:doc");
	/* XSLT's document() stays refused: fn:doc never opens a file */
	ck_assert_int_eq(tu_rules_try(&r, SCHD_OPEN "<sch:pattern><sch:rule context='*'>"
	                                  "<sch:assert test=\"document('x.xml')\"/></sch:rule></sch:pattern>" SCHD_CLOSE),
	                 RD_EUNSUPPORTED);
}
END_TEST

START_TEST(test_doc_options_checked)
{
	rd_rules *r = tu_rules(doc_rules);
	rd_document *d = tu_doc(booking_l1);
	rd_document *lic = tu_doc("<licence " DNS " number='L-1'/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1] = { { NULL, lic } };
	rd_report *rep = (rd_report *)d;

	o.docs = docs;
	o.ndocs = 1;
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	ck_assert_ptr_null(rep);
	docs[0].role = "licence";
	docs[0].doc = NULL;
	rep = (rd_report *)d;
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	ck_assert_ptr_null(rep);
	/* with its document, the case document is read */
	docs[0].doc = lic;
	rep = tu_check(r, d, &o);
	ck_assert_uint_eq(rd_report_count(rep), 2);
	rd_report_free(rep);
	rd_document_free(lic);
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_doc_location_stays_in_document)
{
	/* a subject that points into another document of the case: the location must still
	 * select a node of the document checked (doc/rules.md: "Each location selects exactly
	 * one node of the document"), so it falls back to the context node */
	rd_rules *r = tu_rules(SCHD_OPEN
	                       "<sch:pattern><sch:rule context='d:booking/d:agency'>"
	                       "<sch:assert id='LIC' subject=\"fn:doc('licence')/d:office\" "
	                       "test=\"fn:doc('licence')/d:office/@id = @office\">office</sch:assert>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	rd_document *lic = tu_doc("<licence " DNS " number='L-1'>\n\n\n\n<office id='O-1'/></licence>");
	rd_document *d = tu_doc("<booking " DNS ">\n<agency office='O-2'/></booking>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1] = { { "licence", lic } };
	rd_report *rep;
	const rd_finding *f;
	char loc[256];
	long line;

	o.docs = docs;
	o.ndocs = 1;
	rep = tu_check(r, d, &o);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	f = rd_report_finding(rep, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "LIC");
	snprintf(loc, sizeof loc, "%s", rd_finding_get(f, RD_FIELD_LOCATION));
	line = rd_finding_line(f);
	rd_report_free(rep);
	rd_document_free(d);
	rd_document_free(lic);
	rd_rules_free(r);
	ck_assert_str_eq(loc, "/d:booking[1]/d:agency[1]");
	ck_assert_int_eq(line, 2);
}
END_TEST

/* ================================================================ run-time tables */

/* A pack whose schema declares the table reg (number,status) and reads it. */
static char *table_pack(void)
{
	char *dir = tu_tmpdir();

	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='tables'><schema href='t.sch'/></pack>");
	put(dir, "p/t.sch",
	    SCHD_OPEN "<rd:table name='reg' href='tables/reg.csv'/>"
	    "<sch:pattern><sch:rule context='d:agency'>"
	    "<sch:assert id='KNOWN' test=\"fn:in-table('reg', 'number', @licence)\">unknown "
	    "<sch:value-of select='@licence'/></sch:assert>"
	    "<sch:report id='STATUS' test='true()'>status "
	    "<sch:value-of select=\"fn:lookup('reg', 'number', @licence, 'status')\"/></sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "p/tables/reg.csv", "number,status\nA1,VALID\n");
	return dir;
}

static const char two_agencies[] =
	"<list " DNS "><agency licence='A1'/><agency licence='B2'/></list>";

START_TEST(test_table_overrides_pack_table)
{
	char *dir = table_pack();
	rd_rules *r = load_ok(dir, "p");
	rd_data_table *reg = table_ok(dir, "run/reg.csv", "reg", "number,status\nB2,SUSPENDED\n");
	rd_data_table *other = table_ok(dir, "run/other.csv", "other", "number,status\nA1,X\nB2,Y\n");
	const rd_data_table *tabs[2];
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	/* the pack's table */
	ck_assert_findings(run(r, two_agencies, NULL),
	                   "R:STATUS@/d:list[1]/d:agency[1] A:KNOWN@/d:list[1]/d:agency[2] "
	                   "R:STATUS@/d:list[1]/d:agency[2]");
	ck_assert_msgs(run_msgs(r, two_agencies, NULL), "status VALID | unknown B2 | status");
	/* a table of another name changes nothing */
	tabs[0] = other;
	o.tables = tabs;
	o.ntables = 1;
	ck_assert_msgs(run_msgs(r, two_agencies, &o), "status VALID | unknown B2 | status");
	/* a table of the same name hides the pack's whole table (no merging) */
	tabs[1] = reg;
	o.ntables = 2;
	ck_assert_findings(run(r, two_agencies, &o),
	                   "A:KNOWN@/d:list[1]/d:agency[1] R:STATUS@/d:list[1]/d:agency[1] "
	                   "R:STATUS@/d:list[1]/d:agency[2]");
	ck_assert_msgs(run_msgs(r, two_agencies, &o), "unknown A1 | status | status SUSPENDED");
	/* the tables are the caller's: the rule set is not changed by a check */
	ck_assert_msgs(run_msgs(r, two_agencies, NULL), "status VALID | unknown B2 | status");
	rd_data_table_free(reg);
	rd_data_table_free(other);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_missing_column_at_run_time)
{
	char *dir = table_pack();
	rd_rules *r = load_ok(dir, "p");
	rd_data_table *reg = table_ok(dir, "run/reg.csv", "reg", "number,holder\nA1,Al-Noor\n");
	const rd_data_table *tabs[1] = { reg };
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_document *d = tu_doc("<agency " DNS " licence='A1'/>");
	rd_report *rep;
	const rd_finding *f;

	/* the pack's table had the column; the one given at run time has not: an
	 * evaluation error on the document, not a crash and not a silent pass */
	o.tables = tabs;
	o.ntables = 1;
	rep = tu_check(r, d, &o);
	/* the evaluation error of the message, then the report itself */
	ck_assert_uint_eq(rd_report_count(rep), 2);
	f = rd_report_finding(rep, 0);
	ck_assert_int_eq(rd_finding_kind(f), RD_KIND_EVAL_ERROR);
	ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "STATUS");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "table 'reg' has no column 'status'");
	f = rd_report_finding(rep, 1);
	ck_assert_int_eq(rd_finding_kind(f), RD_KIND_REPORT);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "STATUS");
	rd_report_free(rep);
	rd_document_free(d);
	rd_data_table_free(reg);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_only_at_run_time)
{
	/* a table the pack does not declare, named through a variable */
	rd_rules *r = tu_rules(SCHD_OPEN "<sch:let name='t' value=\"'watch'\"/>"
	                       "<sch:pattern><sch:rule context='d:person'>"
	                       "<sch:report id='LISTED' test=\"fn:in-table($t, 'cnic', @cnic)\">listed: "
	                       "<sch:value-of select=\"fn:lookup($t, 'cnic', @cnic, 'reason')\"/></sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	char *dir = tu_tmpdir();
	rd_data_table *w = table_ok(dir, "w.csv", "watch", "cnic,reason\n35202-1234567-1,deported 2024\n");
	const rd_data_table *tabs[1] = { w };
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	static const char xml[] = "<people " DNS "><person cnic='35202-1234567-1'/><person cnic='1'/></people>";
	rd_document *d = tu_doc(xml);
	rd_report *rep;

	/* without it: an evaluation error naming the table, for each node */
	rep = tu_check(r, d, NULL);
	ck_assert_uint_eq(rd_report_count(rep), 2);
	ck_assert_int_eq(rd_finding_kind(rd_report_finding(rep, 0)), RD_KIND_EVAL_ERROR);
	ck_assert_contains(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "watch");
	rd_report_free(rep);
	/* with it */
	o.tables = tabs;
	o.ntables = 1;
	ck_assert_findings(run(r, xml, &o), "R:LISTED@/d:people[1]/d:person[1]");
	ck_assert_msgs(run_msgs(r, xml, &o), "listed: deported 2024");
	rd_document_free(d);
	rd_data_table_free(w);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_csv_syntax)
{
	rd_rules *r = tu_rules(
		SCHD_OPEN "<sch:let name='t' value=\"'csv'\"/>"
		"<sch:pattern><sch:rule context='/*'>"
		"<sch:assert id='QUOTED' test=\"fn:lookup($t, 'key', 'q', 'value') = 'Shop 5, &quot;Aziz&quot; Plaza'\">"
		"[<sch:value-of select=\"fn:lookup($t, 'key', 'q', 'value')\"/>]</sch:assert>"
		"<sch:assert id='CRLF' test=\"fn:lookup($t, 'key', 'crlf', 'value') = 'plain'\">"
		"[<sch:value-of select=\"string-length(fn:lookup($t, 'key', 'crlf', 'value'))\"/>]</sch:assert>"
		"<sch:assert id='LAST' test=\"fn:lookup($t, 'key', 'last', 'value') = 'end'\">"
		"[<sch:value-of select=\"string-length(fn:lookup($t, 'key', 'last', 'value'))\"/>]</sch:assert>"
		"<sch:assert id='MULTI' test=\"starts-with(fn:lookup($t, 'key', 'multi', 'value'), 'line1') and "
		"substring-after(fn:lookup($t, 'key', 'multi', 'value'), 'line1') = '&#10;line2'\">multi</sch:assert>"
		"<sch:assert id='EMPTY' test=\"fn:in-table($t, 'key', 'empty') and fn:lookup($t, 'key', 'empty', 'value') = ''\">empty</sch:assert>"
		"<sch:assert id='DUP' test=\"fn:lookup($t, 'key', 'dup', 'value') = 'first' and fn:in-table($t, 'value', 'second')\">dup</sch:assert>"
		"<sch:assert id='URDU' test=\"fn:lookup($t, 'key', 'ur', 'value') = 'لاہور'\">urdu</sch:assert>"
		"<sch:assert id='NOCOMMENT' test=\"not(fn:in-table($t, 'key', '# not a row'))\">comment</sch:assert>"
		"<sch:assert id='HEADER' test=\"not(fn:in-table($t, 'key', 'key'))\">header</sch:assert>"
		"<sch:report id='RAN' test='true()'>ran</sch:report>"
		"</sch:rule></sch:pattern>" SCHD_CLOSE);
	char *dir = tu_tmpdir();
	rd_data_table *t = table_ok(dir, "t.csv", "csv",
	                            "\xEF\xBB\xBF# a comment before the header\r\n"
	                            "key,value\r\n"
	                            "\r\n"
	                            "q,\"Shop 5, \"\"Aziz\"\" Plaza\"\r\n"
	                            "crlf,plain\r\n"
	                            "# not a row,x\r\n"
	                            "multi,\"line1\nline2\"\r\n"
	                            "empty,\r\n"
	                            "dup,first\r\n"
	                            "dup,second\r\n"
	                            "ur,لاہور\r\n"
	                            "last,\"end\"");
	const rd_data_table *tabs[1] = { t };
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	o.tables = tabs;
	o.ntables = 1;
	ck_assert_findings(run(r, "<r/>", &o), "R:RAN@/r[1]");
	rd_data_table_free(t);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_sizes)
{
	/* a header and no rows; and many rows (the index grows, keys collide, the first
	 * row of a repeated key wins) */
	rd_rules *r = tu_rules(SCHD_OPEN "<sch:let name='t' value=\"'big'\"/>"
	                       "<sch:pattern><sch:rule context='d:k'>"
	                       "<sch:report id='V' test='true()'><sch:value-of select='fn:in-table($t, \"key\", .)'/>:"
	                       "<sch:value-of select='fn:lookup($t, \"key\", ., \"n\")'/></sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	char *dir = tu_tmpdir();
	char *csv = malloc(40 * 6000 + 64);
	size_t len, i;
	rd_data_table *big, *none;
	const rd_data_table *tabs[1];
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	static const char xml[] = "<ks " DNS "><k>K0</k><k>K2999</k><k>K5999</k><k>K6000</k><k>DUP</k><k></k></ks>";

	ck_assert_ptr_nonnull(csv);
	len = (size_t)sprintf(csv, "key,n\n");
	for (i = 0; i < 6000; i++)
		len += (size_t)sprintf(csv + len, "K%zu,%zu\n", i, i * 7);
	sprintf(csv + len, "DUP,first\nDUP,second\n");
	big = table_ok(dir, "big.csv", "big", csv);
	none = table_ok(dir, "none.csv", "big", "key,n\n");
	free(csv);
	o.tables = tabs;
	o.ntables = 1;
	tabs[0] = big;
	ck_assert_msgs(run_msgs(r, xml, &o), "true:0 | true:20993 | true:41993 | false: | true:first | false:");
	tabs[0] = none;
	ck_assert_msgs(run_msgs(r, xml, &o), "false: | false: | false: | false: | false: | false:");
	rd_data_table_free(big);
	rd_data_table_free(none);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_load_errors)
{
	char *dir = tu_tmpdir();
	char *p, *missing = pjoin(dir, "no/such/register.csv");
	rd_data_table *t = (rd_data_table *)dir;
	const rd_error *e;

	/* a missing file: not found, naming the path */
	ck_assert_int_eq(rd_data_table_load(&t, "licence-register", missing), RD_ENOTFOUND);
	ck_assert_ptr_null(t);
	e = rd_error_last();
	ck_assert_contains(e->message, missing);
	ck_assert_str_eq(e->file, missing);
	/* a directory */
	t = (rd_data_table *)dir;
	ck_assert_int_eq(rd_data_table_load(&t, "t", dir), RD_EIO);
	ck_assert_ptr_null(t);
	ck_assert_contains(rd_error_last()->message, dir);
	/* bad arguments */
	ck_assert_int_eq(rd_data_table_load(NULL, "t", missing), RD_EINVAL);
	ck_assert_int_eq(rd_data_table_load(&t, NULL, missing), RD_EINVAL);
	ck_assert_int_eq(rd_data_table_load(&t, "", missing), RD_EINVAL);
	ck_assert_int_eq(rd_data_table_load(&t, "t", NULL), RD_EINVAL);
	rd_data_table_free(NULL);

	/* not UTF-8 (Latin-1 é on line 3): refused with the line */
	p = table_fails(dir, "latin1.csv", "key,value\nok,fine\nbad,caf\xe9\n", RD_EPARSE);
	e = rd_error_last();
	ck_assert_contains(e->message, "latin1.csv:3:");
	ck_assert_contains(e->message, "UTF-8");
	ck_assert_str_eq(e->file, p);
	ck_assert_int_eq(e->line, 3);
	free(p);
	/* a truncated UTF-8 sequence at the very end */
	p = table_fails(dir, "trunc.csv", "key,value\nx,\xd8", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "UTF-8");
	ck_assert_int_eq(rd_error_last()->line, 2);
	free(p);
	/* UTF-16 (with its byte-order mark) is not UTF-8 either */
	p = table_fails(dir, "utf16.csv", "\xff\xfek\0e\0y\0\n\0", RD_EPARSE);
	free(p);
	/* an empty file, a header with an empty or repeated column */
	p = table_fails(dir, "empty.csv", "", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "header");
	free(p);
	p = table_fails(dir, "nocol.csv", "key,,value\n", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "column 2");
	free(p);
	p = table_fails(dir, "twice.csv", "key,key\n", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "'key' appears twice");
	free(p);
	/* a row with the wrong number of fields, with its line */
	p = table_fails(dir, "short.csv", "key,value\na,1\nb\n", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "short.csv:3:");
	ck_assert_contains(rd_error_last()->message, "1 fields, the header has 2");
	ck_assert_int_eq(rd_error_last()->line, 3);
	free(p);
	/* an unterminated quoted field, with the line where it starts */
	p = table_fails(dir, "open.csv", "key,value\na,\"never\nclosed\n", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "unterminated");
	ck_assert_contains(rd_error_last()->message, "open.csv:2:");
	free(p);
	/* text after a closing quote */
	p = table_fails(dir, "after.csv", "key,value\na,\"x\"y\n", RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "after a quoted field");
	free(p);
	/* a NUL byte */
	{
		char *np = pjoin(dir, "nul.csv");
		FILE *f = fopen(np, "wb");

		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite("key\na\0b\n", 1, 8, f), 8);
		ck_assert_int_eq(fclose(f), 0);
		t = (rd_data_table *)np;
		ck_assert_int_eq(rd_data_table_load(&t, "t", np), RD_EPARSE);
		ck_assert_ptr_null(t);
		ck_assert_contains(rd_error_last()->message, "NUL");
		free(np);
	}
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_error_line_after_comment)
{
	/* the line of a bad row is the row's own line, not that of a comment or blank line
	 * skipped before it */
	char *dir = tu_tmpdir();
	char *p = table_fails(dir, "c.csv", "key,value\n# a note\n\nb\n", RD_EPARSE);
	char msg[512];
	int line = rd_error_last()->line;

	snprintf(msg, sizeof msg, "%s", rd_error_last()->message);
	free(p);
	tu_rmtree(dir);
	free(dir);
	ck_assert_contains(msg, "c.csv:4:");
	ck_assert_int_eq(line, 4);
}
END_TEST

START_TEST(test_table_trailing_comment)
{
	/* a comment on the last line, without a final newline, is a comment, not a row */
	char *dir = tu_tmpdir();
	char *p = tu_write(dir, "c.csv", "key,value\na,1\n# end of table");
	rd_data_table *t = NULL;
	int rc = rd_data_table_load(&t, "t", p);
	char msg[512], *got = NULL;
	rd_rules *r = tu_rules(SCHD_OPEN "<sch:let name='t' value=\"'t'\"/>"
	                       "<sch:pattern><sch:rule context='/*'>"
	                       "<sch:report id='A' test=\"fn:lookup($t, 'key', 'a', 'value') = '1'\">a</sch:report>"
	                       "<sch:report id='EMPTY' test=\"fn:in-table($t, 'key', '')\">empty row</sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	const rd_data_table *tabs[1] = { t };
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	snprintf(msg, sizeof msg, "%s", rc == RD_OK ? "" : rd_error_last()->message);
	if (rc == RD_OK) {
		o.tables = tabs;
		o.ntables = 1;
		got = run(r, "<r/>", &o);
	}
	rd_data_table_free(t);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
	free(p);
	ck_assert_msg(rc == RD_OK, "refused: %s", msg);
	ck_assert_findings(got, "R:A@/r[1]");
}
END_TEST

/* ---------------------------------------------------------------- hostile tables */

/* The hash of the table indexes (lib/siphash.c, compiled into this suite). */
uint64_t rd__siphash24(const unsigned char key[16], const void *data, size_t len);

START_TEST(test_siphash_vectors)
{
	/* the test vectors of the SipHash reference implementation: key 00 01 .. 0f, message
	 * 00 01 .. (len-1); the 15-byte one is the worked example of the paper */
	static const struct {
		size_t len;
		uint64_t want;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ULL },  { 7, 0xab0200f58b01d137ULL },
		{ 8, 0x93f5f5799a932462ULL },  { 9, 0x9e0082df0ba9e4b0ULL },
		{ 10, 0x7a5dbbc594ddb9f3ULL }, { 11, 0xf4b32f46226bada7ULL },
		{ 12, 0x751e8fbc860ee5fbULL }, { 13, 0x14ea5627c0843d90ULL },
		{ 14, 0xf723ca908e7af2eeULL }, { 15, 0xa129ca6149be45e5ULL },
		{ 16, 0x3f2acc7f57c29bdbULL },
	};
	unsigned char key[16], msg[16];
	size_t i;

	for (i = 0; i < 16; i++)
		key[i] = msg[i] = (unsigned char)i;
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_msg(rd__siphash24(key, msg, v[i].len) == v[i].want,
		              "SipHash-2-4 of %zu bytes: %016llx, want %016llx", v[i].len,
		              (unsigned long long)rd__siphash24(key, msg, v[i].len),
		              (unsigned long long)v[i].want);
}
END_TEST

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* n distinct keys whose FNV-1a hashes (the tables' hash before it was keyed) agree in
 * their low 16 bits, so that an unkeyed index of up to 65,536 slots (the size for 32,768
 * rows) starts them all at one slot. The low k bits of FNV-1a depend only on the low k bits of the state, and the
 * multiplier is odd, hence invertible: for each prefix, three free letters are tried and
 * the fourth is computed as the byte that brings the state to the target. Caller frees
 * the array and its strings. */
static char **colliding_keys(size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	const uint64_t prime = 1099511628211ULL, mask = (1u << 16) - 1, target = 0x5a5a;
	uint64_t inv = prime, want;
	char **keys = calloc(n, sizeof *keys);
	size_t got = 0, i;
	int j;

	ck_assert_ptr_nonnull(keys);
	for (j = 0; j < 6; j++)
		inv *= 2 - prime * inv; /* Newton's iteration: the inverse modulo 2^64 */
	want = (target * inv) & mask; /* the state before the last byte, xored with it */
	for (i = 0; got < n; i++) {
		char prefix[16];
		uint64_t s0;
		int a, b, c, found = 0;

		snprintf(prefix, sizeof prefix, "k%08zu", i);
		s0 = fnv1a64(prefix);
		for (a = 0; a < 62 && !found; a++)
			for (b = 0; b < 62 && !found; b++)
				for (c = 0; c < 62 && !found; c++) {
					uint64_t s = (s0 ^ (unsigned char)al[a]) * prime;
					uint64_t d;

					s = (s ^ (unsigned char)al[b]) * prime;
					s = (s ^ (unsigned char)al[c]) * prime;
					d = (s ^ want) & mask;
					if (d > 0 && d < 128 && strchr(al, (int)d)) {
						char key[32];

						snprintf(key, sizeof key, "%s%c%c%c%c", prefix, al[a], al[b], al[c],
						         (char)d);
						ck_assert_uint_eq(fnv1a64(key) & mask, target);
						keys[got] = strdup(key);
						ck_assert_ptr_nonnull(keys[got]);
						got++;
						found = 1;
					}
				}
	}
	return keys;
}

/* A growable string for building large test inputs. */
typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if (b->s && b->len + (size_t)n < b->cap)
			break;
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	b->len += (size_t)n;
}

START_TEST(test_table_colliding_keys)
{
	/* 32,768 keys that all collide under the old unkeyed hash load, and each is found
	 * (and keys that collide with them but are not in the table are not) */
	const size_t n = 32768, absent = 64;
	char **keys = colliding_keys(n + absent);
	char *dir = tu_tmpdir(), *p;
	sbuf csv = { NULL, 0, 0 }, xml = { NULL, 0, 0 };
	rd_data_table *t = NULL;
	rd_rules *r = tu_rules(SCHD_OPEN "<sch:let name='t' value=\"'coll'\"/>"
	                       "<sch:pattern><sch:rule context='d:k'>"
	                       "<sch:assert id='IN' test=\"fn:in-table($t, 'key', @k) = (@in = 'yes')\">"
	                       "in-table <sch:value-of select='@k'/></sch:assert>"
	                       "<sch:assert id='VALUE' test=\"fn:lookup($t, 'key', @k, 'n') = @n\">"
	                       "lookup <sch:value-of select='@k'/></sch:assert>"
	                       "<sch:assert id='KEY' test=\"@in = 'no' or fn:lookup($t, 'n', @n, 'key') = @k\">"
	                       "by number <sch:value-of select='@n'/></sch:assert>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	const rd_data_table *tabs[1];
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	size_t i;
	int rc;

	sb_printf(&csv, "key,n\n");
	for (i = 0; i < n; i++)
		sb_printf(&csv, "%s,%zu\n", keys[i], i);
	p = tu_write(dir, "coll.csv", csv.s);
	rc = rd_data_table_load(&t, "coll", p);
	ck_assert_msg(rc == RD_OK, "%s", rd_error_last()->message);
	/* every 61st key, the first and the last, and the absent ones */
	sb_printf(&xml, "<r " DNS ">");
	for (i = 0; i < n; i++)
		if (i % 61 == 0 || i == n - 1)
			sb_printf(&xml, "<k k='%s' n='%zu' in='yes'/>", keys[i], i);
	for (i = n; i < n + absent; i++)
		sb_printf(&xml, "<k k='%s' n='' in='no'/>", keys[i]);
	sb_printf(&xml, "</r>");
	tabs[0] = t;
	o.tables = tabs;
	o.ntables = 1;
	ck_assert_findings(run(r, xml.s, &o), "");
	rd_data_table_free(t);
	rd_rules_free(r);
	for (i = 0; i < n + absent; i++)
		free(keys[i]);
	free(keys);
	free(csv.s);
	free(xml.s);
	free(p);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* A header of n columns c0..c(n-1) (the column dup, when not negative, named c<dup>
 * again as the last), and one row v0..v(n-1). Caller frees. */
static char *wide_csv(size_t n, long dup, const char *before)
{
	sbuf b = { NULL, 0, 0 };
	size_t i;

	sb_printf(&b, "%s", before);
	for (i = 0; i < n; i++) {
		if (dup >= 0 && i == n - 1)
			sb_printf(&b, ",c%ld", dup);
		else
			sb_printf(&b, "%sc%zu", i ? "," : "", i);
	}
	sb_printf(&b, "\n");
	for (i = 0; i < n; i++)
		sb_printf(&b, "%sv%zu", i ? "," : "", i);
	sb_printf(&b, "\n");
	return b.s;
}

START_TEST(test_table_column_limit)
{
	char *dir = tu_tmpdir(), *csv, *p;
	rd_data_table *t;
	rd_rules *r = tu_rules(SCHD_OPEN "<sch:let name='t' value=\"'wide'\"/>"
	                       "<sch:pattern><sch:rule context='/*'>"
	                       "<sch:report id='LAST' test=\"fn:lookup($t, 'c1023', 'v1023', 'c0') = 'v0'\">last</sch:report>"
	                       "<sch:report id='FIRST' test=\"fn:lookup($t, 'c0', 'v0', 'c1023') = 'v1023'\">first</sch:report>"
	                       "</sch:rule></sch:pattern>" SCHD_CLOSE);
	const rd_data_table *tabs[1];
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	/* 1,024 columns: the most a table may have */
	csv = wide_csv(1024, -1, "");
	t = table_ok(dir, "1024.csv", "wide", csv);
	free(csv);
	tabs[0] = t;
	o.tables = tabs;
	o.ntables = 1;
	ck_assert_findings(run(r, "<r/>", &o), "R:LAST@/r[1] R:FIRST@/r[1]");
	rd_data_table_free(t);
	/* one more is refused (RD_ELIMIT), with the header's line */
	csv = wide_csv(1025, -1, "# a wide table\n");
	p = table_fails(dir, "1025.csv", csv, RD_ELIMIT);
	free(csv);
	ck_assert_contains(rd_error_last()->message, "1025.csv:2:");
	ck_assert_contains(rd_error_last()->message, "more than 1024 columns");
	ck_assert_int_eq(rd_error_last()->line, 2);
	ck_assert_str_eq(rd_error_last()->file, p);
	free(p);
	/* and so are 200,000 (refused when the 1,025th is read) */
	csv = wide_csv(200000, -1, "");
	free(table_fails(dir, "200000.csv", csv, RD_ELIMIT));
	free(csv);
	/* a row longer than the header is refused without reading it all */
	csv = wide_csv(200000, -1, "a,b\n");
	p = table_fails(dir, "long-row.csv", csv, RD_EPARSE);
	free(csv);
	ck_assert_contains(rd_error_last()->message, "long-row.csv:2: row has more than 2 fields");
	ck_assert_int_eq(rd_error_last()->line, 2);
	free(p);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_table_duplicate_columns)
{
	char *dir = tu_tmpdir(), *csv;
	rd_data_table *t;

	/* among 1,024 columns, the last repeats the 18th */
	csv = wide_csv(1024, 17, "# comment\n\n");
	free(table_fails(dir, "dup.csv", csv, RD_EPARSE));
	free(csv);
	ck_assert_contains(rd_error_last()->message, "dup.csv:3: column 'c17' appears twice");
	ck_assert_int_eq(rd_error_last()->line, 3);
	/* names are compared after white space is normalised, and before any row is read */
	free(table_fails(dir, "space.csv", "a, b c ,\"b  c\"\n1,2\n3\n", RD_EPARSE));
	ck_assert_contains(rd_error_last()->message, "column 'b c' appears twice");
	/* names that differ only in case are two columns */
	t = table_ok(dir, "case.csv", "t", "key,Key,KEY\n1,2,3\n");
	rd_data_table_free(t);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ parameters */

static const char param_rules[] =
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' xmlns:rd='urn:rahdari:rules:1'>"
	"<sch:ns prefix='fn' uri='urn:rahdari:fn:1'/>"
	"<sch:let name='margin' value='6'/>"
	"<sch:let name='label' value=\"'abc'\"/>"
	"<sch:let name='double' value='$margin * 2'/>"
	"<sch:let name='tree'><item>t</item></sch:let>"
	"<sch:phase id='ph'><sch:let name='phase-var' value='1'/><sch:active pattern='p'/></sch:phase>"
	"<sch:pattern id='p'>"
	"<sch:let name='pattern-var' value='$margin + 100'/>"
	"<sch:rule context='/*'>"
	"<sch:let name='rule-var' value='1'/>"
	"<sch:report id='V' test='true()'>margin=<sch:value-of select='$margin'/>"
	" next=<sch:value-of select='$margin + 1'/>"
	" label=<sch:value-of select='$label'/>"
	" double=<sch:value-of select='$double'/>"
	" pv=<sch:value-of select='$pattern-var'/>"
	" tree=<sch:value-of select='string($tree)'/></sch:report>"
	"<sch:report id='NUM' test='$margin = 3'>three</sch:report>"
	"<sch:report id='STR' test=\"$label = 'xyz'\">xyz</sch:report>"
	"</sch:rule></sch:pattern>"
	"</sch:schema>";

START_TEST(test_params_listed)
{
	rd_rules *r = tu_rules(param_rules);
	const char *v = "unset";

	/* schema-level lets only, in document order; not pattern, phase or rule variables */
	ck_assert_uint_eq(rd_rules_param_count(r), 4);
	ck_assert_str_eq(rd_rules_param(r, 0, &v), "margin");
	ck_assert_str_eq(v, "6");
	ck_assert_str_eq(rd_rules_param(r, 1, &v), "label");
	ck_assert_str_eq(v, "'abc'");
	ck_assert_str_eq(rd_rules_param(r, 2, &v), "double");
	ck_assert_str_eq(v, "$margin * 2");
	ck_assert_str_eq(rd_rules_param(r, 3, NULL), "tree");
	v = "unset";
	ck_assert_ptr_null(rd_rules_param(r, 4, &v));
	ck_assert_ptr_null(v);
	ck_assert_ptr_null(rd_rules_param(r, (size_t)-1, NULL));
	ck_assert_uint_eq(rd_rules_param_count(NULL), 0);
	ck_assert_ptr_null(rd_rules_param(NULL, 0, NULL));
	rd_rules_free(r);
}
END_TEST

START_TEST(test_params_given)
{
	rd_rules *r = tu_rules(param_rules);
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_param p[3];

	ck_assert_msgs(run_msgs(r, "<r/>", NULL), "margin=6 next=7 label=abc double=12 pv=106 tree=t");
	/* a number: arithmetic and comparisons as numbers; the lets that use it follow */
	p[0].name = "margin";
	p[0].value = "3";
	o.params = p;
	o.nparams = 1;
	ck_assert_findings(run(r, "<r/>", &o), "R:V@/r[1] R:NUM@/r[1]");
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=3 next=4 label=abc double=6 pv=103 tree=t | three");
	p[0].value = "2.5";
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=2.5 next=3.5 label=abc double=5 pv=102.5 tree=t");
	/* a string */
	p[0].value = "3";
	p[1].name = "label";
	p[1].value = "xyz";
	o.nparams = 2;
	ck_assert_findings(run(r, "<r/>", &o), "R:V@/r[1] R:NUM@/r[1] R:STR@/r[1]");
	p[1].value = "a b, c";
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=3 next=4 label=a b, c double=6 pv=103 tree=t | three");
	/* an empty value is the empty string */
	p[1].value = "";
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=3 next=4 label= double=6 pv=103 tree=t | three");
	/* a variable computed from another can itself be given, and a tree replaced */
	p[1].name = "double";
	p[1].value = "100";
	p[2].name = "tree";
	p[2].value = "given";
	o.nparams = 3;
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=3 next=4 label=abc double=100 pv=103 tree=given | three");
	/* a value that is not a number: a string, whatever comes first */
	o.nparams = 1;
	p[0].value = "3 months";
	ck_assert_findings(run(r, "<r/>", &o), "R:V@/r[1]");
	ck_assert_msgs(run_msgs(r, "<r/>", &o), "margin=3 months next=NaN label=abc double=NaN pv=NaN tree=t");
	/* parameters are per check: the rules keep their defaults */
	ck_assert_msgs(run_msgs(r, "<r/>", NULL), "margin=6 next=7 label=abc double=12 pv=106 tree=t");
	/* and so does the phase */
	p[0].value = "3";
	o.phase = "ph";
	ck_assert_findings(run(r, "<r/>", &o), "R:V@/r[1] R:NUM@/r[1]");
	rd_rules_free(r);
}
END_TEST

START_TEST(test_params_unknown)
{
	rd_rules *r = tu_rules(param_rules);
	rd_document *d = tu_doc("<r/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_param p[2] = { { "margin", "3" }, { "margn", "3" } };
	static const char *const not_params[] = { "margn", "pattern-var", "rule-var", "phase-var", "MARGIN", "" };
	rd_report *rep;
	size_t i;

	o.params = p;
	o.nparams = 2;
	for (i = 0; i < sizeof not_params / sizeof *not_params; i++) {
		char want[64];

		p[1].name = not_params[i];
		rep = (rd_report *)d;
		ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
		ck_assert_ptr_null(rep);
		snprintf(want, sizeof want, "parameter '%s'", not_params[i]);
		ck_assert_contains(rd_error_last()->message, want);
	}
	/* no name, no value */
	p[1].name = NULL;
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	p[1].name = "label";
	p[1].value = NULL;
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	/* and a rule set without parameters has none to give */
	{
		rd_rules *r2 = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='r'><sch:assert test='1'/>"
		                        "</sch:rule></sch:pattern>" SCH_CLOSE);

		ck_assert_uint_eq(rd_rules_param_count(r2), 0);
		o.nparams = 1;
		ck_assert_int_eq(rd_check(&rep, r2, d, &o), RD_EINVAL);
		ck_assert_contains(rd_error_last()->message, "'margin'");
		rd_rules_free(r2);
	}
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_params_of_a_pack)
{
	/* every schema of a pack, an overlay's and its base's: parameters of them all */
	char *dir = tu_tmpdir();
	rd_rules *r;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_param p[2] = { { "base-limit", "1" }, { "over-limit", "2" } };

	put(dir, "base/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='base'><schema href='a.sch'/></pack>");
	put(dir, "base/a.sch", SCHD_OPEN "<sch:let name='base-limit' value='10'/>"
	    "<sch:pattern><sch:rule context='/*'><sch:report id='A' test='count(*) &gt; $base-limit'>"
	    "over <sch:value-of select='$base-limit'/></sch:report></sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "over/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='over'><extends href='../base'/>"
	    "<schema href='b.sch'/></pack>");
	put(dir, "over/b.sch", SCHD_OPEN "<sch:let name='over-limit' value='20'/>"
	    "<sch:pattern><sch:rule context='/*'><sch:report id='B' test='count(*) &gt; $over-limit'>"
	    "over <sch:value-of select='$over-limit'/></sch:report></sch:rule></sch:pattern>" SCHD_CLOSE);
	r = load_ok(dir, "over");
	ck_assert_uint_eq(rd_rules_param_count(r), 2);
	ck_assert_str_eq(rd_rules_param(r, 0, NULL), "base-limit");
	ck_assert_str_eq(rd_rules_param(r, 1, NULL), "over-limit");
	ck_assert_findings(run(r, "<r><a/><a/><a/></r>", NULL), "");
	o.params = p;
	o.nparams = 2;
	ck_assert_findings(run(r, "<r><a/><a/><a/></r>", &o), "R:A@/r[1] R:B@/r[1]");
	ck_assert_msgs(run_msgs(r, "<r><a/><a/><a/></r>", &o), "over 1 | over 2");
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_params_number_syntax)
{
	/* "a number when it reads as one": as an XPath number reads (digits, a point, a
	 * minus sign), not as C's strtod, which also takes hexadecimal, inf and nan */
	rd_rules *r = tu_rules(SCH_OPEN "<sch:let name='code' value=\"'x'\"/>"
	                       "<sch:pattern><sch:rule context='/*'>"
	                       "<sch:report id='V' test='true()'>[<sch:value-of select='$code'/>]</sch:report>"
	                       "</sch:rule></sch:pattern>" SCH_CLOSE);
	static const char *const as_is[] = { "0x10", "inf", "nan", "Infinity", "-INF", "PK-07" };
	static const char *const numbers[][2] = { { "42", "42" }, { "-3.5", "-3.5" }, { "007", "7" } };
	char wrong[1024];
	size_t i, len = 0;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_param p[1];

	wrong[0] = '\0';
	o.params = p;
	o.nparams = 1;
	p[0].name = "code";
	for (i = 0; i < sizeof numbers / sizeof *numbers; i++) {
		char want[64];

		p[0].value = numbers[i][0];
		snprintf(want, sizeof want, "[%s]", numbers[i][1]);
		ck_assert_msgs(run_msgs(r, "<r/>", &o), want);
	}
	for (i = 0; i < sizeof as_is / sizeof *as_is; i++) {
		char want[64], *got;

		p[0].value = as_is[i];
		snprintf(want, sizeof want, "[%s]", as_is[i]);
		got = run_msgs(r, "<r/>", &o);
		if (strcmp(got, want) != 0)
			len += (size_t)snprintf(wrong + len, sizeof wrong - len, " '%s' became %s;", as_is[i], got);
		free(got);
	}
	rd_rules_free(r);
	ck_assert_msg(len == 0, "string parameters read as numbers:%s", wrong);
}
END_TEST

START_TEST(test_params_shared_by_schemas)
{
	/* two schemas of a pack declare the same parameter (rules/pk does this): one
	 * parameter, listed once, and a value given to the check reaches both */
	char *dir = tu_tmpdir();
	rd_rules *r;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_param p[1] = { { "limit", "1" } };
	size_t count, named = 0, i;
	char *before, *after;

	put(dir, "p/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='p'><schema href='a.sch'/>"
	    "<schema href='b.sch'/></pack>");
	put(dir, "p/a.sch", SCHD_OPEN "<sch:let name='limit' value='10'/>"
	    "<sch:pattern><sch:rule context='/*'><sch:report id='A' test='count(*) &gt; $limit'>a</sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "p/b.sch", SCHD_OPEN "<sch:let name='limit' value='10'/>"
	    "<sch:pattern><sch:rule context='/*'><sch:report id='B' test='count(*) &gt; $limit'>b</sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	r = load_ok(dir, "p");
	before = run(r, "<r><a/><a/></r>", NULL);
	o.params = p;
	o.nparams = 1;
	after = run(r, "<r><a/><a/></r>", &o);
	count = rd_rules_param_count(r);
	for (i = 0; i < count; i++)
		if (strcmp(rd_rules_param(r, i, NULL), "limit") == 0)
			named++;
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
	ck_assert_findings(before, "");
	ck_assert_findings(after, "R:A@/r[1] R:B@/r[1]");
	ck_assert_msg(count == 1 && named == 1, "%zu parameters, 'limit' listed %zu times", count, named);
}
END_TEST

/* ================================================================ XML Schemas */

static const char booking_xsd[] =
	"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:rahdari:doc:1'\n"
	"           elementFormDefault='qualified'>\n"
	"  <xs:element name='booking'>\n"
	"    <xs:complexType>\n"
	"      <xs:sequence>\n"
	"        <xs:element name='agency' minOccurs='0'>\n"
	"          <xs:complexType><xs:attribute name='licence' type='xs:string'/></xs:complexType>\n"
	"        </xs:element>\n"
	"        <xs:element name='passenger' maxOccurs='unbounded'>\n"
	"          <xs:complexType>\n"
	"            <xs:attribute name='id' type='xs:string' use='required'/>\n"
	"            <xs:attribute name='born' type='xs:date'/>\n"
	"          </xs:complexType>\n"
	"        </xs:element>\n"
	"      </xs:sequence>\n"
	"      <xs:attribute name='id' type='xs:string'/>\n"
	"      <xs:attribute name='created' type='xs:date'/>\n"
	"    </xs:complexType>\n"
	"  </xs:element>\n"
	"</xs:schema>\n";

static const char xsd_sch[] =
	SCHD_OPEN "<sch:pattern><sch:rule context='d:booking'>"
	"<sch:assert id='LIC' test='d:agency/@licence'>no licence</sch:assert>"
	"</sch:rule></sch:pattern>" SCHD_CLOSE;

static char *xsd_pack(void)
{
	char *dir = tu_tmpdir();

	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n"
	    "  <xsd kind='booking' href='schemas/booking.xsd'/>\n"
	    "  <schema href='r.sch'/>\n"
	    "</pack>\n");
	put(dir, "p/r.sch", xsd_sch);
	put(dir, "p/schemas/booking.xsd", booking_xsd);
	return dir;
}

static const char bad_booking[] =
	"<booking xmlns='urn:rahdari:doc:1' id='B1' created='2026-13-45'>\n" /* 1: bad date */
	"  <passenger id='P1' born='yesterday'/>\n"                          /* 2: bad date */
	"  <passenger/>\n"                                                   /* 3: no id */
	"  <pet name='Rex'/>\n"                                              /* 4: unknown */
	"</booking>\n";

START_TEST(test_xsd_findings)
{
	char *dir = xsd_pack();
	rd_rules *r = load_ok(dir, "p");
	rd_document *d = tu_doc(bad_booking);
	rd_report *rep = tu_check(r, d, NULL);
	size_t i, nschema = 0;
	int seen[6] = { 0 };
	long lic;

	/* every structural error is a finding of kind schema, rule XSD, severity error,
	 * with its line; the rules run all the same */
	for (i = 0; i < rd_report_count(rep); i++) {
		const rd_finding *f = rd_report_finding(rep, i);

		if (rd_finding_kind(f) != RD_KIND_SCHEMA)
			continue;
		nschema++;
		ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "XSD");
		ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
		ck_assert_ptr_nonnull(rd_finding_get(f, RD_FIELD_MESSAGE));
		ck_assert_ptr_nonnull(rd_finding_get(f, RD_FIELD_LOCATION));
		ck_assert_str_eq(rd_finding_get(f, RD_FIELD_DOCUMENT), "test.xml");
		/* doc/json.md: for a schema finding, test names the XSD */
		ck_assert_contains(rd_finding_get(f, RD_FIELD_TEST), "booking.xsd");
		ck_assert_msg(rd_finding_line(f) >= 1 && rd_finding_line(f) <= 4, "line %ld",
		              rd_finding_line(f));
		seen[rd_finding_line(f)]++;
		switch (rd_finding_line(f)) {
		case 1:
			ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "created");
			ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LOCATION), "/d:booking[1]");
			break;
		case 2:
			ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "born");
			ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LOCATION), "/d:booking[1]/d:passenger[1]");
			break;
		case 3:
			ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "id");
			ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LOCATION), "/d:booking[1]/d:passenger[2]");
			break;
		case 4:
			ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "pet");
			ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LOCATION), "/d:booking[1]/d:pet[1]");
			break;
		}
	}
	ck_assert_uint_eq(nschema, 4);
	ck_assert_int_eq(seen[1], 1);
	ck_assert_int_eq(seen[2], 1);
	ck_assert_int_eq(seen[3], 1);
	ck_assert_int_eq(seen[4], 1);
	lic = find_rule(rep, "LIC");
	ck_assert_int_ge(lic, 0);
	ck_assert_int_eq(rd_finding_kind(rd_report_finding(rep, (size_t)lic)), RD_KIND_ASSERT);
	ck_assert_uint_eq(rd_report_count(rep), 5);
	ck_assert_uint_eq(rd_report_severity_count(rep, RD_SEVERITY_ERROR), 5);
	ck_assert_str_eq(rd_kind_name(RD_KIND_SCHEMA), "schema");
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_xsd_valid_and_off)
{
	char *dir = xsd_pack();
	rd_rules *r = load_ok(dir, "p");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	/* a valid booking: no structural finding */
	ck_assert_findings(run(r, "<booking " DNS " id='B1' created='2026-11-20'><agency licence='L'/>"
	                          "<passenger id='P1' born='1990-01-01'/></booking>", NULL), "");
	ck_assert_findings(run(r, "<booking " DNS "><passenger id='P1'/></booking>", NULL),
	                   "A:LIC@/d:booking[1]");
	/* RD_CHECK_NO_XSD: only the rules */
	o.flags = RD_CHECK_NO_XSD;
	ck_assert_findings(run(r, bad_booking, &o), "A:LIC@/d:booking[1]");
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_xsd_other_kinds)
{
	char *dir = xsd_pack();
	rd_rules *r = load_ok(dir, "p");

	/* a licence (no XSD for its kind) is not validated, however odd */
	ck_assert_findings(run(r, "<licence " DNS " bogus='1'><whatever/></licence>", NULL), "");
	/* a booking in another namespace, or in none, is not a rahdari booking */
	ck_assert_findings(run(r, "<booking xmlns='urn:other'><pet/></booking>", NULL), "");
	ck_assert_findings(run(r, "<booking><pet/></booking>", NULL), "");
	/* a booking inside a case is the case's business (no XSD for case here) */
	ck_assert_findings(run(r, "<case " DNS "><document role='booking'><booking><pet/></booking>"
	                          "</document></case>", NULL),
	                   "A:LIC@/d:case[1]/d:document[1]/d:booking[1]");
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_xsd_many_errors)
{
	char *dir = xsd_pack();
	rd_rules *r = load_ok(dir, "p");
	char *xml = malloc(80 * 60 + 200);
	size_t len, i, nschema = 0;
	rd_document *d;
	rd_report *rep;
	const rd_finding *last = NULL;

	ck_assert_ptr_nonnull(xml);
	len = (size_t)sprintf(xml, "<booking " DNS "><agency licence='L'/>\n");
	for (i = 0; i < 60; i++)
		len += (size_t)sprintf(xml + len, "<passenger id='P%zu' born='not-a-date'/>\n", i);
	sprintf(xml + len, "</booking>");
	d = tu_doc(xml);
	rep = tu_check(r, d, NULL);
	/* up to 50 structural errors, then one finding saying how many more */
	for (i = 0; i < rd_report_count(rep); i++)
		if (rd_finding_kind(rd_report_finding(rep, i)) == RD_KIND_SCHEMA) {
			nschema++;
			last = rd_report_finding(rep, i);
		}
	ck_assert_uint_eq(nschema, 51);
	ck_assert_ptr_nonnull(last);
	ck_assert_contains(rd_finding_get(last, RD_FIELD_MESSAGE), "10 more structural errors");
	ck_assert_int_eq(rd_finding_line(rd_report_finding(rep, 0)), 2);
	rd_report_free(rep);
	rd_document_free(d);
	free(xml);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_xsd_load_errors)
{
	char *dir = xsd_pack();

	/* not well-formed */
	put(dir, "p/schemas/booking.xsd", "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n<xs:element");
	load_fails(dir, "p", RD_EPARSE, "booking.xsd", NULL);
	/* well-formed, but not a schema libxml2 can compile */
	put(dir, "p/schemas/booking.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n"
	    "  <xs:element name='booking' type='xs:nosuchtype'/>\n"
	    "</xs:schema>\n");
	load_fails(dir, "p", RD_ERULES, "booking.xsd", "invalid XML Schema", NULL);
	ck_assert_int_eq(rd_error_last()->line, 2);
	/* not a schema at all */
	put(dir, "p/schemas/booking.xsd", "<booking xmlns='urn:rahdari:doc:1'/>");
	load_fails(dir, "p", RD_ERULES, "booking.xsd", NULL);
	/* a schema that would load another file */
	put(dir, "p/schemas/booking.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n"
	    "  <xs:include schemaLocation='other.xsd'/>\n"
	    "</xs:schema>\n");
	load_fails(dir, "p", RD_EUNSAFE, "booking.xsd:2:", "xs:include", NULL);
	put(dir, "p/schemas/booking.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'>\n"
	    "  <xs:import namespace='urn:x' schemaLocation='http://example.com/x.xsd'/>\n"
	    "</xs:schema>\n");
	load_fails(dir, "p", RD_EUNSAFE, "xs:import", NULL);
	/* a missing file: named, with the manifest's line */
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n"
	    "  <xsd kind='booking' href='schemas/missing.xsd'/>\n"
	    "  <schema href='r.sch'/>\n"
	    "</pack>\n");
	load_fails(dir, "p", RD_ENOTFOUND, "missing.xsd", "pack.xml:2:", NULL);
	/* two schemas for one kind */
	put(dir, "p/schemas/booking.xsd", booking_xsd);
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n"
	    "  <xsd kind='booking' href='schemas/booking.xsd'/>\n"
	    "  <xsd kind='booking' href='schemas/booking.xsd'/>\n"
	    "  <schema href='r.sch'/>\n"
	    "</pack>\n");
	load_fails(dir, "p", RD_ERULES, "pack.xml:3:", "booking", NULL);
	/* no kind; an absolute or remote href */
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n  <xsd href='schemas/booking.xsd'/>\n"
	    "  <schema href='r.sch'/>\n</pack>\n");
	load_fails(dir, "p", RD_ERULES, "pack.xml:2:", "kind", NULL);
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n  <xsd kind='booking' href='/etc/booking.xsd'/>\n"
	    "  <schema href='r.sch'/>\n</pack>\n");
	load_fails(dir, "p", RD_ERULES, "pack.xml:2:", NULL);
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n  <xsd kind='booking' href='http://example.com/b.xsd'/>\n"
	    "  <schema href='r.sch'/>\n</pack>\n");
	load_fails(dir, "p", RD_ERULES, "pack.xml:2:", NULL);
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='xsd'>\n  <xsd kind='booking' href='schemas/booking.xsd' lang='en'/>\n"
	    "  <schema href='r.sch'/>\n</pack>\n");
	load_fails(dir, "p", RD_ERULES, "pack.xml:2:", "lang", NULL);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_xsd_from_base_pack)
{
	/* an overlay validates with its base's schemas */
	char *dir = xsd_pack();
	rd_rules *r;
	rd_report *rep;
	rd_document *d;

	put(dir, "o/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='o'><extends href='../p'/><schema href='o.sch'/></pack>");
	put(dir, "o/o.sch", SCHD_OPEN "<sch:pattern><sch:rule context='d:booking'>"
	    "<sch:report id='O' test='true()'>o</sch:report></sch:rule></sch:pattern>" SCHD_CLOSE);
	r = load_ok(dir, "o");
	d = tu_doc(bad_booking);
	rep = tu_check(r, d, NULL);
	ck_assert_uint_eq(rd_report_count(rep), 6);
	ck_assert_int_eq(rd_finding_kind(rd_report_finding(rep, 0)), RD_KIND_SCHEMA);
	ck_assert_int_ge(find_rule(rep, "LIC"), 0);
	ck_assert_int_ge(find_rule(rep, "O"), 0);
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* A schema with the pattern facets of pattern_xsd(): Email (line 5) and a code of an
 * anonymous type (line 13). */
static char *pattern_xsd(const char *email, const char *code)
{
	char *x = malloc(2048);

	ck_assert_ptr_nonnull(x);
	snprintf(x, 2048,
	         "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:rahdari:doc:1'\n"
	         "           xmlns:d='urn:rahdari:doc:1' elementFormDefault='qualified'>\n"
	         "  <xs:simpleType name='Email'>\n"
	         "    <xs:restriction base='xs:token'>\n"
	         "      <xs:pattern value='%s'/>\n"
	         "    </xs:restriction>\n"
	         "  </xs:simpleType>\n"
	         "  <xs:element name='booking'>\n"
	         "    <xs:complexType>\n"
	         "      <xs:sequence><xs:element name='remark' type='xs:string' minOccurs='0'/></xs:sequence>\n"
	         "      <xs:attribute name='email' type='d:Email'/>\n"
	         "      <xs:attribute name='code'><xs:simpleType><xs:restriction base='xs:string'>\n"
	         "        <xs:pattern value='%s'/>\n"
	         "      </xs:restriction></xs:simpleType></xs:attribute>\n"
	         "    </xs:complexType>\n"
	         "  </xs:element>\n"
	         "</xs:schema>\n",
	         email, code);
	return x;
}

#define OLD_EMAIL "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"
#define NEW_EMAIL "[^@\\s]+@[^@\\s][^@\\s.]*\\.[^@\\s]+"

/* An xs:pattern on which libxml2's matcher could take time growing faster than the value
 * (pk's old Email: a failing value of 200 KB took 95 s) refuses the pack, with the file and
 * line of the facet, the pattern, why and how to rewrite it. */
START_TEST(test_xsd_unsafe_pattern)
{
	char *dir = xsd_pack(), *x;
	const rd_error *e;

	x = pattern_xsd(OLD_EMAIL, "[A-Z]{3}|D");
	put(dir, "p/schemas/booking.xsd", x);
	free(x);
	load_fails(dir, "p", RD_ERULES, "booking.xsd:5: xs:pattern \"" OLD_EMAIL "\"",
	           "'[^@\\s]' (character 9) and '\\.' (character 16) can both match '.'",
	           "Rewrite it so that", NULL);
	e = rd_error_last();
	ck_assert_int_eq(e->line, 5);
	ck_assert_contains(e->file, "booking.xsd");
	/* the same in an anonymous type */
	x = pattern_xsd(NEW_EMAIL, "(a|ab)*c");
	put(dir, "p/schemas/booking.xsd", x);
	free(x);
	load_fails(dir, "p", RD_ERULES, "booking.xsd:13: xs:pattern \"(a|ab)*c\"", NULL);
	ck_assert_int_eq(rd_error_last()->line, 13);
	/* a pattern rahdari cannot read is not run blind either */
	x = pattern_xsd(NEW_EMAIL, "[0-9-_]+");
	put(dir, "p/schemas/booking.xsd", x);
	free(x);
	load_fails(dir, "p", RD_ERULES, "booking.xsd:13:", "cannot read it", NULL);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* The rewritten Email and the default pack's booking schema: a failing value of 200 KB
 * like the one above is a structural finding, and a real address none. */
static char *long_email_doc(const char *head, const char *tail)
{
	size_t n = 100000, i, hl = strlen(head);
	char *xml = malloc(hl + 2 * n + strlen(tail) + 8);

	ck_assert_ptr_nonnull(xml);
	memcpy(xml, head, hl);
	memcpy(xml + hl, "x@", 2);
	for (i = 0; i < n; i++)
		memcpy(xml + hl + 2 + 2 * i, "a.", 2);
	/* a second '@': no address */
	strcpy(xml + hl + 2 + 2 * n, "@");
	strcat(xml, tail);
	return xml;
}

START_TEST(test_xsd_long_email)
{
	char *dir = xsd_pack(), *x, *xml;
	rd_rules *r, *def = NULL;
	rd_document *d;
	rd_report *rep;
	size_t i;
	int found = 0;

	x = pattern_xsd(NEW_EMAIL, "[A-Z]{3}|D");
	put(dir, "p/schemas/booking.xsd", x);
	free(x);
	r = load_ok(dir, "p");
	ck_assert_findings(run(r, "<booking " DNS " email='hamid.raza68@example.pk' code='D'/>", NULL),
	                   "A:LIC@/d:booking[1]");
	xml = long_email_doc("<booking " DNS " email='", "'/>");
	ck_assert_findings(run(r, xml, NULL), "E:XSD@/d:booking[1] A:LIC@/d:booking[1]");
	free(xml);
	rd_rules_free(r);
	/* the default pack: the booking has other faults, but the address is one of them */
	ck_assert_int_eq(rd_rules_load_default(&def), RD_OK);
	xml = long_email_doc("<booking " DNS " id='B1'><booker email='", "'/></booking>");
	d = tu_doc(xml);
	rep = tu_check(def, d, NULL);
	for (i = 0; i < rd_report_count(rep); i++) {
		const rd_finding *f = rd_report_finding(rep, i);

		if (rd_finding_kind(f) == RD_KIND_SCHEMA &&
		    strstr(rd_finding_get(f, RD_FIELD_MESSAGE), "'email'") != NULL &&
		    strstr(rd_finding_get(f, RD_FIELD_MESSAGE), "pattern") != NULL)
			found++;
	}
	ck_assert_int_eq(found, 1);
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(def);
	free(xml);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* libxml2's matcher gives up on a value that needs more than ten million saved choices
 * (xmlRegexpExec returns -1), even on a pattern rahdari accepts ((a{1,2}b{1,2})* saves one
 * per character). libxml2 stops validating the document; rahdari says so in a structural
 * finding where it stopped, and the rules run all the same: never a valid value, and
 * never "out of memory" for the whole check, as it was. */
START_TEST(test_xsd_matcher_gives_up)
{
	static const char xsd[] =
		"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:rahdari:doc:1'\n"
		"           xmlns:d='urn:rahdari:doc:1' elementFormDefault='qualified'>\n"
		"  <xs:simpleType name='AB'><xs:restriction base='xs:string'>\n"
		"    <xs:pattern value='(a{1,2}b{1,2})*'/>\n"
		"  </xs:restriction></xs:simpleType>\n"
		"  <xs:element name='booking'><xs:complexType><xs:sequence>\n"
		"    <xs:element name='remark' type='d:AB' maxOccurs='unbounded'/>\n"
		"  </xs:sequence></xs:complexType></xs:element>\n"
		"</xs:schema>\n";
	/* 5.1 million "ab" and a '!', in text nodes of less than libxml2's 10 MB each */
	static const char head[] = "<booking xmlns='urn:rahdari:doc:1'><remark>ab!</remark>\n<remark>";
	static const char tail[] = "!</remark>\n<remark>ab!</remark></booking>";
	size_t n = 5100000, hl = strlen(head), tl = strlen(tail), i, o;
	char *dir = xsd_pack(), *xml = malloc(hl + 2 * n + 8 + tl + 1), *got;
	const rd_finding *f;
	rd_rules *r;
	rd_document *d;
	rd_report *rep;

	put(dir, "p/schemas/booking.xsd", xsd);
	r = load_ok(dir, "p");
	ck_assert_ptr_nonnull(xml);
	memcpy(xml, head, hl);
	for (i = 0, o = hl; i < n; i++, o += 2) {
		if (i == n / 2) {
			memcpy(xml + o, "<!---->", 7);
			o += 7;
		}
		memcpy(xml + o, "ab", 2);
	}
	memcpy(xml + o, tail, tl + 1);
	d = tu_doc(xml);
	free(xml);
	rep = tu_check(r, d, NULL);
	got = tu_findings(rep);
	/* the first remark is checked (not valid), the second stops the validation, the third
	 * is not validated */
	ck_assert_str_eq(got, "E:XSD@/d:booking[1]/d:remark[1] E:XSD@/d:booking[1]/d:remark[2] "
	                      "A:LIC@/d:booking[1]");
	f = rd_report_finding(rep, 1);
	ck_assert_int_eq(rd_finding_kind(f), RD_KIND_SCHEMA);
	ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "validation stopped here");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "xs:pattern");
	ck_assert_int_eq(rd_finding_line(f), 2);
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ overlays */

/* base: two rules, a table, a phase and tests; over: extends it, one rule, a severity
 * change and its own tests. */
static char *overlay_packs(void)
{
	char *dir = tu_tmpdir();

	put(dir, "base/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='base' version='1.0.0' jurisdiction='PK'"
	    " effective='2026-01-01'>\n"
	    "  <title>The base</title>\n"
	    "  <schema href='b.sch'/>\n"
	    "  <tests href='tests'/>\n"
	    "</pack>\n");
	put(dir, "base/b.sch",
	    SCHD_OPEN "<rd:table name='codes' href='codes.csv'/>"
	    "<sch:phase id='base-phase'><sch:active pattern='b'/></sch:phase>"
	    "<sch:pattern id='b'><sch:rule context='d:booking'>"
	    "<sch:assert id='BASE-1' test='@id'>no id</sch:assert>"
	    "<sch:report id='BASE-2' test=\"fn:in-table('codes', 'code', @code)\">coded</sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "base/codes.csv", "code\nX\n");
	put(dir, "base/tests/t.xml", "<booking xmlns='urn:rahdari:doc:1'/>");
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over' version='2.1.0' jurisdiction='PK-PB'"
	    " effective='2026-06-01'>\n"
	    "  <title>The overlay</title>\n"
	    "  <extends href='../base'/>\n"
	    "  <schema href='o.sch'/>\n"
	    "  <severity rule='BASE-1' value='warning'/>\n"
	    "  <tests href='tests'/>\n"
	    "</pack>\n");
	put(dir, "over/o.sch",
	    SCHD_OPEN "<sch:pattern id='o'><sch:rule context='d:booking'>"
	    "<sch:assert id='OVER-1' test='@created'>no date</sch:assert>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "over/tests/t.xml", "<booking xmlns='urn:rahdari:doc:1'/>");
	return dir;
}

START_TEST(test_overlay_rules_run)
{
	char *dir = overlay_packs();
	rd_rules *base = load_ok(dir, "base");
	rd_rules *over = load_ok(dir, "over");
	rd_document *d = tu_doc("<booking " DNS " code='X'/>");
	rd_report *rep;
	long i1;

	/* the base's rules first, then the overlay's */
	ck_assert_uint_eq(rd_rules_assertion_count(base), 2);
	ck_assert_uint_eq(rd_rules_assertion_count(over), 3);
	ck_assert_str_eq(rd_assertion_get(rd_rules_assertion(over, 0), RD_FIELD_RULE), "BASE-1");
	ck_assert_str_eq(rd_assertion_get(rd_rules_assertion(over, 1), RD_FIELD_RULE), "BASE-2");
	ck_assert_str_eq(rd_assertion_get(rd_rules_assertion(over, 2), RD_FIELD_RULE), "OVER-1");
	ck_assert_contains(rd_assertion_get(rd_rules_assertion(over, 0), RD_FIELD_SOURCE), "b.sch");
	ck_assert_contains(rd_assertion_get(rd_rules_assertion(over, 2), RD_FIELD_SOURCE), "o.sch");
	/* both run; the base's table is found relative to the base */
	ck_assert_findings(run(base, "<booking " DNS " code='X'/>", NULL),
	                   "A:BASE-1@/d:booking[1] R:BASE-2@/d:booking[1]");
	ck_assert_findings(run(over, "<booking " DNS " code='X'/>", NULL),
	                   "A:BASE-1@/d:booking[1] R:BASE-2@/d:booking[1] A:OVER-1@/d:booking[1]");
	ck_assert_findings(run(over, "<booking " DNS " id='1' created='2026-01-01'/>", NULL), "");
	/* the severity element: BASE-1 is a warning in the overlay, an error in the base */
	i1 = find_assertion(over, "BASE-1");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(over, (size_t)i1)), RD_SEVERITY_WARNING);
	i1 = find_assertion(base, "BASE-1");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(base, (size_t)i1)), RD_SEVERITY_ERROR);
	rep = tu_check(over, d, NULL);
	ck_assert_int_eq(rd_finding_severity(rd_report_finding(rep, (size_t)find_rule(rep, "BASE-1"))),
	                 RD_SEVERITY_WARNING);
	ck_assert_int_eq(rd_finding_severity(rd_report_finding(rep, (size_t)find_rule(rep, "OVER-1"))),
	                 RD_SEVERITY_ERROR);
	ck_assert_uint_eq(rd_report_severity_count(rep, RD_SEVERITY_WARNING), 2); /* BASE-1, BASE-2 */
	rd_report_free(rep);
	rep = tu_check(base, d, NULL);
	ck_assert_int_eq(rd_finding_severity(rd_report_finding(rep, (size_t)find_rule(rep, "BASE-1"))),
	                 RD_SEVERITY_ERROR);
	rd_report_free(rep);
	/* the base's phase is the overlay's too; in it only the base's pattern runs (the
	 * overlay's schema does not declare it) */
	ck_assert_int_eq(rd_rules_has_phase(over, "base-phase"), 1);
	{
		rd_check_options o = RD_CHECK_OPTIONS_INIT;

		o.phase = "base-phase";
		ck_assert_findings(run(over, "<booking " DNS " code='X'/>", &o),
		                   "A:BASE-1@/d:booking[1] R:BASE-2@/d:booking[1]");
	}
	rd_document_free(d);
	rd_rules_free(base);
	rd_rules_free(over);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_overlay_identity)
{
	char *dir = overlay_packs();
	rd_rules *base = load_ok(dir, "base");
	rd_rules *over = load_ok(dir, "over");
	char *want;
	rd_document *d = tu_doc("<booking " DNS "/>");
	rd_report *rep;

	ck_assert_str_eq(rd_rules_get(base, RD_RULES_ID), "base");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_ID), "over");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_VERSION), "2.1.0");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_TITLE), "The overlay");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_JURISDICTION), "PK-PB");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_EFFECTIVE), "2026-06-01");
	want = pjoin(dir, "over");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_PATH), want);
	free(want);
	/* reports name the overlay */
	rep = tu_check(over, d, NULL);
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_RULES_ID), "over");
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_RULES_VERSION), "2.1.0");
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_RULES_TITLE), "The overlay");
	rd_report_free(rep);
	rd_document_free(d);
	/* loading through the manifest gives the same */
	rd_rules_free(over);
	over = load_ok(dir, "over/pack.xml");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_ID), "over");
	ck_assert_uint_eq(rd_rules_assertion_count(over), 3);
	rd_rules_free(over);
	/* an overlay with no title of its own does not show the base's */
	put(dir, "bare/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='bare'><extends href='../base'/></pack>");
	over = load_ok(dir, "bare");
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_ID), "bare");
	ck_assert_ptr_null(rd_rules_get(over, RD_RULES_VERSION));
	ck_assert_ptr_null(rd_rules_get(over, RD_RULES_TITLE));
	/* an overlay of nothing but its base: the base's rules */
	ck_assert_uint_eq(rd_rules_assertion_count(over), 2);
	rd_rules_free(over);
	rd_rules_free(base);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_overlay_test_dirs)
{
	char *dir = overlay_packs();
	rd_rules *base = load_ok(dir, "base");
	rd_rules *over = load_ok(dir, "over");
	rd_rules *top;
	char *bt = pjoin(dir, "base/tests"), *ot = pjoin(dir, "over/tests"), *tt = pjoin(dir, "top/t");

	ck_assert_uint_eq(rd_rules_test_dir_count(base), 1);
	ck_assert_str_eq(rd_rules_test_dir(base, 0), bt);
	ck_assert_str_eq(rd_rules_get(base, RD_RULES_TESTS), bt);
	/* the base's tests first, then the overlay's; RD_RULES_TESTS is the overlay's own */
	ck_assert_uint_eq(rd_rules_test_dir_count(over), 2);
	ck_assert_str_eq(rd_rules_test_dir(over, 0), bt);
	ck_assert_str_eq(rd_rules_test_dir(over, 1), ot);
	ck_assert_ptr_null(rd_rules_test_dir(over, 2));
	ck_assert_str_eq(rd_rules_get(over, RD_RULES_TESTS), ot);
	/* three levels */
	put(dir, "top/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='top'><extends href='../over'/><tests href='t'/></pack>");
	top = load_ok(dir, "top");
	ck_assert_uint_eq(rd_rules_test_dir_count(top), 3);
	ck_assert_str_eq(rd_rules_test_dir(top, 0), bt);
	ck_assert_str_eq(rd_rules_test_dir(top, 1), ot);
	ck_assert_str_eq(rd_rules_test_dir(top, 2), tt);
	ck_assert_str_eq(rd_rules_get(top, RD_RULES_ID), "top");
	ck_assert_uint_eq(rd_rules_assertion_count(top), 3);
	rd_rules_free(top);
	/* an overlay without tests of its own: the base's, and no RD_RULES_TESTS of its own */
	put(dir, "notests/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='notests'><extends href='../base'/></pack>");
	top = load_ok(dir, "notests");
	ck_assert_uint_eq(rd_rules_test_dir_count(top), 1);
	ck_assert_str_eq(rd_rules_test_dir(top, 0), bt);
	{
		char own[512];
		const char *v = rd_rules_get(top, RD_RULES_TESTS);

		snprintf(own, sizeof own, "%s", v ? v : "(null)");
		rd_rules_free(top);
		ck_assert_uint_eq(rd_rules_test_dir_count(NULL), 0);
		ck_assert_ptr_null(rd_rules_test_dir(NULL, 0));
		free(bt);
		free(ot);
		free(tt);
		rd_rules_free(base);
		rd_rules_free(over);
		tu_rmtree(dir);
		free(dir);
		/* RD_RULES_TESTS is "the pack's own test directory (an overlay's, not its base's)" */
		ck_assert_msg(strcmp(own, "(null)") == 0, "RD_RULES_TESTS of an overlay without tests: %s",
		              own);
	}
}
END_TEST

START_TEST(test_overlay_severity)
{
	char *dir = overlay_packs();
	rd_rules *r;
	long i;

	/* every value; the overlay's own rules too */
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'><extends href='../base'/><schema href='o.sch'/>"
	    "<severity rule='BASE-1' value='info'/><severity rule='BASE-2' value='error'/>"
	    "<severity rule='OVER-1' value='warning'/></pack>");
	r = load_ok(dir, "over");
	i = find_assertion(r, "BASE-1");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(r, (size_t)i)), RD_SEVERITY_INFO);
	i = find_assertion(r, "BASE-2");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(r, (size_t)i)), RD_SEVERITY_ERROR);
	i = find_assertion(r, "OVER-1");
	ck_assert_int_eq(rd_assertion_severity(rd_rules_assertion(r, (size_t)i)), RD_SEVERITY_WARNING);
	rd_rules_free(r);
	/* an unknown rule id: refused, naming it, with the manifest's line */
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'>\n<extends href='../base'/>\n<schema href='o.sch'/>\n"
	    "<severity rule='BASE-9' value='warning'/>\n</pack>");
	load_fails(dir, "over", RD_ERULES, "BASE-9", "pack.xml:4:", NULL);
	/* a bad value, a missing attribute, an unknown attribute */
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'>\n<extends href='../base'/>\n"
	    "<severity rule='BASE-1' value='fatal-ish'/>\n</pack>");
	load_fails(dir, "over", RD_ERULES, "pack.xml:3:", "severity", NULL);
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'>\n<extends href='../base'/>\n"
	    "<severity value='info'/>\n</pack>");
	load_fails(dir, "over", RD_ERULES, "pack.xml:3:", NULL);
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'>\n<extends href='../base'/>\n"
	    "<severity rule='BASE-1' value='info' reason='x'/>\n</pack>");
	load_fails(dir, "over", RD_ERULES, "pack.xml:3:", "reason", NULL);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_overlay_errors)
{
	char *dir = overlay_packs();

	/* a cycle: refused, not an endless loop */
	put(dir, "a/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='a'><extends href='../b'/></pack>");
	put(dir, "b/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='b'><extends href='../a'/></pack>");
	load_fails(dir, "a", RD_ERULES, "extends", NULL);
	load_fails(dir, "b/pack.xml", RD_ERULES, "extends", NULL);
	load_fails(dir, "a/", RD_ERULES, "extends", NULL);
	load_fails(dir, "./a/../a", RD_ERULES, "extends", NULL);
	/* a pack that extends itself */
	put(dir, "self/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='self'><extends href='.'/></pack>");
	load_fails(dir, "self", RD_ERULES, "extends", NULL);
	put(dir, "self2/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='self2'><extends href='../self2'/></pack>");
	load_fails(dir, "self2", RD_ERULES, "extends", NULL);
	/* a three-pack cycle */
	put(dir, "c1/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='c1'><extends href='../c2'/></pack>");
	put(dir, "c2/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='c2'><extends href='../c3'/></pack>");
	put(dir, "c3/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='c3'><extends href='../c1'/></pack>");
	load_fails(dir, "c2", RD_ERULES, "extends", NULL);
	/* a missing base: not found, with the manifest and the base's path */
	put(dir, "orphan/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='orphan'>\n<extends href='../nowhere'/>\n</pack>");
	load_fails(dir, "orphan", RD_ENOTFOUND, "nowhere", "orphan/pack.xml:2:", NULL);
	/* extends after a schema, and hrefs that leave the relative world */
	put(dir, "late/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='late'><schema href='l.sch'/>\n<extends href='../base'/></pack>");
	put(dir, "late/l.sch", SCHD_OPEN "<sch:pattern><sch:rule context='/*'>"
	    "<sch:assert id='L-1' test='true()'>l</sch:assert></sch:rule></sch:pattern>" SCHD_CLOSE);
	load_fails(dir, "late", RD_ERULES, "pack.xml:2:", "before", NULL);
	put(dir, "abs/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='abs'><extends href='/etc'/></pack>");
	load_fails(dir, "abs", RD_ERULES, "extends", NULL);
	put(dir, "url/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='url'><extends href='http://example.com/pk'/></pack>");
	load_fails(dir, "url", RD_ERULES, "extends", NULL);
	put(dir, "noref/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='noref'><extends/></pack>");
	load_fails(dir, "noref", RD_ERULES, "extends", NULL);
	/* a base that does not load: its own error, with where it was extended */
	put(dir, "broken/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='broken'><schema href='x.sch'/></pack>");
	put(dir, "broken/x.sch", SCHD_OPEN "<sch:pattern><sch:rule context='a'><sch:assert test='('/>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "onbroken/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='onbroken'><extends href='../broken'/></pack>");
	load_fails(dir, "onbroken", RD_ERULES, "x.sch", NULL);
	/* too deep: ten packs in a chain */
	{
		int k;

		for (k = 0; k < 10; k++) {
			char name[32], body[160];

			snprintf(name, sizeof name, "d%d/pack.xml", k);
			if (k == 0)
				snprintf(body, sizeof body,
				         "<pack xmlns='urn:rahdari:pack:1' id='d0'><extends href='../base'/></pack>");
			else
				snprintf(body, sizeof body,
				         "<pack xmlns='urn:rahdari:pack:1' id='d%d'><extends href='../d%d'/></pack>", k,
				         k - 1);
			put(dir, name, body);
		}
		{
			rd_rules *r = load_ok(dir, "d5");

			ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "d5");
			ck_assert_uint_eq(rd_rules_assertion_count(r), 2);
			rd_rules_free(r);
		}
		load_fails(dir, "d9", RD_ERULES, "deep", NULL);
	}
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_overlay_of_real_packs)
{
	/* the packs of the source tree: pk-pb extends pk */
	char *pk = tu_srcpath("rules/pk"), *pb = tu_srcpath("rules/pk-pb");
	rd_rules *rpk = NULL, *rpb = NULL;
	size_t i, n;

	ck_assert_msg(rd_rules_load(&rpk, pk, NULL) == RD_OK, "%s", rd_error_last()->message);
	ck_assert_msg(rd_rules_load(&rpb, pb, NULL) == RD_OK, "%s", rd_error_last()->message);
	ck_assert_str_eq(rd_rules_get(rpk, RD_RULES_ID), "pk");
	ck_assert_str_eq(rd_rules_get(rpb, RD_RULES_ID), "pk-pb");
	ck_assert_str_eq(rd_rules_get(rpb, RD_RULES_JURISDICTION), "PK-PB");
	ck_assert_str_ne(rd_rules_get(rpb, RD_RULES_TITLE), rd_rules_get(rpk, RD_RULES_TITLE));
	n = rd_rules_assertion_count(rpk);
	ck_assert_uint_gt(rd_rules_assertion_count(rpb), n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(rd_assertion_get(rd_rules_assertion(rpb, i), RD_FIELD_RULE),
		                 rd_assertion_get(rd_rules_assertion(rpk, i), RD_FIELD_RULE));
	ck_assert_uint_eq(rd_rules_test_dir_count(rpb), 2);
	ck_assert_contains(rd_rules_test_dir(rpb, 0), "rules/pk/tests");
	ck_assert_contains(rd_rules_test_dir(rpb, 1), "rules/pk-pb/tests");
	ck_assert_uint_ge(rd_rules_param_count(rpb), rd_rules_param_count(rpk));
	rd_rules_free(rpk);
	rd_rules_free(rpb);
	free(pk);
	free(pb);
}
END_TEST

/* ================================================================ what a pack may read */

/* A pack p (pack.xml naming p.sch, whose second line is `decl`), beside a directory
 * secret/ that holds files a pack must not reach (their contents say TOPSECRET). */
static char *confine_dir(const char *decl)
{
	char *dir = tu_tmpdir(), sch[2048];

	put(dir, "secret/secret.csv", "number,status\nTOPSECRET,VALID\n");
	put(dir, "secret/x.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='x'>"
	    "<sch:rule context='/*'><sch:report id='X-1' test='true()'>TOPSECRET</sch:report>"
	    "</sch:rule></sch:pattern>");
	put(dir, "secret/x.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'"
	    " targetNamespace='urn:rahdari:doc:1'><xs:element name='booking'/></xs:schema>");
	put(dir, "secret/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='secret'><schema href='x.sch'/></pack>");
	put(dir, "p/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='p'>\n<schema href='p.sch'/>\n</pack>");
	snprintf(sch, sizeof sch,
	         "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'"
	         " xmlns:rd='urn:rahdari:rules:1'>\n%s\n"
	         "<sch:pattern id='p'><sch:rule context='/*'>"
	         "<sch:assert id='P-1' test='true()'>p</sch:assert></sch:rule></sch:pattern>"
	         "</sch:schema>",
	         decl);
	put(dir, "p/p.sch", sch);
	put(dir, "p/tables/in.csv", "number,status\nL-1,VALID\n");
	put(dir, "p/parts/part.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='part'>"
	    "<sch:rule context='/*'><sch:assert id='PART-1' test='true()'>part</sch:assert>"
	    "</sch:rule></sch:pattern>");
	return dir;
}

/* Loading dir/rel is refused (RD_EUNSAFE) by the declaration at file:line, which the
 * message names with the href, without anything of the file it would have read. */
static void refused_at(const char *dir, const char *rel, const char *file, long line,
                       const char *decl)
{
	char *p = pjoin(dir, rel), *want = pjoin(dir, file), at[64];
	rd_rules *r = (rd_rules *)p;
	int rc = rd_rules_load(&r, p, NULL);
	const rd_error *e = rd_error_last();

	ck_assert_msg(rc == RD_EUNSAFE, "%s: expected RD_EUNSAFE, got %s (%s)", p,
	              rd_status_name(rc), rc == RD_OK ? "" : e->message);
	ck_assert_ptr_null(r);
	ck_assert_contains(e->message, decl);
	ck_assert_contains(e->message, "outside the pack");
	ck_assert_msg(!tu_contains(e->message, "TOPSECRET"), "the message shows the file: %s",
	              e->message);
	ck_assert_ptr_nonnull(e->file);
	ck_assert_msg(tu_contains(e->file, file), "error file %s, want %s", e->file, want);
	ck_assert_int_eq(e->line, line);
	snprintf(at, sizeof at, ":%ld: ", line);
	ck_assert_contains(e->message, at);
	free(p);
	free(want);
}

START_TEST(test_confine_dotdot)
{
	char *dir;

	/* a table, an include and an extends-href up and out */
	dir = confine_dir("<rd:table name='t' href='../secret/secret.csv'/>");
	refused_at(dir, "p", "p/p.sch", 2, "rd:table href=\"../secret/secret.csv\"");
	refused_at(dir, "p/p.sch", "p/p.sch", 2, "rd:table href=\"../secret/secret.csv\"");
	tu_rmtree(dir);
	free(dir);
	dir = confine_dir("<sch:include href='../secret/x.sch'/>");
	refused_at(dir, "p", "p/p.sch", 2, "sch:include href=\"../secret/x.sch\"");
	tu_rmtree(dir);
	free(dir);
	/* through a directory of the pack, existing or not */
	dir = confine_dir("<rd:table name='t' href='tables/../../secret/secret.csv'/>");
	refused_at(dir, "p", "p/p.sch", 2, "tables/../../secret/secret.csv");
	tu_rmtree(dir);
	free(dir);
	dir = confine_dir("<rd:table name='t' href='nowhere/../../secret/secret.csv'/>");
	refused_at(dir, "p", "p/p.sch", 2, "nowhere/../../secret/secret.csv");
	tu_rmtree(dir);
	free(dir);
	/* a file outside that does not exist is refused the same way: whether a file exists
	 * out of the pack is not the pack's business */
	dir = confine_dir("<rd:table name='t' href='../secret/none.csv'/>");
	refused_at(dir, "p", "p/p.sch", 2, "../secret/none.csv");
	tu_rmtree(dir);
	free(dir);
	/* while one inside that does not exist is just not found, and one that does, read */
	dir = confine_dir("<rd:table name='t' href='tables/none.csv'/>");
	load_fails(dir, "p", RD_ENOTFOUND, "none.csv", NULL);
	tu_rmtree(dir);
	free(dir);
	dir = confine_dir("<rd:table name='t' href='tables/./in.csv'/><sch:include href='parts/../parts/part.sch'/>");
	rd_rules_free(load_ok(dir, "p"));
	/* the manifest's hrefs */
	put(dir, "p/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='p'>\n<schema href='../secret/x.sch'/>\n</pack>");
	refused_at(dir, "p", "p/pack.xml", 2, "schema href=\"../secret/x.sch\"");
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='p'>\n<xsd kind='booking' href='../secret/x.xsd'/>\n"
	    "<schema href='p.sch'/></pack>");
	refused_at(dir, "p", "p/pack.xml", 2, "xsd href=\"../secret/x.xsd\"");
	put(dir, "p/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='p'><schema href='p.sch'/>\n<tests href='../secret'/>\n</pack>");
	refused_at(dir, "p", "p/pack.xml", 2, "tests href=\"../secret\"");
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_confine_absolute)
{
	char *dir = confine_dir(""), *secret, sch[2048];

	/* the absolute path of a file outside the pack */
	secret = pjoin(dir, "secret/secret.csv");
	snprintf(sch, sizeof sch,
	         "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'"
	         " xmlns:rd='urn:rahdari:rules:1'>\n<rd:table name='t' href='%s'/>\n"
	         "<sch:pattern><sch:rule context='/*'><sch:assert id='P-1' test='true()'>p"
	         "</sch:assert></sch:rule></sch:pattern></sch:schema>",
	         secret);
	put(dir, "p/p.sch", sch);
	refused_at(dir, "p", "p/p.sch", 2, "rd:table href=");
	free(secret);
	secret = pjoin(dir, "secret/x.sch");
	snprintf(sch, sizeof sch,
	         "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
	         "<sch:include href='%s'/>\n</sch:schema>",
	         secret);
	put(dir, "p/p.sch", sch);
	refused_at(dir, "p", "p/p.sch", 2, "sch:include href=");
	free(secret);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_confine_symlinks)
{
	char *dir = confine_dir("<rd:table name='t' href='tables/t.csv'/>"), *p, *target;

	/* a file of the pack that is a link out of it */
	p = pjoin(dir, "p/tables/t.csv");
	ck_assert_int_eq(symlink("../../secret/secret.csv", p), 0);
	refused_at(dir, "p", "p/p.sch", 2, "rd:table href=\"tables/t.csv\"");
	ck_assert_int_eq(unlink(p), 0);
	/* ... or that leads nowhere out of it */
	ck_assert_int_eq(symlink("../../secret/none.csv", p), 0);
	refused_at(dir, "p", "p/p.sch", 2, "rd:table href=\"tables/t.csv\"");
	ck_assert_int_eq(unlink(p), 0);
	/* a link inside the pack is followed */
	ck_assert_int_eq(symlink("in.csv", p), 0);
	rd_rules_free(load_ok(dir, "p"));
	ck_assert_int_eq(unlink(p), 0);
	free(p);
	/* a directory of the pack that is a link out of it */
	p = pjoin(dir, "p/tables");
	tu_rmtree(p);
	ck_assert_int_eq(symlink("../secret", p), 0);
	put(dir, "secret/t.csv", "number,status\nTOPSECRET,VALID\n");
	refused_at(dir, "p", "p/p.sch", 2, "rd:table href=\"tables/t.csv\"");
	free(p);
	/* the manifest itself, when the pack is given as a directory */
	p = pjoin(dir, "q/pack.xml");
	put(dir, "q/keep", "");
	target = pjoin(dir, "secret/pack.xml");
	ck_assert_int_eq(symlink(target, p), 0);
	load_fails(dir, "q", RD_EUNSAFE, "q/pack.xml", "outside the pack", NULL);
	free(target);
	free(p);
	/* a pack reached through a link is read where the link leads */
	p = pjoin(dir, "link");
	put(dir, "real/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='real'><schema href='r.sch'/></pack>");
	put(dir, "real/r.sch",
	    SCHD_OPEN "<rd:table name='t' href='t.csv'/><sch:include href='part.sch'/>" SCHD_CLOSE);
	put(dir, "real/t.csv", "a\n1\n");
	put(dir, "real/part.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='r'>"
	    "<sch:rule context='/*'><sch:assert id='R-1' test='true()'>r</sch:assert></sch:rule>"
	    "</sch:pattern>");
	ck_assert_int_eq(symlink("real", p), 0);
	rd_rules_free(load_ok(dir, "link"));
	rd_rules_free(load_ok(dir, "link/pack.xml"));
	free(p);
	/* and a schema file named directly may be a link: what it names is beside the link */
	p = pjoin(dir, "real/alone.sch");
	put(dir, "real/alone.sch", SCHD_OPEN "<sch:pattern><sch:rule context='/*'>"
	    "<sch:assert id='A-1' test='true()'>a</sch:assert></sch:rule></sch:pattern>" SCHD_CLOSE);
	free(p);
	p = pjoin(dir, "elsewhere/alone.sch");
	put(dir, "elsewhere/keep", "");
	target = pjoin(dir, "real/alone.sch");
	ck_assert_int_eq(symlink(target, p), 0);
	rd_rules_free(load_ok(dir, "elsewhere/alone.sch"));
	free(target);
	free(p);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_confine_base_pack)
{
	char *dir = overlay_packs();
	rd_rules *r;

	/* an overlay reads its base's files (as pk-pb reads pk's licence register) */
	put(dir, "over/o.sch",
	    SCHD_OPEN "<rd:table name='codes' href='../base/codes.csv'/>"
	    "<sch:pattern id='o'><sch:rule context='d:booking'>"
	    "<sch:report id='OVER-1' test=\"fn:in-table('codes', 'code', @code)\">coded</sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	put(dir, "base/x.xsd",
	    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'"
	    " targetNamespace='urn:rahdari:doc:1'><xs:element name='booking'/></xs:schema>");
	put(dir, "over/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over'>\n<extends href='../base'/>\n"
	    "<xsd kind='booking' href='../base/x.xsd'/>\n<schema href='o.sch'/>\n</pack>");
	r = load_ok(dir, "over");
	ck_assert_findings(run(r, "<booking " DNS " id='B' code='X'/>", NULL), "R:BASE-2@/d:booking[1] R:OVER-1@/d:booking[1]");
	rd_rules_free(r);
	/* and so does an overlay of the overlay (the packs it extends, all the way down) */
	put(dir, "over2/pack.xml",
	    "<pack xmlns='urn:rahdari:pack:1' id='over2'>\n<extends href='../over'/>\n"
	    "<schema href='o2.sch'/>\n</pack>");
	put(dir, "over2/o2.sch",
	    SCHD_OPEN "<rd:table name='codes2' href='../base/codes.csv'/>"
	    "<sch:pattern id='o2'><sch:rule context='d:booking'>"
	    "<sch:report id='OVER2-1' test=\"fn:in-table('codes2', 'code', @code)\">coded</sch:report>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	rd_rules_free(load_ok(dir, "over2"));
	/* but not a directory beside them that it does not extend */
	put(dir, "other/codes.csv", "code\nTOPSECRET\n");
	put(dir, "over2/o2.sch",
	    SCHD_OPEN "\n<rd:table name='codes2' href='../other/codes.csv'/>"
	    "<sch:pattern id='o2'><sch:rule context='d:booking'>"
	    "<sch:assert id='OVER2-1' test='true()'>x</sch:assert>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	refused_at(dir, "over2", "over2/o2.sch", 2, "rd:table href=\"../other/codes.csv\"");
	/* a base reads only its own files (and its bases'), not its overlay's */
	put(dir, "over/part.sch",
	    "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='part'>"
	    "<sch:rule context='/*'><sch:assert id='PART-1' test='true()'>TOPSECRET</sch:assert>"
	    "</sch:rule></sch:pattern>");
	put(dir, "base/b.sch", SCHD_OPEN "\n<sch:include href='../over/part.sch'/>" SCHD_CLOSE);
	refused_at(dir, "over", "base/b.sch", 2, "sch:include href=\"../over/part.sch\"");
	/* nor anything else outside itself, whoever extends it */
	put(dir, "base/b.sch", SCHD_OPEN "\n<rd:table name='t' href='../other/codes.csv'/>"
	    "<sch:pattern><sch:rule context='/*'><sch:assert id='B-1' test='true()'>b</sch:assert>"
	    "</sch:rule></sch:pattern>" SCHD_CLOSE);
	refused_at(dir, "over", "base/b.sch", 2, "rd:table href=\"../other/codes.csv\"");
	refused_at(dir, "base", "base/b.sch", 2, "rd:table href=\"../other/codes.csv\"");
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_confine_memory_and_embedded)
{
	char *dir = confine_dir("");
	char *base = pjoin(dir, "p");
	static const char ok_sch[] =
		SCHD_OPEN "<rd:table name='t' href='tables/in.csv'/>"
		"<sch:pattern><sch:rule context='/*'><sch:assert id='M-1' test='true()'>m</sch:assert>"
		"</sch:rule></sch:pattern>" SCHD_CLOSE;
	static const char out_sch[] =
		SCHD_OPEN "\n<rd:table name='t' href='../secret/secret.csv'/>"
		"<sch:pattern><sch:rule context='/*'><sch:assert id='M-1' test='true()'>m</sch:assert>"
		"</sch:rule></sch:pattern>" SCHD_CLOSE;
	rd_rules *r = NULL;

	/* rules from memory read under the base directory given */
	ck_assert_int_eq(rd_rules_load_memory(&r, ok_sch, strlen(ok_sch), "m.sch", base, NULL), RD_OK);
	rd_rules_free(r);
	r = (rd_rules *)base;
	ck_assert_int_eq(rd_rules_load_memory(&r, out_sch, strlen(out_sch), "m.sch", base, NULL),
	                 RD_EUNSAFE);
	ck_assert_ptr_null(r);
	ck_assert_contains(rd_error_last()->message, "m.sch:2: rd:table href=\"../secret/secret.csv\": outside");
	ck_assert_int_eq(rd_error_last()->line, 2);
	/* and nothing without one */
	ck_assert_int_eq(rd_rules_load_memory(&r, ok_sch, strlen(ok_sch), "m.sch", NULL, NULL),
	                 RD_ENOTFOUND);
	/* the embedded overlay reads its base's embedded files */
	ck_assert_int_eq(rd_rules_load_default_for(&r, "PK-PB"), RD_OK);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "pk-pb");
	rd_rules_free(r);
	free(base);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ================================================================ default pack per jurisdiction */

START_TEST(test_default_for_jurisdiction)
{
	rd_rules *def = NULL, *pb = NULL, *r = NULL;
	size_t i, j, n;

	ck_assert_int_eq(rd_rules_load_default(&def), RD_OK);
	ck_assert_int_eq(rd_rules_load_default_for(&pb, "PK-PB"), RD_OK);
	ck_assert_str_eq(rd_rules_get(pb, RD_RULES_PATH), "(embedded)");
	ck_assert_uint_eq(rd_rules_test_dir_count(pb), 0);
	ck_assert_ptr_null(rd_rules_get(pb, RD_RULES_TESTS));
	if (strcmp(rd_rules_get(pb, RD_RULES_ID), "pk-pb") == 0) {
		/* the build embeds the Punjab overlay: every rule of the default pack, and more */
		ck_assert_str_eq(rd_rules_get(pb, RD_RULES_JURISDICTION), "PK-PB");
		n = rd_rules_assertion_count(def);
		ck_assert_uint_gt(rd_rules_assertion_count(pb), n);
		for (i = 0; i < n; i++) {
			const char *id = rd_assertion_get(rd_rules_assertion(def, i), RD_FIELD_RULE);

			if (id == NULL)
				continue;
			for (j = 0; j < rd_rules_assertion_count(pb); j++) {
				const char *pid = rd_assertion_get(rd_rules_assertion(pb, j), RD_FIELD_RULE);

				if (pid && strcmp(pid, id) == 0)
					break;
			}
			ck_assert_msg(j < rd_rules_assertion_count(pb), "%s is missing from pk-pb", id);
		}
		/* the code is not case-sensitive */
		ck_assert_int_eq(rd_rules_load_default_for(&r, "pk-pb"), RD_OK);
		ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "pk-pb");
		ck_assert_uint_eq(rd_rules_assertion_count(r), rd_rules_assertion_count(pb));
		rd_rules_free(r);
	} else {
		/* it does not: the default pack */
		ck_assert_str_eq(rd_rules_get(pb, RD_RULES_ID), rd_rules_get(def, RD_RULES_ID));
		ck_assert_uint_eq(rd_rules_assertion_count(pb), rd_rules_assertion_count(def));
	}
	/* a jurisdiction with no pack of its own, NULL and "": the default pack */
	{
		static const char *const others[] = { "PK-SD", "PK", "XX", "", "PK-PB-LAHORE-CITY" };

		for (i = 0; i < sizeof others / sizeof *others; i++) {
			r = NULL;
			ck_assert_msg(rd_rules_load_default_for(&r, others[i]) == RD_OK, "%s: %s", others[i],
			              rd_error_last()->message);
			if (strcmp(others[i], "PK") != 0)
				ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), rd_rules_get(def, RD_RULES_ID));
			rd_rules_free(r);
		}
		ck_assert_int_eq(rd_rules_load_default_for(&r, NULL), RD_OK);
		ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), rd_rules_get(def, RD_RULES_ID));
		ck_assert_uint_eq(rd_rules_assertion_count(r), rd_rules_assertion_count(def));
		rd_rules_free(r);
	}
	rd_rules_free(pb);
	rd_rules_free(def);
}
END_TEST

START_TEST(test_default_for_bad_jurisdiction)
{
	static const char *const bad[] = {
		"P K", "../x", "pk/../pk-pb", "PK_PB", "PK-PB/", ".", "..", "pk-pb\n", "ПК",
		/* long ones are not codes either, and must not be taken as paths */
		"../../../../../../../../etc", "PK-PB/../../../../../../x",
	};
	char wrong[2048];
	size_t i, len = 0;

	wrong[0] = '\0';
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		static int marker;
		rd_rules *r = (rd_rules *)(void *)&marker; /* not NULL: the call must clear it */
		int rc = rd_rules_load_default_for(&r, bad[i]);

		if (rc != RD_EINVAL) {
			len += (size_t)snprintf(wrong + len, sizeof wrong - len, " '%s' gave %s;", bad[i],
			                        rd_status_name(rc));
			if (rc == RD_OK)
				rd_rules_free(r);
			continue;
		}
		ck_assert_ptr_null(r);
		ck_assert_contains(rd_error_last()->message, "jurisdiction");
	}
	ck_assert_int_eq(rd_rules_load_default_for(NULL, "PK-PB"), RD_EINVAL);
	ck_assert_msg(len == 0, "not refused as RD_EINVAL:%s", wrong);
}
END_TEST

START_TEST(test_default_for_checks_jurisdiction)
{
	/* the embedded Punjab overlay checks a booking; with the jurisdiction PK-SD its
	 * PK-PB rules are not run */
	rd_rules *pb = NULL;
	rd_document *d;
	rd_report *rep;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	size_t i, npb = 0;

	ck_assert_int_eq(rd_rules_load_default_for(&pb, "PK-PB"), RD_OK);
	if (strcmp(rd_rules_get(pb, RD_RULES_ID), "pk-pb") != 0) {
		rd_rules_free(pb);
		return; /* the build does not embed the overlay */
	}
	/* a Punjab office that sells naming no licence (rules/pk-pb/tests/pb-002-no-licence.xml) */
	d = tu_doc("<booking " DNS " id='T-PB' created='2026-11-20'>"
	           "<agency name='Al-Noor Travels' office='LHR-01' province='PK-PB'/>"
	           "<service type='air-ticket' field='a'/></booking>");
	o.as_of = "2026-12-01";
	o.jurisdiction = "PK-PB";
	rep = tu_check(pb, d, &o);
	for (i = 0; i < rd_report_count(rep); i++) {
		const char *id = rd_finding_get(rd_report_finding(rep, i), RD_FIELD_RULE);

		if (id && strncmp(id, "PK-PB-", 6) == 0)
			npb++;
	}
	ck_assert_uint_gt(npb, 0);
	rd_report_free(rep);
	o.jurisdiction = "PK-SD";
	rep = tu_check(pb, d, &o);
	for (i = 0; i < rd_report_count(rep); i++) {
		const char *id = rd_finding_get(rd_report_finding(rep, i), RD_FIELD_RULE);

		ck_assert_msg(id == NULL || strncmp(id, "PK-PB-", 6) != 0, "%s ran for PK-SD", id);
	}
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(pb);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *suite(void)
{
	Suite *s = suite_create("packs");
	TCase *tc;

	tc = tcase_create("doc");
	tcase_add_test(tc, test_doc_from_options);
	tcase_add_test(tc, test_doc_in_case);
	tcase_add_test(tc, test_doc_self_axis_both_ways);
	tcase_add_test(tc, test_doc_unknown_role);
	tcase_add_test(tc, test_doc_load_time_checks);
	tcase_add_test(tc, test_doc_options_checked);
	tcase_add_test(tc, test_doc_location_stays_in_document);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_test(tc, test_table_overrides_pack_table);
	tcase_add_test(tc, test_table_missing_column_at_run_time);
	tcase_add_test(tc, test_table_only_at_run_time);
	tcase_add_test(tc, test_table_csv_syntax);
	tcase_add_test(tc, test_table_sizes);
	tcase_add_test(tc, test_table_load_errors);
	tcase_add_test(tc, test_table_error_line_after_comment);
	tcase_add_test(tc, test_table_trailing_comment);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile tables");
	tcase_set_timeout(tc, 60); /* tens of thousands of rows, under the sanitizers too */
	tcase_add_test(tc, test_siphash_vectors);
	tcase_add_test(tc, test_table_colliding_keys);
	tcase_add_test(tc, test_table_column_limit);
	tcase_add_test(tc, test_table_duplicate_columns);
	suite_add_tcase(s, tc);

	tc = tcase_create("params");
	tcase_add_test(tc, test_params_listed);
	tcase_add_test(tc, test_params_given);
	tcase_add_test(tc, test_params_unknown);
	tcase_add_test(tc, test_params_of_a_pack);
	tcase_add_test(tc, test_params_shared_by_schemas);
	tcase_add_test(tc, test_params_number_syntax);
	suite_add_tcase(s, tc);

	tc = tcase_create("xsd");
	tcase_add_test(tc, test_xsd_findings);
	tcase_add_test(tc, test_xsd_valid_and_off);
	tcase_add_test(tc, test_xsd_other_kinds);
	tcase_add_test(tc, test_xsd_many_errors);
	tcase_add_test(tc, test_xsd_load_errors);
	tcase_add_test(tc, test_xsd_from_base_pack);
	tcase_add_test(tc, test_xsd_unsafe_pattern);
	tcase_add_test(tc, test_xsd_long_email);
	tcase_add_test(tc, test_xsd_matcher_gives_up);
	suite_add_tcase(s, tc);

	tc = tcase_create("overlays");
	tcase_add_test(tc, test_overlay_rules_run);
	tcase_add_test(tc, test_overlay_identity);
	tcase_add_test(tc, test_overlay_test_dirs);
	tcase_add_test(tc, test_overlay_severity);
	tcase_add_test(tc, test_overlay_errors);
	tcase_add_test(tc, test_overlay_of_real_packs);
	suite_add_tcase(s, tc);

	tc = tcase_create("confinement");
	tcase_add_test(tc, test_confine_dotdot);
	tcase_add_test(tc, test_confine_absolute);
	tcase_add_test(tc, test_confine_symlinks);
	tcase_add_test(tc, test_confine_base_pack);
	tcase_add_test(tc, test_confine_memory_and_embedded);
	suite_add_tcase(s, tc);

	tc = tcase_create("default");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_default_for_jurisdiction);
	tcase_add_test(tc, test_default_for_bad_jurisdiction);
	tcase_add_test(tc, test_default_for_checks_jurisdiction);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
