/* rahdari Python bindings: the extension module rahdari._rahdari.
 *
 * The package rahdari (bindings/python/rahdari/) re-exports what is here and adds the
 * pure-Python parts (rahdari.mrz, rahdari.licence). See doc/python.md.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

/* PyMODINIT_FUNC declares it with default visibility; this prototype keeps
 * -Wmissing-prototypes quiet. */
PyMODINIT_FUNC PyInit__rahdari(void);

static PyObject *py_render(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "reports", "format", "color", "quiet", NULL };
	PyObject *reports, *format = NULL;
	int fmt = RD_FORMAT_JSON, color = 0, quiet = 0;

	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O$pp:render", RDPY_KW(kwlist), &reports, &format,
	                                 &color, &quiet))
		return NULL;
	if (format != NULL && rdpy_format_from(format, &fmt) < 0)
		return NULL;
	return rdpy_render(reports, fmt, (color ? RD_WRITE_COLOR : 0u) | (quiet ? RD_WRITE_QUIET : 0u));
}

static PyObject *py_library_version(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return Py_BuildValue("{s:s,s:i,s:s,s:s}", "rahdari", rd_version(), "number",
	                     rd_version_number(), "libxml2", rd_version_libxml2(), "openssl",
	                     rd_version_openssl());
}

static PyObject *py_status_name(PyObject *self, PyObject *arg)
{
	long code = PyLong_AsLong(arg);

	(void)self;
	if (code == -1 && PyErr_Occurred())
		return NULL;
	return PyUnicode_FromString(rd_status_name((int)code));
}

