/* rahdari Python bindings: the regulator's trust store (TrustStore, an rd_trust) and the
 * verification of signed licences (rd_licence_verify()). rahdari.licence builds its
 * objects on these.
 * SPDX-License-Identifier: MIT */
#include "rdpy.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- TrustStore */

/* Paths of CRLs: None, one path, or a sequence of paths, as a NULL-terminated array. */
static int crl_paths(PyObject *crl, char ***out)
{
	PyObject *seq;
	Py_ssize_t i, n;
	char **v;

	*out = NULL;
	if (crl == NULL || crl == Py_None)
		return 0;
	if (PyUnicode_Check(crl) || PyBytes_Check(crl) || PyObject_HasAttrString(crl, "__fspath__")) {
		v = calloc(2, sizeof *v);
		if (v == NULL) {
			PyErr_NoMemory();
			return -1;
		}
		*out = v;
		return rdpy_path(crl, "crl", &v[0]);
	}
	seq = PySequence_Fast(crl, "crl must be a path or a sequence of paths");
	if (seq == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(seq);
	v = calloc((size_t)n + 1, sizeof *v);
	if (v == NULL) {
		Py_DECREF(seq);
		PyErr_NoMemory();
		return -1;
	}
	*out = v;
	for (i = 0; i < n; i++) {
		if (rdpy_path(PySequence_Fast_GET_ITEM(seq, i), "crl", &v[i]) < 0) {
			Py_DECREF(seq);
			return -1;
		}
	}
	Py_DECREF(seq);
	return 0;
}

static void free_paths(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int rdpy_trust_arg(PyObject *arg, const rd_trust **store, PyObject **obj, char **path)
{
	if (PyObject_TypeCheck(arg, &rdpy_TrustStoreType)) {
		*store = ((rdpy_trust *)arg)->trust;
		if (obj)
			*obj = Py_NewRef(arg);
		return 0;
	}
	return rdpy_path(arg, "trust", path);
}

/* Load a store and its CRLs (no GIL). */
static int load_store(rd_trust **out, const char *path, char **crls)
{
	size_t i;
	int rc = rd_trust_load(out, path);

	for (i = 0; rc == RD_OK && crls && crls[i]; i++)
		rc = rd_trust_add_crl(*out, crls[i]);
	if (rc != RD_OK) {
		rd_trust_free(*out);
		*out = NULL;
	}
	return rc;
}

static PyObject *trust_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "path", "crl", NULL };
	PyObject *path, *crl = Py_None;
	char *path_s = NULL, **crls = NULL;
	rd_trust *trust = NULL;
	rdpy_trust *t = NULL;
	rdpy_error err;
	int rc;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:TrustStore", RDPY_KW(kwlist), &path, &crl))
		return NULL;
	if (rdpy_path(path, "path", &path_s) < 0 || crl_paths(crl, &crls) < 0)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = load_store(&trust, path_s, crls);
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, RDPY_CTX_INPUT);
		goto done;
	}
	t = (rdpy_trust *)type->tp_alloc(type, 0);
	if (t == NULL) {
		rd_trust_free(trust);
		goto done;
	}
	t->trust = trust;
done:
	free(path_s);
	free_paths(crls);
	return (PyObject *)t;
}

