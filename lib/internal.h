/* rahdari: internal declarations shared by the library's modules.
 *
 * Nothing here is part of the public API. Internal non-static functions are
 * named rd__<noun>_<verb> so that the export check can tell them apart.
 * SPDX-License-Identifier: MIT */
#ifndef RD_INTERNAL_H
#define RD_INTERNAL_H

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <rahdari.h>

#include "xmlcompat.h"

#define RD_UNUSED(x) ((void)(x))
#define RD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define RD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RD_PRINTF(a, b)
#endif

/* The namespaces rahdari knows. */
#define RD_NS_SCH "http://purl.oclc.org/dsdl/schematron"
#define RD_NS_SCH15 "http://www.ascc.net/xml/schematron"
#define RD_NS_SVRL "http://purl.oclc.org/dsdl/svrl"
#define RD_NS_RULES "urn:rahdari:rules:1"
#define RD_NS_FN "urn:rahdari:fn:1"
#define RD_NS_PACK "urn:rahdari:pack:1"
#define RD_NS_DOC "urn:rahdari:doc:1"
#define RD_NS_XSL "http://www.w3.org/1999/XSL/Transform"

/* ---------------------------------------------------------------- errors (error.c) */

int rd__error_set(int code, const char *file, long line, long column, const char *fmt, ...)
	RD_PRINTF(5, 6);
int rd__error_oom(void);
/* Prefix the current error message with a context string ("in include x.sch: ..."). */
void rd__error_prefix(const char *fmt, ...) RD_PRINTF(1, 2);
void rd__init(void);

/* The one rule of every options struct (doc/api.md, "Options structs"): a struct whose
 * version is not the one the library knows (0: never initialised, or a newer header) is
 * refused with RD_EINVAL and a message naming the function, the struct and the version.
 * A NULL struct passes (each function says whether NULL means its defaults). */
int rd__options_refuse(const char *fn, const char *type, unsigned int version,
                       unsigned int current);
#define RD__CHECK_OPTIONS(fn, type, current, opts)                                     \
	do {                                                                             \
		const type *rd__opts = (opts);                                           \
		if (rd__opts != NULL && rd__opts->version != (current))                  \
			return rd__options_refuse(fn, #type, rd__opts->version, current); \
	} while (0)
/* libxml2 reports some failed allocations (xmlStrdup in xmlNewNs, ...) only to this
 * thread's error handlers, and goes on with what it has: between begin and end, such a
 * report is noted (every error still reaches the handlers that were there), and end says
 * whether one came. Per thread; never a global handler. */
typedef struct rd_oom_watch {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc generic;
	void *gctx;
	int oom;
} rd_oom_watch;
void rd__oom_watch_begin(rd_oom_watch *w);
int rd__oom_watch_end(rd_oom_watch *w);

/* ---------------------------------------------------------------- memory and strings (util.c) */

void *rd__malloc(size_t n);
void *rd__calloc(size_t n, size_t size);
void *rd__realloc(void *p, size_t n);
char *rd__strdup(const char *s);
char *rd__strndup(const char *s, size_t n);
/* Grow *arr (holding *n items of size sz, capacity *cap) to hold one more. 0 or -1. */
int rd__grow(void *arr, size_t *cap, size_t n, size_t sz);

/* A growable byte buffer, always NUL-terminated when data != NULL. */
typedef struct rd_buf {
	char *data;
	size_t len;
	size_t cap;
	int oom;
} rd_buf;

void rd__buf_init(rd_buf *b);
void rd__buf_free(rd_buf *b);
void rd__buf_reset(rd_buf *b);
void rd__buf_add(rd_buf *b, const char *s, size_t n);
void rd__buf_puts(rd_buf *b, const char *s);
void rd__buf_putc(rd_buf *b, char c);
void rd__buf_printf(rd_buf *b, const char *fmt, ...) RD_PRINTF(2, 3);
/* The one UTF-8 decoder (utf8.c, which declares these itself: the tool compiles it in).
 * The character at p, at most n bytes read: its length (1 to 4) and code point, or 0 when
 * the bytes there are not well-formed UTF-8 (overlong forms, surrogates, above U+10FFFF,
 * cut short). rd__utf8_len: the length alone, in a NUL-terminated string. */
size_t rd__utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);
size_t rd__utf8_len(const unsigned char *p);
/* rd_name_matches with the truncation of the MRZ name known (identity.c); 1, 0, or -1 when
 * out of memory. */
int rd__name_matches(const char *printed, const char *mrz_name, int truncated);
/* rd_name_matches, -1 when out of memory. */
int rd__name_matches_field(const char *printed, const char *mrz_name);
void rd__buf_json_str(rd_buf *b, const char *s);  /* "..." with JSON escapes, or null */
/* s for a terminal: C0 (but TAB), DEL and C1 controls and bytes that are not UTF-8 escaped
 * (\n, \r, \xHH, \u0080..\u009f); the text writer and every message for people */
void rd__buf_term(rd_buf *b, const char *s);
void rd__buf_xml_text(rd_buf *b, const char *s);  /* &lt; &amp; &gt; */
void rd__buf_xml_attr(rd_buf *b, const char *s);  /* also &quot; and control chars */
/* Take ownership of the data (NULL when out of memory). */
char *rd__buf_take(rd_buf *b, size_t *len);

/* An arena: many small allocations freed together. */
typedef struct rd_arena_chunk rd_arena_chunk;
typedef struct rd_arena {
	rd_arena_chunk *head;
	size_t used; /* bytes used in head */
	size_t size; /* capacity of head */
} rd_arena;

