/* Audit a submission with the embedded rule pack: one line per booking with findings,
 * then the totals. Build: cc audit_submission.c $(pkg-config --cflags --libs rahdari)
 * Run:   ./audit_submission submission.xml [YYYY-MM-DD]
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include <rahdari.h>

struct totals {
	unsigned long records, flagged;
};

/* Called for each booking, in the order of the file, in this thread. */
static int on_record(const rd_audit_record *r, void *payload)
{
	struct totals *t = payload;
	size_t i, n = rd_report_count(r->report);

	t->records++;
	if (n == 0)
		return 0; /* go on */
	t->flagged++;
	printf("booking %s (line %ld):\n", r->id ? r->id : "(no id)", r->line);
	for (i = 0; i < n; i++) {
		const rd_finding *f = rd_report_finding(r->report, i);

		printf("  %s %s: %s\n", rd_severity_name(rd_finding_severity(f)),
		       rd_finding_get(f, RD_FIELD_RULE), rd_finding_get(f, RD_FIELD_MESSAGE));
	}
	return 0;
}

int main(int argc, char **argv)
{
	rd_audit_options opts = RD_AUDIT_OPTIONS_INIT;
	struct totals t = { 0, 0 };
	rd_rules *rules;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s SUBMISSION.xml [AS-OF-DATE]\n", argv[0]);
		return 2;
	}
	if (rd_rules_load_default(&rules) != RD_OK) {
		fprintf(stderr, "%s\n", rd_error_last()->message);
		return 3;
	}
	opts.jobs = 0;                                    /* a thread per core */
	opts.check.as_of = argc > 2 ? argv[2] : NULL;     /* NULL: today */
	rc = rd_audit_file(rules, argv[1], &opts, on_record, NULL, &t, NULL);
	rd_rules_free(rules);
	if (rc != RD_OK) {
		/* the bookings before a fault have been reported; this names file:line:column */
		fprintf(stderr, "%s\n", rd_error_last()->message);
		return 3;
	}
	printf("%lu bookings, %lu with findings\n", t.records, t.flagged);
	return t.flagged ? 1 : 0;
}
