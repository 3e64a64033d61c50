#!/usr/bin/env bash
# bench/run.sh [RAHDARI_BINARY] [N]
#
# The benchmark behind `make bench`: rahdari against xmllint --schematron
# (libxml2) and lxml's isoschematron on a generated submission of N bookings
# (default 20000, about 25 MB), with the eleven rules of bench/bench-11.sch.
# Every command runs BENCH_RUNS times (default 3); the table shows the median
# wall time, the median CPU time and the peak resident memory, and the findings
# of the tools are compared rule by rule. A benchmark measures: this script
# exits 0 whatever the numbers, and says MISMATCH when the tools disagree.
#
# Environment: BENCH_OUT (work directory, default ./bench-out), BENCH_RUNS (3),
# BENCH_SUBSET (bookings for lxml, 2000), BENCH_SLOW (seconds after which a
# command is not repeated, 60), PYTHON (the generator's interpreter, python3),
# PYTHON_TESTS (the interpreter with lxml, /usr/bin/python3), XMLLINT.
# See bench/README.md.

set -u

here=$(cd "$(dirname "$0")" && pwd)
rahdari=${1:-./cli/rahdari}
n=${2:-20000}
runs=${BENCH_RUNS:-3}
subset=${BENCH_SUBSET:-2000}
slow=${BENCH_SLOW:-60}
out=${BENCH_OUT:-$PWD/bench-out}
python=${PYTHON:-python3}
pylxml=${PYTHON_TESTS:-/usr/bin/python3}
xmllint=${XMLLINT:-$(command -v xmllint || true)}
rules=$here/bench-11.sch
asof=2026-12-01   # fixed, so that date-dependent rules give the same findings every day

say() { printf '%s\n' "$*"; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 2; }

case $n in ''|*[!0-9]*) die "N must be a whole number, not '$n'";; esac
case $runs in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number";; esac
case $subset in ''|*[!0-9]*|0) die "BENCH_SUBSET must be a positive number";; esac
[ "$n" -gt 0 ] || die "N must be at least 1"
[ -x "$rahdari" ] || die "no rahdari at '$rahdari' (build it first, or give its path: bench/run.sh PATH [N])"
command -v "$python" >/dev/null 2>&1 || die "no $python to generate the submission"
[ -f "$rules" ] || die "missing $rules"
[ "$subset" -le "$n" ] || subset=$n

mkdir -p "$out" || die "cannot create $out"
tmp=$out/tmp
mkdir -p "$tmp"
results=$out/results.tsv
: >"$results"

have_time=no
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null; then
	have_time=yes
else
	say "note: GNU time (/usr/bin/time) is missing: no peak memory (apt-get install time)"
fi

# ---------------------------------------------------------------- inputs

# gen N FILE: generate unless FILE exists, is newer than the generator and was
# made for the same N (the generator writes N into its first comment).
gen() {
	local count=$1 file=$2
	if [ -s "$file" ] && [ "$file" -nt "$here/gen_submission.py" ] &&
	   head -c 300 "$file" | grep -q "gen_submission.py $count "; then
		say "using $file"
		return 0
	fi
	say "generating $file ($count bookings)"
	"$python" "$here/gen_submission.py" "$count" "$file" || die "the generator failed"
}

full=$out/submission-$n.xml
part=$out/submission-$subset.xml
gen "$n" "$full"
gen "$subset" "$part"

# ---------------------------------------------------------------- timing

