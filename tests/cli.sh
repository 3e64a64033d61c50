#!/bin/sh
# rahdari tests: the command-line tool, run as a user runs it.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli.sh
#
# Checks help and version output, the exit statuses (0 clean, 1 findings, 2 usage,
# 3 an input or the rules could not be processed), every output format, the
# options, and that hostile inputs are refused quickly and in bounded memory.
# Prints each failure and exits 1 if there was any; else 77 (SKIP) when the checks that
# need python3 could not run for want of it; 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
EX=$srcdir/examples/bookings
# Most tests use the small starter pack, whose findings on the examples are stable;
# the default (embedded pk) pack has tests of its own at the end and in the pack.
STARTER=$srcdir/rules/starter
if [ ! -f "$EX/umrah-family.xml" ]; then
	echo "cli.sh: examples not found under $EX (set srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdcli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

# the colour tests set these themselves
unset NO_COLOR
ESC=$(printf '\033')

# fail, show, run, out_has, err_has, out_lacks, err_lacks, out_empty, lines (and status,
# redefined below for the time limit of bounded runs)
. "$srcdir/tests/cli_lib.sh"

# Bounded runs for hostile inputs: a time limit (when timeout(1) exists) and a
# limit on virtual memory (about 1 GB), in a subshell so the limit stays there.
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout 20"
else
	TIMEOUT=
fi
# (AddressSanitizer reserves terabytes of address space: no memory limit under it.)
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

# status WANT WHAT: the last run exited with WANT.
status() {
	if [ "$st" -ne "$1" ]; then
		if [ "$st" -eq 124 ] && [ -n "$TIMEOUT" ]; then
			fail "$2: timed out (over 20 s)"
		else
			fail "$2: exit status $st, expected $1; stdout: $(show "$tmp/out") stderr: $(show "$tmp/err")"
		fi
	fi
}

# ---------------------------------------------------------------- help and version

run --help
status 0 "rahdari --help"
out_has "Usage: rahdari COMMAND" "rahdari --help"
out_has "check" "rahdari --help"

run help
status 0 "rahdari help"
out_has "Usage: rahdari COMMAND" "rahdari help"

run help check
status 0 "rahdari help check"
out_has "Usage: rahdari check [OPTIONS] FILE..." "rahdari help check"
out_has "--as-of" "rahdari help check"
cp "$tmp/out" "$tmp/help-check"

run check --help
status 0 "rahdari check --help"
out_has "Usage: rahdari check [OPTIONS] FILE..." "rahdari check --help"
cmp -s "$tmp/out" "$tmp/help-check" || fail "rahdari check --help differs from rahdari help check"

run help version
status 0 "rahdari help version"
out_has "Usage: rahdari version" "rahdari help version"

run version
status 0 "rahdari version"
out_has "rahdari " "rahdari version"
out_has "libxml2 2.9.14" "rahdari version"
out_has "default rules: pk" "rahdari version"
# the allocator the tool was linked with (configure --with-mimalloc)
if [ "${RD_MIMALLOC:-no}" = yes ]; then
	out_has "allocator: mimalloc 2." "rahdari version (linked with mimalloc)"
else
	out_has "allocator: the C library's malloc" "rahdari version (without mimalloc)"
fi
out_has "(embedded)" "rahdari version"

run --version
status 0 "rahdari --version"
out_has "libxml2 2.9.14" "rahdari --version"

run
status 2 "rahdari with no command"
err_has "Usage: rahdari" "rahdari with no command"

run frobnicate
status 2 "rahdari frobnicate"
err_has "unknown command 'frobnicate'" "rahdari frobnicate"

run help frobnicate
status 2 "rahdari help frobnicate"

run version extra
status 2 "rahdari version extra"

# ---------------------------------------------------------------- verdicts

run check --rules "$STARTER" "$EX/umrah-family.xml"
status 0 "clean booking"
out_has "umrah-family.xml: no findings" "clean booking"
out_has "1 document checked: 0 errors, 0 warnings, 0 infos" "clean booking"

run check --rules "$STARTER" "$EX/expired-passport.xml"
status 1 "expired passport"
out_has "expired-passport.xml: 3 errors, 0 warnings, 0 infos" "expired passport"
out_has "START-DOC-001" "expired passport"
out_has "START-DOC-002" "expired passport"
out_has "START-LIC-001" "expired passport"

