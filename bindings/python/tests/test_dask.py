"""examples/python/dask_audit.py on a LocalCluster of 2 worker processes gives what one
`rahdari audit --format jsonl` over the same files gives: the same records (line for
line), the same error lines, the same summary. SKIP when dask or distributed is missing."""

import importlib.util
import json
import os
import sys

import pytest

from conftest import AS_OF, generate, run_cli, src

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (Debian: python3-distributed)")
pytest.importorskip("dask", reason="dask is not installed (Debian: python3-dask)")

EXAMPLES = src("examples", "python")


@pytest.fixture(scope="module")
def dask_audit():
    # the worker processes import the tasks' module by name: put it on their path
    os.environ["PYTHONPATH"] = EXAMPLES + os.pathsep + os.environ.get("PYTHONPATH", "")
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    spec = importlib.util.spec_from_file_location("dask_audit",
                                                  os.path.join(EXAMPLES, "dask_audit.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules["dask_audit"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("submissions")
    for i, (n, seed) in enumerate([(120, 1), (250, 2), (80, 3), (200, 4), (1, 5)]):
        generate(n, d / ("agency-%d.xml" % i), seed=seed)
    return d


@pytest.fixture(scope="module")
def client():
    kw = dict(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    try:
        cluster = distributed.LocalCluster(processes=True, **kw)
    except Exception as e:  # pragma: no cover - sandboxes without process spawning
        print("LocalCluster with processes failed (%s): threads instead" % e)
        cluster = distributed.LocalCluster(processes=False, **kw)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _cli(paths, *extra):
    out = run_cli("audit", "-f", "jsonl", "--progress", "never", "--as-of", AS_OF, *extra,
                  *paths, ok=(0, 1, 3))
    lines = out.splitlines()
    return lines[:-1], json.loads(lines[-1])


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning",
                                        "ignore:Port .* is already in use")


def test_same_as_one_audit(dask_audit, client, folder):
    paths = dask_audit.files_of([str(folder)])
    assert len(paths) == 5
    lines, summary = dask_audit.audit_files(client, paths, as_of=AS_OF, jobs=1)
    want_lines, want = _cli(paths)
    assert lines == want_lines
    assert summary == want
    assert summary["records"] == 651 and summary["documents"] == 5
    # the workers did the work, each with its own rules
    workers = client.run(lambda dask_worker: (dask_worker.rahdari_rules.id, os.getpid()))
    assert len(workers) == 2 and {w[0] for w in workers.values()} == {"pk"}
    print("workers (rules, pid):", workers, "client pid:", os.getpid())


def test_errors_and_options(dask_audit, client, folder, tmp_path):
    paths = dask_audit.files_of([str(folder)])
    data = open(paths[1], "rb").read()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) // 2])
    files = [paths[0], str(cut), str(tmp_path / "missing.xml"), paths[2]]
    lines, summary = dask_audit.audit_files(client, files, as_of=AS_OF, lang="ur", jobs=2)
    want_lines, want = _cli(files, "--lang", "ur")
    assert lines == want_lines
    assert summary == want
    assert summary["unreadable"] == 2


def test_script(dask_audit, folder, tmp_path):
    """The script end to end (its own LocalCluster, of threads to keep it quick)."""
    out = tmp_path / "all.jsonl"
    status = dask_audit.main([str(folder), "--threads", "--as-of", AS_OF, "--output", str(out)])
    paths = dask_audit.files_of([str(folder)])
    want_lines, want = _cli(paths)
    got = out.read_text(encoding="utf-8").splitlines()
    assert got[:-1] == want_lines
    assert json.loads(got[-1]) == want
    assert status == (1 if want["errors"] else 0)
