/* rahdari Python bindings: Report (one rd_report) and Finding (the strings of one finding,
 * copied into Python objects), and rendering reports with the library's writers.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <structmember.h>

/* ---------------------------------------------------------------- Finding */

typedef struct rdpy_finding {
	PyObject_HEAD
	PyObject *s[RDPY_FINDING_NSTR]; /* str or NULL, by rd_field */
	PyObject *tags;                 /* tuple of str */
	PyObject *diagnostics;          /* tuple of (id, text) */
	long line;
	int kind;
	int severity;
} rdpy_finding;

/* Interned names of kinds and severities. */
static PyObject *kind_names[5];
static PyObject *severity_names[4];

static PyObject *kind_name(int kind)
{
	if (kind < 1 || kind > 4)
		kind = 0;
	if (kind_names[kind] == NULL) {
		kind_names[kind] = PyUnicode_InternFromString(kind ? rd_kind_name(kind) : "unknown");
		if (kind_names[kind] == NULL)
			return NULL;
	}
	return Py_NewRef(kind_names[kind]);
}

static PyObject *severity_name(int severity)
{
	if (severity < 1 || severity > 3)
		severity = 0;
	if (severity_names[severity] == NULL) {
		severity_names[severity] = PyUnicode_InternFromString(
		    severity ? rd_severity_name(severity) : "none");
		if (severity_names[severity] == NULL)
			return NULL;
	}
	return Py_NewRef(severity_names[severity]);
}

static PyObject *split_tags(const char *tags)
{
	PyObject *list, *tuple;
	const char *p = tags;

	list = PyList_New(0);
	if (list == NULL)
		return NULL;
	while (p && *p) {
		const char *start;
		PyObject *t;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p == start)
			break;
		t = PyUnicode_DecodeUTF8(start, p - start, "replace");
		if (t == NULL || PyList_Append(list, t) < 0) {
			Py_XDECREF(t);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(t);
	}
	tuple = PyList_AsTuple(list);
	Py_DECREF(list);
	return tuple;
}

PyObject *rdpy_finding_new(const rdpy_finding_src *src)
{
	rdpy_finding *f;
	size_t i;

	f = PyObject_New(rdpy_finding, &rdpy_FindingType);
	if (f == NULL)
		return NULL;
	memset(f->s, 0, sizeof f->s);
	f->tags = NULL;
	f->diagnostics = NULL;
	f->line = src->line;
	f->kind = src->kind;
	f->severity = src->severity;
	for (i = 1; i < RDPY_FINDING_NSTR; i++) {
		if (src->str[i] == NULL)
			continue;
		f->s[i] = rdpy_str(src->str[i]);
		if (f->s[i] == NULL)
			goto fail;
	}
	f->tags = split_tags(src->str[RD_FIELD_TAGS]);
	if (f->tags == NULL)
		goto fail;
	f->diagnostics = PyTuple_New((Py_ssize_t)src->ndiags);
	if (f->diagnostics == NULL)
		goto fail;
	for (i = 0; i < src->ndiags; i++) {
		PyObject *id = rdpy_str(src->diag_ids[i]), *text = rdpy_str(src->diag_texts[i]), *pair;

		if (id == NULL || text == NULL) {
			Py_XDECREF(id);
			Py_XDECREF(text);
			goto fail;
		}
		pair = PyTuple_Pack(2, id, text);
		Py_DECREF(id);
		Py_DECREF(text);
		if (pair == NULL)
			goto fail;
		PyTuple_SET_ITEM(f->diagnostics, (Py_ssize_t)i, pair);
	}
	return (PyObject *)f;
fail:
	Py_DECREF(f);
	return NULL;
}

void rdpy_finding_src_from(rdpy_finding_src *src, const rd_finding *f)
{
	int i;

	memset(src, 0, sizeof *src);
	for (i = 1; i < RDPY_FINDING_NSTR; i++)
		src->str[i] = rd_finding_get(f, (rd_field)i);
	src->kind = rd_finding_kind(f);
	src->severity = rd_finding_severity(f);
	src->line = rd_finding_line(f);
}