run check --rules "$STARTER" "$EX/one-way-visit.xml"
status 0 "one-way visit (warnings only)"
out_has "0 errors, 3 warnings" "one-way visit"
out_has "START-RISK-001" "one-way visit"

run check --rules "$STARTER" --fail-on warning "$EX/one-way-visit.xml"
status 1 "one-way visit --fail-on warning"

run check --rules "$STARTER" --fail-on info "$EX/one-way-visit.xml"
status 1 "one-way visit --fail-on info"

run check --rules "$STARTER" --fail-on error "$EX/one-way-visit.xml"
status 0 "one-way visit --fail-on error"

run check --rules "$STARTER" --fail-on warning "$EX/umrah-family.xml"
status 0 "clean booking --fail-on warning"

# a finding in any of several files decides
run check --rules "$STARTER" "$EX/umrah-family.xml" "$EX/expired-passport.xml" "$EX/one-way-visit.xml"
status 1 "three bookings"
out_has "3 documents checked: 3 errors, 3 warnings, 0 infos" "three bookings"

# ---------------------------------------------------------------- usage errors (2)

run check --rules "$STARTER" --no-such-option "$EX/umrah-family.xml"
status 2 "unknown option"
err_has "unknown option '--no-such-option'" "unknown option"
out_empty "unknown option"

run check --rules "$STARTER" -Z "$EX/umrah-family.xml"
status 2 "unknown short option"

run check --rules "$STARTER" "$EX/umrah-family.xml" --format
status 2 "missing value"
err_has "needs a value" "missing value"

run check --rules
status 2 "missing value of --rules"

run check --rules "$STARTER" --format yaml "$EX/umrah-family.xml"
status 2 "unknown format"
err_has "yaml" "unknown format"

for d in 2024-02-30 2023-02-29 tomorrow 2024-1-01 2024-13-01 ""; do
	run check --rules "$STARTER" --as-of "$d" "$EX/umrah-family.xml"
	status 2 "bad --as-of '$d'"
done
err_has "--as-of" "bad --as-of"

run check --rules "$STARTER" --phase no-such-phase "$EX/umrah-family.xml"
status 2 "unknown --phase"
err_has "no-such-phase" "unknown --phase"
err_has "red-flags" "unknown --phase lists the phases"
out_empty "unknown --phase"

run check
status 2 "no FILE"
err_has "no FILE" "no FILE"

run check --rules "$STARTER" - - <"$EX/umrah-family.xml"
status 2 "'-' given twice"
err_has "only once" "'-' given twice"

run check --rules "$STARTER" --fail-on never "$EX/umrah-family.xml"
status 2 "bad --fail-on"

run check --rules "$STARTER" --color sometimes "$EX/umrah-family.xml"
status 2 "bad --color"

run check --rules "$STARTER" --lang "ur PK" "$EX/umrah-family.xml"
status 2 "bad --lang"

for m in 0 -5 12abc huge; do
	run check --rules "$STARTER" --max-size "$m" "$EX/umrah-family.xml"
	status 2 "bad --max-size '$m'"
done

# ---------------------------------------------------------------- inputs that cannot be checked (3)

run check --rules "$STARTER" "$tmp/no-such-file.xml"
status 3 "missing file"
err_has "no-such-file.xml" "missing file"
out_has "no-such-file.xml: cannot be checked" "missing file"

printf '<booking>\n  <agency>\n</booking>\n' >"$tmp/malformed.xml"
run check --rules "$STARTER" "$tmp/malformed.xml"
status 3 "malformed file"
err_has "malformed.xml:3:" "malformed file (file:line:column)"
grep -q 'malformed\.xml:3:[0-9][0-9]*:' "$tmp/err" ||
	fail "malformed file: no file:line:column in stderr: $(show "$tmp/err")"

# a schema that is refused
cat >"$tmp/bad.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <sch:ns prefix="fn" uri="urn:rahdari:fn:1"/>
  <sch:pattern>
    <sch:rule context="/*">
      <sch:assert test="fn:no-such-function(.)">x</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
run check --rules "$tmp/bad.sch" "$EX/umrah-family.xml"
status 3 "refused schema"
err_has "bad.sch:5" "refused schema (file:line)"
err_has "no-such-function" "refused schema"

