/* rahdari: the loader: from a schema, a pack directory, a signed pack, memory or the
 * embedded default pack to a rule set (ruleset.c). It reads files through a source
 * confined to the pack's directories, reads pack manifests, reference tables, and hands
 * each schema to the Schematron compiler (schema.c) and each XML Schema to xsd.c.
 *
 * A rule pack is a directory with a manifest, pack.xml (namespace
 * urn:rahdari:pack:1), naming its Schematron schemas. The default pack is
 * compiled into the library (lib/embedded.c, generated at build time) and
 * read through the same code as a pack on disk.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RD_DEFAULT_PACK "pk"

/* ---------------------------------------------------------------- sources */

/* Where a pack's files may be. A pack on disk, signed or not, reads only files under its
 * own directory and those of the packs it extends, after symbolic links are resolved: an
 * href with "..", a link inside the pack that leads out, an absolute path (refused
 * before this) cannot reach the user's other files, nor show their contents in
 * messages. A schema file named directly has its own directory; rules from memory, the
 * base directory given. The embedded packs read only embedded files whatever the path;
 * the same check is made on their names. */

int rd__roots_add(rd_roots *r, const char *dir, int embedded)
{
	char *d = embedded ? rd__path_lexical(dir) : rd__path_resolve(dir);

	if (d == NULL) {
		if (errno == ENOMEM || embedded)
			return rd__error_oom();
		return rd__error_set(RD_EIO, dir, 0, 0, "%s: cannot resolve the directory: %s", dir,
		                     strerror(errno));
	}
	if (rd__grow(&r->dirs, &r->cap, r->n, sizeof *r->dirs) < 0) {
		free(d);
		return rd__error_oom();
	}
	r->dirs[r->n++] = d;
	return RD_OK;
}

void rd__roots_free(rd_roots *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->dirs[i]);
	free(r->dirs);
	memset(r, 0, sizeof *r);
}

/* Add the directories of from that into does not have. */
static int roots_merge(rd_roots *into, const rd_roots *from)
{
	size_t i, j;

	for (i = 0; i < from->n; i++) {
		char *d;

		for (j = 0; j < into->n; j++)
			if (strcmp(into->dirs[j], from->dirs[i]) == 0)
				break;
		if (j < into->n)
			continue;
		if ((d = rd__strdup(from->dirs[i])) == NULL ||
		    rd__grow(&into->dirs, &into->cap, into->n, sizeof *into->dirs) < 0) {
			free(d);
			return rd__error_oom();
		}
		into->dirs[into->n++] = d;
	}
	return RD_OK;
}

int rd__source_allow(const rd_source *src, const char *path, const char *decl_file,
                     long decl_line, const char *what, const char *href)
{
	char *to, where[176];
	const char *own;
	size_t i;

	if (src->roots != NULL) {
		to = src->embedded ? rd__path_lexical(path) : rd__path_resolve(path);
		if (to == NULL && (errno == ENOMEM || src->embedded))
			return rd__error_oom();
		for (i = 0; to != NULL && i < src->roots->n; i++)
			if (rd__path_under(to, src->roots->dirs[i])) {
				free(to);
				return RD_OK;
			}
		free(to);
	}
	/* name the pack's own directory (the first); never where the target leads */
	own = src->roots && src->roots->n ? src->roots->dirs[0] : NULL;
	if (own == NULL)
		snprintf(where, sizeof where, "%s", "rules from memory without a base directory");
	else if (strlen(own) > 160)
		snprintf(where, sizeof where, "...%s", own + strlen(own) - 157);
	else
		snprintf(where, sizeof where, "%s", own);
	if (decl_file != NULL)
		return rd__error_set(RD_EUNSAFE, decl_file, decl_line, 0,
		                     "%s:%ld: %s href=\"%s\": outside the pack (%s): rules may read only "
		                     "files under their own directory and those of the packs they extend",
		                     decl_file, decl_line, what, href, where);
	return rd__error_set(RD_EUNSAFE, path, 0, 0,
	                     "%s: outside the pack (%s): rules may read only files under their own "
	                     "directory and those of the packs they extend",
	                     path, where);
}

