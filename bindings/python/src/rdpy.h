/* rahdari Python bindings: what the modules of the extension share.
 *
 * The extension (rahdari._rahdari) is written over rahdari's public C API only: no
 * libxml2 or OpenSSL object ever reaches Python. Every call that parses or evaluates
 * runs with the GIL released; the exception for a failed call is built from
 * rd_error_last() right after the GIL is taken back, in the same OS thread.
 * SPDX-License-Identifier: MIT */
#ifndef RDPY_H
#define RDPY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>

#include <rahdari.h>

/* Python 3.8 and 3.9 lack these. */
#if PY_VERSION_HEX < 0x030A0000
static inline PyObject *rdpy_newref(PyObject *o)
{
	Py_INCREF(o);
	return o;
}
#define Py_NewRef(o) rdpy_newref((PyObject *)(o))
static inline int rdpy_add_object_ref(PyObject *m, const char *name, PyObject *o)
{
	Py_INCREF(o);
	if (PyModule_AddObject(m, name, o) < 0) {
		Py_DECREF(o);
		return -1;
	}
	return 0;
}
#define PyModule_AddObjectRef rdpy_add_object_ref
#endif

/* PyArg_ParseTupleAndKeywords() takes char ** (before 3.13); our lists are const. */
#define RDPY_KW(list) ((char **)(uintptr_t)(list))

/* ---------------------------------------------------------------- errors (errors.c) */

/* The exception classes: rahdari.Error and its subclasses (made in rdpy_errors_init). */
extern PyObject *rdpy_Error;
extern PyObject *rdpy_InputError;
extern PyObject *rdpy_ParseError;
extern PyObject *rdpy_RulesError;
extern PyObject *rdpy_SignatureError;
extern PyObject *rdpy_ArgumentError;

/* Where a failure happened: the same status may mean different things. */
enum rdpy_context {
	RDPY_CTX_INPUT = 0,    /* loading documents, tables, trust stores */
	RDPY_CTX_RULES,        /* loading rules */
	RDPY_CTX_RULES_SIGNED, /* loading rules that must be a signed pack */
	RDPY_CTX_CHECK         /* rd_check(): a bad option, an unknown phase or parameter */
};

/* A copy of rd_error_last(), to carry an error from one thread to another. */
typedef struct rdpy_error {
	int code;
	int line;
	int column;
	int has_file;
	char message[2048];
	char file[1024];
} rdpy_error;

/* Copy the calling thread's rd_error_last() into @p e (no GIL needed). */
void rdpy_error_save(rdpy_error *e, int code);
/* Raise the exception for @p e; returns NULL. */
PyObject *rdpy_raise_error(const rdpy_error *e, int context);
/* Raise the exception for status @p code from the calling thread's rd_error_last(). */
PyObject *rdpy_raise(int code, int context);
/* Raise ArgumentError with a message (no file). */
PyObject *rdpy_argument_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rdpy_errors_init(PyObject *module);

/* ---------------------------------------------------------------- helpers (util.c) */

/* A growable byte buffer, usable as an rd_write_fn sink (rdpy_buf_write). */
typedef struct rdpy_buf {
	char *data;
	size_t len, cap;
	int failed;
} rdpy_buf;
int rdpy_buf_write(const char *data, size_t len, void *payload);
void rdpy_buf_free(rdpy_buf *b);

/* A Python str from UTF-8 (invalid bytes replaced), or None for NULL. New reference. */
PyObject *rdpy_str(const char *s);
/* strdup with malloc; NULL stays NULL. Sets *failed on allocation failure. */
char *rdpy_strdup(const char *s, int *failed);
/* A str's UTF-8 (borrowed from the str), its length in *len; with len NULL, a C string
 * (an embedded NUL refused). NULL with rahdari.ArgumentError (from the UnicodeEncodeError)
 * when the str holds a lone surrogate: what names the argument in the message. */
const char *rdpy_utf8(PyObject *str, const char *what, Py_ssize_t *len);
/* After a conversion failed: a UnicodeEncodeError becomes rahdari.ArgumentError naming
 * what (other exceptions are left as they are). Returns NULL. */
PyObject *rdpy_unicode_error(const char *what);
/* An optional str argument as a malloc'd UTF-8 copy in *out (None: NULL). 0 or -1 (raised). */
int rdpy_opt_string(PyObject *obj, const char *what, char **out);
/* A date argument (None, "YYYY-MM-DD" or a datetime.date) into @p out (11 bytes); *set
 * tells whether one was given. 0 or -1 (raised). */
int rdpy_opt_date(PyObject *obj, const char *what, char out[11], int *set);
/* A path (str, bytes or os.PathLike) as a malloc'd file-system string. 0 or -1 (raised). */
int rdpy_path(PyObject *obj, const char *what, char **out);

/* What to check: a file, XML held in memory, or a Document loaded already. */
typedef struct rdpy_source {
	char *path;          /* a file (malloc'd), or NULL */
	Py_buffer buf;       /* XML bytes, when have_buf */
	int have_buf;
	PyObject *encoded;   /* str XML encoded as UTF-8 (a bytes object), or NULL */
	const rd_document *doc; /* a Document's, or NULL */
	PyObject *doc_obj;   /* the Document (a reference), or NULL */
	char *name;          /* name of a document held in memory (malloc'd) */
} rdpy_source;

/*
 * Take a source argument: a path (os.PathLike, or a str that does not start with '<' after
 * white space), XML content (bytes-like, or a str that starts with '<' after white space),
 * or a rahdari.Document. @p name names XML in memory (NULL: "<bytes>" or "<string>").
 * 0 or -1 (raised). Release with rdpy_source_release() in any case.
 */
