/* rahdari fuzz target "xml": the secure loader (rd_document_load_memory).
 *
 * The input is a document's bytes. It is loaded with the default limits, and again with a
 * nesting limit of 8 so that the depth refusal is reached from every kind of markup (a
 * size over the limit is refused before parsing: one test of it is enough). A refusal
 * names the input; a loaded document answers its getters.
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
