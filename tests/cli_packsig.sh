#!/bin/sh
# rahdari tests: signed rule packs from the command line.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_packsig.sh
#
# `rahdari rules manifest`, `sign` and `verify` on copies of rules/pk and rules/pk-pb and
# on small packs written here, with a PKI made by tests/packsig_pki.sh (root and
# intermediate CAs, good, expired, revoked, weak and TLS-server signers, a self-signed
# outsider, a CRL in PEM and DER): the round trip, interoperability with `openssl cms`
# both ways, every kind of alteration and every kind of bad signer, then
# `check --require-signed` and `audit --require-signed`. Skipped (77) without openssl.
# Prints each failure and exits 1 if there was any; 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_packsig.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
if [ ! -f "$srcdir/rules/pk/pack.xml" ]; then
	echo "cli_packsig.sh: rules/pk not found under $srcdir (set srcdir)" >&2
	exit 99
fi
if ! command -v openssl >/dev/null 2>&1; then
	echo "SKIP: no openssl command to make the test certificates"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdpacksig.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

. "$srcdir/tests/cli_lib.sh"

P=$tmp/pki
mkdir -p "$P"
sh "$srcdir/tests/packsig_pki.sh" "$P" || { echo "cli_packsig.sh: could not make the PKI" >&2; exit 99; }

# a fresh writable copy of a pack of the source tree: fresh NAME SOURCE
fresh() {
	rm -rf "${tmp:?}/$1"
	cp -R "$srcdir/rules/$2" "$tmp/$1" && chmod -R u+w "$tmp/$1"
}

# osign DIR CERT [OPENSSL-OPTIONS...]: openssl signs DIR/SIGNED-FILES as DIR/pack.sig
osign() {
	d=$1
	c=$2
	shift 2
	openssl cms -sign -binary -outform DER -in "$d/SIGNED-FILES" -out "$d/pack.sig" \
		-signer "$P/$c.pem" -inkey "$P/$c.key" "$@" 2>"$tmp/osslerr" ||
		fail "openssl cms -sign $c $*: $(show "$tmp/osslerr")"
}

# verify DIR EXPECTED-STATUS WHAT [OPTIONS...]: rahdari rules verify with the root as trust
verify() {
	d=$1
	e=$2
	w=$3
	shift 3
	run rules verify --trust "$P/ca.pem" "$@" "$d"
	status "$e" "$w"
}

# ---------------------------------------------------------------- round trip on rules/pk

fresh pk pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pk"
status 0 "sign pk"
out_has "signed (SIGNED-FILES, pack.sig)" "sign pk"
[ -f "$tmp/pk/SIGNED-FILES" ] && [ -f "$tmp/pk/pack.sig" ] || fail "sign pk: files not written"
[ "$(head -n 1 "$tmp/pk/SIGNED-FILES")" = "rahdari-signed-files 1" ] ||
	fail "manifest: first line $(head -n 1 "$tmp/pk/SIGNED-FILES")"
# every regular file but the two is listed, sorted by name, with its size and digest
(cd "$tmp/pk" && find . -type f ! -name SIGNED-FILES ! -name pack.sig | sed 's#^\./##' |
	LC_ALL=C sort) >"$tmp/files.expected"
tail -n +2 "$tmp/pk/SIGNED-FILES" | awk '{ print $3 }' >"$tmp/files.listed"
cmp -s "$tmp/files.expected" "$tmp/files.listed" ||
	fail "manifest: the files listed differ from the pack's: $(diff "$tmp/files.expected" "$tmp/files.listed" | head -5 | tr '\n' '|')"
line=$(grep ' lic.sch$' "$tmp/pk/SIGNED-FILES")
size=$(wc -c <"$tmp/pk/lic.sch" | tr -d ' ')
[ "$(echo "$line" | awk '{ print $2 }')" = "$size" ] || fail "manifest: size of lic.sch: $line, $size bytes"
if command -v sha256sum >/dev/null 2>&1; then
	[ "$(echo "$line" | awk '{ print $1 }')" = "$(sha256sum "$tmp/pk/lic.sch" | awk '{ print $1 }')" ] ||
		fail "manifest: digest of lic.sch: $line"
	# doc/packsig.md: checking the files with sha256sum alone
	(cd "$tmp/pk" && tail -n +2 SIGNED-FILES | awk '{ print $1 "  " $3 }' | sha256sum -c --quiet -) \
		>"$tmp/sha" 2>&1 || fail "sha256sum -c on the manifest: $(show "$tmp/sha")"
