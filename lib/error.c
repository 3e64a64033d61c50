/* rahdari: the per-thread last error.
 *
 * Each thread has one rd_error slot in thread-local storage, with fixed-size
 * buffers for the message and file name so that setting an error never
 * allocates (and so works when memory is exhausted).
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <openssl/evp.h>

#define RD_ERRMSG_MAX 2048
#define RD_ERRFILE_MAX 1024

typedef struct rd_error_slot {
	rd_error pub;
	char message[RD_ERRMSG_MAX];
	char file[RD_ERRFILE_MAX];
} rd_error_slot;

static _Thread_local rd_error_slot tls_error = {
	{ RD_OK, "no error", NULL, 0, 0 }, "no error", ""
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libraries(void)
{
	EVP_MD *md;

	xmlInitParser();
	/* OpenSSL 3 sets up its default library context the first time a digest is fetched; an
	 * allocation that fails on the way leaves a half-made context that crashes a later
	 * call. Set it up here, before any document is read, rather than in the middle of a
	 * check (rd_document_load's SHA-256). */
	md = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_MD_free(md);
}

void rd__init(void)
{
	pthread_once(&init_once, init_libraries);
}

/* ---------------------------------------------------------------- allocation failures */

static void watch_error(void *ud, rd_xml_error err)
{
	rd_oom_watch *w = ud;

	if (err == NULL)
		return;
	if (err->code == XML_ERR_NO_MEMORY)
		w->oom = 1;
	/* the rest goes where it went before */
	if (w->serror)
		w->serror(w->sctx, err);
	else if (err->message)
		w->generic(w->gctx, "%s", err->message);
}

void rd__oom_watch_begin(rd_oom_watch *w)
{
	w->oom = 0;
	w->serror = xmlStructuredError;
	w->sctx = xmlStructuredErrorContext;
	w->generic = xmlGenericError;
	w->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(w, watch_error);
}

int rd__oom_watch_end(rd_oom_watch *w)
{
	xmlSetStructuredErrorFunc(w->sctx, w->serror);
	return w->oom;
}

const rd_error *rd_error_last(void)
{
	if (tls_error.pub.message == NULL)
		tls_error.pub.message = "no error";
	return &tls_error.pub;
}

void rd_error_clear(void)
{
	tls_error.pub.code = RD_OK;
	strcpy(tls_error.message, "no error");
	tls_error.pub.message = tls_error.message;
	tls_error.pub.file = NULL;
	tls_error.pub.line = 0;
	tls_error.pub.column = 0;
}

int rd__error_set(int code, const char *file, long line, long column, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tls_error.message, sizeof tls_error.message, fmt, ap);
	va_end(ap);
	if (n < 0)
		strcpy(tls_error.message, "error");
	else if ((size_t)n >= sizeof tls_error.message)
		memcpy(tls_error.message + sizeof tls_error.message - 4, "...", 4);
	tls_error.pub.code = code;
	tls_error.pub.message = tls_error.message;
	if (file != NULL && file != tls_error.file) {
		snprintf(tls_error.file, sizeof tls_error.file, "%s", file);
		tls_error.pub.file = tls_error.file;
	} else if (file == NULL) {
		tls_error.pub.file = NULL;
	}
	tls_error.pub.line = line > 0 && line < 0x7fffffffL ? (int)line : 0;
	tls_error.pub.column = column > 0 && column < 0x7fffffffL ? (int)column : 0;
	return code;
}

int rd__error_oom(void)
{
	return rd__error_set(RD_ENOMEM, NULL, 0, 0, "out of memory");
}

void rd__error_prefix(const char *fmt, ...)
{
	char prefix[512];
	char old[RD_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	size_t pl = strlen(prefix), ol;

	memcpy(old, tls_error.message, sizeof old);
	ol = strlen(old);
	if (pl >= sizeof tls_error.message)
		pl = sizeof tls_error.message - 1;
	if (pl + ol >= sizeof tls_error.message)
		ol = sizeof tls_error.message - 1 - pl;
	memcpy(tls_error.message, prefix, pl);
	memcpy(tls_error.message + pl, old, ol);
	tls_error.message[pl + ol] = '\0';
}

const char *rd_status_name(int code)
{
	switch (code) {
	case RD_OK: return "RD_OK";
	case RD_ERROR: return "RD_ERROR";
	case RD_ENOMEM: return "RD_ENOMEM";
	case RD_EINVAL: return "RD_EINVAL";
	case RD_ENOTFOUND: return "RD_ENOTFOUND";
	case RD_EIO: return "RD_EIO";
	case RD_EPARSE: return "RD_EPARSE";
	case RD_EUNSAFE: return "RD_EUNSAFE";
	case RD_ELIMIT: return "RD_ELIMIT";
	case RD_ERULES: return "RD_ERULES";
	case RD_EUNSUPPORTED: return "RD_EUNSUPPORTED";
	case RD_ESTOPPED: return "RD_ESTOPPED";
	default: return "RD_EUNKNOWN";
	}
}
