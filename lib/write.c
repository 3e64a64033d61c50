/* rahdari: the writers: text, JSON, JSON Lines and SVRL.
 *
 * Writers render the report model; none of them evaluates anything. Text and
 * JSON Lines stream (one document at a time); JSON and SVRL are single
 * documents whose parts are collected as reports are added and written at
 * the end. Output goes through a caller-supplied sink, and a failing sink
 * (disk full, closed pipe) makes the writer fail with RD_EIO: output is never
 * lost silently.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct rd_writer {
	int format;
	unsigned int flags;
	rd_write_fn fn;
	void *payload;
	int failed;
	int have_meta;
	/* metadata from the first report */
	char *tool_version;
	char *rules_id, *rules_version, *rules_path, *rules_title;
	char *as_of, *phase, *lang;
	/* collected output (json, svrl) */
	rd_buf docs;
	rd_buf body;
	rd_buf errs;
	rd_buf nsdecl;
	rd_buf inerr; /* json: input errors */
	size_t ninerr;
	size_t ndocs, nfindings, docs_with_errors;
	size_t counts[4];
	size_t nevalerrors;
	/* audits: records instead of reports */
	int records;          /* records were added */
	int format_records;   /* RD_WRITE_RECORDS: an audit's writer, even before its first record */
	int records_open;     /* json: the header and "records": [ are out */
	uint64_t nrecords, nfiles;
	char *last_file;
};

static void clear_meta(rd_writer *w);
static int take_meta(rd_writer *w, const rd_report *r);
static void json_header(rd_writer *w, rd_buf *b);
static void json_counts(rd_buf *b, const size_t *counts);
static void json_finding(rd_buf *b, const rd_finding *f);
static void json_kv(rd_buf *b, const char *key, const char *value, int comma);

int rd_format_from_name(const char *name)
{
	if (name == NULL)
		return 0;
	if (strcmp(name, "text") == 0)
		return RD_FORMAT_TEXT;
	if (strcmp(name, "json") == 0)
		return RD_FORMAT_JSON;
	if (strcmp(name, "jsonl") == 0)
		return RD_FORMAT_JSONL;
	if (strcmp(name, "svrl") == 0)
		return RD_FORMAT_SVRL;
	return 0;
}

