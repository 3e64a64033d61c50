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

/* A group of records: by agency, branch, route or day. */
typedef struct agg_group {
	char *key;         /* the group's key (licence, "licence / office", "LHE-JED", "2026-11-03") */
	char *label;       /* how to show it (e.g. "PB-LHR-2019-0412 Al-Noor Travels"), never NULL */
	uint64_t records;
	uint64_t flagged;  /* records with at least one finding */
	uint64_t counts[4]; /* findings by severity: [RD_SEVERITY_ERROR] ... [RD_SEVERITY_INFO] */
} agg_group;

typedef struct agg_groups {
	agg_group *v;
	size_t n, cap;
	size_t *hash;      /* internal: open addressing, index + 1 */
	size_t hsize;
} agg_groups;

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
	agg_groups agencies, branches, routes, days;
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
/* Sort the groups and rules for display (most findings first). */
void agg_finish(audit_agg *g);

/* The reports. Each returns 0, or -1 when the output could not be written. */
int audit_write_text(FILE *out, const audit_agg *g, int color);
int audit_write_html(FILE *out, const audit_agg *g);

#endif
