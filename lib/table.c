/* rahdari: reference tables (CSV) declared with rd:table.
 *
 * A table is RFC 4180 CSV in UTF-8: a header row naming the columns, then the
 * rows. Fields may be quoted ("a, b" and "say ""hi"""); lines starting with
 * '#' are comments; a UTF-8 byte-order mark is skipped. Each column gets a
 * hash index when the table is loaded, so lookups from rules are O(1) and the
 * table is never modified afterwards (safe to share between threads).
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void rd__table_free(rd_table *t)
{
	size_t r, c;

	if (t == NULL)
		return;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	for (c = 0; c < t->ncols; c++) {
		free(t->cols[c]);
		if (t->index)
			free(t->index[c]);
	}
	free(t->index);
	free(t->cols);
	free(t->name);
	free(t->file);
	free(t);
}

typedef struct csv {
	const char *p, *end;
	long line;
	long record_line; /* where the last record read starts */
	const char *file;
} csv;

/* Parse one record into a NULL-terminated array of fields. Returns 1 for a record,
 * 0 at end of input, -1 on error (error set). */
static int csv_record(csv *in, char ***fields_out, size_t *nfields_out)
{
	char **fields = NULL;
	size_t n = 0, cap = 0;
	rd_buf b;

	*fields_out = NULL;
	*nfields_out = 0;
	/* skip blank lines and comments */
	for (;;) {
		if (in->p < in->end && *in->p == '#') {
			while (in->p < in->end && *in->p != '\n')
				in->p++;
		}
		if (in->p >= in->end)
			return 0; /* a comment on the last line, without a newline, is no row */
		if (*in->p == '\n' || *in->p == '\r') {
			if (*in->p == '\n')
				in->line++;
			in->p++;
			continue;
		}
		break;
	}
	in->record_line = in->line;
	rd__buf_init(&b);
	for (;;) {
		long start_line = in->line;

		rd__buf_reset(&b);
		rd__buf_add(&b, "", 0);
		if (in->p < in->end && *in->p == '"') {
			in->p++;
			for (;;) {
				if (in->p >= in->end) {
					rd__buf_free(&b);
					while (n)
						free(fields[--n]);
					free(fields);
					rd__error_set(RD_EPARSE, in->file, start_line, 0,
					              "%s:%ld: unterminated quoted field", in->file,
					              start_line);
					return -1;
				}
				if (*in->p == '"') {
					if (in->p + 1 < in->end && in->p[1] == '"') {
						rd__buf_putc(&b, '"');
						in->p += 2;
						continue;
					}
					in->p++;
					break;
				}
				if (*in->p == '\n')
					in->line++;
				rd__buf_putc(&b, *in->p++);
			}
			if (in->p < in->end && *in->p != ',' && *in->p != '\n' && *in->p != '\r') {
				rd__buf_free(&b);
				while (n)
					free(fields[--n]);
				free(fields);
				rd__error_set(RD_EPARSE, in->file, in->line, 0,
				              "%s:%ld: unexpected character after a quoted field", in->file,
				              in->line);
				return -1;
			}
		} else {
			while (in->p < in->end && *in->p != ',' && *in->p != '\n' && *in->p != '\r')
				rd__buf_putc(&b, *in->p++);
		}
		if (b.oom || rd__grow(&fields, &cap, n, sizeof *fields) < 0) {
			rd__buf_free(&b);
			while (n)
				free(fields[--n]);
			free(fields);
			rd__error_oom();
			return -1;
		}
		fields[n] = rd__strdup(b.data);
		if (fields[n] == NULL) {
			rd__buf_free(&b);
			while (n)
				free(fields[--n]);
			free(fields);
			rd__error_oom();
			return -1;
		}
		n++;
		if (in->p < in->end && *in->p == ',') {
			in->p++;
			continue;
		}
		/* end of record */
		if (in->p < in->end && *in->p == '\r')
			in->p++;
		if (in->p < in->end && *in->p == '\n') {
			in->p++;
			in->line++;
		}
		break;
	}
	rd__buf_free(&b);
	*fields_out = fields;
	*nfields_out = n;
	return 1;
}

static int build_index(rd_table *t)
{
	size_t c, r, size = 16;

	while (size < t->nrows * 2)
		size *= 2;
	t->index_size = size;
	t->index = rd__calloc(t->ncols, sizeof *t->index);
	if (t->index == NULL)
		return -1;
	for (c = 0; c < t->ncols; c++) {
		t->index[c] = rd__calloc(size, sizeof **t->index);
		if (t->index[c] == NULL)
			return -1;
		for (r = 0; r < t->nrows; r++) {
			size_t slot = (size_t)hash_str(t->rows[r][c]) & (size - 1);

			while (t->index[c][slot] != 0) {
				/* keep the first row for duplicate keys */
				if (strcmp(t->rows[t->index[c][slot] - 1][c], t->rows[r][c]) == 0)
					break;
				slot = (slot + 1) & (size - 1);
			}
			if (t->index[c][slot] == 0)
				t->index[c][slot] = r + 1;
		}
	}
	return 0;
}

