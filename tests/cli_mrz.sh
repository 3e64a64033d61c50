#!/bin/sh
# rahdari tests: the commands "rahdari mrz" and "rahdari cnic", run as a user runs them.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_mrz.sh
#
# Checks the ways to give MRZs (lines as arguments, a file of blocks, standard input),
# the output formats (text, json, jsonl; the JSON is parsed with /usr/bin/python3), --as-of, the exit statuses (0 all valid, 1 one is not, 2 usage error, 3 the
# input could not be read), streaming (600 MRZs give exactly their outputs one by one; a
# last line without a line end; a block too large; a device), rahdari cnic in the same
# way, and the help.
# Prints each failure and exits 1 if there was any; else 77 (SKIP) when the JSON could not
# be parsed for want of python3; 0 otherwise.
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_mrz.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdmrz.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

. "$srcdir/tests/cli_lib.sh"

# A Python for checking JSON (only the standard library is needed).
PY=
for p in /usr/bin/python3 "${PYTHON_TESTS:-}"; do
	if [ -n "$p" ] && [ -x "$p" ]; then
		PY=$p
		break
	fi
done

# json_check WHAT MODE PYTHON-EXPRESSION: the expression is true of d, the parsed stdout
# (MODE json: one document; jsonl: d is the list of the parsed lines).
json_check() {
	need_py "JSON output parsed" || return 0
	"$PY" - "$tmp/out" "$2" "$3" <<'EOF' || fail "$1: JSON check '$3' failed: $(show "$tmp/out")"
import json, sys
path, mode, expr = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, encoding="utf-8") as f:
    text = f.read()
if mode == "jsonl":
    d = [json.loads(line) for line in text.splitlines()]
else:
    d = json.loads(text)
ok = eval(expr, {"d": d})
sys.exit(0 if ok else 1)
EOF
}

# ---------------------------------------------------------------- the MRZs

TD3_1='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'
TD3_2='L898902C36UTO7408122F1204159ZE184226B<<<<<10'
TD3_BAD='L898902C36UTO7508122F1204159ZE184226B<<<<<10'
TD2_1='I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<'
TD2_2='D231458907UTO7408122F1204159<<<<<<<6'
TD1_1='I<UTOD231458907<<<<<<<<<<<<<<<'
TD1_2='7408122F1204159UTO<<<<<<<<<<<6'
TD1_3='ERIKSSON<<ANNA<MARIA<<<<<<<<<<'
MRVA_1='V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'
MRVA_2='L898902C<3UTO6908061F9406236ZE184226B<<<<<<<'
MRVB_1='V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<'
MRVB_2='L898902C<3UTO6908061F9406236ZE184226'

# A file of the five formats, blocks separated by blank lines (some with white space),
# indented lines, and a trailing blank line.
{
	printf '%s\n%s\n\n' "$TD3_1" "$TD3_2"
	printf '  %s\n  %s\n \t\n' "$TD2_1" "$TD2_2"
	printf '%s\n%s\n%s\n\n\n' "$TD1_1" "$TD1_2" "$TD1_3"
	printf '%s\n%s\n\n' "$MRVA_1" "$MRVA_2"
	printf '%s\n%s\n' "$MRVB_1" "$MRVB_2"
} >"$tmp/five.txt"
# The same with CRLF line ends.
sed 's/$/\r/' "$tmp/five.txt" >"$tmp/five-crlf.txt"
# Two valid blocks and an invalid one in the middle.
printf '%s\n%s\n\n%s\n%s\n\n%s\n%s\n' "$TD3_1" "$TD3_2" "$TD3_1" "$TD3_BAD" "$TD2_1" "$TD2_2" \
	>"$tmp/mixed.txt"

# ---------------------------------------------------------------- help