# measure KEY OUTFILE ERRFILE COMMAND...: run COMMAND up to $runs times, stdout to
# OUTFILE and stderr to ERRFILE (those of the last run are kept), and append one
# line per run to results.tsv: key, wall s, user s, sys s, peak kB, exit status.
measure() {
	local key=$1 o=$2 e=$3 i wall rc rss usr sys
	shift 3
	for ((i = 1; i <= runs; i++)); do
		rm -f "$tmp/res"
		if [ "$have_time" = yes ]; then
			{ TIMEFORMAT=%3R; time /usr/bin/time -f '%M %U %S %x' -o "$tmp/res" "$@" >"$o" 2>"$e"; } 2>"$tmp/wall"
		else
			{ TIMEFORMAT='%3R %3U %3S'; time "$@" >"$o" 2>"$e"; } 2>"$tmp/wall"
			rc=$?
		fi
		wall=$(tail -n 1 "$tmp/wall" | cut -d' ' -f1)
		if [ "$have_time" = yes ]; then
			# /usr/bin/time writes "Command exited with non-zero status N" first when N != 0
			read -r rss usr sys rc < <(tail -n 1 "$tmp/res")
		else
			read -r _ usr sys < <(tail -n 1 "$tmp/wall")
			rss=-
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$wall" "$usr" "$sys" "$rss" "$rc" >>"$results"
		if awk -v w="$wall" -v s="$slow" 'BEGIN { exit !(w > s) }'; then
			[ "$i" -lt "$runs" ] && say "  ($key took ${wall}s: not repeated)"
			break
		fi
	done
}

read -r load1 _ </proc/loadavg 2>/dev/null || load1='?'
say ""
say "machine: $(nproc 2>/dev/null || echo '?') CPUs, load $load1 before the runs"
xmllint_ok=no
if [ -n "$xmllint" ] && [ -x "$xmllint" ] && "$xmllint" --version 2>&1 | grep -q Schematron; then
	xmllint_ok=yes
fi
lxml_ok=no
if [ -x "$pylxml" ] && "$pylxml" -c 'import lxml.isoschematron' 2>/dev/null; then
	lxml_ok=yes
fi
say "rahdari: $rahdari ($("$rahdari" version 2>/dev/null | grep -E '^(rahdari|libxml2) ' | paste -sd, - | sed 's/,/, /g'))"
[ "$xmllint_ok" = yes ] && say "xmllint: $xmllint ($("$xmllint" --version 2>&1 | head -n 1 | sed 's/^.*using //'))"
[ "$lxml_ok" = yes ] && say "lxml: $pylxml ($("$pylxml" -c 'import lxml.etree as e; v = lambda t: ".".join(map(str, t)); print("lxml %s, libxml2 %s, libxslt %s" % (v(e.LXML_VERSION), v(e.LIBXML_VERSION), v(e.LIBXSLT_VERSION)))' 2>/dev/null))"

if [ "$xmllint_ok" = yes ]; then
	say "timing xmllint --noout (parsing alone)"
	measure parse "$tmp/parse.out" "$tmp/parse.err" "$xmllint" --noout "$full"
	say "timing xmllint --noout --schematron"
	measure xmllint "$tmp/xmllint.out" "$out/xmllint-noout.txt" \
		"$xmllint" --noout --schematron "$rules" "$full"
	# With --noout, libxml2 prints failed asserts but not successful reports; one
	# untimed run without it prints both (the document goes to /dev/null).
	say "counting xmllint --schematron findings (one untimed run without --noout)"
	"$xmllint" --schematron "$rules" "$full" >/dev/null 2>"$out/xmllint-full.txt"
	printf 'xmllint-count\t-\t-\t-\t-\t%s\n' "$?" >>"$results"
else
	say "SKIPPED xmllint: not installed or built without Schematron (apt-get install libxml2-utils)"
fi

say "timing rahdari check --format json"
measure rahdari "$out/rahdari-full.json" "$tmp/rahdari.err" \
	"$rahdari" check --rules "$rules" --format json --as-of "$asof" "$full"
say "timing rahdari check --format text --quiet"
measure rahdari-text "$out/rahdari-full.txt" "$tmp/rahdari-text.err" \
	"$rahdari" check --rules "$rules" --format text --quiet --as-of "$asof" "$full"
