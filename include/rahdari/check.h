/** @file
 * @brief rahdari: checking a document against a rule set.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_CHECK_H
#define RAHDARI_CHECK_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** Reference data loaded at run time (a CSV file), e.g. a regulator's licence register. */
typedef struct rd_data_table rd_data_table;

/**
 * Load a CSV table under @p name (rules read it with fn:in-table(name, ...) and
 * fn:lookup(name, ...); a table given to a check hides a pack table of the same name).
 * Format as for rd:table: a header row, RFC 4180 quoting, UTF-8.
 * @param out receives the table; free it with rd_data_table_free(). @owned
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE, RD_ELIMIT or RD_ENOMEM
 */
RD_EXTERN(int) rd_data_table_load(rd_data_table **out, const char *name,
                                  const char *path) RD_WARN_UNUSED;
/** Free a table. NULL is a no-op. */
RD_EXTERN(void) rd_data_table_free(rd_data_table *table);

struct rd_trust;

/** A document of a case, by role ("licence", "passport", ...). */
typedef struct rd_case_doc {
	const char *role;      /**< the role fn:doc() names it by, e.g. "passport" */
	const rd_document *doc; /**< the document (borrowed for the check) */
} rd_case_doc;

/** A parameter of the rules given a value for one check (a schema-level sch:let). */
typedef struct rd_param {
	const char *name;  /**< the parameter's name, as in its sch:let */
	const char *value; /**< a number when it reads as one, else a string */
} rd_param;

/** Flags of a check. */
#define RD_CHECK_NO_XSD 0x1u /**< skip the structural (XSD) validation of the pack */

/** Options of one check. Initialise with RD_CHECK_OPTIONS_INIT or rd_check_options_init();
 * any other version is refused (doc/api.md, "Options structs"). */
typedef struct rd_check_options {
	unsigned int version;     /**< RD_CHECK_OPTIONS_VERSION */
	const char *as_of;        /**< "YYYY-MM-DD": the date rules see as today; NULL: today (local time) */
	const char *phase;        /**< phase id, "#ALL", or NULL / "#DEFAULT" for the schema's defaultPhase */
	const char *lang;         /**< message language ("en", "ur", ...); NULL: "en". English is the fallback */
	const char *jurisdiction; /**< run only rules for this jurisdiction and its parents (e.g. "PK-PB"); NULL: all */
	unsigned int flags;       /**< RD_CHECK_NO_XSD, or 0 */
	const rd_case_doc *docs;  /**< other documents of the case, reached with fn:doc(role) */
	size_t ndocs;             /**< number of entries of docs */
	const rd_data_table *const *tables; /**< tables given at run time */
	size_t ntables;           /**< number of entries of tables */
	const rd_param *params;   /**< values for the rules' parameters (schema-level lets) */
	size_t nparams;           /**< number of entries of params */
	const struct rd_trust *trust; /**< the regulator's trust store (<rahdari/trust.h>): the
	                                   case's licences are verified against it, as of the
	                                   end of the as-of day, when a rule calls
	                                   fn:licence-signature(); NULL: they are not checked */
	unsigned long max_ops;    /**< the evaluation budget of one check, in XPath operations
	                               (see doc/rules.md); 0: RD_DEFAULT_MAX_OPS */
} rd_check_options;

/**
 * The default evaluation budget of a check, in XPath operations (a step evaluated, a node
 * an axis visits, 16 bytes a rahdari function reads; doc/rules.md says what is not
 * counted): about 180 times what the largest realistic document of the tests needs with
 * the pk pack, and a few tenths of a second of work.
 */
#define RD_DEFAULT_MAX_OPS 20000000UL

/** The version of rd_check_options these headers describe. */
#define RD_CHECK_OPTIONS_VERSION 1
/** rd_check_options with the defaults: assign it, then set what differs. */
#define RD_CHECK_OPTIONS_INIT { RD_CHECK_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0 }

/** Set @p opts to RD_CHECK_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_check_options_init(rd_check_options *opts);

/**
 * Check @p doc against @p rules.
 *
 * RD_OK means the check RAN, whether or not the document complies: the
 * verdict is in the report. An expression that cannot be evaluated on this
 * document becomes a finding of kind RD_KIND_EVAL_ERROR; it is never dropped.
 * When the evaluation budget (max_ops) runs out, the report has the findings made
 * until then and one evaluation-error finding that names the rule and expression
 * where it ran out; the remaining rules are not evaluated. An allocation that fails
 * anywhere in the check (in rahdari or in libxml2) makes it return RD_ENOMEM, never a
 * report that could lack a finding.
 * Many threads may check at once with the same rules and the same document.
 *
 * @param out  receives the report; free it with rd_report_free(). @owned
 * @param opts NULL for the defaults
 * When the rules' pack declares an XSD for the document's kind (its root element in
 * urn:rahdari:doc:1), the document is validated against it first, and every structural
 * error is a finding of kind RD_KIND_SCHEMA with its line; the rules run all the same.
 * A value libxml2 cannot match against its pattern (a value of millions of characters)
 * stops the validation: one such finding says so, where it stopped.
 *
 * @return RD_OK, RD_EINVAL (bad option, unknown parameter), RD_ENOTFOUND (unknown phase)
 *         or RD_ENOMEM
 */
RD_EXTERN(int) rd_check(rd_report **out, const rd_rules *rules, const rd_document *doc,
                        const rd_check_options *opts) RD_WARN_UNUSED;

RD_END_DECL

#endif /* RAHDARI_CHECK_H */
