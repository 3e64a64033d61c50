/* rahdari: reference tables (CSV) declared with rd:table.
 *
 * A table is RFC 4180 CSV in UTF-8: a header row naming the columns, then the
 * rows. Fields may be quoted ("a, b" and "say ""hi"""); lines starting with
 * '#' are comments; a UTF-8 byte-order mark is skipped. Each column gets a
 * hash index when the table is loaded, so lookups from rules are O(1) and the
 * table is never modified afterwards (safe to share between threads).
 *
 * Tables come from packs and from the command line, so their text is input: the
 * indexes hash with a keyed hash (SipHash under a per-process random key, siphash.c)
 * so that no one can choose values that collide, a header may name at most
 * RD_TABLE_MAX_COLUMNS distinct columns, and loading is linear in the size of the file.
 * Every field's text lives in one buffer: a table costs its text plus 16 bytes per field
 * (a pointer, and two 32-bit index slots), and 8 more per field while it loads.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void rd__table_free(rd_table *t)
{
	if (t == NULL)
		return;
	free(t->index);
	free(t->colhash);
	free(t->rows);
	free(t->cells);
	free(t->text);
	free(t->name);
	free(t->file);
	free(t);
}

typedef struct csv {
	const char *p, *end;
	long line;
	long record_line; /* where the last record read starts */
	const char *file;
	rd_buf text;      /* the fields read so far, each followed by a NUL */
	size_t *offs;     /* where each field starts in text */
	size_t noffs, capoffs;
} csv;

static int csv_oom(void)
{
	rd__error_oom();
	return -1;
}

/* Read one record, adding its fields to in->text and in->offs. max is the most fields
 * it may have (header: the column limit; rows: the header's count), so that an
 * over-long record is refused as soon as it is seen. Returns 1 for a record (*nfields
 * set), 0 at end of input, -1 on error (error set). */
