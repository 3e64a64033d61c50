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

int rd__xpath_scan(const char *s, rd_xtoks *out, size_t *errpos, const char **errmsg)
{
	frame *fr = NULL;
	size_t nfr = 0, capfr = 0;
	size_t i = 0;
	int rc = -1;

	out->v = NULL;
	out->n = out->cap = 0;
	*errpos = 0;
	*errmsg = NULL;

	for (;;) {
		size_t st;
		char c;

		i = skip_space(s, i);
		st = i;
		c = s[i];
		if (c == '\0')
			break;
		if (c == '(' || c == '[') {
			int is_fn = c == '(' && out->n &&
			            (out->v[out->n - 1].type == RD_XT_FUNCTION ||
			             out->v[out->n - 1].type == RD_XT_NODETYPE);

			if (nfr)
				fr[nfr - 1].nonempty = 1;
			if (push(out, c == '(' ? RD_XT_LPAREN : RD_XT_LBRACKET, st, 1, 0) < 0)
				goto oom;
			if (rd__grow(&fr, &capfr, nfr, sizeof *fr) < 0)
				goto oom;
			fr[nfr].tok = is_fn ? out->n - 2 : (size_t)-1;
			fr[nfr].commas = 0;
			fr[nfr].nonempty = 0;
			fr[nfr].first = out->n;
			fr[nfr].arg_first[0] = out->n;
			nfr++;
			i++;
			continue;
		}
		if (c == ')' || c == ']') {
			frame *f;

			if (nfr == 0) {
				*errpos = st;
				*errmsg = c == ')' ? "unbalanced ')'" : "unbalanced ']'";
				goto done;
			}
			f = &fr[nfr - 1];
			if ((c == ')') != (out->v[f->first - 1].type == RD_XT_LPAREN)) {
				*errpos = st;
				*errmsg = "mismatched brackets";
				goto done;
			}
			if (push(out, c == ')' ? RD_XT_RPAREN : RD_XT_RBRACKET, st, 1, 0) < 0)
				goto oom;
			if (f->tok != (size_t)-1) {
				rd_xtok *fn = &out->v[f->tok];
				size_t end = out->n - 1;

				fn->nargs = f->nonempty ? f->commas + 1 : 0;
				/* which arguments are a single string literal */
				{
					int a;

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
			}
			nfr--;
			i++;
			continue;
		}
		if (nfr)
			fr[nfr - 1].nonempty = 1;
		if (c == ',') {
			if (push(out, RD_XT_COMMA, st, 1, 0) < 0)
				goto oom;
			if (nfr) {
				fr[nfr - 1].commas++;
				if (fr[nfr - 1].commas < RD_XT_MAXLIT)
					fr[nfr - 1].arg_first[fr[nfr - 1].commas] = out->n;
			}
			i++;
			continue;
		}
		if (c == '@') {
			if (push(out, RD_XT_AT, st, 1, 0) < 0)
				goto oom;
			i++;
			continue;
		}
		if (c == ':' && s[i + 1] == ':') {
			if (push(out, RD_XT_COLONCOLON, st, 2, 0) < 0)
				goto oom;
			i += 2;
			continue;
		}
		if (c == '"' || c == '\'') {
			const char *e = strchr(s + i + 1, c);

			if (e == NULL) {
				*errpos = st;
				*errmsg = "unterminated string literal";
				goto done;
			}
			if (push(out, RD_XT_LITERAL, st, (size_t)(e - s) - st + 1, 0) < 0)
				goto oom;
			i = (size_t)(e - s) + 1;
			continue;
		}
		if ((c >= '0' && c <= '9') || (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
			while (s[i] >= '0' && s[i] <= '9')
				i++;
			if (s[i] == '.') {
				i++;
				while (s[i] >= '0' && s[i] <= '9')
					i++;
			}
			if (push(out, RD_XT_NUMBER, st, i - st, 0) < 0)
				goto oom;
			continue;
		}
		if (c == '.') {
			int two = s[i + 1] == '.';

			if (push(out, two ? RD_XT_DOTDOT : RD_XT_DOT, st, two ? 2 : 1, 0) < 0)
				goto oom;
			i += two ? 2 : 1;
			continue;
		}
		if (c == '$') {
			size_t e = scan_ncname(s, i + 1), pl = 0;

			if (e == i + 1) {
				*errpos = st;
				*errmsg = "'$' must be followed by a variable name";
				goto done;
			}
			if (s[e] == ':' && s[e + 1] != ':' && is_name_start((unsigned char)s[e + 1])) {
				pl = e - (i + 1);
				e = scan_ncname(s, e + 1);
			}
			if (push(out, RD_XT_VARIABLE, i + 1, e - (i + 1), pl) < 0)
				goto oom;
			i = e;
			continue;
		}
		if (c == '*') {
			if (push(out, operand_expected(out) ? RD_XT_NAMETEST : RD_XT_OPERATOR, st, 1, 0) < 0)
				goto oom;
			i++;
			continue;
		}
		if (c == '/' || c == '|' || c == '+' || c == '-' || c == '=' || c == '<' || c == '>' ||
		    c == '!') {
			size_t len = 1;

			if (c == '/' && s[i + 1] == '/')
				len = 2;
			else if ((c == '<' || c == '>' || c == '!') && s[i + 1] == '=')
				len = 2;
			else if (c == '!') {
				*errpos = st;
				*errmsg = "'!' must be followed by '='";
				goto done;
			}
			if (push(out, RD_XT_OPERATOR, st, len, 0) < 0)
				goto oom;
			i += len;
			continue;
		}
		if (is_name_start((unsigned char)c)) {
			size_t e = scan_ncname(s, i), pl = 0, after;
			rd_xtok_type type;

			if (!operand_expected(out)) {
				/* must be an operator name */
				if (!((e - st == 3 && (!memcmp(s + st, "and", 3) || !memcmp(s + st, "mod", 3) ||
				                       !memcmp(s + st, "div", 3))) ||
				      (e - st == 2 && !memcmp(s + st, "or", 2)))) {
					*errpos = st;
					*errmsg = "expected an operator";
					goto done;
				}
				if (push(out, RD_XT_OPERATOR, st, e - st, 0) < 0)
					goto oom;
				i = e;
				continue;
			}
			if (s[e] == ':' && s[e + 1] == '*') {
				if (push(out, RD_XT_NAMETEST, st, e + 2 - st, e - st) < 0)
					goto oom;
				i = e + 2;
				continue;
			}
			if (s[e] == ':' && s[e + 1] != ':' && is_name_start((unsigned char)s[e + 1])) {
				pl = e - st;
				e = scan_ncname(s, e + 1);
			}
			after = skip_space(s, e);
			if (s[after] == '(') {
				size_t n = e - st;

				if (pl == 0 && ((n == 4 && !memcmp(s + st, "node", 4)) ||
				                (n == 4 && !memcmp(s + st, "text", 4)) ||
				                (n == 7 && !memcmp(s + st, "comment", 7)) ||
				                (n == 22 && !memcmp(s + st, "processing-instruction", 22))))
					type = RD_XT_NODETYPE;
				else
					type = RD_XT_FUNCTION;
			} else if (s[after] == ':' && s[after + 1] == ':' && pl == 0) {
				type = RD_XT_AXIS;
			} else {
				type = RD_XT_NAMETEST;
			}
			if (push(out, type, st, e - st, pl) < 0)
				goto oom;
			i = e;
			continue;
		}
		*errpos = st;
		*errmsg = "unexpected character";
		goto done;
	}
	if (nfr) {
		*errpos = i;
		*errmsg = "unclosed '(' or '['";
		goto done;
	}
	if (push(out, RD_XT_END, i, 0, 0) < 0)
		goto oom;
	out->n--; /* keep an END sentinel after the last token */
	rc = 0;
	goto done;
oom:
	*errmsg = "out of memory";
	*errpos = i;
done:
	free(fr);
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
