/* rahdari tests: helpers shared by the Check suites.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

char *tu_srcpath(const char *rel)
{
	const char *src = getenv("srcdir");
	size_t n;
	char *p;

	if (src == NULL || src[0] == '\0')
		src = ".";
	n = strlen(src) + strlen(rel) + 2;
	p = malloc(n);
	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", src, rel);
	return p;
}

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t;
	size_t n;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	n = strlen(base) + 32;
	t = malloc(n);
	ck_assert_ptr_nonnull(t);
	snprintf(t, n, "%s/rdtest.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(t));
	return t;
}

void tu_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			tu_rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

char *tu_write(const char *dir, const char *name, const char *content)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	FILE *f;

	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/%s", dir, name);
	{
		/* create intermediate directories */
		char *q;

		for (q = p + strlen(dir) + 1; *q; q++) {
			if (*q == '/') {
				*q = '\0';
				mkdir(p, 0700);
				*q = '/';
			}
		}
	}
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(content, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

int tu_rules_try(rd_rules **out, const char *sch)
{
	return rd_rules_load_memory(out, sch, strlen(sch), "test.sch", NULL, NULL);
}

rd_rules *tu_rules(const char *sch)
{
	rd_rules *r = NULL;
	int rc = tu_rules_try(&r, sch);

	ck_assert_msg(rc == RD_OK, "schema refused: %s", rd_error_last()->message);
	return r;
}

rd_document *tu_doc(const char *xml)
{
	rd_document *d = NULL;
	int rc = rd_document_load_memory(&d, xml, strlen(xml), "test.xml", NULL);

	ck_assert_msg(rc == RD_OK, "document refused: %s", rd_error_last()->message);
	return d;
}

rd_report *tu_check(const rd_rules *rules, const rd_document *doc, const rd_check_options *opts)
{
	rd_report *r = NULL;
	int rc = rd_check(&r, rules, doc, opts);

	ck_assert_msg(rc == RD_OK, "check failed: %s", rd_error_last()->message);
	return r;
}

char *tu_findings(const rd_report *r)
{
	size_t i, n = rd_report_count(r), cap = 64, len = 0;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		const rd_finding *f = rd_report_finding(r, i);
		const char *id = rd_finding_get(f, RD_FIELD_RULE);
		const char *loc = rd_finding_get(f, RD_FIELD_LOCATION);
		int k = rd_finding_kind(f);
		size_t need;
		char item[1024];

		snprintf(item, sizeof item, "%s%c:%s@%s", i ? " " : "",
		         k == RD_KIND_ASSERT ? 'A' : k == RD_KIND_REPORT ? 'R' : 'E', id ? id : "-",
		         loc ? loc : "-");
		need = len + strlen(item) + 1;
		if (need > cap) {
			while (cap < need)
				cap *= 2;
			s = realloc(s, cap);
			ck_assert_ptr_nonnull(s);
		}
		memcpy(s + len, item, strlen(item) + 1);
		len += strlen(item);
	}
	return s;
}

char *tu_run(const char *sch, const char *xml, const rd_check_options *opts)
{
	rd_rules *rules = tu_rules(sch);
	rd_document *doc = tu_doc(xml);
	rd_report *r = tu_check(rules, doc, opts);
	char *s = tu_findings(r);

	rd_report_free(r);
	rd_document_free(doc);
	rd_rules_free(rules);
	return s;
}

int tu_contains(const char *s, const char *sub)
{
	return s && sub && strstr(s, sub) != NULL;
}

int tu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

rd_rules *tu_starter(void)
{
	char *path = tu_srcpath("rules/starter");
	rd_rules *r = NULL;
	int rc = rd_rules_load(&r, path, NULL);

	ck_assert_msg(rc == RD_OK, "%s: %s", path, rd_error_last()->message);
	free(path);
	return r;
}