PyObject *rdpy_finding_from(const rd_finding *f)
{
	rdpy_finding_src src;
	const char *ids_small[8], *texts_small[8];
	const char **ids = ids_small, **texts = texts_small;
	size_t i, n = rd_finding_diagnostic_count(f);
	PyObject *result;

	rdpy_finding_src_from(&src, f);
	if (n > 8) {
		ids = PyMem_Malloc(n * sizeof *ids);
		texts = PyMem_Malloc(n * sizeof *texts);
		if (ids == NULL || texts == NULL) {
			PyMem_Free(ids);
			PyMem_Free(texts);
			return PyErr_NoMemory();
		}
	}
	for (i = 0; i < n; i++)
		texts[i] = rd_finding_diagnostic(f, i, &ids[i]);
	src.ndiags = n;
	src.diag_ids = ids;
	src.diag_texts = texts;
	result = rdpy_finding_new(&src);
	if (n > 8) {
		PyMem_Free(ids);
		PyMem_Free(texts);
	}
	return result;
}

static void finding_dealloc(rdpy_finding *f)
{
	size_t i;

	for (i = 0; i < RDPY_FINDING_NSTR; i++)
		Py_XDECREF(f->s[i]);
	Py_XDECREF(f->tags);
	Py_XDECREF(f->diagnostics);
	PyObject_Free(f);
}

/* The state of a finding: its 19 strings, kind, severity, line and diagnostics. */
static PyObject *finding_state(rdpy_finding *f)
{
	PyObject *t = PyTuple_New(RDPY_FINDING_NSTR - 1 + 4);
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 1; i < RDPY_FINDING_NSTR; i++)
		PyTuple_SET_ITEM(t, (Py_ssize_t)i - 1, Py_NewRef(f->s[i] ? f->s[i] : Py_None));
	i = RDPY_FINDING_NSTR - 1;
	PyTuple_SET_ITEM(t, (Py_ssize_t)i, PyLong_FromLong(f->kind));
	PyTuple_SET_ITEM(t, (Py_ssize_t)i + 1, PyLong_FromLong(f->severity));
	PyTuple_SET_ITEM(t, (Py_ssize_t)i + 2, PyLong_FromLong(f->line));
	PyTuple_SET_ITEM(t, (Py_ssize_t)i + 3, Py_NewRef(f->diagnostics));
	for (i = 0; i < (size_t)PyTuple_GET_SIZE(t); i++)
		if (PyTuple_GET_ITEM(t, (Py_ssize_t)i) == NULL) {
			Py_DECREF(t);
			return NULL;
		}
	return t;
}

PyObject *rdpy_restore_finding(PyObject *self, PyObject *state)
{
	rdpy_finding_src src;
	PyObject *diags, *result;
	const char **ids = NULL, **texts = NULL;
	Py_ssize_t i, n;

	(void)self;
	if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) != RDPY_FINDING_NSTR - 1 + 4) {
		PyErr_SetString(PyExc_TypeError, "not the state of a rahdari.Finding");
		return NULL;
	}
	memset(&src, 0, sizeof src);
	for (i = 1; i < RDPY_FINDING_NSTR; i++) {
		PyObject *o = PyTuple_GET_ITEM(state, i - 1);

		if (o == Py_None)
			continue;
		if (!PyUnicode_Check(o) || (src.str[i] = rdpy_utf8(o, "a Finding's state", NULL)) == NULL) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "not the state of a rahdari.Finding");
			return NULL;
		}
	}
	i = RDPY_FINDING_NSTR - 1;
	src.kind = (int)PyLong_AsLong(PyTuple_GET_ITEM(state, i));
	src.severity = (int)PyLong_AsLong(PyTuple_GET_ITEM(state, i + 1));
	src.line = PyLong_AsLong(PyTuple_GET_ITEM(state, i + 2));
	if (PyErr_Occurred())
		return NULL;
	diags = PyTuple_GET_ITEM(state, i + 3);
	if (!PyTuple_Check(diags)) {
		PyErr_SetString(PyExc_TypeError, "not the state of a rahdari.Finding");
		return NULL;
	}
	n = PyTuple_GET_SIZE(diags);
	if (n) {
		ids = PyMem_Calloc((size_t)n, sizeof *ids);
		texts = PyMem_Calloc((size_t)n, sizeof *texts);
		if (ids == NULL || texts == NULL) {
			PyMem_Free(ids);
			PyMem_Free(texts);
			return PyErr_NoMemory();
		}
	}
	for (i = 0; i < n; i++) {
		PyObject *pair = PyTuple_GET_ITEM(diags, i);

		if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)
			goto bad;
		if (PyTuple_GET_ITEM(pair, 0) != Py_None &&
		    (ids[i] = rdpy_utf8(PyTuple_GET_ITEM(pair, 0), "a Finding's state", NULL)) == NULL)
			goto bad;
		if (PyTuple_GET_ITEM(pair, 1) != Py_None &&
		    (texts[i] = rdpy_utf8(PyTuple_GET_ITEM(pair, 1), "a Finding's state", NULL)) == NULL)
			goto bad;
	}
	src.ndiags = (size_t)n;
	src.diag_ids = ids;
	src.diag_texts = texts;
	result = rdpy_finding_new(&src);
	PyMem_Free(ids);
	PyMem_Free(texts);
	return result;