/* flags: RD_READ_XML for rule files, RD_READ_TEXT for tables (a pipe is checked as read) */
static int source_read_as(const rd_source *src, const char *path, unsigned int flags, char **data,
                          size_t *len)
{
	size_t i;
	int rc;

	*data = NULL;
	*len = 0;
	/* every caller checks first, with the line that named the file; this is the net */
	if ((rc = rd__source_allow(src, path, NULL, 0, NULL, NULL)) != RD_OK)
		return rc;
	if (!src->embedded) {
		rc = rd__file_read_as(path, src->limits.max_bytes, flags, data, len);
		if (rc == RD_OK && src->sig != NULL &&
		    (rc = rd__packsig_check_file(src->sig, path, *data, *len)) != RD_OK) {
			free(*data);
			*data = NULL;
			*len = 0;
		}
		return rc;
	}
	for (i = 0; i < rd__embedded_count; i++) {
		if (strcmp(rd__embedded_files[i].name, path) == 0) {
			*data = rd__malloc(rd__embedded_files[i].len + 1);
			if (*data == NULL)
				return rd__error_oom();
			memcpy(*data, rd__embedded_files[i].data, rd__embedded_files[i].len);
			(*data)[rd__embedded_files[i].len] = '\0';
			*len = rd__embedded_files[i].len;
			return RD_OK;
		}
	}
	return rd__error_set(RD_ENOTFOUND, path, 0, 0, "%s: no such file in the embedded pack",
	                     path);
}

int rd__source_read(const rd_source *src, const char *path, char **data, size_t *len)
{
	return source_read_as(src, path, RD_READ_TEXT, data, len);
}

int rd__source_parse(const rd_source *src, const char *path, xmlDocPtr *out)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	rc = source_read_as(src, path, RD_READ_XML, &data, &len);
	if (rc != RD_OK)
		return rc;
	rc = rd__xml_parse(out, data, len, path, &src->limits);
	free(data);
	return rc;
}

/* ---------------------------------------------------------------- tables */

int rd__rules_add_table(rd_rules *rules, const rd_source *src, const char *name,
                        const char *path, const char *decl_file, long decl_line)
{
	rd_table *t;
	char *data;
	size_t len, cap = rules->ntables;
	int rc;

	rc = rd__source_read(src, path, &data, &len);
	if (rc != RD_OK) {
		rd__error_prefix("%s:%ld: rd:table '%s': ", decl_file, decl_line, name);
		return rc;
	}
	rc = rd__table_parse(&t, name, path, data, len);
	free(data);
	if (rc != RD_OK)
		return rc;
	if (rd__grow(&rules->tables, &cap, rules->ntables, sizeof *rules->tables) < 0) {
		rd__table_free(t);
		return rd__error_oom();
	}
	rules->tables[rules->ntables++] = t;
	return RD_OK;
}

/* ---------------------------------------------------------------- packs */

static const char *pack_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next)
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return a->children ? (const char *)a->children->content : "";
	return NULL;
}

static int pack_err(xmlNodePtr n, int code, const char *fmt, ...) RD_PRINTF(3, 4);

static int pack_err(xmlNodePtr n, int code, const char *fmt, ...)
{
	const char *file = n->doc && n->doc->URL ? (const char *)n->doc->URL : "pack.xml";
	long line = rd__node_line(n);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rd__error_set(code, file, line, 0, "%s:%ld: %s", file, line, msg);
}

static int check_pack_attrs(xmlNodePtr n, const char *const *allowed)
{
	xmlAttrPtr a;
	size_t i;

	for (a = n->properties; a; a = a->next) {
		int ok = 0;

		if (a->ns != NULL)
			continue;
		for (i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], (const char *)a->name) == 0)
				ok = 1;
		if (!ok)
			return pack_err(n, RD_ERULES, "unknown attribute '%s' in the pack manifest",
			                (const char *)a->name);
	}
	return 0;
}

static int pack_load(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path);

