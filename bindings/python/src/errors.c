/* rahdari Python bindings: the exception classes, and turning an rd_status and
 * rd_error_last() into one of them.
 *
 *   rahdari.Error                    any failure of rahdari (never a finding)
 *     InputError                     a document, table or trust store cannot be read or
 *                                    is refused (RD_ENOTFOUND, RD_EIO, RD_EUNSAFE, RD_ELIMIT)
 *       ParseError                   not well-formed XML or CSV (RD_EPARSE)
 *     RulesError                     rules that are invalid or use what rahdari does not
 *                                    implement (RD_ERULES, RD_EUNSUPPORTED)
 *     SignatureError                 a pack that must be signed is not, or not by a trusted
 *                                    certificate; a licence that does not verify (strict)
 *     ArgumentError (also ValueError) a bad argument (RD_EINVAL, an unknown phase or
 *                                    parameter)
 * RD_ENOMEM raises Python's MemoryError.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

PyObject *rdpy_Error;
PyObject *rdpy_InputError;
PyObject *rdpy_ParseError;
PyObject *rdpy_RulesError;
PyObject *rdpy_SignatureError;
PyObject *rdpy_ArgumentError;

void rdpy_error_save(rdpy_error *e, int code)
{
	const rd_error *le = rd_error_last();

	memset(e, 0, sizeof *e);
	/* the status returned is the one that counts; the slot may be older */
	e->code = code != RD_OK ? code : le->code;
	snprintf(e->message, sizeof e->message, "%s", le->message ? le->message : "error");
	if (le->file) {
		snprintf(e->file, sizeof e->file, "%s", le->file);
		e->has_file = 1;
	}
	e->line = le->line;
	e->column = le->column;
}

static PyObject *class_for(int code, int context)
{
	switch (code) {
	case RD_EPARSE:
		return context == RDPY_CTX_RULES_SIGNED ? rdpy_SignatureError : rdpy_ParseError;
	case RD_ENOTFOUND:
		return context == RDPY_CTX_CHECK ? rdpy_ArgumentError : rdpy_InputError;
	case RD_EIO:
	case RD_ELIMIT:
		return rdpy_InputError;
	case RD_EUNSAFE:
		return context == RDPY_CTX_RULES_SIGNED ? rdpy_SignatureError : rdpy_InputError;
	case RD_ERULES:
	case RD_EUNSUPPORTED:
		return rdpy_RulesError;
	case RD_EINVAL:
		return rdpy_ArgumentError;
	default:
		return rdpy_Error;
	}
}

static int set_attr_int_or_none(PyObject *exc, const char *name, int v)
{
	PyObject *o = v > 0 ? PyLong_FromLong(v) : Py_NewRef(Py_None);
	int rc;

	if (o == NULL)
		return -1;
	rc = PyObject_SetAttrString(exc, name, o);
	Py_DECREF(o);
	return rc;
}

PyObject *rdpy_raise_error(const rdpy_error *e, int context)
{
	PyObject *cls, *exc = NULL, *o;

	if (e->code == RD_ENOMEM)
		return PyErr_NoMemory();
	cls = class_for(e->code, context);
	/* a message may name a file whose name is not UTF-8: its bytes are replaced (the
	 * exact name is in .file), never a UnicodeDecodeError instead of rahdari.Error */
	o = PyUnicode_DecodeUTF8(e->message, (Py_ssize_t)strlen(e->message), "replace");
	if (o == NULL)
		return NULL;
	exc = PyObject_CallFunctionObjArgs(cls, o, NULL);
	if (exc == NULL) {
		Py_DECREF(o);
		return NULL;
	}
	if (PyObject_SetAttrString(exc, "message", o) < 0)
		goto fail;
	Py_DECREF(o);
	o = PyUnicode_FromString(rd_status_name(e->code));
	if (o == NULL || PyObject_SetAttrString(exc, "status", o) < 0)
		goto fail;
	Py_DECREF(o);
	o = PyLong_FromLong(e->code);
	if (o == NULL || PyObject_SetAttrString(exc, "code", o) < 0)
		goto fail;
	Py_DECREF(o);
	o = e->has_file ? PyUnicode_DecodeFSDefault(e->file) : Py_NewRef(Py_None);
	if (o == NULL || PyObject_SetAttrString(exc, "file", o) < 0)
		goto fail;
	Py_DECREF(o);
	o = NULL;
	if (set_attr_int_or_none(exc, "line", e->line) < 0 ||
	    set_attr_int_or_none(exc, "column", e->column) < 0)
		goto fail;
	PyErr_SetObject(cls, exc);
	Py_DECREF(exc);
	return NULL;
fail:
	Py_XDECREF(o);
	Py_DECREF(exc);
	return NULL;
}

