/* rahdari: the ISO Schematron compiler.
 *
 * Turns a Schematron document into an immutable rd_schema: namespaces, global
 * variables in dependency order, patterns (abstract ones instantiated),
 * rules (abstract rules expanded), asserts and reports with compiled XPath and
 * message templates, phases, diagnostics and properties. Includes (and
 * extends with href) are resolved relative to the including file, with cycles
 * detected. Every expression is tokenised and its prefixes, functions and
 * variables are checked here, so that a schema that could fail at run time
 * for a reason visible in the schema is refused at load time instead, with
 * file, line and the offending expression.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

#define MAX_INCLUDE_DEPTH 32
#define MAX_EXTENDS_DEPTH 32

typedef struct loaded_doc {
	xmlDocPtr doc;
	char *path;
	size_t parent; /* index of the including document, or (size_t)-1 */
} loaded_doc;

typedef struct nodelist {
	xmlNodePtr *v;
	size_t n, cap;
} nodelist;

typedef struct param {
	const char *name;
	const char *value;
} param;

/* Names of variables in scope while compiling an expression. */
typedef struct scope {
	const char **names;
	size_t n, cap;
} scope;

typedef struct compiler {
	rd_rules *rules;
	const rd_source *src;
	rd_schema *sc;
	xmlNodePtr root;
	loaded_doc *docs;
	size_t ndocs, capdocs;
	xmlXPathContextPtr xp;
	char xperr[512];
	int has_xperr;
	/* abstract rules and patterns, by id */
	nodelist abstract_rules;
	nodelist abstract_owner; /* the pattern holding each abstract rule; NULL: sch:rules */
	nodelist abstract_patterns;
	nodelist diag_nodes;
	nodelist prop_nodes;
	/* parameters of the abstract pattern being instantiated */
	param *params;
	size_t nparams;
	scope globals;   /* schema and pattern variables */
	scope phasevars; /* variables of any phase */
	/* pattern being compiled, for inherited attributes, and the element holding its rules
	 * (the abstract pattern, for an is-a instance) */
	xmlNodePtr cur_pattern;
	xmlNodePtr cur_body;
	xmlNodePtr cur_rule;
	size_t extends_depth;
	/* the key whose xsl:key is being compiled (index + 1; 0: none), and the key() calls
	 * found in key declarations: pairs (from, to) of key indices */
	size_t cur_key;
	size_t *key_deps;
	size_t nkey_deps, capkey_deps;
	/* scratch for attribute values with parameters substituted */
	char *attr_scratch[8];
	size_t attr_next;
} compiler;

static int dup_opt(char **dst, const char *v);
static int xsl_refused(compiler *c, const xmlNode *k, const char *where);
static rd_simple_path *simple_path(compiler *c, const char *expr);

/* ---------------------------------------------------------------- helpers */

static const char *node_file(const xmlNode *n)
{
	return n && n->doc && n->doc->URL ? (const char *)n->doc->URL : "<schema>";
}

static int cerr(compiler *c, const xmlNode *n, int code, const char *fmt, ...) RD_PRINTF(4, 5);

static int cerr(compiler *c, const xmlNode *n, int code, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;
	long line = rd__node_line(n);

	RD_UNUSED(c);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		return rd__error_set(code, node_file(n), line, 0, "%s:%ld: %s", node_file(n), line, msg);
	return rd__error_set(code, node_file(n), 0, 0, "%s: %s", node_file(n), msg);
}

static int is_sch(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       strcmp((const char *)n->ns->href, RD_NS_SCH) == 0 &&
	       (name == NULL || strcmp((const char *)n->name, name) == 0);
}

static int in_ns(const xmlNode *n, const char *uri)
{
	return n && n->ns && strcmp((const char *)n->ns->href, uri) == 0;
}

static int list_add(nodelist *l, xmlNodePtr n)
{
	if (rd__grow(&l->v, &l->cap, l->n, sizeof *l->v) < 0)
		return rd__error_oom();
	l->v[l->n++] = n;
	return 0;
}

static int scope_add(scope *s, const char *name)
{
	if (rd__grow(&s->names, &s->cap, s->n, sizeof *s->names) < 0)
		return rd__error_oom();
	s->names[s->n++] = name;
	return 0;
}

static int scope_has(const scope *s, const char *name, size_t len)
{
	size_t i;

	for (i = s ? s->n : 0; i-- > 0;)
		if (strlen(s->names[i]) == len && memcmp(s->names[i], name, len) == 0)
			return 1;
	return 0;
}

/* Substitute abstract-pattern parameters ($name) in a string. Returns a pointer that
 * stays valid until 8 more substitutions have been made, or s itself. */
static const char *substitute(compiler *c, const char *s)
{
	rd_buf b;
	const char *p, *run;
	int changed = 0;

	if (s == NULL || c->nparams == 0 || strchr(s, '$') == NULL)
		return s;
	rd__buf_init(&b);
	run = s;
	for (p = s; *p; p++) {
		const char *e;
		size_t i, len;

		if (*p != '$')
			continue;
		e = p + 1;
		while ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') ||
		       *e == '_' || *e == '-' || *e == '.' || (unsigned char)*e >= 0x80)
			e++;
		len = (size_t)(e - p - 1);
		for (i = 0; i < c->nparams; i++) {
			if (strlen(c->params[i].name) == len && memcmp(c->params[i].name, p + 1, len) == 0) {
				rd__buf_add(&b, run, (size_t)(p - run));
				rd__buf_puts(&b, c->params[i].value);
				run = e;
				p = e - 1;
				changed = 1;
				break;
			}
		}
	}
	if (!changed) {
		rd__buf_free(&b);
		return s;
	}
	rd__buf_puts(&b, run);
	if (b.oom) {
		rd__buf_free(&b);
		return s;
	}
	free(c->attr_scratch[c->attr_next]);
	c->attr_scratch[c->attr_next] = rd__buf_take(&b, NULL);
	s = c->attr_scratch[c->attr_next];
	c->attr_next = (c->attr_next + 1) % RD_ARRAY_LEN(c->attr_scratch);
	return s;
}

/* An attribute without namespace, with parameters substituted; NULL when absent. */
static const char *attr(compiler *c, const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next) {
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 && a->children &&
		    (a->children->type == XML_TEXT_NODE) && a->children->next == NULL)
			return substitute(c, (const char *)a->children->content);
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return "";
	}
	return NULL;
}

static const char *attr_ns(const xmlNode *n, const char *uri, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->ns && strcmp((const char *)a->ns->href, uri) == 0 &&
		    strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->type == XML_TEXT_NODE
			           ? (const char *)a->children->content
			           : "";
	return NULL;
}

static const char *xml_lang(const xmlNode *n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		const char *l = attr_ns(n, (const char *)XML_XML_NAMESPACE, "lang");

		if (l)
			return l;
	}
	return NULL;
}

/* Refuse attributes a Schematron element does not define; foreign attributes
 * (other namespaces) are allowed, rd:* ones must be known. */
static int check_attrs(compiler *c, const xmlNode *n, const char *const *allowed,
                       const char *const *rd_allowed)
{
	const xmlAttr *a;
	size_t i;

	for (a = n->properties; a; a = a->next) {
		int ok = 0;

		if (a->ns == NULL) {
			for (i = 0; allowed && allowed[i]; i++)
				if (strcmp(allowed[i], (const char *)a->name) == 0)
					ok = 1;
			if (!ok)
				return cerr(c, n, RD_EUNSUPPORTED,
				            "sch:%s has the attribute '%s', which rahdari does not support",
				            (const char *)n->name, (const char *)a->name);
		} else if (strcmp((const char *)a->ns->href, RD_NS_RULES) == 0) {
			for (i = 0; rd_allowed && rd_allowed[i]; i++)
				if (strcmp(rd_allowed[i], (const char *)a->name) == 0)
					ok = 1;
			if (!ok)
				return cerr(c, n, RD_ERULES, "unknown rahdari attribute rd:%s on sch:%s",
				            (const char *)a->name, (const char *)n->name);
		}
	}
	return 0;
}

static char *text_content(const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *s;

	if (t == NULL)
		return rd__strdup("");
	s = rd__strdup((const char *)t);
	xmlFree(t);
	return rd__normalize_space(s);
}

static int is_blank_text(const xmlNode *n)
{
	const xmlChar *p;

	if (n->type != XML_TEXT_NODE)
		return 0;
	for (p = n->content; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

static size_t doc_index(compiler *c, const xmlDoc *d)
{
	size_t i;

	for (i = 0; i < c->ndocs; i++)
		if (c->docs[i].doc == d)
			return i;
	return (size_t)-1;
}

/* Resolve href (file and/or #fragment) from node `from` to an element. */
static int resolve_href(compiler *c, const xmlNode *from, const char *what, const char *href,
                        xmlNodePtr *out)
{
	const char *hash = strchr(href, '#');
	size_t from_idx = doc_index(c, from->doc), i, depth = 0;
	char *file = NULL, *dir = NULL, *path = NULL;
	xmlDocPtr doc;
	xmlNodePtr target = NULL;
	int rc;

	*out = NULL;
	if (strstr(href, "://") != NULL || strncmp(href, "file:", 5) == 0)
		return cerr(c, from, RD_EUNSAFE,
		            "%s href=\"%s\": only relative file references are allowed", what, href);
	file = rd__strndup(href, hash ? (size_t)(hash - href) : strlen(href));
	if (file == NULL)
		return rd__error_oom();
	if (file[0] == '\0') {
		doc = from->doc;
	} else {
		if (from_idx == (size_t)-1 || c->docs[from_idx].path == NULL) {
			free(file);
			return cerr(c, from, RD_ENOTFOUND,
			            "%s href=\"%s\": the schema was loaded from memory without a base "
			            "directory, so relative references cannot be resolved",
			            what, href);
		}
		dir = rd__path_dir(c->docs[from_idx].path);
		path = dir ? rd__path_join(dir, file) : NULL;
		free(dir);
		if (path == NULL) {
			free(file);
			return rd__error_oom();
		}
		rd__path_normalize(path);
		/* cycle: is this file already on the chain of includes that led here? */
		for (i = from_idx; i != (size_t)-1; i = c->docs[i].parent, depth++) {
			if (c->docs[i].path && strcmp(c->docs[i].path, path) == 0) {
				rc = cerr(c, from, RD_ERULES, "%s href=\"%s\": include cycle (%s includes itself)",
				          what, href, path);
				free(file);
				free(path);
				return rc;
			}
		}
		if (depth > MAX_INCLUDE_DEPTH) {
			rc = cerr(c, from, RD_ERULES, "%s href=\"%s\": includes nested more than %d deep",
			          what, href, MAX_INCLUDE_DEPTH);
			free(file);
			free(path);
			return rc;
		}
		/* only files of the pack (and of the packs it extends) */
		rc = rd__source_allow(c->src, path, node_file(from), rd__node_line(from), what, href);
		if (rc != RD_OK) {
			free(file);
			free(path);
			return rc;
		}
		rc = rd__source_parse(c->src, path, &doc);
		if (rc != RD_OK) {
			long line = rd__node_line(from);

			rd__error_prefix("%s:%ld: %s href=\"%s\": ", node_file(from), line, what, href);
			free(file);
			free(path);
			return rc;
		}
		if (rd__grow(&c->docs, &c->capdocs, c->ndocs, sizeof *c->docs) < 0) {
			xmlFreeDoc(doc);
			free(file);
			free(path);
			return rd__error_oom();
		}
		c->docs[c->ndocs].doc = doc;
		c->docs[c->ndocs].path = path;
		c->docs[c->ndocs].parent = from_idx;
		c->ndocs++;
	}
	free(file);
	if (hash && hash[1]) {
		xmlNodePtr n = xmlDocGetRootElement(doc);

		/* depth-first search for the element with this id */
		while (n) {
			if (n->type == XML_ELEMENT_NODE) {
				const char *id = attr_ns(n, (const char *)XML_XML_NAMESPACE, "id");
				xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)"id");

				if ((id && strcmp(id, hash + 1) == 0) ||
				    (a && a->ns == NULL && a->children &&
				     strcmp((const char *)a->children->content, hash + 1) == 0)) {
					target = n;
					break;
				}
			}
			if (n->children && n->type == XML_ELEMENT_NODE)
				n = n->children;
			else {
				while (n && n->next == NULL)
					n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
				if (n)
					n = n->next;
			}
		}
		if (target == NULL)
			return cerr(c, from, RD_ENOTFOUND, "%s href=\"%s\": no element with id '%s'", what,
			            href, hash + 1);
	} else {
		target = xmlDocGetRootElement(doc);
	}
	*out = target;
	return 0;
}