run help mrz
status 0 "rahdari help mrz"
out_has "Usage: rahdari mrz [OPTIONS] [FILE|-]" "rahdari help mrz"
out_has "LINE LINE [LINE]" "rahdari help mrz"
out_has "--format" "rahdari help mrz"
out_has "--as-of" "rahdari help mrz"
out_has "Exit status" "rahdari help mrz"
cp "$tmp/out" "$tmp/help-mrz"

run mrz --help
status 0 "rahdari mrz --help"
cmp -s "$tmp/out" "$tmp/help-mrz" || fail "rahdari mrz --help differs from rahdari help mrz"

run mrz -h
status 0 "rahdari mrz -h"

run help cnic
status 0 "rahdari help cnic"
out_has "Usage: rahdari cnic" "rahdari help cnic"
cp "$tmp/out" "$tmp/help-cnic"

run cnic --help
status 0 "rahdari cnic --help"
cmp -s "$tmp/out" "$tmp/help-cnic" || fail "rahdari cnic --help differs from rahdari help cnic"

run --help
status 0 "rahdari --help"
out_has "mrz" "rahdari --help lists mrz"
out_has "cnic" "rahdari --help lists cnic"

# ---------------------------------------------------------------- lines as arguments

run mrz "$TD3_1" "$TD3_2"
status 0 "TD3 as arguments"
out_has "TD3, valid" "TD3 as arguments"
out_has "surname         ERIKSSON" "TD3 as arguments"
out_has "givenNames      ANNA MARIA" "TD3 as arguments"
out_has "documentNumber  L898902C3" "TD3 as arguments"
out_has "birthDate       1974-08-12" "TD3 as arguments"
out_has "expiryDate      2012-04-15" "TD3 as arguments"
out_has "optionalData    ZE184226B" "TD3 as arguments"
out_has "composite 0 ok" "TD3 as arguments"
out_has "warning [specimen]" "TD3 as arguments"
out_lacks "MRZ 1:" "one MRZ: no numbering"
err_empty "TD3 as arguments"

run mrz "$TD1_1" "$TD1_2" "$TD1_3"
status 0 "TD1 as arguments"
out_has "TD1, valid" "TD1 as arguments"
out_has "optionalData2" "TD1 as arguments"

run mrz "$MRVB_1" "$MRVB_2"
status 0 "MRV-B as arguments"
out_has "MRVB, valid" "MRV-B as arguments"

run mrz "$TD3_1" "$TD3_BAD"
status 1 "changed birth date"
out_has "TD3, NOT valid" "changed birth date"
out_has "birthDate 2 WRONG" "changed birth date"
out_has "composite 0 WRONG" "changed birth date"
out_has "[check-digit]" "changed birth date"
out_has "expected 5, found 2" "changed birth date"
out_has "expected 1, found 0" "changed birth date"

# sex or nationality changed: still valid (no check digit covers them)
run mrz "$TD3_1" 'L898902C36GBR7408122M1204159ZE184226B<<<<<10'
status 0 "sex and nationality changed"
out_has "TD3, valid" "sex and nationality changed"

# one line of an MRZ is not an MRZ
run mrz "$TD3_1"
status 1 "one line"
out_has "NOT valid" "one line"
out_has "[format]" "one line"

run mrz "$TD3_1" 'L898902C36UTO7408122F1204159ZE184226B<<<<10'
status 1 "a line of 43"
out_has "[format]" "a line of 43"

# ---------------------------------------------------------------- files and standard input

run mrz "$tmp/five.txt"
status 0 "file of five blocks"
for n in 1 2 3 4 5; do
	out_has "MRZ $n: " "file of five blocks"
done
out_lacks "MRZ 6:" "file of five blocks"
out_has "MRZ 1: TD3, valid" "file of five blocks"
out_has "MRZ 2: TD2, valid" "file of five blocks"
out_has "MRZ 3: TD1, valid" "file of five blocks"
out_has "MRZ 4: MRVA, valid" "file of five blocks"
out_has "MRZ 5: MRVB, valid" "file of five blocks"
cp "$tmp/out" "$tmp/five-text"

