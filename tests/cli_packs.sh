#!/bin/sh
# rahdari tests: cases, tables, parameters, XML Schemas and rule packs from the command line.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_packs.sh
#
# `rahdari check` with the documents of a case (--licence, --doc), run-time tables
# (--register, --table), parameters (--param), --no-xsd, --jurisdiction and --as-of;
# `rahdari rules list`, `lint` and `test` on small packs written here (clean ones and
# broken ones) and on the packs of the source tree. Prints each failure and exits 1 if
# there was any; else 77 (SKIP) when the JSON checks could not run for want of python3;
# 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_packs.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
if [ ! -f "$srcdir/rules/pk/pack.xml" ]; then
	echo "cli_packs.sh: rules/pk not found under $srcdir (set srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdpacks.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

. "$srcdir/tests/cli_lib.sh"

# ---------------------------------------------------------------- a small pack

M=$tmp/mini
mkdir -p "$M/schemas" "$M/tables" "$M/tests/support" "$tmp/docs"

cat >"$M/pack.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<pack xmlns="urn:rahdari:pack:1" id="mini" version="0.3.0" jurisdiction="PK" effective="2026-01-01">
  <title>A small pack</title>
  <xsd kind="booking" href="schemas/booking.xsd"/>
  <schema href="mini.sch"/>
  <tests href="tests"/>
</pack>
EOF

cat >"$M/schemas/booking.xsd" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:rahdari:doc:1"
           elementFormDefault="qualified">
  <xs:element name="booking">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="agency" minOccurs="0">
          <xs:complexType>
            <xs:attribute name="licence" type="xs:string"/>
            <xs:attribute name="province" type="xs:string"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="passenger" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType><xs:attribute name="id" type="xs:string" use="required"/></xs:complexType>
        </xs:element>
        <xs:element name="segment" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType><xs:attribute name="carrier" type="xs:string"/></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="id" type="xs:string"/>
      <xs:attribute name="created" type="xs:date"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
EOF

cat >"$M/mini.sch" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:rd="urn:rahdari:rules:1"
            queryBinding="xslt" xml:lang="en">
  <sch:title>A small schema</sch:title>
  <sch:ns prefix="d" uri="urn:rahdari:doc:1"/>
  <sch:ns prefix="fn" uri="urn:rahdari:fn:1"/>
  <rd:table name="licence-register" href="tables/register.csv"/>
  <rd:table name="carriers" href="tables/carriers.csv"/>
  <sch:let name="max-passengers" value="3"/>
  <sch:phase id="lic"><sch:active pattern="licensing"/></sch:phase>
  <sch:phase id="trips"><sch:active pattern="travel"/></sch:phase>
  <sch:pattern id="licensing">
    <sch:rule context="d:booking">
      <sch:assert id="MINI-LIC-001" rd:cite="Travel Agencies Act 1976, s.6" rd:tags="LIC"
                  rd:confidence="S" diagnostics="MINI-LIC-001-ur"
                  test="fn:in-table('licence-register', 'number', string(d:agency/@licence))">Licence
        <sch:value-of select="d:agency/@licence"/> is not on the register.</sch:assert>
      <sch:assert id="MINI-LIC-002" rd:cite="Travel Agencies Act 1976, s.7" rd:tags="LIC"
                  rd:confidence="U" diagnostics="MINI-LIC-002-ur"
                  test="not(fn:doc('licence')) or fn:doc('licence')/self::d:licence/@number = d:agency/@licence">Sold
        under <sch:value-of select="d:agency/@licence"/>, but the case's licence is
        <sch:value-of select="fn:doc('licence')/@number"/>.</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="travel">
    <sch:rule context="d:booking">
      <sch:report id="MINI-PAX-001" role="warning" rd:cite="Project choice" rd:tags="RISK"
                  rd:confidence="U" diagnostics="MINI-PAX-001-ur"
                  test="count(d:passenger) &gt; $max-passengers"><sch:value-of select="count(d:passenger)"/>
        passengers, more than <sch:value-of select="$max-passengers"/>.</sch:report>
      <sch:report id="MINI-DOC-001" role="warning" rd:cite="Emigration Ordinance 1979, s.22"
                  rd:tags="EMIG" rd:confidence="S" diagnostics="MINI-DOC-001-ur"
                  test="fn:doc('visa')/@category = 'WORK'">A work visa for
        <sch:value-of select="fn:doc('visa')/@country"/>.</sch:report>
      <sch:assert id="MINI-NEW-001" rd:cite="A future rule" rd:tags="DATA" rd:confidence="U"
                  rd:effective-from="2027-01-01" diagnostics="MINI-NEW-001-ur"
                  test="@id">The booking has no id.</sch:assert>
      <sch:report id="MINI-PB-001" role="info" rd:cite="Punjab amendment" rd:tags="LIC"
                  rd:confidence="U" rd:jurisdiction="PK-PB" diagnostics="MINI-PB-001-ur"
                  test="d:agency/@province = 'PK-PB'">Sold from a Punjab office.</sch:report>
    </sch:rule>
    <sch:rule context="d:segment">
      <sch:report id="MINI-RISK-001" role="warning" rd:cite="Carrier risk list" rd:tags="SOM"
                  rd:confidence="S" diagnostics="MINI-RISK-001-ur"
                  test="fn:lookup('carriers', 'code', @carrier, 'risk') = 'high'">Carrier
        <sch:value-of select="@carrier"/> is on the risk list.</sch:report>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics>
    <sch:diagnostic id="MINI-LIC-001-ur" xml:lang="ur">لائسنس <sch:value-of select="d:agency/@licence"/> رجسٹر میں نہیں۔</sch:diagnostic>
    <sch:diagnostic id="MINI-LIC-002-ur" xml:lang="ur">لائسنس مختلف ہے۔</sch:diagnostic>
    <sch:diagnostic id="MINI-PAX-001-ur" xml:lang="ur">مسافر زیادہ ہیں۔</sch:diagnostic>
    <sch:diagnostic id="MINI-DOC-001-ur" xml:lang="ur">ورک ویزا۔</sch:diagnostic>
    <sch:diagnostic id="MINI-NEW-001-ur" xml:lang="ur">بکنگ کا نمبر نہیں۔</sch:diagnostic>
    <sch:diagnostic id="MINI-PB-001-ur" xml:lang="ur">پنجاب کا دفتر۔</sch:diagnostic>
    <sch:diagnostic id="MINI-RISK-001-ur" xml:lang="ur">ایئر لائن خطرے کی فہرست میں ہے۔</sch:diagnostic>
  </sch:diagnostics>
