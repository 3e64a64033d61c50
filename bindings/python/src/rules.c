/* rahdari Python bindings: Rules (a compiled rd_rules, shared by any number of threads),
 * load_rules(), Rules.check(), and Document (a parsed rd_document, reusable).
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- load_rules */

PyObject *rdpy_load_rules(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "path",      "jurisdiction", "max_size", "max_depth",
		                  "trust",     "crl",          "base_dir", "name",
		                  NULL };
	PyObject *path = Py_None, *jurisdiction = Py_None, *max_size = Py_None, *max_depth = Py_None;
	PyObject *trust = Py_None, *crl = Py_None, *base_dir = Py_None, *name = Py_None;
	rd_load_options lo;
	rd_pack_verify_options vo;
	rdpy_source src;
	char *jur = NULL, *trust_path = NULL, *crl_path = NULL, *base = NULL, *name_s = NULL;
	const rd_trust *store = NULL;
	rd_trust *own_store = NULL;
	PyObject *trust_obj = NULL;
	rdpy_rules *result = NULL;
	rd_rules *rules = NULL;
	rdpy_error err;
	int rc = RD_OK, context = RDPY_CTX_RULES, have_src = 0;

	(void)self;
	rd_load_options_init(&lo);
	rd_pack_verify_options_init(&vo);
	memset(&src, 0, sizeof src);
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O$OOOOOOO:load_rules", RDPY_KW(kwlist), &path,
	                                 &jurisdiction, &max_size, &max_depth, &trust, &crl,
	                                 &base_dir, &name))
		return NULL;
	if (rdpy_opt_string(jurisdiction, "jurisdiction", &jur) < 0 ||
	    rdpy_opt_string(name, "name", &name_s) < 0)
		goto done;
	if (max_size != Py_None) {
		lo.max_bytes = PyLong_AsSize_t(max_size);
		if (PyErr_Occurred())
			goto done;
	}
	if (max_depth != Py_None) {
		unsigned long d = PyLong_AsUnsignedLong(max_depth);

		if (PyErr_Occurred())
			goto done;
		lo.max_depth = (unsigned int)d;
	}
	if ((trust != Py_None && rdpy_trust_arg(trust, &store, &trust_obj, &trust_path) < 0) ||
	    (crl != Py_None && rdpy_path(crl, "crl", &crl_path) < 0) ||
	    (base_dir != Py_None && rdpy_path(base_dir, "base_dir", &base) < 0))
		goto done;
	if (crl_path && !trust_path) {
		rdpy_argument_error(store ? "crl goes with the TrustStore (TrustStore(path, crl=...))"
		                          : "crl needs trust (the trust store it belongs to)");
		goto done;
	}
	if (path != Py_None) {
		if (PyObject_TypeCheck(path, &rdpy_DocumentType)) {
			PyErr_SetString(PyExc_TypeError, "rules cannot be a Document: give a path or XML");
			goto done;
		}
		if (rdpy_source_init(&src, path, name_s ? name_s : "<rules>", "rules") < 0)
			goto done;
		have_src = 1;
		if ((trust_path || store) && !src.path) {
			rdpy_argument_error("signed rules (trust=...) must be loaded from a pack directory");
			goto done;
		}
	}
	if (trust_path || store)
		context = RDPY_CTX_RULES_SIGNED;
	Py_BEGIN_ALLOW_THREADS
	if (trust_path) {
		rc = rd_trust_load(&own_store, trust_path);
		if (rc == RD_OK && crl_path)
			rc = rd_trust_add_crl(own_store, crl_path);
		store = own_store;
	}
	if (rc != RD_OK) {
		/* the trust store could not be loaded */
	} else if (!have_src) {
		rc = rd_rules_load_default_for(&rules, jur);
	} else if (src.path) {
		if (store)
			rc = rd_rules_load_signed(&rules, src.path, &lo, store, &vo);
		else
			rc = rd_rules_load(&rules, src.path, &lo);
	} else if (src.encoded) {
		rc = rd_rules_load_memory(&rules, PyBytes_AS_STRING(src.encoded),
		                          (size_t)PyBytes_GET_SIZE(src.encoded), src.name, base, &lo);
	} else {
		rc = rd_rules_load_memory(&rules, src.buf.buf, (size_t)src.buf.len, src.name, base, &lo);
	}
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, context);
		goto done;
	}
	result = PyObject_New(rdpy_rules, &rdpy_RulesType);
	if (result == NULL) {
		rd_rules_free(rules);
		goto done;
	}
	result->rules = rules;
