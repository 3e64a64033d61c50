"""Rules.check() against `rahdari check` on the same inputs: the same JSON, SVRL and text
(the library's writers), the same findings attribute by attribute, and every kind of
source (path, os.PathLike, bytes, str of XML, Document)."""

import os
import pathlib

import pytest

import rahdari
from conftest import (AS_OF, assert_finding_matches, bookings, cli_json, run_cli, src)


@pytest.mark.parametrize("path", bookings(), ids=os.path.basename)
def test_json_same_as_cli(rules, path):
    report = rules.check(path, as_of=AS_OF)
    assert report.to_json() == run_cli("check", "-f", "json", "--as-of", AS_OF, path)
    j = cli_json("check", "-f", "json", "--as-of", AS_OF, path)
    assert len(report.findings) == len(j["findings"]) == report.count
    for f, jf in zip(report.findings, j["findings"]):
        assert_finding_matches(f, jf)
    assert report.summary == {k: j["summary"][k] for k in ("errors", "warnings", "infos")}
    assert report.ok == (j["summary"]["errors"] == 0)
    assert report.document == path
    assert report.sha256 == j["documents"][0]["sha256"]
    assert report.as_of == AS_OF
    assert report.rules["id"] == j["rules"]["id"] == "pk"
    assert report.to_dict() == j


@pytest.mark.parametrize("path", bookings()[:3], ids=os.path.basename)
def test_svrl_text_jsonl_same_as_cli(rules, path):
    report = rules.check(path, as_of=AS_OF)
    assert report.to_svrl() == run_cli("check", "-f", "svrl", "--as-of", AS_OF, path)
    assert report.to_jsonl() == run_cli("check", "-f", "jsonl", "--as-of", AS_OF, path)
    assert report.to_text() == run_cli("check", "--color", "never", "--as-of", AS_OF, path)
    assert report.to_text(quiet=True) == run_cli("check", "-q", "--color", "never",
                                                 "--as-of", AS_OF, path)
    assert "\033[" in report.to_text(color=True) or not report.findings


def test_render_several_like_cli(rules):
    paths = bookings()
    reports = [rules.check(p, as_of=AS_OF) for p in paths]
    assert rahdari.render(reports, "json") == run_cli("check", "-f", "json", "--as-of",
                                                      AS_OF, *paths)
    assert rahdari.render(reports, "text") == run_cli("check", "--color", "never", "--as-of",
                                                      AS_OF, *paths)
    with pytest.raises(rahdari.ArgumentError):
        rahdari.render(reports, "yaml")
    with pytest.raises(TypeError):
        rahdari.render([object()])


def test_options_same_as_cli(rules):
    booking = src("examples", "bookings", "unlicensed-branch.xml")
    licence = src("examples", "licences", "punjab-al-noor-travels.xml")
    for py, cli in [
        (dict(lang="ur"), ["--lang", "ur"]),
        (dict(licence=licence), ["--licence", licence]),
        (dict(docs={"licence": licence}), ["--doc", "licence=" + licence]),
        (dict(xsd=False), ["--no-xsd"]),
        (dict(jurisdiction="PK-SD"), ["--rules", src("rules", "pk"), "--jurisdiction", "PK-SD"]),
        (dict(phase="#ALL"), ["--phase", "#ALL"]),
        (dict(register=src("rules", "pk", "tables", "licence-register.csv")),
         ["--register", src("rules", "pk", "tables", "licence-register.csv")]),
    ]:
        r = rules
        if "--rules" in cli:
            r = rahdari.load_rules(src("rules", "pk"))
        got = r.check(booking, as_of=AS_OF, **py).to_json()
        assert got == run_cli("check", "-f", "json", "--as-of", AS_OF, *cli, booking), py


def test_max_ops_like_cli(rules):
    """The evaluation budget: a document that needs more is one evaluation-error finding
    (as `rahdari check --max-ops`), the default leaves it unchanged, 0 is refused."""
    booking = src("examples", "bookings", "umrah-family.xml")
    report = rules.check(booking, as_of=AS_OF, max_ops=1000)
    assert report.to_json() == run_cli("check", "-f", "json", "--as-of", AS_OF,
                                       "--max-ops", "1000", booking)
    assert len(report.findings) == 1 and not report.ok
    f = report.findings[0]
    assert f.kind == "evaluation-error" and f.severity == "error"
    assert "evaluation budget of 1000 operations ran out" in f.message
    assert rules.check(booking, as_of=AS_OF, max_ops=10**8).to_json() == \
        rules.check(booking, as_of=AS_OF).to_json()
    for bad in (0, -1, 2**80):
        with pytest.raises(rahdari.ArgumentError):
            rules.check(booking, max_ops=bad)
    with pytest.raises(TypeError):
        rules.check(booking, max_ops="many")
    # the budget of every record of an audit
    recs = list(rules.audit(src("examples", "submissions", "lahore-2026-q4.xml"), as_of=AS_OF,
                            max_ops=1000))
    assert recs and all(any("budget of 1000 operations" in f.message for f in r.findings)
                        for r in recs)


def test_punjab_overlay_like_cli():
    booking = src("examples", "bookings", "unlicensed-branch.xml")
    pb = rahdari.load_rules(jurisdiction="PK-PB")
    got = pb.check(booking, as_of=AS_OF, jurisdiction="PK-PB").to_json()
    assert got == run_cli("check", "-f", "json", "--as-of", AS_OF, "--jurisdiction", "PK-PB",
                          booking)
    assert rahdari.check(booking, as_of=AS_OF, jurisdiction="PK-PB").to_json() == got
    assert rahdari.default_rules("PK-PB") is rahdari.default_rules("PK-PB")