bad:
	PyMem_Free(ids);
	PyMem_Free(texts);
	if (!PyErr_Occurred())
		PyErr_SetString(PyExc_TypeError, "not the state of a rahdari.Finding");
	return NULL;
}

static PyObject *finding_reduce(rdpy_finding *f, PyObject *unused)
{
	PyObject *mod, *fn, *state, *result;

	(void)unused;
	mod = PyImport_ImportModule("rahdari._rahdari");
	if (mod == NULL)
		return NULL;
	fn = PyObject_GetAttrString(mod, "_restore_finding");
	Py_DECREF(mod);
	if (fn == NULL)
		return NULL;
	state = finding_state(f);
	if (state == NULL) {
		Py_DECREF(fn);
		return NULL;
	}
	result = Py_BuildValue("(O(O))", fn, state);
	Py_DECREF(fn);
	Py_DECREF(state);
	return result;
}

static PyObject *finding_richcompare(PyObject *a, PyObject *b, int op)
{
	PyObject *sa, *sb, *r;

	if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &rdpy_FindingType))
		Py_RETURN_NOTIMPLEMENTED;
	sa = finding_state((rdpy_finding *)a);
	sb = sa ? finding_state((rdpy_finding *)b) : NULL;
	if (sb == NULL) {
		Py_XDECREF(sa);
		return NULL;
	}
	r = PyObject_RichCompare(sa, sb, op);
	Py_DECREF(sa);
	Py_DECREF(sb);
	return r;
}

static PyObject *finding_get_kind(rdpy_finding *f, void *closure)
{
	(void)closure;
	return kind_name(f->kind);
}

static PyObject *finding_get_severity(rdpy_finding *f, void *closure)
{
	(void)closure;
	return severity_name(f->severity);
}

/* Keys of to_dict(), in order, with the rd_field each comes from (0: computed). */
static const struct {
	const char *key;
	int field;
} dict_keys[] = {
	{ "rule", RD_FIELD_RULE },
	{ "kind", 0 },
	{ "severity", 0 },
	{ "message", RD_FIELD_MESSAGE },
	{ "lang", RD_FIELD_LANG },
	{ "pattern", RD_FIELD_PATTERN },
	{ "context", RD_FIELD_CONTEXT },
	{ "location", RD_FIELD_LOCATION },
	{ "line", 0 },
	{ "document", RD_FIELD_DOCUMENT },
	{ "test", RD_FIELD_TEST },
	{ "cite", RD_FIELD_CITE },
	{ "tags", 0 },
	{ "confidence", RD_FIELD_CONFIDENCE },
	{ "jurisdiction", RD_FIELD_JURISDICTION },
	{ "role", RD_FIELD_ROLE },
	{ "flag", RD_FIELD_FLAG },
	{ "see", RD_FIELD_SEE },
	{ "diagnostics", 0 },
	{ "source_file", RD_FIELD_SOURCE },
	{ "rule_id", RD_FIELD_RULE_ID },
	{ "effective_from", RD_FIELD_EFFECTIVE_FROM },
	{ "effective_to", RD_FIELD_EFFECTIVE_TO },
};

