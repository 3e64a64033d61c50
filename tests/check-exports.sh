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
raw=$(mktemp)
trap 'rm -f "$tmp" "$raw"' EXIT
nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' > "$raw"
# version nodes are absolute symbols of their own (RAHDARI_0), not functions
grep -v '^RAHDARI_[0-9]*$' "$raw" | sed 's/@.*//' | sort -u > "$tmp"
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
# built with lib/rahdari.map (configure found a linker that takes it): every function is
# in the version node RAHDARI_0, the node exists, and nothing is unversioned
if [ "${RD_LD_VERSION_SCRIPT:-}" = yes ]; then
	if ! grep -qx 'RAHDARI_0' "$raw"; then
		echo "FAIL: $lib has no version node RAHDARI_0 (lib/rahdari.map not used?)"
		exit 1
	fi
	unversioned=$(grep -v '^RAHDARI_[0-9]*$' "$raw" | grep -v '@@RAHDARI_0$' || :)
	if [ -n "$unversioned" ]; then
		echo "FAIL: exported without the version RAHDARI_0 of lib/rahdari.map:"
		printf '  %s\n' $unversioned
		exit 1
	fi
	echo "ok: every symbol is in the version node RAHDARI_0"
fi
echo "ok: $(wc -l < "$tmp") symbols, all public and declared"
