/* rahdari benchmark: checking many small documents through the C API, the reference for
 * bench/python_bench.py (the same work from Python).
 *
 *   bench/check_bench [--rules PATH] [--as-of DATE] [--threads N] --list FILE
 *   bench/check_bench [--rules PATH] [--as-of DATE] [--threads N] FILE...
 *
 * Loads the rules once (the embedded pack without --rules), then for every file:
 * rd_document_load_file(), rd_check(), rd_report_count(), and frees both; N threads (default
 * 1) share the rules and take files in turn from a shared counter. Prints one line of
 * JSON: {"files", "findings", "errors" (files that could not be checked), "threads",
 * "seconds" (wall-clock time of the loop, CLOCK_MONOTONIC, rules loading excluded),
 * "cpu_seconds" (CPU time of the process over the loop)}.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rahdari.h>

struct job {
	const rd_rules *rules;
	rd_check_options opts;
	char **files;
	size_t nfiles;
	size_t next; /* shared: the next file to take */
	pthread_mutex_t mu;
};

struct result {
	struct job *job;
	size_t findings, errors;
};

static double seconds(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *worker(void *arg)
{
	struct result *res = arg;
	struct job *job = res->job;

	for (;;) {
		rd_document *doc = NULL;
		rd_report *report = NULL;
		size_t i;

		pthread_mutex_lock(&job->mu);
		i = job->next++;
		pthread_mutex_unlock(&job->mu);
		if (i >= job->nfiles)
			break;
		if (rd_document_load_file(&doc, job->files[i], NULL) != RD_OK ||
		    rd_check(&report, job->rules, doc, &job->opts) != RD_OK) {
			res->errors++;
		} else {
			res->findings += rd_report_count(report);
		}
		rd_report_free(report);
		rd_document_free(doc);
	}
	return NULL;
}

/* The lines of a file (one path each), in *files. */
static int read_list(const char *path, char ***files, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t cap = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (len == 0)
			continue;
		if (*n == cap) {
			char **p;

			cap = cap ? cap * 2 : 1024;
			p = realloc(*files, cap * sizeof *p);
			if (p == NULL) {
				fclose(f);
				return -1;
			}
			*files = p;
		}
		(*files)[(*n)++] = strdup(line);
		if ((*files)[*n - 1] == NULL) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	rd_check_options opts = RD_CHECK_OPTIONS_INIT;
	const char *rules_path = NULL, *list = NULL;
	struct job job;
	struct result *res;
	pthread_t *threads;
	rd_rules *rules = NULL;
	char **files = NULL;
	size_t nfiles = 0, findings = 0, errors = 0;
	unsigned long nthreads = 1, t;
	double t0, c0, wall, cpu;
	int i, own_list = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			rules_path = argv[++i];
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
			opts.as_of = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			nthreads = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--list") == 0 && i + 1 < argc)
			list = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [--rules PATH] [--as-of DATE] [--threads N] "
			                "(--list FILE | FILE...)\n", argv[0]);
			return 2;
		} else
			break;
	}
	if (nthreads < 1 || nthreads > 256)
		nthreads = 1;
	if (list) {
		if (read_list(list, &files, &nfiles) < 0) {
			perror(list);
			return 3;
		}
		own_list = 1;
	} else {
		files = argv + i;
		nfiles = (size_t)(argc - i);
	}
	if (nfiles == 0) {
		fprintf(stderr, "%s: no files\n", argv[0]);
		return 2;
	}
	if ((rules_path ? rd_rules_load(&rules, rules_path, NULL) : rd_rules_load_default(&rules)) !=
	    RD_OK) {
		fprintf(stderr, "%s\n", rd_error_last()->message);
		return 3;
	}
	memset(&job, 0, sizeof job);
	job.rules = rules;
	job.opts = opts;
	job.files = files;
	job.nfiles = nfiles;
	pthread_mutex_init(&job.mu, NULL);
	res = calloc(nthreads, sizeof *res);
	threads = calloc(nthreads, sizeof *threads);
	if (res == NULL || threads == NULL)
		return 3;
	t0 = seconds(CLOCK_MONOTONIC);
	c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (t = 0; t < nthreads; t++) {
		res[t].job = &job;
		if (nthreads == 1)
			worker(&res[t]);
		else
			pthread_create(&threads[t], NULL, worker, &res[t]);
	}
	for (t = 0; t < nthreads && nthreads > 1; t++)
		pthread_join(threads[t], NULL);
	wall = seconds(CLOCK_MONOTONIC) - t0;
	cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
	for (t = 0; t < nthreads; t++) {
		findings += res[t].findings;
		errors += res[t].errors;
	}
	printf("{\"files\":%zu,\"findings\":%zu,\"errors\":%zu,\"threads\":%lu,\"seconds\":%.4f,"
	       "\"cpu_seconds\":%.4f}\n",
	       nfiles, findings, errors, nthreads, wall, cpu);
	rd_rules_free(rules);
	if (own_list) {
		size_t k;

		for (k = 0; k < nfiles; k++)
			free(files[k]);
		free(files);
	}
	free(res);
	free(threads);
	pthread_mutex_destroy(&job.mu);
	return errors ? 3 : 0;
}
