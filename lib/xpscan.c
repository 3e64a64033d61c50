/* rahdari: an XPath 1.0 tokeniser.
 *
 * libxml2 compiles XPath but resolves function names, namespace prefixes and
 * variables only when an expression runs. rahdari refuses a schema that uses
 * an unknown prefix, function or variable when it is loaded, so it tokenises
 * every expression itself (XPath 1.0 section 3.7, with its disambiguation
 * rules) and checks the names it finds. The tokeniser also turns XSLT match
 * patterns (rule contexts) into expressions evaluated from the root.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static size_t scan_ncname(const char *s, size_t i)
{
	if (!is_name_start((unsigned char)s[i]))
		return i;
	i++;
	while (is_name_char((unsigned char)s[i]))
		i++;
	return i;
}

static size_t skip_space(const char *s, size_t i)
{
	while (is_space(s[i]))
		i++;
	return i;
}

/* Whether the previous token lets the next "*" or NCName be an operand. */
static int operand_expected(const rd_xtoks *t)
{
	const rd_xtok *p;

	if (t->n == 0)
		return 1;
	p = &t->v[t->n - 1];
	switch (p->type) {
	case RD_XT_AT:
	case RD_XT_COLONCOLON:
	case RD_XT_LPAREN:
	case RD_XT_LBRACKET:
	case RD_XT_COMMA:
	case RD_XT_OPERATOR:
		return 1;
	default:
		return 0;
	}
}

static int push(rd_xtoks *t, rd_xtok_type type, size_t start, size_t len, size_t prefix_len)
{
	rd_xtok *k;

	if (rd__grow(&t->v, &t->cap, t->n, sizeof *t->v) < 0)
		return -1;
	k = &t->v[t->n++];
	memset(k, 0, sizeof *k);
	k->type = type;
	k->start = start;
	k->len = len;
	k->prefix_len = prefix_len;
	k->nargs = -1;
	return 0;
}

typedef struct frame {
	size_t tok;     /* index of the function token, or (size_t)-1 */
	int commas;
	int nonempty;
	size_t first;   /* index of the first token inside */
	size_t arg_first[RD_XT_MAXLIT]; /* index of the first token of each argument */
} frame;

