/** @file
 * @brief rahdari: streaming audits of large submissions.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_AUDIT_H
#define RAHDARI_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <rahdari/common.h>
#include <rahdari/types.h>
#include <rahdari/check.h>

RD_BEGIN_DECL

/** Options of an audit. Initialise with RD_AUDIT_OPTIONS_INIT or rd_audit_options_init();
 * any other version is refused, and so is one of @c check (doc/api.md, "Options structs"). */
typedef struct rd_audit_options {
	unsigned int version;    /**< RD_AUDIT_OPTIONS_VERSION */
	/**
	 * Local name of the record element (any namespace; records are never nested). NULL:
	 * every element child of the root, except in a submission (urn:rahdari:doc:1), whose
	 * records are its bookings.
	 */
	const char *record;
	/**
	 * Local names (separated by spaces) of elements of the envelope, children of the root
	 * that are not records, to copy into each record that has no child of that name. NULL:
	 * "agency" for a submission (a booking without its own agency is the submission's
	 * agency's), none otherwise. "" carries nothing.
	 */
	const char *carry;
	/** Threads that check records, the calling thread included (it also reads the input
	 * and calls on_record, and checks records when enough wait): 0 one per core; 1 no
	 * other thread. */
	unsigned int jobs;
	/** Options of each record's check (as-of date, language, phase, tables, the evaluation
	 * budget of each record, ...). */
	rd_check_options check;
	/**
	 * XPath 1.0 expressions evaluated on each record (in the thread that checks it),
	 * whose string values the record callback receives: for grouping (agency, route,
	 * date). The prefix d is bound to urn:rahdari:doc:1. An expression that fails on a
	 * record gives "".
	 */
	const char *const *facets;
	size_t nfacets; /**< number of expressions in facets */
	/** Limits: the largest record in bytes (0: 256 MiB) and the nesting depth (0: 256). The
	 * file itself may be of any size. */
	size_t max_record_bytes; /**< largest record, in bytes (0: 256 MiB) */
	unsigned int max_depth;   /**< deepest nesting of a record (0: 256) */
} rd_audit_options;

/** The version of rd_audit_options these headers describe. */
#define RD_AUDIT_OPTIONS_VERSION 1
/** rd_audit_options with the defaults: assign it, then set what differs. */
#define RD_AUDIT_OPTIONS_INIT { RD_AUDIT_OPTIONS_VERSION, NULL, NULL, 0, RD_CHECK_OPTIONS_INIT, NULL, 0, 0, 0 }

/** Set @p opts to RD_AUDIT_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_audit_options_init(rd_audit_options *opts);

/** One checked record, handed to the record callback in input order. */
typedef struct rd_audit_record {
	uint64_t index;               /**< 0-based position among the records of the file */
	const char *id;               /**< the record element's id attribute, or NULL */
	const char *element;          /**< the record element's local name */
	long line;                    /**< line of the record's start tag in the file */
	const rd_report *report;      /**< the findings; document name is the file's */
	const char *const *facets;    /**< the nfacets facet values, never NULL when nfacets */
	size_t nfacets;               /**< number of facet values (rd_audit_options.nfacets) */
	const rd_document *document;  /**< the record as a document (valid during the callback) */
} rd_audit_record;

/**
 * Called once per record, in input order, in the thread that called rd_audit_*(). The
 * record and everything it points to are valid only during the call. Return 0 to go
 * on, anything else (positive or negative) to stop the audit: rd_audit_* then returns
 * RD_ESTOPPED, with a message in rd_error_last() that names the record and the value
 * returned (<rahdari/errors.h>, "Callbacks"). Keep the reason in @p payload.
 */
typedef int (*rd_audit_record_fn)(const rd_audit_record *record, void *payload);

/** Progress of an audit: bytes read so far, the input's size when known (else 0),
 * records checked. The struct may grow: a caller that hands one to rd_audit_*() (@c stats)
 * initialises it with RD_AUDIT_PROGRESS_INIT, and the library refuses (RD_EINVAL) one of
 * another version; the progress callback receives one of RD_AUDIT_PROGRESS_VERSION. */