run check --rules "$tmp/no-such-rules.sch" "$EX/umrah-family.xml"
status 3 "missing rules"
err_has "no-such-rules.sch" "missing rules"

printf 'not xml at all' >"$tmp/notxml.sch"
run check --rules "$tmp/notxml.sch" "$EX/umrah-family.xml"
status 3 "rules that are not XML"

# ---------------------------------------------------------------- hostile inputs (3, fast, bounded)

# an external entity pointing at a local file: refused, and nothing of the file leaks
printf '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' >"$tmp/xxe.xml"
run_bounded check "$tmp/xxe.xml"
status 3 "external entity"
err_has "xxe.xml:1:" "external entity"
if [ -r /etc/passwd ]; then
	first=$(head -n 1 /etc/passwd)
	for f in out err; do
		if [ -n "$first" ] && grep -F -q -e "$first" "$tmp/$f"; then
			fail "external entity: /etc/passwd content in std$f"
		fi
	done
	for f in out err; do
		! grep -q 'root:[^:]*:0:0:' "$tmp/$f" || fail "external entity: /etc/passwd content in std$f"
	done
fi
# the same through every format
for fmt in json jsonl svrl; do
	run_bounded check --format "$fmt" "$tmp/xxe.xml"
	status 3 "external entity ($fmt)"
	! grep -q 'root:[^:]*:0:0:' "$tmp/out" "$tmp/err" ||
		fail "external entity ($fmt): /etc/passwd content in the output"
done

# billion laughs
cat >"$tmp/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
EOF
run_bounded check "$tmp/laughs.xml"
status 3 "billion laughs"
err_has "laughs.xml:" "billion laughs"

# an undeclared entity with no DTD (its text would be lost silently)
printf '<r>&undeclared;</r>' >"$tmp/undeclared.xml"
run_bounded check "$tmp/undeclared.xml"
status 3 "undeclared entity"

# 10,000 nested elements
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "<a>"; for (i = 0; i < 10000; i++) printf "</a>"; print "" }' \
	>"$tmp/deep.xml"
run_bounded check "$tmp/deep.xml"
status 3 "10,000-deep nesting"
err_has "deep.xml:" "10,000-deep nesting"

# invalid UTF-8
printf '<?xml version="1.0" encoding="UTF-8"?>\n<r>caf\351 \377\376</r>\n' >"$tmp/badutf8.xml"
run_bounded check "$tmp/badutf8.xml"
status 3 "invalid UTF-8"
err_has "badutf8.xml:2:" "invalid UTF-8"

# truncated XML
head -c 300 "$EX/umrah-family.xml" >"$tmp/truncated.xml"
run_bounded check "$tmp/truncated.xml"
status 3 "truncated XML"
err_has "truncated.xml:" "truncated XML"

# an empty file
: >"$tmp/empty.xml"
run_bounded check "$tmp/empty.xml"
status 3 "empty file"
err_has "empty.xml" "empty file"

# a file over --max-size
run_bounded check --max-size 100 "$EX/umrah-family.xml"
status 3 "file over --max-size"
err_has "umrah-family.xml" "file over --max-size"
err_has "limit" "file over --max-size"
run_bounded check --max-size 100 - <"$EX/umrah-family.xml"
status 3 "standard input over --max-size"
# a file just within the limit is checked
size=$(wc -c <"$EX/umrah-family.xml" | tr -d ' ')
run_bounded check --max-size "$size" "$EX/umrah-family.xml"
status 0 "file of exactly --max-size bytes"

# a directory given as a document
run_bounded check "$tmp"
status 3 "a directory as input"

# several files, one bad: the others are still checked and reported
run check --rules "$STARTER" "$EX/one-way-visit.xml" "$tmp/malformed.xml" "$EX/expired-passport.xml"
status 3 "several files, one bad"
out_has "one-way-visit.xml: 0 errors, 3 warnings" "several files, one bad"
out_has "START-RISK-001" "several files, one bad"
out_has "expired-passport.xml: 3 errors" "several files, one bad"
out_has "malformed.xml: cannot be checked" "several files, one bad"
out_has "2 documents checked (1 more could not be read)" "several files, one bad"
err_has "malformed.xml:3:" "several files, one bad"