int rd__pack_load(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path)
{
	size_t cap = rules->npacks_loading;
	int rc;

	if (rd__grow(&rules->packs_loading, &cap, rules->npacks_loading,
	             sizeof *rules->packs_loading) < 0)
		return rd__error_oom();
	rules->packs_loading[rules->npacks_loading++] = (char *)(uintptr_t)path;
	rc = pack_load(rules, src, doc, path);
	rules->npacks_loading--;
	return rc;
}

/* The pack's identity (id, version, jurisdiction, effective date, title): set after its
 * base packs have loaded, so that an overlay's replaces its base's. */
static int pack_identity(rd_rules *rules, xmlNodePtr root)
{
	static const char *const names[] = { "id", "version", "jurisdiction", "effective" };
	char **fields[] = { &rules->id, &rules->version, &rules->jurisdiction, &rules->effective };
	xmlNodePtr k;
	size_t i;

	for (i = 0; i < RD_ARRAY_LEN(names); i++) {
		const char *v = pack_attr(root, names[i]);

		free(*fields[i]);
		*fields[i] = NULL;
		if (v && (*fields[i] = rd__strdup(v)) == NULL)
			return rd__error_oom();
	}
	free(rules->title);
	rules->title = NULL;
	for (k = root->children; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE && k->ns &&
		    strcmp((const char *)k->ns->href, RD_NS_PACK) == 0 &&
		    strcmp((const char *)k->name, "title") == 0) {
			xmlChar *t = xmlNodeGetContent(k);

			rules->title = rd__normalize_space(rd__strdup(t ? (const char *)t : ""));
			xmlFree(t);
			if (rules->title == NULL)
				return rd__error_oom();
			break;
		}
	}
	return 0;
}

