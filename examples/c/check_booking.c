/* Check a booking with the embedded rule pack and print the findings.
 *
 *   cc check_booking.c $(pkg-config --cflags --libs rahdari) -o check_booking
 *   ./check_booking booking.xml [lang]
 *
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include <rahdari.h>

int main(int argc, char **argv)
{
	rd_check_options opts = RD_CHECK_OPTIONS_INIT;
	rd_rules *rules = NULL;
	rd_document *doc = NULL;
	rd_report *report = NULL;
	int status = 3;
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BOOKING.xml [LANG]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		opts.lang = argv[2];
	if (rd_rules_load_default(&rules) != RD_OK ||
	    rd_document_load_file(&doc, argv[1], NULL) != RD_OK ||
	    rd_check(&report, rules, doc, &opts) != RD_OK) {
		/* the message names file, line and column */
		fprintf(stderr, "%s\n", rd_error_last()->message);
		goto done;
	}
	for (i = 0; i < rd_report_count(report); i++) {
		const rd_finding *f = rd_report_finding(report, i);
		const char *cite = rd_finding_get(f, RD_FIELD_CITE);

		printf("%s %s line %ld: %s%s%s%s\n", rd_severity_name(rd_finding_severity(f)),
		       rd_finding_get(f, RD_FIELD_RULE), rd_finding_line(f),
		       rd_finding_get(f, RD_FIELD_MESSAGE), cite ? " (" : "", cite ? cite : "",
		       cite ? ")" : "");
	}
	status = rd_report_max_severity(report) >= RD_SEVERITY_ERROR ? 1 : 0;
done:
	rd_report_free(report);
	rd_document_free(doc);
	rd_rules_free(rules);
	return status;
}
