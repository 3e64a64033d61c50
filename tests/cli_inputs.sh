#!/bin/sh
# rahdari tests: hostile inputs at the edges of the tool (issue 11).
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_inputs.sh
#
# Bytes after the root element (a NUL) are refused by check and audit alike, with their
# position; devices are refused at once and a pipe is stopped at the first byte that
# cannot start an XML document, by every command that reads files; libxml2's own
# messages never reach stderr beside rahdari's; and control characters from file names,
# arguments and documents never reach the terminal raw (ESC, CSI U+009B, DEL).
# Prints each failure and exits 1 if there was any; else 77 (SKIP) when the checks that
# need python3 (JSON parsing) could not run for want of it; 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_inputs.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
EX=$srcdir/examples/bookings
STARTER=$srcdir/rules/starter
if [ ! -f "$EX/umrah-family.xml" ]; then
	echo "cli_inputs.sh: examples not found under $EX (set srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdinputs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

. "$srcdir/tests/cli_lib.sh"

# Bounded runs: a time limit (when timeout(1) exists) and about 1 GB of address space
# (not under AddressSanitizer, which reserves terabytes).
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout 20"
else
	TIMEOUT=
fi
run_bounded() {
	checks=$((checks + 1))
	(
		if [ "${RD_SANITIZERS:-no}" != yes ]; then
			ulimit -v 1000000 2>/dev/null
		fi
		exec $TIMEOUT "$RAHDARI" "$@"
	) >"$tmp/out" 2>"$tmp/err"
	st=$?
}
status() {
	if [ "$st" -ne "$1" ]; then
		if [ "$st" -eq 124 ] && [ -n "$TIMEOUT" ]; then
			fail "$2: timed out (over 20 s)"
		else
			fail "$2: exit status $st, expected $1; stdout: $(show "$tmp/out") stderr: $(show "$tmp/err")"
		fi
	fi
}

# feed GENERATOR ARGS...: run_bounded with the output of GENERATOR (a shell command) on
# standard input, a pipe.
feed() {
	gen=$1
	shift
	checks=$((checks + 1))
	sh -c "$gen" 2>/dev/null | (
		if [ "${RD_SANITIZERS:-no}" != yes ]; then
			ulimit -v 1000000 2>/dev/null
		fi
		exec $TIMEOUT "$RAHDARI" "$@"
	) >"$tmp/out" 2>"$tmp/err"
	st=$?
}

TRUST=$srcdir/rules/pk/tests/lic/support/trust-ca.pem

ESC=$(printf '\033')
CSI=$(printf '\302\233')
DEL=$(printf '\177')
# no_controls WHAT: neither stdout nor stderr of the last run holds a raw ESC, CSI or DEL.
no_controls() {
	for f in out err; do
		if LC_ALL=C grep -q -F -e "$ESC" -e "$CSI" -e "$DEL" "$tmp/$f"; then
			fail "$1: a raw control character in std$f: $(show "$tmp/$f" | od -c | head -3 | tr '\n' ' ')"
		fi
	done
}

# ---------------------------------------------------------------- 1. after the root element