/* The element children of n, with sch:include elements replaced by what they include. */
static int children(compiler *c, xmlNodePtr n, nodelist *out)
{
	xmlNodePtr k;
	int rc;

	for (k = n->children; k; k = k->next) {
		if (k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE || is_blank_text(k))
			continue;
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
			return cerr(c, k, RD_ERULES, "unexpected text inside sch:%s", (const char *)n->name);
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is_sch(k, "include")) {
			xmlNodePtr target;
			const char *href = attr(c, k, "href");
			static const char *const allowed[] = { "href", "id", NULL };

			if ((rc = check_attrs(c, k, allowed, NULL)) != 0)
				return rc;
			if (href == NULL || href[0] == '\0')
				return cerr(c, k, RD_ERULES, "sch:include needs an href attribute");
			rc = resolve_href(c, k, "sch:include", href, &target);
			if (rc != 0)
				return rc;
			if (is_sch(target, "include")) {
				nodelist tmp = { NULL, 0, 0 };
				xmlNode fake;

				/* an included file that is itself an include: follow it */
				memset(&fake, 0, sizeof fake);
				fake.children = target;
				fake.name = n->name;
				fake.type = XML_ELEMENT_NODE;
				target->next = NULL;
				rc = children(c, &fake, &tmp);
				if (rc == 0) {
					size_t i;

					for (i = 0; i < tmp.n && rc == 0; i++)
						rc = list_add(out, tmp.v[i]);
				}
				free(tmp.v);
				if (rc)
					return rc;
				continue;
			}
			if ((rc = list_add(out, target)) != 0)
				return rc;
			continue;
		}
		if ((rc = list_add(out, k)) != 0)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- XPath compilation */

static void on_compile_error(void *ctx, rd_xml_error err)
{
	compiler *c = ctx;

	if (!c->has_xperr && err && err->message) {
		snprintf(c->xperr, sizeof c->xperr, "%s", err->message);
		rd__normalize_space(c->xperr);
		c->has_xperr = 1;
	}
}

static const char *ns_uri_for(compiler *c, const char *prefix, size_t len)
{
	size_t i;

	if (len == 3 && memcmp(prefix, "xml", 3) == 0)
		return (const char *)XML_XML_NAMESPACE;
	for (i = 0; i < c->sc->nns; i++)
		if (strlen(c->sc->ns[i].prefix) == len && memcmp(c->sc->ns[i].prefix, prefix, len) == 0)
			return c->sc->ns[i].uri;
	return NULL;
}

static const char *const xslt_functions[] = {
	"document", "format-number", "unparsed-entity-uri", "system-property",
	"element-available", "function-available", NULL
};

/* Is where one of xsl:key's attributes? XSLT 1.0 (12.2) forbids variables there, and key()
 * too; rahdari allows key() with a literal name, as XSLT 2.0 does, when no key depends on
 * itself (checked once all keys are read). */
static int in_key_decl(const char *where)
{
	return strncmp(where, "xsl:key/", 8) == 0;
}

/* Check the names an expression uses. deps (optional) receives indices of the globals
 * it references. */
static int check_expr(compiler *c, const xmlNode *n, const char *where, const char *expr,
                      const scope *locals)
{
	rd_xtoks t;
	size_t errpos, i;
	const char *errmsg;
	int rc = 0;

	if (rd__xpath_scan(expr, &t, &errpos, &errmsg) < 0)
		return cerr(c, n, RD_ERULES, "bad XPath in %s: %s at character %zu: %s", where, errmsg,
		            errpos + 1, expr);
	if (t.n == 0) {
		rd__xtoks_free(&t);
		return cerr(c, n, RD_ERULES, "empty XPath expression in %s", where);
	}
	for (i = 0; i < t.n && rc == 0; i++) {
		rd_xtok *k = &t.v[i];
		const char *s = expr + k->start;

		switch (k->type) {
		case RD_XT_FUNCTION:
			if (k->prefix_len) {
				const char *uri = ns_uri_for(c, s, k->prefix_len);
				const rd_fninfo *f;

				if (uri == NULL) {
					rc = cerr(c, n, RD_ERULES,
					          "unknown namespace prefix '%.*s' in %s (declare it with sch:ns): %s",
					          (int)k->prefix_len, s, where, expr);
					break;
				}
				if (strcmp(uri, RD_NS_FN) != 0) {
					rc = cerr(c, n, RD_ERULES,
					          "unknown function %.*s() in %s: only the rahdari functions "
					          "(namespace %s) can be called with a prefix: %s",
					          (int)k->len, s, where, RD_NS_FN, expr);
					break;
				}
				f = rd__fn_find(s + k->prefix_len + 1, k->len - k->prefix_len - 1);
				if (f == NULL) {
					rc = cerr(c, n, RD_ERULES, "unknown function %.*s() in %s: %s",
					          (int)k->len, s, where, expr);
					break;
				}
				if (k->nargs < f->min_args || (f->max_args >= 0 && k->nargs > f->max_args)) {
					char range[48];

					if (f->max_args == f->min_args)
						snprintf(range, sizeof range, "%d argument%s", f->min_args,
						         f->min_args == 1 ? "" : "s");
					else if (f->max_args < 0)
						snprintf(range, sizeof range, "at least %d arguments", f->min_args);
					else
						snprintf(range, sizeof range, "%d to %d arguments", f->min_args,
						         f->max_args);
					rc = cerr(c, n, RD_ERULES, "%.*s() takes %s, not %d, in %s: %s",
					          (int)k->len, s, range, k->nargs, where, expr);
					break;
				}
				/* literal table and column names are checked now */
				if (f->table_arg && (k->lit_mask & 1u)) {
					char *tn = rd__strndup(expr + k->lit[0], k->lit_len[0]);
					const rd_table *tab = tn ? rd__rules_table(c->rules, tn) : NULL;
					int a;

					if (tn == NULL)
						rc = rd__error_oom();
					else if (tab == NULL)
						rc = cerr(c, n, RD_ERULES,
						          "%.*s(): no table named '%s' (declare it with rd:table) in %s",
						          (int)k->len, s, tn, where);
					/* in-table(table, column, value); lookup(table, key-col, key, value-col) */
					for (a = 1; rc == 0 && tab && a < RD_XT_MAXLIT && a < k->nargs; a++) {
						char *col;

						if (!(k->lit_mask & (1u << a)) || a == 2)
							continue;
						col = rd__strndup(expr + k->lit[a], k->lit_len[a]);
						if (col == NULL)
							rc = rd__error_oom();
						else if (rd__table_column(tab, col) < 0)
							rc = cerr(c, n, RD_ERULES,
							          "%.*s(): table '%s' (%s) has no column '%s', in %s",
							          (int)k->len, s, tn, tab->file, col, where);
						free(col);
					}
					free(tn);
				}
				if (rc == 0 && f->mrz_field_arg && (k->lit_mask & 2u)) {
					char *fname = rd__strndup(expr + k->lit[1], k->lit_len[1]);

					if (fname == NULL)
						rc = rd__error_oom();
					else if (rd_mrz_field_from_name(fname) == 0)
						rc = cerr(c, n, RD_ERULES,
						          "%.*s(): no MRZ field named '%s' (documentCode, issuingState, "
						          "surname, givenNames, documentNumber, nationality, birthDate, sex, "
						          "expiryDate, optionalData, optionalData2, name), in %s",
						          (int)k->len, s, fname, where);
					free(fname);
				}
				if (rc == 0 && f->regex_arg && (k->lit_mask & 2u)) {
					char *re = rd__strndup(expr + k->lit[1], k->lit_len[1]);

					if (re == NULL)
						rc = rd__error_oom();
					else
						rc = rd__rules_add_regex(c->rules, re, node_file(n), rd__node_line(n));
					free(re);
				}
			} else if (k->len == 3 && memcmp(s, "key", 3) == 0) {
				/* XSLT key(name, value): the name, when literal, must be declared */
				if (k->nargs != 2) {
					rc = cerr(c, n, RD_ERULES, "key() takes 2 arguments, not %d, in %s: %s",
					          k->nargs, where, expr);
					break;
				}
				if (in_key_decl(where) && !(k->lit_mask & 1u)) {
					rc = cerr(c, n, RD_ERULES,
					          "key() in %s must name its key with a string literal: %s", where,
					          expr);
					break;
				}
				if (k->lit_mask & 1u) {
					char *kn = rd__strndup(expr + k->lit[0], k->lit_len[0]);
					const rd_key *target = kn ? rd__schema_key(c->sc, kn) : NULL;

					if (kn == NULL)
						rc = rd__error_oom();
					else if (target == NULL)
						rc = cerr(c, n, RD_ERULES,
						          "key('%s'): no xsl:key of this name in the schema, in %s: %s",
						          kn, where, expr);
					else if (in_key_decl(where) && c->cur_key) {
						if (rd__grow(&c->key_deps, &c->capkey_deps, c->nkey_deps + 1,
						             sizeof *c->key_deps) < 0)
							rc = rd__error_oom();
						else {
							c->key_deps[c->nkey_deps++] = c->cur_key - 1;
							c->key_deps[c->nkey_deps++] = (size_t)(target - c->sc->keys);
						}
					}
					free(kn);
				}
			} else {
				int mn, mx;
				size_t j;

				for (j = 0; xslt_functions[j]; j++) {
					if (strlen(xslt_functions[j]) == k->len &&
					    memcmp(xslt_functions[j], s, k->len) == 0) {
						rc = cerr(c, n, RD_EUNSUPPORTED,
						          "the XSLT function %s() is not supported by rahdari "
						          "(XPath 1.0 plus current() and generate-id()), in %s: %s",
						          xslt_functions[j], where, expr);
						break;
					}
				}
				if (rc)
					break;
				if (k->len == 7 && memcmp(s, "current", 7) == 0 &&
				    (strcmp(where, "sch:rule/@context") == 0 ||
				     strcmp(where, "xsl:key/@match") == 0)) {
					rc = cerr(c, n, RD_ERULES,
					          "current() cannot be used in %s (XSLT 1.0 patterns do not "
					          "allow it): %s",
					          strcmp(where, "xsl:key/@match") == 0 ? "a key's match pattern"
					                                                : "a rule context",
					          expr);
					break;
				}
				if (!rd__fn_core_arity(s, k->len, &mn, &mx)) {
					rc = cerr(c, n, RD_ERULES, "unknown function %.*s() in %s: %s", (int)k->len,
					          s, where, expr);
					break;
				}
				if (k->nargs < mn || (mx >= 0 && k->nargs > mx)) {
					rc = cerr(c, n, RD_ERULES, "%.*s() cannot take %d argument%s, in %s: %s",
					          (int)k->len, s, k->nargs, k->nargs == 1 ? "" : "s", where, expr);
					break;
				}
			}
			break;
		case RD_XT_NAMETEST:
			if (k->prefix_len && ns_uri_for(c, s, k->prefix_len) == NULL)
				rc = cerr(c, n, RD_ERULES,
				          "unknown namespace prefix '%.*s' in %s (declare it with sch:ns): %s",
				          (int)k->prefix_len, s, where, expr);
			break;
		case RD_XT_VARIABLE:
			if (in_key_decl(where)) {
				rc = cerr(c, n, RD_ERULES,
				          "%s cannot refer to a variable (XSLT 1.0, section 12.2): $%.*s in %s",
				          where, (int)k->len, s, expr);
				break;
			}
			if (k->prefix_len) {
				rc = cerr(c, n, RD_EUNSUPPORTED,
				          "prefixed variable $%.*s is not supported, in %s: %s", (int)k->len, s,
				          where, expr);
				break;
			}
			if (!scope_has(locals, s, k->len) && !scope_has(&c->globals, s, k->len) &&
			    !scope_has(&c->phasevars, s, k->len)) {
				rc = cerr(c, n, RD_ERULES, "undefined variable $%.*s in %s: %s", (int)k->len, s,
				          where, expr);
				break;
			}
			break;
		default:
			break;
		}
	}
	rd__xtoks_free(&t);
	return rc;
}

/* Collect the indices of the globals that expr references. */
static int global_deps(compiler *c, const char *expr, size_t **deps, size_t *ndeps)
{
	rd_xtoks t;
	size_t errpos, i, g, cap = 0;
	const char *errmsg;

	*deps = NULL;
	*ndeps = 0;
	if (rd__xpath_scan(expr, &t, &errpos, &errmsg) < 0)
		return 0; /* already reported by check_expr */
	for (i = 0; i < t.n; i++) {
		if (t.v[i].type != RD_XT_VARIABLE)
			continue;
		for (g = 0; g < c->globals.n; g++) {
			if (strlen(c->globals.names[g]) == t.v[i].len &&
			    memcmp(c->globals.names[g], expr + t.v[i].start, t.v[i].len) == 0) {
				if (rd__grow(deps, &cap, *ndeps, sizeof **deps) < 0) {
					rd__xtoks_free(&t);
					return rd__error_oom();
				}
				(*deps)[(*ndeps)++] = g;
				break;
			}
		}
	}
	rd__xtoks_free(&t);
	return 0;
}

static int compile_expr(compiler *c, const xmlNode *n, const char *where, const char *expr,
                        const scope *locals, xmlXPathCompExprPtr *out)
{
	int rc;

	*out = NULL;
	rc = check_expr(c, n, where, expr, locals);
	if (rc != 0)
		return rc;
	c->has_xperr = 0;
	c->xperr[0] = '\0';
	*out = rd__xpath_compile(c->xp, expr);
	if (*out == NULL)
		return cerr(c, n, RD_ERULES, "bad XPath in %s: %s: %s", where,
		            c->has_xperr ? c->xperr : "cannot compile", expr);
	return 0;
}

/* ---------------------------------------------------------------- messages */

static int msg_add(rd_msg *m, size_t *cap, rd_part_type type, const char *text,
                   xmlXPathCompExprPtr expr)
{
	if (rd__grow(&m->parts, cap, m->n, sizeof *m->parts) < 0) {
		xmlXPathFreeCompExpr(expr);
		return rd__error_oom();
	}
	m->parts[m->n].type = type;
	m->parts[m->n].text = rd__strdup(text ? text : "");
	m->parts[m->n].expr = expr;
	if (m->parts[m->n].text == NULL) {
		xmlXPathFreeCompExpr(expr);
		return rd__error_oom();
	}
	m->n++;
	return 0;
}

static int compile_msg_nodes(compiler *c, xmlNodePtr parent, const scope *locals, rd_msg *m,
                             size_t *cap)
{
	xmlNodePtr k;
	int rc;

	for (k = parent->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			if ((rc = msg_add(m, cap, RD_PART_TEXT, (const char *)k->content, NULL)) != 0)
				return rc;
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is_sch(k, "value-of")) {
			const char *sel = attr(c, k, "select");
			xmlXPathCompExprPtr e;

			if (sel == NULL)
				return cerr(c, k, RD_ERULES, "sch:value-of needs a select attribute");
			if ((rc = compile_expr(c, k, "sch:value-of/@select", sel, locals, &e)) != 0)
				return rc;
			if ((rc = msg_add(m, cap, RD_PART_VALUE_OF, sel, e)) != 0)
				return rc;
		} else if (is_sch(k, "name")) {
			const char *path = attr(c, k, "path");
			xmlXPathCompExprPtr e = NULL;

			if (path && (rc = compile_expr(c, k, "sch:name/@path", path, locals, &e)) != 0)
				return rc;
			if ((rc = msg_add(m, cap, RD_PART_NAME, path, e)) != 0)
				return rc;
		} else if (is_sch(k, "emph") || is_sch(k, "dir") || is_sch(k, "span")) {
			if ((rc = compile_msg_nodes(c, k, locals, m, cap)) != 0)
				return rc;
		} else if (is_sch(k, NULL)) {
			return cerr(c, k, RD_ERULES, "sch:%s is not allowed inside a message",
			            (const char *)k->name);
		} else if (in_ns(k, RD_NS_XSL)) {
			return xsl_refused(c, k, "a message");
		} else {
			/* foreign markup: keep its text */
			xmlChar *t = xmlNodeGetContent(k);

			rc = msg_add(m, cap, RD_PART_TEXT, t ? (const char *)t : "", NULL);
			xmlFree(t);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int compile_msg(compiler *c, xmlNodePtr parent, const scope *locals, rd_msg *m)
{
	size_t cap = 0;

	m->parts = NULL;
	m->n = 0;
	return compile_msg_nodes(c, parent, locals, m, &cap);
}

static void msg_free(rd_msg *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->parts[i].text);
		xmlXPathFreeCompExpr(m->parts[i].expr);
	}
	free(m->parts);
	m->parts = NULL;
	m->n = 0;
}

/* ---------------------------------------------------------------- lets */

static int valid_ncname(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' || *p >= 0x80))
		return 0;
	for (p++; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' || *p >= 0x80 ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

/* Read a let's name and check it against the names already defined in its scope. */
static int let_name(compiler *c, xmlNodePtr n, const char **name)
{
	static const char *const allowed[] = { "name", "value", "as", NULL };
	int rc;

	if ((rc = check_attrs(c, n, allowed, NULL)) != 0)
		return rc;
	*name = attr(c, n, "name");
	if (*name == NULL || !valid_ncname(*name))
		return cerr(c, n, RD_ERULES, "sch:let needs a name attribute that is an NCName");
	if (attr(c, n, "as"))
		return cerr(c, n, RD_EUNSUPPORTED,
		            "sch:let/@as (typed variables) needs XPath 2; rahdari binds XPath 1.0");
	return 0;
}

static int compile_let(compiler *c, xmlNodePtr n, const scope *locals, rd_let *let)
{
	const char *value = attr(c, n, "value");
	const char *name;
	int rc;

	memset(let, 0, sizeof *let);
	if ((rc = let_name(c, n, &name)) != 0)
		return rc;
	let->name = rd__strdup(name);
	if (let->name == NULL)
		return rd__error_oom();
	if (value != NULL) {
		xmlNodePtr k;

		for (k = n->children; k; k = k->next)
			if (!is_blank_text(k) && k->type != XML_COMMENT_NODE)
				return cerr(c, n, RD_ERULES,
				            "sch:let '%s' has both a value attribute and content", name);
		let->src = rd__strdup(value);
		if (let->src == NULL)
			return rd__error_oom();
		return compile_expr(c, n, "sch:let/@value", value, locals, &let->expr);
	}
	/* element content: the value is a tree of its own (an XSLT 1.0 result tree fragment) */
	let->content = xmlNewDoc((const xmlChar *)"1.0");
	if (let->content == NULL)
		return rd__error_oom();
	{
		xmlNodePtr copy = xmlDocCopyNodeList(let->content, n->children);
		xmlNodePtr k, next;

		for (k = copy; k; k = next) {
			next = k->next;
			k->next = k->prev = NULL;
			xmlAddChild((xmlNodePtr)let->content, k);
		}
	}
	xmlXPathOrderDocElems(let->content);
	let->src = rd__strdup("(element content)");
	return let->src ? 0 : rd__error_oom();
}

static void let_free(rd_let *l)
{
	free(l->name);
	free(l->src);
	xmlXPathFreeCompExpr(l->expr);
	xmlFreeDoc(l->content);
	free(l->deps);
}

/* ---------------------------------------------------------------- keys */

/* A QName split at its colon: the namespace URI of the prefix (from the schema's sch:ns
 * declarations, or from the XML namespaces in scope on decl when decl is not NULL) and the
 * local part. 0; 1 when the prefix is not declared; -1 when qname is not a QName. */
static int split_qname(const rd_schema *s, const xmlNode *decl, const char *qname,
                       const char **uri, const char **local)
{
	const char *colon = strchr(qname, ':');
	char prefix[128];
	size_t i, pl;

	*uri = NULL;
	*local = qname;
	if (colon == NULL)
		return valid_ncname(qname) && strchr(qname, '.') == NULL ? 0 : -1;
	pl = (size_t)(colon - qname);
	if (pl == 0 || pl >= sizeof prefix || !valid_ncname(colon + 1))
		return -1;
	memcpy(prefix, qname, pl);
	prefix[pl] = '\0';
	if (!valid_ncname(prefix))
		return -1;
	*local = colon + 1;
	if (decl != NULL) {
		xmlNsPtr ns = xmlSearchNs(decl->doc, (xmlNodePtr)(uintptr_t)decl, (const xmlChar *)prefix);

		*uri = ns ? (const char *)ns->href : NULL;
	} else {
		for (i = 0; i < s->nns; i++)
			if (strcmp(s->ns[i].prefix, prefix) == 0)
				*uri = s->ns[i].uri;
	}
	return *uri ? 0 : 1;
}

const rd_key *rd__schema_key(const rd_schema *s, const char *qname)
{
	const char *uri, *local;
	size_t i;

	if (s == NULL || qname == NULL)
		return NULL;
	/* the name as the key's first declaration wrote it: the common case, and cheap */
	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, qname) == 0 && strchr(qname, ':') == NULL)
			return &s->keys[i];
	if (split_qname(s, NULL, qname, &uri, &local) != 0)
		return NULL;
	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].local, local) == 0 &&
		    ((uri == NULL && s->keys[i].uri == NULL) ||
		     (uri && s->keys[i].uri && strcmp(uri, s->keys[i].uri) == 0)))
			return &s->keys[i];
	return NULL;
}

