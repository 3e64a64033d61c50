#!/usr/bin/python3
"""rahdari tests: the HTML report of `rahdari audit`.

Usage: RAHDARI=/path/to/rahdari srcdir=/path/to/source audit_html.py
       (or audit_html.py RAHDARI [SRCDIR])

Writes `rahdari audit --format html -o page.html --as-of 2026-12-01` for a generated
submission (bench/gen_submission.py 2000), for examples/submissions/lahore-2026-q4.xml
and for a small submission with hostile values (markup, URLs, Urdu, no dates), and
checks each page:

* it is well-formed XML (the page is polyglot XHTML), with the XHTML root;
* every section is there and not empty: the summary (tiles and the charts of the totals
  by severity and of the records flagged), findings by rule, by agency, by branch, by
  route, over time (each with an inline <svg> chart), the worst records, the rules with
  their citations, the files; the navigation links point at them;
* the numbers agree with the jsonl report of the same audit and with the submission
  itself: totals, findings and records of each rule (with its example message and
  citation), the agencies, branches and routes (in their order), the dates and the
  buckets of the time chart, the worst records (in their order), the files; bars are
  as long as their values say;
* nothing is or could be fetched or run: no http:, https: or // outside the two
  namespace names, no <script>, <link>, <img>, <iframe>, <object> or <embed>, no event
  attributes, no href but to the page's own sections, no src but data: URIs, no
  @import and no url() but url(data:) in the style sheet and style attributes, and a
  Content-Security-Policy of default-src 'none';
* values from the submission are text, never markup;
* with more agencies, branches, routes and days than the report's summaries keep (5,000
  small bookings), the page says how many there are about, shows the heavy ones exactly
  and marks bounds as such, the rows and the others add up to the totals, and the dates
  are counted by year, exactly.

Then, when Debian's chromium is installed, each page is rendered headless to a PNG
(a PNG of the window's size and with content), and chromium's log must show no message
from the page (no console message, nothing refused, no uncaught error); a page that
breaks its own policy is rendered first to show that such messages are seen.

Exit status: 0 when every check passes; 1 when one fails; 77 (automake's SKIP) when
chromium is missing (after the other checks passed) or the interpreter lacks what the
test needs; 99 when RAHDARI or the source tree cannot be found.
"""

import collections
import datetime
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

try:
    import xml.etree.ElementTree as ET
except ImportError:  # pragma: no cover - depends on the interpreter
    print("SKIP: xml.etree is not importable")
    sys.exit(77)
try:
    from lxml import etree as LET
except ImportError:  # pragma: no cover - lxml is optional
    LET = None

H = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
D = "urn:rahdari:doc:1"
DAY = "2026-12-01"
SECTIONS = ["summary", "by-rule", "by-agency", "by-branch", "by-route", "over-time",
            "worst", "rules", "files"]
CHARTED = ["summary", "by-rule", "by-agency", "by-branch", "by-route", "over-time"]
SEV_RANK = {"error": 3, "warning": 2, "info": 1}
TOP_RULES = 25
TOP_GROUPS = 20
TOP_WORST = 20

failures = []


def fail(what, detail):
    failures.append("%s: %s" % (what, detail))
    print("FAIL: %s: %s" % (what, detail))


def check(cond, what, detail):
    if not cond:
        fail(what, detail)
    return cond


# ---------------------------------------------------------------- helpers


def q(ns, tag):
    return "{%s}%s" % (ns, tag)


def text(el):
    return "".join(el.itertext())


def fmt_count(n):
    return "{:,}".format(n)