fi
verify "$tmp/pk" 0 "verify pk"
out_has "verified" "verify pk"
out_has "CN=Rule Pack Signer" "verify pk: signer"
out_has "SHA256" "verify pk: digest"
run rules verify --trust "$P/ca.pem" --format json "$tmp/pk"
status 0 "verify --format json"
if [ -n "${PYTHON_TESTS:-}" ] && command -v "$PYTHON_TESTS" >/dev/null 2>&1; then
	"$PYTHON_TESTS" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verified"] is True and d["status"] == "ok" and d["warnings"] == [], d
assert d["files"] > 200 and d["problems"] == [], d
assert "Rule Pack Signer" in d["signer"] and d["digest"] == "SHA256", d
assert d["signing_time"] and d["checked_at"], d
' "$tmp/out" 2>"$tmp/pyerr" || fail "verify --format json: $(show "$tmp/pyerr")"
fi
# the manifest is deterministic
run rules manifest --output - "$tmp/pk"
status 0 "manifest -o -"
cmp -s "$tmp/out" "$tmp/pk/SIGNED-FILES" || fail "rules manifest: not the manifest sign wrote"
# PACK may be the pack.xml
verify "$tmp/pk/pack.xml" 0 "verify pack.xml"

# ---------------------------------------------------------------- interoperability with openssl

openssl cms -verify -binary -inform DER -content "$tmp/pk/SIGNED-FILES" -in "$tmp/pk/pack.sig" \
	-CAfile "$P/ca.pem" -purpose any -out /dev/null >"$tmp/ossl" 2>&1 ||
	fail "openssl cms -verify refuses rahdari's signature: $(show "$tmp/ossl")"
fresh pko pk
run rules manifest "$tmp/pko"
status 0 "rules manifest"
out_has "SIGNED-FILES:" "rules manifest"
osign "$tmp/pko" signer -md sha256
verify "$tmp/pko" 0 "a signature made by openssl cms -sign"
osign "$tmp/pko" rsa
verify "$tmp/pko" 0 "openssl, RSA signer"
openssl cms -sign -binary -outform PEM -in "$tmp/pko/SIGNED-FILES" -out "$tmp/pko/pack.sig" \
	-signer "$P/signer.pem" -inkey "$P/signer.key" 2>/dev/null
verify "$tmp/pko" 0 "a PEM signature made by openssl"
osign "$tmp/pko" signer -nocerts
verify "$tmp/pko" 1 "openssl -nocerts, signer not in the trust store"
out_has "neither in pack.sig nor in the trust store" "-nocerts"
run rules verify --trust "$P/signer.pem" "$tmp/pko"
status 0 "openssl -nocerts, the signer's own certificate trusted"
osign "$tmp/pko" signer -nodetach
verify "$tmp/pko" 1 "an attached signature"
out_has "not a detached signature" "attached signature"

# ---------------------------------------------------------------- alterations

fresh pka pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pka"
printf '\n' >>"$tmp/pka/lic.sch"
verify "$tmp/pka" 1 "altered file"
out_has "NOT VERIFIED" "altered file"
out_has "lic.sch: digest mismatch" "altered file"

fresh pka pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pka"
sed 's/PK-LIC-001/PK-LIC-00X/' "$tmp/pka/lic.sch" >"$tmp/lic" && cat "$tmp/lic" >"$tmp/pka/lic.sch"
verify "$tmp/pka" 1 "altered file, same size"
out_has "lic.sch: digest mismatch: SHA-256" "altered file, same size"

fresh pka pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pka"
echo '<x/>' >"$tmp/pka/tables/new.xml"
verify "$tmp/pka" 1 "added file"
out_has "tables/new.xml: file added" "added file"
rm "$tmp/pka/tables/new.xml"
mkdir -p "$tmp/pka/sub/deeper"
: >"$tmp/pka/sub/deeper/.hidden"
verify "$tmp/pka" 1 "added hidden file in a new directory"
out_has "sub/deeper/.hidden: file added" "added hidden file"
rm -r "$tmp/pka/sub"
verify "$tmp/pka" 0 "the added files removed again"
rm "$tmp/pka/tables/fx-rates.csv"
verify "$tmp/pka" 1 "removed file"
out_has "tables/fx-rates.csv: file missing" "removed file"

