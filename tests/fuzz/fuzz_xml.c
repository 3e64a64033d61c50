/* rahdari fuzz target "xml": the secure loader (rd_document_load_memory).
 *
 * The input is a document's bytes. It is loaded with the default limits, and again with a
 * nesting limit of 8 so that the depth refusal is reached from every kind of markup (a
 * size over the limit is refused before parsing: one test of it is enough). A refusal
 * names the input; a loaded document answers its getters. XML has no NUL character: a
 * document in an 8-bit encoding that holds a NUL byte anywhere, after the root element
 * too, is refused (issue 11).
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

#define LOAD_ERRORS                                                                         \
	(FUZZ_ST(RD_ENOMEM) | FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_EUNSAFE) | FUZZ_ST(RD_ELIMIT))

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Does the input hold a NUL byte that no encoding could make part of a character? Only an
 * input that starts with '<' (after a UTF-8 byte-order mark) then a byte other than NUL,
 * and declares no encoding, is sure to be in an 8-bit encoding (UTF-16 and UCS-4 put NUL
 * bytes in every ASCII character). */
static int has_stray_nul(const uint8_t *data, size_t size)
{
	static const char enc[] = "encoding";
	size_t off = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, i;

	if (size < off + 2 || data[off] != '<' || data[off + 1] == 0 ||
	    memchr(data, 0, size) == NULL)
		return 0;
	for (i = 0; i + sizeof enc - 1 <= size; i++)
		if (memcmp(data + i, enc, sizeof enc - 1) == 0)
			return 0;
	return 1;
}

static void load(const uint8_t *data, size_t size, const rd_load_options *opts)
{
	rd_document *doc = NULL;
	int rc = rd_document_load_memory(&doc, data, size, "fuzz.xml", opts);

	fuzz_status(rc, LOAD_ERRORS, "rd_document_load_memory");
	if (rc != RD_OK) {
		const rd_error *e = rd_error_last();

		FUZZ_REQUIRE(doc == NULL);
		/* a refusal of the input says where: the file, and a line for a parse error */
		if (rc != RD_ENOMEM)
			FUZZ_REQUIRE(e->file != NULL && strcmp(e->file, "fuzz.xml") == 0);
		if (rc == RD_EPARSE)
			FUZZ_REQUIRE(e->line >= 1);
		return;
	}
	FUZZ_REQUIRE(doc != NULL);
	if (has_stray_nul(data, size))
		FUZZ_FAIL("a document with a NUL byte was loaded (issue 11: XML has no NUL)");
	FUZZ_REQUIRE(strcmp(rd_document_name(doc), "fuzz.xml") == 0);
	FUZZ_REQUIRE(strlen(rd_document_sha256(doc)) == 64);
	FUZZ_REQUIRE(rd_document_root_name(doc) != NULL);
	(void)rd_document_root_namespace(doc);
	rd_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rd_load_options tight = RD_LOAD_OPTIONS_INIT;

	load(data, size, NULL);
	tight.max_depth = 8;
	load(data, size, &tight);
	if (size > 0) {
		tight.max_bytes = size - 1;
		load(data, size, &tight);
	}
	return 0;
}
