#!/usr/bin/env bash
# bench/audit.sh [RAHDARI_BINARY] [N]
#
# The audit benchmark behind `make bench`: `rahdari audit` on a generated submission
# of N bookings (default 200000, about 350 MB), side by side in one run with
#   xmllint --stream --noout          reading the file alone: the floor
#   xmllint --noout --schematron      the peer, on the eleven rules of bench-11.sch
#   rahdari audit --jobs 1 and 2      on bench-11.sch and on the embedded pk pack
# and, for memory, rahdari audit --jobs 2 on a file ten times larger (the bookings
# of the first file repeated ten times). Wall time, CPU time and peak memory come
# from GNU time (/usr/bin/time -v). A benchmark measures: this script exits 0
# whatever the numbers (2 when it cannot run at all); the last lines compare them
# with the targets of the audit issue.
#
# Environment: BENCH_OUT (work directory, default ./bench-out), BENCH_RUNS (rounds:
# each command but the peer runs once per round; the medians are shown; default 1;
# give 3 or more on a shared machine), BENCH_BIG (0 skips the ten-times
# file), BENCH_PACK (0 skips the pk pack), BENCH_PEER (0 skips xmllint --schematron,
# which needs about 13 bytes of memory per byte of input), BENCH_PEER_LIMIT (seconds
# after which xmllint --schematron is stopped, default 900: its time grows with the
# number of findings times the size of the file), PYTHON (python3), XMLLINT.
# See bench/README.md.

set -u

here=$(cd "$(dirname "$0")" && pwd)
rahdari=${1:-./cli/rahdari}
n=${2:-200000}
runs=${BENCH_RUNS:-1}
big=${BENCH_BIG:-1}
pack=${BENCH_PACK:-1}
peer=${BENCH_PEER:-1}
peer_limit=${BENCH_PEER_LIMIT:-900}
out=${BENCH_OUT:-$PWD/bench-out}
python=${PYTHON:-python3}
xmllint=${XMLLINT:-$(command -v xmllint || true)}
rules=$here/bench-11.sch
asof=2026-12-01   # fixed, so that date-dependent rules give the same findings every day

say() { printf '%s\n' "$*"; }
die() { printf 'bench/audit.sh: %s\n' "$*" >&2; exit 2; }

