/* rahdari version: versions of the tool, the library and what it runs on.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>
#ifdef HAVE_MIMALLOC
#include <mimalloc.h>
#endif

#include "cli.h"

int cmd_version(int argc, char **argv)
{
	rd_rules *rules = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("Usage: %s version\n\n"
			       "Show the versions of rahdari, the library it runs with, libxml2, OpenSSL,\n"
			       "the memory allocator of the tool and the embedded default rule pack.\n",
			       progname);
			return EXIT_CLEAN;
		}
		return cli_usage_error("version", "unexpected argument '%s'", argv[i]);
	}
	printf("rahdari %s\n", PACKAGE_VERSION);
	printf("librahdari %s%s\n", rd_version(),
	       strcmp(rd_version(), PACKAGE_VERSION) ? " (differs from the tool!)" : "");
	printf("libxml2 %s\n", rd_version_libxml2());
	printf("%s\n", rd_version_openssl());
#ifdef HAVE_MIMALLOC
	{
		int v = mi_version(); /* major * 100 + minor * 10 + patch */

		printf("allocator: mimalloc %d.%d.%d\n", v / 100, v / 10 % 10, v % 10);
	}
#else
	printf("allocator: the C library's malloc\n");
#endif
	if (rd_rules_load_default(&rules) == RD_OK) {
		const char *v = rd_rules_get(rules, RD_RULES_VERSION);

		printf("default rules: %s%s%s (embedded)\n", rd_rules_get(rules, RD_RULES_ID),
		       v ? " " : "", v ? v : "");
		rd_rules_free(rules);
	} else {
		printf("default rules: cannot be loaded: %s\n", rd_error_last()->message);
		return EXIT_INPUT;
	}
	if (fflush(stdout) != 0)
		return EXIT_INPUT;
	return EXIT_CLEAN;
}
