#!/bin/sh
# rahdari tests: bindings/python builds a wheel offline with pyproject.toml and setup.py
# (pip wheel --no-build-isolation --no-deps --no-index: the installed setuptools and
# wheel, no network) against the library just built (RAHDARI_CFLAGS, RAHDARI_LIBS); the
# wheel carries the version of configure.ac, the package, its stubs and the extension;
# unpacked in a directory of its own it imports and checks a booking.
#
# Exit status: 0 passed, 1 failed, 77 (SKIP) when the bindings were not built or the
# interpreter lacks pip, setuptools or wheel (Debian: python3-pip python3-setuptools
# python3-wheel), or under the sanitizers (the extension would need their runtimes).
# SPDX-License-Identifier: MIT
set -eu
srcdir=${srcdir:-.}
if [ -z "${RD_PYTHON:-}" ]; then
	echo "SKIP: the Python bindings were not built: ${RD_PYTHON_WHY:-configure found no Python headers}"
	exit 77
fi
for m in pip setuptools wheel; do
	if ! "$RD_PYTHON" -c "import $m" >/dev/null 2>&1; then
		echo "SKIP: $RD_PYTHON has no $m (Debian: apt-get install python3-$m)"
		exit 77
	fi
done
if [ "${RD_SANITIZERS:-no}" = yes ]; then
	echo "SKIP: built with the sanitizers: the wheel's extension would need their runtimes"
	exit 77
fi
: "${RD_VERSION:?RD_VERSION unset (make check sets it)}"
: "${RD_LIBDIR:?RD_LIBDIR unset (make check sets it)}"
top_srcdir=$(cd "$srcdir" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# pip builds in the source directory: a copy, since the source tree may be read-only
cp -R "$top_srcdir/bindings/python" "$tmp/src"
chmod -R u+w "$tmp/src"
rm -rf "$tmp/src/inplace" "$tmp/src/build"
if ! RAHDARI_CFLAGS="-I$top_srcdir/include -I$top_builddir/include" \
	RAHDARI_LIBS="-L$RD_LIBDIR -lrahdari" PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
	"$RD_PYTHON" -m pip wheel --no-build-isolation --no-deps --no-index -q \
	-w "$tmp/dist" "$tmp/src" > "$tmp/pip.log" 2>&1; then
	cat "$tmp/pip.log"
	echo "FAIL: pip wheel failed"
	exit 1
fi
set -- "$tmp"/dist/rahdari-*.whl
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	ls -l "$tmp/dist"
	echo "FAIL: expected one wheel rahdari-*.whl"
	exit 1
fi
wheel=$1
echo "built $(basename "$wheel")"
case $(basename "$wheel") in
rahdari-"$RD_VERSION"-*) ;;
*) echo "FAIL: the wheel's version is not $RD_VERSION (configure.ac): bindings/python/pyproject.toml"; exit 1;;
esac
mkdir "$tmp/site" "$tmp/run"
"$RD_PYTHON" - "$wheel" "$tmp/site" "$RD_VERSION" <<'PY'
import sys, zipfile
wheel, site, version = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    for want in ("rahdari/__init__.py", "rahdari/mrz.py", "rahdari/licence.py",
                 "rahdari/py.typed", "rahdari/_rahdari.pyi"):
        assert want in names, "missing from the wheel: " + want
    ext = [n for n in names if n.startswith("rahdari/_rahdari") and n.endswith(".so")]
    assert len(ext) == 1, "the extension is not in the wheel: %r" % names
    meta = [n for n in names if n.endswith(".dist-info/METADATA")]
    assert len(meta) == 1, names
    text = z.read(meta[0]).decode()
    for want in ("Name: rahdari", "Version: " + version, "Requires-Python: >=3.8"):
        assert want + "\n" in text, "METADATA lacks " + want
    z.extractall(site)
print("wheel: %d files, %s" % (len(names), ext[0]))
PY
# from the unpacked wheel alone: no LD_LIBRARY_PATH (the extension has a run path)
booking="$top_srcdir/examples/bookings/umrah-family.xml"
(cd "$tmp/run" && PYTHONPATH="$tmp/site" "$RD_PYTHON" - "$tmp/site" "$booking" "$RD_VERSION") <<'PY'
import os, sys
site, booking, version = sys.argv[1:]
import rahdari
from rahdari import _rahdari
assert os.path.dirname(_rahdari.__file__) == os.path.join(site, "rahdari"), _rahdari.__file__
assert rahdari.__version__ == version, rahdari.__version__
report = rahdari.check(booking, as_of="2026-12-01")
assert report.ok, [f.rule for f in report.findings]
bad = rahdari.check(booking.replace("umrah-family", "expired-passport"), as_of="2026-12-01")
assert not bad.ok and bad.findings, "an expired passport passed"
print("imported %s from the wheel: two bookings checked" % rahdari.__version__)
PY
echo "ok: offline wheel built, complete, and working"
