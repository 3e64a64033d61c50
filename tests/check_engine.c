/* rahdari tests: the evaluation engine (Schematron semantics and rahdari extensions).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define PAT(body) SCH_OPEN "<sch:pattern>" body "</sch:pattern>" SCH_CLOSE

static void expect(const char *sch, const char *xml, const rd_check_options *o, const char *want)
{
	char *got = tu_run(sch, xml, o);

	ck_assert_msg(strcmp(got, want) == 0, "got '%s', want '%s'", got, want);
	free(got);
}

START_TEST(test_assert_and_report)
{
	expect(PAT("<sch:rule context='item'>"
	           "<sch:assert id='has-code' test='@code'/>"
	           "<sch:report id='is-free' test='@price = 0'/>"
	           "</sch:rule>"),
	       "<r><item code='a' price='1'/><item price='0'/><item code='c' price='0'/></r>", NULL,
	       "A:has-code@/r[1]/item[2] R:is-free@/r[1]/item[2] R:is-free@/r[1]/item[3]");
}
END_TEST

START_TEST(test_first_rule_wins)
{
	/* each node fires only the first matching rule of a pattern; other patterns see it again */
	expect(SCH_OPEN "<sch:pattern>"
	                "<sch:rule context='item[@special]'><sch:report id='special' test='true()'/></sch:rule>"
	                "<sch:rule context='item'><sch:report id='plain' test='true()'/></sch:rule>"
	                "<sch:rule context='*'><sch:report id='other' test='true()'/></sch:rule>"
	                "</sch:pattern>"
	                "<sch:pattern><sch:rule context='item'><sch:report id='again' test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	       "<r><item/><item special='1'/></r>", NULL,
	       "R:other@/r[1] R:plain@/r[1]/item[1] R:special@/r[1]/item[2] "
	       "R:again@/r[1]/item[1] R:again@/r[1]/item[2]");
}
END_TEST

START_TEST(test_node_kinds)
{
	expect(PAT("<sch:rule context='@code'><sch:report id='attr' test='. = \"x\"'/></sch:rule>"
	           "<sch:rule context='comment()'><sch:report id='comment' test='true()'/></sch:rule>"
	           "<sch:rule context='processing-instruction(\"pi\")'><sch:report id='pi' test='true()'/></sch:rule>"
	           "<sch:rule context='/'><sch:report id='root' test='r'/></sch:rule>"),
	       "<r code='x'><!-- c --><?pi data?><?other?></r>", NULL,
	       "R:root@/ R:attr@/r[1]/@code R:comment@/r[1]/comment()[1] "
	       "R:pi@/r[1]/processing-instruction('pi')[1]");
	expect(PAT("<sch:rule context='text()'><sch:report id='text' test='normalize-space(.) != \"\"'/></sch:rule>"),
	       "<r><a>one</a> <b>two</b></r>", NULL, "R:text@/r[1]/a[1]/text()[1] R:text@/r[1]/b[1]/text()[1]");
}
END_TEST

START_TEST(test_contexts)
{
	/* union, absolute, descendant and predicate contexts */
	expect(PAT("<sch:rule context='a | b'><sch:report id='ab' test='true()'/></sch:rule>"),
	       "<r><a/><c><b/></c></r>", NULL, "R:ab@/r[1]/a[1] R:ab@/r[1]/c[1]/b[1]");
	expect(PAT("<sch:rule context='/r/a'><sch:report id='abs' test='true()'/></sch:rule>"),
	       "<r><a/><x><a/></x></r>", NULL, "R:abs@/r[1]/a[1]");
	expect(PAT("<sch:rule context='x//a'><sch:report id='desc' test='true()'/></sch:rule>"),
	       "<r><a/><x><y><a/></y></x></r>", NULL, "R:desc@/r[1]/x[1]/y[1]/a[1]");
	expect(PAT("<sch:rule context='a[2]'><sch:report id='second' test='true()'/></sch:rule>"),
	       "<r><a/><a/><z><a/><a/></z></r>", NULL, "R:second@/r[1]/a[2] R:second@/r[1]/z[1]/a[2]");
}
END_TEST

