/* rahdari: XML Schema regular expressions (fn:matches), matched in linear time.
 *
 * libxml2's xmlRegexp explores its automaton by backtracking: some patterns take
 * polynomial or exponential time ((a*)*(a*)*(a*)*b on 3,200 characters: half a minute)
 * and a long string makes it give up with -1 once it has ten million choices to come
 * back to. Rules come from pack authors and strings from agencies, and either may be
 * hostile, so rahdari compiles the expression itself into a Thompson automaton and
 * matches by simulating it over sets of states: time O(input length x program size),
 * memory O(program size), no backtracking. Counted repetitions are written out, and a
 * program of more than RX_MAX_INSNS states is refused when it is compiled. Each step
 * (an instruction tried on a character) is counted, so that the caller can charge the
 * work to a budget or stop it at a limit. Compiled expressions are immutable: threads
 * share them.
 *
 * Syntax: XML Schema 1.0 Part 2 Appendix F, as libxml2 2.9 accepts it: branches,
 * groups (nested 50 deep at most, as in libxml2), the quantifiers ? * + {n} {n,}
 * {n,m}, '.', character classes with ranges, negation and subtraction, the single
 * character escapes, \s \S \i \I \c \C \d \D \w \W, \p{..} and \P{..} with the
 * categories and block names of libxml2's Unicode tables. No anchors: ^ and $ are
 * ordinary characters and the whole string must match. Patterns and input are
 * UTF-8 and are matched by code point. '{' and '}' that do not follow an atom are
 * ordinary characters (XSD 1.0's Char production), as in libxml2.
 *
 * Deliberate differences from libxml2 2.9.14, each a libxml2 bug or a pattern that the
 * XSD grammar forbids and that libxml2 reads other than its author meant (the tests
 * compare the two engines on many generated patterns, tests/check_regex.c):
 * - refused: '-' inside a class where it is neither first, last, nor before '['
 *   (libxml2 drops it: [0-9-_] does not match '-'), an empty class [], {n,m} with
 *   m < n, an unknown block name (libxml2 fails at match time), and programs of more
 *   than RX_MAX_INSNS states;
 * - the answer XSD defines: \P{..} among other items of a class ([a\P{Lu}] is 'a' or
 *   not Lu), a negated or nested subtraction ([a-z-[^aeiou]] is the vowels), a range
 *   that starts with an escape ([\--/]), a negated class that ends with '-' ([^a-]
 *   does not match '-'), \p{Cn} (libxml2 matches nothing; here the code points no
 *   category of the tables has), and the patterns on which libxml2's automaton is
 *   wrong: counted repetitions of groups that can be empty ((a{0}){2}b matches "b"),
 *   character sets it takes as disjoint when they overlap ([^a]?[^b] matches "c";
 *   A*\P{Ll} matches "A"), branches ending with a repeated group (ab(a)*| does not
 *   match "a").
 *
 * Fast paths give the automaton's answers with less work: a pattern that is a literal
 * is compared, .*literal.* is a search for the literal (and no line end, which '.'
 * does not match), and otherwise the longest run of literal characters that every
 * match must contain is looked for first. A long string is matched by a DFA made of the
 * sets of states as the match meets them (a bounded number, kept for that match only),
 * so that a character costs one step once its transition is known.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE 1 /* memmem */
#include "internal.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/chvalid.h>
#include <libxml/xmlunicode.h>

/* Counted repetitions are expanded, so the program grows with the counts; a
 * program this large is refused at compile time. Matching costs at most this many
 * steps per input character. */
#define RX_MAX_INSNS 5000
/* Parse nodes (a pattern of empty groups makes nodes but no instructions). */
#define RX_MAX_NODES (8 * RX_MAX_INSNS)
/* Nesting of groups (libxml2's own limit) and of class subtractions. */
#define RX_MAX_DEPTH 50
/* Programs this small keep their matching state on the stack. */
#define RX_SMALL 64
/* Strings this long are matched with a DFA made as the match goes (dfa_from), of at most
 * RX_DFA_STATES states (each about 550 bytes) holding at most RX_DFA_POOL instructions in
 * their sets (1 MB), found through a table of RX_DFA_TABLE slots (a power of two, twice
 * as many). */
#define RX_DFA_MIN_LEN 256
#define RX_DFA_STATES 2000
#define RX_DFA_POOL (256 * 1024)
#define RX_DFA_TABLE 4096

typedef int (*rx_pred)(int);

/* One item of a class: a range of code points, or a predicate (escape, category,
 * block given as a range). */
typedef struct rx_item {
	uint32_t lo, hi;
	rx_pred fn;                 /* a test, or NULL */
	const uint32_t (*ranges)[2]; /* a block: its ranges (static storage), or NULL */
	int nranges;
	int neg;                    /* \P{..}, \S, \D, ...: the complement */
} rx_item;

typedef struct rx_class {
	uint64_t ascii[2]; /* the answer for code points below 128, precomputed */
	uint32_t (*rng)[2]; /* the plain ranges, sorted and merged (searched by bisection) */
	size_t nrng;
	rx_item *items;    /* the other items, each once (while parsing: all the items) */
	size_t nitems, capitems;
	size_t cost;       /* states this class counts for (1 + other items / 4, and the
	                    * subtracted class's): what testing a character above ASCII costs */
	int neg;           /* [^...] */
	int sub;           /* the class subtracted from this one ([a-z-[aeiou]]), or -1 */
	int lax;           /* libxml2 2.9 reads this class otherwise than XSD does (\P{..} inside
	                    * brackets, a range that starts with an escape, a negated class
	                    * that ends with '-'): rd__regex_backtrack_safe() assumes that
	                    * it may match any character */
} rx_class;

enum { RX_OP_CLASS, RX_OP_SPLIT, RX_OP_JMP, RX_OP_MATCH };

typedef struct rx_insn {
	int op;
	int x, y; /* CLASS: class index; SPLIT: both targets; JMP: the target */
} rx_insn;

/* How a compiled expression is matched. */
enum {
	RX_NFA,      /* the automaton, after the prefilter when there is one */
	RX_LITERAL,  /* the pattern is a literal: the string must equal it */
	RX_CONTAINS  /* .*literal.* : contains it, and no \n or \r ('.' excludes them) */
};

struct rd_regex {
	rx_insn *prog;
	size_t nprog;
	size_t size;   /* states: the instructions, each class counted for its cost */
	size_t dfa_min_len; /* strings this long are matched with a DFA (SIZE_MAX: never) */
	rx_class *classes;
	size_t nclasses;
	int kind;
	char *lit;     /* RX_LITERAL, RX_CONTAINS: the literal; RX_NFA: a literal every */
	size_t litlen; /* match contains (the prefilter), or NULL */
};

/* ---------------------------------------------------------------- predicates */

static int is_any(int c)
{
	return c != '\n' && c != '\r';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* \i and \c use XML 1.0's Letter, Digit, CombiningChar and Extender, as libxml2 does. */
static int is_letter(int c)
{
	return xmlIsBaseCharQ(c) || xmlIsIdeographicQ(c);
}

static int is_initname(int c)
{
	return is_letter(c) || c == '_' || c == ':';
}

static int is_namechar(int c)
{
	return is_letter(c) || xmlIsDigitQ(c) || c == '.' || c == '-' || c == '_' || c == ':' ||
	       xmlIsCombiningQ(c) || xmlIsExtenderQ(c);
}

/* \W: punctuation, separators and others; \w is its complement. */
static int is_notword(int c)
{
	return xmlUCSIsCatP(c) || xmlUCSIsCatZ(c) || xmlUCSIsCatC(c);
}

/* Cn: a code point that no category of the tables has (libxml2 2.9 matches nothing). */
static int is_unassigned(int c)
{
	return !(xmlUCSIsCatL(c) || xmlUCSIsCatM(c) || xmlUCSIsCatN(c) || xmlUCSIsCatP(c) ||
	         xmlUCSIsCatS(c) || xmlUCSIsCatZ(c) || xmlUCSIsCatC(c));
}

static const struct {
	const char *name;
	rx_pred fn;
} categories[] = {
	{ "L", xmlUCSIsCatL },   { "Lu", xmlUCSIsCatLu }, { "Ll", xmlUCSIsCatLl },
	{ "Lt", xmlUCSIsCatLt }, { "Lm", xmlUCSIsCatLm }, { "Lo", xmlUCSIsCatLo },
	{ "M", xmlUCSIsCatM },   { "Mn", xmlUCSIsCatMn }, { "Mc", xmlUCSIsCatMc },
	{ "Me", xmlUCSIsCatMe }, { "N", xmlUCSIsCatN },   { "Nd", xmlUCSIsCatNd },
	{ "Nl", xmlUCSIsCatNl }, { "No", xmlUCSIsCatNo }, { "P", xmlUCSIsCatP },
	{ "Pc", xmlUCSIsCatPc }, { "Pd", xmlUCSIsCatPd }, { "Ps", xmlUCSIsCatPs },
	{ "Pe", xmlUCSIsCatPe }, { "Pi", xmlUCSIsCatPi }, { "Pf", xmlUCSIsCatPf },
	{ "Po", xmlUCSIsCatPo }, { "Z", xmlUCSIsCatZ },   { "Zs", xmlUCSIsCatZs },
	{ "Zl", xmlUCSIsCatZl }, { "Zp", xmlUCSIsCatZp }, { "S", xmlUCSIsCatS },
	{ "Sm", xmlUCSIsCatSm }, { "Sc", xmlUCSIsCatSc }, { "Sk", xmlUCSIsCatSk },
	{ "So", xmlUCSIsCatSo }, { "C", xmlUCSIsCatC },   { "Cc", xmlUCSIsCatCc },
	{ "Cf", xmlUCSIsCatCf }, { "Co", xmlUCSIsCatCo }, { "Cn", is_unassigned },
};

static int item_match(const rx_item *it, uint32_t c)
{
	int m = 0, i;

	if (it->fn != NULL)
		m = it->fn((int)c) > 0;
	else if (it->ranges != NULL)
		for (i = 0; i < it->nranges && !m; i++)
			m = c >= it->ranges[i][0] && c <= it->ranges[i][1];
	else
		m = c >= it->lo && c <= it->hi;
	return it->neg ? !m : m;
}

static int class_match_slow(const rx_class *classes, const rx_class *k, uint32_t c)
{
	size_t i, lo = 0, hi = k->nrng;
	int m = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < k->rng[mid][0]) {
			hi = mid;
		} else if (c > k->rng[mid][1]) {
			lo = mid + 1;
		} else {
			m = 1;
			break;
		}
	}
	for (i = 0; i < k->nitems && !m; i++)
		m = item_match(&k->items[i], c);
	if (k->neg)
		m = !m;
	if (m && k->sub >= 0)
		m = !class_match_slow(classes, &classes[k->sub], c);
	return m;
}

static inline int class_match(const rx_class *classes, const rx_class *k, uint32_t c)
{
	if (c < 128)
		return (int)((k->ascii[c >> 6] >> (c & 63)) & 1);
	return class_match_slow(classes, k, c);
}

/* ---------------------------------------------------------------- UTF-8 */

/* Decode the code point at s[*i] (n bytes in all), advancing *i; -1 when the bytes
 * there are not UTF-8 (rd__utf8_decode). ASCII without a call. */
static inline int32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	uint32_t cp;
	size_t len;

	if (s[*i] < 0x80)
		return s[(*i)++];
	len = rd__utf8_decode(s + *i, n - *i, &cp);
	if (len == 0)
		return -1;
	*i += len;
	return (int32_t)cp;
}

/* Is s[i..n) UTF-8? Runs of ASCII are skipped eight bytes at a time. */
static int utf8_valid(const unsigned char *s, size_t n, size_t i)
{
	while (i < n) {
		if (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if (utf8_next(s, n, &i) < 0)
			return 0;
	}
	return 1;
}

static size_t utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* ---------------------------------------------------------------- parsing */

/* Grow *arr (n items of size sz, capacity *cap) to hold one more; 0 or -1. (This file
 * uses only libc and libxml2, so that tests/check_regex compiles it on its own.) */
static int rx_grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **pp = arr;
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / sz)
		return -1;
	np = realloc(*pp, ncap * sz);
	if (np == NULL)
		return -1;
	*pp = np;
	*cap = ncap;
	return 0;
}