</sch:schema>
EOF
printf 'number,status\nL-1,VALID\n' >"$M/tables/register.csv"
printf 'code,risk\nXX,high\nPK,low\n' >"$M/tables/carriers.csv"

# booking FILE ATTRS AGENCY-ATTRS [N-PASSENGERS [CARRIER [EXTRA-PI]]]: a booking document
booking() {
	{
		if [ -n "${6:-}" ]; then printf '%s\n' "$6"; fi
		printf '<booking xmlns="urn:rahdari:doc:1" %s>\n' "$2"
		printf '  <agency %s/>\n' "$3"
		i=0
		while [ "$i" -lt "${4:-1}" ]; do
			i=$((i + 1))
			printf '  <passenger id="P%s"/>\n' "$i"
		done
		printf '  <segment carrier="%s"/>\n' "${5:-PK}"
		printf '</booking>\n'
	} >"$1"
}

SUP=$M/tests/support
printf '<licence xmlns="urn:rahdari:doc:1" number="L-1" type="travel-agency"/>\n' >"$SUP/licence-l1.xml"
printf '<licence xmlns="urn:rahdari:doc:1" number="L-2" type="travel-agency"/>\n' >"$SUP/licence-l2.xml"
printf '<visa xmlns="urn:rahdari:doc:1" country="SAU" category="WORK"/>\n' >"$SUP/visa-work.xml"
printf 'number,status\nL-9,VALID\n' >"$SUP/register.csv"
printf 'code,risk\nXX,low\n' >"$SUP/carriers-none.csv"

T=$M/tests
ALL="MINI-LIC-001 MINI-LIC-002 MINI-PAX-001 MINI-DOC-001 MINI-NEW-001 MINI-PB-001 MINI-RISK-001"
booking "$T/clean.xml" 'id="B1" created="2026-11-20"' 'licence="L-1" province="PK-SD"' 1 PK \
	"<?rahdari-test not-fires=\"$ALL\" as-of=\"2026-12-01\"?>"
booking "$T/lic-001-unknown.xml" 'id="B1"' 'licence="L-9"' 1 PK \
	'<?rahdari-test fires="MINI-LIC-001" as-of="2026-12-01"?>'
booking "$T/lic-001-register.xml" 'id="B1"' 'licence="L-9"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-001" as-of="2026-12-01" register="support/register.csv"?>'
booking "$T/lic-002-other-licence.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-LIC-002" not-fires="MINI-LIC-001" as-of="2026-12-01" licence="support/licence-l2.xml"?>'
booking "$T/lic-002-same-licence.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01" licence="support/licence-l1.xml"?>'
booking "$T/doc-001-work-visa.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-DOC-001" as-of="2026-12-01" doc-visa="support/visa-work.xml"?>'
booking "$T/pax-001-four.xml" 'id="B1"' 'licence="L-1"' 4 PK \
	'<?rahdari-test fires="MINI-PAX-001" as-of="2026-12-01"?>'
booking "$T/pax-001-param.xml" 'id="B1"' 'licence="L-1"' 4 PK \
	'<?rahdari-test not-fires="MINI-PAX-001" as-of="2026-12-01" param-max-passengers="5"?>'
booking "$T/new-001-in-force.xml" '' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-NEW-001" as-of="2027-02-01"?>'
booking "$T/new-001-not-yet.xml" '' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-NEW-001" as-of="2026-12-01"?>'
booking "$T/pb-001-punjab.xml" 'id="B1"' 'licence="L-1" province="PK-PB"' 1 PK \
	'<?rahdari-test fires="MINI-PB-001" as-of="2026-12-01" jurisdiction="PK-PB"?>'
booking "$T/pb-001-sindh.xml" 'id="B1"' 'licence="L-1" province="PK-PB"' 1 PK \
	'<?rahdari-test not-fires="MINI-PB-001" as-of="2026-12-01" jurisdiction="PK-SD"?>'
booking "$T/risk-001-listed.xml" 'id="B1"' 'licence="L-1"' 1 XX \
	'<?rahdari-test fires="MINI-RISK-001" as-of="2026-12-01"?>'
booking "$T/risk-001-table.xml" 'id="B1"' 'licence="L-1"' 1 XX \
	'<?rahdari-test not-fires="MINI-RISK-001" as-of="2026-12-01" table-carriers="support/carriers-none.csv"?>'
booking "$T/phase-licensing.xml" 'id="B1"' 'licence="L-9"' 4 XX \
	'<?rahdari-test fires="MINI-LIC-001" not-fires="MINI-PAX-001 MINI-RISK-001" as-of="2026-12-01" phase="lic"?>'
cat >"$T/xsd-structure.xml" <<'EOF'
<?rahdari-test fires="XSD" not-fires="MINI-LIC-001" as-of="2026-12-01"?>
<booking xmlns="urn:rahdari:doc:1" id="B1">
  <agency licence="L-1"/>
  <pet name="Rex"/>
</booking>
EOF
NTESTS=16

# documents for rahdari check
D=$tmp/docs
booking "$D/clean.xml" 'id="B1" created="2026-11-20"' 'licence="L-1" province="PK-SD"' 1 PK
booking "$D/l9.xml" 'id="B1"' 'licence="L-9"' 1 PK
booking "$D/four.xml" 'id="B1"' 'licence="L-1"' 4 PK
booking "$D/noid.xml" '' 'licence="L-1"' 1 PK
booking "$D/punjab.xml" 'id="B1"' 'licence="L-1" province="PK-PB"' 1 PK
booking "$D/xx.xml" 'id="B1"' 'licence="L-1"' 1 XX
cat >"$D/structure.xml" <<'EOF'
<booking xmlns="urn:rahdari:doc:1" id="B1" created="2026-02-30">
  <agency licence="L-1"/>
  <pet name="Rex"/>
</booking>
EOF
cp "$SUP/licence-l1.xml" "$SUP/licence-l2.xml" "$SUP/visa-work.xml" "$D/"
printf 'number,status\nL-9,VALID\n' >"$D/register.csv"
printf 'code,risk\r\n"XX","low"\r\n' >"$D/carriers-crlf.csv"
printf 'code,risk\nPK,high\n' >"$D/carriers-pk.csv"
printf 'code,risk\nXX,high\nPK,caf\351\n' >"$D/latin1.csv"
DAY=2026-12-01

# ---------------------------------------------------------------- check: the case

run check --rules "$M" --as-of "$DAY" "$D/clean.xml"
status 0 "clean booking"
out_has "no findings" "clean booking"