# Regression: when no input can be read, the summary still names the rules and the
# date (they once came only from the first report, and there is none).
run check --rules "$STARTER" --as-of 2026-11-28 "$tmp/malformed.xml"
status 3 "only an unreadable file"
out_lacks "rules: ?" "only an unreadable file (summary names the rules)"
out_has "as of 2026-11-28" "only an unreadable file (summary gives the date)"
run check --rules "$STARTER" --format json --as-of 2026-11-28 "$tmp/malformed.xml"
status 3 "only an unreadable file, --format json"
out_lacks '"as_of":null' "only an unreadable file, --format json"
out_lacks '"id":null' "only an unreadable file, --format json"

# ---------------------------------------------------------------- standard input and output

run check --rules "$STARTER" - <"$EX/expired-passport.xml"
status 1 "standard input"
out_has "<stdin>: 3 errors" "standard input"

run check --rules "$STARTER" - <"$EX/umrah-family.xml"
status 0 "standard input (clean)"

run check --rules "$STARTER" - </dev/null
status 3 "empty standard input"

run check --rules "$STARTER" -o "$tmp/report.txt" "$EX/one-way-visit.xml"
status 0 "--output FILE"
out_empty "--output FILE"
grep -F -q "START-RISK-001" "$tmp/report.txt" 2>/dev/null || fail "--output FILE: the report is not in the file"
grep -F -q "1 document checked" "$tmp/report.txt" 2>/dev/null || fail "--output FILE: no summary in the file"

run check --rules "$STARTER" --output "$tmp/report.json" --format json "$EX/expired-passport.xml"
status 1 "--output FILE --format json"
out_empty "--output FILE --format json"
grep -F -q '"START-DOC-001"' "$tmp/report.json" 2>/dev/null || fail "--output FILE --format json: no findings in the file"

run check --rules "$STARTER" --output "$tmp/no-such-dir/report.txt" "$EX/umrah-family.xml"
status 3 "--output in a missing directory"
err_has "no-such-dir" "--output in a missing directory"

if [ -w /dev/full ]; then
	for fmt in text json jsonl svrl; do
		checks=$((checks + 1))
		"$RAHDARI" check --rules "$STARTER" --format "$fmt" "$EX/one-way-visit.xml" >/dev/full 2>"$tmp/err"
		st=$?
		status 3 "writing to /dev/full ($fmt)"
		err_has "cannot write" "writing to /dev/full ($fmt)"
	done
	run check --rules "$STARTER" --output /dev/full "$EX/one-way-visit.xml"
	status 3 "--output /dev/full"
	err_has "cannot write" "--output /dev/full"
fi

# ---------------------------------------------------------------- formats

if [ -x /usr/bin/python3 ]; then
	PY=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
	PY=$(command -v python3)
else
	PY=
fi

for f in umrah-family expired-passport one-way-visit; do
	run check --rules "$STARTER" --format json "$EX/$f.xml"
	out_has '"tool"' "--format json ($f)"
	if need_py "--format json parsed"; then
		"$PY" -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" 2>"$tmp/pyerr" ||
			fail "--format json ($f) is not valid JSON: $(show "$tmp/pyerr")"
	fi
done
if need_py "the content of --format json and jsonl"; then
	# the content, not just the syntax
	run check --rules "$STARTER" --format json --lang ur --as-of 2026-11-28 "$EX/one-way-visit.xml" "$tmp/malformed.xml"
	status 3 "--format json with an unreadable file"
	"$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["tool"]["name"] == "rahdari", d["tool"]
assert d["rules"]["id"] == "starter", d["rules"]
assert d["as_of"] == "2026-11-28", d["as_of"]
assert d["summary"]["warnings"] == 3 and d["summary"]["errors"] == 0, d["summary"]
assert d["summary"]["documents"] == 1 and d["summary"]["unreadable"] == 1, d["summary"]
assert len(d["errors"]) == 1 and d["errors"][0]["path"].endswith("malformed.xml"), d["errors"]
assert d["errors"][0]["status"] == "RD_EPARSE", d["errors"]
assert {f["rule"] for f in d["findings"]} == {"START-RISK-001", "START-RISK-002", "START-RISK-003"}
assert all(f["lang"] == "ur" for f in d["findings"])
assert all(isinstance(f["tags"], list) for f in d["findings"])
' <"$tmp/out" 2>"$tmp/pyerr" || fail "--format json content: $(show "$tmp/pyerr")"

	run check --rules "$STARTER" --format jsonl "$EX/umrah-family.xml" "$EX/expired-passport.xml"
	status 1 "--format jsonl"
	"$PY" -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert [l["type"] for l in lines] == ["document", "document", "summary"], lines