static PyObject *finding_to_dict(rdpy_finding *f, PyObject *unused)
{
	PyObject *d = PyDict_New(), *v = NULL;
	size_t i;

	(void)unused;
	if (d == NULL)
		return NULL;
	for (i = 0; i < sizeof dict_keys / sizeof dict_keys[0]; i++) {
		const char *k = dict_keys[i].key;

		if (dict_keys[i].field)
			v = Py_NewRef(f->s[dict_keys[i].field] ? f->s[dict_keys[i].field] : Py_None);
		else if (strcmp(k, "kind") == 0)
			v = kind_name(f->kind);
		else if (strcmp(k, "severity") == 0)
			v = severity_name(f->severity);
		else if (strcmp(k, "line") == 0)
			v = PyLong_FromLong(f->line);
		else if (strcmp(k, "tags") == 0)
			v = PySequence_List(f->tags);
		else {
			Py_ssize_t j, n = PyTuple_GET_SIZE(f->diagnostics);

			v = PyList_New(n);
			for (j = 0; v && j < n; j++) {
				PyObject *pair = PyTuple_GET_ITEM(f->diagnostics, j);
				PyObject *e = Py_BuildValue("{s:O,s:O}", "id", PyTuple_GET_ITEM(pair, 0),
				                            "text", PyTuple_GET_ITEM(pair, 1));

				if (e == NULL) {
					Py_CLEAR(v);
					break;
				}
				PyList_SET_ITEM(v, j, e);
			}
		}
		if (v == NULL || PyDict_SetItemString(d, k, v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(d);
			return NULL;
		}
		Py_DECREF(v);
	}
	return d;
}

static PyObject *finding_repr(rdpy_finding *f)
{
	return PyUnicode_FromFormat("<rahdari.Finding %s %V line %ld: %.60V>",
	                            rd_severity_name(f->severity), f->s[RD_FIELD_RULE], "(no id)",
	                            f->line, f->s[RD_FIELD_MESSAGE], "");
}

#define FSTR(name, field, doc) \
	{ name, T_OBJECT, offsetof(rdpy_finding, s) + (field) * sizeof(PyObject *), READONLY, doc }

static PyMemberDef finding_members[] = {
	FSTR("rule", RD_FIELD_RULE,
	     "The id of the assert or report ('XSD' for a schema finding; for an evaluation "
	     "error outside an assert, the rule's id), or None."),
	FSTR("message", RD_FIELD_MESSAGE, "The message, in the language asked for (see lang)."),
	FSTR("lang", RD_FIELD_LANG, "The language of the message."),
	FSTR("pattern", RD_FIELD_PATTERN, "The id of the pattern, or None."),
	FSTR("context", RD_FIELD_CONTEXT, "The rule's context expression, as written."),
	FSTR("test", RD_FIELD_TEST,
	     "The test expression (for an evaluation error, the expression that failed)."),
	FSTR("location", RD_FIELD_LOCATION,
	     "XPath of the node the finding is about (it selects exactly one node)."),
	FSTR("document", RD_FIELD_DOCUMENT, "The name of the document checked."),
	FSTR("cite", RD_FIELD_CITE, "The legal basis (rd:cite), or None."),
	FSTR("confidence", RD_FIELD_CONFIDENCE, "rd:confidence: 'V', 'S', 'U' or None."),
	FSTR("jurisdiction", RD_FIELD_JURISDICTION,
	     "rd:jurisdiction codes, space-separated, or None."),
	FSTR("effective_from", RD_FIELD_EFFECTIVE_FROM, "rd:effective-from (YYYY-MM-DD) or None."),
	FSTR("effective_to", RD_FIELD_EFFECTIVE_TO, "rd:effective-to (YYYY-MM-DD) or None."),
	FSTR("role", RD_FIELD_ROLE, "The Schematron role, or None."),
	FSTR("flag", RD_FIELD_FLAG, "The Schematron flag, or None."),
	FSTR("see", RD_FIELD_SEE, "The Schematron see (a URL), or None."),
	FSTR("source_file", RD_FIELD_SOURCE, "The rule file the assertion comes from, or None."),
	FSTR("rule_id", RD_FIELD_RULE_ID, "The id of the enclosing sch:rule, or None."),
	{ "tags", T_OBJECT, offsetof(rdpy_finding, tags), READONLY,
	  "rd:tags, a tuple of str (e.g. ('TIP', 'DOC'))." },
	{ "diagnostics", T_OBJECT, offsetof(rdpy_finding, diagnostics), READONLY,
	  "Diagnostics (not translations): a tuple of (id, text) pairs." },
	{ "line", T_LONG, offsetof(rdpy_finding, line), READONLY,
	  "Line of the node in the document (0 when unknown)." },
	{ "level", T_INT, offsetof(rdpy_finding, severity), READONLY,
	  "The severity as a number: 1 info, 2 warning, 3 error (higher is worse)." },
	{ NULL, 0, 0, 0, NULL },
};

static PyGetSetDef finding_getset[] = {
	{ "kind", (getter)finding_get_kind, NULL,
	  "What produced it: 'assert', 'report', 'schema' or 'evaluation-error'.", NULL },
	{ "severity", (getter)finding_get_severity, NULL, "'error', 'warning' or 'info'.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef finding_methods[] = {
	{ "to_dict", (PyCFunction)finding_to_dict, METH_NOARGS,
	  "to_dict() -> dict\n\nThe finding as a dict: the keys of a finding in rahdari's JSON "
	  "(doc/json.md) but 'source' (here source_file, without the line), and flag, rule_id, "
	  "effective_from and effective_to." },
	{ "__reduce__", (PyCFunction)finding_reduce, METH_NOARGS, "Pickling support." },
	{ NULL, NULL, 0, NULL },
};

PyTypeObject rdpy_FindingType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.Finding",
	.tp_basicsize = sizeof(rdpy_finding),
	.tp_dealloc = (destructor)finding_dealloc,
	.tp_repr = (reprfunc)finding_repr,
	.tp_hash = PyObject_HashNotImplemented,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "One finding: a failed assert, a successful report, a structural (XSD) error or\n"
	          "an expression that could not be evaluated. Immutable; compares equal to a\n"
	          "finding with the same values; picklable.",
	.tp_richcompare = finding_richcompare,
	.tp_methods = finding_methods,
	.tp_members = finding_members,
	.tp_getset = finding_getset,
};

/* ---------------------------------------------------------------- Report */

PyObject *rdpy_report_new(rd_report *report)
{
	rdpy_report *r = PyObject_New(rdpy_report, &rdpy_ReportType);

	if (r == NULL) {
		rd_report_free(report);
		return NULL;
	}
	r->report = report;
	r->findings = NULL;
	return (PyObject *)r;
}

static void report_dealloc(rdpy_report *r)
{
	Py_XDECREF(r->findings);
	rd_report_free(r->report);
	PyObject_Free(r);
}

static PyObject *report_get_findings(rdpy_report *r, void *closure)
{
	size_t i, n;

	(void)closure;
	if (r->findings == NULL) {
		PyObject *t;

		n = rd_report_count(r->report);
		t = PyTuple_New((Py_ssize_t)n);
		if (t == NULL)
			return NULL;
		for (i = 0; i < n; i++) {
			PyObject *f = rdpy_finding_from(rd_report_finding(r->report, i));

			if (f == NULL) {
				Py_DECREF(t);
				return NULL;
			}
			PyTuple_SET_ITEM(t, (Py_ssize_t)i, f);
		}
		r->findings = t;
	}
	return Py_NewRef(r->findings);
}

static PyObject *report_get_summary(rdpy_report *r, void *closure)
{
	(void)closure;
	return Py_BuildValue("{s:n,s:n,s:n}", "errors",
	                     (Py_ssize_t)rd_report_severity_count(r->report, RD_SEVERITY_ERROR),
	                     "warnings",
	                     (Py_ssize_t)rd_report_severity_count(r->report, RD_SEVERITY_WARNING),
	                     "infos", (Py_ssize_t)rd_report_severity_count(r->report, RD_SEVERITY_INFO));
}

static PyObject *report_get_ok(rdpy_report *r, void *closure)
{
	(void)closure;
	return PyBool_FromLong(rd_report_max_severity(r->report) < RD_SEVERITY_ERROR);
}

static PyObject *report_get_max_severity(rdpy_report *r, void *closure)
{
	int s = rd_report_max_severity(r->report);

	(void)closure;
	if (s == 0)
		Py_RETURN_NONE;
	return severity_name(s);
}

static PyObject *report_get_count(rdpy_report *r, void *closure)
{
	(void)closure;
	return PyLong_FromSize_t(rd_report_count(r->report));
}

static PyObject *report_get_field(rdpy_report *r, void *closure)
{
	return rdpy_str(rd_report_get(r->report, (rd_report_field)(Py_intptr_t)closure));
}

static PyObject *report_get_rules(rdpy_report *r, void *closure)
{
	PyObject *id, *version, *path, *title, *d;

	(void)closure;
	id = rdpy_str(rd_report_get(r->report, RD_REPORT_RULES_ID));
	version = rdpy_str(rd_report_get(r->report, RD_REPORT_RULES_VERSION));
	path = rdpy_str(rd_report_get(r->report, RD_REPORT_RULES_PATH));
	title = rdpy_str(rd_report_get(r->report, RD_REPORT_RULES_TITLE));
	d = (id && version && path && title)
	        ? Py_BuildValue("{s:O,s:O,s:O,s:O}", "id", id, "version", version, "path", path,
	                        "title", title)
	        : NULL;
	Py_XDECREF(id);
	Py_XDECREF(version);
	Py_XDECREF(path);
	Py_XDECREF(title);
	return d;
}

int rdpy_format_from(PyObject *name, int *format)
{
	const char *s;

	if (!PyUnicode_Check(name)) {
		PyErr_SetString(PyExc_TypeError, "format must be a str");
		return -1;
	}
	s = rdpy_utf8(name, "format", NULL);
	if (s == NULL)
		return -1;
	*format = rd_format_from_name(s);
	if (*format == 0) {
		rdpy_argument_error("unknown format '%.40s' (use text, json, jsonl or svrl)", s);
		return -1;
	}
	return 0;
}

/* Render reports (a sequence of Report objects) with one writer. */
PyObject *rdpy_render(PyObject *reports, int format, unsigned int flags)
{
	PyObject *seq, *result = NULL;
	const rd_report **rs = NULL;
	rd_writer *w = NULL;
	rdpy_buf buf;
	Py_ssize_t i, n;
	int rc = RD_OK;

	memset(&buf, 0, sizeof buf);
	seq = PySequence_Fast(reports, "reports must be a sequence of rahdari.Report");
	if (seq == NULL)
		return NULL;
	n = PySequence_Fast_GET_SIZE(seq);
	rs = PyMem_Malloc((size_t)(n ? n : 1) * sizeof *rs);
	if (rs == NULL) {
		PyErr_NoMemory();
		goto done;
	}
	for (i = 0; i < n; i++) {
		PyObject *o = PySequence_Fast_GET_ITEM(seq, i);

		if (!PyObject_TypeCheck(o, &rdpy_ReportType)) {
			PyErr_Format(PyExc_TypeError, "reports[%zd] is a %.80s, not a rahdari.Report", i,
			             Py_TYPE(o)->tp_name);
			goto done;
		}
		rs[i] = ((rdpy_report *)o)->report;
	}
	Py_BEGIN_ALLOW_THREADS
	rc = rd_writer_new(&w, format, flags, rdpy_buf_write, &buf);
	for (i = 0; rc == RD_OK && i < n; i++)
		rc = rd_writer_add(w, rs[i]);
	if (rc == RD_OK)
		rc = rd_writer_finish(w);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		if (buf.failed)
			PyErr_NoMemory();
		else
			rdpy_raise(rc, RDPY_CTX_INPUT);
		goto done;
	}
	result = PyUnicode_DecodeUTF8(buf.data ? buf.data : "", (Py_ssize_t)buf.len, "replace");
done:
	rd_writer_free(w);
	rdpy_buf_free(&buf);
	PyMem_Free(rs);
	Py_DECREF(seq);
	return result;
}