fresh pka pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pka"
sed 's/ lic.sch$/ lic2.sch/' "$tmp/pka/SIGNED-FILES" >"$tmp/m" && cat "$tmp/m" >"$tmp/pka/SIGNED-FILES"
verify "$tmp/pka" 1 "altered manifest"
out_has "bad signature: pack.sig does not match SIGNED-FILES" "altered manifest"
fresh pka pk
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pka"
head -c 100 "$tmp/pka/pack.sig" >"$tmp/sig" && cat "$tmp/sig" >"$tmp/pka/pack.sig"
verify "$tmp/pka" 1 "truncated signature"
out_has "bad signature" "truncated signature"
rm "$tmp/pka/pack.sig"
verify "$tmp/pka" 1 "no pack.sig"
out_has "unsigned: the manifest SIGNED-FILES is there but the signature pack.sig is missing" "no pack.sig"
fresh pka pk
verify "$tmp/pka" 1 "unsigned pack"
out_has "unsigned: no SIGNED-FILES manifest and no pack.sig signature" "unsigned pack"

# a manifest openssl signed but rahdari cannot read
fresh pkm pk
run rules manifest "$tmp/pkm"
{ head -n 1 "$tmp/pkm/SIGNED-FILES"; tail -n +2 "$tmp/pkm/SIGNED-FILES" | sort -r; } >"$tmp/m"
cat "$tmp/m" >"$tmp/pkm/SIGNED-FILES"
osign "$tmp/pkm" signer
verify "$tmp/pkm" 1 "unsorted manifest"
out_has "bad manifest: SIGNED-FILES: line 3: the paths are not sorted" "unsorted manifest"
{ echo "rahdari-signed-files 1"; echo "0000 1 ../../etc/passwd"; } >"$tmp/pkm/SIGNED-FILES"
osign "$tmp/pkm" signer
verify "$tmp/pkm" 1 "malformed manifest"
out_has "bad manifest" "malformed manifest"

# ---------------------------------------------------------------- signers

fresh pks pk
run rules manifest "$tmp/pks"
osign "$tmp/pks" outsider
verify "$tmp/pks" 1 "self-signed outsider"
out_has "untrusted signer" "outsider"
out_has "CN=Outsider" "outsider"
run rules verify --trust "$P/outsider.pem" "$tmp/pks"
status 0 "the outsider trusted explicitly"
osign "$tmp/pks" expired
verify "$tmp/pks" 1 "expired signer"
out_has "expired: the signer's certificate" "expired signer"
out_has "2021-01-01" "expired signer: the date"
verify "$tmp/pks" 0 "expired signer --as-of 2020-06-01" --as-of 2020-06-01
verify "$tmp/pks" 1 "expired signer --as-of a moment later" --as-of 2021-01-01T00:00:01Z
osign "$tmp/pks" revoked
verify "$tmp/pks" 1 "revoked signer (PEM CRL)" --crl "$P/crl.pem"
out_has "revoked: the signer's certificate" "revoked signer"
verify "$tmp/pks" 1 "revoked signer (DER CRL)" --crl "$P/crl.der"
out_has "revoked" "revoked signer (DER CRL)"
verify "$tmp/pks" 0 "revoked signer, no CRL given"
osign "$tmp/pks" signer
verify "$tmp/pks" 0 "good signer with the CRL" --crl "$P/crl.pem"
osign "$tmp/pks" signer -md sha1
verify "$tmp/pks" 1 "SHA-1 signature"
out_has "SHA1" "SHA-1 signature"
out_has "weak algorithm" "SHA-1 signature"
osign "$tmp/pks" rsa -md sha1
verify "$tmp/pks" 1 "SHA-1 signature, RSA"
osign "$tmp/pks" signer -md sha512
verify "$tmp/pks" 0 "SHA-512 signature"
osign "$tmp/pks" server
verify "$tmp/pks" 1 "TLS server certificate"
out_has "not meant for signing" "TLS server certificate"
osign "$tmp/pks" weak
verify "$tmp/pks" 1 "RSA 1024 signer"
out_has "weak algorithm" "RSA 1024 signer"
osign "$tmp/pks" chained -certfile "$P/inter.pem"
verify "$tmp/pks" 0 "signer of the intermediate, chain included"
osign "$tmp/pks" chained
verify "$tmp/pks" 1 "signer of the intermediate, chain missing"
run rules verify --trust "$P/inter.pem" "$tmp/pks"
status 0 "the intermediate trusted alone"
run rules verify --trust "$P/trustdir" "$tmp/pks"
status 1 "trust directory, chain missing"
osign "$tmp/pks" signer
run rules verify --trust "$P/trustdir" "$tmp/pks"
status 0 "trust directory"

