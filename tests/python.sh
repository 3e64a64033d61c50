#!/bin/sh
# rahdari tests: the Python bindings, with pytest (bindings/python/tests).
#
# Usage (make check sets these): RD_PYTHON=/usr/bin/python3 RD_PYTHON_INPLACE=DIR
#        RD_LIBDIR=lib/.libs RAHDARI=cli/rahdari srcdir=. sh tests/python.sh [PYTEST ARGS]
#
# Runs `$RD_PYTHON -m pytest -q bindings/python/tests` with the bindings staged by `make`
# in RD_PYTHON_INPLACE (bindings/python/inplace of the build tree) first on PYTHONPATH and
# the library just built first on LD_LIBRARY_PATH, so a VPATH or distcheck build tests
# what it built, never an installed copy. Under --enable-sanitizers the interpreter, which
# is not instrumented, gets the sanitizer runtimes preloaded.
#
# Exit status: pytest's (0 passed, 1 a test failed); 77 (SKIP) when the bindings were not
# built (configure says why) or the interpreter has no pytest; 99 when run wrongly.
# SPDX-License-Identifier: MIT

set -u

srcdir=${srcdir:-.}
if [ -z "${RD_PYTHON:-}" ]; then
	echo "SKIP: the Python bindings were not built: ${RD_PYTHON_WHY:-configure found no Python headers}"
	exit 77
fi
if [ -z "${RD_PYTHON_INPLACE:-}" ] || [ ! -f "$RD_PYTHON_INPLACE/rahdari/__init__.py" ]; then
	echo "python.sh: the staged bindings are missing (${RD_PYTHON_INPLACE:-RD_PYTHON_INPLACE unset}): run make" >&2
	exit 99
fi
if ! "$RD_PYTHON" -c 'import pytest' >/dev/null 2>&1; then
	echo "SKIP: $RD_PYTHON has no pytest (Debian: apt-get install python3-pytest)"
	exit 77
fi
tests=$srcdir/bindings/python/tests
if [ ! -d "$tests" ]; then
	echo "python.sh: $tests not found (set srcdir)" >&2
	exit 99
fi

PYTHONPATH=$RD_PYTHON_INPLACE${PYTHONPATH:+:$PYTHONPATH}
LD_LIBRARY_PATH=${RD_LIBDIR:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# the source tree may be read-only (distcheck): no bytecode, no pytest cache there
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH LD_LIBRARY_PATH PYTHONDONTWRITEBYTECODE

if [ "${RD_SANITIZERS:-no}" = yes ]; then
	cc=${CC:-cc}
	asan=$($cc -print-file-name=libasan.so 2>/dev/null)
	ubsan=$($cc -print-file-name=libubsan.so 2>/dev/null)
	case $asan in /*) ;; *)
		echo "SKIP: a sanitizer build, and $cc does not say where libasan.so is"
		exit 77 ;;
	esac
	LD_PRELOAD="$asan${ubsan:+ $ubsan}${LD_PRELOAD:+ $LD_PRELOAD}"
	# CPython keeps memory until exit on purpose: leaks are not ours to judge here
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export LD_PRELOAD ASAN_OPTIONS
fi

exec "$RD_PYTHON" -m pytest -q -p no:cacheprovider "$tests" "$@"
