/* rahdari tests: the secure loader (documents from memory and from files).
 *
 * Hostile inputs must be refused with the right status, a message naming the
 * file and line, nothing read from outside, nothing printed by libxml2, and
 * in bounded time and memory.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlerror.h>
#include <libxml/globals.h>

#include "testutil.h"
#include "xmlcompat.h"

static int load(const char *xml, const char *name, const rd_load_options *o, rd_document **out)
{
	return rd_document_load_memory(out, xml, strlen(xml), name, o);
}

START_TEST(test_good_document)
{
	rd_document *d = NULL;
	const char *xml = "<?xml version='1.0'?>\n<b:booking xmlns:b='urn:rahdari:doc:1' id='1'/>";

	ck_assert_int_eq(load(xml, "ok.xml", NULL, &d), RD_OK);
	ck_assert_str_eq(rd_document_name(d), "ok.xml");
	ck_assert_str_eq(rd_document_root_name(d), "booking");
	ck_assert_str_eq(rd_document_root_namespace(d), "urn:rahdari:doc:1");
	ck_assert_uint_eq(strlen(rd_document_sha256(d)), 64);
	rd_document_free(d);
}
END_TEST

START_TEST(test_sha256)
{
	rd_document *d = NULL;

	/* sha256("<a/>") */
	ck_assert_int_eq(load("<a/>", NULL, NULL, &d), RD_OK);
	ck_assert_str_eq(rd_document_sha256(d),
	                 "29114363f749a0226b6988dda3ca2492a954117ab6b5f382706c20300dabc079");
	ck_assert_str_eq(rd_document_name(d), "<memory>");
	rd_document_free(d);
}
END_TEST

START_TEST(test_from_file)
{
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "doc.xml", "<root>\n  <child/>\n</root>\n");
	rd_document *d = NULL;

	ck_assert_int_eq(rd_document_load_file(&d, path, NULL), RD_OK);
	ck_assert_str_eq(rd_document_name(d), path);
	rd_document_free(d);
	free(path);
	/* a directory is not a document */
	ck_assert_int_eq(rd_document_load_file(&d, dir, NULL), RD_EIO);
	ck_assert_contains(rd_error_last()->message, "directory");
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_missing_file)
{
	rd_document *d = NULL;

	ck_assert_int_eq(rd_document_load_file(&d, "/nonexistent/booking.xml", NULL), RD_ENOTFOUND);
	ck_assert_ptr_null(d);
	ck_assert_str_eq(rd_error_last()->file, "/nonexistent/booking.xml");
	ck_assert_contains(rd_error_last()->message, "/nonexistent/booking.xml");
}
END_TEST

START_TEST(test_malformed)
{
	rd_document *d = NULL;
	const rd_error *e;

	ck_assert_int_eq(load("<a>\n<b></a>", "bad.xml", NULL, &d), RD_EPARSE);
	e = rd_error_last();
	ck_assert_int_eq(e->line, 2);
	ck_assert_contains(e->message, "bad.xml:2:");
	/* truncated */
	ck_assert_int_eq(load("<booking id='1'>\n  <passenger>", "cut.xml", NULL, &d), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "cut.xml:");
	ck_assert_int_gt(rd_error_last()->line, 0);
	/* empty */
	ck_assert_int_eq(load("", "empty.xml", NULL, &d), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "empty.xml");
	/* not XML at all */
	ck_assert_int_eq(load("hello", "text.xml", NULL, &d), RD_EPARSE);
	/* undeclared namespace prefix */
	ck_assert_int_eq(load("<p:a/>", "ns.xml", NULL, &d), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "ns.xml:1:");
	/* two roots */
	ck_assert_int_eq(load("<a/><b/>", "two.xml", NULL, &d), RD_EPARSE);
	ck_assert_ptr_null(d);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	rd_document *d = NULL;
	const char xml[] = "<a>\n<b>caf\xC3\x28</b></a>";

	ck_assert_int_eq(load(xml, "utf8.xml", NULL, &d), RD_EPARSE);
	ck_assert_int_eq(rd_error_last()->line, 2);
	ck_assert_contains(rd_error_last()->message, "utf8.xml:2:");
}
END_TEST