static int pack_load(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path)
{
	static const char *const pack_attrs[] = { "id", "version", "jurisdiction", "effective",
		                                  NULL };
	static const char *const href_attrs[] = { "href", NULL };
	xmlNodePtr root = xmlDocGetRootElement(doc), k;
	char *dir;
	const char *v;
	int rc = 0, nschemas = 0, extended = 0;
	long own_tests = -1;
	size_t depth;

	if ((rc = check_pack_attrs(root, pack_attrs)) != 0)
		return rc;
	if (src->roots == NULL || src->roots->n == 0)
		return pack_err(root, RD_ERROR, "%s", "internal error: the pack's directory is not known");
	/* overlays may not loop (the last entry is this pack) */
	for (depth = 0; depth + 1 < rules->npacks_loading; depth++)
		if (strcmp(rules->packs_loading[depth], path) == 0)
			return pack_err(root, RD_ERULES, "the pack extends itself (through %s)", path);
	if (rules->npacks_loading > 8)
		return pack_err(root, RD_ERULES, "%s", "packs extend each other more than 8 deep");
	v = pack_attr(root, "id");
	if (v == NULL || v[0] == '\0')
		return pack_err(root, RD_ERULES, "%s", "the pack needs an id attribute");
	v = pack_attr(root, "effective");
	if (v) {
		long d;

		if (rd__date_parse(v, strlen(v), 0, &d) != 0)
			return pack_err(root, RD_ERULES, "effective=\"%s\" is not a date (YYYY-MM-DD)", v);
	}
	dir = rd__path_dir(path);
	if (dir == NULL)
		return rd__error_oom();
	for (k = root->children; k && rc == 0; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (k->ns == NULL || strcmp((const char *)k->ns->href, RD_NS_PACK) != 0) {
			continue; /* foreign elements: documentation */
		}
		if (strcmp((const char *)k->name, "title") == 0 ||
		    strcmp((const char *)k->name, "description") == 0) {
			continue;
		} else if (strcmp((const char *)k->name, "xsd") == 0) {
			static const char *const xsd_attrs[] = { "kind", "href", NULL };
			const char *kind = pack_attr(k, "kind"), *href = pack_attr(k, "href");
			char *xpath;

			if ((rc = check_pack_attrs(k, xsd_attrs)) != 0)
				break;
			if (kind == NULL || kind[0] == '\0' || href == NULL || href[0] == '\0' ||
			    href[0] == '/' || strstr(href, "://")) {
				rc = pack_err(k, RD_ERULES, "%s",
				              "xsd needs a kind (the document's root element) and an href "
				              "relative to the pack directory");
				break;
			}
			xpath = rd__path_join(dir, href);
			if (xpath == NULL) {
				rc = rd__error_oom();
				break;
			}
			rc = rd__source_allow(src, xpath, (const char *)doc->URL, rd__node_line(k), "xsd",
			                      href);
			if (rc == RD_OK)
				rc = rd__xsd_load(rules, src, kind, xpath, (const char *)doc->URL,
				                  rd__node_line(k));
			free(xpath);
		} else if (strcmp((const char *)k->name, "tests") == 0) {
			const char *href = pack_attr(k, "href");

			if ((rc = check_pack_attrs(k, href_attrs)) != 0)
				break;
			if (href == NULL || href[0] == '\0' || href[0] == '/' || strstr(href, "://")) {
				rc = pack_err(k, RD_ERULES, "%s", "tests needs an href relative to the pack");
				break;
			}
			if (!src->embedded) {
				size_t cap = rules->ntests;
				char *tdir = rd__path_join(dir, href);

				if (tdir == NULL ||
				    rd__grow(&rules->tests, &cap, rules->ntests, sizeof *rules->tests) < 0) {
					free(tdir);
					rc = rd__error_oom();
					break;
				}
				rd__path_normalize(tdir);
				/* rahdari rules test reads the files there, and those they name */
				rc = rd__source_allow(src, tdir, (const char *)doc->URL, rd__node_line(k),
				                      "tests", href);
				if (rc != RD_OK) {
					free(tdir);
					break;
				}
				own_tests = (long)rules->ntests;
				rules->tests[rules->ntests++] = tdir;
			}
		} else if (strcmp((const char *)k->name, "extends") == 0) {
			/* an overlay: the base pack's schemas come first */
			const char *href = pack_attr(k, "href");
			char *base, *manifest;
			xmlDocPtr bdoc;
			rd_roots broots;
			rd_source bsrc;

			if ((rc = check_pack_attrs(k, href_attrs)) != 0)
				break;
			if (nschemas) {
				rc = pack_err(k, RD_ERULES, "%s", "extends must come before the pack's schemas");
				break;
			}
			if (href == NULL || href[0] == '\0' || href[0] == '/' || strstr(href, "://")) {
				rc = pack_err(k, RD_ERULES, "%s",
				              "extends needs the href of the base pack's directory, relative to "
				              "this pack");
				break;
			}
			base = rd__path_join(dir, href);
			manifest = base ? rd__path_join(base, "pack.xml") : NULL;
			/* signed rules: the base pack must verify before any of its files is read */
			if (manifest && src->sig && (rc = rd__packsig_add_root(src->sig, base)) != RD_OK) {
				rd__error_prefix("%s:%ld: extends: ", (const char *)doc->URL, rd__node_line(k));
				free(base);
				free(manifest);
				break;
			}
			if (manifest == NULL) {
				free(base);
				rc = rd__error_oom();
				break;
			}
			/* the base pack reads under its own directory (and its bases'); this pack
			 * may then read there too */
			memset(&broots, 0, sizeof broots);
			bsrc = *src;
			bsrc.roots = &broots;
			rc = rd__roots_add(&broots, base, src->embedded);
			free(base);
			rd__path_normalize(manifest);
			if (rc == RD_OK && (rc = rd__source_parse(&bsrc, manifest, &bdoc)) != RD_OK) {
				rd__error_prefix("%s:%ld: extends: ", (const char *)doc->URL, rd__node_line(k));
			} else if (rc == RD_OK) {
				rc = rd__pack_load(rules, &bsrc, bdoc, manifest);
				xmlFreeDoc(bdoc);
				if (rc == RD_OK)
					rc = roots_merge(src->roots, &broots);
			}
			rd__roots_free(&broots);
			free(manifest);
			extended = 1;
		} else if (strcmp((const char *)k->name, "severity") == 0) {
			static const char *const sev_attrs[] = { "rule", "value", NULL };

			if ((rc = check_pack_attrs(k, sev_attrs)) != 0)
				break;
			/* applied once every schema is compiled */
			continue;
		} else if (strcmp((const char *)k->name, "schema") == 0) {
			const char *href = pack_attr(k, "href");
			char *spath;
			xmlDocPtr sdoc;

			if ((rc = check_pack_attrs(k, href_attrs)) != 0)
				break;
			if (href == NULL || href[0] == '\0' || href[0] == '/' || strstr(href, "://")) {
				rc = pack_err(k, RD_ERULES, "%s",
				              "schema needs an href relative to the pack directory");
				break;
			}
			spath = rd__path_join(dir, href);
			if (spath == NULL) {
				rc = rd__error_oom();
				break;
			}
			rc = rd__source_allow(src, spath, (const char *)doc->URL, rd__node_line(k),
			                      "schema", href);
			if (rc == RD_OK)
				rc = rd__source_parse(src, spath, &sdoc);
			if (rc == RD_OK) {
				rc = rd__schema_compile(rules, src, sdoc, spath);
				xmlFreeDoc(sdoc);
			}
			free(spath);
			nschemas++;
		} else {
			rc = pack_err(k, RD_ERULES, "unknown element '%s' in the pack manifest",
			              (const char *)k->name);
		}
	}
	/* severity adjustments of an overlay: every assertion with that id */
	for (k = root->children; k && rc == 0; k = k->next) {
		const char *rid, *val;
		int sev = 0;
		size_t i, found = 0;

		if (k->type != XML_ELEMENT_NODE || k->ns == NULL ||
		    strcmp((const char *)k->ns->href, RD_NS_PACK) != 0 ||
		    strcmp((const char *)k->name, "severity") != 0)
			continue;
		rid = pack_attr(k, "rule");
		val = pack_attr(k, "value");
		if (val && strcmp(val, "error") == 0)
			sev = RD_SEVERITY_ERROR;
		else if (val && strcmp(val, "warning") == 0)
			sev = RD_SEVERITY_WARNING;
		else if (val && strcmp(val, "info") == 0)
			sev = RD_SEVERITY_INFO;
		if (rid == NULL || sev == 0) {
			rc = pack_err(k, RD_ERULES, "%s",
			              "severity needs a rule id and a value: error, warning or info");
			break;
		}
		for (i = 0; i < rules->nassertions; i++)
			if (rules->assertions[i]->id && strcmp(rules->assertions[i]->id, rid) == 0) {
				rules->assertions[i]->severity = sev;
				found++;
			}
		if (found == 0)
			rc = pack_err(k, RD_ERULES, "severity: no rule with the id '%s'", rid);
	}
	free(dir);
	if (rc == 0 && nschemas == 0 && !extended)
		rc = pack_err(root, RD_ERULES, "%s", "the pack names no schema");
	if (rc == 0) {
		rc = pack_identity(rules, root);
		rules->own_tests = own_tests; /* the outermost pack's comes last */
	}
	return rc;
}