START_TEST(test_namespaces_and_locations)
{
	expect(SCH_OPEN "<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"
	                "<sch:pattern><sch:rule context='d:p'><sch:report id='p' test='true()'/></sch:rule>"
	                "<sch:rule context='*[local-name() = \"q\"]'><sch:report id='q' test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE,
	       "<b xmlns='urn:rahdari:doc:1'><p/><p/><q xmlns='urn:other'/></b>", NULL,
	       "R:p@/d:b[1]/d:p[1] R:p@/d:b[1]/d:p[2] "
	       "R:q@/d:b[1]/*[local-name()='q' and namespace-uri()='urn:other'][1]");
}
END_TEST

START_TEST(test_messages)
{
	rd_rules *r = tu_rules(PAT(
		"<sch:rule context='item'>"
		"<sch:assert id='m' test='false()'>Item <sch:value-of select='@code'/> in\n   <sch:name/>"
		" of <sch:name path='..'/> costs <sch:emph><sch:value-of select='@price * 2'/></sch:emph>.</sch:assert>"
		"</sch:rule>"));
	rd_document *d = tu_doc("<p:r xmlns:p='urn:x'><item code='A7' price='2.5'/></p:r>");
	rd_report *rep = tu_check(r, d, NULL);
	const rd_finding *f = rd_report_finding(rep, 0);

	ck_assert_uint_eq(rd_report_count(rep), 1);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "Item A7 in item of p:r costs 5.");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "en");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_TEST), "false()");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_CONTEXT), "item");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_DOCUMENT), "test.xml");
	ck_assert_int_eq(rd_finding_line(f), 1);
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_severity)
{
	static const struct {
		const char *attrs;
		const char *kind;
		int sev;
	} t[] = {
		{ "", "assert", RD_SEVERITY_ERROR },
		{ "", "report", RD_SEVERITY_WARNING },
		{ "severity='info'", "assert", RD_SEVERITY_INFO },
		{ "severity='fatal'", "report", RD_SEVERITY_ERROR },
		{ "severity='warning' role='error'", "assert", RD_SEVERITY_WARNING },
		{ "role='warn'", "assert", RD_SEVERITY_WARNING },
		{ "role='information'", "assert", RD_SEVERITY_INFO },
		{ "role='error'", "report", RD_SEVERITY_ERROR },
		{ "role='something' flag='warning'", "assert", RD_SEVERITY_WARNING },
		{ "flag='fatal'", "report", RD_SEVERITY_ERROR },
		{ "role='subject'", "report", RD_SEVERITY_WARNING },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		char sch[1024];
		rd_rules *r;
		rd_document *d;
		rd_report *rep;

		snprintf(sch, sizeof sch,
		         PAT("<sch:rule context='a'><sch:%s id='x' test='%s' %s/></sch:rule>"), t[i].kind,
		         strcmp(t[i].kind, "assert") == 0 ? "false()" : "true()", t[i].attrs);
		r = tu_rules(sch);
		d = tu_doc("<a/>");
		rep = tu_check(r, d, NULL);
		ck_assert_uint_eq(rd_report_count(rep), 1);
		ck_assert_msg(rd_finding_severity(rd_report_finding(rep, 0)) == t[i].sev,
		              "%s on %s: severity %d, want %d", t[i].attrs, t[i].kind,
		              rd_finding_severity(rd_report_finding(rep, 0)), t[i].sev);
		ck_assert_uint_eq(rd_report_severity_count(rep, t[i].sev), 1);
		ck_assert_int_eq(rd_report_max_severity(rep), t[i].sev);
		rd_report_free(rep);
		rd_document_free(d);
		rd_rules_free(r);
	}
}
END_TEST