say "timing rahdari check with the embedded pack (no --rules)"
measure rahdari-pack "$out/rahdari-pack.json" "$tmp/rahdari-pack.err" \
	"$rahdari" check --format json --as-of "$asof" "$full"
say "timing rahdari check --format json on the $subset-booking subset"
measure rahdari-subset "$out/rahdari-subset.json" "$tmp/rahdari-subset.err" \
	"$rahdari" check --rules "$rules" --format json --as-of "$asof" "$part"

# lxml: the whole process is timed (interpreter, import, compiling the schema to
# XSLT, parsing, validating, counting); the helper also notes the phases.
cat >"$tmp/lxml_check.py" <<'EOF'
import collections, sys, time
t0 = time.perf_counter()
from lxml import etree, isoschematron
sch, doc, counts, phases = sys.argv[1:5]
validator = isoschematron.Schematron(etree.parse(sch), store_report=True)
t1 = time.perf_counter()
tree = etree.parse(doc)
t2 = time.perf_counter()
validator.validate(tree)
t3 = time.perf_counter()
svrl = '{http://purl.oclc.org/dsdl/svrl}'
found = collections.Counter()
for e in validator.validation_report.iter(svrl + 'failed-assert', svrl + 'successful-report'):
    found[e.get('id') or '(no id)'] += 1
with open(counts, 'w') as f:
    for rule in sorted(found):
        f.write('%s %d\n' % (rule, found[rule]))
with open(phases, 'w') as f:
    f.write('%.3f %.3f %.3f\n' % (t1 - t0, t2 - t1, t3 - t2))
EOF
if [ "$lxml_ok" = yes ]; then
	say "timing lxml isoschematron on the $subset-booking subset ($pylxml)"
	measure lxml "$tmp/lxml.out" "$tmp/lxml.err" \
		"$pylxml" "$tmp/lxml_check.py" "$rules" "$part" "$out/lxml-subset.txt" "$tmp/lxml-phases.txt"
else
	say "SKIPPED lxml: $pylxml cannot import lxml.isoschematron (apt-get install python3-lxml)"
fi

read -r load2 _ </proc/loadavg 2>/dev/null || load2='?'

# ---------------------------------------------------------------- the report

"$python" - "$out" "$n" "$subset" "$rules" "$load1" "$load2" "$have_time" "$runs" <<'EOF'
import collections, json, os, re, sys

out, n, subset, rules, load1, load2, have_time, wanted = sys.argv[1:9]
n, subset, wanted = int(n), int(subset), int(wanted)
scale = n / float(subset)
tmp = os.path.join(out, 'tmp')

runs = collections.defaultdict(list)
with open(os.path.join(out, 'results.tsv')) as f:
    for line in f:
        key, wall, usr, sys_, rss, rc = line.rstrip('\n').split('\t')
        runs[key].append((wall, usr, sys_, rss, rc))

def num(s):
    try:
        return float(s)
    except ValueError:
        return None

def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    m = len(values) // 2
    return values[m] if len(values) % 2 else (values[m - 1] + values[m]) / 2

def stats(key):
    """median wall, median cpu, peak MB, exit statuses, number of runs"""
    r = runs.get(key)
    if not r:
        return None
    wall = median([num(x[0]) for x in r])
    cpu = median([(num(x[1]) or 0) + (num(x[2]) or 0) if num(x[1]) is not None else None for x in r])
    rss = [num(x[3]) for x in r if num(x[3]) is not None]
    peak = max(rss) / 1024.0 if rss else None
    return wall, cpu, peak, sorted(set(x[4] for x in r)), len(r)

def rule_ids(path):
    ids = []
    with open(path, encoding='utf-8') as f:
        for m in re.finditer(r'<sch:(?:assert|report)\b[^>]*?\bid="([^"]+)"', f.read()):
            ids.append(m.group(1))
    return ids

def count_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    return collections.Counter(x.get('rule') or '(no id)' for x in data.get('findings', []))

