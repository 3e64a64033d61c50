#!/bin/sh
# rahdari pk pack tests: make the signed licences of the PK-LIC-019 and PK-LIC-020 tests.
#
# Usage: sh rules/pk/tests/lic/support/make-signed.sh [RAHDARI]
#
# Makes a fresh test PKI (tests/trust_pki.sh: new keys every time; no private key is kept)
# and signs licence-al-noor.xml with `rahdari licence sign` (RAHDARI, default: the built
# cli/rahdari), writing here:
#   trust-ca.pem               the test root CA (the trust store of the tests)
#   trust-crl.pem              the issuing CA's CRL, which revokes the 'revoked' signer
#   signed-al-noor.xml         signed by a signer of the issuing CA (verifies)
#   signed-al-noor-altered.xml the same with field (c) added after signing (invalid)
#   signed-outsider.xml        signed by a self-signed certificate (untrusted)
#   signed-revoked.xml         signed by a revoked signer (untrusted with trust-crl.pem)
# and, in the directory above, the tests whose document is itself signed:
#   lic-signed-case.xml, lic-signed-licence.xml, lic-019-signed-licence-altered.xml.
# Run it again only to replace every one of these files together.
# SPDX-License-Identifier: MIT
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../../.." && pwd)
rahdari=${1:-$top/cli/rahdari}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsigned.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

sh "$top/tests/trust_pki.sh" "$tmp/pki" >/dev/null
pki=$tmp/pki
cp "$pki/ca.pem" "$here/trust-ca.pem"
cp "$pki/crl-inter.pem" "$here/trust-crl.pem"

sign() { # sign SIGNER IN OUT [chain]
	if [ $# -gt 3 ]; then
		"$rahdari" licence sign --key "$pki/$1.key" --cert "$pki/$1.pem" --chain "$pki/chain.pem" \
			-o "$3" "$2"
	else
		"$rahdari" licence sign --key "$pki/$1.key" --cert "$pki/$1.pem" -o "$3" "$2"
	fi
}

sign signer "$here/licence-al-noor.xml" "$here/signed-al-noor.xml" chain
sed 's|<field>b</field>|<field>b</field>\n  <field>c</field>|' "$here/signed-al-noor.xml" \
	>"$here/signed-al-noor-altered.xml"
sign outsider "$here/licence-al-noor.xml" "$here/signed-outsider.xml"
sign revoked "$here/licence-al-noor.xml" "$here/signed-revoked.xml" chain

# the signed licence, embedded in a case as it was signed (without its XML declaration)
body=$tmp/body.xml
sed '1{/^<?xml/d}' "$here/signed-al-noor.xml" >"$body"
{
	cat <<'EOT'
<?xml version="1.0" encoding="UTF-8"?>
<?rahdari-test not-fires="PK-LIC-019 PK-LIC-020 PK-LIC-002 PK-LIC-003 PK-LIC-004 PK-LIC-005 PK-LIC-006 PK-LIC-009 PK-LIC-018" as-of="2026-12-01" trust="support/trust-ca.pem" crl="support/trust-crl.pem"?>
<!-- A case with the Al-Noor licence as the regulator signed it (made by
     support/make-signed.sh): its signature verifies against the trust store, so neither
     PK-LIC-019 nor PK-LIC-020 fires, and the licence checks use the document. -->
<case xmlns="urn:rahdari:doc:1" id="CASE-lic-signed">
  <document role="booking">
    <booking id="T-LIC-S1" created="2026-11-20">
      <agency name="Al-Noor Travels" licence="PB-LHR-2019-0412" office="LHR-01" province="PK-PB"/>
      <service type="air-ticket" field="a"/>
      <passenger id="P1">
        <surname>KHAN</surname>
        <given-names>MUHAMMAD ALI</given-names>
        <birth-date>1982-04-11</birth-date>
        <sex>M</sex>
        <nationality>PAK</nationality>
        <cnic>35202-1234567-1</cnic>
        <passport number="AB1234561" issuing-state="PAK" issue-date="2022-02-01" expiry-date="2032-01-31"/>
      </passenger>
      <segment carrier="PK" from="LHE" to="DXB" departure="2026-12-20T09:00" arrival="2026-12-20T11:30"/>
      <segment carrier="PK" from="DXB" to="LHE" departure="2026-12-28T13:00" arrival="2026-12-28T17:15"/>
    </booking>
  </document>
  <document role="licence" source="support/signed-al-noor.xml">
EOT
	cat "$body"
	cat <<'EOT'
  </document>
</case>
EOT
} >"$here/../lic-signed-case.xml"

# a signed licence checked on its own: the test instruction is part of what is signed
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<?rahdari-test not-fires="PK-LIC-019 PK-LIC-020" as-of="2026-12-01" trust="support/trust-ca.pem"?>'
	sed '1{/^<?xml/d}' "$here/licence-al-noor.xml"
} >"$tmp/itself.xml"
sign signer "$tmp/itself.xml" "$here/../lic-signed-licence.xml" chain
# ... and the same with its instruction changed after signing: the document is altered
sed 's|<?rahdari-test not-fires="PK-LIC-019 PK-LIC-020"|<?rahdari-test fires="PK-LIC-019" not-fires="PK-LIC-020"|' \
	"$here/../lic-signed-licence.xml" >"$here/../lic-019-signed-licence-altered.xml"
echo "make-signed.sh: signed licences and tests written"