void rd__arena_init(rd_arena *a);
void rd__arena_free(rd_arena *a);
void *rd__arena_alloc(rd_arena *a, size_t n);
char *rd__arena_strdup(rd_arena *a, const char *s);
char *rd__arena_strndup(rd_arena *a, const char *s, size_t n);

/* Read a whole file, refusing more than max bytes. The data is followed by 4 zero bytes.
 * Only regular files and pipes are read (a device or a directory is refused at once). */
int rd__file_read(const char *path, size_t max, char **data, size_t *len);
/* The same, a pipe checked as it is read (flags: RD_READ_XML, RD_READ_TEXT; see
 * rd_read_fd()). */
int rd__file_read_as(const char *path, size_t max, unsigned int flags, char **data, size_t *len);
/* Open a file to read it, refusing what rd__file_read() refuses. RD_OK and *fd, or the error. */
int rd__file_open(const char *path, int *fd);
/* Is fd something rahdari reads (a regular file, a pipe, a terminal, a socket)? RD_OK or
 * RD_EIO (set). */
int rd__fd_check_kind(int fd, const char *name);
/* Read all of a descriptor as rd_read_fd() does (name for messages). */
int rd__fd_read(int fd, const char *name, size_t max, unsigned int flags, char **data,
                size_t *len);
/* A file's bytes, mapped when it is a large regular file, else read (not NUL-terminated
 * when mapped). */
typedef struct rd_mapped {
	char *data;
	size_t len;
	int mapped;
} rd_mapped;
int rd__file_map(const char *path, size_t max, unsigned int flags, rd_mapped *m);
void rd__file_unmap(rd_mapped *m);
/* Join a directory and a relative path ("a/b", "../c.sch" -> "a/b/../c.sch"). */
char *rd__path_join(const char *dir, const char *rel);
/* Directory part of a path ("." when there is none). */
char *rd__path_dir(const char *path);
int rd__is_dir(const char *path);
/* Collapse "a/./b" and "a/x/../b" in place (so that include cycles are seen). */
void rd__path_normalize(char *p);
/* (path.c) The absolute path a path leads to, symbolic links resolved (realpath), also when it
 * does not exist: then the real path of its deepest existing ancestor followed by the
 * rest, with "." and ".." collapsed. NULL (errno set) when out of memory or when not
 * even the working directory resolves. */
char *rd__path_resolve(const char *path);
/* The same without the file system, for names: "/" + path collapsed ("a/../b" -> "/b",
 * "../x" -> "/x"). NULL when out of memory. */
char *rd__path_lexical(const char *path);
/* Is path (absolute, collapsed) dir or under it? */
int rd__path_under(const char *path, const char *dir);

/* SipHash-2-4 of data under a 128-bit key (siphash.c, which declares these itself). */
uint64_t rd__siphash24(const unsigned char key[16], const void *data, size_t len);
/* The same under a random key drawn once per process: the hash of every hash table whose
 * keys come from input, so that no input can choose keys that collide. */
uint64_t rd__hash(const void *data, size_t len);

/* Whitespace-separated token test: is word one of the tokens of list? */
int rd__has_token(const char *list, const char *word);
/* Collapse runs of XML white space to one space and trim. Returns s. */
char *rd__normalize_space(char *s);

/* ---------------------------------------------------------------- dates (date.c) */

/* Days since 1970-01-01 for a proleptic Gregorian date. */
long rd__days_from_civil(long y, unsigned m, unsigned d);
void rd__civil_from_days(long z, long *y, unsigned *m, unsigned *d);
/* Parse "YYYY-MM-DD" (optionally followed by 'T' and anything when allow_time) into a day
 * number; 0 on success, -1 when not a valid date. */
int rd__date_parse(const char *s, size_t len, int allow_time, long *days);
/* Format a day number as YYYY-MM-DD into buf[11]. */
void rd__date_format(long days, char buf[11]);
/* Today in local time as a day number. */
long rd__date_today(void);

/* ---------------------------------------------------------------- XML loading (xml.c) */

typedef struct rd_limits {
	size_t max_bytes;
	unsigned int max_depth;
} rd_limits;

void rd__limits_from(rd_limits *lim, const rd_load_options *opts);

/* The state of one secure parse (ctxt->_private points to it, or to a struct that starts
 * with it). */
struct rd_index;
typedef struct rd_loader {
	const rd_limits *lim;
	struct rd_index *index; /* elements are numbered and indexed as they come, when not NULL */
	const char *name;
	unsigned int depth;
	int code;        /* first refusal: rd_status */
	char msg[768];
	long line, column;
} rd_loader;
/* Make a parser context secure: error and entity-declaration handlers (which refuse),
 * options (no network, no DTD, no entity substitution). ld must outlive the parse. */
void rd__xml_secure(xmlParserCtxtPtr ctxt, rd_loader *ld);
/* Refuse the input being parsed: record the first refusal and stop the parser. */
void rd__xml_refuse(xmlParserCtxtPtr ctxt, rd_loader *ld, int code, const char *fmt, ...)
	RD_PRINTF(4, 5);
/* After a parse: set the error (file:line:column: why) and return its status, or RD_OK. */
int rd__xml_finish_error(rd_loader *ld, xmlParserCtxtPtr ctxt);
/* libxml2 reports some errors with no parser context at hand (the encoding converters'
 * "input conversion failed", I/O errors, the regular-expression compiler of XML Schemas)
 * to the calling thread's structured or generic error handler, stderr by default. While
 * rahdari parses or validates, the thread's handlers are a trap's: saved, replaced and
 * restored around the call (never the global ones), and the first such error kept. */
