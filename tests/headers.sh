#!/bin/sh
# rahdari tests: the public headers compile on their own, as strict C99 and as C++,
# with every warning an error, and expose no libxml2 or OpenSSL type.
set -eu
src=${srcdir:-.}
bld=${top_builddir:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="-I$src/include -I$bld/include"
cat > "$tmp/t.c" <<'EOT'
#include <rahdari.h>
int main(void) { rd_check_options o = RD_CHECK_OPTIONS_INIT; (void)o; return rd_version() == 0; }
EOT
for h in "$src"/include/rahdari/*.h "$bld"/include/rahdari/version.h "$src"/include/rahdari.h; do
	name=$(basename "$h")
	case "$h" in *rahdari.h) sub="rahdari.h" ;; *) sub="rahdari/$name" ;; esac
	printf '#include <%s>\n#include <%s>\nint x;\n' "$sub" "$sub" > "$tmp/one.c"
	$CC -std=c99 -pedantic -Wall -Wextra -Werror $inc -c "$tmp/one.c" -o "$tmp/one.o" ||
		{ echo "FAIL: $sub does not compile on its own (or twice) as C99"; exit 1; }
done
$CC -std=c99 -pedantic -Wall -Wextra -Werror $inc -c "$tmp/t.c" -o "$tmp/t.o" ||
	{ echo "FAIL: rahdari.h as C99"; exit 1; }
if command -v c++ >/dev/null 2>&1; then
	cp "$tmp/t.c" "$tmp/t.cc"
	c++ -std=c++11 -pedantic -Wall -Wextra -Werror $inc -c "$tmp/t.cc" -o "$tmp/t2.o" ||
		{ echo "FAIL: rahdari.h as C++"; exit 1; }
else
	echo "note: no C++ compiler, C++ check skipped"
fi
if grep -nE '#include *<(libxml|openssl)|xml[A-Z][a-zA-Z]*(Ptr|Doc|Node)|EVP_|X509|BIO_' "$src"/include/rahdari.h "$src"/include/rahdari/*.h; then
	echo "FAIL: a public header mentions libxml2 or OpenSSL"
	exit 1
fi
echo "ok: headers compile as C99 and C++, and expose no dependency type"