/* libxml2's parser stops at a NUL byte as if the input ended there: a document followed by
 * a NUL and anything at all was accepted from memory and from a file, while the audit's
 * stream parser refused it (issue 11). Whatever follows the root element must be white
 * space, comments or processing instructions, in every path. */
START_TEST(test_nothing_after_root)
{
	static const char nul[] = "<a>\n</a>\n\0garbage";
	static const char nul_only[] = "<a/>\0";
	/* UTF-16LE with a BOM: "<a/>" then U+0000 then "x" */
	static const char u16[] = "\xFF\xFE<\0a\0/\0>\0\0\0x\0";
	/* UTF-16LE: "<a/>" and one byte more, half a code unit */
	static const char u16_odd[] = "\xFF\xFE<\0a\0/\0>\0x";
	rd_document *d = NULL;
	char *dir = tu_tmpdir(), *path;
	FILE *f;

	ck_assert_int_eq(rd_document_load_memory(&d, nul, sizeof nul - 1, "nul.xml", NULL), RD_EPARSE);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(rd_error_last()->line, 3);
	ck_assert_int_eq(rd_error_last()->column, 1);
	ck_assert_contains(rd_error_last()->message, "nul.xml:3:1:");
	ck_assert_int_eq(rd_document_load_memory(&d, nul_only, sizeof nul_only - 1, "n.xml", NULL),
	                 RD_EPARSE);
	ck_assert_int_eq(rd_error_last()->line, 1);
	ck_assert_int_eq(rd_error_last()->column, 5);
	ck_assert_int_eq(rd_document_load_memory(&d, u16, sizeof u16 - 1, "u16.xml", NULL), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "u16.xml:1:");
	ck_assert_int_eq(rd_document_load_memory(&d, u16_odd, sizeof u16_odd - 1, "odd.xml", NULL),
	                 RD_EPARSE);
	/* the same from a file */
	path = tu_write(dir, "nul.xml", "");
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(nul, 1, sizeof nul - 1, f), sizeof nul - 1);
	fclose(f);
	ck_assert_int_eq(rd_document_load_file(&d, path, NULL), RD_EPARSE);
	ck_assert_int_eq(rd_error_last()->line, 3);
	/* what may follow: white space, comments, processing instructions */
	ck_assert_int_eq(load("<a/>\n<!-- c -->\n<?pi x?>\r\n\t ", "ok.xml", NULL, &d), RD_OK);
	rd_document_free(d);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

static int count_record(const rd_audit_record *rec, void *payload)
{
	(void)rec;
	(*(size_t *)payload)++;
	return 0;
}

/* /dev/zero and /dev/urandom were read up to the size limit (256 MiB) before the parser
 * refused them (issue 11): a device is refused before a byte is read, whatever reads it. */
START_TEST(test_devices_refused)
{
	static const char *const devices[] = { "/dev/zero", "/dev/urandom" };
	rd_document *d = NULL;
	rd_data_table *t = NULL;
	rd_rules *rules = NULL, *starter = tu_starter();
	size_t i, n = 0;

	for (i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		ck_assert_int_eq(rd_document_load_file(&d, devices[i], NULL), RD_EIO);
		ck_assert_contains(rd_error_last()->message, "character device");
		ck_assert_str_eq(rd_error_last()->file, devices[i]);
		ck_assert_int_eq(rd_data_table_load(&t, "t", devices[i]), RD_EIO);
		ck_assert_int_eq(rd_rules_load(&rules, devices[i], NULL), RD_EIO);
		ck_assert_contains(rd_error_last()->message, "character device");
		ck_assert_int_eq(rd_audit_file(starter, devices[i], NULL, count_record, NULL, &n, NULL),
		                 RD_EIO);
		ck_assert_contains(rd_error_last()->message, "character device");
	}
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(d);
	ck_assert_ptr_null(t);
	ck_assert_ptr_null(rules);
	rd_rules_free(starter);
}
END_TEST

/* A writer on a FIFO: writes head, then tail again and again (up to 64 MiB) until the
 * reader goes away; counts what the reader took. */
typedef struct fifo_writer {
	const char *path;
	const char *head;
	size_t head_len;
	char tail[4096];
	size_t written;
	int closed_early; /* the reader closed the pipe before everything was written */
} fifo_writer;