done:
	if (have_src)
		rdpy_source_release(&src);
	rd_trust_free(own_store);
	Py_XDECREF(trust_obj);
	free(jur);
	free(trust_path);
	free(crl_path);
	free(base);
	free(name_s);
	return (PyObject *)result;
}

/* ---------------------------------------------------------------- Rules */

static void rules_dealloc(rdpy_rules *r)
{
	rd_rules_free(r->rules);
	PyObject_Free(r);
}

static PyObject *rules_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	(void)type;
	return rdpy_load_rules(NULL, args, kwargs);
}

static PyObject *rules_check(rdpy_rules *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "source", "licence", "docs",   "as_of", "lang",     "phase",
		                  "jurisdiction", "tables", "register", "params", "xsd", "trust",
		                  "max_size", "max_ops", "name", NULL };
	rdpy_case_args a;
	PyObject *source, *name = Py_None;
	rdpy_case c;
	rdpy_source src;
	rd_document *own = NULL;
	const rd_document *doc = NULL;
	rd_report *report = NULL;
	char *name_s = NULL;
	rdpy_error err;
	int rc = RD_OK, context = RDPY_CTX_INPUT;
	PyObject *result = NULL;

	memset(&a, 0, sizeof a);
	memset(&src, 0, sizeof src);
	rdpy_case_init(&c);
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OOOOOOOOOOOOOO:check", RDPY_KW(kwlist), &source,
	                                 &a.licence, &a.docs, &a.as_of, &a.lang, &a.phase,
	                                 &a.jurisdiction, &a.tables, &a.register_, &a.params, &a.xsd,
	                                 &a.trust, &a.max_size, &a.max_ops, &name))
		return NULL;
	if (rdpy_opt_string(name, "name", &name_s) < 0 || rdpy_case_parse(&c, &a) < 0 ||
	    rdpy_source_init(&src, source, name_s, "source") < 0)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = rdpy_case_load(&c, &context);
	if (rc == RD_OK)
		rc = rdpy_source_load(&src, &c.lo, &own, &doc);
	if (rc == RD_OK) {
		context = RDPY_CTX_CHECK;
		rc = rd_check(&report, self->rules, doc, &c.co);
	}
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	rd_document_free(own);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, context);
		goto done;
	}
	result = rdpy_report_new(report);
done:
	rdpy_source_release(&src);
	rdpy_case_free(&c);
	free(name_s);
	return result;
}

static PyObject *rules_audit(rdpy_rules *self, PyObject *args, PyObject *kwargs)
{
	return rdpy_audit_start(self, args, kwargs);
}

static PyObject *rules_get_field(rdpy_rules *r, void *closure)
{
	return rdpy_str(rd_rules_get(r->rules, (rd_rules_field)(Py_intptr_t)closure));
}

static PyObject *rules_get_phases(rdpy_rules *r, void *closure)
{
	size_t i, n = rd_rules_phase_count(r->rules);
	PyObject *t = PyTuple_New((Py_ssize_t)n);

	(void)closure;
	for (i = 0; t && i < n; i++) {
		PyObject *s = rdpy_str(rd_rules_phase(r->rules, i));

		if (s == NULL) {
			Py_CLEAR(t);
			break;
		}
		PyTuple_SET_ITEM(t, (Py_ssize_t)i, s);
	}
	return t;
}

static PyObject *rules_get_params(rdpy_rules *r, void *closure)
{
	size_t i, n = rd_rules_param_count(r->rules);
	PyObject *d = PyDict_New();

	(void)closure;
	for (i = 0; d && i < n; i++) {
		const char *value = NULL;
		const char *name = rd_rules_param(r->rules, i, &value);
		PyObject *v = rdpy_str(value);

		if (v == NULL || PyDict_SetItemString(d, name, v) < 0) {
			Py_XDECREF(v);
			Py_CLEAR(d);
			break;
		}
		Py_DECREF(v);
	}
	return d;
}

