#!/bin/sh
# rahdari tests: `rahdari audit` from the command line.
#
# Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source sh tests/cli_audit.sh
#
# Exit statuses (0, 1, 2 with a usage message, 3 naming the file); the jsonl, json, text
# and html reports; the same bytes whatever --jobs says; the findings of each record equal
# to those of `rahdari check` on that record saved alone (with the submission's agency
# carried in); a file malformed or cut part-way (the records before the fault, then the
# error with its line); --record, '-', --output, --fail-on, --as-of, --lang, --max-size;
# progress on standard error (never, always, auto on a file and on a terminal); DOCTYPEs
# that declare entities. Prints each failure and exits 1 if there was any; else 77 (SKIP)
# when the checks that need python3 (bench/gen_submission.py, JSON parsing) or script(1)
# could not run for want of them; 0 otherwise. (As root, the two checks of unreadable
# files cannot be made: a note says so.)
# SPDX-License-Identifier: MIT

set -u

if [ -z "${RAHDARI:-}" ] || [ ! -x "$RAHDARI" ]; then
	echo "cli_audit.sh: set RAHDARI to the built rahdari tool" >&2
	exit 99
fi
srcdir=${srcdir:-.}
S=$srcdir/examples/submissions/lahore-2026-q4.xml
if [ ! -f "$S" ] || [ ! -f "$srcdir/bench/gen_submission.py" ]; then
	echo "cli_audit.sh: examples/submissions or bench/ not found under $srcdir (set srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdaudit.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

. "$srcdir/tests/cli_lib.sh"

# err_re ERE WHAT: a line of stderr matches the extended regular expression
err_re() {
	grep -E -q -e "$1" "$tmp/err" || fail "$2: stderr does not match /$1/; stderr: $(show "$tmp/err")"
}
# n_lines PATTERN FILE: lines of FILE that contain PATTERN
n_lines() {
	grep -F -c -e "$1" "$2" 2>/dev/null || true
}

# PY: the python3 of cli_lib.sh

# py_ok WHAT PYTHON-CODE [ARGS...]: run the code (argv[1:] = ARGS) with json and sys
# imported; a failure when it raises. Nothing without python.
py_ok() {
	need_py "JSON output parsed" || return 0
	what=$1
	code=$2
	shift 2
	"$PY" -c "
import json, sys
$code
" "$@" 2>"$tmp/pyerr" || fail "$what: $(show "$tmp/pyerr")"
}

# expected_records FILE ELEMENT: 'N ID LINE' for each start tag <ELEMENT id="..."> of FILE,
# in order (each start tag on a line of its own, the id on that line)
expected_records() {
	grep -n "<$2[ >]" "$1" | sed 's/^\([0-9]*\):.* id="\([^"]*\)".*/\2 \1/' | awk '{ print NR, $0 }'
}
# got_records FILE: 'N ID LINE' for each record line of a jsonl report, in order
got_records() {
	sed -n 's/^{"type":"record","document":"[^"]*","record":\([0-9]*\),"id":"\([^"]*\)","element":"[^"]*","line":\([0-9]*\),.*/\1 \2 \3/p' "$1"
}
# records_match WHAT JSONL FILE ELEMENT: the record lines of JSONL are those of FILE
records_match() {
	expected_records "$3" "$4" >"$tmp/rec.want"
	got_records "$2" >"$tmp/rec.got"
	if ! cmp -s "$tmp/rec.want" "$tmp/rec.got"; then
		fail "$1: records (number id line) differ from the start tags of $3: $(diff "$tmp/rec.want" "$tmp/rec.got" | head -n 8 | tr '\n' '|')"
	fi
	nrec=$(n_lines '"type":"record"' "$2")
	nwant=$(wc -l <"$tmp/rec.want" | tr -d ' ')
	[ "$nrec" -eq "$nwant" ] || fail "$1: $nrec record lines, $nwant records in the file"
}