static void *write_fifo(void *arg)
{
	fifo_writer *w = arg;
	int fd = open(w->path, O_WRONLY);
	size_t total = (size_t)64 << 20;

	if (fd < 0)
		return NULL;
	if (write(fd, w->head, w->head_len) == (ssize_t)w->head_len)
		w->written += w->head_len;
	while (w->written < total) {
		ssize_t r = write(fd, w->tail, sizeof w->tail);

		if (r < 0) {
			w->closed_early = errno == EPIPE;
			break;
		}
		w->written += (size_t)r;
	}
	close(fd);
	return NULL;
}

static int load_fifo(const char *dir, const char *head, size_t head_len, char fill,
                     fifo_writer *w, rd_document **d)
{
	rd_load_options lo = { 1, (size_t)1 << 20, 0 };
	char path[4096];
	pthread_t th;
	int rc;

	snprintf(path, sizeof path, "%s/fifo", dir);
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	memset(w, 0, sizeof *w);
	w->path = path;
	w->head = head;
	w->head_len = head_len;
	memset(w->tail, fill, sizeof w->tail);
	ck_assert_int_eq(pthread_create(&th, NULL, write_fifo, w), 0);
	rc = rd_document_load_file(d, path, &lo);
	pthread_join(th, NULL);
	return rc;
}

/* A pipe is read as a stream and stopped at the first byte that cannot be there, not at
 * the size limit: bytes before the first '<', or a NUL byte in a UTF-8 document. */
START_TEST(test_stream_stops_early)
{
	char *dir = tu_tmpdir();
	rd_document *d = NULL;
	fifo_writer w;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	/* a NUL byte after the root's start tag, then zeros for ever */
	ck_assert_int_eq(load_fifo(dir, "<a>\n  ", 6, '\0', &w, &d), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "fifo:2:3: a NUL byte");
	ck_assert_int_eq(rd_error_last()->line, 2);
	ck_assert_int_eq(rd_error_last()->column, 3);
	ck_assert_msg(w.closed_early && w.written < ((size_t)512 << 10),
	              "the reader took %zu bytes of zeros", w.written);
	/* not XML at all: text for ever */
	ck_assert_int_eq(load_fifo(dir, " \n hello", 8, 'x', &w, &d), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "fifo:2:2: not an XML document: 'h'");
	ck_assert_msg(w.closed_early && w.written < ((size_t)512 << 10),
	              "the reader took %zu bytes of text", w.written);
	/* a UTF-16 byte-order mark, white space and '<': read on, to the size limit (1 MiB) */
	ck_assert_int_eq(load_fifo(dir, "\xFF\xFE \0<\0a\0>\0", 10, 'x', &w, &d), RD_ELIMIT);
	ck_assert_int_eq(w.closed_early, 1);
	ck_assert_uint_ge(w.written, (size_t)1 << 20);
	signal(SIGPIPE, old);
	ck_assert_ptr_null(d);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

static int host_calls;

static void host_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
	host_calls++;
}

static void host_structured(void *ctx, rd_xml_error err)
{
	(void)ctx;
	(void)err;
	host_calls++;
}

