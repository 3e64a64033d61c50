/** @file
 * @brief rahdari: status codes and the per-thread last error.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_ERRORS_H
#define RAHDARI_ERRORS_H

#include <rahdari/common.h>

RD_BEGIN_DECL

/**
 * Status codes. Every function that can fail returns RD_OK (0) or one of the
 * negative codes below; the details are in rd_error_last(). The set is part of
 * the API: no other value is ever returned. A document that breaks rules is
 * NOT an error: rd_check() returns RD_OK and the report carries the findings.
 */
typedef enum rd_status {
	RD_OK = 0,            /**< success */
	RD_ERROR = -1,        /**< an internal failure not covered below */
	RD_ENOMEM = -2,       /**< out of memory */
	RD_EINVAL = -3,       /**< invalid argument (NULL, bad date, unknown option value) */
	RD_ENOTFOUND = -4,    /**< a file, phase, table or other named thing does not exist */
	RD_EIO = -5,          /**< a file could not be read or written */
	RD_EPARSE = -6,       /**< input is not well-formed XML (or CSV) */
	RD_EUNSAFE = -7,      /**< input refused for safety: entity declarations, external references */
	RD_ELIMIT = -8,       /**< input exceeds a size or nesting-depth limit */
	RD_ERULES = -9,       /**< rules are invalid: bad XPath, unknown prefix, variable or function, ... */
	RD_EUNSUPPORTED = -10, /**< rules use a feature rahdari does not implement (e.g. XSLT 2
	                            binding), or an audit's input is not in UTF-8 */
	RD_ESTOPPED = -11     /**< a callback of the caller stopped the call: an audit's record
	                           callback returned non-zero (whatever the value) */
} rd_status;

/*
 * Callbacks. A callback that may stop the call it serves (rd_audit_record_fn) returns 0 to
 * go on and any other value to stop; the call then returns RD_ESTOPPED, never the
 * callback's value, and rd_error_last() says where it stopped and what the callback
 * returned. A status code returned by a callback (RD_ENOMEM, ...) is not passed through:
 * a caller that needs to know why its callback stopped keeps the reason in its payload.
 */

/** Details of the last error on the calling thread. */
typedef struct rd_error {
	int code;            /**< an rd_status value (RD_OK when there is no error) */
	const char *message; /**< human-readable message, never NULL */
	const char *file;    /**< file (or source name) the error is about, or NULL */
	int line;            /**< 1-based line, or 0 when unknown */
	int column;          /**< 1-based column, or 0 when unknown */
} rd_error;

/**
 * The last error raised on the calling thread. Never NULL; when no error
 * happened, code is RD_OK and message is "no error". The strings live in
 * thread-local storage until the next failing call on this thread.
 * Do not use it to decide whether a call failed: use the return code.
 * @borrowed
 */
RD_EXTERN(const rd_error *) rd_error_last(void);
/** Clear the calling thread's last error. */
RD_EXTERN(void) rd_error_clear(void);
/** Symbolic name of a status code, e.g. "RD_EPARSE"; "RD_EUNKNOWN" for any other value.
 * It takes an int, what every function returns, not an rd_status. @borrowed (static) */
RD_EXTERN(const char *) rd_status_name(int code);

RD_END_DECL

#endif /* RAHDARI_ERRORS_H */
