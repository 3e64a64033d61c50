/* rahdari Python bindings: small helpers (buffers, strings, dates, paths) and the
 * sources of documents (a path, XML in memory, or a Document).
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stdlib.h>
#include <string.h>

int rdpy_buf_write(const char *data, size_t len, void *payload)
{
	rdpy_buf *b = payload;

	if (b->failed)
		return -1;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL) {
			b->failed = 1;
			return -1;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

void rdpy_buf_free(rdpy_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

PyObject *rdpy_str(const char *s)
{
	if (s == NULL)
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

char *rdpy_strdup(const char *s, int *failed)
{
	char *d;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d == NULL) {
		*failed = 1;
		return NULL;
	}
	memcpy(d, s, n);
	return d;
}

PyObject *rdpy_unicode_error(const char *what)
{
	PyObject *type, *value, *tb, *obj = NULL, *exc, *t2, *tb2;
	Py_ssize_t start = -1;
	Py_UCS4 c = 0;

	if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
		return NULL;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL && PyUnicodeEncodeError_GetStart(value, &start) == 0 &&
	    (obj = PyUnicodeEncodeError_GetObject(value)) != NULL && start >= 0 &&
	    start < PyUnicode_GET_LENGTH(obj))
		c = PyUnicode_READ_CHAR(obj, start);
	Py_XDECREF(obj);
	PyErr_Clear();
	if (c >= 0xD800 && c <= 0xDFFF)
		rdpy_argument_error("%s holds a lone surrogate (U+%04X at index %zd), which is not "
		                    "text: rahdari reads str as UTF-8",
		                    what, (unsigned int)c, start);
	else
		rdpy_argument_error("%s cannot be encoded (at index %zd): rahdari reads str as UTF-8",
		                    what, start);
	/* raise ArgumentError from the UnicodeEncodeError */
	PyErr_Fetch(&t2, &exc, &tb2);
	PyErr_NormalizeException(&t2, &exc, &tb2);
	if (exc != NULL && value != NULL) {
		PyException_SetCause(exc, Py_NewRef(value));
		PyException_SetContext(exc, Py_NewRef(value));
	}
	PyErr_Restore(t2, exc, tb2);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return NULL;
}

const char *rdpy_utf8(PyObject *str, const char *what, Py_ssize_t *len)
{
	Py_ssize_t n;
	const char *s = PyUnicode_AsUTF8AndSize(str, &n);

	if (s == NULL) {
		rdpy_unicode_error(what);
		return NULL;
	}
	if (len != NULL)
		*len = n;
	else if (strlen(s) != (size_t)n) {
		/* a C string: an embedded NUL would cut it short */
		rdpy_argument_error("%s contains a NUL character", what);
		return NULL;
	}
	return s;
}

