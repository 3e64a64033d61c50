"""One Rules object shared by threads: the same results as one thread, and the GIL is
released while the C library parses and checks."""

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import rahdari
from conftest import AS_OF, bookings, src


def _documents(tmp_path, submission):
    """The example bookings, and a hundred generated ones as bytes (one per document)."""
    docs = list(bookings())
    with open(submission, "r", encoding="utf-8") as fh:
        text = fh.read()
    parts = text.split("\n  <booking ")[1:101]
    for i, part in enumerate(parts):
        body = part.split("\n  </booking>")[0]
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<booking xmlns="urn:rahdari:doc:1" '
               + body + "\n</booking>\n")
        docs.append(xml.encode("utf-8"))
    return docs


def test_four_threads_same_as_sequential(rules, tmp_path, submission):
    docs = _documents(tmp_path, submission)
    sequential = [rules.check(d, as_of=AS_OF).to_json() for d in docs]
    assert any('"findings": [\n  ]' not in s for s in sequential)

    def work(d):
        return rules.check(d, as_of=AS_OF).to_json()

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            parallel = list(pool.map(work, docs * 2))
            assert parallel == sequential * 2
    # and other checks at the same time: other rules, languages, phases
    starter = rahdari.load_rules(src("rules", "starter"))

    def mixed(k):
        d = docs[k % len(docs)]
        if k % 3 == 0:
            return ("pk-ur", rules.check(d, as_of=AS_OF, lang="ur").to_json())
        if k % 3 == 1:
            return ("starter", starter.check(d, as_of=AS_OF).to_json())
        return ("pk", rules.check(d, as_of=AS_OF).to_json())

    expected = {}
    for k in range(len(docs) * 3):
        kind, _ = mixed(k)
        expected[k] = mixed(k)
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(mixed, range(len(docs) * 3)))
    assert got == [expected[k] for k in range(len(docs) * 3)]


def test_gil_released_during_check(rules, tmp_path, submission):
    """While a long check runs in one thread, Python code keeps running in another."""
    with open(submission, "rb") as fh:
        data = fh.read()  # one document of 300 bookings: a long check
    # how fast this loop spins alone
    ticks, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < 0.1:
        ticks += 1
    rate = ticks / (time.monotonic() - t0)
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        state = {"in_c": False, "ticks": 0, "done": False}

        def work():
            state["in_c"] = True
            t0 = time.monotonic()
            rules.check(data, as_of=AS_OF)
            state["took"] = time.monotonic() - t0
            state["done"] = True

        t = threading.Thread(target=work)
        t.start()
        while not state["in_c"]:
            time.sleep(0)
        while not state["done"]:
            state["ticks"] += 1
        t.join()
    finally:
        sys.setswitchinterval(old)
    # holding the GIL, the check would leave this loop a switch interval or two (about a
    # millisecond) before it starts; released, the loop spins the whole time (at a tenth of
    # its speed alone, at worst, on a busy machine)
    assert state["took"] > 0.05, state
    assert state["ticks"] > 0.1 * rate * state["took"], (state, rate)


def test_documents_shared_between_threads(rules):
    doc = rahdari.Document(src("examples", "bookings", "umrah-group-red-flags.xml"))
    ref = rules.check(doc, as_of=AS_OF).to_json()
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(lambda _: rules.check(doc, as_of=AS_OF).to_json(), range(40))) == {ref}