typedef struct rd_xml_trap {
	xmlStructuredErrorFunc old_s;
	void *old_sctx;
	xmlGenericErrorFunc old_g;
	void *old_gctx;
	xmlParserCtxtPtr ctxt; /* the parse under way, for the position; or NULL */
	rd_loader *ld;         /* its loader: the error refuses the input; or NULL */
	const char *data;      /* the whole input when it is in memory (to place an encoding */
	size_t len;            /* error exactly), or NULL */
	int have;              /* an error was caught */
	char msg[512];         /* the first one */
	long line, column;
	size_t glen;           /* generic messages come in pieces: the length so far */
} rd_xml_trap;
/* Install the trap on this thread; ctxt and ld may be NULL (then the error is only kept). */
void rd__xml_trap_begin(rd_xml_trap *t, xmlParserCtxtPtr ctxt, rd_loader *ld);
/* Put the thread's handlers back. */
void rd__xml_trap_end(rd_xml_trap *t);
/* The same for a while (a callback runs in the middle of a parse), then the trap again. */
void rd__xml_trap_pause(rd_xml_trap *t);
void rd__xml_trap_resume(rd_xml_trap *t);
/* Parse an XML document from memory with the safe options. name is the URL recorded in the
 * document and used in messages. */
int rd__xml_parse(xmlDocPtr *out, const char *data, size_t len, const char *name,
                  const rd_limits *lim);
/* The same, numbering and indexing the elements as they are parsed (see rd_index). */
struct rd_index;
int rd__xml_parse_indexed(xmlDocPtr *out, const char *data, size_t len, const char *name,
                          const rd_limits *lim, struct rd_index *ix);
/* A parser context reused for many small documents (one thread's): its dictionary of
 * names too. rd__reparser_parse() parses as rd__xml_parse_at() does, without index. */
typedef struct rd_reparser {
	xmlParserCtxtPtr ctxt;
	rd_loader ld;
} rd_reparser;
int rd__reparser_init(rd_reparser *p);
void rd__reparser_free(rd_reparser *p);
int rd__reparser_parse(rd_reparser *p, xmlDocPtr *out, const char *data, size_t len,
                       const char *name, const rd_limits *lim, long first_line);
/* The same, numbering lines from first_line (a part cut out of a larger file). */
int rd__xml_parse_at(xmlDocPtr *out, const char *data, size_t len, const char *name,
                     const rd_limits *lim, struct rd_index *ix, long first_line);
/* Line of a node (parent element's line for attributes). */
long rd__node_line(const xmlNode *node);

/* ---------------------------------------------------------------- documents (document.c) */

/* Elements of one name (local name and namespace), in document order. */
typedef struct rd_name_list {
	const xmlChar *local; /* interned in the document's dictionary */
	const xmlChar *ns;    /* namespace URI, or NULL */
	xmlNodePtr *nodes;
	size_t n, cap;
} rd_name_list;

/* Built once when a document is loaded (then read-only, so shared by threads): every
 * element in document order, and the elements of each name. Simple rule contexts
 * (element paths, attributes) are answered from it instead of walking the tree. */
typedef struct rd_index {
	xmlNodePtr *all;
	size_t nall, cap_all;
	rd_name_list *names; /* open-addressing table, keyed by pointers */
	size_t size;         /* slots, a power of two */
	size_t used;
	const xmlChar **uris; /* canonical namespace URIs */
	size_t nuris, capuris;
	rd_name_list *last;   /* the list the previous element went to */
	const xmlChar *last_href;
} rd_index;

/* A licence as it was parsed, when rules read it without something (document.c). */
typedef struct rd_pristine {
	const xmlNode *node; /* the licence element in the rules' tree */
	xmlDocPtr doc;       /* the licence as a document of its own, as parsed */
} rd_pristine;

struct rd_document {
	xmlDocPtr doc; /* what rules read: a licence lacks what its signature does not cover */
	char *name;
	char sha256[65];
	rd_index index;
	rd_pristine *pristine; /* the licences of doc that rules read without something */
	size_t npristine;
};

/* Give rules the licences of d (its root, or the licence a case's document holds)
 * without their ds:Signature elements and comments, which no signature covers, keeping
 * each licence changed as it was for rd__document_pristine(). Rebuilds d's index when it
 * was built. RD_OK or RD_ENOMEM. */
int rd__document_view_licences(rd_document *d);
/* The licence element node of d's tree as it was parsed (a document of its own, read-only:
 * copy it before use), or NULL when rules read it as it was. */
xmlDocPtr rd__document_pristine(const rd_document *d, const xmlNode *node);

/* Number the elements (as xmlXPathOrderDocElems does, for O(1) order comparisons) and
 * build the index. 0 or -1 (out of memory). */
int rd__index_build(rd_index *ix, xmlDocPtr doc);
/* Add the next element in document order (the loader calls it as it parses). */
int rd__index_add(rd_index *ix, xmlNodePtr n);
void rd__index_free(rd_index *ix);
/* The elements named local in namespace ns (NULL: no namespace), or NULL. */
const rd_name_list *rd__index_find(const rd_index *ix, const char *local, const char *ns);

/* ---------------------------------------------------------------- file sources (pack.c) */

/* Where rule files come from: the file system, or the files embedded in the library. */
typedef struct rd_embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
} rd_embedded_file;