assert lines[2]["errors"] == 3 and lines[2]["documents"] == 2, lines[2]
' <"$tmp/out" 2>"$tmp/pyerr" || fail "--format jsonl: $(show "$tmp/pyerr")"

	run check --rules "$STARTER" --format json - <"$EX/expired-passport.xml"
	"$PY" -c 'import json,sys; assert json.load(sys.stdin)["documents"][0]["path"] == "<stdin>"' \
		<"$tmp/out" 2>"$tmp/pyerr" || fail "--format json from standard input: $(show "$tmp/pyerr")"
fi
[ "$(lines "$tmp/out")" -ge 1 ] || fail "--format json printed nothing"

run check --rules "$STARTER" --format jsonl "$EX/umrah-family.xml" "$EX/expired-passport.xml"
[ "$(lines "$tmp/out")" -eq 3 ] || fail "--format jsonl: $(lines "$tmp/out") lines, expected 3"

for f in umrah-family expired-passport one-way-visit; do
	run check --rules "$STARTER" --format svrl "$EX/$f.xml"
	out_has "<svrl:schematron-output" "--format svrl ($f)"
	out_has "http://purl.oclc.org/dsdl/svrl" "--format svrl ($f)"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout - <"$tmp/out" 2>"$tmp/xmlerr" ||
			fail "--format svrl ($f) is not well-formed: $(show "$tmp/xmlerr")"
	fi
done
run check --rules "$STARTER" --format svrl "$EX/expired-passport.xml"
out_has "<svrl:failed-assert" "--format svrl"
out_has 'id="START-DOC-001"' "--format svrl"
if command -v xmllint >/dev/null 2>&1; then
	run check --rules "$STARTER" --format svrl "$EX/one-way-visit.xml" "$tmp/malformed.xml"
	status 3 "--format svrl with an unreadable file"
	xmllint --noout - <"$tmp/out" 2>"$tmp/xmlerr" ||
		fail "--format svrl with an unreadable file is not well-formed: $(show "$tmp/xmlerr")"
	out_has "malformed.xml" "--format svrl with an unreadable file"
fi

# ---------------------------------------------------------------- options

# Urdu messages
run check --rules "$STARTER" --lang ur "$EX/one-way-visit.xml"
status 0 "--lang ur"
out_has "ویزے پر یک طرفہ سفر" "--lang ur"
out_has "روپے کی نقد ادائیگی" "--lang ur"
out_lacks "One-way travel" "--lang ur"
run check --rules "$STARTER" --lang ur-PK "$EX/one-way-visit.xml"
out_has "ویزے پر یک طرفہ سفر" "--lang ur-PK"
run check --rules "$STARTER" --lang fr "$EX/one-way-visit.xml"
out_has "One-way travel" "--lang fr (falls back to English)"

# --as-of moves "today": a schema whose rule uses today()
cat >"$tmp/valid-today.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <sch:ns prefix="d" uri="urn:rahdari:doc:1"/>
  <sch:ns prefix="fn" uri="urn:rahdari:fn:1"/>
  <sch:pattern id="today">
    <sch:rule context="d:passport">
      <sch:assert id="PASSPORT-VALID" test="fn:days-between(fn:today(), @expiry-date) &gt;= 0">Passport
        <sch:value-of select="@number"/> expired on <sch:value-of select="@expiry-date"/>.</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
run check --rules "$tmp/valid-today.sch" --as-of 2026-12-01 "$EX/umrah-family.xml"
status 0 "--as-of 2026-12-01"
out_has "as of 2026-12-01" "--as-of 2026-12-01"
run check --rules "$tmp/valid-today.sch" --as-of 2030-01-01 "$EX/umrah-family.xml"
status 1 "--as-of 2030-01-01"
out_has "1 error," "--as-of 2030-01-01"
out_has "Passport AC1112223 expired on 2029-01-14." "--as-of 2030-01-01"
run check --rules "$tmp/valid-today.sch" --as-of 2099-12-31 "$EX/umrah-family.xml"
status 1 "--as-of 2099-12-31"
out_has "3 errors," "--as-of 2099-12-31"
# the default rules report the date they ran as of
run check --rules "$STARTER" --as-of 2027-03-01 "$EX/umrah-family.xml"
out_has "as of 2027-03-01" "--as-of with the default rules"
run check --rules "$STARTER" -d 2027-03-01 --format json "$EX/umrah-family.xml"
out_has '"as_of":"2027-03-01"' "-d with --format json"