START_TEST(test_phases)
{
	const char *sch = "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' defaultPhase='one'>"
	                  "<sch:phase id='one'><sch:active pattern='p1'/></sch:phase>"
	                  "<sch:phase id='two'><sch:let name='v' value='2'/><sch:active pattern='p2'/><sch:active pattern='p3'/></sch:phase>"
	                  "<sch:pattern id='p1'><sch:rule context='a'><sch:report id='r1' test='true()'/></sch:rule></sch:pattern>"
	                  "<sch:pattern id='p2'><sch:rule context='a'><sch:report id='r2' test='true()'/></sch:rule></sch:pattern>"
	                  "<sch:pattern id='p3'><sch:rule context='a'><sch:report id='r3' test='$v = 2'/></sch:rule></sch:pattern>"
	                  "</sch:schema>";
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_rules *r;
	rd_document *d;
	rd_report *rep = NULL;

	expect(sch, "<a/>", NULL, "R:r1@/a[1]");
	o.phase = "#DEFAULT";
	expect(sch, "<a/>", &o, "R:r1@/a[1]");
	o.phase = "two";
	expect(sch, "<a/>", &o, "R:r2@/a[1] R:r3@/a[1]");
	/* #ALL: phase variables are not bound, so p3's test cannot be evaluated: a finding */
	o.phase = "#ALL";
	expect(sch, "<a/>", &o, "R:r1@/a[1] R:r2@/a[1] E:r3@/a[1]");
	r = tu_rules(sch);
	d = tu_doc("<a/>");
	o.phase = "three";
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_ENOTFOUND);
	ck_assert_contains(rd_error_last()->message, "three");
	ck_assert_ptr_null(rep);
	o.phase = "two";
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_PHASE), "two");
	rd_report_free(rep);
	rep = tu_check(r, d, NULL);
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_PHASE), "one");
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_lets)
{
	/* schema, pattern (global scope), rule lets; phase let shadowing a schema let; element
	 * content as a value; lets depending on later lets */
	expect(SCH_OPEN "<sch:let name='limit' value='$base * 2'/>"
	                "<sch:let name='base' value='5'/>"
	                "<sch:let name='list'><item>alpha</item><item>beta</item></sch:let>"
	                "<sch:pattern><sch:let name='pvar' value='count(//a)'/>"
	                "<sch:rule context='a'><sch:let name='n' value='number(@n)'/>"
	                "<sch:let name='twice' value='$n * 2'/>"
	                "<sch:report id='over' test='$twice &gt; $limit'/></sch:rule></sch:pattern>"
	                "<sch:pattern><sch:rule context='/'><sch:assert id='global' test='$pvar = 3'/>"
	                "<sch:assert id='content' test='count($list/item) = 2 and contains($list, \"beta\")'/></sch:rule></sch:pattern>" SCH_CLOSE,
	       "<r><a n='1'/><a n='6'/><a n='5'/></r>", NULL, "R:over@/r[1]/a[2]");
	expect("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' defaultPhase='ph'>"
	       "<sch:let name='v' value='0'/>"
	       "<sch:phase id='ph'><sch:let name='v' value='1'/><sch:active pattern='p'/></sch:phase>"
	       "<sch:pattern id='p'><sch:rule context='/'><sch:report id='phase-wins' test='$v = 1'/></sch:rule></sch:pattern>"
	       "</sch:schema>",
	       "<r/>", NULL, "R:phase-wins@/");
	/* a rule variable may shadow a global one */
	expect(SCH_OPEN "<sch:let name='v' value='0'/><sch:pattern><sch:rule context='a'>"
	                "<sch:let name='v' value='1'/><sch:report id='local' test='$v = 1'/></sch:rule>"
	                "<sch:rule context='b'><sch:report id='global' test='$v = 0'/></sch:rule></sch:pattern>" SCH_CLOSE,
	       "<r><a/><b/></r>", NULL, "R:local@/r[1]/a[1] R:global@/r[1]/b[1]");
	/* rule variables are evaluated when first used: a variable that refers to the
	 * global of the same name a later rule variable shadows sees the global, as it
	 * would in order; a variable used inside a predicate is evaluated at the rule's
	 * node, not at the node the predicate is filtering */
	expect(SCH_OPEN "<sch:let name='x' value='10'/><sch:pattern><sch:rule context='a'>"
	                "<sch:let name='y' value='$x + 1'/><sch:let name='x' value='100'/>"
	                "<sch:let name='n' value='string(@n)'/>"
	                "<sch:report id='y11' test='$y = 11'/><sch:report id='x100' test='$x = 100'/>"
	                "<sch:report id='pred' test='count(../b[@n = $n]) = 1'/>"
	                "</sch:rule></sch:pattern>" SCH_CLOSE,
	       "<r><a n='2'/><b n='1'/><b n='2'/></r>", NULL,
	       "R:y11@/r[1]/a[1] R:x100@/r[1]/a[1] R:pred@/r[1]/a[1]");
}
END_TEST