case $n in ''|*[!0-9]*) die "N must be a whole number, not '$n'";; esac
case $runs in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number";; esac
[ "$n" -gt 0 ] || die "N must be at least 1"
[ -x "$rahdari" ] || die "no rahdari at '$rahdari' (build it first, or give its path: bench/audit.sh PATH [N])"
command -v "$python" >/dev/null 2>&1 || die "no $python to generate the submission"
[ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null ||
	die "GNU time (/usr/bin/time) is needed for peak memory (apt-get install time)"

mkdir -p "$out/tmp" || die "cannot create $out"
tmp=$out/tmp
results=$out/audit-results.tsv
: >"$results"

# ---------------------------------------------------------------- inputs

file=$out/submission-$n.xml
if [ -s "$file" ] && [ "$file" -nt "$here/gen_submission.py" ] &&
   head -c 300 "$file" | grep -q "gen_submission.py $n "; then
	say "using $file"
else
	say "generating $file ($n bookings)"
	"$python" "$here/gen_submission.py" "$n" "$file" || die "the generator failed"
fi

# The ten-times file: the first file's bookings ten times over (the same records, so
# the same findings ten times), written with the first file's envelope.
big_file=$out/submission-$n-x10.xml
if [ "$big" != 0 ]; then
	if [ -s "$big_file" ] && [ "$big_file" -nt "$file" ]; then
		say "using $big_file"
	else
		say "writing $big_file (the bookings of $file ten times)"
		first=$(grep -n -m 1 '<booking[ >]' "$file" | cut -d: -f1)
		last=$(grep -n '</submission>' "$file" | tail -n 1 | cut -d: -f1)
		[ -n "$first" ] && [ -n "$last" ] || die "cannot find the bookings in $file"
		{
			head -n $((first - 1)) "$file"
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				sed -n "${first},$((last - 1))p" "$file"
			done
			echo '</submission>'
		} >"$big_file.tmp" && mv "$big_file.tmp" "$big_file" || die "cannot write $big_file"
	fi
fi

# ---------------------------------------------------------------- timing

# measure KEY INPUT COMMAND...: run COMMAND once (stdout to $tmp/KEY.out, stderr to
# $tmp/KEY.err) and append a line to the results: key, input, wall s, user s, sys s,
# peak kB, exit status, round. The commands run in rounds, each command once per round,
# so that the ratios compare runs made at the same time: on a shared machine the speed
# of the processor changes from minute to minute.
round=1
measure() {
	local key=$1 input=$2
	shift 2
	/usr/bin/time -f '%e %U %S %M %x' -o "$tmp/time" "$@" >"$tmp/$key.out" 2>"$tmp/$key.err"
	printf '%s\t%s\t%s\t%s\n' "$key" "$input" "$(tail -n 1 "$tmp/time" | tr ' ' '\t')" "$round" \
		>>"$results"
}

read -r load1 _ </proc/loadavg 2>/dev/null || load1='?'
say ""
say "machine: $(nproc 2>/dev/null || echo '?') CPUs, load $load1 before the runs"
say "rahdari: $rahdari ($("$rahdari" version 2>/dev/null | grep -E '^(rahdari|libxml2) ' | paste -sd, - | sed 's/,/, /g'))"
have_xmllint=0
if [ -n "$xmllint" ] && [ -x "$xmllint" ]; then
	have_xmllint=1
	say "xmllint: $xmllint ($("$xmllint" --version 2>&1 | head -n 1 | sed 's/^.*using //'))"
	if [ "$peer" != 0 ]; then
		say "timing xmllint --noout --schematron bench-11.sch, once (stopped after ${peer_limit}s)"
		measure xmllint "$file" timeout "$peer_limit" "$xmllint" --noout --schematron "$rules" "$file"
	fi
else
	say "SKIPPED xmllint: not installed (apt-get install libxml2-utils)"
fi

audit() { # KEY INPUT JOBS [RULES]
	local key=$1 input=$2 jobs=$3
	shift 3
	measure "$key" "$input" "$rahdari" audit "$@" --jobs "$jobs" --as-of "$asof" \
		--progress never --format jsonl --output "$tmp/$key.jsonl" "$input"
}
for ((round = 1; round <= runs; round++)); do
	say "round $round of $runs: xmllint --stream, then rahdari audit with bench-11.sch (1 and 2 jobs)$([ "$pack" != 0 ] && echo ' and the pk pack (1 and 2 jobs)')$([ "$big" != 0 ] && echo ', then the ten-times file')"
	[ "$have_xmllint" = 1 ] && measure read "$file" "$xmllint" --stream --noout "$file"
	audit b11-j1 "$file" 1 --rules "$rules"
	audit b11-j2 "$file" 2 --rules "$rules"
	if [ "$pack" != 0 ]; then
		audit pk-j1 "$file" 1
		audit pk-j2 "$file" 2
	fi
	if [ "$big" != 0 ]; then
		[ "$have_xmllint" = 1 ] && measure read-x10 "$big_file" "$xmllint" --stream --noout "$big_file"
		audit b11-j2-x10 "$big_file" 2 --rules "$rules"
	fi
done
read -r load2 _ </proc/loadavg 2>/dev/null || load2='?'

# ---------------------------------------------------------------- the report

"$python" - "$out" "$tmp" "$n" "$load1" "$load2" "$runs" <<'EOF'
import collections, json, os, re, sys

out, tmp, n, load1, load2, runs = sys.argv[1:7]
n = int(n)

rows = collections.defaultdict(list)
inputs = {}
walls = collections.defaultdict(dict)  # round -> key -> wall s
with open(os.path.join(out, 'audit-results.tsv')) as f:
    for line in f:
        parts = line.rstrip('\n').split('\t')
        if len(parts) < 8:
            continue
        key, path, wall, usr, sys_, rss, rc, rnd = parts[:8]
        rows[key].append((float(wall), float(usr) + float(sys_), int(rss), rc))
        inputs[key] = path
        walls[rnd][key] = float(wall)

def median(v):
    v = sorted(v)
    m = len(v) // 2
    return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2

def paired(num, den):
    """the median over the rounds of wall(num) / wall(den), each pair timed in the same round"""
    v = [w[num] / w[den] for w in walls.values() if num in w and den in w and w[den] > 0]
    return median(v) if v else None

def stat(key):
    r = rows.get(key)
    if not r:
        return None
    return {'wall': median([x[0] for x in r]), 'cpu': median([x[1] for x in r]),
            'peak': max(x[2] for x in r) / 1024.0, 'rc': sorted(set(x[3] for x in r)),
            'mb': os.path.getsize(inputs[key]) / 1e6}

def summary(key):
    """the audit's summary line, or None"""
    try:
        with open(os.path.join(tmp, key + '.jsonl'), 'rb') as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 4096))
            last = f.read().decode('utf-8', 'replace').strip().split('\n')[-1]
        d = json.loads(last)
        return d if d.get('type') == 'summary' else None
    except (OSError, ValueError):
        return None

def xmllint_failed_asserts():
    try:
        with open(os.path.join(tmp, 'xmllint.err'), encoding='utf-8', errors='replace') as f:
            return sum(1 for line in f if re.search(r' line -?\d+: ', line))
    except OSError:
        return None

size = os.path.getsize(os.path.join(out, 'submission-%d.xml' % n)) / 1e6
print('')
print('rahdari audit benchmark: %d bookings (%.0f MB); median of %s round(s); load %s before, %s after'
      % (n, size, runs, load1, load2))