static void key_def_free(rd_key_def *d)
{
	size_t i;

	free(d->match_src);
	for (i = 0; i < d->nmatch; i++) {
		if (d->match_xpaths)
			free(d->match_xpaths[i]);
		if (d->match && d->match[i])
			xmlXPathFreeCompExpr(d->match[i]);
	}
	for (i = 0; i < d->nmatch; i++) {
		if (d->simple)
			rd__simple_path_free(d->simple[i]);
		if (d->pred && d->pred[i])
			xmlXPathFreeCompExpr(d->pred[i]);
	}
	for (i = 0; d->pred_attr && i < d->nmatch; i++)
		free(d->pred_attr[i]);
	free(d->simple);
	free(d->pred);
	free(d->pred_attr);
	free(d->pred_not);
	free(d->match_xpaths);
	free(d->match);
	free(d->use_src);
	if (d->use)
		xmlXPathFreeCompExpr(d->use);
	free(d->file);
}

void rd__key_free(rd_key *k)
{
	size_t i;

	for (i = 0; i < k->ndefs; i++)
		key_def_free(&k->defs[i]);
	free(k->defs);
	free(k->name);
	free(k->uri);
	free(k->local);
}

/* Read an xsl:key element (a child of sch:schema): its attributes, as XSLT 1.0 has them,
 * and its name, which *index receives (keys of the same expanded name add up). The match
 * and use expressions are compiled later (compile_key), once every key name is known. */
static int register_key(compiler *c, xmlNodePtr n, size_t *index)
{
	static const char *const allowed[] = { "name", "match", "use", NULL };
	rd_schema *s = c->sc;
	const char *name = attr(c, n, "name"), *match = attr(c, n, "match"), *use = attr(c, n, "use");
	const char *uri, *local;
	const xmlAttr *a;
	const xmlNode *ch;
	rd_key *k = NULL;
	size_t i, cap;
	int rc;

	for (a = n->properties; a; a = a->next) {
		int ok = a->ns != NULL;

		for (i = 0; !ok && allowed[i]; i++)
			ok = strcmp(allowed[i], (const char *)a->name) == 0;
		if (!ok)
			return cerr(c, n, RD_EUNSUPPORTED,
			            "xsl:key has the attribute '%s', which XSLT 1.0 does not define",
			            (const char *)a->name);
	}
	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE ||
		    ((ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) &&
		     !is_blank_text(ch)))
			return cerr(c, n, RD_EUNSUPPORTED,
			            "xsl:key must be empty (a sequence constructor needs XSLT 2)");
	if (name == NULL || name[0] == '\0')
		return cerr(c, n, RD_ERULES, "xsl:key needs a name attribute");
	rc = split_qname(s, n, name, &uri, &local);
	if (rc < 0)
		return cerr(c, n, RD_ERULES, "xsl:key name=\"%s\" is not a QName", name);
	if (rc > 0)
		return cerr(c, n, RD_ERULES,
		            "xsl:key name=\"%s\": the prefix is not declared (xmlns:prefix on the "
		            "schema)", name);
	if (match == NULL || match[0] == '\0' || use == NULL || use[0] == '\0')
		return cerr(c, n, RD_ERULES, "xsl:key name=\"%s\" needs match and use attributes", name);

	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].local, local) == 0 &&
		    ((uri == NULL && s->keys[i].uri == NULL) ||
		     (uri && s->keys[i].uri && strcmp(uri, s->keys[i].uri) == 0)))
			k = &s->keys[i];
	if (k == NULL) {
		cap = s->nkeys;
		if (rd__grow(&s->keys, &cap, s->nkeys, sizeof *s->keys) < 0)
			return rd__error_oom();
		k = &s->keys[s->nkeys];
		memset(k, 0, sizeof *k);
		k->name = rd__strdup(name);
		k->local = rd__strdup(local);
		k->uri = uri ? rd__strdup(uri) : NULL;
		if (k->name == NULL || k->local == NULL || (uri && k->uri == NULL)) {
			rd__key_free(k);
			return rd__error_oom();
		}
		s->nkeys++;
	}
	*index = (size_t)(k - s->keys);
	return 0;
}

/* A key's match alternative ("//a/b[@c]") that the document index can answer: a plain
 * path (simple_path()) whose last step may carry predicates, provided no predicate can
 * depend on the position of the node (no number, position() or last()), since they are
 * then evaluated on the node alone, as self::node()[...]. *path and *pred stay NULL when
 * the alternative is not of this form (XPath evaluates it then, which is always right). */
static int key_fast_path(compiler *c, const char *xpath, rd_simple_path **path,
                         xmlXPathCompExprPtr *pred, char **pred_attr, unsigned char *pred_not)
{
	rd_xtoks t;
	size_t errpos, i, first = (size_t)-1;
	const char *errmsg;
	int depth = 0, ok = 1;
	char *base = NULL;
	rd_buf b;

	*path = NULL;
	*pred = NULL;
	*pred_attr = NULL;
	*pred_not = 0;
	if (rd__xpath_scan(xpath, &t, &errpos, &errmsg) < 0)
		return 0;
	for (i = 0; i < t.n && ok; i++) {
		const rd_xtok *k = &t.v[i];

		if (k->type == RD_XT_LBRACKET) {
			if (depth == 0 && first == (size_t)-1)
				first = i;
			depth++;
		} else if (k->type == RD_XT_RBRACKET) {
			depth--;
			/* after a predicate of the last step: another predicate or the end */
			if (depth == 0 && i + 1 < t.n && t.v[i + 1].type != RD_XT_LBRACKET)
				ok = 0;
		} else if (first != (size_t)-1) {
			if (k->type == RD_XT_NUMBER ||
			    (k->type == RD_XT_FUNCTION && k->prefix_len == 0 &&
			     ((k->len == 8 && memcmp(xpath + k->start, "position", 8) == 0) ||
			      (k->len == 4 && memcmp(xpath + k->start, "last", 4) == 0))))
				ok = 0;
		}
	}
	if (ok && first == (size_t)-1) {
		*path = simple_path(c, xpath);
	} else if (ok) {
		base = rd__strndup(xpath, t.v[first].start);
		rd__buf_init(&b);
		rd__buf_puts(&b, "self::node()");
		rd__buf_puts(&b, xpath + t.v[first].start);
		if (base == NULL || b.oom) {
			free(base);
			rd__buf_free(&b);
			rd__xtoks_free(&t);
			return rd__error_oom();
		}
		*path = simple_path(c, base);
		if (*path) {
			/* [@a] and [not(@a)]: whether the node has the attribute, without XPath */
			const rd_xtok *k = &t.v[first];
			size_t n = t.n - first;

			if (n == 4 && k[1].type == RD_XT_AT && k[2].type == RD_XT_NAMETEST &&
			    k[2].prefix_len == 0 && xpath[k[2].start] != '*' &&
			    k[3].type == RD_XT_RBRACKET) {
				*pred_attr = rd__strndup(xpath + k[2].start, k[2].len);
			} else if (n == 7 && k[1].type == RD_XT_FUNCTION && k[1].len == 3 &&
			           memcmp(xpath + k[1].start, "not", 3) == 0 && k[2].type == RD_XT_LPAREN &&
			           k[3].type == RD_XT_AT && k[4].type == RD_XT_NAMETEST &&
			           k[4].prefix_len == 0 && xpath[k[4].start] != '*' &&
			           k[5].type == RD_XT_RPAREN && k[6].type == RD_XT_RBRACKET) {
				*pred_attr = rd__strndup(xpath + k[4].start, k[4].len);
				*pred_not = 1;
			} else {
				c->has_xperr = 0;
				*pred = rd__xpath_compile(c->xp, b.data);
				if (*pred == NULL) {
					rd__simple_path_free(*path);
					*path = NULL;
				}
			}
			if ((n == 4 || n == 7) && *pred == NULL && *pred_attr == NULL && *path) {
				/* a form above whose name could not be copied: out of memory */
				free(base);
				rd__buf_free(&b);
				rd__xtoks_free(&t);
				return rd__error_oom();
			}
		}
		free(base);
		rd__buf_free(&b);
	}
	rd__xtoks_free(&t);
	return 0;
}

/* Compile one xsl:key element into a definition of key number index. */
static int compile_key(compiler *c, xmlNodePtr n, size_t index)
{
	const char *match = attr(c, n, "match"), *use = attr(c, n, "use");
	rd_key *k = &c->sc->keys[index];
	rd_key_def *d;
	size_t i, cap;
	int rc;

	cap = k->ndefs;
	if (rd__grow(&k->defs, &cap, k->ndefs, sizeof *k->defs) < 0)
		return rd__error_oom();
	d = &k->defs[k->ndefs++];
	memset(d, 0, sizeof *d);
	d->line = rd__node_line(n);
	if ((rc = dup_opt(&d->file, node_file(n))) != 0 || (rc = dup_opt(&d->match_src, match)) != 0 ||
	    (rc = dup_opt(&d->use_src, use)) != 0)
		return rc;

	/* the match pattern: the syntax (and the evaluation) of rule contexts */
	if ((rc = check_expr(c, n, "xsl:key/@match", match, NULL)) != 0)
		return rc;
	d->match_xpaths = rd__pattern_to_xpaths(match, &d->nmatch);
	if (d->match_xpaths == NULL)
		return cerr(c, n, RD_ERULES, "xsl:key/@match is not a valid XSLT 1.0 pattern: %s", match);
	d->match = rd__calloc(d->nmatch, sizeof *d->match);
	d->simple = rd__calloc(d->nmatch, sizeof *d->simple);
	d->pred = rd__calloc(d->nmatch, sizeof *d->pred);
	d->pred_attr = rd__calloc(d->nmatch, sizeof *d->pred_attr);
	d->pred_not = rd__calloc(d->nmatch, sizeof *d->pred_not);
	if (d->match == NULL || d->simple == NULL || d->pred == NULL || d->pred_attr == NULL ||
	    d->pred_not == NULL)
		return rd__error_oom();
	for (i = 0; i < d->nmatch; i++) {
		c->has_xperr = 0;
		d->match[i] = rd__xpath_compile(c->xp, d->match_xpaths[i]);
		if (d->match[i] == NULL)
			return cerr(c, n, RD_ERULES, "xsl:key/@match is not a valid pattern: %s: %s",
			            c->has_xperr ? c->xperr : "cannot compile", match);
		if ((rc = key_fast_path(c, d->match_xpaths[i], &d->simple[i], &d->pred[i],
		                        &d->pred_attr[i], &d->pred_not[i])) != 0)
			return rc;
	}
	return compile_expr(c, n, "xsl:key/@use", use, NULL, &d->use);
}