/* ---------------------------------------------------------------- loading */

static char *base_name_id(const char *path)
{
	const char *b = strrchr(path, '/');
	const char *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	return rd__strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static int finish_single_schema(rd_rules *r, const char *path)
{
	const rd_schema *s = r->nschemas ? r->schemas[0] : NULL;

	if (r->id == NULL)
		r->id = s && s->id ? rd__strdup(s->id) : base_name_id(path);
	if (r->version == NULL && s && s->schema_version)
		r->version = rd__strdup(s->schema_version);
	if (r->title == NULL && s && s->title)
		r->title = rd__strdup(s->title);
	if (r->id == NULL || (s && s->schema_version && !r->version) ||
	    (s && s->title && !r->title))
		return rd__error_oom();
	return RD_OK;
}

static int load_doc(rd_rules **out, const rd_source *src, xmlDocPtr doc, const char *path,
                    const char *shown_path)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	rd_rules *r;
	rd_oom_watch watch;
	int rc;

	rc = rd__rules_new(&r);
	if (rc != RD_OK)
		return rc;
	r->path = rd__strdup(shown_path);
	if (r->path == NULL) {
		rd__rules_unref(r);
		return rd__error_oom();
	}
	/* an allocation that libxml2 reports only to this thread (a title read as "") fails
	 * the load, even where libxml2 went on */
	rd__oom_watch_begin(&watch);
	if (root && root->ns && strcmp((const char *)root->ns->href, RD_NS_PACK) == 0 &&
	    strcmp((const char *)root->name, "pack") == 0)
		rc = rd__pack_load(r, src, doc, path);
	else {
		rc = rd__schema_compile(r, src, doc, path);
		if (rc == RD_OK)
			rc = finish_single_schema(r, path ? path : shown_path);
	}
	if (rd__oom_watch_end(&watch) && rc == RD_OK)
		rc = rd__error_oom();
	if (rc != RD_OK) {
		rd__rules_unref(r);
		return rc;
	}
	*out = r;
	return RD_OK;
}