# phases
run check --rules "$STARTER" --phase red-flags "$EX/expired-passport.xml"
status 0 "--phase red-flags on expired-passport"
out_has "no findings" "--phase red-flags on expired-passport"
out_has "phase red-flags" "--phase red-flags on expired-passport"
run check --rules "$STARTER" --phase red-flags "$EX/one-way-visit.xml"
status 0 "--phase red-flags on one-way-visit"
out_has "START-RISK-001" "--phase red-flags on one-way-visit"
out_has "0 errors, 3 warnings" "--phase red-flags on one-way-visit"
out_lacks "START-DOC" "--phase red-flags on one-way-visit"
out_lacks "START-LIC" "--phase red-flags on one-way-visit"
run check --rules "$STARTER" --phase documents "$EX/one-way-visit.xml"
status 0 "--phase documents on one-way-visit"
out_has "no findings" "--phase documents on one-way-visit"
run check --rules "$STARTER" -p documents "$EX/expired-passport.xml"
status 1 "-p documents on expired-passport"
out_has "3 errors" "-p documents on expired-passport"
run check --rules "$STARTER" --phase '#ALL' "$EX/one-way-visit.xml"
status 0 "--phase #ALL"
out_has "0 errors, 3 warnings" "--phase #ALL"

# --quiet
run check --rules "$STARTER" --quiet "$EX/one-way-visit.xml"
status 0 "--quiet"
[ "$(lines "$tmp/out")" -eq 1 ] || fail "--quiet: $(lines "$tmp/out") lines, expected 1: $(show "$tmp/out")"
out_has "one-way-visit.xml: 0 errors, 3 warnings, 0 infos" "--quiet"
run check --rules "$STARTER" -q "$EX/one-way-visit.xml" "$EX/umrah-family.xml"
status 0 "-q with two files"
out_lacks "where:" "-q with two files"
out_has "umrah-family.xml: no findings" "-q with two files"
[ "$(grep -c '\.xml: ' "$tmp/out")" -eq 2 ] || fail "-q with two files: not one line per document"

# colour
run check --rules "$STARTER" --color always "$EX/one-way-visit.xml"
grep -q "$ESC\[" "$tmp/out" || fail "--color always: no escape codes"
run check --rules "$STARTER" --colour always "$EX/one-way-visit.xml"
grep -q "$ESC\[" "$tmp/out" || fail "--colour always: no escape codes"
run check --rules "$STARTER" --color never "$EX/one-way-visit.xml"
! grep -q "$ESC" "$tmp/out" || fail "--color never: escape codes"
run check --rules "$STARTER" "$EX/one-way-visit.xml"
! grep -q "$ESC" "$tmp/out" || fail "--color auto in a pipe: escape codes"
run check --rules "$STARTER" --color auto "$EX/one-way-visit.xml"
! grep -q "$ESC" "$tmp/out" || fail "--color auto in a pipe: escape codes"
checks=$((checks + 1))
env NO_COLOR=1 "$RAHDARI" check --rules "$STARTER" --color always "$EX/one-way-visit.xml" >"$tmp/out" 2>"$tmp/err"
grep -q "$ESC\[" "$tmp/out" || fail "--color always with NO_COLOR: the option should win"
run check --rules "$STARTER" --color always --format json "$EX/one-way-visit.xml"
! grep -q "$ESC" "$tmp/out" || fail "--color always --format json: escape codes in JSON"
run check --rules "$STARTER" --color always -o "$tmp/colour.txt" "$EX/one-way-visit.xml"
grep -q "$ESC\[" "$tmp/colour.txt" || fail "--color always -o FILE: no escape codes"
run check --rules "$STARTER" -o "$tmp/plain.txt" "$EX/one-way-visit.xml"
! grep -q "$ESC" "$tmp/plain.txt" || fail "-o FILE (auto): escape codes in a file"

