"""Rules.audit() against `rahdari audit --format jsonl` on the same files: every record
(its jsonl line, byte for byte, and its findings attribute by attribute), the summary, a
file cut short part-way; and stopping an audit early (close(), a with block, dropping the
iterator, break) without a hang, a thread or memory left behind."""

import gc
import json
import os
import pickle
import threading
import time

import pytest

import rahdari
from conftest import (AS_OF, assert_finding_matches, cli_jsonl, generate, run_cli, src)

LAHORE = src("examples", "submissions", "lahore-2026-q4.xml")


def records_of_cli(path, *args):
    lines = run_cli("audit", "-f", "jsonl", "--progress", "never", "--as-of", AS_OF, *args,
                    path).splitlines()
    return lines


@pytest.mark.parametrize("jobs", [1, 2, None])
def test_same_records_as_cli(rules, submission, jobs):
    for path in (LAHORE, submission):
        cli = records_of_cli(path)
        kw = {} if jobs is None else {"jobs": jobs}
        audit = rules.audit(path, as_of=AS_OF, jsonl=True, **kw)
        recs = list(audit)
        assert [r.jsonl for r in recs] == cli[:-1]
        assert audit.jsonl_end == cli[-1] + "\n"
        summary = json.loads(cli[-1])
        assert summary["type"] == "summary"
        assert audit.summary == {k: summary[k] for k in ("records", "errors", "warnings",
                                                           "infos")}
        for r, line in zip(recs, cli):
            j = json.loads(line)
            assert (r.number, r.index, r.id, r.element, r.line, r.document) == (
                j["record"], j["record"] - 1, j["id"], j["element"], j["line"], j["document"])
            assert r.summary == j["summary"]
            assert r.ok == (j["summary"]["errors"] == 0)
            assert len(r.findings) == len(j["findings"])
            for f, jf in zip(r.findings, j["findings"]):
                assert_finding_matches(f, jf)
        assert not audit.running


def test_records_without_jsonl(rules):
    a = list(rules.audit(LAHORE, as_of=AS_OF))
    b = list(rules.audit(LAHORE, as_of=AS_OF, jsonl=True))
    assert all(r.jsonl is None for r in a)
    assert [r.findings for r in a] == [r.findings for r in b]
    assert [r.to_dict()["findings"] for r in a] == [r.to_dict()["findings"] for r in b]


def test_sources_and_options(rules, tmp_path):
    with open(LAHORE, "rb") as fh:
        data = fh.read()
    ref = [r.findings for r in rules.audit(LAHORE, as_of=AS_OF)]
    got = list(rules.audit(data, as_of=AS_OF, name="q4.xml"))
    assert [r.document for r in got] == ["q4.xml"] * len(ref)
    assert [[(f.rule, f.line) for f in r.findings] for r in got] == \
        [[(f.rule, f.line) for f in fs] for fs in ref]
    got = list(rules.audit(data.decode(), as_of=AS_OF))
    assert got[0].document == "<string>"
    # the options of the tool
    cli = records_of_cli(LAHORE, "--lang", "ur", "--no-xsd", "--jobs", "2")
    assert [r.jsonl for r in rules.audit(LAHORE, as_of=AS_OF, lang="ur", xsd=False, jobs=2,
                                         jsonl=True)] == cli[:-1]
    # facets, evaluated on each record
    recs = list(rules.audit(LAHORE, as_of=AS_OF, facets=["string(@id)", "d:agency/@office",
                                                         "count(d:passenger)"]))
    assert all(r.facets[0] == r.id for r in recs)
    assert all(r.facets[2].isdigit() for r in recs)
    with pytest.raises(rahdari.RulesError):
        list(rules.audit(LAHORE, facets=["d:("]))
    # every child of the root when there is no submission: --record
    cli = records_of_cli(LAHORE, "--record", "passenger")
    assert [r.jsonl for r in rules.audit(LAHORE, as_of=AS_OF, record="passenger",
                                         jsonl=True)] == cli[:-1]
    with pytest.raises(TypeError):
        rules.audit(rahdari.Document(LAHORE))


def test_cut_short_like_cli(rules, submission, tmp_path):
    """A file that ends part-way: every record before the fault, then ParseError with the
    line, as the tool (its error line and summary line too)."""
    with open(submission, "rb") as fh:
        data = fh.read()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    cli = run_cli("audit", "-f", "jsonl", "--progress", "never", "--as-of", AS_OF, str(cut),
                  ok=(3,)).splitlines()
    audit = rules.audit(str(cut), as_of=AS_OF, jsonl=True)
    got = []
    with pytest.raises(rahdari.ParseError) as e:
        for r in audit:
            got.append(r.jsonl)
    assert got == cli[:-2]
    err = json.loads(cli[-2])
    assert err["type"] == "error"
    assert (e.value.status, e.value.line, e.value.column) == (err["status"], err["line"],
                                                              err["column"])
    assert e.value.file == str(cut)
    assert audit.jsonl_end == cli[-2] + "\n" + cli[-1] + "\n"
    with pytest.raises(StopIteration):
        next(audit)
    with pytest.raises(rahdari.InputError) as e:
        list(rules.audit(str(tmp_path / "missing.xml")))
    assert e.value.status == "RD_ENOTFOUND"


