/* rahdari: run-time version information.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdio.h>

#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

const char *rd_version(void)
{
	return RD_VERSION_STRING;
}

int rd_version_number(void)
{
	return RD_VERSION_NUMBER;
}

const char *rd_version_libxml2(void)
{
	/* xmlParserVersion is "20914"; present it as 2.9.14. */
	static _Thread_local char buf[48];
	long v = 0;
	const char *p;

	for (p = xmlParserVersion; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	snprintf(buf, sizeof buf, "%ld.%ld.%ld", v / 10000, (v / 100) % 100, v % 100);
	return buf;
}

const char *rd_version_openssl(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
