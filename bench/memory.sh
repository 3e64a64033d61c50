#!/usr/bin/env bash
# bench/memory.sh [RAHDARI_BINARY] [N_BOOKINGS]
#
# Peak memory (resident set, from GNU time) of the commands whose output grows with the
# input's variety, on inputs made to have a lot of it:
#   rahdari mrz -f text|json|jsonl   on files of 100,000 and 1,000,000 MRZs (the five
#                                    formats in turn, one of them invalid)
#   rahdari audit -f jsonl|text|html on gen_submission.py N --distinct (default 200,000
#                                    bookings, about 350 MB): every booking an agency,
#                                    a route and a day of its own
# jsonl is the reference of the audit: it keeps nothing per group. A benchmark measures:
# this script prints the numbers and exits 0 (2 when it cannot run at all).
#
# Environment: BENCH_OUT (work directory, default ./bench-out), BENCH_MRZ (the MRZ counts,
# default "100000 1000000"; empty skips them), BENCH_JOBS (audit --jobs, default 2),
# PYTHON (python3). See bench/README.md.

set -u

here=$(cd "$(dirname "$0")" && pwd)
rahdari=${1:-./cli/rahdari}
n=${2:-200000}
out=${BENCH_OUT:-$PWD/bench-out}
mrz_counts=${BENCH_MRZ-100000 1000000}
jobs=${BENCH_JOBS:-2}
python=${PYTHON:-python3}

say() { printf '%s\n' "$*"; }
die() { printf 'bench/memory.sh: %s\n' "$*" >&2; exit 2; }

case $n in ''|*[!0-9]*) die "N must be a whole number, not '$n'";; esac
[ -x "$rahdari" ] || die "no rahdari at '$rahdari' (build it first, or give its path)"
[ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null ||
	die "GNU time (/usr/bin/time) is needed for peak memory (apt-get install time)"
mkdir -p "$out/tmp" || die "cannot create $out"
tmp=$out/tmp

# peak WHAT COMMAND...: run it, output to $tmp/peak.out; print its peak memory and status
peak() {
	local what=$1
	shift
	/usr/bin/time -f '%M %e %x' -o "$tmp/time" "$@" >"$tmp/peak.out" 2>"$tmp/peak.err"
	read -r kb secs st < <(tail -n 1 "$tmp/time")
	awk -v w="$what" -v kb="$kb" -v s="$secs" -v st="$st" \
		'BEGIN { printf "%-44s %9.1f MB peak %8s s  exit %s\n", w, kb / 1024, s, st }'
	[ "$st" = 3 ] && printf '%-44s %s\n' "" "$(head -c 200 "$tmp/peak.err")"
}

say "rahdari: $rahdari ($("$rahdari" version 2>/dev/null | grep -E '^(rahdari|allocator)' | paste -sd, - | sed 's/,/, /g'))"
for m in $mrz_counts; do
	case $m in ''|*[!0-9]*) die "BENCH_MRZ: '$m' is not a whole number";; esac
	f=$out/mrz-$m.txt
	if ! [ -s "$f" ]; then
		awk -v n="$m" 'BEGIN {
			b[0] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
			b[1] = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
			b[2] = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
			b[3] = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<<<"
			b[4] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7508122F1204159ZE184226B<<<<<10"
			for (i = 0; i < n; i++)
				printf "%s\n\n", b[i % 5]
		}' >"$f.tmp" && mv "$f.tmp" "$f" || die "cannot write $f"
	fi
	for fmt in text json jsonl; do
		peak "mrz -f $fmt, $m MRZs" "$rahdari" mrz -f "$fmt" --as-of 2026-12-01 "$f"
	done
done

if [ "$n" -gt 0 ]; then
	command -v "$python" >/dev/null 2>&1 || die "no $python to generate the submission"
	sub=$out/distinct-$n.xml
	if [ -s "$sub" ] && [ "$sub" -nt "$here/gen_submission.py" ] &&
	   head -c 300 "$sub" | grep -q "gen_submission.py $n (seed [0-9]*, distinct)"; then
		say "using $sub"
	else
		say "generating $sub ($n bookings, --distinct)"
		"$python" "$here/gen_submission.py" "$n" "$sub" --distinct || die "the generator failed"
	fi
	for fmt in jsonl text html; do
		peak "audit -f $fmt, $n distinct agencies" "$rahdari" audit -f "$fmt" --jobs "$jobs" \
			--as-of 2026-12-01 --progress never -o "$tmp/audit.$fmt" "$sub"
	done
fi
exit 0
