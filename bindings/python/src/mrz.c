/* rahdari Python bindings: ICAO 9303 machine-readable zones, CNICs and MRZ names
 * (<rahdari/mrz.h>, <rahdari/identity.h>). rahdari.mrz builds its objects on these.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <string.h>

PyObject *rdpy_mrz_parse(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "text", "as_of", NULL };
	rd_mrz_options opts;
	PyObject *as_of = Py_None, *result = NULL, *json = NULL, *text_obj;
	const char *text;
	Py_ssize_t len;
	rd_mrz *mrz = NULL;
	char date[11], *out = NULL;
	size_t out_len = 0;
	int set = 0, rc, truncated = 0;
	rdpy_error err;

	(void)self;
	rd_mrz_options_init(&opts);
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "U|O:mrz_parse", RDPY_KW(kwlist), &text_obj,
	                                 &as_of))
		return NULL;
	if ((text = rdpy_utf8(text_obj, "text", &len)) == NULL)
		return NULL;
	if (rdpy_opt_date(as_of, "as_of", date, &set) < 0)
		return NULL;
	if (set)
		opts.as_of = date;
	Py_BEGIN_ALLOW_THREADS
	rc = rd_mrz_parse(&mrz, text, (size_t)len, &opts);
	if (rc == RD_OK)
		rc = rd_mrz_to_json(&out, &out_len, mrz);
	if (rc == RD_OK)
		truncated = rd_mrz_name_truncated(mrz);
	else
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, RDPY_CTX_INPUT);
		goto done;
	}
	json = PyUnicode_DecodeUTF8(out, (Py_ssize_t)out_len, "replace");
	if (json == NULL)
		goto done;
	result = Py_BuildValue("(OO)", json, truncated ? Py_True : Py_False);
done:
	Py_XDECREF(json);
	rd_free(out);
	rd_mrz_free(mrz);
	return result;
}

PyObject *rdpy_mrz_check_digit(PyObject *self, PyObject *arg)
{
	const char *s;
	Py_ssize_t len;
	char d;

	(void)self;
	if (!PyUnicode_Check(arg)) {
		PyErr_SetString(PyExc_TypeError, "check_digit() takes a str");
		return NULL;
	}
	s = rdpy_utf8(arg, "text", &len);
	if (s == NULL)
		return NULL;
	d = rd_mrz_check_digit(s, (size_t)len);
	if (d == 0)
		Py_RETURN_NONE;
	return PyUnicode_FromStringAndSize(&d, 1);
}

PyObject *rdpy_mrz_known_code(PyObject *self, PyObject *arg)
{
	const char *s;

	(void)self;
	if (!PyUnicode_Check(arg) || (s = rdpy_utf8(arg, "code", NULL)) == NULL) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError, "known_code() takes a str");
		return NULL;
	}
	return PyBool_FromLong(rd_mrz_known_code(s));
}

PyObject *rdpy_name_to_mrz(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "surname", "given", NULL };
	const char *surname = NULL, *given = NULL;
	PyObject *surname_obj = Py_None, *given_obj = Py_None;
	char *out = NULL;
	PyObject *result;
	int rc;

	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:name_to_mrz", RDPY_KW(kwlist), &surname_obj,
	                                 &given_obj))
		return NULL;
	if ((surname_obj != Py_None && !PyUnicode_Check(surname_obj)) ||
	    (given_obj != Py_None && !PyUnicode_Check(given_obj))) {
		PyErr_SetString(PyExc_TypeError, "name_to_mrz() takes str or None");
		return NULL;
	}
	if ((surname_obj != Py_None && (surname = rdpy_utf8(surname_obj, "surname", NULL)) == NULL) ||
	    (given_obj != Py_None && (given = rdpy_utf8(given_obj, "given", NULL)) == NULL))
		return NULL;
	rc = rd_name_to_mrz(&out, surname, given);
	if (rc != RD_OK)
		return rdpy_raise(rc, RDPY_CTX_INPUT);
	result = rdpy_str(out);
	rd_free(out);
	return result;
}

PyObject *rdpy_name_matches(PyObject *self, PyObject *args)
{
	const char *printed, *mrz_name;
	PyObject *printed_obj, *mrz_name_obj;

	(void)self;
	if (!PyArg_ParseTuple(args, "UU:name_matches", &printed_obj, &mrz_name_obj))
		return NULL;
	if ((printed = rdpy_utf8(printed_obj, "printed", NULL)) == NULL ||
	    (mrz_name = rdpy_utf8(mrz_name_obj, "mrz_name", NULL)) == NULL)
		return NULL;
	return PyBool_FromLong(rd_name_matches(printed, mrz_name));
}

PyObject *rdpy_cnic_parse(PyObject *self, PyObject *arg)
{
	rd_cnic c = RD_CNIC_INIT;
	const char *s;

	(void)self;
	if (!PyUnicode_Check(arg) || (s = rdpy_utf8(arg, "text", NULL)) == NULL) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError, "cnic() takes a str");
		return NULL;
	}
	rd_cnic_parse(s, &c);
	return Py_BuildValue(
	    "{s:N,s:s,s:s,s:N,s:N,s:N,s:N}", "valid", PyBool_FromLong(c.valid), "digits", c.digits,
	    "formatted", c.formatted, "province_digit",
	    c.province_digit >= 0 ? PyLong_FromLong(c.province_digit) : Py_NewRef(Py_None),
	    "province", c.province ? PyUnicode_FromString(c.province) : Py_NewRef(Py_None), "gender",
	    c.gender ? PyUnicode_FromStringAndSize(&c.gender, 1) : Py_NewRef(Py_None), "error",
	    c.error ? PyUnicode_FromString(c.error) : Py_NewRef(Py_None));
}