static PyObject *render_one(rdpy_report *r, int format, unsigned int flags)
{
	PyObject *t = PyTuple_Pack(1, (PyObject *)r), *s;

	if (t == NULL)
		return NULL;
	s = rdpy_render(t, format, flags);
	Py_DECREF(t);
	return s;
}

static PyObject *report_to_json(rdpy_report *r, PyObject *unused)
{
	(void)unused;
	return render_one(r, RD_FORMAT_JSON, 0);
}

static PyObject *report_to_jsonl(rdpy_report *r, PyObject *unused)
{
	(void)unused;
	return render_one(r, RD_FORMAT_JSONL, 0);
}

static PyObject *report_to_svrl(rdpy_report *r, PyObject *unused)
{
	(void)unused;
	return render_one(r, RD_FORMAT_SVRL, 0);
}

static PyObject *report_to_text(rdpy_report *r, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "color", "quiet", NULL };
	int color = 0, quiet = 0;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$pp:to_text", RDPY_KW(kwlist), &color, &quiet))
		return NULL;
	return render_one(r, RD_FORMAT_TEXT,
	                  (color ? RD_WRITE_COLOR : 0u) | (quiet ? RD_WRITE_QUIET : 0u));
}

static PyObject *report_to_dict(rdpy_report *r, PyObject *unused)
{
	PyObject *text, *json, *d;

	(void)unused;
	text = render_one(r, RD_FORMAT_JSON, 0);
	if (text == NULL)
		return NULL;
	json = PyImport_ImportModule("json");
	if (json == NULL) {
		Py_DECREF(text);
		return NULL;
	}
	d = PyObject_CallMethod(json, "loads", "O", text);
	Py_DECREF(json);
	Py_DECREF(text);
	return d;
}