/* Run f with stderr in a file; return what was written there (caller frees). */
static char *stderr_of(void (*f)(void))
{
	char *dir = tu_tmpdir();
	char path[4096];
	char *text = malloc(4096);
	int fd, saved;
	ssize_t n;

	ck_assert_ptr_nonnull(text);
	snprintf(path, sizeof path, "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, text, 4095);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	tu_rmtree(dir);
	free(dir);
	return text;
}

static void load_badly_encoded(void)
{
	/* bytes that are not Shift_JIS, and a lone surrogate in UTF-16 */
	static const char sjis[] = "<?xml version='1.0' encoding='Shift_JIS'?>\n"
	                           "<booking xmlns='urn:rahdari:doc:1'>\n  \x81\x20\xFF</booking>\n";
	static const char u16[] = "\xFF\xFE<\0a\0>\0\n\0\0\xD8x\0<\0/\0a\0>\0";
	static const char sjis_head[] = "<?xml version='1.0' encoding='Shift_JIS'?>\x81\x20<a/>";
	rd_document *d = NULL;
	rd_rules *rules = NULL;
	size_t n = 0;

	ck_assert_int_eq(rd_document_load_memory(&d, sjis, sizeof sjis - 1, "sjis.xml", NULL),
	                 RD_EPARSE);
	ck_assert_contains(rd_error_last()->message,
	                   "sjis.xml:3:3: encoding error: input conversion failed");
	ck_assert_int_eq(rd_error_last()->line, 3);
	ck_assert_int_eq(rd_error_last()->column, 3);
	ck_assert_int_eq(rd_document_load_memory(&d, u16, sizeof u16 - 1, "u16.xml", NULL),
	                 RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "u16.xml:2:1: encoding error");
	/* the audit's stream parser too */
	rules = tu_starter();
	ck_assert_int_eq(rd_audit_memory(rules, sjis_head, sizeof sjis_head - 1, "head.xml", NULL,
	                                 count_record, NULL, &n, NULL),
	                 RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "head.xml:1:");
	ck_assert_contains(rd_error_last()->message, "encoding error");
	rd_rules_free(rules);
	ck_assert_ptr_null(d);
}

static void load_bad_xsd_pattern(void)
{
	char *dir = tu_tmpdir(), *p;
	rd_rules *rules = NULL;

	p = tu_write(dir, "pack.xml",
	             "<pack xmlns='urn:rahdari:pack:1' id='x' version='1' jurisdiction='PK'"
	             " effective='2026-01-01'><title>x</title>"
	             "<xsd kind='booking' href='b.xsd'/><schema href='x.sch'/></pack>");
	free(p);
	p = tu_write(dir, "b.xsd",
	             "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'"
	             " targetNamespace='urn:rahdari:doc:1'><xs:element name='booking'><xs:simpleType>"
	             "<xs:restriction base='xs:string'><xs:pattern value='[a-'/></xs:restriction>"
	             "</xs:simpleType></xs:element></xs:schema>");
	free(p);
	p = tu_write(dir, "x.sch", SCH_OPEN "<sch:pattern><sch:rule context='*'><sch:report id='X'"
	                                    " test='true()'/></sch:rule></sch:pattern>" SCH_CLOSE);
	free(p);
	ck_assert_int_eq(rd_rules_load(&rules, dir, NULL), RD_ERULES);
	ck_assert_contains(rd_error_last()->message, "b.xsd");
	ck_assert_ptr_null(rules);
	tu_rmtree(dir);
	free(dir);
}

/* libxml2 reports encoding errors (and the XML Schemas' regular-expression compiler its
 * own) to the thread's generic handler, which printed them on stderr beside rahdari's
 * error (issue 11). They are rahdari's errors now, with a position; stderr stays empty;
 * and the host program's own handlers are still in place afterwards. */
START_TEST(test_libxml2_messages_routed)
{
	char *err;

	err = stderr_of(load_badly_encoded);
	ck_assert_msg(err[0] == '\0', "libxml2 wrote to stderr: %s", err);
	free(err);
	err = stderr_of(load_bad_xsd_pattern);
	ck_assert_msg(err[0] == '\0', "libxml2 wrote to stderr: %s", err);
	free(err);
	/* a host's handlers: kept, and not called for rahdari's inputs */
	xmlSetGenericErrorFunc(&host_calls, host_generic);
	xmlSetStructuredErrorFunc(&host_calls, host_structured);
	host_calls = 0;
	load_badly_encoded();
	load_bad_xsd_pattern();
	ck_assert_int_eq(host_calls, 0);
	ck_assert_ptr_eq(xmlGenericError, host_generic);
	ck_assert_ptr_eq(xmlGenericErrorContext, &host_calls);
	ck_assert_ptr_eq(xmlStructuredError, host_structured);
	ck_assert_ptr_eq(xmlStructuredErrorContext, &host_calls);
	xmlSetGenericErrorFunc(NULL, NULL);
	xmlSetStructuredErrorFunc(NULL, NULL);
}
END_TEST

/* rd_read_fd(): what the tool reads standard input with. A pipe whose writer is still
 * there is given up at the first byte that cannot be there, without waiting for more. */
START_TEST(test_read_fd)
{
	char *dir = tu_tmpdir(), *path, *data = NULL;
	size_t len = 0;
	int p[2], fd;

	/* not XML: "hello", the writer still open */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "\n hello", 7), 7);
	ck_assert_int_eq(rd_read_fd(&data, &len, p[0], "<stdin>", 0, RD_READ_XML), RD_EPARSE);
	ck_assert_str_eq(rd_error_last()->message,
	                 "<stdin>:2:2: not an XML document: 'h' where its first '<' should be "
	                 "(after white space and a byte-order mark): reading stopped");
	ck_assert_ptr_null(data);
	/* text with a NUL byte */
	ck_assert_int_eq(write(p[1], "P<UTO\0", 6), 6);
	ck_assert_int_eq(rd_read_fd(&data, &len, p[0], "mrz", 0, RD_READ_TEXT), RD_EPARSE);
	ck_assert_contains(rd_error_last()->message, "mrz:1:6: a NUL byte");
	/* a document, then the end of the pipe */
	ck_assert_int_eq(write(p[1], "\xEF\xBB\xBF<a/>", 7), 7);
	close(p[1]);
	ck_assert_int_eq(rd_read_fd(&data, &len, p[0], NULL, 0, RD_READ_XML), RD_OK);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(data, "\xEF\xBB\xBF<a/>\0\0\0\0", 11), 0);
	rd_free(data);
	close(p[0]);
	/* a regular file: read whole, its bytes left to the parser; over max: refused unread */
	path = tu_write(dir, "f.xml", "junk\0");
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rd_read_fd(&data, &len, fd, path, 0, RD_READ_XML), RD_OK);
	ck_assert_str_eq(data, "junk");
	rd_free(data);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(rd_read_fd(&data, &len, fd, path, 2, 0), RD_ELIMIT);
	close(fd);
	/* a device */
	fd = open("/dev/zero", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rd_read_fd(&data, &len, fd, "zero", 0, RD_READ_XML), RD_EIO);
	ck_assert_str_eq(rd_error_last()->message,
	                 "zero: is a character device, not a regular file or a pipe: not read");
	ck_assert_int_eq(rd_read_fd(&data, &len, fd, "zero", 0, 4), RD_EINVAL);
	close(fd);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_external_entity)
{
	rd_document *d = NULL;
	const char *xml = "<?xml version='1.0'?>\n"
	                  "<!DOCTYPE r [\n"
	                  "  <!ENTITY x SYSTEM 'file:///etc/passwd'>\n"
	                  "]>\n"
	                  "<r>&x;</r>";

	ck_assert_int_eq(load(xml, "xxe.xml", NULL, &d), RD_EUNSAFE);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(rd_error_last()->line, 3);
	ck_assert_contains(rd_error_last()->message, "xxe.xml:3:");
	ck_assert_contains(rd_error_last()->message, "entity 'x'");
	ck_assert(!tu_contains(rd_error_last()->message, "root:"));
}
END_TEST