int rd_writer_new(rd_writer **out, rd_format format, unsigned int flags, rd_write_fn fn,
                  void *payload)
{
	rd_writer *w;

	if (out == NULL || fn == NULL || format < RD_FORMAT_TEXT || format > RD_FORMAT_SVRL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_new: bad arguments");
	*out = NULL;
	w = rd__calloc(1, sizeof *w);
	if (w == NULL)
		return rd__error_oom();
	w->format = format;
	w->flags = flags;
	w->format_records = (flags & RD_WRITE_RECORDS) != 0;
	w->fn = fn;
	w->payload = payload;
	rd__buf_init(&w->docs);
	rd__buf_init(&w->body);
	rd__buf_init(&w->errs);
	rd__buf_init(&w->nsdecl);
	rd__buf_init(&w->inerr);
	*out = w;
	return RD_OK;
}

void rd_writer_free(rd_writer *w)
{
	if (w == NULL)
		return;
	clear_meta(w);
	rd__buf_free(&w->docs);
	rd__buf_free(&w->body);
	rd__buf_free(&w->errs);
	rd__buf_free(&w->nsdecl);
	rd__buf_free(&w->inerr);
	free(w->last_file);
	free(w);
}

static int emit(rd_writer *w, rd_buf *b)
{
	if (b->oom)
		return rd__error_oom();
	if (w->failed)
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	if (b->len && w->fn(b->data, b->len, w->payload) != 0) {
		w->failed = 1;
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	}
	rd__buf_reset(b);
	return RD_OK;
}

static void clear_meta(rd_writer *w)
{
	free(w->tool_version);
	free(w->rules_id);
	free(w->rules_version);
	free(w->rules_path);
	free(w->rules_title);
	free(w->as_of);
	free(w->phase);
	free(w->lang);
	w->tool_version = w->rules_id = w->rules_version = w->rules_path = w->rules_title = NULL;
	w->as_of = w->phase = w->lang = NULL;
	w->have_meta = 0;
}

int rd_writer_set_rules(rd_writer *w, const rd_rules *rules, const rd_check_options *opts)
{
	char today[11];
	const char *phase = NULL;

	if (w == NULL || rules == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_set_rules: bad arguments");
	RD__CHECK_OPTIONS("rd_writer_set_rules", rd_check_options, RD_CHECK_OPTIONS_VERSION, opts);
	if (opts)
		phase = opts->phase;
	clear_meta(w);
	w->have_meta = 1;
	rd__date_format(rd__date_today(), today);
	if (phase == NULL || strcmp(phase, "#DEFAULT") == 0)
		phase = rules->nschemas && rules->schemas[0]->default_phase
		            ? rules->schemas[0]->default_phase
		            : "#ALL";
	w->tool_version = rd__strdup(RD_VERSION_STRING);
	w->rules_id = rd__strdup(rules->id);
	w->rules_version = rd__strdup(rules->version);
	w->rules_path = rd__strdup(rules->path);
	w->rules_title = rd__strdup(rules->title);
	w->as_of = rd__strdup(opts && opts->as_of ? opts->as_of : today);
	w->phase = rd__strdup(phase);
	w->lang = rd__strdup(opts && opts->lang && opts->lang[0] ? opts->lang : "en");
	if (!w->tool_version || (rules->id && !w->rules_id) ||
	    (rules->version && !w->rules_version) || (rules->path && !w->rules_path) ||
	    (rules->title && !w->rules_title) || !w->as_of || !w->phase || !w->lang)
		return rd__error_oom();
	return RD_OK;
}

static int take_meta(rd_writer *w, const rd_report *r)
{
	if (w->have_meta)
		return 0;
	w->have_meta = 1;
	w->tool_version = rd__strdup(RD_VERSION_STRING);
	w->rules_id = rd__strdup(r->rules->id);
	w->rules_version = rd__strdup(r->rules->version);
	w->rules_path = rd__strdup(r->rules->path);
	w->rules_title = rd__strdup(r->rules->title);
	w->as_of = rd__strdup(r->as_of);
	w->phase = rd__strdup(r->phase);
	w->lang = rd__strdup(r->lang);
	if (!w->tool_version || !w->rules_id || (r->rules->version && !w->rules_version) ||
	    (r->rules->path && !w->rules_path) || (r->rules->title && !w->rules_title) ||
	    !w->as_of || (r->phase && !w->phase) || (r->lang && !w->lang))
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- text */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

static const char *sev_color(int s)
{
	return s == RD_SEVERITY_ERROR ? C_BOLD C_RED : s == RD_SEVERITY_WARNING ? C_YELLOW : C_CYAN;
}

static int cmp_text(const void *x, const void *y)
{
	const rd_finding *a = *(const rd_finding *const *)x, *b = *(const rd_finding *const *)y;

	if (a->severity != b->severity)
		return b->severity - a->severity;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void plural(rd_buf *b, size_t n, const char *word)
{
	rd__buf_printf(b, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

static void text_counts(rd_buf *b, const size_t *counts)
{
	plural(b, counts[RD_SEVERITY_ERROR], "error");
	rd__buf_puts(b, ", ");
	plural(b, counts[RD_SEVERITY_WARNING], "warning");
	rd__buf_puts(b, ", ");
	plural(b, counts[RD_SEVERITY_INFO], "info");
}

/* One indented line of a finding: label and a value from the rules or the document,
 * escaped for the terminal (as every string of the text format is). */
static void text_line(rd_buf *b, const char *label, const char *value)
{
	rd__buf_puts(b, "          ");
	rd__buf_puts(b, label);
	rd__buf_term(b, value);
	rd__buf_putc(b, '\n');
}

static int text_add(rd_writer *w, const rd_report *r)
{
	int color = (w->flags & RD_WRITE_COLOR) != 0;
	const rd_finding **sorted = NULL;
	rd_buf *b = &w->body;
	size_t i;

	if (color)
		rd__buf_puts(b, C_BOLD);
	rd__buf_term(b, r->document);
	if (color)
		rd__buf_puts(b, C_RESET);
	rd__buf_puts(b, ": ");
	if (r->nfindings == 0)
		rd__buf_puts(b, "no findings");
	else
		text_counts(b, r->counts);
	rd__buf_putc(b, '\n');
	if (w->flags & RD_WRITE_QUIET)
		return emit(w, b);
	if (r->nfindings) {
		sorted = rd__malloc(r->nfindings * sizeof *sorted);
		if (sorted == NULL)
			return rd__error_oom();
		for (i = 0; i < r->nfindings; i++)
			sorted[i] = &r->findings[i];
		qsort(sorted, r->nfindings, sizeof *sorted, cmp_text);
	}
	for (i = 0; i < r->nfindings; i++) {
		const rd_finding *f = sorted[i];
		const rd_assertion *a = f->assertion;
		const char *id = rd_finding_get(f, RD_FIELD_RULE);
		size_t d;

		rd__buf_puts(b, "  ");
		if (color)
			rd__buf_puts(b, sev_color(f->severity));
		rd__buf_printf(b, "%-7s", rd_severity_name(f->severity));
		if (color)
			rd__buf_puts(b, C_RESET);
		rd__buf_putc(b, ' ');
		rd__buf_term(b, id ? id : "(no id)");
		if (f->line > 0)
			rd__buf_printf(b, " at line %ld", f->line);
		rd__buf_puts(b, ": ");
		if (f->kind == RD_KIND_EVAL_ERROR)
			rd__buf_puts(b, "[evaluation error] ");
		else if (f->kind == RD_KIND_SCHEMA)
			rd__buf_puts(b, "[structure] ");
		rd__buf_term(b, f->message && f->message[0] ? f->message
		                                              : (f->test ? f->test : "(no message)"));
		rd__buf_putc(b, '\n');
		if (color)
			rd__buf_puts(b, C_DIM);
		text_line(b, "where: ", f->location);
		if (f->kind == RD_KIND_EVAL_ERROR && f->test)
			text_line(b, "expression: ", f->test);
		else if (f->kind == RD_KIND_SCHEMA && f->test)
			text_line(b, "schema: ", f->test);
		for (d = 0; d < f->ndiags; d++)
			if (f->diags[d].lang == NULL && f->diags[d].text[0])
				text_line(b, "note: ", f->diags[d].text);
		if (a && a->cite) {
			rd__buf_puts(b, "          law: ");
			rd__buf_term(b, a->cite);
			if (a->confidence) {
				rd__buf_puts(b, " [");
				rd__buf_term(b, a->confidence);
				rd__buf_putc(b, ']');
			}
			rd__buf_putc(b, '\n');
		}
		if (a && a->see)
			text_line(b, "see: ", a->see);
		if (color)
			rd__buf_puts(b, C_RESET);
	}
	free(sorted);
	return emit(w, b);
}

static int text_finish(rd_writer *w)
{
	rd_buf *b = &w->body;

	if (w->ndocs != 1 || (w->flags & RD_WRITE_QUIET) == 0) {
		rd__buf_printf(b, "%s", w->ndocs == 1 ? "" : "\n");
		plural(b, w->ndocs, "document");
		rd__buf_puts(b, " checked");
		if (w->ninerr)
			rd__buf_printf(b, " (%zu more could not be read)", w->ninerr);
		rd__buf_puts(b, ": ");
		text_counts(b, w->counts);
		rd__buf_puts(b, " (rules: ");
		rd__buf_term(b, w->rules_id ? w->rules_id : "?");
		if (w->rules_version) {
			rd__buf_putc(b, ' ');
			rd__buf_term(b, w->rules_version);
		}
		rd__buf_puts(b, ", as of ");
		rd__buf_term(b, w->as_of ? w->as_of : "?");
		if (w->phase && strcmp(w->phase, "#ALL") != 0) {
			rd__buf_puts(b, ", phase ");
			rd__buf_term(b, w->phase);
		}
		rd__buf_puts(b, ")\n");
	}
	return emit(w, b);
}

/* ---------------------------------------------------------------- JSON */

static void json_kv(rd_buf *b, const char *key, const char *value, int comma)
{
	if (comma)
		rd__buf_putc(b, ',');
	rd__buf_json_str(b, key);
	rd__buf_putc(b, ':');
	rd__buf_json_str(b, value);
}

static void json_tags(rd_buf *b, const char *tags)
{
	const char *p = tags;
	int first = 1;

	rd__buf_puts(b, ",\"tags\":[");
	while (p && *p) {
		const char *s;

		while (*p == ' ')
			p++;
		s = p;
		while (*p && *p != ' ')
			p++;
		if (p == s)
			break;
		if (!first)
			rd__buf_putc(b, ',');
		first = 0;
		{
			char *tok = rd__strndup(s, (size_t)(p - s));

			if (tok == NULL) {
				b->oom = 1;
				return;
			}
			rd__buf_json_str(b, tok);
			free(tok);
		}
	}
	rd__buf_putc(b, ']');
}

static void json_finding(rd_buf *b, const rd_finding *f)
{
	const rd_assertion *a = f->assertion;
	size_t i;
	int first = 1;

	rd__buf_putc(b, '{');
	json_kv(b, "rule", rd_finding_get(f, RD_FIELD_RULE), 0);
	json_kv(b, "kind", rd_kind_name(f->kind), 1);
	json_kv(b, "severity", rd_severity_name(f->severity), 1);
	json_kv(b, "message", f->message, 1);
	json_kv(b, "lang", f->lang, 1);
	json_kv(b, "pattern", f->pattern ? f->pattern->id : NULL, 1);
	json_kv(b, "context", f->rule ? f->rule->context_src : NULL, 1);
	json_kv(b, "location", f->location, 1);
	rd__buf_printf(b, ",\"line\":%ld", f->line);
	json_kv(b, "document", f->document, 1);
	json_kv(b, "test", f->test, 1);
	json_kv(b, "cite", a ? a->cite : NULL, 1);
	json_tags(b, a ? a->tags : NULL);
	json_kv(b, "confidence", a ? a->confidence : NULL, 1);
	json_kv(b, "jurisdiction", a ? a->jurisdiction : NULL, 1);
	json_kv(b, "role", a ? a->role : NULL, 1);
	json_kv(b, "see", a ? a->see : NULL, 1);
	rd__buf_puts(b, ",\"diagnostics\":[");
	for (i = 0; i < f->ndiags; i++) {
		if (f->diags[i].lang != NULL)
			continue;
		if (!first)
			rd__buf_putc(b, ',');
		first = 0;
		rd__buf_putc(b, '{');
		json_kv(b, "id", f->diags[i].id, 0);
		json_kv(b, "text", f->diags[i].text, 1);
		rd__buf_putc(b, '}');
	}
	rd__buf_puts(b, "]");
	if (a) {
		rd__buf_puts(b, ",\"source\":{");
		json_kv(b, "file", a->file, 0);
		rd__buf_printf(b, ",\"line\":%ld}", a->line);
	} else if (f->rule) {
		rd__buf_puts(b, ",\"source\":{");
		json_kv(b, "file", f->rule->file, 0);
		rd__buf_printf(b, ",\"line\":%ld}", f->rule->line);
	} else {
		rd__buf_puts(b, ",\"source\":null");
	}
	rd__buf_putc(b, '}');
}

static void json_counts(rd_buf *b, const size_t *counts)
{
	rd__buf_printf(b, "\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu", counts[RD_SEVERITY_ERROR],
	               counts[RD_SEVERITY_WARNING], counts[RD_SEVERITY_INFO]);
}

static void json_header(rd_writer *w, rd_buf *b)
{
	rd__buf_puts(b, "\"tool\":{\"name\":\"rahdari\",");
	json_kv(b, "version", w->tool_version, 0);
	rd__buf_puts(b, "},\"rules\":{");
	json_kv(b, "id", w->rules_id, 0);
	json_kv(b, "version", w->rules_version, 1);
	json_kv(b, "title", w->rules_title, 1);
	json_kv(b, "path", w->rules_path, 1);
	rd__buf_putc(b, '}');
	json_kv(b, "as_of", w->as_of, 1);
	json_kv(b, "phase", w->phase, 1);
	json_kv(b, "lang", w->lang, 1);
}

static int json_add(rd_writer *w, const rd_report *r)
{
	size_t i;

	if (w->ndocs > 1)
		rd__buf_puts(&w->docs, ",\n    ");
	rd__buf_puts(&w->docs, "{");
	json_kv(&w->docs, "path", r->document, 0);
	json_kv(&w->docs, "sha256", r->sha256, 1);
	rd__buf_putc(&w->docs, ',');
	json_counts(&w->docs, r->counts);
	rd__buf_putc(&w->docs, '}');
	for (i = 0; i < r->nfindings; i++) {
		if (w->nfindings++)
			rd__buf_puts(&w->body, ",\n    ");
		json_finding(&w->body, &r->findings[i]);
	}
	return w->docs.oom || w->body.oom ? rd__error_oom() : RD_OK;
}

static void json_records_open(rd_writer *w, rd_buf *b)
{
	rd__buf_puts(b, "{\n  ");
	json_header(w, b);
	rd__buf_puts(b, ",\n  \"records\": [");
	w->records_open = 1;
}

static int json_records_finish(rd_writer *w)
{
	rd_buf *b = &w->body;

	if (!w->records_open)
		json_records_open(w, b);
	rd__buf_puts(b, w->nrecords ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [");
	if (w->ninerr) {
		rd__buf_puts(b, "\n    ");
		rd__buf_add(b, w->inerr.data, w->inerr.len);
		rd__buf_puts(b, "\n  ");
	}
	rd__buf_printf(b, "],\n  \"summary\": {\"documents\":%llu,\"records\":%llu,\"unreadable\":%zu,",
	               (unsigned long long)w->nfiles, (unsigned long long)w->nrecords, w->ninerr);
	json_counts(b, w->counts);
	rd__buf_puts(b, "}\n}\n");
	return emit(w, b);
}

static int json_finish(rd_writer *w)
{
	rd_buf out;
	int rc;

	if (w->records || w->format_records)
		return json_records_finish(w);

	rd__buf_init(&out);
	rd__buf_puts(&out, "{\n  ");
	json_header(w, &out);
	rd__buf_puts(&out, ",\n  \"documents\": [");
	if (w->ndocs) {
		rd__buf_puts(&out, "\n    ");
		rd__buf_add(&out, w->docs.data, w->docs.len);
		rd__buf_puts(&out, "\n  ");
	}
	rd__buf_puts(&out, "],\n  \"errors\": [");
	if (w->ninerr) {
		rd__buf_puts(&out, "\n    ");
		rd__buf_add(&out, w->inerr.data, w->inerr.len);
		rd__buf_puts(&out, "\n  ");
	}
	rd__buf_printf(&out, "],\n  \"summary\": {\"documents\":%zu,\"unreadable\":%zu,",
	               w->ndocs, w->ninerr);
	json_counts(&out, w->counts);
	rd__buf_puts(&out, "},\n  \"findings\": [");
	if (w->nfindings) {
		rd__buf_puts(&out, "\n    ");
		rd__buf_add(&out, w->body.data, w->body.len);
		rd__buf_puts(&out, "\n  ");
	}
	rd__buf_puts(&out, "]\n}\n");
	rc = emit(w, &out);
	rd__buf_free(&out);
	return rc;
}

static int jsonl_add(rd_writer *w, const rd_report *r)
{
	rd_buf *b = &w->body;
	size_t i;

	rd__buf_puts(b, "{\"type\":\"document\",");
	json_kv(b, "path", r->document, 0);
	json_kv(b, "sha256", r->sha256, 1);
	rd__buf_puts(b, ",\"summary\":{");
	json_counts(b, r->counts);
	rd__buf_puts(b, "},\"findings\":[");
	for (i = 0; i < r->nfindings; i++) {
		if (i)
			rd__buf_putc(b, ',');
		json_finding(b, &r->findings[i]);
	}
	rd__buf_puts(b, "]}\n");
	return emit(w, b);
}

static int jsonl_finish(rd_writer *w)
{
	rd_buf *b = &w->body;

	rd__buf_puts(b, "{\"type\":\"summary\",");
	json_header(w, b);
	if (w->records || w->format_records)
		rd__buf_printf(b, ",\"documents\":%llu,\"records\":%llu,\"unreadable\":%zu,",
		               (unsigned long long)w->nfiles, (unsigned long long)w->nrecords, w->ninerr);
	else
		rd__buf_printf(b, ",\"documents\":%zu,\"unreadable\":%zu,", w->ndocs, w->ninerr);
	json_counts(b, w->counts);
	rd__buf_puts(b, "}\n");
	return emit(w, b);
}

/* ---------------------------------------------------------------- SVRL */

static void xattr(rd_buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	rd__buf_printf(b, " %s=\"", name);
	rd__buf_xml_attr(b, value);
	rd__buf_putc(b, '"');
}

static void svrl_ns(rd_writer *w, const rd_rules *rules)
{
	size_t i, j;

	for (i = 0; i < rules->nschemas; i++) {
		const rd_schema *s = rules->schemas[i];

		for (j = 0; j < s->nns; j++) {
			rd_buf tmp;

			rd__buf_init(&tmp);
			rd__buf_puts(&tmp, "  <svrl:ns-prefix-in-attribute-values");
			xattr(&tmp, "uri", s->ns[j].uri);
			xattr(&tmp, "prefix", s->ns[j].prefix);
			rd__buf_puts(&tmp, "/>\n");
			if (!tmp.oom && (w->nsdecl.data == NULL || strstr(w->nsdecl.data, tmp.data) == NULL))
				rd__buf_add(&w->nsdecl, tmp.data, tmp.len);
			rd__buf_free(&tmp);
		}
	}
}

static void svrl_text(rd_buf *b, const char *indent, const char *lang, const char *text)
{
	rd__buf_printf(b, "%s<svrl:text", indent);
	xattr(b, "xml:lang", lang);
	rd__buf_putc(b, '>');
	rd__buf_xml_text(b, text);
	rd__buf_puts(b, "</svrl:text>\n");
}

static int svrl_add(rd_writer *w, const rd_report *r)
{
	rd_buf *b = &w->body;
	size_t i, j;

	if (w->ndocs == 1)
		svrl_ns(w, r->rules);
	for (i = 0; i < r->nevents; i++) {
		const rd_event *e = &r->events[i];
		const rd_schema *s = r->rules->schemas[e->schema];

		if (e->type == RD_EV_PATTERN) {
			const rd_pattern *p = &s->patterns[e->index];

			rd__buf_puts(b, "  <svrl:active-pattern");
			xattr(b, "id", p->id);
			xattr(b, "name", p->title);
			xattr(b, "documents", r->document);
			rd__buf_puts(b, "/>\n");
		} else if (e->type == RD_EV_RULE) {
			const rd_rule *ru = s->all_rules[e->index];

			rd__buf_puts(b, "  <svrl:fired-rule");
			xattr(b, "context", ru->context_src);
			xattr(b, "id", ru->id);
			xattr(b, "role", ru->role);
			xattr(b, "flag", ru->flag);
			xattr(b, "document", r->document);
			rd__buf_puts(b, "/>\n");
		} else {
			const rd_finding *f = &r->findings[e->index];
			const rd_assertion *a = f->assertion;
			const char *el;

			if (f->kind == RD_KIND_EVAL_ERROR || f->kind == RD_KIND_SCHEMA) {
				/* SVRL has no element for these: report them as top-level text */
				rd__buf_puts(&w->errs, f->kind == RD_KIND_SCHEMA
				                           ? "  <svrl:text>structure error (XML Schema) in "
				                           : "  <svrl:text>evaluation error in ");
				rd__buf_xml_text(&w->errs, r->document);
				rd__buf_puts(&w->errs, " at ");
				rd__buf_xml_text(&w->errs, f->location);
				rd__buf_puts(&w->errs, ": ");
				rd__buf_xml_text(&w->errs, f->message);
				if (f->test) {
					rd__buf_puts(&w->errs, " (expression: ");
					rd__buf_xml_text(&w->errs, f->test);
					rd__buf_puts(&w->errs, ")");
				}
				rd__buf_puts(&w->errs, "</svrl:text>\n");
				w->nevalerrors++;
				continue;
			}
			el = f->kind == RD_KIND_ASSERT ? "svrl:failed-assert" : "svrl:successful-report";
			rd__buf_printf(b, "  <%s", el);
			xattr(b, "test", a->test_src);
			xattr(b, "location", f->location);
			xattr(b, "id", a->id);
			xattr(b, "role", a->role);
			xattr(b, "flag", a->flag);
			xattr(b, "see", a->see);
			xattr(b, "icon", a->icon);
			xattr(b, "fpi", a->fpi);
			xattr(b, "xml:lang", a->lang);
			rd__buf_puts(b, ">\n");
			for (j = 0; j < f->ndiags; j++) {
				rd__buf_puts(b, "    <svrl:diagnostic-reference");
				xattr(b, "diagnostic", f->diags[j].id);
				rd__buf_puts(b, ">\n");
				svrl_text(b, "      ", f->diags[j].lang, f->diags[j].text);
				rd__buf_puts(b, "    </svrl:diagnostic-reference>\n");
			}
			for (j = 0; j < f->nprops; j++) {
				rd__buf_puts(b, "    <svrl:property-reference");
				xattr(b, "property", f->props[j].id);
				xattr(b, "role", f->props[j].role);
				rd__buf_puts(b, ">\n");
				svrl_text(b, "      ", f->props[j].lang, f->props[j].text);
				rd__buf_puts(b, "    </svrl:property-reference>\n");
			}
			svrl_text(b, "    ", f->lang, f->message ? f->message : "");
			rd__buf_printf(b, "  </%s>\n", el);
		}
	}
	return b->oom || w->errs.oom ? rd__error_oom() : RD_OK;
}

static int svrl_finish(rd_writer *w)
{
	rd_buf out;
	int rc;

	rd__buf_init(&out);
	rd__buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	rd__buf_puts(&out, "<svrl:schematron-output xmlns:svrl=\"" RD_NS_SVRL "\"");
	xattr(&out, "title", w->rules_title);
	xattr(&out, "schemaVersion", w->rules_version);
	xattr(&out, "phase", w->phase);
	rd__buf_puts(&out, ">\n");
	if (w->errs.len)
		rd__buf_add(&out, w->errs.data, w->errs.len);
	if (w->nsdecl.len)
		rd__buf_add(&out, w->nsdecl.data, w->nsdecl.len);
	if (w->body.len)
		rd__buf_add(&out, w->body.data, w->body.len);
	rd__buf_puts(&out, "</svrl:schematron-output>\n");
	rc = emit(w, &out);
	rd__buf_free(&out);
	return rc;
}

/* ---------------------------------------------------------------- public */

int rd_writer_add(rd_writer *w, const rd_report *r)
{
	int s;

	if (w == NULL || r == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_add: bad arguments");
	if (w->failed)
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	if (w->records)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_writer_add: this writer takes audited records, not reports");
	if (take_meta(w, r) < 0)
		return rd__error_oom();
	w->ndocs++;
	for (s = 1; s <= 3; s++)
		w->counts[s] += r->counts[s];
	if (r->counts[RD_SEVERITY_ERROR])
		w->docs_with_errors++;
	switch (w->format) {
	case RD_FORMAT_TEXT: return text_add(w, r);
	case RD_FORMAT_JSON: return json_add(w, r);
	case RD_FORMAT_JSONL: return jsonl_add(w, r);
	case RD_FORMAT_SVRL: return svrl_add(w, r);
	}
	return rd__error_set(RD_EINVAL, NULL, 0, 0, "unknown format");
}

int rd_writer_add_record(rd_writer *w, const rd_audit_record *rec)
{
	const rd_report *r;
	rd_buf *b;
	size_t i;
	int s;

	if (w == NULL || rec == NULL || rec->report == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_add_record: bad arguments");
	if (w->failed)
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	if (w->format != RD_FORMAT_JSON && w->format != RD_FORMAT_JSONL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_writer_add_record: records are written as json or jsonl");
	if (w->ndocs)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_writer_add_record: this writer took reports already");
	r = rec->report;
	if (take_meta(w, r) < 0)
		return rd__error_oom();
	w->records = 1;
	w->nrecords++;
	for (s = 1; s <= 3; s++)
		w->counts[s] += r->counts[s];
	if (w->last_file == NULL || strcmp(w->last_file, r->document) != 0) {
		free(w->last_file);
		w->last_file = rd__strdup(r->document);
		if (w->last_file == NULL)
			return rd__error_oom();
		w->nfiles++;
	}
	b = &w->body;
	if (w->format == RD_FORMAT_JSON) {
		if (!w->records_open)
			json_records_open(w, b);
		else
			rd__buf_putc(b, ',');
		rd__buf_puts(b, "\n    {");
	} else {
		rd__buf_puts(b, "{\"type\":\"record\",");
	}
	json_kv(b, "document", r->document, 0);
	rd__buf_printf(b, ",\"record\":%llu", (unsigned long long)rec->index + 1);
	json_kv(b, "id", rec->id, 1);
	json_kv(b, "element", rec->element, 1);
	rd__buf_printf(b, ",\"line\":%ld,\"summary\":{", rec->line);
	json_counts(b, r->counts);
	rd__buf_puts(b, "},\"findings\":[");
	for (i = 0; i < r->nfindings; i++) {
		if (i)
			rd__buf_putc(b, ',');
		json_finding(b, &r->findings[i]);
	}
	rd__buf_puts(b, w->format == RD_FORMAT_JSON ? "]}" : "]}\n");
	return emit(w, b);
}

static void json_error_fields(rd_buf *b, const char *path, const rd_error *err)
{
	json_kv(b, "path", path, 0);
	json_kv(b, "status", rd_status_name(err ? err->code : RD_ERROR), 1);
	json_kv(b, "message", err ? err->message : "error", 1);
	rd__buf_printf(b, ",\"line\":%d,\"column\":%d", err ? err->line : 0,
	               err ? err->column : 0);
}

int rd_writer_add_error(rd_writer *w, const char *path, const rd_error *err)
{
	rd_buf *b;

	if (w == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_add_error: bad arguments");
	if (w->failed)
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	w->ninerr++;
	b = &w->body;
	switch (w->format) {
	case RD_FORMAT_TEXT:
		if (w->flags & RD_WRITE_COLOR)
			rd__buf_puts(b, C_BOLD C_RED);
		rd__buf_term(b, path);
		rd__buf_puts(b, ": cannot be checked");
		if (w->flags & RD_WRITE_COLOR)
			rd__buf_puts(b, C_RESET);
		rd__buf_puts(b, ": ");
		rd__buf_term(b, err ? err->message : "error");
		rd__buf_putc(b, '\n');
		return emit(w, b);
	case RD_FORMAT_JSON:
		if (w->ninerr > 1)
			rd__buf_puts(&w->inerr, ",\n    ");
		rd__buf_putc(&w->inerr, '{');
		json_error_fields(&w->inerr, path, err);
		rd__buf_putc(&w->inerr, '}');
		return w->inerr.oom ? rd__error_oom() : RD_OK;
	case RD_FORMAT_JSONL:
		rd__buf_puts(b, "{\"type\":\"error\",");
		json_error_fields(b, path, err);
		rd__buf_puts(b, "}\n");
		return emit(w, b);
	case RD_FORMAT_SVRL:
		rd__buf_puts(&w->errs, "  <svrl:text>cannot check ");
		rd__buf_xml_text(&w->errs, path);
		rd__buf_puts(&w->errs, ": ");
		rd__buf_xml_text(&w->errs, err ? err->message : "error");
		rd__buf_puts(&w->errs, "</svrl:text>\n");
		return w->errs.oom ? rd__error_oom() : RD_OK;
	}
	return rd__error_set(RD_EINVAL, NULL, 0, 0, "unknown format");
}

int rd_writer_finish(rd_writer *w)
{
	if (w == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_writer_finish: bad arguments");
	if (w->failed)
		return rd__error_set(RD_EIO, NULL, 0, 0, "cannot write the output");
	if (!w->have_meta && w->tool_version == NULL)
		w->tool_version = rd__strdup(RD_VERSION_STRING);
	switch (w->format) {
	case RD_FORMAT_TEXT: return text_finish(w);
	case RD_FORMAT_JSON: return json_finish(w);
	case RD_FORMAT_JSONL: return jsonl_finish(w);
	case RD_FORMAT_SVRL: return svrl_finish(w);
	}
	return rd__error_set(RD_EINVAL, NULL, 0, 0, "unknown format");
}

static int buf_sink(const char *data, size_t len, void *payload)
{
	rd_buf *b = payload;

	rd__buf_add(b, data, len);
	return b->oom ? -1 : 0;
}

int rd_report_format(char **out, size_t *len, const rd_report *r, rd_format format,
                     unsigned int flags)
{
	rd_writer *w;
	rd_buf b;
	int rc;

	if (out == NULL || r == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_report_format: bad arguments");
	*out = NULL;
	rd__buf_init(&b);
	rc = rd_writer_new(&w, format, flags, buf_sink, &b);
	if (rc != RD_OK)
		return rc;
	rc = rd_writer_add(w, r);
	if (rc == RD_OK)
		rc = rd_writer_finish(w);
	rd_writer_free(w);
	if (rc == RD_OK) {
		*out = rd__buf_take(&b, len);
		if (*out == NULL)
			rc = rd__error_oom();
	}
	rd__buf_free(&b);
	return rc;
}
