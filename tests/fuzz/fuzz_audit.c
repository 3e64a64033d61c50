/* rahdari fuzz target "audit": rd_audit_memory with the embedded pk pack over a fuzzed
 * submission.
 *
 * The input is a whole file (a submission, or any XML whose root's children are records).
 * It is audited in one thread (so that a run is reproducible) with the facets that
 * `rahdari audit` groups by, and each record goes to a JSON Lines writer. The audit must
 * hand over the records in order, one report each, count them as it says, and end with a
 * status it documents.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

static rd_rules *pk;

/* What `rahdari audit` groups by (cli/audit.c), and one expression that fails. */
static const char *const facets[] = {
	"normalize-space(d:agency/@licence)",
	"concat(d:segment[1]/@from, '-', d:segment[1]/@to)",
	"substring(normalize-space(@created), 1, 10)",
	"count(//d:passenger) div count(d:nothing)",
};

typedef struct seen {
	uint64_t records;
	rd_writer *writer;
	size_t bytes;
} seen;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (rd_rules_load_default(&pk) != RD_OK)
		FUZZ_FAIL("the embedded pk pack does not load: %s", rd_error_last()->message);
	return 0;
}

static int on_record(const rd_audit_record *r, void *payload)
{
	seen *s = payload;
	size_t i;

	FUZZ_REQUIRE(r->index == s->records);
	FUZZ_REQUIRE(r->report != NULL && r->document != NULL && r->element != NULL);
	FUZZ_REQUIRE(r->line >= 1);
	FUZZ_REQUIRE(r->nfacets == sizeof facets / sizeof facets[0] && r->facets != NULL);
	for (i = 0; i < r->nfacets; i++)
		FUZZ_REQUIRE(r->facets[i] != NULL);
	fuzz_walk_report(r->report);
	fuzz_status(rd_writer_add_record(s->writer, r), FUZZ_ST(RD_ENOMEM), "rd_writer_add_record");
	s->records++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd_audit_options o = RD_AUDIT_OPTIONS_INIT;
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	seen s;
	int rc;

	memset(&s, 0, sizeof s);
	rc = rd_writer_new(&s.writer, RD_FORMAT_JSONL, RD_WRITE_RECORDS, fuzz_discard, &s.bytes);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_writer_new");
	if (rc != RD_OK)
		return 0;
	o.jobs = 1;
	o.check.as_of = RD_FUZZ_AS_OF;
	o.facets = facets;
	o.nfacets = sizeof facets / sizeof facets[0];
	rc = rd_audit_memory(pk, data, size, "fuzz.xml", &o, on_record, NULL, &s, &stats);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM) | FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_EUNSAFE) |
	                FUZZ_ST(RD_ELIMIT) | FUZZ_ST(RD_EUNSUPPORTED), "rd_audit_memory");
	if (rc != RD_OK && rc != RD_ENOMEM)
		FUZZ_REQUIRE(rd_error_last()->file != NULL);
	FUZZ_REQUIRE(stats.records == s.records);
	FUZZ_REQUIRE(stats.bytes_read <= size);
	fuzz_status(rd_writer_finish(s.writer), FUZZ_ST(RD_ENOMEM), "rd_writer_finish");
	rd_writer_free(s.writer);
	return 0;
}