# A NUL byte after the root element: libxml2's pull parser stopped there and check said
# "no findings", while audit refused the file. Both refuse it, at its line and column.
{ cat "$EX/umrah-family.xml"; printf '\000garbage'; } >"$tmp/nul.xml"
lines=$(wc -l <"$EX/umrah-family.xml" | tr -d ' ')
after=$((lines + 1))
run check --rules "$STARTER" "$tmp/nul.xml"
status 3 "check: a NUL after the root element"
err_has "nul.xml:$after:1: Extra content at the end of the document" "check: a NUL after the root element"
run check --rules "$STARTER" - <"$tmp/nul.xml"
status 3 "check -: a NUL after the root element"
err_has "<stdin>:$after:1:" "check -: a NUL after the root element"
feed "cat '$tmp/nul.xml'" check --rules "$STARTER" -
status 3 "check - (a pipe): a NUL after the root element"
err_has "<stdin>:$after:1:" "check - (a pipe): a NUL after the root element"
err_has "NUL byte" "check - (a pipe): a NUL after the root element"
run audit --rules "$STARTER" "$tmp/nul.xml"
status 3 "audit: a NUL after the root element"
err_has "nul.xml:$after:1: Extra content at the end of the document" "audit: a NUL after the root element"
# what may follow the root: white space, comments, processing instructions
{ cat "$EX/umrah-family.xml"; printf '<!-- c -->\n<?pi x?>\r\n\t \n'; } >"$tmp/misc.xml"
run check --rules "$STARTER" "$tmp/misc.xml"
status 0 "check: comments and a PI after the root element"
run audit --rules "$STARTER" "$tmp/misc.xml"
status 0 "audit: comments and a PI after the root element"

# ---------------------------------------------------------------- 2. devices and pipes

# /dev/zero was read up to the 256 MiB limit (0.5 GB of memory, seconds) before the
# refusal: a character device is refused at once, by every command that reads files.
for dev in /dev/zero /dev/urandom; do
	run_bounded check "$dev"
	status 3 "check $dev"
	err_has "$dev: is a character device" "check $dev"
	run_bounded audit "$dev"
	status 3 "audit $dev"
	err_has "$dev: is a character device" "audit $dev"
	run_bounded mrz "$dev"
	status 3 "mrz $dev"
	err_has "$dev: is a character device" "mrz $dev"
	run_bounded licence verify --trust "$TRUST" "$dev"
	status 3 "licence verify $dev"
	err_has "$dev: is a character device" "licence verify $dev"
	run_bounded check --rules "$dev" "$EX/umrah-family.xml"
	status 3 "check --rules $dev"
	err_has "$dev: is a character device" "check --rules $dev"
	run_bounded check --rules "$STARTER" --table "carriers=$dev" "$EX/umrah-family.xml"
	status 3 "check --table NAME=$dev"
	err_has "$dev: is a character device" "check --table NAME=$dev"
	run_bounded check --rules "$STARTER" --licence "$dev" "$EX/umrah-family.xml"
	status 3 "check --licence $dev"
	run_bounded rules list "$dev"
	status 3 "rules list $dev"
	# as standard input
	run_bounded check - <"$dev"
	status 3 "check - <$dev"
	err_has "<stdin>: is a character device" "check - <$dev"
	run_bounded audit - <"$dev"
	status 3 "audit - <$dev"
	run_bounded mrz <"$dev"
	status 3 "mrz <$dev"
	run_bounded licence verify --trust "$TRUST" - <"$dev"
	status 3 "licence verify - <$dev"
done
run_bounded audit "$tmp"
status 3 "audit of a directory"
err_has "is a directory" "audit of a directory"

# A pipe is stopped at the first byte that cannot start an XML document: the writer is
# cut off long before 256 MiB (head(1) would take seconds to write them, and the tool
# would hold them all).
feed "head -c 200000000 /dev/zero" check -
status 3 "check - <a pipe of zeros>"
err_has "<stdin>:1:1: not an XML document: byte 0x00" "check - <a pipe of zeros>"
feed "printf '  \\n hello'; head -c 200000000 /dev/zero | tr '\\0' x" check -
status 3 "check - <a pipe of text>"
err_has "<stdin>:2:2: not an XML document: 'h'" "check - <a pipe of text>"
feed "printf '<r>\\n  '; head -c 200000000 /dev/zero" check -
status 3 "check - <a root, then zeros>"
err_has "<stdin>:2:3: a NUL byte" "check - <a root, then zeros>"
feed "head -c 200000000 /dev/zero" audit -
status 3 "audit - <a pipe of zeros>"
feed "head -c 200000000 /dev/zero" mrz
status 3 "mrz <a pipe of zeros>"
err_has "a NUL byte" "mrz <a pipe of zeros>"
feed "head -c 200000000 /dev/zero" licence verify --trust "$TRUST" -
status 3 "licence verify - <a pipe of zeros>"
err_has "<stdin>:1:1: not an XML document" "licence verify - <a pipe of zeros>"
# a named pipe, as a file argument
if mkfifo "$tmp/fifo" 2>/dev/null; then
	# (the writer gives up after 20 s, should the tool never open the FIFO)
	($TIMEOUT head -c 200000000 /dev/zero >"$tmp/fifo" 2>/dev/null &)
	run_bounded check "$tmp/fifo"
	status 3 "check FIFO <zeros>"
	err_has "fifo:1:1: not an XML document" "check FIFO <zeros>"