static PyMethodDef module_methods[] = {
	{ "load_rules", (PyCFunction)(void (*)(void))rdpy_load_rules, METH_VARARGS | METH_KEYWORDS,
	  "load_rules(path=None, *, jurisdiction=None, max_size=None, max_depth=None,\n"
	  "           trust=None, crl=None, base_dir=None, name=None) -> Rules\n\n"
	  "Load and compile rules: a Schematron file (.sch), a rule pack directory or its\n"
	  "pack.xml; a Schematron schema as XML (bytes, or a str starting with '<'; includes\n"
	  "and tables resolved against base_dir); or, with path=None, the pack embedded in the\n"
	  "library (with jurisdiction='PK-PB': the Punjab overlay on the federal pack). With\n"
	  "trust (a PEM file or directory of trusted certificates, and crl), the rules must be\n"
	  "a pack signed by a trusted certificate, or SignatureError is raised. The GIL is\n"
	  "released while the rules compile. Raises RulesError, ParseError, InputError." },
	{ "render", (PyCFunction)(void (*)(void))py_render, METH_VARARGS | METH_KEYWORDS,
	  "render(reports, format='json', *, color=False, quiet=False) -> str\n\n"
	  "Several reports in one output, as `rahdari check --format FORMAT FILE...` writes\n"
	  "them: format is 'text', 'json', 'jsonl' or 'svrl'." },
	{ "library_version", py_library_version, METH_NOARGS,
	  "library_version() -> dict\n\nThe library actually loaded: {'rahdari', 'number', "
	  "'libxml2', 'openssl'}." },
	{ "status_name", py_status_name, METH_O,
	  "status_name(code) -> str\n\nThe name of an rd_status code, e.g. 'RD_EPARSE'." },
	{ "mrz_parse", (PyCFunction)(void (*)(void))rdpy_mrz_parse, METH_VARARGS | METH_KEYWORDS,
	  "mrz_parse(text, as_of=None) -> (json, name_truncated)\n\nrd_mrz_parse() and "
	  "rd_mrz_to_json(): use rahdari.mrz.parse()." },
	{ "mrz_check_digit", rdpy_mrz_check_digit, METH_O,
	  "mrz_check_digit(s) -> str | None\n\nThe ICAO 9303 check digit of s, or None when s "
	  "has a character outside A-Z, 0-9 and '<'." },
	{ "mrz_known_code", rdpy_mrz_known_code, METH_O,
	  "mrz_known_code(code) -> bool\n\nWhether a code is a known issuing state or "
	  "nationality." },
	{ "name_to_mrz", (PyCFunction)(void (*)(void))rdpy_name_to_mrz, METH_VARARGS | METH_KEYWORDS,
	  "name_to_mrz(surname, given=None) -> str\n\nA printed name as an MRZ name field holds "
	  "it: 'SURNAME<<GIVEN<NAMES'." },
	{ "name_matches", rdpy_name_matches, METH_VARARGS,
	  "name_matches(printed, mrz_name) -> bool\n\nWhether a printed name and an MRZ name "
	  "field name the same person." },
	{ "cnic", rdpy_cnic_parse, METH_O,
	  "cnic(text) -> dict\n\nA Pakistani CNIC number: valid, digits, formatted, "
	  "province_digit, province, gender, error." },
	{ "licence_verify", (PyCFunction)(void (*)(void))rdpy_licence_verify,
	  METH_VARARGS | METH_KEYWORDS,
	  "licence_verify(source, trust, *, crl=None, as_of=None, allow_weak=False,\n"
	  "               max_size=None, name=None) -> dict\n\nrd_licence_verify(): use "
	  "rahdari.licence.verify()." },
	{ "_restore_finding", rdpy_restore_finding, METH_O, "Unpickle a Finding." },
	{ "_restore_record", rdpy_restore_record, METH_O, "Unpickle an AuditRecord." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "rahdari._rahdari",
	.m_doc = "The C extension of rahdari's Python bindings, over librahdari's public API.\n"
	         "Import rahdari, not this module.",
	.m_size = -1,
	.m_methods = module_methods,
};

static int add_type(PyObject *m, PyTypeObject *type, const char *name)
{
	if (PyType_Ready(type) < 0)
		return -1;
	return PyModule_AddObjectRef(m, name, (PyObject *)type);
}

PyMODINIT_FUNC PyInit__rahdari(void)
{
	PyObject *m = PyModule_Create(&module_def);

	if (m == NULL)
		return NULL;
	if (rdpy_errors_init(m) < 0 || add_type(m, &rdpy_RulesType, "Rules") < 0 ||
	    add_type(m, &rdpy_DocumentType, "Document") < 0 ||
	    add_type(m, &rdpy_ReportType, "Report") < 0 ||
	    add_type(m, &rdpy_FindingType, "Finding") < 0 ||
	    add_type(m, &rdpy_AuditType, "Audit") < 0 ||
	    add_type(m, &rdpy_AuditRecordType, "AuditRecord") < 0 ||
	    add_type(m, &rdpy_TrustStoreType, "TrustStore") < 0 ||
	    PyModule_AddStringConstant(m, "__version__", RD_VERSION_STRING) < 0 ||
	    PyModule_AddStringConstant(m, "HEADERS_VERSION", RD_VERSION_STRING) < 0 ||
	    PyModule_AddIntConstant(m, "RD_OK", RD_OK) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ERROR", RD_ERROR) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ENOMEM", RD_ENOMEM) < 0 ||
	    PyModule_AddIntConstant(m, "RD_EINVAL", RD_EINVAL) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ENOTFOUND", RD_ENOTFOUND) < 0 ||
	    PyModule_AddIntConstant(m, "RD_EIO", RD_EIO) < 0 ||
	    PyModule_AddIntConstant(m, "RD_EPARSE", RD_EPARSE) < 0 ||
	    PyModule_AddIntConstant(m, "RD_EUNSAFE", RD_EUNSAFE) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ELIMIT", RD_ELIMIT) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ERULES", RD_ERULES) < 0 ||
	    PyModule_AddIntConstant(m, "RD_EUNSUPPORTED", RD_EUNSUPPORTED) < 0 ||
	    PyModule_AddIntConstant(m, "RD_ESTOPPED", RD_ESTOPPED) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