enum { RX_N_CLASS, RX_N_CAT, RX_N_ALT, RX_N_REPEAT };

/* A node of the parse tree. Children are a list: child, then each one's next. */
typedef struct rx_node {
	int type;
	int cls;        /* CLASS */
	int min, max;   /* REPEAT; max -1: unbounded */
	int child, last; /* first and last child (CAT, ALT, REPEAT), -1 when none */
	int next;       /* next sibling, -1 */
	int src, srclen; /* CLASS: its text in the pattern (byte offset, length), for messages */
} rx_node;

typedef struct rx_parser {
	const unsigned char *src;
	const unsigned char *p;
	rx_node *nodes;
	size_t nnodes, capnodes;
	rx_class *classes;
	size_t nclasses, capclasses;
	char *err; /* 256 bytes; the first error only */
	size_t nitems; /* class items, all classes */
	size_t *sizes; /* node_size() of each node, once known (SIZE_MAX before) */
	int failed;
	int depth;
} rx_parser;

static void perr(rx_parser *P, const char *fmt, ...) RD_PRINTF(2, 3);

/* Record the first error, with the position (in characters, from 1) where it was seen. */
static void perr(rx_parser *P, const char *fmt, ...)
{
	const unsigned char *q;
	size_t col = 1;
	va_list ap;
	int n;

	if (P->failed)
		return;
	P->failed = 1;
	for (q = P->src; q < P->p && *q; q++)
		if ((*q & 0xC0) != 0x80)
			col++;
	va_start(ap, fmt);
	n = vsnprintf(P->err, 256, fmt, ap);
	va_end(ap);
	if (n >= 0 && n < 200 && *P->p != '\0')
		snprintf(P->err + n, 256 - (size_t)n, " at character %zu", col);
	else if (n >= 0 && n < 200)
		snprintf(P->err + n, 256 - (size_t)n, " at the end");
}

static void poom(rx_parser *P)
{
	if (!P->failed) {
		P->failed = 1;
		snprintf(P->err, 256, "out of memory");
	}
}

static int new_node(rx_parser *P, int type)
{
	rx_node *n;

	if (P->nnodes >= RX_MAX_NODES) {
		perr(P, "regular expression too complex: more than %d parts", RX_MAX_NODES);
		return -1;
	}
	if (rx_grow(&P->nodes, &P->capnodes, P->nnodes, sizeof *P->nodes) < 0) {
		poom(P);
		return -1;
	}
	n = &P->nodes[P->nnodes];
	memset(n, 0, sizeof *n);
	n->type = type;
	n->cls = n->child = n->last = n->next = -1;
	return (int)P->nnodes++;
}

static void add_child(rx_parser *P, int parent, int child)
{
	rx_node *p = &P->nodes[parent];

	if (p->last < 0)
		p->child = child;
	else
		P->nodes[p->last].next = child;
	p->last = child;
}

static int new_class(rx_parser *P)
{
	rx_class *k;

	if (P->nclasses >= RX_MAX_NODES) {
		perr(P, "regular expression too complex: more than %d parts", RX_MAX_NODES);
		return -1;
	}
	if (rx_grow(&P->classes, &P->capclasses, P->nclasses, sizeof *P->classes) < 0) {
		poom(P);
		return -1;
	}
	k = &P->classes[P->nclasses];
	memset(k, 0, sizeof *k);
	k->sub = -1;
	return (int)P->nclasses++;
}

static int add_item(rx_parser *P, int cls, uint32_t lo, uint32_t hi, rx_pred fn, int neg)
{
	rx_class *k = &P->classes[cls];
	rx_item *it;

	if (++P->nitems > RX_MAX_NODES) {
		perr(P, "regular expression too complex: more than %d parts", RX_MAX_NODES);
		return -1;
	}
	if (rx_grow(&k->items, &k->capitems, k->nitems, sizeof *k->items) < 0) {
		poom(P);
		return -1;
	}
	it = &k->items[k->nitems++];
	it->lo = lo;
	it->hi = hi;
	it->fn = fn;
	it->ranges = NULL;
	it->nranges = 0;
	it->neg = neg;
	return 0;
}

/* The code point at P->p (the pattern is UTF-8), advancing; -1 after an error. */
static int32_t next_char(rx_parser *P)
{
	size_t i = 0, n = 0;
	int32_t c;

	while (n < 4 && P->p[n] != '\0')
		n++;
	if (n == 0) {
		perr(P, "unexpected end");
		return -1;
	}
	c = utf8_next(P->p, n, &i);
	if (c < 0) {
		perr(P, "the pattern is not UTF-8");
		return -1;
	}
	P->p += i;
	return c;
}

/* A single-character escape (after the backslash), or -1 when c is not one. */
static int32_t single_escape(unsigned char c)
{
	switch (c) {
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case '\\': case '|': case '.': case '?': case '*': case '+': case '(': case ')':
	case '{': case '}': case '-': case '[': case ']': case '^':
		return c;
	default:
		return -1;
	}
}

/* A block's code points are a few ranges (one, but for PrivateUse in libxml2's table). */
#define RX_BLOCK_RANGES 4

/* The ranges of a block, found through libxml2's table: blocks start and end on
 * multiples of 16, so look at every 16th code point (about 70,000 lookups), then at
 * the edges of each run. */
static int block_scan(const char *name, uint32_t ranges[][2], int *nranges)
{
	uint32_t c;
	int n = 0, in = 0;

	for (c = 0; c <= 0x10FFFF; c += 16) {
		if (xmlUCSIsBlock((int)c, name) > 0) {
			if (!in) {
				if (n == RX_BLOCK_RANGES)
					return -1;
				ranges[n][0] = c;
				n++;
			}
			ranges[n - 1][1] = c;
			in = 1;
		} else {
			in = 0;
		}
	}
	if (n == 0)
		return -1;
	for (c = 0; c < (uint32_t)n; c++) {
		while (ranges[c][0] > 0 && xmlUCSIsBlock((int)ranges[c][0] - 1, name) > 0)
			ranges[c][0]--;
		while (ranges[c][1] < 0x10FFFF && xmlUCSIsBlock((int)ranges[c][1] + 1, name) > 0)
			ranges[c][1]++;
	}
	*nranges = n;
	return 0;
}

/* The scans, once per block name and process: a pattern (or a document's patterns,
 * compiled at run time) that names blocks many times pays for each name once. Entries
 * are never changed once added, so compiled expressions point into them. libxml2 knows
 * about 130 names, and only those are added. */
static struct rx_block {
	char name[64];
	uint32_t ranges[RX_BLOCK_RANGES][2];
	int nranges;
} block_cache[256];
static size_t block_cache_n;
static pthread_mutex_t block_cache_mu = PTHREAD_MUTEX_INITIALIZER;

static const struct rx_block *block_find(const char *name)
{
	const struct rx_block *found = NULL;
	struct rx_block *b;
	size_t i;

	if (strlen(name) >= sizeof block_cache[0].name || xmlUCSIsBlock(0, name) < 0)
		return NULL; /* not a block name */
	pthread_mutex_lock(&block_cache_mu);
	for (i = 0; i < block_cache_n && found == NULL; i++)
		if (strcmp(block_cache[i].name, name) == 0)
			found = &block_cache[i];
	if (found == NULL && block_cache_n < RD_ARRAY_LEN(block_cache)) {
		b = &block_cache[block_cache_n];
		if (block_scan(name, b->ranges, &b->nranges) == 0) {
			snprintf(b->name, sizeof b->name, "%s", name);
			block_cache_n++;
			found = b;
		}
	}
	pthread_mutex_unlock(&block_cache_mu);
	return found;
}

/* \p{..} or \P{..}, P->p just after the 'p' or 'P': add the item to class cls. */
static int parse_property(rx_parser *P, int cls, int neg)
{
	char name[64];
	size_t n = 0, i;

	if (*P->p != '{') {
		perr(P, "expected '{' after \\%c", neg ? 'P' : 'p');
		return -1;
	}
	P->p++;
	if (P->p[0] == 'I' && P->p[1] == 's') {
		const struct rx_block *blk = NULL;

		P->p += 2;
		while ((*P->p >= 'a' && *P->p <= 'z') || (*P->p >= 'A' && *P->p <= 'Z') ||
		       (*P->p >= '0' && *P->p <= '9') || *P->p == '-') {
			if (n < sizeof name)
				name[n] = (char)*P->p;
			n++;
			P->p++;
		}
		if (n > 0 && n < sizeof name) {
			name[n] = '\0';
			blk = block_find(name);
		}
		if (blk == NULL) {
			perr(P, "unknown Unicode block 'Is%.*s'", (int)(n < 40 ? n : 40),
			     (const char *)P->p - n);
			return -1;
		}
		if (*P->p != '}') {
			perr(P, "expected '}'");
			return -1;
		}
		P->p++;
		if (add_item(P, cls, 0, 0, NULL, neg) < 0)
			return -1;
		P->classes[cls].items[P->classes[cls].nitems - 1].ranges = blk->ranges;
		P->classes[cls].items[P->classes[cls].nitems - 1].nranges = blk->nranges;
		return 0;
	}
	/* a category: one letter, then at most one more (libxml2's grammar) */
	if (*P->p >= 'A' && *P->p <= 'Z') {
		name[n++] = (char)*P->p;
		if (P->p[1] >= 'a' && P->p[1] <= 'z')
			name[n++] = (char)P->p[1];
	}
	name[n] = '\0';
	for (; n > 0; n--) {
		name[n] = '\0';
		for (i = 0; i < RD_ARRAY_LEN(categories); i++)
			if (strcmp(categories[i].name, name) == 0)
				break;
		if (i < RD_ARRAY_LEN(categories))
			break;
	}
	if (n == 0) {
		perr(P, "unknown character property");
		return -1;
	}
	P->p += n;
	if (*P->p != '}') {
		perr(P, "expected '}' after the category %s", name);
		return -1;
	}
	P->p++;
	return add_item(P, cls, 0, 0, categories[i].fn, neg);
}

/* A multi-character or category escape (P->p at the letter after the backslash),
 * added to cls; 1 when it was one, 0 when the letter starts no such escape. */
static int parse_class_escape(rx_parser *P, int cls)
{
	rx_pred fn;
	int neg = 0;
	unsigned char c = *P->p;

	switch (c) {
	case 'p':
	case 'P':
		P->p++;
		return parse_property(P, cls, c == 'P') < 0 ? -1 : 1;
	case 's': case 'S': fn = is_space; break;
	case 'i': case 'I': fn = is_initname; break;
	case 'c': case 'C': fn = is_namechar; break;
	case 'd': case 'D': fn = xmlUCSIsCatNd; break;
	case 'w': case 'W': fn = is_notword; neg = 1; break;
	default: return 0;
	}
	if (c >= 'A' && c <= 'Z')
		neg = !neg;
	P->p++;
	return add_item(P, cls, 0, 0, fn, neg) < 0 ? -1 : 1;
}

/* One character of a class that may start or end a range: a literal or a single
 * character escape; -1 after an error. */
static int32_t class_char(rx_parser *P)
{
	int32_t c;

	if (*P->p == '\\') {
		c = single_escape(P->p[1]);
		if (c < 0) {
			P->p++;
			perr(P, "unknown escape '\\%c'", P->p[0] ? P->p[0] : ' ');
			return -1;
		}
		P->p += 2;
		return c;
	}
	if (*P->p == '[' || *P->p == ']') {
		perr(P, "'%c' must be escaped in a character class", *P->p);
		return -1;
	}
	return next_char(P);
}

