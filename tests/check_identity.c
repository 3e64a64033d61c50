/* rahdari tests: CNIC numbers and names (<rahdari/identity.h>), the identity functions
 * of the rule language (fn:mrz-*, fn:cnic-*, fn:name-*), and the starter pack's
 * identity rules on whole bookings: an MRZ whose sex or nationality was altered still
 * passes every check digit, and only the comparison with the booking shows it.
 * Facts and vectors: domain brief 4.1 (names) and 4.9 (CNIC, python-stdnum doctests).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- CNIC */

static void expect_cnic(const char *text, int valid, const char *digits, int province_digit,
                        const char *province, char gender, int at)
{
	rd_cnic k = RD_CNIC_INIT;
	int rc = rd_cnic_parse(text, &k);

	ck_assert_msg(rc == valid && k.valid == valid, "line %d: '%s': valid %d, expected %d (%s)",
	              at, text, rc, valid, k.error ? k.error : "no error");
	ck_assert_msg(strcmp(k.digits, digits) == 0, "line %d: '%s': digits '%s'", at, text, k.digits);
	ck_assert_msg(k.province_digit == province_digit, "line %d: '%s': province digit %d", at, text,
	              k.province_digit);
	if (province)
		ck_assert_msg(k.province && strcmp(k.province, province) == 0,
		              "line %d: '%s': province '%s'", at, text, k.province ? k.province : "(null)");
	else
		ck_assert_msg(k.province == NULL, "line %d: '%s': province '%s'", at, text, k.province);
	ck_assert_msg(k.gender == gender, "line %d: '%s': gender '%c'", at, text,
	              k.gender ? k.gender : '0');
	if (valid) {
		char formatted[16];

		ck_assert_msg(k.error == NULL, "line %d: '%s': error '%s'", at, text, k.error);
		snprintf(formatted, sizeof formatted, "%.5s-%.7s-%c", digits, digits + 5, digits[12]);
		ck_assert_str_eq(k.formatted, formatted);
	} else {
		ck_assert_msg(k.error != NULL && k.error[0] != '\0', "line %d: '%s': no reason given",
		              at, text);
	}
	if (digits[0] == '\0')
		ck_assert_str_eq(k.formatted, "");
}

#define CNIC(t, v, d, pd, p, g) expect_cnic((t), (v), (d), (pd), (p), (g), __LINE__)

START_TEST(test_cnic_stdnum_vectors)
{
	/* python-stdnum's doctests (domain 4.9) */
	CNIC("34201-0891231-8", 1, "3420108912318", 3, "Punjab", 'F');
	CNIC("42201-0397640-8", 1, "4220103976408", 4, "Sindh", 'F');
	/* without the dashes */
	CNIC("3420108912318", 1, "3420108912318", 3, "Punjab", 'F');
	CNIC("4220103976408", 1, "4220103976408", 4, "Sindh", 'F');
	/* surrounding white space */
	CNIC(" 34201-0891231-8 ", 1, "3420108912318", 3, "Punjab", 'F');
	CNIC("\t3420108912318\r\n", 1, "3420108912318", 3, "Punjab", 'F');
}
END_TEST

START_TEST(test_cnic_provinces_and_gender)
{
	static const char *const provinces[] = {
		NULL,
		"Khyber Pakhtunkhwa",
		NULL, /* FATA: a long name, checked by its start below */
		"Punjab",
		"Sindh",
		"Balochistan",
		"Islamabad Capital Territory",
		"Gilgit-Baltistan",
	};
	int p, g;

	for (p = 1; p <= 7; p++) {
		for (g = 1; g <= 9; g++) {
			char text[16];
			rd_cnic k = RD_CNIC_INIT;

			snprintf(text, sizeof text, "%d5202-1234567-%d", p, g);
			ck_assert_msg(rd_cnic_parse(text, &k) == 1, "%s: %s", text, k.error);
			ck_assert_int_eq(k.province_digit, p);
			ck_assert_ptr_nonnull(k.province);
			if (provinces[p])
				ck_assert_str_eq(k.province, provinces[p]);
			else
				ck_assert_contains(k.province, "Federally Administered Tribal Areas");
			ck_assert_int_eq(k.gender, g % 2 ? 'M' : 'F');
		}
	}
}
END_TEST

START_TEST(test_cnic_refused)
{
	/* wrong length */
	CNIC("34201-0891231-80", 0, "", -1, NULL, 0);
	CNIC("34201-089123-8", 0, "", -1, NULL, 0);
	CNIC("342010891231", 0, "", -1, NULL, 0);
	CNIC("34201089123189", 0, "", -1, NULL, 0);
	CNIC("", 0, "", -1, NULL, 0);
	CNIC("   ", 0, "", -1, NULL, 0);
	/* letters */
	CNIC("3420108912A18", 0, "", -1, NULL, 0);
	CNIC("34201-089123I-8", 0, "", -1, NULL, 0);
	CNIC("PK201-0891231-8", 0, "", -1, NULL, 0);
	/* dashes in the wrong places, or only one of them */
	CNIC("3420-10891231-8", 0, "", -1, NULL, 0);
	CNIC("34201-089123-18", 0, "", -1, NULL, 0);
	CNIC("342010-891231-8", 0, "", -1, NULL, 0);
	CNIC("34201-08912318", 0, "", -1, NULL, 0);
	CNIC("342010891231-8", 0, "", -1, NULL, 0);
	CNIC("34201_0891231_8", 0, "", -1, NULL, 0);
	/* other separators: spaces, a Unicode dash, a leading plus */
	CNIC("34201 0891231 8", 0, "", -1, NULL, 0);
	CNIC("34201\xe2\x80\x93" "0891231\xe2\x80\x93" "8", 0, "", -1, NULL, 0);
	CNIC("+34201-0891231-8", 0, "", -1, NULL, 0);
	/* white space inside */
	CNIC("34201-0891 231-8", 0, "", -1, NULL, 0);
	/* province digits 0, 8, 9: well-formed, no known province */
	CNIC("04201-0891231-8", 0, "0420108912318", 0, NULL, 'F');
	CNIC("84201-0891231-7", 0, "8420108912317", 8, NULL, 'M');
	CNIC("9420108912318", 0, "9420108912318", 9, NULL, 'F');
	/* gender digit 0 */
	CNIC("34201-0891231-0", 0, "3420108912310", 3, "Punjab", 0);
}
END_TEST

