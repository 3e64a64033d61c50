/** @file
 * @brief rahdari: ICAO Doc 9303 machine-readable zones (passports, identity cards, visas).
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_MRZ_H
#define RAHDARI_MRZ_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** A parsed machine-readable zone. */
typedef struct rd_mrz rd_mrz;

/** MRZ formats (ICAO Doc 9303 Parts 4 to 7). */
typedef enum rd_mrz_format {
	RD_MRZ_UNKNOWN = 0, /**< the lines fit no format */
	RD_MRZ_TD1 = 1,     /**< identity cards: 3 lines of 30 */
	RD_MRZ_TD2,         /**< 2 lines of 36 */
	RD_MRZ_TD3,         /**< passports: 2 lines of 44 */
	RD_MRZ_MRVA,        /**< visas, format A: 2 lines of 44 */
	RD_MRZ_MRVB         /**< visas, format B: 2 lines of 36 */
} rd_mrz_format;

/** Fields of an MRZ, for rd_mrz_get(). */
typedef enum rd_mrz_field {
	RD_MRZ_DOCUMENT_CODE = 1, /**< e.g. "P", "PP", "I", "V" (fillers removed) */
	RD_MRZ_ISSUING_STATE,     /**< three letters, e.g. "PAK" ("D" for Germany) */
	RD_MRZ_SURNAME,           /**< primary identifier, components separated by spaces */
	RD_MRZ_GIVEN_NAMES,       /**< secondary identifier, components separated by spaces */
	RD_MRZ_DOCUMENT_NUMBER,   /**< with a long number's continuation (TD1, TD2) */
	RD_MRZ_NATIONALITY,
	RD_MRZ_BIRTH_DATE,        /**< YYYY-MM-DD; "" when unknown ("<<<<<<") */
	RD_MRZ_SEX,               /**< "M", "F" or "X" (the MRZ's "<") */
	RD_MRZ_EXPIRY_DATE,       /**< YYYY-MM-DD: expiry, or for visas the "valid until" date */
	RD_MRZ_OPTIONAL_DATA,     /**< personal number / optional data, fillers removed */
	RD_MRZ_OPTIONAL_DATA2,    /**< TD1 only: optional data of line 2 */
	RD_MRZ_NAME,              /**< the name field as printed in the MRZ, trailing fillers removed */
	RD_MRZ_FIELD_MAX          /**< number of fields + 1 */
} rd_mrz_field;

/** One check digit. */
typedef struct rd_mrz_check {
	const char *field; /**< documentNumber, birthDate, expiryDate, optionalData, composite */
	int line;          /**< 1-based line of the check digit */
	int position;      /**< 1-based position of the check digit in its line */
	char expected;     /**< the digit the 7-3-1 computation gives */
	char found;        /**< the character in the MRZ */
	int ok;            /**< 1 when found is acceptable */
} rd_mrz_check;

/** A problem found in an MRZ. Codes are stable (doc/mrz.md lists them). */
typedef struct rd_mrz_problem {
	const char *code;    /**< e.g. "check-digit", "charset", "date", "unknown-country", "specimen" */
	int severity;        /**< RD_SEVERITY_ERROR or RD_SEVERITY_WARNING */
	const char *field;   /**< the field concerned (as in JSON: "birthDate"...), or NULL */
	int line;            /**< 1-based line, 0 when not about one position */
	int position;        /**< 1-based position in the line, 0 when not about one position */
	const char *message; /**< in English */
	char expected;       /**< check-digit problems: the digit expected, else 0 */
	char found;          /**< check-digit problems: the character found, else 0 */
} rd_mrz_problem;

/** Options for rd_mrz_parse(). Initialise with RD_MRZ_OPTIONS_INIT or rd_mrz_options_init();
 * any other version is refused. */
typedef struct rd_mrz_options {
	unsigned int version; /**< RD_MRZ_OPTIONS_VERSION */
	const char *as_of;    /**< "YYYY-MM-DD" for the century of two-digit years; NULL: today */
	unsigned int flags;   /**< reserved: 0 */
} rd_mrz_options;

/** The version of rd_mrz_options these headers describe. */
#define RD_MRZ_OPTIONS_VERSION 1
/** rd_mrz_options with the defaults. */
#define RD_MRZ_OPTIONS_INIT { RD_MRZ_OPTIONS_VERSION, NULL, 0 }