typedef struct rd_audit_progress {
	unsigned int version;  /**< RD_AUDIT_PROGRESS_VERSION */
	uint64_t bytes_read;  /**< bytes of the input read so far */
	uint64_t bytes_total; /**< the input's size when known (a regular file), else 0 */
	uint64_t records;     /**< records checked so far */
} rd_audit_progress;

/** The version of rd_audit_progress these headers describe. */
#define RD_AUDIT_PROGRESS_VERSION 1
/** An empty rd_audit_progress of this version: initialise the caller's struct with it. */
#define RD_AUDIT_PROGRESS_INIT { RD_AUDIT_PROGRESS_VERSION, 0, 0, 0 }

/** Called in the calling thread after each block of input read (about 256 KiB). */
typedef void (*rd_audit_progress_fn)(const rd_audit_progress *progress, void *payload);

/**
 * Audit a file (or standard input when @p path is "-") record by record: the file is
 * read as a stream in flat memory, each record becomes a document of its own (so a rule
 * behaves as it does in rd_check() on that record alone), the records are checked by a
 * pool of threads sharing @p rules, and @p on_record receives them in input order.
 *
 * A record that cannot be evaluated by some rule gets an evaluation-error finding; the
 * audit goes on. So does a record whose evaluation budget (check.max_ops) runs out, and a
 * record whose check runs out of memory (its one finding says it could not be checked). A file that is malformed (or refused) part-way: every record before the
 * fault has been handed to @p on_record, and the function returns the error (RD_EPARSE,
 * RD_EUNSAFE, RD_ELIMIT) with its line and column in rd_error_last().
 *
 * @param opts        NULL for the defaults
 * @param on_progress may be NULL
 * @param stats       receives the totals when not NULL (also on error); initialise it with
 *                    RD_AUDIT_PROGRESS_INIT (another version: RD_EINVAL, left as it is)
 * @return RD_OK, RD_ESTOPPED (the record callback returned non-zero), RD_EINVAL
 *         (options or stats of another version, ...), RD_ENOTFOUND, RD_EIO,
 *         RD_EPARSE, RD_EUNSAFE, RD_ELIMIT, RD_ERULES (a facet that does not compile),
 *         RD_EUNSUPPORTED (a file that declares an encoding other than UTF-8) or
 *         RD_ENOMEM
 */
RD_EXTERN(int) rd_audit_file(const rd_rules *rules, const char *path,
                             const rd_audit_options *opts, rd_audit_record_fn on_record,
                             rd_audit_progress_fn on_progress, void *payload,
                             rd_audit_progress *stats);

/** As rd_audit_file(), from a file descriptor (read until end of file, not closed);
 * @p name names it in findings and messages. */
RD_EXTERN(int) rd_audit_fd(const rd_rules *rules, int fd, const char *name,
                           const rd_audit_options *opts, rd_audit_record_fn on_record,
                           rd_audit_progress_fn on_progress, void *payload,
                           rd_audit_progress *stats);

/** As rd_audit_file(), from memory. */
RD_EXTERN(int) rd_audit_memory(const rd_rules *rules, const void *data, size_t len,
                               const char *name, const rd_audit_options *opts,
                               rd_audit_record_fn on_record, rd_audit_progress_fn on_progress,
                               void *payload, rd_audit_progress *stats);

/**
 * Write one audited record to a writer of format RD_FORMAT_JSON or RD_FORMAT_JSONL
 * (jsonl: one line per record; json: one document streamed record by record, with
 * "records" instead of "documents" and "findings"). rd_writer_finish() ends it with the
 * summary. A writer takes either records or reports, not both.
 * @return RD_OK, RD_EINVAL (other format, or reports added before), RD_EIO or RD_ENOMEM
 */
RD_EXTERN(int) rd_writer_add_record(rd_writer *w, const rd_audit_record *record) RD_WARN_UNUSED;

RD_END_DECL

#endif /* RAHDARI_AUDIT_H */
