/* rahdari fuzz target "licence": signed licences (rd_licence_verify), and the licence
 * rules reading them through fn:doc('licence') and fn:licence-signature().
 *
 * The input is a licence document's bytes. It is verified against a fixed trust store,
 * as of a fixed day; then, when it loads, it is the licence of a fixed case (an Al-Noor
 * booking) checked with the embedded pk pack and the same store. A licence that verifies
 * carries nothing unsigned that rules could read as its content: no element inside the
 * certificate hints, which the signature does not cover (issue 11). The store is the test
 * PKI of the pk pack's licence tests (rules/pk/tests/lic/support: made by make-signed.sh
 * with tests/trust_pki.sh; no private key is kept), so that the signed licences there,
 * and the seeds made from them, verify: RD_FUZZ_TRUST and RD_FUZZ_CRL name other files.
 * SPDX-License-Identifier: MIT */
#include "config.h"

#include "fuzz.h"

#ifndef RD_FUZZ_SRCDIR
#define RD_FUZZ_SRCDIR "."
#endif
#define SUPPORT RD_FUZZ_SRCDIR "/rules/pk/tests/lic/support/"

static rd_trust *trust;
static rd_rules *pk;
static rd_rules *hints; /* finds elements inside the certificate hints */
static rd_document *booking;

/* The strict profile allows only text in X509SubjectName and X509IssuerSerial's two
 * children: an element there is outside what the signature covers, yet a rule reading
 * the licence with // would see it. */
static const char hints_sch[] =
	"<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
	"<sch:ns prefix='ds' uri='http://www.w3.org/2000/09/xmldsig#'/>"
	"<sch:pattern><sch:rule context='ds:X509SubjectName/* | ds:X509IssuerName/*"
	" | ds:X509SerialNumber/*"
	" | ds:X509IssuerSerial/*[not(self::ds:X509IssuerName or self::ds:X509SerialNumber)]'>"
	"<sch:report id='HINT' test='true()'>an element in a certificate hint</sch:report>"
	"</sch:rule></sch:pattern></sch:schema>";

static const char booking_xml[] =
	"<booking xmlns='urn:rahdari:doc:1' id='T-LIC-S1' created='2026-11-20'>"
	"<agency name='Al-Noor Travels' licence='PB-LHR-2019-0412' office='LHR-01'"
	" province='PK-PB'/>"
	"<service type='umrah' field='a'/>"
	"<passenger id='P1'><surname>KHAN</surname><given-names>MUHAMMAD ALI</given-names>"
	"<birth-date>1982-04-11</birth-date><sex>M</sex><nationality>PAK</nationality>"
	"<cnic>35202-1234567-1</cnic><passport number='AB1234561' issuing-state='PAK'"
	" issue-date='2022-02-01' expiry-date='2032-01-31'/></passenger>"
	"<segment carrier='PK' from='LHE' to='JED' departure='2026-12-20T09:00'"
	" arrival='2026-12-20T13:30'/>"
	"<segment carrier='PK' from='JED' to='LHE' departure='2026-12-28T13:00'"
	" arrival='2026-12-28T19:15'/>"
	"</booking>";

static const char *path_from(const char *env, const char *dflt)
{
	const char *p = getenv(env);

	return p != NULL && p[0] != '\0' ? p : dflt;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *store = path_from("RD_FUZZ_TRUST", SUPPORT "trust-ca.pem");
	const char *crl = path_from("RD_FUZZ_CRL", SUPPORT "trust-crl.pem");

	(void)argc;
	(void)argv;
	if (rd_trust_load(&trust, store) != RD_OK)
		FUZZ_FAIL("trust store %s: %s", store, rd_error_last()->message);
	if (rd_trust_add_crl(trust, crl) != RD_OK)
		FUZZ_FAIL("CRL %s: %s", crl, rd_error_last()->message);
	if (rd_rules_load_default(&pk) != RD_OK)
		FUZZ_FAIL("the embedded pk pack does not load: %s", rd_error_last()->message);
	if (rd_rules_load_memory(&hints, hints_sch, sizeof hints_sch - 1, "hints.sch", NULL,
	                         NULL) != RD_OK)
		FUZZ_FAIL("hints.sch: %s", rd_error_last()->message);
	if (rd_document_load_memory(&booking, booking_xml, sizeof booking_xml - 1, "booking.xml",
	                            NULL) != RD_OK)
		FUZZ_FAIL("the fixed booking does not load: %s", rd_error_last()->message);
	return 0;
}

