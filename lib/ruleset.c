/* rahdari: the rule set, once compiled: its lifecycle (references shared with the
 * reports made with it), its registries of reference tables and literal regular
 * expressions, and the public accessors.
 *
 * This is the container the compiler fills (loader.c, schema.c, xsd.c) and the evaluator
 * reads. It calls nothing above it: the compiled schemas and XML Schemas it owns are
 * freed through the destructors their compilers store in it when they add one.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- lifecycle */

int rd__rules_new(rd_rules **out)
{
	*out = rd__calloc(1, sizeof **out);
	if (*out == NULL)
		return rd__error_oom();
	(*out)->refs = 1;
	(*out)->own_tests = -1;
	return RD_OK;
}

void rd__rules_ref(const rd_rules *rules)
{
	__atomic_add_fetch(&((rd_rules *)(uintptr_t)rules)->refs, 1, __ATOMIC_RELAXED);
}

void rd__rules_unref(rd_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (__atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* the compiled forms are freed by the destructors their compilers left (schema.c,
	 * xsd.c): the rule set does not call up into the compiler */
	for (i = 0; i < r->nschemas; i++)
		r->schema_free(r->schemas[i]);
	free(r->schemas);
	for (i = 0; i < r->ntables; i++)
		rd__table_free(r->tables[i]);
	free(r->tables);
	for (i = 0; i < r->nregexes; i++) {
		free(r->regexes[i].src);
		rd__regex_free(r->regexes[i].re);
	}
	free(r->regexes);
	free(r->assertions);
	free(r->phase_ids);
	for (i = 0; i < r->nxsds; i++)
		r->xsd_free(&r->xsds[i]);
	free(r->xsds);
	for (i = 0; i < r->ntests; i++)
		free(r->tests[i]);
	free(r->tests);
	free(r->packs_loading);
	free(r->id);
	free(r->version);
	free(r->title);
	free(r->path);
	free(r->jurisdiction);
	free(r->effective);
	free(r);
}

void rd_rules_free(rd_rules *rules)
{
	rd__rules_unref(rules);
}

/* ---------------------------------------------------------------- registries */

const rd_table *rd__rules_table(const rd_rules *rules, const char *name)
{
	size_t i;

	for (i = 0; rules && i < rules->ntables; i++)
		if (strcmp(rules->tables[i]->name, name) == 0)
			return rules->tables[i];
	return NULL;
}

const rd_regex *rd__rules_regex(const rd_rules *rules, const char *src)
{
	size_t i;

	for (i = 0; rules && i < rules->nregexes; i++)
		if (strcmp(rules->regexes[i].src, src) == 0)
			return rules->regexes[i].re;
	return NULL;
}

int rd__rules_add_regex(rd_rules *rules, const char *src, const char *file, long line)
{
	size_t cap = rules->nregexes;
	rd_regex *re;
	char err[256];

	if (rd__rules_regex(rules, src) != NULL)
		return RD_OK;
	re = rd__regex_compile(src, err);
	if (re == NULL)
		return rd__error_set(RD_ERULES, file, line, 0, "%s:%ld: bad regular expression '%s': %s",
		                     file, line, src, err);
	if (rd__grow(&rules->regexes, &cap, rules->nregexes, sizeof *rules->regexes) < 0) {
		rd__regex_free(re);
		return rd__error_oom();
	}
	rules->regexes[rules->nregexes].src = rd__strdup(src);
	if (rules->regexes[rules->nregexes].src == NULL) {
		rd__regex_free(re);
		return rd__error_oom();
	}
	rules->regexes[rules->nregexes++].re = re;
	return RD_OK;
}

/* ---------------------------------------------------------------- accessors */

const char *rd_rules_get(const rd_rules *r, rd_rules_field field)
{
	if (r == NULL)
		return NULL;
	switch (field) {
	case RD_RULES_ID: return r->id;
	case RD_RULES_VERSION: return r->version;
	case RD_RULES_TITLE: return r->title;
	case RD_RULES_PATH: return r->path;
	case RD_RULES_JURISDICTION: return r->jurisdiction;
	case RD_RULES_EFFECTIVE: return r->effective;
	case RD_RULES_DEFAULT_PHASE:
		return r->nschemas ? r->schemas[0]->default_phase : NULL;
	case RD_RULES_TESTS:
		return r->own_tests >= 0 && (size_t)r->own_tests < r->ntests ? r->tests[r->own_tests] : NULL;
	}
	return NULL;
}

size_t rd_rules_test_dir_count(const rd_rules *r)
{
	return r ? r->ntests : 0;
}

const char *rd_rules_test_dir(const rd_rules *r, size_t i)
{
	return r && i < r->ntests ? r->tests[i] : NULL;
}

size_t rd_rules_phase_count(const rd_rules *r)
{
	return r ? r->nphase_ids : 0;
}

const char *rd_rules_phase(const rd_rules *r, size_t i)
{
	return r && i < r->nphase_ids ? r->phase_ids[i] : NULL;
}

int rd_rules_has_phase(const rd_rules *r, const char *phase)
{
	size_t i;

	if (r == NULL || phase == NULL)
		return 0;
	if (strcmp(phase, "#ALL") == 0 || strcmp(phase, "#DEFAULT") == 0)
		return 1;
	for (i = 0; i < r->nphase_ids; i++)
		if (strcmp(r->phase_ids[i], phase) == 0)
			return 1;
	return 0;
}

/* Is global j of schema i a parameter whose name no earlier schema or global has? A
 * name several schemas declare is one parameter: a check's value sets every one. */
static int first_param(const rd_rules *r, size_t i, size_t j)
{
	const rd_let *l = &r->schemas[i]->globals[j];
	size_t a, b;

	if (!l->is_param)
		return 0;
	for (a = 0; a <= i; a++)
		for (b = 0; b < (a == i ? j : r->schemas[a]->nglobals); b++)
			if (r->schemas[a]->globals[b].is_param &&
			    strcmp(r->schemas[a]->globals[b].name, l->name) == 0)
				return 0;
	return 1;
}

size_t rd_rules_param_count(const rd_rules *r)
{
	size_t n = 0, i, j;

	for (i = 0; r && i < r->nschemas; i++)
		for (j = 0; j < r->schemas[i]->nglobals; j++)
			n += first_param(r, i, j);
	return n;
}

const char *rd_rules_param(const rd_rules *r, size_t idx, const char **value)
{
	size_t n = 0, i, j;

	for (i = 0; r && i < r->nschemas; i++)
		for (j = 0; j < r->schemas[i]->nglobals; j++) {
			const rd_let *l = &r->schemas[i]->globals[j];

			if (!first_param(r, i, j))
				continue;
			if (n++ == idx) {
				if (value)
					*value = l->src;
				return l->name;
			}
		}
	if (value)
		*value = NULL;
	return NULL;
}

int rd_assertion_has_lang(const rd_assertion *a, const char *lang)
{
	size_t i;
	const rd_schema *s = NULL;

	if (a == NULL || lang == NULL)
		return 0;
	if (a->lang && strcasecmp(a->lang, lang) == 0)
		return 1;
	s = a->schema;
	for (i = 0; s && i < a->ndiags; i++)
		if (s->diags[a->diags[i]].lang && strcasecmp(s->diags[a->diags[i]].lang, lang) == 0)
			return 1;
	return 0;
}

size_t rd_rules_assertion_count(const rd_rules *r)
{
	return r ? r->nassertions : 0;
}

const rd_assertion *rd_rules_assertion(const rd_rules *r, size_t i)
{
	return r && i < r->nassertions ? r->assertions[i] : NULL;
}

const char *rd_assertion_get(const rd_assertion *a, rd_field field)
{
	if (a == NULL)
		return NULL;
	switch (field) {
	case RD_FIELD_RULE: return a->id;
	case RD_FIELD_PATTERN: return a->pattern ? a->pattern->id : NULL;
	case RD_FIELD_CONTEXT: return a->rule ? a->rule->context_src : NULL;
	case RD_FIELD_TEST: return a->test_src;
	case RD_FIELD_MESSAGE: return a->msg_template;
	case RD_FIELD_LOCATION: return NULL;
	case RD_FIELD_DOCUMENT: return NULL;
	case RD_FIELD_CITE: return a->cite;
	case RD_FIELD_TAGS: return a->tags;
	case RD_FIELD_CONFIDENCE: return a->confidence;
	case RD_FIELD_JURISDICTION: return a->jurisdiction;
	case RD_FIELD_EFFECTIVE_FROM: return a->eff_from_s;
	case RD_FIELD_EFFECTIVE_TO: return a->eff_to_s;
	case RD_FIELD_ROLE: return a->role;
	case RD_FIELD_FLAG: return a->flag;
	case RD_FIELD_SEE: return a->see;
	case RD_FIELD_SOURCE: return a->file;
	case RD_FIELD_RULE_ID: return a->rule ? a->rule->id : NULL;
	case RD_FIELD_LANG: return a->lang;
	}
	return NULL;
}

int rd_assertion_kind(const rd_assertion *a)
{
	return a ? (int)a->kind : 0;
}

int rd_assertion_severity(const rd_assertion *a)
{
	return a ? a->severity : 0;
}

long rd_assertion_line(const rd_assertion *a)
{
	return a ? a->line : 0;
}
