/** @file
 * @brief rahdari: common macros shared by every public header.
 * SPDX-License-Identifier: MIT */
#ifndef RAHDARI_COMMON_H
#define RAHDARI_COMMON_H

#include <stddef.h>

/** @def RD_EXTERN(type)
 * Declares a public function returning @p type, exported from the shared library.
 * @def RD_WARN_UNUSED
 * The compiler warns when the caller ignores the result (a status code to check).
 * @def RD_BEGIN_DECL
 * Opens the declarations of a header (extern "C" for C++).
 * @def RD_END_DECL
 * Closes what RD_BEGIN_DECL opened. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define RD_EXTERN(type) extern __attribute__((visibility("default"))) type
#define RD_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define RD_EXTERN(type) extern type
#define RD_WARN_UNUSED
#endif

#ifdef __cplusplus
#define RD_BEGIN_DECL extern "C" {
#define RD_END_DECL }
#else
#define RD_BEGIN_DECL
#define RD_END_DECL
#endif

#endif /* RAHDARI_COMMON_H */
