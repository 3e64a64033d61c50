#!/bin/sh
# rahdari tests: signed licences from the command line.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_licence.sh
#
# `rahdari licence sign` and `rahdari licence verify` (exit statuses, text and JSON, every
# reason a licence does not verify, attacks), licences checked by the rules with
# `rahdari check --trust` and `rahdari audit --trust`, and interoperability both ways with
# Debian's xmlsec1 command. A test PKI is made first by tests/trust_pki.sh; every
# verification is as of 2026-12-01. Prints each failure and exits 1 if there was any; else
# 77 (SKIP) without openssl, or without xmlsec1 or python3 for the checks that need them
# (the others run first); 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_licence.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
if [ ! -f "$srcdir/tests/trust_pki.sh" ]; then
	echo "cli_licence.sh: tests/trust_pki.sh not found under $srcdir (set srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdlicence.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

sh "$srcdir/tests/trust_pki.sh" "$tmp/pki" >/dev/null
case $? in
0) ;;
77) echo "SKIP: cli_licence.sh: no openssl command to make the test PKI"; exit 77 ;;
*) echo "cli_licence.sh: tests/trust_pki.sh failed" >&2; exit 99 ;;
esac
pki=$tmp/pki

. "$srcdir/tests/cli_lib.sh"

L=$tmp/licence.xml
cat >"$L" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<licence xmlns="urn:rahdari:doc:1" type="travel-agency" number="PB-LHR-2019-0412"
         status="VALID" issued="2026-06-24" valid-from="2026-07-01" valid-until="2027-06-30">
  <authority province="PK-PB">Directorate of Tourist Services, Tourism Department, Government of the Punjab</authority>
  <holder name="Al-Noor Travels" form="partnership"/>
  <field>a</field>
  <field>d</field>
  <office id="LHR-01" kind="head" district="Lahore" province="PK-PB" status="ACTIVE"/>
</licence>
EOF
V="licence verify --trust $pki/ca.pem --as-of 2026-12-01"

# ---------------------------------------------------------------- help and usage

run licence --help
status 0 "licence --help"
out_has "licence sign --key KEY --cert CERT" "licence --help"
out_has "licence verify --trust FILE|DIR" "licence --help"
run help licence
status 0 "help licence"
out_has "Exit status" "help licence"
run --help
out_has "licence   sign licences" "rahdari --help lists licence"
run licence
status 2 "licence without subcommand"
run licence frobnicate
status 2 "licence frobnicate"
err_has "unknown subcommand" "licence frobnicate"
run licence sign "$L"
status 2 "sign without key"
err_has "--key and --cert" "sign without key"
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem"
status 2 "sign without licence"
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem" "$L" "$L"
status 2 "sign two licences"
run licence sign --bogus "$L"
status 2 "sign --bogus"
run licence verify "$L"
status 2 "verify without trust"
err_has "--trust" "verify without trust"
run licence verify --trust "$pki/ca.pem"
status 2 "verify without licence"
run $V --format xml "$L"
status 2 "verify --format xml"
run licence verify --trust "$pki/ca.pem" --as-of 2026-02-30 "$L"
status 2 "verify --as-of 2026-02-30"
run licence verify --trust "$pki/ca.pem" --as-of 2026-12-01T10:00 "$L"
status 2 "verify --as-of without seconds"
run $V - - <"$L"
status 2 "verify - -"

# ---------------------------------------------------------------- signing