int rdpy_source_init(rdpy_source *s, PyObject *obj, const char *name, const char *what);
/* The same for the content of a document alone, never a path: text (a str) when text is
 * non-zero, else bytes (any buffer); TypeError for anything else. */
int rdpy_source_init_content(rdpy_source *s, PyObject *obj, const char *name, const char *what,
                             int text);
/* Load the source (without the GIL). *out receives a new document, or NULL when the source
 * is a Document (then *use is it); otherwise *use is *out. Returns an rd_status. */
int rdpy_source_load(rdpy_source *s, const rd_load_options *lo, rd_document **out,
                     const rd_document **use);
void rdpy_source_release(rdpy_source *s);

/* ---------------------------------------------------------------- case options (case.c) */

/* A check's options and what they bring (case documents, tables, trust store), owned. */
typedef struct rdpy_case {
	rd_check_options co;
	char as_of[11];
	char *lang, *phase, *jurisdiction;
	/* case documents: sources until loaded, then documents */
	size_t ndocs;
	char **roles;
	rdpy_source *sources;
	rd_document **docs;
	rd_case_doc *case_docs;
	/* tables */
	size_t ntables;
	char **table_names, **table_paths;
	rd_data_table **tables;
	/* parameters */
	size_t nparams;
	rd_param *params;
	char **param_strings; /* 2 * nparams */
	/* trust store: a TrustStore object's, or one loaded from a path */
	PyObject *trust_obj;
	char *trust_path, *crl_path;
	rd_trust *own_trust;
	rd_load_options lo;
} rdpy_case;

/* Keyword arguments shared by Rules.check() and Rules.audit(). */
typedef struct rdpy_case_args {
	PyObject *licence, *docs, *as_of, *lang, *phase, *jurisdiction, *tables, *register_,
	    *params, *xsd, *trust, *max_size, *max_ops;
} rdpy_case_args;

void rdpy_case_init(rdpy_case *c);
/* Take the arguments (with the GIL). 0 or -1 (raised). */
int rdpy_case_parse(rdpy_case *c, const rdpy_case_args *a);
/* Load what the options name (without the GIL): an rd_status; on failure *context says
 * which kind of input failed. */
int rdpy_case_load(rdpy_case *c, int *context);
/* Free everything (with the GIL: it may drop references). */
void rdpy_case_free(rdpy_case *c);

/* ---------------------------------------------------------------- types */

typedef struct rdpy_rules {
	PyObject_HEAD
	rd_rules *rules;
} rdpy_rules;

typedef struct rdpy_document {
	PyObject_HEAD
	rd_document *doc;
} rdpy_document;

typedef struct rdpy_report {
	PyObject_HEAD
	rd_report *report;
	PyObject *findings; /* tuple, made on first use */
} rdpy_report;

typedef struct rdpy_trust {
	PyObject_HEAD
	rd_trust *trust;
} rdpy_trust;

extern PyTypeObject rdpy_RulesType;
extern PyTypeObject rdpy_DocumentType;
extern PyTypeObject rdpy_ReportType;
extern PyTypeObject rdpy_FindingType;
extern PyTypeObject rdpy_AuditType;
extern PyTypeObject rdpy_AuditRecordType;
extern PyTypeObject rdpy_TrustStoreType;

/* licence.c: a trust= argument, a TrustStore or the path of one. A TrustStore sets *store
 * (and *obj to a new reference to it when obj is not NULL, to keep it alive); a path sets
 * *path (malloc'd). 0, or -1 with a Python exception set. */
int rdpy_trust_arg(PyObject *arg, const rd_trust **store, PyObject **obj, char **path);

/* report.c */
/* A Report that takes ownership of @p report. */
PyObject *rdpy_report_new(rd_report *report);
/* The strings of one finding, wherever they come from (a report, or an audit's copy). */
#define RDPY_FINDING_NSTR 20 /* rd_field values 1..19, index 0 unused */
typedef struct rdpy_finding_src {
	const char *str[RDPY_FINDING_NSTR];
	int kind;
	int severity;
	long line;
	size_t ndiags;
	const char *const *diag_ids;
	const char *const *diag_texts;
} rdpy_finding_src;
PyObject *rdpy_finding_new(const rdpy_finding_src *src);
/* Fill @p src from a finding of a report (diagnostics excluded: ndiags = 0). */
void rdpy_finding_src_from(rdpy_finding_src *src, const rd_finding *f);
/* A finding's Python object from a report's finding (diagnostics included). */
PyObject *rdpy_finding_from(const rd_finding *f);
/* Render reports with rd_writer: a str. */
PyObject *rdpy_render(PyObject *reports, int format, unsigned int flags);
int rdpy_format_from(PyObject *name, int *format);
PyObject *rdpy_restore_finding(PyObject *self, PyObject *state);
PyObject *rdpy_restore_record(PyObject *self, PyObject *state);

/* rules.c */
PyObject *rdpy_load_rules(PyObject *self, PyObject *args, PyObject *kwargs);

/* audit.c */
PyObject *rdpy_audit_start(rdpy_rules *rules, PyObject *args, PyObject *kwargs);

/* mrz.c, licence.c */
PyObject *rdpy_mrz_parse(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *rdpy_mrz_check_digit(PyObject *self, PyObject *arg);
PyObject *rdpy_mrz_known_code(PyObject *self, PyObject *arg);
PyObject *rdpy_name_to_mrz(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *rdpy_name_matches(PyObject *self, PyObject *args);
PyObject *rdpy_cnic_parse(PyObject *self, PyObject *arg);
PyObject *rdpy_licence_verify(PyObject *self, PyObject *args, PyObject *kwargs);

#endif /* RDPY_H */
