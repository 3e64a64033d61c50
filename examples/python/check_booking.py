#!/usr/bin/env python3
"""Check bookings with rahdari's embedded rule pack and print the findings.

    python3 check_booking.py BOOKING.xml... [--as-of YYYY-MM-DD] [--lang ur]
                             [--licence LICENCE.xml] [--json]

Exit status 0 when no booking has an error-level finding, 1 when one has, 3 when a file
could not be checked: the same as `rahdari check`. (Run from the build tree with
LD_LIBRARY_PATH=lib/.libs PYTHONPATH=bindings/python/inplace, or after make install.)
"""

import argparse
import sys

import rahdari


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--as-of", help="the date the rules take as today (YYYY-MM-DD)")
    ap.add_argument("--lang", default="en", help="message language: en or ur")
    ap.add_argument("--licence", help="the selling agency's licence")
    ap.add_argument("--json", action="store_true", help="print the JSON report instead")
    args = ap.parse_args(argv)

    rules = rahdari.load_rules()          # compiled once; shareable between threads
    reports, status = [], 0
    for path in args.files:
        try:
            report = rules.check(path, as_of=args.as_of, lang=args.lang, licence=args.licence)
        except rahdari.Error as e:        # could not be checked: not a finding
            print("%s: %s (%s, line %s)" % (path, e, e.status, e.line), file=sys.stderr)
            status = 3
            continue
        reports.append(report)
        if not report.ok and status == 0:
            status = 1
        if args.json:
            continue
        s = report.summary
        print("%s: %d errors, %d warnings, %d infos"
              % (path, s["errors"], s["warnings"], s["infos"]))
        for f in sorted(report.findings, key=lambda f: (-f.level, f.line)):
            print("  %-7s %s at line %d: %s" % (f.severity, f.rule, f.line, f.message))
            if f.cite:
                print("          law: %s" % f.cite)
    if args.json:
        print(rahdari.render(reports, "json"), end="")
    return status


if __name__ == "__main__":
    sys.exit(main())