run mrz "$tmp/five-crlf.txt"
status 0 "CRLF file"
cmp -s "$tmp/out" "$tmp/five-text" || fail "CRLF file: output differs from the LF file's"

run mrz <"$tmp/five.txt"
status 0 "standard input (no argument)"
cmp -s "$tmp/out" "$tmp/five-text" || fail "standard input: output differs from the file's"

run mrz - <"$tmp/five.txt"
status 0 "standard input ('-')"
cmp -s "$tmp/out" "$tmp/five-text" || fail "'-': output differs from the file's"

run mrz "$tmp/mixed.txt"
status 1 "one invalid block of three"
out_has "MRZ 1: TD3, valid" "one invalid block of three"
out_has "MRZ 2: TD3, NOT valid" "one invalid block of three"
out_has "MRZ 3: TD2, valid" "one invalid block of three"

printf '%s\n%s' "$TD3_1" "$TD3_2" >"$tmp/no-newline.txt"
run mrz "$tmp/no-newline.txt"
status 0 "no newline at the end"
out_has "TD3, valid" "no newline at the end"

# a file whose name is made of MRZ characters is still a file
cp "$tmp/five.txt" "$tmp/MRZ2024"
checks=$((checks + 1))
(cd "$tmp" && "$RAHDARI" mrz MRZ2024 >"$tmp/out" 2>"$tmp/err")
st=$?
status 0 "a file named MRZ2024"
out_has "MRZ 5: MRVB, valid" "a file named MRZ2024"

# ---------------------------------------------------------------- JSON and JSON Lines

run mrz --format json "$TD3_1" "$TD3_2"
status 0 "json, one MRZ"
out_has '"format":"TD3"' "json, one MRZ"
out_has '"valid":true' "json, one MRZ"
[ "$(lines "$tmp/out")" -eq 1 ] || fail "json, one MRZ: not one line"
json_check "json, one MRZ" json 'isinstance(d, dict) and d["format"] == "TD3" and d["valid"] is True'
json_check "json, one MRZ" json 'd["fields"] == {"documentCode": "P", "issuingState": "UTO", "surname": "ERIKSSON", "givenNames": "ANNA MARIA", "documentNumber": "L898902C3", "nationality": "UTO", "birthDate": "1974-08-12", "sex": "F", "expiryDate": "2012-04-15", "optionalData": "ZE184226B"}'
json_check "json, one MRZ" json '[(c["field"], c["expected"], c["found"], c["ok"]) for c in d["checks"]] == [("documentNumber", "6", "6", True), ("birthDate", "2", "2", True), ("expiryDate", "9", "9", True), ("optionalData", "1", "1", True), ("composite", "0", "0", True)]'
json_check "json, one MRZ" json 'd["errors"] == [] and sorted(w["code"] for w in d["warnings"]) == ["document-code-not-harmonised", "specimen", "specimen"]'
json_check "json, one MRZ" json 'all(set(w) >= {"code", "message", "position"} for w in d["warnings"])'

run mrz --format json "$TD3_1" "$TD3_BAD"
status 1 "json, invalid"
json_check "json, invalid" json 'd["valid"] is False and [(e["code"], e["position"]["line"], e["position"]["column"]) for e in d["errors"]] == [("check-digit", 2, 20), ("check-digit", 2, 44)]'
json_check "json, invalid" json '[(c["expected"], c["found"]) for c in d["checks"] if not c["ok"]] == [("5", "2"), ("1", "0")]'

run mrz --format json "$TD1_1" "$TD1_2" "$TD1_3"
status 0 "json, TD1"
json_check "json, TD1" json 'd["format"] == "TD1" and d["fields"]["optionalData2"] == "" and len(d["checks"]) == 4'

run mrz --format json "$tmp/five.txt"
status 0 "json, five MRZs"
json_check "json, five MRZs" json 'isinstance(d, list) and [x["format"] for x in d] == ["TD3", "TD2", "TD1", "MRVA", "MRVB"] and all(x["valid"] for x in d)'