START_TEST(test_cnic_bad_arguments)
{
	rd_cnic k = RD_CNIC_INIT;

	ck_assert_int_eq(rd_cnic_parse("34201-0891231-8", NULL), 0);
	ck_assert_int_eq(rd_cnic_parse(NULL, &k), 0);
	ck_assert_int_eq(k.valid, 0);
	ck_assert_ptr_nonnull(k.error);
	ck_assert_int_eq(k.province_digit, -1);
	ck_assert_str_eq(k.digits, "");
	/* the struct is reset on every call */
	ck_assert_int_eq(rd_cnic_parse("34201-0891231-8", &k), 1);
	ck_assert_int_eq(rd_cnic_parse("x", &k), 0);
	ck_assert_str_eq(k.digits, "");
	ck_assert_ptr_null(k.province);
	ck_assert_int_eq(k.gender, 0);
}
END_TEST

/* ---------------------------------------------------------------- names to MRZ */

static void expect_mrz_name(const char *surname, const char *given, const char *want, int at)
{
	char *got = NULL;
	char copy[256];
	int rc = rd_name_to_mrz(&got, surname, given);

	ck_assert_msg(rc == RD_OK && got != NULL, "line %d: rd_name_to_mrz failed", at);
	snprintf(copy, sizeof copy, "%s", got);
	rd_free(got);
	ck_assert_msg(strcmp(copy, want) == 0, "line %d: '%s' / '%s' gave '%s', expected '%s'", at,
	              surname ? surname : "(null)", given ? given : "(null)", copy, want);
}

#define TO_MRZ(s, g, want) expect_mrz_name((s), (g), (want), __LINE__)

START_TEST(test_name_to_mrz_rules)
{
	/* Part 3, 4.6 (domain 4.1) */
	TO_MRZ("D'ARTAGNAN", NULL, "DARTAGNAN");
	TO_MRZ("d\xe2\x80\x99" "Artagnan", "", "DARTAGNAN"); /* typographic apostrophe */
	TO_MRZ("Dubois", "Marie-Elise", "DUBOIS<<MARIE<ELISE");
	TO_MRZ("Al-Hassan", "Muhammad", "AL<HASSAN<<MUHAMMAD");
	TO_MRZ("van der Berg", "Jan Peter", "VAN<DER<BERG<<JAN<PETER");
	/* commas between components */
	TO_MRZ("Khan", "Muhammad, Ali", "KHAN<<MUHAMMAD<ALI");
	/* upper case; runs of separators and surrounding space make one filler or none */
	TO_MRZ("khan", "muhammad ali", "KHAN<<MUHAMMAD<ALI");
	TO_MRZ("  Khan  ", "  Muhammad   Ali ", "KHAN<<MUHAMMAD<ALI");
	TO_MRZ("Al - Hassan", "Muhammad", "AL<HASSAN<<MUHAMMAD");
	/* a primary identifier only */
	TO_MRZ("Cher", NULL, "CHER");
	TO_MRZ("Cher", "", "CHER");
	TO_MRZ("Cher", "   ", "CHER");
	TO_MRZ("Cher", "--", "CHER");
	TO_MRZ(NULL, NULL, "");
	TO_MRZ("", "", "");
	/* digits are not written (no digits in names) */
	TO_MRZ("Khan2", "Ali", "KHAN<<ALI");
}
END_TEST

START_TEST(test_name_to_mrz_punctuation_dropped)
{
	/* domain 4.1: "any other punctuation dropped" (only hyphens, commas and spaces
	 * separate components) */
	TO_MRZ("O'Neil (Smith)", "Mary", "ONEIL<SMITH<<MARY");
	TO_MRZ("Tolkien", "J.R.R.", "TOLKIEN<<JRR");
	TO_MRZ("St.John", "Mary", "STJOHN<<MARY");
}
END_TEST

START_TEST(test_name_to_mrz_diacritics)
{
	/* Part 3, section 6 */
	TO_MRZ("M\xc3\xbcller", "J\xc3\xbcrgen", "MUELLER<<JUERGEN");              /* ü */
	TO_MRZ("\xc3\x84" "BERG", "\xc3\x96" "ZIL", "AEBERG<<OEZIL");              /* Ä Ö */
	TO_MRZ("\xc3\x9c" "NAL", NULL, "UENAL");                                   /* Ü */
	TO_MRZ("\xc3\x85" "STR\xc3\x96M", "\xc3\x85SA", "AASTROEM<<AASA");          /* Å Ö */
	TO_MRZ("\xc3\x86RT", "\xc3\x98YVIND", "AERT<<OEYVIND");                    /* Æ Ø */
	TO_MRZ("Wei\xc3\x9f", "Stra\xc3\x9f" "e", "WEISS<<STRASSE");               /* ß */
	TO_MRZ("\xc3\x89LO\xc3\x8f" "SE", "Ren\xc3\xa9", "ELOISE<<RENE");          /* É Ï é */
	TO_MRZ("Nu\xc3\xb1" "ez", "\xc3\x91" "and\xc3\xba", "NUNEZ<<NANDU");       /* ñ Ñ ú */
	TO_MRZ("Wa\xc5\x82\xc4\x99sa", "\xc5\x81ukasz", "WALESA<<LUKASZ");        /* ł ę Ł */
	TO_MRZ("\xc5\x9e" "ahin", "\xc3\x87" "a\xc4\x9f" "r\xc4\xb1", "SAHIN<<CAGRI"); /* Ş Ç ğ ı */
	TO_MRZ("\xc3\x9e" "\xc3\xb3rsson", "\xc3\x90" "\xc3\xb3ra", "THORSSON<<DORA"); /* Þ ó Ð */
	TO_MRZ("\xc5\x92" "uvre", NULL, "OEUVRE");                                  /* Œ */
	TO_MRZ("\xc5\xbd" "i\xc5\xbe" "ek", "Ji\xc5\x99\xc3\xad", "ZIZEK<<JIRI");  /* Ž ž ř í */
	TO_MRZ("\xc4\xb0" "nan\xc3\xa7", NULL, "INANC");                            /* İ ç */
}
END_TEST

