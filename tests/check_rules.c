/* rahdari tests: loading and compiling rules; what is refused at load time.
 *
 * A schema that could fail at run time for a reason visible in the schema must
 * be refused when it is loaded, with file, line and the offending expression.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Expect a schema to be refused with code, and the message to contain each of the
 * NULL-terminated substrings. */
static void refused(const char *sch, int code, ...)
{
	rd_rules *r = NULL;
	int rc = tu_rules_try(&r, sch);
	const char *msg = rd_error_last()->message;
	va_list ap;
	const char *sub;

	ck_assert_msg(rc == code, "expected %s, got %s (%s) for %s", rd_status_name(code),
	              rd_status_name(rc), msg, sch);
	ck_assert_ptr_null(r);
	ck_assert_contains(msg, "test.sch:");
	ck_assert_int_gt(rd_error_last()->line, 0);
	va_start(ap, code);
	while ((sub = va_arg(ap, const char *)) != NULL)
		ck_assert_contains(msg, sub);
	va_end(ap);
}

#define RULE(ctx, body) \
	SCH_OPEN "<sch:pattern><sch:rule context='" ctx "'>" body "</sch:rule></sch:pattern>" SCH_CLOSE

START_TEST(test_query_binding)
{
	refused("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt2'>"
	        "<sch:pattern><sch:rule context='a'><sch:assert test='true()'/></sch:rule></sch:pattern>"
	        "</sch:schema>",
	        RD_EUNSUPPORTED, "xslt2", "XPath 1.0", NULL);
	refused("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='xpath31'/>",
	        RD_EUNSUPPORTED, "xpath31", NULL);
	{
		static const char *const ok[] = { "xslt", "xslt1", "xpath" };
		size_t i;

		for (i = 0; i < 3; i++) {
			char sch[512];
			rd_rules *r;

			snprintf(sch, sizeof sch,
			         "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' queryBinding='%s'>"
			         "<sch:pattern><sch:rule context='a'><sch:assert test='true()'/></sch:rule>"
			         "</sch:pattern></sch:schema>",
			         ok[i]);
			r = tu_rules(sch);
			rd_rules_free(r);
		}
	}
}
END_TEST

START_TEST(test_not_schematron)
{
	rd_rules *r = NULL;

	ck_assert_int_eq(tu_rules_try(&r, "<schema/>"), RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "not a Schematron schema");
	ck_assert_int_eq(tu_rules_try(&r, "<s:schema xmlns:s='http://www.ascc.net/xml/schematron'/>"),
	                 RD_EUNSUPPORTED);
	ck_assert_contains(rd_error_last()->message, "Schematron 1.5");
	ck_assert_int_eq(tu_rules_try(&r, "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"),
	                 RD_EPARSE);
}
END_TEST

START_TEST(test_bad_xpath)
{
	refused(RULE("a", "<sch:assert test='count(('/>"), RD_ERULES, "count((", "sch:assert/@test",
	        NULL);
	refused(RULE("a", "<sch:assert test='@x = '/>"), RD_ERULES, "@x =", NULL);
	refused(RULE("a", "<sch:assert test='1 +* 2 !'/>"), RD_ERULES, NULL);
	refused(RULE("a[", "<sch:assert test='true()'/>"), RD_ERULES, "context", NULL);
	refused(RULE("a", "<sch:assert test=''/>"), RD_ERULES, "test", NULL);
	refused(RULE("a", "<sch:report test='\"unterminated'/>"), RD_ERULES, "unterminated", NULL);
}
END_TEST