/* Refuse a key whose index would need itself (through key() in match or use). */
static int check_key_cycles(compiler *c, xmlNodePtr *key_nodes, const size_t *key_of, size_t n)
{
	rd_schema *s = c->sc;
	unsigned char *state = rd__calloc(s->nkeys ? s->nkeys : 1, 1);
	size_t *stack = rd__calloc(2 * s->nkeys + 2, sizeof *stack);
	size_t i, sp, d;
	int rc = 0;

	if (state == NULL || stack == NULL) {
		free(state);
		free(stack);
		return rd__error_oom();
	}
	/* iterative depth-first search; stack holds (key, next edge) pairs */
	for (i = 0; i < s->nkeys && rc == 0; i++) {
		if (state[i])
			continue;
		sp = 0;
		stack[sp++] = i;
		stack[sp++] = 0;
		state[i] = 1;
		while (sp && rc == 0) {
			size_t node = stack[sp - 2], *next = &stack[sp - 1];

			for (; *next < c->nkey_deps; *next += 2)
				if (c->key_deps[*next] == node)
					break;
			if (*next >= c->nkey_deps) {
				state[node] = 2;
				sp -= 2;
				continue;
			}
			d = c->key_deps[*next + 1];
			*next += 2;
			if (state[d] == 1) {
				size_t j;
				xmlNodePtr at = NULL;

				for (j = 0; j < n && at == NULL; j++)
					if (key_of[j] == node)
						at = key_nodes[j];
				rc = cerr(c, at, RD_ERULES,
				          "xsl:key '%s' depends on itself: its match or use calls key('%s'), "
				          "which needs key '%s' again",
				          s->keys[node].name, s->keys[d].name, s->keys[node].name);
			} else if (state[d] == 0) {
				state[d] = 1;
				stack[sp++] = d;
				stack[sp++] = 0;
			}
		}
	}
	free(state);
	free(stack);
	return rc;
}

/* Point each key of the schema being compiled at an identical key of an earlier schema of
 * the rule set, if there is one, so that a check builds one index for both (the pk pack's
 * schemas each declare the same keys over a booking). Identical: same expanded name, same
 * match and use in the same order, the same namespace declarations, and no key() call
 * (whose meaning would depend on the other keys of each schema). */
static void share_keys(compiler *c)
{
	rd_schema *s = c->sc;
	const rd_rules *rules = c->rules;
	size_t i, j, d, q;

	for (d = 0; d < c->nkey_deps; d += 2)
		s->keys[c->key_deps[d]].calls_key = 1;
	for (i = 0; i < s->nkeys; i++) {
		rd_key *k = &s->keys[i];

		for (j = 0; !k->calls_key && k->same_as == NULL && j < rules->nschemas; j++) {
			const rd_schema *o = rules->schemas[j];
			const rd_key *m = rd__schema_key(o, k->name);
			int same = m != NULL && !m->calls_key && o->nns == s->nns && m->ndefs == k->ndefs &&
			           strcmp(m->local, k->local) == 0 &&
			           ((m->uri == NULL && k->uri == NULL) ||
			            (m->uri && k->uri && strcmp(m->uri, k->uri) == 0));

			for (q = 0; same && q < s->nns; q++)
				same = strcmp(o->ns[q].prefix, s->ns[q].prefix) == 0 &&
				       strcmp(o->ns[q].uri, s->ns[q].uri) == 0;
			for (d = 0; same && d < k->ndefs; d++)
				same = strcmp(m->defs[d].match_src, k->defs[d].match_src) == 0 &&
				       strcmp(m->defs[d].use_src, k->defs[d].use_src) == 0;
			if (same)
				k->same_as = m->same_as ? m->same_as : m;
		}
	}
}

/* An XSLT element where rahdari does not take it: xsl:key outside sch:schema, or any
 * other (rahdari evaluates XPath, not XSLT). */
static int xsl_refused(compiler *c, const xmlNode *k, const char *where)
{
	if (strcmp((const char *)k->name, "key") == 0)
		return cerr(c, k, RD_ERULES, "xsl:key must be a child of sch:schema, not of %s", where);
	if (strcmp(where, "a message") == 0)
		return cerr(c, k, RD_EUNSUPPORTED,
		            "XSLT element xsl:%s in a message is not supported by rahdari",
		            (const char *)k->name);
	return cerr(c, k, RD_EUNSUPPORTED, "XSLT element xsl:%s is not supported by rahdari",
	            (const char *)k->name);
}

/* ---------------------------------------------------------------- assertions */

static int parse_severity(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "fatal") == 0 || strcmp(v, "error") == 0)
		return RD_SEVERITY_ERROR;
	if (strcmp(v, "warning") == 0 || strcmp(v, "warn") == 0)
		return RD_SEVERITY_WARNING;
	if (strcmp(v, "info") == 0 || strcmp(v, "information") == 0)
		return RD_SEVERITY_INFO;
	return 0;
}

/* An rd: attribute from the assert, else the rule, else the pattern, else the schema. */
static const char *rd_inherited(compiler *c, const xmlNode *n, const char *name)
{
	const char *v = attr_ns(n, RD_NS_RULES, name);

	if (v == NULL && c->cur_rule)
		v = attr_ns(c->cur_rule, RD_NS_RULES, name);
	if (v == NULL && c->cur_pattern)
		v = attr_ns(c->cur_pattern, RD_NS_RULES, name);
	if (v == NULL)
		v = attr_ns(c->root, RD_NS_RULES, name);
	return v;
}

static int dup_opt(char **dst, const char *v)
{
	*dst = NULL;
	if (v == NULL)
		return 0;
	*dst = rd__strdup(v);
	return *dst ? 0 : rd__error_oom();
}

static int find_id(const rd_diag *d, size_t n, const char *id, size_t len, size_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(d[i].id) == len && memcmp(d[i].id, id, len) == 0) {
			*out = i;
			return 1;
		}
	}
	return 0;
}

static int id_refs(compiler *c, const xmlNode *n, const char *what, const char *list,
                   const rd_diag *table, size_t ntable, size_t **out, size_t *nout)
{
	const char *p = list;
	size_t cap = 0;

	*out = NULL;
	*nout = 0;
	while (p && *p) {
		const char *s;
		size_t idx;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p == s)
			break;
		if (!find_id(table, ntable, s, (size_t)(p - s), &idx))
			return cerr(c, n, RD_ERULES, "%s refers to '%.*s', which is not defined", what,
			            (int)(p - s), s);
		if (rd__grow(out, &cap, *nout, sizeof **out) < 0)
			return rd__error_oom();
		(*out)[(*nout)++] = idx;
	}
	return 0;
}

static void assertion_free(rd_assertion *a)
{
	if (a == NULL)
		return;
	free(a->id);
	free(a->test_src);
	xmlXPathFreeCompExpr(a->test);
	free(a->subject_src);
	xmlXPathFreeCompExpr(a->subject);
	msg_free(&a->msg);
	free(a->msg_template);
	free(a->lang);
	free(a->role);
	free(a->flag);
	free(a->see);
	free(a->icon);
	free(a->fpi);
	free(a->cite);
	free(a->tags);
	free(a->confidence);
	free(a->jurisdiction);
	free(a->eff_from_s);
	free(a->eff_to_s);
	free(a->diags);
	free(a->props);
	free(a->file);
	free(a);
}

static int valid_jurisdiction(const char *s)
{
	const char *p = s;
	int any = 0;

	while (*p) {
		const char *t;

		while (*p == ' ')
			p++;
		t = p;
		while (*p && *p != ' ')
			p++;
		if (p == t)
			break;
		any = 1;
		if (p - t < 2 || !(t[0] >= 'A' && t[0] <= 'Z') || !(t[1] >= 'A' && t[1] <= 'Z'))
			return 0;
		if (p - t > 2) {
			const char *q;

			if (t[2] != '-' || p - t < 4 || p - t > 6)
				return 0;
			for (q = t + 3; q < p; q++)
				if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
					return 0;
		}
	}
	return any;
}

static int compile_assertion(compiler *c, xmlNodePtr n, const scope *locals, rd_pattern *pat,
                             rd_rule *rule, rd_assertion **out)
{
	static const char *const allowed[] = { "test", "id", "role", "flag", "see", "icon", "fpi",
		                               "diagnostics", "properties", "subject", "severity",
		                               NULL };
	static const char *const rd_allowed[] = { "cite", "tags", "effective-from", "effective-to",
		                                  "jurisdiction", "confidence", NULL };
	rd_assertion *a;
	const char *v;
	int rc;

	*out = NULL;
	if ((rc = check_attrs(c, n, allowed, rd_allowed)) != 0)
		return rc;
	a = rd__calloc(1, sizeof *a);
	if (a == NULL)
		return rd__error_oom();
	a->kind = is_sch(n, "assert") ? RD_KIND_ASSERT : RD_KIND_REPORT;
	a->pattern = pat;
	a->rule = rule;
	a->line = rd__node_line(n);
	a->eff_from = LONG_MIN;
	a->eff_to = LONG_MAX;
	if ((rc = dup_opt(&a->file, node_file(n))) != 0)
		goto fail;
	v = attr(c, n, "test");
	if (v == NULL || v[0] == '\0') {
		rc = cerr(c, n, RD_ERULES, "sch:%s needs a test attribute", (const char *)n->name);
		goto fail;
	}
	if ((rc = dup_opt(&a->test_src, v)) != 0)
		goto fail;
	if ((rc = compile_expr(c, n, a->kind == RD_KIND_ASSERT ? "sch:assert/@test"
	                                                       : "sch:report/@test",
	                       a->test_src, locals, &a->test)) != 0)
		goto fail;
	if ((v = attr(c, n, "subject")) != NULL) {
		if ((rc = dup_opt(&a->subject_src, v)) != 0 ||
		    (rc = compile_expr(c, n, "@subject", v, locals, &a->subject)) != 0)
			goto fail;
	}
	if ((rc = dup_opt(&a->id, attr(c, n, "id"))) != 0 ||
	    (rc = dup_opt(&a->role, attr(c, n, "role"))) != 0 ||
	    (rc = dup_opt(&a->flag, attr(c, n, "flag"))) != 0 ||
	    (rc = dup_opt(&a->see, attr(c, n, "see"))) != 0 ||
	    (rc = dup_opt(&a->icon, attr(c, n, "icon"))) != 0 ||
	    (rc = dup_opt(&a->fpi, attr(c, n, "fpi"))) != 0)
		goto fail;
	/* severity: severity, else role, else flag; else by kind */
	v = attr(c, n, "severity");
	if (v != NULL) {
		a->severity = parse_severity(v);
		if (a->severity == 0) {
			rc = cerr(c, n, RD_ERULES,
			          "severity=\"%s\": use fatal, error, warning (warn), info (information)",
			          v);
			goto fail;
		}
	}
	if (a->severity == 0)
		a->severity = parse_severity(a->role);
	if (a->severity == 0)
		a->severity = parse_severity(a->flag);
	if (a->severity == 0)
		a->severity = a->kind == RD_KIND_ASSERT ? RD_SEVERITY_ERROR : RD_SEVERITY_WARNING;
	/* rahdari metadata */
	if ((rc = dup_opt(&a->cite, rd_inherited(c, n, "cite"))) != 0 ||
	    (rc = dup_opt(&a->tags, rd_inherited(c, n, "tags"))) != 0 ||
	    (rc = dup_opt(&a->confidence, rd_inherited(c, n, "confidence"))) != 0 ||
	    (rc = dup_opt(&a->jurisdiction, rd_inherited(c, n, "jurisdiction"))) != 0 ||
	    (rc = dup_opt(&a->eff_from_s, rd_inherited(c, n, "effective-from"))) != 0 ||
	    (rc = dup_opt(&a->eff_to_s, rd_inherited(c, n, "effective-to"))) != 0)
		goto fail;
	if (a->tags) {
		rd__normalize_space(a->tags);
	}
	if (a->confidence && strcmp(a->confidence, "V") != 0 && strcmp(a->confidence, "S") != 0 &&
	    strcmp(a->confidence, "U") != 0) {
		rc = cerr(c, n, RD_ERULES, "rd:confidence=\"%s\": use V, S or U", a->confidence);
		goto fail;
	}
	if (a->jurisdiction) {
		rd__normalize_space(a->jurisdiction);
		if (!valid_jurisdiction(a->jurisdiction)) {
			rc = cerr(c, n, RD_ERULES,
			          "rd:jurisdiction=\"%s\": use codes such as PK, PK-PB, PK-SD",
			          a->jurisdiction);
			goto fail;
		}
	}
	if (a->eff_from_s && rd__date_parse(a->eff_from_s, strlen(a->eff_from_s), 0, &a->eff_from)) {
		rc = cerr(c, n, RD_ERULES, "rd:effective-from=\"%s\" is not a date (YYYY-MM-DD)",
		          a->eff_from_s);
		goto fail;
	}
	if (a->eff_to_s && rd__date_parse(a->eff_to_s, strlen(a->eff_to_s), 0, &a->eff_to)) {
		rc = cerr(c, n, RD_ERULES, "rd:effective-to=\"%s\" is not a date (YYYY-MM-DD)",
		          a->eff_to_s);
		goto fail;
	}
	if (a->eff_from > a->eff_to) {
		rc = cerr(c, n, RD_ERULES, "rd:effective-from is after rd:effective-to");
		goto fail;
	}
	v = xml_lang(n);
	if ((rc = dup_opt(&a->lang, v ? v : "en")) != 0)
		goto fail;
	if ((rc = compile_msg(c, n, locals, &a->msg)) != 0)
		goto fail;
	{
		rd_buf b;
		size_t i;

		rd__buf_init(&b);
		rd__buf_add(&b, "", 0);
		for (i = 0; i < a->msg.n; i++) {
			const rd_part *p = &a->msg.parts[i];

			if (p->type == RD_PART_TEXT)
				rd__buf_puts(&b, p->text);
			else if (p->type == RD_PART_VALUE_OF)
				rd__buf_printf(&b, "{%s}", p->text);
			else
				rd__buf_printf(&b, "{name(%s)}", p->text);
		}
		a->msg_template = rd__normalize_space(rd__buf_take(&b, NULL));
		if (a->msg_template == NULL) {
			rc = rd__error_oom();
			goto fail;
		}
	}
	if ((v = attr(c, n, "diagnostics")) != NULL &&
	    (rc = id_refs(c, n, "diagnostics", v, c->sc->diags, c->sc->ndiags, &a->diags,
	                  &a->ndiags)) != 0)
		goto fail;
	if ((v = attr(c, n, "properties")) != NULL &&
	    (rc = id_refs(c, n, "properties", v, c->sc->props, c->sc->nprops, &a->props,
	                  &a->nprops)) != 0)
		goto fail;
	*out = a;
	return 0;
fail:
	assertion_free(a);
	return rc;
}