run mrz --format=json "$tmp/mixed.txt"
status 1 "json, mixed"
json_check "json, mixed" json '[x["valid"] for x in d] == [True, False, True]'

run mrz --format jsonl "$tmp/five.txt"
status 0 "jsonl, five MRZs"
[ "$(lines "$tmp/out")" -eq 5 ] || fail "jsonl, five MRZs: $(lines "$tmp/out") lines"
json_check "jsonl, five MRZs" jsonl '[x["format"] for x in d] == ["TD3", "TD2", "TD1", "MRVA", "MRVB"]'

run mrz -f jsonl "$TD3_1" "$TD3_2"
status 0 "jsonl, one MRZ"
[ "$(lines "$tmp/out")" -eq 1 ] || fail "jsonl, one MRZ: $(lines "$tmp/out") lines"
json_check "jsonl, one MRZ" jsonl 'len(d) == 1 and d[0]["valid"] is True'

run mrz --format text "$TD3_1" "$TD3_2"
status 0 "--format text"
out_has "TD3, valid" "--format text"

# non-UTF-8 bytes in an MRZ: the JSON stays valid
printf 'P<UTOERIKSSON<<ANNA\377MARIA<<<<<<<<<<<<<<<<<<<\n%s\n' "$TD3_2" >"$tmp/bytes.txt"
run mrz --format json "$tmp/bytes.txt"
status 1 "json, a byte that is not UTF-8"
json_check "json, a byte that is not UTF-8" json 'd["errors"][0]["code"] == "charset"'

# a NUL byte in a line hides nothing
printf 'P<UTOERIKSSON<<ANNA\000maria<<<<<<<<<<<<<<<<<<<\n%s\n' "$TD3_2" >"$tmp/nul.txt"
run mrz "$tmp/nul.txt"
status 1 "a NUL byte in a line"
out_has "[charset]" "a NUL byte in a line"

# ---------------------------------------------------------------- --as-of

run mrz --format json "$MRVA_1" "$MRVA_2"
status 0 "visa, today"
json_check "visa, today" json 'd["fields"]["expiryDate"] == "1994-06-23" and d["fields"]["birthDate"] == "1969-08-06"'

run mrz --format json --as-of 2080-01-01 "$MRVA_1" "$MRVA_2"
status 0 "visa, --as-of 2080-01-01"
json_check "visa, --as-of 2080-01-01" json 'd["fields"]["expiryDate"] == "2094-06-23" and d["fields"]["birthDate"] == "2069-08-06"'
out_has '"expiryDate":"2094-06-23"' "visa, --as-of 2080-01-01"

run mrz -d 2060-01-01 "$MRVA_1" "$MRVA_2"
status 0 "visa, -d 2060-01-01"
out_has "birthDate       1969-08-06" "visa, -d 2060-01-01"
out_has "expiryDate      1994-06-23" "visa, -d 2060-01-01"

# a birth date is never after the as-of date: 261128 is 2026 on that day, 1926 the day before
run mrz --format json --as-of 2026-11-28 "$TD3_1" 'L898902C36UTO2611281F1204159ZE184226B<<<<<10'
json_check "birth date on the as-of day" json 'd["fields"]["birthDate"] == "2026-11-28"'
run mrz --format json --as-of 2026-11-27 "$TD3_1" 'L898902C36UTO2611281F1204159ZE184226B<<<<<10'
json_check "birth date after the as-of day" json 'd["fields"]["birthDate"] == "1926-11-28"'

# ---------------------------------------------------------------- usage errors (2)

run mrz --format xml "$TD3_1" "$TD3_2"
status 2 "mrz --format xml"
err_has "xml" "mrz --format xml"
out_empty "mrz --format xml"

run mrz --format "$TD3_1" "$TD3_2"
status 2 "mrz --format with an MRZ line as value"