extern const rd_embedded_file rd__embedded_files[];
extern const size_t rd__embedded_count;

/* The directories the files of the pack being loaded may be in: its own and those of
 * the packs it extends, as rd__path_resolve() gives them (embedded packs: as
 * rd__path_lexical() does). */
typedef struct rd_roots {
	char **dirs;
	size_t n, cap;
} rd_roots;

/* Add dir (resolved here; embedded: a name). 0, or an error status (set). */
int rd__roots_add(rd_roots *r, const char *dir, int embedded);
void rd__roots_free(rd_roots *r);

typedef struct rd_source {
	int embedded; /* 1: look names up in rd__embedded_files */
	rd_limits limits;
	struct rd_packsig_ctx *sig; /* signed rules only: every file read must be as signed */
	rd_roots *roots; /* a file is read only when under one of these (NULL: none is) */
} rd_source;

/* May the source read path (already joined)? RD_OK, or RD_EUNSAFE when it is outside
 * src->roots, with decl_file:decl_line and `what href="href"` in the message when
 * decl_file is not NULL. Never reads the file, and never says more of it than href. */
int rd__source_allow(const rd_source *src, const char *path, const char *decl_file,
                     long decl_line, const char *what, const char *href);
/* Read a file from the source (path already joined); refused as rd__source_allow() says. */
int rd__source_read(const rd_source *src, const char *path, char **data, size_t *len);
int rd__source_parse(const rd_source *src, const char *path, xmlDocPtr *out);

/* ---------------------------------------------------------------- signed packs (packsig.c) */

/* The packs verified while signed rules load (rd_rules_load_signed). */
typedef struct rd_packsig_ctx rd_packsig_ctx;
/* A context for the packs verified with trust and opts (opts may be NULL), both kept by
 * reference; NULL when memory ran out. */
rd_packsig_ctx *rd__packsig_ctx_new(const rd_trust *trust, const rd_pack_verify_options *opts);
void rd__packsig_ctx_free(rd_packsig_ctx *ctx);
/* Verify the pack directory dir (once) and keep its manifest; RD_EUNSAFE when it does not
 * verify. */
int rd__packsig_add_root(rd_packsig_ctx *ctx, const char *dir);
/* Is data (read from path) a file of a verified pack, as signed? RD_OK or RD_EUNSAFE. */
int rd__packsig_check_file(rd_packsig_ctx *ctx, const char *path, const char *data, size_t len);
/* rd_rules_load(), every file read checked with sig when it is not NULL (loader.c). */
int rd__rules_load_path(rd_rules **out, const char *path, const rd_load_options *opts,
                        rd_packsig_ctx *sig);

/* ---------------------------------------------------------------- identity (mrz.c, identity.c) */

extern const char rd__iso3166_alpha3[][4]; /* generated: lib/countries.c */
extern const size_t rd__iso3166_count;
struct rd_mrz;
int rd__mrz_json(rd_buf *b, const struct rd_mrz *m);

/* ---------------------------------------------------------------- tables (table.c) */

typedef struct rd_table rd_table;
/* The most columns a table may have (a wider header is refused: RD_ELIMIT). */
#define RD_TABLE_MAX_COLUMNS 1024
struct rd_table {
	char *name;
	char *file;
	size_t ncols;
	char **cols;           /* the header's names */
	size_t nrows;
	char ***rows;          /* rows[r][c] */
	char *text;            /* every field's text, NUL-terminated: cols and rows point here */
	char **cells;          /* the header's fields, then each row's (cols, rows[r] point here) */
	uint32_t *index;       /* column c: index_size slots from c * index_size, an
	                        * open-addressing hash (keyed) of row numbers + 1 */
	size_t index_size;
	uint32_t *colhash;     /* the columns by name: column numbers + 1 */
	size_t colhash_size;
};

int rd__table_parse(rd_table **out, const char *name, const char *file, const char *data,
                    size_t len);
void rd__table_free(rd_table *t);
int rd__table_column(const rd_table *t, const char *col);
/* Row index of the first row whose column c equals value, or -1. */
long rd__table_find(const rd_table *t, int c, const char *value);

/* ---------------------------------------------------------------- XPath scanning (xpscan.c) */

typedef enum rd_xtok_type {
	RD_XT_END = 0,
	RD_XT_LPAREN,
	RD_XT_RPAREN,
	RD_XT_LBRACKET,
	RD_XT_RBRACKET,
	RD_XT_DOT,
	RD_XT_DOTDOT,
	RD_XT_AT,
	RD_XT_COMMA,
	RD_XT_COLONCOLON,
	RD_XT_NAMETEST,   /* *, NCName:*, QName */
	RD_XT_NODETYPE,   /* comment text processing-instruction node (followed by "(") */
	RD_XT_OPERATOR,   /* and or mod div * / // | + - = != < <= > >= */
	RD_XT_FUNCTION,   /* QName followed by "(" */
	RD_XT_AXIS,       /* NCName followed by "::" */
	RD_XT_LITERAL,
	RD_XT_NUMBER,
	RD_XT_VARIABLE    /* $QName; the token text excludes the "$" */
} rd_xtok_type;

typedef struct rd_xtok {
	rd_xtok_type type;
	size_t start; /* offset in the expression */
	size_t len;
	size_t prefix_len; /* QNames: length of the prefix (0 when none) */
	int nargs;         /* functions: number of arguments */
	/* functions: the first RD_XT_MAXLIT arguments, when an argument is a single string
	 * literal: its text (without quotes) is lit[i], lit_len[i]; bit i of lit_mask is set */
#define RD_XT_MAXLIT 4
	size_t lit[RD_XT_MAXLIT], lit_len[RD_XT_MAXLIT];
	unsigned int lit_mask;
} rd_xtok;