/* A rule variable that cannot be evaluated: one finding where the rule fired, however
 * many tests use it, and the tests go on with an empty node-set; one that no test uses
 * costs nothing and reports nothing. */
START_TEST(test_lazy_let_errors)
{
	const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='a'>"
	                  "<sch:let name='bad' value='fn:matches(\"x\", string(@re))'/>"
	                  "<sch:let name='unused' value='fn:matches(\"y\", string(@re))'/>"
	                  "<sch:assert id='one' test='not($bad)'/>"
	                  "<sch:assert id='two' test='count($bad) = 0'/>"
	                  "</sch:rule></sch:pattern>" SCH_CLOSE;
	char *got = tu_run(sch, "<r><a re='['/></r>", NULL);

	ck_assert_str_eq(got, "E:-@/r[1]/a[1]");
	free(got);
}
END_TEST

START_TEST(test_abstract)
{
	/* abstract rules through extends, abstract patterns through is-a with parameters */
	expect(SCH_OPEN "<sch:pattern>"
	                "<sch:rule abstract='true' id='has-name'><sch:assert id='name' test='@name'/></sch:rule>"
	                "<sch:rule context='person'><sch:extends rule='has-name'/><sch:assert id='age' test='@age'/></sch:rule>"
	                "</sch:pattern>"
	                "<sch:pattern abstract='true' id='required'>"
	                "<sch:rule context='$parent'><sch:assert id='req-$child' test='$child'/></sch:rule>"
	                "</sch:pattern>"
	                "<sch:pattern is-a='required' id='r1'><sch:param name='parent' value='person'/><sch:param name='child' value='address'/></sch:pattern>"
	                "<sch:pattern is-a='required' id='r2'><sch:param name='parent' value='firm'/><sch:param name='child' value='licence'/></sch:pattern>" SCH_CLOSE,
	       "<r><person age='3'/><person name='x'><address/></person><firm/></r>", NULL,
	       "A:name@/r[1]/person[1] A:age@/r[1]/person[2] A:req-address@/r[1]/person[1] "
	       "A:req-licence@/r[1]/firm[1]");
}
END_TEST

