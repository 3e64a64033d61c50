/* rahdari tests: the regular-expression engine of fn:matches (lib/regex.c).
 *
 * The engine is compiled into this program (its functions are internal to the
 * library), and compared with libxml2's xmlRegexp, which it replaced: every syntax
 * feature, the errors, UTF-8, the Unicode categories and blocks, a deterministic
 * differential run over many generated patterns and strings, and the patterns
 * on which libxml2 backtracks for minutes or gives up. Then fn:matches through
 * the library: long strings, refusals at load time with file and line.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlregexp.h>

#include "internal.h"
#include "testutil.h"

static int slow_checker(void)
{
	const char *san = getenv("RD_SANITIZERS");

	return getenv("RD_UNDER_VALGRIND") != NULL || (san != NULL && strcmp(san, "yes") == 0);
}

/* ---------------------------------------------------------------- helpers */

static rd_regex *compile_ok(const char *pat, unsigned int flags)
{
	char err[256];
	rd_regex *re = rd__regex_compile_opts(pat, err, flags);

	ck_assert_msg(re != NULL, "'%s' refused: %s", pat, err);
	return re;
}

/* Match with the fast paths, with the automaton alone and with the DFA made from it
 * whatever the length: all must agree. */
static int match_len(const char *pat, const char *s, size_t len)
{
	rd_regex *fast = compile_ok(pat, 0), *nfa = compile_ok(pat, RD_REGEX_NO_FAST);
	rd_regex *dfa = compile_ok(pat, RD_REGEX_DFA_ALWAYS);
	int a = rd__regex_match(fast, s, len, NULL), b = rd__regex_match(nfa, s, len, NULL);
	int c = rd__regex_match(dfa, s, len, NULL);

	rd__regex_free(fast);
	rd__regex_free(nfa);
	rd__regex_free(dfa);
	ck_assert_msg(a == b && b == c, "'%s' on '%s': %d with the fast paths, %d without, %d by DFA",
	              pat, s, a, b, c);
	return a;
}

static int match(const char *pat, const char *s)
{
	return match_len(pat, s, strlen(s));
}

#define YES(pat, s) ck_assert_msg(match(pat, s) == 1, "'%s' should match '%s'", pat, s)
#define NO(pat, s) ck_assert_msg(match(pat, s) == 0, "'%s' should not match '%s'", pat, s)

static void refused(const char *pat, const char *needle)
{
	char err[256];
	rd_regex *re = rd__regex_compile(pat, err);

	if (re != NULL) {
		rd__regex_free(re);
		ck_abort_msg("'%s' was accepted", pat);
	}
	ck_assert_msg(strstr(err, needle) != NULL, "'%s': '%s' does not say '%s'", pat, err, needle);
}

static void quiet_libxml2(void *ctx, rd_xml_error err)
{
	RD_UNUSED(ctx);
	RD_UNUSED(err);
}

/* ---------------------------------------------------------------- syntax */

START_TEST(test_whole_string)
{
	YES("abc", "abc");
	NO("abc", "xabc");
	NO("abc", "abcx");
	NO("abc", "ab");
	NO("b", "abc");
	YES("", "");
	NO("", "a");
	/* no anchors: ^ and $ are characters */
	YES("^a$", "^a$");
	NO("^a$", "a");
	/* '{' and '}' that follow no atom are characters (XSD 1.0's Char), as in libxml2 */
	YES("{", "{");
	YES("}", "}");
	YES("a{1}{2}", "a{2}");
	YES("x*{", "xx{");
}
END_TEST

START_TEST(test_branches_and_groups)
{
	YES("a|b", "a");
	YES("a|b", "b");
	NO("a|b", "ab");
	YES("a||b", "");
	YES("|", "");
	YES("(|a)", "a");
	YES("()", "");
	YES("(a|b)c", "bc");
	YES("((a)(b(c)))", "abc");
	YES("(ab|a)(bc|c)", "abc");
	YES("(foo|foobar)(bar)?", "foobar");
	YES("cat|dog|bird", "bird");
	NO("cat|dog|bird", "cats");
}
END_TEST

START_TEST(test_quantifiers)
{
	YES("a?", "");
	YES("a?", "a");
	NO("a?", "aa");
	YES("a*", "");
	YES("a*", "aaaa");
	NO("a+", "");
	YES("a+", "aaa");
	YES("a{3}", "aaa");
	NO("a{3}", "aa");
	NO("a{3}", "aaaa");
	YES("a{2,}", "aaaaa");
	NO("a{2,}", "a");
	YES("a{2,3}", "aa");
	YES("a{2,3}", "aaa");
	NO("a{2,3}", "aaaa");
	YES("a{0}", "");
	NO("a{0}", "a");
	YES("a{0,0}b", "b");
	YES("(ab){2,3}", "ababab");
	NO("(ab){2,3}", "aba");
	YES("(a{2}){2}", "aaaa");
	NO("(a{2}){2}", "aaa");
	YES("(a|bc){1,}", "abcbca");
	YES("(a*){3}b", "aab");
	YES("(a?){5}", "");
	YES("x(a?){3}y", "xaay");
	YES("\\d{5}-\\d{7}-\\d", "35202-1234567-1");
	NO("\\d{5}-\\d{7}-\\d", "35202-1234567-12");
	/* an empty group repeated any number of times is nothing */
	YES("(){1000000000}a", "a");
}
END_TEST

START_TEST(test_dot)
{
	YES(".", "a");
	YES(".", "\xC3\xA9");          /* é: one character of two bytes */
	NO("..", "\xC3\xA9");
	YES(".", "\xF0\x9F\x98\x80");  /* one character of four bytes */
	NO(".", "\n");
	NO(".", "\r");
	YES(".", "\t");
	NO(".*", "a\nb");
	YES(".*", "");
	YES("a.c", "a c");
}
END_TEST

START_TEST(test_classes)
{
	YES("[abc]", "b");
	NO("[abc]", "d");
	YES("[a-z]+", "hello");
	NO("[a-z]", "A");
	YES("[^abc]", "x");
	NO("[^abc]", "a");
	YES("[^abc]", "\xC3\xA9");
	NO("[^abc]", "\n\n");
	/* '-' first or last is a character, an escaped one anywhere */
	YES("[-a]", "-");
	YES("[a-]", "-");
	YES("[^-a]", "b");
	NO("[^-a]", "-");
	YES("[a\\-z]", "-");
	NO("[a\\-z]", "b");
	YES("[+\\-]", "-");
	/* a range may start or end with a single-character escape */
	YES("[\\--/]", ".");
	YES("[\\n-\\r]", "\x0B");
	YES("[!-\\-]", ",");
	/* '.' and other metacharacters are themselves inside a class */
	YES("[.]", ".");
	NO("[.]", "a");
	YES("[*+?(){}|^$]+", "*+?(){}|^$");
	/* escapes inside classes */
	YES("[\\d\\s]+", "1 2");
	YES("[\\p{Lu}x]+", "AxB");
	/* subtraction */
	YES("[a-z-[aeiou]]", "b");
	NO("[a-z-[aeiou]]", "a");
	/* of a negated class, and nested: [a-z] minus ([b-y] minus [c]) */
	YES("[a-z-[^aeiou]]", "e");
	NO("[a-z-[^aeiou]]", "b");
	YES("[a-z-[b-y-[c]]]", "c");
	YES("[a-z-[b-y-[c]]]", "z");
	NO("[a-z-[b-y-[c]]]", "d");
	YES("[^a-[b]]", "c");
	NO("[^a-[b]]", "b");
	NO("[^a-[b]]", "a");
	/* \P among other items is the complement of that item only (libxml2 negates the
	 * whole class) */
	YES("[a\\P{Lu}]", "b");
	YES("[a\\P{Lu}]", "a");
	NO("[a\\P{Lu}]", "B");
	/* non-ASCII ranges */
	YES("[\xD8\xA7-\xDB\x92]+", "\xD9\xBE\xD8\xA7\xDA\xA9"); /* ا-ے: پاک */
	NO("[\xD8\xA7-\xDB\x92]", "a");
}
END_TEST

