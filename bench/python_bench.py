#!/usr/bin/env python3
"""rahdari benchmark: checking many booking documents from Python, against the same work
through the C API and against lxml's isoschematron.

Usage (make bench-python runs it from the build tree):

    LD_LIBRARY_PATH=lib/.libs PYTHONPATH=bindings/python/inplace \\
        python3 bench/python_bench.py [--n 10000] [--runs 3] [--check-bench bench/check_bench]
                                      [--lxml-python /usr/bin/python3] [--out DIR]

Makes N booking documents (one file each, split from bench/gen_submission.py N; kept in
DIR/bookings-N and reused), then times, each --runs times (default 5; the rows take turns
run after run; median and best taken):

* C API: bench/check_bench (rd_document_load_file + rd_check + rd_report_count per file),
  1 and 2 threads sharing the rules;
* Python: rules.check(path) per file (report.count read), 1 thread, and 2 threads
  (threading, one Rules object shared), and 1 thread reading report.findings (a Finding
  object per finding);
* lxml: isoschematron.Schematron(bench-11.sch), etree.parse + validate per file, 1 thread,
  in its own interpreter (--lxml-python: the one with lxml);

for the rules of bench/bench-11.sch and for the embedded pk pack (no lxml row: pk uses
rahdari's extension functions). Only the loop over the files is timed (rules compiled
before). Prints a table and the ratios the targets are about (Python at most 10 % slower
than C; 2 threads at least 1.6 times one), and writes DIR/python-bench.json. A benchmark
measures: the exit status is 0 whatever the numbers (1 only when it cannot run).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-12-01"

LXML_CODE = r"""
import sys, time
from lxml import etree, isoschematron
sch, listfile = sys.argv[1], sys.argv[2]
files = [l.strip() for l in open(listfile) if l.strip()]
validator = isoschematron.Schematron(etree.parse(sch), store_report=True)
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
t0 = time.perf_counter(); c0 = time.process_time()
findings = 0
for path in files:
    tree = etree.parse(path)
    validator.validate(tree)
    rep = validator.validation_report
    findings += len(rep.findall(".//" + SVRL + "failed-assert")) + \
        len(rep.findall(".//" + SVRL + "successful-report"))
print('{"files": %d, "findings": %d, "seconds": %.4f, "cpu_seconds": %.4f}'
      % (len(files), findings, time.perf_counter() - t0, time.process_time() - c0))
