#!/usr/bin/env python3
"""Audit a regulator's submission record by record with rahdari's embedded rule pack:
one line per booking with findings, then the totals by rule.

    python3 audit_submission.py SUBMISSION.xml [--as-of YYYY-MM-DD] [--jobs N] [--first N]

The C library streams the file and checks its bookings on a pool of threads (in flat
memory, whatever the size of the file); records come out in input order while the audit
runs. --first N stops after N bookings (the audit stops cleanly: leaving the with block
closes it). Exit status as `rahdari audit`: 0, 1 (an error-level finding) or 3.
"""

import argparse
import collections
import sys

import rahdari


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("submission")
    ap.add_argument("--as-of")
    ap.add_argument("--jobs", type=int, default=None, help="checking threads (default: cores)")
    ap.add_argument("--first", type=int, default=None, help="stop after this many records")
    args = ap.parse_args(argv)

    rules = rahdari.load_rules()
    by_rule = collections.Counter()
    status = 0
    try:
        with rules.audit(args.submission, as_of=args.as_of, jobs=args.jobs,
                         facets=["string(d:agency/@licence)"]) as audit:
            for record in audit:
                if args.first is not None and record.number > args.first:
                    break                  # leaving the with block stops the audit
                if not record.findings:
                    continue
                print("booking %s (line %d, agency %s): %s"
                      % (record.id, record.line, record.facets[0] or "?",
                         ", ".join("%s %s" % (f.severity, f.rule) for f in record.findings)))
                by_rule.update(f.rule for f in record.findings)
                if not record.ok:
                    status = 1
            summary = audit.summary
    except rahdari.Error as e:
        # the records before the fault have been printed; this says where it is
        print("%s: %s" % (args.submission, e), file=sys.stderr)
        return 3
    print("%(records)d bookings: %(errors)d errors, %(warnings)d warnings, %(infos)d infos"
          % summary)
    for rule, n in by_rule.most_common():
        print("  %-12s %d" % (rule, n))
    return status


if __name__ == "__main__":
    sys.exit(main())
