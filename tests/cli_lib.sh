# tests/cli_lib.sh: the helpers the tests of the rahdari tool share. A test sources it
# (". "$srcdir/tests/cli_lib.sh"") after setting RAHDARI (the tool) and tmp (its work
# directory); it counts checks and failures in $checks and $failures.
# SPDX-License-Identifier: MIT

failures=0
checks=0
unrun=0
unrun_why=

# fail WHAT: count a failure and say it on stderr.
fail() {
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# cannot WHY: a check could not run for want of a tool (said once per reason). The test
# then ends with 77 (SKIP), never 0 (finish).
cannot() {
	unrun=$((unrun + 1))
	case $unrun_why in
	*"
  $1"*) ;;
	*)
		unrun_why="$unrun_why
  $1"
		printf 'SKIP: %s\n' "$1"
		;;
	esac
}

# finish NAME: end the test: 1 when a check failed, 77 (SKIP) when every check that ran
# passed but some could not run, 0 when all ran and passed.
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$1: $failures failure(s) in $checks runs" >&2
		exit 1
	fi
	if [ "$unrun" -ne 0 ]; then
		printf 'SKIP: %s: %s check(s) could not run:%s\n' "$1" "$unrun" "$unrun_why"
		exit 77
	fi
	echo "$1: all $checks runs passed"
	exit 0
}

# show FILE: its start on one line, for failure messages.
show() {
	head -c 600 "$1" 2>/dev/null | tr '\n' '|'
}

# run ARGS...: run the tool; stdout in $tmp/out, stderr in $tmp/err, status in $st.
run() {
	checks=$((checks + 1))
	"$RAHDARI" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# status WANT WHAT: the last run exited with WANT.
status() {
	if [ "$st" -ne "$1" ]; then
		fail "$2: exit status $st, expected $1; stdout: $(show "$tmp/out") stderr: $(show "$tmp/err")"
	fi
}

# out_has / err_has / out_lacks / err_lacks TEXT WHAT: the last run's stdout or stderr
# has (or lacks) TEXT, a fixed string.
out_has() {
	grep -F -q -e "$1" "$tmp/out" || fail "$2: stdout lacks '$1'; stdout: $(show "$tmp/out")"
}
err_has() {
	grep -F -q -e "$1" "$tmp/err" || fail "$2: stderr lacks '$1'; stderr: $(show "$tmp/err")"
}
out_lacks() {
	! grep -F -q -e "$1" "$tmp/out" || fail "$2: stdout has '$1'; stdout: $(show "$tmp/out")"
}
err_lacks() {
	! grep -F -q -e "$1" "$tmp/err" || fail "$2: stderr has '$1'; stderr: $(show "$tmp/err")"
}

# out_empty / err_empty WHAT: the last run wrote nothing there.
out_empty() {
	[ ! -s "$tmp/out" ] || fail "$1: stdout is not empty: $(show "$tmp/out")"
}
err_empty() {
	[ ! -s "$tmp/err" ] || fail "$1: stderr is not empty: $(show "$tmp/err")"
}

# PY: a python3 (PYTHON_TESTS first), or empty. need_py WHAT: true when there is one; else
# WHAT cannot be checked (cannot). A JSON check with it: json_ok WHAT PYTHON-CODE, the code
# reading the parsed stdout as `d` and raising on a problem.
if [ -n "${PYTHON_TESTS:-}" ] && command -v "$PYTHON_TESTS" >/dev/null 2>&1; then
	PY=$PYTHON_TESTS
elif command -v python3 >/dev/null 2>&1; then
	PY=python3
else
	PY=
fi
need_py() {
	[ -n "$PY" ] && return 0
	cannot "no python3: $1"
	return 1
}
json_ok() {
	need_py "JSON output parsed" || return 0
	"$PY" -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
$2
" "$tmp/out" 2>"$tmp/pyerr" || fail "$1: $(show "$tmp/pyerr") stdout: $(show "$tmp/out")"
}

# lines FILE: its number of lines.
lines() {
	wc -l <"$1" | tr -d ' '
}