"""


def log(msg):
    print(msg, flush=True)


def make_documents(n, out):
    """N booking files in out/bookings-N (made once), and the list file."""
    d = os.path.join(out, "bookings-%d" % n)
    listfile = os.path.join(out, "bookings-%d.list" % n)
    done = os.path.join(d, ".complete")
    if os.path.exists(done) and os.path.exists(listfile):
        return listfile
    os.makedirs(d, exist_ok=True)
    sub = os.path.join(out, "python-bench-%d.xml" % n)
    log("generating %d bookings (bench/gen_submission.py)" % n)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_submission.py"), str(n), sub],
                   check=True, stdout=subprocess.DEVNULL)
    with open(sub, encoding="utf-8") as fh:
        text = fh.read()
    parts = text.split("\n  <booking ")[1:]
    paths = []
    for i, part in enumerate(parts):
        body = part.split("\n  </booking>")[0]
        path = os.path.join(d, "bk-%06d.xml" % (i + 1))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<booking xmlns="urn:rahdari:doc:1" ' + body + "\n</booking>\n")
        paths.append(path)
    with open(listfile, "w") as fh:
        fh.write("\n".join(paths) + "\n")
    open(done, "w").close()
    os.remove(sub)
    return listfile


def run_c(check_bench, listfile, rules, threads):
    args = [check_bench, "--as-of", AS_OF, "--threads", str(threads), "--list", listfile]
    if rules:
        args[1:1] = ["--rules", rules]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("check_bench: %s" % p.stderr.decode(errors="replace"))
    return json.loads(p.stdout)


def run_python(rules, files, threads, objects=False):
    """Check every file from Python with `threads` threads sharing `rules`."""
    counts = [0] * threads

    def work(k, part):
        n = 0
        check = rules.check
        if objects:
            for path in part:
                n += len(check(path, as_of=AS_OF).findings)
        else:
            for path in part:
                n += check(path, as_of=AS_OF).count
        counts[k] = n

    parts = [files[k::threads] for k in range(threads)]
    c0 = time.process_time()
    t0 = time.perf_counter()
    if threads == 1:
        work(0, parts[0])
    else:
        ts = [threading.Thread(target=work, args=(k, parts[k])) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    return {"files": len(files), "findings": sum(counts), "threads": threads,
            "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}


def run_lxml(python, sch, listfile):
    p = subprocess.run([python, "-c", LXML_CODE, sch, listfile], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace").strip().splitlines()[-1])
    return json.loads(p.stdout)


def median_row(results):
    secs = [r["seconds"] for r in results]
    best = dict(results[secs.index(statistics.median_low(secs))])
    best["seconds"] = statistics.median(secs)
    best["best_seconds"] = min(secs)
    best["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in results)
    best["runs"] = secs
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    ap.add_argument("--out", default=os.path.join(os.environ.get("BENCH_OUT", "bench-out"),
                                                  "python"))
    ap.add_argument("--check-bench", default="./bench/check_bench")
    ap.add_argument("--lxml-python", default=os.environ.get("PYTHON_TESTS", "/usr/bin/python3"))
    ap.add_argument("--rules", default=os.path.join(HERE, "bench-11.sch"))
    args = ap.parse_args(argv)

    try:
        import rahdari
    except ImportError as e:
        print("python_bench.py: cannot import rahdari (%s): set PYTHONPATH and "
              "LD_LIBRARY_PATH, or install the bindings" % e, file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    listfile = make_documents(args.n, args.out)
    with open(listfile) as fh:
        files = [line.strip() for line in fh if line.strip()]
    try:
        load = os.getloadavg()
    except OSError:
        load = (0, 0, 0)
    log("python_bench: %d documents, %d runs each (median); %d CPUs, load average %.2f %.2f "
        "%.2f%s" % (len(files), args.runs, os.cpu_count() or 0, load[0], load[1], load[2],
                    " (busy machine: compare CPU times too)" if load[0] > 0.5 else ""))
    log("rahdari %s (Python %s, %s); libxml2 %s"
        % (rahdari.__version__, sys.version.split()[0], sys.executable,
           rahdari.library_version()["libxml2"]))

    rows = []
    have_c = os.access(args.check_bench, os.X_OK)
    if not have_c:
        log("SKIPPED the C rows: %s not built (make bench/check_bench)" % args.check_bench)
    for label, path in (("bench-11", args.rules), ("pk", None)):
        rules = rahdari.load_rules(path)
        run_python(rules, files[:200], 1)  # warm the page cache and the allocator
        plan = []
        if have_c:
            plan.append(("C API, 1 thread",
                         lambda path=path: run_c(args.check_bench, listfile, path, 1)))
        plan.append(("Python, 1 thread", lambda rules=rules: run_python(rules, files, 1)))
        plan.append(("Python, 1 thread, Finding objects",
                     lambda rules=rules: run_python(rules, files, 1, objects=True)))
        if have_c:
            plan.append(("C API, 2 threads",
                         lambda path=path: run_c(args.check_bench, listfile, path, 2)))
        plan.append(("Python, 2 threads", lambda rules=rules: run_python(rules, files, 2)))
        if label == "bench-11":
            plan.append(("lxml isoschematron, 1 thread",
                         lambda: run_lxml(args.lxml_python, args.rules, listfile)))
        # the rows take turns, run after run, so that a change in the machine's load
        # falls on all of them alike
        results = {name: [] for name, _ in plan}
        for _ in range(args.runs):
            for name, fn in plan:
                if results.get(name) is None:
                    continue
                try:
                    results[name].append(fn())
                except (RuntimeError, OSError) as e:
                    log("SKIPPED %s: %s" % (name, e))
                    results[name] = None
        for name, _ in plan:
            if results[name]:
                rows.append((label, name, median_row(results[name])))

    log("")
    log("%-9s %-34s %9s %9s %9s %9s %10s %9s" % ("rules", "row", "median s", "best s",
                                                 "cpu s", "us/doc", "docs/s", "findings"))
    for label, name, r in rows:
        log("%-9s %-34s %9.3f %9.3f %9.3f %9.1f %10.0f %9d" % (
            label, name, r["seconds"], r["best_seconds"], r["cpu_seconds"],
            1e6 * r["seconds"] / r["files"], r["files"] / r["seconds"], r["findings"]))

    def get(label, name):
        for lab, nm, r in rows:
            if lab == label and nm == name:
                return r
        return None

    log("")
    summary = {}
    for label in ("bench-11", "pk"):
        c1, p1 = get(label, "C API, 1 thread"), get(label, "Python, 1 thread")
        c2, p2 = get(label, "C API, 2 threads"), get(label, "Python, 2 threads")
        po = get(label, "Python, 1 thread, Finding objects")
        if c1 and p1:
            ratio = p1["seconds"] / c1["seconds"]
            summary[label + " python/c"] = ratio
            cpu_ratio = p1["cpu_seconds"] / c1["cpu_seconds"]
            best_ratio = p1["best_seconds"] / c1["best_seconds"]
            summary[label + " python/c cpu"] = cpu_ratio
            summary[label + " python/c best"] = best_ratio
            log("%s: Python / C, 1 thread: %.3f (%+.1f %%; target: at most +10 %%)%s; by CPU "
                "time %.3f (%+.1f %%); best runs %.3f (%+.1f %%)" % (
                    label, ratio, 100 * (ratio - 1), "" if ratio <= 1.10 else "  ABOVE TARGET",
                    cpu_ratio, 100 * (cpu_ratio - 1), best_ratio, 100 * (best_ratio - 1)))
            if p1["findings"] != c1["findings"]:
                log("%s: MISMATCH: Python found %d, C %d" % (label, p1["findings"],
                                                            c1["findings"]))
        if po and p1:
            log("%s: reading every finding as an object costs %+.1f %%" % (
                label, 100 * (po["seconds"] / p1["seconds"] - 1)))
        if p1 and p2:
            speed = p1["seconds"] / p2["seconds"]
            summary[label + " python 2 threads"] = speed
            best_speed = p1["best_seconds"] / p2["best_seconds"]
            summary[label + " python 2 threads best"] = best_speed
            log("%s: Python, 2 threads vs 1: %.2fx (target: at least 1.6x)%s; best runs %.2fx" % (
                label, speed, "" if speed >= 1.6 else "  BELOW TARGET", best_speed))
        if c1 and c2:
            log("%s: C API, 2 threads vs 1: %.2fx; best runs %.2fx (the machine's ceiling)" % (
                label, c1["seconds"] / c2["seconds"], c1["best_seconds"] / c2["best_seconds"]))
    lx, p1 = get("bench-11", "lxml isoschematron, 1 thread"), get("bench-11", "Python, 1 thread")
    if lx and p1:
        log("bench-11: lxml isoschematron / rahdari from Python, 1 thread: %.1fx slower"
            % (lx["seconds"] / p1["seconds"]))
        if lx["findings"] != p1["findings"]:
            log("bench-11: MISMATCH: lxml found %d, rahdari %d" % (lx["findings"],
                                                                  p1["findings"]))
    with open(os.path.join(args.out, "python-bench.json"), "w") as fh:
        json.dump({"n": len(files), "runs": args.runs, "load": load, "summary": summary,
                   "rows": [{"rules": a, "row": b, **r} for a, b, r in rows]}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
