/** @file
 * @brief rahdari: reports and findings, and the writers that render them.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_REPORT_H
#define RAHDARI_REPORT_H

#include <rahdari/check.h>
#include <rahdari/common.h>
#include <rahdari/errors.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** Free a report. NULL is a no-op. */
RD_EXTERN(void) rd_report_free(rd_report *report);

/** Number of findings. */
RD_EXTERN(size_t) rd_report_count(const rd_report *report);
/** Finding @p i (0-based), or NULL when out of range. Findings come pattern by pattern,
 * each pattern's in document order. @borrowed: lives as long as the report */
RD_EXTERN(const rd_finding *) rd_report_finding(const rd_report *report, size_t i);
/** Number of findings of one severity. */
RD_EXTERN(size_t) rd_report_severity_count(const rd_report *report, rd_severity severity);
/** Highest severity among the findings, or 0 when there is none. */
RD_EXTERN(int) rd_report_max_severity(const rd_report *report);

/** Properties of a report, for rd_report_get(). */
typedef enum rd_report_field {
	RD_REPORT_DOCUMENT = 1, /**< name of the document checked */
	RD_REPORT_SHA256,       /**< SHA-256 of the document */
	RD_REPORT_AS_OF,        /**< the date the check ran as of */
	RD_REPORT_PHASE,        /**< the phase that ran ("#ALL" when every pattern ran) */
	RD_REPORT_LANG,         /**< language asked for */
	RD_REPORT_RULES_ID,     /**< id of the rule set */
	RD_REPORT_RULES_VERSION,/**< version of the rule set, may be NULL */
	RD_REPORT_RULES_PATH,   /**< where the rule set came from */
	RD_REPORT_RULES_TITLE   /**< title of the rule set, may be NULL */
} rd_report_field;

/** A property of the report, or NULL. @borrowed */
RD_EXTERN(const char *) rd_report_get(const rd_report *report, rd_report_field field);

/** A string property of a finding, or NULL when it has none. @borrowed */
RD_EXTERN(const char *) rd_finding_get(const rd_finding *finding, rd_field field);
/** rd_severity of the finding. */
RD_EXTERN(int) rd_finding_severity(const rd_finding *finding);
/** rd_kind of the finding. */
RD_EXTERN(int) rd_finding_kind(const rd_finding *finding);
/** Line of the node in the document (0 when unknown). */
RD_EXTERN(long) rd_finding_line(const rd_finding *finding);
/** Number of diagnostics attached to the finding (translations excluded). */
RD_EXTERN(size_t) rd_finding_diagnostic_count(const rd_finding *finding);
/** Text of diagnostic @p i; its id through @p id when not NULL. @borrowed */
RD_EXTERN(const char *) rd_finding_diagnostic(const rd_finding *finding, size_t i, const char **id);

/** "info", "warning" or "error". @borrowed (static) */
RD_EXTERN(const char *) rd_severity_name(rd_severity severity);
/** "assert", "report", "evaluation-error" or "schema". @borrowed (static) */
RD_EXTERN(const char *) rd_kind_name(rd_kind kind);

/* ---------------------------------------------------------------- writers */

/** Output formats. */
typedef enum rd_format {
	RD_FORMAT_TEXT = 1, /**< for people: grouped by document, most severe first */
	RD_FORMAT_JSON,     /**< one JSON object (doc/json.md) */
	RD_FORMAT_JSONL,    /**< one JSON object per document, then a summary line */
	RD_FORMAT_SVRL      /**< ISO Schematron Validation Report Language */
} rd_format;

/** The format named @p name ("text", "json", "jsonl", "svrl"), or 0. */
RD_EXTERN(int) rd_format_from_name(const char *name);

/** Writer flags. */
#define RD_WRITE_COLOR 0x1u   /**< text: ANSI colours (only for a terminal) */
#define RD_WRITE_QUIET 0x2u   /**< text: only the summary line per document */
#define RD_WRITE_RECORDS 0x4u /**< json, jsonl: an audit's writer (rd_writer_add_record); its
                                   summary counts records, even when there are none */

/**
 * Sink for writer output: write @p len bytes; return 0, or -1 to stop (the
 * writer then fails with RD_EIO).
 */
typedef int (*rd_write_fn)(const char *data, size_t len, void *payload);

/**
 * Create a writer. Reports are added one by one; the output is complete after
 * rd_writer_finish(). Formats that can stream (text, jsonl) write as reports
 * are added; json and svrl write everything at the end.
 * @param out receives the writer; free it with rd_writer_free(). @owned
 * @return RD_OK, RD_EINVAL or RD_ENOMEM
 */
RD_EXTERN(int) rd_writer_new(rd_writer **out, rd_format format, unsigned int flags,
                             rd_write_fn fn, void *payload) RD_WARN_UNUSED;
/**
 * Tell the writer which rules and options the reports come from, so that the output
 * names them even when no report is added (every input unreadable). Optional: without
 * it the writer takes them from the first report. @p opts may be NULL.
 * @return RD_OK, RD_EINVAL or RD_ENOMEM
 */
RD_EXTERN(int) rd_writer_set_rules(rd_writer *w, const rd_rules *rules,
                                   const rd_check_options *opts) RD_WARN_UNUSED;
/** Add one report. The writer keeps no pointer to it. @return RD_OK, RD_EIO or RD_ENOMEM */
RD_EXTERN(int) rd_writer_add(rd_writer *w, const rd_report *report) RD_WARN_UNUSED;
/**
 * Record that an input could not be checked (it could not be read, or was
 * refused), so that the output accounts for every input: the error appears
 * in the output ("errors" in JSON, a line in text). @p err is usually
 * rd_error_last(). @return RD_OK, RD_EIO or RD_ENOMEM
 */
RD_EXTERN(int) rd_writer_add_error(rd_writer *w, const char *path, const rd_error *err) RD_WARN_UNUSED;
/** Write what remains (closing brackets, summaries). @return RD_OK, RD_EIO or RD_ENOMEM */
RD_EXTERN(int) rd_writer_finish(rd_writer *w) RD_WARN_UNUSED;
/** Free a writer. NULL is a no-op. */
RD_EXTERN(void) rd_writer_free(rd_writer *w);

/**
 * Render one report to a NUL-terminated string in @p format.
 * @param out receives the text; free it with rd_free(). @owned
 * @param len receives its length when not NULL
 */
RD_EXTERN(int) rd_report_format(char **out, size_t *len, const rd_report *report,
                                rd_format format, unsigned int flags) RD_WARN_UNUSED;

/** Free memory that rahdari handed out (e.g. by rd_report_format()). NULL is a no-op. */
RD_EXTERN(void) rd_free(void *p);

RD_END_DECL

#endif /* RAHDARI_REPORT_H */