int rdpy_opt_string(PyObject *obj, const char *what, char **out)
{
	const char *s;
	int failed = 0;

	*out = NULL;
	if (obj == NULL || obj == Py_None)
		return 0;
	if (!PyUnicode_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be a str or None, not %.80s", what,
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	s = rdpy_utf8(obj, what, NULL);
	if (s == NULL)
		return -1;
	*out = rdpy_strdup(s, &failed);
	if (failed) {
		PyErr_NoMemory();
		return -1;
	}
	return 0;
}

static int valid_date(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int rdpy_opt_date(PyObject *obj, const char *what, char out[11], int *set)
{
	*set = 0;
	out[0] = '\0';
	if (obj == NULL || obj == Py_None)
		return 0;
	if (PyUnicode_Check(obj)) {
		const char *s = rdpy_utf8(obj, what, NULL);

		if (s == NULL)
			return -1;
		if (!valid_date(s)) {
			rdpy_argument_error("%s '%.40s' is not a date (YYYY-MM-DD)", what, s);
			return -1;
		}
		memcpy(out, s, 11);
		*set = 1;
		return 0;
	}
	/* a datetime.date (or datetime.datetime): its year, month and day */
	if (PyObject_HasAttrString(obj, "year") && PyObject_HasAttrString(obj, "month") &&
	    PyObject_HasAttrString(obj, "day") && PyObject_HasAttrString(obj, "isoformat")) {
		long v[3];
		const char *names[3] = { "year", "month", "day" };
		int i;

		for (i = 0; i < 3; i++) {
			PyObject *o = PyObject_GetAttrString(obj, names[i]);

			if (o == NULL)
				return -1;
			v[i] = PyLong_AsLong(o);
			Py_DECREF(o);
			if (v[i] == -1 && PyErr_Occurred())
				return -1;
		}
		if (v[0] < 1 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) {
			rdpy_argument_error("%s is not a date", what);
			return -1;
		}
		PyOS_snprintf(out, 11, "%04ld-%02ld-%02ld", v[0], v[1], v[2]);
		*set = 1;
		return 0;
	}
	PyErr_Format(PyExc_TypeError, "%s must be a 'YYYY-MM-DD' str or a datetime.date, not %.80s",
	             what, Py_TYPE(obj)->tp_name);
	return -1;
}

int rdpy_path(PyObject *obj, const char *what, char **out)
{
	PyObject *bytes = NULL;
	int failed = 0;

	*out = NULL;
	if (!PyUnicode_FSConverter(obj, &bytes)) {
		/* a lone surrogate that os.fsencode() cannot turn back into a byte */
		if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
			rdpy_unicode_error(what);
		} else if (PyErr_ExceptionMatches(PyExc_ValueError) &&
		           !PyErr_ExceptionMatches(rdpy_Error)) {
			PyErr_Clear();
			rdpy_argument_error("%s contains a NUL character", what);
		} else if (PyErr_ExceptionMatches(PyExc_TypeError)) {
			PyErr_Clear();
			PyErr_Format(PyExc_TypeError, "%s must be a path (str or os.PathLike), not %.80s",
			             what, Py_TYPE(obj)->tp_name);
		}
		return -1;
	}
	*out = rdpy_strdup(PyBytes_AS_STRING(bytes), &failed);
	Py_DECREF(bytes);
	if (failed) {
		PyErr_NoMemory();
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- sources */

/* 1 when the text starts with '<' after white space (and a byte-order mark). */
static int looks_like_xml(PyObject *str)
{
	Py_ssize_t i, n = PyUnicode_GET_LENGTH(str);
	int kind = PyUnicode_KIND(str);
	const void *data = PyUnicode_DATA(str);

	for (i = 0; i < n; i++) {
		Py_UCS4 c = PyUnicode_READ(kind, data, i);

		if (c == 0xFEFF || Py_UNICODE_ISSPACE(c))
			continue;
		return c == '<';
	}
	return 0;
}

int rdpy_source_init(rdpy_source *s, PyObject *obj, const char *name, const char *what)
{
	int failed = 0;

	memset(s, 0, sizeof *s);
	if (PyObject_TypeCheck(obj, &rdpy_DocumentType)) {
		s->doc = ((rdpy_document *)obj)->doc;
		s->doc_obj = Py_NewRef(obj);
		return 0;
	}
	if (PyUnicode_Check(obj)) {
		if (!looks_like_xml(obj))
			return rdpy_path(obj, what, &s->path);
		s->encoded = PyUnicode_AsUTF8String(obj);
		if (s->encoded == NULL) {
			rdpy_unicode_error(what);
			return -1;
		}
		s->name = rdpy_strdup(name ? name : "<string>", &failed);
	} else if (PyBytes_Check(obj) || PyByteArray_Check(obj) || PyMemoryView_Check(obj) ||
	           (PyObject_CheckBuffer(obj) && !PyObject_HasAttrString(obj, "__fspath__"))) {
		if (PyObject_GetBuffer(obj, &s->buf, PyBUF_CONTIG_RO) < 0)
			return -1;
		s->have_buf = 1;
		s->name = rdpy_strdup(name ? name : "<bytes>", &failed);
	} else {
		return rdpy_path(obj, what, &s->path);
	}
	if (failed) {
		PyErr_NoMemory();
		return -1;
	}
	return 0;
}

int rdpy_source_init_content(rdpy_source *s, PyObject *obj, const char *name, const char *what,
                             int text)
{
	int failed = 0;

	memset(s, 0, sizeof *s);
	if (text) {
		if (!PyUnicode_Check(obj)) {
			PyErr_Format(PyExc_TypeError, "%s must be a str (the XML text), not %.80s", what,
			             Py_TYPE(obj)->tp_name);
			return -1;
		}
		s->encoded = PyUnicode_AsUTF8String(obj);
		if (s->encoded == NULL) {
			rdpy_unicode_error(what);
			return -1;
		}
		s->name = rdpy_strdup(name ? name : "<string>", &failed);
	} else {
		if (PyUnicode_Check(obj) || !PyObject_CheckBuffer(obj)) {
			PyErr_Format(PyExc_TypeError,
			             "%s must be bytes or another buffer (the XML bytes), not %.80s", what,
			             Py_TYPE(obj)->tp_name);
			return -1;
		}
		if (PyObject_GetBuffer(obj, &s->buf, PyBUF_CONTIG_RO) < 0)
			return -1;
		s->have_buf = 1;
		s->name = rdpy_strdup(name ? name : "<bytes>", &failed);
	}
	if (failed) {
		PyErr_NoMemory();
		return -1;
	}
	return 0;
}

int rdpy_source_load(rdpy_source *s, const rd_load_options *lo, rd_document **out,
                     const rd_document **use)
{
	int rc;

	*out = NULL;
	*use = NULL;
	if (s->doc) {
		*use = s->doc;
		return RD_OK;
	}
	if (s->path)
		rc = rd_document_load_file(out, s->path, lo);
	else if (s->encoded)
		rc = rd_document_load_memory(out, PyBytes_AS_STRING(s->encoded),
		                             (size_t)PyBytes_GET_SIZE(s->encoded), s->name, lo);
	else if (s->have_buf)
		rc = rd_document_load_memory(out, s->buf.buf, (size_t)s->buf.len, s->name, lo);
	else
		rc = RD_EINVAL;
	if (rc == RD_OK)
		*use = *out;
	return rc;
}

void rdpy_source_release(rdpy_source *s)
{
	free(s->path);
	free(s->name);
	if (s->have_buf)
		PyBuffer_Release(&s->buf);
	Py_XDECREF(s->encoded);
	Py_XDECREF(s->doc_obj);
	memset(s, 0, sizeof *s);
}