typedef struct rd_xtoks {
	rd_xtok *v;
	size_t n;
	size_t cap;
} rd_xtoks;

/* Tokenise an XPath 1.0 expression. On a lexical error returns -1 and sets *errpos. */
int rd__xpath_scan(const char *expr, rd_xtoks *out, size_t *errpos, const char **errmsg);
void rd__xtoks_free(rd_xtoks *t);
/* Split a pattern at top-level "|" and turn each alternative into an expression selecting
 * every node it matches when evaluated from the root. Returns a NULL-terminated array
 * (free each string and the array), or NULL on error. The alternatives are evaluated
 * separately: libxml2 2.9's node-set union is quadratic. */
char **rd__pattern_to_xpaths(const char *pattern, size_t *n);

/* ---------------------------------------------------------------- regular expressions (regex.c) */

/* An XML Schema regular expression compiled to an automaton that is matched in time
 * linear in the input (no backtracking). Immutable once compiled: threads share it. */
typedef struct rd_regex rd_regex;

/* Compile src (UTF-8); NULL with the reason in err (syntax, "regular expression too
 * complex: ..." past the size cap, out of memory). */
rd_regex *rd__regex_compile(const char *src, char err[256]);
/* The same with flags, for tests that compare the ways of matching: RD_REGEX_NO_FAST
 * always simulates the automaton (no literal fast paths, no DFA), RD_REGEX_DFA_ALWAYS
 * makes the automaton deterministic as it runs whatever the length of the string. */
#define RD_REGEX_NO_FAST 1u
#define RD_REGEX_DFA_ALWAYS 2u
rd_regex *rd__regex_compile_opts(const char *src, char err[256], unsigned int flags);
void rd__regex_free(rd_regex *re);
/* Does the whole of s[0..len) match? 1 yes, 0 no, -1 error (out of memory, s not
 * UTF-8). Adds the steps performed to *work when work is not NULL. */
int rd__regex_match(const rd_regex *re, const char *s, size_t len, unsigned long *work);
/* The same, giving up with -2 once more than limit steps were performed. */
int rd__regex_exec(const rd_regex *re, const char *s, size_t len, unsigned long *work,
                   unsigned long limit);
/* The size of the compiled automaton in states (at most 5,000; a class with many
 * categories or blocks counts for more than one): a character costs at most about twice
 * as many steps. */
size_t rd__regex_states(const rd_regex *re);
/* May a backtracking matcher (libxml2's xmlRegexp, which checks the xs:pattern facets of
 * XML Schemas) run src in time linear in the length of any value, times a small constant
 * of the pattern's? 1 yes: the pattern is deterministic (1-unambiguous, every part reached
 * one way), or it has no unbounded repetition and a value can be read in at most 10,000
 * ways; 0 no (or the pattern cannot be read or is too large to analyse), with why naming
 * the part at fault; -1 out of memory. See regex.c. */
int rd__regex_backtrack_safe(const char *src, char why[256]);
/* For tests: match as a naive backtracking matcher would, through every path of re's
 * automaton, counting in *steps the instructions visited. 1, 0, -1 (error), -2 once more
 * than limit steps were taken. */
int rd__regex_backtrack_count(const rd_regex *re, const char *s, size_t len,
                              unsigned long *steps, unsigned long limit);

/* ---------------------------------------------------------------- functions (fnsig.c, functions.c) */

/* The signature of a function of urn:rahdari:fn:1 (fnsig.c, the compiler's); its
 * implementation is found by name at evaluation time (rd__fn_lookup, functions.c). */
typedef struct rd_fninfo {
	const char *name;
	int min_args, max_args; /* max -1: any */
	int table_arg; /* 1: first argument names a table, second a column (literals checked) */
	int regex_arg; /* 1: second argument is a regular expression (literal checked) */
	int mrz_field_arg; /* 1: second argument names an MRZ field (literal checked) */
} rd_fninfo;

const rd_fninfo *rd__fn_find(const char *name, size_t len);
/* The XPath core and XSLT functions rahdari evaluates, unprefixed. */
int rd__fn_core_arity(const char *name, size_t len, int *min, int *max);
xmlXPathFunction rd__fn_lookup(void *ctxt, const xmlChar *name, const xmlChar *ns_uri);

/* ---------------------------------------------------------------- compiled rules (schema.c) */

typedef enum rd_part_type {
	RD_PART_TEXT = 0,
	RD_PART_VALUE_OF,
	RD_PART_NAME
} rd_part_type;

typedef struct rd_part {
	rd_part_type type;
	char *text;              /* TEXT: the text; others: the expression source */
	xmlXPathCompExprPtr expr; /* VALUE_OF, NAME with path; NULL for NAME without path */
} rd_part;

typedef struct rd_msg {
	rd_part *parts;
	size_t n;
} rd_msg;

typedef struct rd_let {
	char *name;
	char *src;
	xmlXPathCompExprPtr expr; /* NULL when the value is element content */
	xmlDocPtr content;        /* element content, as a private document */
	size_t *deps;             /* globals: indices of the globals it references */
	size_t ndeps;
	int is_param;             /* a schema-level let: a check may give it a value */
} rd_let;

typedef struct rd_diag {
	char *id;
	char *lang; /* xml:lang, or NULL */
	rd_msg msg;
	char *role; /* properties only */
} rd_diag;