run check --rules "$M" --as-of "$DAY" --licence "$D/licence-l1.xml" "$D/clean.xml"
status 0 "--licence with the same licence"
out_lacks "MINI-LIC-002" "--licence with the same licence"
run check --rules "$M" --as-of "$DAY" --licence "$D/licence-l2.xml" "$D/clean.xml"
status 1 "--licence with another licence"
out_has "MINI-LIC-002" "--licence with another licence"
out_has "Sold under L-1, but the case's licence is L-2." "--licence with another licence"
run check --rules "$M" --as-of "$DAY" --license "$D/licence-l2.xml" "$D/clean.xml"
status 1 "--license (US spelling)"
out_has "MINI-LIC-002" "--license (US spelling)"
run check --rules "$M" --as-of "$DAY" --doc licence="$D/licence-l2.xml" "$D/clean.xml"
status 1 "--doc licence=FILE"
out_has "the case's licence is L-2" "--doc licence=FILE"
run check --rules "$M" --as-of "$DAY" --licence "$tmp/no-such-licence.xml" "$D/clean.xml"
status 3 "--licence with a missing file"
err_has "no-such-licence.xml" "--licence with a missing file"

run check --rules "$M" --as-of "$DAY" --doc visa="$D/visa-work.xml" "$D/clean.xml"
status 0 "--doc visa=FILE (a warning)"
out_has "MINI-DOC-001" "--doc visa=FILE"
out_has "A work visa for SAU." "--doc visa=FILE"
run check --rules "$M" --as-of "$DAY" --doc visa="$D/visa-work.xml" --doc licence="$D/licence-l2.xml" "$D/clean.xml"
status 1 "two --doc"
out_has "MINI-DOC-001" "two --doc"
out_has "MINI-LIC-002" "two --doc"
run check --rules "$M" --as-of "$DAY" --doc other="$D/visa-work.xml" "$D/clean.xml"
status 0 "--doc with a role no rule reads"
out_has "no findings" "--doc with a role no rule reads"
for bad in foo =x visa= ''; do
	run check --rules "$M" --as-of "$DAY" --doc "$bad" "$D/clean.xml"
	status 2 "--doc '$bad'"
	err_has "ROLE=FILE" "--doc '$bad'"
	out_lacks "MINI" "--doc '$bad'"
done
run check --rules "$M" --as-of "$DAY" --doc visa="$tmp/missing-visa.xml" "$D/clean.xml"
status 3 "--doc with a missing file"
err_has "missing-visa.xml" "--doc with a missing file"
out_lacks "MINI" "--doc with a missing file"
printf '<visa xmlns="urn:rahdari:doc:1"' >"$tmp/broken-visa.xml"
run check --rules "$M" --as-of "$DAY" --doc visa="$tmp/broken-visa.xml" "$D/clean.xml"
status 3 "--doc with a malformed file"
err_has "broken-visa.xml" "--doc with a malformed file"

# ---------------------------------------------------------------- check: tables

run check --rules "$M" --as-of "$DAY" "$D/l9.xml"
status 1 "a licence not on the pack's register"
out_has "Licence L-9 is not on the register." "a licence not on the pack's register"
run check --rules "$M" --as-of "$DAY" --register "$D/register.csv" "$D/l9.xml"
status 0 "--register with the licence"
out_lacks "MINI-LIC-001" "--register with the licence"
run check --rules "$M" --as-of "$DAY" --register "$D/register.csv" "$D/clean.xml"
status 1 "--register replaces the pack's register"
out_has "Licence L-1 is not on the register." "--register replaces the pack's register"
run check --rules "$M" --as-of "$DAY" --table licence-register="$D/register.csv" "$D/l9.xml"
status 0 "--table licence-register=FILE"
out_lacks "MINI-LIC-001" "--table licence-register=FILE"
run check --rules "$M" --as-of "$DAY" --register "$tmp/no-register.csv" "$D/l9.xml"
status 3 "--register with a missing file"
err_has "no-register.csv" "--register with a missing file"

run check --rules "$M" --as-of "$DAY" "$D/xx.xml"
status 0 "a risky carrier (a warning)"
out_has "Carrier XX is on the risk list." "a risky carrier"
run check --rules "$M" --as-of "$DAY" --table carriers="$D/carriers-crlf.csv" "$D/xx.xml"
status 0 "--table with quotes and CRLF"
out_lacks "MINI-RISK-001" "--table with quotes and CRLF"
run check --rules "$M" --as-of "$DAY" --table carriers="$D/carriers-pk.csv" "$D/clean.xml"
status 0 "--table with another list"
out_has "Carrier PK is on the risk list." "--table with another list"
run check --rules "$M" --as-of "$DAY" --table other="$D/carriers-pk.csv" "$D/xx.xml"
status 0 "--table of a name the rules do not read"
out_has "Carrier XX is on the risk list." "--table of a name the rules do not read"
for bad in carriers =x carriers= ''; do
	run check --rules "$M" --as-of "$DAY" --table "$bad" "$D/xx.xml"
	status 2 "--table '$bad'"
	err_has "NAME=FILE" "--table '$bad'"
done
run check --rules "$M" --as-of "$DAY" --table carriers="$tmp/none.csv" "$D/xx.xml"
status 3 "--table with a missing file"
err_has "none.csv" "--table with a missing file"
run check --rules "$M" --as-of "$DAY" --table carriers="$D/latin1.csv" "$D/xx.xml"
status 3 "--table that is not UTF-8"
err_has "latin1.csv:3:" "--table that is not UTF-8"
err_has "UTF-8" "--table that is not UTF-8"

# ---------------------------------------------------------------- check: parameters

run check --rules "$M" --as-of "$DAY" "$D/four.xml"
status 0 "four passengers (a warning)"
out_has "4 passengers, more than 3." "four passengers"
run check --rules "$M" --as-of "$DAY" --param max-passengers=5 "$D/four.xml"
status 0 "--param max-passengers=5"
out_lacks "MINI-PAX-001" "--param max-passengers=5"
run check --rules "$M" --as-of "$DAY" --param max-passengers=1 "$D/clean.xml"
status 0 "--param max-passengers=1"
out_lacks "MINI-PAX-001" "--param max-passengers=1 with one passenger"
run check --rules "$M" --as-of "$DAY" --param max-passengers=0 --fail-on warning "$D/clean.xml"
status 1 "--param max-passengers=0 --fail-on warning"
out_has "1 passengers, more than 0." "--param max-passengers=0"
run check --rules "$M" --as-of "$DAY" --param max-passengers=0 --format json "$D/clean.xml"
json_ok "--param with --format json" "
ids = [f['rule'] for f in d['findings']]
assert ids == ['MINI-PAX-001'], ids"
run check --rules "$M" --as-of "$DAY" --param max-pasengers=5 "$D/four.xml"
status 2 "--param with an unknown name"
err_has "max-pasengers" "--param with an unknown name"
err_has "max-passengers" "--param with an unknown name (the list)"
out_lacks "MINI" "--param with an unknown name"
for bad in max-passengers =5 ''; do
	run check --rules "$M" --as-of "$DAY" --param "$bad" "$D/four.xml"
	status 2 "--param '$bad'"
	err_has "NAME=VALUE" "--param '$bad'"