START_TEST(test_diagnostics_and_languages)
{
	const char *sch =
		SCH_OPEN "<sch:pattern><sch:rule context='a'>"
		"<sch:assert id='t' test='false()' diagnostics='d-ur d-note d-de'>English text</sch:assert>"
		"<sch:assert id='u' test='false()' diagnostics='d-en'>"
		"<sch:value-of select='name()'/> only</sch:assert>"
		"</sch:rule></sch:pattern>"
		"<sch:diagnostics>"
		"<sch:diagnostic id='d-ur' xml:lang='ur'>اردو پیغام <sch:value-of select='@n'/></sch:diagnostic>"
		"<sch:diagnostic id='d-de' xml:lang='de'>Deutsch</sch:diagnostic>"
		"<sch:diagnostic id='d-note'>Note for <sch:value-of select='@n'/></sch:diagnostic>"
		"<sch:diagnostic id='d-en' xml:lang='en'>explicit English</sch:diagnostic>"
		"</sch:diagnostics>" SCH_CLOSE;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_rules *r = tu_rules(sch);
	rd_document *d = tu_doc("<a n='7'/>");
	rd_report *rep;
	const rd_finding *f;
	const char *id;

	rep = tu_check(r, d, NULL);
	f = rd_report_finding(rep, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "English text");
	ck_assert_uint_eq(rd_finding_diagnostic_count(f), 1);
	ck_assert_str_eq(rd_finding_diagnostic(f, 0, &id), "Note for 7");
	ck_assert_str_eq(id, "d-note");
	ck_assert_ptr_null(rd_finding_diagnostic(f, 1, &id));
	rd_report_free(rep);

	o.lang = "ur";
	rep = tu_check(r, d, &o);
	f = rd_report_finding(rep, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "اردو پیغام 7");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LANG), "ur");
	/* no Urdu for u: English */
	f = rd_report_finding(rep, 1);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "a only");
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_LANG), "ur");
	rd_report_free(rep);

	o.lang = "de-AT";
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "Deutsch");
	rd_report_free(rep);
	o.lang = "fr";
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "English text");
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);

	/* an Urdu schema (xml:lang='ur') falls back to an English diagnostic */
	r = tu_rules("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron' xml:lang='ur'>"
	             "<sch:pattern><sch:rule context='a'><sch:assert id='x' test='false()' diagnostics='e'>اردو</sch:assert>"
	             "</sch:rule></sch:pattern><sch:diagnostics><sch:diagnostic id='e' xml:lang='en'>English</sch:diagnostic>"
	             "</sch:diagnostics></sch:schema>");
	d = tu_doc("<a/>");
	o.lang = "fr";
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "English");
	rd_report_free(rep);
	o.lang = NULL;
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "English");
	rd_report_free(rep);
	o.lang = "ur";
	rep = tu_check(r, d, &o);
	ck_assert_str_eq(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "اردو");
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_subject)
{
	expect(PAT("<sch:rule context='passenger'><sch:assert id='dob' test='dob != \"\"' subject='dob'/></sch:rule>"),
	       "<r><passenger><name/><dob></dob></passenger></r>", NULL,
	       "A:dob@/r[1]/passenger[1]/dob[1]");
}
END_TEST

START_TEST(test_effective_dates)
{
	const char *sch = PAT("<sch:rule context='a'>"
	                      "<sch:report id='old' test='true()' rd:effective-to='2024-12-31'/>"
	                      "<sch:report id='new' test='true()' rd:effective-from='2025-01-01'/>"
	                      "<sch:report id='always' test='true()'/>"
	                      "</sch:rule>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	o.as_of = "2024-12-31";
	expect(sch, "<a/>", &o, "R:old@/a[1] R:always@/a[1]");
	o.as_of = "2025-01-01";
	expect(sch, "<a/>", &o, "R:new@/a[1] R:always@/a[1]");
}
END_TEST

START_TEST(test_jurisdiction)
{
	const char *sch = PAT("<sch:rule context='a'>"
	                      "<sch:report id='fed' test='true()' rd:jurisdiction='PK'/>"
	                      "<sch:report id='pb' test='true()' rd:jurisdiction='PK-PB'/>"
	                      "<sch:report id='sd' test='true()' rd:jurisdiction='PK-SD'/>"
	                      "<sch:report id='pb-kp' test='true()' rd:jurisdiction='PK-PB PK-KP'/>"
	                      "<sch:report id='any' test='true()'/>"
	                      "</sch:rule>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;

	expect(sch, "<a/>", &o, "R:fed@/a[1] R:pb@/a[1] R:sd@/a[1] R:pb-kp@/a[1] R:any@/a[1]");
	o.jurisdiction = "PK-PB";
	expect(sch, "<a/>", &o, "R:fed@/a[1] R:pb@/a[1] R:pb-kp@/a[1] R:any@/a[1]");
	o.jurisdiction = "PK";
	expect(sch, "<a/>", &o, "R:fed@/a[1] R:any@/a[1]");
	o.jurisdiction = "PK-PBX";
	expect(sch, "<a/>", &o, "R:fed@/a[1] R:any@/a[1]");
}
END_TEST

START_TEST(test_evaluation_errors)
{
	rd_rules *r = tu_rules(PAT("<sch:rule context='a'>"
	                           "<sch:assert id='bad-table' test='fn:in-table(@t, \"c\", \"v\")'/>"
	                           "<sch:assert id='after' test='false()'/>"
	                           "</sch:rule>"));
	rd_document *d = tu_doc("<r><a t='missing'/></r>");
	rd_report *rep = tu_check(r, d, NULL);
	const rd_finding *f;

	/* the bad test is a finding of its own; the check goes on */
	ck_assert_uint_eq(rd_report_count(rep), 2);
	f = rd_report_finding(rep, 0);
	ck_assert_int_eq(rd_finding_kind(f), RD_KIND_EVAL_ERROR);
	ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "bad-table");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "no table named 'missing'");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_LOCATION), "/r[1]/a[1]");
	ck_assert_str_eq(rd_kind_name(rd_finding_kind(f)), "evaluation-error");
	f = rd_report_finding(rep, 1);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "after");
	rd_report_free(rep);
	rd_document_free(d);
	rd_rules_free(r);

	/* a value-of that cannot be evaluated: the finding and an evaluation error */
	expect(PAT("<sch:rule context='a'><sch:assert id='m' test='false()'>"
	           "<sch:value-of select='fn:lookup(@t, \"k\", \"v\", \"w\")'/></sch:assert></sch:rule>"),
	       "<a t='x'/>", NULL, "E:m@/a[1] A:m@/a[1]");
	/* a context that does not select nodes */
	expect(PAT("<sch:rule context='a'><sch:report id='ok' test='true()'/></sch:rule>"), "<a/>",
	       NULL, "R:ok@/a[1]");
}
END_TEST

