/* rahdari audit: check large submissions record by record, in parallel, in flat memory,
 * and report them for machines (json, jsonl) and for people (text, html).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"

static void audit_usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s audit [OPTIONS] SUBMISSION...\n"
	        "\n"
	        "Check an agency's submission of bookings (or any large XML file) record by record:\n"
	        "the file is read as a stream in flat memory, each record (by default each child\n"
	        "of the root; in a submission, each booking, with the submission's agency for those\n"
	        "without their own) is checked as a document of its own by a pool of threads, and\n"
	        "the results come out in input order. SUBMISSION '-' reads standard input.\n"
	        "\n"
	        "Options:\n"
	        "  -r, --rules PATH        a Schematron file, a rule pack directory or a pack.xml\n"
	        "                          (default: the pack embedded in rahdari)\n"
	        "      --record NAME       the record element's local name (default: each child\n"
	        "                          of the root; a submission's bookings)\n"
	        "  -J, --jobs N            threads that check records (default: one per core)\n"
	        "  -d, --as-of YYYY-MM-DD  the date rules take as today (default: today)\n"
	        "  -l, --lang LANG         message language, e.g. en or ur\n"
	        "  -j, --jurisdiction CODE run only rules for CODE and its parents (e.g. PK-PB)\n"
	        "  -p, --phase ID          run only the patterns of this phase\n"
	        "      --licence FILE, --doc ROLE=FILE, --register FILE, --table NAME=FILE,\n"
	        "      --param NAME=VALUE, --no-xsd\n"
	        "                          as for rahdari check (given to every record)\n"
	        "      --require-signed, --trust FILE|DIR, --crl FILE\n"
	        "                          as for rahdari check: verify the case's licences\n"
	        "                          against the trust store, and (--require-signed)\n"
	        "                          refuse rules that are not a pack signed by a\n"
	        "                          trusted certificate\n"
	        "  -f, --format FORMAT     text (default: a summary and the worst records), html\n"
	        "                          (one self-contained page with charts), json or jsonl\n"
	        "                          (every record with its findings)\n"
	        "  -o, --output FILE       write the report to FILE (default: standard output)\n"
	        "      --top N             text and html: how many of the worst records (default 20);\n"
	        "                          the tables by agency and route show the 10 (html: 20)\n"
	        "                          with the most errors, then the others\n"
	        "      --progress WHEN     auto (default: when standard error is a terminal),\n"
	        "                          always or never\n"
	        "      --fail-on LEVEL     error (default), warning or info\n"
	        "      --color WHEN        text: auto (default), always or never\n"
	        "      --max-size BYTES    refuse records larger than this (default 256 MiB; the\n"
	        "                          file may be of any size)\n"
	        CLI_MAX_OPS_HELP
	        "  -h, --help              show this help\n"
	        "\n"
	        "Exit status: 0 no finding at or above --fail-on; 1 such a finding; 2 usage\n"
	        "error; 3 an input or the rules could not be processed (a file malformed part-way:\n"
	        "the records before the fault are reported, then the error with its line), or the\n"
	        "rules were refused (--require-signed), before any record is checked.\n"
	        "\n"
	        "Examples:\n"
	        "  %s audit submission.xml\n"
	        "  %s audit --format html -o report.html --as-of 2026-12-31 q4.xml\n"
	        "  %s audit --format jsonl --jobs 4 q4.xml > findings.jsonl\n",
	        progname, progname, progname, progname);
}

enum { OPT_COLOR = CLI_OPT_COLOR, OPT_RECORD = CLI_OPT_FIRST_OWN, OPT_TOP, OPT_PROGRESS };

static const struct option long_opts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "jobs", required_argument, NULL, 'J' },
	{ "phase", required_argument, NULL, 'p' },
	{ "as-of", required_argument, NULL, 'd' },
	{ "lang", required_argument, NULL, 'l' },
	{ "jurisdiction", required_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ "fail-on", required_argument, NULL, CLI_OPT_FAIL_ON },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "max-size", required_argument, NULL, CLI_OPT_MAX_SIZE },
	{ "max-ops", required_argument, NULL, CLI_OPT_MAX_OPS },
	{ "licence", required_argument, NULL, CLI_OPT_LICENCE },
	{ "license", required_argument, NULL, CLI_OPT_LICENCE },
	{ "doc", required_argument, NULL, CLI_OPT_DOC },
	{ "register", required_argument, NULL, CLI_OPT_REGISTER },
	{ "table", required_argument, NULL, CLI_OPT_TABLE },
	{ "param", required_argument, NULL, CLI_OPT_PARAM },
	{ "no-xsd", no_argument, NULL, CLI_OPT_NO_XSD },
	CLI_SIGNED_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* What each record is grouped by (XPath 1.0 over the record; d is the rahdari namespace):
 * the agency's licence and name, the selling office, the route (origin, first stop and,
 * for a connection, the next), and the day of the booking. */
static const char *const facets[FACET_COUNT] = {
	"normalize-space(d:agency/@licence)",
	"normalize-space(d:agency/@name)",
	"normalize-space(d:agency/@office)",
	"concat(d:segment[1]/@from, substring('-', 1, count(d:segment[1]/@to)), d:segment[1]/@to,"
	" substring(concat('-', d:segment[2]/@to), 1, 99 * (d:segment[2]/@from = d:segment[1]/@to"
	" and not(d:segment[2]/@to = d:segment[1]/@from))))",
	"substring(normalize-space(@created), 1, 10)",
};

enum { FMT_TEXT = 1, FMT_HTML, FMT_JSON, FMT_JSONL };

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------- aggregation */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The length of the longest start of s (len bytes) that is at most max bytes and does
 * not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* a, b and c end to end, in a new string (NULL when out of memory). */
