#!/bin/sh
# rahdari tests: allocation failures never hide a finding.
#
# tests/failalloc.so (LD_PRELOAD) fails the Nth allocation. First tests/failalloc_check
# sweeps N over every allocation made inside rd_check() and rd_audit_memory() for small
# checks (see that file); then a coarser sweep runs the whole `rahdari check` process with
# its Nth allocation failing, N spread over all of them: each run must either give the
# output of the run without failure (same exit status, same report), or refuse (exit 3
# with a message on stderr), or report an evaluation error in the document -- never a
# clean or shorter report, never a crash.
#
# Skips (77) under the sanitizers and valgrind, whose allocators cannot be replaced.
# Set RD_FAILALLOC_STEPS to change the number of runs of the process sweep (default 150).
# SPDX-License-Identifier: MIT

set -u

srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
if [ "${RD_SANITIZERS:-no}" = yes ] || [ -n "${RD_UNDER_VALGRIND:-}" ]; then
	echo "SKIP: the allocation-failure injector cannot replace the sanitizers' or valgrind's allocator"
	exit 77
fi
SO=$top_builddir/tests/.libs/failalloc.so
if [ ! -f "$SO" ]; then
	echo "SKIP: $SO was not built"
	exit 77
fi
# the tool itself, not libtool's wrapper script (whose shell would be armed too)
BIN=$top_builddir/cli/.libs/rahdari
[ -x "$BIN" ] || BIN=${RAHDARI:-$top_builddir/cli/rahdari}
LIBDIR=$top_builddir/lib/.libs
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
SO=$(abs "$SO")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdfail.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM
failures=0

# 1. every allocation of the library's checks
LD_PRELOAD=$SO srcdir=$srcdir "$top_builddir/tests/failalloc_check" -v >"$tmp/sweep" 2>&1
st=$?
cat "$tmp/sweep"
if [ "$st" -eq 77 ]; then
	exit 77
elif [ "$st" -ne 0 ]; then
	echo "FAIL: failalloc_check exited with $st" >&2
	failures=$((failures + 1))
fi

# 2. the whole process, N spread over all its allocations (sparing the two allocations of
# libxml2 that it cannot survive, as failalloc_check does)
RD_FAILALLOC_SPARE=$(LD_PRELOAD=$SO srcdir=$srcdir "$top_builddir/tests/failalloc_check" -p) || {
	echo "FAIL: failalloc_check -p" >&2
	exit 1
}
export RD_FAILALLOC_SPARE
tool() {
	LD_LIBRARY_PATH=$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} LD_PRELOAD=$SO \
		"$BIN" check --rules "$srcdir/rules/starter" --as-of 2026-12-01 -f json \
		"$srcdir/examples/bookings/expired-passport.xml" "$srcdir/examples/bookings/minor-alone.xml"
}
tool >"$tmp/want" 2>"$tmp/want.err"
want_st=$?
RD_FAILALLOC=0 RD_FAILALLOC_REPORT=$tmp/count tool >"$tmp/out" 2>"$tmp/err"
total=$(cat "$tmp/count" 2>/dev/null)
if [ "$want_st" -ne 1 ] || [ -z "$total" ] || ! cmp -s "$tmp/want" "$tmp/out"; then
	echo "FAIL: the process sweep cannot start (exit $want_st, $total allocations)" >&2
	cat "$tmp/want.err" >&2
	exit 1
fi
steps=${RD_FAILALLOC_STEPS:-150}
stride=$((total / steps))
[ "$stride" -ge 1 ] || stride=1
same=0 refused=0 evalerr=0 bad=0 runs=0
for mode in "" ":sticky"; do
	n=1
	while [ "$n" -le "$total" ]; do
		RD_FAILALLOC=$n$mode tool >"$tmp/out" 2>"$tmp/err"
		st=$?
		runs=$((runs + 1))
		if [ "$st" -eq "$want_st" ] && cmp -s "$tmp/want" "$tmp/out"; then
			same=$((same + 1))
		elif [ "$st" -eq 3 ] && [ -s "$tmp/err" ]; then
			refused=$((refused + 1))
		elif [ "$st" -eq 1 ] && grep -q '"kind":"evaluation-error"' "$tmp/out"; then
			evalerr=$((evalerr + 1))
		else
			bad=$((bad + 1))
			echo "FAIL: N=$n$mode: exit $st; stderr: $(head -c 300 "$tmp/err")" >&2
			diff "$tmp/want" "$tmp/out" | head -n 8 >&2
		fi
		n=$((n + stride))
	done
done
echo "process: $total allocations, $runs runs (every $stride, one-shot and sticky): same $same, refused $refused, evaluation error $evalerr, BAD $bad"
failures=$((failures + bad))
[ "$failures" -eq 0 ] || exit 1
exit 0