done

# ---------------------------------------------------------------- check: XML Schema

run check --rules "$M" --as-of "$DAY" "$D/structure.xml"
status 1 "a booking that breaks the XSD"
out_has "XSD" "a booking that breaks the XSD"
out_has "pet" "a booking that breaks the XSD"
out_has "created" "a booking that breaks the XSD"
out_has "2 errors" "a booking that breaks the XSD"
run check --rules "$M" --as-of "$DAY" --format json "$D/structure.xml"
json_ok "XSD findings in JSON" "
fs = d['findings']
x = [f for f in fs if f['rule'] == 'XSD']
assert len(x) == 2, fs
assert sorted(f['line'] for f in x) == [1, 3], x
assert all(f['severity'] == 'error' and f['kind'] == 'schema' for f in x), x
assert all('booking.xsd' in f['test'] for f in x), x
assert d['documents'][0]['errors'] == 2, d['documents']"
run check --rules "$M" --as-of "$DAY" --no-xsd "$D/structure.xml"
status 0 "--no-xsd"
out_lacks "XSD" "--no-xsd"
out_has "no findings" "--no-xsd"
# a document of another kind is not validated
run check --rules "$M" --as-of "$DAY" "$D/visa-work.xml"
status 0 "a visa with no XSD for its kind"
out_has "no findings" "a visa with no XSD for its kind"
# a pack whose XSD does not compile does not load
cp -r "$M" "$tmp/badxsd"
printf '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n  <xs:element name="booking" type="nosuch"/>\n</xs:schema>\n' \
	>"$tmp/badxsd/schemas/booking.xsd"
run check --rules "$tmp/badxsd" --as-of "$DAY" "$D/clean.xml"
status 3 "a pack with a broken XSD"
err_has "booking.xsd" "a pack with a broken XSD"
# nor one with an xs:pattern that could make libxml2's matcher take time growing faster
# than the value (pk's old Email pattern): the facet's file and line, and why
printf '%s\n' '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' \
	'  <xs:element name="booking"><xs:simpleType><xs:restriction base="xs:token">' \
	'    <xs:pattern value="[^@\s]+@[^@\s]+\.[^@\s]+"/>' \
	'  </xs:restriction></xs:simpleType></xs:element>' '</xs:schema>' \
	>"$tmp/badxsd/schemas/booking.xsd"
run check --rules "$tmp/badxsd" --as-of "$DAY" "$D/clean.xml"
status 3 "a pack with an unsafe xs:pattern"
err_has "booking.xsd:3: xs:pattern" "a pack with an unsafe xs:pattern"
err_has "can both match '.'" "a pack with an unsafe xs:pattern"
run rules lint "$tmp/badxsd"
status 3 "rules lint: a pack with an unsafe xs:pattern"

# ---------------------------------------------------------------- check: jurisdiction and date

run check --rules "$M" --as-of "$DAY" "$D/punjab.xml"
status 0 "no --jurisdiction: every rule"
out_has "MINI-PB-001" "no --jurisdiction"
run check --rules "$M" --as-of "$DAY" --jurisdiction PK-PB "$D/punjab.xml"
out_has "MINI-PB-001" "--jurisdiction PK-PB"
run check --rules "$M" --as-of "$DAY" -j PK-PB "$D/punjab.xml"
out_has "MINI-PB-001" "-j PK-PB"
run check --rules "$M" --as-of "$DAY" --jurisdiction PK-SD "$D/punjab.xml"
status 0 "--jurisdiction PK-SD"
out_lacks "MINI-PB-001" "--jurisdiction PK-SD"
run check --rules "$M" --as-of "$DAY" --jurisdiction PK "$D/punjab.xml"
status 0 "--jurisdiction PK"
out_lacks "MINI-PB-001" "--jurisdiction PK"

# without --rules: the embedded overlay of the jurisdiction
run check --as-of "$DAY" --jurisdiction PK-PB --format json "$srcdir/examples/bookings/umrah-family.xml"
json_ok "--jurisdiction PK-PB without --rules" "
assert d['rules']['id'] == 'pk-pb', d['rules']"
run check --as-of "$DAY" --jurisdiction pk-sd --format json "$srcdir/examples/bookings/umrah-family.xml"
json_ok "--jurisdiction PK-SD without --rules (no overlay)" "
assert d['rules']['id'] != 'pk-pb', d['rules']"
run check --as-of "$DAY" --jurisdiction ../x "$srcdir/examples/bookings/umrah-family.xml"
status 2 "--jurisdiction ../x (not a code: a usage error)"
err_has "../x" "--jurisdiction ../x"

run check --rules "$M" --as-of 2026-12-01 "$D/noid.xml"
status 0 "--as-of before a rule is in force"
out_lacks "MINI-NEW-001" "--as-of before a rule is in force"
run check --rules "$M" --as-of 2027-01-01 "$D/noid.xml"
status 1 "--as-of the day a rule comes into force"
out_has "MINI-NEW-001" "--as-of the day a rule comes into force"
run check --rules "$M" --as-of 2027-06-30 "$D/noid.xml"
status 1 "--as-of after a rule came into force"
out_has "The booking has no id." "--as-of after a rule came into force"

# ---------------------------------------------------------------- rules list

run rules list "$M"
status 0 "rules list"
out_has "mini 0.3.0: A small pack (7 rules)" "rules list"
for id in $ALL; do
	out_has "$id" "rules list"
done
out_has "Travel Agencies Act 1976, s.6" "rules list"
out_has "max-passengers = 3" "rules list"
out_has "phases: lic trips" "rules list"
out_has "in force 2027-01-01.." "rules list"
out_has "PK-PB" "rules list"
out_lacks "(no Urdu)" "rules list"