static char *join(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* A copy of s cut to at most max bytes; a cut copy ends in an ellipsis (so that it is never
 * shown as whole). NULL when out of memory. */
static char *dup_cut(const char *s, size_t max)
{
	size_t len = strlen(s), n = utf8_cut(s, len, max);
	char *d = malloc(n + (n < len ? 4 : 1));

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	if (n < len)
		memcpy(d + n, "\xe2\x80\xa6", 4); /* U+2026 */
	else
		d[n] = '\0';
	return d;
}

/* The groups' hash table uses SipHash-2-4 with a random key per process (rd__hash, in
 * lib/siphash.c, which the tool compiles in), so that a hostile submission cannot make its
 * keys collide; the fingerprints of the keys use it with a fixed key, so that the estimates
 * are the same from run to run. */
uint64_t rd__siphash24(const unsigned char key[16], const void *data, size_t len);
uint64_t rd__hash(const void *data, size_t len);

/* the 64-bit words 0x72616864617269 and 0x6167677265676174, little-endian */
static const unsigned char fp_key[16] = { 0x69, 0x72, 0x61, 0x64, 0x68, 0x61, 0x72, 0x00,
                                          0x74, 0x61, 0x67, 0x65, 0x72, 0x67, 0x67, 0x61 };

void agg_init(audit_agg *g, size_t maxworst)
{
	memset(g, 0, sizeof *g);
	g->maxworst = maxworst;
	if (maxworst) {
		g->worst = calloc(maxworst, sizeof *g->worst);
		if (g->worst == NULL)
			g->maxworst = 0;
	}
}

static void groups_free(agg_groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++) {
		free(gs->v[i].key);
		free(gs->v[i].label);
	}
	free(gs->v);
	free(gs->hash);
	free(gs->heap);
	free(gs->hll);
	free(gs->bloom);
	memset(gs, 0, sizeof *gs);
}

static void days_free(agg_days *d)
{
	free(d->v);
	free(d->hash);
	memset(d, 0, sizeof *d);
}

static void record_free(agg_record *r)
{
	free(r->file);
	free(r->id);
	free(r->rules);
	free(r->agency);
	memset(r, 0, sizeof *r);
}

void agg_free(audit_agg *g)
{
	size_t i;

	for (i = 0; i < g->nrules; i++) {
		free(g->rules[i].id);
		free(g->rules[i].cite);
		free(g->rules[i].message);
	}
	free(g->rules);
	groups_free(&g->agencies);
	groups_free(&g->branches);
	groups_free(&g->routes);
	days_free(&g->days);
	for (i = 0; i < g->nworst; i++)
		record_free(&g->worst[i]);
	free(g->worst);
	for (i = 0; i < g->nfiles; i++) {
		free(g->files[i].path);
		free(g->files[i].error);
	}
	free(g->files);
	memset(g, 0, sizeof *g);
}

/* ---- distinct keys: HyperLogLog (Flajolet et al. 2007) with 2^12 registers, about 1.6%
 * off; and the keys ever dropped: a Bloom filter of 2^20 bits, 3 probes ---- */

#define HLL_BITS 12
#define HLL_SIZE ((size_t)1 << HLL_BITS)
#define BLOOM_BITS 20

static void hll_add(unsigned char *r, uint64_t h)
{
	size_t i = (size_t)(h >> (64 - HLL_BITS));
	uint64_t rest = h << HLL_BITS | ((uint64_t)1 << (HLL_BITS - 1)); /* a 1 stops the count */
	unsigned char rho = 1;

	while (!(rest & ((uint64_t)1 << 63))) {
		rest <<= 1;
		rho++;
	}
	if (rho > r[i])
		r[i] = rho;
}

/* ln(x) for x >= 1, without libm: x = 2^e * f with f in [1, 2), ln f by its atanh series. */
static double ln(double x)
{
	double y, y2, term, sum = 0;
	int e = 0, k;

	while (x >= 2) {
		x /= 2;
		e++;
	}
	y = (x - 1) / (x + 1);
	y2 = y * y;
	term = y;
	for (k = 1; k < 40; k += 2) {
		sum += term / k;
		term *= y2;
	}
	return 2 * sum + e * 0.69314718055994530942;
}

static double hll_estimate(const unsigned char *r)
{
	double m = (double)HLL_SIZE, sum = 0, e;
	size_t i, zeros = 0;

	for (i = 0; i < HLL_SIZE; i++) {
		double p = 1;
		int k;

		for (k = 0; k < r[i]; k++)
			p /= 2;
		sum += p;
		if (r[i] == 0)
			zeros++;
	}
	e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * ln(m / (double)zeros); /* few keys: linear counting */
	return e;
}

static void bloom_add(unsigned char *b, uint64_t h)
{
	int k;

	for (k = 0; k < 3; k++) {
		size_t bit = (size_t)(h >> (k * BLOOM_BITS)) & (((size_t)1 << BLOOM_BITS) - 1);

		b[bit / 8] |= (unsigned char)(1u << (bit % 8));
	}
}

static int bloom_has(const unsigned char *b, uint64_t h)
{
	int k;

	for (k = 0; k < 3; k++) {
		size_t bit = (size_t)(h >> (k * BLOOM_BITS)) & (((size_t)1 << BLOOM_BITS) - 1);

		if (!(b[bit / 8] & (1u << (bit % 8))))
			return 0;
	}
	return 1;
}

uint64_t agg_groups_count(const agg_groups *gs, int *estimated)
{
	double e;
	uint64_t v, scale = 1;

	*estimated = gs->dropped > 0;
	if (!*estimated || gs->hll == NULL)
		return gs->n;
	/* at least the groups kept, at most those plus one per drop */
	e = hll_estimate(gs->hll);
	if (e < (double)gs->n)
		e = (double)gs->n;
	if (e > (double)gs->n + (double)gs->dropped)
		e = (double)gs->n + (double)gs->dropped;
	v = (uint64_t)(e + 0.5);
	/* three significant digits: the estimate is about 1.6% off */
	while (v >= 1000 * scale)
		scale *= 10;
	return (v + scale / 2) / scale * scale;
}

/* ---- the summary of groups ---- */

/* Does group a rank below b (the first to make room)? Fewest errors, then findings, then
 * records, counting what each inherited; then the key that sorts last. */
static int rank_below(const agg_group *a, const agg_group *b)
{
	int k, c;

	for (k = 0; k < 3; k++)
		if (a->rank[k] != b->rank[k])
			return a->rank[k] < b->rank[k];
	c = strcmp(a->key, b->key);
	if (c != 0)
		return c > 0;
	return a->fp > b->fp;
}

static void heap_swap(agg_groups *gs, size_t i, size_t j)
{
	size_t t = gs->heap[i];

	gs->heap[i] = gs->heap[j];
	gs->heap[j] = t;
	gs->v[gs->heap[i]].heap = i;
	gs->v[gs->heap[j]].heap = j;
}

