/* rahdari audit: what an audit adds up, for the text and HTML reports.
 * SPDX-License-Identifier: MIT */
#ifndef RD_CLI_AUDIT_H
#define RD_CLI_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rahdari.h>

/* One rule that fired: its findings and the records they are in. */
typedef struct agg_rule {
	char *id;          /* rule id, or "(no id)" */
	int severity;      /* RD_SEVERITY_* */
	int kind;          /* RD_KIND_* */
	char *cite;        /* rd:cite, or NULL */
	char *message;     /* the message of its first finding (an example) */
	uint64_t findings;
	uint64_t records;  /* records with at least one finding of this rule */
	uint64_t last_record; /* internal: the last record counted (1-based), for records */
} agg_rule;

/* Groups of records (by agency, branch or route) are counted in a summary of bounded
 * size, so that a submission with millions of distinct agencies or routes takes no more
 * memory than one with ten. Up to AGG_GROUPS_MAX groups of a kind are counted exactly;
 * beyond that the summary keeps the heavy hitters (Space-Saving, Metwally et al. 2005):
 * a new group takes the place of the group that ranks lowest (fewest errors, then
 * findings, then records; see agg_add), and inherits that group's rank but not its
 * counts. So a group's counts are what was counted since it was last taken in: exact
 * when it cannot have been dropped before (exact is set), else a lower bound. The
 * totals of the run stay exact; what the shown groups leave over is the "others".
 * As in Space-Saving, a group that was dropped had, when it was, no more errors than the
 * lowest rank then, which is at most the run's errors / AGG_GROUPS_MAX: so every group
 * with more errors than that is kept, whatever the order of the records. */
#define AGG_GROUPS_MAX 1024
#define AGG_KEY_MAX 256   /* bytes of a group's key that are kept (the rest is hashed) */
#define AGG_LABEL_MAX 512 /* bytes of a group's label, and of the other strings kept */

typedef struct agg_group {
	char *key;         /* the group's key (licence, "licence / office", "LHE-JED"), cut */
	char *label;       /* how to show it (e.g. "PB-LHR-2019-0412 Al-Noor Travels"), never NULL */
	uint64_t records;
	uint64_t flagged;  /* records with at least one finding */
	uint64_t counts[4]; /* findings by severity: [RD_SEVERITY_ERROR] ... [RD_SEVERITY_INFO] */
	int exact;         /* every record of the group is counted; else the counts are at least */
	/* internal */
	uint64_t fp;       /* fingerprint of the whole key (a fixed hash) */
	uint64_t rank[3];  /* errors, findings, records, with what it inherited: for the summary */
	size_t heap;       /* its place in the heap */
} agg_group;

typedef struct agg_groups {
	agg_group *v;      /* after agg_finish: the groups kept, most errors first */
	size_t n;
	uint64_t dropped;  /* how many times a group made room for another: 0 when all are here */
	/* internal */
	size_t cap;
	size_t *hash;      /* open addressing, index + 1 */
	size_t hsize;
	size_t *heap;      /* indexes of v, the lowest rank first */
	unsigned char *hll;   /* HyperLogLog registers: how many distinct keys */
	unsigned char *bloom; /* the keys ever dropped (a Bloom filter), once one was */
} agg_groups;

/* The number of distinct groups: exact when nothing was dropped (*estimated = 0), else an
 * estimate (*estimated = 1) within the bounds that are known. */
uint64_t agg_groups_count(const agg_groups *gs, int *estimated);

/* Records by the day of the booking, in bounded memory: day by day up to AGG_DAYS_MAX
 * distinct days, then month by month (up to AGG_DAYS_MAX months), then year by year
 * (years 1 to 9999). The counts are exact at every level; only the resolution drops. */
#define AGG_DAYS_MAX 4096
enum { AGG_BY_DAY, AGG_BY_MONTH, AGG_BY_YEAR };

typedef struct agg_bucket {
	long key;          /* a day (as agg_date_parse), a month (year * 12 + month - 1) or a year */
	uint64_t records, flagged;
} agg_bucket;

typedef struct agg_days {
	int level;         /* AGG_BY_*: what the buckets are */
	agg_bucket *v;
	size_t n;
	long first, last;  /* the earliest and the latest day seen, when dated */
	uint64_t dated;    /* records with a date */
	uint64_t undated, undated_flagged; /* records without a date that could be read */
	/* internal */
	size_t cap;
	size_t *hash;
	size_t hsize;
} agg_days;

/* A YYYY-MM-DD date (years 0001 to 9999) as days since 0000-03-01: 1, or 0 when s is
 * not one. */
int agg_date_parse(const char *s, long *day);
/* The year, month and day of a day number, and back. */
void agg_date_civil(long day, long *y, long *m, long *d);
long agg_date_day(long y, long m, long d);

/* One of the worst records (most errors, then most warnings, then first in the file). */
typedef struct agg_record {
	char *file;
	uint64_t index;    /* 0-based position in its file */
	char *id;          /* the record's id attribute, or NULL */
	long line;
	uint64_t counts[4];
	char *rules;       /* the ids of the rules that fired, space-separated, each once */
	char *agency;      /* its agency label, or NULL */
} agg_record;

/* One input file. */
typedef struct agg_file {
	char *path;
	uint64_t records;
	uint64_t bytes;
	double seconds;
	int status;        /* RD_OK, or the error that stopped it */
	char *error;       /* its message (file:line:column: why), or NULL */
} agg_file;

typedef struct audit_agg {
	/* the run */
	const char *tool_version;
	const char *rules_id, *rules_version, *rules_title;
	const char *as_of;
	const char *jurisdiction;  /* or NULL */
	unsigned int jobs;
	double seconds;            /* wall-clock time of the whole audit */
	/* totals */
	uint64_t records, flagged, bytes;
	uint64_t counts[4];
	agg_file *files;
	size_t nfiles;
	/* by rule, in order of first appearance (writers sort as they like) */
	agg_rule *rules;
	size_t nrules, caprules;
	/* groups (kept only when grouped is set: the text and html reports show them) */
	int grouped;
	agg_groups agencies, branches, routes;
	agg_days days;
	/* the worst records, worst first */
	agg_record *worst;
	size_t nworst, maxworst;
} audit_agg;

/* The facets the audit asks the library to evaluate on each record, in this order. */
enum { FACET_LICENCE, FACET_AGENCY_NAME, FACET_OFFICE, FACET_ROUTE, FACET_DATE, FACET_COUNT };

void agg_init(audit_agg *g, size_t maxworst);
void agg_free(audit_agg *g);
/* Count one audited record (of file f). 0, or -1 when out of memory. */
int agg_add(audit_agg *g, agg_file *f, const rd_audit_record *r);
/* Sort the groups and rules for display (most errors, then findings, then records first;
 * then by key). */
void agg_finish(audit_agg *g);

/* The reports. Each returns 0, or -1 when the output could not be written. */
int audit_write_text(FILE *out, const audit_agg *g, int color);
int audit_write_html(FILE *out, const audit_agg *g);

#endif