static PyObject *assertion_dict(const rd_assertion *as)
{
	static const struct {
		const char *key;
		int field;
	} keys[] = {
		{ "id", RD_FIELD_RULE },
		{ "pattern", RD_FIELD_PATTERN },
		{ "context", RD_FIELD_CONTEXT },
		{ "test", RD_FIELD_TEST },
		{ "message", RD_FIELD_MESSAGE },
		{ "cite", RD_FIELD_CITE },
		{ "tags", RD_FIELD_TAGS },
		{ "confidence", RD_FIELD_CONFIDENCE },
		{ "jurisdiction", RD_FIELD_JURISDICTION },
		{ "effective_from", RD_FIELD_EFFECTIVE_FROM },
		{ "effective_to", RD_FIELD_EFFECTIVE_TO },
		{ "role", RD_FIELD_ROLE },
		{ "flag", RD_FIELD_FLAG },
		{ "see", RD_FIELD_SEE },
		{ "source_file", RD_FIELD_SOURCE },
		{ "rule_id", RD_FIELD_RULE_ID },
	};
	PyObject *d = PyDict_New(), *v;
	size_t i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = rdpy_str(rd_assertion_get(as, (rd_field)keys[i].field));
		if (v == NULL || PyDict_SetItemString(d, keys[i].key, v) < 0)
			goto fail;
		Py_DECREF(v);
	}
	v = PyUnicode_FromString(rd_kind_name(rd_assertion_kind(as)));
	if (v == NULL || PyDict_SetItemString(d, "kind", v) < 0)
		goto fail;
	Py_DECREF(v);
	v = PyUnicode_FromString(rd_severity_name(rd_assertion_severity(as)));
	if (v == NULL || PyDict_SetItemString(d, "severity", v) < 0)
		goto fail;
	Py_DECREF(v);
	v = PyLong_FromLong(rd_assertion_line(as));
	if (v == NULL || PyDict_SetItemString(d, "line", v) < 0)
		goto fail;
	Py_DECREF(v);
	v = PyBool_FromLong(rd_assertion_has_lang(as, "ur"));
	if (v == NULL || PyDict_SetItemString(d, "has_urdu", v) < 0)
		goto fail;
	Py_DECREF(v);
	return d;
fail:
	Py_XDECREF(v);
	Py_DECREF(d);
	return NULL;
}

static PyObject *rules_assertions(rdpy_rules *r, PyObject *unused)
{
	size_t i, n = rd_rules_assertion_count(r->rules);
	PyObject *list = PyList_New((Py_ssize_t)n);

	(void)unused;
	for (i = 0; list && i < n; i++) {
		PyObject *d = assertion_dict(rd_rules_assertion(r->rules, i));

		if (d == NULL) {
			Py_CLEAR(list);
			break;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, d);
	}
	return list;
}

static PyObject *rules_has_phase(rdpy_rules *r, PyObject *arg)
{
	const char *s = PyUnicode_Check(arg) ? rdpy_utf8(arg, "phase", NULL) : NULL;

	if (s == NULL) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError, "a phase id is a str");
		return NULL;
	}
	return PyBool_FromLong(rd_rules_has_phase(r->rules, s));
}

static PyObject *rules_repr(rdpy_rules *r)
{
	const char *id = rd_rules_get(r->rules, RD_RULES_ID);
	const char *version = rd_rules_get(r->rules, RD_RULES_VERSION);
	const char *path = rd_rules_get(r->rules, RD_RULES_PATH);

	return PyUnicode_FromFormat("<rahdari.Rules %s %s from %s, %zu assertions>", id ? id : "?",
	                            version ? version : "(no version)", path ? path : "?",
	                            rd_rules_assertion_count(r->rules));
}

#define RULESFIELD(name, field, doc) \
	{ name, (getter)rules_get_field, NULL, doc, (void *)(Py_intptr_t)(field) }

