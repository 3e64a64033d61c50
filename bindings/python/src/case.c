/* rahdari Python bindings: the options of a check (as of, language, phase, jurisdiction,
 * the case's other documents, tables, parameters, the trust store), taken from Python
 * arguments with the GIL, loaded without it, owned by one check or one audit.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stdlib.h>
#include <string.h>

void rdpy_case_init(rdpy_case *c)
{
	memset(c, 0, sizeof *c);
	rd_check_options_init(&c->co);
	rd_load_options_init(&c->lo);
}

/* The items of a mapping, or a sequence of pairs, as a list of 2-tuples. */
static PyObject *pairs_of(PyObject *obj, const char *what)
{
	PyObject *list, *it, *item;

	if (PyDict_Check(obj) || PyMapping_Check(obj)) {
		if (PyObject_HasAttrString(obj, "items")) {
			PyObject *items = PyObject_CallMethod(obj, "items", NULL);

			if (items == NULL)
				return NULL;
			list = PySequence_List(items);
			Py_DECREF(items);
			return list;
		}
	}
	list = PyList_New(0);
	if (list == NULL)
		return NULL;
	it = PyObject_GetIter(obj);
	if (it == NULL) {
		Py_DECREF(list);
		PyErr_Format(PyExc_TypeError, "%s must be a mapping or a sequence of pairs", what);
		return NULL;
	}
	while ((item = PyIter_Next(it)) != NULL) {
		if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
			Py_DECREF(item);
			Py_DECREF(it);
			Py_DECREF(list);
			PyErr_Format(PyExc_TypeError, "%s must be a mapping or a sequence of pairs", what);
			return NULL;
		}
		if (PyList_Append(list, item) < 0) {
			Py_DECREF(item);
			Py_DECREF(it);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(item);
	}
	Py_DECREF(it);
	if (PyErr_Occurred()) {
		Py_DECREF(list);
		return NULL;
	}
	return list;
}

static int key_string(PyObject *key, const char *what, char **out)
{
	if (!PyUnicode_Check(key)) {
		PyErr_Format(PyExc_TypeError, "%s: names must be str, not %.80s", what,
		             Py_TYPE(key)->tp_name);
		return -1;
	}
	if (rdpy_opt_string(key, what, out) < 0)
		return -1;
	if ((*out)[0] == '\0') {
		PyErr_Format(PyExc_ValueError, "%s: a name is empty", what);
		return -1;
	}
	return 0;
}

static int add_doc(rdpy_case *c, const char *role, PyObject *source)
{
	int failed = 0;
	size_t k = c->ndocs;

	c->roles[k] = rdpy_strdup(role, &failed);
	if (failed) {
		PyErr_NoMemory();
		return -1;
	}
	c->ndocs++;
	/* the role names the argument in messages (role is UTF-8 already) */
	{
		char what[96];

		PyOS_snprintf(what, sizeof what, "the case document '%.60s'", role);
		return rdpy_source_init(&c->sources[k], source, NULL, what);
	}
}

static int parse_docs(rdpy_case *c, PyObject *licence, PyObject *docs)
{
	PyObject *pairs = NULL;
	Py_ssize_t i, n = 0;
	size_t total;
	int rc = -1;

	if (docs != NULL && docs != Py_None) {
		pairs = pairs_of(docs, "docs");
		if (pairs == NULL)
			return -1;
		n = PyList_GET_SIZE(pairs);
	}
	total = (size_t)n + (licence != NULL && licence != Py_None ? 1 : 0);
	if (total == 0) {
		Py_XDECREF(pairs);
		return 0;
	}
	c->roles = calloc(total, sizeof *c->roles);
	c->sources = calloc(total, sizeof *c->sources);
	c->docs = calloc(total, sizeof *c->docs);
	c->case_docs = calloc(total, sizeof *c->case_docs);
	if (!c->roles || !c->sources || !c->docs || !c->case_docs) {
		PyErr_NoMemory();
		goto done;
	}
	if (licence != NULL && licence != Py_None && add_doc(c, "licence", licence) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(pairs, i);
		char *role = NULL;

		if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
			PyErr_SetString(PyExc_TypeError, "docs: give ROLE: SOURCE pairs");
			goto done;
		}
		if (key_string(PyTuple_GET_ITEM(pair, 0), "docs", &role) < 0) {
			free(role);
			goto done;
		}
		if (add_doc(c, role, PyTuple_GET_ITEM(pair, 1)) < 0) {
			free(role);
			goto done;
		}
		free(role);
	}
	rc = 0;
