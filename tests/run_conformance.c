/* rahdari tests: runs the Schematron conformance set in tests/conformance/.
 *
 * Each case is a directory with schema.sch, document.xml, expected and
 * optionally options (see tests/conformance/README.md). The findings are
 * rendered as "KIND ID LOCATION" lines, sorted, and compared with expected;
 * "refused" cases must fail to load (with the message substring given).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rahdari.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* dir/name/file into buf; 0, or -1 when it does not fit. */
static int mkpath(char *buf, size_t n, const char *dir, const char *name, const char *file)
{
	int w = snprintf(buf, n, "%s/%s/%s", dir, name, file);

	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parse the options file: "--phase X", "--as-of D", "--lang L", "--jurisdiction J". */
static int parse_options(char *text, rd_check_options *o, char *err, size_t errlen)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(text, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		char *val = strtok_r(NULL, " \t\r\n", &save);

		if (val == NULL) {
			snprintf(err, errlen, "option %s has no value", tok);
			return -1;
		}
		if (strcmp(tok, "--phase") == 0)
			o->phase = val;
		else if (strcmp(tok, "--as-of") == 0)
			o->as_of = val;
		else if (strcmp(tok, "--lang") == 0)
			o->lang = val;
		else if (strcmp(tok, "--jurisdiction") == 0)
			o->jurisdiction = val;
		else {
			snprintf(err, errlen, "unknown option %s", tok);
			return -1;
		}
	}
	return 0;
}

