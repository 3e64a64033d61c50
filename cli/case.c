/* rahdari check and audit: the options they share (rules, case documents, tables,
 * parameters, limits, the check's own options) and loading what they name.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_case_init(cli_case *c)
{
	rd_check_options co = RD_CHECK_OPTIONS_INIT;
	rd_load_options lo = RD_LOAD_OPTIONS_INIT;

	memset(c, 0, sizeof *c);
	c->co = co;
	c->lo = lo;
}

/* A jurisdiction code: letters, with dashes between them (PK, PK-PB). */
static int valid_jurisdiction(const char *s)
{
	size_t i;

	if (!s[0] || s[0] == '-' || strlen(s) > 32)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

int cli_max_ops(const char *cmd, const char *arg, unsigned long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v == 0 || v > ULONG_MAX)
		return cli_usage_error(cmd, "--max-ops '%s': give a number of operations from 1 to %lu",
		                       arg, ULONG_MAX);
	*out = (unsigned long)v;
	return 0;
}

int cli_case_option(cli_case *c, const char *cmd, int opt, char *arg)
{
	char *eq;

	switch (opt) {
	case 'r':
		c->rules_path = arg;
		return 0;
	case 'p':
		c->co.phase = arg;
		return 0;
	case 'd':
		if (!cli_valid_date(arg))
			return cli_usage_error(cmd, "--as-of '%s' is not a date (YYYY-MM-DD)", arg);
		c->co.as_of = arg;
		return 0;
	case 'l':
		if (arg[0] == '\0' || strlen(arg) > 35 ||
		    strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
		        strlen(arg))
			return cli_usage_error(cmd, "--lang '%s' is not a language tag", arg);
		c->co.lang = arg;
		return 0;
	case 'j':
		if (!valid_jurisdiction(arg))
			return cli_usage_error(cmd,
			                       "--jurisdiction '%s' is not a jurisdiction code (letters and "
			                       "dashes: PK, PK-PB)",
			                       arg);
		c->co.jurisdiction = arg;
		return 0;
	case CLI_OPT_FAIL_ON:
		if (strcmp(arg, "error") == 0)
			c->fail_on = RD_SEVERITY_ERROR;
		else if (strcmp(arg, "warning") == 0)
			c->fail_on = RD_SEVERITY_WARNING;
		else if (strcmp(arg, "info") == 0)
			c->fail_on = RD_SEVERITY_INFO;
		else
			return cli_usage_error(cmd, "--fail-on '%s': use error, warning or info", arg);
		return 0;
	case CLI_OPT_MAX_SIZE: {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || v == 0 || v > INT_MAX)
			return cli_usage_error(cmd, "--max-size '%s': give a number of bytes up to %d", arg,
			                       INT_MAX);
		c->lo.max_bytes = (size_t)v;
		return 0;
	}
	case CLI_OPT_LICENCE:
	case CLI_OPT_DOC:
		if (c->ndocs == CLI_MAX_EXTRA)
			return cli_usage_error(cmd, "too many case documents (at most %d)", CLI_MAX_EXTRA);
		if (opt == CLI_OPT_LICENCE) {
			c->doc_role[c->ndocs] = "licence";
			c->doc_path[c->ndocs] = arg;
		} else {
			eq = strchr(arg, '=');
			if (eq == NULL || eq == arg || eq[1] == '\0')
				return cli_usage_error(cmd, "--doc '%s': give ROLE=FILE", arg);
			*eq = '\0';
			c->doc_role[c->ndocs] = arg;
			c->doc_path[c->ndocs] = eq + 1;
		}
		c->ndocs++;
		return 0;
	case CLI_OPT_REGISTER:
	case CLI_OPT_TABLE:
		if (c->ntables == CLI_MAX_EXTRA)
			return cli_usage_error(cmd, "too many tables (at most %d)", CLI_MAX_EXTRA);
		if (opt == CLI_OPT_REGISTER) {
			c->table_name[c->ntables] = "licence-register";
			c->table_path[c->ntables] = arg;
		} else {
			eq = strchr(arg, '=');
			if (eq == NULL || eq == arg || eq[1] == '\0')
				return cli_usage_error(cmd, "--table '%s': give NAME=FILE", arg);
			*eq = '\0';
			c->table_name[c->ntables] = arg;
			c->table_path[c->ntables] = eq + 1;
		}
		c->ntables++;
		return 0;
	case CLI_OPT_PARAM:
		if (c->nparams == CLI_MAX_EXTRA)
			return cli_usage_error(cmd, "too many parameters (at most %d)", CLI_MAX_EXTRA);
		eq = strchr(arg, '=');
		if (eq == NULL || eq == arg)
			return cli_usage_error(cmd, "--param '%s': give NAME=VALUE", arg);
		*eq = '\0';
		c->params[c->nparams].name = arg;
		c->params[c->nparams].value = eq + 1;
		c->nparams++;
		return 0;
	case CLI_OPT_NO_XSD:
		c->co.flags |= RD_CHECK_NO_XSD;
		return 0;
	case CLI_OPT_MAX_OPS:
		return cli_max_ops(cmd, arg, &c->co.max_ops) ? EXIT_USAGE : 0;
	case CLI_OPT_REQUIRE_SIGNED:
		c->require_signed = 1;
		return 0;
	case CLI_OPT_TRUST:
		c->trust = arg;
		return 0;
	case CLI_OPT_CRL:
		c->crl = arg;
		return 0;
	}
	return cli_usage_error(cmd, "unknown option");
}