run mrz "$TD3_1" "$TD3_2" --format
status 2 "mrz --format without a value"
err_has "needs a value" "mrz --format without a value"
out_empty "mrz --format without a value"

for d in 2026-02-30 2025-02-29 2026-13-01 2026-1-01 yesterday ""; do
	run mrz --as-of "$d" "$TD3_1" "$TD3_2"
	status 2 "mrz --as-of '$d'"
	out_empty "mrz --as-of '$d'"
done
err_has "--as-of" "mrz --as-of"

run mrz --bogus "$TD3_1" "$TD3_2"
status 2 "mrz --bogus"
err_has "unknown option '--bogus'" "mrz --bogus"
out_empty "mrz --bogus"

run mrz -x "$TD3_1" "$TD3_2"
status 2 "mrz -x"
err_has "-x" "mrz -x"

run mrz "$TD3_1" hello
status 2 "an MRZ line and a word"
err_has "hello" "an MRZ line and a word"
out_empty "an MRZ line and a word"

run mrz "$TD3_1" 'L898902C36UTO7408122F1204159ZE184226B<<<<<1-'
status 2 "an argument with a character outside the MRZ set"

run mrz "$tmp/five.txt" "$tmp/mixed.txt"
status 2 "two files"
out_empty "two files"

# ---------------------------------------------------------------- unreadable input (3)

run mrz "$tmp/no-such-file.txt"
status 3 "missing file"
err_has "no-such-file.txt" "missing file"
out_empty "missing file"

: >"$tmp/empty.txt"
run mrz "$tmp/empty.txt"
status 3 "empty file"
err_has "no MRZ" "empty file"

printf '\n  \n\t\n' >"$tmp/blank.txt"
run mrz "$tmp/blank.txt"
status 3 "blank file"

run mrz </dev/null
status 3 "empty standard input"
err_has "standard input" "empty standard input"

run mrz - </dev/null
status 3 "empty standard input ('-')"

run mrz --format json "$tmp/empty.txt"
status 3 "empty file, json"

run mrz "$tmp"
status 3 "a directory"

# ---------------------------------------------------------------- streaming

# The MRZs of a file are written one by one as they are read (memory stays flat): the
# output of many MRZs is exactly what the MRZs give one at a time, numbered ("MRZ n: ")
# in text, an array in json, one line each in jsonl.
printf '%s\n%s\n' "$TD3_1" "$TD3_2" >"$tmp/blk0"
printf '%s\r\n%s\r\n' "$TD2_1" "$TD2_2" >"$tmp/blk1"
printf '  %s\n%s\n%s  \n' "$TD1_1" "$TD1_2" "$TD1_3" >"$tmp/blk2"
printf '%s\n%s\n' "$TD3_1" "$TD3_BAD" >"$tmp/blk3"
printf '%s\n%s\n' "$MRVA_1" "$MRVA_2" >"$tmp/blk4"
printf 'HELLO<WORLD\n' >"$tmp/blk5"
printf '%s\n%s\n' "$MRVB_1" "$MRVB_2" >"$tmp/blk6"
for k in 0 1 2 3 4 5 6; do
	for f in text json jsonl; do
		"$RAHDARI" mrz --as-of 2026-12-01 -f $f "$tmp/blk$k" >"$tmp/one$k.$f" 2>/dev/null
	done
done
: >"$tmp/many.txt"
: >"$tmp/many-want.text"
: >"$tmp/many-want.json"
: >"$tmp/many-want.jsonl"
i=0
while [ $i -lt 600 ]; do
	k=$((i % 7))
	[ $i -eq 0 ] || case $((i % 3)) in
		0) printf '\n' ;;
		1) printf ' \t\n' ;;
		*) printf '\n\r\n\n' ;;
	esac >>"$tmp/many.txt"
	cat "$tmp/blk$k" >>"$tmp/many.txt"
	[ $i -eq 0 ] || printf '\n' >>"$tmp/many-want.text"
	printf 'MRZ %d: ' $((i + 1)) >>"$tmp/many-want.text"
	cat "$tmp/one$k.text" >>"$tmp/many-want.text"
	if [ $i -eq 0 ]; then printf '['; else printf ',\n '; fi >>"$tmp/many-want.json"
	tr -d '\n' <"$tmp/one$k.json" >>"$tmp/many-want.json"
	cat "$tmp/one$k.jsonl" >>"$tmp/many-want.jsonl"
	i=$((i + 1))