# --color auto on a terminal, and NO_COLOR / TERM=dumb, with script(1) giving a pty
if script --version 2>/dev/null | grep -q util-linux; then
	# tty_run VAR=VALUE...: check one-way-visit.xml on a terminal, in that environment
	tty_run() {
		checks=$((checks + 1))
		env "$@" script -qec "'$RAHDARI' check --rules '$STARTER' '$EX/one-way-visit.xml'" /dev/null \
			</dev/null >"$tmp/tty" 2>&1
	}
	tty_run TERM=xterm
	grep -q "$ESC\[" "$tmp/tty" || fail "--color auto on a terminal: no escape codes"
	grep -q "START-RISK-001" "$tmp/tty" || fail "--color auto on a terminal: no report: $(show "$tmp/tty")"
	tty_run NO_COLOR=1 TERM=xterm
	! grep -q "$ESC" "$tmp/tty" || fail "NO_COLOR on a terminal: escape codes"
	grep -q "START-RISK-001" "$tmp/tty" || fail "NO_COLOR on a terminal: no report"
	tty_run NO_COLOR= TERM=xterm
	grep -q "$ESC\[" "$tmp/tty" || fail "empty NO_COLOR on a terminal: colour should stay on"
	tty_run TERM=dumb
	! grep -q "$ESC" "$tmp/tty" || fail "TERM=dumb on a terminal: escape codes"
fi

# ---------------------------------------------------------------- the default pack (pk)

# Without --rules, check uses the embedded pk pack: every example flags what it is about
# (the pack's own tests, run by `rahdari rules test`, cover each rule both ways).
pk_case() { # pk_case FILE STATUS "ID ..." [options...]
	f=$1 st=$2 ids=$3
	shift 3
	run check -q -f jsonl "$@" "$f"
	status "$st" "default pack on $(basename "$f")"
	got=$(grep -o '"rule":"[^"]*"' "$tmp/out" | sed 's/"rule":"//; s/"$//' | sort -u | tr '\n' ' ')
	[ "$got" = "$ids" ] || fail "default pack on $(basename "$f"): rules '$got', expected '$ids'"
}
pk_case "$EX/umrah-family.xml" 0 ""
pk_case "$EX/expired-passport.xml" 1 "PK-DOC-001 PK-DOC-003 PK-LIC-001 "
pk_case "$EX/altered-passport.xml" 1 "PK-DOC-013 "
pk_case "$EX/work-visa-no-protector.xml" 1 "PK-EMIG-001 "
pk_case "$EX/unlicensed-branch.xml" 1 "PK-LIC-009 "
pk_case "$EX/minor-alone.xml" 0 "PK-RISK-003 PK-RISK-007 PK-RISK-009 "
pk_case "$EX/one-way-visit.xml" 0 "PK-RISK-001 PK-RISK-006 PK-RISK-007 PK-RISK-009 PK-RISK-010 "
pk_case "$srcdir/examples/submissions/lahore-2026-q4.xml" 1 \
	"PK-DOC-001 PK-EMIG-003 PK-LIC-009 PK-RISK-001 PK-RISK-002 PK-RISK-003 PK-RISK-005 PK-RISK-006 PK-RISK-010 PK-RISK-016 "
# red flags are warnings: they fail a check only when asked to
pk_case "$EX/one-way-visit.xml" 1 "PK-RISK-001 PK-RISK-006 PK-RISK-007 PK-RISK-009 PK-RISK-010 " --fail-on warning
# the Punjab overlay runs the federal rules and its own, named in the summary
run check --jurisdiction PK-PB "$EX/unlicensed-branch.xml"
status 1 "--jurisdiction PK-PB"
out_has "PK-LIC-009" "--jurisdiction PK-PB"
out_has "rules: pk-pb" "--jurisdiction PK-PB"
# every message of the default pack has its Urdu form
run check --lang ur "$EX/work-visa-no-protector.xml"
status 1 "--lang ur with the default pack"
out_has "PK-EMIG-001" "--lang ur with the default pack"
LC_ALL=C grep -q "$(printf '\330')" "$tmp/out" || fail "--lang ur with the default pack: no Arabic-script text"

# ---------------------------------------------------------------- the evaluation budget and failing closed