START_TEST(test_parameter_entity)
{
	rd_document *d = NULL;
	const char *xml = "<!DOCTYPE r [<!ENTITY % p SYSTEM 'http://example.invalid/x.dtd'> %p;]><r/>";

	ck_assert_int_eq(load(xml, "pe.xml", NULL, &d), RD_EUNSAFE);
}
END_TEST

START_TEST(test_internal_entity_refused)
{
	rd_document *d = NULL;
	const char *xml = "<!DOCTYPE r [<!ENTITY name 'value'>]><r>&name;</r>";

	ck_assert_int_eq(load(xml, "ent.xml", NULL, &d), RD_EUNSAFE);
}
END_TEST

START_TEST(test_billion_laughs)
{
	rd_document *d = NULL;
	const char *xml =
		"<?xml version='1.0'?>\n<!DOCTYPE lolz [\n"
		" <!ENTITY lol 'lol'>\n"
		" <!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
		" <!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
		" <!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>\n"
		" <!ENTITY lol5 '&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;'>\n"
		" <!ENTITY lol6 '&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;'>\n"
		" <!ENTITY lol7 '&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;'>\n"
		" <!ENTITY lol8 '&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;'>\n"
		" <!ENTITY lol9 '&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;'>\n"
		"]>\n<lolz>&lol9;</lolz>";
	struct rlimit old, lim;

	/* refused at the first declaration, long before any expansion could happen; the
	 * address-space cap proves memory stays bounded (AddressSanitizer and valgrind
	 * reserve huge address ranges, so the cap is left out under them) */
	getrlimit(RLIMIT_AS, &old);
	lim = old;
	lim.rlim_cur = 512UL * 1024 * 1024;
#if !defined(__SANITIZE_ADDRESS__)
	if (getenv("RD_UNDER_VALGRIND") == NULL &&
	    (old.rlim_max == RLIM_INFINITY || old.rlim_max > lim.rlim_cur))
		setrlimit(RLIMIT_AS, &lim);
#else
	(void)lim;
#endif
	ck_assert_int_eq(load(xml, "lol.xml", NULL, &d), RD_EUNSAFE);
	ck_assert_int_eq(rd_error_last()->line, 3);
	setrlimit(RLIMIT_AS, &old);
}
END_TEST