S=$tmp/signed.xml
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem" --chain "$pki/chain.pem" -o "$S" "$L"
status 0 "sign"
[ -s "$S" ] || fail "sign: no output file"
grep -q '<ds:Reference URI="">' "$S" || fail "sign: no Reference URI=\"\" in $(show "$S")"
[ "$(grep -c '<ds:X509Certificate>' "$S")" -eq 2 ] || fail "sign: not two certificates"
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem" - <"$L"
status 0 "sign from standard input to standard output"
out_has "</ds:Signature>" "sign to stdout"
run licence sign --key "$pki/ec.key" --cert "$pki/ec.pem" --chain "$pki/chain.pem" -o "$tmp/ec.xml" "$L"
status 0 "sign with an EC key"
grep -q 'ecdsa-sha256' "$tmp/ec.xml" || fail "sign with an EC key: not ECDSA-SHA256"
run licence sign --key "$pki/weak.key" --cert "$pki/weak.pem" "$L"
status 3 "sign with RSA 1024"
err_has "1024 bits" "sign with RSA 1024"
run licence sign --key "$pki/signer.key" --cert "$pki/expired.pem" "$L"
status 3 "sign with a key of another certificate"
err_has "does not belong" "sign with a key of another certificate"
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem" "$S"
status 3 "sign a signed licence"
err_has "signed already" "sign a signed licence"
run licence sign --key "$tmp/none.key" --cert "$pki/signer.pem" "$L"
status 3 "sign with a missing key"
run licence sign --key "$pki/signer.key" --cert "$pki/signer.pem" "$tmp/none.xml"
status 3 "sign a missing licence"
# an encrypted key and its passphrase file
openssl pkcs8 -topk8 -in "$pki/signer.key" -out "$tmp/enc.key" -passout pass:sesame 2>/dev/null &&
	printf 'sesame\n' >"$tmp/pass" && {
	run licence sign --key "$tmp/enc.key" --cert "$pki/signer.pem" "$L"
	status 3 "sign with an encrypted key, no passphrase"
	run licence sign --key "$tmp/enc.key" --cert "$pki/signer.pem" --pass "file:$tmp/pass" "$L"
	status 0 "sign with an encrypted key and its passphrase file"
	RD_TEST_PASS=sesame
	export RD_TEST_PASS
	run licence sign --key "$tmp/enc.key" --cert "$pki/signer.pem" --pass env:RD_TEST_PASS "$L"
	status 0 "sign with an encrypted key and its passphrase in the environment"
	run licence sign --key "$tmp/enc.key" --cert "$pki/signer.pem" --pass sesame "$L"
	status 2 "--pass without env: or file:"
	run licence sign --key "$tmp/enc.key" --cert "$pki/signer.pem" --pass env:RD_NO_SUCH_VAR "$L"
	status 3 "--pass env: of an unset variable"
}

# ---------------------------------------------------------------- verifying

run $V "$S"
status 0 "verify"
out_has "$S: verified" "verify"
out_has "signer:    CN=Licence Signing Officer" "verify"
out_has "(trusted)" "verify"
out_has "certificates judged at 2026-12-01T23:59:59Z" "verify"
run $V -q "$S"
status 0 "verify -q"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "verify -q: more than one line: $(show "$tmp/out")"
run $V - <"$S"
status 0 "verify standard input"
out_has "<stdin>: verified" "verify standard input"
run licence verify --trust "$pki/store" --as-of 2026-12-01 "$S" "$tmp/ec.xml"
status 0 "verify with a directory store, two licences"
out_has "2 licences: 2 verified, 0 not verified, 0 could not be read" "two licences"
run $V --format json "$S"
status 0 "verify --format json"
json_ok "verify json" "
l = d['licences'][0]
assert l['verified'] is True and l['status'] == 'ok', l
assert l['signer']['subject'] == 'CN=Licence Signing Officer,O=Test Tourism Regulator,C=PK', l
assert l['signer']['key'] == 'RSA 2048' and len(l['chain']) == 3, l
assert l['checked_at'] == '2026-12-01T23:59:59Z' and l['warnings'] == [], l
assert d['summary'] == {'verified': 1, 'not_verified': 0, 'errors': 0}, d"

# reasons
sed 's/status="VALID"/status="SUSPENDED"/' "$S" >"$tmp/alt-attr.xml"
sed 's|<field>d</field>|<field>e</field>|' "$S" >"$tmp/alt-text.xml"
sed 's|<field>a</field>|<field>a</field><!-- an added comment -->|' "$S" >"$tmp/comment.xml"
sed 's|<ds:Reference URI="">|<ds:Reference URI="" Type="x">|' "$S" >"$tmp/alt-signedinfo.xml"
sed 's|<ds:Reference URI="">|<ds:Reference URI="http://example.org/licence.xml">|' "$S" >"$tmp/external.xml"
sed 's|<ds:Reference URI="">|<ds:Reference URI="#licence">|' "$S" >"$tmp/fragment.xml"
sed 's|<licence |<!DOCTYPE licence [<!ENTITY x SYSTEM "file:///etc/passwd">]><licence |' "$S" >"$tmp/xxe.xml"
# signature wrapping: the signed licence under a new root beside an unsigned copy
{
	echo '<wrapper xmlns="urn:rahdari:doc:1">'
	sed '1d' "$S"
	sed '1d' "$L" | sed 's|<field>a</field>|<field>e</field>|'
	echo '</wrapper>'
} >"$tmp/wrapped.xml"
# the same signature twice; the signature moved into the holder element
sed -n '/<ds:Signature/,/<\/ds:Signature>/p' "$S" >"$tmp/sig.part"
{
	sed '/<\/licence>/d' "$S"
	cat "$tmp/sig.part"
	echo '</licence>'
} >"$tmp/two-signatures.xml"
{
	sed '/<ds:Signature/,/<\/ds:Signature>/d; s|<holder name="Al-Noor Travels" form="partnership"/>|<holder name="Al-Noor Travels" form="partnership">|' "$S" |
		sed '/<holder name=/r '"$tmp/sig.part"
} | sed 's|^</ds:Signature>$|</ds:Signature></holder>|' >"$tmp/nested.xml"
# a bare key instead of the certificate
sed '/<ds:KeyInfo>/,/<\/ds:KeyInfo>/d; s|</ds:SignatureValue>|</ds:SignatureValue><ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>|' \
	"$S" >"$tmp/keyvalue.xml"

