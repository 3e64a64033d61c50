/** @file
 * @brief rahdari: forward declarations of every opaque type.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_TYPES_H
#define RAHDARI_TYPES_H

#include <rahdari/common.h>

/** A compiled, immutable rule set (a Schematron schema or a rule pack). Thread-safe to share. */
typedef struct rd_rules rd_rules;
/** A parsed XML document (booking, licence, visa, ...). Read-only once loaded. */
typedef struct rd_document rd_document;
/** The result of one check: the findings for one document. */
typedef struct rd_report rd_report;
/** One finding in a report (a failed assert, a successful report, or an evaluation error). */
typedef struct rd_finding rd_finding;
/** One assert or report of a rule set, as compiled. */
typedef struct rd_assertion rd_assertion;
/** Renders reports in one output format. */
typedef struct rd_writer rd_writer;

/** Limits and options for loading XML documents and rules. Initialise with
 * RD_LOAD_OPTIONS_INIT or rd_load_options_init(); any other version is refused. */
typedef struct rd_load_options {
	unsigned int version;   /**< RD_LOAD_OPTIONS_VERSION */
	size_t max_bytes;       /**< refuse larger inputs; 0: RD_DEFAULT_MAX_BYTES */
	unsigned int max_depth; /**< refuse deeper element nesting; 0: RD_DEFAULT_MAX_DEPTH */
} rd_load_options;

/** The version of rd_load_options these headers describe. */
#define RD_LOAD_OPTIONS_VERSION 1
/** rd_load_options with the defaults: assign it, then set what differs. */
#define RD_LOAD_OPTIONS_INIT { RD_LOAD_OPTIONS_VERSION, 0, 0 }

RD_BEGIN_DECL
/** Set @p opts to RD_LOAD_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_load_options_init(rd_load_options *opts);
RD_END_DECL

/** Default size limit for one document: 256 MiB. */
#define RD_DEFAULT_MAX_BYTES ((size_t)256 * 1024 * 1024)
/** Default element nesting limit. */
#define RD_DEFAULT_MAX_DEPTH 256

/** Severity of a finding. Higher is worse. */
typedef enum rd_severity {
	RD_SEVERITY_INFO = 1,
	RD_SEVERITY_WARNING = 2,
	RD_SEVERITY_ERROR = 3
} rd_severity;

/** What produced a finding. */
typedef enum rd_kind {
	RD_KIND_ASSERT = 1,    /**< an assert whose test was false */
	RD_KIND_REPORT = 2,    /**< a report whose test was true */
	RD_KIND_EVAL_ERROR = 3, /**< an expression that could not be evaluated on this document */
	RD_KIND_SCHEMA = 4      /**< the document breaks its kind's XML Schema (structure) */
} rd_kind;

/** String properties of assertions and findings, for rd_assertion_get() and rd_finding_get(). */
typedef enum rd_field {
	RD_FIELD_RULE = 1,       /**< the assert/report id */
	RD_FIELD_PATTERN,        /**< id of the pattern */
	RD_FIELD_CONTEXT,        /**< the rule context expression */
	RD_FIELD_TEST,           /**< the assert/report test expression */
	RD_FIELD_MESSAGE,        /**< message, in the language chosen for the check */
	RD_FIELD_LOCATION,       /**< XPath of the node the finding is about (findings only) */
	RD_FIELD_DOCUMENT,       /**< name of the document checked (findings only) */
	RD_FIELD_CITE,           /**< rd:cite, the legal basis */
	RD_FIELD_TAGS,           /**< rd:tags, space-separated */
	RD_FIELD_CONFIDENCE,     /**< rd:confidence: V, S or U */
	RD_FIELD_JURISDICTION,   /**< rd:jurisdiction, space-separated codes */
	RD_FIELD_EFFECTIVE_FROM, /**< rd:effective-from, YYYY-MM-DD */
	RD_FIELD_EFFECTIVE_TO,   /**< rd:effective-to, YYYY-MM-DD */
	RD_FIELD_ROLE,           /**< Schematron role */
	RD_FIELD_FLAG,           /**< Schematron flag */
	RD_FIELD_SEE,            /**< Schematron see (a URL) */
	RD_FIELD_SOURCE,         /**< rule file the assertion comes from */
	RD_FIELD_RULE_ID,        /**< id of the enclosing sch:rule, when it has one */
	RD_FIELD_LANG            /**< language of RD_FIELD_MESSAGE */
} rd_field;

#endif /* RAHDARI_TYPES_H */