/* Run one case; returns 0 when it passes, prints why not otherwise. */
static int run_case(const char *dir, const char *name)
{
	char path[4096], err[256];
	char *expected = NULL, *options = NULL, *lines = NULL, *msg_expected = NULL;
	rd_rules *rules = NULL;
	rd_document *doc = NULL;
	rd_report *rep = NULL;
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	char **got = NULL;
	size_t n = 0, i, len = 0;
	int rc, fail = 1;

	if (mkpath(path, sizeof path, dir, name, "expected") < 0) {
		printf("FAIL %s: path too long\n", name);
		goto done;
	}
	expected = slurp(path);
	if (expected == NULL) {
		printf("FAIL %s: no expected file\n", name);
		return 1;
	}
	if (mkpath(path, sizeof path, dir, name, "options") < 0) {
		printf("FAIL %s: path too long\n", name);
		goto done;
	}
	options = slurp(path);
	if (options && parse_options(options, &o, err, sizeof err) < 0) {
		printf("FAIL %s: %s\n", name, err);
		goto done;
	}
	if (mkpath(path, sizeof path, dir, name, "schema.sch") < 0) {
		printf("FAIL %s: path too long\n", name);
		goto done;
	}
	rc = rd_rules_load(&rules, path, NULL);
	if (strncmp(expected, "refused", 7) == 0) {
		const char *m = strstr(expected, "message: ");

		if (rc == RD_OK) {
			printf("FAIL %s: the schema should be refused but was loaded\n", name);
			goto done;
		}
		if (m) {
			char want[512];
			size_t l;

			m += 9;
			l = strcspn(m, "\r\n");
			snprintf(want, sizeof want, "%.*s", (int)l, m);
			if (strstr(rd_error_last()->message, want) == NULL) {
				printf("FAIL %s: refused, but the message '%s' lacks '%s'\n", name,
				       rd_error_last()->message, want);
				goto done;
			}
		}
		printf("ok   %s (refused: %s)\n", name, rd_error_last()->message);
		fail = 0;
		goto done;
	}
	if (rc != RD_OK) {
		printf("FAIL %s: schema refused: %s\n", name, rd_error_last()->message);
		goto done;
	}
	if (mkpath(path, sizeof path, dir, name, "document.xml") < 0) {
		printf("FAIL %s: path too long\n", name);
		goto done;
	}
	if (rd_document_load_file(&doc, path, NULL) != RD_OK) {
		printf("FAIL %s: document refused: %s\n", name, rd_error_last()->message);
		goto done;
	}
	if (rd_check(&rep, rules, doc, &o) != RD_OK) {
		printf("FAIL %s: check failed: %s\n", name, rd_error_last()->message);
		goto done;
	}
	n = rd_report_count(rep);
	got = calloc(n + 1, sizeof *got);
	for (i = 0; got && i < n; i++) {
		const rd_finding *f = rd_report_finding(rep, i);
		const char *kind = rd_finding_kind(f) == RD_KIND_ASSERT   ? "failed-assert"
		                   : rd_finding_kind(f) == RD_KIND_REPORT ? "successful-report"
		                                                          : "evaluation-error";
		const char *id = rd_finding_get(f, RD_FIELD_RULE);
		size_t l = strlen(kind) + (id ? strlen(id) : 1) +
		           strlen(rd_finding_get(f, RD_FIELD_LOCATION)) + 3;

		got[i] = malloc(l);
		if (got[i])
			snprintf(got[i], l, "%s %s %s", kind, id ? id : "-",
			         rd_finding_get(f, RD_FIELD_LOCATION));
	}
	qsort(got, n, sizeof *got, cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(got[i]) + 1;
	lines = malloc(len + 1);
	lines[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(lines, got[i]);
		strcat(lines, "\n");
	}
	if (strcmp(lines, expected) != 0) {
		printf("FAIL %s:\n--- expected\n%s--- got\n%s---\n", name, expected, lines);
		goto done;
	}
	/* optional: the messages, "ID MESSAGE" per finding, sorted */
	if (mkpath(path, sizeof path, dir, name, "messages") < 0) {
		printf("FAIL %s: path too long\n", name);
		goto done;
	}
	msg_expected = slurp(path);
	if (msg_expected) {
		for (i = 0; i < n; i++) {
			const rd_finding *f = rd_report_finding(rep, i);
			const char *id = rd_finding_get(f, RD_FIELD_RULE);
			const char *m = rd_finding_get(f, RD_FIELD_MESSAGE);
			size_t l = (id ? strlen(id) : 1) + strlen(m ? m : "") + 2;

			free(got[i]);
			got[i] = malloc(l);
			if (got[i])
				snprintf(got[i], l, "%s %s", id ? id : "-", m ? m : "");
		}
		qsort(got, n, sizeof *got, cmp_str);
		lines[0] = '\0';
		for (i = 0, len = 0; i < n; i++)
			len += strlen(got[i]) + 1;
		free(lines);
		lines = malloc(len + 1);
		lines[0] = '\0';
		for (i = 0; i < n; i++) {
			strcat(lines, got[i]);
			strcat(lines, "\n");
		}
		if (strcmp(lines, msg_expected) != 0) {
			printf("FAIL %s (messages):\n--- expected\n%s--- got\n%s---\n", name, msg_expected,
			       lines);
			goto done;
		}
	}
	printf("ok   %s (%zu finding%s%s)\n", name, n, n == 1 ? "" : "s",
	       msg_expected ? ", messages checked" : "");
	fail = 0;
done:
	for (i = 0; got && i < n; i++)
		free(got[i]);
	free(got);
	free(lines);
	free(expected);
	free(msg_expected);
	free(options);
	rd_report_free(rep);
	rd_document_free(doc);
	rd_rules_free(rules);
	return fail;
}

int main(int argc, char **argv)
{
	const char *src = getenv("srcdir");
	char dir[4096];
	struct dirent **names = NULL;
	int n, i, failed = 0, ran = 0;

	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/tests/conformance", src && *src ? src : ".");
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		printf("FAIL: cannot read %s\n", dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		char probe[4200];
		FILE *f;

		if (names[i]->d_name[0] != '.') {
			f = mkpath(probe, sizeof probe, dir, names[i]->d_name, "expected") == 0
			        ? fopen(probe, "r")
			        : NULL;
			if (f) {
				fclose(f);
				ran++;
				failed += run_case(dir, names[i]->d_name);
			}
		}
		free(names[i]);
	}
	free(names);
	printf("%d cases, %d passed, %d failed\n", ran, ran - failed, failed);
	return failed || ran == 0 ? 1 : 0;
}
