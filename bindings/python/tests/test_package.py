"""The package: version, type stubs that cover the extension, docstrings everywhere, and
rahdari living in one process with lxml (no libxml2 object ever crosses into Python)."""

import ast
import inspect
import os
import subprocess
import sys

import pytest

import rahdari
from rahdari import _rahdari
from conftest import AS_OF, run_cli, src

PKG = os.path.dirname(rahdari.__file__)


def test_version():
    assert rahdari.__version__ == _rahdari.HEADERS_VERSION
    lib = rahdari.library_version()
    assert lib["rahdari"] == rahdari.__version__
    assert lib["libxml2"] and lib["openssl"]
    assert rahdari.__version__ in run_cli("version")


def test_typed_package():
    assert os.path.exists(os.path.join(PKG, "py.typed"))
    stub = os.path.join(PKG, "_rahdari.pyi")
    tree = ast.parse(open(stub, encoding="utf-8").read())
    stubbed = set()
    members = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stubbed.add(node.name)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        if isinstance(node, ast.AnnAssign):
            stubbed.add(node.target.id)
    public = {n for n in dir(_rahdari) if not n.startswith("__") or n == "__version__"}
    assert public - stubbed == set(), "not in _rahdari.pyi"
    # every attribute and method of each type is in its stub
    for name, cls in inspect.getmembers(_rahdari, inspect.isclass):
        if issubclass(cls, BaseException):
            continue
        attrs = {a for a in dir(cls) if not a.startswith("_")}
        assert attrs - members[name] == set(), name


def test_docstrings():
    missing = []
    for modname in ("rahdari", "rahdari.mrz", "rahdari.licence", "rahdari._rahdari"):
        mod = sys.modules[modname]
        if not mod.__doc__:
            missing.append(modname)
        for name, obj in vars(mod).items():
            if name.startswith("_") or not callable(obj):
                continue
            if getattr(obj, "__module__", modname) not in (modname, "rahdari"):
                continue
            if not (obj.__doc__ or "").strip():
                missing.append("%s.%s" % (modname, name))
            if inspect.isclass(obj):
                for a, v in vars(obj).items():
                    if a.startswith("_") or not (callable(v) or hasattr(v, "__get__")):
                        continue
                    if isinstance(v, (str, int, tuple)):
                        continue
                    if not (getattr(v, "__doc__", None) or "").strip():
                        missing.append("%s.%s.%s" % (modname, name, a))
    assert missing == []


def test_no_libxml2_objects():
    """Nothing the bindings return wraps a libxml2 object: every value is a plain Python
    value or one of the types listed here."""
    types = {t for t in vars(_rahdari).values() if inspect.isclass(t)}
    assert {t.__name__ for t in types if not issubclass(t, BaseException)} == {
        "Rules", "Document", "Report", "Finding", "Audit", "AuditRecord", "TrustStore"}
    rules = rahdari.load_rules()
    r = rules.check(src("examples", "bookings", "minor-alone.xml"), as_of=AS_OF)
    for f in r.findings:
        for k, v in f.to_dict().items():
            assert v is None or isinstance(v, (str, int, list)), k


@pytest.mark.parametrize("first", ["lxml", "rahdari"])
def test_with_lxml_in_one_process(first):
    """lxml links libxml2 (and may bring its own); rahdari never shares a libxml2 object
    with it, so they work side by side, imported in either order."""
    code = """
import sys
order = sys.argv[1]
if order == "lxml":
    from lxml import etree
    import rahdari
else:
    import rahdari
    from lxml import etree
path = sys.argv[2]
tree = etree.parse(path)
report = rahdari.load_rules().check(path, as_of="2026-12-01")
report2 = rahdari.load_rules().check(etree.tostring(tree), as_of="2026-12-01")
assert [f.rule for f in report.findings] == [f.rule for f in report2.findings]
print(len(report.findings), tree.getroot().tag)
"""
    try:
        import lxml  # noqa: F401
    except ImportError:
        pytest.skip("lxml is not installed for this interpreter (python3-lxml)")
    p = subprocess.run([sys.executable, "-c", code, first,
                        src("examples", "bookings", "minor-alone.xml")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode == 0, p.stderr.decode()
    assert b"{urn:rahdari:doc:1}booking" in p.stdout


def test_examples_run(tmp_path):
    """The examples in examples/python run (the Dask one has a test of its own)."""
    env = dict(os.environ)
    for args in (["check_booking.py", src("examples", "bookings", "expired-passport.xml"),
                  "--as-of", AS_OF],
                 ["audit_submission.py", src("examples", "submissions", "lahore-2026-q4.xml"),
                  "--as-of", AS_OF],
                 ["parse_mrz.py", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]):
        p = subprocess.run([sys.executable, src("examples", "python", args[0]), *args[1:]],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert p.returncode in (0, 1), (args, p.stderr.decode())
        assert p.stdout, args
