/* rahdari: Pakistani CNIC numbers, and names as ICAO machine-readable zones write them.
 *
 * CNIC facts (domain brief 4.9, after python-stdnum and NADRA descriptions, [S]):
 * 13 digits written #####-#######-#; the first digit is the province or region of
 * registration (1 to 7 known); the last is odd for men and even for women; there is
 * no check digit. Names follow ICAO Doc 9303 Part 3: upper case, apostrophes dropped,
 * hyphens and spaces between components written '<', Latin diacritics transliterated
 * (section 6 of Part 3). Arabic-script names are not transliterated here: compare the
 * Latin form printed in the passport.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- CNIC */

static const char *const provinces[10] = {
	NULL,
	"Khyber Pakhtunkhwa",
	"Federally Administered Tribal Areas (merged into Khyber Pakhtunkhwa)",
	"Punjab",
	"Sindh",
	"Balochistan",
	"Islamabad Capital Territory",
	"Gilgit-Baltistan",
	NULL,
	NULL,
};

int rd_cnic_parse(const char *text, rd_cnic *out)
{
	const char *p, *e;
	char d[14];
	size_t n = 0, len;
	unsigned int version;

	if (out == NULL)
		return 0;
	version = out->version;
	memset(out, 0, sizeof *out);
	out->version = version;
	out->province_digit = -1;
	if (version != RD_CNIC_VERSION) {
		/* the fields of version 1 are in every version: safe to write */
		rd__error_set(RD_EINVAL, NULL, 0, 0,
		              "rd_cnic_parse: rd_cnic version %u is not supported (this library "
		              "writes version %u; initialise the struct with RD_CNIC_INIT)",
		              version, RD_CNIC_VERSION);
		out->error = "rd_cnic of another version (initialise it with RD_CNIC_INIT)";
		return 0;
	}
	if (text == NULL) {
		out->error = "no CNIC number";
		return 0;
	}
	p = text;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	len = (size_t)(e - p);
	if (len == 15) {
		/* #####-#######-# */
		size_t i;

		for (i = 0; i < 15; i++) {
			if (i == 5 || i == 13) {
				if (p[i] != '-') {
					out->error = "a CNIC is written #####-#######-# or as 13 digits";
					return 0;
				}
			} else if (p[i] >= '0' && p[i] <= '9') {
				d[n++] = p[i];
			} else {
				out->error = "a CNIC holds only digits (and two dashes)";
				return 0;
			}
		}
	} else if (len == 13) {
		size_t i;

		for (i = 0; i < 13; i++) {
			if (p[i] < '0' || p[i] > '9') {
				out->error = "a CNIC holds only digits (and two dashes)";
				return 0;
			}
			d[n++] = p[i];
		}
	} else {
		out->error = "a CNIC has 13 digits, written #####-#######-#";
		return 0;
	}
	d[13] = '\0';
	memcpy(out->digits, d, 14);
	memcpy(out->formatted, d, 5);
	out->formatted[5] = '-';
	memcpy(out->formatted + 6, d + 5, 7);
	out->formatted[13] = '-';
	out->formatted[14] = d[12];
	out->formatted[15] = '\0';
	out->province_digit = d[0] - '0';
	out->province = provinces[out->province_digit];
	if (d[12] != '0')
		out->gender = (d[12] - '0') % 2 ? 'M' : 'F';
	if (out->province == NULL) {
		out->error = "the first digit (province of registration) is not one of 1 to 7";
		return 0;
	}
	if (d[12] == '0') {
		out->error = "the last digit (gender) is 0: odd is male, even (2 to 8) female";
		return 0;
	}
	out->valid = 1;
	return 1;
}

/* ---------------------------------------------------------------- names */

/* Transliterations of Latin letters with diacritics (Doc 9303 Part 3, section 6),
 * by Unicode code point. alt is the one-letter form some issuers use instead. */