/* ---------------------------------------------------------------- rules */

static void rule_free(rd_rule *r)
{
	size_t i;

	free(r->id);
	free(r->context_src);
	for (i = 0; i < r->ncontexts; i++) {
		if (r->context_xpaths)
			free(r->context_xpaths[i]);
		if (r->contexts)
			xmlXPathFreeCompExpr(r->contexts[i]);
	}
	for (i = 0; r->simple && i < r->ncontexts; i++)
		rd__simple_path_free(r->simple[i]);
	free(r->simple);
	free(r->context_xpaths);
	free(r->contexts);
	for (i = 0; i < r->nlets; i++)
		let_free(&r->lets[i]);
	free(r->lets);
	for (i = 0; i < r->nasserts; i++)
		assertion_free(r->asserts[i]);
	free(r->asserts);
	free(r->role);
	free(r->flag);
	free(r->see);
	free(r->icon);
	free(r->fpi);
	free(r->file);
}

/* An abstract rule by id. Those in sch:rules are visible everywhere; those in a pattern
 * only to that pattern's rules (ISO Schematron 2016, 5.4.12). *elsewhere is set when the
 * id exists only in another pattern. */
static xmlNodePtr find_abstract_rule(compiler *c, const char *id, const xmlNode *body,
                                     int *elsewhere)
{
	size_t i;

	if (elsewhere)
		*elsewhere = 0;
	for (i = 0; i < c->abstract_rules.n; i++) {
		const char *rid = attr(c, c->abstract_rules.v[i], "id");

		if (rid == NULL || strcmp(rid, id) != 0)
			continue;
		if (body == NULL || c->abstract_owner.v[i] == NULL || c->abstract_owner.v[i] == body)
			return c->abstract_rules.v[i];
		if (elsewhere)
			*elsewhere = 1;
	}
	return NULL;
}

typedef struct rule_build {
	rd_rule *rule;
	rd_pattern *pat;
	scope locals;
	size_t capasserts, caplets;
} rule_build;

/* Compile the content of a rule (its own or an abstract rule's, through extends). */
static int rule_content(compiler *c, rule_build *rb, xmlNodePtr n)
{
	nodelist kids = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = children(c, n, &kids)) != 0)
		goto done;
	for (i = 0; i < kids.n && rc == 0; i++) {
		xmlNodePtr k = kids.v[i];

		if (is_sch(k, "let")) {
			rd_let let;
			size_t j;

			if ((rc = compile_let(c, k, &rb->locals, &let)) != 0) {
				let_free(&let);
				break;
			}
			for (j = 0; j < rb->rule->nlets; j++) {
				if (strcmp(rb->rule->lets[j].name, let.name) == 0) {
					rc = cerr(c, k, RD_ERULES, "variable '%s' is defined twice in this rule",
					          let.name);
					break;
				}
			}
			if (rc == 0 && rd__grow(&rb->rule->lets, &rb->caplets, rb->rule->nlets,
			                        sizeof *rb->rule->lets) < 0)
				rc = rd__error_oom();
			if (rc != 0) {
				let_free(&let);
				break;
			}
			rb->rule->lets[rb->rule->nlets++] = let;
			rc = scope_add(&rb->locals, rb->rule->lets[rb->rule->nlets - 1].name);
		} else if (is_sch(k, "assert") || is_sch(k, "report")) {
			rd_assertion *a;

			if ((rc = compile_assertion(c, k, &rb->locals, rb->pat, rb->rule, &a)) != 0)
				break;
			if (rd__grow(&rb->rule->asserts, &rb->capasserts, rb->rule->nasserts,
			             sizeof *rb->rule->asserts) < 0) {
				assertion_free(a);
				rc = rd__error_oom();
				break;
			}
			rb->rule->asserts[rb->rule->nasserts++] = a;
		} else if (is_sch(k, "extends")) {
			static const char *const allowed[] = { "rule", "href", NULL };
			const char *rid = attr(c, k, "rule");
			const char *href = attr(c, k, "href");
			xmlNodePtr target = NULL;

			if ((rc = check_attrs(c, k, allowed, NULL)) != 0)
				break;
			if ((rid == NULL) == (href == NULL)) {
				rc = cerr(c, k, RD_ERULES, "sch:extends needs either a rule or an href attribute");
				break;
			}
			if (rid) {
				int elsewhere;

				target = find_abstract_rule(c, rid, c->cur_body, &elsewhere);
				if (target == NULL) {
					rc = cerr(c, k, RD_ERULES,
					          elsewhere ? "sch:extends rule=\"%s\": that abstract rule is in "
					                      "another pattern (share abstract rules through "
					                      "sch:rules)"
					                    : "sch:extends rule=\"%s\": no abstract rule with this id",
					          rid);
					break;
				}
			} else {
				if ((rc = resolve_href(c, k, "sch:extends", href, &target)) != 0)
					break;
				if (!is_sch(target, "rule")) {
					rc = cerr(c, k, RD_ERULES, "sch:extends href=\"%s\" does not lead to a sch:rule",
					          href);
					break;
				}
			}
			if (++c->extends_depth > MAX_EXTENDS_DEPTH) {
				rc = cerr(c, k, RD_ERULES,
				          "sch:extends nested more than %d deep (a rule that extends itself?)",
				          MAX_EXTENDS_DEPTH);
				break;
			}
			rc = rule_content(c, rb, target);
			c->extends_depth--;
		} else if (is_sch(k, "p") || is_sch(k, "title")) {
			continue;
		} else if (is_sch(k, NULL)) {
			rc = cerr(c, k, RD_ERULES, "sch:%s is not allowed in sch:rule", (const char *)k->name);
		} else if (in_ns(k, RD_NS_XSL)) {
			rc = xsl_refused(c, k, "sch:rule");
		} else if (in_ns(k, RD_NS_RULES)) {
			rc = cerr(c, k, RD_ERULES, "rd:%s is not allowed in sch:rule", (const char *)k->name);
		}
	}
done:
	free(kids.v);
	return rc;
}

void rd__simple_path_free(rd_simple_path *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsteps; i++) {
		free(p->steps[i].local);
		free(p->steps[i].ns);
	}
	free(p->steps);
	free(p->attr.local);
	free(p->attr.ns);
	free(p);
}

/* Fill a step from a name test token; 0, or -1 when out of memory. */
static int simple_step(compiler *c, const char *expr, const rd_xtok *k, rd_simple_step *st)
{
	const char *s = expr + k->start;

	memset(st, 0, sizeof *st);
	if (k->len == 1 && s[0] == '*') {
		st->any_ns = 1;
		return 0;
	}
	if (k->prefix_len) {
		const char *uri = ns_uri_for(c, s, k->prefix_len);

		st->ns = rd__strdup(uri);
		if (st->ns == NULL)
			return -1;
		if (s[k->len - 1] == '*' && k->len == k->prefix_len + 2)
			return 0; /* p:* */
		st->local = rd__strndup(s + k->prefix_len + 1, k->len - k->prefix_len - 1);
		return st->local ? 0 : -1;
	}
	st->local = rd__strndup(s, k->len);
	return st->local ? 0 : -1;
}

/* Recognise a context alternative (as evaluated from the root: "//a/b", "/a/@c") that is
 * a plain path the document index can answer; NULL when it is not one (or no memory: the
 * XPath path is then used, which is always correct). */
static rd_simple_path *simple_path(compiler *c, const char *expr)
{
	rd_xtoks t;
	size_t errpos, i = 0, cap = 0;
	const char *errmsg;
	rd_simple_path *p;

	if (rd__xpath_scan(expr, &t, &errpos, &errmsg) < 0)
		return NULL;
	p = rd__calloc(1, sizeof *p);
	if (p == NULL || t.n < 2 || t.v[0].type != RD_XT_OPERATOR)
		goto no;
	if (t.v[0].len == 1 && expr[t.v[0].start] == '/')
		p->absolute = 1;
	else if (!(t.v[0].len == 2 && expr[t.v[0].start] == '/'))
		goto no;
	i = 1;
	for (;;) {
		if (t.v[i].type == RD_XT_NAMETEST) {
			if (rd__grow(&p->steps, &cap, p->nsteps, sizeof *p->steps) < 0 ||
			    simple_step(c, expr, &t.v[i], &p->steps[p->nsteps]) < 0)
				goto no;
			p->nsteps++;
			i++;
		} else if (t.v[i].type == RD_XT_AT && i + 1 < t.n && t.v[i + 1].type == RD_XT_NAMETEST &&
		           i + 2 == t.n) {
			if (simple_step(c, expr, &t.v[i + 1], &p->attr) < 0)
				goto no;
			p->has_attr = 1;
			i += 2;
		} else {
			goto no;
		}
		if (i == t.n)
			break;
		/* between steps: a single "/" only */
		if (p->has_attr || t.v[i].type != RD_XT_OPERATOR || t.v[i].len != 1 ||
		    expr[t.v[i].start] != '/' || i + 1 == t.n)
			goto no;
		i++;
	}
	if (p->nsteps == 0 && !p->has_attr)
		goto no;
	if (p->absolute && p->nsteps == 0)
		goto no; /* "/@a": attributes of the document node: none; leave it to XPath */
	rd__xtoks_free(&t);
	return p;
no:
	rd__xtoks_free(&t);
	rd__simple_path_free(p);
	return NULL;
}

static int compile_rule(compiler *c, xmlNodePtr n, rd_pattern *pat, rd_rule *rule)
{
	static const char *const allowed[] = { "context", "id", "abstract", "role", "flag", "see",
		                               "icon", "fpi", "subject", "visit-each", NULL };
	static const char *const rd_allowed[] = { "cite", "tags", "effective-from", "effective-to",
		                                  "jurisdiction", "confidence", NULL };
	rule_build rb;
	const char *v;
	size_t i;
	int rc;

	memset(rule, 0, sizeof *rule);
	memset(&rb, 0, sizeof rb);
	rb.rule = rule;
	rb.pat = pat;
	if ((rc = check_attrs(c, n, allowed, rd_allowed)) != 0)
		return rc;
	if (attr(c, n, "visit-each"))
		return cerr(c, n, RD_EUNSUPPORTED, "sch:rule/@visit-each is not supported by rahdari");
	if (attr(c, n, "subject"))
		return cerr(c, n, RD_EUNSUPPORTED,
		            "sch:rule/@subject is not supported; put subject on the assert or report");
	rule->line = rd__node_line(n);
	if ((rc = dup_opt(&rule->file, node_file(n))) != 0 ||
	    (rc = dup_opt(&rule->id, attr(c, n, "id"))) != 0 ||
	    (rc = dup_opt(&rule->role, attr(c, n, "role"))) != 0 ||
	    (rc = dup_opt(&rule->flag, attr(c, n, "flag"))) != 0 ||
	    (rc = dup_opt(&rule->see, attr(c, n, "see"))) != 0 ||
	    (rc = dup_opt(&rule->icon, attr(c, n, "icon"))) != 0 ||
	    (rc = dup_opt(&rule->fpi, attr(c, n, "fpi"))) != 0)
		return rc;
	v = attr(c, n, "context");
	if (v == NULL || v[0] == '\0')
		return cerr(c, n, RD_ERULES, "sch:rule needs a context attribute");
	if ((rc = dup_opt(&rule->context_src, v)) != 0)
		return rc;
	rc = check_expr(c, n, "sch:rule/@context", v, NULL);
	if (rc != 0)
		return rc;
	rule->context_xpaths = rd__pattern_to_xpaths(v, &rule->ncontexts);
	if (rule->context_xpaths == NULL)
		return cerr(c, n, RD_ERULES, "sch:rule/@context is not a valid XSLT 1.0 pattern: %s", v);
	rule->contexts = rd__calloc(rule->ncontexts, sizeof *rule->contexts);
	if (rule->contexts == NULL)
		return rd__error_oom();
	rule->simple = rd__calloc(rule->ncontexts, sizeof *rule->simple);
	if (rule->simple == NULL)
		return rd__error_oom();
	for (i = 0; i < rule->ncontexts; i++) {
		c->has_xperr = 0;
		rule->contexts[i] = rd__xpath_compile(c->xp, rule->context_xpaths[i]);
		if (rule->contexts[i] == NULL)
			return cerr(c, n, RD_ERULES, "sch:rule/@context is not a valid pattern: %s: %s",
			            c->has_xperr ? c->xperr : "cannot compile", v);
		rule->simple[i] = simple_path(c, rule->context_xpaths[i]);
	}
	c->cur_rule = n;
	c->extends_depth = 0;
	rc = rule_content(c, &rb, n);
	c->cur_rule = NULL;
	free(rb.locals.names);
	return rc;
}

/* ---------------------------------------------------------------- patterns */

static void pattern_free(rd_pattern *p)
{
	size_t i;

	free(p->id);
	free(p->title);
	for (i = 0; i < p->nrules; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	free(p->file);
}

static xmlNodePtr find_abstract_pattern(compiler *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->abstract_patterns.n; i++) {
		const char *pid = attr(c, c->abstract_patterns.v[i], "id");

		if (pid && strcmp(pid, id) == 0)
			return c->abstract_patterns.v[i];
	}
	return NULL;
}

static const char *const pattern_attrs[] = { "id", "abstract", "is-a", "see", "fpi", "icon",
	                                     "documents", NULL };
static const char *const pattern_rd_attrs[] = { "cite", "tags", "effective-from",
	                                        "effective-to", "jurisdiction", "confidence",
	                                        NULL };

/* First pass over a pattern (or an abstract pattern's body): its lets (globals). */
static int pattern_lets(compiler *c, xmlNodePtr n, nodelist *lets)
{
	nodelist kids = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = children(c, n, &kids)) != 0)
		goto done;
	for (i = 0; i < kids.n && rc == 0; i++)
		if (is_sch(kids.v[i], "let"))
			rc = list_add(lets, kids.v[i]);
done:
	free(kids.v);
	return rc;
}