def fmt_pct(part, whole):
    v = int(100.0 * part / whole * 10 + 0.5)
    return "%s.%d%%" % (fmt_count(v // 10), v % 10)


def norm(s):
    return " ".join((s or "").split())


def cut(s, n):
    """s cut to n characters with an ellipsis, as the page cuts long messages."""
    return s if len(s) <= n else s[:n - 1] + "\u2026"


def rows(table):
    """The body rows of an XHTML table, each a list of cell texts."""
    body = table.find(q(H, "tbody"))
    return [[text(td) for td in tr.findall(q(H, "td"))] for tr in body.findall(q(H, "tr"))]


def run(args, what, statuses=(0, 1)):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in statuses:
        fail(what, "%s exited %d: %s" % (" ".join(args[1:]), p.returncode,
                                         p.stderr.decode("utf-8", "replace")[:400]))
    return p


# ---------------------------------------------------------------- what the page must say


def expected(sub_path, jsonl):
    """What the page of an audit must show, from the submission and the jsonl report."""
    root = ET.parse(sub_path).getroot()
    env = root.find(q(D, "agency"))
    recs = [json.loads(line) for line in jsonl.splitlines()]
    summary = recs[-1]
    assert summary["type"] == "summary", summary
    recs = [r for r in recs if r["type"] == "record"]
    bookings = root.findall(q(D, "booking"))
    assert len(bookings) == len(recs), (len(bookings), len(recs))
    e = {"summary": summary, "records": len(recs)}

    rules = collections.OrderedDict()
    agencies, branches, routes, days = {}, {}, {}, {}
    worst = []

    def group(table, key, label, counts):
        g = table.setdefault(key, {"label": label, "records": 0, "flagged": 0,
                                   "error": 0, "warning": 0, "info": 0})
        g["records"] += 1
        g["flagged"] += 1 if sum(counts.values()) else 0
        for s in counts:
            g[s] += counts[s]

    for r, b in zip(recs, bookings):
        assert r["id"] == b.get("id"), (r["id"], b.get("id"))
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in r["findings"]:
            counts[f["severity"]] += 1
        seen = set()
        ids = []
        for f in r["findings"]:
            k = (f["rule"], f["severity"])
            ru = rules.setdefault(k, {"findings": 0, "records": 0, "cite": f.get("cite"),
                                      "message": f["message"], "kind": f["kind"]})
            ru["findings"] += 1
            if k not in seen:
                seen.add(k)
                ru["records"] += 1
            if f["rule"] not in ids:
                ids.append(f["rule"])
        # the facets: the record's agency (its own, else the submission's), the route, the day
        ag = b.find(q(D, "agency"))
        if ag is None:
            ag = env
        lic = norm(ag.get("licence")) if ag is not None else ""
        name = norm(ag.get("name")) if ag is not None else ""
        office = norm(ag.get("office")) if ag is not None else ""
        label = (lic + (" " if lic and name else "") + name) or "(no agency)"
        group(agencies, lic or label, label, counts)
        br = "%s / %s" % (lic or label, office or "(no office)")
        group(branches, br, br, counts)
        segs = b.findall(q(D, "segment"))
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
        group(routes, route, route, counts)
        day = norm(b.get("created"))[:10] or "(undated)"
        group(days, day, day, counts)
        if sum(counts.values()):
            worst.append({"record": r["record"], "id": r["id"], "line": r["line"], "counts": counts,
                          "rules": " ".join(ids), "agency": label})

    def rule_order(item):
        (rid, sev), ru = item
        return (-ru["findings"], -SEV_RANK[sev], rid.encode("utf-8"))

    e["rules"] = sorted(rules.items(), key=rule_order)

    def group_order(item):
        key, g = item
        return (-g["error"], -(g["error"] + g["warning"] + g["info"]), -g["records"], key.encode("utf-8"))

    e["agencies"] = sorted(agencies.items(), key=group_order)
    e["branches"] = sorted(branches.items(), key=group_order)
    e["routes"] = sorted(routes.items(), key=group_order)
    worst.sort(key=lambda w: (-w["counts"]["error"], -w["counts"]["warning"], -w["counts"]["info"],
                              w["record"]))
    e["worst"] = worst[:TOP_WORST]
    e["flagged"] = sum(1 for r in recs if r["findings"])
    # dates: the days that are dates (YYYY-MM-DD), and the records of the others
    dated, undated = {}, 0
    for key, g in days.items():
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", key):
                raise ValueError(key)
            dated[datetime.date(int(key[:4]), int(key[5:7]), int(key[8:10]))] = g
        except ValueError:
            undated += g["records"]
    e["dated"] = dated
    e["undated"] = undated
    return e


def time_buckets(dated):
    """The level of the time chart and its buckets: [(label, records, flagged)]."""
    lo, hi = min(dated), max(dated)

    def week(d):
        return (d.toordinal() - 1) // 7  # 0001-01-01 was a Monday

    def month(d):
        return d.year * 12 + d.month - 1

    if (hi - lo).days < 60:
        level, of, label = "day", lambda d: d.toordinal(), lambda b: datetime.date.fromordinal(b).isoformat()
    elif week(hi) - week(lo) < 104:
        level, of, label = "week", week, lambda b: datetime.date.fromordinal(b * 7 + 1).isoformat()
    elif month(hi) - month(lo) < 120:
        level, of, label = "month", month, lambda b: "%04d-%02d" % (b // 12, b % 12 + 1)
    else:
        level, of, label = "year", lambda d: d.year, lambda b: "%04d" % b
    first, last = of(lo), of(hi)
    buckets = [[label(b), 0, 0] for b in range(first, last + 1)]
    for d, g in dated.items():
        buckets[of(d) - first][1] += g["records"]
        buckets[of(d) - first][2] += g["flagged"]
    return level, lo, hi, buckets


# ---------------------------------------------------------------- the checks of a page


def parse_page(what, path):
    data = open(path, "rb").read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as ex:
        fail(what, "the page is not UTF-8: %s" % ex)
    try:
        if LET is not None:
            parser = LET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                   huge_tree=False)
            root = LET.fromstring(data, parser)
            # the same tree as ElementTree sees it, for the checks below
            root = ET.fromstring(LET.tostring(root))
        else:
            root = ET.fromstring(data)
    except Exception as ex:  # any parse error is a failure
        fail(what, "the page is not well-formed XML: %s" % ex)
        return data, None
    check(root.tag == q(H, "html"), what, "the root is %s, not XHTML's html" % root.tag)
    return data, root


def check_self_contained(what, data, root, strict_text):
    """Nothing is fetched, nothing runs."""
    raw = data.decode("utf-8", "replace")
    if strict_text:
        rest = raw.replace('xmlns="%s"' % H, "").replace('xmlns="%s"' % SVG, "")
        for m in re.finditer(r"https?:|//|ftp:|file:", rest, re.I):
            fail(what, "an external reference %r in ...%s..." % (m.group(0), rest[max(0, m.start() - 60):m.end() + 40]))
            break
    if root is None:
        return
    forbidden = {"script", "link", "img", "image", "iframe", "frame", "object", "embed", "base",
                 "form", "audio", "video", "source", "track", "picture", "use", "foreignObject",
                 "applet", "portal", "template"}
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for el in root.iter():
        tag = el.tag.split("}")[-1] if isinstance(el.tag, str) else ""
        if tag in forbidden:
            fail(what, "a <%s> element" % tag)
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            fail(what, "a meta refresh")
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                fail(what, "an event attribute %s on <%s>" % (name, tag))
            if local == "href":
                if not value.startswith("#"):
                    fail(what, "<%s href=%r>: not a link within the page" % (tag, value))
                elif value[1:] not in ids:
                    fail(what, "<%s href=%r>: no element with that id" % (tag, value))
            if local in ("src", "srcset", "action", "formaction", "poster", "background", "data",
                         "codebase", "ping", "manifest") and not value.startswith("data:"):
                fail(what, "<%s %s=%r>" % (tag, name, value))
            if re.search(r"url\s*\(", value, re.I) and not re.search(r"url\s*\(\s*['\"]?data:", value, re.I):
                fail(what, "url() in <%s %s=%r>" % (tag, name, value))
            if local == "style":
                check_css(what, "the style attribute of <%s>" % tag, value)
        if tag == "style":
            check_css(what, "<style>", text(el))
    csp = [m for m in root.iter(q(H, "meta"))
           if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    if check(len(csp) == 1, what, "no Content-Security-Policy meta element"):
        check("default-src 'none'" in csp[0].get("content", ""), what,
              "the Content-Security-Policy is not default-src 'none': %r" % csp[0].get("content"))


def check_css(what, where, css):
    if re.search(r"@import", css, re.I):
        fail(what, "@import in %s" % where)
    for m in re.finditer(r"url\s*\(\s*(['\"]?)([^)]*)", css, re.I):
        if not m.group(2).startswith("data:"):
            fail(what, "url(%s) in %s" % (m.group(2)[:60], where))
    if re.search(r"expression\s*\(|behavior\s*:|-moz-binding", css, re.I):
        fail(what, "an active CSS construct in %s" % where)


def svg_rows(svg):
    """The rows of a bar chart: (title text, total width of its bars)."""
    out = []
    for g in svg.findall(q(SVG, "g")):
        t = g.find(q(SVG, "title"))
        w = sum(float(r.get("width")) for r in g.findall(q(SVG, "rect")))
        out.append((text(t) if t is not None else "", w))
    return out


def check_bars(what, svg, values, full=520.0):
    """Each row's bars are as long as its value says (the largest is full)."""
    got = svg_rows(svg)
    if not check(len(got) == len(values), what, "%d rows in the chart, expected %d" % (len(got), len(values))):
        return
    top = max(values) if values else 0
    for (title, w), v in zip(got, values):
        want = v / top * full if top else 0
        check(abs(w - want) <= 0.25, what, "the bar of %r is %.1f long, expected %.1f" % (title, w, want))


def check_page(what, path, e, sub_name):
    data, root = parse_page(what, path)
    check_self_contained(what, data, root, strict_text=e.get("strict", True))
    if root is None:
        return None
    sections = {s.get("id"): s for s in root.iter(q(H, "section"))}
    for sid in SECTIONS:
        s = sections.get(sid)
        if not check(s is not None, what, "no section %s" % sid):
            continue
        h2 = s.find(q(H, "h2"))
        check(h2 is not None and text(h2).strip(), what, "section %s has no heading" % sid)
        body = "".join(text(c) for c in list(s)[1:]).strip()
        check(body, what, "section %s is empty" % sid)
    for sid in CHARTED:
        s = sections.get(sid)
        if s is None:
            continue
        svgs = list(s.iter(q(SVG, "svg")))
        if check(svgs, what, "section %s has no inline <svg> chart" % sid):
            for svg in svgs:
                t = svg.find(q(SVG, "title"))
                check(t is not None and text(t).strip(), what, "a chart of %s has no title" % sid)
                check(svg.find(".//" + q(SVG, "rect")) is not None, what, "a chart of %s draws nothing" % sid)
    nav = root.find(".//" + q(H, "nav"))
    if check(nav is not None, what, "no navigation"):
        links = [a.get("href") for a in nav.iter(q(H, "a"))]
        check(links == ["#" + s for s in SECTIONS], what, "the navigation links are %s" % links)
    if any(s not in sections for s in SECTIONS):
        return root
    sm = e["summary"]
    total = sm["errors"] + sm["warnings"] + sm["infos"]

    # the summary: tiles, the severity chart, the share flagged
    tiles = {}
    for div in sections["summary"].iter(q(H, "div")):
        if div.get("class") == "tile":
            parts = {c.get("class"): text(c) for c in div}
            tiles[parts.get("k")] = parts.get("v")
    check(tiles.get("file") == "1", what, "the files tile says %r" % tiles.get("file"))
    check(tiles.get("records") == fmt_count(e["records"]), what,
          "the records tile says %r, expected %s" % (tiles.get("records"), e["records"]))
    check(tiles.get("findings") == fmt_count(total), what,
          "the findings tile says %r, expected %d" % (tiles.get("findings"), total))
    check(tiles.get("of records flagged") == fmt_pct(e["flagged"], e["records"]), what,
          "the flagged tile says %r, expected %s" % (tiles.get("of records flagged"), fmt_pct(e["flagged"], e["records"])))
    for k in ("read", "time", "records per second"):
        check(tiles.get(k), what, "no %r tile" % k)
    charts = {text(s.find(q(SVG, "title"))): s for s in sections["summary"].iter(q(SVG, "svg"))}
    sev = charts.get("Findings by severity")
    if check(sev is not None, what, "no chart of the findings by severity"):
        got = [t for t, _ in svg_rows(sev)]
        want = ["%s errors" % fmt_count(sm["errors"]), "%s warnings" % fmt_count(sm["warnings"]),
                "%s info" % fmt_count(sm["infos"])]
        check(got == want, what, "the severity chart says %s, expected %s" % (got, want))
        check_bars(what + " (severity chart)", sev, [sm["errors"], sm["warnings"], sm["infos"]], 560.0)
    share = charts.get("Share of records flagged")
    if check(share is not None, what, "no chart of the share of records flagged"):
        want = "%s flagged of %s records" % (fmt_count(e["flagged"]), fmt_count(e["records"]))
        check(svg_rows(share)[0][0] == want, what, "the share chart says %r, expected %r" % (svg_rows(share)[0][0], want))
    check("%s of %s records (%s) have at least one finding." % (fmt_count(e["flagged"]), fmt_count(e["records"]),
                                                             fmt_pct(e["flagged"], e["records"]))
          in text(sections["summary"]), what, "the summary does not say how many records are flagged")

    # by rule: the chart and the table of the rules with the most findings
    top = e["rules"][:TOP_RULES]
    s = sections["by-rule"]
    svg = s.find(".//" + q(SVG, "svg"))
    if svg is not None:
        got = [t.split(" ")[0] for t, _ in svg_rows(svg)]
        check(got == [rid for (rid, _), _ in top], what, "the rule chart's rows are %s" % got)
        check_bars(what + " (rule chart)", svg, [ru["findings"] for _, ru in top])
    table = s.find(".//" + q(H, "table"))
    got = rows(table)
    want = [[rid, sev, fmt_count(ru["findings"]), fmt_count(ru["records"]), cut(ru["message"], 400),
             ru["cite"] or "\u2014"] for (rid, sev), ru in top]
    check(got == want, what, "the table by rule differs: %s" % first_diff(got, want))

    # rules: every rule that fired, by id, with its citation
    table = sections["rules"].find(".//" + q(H, "table"))
    got = rows(table)
    want = [[rid, sev, ru["kind"], fmt_count(ru["findings"]), fmt_count(ru["records"]),
             ru["cite"] if ru["cite"] else "no citation"]
            for (rid, sev), ru in sorted(e["rules"], key=lambda it: it[0][0].encode("utf-8"))]
    check(len(got) == len(e["rules"]), what, "%d rules listed, %d fired" % (len(got), len(e["rules"])))
    check(sorted(got) == sorted(want), what, "the rules and their citations differ: %s" % first_diff(sorted(got), sorted(want)))
    check([r[0] for r in got] == sorted(r[0] for r in got), what, "the rules are not in the order of their ids")
    check(all(r[5].strip() for r in got), what, "a rule without a citation cell")

    # agencies, branches, routes: the first 20 groups in order, with their numbers
    for sid, key, one in (("by-agency", "agencies", "agency"), ("by-branch", "branches", "branch"),
                          ("by-route", "routes", "route")):
        groups = e[key]
        table = sections[sid].find(".//" + q(H, "table"))
        got = rows(table)
        want = [[g["label"], fmt_count(g["records"]), fmt_count(g["flagged"]), fmt_pct(g["flagged"], g["records"]),
                 fmt_count(g["error"]), fmt_count(g["warning"]), fmt_count(g["info"])]
                for _, g in groups[:TOP_GROUPS]]
        check(got == want, what, "the table %s differs: %s" % (sid, first_diff(got, want)))
        # the others: what the first 20 leave over, so that the rows add up to the totals
        foot = table.find(q(H, "tfoot"))
        if len(groups) > TOP_GROUPS:
            rest = [sum(g[k] for _, g in groups[TOP_GROUPS:]) for k in ("records", "flagged", "error", "warning", "info")]
            k = len(groups) - TOP_GROUPS
            want = [["(the other %s %s)" % (fmt_count(k), key if k > 1 else one), fmt_count(rest[0]), fmt_count(rest[1]),
                     fmt_pct(rest[1], rest[0]), fmt_count(rest[2]), fmt_count(rest[3]), fmt_count(rest[4])]]
            got = [[text(td) for td in tr.findall(q(H, "td"))] for tr in foot.findall(q(H, "tr"))] if foot is not None else []
            check(got == want, what, "%s: the others row is %s, expected %s" % (sid, got, want))
        else:
            check(foot is None, what, "%s: an others row, but all %d groups are shown" % (sid, len(groups)))
        hint = text(sections[sid].find(q(H, "p")))
        if len(groups) > TOP_GROUPS:
            check(hint.startswith("The first %d of %s " % (TOP_GROUPS, fmt_count(len(groups)))), what,
                  "%s: the hint says %r (%d groups)" % (sid, hint, len(groups)))
        else:
            check(hint.startswith("%s " % fmt_count(len(groups))) and hint.endswith(" in all."), what,
                  "%s: the hint says %r (%d groups)" % (sid, hint, len(groups)))
        svg = sections[sid].find(".//" + q(SVG, "svg"))
        if svg is not None:
            check_bars(what + " (%s chart)" % sid, svg,
                       [g["error"] + g["warning"] + g["info"] for _, g in groups[:TOP_GROUPS]])
            check(all(t.startswith(g["label"] + ": ") for (t, _), (_, g) in zip(svg_rows(svg), groups)), what,
                  "%s: the chart's rows are not the table's groups" % sid)

    # over time
    s = sections["over-time"]
    if e["dated"]:
        level, lo, hi, buckets = time_buckets(e["dated"])
        hint = "%s date%s from %s to %s, by %s." % (fmt_count(len(e["dated"])), "" if len(e["dated"]) == 1 else "s",
                                                    lo.isoformat(), hi.isoformat(), level)
        check(hint in text(s), what, "over time: no %r in %r" % (hint, text(s)[:200]))
        table = s.find(".//" + q(H, "table"))
        got = rows(table)
        want = [[b[0], fmt_count(b[1]), fmt_count(b[2]), fmt_pct(b[2], b[1]) if b[1] else "\u2014"] for b in buckets]
        check(got == want, what, "over time: the table differs: %s" % first_diff(got, want))
        svg = s.find(".//" + q(SVG, "svg"))
        if svg is not None:
            cols = [g for g in svg.findall(q(SVG, "g"))]
            check(len(cols) == len(buckets), what, "over time: %d columns for %d %ss" % (len(cols), len(buckets), level))
            for g, b in zip(cols, buckets):
                t = text(g.find(q(SVG, "title")))
                check(t.startswith(("week of " if level == "week" else "") + b[0] + ": " + fmt_count(b[1]) + " records, "),
                      what, "over time: the column %r for %s" % (t, b))
    if e["undated"]:
        check("Undated: %s record" % fmt_count(e["undated"]) in text(s), what,
              "over time: the undated records (%d) are not counted" % e["undated"])

    # the worst records, in order
    table = sections["worst"].find(".//" + q(H, "table"))
    got = rows(table)
    want = [[fmt_count(i + 1), sub_name, fmt_count(w["record"]), w["id"], fmt_count(w["line"]),
             fmt_count(w["counts"]["error"]), fmt_count(w["counts"]["warning"]), fmt_count(w["counts"]["info"]),
             w["rules"], w["agency"]] for i, w in enumerate(e["worst"])]
    check(got == want, what, "the worst records differ: %s" % first_diff(got, want))

    # files
    table = sections["files"].find(".//" + q(H, "table"))
    got = rows(table)
    check(len(got) == 1 and got[0][0] == sub_name and got[0][1] == "ok" and got[0][2] == fmt_count(e["records"]),
          what, "the files table says %s" % got)
    return root


def tiny_submission(n, k):
    """n small bookings: every tenth sold by one of three agencies with no licence (an
    error each) on one route, the others by k agencies on k routes (clean); each on a
    day of its own (more than 4,096 days when n is)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ['<submission xmlns="urn:rahdari:doc:1">\n']
    seg = ('<segment carrier="PK" flight="PK1" from="%s" to="%s" departure="2026-12-20T04:50" '
           'arrival="2026-12-20T07:10"/>')
    for i in range(1, n + 1):
        out.append('<booking id="B%d" created="%04d-%02d-%02d">' % (i, 1000 + i // 336, i // 28 % 12 + 1, i % 28 + 1))
        if i % 10 == 1:
            out.append('<agency name="Heavy %d" office="H"/>' % (i // 10 % 3) + seg % ("LHE", "JED"))
        else:
            x = i % k
            code = letters[x // 676 % 26] + letters[x // 26 % 26] + letters[x % 26]
            out.append('<agency name="A%d" licence="L%d" office="O"/>' % (x, x) + seg % (code, "DXB"))
        out.append("</booking>\n")
    out.append("</submission>\n")
    return "".join(out)


def check_summary_page(what, path, e):
    """A page whose agencies, branches, routes and dates are more than its summaries keep:
    the groups shown are the heavy ones, exact or marked as bounds, and with the others
    they add up to the totals; the dates are counted by year, exactly."""
    data, root = parse_page(what, path)
    check_self_contained(what, data, root, strict_text=True)
    if root is None:
        return
    sections = {s.get("id"): s for s in root.iter(q(H, "section"))}
    sm = e["summary"]
    totals = [e["records"], e["flagged"], sm["errors"], sm["warnings"], sm["infos"]]
    for sid, key, many in (("by-agency", "agencies", "agencies"), ("by-branch", "branches", "branches"),
                           ("by-route", "routes", "routes")):
        s = sections.get(sid)
        if not check(s is not None, what, "no section %s" % sid):
            continue
        exact = {g["label"]: [g["records"], g["flagged"], g["error"], g["warning"], g["info"]] for _, g in e[key]}
        hint = text(s.find(q(H, "p")))
        m = re.match(r"About ([\d,]+) %s, too many to count one by one: these are the first 20 " % many, hint)
        if check(m, what, "%s: the hint says %r" % (sid, hint)):
            n = int(m.group(1).replace(",", ""))
            check(abs(n - len(exact)) <= 0.1 * len(exact), what, "%s: about %d, but there are %d" % (sid, n, len(exact)))
        table = s.find(".//" + q(H, "table"))
        body, foot = rows(table), table.find(q(H, "tfoot"))
        check(len(body) == TOP_GROUPS, what, "%s: %d rows" % (sid, len(body)))
        if not check(foot is not None, what, "%s: no others row" % sid):
            continue
        other = [text(td) for td in foot.find(q(H, "tr")).findall(q(H, "td"))]
        check(other[0] == "(the other %s)" % many, what, "%s: the others row is %s" % (sid, other))

        def nums(cells):
            return [int(c.lstrip("\u2265\u2264").replace(",", "")) for c in (cells[1], cells[2], cells[4], cells[5], cells[6])]

        sums = [sum(v) for v in zip(*([nums(r) for r in body] + [nums(other)]))]
        check(sums == totals, what, "%s: the rows add up to %s, the totals are %s" % (sid, sums, totals))
        bounded = False
        for r in body:
            if r[1].startswith("\u2265"):
                bounded = True
                check(all(a <= b for a, b in zip(nums(r), exact[r[0]])), what, "%s: %s is not a lower bound" % (sid, r))
            else:
                check(nums(r) == exact[r[0]], what, "%s: %s is not exact (%s)" % (sid, r, exact[r[0]]))
        check(other[1].startswith("\u2264") == bounded, what, "%s: the others row %s (bounds above: %s)" % (sid, other, bounded))
        if sid != "by-route":
            for h in ("Heavy 0", "Heavy 1", "Heavy 2"):
                label = h if sid == "by-agency" else h + " / H"
                check(any(r[0] == label and r[1] == fmt_count(exact[label][0]) for r in body), what,
                      "%s: %s is not shown, exact" % (sid, label))
    # over time: too many days to keep, counted by month then year, and exact
    s = sections.get("over-time")
    if check(s is not None, what, "no section over-time"):
        level, lo, hi, buckets = time_buckets(e["dated"])
        hint = "More than 4,096 different dates (the records were counted by month beyond that) from %s to %s, by %s." % (
            lo.isoformat(), hi.isoformat(), level)
        check(hint in text(s), what, "over time: no %r in %r" % (hint, text(s)[:300]))
        got = rows(s.find(".//" + q(H, "table")))
        want = [[b[0], fmt_count(b[1]), fmt_count(b[2]), fmt_pct(b[2], b[1]) if b[1] else "\u2014"] for b in buckets]
        check(got == want, what, "over time: the table differs: %s" % first_diff(got, want))
    foot = root.find(".//" + q(H, "footer"))
    check(foot is not None and "are bounds" in text(foot), what, "the footer does not say that some counts are bounds")


def first_diff(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "row %d: got %s, expected %s" % (i + 1, g, w)
    if len(got) != len(want):
        return "%d rows, expected %d" % (len(got), len(want))
    return "none"


# ---------------------------------------------------------------- chromium


def png_ok(what, path, width, height):
    try:
        data = open(path, "rb").read()
    except OSError as ex:
        fail(what, "no screenshot: %s" % ex)
        return
    if not check(data[:8] == b"\x89PNG\r\n\x1a\n", what, "the screenshot is not a PNG: %r" % data[:8]):
        return
    w, h = struct.unpack(">II", data[16:24])
    check((w, h) == (width, height), what, "the screenshot is %dx%d, expected %dx%d" % (w, h, width, height))
    check(len(data) > 20000, what, "the screenshot is only %d bytes: an empty page?" % len(data))
    # the image data: a blank page compresses to almost nothing and has few distinct bytes
    pos, idat = 8, b""
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    try:
        raw = zlib.decompress(idat)
    except zlib.error as ex:
        fail(what, "the screenshot's image data is broken: %s" % ex)
        return
    check(len(set(raw)) > 64, what, "the screenshot looks blank (%d distinct bytes)" % len(set(raw)))


def render(chromium, work, page, png):
    """Render page to png; return chromium's exit status and its log (stderr and stdout)."""
    home = tempfile.mkdtemp(prefix="home.", dir=work)
    profile = tempfile.mkdtemp(prefix="profile.", dir=work)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home)
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
            "--no-first-run", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-default-apps", "--enable-logging=stderr", "--v=0",
            "--screenshot=" + png, "--window-size=1280,2000", "file://" + os.path.abspath(page)]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, (out + err).decode("utf-8", "replace")
    finally:
        # the browser's helpers: nothing may outlive the test
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
    return p.returncode, (err + out).decode("utf-8", "replace")


def page_messages(log, page):
    """The lines of chromium's log about the page: console messages, refusals, errors."""
    name = os.path.basename(page)
    bad = []
    for line in log.splitlines():
        if (":CONSOLE" in line or "Uncaught" in line or "Refused to" in line
                or "Content Security Policy" in line or "Content-Security-Policy" in line
                or ("ERR_" in line and (name in line or "file://" in line))):
            bad.append(line.strip())
    return bad


# ---------------------------------------------------------------- main


def audit_pair(rahdari, sub, work, tag):
    """The html page (checked for exit status and quiet) and the jsonl of the same audit."""
    page = os.path.join(work, tag + ".html")
    what = "%s (%s)" % (tag, os.path.basename(sub))
    p = run([rahdari, "audit", "--format", "html", "-o", page, "--as-of", DAY, sub], what)
    check(p.returncode == 1, what, "exit status %d, expected 1 (the submission has errors)" % p.returncode)
    check(p.stdout == b"", what, "html -o: something on stdout: %r" % p.stdout[:200])
    check(p.stderr == b"", what, "html -o: something on stderr: %r" % p.stderr[:200])
    j = run([rahdari, "audit", "--format", "jsonl", "--as-of", DAY, sub], what)
    return page, j.stdout.decode("utf-8")


HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:rahdari:doc:1" id="SUB-&lt;b&gt;">
  <agency name="&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; http://evil.example/x.png"
          licence="L&lt;1&gt;" office="javascript:alert(1)"/>
  <booking id="&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;" created="2026-10-01T10:00">
    <segment carrier="PK" flight="PK1" from="LHE" to="url(https://evil.example/)" departure="2026-12-20T04:50"
             arrival="2026-12-20T07:10"/>
  </booking>
  <booking id="B2" created="not a date"/>
  <booking id="B3" created="2026-11-05">
    <agency name="\u0627\u0644\u0646\u0648\u0631 \u0679\u0631\u06cc\u0648\u0644\u0632" licence="PB-LHR-2019-0412" office="&lt;/style&gt;&lt;link href=//x&gt;"/>
  </booking>
</submission>
"""


def main(argv):
    rahdari = os.environ.get("RAHDARI") or (argv[1] if len(argv) > 1 else "")
    srcdir = os.environ.get("srcdir") or (argv[2] if len(argv) > 2 else ".")
    if not rahdari or not os.access(rahdari, os.X_OK):
        print("audit_html.py: set RAHDARI to the built rahdari tool")
        return 99
    gen = os.path.join(srcdir, "bench", "gen_submission.py")
    lahore = os.path.join(srcdir, "examples", "submissions", "lahore-2026-q4.xml")
    if not os.path.isfile(gen) or not os.path.isfile(lahore):
        print("audit_html.py: bench/ or examples/ not found under %s (set srcdir)" % srcdir)
        return 99
    print("XML parser: %s" % ("lxml %s" % LET.__version__ if LET is not None else "xml.etree (no lxml)"))
    work = tempfile.mkdtemp(prefix="rdhtml.")
    try:
        return run_all(rahdari, gen, lahore, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(rahdari, gen, lahore, work):
    generated = os.path.join(work, "gen2000.xml")
    p = subprocess.run([sys.executable, gen, "2000", generated], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fail("gen_submission.py 2000", p.stdout.decode("utf-8", "replace")[:400])
        return 1
    hostile = os.path.join(work, "hostile.xml")
    with open(hostile, "w", encoding="utf-8") as f:
        f.write(HOSTILE)

    pages = []
    for tag, sub in (("generated", generated), ("lahore", lahore), ("hostile", hostile)):
        page, jsonl = audit_pair(rahdari, sub, work, tag)
        if not os.path.isfile(page):
            fail(tag, "no page written")
            continue
        try:
            e = expected(sub, jsonl)
        except Exception as ex:  # the jsonl or the submission is not what it should be
            fail(tag, "cannot work out what the page should say: %r" % ex)
            continue
        e["strict"] = tag != "hostile"  # the hostile values contain URLs as text
        root = check_page("%s page" % tag, page, e, sub)
        if tag == "generated":
            check(len(e["rules"]) >= 10 and len(e["worst"]) == TOP_WORST and len(e["routes"]) > TOP_GROUPS,
                  "generated page", "the generated submission lost its variety: %d rules, %d worst, %d routes"
                  % (len(e["rules"]), len(e["worst"]), len(e["routes"])))
        if tag == "hostile" and root is not None:
            body = text(root)
            for s in ('<script>alert(1)</script> & "Q" http://evil.example/x.png', "</td><img src=x onerror=alert(1)>",
                      "L<1>", "javascript:alert(1)", "\u0627\u0644\u0646\u0648\u0631 \u0679\u0631\u06cc\u0648\u0644\u0632",
                      "</style><link href=//x>"):
                check(s in body, "hostile page", "the value %r is not shown as text" % s)
        print("%s page: %d bytes, %d records, %d rules, checked" % (tag, os.path.getsize(page), e["records"], len(e["rules"])))
        pages.append(page)

    # more agencies, routes and days than the summaries keep
    many = os.path.join(work, "many.xml")
    with open(many, "w", encoding="utf-8") as f:
        f.write(tiny_submission(5000, 5000))
    page, jsonl = audit_pair(rahdari, many, work, "summary")
    if os.path.isfile(page):
        try:
            e = expected(many, jsonl)
        except Exception as ex:
            fail("summary", "cannot work out what the page should say: %r" % ex)
        else:
            check(len(e["agencies"]) > 1024 and len(e["routes"]) > 1024 and len(e["dated"]) > 4096, "summary page",
                  "not more groups than the summaries keep")
            check_summary_page("summary page", page, e)
            print("summary page: %d bytes, %d records, %d agencies, checked" % (os.path.getsize(page), e["records"],
                                                                             len(e["agencies"])))
            pages.append(page)
    else:
        fail("summary", "no page written")

    chromium = shutil.which("chromium")
    if chromium is None:
        if failures:
            print("audit_html.py: %d failure(s)" % len(failures))
            return 1
        print("SKIP: chromium is not installed (apt-get install chromium): the pages were not rendered")
        return 77

    # first, a page that breaks its policy: chromium must say so, or the check below is blind
    canary = os.path.join(work, "canary.html")
    with open(canary, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/>'
                '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'"/></head>'
                '<body><p>canary</p><img src="https://example.invalid/x.png"/></body></html>\n')
    rc, log = render(chromium, work, canary, os.path.join(work, "canary.png"))
    if rc is None:
        fail("chromium", "timed out after 120 s on a tiny page")
    elif not page_messages(log, canary):
        fail("chromium", "no message for a page that loads an image against its policy: the log check is blind; log: %s"
             % log[-600:])
    for page in pages:
        png = page[:-5] + ".png"
        rc, log = render(chromium, work, page, png)
        what = "chromium, %s" % os.path.basename(page)
        if rc is None:
            fail(what, "timed out after 120 s")
            continue
        check(rc == 0, what, "exit status %d; log: %s" % (rc, log[-600:]))
        for line in page_messages(log, page):
            fail(what, line[:400])
        png_ok(what, png, 1280, 2000)
        if os.path.isfile(png):
            print("%s: rendered, %d bytes of PNG" % (os.path.basename(page), os.path.getsize(png)))

    if failures:
        print("audit_html.py: %d failure(s)" % len(failures))
        return 1
    print("audit_html.py: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
