/* rahdari: the one UTF-8 decoder of the library and the tool.
 *
 * Well-formed UTF-8 only (RFC 3629): overlong forms, surrogates, code points above
 * U+10FFFF and sequences cut short are not characters. What a caller does with bytes that
 * are not (refuse them, replace them, take them one at a time) is its own business. This
 * file depends on nothing else of the library (libc only), so that the tool compiles it
 * in too, as it does path.c.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

size_t rd__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);
size_t rd__utf8_len(const unsigned char *p);

/* The character at p, of which at most n bytes may be read: its length (1 to 4), its code
 * point in *cp; 0 when the bytes there are not well-formed UTF-8 (*cp then undefined).
 * A NUL-terminated string may be given with n = SIZE_MAX: no byte is read past a NUL,
 * which is never a continuation byte. */
size_t rd__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c;
	uint32_t v;
	size_t len, k;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0Fu;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[k] & 0x3Fu);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
		return 0;
	*cp = v;
	return len;
}

/* Length of the well-formed UTF-8 sequence at p, a NUL-terminated string (1 to 4), or 0. */
size_t rd__utf8_len(const unsigned char *p)
{
	uint32_t cp;

	return rd__utf8_decode(p, SIZE_MAX, &cp);
}