START_TEST(test_name_to_mrz_round_trip)
{
	/* what rd_name_to_mrz writes, the MRZ reader reads back as the same name */
	static const struct {
		const char *surname, *given, *r_surname, *r_given;
	} cases[] = {
		{ "Al-Hassan", "Muhammad", "AL HASSAN", "MUHAMMAD" },
		{ "Khan", "Muhammad Ali", "KHAN", "MUHAMMAD ALI" },
		{ "M\xc3\xbcller", "J\xc3\xbcrgen", "MUELLER", "JUERGEN" },
		{ "Cher", NULL, "CHER", "" },
	};
	size_t i;

	for (i = 0; i < COUNT(cases); i++) {
		char *name = NULL, l1[64], text[128];
		rd_mrz *m = NULL;

		ck_assert_int_eq(rd_name_to_mrz(&name, cases[i].surname, cases[i].given), RD_OK);
		snprintf(l1, sizeof l1, "PPPAK%s<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", name);
		l1[44] = '\0';
		rd_free(name);
		snprintf(text, sizeof text, "%s\nL898902C36PAK7408122F1204159ZE184226B<<<<<10", l1);
		ck_assert_int_eq(rd_mrz_parse(&m, text, strlen(text), NULL), RD_OK);
		ck_assert_msg(rd_mrz_valid(m), "%s", l1);
		ck_assert_str_eq(rd_mrz_get(m, RD_MRZ_SURNAME), cases[i].r_surname);
		ck_assert_str_eq(rd_mrz_get(m, RD_MRZ_GIVEN_NAMES), cases[i].r_given);
		rd_mrz_free(m);
	}
}
END_TEST

START_TEST(test_name_to_mrz_mononym_agrees_with_reader)
{
	/* a person with one name: what the writer makes of it, the reader must accept
	 * (domain 4.1: a name with only a primary identifier is written as that, followed
	 * by fillers). Today the writer gives '<<MADONNA' for (no surname, 'Madonna') and the
	 * reader reports '<<MADONNA' as an error (no primary identifier). */
	char *name = NULL, l1[64], text[128];
	rd_mrz *m = NULL;
	int valid;

	ck_assert_int_eq(rd_name_to_mrz(&name, "", "Madonna"), RD_OK);
	snprintf(l1, sizeof l1, "PPPAK%s<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", name);
	l1[44] = '\0';
	rd_free(name);
	snprintf(text, sizeof text, "%s\nL898902C36PAK7408122F1204159ZE184226B<<<<<10", l1);
	ck_assert_int_eq(rd_mrz_parse(&m, text, strlen(text), NULL), RD_OK);
	valid = rd_mrz_valid(m);
	rd_mrz_free(m);
	ck_assert_msg(valid, "rd_name_to_mrz wrote '%s', which the reader refuses", l1);
}
END_TEST

START_TEST(test_name_to_mrz_bad_arguments)
{
	ck_assert_int_eq(rd_name_to_mrz(NULL, "Khan", "Ali"), RD_EINVAL);
	/* invalid UTF-8 is not a crash; the ASCII letters survive */
	TO_MRZ("Kh\xff" "an", "A\xc3", "KHAN<<A");
}
END_TEST

/* ---------------------------------------------------------------- name matching */

#define MATCH(p, m) ck_assert_msg(rd_name_matches((p), (m)) == 1, "'%s' should match '%s'", (p), (m))
#define NO_MATCH(p, m) ck_assert_msg(rd_name_matches((p), (m)) == 0, "'%s' should not match '%s'", (p), (m))

START_TEST(test_name_matches_basic)
{
	MATCH("Muhammad Al-Hassan", "AL<HASSAN<<MUHAMMAD");
	MATCH("Muhammad Al-Hassan", "AL<HASSAN<<MUHAMMAD<<<<<<<<<<<<<<<<<<<<");
	MATCH("AL-HASSAN, Muhammad", "AL<HASSAN<<MUHAMMAD");
	MATCH("Al Hassan Muhammad", "AL<HASSAN<<MUHAMMAD");
	/* the MRZ side as words */
	MATCH("Muhammad Al-Hassan", "AL HASSAN MUHAMMAD");
	/* case, apostrophes */
	MATCH("muhammad al-hassan", "AL<HASSAN<<MUHAMMAD");
	MATCH("MUHAMMAD AL-HASSAN", "al<hassan<<muhammad");
	MATCH("Jean D'Artagnan", "DARTAGNAN<<JEAN");
	/* the examples' own bookings */
	MATCH("MUHAMMAD ALI KHAN", "KHAN<<MUHAMMAD<ALI");
	MATCH("AYESHA BIBI", "BIBI<<AYESHA");
	/* repeated components count */
	MATCH("Muhammad Muhammad", "MUHAMMAD<<MUHAMMAD");
	NO_MATCH("Muhammad", "MUHAMMAD<<MUHAMMAD");
	NO_MATCH("Muhammad Muhammad Khan", "KHAN<<MUHAMMAD");
}
END_TEST