int rd_rules_load(rd_rules **out, const char *path, const rd_load_options *opts)
{
	return rd__rules_load_path(out, path, opts, NULL);
}

int rd__rules_load_path(rd_rules **out, const char *path, const rd_load_options *opts,
                        rd_packsig_ctx *sig)
{
	rd_source src;
	rd_roots roots, named;
	xmlDocPtr doc = NULL;
	char *file = NULL, *dir = NULL;
	int rc;

	rd__init();
	if (out == NULL || path == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_rules_load: out and path must not be NULL");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_rules_load", rd_load_options, RD_LOAD_OPTIONS_VERSION, opts);
	memset(&src, 0, sizeof src);
	memset(&roots, 0, sizeof roots);
	memset(&named, 0, sizeof named);
	rd__limits_from(&src.limits, opts);
	src.sig = sig;
	if (rd__is_dir(path)) {
		/* a pack directory: its files, pack.xml first, are under it */
		file = rd__path_join(path, "pack.xml");
		if (file == NULL)
			return rd__error_oom();
		rc = rd__roots_add(&roots, path, 0);
		src.roots = &roots;
	} else {
		/* a file the caller named is read wherever it leads (the directory of its real
		 * path); what it names must be under the directory it was named in */
		char *real = rd__path_resolve(path);

		dir = rd__path_dir(path);
		if (real == NULL && errno != ENOMEM)
			rc = rd__error_set(RD_ENOTFOUND, path, 0, 0, "%s: cannot open: %s", path,
			                   strerror(errno));
		else
			rc = real && dir ? RD_OK : rd__error_oom();
		if (rc == RD_OK) {
			char *rdir = rd__path_dir(real);

			rc = rdir ? rd__roots_add(&named, rdir, 0) : rd__error_oom();
			free(rdir);
		}
		if (rc == RD_OK)
			rc = rd__roots_add(&roots, dir, 0);
		free(real);
		free(dir);
		src.roots = &named;
	}
	if (rc == RD_OK)
		rc = rd__source_parse(&src, file ? file : path, &doc);
	if (rc == RD_ENOTFOUND && file)
		rc = rd__error_set(RD_ENOTFOUND, path, 0, 0,
		                   "%s: a rule pack directory needs a pack.xml manifest", path);
	if (rc == RD_OK) {
		src.roots = &roots;
		rc = load_doc(out, &src, doc, file ? file : path, path);
		xmlFreeDoc(doc);
	}
	rd__roots_free(&roots);
	rd__roots_free(&named);
	free(file);
	return rc;
}

int rd_rules_load_signed(rd_rules **out, const char *path, const rd_load_options *opts,
                         const rd_trust *trust, const rd_pack_verify_options *verify)
{
	rd_packsig_ctx *ctx;
	char *root;
	int rc;

	rd__init();
	if (out == NULL || path == NULL || trust == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0,
		                     "rd_rules_load_signed: out, path and a trust store are needed");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_rules_load_signed", rd_load_options, RD_LOAD_OPTIONS_VERSION, opts);
	RD__CHECK_OPTIONS("rd_rules_load_signed", rd_pack_verify_options, RD_PACK_VERIFY_OPTIONS_VERSION, verify);
	ctx = rd__packsig_ctx_new(trust, verify);
	root = rd__is_dir(path) ? rd__strdup(path) : rd__path_dir(path);
	if (ctx == NULL || root == NULL) {
		rd__packsig_ctx_free(ctx);
		free(root);
		return rd__error_oom();
	}
	/* the pack of path is verified before its first file is read; the packs it extends,
	 * when the loader reaches them */
	rc = rd__packsig_add_root(ctx, root);
	free(root);
	if (rc == RD_OK)
		rc = rd__rules_load_path(out, path, opts, ctx);
	rd__packsig_ctx_free(ctx);
	return rc;
}

