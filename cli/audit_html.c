/* rahdari audit: the HTML report.
 *
 * One self-contained page for a regulator: the totals, the findings by rule,
 * by agency, branch and route, the records over time, the worst records, the
 * rules' citations and the inputs. The page is polyglot XHTML (HTML5 that is
 * also well-formed XML) with inline CSS and inline SVG charts: nothing is
 * fetched and nothing runs. Every string from the data is escaped; bytes that
 * are not UTF-8, control characters and non-characters become U+FFFD.
 *
 * Bars are proportional to their values (the largest is the full width), and
 * coordinates are written with integer arithmetic, so no locale can turn a
 * decimal point into a comma and no NaN can reach an attribute.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"

#define TOP_RULES 25    /* rules in the chart and table by rule */
#define TOP_GROUPS 20   /* agencies, branches, routes in their charts and tables */
#define MESSAGE_CHARS 400 /* example messages longer than this are cut */
#define MAX_DAYS 60     /* more days than this: weeks */
#define MAX_WEEKS 104   /* more weeks than this: months */
#define MAX_MONTHS 120  /* more months than this: years */

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6"    /* U+2026 */
#define DASH "\xe2\x80\x94"        /* U+2014, for what is unknown */

static const int severities[3] = { RD_SEVERITY_ERROR, RD_SEVERITY_WARNING, RD_SEVERITY_INFO };

/* ---- text ---- */

/* Length of the UTF-8 character at s (n bytes left) when it may appear in the page, else 0:
 * not UTF-8, a control character other than tab and newline, U+FFFE or U+FFFF. */
static size_t char_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	if (s[0] < 0x80)
		return (s[0] >= 0x20 && s[0] != 0x7f) || s[0] == '\t' || s[0] == '\n';
	k = rd__utf8_decode(s, n, &cp);
	if (k == 0 || cp < 0xa0 || cp == 0xfffe || cp == 0xffff)
		return 0;
	return k;
}

/* Characters in s (n bytes), counting each byte that is replaced as one. */
static size_t text_chars(const unsigned char *s, size_t n)
{
	size_t count = 0, k;

	while (n > 0) {
		k = char_len(s, n);
		if (k == 0)
			k = 1;
		s += k;
		n -= k;
		count++;
	}
	return count;
}

/* Write s (NULL: nothing) escaped for text and attribute values, at most max characters
 * (0: all of it); a longer s is cut and ends in an ellipsis. */
static void put_text(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, k, left = (size_t)-1;

	if (s == NULL)
		return;
	n = strlen(s);
	if (max > 0 && text_chars(p, n) > max)
		left = max - 1;
	for (; n > 0 && left > 0; p += k, n -= k, left--) {
		k = char_len(p, n);
		if (k == 0) {
			fputs(REPLACEMENT, out);
			k = 1;
		} else if (k > 1) {
			fwrite(p, 1, k, out);
		} else if (*p == '&') {
			fputs("&amp;", out);
		} else if (*p == '<') {
			fputs("&lt;", out);
		} else if (*p == '>') {
			fputs("&gt;", out);
		} else if (*p == '"') {
			fputs("&quot;", out);
		} else if (*p == '\'') {
			fputs("&#39;", out);
		} else {
			fputc(*p, out);
		}
	}
	if (n > 0)
		fputs(ELLIPSIS, out);
}

/* s, or a dash when it is NULL or empty. */
static void put_or_dash(FILE *out, const char *s, size_t max)
{
	if (s == NULL || s[0] == '\0')
		fputs(DASH, out);
	else
		put_text(out, s, max);
}

/* ---- numbers ---- */

/* v with thousands separators: 1,234,567. */
static void put_count(FILE *out, uint64_t v)
{
	char d[24];
	int n = 0, i;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = n - 1; i >= 0; i--) {
		fputc(d[i], out);
		if (i > 0 && i % 3 == 0)
			fputc(',', out);
	}
}

/* x >= 0 with the given decimals and thousands separators; a dash when x is not a number. */
static void put_fixed(FILE *out, double x, int decimals)
{
	uint64_t scale = 1, v;
	int i;

	if (!isfinite(x) || x < 0 || x > 1e15) {
		fputs(DASH, out);
		return;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	v = (uint64_t)(x * (double)scale + 0.5);
	put_count(out, v / scale);
	if (decimals > 0)
		fprintf(out, ".%0*llu", decimals, (unsigned long long)(v % scale));
}

/* part of whole as a percentage, "12.3%"; a dash when whole is 0. */
static void put_pct(FILE *out, uint64_t part, uint64_t whole)
{
	if (whole == 0) {
		fputs(DASH, out);
		return;
	}
	put_fixed(out, 100.0 * (double)part / (double)whole, 1);
	fputc('%', out);
}

/* A coordinate or length for SVG: one decimal, never negative, never NaN. */
static void put_px(FILE *out, double x)
{
	unsigned long long v;

	if (!isfinite(x) || x < 0)
		x = 0;
	if (x > 1e9)
		x = 1e9;
	v = (unsigned long long)(x * 10 + 0.5);
	if (v % 10)
		fprintf(out, "%llu.%llu", v / 10, v % 10);
	else
		fprintf(out, "%llu", v / 10);
}

/* part / whole * length, for bars: 0 when whole is 0. */
static double scale_to(uint64_t part, uint64_t whole, double length)
{
	if (whole == 0)
		return 0;
	return (double)part / (double)whole * length;
}

static void put_bytes(FILE *out, uint64_t b)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double x = (double)b;
	int u = -1;

	if (b < 1024) {
		put_count(out, b);
		fputs(b == 1 ? " byte" : " bytes", out);
		return;
	}
	while (x >= 1024 && u < 4) {
		x /= 1024;
		u++;
	}
	put_fixed(out, x, 1);
	fprintf(out, " %s", units[u]);
}