START_TEST(test_escapes)
{
	static const char *singles[][2] = {
		{ "\\n", "\n" }, { "\\r", "\r" }, { "\\t", "\t" }, { "\\\\", "\\" },
		{ "\\|", "|" },  { "\\.", "." },  { "\\-", "-" },  { "\\^", "^" },
		{ "\\?", "?" },  { "\\*", "*" },  { "\\+", "+" },  { "\\{", "{" },
		{ "\\}", "}" },  { "\\(", "(" },  { "\\)", ")" },  { "\\[", "[" },
		{ "\\]", "]" },
	};
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(singles); i++) {
		char cls[16];

		YES(singles[i][0], singles[i][1]);
		NO(singles[i][0], "a");
		snprintf(cls, sizeof cls, "[%s]", singles[i][0]);
		YES(cls, singles[i][1]);
	}
	NO("\\.", "x");
	/* multi-character escapes */
	YES("\\s", " ");
	YES("\\s", "\t");
	YES("\\s", "\n");
	NO("\\s", "\xC2\xA0"); /* no-break space: not XML white space */
	YES("\\S", "\xC2\xA0");
	NO("\\S", " ");
	YES("\\d", "7");
	YES("\\d", "\xD9\xA3"); /* ARABIC-INDIC DIGIT THREE is Nd */
	NO("\\d", "a");
	YES("\\D", "a");
	NO("\\D", "7");
	YES("\\w", "a");
	YES("\\w", "\xC3\xA9");
	NO("\\w", "_");  /* Pc: punctuation */
	NO("\\w", " ");
	YES("\\W", "!");
	YES("\\i", "_");
	YES("\\i", ":");
	YES("\\i", "\xC3\xA9");
	NO("\\i", "1");
	YES("\\I", "1");
	YES("\\c", "1");
	YES("\\c", "-");
	YES("\\c", ".");
	NO("\\c", " ");
	YES("\\C", " ");
	YES("\\i\\c*", "xs:date");
}
END_TEST

START_TEST(test_categories_and_blocks)
{
	YES("\\p{Lu}\\p{Ll}+", "\xC3\x89t\xC3\xA9"); /* Été */
	NO("\\p{Lu}", "a");
	YES("\\p{L}+", "\xD9\x84\xD8\xA7\xDB\x81\xD9\x88\xD8\xB1"); /* لاہور */
	YES("\\p{Lo}", "\xD8\xA8");
	YES("\\p{N}", "\xC2\xBD");   /* ½: No */
	YES("\\p{No}", "\xC2\xBD");
	NO("\\p{Nd}", "\xC2\xBD");
	YES("\\p{P}", "!");
	YES("\\p{Pd}", "-");
	YES("\\p{Ps}", "(");
	YES("\\p{Pe}", ")");
	YES("\\p{Zs}", " ");
	YES("\\p{Z}", "\xC2\xA0");
	YES("\\p{Sc}", "$");
	YES("\\p{Sm}", "+");
	YES("\\p{S}", "\xC2\xA9");
	YES("\\p{Cc}", "\t");
	YES("\\p{C}", "\t");
	YES("\\p{Mn}", "\xCC\x81"); /* combining acute */
	YES("\\P{L}", "1");
	NO("\\P{L}", "a");
	/* Cn: a code point that the tables do not assign (libxml2 matches nothing) */
	YES("\\p{Cn}", "\xCD\xB8"); /* U+0378 */
	NO("\\p{Cn}", "a");
	YES("\\P{Cn}", "a");
	/* blocks */
	YES("\\p{IsBasicLatin}+", "Lahore 54000");
	NO("\\p{IsBasicLatin}", "\xC3\xA9");
	YES("\\p{IsLatin-1Supplement}", "\xC3\xA9");
	YES("\\p{IsArabic}+", "\xD9\xBE\xD8\xA7\xDA\xA9");
	NO("\\p{IsArabic}", "a");
	YES("\\P{IsArabic}", "a");
	YES("[\\p{IsArabic}\\s]+", "\xD9\xBE\xD8\xA7\xDA\xA9 \xD9\xBE\xD8\xA7\xDA\xA9");
	YES("\\p{IsCJKUnifiedIdeographs}", "\xE4\xB8\xAD");
	YES("\\p{IsTags}", "\xF3\xA0\x80\x81"); /* U+E0001 */
}
END_TEST

START_TEST(test_utf8)
{
	/* the pattern and the string are UTF-8 and compared by code point */
	YES("\xD9\xBE\xD8\xA7\xD8\xB3\xD9\xBE\xD9\x88\xD8\xB1\xD9\xB9", /* پاسپورٹ */
	    "\xD9\xBE\xD8\xA7\xD8\xB3\xD9\xBE\xD9\x88\xD8\xB1\xD9\xB9");
	YES(".*\xD9\xBE\xD8\xA7\xD8\xB3.*", "x \xD9\xBE\xD8\xA7\xD8\xB3 y");
	YES("\xC3\xA9{2}", "\xC3\xA9\xC3\xA9");
	YES("[\xC3\xA9\xC3\xA8]", "\xC3\xA8");
	/* a string that is not UTF-8 is an error (-1), whatever the pattern and wherever
	 * the bad bytes are, with the fast paths or without */
	static const char *bad[] = {
		"\xFF", "a\x80", "\xC0\x80" /* overlong */, "\xED\xA0\x80" /* surrogate */,
		"\xF5\x80\x80\x80", "\xF4\x90\x80\x80" /* above U+10FFFF */, "\xE2\x82" /* cut */,
		"abcdefghijklmnop\xC3", "x\xC3(",
	};
	static const char *pats[] = { "a", "x.*", ".*a.*", "abc", ".*", "[a-z]*", ".*xy.*z" };
	size_t i, j;

	for (i = 0; i < RD_ARRAY_LEN(bad); i++)
		for (j = 0; j < RD_ARRAY_LEN(pats); j++)
			ck_assert_msg(match(pats[j], bad[i]) == -1, "'%s' on bad string %zu: not -1",
			              pats[j], i);
	/* a NUL byte inside the length is a character like any other */
	ck_assert_int_eq(match_len("a.b", "a\0b", 3), 1);
	/* a pattern that is not UTF-8 is refused */
	refused("a\xC3", "UTF-8");
	refused("[\xFF]", "UTF-8");
}
END_TEST

START_TEST(test_errors)
{
	refused("(ab", "missing ')'");
	refused("a)", "unmatched ')'");
	refused("*a", "nothing to repeat");
	refused("a|+", "nothing to repeat");
	refused("a**", "nothing to repeat");
	refused("a{2}?", "nothing to repeat");
	refused("]", "unmatched ']'");
	refused("[a-", "missing ']'");
	refused("[abc", "missing ']'");
	refused("[z-a]", "range end before its start");
	refused("[[a]", "'[' must be escaped");
	refused("[^]", "empty character class");
	refused("\\x", "unknown escape");
	refused("\\$", "unknown escape");
	refused("[\\x]", "unknown escape");
	refused("\\p{Xx}", "unknown character property");
	refused("\\p{Lx}", "expected '}'");
	refused("\\p{Cs}", "expected '}'");
	refused("\\pL", "expected '{'");
	refused("\\p{L", "expected '}'");
	refused("\\p{IsNoSuchBlock}", "unknown Unicode block 'IsNoSuchBlock'");
	refused("\\p{Is}", "unknown Unicode block");
	refused("a{2", "unterminated quantifier");
	refused("a{2,3", "unterminated quantifier");
	refused("a{,3}", "expected a number");
	refused("a{x}", "expected a number");
	refused("a{99999999999}", "quantifier too large");
	refused("[a-[b]c]", "expected ']' after the subtracted class");
	refused("[-[b]]", "nothing to subtract from");
	/* accepted by libxml2, refused here: the XSD grammar forbids them and libxml2 reads
	 * them in a way their author did not mean */
	refused("a{3,2}", "maximum is below the minimum");
	refused("[]", "empty character class");
	refused("[0-9-_]", "'-' inside a character class must be first, last or escaped");
	refused("[a-c-e]", "'-' inside a character class");
	refused("[\\d-z]", "'-' inside a character class");
	/* where */
	refused("ab(cd", "at the end");
	refused("ab[z-a]", "at character 7");
	refused("\xC3\xA9\xC3\xA9)", "at character 3");
}
END_TEST

START_TEST(test_depth)
{
	char pat[256], err[256];
	xmlRegexpPtr x;
	rd_regex *re;
	int i;

	/* 50 nested groups are accepted, 51 refused, as libxml2 does */
	xmlSetStructuredErrorFunc(NULL, quiet_libxml2);
	for (i = 0; i < 50; i++)
		pat[i] = '(';
	pat[50] = 'a';
	for (i = 0; i < 50; i++)
		pat[51 + i] = ')';
	pat[101] = '\0';
	re = compile_ok(pat, 0);
	ck_assert_int_eq(rd__regex_match(re, "a", 1, NULL), 1);
	rd__regex_free(re);
	x = xmlRegexpCompile((const xmlChar *)pat);
	ck_assert_ptr_nonnull(x);
	xmlRegFreeRegexp(x);
	memmove(pat + 1, pat, 102);
	pat[0] = '(';
	strcat(pat, ")");
	re = rd__regex_compile(pat, err);
	ck_assert_ptr_null(re);
	ck_assert_contains(err, "nested more than 50 deep");
	x = xmlRegexpCompile((const xmlChar *)pat);
	ck_assert_ptr_null(x);
	/* class subtractions too */
	strcpy(pat, "[a");
	for (i = 0; i < 51; i++)
		strcat(pat, "-[a");
	for (i = 0; i < 52; i++)
		strcat(pat, "]");
	refused(pat, "subtracted more than 50 deep");
	xmlSetStructuredErrorFunc(NULL, NULL);
}
END_TEST