done:
	Py_XDECREF(pairs);
	return rc;
}

static int parse_tables(rdpy_case *c, PyObject *tables, PyObject *register_)
{
	PyObject *pairs = NULL;
	Py_ssize_t i, n = 0;
	size_t total;
	int failed = 0, rc = -1;

	if (tables != NULL && tables != Py_None) {
		pairs = pairs_of(tables, "tables");
		if (pairs == NULL)
			return -1;
		n = PyList_GET_SIZE(pairs);
	}
	total = (size_t)n + (register_ != NULL && register_ != Py_None ? 1 : 0);
	if (total == 0) {
		Py_XDECREF(pairs);
		return 0;
	}
	c->table_names = calloc(total, sizeof *c->table_names);
	c->table_paths = calloc(total, sizeof *c->table_paths);
	c->tables = calloc(total, sizeof *c->tables);
	if (!c->table_names || !c->table_paths || !c->tables) {
		PyErr_NoMemory();
		goto done;
	}
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(pairs, i);
		size_t k = c->ntables++;

		if (key_string(PyTuple_GET_ITEM(pair, 0), "tables", &c->table_names[k]) < 0 ||
		    rdpy_path(PyTuple_GET_ITEM(pair, 1), "a table", &c->table_paths[k]) < 0)
			goto done;
	}
	if (register_ != NULL && register_ != Py_None) {
		size_t k = c->ntables++;

		c->table_names[k] = rdpy_strdup("licence-register", &failed);
		if (failed) {
			PyErr_NoMemory();
			goto done;
		}
		if (rdpy_path(register_, "register", &c->table_paths[k]) < 0)
			goto done;
	}
	rc = 0;
done:
	Py_XDECREF(pairs);
	return rc;
}

static int parse_params(rdpy_case *c, PyObject *params)
{
	PyObject *pairs;
	Py_ssize_t i, n;
	int rc = -1;

	if (params == NULL || params == Py_None)
		return 0;
	pairs = pairs_of(params, "params");
	if (pairs == NULL)
		return -1;
	n = PyList_GET_SIZE(pairs);
	if (n == 0) {
		Py_DECREF(pairs);
		return 0;
	}
	c->params = calloc((size_t)n, sizeof *c->params);
	c->param_strings = calloc(2 * (size_t)n, sizeof *c->param_strings);
	if (!c->params || !c->param_strings) {
		PyErr_NoMemory();
		goto done;
	}
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(pairs, i), *value, *text;
		size_t k = c->nparams++;
		int r;

		if (key_string(PyTuple_GET_ITEM(pair, 0), "params", &c->param_strings[2 * k]) < 0)
			goto done;
		value = PyTuple_GET_ITEM(pair, 1);
		/* True and False as XPath writes them; anything else as str() writes it */
		if (value == Py_True)
			text = PyUnicode_FromString("true");
		else if (value == Py_False)
			text = PyUnicode_FromString("false");
		else
			text = PyObject_Str(value);
		if (text == NULL)
			goto done;
		r = rdpy_opt_string(text, "a parameter value", &c->param_strings[2 * k + 1]);
		Py_DECREF(text);
		if (r < 0)
			goto done;
		c->params[k].name = c->param_strings[2 * k];
		c->params[k].value = c->param_strings[2 * k + 1];
	}
	rc = 0;
done:
	Py_DECREF(pairs);
	return rc;
}