run rules list --format json "$M"
status 0 "rules list --format json"
json_ok "rules list --format json" "
assert d['pack']['id'] == 'mini' and d['pack']['version'] == '0.3.0', d['pack']
assert d['pack']['title'] == 'A small pack' and d['pack']['jurisdiction'] == 'PK', d['pack']
rules = {r['id']: r for r in d['rules']}
assert sorted(rules) == sorted('$ALL'.split()), sorted(rules)
sev = {k: r['severity'] for k, r in rules.items()}
assert sev == {'MINI-LIC-001': 'error', 'MINI-LIC-002': 'error', 'MINI-PAX-001': 'warning',
               'MINI-DOC-001': 'warning', 'MINI-NEW-001': 'error', 'MINI-PB-001': 'info',
               'MINI-RISK-001': 'warning'}, sev
assert all(r['cite'] for r in d['rules']), d['rules']
assert rules['MINI-LIC-001']['cite'] == 'Travel Agencies Act 1976, s.6'
assert rules['MINI-LIC-002']['confidence'] == 'U' and rules['MINI-LIC-001']['tags'] == 'LIC'
assert rules['MINI-NEW-001']['effective_from'] == '2027-01-01'
assert rules['MINI-PB-001']['jurisdiction'] == 'PK-PB'
assert rules['MINI-PAX-001']['kind'] == 'report' and rules['MINI-LIC-001']['kind'] == 'assert'
assert all(r['urdu'] is True for r in d['rules'])
assert d['params'] == [{'name': 'max-passengers', 'value': '3'}], d['params']
assert d['phases'] == ['lic', 'trips'], d['phases']"

run rules list --format json "$srcdir/rules/pk"
status 0 "rules list --format json rules/pk"
json_ok "rules list --format json rules/pk" "
assert d['pack']['id'] == 'pk'
assert len(d['rules']) > 10
assert all(r['id'] and r['cite'] and r['severity'] in ('error', 'warning', 'info') for r in d['rules'])
names = [p['name'] for p in d['params']]
assert len(names) == len(set(names)), 'a parameter listed twice: %s' % sorted(n for n in names if names.count(n) > 1)"

run rules list --format yaml "$M"
status 2 "rules list --format yaml"
run rules list "$tmp/nowhere"
status 3 "rules list of a missing pack"
err_has "nowhere" "rules list of a missing pack"

# ---------------------------------------------------------------- rules lint

run rules lint "$M"
status 0 "rules lint on a clean pack"
out_has "mini: 7 rules, 0 problems" "rules lint on a clean pack"

# duplicate ids across the schemas of a pack
mkdir -p "$tmp/lint-dup"
cp "$M/mini.sch" "$tmp/lint-dup/a.sch"
cp -r "$M/tables" "$tmp/lint-dup/"
cat >"$tmp/lint-dup/b.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:rd="urn:rahdari:rules:1">
  <sch:pattern id="again">
    <sch:rule context="*">
      <sch:assert id="MINI-LIC-001" rd:cite="x" rd:tags="X" rd:confidence="U" diagnostics="ur"
                  test="true()">again</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics><sch:diagnostic id="ur" xml:lang="ur">دوبارہ</sch:diagnostic></sch:diagnostics>
</sch:schema>
EOF
printf '<pack xmlns="urn:rahdari:pack:1" id="dup"><schema href="a.sch"/><schema href="b.sch"/></pack>\n' \
	>"$tmp/lint-dup/pack.xml"
run rules lint "$tmp/lint-dup"
status 1 "rules lint: a duplicate id"
out_has "b.sch:" "rules lint: a duplicate id"
out_has "MINI-LIC-001: the id is used again (first at $tmp/lint-dup/a.sch:" "rules lint: a duplicate id"
out_has "dup: 8 rules, 1 problem" "rules lint: a duplicate id"

# a rule without rd:cite
mkdir -p "$tmp/lint-cite"
cp -r "$M/tables" "$tmp/lint-cite/"
sed 's| rd:cite="Project choice"||' "$M/mini.sch" >"$tmp/lint-cite/mini.sch"
printf '<pack xmlns="urn:rahdari:pack:1" id="nocite"><schema href="mini.sch"/></pack>\n' >"$tmp/lint-cite/pack.xml"
run rules lint "$tmp/lint-cite"
status 1 "rules lint: no citation"
out_has "MINI-PAX-001: no citation (rd:cite)" "rules lint: no citation"
out_has "mini.sch:" "rules lint: no citation"
out_has "nocite: 7 rules, 1 problem" "rules lint: no citation"

# a rule without its Urdu diagnostic
mkdir -p "$tmp/lint-ur"
cp -r "$M/tables" "$tmp/lint-ur/"
sed 's| diagnostics="MINI-RISK-001-ur"||' "$M/mini.sch" >"$tmp/lint-ur/mini.sch"
printf '<pack xmlns="urn:rahdari:pack:1" id="nour"><schema href="mini.sch"/></pack>\n' >"$tmp/lint-ur/pack.xml"
run rules lint "$tmp/lint-ur"
status 1 "rules lint: no Urdu"
out_has "MINI-RISK-001: no message in 'ur'" "rules lint: no Urdu"
out_has "nour: 7 rules, 1 problem" "rules lint: no Urdu"
run rules lint --lang en "$tmp/lint-ur"
status 0 "rules lint --lang en"
run rules lint --lang ur --lang fr "$M"
status 1 "rules lint --lang ur --lang fr"
out_has "MINI-LIC-001: no message in 'fr'" "rules lint --lang fr"
out_has "7 problems" "rules lint --lang fr"

# a pack that does not load: status 3, the file and line
mkdir -p "$tmp/lint-broken"
cat >"$tmp/lint-broken/bad.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <sch:pattern>
    <sch:rule context="*">
      <sch:assert id="X" test="count((">x</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
printf '<pack xmlns="urn:rahdari:pack:1" id="broken"><schema href="bad.sch"/></pack>\n' >"$tmp/lint-broken/pack.xml"
run rules lint "$tmp/lint-broken"
status 3 "rules lint: a pack that does not load"
err_has "bad.sch:4:" "rules lint: a pack that does not load"
err_has "count((" "rules lint: a pack that does not load"
printf '<pack xmlns="urn:rahdari:pack:1" id="x">\n  <schema href="bad.sch"/>\n' >"$tmp/lint-broken/pack.xml"
run rules lint "$tmp/lint-broken"
status 3 "rules lint: a manifest that is not XML"
err_has "pack.xml:" "rules lint: a manifest that is not XML"