static void trust_dealloc(rdpy_trust *t)
{
	rd_trust_free(t->trust);
	Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyObject *trust_add_crl(rdpy_trust *t, PyObject *arg)
{
	char *path = NULL;
	rdpy_error err;
	int rc;

	if (rdpy_path(arg, "crl", &path) < 0)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = rd_trust_add_crl(t->trust, path);
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	free(path);
	if (rc != RD_OK)
		return rdpy_raise_error(&err, RDPY_CTX_INPUT);
	Py_RETURN_NONE;
}

static PyObject *trust_get_counts(rdpy_trust *t, void *closure)
{
	return PyLong_FromSize_t(closure ? rd_trust_crl_count(t->trust)
	                                 : rd_trust_cert_count(t->trust));
}

static PyObject *trust_repr(rdpy_trust *t)
{
	return PyUnicode_FromFormat("<rahdari.licence.TrustStore: %zu certificates, %zu CRLs>",
	                            rd_trust_cert_count(t->trust), rd_trust_crl_count(t->trust));
}

static PyMethodDef trust_methods[] = {
	{ "add_crl", (PyCFunction)trust_add_crl, METH_O,
	  "add_crl(path)\n\nAdd certificate revocation lists (PEM, one or more, or one DER). Not "
	  "while other threads verify with this store." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef trust_getset[] = {
	{ "cert_count", (getter)trust_get_counts, NULL, "Trusted certificates in the store.", NULL },
	{ "crl_count", (getter)trust_get_counts, NULL, "CRLs in the store.", (void *)1 },
	{ NULL, NULL, NULL, NULL, NULL },
};

PyTypeObject rdpy_TrustStoreType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "rahdari.licence.TrustStore",
	.tp_basicsize = sizeof(rdpy_trust),
	.tp_dealloc = (destructor)trust_dealloc,
	.tp_repr = (reprfunc)trust_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "TrustStore(path, crl=None)\n\n"
	          "A regulator's trust store: a PEM file of certificates (or a DER one), or a\n"
	          "directory of *.pem, *.crt, *.cer files; every certificate is a trust anchor.\n"
	          "crl: a path or a sequence of paths of CRLs. Once loaded it may serve any number\n"
	          "of threads (but for add_crl()).",
	.tp_methods = trust_methods,
	.tp_getset = trust_getset,
	.tp_new = trust_new,
};

/* ---------------------------------------------------------------- verify */

static int set_str(PyObject *d, const char *key, const char *value)
{
	PyObject *v = rdpy_str(value);
	int rc;

	if (v == NULL)
		return -1;
	rc = PyDict_SetItemString(d, key, v);
	Py_DECREF(v);
	return rc;
}

/* d[key] = a list of the n strings get(r, 0..n-1). 0, or -1 with an exception. */
static int set_list(PyObject *d, const char *key, const rd_verify_result *r, size_t n,
                    const char *(*get)(const rd_verify_result *, size_t))
{
	PyObject *list = PyList_New(0);
	size_t i;
	int rc;

	for (i = 0; list && i < n; i++) {
		PyObject *v = rdpy_str(get(r, i));

		if (v == NULL || PyList_Append(list, v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(list);
			return -1;
		}
		Py_DECREF(v);
	}
	if (list == NULL)
		return -1;
	rc = PyDict_SetItemString(d, key, list);
	Py_DECREF(list);
	return rc;
}

static PyObject *result_dict(const rd_verify_result *r)
{
	static const struct {
		const char *key;
		rd_verify_field field;
	} fields[] = {
		{ "document", RD_VERIFY_DOCUMENT },
		{ "sha256", RD_VERIFY_SHA256 },
		{ "subject", RD_VERIFY_SUBJECT },
		{ "issuer", RD_VERIFY_ISSUER },
		{ "serial", RD_VERIFY_SERIAL },
		{ "not_before", RD_VERIFY_NOT_BEFORE },
		{ "not_after", RD_VERIFY_NOT_AFTER },
		{ "key", RD_VERIFY_KEY },
		{ "signature_method", RD_VERIFY_SIGNATURE_METHOD },
		{ "digest_method", RD_VERIFY_DIGEST_METHOD },
		{ "anchor", RD_VERIFY_ANCHOR },
		{ "checked_at", RD_VERIFY_CHECKED_AT },
	};
	PyObject *d = PyDict_New(), *v;
	size_t i;

	if (d == NULL)
		return NULL;
	v = PyBool_FromLong(rd_verify_result_ok(r));
	if (PyDict_SetItemString(d, "ok", v) < 0)
		goto fail;
	Py_DECREF(v);
	v = PyLong_FromLong(rd_verify_result_status(r));
	if (v == NULL || PyDict_SetItemString(d, "code", v) < 0)
		goto fail;
	Py_DECREF(v);
	v = NULL;
	if (set_str(d, "reason", rd_sig_status_name(rd_verify_result_status(r))) < 0 ||
	    set_str(d, "message", rd_verify_result_message(r)) < 0)
		goto fail;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (set_str(d, fields[i].key, rd_verify_result_get(r, fields[i].field)) < 0)
			goto fail;
	if (set_list(d, "warnings", r, rd_verify_result_warning_count(r), rd_verify_result_warning) < 0 ||
	    set_list(d, "chain", r, rd_verify_result_chain_count(r), rd_verify_result_chain) < 0)
		goto fail;
	return d;
fail:
	Py_XDECREF(v);
	Py_DECREF(d);
	return NULL;
}

PyObject *rdpy_licence_verify(PyObject *self, PyObject *args, PyObject *kwargs)
{
	static const char *const kwlist[] = { "source", "trust", "crl", "as_of", "allow_weak", "max_size",
		                  "name", NULL };
	PyObject *source, *trust, *crl = Py_None, *as_of = Py_None, *max_size = Py_None;
	PyObject *name = Py_None, *result = NULL;
	rd_verify_options vo;
	char *trust_path = NULL, **crls = NULL, *as_of_s = NULL, *name_s = NULL;
	const rd_trust *use_trust = NULL;
	rd_trust *own_trust = NULL;
	rd_verify_result *vr = NULL;
	rdpy_source src;
	int allow_weak = 0, rc;
	rdpy_error err;

	(void)self;
	rd_verify_options_init(&vo);
	memset(&src, 0, sizeof src);
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$OOpOO:verify", RDPY_KW(kwlist), &source, &trust,
	                                 &crl, &as_of, &allow_weak, &max_size, &name))
		return NULL;
	if (PyObject_TypeCheck(source, &rdpy_DocumentType)) {
		PyErr_SetString(PyExc_TypeError,
		                "a licence is verified from its bytes: give a path or XML, not a Document");
		return NULL;
	}
	if (rdpy_trust_arg(trust, &use_trust, NULL, &trust_path) < 0)
		goto done;
	if (use_trust && crl != Py_None) {
		rdpy_argument_error("crl= goes with a trust store path; add CRLs to a TrustStore "
		                    "when you make it");
		goto done;
	}
	if (!use_trust && crl_paths(crl, &crls) < 0)
		goto done;
	if (as_of != Py_None) {
		/* a date, or a time "YYYY-MM-DDTHH:MM:SSZ" (the library checks it) */
		if (PyUnicode_Check(as_of)) {
			if (rdpy_opt_string(as_of, "as_of", &as_of_s) < 0)
				goto done;
		} else {
			char date[11];
			int set = 0;

			if (rdpy_opt_date(as_of, "as_of", date, &set) < 0)
				goto done;
			as_of_s = malloc(11);
			if (as_of_s == NULL) {
				PyErr_NoMemory();
				goto done;
			}
			memcpy(as_of_s, date, 11);
		}
		vo.as_of = as_of_s;
	}
	if (allow_weak)
		vo.flags |= RD_VERIFY_ALLOW_WEAK;
	if (max_size != Py_None) {
		vo.max_bytes = PyLong_AsSize_t(max_size);
		if (PyErr_Occurred())
			goto done;
	}
	if (rdpy_opt_string(name, "name", &name_s) < 0 ||
	    rdpy_source_init(&src, source, name_s, "source") < 0)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = RD_OK;
	if (use_trust == NULL) {
		rc = load_store(&own_trust, trust_path, crls);
		use_trust = own_trust;
	}
	if (rc == RD_OK) {
		if (src.path)
			rc = rd_licence_verify(&vr, use_trust, src.path, NULL, 0, &vo);
		else if (src.encoded)
			rc = rd_licence_verify(&vr, use_trust, src.name, PyBytes_AS_STRING(src.encoded),
			                       (size_t)PyBytes_GET_SIZE(src.encoded), &vo);
		else
			rc = rd_licence_verify(&vr, use_trust, src.name, src.buf.buf, (size_t)src.buf.len,
			                       &vo);
	}
	if (rc != RD_OK)
		rdpy_error_save(&err, rc);
	Py_END_ALLOW_THREADS
	if (rc != RD_OK) {
		rdpy_raise_error(&err, RDPY_CTX_INPUT);
		goto done;
	}
	result = result_dict(vr);
done:
	rd_verify_result_free(vr);
	rd_trust_free(own_trust);
	rdpy_source_release(&src);
	free(trust_path);
	free_paths(crls);
	free(as_of_s);
	free(name_s);
	return result;
}