def _threads():
    return len(os.listdir("/proc/self/task"))


def _fds():
    return len(os.listdir("/proc/self/fd"))


def _rss_kb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """Enough bookings that an audit is far from over when it is stopped."""
    return generate(4000, tmp_path_factory.mktemp("big") / "sub-4000.xml")


def test_close_early(rules, big):
    threads, fds = _threads(), _fds()
    t0 = time.monotonic()
    audit = rules.audit(big, as_of=AS_OF, jobs=2, buffer=4)
    first = [next(audit) for _ in range(3)]
    assert [r.index for r in first] == [0, 1, 2]
    assert audit.running
    audit.close()
    assert not audit.running
    assert time.monotonic() - t0 < 30
    with pytest.raises(StopIteration):
        next(audit)
    audit.close()  # idempotent
    assert audit.summary["records"] == 3
    assert _threads() == threads and _fds() == fds


def test_stop_by_with_break_and_gc(rules, big):
    threads = _threads()
    with rules.audit(big, as_of=AS_OF) as audit:
        for r in audit:
            if r.index == 5:
                break
    assert not audit.running
    for r in rules.audit(big, as_of=AS_OF, buffer=1):
        break
    gc.collect()
    assert _threads() == threads
    # a generator around the iterator, closed early, closes the audit when dropped
    def gen():
        yield from rules.audit(big, as_of=AS_OF)
    g = gen()
    next(g)
    g.close()
    del g
    gc.collect()
    assert _threads() == threads


def test_no_leak_when_stopped_again_and_again(rules, big):
    """Many audits stopped early: threads, descriptors and memory come back."""
    def cycle():
        audit = rules.audit(big, as_of=AS_OF, jobs=2, buffer=2)
        next(audit)
        next(audit)
        audit.close()

    for _ in range(5):  # warm up allocators and caches
        cycle()
    gc.collect()
    threads, fds, rss = _threads(), _fds(), _rss_kb()
    for _ in range(60):
        cycle()
    gc.collect()
    assert _threads() == threads
    assert _fds() == fds
    grown = _rss_kb() - rss
    assert grown < 40 * 1024, "resident memory grew by %d kB over 60 audits" % grown


def test_close_from_another_thread(rules, big):
    """close() from one thread while another waits in __next__: the loop ends, no hang."""
    threads = _threads()
    audit = rules.audit(big, as_of=AS_OF, buffer=1)
    seen = []

    def consume():
        for r in audit:
            seen.append(r.index)
            time.sleep(0.01)

    t = threading.Thread(target=consume)
    t.start()
    while len(seen) < 3:
        time.sleep(0.01)
    audit.close()
    t.join(30)
    assert not t.is_alive() and not audit.running
    assert seen == list(range(len(seen))) and len(seen) < 4000
    gc.collect()
    assert _threads() == threads


def test_consumer_slower_than_audit(rules, submission):
    """A slow consumer: the bounded queue holds the audit back; nothing is lost."""
    audit = rules.audit(submission, as_of=AS_OF, buffer=2, jobs=2)
    n = 0
    for r in audit:
        if n < 5:
            time.sleep(0.05)
        assert r.index == n
        n += 1
    assert n == audit.summary["records"] == 300


def test_audits_in_threads(rules, submission):
    """Two audits at once from two Python threads, sharing one Rules."""
    ref = [r.jsonl for r in rules.audit(submission, as_of=AS_OF, jsonl=True)]
    out = [None, None]

    def work(k):
        out[k] = [r.jsonl for r in rules.audit(submission, as_of=AS_OF, jsonl=True, jobs=1)]

    ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out[0] == ref and out[1] == ref


def test_pickle_records(rules):
    recs = list(rules.audit(LAHORE, as_of=AS_OF, jsonl=True, facets=["string(@id)"]))
    back = pickle.loads(pickle.dumps(recs))
    assert [r.to_dict() for r in back] == [r.to_dict() for r in recs]
    assert [r.jsonl for r in back] == [r.jsonl for r in recs]
    assert back[3].findings == recs[3].findings
    assert "AuditRecord" in repr(back[0])


def test_bad_arguments(rules):
    with pytest.raises(rahdari.ArgumentError):
        rules.audit(LAHORE, buffer=0)
    with pytest.raises(rahdari.ArgumentError):
        rules.audit(LAHORE, jobs=-1)
    with pytest.raises(rahdari.ArgumentError):
        rules.audit(LAHORE, as_of="2026-13-01")
    with pytest.raises(TypeError):
        rules.audit(LAHORE, facets="string(@id)")