START_TEST(test_too_complex)
{
	rd_regex *re;

	/* counted repetitions are expanded; past 5,000 states the pattern is refused */
	re = compile_ok("a{4999}", 0);
	ck_assert_uint_eq(rd__regex_states(re), 5000);
	rd__regex_free(re);
	refused("a{5000}", "regular expression too complex");
	refused("(a{100}){100}", "regular expression too complex");
	refused("((a{10}){10}){50}x", "regular expression too complex");
	refused("(a|b|c|d){2000}", "regular expression too complex");
	refused("a{1,2147483647}", "regular expression too complex");
	refused(".{0,5000}", "regular expression too complex");
	re = compile_ok("[A-Z]{3}(\\d{2}){2}.{0,100}", 0);
	ck_assert_uint_le(rd__regex_states(re), 5000);
	rd__regex_free(re);
}
END_TEST

/* A long class costs what its distinct tests cost: plain characters and ranges are
 * merged and searched by bisection; categories, blocks and escapes count a quarter of a
 * state each, so that a character always costs about the states of the program. */
START_TEST(test_class_cost)
{
	char *pat = malloc(60000);
	size_t i, n = 0;
	rd_regex *re;
	unsigned long work = 0;

	ck_assert_ptr_nonnull(pat);
	/* 20,000 characters, overlapping ranges and duplicates: one state */
	pat[n++] = '[';
	for (i = 0; i < 20000; i++)
		pat[n++] = "abcxyz"[i % 6];
	pat[n] = '\0';
	strcat(pat, "0-45-9\xD8\xA7-\xDB\x92]+"); /* and the Urdu letters */
	re = compile_ok(pat, 0);
	ck_assert_uint_eq(rd__regex_states(re), 3);
	rd__regex_free(re);
	ck_assert_int_eq(match(pat, "abc0129xyz"), 1);
	ck_assert_int_eq(match(pat, "\xD9\xBE\xD8\xA7\xDA\xA9"), 1);
	ck_assert_int_eq(match(pat, "abd"), 0);
	/* 36 categories: 10 states; 600 of them are too many */
	strcpy(pat, "[\\p{L}\\p{Lu}\\p{Ll}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}\\p{Mn}\\p{Mc}\\p{Me}\\p{N}"
	            "\\p{Nd}\\p{Nl}\\p{No}\\p{P}\\p{Pc}\\p{Pd}\\p{Ps}\\p{Pe}\\p{Pi}\\p{Pf}\\p{Po}"
	            "\\p{Z}\\p{Zs}\\p{Zl}\\p{Zp}\\p{S}\\p{Sm}\\p{Sc}\\p{Sk}\\p{So}\\p{C}\\p{Cc}"
	            "\\p{Cf}\\p{Co}\\p{Cn}\\p{L}\\p{L}]");
	re = compile_ok(pat, 0);
	ck_assert_uint_eq(rd__regex_states(re), 11); /* 10, and the end */
	work = 0;
	ck_assert_int_eq(rd__regex_match(re, "\xD8\xA8", 2, &work), 1);
	ck_assert_uint_ge(work, 10); /* a character above ASCII paid for the tests */
	rd__regex_free(re);
	strcat(pat, "{600}");
	refused(pat, "too complex");
	/* more than 40,000 items or parts: refused before anything large is built */
	n = 0;
	pat[n++] = '[';
	for (i = 0; i < 40001; i++)
		pat[n++] = 'a';
	pat[n++] = ']';
	pat[n] = '\0';
	refused(pat, "too complex: more than 40000 parts");
	free(pat);
}
END_TEST

/* ---------------------------------------------------------------- bounded work */

static char *repeat(char c, size_t n, const char *tail)
{
	size_t t = tail ? strlen(tail) : 0;
	char *s = malloc(n + t + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	if (t)
		memcpy(s + n, tail, t);
	s[n + t] = '\0';
	return s;
}

/* The patterns on which a backtracking matcher takes exponential time: the right
 * answer, and work within (length + 1) x states x 2 (each character visits each state
 * at most once when following jumps, once when trying it). */
START_TEST(test_pathological)
{
	static const char *pats[] = {
		"(a*)*(a*)*(a*)*b", "(a|a)*b", "(a|aa)*b", "(a*)*b", "(a?){1600}a{1600}b",
		"(.*)*(.*)*x", "(a*a*a*a*a*a*)*b", "((a+)+)+b",
	};
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(pats); i++) {
		rd_regex *re = compile_ok(pats[i], 0);
		char *no = repeat('a', 3200, NULL), *yes = repeat('a', 3199, "b");
		unsigned long work = 0, bound = 3201UL * rd__regex_states(re) * 2;
		int want_yes = strstr(pats[i], "x") == NULL;

		ck_assert_msg(rd__regex_match(re, no, strlen(no), &work) == 0, "%s", pats[i]);
		ck_assert_msg(work <= bound, "%s: %lu steps for 3,200 characters", pats[i], work);
		work = 0;
		ck_assert_msg(rd__regex_match(re, yes, strlen(yes), &work) == want_yes, "%s", pats[i]);
		ck_assert_msg(work <= bound, "%s: %lu steps", pats[i], work);
		free(no);
		free(yes);
		rd__regex_free(re);
	}
}
END_TEST

/* A 10 MB remark: libxml2 needs hundreds of MB of backtracking state for .*passports?.*
 * and gives up (-1) past ten million choices. */
START_TEST(test_long_input)
{
	size_t n = slow_checker() ? 1000000 : 10000000, i;
	static const char *pats[] = { ".*(passport).*", ".*passports?.*", ".*(held by|passport).*" };
	char *s = malloc(n + 1);
	unsigned int flags;
	size_t k;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = "the agent keeps the p"[i % 21];
	s[n] = '\0';
	for (k = 0; k < RD_ARRAY_LEN(pats); k++) {
		for (flags = 0; flags <= RD_REGEX_NO_FAST; flags++) { /* with a DFA, and without */
			rd_regex *re = compile_ok(pats[k], flags);
			unsigned long work = 0;

			memcpy(s + n - 30, "  passport ", 11);
			ck_assert_int_eq(rd__regex_match(re, s, n, &work), 1);
			ck_assert_uint_le(work, (n + 1) * rd__regex_states(re) * 2);
			memcpy(s + 5, "\n", 1); /* '.' does not match a line feed */
			ck_assert_int_eq(rd__regex_match(re, s, n, NULL), 0);
			memcpy(s + 5, "a", 1);
			memcpy(s + n - 30, "  passp0rt ", 11);
			ck_assert_int_eq(rd__regex_match(re, s, n, NULL), 0);
			rd__regex_free(re);
		}
	}
	free(s);
	/* 11 million 'p' then " passport": libxml2 2.9.14 says -1 (it stopped saving its
	 * choices); the answer is yes */
	s = repeat('p', slow_checker() ? 1000000 : 11000000, " passport");
	ck_assert_int_eq(match(".*passports?.*", s), 1);
	free(s);
}
END_TEST

/* A long string is matched by a DFA made as the match goes, of at most 2,000 states:
 * (a|b)*a(a|b){11} needs 4,096, and then the automaton goes on alone, with the same
 * answers. Once its transitions are known, a character costs one step. */