static PyGetSetDef rules_getset[] = {
	RULESFIELD("id", RD_RULES_ID, "The pack id, the schema's id, or the file name."),
	RULESFIELD("version", RD_RULES_VERSION, "The pack version or schemaVersion, or None."),
	RULESFIELD("title", RD_RULES_TITLE, "The title, or None."),
	RULESFIELD("path", RD_RULES_PATH,
	           "Where the rules came from ('(embedded)' for the default pack)."),
	RULESFIELD("jurisdiction", RD_RULES_JURISDICTION, "The pack's jurisdiction, or None."),
	RULESFIELD("effective", RD_RULES_EFFECTIVE, "The pack's effective date, or None."),
	RULESFIELD("default_phase", RD_RULES_DEFAULT_PHASE, "The defaultPhase, or None."),
	{ "phases", (getter)rules_get_phases, NULL, "The phases declared (a tuple of ids).", NULL },
	{ "params", (getter)rules_get_params, NULL,
	  "The parameters a check may set (params=...): {name: default expression}.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef rules_methods[] = {
	{ "check", (PyCFunction)(void (*)(void))rules_check, METH_VARARGS | METH_KEYWORDS,
	  "check(source, *, licence=None, docs=None, as_of=None, lang='en', phase=None,\n"
	  "      jurisdiction=None, tables=None, register=None, params=None, xsd=True,\n"
	  "      trust=None, max_size=None, max_ops=None, name=None) -> Report\n\n"
	  "Check one document and return its Report (findings are not errors).\n\n"
	  "source: a path (str or os.PathLike), XML bytes, a str of XML (a str is XML when\n"
	  "its first character after white space is '<', else a path), or a Document.\n"
	  "A str that does not start with '<' is OPENED AS A FILE: for input from users,\n"
	  "pass Document.from_string(text) or Document.from_bytes(data), never a str.\n"
	  "licence: the selling agency's licence (role 'licence'), as a source. docs: other\n"
	  "documents of the case, {role: source}. as_of: the date the rules take as today\n"
	  "('YYYY-MM-DD' or datetime.date; default today). lang: message language. phase:\n"
	  "a phase id or '#ALL'. jurisdiction: run only rules for it and its parents.\n"
	  "tables: {name: CSV path}; register: a licence register (the table\n"
	  "'licence-register'). params: {name: value} for the rules' parameters. xsd=False\n"
	  "skips the XML Schema validation. trust: a licence.TrustStore (or a path) against\n"
	  "which the case's licences are verified. max_size: refuse larger documents.\n"
	  "max_ops: the evaluation budget in XPath operations (default 20,000,000; a\n"
	  "document that needs more gets an evaluation-error finding). name: the document's\n"
	  "name for XML given in memory.\n\n"
	  "Raises InputError/ParseError when a document cannot be read, ArgumentError for a\n"
	  "bad option. The GIL is released while the document is parsed and checked." },
	{ "audit", (PyCFunction)(void (*)(void))rules_audit, METH_VARARGS | METH_KEYWORDS,
	  "audit(source, *, record=None, carry=None, jobs=None, as_of=None, lang='en',\n"
	  "      phase=None, jurisdiction=None, licence=None, docs=None, tables=None,\n"
	  "      register=None, params=None, xsd=True, trust=None, facets=None,\n"
	  "      max_size=None, max_ops=None, buffer=64, jsonl=False, name=None) -> Audit\n\n"
	  "Audit a submission record by record (the C library's rd_audit_*): an iterator of\n"
	  "AuditRecord in input order, fed by a background thread through a bounded queue.\n"
	  "See rahdari.Audit." },
	{ "assertions", (PyCFunction)rules_assertions, METH_NOARGS,
	  "assertions() -> list[dict]\n\nEvery concrete assert and report: id, kind, severity, "
	  "message (English template), cite, tags, pattern, context, test, confidence, "
	  "jurisdiction, effective_from, effective_to, role, flag, see, source_file, line, "
	  "rule_id, has_urdu." },
	{ "has_phase", (PyCFunction)rules_has_phase, METH_O,
	  "has_phase(id) -> bool\n\nTrue when the phase exists ('#ALL' and '#DEFAULT' always "
	  "do)." },
	{ NULL, NULL, 0, NULL },
};

PyTypeObject rdpy_RulesType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.Rules",
	.tp_basicsize = sizeof(rdpy_rules),
	.tp_dealloc = (destructor)rules_dealloc,
	.tp_repr = (reprfunc)rules_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "A compiled rule set (ISO Schematron schema or rule pack). Immutable: one Rules\n"
	          "object may be used by any number of threads at once. Rules(...) is\n"
	          "load_rules(...).",
	.tp_methods = rules_methods,
	.tp_getset = rules_getset,
	.tp_new = rules_new,
};

/* ---------------------------------------------------------------- Document */

/* What a Document is made from: anything a check takes (a str that does not start with
 * '<' is a path), or, for from_string() and from_bytes(), the text or bytes of the
 * document alone: user input that must never name a file. */
enum { DOC_ANY, DOC_TEXT, DOC_BYTES };

static PyObject *document_make(PyTypeObject *type, PyObject *source, PyObject *name,
                               PyObject *max_size, int kind)
{
	rd_load_options lo;
	rdpy_source src;
	rd_document *own = NULL;
	const rd_document *use = NULL;
	rdpy_document *d = NULL;
	char *name_s = NULL;
	rdpy_error err;
	int rc;

	rd_load_options_init(&lo);
	memset(&src, 0, sizeof src);
	if (kind == DOC_ANY && PyObject_TypeCheck(source, &rdpy_DocumentType))
		return Py_NewRef(source);
	if (max_size != Py_None) {
		lo.max_bytes = PyLong_AsSize_t(max_size);
		if (PyErr_Occurred())
			return NULL;
	}
	if (rdpy_opt_string(name, "name", &name_s) < 0)
		goto done;
	if (kind == DOC_ANY)
		rc = rdpy_source_init(&src, source, name_s, "source");
	else
		rc = rdpy_source_init_content(&src, source, name_s, kind == DOC_TEXT ? "text" : "data",
		                              kind == DOC_TEXT);
	if (rc < 0)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = rdpy_source_load(&src, &lo, &own, &use);
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, RDPY_CTX_INPUT);
		goto done;
	}
	d = (rdpy_document *)type->tp_alloc(type, 0);
	if (d == NULL) {
		rd_document_free(own);
		goto done;
	}
	d->doc = own;