/* A class expression, P->p after its '['; returns the class, P->p after its ']'. */
static int parse_class(rx_parser *P)
{
	int cls, first = 1, esc;

	if (P->depth >= RX_MAX_DEPTH) {
		perr(P, "character classes subtracted more than %d deep", RX_MAX_DEPTH);
		return -1;
	}
	cls = new_class(P);
	if (cls < 0)
		return -1;
	if (*P->p == '^') {
		P->classes[cls].neg = 1;
		P->p++;
	}
	for (;;) {
		int32_t lo, hi;

		if (*P->p == '\0') {
			perr(P, "missing ']'");
			return -1;
		}
		if (*P->p == ']') {
			if (P->classes[cls].nitems == 0) {
				perr(P, "empty character class");
				return -1;
			}
			P->p++;
			return cls;
		}
		if (*P->p == '-' && P->p[1] == '[') {
			int sub;

			if (P->classes[cls].nitems == 0) {
				perr(P, "nothing to subtract from");
				return -1;
			}
			P->p += 2;
			P->depth++;
			sub = parse_class(P);
			P->depth--;
			if (sub < 0)
				return -1;
			P->classes[cls].sub = sub;
			if (*P->p != ']') {
				perr(P, "expected ']' after the subtracted class");
				return -1;
			}
			P->p++;
			return cls;
		}
		if (*P->p == '-' && !first && P->p[1] != ']' && P->p[1] != '\0') {
			/* libxml2 drops such a '-' silently: [0-9-_] would not match '-' */
			perr(P, "'-' inside a character class must be first, last or escaped (\\-)");
			return -1;
		}
		if (*P->p == '\\' && strchr("pPsSiIcCdDwW", P->p[1]) != NULL && P->p[1] != '\0') {
			/* libxml2 takes [\P{Lu}] for \p{Lu} */
			if (P->p[1] == 'P')
				P->classes[cls].lax = 1;
			P->p++;
			if (parse_class_escape(P, cls) < 0)
				return -1;
			first = 0;
			continue;
		}
		/* libxml2 adds a last '-' of a negated class to it: [^a-] matches '-' */
		if (*P->p == '-' && !first && P->classes[cls].neg)
			P->classes[cls].lax = 1;
		esc = *P->p == '\\';
		lo = class_char(P);
		if (lo < 0)
			return -1;
		hi = lo;
		if (*P->p == '-' && P->p[1] != '[' && P->p[1] != ']' && P->p[1] != '\0') {
			/* libxml2 reads [\^-a] as '^' and 'a' */
			if (esc)
				P->classes[cls].lax = 1;
			P->p++;
			hi = class_char(P);
			if (hi < 0)
				return -1;
			if (hi < lo) {
				perr(P, "range end before its start");
				return -1;
			}
		}
		if (add_item(P, cls, (uint32_t)lo, (uint32_t)hi, NULL, 0) < 0)
			return -1;
		first = 0;
	}
}

static int parse_regexp(rx_parser *P);

static int class_node(rx_parser *P, int cls)
{
	int n;

	if (cls < 0)
		return -1;
	n = new_node(P, RX_N_CLASS);
	if (n >= 0)
		P->nodes[n].cls = cls;
	return n;
}

/* An atom: a character, a class, an escape, '.' or a group; -1 after an error. */
static int parse_atom(rx_parser *P)
{
	unsigned char c = *P->p;
	int cls, r;
	int32_t cp;

	switch (c) {
	case '(':
		if (P->depth >= RX_MAX_DEPTH) {
			perr(P, "groups nested more than %d deep", RX_MAX_DEPTH);
			return -1;
		}
		P->p++;
		P->depth++;
		r = parse_regexp(P);
		P->depth--;
		if (r < 0)
			return -1;
		if (*P->p != ')') {
			perr(P, "missing ')'");
			return -1;
		}
		P->p++;
		return r;
	case '[':
		P->p++;
		return class_node(P, parse_class(P));
	case '.':
		P->p++;
		cls = new_class(P);
		if (cls < 0 || add_item(P, cls, 0, 0, is_any, 0) < 0)
			return -1;
		return class_node(P, cls);
	case '\\':
		P->p++;
		cls = new_class(P);
		if (cls < 0)
			return -1;
		r = parse_class_escape(P, cls);
		if (r < 0)
			return -1;
		if (r == 0) {
			cp = single_escape(*P->p);
			if (cp < 0) {
				perr(P, "unknown escape '\\%c'", *P->p ? *P->p : ' ');
				return -1;
			}
			P->p++;
			if (add_item(P, cls, (uint32_t)cp, (uint32_t)cp, NULL, 0) < 0)
				return -1;
		}
		return class_node(P, cls);
	case '?':
	case '*':
	case '+':
		perr(P, "quantifier '%c' with nothing to repeat", c);
		return -1;
	case ']':
		perr(P, "unmatched ']'");
		return -1;
	default:
		cp = next_char(P);
		if (cp < 0)
			return -1;
		cls = new_class(P);
		if (cls < 0 || add_item(P, cls, (uint32_t)cp, (uint32_t)cp, NULL, 0) < 0)
			return -1;
		return class_node(P, cls);
	}
}

/* Digits of a quantifier; -1 (with the error set) when there are none or too many. */
static int parse_count(rx_parser *P)
{
	long v = 0;

	if (*P->p < '0' || *P->p > '9') {
		perr(P, "expected a number in the quantifier");
		return -1;
	}
	while (*P->p >= '0' && *P->p <= '9') {
		v = v * 10 + (*P->p - '0');
		if (v > INT_MAX) {
			perr(P, "quantifier too large");
			return -1;
		}
		P->p++;
	}
	return (int)v;
}

/* piece ::= atom quantifier? */
static int parse_piece(rx_parser *P)
{
	const unsigned char *start = P->p;
	int atom = parse_atom(P), rep, min, max;

	if (atom < 0)
		return -1;
	P->nodes[atom].src = (int)(start - P->src);
	P->nodes[atom].srclen = (int)(P->p - start);
	switch (*P->p) {
	case '?': min = 0; max = 1; P->p++; break;
	case '*': min = 0; max = -1; P->p++; break;
	case '+': min = 1; max = -1; P->p++; break;
	case '{':
		P->p++;
		min = parse_count(P);
		if (min < 0)
			return -1;
		max = min;
		if (*P->p == ',') {
			P->p++;
			if (*P->p == '}') {
				max = -1;
			} else {
				max = parse_count(P);
				if (max < 0)
					return -1;
			}
		}
		if (*P->p != '}') {
			perr(P, "unterminated quantifier");
			return -1;
		}
		if (max >= 0 && max < min) {
			perr(P, "quantifier {%d,%d}: the maximum is below the minimum", min, max);
			return -1;
		}
		P->p++;
		break;
	default:
		return atom;
	}
	rep = new_node(P, RX_N_REPEAT);
	if (rep < 0)
		return -1;
	P->nodes[rep].min = min;
	P->nodes[rep].max = max;
	add_child(P, rep, atom);
	return rep;
}

/* branch ::= piece* */
static int parse_branch(rx_parser *P)
{
	int cat = new_node(P, RX_N_CAT), piece;

	if (cat < 0)
		return -1;
	while (*P->p != '\0' && *P->p != '|' && *P->p != ')') {
		piece = parse_piece(P);
		if (piece < 0)
			return -1;
		add_child(P, cat, piece);
	}
	return cat;
}

/* regExp ::= branch ( '|' branch )* */
static int parse_regexp(rx_parser *P)
{
	int first = parse_branch(P), alt, b;

	if (first < 0 || *P->p != '|')
		return first;
	alt = new_node(P, RX_N_ALT);
	if (alt < 0)
		return -1;
	add_child(P, alt, first);
	while (*P->p == '|') {
		P->p++;
		b = parse_branch(P);
		if (b < 0)
			return -1;
		add_child(P, alt, b);
	}
	return alt;
}

/* ---------------------------------------------------------------- compiling */

/* Saturating arithmetic: sizes above the cap are all "too large". */
#define RX_SAT ((size_t)RX_MAX_INSNS + 1)

static size_t sat_add(size_t a, size_t b)
{
	return a + b > RX_SAT ? RX_SAT : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
	if (a == 0 || b == 0)
		return 0;
	return a > RX_SAT / b ? RX_SAT : (a * b > RX_SAT ? RX_SAT : a * b);
}

static size_t node_size(const rx_parser *P, int n);

static size_t node_size_of(const rx_parser *P, int n)
{
	const rx_node *nd = &P->nodes[n];
	size_t s = 0, k = 0;
	int c;

	switch (nd->type) {
	case RX_N_CLASS:
		return P->classes[nd->cls].cost;
	case RX_N_CAT:
		for (c = nd->child; c >= 0; c = P->nodes[c].next)
			s = sat_add(s, node_size(P, c));
		return s;
	case RX_N_ALT:
		for (c = nd->child; c >= 0; c = P->nodes[c].next, k++)
			s = sat_add(s, node_size(P, c));
		return sat_add(s, sat_mul(2, k - 1));
	case RX_N_REPEAT:
		s = node_size(P, nd->child);
		if (s == 0)
			return 0; /* repeating nothing is nothing */
		if (nd->max < 0)
			return nd->min == 0 ? sat_add(s, 2) : sat_add(sat_mul(s, (size_t)nd->min), 1);
		return sat_add(sat_mul(s, (size_t)nd->min),
		               sat_mul(sat_add(s, 1), (size_t)(nd->max - nd->min)));
	default:
		return 0;
	}
}

/* The states node n compiles to (saturated at RX_SAT), computed once: its instructions,
 * a class counting for its cost. At least the number of instructions, and 0 only when
 * there are none. */
static size_t node_size(const rx_parser *P, int n)
{
	if (P->sizes[n] == SIZE_MAX)
		P->sizes[n] = node_size_of(P, n);
	return P->sizes[n];
}

typedef struct rx_emitter {
	const rx_parser *P;
	rx_insn *prog;
	size_t n;
} rx_emitter;

static size_t emit_op(rx_emitter *E, int op, int x, int y)
{
	E->prog[E->n].op = op;
	E->prog[E->n].x = x;
	E->prog[E->n].y = y;
	return E->n++;
}

static void emit(rx_emitter *E, int n)
{
	const rx_node *nd = &E->P->nodes[n];
	size_t split, jmp, start, i, s;
	int c;

	switch (nd->type) {
	case RX_N_CLASS:
		emit_op(E, RX_OP_CLASS, nd->cls, 0);
		break;
	case RX_N_CAT:
		for (c = nd->child; c >= 0; c = E->P->nodes[c].next)
			emit(E, c);
		break;
	case RX_N_ALT: {
		/* SPLIT next-alternative; alternative; JMP end: the JMPs are chained through y
		 * and patched once the end is known */
		long pending = -1;

		for (c = nd->child; c >= 0; c = E->P->nodes[c].next) {
			if (E->P->nodes[c].next < 0) {
				emit(E, c);
				break;
			}
			split = emit_op(E, RX_OP_SPLIT, (int)E->n + 1, 0);
			emit(E, c);
			jmp = emit_op(E, RX_OP_JMP, 0, (int)pending);
			pending = (long)jmp;
			E->prog[split].y = (int)E->n;
		}
		while (pending >= 0) {
			long prev = E->prog[pending].y;

			E->prog[pending].x = (int)E->n;
			E->prog[pending].y = 0;
			pending = prev;
		}
		break;
	}
	case RX_N_REPEAT:
		s = node_size(E->P, nd->child);
		if (s == 0)
			break;
		if (nd->max < 0 && nd->min == 0) {
			/* L: SPLIT body, out; body; JMP L */
			split = emit_op(E, RX_OP_SPLIT, (int)E->n + 1, 0);
			emit(E, nd->child);
			emit_op(E, RX_OP_JMP, (int)split, 0);
			E->prog[split].y = (int)E->n;
			break;
		}
		for (i = 0; i + 1 < (size_t)nd->min; i++)
			emit(E, nd->child);
		if (nd->max < 0) {
			/* the last required copy loops back to itself */
			start = E->n;
			emit(E, nd->child);
			emit_op(E, RX_OP_SPLIT, (int)start, (int)E->n + 1);
			break;
		}
		if (nd->min > 0)
			emit(E, nd->child);
		{
			/* up to max - min optional copies, each one a way out to the end: the
			 * SPLITs are chained through y until the end is known */
			long pending = -1;

			for (i = 0; i < (size_t)(nd->max - nd->min); i++) {
				split = emit_op(E, RX_OP_SPLIT, (int)E->n + 1, (int)pending);
				pending = (long)split;
				emit(E, nd->child);
			}
			while (pending >= 0) {
				long prev = E->prog[pending].y;

				E->prog[pending].y = (int)E->n;
				pending = prev;
			}
		}
		break;
	default:
		break;
	}
}