static int compile_pattern_body(compiler *c, xmlNodePtr body, rd_pattern *pat)
{
	nodelist kids = { NULL, 0, 0 };
	size_t i, caprules = 0;
	int rc;

	if ((rc = children(c, body, &kids)) != 0)
		goto done;
	for (i = 0; i < kids.n && rc == 0; i++) {
		xmlNodePtr k = kids.v[i];

		if (is_sch(k, "rule")) {
			const char *abs = attr(c, k, "abstract");

			if (abs && strcmp(abs, "true") == 0)
				continue; /* collected in the first pass */
			if (abs && strcmp(abs, "false") != 0) {
				rc = cerr(c, k, RD_ERULES, "abstract=\"%s\": use true or false", abs);
				break;
			}
			if (rd__grow(&pat->rules, &caprules, pat->nrules, sizeof *pat->rules) < 0) {
				rc = rd__error_oom();
				break;
			}
			rc = compile_rule(c, k, pat, &pat->rules[pat->nrules]);
			pat->nrules++;
		} else if (is_sch(k, "let") || is_sch(k, "p") || is_sch(k, "param")) {
			continue; /* lets were compiled as globals; params handled by is-a */
		} else if (is_sch(k, "title")) {
			if (pat->title == NULL && (pat->title = text_content(k)) == NULL)
				rc = rd__error_oom();
		} else if (is_sch(k, NULL)) {
			rc = cerr(c, k, RD_ERULES, "sch:%s is not allowed in sch:pattern",
			          (const char *)k->name);
		} else if (in_ns(k, RD_NS_XSL)) {
			rc = xsl_refused(c, k, "sch:pattern");
		} else if (in_ns(k, RD_NS_RULES)) {
			rc = cerr(c, k, RD_ERULES, "rd:%s is not allowed in sch:pattern",
			          (const char *)k->name);
		}
	}
done:
	free(kids.v);
	return rc;
}

/* Set c->params from the sch:param children of an is-a pattern. */
static int read_params(compiler *c, xmlNodePtr n)
{
	nodelist kids = { NULL, 0, 0 };
	size_t i, cap = 0;
	int rc;

	free(c->params);
	c->params = NULL;
	c->nparams = 0;
	if ((rc = children(c, n, &kids)) != 0)
		goto done;
	for (i = 0; i < kids.n && rc == 0; i++) {
		xmlNodePtr k = kids.v[i];
		const char *name, *value;
		const xmlAttr *a;
		size_t j;

		if (is_sch(k, "p") || is_sch(k, "title"))
			continue;
		if (!is_sch(k, "param")) {
			if (is_sch(k, NULL) || in_ns(k, RD_NS_XSL))
				rc = cerr(c, k, RD_ERULES,
				          "a pattern with is-a may only contain sch:param, not %s",
				          (const char *)k->name);
			continue;
		}
		name = value = NULL;
		for (a = k->properties; a; a = a->next) {
			if (a->ns == NULL && strcmp((const char *)a->name, "name") == 0 && a->children)
				name = (const char *)a->children->content;
			if (a->ns == NULL && strcmp((const char *)a->name, "value") == 0 && a->children)
				value = (const char *)a->children->content;
		}
		if (name == NULL || !valid_ncname(name)) {
			rc = cerr(c, k, RD_ERULES, "sch:param needs a name attribute that is an NCName");
			break;
		}
		if (value == NULL) {
			rc = cerr(c, k, RD_ERULES, "sch:param '%s' needs a value attribute", name);
			break;
		}
		for (j = 0; j < c->nparams; j++)
			if (strcmp(c->params[j].name, name) == 0)
				rc = cerr(c, k, RD_ERULES, "sch:param '%s' is given twice", name);
		if (rc)
			break;
		if (rd__grow(&c->params, &cap, c->nparams, sizeof *c->params) < 0) {
			rc = rd__error_oom();
			break;
		}
		c->params[c->nparams].name = name;
		c->params[c->nparams].value = value;
		c->nparams++;
	}
done:
	free(kids.v);
	return rc;
}

/* ---------------------------------------------------------------- diagnostics */

static void diag_free(rd_diag *d)
{
	free(d->id);
	free(d->lang);
	free(d->role);
	msg_free(&d->msg);
}

static int compile_diags(compiler *c, nodelist *nodes, const char *kind, rd_diag **out,
                         size_t *nout)
{
	size_t i, j;
	int rc = 0;

	*out = rd__calloc(nodes->n, sizeof **out);
	if (*out == NULL)
		return rd__error_oom();
	*nout = 0;
	for (i = 0; i < nodes->n && rc == 0; i++) {
		xmlNodePtr k = nodes->v[i];
		rd_diag *d = &(*out)[*nout];
		const char *id = attr(c, k, "id");
		const char *lang;
		static const char *const allowed[] = { "id", "role", "see", "icon", "fpi", "scheme",
			                               NULL };

		if ((rc = check_attrs(c, k, allowed, NULL)) != 0)
			break;
		if (id == NULL || id[0] == '\0') {
			rc = cerr(c, k, RD_ERULES, "sch:%s needs an id attribute", kind);
			break;
		}
		for (j = 0; j < *nout; j++)
			if (strcmp((*out)[j].id, id) == 0)
				rc = cerr(c, k, RD_ERULES, "sch:%s id '%s' is defined twice", kind, id);
		if (rc)
			break;
		lang = attr_ns(k, (const char *)XML_XML_NAMESPACE, "lang");
		if ((rc = dup_opt(&d->id, id)) != 0 || (rc = dup_opt(&d->lang, lang)) != 0 ||
		    (rc = dup_opt(&d->role, attr(c, k, "role"))) != 0)
			break;
		(*nout)++;
		/* messages compiled later, once variables are known */
	}
	return rc;
}

/* Diagnostics and properties are evaluated at the context of the assert that refers to
 * them, where that rule's variables are bound: rule variable names of the whole schema
 * are accepted here (a name unbound where it is used is an evaluation error). */
static int compile_diag_msgs(compiler *c, nodelist *nodes, rd_diag *d, size_t n,
                             const scope *rulevars)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = compile_msg(c, nodes->v[i], rulevars, &d[i].msg);
	return rc;
}

/* ---------------------------------------------------------------- the schema */

static void schema_free(rd_schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->file);
	free(s->title);
	free(s->id);
	free(s->schema_version);
	free(s->default_phase);
	free(s->lang);
	for (i = 0; i < s->nns; i++) {
		free(s->ns[i].prefix);
		free(s->ns[i].uri);
		if (s->xns && s->xns[i])
			xmlFreeNs(s->xns[i]);
	}
	free(s->ns);
	free(s->xns);
	for (i = 0; i < s->nglobals; i++)
		let_free(&s->globals[i]);
	free(s->globals);
	free(s->global_order);
	for (i = 0; i < s->npatterns; i++)
		pattern_free(&s->patterns[i]);
	free(s->patterns);
	for (i = 0; i < s->nphases; i++) {
		size_t j;

		free(s->phases[i].id);
		free(s->phases[i].active);
		for (j = 0; j < s->phases[i].nlets; j++)
			let_free(&s->phases[i].lets[j]);
		free(s->phases[i].lets);
	}
	free(s->phases);
	for (i = 0; i < s->ndiags; i++)
		diag_free(&s->diags[i]);
	free(s->diags);
	for (i = 0; i < s->nprops; i++)
		diag_free(&s->props[i]);
	free(s->props);
	free(s->all_rules);
	for (i = 0; i < s->nkeys; i++)
		rd__key_free(&s->keys[i]);
	free(s->keys);
	free(s);
}

static int add_ns(compiler *c, xmlNodePtr k)
{
	static const char *const allowed[] = { "prefix", "uri", NULL };
	const char *prefix = attr(c, k, "prefix"), *uri = attr(c, k, "uri");
	rd_schema *s = c->sc;
	size_t i, cap = s->nns;
	int rc;

	if ((rc = check_attrs(c, k, allowed, NULL)) != 0)
		return rc;
	if (prefix == NULL || !valid_ncname(prefix) || strchr(prefix, '.') != NULL)
		return cerr(c, k, RD_ERULES, "sch:ns needs a prefix attribute that is an NCName");
	if (uri == NULL || uri[0] == '\0')
		return cerr(c, k, RD_ERULES, "sch:ns prefix=\"%s\" needs a non-empty uri", prefix);
	for (i = 0; i < s->nns; i++) {
		if (strcmp(s->ns[i].prefix, prefix) == 0) {
			if (strcmp(s->ns[i].uri, uri) != 0)
				return cerr(c, k, RD_ERULES, "prefix '%s' is bound twice, to %s and %s", prefix,
				            s->ns[i].uri, uri);
			return 0;
		}
	}
	if (rd__grow(&s->ns, &cap, s->nns, sizeof *s->ns) < 0)
		return rd__error_oom();
	s->ns[s->nns].prefix = rd__strdup(prefix);
	s->ns[s->nns].uri = rd__strdup(uri);
	if (s->ns[s->nns].prefix == NULL || s->ns[s->nns].uri == NULL) {
		free(s->ns[s->nns].prefix);
		free(s->ns[s->nns].uri);
		return rd__error_oom();
	}
	s->nns++;
	return 0;
}

static int add_table(compiler *c, xmlNodePtr k)
{
	static const char *const allowed[] = { "name", "href", NULL };
	const char *name = attr(c, k, "name"), *href = attr(c, k, "href");
	size_t idx = doc_index(c, k->doc);
	char *dir, *path;
	int rc;

	if ((rc = check_attrs(c, k, allowed, NULL)) != 0)
		return rc;
	if (name == NULL || name[0] == '\0' || href == NULL || href[0] == '\0')
		return cerr(c, k, RD_ERULES, "rd:table needs name and href attributes");
	if (strstr(href, "://") != NULL)
		return cerr(c, k, RD_EUNSAFE, "rd:table href=\"%s\": only relative file references",
		            href);
	if (rd__rules_table(c->rules, name) != NULL)
		return 0; /* declared before (another schema of the pack) */
	if (idx == (size_t)-1 || c->docs[idx].path == NULL)
		return cerr(c, k, RD_ENOTFOUND,
		            "rd:table href=\"%s\": the schema was loaded from memory without a base "
		            "directory",
		            href);
	dir = rd__path_dir(c->docs[idx].path);
	path = dir ? rd__path_join(dir, href) : NULL;
	free(dir);
	if (path == NULL)
		return rd__error_oom();
	rd__path_normalize(path);
	rc = rd__source_allow(c->src, path, node_file(k), rd__node_line(k), "rd:table", href);
	if (rc == RD_OK)
		rc = rd__rules_add_table(c->rules, c->src, name, path, node_file(k), rd__node_line(k));
	free(path);
	return rc;
}

static int check_query_binding(compiler *c, xmlNodePtr root)
{
	const char *qb = attr(c, root, "queryBinding");
	static const char *const ok[] = { "xslt", "xslt1", "xslt1.0", "xpath", "xpath1",
		                          "exslt", NULL };
	size_t i;

	if (qb == NULL)
		return 0;
	for (i = 0; ok[i]; i++)
		if (strcmp(qb, ok[i]) == 0)
			return 0;
	return cerr(c, root, RD_EUNSUPPORTED,
	            "queryBinding=\"%s\" is not supported: rahdari evaluates XPath 1.0 "
	            "(queryBinding xslt, xslt1 or xpath); an XSLT 2/3 or XPath 2/3 schema is "
	            "refused rather than half-run",
	            qb);
}

/* Topological order of the globals; a cycle is an error. */
static int order_globals(compiler *c, xmlNodePtr *let_nodes)
{
	rd_schema *s = c->sc;
	unsigned char *state;
	size_t *stack, sp = 0, norder = 0, i;
	int rc = 0;

	s->global_order = rd__calloc(s->nglobals, sizeof *s->global_order);
	state = rd__calloc(s->nglobals, 1);
	stack = rd__calloc(s->nglobals * 2 + 1, sizeof *stack);
	if (s->global_order == NULL || state == NULL || stack == NULL) {
		free(state);
		free(stack);
		return rd__error_oom();
	}
	for (i = 0; i < s->nglobals && rc == 0; i++) {
		if (state[i])
			continue;
		/* iterative DFS: stack holds (node, next dep index) pairs */
		stack[sp++] = i;
		stack[sp++] = 0;
		state[i] = 1;
		while (sp && rc == 0) {
			size_t node = stack[sp - 2], *next = &stack[sp - 1];

			if (*next < s->globals[node].ndeps) {
				size_t d = s->globals[node].deps[(*next)++];

				if (state[d] == 1) {
					rc = cerr(c, let_nodes[node], RD_ERULES,
					          "variables '%s' and '%s' depend on each other",
					          s->globals[node].name, s->globals[d].name);
				} else if (state[d] == 0) {
					state[d] = 1;
					stack[sp++] = d;
					stack[sp++] = 0;
				}
			} else {
				state[node] = 2;
				s->global_order[norder++] = node;
				sp -= 2;
			}
		}
	}
	free(state);
	free(stack);
	return rc;
}

/* The top-level elements of sch:schema, sorted in its first pass. */
typedef struct schema_parts {
	nodelist global_lets;
	nodelist patterns;
	nodelist phases;
	nodelist keys;
} schema_parts;

/* The attributes of sch:schema itself. */
static int read_schema_attrs(compiler *c)
{
	static const char *const schema_attrs[] = { "id", "fpi", "schemaVersion", "defaultPhase",
		                                    "queryBinding", "icon", "see",
		                                    "schematronEdition", NULL };
	rd_schema *s = c->sc;
	xmlNodePtr root = c->root;
	int rc;

	if ((rc = check_attrs(c, root, schema_attrs, pattern_rd_attrs)) != 0)
		return rc;
	if ((rc = check_query_binding(c, root)) != 0)
		return rc;
	if ((rc = dup_opt(&s->id, attr(c, root, "id"))) != 0 ||
	    (rc = dup_opt(&s->schema_version, attr(c, root, "schemaVersion"))) != 0 ||
	    (rc = dup_opt(&s->default_phase, attr(c, root, "defaultPhase"))) != 0)
		return rc;
	return dup_opt(&s->lang, xml_lang(root));
}

/* Abstract rules anywhere in pattern k (abstract or not). */
static int collect_pattern_abstract_rules(compiler *c, xmlNodePtr k)
{
	nodelist pk = { NULL, 0, 0 };
	size_t j;
	int rc;

	if ((rc = children(c, k, &pk)) == 0) {
		for (j = 0; j < pk.n && rc == 0; j++) {
			const char *ra = is_sch(pk.v[j], "rule") ? attr(c, pk.v[j], "abstract") : NULL;

			if (ra && strcmp(ra, "true") == 0) {
				const char *id = attr(c, pk.v[j], "id");

				if (id == NULL)
					rc = cerr(c, pk.v[j], RD_ERULES, "an abstract rule needs an id");
				else if (find_abstract_rule(c, id, NULL, NULL))
					rc = cerr(c, pk.v[j], RD_ERULES,
					          "abstract rule id '%s' is defined twice", id);
				else if (attr(c, pk.v[j], "context"))
					rc = cerr(c, pk.v[j], RD_ERULES,
					          "abstract rule '%s' must not have a context", id);
				else if ((rc = list_add(&c->abstract_rules, pk.v[j])) == 0)
					rc = list_add(&c->abstract_owner, k);
			}
		}
	}
	free(pk.v);
	return rc;
}