START_TEST(test_unknown_names)
{
	refused(RULE("a", "<sch:assert test='p:b'/>"), RD_ERULES, "prefix 'p'", "p:b", NULL);
	refused(RULE("p:a", "<sch:assert test='true()'/>"), RD_ERULES, "prefix 'p'", NULL);
	refused(RULE("a", "<sch:assert test='nosuch(.)'/>"), RD_ERULES, "unknown function nosuch()",
	        NULL);
	refused(RULE("a", "<sch:assert test='fn:nosuch(.)'/>"), RD_ERULES, "fn:nosuch", NULL);
	refused(RULE("a", "<sch:assert test='q:f(.)'/>"), RD_ERULES, "prefix 'q'", NULL);
	refused(RULE("a", "<sch:assert test='$undefined = 1'/>"), RD_ERULES,
	        "undefined variable $undefined", NULL);
	refused(RULE("a", "<sch:assert test='true()'><sch:value-of select='$nope'/></sch:assert>"),
	        RD_ERULES, "$nope", NULL);
	refused(RULE("a", "<sch:assert test='true()'><sch:name path='z:q'/></sch:assert>"), RD_ERULES,
	        "prefix 'z'", NULL);
	refused(RULE("*[local-name() = $ln]", "<sch:assert test='true()'/>"), RD_ERULES, "$ln", NULL);
}
END_TEST

START_TEST(test_arity)
{
	refused(RULE("a", "<sch:assert test='fn:days-between(\"2020-01-01\")'/>"), RD_ERULES,
	        "fn:days-between() takes 2 arguments, not 1", NULL);
	refused(RULE("a", "<sch:assert test='fn:today(1)'/>"), RD_ERULES, "fn:today", NULL);
	refused(RULE("a", "<sch:assert test='count()'/>"), RD_ERULES, "count()", NULL);
	refused(RULE("a", "<sch:assert test='concat(\"x\")'/>"), RD_ERULES, "concat", NULL);
	refused(RULE("a", "<sch:assert test='substring(\"x\", 1, 2, 3)'/>"), RD_ERULES, "substring",
	        NULL);
}
END_TEST