static void put_duration(FILE *out, double s)
{
	unsigned long t;

	if (!isfinite(s) || s < 0) {
		fputs(DASH, out);
		return;
	}
	if (s < 60) {
		put_fixed(out, s, s < 10 ? 2 : 1);
		fputs(" s", out);
		return;
	}
	t = (unsigned long)(s + 0.5);
	if (t < 3600)
		fprintf(out, "%lu min %02lu s", t / 60, t % 60);
	else
		fprintf(out, "%lu h %02lu min", t / 3600, t % 3600 / 60);
}

static uint64_t findings_of(const uint64_t *counts)
{
	return counts[RD_SEVERITY_ERROR] + counts[RD_SEVERITY_WARNING] + counts[RD_SEVERITY_INFO];
}

static const char *severity_class(int s)
{
	switch (s) {
	case RD_SEVERITY_ERROR: return "error";
	case RD_SEVERITY_WARNING: return "warning";
	case RD_SEVERITY_INFO: return "info";
	default: return "none";
	}
}

/* Colours for a chart viewed without the page's style sheet; the style sheet overrides them. */
static const char *severity_fill(int s)
{
	switch (s) {
	case RD_SEVERITY_ERROR: return "#c62828";
	case RD_SEVERITY_WARNING: return "#c77700";
	case RD_SEVERITY_INFO: return "#1f6fb2";
	default: return "#78828c";
	}
}

/* A severity as a coloured badge. */
static void put_severity(FILE *out, int s)
{
	fprintf(out, "<span class=\"sev sev-%s\">%s</span>", severity_class(s), rd_severity_name(s));
}

static void td_count(FILE *out, uint64_t v)
{
	fputs("<td class=\"n\">", out);
	put_count(out, v);
	fputs("</td>", out);
}

static void td_text(FILE *out, const char *s, size_t max)
{
	fputs("<td>", out);
	put_or_dash(out, s, max);
	fputs("</td>", out);
}

static void note(FILE *out, const char *sentence)
{
	fprintf(out, "<p class=\"empty\">%s</p>\n", sentence);
}

/* ---- charts ---- */

static void svg_open(FILE *out, int w, int h, const char *title)
{
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
	             "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	        w, h, w, h);
	put_text(out, title, 0);
	fputs("\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title>", out);
	put_text(out, title, 0);
	fputs("</title>\n", out);
}

/* Horizontal bar charts: one row a bar, a label on the left, the value on the right. A bar
 * is up to three segments (findings by severity) laid end to end. */
typedef struct hchart {
	int label_w;        /* width of the label column */
	int bar_w;          /* width of the longest bar */
	size_t label_chars; /* longer labels are cut (the row's title has them whole) */
	uint64_t max;       /* the longest bar's value, > 0 */
} hchart;

#define HROW 22 /* height of a row */
#define HTOP 4  /* space above the first row */

static int hchart_width(const hchart *c)
{
	return c->label_w + 8 + c->bar_w + 96;
}

static void hchart_open(FILE *out, const hchart *c, size_t rows, const char *title)
{
	int h = HTOP * 2 + (int)rows * HROW;

	svg_open(out, hchart_width(c), h, title);
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
	        c->label_w + 8, c->label_w + 8, h);
}

/* Start row: the caller then writes the text of the row's title (the full label and the
 * numbers), then calls hchart_row_end(). */
static void hchart_row_begin(FILE *out)
{
	fputs("<g><title>", out);
}

static void hchart_row_end(FILE *out, const hchart *c, size_t row, const char *label,
                           const uint64_t *seg, const int *sev, size_t nseg)
{
	double y = HTOP + (double)row * HROW, x0 = c->label_w + 8, end;
	uint64_t acc = 0, total;
	size_t i;

	fputs("</title>\n<text class=\"label\" x=\"", out);
	put_px(out, c->label_w);
	fputs("\" y=\"", out);
	put_px(out, y + 15);
	fputs("\" text-anchor=\"end\">", out);
	put_or_dash(out, label, c->label_chars);
	fputs("</text>\n", out);
	for (i = 0; i < nseg; i++) {
		double a = scale_to(acc, c->max, c->bar_w);
		double b = scale_to(acc + seg[i], c->max, c->bar_w);

		acc += seg[i];
		if (seg[i] == 0)
			continue;
		fprintf(out, "<rect class=\"bar b-%s\" fill=\"%s\" x=\"", severity_class(sev[i]),
		        severity_fill(sev[i]));
		put_px(out, x0 + a);
		fputs("\" y=\"", out);
		put_px(out, y + 3);
		fputs("\" width=\"", out);
		put_px(out, b - a);
		fputs("\" height=\"16\"/>\n", out);
	}
	total = acc;
	end = x0 + scale_to(total, c->max, c->bar_w);
	fputs("<text class=\"value\" x=\"", out);
	put_px(out, end + 5);
	fputs("\" y=\"", out);
	put_px(out, y + 15);
	fputs("\">", out);
	put_count(out, total);
	fputs("</text></g>\n", out);
}

/* ---- the sections ---- */

