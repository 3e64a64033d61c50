/* rahdari: reports and findings.
 *
 * A report owns its findings' strings (in an arena) and holds a reference to
 * the rule set, whose compiled strings (ids, tests, citations) the findings
 * point to; so a report outlives rd_rules_free().
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int rd__report_new(rd_report **out, const rd_rules *rules, const rd_document *doc)
{
	rd_report *r = rd__calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL)
		return rd__error_oom();
	rd__arena_init(&r->arena);
	r->document = rd__arena_strdup(&r->arena, doc->name);
	if (r->document == NULL) {
		rd__arena_free(&r->arena);
		free(r);
		return rd__error_oom();
	}
	memcpy(r->sha256, doc->sha256, sizeof r->sha256);
	rd__rules_ref(rules);
	r->rules = (rd_rules *)(uintptr_t)rules;
	*out = r;
	return RD_OK;
}

rd_finding *rd__report_add(rd_report *r)
{
	rd_finding *f;

	if (rd__grow(&r->findings, &r->capfindings, r->nfindings, sizeof *r->findings) < 0) {
		r->oom = 1;
		return NULL;
	}
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof *f);
	return f;
}

void rd__report_event(rd_report *r, rd_event_type type, size_t schema, size_t index)
{
	if (rd__grow(&r->events, &r->capevents, r->nevents, sizeof *r->events) < 0) {
		r->oom = 1;
		return;
	}
	r->events[r->nevents].type = type;
	r->events[r->nevents].schema = (uint32_t)schema;
	r->events[r->nevents].index = index;
	r->nevents++;
	if (type == RD_EV_FINDING) {
		int sev = r->findings[index].severity;

		if (sev >= 1 && sev <= 3)
			r->counts[sev]++;
	}
}

void rd_report_free(rd_report *r)
{
	if (r == NULL)
		return;
	rd__rules_unref(r->rules);
	rd__arena_free(&r->arena);
	free(r->findings);
	free(r->events);
	free(r);
}

size_t rd_report_count(const rd_report *r)
{
	return r ? r->nfindings : 0;
}

const rd_finding *rd_report_finding(const rd_report *r, size_t i)
{
	return r && i < r->nfindings ? &r->findings[i] : NULL;
}

size_t rd_report_severity_count(const rd_report *r, rd_severity severity)
{
	return r && severity >= 1 && severity <= 3 ? r->counts[severity] : 0;
}

int rd_report_max_severity(const rd_report *r)
{
	int s;

	for (s = 3; r && s >= 1; s--)
		if (r->counts[s])
			return s;
	return 0;
}

const char *rd_report_get(const rd_report *r, rd_report_field field)
{
	if (r == NULL)
		return NULL;
	switch (field) {
	case RD_REPORT_DOCUMENT: return r->document;
	case RD_REPORT_SHA256: return r->sha256;
	case RD_REPORT_AS_OF: return r->as_of;
	case RD_REPORT_PHASE: return r->phase;
	case RD_REPORT_LANG: return r->lang;
	case RD_REPORT_RULES_ID: return r->rules->id;
	case RD_REPORT_RULES_VERSION: return r->rules->version;
	case RD_REPORT_RULES_PATH: return r->rules->path;
	case RD_REPORT_RULES_TITLE: return r->rules->title;
	}
	return NULL;
}

const char *rd_finding_get(const rd_finding *f, rd_field field)
{
	const rd_assertion *a;

	if (f == NULL)
		return NULL;
	a = f->assertion;
	switch (field) {
	case RD_FIELD_RULE:
		if (a)
			return a->id;
		if (f->kind == RD_KIND_SCHEMA)
			return "XSD";
		return f->rule ? f->rule->id : NULL;
	case RD_FIELD_PATTERN: return f->pattern ? f->pattern->id : NULL;
	case RD_FIELD_CONTEXT: return f->rule ? f->rule->context_src : NULL;
	case RD_FIELD_TEST: return f->test;
	case RD_FIELD_MESSAGE: return f->message;
	case RD_FIELD_LOCATION: return f->location;
	case RD_FIELD_DOCUMENT: return f->document;
	case RD_FIELD_LANG: return f->lang;
	case RD_FIELD_RULE_ID: return f->rule ? f->rule->id : NULL;
	default:
		break;
	}
	if (a == NULL)
		return NULL;
	switch (field) {
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
	default:
		return NULL;
	}
}

int rd_finding_severity(const rd_finding *f)
{
	return f ? f->severity : 0;
}

int rd_finding_kind(const rd_finding *f)
{
	return f ? (int)f->kind : 0;
}

long rd_finding_line(const rd_finding *f)
{
	return f ? f->line : 0;
}

size_t rd_finding_diagnostic_count(const rd_finding *f)
{
	size_t i, n = 0;

	for (i = 0; f && i < f->ndiags; i++)
		if (f->diags[i].lang == NULL)
			n++;
	return n;
}

const char *rd_finding_diagnostic(const rd_finding *f, size_t idx, const char **id)
{
	size_t i, n = 0;

	for (i = 0; f && i < f->ndiags; i++) {
		if (f->diags[i].lang != NULL)
			continue;
		if (n++ == idx) {
			if (id)
				*id = f->diags[i].id;
			return f->diags[i].text;
		}
	}
	if (id)
		*id = NULL;
	return NULL;
}

const char *rd_severity_name(rd_severity s)
{
	switch (s) {
	case RD_SEVERITY_INFO: return "info";
	case RD_SEVERITY_WARNING: return "warning";
	case RD_SEVERITY_ERROR: return "error";
	default: return "none";
	}
}

const char *rd_kind_name(rd_kind k)
{
	switch (k) {
	case RD_KIND_ASSERT: return "assert";
	case RD_KIND_REPORT: return "report";
	case RD_KIND_EVAL_ERROR: return "evaluation-error";
	case RD_KIND_SCHEMA: return "schema";
	default: return "unknown";
	}
}