# keys: lint loads them, and names the file and line of a bad one
mkdir -p "$tmp/lint-key"
cat >"$tmp/lint-key/keys.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:rd="urn:rahdari:rules:1"
            xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt">
  <xsl:key name="item" match="item" use="@code"/>
  <sch:pattern>
    <sch:rule context="order">
      <sch:assert id="K-1" rd:cite="x" rd:tags="X" rd:confidence="U" diagnostics="ur"
                  test="key('item', @ref)">no item</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics><sch:diagnostic id="ur" xml:lang="ur">کوئی آئٹم نہیں</sch:diagnostic></sch:diagnostics>
</sch:schema>
EOF
printf '<pack xmlns="urn:rahdari:pack:1" id="keys"><schema href="keys.sch"/></pack>\n' >"$tmp/lint-key/pack.xml"
run rules lint "$tmp/lint-key"
status 0 "rules lint: a pack with a key"
out_has "keys: 1 rules, 0 problems" "rules lint: a pack with a key"
sed "s|key('item', @ref)|key('items', @ref)|" "$tmp/lint-key/keys.sch" >"$tmp/lint-key/k" &&
	mv "$tmp/lint-key/k" "$tmp/lint-key/keys.sch"
run rules lint "$tmp/lint-key"
status 3 "rules lint: key() naming no key"
err_has "keys.sch:7:" "rules lint: key() naming no key"
err_has "key('items'): no xsl:key of this name" "rules lint: key() naming no key"
sed 's|name="item" match="item"|name="items" match="item["|' "$tmp/lint-key/keys.sch" >"$tmp/lint-key/k" &&
	mv "$tmp/lint-key/k" "$tmp/lint-key/keys.sch"
run rules lint "$tmp/lint-key"
status 3 "rules lint: a bad key pattern"
err_has "keys.sch:3:" "rules lint: a bad key pattern"
err_has "xsl:key/@match" "rules lint: a bad key pattern"

# ---------------------------------------------------------------- rules test

run rules test "$M"
status 0 "rules test on a passing pack"
out_has "$NTESTS tests: $NTESTS passed, 0 failed" "rules test on a passing pack"
out_has "coverage: 7 of 7 rules tested both ways; 0 never fired" "rules test on a passing pack"
out_lacks "FAIL" "rules test on a passing pack"
run rules test --verbose "$M"
status 0 "rules test --verbose"
out_has "ok   $T/lic-002-other-licence.xml" "rules test --verbose"
[ "$(grep -c '^ok ' "$tmp/out")" -eq "$NTESTS" ] || fail "rules test --verbose: not one line per test"
run rules test "$M/pack.xml"
status 0 "rules test PACK/pack.xml"
run rules test --tests "$T" "$M"
status 0 "rules test --tests DIR"
out_has "$NTESTS tests: $NTESTS passed, 0 failed" "rules test --tests DIR"
run rules test "$M/mini.sch"
status 2 "rules test of a schema without --tests"
run rules test
status 2 "rules test without a pack"

# each PI option matters: without the file it names, the test fails
cp -r "$M" "$tmp/t-fail"
TF=$tmp/t-fail/tests
booking "$TF/zz-wrong.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-PAX-001" as-of="2026-12-01"?>'
run rules test "$tmp/t-fail"
status 1 "rules test with a failing test"
out_has "FAIL $TF/zz-wrong.xml: MINI-PAX-001 did not fire" "rules test with a failing test"
out_has "$((NTESTS + 1)) tests: $NTESTS passed, 1 failed" "rules test with a failing test"
rm "$TF/zz-wrong.xml"
booking "$TF/zz-fired.xml" 'id="B1"' 'licence="L-9"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-001" as-of="2026-12-01"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: a rule fired that should not"
out_has "FAIL $TF/zz-fired.xml: MINI-LIC-001 fired (Licence L-9 is not on the register.)" \
	"rules test: a rule fired that should not"
rm "$TF/zz-fired.xml"
booking "$TF/zz-unknown.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-NOPE-001" as-of="2026-12-01"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: an unknown rule id"
out_has "MINI-NOPE-001 is not a rule of the pack" "rules test: an unknown rule id"
rm "$TF/zz-unknown.xml"
booking "$TF/zz-param.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-PAX-001" as-of="2026-12-01" param-max-pasengers="5"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: an unknown parameter"
out_has "FAIL $TF/zz-param.xml" "rules test: an unknown parameter"
out_has "max-pasengers" "rules test: an unknown parameter"
rm "$TF/zz-param.xml"
booking "$TF/zz-missing.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01" licence="support/nowhere.xml"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: a licence file that does not exist"
out_has "FAIL $TF/zz-missing.xml" "rules test: a licence file that does not exist"
out_has "nowhere.xml" "rules test: a licence file that does not exist"
rm "$TF/zz-missing.xml"
booking "$TF/zz-table.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-RISK-001" as-of="2026-12-01" table-carriers="support/nowhere.csv"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: a table file that does not exist"
out_has "nowhere.csv" "rules test: a table file that does not exist"
rm "$TF/zz-table.xml"
# the structure of a test document is checked too, unless the test expects XSD
booking "$TF/zz-xsd.xml" 'id="B1" created="yesterday"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-001" as-of="2026-12-01"?>'
run rules test "$tmp/t-fail"
status 1 "rules test: a test document that breaks the XSD"
out_has "FAIL $TF/zz-xsd.xml: structure error" "rules test: a test document that breaks the XSD"
rm "$TF/zz-xsd.xml"
run rules test "$tmp/t-fail"
status 0 "rules test after removing the failing tests"

# attributes of the instruction on several lines, or separated by tabs
TAB=$(printf '\t')
cat >"$TF/zz-lines.xml" <<EOF
<?rahdari-test fires="MINI-LIC-002 MINI-DOC-001"
as-of="2026-12-01"
licence="support/licence-l2.xml"${TAB}doc-visa="support/visa-work.xml"?>
<booking xmlns="urn:rahdari:doc:1" id="B1"><agency licence="L-1"/></booking>
EOF
run rules test "$tmp/t-fail"
status 0 "rules test: a test instruction on several lines"
out_lacks "FAIL" "rules test: a test instruction on several lines"
rm "$TF/zz-lines.xml"