static PyObject *report_iter(rdpy_report *r)
{
	PyObject *t = report_get_findings(r, NULL), *it;

	if (t == NULL)
		return NULL;
	it = PyObject_GetIter(t);
	Py_DECREF(t);
	return it;
}

static PyObject *report_repr(rdpy_report *r)
{
	return PyUnicode_FromFormat(
	    "<rahdari.Report %s: %zu errors, %zu warnings, %zu infos>",
	    rd_report_get(r->report, RD_REPORT_DOCUMENT) ? rd_report_get(r->report, RD_REPORT_DOCUMENT)
	                                                 : "?",
	    rd_report_severity_count(r->report, RD_SEVERITY_ERROR),
	    rd_report_severity_count(r->report, RD_SEVERITY_WARNING),
	    rd_report_severity_count(r->report, RD_SEVERITY_INFO));
}

#define RFIELD(name, field, doc) \
	{ name, (getter)report_get_field, NULL, doc, (void *)(Py_intptr_t)(field) }

static PyGetSetDef report_getset[] = {
	{ "findings", (getter)report_get_findings, NULL,
	  "Every finding (a tuple of Finding): pattern by pattern, each pattern's in document "
	  "order.", NULL },
	{ "summary", (getter)report_get_summary, NULL,
	  "Findings by severity: {'errors': n, 'warnings': n, 'infos': n}.", NULL },
	{ "ok", (getter)report_get_ok, NULL,
	  "True when no finding is an error (warnings and infos allowed): what `rahdari check` "
	  "exits 0 for.", NULL },
	{ "max_severity", (getter)report_get_max_severity, NULL,
	  "The worst severity found ('error', 'warning', 'info'), or None.", NULL },
	{ "count", (getter)report_get_count, NULL, "The number of findings.", NULL },
	{ "rules", (getter)report_get_rules, NULL,
	  "The rule set: {'id', 'version', 'path', 'title'}.", NULL },
	RFIELD("document", RD_REPORT_DOCUMENT, "The name of the document checked."),
	RFIELD("sha256", RD_REPORT_SHA256, "SHA-256 of the document's bytes (64 hex digits)."),
	RFIELD("as_of", RD_REPORT_AS_OF, "The date the rules took as today (YYYY-MM-DD)."),
	RFIELD("phase", RD_REPORT_PHASE, "The phase that ran ('#ALL' when every pattern ran)."),
	RFIELD("lang", RD_REPORT_LANG, "The language asked for."),
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef report_methods[] = {
	{ "to_json", (PyCFunction)report_to_json, METH_NOARGS,
	  "to_json() -> str\n\nThe report as `rahdari check --format json` writes it "
	  "(doc/json.md)." },
	{ "to_jsonl", (PyCFunction)report_to_jsonl, METH_NOARGS,
	  "to_jsonl() -> str\n\nThe report as `rahdari check --format jsonl`: a document line, "
	  "then a summary line." },
	{ "to_svrl", (PyCFunction)report_to_svrl, METH_NOARGS,
	  "to_svrl() -> str\n\nThe report in ISO Schematron SVRL." },
	{ "to_text", (PyCFunction)(void (*)(void))report_to_text, METH_VARARGS | METH_KEYWORDS,
	  "to_text(*, color=False, quiet=False) -> str\n\nThe report for people, as `rahdari "
	  "check` prints it (color: ANSI colours; quiet: only the summary line)." },
	{ "to_dict", (PyCFunction)report_to_dict, METH_NOARGS,
	  "to_dict() -> dict\n\njson.loads(self.to_json())." },
	{ NULL, NULL, 0, NULL },
};

PyTypeObject rdpy_ReportType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.Report",
	.tp_basicsize = sizeof(rdpy_report),
	.tp_dealloc = (destructor)report_dealloc,
	.tp_repr = (reprfunc)report_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "The result of one check: the findings for one document. A document that breaks\n"
	          "rules gives a Report with findings, never an exception. Iterating a Report\n"
	          "iterates its findings.",
	.tp_iter = (getiterfunc)report_iter,
	.tp_methods = report_methods,
	.tp_getset = report_getset,
};
