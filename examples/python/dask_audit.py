#!/usr/bin/env python3
"""Audit a folder of submission files on a Dask cluster with rahdari.

    python3 dask_audit.py FOLDER|FILE... [--scheduler tcp://HOST:8786 | --workers N
                          [--threads]] [--rules PACK] [--jurisdiction CODE]
                          [--as-of YYYY-MM-DD] [--lang LANG] [--jobs N]
                          [--output FINDINGS.jsonl]

One task per file. Every worker loads the rules once, when it joins (a worker plugin,
RahdariRules: the compiled rules stay in the worker, shared by its threads, since they
are immutable and the C library releases the GIL), and audits the files it is given with
Rules.audit(), which streams each file in flat memory. The client gathers the results in
the order of the files and builds what one `rahdari audit --format jsonl FILE...` over the
same files writes: every record line, byte for byte (the C library's own JSON writer
made them, on the workers), an error line for a file that could not be read to its end,
and a summary line with the same counts (documents, records, unreadable, errors, warnings,
infos). --output writes them; the summary is printed.

Without --scheduler a LocalCluster of --workers processes (--threads: threads of this
process) is started. On a real cluster every worker needs librahdari and the rahdari
package installed for its Python, and must see the files under the same paths (a shared
file system): see "Distributed audits" in the README.

Exit status as `rahdari audit`: 0; 1 when a record has an error-level finding; 3 when a
file could not be read to its end.
"""

import argparse
import glob
import json
import os
import sys

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

PLUGIN = "rahdari-rules"


class RahdariRules(WorkerPlugin):
    """Loads the rules once in each worker (also in workers that join later)."""

    name = PLUGIN

    def __init__(self, rules=None, jurisdiction=None):
        self.rules = rules
        self.jurisdiction = jurisdiction

    def setup(self, worker):
        import rahdari

        worker.rahdari_rules = rahdari.load_rules(self.rules, jurisdiction=self.jurisdiction)

    def teardown(self, worker):
        worker.rahdari_rules = None


def audit_file(path, options):
    """On a worker: audit one file with the worker's rules.

    Returns {"path", "records": [jsonl line, ...], "error": error line or None,
    "summary": the file's summary (a dict, as in `rahdari audit --format jsonl`)}.
    """
    import rahdari

    rules = get_worker().rahdari_rules
    lines = []
    audit = rules.audit(path, jsonl=True, **options)
    try:
        for record in audit:
            lines.append(record.jsonl)
    except rahdari.Error:
        pass  # every record before the fault is in; the error line says where it is
    finally:
        audit.close()
    end = (audit.jsonl_end or "").splitlines()
    error = next((line for line in end if json.loads(line).get("type") == "error"), None)
    summary = json.loads(end[-1]) if end else None
    return {"path": path, "records": lines, "error": error, "summary": summary}


COUNTS = ("documents", "records", "unreadable", "errors", "warnings", "infos")


def combine(results):
    """The results of audit_file(), in file order, as one audit: (lines, summary)."""
    lines = []
    summary = None
    for r in results:
        lines.extend(r["records"])
        if r["error"]:
            lines.append(r["error"])
        s = r["summary"]
        if s is None:
            continue
        if summary is None:
            summary = {k: v for k, v in s.items() if k not in COUNTS}
            summary.update({k: 0 for k in COUNTS})
        for k in COUNTS:
            summary[k] += s.get(k, 0)
    return lines, summary


def audit_files(client, paths, rules=None, jurisdiction=None, **options):
    """Audit files on the cluster of ``client``: (lines, summary) as combine() gives.

    ``options`` are those of Rules.audit() (as_of, lang, jobs, record, xsd, ...); the
    case documents and tables they name must be readable on the workers.
    """
    client.register_worker_plugin(RahdariRules(rules, jurisdiction), name=PLUGIN)
    if jurisdiction is not None:
        options.setdefault("jurisdiction", jurisdiction)
    futures = client.map(audit_file, paths, options=options, pure=False)
    return combine(client.gather(futures))


def files_of(args):
    paths = []
    for a in args:
        if os.path.isdir(a):
            paths.extend(sorted(glob.glob(os.path.join(a, "*.xml"))))
        else:
            paths.append(a)
    return [os.path.abspath(p) for p in paths]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="submission files, or folders of *.xml")
    ap.add_argument("--scheduler", help="address of a running dask scheduler")
    ap.add_argument("--workers", type=int, default=2, help="local workers (default 2)")
    ap.add_argument("--threads", action="store_true", help="local workers as threads")
    ap.add_argument("--rules", help="a rule pack or Schematron file (default: embedded pk)")
    ap.add_argument("--jurisdiction")
    ap.add_argument("--as-of")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--jobs", type=int, default=1,
                    help="checking threads per file on a worker (default 1: the workers "
                         "are the parallelism; 0: one per core)")
    ap.add_argument("--output", help="write the records and the summary as JSON Lines")
    args = ap.parse_args(argv)

    paths = files_of(args.paths)
    if not paths:
        ap.error("no files")
    options = dict(as_of=args.as_of, lang=args.lang, jobs=args.jobs)
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               processes=not args.threads, dashboard_address=":0")
        client = Client(cluster)
    try:
        lines, summary = audit_files(client, paths, rules=args.rules,
                                     jurisdiction=args.jurisdiction, **options)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
            out.write(json.dumps(summary, ensure_ascii=False, separators=(",", ":")) + "\n")
    print("%(documents)d files, %(records)d records, %(unreadable)d unreadable: "
          "%(errors)d errors, %(warnings)d warnings, %(infos)d infos" % summary)
    if summary["unreadable"]:
        return 3
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
