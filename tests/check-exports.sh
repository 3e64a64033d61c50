#!/bin/sh
# rahdari tests: the shared library exports exactly the public API (tests/exports.txt):
# nothing internal (rd__*, libxml2 or OpenSSL symbols) and nothing missing. Change
# tests/exports.txt only together with the headers and a note in NEWS.
set -eu
lib="${top_builddir:-.}/lib/.libs/librahdari.so"
if [ ! -f "$lib" ]; then
	echo "SKIP: $lib not built (static-only build?)"
	exit 77
fi
if ! command -v nm >/dev/null 2>&1; then
	echo "SKIP: nm not found"
	exit 77
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' |
	grep -v '^librahdari\.so' | sort -u > "$tmp"
if ! diff -u "${srcdir:-.}/tests/exports.txt" "$tmp"; then
	echo "FAIL: the exported symbols differ from tests/exports.txt (- expected, + actual)"
	exit 1
fi
# every exported function is declared in a public header
for sym in $(cat "$tmp"); do
	if ! grep -q "[( ]$sym(" "${srcdir:-.}"/include/rahdari/*.h "${top_builddir:-.}"/include/rahdari/*.h; then
		echo "FAIL: $sym is exported but not declared in include/rahdari/"
		exit 1
	fi
done
echo "ok: $(wc -l < "$tmp") symbols, all public and declared"