# rahdari sign: chain, encrypted keys, and what it refuses
run rules sign --key "$P/chained.key" --cert "$P/chained.pem" --chain "$P/inter.pem" "$tmp/pks"
status 0 "sign --chain"
verify "$tmp/pks" 0 "verify, signed with --chain"
RD_TEST_PASS="secret pass"
export RD_TEST_PASS
run rules sign --key "$P/signer-enc.key" --cert "$P/signer.pem" --pass env:RD_TEST_PASS "$tmp/pks"
status 0 "sign with an encrypted key"
printf 'secret pass\n' >"$tmp/passfile"
run rules sign --key "$P/signer-enc.key" --cert "$P/signer.pem" --pass "file:$tmp/passfile" "$tmp/pks"
status 0 "sign with an encrypted key, passphrase from a file"
run rules sign --key "$P/signer-enc.key" --cert "$P/signer.pem" "$tmp/pks" </dev/null
status 3 "encrypted key without a passphrase (never prompted)"
err_has "passphrase" "encrypted key without a passphrase"
RD_TEST_PASS=wrong
run rules sign --key "$P/signer-enc.key" --cert "$P/signer.pem" --pass env:RD_TEST_PASS "$tmp/pks"
status 3 "wrong passphrase"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" --pass "pass:x" "$tmp/pks"
status 2 "--pass pass:"
run rules sign --key "$P/outsider.key" --cert "$P/signer.pem" "$tmp/pks"
status 3 "key of another certificate"
err_has "does not belong" "key of another certificate"
run rules sign --key "$P/expired.key" --cert "$P/expired.pem" "$tmp/pks"
status 3 "sign with an expired certificate"
err_has "not valid now" "sign with an expired certificate"
run rules sign --key "$P/weak.key" --cert "$P/weak.pem" "$tmp/pks"
status 3 "sign with an RSA 1024 key"
run rules sign --key "$P/server.key" --cert "$P/server.pem" "$tmp/pks"
status 3 "sign with a TLS server certificate"
verify "$tmp/pks" 0 "the refused signings left the signature alone"

# files the manifest refuses
mkdir -p "$tmp/odd"
echo data >"$tmp/odd/a.txt"
echo secret >"$tmp/outside.txt"
ln -s ../outside.txt "$tmp/odd/link.txt"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/odd"
status 3 "a link out of the pack"
err_has "leading out of the pack" "a link out of the pack"
rm "$tmp/odd/link.txt"
ln -s a.txt "$tmp/odd/link.txt"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/odd"
status 0 "a link inside the pack"
verify "$tmp/odd" 0 "a link inside the pack"
ln -s ../outside.txt "$tmp/odd/new.txt"
verify "$tmp/odd" 1 "a link out of the pack, added"
out_has "new.txt: file added, and refused: a symbolic link leading out of the pack" "link added"
rm "$tmp/odd/new.txt"
echo x >"$tmp/odd/a b.txt"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/odd"
status 3 "a name with a space"
err_has "a b.txt: refused: a name with characters" "a name with a space"
verify "$tmp/odd" 1 "a name with a space, added"
rm "$tmp/odd/a b.txt"
mkdir -p "$tmp/empty"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/empty"
status 3 "an empty directory"

# a single file
cp "$srcdir/rules/pk/tables/licence-register.csv" "$tmp/register.csv"
chmod u+w "$tmp/register.csv"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/register.csv"
status 0 "sign a file"
out_has "register.csv.sig" "sign a file"
verify "$tmp/register.csv" 0 "verify a file"
openssl cms -verify -binary -inform DER -content "$tmp/register.csv" -in "$tmp/register.csv.sig" \
	-CAfile "$P/ca.pem" -purpose any -out /dev/null >"$tmp/ossl" 2>&1 ||
	fail "openssl refuses rahdari's signature of a file: $(show "$tmp/ossl")"