def test_params_like_cli(starter):
    params = starter.params
    booking = src("examples", "bookings", "minor-alone.xml")
    if not params:
        pytest.skip("the starter pack has no parameters")
    name = sorted(params)[0]
    got = starter.check(booking, as_of=AS_OF, params={name: "1"}).to_json()
    assert got == run_cli("check", "-f", "json", "--rules", src("rules", "starter"), "--as-of",
                          AS_OF, "--param", name + "=1", booking)


def test_starter_pack_like_cli(starter):
    for path in bookings():
        assert starter.check(path, as_of=AS_OF).to_json() == run_cli(
            "check", "-f", "json", "--rules", src("rules", "starter"), "--as-of", AS_OF, path)


def test_sources(rules, tmp_path):
    """A path (str, pathlib), bytes, bytearray, memoryview, a str of XML and a Document
    give the same findings; only the document's name differs."""
    path = src("examples", "bookings", "umrah-group-red-flags.xml")
    with open(path, "rb") as fh:
        data = fh.read()
    ref = rules.check(path, as_of=AS_OF)
    assert ref.findings

    def same(report, name):
        assert report.document == name
        assert len(report.findings) == len(ref.findings)
        for a, b in zip(report.findings, ref.findings):
            assert (a.rule, a.line, a.location, a.message) == (b.rule, b.line, b.location,
                                                                 b.message)
            assert a.document == name
        assert report.sha256 == ref.sha256

    same(rules.check(pathlib.Path(path), as_of=AS_OF), path)
    same(rules.check(data, as_of=AS_OF), "<bytes>")
    same(rules.check(bytearray(data), as_of=AS_OF), "<bytes>")
    same(rules.check(memoryview(data), as_of=AS_OF), "<bytes>")
    same(rules.check(data, as_of=AS_OF, name="upload-17.xml"), "upload-17.xml")
    text = data.decode("utf-8")
    same(rules.check(text, as_of=AS_OF), "<string>")
    # white space before '<' still makes a str XML (given to the parser as it is: XML
    # allows white space before the root element, not before an XML declaration)
    assert text.startswith("<?xml")
    body = text[text.index("?>") + 2:]
    rep = rules.check(" \t" + body, as_of=AS_OF, name="x")
    assert [(f.rule, f.line) for f in rep.findings] == [(f.rule, f.line) for f in ref.findings]
    with pytest.raises(rahdari.ParseError) as e:
        rules.check("\n" + text, name="decl")
    assert (e.value.file, e.value.line) == ("decl", 2)
    doc = rahdari.Document(path)
    assert (doc.name, doc.root, doc.namespace) == (path, "booking", "urn:rahdari:doc:1")
    assert doc.sha256 == ref.sha256
    same(rules.check(doc, as_of=AS_OF), path)
    assert rahdari.Document(doc) is doc
    # a str that does not start with '<' is a path
    with pytest.raises(rahdari.InputError) as e:
        rules.check("no-such-booking.xml")
    assert e.value.file == "no-such-booking.xml"
    with pytest.raises(TypeError):
        rules.check(42)


def test_as_of_forms(rules):
    import datetime
    path = src("examples", "bookings", "expired-passport.xml")
    a = rules.check(path, as_of=AS_OF).to_json()
    assert rules.check(path, as_of=datetime.date(2026, 12, 1)).to_json() == a
    assert rules.check(path, as_of=datetime.datetime(2026, 12, 1, 23, 0)).to_json() == a


def test_report_object(rules):
    r = rules.check(src("examples", "bookings", "expired-passport.xml"), as_of=AS_OF)
    assert list(r) == list(r.findings)
    assert r.max_severity == "error" and not r.ok
    f = r.findings[0]
    assert f.level == 3 and f.severity == "error" and f.kind == "assert"
    assert isinstance(f.tags, tuple)
    d = f.to_dict()
    assert d["rule"] == f.rule and d["tags"] == list(f.tags) and d["line"] == f.line
    assert "Finding" in repr(f) and "Report" in repr(r)
    clean = rules.check(src("examples", "bookings", "umrah-family.xml"), as_of=AS_OF)
    assert clean.ok and clean.findings == () and clean.max_severity is None
    assert clean.summary == {"errors": 0, "warnings": 0, "infos": 0}


def test_rules_object(rules, starter):
    assert rules.id == "pk" and rules.path == "(embedded)" and rules.version
    assert isinstance(rules.phases, tuple)
    assert rules.has_phase("#ALL")
    assertions = rules.assertions()
    listed = run_cli("rules", "list")
    for a in assertions:
        assert a["id"] in listed
        assert a["severity"] in ("error", "warning", "info")
    assert starter.path.endswith("starter") or "starter" in starter.path
    assert "Rules" in repr(rules)
    assert rahdari.Rules() is not rules  # Rules(...) is load_rules(...)


def test_rules_from_memory(tmp_path):
    sch = ("<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt'>"
           "<ns prefix='d' uri='urn:rahdari:doc:1'/>"
           "<pattern id='p'><rule context='d:booking'>"
           "<assert id='HAS-ID' test='@id'>the booking has no id</assert>"
           "</rule></pattern></schema>")
    r = rahdari.load_rules(sch, name="inline.sch")
    rep = r.check("<booking xmlns='urn:rahdari:doc:1'/>", as_of=AS_OF)
    assert [f.rule for f in rep.findings] == ["HAS-ID"]
    r2 = rahdari.load_rules(sch.encode())
    assert [f.rule for f in r2.check(b"<booking xmlns='urn:rahdari:doc:1' id='x'/>").findings] == []