static const struct translit {
	unsigned int cp;
	const char *icao;
	const char *alt;
} translits[] = {
	{ 0xC0, "A", NULL },  { 0xC1, "A", NULL },  { 0xC2, "A", NULL },  { 0xC3, "A", NULL },
	{ 0xC4, "AE", "A" },  { 0xC5, "AA", "A" },  { 0xC6, "AE", NULL }, { 0xC7, "C", NULL },
	{ 0xC8, "E", NULL },  { 0xC9, "E", NULL },  { 0xCA, "E", NULL },  { 0xCB, "E", NULL },
	{ 0xCC, "I", NULL },  { 0xCD, "I", NULL },  { 0xCE, "I", NULL },  { 0xCF, "I", NULL },
	{ 0xD0, "D", NULL },  { 0xD1, "N", NULL },  { 0xD2, "O", NULL },  { 0xD3, "O", NULL },
	{ 0xD4, "O", NULL },  { 0xD5, "O", NULL },  { 0xD6, "OE", "O" },  { 0xD8, "OE", "O" },
	{ 0xD9, "U", NULL },  { 0xDA, "U", NULL },  { 0xDB, "U", NULL },  { 0xDC, "UE", "U" },
	{ 0xDD, "Y", NULL },  { 0xDE, "TH", NULL }, { 0xDF, "SS", NULL }, { 0x100, "A", NULL },
	{ 0x102, "A", NULL }, { 0x104, "A", NULL }, { 0x106, "C", NULL }, { 0x108, "C", NULL },
	{ 0x10A, "C", NULL }, { 0x10C, "C", NULL }, { 0x10E, "D", NULL }, { 0x110, "D", NULL },
	{ 0x112, "E", NULL }, { 0x114, "E", NULL }, { 0x116, "E", NULL }, { 0x118, "E", NULL },
	{ 0x11A, "E", NULL }, { 0x11C, "G", NULL }, { 0x11E, "G", NULL }, { 0x120, "G", NULL },
	{ 0x122, "G", NULL }, { 0x124, "H", NULL }, { 0x126, "H", NULL }, { 0x128, "I", NULL },
	{ 0x12A, "I", NULL }, { 0x12C, "I", NULL }, { 0x12E, "I", NULL }, { 0x130, "I", NULL },
	{ 0x131, "I", NULL }, { 0x132, "IJ", NULL }, { 0x134, "J", NULL }, { 0x136, "K", NULL },
	{ 0x139, "L", NULL }, { 0x13B, "L", NULL }, { 0x13D, "L", NULL }, { 0x13F, "L", NULL },
	{ 0x141, "L", NULL }, { 0x143, "N", NULL }, { 0x145, "N", NULL }, { 0x147, "N", NULL },
	{ 0x14C, "O", NULL }, { 0x14E, "O", NULL }, { 0x150, "OE", "O" }, { 0x152, "OE", NULL },
	{ 0x154, "R", NULL }, { 0x156, "R", NULL }, { 0x158, "R", NULL }, { 0x15A, "S", NULL },
	{ 0x15C, "S", NULL }, { 0x15E, "S", NULL }, { 0x160, "S", NULL }, { 0x162, "T", NULL },
	{ 0x164, "T", NULL }, { 0x166, "T", NULL }, { 0x168, "U", NULL }, { 0x16A, "U", NULL },
	{ 0x16C, "U", NULL }, { 0x16E, "U", NULL }, { 0x170, "UE", "U" }, { 0x172, "U", NULL },
	{ 0x174, "W", NULL }, { 0x176, "Y", NULL }, { 0x178, "Y", NULL }, { 0x179, "Z", NULL },
	{ 0x17B, "Z", NULL }, { 0x17D, "Z", NULL },
};