def count_xmllint(path):
    # one line per finding: "<xpath> line <n>: [<rule id>] <message>"
    c = collections.Counter()
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = re.search(r' line -?\d+: \[([A-Za-z0-9_.-]+)\]', line)
                if m:
                    c[m.group(1)] += 1
    except OSError:
        return None
    return c

def count_text(path):
    try:
        with open(path, encoding='utf-8') as f:
            m = re.search(r': (\d+) errors?, (\d+) warnings?, (\d+) infos?', f.read())
    except OSError:
        return None
    if m:
        return sum(int(x) for x in m.groups())
    return 0 if os.path.exists(path) else None

def count_lines(path):
    c = collections.Counter()
    try:
        with open(path) as f:
            for line in f:
                rule, k = line.split()
                c[rule] = int(k)
    except (OSError, ValueError):
        return None
    return c

ids = rule_ids(rules)
counts = {
    'rahdari': count_json(os.path.join(out, 'rahdari-full.json')),
    'xmllint': count_xmllint(os.path.join(out, 'xmllint-full.txt')) if 'xmllint-count' in runs else None,
    'rahdari-subset': count_json(os.path.join(out, 'rahdari-subset.json')),
    'lxml': count_lines(os.path.join(out, 'lxml-subset.txt')) if 'lxml' in runs else None,
    'rahdari-pack': count_json(os.path.join(out, 'rahdari-pack.json')),
}
asserts_only = count_xmllint(os.path.join(out, 'xmllint-noout.txt')) if 'xmllint' in runs else None

def total(c):
    return None if c is None else sum(c.values())

full_size = os.path.getsize(os.path.join(out, 'submission-%d.xml' % n)) / 1e6
print('')
print('rahdari benchmark: %d bookings (%.1f MB), %d rules (%s); lxml on %d bookings'
      % (n, full_size, len(ids), os.path.basename(rules), subset))
print('median of %d runs; wall and CPU (user+sys) in seconds; load %s before, %s after'
      % (wanted, load1, load2))
print('')

ref = stats('rahdari')
ref_wall = ref[0] if ref else None
rows = [
    ('xmllint --noout (parse only)', 'parse', None, False),
    ('xmllint --noout --schematron', 'xmllint', 'xmllint', False),
    ('rahdari check --format json', 'rahdari', 'rahdari', False),
    ('rahdari check --format text --quiet', 'rahdari-text', None, False),
    ('rahdari check, embedded pack', 'rahdari-pack', 'rahdari-pack', False),
    ('rahdari json, %d-booking subset' % subset, 'rahdari-subset', 'rahdari-subset', False),
    ('lxml isoschematron, subset x%g' % scale, 'lxml', 'lxml', True),
]
fmt = '%-44s %9s %8s %8s %9s %11s'
print(fmt % ('tool', 'median s', 'cpu s', 'peak MB', 'findings', 'vs rahdari'))
print(fmt % ('-' * 44, '-' * 9, '-' * 8, '-' * 8, '-' * 9, '-' * 11))
problems = []
for label, key, ckey, scaled in rows:
    s = stats(key)
    if s is None:
        print(fmt % (label, 'skipped', '', '', '', ''))
        continue
    wall, cpu, peak, rcs, nruns = s
    ok = {'parse': {'0'}, 'xmllint': {'0', '3'}, 'lxml': {'0'}}.get(key, {'0', '1'})
    bad = [rc for rc in rcs if rc not in ok]
    if bad:
        problems.append('%s exited with status %s' % (label, ','.join(bad)))
    if key == 'rahdari-text':
        found = count_text(os.path.join(out, 'rahdari-full.txt'))
    elif ckey is not None:
        found = total(counts.get(ckey))
    else:
        found = None
    shown_wall, shown_cpu = wall, cpu
    if scaled:
        shown_wall = wall * scale if wall is not None else None
        shown_cpu = cpu * scale if cpu is not None else None
    if key == 'rahdari-subset' or key == 'parse' or key == 'rahdari-pack':
        ratio = ''
    else:
        ratio = '%.2fx' % (shown_wall / ref_wall) if ref_wall and shown_wall is not None else ''
    if key == 'rahdari-pack':
        ratio = '(other rules)'
    if key == 'parse':
        ratio = '%.2fx' % (wall / ref_wall) if ref_wall and wall is not None else ''
    mark = '' if nruns >= wanted else ' (%d run%s)' % (nruns, '' if nruns == 1 else 's')
    print(fmt % (label + mark,
                 '%.3f' % shown_wall if shown_wall is not None else '?',
                 '%.2f' % shown_cpu if shown_cpu is not None else '?',
                 '%.0f' % peak if peak is not None else '-',
                 found if found is not None else '-', ratio))