# --max-ops: a budget too small for a document is one evaluation error, exit 1; the rules
# after it are not run; the same document with the default budget is unchanged
run check --help
out_has "--max-ops N" "check --help"
run audit --help
out_has "--max-ops N" "audit --help"
for m in 0 -5 12x ""; do
	run check --max-ops "$m" "$EX/umrah-family.xml"
	status 2 "bad --max-ops '$m'"
done
run rules test --max-ops 0 "$srcdir/rules/pk"
status 2 "rules test --max-ops 0"
run check --as-of 2026-12-01 --max-ops 1000 "$EX/umrah-family.xml"
status 1 "--max-ops 1000"
out_has "[evaluation error] the evaluation budget of 1000 operations ran out in the rule" "--max-ops 1000"
out_has "1 error, 0 warnings" "--max-ops 1000: one finding"
run check --as-of 2026-12-01 --max-ops 1000 -f json "$EX/umrah-family.xml"
status 1 "--max-ops 1000 -f json"
out_has '"kind":"evaluation-error"' "--max-ops 1000 -f json"
run check --as-of 2026-12-01 "$EX/umrah-family.xml"
status 0 "the default budget"
out_has "no findings" "the default budget"
run audit --as-of 2026-12-01 --max-ops 1000 -f jsonl "$srcdir/examples/submissions/lahore-2026-q4.xml"
status 1 "audit --max-ops 1000"
[ "$(grep -c 'budget of 1000 operations' "$tmp/out")" -eq 11 ] ||
	fail "audit --max-ops 1000: not one budget finding in each of the 11 bookings: $(show "$tmp/out")"

# Regression (issue 11): a remark padded with 10 MB made fn:matches give up, which read as
# "no match": PK-RISK-019 (someone else keeps the passports) no longer fired, exit 0. The
# regular expressions now match in linear time: the warning fires, as on the short remark.
T19=$srcdir/rules/pk/tests/risk/019-organiser-keeps-passports.xml
{
	sed -n '/<remark/q;p' "$T19"
	printf '  <remark by="counter staff">Group leader said he will keep the passports until the flight.'
	head -c 10485760 /dev/zero | tr '\000' x
	printf '</remark>\n</booking>\n'
} >"$tmp/019-padded.xml"
run_bounded check --as-of 2026-12-01 "$tmp/019-padded.xml"
[ "$st" -eq 0 ] || fail "a padded remark: exit status $st, expected 0 (a warning): $(show "$tmp/out")"
out_has "warning PK-RISK-019" "a padded remark: PK-RISK-019 fires"
out_lacks "cannot evaluate" "a padded remark"

# Large group bookings fit in the default budget (issue 11): an Umrah group of 1,000
# travellers in families, each party with its flights and hotel (bench/gen_large_booking.py),
# is checked to the end, no budget finding; PK-RISK-015 names each adult's first ten
# unrelated fellow travellers and counts the rest. Before, PK-RISK-015 compared each adult
# with every fellow traveller: 400 travellers ran out of the budget.
if need_py "bench/gen_large_booking.py: groups of 400 and 1,000 travellers"; then
	for n in 400 1000; do
		"$PY" "$srcdir/bench/gen_large_booking.py" "$n" "$tmp/group-$n.xml" >/dev/null 2>"$tmp/pyerr" ||
			fail "gen_large_booking.py $n: $(show "$tmp/pyerr")"
		# (no time limit: a sanitizer build on a loaded machine takes its time; the budget
		# bounds the work)
		run check --as-of 2026-12-01 "$tmp/group-$n.xml"
		status 0 "a group of $n travellers (warnings only)"
		out_lacks "evaluation error" "a group of $n travellers"
		out_lacks "budget" "a group of $n travellers"
		out_has "warning PK-RISK-015" "a group of $n travellers"
		out_has " more) with no declared or apparent family tie" "a group of $n travellers: the list is cut"
		# no message names more than ten of them
		grep 'PK-RISK-015' "$tmp/out" | sed -n 's/.*minors[a-z ]* (\([^)]*\)).*/\1/p' | sed 's/ and [0-9]* more$//' |
			awk -F', ' 'NF > 10 { bad = 1 } END { exit bad }' ||
			fail "a group of $n travellers: a PK-RISK-015 message names more than ten travellers"
	done
fi

# ---------------------------------------------------------------- result

finish cli.sh
