#!/bin/sh
# rahdari tests: build-aux/lists.am, the file-by-file lists of the embedded packs and of
# the data in the tarball, is what build-aux/gen-lists.sh makes of the committed files
# (git ls-files). Outside a git checkout (a tarball) there is nothing to compare: SKIP.
set -eu
srcdir=${srcdir:-.}
if ! command -v git >/dev/null 2>&1; then
	echo "SKIP: git not found"
	exit 77
fi
# the top of a git work tree: not an unpacked tarball (distcheck unpacks it inside one)
top=$(git -C "$srcdir" rev-parse --show-toplevel 2>/dev/null || :)
if [ -z "$top" ] || [ "$(cd "$top" && pwd -P)" != "$(cd "$srcdir" && pwd -P)" ]; then
	echo "SKIP: $srcdir is not the top of a git checkout (the lists are checked where they are made)"
	exit 77
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh "$srcdir/build-aux/gen-lists.sh" "$srcdir" "$tmp"
if ! diff -u "$srcdir/build-aux/lists.am" "$tmp"; then
	echo "FAIL: build-aux/lists.am differs from the committed files (- listed, + in git):"
	echo "      run make update-lists and commit build-aux/lists.am"
	exit 1
fi

echo "ok: build-aux/lists.am matches git ls-files ($(grep -c "^	" "$tmp") files)"