static void write_style(FILE *out)
{
	fputs("<style>\n"
	      ":root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1f24;--muted:#59636e;"
	      "--line:#d0d7de;--panel:#f3f5f7;--error:#c62828;--warning:#c77700;--info:#1f6fb2;"
	      "--none:#78828c;--rec:#a9b6c4;--flag:#c62828;--ok:#2e7d32;--track:#e3e8ed}\n"
	      "@media (prefers-color-scheme: dark){:root{--bg:#101317;--fg:#e4e7eb;--muted:#9aa4ae;"
	      "--line:#333a42;--panel:#181d23;--error:#ef6461;--warning:#f0a53c;--info:#5ea8ee;"
	      "--none:#8d969f;--rec:#4b5866;--flag:#ef6461;--ok:#66bb6a;--track:#2a3139}}\n"
	      "@media print{:root{--bg:#ffffff;--fg:#000000;--muted:#444444;--line:#bbbbbb;"
	      "--panel:#f3f5f7;--error:#c62828;--warning:#c77700;--info:#1f6fb2;--rec:#a9b6c4;"
	      "--flag:#c62828;--track:#e3e8ed}nav{display:none}body{max-width:none;padding:0}"
	      "svg,tr,.tiles{break-inside:avoid}h2{break-after:avoid}}\n"
	      "html{background:var(--bg)}\n"
	      "body{margin:0 auto;max-width:1120px;padding:1rem 1.5rem 3rem;background:var(--bg);"
	      "color:var(--fg);font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	      "\"Noto Sans\",\"Noto Naskh Arabic\",\"Noto Nastaliq Urdu\",Arial,sans-serif;"
	      "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	      "h1{font-size:1.6rem;margin:.5rem 0 .2rem}\n"
	      "h2{font-size:1.25rem;margin:2.2rem 0 .5rem;padding-bottom:.2rem;"
	      "border-bottom:2px solid var(--line)}\n"
	      "h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
	      ".meta,.empty,.hint{color:var(--muted)}\n"
	      ".meta{margin:.1rem 0}\n"
	      "nav{margin:1rem 0;font-size:.9rem}\n"
	      "nav a{margin-right:1rem;color:var(--info);text-decoration:none}\n"
	      ".tiles{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}\n"
	      ".tile{background:var(--panel);border:1px solid var(--line);border-radius:6px;"
	      "padding:.5rem .8rem;min-width:9rem}\n"
	      ".tile .v{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}\n"
	      ".tile .k{color:var(--muted);font-size:.85rem}\n"
	      ".alert{border-left:4px solid var(--error);padding:.3rem .7rem;background:var(--panel)}\n"
	      "svg.chart{display:block;max-width:100%;height:auto;margin:.6rem 0;color:var(--fg)}\n"
	      "svg.chart text{fill:currentColor}\n"
	      "svg.chart .axis,svg.chart .grid{stroke:var(--line)}\n"
	      "svg.chart .b-error{fill:var(--error)}\n"
	      "svg.chart .b-warning{fill:var(--warning)}\n"
	      "svg.chart .b-info{fill:var(--info)}\n"
	      "svg.chart .b-none{fill:var(--none)}\n"
	      "svg.chart .rec{fill:var(--rec)}\n"
	      "svg.chart .flag{fill:var(--flag)}\n"
	      "svg.chart .track{fill:var(--track)}\n"
	      "svg.chart g:hover rect{opacity:.8}\n"
	      ".legend{font-size:.85rem;color:var(--muted);margin:.2rem 0}\n"
	      ".sw{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;"
	      "vertical-align:-.05em;border-radius:2px}\n"
	      ".sw-error{background:var(--error)}.sw-warning{background:var(--warning)}"
	      ".sw-info{background:var(--info)}.sw-rec{background:var(--rec)}"
	      ".sw-flag{background:var(--flag)}\n"
	      ".table-wrap{overflow-x:auto}\n"
	      "table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0}\n"
	      "th,td{border-bottom:1px solid var(--line);padding:.25rem .45rem;text-align:left;"
	      "vertical-align:top}\n"
	      "th{background:var(--panel);font-weight:600}\n"
	      "tfoot td{border-top:2px solid var(--line);color:var(--muted)}\n"
	      "td{unicode-bidi:plaintext;overflow-wrap:anywhere}\n"
	      "th.n,td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;"
	      "overflow-wrap:normal}\n"
	      "code,.id{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,monospace;"
	      "font-size:.95em}\n"
	      ".sev{display:inline-block;padding:0 .45em;border-radius:3px;color:var(--bg);"
	      "font-size:.8rem;font-weight:600}\n"
	      ".sev-error{background:var(--error)}.sev-warning{background:var(--warning)}"
	      ".sev-info{background:var(--info)}.sev-none{background:var(--none)}\n"
	      ".ok{color:var(--ok);font-weight:600}.bad{color:var(--error);font-weight:600}\n"
	      "details{margin:.4rem 0}summary{cursor:pointer;color:var(--muted)}\n"
	      "footer{margin-top:3rem;color:var(--muted);font-size:.8rem}\n"
	      "</style>\n",
	      out);
}

static void write_head(FILE *out, const audit_agg *g)
{
	fputs("<!DOCTYPE html>\n"
	      "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
	      "<head>\n"
	      "<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n"
	      "<meta name=\"generator\" content=\"rahdari ",
	      out);
	put_text(out, g->tool_version, 0);
	fputs("\"/>\n<title>rahdari audit", out);
	if (g->rules_title != NULL && g->rules_title[0] != '\0') {
		fputs(": ", out);
		put_text(out, g->rules_title, 120);
	}
	fputs("</title>\n", out);
	write_style(out);
	fputs("</head>\n<body>\n<header>\n<h1>Audit report</h1>\n<p class=\"meta\">Rules: ", out);
	if (g->rules_title != NULL && g->rules_title[0] != '\0') {
		put_text(out, g->rules_title, 0);
		fputs(" (", out);
	}
	fputs("<code>", out);
	put_or_dash(out, g->rules_id, 0);
	fputs("</code>", out);
	if (g->rules_version != NULL && g->rules_version[0] != '\0') {
		fputs(" version ", out);
		put_text(out, g->rules_version, 0);
	}
	if (g->rules_title != NULL && g->rules_title[0] != '\0')
		fputs(")", out);
	fputs("</p>\n<p class=\"meta\">As of ", out);
	put_or_dash(out, g->as_of, 0);
	if (g->jurisdiction != NULL && g->jurisdiction[0] != '\0') {
		fputs(" \xc2\xb7 jurisdiction ", out);
		put_text(out, g->jurisdiction, 0);
	}
	fprintf(out, " \xc2\xb7 %u thread%s \xc2\xb7 rahdari ", g->jobs, g->jobs == 1 ? "" : "s");
	put_or_dash(out, g->tool_version, 0);
	fputs("</p>\n</header>\n"
	      "<nav><a href=\"#summary\">Summary</a><a href=\"#by-rule\">By rule</a>"
	      "<a href=\"#by-agency\">By agency</a><a href=\"#by-branch\">By branch</a>"
	      "<a href=\"#by-route\">By route</a><a href=\"#over-time\">Over time</a>"
	      "<a href=\"#worst\">Worst records</a><a href=\"#rules\">Rules</a>"
	      "<a href=\"#files\">Files</a></nav>\n",
	      out);
}