START_TEST(test_as_of)
{
	rd_rules *r = tu_rules(PAT("<sch:rule context='a'><sch:report id='t' test='fn:today() = \"2026-03-01\"'/></sch:rule>"));
	rd_document *d = tu_doc("<a/>");
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *rep = NULL;

	o.as_of = "2026-03-01";
	rep = tu_check(r, d, &o);
	ck_assert_uint_eq(rd_report_count(rep), 1);
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_AS_OF), "2026-03-01");
	rd_report_free(rep);
	rep = NULL;
	o.as_of = "2026-02-30";
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	ck_assert_contains(rd_error_last()->message, "2026-02-30");
	ck_assert_ptr_null(rep);
	o.as_of = "yesterday";
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	o.as_of = NULL;
	o.version = 99;
	ck_assert_int_eq(rd_check(&rep, r, d, &o), RD_EINVAL);
	rd_document_free(d);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_report_outlives_rules)
{
	rd_rules *r = tu_rules(PAT("<sch:rule context='a'><sch:assert id='x' test='false()' rd:cite='Act 1'>msg</sch:assert></sch:rule>"));
	rd_document *d = tu_doc("<a/>");
	rd_report *rep = tu_check(r, d, NULL);
	const rd_finding *f;

	rd_rules_free(r);
	rd_document_free(d);
	f = rd_report_finding(rep, 0);
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_RULE), "x");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_CITE), "Act 1");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_MESSAGE), "msg");
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_DOCUMENT), "test.xml");
	ck_assert_str_eq(rd_report_get(rep, RD_REPORT_RULES_ID), "test");
	rd_report_free(rep);
}
END_TEST

START_TEST(test_starter_pack_on_examples)
{
	static const struct {
		const char *file;
		const char *want;
	} t[] = {
		{ "examples/bookings/umrah-family.xml", "" },
		{ "examples/bookings/one-way-visit.xml",
		  "R:START-RISK-002@/d:booking[1]/d:passenger[1] A:START-RISK-001@/d:booking[1]/d:passenger[1]/d:visa[1] "
		  "R:START-RISK-003@/d:booking[1]/d:payment[1]" },
		{ "examples/bookings/expired-passport.xml",
		  "A:START-LIC-001@/d:booking[1] A:START-DOC-001@/d:booking[1]/d:passenger[1]/d:passport[1] "
		  "A:START-DOC-002@/d:booking[1]/d:passenger[1]/d:visa[1]" },
	};
	rd_rules *r = NULL;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	size_t i;

	r = tu_starter();
	o.as_of = "2026-11-28";
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *path = tu_srcpath(t[i].file);
		rd_document *d = NULL;
		rd_report *rep;
		char *got;

		ck_assert_msg(rd_document_load_file(&d, path, NULL) == RD_OK, "%s", rd_error_last()->message);
		rep = tu_check(r, d, &o);
		got = tu_findings(rep);
		ck_assert_msg(strcmp(got, t[i].want) == 0, "%s: got '%s'", t[i].file, got);
		free(got);
		rd_report_free(rep);
		rd_document_free(d);
		free(path);
	}
	rd_rules_free(r);
}
END_TEST

