/* rahdari command-line tool: helpers shared by the subcommands.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ---------------------------------------------------------------- text for a terminal */

static size_t utf8_len(const unsigned char *s, size_t n);

/* The last strings cli_safe() made: a few, so that one printf() may take several. */
#define SAFE_RING 8
static char *safe_ring[SAFE_RING];
static size_t safe_cap[SAFE_RING];
static unsigned int safe_next;

static void safe_free(void)
{
	unsigned int i;

	for (i = 0; i < SAFE_RING; i++) {
		free(safe_ring[i]);
		safe_ring[i] = NULL;
		safe_cap[i] = 0;
	}
}

const char *cli_safe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	static int registered;
	const unsigned char *p = (const unsigned char *)s;
	size_t n, need, k;
	unsigned int slot;
	char *o;

	if (s == NULL)
		return NULL;
	/* the same rules as the library's text writer: C0 controls but TAB, DEL, C1 controls
	 * and bytes that are not UTF-8 escaped, the rest of UTF-8 kept */
	n = strlen(s);
	if (n > ((size_t)-1) / 6 - 1)
		return "(too long)";
	need = n * 6 + 1;
	slot = safe_next++ % SAFE_RING;
	if (safe_cap[slot] < need) {
		char *t = realloc(safe_ring[slot], need);

		if (t == NULL)
			return "(out of memory)";
		safe_ring[slot] = t;
		safe_cap[slot] = need;
		if (!registered)
			registered = atexit(safe_free) == 0;
	}
	o = safe_ring[slot];
	while (n > 0) {
		k = utf8_len(p, n);
		if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			memcpy(o, "\\u0080", 6);
			o[4] = hex[p[1] >> 4];
			o[5] = hex[p[1] & 15];
			o += 6;
		} else if (k > 1 || (k == 1 && ((*p >= 0x20 && *p != 0x7f) || *p == '\t'))) {
			memcpy(o, p, k);
			o += k;
		} else if (k == 1 && (*p == '\n' || *p == '\r')) {
			*o++ = '\\';
			*o++ = *p == '\n' ? 'n' : 'r';
		} else {
			k = 1;
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
		p += k;
		n -= k;
	}
	*o = '\0';
	return safe_ring[slot];
}

/* fmt and its arguments, escaped as cli_safe() does, on stderr. */
static void verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void verror(const char *fmt, va_list ap)
{
	va_list aq;
	char small[512], *big = NULL;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	if (n >= (int)sizeof small && (big = malloc((size_t)n + 1)) != NULL)
		vsnprintf(big, (size_t)n + 1, fmt, ap);
	fputs(cli_safe(big ? big : small), stderr);
	free(big);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", progname, cmd);
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help' for more information.\n", progname, cmd);
	return EXIT_USAGE;
}

void cli_lib_error(void)
{
	const rd_error *e = rd_error_last();

	cli_error("%s", e->message);
}

int cli_valid_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, md;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12)
		return 0;
	md = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		md = 29;
	return d >= 1 && d <= md;
}

int cli_read_stream(FILE *f, const char *name, unsigned int flags, char **data, size_t *len,
                    size_t max)
{
	char *p = NULL;
	int rc;

	*data = NULL;
	*len = 0;
	/* nothing has been read through f's buffer: the descriptor is read directly */
	rc = rd_read_fd(&p, len, fileno(f), name, max, flags);
	if (rc != RD_OK)
		return -1;
	/* the caller frees with free(); the library's allocator may not be the tool's */
	*data = malloc(*len + 1);
	if (*data == NULL) {
		rd_free(p);
		cli_error("%s: out of memory", name);
		return -1;
	}
	memcpy(*data, p, *len);
	(*data)[*len] = '\0';
	rd_free(p);
	return 0;
}

/* Output to a file or a pipe goes out in large writes (an audit writes tens of megabytes;
 * stdio's own buffer is a page, a system call every few records); a terminal keeps its
 * line buffering. */
#define OUT_BUFFER (256 * 1024)

int cli_out_open(cli_out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		o->name = "standard output";
	} else {
		o->f = fopen(path, "w");
		o->name = path;
		if (o->f == NULL) {
			cli_error("cannot open %s for writing: %s", path, strerror(errno));
			return -1;
		}
	}
	if (!isatty(fileno(o->f))) {
		/* stdio takes the size only with a buffer; standard output's lives as long as
		 * the process, which may still write to it after cli_out_close() */
		static char stdout_buf[OUT_BUFFER];

		if (o->f == stdout)
			setvbuf(o->f, stdout_buf, _IOFBF, sizeof stdout_buf);
		else if ((o->buf = malloc(OUT_BUFFER)) != NULL)
			setvbuf(o->f, o->buf, _IOFBF, OUT_BUFFER);
	}
	return 0;
}