static int csv_record(csv *in, int header, size_t max, size_t *nfields)
{
	size_t n = 0;

	*nfields = 0;
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
	for (;;) {
		long start_line = in->line;
		const char *s;

		if (n == max) {
			if (header)
				rd__error_set(RD_ELIMIT, in->file, in->record_line, 0,
				              "%s:%ld: the header has more than %zu columns", in->file,
				              in->record_line, max);
			else
				rd__error_set(RD_EPARSE, in->file, in->record_line, 0,
				              "%s:%ld: row has more than %zu fields, the header has %zu",
				              in->file, in->record_line, max, max);
			return -1;
		}
		if (rd__grow(&in->offs, &in->capoffs, in->noffs, sizeof *in->offs) < 0)
			return csv_oom();
		in->offs[in->noffs++] = in->text.len;
		n++;
		if (in->p < in->end && *in->p == '"') {
			in->p++;
			for (;;) {
				/* a run of plain characters, then a quote or the end */
				for (s = in->p; in->p < in->end && *in->p != '"'; in->p++)
					if (*in->p == '\n')
						in->line++;
				rd__buf_add(&in->text, s, (size_t)(in->p - s));
				if (in->p >= in->end) {
					rd__error_set(RD_EPARSE, in->file, start_line, 0,
					              "%s:%ld: unterminated quoted field", in->file, start_line);
					return -1;
				}
				if (in->p + 1 < in->end && in->p[1] == '"') {
					rd__buf_putc(&in->text, '"');
					in->p += 2;
					continue;
				}
				in->p++;
				break;
			}
			if (in->p < in->end && *in->p != ',' && *in->p != '\n' && *in->p != '\r') {
				rd__error_set(RD_EPARSE, in->file, in->line, 0,
				              "%s:%ld: unexpected character after a quoted field", in->file,
				              in->line);
				return -1;
			}
		} else {
			for (s = in->p; in->p < in->end && *in->p != ',' && *in->p != '\n' && *in->p != '\r';)
				in->p++;
			rd__buf_add(&in->text, s, (size_t)(in->p - s));
		}
		rd__buf_add(&in->text, "", 1); /* the field's NUL */
		if (in->text.oom)
			return csv_oom();
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
	*nfields = n;
	return 1;
}

static size_t str_slot(const char *s, size_t size)
{
	return (size_t)rd__hash(s, strlen(s)) & (size - 1);
}

/* Check the header's names (names[c], in the text being read) and index them: names to
 * column numbers + 1, refusing a name without text or given twice. */
static int index_columns(rd_table *t, char **names, long line)
{
	size_t c, size = 16;

	for (c = 0; c < t->ncols; c++) {
		rd__normalize_space(names[c]);
		if (names[c][0] == '\0')
			return rd__error_set(RD_EPARSE, t->file, line, 0, "%s:%ld: column %zu has no name",
			                     t->file, line, c + 1);
	}
	while (size < t->ncols * 2)
		size *= 2;
	t->colhash = rd__calloc(size, sizeof *t->colhash);
	if (t->colhash == NULL)
		return rd__error_oom();
	t->colhash_size = size;
	for (c = 0; c < t->ncols; c++) {
		size_t slot = str_slot(names[c], size);

		while (t->colhash[slot] != 0) {
			if (strcmp(names[t->colhash[slot] - 1], names[c]) == 0)
				return rd__error_set(RD_EPARSE, t->file, line, 0,
				                     "%s:%ld: column '%s' appears twice", t->file, line,
				                     names[c]);
			slot = (slot + 1) & (size - 1);
		}
		t->colhash[slot] = (uint32_t)(c + 1);
	}
	return RD_OK;
}

static int build_index(rd_table *t)
{
	size_t c, r, size = 16;

	while (size < t->nrows * 2)
		size *= 2;
	if (t->ncols > (size_t)-1 / sizeof *t->index / size)
		return -1;
	t->index_size = size;
	t->index = rd__calloc(t->ncols * size, sizeof *t->index);
	if (t->index == NULL)
		return -1;
	for (c = 0; c < t->ncols; c++) {
		uint32_t *ix = t->index + c * size;

		for (r = 0; r < t->nrows; r++) {
			size_t slot = str_slot(t->rows[r][c], size);

			while (ix[slot] != 0) {
				/* keep the first row for duplicate keys */
				if (strcmp(t->rows[ix[slot] - 1][c], t->rows[r][c]) == 0)
					break;
				slot = (slot + 1) & (size - 1);
			}
			if (ix[slot] == 0)
				ix[slot] = (uint32_t)(r + 1);
		}
	}
	return 0;
}

/* Check that the data is UTF-8 without NUL bytes: table values end up in messages and
 * reports. */
static int check_text(const char *file, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	long line = 1;

	if (memchr(data, '\0', len) != NULL)
		return rd__error_set(RD_EPARSE, file, 0, 0, "%s: table contains a NUL byte", file);
	while (p < end) {
		size_t n = rd__utf8_len(p);

		if (n == 0 || p + n > end)
			return rd__error_set(RD_EPARSE, file, line, 0, "%s:%ld: table is not valid UTF-8",
			                     file, line);
		if (*p == '\n')
			line++;
		p += n;
	}
	return RD_OK;
}

static void csv_free(csv *in)
{
	rd__buf_free(&in->text);
	free(in->offs);
}

int rd__table_parse(rd_table **out, const char *name, const char *file, const char *data,
                    size_t len)
{
	rd_table *t;
	csv in;
	size_t nf, i, ncells;
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
	if ((rc = check_text(file, data, len)) != RD_OK) {
		rd__table_free(t);
		return rc;
	}
	memset(&in, 0, sizeof in);
	in.p = data;
	in.end = data + len;
	in.line = 1;
	in.file = file;
	rd__buf_init(&in.text);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		in.p += 3;
	rc = csv_record(&in, 1, RD_TABLE_MAX_COLUMNS, &nf);
	if (rc <= 0) {
		csv_free(&in);
		rd__table_free(t);
		if (rc == 0)
			return rd__error_set(RD_EPARSE, file, 1, 0, "%s:1: table has no header row",
			                     file);
		return rd_error_last()->code;
	}
	t->ncols = nf;
	{
		/* the header's names are checked before any row is read */
		char *names[RD_TABLE_MAX_COLUMNS];

		for (i = 0; i < nf; i++)
			names[i] = in.text.data + in.offs[i];
		if ((rc = index_columns(t, names, in.record_line)) != RD_OK) {
			csv_free(&in);
			rd__table_free(t);
			return rc;
		}
	}
	for (;;) {
		rc = csv_record(&in, 0, t->ncols, &nf);
		if (rc < 0) {
			csv_free(&in);
			rd__table_free(t);
			return rd_error_last()->code;
		}
		if (rc == 0)
			break;
		if (nf != t->ncols) {
			rd__error_set(RD_EPARSE, file, in.record_line, 0,
			              "%s:%ld: row has %zu fields, the header has %zu", file,
			              in.record_line, nf, t->ncols);
			csv_free(&in);
			rd__table_free(t);
			return RD_EPARSE;
		}
		if (++t->nrows >= UINT32_MAX) {
			/* row numbers are 32-bit in the indexes */
			rd__error_set(RD_ELIMIT, file, in.record_line, 0, "%s:%ld: table has too many rows",
			              file, in.record_line);
			csv_free(&in);
			rd__table_free(t);
			return RD_ELIMIT;
		}
	}
	/* every field is read: point into the text, which moves no more */
	ncells = in.noffs;
	t->text = rd__buf_take(&in.text, NULL);
	t->cells = rd__malloc(ncells * sizeof *t->cells);
	t->rows = rd__malloc((t->nrows ? t->nrows : 1) * sizeof *t->rows);
	if (t->text == NULL || t->cells == NULL || t->rows == NULL) {
		csv_free(&in);
		rd__table_free(t);
		return rd__error_oom();
	}
	for (i = 0; i < ncells; i++)
		t->cells[i] = t->text + in.offs[i];
	csv_free(&in);
	t->cols = t->cells;
	for (i = 0; i < t->nrows; i++)
		t->rows[i] = t->cells + (i + 1) * t->ncols;
	if (build_index(t) < 0) {
		rd__table_free(t);
		return rd__error_oom();
	}
	*out = t;
	return RD_OK;
}

int rd__table_column(const rd_table *t, const char *col)
{
	size_t slot;

	if (t->colhash_size == 0)
		return -1;
	slot = str_slot(col, t->colhash_size);
	while (t->colhash[slot] != 0) {
		size_t c = t->colhash[slot] - 1;

		if (strcmp(t->cols[c], col) == 0)
			return (int)c;
		slot = (slot + 1) & (t->colhash_size - 1);
	}
	return -1;
}

long rd__table_find(const rd_table *t, int c, const char *value)
{
	const uint32_t *ix;
	size_t slot;

	if (c < 0 || (size_t)c >= t->ncols || t->nrows == 0)
		return -1;
	ix = t->index + (size_t)c * t->index_size;
	slot = str_slot(value, t->index_size);
	while (ix[slot] != 0) {
		size_t r = ix[slot] - 1;

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