for c in "alt-attr:1:digest-mismatch" "alt-text:1:digest-mismatch" "alt-signedinfo:1:bad-signature" \
	"external:1:bad-profile" "fragment:1:bad-profile" "wrapped:1:bad-profile" \
	"two-signatures:1:bad-profile" "nested:1:bad-profile" "keyvalue:1:bad-profile" \
	"comment:0:verified"; do
	f=${c%%:*}
	rest=${c#*:}
	want=${rest%%:*}
	word=${rest#*:}
	run $V "$tmp/$f.xml"
	status "$want" "verify $f"
	out_has "$word" "verify $f"
done
run $V "$tmp/comment.xml"
out_has "warning:   the document holds 1 comment" "a comment is not signed, and says so"
run $V "$tmp/wrapped.xml"
out_has "not a child of the root element <wrapper>" "wrapping"
run $V "$tmp/nested.xml"
out_has "inside the <holder> element" "nested signature"
run $V "$tmp/keyvalue.xml"
out_has "without certificate" "bare key"
run $V "$tmp/xxe.xml"
status 3 "verify XXE"
err_has "declares the entity 'x'" "verify XXE"
run $V "$L"
status 1 "verify an unsigned licence"
out_has "NOT VERIFIED (missing)" "verify an unsigned licence"
run $V "$tmp/none.xml"
status 3 "verify a missing file"
printf '<licence>' >"$tmp/broken.xml"
run $V "$tmp/broken.xml" "$S"
status 3 "verify a broken file and a good one"
out_has "$S: verified" "the good one is still verified"
run $V --format json "$S" "$tmp/alt-text.xml" "$tmp/broken.xml"
status 3 "verify --format json with all three outcomes"
json_ok "json outcomes" "
st = [l['status'] for l in d['licences']]
assert st == ['ok', 'digest-mismatch', 'error'], st
assert d['summary'] == {'verified': 1, 'not_verified': 1, 'errors': 1}, d"

# certificates
for who in expired:expired future:not-yet-valid outsider:untrusted nokeyuse:untrusted revoked:revoked; do
	n=${who%%:*}
	word=${who#*:}
	chain="--chain $pki/chain.pem"
	[ "$n" = outsider ] && chain=
	# shellcheck disable=SC2086
	"$RAHDARI" licence sign --key "$pki/$n.key" --cert "$pki/$n.pem" $chain -o "$tmp/s-$n.xml" "$L" ||
		fail "sign as $n"
	run $V --crl "$pki/crl-inter.pem" --crl "$pki/crl-ca.pem" "$tmp/s-$n.xml"
	status 1 "verify signed by $n"
	out_has "NOT VERIFIED ($word)" "verify signed by $n"
done
run $V "$tmp/s-revoked.xml"
status 0 "verify a revoked signer without the CRL"
run $V --crl "$pki/crl-inter.der" "$tmp/s-revoked.xml"
status 1 "verify a revoked signer with the DER CRL"
run $V --crl "$pki/crl-ca.pem" "$S"
status 1 "CRLs, none of the signer's issuer"
out_has "cannot be checked" "CRLs, none of the signer's issuer"
run $V --crl "$pki/ca.pem" "$S"
status 3 "a certificate given as a CRL"
run licence verify --trust "$tmp/none.pem" "$S"
status 3 "a missing trust store"
run licence verify --trust "$pki/inter.pem" --as-of 2026-12-01 "$S"
status 0 "the issuing CA as the trust anchor"
run licence verify --trust "$pki/ca.pem" --as-of 2031-06-01 "$S"
status 1 "verify after the signer expired"
out_has "expired on 2030-12-31T23:59:59Z" "verify after the signer expired"

# ---------------------------------------------------------------- rules: check and audit

B=$srcdir/examples/bookings/umrah-family.xml
sed 's|<field>a</field>|<field>e</field>|' "$S" >"$tmp/licence-altered.xml"
run check --trust "$pki/ca.pem" --licence "$tmp/licence-altered.xml" --as-of 2026-12-01 "$B"
status 1 "check: an altered licence"
out_has "PK-LIC-019" "check: an altered licence"
out_has "changed after it was signed" "check: an altered licence"
run check --trust "$pki/ca.pem" --licence "$S" --as-of 2026-12-01 "$B"
status 1 "check: a signed licence"
out_lacks "PK-LIC-019" "check: a signed licence"
out_lacks "PK-LIC-020" "check: a signed licence"
run check --trust "$pki/ca.pem" --licence "$L" --as-of 2026-12-01 --format json "$B"
out_has "PK-LIC-020" "check: an unsigned licence"
run check --trust "$pki/ca.pem" --licence "$L" --as-of 2026-12-01 --lang ur "$B"
out_has "ڈیجیٹل دستخط" "check --lang ur: the Urdu message"
run check --licence "$tmp/licence-altered.xml" --as-of 2026-12-01 "$B"
status 0 "check without a trust store"
out_lacks "PK-LIC-019" "check without a trust store"
run check --trust "$pki/ca.pem" --crl "$pki/crl-inter.pem" --licence "$tmp/s-revoked.xml" --as-of 2026-12-01 "$B"
out_has "PK-LIC-020" "check: a licence of a revoked signer"
run check --crl "$pki/crl-inter.pem" --as-of 2026-12-01 "$B"
status 2 "check --crl without --trust"
run check --trust "$tmp/none.pem" --as-of 2026-12-01 "$B"
status 3 "check with a missing trust store"
run check --help
out_has "--trust FILE|DIR" "check --help"
run audit --trust "$pki/ca.pem" --licence "$tmp/licence-altered.xml" --as-of 2026-12-01 --format jsonl \
	--progress never --jobs 2 "$srcdir/examples/submissions/lahore-2026-q4.xml"
status 1 "audit: an altered licence"
n=$(grep -c 'PK-LIC-019' "$tmp/out")
[ "$n" -ge 11 ] || fail "audit: PK-LIC-019 on $n records, expected every one of the 11"

# ---------------------------------------------------------------- nothing unsigned reaches the rules

# KHI-99 (issue 11): an office added inside KeyInfo, which the signature does not cover,
# or in a comment, which exclusive C14N leaves out; neither may read as licensed
KHI='<office xmlns="urn:rahdari:doc:1" id="KHI-99" kind="branch" district="Karachi" province="PK-SD" status="ACTIVE"/>'
sed "s|<ds:X509Data>|<ds:X509Data><ds:X509SubjectName>CN=x$KHI</ds:X509SubjectName>|" "$S" >"$tmp/khi.xml"
sed "s|<ds:X509Data>|<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>CN=x</ds:X509IssuerName><ds:X509SerialNumber>1</ds:X509SerialNumber>$KHI</ds:X509IssuerSerial>|" \
	"$S" >"$tmp/khi-serial.xml"
sed "s|</ds:X509Data>|</ds:X509Data>$KHI|" "$S" >"$tmp/khi-keyinfo.xml"
sed "s|<office id=|<!--\\n$KHI\\n--><office id=|" "$S" >"$tmp/khi-comment.xml"
for f in khi khi-serial khi-keyinfo; do
	run $V "$tmp/$f.xml"
	status 1 "verify $f"
	out_has "NOT VERIFIED (bad-profile)" "verify $f"
done
run $V "$tmp/khi.xml"
out_has "X509SubjectName (line" "verify khi: the place named"
run $V "$tmp/khi-comment.xml"
status 0 "verify khi-comment: comments are not signed"
cat >"$tmp/offices.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="d" uri="urn:rahdari:doc:1"/>
  <sch:ns prefix="fn" uri="urn:rahdari:fn:1"/>
  <sch:pattern>
    <sch:rule context="/*">
      <sch:report id="CASE-LICENCE" test="true()">offices <sch:value-of select="count(fn:doc('licence')//d:office)"/>, KHI-99 <sch:value-of select="count(fn:doc('licence')//d:office[@id = 'KHI-99'])"/>, comments <sch:value-of select="count(fn:doc('licence')//comment())"/>, signature <sch:value-of select="fn:licence-signature()"/></sch:report>
    </sch:rule>
  </sch:pattern>
  <sch:pattern>
    <sch:rule context="d:office">
      <sch:report id="OFFICE" test="true()">office <sch:value-of select="@id"/></sch:report>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
for c in "$S:verified" "$tmp/khi.xml:invalid" "$tmp/khi-serial.xml:invalid" \
	"$tmp/khi-keyinfo.xml:invalid" "$tmp/khi-comment.xml:verified"; do
	f=${c%:*}
	word=${c##*:}
	run check -r "$tmp/offices.sch" --trust "$pki/ca.pem" --licence "$f" --as-of 2026-12-01 "$B"
	out_has "offices 1, KHI-99 0, comments 0, signature $word" "check --licence $(basename "$f"): what the rules read"
	run check -r "$tmp/offices.sch" --trust "$pki/ca.pem" --as-of 2026-12-01 "$f"
	status 0 "check $(basename "$f") itself"
	out_has "office LHR-01" "check $(basename "$f") itself: its office"
	out_lacks "office KHI-99" "check $(basename "$f") itself: no KHI-99"
done
# the office keeps its line in the file (9: two lines of comment were added above it)
run check -r "$tmp/offices.sch" --trust "$pki/ca.pem" --as-of 2026-12-01 "$tmp/khi-comment.xml"
out_has "OFFICE at line 9" "check khi-comment itself: the line of the office"
# a licence inside a case
{
	echo '<case xmlns="urn:rahdari:doc:1"><document role="booking">'
	sed '1d' "$B"
	echo '</document><document role="licence">'
	sed '1d' "$tmp/khi.xml"
	echo '</document></case>'
} >"$tmp/khi-case.xml"
run check -r "$tmp/offices.sch" --trust "$pki/ca.pem" --as-of 2026-12-01 "$tmp/khi-case.xml"
status 0 "check a case with the KHI-99 licence"
out_has "offices 1, KHI-99 0, comments 0, signature invalid" "check a case with the KHI-99 licence"
out_lacks "office KHI-99" "check a case with the KHI-99 licence: no KHI-99"
# licences as the records of an audit: each read as rahdari check reads it
{
	echo '<licences xmlns="urn:rahdari:doc:1">'
	sed '1d' "$S"
	sed '1d' "$tmp/khi.xml"
	sed '1d' "$tmp/khi-comment.xml"
	echo '</licences>'
} >"$tmp/licences.xml"
run audit -r "$tmp/offices.sch" --trust "$pki/ca.pem" --as-of 2026-12-01 --format jsonl \
	--progress never "$tmp/licences.xml"
json_lines_ok() {
	need_py "JSON output parsed" || return 0
	checks=$((checks + 1))
	"$PY" -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
recs = [r for r in recs if r['type'] == 'record']
got = [[(f['rule'], f['message'], f['line']) for f in r['findings'] if f['rule'] == 'OFFICE'] for r in recs]
want = [[('OFFICE', 'office LHR-01', 7)], [('OFFICE', 'office LHR-01', 80)], [('OFFICE', 'office LHR-01', 155)]]
assert got == want, got
sig = [[f['message'] for f in r['findings'] if f['rule'] == 'CASE-LICENCE'] for r in recs]
assert [s[0].rsplit(' ', 1)[1] for s in sig] == ['verified', 'invalid', 'verified'], sig
" "$tmp/out" 2>"$tmp/err" || fail "$1: $(show "$tmp/err")"
}
json_lines_ok "audit of licences: no KHI-99, the lines of the file, the verdicts"
# the pk pack: the licence does not verify
run check --trust "$pki/ca.pem" --licence "$tmp/khi.xml" --as-of 2026-12-01 "$B"
status 1 "check --licence khi.xml with the pk pack"
out_has "PK-LIC-019" "check --licence khi.xml with the pk pack"
out_has "X509SubjectName" "check --licence khi.xml with the pk pack: the reason"

# ---------------------------------------------------------------- xmlsec1, both ways

if command -v xmlsec1 >/dev/null 2>&1; then
	# rahdari's signatures verify with xmlsec1
	for f in "$S" "$tmp/ec.xml"; do
		checks=$((checks + 1))
		xmlsec1 --verify --trusted-pem "$pki/ca.pem" --enabled-key-data x509 \
			--enabled-reference-uris empty --verification-gmt-time "2026-12-01 12:00:00" \
			"$f" >"$tmp/out" 2>"$tmp/err" ||
			fail "xmlsec1 --verify $f: $(show "$tmp/err")"
	done
	checks=$((checks + 1))
	if xmlsec1 --verify --trusted-pem "$pki/ca.pem" --enabled-key-data x509 \
		--verification-gmt-time "2026-12-01 12:00:00" "$tmp/alt-text.xml" >"$tmp/out" 2>&1; then
		fail "xmlsec1 --verify accepts an altered licence"
	fi
	# xmlsec1's signatures in the profile verify with rahdari
	sed '/<\/licence>/d' "$L" >"$tmp/tmpl.xml"
	cat >>"$tmp/tmpl.xml" <<'EOF'
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>
</licence>
EOF
	checks=$((checks + 1))
	xmlsec1 --sign --privkey-pem "$pki/signer.key,$pki/signer.pem,$pki/inter.pem" \
		--output "$tmp/by-xmlsec1.xml" "$tmp/tmpl.xml" >"$tmp/out" 2>"$tmp/err" ||
		fail "xmlsec1 --sign: $(show "$tmp/err")"
	run $V "$tmp/by-xmlsec1.xml"
	status 0 "rahdari verifies xmlsec1's signature"
	# SHA-1 (xmlsec1 still makes it): refused, then accepted with --allow-weak and warnings
	sed 's|http://www.w3.org/2001/04/xmldsig-more#rsa-sha256|http://www.w3.org/2000/09/xmldsig#rsa-sha1|
	     s|http://www.w3.org/2001/04/xmlenc#sha256|http://www.w3.org/2000/09/xmldsig#sha1|' \
		"$tmp/tmpl.xml" >"$tmp/tmpl-sha1.xml"
	checks=$((checks + 1))
	xmlsec1 --sign --privkey-pem "$pki/signer.key,$pki/signer.pem,$pki/inter.pem" \
		--output "$tmp/sha1.xml" "$tmp/tmpl-sha1.xml" >"$tmp/out" 2>"$tmp/err" ||
		fail "xmlsec1 --sign SHA-1: $(show "$tmp/err")"
	run $V "$tmp/sha1.xml"
	status 1 "verify SHA-1"
	out_has "NOT VERIFIED (weak-algorithm)" "verify SHA-1"
	run $V --allow-weak "$tmp/sha1.xml"
	status 0 "verify SHA-1 --allow-weak"
	out_has "warning:   the signature method RSA-SHA1 is weak" "verify SHA-1 --allow-weak"
	out_has "warning:   the digest method SHA-1 is weak" "verify SHA-1 --allow-weak"
	# an RSA 1024 key: xmlsec1 signs, rahdari refuses it unless weak is allowed
	checks=$((checks + 1))
	xmlsec1 --sign --privkey-pem "$pki/weak.key,$pki/weak.pem,$pki/inter.pem" \
		--output "$tmp/rsa1024.xml" "$tmp/tmpl.xml" >"$tmp/out" 2>"$tmp/err" ||
		fail "xmlsec1 --sign RSA 1024: $(show "$tmp/err")"
	run $V "$tmp/rsa1024.xml"
	status 1 "verify RSA 1024"
	out_has "weak-algorithm" "verify RSA 1024"
	run $V --allow-weak "$tmp/rsa1024.xml"
	status 0 "verify RSA 1024 --allow-weak"
	out_has "1024 bits" "verify RSA 1024 --allow-weak"
	# xmlsec1 with a bare key (KeyValue): the mathematics is right, the profile refuses it
	sed 's|<ds:X509Data/>|<ds:KeyValue/>|' "$tmp/tmpl.xml" >"$tmp/tmpl-kv.xml"
	checks=$((checks + 1))
	xmlsec1 --sign --privkey-pem "$pki/signer.key" --output "$tmp/kv.xml" "$tmp/tmpl-kv.xml" \
		>"$tmp/out" 2>"$tmp/err" || fail "xmlsec1 --sign KeyValue: $(show "$tmp/err")"
	run $V "$tmp/kv.xml"
	status 1 "verify xmlsec1's KeyValue signature"
	out_has "without certificate" "verify xmlsec1's KeyValue signature"
else
	cannot "no xmlsec1 command (apt-get install xmlsec1): interoperability with it"
fi

# ---------------------------------------------------------------- result

finish cli_licence.sh