static const struct translit *find_translit(unsigned int cp)
{
	size_t i;

	/* lower case Latin-1 letters map like their capitals */
	if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
		cp -= 0x20;
	else if (cp == 0xFF)
		cp = 0x178;
	else if (cp >= 0x100 && cp <= 0x17F && (cp & 1) && cp != 0x131 && cp != 0x138 &&
	         !(cp >= 0x139 && cp <= 0x148) && !(cp >= 0x179 && cp <= 0x17E))
		cp -= 1; /* pairs capital (even) / small (odd) */
	else if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && !(cp & 1))
		cp -= 1; /* in these ranges the capital is odd */
	for (i = 0; i < RD_ARRAY_LEN(translits); i++)
		if (translits[i].cp == cp)
			return &translits[i];
	return NULL;
}

/* Decode one UTF-8 character; returns its length (1 for an invalid byte, cp 0xFFFD). */
static size_t utf8_decode(const unsigned char *p, unsigned int *cp)
{
	uint32_t c;
	size_t n = rd__utf8_decode(p, SIZE_MAX, &c);

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return n;
}

/* Append the MRZ form of a printed name part to b. alt: use one-letter forms (Ä → A).
 * Components are separated by single '<'. */
static void transliterate(rd_buf *b, const char *s, int alt)
{
	const unsigned char *p = (const unsigned char *)s;
	int need_sep = 0;
	size_t start = b->len;

	while (p && *p) {
		unsigned int cp;
		size_t n = utf8_decode(p, &cp);
		const struct translit *t;

		p += n;
		if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x2BC || cp == 0x60)
			continue; /* apostrophes: dropped, no filler */
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
			if (need_sep && b->len > start)
				rd__buf_putc(b, '<');
			need_sep = 0;
			rd__buf_putc(b, (char)(cp >= 'a' ? cp - 32 : cp));
			continue;
		}
		t = find_translit(cp);
		if (t) {
			if (need_sep && b->len > start)
				rd__buf_putc(b, '<');
			need_sep = 0;
			rd__buf_puts(b, alt && t->alt ? t->alt : t->icao);
			continue;
		}
		/* separators: space, hyphen, comma; any other punctuation (full stops too:
		 * "J.R.R." is JRR) is dropped */
		if (cp == ' ' || cp == '-' || cp == ',' || cp == '\t' || cp == 0x2010 || cp == 0x2011 ||
		    cp == 0x2013 || cp == '<')
			need_sep = 1;
	}
}