/* Load the rules: from disk (verified first with --require-signed), or the embedded pack,
 * which is part of rahdari itself and so accepted with --require-signed too. */
static int load_rules(cli_case *c, const char *cmd)
{
	rd_pack_verify_options vo = RD_PACK_VERIFY_OPTIONS_INIT;
	int rc;

	if (c->require_signed && c->trust == NULL)
		return cli_usage_error(cmd, "--require-signed needs --trust FILE|DIR (the certificates "
		                            "that may sign rule packs)");
	if (c->crl && c->trust == NULL)
		return cli_usage_error(cmd, "--crl needs --trust FILE|DIR (the trust store it belongs to)");
	/* the regulator's trust store: signed packs and the case's licences are verified
	 * against it */
	if (c->trust && (rd_trust_load(&c->trust_store, c->trust) != RD_OK ||
	                 (c->crl && rd_trust_add_crl(c->trust_store, c->crl) != RD_OK))) {
		cli_lib_error();
		return EXIT_INPUT;
	}
	if (c->rules_path == NULL)
		rc = rd_rules_load_default_for(&c->rules, c->co.jurisdiction);
	else if (!c->require_signed)
		rc = rd_rules_load(&c->rules, c->rules_path, &c->lo);
	else /* signatures are judged now, whatever --as-of says of the rules' dates */
		rc = rd_rules_load_signed(&c->rules, c->rules_path, &c->lo, c->trust_store, &vo);
	if (rc != RD_OK) {
		cli_lib_error();
		return EXIT_INPUT;
	}
	return EXIT_CLEAN;
}

int cli_case_load(cli_case *c, const char *cmd)
{
	size_t k, p, n;
	int st;

	if ((st = load_rules(c, cmd)) != EXIT_CLEAN)
		return st;
	for (k = 0; k < c->nparams; k++) {
		n = rd_rules_param_count(c->rules);
		for (p = 0; p < n; p++)
			if (strcmp(rd_rules_param(c->rules, p, NULL), c->params[k].name) == 0)
				break;
		if (p == n) {
			fprintf(stderr, "%s %s: the rules have no parameter '%s'; parameters:", progname, cmd,
			        cli_safe(c->params[k].name));
			for (p = 0; p < n; p++)
				fprintf(stderr, " %s", cli_safe(rd_rules_param(c->rules, p, NULL)));
			fputc('\n', stderr);
			return EXIT_USAGE;
		}
	}
	/* the other documents of the case and the tables: loaded once, for every FILE */
	for (k = 0; k < c->ndocs; k++) {
		if (rd_document_load_file(&c->loaded[k], c->doc_path[k], &c->lo) != RD_OK) {
			cli_lib_error();
			return EXIT_INPUT;
		}
		c->docs[k].role = c->doc_role[k];
		c->docs[k].doc = c->loaded[k];
	}
	for (k = 0; k < c->ntables; k++) {
		if (rd_data_table_load(&c->tables[k], c->table_name[k], c->table_path[k]) != RD_OK) {
			cli_lib_error();
			return EXIT_INPUT;
		}
	}
	c->co.docs = c->docs;
	c->co.ndocs = c->ndocs;
	c->co.tables = (const rd_data_table *const *)c->tables;
	c->co.ntables = c->ntables;
	c->co.params = c->params;
	c->co.nparams = c->nparams;
	c->co.trust = c->trust_store;
	if (c->co.phase && !rd_rules_has_phase(c->rules, c->co.phase)) {
		n = rd_rules_phase_count(c->rules);
		fprintf(stderr, "%s %s: the rules have no phase '%s'; phases: #ALL, #DEFAULT", progname,
		        cmd, cli_safe(c->co.phase));
		for (p = 0; p < n; p++)
			fprintf(stderr, ", %s", cli_safe(rd_rules_phase(c->rules, p)));
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

void cli_case_free(cli_case *c)
{
	size_t k;

	rd_rules_free(c->rules);
	c->rules = NULL;
	for (k = 0; k < c->ndocs; k++)
		rd_document_free(c->loaded[k]);
	for (k = 0; k < c->ntables; k++)
		rd_data_table_free(c->tables[k]);
	memset(c->loaded, 0, sizeof c->loaded);
	memset(c->tables, 0, sizeof c->tables);
	rd_trust_free(c->trust_store);
	c->trust_store = NULL;
	c->co.trust = NULL;
}
