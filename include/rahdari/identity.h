/** @file
 * @brief rahdari: Pakistani CNIC numbers, and names as ICAO machine-readable zones write them.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_IDENTITY_H
#define RAHDARI_IDENTITY_H

#include <rahdari/common.h>
#include <rahdari/types.h>

RD_BEGIN_DECL

/** What a CNIC number says. The struct may grow: initialise it with RD_CNIC_INIT before
 * rd_cnic_parse() fills it (the version is kept; a struct of another version is refused). */
typedef struct rd_cnic {
	unsigned int version; /**< RD_CNIC_VERSION */
	int valid;            /**< 1 when the number is well-formed */
	char digits[14];      /**< the 13 digits, without dashes ("" when not 13 digits) */
	char formatted[16];   /**< "#####-#######-#" ("" when not 13 digits) */
	int province_digit;   /**< the first digit, or -1 */
	const char *province; /**< "Khyber Pakhtunkhwa", "Punjab", ...; NULL when unknown */
	char gender;          /**< 'M' (odd last digit), 'F' (even), or 0 when not known */
	const char *error;    /**< why it is not valid, in English; NULL when valid */
} rd_cnic;

/** The version of rd_cnic these headers describe. */
#define RD_CNIC_VERSION 1
/** An empty rd_cnic of this version: initialise the caller's struct with it. */
#define RD_CNIC_INIT { RD_CNIC_VERSION, 0, "", "", -1, NULL, 0, NULL }

/**
 * Read a CNIC (Computerised National Identity Card) number, "#####-#######-#" with or
 * without the dashes, surrounding white space ignored. Checks the format, the province
 * digit (1 to 7 are known: KP, FATA, Punjab, Sindh, Balochistan, Islamabad,
 * Gilgit-Baltistan) and the gender digit (odd: male, even: female; 0 is refused). CNICs
 * have no check digit. Returns 1 when valid, 0 otherwise (@p out says why). A struct
 * whose version is not RD_CNIC_VERSION is not valid: its error says so, and so does
 * rd_error_last() (RD_EINVAL).
 */
RD_EXTERN(int) rd_cnic_parse(const char *text, rd_cnic *out);

/**
 * A printed name written as an MRZ name field would hold it (ICAO Doc 9303 Part 3):
 * upper case, apostrophes dropped, hyphens, spaces and commas between components turned
 * into '<', Latin letters with diacritics transliterated (Ä→AE, Ö→OE, Ü→UE, Å→AA,
 * ß→SS, É→E, ...), other punctuation dropped. @p surname and @p given are the two parts
 * (either may be NULL or empty); the result is "SURNAME<<GIVEN<NAMES", without fillers.
 * @param out receives the text; free it with rd_free(). @owned
 * @return RD_OK, RD_EINVAL (NULL out) or RD_ENOMEM
 */
RD_EXTERN(int) rd_name_to_mrz(char **out, const char *surname, const char *given) RD_WARN_UNUSED;

/**
 * Whether a printed name and an MRZ name field name the same person, as ICAO's rules
 * would write it: @p printed is a full name in any order ("Muhammad Al-Hassan",
 * "AL-HASSAN, Muhammad"); @p mrz_name is the MRZ name field with its fillers
 * ("AL<HASSAN<<MUHAMMAD<<<") or its parts joined by spaces. The components must be the
 * same, in any order; when the MRZ name fills its field (30, 31 or 39 characters ending
 * in a letter) it may be truncated, and each of its components need then only be the
 * start of a different printed one. A field stripped of its fillers whose length happens
 * to be 30, 31 or 39 is taken as possibly truncated. 1 when they match, 0 when not.
 */
RD_EXTERN(int) rd_name_matches(const char *printed, const char *mrz_name);

RD_END_DECL

#endif /* RAHDARI_IDENTITY_H */