/* A top-level sch:pattern: abstract (by id) or concrete, and its abstract rules. */
static int collect_pattern(compiler *c, xmlNodePtr k, schema_parts *parts)
{
	const char *abs = attr(c, k, "abstract");
	int rc;

	if ((rc = check_attrs(c, k, pattern_attrs, pattern_rd_attrs)) != 0)
		return rc;
	if (attr(c, k, "documents"))
		return cerr(c, k, RD_EUNSUPPORTED,
		            "sch:pattern/@documents (subordinate documents) is not supported: "
		            "rahdari never opens files named inside a document");
	if (abs && strcmp(abs, "true") == 0) {
		if (attr(c, k, "id") == NULL)
			return cerr(c, k, RD_ERULES, "an abstract pattern needs an id");
		if (find_abstract_pattern(c, attr(c, k, "id")))
			return cerr(c, k, RD_ERULES, "abstract pattern id '%s' is defined twice",
			            attr(c, k, "id"));
		rc = list_add(&c->abstract_patterns, k);
	} else if (abs && strcmp(abs, "false") != 0) {
		return cerr(c, k, RD_ERULES, "abstract=\"%s\": use true or false", abs);
	} else {
		rc = list_add(&parts->patterns, k);
	}
	if (rc == 0)
		rc = collect_pattern_abstract_rules(c, k);
	return rc;
}

/* sch:rules: a library of abstract rules. */
static int collect_rules(compiler *c, xmlNodePtr k)
{
	nodelist rk = { NULL, 0, 0 };
	size_t j;
	int rc;

	if ((rc = children(c, k, &rk)) == 0) {
		for (j = 0; j < rk.n && rc == 0; j++) {
			const char *id;

			if (!is_sch(rk.v[j], "rule")) {
				if (is_sch(rk.v[j], NULL))
					rc = cerr(c, rk.v[j], RD_ERULES, "sch:rules may only hold sch:rule");
				else if (in_ns(rk.v[j], RD_NS_XSL))
					rc = xsl_refused(c, rk.v[j], "sch:rules");
				continue;
			}
			id = attr(c, rk.v[j], "id");
			if (id == NULL)
				rc = cerr(c, rk.v[j], RD_ERULES, "a rule in sch:rules needs an id");
			else if (find_abstract_rule(c, id, NULL, NULL))
				rc = cerr(c, rk.v[j], RD_ERULES, "abstract rule id '%s' is defined twice",
				          id);
			else if ((rc = list_add(&c->abstract_rules, rk.v[j])) == 0)
				rc = list_add(&c->abstract_owner, NULL);
		}
	}
	free(rk.v);
	return rc;
}

/* sch:diagnostics and sch:properties: their sch:diagnostic or sch:property children. */
static int collect_diag_nodes(compiler *c, xmlNodePtr k, int props)
{
	nodelist dk = { NULL, 0, 0 };
	size_t j;
	int rc;

	if ((rc = children(c, k, &dk)) == 0)
		for (j = 0; j < dk.n && rc == 0; j++) {
			if (!props && is_sch(dk.v[j], "diagnostic"))
				rc = list_add(&c->diag_nodes, dk.v[j]);
			else if (props && is_sch(dk.v[j], "property"))
				rc = list_add(&c->prop_nodes, dk.v[j]);
			else if (!props && in_ns(dk.v[j], RD_NS_XSL))
				rc = xsl_refused(c, dk.v[j], "sch:diagnostics");
			else if (is_sch(dk.v[j], NULL))
				rc = cerr(c, dk.v[j], RD_ERULES,
				          props ? "sch:properties may only hold sch:property"
				                : "sch:diagnostics may only hold sch:diagnostic");
		}
	free(dk.v);
	return rc;
}

/* One top-level element of sch:schema. */
static int collect_top(compiler *c, xmlNodePtr k, schema_parts *parts)
{
	rd_schema *s = c->sc;

	if (is_sch(k, "ns"))
		return add_ns(c, k);
	if (is_sch(k, "title")) {
		if (s->title == NULL && (s->title = text_content(k)) == NULL)
			return rd__error_oom();
		return 0;
	}
	if (is_sch(k, "p"))
		return 0;
	if (is_sch(k, "let"))
		return list_add(&parts->global_lets, k);
	if (is_sch(k, "phase"))
		return list_add(&parts->phases, k);
	if (is_sch(k, "pattern"))
		return collect_pattern(c, k, parts);
	if (is_sch(k, "rules"))
		return collect_rules(c, k);
	if (is_sch(k, "diagnostics"))
		return collect_diag_nodes(c, k, 0);
	if (is_sch(k, "properties"))
		return collect_diag_nodes(c, k, 1);
	if (in_ns(k, RD_NS_RULES) && strcmp((const char *)k->name, "table") == 0)
		return add_table(c, k);
	if (is_sch(k, NULL))
		return cerr(c, k, RD_ERULES, "sch:%s is not allowed in sch:schema",
		            (const char *)k->name);
	if (in_ns(k, RD_NS_XSL) && strcmp((const char *)k->name, "key") == 0)
		return list_add(&parts->keys, k);
	if (in_ns(k, RD_NS_XSL))
		return cerr(c, k, RD_EUNSUPPORTED,
		            "XSLT element xsl:%s is not supported by rahdari (it evaluates XPath "
		            "1.0 without XSLT; of XSLT's elements it reads xsl:key)",
		            (const char *)k->name);
	if (in_ns(k, RD_NS_RULES))
		return cerr(c, k, RD_ERULES, "unknown rahdari element rd:%s", (const char *)k->name);
	/* other foreign elements are documentation and metadata */
	return 0;
}

/* First pass: what the schema declares. */
static int collect_schema(compiler *c, schema_parts *parts)
{
	nodelist kids = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = children(c, c->root, &kids)) == 0)
		for (i = 0; i < kids.n && rc == 0; i++)
			rc = collect_top(c, kids.v[i], parts);
	free(kids.v);
	return rc;
}

/* The sch:ns declarations as namespaces for XPath. */
static int bind_namespaces(compiler *c)
{
	rd_schema *s = c->sc;
	size_t i;

	s->xns = rd__calloc(s->nns + 1, sizeof *s->xns);
	if (s->xns == NULL)
		return rd__error_oom();
	for (i = 0; i < s->nns; i++) {
		s->xns[i] = xmlNewNs(NULL, (const xmlChar *)s->ns[i].uri,
		                     (const xmlChar *)s->ns[i].prefix);
		if (s->xns[i] == NULL)
			return rd__error_oom();
	}
	c->xp->namespaces = s->xns;
	c->xp->nsNr = (int)s->nns;
	/* the rahdari namespace for functions may be bound to any prefix; nothing to do */
	return 0;
}

/* Keys, before any expression that may call key(): every name first. */
static int compile_keys(compiler *c, const nodelist *keys)
{
	size_t *key_of, i;
	int rc = 0;

	if (keys->n == 0)
		return 0;
	key_of = rd__calloc(keys->n, sizeof *key_of);
	if (key_of == NULL)
		rc = rd__error_oom();
	for (i = 0; i < keys->n && rc == 0; i++)
		rc = register_key(c, keys->v[i], &key_of[i]);
	for (i = 0; i < keys->n && rc == 0; i++) {
		c->cur_key = key_of[i] + 1;
		rc = compile_key(c, keys->v[i], key_of[i]);
	}
	c->cur_key = 0;
	if (rc == 0)
		rc = check_key_cycles(c, keys->v, key_of, keys->n);
	if (rc == 0)
		share_keys(c);
	free(key_of);
	return rc;
}

/* The global lets: schema lets, then pattern lets (pattern variables have global scope). */
static int collect_global_lets(compiler *c, const schema_parts *parts, nodelist *all)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < parts->global_lets.n && rc == 0; i++)
		rc = list_add(all, parts->global_lets.v[i]);
	for (i = 0; i < parts->patterns.n && rc == 0; i++) {
		const char *isa = attr(c, parts->patterns.v[i], "is-a");

		if (isa) {
			xmlNodePtr abs = find_abstract_pattern(c, isa);

			if (abs == NULL)
				return cerr(c, parts->patterns.v[i], RD_ERULES,
				            "is-a=\"%s\": no abstract pattern with this id", isa);
			if ((rc = read_params(c, parts->patterns.v[i])) != 0)
				return rc;
			rc = pattern_lets(c, abs, all);
			/* remember which let came with which params: recompute at compile below */
		} else {
			rc = pattern_lets(c, parts->patterns.v[i], all);
		}
	}
	return rc;
}

/* Names of the globals first (so that lets may refer to each other in any order), then
 * the names of phase variables (visible to rules when their phase runs). */
static int name_globals(compiler *c, const schema_parts *parts, const nodelist *all)
{
	rd_schema *s = c->sc;
	size_t i, j;
	int rc = 0;

	s->globals = rd__calloc(all->n, sizeof *s->globals);
	if (s->globals == NULL && all->n)
		return rd__error_oom();
	for (i = 0; i < all->n && rc == 0; i++) {
		const char *name;

		if ((rc = let_name(c, all->v[i], &name)) != 0)
			break;
		if (scope_has(&c->globals, name, strlen(name))) {
			rc = cerr(c, all->v[i], RD_ERULES,
			          "variable '%s' is defined twice (schema and pattern variables "
			          "share one scope)",
			          name);
			break;
		}
		s->globals[i].name = rd__strdup(name);
		if (s->globals[i].name == NULL)
			rc = rd__error_oom();
		else
			rc = scope_add(&c->globals, s->globals[i].name);
	}
	s->nglobals = all->n;
	for (i = 0; i < parts->phases.n && rc == 0; i++) {
		nodelist pk = { NULL, 0, 0 };

		if ((rc = children(c, parts->phases.v[i], &pk)) == 0)
			for (j = 0; j < pk.n && rc == 0; j++)
				if (is_sch(pk.v[j], "let")) {
					const char *name;

					if ((rc = let_name(c, pk.v[j], &name)) == 0)
						rc = scope_add(&c->phasevars, name);
				}
		free(pk.v);
	}
	return rc;
}

/* The params in force for a global let: those of the is-a pattern whose abstract pattern
 * holds it (none for any other let). */
static int global_let_params(compiler *c, const schema_parts *parts, xmlNodePtr let)
{
	xmlNodePtr pn;
	size_t p;

	c->nparams = 0;
	for (pn = let->parent; pn && !is_sch(pn, "pattern"); pn = pn->parent)
		;
	if (pn == NULL || attr(c, pn, "abstract") == NULL ||
	    strcmp(attr(c, pn, "abstract"), "true") != 0)
		return 0;
	for (p = 0; p < parts->patterns.n; p++) {
		const char *isa = attr(c, parts->patterns.v[p], "is-a");

		if (isa && attr(c, pn, "id") && strcmp(isa, attr(c, pn, "id")) == 0)
			return read_params(c, parts->patterns.v[p]);
	}
	return 0;
}

/* Compile the global lets (named by name_globals) and order them by dependency. */
static int compile_global_lets(compiler *c, const schema_parts *parts, const nodelist *all)
{
	rd_schema *s = c->sc;
	size_t i;
	int rc = 0;

	for (i = 0; i < all->n && rc == 0; i++) {
		rd_let tmp;
		char *saved = s->globals[i].name;

		if ((rc = global_let_params(c, parts, all->v[i])) != 0)
			break;
		rc = compile_let(c, all->v[i], NULL, &tmp);
		free(tmp.name);
		tmp.name = saved;
		/* a schema-level let is a parameter a check may set */
		tmp.is_param = i < parts->global_lets.n;
		s->globals[i] = tmp;
		if (rc == 0 && s->globals[i].expr)
			rc = global_deps(c, s->globals[i].src, &s->globals[i].deps,
			                 &s->globals[i].ndeps);
		c->nparams = 0;
	}
	if (rc == 0)
		rc = order_globals(c, all->v);
	return rc;
}

/* Globals: schema lets, then pattern lets. */
static int compile_globals(compiler *c, const schema_parts *parts)
{
	nodelist all = { NULL, 0, 0 };
	int rc;

	if ((rc = collect_global_lets(c, parts, &all)) == 0 &&
	    (rc = name_globals(c, parts, &all)) == 0)
		rc = compile_global_lets(c, parts, &all);
	free(all.v);
	return rc;
}

/* Diagnostics and properties (ids first: asserts refer to them), with their languages. */
static int compile_diag_ids(compiler *c)
{
	rd_schema *s = c->sc;
	size_t i;
	int rc;

	if ((rc = compile_diags(c, &c->diag_nodes, "diagnostic", &s->diags, &s->ndiags)) != 0)
		return rc;
	if ((rc = compile_diags(c, &c->prop_nodes, "property", &s->props, &s->nprops)) != 0)
		return rc;
	for (i = 0; i < s->ndiags && rc == 0; i++) {
		const char *l = xml_lang(c->diag_nodes.v[i]);

		if (s->diags[i].lang == NULL && l && (!s->lang || strcmp(l, s->lang) != 0))
			rc = dup_opt(&s->diags[i].lang, l);
	}
	for (i = 0; i < s->nprops && rc == 0; i++) {
		const char *l = xml_lang(c->prop_nodes.v[i]);

		if (s->props[i].lang == NULL && l)
			rc = dup_opt(&s->props[i].lang, l);
	}
	return rc;
}

/* An is-a instance without a title of its abstract pattern may carry its own. */
static int instance_title(compiler *c, xmlNodePtr pn, rd_pattern *pat)
{
	nodelist pk = { NULL, 0, 0 };
	size_t j;
	int rc;

	if ((rc = children(c, pn, &pk)) == 0)
		for (j = 0; j < pk.n; j++)
			if (is_sch(pk.v[j], "title") && pat->title == NULL &&
			    (pat->title = text_content(pk.v[j])) == NULL)
				rc = rd__error_oom();
	free(pk.v);
	return rc;
}