PyObject *rdpy_raise(int code, int context)
{
	rdpy_error e;

	rdpy_error_save(&e, code);
	return rdpy_raise_error(&e, context);
}

PyObject *rdpy_argument_error(const char *fmt, ...)
{
	rdpy_error e;
	va_list ap;

	memset(&e, 0, sizeof e);
	e.code = RD_EINVAL;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	return rdpy_raise_error(&e, RDPY_CTX_INPUT);
}

static PyObject *new_class(PyObject *module, const char *name, const char *doc, PyObject *bases)
{
	PyObject *dict = NULL, *cls = NULL;
	char full[64];

	snprintf(full, sizeof full, "rahdari.%s", name);
	dict = Py_BuildValue("{s:O,s:O,s:O,s:O,s:O,s:O}", "message", Py_None, "status", Py_None,
	                     "code", Py_None, "file", Py_None, "line", Py_None, "column", Py_None);
	if (dict == NULL)
		return NULL;
	cls = PyErr_NewExceptionWithDoc(full, doc, bases, dict);
	Py_DECREF(dict);
	if (cls == NULL)
		return NULL;
	if (PyModule_AddObjectRef(module, name, cls) < 0) {
		Py_DECREF(cls);
		return NULL;
	}
	return cls;
}

int rdpy_errors_init(PyObject *module)
{
	PyObject *bases;

	rdpy_Error = new_class(
	    module, "Error",
	    "A failure of rahdari: something could not be checked (never a finding).\n\n"
	    "Attributes: message (str), status (the rd_status name, e.g. 'RD_EPARSE'), code\n"
	    "(its number), file (str or None), line and column (int, or None when unknown),\n"
	    "taken from rd_error_last() of the call that failed.",
	    PyExc_Exception);
	if (rdpy_Error == NULL)
		return -1;
	rdpy_InputError = new_class(
	    module, "InputError",
	    "A document, table, trust store or rule file could not be read, or was refused by\n"
	    "the secure loader (RD_ENOTFOUND, RD_EIO, RD_EUNSAFE: entity declarations or\n"
	    "external references, RD_ELIMIT: size or depth limits).",
	    rdpy_Error);
	if (rdpy_InputError == NULL)
		return -1;
	rdpy_ParseError = new_class(module, "ParseError",
	                            "Input that is not well-formed XML (or CSV) (RD_EPARSE); file, "
	                            "line and column say where.",
	                            rdpy_InputError);
	if (rdpy_ParseError == NULL)
		return -1;
	rdpy_RulesError = new_class(
	    module, "RulesError",
	    "Rules that cannot be compiled: a bad XPath, an unknown prefix, variable or\n"
	    "function (RD_ERULES), or a feature rahdari does not implement, such as an XSLT 2\n"
	    "query binding (RD_EUNSUPPORTED).",
	    rdpy_Error);
	if (rdpy_RulesError == NULL)
		return -1;
	rdpy_SignatureError = new_class(
	    module, "SignatureError",
	    "A signature that does not verify: rules loaded with a trust store that are not a\n"
	    "pack signed by a trusted certificate (or were altered), or a licence verified with\n"
	    "strict=True that does not verify (then .reason names why, e.g. 'revoked').",
	    rdpy_Error);
	if (rdpy_SignatureError == NULL)
		return -1;
	if (PyObject_SetAttrString(rdpy_SignatureError, "reason", Py_None) < 0)
		return -1;
	bases = PyTuple_Pack(2, rdpy_Error, PyExc_ValueError);
	if (bases == NULL)
		return -1;
	rdpy_ArgumentError = new_class(
	    module, "ArgumentError",
	    "A bad argument: a malformed date, an unknown phase or parameter, a bad option\n"
	    "value (RD_EINVAL). Also a ValueError.",
	    bases);
	Py_DECREF(bases);
	return rdpy_ArgumentError == NULL ? -1 : 0;
}