# an untested rule
cp -r "$M" "$tmp/t-untested"
rm "$tmp/t-untested/tests/risk-001-listed.xml"
run rules test "$tmp/t-untested"
status 1 "rules test with an untested rule"
out_has "$((NTESTS - 1)) tests: $((NTESTS - 1)) passed, 0 failed" "rules test with an untested rule"
out_has "untested: MINI-RISK-001" "rules test with an untested rule"
out_has "never fired: MINI-RISK-001" "rules test with an untested rule"
rm "$tmp/t-untested/tests/risk-001-table.xml" "$tmp/t-untested/tests/phase-licensing.xml"
sed 's| MINI-RISK-001||' "$M/tests/clean.xml" >"$tmp/t-untested/tests/clean.xml"
run rules test "$tmp/t-untested"
status 1 "rules test with a rule tested neither way"
out_has "untested: MINI-RISK-001 (no test where it fires, none where it does not)" \
	"rules test with a rule tested neither way"
# a pack without tests
mkdir -p "$tmp/t-none"
cp "$M/mini.sch" "$tmp/t-none/" && cp -r "$M/tables" "$tmp/t-none/"
printf '<pack xmlns="urn:rahdari:pack:1" id="none"><schema href="mini.sch"/></pack>\n' >"$tmp/t-none/pack.xml"
run rules test "$tmp/t-none"
status 2 "rules test of a pack without tests"
err_has "tests" "rules test of a pack without tests"
mkdir -p "$tmp/t-empty"
run rules test --tests "$tmp/t-empty" "$tmp/t-none"
status 1 "rules test with an empty test directory"
out_has "0 tests: 0 passed, 0 failed" "rules test with an empty test directory"
run rules test "$tmp/lint-broken"
status 3 "rules test of a pack that does not load"

# ---------------------------------------------------------------- an overlay

O=$tmp/mini-pb
mkdir -p "$O/tests"
cat >"$O/pack.xml" <<'EOF'
<pack xmlns="urn:rahdari:pack:1" id="mini-pb" version="0.9.0" jurisdiction="PK-PB">
  <title>A small overlay</title>
  <extends href="../mini"/>
  <schema href="pb.sch"/>
  <severity rule="MINI-PAX-001" value="error"/>
  <tests href="tests"/>
</pack>
EOF
cat >"$O/pb.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:rd="urn:rahdari:rules:1">
  <sch:ns prefix="d" uri="urn:rahdari:doc:1"/>
  <sch:pattern id="pb">
    <sch:rule context="d:booking">
      <sch:assert id="MINI-PB-002" rd:cite="Punjab rules" rd:tags="LIC" rd:confidence="U"
                  rd:jurisdiction="PK-PB" diagnostics="MINI-PB-002-ur"
                  test="d:agency/@province">The agency's province is not given.</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics><sch:diagnostic id="MINI-PB-002-ur" xml:lang="ur">صوبہ درج نہیں۔</sch:diagnostic></sch:diagnostics>
</sch:schema>
EOF
booking "$O/tests/pb-002-no-province.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test fires="MINI-PB-002" as-of="2026-12-01"?>'
booking "$O/tests/pb-002-province.xml" 'id="B1"' 'licence="L-1" province="PK-PB"' 1 PK \
	'<?rahdari-test not-fires="MINI-PB-002" as-of="2026-12-01"?>'
run rules test "$O"
status 0 "rules test on an overlay (its base's tests too)"
out_has "$((NTESTS + 2)) tests: $((NTESTS + 2)) passed, 0 failed" "rules test on an overlay"
out_has "coverage: 8 of 8 rules tested both ways" "rules test on an overlay"
run rules test --verbose "$O"
status 0 "rules test --verbose on an overlay"
first=$(grep '^ok ' "$tmp/out" | head -n 1)
last=$(grep '^ok ' "$tmp/out" | tail -n 1)
case $first in *"/mini/tests/"*) ;; *) fail "rules test on an overlay: the base's tests do not come first: $first" ;; esac
case $last in *"/mini-pb/tests/"*) ;; *) fail "rules test on an overlay: the overlay's tests do not come last: $last" ;; esac
run rules list --format json "$O"
status 0 "rules list of an overlay"
json_ok "rules list of an overlay" "
assert d['pack'] == {'id': 'mini-pb', 'version': '0.9.0', 'title': 'A small overlay', 'jurisdiction': 'PK-PB'}, d['pack']
ids = [r['id'] for r in d['rules']]
assert ids[-1] == 'MINI-PB-002' and len(ids) == 8, ids
assert [r['severity'] for r in d['rules'] if r['id'] == 'MINI-PAX-001'] == ['error']"
run rules lint "$O"
status 0 "rules lint of an overlay"
out_has "mini-pb: 8 rules, 0 problems" "rules lint of an overlay"
run check --rules "$O" --as-of "$DAY" "$D/four.xml"
status 1 "check with an overlay: the severity it sets"
out_has "error   MINI-PAX-001" "check with an overlay"
out_has "MINI-PB-002" "check with an overlay"
out_has "mini-pb 0.9.0" "check with an overlay"
# an overlay whose severity names no rule, and overlays that extend each other
sed 's|rule="MINI-PAX-001"|rule="MINI-PAX-009"|' "$O/pack.xml" >"$tmp/pack.xml" && cp "$tmp/pack.xml" "$O/pack.xml"
run rules lint "$O"
status 3 "an overlay with a severity for no rule"
err_has "MINI-PAX-009" "an overlay with a severity for no rule"
mkdir -p "$tmp/loop-a" "$tmp/loop-b"
printf '<pack xmlns="urn:rahdari:pack:1" id="a"><extends href="../loop-b"/></pack>\n' >"$tmp/loop-a/pack.xml"
printf '<pack xmlns="urn:rahdari:pack:1" id="b"><extends href="../loop-a"/></pack>\n' >"$tmp/loop-b/pack.xml"
run rules list "$tmp/loop-a"
status 3 "packs that extend each other"
err_has "extends" "packs that extend each other"

# ---------------------------------------------------------------- the packs of the source tree

run rules lint "$srcdir/rules/pk"
status 0 "rules lint rules/pk"
out_has "0 problems" "rules lint rules/pk"
run rules lint "$srcdir/rules/pk-pb"
status 0 "rules lint rules/pk-pb"
run rules test "$srcdir/rules/pk"
status 0 "rules test rules/pk"
out_has " 0 failed" "rules test rules/pk"
out_lacks "untested:" "rules test rules/pk"
run rules test "$srcdir/rules/pk-pb"
status 0 "rules test rules/pk-pb"
out_has " 0 failed" "rules test rules/pk-pb"
out_lacks "untested:" "rules test rules/pk-pb"
# the overlay runs the federal pack's tests too
n_pk=$(find "$srcdir/rules/pk/tests" -name '*.xml' -exec grep -l '<?rahdari-test' {} + | wc -l | tr -d ' ')
n_pb=$(find "$srcdir/rules/pk-pb/tests" -name '*.xml' -exec grep -l '<?rahdari-test' {} + | wc -l | tr -d ' ')
out_has "$((n_pk + n_pb)) tests: $((n_pk + n_pb)) passed" "rules test rules/pk-pb runs the tests of rules/pk"