/* ---------------------------------------------------------------- threads */

typedef struct thread_job {
	const rd_rules *rules;
	const rd_document *doc;
	const char *want;
	int failures;
} thread_job;

static void *check_thread(void *arg)
{
	thread_job *j = arg;
	int i;

	for (i = 0; i < 100; i++) {
		rd_report *r = NULL;
		rd_check_options o = RD_CHECK_OPTIONS_INIT;

		o.as_of = "2026-11-28";
		if (rd_check(&r, j->rules, j->doc, &o) != RD_OK) {
			j->failures++;
			continue;
		}
		{
			size_t n = rd_report_count(r), k;
			char buf[4096] = "";

			for (k = 0; k < n; k++) {
				const rd_finding *f = rd_report_finding(r, k);

				strncat(buf, rd_finding_get(f, RD_FIELD_RULE), sizeof buf - strlen(buf) - 2);
				strncat(buf, " ", sizeof buf - strlen(buf) - 1);
			}
			if (strcmp(buf, j->want) != 0)
				j->failures++;
		}
		rd_report_free(r);
	}
	return NULL;
}

START_TEST(test_threads_share_rules_and_document)
{
	rd_rules *r = NULL;
	rd_document *d = NULL;
	char *path = tu_srcpath("examples/bookings/one-way-visit.xml");
	thread_job jobs[4];
	pthread_t t[4];
	int i;

	r = tu_starter();
	ck_assert_int_eq(rd_document_load_file(&d, path, NULL), RD_OK);
	for (i = 0; i < 4; i++) {
		jobs[i].rules = r;
		jobs[i].doc = d;
		jobs[i].want = "START-RISK-002 START-RISK-001 START-RISK-003 ";
		jobs[i].failures = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, check_thread, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(jobs[i].failures, 0);
	}
	rd_document_free(d);
	rd_rules_free(r);
	free(path);
}
END_TEST

/* ---------------------------------------------------------------- the evaluation budget */

/* A document of n elements x (values repeat every 100) under r. Caller frees. */
static char *many_x(size_t n)
{
	size_t cap = 16 + n * 16, len, i;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	len = (size_t)snprintf(s, cap, "<r>");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "<x>v%zu</x>", i % 100);
	snprintf(s + len, cap - len, "<ok/></r>");
	return s;
}

/* A rule that fires before the runaway one (rules fire in document order), the runaway one
 * (cubic in the number of x), and rules after it, in its pattern and in another. */
#define BUDGET_SCH                                                                           \
	SCH_OPEN "<sch:pattern id='first'>"                                                  \
	"<sch:rule context='/'><sch:report id='before' test='true()'/></sch:rule>"           \
	"</sch:pattern><sch:pattern id='runaway'>"                                           \
	"<sch:rule context='/r'>"                                                            \
	"<sch:assert id='CUBIC' test='count(//x[count(//x[. = //x]) = 0]) = 0'>c</sch:assert>" \
	"<sch:report id='same-rule' test='true()'/>"                                         \
	"</sch:rule></sch:pattern><sch:pattern id='after'>"                                  \
	"<sch:rule context='x[1]'><sch:report id='later' test='true()'/></sch:rule>"         \
	"</sch:pattern>" SCH_CLOSE

