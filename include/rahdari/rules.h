/** @file
 * @brief rahdari: compiled rule sets (ISO Schematron schemas and rule packs).
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_RULES_H
#define RAHDARI_RULES_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/**
 * Load and compile rules from @p path: an ISO Schematron file (.sch), a rule
 * pack directory (holding pack.xml), or a pack.xml file.
 *
 * The whole schema is checked at load time: an unsupported feature, an XSLT 2
 * query binding, a bad XPath, an unknown prefix, variable or function, a
 * missing or cyclic include are refused with file, line and the offending
 * expression in rd_error_last(). So is an xs:pattern facet of a pack's XSD on
 * which libxml2's backtracking matcher could take time growing faster than the
 * value (RD_ERULES; see doc/rules.md). The compiled rule set is immutable and may
 * be used by many threads at once.
 *
 * Rules read only files under their own directory (a pack's directory, or the
 * directory @p path names a schema file in) and under the directories of the
 * packs they extend, symbolic links resolved: an include, table, XSD, schema or
 * test directory elsewhere (through "..", an absolute path or a link) is refused
 * with RD_EUNSAFE, naming the file and line that asked for it and nothing of
 * what it holds. See doc/rules.md.
 *
 * @param out  receives the rule set; free it with rd_rules_free(). @owned
 * @param opts limits for the XML files read, or NULL for the defaults
 * @return RD_OK, RD_EINVAL, RD_ENOTFOUND, RD_EIO, RD_EPARSE, RD_EUNSAFE,
 *         RD_ELIMIT, RD_ERULES, RD_EUNSUPPORTED or RD_ENOMEM
 */
RD_EXTERN(int) rd_rules_load(rd_rules **out, const char *path,
                             const rd_load_options *opts) RD_WARN_UNUSED;

/**
 * Compile a Schematron schema held in memory. Relative includes and tables are
 * resolved against @p base_dir and must be under it (NULL: they are refused).
 * @p name names the schema in messages.
 * @return as rd_rules_load()
 */
RD_EXTERN(int) rd_rules_load_memory(rd_rules **out, const void *data, size_t len,
                                    const char *name, const char *base_dir,
                                    const rd_load_options *opts) RD_WARN_UNUSED;

/**
 * The default rule pack, embedded in the library at build time. Loading it
 * reads no file.
 * @return as rd_rules_load()
 */
RD_EXTERN(int) rd_rules_load_default(rd_rules **out) RD_WARN_UNUSED;

/**
 * The default pack for a jurisdiction: the embedded pack for @p jurisdiction ("PK-PB"
 * gives the Punjab overlay on the federal pack), or the federal pack when there is none
 * for it. NULL is the same as rd_rules_load_default().
 * @return as rd_rules_load()
 */
RD_EXTERN(int) rd_rules_load_default_for(rd_rules **out, const char *jurisdiction) RD_WARN_UNUSED;

/** Release a rule set. Reports made with it stay valid. NULL is a no-op. */
RD_EXTERN(void) rd_rules_free(rd_rules *rules);

/** Properties of a rule set, for rd_rules_get(). */
typedef enum rd_rules_field {
	RD_RULES_ID = 1,       /**< pack id, or the schema's id attribute, or the file name */
	RD_RULES_VERSION,      /**< pack version or schema schemaVersion, may be NULL */
	RD_RULES_TITLE,        /**< pack or schema title, may be NULL */
	RD_RULES_PATH,         /**< where the rules came from ("(embedded)" for the default pack) */
	RD_RULES_JURISDICTION, /**< pack jurisdiction, may be NULL */
	RD_RULES_EFFECTIVE,    /**< pack effective date, may be NULL */
	RD_RULES_DEFAULT_PHASE, /**< the defaultPhase of the (first) schema, may be NULL */
	RD_RULES_TESTS          /**< the pack's own test directory (an overlay's, not its base's), may be NULL */
} rd_rules_field;

/** A property of the rule set, or NULL when it has none. @borrowed */
RD_EXTERN(const char *) rd_rules_get(const rd_rules *rules, rd_rules_field field);

/** Number of test directories of a pack loaded from files: its own and those of the packs
 * it extends (tests elements). Embedded packs carry none. */
RD_EXTERN(size_t) rd_rules_test_dir_count(const rd_rules *rules);
/** Test directory @p i, base packs first, or NULL when out of range. @borrowed */
RD_EXTERN(const char *) rd_rules_test_dir(const rd_rules *rules, size_t i);

/** Number of phases declared (over all schemas of a pack). */
RD_EXTERN(size_t) rd_rules_phase_count(const rd_rules *rules);
/** Id of phase @p i, or NULL when out of range. @borrowed */
RD_EXTERN(const char *) rd_rules_phase(const rd_rules *rules, size_t i);
/** 1 when a phase with this id exists ("#ALL" and "#DEFAULT" always do), else 0. */
RD_EXTERN(int) rd_rules_has_phase(const rd_rules *rules, const char *phase);

/** Number of parameters: schema-level variables a check may give values (rd_param). A name
 * declared by several schemas of a pack is one parameter (a value given sets them all). */
RD_EXTERN(size_t) rd_rules_param_count(const rd_rules *rules);
/** Name of parameter @p i; its expression through @p value when not NULL. @borrowed */
RD_EXTERN(const char *) rd_rules_param(const rd_rules *rules, size_t i, const char **value);

/** Number of concrete asserts and reports in the rule set. */
RD_EXTERN(size_t) rd_rules_assertion_count(const rd_rules *rules);
/** Assertion @p i, or NULL when out of range. @borrowed: lives as long as the rule set */
RD_EXTERN(const rd_assertion *) rd_rules_assertion(const rd_rules *rules, size_t i);
/** A string property of an assertion, or NULL (RD_FIELD_MESSAGE gives the English message template text). @borrowed */
RD_EXTERN(const char *) rd_assertion_get(const rd_assertion *a, rd_field field);
/** RD_KIND_ASSERT or RD_KIND_REPORT. */
RD_EXTERN(int) rd_assertion_kind(const rd_assertion *a);
/** The severity a finding of this assertion has. */
RD_EXTERN(int) rd_assertion_severity(const rd_assertion *a);
/** Line of the assertion in its source file. */
RD_EXTERN(long) rd_assertion_line(const rd_assertion *a);
/** 1 when the assertion has a message in language @p lang (its own text or a diagnostic). */
RD_EXTERN(int) rd_assertion_has_lang(const rd_assertion *a, const char *lang);

RD_END_DECL

#endif /* RAHDARI_RULES_H */