void rd__xtoks_free(rd_xtoks *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* The tokeniser's state: the expression, the tokens so far, the open brackets, the
 * position, and the error (errmsg NULL while there is none). */
typedef struct scanner {
	const char *s;
	rd_xtoks *out;
	frame *fr;
	size_t nfr, capfr;
	size_t i;
	size_t errpos;
	const char *errmsg;
} scanner;

static int scan_fail(scanner *sc, size_t pos, const char *msg)
{
	sc->errpos = pos;
	sc->errmsg = msg;
	return -1;
}

static int scan_push(scanner *sc, rd_xtok_type type, size_t start, size_t len, size_t prefix_len)
{
	if (push(sc->out, type, start, len, prefix_len) < 0)
		return scan_fail(sc, sc->i, "out of memory");
	return 0;
}

/* '(' or '[': a token and a frame. */
static int scan_open(scanner *sc, char c, size_t st)
{
	rd_xtoks *out = sc->out;
	int is_fn = c == '(' && out->n &&
	            (out->v[out->n - 1].type == RD_XT_FUNCTION ||
	             out->v[out->n - 1].type == RD_XT_NODETYPE);
	frame *f;

	if (sc->nfr)
		sc->fr[sc->nfr - 1].nonempty = 1;
	if (scan_push(sc, c == '(' ? RD_XT_LPAREN : RD_XT_LBRACKET, st, 1, 0) < 0)
		return -1;
	if (rd__grow(&sc->fr, &sc->capfr, sc->nfr, sizeof *sc->fr) < 0)
		return scan_fail(sc, sc->i, "out of memory");
	f = &sc->fr[sc->nfr];
	f->tok = is_fn ? out->n - 2 : (size_t)-1;
	f->commas = 0;
	f->nonempty = 0;
	f->first = out->n;
	f->arg_first[0] = out->n;
	sc->nfr++;
	sc->i++;
	return 0;
}

/* The closing ')' of a function call (the last token): its number of arguments and which
 * of them are a single string literal. */
static void close_call(rd_xtoks *out, const frame *f)
{
	rd_xtok *fn = &out->v[f->tok];
	size_t end = out->n - 1;
	int a;

	fn->nargs = f->nonempty ? f->commas + 1 : 0;
	for (a = 0; a < fn->nargs && a < RD_XT_MAXLIT; a++) {
		size_t t0 = f->arg_first[a];

		if (t0 < end && out->v[t0].type == RD_XT_LITERAL &&
		    (t0 + 1 == end || out->v[t0 + 1].type == RD_XT_COMMA)) {
			fn->lit[a] = out->v[t0].start + 1;
			fn->lit_len[a] = out->v[t0].len - 2;
			fn->lit_mask |= 1u << a;
		}
	}
}

/* ')' or ']': it must close the innermost frame. */
static int scan_close(scanner *sc, char c, size_t st)
{
	frame *f;

	if (sc->nfr == 0)
		return scan_fail(sc, st, c == ')' ? "unbalanced ')'" : "unbalanced ']'");
	f = &sc->fr[sc->nfr - 1];
	if ((c == ')') != (sc->out->v[f->first - 1].type == RD_XT_LPAREN))
		return scan_fail(sc, st, "mismatched brackets");
	if (scan_push(sc, c == ')' ? RD_XT_RPAREN : RD_XT_RBRACKET, st, 1, 0) < 0)
		return -1;
	if (f->tok != (size_t)-1)
		close_call(sc->out, f);
	sc->nfr--;
	sc->i++;
	return 0;
}

static int scan_comma(scanner *sc, size_t st)
{
	if (scan_push(sc, RD_XT_COMMA, st, 1, 0) < 0)
		return -1;
	if (sc->nfr) {
		frame *f = &sc->fr[sc->nfr - 1];

		f->commas++;
		if (f->commas < RD_XT_MAXLIT)
			f->arg_first[f->commas] = sc->out->n;
	}
	sc->i++;
	return 0;
}

static int scan_literal(scanner *sc, char c, size_t st)
{
	const char *e = strchr(sc->s + sc->i + 1, c);

	if (e == NULL)
		return scan_fail(sc, st, "unterminated string literal");
	if (scan_push(sc, RD_XT_LITERAL, st, (size_t)(e - sc->s) - st + 1, 0) < 0)
		return -1;
	sc->i = (size_t)(e - sc->s) + 1;
	return 0;
}

static int scan_number(scanner *sc, size_t st)
{
	const char *s = sc->s;

	while (s[sc->i] >= '0' && s[sc->i] <= '9')
		sc->i++;
	if (s[sc->i] == '.') {
		sc->i++;
		while (s[sc->i] >= '0' && s[sc->i] <= '9')
			sc->i++;
	}
	return scan_push(sc, RD_XT_NUMBER, st, sc->i - st, 0);
}

/* '$' and a (possibly prefixed) variable name. */
static int scan_variable(scanner *sc, size_t st)
{
	const char *s = sc->s;
	size_t i = sc->i, e = scan_ncname(s, i + 1), pl = 0;

	if (e == i + 1)
		return scan_fail(sc, st, "'$' must be followed by a variable name");
	if (s[e] == ':' && s[e + 1] != ':' && is_name_start((unsigned char)s[e + 1])) {
		pl = e - (i + 1);
		e = scan_ncname(s, e + 1);
	}
	if (scan_push(sc, RD_XT_VARIABLE, i + 1, e - (i + 1), pl) < 0)
		return -1;
	sc->i = e;
	return 0;
}

/* One of / // | + - = < > <= >= != (c is its first character). */
static int scan_operator(scanner *sc, char c, size_t st)
{
	const char *s = sc->s;
	size_t len = 1;

	if (c == '/' && s[sc->i + 1] == '/')
		len = 2;
	else if ((c == '<' || c == '>' || c == '!') && s[sc->i + 1] == '=')
		len = 2;
	else if (c == '!')
		return scan_fail(sc, st, "'!' must be followed by '='");
	if (scan_push(sc, RD_XT_OPERATOR, st, len, 0) < 0)
		return -1;
	sc->i += len;
	return 0;
}

/* What a (possibly prefixed) name from st to e is, by what follows it. */
static rd_xtok_type name_type(const char *s, size_t st, size_t e, size_t pl)
{
	size_t after = skip_space(s, e), n = e - st;

	if (s[after] == '(') {
		if (pl == 0 && ((n == 4 && !memcmp(s + st, "node", 4)) ||
		                (n == 4 && !memcmp(s + st, "text", 4)) ||
		                (n == 7 && !memcmp(s + st, "comment", 7)) ||
		                (n == 22 && !memcmp(s + st, "processing-instruction", 22))))
			return RD_XT_NODETYPE;
		return RD_XT_FUNCTION;
	}
	if (s[after] == ':' && s[after + 1] == ':' && pl == 0)
		return RD_XT_AXIS;
	return RD_XT_NAMETEST;
}

/* A name: an operator name where an operand cannot come, else prefix:*, a node type, a
 * function, an axis or a name test. */
static int scan_name(scanner *sc, size_t st)
{
	const char *s = sc->s;
	size_t e = scan_ncname(s, sc->i), pl = 0;

	if (!operand_expected(sc->out)) {
		/* must be an operator name */
		if (!((e - st == 3 && (!memcmp(s + st, "and", 3) || !memcmp(s + st, "mod", 3) ||
		                       !memcmp(s + st, "div", 3))) ||
		      (e - st == 2 && !memcmp(s + st, "or", 2))))
			return scan_fail(sc, st, "expected an operator");
		if (scan_push(sc, RD_XT_OPERATOR, st, e - st, 0) < 0)
			return -1;
		sc->i = e;
		return 0;
	}
	if (s[e] == ':' && s[e + 1] == '*') {
		if (scan_push(sc, RD_XT_NAMETEST, st, e + 2 - st, e - st) < 0)
			return -1;
		sc->i = e + 2;
		return 0;
	}
	if (s[e] == ':' && s[e + 1] != ':' && is_name_start((unsigned char)s[e + 1])) {
		pl = e - st;
		e = scan_ncname(s, e + 1);
	}
	if (scan_push(sc, name_type(s, st, e, pl), st, e - st, pl) < 0)
		return -1;
	sc->i = e;
	return 0;
}

/* The token at sc->i (not the end of the expression). */
static int scan_token(scanner *sc)
{
	const char *s = sc->s;
	size_t st = sc->i;
	char c = s[st];

	if (c == '(' || c == '[')
		return scan_open(sc, c, st);
	if (c == ')' || c == ']')
		return scan_close(sc, c, st);
	if (sc->nfr)
		sc->fr[sc->nfr - 1].nonempty = 1;
	if (c == ',')
		return scan_comma(sc, st);
	if (c == '@') {
		if (scan_push(sc, RD_XT_AT, st, 1, 0) < 0)
			return -1;
		sc->i++;
		return 0;
	}
	if (c == ':' && s[st + 1] == ':') {
		if (scan_push(sc, RD_XT_COLONCOLON, st, 2, 0) < 0)
			return -1;
		sc->i += 2;
		return 0;
	}
	if (c == '"' || c == '\'')
		return scan_literal(sc, c, st);
	if ((c >= '0' && c <= '9') || (c == '.' && s[st + 1] >= '0' && s[st + 1] <= '9'))
		return scan_number(sc, st);
	if (c == '.') {
		int two = s[st + 1] == '.';

		if (scan_push(sc, two ? RD_XT_DOTDOT : RD_XT_DOT, st, two ? 2 : 1, 0) < 0)
			return -1;
		sc->i += two ? 2 : 1;
		return 0;
	}
	if (c == '$')
		return scan_variable(sc, st);
	if (c == '*') {
		if (scan_push(sc, operand_expected(sc->out) ? RD_XT_NAMETEST : RD_XT_OPERATOR, st, 1,
		              0) < 0)
			return -1;
		sc->i++;
		return 0;
	}
	if (c == '/' || c == '|' || c == '+' || c == '-' || c == '=' || c == '<' || c == '>' ||
	    c == '!')
		return scan_operator(sc, c, st);
	if (is_name_start((unsigned char)c))
		return scan_name(sc, st);
	return scan_fail(sc, st, "unexpected character");
}

int rd__xpath_scan(const char *s, rd_xtoks *out, size_t *errpos, const char **errmsg)
{
	scanner sc;
	int rc = -1;

	memset(&sc, 0, sizeof sc);
	sc.s = s;
	sc.out = out;
	out->v = NULL;
	out->n = out->cap = 0;

	for (;;) {
		sc.i = skip_space(s, sc.i);
		if (s[sc.i] == '\0')
			break;
		if (scan_token(&sc) < 0)
			goto done;
	}
	if (sc.nfr) {
		scan_fail(&sc, sc.i, "unclosed '(' or '['");
		goto done;
	}
	if (scan_push(&sc, RD_XT_END, sc.i, 0, 0) < 0)
		goto done;
	out->n--; /* keep an END sentinel after the last token */
	rc = 0;
done:
	*errpos = sc.errpos;
	*errmsg = sc.errmsg;
	free(sc.fr);
	if (rc != 0)
		rd__xtoks_free(out);
	return rc;
}

char **rd__pattern_to_xpaths(const char *pattern, size_t *nout)
{
	rd_xtoks t;
	size_t errpos, i, seg = 0, n = 0;
	const char *errmsg;
	int depth = 0;
	char **out;

	*nout = 0;
	if (rd__xpath_scan(pattern, &t, &errpos, &errmsg) < 0)
		return NULL;
	if (t.n == 0) {
		rd__xtoks_free(&t);
		return NULL;
	}
	out = rd__calloc(t.n + 2, sizeof *out);
	if (out == NULL) {
		rd__xtoks_free(&t);
		return NULL;
	}
	for (i = 0; i <= t.n; i++) {
		int split = i == t.n;

		if (!split) {
			rd_xtok *k = &t.v[i];

			if (k->type == RD_XT_LPAREN || k->type == RD_XT_LBRACKET)
				depth++;
			else if (k->type == RD_XT_RPAREN || k->type == RD_XT_RBRACKET)
				depth--;
			else if (depth == 0 && k->type == RD_XT_OPERATOR && k->len == 1 &&
			         pattern[k->start] == '|')
				split = 1;
		}
		if (split) {
			size_t from, to;
			rd_xtok *first;
			rd_buf b;

			if (i == seg) /* empty alternative */
				goto fail;
			first = &t.v[seg];
			from = first->start;
			to = i == t.n ? strlen(pattern) : t.v[i].start;
			while (to > from && is_space(pattern[to - 1]))
				to--;
			rd__buf_init(&b);
			if (!(first->type == RD_XT_OPERATOR && pattern[first->start] == '/') &&
			    !(first->type == RD_XT_FUNCTION && first->prefix_len == 0 &&
			      ((first->len == 2 && !memcmp(pattern + first->start, "id", 2)) ||
			       (first->len == 3 && !memcmp(pattern + first->start, "key", 3)))))
				rd__buf_puts(&b, "//");
			rd__buf_add(&b, pattern + from, to - from);
			out[n] = rd__buf_take(&b, NULL);
			if (out[n] == NULL)
				goto fail;
			n++;
			seg = i + 1;
		}
	}
	rd__xtoks_free(&t);
	*nout = n;
	return out;
fail:
	for (i = 0; i < n; i++)
		free(out[i]);
	free(out);
	rd__xtoks_free(&t);
	return NULL;
}