# pick FILE ID...: a submission with the envelope of FILE and only the bookings with these
# ids (FILE has each start and end tag of a booking on a line of its own)
pick() {
	awk -v ids=" $* " '
		/<booking[ >]/ {
			started = 1
			inb = 1
			id = ""
			if (match($0, /id="[^"]*"/))
				id = substr($0, RSTART + 4, RLENGTH - 5)
			keep = index(ids, " " id " ") > 0
		}
		!started { print; next }
		inb && keep { print }
		/<\/booking>/ { inb = 0 }
		END { print "</submission>" }' "$1"
}

DAY=2026-12-01
BAD=$tmp/bad
mkdir -p "$BAD"

# ---------------------------------------------------------------- exit statuses

run audit --help
status 0 "--help"
out_has "Usage: " "--help"
out_has "--jobs" "--help"

pick "$S" BK-2026-000112 BK-2026-000118 >"$tmp/clean.xml"
run audit --as-of "$DAY" "$tmp/clean.xml"
status 0 "a clean submission"
out_has "2 records checked" "a clean submission"
out_has "0 errors, 0 warnings, 0 infos" "a clean submission"
run audit --as-of "$DAY" "$S"
status 1 "a submission with errors"

usage() { # usage WHAT MESSAGE ARGS...: exit 2, the message and the pointer to --help, no report
	what=$1
	msg=$2
	shift 2
	run audit "$@"
	status 2 "$what"
	err_has "$msg" "$what"
	err_has "rahdari audit --help" "$what"
	out_empty "$what"
}
usage "an unknown option" "unknown option '--bogus'" --bogus "$S"
usage "--jobs 0" "--jobs '0'" --jobs 0 "$S"
usage "--jobs -2" "--jobs '-2'" --jobs -2 "$S"
usage "--jobs abc" "--jobs 'abc'" --jobs abc "$S"
usage "--jobs 4x" "--jobs '4x'" --jobs 4x "$S"
usage "--jobs 257" "--jobs '257'" --jobs 257 "$S"
usage "--jobs without a value" "needs a value" "$S" --jobs
usage "--format xml" "unknown format 'xml'" --format xml "$S"
usage "-f svrl" "unknown format 'svrl'" -f svrl "$S"
usage "no submission" "no SUBMISSION" --as-of "$DAY"
usage "no arguments at all" "no SUBMISSION"
usage "stdin twice" "standard input" - -
usage "--progress sometimes" "--progress 'sometimes'" --progress sometimes "$S"
usage "--fail-on bogus" "--fail-on 'bogus'" --fail-on bogus "$S"
usage "--record with a space" "--record 'a b'" --record 'a b' "$S"
usage "--top x" "--top 'x'" --top x "$S"
usage "--max-size abc" "--max-size 'abc'" --max-size abc "$S"
usage "--as-of not a date" "--as-of '2026-13-45'" --as-of 2026-13-45 "$S"

run audit --as-of "$DAY" "$tmp/no-such-submission.xml"
status 3 "a missing submission"
err_has "no-such-submission.xml" "a missing submission"
out_has "STOPPED" "a missing submission"
run audit -f jsonl --as-of "$DAY" "$tmp/no-such-submission.xml" "$S"
status 3 "a missing submission and a good one"
err_has "no-such-submission.xml" "a missing submission and a good one"
out_has '"type":"error","path":"'"$tmp/no-such-submission.xml"'"' "a missing submission and a good one"
[ "$(n_lines '"type":"record"' "$tmp/out")" -eq 11 ] ||
	fail "a missing submission and a good one: the good one's 11 records are not all reported"
out_has '"records":11,' "a missing submission and a good one"
run audit -f jsonl "$BAD"
status 3 "a directory as the submission"
err_has "$BAD" "a directory as the submission"

run audit --rules "$tmp/no-such-rules.sch" "$S"
status 3 "missing rules"
err_has "no-such-rules.sch" "missing rules"
out_empty "missing rules"
printf '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron">\n<sch:pattern>\n' >"$BAD/cut.sch"
run audit --rules "$BAD/cut.sch" "$S"
status 3 "malformed rules"
err_has "cut.sch" "malformed rules"
out_empty "malformed rules"
run audit --rules "$BAD" "$S"
status 3 "a rule pack directory without pack.xml"
err_has "$BAD" "a rule pack directory without pack.xml"
if [ "$(id -u)" -ne 0 ]; then
	printf '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron"/>\n' >"$tmp/unreadable.sch"
	chmod 000 "$tmp/unreadable.sch"
	run audit --rules "$tmp/unreadable.sch" "$S"
	status 3 "unreadable rules"
	err_has "unreadable.sch" "unreadable rules"
	cp "$S" "$tmp/unreadable.xml"
	chmod 000 "$tmp/unreadable.xml"
	run audit "$tmp/unreadable.xml"
	status 3 "an unreadable submission"
	err_has "unreadable.xml" "an unreadable submission"
	chmod 600 "$tmp/unreadable.sch" "$tmp/unreadable.xml"
else
	echo "NOTE: running as root: files without read permission can still be read (unreadable rules and submission not checked)"
fi

# ---------------------------------------------------------------- the formats

# jsonl: one record line per booking in input order, then the summary
run audit -f jsonl --as-of "$DAY" "$S"
status 1 "jsonl"
cp "$tmp/out" "$tmp/lahore.jsonl"
records_match "jsonl" "$tmp/lahore.jsonl" "$S" booking
[ "$(wc -l <"$tmp/out" | tr -d ' ')" -eq 12 ] || fail "jsonl: not 11 records and a summary: $(wc -l <"$tmp/out") lines"
tail -n 1 "$tmp/out" | grep -F -q '{"type":"summary",' || fail "jsonl: the last line is not the summary"
[ "$(n_lines '"type":"summary"' "$tmp/out")" -eq 1 ] || fail "jsonl: not one summary line"
out_has '"documents":1,"records":11,"unreadable":0,"errors":4,"warnings":7,"infos":0}' "jsonl summary"
out_has '"as_of":"2026-12-01"' "jsonl summary"
out_has '"record":4,"id":"BK-2026-000126","element":"booking","line":187,"summary":{"errors":1,"warnings":0,"infos":0},"findings":[{"rule":"PK-LIC-009"' "jsonl record 4"
py_ok "jsonl: every line is a JSON object" "
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
assert lines[-1] == '', 'no newline at the end'
objs = [json.loads(l) for l in lines[:-1]]
recs = [o for o in objs if o['type'] == 'record']
assert [o['type'] for o in objs] == ['record'] * 11 + ['summary'], [o['type'] for o in objs]
assert [r['record'] for r in recs] == list(range(1, 12))
for r in recs:
    assert r['document'].endswith('lahore-2026-q4.xml'), r['document']
    assert r['element'] == 'booking'
    s = {'errors': 0, 'warnings': 0, 'infos': 0}
    for f in r['findings']:
        s[f['severity'] + 's'] += 1
        assert f['line'] >= r['line'], (f['line'], r['line'])
        assert f['location'].startswith('/d:booking[1]'), f['location']
    assert s == r['summary'], (r['record'], s, r['summary'])
sm = objs[-1]
assert (sm['records'], sm['errors'], sm['warnings'], sm['infos']) == (11, 4, 7, 0), sm
assert sm['rules']['id'] == 'pk' and sm['as_of'] == '2026-12-01' and sm['lang'] == 'en', sm
" "$tmp/lahore.jsonl"

# json: one document, the records as the jsonl lines without "type"
run audit -f json --as-of "$DAY" "$S"
status 1 "json"
out_has '"records": [' "json"
py_ok "json: one document with the records of jsonl" "
d = json.load(open(sys.argv[1], encoding='utf-8'))
jl = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
for k in ('tool', 'rules', 'as_of', 'phase', 'lang', 'records', 'errors', 'summary'):
    assert k in d, k
want = []
for o in jl[:-1]:
    o = dict(o)
    del o['type']
    want.append(o)
assert d['records'] == want, 'the records differ from the jsonl lines'
assert d['errors'] == [], d['errors']
assert (d['summary']['records'], d['summary']['errors'], d['summary']['warnings']) == (11, 4, 7), d['summary']
assert d['rules'] == jl[-1]['rules'] and d['as_of'] == '2026-12-01'
" "$tmp/out" "$tmp/lahore.jsonl"

# text: the totals, the rules, the groups and the worst records
run audit --as-of "$DAY" --color never "$S"
status 1 "text"
out_has "lahore-2026-q4.xml: 11 records" "text"
out_has "11 records checked in " "text"
out_has ": 4 errors, 7 warnings, 0 infos" "text"
out_has "6 records (54.5%) have a finding; rules: pk 1.0.0, as of 2026-12-01" "text"
out_has "Findings by rule:" "text"
out_has "PK-LIC-009" "text"
out_has "law: Travel Agencies Act 1976" "text"
out_has "By agency (1;" "text"
out_has "PB-LHR-2019-0412 Al-Noor Travels" "text"
out_has "By route" "text"
out_has "LHE-DXB-GYD" "text"
out_has "The worst records:" "text"
out_has "record 4 (BK-2026-000126), line 187: 1 error, 0 warnings, 0 infos" "text"
out_has "record 7 (BK-2026-000139), line 339: 0 errors, 6 warnings, 0 infos" "text"
out_lacks "$(printf '\033')" "text with --color never"
[ "$(grep -c ' record [0-9]* (BK-' "$tmp/out")" -eq 6 ] || fail "text: not the 6 flagged records among the worst"
run audit --as-of "$DAY" --top 2 "$S"
status 1 "text --top 2"
[ "$(grep -c ' record [0-9]* (BK-' "$tmp/out")" -eq 2 ] || fail "text --top 2: not 2 worst records"
run audit --as-of "$DAY" --color always "$S"
out_has "$(printf '\033[')" "text with --color always"

# html: written with -o, nothing on stdout
run audit -f html -o "$tmp/page.html" --as-of "$DAY" "$S"
status 1 "html -o"
out_empty "html -o"
err_empty "html -o"
if [ -s "$tmp/page.html" ]; then
	head -n 1 "$tmp/page.html" | grep -F -q '<!DOCTYPE html>' || fail "html: no <!DOCTYPE html>"
	tail -n 1 "$tmp/page.html" | grep -F -q '</html>' || fail "html: does not end with </html>"
	for id in summary by-rule by-agency by-branch by-route over-time worst rules files; do
		grep -F -q "<section id=\"$id\">" "$tmp/page.html" || fail "html: no section $id"
	done
	grep -F -q 'BK-2026-000126' "$tmp/page.html" || fail "html: the worst record BK-2026-000126 is missing"
	! grep -F -q '<script' "$tmp/page.html" || fail "html: a <script>"
	py_ok "html: well-formed XML" "
import xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == '{http://www.w3.org/1999/xhtml}html', r.tag
" "$tmp/page.html"
else
	fail "html -o: $tmp/page.html is missing or empty"
fi

# ---------------------------------------------------------------- several jobs

if [ -n "$PY" ]; then
	if "$PY" "$srcdir/bench/gen_submission.py" 3000 "$tmp/g3000.xml" >"$tmp/gen.out" 2>&1; then
		for j in 1 2 4; do
			run audit -f jsonl --jobs "$j" --as-of "$DAY" "$tmp/g3000.xml"
			status 1 "3000 bookings with --jobs $j"
			cp "$tmp/out" "$tmp/j$j.jsonl"
		done
		cmp -s "$tmp/j1.jsonl" "$tmp/j2.jsonl" || fail "--jobs 1 and --jobs 2 differ: $(cmp "$tmp/j1.jsonl" "$tmp/j2.jsonl")"
		cmp -s "$tmp/j1.jsonl" "$tmp/j4.jsonl" || fail "--jobs 1 and --jobs 4 differ: $(cmp "$tmp/j1.jsonl" "$tmp/j4.jsonl")"
		records_match "3000 bookings, jsonl" "$tmp/j4.jsonl" "$tmp/g3000.xml" booking
		grep -F -q '"records":3000,' "$tmp/j4.jsonl" || fail "3000 bookings: the summary does not count 3000 records"
		# findings, not only clean records: the generator plants problems
		[ "$(grep -c '"summary":{"errors":[1-9]' "$tmp/j4.jsonl")" -gt 50 ] ||
			fail "3000 bookings: fewer than 50 records with errors"
		run audit -f json --jobs 4 --as-of "$DAY" "$tmp/g3000.xml"
		status 1 "3000 bookings, json with --jobs 4"
		cp "$tmp/out" "$tmp/j4.json"
		py_ok "3000 bookings: the json records (--jobs 4) are the jsonl lines (--jobs 1)" "
d = json.load(open(sys.argv[1], encoding='utf-8'))
jl = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert len(d['records']) == 3000
for a, b in zip(d['records'], jl):
    b = dict(b); del b['type']
    assert a == b, (a.get('record'), b.get('record'))
" "$tmp/j4.json" "$tmp/j1.jsonl"
	else
		fail "bench/gen_submission.py 3000: $(show "$tmp/gen.out")"
	fi
else
	cannot "no python3: --jobs 1, 2 and 4 on a generated submission"
fi

# ---------------------------------------------------------------- the groups of the text report

# The text report's agencies and routes: the 10 with the most errors (then findings,
# records, key), then the others, so that the rows add up to the totals. Up to 1,024
# groups of a kind they are exact (as they always were); beyond, a summary of bounded size
# keeps the heavy hitters, says "about" for the number of groups, and marks with "at
# least" (and "at most" for the others) what it cannot count exactly.
cat >"$tmp/groups.py" <<'PYEOF'
import json, re, sys
import xml.etree.ElementTree as ET

sub, jsonl, report, mode = sys.argv[1:5]
heavy = sys.argv[5:]
D = "{urn:rahdari:doc:1}"
root = ET.parse(sub).getroot()
env = root.find(D + "agency")
recs = [json.loads(l) for l in open(jsonl, encoding="utf-8")]
recs = [r for r in recs if r["type"] == "record"]
books = root.findall(D + "booking")
assert len(recs) == len(books), (len(recs), len(books))
norm = lambda s: " ".join((s or "").split())
tables = {"agency": {}, "route": {}}
total = [0, 0, 0, 0, 0]
for r, b in zip(recs, books):
    c = [0, 0, 0]
    for f in r["findings"]:
        c[["error", "warning", "info"].index(f["severity"])] += 1
    row = [1, 1 if sum(c) else 0] + c
    total = [x + y for x, y in zip(total, row)]
    ag = b.find(D + "agency")
    ag = env if ag is None else ag
    lic = norm(ag.get("licence")) if ag is not None else ""
    name = norm(ag.get("name")) if ag is not None else ""
    label = (lic + (" " if lic and name else "") + name) or "(no agency)"
    segs = b.findall(D + "segment")
    route = ""
    if segs:
        s1 = segs[0]
        route = (s1.get("from") or "") + ("-" if s1.get("to") is not None else "") + (s1.get("to") or "")
        if len(segs) > 1:
            s2 = segs[1]
            if (s2.get("from") is not None and s2.get("from") == s1.get("to")
                    and not (s2.get("to") is not None and s2.get("to") == s1.get("from"))):
                route += "-" + (s2.get("to") or "")
    route = route or "(no flights)"
    for kind, key, lab in (("agency", lic or label, label), ("route", route, route)):
        g = tables[kind].setdefault(key, [lab, 0, 0, 0, 0, 0])
        for i in range(5):
            g[i + 1] += row[i]

text = open(report, encoding="utf-8").read()
num = lambda s: int(s.replace(",", ""))
NUMS = re.compile(r"^      (at least |at most )?([\d,]+) records?, ([\d,]+) flagged; ([\d,]+) errors?, "
                  r"([\d,]+) warnings?, ([\d,]+) infos?$")
for kind, title, many in (("agency", "By agency", "agencies"), ("route", "By route", "routes")):
    groups = tables[kind]
    order = sorted(groups.items(), key=lambda kv: (-kv[1][3], -sum(kv[1][3:6]), -kv[1][1], kv[0].encode()))
    m = re.search(r"\n%s \((about )?([\d,]+); the (\d+) with the most errors\):\n((?:  .*\n)+)" % title, text)
    assert m, "%s: no section" % title
    about, count, shown, body = m.group(1), num(m.group(2)), int(m.group(3)), m.group(4).splitlines()
    assert shown == min(10, len(groups)), (title, shown)
    if mode == "exact":
        assert not about and count == len(groups), (title, about, count, len(groups))
    else:
        assert about and abs(count - len(groups)) <= 0.1 * len(groups), (title, count, len(groups))
        assert body[0] == "  (too many to count one by one: these come from a summary of 1,024 %s," % many, body[0]
        assert body[1].startswith("   which holds every one with "), body[1]
        body = body[2:]
    rows = []
    while body and not body[0].startswith("  (\"at least\""):
        lab, nums = body[0][2:], NUMS.match(body[1])
        assert nums, (title, body[:2])
        rows.append((lab, nums.group(1), [num(nums.group(i)) for i in range(2, 7)]))
        body = body[2:]
    want_rows = shown + (1 if len(groups) > shown else 0)
    assert len(rows) == want_rows, (title, len(rows), want_rows)
    # the rows add up to the totals
    assert [sum(r[2][i] for r in rows) for i in range(5)] == total, (title, rows, total)
    top, others = rows[:shown], rows[shown:]
    if mode == "exact":
        want = [(g[0], None, g[1:]) for _, g in order[:10]]
        assert top == want, (title, top, want)
        if others:
            k = len(groups) - shown
            assert others[0][0] == "(the other %s %s)" % ("{:,}".format(k), many if k > 1 else kind), others[0]
            assert others[0][1] is None
    else:
        assert others and others[0][0] == "(the other %s)" % many, (title, others)
        by_label = {g[0]: g[1:] for g in groups.values()}
        for lab, mark, v in top:
            if mark is None:
                assert v == by_label[lab], (title, lab, v, by_label[lab])
            else:
                assert mark == "at least " and all(a <= b for a, b in zip(v, by_label[lab])), (title, lab, v)
        assert (others[0][1] == "at most ") == any(r[1] for r in top), (title, others[0])
    for h in heavy:
        hits = [r for r in top if r[0] == h]
        if hits or kind == ("agency" if h.startswith("Heavy") else "route"):
            assert hits and hits[0][1] is None, (title, h, "not among the top, exact")
print("ok")
PYEOF
# tiny_submission N K: N small bookings; every tenth sold by one of three agencies with no
# licence (an error each) on one route, the others by K agencies on K routes (clean), each
# on a day of its own
tiny_submission() {
	awk -v n="$1" -v k="$2" '
	function code(x) {
		return substr(L, int(x / 676) % 26 + 1, 1) substr(L, int(x / 26) % 26 + 1, 1) substr(L, x % 26 + 1, 1)
	}
	BEGIN {
		L = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		print "<submission xmlns=\"urn:rahdari:doc:1\">"
		for (i = 1; i <= n; i++) {
			printf "<booking id=\"B%d\" created=\"%04d-%02d-%02d\">", i, 1000 + int(i / 336), int(i / 28) % 12 + 1, i % 28 + 1
			if (i % 10 == 1)
				printf "<agency name=\"Heavy %d\" office=\"H\"/><segment carrier=\"PK\" flight=\"PK1\" from=\"LHE\" to=\"JED\" departure=\"2026-12-20T04:50\" arrival=\"2026-12-20T07:10\"/>", int(i / 10) % 3
			else
				printf "<agency name=\"A%d\" licence=\"L%d\" office=\"O\"/><segment carrier=\"PK\" flight=\"PK1\" from=\"%s\" to=\"DXB\" departure=\"2026-12-20T04:50\" arrival=\"2026-12-20T07:10\"/>", i % k, i % k, code(i % k)
			print "</booking>"
		}
		print "</submission>"
	}'
}
# groups_ok WHAT FILE MODE [HEAVY...]: the text report of FILE against its jsonl report
groups_ok() {
	need_py "the groups of the text report" || return 0
	what=$1 file=$2 mode=$3
	shift 3
	run audit --as-of "$DAY" -f jsonl "$file"
	cp "$tmp/out" "$tmp/groups.jsonl"
	run audit --as-of "$DAY" -f text "$file"
	status 1 "$what"
	"$PY" "$tmp/groups.py" "$file" "$tmp/groups.jsonl" "$tmp/out" "$mode" "$@" >"$tmp/pyout" 2>&1 ||
		fail "$what: $(show "$tmp/pyout") report: $(show "$tmp/out")"
}
if [ -n "$PY" ]; then
	groups_ok "groups of lahore-2026-q4.xml (exact, fewer than 10)" "$S" exact
	[ -f "$tmp/g3000.xml" ] && groups_ok "groups of 3000 generated bookings (exact, 300 routes)" "$tmp/g3000.xml" exact
	tiny_submission 2000 1000 >"$tmp/below.xml"
	groups_ok "903 agencies and 901 routes (exact: below the cap)" "$tmp/below.xml" exact "Heavy 0" "Heavy 1" "Heavy 2" LHE-JED
	out_lacks "about" "903 agencies"
	out_lacks "at least" "903 agencies"
	out_has "(the other 893 agencies)" "903 agencies"
	tiny_submission 5000 5000 >"$tmp/many.xml"
	groups_ok "4,503 agencies and routes (a summary: above the cap)" "$tmp/many.xml" summary "Heavy 0" "Heavy 1" "Heavy 2" LHE-JED
	out_has "which holds every one with an error)" "4,503 agencies"
	out_has "(the other agencies)" "4,503 agencies"
else
	cannot "no python3: the groups of the text report"
fi
# keys longer than what is kept of them (256 bytes) are still told apart: two licences
# that differ only after 300 characters are two agencies
long=$(printf '%0300d' 0 | tr 0 X)
cat >"$tmp/long-keys.xml" <<EOF
<submission xmlns="urn:rahdari:doc:1">
  <booking id="B1" created="2026-11-01"><agency name="A" licence="${long}1"/></booking>
  <booking id="B2" created="2026-11-01"><agency name="A" licence="${long}2"/></booking>
  <booking id="B3" created="2026-11-01"><agency name="A" licence="${long}2"/></booking>
</submission>
EOF
run audit --as-of "$DAY" "$tmp/long-keys.xml"
out_has "By agency (2; the 2 with the most errors):" "two long licences"
[ "$(grep -c "^      2 records" "$tmp/out")" -eq 1 ] && [ "$(grep -c "^      1 record," "$tmp/out")" -eq 1 ] ||
	fail "two long licences: not one agency of 2 records and one of 1: $(show "$tmp/out")"

# ---------------------------------------------------------------- the same findings as check

if [ -n "$PY" ]; then
	cat >"$tmp/same.py" <<'EOF'
"""same.py RAHDARI SUBMISSION WORKDIR AS-OF [strip]: audit SUBMISSION, check each booking
saved alone (the submission's agency copied in as its first child when it has none, as
audit carries it) and compare the findings of each record: (rule, kind, severity,
message, location), as multisets. With 'strip', every third booking first loses its own
agency (and an envelope without a licence gets one of the register), so that carrying
matters."""
import collections, json, os, subprocess, sys
import xml.etree.ElementTree as ET

rahdari, src, outdir, day = sys.argv[1:5]
strip = len(sys.argv) > 5 and sys.argv[5] == 'strip'
D = 'urn:rahdari:doc:1'
ET.register_namespace('', D)
tree = ET.parse(src)
root = tree.getroot()
if root.tag != '{%s}submission' % D:
    sys.exit('%s: not a submission (%s)' % (src, root.tag))
if strip:
    for i, b in enumerate(root.findall('{%s}booking' % D)):
        a = b.find('{%s}agency' % D)
        if i % 3 == 1 and a is not None:
            b.remove(a)
    env = root.find('{%s}agency' % D)
    if env is not None and not env.get('licence'):
        env.attrib.update({'name': 'Al-Noor Travels', 'licence': 'PB-LHR-2019-0412',
                           'office': 'GRW-01', 'province': 'PK-PB'})
    src = os.path.join(outdir, 'stripped-' + os.path.basename(src))
    tree.write(src, encoding='utf-8', xml_declaration=True)
    root = ET.parse(src).getroot()
env = root.find('{%s}agency' % D)
files, carried = [], 0
for i, b in enumerate(root.findall('{%s}booking' % D), 1):
    b.tail = None
    if b.find('{%s}agency' % D) is None and env is not None:
        a = ET.Element(env.tag, dict(env.attrib))
        a.tail = '\n'
        b.insert(0, a)
        carried += 1
    name = os.path.join(outdir, 'rec-%05d.xml' % i)
    with open(name, 'wb') as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(ET.tostring(b, encoding='unicode').encode('utf-8'))
        f.write(b'\n')
    files.append(name)
if strip and carried == 0:
    sys.exit('no booking without an agency: the test lost its point')


def key(f):
    return (f['rule'], f['kind'], f['severity'], f['message'], f['location'])


def run(args):
    p = subprocess.run([rahdari] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit('rahdari %s exited %d: %s' % (args[0], p.returncode, p.stderr.decode('utf-8', 'replace')))
    return p.stdout.decode('utf-8')


audit = {}
for line in run(['audit', '-f', 'jsonl', '--as-of', day, src]).splitlines():
    r = json.loads(line)
    if r['type'] == 'record':
        audit[r['record']] = collections.Counter(key(f) for f in r['findings'])
d = json.loads(run(['check', '-f', 'json', '--as-of', day] + files))
index = {f: i for i, f in enumerate(files, 1)}
check = {i: collections.Counter() for i in index.values()}
for f in d['findings']:
    check[index[f['document']]][key(f)] += 1
problems = []
if sorted(audit) != sorted(check):
    problems.append('audit reports records %s; the file has %d bookings' % (sorted(audit), len(files)))
n = 0
for i in sorted(check):
    a, c = audit.get(i, collections.Counter()), check[i]
    n += sum(c.values())
    for k in sorted(set(a) | set(c)):
        if a[k] != c[k]:
            problems.append('record %d: %s %s %d time(s) in audit, %d in check of the record alone: %s (at %s)'
                            % (i, k[0], k[2], a[k], c[k], k[3][:100], k[4]))
if n == 0:
    problems.append('no findings at all: the comparison has no teeth')
for p in problems[:10]:
    print(p)
print('%s: %d records (%d with the agency carried), %d findings, %d differences'
      % (os.path.basename(src), len(files), carried, n, len(problems)))
sys.exit(1 if problems else 0)
EOF
	"$PY" "$srcdir/bench/gen_submission.py" 50 "$tmp/g50.xml" >"$tmp/gen.out" 2>&1 ||
		fail "bench/gen_submission.py 50: $(show "$tmp/gen.out")"
	for f in "$S" "$tmp/g50.xml"; do
		for how in as-is strip; do
			rm -rf "$tmp/same" && mkdir "$tmp/same"
			checks=$((checks + 1))
			if "$PY" "$tmp/same.py" "$RAHDARI" "$f" "$tmp/same" "$DAY" "$how" >"$tmp/same.out" 2>&1; then
				echo "same findings as check ($how): $(tail -n 1 "$tmp/same.out")"
			else
				fail "audit and check differ on $(basename "$f") ($how): $(show "$tmp/same.out")"
			fi
		done
	done
	rm -rf "$tmp/same"
else
	cannot "no python3: the findings of audit against those of check on each record"
fi

# ---------------------------------------------------------------- a fault part-way

# the 5th booking's end tag is misspelt: records 1 to 4, then the error at that line
awk '/<\/booking>/ { n++; if (n == 5) sub(/<\/booking>/, "</bookingx>") } { print }' "$S" >"$tmp/bad5.xml"
badline=$(grep -n '</bookingx>' "$tmp/bad5.xml" | cut -d: -f1)
for j in 1 4; do
	run audit -f jsonl --jobs "$j" --as-of "$DAY" "$tmp/bad5.xml"
	status 3 "a mismatched tag in record 5 (--jobs $j)"
	err_has "bad5.xml:$badline:" "a mismatched tag in record 5 (--jobs $j)"
	got_records "$tmp/out" | cut -d' ' -f1 | tr '\n' ' ' >"$tmp/nums"
	[ "$(cat "$tmp/nums")" = "1 2 3 4 " ] ||
		fail "a mismatched tag in record 5 (--jobs $j): records $(cat "$tmp/nums"), expected 1 2 3 4"
	sed -n 5p "$tmp/out" | grep -F -q '{"type":"error","path":"'"$tmp/bad5.xml"'","status":"RD_EPARSE"' ||
		fail "a mismatched tag in record 5 (--jobs $j): line 5 is not the error: $(sed -n 5p "$tmp/out")"
	sed -n 5p "$tmp/out" | grep -F -q '"line":'"$badline"',' ||
		fail "a mismatched tag in record 5 (--jobs $j): the error line does not say line $badline"
	sed -n 6p "$tmp/out" | grep -F -q '{"type":"summary",' || fail "a mismatched tag in record 5: no summary after the error"
	out_has '"records":4,"unreadable":1,' "a mismatched tag in record 5 (--jobs $j)"
	py_ok "a mismatched tag in record 5 (--jobs $j): the lines before the error" "
objs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert [o['type'] for o in objs] == ['record'] * 4 + ['error', 'summary'], [o['type'] for o in objs]
assert [o['id'] for o in objs[:4]] == ['BK-2026-000112', 'BK-2026-000118', 'BK-2026-000121', 'BK-2026-000126']
assert objs[3]['findings'][0]['rule'] == 'PK-LIC-009', objs[3]
e = objs[4]
assert e['line'] == int(sys.argv[2]) and e['column'] > 0 and sys.argv[3] in e['message'], e
" "$tmp/out" "$badline" "bad5.xml:$badline:"
done
run audit --as-of "$DAY" "$tmp/bad5.xml"
status 3 "a mismatched tag in record 5 (text)"
out_has "4 records" "a mismatched tag in record 5 (text)"
out_has "STOPPED" "a mismatched tag in record 5 (text)"
run audit -f json --as-of "$DAY" "$tmp/bad5.xml"
status 3 "a mismatched tag in record 5 (json)"
py_ok "a mismatched tag in record 5 (json)" "
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert [r['record'] for r in d['records']] == [1, 2, 3, 4]
assert len(d['errors']) == 1 and d['errors'][0]['line'] == int(sys.argv[2]), d['errors']
" "$tmp/out" "$badline"

# a file cut in the middle of its 5th booking (after a surname, without the newline)
cutline=$(grep -n '</surname>' "$S" | awk -F: '$1 > 227 { print $1; exit }')
cutbytes=$(head -n "$cutline" "$S" | wc -c | tr -d ' ')
head -c $((cutbytes - 1)) "$S" >"$tmp/cut.xml"
run audit -f jsonl --jobs 2 --as-of "$DAY" "$tmp/cut.xml"
status 3 "a file cut in record 5"
err_re "cut\\.xml:$cutline:[0-9]+: " "a file cut in record 5"
[ "$(got_records "$tmp/out" | cut -d' ' -f1 | tr '\n' ' ')" = "1 2 3 4 " ] ||
	fail "a file cut in record 5: not records 1 to 4: $(show "$tmp/out")"
out_has '{"type":"error","path":"'"$tmp/cut.xml"'","status":"RD_EPARSE"' "a file cut in record 5"
out_has '"line":'"$cutline"',' "a file cut in record 5"
tail -n 1 "$tmp/out" | grep -F -q '"type":"summary"' || fail "a file cut in record 5: no summary at the end"

# a big file cut late: every record before the cut is out, in order, whatever the jobs
if [ -n "$PY" ] && [ -f "$tmp/g3000.xml" ]; then
	start=$(grep -n '<booking ' "$tmp/g3000.xml" | sed -n 2500p | cut -d: -f1)
	cutbytes=$(head -n $((start + 3)) "$tmp/g3000.xml" | wc -c | tr -d ' ')
	head -c $((cutbytes - 1)) "$tmp/g3000.xml" >"$tmp/late.xml"
	run audit -f jsonl --jobs 4 --as-of "$DAY" "$tmp/late.xml"
	status 3 "a big file cut in record 2500"
	err_re "late\\.xml:$((start + 3)):[0-9]+: " "a big file cut in record 2500"
	head -n 2499 "$tmp/j1.jsonl" | sed "s|$tmp/g3000.xml|$tmp/late.xml|g" >"$tmp/late.want"
	head -n 2499 "$tmp/out" >"$tmp/late.got"
	cmp -s "$tmp/late.want" "$tmp/late.got" ||
		fail "a big file cut in record 2500: the 2499 records before it differ from those of the whole file"
	sed -n 2500p "$tmp/out" | grep -F -q '{"type":"error",' ||
		fail "a big file cut in record 2500: line 2500 is not the error: $(sed -n 2500p "$tmp/out" | head -c 200)"
	[ "$(wc -l <"$tmp/out" | tr -d ' ')" -eq 2501 ] || fail "a big file cut in record 2500: not 2499 records, the error and the summary"
fi

# ---------------------------------------------------------------- options

# --record NAME on a file that is not a submission
cat >"$tmp/log.xml" <<'EOF'
<?xml version="1.0"?>
<log>
  <day n="1">
    <entry id="e1" kind="a"/>
    <entry id="e2" kind="b"><entry id="inner"/></entry>
  </day>
  <day n="2">
    <entry id="e3"/>
  </day>
</log>
EOF
cat >"$tmp/log.sch" <<'EOF'
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <sch:pattern>
    <sch:rule context="entry">
      <sch:assert id="E-KIND" test="@kind">Entry <sch:value-of select="@id"/> has no kind.</sch:assert>
      <sch:report id="E-ROOT" role="info" test="not(parent::*)">Entry <sch:value-of select="@id"/> is a root.</sch:report>
    </sch:rule>
  </sch:pattern>
</sch:schema>
EOF
run audit --rules "$tmp/log.sch" --record entry -f jsonl "$tmp/log.xml"
status 1 "--record entry"
[ "$(got_records "$tmp/out" | tr '\n' ' ')" = "1 e1 4 2 e2 5 3 e3 8 " ] ||
	fail "--record entry: records $(got_records "$tmp/out" | tr '\n' ' '), expected e1 e2 e3 at lines 4 5 8 (the inner entry is part of e2)"
out_has '"message":"Entry inner has no kind."' "--record entry"
out_has '"message":"Entry e3 has no kind."' "--record entry"
out_has '"message":"Entry e1 is a root."' "--record entry: each record is the root of its document"
out_lacks '"message":"Entry inner is a root."' "--record entry"
out_has '"records":3,"unreadable":0,"errors":2,"warnings":0,"infos":3}' "--record entry"
run audit --rules "$tmp/log.sch" -f jsonl "$tmp/log.xml"
status 1 "the children of the root by default"
out_has '"record":1,"id":null,"element":"day","line":3,' "the children of the root by default"
out_has '"record":2,"id":null,"element":"day","line":7,' "the children of the root by default"
out_has '"records":2,' "the children of the root by default"
out_lacks '"type":"error"' "the children of the root by default"

# '-': standard input, the same records
"$RAHDARI" audit -f jsonl --as-of "$DAY" - <"$S" >"$tmp/out" 2>"$tmp/err"
st=$?
checks=$((checks + 1))
status 1 "'-' (standard input)"
out_has '"document":"<stdin>"' "'-' (standard input)"
sed "s|\"document\":\"<stdin>\"|\"document\":\"$S\"|g" "$tmp/out" >"$tmp/stdin.jsonl"
cmp -s "$tmp/stdin.jsonl" "$tmp/lahore.jsonl" || fail "'-': not the records of the file: $(diff "$tmp/stdin.jsonl" "$tmp/lahore.jsonl" | head -n 4 | tr '\n' '|')"

# --output: the file, nothing on stdout
run audit -f jsonl --as-of "$DAY" --output "$tmp/o.jsonl" "$S"
status 1 "--output"
out_empty "--output"
err_empty "--output"
cmp -s "$tmp/o.jsonl" "$tmp/lahore.jsonl" || fail "--output: the file is not the report on stdout"
run audit --as-of "$DAY" -o "$tmp/o.txt" "$S"
status 1 "-o (text)"
out_empty "-o (text)"
grep -F -q "11 records checked" "$tmp/o.txt" || fail "-o (text): no report in the file"
run audit --as-of "$DAY" -o "$tmp/no-such-dir/o.txt" "$S"
status 3 "-o in a directory that does not exist"
err_has "no-such-dir/o.txt" "-o in a directory that does not exist"

# --fail-on: two bookings with warnings only
pick "$S" BK-2026-000139 BK-2026-000152 >"$tmp/warn.xml"
run audit --as-of "$DAY" -f jsonl "$tmp/warn.xml"
status 0 "warnings only"
out_has '"records":2,"unreadable":0,"errors":0,"warnings":7,"infos":0}' "warnings only"
run audit --as-of "$DAY" --fail-on warning "$tmp/warn.xml"
status 1 "--fail-on warning with warnings"
run audit --as-of "$DAY" --fail-on info "$tmp/warn.xml"
status 1 "--fail-on info with warnings"
run audit --as-of "$DAY" --fail-on warning "$tmp/clean.xml"
status 0 "--fail-on warning on a clean file"
run audit --as-of "$DAY" --fail-on warning "$tmp/no-such-submission.xml"
status 3 "--fail-on warning and a missing file"

# --as-of: without a booking date the licence is checked on the as-of date
sed 's/ created="[^"]*"//' "$S" >"$tmp/undated.xml"
run audit -f jsonl --as-of "$DAY" "$tmp/undated.xml"
status 1 "--as-of $DAY"
out_lacks '"rule":"PK-LIC-004"' "--as-of $DAY (licence in force)"
out_has '"as_of":"2026-12-01"' "--as-of $DAY"
run audit -f jsonl --as-of 2040-01-01 "$tmp/undated.xml"
status 1 "--as-of 2040-01-01"
[ "$(n_lines '"rule":"PK-LIC-004"' "$tmp/out")" -eq 11 ] ||
	fail "--as-of 2040-01-01: PK-LIC-004 (licence expired) not on all 11 records: $(n_lines '"rule":"PK-LIC-004"' "$tmp/out")"
out_has '"as_of":"2040-01-01"' "--as-of 2040-01-01"
run audit --as-of 2040-01-01 "$tmp/undated.xml"
out_has "as of 2040-01-01" "--as-of 2040-01-01 (text)"

# --lang ur: Urdu messages (Arabic script) from the pk pack
run audit -f jsonl --lang ur --as-of "$DAY" "$S"
status 1 "--lang ur"
out_has '"lang":"ur"' "--lang ur"
out_has 'لائسنس' "--lang ur"
out_has 'PB-LHR-2019-0412' "--lang ur (values in the message)"
out_lacks 'A licensee may sell only in the fields' "--lang ur"
run audit -f jsonl --lang en --as-of "$DAY" "$S"
status 1 "--lang en"
out_lacks 'لائسنس' "--lang en"
run audit --lang ur --as-of "$DAY" "$S"
status 1 "--lang ur (text)"
out_has 'لائسنس' "--lang ur (text)"

# --max-size: a record over the limit stops the file
run audit -f jsonl --max-size 1000 --as-of "$DAY" "$S"
status 3 "--max-size 1000"
err_has "lahore-2026-q4.xml:" "--max-size 1000"
err_has "larger than the limit of 1000 bytes" "--max-size 1000"
out_has '"status":"RD_ELIMIT"' "--max-size 1000"
out_lacks '"type":"record"' "--max-size 1000"
run audit -f jsonl --max-size 100000 --as-of "$DAY" "$S"
status 1 "--max-size 100000"
out_has '"records":11,' "--max-size 100000"

# ---------------------------------------------------------------- progress

# a small file: the first block read is reported at once
P=$S
run audit -f jsonl --progress never --as-of "$DAY" "$tmp/clean.xml"
status 0 "--progress never"
err_empty "--progress never"
run audit -f jsonl --progress never --as-of "$DAY" "$P"
status 1 "--progress never (findings)"
err_empty "--progress never (findings)"
run audit -f jsonl --as-of "$DAY" "$P"
status 1 "--progress auto, stderr a file"
err_empty "--progress auto, stderr a file"
run audit -f jsonl --progress always --as-of "$DAY" "$P"
status 1 "--progress always"
err_has " records, " "--progress always"
err_has " records/s" "--progress always"
err_has "MB/s" "--progress always"
err_has "$(basename "$P"): " "--progress always"
cmp -s "$tmp/out" "$tmp/lahore.jsonl" || fail "--progress always: the report differs from the one without progress"
if command -v script >/dev/null 2>&1 && script --version 2>&1 | grep -q util-linux; then
	# a terminal for standard error: script(1) runs the command on a pseudo-terminal and
	# copies what it writes there; the report goes to a file
	checks=$((checks + 1))
	script -qec "'$RAHDARI' audit -f jsonl --as-of $DAY -o '$tmp/tty.jsonl' '$P'" /dev/null \
		</dev/null >"$tmp/tty.out" 2>&1
	st=$?
	[ "$st" -eq 1 ] || fail "--progress auto on a terminal: exit status $st, expected 1; $(show "$tmp/tty.out")"
	grep -F -q " records/s" "$tmp/tty.out" || fail "--progress auto on a terminal: no progress: $(show "$tmp/tty.out")"
	grep -F -q '"type":"record"' "$tmp/tty.out" && fail "--progress auto on a terminal: the report went to the terminal"
	cmp -s "$tmp/tty.jsonl" "$tmp/lahore.jsonl" ||
		fail "--progress auto on a terminal: the report differs from the one without progress"
	checks=$((checks + 1))
	script -qec "'$RAHDARI' audit -f jsonl --progress never --as-of $DAY -o '$tmp/tty.jsonl' '$P'" /dev/null \
		</dev/null >"$tmp/tty.out" 2>&1
	st=$?
	[ "$st" -eq 1 ] || fail "--progress never on a terminal: exit status $st, expected 1"
	! grep -F -q "records/s" "$tmp/tty.out" || fail "--progress never on a terminal: progress: $(show "$tmp/tty.out")"
else
	cannot "no script(1) from util-linux: progress on a terminal"
fi

# ---------------------------------------------------------------- hostile input

cat >"$tmp/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE submission [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<submission xmlns="urn:rahdari:doc:1">
  <booking id="B1"><remark>&lol9;</remark></booking>
</submission>
EOF
run audit -f jsonl --as-of "$DAY" "$tmp/laughs.xml"
status 3 "billion laughs"
err_re "laughs\\.xml:3:[0-9]+: " "billion laughs (file, line and column)"
err_has "entity" "billion laughs"
out_has '"status":"RD_EUNSAFE"' "billion laughs"
out_has '"line":3,"column":' "billion laughs"
out_lacks '"type":"record"' "billion laughs"
out_lacks 'lollol' "billion laughs"

cat >"$tmp/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE submission [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<submission xmlns="urn:rahdari:doc:1">
  <booking id="B1"><remark>&xxe;</remark></booking>
</submission>
EOF
run audit -f jsonl --as-of "$DAY" "$tmp/xxe.xml"
status 3 "an external entity"
err_re "xxe\\.xml:3:[0-9]+: " "an external entity (file, line and column)"
err_has "external" "an external entity"
out_lacks '"type":"record"' "an external entity"
out_lacks 'root:' "an external entity"

cat >"$tmp/xxe-pe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE submission [
  <!ENTITY % ext SYSTEM "file:///etc/passwd">
  %ext;
]>
<submission xmlns="urn:rahdari:doc:1"><booking id="B1"/></submission>
EOF
run audit -f jsonl --as-of "$DAY" "$tmp/xxe-pe.xml"
status 3 "an external parameter entity"
err_re "xxe-pe\\.xml:3:[0-9]+: " "an external parameter entity"
out_lacks '"type":"record"' "an external parameter entity"
out_lacks 'root:' "an external parameter entity"

# the refusal of one file does not stop the others
run audit -f jsonl --as-of "$DAY" "$tmp/laughs.xml" "$S"
status 3 "billion laughs, then a good file"
[ "$(n_lines '"type":"record"' "$tmp/out")" -eq 11 ] || fail "billion laughs, then a good file: the good file's records are missing"

# ---------------------------------------------------------------- files that end early

printf '<submission xmlns="urn:rahdari:doc:1">\n<booking id="B1"/>\n' >"$tmp/unclosed.xml"
run audit -f jsonl --progress never "$tmp/unclosed.xml"
status 3 "a file that ends inside its root element"
err_has "unclosed.xml:2:" "a file that ends inside its root element"
err_has "premature end of data: the file ends inside element 'submission' opened at line 1" \
	"a file that ends inside its root element"
out_has '"type":"record","document":"'"$tmp/unclosed.xml"'","record":1,"id":"B1"' \
	"a file that ends inside its root element: the record before the end"
: >"$tmp/empty.xml"
run audit -f jsonl --progress never "$tmp/empty.xml"
status 3 "an empty file"
err_has "empty.xml:1:1: empty input: no XML document" "an empty file"
printf '<?xml version="1.0"?>\n' >"$tmp/decl-only.xml"
run audit --progress never "$tmp/decl-only.xml"
status 3 "a file with only an XML declaration"
err_has "the file ends before its root element" "a file with only an XML declaration"

# ---------------------------------------------------------------- result

finish cli_audit.sh