done:
	rdpy_source_release(&src);
	free(name_s);
	return (PyObject *)d;
}

static PyObject *document_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "source", "name", "max_size", NULL };
	PyObject *source, *name = Py_None, *max_size = Py_None;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OO:Document", RDPY_KW(kwlist), &source, &name,
	                                 &max_size))
		return NULL;
	return document_make(type, source, name, max_size, DOC_ANY);
}

static PyObject *document_from_string(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "text", "name", "max_size", NULL };
	PyObject *text, *name = Py_None, *max_size = Py_None;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OO:from_string", RDPY_KW(kwlist), &text,
	                                 &name, &max_size))
		return NULL;
	return document_make(type, text, name, max_size, DOC_TEXT);
}

static PyObject *document_from_bytes(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "data", "name", "max_size", NULL };
	PyObject *data, *name = Py_None, *max_size = Py_None;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OO:from_bytes", RDPY_KW(kwlist), &data,
	                                 &name, &max_size))
		return NULL;
	return document_make(type, data, name, max_size, DOC_BYTES);
}

static PyMethodDef document_methods[] = {
	{ "from_string", (PyCFunction)(void (*)(void))document_from_string,
	  METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	  "from_string(text, *, name=None, max_size=None) -> Document\n\n"
	  "Parse text (a str) as the XML document itself, whatever it looks like: never a\n"
	  "path, never a file opened. For text from users (a server, a form). It is encoded\n"
	  "as UTF-8, so it must not declare another encoding. name (default '<string>')\n"
	  "names it in findings and errors." },
	{ "from_bytes", (PyCFunction)(void (*)(void))document_from_bytes,
	  METH_VARARGS | METH_KEYWORDS | METH_CLASS,
	  "from_bytes(data, *, name=None, max_size=None) -> Document\n\n"
	  "Parse data (bytes, bytearray, memoryview or another buffer) as the XML document\n"
	  "itself: never a path, never a file opened. name (default '<bytes>') names it in\n"
	  "findings and errors." },
	{ NULL, NULL, 0, NULL },
};

static void document_dealloc(rdpy_document *d)
{
	rd_document_free(d->doc);
	Py_TYPE(d)->tp_free((PyObject *)d);
}

static PyObject *document_get(rdpy_document *d, void *closure)
{
	switch ((int)(Py_intptr_t)closure) {
	case 0: return rdpy_str(rd_document_name(d->doc));
	case 1: return rdpy_str(rd_document_sha256(d->doc));
	case 2: return rdpy_str(rd_document_root_name(d->doc));
	default: return rdpy_str(rd_document_root_namespace(d->doc));
	}
}

static PyObject *document_repr(rdpy_document *d)
{
	return PyUnicode_FromFormat("<rahdari.Document %s (%s)>", rd_document_name(d->doc),
	                            rd_document_root_name(d->doc));
}

static PyGetSetDef document_getset[] = {
	{ "name", (getter)document_get, NULL, "The path, or the name given.", (void *)0 },
	{ "sha256", (getter)document_get, NULL, "SHA-256 of the document's bytes.", (void *)1 },
	{ "root", (getter)document_get, NULL, "The local name of the root element.", (void *)2 },
	{ "namespace", (getter)document_get, NULL, "The root element's namespace URI, or None.",
	  (void *)3 },
	{ NULL, NULL, NULL, NULL, NULL },
};

PyTypeObject rdpy_DocumentType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.Document",
	.tp_basicsize = sizeof(rdpy_document),
	.tp_dealloc = (destructor)document_dealloc,
	.tp_repr = (reprfunc)document_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Document(source, *, name=None, max_size=None)\n\n"
	          "An XML document parsed once by rahdari's secure loader (no network, no DTD, no\n"
	          "entities), to check several times or to give as a case document. Read-only:\n"
	          "several threads may check the same Document. source is as for Rules.check():\n"
	          "a str that does not start with '<' (after white space) is a PATH, and that file\n"
	          "is read. For input from users, use Document.from_string() or\n"
	          "Document.from_bytes(), which never open a file.",
	.tp_methods = document_methods,
	.tp_getset = document_getset,
	.tp_new = document_new,
};