static void heap_up(agg_groups *gs, size_t i)
{
	while (i > 0 && rank_below(&gs->v[gs->heap[i]], &gs->v[gs->heap[(i - 1) / 2]])) {
		heap_swap(gs, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* After the rank of the group at i grew: move it down. */
static void heap_down(agg_groups *gs, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < gs->n && rank_below(&gs->v[gs->heap[l]], &gs->v[gs->heap[m]]))
			m = l;
		if (r < gs->n && rank_below(&gs->v[gs->heap[r]], &gs->v[gs->heap[m]]))
			m = r;
		if (m == i)
			return;
		heap_swap(gs, i, m);
		i = m;
	}
}

/* Take the group at v[i] out of the hash table (linear probing: the entries after it
 * move back into the gap). */
static void hash_remove(agg_groups *gs, size_t i)
{
	size_t mask = gs->hsize - 1, h, j;

	h = rd__hash(gs->v[i].key, strlen(gs->v[i].key)) & mask;
	while (gs->hash[h] != i + 1)
		h = (h + 1) & mask;
	gs->hash[h] = 0;
	for (j = (h + 1) & mask; gs->hash[j]; j = (j + 1) & mask) {
		const agg_group *e = &gs->v[gs->hash[j] - 1];
		size_t home = rd__hash(e->key, strlen(e->key)) & mask;

		/* it may move into the gap when its home is not between the gap and it */
		if ((j > h && (home <= h || home > j)) || (j < h && home <= h && home > j)) {
			gs->hash[h] = gs->hash[j];
			gs->hash[j] = 0;
			h = j;
		}
	}
}

static int groups_alloc(agg_groups *gs)
{
	gs->cap = AGG_GROUPS_MAX;
	for (gs->hsize = 1; gs->hsize < 2 * gs->cap; gs->hsize *= 2)
		;
	gs->v = calloc(gs->cap, sizeof *gs->v);
	gs->hash = calloc(gs->hsize, sizeof *gs->hash);
	gs->heap = calloc(gs->cap, sizeof *gs->heap);
	gs->hll = calloc(HLL_SIZE, 1);
	if (gs->v == NULL || gs->hash == NULL || gs->heap == NULL || gs->hll == NULL) {
		groups_free(gs);
		return -1;
	}
	return 0;
}

/* Count a record (its findings by severity in counts) in the group of key, made with
 * label when it is new. 0, or -1 when out of memory. */
static int group_add(agg_groups *gs, const char *key, const char *label, const uint64_t *counts)
{
	size_t klen = strlen(key), cut = utf8_cut(key, klen, AGG_KEY_MAX), h, mask, i;
	uint64_t fp = rd__siphash24(fp_key, key, klen), nfound = counts[1] + counts[2] + counts[3];
	char kbuf[AGG_KEY_MAX + 1];
	agg_group *e;
	int s, appended = 0;

	if (gs->v == NULL && groups_alloc(gs) < 0)
		return -1;
	memcpy(kbuf, key, cut);
	kbuf[cut] = '\0';
	hll_add(gs->hll, fp);
	mask = gs->hsize - 1;
	h = rd__hash(kbuf, cut) & mask;
	while (gs->hash[h]) {
		e = &gs->v[gs->hash[h] - 1];
		if (e->fp == fp && strcmp(e->key, kbuf) == 0)
			goto count;
		h = (h + 1) & mask;
	}
	if (gs->n < gs->cap) {
		i = gs->n;
		e = &gs->v[i];
		memset(e, 0, sizeof *e);
		e->key = strdup(kbuf);
		e->label = dup_cut(label, AGG_LABEL_MAX);
		if (e->key == NULL || e->label == NULL) {
			free(e->key);
			free(e->label);
			return -1;
		}
		gs->hash[h] = i + 1;
		e->heap = i;
		gs->heap[i] = i;
		gs->n++;
		appended = 1;
	} else {
		/* full: the group of the lowest rank makes room; the newcomer inherits its rank
		 * (so that a key seen often cannot be pushed out by a stream of keys seen once)
		 * but none of its counts */
		char *nk = strdup(kbuf), *nl = dup_cut(label, AGG_LABEL_MAX);

		if (nk == NULL || nl == NULL || (gs->bloom == NULL &&
		                                 (gs->bloom = calloc((size_t)1 << (BLOOM_BITS - 3), 1)) == NULL)) {
			free(nk);
			free(nl);
			return -1;
		}
		i = gs->heap[0];
		e = &gs->v[i];
		bloom_add(gs->bloom, e->fp);
		gs->dropped++;
		hash_remove(gs, i);
		/* the slot found above may have moved: find the free one again */
		h = rd__hash(kbuf, cut) & mask;
		while (gs->hash[h])
			h = (h + 1) & mask;
		gs->hash[h] = i + 1;
		free(e->key);
		free(e->label);
		e->key = nk;
		e->label = nl;
		e->records = e->flagged = 0;
		memset(e->counts, 0, sizeof e->counts);
	}
	e->fp = fp;
	/* exact when this key was never dropped: then this is its first record */
	e->exact = gs->bloom == NULL || !bloom_has(gs->bloom, fp);
count:
	e->records++;
	if (nfound)
		e->flagged++;
	for (s = 1; s <= 3; s++)
		e->counts[s] += counts[s];
	e->rank[0] += counts[RD_SEVERITY_ERROR];
	e->rank[1] += nfound;
	e->rank[2]++;
	/* a new group at the end of the heap may rank below others: up; a group counted again,
	 * or one that took the place of the root, ranks higher than before: down */
	if (appended)
		heap_up(gs, e->heap);
	else
		heap_down(gs, e->heap);
	return 0;
}

/* ---- days ---- */

long agg_date_day(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe;
}

void agg_date_civil(long z, long *y, long *m, long *d)
{
	long era = z / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int agg_date_parse(const char *s, long *day)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long y, m, d;
	int i, leap;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000L + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10L + (s[6] - '0');
	d = (s[8] - '0') * 10L + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return 0;
	*day = agg_date_day(y, m, d);
	return 1;
}

/* The bucket of a day at a level. */
static long day_bucket(int level, long day)
{
	long y, m, d;

	if (level == AGG_BY_DAY)
		return day;
	agg_date_civil(day, &y, &m, &d);
	return level == AGG_BY_MONTH ? y * 12 + m - 1 : y;
}

/* The bucket of key (a bucket at the level below level) at level. */
static long coarser(int level, long key)
{
	return level == AGG_BY_MONTH ? day_bucket(AGG_BY_MONTH, key) : key / 12;
}

static size_t day_slot(const agg_days *d, long key)
{
	size_t h = rd__hash(&key, sizeof key) & (d->hsize - 1);

	while (d->hash[h] && d->v[d->hash[h] - 1].key != key)
		h = (h + 1) & (d->hsize - 1);
	return h;
}

/* Too many buckets: merge them into the next level (months, then years), until they
 * fit (years always do: there are at most 9999). */
static void days_coarsen(agg_days *d)
{
	while (d->n >= AGG_DAYS_MAX && d->level < AGG_BY_YEAR) {
		size_t i, n = d->n;

		d->level++;
		d->n = 0;
		memset(d->hash, 0, d->hsize * sizeof *d->hash);
		for (i = 0; i < n; i++) {
			agg_bucket b = d->v[i];
			size_t h;

			b.key = coarser(d->level, b.key);
			h = day_slot(d, b.key);
			if (d->hash[h]) {
				d->v[d->hash[h] - 1].records += b.records;
				d->v[d->hash[h] - 1].flagged += b.flagged;
			} else {
				d->v[d->n] = b;
				d->hash[h] = ++d->n;
			}
		}
	}
}

static int days_add(agg_days *d, const char *date, int flagged)
{
	long day, key;
	size_t h;

	if (!agg_date_parse(date, &day)) {
		d->undated++;
		d->undated_flagged += flagged != 0;
		return 0;
	}
	if (d->v == NULL) {
		/* years need up to 9999 buckets, days and months AGG_DAYS_MAX */
		d->cap = AGG_DAYS_MAX > 9999 ? AGG_DAYS_MAX : 9999;
		for (d->hsize = 1; d->hsize < 2 * d->cap; d->hsize *= 2)
			;
		d->v = calloc(d->cap, sizeof *d->v);
		d->hash = calloc(d->hsize, sizeof *d->hash);
		if (d->v == NULL || d->hash == NULL) {
			days_free(d);
			return -1;
		}
	}
	if (d->dated == 0 || day < d->first)
		d->first = day;
	if (d->dated == 0 || day > d->last)
		d->last = day;
	d->dated++;
	key = day_bucket(d->level, day);
	h = day_slot(d, key);
	if (d->hash[h] == 0) {
		if (d->level < AGG_BY_YEAR && d->n >= AGG_DAYS_MAX) {
			days_coarsen(d);
			key = day_bucket(d->level, day);
			h = day_slot(d, key);
		}
		if (d->hash[h] == 0) {
			d->v[d->n].key = key;
			d->v[d->n].records = d->v[d->n].flagged = 0;
			d->hash[h] = ++d->n;
		}
	}
	d->v[d->hash[h] - 1].records++;
	d->v[d->hash[h] - 1].flagged += flagged != 0;
	return 0;
}

static agg_rule *rule_get(audit_agg *g, const rd_finding *f)
{
	const char *id = rd_finding_get(f, RD_FIELD_RULE);
	size_t i;

	if (id == NULL)
		id = "(no id)";
	/* a few dozen rules: a linear search is fine, most recent first */
	for (i = g->nrules; i > 0; i--)
		if (strcmp(g->rules[i - 1].id, id) == 0 &&
		    g->rules[i - 1].severity == rd_finding_severity(f))
			return &g->rules[i - 1];
	if (g->nrules == g->caprules) {
		size_t ncap = g->caprules ? g->caprules * 2 : 32;
		agg_rule *nv = realloc(g->rules, ncap * sizeof *nv);

		if (nv == NULL)
			return NULL;
		g->rules = nv;
		g->caprules = ncap;
	}
	memset(&g->rules[g->nrules], 0, sizeof g->rules[g->nrules]);
	g->rules[g->nrules].id = strdup(id);
	g->rules[g->nrules].severity = rd_finding_severity(f);
	g->rules[g->nrules].kind = rd_finding_kind(f);
	g->rules[g->nrules].cite = dup_or_null(rd_finding_get(f, RD_FIELD_CITE));
	/* an example: a message of any length (value-of a large field) is cut; the reports
	 * show at most 400 characters of it */
	if (rd_finding_get(f, RD_FIELD_MESSAGE) != NULL)
		g->rules[g->nrules].message = dup_cut(rd_finding_get(f, RD_FIELD_MESSAGE), 4 * AGG_LABEL_MAX);
	if (g->rules[g->nrules].id == NULL)
		return NULL;
	return &g->rules[g->nrules++];
}

/* Is record a worse than b? More errors, then more warnings, then more infos. */
static int worse(const uint64_t *a, const uint64_t *b)
{
	int s;

	for (s = 3; s >= 1; s--)
		if (a[s] != b[s])
			return a[s] > b[s];
	return 0;
}

static int keep_worst(audit_agg *g, const agg_file *file, const rd_audit_record *r,
                      const uint64_t *counts, const char *agency)
{
	size_t pos, i, n = rd_report_count(r->report);
	agg_record rec;
	size_t len = 0, cap = 0;
	char *rules = NULL;

	if (g->maxworst == 0 || counts[1] + counts[2] + counts[3] == 0)
		return 0;
	if (g->nworst == g->maxworst && !worse(counts, g->worst[g->nworst - 1].counts))
		return 0;
	/* its place: after every record at least as bad (earlier records first) */
	for (pos = g->nworst; pos > 0 && worse(counts, g->worst[pos - 1].counts); pos--)
		;
	memset(&rec, 0, sizeof rec);
	for (i = 0; i < n; i++) {
		const char *id = rd_finding_get(rd_report_finding(r->report, i), RD_FIELD_RULE);
		size_t l;

		if (id == NULL)
			id = "(no id)";
		l = strlen(id);
		/* each id once */
		if (rules) {
			const char *p = rules;
			int seen = 0;

			while ((p = strstr(p, id)) != NULL) {
				if ((p == rules || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0')) {
					seen = 1;
					break;
				}
				p += l;
			}
			if (seen)
				continue;
		}
		if (len + l + 2 > cap) {
			char *nr;

			cap = (len + l + 2) * 2;
			nr = realloc(rules, cap);
			if (nr == NULL) {
				free(rules);
				return -1;
			}
			rules = nr;
		}
		if (len)
			rules[len++] = ' ';
		memcpy(rules + len, id, l + 1);
		len += l;
	}
	rec.rules = rules;
	rec.file = strdup(file->path);
	rec.id = r->id ? dup_cut(r->id, AGG_LABEL_MAX) : NULL;
	rec.agency = agency && *agency ? dup_cut(agency, AGG_LABEL_MAX) : NULL;
	rec.index = r->index;
	rec.line = r->line;
	memcpy(rec.counts, counts, sizeof rec.counts);
	if (rec.file == NULL || (r->id && rec.id == NULL) || (agency && *agency && rec.agency == NULL)) {
		record_free(&rec);
		return -1;
	}
	if (g->nworst == g->maxworst)
		record_free(&g->worst[--g->nworst]);
	memmove(&g->worst[pos + 1], &g->worst[pos], (g->nworst - pos) * sizeof *g->worst);
	g->worst[pos] = rec;
	g->nworst++;
	return 0;
}

int agg_add(audit_agg *g, agg_file *file, const rd_audit_record *r)
{
	uint64_t counts[4] = { 0, 0, 0, 0 };
	size_t i, n = rd_report_count(r->report);
	const char *lic = r->nfacets > FACET_LICENCE ? r->facets[FACET_LICENCE] : "";
	const char *name = r->nfacets > FACET_AGENCY_NAME ? r->facets[FACET_AGENCY_NAME] : "";
	const char *office = r->nfacets > FACET_OFFICE ? r->facets[FACET_OFFICE] : "";
	const char *route = r->nfacets > FACET_ROUTE ? r->facets[FACET_ROUTE] : "";
	const char *day = r->nfacets > FACET_DATE ? r->facets[FACET_DATE] : "";
	char *agency, *branch;
	int s, rc;

	for (s = 1; s <= 3; s++)
		counts[s] = rd_report_severity_count(r->report, s);
	g->records++;
	file->records++;
	if (counts[1] + counts[2] + counts[3])
		g->flagged++;
	for (s = 1; s <= 3; s++)
		g->counts[s] += counts[s];
	for (i = 0; i < n; i++) {
		const rd_finding *f = rd_report_finding(r->report, i);
		agg_rule *ru = rule_get(g, f);

		if (ru == NULL)
			return -1;
		ru->findings++;
		if (ru->last_record != g->records) {
			ru->last_record = g->records;
			ru->records++;
		}
	}
	if (!g->grouped)
		return 0;
	/* groups: the keys whole (group_add keeps what fits and tells long ones apart by
	 * their fingerprint) */
	agency = *lic || *name ? join(lic, *lic && *name ? " " : "", name) : strdup("(no agency)");
	if (agency == NULL)
		return -1;
	branch = join(*lic ? lic : agency, " / ", *office ? office : "(no office)");
	rc = -1;
	if (branch != NULL && group_add(&g->agencies, *lic ? lic : agency, agency, counts) == 0 &&
	    group_add(&g->branches, branch, branch, counts) == 0 &&
	    group_add(&g->routes, *route ? route : "(no flights)", *route ? route : "(no flights)",
	              counts) == 0 &&
	    days_add(&g->days, day, counts[1] + counts[2] + counts[3] > 0) == 0 &&
	    keep_worst(g, file, r, counts, agency) == 0)
		rc = 0;
	free(agency);
	free(branch);
	return rc;
}

static int cmp_rule(const void *x, const void *y)
{
	const agg_rule *a = x, *b = y;

	if (a->findings != b->findings)
		return a->findings < b->findings ? 1 : -1;
	if (a->severity != b->severity)
		return b->severity - a->severity;
	return strcmp(a->id, b->id);
}

static int cmp_group(const void *x, const void *y)
{
	const agg_group *a = x, *b = y;
	uint64_t fa = a->counts[1] + a->counts[2] + a->counts[3];
	uint64_t fb = b->counts[1] + b->counts[2] + b->counts[3];

	if (a->counts[3] != b->counts[3])
		return a->counts[3] < b->counts[3] ? 1 : -1;
	if (fa != fb)
		return fa < fb ? 1 : -1;
	if (a->records != b->records)
		return a->records < b->records ? 1 : -1;
	if (strcmp(a->key, b->key) != 0)
		return strcmp(a->key, b->key);
	return a->fp < b->fp ? -1 : a->fp > b->fp;
}

static int cmp_bucket(const void *x, const void *y)
{
	const agg_bucket *a = x, *b = y;

	return a->key < b->key ? -1 : a->key > b->key;
}

static void sort_groups(agg_groups *gs)
{
	if (gs->n > 1)
		qsort(gs->v, gs->n, sizeof *gs->v, cmp_group);
	/* the order changed: no more lookups */
	free(gs->hash);
	free(gs->heap);
	free(gs->bloom);
	gs->hash = gs->heap = NULL;
	gs->bloom = NULL;
	gs->hsize = 0;
}

void agg_finish(audit_agg *g)
{
	if (g->nrules > 1)
		qsort(g->rules, g->nrules, sizeof *g->rules, cmp_rule);
	sort_groups(&g->agencies);
	sort_groups(&g->branches);
	sort_groups(&g->routes);
	if (g->days.n > 1) /* chronological */
		qsort(g->days.v, g->days.n, sizeof *g->days.v, cmp_bucket);
	free(g->days.hash);
	g->days.hash = NULL;
	g->days.hsize = 0;
}

/* ---------------------------------------------------------------- the text report */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

static const char *sev_color(int s)
{
	return s == RD_SEVERITY_ERROR ? C_RED : s == RD_SEVERITY_WARNING ? C_YELLOW : C_CYAN;
}

/* n with thousands separators, in buf. */
static const char *num(char *buf, size_t size, uint64_t n)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static void counts_line(FILE *out, const uint64_t *c, int color)
{
	char a[32], b[32], d[32];

	fprintf(out, "%s%s error%s%s, %s%s warning%s%s, %s info%s",
	        color && c[3] ? C_BOLD C_RED : "", num(a, sizeof a, c[3]), c[3] == 1 ? "" : "s",
	        color && c[3] ? C_RESET : "", color && c[2] ? C_YELLOW : "", num(b, sizeof b, c[2]),
	        c[2] == 1 ? "" : "s", color && c[2] ? C_RESET : "", num(d, sizeof d, c[1]),
	        c[1] == 1 ? "" : "s");
}

/* At most width display columns of s (UTF-8 aware, control characters escaped). */
static void clip(FILE *out, const char *s, size_t width)
{
	const unsigned char *p = (const unsigned char *)cli_safe(s ? s : "");
	size_t cols = 0;

	while (*p && cols < width) {
		size_t n = 1;

		if (*p >= 0xF0)
			n = 4;
		else if (*p >= 0xE0)
			n = 3;
		else if (*p >= 0xC0)
			n = 2;
		if (*p < 0x20 || *p == 0x7f) {
			fputc(' ', out);
		} else {
			size_t k;

			for (k = 0; k < n && p[k]; k++)
				fputc(p[k], out);
			n = k;
		}
		p += n;
		cols++;
	}
	if (*p)
		fputs("…", out);
}

/* A group's numbers: "12 records, 3 flagged; 1 error, 2 warnings, 0 infos". */
static void group_numbers(FILE *out, uint64_t records, uint64_t flagged, const uint64_t *counts)
{
	char a[32], b[32];

	fprintf(out, "%s record%s, %s flagged; ", num(a, sizeof a, records), records == 1 ? "" : "s",
	        num(b, sizeof b, flagged));
	counts_line(out, counts, 0);
}

/* The groups of a kind: the top ones, then the others (what the totals leave over), so
 * that the rows add up to the totals. Counts of a group that may have been dropped from
 * the summary before are lower bounds, and say so; the others' are then upper bounds. */
static void groups_text(FILE *out, const char *title, const char *one, const char *many,
                        const audit_agg *g, const agg_groups *gs, size_t top)
{
	char a[32], b[32], c[32];
	size_t i, shown = gs->n < top ? gs->n : top;
	uint64_t count, records = g->records, flagged = g->flagged, counts[4];
	uint64_t sure = g->counts[RD_SEVERITY_ERROR] / AGG_GROUPS_MAX; /* see audit.h */
	int estimated, bounded = 0;

	if (gs->n == 0)
		return;
	memcpy(counts, g->counts, sizeof counts);
	count = agg_groups_count(gs, &estimated);
	if (!estimated) {
		fprintf(out, "\n%s (%zu; the %zu with the most errors):\n", title, gs->n, shown);
	} else {
		fprintf(out, "\n%s (about %s; the %zu with the most errors):\n  (too many to count one "
		             "by one: these come from a summary of %s %s,\n   which holds every one with ",
		        title, num(a, sizeof a, count), shown, num(b, sizeof b, gs->n), many);
		if (sure == 0)
			fputs("an error)\n", out);
		else
			fprintf(out, "more than %s error%s)\n", num(c, sizeof c, sure), sure == 1 ? "" : "s");
	}
	for (i = 0; i < shown; i++) {
		const agg_group *e = &gs->v[i];
		int s;

		fputs("  ", out);
		clip(out, e->label, 40);
		fputs(e->exact ? "\n      " : "\n      at least ", out);
		group_numbers(out, e->records, e->flagged, e->counts);
		fputc('\n', out);
		bounded |= !e->exact;
		records -= e->records;
		flagged -= e->flagged;
		for (s = 1; s <= 3; s++)
			counts[s] -= e->counts[s];
	}
	if (shown < gs->n || estimated) {
		if (estimated)
			fprintf(out, "  (the other %s)\n", many);
		else
			fprintf(out, "  (the other %s %s)\n", num(a, sizeof a, gs->n - shown),
			        gs->n - shown == 1 ? one : many);
		fputs(bounded ? "      at most " : "      ", out);
		group_numbers(out, records, flagged, counts);
		fputc('\n', out);
	}
	if (bounded)
		fprintf(out, "  (\"at least\": only the records since the %s last entered the summary; "
		             "\"at most\": the rest)\n", one);
}

int audit_write_text(FILE *out, const audit_agg *g, int color)
{
	char a[32], b[32], c[32];
	size_t i;

	for (i = 0; i < g->nfiles; i++) {
		const agg_file *f = &g->files[i];

		fprintf(out, "%s: %s records, %.1f MB", cli_safe(f->path), num(a, sizeof a, f->records),
		        (double)f->bytes / 1e6);
		if (f->status != RD_OK)
			fprintf(out, "; %sSTOPPED%s: %s", color ? C_BOLD C_RED : "", color ? C_RESET : "",
			        f->error ? cli_safe(f->error) : rd_status_name(f->status));
		fputc('\n', out);
	}
	fprintf(out, "\n%s records checked in %.2f s (%s records/s, %u job%s): ",
	        num(a, sizeof a, g->records), g->seconds,
	        num(b, sizeof b, g->seconds > 0 ? (uint64_t)((double)g->records / g->seconds) : g->records),
	        g->jobs, g->jobs == 1 ? "" : "s");
	counts_line(out, g->counts, color);
	fprintf(out, "\n%s records (%.1f%%) have a finding; rules: %s %s, as of %s\n",
	        num(c, sizeof c, g->flagged),
	        g->records ? 100.0 * (double)g->flagged / (double)g->records : 0.0,
	        g->rules_id ? cli_safe(g->rules_id) : "?", g->rules_version ? cli_safe(g->rules_version) : "",
	        g->as_of ? cli_safe(g->as_of) : "?");
	if (g->nrules) {
		fprintf(out, "\nFindings by rule:\n");
		for (i = 0; i < g->nrules; i++) {
			const agg_rule *r = &g->rules[i];

			fprintf(out, "  %s%-16s %-7s%s %10s in %s record%s\n", color ? sev_color(r->severity) : "",
			        cli_safe(r->id), rd_severity_name(r->severity), color ? C_RESET : "",
			        num(a, sizeof a, r->findings), num(b, sizeof b, r->records),
			        r->records == 1 ? "" : "s");
			if (r->message) {
				fputs("      ", out);
				clip(out, r->message, 100);
				fputc('\n', out);
			}
			if (r->cite) {
				fputs("      law: ", out);
				clip(out, r->cite, 95);
				fputc('\n', out);
			}
		}
	}
	groups_text(out, "By agency", "agency", "agencies", g, &g->agencies, 10);
	groups_text(out, "By route", "route", "routes", g, &g->routes, 10);
	if (g->nworst) {
		fprintf(out, "\nThe worst records:\n");
		for (i = 0; i < g->nworst; i++) {
			const agg_record *r = &g->worst[i];

			fprintf(out, "  %s record %s", cli_safe(r->file), num(a, sizeof a, r->index + 1));
			if (r->id) {
				fputs(" (", out);
				clip(out, r->id, 40);
				fputc(')', out);
			}
			fprintf(out, ", line %ld: ", r->line);
			counts_line(out, r->counts, color);
			fputs("\n      ", out);
			clip(out, r->rules, 100);
			fputc('\n', out);
		}
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- the run */

typedef struct run {
	audit_agg agg;
	agg_file *file;
	int format;
	int fail_on;
	int worst;           /* highest severity seen */
	rd_writer *w;
	cli_out *out;
	int progress;
	double started, last_progress;
	uint64_t bytes_before; /* of the files before this one */
	int out_failed;
	int cb_nomem;        /* the record callback ran out of memory (reported) */
} run;

static int on_record(const rd_audit_record *r, void *payload)
{
	run *st = payload;
	int m = rd_report_max_severity(r->report);

	if (m > st->worst)
		st->worst = m;
	if (st->w) {
		if (rd_writer_add_record(st->w, r) != RD_OK) {
			st->out_failed = 1;
			return 1; /* stop: the output is gone */
		}
	}
	if (agg_add(&st->agg, st->file, r) < 0) {
		cli_error("out of memory");
		st->cb_nomem = 1;
		return 1;
	}
	return 0;
}

static void on_progress(const rd_audit_progress *p, void *payload)
{
	run *st = payload;
	double t = now(), el = t - st->started;

	if (!st->progress || t - st->last_progress < 0.25)
		return;
	st->last_progress = t;
	fprintf(stderr, "\r\033[K%s: %llu records, %.0f records/s, %.1f MB/s", cli_safe(st->file->path),
	        (unsigned long long)(st->agg.records), el > 0 ? (double)st->agg.records / el : 0.0,
	        el > 0 ? (double)(st->bytes_before + p->bytes_read) / 1e6 / el : 0.0);
	if (p->bytes_total && p->bytes_read <= p->bytes_total && p->bytes_read) {
		double fel = el, frac = (double)p->bytes_read / (double)p->bytes_total;
		double left = fel / frac * (1 - frac);

		fprintf(stderr, ", %.0f%%, about %d:%02d left", 100 * frac, (int)left / 60, (int)left % 60);
	}
	fflush(stderr);
}

/* The options of audit that are not the case's; the rest go to cli_case_option. */
typedef struct audit_args {
	const char *output, *color, *progress;
	unsigned long top;
} audit_args;

#define AUDIT_GO (-1) /* audit_parse: the options are good, go on */

/* One option of audit: AUDIT_GO, or the exit status (usage printed). */
static int audit_option(int c, char **argv, cli_case *cc, rd_audit_options *ao, run *st,
                        audit_args *a)
{
	char *end;
	long v;

	switch (c) {
	case OPT_RECORD:
		if (optarg[0] == '\0' || strpbrk(optarg, " <>:/\"'&"))
			return cli_usage_error("audit", "--record '%s' is not an element name", optarg);
		ao->record = optarg;
		return AUDIT_GO;
	case 'J':
		errno = 0;
		v = strtol(optarg, &end, 10);
		if (errno || end == optarg || *end || v < 1 || v > 256)
			return cli_usage_error("audit", "--jobs '%s': give a number from 1 to 256", optarg);
		ao->jobs = (unsigned int)v;
		return AUDIT_GO;
	case 'f':
		if (strcmp(optarg, "text") == 0)
			st->format = FMT_TEXT;
		else if (strcmp(optarg, "html") == 0)
			st->format = FMT_HTML;
		else if (strcmp(optarg, "json") == 0)
			st->format = FMT_JSON;
		else if (strcmp(optarg, "jsonl") == 0)
			st->format = FMT_JSONL;
		else
			return cli_usage_error("audit", "unknown format '%s' (use text, html, json or jsonl)",
			                       optarg);
		return AUDIT_GO;
	case 'o':
		a->output = optarg;
		return AUDIT_GO;
	case OPT_TOP:
		errno = 0;
		a->top = strtoul(optarg, &end, 10);
		if (errno || end == optarg || *end || a->top > 10000)
			return cli_usage_error("audit", "--top '%s': give a number from 0 to 10000", optarg);
		return AUDIT_GO;
	case OPT_PROGRESS:
		if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
			return cli_usage_error("audit", "--progress '%s': use auto, always or never", optarg);
		a->progress = optarg;
		return AUDIT_GO;
	case OPT_COLOR:
		if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
			return cli_usage_error("audit", "--color '%s': use auto, always or never", optarg);
		a->color = optarg;
		return AUDIT_GO;
	case 'h':
		audit_usage(stdout);
		return EXIT_CLEAN;
	case ':':
		return cli_usage_error("audit", "option '%s' needs a value", argv[optind - 1]);
	case 'r': case 'p': case 'd': case 'l': case 'j':
	case CLI_OPT_FAIL_ON: case CLI_OPT_MAX_SIZE: case CLI_OPT_LICENCE: case CLI_OPT_DOC:
	case CLI_OPT_REGISTER: case CLI_OPT_TABLE: case CLI_OPT_PARAM: case CLI_OPT_NO_XSD:
	case CLI_OPT_REQUIRE_SIGNED: case CLI_OPT_TRUST: case CLI_OPT_CRL: case CLI_OPT_MAX_OPS:
		if (cli_case_option(cc, "audit", c, optarg) != 0)
			return EXIT_USAGE;
		return AUDIT_GO;
	default:
		return cli_usage_error("audit", "unknown option '%s'", argv[optind - 1]);
	}
}

/* The options and the submissions named (at least one; '-' once at most): AUDIT_GO, or the
 * exit status. */
static int audit_parse(int argc, char **argv, cli_case *cc, rd_audit_options *ao, run *st,
                       audit_args *a)
{
	int c, i, rc, stdin_used = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:J:p:d:l:j:f:o:h", long_opts, NULL)) != -1)
		if ((rc = audit_option(c, argv, cc, ao, st, a)) != AUDIT_GO)
			return rc;
	if (optind >= argc)
		return cli_usage_error("audit", "no SUBMISSION to audit");
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (stdin_used)
				return cli_usage_error("audit", "standard input ('-') can be read only once");
			stdin_used = 1;
		}
	}
	return AUDIT_GO;
}

/* The audit options and the report's header from the loaded case; room for nfiles
 * submissions. 0, or -1 when out of memory (printed). */
static int audit_setup(run *st, cli_case *cc, rd_audit_options *ao, const audit_args *a,
                       size_t nfiles)
{
	static char today[11];
	time_t t = time(NULL);
	struct tm tm;
	/* only the text and html reports group the records (and list the worst): json and
	 * jsonl need no facets, which cost about a tenth of the audit */
	int readable = st->format == FMT_TEXT || st->format == FMT_HTML;

	ao->check = cc->co;
	if (readable) {
		ao->facets = facets;
		ao->nfacets = FACET_COUNT;
	}
	ao->max_record_bytes = cc->lo.max_bytes;
	st->fail_on = cc->fail_on;
	st->progress = strcmp(a->progress, "always") == 0 ||
	               (strcmp(a->progress, "auto") == 0 && isatty(STDERR_FILENO));
	agg_init(&st->agg, readable ? a->top : 0);
	st->agg.grouped = readable;
	st->agg.tool_version = rd_version();
	st->agg.rules_id = rd_rules_get(cc->rules, RD_RULES_ID);
	st->agg.rules_version = rd_rules_get(cc->rules, RD_RULES_VERSION);
	st->agg.rules_title = rd_rules_get(cc->rules, RD_RULES_TITLE);
	st->agg.jurisdiction = cc->co.jurisdiction;
	st->agg.jobs = ao->jobs ? ao->jobs : (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cc->co.as_of) {
		st->agg.as_of = cc->co.as_of;
	} else if (localtime_r(&t, &tm)) {
		strftime(today, sizeof today, "%Y-%m-%d", &tm);
		st->agg.as_of = today;
	}
	st->agg.files = calloc(nfiles, sizeof *st->agg.files);
	if (st->agg.files == NULL) {
		cli_error("out of memory");
		return -1;
	}
	return 0;
}

/* Audit one submission (path; "-": standard input) and record it. 0 to go on with the
 * next, 1 to stop; *status is raised as its outcome demands. */
static int audit_one(run *st, cli_case *cc, const rd_audit_options *ao, const char *path,
                     int *status)
{
	agg_file *f = &st->agg.files[st->agg.nfiles++];
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	double t0 = now();
	const rd_error *e;
	int rc;

	f->path = strdup(strcmp(path, "-") ? path : "<stdin>");
	if (f->path == NULL) {
		cli_error("out of memory");
		*status = EXIT_INPUT;
		return 1;
	}
	st->file = f;
	rc = rd_audit_file(cc->rules, path, ao, on_record, on_progress, st, &stats);
	f->seconds = now() - t0;
	f->bytes = stats.bytes_read;
	st->bytes_before += stats.bytes_read;
	st->agg.bytes += stats.bytes_read;
	if (st->progress)
		fputs("\r\033[K", stderr);
	if (rc == RD_OK)
		return 0;
	e = rd_error_last();
	f->status = rc == RD_ESTOPPED ? RD_ERROR : rc;
	if (st->out_failed)
		return 1;
	if (st->cb_nomem) {
		*status = EXIT_INPUT; /* out of memory in the callback, reported */
		return 1;
	}
	f->error = strdup(e->message);
	cli_lib_error();
	/* everything before the fault is already written: make sure it is out */
	if (st->w && rd_writer_add_error(st->w, f->path, e) != RD_OK)
		st->out_failed = 1;
	fflush(st->out->f);
	*status = EXIT_INPUT;
	if (rc == RD_EINVAL) {
		*status = EXIT_USAGE;
		return 1;
	}
	return 0;
}

/* The end of the report: the json or jsonl writer's, or the text or html summary. */
static void audit_report(run *st, const char *color)
{
	if (st->out_failed)
		return;
	agg_finish(&st->agg);
	if (st->w) {
		if (rd_writer_finish(st->w) != RD_OK)
			st->out_failed = 1;
	} else if (st->format == FMT_TEXT) {
		if (audit_write_text(st->out->f, &st->agg, cli_color_wanted(color, st->out->f)) < 0)
			st->out_failed = 1;
	} else if (audit_write_html(st->out->f, &st->agg) < 0) {
		st->out_failed = 1;
	}
}

int cmd_audit(int argc, char **argv)
{
	cli_case cc;
	rd_audit_options ao = RD_AUDIT_OPTIONS_INIT;
	audit_args a = { NULL, "auto", "auto", 20 };
	int i, status;
	run st;
	cli_out out;

	cli_case_init(&cc);
	cc.fail_on = RD_SEVERITY_ERROR;
	memset(&st, 0, sizeof st);
	st.format = FMT_TEXT;
	if ((status = audit_parse(argc, argv, &cc, &ao, &st, &a)) != AUDIT_GO)
		return status;
	status = cli_case_load(&cc, "audit");
	if (status != EXIT_CLEAN) {
		cli_case_free(&cc);
		return status;
	}
	if (audit_setup(&st, &cc, &ao, &a, (size_t)(argc - optind)) < 0 ||
	    cli_out_open(&out, a.output) < 0) {
		agg_free(&st.agg);
		cli_case_free(&cc);
		return EXIT_INPUT;
	}
	st.out = &out;
	if (st.format == FMT_JSON || st.format == FMT_JSONL) {
		if (rd_writer_new(&st.w, st.format == FMT_JSON ? RD_FORMAT_JSON : RD_FORMAT_JSONL,
		                  RD_WRITE_RECORDS, cli_out_write, &out) != RD_OK ||
		    rd_writer_set_rules(st.w, cc.rules, &cc.co) != RD_OK) {
			cli_lib_error();
			status = EXIT_INPUT;
			goto finish;
		}
	}
	st.started = now();
	for (i = optind; i < argc && !st.out_failed; i++)
		if (audit_one(&st, &cc, &ao, argv[i], &status))
			break;
	st.agg.seconds = now() - st.started;
	audit_report(&st, a.color);
	if (status == EXIT_CLEAN && st.worst >= st.fail_on)
		status = EXIT_FINDINGS;
finish:
	rd_writer_free(st.w);
	if (cli_out_close(&out) < 0 || st.out_failed)
		status = EXIT_INPUT;
	agg_free(&st.agg);
	cli_case_free(&cc);
	return status;
}
