/* rahdari Python bindings: Rules.audit(), a streaming audit as a Python iterator.
 *
 * The C audit (rd_audit_file(), rd_audit_memory()) reads the submission, checks its
 * records on a pool of threads and calls a callback with each record, in input order, in
 * the thread that called it. Here that thread is a POSIX thread of our own that never
 * touches Python: its callback copies each record (ids, counts, the strings of every
 * finding, optionally its jsonl line) into one malloc'd snapshot and appends it to a
 * bounded queue, waiting while the queue is full. The iterator's __next__ takes snapshots
 * from the queue with the GIL released while it waits, and turns them into AuditRecord
 * objects. close() (also on garbage collection, on leaving a with block, on an exception
 * such as KeyboardInterrupt in __next__) sets a flag that makes the callback return
 * non-zero, which stops the audit cleanly, and joins the thread.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <structmember.h>

/* Why the record callback stopped the audit (rd_audit_* then returns RD_ESTOPPED): the
 * audit's outcome, in place of its status. */
#define STOP_CANCELLED 1
#define STOP_NOMEM 2

/* One record, copied out of the audit: every pointer points into this allocation. */
typedef struct snap_record {
	struct snap_record *next;
	uint64_t index;
	long line;
	size_t counts[4];
	const char *id, *element, *document, *jsonl;
	size_t nfacets;
	const char **facets;
	size_t nfindings;
	rdpy_finding_src *findings;
} snap_record;

typedef struct audit_state {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	snap_record *head, *tail;
	size_t count, capacity;
	int cancel;           /* the consumer asked to stop */
	int done;             /* the audit returned */
	int rc;               /* what it returned (STOP_*: the callback stopped it) */
	int stop;             /* why the callback stopped it: STOP_*, or 0 */
	rdpy_error err;       /* its error, when rc < 0 */
	rd_audit_progress progress;
	/* what to audit */
	const rd_rules *rules;
	rd_audit_options opts;
	const char *path;     /* a file, or NULL: memory */
	const void *data;
	size_t len;
	const char *name;
	rd_writer *writer;    /* jsonl lines of the records, or NULL */
	rdpy_buf line;
	char *jsonl_end;      /* the writer's last lines: an error line, the summary line */
} audit_state;

typedef struct rdpy_audit {
	PyObject_HEAD
	audit_state *st;
	pthread_t thread;
	int started, joining, joined, finished; /* joining: one thread (holding the GIL) took
	                                            on the join, so no other joins too */
	PyObject *rules_obj;
	rdpy_case c;
	rdpy_source src;
	char *record, *carry;
	char **facets;
	size_t nfacets;
	/* what the iterator handed out */
	uint64_t records;
	size_t counts[4];
	PyObject *weakrefs;
} rdpy_audit;

typedef struct rdpy_record {
	PyObject_HEAD
	unsigned long long index;
	long line;
	PyObject *id, *element, *document, *summary, *findings, *facets, *jsonl;
	size_t counts[4];
} rdpy_record;

/* ---------------------------------------------------------------- snapshots (no GIL) */