START_TEST(test_name_matches_different)
{
	/* a missing, an extra, a different component */
	NO_MATCH("Muhammad Hassan", "AL<HASSAN<<MUHAMMAD");
	NO_MATCH("Muhammad Ali Al-Hassan", "AL<HASSAN<<MUHAMMAD");
	NO_MATCH("Mohammad Al-Hassan", "AL<HASSAN<<MUHAMMAD");
	NO_MATCH("Muhammad Al-Hassan", "AL<HASSAN<<MUHAMMAD<ALI");
	/* joined and split components differ */
	NO_MATCH("Muhammad Alhassan", "AL<HASSAN<<MUHAMMAD");
	/* a prefix is not enough when the field is not full */
	NO_MATCH("Muhammad Ali Khan", "KHAN<<MUHAMMAD<A");
	NO_MATCH("Muhammad Ali Khan", "KHAN<<MUH<ALI");
	/* nothing to compare */
	NO_MATCH("", "");
	NO_MATCH("Ali", "");
	NO_MATCH("", "ALI");
	NO_MATCH("--", "<<<");
	ck_assert_int_eq(rd_name_matches(NULL, "KHAN<<ALI"), 0);
	ck_assert_int_eq(rd_name_matches("Ali Khan", NULL), 0);
}
END_TEST