START_TEST(test_dfa)
{
	const char *pat = "(a|b)*a(a|b){11}";
	rd_regex *dfa = compile_ok(pat, RD_REGEX_DFA_ALWAYS), *nfa = compile_ok(pat, RD_REGEX_NO_FAST);
	rd_regex *re = compile_ok(".*(handed to|held by|in the custody).*", 0);
	uint64_t r = 12345;
	char *s = malloc(20001);
	unsigned long work = 0;
	size_t i;
	int k;

	ck_assert_ptr_nonnull(s);
	for (k = 0; k < 20; k++) {
		size_t n = 200 + (size_t)k * 990;

		for (i = 0; i < n; i++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			s[i] = (r >> 33) & 1 ? 'a' : 'b';
		}
		ck_assert_int_eq(rd__regex_match(dfa, s, n, NULL), s[n - 12] == 'a');
		ck_assert_int_eq(rd__regex_match(nfa, s, n, NULL), s[n - 12] == 'a');
		s[n - 12] = 'c';
		ck_assert_int_eq(rd__regex_match(dfa, s, n, NULL), 0);
	}
	/* 20,000 characters of a text that the DFA knows after a few hundred */
	for (i = 0; i < 20000; i++)
		s[i] = "the agent keeps the passports "[i % 30];
	memcpy(s + 19000, "held by", 7);
	ck_assert_int_eq(rd__regex_match(re, s, 20000, &work), 1);
	ck_assert_uint_lt(work, 20000 * 3);
	free(s);
	rd__regex_free(dfa);
	rd__regex_free(nfa);
	rd__regex_free(re);
}
END_TEST