struct rd_assertion {
	rd_kind kind;
	char *id;
	char *test_src;
	xmlXPathCompExprPtr test;
	char *subject_src;
	xmlXPathCompExprPtr subject;
	rd_msg msg;
	char *msg_template; /* the message with {expressions} in place of value-of and name */
	char *lang; /* language of msg */
	int severity;
	char *role, *flag, *see, *icon, *fpi;
	char *cite, *tags, *confidence, *jurisdiction;
	char *eff_from_s, *eff_to_s;
	long eff_from, eff_to; /* day numbers; LONG_MIN / LONG_MAX when open */
	size_t *diags;         /* indices into schema->diags */
	size_t ndiags;
	size_t *props;         /* indices into schema->props */
	size_t nprops;
	char *file;
	long line;
	struct rd_rule *rule;  /* back pointers (for reports) */
	struct rd_pattern *pattern;
	const struct rd_schema *schema;
	size_t global_index;   /* index in rules->assertions */
};

/* A rule context alternative that is a plain path: [/] step (/ step)* [/@attr], each
 * step a name test without predicates. Answered from the document index. */
typedef struct rd_simple_step {
	char *local; /* NULL: any name ("*" or "p:*") */
	char *ns;    /* namespace URI, NULL for none */
	int any_ns;  /* "*": any namespace */
} rd_simple_step;

typedef struct rd_simple_path {
	int absolute;          /* starts with "/" */
	rd_simple_step *steps; /* element steps, outermost first */
	size_t nsteps;
	int has_attr;
	rd_simple_step attr;   /* the final attribute step */
} rd_simple_path;

void rd__simple_path_free(rd_simple_path *p);
/* Call add(ud, node) for each node the plain path p selects in the indexed document, in
 * document order (index.c). 0, or -1 as soon as add returns it. */
struct rd_index;
int rd__simple_path_each(const struct rd_index *ix, const rd_simple_path *p,
                         int (*add)(void *ud, xmlNodePtr n), void *ud);

typedef struct rd_rule {
	char *id;
	char *context_src;   /* as written */
	char **context_xpaths; /* each alternative, as evaluated from the root */
	xmlXPathCompExprPtr *contexts;
	size_t ncontexts;
	struct rd_simple_path **simple; /* per alternative: a fast path, or NULL */
	rd_let *lets;
	size_t nlets;
	rd_assertion **asserts;
	size_t nasserts;
	char *role, *flag, *see, *icon, *fpi;
	char *file;
	long line;
	size_t global_index; /* index of the fired-rule in schema */
} rd_rule;

typedef struct rd_pattern {
	char *id;    /* may be NULL */
	char *title; /* may be NULL */
	rd_rule *rules;
	size_t nrules;
	size_t index;
	char *file;
	long line;
} rd_pattern;

typedef struct rd_phase {
	char *id;
	size_t *active; /* pattern indices */
	size_t nactive;
	rd_let *lets;
	size_t nlets;
} rd_phase;

typedef struct rd_nsdecl {
	char *prefix;
	char *uri;
} rd_nsdecl;

/* One xsl:key element (ISO Schematron, query binding xslt): the nodes its match pattern
 * selects are indexed under the string values of its use expression (keys.c). */
typedef struct rd_key_def {
	char *match_src;
	char **match_xpaths;        /* each alternative of the pattern, evaluated from the root */
	xmlXPathCompExprPtr *match;
	/* per alternative, when it is a plain path with (non-positional) predicates on its
	 * last step only: the path, answered from the document index, and the predicates, as
	 * "self::node()[...]" (NULL: none); else NULL and XPath evaluates match[i] */
	struct rd_simple_path **simple;
	xmlXPathCompExprPtr *pred;
	/* per alternative with a plain path: a predicate that only asks whether the node has
	 * an attribute without namespace ([@a], or [not(@a)] when pred_not), tested without
	 * XPath; NULL otherwise */
	char **pred_attr;
	unsigned char *pred_not;
	size_t nmatch;
	char *use_src;
	xmlXPathCompExprPtr use;
	char *file;
	long line;
} rd_key_def;

/* Every xsl:key of one expanded name: several add up, as in XSLT. */
typedef struct rd_key {
	char *name; /* as first written, for messages */
	char *uri;  /* namespace of the name (NULL: none) */
	char *local;
	rd_key_def *defs;
	size_t ndefs;
	/* an identical key of an earlier schema of the rule set (same name, definitions and
	 * namespaces, no key() inside), whose index a check shares; NULL: none */
	const struct rd_key *same_as;
	int calls_key; /* its match or use calls key() */
} rd_key;

/* The key named by a QName in schema s (prefixes of its sch:ns), or NULL. */
const rd_key *rd__schema_key(const struct rd_schema *s, const char *qname);
void rd__key_free(rd_key *k);

typedef struct rd_regex_cache {
	char *src;
	rd_regex *re;
} rd_regex_cache;

typedef struct rd_schema {
	char *file;
	char *title;
	char *id;
	char *schema_version;
	char *default_phase;
	char *lang; /* schema xml:lang */
	rd_nsdecl *ns;
	size_t nns;
	xmlNsPtr *xns; /* the same, as libxml2 namespace structs for XPath contexts */
	rd_let *globals; /* schema lets, then pattern lets (global scope) */
	size_t nglobals;
	size_t *global_order; /* evaluation order (dependencies first) */
	rd_pattern *patterns;
	size_t npatterns;
	rd_phase *phases;
	size_t nphases;
	rd_diag *diags;
	size_t ndiags;
	rd_diag *props;
	size_t nprops;
	size_t nrules_total;
	rd_rule **all_rules; /* by global_index */
	rd_key *keys;        /* xsl:key declarations, one entry per name */
	size_t nkeys;
} rd_schema;