int rd_name_to_mrz(char **out, const char *surname, const char *given)
{
	rd_buf b;

	if (out == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_name_to_mrz: out is NULL");
	rd__buf_init(&b);
	rd__buf_add(&b, "", 0);
	transliterate(&b, surname, 0);
	if (b.len == 0) {
		/* one name only: it is the primary identifier (Doc 9303 Part 3, 4.6) */
		transliterate(&b, given, 0);
	} else if (given && *given) {
		size_t before = b.len;

		rd__buf_puts(&b, "<<");
		transliterate(&b, given, 0);
		if (b.len == before + 2) {
			b.len = before; /* no given name after all */
			b.data[b.len] = '\0';
		}
	}
	*out = rd__buf_take(&b, NULL);
	return *out ? RD_OK : rd__error_oom();
}

#define MAX_TOKENS 32

typedef struct tokens {
	char *buf;
	const char *t[MAX_TOKENS];
	size_t n;
} tokens;

/* Split an MRZ-form string (components separated by '<') into tokens. */
static void split(tokens *tk, char *s)
{
	char *p = s;

	tk->buf = s;
	tk->n = 0;
	while (*p && tk->n < MAX_TOKENS) {
		while (*p == '<')
			p++;
		if (*p == '\0')
			break;
		tk->t[tk->n++] = p;
		while (*p && *p != '<')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static int cmp_tok(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Augmenting path for MRZ token i (Kuhn's bipartite matching): may[i][j] says MRZ
 * token i can stand for printed token j; owner[j] is the MRZ token given j, or -1. */
static int augment(size_t i, size_t np, const unsigned char may[][MAX_TOKENS], int *owner,
                   unsigned char *seen)
{
	size_t j;

	for (j = 0; j < np; j++) {
		if (!may[i][j] || seen[j])
			continue;
		seen[j] = 1;
		if (owner[j] < 0 || augment((size_t)owner[j], np, may, owner, seen)) {
			owner[j] = (int)i;
			return 1;
		}
	}
	return 0;
}

/* Same components, in any order. For a truncated MRZ name, every MRZ component must be
 * a different printed component or the start of one, and printed components may be
 * left over; the assignment is a matching, so the order of the printed name does not
 * matter. */
static int same_tokens(tokens *printed, tokens *mrz, int truncated)
{
	size_t i, j;
	unsigned char may[MAX_TOKENS][MAX_TOKENS], seen[MAX_TOKENS];
	int owner[MAX_TOKENS];

	if (mrz->n == 0 || printed->n == 0)
		return 0;
	if (!truncated) {
		if (printed->n != mrz->n)
			return 0;
		qsort(printed->t, printed->n, sizeof *printed->t, cmp_tok);
		qsort(mrz->t, mrz->n, sizeof *mrz->t, cmp_tok);
		for (i = 0; i < mrz->n; i++)
			if (strcmp(printed->t[i], mrz->t[i]) != 0)
				return 0;
		return 1;
	}
	if (mrz->n > printed->n)
		return 0;
	for (i = 0; i < mrz->n; i++) {
		size_t len = strlen(mrz->t[i]);

		for (j = 0; j < printed->n; j++)
			may[i][j] = strncmp(printed->t[j], mrz->t[i], len) == 0;
	}
	for (j = 0; j < printed->n; j++)
		owner[j] = -1;
	for (i = 0; i < mrz->n; i++) {
		memset(seen, 0, sizeof seen);
		if (!augment(i, printed->n, (const unsigned char(*)[MAX_TOKENS])may, owner, seen))
			return 0;
	}
	return 1;
}

int rd__name_matches(const char *printed, const char *mrz_name, int truncated)
{
	rd_buf pb, mb;
	tokens pt, mt;
	int alt, match = 0;

	if (printed == NULL || mrz_name == NULL)
		return 0;
	for (alt = 0; alt < 2 && !match; alt++) {
		rd__buf_init(&pb);
		rd__buf_init(&mb);
		rd__buf_add(&pb, "", 0);
		rd__buf_add(&mb, "", 0);
		transliterate(&pb, printed, alt);
		transliterate(&mb, mrz_name, alt);
		if (!pb.oom && !mb.oom) {
			split(&pt, pb.data);
			split(&mt, mb.data);
			match = same_tokens(&pt, &mt, truncated);
		} else {
			match = -1; /* out of memory: no answer (the evaluator fails closed) */
		}
		rd__buf_free(&pb);
		rd__buf_free(&mb);
		if (match < 0)
			break;
	}
	return match;
}

int rd_name_matches(const char *printed, const char *mrz_name)
{
	return rd__name_matches_field(printed, mrz_name) > 0;
}

int rd__name_matches_field(const char *printed, const char *mrz_name)
{
	size_t raw_len;
	int truncated = 0;

	if (printed == NULL || mrz_name == NULL)
		return 0;
	/* the MRZ side: a raw name field, or words; possibly truncated when it fills a field
	 * (30, 31 or 39 characters) and ends in a letter. Without its fillers, a name that
	 * happens to be as long as another format's field cannot be told from a full one:
	 * callers that have the whole MRZ use rd__name_matches with rd_mrz_name_truncated. */
	raw_len = strlen(mrz_name);
	while (raw_len && (mrz_name[raw_len - 1] == ' ' || mrz_name[raw_len - 1] == '\n' ||
	                   mrz_name[raw_len - 1] == '\r'))
		raw_len--;
	if (strchr(mrz_name, '<') && (raw_len == 30 || raw_len == 31 || raw_len == 39) &&
	    mrz_name[raw_len - 1] >= 'A' && mrz_name[raw_len - 1] <= 'Z')
		truncated = 1;
	return rd__name_matches(printed, mrz_name, truncated);
}