int cli_out_write(const char *data, size_t len, void *payload)
{
	cli_out *o = payload;

	if (o->failed)
		return -1;
	if (fwrite(data, 1, len, o->f) != len) {
		o->failed = 1;
		o->err = errno;
		return -1;
	}
	return 0;
}

int cli_out_close(cli_out *o)
{
	int rc = 0;

	if (o->f == NULL)
		return 0;
	if (fflush(o->f) != 0 && !o->failed) {
		o->failed = 1;
		o->err = errno;
	}
	if (o->f != stdout) {
		if (fclose(o->f) != 0 && !o->failed) {
			o->failed = 1;
			o->err = errno;
		}
		free(o->buf);
		o->buf = NULL;
	} else if (ferror(o->f) && !o->failed) {
		o->failed = 1;
		o->err = errno;
	}
	o->f = NULL;
	if (o->failed) {
		cli_error("cannot write to %s: %s", o->name, o->err ? strerror(o->err) : "write error");
		rc = -1;
	}
	return rc;
}

int cli_color_wanted(const char *mode, FILE *f)
{
	const char *term;

	if (mode == NULL || strcmp(mode, "auto") == 0) {
		if (getenv("NO_COLOR") && getenv("NO_COLOR")[0])
			return 0;
		term = getenv("TERM");
		if (term && strcmp(term, "dumb") == 0)
			return 0;
		return isatty(fileno(f));
	}
	return strcmp(mode, "always") == 0;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if there is none:
 * the library's decoder (lib/utf8.c, compiled in). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return rd__utf8_decode(s, n, &cp);
}

void cli_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	fputc('"', f);
	while (n > 0) {
		size_t k = utf8_len(p, n);

		if (k == 0) {
			fputs("\\ufffd", f); /* not UTF-8: the replacement character */
			k = 1;
		} else if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			fprintf(f, "\\u%04x", p[1]); /* C1 controls too: safe on a terminal */
		} else if (k > 1) {
			fwrite(p, 1, k, f);
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fputc(*p, f);
		}
		p += k;
		n -= k;
	}
	fputc('"', f);
}

/* ---------------------------------------------------------------- the signer's options */

int cli_signer_option(cli_signer *s, int c, const char *arg)
{
	switch (c) {
	case 'k':
		s->key = arg;
		return 1;
	case 'c':
		s->cert = arg;
		return 1;
	case CLI_OPT_CHAIN:
		s->chain = arg;
		return 1;
	case CLI_OPT_PASS:
		s->pass = arg;
		return 1;
	default:
		return 0;
	}
}

/* The passphrase of --pass SOURCE into buf: 0, EXIT_USAGE (not a source) or EXIT_INPUT
 * (printed). */
static int read_pass(const char *source, char *buf, size_t len)
{
	if (strncmp(source, "env:", 4) == 0) {
		const char *v = getenv(source + 4);

		if (v == NULL) {
			cli_error("--pass %s: the environment variable is not set", source);
			return EXIT_INPUT;
		}
		if (strlen(v) >= len) {
			cli_error("--pass %s: the passphrase is too long", source);
			return EXIT_INPUT;
		}
		memcpy(buf, v, strlen(v) + 1);
		return 0;
	}
	if (strncmp(source, "file:", 5) == 0) {
		FILE *f = fopen(source + 5, "r");

		if (f == NULL || fgets(buf, (int)len, f) == NULL) {
			cli_error("--pass %s: cannot read: %s", source, f ? "empty file" : strerror(errno));
			if (f)
				fclose(f);
			return EXIT_INPUT;
		}
		fclose(f);
		buf[strcspn(buf, "\r\n")] = '\0';
		return 0;
	}
	return EXIT_USAGE;
}

int cli_signer_ready(cli_signer *s, const char *cmd)
{
	int r;

	if (s->key == NULL || s->cert == NULL)
		return cli_usage_error(cmd, "give the signer's --key and --cert");
	if (s->pass == NULL)
		return 0;
	r = read_pass(s->pass, s->password, sizeof s->password);
	if (r != 0)
		cli_signer_clear(s); /* whatever part of it was read */
	if (r == EXIT_USAGE)
		return cli_usage_error(cmd, "--pass '%s': use env:VAR or file:PATH", s->pass);
	if (r != 0)
		return r;
	s->has_password = 1;
	return 0;
}

void cli_signer_clear(cli_signer *s)
{
	volatile char *p = s->password;
	size_t i;

	for (i = 0; i < sizeof s->password; i++)
		p[i] = 0;
	s->has_password = 0;
}