START_TEST(test_xslt_features)
{
	refused(RULE("a", "<sch:assert test='document(\"x.xml\")'/>"), RD_EUNSUPPORTED, "document()",
	        NULL);
	refused(RULE("a", "<sch:assert test='format-number(1, \"0\")'/>"), RD_EUNSUPPORTED,
	        "format-number()", NULL);
	refused(SCH_OPEN "<xsl:function xmlns:xsl='http://www.w3.org/1999/XSL/Transform' name='f'/>"
	                 "<sch:pattern><sch:rule context='a'><sch:assert test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_EUNSUPPORTED, "xsl:function", NULL);
	refused(SCH_OPEN "<sch:pattern documents='/a/@href'><sch:rule context='a'><sch:assert test='true()'/>"
	                 "</sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_EUNSUPPORTED, "documents", NULL);
	refused(SCH_OPEN "<sch:let name='t' as='xs:integer' value='1'/>"
	                 "<sch:pattern><sch:rule context='a'><sch:assert test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_EUNSUPPORTED, "@as", NULL);
}
END_TEST

START_TEST(test_structure_errors)
{
	refused(SCH_OPEN "<sch:pattern><sch:rule><sch:assert test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "context", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule context='a'><sch:bogus/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "sch:bogus", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule context='a'><sch:assert test='true()' colour='red'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_EUNSUPPORTED, "colour", NULL);
	refused(SCH_OPEN "<sch:wrong/>" SCH_CLOSE, RD_ERULES, "sch:wrong", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule context='a'>text here<sch:assert test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "unexpected text", NULL);
	refused(SCH_OPEN "<sch:pattern id='p'/><sch:pattern id='p'/>" SCH_CLOSE, RD_ERULES,
	        "pattern id 'p' is used twice", NULL);
	refused(SCH_OPEN "<sch:ns prefix='a' uri='urn:1'/><sch:ns prefix='a' uri='urn:2'/>" SCH_CLOSE,
	        RD_ERULES, "bound twice", NULL);
}
END_TEST

START_TEST(test_lets)
{
	refused(SCH_OPEN "<sch:let name='x' value='1'/><sch:let name='x' value='2'/>" SCH_CLOSE,
	        RD_ERULES, "'x' is defined twice", NULL);
	refused(SCH_OPEN "<sch:let name='x' value='1'/><sch:pattern><sch:let name='x' value='2'/></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "'x' is defined twice", NULL);
	refused(RULE("a", "<sch:let name='v' value='1'/><sch:let name='v' value='2'/><sch:assert test='true()'/>"),
	        RD_ERULES, "'v' is defined twice in this rule", NULL);
	refused(SCH_OPEN "<sch:let name='a' value='$b'/><sch:let name='b' value='$a'/>" SCH_CLOSE,
	        RD_ERULES, "depend on each other", NULL);
	refused(SCH_OPEN "<sch:let value='1'/>" SCH_CLOSE, RD_ERULES, "name", NULL);
	refused(SCH_OPEN "<sch:let name='c' value='1'>content</sch:let>" SCH_CLOSE, RD_ERULES,
	        "both a value attribute and content", NULL);
	/* a rule let used before it is defined */
	refused(RULE("a", "<sch:let name='x' value='$y'/><sch:let name='y' value='1'/><sch:assert test='$x'/>"),
	        RD_ERULES, "$y", NULL);
}
END_TEST

START_TEST(test_references)
{
	refused(RULE("a", "<sch:assert test='true()' diagnostics='nope'/>"), RD_ERULES,
	        "'nope', which is not defined", NULL);
	refused(RULE("a", "<sch:assert test='true()' properties='nope'/>"), RD_ERULES, "nope", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule context='a'><sch:extends rule='none'/></sch:rule></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "no abstract rule", NULL);
	refused(SCH_OPEN "<sch:pattern is-a='none'/>" SCH_CLOSE, RD_ERULES, "no abstract pattern", NULL);
	refused("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' defaultPhase='nope'>"
	        "<sch:pattern id='p'/></sch:schema>",
	        RD_ERULES, "defaultPhase", NULL);
	refused(SCH_OPEN "<sch:phase id='ph'><sch:active pattern='nope'/></sch:phase>" SCH_CLOSE,
	        RD_ERULES, "pattern 'nope'", NULL);
	refused(SCH_OPEN "<sch:phase id='#ALL'/>" SCH_CLOSE, RD_ERULES, "reserved", NULL);
	refused(SCH_OPEN "<sch:phase id='a'/><sch:phase id='a'/>" SCH_CLOSE, RD_ERULES,
	        "defined twice", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule abstract='true' id='r' context='a'/></sch:pattern>" SCH_CLOSE,
	        RD_ERULES, "must not have a context", NULL);
	refused(SCH_OPEN "<sch:pattern><sch:rule abstract='true'/></sch:pattern>" SCH_CLOSE, RD_ERULES,
	        "needs an id", NULL);
}
END_TEST

START_TEST(test_rd_attributes)
{
	refused(RULE("a", "<sch:assert test='true()' rd:colour='x'/>"), RD_ERULES, "rd:colour", NULL);
	refused(RULE("a", "<sch:assert test='true()' rd:confidence='X'/>"), RD_ERULES,
	        "rd:confidence", NULL);
	refused(RULE("a", "<sch:assert test='true()' rd:effective-from='2024-02-30'/>"), RD_ERULES,
	        "2024-02-30", NULL);
	refused(RULE("a", "<sch:assert test='true()' rd:effective-from='2025-01-01' rd:effective-to='2024-01-01'/>"),
	        RD_ERULES, "after", NULL);
	refused(RULE("a", "<sch:assert test='true()' rd:jurisdiction='Punjab'/>"), RD_ERULES,
	        "rd:jurisdiction", NULL);
	refused(RULE("a", "<sch:assert test='true()' severity='critical'/>"), RD_ERULES, "severity",
	        NULL);
	refused(SCH_OPEN "<rd:unknown/>" SCH_CLOSE, RD_ERULES, "rd:unknown", NULL);
	refused(RULE("a", "<sch:assert test='fn:in-table(\"nosuch\", \"c\", .)'/>"), RD_ERULES,
	        "no table named 'nosuch'", NULL);
	refused(RULE("a", "<sch:assert test='fn:matches(., \"[a-\")'/>"), RD_ERULES,
	        "bad regular expression", NULL);
}
END_TEST

START_TEST(test_includes)
{
	char *dir = tu_tmpdir();
	char *main_path, *p;
	rd_rules *r = NULL;
	rd_document *d;
	rd_report *rep;
	char *got;

	p = tu_write(dir, "parts/rule.sch",
	             "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='a'>"
	             "<sch:include href='assert.sch'/></sch:rule>");
	free(p);
	p = tu_write(dir, "parts/assert.sch",
	             "<sch:assert xmlns:sch='http://purl.oclc.org/dsdl/schematron' id='inc' test='false()'/>");
	free(p);
	p = tu_write(dir, "lib.sch",
	             "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	             "<sch:pattern id='frag'><sch:rule context='b'><sch:report id='frag-r' test='true()'/></sch:rule></sch:pattern>"
	             "</sch:schema>");
	free(p);
	main_path = tu_write(dir, "main.sch",
	                     "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
	                     "<sch:pattern><sch:include href='parts/rule.sch'/></sch:pattern>\n"
	                     "<sch:include href='lib.sch#frag'/>\n"
	                     "</sch:schema>");
	ck_assert_msg(rd_rules_load(&r, main_path, NULL) == RD_OK, "%s", rd_error_last()->message);
	d = tu_doc("<r><a/><b/></r>");
	rep = tu_check(r, d, NULL);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "A:inc@/r[1]/a[1] R:frag-r@/r[1]/b[1]");
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
	free(main_path);

	/* a cycle */
	p = tu_write(dir, "c1.sch",
	             "<sch:pattern xmlns:sch='http://purl.oclc.org/dsdl/schematron'><sch:include href='c2.sch'/></sch:pattern>");
	free(p);
	p = tu_write(dir, "c2.sch",
	             "<sch:rule xmlns:sch='http://purl.oclc.org/dsdl/schematron' context='a'><sch:include href='./c1.sch'/></sch:rule>");
	free(p);
	main_path = tu_write(dir, "cyc.sch",
	                     "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n"
	                     "<sch:include href='c1.sch'/></sch:schema>");
	r = NULL;
	ck_assert_int_eq(rd_rules_load(&r, main_path, NULL), RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "cycle");
	ck_assert_contains(rd_error_last()->message, "c2.sch:1:");
	free(main_path);

	/* missing, remote, and a fragment that is not there */
	main_path = tu_write(dir, "miss.sch",
	                     "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>\n\n"
	                     "<sch:include href='nowhere.sch'/></sch:schema>");
	ck_assert_int_eq(rd_rules_load(&r, main_path, NULL), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "miss.sch:3:");
	ck_assert_contains(rd_error_last()->message, "nowhere.sch");
	free(main_path);
	main_path = tu_write(dir, "remote.sch",
	                     "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	                     "<sch:include href='http://example.invalid/x.sch'/></sch:schema>");
	ck_assert_int_eq(rd_rules_load(&r, main_path, NULL), RD_EUNSAFE);
	free(main_path);
	main_path = tu_write(dir, "frag.sch",
	                     "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	                     "<sch:include href='lib.sch#absent'/></sch:schema>");
	ck_assert_int_eq(rd_rules_load(&r, main_path, NULL), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "absent");
	free(main_path);
	/* from memory without a base directory, relative includes cannot resolve */
	ck_assert_int_eq(tu_rules_try(&r, SCH_OPEN "<sch:include href='lib.sch'/>" SCH_CLOSE),
	                 RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "base directory");
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_properties_of_rules)
{
	rd_rules *r = tu_rules(
		"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' xmlns:rd='urn:rahdari:rules:1'"
		" id='demo' schemaVersion='1.2' defaultPhase='p1'>"
		"<sch:title>  Demo   rules </sch:title>"
		"<sch:phase id='p1'><sch:active pattern='pa'/></sch:phase>"
		"<sch:phase id='p2'/>"
		"<sch:pattern id='pa' rd:tags='LIC'><sch:rule context='a' id='ra'>"
		"<sch:assert id='A1' test='true()' rd:cite='Act s.1' rd:confidence='V' role='warning'>Msg <sch:value-of select='@x'/> end</sch:assert>"
		"<sch:report id='R1' test='false()' rd:tags='TIP SOM' rd:jurisdiction='PK PK-PB'"
		" rd:effective-from='2024-01-01' rd:effective-to='2025-12-31' see='https://example.org'/>"
		"</sch:rule></sch:pattern></sch:schema>");
	const rd_assertion *a;

	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "demo");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_VERSION), "1.2");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_TITLE), "Demo rules");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_PATH), "test.sch");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_DEFAULT_PHASE), "p1");
	ck_assert_uint_eq(rd_rules_phase_count(r), 2);
	ck_assert_str_eq(rd_rules_phase(r, 1), "p2");
	ck_assert_ptr_null(rd_rules_phase(r, 2));
	ck_assert(rd_rules_has_phase(r, "p1"));
	ck_assert(rd_rules_has_phase(r, "#ALL"));
	ck_assert(!rd_rules_has_phase(r, "p3"));
	ck_assert_uint_eq(rd_rules_assertion_count(r), 2);
	a = rd_rules_assertion(r, 0);
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_RULE), "A1");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_PATTERN), "pa");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_CONTEXT), "a");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_RULE_ID), "ra");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_CITE), "Act s.1");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_CONFIDENCE), "V");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_TAGS), "LIC"); /* inherited from the pattern */
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_MESSAGE), "Msg {@x} end");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_LANG), "en");
	ck_assert_int_eq(rd_assertion_kind(a), RD_KIND_ASSERT);
	ck_assert_int_eq(rd_assertion_severity(a), RD_SEVERITY_WARNING);
	ck_assert_int_eq(rd_assertion_line(a), 1);
	a = rd_rules_assertion(r, 1);
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_TAGS), "TIP SOM");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_JURISDICTION), "PK PK-PB");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_EFFECTIVE_FROM), "2024-01-01");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_EFFECTIVE_TO), "2025-12-31");
	ck_assert_str_eq(rd_assertion_get(a, RD_FIELD_SEE), "https://example.org");
	ck_assert_int_eq(rd_assertion_severity(a), RD_SEVERITY_WARNING);
	ck_assert_ptr_null(rd_rules_assertion(r, 2));
	rd_rules_free(r);
}
END_TEST