struct rd_rules {
	int refs; /* atomic reference count: the rule set and every report made with it */
	char *id, *version, *title, *path, *jurisdiction, *effective;
	rd_schema **schemas;
	size_t nschemas;
	rd_table **tables;
	size_t ntables;
	rd_regex_cache *regexes; /* literal regular expressions, compiled once */
	size_t nregexes;
	rd_assertion **assertions;
	size_t nassertions;
	char **phase_ids;
	size_t nphase_ids;
	/* structural validation: an XSD per document kind (root local name in RD_NS_DOC) */
	struct rd_xsd *xsds;
	size_t nxsds;
	char **tests;  /* test directories: the base packs' first, the overlay's last */
	size_t ntests;
	long own_tests; /* index of the outermost pack's own test directory, or -1 */
	char **packs_loading; /* pack manifests on the way (overlay cycles) */
	size_t npacks_loading;
	/* the destructors of the compiled forms above, left by the compilers that add them
	 * (schema.c, xsd.c), so that ruleset.c frees them without calling up */
	void (*schema_free)(rd_schema *s);
	void (*xsd_free)(struct rd_xsd *x);
};

typedef struct rd_xsd {
	char *kind;
	char *file;
	void *schema;  /* xmlSchemaPtr */
	xmlDocPtr doc; /* the schema document, which the compiled schema points into */
} rd_xsd;

/* Receives each structural error: message, node (may be NULL) and line. 0 or -1. */
typedef int (*rd__xsd_sink)(void *payload, const char *message, xmlNodePtr node, long line);
/* Validate doc; errors beyond the first 50 are counted in *more. 0, or -1 when the sink
 * failed or memory ran out. */
int rd__xsd_validate(const rd_xsd *x, xmlDocPtr doc, rd__xsd_sink sink, void *payload,
                     size_t *more);

/* Structural validation (xsd.c). */
int rd__xsd_load(rd_rules *rules, const rd_source *src, const char *kind, const char *path,
                 const char *decl_file, long decl_line);
void rd__xsd_free(rd_xsd *x);
const rd_xsd *rd__rules_xsd(const rd_rules *rules, const char *kind);

struct rd_data_table {
	rd_table *table;
};

int rd__rules_new(rd_rules **out);
void rd__rules_ref(const rd_rules *rules);
void rd__rules_unref(rd_rules *rules);
/* Compile one Schematron document into the rule set. dir is the base for relative hrefs. */
int rd__schema_compile(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path);
/* The destructor of a compiled schema, which rd__schema_compile leaves in the rule set. */
void rd__schema_free(rd_schema *s);
const rd_table *rd__rules_table(const rd_rules *rules, const char *name);
const rd_regex *rd__rules_regex(const rd_rules *rules, const char *src);
int rd__rules_add_table(rd_rules *rules, const rd_source *src, const char *name,
                        const char *path, const char *decl_file, long decl_line);
int rd__rules_add_regex(rd_rules *rules, const char *src, const char *file, long line);
/* Load a pack.xml (already parsed). */
int rd__pack_load(rd_rules *rules, const rd_source *src, xmlDocPtr doc, const char *path);

/* ---------------------------------------------------------------- evaluation (engine.c) */

/* State shared by every XPath function during one check. */
/* A rule variable not evaluated yet: its expression, at the rule's context node. */
struct rd_lazy_var {
	const struct rd_let *let;
	xmlNodePtr node;
	const struct rd_pattern *pattern;
	const struct rd_rule *rule;
};

typedef struct rd_eval {
	const rd_rules *rules;
	const rd_check_options *opts; /* tables, case documents */
	const rd_document *doc;
	const rd_schema *schema;
	xmlXPathContextPtr xp;
	long today;
	xmlNodePtr current; /* the rule context node, for current() */
	/* variable bindings: a stack of (name, value); a rule's variables are evaluated when
	 * first used (var_lazy[i].let set, value NULL until then) */
	const char **var_names;
	xmlXPathObjectPtr *var_values;
	unsigned int *var_hash;
	struct rd_lazy_var *var_lazy;
	size_t nvars, capvars;
	size_t var_limit; /* lookups see the entries below this one (SIZE_MAX: all) */
	/* first error raised during one evaluation: by libxml2 (the XPath context's error
	 * callback, or this thread's error handlers while the check runs: see rd_check) or by
	 * a function; an evaluation with an error is an evaluation error even when libxml2
	 * returned a value */
	char errmsg[512];
	int has_error;
	int oom;   /* an allocation failed during the check: rd_check returns RD_ENOMEM */
	int quiet; /* > 0: in a function that reports libxml2's errors itself (licence
	            * signatures): this thread's handlers count only allocation failures */
	/* regular expressions compiled at run time (non-literal patterns) */
	rd_regex_cache *dyn_regex;
	size_t ndyn_regex, capdyn_regex;
	/* the last MRZs parsed, so that fn:mrz-field() on one MRZ parses it once */
	struct {
		char *text;
		struct rd_mrz *mrz;
	} mrz_cache[4];
	unsigned int mrz_next;
	struct rd_checker *checker; /* the thread's checker: fn:licence-signature() remembers there */
	/* xsl:key indexes built during this check, one per (key, document) (keys.c) */
	struct rd_key_index *key_indexes;
	/* nodes made by fn:tokens(), freed when the check ends */
	xmlDocPtr scratch;
	long scratch_order;
} rd_eval;