START_TEST(test_budget_runs_out)
{
	rd_rules *r = tu_rules(BUDGET_SCH);
	char *xml = many_x(2000);
	rd_document *d = tu_doc(xml);
	rd_report *rep = tu_check(r, d, NULL);
	const rd_finding *f;
	char *got = tu_findings(rep);

	/* the findings made before it ran out, then ONE evaluation error where it ran out:
	 * nothing after it is evaluated (and the assert is not read as false) */
	ck_assert_str_eq(got, "R:before@/ E:CUBIC@/r[1]");
	f = rd_report_finding(rep, 1);
	ck_assert_int_eq(rd_finding_kind(f), RD_KIND_EVAL_ERROR);
	ck_assert_int_eq(rd_finding_severity(f), RD_SEVERITY_ERROR);
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "budget of 20000000 operations");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "in rule CUBIC");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "count(//x[count(//x[. = //x]) = 0]) = 0");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "not evaluated");
	ck_assert_contains(rd_finding_get(f, RD_FIELD_MESSAGE), "--max-ops");
	ck_assert_str_eq(rd_finding_get(f, RD_FIELD_TEST), "count(//x[count(//x[. = //x]) = 0]) = 0");
	ck_assert_int_eq(rd_report_max_severity(rep), RD_SEVERITY_ERROR);
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	free(xml);

	/* a document of normal size is checked in full */
	xml = many_x(20);
	d = tu_doc(xml);
	rep = tu_check(r, d, NULL);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "R:before@/ R:same-rule@/r[1] R:later@/r[1]/x[1]");
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	free(xml);
	rd_rules_free(r);
}
END_TEST

START_TEST(test_budget_option)
{
	rd_rules *r = tu_rules(BUDGET_SCH);
	char *xml = many_x(20);
	rd_document *d = tu_doc(xml);
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *rep;
	char *got;

	/* a budget too small for this document */
	o.max_ops = 1000;
	rep = tu_check(r, d, &o);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "R:before@/ E:CUBIC@/r[1]");
	ck_assert_contains(rd_finding_get(rd_report_finding(rep, 1), RD_FIELD_MESSAGE),
	                   "budget of 1000 operations");
	free(got);
	rd_report_free(rep);
	/* each check has the whole budget: the one before does not count */
	o.max_ops = 2000000;
	rep = tu_check(r, d, &o);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "R:before@/ R:same-rule@/r[1] R:later@/r[1]/x[1]");
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	free(xml);
	rd_rules_free(r);
}
END_TEST

/* rahdari's functions charge their work: one over a long string runs the budget out. */
START_TEST(test_budget_counts_functions)
{
	rd_rules *r = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='/r'>"
	                       "<sch:report id='long' test='string-length(fn:string-join(x, \"\")) &gt; 0'/>"
	                       "</sch:rule></sch:pattern>" SCH_CLOSE);
	char *xml = many_x(2000); /* about 8 KB of text: 500 operations and more */
	rd_document *d = tu_doc(xml);
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *rep;
	char *got;

	o.max_ops = 400;
	rep = tu_check(r, d, &o);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "E:long@/r[1]");
	ck_assert_contains(rd_finding_get(rd_report_finding(rep, 0), RD_FIELD_MESSAGE), "budget");
	free(got);
	rd_report_free(rep);
	o.max_ops = 20000;
	rep = tu_check(r, d, &o);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "R:long@/r[1]");
	free(got);
	rd_report_free(rep);
	rd_document_free(d);
	free(xml);
	rd_rules_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_assert_and_report);
	tcase_add_test(tc, test_first_rule_wins);
	tcase_add_test(tc, test_node_kinds);
	tcase_add_test(tc, test_contexts);
	tcase_add_test(tc, test_namespaces_and_locations);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_phases);
	tcase_add_test(tc, test_lets);
	tcase_add_test(tc, test_lazy_let_errors);
	tcase_add_test(tc, test_abstract);
	tcase_add_test(tc, test_diagnostics_and_languages);
	tcase_add_test(tc, test_subject);
	tcase_add_test(tc, test_effective_dates);
	tcase_add_test(tc, test_jurisdiction);
	tcase_add_test(tc, test_evaluation_errors);
	tcase_add_test(tc, test_as_of);
	tcase_add_test(tc, test_report_outlives_rules);
	tcase_add_test(tc, test_starter_pack_on_examples);
	tcase_add_test(tc, test_threads_share_rules_and_document);
	tcase_add_test(tc, test_budget_runs_out);
	tcase_add_test(tc, test_budget_option);
	tcase_add_test(tc, test_budget_counts_functions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