static void tile_begin(FILE *out)
{
	fputs("<div class=\"tile\"><div class=\"v\">", out);
}

static void tile_end(FILE *out, const char *key)
{
	fprintf(out, "</div><div class=\"k\">%s</div></div>\n", key);
}

static void write_summary(FILE *out, const audit_agg *g)
{
	static const char *const names[] = { "errors", "warnings", "info" };
	hchart c = { 90, 560, 20, 0 };
	size_t i, bad = 0;
	uint64_t total = findings_of(g->counts);

	for (i = 0; i < g->nfiles; i++)
		if (g->files[i].status != RD_OK)
			bad++;

	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"tiles\">\n", out);
	tile_begin(out);
	put_count(out, g->nfiles);
	tile_end(out, g->nfiles == 1 ? "file" : "files");
	tile_begin(out);
	put_count(out, g->records);
	tile_end(out, "records");
	tile_begin(out);
	put_bytes(out, g->bytes);
	tile_end(out, "read");
	tile_begin(out);
	put_duration(out, g->seconds);
	tile_end(out, "time");
	tile_begin(out);
	if (g->seconds > 0 && isfinite(g->seconds))
		put_fixed(out, (double)g->records / g->seconds, 0);
	else
		fputs(DASH, out);
	tile_end(out, "records per second");
	tile_begin(out);
	put_pct(out, g->flagged, g->records);
	tile_end(out, "of records flagged");
	tile_begin(out);
	put_count(out, total);
	tile_end(out, "findings");
	fputs("</div>\n", out);

	if (bad > 0) {
		fputs("<p class=\"alert\">", out);
		put_count(out, bad);
		fputs(" of ", out);
		put_count(out, g->nfiles);
		fputs(g->nfiles == 1 ? " file" : " files", out);
		fputs(" stopped at an error: the records after it were not audited. See "
		      "<a href=\"#files\">Files</a>.</p>\n", out);
	}
	if (g->bytes > 0) {
		fputs("<p class=\"meta\">", out);
		put_count(out, g->bytes);
		fputs(" bytes read.</p>\n", out);
	}

	fputs("<h3>Findings by severity</h3>\n", out);
	for (i = 0; i < 3; i++)
		if (g->counts[severities[i]] > c.max)
			c.max = g->counts[severities[i]];
	if (c.max == 0) {
		note(out, g->records == 0 ? "No records were audited, so there are no findings."
		                          : "No findings: every record passed every rule.");
	} else {
		hchart_open(out, &c, 3, "Findings by severity");
		for (i = 0; i < 3; i++) {
			uint64_t v = g->counts[severities[i]];

			hchart_row_begin(out);
			put_count(out, v);
			fprintf(out, " %s", names[i]);
			hchart_row_end(out, &c, i, names[i], &v, &severities[i], 1);
		}
		fputs("</svg>\n", out);
	}

	fputs("<h3>Records flagged</h3>\n", out);
	if (g->records == 0) {
		note(out, "No records were audited.");
	} else {
		uint64_t flagged = g->flagged > g->records ? g->records : g->flagged;
		double w = scale_to(flagged, g->records, 600);

		fputs("<p>", out);
		put_count(out, g->flagged);
		fputs(" of ", out);
		put_count(out, g->records);
		fputs(" records (", out);
		put_pct(out, g->flagged, g->records);
		fputs(") have at least one finding.</p>\n", out);
		svg_open(out, 720, 28, "Share of records flagged");
		fputs("<g><title>", out);
		put_count(out, g->flagged);
		fputs(" flagged of ", out);
		put_count(out, g->records);
		fputs(" records</title>\n<rect class=\"track\" fill=\"#e3e8ed\" x=\"0\" y=\"4\" "
		      "width=\"600\" height=\"20\"/>\n<rect class=\"flag\" fill=\"#c62828\" x=\"0\" "
		      "y=\"4\" width=\"", out);
		put_px(out, w);
		fputs("\" height=\"20\"/>\n<text x=\"610\" y=\"19\">", out);
		put_pct(out, g->flagged, g->records);
		fputs("</text></g>\n</svg>\n", out);
	}
	fputs("</section>\n", out);
}