/* Compile an XPath expression for evaluation by the engine (never as one of libxml2's
 * streaming patterns, which fail silently). NULL when it is not valid (the error goes to
 * xp's error callback) or memory ran out. */
xmlXPathCompExprPtr rd__xpath_compile(xmlXPathContextPtr xp, const char *expr);

/* Free what the XPath functions cached during one check. */
void rd__eval_cleanup(rd_eval *ev);
/* key(name, value), XSLT 1.0 (keys.c). */
void rd__fn_key(xmlXPathParserContextPtr ctxt, int nargs);
/* fn:distinct(nodes), fn:after(nodes, node) (keys.c). */
void rd__fn_distinct(xmlXPathParserContextPtr ctxt, int nargs);
void rd__fn_after(xmlXPathParserContextPtr ctxt, int nargs);
void rd__fn_except(xmlXPathParserContextPtr ctxt, int nargs);
void rd__fn_first(xmlXPathParserContextPtr ctxt, int nargs);
/* Free the key indexes of a check (keys.c). */
void rd__keys_free(rd_eval *ev);

void rd__eval_error(rd_eval *ev, const char *fmt, ...) RD_PRINTF(2, 3);

/* The evaluation budget of a check is the XPath context's opLimit: libxml2 counts an
 * operation for each step evaluated and each node an axis visits (opCount, reset for each
 * check). rahdari's functions charge their own work to it: reading or writing
 * RD_BYTES_PER_OP bytes of a string is one operation (about the cost of one step). */
#define RD_BYTES_PER_OP 16
#define RD_OPS_FOR_BYTES(n) (1 + (unsigned long)(n) / RD_BYTES_PER_OP)
/* Charge ops operations to the check's budget. 0, or -1 when the budget runs out: then
 * XPATH_OP_LIMIT_EXCEEDED is raised on ctxt, which stops the evaluation (functions.c). */
int rd__eval_charge(xmlXPathParserContextPtr ctxt, unsigned long ops);
/* An allocation failed in an XPath function: the check is out of memory (rd_check returns
 * RD_ENOMEM) and the evaluation stops with XPATH_MEMORY_ERROR (functions.c). */
void rd__eval_oom(xmlXPathParserContextPtr ctxt);
/* Fail the evaluation with libxml2's error code and a message for the finding (the first
 * message of an evaluation wins). */
void rd__eval_vraise(xmlXPathParserContextPtr ctxt, int code, const char *fmt, va_list ap)
	RD_PRINTF(3, 0);

/* ---------------------------------------------------------------- reports (report.c) */

typedef struct rd_fdiag {
	const char *id;
	const char *lang;
	const char *role; /* properties */
	const char *text;
} rd_fdiag;

struct rd_finding {
	const rd_assertion *assertion; /* NULL for evaluation errors outside an assertion */
	const rd_rule *rule;
	const rd_pattern *pattern;
	rd_kind kind;
	int severity;
	const char *message;
	const char *lang;
	const char *location;
	const char *document;
	const char *test; /* for evaluation errors: the expression that failed */
	long line;
	rd_fdiag *diags; /* all diagnostics (including other languages), for SVRL */
	size_t ndiags;
	rd_fdiag *props;
	size_t nprops;
	size_t schema_index;
};

typedef enum rd_event_type {
	RD_EV_PATTERN = 1,
	RD_EV_RULE,
	RD_EV_FINDING
} rd_event_type;

typedef struct rd_event {
	uint32_t type;
	uint32_t schema;
	size_t index; /* pattern index, rule global index, or finding index */
} rd_event;

struct rd_report {
	rd_rules *rules; /* holds a reference */
	rd_arena arena;
	char *document;
	char sha256[65];
	char as_of[11];
	char *phase;
	char *lang;
	rd_finding *findings;
	size_t nfindings, capfindings;
	rd_event *events;
	size_t nevents, capevents;
	size_t counts[4];
	int oom;
};

int rd__report_new(rd_report **out, const rd_rules *rules, const rd_document *doc);
rd_finding *rd__report_add(rd_report *r);
void rd__report_event(rd_report *r, rd_event_type type, size_t schema, size_t index);
/* Sort findings into document order (stable) and rebuild the event list accordingly. */
void rd__report_finish(rd_report *r);

/* ---------------------------------------------------------------- checks (engine.c) */

/* What one thread reuses from check to check: the XPath context (and its object cache). */
typedef struct rd_checker {
	xmlXPathContextPtr xp;
	struct rd_sig_memo *sig_memo; /* licences verified for this thread's checks (licsig.c) */
	unsigned long checks;         /* checks made with it */
} rd_checker;
void rd__sig_memo_free(struct rd_sig_memo *m);
int rd__checker_init(rd_checker *c);
void rd__checker_free(rd_checker *c);
/* rd_check(), reusing c (NULL: a fresh context for this check). */
int rd__check(rd_report **out, const rd_rules *rules, const rd_document *doc,
              const rd_check_options *opts, rd_checker *c);
/* The report of a document that could not be checked (an audit's record whose check ran
 * out of memory): one evaluation-error finding on the document that says why. RD_OK or
 * RD_ENOMEM. */
int rd__check_failed(rd_report **out, const rd_rules *rules, const rd_document *doc,
                     const rd_check_options *opts, const char *why);

#endif /* RD_INTERNAL_H */
