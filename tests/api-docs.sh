#!/bin/sh
# rahdari tests: every public function has its reference documentation. Each function of
# tests/exports.txt (what the library exports) must be declared in a public header right
# after a documentation comment, /** ... */, the comments Doxygen turns into the API
# reference (make api-docs; DEVELOPERS.md). Every RD_EXTERN declaration of the headers is
# checked the same way. Names the undocumented functions and fails.
#
# With Doxygen (Debian: apt-get install doxygen) and RD_DOXYFILE, Doxygen itself then
# builds the reference with warnings for anything undocumented, and any warning fails.
# SPDX-License-Identifier: MIT
set -eu
srcdir=${srcdir:-.}
exports="$srcdir/tests/exports.txt"
# the headers as shipped (version.h as its template: configure only fills in numbers)
headers=$(ls "$srcdir"/include/rahdari/*.h "$srcdir"/include/rahdari/version.h.in | grep -v '/version\.h$')
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.doc"' EXIT

# For each declaration "RD_EXTERN(type) name(" print "name yes" when a /** */ comment
# ends on the line before it (blank lines aside), else "name no".
# shellcheck disable=SC2086
awk '
	FNR == 1 { pending = 0; indoc = 0 }
	indoc {
		if ($0 ~ /\*\//) { indoc = 0; pending = 1 }
		next
	}
	/^[ \t]*\/\*\*[^<]/ || /^[ \t]*\/\*\*$/ {
		if ($0 ~ /\*\/[ \t]*$/) pending = 1; else indoc = 1
		next
	}
	/^[ \t]*#/ { pending = 0; next }
	/RD_EXTERN\(/ {
		line = $0
		sub(/.*RD_EXTERN\([^)]*\)[ \t]*/, "", line)
		sub(/\(.*/, "", line)
		sub(/^[ \t*]*/, "", line)
		print line, (pending ? "yes" : "no"), FILENAME ":" FNR
		pending = 0
		next
	}
	/^[ \t]*$/ { next }
	{ pending = 0 }
' $headers > "$tmp.doc"

fail=0
while read -r sym; do
	[ -n "$sym" ] || continue
	entry=$(awk -v s="$sym" '$1 == s { print; exit }' "$tmp.doc")
	if [ -z "$entry" ]; then
		echo "FAIL: $sym is exported but no RD_EXTERN declaration of it was found"
		fail=1
	fi
done < "$exports"
undocumented=$(awk '$2 == "no" { print "  " $1 " (" $3 ")" }' "$tmp.doc")
if [ -n "$undocumented" ]; then
	echo "FAIL: public functions without a /** */ documentation comment:"
	printf '%s\n' "$undocumented"
	fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "ok: $(wc -l < "$tmp.doc") public functions, each documented ($(wc -l < "$exports") exported)"

# Doxygen's own view, when there is a Doxygen and a configured doc/Doxyfile
if [ -n "${DOXYGEN:-}" ] && [ -n "${RD_DOXYFILE:-}" ] && [ -f "$RD_DOXYFILE" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$tmp" "$tmp.doc" "$out"' EXIT
	(cat "$RD_DOXYFILE"; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $out/warnings") |
		"$DOXYGEN" - > "$out/log" 2>&1 || { cat "$out/log"; echo "FAIL: doxygen failed"; exit 1; }
	if [ -s "$out/warnings" ]; then
		cat "$out/warnings"
		echo "FAIL: doxygen warns about the public headers"
		exit 1
	fi
	echo "ok: doxygen built the reference without a warning"
fi