int rd_rules_load_memory(rd_rules **out, const void *data, size_t len, const char *name,
                         const char *base_dir, const rd_load_options *opts)
{
	rd_source src;
	rd_roots roots;
	xmlDocPtr doc;
	char *path = NULL;
	int rc;

	rd__init();
	if (out == NULL || (data == NULL && len))
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_rules_load_memory: bad arguments");
	*out = NULL;
	RD__CHECK_OPTIONS("rd_rules_load_memory", rd_load_options, RD_LOAD_OPTIONS_VERSION, opts);
	memset(&src, 0, sizeof src);
	memset(&roots, 0, sizeof roots);
	rd__limits_from(&src.limits, opts);
	src.roots = &roots; /* without base_dir, empty: no file can be read */
	if (name == NULL)
		name = "<memory>";
	if (base_dir != NULL) {
		const char *b = strrchr(name, '/');

		path = rd__path_join(base_dir, b ? b + 1 : name);
		if (path == NULL)
			return rd__error_oom();
		if ((rc = rd__roots_add(&roots, base_dir, 0)) != RD_OK) {
			free(path);
			return rc;
		}
	}
	rc = rd__xml_parse(&doc, data, len, path ? path : name, &src.limits);
	if (rc == RD_OK) {
		rc = load_doc(out, &src, doc, path, name);
		xmlFreeDoc(doc);
	}
	rd__roots_free(&roots);
	free(path);
	return rc;
}

static int embedded_has(const char *name)
{
	size_t i;

	for (i = 0; i < rd__embedded_count; i++)
		if (strcmp(rd__embedded_files[i].name, name) == 0)
			return 1;
	return 0;
}

int rd_rules_load_default_for(rd_rules **out, const char *jurisdiction)
{
	rd_source src;
	xmlDocPtr doc;
	char manifest[64];
	int rc;

	rd__init();
	if (out == NULL)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_rules_load_default: out is NULL");
	*out = NULL;
	memset(&src, 0, sizeof src);
	src.embedded = 1;
	rd__limits_from(&src.limits, NULL);
	snprintf(manifest, sizeof manifest, "%s/pack.xml", RD_DEFAULT_PACK);
	if (jurisdiction && *jurisdiction) {
		/* the embedded pack for a jurisdiction lives in a directory named after it */
		char dir[32];
		size_t i, n = strlen(jurisdiction);

		for (i = 0; i < n; i++) {
			char ch = jurisdiction[i];

			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch == '-' && i > 0)))
				return rd__error_set(RD_EINVAL, NULL, 0, 0,
				                     "'%s' is not a jurisdiction code (e.g. PK, PK-PB)", jurisdiction);
			if (i < sizeof dir - 1)
				dir[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
		}
		if (n < 16) {
			dir[n] = '\0';
			snprintf(manifest, sizeof manifest, "%s/pack.xml", dir);
			if (!embedded_has(manifest))
				snprintf(manifest, sizeof manifest, "%s/pack.xml", RD_DEFAULT_PACK);
		}
	}
	{
		/* the embedded pack's directory: the manifest's */
		rd_roots roots;
		char *dir = rd__path_dir(manifest);

		memset(&roots, 0, sizeof roots);
		rc = dir ? rd__roots_add(&roots, dir, 1) : rd__error_oom();
		free(dir);
		src.roots = &roots;
		if (rc == RD_OK)
			rc = rd__source_parse(&src, manifest, &doc);
		if (rc == RD_OK) {
			rc = load_doc(out, &src, doc, manifest, "(embedded)");
			xmlFreeDoc(doc);
		}
		rd__roots_free(&roots);
	}
	return rc;
}

int rd_rules_load_default(rd_rules **out)
{
	return rd_rules_load_default_for(out, NULL);
}