/* One concrete pattern (or is-a instance); it joins the schema before it is compiled. */
static int compile_one_pattern(compiler *c, xmlNodePtr pn)
{
	rd_schema *s = c->sc;
	rd_pattern *pat = &s->patterns[s->npatterns];
	const char *isa = attr(c, pn, "is-a");
	xmlNodePtr body = pn;
	size_t j;
	int rc = 0;

	pat->index = s->npatterns;
	pat->line = rd__node_line(pn);
	s->npatterns++; /* from here the pattern is freed with the schema */
	if ((rc = dup_opt(&pat->file, node_file(pn))) != 0 ||
	    (rc = dup_opt(&pat->id, attr(c, pn, "id"))) != 0)
		return rc;
	for (j = 0; j + 1 < s->npatterns; j++)
		if (pat->id && s->patterns[j].id && strcmp(pat->id, s->patterns[j].id) == 0)
			rc = cerr(c, pn, RD_ERULES, "pattern id '%s' is used twice", pat->id);
	if (rc)
		return rc;
	c->nparams = 0;
	if (isa) {
		body = find_abstract_pattern(c, isa);
		if ((rc = read_params(c, pn)) != 0)
			return rc;
	}
	c->cur_pattern = pn;
	c->cur_body = body;
	rc = compile_pattern_body(c, body, pat);
	if (rc == 0 && isa && pat->title == NULL)
		rc = instance_title(c, pn, pat);
	c->cur_pattern = NULL;
	c->cur_body = NULL;
	c->nparams = 0;
	return rc;
}

static int compile_patterns(compiler *c, const schema_parts *parts)
{
	rd_schema *s = c->sc;
	size_t i;
	int rc = 0;

	s->patterns = rd__calloc(parts->patterns.n, sizeof *s->patterns);
	if (s->patterns == NULL && parts->patterns.n)
		return rd__error_oom();
	for (i = 0; i < parts->patterns.n && rc == 0; i++)
		rc = compile_one_pattern(c, parts->patterns.v[i]);
	return rc;
}

/* Diagnostic and property messages, now that rule variables are known. */
static int compile_diag_messages(compiler *c)
{
	rd_schema *s = c->sc;
	scope rulevars = { NULL, 0, 0 };
	size_t p, r, l;
	int rc = 0;

	for (p = 0; p < s->npatterns && rc == 0; p++)
		for (r = 0; r < s->patterns[p].nrules && rc == 0; r++)
			for (l = 0; l < s->patterns[p].rules[r].nlets && rc == 0; l++)
				rc = scope_add(&rulevars, s->patterns[p].rules[r].lets[l].name);
	if (rc == 0)
		rc = compile_diag_msgs(c, &c->diag_nodes, s->diags, s->ndiags, &rulevars);
	if (rc == 0)
		rc = compile_diag_msgs(c, &c->prop_nodes, s->props, s->nprops, &rulevars);
	free(rulevars.names);
	return rc;
}

/* sch:active in phase ph (named id). */
static int phase_active(compiler *c, xmlNodePtr k, rd_phase *ph, const char *id, size_t *capa)
{
	static const char *const aallowed[] = { "pattern", NULL };
	rd_schema *s = c->sc;
	const char *pid = attr(c, k, "pattern");
	size_t p, found = (size_t)-1;
	int rc;

	if ((rc = check_attrs(c, k, aallowed, NULL)) != 0)
		return rc;
	if (pid == NULL)
		return cerr(c, k, RD_ERULES, "sch:active needs a pattern attribute");
	for (p = 0; p < s->npatterns; p++)
		if (s->patterns[p].id && strcmp(s->patterns[p].id, pid) == 0)
			found = p;
	if (found == (size_t)-1)
		return cerr(c, k, RD_ERULES, "phase '%s' activates pattern '%s', which does not exist",
		            id, pid);
	if (rd__grow(&ph->active, capa, ph->nactive, sizeof *ph->active) < 0)
		return rd__error_oom();
	ph->active[ph->nactive++] = found;
	return 0;
}

/* sch:let in phase ph (named id); locals are the phase's variables so far. */
static int phase_let(compiler *c, xmlNodePtr k, rd_phase *ph, const char *id, scope *locals,
                     size_t *capl)
{
	rd_let let;
	size_t q;
	int rc;

	if ((rc = compile_let(c, k, locals, &let)) != 0) {
		let_free(&let);
		return rc;
	}
	for (q = 0; q < ph->nlets; q++)
		if (strcmp(ph->lets[q].name, let.name) == 0)
			rc = cerr(c, k, RD_ERULES, "variable '%s' is defined twice in phase '%s'",
			          let.name, id);
	if (rc == 0 && rd__grow(&ph->lets, capl, ph->nlets, sizeof *ph->lets) < 0)
		rc = rd__error_oom();
	if (rc) {
		let_free(&let);
		return rc;
	}
	ph->lets[ph->nlets++] = let;
	return scope_add(locals, ph->lets[ph->nlets - 1].name);
}

/* The children of sch:phase pn into ph (named id). */
static int phase_content(compiler *c, xmlNodePtr pn, rd_phase *ph, const char *id)
{
	nodelist pk = { NULL, 0, 0 };
	scope locals = { NULL, 0, 0 };
	size_t capa = 0, capl = 0, j;
	int rc;

	if ((rc = children(c, pn, &pk)) == 0)
		for (j = 0; j < pk.n && rc == 0; j++) {
			xmlNodePtr k = pk.v[j];

			if (is_sch(k, "active"))
				rc = phase_active(c, k, ph, id, &capa);
			else if (is_sch(k, "let"))
				rc = phase_let(c, k, ph, id, &locals, &capl);
			else if (is_sch(k, "p") || is_sch(k, "title"))
				continue;
			else if (is_sch(k, NULL))
				rc = cerr(c, k, RD_ERULES, "sch:%s is not allowed in sch:phase",
				          (const char *)k->name);
			else if (in_ns(k, RD_NS_XSL))
				rc = xsl_refused(c, k, "sch:phase");
		}
	free(pk.v);
	free(locals.names);
	return rc;
}

/* One sch:phase; it joins the schema once its id is known. */
static int compile_phase(compiler *c, xmlNodePtr pn)
{
	static const char *const allowed[] = { "id", "fpi", "icon", "see", "from", "when", NULL };
	rd_schema *s = c->sc;
	rd_phase *ph = &s->phases[s->nphases];
	const char *id = attr(c, pn, "id");
	size_t j;
	int rc;

	if ((rc = check_attrs(c, pn, allowed, NULL)) != 0)
		return rc;
	if (attr(c, pn, "from") || attr(c, pn, "when"))
		return cerr(c, pn, RD_EUNSUPPORTED,
		            "sch:phase/@from and @when (conditional phases) are not supported");
	if (id == NULL || id[0] == '\0')
		return cerr(c, pn, RD_ERULES, "sch:phase needs an id");
	if (strcmp(id, "#ALL") == 0 || strcmp(id, "#DEFAULT") == 0)
		return cerr(c, pn, RD_ERULES, "'%s' is reserved and cannot name a phase", id);
	for (j = 0; j < s->nphases; j++)
		if (strcmp(s->phases[j].id, id) == 0)
			rc = cerr(c, pn, RD_ERULES, "phase id '%s' is defined twice", id);
	if (rc || (rc = dup_opt(&ph->id, id)) != 0)
		return rc;
	s->nphases++;
	return phase_content(c, pn, ph, id);
}

/* The phases, then defaultPhase must name one of them (or #ALL). */
static int compile_phases(compiler *c, const schema_parts *parts)
{
	rd_schema *s = c->sc;
	size_t i;
	int rc = 0, found = 0;

	s->phases = rd__calloc(parts->phases.n, sizeof *s->phases);
	if (s->phases == NULL && parts->phases.n)
		return rd__error_oom();
	for (i = 0; i < parts->phases.n && rc == 0; i++)
		rc = compile_phase(c, parts->phases.v[i]);
	if (rc || s->default_phase == NULL || strcmp(s->default_phase, "#ALL") == 0)
		return rc;
	for (i = 0; i < s->nphases; i++)
		if (strcmp(s->phases[i].id, s->default_phase) == 0)
			found = 1;
	if (!found)
		return cerr(c, c->root, RD_ERULES, "defaultPhase=\"%s\": no phase with this id",
		            s->default_phase);
	return 0;
}

/* Ids are of one kind (xsd:ID): a phase may not share a pattern's, nor a property a
 * diagnostic's. */
static int check_unique_ids(compiler *c, const schema_parts *parts)
{
	rd_schema *s = c->sc;
	size_t i, j;

	for (i = 0; i < s->nphases; i++)
		for (j = 0; j < s->npatterns; j++)
			if (s->patterns[j].id && strcmp(s->phases[i].id, s->patterns[j].id) == 0)
				return cerr(c, parts->phases.v[i], RD_ERULES,
				            "id '%s' names both a phase and a pattern (ids must be unique)",
				            s->phases[i].id);
	for (i = 0; i < s->nprops; i++)
		for (j = 0; j < s->ndiags; j++)
			if (strcmp(s->props[i].id, s->diags[j].id) == 0)
				return cerr(c, c->prop_nodes.v[i], RD_ERULES,
				            "id '%s' names both a property and a diagnostic (ids must be "
				            "unique)",
				            s->props[i].id);
	return 0;
}

/* Number the rules (for fired-rule events). */
static int number_rules(compiler *c)
{
	rd_schema *s = c->sc;
	size_t i, j, g = 0;

	for (i = 0; i < s->npatterns; i++)
		s->nrules_total += s->patterns[i].nrules;
	s->all_rules = rd__calloc(s->nrules_total, sizeof *s->all_rules);
	if (s->all_rules == NULL && s->nrules_total)
		return rd__error_oom();
	for (i = 0; i < s->npatterns; i++)
		for (j = 0; j < s->patterns[i].nrules; j++) {
			s->patterns[i].rules[j].global_index = g;
			s->all_rules[g++] = &s->patterns[i].rules[j];
		}
	return 0;
}

static int compile_schema(compiler *c)
{
	schema_parts parts;
	int rc;

	memset(&parts, 0, sizeof parts);
	if ((rc = read_schema_attrs(c)) != 0)
		return rc;
	if ((rc = collect_schema(c, &parts)) == 0 && (rc = bind_namespaces(c)) == 0 &&
	    (rc = compile_keys(c, &parts.keys)) == 0 && (rc = compile_globals(c, &parts)) == 0 &&
	    (rc = compile_diag_ids(c)) == 0 && (rc = compile_patterns(c, &parts)) == 0 &&
	    (rc = compile_diag_messages(c)) == 0 && (rc = compile_phases(c, &parts)) == 0 &&
	    (rc = check_unique_ids(c, &parts)) == 0)
		rc = number_rules(c);
	free(parts.global_lets.v);
	free(parts.patterns.v);
	free(parts.phases.v);
	free(parts.keys.v);
	return rc;
}

int rd__schema_compile(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path)
{
	compiler c;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	rd_schema *s = NULL;
	size_t i, j, cap;
	int rc;

	memset(&c, 0, sizeof c);
	c.rules = rules;
	c.src = src;
	c.root = root;
	if (root == NULL || !is_sch(root, "schema")) {
		if (root && root->ns && strcmp((const char *)root->ns->href, RD_NS_SCH15) == 0)
			return rd__error_set(RD_EUNSUPPORTED, path, rd__node_line(root), 0,
			                     "%s:%ld: this is a Schematron 1.5 schema (namespace %s); "
			                     "rahdari reads ISO Schematron (%s)",
			                     path, rd__node_line(root), RD_NS_SCH15, RD_NS_SCH);
		return rd__error_set(RD_ERULES, path, rd__node_line(root), 0,
		                     "%s:%ld: not a Schematron schema: the root element must be "
		                     "sch:schema in the namespace %s",
		                     path, rd__node_line(root), RD_NS_SCH);
	}
	s = rd__calloc(1, sizeof *s);
	c.docs = rd__calloc(1, sizeof *c.docs);
	c.xp = xmlXPathNewContext(NULL);
	if (s == NULL || c.docs == NULL || c.xp == NULL) {
		rc = rd__error_oom();
		goto done;
	}
	c.capdocs = 1;
	c.docs[0].doc = doc;
	c.docs[0].path = path ? rd__strdup(path) : NULL;
	c.docs[0].parent = (size_t)-1;
	c.ndocs = 1;
	if (c.docs[0].path)
		rd__path_normalize(c.docs[0].path);
	c.xp->error = on_compile_error;
	c.xp->userData = &c;
	c.sc = s;
	if ((rc = dup_opt(&s->file, path ? path : "<memory>")) != 0)
		goto done;
	rc = compile_schema(&c);
	if (rc != 0)
		goto done;

	/* add to the rule set */
	cap = rules->nschemas;
	if (rd__grow(&rules->schemas, &cap, rules->nschemas, sizeof *rules->schemas) < 0) {
		rc = rd__error_oom();
		goto done;
	}
	rules->schema_free = rd__schema_free;
	rules->schemas[rules->nschemas++] = s;
	cap = rules->nassertions;
	for (i = 0; i < s->npatterns && rc == 0; i++)
		for (j = 0; j < s->patterns[i].nrules && rc == 0; j++) {
			rd_rule *r = &s->patterns[i].rules[j];
			size_t k;

			for (k = 0; k < r->nasserts; k++) {
				if (rd__grow(&rules->assertions, &cap, rules->nassertions,
				             sizeof *rules->assertions) < 0) {
					rc = rd__error_oom();
					break;
				}
				r->asserts[k]->global_index = rules->nassertions;
				r->asserts[k]->schema = s;
				rules->assertions[rules->nassertions++] = r->asserts[k];
			}
		}
	cap = rules->nphase_ids;
	for (i = 0; i < s->nphases && rc == 0; i++) {
		for (j = 0; j < rules->nphase_ids; j++)
			if (strcmp(rules->phase_ids[j], s->phases[i].id) == 0)
				break;
		if (j < rules->nphase_ids)
			continue;
		if (rd__grow(&rules->phase_ids, &cap, rules->nphase_ids, sizeof *rules->phase_ids) < 0) {
			rc = rd__error_oom();
			break;
		}
		rules->phase_ids[rules->nphase_ids++] = s->phases[i].id;
	}
	s = NULL; /* owned by the rule set */
done:
	schema_free(s);
	if (c.xp) {
		c.xp->namespaces = NULL;
		c.xp->nsNr = 0;
		xmlXPathFreeContext(c.xp);
	}
	for (i = 0; i < c.ndocs; i++) {
		if (i > 0)
			xmlFreeDoc(c.docs[i].doc);
		free(c.docs[i].path);
	}
	free(c.docs);
	free(c.abstract_rules.v);
	free(c.abstract_owner.v);
	free(c.abstract_patterns.v);
	free(c.diag_nodes.v);
	free(c.prop_nodes.v);
	free(c.key_deps);
	free(c.params);
	free(c.globals.names);
	free(c.phasevars.names);
	for (i = 0; i < RD_ARRAY_LEN(c.attr_scratch); i++)
		free(c.attr_scratch[i]);
	return rc;
}

void rd__schema_free(rd_schema *s)
{
	schema_free(s);
}