fi
# what the loader reads is still read from a pipe: a byte-order mark (UTF-8, UTF-16),
# white space, then the document
feed "printf '\\357\\273\\277 \\n<r/>'" check --rules "$STARTER" --no-xsd -
status 0 "check - <UTF-8 BOM, white space, a document>"
feed "printf '\\377\\376 \\000\\n\\000<\\000r\\000/\\000>\\000'" check --rules "$STARTER" --no-xsd -
status 0 "check - <UTF-16LE BOM, white space, a document>"
feed "printf '\\376\\377\\000<\\000r\\000/\\000>'" check --rules "$STARTER" --no-xsd -
status 0 "check - <UTF-16BE BOM, a document>"

# ---------------------------------------------------------------- 3. libxml2's messages

# A byte that is not Shift_JIS: libxml2 printed "encoding error : ..." (twice) and
# "I/O error : encoder error" on stderr itself, then rahdari said "Premature end of
# data". stderr now holds rahdari's message alone, with the position of the byte.
printf '<?xml version="1.0" encoding="Shift_JIS"?>\n<booking xmlns="urn:rahdari:doc:1">\n  \201\040\377</booking>\n' \
	>"$tmp/sjis.xml"
run check --rules "$STARTER" "$tmp/sjis.xml"
status 3 "check: an encoding error"
[ "$(lines "$tmp/err")" = 1 ] || fail "check: an encoding error: stderr is not one line: $(show "$tmp/err")"
err_has "rahdari: $tmp/sjis.xml:3:3: encoding error: input conversion failed" "check: an encoding error"
err_lacks "encoding error :" "check: an encoding error"
err_lacks "I/O error" "check: an encoding error"
run audit --rules "$STARTER" "$tmp/sjis.xml"
status 3 "audit: an encoding error"
err_lacks "encoding error :" "audit: an encoding error"
err_lacks "I/O error" "audit: an encoding error"
# a lone surrogate in UTF-16
printf '\377\376<\000r\000>\000\n\000\000\330x\000<\000/\000r\000>\000' >"$tmp/u16.xml"
run check --rules "$STARTER" "$tmp/u16.xml"
status 3 "check: a lone surrogate in UTF-16"
[ "$(lines "$tmp/err")" = 1 ] || fail "check: a lone surrogate: stderr is not one line: $(show "$tmp/err")"
err_has "u16.xml:2:1: encoding error" "check: a lone surrogate in UTF-16"

# ---------------------------------------------------------------- 4. terminal controls