START_TEST(test_default_pack)
{
	rd_rules *r = NULL;

	ck_assert_int_eq(rd_rules_load_default(&r), RD_OK);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "pk");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_PATH), "(embedded)");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_JURISDICTION), "PK");
	ck_assert_ptr_nonnull(rd_rules_get(r, RD_RULES_VERSION));
	ck_assert_uint_ge(rd_rules_assertion_count(r), 60);
	/* an embedded pack reads no file: it has no test directory */
	ck_assert_uint_eq(rd_rules_test_dir_count(r), 0);
	ck_assert_ptr_null(rd_rules_get(r, RD_RULES_TESTS));
	/* every assertion of the default pack has an id and a citation or a DATA tag */
	{
		size_t i;

		for (i = 0; i < rd_rules_assertion_count(r); i++) {
			const rd_assertion *a = rd_rules_assertion(r, i);

			ck_assert_ptr_nonnull(rd_assertion_get(a, RD_FIELD_RULE));
			ck_assert_ptr_nonnull(rd_assertion_get(a, RD_FIELD_TAGS));
		}
	}
	rd_rules_free(r);
	/* the Punjab overlay: the federal rules and its own, under its own name */
	ck_assert_int_eq(rd_rules_load_default_for(&r, "PK-PB"), RD_OK);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "pk-pb");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_JURISDICTION), "PK-PB");
	{
		size_t i, federal = 0, punjab = 0;

		for (i = 0; i < rd_rules_assertion_count(r); i++) {
			const char *id = rd_assertion_get(rd_rules_assertion(r, i), RD_FIELD_RULE);

			federal += strncmp(id, "PK-LIC-", 7) == 0;
			punjab += strncmp(id, "PK-PB-", 6) == 0;
		}
		ck_assert_uint_ge(federal, 10);
		ck_assert_uint_ge(punjab, 4);
	}
	rd_rules_free(r);
	/* a jurisdiction without a pack of its own gets the federal one; nonsense is refused */
	ck_assert_int_eq(rd_rules_load_default_for(&r, "PK-SD"), RD_OK);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "pk");
	rd_rules_free(r);
	r = NULL;
	ck_assert_int_eq(rd_rules_load_default_for(&r, "../etc"), RD_EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_pack_directory)
{
	char *dir = tu_tmpdir(), *p;
	rd_rules *r = NULL;

	p = tu_write(dir, "pack/pack.xml",
	             "<pack xmlns='urn:rahdari:pack:1' id='mine' version='2.0' jurisdiction='PK-PB' effective='2026-01-01'>"
	             "<title>My pack</title><schema href='one.sch'/><schema href='two.sch'/></pack>");
	free(p);
	p = tu_write(dir, "pack/one.sch",
	             "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	             "<sch:pattern><sch:rule context='a'><sch:assert id='one' test='false()'/></sch:rule></sch:pattern></sch:schema>");
	free(p);
	p = tu_write(dir, "pack/two.sch",
	             "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	             "<sch:pattern><sch:rule context='a'><sch:assert id='two' test='false()'/></sch:rule></sch:pattern></sch:schema>");
	free(p);
	p = malloc(strlen(dir) + 8);
	sprintf(p, "%s/pack", dir);
	ck_assert_msg(rd_rules_load(&r, p, NULL) == RD_OK, "%s", rd_error_last()->message);
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_ID), "mine");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_VERSION), "2.0");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_TITLE), "My pack");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_JURISDICTION), "PK-PB");
	ck_assert_str_eq(rd_rules_get(r, RD_RULES_EFFECTIVE), "2026-01-01");
	ck_assert_uint_eq(rd_rules_assertion_count(r), 2);
	{
		rd_document *d = tu_doc("<a/>");
		rd_report *rep = tu_check(r, d, NULL);
		char *got = tu_findings(rep);

		ck_assert_str_eq(got, "A:one@/a[1] A:two@/a[1]");
		free(got);
		rd_report_free(rep);
		rd_document_free(d);
	}
	rd_rules_free(r);
	free(p);
	/* a directory without a manifest, and a manifest with errors */
	ck_assert_int_eq(rd_rules_load(&r, dir, NULL), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "pack.xml");
	p = tu_write(dir, "bad/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='x'>\n<bogus/></pack>");
	ck_assert_int_eq(rd_rules_load(&r, p, NULL), RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "pack.xml:2:");
	free(p);
	p = tu_write(dir, "bad2/pack.xml", "<pack xmlns='urn:rahdari:pack:1'><schema href='x.sch'/></pack>");
	ck_assert_int_eq(rd_rules_load(&r, p, NULL), RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "id");
	free(p);
	p = tu_write(dir, "bad3/pack.xml", "<pack xmlns='urn:rahdari:pack:1' id='x'><schema href='missing.sch'/></pack>");
	ck_assert_int_eq(rd_rules_load(&r, p, NULL), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "missing.sch");
	free(p);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_rules_file_errors)
{
	rd_rules *r = NULL;

	ck_assert_int_eq(rd_rules_load(&r, "/nonexistent/rules.sch", NULL), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "/nonexistent/rules.sch");
	ck_assert_int_eq(tu_rules_try(&r, "<!DOCTYPE s [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
	                                  "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'/>"),
	                 RD_EUNSAFE);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_query_binding);
	tcase_add_test(tc, test_not_schematron);
	tcase_add_test(tc, test_bad_xpath);
	tcase_add_test(tc, test_unknown_names);
	tcase_add_test(tc, test_arity);
	tcase_add_test(tc, test_xslt_features);
	tcase_add_test(tc, test_structure_errors);
	tcase_add_test(tc, test_lets);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_rd_attributes);
	tcase_add_test(tc, test_includes);
	tcase_add_test(tc, test_properties_of_rules);
	tcase_add_test(tc, test_default_pack);
	tcase_add_test(tc, test_pack_directory);
	tcase_add_test(tc, test_rules_file_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