static size_t str_need(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *str_put(char **p, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = *p;
	memcpy(d, s, n);
	*p += n;
	return d;
}

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static snap_record *snapshot(const rd_audit_record *rec, const char *jsonl, size_t jsonl_len)
{
	const rd_report *r = rec->report;
	size_t nf = rd_report_count(r), i, k, need, ndiag_total = 0;
	snap_record *s;
	char *p, *strings;
	const char **diag_ptrs;

	need = str_need(rec->id) + str_need(rec->element) +
	       str_need(rd_report_get(r, RD_REPORT_DOCUMENT)) + (jsonl ? jsonl_len + 1 : 0);
	for (k = 0; k < rec->nfacets; k++)
		need += str_need(rec->facets[k]);
	for (i = 0; i < nf; i++) {
		const rd_finding *f = rd_report_finding(r, i);
		size_t nd = rd_finding_diagnostic_count(f);
		int fld;

		for (fld = 1; fld < RDPY_FINDING_NSTR; fld++)
			need += str_need(rd_finding_get(f, (rd_field)fld));
		for (k = 0; k < nd; k++) {
			const char *id = NULL;
			const char *text = rd_finding_diagnostic(f, k, &id);

			need += str_need(id) + str_need(text);
		}
		ndiag_total += nd;
	}
	s = malloc(ALIGN8(sizeof *s) + ALIGN8(nf * sizeof *s->findings) +
	           ALIGN8(rec->nfacets * sizeof(char *)) + ALIGN8(2 * ndiag_total * sizeof(char *)) +
	           need + 1);
	if (s == NULL)
		return NULL;
	memset(s, 0, sizeof *s);
	p = (char *)s + ALIGN8(sizeof *s);
	s->findings = (rdpy_finding_src *)(void *)p;
	p += ALIGN8(nf * sizeof *s->findings);
	s->facets = (const char **)(void *)p;
	p += ALIGN8(rec->nfacets * sizeof(char *));
	diag_ptrs = (const char **)(void *)p;
	p += ALIGN8(2 * ndiag_total * sizeof(char *));
	strings = p;

	s->index = rec->index;
	s->line = rec->line;
	s->id = str_put(&strings, rec->id);
	s->element = str_put(&strings, rec->element);
	s->document = str_put(&strings, rd_report_get(r, RD_REPORT_DOCUMENT));
	if (jsonl) {
		memcpy(strings, jsonl, jsonl_len);
		strings[jsonl_len] = '\0';
		s->jsonl = strings;
		strings += jsonl_len + 1;
	}
	s->nfacets = rec->nfacets;
	for (k = 0; k < rec->nfacets; k++)
		s->facets[k] = str_put(&strings, rec->facets[k] ? rec->facets[k] : "");
	for (k = 1; k <= 3; k++)
		s->counts[k] = rd_report_severity_count(r, (int)k);
	s->nfindings = nf;
	for (i = 0; i < nf; i++) {
		const rd_finding *f = rd_report_finding(r, i);
		rdpy_finding_src *d = &s->findings[i];
		size_t nd = rd_finding_diagnostic_count(f);
		int fld;

		rdpy_finding_src_from(d, f);
		for (fld = 1; fld < RDPY_FINDING_NSTR; fld++)
			d->str[fld] = str_put(&strings, d->str[fld]);
		d->ndiags = nd;
		d->diag_ids = diag_ptrs;
		d->diag_texts = diag_ptrs + nd;
		for (k = 0; k < nd; k++) {
			const char *id = NULL;
			const char *text = rd_finding_diagnostic(f, k, &id);

			diag_ptrs[k] = str_put(&strings, id);
			diag_ptrs[nd + k] = str_put(&strings, text);
		}
		diag_ptrs += 2 * nd;
	}
	return s;
}

/* Note why the audit stops; any non-zero value stops it. */
static int stop_with(audit_state *st, int why)
{
	st->stop = why;
	return 1;
}

static int on_record(const rd_audit_record *rec, void *payload)
{
	audit_state *st = payload;
	snap_record *s;
	const char *jsonl = NULL;
	size_t jsonl_len = 0;

	pthread_mutex_lock(&st->mu);
	if (st->cancel) {
		pthread_mutex_unlock(&st->mu);
		return stop_with(st, STOP_CANCELLED);
	}
	pthread_mutex_unlock(&st->mu);
	if (st->writer) {
		st->line.len = 0;
		if (rd_writer_add_record(st->writer, rec) != RD_OK)
			return stop_with(st, STOP_NOMEM);
		jsonl = st->line.data ? st->line.data : "";
		jsonl_len = st->line.len;
		/* the line without its newline */
		if (jsonl_len && jsonl[jsonl_len - 1] == '\n')
			jsonl_len--;
	}
	s = snapshot(rec, jsonl, jsonl_len);
	if (s == NULL)
		return stop_with(st, STOP_NOMEM);
	pthread_mutex_lock(&st->mu);
	while (st->count >= st->capacity && !st->cancel)
		pthread_cond_wait(&st->not_full, &st->mu);
	if (st->cancel) {
		pthread_mutex_unlock(&st->mu);
		free(s);
		return stop_with(st, STOP_CANCELLED);
	}
	if (st->tail)
		st->tail->next = s;
	else
		st->head = s;
	st->tail = s;
	st->count++;
	pthread_cond_signal(&st->not_empty);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

static void on_progress(const rd_audit_progress *progress, void *payload)
{
	audit_state *st = payload;

	pthread_mutex_lock(&st->mu);
	st->progress = *progress;
	pthread_mutex_unlock(&st->mu);
}

static void *audit_main(void *arg)
{
	audit_state *st = arg;
	rd_audit_progress stats = RD_AUDIT_PROGRESS_INIT;
	int rc;

	if (st->path)
		rc = rd_audit_file(st->rules, st->path, &st->opts, on_record, on_progress, st, &stats);
	else
		rc = rd_audit_memory(st->rules, st->data, st->len, st->name, &st->opts, on_record,
		                     on_progress, st, &stats);
	if (rc == RD_ESTOPPED && st->stop)
		rc = st->stop;
	if (rc < 0)
		rdpy_error_save(&st->err, rc);
	if (st->writer && rc != STOP_CANCELLED && rc != STOP_NOMEM) {
		/* what `rahdari audit --format jsonl` ends with: the error, then the summary */
		int w = RD_OK;

		st->line.len = 0;
		if (rc < 0) {
			rd_error e;

			e.code = st->err.code;
			e.message = st->err.message;
			e.file = st->err.has_file ? st->err.file : NULL;
			e.line = st->err.line;
			e.column = st->err.column;
			w = rd_writer_add_error(st->writer, st->path ? st->path : st->name, &e);
		}
		if (w == RD_OK)
			w = rd_writer_finish(st->writer);
		if (w == RD_OK && st->line.data) {
			st->jsonl_end = malloc(st->line.len + 1);
			if (st->jsonl_end)
				memcpy(st->jsonl_end, st->line.data, st->line.len + 1);
		}
	}
	pthread_mutex_lock(&st->mu);
	st->rc = rc;
	st->progress = stats;
	st->done = 1;
	pthread_cond_broadcast(&st->not_empty);
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static void state_free(audit_state *st)
{
	snap_record *s, *next;

	if (st == NULL)
		return;
	for (s = st->head; s; s = next) {
		next = s->next;
		free(s);
	}
	rd_writer_free(st->writer);
	rdpy_buf_free(&st->line);
	free(st->jsonl_end);
	pthread_cond_destroy(&st->not_empty);
	pthread_cond_destroy(&st->not_full);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/* ---------------------------------------------------------------- AuditRecord */

static PyObject *counts_dict(const size_t *counts)
{
	return Py_BuildValue("{s:n,s:n,s:n}", "errors", (Py_ssize_t)counts[RD_SEVERITY_ERROR],
	                     "warnings", (Py_ssize_t)counts[RD_SEVERITY_WARNING], "infos",
	                     (Py_ssize_t)counts[RD_SEVERITY_INFO]);
}

static rdpy_record *record_alloc(void)
{
	rdpy_record *r = PyObject_New(rdpy_record, &rdpy_AuditRecordType);

	if (r == NULL)
		return NULL;
	r->index = 0;
	r->line = 0;
	r->id = r->element = r->document = r->summary = r->findings = r->facets = r->jsonl = NULL;
	memset(r->counts, 0, sizeof r->counts);
	return r;
}

static PyObject *record_from_snapshot(const snap_record *s)
{
	rdpy_record *r = record_alloc();
	size_t i;

	if (r == NULL)
		return NULL;
	r->index = (unsigned long long)s->index;
	r->line = s->line;
	memcpy(r->counts, s->counts, sizeof r->counts);
	if ((r->id = rdpy_str(s->id)) == NULL || (r->element = rdpy_str(s->element)) == NULL ||
	    (r->document = rdpy_str(s->document)) == NULL || (r->jsonl = rdpy_str(s->jsonl)) == NULL ||
	    (r->summary = counts_dict(s->counts)) == NULL ||
	    (r->findings = PyTuple_New((Py_ssize_t)s->nfindings)) == NULL ||
	    (r->facets = PyTuple_New((Py_ssize_t)s->nfacets)) == NULL)
		goto fail;
	for (i = 0; i < s->nfindings; i++) {
		PyObject *f = rdpy_finding_new(&s->findings[i]);

		if (f == NULL)
			goto fail;
		PyTuple_SET_ITEM(r->findings, (Py_ssize_t)i, f);
	}
	for (i = 0; i < s->nfacets; i++) {
		PyObject *f = rdpy_str(s->facets[i]);

		if (f == NULL)
			goto fail;
		PyTuple_SET_ITEM(r->facets, (Py_ssize_t)i, f);
	}
	return (PyObject *)r;
fail:
	Py_DECREF(r);
	return NULL;
}

static void record_dealloc(rdpy_record *r)
{
	Py_XDECREF(r->id);
	Py_XDECREF(r->element);
	Py_XDECREF(r->document);
	Py_XDECREF(r->summary);
	Py_XDECREF(r->findings);
	Py_XDECREF(r->facets);
	Py_XDECREF(r->jsonl);
	PyObject_Free(r);
}

static PyObject *record_get_ok(rdpy_record *r, void *closure)
{
	(void)closure;
	return PyBool_FromLong(r->counts[RD_SEVERITY_ERROR] == 0);
}

static PyObject *record_get_number(rdpy_record *r, void *closure)
{
	(void)closure;
	return PyLong_FromUnsignedLongLong(r->index + 1);
}

static PyObject *record_to_dict(rdpy_record *r, PyObject *unused)
{
	PyObject *findings, *facets, *summary, *d;
	Py_ssize_t i, n = PyTuple_GET_SIZE(r->findings);

	(void)unused;
	findings = PyList_New(n);
	for (i = 0; findings && i < n; i++) {
		PyObject *fd = PyObject_CallMethod(PyTuple_GET_ITEM(r->findings, i), "to_dict", NULL);

		if (fd == NULL) {
			Py_CLEAR(findings);
			break;
		}
		PyList_SET_ITEM(findings, i, fd);
	}
	if (findings == NULL)
		return NULL;
	facets = PySequence_List(r->facets);
	summary = counts_dict(r->counts);
	d = (facets && summary)
	        ? Py_BuildValue("{s:O,s:K,s:K,s:O,s:O,s:l,s:O,s:O,s:O}", "document", r->document,
	                        "record", r->index + 1, "index", r->index, "id", r->id, "element",
	                        r->element, "line", r->line, "summary", summary, "findings",
	                        findings, "facets", facets)
	        : NULL;
	Py_XDECREF(facets);
	Py_XDECREF(summary);
	Py_DECREF(findings);
	return d;
}

static PyObject *record_reduce(rdpy_record *r, PyObject *unused)
{
	PyObject *mod, *fn, *result;

	(void)unused;
	mod = PyImport_ImportModule("rahdari._rahdari");
	if (mod == NULL)
		return NULL;
	fn = PyObject_GetAttrString(mod, "_restore_record");
	Py_DECREF(mod);
	if (fn == NULL)
		return NULL;
	result = Py_BuildValue("(O((KOOlOnnnOOO)))", fn, r->index, r->id, r->element, r->line,
	                       r->document, (Py_ssize_t)r->counts[1], (Py_ssize_t)r->counts[2],
	                       (Py_ssize_t)r->counts[3], r->findings, r->facets, r->jsonl);
	Py_DECREF(fn);
	return result;
}

PyObject *rdpy_restore_record(PyObject *self, PyObject *state)
{
	rdpy_record *r;
	unsigned long long index;
	long line;
	Py_ssize_t c1, c2, c3;
	PyObject *id, *element, *document, *findings, *facets, *jsonl;

	(void)self;
	if (!PyArg_ParseTuple(state, "KOOlOnnnO!O!O:_restore_record", &index, &id, &element, &line,
	                      &document, &c1, &c2, &c3, &PyTuple_Type, &findings, &PyTuple_Type,
	                      &facets, &jsonl))
		return NULL;
	r = record_alloc();
	if (r == NULL)
		return NULL;
	r->index = index;
	r->line = line;
	r->counts[1] = (size_t)c1;
	r->counts[2] = (size_t)c2;
	r->counts[3] = (size_t)c3;
	r->id = Py_NewRef(id);
	r->element = Py_NewRef(element);
	r->document = Py_NewRef(document);
	r->findings = Py_NewRef(findings);
	r->facets = Py_NewRef(facets);
	r->jsonl = Py_NewRef(jsonl);
	r->summary = counts_dict(r->counts);
	if (r->summary == NULL) {
		Py_DECREF(r);
		return NULL;
	}
	return (PyObject *)r;
}

static PyObject *record_repr(rdpy_record *r)
{
	return PyUnicode_FromFormat("<rahdari.AuditRecord %llu %S line %ld: %zu errors, %zu "
	                            "warnings, %zu infos>",
	                            r->index + 1, r->id, r->line, r->counts[RD_SEVERITY_ERROR],
	                            r->counts[RD_SEVERITY_WARNING], r->counts[RD_SEVERITY_INFO]);
}

static PyMemberDef record_members[] = {
	{ "index", T_ULONGLONG, offsetof(rdpy_record, index), READONLY,
	  "0-based position of the record among the records of its file (the jsonl 'record' is "
	  "index + 1)." },
	{ "line", T_LONG, offsetof(rdpy_record, line), READONLY,
	  "Line of the record's start tag in the file." },
	{ "id", T_OBJECT, offsetof(rdpy_record, id), READONLY,
	  "The record element's id attribute, or None." },
	{ "element", T_OBJECT, offsetof(rdpy_record, element), READONLY,
	  "The record element's local name (e.g. 'booking')." },
	{ "document", T_OBJECT, offsetof(rdpy_record, document), READONLY,
	  "The file's name (the document name of the findings)." },
	{ "summary", T_OBJECT, offsetof(rdpy_record, summary), READONLY,
	  "Findings by severity: {'errors': n, 'warnings': n, 'infos': n}." },
	{ "findings", T_OBJECT, offsetof(rdpy_record, findings), READONLY,
	  "The record's findings, a tuple of Finding (locations within the record, lines in "
	  "the file)." },
	{ "facets", T_OBJECT, offsetof(rdpy_record, facets), READONLY,
	  "The string values of the audit's facets=... expressions on this record (a tuple)." },
	{ "jsonl", T_OBJECT, offsetof(rdpy_record, jsonl), READONLY,
	  "With Rules.audit(..., jsonl=True): the record's line as `rahdari audit --format "
	  "jsonl` writes it (without the newline); else None." },
	{ NULL, 0, 0, 0, NULL },
};

static PyGetSetDef record_getset[] = {
	{ "ok", (getter)record_get_ok, NULL, "True when no finding of the record is an error.",
	  NULL },
	{ "number", (getter)record_get_number, NULL, "1-based position (index + 1).", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef record_methods[] = {
	{ "to_dict", (PyCFunction)record_to_dict, METH_NOARGS,
	  "to_dict() -> dict\n\nThe record as a dict: document, record (1-based), index, id, "
	  "element, line, summary, findings (Finding.to_dict() each), facets." },
	{ "__reduce__", (PyCFunction)record_reduce, METH_NOARGS, "Pickling support." },
	{ NULL, NULL, 0, NULL },
};

PyTypeObject rdpy_AuditRecordType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.AuditRecord",
	.tp_basicsize = sizeof(rdpy_record),
	.tp_dealloc = (destructor)record_dealloc,
	.tp_repr = (reprfunc)record_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "One record of an audit, checked as a document of its own. Immutable and "
	          "picklable\n(so it can travel between processes, e.g. Dask workers).",
	.tp_methods = record_methods,
	.tp_members = record_members,
	.tp_getset = record_getset,
};

/* ---------------------------------------------------------------- Audit */

/* Stop the audit (when it runs) and wait for its thread; drop what is queued. */
static void audit_stop(rdpy_audit *a)
{
	audit_state *st = a->st;
	snap_record *s, *next;

	if (st == NULL || !a->started || a->joining)
		return;
	a->joining = 1;
	pthread_mutex_lock(&st->mu);
	st->cancel = 1;
	pthread_cond_broadcast(&st->not_full);
	pthread_cond_broadcast(&st->not_empty);
	pthread_mutex_unlock(&st->mu);
	Py_BEGIN_ALLOW_THREADS
	pthread_join(a->thread, NULL);
	Py_END_ALLOW_THREADS
	a->joined = 1;
	/* another Python thread may be waiting in __next__ (without the GIL) */
	pthread_mutex_lock(&st->mu);
	s = st->head;
	st->head = st->tail = NULL;
	st->count = 0;
	pthread_mutex_unlock(&st->mu);
	for (; s; s = next) {
		next = s->next;
		free(s);
	}
}

static PyObject *audit_close(rdpy_audit *a, PyObject *unused)
{
	(void)unused;
	audit_stop(a);
	a->finished = 1;
	Py_RETURN_NONE;
}

static void audit_dealloc(rdpy_audit *a)
{
	size_t i;

	if (a->weakrefs)
		PyObject_ClearWeakRefs((PyObject *)a);
	audit_stop(a);
	state_free(a->st);
	rdpy_source_release(&a->src);
	rdpy_case_free(&a->c);
	free(a->record);
	free(a->carry);
	for (i = 0; i < a->nfacets; i++)
		free(a->facets[i]);
	free(a->facets);
	Py_XDECREF(a->rules_obj);
	PyObject_Free(a);
}

static PyObject *audit_iter(PyObject *self)
{
	return Py_NewRef(self);
}

static PyObject *audit_next(rdpy_audit *a)
{
	audit_state *st = a->st;
	snap_record *s = NULL;
	PyObject *rec;
	int done = 0;

	if (a->finished || st == NULL)
		return NULL;
	for (;;) {
		Py_BEGIN_ALLOW_THREADS
		pthread_mutex_lock(&st->mu);
		if (st->head == NULL && !st->done) {
			struct timespec until;

			/* wake up now and then to let Python handle signals (Ctrl-C) */
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 200 * 1000 * 1000;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (st->head == NULL && !st->done) {
				if (pthread_cond_timedwait(&st->not_empty, &st->mu, &until) == ETIMEDOUT)
					break;
			}
		}
		if (st->head) {
			s = st->head;
			st->head = s->next;
			if (st->head == NULL)
				st->tail = NULL;
			st->count--;
			pthread_cond_signal(&st->not_full);
		} else if (st->done) {
			done = 1;
		}
		pthread_mutex_unlock(&st->mu);
		Py_END_ALLOW_THREADS
		if (s || done)
			break;
		if (PyErr_CheckSignals() < 0) {
			audit_stop(a);
			a->finished = 1;
			return NULL;
		}
	}
	if (s) {
		size_t k;

		rec = record_from_snapshot(s);
		free(s);
		if (rec == NULL) {
			audit_stop(a);
			a->finished = 1;
			return NULL;
		}
		a->records++;
		for (k = 1; k <= 3; k++)
			a->counts[k] += ((rdpy_record *)rec)->counts[k];
		return rec;
	}
	/* the audit is over (unless another Python thread closed it meanwhile) */
	if (a->joining) {
		a->finished = 1;
		return NULL;
	}
	a->joining = 1;
	Py_BEGIN_ALLOW_THREADS
	pthread_join(a->thread, NULL);
	Py_END_ALLOW_THREADS
	a->joined = 1;
	a->finished = 1;
	if (st->rc == STOP_NOMEM)
		return PyErr_NoMemory();
	if (st->rc < 0)
		return rdpy_raise_error(&st->err, RDPY_CTX_INPUT);
	return NULL;
}

static PyObject *audit_enter(PyObject *self, PyObject *unused)
{
	(void)unused;
	return Py_NewRef(self);
}

static PyObject *audit_exit(rdpy_audit *a, PyObject *args)
{
	(void)args;
	audit_stop(a);
	a->finished = 1;
	Py_RETURN_FALSE;
}

static PyObject *audit_get_summary(rdpy_audit *a, void *closure)
{
	(void)closure;
	return Py_BuildValue("{s:K,s:n,s:n,s:n}", "records", (unsigned long long)a->records,
	                     "errors", (Py_ssize_t)a->counts[RD_SEVERITY_ERROR], "warnings",
	                     (Py_ssize_t)a->counts[RD_SEVERITY_WARNING], "infos",
	                     (Py_ssize_t)a->counts[RD_SEVERITY_INFO]);
}

static PyObject *audit_get_progress(rdpy_audit *a, void *closure)
{
	rd_audit_progress p = RD_AUDIT_PROGRESS_INIT;

	(void)closure;
	if (a->st) {
		pthread_mutex_lock(&a->st->mu);
		p = a->st->progress;
		pthread_mutex_unlock(&a->st->mu);
	}
	return Py_BuildValue("{s:K,s:K,s:K}", "bytes_read", (unsigned long long)p.bytes_read,
	                     "bytes_total", (unsigned long long)p.bytes_total, "records",
	                     (unsigned long long)p.records);
}

static PyObject *audit_get_running(rdpy_audit *a, void *closure)
{
	(void)closure;
	return PyBool_FromLong(a->started && !a->joined);
}

static PyObject *audit_get_jsonl_end(rdpy_audit *a, void *closure)
{
	(void)closure;
	if (a->st == NULL || !a->joined)
		Py_RETURN_NONE;
	return rdpy_str(a->st->jsonl_end);
}

static PyGetSetDef audit_getset[] = {
	{ "jsonl_end", (getter)audit_get_jsonl_end, NULL,
	  "With jsonl=True, once the audit is over: the lines `rahdari audit --format jsonl` "
	  "ends with (an error line when the file could not be read to its end, then the "
	  "summary line), each ending in a newline; else None.", NULL },
	{ "summary", (getter)audit_get_summary, NULL,
	  "Totals of the records handed out so far: {'records', 'errors', 'warnings', 'infos'} "
	  "(after the last record: the audit's totals).", NULL },
	{ "progress", (getter)audit_get_progress, NULL,
	  "How far the reader is: {'bytes_read', 'bytes_total' (0 when unknown), 'records'}.",
	  NULL },
	{ "running", (getter)audit_get_running, NULL,
	  "True while the background thread runs.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef audit_methods[] = {
	{ "close", (PyCFunction)audit_close, METH_NOARGS,
	  "close()\n\nStop the audit (the C audit stops after the record in hand) and wait for "
	  "its thread. Idempotent; also done when the iterator is garbage-collected or leaves a "
	  "with block." },
	{ "__enter__", (PyCFunction)audit_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)audit_exit, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

PyTypeObject rdpy_AuditType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.Audit",
	.tp_basicsize = sizeof(rdpy_audit),
	.tp_dealloc = (destructor)audit_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "A running audit: an iterator of AuditRecord, in input order, as the records are\n"
	          "checked. The C audit runs in a background thread (with its own pool of --jobs\n"
	          "threads) and never holds the GIL; a bounded queue (buffer=...) keeps memory\n"
	          "flat when the consumer is slower. A file malformed part-way: every record\n"
	          "before the fault is yielded, then the error is raised (ParseError with its\n"
	          "line). close(), a with block, or dropping the iterator stops the audit.",
	.tp_weaklistoffset = offsetof(rdpy_audit, weakrefs),
	.tp_iter = audit_iter,
	.tp_iternext = (iternextfunc)audit_next,
	.tp_methods = audit_methods,
	.tp_getset = audit_getset,
};

/* ---------------------------------------------------------------- starting */

static int take_facets(rdpy_audit *a, PyObject *facets)
{
	PyObject *seq;
	Py_ssize_t i, n;

	if (facets == NULL || facets == Py_None)
		return 0;
	if (PyUnicode_Check(facets)) {
		PyErr_SetString(PyExc_TypeError, "facets must be a sequence of XPath expressions (str)");
		return -1;
	}
	seq = PySequence_Fast(facets, "facets must be a sequence of XPath expressions (str)");
	if (seq == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(seq);
	a->facets = calloc((size_t)(n ? n : 1), sizeof *a->facets);
	if (a->facets == NULL) {
		Py_DECREF(seq);
		PyErr_NoMemory();
		return -1;
	}
	for (i = 0; i < n; i++) {
		PyObject *o = PySequence_Fast_GET_ITEM(seq, i);

		if (!PyUnicode_Check(o)) {
			Py_DECREF(seq);
			PyErr_SetString(PyExc_TypeError, "facets must be str");
			return -1;
		}
		if (rdpy_opt_string(o, "a facet", &a->facets[i]) < 0) {
			Py_DECREF(seq);
			return -1;
		}
		a->nfacets++;
	}
	Py_DECREF(seq);
	return 0;
}

PyObject *rdpy_audit_start(rdpy_rules *rules, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "source",   "record",   "carry",  "jobs",   "as_of",
		                  "lang",     "phase",    "jurisdiction", "licence", "docs",
		                  "tables",   "register", "params", "xsd",    "trust",
		                  "facets",   "max_size", "max_ops", "buffer", "jsonl",  "name",
		                  NULL };
	PyObject *source, *record = Py_None, *carry = Py_None, *jobs = Py_None, *facets = Py_None;
	PyObject *name = Py_None, *max_size = Py_None;
	Py_ssize_t buffer = 64;
	int jsonl = 0, rc = RD_OK, context = RDPY_CTX_INPUT, failed = 0;
	rdpy_case_args ca;
	rdpy_audit *a;
	audit_state *st;
	char *name_s = NULL;
	rdpy_error err;
	sigset_t all, old;

	memset(&ca, 0, sizeof ca);
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OOOOOOOOOOOOOOOOOnpO:audit", RDPY_KW(kwlist), &source,
	                                 &record, &carry, &jobs, &ca.as_of, &ca.lang, &ca.phase,
	                                 &ca.jurisdiction, &ca.licence, &ca.docs, &ca.tables,
	                                 &ca.register_, &ca.params, &ca.xsd, &ca.trust, &facets,
	                                 &max_size, &ca.max_ops, &buffer, &jsonl, &name))
		return NULL;
	if (buffer < 1) {
		rdpy_argument_error("buffer must be at least 1");
		return NULL;
	}
	if (PyObject_TypeCheck(source, &rdpy_DocumentType)) {
		PyErr_SetString(PyExc_TypeError,
		                "an audit reads its source as a stream: give a path or XML, not a Document");
		return NULL;
	}
	a = PyObject_New(rdpy_audit, &rdpy_AuditType);
	if (a == NULL)
		return NULL;
	a->st = NULL;
	a->started = a->joining = a->joined = a->finished = 0;
	a->rules_obj = Py_NewRef((PyObject *)rules);
	rdpy_case_init(&a->c);
	memset(&a->src, 0, sizeof a->src);
	a->record = a->carry = NULL;
	a->facets = NULL;
	a->nfacets = 0;
	a->records = 0;
	memset(a->counts, 0, sizeof a->counts);
	a->weakrefs = NULL;

	if (rdpy_opt_string(record, "record", &a->record) < 0 ||
	    rdpy_opt_string(carry, "carry", &a->carry) < 0 || take_facets(a, facets) < 0 ||
	    rdpy_opt_string(name, "name", &name_s) < 0 || rdpy_case_parse(&a->c, &ca) < 0 ||
	    rdpy_source_init(&a->src, source, name_s, "source") < 0)
		goto fail;
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		PyErr_NoMemory();
		goto fail;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->not_empty, NULL);
	pthread_cond_init(&st->not_full, NULL);
	a->st = st;
	st->capacity = (size_t)buffer;
	st->rules = rules->rules;
	rd_audit_options_init(&st->opts);
	st->opts.record = a->record;
	st->opts.carry = a->carry;
	if (jobs != Py_None) {
		long j = PyLong_AsLong(jobs);

		if (j == -1 && PyErr_Occurred())
			goto fail;
		if (j < 0 || j > 4096) {
			rdpy_argument_error("jobs must be between 0 (one per core) and 4096");
			goto fail;
		}
		st->opts.jobs = (unsigned int)j;
	}
	if (max_size != Py_None) {
		st->opts.max_record_bytes = PyLong_AsSize_t(max_size);
		if (PyErr_Occurred())
			goto fail;
	}
	st->opts.facets = (const char *const *)a->facets;
	st->opts.nfacets = a->nfacets;
	if (a->src.path) {
		st->path = a->src.path;
	} else if (a->src.encoded) {
		st->data = PyBytes_AS_STRING(a->src.encoded);
		st->len = (size_t)PyBytes_GET_SIZE(a->src.encoded);
		st->name = a->src.name;
	} else {
		st->data = a->src.buf.buf;
		st->len = (size_t)a->src.buf.len;
		st->name = a->src.name;
	}
	Py_BEGIN_ALLOW_THREADS
	rc = rdpy_case_load(&a->c, &context);
	if (rc == RD_OK && jsonl) {
		rc = rd_writer_new(&st->writer, RD_FORMAT_JSONL, RD_WRITE_RECORDS, rdpy_buf_write,
		                   &st->line);
		if (rc == RD_OK)
			rc = rd_writer_set_rules(st->writer, st->rules, &a->c.co);
	}
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, context);
		goto fail;
	}
	st->opts.check = a->c.co;
	/* the thread takes no signal: Python handles them in its main thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	failed = pthread_create(&a->thread, NULL, audit_main, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (failed) {
		PyErr_SetString(PyExc_RuntimeError, "cannot start the audit's thread");
		goto fail;
	}
	a->started = 1;
	free(name_s);
	return (PyObject *)a;
fail:
	free(name_s);
	Py_DECREF(a);
	return NULL;
}