START_TEST(test_doctype_without_entities)
{
	rd_document *d = NULL;

	/* a DOCTYPE, even with an external subset, is fine: it is never loaded */
	ck_assert_int_eq(load("<!DOCTYPE r SYSTEM 'http://example.invalid/r.dtd'><r>ok</r>", "dt.xml",
	                      NULL, &d),
	                 RD_OK);
	rd_document_free(d);
	ck_assert_int_eq(load("<!DOCTYPE r [<!ELEMENT r (#PCDATA)>]><r>ok</r>", "dt2.xml", NULL, &d),
	                 RD_OK);
	rd_document_free(d);
}
END_TEST

START_TEST(test_undeclared_entity_with_external_subset)
{
	rd_document *d = NULL;

	/* the entity could only come from the DTD, which is never read: refuse rather than
	 * silently drop text */
	ck_assert_int_eq(load("<!DOCTYPE r SYSTEM 'r.dtd'><r>&secret;</r>", "ud.xml", NULL, &d),
	                 RD_EUNSAFE);
	ck_assert_contains(rd_error_last()->message, "secret");
	/* without any DTD it is a plain well-formedness error */
	ck_assert_int_eq(load("<r>&secret;</r>", "ud2.xml", NULL, &d), RD_EPARSE);
}
END_TEST

START_TEST(test_no_xinclude)
{
	rd_document *d = NULL;
	rd_rules *rules;
	rd_report *r;
	const char *xml = "<r xmlns:xi='http://www.w3.org/2001/XInclude'>"
	                  "<xi:include href='/etc/passwd' parse='text'/></r>";

	ck_assert_int_eq(load(xml, "xi.xml", NULL, &d), RD_OK);
	/* the xi:include element is still there, unexpanded */
	rules = tu_rules(SCH_OPEN "<sch:ns prefix='xi' uri='http://www.w3.org/2001/XInclude'/>"
	                          "<sch:pattern><sch:rule context='/r'>"
	                          "<sch:assert id='a' test='xi:include and not(contains(., \"root\"))'/>"
	                          "</sch:rule></sch:pattern>" SCH_CLOSE);
	r = tu_check(rules, d, NULL);
	ck_assert_uint_eq(rd_report_count(r), 0);
	rd_report_free(r);
	rd_rules_free(rules);
	rd_document_free(d);
}
END_TEST

static char *nested(int depth)
{
	size_t n = (size_t)depth * 7 + 1;
	char *s = malloc(n);
	int i;
	char *p = s;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < depth; i++) {
		memcpy(p, "<a>", 3);
		p += 3;
	}
	for (i = 0; i < depth; i++) {
		memcpy(p, "</a>", 4);
		p += 4;
	}
	*p = '\0';
	return s;
}

START_TEST(test_depth_limit)
{
	rd_document *d = NULL;
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	char *deep = nested(10000), *ok = nested(200), *mid = nested(20);

	ck_assert_int_eq(load(deep, "deep.xml", NULL, &d), RD_ELIMIT);
	ck_assert_contains(rd_error_last()->message, "deep.xml:1:");
	ck_assert_int_eq(load(ok, "ok.xml", NULL, &d), RD_OK);
	rd_document_free(d);
	o.max_depth = 10;
	ck_assert_int_eq(load(mid, "mid.xml", &o, &d), RD_ELIMIT);
	ck_assert_contains(rd_error_last()->message, "limit of 10");
	o.max_depth = 20;
	ck_assert_int_eq(load(mid, "mid.xml", &o, &d), RD_OK);
	rd_document_free(d);
	free(deep);
	free(ok);
	free(mid);
}
END_TEST