/* The number of elements inside certificate hints of a document, or 0 when it does not
 * load. */
static size_t hint_elements(const uint8_t *data, size_t size)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_document *doc = NULL;
	rd_report *report = NULL;
	size_t n = 0;

	if (rd_document_load_memory(&doc, data, size, "fuzz.xml", NULL) != RD_OK)
		return 0;
	o.as_of = RD_FUZZ_AS_OF;
	if (rd_check(&report, hints, doc, &o) == RD_OK)
		n = rd_report_count(report);
	rd_report_free(report);
	rd_document_free(doc);
	return n;
}

static void verify(const uint8_t *data, size_t size)
{
	rd_verify_options o = RD_VERIFY_OPTIONS_INIT;
	rd_verify_result *res = NULL;
	size_t i, n;
	int rc, st, f;

	o.as_of = RD_FUZZ_AS_OF;
	rc = rd_licence_verify(&res, trust, "fuzz.xml", data, size, &o);
	fuzz_status(rc, FUZZ_ST(RD_EPARSE) | FUZZ_ST(RD_EUNSAFE) | FUZZ_ST(RD_ELIMIT) |
	                FUZZ_ST(RD_ENOMEM), "rd_licence_verify");
	if (rc != RD_OK) {
		FUZZ_REQUIRE(res == NULL);
		return;
	}
	st = rd_verify_result_status(res);
	FUZZ_REQUIRE(st >= RD_SIG_OK && st <= RD_SIG_MALFORMED);
	FUZZ_REQUIRE(rd_verify_result_ok(res) == (st == RD_SIG_OK));
	FUZZ_REQUIRE(rd_verify_result_message(res) != NULL);
	for (f = RD_VERIFY_DOCUMENT; f <= RD_VERIFY_CHECKED_AT; f++)
		(void)rd_verify_result_get(res, (rd_verify_field)f);
	for (i = 0, n = rd_verify_result_warning_count(res); i < n; i++)
		FUZZ_REQUIRE(rd_verify_result_warning(res, i) != NULL);
	for (i = 0, n = rd_verify_result_chain_count(res); i < n; i++)
		FUZZ_REQUIRE(rd_verify_result_chain(res, i) != NULL);
	if (st == RD_SIG_OK) {
		/* a verified licence names its signer and the anchor its chain ends at */
		FUZZ_REQUIRE(rd_verify_result_get(res, RD_VERIFY_SUBJECT) != NULL);
		FUZZ_REQUIRE(rd_verify_result_get(res, RD_VERIFY_ANCHOR) != NULL);
		FUZZ_REQUIRE(rd_verify_result_chain_count(res) >= 1);
		if (hint_elements(data, size) != 0)
			FUZZ_FAIL("a licence with elements inside its certificate hints verified"
			          " (issue 11)");
	}
	rd_verify_result_free(res);
}

static void check_case(const uint8_t *data, size_t size)
{
	rd_check_options o = RD_CHECK_OPTIONS_INIT;
	rd_case_doc docs[1];
	rd_document *licence = NULL;
	rd_report *report = NULL;
	int rc;

	if (rd_document_load_memory(&licence, data, size, "fuzz.xml", NULL) != RD_OK)
		return;
	docs[0].role = "licence";
	docs[0].doc = licence;
	o.as_of = RD_FUZZ_AS_OF;
	o.docs = docs;
	o.ndocs = 1;
	o.trust = trust;
	rc = rd_check(&report, pk, booking, &o);
	fuzz_status(rc, FUZZ_ST(RD_ENOMEM), "rd_check");
	if (rc == RD_OK) {
		fuzz_walk_report(report);
		rd_report_free(report);
	}
	rd_document_free(licence);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* rd_licence_verify reads the file named when data is NULL: never let it */
	if (data == NULL)
		data = (const uint8_t *)"";
	verify(data, size);
	check_case(data, size);
	return 0;
}
