/* rahdari: memory, buffers, arenas, files and small string helpers.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The public "free what the library returned": strings and arrays it gave the caller. */
void rd_free(void *p)
{
	free(p);
}

void *rd__malloc(size_t n)
{
	return malloc(n ? n : 1);
}

void *rd__calloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

void *rd__realloc(void *p, size_t n)
{
	return realloc(p, n ? n : 1);
}

char *rd__strdup(const char *s)
{
	return s ? rd__strndup(s, strlen(s)) : NULL;
}

char *rd__strndup(const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = rd__malloc(n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int rd__grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **pp = arr;
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > ((size_t)-1) / sz)
		return -1;
	np = realloc(*pp, ncap * sz);
	if (np == NULL)
		return -1;
	*pp = np;
	*cap = ncap;
	return 0;
}

/* ---------------------------------------------------------------- buffers */

void rd__buf_init(rd_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->oom = 0;
}

void rd__buf_free(rd_buf *b)
{
	free(b->data);
	rd__buf_init(b);
}

void rd__buf_reset(rd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_reserve(rd_buf *b, size_t extra)
{
	size_t need, ncap;
	char *np;

	if (b->oom)
		return -1;
	if (extra > ((size_t)-1) - b->len - 1) {
		b->oom = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
	np = realloc(b->data, ncap);
	if (np == NULL) {
		b->oom = 1;
		return -1;
	}
	b->data = np;
	b->cap = ncap;
	return 0;
}

void rd__buf_add(rd_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rd__buf_puts(rd_buf *b, const char *s)
{
	rd__buf_add(b, s, strlen(s));
}

void rd__buf_putc(rd_buf *b, char c)
{
	if (buf_reserve(b, 1) < 0)
		return;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void rd__buf_printf(rd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf_reserve(b, 64) < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (buf_reserve(b, (size_t)n) < 0)
			return;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

#define REPLACEMENT_CHAR "\xEF\xBF\xBD" /* U+FFFD, for bytes that are not UTF-8 */

void rd__buf_json_str(rd_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	const unsigned char *run;

	if (s == NULL) {
		rd__buf_add(b, "null", 4);
		return;
	}
	rd__buf_putc(b, '"');
	run = (const unsigned char *)s;
	for (p = run; *p;) {
		const char *esc = NULL;
		char u[7];
		size_t n = rd__utf8_len(p);

		if (n == 0) {
			/* not UTF-8 (a file name, say): JSON must be, so replace the byte */
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			rd__buf_puts(b, REPLACEMENT_CHAR);
			run = ++p;
			continue;
		}
		if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
			/* a C1 control (U+0080 to U+009F): valid JSON raw, but written \u00XX so that
			 * the output is safe to show on a terminal too */
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			memcpy(u, "\\u0080", 6);
			u[4] = hex[p[1] >> 4];
			u[5] = hex[p[1] & 15];
			u[6] = '\0';
			rd__buf_puts(b, u);
			p += 2;
			run = p;
			continue;
		}
		if (n > 1) {
			p += n;
			continue;
		}
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				u[0] = '\\';
				u[1] = 'u';
				u[2] = '0';
				u[3] = '0';
				u[4] = hex[*p >> 4];
				u[5] = hex[*p & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc) {
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			rd__buf_puts(b, esc);
			run = p + 1;
		}
		p++;
	}
	rd__buf_add(b, (const char *)run, (size_t)(p - run));
	rd__buf_putc(b, '"');
}

/* Text for a terminal. A terminal obeys control characters: ESC and the C1 controls
 * (U+0080 to U+009F, CSI U+009B above all) in a file name or a document's value could
 * move the cursor, recolour or retitle the window, or hide what follows. So C0 controls
 * other than TAB become \n, \r or \xHH, DEL \x7f, C1 controls \u0080 to \u009f, and
 * bytes that are not UTF-8 \xHH (a lone 0x9B byte is CSI to an 8-bit terminal); the rest
 * of UTF-8 (Urdu included) is kept as it is. */
void rd__buf_term(rd_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p, *run;

	if (s == NULL)
		return;
	run = (const unsigned char *)s;
	for (p = run; *p;) {
		size_t n = rd__utf8_len(p);
		char esc[7];

		if (n > 2 || (n == 1 && ((*p >= 0x20 && *p != 0x7f) || *p == '\t')) ||
		    (n == 2 && !(p[0] == 0xC2 && p[1] < 0xA0))) {
			p += n;
			continue;
		}
		rd__buf_add(b, (const char *)run, (size_t)(p - run));
		if (n == 2) {
			memcpy(esc, "\\u0080", 6);
			esc[4] = hex[p[1] >> 4];
			esc[5] = hex[p[1] & 15];
			rd__buf_add(b, esc, 6);
			p += 2;
		} else if (*p == '\n' || *p == '\r') {
			rd__buf_add(b, *p == '\n' ? "\\n" : "\\r", 2);
			p++;
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 15];
			rd__buf_add(b, esc, 4);
			p++;
		}
		run = p;
	}
	rd__buf_add(b, (const char *)run, (size_t)(p - run));
}

/* XML escaping. Bytes that are not UTF-8, and control characters XML 1.0 cannot carry
 * at all (even as references), become U+FFFD, so the output is always well-formed. */
static void buf_xml(rd_buf *b, const char *s, int attr)
{
	const unsigned char *p, *run;

	if (s == NULL)
		return;
	run = (const unsigned char *)s;
	for (p = run; *p;) {
		const char *esc = NULL;
		size_t n = rd__utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			rd__buf_puts(b, REPLACEMENT_CHAR);
			run = ++p;
			continue;
		}
		if ((n == 2 && p[0] == 0xC2 && p[1] < 0xA0) || (n == 1 && *p == 0x7F)) {
			/* DEL and the C1 controls are XML characters, written as references so
			 * that the output is safe to show on a terminal too */
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			rd__buf_printf(b, "&#x%02X;", n == 1 ? 0x7F : p[1]);
			p += n;
			run = p;
			continue;
		}
		if (n > 1) {
			/* U+FFFE and U+FFFF are not XML characters either */
			if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				rd__buf_add(b, (const char *)run, (size_t)(p - run));
				rd__buf_puts(b, REPLACEMENT_CHAR);
				run = p + 3;
			}
			p += n;
			continue;
		}
		switch (*p) {
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '&': esc = "&amp;"; break;
		case '"': esc = attr ? "&quot;" : NULL; break;
		case '\n': esc = attr ? "&#10;" : NULL; break;
		case '\r': esc = "&#13;"; break;
		case '\t': esc = attr ? "&#9;" : NULL; break;
		default:
			break;
		}
		if (esc) {
			rd__buf_add(b, (const char *)run, (size_t)(p - run));
			rd__buf_puts(b, esc);
			run = p + 1;
		}
		p++;
	}
	rd__buf_add(b, (const char *)run, (size_t)(p - run));
}

void rd__buf_xml_text(rd_buf *b, const char *s)
{
	buf_xml(b, s, 0);
}

void rd__buf_xml_attr(rd_buf *b, const char *s)
{
	buf_xml(b, s, 1);
}

char *rd__buf_take(rd_buf *b, size_t *len)
{
	char *d;

	if (b->oom) {
		rd__buf_free(b);
		return NULL;
	}
	if (b->data == NULL && buf_reserve(b, 0) < 0)
		return NULL;
	b->data[b->len] = '\0';
	d = b->data;
	if (len)
		*len = b->len;
	rd__buf_init(b);
	return d;
}

/* ---------------------------------------------------------------- arenas */

struct rd_arena_chunk {
	rd_arena_chunk *next;
	size_t size;
	/* data follows, aligned to max_align_t */
};

#define RD_ARENA_ALIGN (sizeof(max_align_t))
#define RD_CHUNK_HDR (((sizeof(rd_arena_chunk) + RD_ARENA_ALIGN - 1) / RD_ARENA_ALIGN) * RD_ARENA_ALIGN)

void rd__arena_init(rd_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->size = 0;
}

void rd__arena_free(rd_arena *a)
{
	rd_arena_chunk *c = a->head;

	while (c) {
		rd_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	rd__arena_init(a);
}

void *rd__arena_alloc(rd_arena *a, size_t n)
{
	size_t need = (n + RD_ARENA_ALIGN - 1) / RD_ARENA_ALIGN * RD_ARENA_ALIGN;
	rd_arena_chunk *c;
	size_t size;

	if (need < n)
		return NULL;
	if (a->head == NULL || a->size - a->used < need) {
		size = a->size ? a->size * 2 : 4096;
		if (size > 1 << 20)
			size = 1 << 20;
		if (size < need)
			size = need;
		if (size > ((size_t)-1) - RD_CHUNK_HDR)
			return NULL;
		c = malloc(RD_CHUNK_HDR + size);
		if (c == NULL)
			return NULL;
		c->next = a->head;
		c->size = size;
		a->head = c;
		a->size = size;
		a->used = 0;
	}
	c = a->head;
	a->used += need;
	return (char *)c + RD_CHUNK_HDR + a->used - need;
}

char *rd__arena_strndup(rd_arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = rd__arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rd__arena_strdup(rd_arena *a, const char *s)
{
	return s ? rd__arena_strndup(a, s, strlen(s)) : NULL;
}

/* ---------------------------------------------------------------- files */

/* What rahdari reads from. A regular file has a size, checked against the limit before
 * anything is read; a pipe (a FIFO, standard input) is read as a stream, stopped early
 * when it cannot be what is expected. Anything else is refused before a byte is read:
 * /dev/zero or /dev/urandom would otherwise be read up to the size limit (256 MiB by
 * default) before the parser could say a word. A descriptor may also be a terminal (a
 * person typing) or a socket; a path may not name either. */
static int kind_refused(const char *name, mode_t mode, int fd)
{
	const char *what;

	if (S_ISREG(mode) || S_ISFIFO(mode))
		return RD_OK;
	if (fd >= 0 && (S_ISSOCK(mode) || (S_ISCHR(mode) && isatty(fd))))
		return RD_OK;
	what = S_ISDIR(mode)    ? "is a directory"
	       : S_ISCHR(mode)  ? "is a character device, not a regular file or a pipe"
	       : S_ISBLK(mode)  ? "is a block device, not a regular file or a pipe"
	       : S_ISSOCK(mode) ? "is a socket, not a regular file or a pipe"
	                        : "is not a regular file or a pipe";
	return rd__error_set(RD_EIO, name, 0, 0, "%s: %s: not read", name, what);
}

/* Line and column (1-based, in characters as libxml2 counts them) of byte off of a stream
 * being read, whose text starts at byte base (after a byte-order mark); unit is 2 for
 * UTF-16 (be: big-endian), else 1. A line ends at LF, CR LF or a lone CR. */
static unsigned int unit_at(const unsigned char *d, size_t unit, int be)
{
	if (unit == 1)
		return d[0];
	return be ? (unsigned int)(d[0] << 8 | d[1]) : (unsigned int)(d[1] << 8 | d[0]);
}

static void stream_position(const unsigned char *d, size_t base, size_t off, size_t unit,
                            int be, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = base; i + unit <= off; i += unit) {
		unsigned int c = unit_at(d + i, unit, be);

		/* d[off] is in the buffer: the unit after i can be read */
		if (c == '\n' || (c == '\r' && unit_at(d + i + unit, unit, be) != '\n')) {
			(*line)++;
			*col = 1;
		} else if (c != '\r' && (unit > 1 || (c & 0xC0) != 0x80)) {
			(*col)++;
		}
	}
}

/* The check of a stream as it comes in (RD_READ_XML, RD_READ_TEXT). An XML document starts
 * with what libxml2 recognises: the first four bytes of "<?xml" in UCS-4, UTF-16 or EBCDIC
 * (the encodings it detects without a byte-order mark), or a UTF-16 byte-order mark, or an
 * optional UTF-8 one; then white space, then '<'. In UTF-8 (and in text) no byte is NUL. */
typedef struct stream_check {
	unsigned int flags;
	size_t pos;  /* next byte to look at */
	size_t base; /* where the text starts: after a byte-order mark */
	int state;   /* START, then UTF8, UTF16LE or UTF16BE until '<', then BODY8 or OTHER */
} stream_check;

enum { SC_START, SC_UTF8, SC_UTF16LE, SC_UTF16BE, SC_BODY8, SC_OTHER };

static int is_xml_space_byte(unsigned int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Look at data[0..n) (everything read so far); RD_OK, or RD_EPARSE (set) at the first byte
 * that cannot be there. At the end of the stream the parser has the last word. */
static int stream_check_more(stream_check *sc, const char *name, const char *data, size_t n)
{
	static const unsigned char sig[][4] = {
		{ 0x00, 0x00, 0x00, 0x3C }, { 0x3C, 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0x3C, 0x00 },
		{ 0x00, 0x3C, 0x00, 0x00 }, { 0x4C, 0x6F, 0xA7, 0x94 }, { 0x00, 0x3C, 0x00, 0x3F },
		{ 0x3C, 0x00, 0x3F, 0x00 },
	};
	const unsigned char *d = (const unsigned char *)data;
	long line, col;
	size_t i;

	if (sc->flags & RD_READ_XML) {
		if (sc->state == SC_START) {
			if (n < 4)
				return RD_OK; /* wait for more (or let the parser judge a tiny input) */
			for (i = 0; i < RD_ARRAY_LEN(sig); i++)
				if (memcmp(d, sig[i], 4) == 0)
					break;
			if (i < RD_ARRAY_LEN(sig)) {
				sc->state = SC_OTHER;
			} else if (d[0] == 0xFF && d[1] == 0xFE) {
				sc->state = SC_UTF16LE;
				sc->pos = sc->base = 2;
			} else if (d[0] == 0xFE && d[1] == 0xFF) {
				sc->state = SC_UTF16BE;
				sc->pos = sc->base = 2;
			} else {
				sc->state = SC_UTF8;
				sc->pos = sc->base = d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
			}
		}
		while (sc->state == SC_UTF8 && sc->pos < n) {
			if (d[sc->pos] == '<')
				sc->state = SC_BODY8;
			else if (!is_xml_space_byte(d[sc->pos]))
				goto bad_start;
			else
				sc->pos++;
		}
		while ((sc->state == SC_UTF16LE || sc->state == SC_UTF16BE) && sc->pos + 2 <= n) {
			unsigned int c = unit_at(d + sc->pos, 2, sc->state == SC_UTF16BE);

			if (c == '<')
				sc->state = SC_OTHER;
			else if (!is_xml_space_byte(c))
				goto bad_start;
			else
				sc->pos += 2;
		}
	}
	if (sc->state == SC_OTHER || sc->state == SC_UTF16LE || sc->state == SC_UTF16BE)
		return RD_OK;
	if (sc->state == SC_START && (sc->flags & RD_READ_XML))
		return RD_OK;
	/* UTF-8 XML or text: no NUL byte */
	if (sc->pos < n) {
		const unsigned char *z = memchr(d + sc->pos, 0, n - sc->pos);

		if (z != NULL) {
			stream_position(d, sc->base, (size_t)(z - d), 1, 0, &line, &col);
			return rd__error_set(RD_EPARSE, name, line, col,
			                     "%s:%ld:%ld: a NUL byte, which %s never holds: reading stopped",
			                     name, line, col,
			                     (sc->flags & RD_READ_XML) ? "an XML document" : "a text file");
		}
		sc->pos = n;
	}
	return RD_OK;
bad_start:
	{
		unsigned int c = d[sc->pos];
		char shown[16];
		int utf16 = sc->state == SC_UTF16LE || sc->state == SC_UTF16BE;

		if (utf16)
			c = unit_at(d + sc->pos, 2, sc->state == SC_UTF16BE);
		if (c > 0x20 && c < 0x7F && c != '\'')
			snprintf(shown, sizeof shown, "'%c'", (char)c);
		else
			snprintf(shown, sizeof shown, utf16 ? "U+%04X" : "byte 0x%02X", c);
		stream_position(d, sc->base, sc->pos, utf16 ? 2 : 1, sc->state == SC_UTF16BE, &line,
		                &col);
		return rd__error_set(RD_EPARSE, name, line, col,
		                     "%s:%ld:%ld: not an XML document: %s where its first '<' should "
		                     "be (after white space and a byte-order mark): reading stopped",
		                     name, line, col, shown);
	}
}

int rd__fd_read(int fd, const char *name, size_t max, unsigned int flags, char **data,
                size_t *len)
{
	stream_check sc;
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int rc, stream = 1;

	*data = NULL;
	*len = 0;
	memset(&sc, 0, sizeof sc);
	sc.flags = flags;
	if (fstat(fd, &st) == 0) {
		rc = kind_refused(name, st.st_mode, fd);
		if (rc != RD_OK)
			return rc;
		if (S_ISREG(st.st_mode)) {
			if ((unsigned long long)st.st_size > (unsigned long long)max)
				return rd__error_set(RD_ELIMIT, name, 0, 0,
				                     "%s: file is %llu bytes, over the limit of %zu bytes",
				                     name, (unsigned long long)st.st_size, max);
			cap = (size_t)st.st_size + 1;
			/* a regular file's size is known and limited: the parser judges its bytes
			 * (some files in /proc say 0 and are read as streams) */
			stream = st.st_size == 0;
		}
	}
	if (cap == 0)
		cap = 65536;
	buf = malloc(cap);
	if (buf == NULL)
		return rd__error_oom();
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;
			size_t ncap = cap * 2;

			if (n > max) {
				free(buf);
				return rd__error_set(RD_ELIMIT, name, 0, 0,
				                     "%s: input is over the limit of %zu bytes", name, max);
			}
			nb = realloc(buf, ncap);
			if (nb == NULL) {
				free(buf);
				return rd__error_oom();
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return rd__error_set(RD_EIO, name, 0, 0, "%s: read error: %s", name, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (stream && flags && (rc = stream_check_more(&sc, name, buf, n)) != RD_OK) {
			free(buf);
			return rc;
		}
	}
	if (n > max) {
		free(buf);
		return rd__error_set(RD_ELIMIT, name, 0, 0, "%s: input is over the limit of %zu bytes",
		                     name, max);
	}
	/* four zero bytes after the data: readers may look a few bytes ahead */
	if (cap < n + 4) {
		char *nb = realloc(buf, n + 4);

		if (nb == NULL) {
			free(buf);
			return rd__error_oom();
		}
		buf = nb;
	}
	memset(buf + n, 0, 4);
	*data = buf;
	*len = n;
	return RD_OK;
}

int rd__file_open(const char *path, int *fd)
{
	struct stat st;
	int rc;

	*fd = -1;
	/* devices are refused before they are opened: opening one may do something */
	if (stat(path, &st) == 0 && (rc = kind_refused(path, st.st_mode, -1)) != RD_OK)
		return rc;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		int e = errno;

		return rd__error_set(e == ENOENT || e == ENOTDIR ? RD_ENOTFOUND : RD_EIO, path, 0, 0,
		                     "%s: cannot open: %s", path, strerror(e));
	}
	/* and what was opened is what is read (the name may have changed meanwhile) */
	if (fstat(*fd, &st) == 0 && (rc = kind_refused(path, st.st_mode, -1)) != RD_OK) {
		close(*fd);
		*fd = -1;
		return rc;
	}
	return RD_OK;
}

int rd__fd_check_kind(int fd, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return rd__error_set(RD_EIO, name, 0, 0, "%s: cannot read: %s", name, strerror(errno));
	return kind_refused(name, st.st_mode, fd);
}

int rd__file_read_as(const char *path, size_t max, unsigned int flags, char **data, size_t *len)
{
	int fd, rc;

	*data = NULL;
	*len = 0;
	rc = rd__file_open(path, &fd);
	if (rc != RD_OK)
		return rc;
	rc = rd__fd_read(fd, path, max, flags, data, len);
	close(fd);
	return rc;
}

int rd__file_read(const char *path, size_t max, char **data, size_t *len)
{
	return rd__file_read_as(path, max, 0, data, len);
}

int rd_read_fd(char **out, size_t *len, int fd, const char *name, size_t max,
               unsigned int flags)
{
	rd__init();
	if (out == NULL || len == NULL || fd < 0 || (flags & ~(RD_READ_XML | RD_READ_TEXT)) != 0)
		return rd__error_set(RD_EINVAL, NULL, 0, 0, "rd_read_fd: bad arguments");
	return rd__fd_read(fd, name ? name : "<stream>", max ? max : RD_DEFAULT_MAX_BYTES, flags,
	                   out, len);
}

int rd__file_map(const char *path, size_t max, unsigned int flags, rd_mapped *m)
{
	struct stat st;
	int fd, rc;
	void *p;

	memset(m, 0, sizeof *m);
	rc = rd__file_open(path, &fd);
	if (rc != RD_OK)
		return rc;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 65536 ||
	    (unsigned long long)st.st_size > (unsigned long long)max) {
		/* small, a pipe or over the limit: read it (the reader says what is wrong) */
		rc = rd__fd_read(fd, path, max, flags, &m->data, &m->len);
		close(fd);
		return rc;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rc = rd__fd_read(fd, path, max, flags, &m->data, &m->len);
		close(fd);
		return rc;
	}
	close(fd);
	madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	m->data = p;
	m->len = (size_t)st.st_size;
	m->mapped = 1;
	return RD_OK;
}

void rd__file_unmap(rd_mapped *m)
{
	if (m->mapped)
		munmap(m->data, m->len);
	else
		free(m->data);
	memset(m, 0, sizeof *m);
}

char *rd__path_join(const char *dir, const char *rel)
{
	size_t dl, rl;
	char *p;

	if (rel == NULL)
		return NULL;
	if (rel[0] == '/' || dir == NULL || dir[0] == '\0' || strcmp(dir, ".") == 0)
		return rd__strdup(rel);
	dl = strlen(dir);
	rl = strlen(rel);
	p = rd__malloc(dl + rl + 2);
	if (p == NULL)
		return NULL;
	memcpy(p, dir, dl);
	if (dir[dl - 1] != '/')
		p[dl++] = '/';
	memcpy(p + dl, rel, rl + 1);
	return p;
}

char *rd__path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return rd__strdup(".");
	if (slash == path)
		return rd__strdup("/");
	return rd__strndup(path, (size_t)(slash - path));
}

/* Collapse "a/./b" and "a/x/../b" in place, so that include cycles are seen. A ".."
 * that would climb above the start of a relative path is kept. */
void rd__path_normalize(char *p)
{
	size_t len = strlen(p), nseg = 0, i, o = 0;
	int abs = p[0] == '/';
	char *copy = rd__strdup(p), *tok, *save = NULL;
	char **seg;

	if (copy == NULL)
		return;
	seg = rd__calloc(len + 1, sizeof *seg);
	if (seg == NULL) {
		free(copy);
		return;
	}
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && nseg > 0 && strcmp(seg[nseg - 1], "..") != 0) {
			nseg--;
			continue;
		}
		if (strcmp(tok, "..") == 0 && abs)
			continue; /* "/.." is "/" */
		seg[nseg++] = tok;
	}
	if (abs)
		p[o++] = '/';
	for (i = 0; i < nseg; i++) {
		size_t l = strlen(seg[i]);

		if (i)
			p[o++] = '/';
		memcpy(p + o, seg[i], l);
		o += l;
	}
	if (o == 0)
		p[o++] = '.';
	p[o] = '\0';
	free(seg);
	free(copy);
}

int rd__is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int rd__has_token(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	if (list == NULL)
		return 0;
	while (*p) {
		const char *s;

		while (is_xml_space(*p))
			p++;
		s = p;
		while (*p && !is_xml_space(*p))
			p++;
		if ((size_t)(p - s) == wl && wl && memcmp(s, word, wl) == 0)
			return 1;
	}
	return 0;
}

char *rd__normalize_space(char *s)
{
	char *r = s, *w = s;
	int space = 0;

	if (s == NULL)
		return NULL;
	while (is_xml_space(*r))
		r++;
	for (; *r; r++) {
		if (is_xml_space(*r)) {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}
