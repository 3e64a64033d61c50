#!/usr/bin/env python3
"""Read and validate an ICAO 9303 machine-readable zone (passport, identity card, visa).

    python3 parse_mrz.py LINE LINE [LINE] [--as-of YYYY-MM-DD]
    python3 parse_mrz.py 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \\
                         'L898902C36UTO7408122F1204159ZE184226B<<<<<10'

Prints the format, the fields, every check digit and every problem with its position.
Exit status 0 when the MRZ is valid (warnings allowed), 1 when not.
"""

import argparse
import sys

from rahdari import mrz


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines", nargs="+")
    ap.add_argument("--as-of", help="decides the century of two-digit years")
    args = ap.parse_args(argv)

    z = mrz.parse(args.lines, as_of=args.as_of)
    print("%s, %s" % (z.format, "valid" if z.valid else "NOT valid"))
    for name, value in z.fields.items():
        print("  %-15s %s" % (name, value))
    print("  check digits: " + ", ".join(
        "%s %s %s" % (c.field, c.found, "ok" if c.ok else "expected " + c.expected)
        for c in z.checks))
    for p in z.problems:
        where = " (line %d, position %d)" % (p.line, p.column) if p.line else ""
        print("  %s [%s]%s: %s" % (p.severity, p.code, where, p.message))
    if z.name_truncated:
        print("  the name fills its field: it may be truncated")
    return 0 if z.valid else 1


if __name__ == "__main__":
    sys.exit(main())