done
printf ']\n' >>"$tmp/many-want.json"
for f in text json jsonl; do
	run mrz --as-of 2026-12-01 -f $f "$tmp/many.txt"
	status 1 "600 MRZs ($f)"
	cmp -s "$tmp/out" "$tmp/many-want.$f" ||
		fail "600 MRZs ($f): not the MRZs' own outputs one after the other: $(cmp "$tmp/out" "$tmp/many-want.$f" 2>&1)"
	err_empty "600 MRZs ($f)"
	checks=$((checks + 1))
	"$RAHDARI" mrz --as-of 2026-12-01 -f $f <"$tmp/many.txt" >"$tmp/out" 2>"$tmp/err"
	st=$?
	status 1 "600 MRZs on standard input ($f)"
	cmp -s "$tmp/out" "$tmp/many-want.$f" || fail "600 MRZs on standard input ($f): differs"
done
run mrz --as-of 2026-12-01 -f json "$tmp/many.txt"
json_check "600 MRZs (json)" json 'len(d) == 600 and [x["format"] for x in d[:7]] == ["TD3", "TD2", "TD1", "TD3", "MRVA", None, "MRVB"] and sum(not x["valid"] for x in d) == 171'

# a last MRZ of one line without a line end is read too (it was dropped: a file of valid
# MRZs followed by such a line passed as valid)
printf '%s\n%s\n\n%s' "$TD3_1" "$TD3_2" "$TD3_BAD" >"$tmp/tail-line.txt"
run mrz "$tmp/tail-line.txt"
status 1 "a last line without a line end"
out_has "MRZ 2: unknown, NOT valid" "a last line without a line end"
out_has "this has 1 line of 44 characters" "a last line without a line end"
printf '%s' "$TD3_2" >"$tmp/one-line.txt"
run mrz "$tmp/one-line.txt"
status 1 "a file of one line without a line end"
out_has "NOT valid" "a file of one line without a line end"

# a block larger than any MRZ (64 KiB without a blank line) stops the input, after the
# MRZs before it, with its line
{
	printf '%s\n%s\n\n' "$TD3_1" "$TD3_2"
	i=0
	while [ $i -lt 2000 ]; do
		printf '%s\n' "$TD3_1"
		i=$((i + 1))
	done
} >"$tmp/huge-block.txt"
run mrz "$tmp/huge-block.txt"
status 3 "a block of 90 KB"
err_has "huge-block.txt:4: more than 65536 bytes without a blank line" "a block of 90 KB"
out_has "MRZ 1: TD3, valid" "a block of 90 KB"

# a device or a directory is refused at once (a device could be read for ever)
if [ -c /dev/zero ]; then
	run mrz /dev/zero
	status 3 "/dev/zero"
	err_has "/dev/zero: is a character device, not a regular file or a pipe: not read" "/dev/zero"
	out_empty "/dev/zero"
	checks=$((checks + 1))
	"$RAHDARI" mrz </dev/zero >"$tmp/out" 2>"$tmp/err"
	st=$?
	status 3 "standard input from /dev/zero"
	err_has "standard input: is a character device" "standard input from /dev/zero"
fi
run mrz "$tmp"
status 3 "a directory"
err_has "is a directory: not read" "a directory"
# a pipe stops at a NUL byte (text never holds one), after the MRZs before it; in a
# regular file a NUL byte is a character the check refuses (above)
checks=$((checks + 1))
printf '%s\n%s\n\nP<UTO\000\n' "$TD3_1" "$TD3_2" | "$RAHDARI" mrz >"$tmp/out" 2>"$tmp/err"
st=$?
status 3 "a NUL byte in a pipe"
err_has "standard input:4:6: a NUL byte, which a text file never holds: reading stopped" "a NUL byte in a pipe"
out_has "MRZ 1: TD3, valid" "a NUL byte in a pipe"

