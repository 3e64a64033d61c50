/* rahdari: checking a document against a rule set.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_CHECK_H
#define RAHDARI_CHECK_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** Options of one check. Initialise with RD_CHECK_OPTIONS_INIT. */
typedef struct rd_check_options {
	unsigned int version;     /**< RD_CHECK_OPTIONS_VERSION */
	const char *as_of;        /**< "YYYY-MM-DD": the date rules see as today; NULL: today (local time) */
	const char *phase;        /**< phase id, "#ALL", or NULL / "#DEFAULT" for the schema's defaultPhase */
	const char *lang;         /**< message language ("en", "ur", ...); NULL: "en". English is the fallback */
	const char *jurisdiction; /**< run only rules for this jurisdiction and its parents (e.g. "PK-PB"); NULL: all */
	unsigned int flags;       /**< reserved: 0 */
} rd_check_options;

#define RD_CHECK_OPTIONS_VERSION 1
#define RD_CHECK_OPTIONS_INIT { RD_CHECK_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0 }

/**
 * Check @p doc against @p rules.
 *
 * RD_OK means the check RAN, whether or not the document complies: the
 * verdict is in the report. An expression that cannot be evaluated on this
 * document becomes a finding of kind RD_KIND_EVAL_ERROR; it is never dropped.
 * Many threads may check at once with the same rules and the same document.
 *
 * @param out  receives the report; free it with rd_report_free(). @owned
 * @param opts NULL for the defaults
 * @return RD_OK, RD_EINVAL (bad option), RD_ENOTFOUND (unknown phase) or RD_ENOMEM
 */
RD_EXTERN(int) rd_check(rd_report **out, const rd_rules *rules, const rd_document *doc,
                        const rd_check_options *opts) RD_WARN_UNUSED;

RD_END_DECL

#endif /* RAHDARI_CHECK_H */