# ---------------------------------------------------------------- what a pack may read
#
# A pack reads only files under its own directory and those of the packs it extends,
# symbolic links resolved; so do its tests' instructions (under the test directory or
# the pack). A refusal names the file and line that asked, exits 3 and never shows what
# the file outside holds.

S=$tmp/secret
mkdir -p "$S"
printf 'number,status\nTOPSECRET-1,VALID\n' >"$S/secret.csv"
printf '<licence xmlns="urn:rahdari:doc:1" number="TOPSECRET-2" type="travel-agency"/>\n' >"$S/secret.xml"
booking "$tmp/docs/confine.xml" 'id="B1"' 'licence="L-1"' 1 PK

cp -r "$M" "$tmp/c-table"
sed 's|href="tables/register.csv"|href="../secret/secret.csv"|' "$M/mini.sch" >"$tmp/c-table/mini.sch"
run check --rules "$tmp/c-table" --as-of 2026-12-01 "$tmp/docs/confine.xml"
status 3 "a pack's table outside it (..)"
err_has 'mini.sch:' "a pack's table outside it (..)"
err_has 'rd:table href="../secret/secret.csv": outside the pack' "a pack's table outside it (..)"
err_lacks "TOPSECRET" "a pack's table outside it (..)"
out_lacks "TOPSECRET" "a pack's table outside it (..)"
sed "s|href=\"tables/register.csv\"|href=\"$S/secret.csv\"|" "$M/mini.sch" >"$tmp/c-table/mini.sch"
run check --rules "$tmp/c-table" --as-of 2026-12-01 "$tmp/docs/confine.xml"
status 3 "a pack's table outside it (absolute path)"
err_has "outside the pack" "a pack's table outside it (absolute path)"
cp "$M/mini.sch" "$tmp/c-table/mini.sch"
rm "$tmp/c-table/tables/register.csv"
ln -s "$S/secret.csv" "$tmp/c-table/tables/register.csv"
run check --rules "$tmp/c-table" --as-of 2026-12-01 "$tmp/docs/confine.xml"
status 3 "a pack's table that is a link out of it"
err_has 'rd:table href="tables/register.csv": outside the pack' "a pack's table that is a link out of it"
err_lacks "TOPSECRET" "a pack's table that is a link out of it"
run rules lint "$tmp/c-table"
status 3 "rules lint of a pack with a link out of it"
# a link that stays inside the pack is followed
rm "$tmp/c-table/tables/register.csv"
cp "$M/tables/register.csv" "$tmp/c-table/register-real.csv"
ln -s ../register-real.csv "$tmp/c-table/tables/register.csv"
run check --rules "$tmp/c-table" --as-of 2026-12-01 "$tmp/docs/confine.xml"
status 0 "a pack's table that is a link inside it"
# and so is a pack reached through a link
ln -s "$tmp/c-table" "$tmp/c-link"
run check --rules "$tmp/c-link" --as-of 2026-12-01 "$tmp/docs/confine.xml"
status 0 "a pack that is itself a link"

# the tests of a pack: instructions and files found in the test directory
cp -r "$M" "$tmp/c-tests"
CT=$tmp/c-tests/tests
booking "$CT/zz-out.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01" licence="../../secret/secret.xml"?>'
run rules test "$tmp/c-tests"
status 3 "rules test: an instruction naming a file outside the pack"
err_has "zz-out.xml:1: licence=\"../../secret/secret.xml\": outside the test directory and the pack" \
	"rules test: an instruction naming a file outside the pack"
out_has "FAIL $CT/zz-out.xml:" "rules test: an instruction naming a file outside the pack"
err_lacks "TOPSECRET" "rules test: an instruction naming a file outside the pack"
out_lacks "TOPSECRET" "rules test: an instruction naming a file outside the pack"
booking "$CT/zz-out.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	"<?rahdari-test not-fires=\"MINI-LIC-001\" as-of=\"2026-12-01\" register=\"$S/secret.csv\"?>"
run rules test "$tmp/c-tests"
status 3 "rules test: an instruction naming an absolute path"
err_has "register=\"$S/secret.csv\": outside" "rules test: an instruction naming an absolute path"
ln -s "$S/secret.xml" "$CT/support/linked.xml"
booking "$CT/zz-out.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01" licence="support/linked.xml"?>'
run rules test "$tmp/c-tests"
status 3 "rules test: an instruction naming a link out of the pack"
err_has 'licence="support/linked.xml": outside' "rules test: an instruction naming a link out of the pack"
rm "$CT/zz-out.xml" "$CT/support/linked.xml"
# a test file that is a link out of the pack is neither read nor run
booking "$S/outside-test.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01"?>'
ln -s "$S/outside-test.xml" "$CT/zz-linked.xml"
run rules test "$tmp/c-tests"
status 3 "rules test: a test file that is a link out of the pack"
err_has "zz-linked.xml: a symbolic link out of the test directory" \
	"rules test: a test file that is a link out of the pack"
rm "$CT/zz-linked.xml"
# links that loop back into the test directory: each directory is walked once
ln -s . "$CT/loop-a"
ln -s .. "$CT/support/loop-b"
run rules test "$tmp/c-tests"
status 0 "rules test: links that loop inside the test directory"
out_has "$NTESTS tests: $NTESTS passed, 0 failed" "rules test: links that loop inside the test directory"
rm "$CT/loop-a" "$CT/support/loop-b"
# a file of the pack outside the test directory may be named
cp "$SUP/licence-l1.xml" "$tmp/c-tests/licence-in-pack.xml"
booking "$CT/zz-pack.xml" 'id="B1"' 'licence="L-1"' 1 PK \
	'<?rahdari-test not-fires="MINI-LIC-002" as-of="2026-12-01" licence="../licence-in-pack.xml"?>'
run rules test "$tmp/c-tests"
status 0 "rules test: an instruction naming a file of the pack"
out_has "$((NTESTS + 1)) tests: $((NTESTS + 1)) passed, 0 failed" \
	"rules test: an instruction naming a file of the pack"

# ---------------------------------------------------------------- result

finish cli_packs.sh