static void write_by_rule(FILE *out, const audit_agg *g)
{
	hchart c = { 290, 520, 34, 0 };
	size_t i, n = g->nrules < TOP_RULES ? g->nrules : TOP_RULES;

	fputs("<section id=\"by-rule\">\n<h2>Findings by rule</h2>\n", out);
	if (n == 0) {
		note(out, "No rule fired.");
		fputs("</section>\n", out);
		return;
	}
	fputs("<p class=\"hint\">", out);
	if (g->nrules > n) {
		fprintf(out, "The %zu rules with the most findings, of ", n);
		put_count(out, g->nrules);
		fputs(" that fired; all are listed under <a href=\"#rules\">Rules</a>.", out);
	} else {
		put_count(out, g->nrules);
		fputs(g->nrules == 1 ? " rule fired." : " rules fired.", out);
	}
	fputs("</p>\n<p class=\"legend\"><span class=\"sw sw-error\"></span>error"
	      "<span class=\"sw sw-warning\"></span>warning<span class=\"sw sw-info\"></span>info</p>\n",
	      out);
	for (i = 0; i < n; i++)
		if (g->rules[i].findings > c.max)
			c.max = g->rules[i].findings;
	if (c.max > 0) {
		hchart_open(out, &c, n, "Findings by rule (the rules with the most findings)");
		for (i = 0; i < n; i++) {
			const agg_rule *r = &g->rules[i];

			hchart_row_begin(out);
			put_or_dash(out, r->id, 0);
			fprintf(out, " (%s): ", rd_severity_name(r->severity));
			put_count(out, r->findings);
			fputs(r->findings == 1 ? " finding in " : " findings in ", out);
			put_count(out, r->records);
			fputs(r->records == 1 ? " record" : " records", out);
			hchart_row_end(out, &c, i, r->id, &r->findings, &r->severity, 1);
		}
		fputs("</svg>\n", out);
	}
	fputs("<div class=\"table-wrap\"><table>\n<thead><tr><th>Rule</th><th>Severity</th>"
	      "<th class=\"n\">Findings</th><th class=\"n\">Records</th><th>Example message</th>"
	      "<th>Citation</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < n; i++) {
		const agg_rule *r = &g->rules[i];

		fputs("<tr><td class=\"id\">", out);
		put_or_dash(out, r->id, 0);
		fputs("</td><td>", out);
		put_severity(out, r->severity);
		fputs("</td>", out);
		td_count(out, r->findings);
		td_count(out, r->records);
		td_text(out, r->message, MESSAGE_CHARS);
		td_text(out, r->cite, 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
}

/* A count with a mark for what it is: NULL exact, GE at least, LE at most. */
#define GE "\xe2\x89\xa5" /* U+2265 */
#define LE "\xe2\x89\xa4" /* U+2264 */
static void td_bound(FILE *out, uint64_t v, const char *mark)
{
	fputs("<td class=\"n\">", out);
	if (mark != NULL)
		fputs(mark, out);
	put_count(out, v);
	fputs("</td>", out);
}

/* A row of the table of groups. */
static void group_row(FILE *out, const char *cls, const char *label, uint64_t records,
                      uint64_t flagged, const uint64_t *counts, const char *mark)
{
	if (cls != NULL)
		fprintf(out, "<tr class=\"%s\">", cls);
	else
		fputs("<tr>", out);
	td_text(out, label, 0);
	td_bound(out, records, mark);
	td_bound(out, flagged, mark);
	fputs("<td class=\"n\">", out);
	if (mark != NULL)
		fputs(DASH, out); /* a share of two bounds is neither */
	else
		put_pct(out, flagged, records);
	fputs("</td>", out);
	td_bound(out, counts[RD_SEVERITY_ERROR], mark);
	td_bound(out, counts[RD_SEVERITY_WARNING], mark);
	td_bound(out, counts[RD_SEVERITY_INFO], mark);
	fputs("</tr>\n", out);
}

/* A section of groups (agencies, branches, routes): a chart of their findings by severity
 * and a table, of the first TOP_GROUPS, then a row for the others (what the totals leave
 * over, so that the rows add up to the totals). The groups come from a summary of bounded
 * size (audit.h): the counts of a group that may have left it and come back are lower
 * bounds (marked so), and then the others' are upper bounds. */
static void write_groups(FILE *out, const audit_agg *g, const char *id, const char *heading,
                         const char *one, const char *many, const agg_groups *gs)
{
	hchart c = { 290, 520, 34, 0 };
	size_t i, n = gs->n < TOP_GROUPS ? gs->n : TOP_GROUPS;
	uint64_t count, records = g->records, flagged = g->flagged, counts[4];
	uint64_t sure = g->counts[RD_SEVERITY_ERROR] / AGG_GROUPS_MAX; /* see audit.h */
	int estimated, bounded = 0;
	char title[64];

	fprintf(out, "<section id=\"%s\">\n<h2>%s</h2>\n", id, heading);
	if (n == 0) {
		fprintf(out, "<p class=\"empty\">No record named its %s.</p>\n</section>\n", one);
		return;
	}
	memcpy(counts, g->counts, sizeof counts);
	for (i = 0; i < n; i++)
		bounded |= !gs->v[i].exact;
	count = agg_groups_count(gs, &estimated);
	fputs("<p class=\"hint\">", out);
	if (estimated) {
		fputs("About ", out);
		put_count(out, count);
		fprintf(out, " %s, too many to count one by one: these are the first %zu (most "
		             "errors, then most findings) of the ", many, n);
		put_count(out, gs->n);
		fprintf(out, " that a summary kept, which holds every %s with ", one);
		if (sure == 0) {
			fputs("an error.", out);
		} else {
			fputs("more than ", out);
			put_count(out, sure);
			fputs(sure == 1 ? " error." : " errors.", out);
		}
		if (bounded)
			fprintf(out, " Counts marked " GE " are at least that: they hold the records since "
			             "the %s last entered the summary. The others&#39; counts are then at "
			             "most that (" LE ").", one);
	} else if (gs->n > n) {
		fprintf(out, "The first %zu of ", n);
		put_count(out, gs->n);
		fprintf(out, " %s (most errors, then most findings).", many);
	} else {
		put_count(out, gs->n);
		fprintf(out, " %s in all.", gs->n == 1 ? one : many);
	}
	fputs("</p>\n", out);
	for (i = 0; i < n; i++) {
		uint64_t t = findings_of(gs->v[i].counts);

		if (t > c.max)
			c.max = t;
	}
	if (c.max == 0) {
		fprintf(out, "<p class=\"empty\">No findings in the records of any of these %s.</p>\n",
		        many);
	} else {
		fputs("<p class=\"legend\"><span class=\"sw sw-error\"></span>errors"
		      "<span class=\"sw sw-warning\"></span>warnings<span class=\"sw sw-info\"></span>"
		      "info</p>\n", out);
		snprintf(title, sizeof title, "Findings by %s and severity", one);
		hchart_open(out, &c, n, title);
		for (i = 0; i < n; i++) {
			const agg_group *e = &gs->v[i];
			uint64_t seg[3];
			size_t k;

			for (k = 0; k < 3; k++)
				seg[k] = e->counts[severities[k]];
			hchart_row_begin(out);
			put_or_dash(out, e->label, 0);
			fputs(e->exact ? ": " : ": at least ", out);
			put_count(out, e->records);
			fputs(" records, ", out);
			put_count(out, e->flagged);
			fputs(" flagged; ", out);
			put_count(out, seg[0]);
			fputs(" errors, ", out);
			put_count(out, seg[1]);
			fputs(" warnings, ", out);
			put_count(out, seg[2]);
			fputs(" info", out);
			hchart_row_end(out, &c, i, e->label, seg, severities, 3);
		}
		fputs("</svg>\n", out);
	}
	fprintf(out, "<div class=\"table-wrap\"><table>\n<thead><tr><th>%c%s</th>"
	             "<th class=\"n\">Records</th><th class=\"n\">Flagged</th>"
	             "<th class=\"n\">Share flagged</th><th class=\"n\">Errors</th>"
	             "<th class=\"n\">Warnings</th><th class=\"n\">Info</th></tr></thead>\n<tbody>\n",
	        one[0] >= 'a' && one[0] <= 'z' ? one[0] - 'a' + 'A' : one[0], one + 1);
	for (i = 0; i < n; i++) {
		const agg_group *e = &gs->v[i];
		int sv;

		group_row(out, e->exact ? NULL : "estimate", e->label, e->records, e->flagged,
		          e->counts, e->exact ? NULL : GE);
		records -= e->records;
		flagged -= e->flagged;
		for (sv = 1; sv <= 3; sv++)
			counts[sv] -= e->counts[sv];
	}
	fputs("</tbody>\n", out);
	if (gs->n > n || estimated) {
		char label[96];

		if (estimated)
			snprintf(label, sizeof label, "(the other %s)", many);
		else
			snprintf(label, sizeof label, "(the other %llu %s)",
			         (unsigned long long)(gs->n - n), gs->n - n == 1 ? one : many);
		fputs("<tfoot>\n", out);
		group_row(out, "others", label, records, flagged, counts, bounded ? LE : NULL);
		fputs("</tfoot>\n", out);
	}
	fputs("</table></div>\n</section>\n", out);
}

/* ---- over time ---- */

enum { BY_DAY, BY_WEEK, BY_MONTH, BY_YEAR };

typedef struct bucket {
	uint64_t records, flagged;
} bucket;

/* The bucket of a day: weeks start on Monday (0000-03-01 was a Wednesday). */
static long bucket_of(int level, long day)
{
	long y, m, d;

	switch (level) {
	case BY_DAY:
		return day;
	case BY_WEEK:
		return (day + 2) / 7;
	default:
		agg_date_civil(day, &y, &m, &d);
		return level == BY_MONTH ? y * 12 + m - 1 : y;
	}
}

/* n decimal digits of v >= 0 at p. */
static char *put_digits(char *p, long v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* The label of a bucket (in buf, of DATE_SIZE bytes): the first day of a day or week
 * (YYYY-MM-DD), the month (YYYY-MM) or the year (YYYY). Years are 1 to 9999. */
#define DATE_SIZE 11
static void bucket_label(int level, long b, char *buf)
{
	long y, m, d;
	char *p = buf;

	if (level == BY_DAY || level == BY_WEEK) {
		agg_date_civil(level == BY_DAY ? b : b * 7 - 2, &y, &m, &d);
	} else if (level == BY_MONTH) {
		y = b / 12, m = b % 12 + 1, d = 0;
	} else {
		y = b, m = 0, d = 0;
	}
	p = put_digits(p, y, 4);
	if (m > 0) {
		*p++ = '-';
		p = put_digits(p, m, 2);
	}
	if (d > 0) {
		*p++ = '-';
		p = put_digits(p, d, 2);
	}
	*p = '\0';
}

/* A nice step for gridlines: 1, 2 or 5 times a power of ten, at least max / 5. */
static uint64_t nice_step(uint64_t max)
{
	uint64_t raw = max / 5 + (max % 5 != 0), p = 1;

	if (raw == 0)
		return 1;
	while (p <= UINT64_MAX / 10 && p * 10 <= raw)
		p *= 10;
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return p <= UINT64_MAX / 10 ? p * 10 : p * 5;
}

#define TW 960  /* the time chart: width */
#define TH 300  /* height */
#define TL 78   /* left margin (the axis labels) */
#define TR 12   /* right margin */
#define TT 28   /* top margin (the legend) */
#define TB 36   /* bottom margin (the dates) */

static void write_time_chart(FILE *out, const bucket *bk, size_t nb, int level, long first,
                             uint64_t max)
{
	static const char *const per[] = { "day", "week", "month", "year" };
	double pw = TW - TL - TR, ph = TH - TT - TB, slot = pw / (double)nb, cw;
	uint64_t step = nice_step(max), v;
	size_t i, every = (nb + 9) / 10;
	char label[DATE_SIZE], title[64];

	cw = slot >= 3 ? slot * 0.8 : slot;
	snprintf(title, sizeof title, "Records and flagged records per %s", per[level]);
	svg_open(out, TW, TH, title);
	/* the legend */
	fprintf(out, "<rect class=\"rec\" fill=\"#a9b6c4\" x=\"%d\" y=\"6\" width=\"12\" "
	             "height=\"12\"/><text x=\"%d\" y=\"16\">records</text>\n"
	             "<rect class=\"flag\" fill=\"#c62828\" x=\"%d\" y=\"6\" width=\"12\" "
	             "height=\"12\"/><text x=\"%d\" y=\"16\">flagged records</text>\n",
	        TL, TL + 16, TL + 90, TL + 106);
	/* gridlines and their values */
	for (v = 0; v <= max; v += step) {
		double y = TT + ph - scale_to(v, max, ph);

		fprintf(out, "<line class=\"grid\" stroke=\"#d0d7de\" x1=\"%d\" x2=\"%d\" y1=\"", TL,
		        TW - TR);
		put_px(out, y);
		fputs("\" y2=\"", out);
		put_px(out, y);
		fprintf(out, "\"/>\n<text x=\"%d\" y=\"", TL - 6);
		put_px(out, y + 4);
		fputs("\" text-anchor=\"end\">", out);
		put_count(out, v);
		fputs("</text>\n", out);
		if (max - v < step)
			break;
	}
	/* the columns: records, and the flagged records in front of them */
	for (i = 0; i < nb; i++) {
		double x = TL + (double)i * slot + (slot - cw) / 2;
		double hr = scale_to(bk[i].records, max, ph);
		double hf = scale_to(bk[i].flagged, max, ph);

		bucket_label(level, first + (long)i, label);
		fprintf(out, "<g><title>%s%s: ", level == BY_WEEK ? "week of " : "", label);
		put_count(out, bk[i].records);
		fputs(" records, ", out);
		put_count(out, bk[i].flagged);
		fputs(" flagged (", out);
		put_pct(out, bk[i].flagged, bk[i].records);
		fputs(")</title>", out);
		if (bk[i].records > 0) {
			fputs("<rect class=\"rec\" fill=\"#a9b6c4\" x=\"", out);
			put_px(out, x);
			fputs("\" y=\"", out);
			put_px(out, TT + ph - hr);
			fputs("\" width=\"", out);
			put_px(out, cw);
			fputs("\" height=\"", out);
			put_px(out, hr);
			fputs("\"/>", out);
		}
		if (bk[i].flagged > 0) {
			fputs("<rect class=\"flag\" fill=\"#c62828\" x=\"", out);
			put_px(out, x);
			fputs("\" y=\"", out);
			put_px(out, TT + ph - hf);
			fputs("\" width=\"", out);
			put_px(out, cw);
			fputs("\" height=\"", out);
			put_px(out, hf);
			fputs("\"/>", out);
		}
		fputs("</g>\n", out);
		if (i % every == 0) {
			fputs("<text class=\"tick\" x=\"", out);
			put_px(out, TL + ((double)i + 0.5) * slot);
			fprintf(out, "\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", TH - TB + 16, label);
		}
	}
	fprintf(out, "<line class=\"axis\" stroke=\"#888\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
	        TL, TW - TR, TT + (int)ph, TT + (int)ph);
	fputs("</svg>\n", out);
}

/* The first day of a bucket of the summary (a day, a month or a year). */
static long bucket_first_day(int level, long key)
{
	if (level == AGG_BY_DAY)
		return key;
	if (level == AGG_BY_MONTH)
		return agg_date_day(key / 12, key % 12 + 1, 1);
	return agg_date_day(key, 1, 1);
}

static void write_over_time(FILE *out, const audit_agg *g)
{
	static const char *const per[] = { "day", "week", "month", "year" };
	const agg_days *days = &g->days;
	uint64_t max = 0;
	long first, last;
	size_t i, nb;
	int level, coarsest;
	bucket *bk;
	char label[DATE_SIZE];

	fputs("<section id=\"over-time\">\n<h2>Over time</h2>\n", out);
	if (days->dated == 0) {
		note(out, days->undated == 0 ? "No record carried a date." : "No record carried a date "
		                                                            "that could be read (YYYY-MM-DD).");
		goto undated;
	}
	/* the finest level at which the chart has few enough columns, but not finer than the
	 * summary kept (it keeps days until there are thousands: the chart is then by month
	 * or year anyway) */
	for (level = BY_DAY; level < BY_YEAR; level++) {
		static const long most[] = { MAX_DAYS, MAX_WEEKS, MAX_MONTHS };

		if (bucket_of(level, days->last) - bucket_of(level, days->first) < most[level])
			break;
	}
	coarsest = days->level == AGG_BY_YEAR ? BY_YEAR : days->level == AGG_BY_MONTH ? BY_MONTH : BY_DAY;
	if (level < coarsest)
		level = coarsest;
	first = bucket_of(level, days->first);
	last = bucket_of(level, days->last);
	nb = (size_t)(last - first + 1);
	bk = calloc(nb, sizeof *bk);
	if (bk == NULL) {
		note(out, "Not enough memory to chart the dates.");
		goto undated;
	}
	for (i = 0; i < days->n; i++) {
		long b = bucket_of(level, bucket_first_day(days->level, days->v[i].key));

		if (b < first || b > last)
			continue; /* cannot happen: the buckets lie between the first and the last day */
		bk[b - first].records += days->v[i].records;
		bk[b - first].flagged += days->v[i].flagged;
	}
	for (i = 0; i < nb; i++) {
		if (bk[i].records > max)
			max = bk[i].records;
		if (bk[i].flagged > max)
			max = bk[i].flagged;
	}
	fputs("<p class=\"hint\">", out);
	if (days->level == AGG_BY_DAY) {
		put_count(out, days->n);
		fprintf(out, " date%s", days->n == 1 ? "" : "s");
	} else {
		fputs("More than ", out);
		put_count(out, AGG_DAYS_MAX);
		fputs(" different dates (the records were counted by ", out);
		fputs(days->level == AGG_BY_MONTH ? "month" : "year", out);
		fputs(" beyond that)", out);
	}
	bucket_label(BY_DAY, days->first, label);
	fprintf(out, " from %s", label);
	bucket_label(BY_DAY, days->last, label);
	fprintf(out, " to %s, by %s.</p>\n", label, per[level]);
	if (max == 0) {
		note(out, "The dated groups have no records.");
	} else {
		write_time_chart(out, bk, nb, level, first, max);
	}
	fprintf(out, "<details><summary>The numbers, by %s</summary>\n<div class=\"table-wrap\">"
	             "<table>\n<thead><tr><th>%c%s</th><th class=\"n\">Records</th>"
	             "<th class=\"n\">Flagged</th><th class=\"n\">Share flagged</th></tr></thead>\n"
	             "<tbody>\n",
	        per[level], per[level][0] - 'a' + 'A', per[level] + 1);
	for (i = 0; i < nb; i++) {
		bucket_label(level, first + (long)i, label);
		fprintf(out, "<tr><td>%s</td>", label);
		td_count(out, bk[i].records);
		td_count(out, bk[i].flagged);
		fputs("<td class=\"n\">", out);
		put_pct(out, bk[i].flagged, bk[i].records);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</details>\n", out);
	free(bk);
undated:
	if (days->undated > 0) {
		fputs("<p>Undated: ", out);
		put_count(out, days->undated);
		fputs(days->undated == 1 ? " record" : " records", out);
		fputs(" (", out);
		put_count(out, days->undated_flagged);
		fputs(" flagged) had no date that could be read.</p>\n", out);
	}
	fputs("</section>\n", out);
}

/* ---- records, rules, files ---- */

static void write_worst(FILE *out, const audit_agg *g)
{
	size_t i;

	fputs("<section id=\"worst\">\n<h2>Worst records</h2>\n", out);
	if (g->nworst == 0) {
		note(out, g->maxworst == 0 ? "No worst records were kept."
		          : g->flagged == 0 ? "No record has a finding." : "No record was kept.");
		fputs("</section>\n", out);
		return;
	}
	fputs("<p class=\"hint\">The records with the most errors, then the most warnings, then "
	      "the most info findings.</p>\n"
	      "<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"n\">#</th><th>File</th>"
	      "<th class=\"n\">Record</th><th>Id</th><th class=\"n\">Line</th>"
	      "<th class=\"n\">Errors</th><th class=\"n\">Warnings</th><th class=\"n\">Info</th>"
	      "<th>Rules</th><th>Agency</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < g->nworst; i++) {
		const agg_record *r = &g->worst[i];

		fputs("<tr>", out);
		td_count(out, i + 1);
		td_text(out, r->file, 0);
		td_count(out, r->index + 1);
		fputs("<td class=\"id\">", out);
		put_or_dash(out, r->id, 0);
		fputs("</td>", out);
		if (r->line > 0)
			td_count(out, (uint64_t)r->line);
		else
			fputs("<td class=\"n\">" DASH "</td>", out);
		td_count(out, r->counts[RD_SEVERITY_ERROR]);
		td_count(out, r->counts[RD_SEVERITY_WARNING]);
		td_count(out, r->counts[RD_SEVERITY_INFO]);
		fputs("<td class=\"id\">", out);
		put_or_dash(out, r->rules, 0);
		fputs("</td>", out);
		td_text(out, r->agency, 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
}

static int by_id(const void *a, const void *b)
{
	const agg_rule *x = *(const agg_rule *const *)a, *y = *(const agg_rule *const *)b;

	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static void write_rules(FILE *out, const audit_agg *g)
{
	const agg_rule **v;
	size_t i;

	fputs("<section id=\"rules\">\n<h2>Rules</h2>\n", out);
	if (g->nrules == 0) {
		note(out, "No rule fired.");
		fputs("</section>\n", out);
		return;
	}
	fputs("<p class=\"hint\">Every rule that fired, by id, with the law or guidance it "
	      "rests on.</p>\n", out);
	/* by id, to look a rule up; when there is no memory for that, in the order given */
	v = malloc(g->nrules * sizeof *v);
	if (v != NULL) {
		for (i = 0; i < g->nrules; i++)
			v[i] = &g->rules[i];
		qsort(v, g->nrules, sizeof *v, by_id);
	}
	fputs("<div class=\"table-wrap\"><table>\n<thead><tr><th>Rule</th><th>Severity</th>"
	      "<th>Kind</th><th class=\"n\">Findings</th><th class=\"n\">Records</th>"
	      "<th>Citation</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < g->nrules; i++) {
		const agg_rule *r = v != NULL ? v[i] : &g->rules[i];

		fputs("<tr><td class=\"id\">", out);
		put_or_dash(out, r->id, 0);
		fputs("</td><td>", out);
		put_severity(out, r->severity);
		fprintf(out, "</td><td>%s</td>", rd_kind_name(r->kind));
		td_count(out, r->findings);
		td_count(out, r->records);
		if (r->cite != NULL && r->cite[0] != '\0')
			td_text(out, r->cite, 0);
		else
			fputs("<td class=\"empty\">no citation</td>", out);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
	free(v);
}

static void write_files(FILE *out, const audit_agg *g)
{
	size_t i;

	fputs("<section id=\"files\">\n<h2>Files</h2>\n", out);
	if (g->nfiles == 0) {
		note(out, "No input files.");
		fputs("</section>\n", out);
		return;
	}
	fputs("<div class=\"table-wrap\"><table>\n<thead><tr><th>File</th><th>Status</th>"
	      "<th class=\"n\">Records</th><th class=\"n\">Size</th><th class=\"n\">Time</th>"
	      "<th>Error</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < g->nfiles; i++) {
		const agg_file *f = &g->files[i];

		fputs("<tr>", out);
		td_text(out, f->path, 0);
		if (f->status == RD_OK)
			fputs("<td class=\"ok\">ok</td>", out);
		else
			fprintf(out, "<td class=\"bad\">%s</td>", rd_status_name(f->status));
		td_count(out, f->records);
		fputs("<td class=\"n\">", out);
		put_bytes(out, f->bytes);
		fputs("</td><td class=\"n\">", out);
		put_duration(out, f->seconds);
		fputs("</td>", out);
		if (f->status != RD_OK || f->error != NULL)
			td_text(out, f->error, 0);
		else
			fputs("<td></td>", out);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
}

int audit_write_html(FILE *out, const audit_agg *g)
{
	int est_agencies, est_branches, est_routes;

	agg_groups_count(&g->agencies, &est_agencies);
	agg_groups_count(&g->branches, &est_branches);
	agg_groups_count(&g->routes, &est_routes);
	write_head(out, g);
	fputs("<main>\n", out);
	write_summary(out, g);
	write_by_rule(out, g);
	write_groups(out, g, "by-agency", "By agency", "agency", "agencies", &g->agencies);
	write_groups(out, g, "by-branch", "By branch", "branch", "branches", &g->branches);
	write_groups(out, g, "by-route", "By route", "route", "routes", &g->routes);
	write_over_time(out, g);
	write_worst(out, g);
	write_rules(out, g);
	write_files(out, g);
	fputs("</main>\n<footer><p>Written by rahdari ", out);
	put_or_dash(out, g->tool_version, 0);
	if (est_agencies || est_branches || est_routes)
		fputs(". The totals and the counts by rule and over time are exact; there were too "
		      "many agencies, branches or routes to count each one, and the counts marked "
		      GE " or " LE " are bounds", out);
	else
		fputs(". The counts are exact", out);
	fputs("; the charts show the rules and groups with the most findings. This "
	      "page is self-contained: it loads nothing and runs no scripts.</p></footer>\n"
	      "</body>\n</html>\n", out);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