START_TEST(test_name_matches_truncated)
{
	/* the three names of 4.1 that fill a TD3 field (39 characters) */
	MATCH("Chayapa Dejthamrong Krasuang Nilavadhanananda",
	      "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
	MATCH("Dingo Bennelong Wooloomooloo Warrandyte Warngumbe",
	      "BENNELONG<WOOLOOMOOLOO<WARRANDYTE<W<<DI");
	MATCH("Jonathon Warren Trevor Papandropoulous", "PAPANDROPOULOUS<<JONATHON<WARREN<TREVOR");
	/* a truncated name still has to agree where it says something */
	NO_MATCH("Chayapa Dejthamrong Nilavadhanananda", "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
	NO_MATCH("Chayapa Dejthamrong Krasuang Nilavadhananand",
	         "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
	NO_MATCH("Chayapa Dejthamrong Lamai Nilavadhanananda",
	      "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K");
	NO_MATCH("Jonathon Warren Trevor Papandropoulou", "PAPANDROPOULOUS<<JONATHON<WARREN<TREVOR");
	/* TD1 (30) and TD2 (31) fields */
	MATCH("Anna Maria Elisabeth Eriksson", "ERIKSSON<<ANNA<MARIA<ELISABETH");
	MATCH("Anna Maria Elisabetha Eriksson", "ERIKSSON<<ANNA<MARIA<ELISABETHA");
	MATCH("Anna Maria Elisabethan Eriksson", "ERIKSSON<<ANNA<MARIA<ELISABETHA");
	MATCH("Anna Maria Elisabethan Eriksson", "ERIKSSON<<ANNA<MARIA<ELISABETH");
	/* the field with its fillers is not full: no prefix */
	NO_MATCH("Chayapa Dejthamrong Krasuang Nilavadhanananda",
	         "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K<<<<<");
}
END_TEST

START_TEST(test_name_matches_truncated_any_order)
{
	/* "The components must be the same, in any order": the printed order must not
	 * decide. Surname SMITH WALKER truncated to SMITH<W, given names in full. */
	MATCH("Walker Warren Jameson Alexander Peter Smith", "SMITH<W<<WARREN<JAMESON<ALEXANDER<PETER");
	MATCH("Warren Jameson Alexander Peter Smith Walker", "SMITH<W<<WARREN<JAMESON<ALEXANDER<PETER");
}
END_TEST

START_TEST(test_name_matches_transliteration)
{
	/* Ä written AE (ICAO) or A (some issuers) */
	MATCH("J\xc3\xa4ger", "JAEGER");
	MATCH("J\xc3\xa4ger", "JAGER");
	MATCH("J\xc3\xbcrgen M\xc3\xbcller", "MUELLER<<JUERGEN");
	MATCH("J\xc3\xbcrgen M\xc3\xbcller", "MULLER<<JURGEN");
	MATCH("J\xc3\xbcrgen Mueller", "MUELLER<<JURGEN"); /* printed already transliterated */
	MATCH("\xc3\x85sa \xc3\x96" "berg", "OEBERG<<AASA");
	MATCH("\xc3\x85sa \xc3\x96" "berg", "OBERG<<ASA");
	MATCH("Ren\xc3\xa9 Nu\xc3\xb1" "ez", "NUNEZ<<RENE");
	MATCH("\xc5\x81ukasz Wa\xc5\x82\xc4\x99sa", "WALESA<<LUKASZ");
	MATCH("Jens Wei\xc3\x9f", "WEISS<<JENS");
	NO_MATCH("J\xc3\xa4ger", "JOGER");
	NO_MATCH("J\xc3\xa4ger", "JAAGER");
}
END_TEST

/* ---------------------------------------------------------------- XPath functions */

#define SCH_D SCH_OPEN "<sch:ns prefix='d' uri='urn:rahdari:doc:1'/>"

/* Evaluate expr with the root element of xml as context, as of a date; returns the
 * string value (caller frees). */
static char *eval(const char *expr, const char *xml, const char *as_of)
{
	char sch[4096];
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_rules *rules;
	rd_document *doc;
	rd_report *r;
	const char *msg;
	size_t n;
	char *val;

	n = (size_t)snprintf(sch, sizeof sch,
	                     SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                              "<sch:report id='V' test='true()'>[<sch:value-of select=\"%s\"/>]"
	                              "</sch:report></sch:rule></sch:pattern>" SCH_CLOSE,
	                     expr);
	ck_assert_uint_lt(n, sizeof sch);
	o.as_of = as_of;
	rules = tu_rules(sch);
	doc = tu_doc(xml);
	r = tu_check(rules, doc, &o);
	ck_assert_uint_eq(rd_report_count(r), 1);
	ck_assert_msg(rd_finding_kind(rd_report_finding(r, 0)) == RD_KIND_REPORT, "%s: %s", expr,
	              rd_finding_get(rd_report_finding(r, 0), RD_FIELD_MESSAGE));
	msg = rd_finding_get(rd_report_finding(r, 0), RD_FIELD_MESSAGE);
	n = strlen(msg);
	ck_assert(n >= 2 && msg[0] == '[' && msg[n - 1] == ']');
	val = malloc(n - 1);
	ck_assert_ptr_nonnull(val);
	memcpy(val, msg + 1, n - 2);
	val[n - 2] = '\0';
	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
	return val;
}

static void expect_eval(const char *expr, const char *xml, const char *as_of, const char *want,
                        int at)
{
	char *got = eval(expr, xml, as_of);
	char copy[512];

	snprintf(copy, sizeof copy, "%s", got);
	free(got);
	ck_assert_msg(strcmp(copy, want) == 0, "line %d: %s gave '%s', expected '%s'", at, expr, copy,
	              want);
}

#define EVAL(expr, xml, want) expect_eval((expr), (xml), "2026-11-28", (want), __LINE__)
#define EVAL_ASOF(expr, xml, as_of, want) expect_eval((expr), (xml), (as_of), (want), __LINE__)

START_TEST(test_fn_mrz)
{
	/* MRZs in CDATA (indented as in the examples) or with escaped fillers */
	static const char doc[] =
		"<r f='birthDate' bad='bogus'>"
		"<good><![CDATA[\n    P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		"    L898902C36UTO7408122F1204159ZE184226B<<<<<10\n  ]]></good>"
		"<bad><![CDATA[P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		"L898902C36UTO7508122F1204159ZE184226B<<<<<10]]></bad>"
		"<visa><![CDATA[V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		"L898902C<3UTO6908061F9406236ZE184226B<<<<<<<]]></visa>"
		"<card>I&lt;UTOD231458907&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;\n"
		"7408122F1204159UTO&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;6\n"
		"ERIKSSON&lt;&lt;ANNA&lt;MARIA&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;</card>"
		"<yto><![CDATA[P<YTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
		"L898902C36YTO7408122F1204159ZE184226B<<<<<10]]></yto>"
		"<junk>hello</junk>"
		"</r>";

	EVAL("fn:mrz-valid(good)", doc, "true");
	EVAL("fn:mrz-valid(bad)", doc, "false");
	EVAL("fn:mrz-valid(visa)", doc, "true");
	EVAL("fn:mrz-valid(card)", doc, "true");
	EVAL("fn:mrz-valid(yto)", doc, "false");
	EVAL("fn:mrz-valid(junk)", doc, "false");
	EVAL("fn:mrz-valid('')", doc, "false");
	EVAL("fn:mrz-valid(nothing)", doc, "false");
	/* fields, by their JSON names */
	EVAL("fn:mrz-field(good, 'documentCode')", doc, "P");
	EVAL("fn:mrz-field(good, 'issuingState')", doc, "UTO");
	EVAL("fn:mrz-field(good, 'surname')", doc, "ERIKSSON");
	EVAL("fn:mrz-field(good, 'givenNames')", doc, "ANNA MARIA");
	EVAL("fn:mrz-field(good, 'documentNumber')", doc, "L898902C3");
	EVAL("fn:mrz-field(good, 'nationality')", doc, "UTO");
	EVAL("fn:mrz-field(good, 'birthDate')", doc, "1974-08-12");
	EVAL("fn:mrz-field(good, 'sex')", doc, "F");
	EVAL("fn:mrz-field(good, 'expiryDate')", doc, "2012-04-15");
	EVAL("fn:mrz-field(good, 'optionalData')", doc, "ZE184226B");
	EVAL("fn:mrz-field(good, 'optionalData2')", doc, "");
	EVAL("fn:mrz-field(good, 'name')", doc, "ERIKSSON<<ANNA<MARIA");
	EVAL("fn:mrz-field(card, 'optionalData2')", doc, "");
	EVAL("fn:mrz-field(card, 'documentNumber')", doc, "D23145890");
	EVAL("fn:mrz-field(bad, 'birthDate')", doc, "1975-08-12");
	EVAL("fn:mrz-field(junk, 'surname')", doc, "");
	/* the field name may be computed */
	EVAL("fn:mrz-field(good, string(@f))", doc, "1974-08-12");
	/* dates follow the check's as-of date */
	EVAL_ASOF("fn:mrz-field(visa, 'expiryDate')", doc, "2026-11-28", "1994-06-23");
	EVAL_ASOF("fn:mrz-field(visa, 'expiryDate')", doc, "2080-01-01", "2094-06-23");
	EVAL_ASOF("fn:mrz-field(visa, 'birthDate')", doc, "2080-01-01", "2069-08-06");
	EVAL_ASOF("fn:mrz-field(visa, 'birthDate')", doc, "2060-01-01", "1969-08-06");
	/* the problems: errors only, "code:field" */
	EVAL("fn:mrz-problems(good)", doc, "");
	EVAL("fn:mrz-problems(bad)", doc, "check-digit:birthDate check-digit:composite");
	EVAL("fn:mrz-problems(yto)", doc, "unknown-country:issuingState unknown-country:nationality");
	EVAL("fn:mrz-problems(junk)", doc, "format");
	/* the same MRZ many times (the cache) */
	EVAL("count(//*[fn:mrz-valid(.)])", doc, "3");
	EVAL("concat(fn:mrz-valid(good), fn:mrz-valid(bad), fn:mrz-valid(good), fn:mrz-valid(bad))",
	     doc, "truefalsetruefalse");
}
END_TEST