print('')
notes = []
parse = stats('parse')
if 'xmllint' in runs and asserts_only is not None:
    notes.append('xmllint findings come from one extra run without --noout: with --noout libxml2 prints '
                 'failed asserts only (%d of them in the timed runs), not successful reports.'
                 % total(asserts_only))
if 'lxml' in runs:
    lx = stats('lxml')
    notes.append('lxml ran on the first %d bookings (the generator makes the small file a prefix of the '
                 'large one); its times are multiplied by %g to compare with the full file. Unscaled: '
                 '%.3f s wall, against %.3f s for rahdari on the same subset (%.1fx).'
                 % (subset, scale, lx[0], stats('rahdari-subset')[0],
                    lx[0] / stats('rahdari-subset')[0] if stats('rahdari-subset')[0] else 0))
    try:
        with open(os.path.join(tmp, 'lxml-phases.txt')) as f:
            c, p, v = (float(x) for x in f.read().split())
        notes.append('lxml phases in its last run: start and schema compilation %.3f s, parse %.3f s, '
                     'validate %.3f s.' % (c, p, v))
    except (OSError, ValueError):
        pass
if parse and ref and parse[0]:
    beyond = ref[0] - parse[0]
    notes.append('rahdari beyond parsing: %.3f s - %.3f s = %.3f s, %.2f times the parse time '
                 '(CPU: %.2f s - %.2f s = %.2f s, %.2f times).'
                 % (ref[0], parse[0], beyond, beyond / parse[0],
                    ref[1], parse[1], ref[1] - parse[1], (ref[1] - parse[1]) / parse[1] if parse[1] else 0))
    xs = stats('xmllint')
    if xs:
        notes.append('xmllint --schematron beyond parsing: %.3f s, %.2f times the parse time.'
                     % (xs[0] - parse[0], (xs[0] - parse[0]) / parse[0]))
try:
    # the benchmark itself keeps one CPU busy: more than that means company
    if float(load1) > 1.0 or float(load2) > (os.cpu_count() or 1):
        notes.append('the machine was busy (load %s before, %s after): wall times may include waiting '
                     'for a CPU or for memory; the CPU column is the steadier one.' % (load1, load2))
except ValueError:
    pass
if have_time != 'yes':
    notes.append('no peak memory: /usr/bin/time (GNU time) is not installed.')
for note in notes:
    print('* ' + note)

# ---- do the tools agree?
print('')
cols = [('rahdari', 'rahdari'), ('xmllint', 'xmllint'), ('rahdari-subset', 'rahdari/sub'), ('lxml', 'lxml/sub')]
known = list(ids)
for key, _ in cols:
    for rule in (counts.get(key) or {}):
        if rule not in known:
            known.append(rule)
fmt2 = '%-18s' + ' %12s' * len(cols)
print(fmt2 % (('findings by rule',) + tuple(h for _, h in cols)))
for rule in known:
    cells = []
    for key, _ in cols:
        c = counts.get(key)
        cells.append('-' if c is None else str(c.get(rule, 0)))
    print(fmt2 % ((rule,) + tuple(cells)))
