/* rahdari: the one rule of every options struct, and their initialisers.
 *
 * Every options struct starts with a version; the library reads one version of each, and
 * refuses any other (0 is a struct nobody initialised). The rd_*_options_init() functions
 * give what the RD_*_OPTIONS_INIT macros give, for bindings in languages that cannot use
 * a C initialiser.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <ctype.h>
#include <string.h>

int rd__options_refuse(const char *fn, const char *type, unsigned int version,
                       unsigned int current)
{
	char upper[64];
	size_t i;

	for (i = 0; type[i] != '\0' && i + 1 < sizeof upper; i++)
		upper[i] = (char)toupper((unsigned char)type[i]);
	upper[i] = '\0';
	return rd__error_set(RD_EINVAL, NULL, 0, 0,
	                     "%s: %s version %u is not supported (this library reads version %u; "
	                     "initialise the struct with %s_INIT or %s_init())",
	                     fn, type, version, current, upper, type);
}

/* Copy the macro's value from static storage, padding included, so that the struct is
 * byte for byte what the macro gives a static variable. */
#define OPTIONS_INIT_FN(type, INIT)                                                      \
	int type##_init(type *opts)                                                      \
	{                                                                                \
		static const type init = INIT;                                           \
                                                                                         \
		if (opts == NULL)                                                        \
			return rd__error_set(RD_EINVAL, NULL, 0, 0,                      \
			                     #type "_init: opts must not be NULL");      \
		memcpy(opts, &init, sizeof *opts);                                       \
		return RD_OK;                                                            \
	}

OPTIONS_INIT_FN(rd_load_options, RD_LOAD_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_check_options, RD_CHECK_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_audit_options, RD_AUDIT_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_mrz_options, RD_MRZ_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_verify_options, RD_VERIFY_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_sign_options, RD_SIGN_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_pack_sign_options, RD_PACK_SIGN_OPTIONS_INIT)
OPTIONS_INIT_FN(rd_pack_verify_options, RD_PACK_VERIFY_OPTIONS_INIT)