/* The top-level sequence of the pattern, groups without quantifier flattened into
 * it, for the fast paths: up to max node indices into out; the count, or -1 when
 * the pattern is not such a sequence or the sequence is longer than max. */
static int flatten(const rx_parser *P, int n, int *out, int max, int count)
{
	const rx_node *nd = &P->nodes[n];
	int c;

	if (nd->type == RX_N_CAT) {
		for (c = nd->child; c >= 0 && count >= 0; c = P->nodes[c].next)
			count = flatten(P, c, out, max, count);
		return count;
	}
	if (count >= max)
		return -1;
	out[count] = n;
	return count + 1;
}

/* The code point a node matches when it matches exactly one, else -1. */
static int32_t single_char(const rx_parser *P, int n)
{
	const rx_class *k;

	if (P->nodes[n].type != RX_N_CLASS)
		return -1;
	k = &P->classes[P->nodes[n].cls];
	if (k->nrng != 1 || k->nitems != 0 || k->neg || k->sub >= 0 || k->rng[0][0] != k->rng[0][1])
		return -1;
	return (int32_t)k->rng[0][0];
}

/* Is node n '.*'? */
static int is_dot_star(const rx_parser *P, int n)
{
	const rx_node *nd = &P->nodes[n];
	const rx_class *k;

	if (nd->type != RX_N_REPEAT || nd->min != 0 || nd->max != -1 ||
	    P->nodes[nd->child].type != RX_N_CLASS)
		return 0;
	k = &P->classes[P->nodes[nd->child].cls];
	return k->nrng == 0 && k->nitems == 1 && !k->neg && k->sub < 0 &&
	       k->items[0].fn == is_any && !k->items[0].neg;
}

/* Choose the fast path: a literal, .*literal.*, or the automaton with the longest
 * run of literal characters of the top-level sequence as a prefilter. */
static int choose_kind(rd_regex *re, const rx_parser *P, int root)
{
	enum { MAXSEQ = 256 };
	int seq[MAXSEQ], n, i, best = 0, best_len = 0, run = 0, lit_start, lit_end;
	char *q;

	re->kind = RX_NFA;
	n = flatten(P, root, seq, MAXSEQ, 0);
	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (single_char(P, seq[i]) >= 0) {
			run++;
			if (run > best_len) {
				best_len = run;
				best = i + 1 - run;
			}
		} else {
			run = 0;
		}
	}
	if (best_len == n) {
		re->kind = RX_LITERAL;
	} else if (n >= 3 && best_len == n - 2 && is_dot_star(P, seq[0]) &&
	           is_dot_star(P, seq[n - 1])) {
		re->kind = RX_CONTAINS;
	} else if (best_len < 2) {
		return 0; /* too short to be worth a prefilter */
	}
	lit_start = best;
	lit_end = best + best_len;
	re->lit = malloc((size_t)best_len * 4 + 1);
	if (re->lit == NULL)
		return -1;
	q = re->lit;
	for (i = lit_start; i < lit_end; i++)
		q += utf8_put(q, (uint32_t)single_char(P, seq[i]));
	*q = '\0';
	re->litlen = (size_t)(q - re->lit);
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static int same_item(const rx_item *a, const rx_item *b)
{
	return a->fn == b->fn && a->ranges == b->ranges && a->neg == b->neg;
}

/* Put a class in its matching form: its plain ranges sorted and merged, its other items
 * each once, so that testing a character costs a bisection and at most a few hundred
 * tests (the categories, escapes and blocks there are, each maybe complemented),
 * whatever the length of the class. 0 or -1 (out of memory). */
static int class_finish(rx_class *k)
{
	size_t i, j, n = 0, kept = 0;

	for (i = 0; i < k->nitems; i++)
		if (k->items[i].fn == NULL && k->items[i].ranges == NULL && !k->items[i].neg)
			n++;
	if (n > 0) {
		k->rng = malloc(n * sizeof *k->rng);
		if (k->rng == NULL)
			return -1;
	}
	for (i = 0; i < k->nitems; i++) {
		rx_item *it = &k->items[i];

		if (it->fn == NULL && it->ranges == NULL && !it->neg) {
			k->rng[k->nrng][0] = it->lo;
			k->rng[k->nrng][1] = it->hi;
			k->nrng++;
			continue;
		}
		for (j = 0; j < kept && !same_item(&k->items[j], it); j++)
			;
		if (j == kept)
			k->items[kept++] = *it;
	}
	k->nitems = kept;
	if (k->nrng > 1) {
		qsort(k->rng, k->nrng, sizeof *k->rng, range_cmp);
		for (i = 1, j = 0; i < k->nrng; i++) {
			if (k->rng[i][0] <= k->rng[j][1] + 1) {
				if (k->rng[i][1] > k->rng[j][1])
					k->rng[j][1] = k->rng[i][1];
			} else {
				j++;
				k->rng[j][0] = k->rng[i][0];
				k->rng[j][1] = k->rng[i][1];
			}
		}
		k->nrng = j + 1;
	}
	return 0;
}

/* What testing a character above ASCII against class k costs, in states. */
static size_t class_cost(const rx_class *classes, const rx_class *k)
{
	size_t c = 1 + k->nitems / 4;

	return k->sub >= 0 ? sat_add(c, class_cost(classes, &classes[k->sub])) : c;
}

void rd__regex_free(rd_regex *re)
{
	size_t i;

	if (re == NULL)
		return;
	for (i = 0; i < re->nclasses; i++) {
		free(re->classes[i].items);
		free(re->classes[i].rng);
	}
	free(re->classes);
	free(re->prog);
	free(re->lit);
	free(re);
}

static void parser_free(rx_parser *P)
{
	size_t i;

	for (i = 0; i < P->nclasses; i++) {
		free(P->classes[i].items);
		free(P->classes[i].rng);
	}
	free(P->classes);
	free(P->nodes);
	free(P->sizes);
}