print('')
read = stat('read')
peer = stat('xmllint')
labels = [
    ('read', 'xmllint --stream --noout (reading alone)'),
    ('xmllint', 'xmllint --noout --schematron bench-11'),
    ('b11-j1', 'rahdari audit bench-11, 1 job'),
    ('b11-j2', 'rahdari audit bench-11, 2 jobs'),
    ('pk-j1', 'rahdari audit pk pack, 1 job'),
    ('pk-j2', 'rahdari audit pk pack, 2 jobs'),
    ('read-x10', 'xmllint --stream --noout, 10x file'),
    ('b11-j2-x10', 'rahdari audit bench-11, 2 jobs, 10x file'),
]
fmt = '%-42s %8s %8s %8s %8s %9s %9s %9s'
print(fmt % ('command', 'wall s', 'cpu s', 'peak MB', 'MB/s', 'findings', 'vs read', 'vs peer'))
print(fmt % ('-' * 42, '-' * 8, '-' * 8, '-' * 8, '-' * 8, '-' * 9, '-' * 9, '-' * 9))
problems = []
for key, label in labels:
    s = stat(key)
    if s is None:
        continue
    found = '-'
    sm = summary(key) if key.startswith(('b11', 'pk')) else None
    if sm:
        found = str(sm['errors'] + sm['warnings'] + sm['infos'])
        if sm.get('records') is not None and not key.endswith('x10') and sm['records'] != n:
            problems.append('%s: %s records, not %d' % (label, sm['records'], n))
    if key == 'xmllint':
        k = xmllint_failed_asserts()
        found = '%s*' % k if k is not None else '-'
    if key == 'xmllint' and '124' in s['rc']:
        print(fmt % (label, '>%.0f' % s['wall'], '%.2f' % s['cpu'], '%.0f' % s['peak'], '-',
                     'stopped', '', ''))
        continue
    ok = {'read': {'0'}, 'read-x10': {'0'}, 'xmllint': {'0', '3'}}.get(key, {'0', '1'})
    if any(rc not in ok for rc in s['rc']):
        problems.append('%s exited with status %s' % (label, ','.join(s['rc'])))
    r = paired('read-x10' if key.endswith('x10') else 'read', key)
    vs_read = '%.2fx' % r if r is not None and key not in ('read', 'read-x10') else ''
    vs_peer = '%s%.1fx' % ('>' if '124' in peer['rc'] else '', peer['wall'] / s['wall']) \
        if peer and key.startswith('b11') and not key.endswith('x10') else ''
    print(fmt % (label, '%.2f' % s['wall'], '%.2f' % s['cpu'], '%.0f' % s['peak'],
                 '%.0f' % (s['mb'] / s['wall']) if s['wall'] else '-', found, vs_read, vs_peer))
print('')
print('"vs read": the throughput as a fraction of reading the file alone (reading time / time,')
print('  the median over the rounds of the two timed in the same round);')
print('"vs peer": how many times faster than xmllint --schematron on the same rules.')
if peer:
    print('* xmllint --noout prints failed asserts only (marked *); rahdari counts the successful')
    print('  reports of bench-11 too.')

# the targets of the audit issue
j1, j2, x10 = stat('b11-j1'), stat('b11-j2'), stat('b11-j2-x10')
print('')
print('targets (audit issue):')
def verdict(ok):
    return 'met' if ok else 'NOT met'
if read and j2:
    r = paired('read', 'b11-j2')
    print('  2 jobs, bench-11, at least 0.35x reading alone (aim 0.5x): %.2fx  %s' % (r, verdict(r >= 0.35)))
if peer and j2:
    r = peer['wall'] / j2['wall']
    more = '124' in peer['rc']
    print('  2 jobs, bench-11, at least 5x xmllint --schematron:        %s%.1fx  %s'
          % ('>' if more else '', r, verdict(r >= 5)))
if j1 and j2:
    r = paired('b11-j1', 'b11-j2')
    print('  2 jobs at least 1.6x one job (bench-11):                  %.2fx  %s' % (r, verdict(r >= 1.6)))
pj1, pj2 = stat('pk-j1'), stat('pk-j2')
if pj1 and pj2:
    print('  2 jobs against one job on the pk pack:                     %.2fx' % paired('pk-j1', 'pk-j2'))
peaks = [s['peak'] for s in (j1, j2, pj1, pj2) if s]
if peaks:
    print('  peak memory under 64 MiB:                                  %.0f MB  %s'
          % (max(peaks), verdict(max(peaks) < 64 * 1.048576)))
if x10 and j2:
    print('  no more memory for a file ten times larger:                %.0f MB against %.0f MB  %s'
          % (x10['peak'], j2['peak'], verdict(x10['peak'] <= j2['peak'] * 1.1 + 2)))
try:
    if float(load1) > 1.0:
        print('* the machine was busy before the runs (load %s): wall times may include waiting.' % load1)
except ValueError:
    pass
for p in problems:
    print('PROBLEM: ' + p)
EOF
exit 0
