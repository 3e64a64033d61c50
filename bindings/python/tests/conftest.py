"""Shared fixtures of the Python bindings' tests (run by tests/python.sh from make check).

The tests compare the bindings with the command-line tool on the same inputs, so they
need the tool just built (RAHDARI, set by make check; else cli/rahdari of the build tree
next to the staged bindings) and the source tree (srcdir / abs_top_srcdir; else found
from this file). Every date is fixed (AS_OF) so that results never depend on today.
"""

import json
import os
import subprocess
import sys

import pytest

import rahdari

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-12-01"


def _srcdir():
    for var in ("abs_top_srcdir", "srcdir"):
        d = os.environ.get(var)
        if d and os.path.isdir(os.path.join(d, "examples", "bookings")):
            return os.path.abspath(d)
    return os.path.abspath(os.path.join(HERE, "..", "..", ".."))


SRCDIR = _srcdir()


def _cli():
    cli = os.environ.get("RAHDARI")
    if cli and os.access(cli, os.X_OK):
        return cli
    inplace = os.environ.get("RD_PYTHON_INPLACE")
    if inplace:
        cand = os.path.join(inplace, "..", "..", "..", "cli", "rahdari")
        if os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    cand = os.path.join(SRCDIR, "cli", "rahdari")
    return cand if os.access(cand, os.X_OK) else None


CLI = _cli()


def src(*parts):
    """A path in the source tree."""
    return os.path.join(SRCDIR, *parts)


def bookings():
    """The example bookings, sorted."""
    d = src("examples", "bookings")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".xml"))


def run_cli(*args, ok=(0, 1)):
    """Run the tool; its stdout (str). Its exit status must be one of ok."""
    if CLI is None:
        pytest.skip("the rahdari tool is not built (set RAHDARI)")
    p = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode in ok, (args, p.returncode, p.stderr.decode(errors="replace"))
    return p.stdout.decode("utf-8")


def cli_json(*args):
    return json.loads(run_cli(*args))


def cli_jsonl(*args):
    return [json.loads(line) for line in run_cli(*args).splitlines() if line.strip()]


def generate(n, path, seed=None):
    """A submission of n bookings made by bench/gen_submission.py (deterministic)."""
    args = [sys.executable, src("bench", "gen_submission.py"), str(n), str(path)]
    if seed is not None:
        args += ["--seed", str(seed)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return str(path)


# the keys of a finding in the JSON that Finding has as attributes of the same name
FINDING_KEYS = ("rule", "kind", "severity", "message", "lang", "pattern", "context",
                "location", "line", "document", "test", "cite", "confidence",
                "jurisdiction", "role", "see")


def assert_finding_matches(f, j):
    """A Finding against a finding of the tool's JSON."""
    for k in FINDING_KEYS:
        assert getattr(f, k) == j[k], (k, getattr(f, k), j[k])
    assert list(f.tags) == j["tags"]
    assert [{"id": i, "text": t} for i, t in f.diagnostics] == j["diagnostics"]
    assert f.source_file == (j["source"] or {}).get("file")


@pytest.fixture(scope="session")
def rules():
    """The embedded pk pack, loaded once for the session (and shared: it is immutable)."""
    return rahdari.load_rules()


@pytest.fixture(scope="session")
def starter():
    return rahdari.load_rules(src("rules", "starter"))


@pytest.fixture(scope="session")
def submission(tmp_path_factory):
    """A generated submission of 300 bookings."""
    return generate(300, tmp_path_factory.mktemp("gen") / "sub-300.xml")
