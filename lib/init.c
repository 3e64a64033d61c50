/* rahdari: rd_init() and rd_shutdown(), the explicit form of the one-time initialisation
 * that every entry point otherwise does lazily (error.c for libxml2 and OpenSSL,
 * licsig.c for libxmlsec1).
 * SPDX-License-Identifier: MIT */
#include "sig.h"

int rd_init(void)
{
	rd__init();
	return rd__xmlsec_init();
}

void rd_shutdown(void)
{
	rd__xmlsec_shutdown();
}