START_TEST(test_size_limit)
{
	rd_document *d = NULL;
	rd_load_options o = RD_LOAD_OPTIONS_INIT;
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "big.xml", "<r>0123456789012345678901234567890123456789</r>");

	o.max_bytes = 16;
	ck_assert_int_eq(load("<r>0123456789012345678901234567890123456789</r>", "m.xml", &o, &d),
	                 RD_ELIMIT);
	ck_assert_contains(rd_error_last()->message, "limit of 16 bytes");
	ck_assert_int_eq(rd_document_load_file(&d, path, &o), RD_ELIMIT);
	ck_assert_contains(rd_error_last()->message, path);
	o.max_bytes = 1024;
	ck_assert_int_eq(rd_document_load_file(&d, path, &o), RD_OK);
	rd_document_free(d);
	tu_rmtree(dir);
	free(dir);
	free(path);
}
END_TEST

START_TEST(test_nothing_printed)
{
	/* libxml2 must not print anything: no global handler, per-context errors only */
	char *dir = tu_tmpdir();
	char path[4096];
	int fd, saved;
	rd_document *d = NULL;
	rd_rules *rules = NULL;
	struct stat st;

	snprintf(path, sizeof path, "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
	(void)load("<a><b></a>", "x.xml", NULL, &d);
	(void)load("<!DOCTYPE r [<!ENTITY x 'y'>]><r>&x;</r>", "x.xml", NULL, &d);
	(void)load("<r>&undeclared;</r>", "x.xml", NULL, &d);
	(void)tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='a'>"
	                                    "<sch:assert test='((('/></sch:rule></sch:pattern>" SCH_CLOSE);
	(void)tu_rules_try(&rules, SCH_OPEN "<sch:pattern><sch:rule context='a'>"
	                                    "<sch:assert test='fn:matches(., \"[\")'/></sch:rule></sch:pattern>" SCH_CLOSE);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg(st.st_size == 0, "libxml2 wrote %ld bytes to stderr", (long)st.st_size);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_line_numbers_beyond_65535)
{
	/* XML_PARSE_BIG_LINES: findings on line 70001 say 70001 */
	size_t n = 70000, i;
	char *xml = malloc(n + 64);
	rd_rules *rules;
	rd_document *d;
	rd_report *r;
	char *p = xml;

	ck_assert_ptr_nonnull(xml);
	p += sprintf(p, "<r>");
	for (i = 0; i < n; i++)
		*p++ = '\n';
	p += sprintf(p, "<x/></r>");
	rules = tu_rules(SCH_OPEN "<sch:pattern><sch:rule context='x'><sch:report id='x' test='true()'/>"
	                          "</sch:rule></sch:pattern>" SCH_CLOSE);
	d = tu_doc(xml);
	r = tu_check(rules, d, NULL);
	ck_assert_uint_eq(rd_report_count(r), 1);
	ck_assert_int_eq(rd_finding_line(rd_report_finding(r, 0)), 70001);
	rd_report_free(r);
	rd_document_free(d);
	rd_rules_free(rules);
	free(xml);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good_document);
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_from_file);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_nothing_after_root);
	tcase_add_test(tc, test_devices_refused);
	tcase_add_test(tc, test_stream_stops_early);
	tcase_add_test(tc, test_read_fd);
	tcase_add_test(tc, test_libxml2_messages_routed);
	tcase_add_test(tc, test_external_entity);
	tcase_add_test(tc, test_parameter_entity);
	tcase_add_test(tc, test_internal_entity_refused);
	tcase_add_test(tc, test_billion_laughs);
	tcase_add_test(tc, test_doctype_without_entities);
	tcase_add_test(tc, test_undeclared_entity_with_external_subset);
	tcase_add_test(tc, test_no_xinclude);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_size_limit);
	tcase_add_test(tc, test_nothing_printed);
	tcase_add_test(tc, test_line_numbers_beyond_65535);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