START_TEST(test_fn_mrz_field_unknown_name)
{
	rd_rules *rules = NULL;
	int rc;
	char msg[512];

	/* a literal: refused when the schema is loaded */
	rc = tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                   "<sch:assert id='X' test=\"fn:mrz-field(m, 'dateOfBirth') != ''\"/>"
	                                   "</sch:rule></sch:pattern>" SCH_CLOSE);
	snprintf(msg, sizeof msg, "%s", rd_error_last()->message);
	ck_assert_int_eq(rc, RD_ERULES);
	ck_assert_ptr_null(rules);
	ck_assert_contains(msg, "dateOfBirth");
	ck_assert_contains(msg, "birthDate"); /* the message lists the names */
	/* in a value-of too */
	rc = tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                   "<sch:report id='X' test='true()'><sch:value-of "
	                                   "select=\"fn:mrz-field(m, 'Sex')\"/></sch:report>"
	                                   "</sch:rule></sch:pattern>" SCH_CLOSE);
	ck_assert_int_eq(rc, RD_ERULES);
	/* computed: an evaluation error at check time, reported, never dropped */
	{
		rd_rules *r = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
		                                "<sch:assert id='X' test=\"fn:mrz-field(m, string(@f)) = ''\"/>"
		                                "</sch:rule></sch:pattern>" SCH_CLOSE);
		rd_document *d = tu_doc("<r f='bogus'><m>x</m></r>");
		rd_report *rep = tu_check(r, d, NULL);
		char *got = tu_findings(rep);

		snprintf(msg, sizeof msg, "%s", got);
		free(got);
		rd_report_free(rep);
		rd_document_free(d);
		rd_rules_free(r);
		ck_assert_msg(strncmp(msg, "E:X@", 4) == 0, "findings '%s'", msg);
	}
	/* wrong numbers of arguments are refused at load time */
	ck_assert_int_eq(tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                              "<sch:assert id='X' test='fn:mrz-valid()'/>"
	                                              "</sch:rule></sch:pattern>" SCH_CLOSE),
	                 RD_ERULES);
	ck_assert_int_eq(tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                              "<sch:assert id='X' test=\"fn:mrz-field(m)\"/>"
	                                              "</sch:rule></sch:pattern>" SCH_CLOSE),
	                 RD_ERULES);
	ck_assert_int_eq(tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                              "<sch:assert id='X' test=\"fn:cnic-valid('a', 'b')\"/>"
	                                              "</sch:rule></sch:pattern>" SCH_CLOSE),
	                 RD_ERULES);
	ck_assert_int_eq(tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='/*'>"
	                                              "<sch:assert id='X' test=\"fn:name-matches('a')\"/>"
	                                              "</sch:rule></sch:pattern>" SCH_CLOSE),
	                 RD_ERULES);
}
END_TEST

START_TEST(test_fn_cnic_and_names)
{
	static const char doc[] = "<r><c>34201-0891231-8</c><c2> 4220103976408 </c2><bad>94201-0891231-8</bad>"
	                          "<zero>34201-0891231-0</zero><junk>abc</junk>"
	                          "<s>M\xc3\xbcller</s><g>J\xc3\xbcrgen</g></r>";

	EVAL("fn:cnic-valid(c)", doc, "true");
	EVAL("fn:cnic-valid(c2)", doc, "true");
	EVAL("fn:cnic-valid(bad)", doc, "false");
	EVAL("fn:cnic-valid(zero)", doc, "false");
	EVAL("fn:cnic-valid(junk)", doc, "false");
	EVAL("fn:cnic-valid('')", doc, "false");
	EVAL("fn:cnic-province(c)", doc, "Punjab");
	EVAL("fn:cnic-province(c2)", doc, "Sindh");
	EVAL("fn:cnic-province(bad)", doc, "");
	EVAL("fn:cnic-province(junk)", doc, "");
	EVAL("fn:cnic-province(zero)", doc, "Punjab");
	EVAL("fn:cnic-gender(c)", doc, "F");
	EVAL("fn:cnic-gender('35202-1234567-1')", doc, "M");
	EVAL("fn:cnic-gender(zero)", doc, "");
	EVAL("fn:cnic-gender(junk)", doc, "");
	EVAL("fn:name-matches('Muhammad Al-Hassan', 'AL&lt;HASSAN&lt;&lt;MUHAMMAD')", doc, "true");
	EVAL("fn:name-matches('Muhammad Hassan', 'AL&lt;HASSAN&lt;&lt;MUHAMMAD')", doc, "false");
	EVAL("fn:name-matches(concat(g, ' ', s), 'MUELLER&lt;&lt;JUERGEN')", doc, "true");
	EVAL("fn:name-to-mrz(s, g)", doc, "MUELLER<<JUERGEN");
	EVAL("fn:name-to-mrz(&quot;D'Artagnan&quot;, 'Marie-Elise')", doc, "DARTAGNAN<<MARIE<ELISE");
	EVAL("fn:name-to-mrz('Cher', '')", doc, "CHER");
}
END_TEST

/* ---------------------------------------------------------------- bookings */