echo "X,Y" >>"$tmp/register.csv"
verify "$tmp/register.csv" 1 "an altered file"
out_has "bad signature" "an altered file"

# usage and unreadable inputs
run rules verify "$tmp/pk"
status 2 "verify without --trust"
run rules verify --trust "$P/ca.pem" --as-of 2026-02-30 "$tmp/pk"
status 2 "verify --as-of 2026-02-30"
run rules verify --trust "$P/ca.pem" --format xml "$tmp/pk"
status 2 "verify --format xml"
run rules verify --trust "$P/ca.pem"
status 2 "verify without PACK"
run rules sign --cert "$P/signer.pem" "$tmp/pk"
status 2 "sign without --key"
run rules verify --trust "$tmp/nothing.pem" "$tmp/pk"
status 3 "a trust store that does not exist"
run rules verify --trust "$P/trustdir/README" "$tmp/pk"
status 3 "a trust store without certificates"
err_has "no certificate" "a trust store without certificates"
run rules verify --trust "$P/ca.pem" --crl "$P/ca.key" "$tmp/pk"
status 3 "a CRL that is not one"
run rules verify --trust "$P/ca.pem" "$tmp/nothing"
status 3 "a pack that does not exist"
run rules sign --key "$P/signer.key" --cert "$P/nothing.pem" "$tmp/pk"
status 3 "a certificate that does not exist"
run rules --help
out_has "rules verify --trust" "rules --help"

# ---------------------------------------------------------------- check and audit --require-signed

B=$srcdir/examples/bookings
S=$srcdir/examples/submissions/lahore-2026-q4.xml
fresh pkc pk
run check --rules "$tmp/pkc" --as-of 2026-11-28 --quiet "$B/minor-alone.xml" "$B/unlicensed-branch.xml"
status 1 "check with an unsigned pack, no --require-signed"
cp "$tmp/out" "$tmp/unsigned.out"
run check --rules "$tmp/pkc" --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 --quiet \
	"$B/minor-alone.xml" "$B/unlicensed-branch.xml"
status 3 "check --require-signed, unsigned pack"
out_empty "check --require-signed, unsigned pack"
err_has "rules refused, a signed pack is required: unsigned" "check --require-signed, unsigned"
run audit --rules "$tmp/pkc" --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 "$S"
status 3 "audit --require-signed, unsigned pack"
out_empty "audit --require-signed, unsigned pack"
err_has "unsigned" "audit --require-signed, unsigned pack"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pkc"
run check --rules "$tmp/pkc" --require-signed --trust "$P/ca.pem" --crl "$P/crl.pem" \
	--as-of 2026-11-28 --quiet "$B/minor-alone.xml" "$B/unlicensed-branch.xml"
status 1 "check --require-signed, signed pack"
cmp -s "$tmp/out" "$tmp/unsigned.out" || fail "check --require-signed: other findings than unsigned"
run check --rules "$tmp/pkc/pack.xml" --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 \
	--quiet "$B/umrah-family.xml"
status 0 "check --require-signed --rules PACK/pack.xml"
run audit --rules "$tmp/pkc" --require-signed --trust "$P/trustdir" --as-of 2026-11-28 \
	--format jsonl --jobs 2 "$S"
status 1 "audit --require-signed, signed pack"
out_has '"summary"' "audit --require-signed, signed pack"
printf '\n' >>"$tmp/pkc/risk.sch"
run check --rules "$tmp/pkc" --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 "$B/minor-alone.xml"
status 3 "check --require-signed, altered pack"
out_empty "check --require-signed, altered pack"
err_has "risk.sch: digest mismatch" "check --require-signed, altered pack"
run audit --rules "$tmp/pkc" --require-signed --trust "$P/ca.pem" --format json "$S"
status 3 "audit --require-signed, altered pack"
out_empty "audit --require-signed, altered pack"
err_has "altered" "audit --require-signed, altered pack"
run check --rules "$tmp/pkc" --as-of 2026-11-28 --quiet "$B/minor-alone.xml" "$B/unlicensed-branch.xml"
status 1 "check without --require-signed, altered pack"