/** Set @p opts to RD_MRZ_OPTIONS_INIT (for bindings). @return RD_OK, or RD_EINVAL when NULL */
RD_EXTERN(int) rd_mrz_options_init(rd_mrz_options *opts);

/**
 * Parse and validate a machine-readable zone: 2 or 3 lines, separated by newlines (CR/LF
 * accepted); white space around the lines is ignored. An MRZ that breaks the rules is
 * still parsed: rd_mrz_valid() says whether it has errors, and the problems say what and
 * where. Only a bad argument or memory exhaustion is an error.
 *
 * Centuries (ICAO defines none): a birth date is 20YY unless that is after the as-of date,
 * then 19YY; an expiry or "valid until" date is 20YY unless that is more than 20 years
 * after the as-of date, then 19YY.
 *
 * @param out receives the MRZ; free it with rd_mrz_free(). @owned
 * @return RD_OK, RD_EINVAL or RD_ENOMEM
 */
RD_EXTERN(int) rd_mrz_parse(rd_mrz **out, const char *text, size_t len,
                            const rd_mrz_options *opts) RD_WARN_UNUSED;
/** Free an MRZ. NULL is a no-op. */
RD_EXTERN(void) rd_mrz_free(rd_mrz *mrz);

/** The format (an rd_mrz_format). */
RD_EXTERN(int) rd_mrz_get_format(const rd_mrz *mrz);
/** "TD1", "TD2", "TD3", "MRVA", "MRVB" or "unknown". @borrowed (static) */
RD_EXTERN(const char *) rd_mrz_format_name(rd_mrz_format format);
/** 1 when the MRZ has no error (warnings allowed), else 0. */
RD_EXTERN(int) rd_mrz_valid(const rd_mrz *mrz);
/** A field, or NULL when the format has no such field. @borrowed */
RD_EXTERN(const char *) rd_mrz_get(const rd_mrz *mrz, rd_mrz_field field);
/** The JSON name of a field ("documentCode", "birthDate", ...). @borrowed (static) */
RD_EXTERN(const char *) rd_mrz_field_name(rd_mrz_field field);
/** The field with this JSON name, or 0. */
RD_EXTERN(int) rd_mrz_field_from_name(const char *name);
/** 1 when the name fills its whole field ending in a letter: it may be truncated. */
RD_EXTERN(int) rd_mrz_name_truncated(const rd_mrz *mrz);

/** Number of check digits of this format. */
RD_EXTERN(size_t) rd_mrz_check_count(const rd_mrz *mrz);
/** Check digit @p i, or NULL. @borrowed */
RD_EXTERN(const rd_mrz_check *) rd_mrz_get_check(const rd_mrz *mrz, size_t i);
/** Number of problems (errors and warnings). */
RD_EXTERN(size_t) rd_mrz_problem_count(const rd_mrz *mrz);
/** Problem @p i, or NULL. @borrowed */
RD_EXTERN(const rd_mrz_problem *) rd_mrz_get_problem(const rd_mrz *mrz, size_t i);

/**
 * The ICAO 9303 check digit (weights 7, 3, 1; '<' is 0, A is 10 ... Z is 35) of @p len
 * characters, as '0'..'9', or 0 when a character is outside A-Z, 0-9 and '<'.
 */
RD_EXTERN(char) rd_mrz_check_digit(const char *s, size_t len);

/**
 * The MRZ as JSON (doc/mrz.md): format, valid, fields, checks, errors, warnings.
 * @param out receives the text; free it with rd_free(). @owned
 */
RD_EXTERN(int) rd_mrz_to_json(char **out, size_t *len, const rd_mrz *mrz) RD_WARN_UNUSED;

/**
 * Whether a three-letter code is a known issuing state or nationality: ISO 3166-1
 * alpha-3, or one of the codes ICAO adds (D, GBD, GBN, GBO, GBP, GBS, RKS, EUE, UNO, UNA,
 * UNK, XXA, XXB, XXC, XXX, the X-codes of organisations, UTO for specimens). Fillers
 * ("D<<") are accepted. 1 known, 0 unknown.
 */
RD_EXTERN(int) rd_mrz_known_code(const char *code);

RD_END_DECL

#endif /* RAHDARI_MRZ_H */