/* A file of the source tree, whole. Caller frees. */
static char *slurp(const char *rel)
{
	char *path = tu_srcpath(rel);
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	free(path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* s with the one occurrence of from replaced by to. Caller frees. */
static char *replace_once(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n;
	char *out;

	ck_assert_msg(at != NULL, "'%s' not in the booking", from);
	ck_assert_msg(strstr(at + 1, from) == NULL, "'%s' is in the booking twice", from);
	n = strlen(s) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, s, (size_t)(at - s));
	strcpy(out + (at - s), to);
	strcat(out, at + strlen(from));
	return out;
}

/* The starter pack's findings on a booking held in memory, as of a date (tu_findings's
 * "KIND:ID@LOCATION" words). Caller frees. */
static char *pack_findings(const char *xml, const char *as_of)
{
	rd_rules *rules = NULL;
	rd_document *doc = NULL;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_report *r;
	char *s;

	rules = tu_starter();
	ck_assert_int_eq(rd_document_load_memory(&doc, xml, strlen(xml), "booking.xml", NULL), RD_OK);
	o.as_of = as_of;
	r = tu_check(rules, doc, &o);
	s = tu_findings(r);
	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
	return s;
}

static void expect_findings(const char *xml, const char *as_of, const char *want, int at)
{
	char *got = pack_findings(xml, as_of);
	char copy[2048];

	snprintf(copy, sizeof copy, "%s", got);
	free(got);
	ck_assert_msg(strcmp(copy, want) == 0, "line %d: findings '%s', expected '%s'", at, copy, want);
}

#define FINDINGS(xml, want) expect_findings((xml), BOOKED, (want), __LINE__)

/* the umrah family booking was made on 2026-11-20 */
#define BOOKED "2026-11-20"
#define FAMILY "examples/bookings/umrah-family.xml"
#define P1 "/d:booking[1]/d:passenger[1]"
#define P2 "/d:booking[1]/d:passenger[2]"
#define P3 "/d:booking[1]/d:passenger[3]"
#define P1_PASSPORT_L2 "AB12345615PAK8204114M32013143520212345671<92"
#define P2_PASSPORT_L2 "AB76543220PAK8609029F33050943520276543212<46"
#define P2_VISA_L1 "V<SAUBIBI<<AYESHA<<<<<<<<<<<<<<<<<<<<<<<<<<<"
#define P2_VISA_L2 "AB76543220PAK8609029F2702227<<<<<<<<<<<<<<<<"
#define P1_VISA_L1 "V<SAUKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<"
#define P1_VISA_L2 "AB12345615PAK8204114M2702227<<<<<<<<<<<<<<<<"

/* The MRZ of a passport in a booking: its two lower lines as text, valid or not. */
static int mrz_valid_of(const char *l1, const char *l2)
{
	char text[128];
	rd_mrz *m = NULL;
	int v;
	rd_mrz_options o = RD_MRZ_OPTIONS_INIT;

	o.as_of = BOOKED;
	snprintf(text, sizeof text, "%s\n%s", l1, l2);
	ck_assert_int_eq(rd_mrz_parse(&m, text, strlen(text), &o), RD_OK);
	v = rd_mrz_valid(m);
	rd_mrz_free(m);
	return v;
}

START_TEST(test_booking_unchanged)
{
	char *xml = slurp(FAMILY);

	FINDINGS(xml, "");
	/* every MRZ in it is valid */
	ck_assert(mrz_valid_of("PPPAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<", P1_PASSPORT_L2));
	ck_assert(mrz_valid_of("PPPAKBIBI<<AYESHA<<<<<<<<<<<<<<<<<<<<<<<<<<<", P2_PASSPORT_L2));
	ck_assert(mrz_valid_of(P2_VISA_L1, P2_VISA_L2));
	free(xml);
}
END_TEST

START_TEST(test_booking_sex_altered)
{
	char *xml = slurp(FAMILY);
	char *f2m = replace_once(xml, P2_PASSPORT_L2, "AB76543220PAK8609029M33050943520276543212<46");
	char *m2f = replace_once(xml, P1_PASSPORT_L2, "AB12345615PAK8204114F32013143520212345671<92");

	/* the altered MRZs are still valid: no check digit covers the sex */
	ck_assert(mrz_valid_of("PPPAKBIBI<<AYESHA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
	                       "AB76543220PAK8609029M33050943520276543212<46"));
	ck_assert(mrz_valid_of("PPPAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<",
	                       "AB12345615PAK8204114F32013143520212345671<92"));
	FINDINGS(f2m, "A:START-ID-004@" P2 "/d:passport[1]");
	FINDINGS(m2f, "A:START-ID-004@" P1 "/d:passport[1]");
	free(f2m);
	free(m2f);
	free(xml);
}
END_TEST

START_TEST(test_booking_nationality_altered)
{
	char *xml = slurp(FAMILY);
	char *ind = replace_once(xml, P2_PASSPORT_L2, "AB76543220IND8609029F33050943520276543212<46");
	char *afg = replace_once(xml, P1_PASSPORT_L2, "AB12345615AFG8204114M32013143520212345671<92");

	ck_assert(mrz_valid_of("PPPAKBIBI<<AYESHA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
	                       "AB76543220IND8609029F33050943520276543212<46"));
	FINDINGS(ind, "A:START-ID-005@" P2 "/d:passport[1]");
	FINDINGS(afg, "A:START-ID-005@" P1 "/d:passport[1]");
	free(ind);
	free(afg);
	free(xml);
}
END_TEST

START_TEST(test_booking_visa_of_someone_else)
{
	char *xml = slurp(FAMILY);
	char *swapped, *step, *dob;
	char l2[64];

	/* P2 travels on P1's visa: another passport number, sex and birth date */
	step = replace_once(xml, P2_VISA_L1, P1_VISA_L1);
	swapped = replace_once(step, P2_VISA_L2, P1_VISA_L2);
	FINDINGS(swapped, "A:START-ID-011@" P2 "/d:visa[1] A:START-ID-012@" P2 "/d:visa[1]");
	/* a visa for P2's passport number but someone born on another day (valid MRZ) */
	strcpy(l2, P2_VISA_L2);
	memcpy(l2 + 13, "900315", 6);
	l2[19] = rd_mrz_check_digit("900315", 6);
	ck_assert(mrz_valid_of(P2_VISA_L1, l2));
	dob = replace_once(xml, P2_VISA_L2, l2);
	FINDINGS(dob, "A:START-ID-012@" P2 "/d:visa[1]");
	free(dob);
	free(swapped);
	free(step);
	free(xml);
}
END_TEST

START_TEST(test_booking_cnic_gender)
{
	char *xml = slurp(FAMILY);
	char *odd = replace_once(xml, "<cnic>35202-7654321-2</cnic>", "<cnic>35202-7654321-3</cnic>");
	char *even = replace_once(xml, "<cnic>35202-1234567-1</cnic>", "<cnic>35202-1234567-4</cnic>");
	char *bad = replace_once(xml, "<cnic>35202-1234567-1</cnic>", "<cnic>95202-1234567-1</cnic>");

	FINDINGS(odd, "A:START-ID-021@" P2 "/d:cnic[1]");
	FINDINGS(even, "A:START-ID-021@" P1 "/d:cnic[1]");
	/* not well-formed: START-ID-020, and no gender comparison */
	FINDINGS(bad, "A:START-ID-020@" P1 "/d:cnic[1]");
	free(odd);
	free(even);
	free(bad);
	free(xml);
}
END_TEST

START_TEST(test_booking_name_differs)
{
	char *xml = slurp(FAMILY);
	char *given = replace_once(xml, "<given-names>MUHAMMAD ALI</given-names>",
	                           "<given-names>MUHAMMAD ALEEM</given-names>");
	char *surname = replace_once(xml, "<given-names>ZAINAB</given-names>",
	                             "<given-names>ZAINAB FATIMA</given-names>");
	char *spelled = replace_once(xml, "<given-names>AYESHA</given-names>",
	                             "<given-names>Ayesha</given-names>");

	FINDINGS(given, "A:START-ID-007@" P1 "/d:passport[1]");
	FINDINGS(surname, "A:START-ID-007@" P3 "/d:passport[1]");
	/* the case of a booking's name does not matter */
	FINDINGS(spelled, "");
	free(given);
	free(surname);
	free(spelled);
	free(xml);
}
END_TEST

START_TEST(test_booking_name_not_full_is_not_truncated)
{
	/* P1's passport name made 30 characters long: that does not fill a passport's
	 * 39-character field, so it is not truncated and HUSAINY is not HUSAIN. (The
	 * rule passes fn:mrz-field(d:mrz, 'name'), fillers removed, to fn:name-matches,
	 * which takes any 30-, 31- or 39-character name ending in a letter as truncated.) */
	char *xml = slurp(FAMILY);
	char *longer_mrz = replace_once(xml, "PPPAKKHAN<<MUHAMMAD<ALI<<<<<<<<<<<<<<<<<<<<<",
	                                "PPPAKKHAN<<MUHAMMAD<ALI<RAZA<HUSAIN<<<<<<<<<");
	char *same = replace_once(longer_mrz, "<given-names>MUHAMMAD ALI</given-names>",
	                          "<given-names>MUHAMMAD ALI RAZA HUSAIN</given-names>");
	char *other = replace_once(longer_mrz, "<given-names>MUHAMMAD ALI</given-names>",
	                           "<given-names>MUHAMMAD ALI RAZA HUSAINY</given-names>");
	char *got_same = pack_findings(same, BOOKED), *got_other = pack_findings(other, BOOKED);
	char a[512], b[512];

	snprintf(a, sizeof a, "%s", got_same);
	snprintf(b, sizeof b, "%s", got_other);
	free(got_same);
	free(got_other);
	free(same);
	free(other);
	free(longer_mrz);
	free(xml);
	ck_assert_msg(strcmp(a, "") == 0, "same name: findings '%s'", a);
	ck_assert_msg(strcmp(b, "A:START-ID-007@" P1 "/d:passport[1]") == 0,
	              "HUSAINY against HUSAIN in a field not full: findings '%s'", b);
}
END_TEST

START_TEST(test_booking_altered_passport_example)
{
	char *xml = slurp("examples/bookings/altered-passport.xml");

	/* exactly one finding, the sex; the MRZ itself is valid */
	expect_findings(xml, "2026-11-27", "A:START-ID-004@" P1 "/d:passport[1]", __LINE__);
	expect_findings(xml, BOOKED, "A:START-ID-004@" P1 "/d:passport[1]", __LINE__);
	ck_assert(mrz_valid_of("PPPAKBIBI<<AYESHA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
	                       "AB76543220PAK8609029M33050943520276543212<46"));
	ck_assert_ptr_nonnull(strstr(xml, "AB76543220PAK8609029M33050943520276543212<46"));
	free(xml);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc;

	tc = tcase_create("cnic");
	tcase_add_test(tc, test_cnic_stdnum_vectors);
	tcase_add_test(tc, test_cnic_provinces_and_gender);
	tcase_add_test(tc, test_cnic_refused);
	tcase_add_test(tc, test_cnic_bad_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("name_to_mrz");
	tcase_add_test(tc, test_name_to_mrz_rules);
	tcase_add_test(tc, test_name_to_mrz_punctuation_dropped);
	tcase_add_test(tc, test_name_to_mrz_diacritics);
	tcase_add_test(tc, test_name_to_mrz_round_trip);
	tcase_add_test(tc, test_name_to_mrz_mononym_agrees_with_reader);
	tcase_add_test(tc, test_name_to_mrz_bad_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("name_matches");
	tcase_add_test(tc, test_name_matches_basic);
	tcase_add_test(tc, test_name_matches_different);
	tcase_add_test(tc, test_name_matches_truncated);
	tcase_add_test(tc, test_name_matches_truncated_any_order);
	tcase_add_test(tc, test_name_matches_transliteration);
	suite_add_tcase(s, tc);

	tc = tcase_create("functions");
	tcase_add_test(tc, test_fn_mrz);
	tcase_add_test(tc, test_fn_mrz_field_unknown_name);
	tcase_add_test(tc, test_fn_cnic_and_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("bookings");
	tcase_add_test(tc, test_booking_unchanged);
	tcase_add_test(tc, test_booking_sex_altered);
	tcase_add_test(tc, test_booking_nationality_altered);
	tcase_add_test(tc, test_booking_visa_of_someone_else);
	tcase_add_test(tc, test_booking_cnic_gender);
	tcase_add_test(tc, test_booking_name_differs);
	tcase_add_test(tc, test_booking_name_not_full_is_not_truncated);
	tcase_add_test(tc, test_booking_altered_passport_example);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