# A file name with ESC and CSI: every command's text (and its messages on stderr) show
# them escaped, never raw.
evil="$tmp/x${ESC}[31mred${CSI}2J.xml"
cp "$EX/umrah-family.xml" "$evil"
run check --rules "$STARTER" "$evil"
no_controls "check: a file name with ESC and CSI"
out_has 'x\x1b[31mred\u009b2J.xml: ' "check: a file name with ESC and CSI"
run check --rules "$STARTER" "$evil.missing"
status 3 "check: a missing file named with ESC and CSI"
no_controls "check: a missing file named with ESC and CSI"
err_has 'x\x1b[31mred\u009b2J.xml.missing: cannot open' "check: a missing file named with ESC and CSI"
run audit --rules "$STARTER" "$evil"
no_controls "audit: a file name with ESC and CSI"
out_has 'x\x1b[31mred\u009b2J.xml: ' "audit: a file name with ESC and CSI"
run audit --rules "$STARTER" "$evil.missing"
no_controls "audit: a missing file named with ESC and CSI"
run mrz "$evil.missing"
status 3 "mrz: a missing file named with ESC and CSI"
no_controls "mrz: a missing file named with ESC and CSI"
run licence verify --trust "$TRUST" "$evil"
no_controls "licence verify: a file name with ESC and CSI"
out_has 'x\x1b[31mred\u009b2J.xml: NOT VERIFIED' "licence verify: a file name with ESC and CSI"
run rules verify --trust "$TRUST" "$evil.pack"
no_controls "rules verify: a pack named with ESC and CSI"
run rules lint "$evil.pack"
no_controls "rules lint: a pack named with ESC and CSI"

# A CNIC argument.
run cnic "12345${ESC}[2J-1234567-1"
status 1 "cnic: an argument with ESC"
no_controls "cnic: an argument with ESC"
out_has '12345\x1b[2J-1234567-1: NOT valid' "cnic: an argument with ESC"
run cnic "1${CSI}2"
no_controls "cnic: an argument with CSI"
out_has '1\u009b2: NOT valid' "cnic: an argument with CSI"

# A document's value (U+009B and DEL are XML characters; ESC is not), in a message
# through value-of, a record id and the rules' own text (title, id, citation).
cat >"$tmp/v.sch" <<EOF
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:rd="urn:rahdari:rules:1"
            queryBinding="xslt">
  <sch:title>T&#x9B;2J</sch:title>
  <sch:pattern>
    <sch:rule context="a">
      <sch:report id="V&#x9B;" role="error" rd:cite="Act &#x9B;1" test="true()">value <sch:value-of select="."/></sch:report>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
printf '<r><a id="i&#x9b;d">x&#x9b;31m&#x7f;\302\233</a></r>\n' >"$tmp/v.xml"
printf '<a id="i&#x9b;d">x&#x9b;31m&#x7f;\302\233</a>\n' >"$tmp/va.xml"
run check --rules "$tmp/v.sch" "$tmp/va.xml"
status 1 "check: a value with CSI and DEL"
no_controls "check: a value with CSI and DEL"
out_has 'value x\u009b31m\x7f\u009b' "check: a value with CSI and DEL"
out_has 'law: Act \u009b1' "check: a value with CSI and DEL"
run audit --rules "$tmp/v.sch" "$tmp/v.xml"
status 1 "audit: a value with CSI and DEL"
no_controls "audit: a value with CSI and DEL"
out_has 'value x\u009b31m\x7f\u009b' "audit: a value with CSI and DEL"
out_has '(i\u009bd)' "audit: a record id with CSI"
run rules list "$tmp/v.sch"
no_controls "rules list: a title, id and citation with CSI"
out_has 'T\u009b2J' "rules list: a title with CSI"
run rules lint "$tmp/v.sch"
no_controls "rules lint: an id with CSI"
# the machine formats escape in their own way, and hold no raw control either
for fmt in json jsonl svrl; do
	run check --rules "$tmp/v.sch" --format "$fmt" "$tmp/va.xml"
	no_controls "check --format $fmt: a value with CSI and DEL"
done
run audit --rules "$tmp/v.sch" --format html "$tmp/v.xml"
no_controls "audit --format html: a value with CSI and DEL"
run rules list --format json "$tmp/v.sch"
no_controls "rules list --format json: a title with CSI"
json_ok "rules list --format json: a title with CSI" "assert d['pack']['title'] == 'T\u009b2J', d['pack']"

# ---------------------------------------------------------------- done

finish cli_inputs.sh