print(fmt2 % (('total',) + tuple('-' if counts.get(k) is None else str(total(counts[k])) for k, _ in cols)))

mismatch = []
def compare(a, b):
    ca, cb = counts.get(a), counts.get(b)
    if ca is None or cb is None:
        return
    for rule in known:
        if ca.get(rule, 0) != cb.get(rule, 0):
            mismatch.append('%s: %s %d, %s %d' % (rule, a, ca.get(rule, 0), b, cb.get(rule, 0)))
compare('rahdari', 'xmllint')
compare('rahdari-subset', 'lxml')

# Beyond the counts: rahdari and xmllint both give the line of each finding's
# context node, so the (rule, line) pairs must agree too.
def pairs_json(path):
    try:
        with open(path, encoding='utf-8') as f:
            return collections.Counter((x.get('rule'), x.get('line')) for x in json.load(f).get('findings', []))
    except (OSError, ValueError):
        return None

def pairs_xmllint(path):
    c = collections.Counter()
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = re.search(r' line (-?\d+): \[([A-Za-z0-9_.-]+)\]', line)
                if m:
                    c[(m.group(2), int(m.group(1)))] += 1
    except OSError:
        return None
    return c

if counts.get('xmllint') is not None and counts.get('rahdari') is not None and not mismatch:
    pr = pairs_json(os.path.join(out, 'rahdari-full.json'))
    px = pairs_xmllint(os.path.join(out, 'xmllint-full.txt'))
    if pr is not None and px is not None:
        # libxml2 2.9 keeps 16-bit line numbers on elements and guesses a larger one
        # from the node after the start tag, often one line late; rahdari keeps the exact
        # line. Such pairs are counted apart, not as disagreements.
        r_left, x_left = pr - px, px - pr
        late = 0
        for (rule, line), k in sorted(x_left.items()):
            for back in (1, 2, 3):
                if line > 65535 and k > 0 and r_left.get((rule, line - back), 0) > 0:
                    m = min(k, r_left[(rule, line - back)])
                    x_left[(rule, line)] -= m
                    r_left[(rule, line - back)] -= m
                    late += m
                    k -= m
        only_r = sorted((+r_left).elements(), key=str)
        only_x = sorted((+x_left).elements(), key=str)
        if late:
            print('%d findings past line 65,535: xmllint gives a later line (libxml2 guesses '
                  'long line numbers), rahdari the line of the start tag' % late)
        if only_r or only_x:
            mismatch.append('same counts, different places: %d (rule, line) pairs only in rahdari (%s), '
                            '%d only in xmllint (%s)'
                            % (len(only_r), ', '.join('%s@%s' % p for p in only_r[:3]),
                               len(only_x), ', '.join('%s@%s' % p for p in only_x[:3])))
        else:
            print('rahdari and xmllint report every finding at the same line')
text_total = count_text(os.path.join(out, 'rahdari-full.txt'))
if counts.get('rahdari') is not None and text_total is not None and text_total != total(counts['rahdari']):
    mismatch.append('rahdari --format text counts %d findings, --format json %d'
                    % (text_total, total(counts['rahdari'])))
silent = [r for r in ids if counts.get('rahdari') is not None and counts['rahdari'].get(r, 0) == 0]
if silent:
    print('note: rules that found nothing in the full file: ' + ' '.join(silent))
if counts.get('rahdari') is None:
    problems.append('no rahdari findings could be read (see %s)' % os.path.join(out, 'rahdari-full.json'))
for p in problems:
    print('PROBLEM: ' + p)
if mismatch:
    print('')
    print('!' * 72)
    print('!!! MISMATCH: the tools do not find the same things')
    for m in mismatch:
        print('!!!   ' + m)
    print('!' * 72)
elif counts.get('xmllint') is None and counts.get('lxml') is None:
    print('no peer to compare with')
else:
    print('the tools agree on every rule')
print('outputs kept in %s' % out)
EOF
exit 0