START_TEST(test_work_and_limit)
{
	rd_regex *re = compile_ok("(a|b)*c", 0);
	unsigned long work = 0, w1;

	ck_assert_int_eq(rd__regex_match(re, "ababc", 5, &work), 1);
	ck_assert_uint_gt(work, 0);
	w1 = work;
	ck_assert_int_eq(rd__regex_match(re, "ababc", 5, &work), 1);
	ck_assert_uint_eq(work, 2 * w1); /* added, not set; the same work each time */
	/* past the limit: -2, having done about that much */
	work = 0;
	ck_assert_int_eq(rd__regex_exec(re, "abababababababababab", 20, &work, 10), -2);
	ck_assert_uint_le(work, 10 + 2 * rd__regex_states(re));
	ck_assert_int_eq(rd__regex_exec(re, "ababc", 5, NULL, w1), 1);
	rd__regex_free(re);
	/* a fast path counts its scan */
	re = compile_ok(".*passport.*", 0);
	work = 0;
	ck_assert_int_eq(rd__regex_match(re, "my passport", 11, &work), 1);
	ck_assert_uint_gt(work, 0);
	rd__regex_free(re);
	ck_assert_int_eq(rd__regex_match(NULL, "a", 1, NULL), -1);
	rd__regex_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- threads */

struct shared_job {
	const rd_regex *re;
	const char *s;
	int ok;
};

static void *match_many(void *arg)
{
	struct shared_job *j = arg;
	int i;

	j->ok = 1;
	for (i = 0; i < 2000; i++)
		if (rd__regex_match(j->re, j->s, strlen(j->s), NULL) != 1)
			j->ok = 0;
	return NULL;
}

/* One compiled expression, four threads (the rule set shares its expressions). */
START_TEST(test_shared_by_threads)
{
	rd_regex *re = compile_ok("(.*[^a-z])?(job|jobs|salary|work visa)([^a-z].*)?", 0);
	struct shared_job jobs[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		jobs[i].re = re;
		jobs[i].s = i % 2 ? "going for a job in dubai" : "salary 40000 per month";
		ck_assert_int_eq(pthread_create(&t[i], NULL, match_many, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert(jobs[i].ok);
	}
	rd__regex_free(re);
}
END_TEST

/* ---------------------------------------------------------------- against libxml2 */

typedef struct rng {
	uint64_t s;
} rng;

static uint32_t rnd(rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

static unsigned int pick(rng *r, unsigned int n)
{
	return rnd(r) % n;
}

typedef struct gbuf {
	char s[512];
	size_t n;
} gbuf;

static void put(gbuf *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k < sizeof b->s) {
		memcpy(b->s + b->n, s, k);
		b->n += k;
		b->s[b->n] = '\0';
	}
}

static const char *const gen_chars[] = { "a", "a", "b", "b", "c", "-", "^", "$", "\xC3\xA9", " ", "{", "}" };
static const char *const gen_escapes[] = {
	"\\n", "\\t", "\\.", "\\-", "\\\\", "\\^", "\\[", "\\{", "\\d", "\\D", "\\s", "\\S",
	"\\w", "\\W", "\\i", "\\I", "\\c", "\\C", "\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{Nd}",
	"\\p{P}", "\\P{L}", "\\p{Zs}", "\\p{IsBasicLatin}", "\\p{IsLatin-1Supplement}",
	"\\p{IsArabic}", "\\P{Ll}",
};
static const char *const gen_quants[] = {
	"?", "*", "+", "{0}", "{1}", "{2}", "{0,1}", "{1,2}", "{0,}", "{2,}", "{1,3}", "{0,2}", "{3}",
};

static void gen_class(rng *r, gbuf *b, int depth)
{
	unsigned int i, n = 1 + pick(r, 3);

	put(b, "[");
	if (pick(r, 4) == 0)
		put(b, "^");
	if (pick(r, 8) == 0)
		put(b, "-");
	for (i = 0; i < n; i++) {
		switch (pick(r, 6)) {
		case 0: put(b, (const char *[]){ "a-b", "b-c", "a-c", "a-z", "\xC3\xA0-\xC3\xBF" }[pick(r, 5)]); break;
		case 1: put(b, gen_escapes[pick(r, RD_ARRAY_LEN(gen_escapes))]); break;
		default: put(b, (const char *[]){ "a", "b", "c", ".", "^", "\xC3\xA9", "*", "A" }[pick(r, 8)]); break;
		}
	}
	if (pick(r, 8) == 0)
		put(b, "-");
	else if (depth < 2 && pick(r, 5) == 0) {
		put(b, "-");
		gen_class(r, b, depth + 1);
	}
	put(b, "]");
}

static void gen_regexp(rng *r, gbuf *b, int depth);

/* An atom; 1 when it is a group. */
static int gen_atom(rng *r, gbuf *b, int depth)
{
	switch (pick(r, 10)) {
	case 0: put(b, "."); break;
	case 1: gen_class(r, b, 0); break;
	case 2: put(b, gen_escapes[pick(r, RD_ARRAY_LEN(gen_escapes))]); break;
	case 3:
	case 4:
		if (depth < 3) {
			put(b, "(");
			gen_regexp(r, b, depth + 1);
			put(b, ")");
			return 1;
		}
		/* fall through */
	default: put(b, gen_chars[pick(r, RD_ARRAY_LEN(gen_chars))]); break;
	}
	return 0;
}

static void gen_regexp(rng *r, gbuf *b, int depth)
{
	unsigned int branches = pick(r, 4) == 0 ? 2 + pick(r, 2) : 1, i, j, pieces;

	for (i = 0; i < branches; i++) {
		if (i)
			put(b, "|");
		pieces = pick(r, 5);
		for (j = 0; j < pieces; j++) {
			int group = gen_atom(r, b, depth);

			/* counted repetitions of groups only at the top: nested ones of groups that
			 * can be empty make libxml2 itself backtrack for minutes */
			if (pick(r, 3) == 0)
				put(b, gen_quants[pick(r, group && depth > 0 ? 3 : RD_ARRAY_LEN(gen_quants))]);
		}
	}
}

/* Junk made of metacharacters: both engines must refuse or accept it alike. */
static void gen_junk(rng *r, gbuf *b)
{
	static const char junk[] = "ab()[]{}|*+?.\\-^,0123pPL";
	unsigned int i, n = 1 + pick(r, 8);
	char c[2] = { 0, 0 };

	for (i = 0; i < n; i++) {
		c[0] = junk[pick(r, sizeof junk - 1)];
		put(b, c);
	}
}

/* The characters of the generated strings, as they are written in a class. */
static const char *const alphabet[][2] = {
	{ "a", "a" }, { "b", "b" }, { "c", "c" }, { "-", "\\-" }, { " ", " " }, { "\n", "\\n" },
	{ "\xC3\xA9", "\xC3\xA9" }, { "A", "A" }, { "1", "1" }, { "\xD9\xA3", "\xD9\xA3" },
	{ "_", "_" }, { "^", "\\^" }, { "{", "{" }, { "}", "}" }, { ".", "." },
	{ "\xD8\xA8", "\xD8\xA8" }, { "\t", "\\t" }, { "[", "\\[" }, { "\\", "\\\\" },
};

static void gen_string(rng *r, gbuf *b)
{
	static const int weights[] = { 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	unsigned int i, n = pick(r, 7);

	for (i = 0; i < n; i++)
		put(b, alphabet[weights[pick(r, RD_ARRAY_LEN(weights))]][0]);
}

/* Constructs of classes on which libxml2 2.9.14 is wrong (see lib/regex.c): \P{..},
 * a negated or nested subtraction, a range that starts with an escape, \p{Cn}, and a
 * negated class that ends with '-' (libxml2 adds that '-' without the negation:
 * [^a-] matches '-'). */
static int libxml2_wrong(const char *p)
{
	int depth = 0, neg[64] = { 0 };
	size_t i, first[64] = { 0 };

	if (strstr(p, "{Cn}") != NULL)
		return 1;
	for (i = 0; p[i]; i++) {
		if (p[i] == '\\' && p[i + 1] != '\0') {
			if (depth > 0 && p[i + 1] == 'P')
				return 1;
			if (depth > 0 && p[i + 2] == '-' && p[i + 3] != ']' && p[i + 3] != '[' &&
			    p[i + 3] != '\0')
				return 1;
			i++;
			continue;
		}
		if (p[i] == '[' && depth < 63) {
			depth++;
			neg[depth] = p[i + 1] == '^';
			first[depth] = i + 1 + (size_t)neg[depth]; /* where the items start */
			if (depth >= 2 && neg[depth])
				return 1;
			if (depth >= 3)
				return 1;
		} else if (p[i] == '-' && depth > 0 && neg[depth] && p[i + 1] == ']' &&
		           i > first[depth]) {
			return 1;
		} else if (p[i] == ']' && depth > 0) {
			depth--;
		}
	}
	return 0;
}

/* A growable string. */
typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* The same pattern in a form that avoids three kinds of bugs of libxml2 2.9.14, to ask
 * it again where it disagrees with rahdari (the pattern is valid: both engines accepted
 * it; the strings are made of the characters of alphabet[]):
 * - counted repetitions run on counters, wrong in many cases (a body that can be
 *   empty, alternatives, nesting: (a{0}){2}b does not match "b"): written out with
 *   ?, * and + instead (x{2,3} as xx(x)?);
 * - two character sets that overlap are taken as disjoint when the automaton is made
 *   deterministic, and then no choice is remembered to come back to, when either is
 *   negated, subtracted, a category or a block ([^a]?[^b] does not match "c",
 *   A*\P{Ll} does not match "A", \p{IsBasicLatin}?\p{L} does not match "c"): every
 *   class, escape and '.' becomes the list of the characters of the alphabet that it
 *   matches, asked of libxml2 itself for the atom alone;
 * - branches are wired together wrongly when one ends with a repeated group
 *   (ab(a)*| matches "a"; [^a](x)?|[^b]c does not match "A"): every branch becomes a
 *   group that ends with "()". */
static void expand_regexp(const char **p, sbuf *out);

/* A class, an escape or '.' written as the list of the characters of the alphabet it
 * matches, as libxml2 says when asked about each alone (a positive list of characters
 * is the one kind of class that libxml2 compares right with the others). */
static void explicit_class(const char *atom, size_t n, sbuf *out)
{
	char *src = malloc(n + 1);
	xmlRegexpPtr x;
	size_t i;
	int any = 0;

	ck_assert_ptr_nonnull(src);
	memcpy(src, atom, n);
	src[n] = '\0';
	x = xmlRegexpCompile((const xmlChar *)src);
	ck_assert_msg(x != NULL, "libxml2 refuses '%s' alone", src);
	sb_puts(out, "[");
	for (i = 0; i < RD_ARRAY_LEN(alphabet); i++) {
		if (xmlRegexpExec(x, (const xmlChar *)alphabet[i][0]) == 1) {
			sb_puts(out, alphabet[i][1]);
			any = 1;
		}
	}
	if (!any)
		sb_puts(out, "\xF3\xA0\x80\x81"); /* U+E0001, never in a generated string */
	sb_puts(out, "]");
	xmlRegFreeRegexp(x);
	free(src);
}

static void expand_atom(const char **p, sbuf *out)
{
	const char *q = *p;
	int depth = 0;

	switch (*q) {
	case '(':
		(*p)++;
		sb_puts(out, "(");
		expand_regexp(p, out);
		sb_puts(out, ")");
		(*p)++; /* ')' */
		return;
	case '[':
		/* a class: up to the ']' that closes it */
		do {
			if (*q == '\\')
				q++;
			else if (*q == '[')
				depth++;
			else if (*q == ']')
				depth--;
			q++;
		} while (depth > 0 && *q);
		break;
	case '\\':
		q += 2;
		if ((q[-1] == 'p' || q[-1] == 'P') && *q == '{')
			q = strchr(q, '}') + 1;
		break;
	case '.':
		q++;
		break;
	case '{':
	case '}':
		/* a character: escaped, so that it cannot become a quantifier */
		sb_puts(out, *q == '{' ? "\\{" : "\\}");
		(*p)++;
		return;
	default:
		q++;
		while ((*q & 0xC0) == 0x80)
			q++;
		sb_add(out, *p, (size_t)(q - *p));
		*p = q;
		return;
	}
	explicit_class(*p, (size_t)(q - *p), out);
	*p = q;
}

static void expand_regexp(const char **p, sbuf *out)
{
	for (;;) {
		sb_puts(out, "(");
		while (**p != '\0' && **p != '|' && **p != ')') {
			sbuf atom = { NULL, 0, 0 };
			long n, m, k;

			expand_atom(p, &atom);
			if (**p == '?' || **p == '*' || **p == '+') {
				sb_add(out, atom.s, atom.n);
				sb_add(out, *p, 1);
				(*p)++;
			} else if (**p == '{') {
				char *end;

				n = strtol(*p + 1, &end, 10);
				m = n;
				if (*end == ',')
					m = end[1] == '}' ? -1 : strtol(end + 1, &end, 10);
				*p = strchr(*p, '}') + 1;
				for (k = 0; k < n; k++)
					sb_add(out, atom.s, atom.n);
				if (m < 0) {
					sb_puts(out, "(");
					sb_add(out, atom.s, atom.n);
					sb_puts(out, ")*");
				} else {
					for (k = n; k < m; k++) {
						sb_puts(out, "(");
						sb_add(out, atom.s, atom.n);
					}
					for (k = n; k < m; k++)
						sb_puts(out, ")?");
				}
			} else {
				sb_add(out, atom.s, atom.n);
			}
			free(atom.s);
		}
		sb_puts(out, "())");
		if (**p != '|')
			return;
		sb_puts(out, "|");
		(*p)++;
	}
}

static char *libxml2_form(const char *pat)
{
	sbuf out = { NULL, 0, 0 };

	sb_puts(&out, "");
	expand_regexp(&pat, &out);
	return out.s;
}

/* What rahdari refuses on purpose where libxml2 accepts (regex.c). */
static int refused_on_purpose(const char *err)
{
	return strstr(err, "empty character class") != NULL ||
	       strstr(err, "maximum is below the minimum") != NULL ||
	       strstr(err, "'-' inside a character class") != NULL ||
	       strstr(err, "unknown Unicode block") != NULL ||
	       strstr(err, "too complex") != NULL;
}

/* Many generated patterns, each against many generated strings, by both engines:
 * the same patterns accepted, the same answers wherever libxml2 answers (0 or 1). */
START_TEST(test_differential)
{
	unsigned long patterns = slow_checker() ? 3000 : 30000, strings = 16;
	unsigned long cases = 0, compared = 0, both_refused = 0, purpose = 0, wrong = 0, counters = 0;
	unsigned long mismatches = 0, k, j;
	rng r = { 0x9E3779B97F4A7C15ULL };
	char report[2048] = "";

	xmlSetStructuredErrorFunc(NULL, quiet_libxml2);
	for (k = 0; k < patterns; k++) {
		gbuf pat = { "", 0 };
		char err[256];
		rd_regex *fast, *nfa, *dfa, *ours_e = NULL;
		xmlRegexpPtr x, x_e = NULL;
		char *expanded = NULL;

		if (pick(&r, 10) == 0)
			gen_junk(&r, &pat);
		else
			gen_regexp(&r, &pat, 0);
		fast = rd__regex_compile(pat.s, err);
		nfa = rd__regex_compile_opts(pat.s, err, RD_REGEX_NO_FAST);
		dfa = rd__regex_compile_opts(pat.s, err, RD_REGEX_DFA_ALWAYS);
		ck_assert_msg((fast == NULL) == (nfa == NULL) && (nfa == NULL) == (dfa == NULL), "%s",
		              pat.s);
		x = xmlRegexpCompile((const xmlChar *)pat.s);
		if (fast == NULL && x == NULL) {
			both_refused++;
			continue;
		}
		if (fast == NULL && x != NULL && refused_on_purpose(err)) {
			purpose++;
			xmlRegFreeRegexp(x);
			continue;
		}
		if ((fast == NULL) != (x == NULL)) {
			rd__regex_free(dfa);
			if (mismatches++ < 8)
				snprintf(report + strlen(report), sizeof report - strlen(report),
				         "\n  '%s': rahdari %s, libxml2 %s", pat.s,
				         fast ? "accepts" : err, x ? "accepts" : "refuses");
			rd__regex_free(fast);
			rd__regex_free(nfa);
			if (x)
				xmlRegFreeRegexp(x);
			continue;
		}
		for (j = 0; j < strings; j++) {
			gbuf s = { "", 0 };
			int a, b, l;

			gen_string(&r, &s);
			a = rd__regex_match(fast, s.s, s.n, NULL);
			b = rd__regex_match(nfa, s.s, s.n, NULL);
			ck_assert_msg(a == b && a >= 0, "'%s' on '%s': %d fast, %d automaton", pat.s, s.s,
			              a, b);
			b = rd__regex_match(dfa, s.s, s.n, NULL);
			ck_assert_msg(a == b, "'%s' on '%s': %d fast, %d by DFA", pat.s, s.s, a, b);
			cases++;
			l = xmlRegexpExec(x, (const xmlChar *)s.s);
			if (l != 0 && l != 1)
				continue;
			if (libxml2_wrong(pat.s)) {
				wrong++;
				continue;
			}
			compared++;
			if (a != l) {
				/* ask again in a form that avoids libxml2's known bugs */
				if (expanded == NULL) {
					expanded = libxml2_form(pat.s);
					ours_e = rd__regex_compile(expanded, err);
					x_e = xmlRegexpCompile((const xmlChar *)expanded);
					ck_assert_msg(ours_e != NULL && x_e != NULL, "'%s' from '%s': %s",
					              expanded, pat.s, ours_e ? "libxml2 refuses" : err);
				}
				ck_assert_msg(rd__regex_match(ours_e, s.s, s.n, NULL) == a,
				              "'%s' and '%s' differ on '%s'", pat.s, expanded, s.s);
				if (xmlRegexpExec(x_e, (const xmlChar *)s.s) == a) {
					counters++;
					continue;
				}
				if (mismatches++ < 8)
					snprintf(report + strlen(report), sizeof report - strlen(report),
					         "\n  '%s' on '%s': rahdari %d, libxml2 %d", pat.s, s.s, a, l);
			}
		}
		rd__regex_free(fast);
		rd__regex_free(nfa);
		rd__regex_free(dfa);
		rd__regex_free(ours_e);
		xmlRegFreeRegexp(x);
		if (x_e)
			xmlRegFreeRegexp(x_e);
		free(expanded);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	fprintf(stderr,
	        "differential: %lu patterns (%lu refused by both, %lu refused on purpose), %lu "
	        "matches, %lu compared with libxml2 (%lu agreeing only in a form that avoids its "
	        "bugs), %lu skipped (classes libxml2 gets wrong)\n",
	        patterns, both_refused, purpose, cases, compared, counters, wrong);
	ck_assert_msg(mismatches == 0, "%lu disagreements with libxml2:%s", mismatches, report);
	ck_assert_uint_gt(compared, cases / 2);
}
END_TEST

/* Every escape and category against libxml2's, character by character: all of the
 * first 2,048 code points, then a sample of the rest. */
START_TEST(test_classes_against_libxml2)
{
	static const char *const esc[] = {
		"\\s", "\\S", "\\i", "\\I", "\\c", "\\C", "\\d", "\\D", "\\w", "\\W", ".",
		"\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{Lt}", "\\p{Lm}", "\\p{Lo}", "\\p{M}", "\\p{Mn}",
		"\\p{Mc}", "\\p{Me}", "\\p{N}", "\\p{Nd}", "\\p{Nl}", "\\p{No}", "\\p{P}", "\\p{Pc}",
		"\\p{Pd}", "\\p{Ps}", "\\p{Pe}", "\\p{Pi}", "\\p{Pf}", "\\p{Po}", "\\p{Z}", "\\p{Zs}",
		"\\p{Zl}", "\\p{Zp}", "\\p{S}", "\\p{Sm}", "\\p{Sc}", "\\p{Sk}", "\\p{So}", "\\p{C}",
		"\\p{Cc}", "\\p{Cf}", "\\p{Co}", "\\P{Lu}", "\\P{N}", "[\\p{L}\\d]",
		"\\p{IsBasicLatin}", "\\p{IsArabic}", "\\p{IsArabicPresentationForms-A}",
		"\\p{IsArabicPresentationForms-B}", "\\p{IsDevanagari}", "\\p{IsGreek}",
		"\\p{IsCJKUnifiedIdeographs}", "\\p{IsHangulSyllables}", "\\p{IsPrivateUse}",
		"\\p{IsMusicalSymbols}", "\\p{IsTags}", "\\p{IsSupplementaryPrivateUseArea-B}",
		"\\P{IsArabic}",
	};
	unsigned long compared = 0, bad = 0;
	char report[1024] = "";
	size_t i;
	uint32_t c;

	xmlSetStructuredErrorFunc(NULL, quiet_libxml2);
	for (i = 0; i < RD_ARRAY_LEN(esc); i++) {
		rd_regex *re = compile_ok(esc[i], 0);
		xmlRegexpPtr x = xmlRegexpCompile((const xmlChar *)esc[i]);

		ck_assert_msg(x != NULL, "libxml2 refuses %s", esc[i]);
		for (c = 1; c <= 0x10FFFF; c += c < 0x800 ? 1 : (c < 0x10000 ? 7 : 211)) {
			char s[8];
			size_t n;
			int a, l;

			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				continue; /* not XML characters: libxml2 refuses them */
			if ((c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF)
				continue;
			n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
			if (n == 1) {
				s[0] = (char)c;
			} else if (n == 2) {
				s[0] = (char)(0xC0 | (c >> 6));
				s[1] = (char)(0x80 | (c & 0x3F));
			} else if (n == 3) {
				s[0] = (char)(0xE0 | (c >> 12));
				s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
				s[2] = (char)(0x80 | (c & 0x3F));
			} else {
				s[0] = (char)(0xF0 | (c >> 18));
				s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
				s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
				s[3] = (char)(0x80 | (c & 0x3F));
			}
			s[n] = '\0';
			a = rd__regex_match(re, s, n, NULL);
			l = xmlRegexpExec(x, (const xmlChar *)s);
			compared++;
			if (a != l && bad++ < 8)
				snprintf(report + strlen(report), sizeof report - strlen(report),
				         "\n  %s on U+%04X: rahdari %d, libxml2 %d", esc[i], (unsigned)c, a, l);
		}
		rd__regex_free(re);
		xmlRegFreeRegexp(x);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	ck_assert_msg(bad == 0, "%lu differences in %lu characters:%s", bad, compared, report);
}
END_TEST

/* ---------------------------------------------------------------- fn:matches */

/* A remark of 11 million 'p' and then "passport handed to the agent": libxml2 gave up
 * (-1), which fn:matches read as false, and PK-RISK-019's kind of report stayed silent. */
START_TEST(test_fn_matches_long_string)
{
	size_t n = slow_checker() ? 1000000 : 11000000;
	const char *head = "<r><remark>", *tail = " passport handed to the agent</remark></r>";
	rd_rules *rules = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='remark'>"
	                                    "<sch:report id='held' test=\"fn:matches(., '.*passports?.*')"
	                                    " and fn:matches(., '.*(handed to|held by).*')\"/>"
	                                    "</sch:rule></sch:pattern>" SCH_CLOSE);
	size_t hl = strlen(head), tl = strlen(tail);
	char *xml = malloc(hl + n + tl + 1), *got;
	rd_document *doc;
	rd_report *rep;

	ck_assert_ptr_nonnull(xml);
	memcpy(xml, head, hl);
	memset(xml + hl, 'p', n);
	memcpy(xml + hl + n, tail, tl + 1);
	doc = tu_doc(xml);
	free(xml);
	rep = tu_check(rules, doc, NULL);
	got = tu_findings(rep);
	ck_assert_str_eq(got, "R:held@/r[1]/remark[1]");
	free(got);
	rd_report_free(rep);
	rd_document_free(doc);
	rd_rules_free(rules);
}
END_TEST

/* (a*)*(a*)*(a*)*b on 3,200 characters: half a minute with libxml2. */
START_TEST(test_fn_matches_pathological)
{
	char *a = repeat('a', 3200, NULL);
	char *xml = malloc(6500), *got;

	ck_assert_ptr_nonnull(xml);
	snprintf(xml, 6500, "<r><v>%s</v><v>%sb</v></r>", a, a);
	got = tu_run(SCH_OPEN "<sch:pattern><sch:rule context='v'>"
	                      "<sch:report id='m' test=\"fn:matches(., '(a*)*(a*)*(a*)*b')\"/>"
	                      "</sch:rule></sch:pattern>" SCH_CLOSE,
	             xml, NULL);
	ck_assert_str_eq(got, "R:m@/r[1]/v[2]");
	free(got);
	free(xml);
	free(a);
}
END_TEST

/* A literal pattern is compiled when the rules load: too complex or invalid, the rules
 * are refused with the file and line of the expression. */
START_TEST(test_refused_at_load)
{
	static const char *const bad[][2] = {
		{ "a{9999}", "regular expression too complex" },
		{ "[0-9-_]+", "'-' inside a character class" },
		{ "\\p{IsNoSuchBlock}", "unknown Unicode block" },
	};
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(bad); i++) {
		char sch[1024];
		rd_rules *rules = NULL;
		const rd_error *e;

		snprintf(sch, sizeof sch,
		         SCH_OPEN "<sch:pattern>\n<sch:rule context='v'>\n"
		                  "<sch:assert id='x' test=\"fn:matches(., '%s')\"/>"
		                  "</sch:rule></sch:pattern>" SCH_CLOSE,
		         bad[i][0]);
		ck_assert_int_eq(tu_rules_try(&rules, sch), RD_ERULES);
		ck_assert_ptr_null(rules);
		e = rd_error_last();
		ck_assert_contains(e->message, bad[i][1]);
		ck_assert_contains(e->message, "test.sch:3");
		ck_assert_int_eq(e->line, 3);
	}
}
END_TEST

/* A pattern that is not a literal is compiled during the check: an error there is an
 * evaluation error on the record, and many different ones do not pile up. */
START_TEST(test_dynamic_patterns)
{
	const char *sch = SCH_OPEN "<sch:pattern><sch:rule context='v'>"
	                  "<sch:report id='m' test='fn:matches(., @re)'/>"
	                  "</sch:rule></sch:pattern>" SCH_CLOSE;
	size_t cap = 300 * 40 + 16, len, n = 0;
	char *got, *xml;
	rd_rules *rules;
	rd_document *doc;
	rd_report *rep;
	int i;

	got = tu_run(sch, "<r><v re='a{9999}'>a</v><v re='a+'>aa</v></r>", NULL);
	ck_assert_str_eq(got, "E:m@/r[1]/v[1] R:m@/r[1]/v[2]");
	free(got);
	/* 300 different patterns (more than a check keeps): every answer right. x{k}(y{j})?
	 * with k = i % 7 + 1 matches "x" when k is 1 (i even) and "xx" when k is 2 (i odd). */
	xml = malloc(cap);
	ck_assert_ptr_nonnull(xml);
	len = (size_t)snprintf(xml, cap, "<r>");
	for (i = 0; i < 300; i++) {
		len += (size_t)snprintf(xml + len, cap - len, "<v re='x{%d}(y{%d})?'>%s</v>", i % 7 + 1,
		                        i / 7 + 1, i % 2 ? "xx" : "x");
		if ((i % 7 == 0 && i % 2 == 0) || (i % 7 == 1 && i % 2 == 1))
			n++;
	}
	snprintf(xml + len, cap - len, "</r>");
	rules = tu_rules(sch);
	doc = tu_doc(xml);
	rep = tu_check(rules, doc, NULL);
	ck_assert_uint_eq(rd_report_count(rep), n);
	rd_report_free(rep);
	rd_document_free(doc);
	rd_rules_free(rules);
	free(xml);
}
END_TEST

/* ---------------------------------------------------------------- safe for a backtracking matcher */

static void backtrack_safe(const char *pat)
{
	char why[256];
	int rc = rd__regex_backtrack_safe(pat, why);

	ck_assert_msg(rc == 1, "'%s' refused (%d): %s", pat, rc, why);
	ck_assert_str_eq(why, "");
}

/* Refused, the reason saying each of the NULL-terminated substrings. */
static void backtrack_unsafe(const char *pat, ...)
{
	char why[256];
	int rc = rd__regex_backtrack_safe(pat, why);
	const char *sub;
	va_list ap;

	ck_assert_msg(rc == 0, "'%s' accepted (%d)", pat, rc);
	va_start(ap, pat);
	while ((sub = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(strstr(why, sub) != NULL, "'%s': '%s' does not say '%s'", pat, why, sub);
	va_end(ap);
}

/* Every pattern of the XSDs of rules/pk (after the rewrite of Email), and others a pack
 * would use: deterministic, or of bounded length and few ways. */
START_TEST(test_backtrack_safe)
{
	static const char *const pk[] = {
		"[A-Za-z0-9][A-Za-z0-9._:/\\-]*",
		"[0-9]{5}-?[0-9]{7}-?[0-9]",
		"[0-9]{7}-?[0-9]|[0-9]{5}-?[0-9]{7}-?[0-9]",
		"[A-Z]{3}|D",
		"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]"
		"(Z|[+\\-](0[0-9]|1[0-4]):[0-5][0-9])?",
		"[A-Z]{3}",
		"\\+?[0-9()][0-9 ()\\-]{5,24}",
		"[^@\\s]+@[^@\\s][^@\\s.]*\\.[^@\\s]+",
		"[a-z][a-z0-9]*(-[a-z0-9]+)*",
		"[A-Z0-9]{1,20}",
		"P[A-Z<]?",
		"[A-Za-z0-9][A-Za-z0-9/\\-]{0,29}",
		"[A-Z0-9]{2}|[A-Z]{3}",
		"([A-Z0-9]{2}[A-Z]? ?)?[0-9]{1,4}[A-Z]?",
	};
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(pk); i++)
		backtrack_safe(pk[i]);
	/* the Email pattern the brief suggested (no empty label) */
	backtrack_safe("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
	/* literal codes, and nothing at all */
	backtrack_safe("PK");
	backtrack_safe("PK-PB|PK-SD|PK-KP");
	backtrack_safe("");
	backtrack_safe("a{0}");
	/* repetitions whose parts and what follows are disjoint */
	backtrack_safe("(a{1,2}b)*");
	backtrack_safe("\\d+(\\.\\d{1,2})?");
	backtrack_safe("[A-Z]{2}[0-9]{7}");
	backtrack_safe(".{0,200}");
	/* categories and escapes as exact sets: Lu and Ll are disjoint, \S and \s too */
	backtrack_safe("\\p{Lu}\\p{Ll}*( \\p{Lu}\\p{Ll}*)*");
	backtrack_safe("(\\p{L}+ )*\\p{Nd}");
	backtrack_safe("\\S+(\\s\\S+)*");
	backtrack_safe("\\P{Lu}*A");
	backtrack_safe("\\p{IsArabic}+\\p{IsBasicLatin}");
	backtrack_safe("[^\\p{L}]+\\p{Lu}");
	/* a plain subtraction: libxml2 reads it as XSD does */
	backtrack_safe("[a-z-[aeiou]]+[aeiou]");
	backtrack_safe("[^a-z-[aeiou]]+[b-d]");
	/* bounded length, ambiguous: at most 10,000 ways ((a|a){11}: 4,094 prefixes, and
	 * 2,048 ends) */
	backtrack_safe("(a|a){11}");
	backtrack_safe("[A-Z]{1,64}|[0-9A-Z]{1,64}");
}
END_TEST

START_TEST(test_backtrack_unsafe)
{
	/* pk's Email: a '.' of the domain can be the [^@\s] before it or the \. */
	backtrack_unsafe("[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "'[^@\\s]' (character 9)", "'\\.' (character 16)",
	                 "can both match '.'", NULL);
	backtrack_unsafe("a*a*b", "'a' (character 1) and 'a' (character 3)", "at the start", NULL);
	backtrack_unsafe("(a|ab)*c", "'a' (character 2) and 'a' (character 4)", NULL);
	backtrack_unsafe("(x+x+)+y", "'x' (character 2) and 'x' (character 4)", NULL);
	backtrack_unsafe(".*x.*y", "'.' (character 1) and 'x' (character 3)", NULL);
	backtrack_unsafe("(a|a)*", "can both match 'a'", NULL);
	backtrack_unsafe("[a-z]+[0-9a-f]", "can both match 'a'", NULL);
	backtrack_unsafe("\\w+\\d", "can both match '0'", NULL);
	backtrack_unsafe("\\i\\c*:", "can both match ':'", NULL);
	backtrack_unsafe("\\p{L}+\\p{IsGreek}", "can both match U+", NULL);
	backtrack_unsafe("\\p{L}+\\p{Ll}", "can both match 'a'", NULL);
	/* the same character reached in two ways: a repetition inside a repetition, a part
	 * that matches nothing in two ways */
	backtrack_unsafe("(a*)*b", "more than one way", NULL);
	backtrack_unsafe("(a+)+b", "'a' (character 2) can follow 'a' (character 2) in more than one way", NULL);
	backtrack_unsafe("(a*b*)*c", "more than one way", NULL);
	backtrack_unsafe("(a+b*)*", "'a' (character 2) can follow 'a' (character 2) in more than one way", NULL);
	backtrack_unsafe("(x(|)y)*", "'y' (character 6) can follow 'x' (character 2) in more than one way", NULL);
	backtrack_unsafe("x+(a?)?", "a match can end after 'x' (character 1) in more than one way", NULL);
	backtrack_unsafe("(|)|a+", "the empty string matches it in more than one way", NULL);
	/* ... which matters only when it can repeat: x(|)y has two ways in all */
	backtrack_safe("x(|)y");
	/* bounded length is not enough: (a|a){13} has 16,382 prefixes */
	backtrack_unsafe("(a|a){13}", "more than 10000 ways", NULL);
	/* classes libxml2 reads otherwise count as any character: [\P{Lu}] is \p{Lu} there,
	 * [^a-] matches '-', [a-[^b]] is a or b, [\^-a] is '^' and 'a' */
	backtrack_unsafe("[\\P{Lu}]*A", "can both match 'A'", NULL);
	backtrack_unsafe("[^a-]*-", "can both match '-'", NULL);
	backtrack_unsafe("[a-[^b]]*b", "can both match 'b'", NULL);
	backtrack_unsafe("[\\^-a]*b", "can both match 'b'", NULL);
	/* too large to analyse, or not a pattern rahdari reads */
	backtrack_unsafe("x{6000}", "too large to analyse", "xs:maxLength", NULL);
	backtrack_unsafe("(a{1000}){6}", "too large to analyse", NULL);
	backtrack_unsafe("[0-9-_]", "cannot read it", "'-' inside a character class", NULL);
	backtrack_unsafe("(a", "cannot read it", "missing ')'", NULL);
	/* the position is counted in characters, and a long part is cut */
	backtrack_unsafe("\xC3\xA9\xC3\xA9[\xC3\xA9" "a]+[a-z]", "'[\xC3\xA9" "a]' (character 3)", NULL);
	backtrack_unsafe("[abcdefghijklmnopqrstuvwxyz0123456789]+[a-z]",
	                 "'[abcdefghijklmnopqrstuvw...' (character 1)", NULL);
}
END_TEST

/* What rd__regex_backtrack_safe() promises, shown with a backtracking matcher that counts
 * its steps: on a pattern it accepts, the steps grow at most linearly with the length of
 * any value (here, a short piece repeated, between a head and a tail); on the patterns it
 * refuses for being ambiguous, they do not. */
static unsigned long bt_steps(const rd_regex *re, const char *head, const char *unit, size_t reps,
                              const char *tail, unsigned long limit)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i, n = hl + ul * reps + tl;
	char *s = malloc(n + 1);
	unsigned long steps = 0;
	int rc;

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	for (i = 0; i < reps; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + reps * ul, tail, tl + 1);
	/* past the limit, the steps say so (limit + 1) */
	rc = rd__regex_backtrack_count(re, s, n, &steps, limit);
	ck_assert_int_ge(rc, -2);
	ck_assert_int_ne(rc, -1);
	free(s);
	return steps;
}

START_TEST(test_backtrack_linear)
{
	static const char *const bad[][4] = {
		/* pattern, head, unit, tail */
		{ "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "x@", "a.", "@" },
		{ "a*a*b", "", "a", "c" },
		{ ".*x.*y", "", "x", "" },
		{ "[a-z]+[a-z0-9]*!", "", "a", "" },
	};
	unsigned long patterns = slow_checker() ? 2000 : 20000, k, j, accepted = 0, checked = 0;
	rng r = { 0x2545F4914F6CDD1DULL };
	size_t i;

	/* the controls: refused, and the matcher's steps grow faster than the value */
	for (i = 0; i < RD_ARRAY_LEN(bad); i++) {
		rd_regex *re = compile_ok(bad[i][0], 0);
		unsigned long a = bt_steps(re, bad[i][1], bad[i][2], 100, bad[i][3], 10000000UL);
		unsigned long b = bt_steps(re, bad[i][1], bad[i][2], 200, bad[i][3], 10000000UL);
		char why[256];

		ck_assert_int_eq(rd__regex_backtrack_safe(bad[i][0], why), 0);
		ck_assert_msg(b - a > 100 * 4 * (rd__regex_states(re) + 1), "%s: %lu then %lu steps",
		              bad[i][0], a, b);
		rd__regex_free(re);
	}
	/* generated patterns: on those accepted, 100 more repetitions cost at most about
	 * two visits of the program per character added */
	for (k = 0; k < patterns; k++) {
		gbuf pat = { "", 0 };
		char why[256];
		rd_regex *re;

		gen_regexp(&r, &pat, 0);
		if (rd__regex_backtrack_safe(pat.s, why) != 1)
			continue;
		re = rd__regex_compile(pat.s, why);
		if (re == NULL)
			continue;
		accepted++;
		for (j = 0; j < 6; j++) {
			gbuf head = { "", 0 }, unit = { "", 0 }, tail = { "", 0 };
			unsigned long a, b, per;
			size_t ulen;

			gen_string(&r, &head);
			while (unit.n == 0)
				gen_string(&r, &unit);
			gen_string(&r, &tail);
			ulen = unit.n;
			per = 2 * (rd__regex_states(re) + 1) * 60 * ulen;
			a = bt_steps(re, head.s, unit.s, 60, tail.s, 10000000UL);
			ck_assert_msg(a <= 10000000UL, "'%s': past 10,000,000 steps", pat.s);
			b = bt_steps(re, head.s, unit.s, 120, tail.s, a + per);
			ck_assert_msg(b <= a + per, "'%s' on '%s' + '%s' x n + '%s': %lu steps, then %lu",
			              pat.s, head.s, unit.s, tail.s, a, b);
			checked++;
		}
		rd__regex_free(re);
	}
	ck_assert_uint_gt(accepted, patterns / 10);
	ck_assert_uint_gt(checked, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("regex");
	TCase *syntax = tcase_create("syntax");
	TCase *bounded = tcase_create("bounded");
	TCase *libxml2 = tcase_create("libxml2");
	TCase *fn = tcase_create("fn:matches");
	TCase *quick = tcase_create("fn:matches quickly");
	TCase *safe = tcase_create("safe for backtracking");

	tcase_add_test(syntax, test_whole_string);
	tcase_add_test(syntax, test_branches_and_groups);
	tcase_add_test(syntax, test_quantifiers);
	tcase_add_test(syntax, test_dot);
	tcase_add_test(syntax, test_classes);
	tcase_add_test(syntax, test_escapes);
	tcase_add_test(syntax, test_categories_and_blocks);
	tcase_add_test(syntax, test_utf8);
	tcase_add_test(syntax, test_errors);
	tcase_add_test(syntax, test_depth);
	tcase_add_test(syntax, test_too_complex);
	tcase_add_test(syntax, test_class_cost);
	suite_add_tcase(s, syntax);

	tcase_add_test(bounded, test_pathological);
	tcase_add_test(bounded, test_long_input);
	tcase_add_test(bounded, test_dfa);
	tcase_add_test(bounded, test_work_and_limit);
	tcase_add_test(bounded, test_shared_by_threads);
	tcase_set_timeout(bounded, 120);
	suite_add_tcase(s, bounded);

	tcase_add_test(libxml2, test_differential);
	tcase_add_test(libxml2, test_classes_against_libxml2);
	tcase_set_timeout(libxml2, 300);
	suite_add_tcase(s, libxml2);

	tcase_add_test(safe, test_backtrack_safe);
	tcase_add_test(safe, test_backtrack_unsafe);
	tcase_add_test(safe, test_backtrack_linear);
	tcase_set_timeout(safe, 120);
	suite_add_tcase(s, safe);

	tcase_add_test(fn, test_fn_matches_long_string);
	tcase_add_test(fn, test_refused_at_load);
	tcase_add_test(fn, test_dynamic_patterns);
	tcase_set_timeout(fn, 120);
	suite_add_tcase(s, fn);

	/* Check's default limit (4 s) applies: libxml2 took half a minute */
	tcase_add_test(quick, test_fn_matches_pathological);
	suite_add_tcase(s, quick);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