int rd__table_parse(rd_table **out, const char *name, const char *file, const char *data,
                    size_t len)
{
	rd_table *t;
	csv in;
	char **f;
	size_t nf, cap = 0, i, j;
	int rc;

	*out = NULL;
	t = rd__calloc(1, sizeof *t);
	if (t == NULL)
		return rd__error_oom();
	t->name = rd__strdup(name);
	t->file = rd__strdup(file);
	if (t->name == NULL || t->file == NULL) {
		rd__table_free(t);
		return rd__error_oom();
	}
	in.p = data;
	in.end = data + len;
	in.line = 1;
	in.file = file;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		in.p += 3;
	if (memchr(data, '\0', len) != NULL) {
		rd__table_free(t);
		return rd__error_set(RD_EPARSE, file, 0, 0, "%s: table contains a NUL byte", file);
	}
	{
		/* tables are UTF-8: their values end up in messages and reports */
		const unsigned char *p = (const unsigned char *)data, *end = p + len;
		long line = 1;

		while (p < end) {
			size_t n = rd__utf8_len(p);

			if (n == 0 || p + n > end) {
				rd__table_free(t);
				return rd__error_set(RD_EPARSE, file, line, 0,
				                     "%s:%ld: table is not valid UTF-8", file, line);
			}
			if (*p == '\n')
				line++;
			p += n;
		}
	}
	rc = csv_record(&in, &f, &nf);
	if (rc <= 0) {
		rd__table_free(t);
		if (rc == 0)
			return rd__error_set(RD_EPARSE, file, 1, 0, "%s:1: table has no header row",
			                     file);
		return rd_error_last()->code;
	}
	t->cols = f;
	t->ncols = nf;
	for (i = 0; i < nf; i++) {
		rd__normalize_space(f[i]);
		if (f[i][0] == '\0') {
			rd__table_free(t);
			return rd__error_set(RD_EPARSE, file, in.record_line, 0,
			                     "%s:%ld: column %zu has no name", file, in.record_line, i + 1);
		}
		for (j = 0; j < i; j++) {
			if (strcmp(f[i], f[j]) == 0) {
				rd__error_set(RD_EPARSE, file, in.record_line, 0,
				              "%s:%ld: column '%s' appears twice", file, in.record_line, f[i]);
				rd__table_free(t);
				return RD_EPARSE;
			}
		}
	}
	for (;;) {
		long line;

		rc = csv_record(&in, &f, &nf);
		line = in.record_line;
		if (rc < 0) {
			rd__table_free(t);
			return rd_error_last()->code;
		}
		if (rc == 0)
			break;
		if (nf != t->ncols) {
			rd__error_set(RD_EPARSE, file, line, 0,
			              "%s:%ld: row has %zu fields, the header has %zu", file, line, nf,
			              t->ncols);
			while (nf)
				free(f[--nf]);
			free(f);
			rd__table_free(t);
			return RD_EPARSE;
		}
		if (rd__grow(&t->rows, &cap, t->nrows, sizeof *t->rows) < 0) {
			while (nf)
				free(f[--nf]);
			free(f);
			rd__table_free(t);
			return rd__error_oom();
		}
		t->rows[t->nrows++] = f;
	}
	if (build_index(t) < 0) {
		rd__table_free(t);
		return rd__error_oom();
	}
	*out = t;
	return RD_OK;
}

int rd__table_column(const rd_table *t, const char *col)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], col) == 0)
			return (int)i;
	return -1;
}

long rd__table_find(const rd_table *t, int c, const char *value)
{
	size_t slot;

	if (c < 0 || (size_t)c >= t->ncols || t->nrows == 0)
		return -1;
	slot = (size_t)hash_str(value) & (t->index_size - 1);
	while (t->index[c][slot] != 0) {
		size_t r = t->index[c][slot] - 1;

		if (strcmp(t->rows[r][c], value) == 0)
			return (long)r;
		slot = (slot + 1) & (t->index_size - 1);
	}
	return -1;
}

int rd_data_table_load(rd_data_table **out, const char *name, const char *path)
{
	rd_data_table *dt;
	char *data;
	size_t len;
	int rc;

	rd__init();
	if (out == NULL || name == NULL || name[0] == '\0' || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_data_table_load: bad arguments");
	*out = NULL;
	rc = rd__file_read_as(path, RD_DEFAULT_MAX_BYTES, RD_READ_TEXT, &data, &len);
	if (rc != RD_OK)
		return rc;
	dt = rd__calloc(1, sizeof *dt);
	if (dt == NULL) {
		free(data);
		return rd__error_oom();
	}
	rc = rd__table_parse(&dt->table, name, path, data, len);
	free(data);
	if (rc != RD_OK) {
		free(dt);
		return rc;
	}
	*out = dt;
	return RD_OK;
}

void rd_data_table_free(rd_data_table *t)
{
	if (t == NULL)
		return;
	rd__table_free(t->table);
	free(t);
}