rd_regex *rd__regex_compile_opts(const char *src, char err[256], unsigned int flags)
{
	rx_parser P;
	rx_emitter E;
	rd_regex *re;
	size_t size, i;
	uint32_t c;
	int root;

	err[0] = '\0';
	memset(&P, 0, sizeof P);
	P.src = P.p = (const unsigned char *)(src ? src : "");
	P.err = err;
	root = parse_regexp(&P);
	if (root >= 0 && *P.p != '\0')
		perr(&P, "unmatched ')'"); /* a branch stops only at '|', ')' or the end */
	if (P.failed || root < 0) {
		if (err[0] == '\0')
			snprintf(err, 256, "invalid regular expression");
		parser_free(&P);
		return NULL;
	}
	for (i = 0; i < P.nclasses; i++) {
		if (class_finish(&P.classes[i]) < 0) {
			parser_free(&P);
			snprintf(err, 256, "out of memory");
			return NULL;
		}
	}
	for (i = 0; i < P.nclasses; i++)
		P.classes[i].cost = class_cost(P.classes, &P.classes[i]);
	P.sizes = malloc(P.nnodes * sizeof *P.sizes);
	if (P.sizes == NULL) {
		parser_free(&P);
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	for (i = 0; i < P.nnodes; i++)
		P.sizes[i] = SIZE_MAX;
	size = sat_add(node_size(&P, root), 1);
	if (size > RX_MAX_INSNS) {
		snprintf(err, 256,
		         "regular expression too complex: more than %d states once its counted "
		         "repetitions are expanded",
		         RX_MAX_INSNS);
		parser_free(&P);
		return NULL;
	}
	re = calloc(1, sizeof *re);
	if (re == NULL || (re->prog = malloc(size * sizeof *re->prog)) == NULL) {
		free(re);
		parser_free(&P);
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	E.P = &P;
	E.prog = re->prog;
	E.n = 0;
	emit(&E, root);
	emit_op(&E, RX_OP_MATCH, 0, 0);
	re->nprog = E.n;
	re->size = size;
	re->dfa_min_len = (flags & RD_REGEX_NO_FAST) ? SIZE_MAX
	                  : (flags & RD_REGEX_DFA_ALWAYS) ? 0 : RX_DFA_MIN_LEN;
	/* the classes move to the compiled expression, with their ASCII answers */
	for (i = 0; i < P.nclasses; i++)
		for (c = 0; c < 128; c++)
			if (class_match_slow(P.classes, &P.classes[i], c))
				P.classes[i].ascii[c >> 6] |= UINT64_C(1) << (c & 63);
	if ((flags & RD_REGEX_NO_FAST) == 0 && choose_kind(re, &P, root) < 0) {
		parser_free(&P);
		rd__regex_free(re);
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	re->classes = P.classes;
	re->nclasses = P.nclasses;
	free(P.nodes);
	free(P.sizes);
	return re;
}

rd_regex *rd__regex_compile(const char *src, char err[256])
{
	return rd__regex_compile_opts(src, err, 0);
}

size_t rd__regex_states(const rd_regex *re)
{
	return re ? re->size : 0;
}

/* ---------------------------------------------------------------- matching */

/* Thompson's simulation: the set of instructions the automaton can be in before each
 * character, each instruction at most once per set (mark[pc] == gen when it is in the
 * set being built), so that a step costs at most the size of the program whatever
 * the pattern. Only CLASS and MATCH instructions are kept in a set; the jumps and
 * splits are followed when a thread is added. */
typedef struct rx_sim {
	uint32_t *mark;
	uint32_t gen;
	int *cur, *next, *stack;
	size_t ncur, nnext;
} rx_sim;

/* Add pc and everything reachable from it without consuming to the next set. */
static unsigned long add_thread(const rd_regex *re, rx_sim *S, int pc)
{
	unsigned long steps = 0;
	size_t sp = 0;

	if (S->mark[pc] == S->gen)
		return 0;
	S->mark[pc] = S->gen;
	S->stack[sp++] = pc;
	while (sp > 0) {
		const rx_insn *in;

		pc = S->stack[--sp];
		in = &re->prog[pc];
		steps++;
		switch (in->op) {
		case RX_OP_JMP:
			if (S->mark[in->x] != S->gen) {
				S->mark[in->x] = S->gen;
				S->stack[sp++] = in->x;
			}
			break;
		case RX_OP_SPLIT:
			if (S->mark[in->y] != S->gen) {
				S->mark[in->y] = S->gen;
				S->stack[sp++] = in->y;
			}
			if (S->mark[in->x] != S->gen) {
				S->mark[in->x] = S->gen;
				S->stack[sp++] = in->x;
			}
			break;
		default:
			S->next[S->nnext++] = pc;
			break;
		}
	}
	return steps;
}

static void next_gen(rx_sim *S, size_t n)
{
	if (++S->gen == 0) {
		memset(S->mark, 0, n * sizeof *S->mark);
		S->gen = 1;
	}
}

/* One step of the automaton on character c: from the set in S->cur (S->ncur states)
 * to S->next. */
static void nfa_step(const rd_regex *re, rx_sim *S, uint32_t c, unsigned long *steps)
{
	size_t k;

	S->nnext = 0;
	next_gen(S, re->nprog);
	for (k = 0; k < S->ncur; k++) {
		const rx_insn *in = &re->prog[S->cur[k]];

		if (in->op != RX_OP_CLASS)
			continue;
		if (c >= 128)
			*steps += re->classes[in->x].cost - 1; /* and 1 below */
		if (class_match(re->classes, &re->classes[in->x], c))
			*steps += add_thread(re, S, S->cur[k] + 1);
	}
	*steps += S->ncur;
}

static int has_match(const rd_regex *re, const int *set, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (re->prog[set[k]].op == RX_OP_MATCH)
			return 1;
	return 0;
}

/* Nothing can match any more: the answer is no, if the rest is UTF-8. */
static int dead_end(const unsigned char *s, size_t len, size_t i, unsigned long *steps)
{
	*steps += (len - i) / 16;
	return utf8_valid(s, len, i) ? 0 : -1;
}

/* The automaton from s[i] to the end, S->next holding the set before s[i]. */
static int nfa_from(const rd_regex *re, rx_sim *S, const unsigned char *s, size_t len, size_t i,
                    unsigned long *steps, unsigned long limit)
{
	while (i < len) {
		int32_t c = utf8_next(s, len, &i);
		int *tmp = S->cur;

		if (c < 0)
			return -1;
		S->cur = S->next;
		S->ncur = S->nnext;
		S->next = tmp;
		nfa_step(re, S, (uint32_t)c, steps);
		if (S->nnext == 0)
			return dead_end(s, len, i, steps);
		if (*steps > limit)
			return -2;
	}
	return has_match(re, S->next, S->nnext);
}

/* The same automaton made deterministic as it runs (for long strings): each set of states
 * met becomes a state of a DFA, whose transitions on ASCII characters are remembered, so
 * that a character costs one step once its transition is known. The sets are kept only
 * for this match (the compiled expression stays immutable), at most RX_DFA_STATES of
 * them; past that, the automaton goes on alone. The answers are the automaton's. */

typedef struct rx_dstate {
	int32_t next[128]; /* on each ASCII character: the next state, -1 not known yet */
	size_t off, n;     /* the set: pool[off .. off + n), sorted */
	uint32_t hash;
	int match;
} rx_dstate;

typedef struct rx_dfa {
	rx_dstate *st;
	size_t n, cap;
	int *pool;
	size_t npool, cappool;
	int32_t *table; /* open addressing, RX_DFA_TABLE slots: a state + 1, or 0 */
} rx_dfa;

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The DFA state of the set (sorted here), added when new; -1 out of memory, -2 full. */
static int32_t dfa_state(const rd_regex *re, rx_dfa *D, int *set, size_t n)
{
	uint32_t h = 2166136261u;
	size_t k, slot;
	rx_dstate *d;

	qsort(set, n, sizeof *set, int_cmp);
	for (k = 0; k < n; k++)
		h = (h ^ (uint32_t)set[k]) * 16777619u;
	for (slot = h & (RX_DFA_TABLE - 1); D->table[slot] != 0; slot = (slot + 1) & (RX_DFA_TABLE - 1)) {
		d = &D->st[D->table[slot] - 1];
		if (d->hash == h && d->n == n && memcmp(D->pool + d->off, set, n * sizeof *set) == 0)
			return D->table[slot] - 1;
	}
	if (D->n >= RX_DFA_STATES || D->npool + n > RX_DFA_POOL)
		return -2;
	if (rx_grow(&D->st, &D->cap, D->n, sizeof *D->st) < 0)
		return -1;
	while (D->npool + n > D->cappool) {
		size_t cap = D->cappool ? D->cappool * 2 : 1024;
		int *np = realloc(D->pool, cap * sizeof *np);

		if (np == NULL)
			return -1;
		D->pool = np;
		D->cappool = cap;
	}
	d = &D->st[D->n];
	memset(d->next, 0xFF, sizeof d->next);
	d->off = D->npool;
	d->n = n;
	d->hash = h;
	d->match = has_match(re, set, n);
	memcpy(D->pool + D->npool, set, n * sizeof *set);
	D->npool += n;
	D->table[slot] = (int32_t)D->n + 1;
	return (int32_t)D->n++;
}

static int dfa_from(const rd_regex *re, rx_sim *S, const unsigned char *s, size_t len,
                    unsigned long *steps, unsigned long limit)
{
	rx_dfa D;
	size_t i = 0;
	int32_t d, nd;
	int rc;

	memset(&D, 0, sizeof D);
	D.table = calloc(RX_DFA_TABLE, sizeof *D.table);
	if (D.table == NULL)
		return -1;
	d = dfa_state(re, &D, S->next, S->nnext);
	if (d < 0) {
		rc = -1;
		goto done;
	}
	while (i < len) {
		unsigned char b = s[i];
		int32_t c;

		if (b < 0x80 && (nd = D.st[d].next[b]) >= 0) {
			/* a transition already known */
			i++;
			d = nd;
			*steps += 1;
		} else {
			if (b < 0x80) {
				c = b;
				i++;
			} else if ((c = utf8_next(s, len, &i)) < 0) {
				rc = -1;
				goto done;
			}
			S->ncur = D.st[d].n;
			memcpy(S->cur, D.pool + D.st[d].off, S->ncur * sizeof *S->cur);
			nfa_step(re, S, (uint32_t)c, steps);
			nd = dfa_state(re, &D, S->next, S->nnext);
			if (nd == -2) {
				/* as many sets as this match may keep: the automaton alone */
				rc = S->nnext == 0 ? dead_end(s, len, i, steps)
				                   : nfa_from(re, S, s, len, i, steps, limit);
				goto done;
			}
			if (nd < 0) {
				rc = -1;
				goto done;
			}
			if (b < 0x80)
				D.st[d].next[b] = nd;
			d = nd;
		}
		if (D.st[d].n == 0) {
			rc = dead_end(s, len, i, steps);
			goto done;
		}
		if (*steps > limit) {
			rc = -2;
			goto done;
		}
	}
	rc = D.st[d].match;
done:
	free(D.table);
	free(D.st);
	free(D.pool);
	return rc;
}

/* Match s with the automaton: the simulation's sets on the stack for a small program,
 * the DFA for a long string. */
static int run(const rd_regex *re, const unsigned char *s, size_t len, unsigned long *steps,
               unsigned long limit)
{
	uint32_t mark_small[RX_SMALL];
	int lists_small[3 * RX_SMALL];
	void *heap = NULL;
	size_t n = re->nprog;
	rx_sim S;
	int rc;

	if (n <= RX_SMALL) {
		S.mark = mark_small;
		S.cur = lists_small;
	} else {
		heap = malloc(n * (sizeof *S.mark + 3 * sizeof *S.cur));
		if (heap == NULL)
			return -1;
		S.mark = heap;
		S.cur = (int *)(S.mark + n);
	}
	S.next = S.cur + n;
	S.stack = S.next + n;
	memset(S.mark, 0, n * sizeof *S.mark);
	S.gen = 1;
	S.nnext = 0;
	*steps += add_thread(re, &S, 0);
	if (re->dfa_min_len != SIZE_MAX && len >= re->dfa_min_len)
		rc = dfa_from(re, &S, s, len, steps, limit);
	else
		rc = nfa_from(re, &S, s, len, 0, steps, limit);
	free(heap);
	return rc;
}

static int has_newline(const unsigned char *s, size_t len)
{
	return memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL;
}

int rd__regex_exec(const rd_regex *re, const char *str, size_t len, unsigned long *work,
                   unsigned long limit)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	unsigned long steps = 0;
	int rc;

	if (re == NULL)
		return -1;
	if (str == NULL)
		len = 0;
	switch (re->kind) {
	case RX_LITERAL:
	case RX_CONTAINS:
		/* the bytes are scanned a few times: count them in sixteenths */
		steps = len / 16 + 1;
		if (!utf8_valid(s, len, 0))
			rc = -1;
		else if (re->kind == RX_LITERAL)
			rc = len == re->litlen && memcmp(s, re->lit, len) == 0;
		else
			rc = !has_newline(s, len) && memmem(s, len, re->lit, re->litlen) != NULL;
		break;
	default:
		if (re->lit != NULL && memmem(s, len, re->lit, re->litlen) == NULL) {
			/* the literal every match contains is not there */
			steps = len / 16 + 1;
			rc = utf8_valid(s, len, 0) ? 0 : -1;
			break;
		}
		rc = run(re, s, len, &steps, limit);
		break;
	}
	if (work != NULL)
		*work += steps;
	return rc;
}

int rd__regex_match(const rd_regex *re, const char *s, size_t len, unsigned long *work)
{
	return rd__regex_exec(re, s, len, work, ULONG_MAX);
}

/* ---------------------------------------------------------------- a backtracking matcher, for tests */

/* The automaton run the way a backtracking matcher runs it: one way at a time, coming back
 * to the last choice when a way fails, through every path of the program (all the ways
 * through its splits, but never round a loop that consumed nothing). It counts the
 * instructions it visits, so that tests can show without timing anything that the
 * patterns rd__regex_backtrack_safe() accepts cost such a matcher a bounded number of
 * steps per character of the value. Not used to match. */
typedef struct rx_bt {
	int pc;
	int restore;  /* 1: on the way back, put mark[pc] back to old */
	size_t pos;
	size_t old;
} rx_bt;

int rd__regex_backtrack_count(const rd_regex *re, const char *str, size_t len,
                              unsigned long *steps, unsigned long limit)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t *mark, n = 0, cap = 0;
	rx_bt *st = NULL, f;
	int rc = 0;

	*steps = 0;
	if (re == NULL)
		return -1;
	/* mark[pc] == pos + 1 while the way followed has been at pc at pos */
	mark = calloc(re->nprog, sizeof *mark);
	if (mark == NULL || rx_grow(&st, &cap, 0, sizeof *st) < 0) {
		free(mark);
		return -1;
	}
	st[n].pc = 0;
	st[n].restore = 0;
	st[n].pos = 0;
	n++;
	while (n > 0 && rc == 0) {
		const rx_insn *in;
		int next[2], k, nn = 0;
		size_t pos;

		f = st[--n];
		if (f.restore) {
			mark[f.pc] = f.old;
			continue;
		}
		if (++*steps > limit) {
			rc = -2;
			break;
		}
		if (mark[f.pc] == f.pos + 1)
			continue; /* round a loop that consumed nothing */
		in = &re->prog[f.pc];
		pos = f.pos;
		switch (in->op) {
		case RX_OP_MATCH:
			if (pos == len)
				rc = 1;
			continue;
		case RX_OP_CLASS:
			if (pos < len) {
				int32_t c = utf8_next(s, len, &pos);

				if (c < 0) {
					rc = -1;
					continue;
				}
				if (class_match(re->classes, &re->classes[in->x], (uint32_t)c))
					next[nn++] = f.pc + 1;
			}
			break;
		case RX_OP_JMP:
			next[nn++] = in->x;
			break;
		case RX_OP_SPLIT:
			next[nn++] = in->y; /* pushed first: tried second */
			next[nn++] = in->x;
			break;
		}
		if (rx_grow(&st, &cap, n + 2, sizeof *st) < 0) {
			rc = -1;
			break;
		}
		/* the way back past this instruction, then the ways on */
		st[n].pc = f.pc;
		st[n].restore = 1;
		st[n].old = mark[f.pc];
		n++;
		mark[f.pc] = f.pos + 1;
		for (k = 0; k < nn; k++) {
			st[n].pc = next[k];
			st[n].restore = 0;
			st[n].pos = pos;
			n++;
		}
	}
	free(st);
	free(mark);
	return rc;
}

/* ---------------------------------------------------------------- safety for backtracking matchers */

/* libxml2 checks the xs:pattern facets of XML Schemas with its own matcher, which
 * backtracks: it follows one way through its automaton and, when that fails, comes back
 * to the last choice it made and tries the next. Its time is the number of ways it tries,
 * and a pattern like [^@\s]+@[^@\s]+\.[^@\s]+ gives a failing value of n characters about
 * n^2 of them. rd__regex_backtrack_safe() decides at load time, from the pattern alone,
 * that no value can make such a matcher explode.
 *
 * The model. Counted repetitions are written out (x{2,4} as x x (x (x)?)?, the optional
 * copies nested, as a counter would take them), and every character class of the result is
 * a position (Glushkov's construction): First is the set of positions a match can start
 * with, Follow(p) the positions that can come right after p, and a pseudo-position END
 * follows the positions a match can end with. A backtracking matcher that has read a prefix
 * of the value is at one position, reached along one path; the ways it tries are the paths
 * from the start that read a prefix of the value. The sets are counted with multiplicity,
 * as a matcher that follows the pattern's structure sees them: a Follow entry made twice
 * (p after p inside (a*)*, once by each star), or a part that matches the empty string in
 * two ways ((a?)?, ab?(c?)*), is two paths. libxml2 merges such duplicates; other matchers
 * (and future versions) need not, and such patterns can always be written without them.
 *
 * Safe means one of:
 * (a) deterministic: in First and in every Follow set, every entry has multiplicity 1 and no
 *     two positions have character sets that share a character. Then every prefix of every
 *     value is read by at most one path, the matcher never has two ways to go on, and its
 *     work is linear in the value's length: each character is read once, and is tried
 *     against the few positions of one Follow set (plus a rollback of at most the same).
 *     This is the 1-unambiguity that XML Schema requires of content models.
 * (b) finite: the pattern has no unbounded repetition, so a path is at most as long as the
 *     pattern, and the number of paths from the start (counted on the acyclic graph of
 *     Follow) is at most RX_SAFE_PATHS: the matcher tries at most that many, whatever the
 *     value's length. ([A-Z]{3}|D is not deterministic, but a value can be read only a few
 *     ways.) A bound on the length alone is not enough: (a|a){64} has 2^64 paths.
 * Anything else is refused, with the two positions (or the path counted twice) that make
 * it ambiguous.
 *
 * Character sets are computed exactly: ranges, blocks, and the escapes and categories as
 * ranges, each found once per process by testing every code point (a few milliseconds).
 * Where libxml2 2.9 reads a class otherwise than XSD (rx_class.lax, a subtraction that is
 * not plain), the set is widened to cover both readings, so that what is proved holds for
 * the class libxml2 runs.
 *
 * The analysis itself is bounded: at most RX_MAX_INSNS positions, RX_AN_MAX_ENTRIES set
 * entries and RX_AN_MAX_WORK steps (a pattern past them is refused as too complex to
 * analyse; real patterns stay far below). */

#define RX_SAFE_PATHS 10000
#define RX_AN_MAX_ENTRIES ((size_t)1 << 20)
#define RX_AN_MAX_WORK 50000000UL
#define RX_MAX_CP 0x10FFFFu

/* ---- sets of code points: sorted, disjoint, non-adjacent ranges */

typedef struct rx_set {
	uint32_t (*r)[2];
	size_t n, cap;
	int oom;
} rx_set;

static void set_add(rx_set *s, uint32_t lo, uint32_t hi)
{
	if (s->oom)
		return;
	if (rx_grow(&s->r, &s->cap, s->n, sizeof *s->r) < 0) {
		s->oom = 1;
		return;
	}
	s->r[s->n][0] = lo;
	s->r[s->n][1] = hi;
	s->n++;
}

static void set_norm(rx_set *s)
{
	size_t i, j;

	if (s->n < 2 || s->oom)
		return;
	qsort(s->r, s->n, sizeof *s->r, range_cmp);
	for (i = 1, j = 0; i < s->n; i++) {
		if (s->r[i][0] <= s->r[j][1] + 1) {
			if (s->r[i][1] > s->r[j][1])
				s->r[j][1] = s->r[i][1];
		} else {
			j++;
			s->r[j][0] = s->r[i][0];
			s->r[j][1] = s->r[i][1];
		}
	}
	s->n = j + 1;
}

/* Everything s (normalized) is not, of U+0000..U+10FFFF. */
static void set_not(rx_set *s)
{
	rx_set t = { NULL, 0, 0, 0 };
	uint32_t next = 0;
	size_t i;

	if (s->oom)
		return;
	for (i = 0; i < s->n; i++) {
		if (s->r[i][0] > next)
			set_add(&t, next, s->r[i][0] - 1);
		next = s->r[i][1] + 1;
	}
	if (next <= RX_MAX_CP)
		set_add(&t, next, RX_MAX_CP);
	free(s->r);
	*s = t;
}

/* a = a minus b (both normalized). */
static void set_minus(rx_set *a, const rx_set *b)
{
	rx_set nb = { NULL, 0, 0, 0 }, t = { NULL, 0, 0, 0 };
	size_t i = 0, j = 0;

	if (a->oom || b->oom) {
		a->oom = 1;
		return;
	}
	for (i = 0; i < b->n; i++)
		set_add(&nb, b->r[i][0], b->r[i][1]);
	set_not(&nb);
	/* the intersection of a and not-b */
	for (i = 0; i < a->n && j < nb.n;) {
		uint32_t lo = a->r[i][0] > nb.r[j][0] ? a->r[i][0] : nb.r[j][0];
		uint32_t hi = a->r[i][1] < nb.r[j][1] ? a->r[i][1] : nb.r[j][1];

		if (lo <= hi)
			set_add(&t, lo, hi);
		if (a->r[i][1] < nb.r[j][1])
			i++;
		else
			j++;
	}
	if (nb.oom)
		t.oom = 1;
	free(nb.r);
	free(a->r);
	*a = t;
}

/* The code points of a predicate (an escape or a category), as ranges, found once per
 * process by testing every code point, and never changed once published (compiled
 * analyses of many threads read them). NULL when the pool is full: then the caller
 * assumes every code point. */
#define RX_PSCAN_POOL 32768
static struct rx_pscan {
	rx_pred fn;
	size_t off, n;
} pscan[64];
static size_t pscan_n;
static uint32_t pscan_pool[RX_PSCAN_POOL][2];
static size_t pscan_used;
static pthread_mutex_t pscan_mu = PTHREAD_MUTEX_INITIALIZER;

static const uint32_t (*pred_ranges(rx_pred fn, size_t *n))[2]
{
	/* the two that every other pattern uses, known without a scan */
	static const uint32_t space[][2] = { { 0x09, 0x0A }, { 0x0D, 0x0D }, { 0x20, 0x20 } };
	static const uint32_t any[][2] = { { 0, 0x09 }, { 0x0B, 0x0C }, { 0x0E, RX_MAX_CP } };
	const uint32_t (*found)[2] = NULL;
	size_t i, k;
	uint32_t c;
	int in = 0;

	if (fn == is_space || fn == is_any) {
		*n = 3;
		return fn == is_space ? space : any;
	}
	pthread_mutex_lock(&pscan_mu);
	for (i = 0; i < pscan_n && found == NULL; i++)
		if (pscan[i].fn == fn) {
			found = (const uint32_t (*)[2])pscan_pool + pscan[i].off;
			*n = pscan[i].n;
		}
	if (found == NULL && pscan_n < RD_ARRAY_LEN(pscan)) {
		k = pscan_used;
		for (c = 0; c <= RX_MAX_CP; c++) {
			int m = fn((int)c) > 0;

			if (m && !in) {
				if (k == RX_PSCAN_POOL)
					break;
				pscan_pool[k++][0] = c;
			}
			if (m)
				pscan_pool[k - 1][1] = c;
			in = m;
		}
		if (c > RX_MAX_CP) {
			pscan[pscan_n].fn = fn;
			pscan[pscan_n].off = pscan_used;
			pscan[pscan_n].n = k - pscan_used;
			found = (const uint32_t (*)[2])pscan_pool + pscan_used;
			*n = k - pscan_used;
			pscan_used = k;
			pscan_n++;
		}
	}
	pthread_mutex_unlock(&pscan_mu);
	return found;
}

/* Add the items of class k (not its negation or subtraction) to s. */
static void class_items_set(const rx_class *k, rx_set *s)
{
	size_t i, j, n;

	for (i = 0; i < k->nrng; i++)
		set_add(s, k->rng[i][0], k->rng[i][1]);
	for (i = 0; i < k->nitems; i++) {
		const rx_item *it = &k->items[i];
		rx_set t = { NULL, 0, 0, 0 };
		const uint32_t (*r)[2] = NULL;

		if (it->fn != NULL) {
			r = pred_ranges(it->fn, &n);
			if (r == NULL)
				set_add(&t, 0, RX_MAX_CP);
		} else if (it->ranges != NULL) {
			r = it->ranges;
			n = (size_t)it->nranges;
		} else {
			set_add(&t, it->lo, it->hi);
		}
		for (j = 0; r != NULL && j < n; j++)
			set_add(&t, r[j][0], r[j][1]);
		set_norm(&t);
		if (it->neg)
			set_not(&t);
		for (j = 0; j < t.n; j++)
			set_add(s, t.r[j][0], t.r[j][1]);
		if (t.oom)
			s->oom = 1;
		free(t.r);
	}
	set_norm(s);
}

/* The characters class k may match, in XSD's reading and in libxml2 2.9's. */
static void class_set(const rx_class *classes, const rx_class *k, rx_set *s)
{
	const rx_class *sub;

	if (k->lax) {
		set_add(s, 0, RX_MAX_CP);
		return;
	}
	class_items_set(k, s);
	if (k->sub < 0) {
		if (k->neg)
			set_not(s);
		return;
	}
	sub = &classes[k->sub];
	if (!sub->neg && sub->sub < 0 && !sub->lax) {
		/* [^a-z-[aeiou]]: both read it as (not a-z) minus the vowels */
		rx_set t = { NULL, 0, 0, 0 };

		if (k->neg)
			set_not(s);
		class_items_set(sub, &t);
		set_minus(s, &t);
		free(t.r);
		return;
	}
	if (k->neg) {
		/* libxml2 only takes away from not-items ([^a-[^b]] is not a) */
		set_not(s);
		return;
	}
	/* libxml2 adds the items of a negated subtracted class ([a-[^b]] is a or b): all of
	 * them, at any depth */
	for (; sub != NULL; sub = sub->sub >= 0 ? &classes[sub->sub] : NULL) {
		if (sub->lax) {
			set_add(s, 0, RX_MAX_CP);
			break;
		}
		class_items_set(sub, s);
	}
	set_norm(s);
}

/* ---- the positions and their sets */

/* An entry of a set of positions: a position and how many ways it is there (1, or 2 for
 * "more than one"). */
typedef struct rx_pm {
	int pos;
	int m;
} rx_pm;

/* What a part of the pattern gives: how many ways it matches the empty string (0, 1, 2
 * for more), and its First and Last sets (ranges of the pool). */
typedef struct rx_gl {
	int null;
	size_t f, nf, l, nl;
} rx_gl;

/* Follow entries made by one place of the pattern: every position of one set (Last of a
 * part) is followed by every position of another (First of what comes next). */
typedef struct rx_prod {
	size_t l, nl, f, nf;
} rx_prod;

/* What the analysis knows of a class: its ASCII part as bits, the rest as ranges. */
typedef struct rx_aclass {
	uint64_t ascii[2];
	uint32_t (*hi)[2];
	size_t nhi;
	int done;
} rx_aclass;

typedef struct rx_an {
	rx_parser *P;
	rx_aclass *ac;      /* per class, computed when a position uses it */
	size_t *npos_memo;  /* per node: positions once written out (SIZE_MAX: not known) */
	signed char *null_memo; /* per node without positions: null (-1: not known) */
	int *pos_node;      /* per position: its CLASS node, or -1 (START, END) */
	size_t npos, cappos;
	rx_pm *pool;
	size_t npool, cappool;
	rx_prod *prods;
	size_t nprods, capprods;
	unsigned long work;
	int infinite;       /* an unbounded repetition of a part with positions */
	int failed;         /* 1: too complex to analyse, -1: out of memory */
} rx_an;

#define RX_START 0

static int sat2(long v)
{
	return v > 2 ? 2 : (int)v;
}

static int an_fail(rx_an *A, int why)
{
	if (A->failed == 0)
		A->failed = why;
	return -1;
}

static int an_work(rx_an *A, unsigned long n)
{
	A->work += n;
	return A->work > RX_AN_MAX_WORK ? an_fail(A, 1) : 0;
}

static int an_push(rx_an *A, int pos, int m)
{
	if (A->npool >= RX_AN_MAX_ENTRIES)
		return an_fail(A, 1);
	if (rx_grow(&A->pool, &A->cappool, A->npool, sizeof *A->pool) < 0)
		return an_fail(A, -1);
	A->pool[A->npool].pos = pos;
	A->pool[A->npool].m = m;
	A->npool++;
	return 0;
}

/* Append the set at off (n entries), each multiplicity times mul. */
static int an_copy(rx_an *A, size_t off, size_t n, int mul)
{
	size_t i;

	if (mul == 0)
		return 0;
	if (an_work(A, n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (an_push(A, A->pool[off + i].pos, sat2((long)A->pool[off + i].m * mul)) < 0)
			return -1;
	return 0;
}

static int an_prod(rx_an *A, size_t l, size_t nl, size_t f, size_t nf)
{
	if (nl == 0 || nf == 0)
		return 0;
	if (A->nprods >= RX_AN_MAX_ENTRIES)
		return an_fail(A, 1);
	if (rx_grow(&A->prods, &A->capprods, A->nprods, sizeof *A->prods) < 0)
		return an_fail(A, -1);
	A->prods[A->nprods].l = l;
	A->prods[A->nprods].nl = nl;
	A->prods[A->nprods].f = f;
	A->prods[A->nprods].nf = nf;
	A->nprods++;
	return 0;
}

static int an_newpos(rx_an *A, int node)
{
	if (rx_grow(&A->pos_node, &A->cappos, A->npos, sizeof *A->pos_node) < 0)
		return an_fail(A, -1);
	A->pos_node[A->npos] = node;
	return (int)A->npos++;
}

/* Positions of node n once its counted repetitions are written out (saturated). */
static size_t an_npos(rx_an *A, int n)
{
	const rx_node *nd = &A->P->nodes[n];
	size_t s = 0;
	int c;

	if (A->npos_memo[n] != SIZE_MAX)
		return A->npos_memo[n];
	switch (nd->type) {
	case RX_N_CLASS:
		s = 1;
		break;
	case RX_N_CAT:
	case RX_N_ALT:
		for (c = nd->child; c >= 0; c = A->P->nodes[c].next)
			s = sat_add(s, an_npos(A, c));
		break;
	case RX_N_REPEAT:
		s = an_npos(A, nd->child);
		s = sat_mul(s, nd->max < 0 ? (size_t)(nd->min > 1 ? nd->min : 1) : (size_t)nd->max);
		break;
	}
	A->npos_memo[n] = s;
	return s;
}

/* x^n, saturated at 2. */
static int null_pow(int x, int n)
{
	if (n == 0)
		return 1;
	return x;
}

/* The ways node n (which has no position) matches the empty string. */
static int an_null0(rx_an *A, int n)
{
	const rx_node *nd = &A->P->nodes[n];
	int v = 0, x, c;

	if (A->null_memo[n] >= 0)
		return A->null_memo[n];
	switch (nd->type) {
	case RX_N_CAT:
		v = 1;
		for (c = nd->child; c >= 0; c = A->P->nodes[c].next)
			v = sat2((long)v * an_null0(A, c));
		break;
	case RX_N_ALT:
		for (c = nd->child; c >= 0; c = A->P->nodes[c].next)
			v = sat2((long)v + an_null0(A, c));
		break;
	case RX_N_REPEAT:
		x = an_null0(A, nd->child);
		if (nd->max < 0 && nd->min == 0)
			v = sat2(1L + x); /* no iteration, or one that matches nothing */
		else if (nd->max < 0)
			v = null_pow(x, nd->min);
		else
			/* the required copies, then the nested optional ones (skipped, or not) */
			v = sat2((long)null_pow(x, nd->min) * (nd->max > nd->min ? 1 + x : 1));
		break;
	default:
		v = 0;
		break;
	}
	A->null_memo[n] = (signed char)v;
	return v;
}

static int an_walk(rx_an *A, int n, rx_gl *out);

/* The concatenation acc then g, into acc (Follow entries: Last(acc) then First(g)). */
static int an_cat(rx_an *A, rx_gl *acc, const rx_gl *g)
{
	rx_gl r;

	if (g->nf == 0 && g->nl == 0 && g->null == 1)
		return 0; /* a part that only matches the empty string, one way: nothing changes */
	if (an_prod(A, acc->l, acc->nl, g->f, g->nf) < 0)
		return -1;
	r.null = sat2((long)acc->null * g->null);
	if (acc->null == 0 || g->nf == 0) {
		r.f = acc->f;
		r.nf = acc->nf;
	} else {
		r.f = A->npool;
		if (an_copy(A, acc->f, acc->nf, 1) < 0 || an_copy(A, g->f, g->nf, acc->null) < 0)
			return -1;
		r.nf = A->npool - r.f;
	}
	if (g->null == 0 || acc->nl == 0) {
		r.l = g->l;
		r.nl = g->nl;
	} else {
		r.l = A->npool;
		if (an_copy(A, g->l, g->nl, 1) < 0 || an_copy(A, acc->l, acc->nl, g->null) < 0)
			return -1;
		r.nl = A->npool - r.l;
	}
	*acc = r;
	return 0;
}

/* The part g made optional: skipped, or taken. */
static void an_opt(rx_gl *g)
{
	g->null = sat2(1L + g->null);
}

/* The part g repeated (one more time after itself). */
static int an_loop(rx_an *A, const rx_gl *g)
{
	A->infinite = 1;
	return an_prod(A, g->l, g->nl, g->f, g->nf);
}

static int an_repeat(rx_an *A, int n, rx_gl *out)
{
	const rx_node *nd = &A->P->nodes[n];
	rx_gl acc = { 1, 0, 0, 0, 0 }, g, *opt = NULL;
	int i, k;

	if (nd->max < 0 && nd->min == 0) {
		/* E*: no iteration (or one that matched nothing), or E again and again */
		if (an_walk(A, nd->child, &g) < 0 || an_loop(A, &g) < 0)
			return -1;
		g.null = sat2(1L + g.null);
		*out = g;
		return 0;
	}
	/* the required copies; E{n,} loops on its last one */
	for (i = 0; i < nd->min; i++) {
		if (an_walk(A, nd->child, &g) < 0)
			return -1;
		if (nd->max < 0 && i == nd->min - 1 && an_loop(A, &g) < 0)
			return -1;
		if (an_cat(A, &acc, &g) < 0)
			return -1;
	}
	if (nd->max > nd->min) {
		/* (E (E (E)?)?)?: written out left to right, then nested from the right */
		k = nd->max - nd->min;
		opt = malloc((size_t)k * sizeof *opt);
		if (opt == NULL)
			return an_fail(A, -1);
		for (i = 0; i < k; i++)
			if (an_walk(A, nd->child, &opt[i]) < 0) {
				free(opt);
				return -1;
			}
		for (i = k - 1; i >= 0; i--) {
			if (i < k - 1 && an_cat(A, &opt[i], &opt[i + 1]) < 0) {
				free(opt);
				return -1;
			}
			an_opt(&opt[i]);
		}
		if (an_cat(A, &acc, &opt[0]) < 0) {
			free(opt);
			return -1;
		}
		free(opt);
	}
	*out = acc;
	return 0;
}

static int an_walk(rx_an *A, int n, rx_gl *out)
{
	const rx_node *nd = &A->P->nodes[n];
	rx_gl acc = { 1, 0, 0, 0, 0 }, g;
	int c, p;

	if (an_work(A, 1) < 0)
		return -1;
	if (an_npos(A, n) == 0) {
		out->null = an_null0(A, n);
		out->nf = out->nl = 0;
		out->f = out->l = 0;
		return 0;
	}
	switch (nd->type) {
	case RX_N_CLASS:
		p = an_newpos(A, n);
		if (p < 0)
			return -1;
		out->null = 0;
		out->f = out->l = A->npool;
		out->nf = out->nl = 1;
		return an_push(A, p, 1);
	case RX_N_CAT:
		for (c = nd->child; c >= 0; c = A->P->nodes[c].next)
			if (an_walk(A, c, &g) < 0 || an_cat(A, &acc, &g) < 0)
				return -1;
		*out = acc;
		return 0;
	case RX_N_ALT: {
		/* the branches' sets side by side: their positions are all different */
		size_t nb = 0, i;
		rx_gl *b;
		int ok = 0;

		for (c = nd->child; c >= 0; c = A->P->nodes[c].next)
			nb++;
		b = malloc(nb * sizeof *b);
		if (b == NULL)
			return an_fail(A, -1);
		for (c = nd->child, i = 0; c >= 0 && ok == 0; c = A->P->nodes[c].next, i++)
			ok = an_walk(A, c, &b[i]);
		if (ok == 0) {
			out->null = 0;
			out->f = A->npool;
			for (i = 0; i < nb && ok == 0; i++) {
				out->null = sat2((long)out->null + b[i].null);
				ok = an_copy(A, b[i].f, b[i].nf, 1);
			}
			out->nf = A->npool - out->f;
			out->l = A->npool;
			for (i = 0; i < nb && ok == 0; i++)
				ok = an_copy(A, b[i].l, b[i].nl, 1);
			out->nl = A->npool - out->l;
		}
		free(b);
		return ok;
	}
	case RX_N_REPEAT:
		return an_repeat(A, n, out);
	default:
		return an_fail(A, 1);
	}
}

/* ---- the verdict */

/* What the analysis needs of class k, computed once. */
static const rx_aclass *an_class(rx_an *A, int k)
{
	rx_aclass *a = &A->ac[k];
	rx_set s = { NULL, 0, 0, 0 };
	size_t i;

	if (a->done)
		return a;
	class_set(A->P->classes, &A->P->classes[k], &s);
	if (s.oom) {
		free(s.r);
		an_fail(A, -1);
		return NULL;
	}
	for (i = 0; i < s.n; i++) {
		uint32_t c;

		for (c = s.r[i][0]; c <= s.r[i][1] && c < 128; c++)
			a->ascii[c >> 6] |= UINT64_C(1) << (c & 63);
	}
	/* keep the ranges above ASCII, cut at 128 */
	for (i = 0; i < s.n && s.r[i][1] < 128; i++)
		;
	a->nhi = s.n - i;
	if (a->nhi > 0) {
		memmove(s.r, s.r + i, a->nhi * sizeof *s.r);
		if (s.r[0][0] < 128)
			s.r[0][0] = 128;
		a->hi = s.r;
	} else {
		free(s.r);
	}
	a->done = 1;
	return a;
}

/* A position for people: "'[^@\s]' (character 12)". */
static void an_desc(const rx_an *A, int p, char *buf, size_t size)
{
	const unsigned char *s, *q;
	size_t len, cut, col = 1;
	int node = A->pos_node[p];

	if (node < 0) {
		snprintf(buf, size, "%s", p == RX_START ? "the start" : "the end");
		return;
	}
	s = A->P->src + A->P->nodes[node].src;
	len = (size_t)A->P->nodes[node].srclen;
	for (q = A->P->src; q < s; q++)
		if ((*q & 0xC0) != 0x80)
			col++;
	cut = len > 24 ? 24 : len;
	while (cut > 0 && cut < len && (s[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(buf, size, "'%.*s%s' (character %zu)", (int)cut, (const char *)s,
	         cut < len ? "..." : "", col);
}

static void an_char(uint32_t c, char *buf, size_t size)
{
	if (c > 0x20 && c < 0x7F && c != '\'')
		snprintf(buf, size, "'%c'", (int)c);
	else if (c == ' ')
		snprintf(buf, size, "a space");
	else
		snprintf(buf, size, "U+%04X", (unsigned)c);
}

typedef struct rx_span {
	uint32_t lo, hi;
	int pos;
} rx_span;

static int span_cmp(const void *a, const void *b)
{
	const rx_span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The working state of the verdict: Follow(p) gathered with multiplicities. */
typedef struct rx_follow {
	size_t *first;   /* per position: its entries in prod/mult, from first[p] to first[p + 1] */
	size_t *prod;
	int *mult;
	int *cnt;        /* per position: its multiplicity in the set gathered (0: absent) */
	int *touched;    /* the positions of the set gathered */
	size_t ntouched;
	rx_span *spans;
	size_t capspans;
} rx_follow;

/* Gather Follow(p) (First of the pattern for START) into F->touched and F->cnt. */
static int an_gather(rx_an *A, rx_follow *F, int p)
{
	size_t e, i;

	F->ntouched = 0;
	for (e = F->first[p]; e < F->first[p + 1]; e++) {
		const rx_prod *pr = &A->prods[F->prod[e]];

		if (an_work(A, pr->nf) < 0)
			return -1;
		for (i = 0; i < pr->nf; i++) {
			const rx_pm *q = &A->pool[pr->f + i];

			if (F->cnt[q->pos] == 0)
				F->touched[F->ntouched++] = q->pos;
			F->cnt[q->pos] = sat2(F->cnt[q->pos] + (long)F->mult[e] * q->m);
		}
	}
	return 0;
}

static void an_clear(rx_follow *F)
{
	size_t i;

	for (i = 0; i < F->ntouched; i++)
		F->cnt[F->touched[i]] = 0;
	F->ntouched = 0;
}

/* Does the gathered Follow(p) keep a matcher on one way? 0 yes, 1 no (why says how), -1
 * out of memory or past the bounds. */
static int an_check(rx_an *A, rx_follow *F, int p, char why[256])
{
	uint64_t acc[2] = { 0, 0 };
	char a[64], b[64], c[64], w[16];
	size_t i, j, ns = 0;
	int x = -1, y = -1;
	uint32_t wit = 0;

	for (i = 0; i < F->ntouched; i++) {
		int q = F->touched[i];

		if (F->cnt[q] < 2)
			continue;
		an_desc(A, q, a, sizeof a);
		an_desc(A, p, b, sizeof b);
		if (p == RX_START && A->pos_node[q] < 0)
			snprintf(why, 256, "the empty string matches it in more than one way");
		else if (p == RX_START)
			snprintf(why, 256, "%s can start a match in more than one way", a);
		else if (A->pos_node[q] < 0)
			snprintf(why, 256, "a match can end after %s in more than one way", b);
		else
			snprintf(why, 256, "%s can follow %s in more than one way", a, b);
		snprintf(why + strlen(why), 256 - strlen(why),
		         " (a part repeated inside a repetition, or that can match nothing in two ways, "
		         "as in (a*)* or (a?)?)");
		return 1;
	}
	/* the ASCII characters, as bits */
	for (i = 0; i < F->ntouched && x < 0; i++) {
		int node = A->pos_node[F->touched[i]];
		const rx_aclass *k;

		if (node < 0)
			continue;
		k = an_class(A, A->P->nodes[node].cls);
		if (k == NULL)
			return -1;
		if ((acc[0] & k->ascii[0]) | (acc[1] & k->ascii[1])) {
			for (j = 0; j < i; j++) {
				int n2 = A->pos_node[F->touched[j]];
				const rx_aclass *k2;
				uint64_t m0, m1;

				if (n2 < 0)
					continue;
				k2 = an_class(A, A->P->nodes[n2].cls);
				m0 = k2->ascii[0] & k->ascii[0];
				m1 = k2->ascii[1] & k->ascii[1];
				if (m0 | m1) {
					x = F->touched[j];
					y = F->touched[i];
					wit = m0 ? (uint32_t)__builtin_ctzll(m0) : 64 + (uint32_t)__builtin_ctzll(m1);
					break;
				}
			}
		}
		acc[0] |= k->ascii[0];
		acc[1] |= k->ascii[1];
		ns += k->nhi;
	}
	/* the rest, as ranges sorted by their start: an overlap shows as a start before the
	 * end of an earlier range of another position */
	if (x < 0 && ns > 1) {
		uint32_t maxhi = 0;
		int owner = -1;

		if (an_work(A, ns) < 0)
			return -1;
		if (ns > F->capspans) {
			rx_span *sp = realloc(F->spans, ns * sizeof *sp);

			if (sp == NULL)
				return an_fail(A, -1);
			F->spans = sp;
			F->capspans = ns;
		}
		ns = 0;
		for (i = 0; i < F->ntouched; i++) {
			int node = A->pos_node[F->touched[i]];
			const rx_aclass *k;

			if (node < 0)
				continue;
			k = &A->ac[A->P->nodes[node].cls];
			for (j = 0; j < k->nhi; j++) {
				F->spans[ns].lo = k->hi[j][0];
				F->spans[ns].hi = k->hi[j][1];
				F->spans[ns].pos = F->touched[i];
				ns++;
			}
		}
		qsort(F->spans, ns, sizeof *F->spans, span_cmp);
		for (i = 0; i < ns; i++) {
			if (owner >= 0 && F->spans[i].lo <= maxhi && owner != F->spans[i].pos) {
				x = owner;
				y = F->spans[i].pos;
				wit = F->spans[i].lo;
				break;
			}
			if (owner < 0 || F->spans[i].hi > maxhi) {
				maxhi = F->spans[i].hi;
				owner = F->spans[i].pos;
			}
		}
	}
	if (x < 0)
		return 0;
	if (x > y) {
		int t = x;

		x = y;
		y = t;
	}
	an_desc(A, x, a, sizeof a);
	an_desc(A, y, b, sizeof b);
	an_char(wit, w, sizeof w);
	if (p == RX_START) {
		snprintf(why, 256, "%s and %s can both match %s at the start", a, b, w);
	} else {
		an_desc(A, p, c, sizeof c);
		snprintf(why, 256, "%s and %s can both match %s after %s", a, b, w, c);
	}
	return 1;
}

static int same_list(const rx_follow *F, int p, int q)
{
	size_t n = F->first[p + 1] - F->first[p], i;

	if (n == 0 || n != F->first[q + 1] - F->first[q])
		return 0;
	for (i = 0; i < n; i++)
		if (F->prod[F->first[p] + i] != F->prod[F->first[q] + i] ||
		    F->mult[F->first[p] + i] != F->mult[F->first[q] + i])
			return 0;
	return 1;
}

/* (a), then (b) when (a) fails on a finite pattern. 1, 0 (why), -1. */
static int an_decide(rx_an *A, char why[256])
{
	rx_follow F;
	size_t i, j, total = 0, *fill = NULL, *paths = NULL;
	int p, prev = -1, rc = 1;

	memset(&F, 0, sizeof F);
	F.first = calloc(A->npos + 1, sizeof *F.first);
	F.cnt = calloc(A->npos, sizeof *F.cnt);
	F.touched = malloc(A->npos * sizeof *F.touched);
	fill = malloc((A->npos + 1) * sizeof *fill);
	if (F.first == NULL || F.cnt == NULL || F.touched == NULL || fill == NULL) {
		rc = an_fail(A, -1);
		goto done;
	}
	/* who follows whom: for each position, the places of the pattern that give it Follow
	 * entries (counting sort of every Last entry of every place) */
	for (i = 0; i < A->nprods; i++) {
		total += A->prods[i].nl;
		if (total > RX_AN_MAX_ENTRIES || an_work(A, A->prods[i].nl) < 0) {
			rc = an_fail(A, 1);
			goto done;
		}
		for (j = 0; j < A->prods[i].nl; j++)
			F.first[A->pool[A->prods[i].l + j].pos + 1]++;
	}
	for (i = 0; i < A->npos; i++)
		F.first[i + 1] += F.first[i];
	memcpy(fill, F.first, (A->npos + 1) * sizeof *fill);
	F.prod = malloc((total ? total : 1) * sizeof *F.prod);
	F.mult = malloc((total ? total : 1) * sizeof *F.mult);
	if (F.prod == NULL || F.mult == NULL) {
		rc = an_fail(A, -1);
		goto done;
	}
	for (i = 0; i < A->nprods; i++)
		for (j = 0; j < A->prods[i].nl; j++) {
			const rx_pm *e = &A->pool[A->prods[i].l + j];

			F.prod[fill[e->pos]] = i;
			F.mult[fill[e->pos]] = e->m;
			fill[e->pos]++;
		}
	/* (a): every Follow set (consecutive positions often have the same one) */
	for (p = 0; p < (int)A->npos && rc == 1; p++) {
		if (F.first[p + 1] == F.first[p])
			continue;
		if (prev >= 0 && same_list(&F, p, prev))
			continue;
		prev = p;
		if (an_gather(A, &F, p) < 0) {
			rc = -1;
			break;
		}
		rc = an_check(A, &F, p, why);
		an_clear(&F);
		rc = rc == 0 ? 1 : rc == 1 ? 0 : -1;
	}
	if (rc != 0 || A->infinite)
		goto done;
	/* (b): finite, so every Follow entry goes forward: count the ways from the end */
	paths = calloc(A->npos, sizeof *paths);
	if (paths == NULL) {
		rc = an_fail(A, -1);
		goto done;
	}
	for (p = (int)A->npos - 1; p >= 0; p--) {
		size_t sum = 0;

		if (an_gather(A, &F, p) < 0) {
			rc = -1;
			goto done;
		}
		for (i = 0; i < F.ntouched; i++) {
			sum += (size_t)F.cnt[F.touched[i]] * (1 + paths[F.touched[i]]);
			if (sum > RX_SAFE_PATHS)
				sum = RX_SAFE_PATHS + 1;
		}
		paths[p] = sum;
		an_clear(&F);
	}
	if (paths[RX_START] <= RX_SAFE_PATHS) {
		why[0] = '\0';
		rc = 1;
	} else
		snprintf(why + strlen(why), 256 - strlen(why),
		         "; its values have a bounded length, but can be read in more than %d ways",
		         RX_SAFE_PATHS);
done:
	free(F.first);
	free(F.cnt);
	free(F.touched);
	free(F.prod);
	free(F.mult);
	free(F.spans);
	free(fill);
	free(paths);
	return A->failed ? -1 : rc;
}

int rd__regex_backtrack_safe(const char *src, char why[256])
{
	rx_parser P;
	rx_an A;
	rx_gl g;
	char err[256];
	size_t i, f, s, e;
	int root, endp, rc;

	why[0] = '\0';
	err[0] = '\0';
	memset(&P, 0, sizeof P);
	memset(&A, 0, sizeof A);
	P.src = P.p = (const unsigned char *)(src ? src : "");
	P.err = err;
	root = parse_regexp(&P);
	if (root >= 0 && *P.p != '\0')
		perr(&P, "unmatched ')'");
	if (P.failed || root < 0) {
		parser_free(&P);
		if (strcmp(err, "out of memory") == 0)
			return -1;
		snprintf(why, 256, "rahdari cannot read it: %.200s", err[0] ? err : "invalid");
		return 0;
	}
	for (i = 0; i < P.nclasses; i++)
		if (class_finish(&P.classes[i]) < 0) {
			parser_free(&P);
			return -1;
		}
	A.P = &P;
	A.npos_memo = malloc(P.nnodes * sizeof *A.npos_memo);
	A.null_memo = malloc(P.nnodes);
	A.ac = calloc(P.nclasses ? P.nclasses : 1, sizeof *A.ac);
	if (A.npos_memo == NULL || A.null_memo == NULL || A.ac == NULL) {
		rc = -1;
		goto done;
	}
	for (i = 0; i < P.nnodes; i++) {
		A.npos_memo[i] = SIZE_MAX;
		A.null_memo[i] = -1;
	}
	if (an_npos(&A, root) > RX_MAX_INSNS) {
		snprintf(why, 256,
		         "too large to analyse: more than %d character classes once its counted "
		         "repetitions are written out (for a long length limit, use xs:maxLength)",
		         RX_MAX_INSNS);
		rc = 0;
		goto done;
	}
	/* START, the pattern, END; START is followed by First (and by END when the pattern
	 * matches the empty string), Last by END */
	if (an_newpos(&A, -1) < 0 || an_walk(&A, root, &g) < 0 || (endp = an_newpos(&A, -1)) < 0) {
		rc = -1;
		goto done;
	}
	f = A.npool;
	if (an_copy(&A, g.f, g.nf, 1) < 0 || (g.null && an_push(&A, endp, g.null) < 0)) {
		rc = -1;
		goto done;
	}
	s = A.npool;
	e = s + 1;
	if (an_push(&A, RX_START, 1) < 0 || an_push(&A, endp, 1) < 0 ||
	    an_prod(&A, s, 1, f, s - f) < 0 || an_prod(&A, g.l, g.nl, e, 1) < 0) {
		rc = -1;
		goto done;
	}
	rc = an_decide(&A, why);
done:
	if (A.failed == 1) {
		snprintf(why, 256, "too complex to analyse (more than %lu steps or %zu set entries)",
		         RX_AN_MAX_WORK, RX_AN_MAX_ENTRIES);
		rc = 0;
	} else if (A.failed < 0) {
		rc = -1;
	}
	for (i = 0; A.ac != NULL && i < P.nclasses; i++)
		free(A.ac[i].hi);
	free(A.ac);
	free(A.npos_memo);
	free(A.null_memo);
	free(A.pos_node);
	free(A.pool);
	free(A.prods);
	parser_free(&P);
	return rc;
}