int rdpy_case_parse(rdpy_case *c, const rdpy_case_args *a)
{
	int set = 0;

	if (rdpy_opt_date(a->as_of, "as_of", c->as_of, &set) < 0)
		return -1;
	if (set)
		c->co.as_of = c->as_of;
	if (rdpy_opt_string(a->lang, "lang", &c->lang) < 0 ||
	    rdpy_opt_string(a->phase, "phase", &c->phase) < 0 ||
	    rdpy_opt_string(a->jurisdiction, "jurisdiction", &c->jurisdiction) < 0)
		return -1;
	c->co.lang = c->lang;
	c->co.phase = c->phase;
	c->co.jurisdiction = c->jurisdiction;
	if (a->xsd != NULL && a->xsd != Py_None) {
		int t = PyObject_IsTrue(a->xsd);

		if (t < 0)
			return -1;
		if (!t)
			c->co.flags |= RD_CHECK_NO_XSD;
	}
	if (a->max_size != NULL && a->max_size != Py_None) {
		unsigned long long v = PyLong_AsUnsignedLongLong(a->max_size);

		if (v == (unsigned long long)-1 && PyErr_Occurred())
			return -1;
		if (v == 0) {
			rdpy_argument_error("max_size must be a positive number of bytes");
			return -1;
		}
		c->lo.max_bytes = (size_t)v;
	}
	if (a->max_ops != NULL && a->max_ops != Py_None) {
		unsigned long v = PyLong_AsUnsignedLong(a->max_ops);

		if (v == (unsigned long)-1 && PyErr_Occurred()) {
			/* a negative or huge int is a bad value, not an overflow of ours */
			if (!PyErr_ExceptionMatches(PyExc_OverflowError))
				return -1;
			PyErr_Clear();
			v = 0;
		}
		if (v == 0) {
			rdpy_argument_error("max_ops must be a positive number of operations");
			return -1;
		}
		c->co.max_ops = v;
	}
	if (parse_docs(c, a->licence, a->docs) < 0 || parse_tables(c, a->tables, a->register_) < 0 ||
	    parse_params(c, a->params) < 0)
		return -1;
	if (a->trust != NULL && a->trust != Py_None &&
	    rdpy_trust_arg(a->trust, &c->co.trust, &c->trust_obj, &c->trust_path) < 0)
		return -1;
	return 0;
}

int rdpy_case_load(rdpy_case *c, int *context)
{
	size_t k;
	int rc;

	*context = RDPY_CTX_INPUT;
	for (k = 0; k < c->ndocs; k++) {
		const rd_document *use;

		rc = rdpy_source_load(&c->sources[k], &c->lo, &c->docs[k], &use);
		if (rc != RD_OK)
			return rc;
		c->case_docs[k].role = c->roles[k];
		c->case_docs[k].doc = use;
	}
	for (k = 0; k < c->ntables; k++) {
		rc = rd_data_table_load(&c->tables[k], c->table_names[k], c->table_paths[k]);
		if (rc != RD_OK)
			return rc;
	}
	if (c->trust_path) {
		rc = rd_trust_load(&c->own_trust, c->trust_path);
		if (rc != RD_OK)
			return rc;
		c->co.trust = c->own_trust;
	}
	c->co.docs = c->case_docs;
	c->co.ndocs = c->ndocs;
	c->co.tables = (const rd_data_table *const *)c->tables;
	c->co.ntables = c->ntables;
	c->co.params = c->params;
	c->co.nparams = c->nparams;
	return RD_OK;
}

void rdpy_case_free(rdpy_case *c)
{
	size_t k;

	for (k = 0; k < c->ndocs; k++) {
		free(c->roles[k]);
		rdpy_source_release(&c->sources[k]);
		rd_document_free(c->docs[k]);
	}
	free(c->roles);
	free(c->sources);
	free(c->docs);
	free(c->case_docs);
	for (k = 0; k < c->ntables; k++) {
		free(c->table_names[k]);
		free(c->table_paths[k]);
		rd_data_table_free(c->tables ? c->tables[k] : NULL);
	}
	free(c->table_names);
	free(c->table_paths);
	free(c->tables);
	for (k = 0; k < 2 * c->nparams; k++)
		free(c->param_strings[k]);
	free(c->param_strings);
	free(c->params);
	free(c->lang);
	free(c->phase);
	free(c->jurisdiction);
	free(c->trust_path);
	free(c->crl_path);
	rd_trust_free(c->own_trust);
	Py_XDECREF(c->trust_obj);
	rdpy_case_init(c);
}