# ---------------------------------------------------------------- rahdari cnic

run cnic 34201-0891231-8 42201-0397640-8
status 0 "cnic: two valid"
out_has "34201-0891231-8: valid; Punjab; female" "cnic: two valid"
out_has "42201-0397640-8: valid; Sindh; female" "cnic: two valid"
err_empty "cnic: two valid"

run cnic 3420108912318
status 0 "cnic: without dashes"
out_has "34201-0891231-8: valid" "cnic: without dashes"

run cnic 35202-1234567-1
status 0 "cnic: male"
out_has "male" "cnic: male"
out_lacks "female" "cnic: male"

run cnic 34201-0891231-8 94201-0891231-8
status 1 "cnic: one invalid"
out_has "94201-0891231-8: NOT valid" "cnic: one invalid"
out_has "province" "cnic: one invalid"

for bad in 34201-0891231-0 3420-10891231-8 3420108912A18 34201-0891231-80 12345; do
	run cnic "$bad"
	status 1 "cnic '$bad'"
	out_has "NOT valid" "cnic '$bad'"
done

run cnic --format json 34201-0891231-8
status 0 "cnic json, one"
out_has '"valid":true' "cnic json, one"
json_check "cnic json, one" json 'd == {"input": "34201-0891231-8", "valid": True, "cnic": "34201-0891231-8", "provinceDigit": 3, "province": "Punjab", "gender": "F", "error": None}'

run cnic --format json 34201-0891231-8 42201-0397640-8 nonsense
status 1 "cnic json, three"
json_check "cnic json, three" json 'isinstance(d, list) and [x["valid"] for x in d] == [True, True, False] and d[1]["province"] == "Sindh" and d[2]["error"]'

run cnic --format jsonl 34201-0891231-8 42201-0397640-8 nonsense
status 1 "cnic jsonl"
[ "$(lines "$tmp/out")" -eq 3 ] || fail "cnic jsonl: $(lines "$tmp/out") lines"
json_check "cnic jsonl" jsonl '[x["valid"] for x in d] == [True, True, False]'

run cnic --format json 'a"b\c'
status 1 "cnic json, quotes in the input"
json_check "cnic json, quotes in the input" json 'd["input"] == "a\"b\\c"'

# the input is echoed as it was given (UTF-8)
run cnic --format json "$(printf '34201\342\200\2230891231\342\200\2238')"
status 1 "cnic json, en dashes"
json_check "cnic json, en dashes" json 'd["input"] == "34201\u20130891231\u20138" and d["valid"] is False'
# bytes that are not UTF-8 come back as U+FFFD, and the JSON stays valid
run cnic --format json "$(printf '34201\3770891231\2238')"
status 1 "cnic json, not UTF-8"
json_check "cnic json, not UTF-8" json 'd["input"] == "34201\ufffd0891231\ufffd8"'

run cnic
status 2 "cnic: no number"
out_empty "cnic: no number"

run cnic --format yaml 34201-0891231-8
status 2 "cnic --format yaml"
out_empty "cnic --format yaml"

run cnic --bogus 34201-0891231-8
status 2 "cnic --bogus"
err_has "unknown option '--bogus'" "cnic --bogus"

# --as-of belongs to rahdari mrz: rahdari cnic refuses it by its name
run cnic --as-of 2026-01-01 34201-0891231-8
status 2 "cnic --as-of"
err_has "--as-of" "cnic --as-of"
err_lacks "unknown option '2026-01-01'" "cnic --as-of"

run cnic --format
status 2 "cnic --format without a value"

# ---------------------------------------------------------------- result

finish cli_mrz.sh