fresh pkr pk
run rules manifest "$tmp/pkr"
osign "$tmp/pkr" revoked
run check --rules "$tmp/pkr" --require-signed --trust "$P/ca.pem" --crl "$P/crl.der" "$B/minor-alone.xml"
status 3 "check --require-signed, revoked signer"
err_has "revoked" "check --require-signed, revoked signer"
osign "$tmp/pkr" outsider
run check --rules "$tmp/pkr" --require-signed --trust "$P/ca.pem" "$B/minor-alone.xml"
status 3 "check --require-signed, untrusted signer"
err_has "untrusted signer" "check --require-signed, untrusted signer"
osign "$tmp/pkr" expired
run audit --rules "$tmp/pkr" --require-signed --trust "$P/ca.pem" "$S"
status 3 "audit --require-signed, expired signer"
err_has "expired" "audit --require-signed, expired signer"

# the embedded pack is part of rahdari: accepted
run check --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 --quiet "$B/umrah-family.xml"
status 0 "check --require-signed, embedded pack"
run audit --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 --jurisdiction PK-PB "$S"
status 1 "audit --require-signed, embedded overlay"
# usage
run check --require-signed "$B/umrah-family.xml"
status 2 "--require-signed without --trust"
run check --rules "$tmp/pkr" --trust "$P/ca.pem" "$B/umrah-family.xml"
status 0 "--trust without --require-signed: the pack is not checked"
run audit --crl "$P/crl.pem" "$S"
status 2 "audit --crl without --trust"
run check --rules "$tmp/pks" --require-signed --trust "$tmp/nothing.pem" "$B/umrah-family.xml"
status 3 "--trust that does not exist"

# an overlay: its base pack must be signed too
fresh pkb pk
fresh pkb-pb pk-pb
sed 's#href="../pk"#href="../pkb"#' "$tmp/pkb-pb/pack.xml" >"$tmp/m" && cat "$tmp/m" >"$tmp/pkb-pb/pack.xml"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/pkb-pb"
verify "$tmp/pkb-pb" 0 "the overlay alone"
run check --rules "$tmp/pkb-pb" --require-signed --trust "$P/ca.pem" "$B/umrah-family.xml"
status 3 "overlay signed, base unsigned"
err_has "extends" "overlay signed, base unsigned"
err_has "unsigned" "overlay signed, base unsigned"
run rules sign --key "$P/rsa.key" --cert "$P/rsa.pem" "$tmp/pkb"
run check --rules "$tmp/pkb-pb" --require-signed --trust "$P/ca.pem" --as-of 2026-11-28 \
	"$B/umrah-family.xml"
status 0 "overlay and base signed"
out_has "pk-pb" "overlay and base signed"

# a schema that includes a file out of its pack
mkdir -p "$tmp/inc/pack" "$tmp/inc/common"
cat >"$tmp/inc/common/shared.sch" <<'EOF'
<sch:pattern xmlns:sch="http://purl.oclc.org/dsdl/schematron" id="shared">
  <sch:rule context="/*"><sch:assert id="S-1" test="true()">never</sch:assert></sch:rule>
</sch:pattern>
EOF
cat >"$tmp/inc/pack/pack.xml" <<'EOF'
<pack xmlns="urn:rahdari:pack:1" id="inc"><schema href="main.sch"/></pack>
EOF
cat >"$tmp/inc/pack/main.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:include href="../common/shared.sch"/>
</sch:schema>
EOF
# refused signed or not: a pack reads only its own files and those of the packs it extends
run check --rules "$tmp/inc/pack" "$B/umrah-family.xml"
status 3 "a pack including a file out of it, unsigned"
err_has "main.sch:2: sch:include href=\"../common/shared.sch\": outside the pack" \
	"a pack including a file out of it, unsigned"
run rules sign --key "$P/signer.key" --cert "$P/signer.pem" "$tmp/inc/pack"
run check --rules "$tmp/inc/pack" --require-signed --trust "$P/ca.pem" "$B/umrah-family.xml"
status 3 "a signed pack including a file out of it"
err_has "outside the pack" "a signed pack including a file out of it"

finish cli_packsig.sh
