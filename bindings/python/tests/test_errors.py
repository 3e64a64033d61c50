"""Exceptions: one tree under rahdari.Error; each with the file, line, column, status and
code of rd_error_last() for the call that failed."""

import os

import pytest

import rahdari
from conftest import AS_OF, src

BOOKING = src("examples", "bookings", "umrah-family.xml")


def test_tree():
    assert issubclass(rahdari.InputError, rahdari.Error)
    assert issubclass(rahdari.ParseError, rahdari.InputError)
    assert issubclass(rahdari.RulesError, rahdari.Error)
    assert issubclass(rahdari.SignatureError, rahdari.Error)
    assert issubclass(rahdari.ArgumentError, rahdari.Error)
    assert issubclass(rahdari.ArgumentError, ValueError)
    assert issubclass(rahdari.Error, Exception)
    for cls in (rahdari.Error, rahdari.InputError, rahdari.ParseError, rahdari.RulesError,
                rahdari.SignatureError, rahdari.ArgumentError):
        assert cls.__module__ == "rahdari"
        assert cls.__doc__
        e = cls("x")
        assert (e.file, e.line, e.column, e.status) == (None, None, None, None)


def test_parse_error(rules, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<booking xmlns="urn:rahdari:doc:1">\n'
                   '  <agency name="x">\n</booking>\n')
    with pytest.raises(rahdari.ParseError) as e:
        rules.check(str(bad))
    err = e.value
    assert err.file == str(bad)
    assert err.line == 4 and err.column and err.column > 0
    assert err.status == "RD_EPARSE" and err.code == rahdari._rahdari.RD_EPARSE
    assert str(bad) in str(err) and err.message == str(err)
    # XML in memory: the name given
    with pytest.raises(rahdari.ParseError) as e:
        rules.check(b"<booking>\n<oops></booking>", name="upload.xml")
    assert (e.value.file, e.value.line) == ("upload.xml", 2)
    # a Document too
    with pytest.raises(rahdari.ParseError):
        rahdari.Document(b"<a>")


def test_input_errors(rules, tmp_path):
    missing = str(tmp_path / "missing.xml")
    with pytest.raises(rahdari.InputError) as e:
        rules.check(missing)
    assert type(e.value) is rahdari.InputError
    assert e.value.status == "RD_ENOTFOUND" and e.value.file == missing
    # refused by the secure loader: an entity declaration (XXE, billion laughs)
    xxe = tmp_path / "xxe.xml"
    xxe.write_text('<?xml version="1.0"?>\n<!DOCTYPE b [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
                   '<b>&x;</b>\n')
    with pytest.raises(rahdari.InputError) as e:
        rules.check(str(xxe))
    assert e.value.status == "RD_EUNSAFE" and e.value.file == str(xxe) and e.value.line
    with pytest.raises(rahdari.InputError) as e:
        rules.check(BOOKING, max_size=100)
    assert e.value.status == "RD_ELIMIT"
    # a case document that cannot be read
    with pytest.raises(rahdari.InputError) as e:
        rules.check(BOOKING, licence=missing)
    assert e.value.file == missing
    with pytest.raises(rahdari.InputError):
        rules.check(BOOKING, tables={"licence-register": missing})


def test_rules_error(tmp_path):
    sch = tmp_path / "bad.sch"
    sch.write_text(
        "<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='xslt'>\n"
        "  <pattern id='p'>\n"
        "    <rule context='booking'>\n"
        "      <assert id='A' test='count(('>broken</assert>\n"
        "    </rule>\n"
        "  </pattern>\n"
        "</schema>\n")
    with pytest.raises(rahdari.RulesError) as e:
        rahdari.load_rules(str(sch))
    assert e.value.status == "RD_ERULES"
    assert e.value.file == str(sch) and e.value.line == 4
    xslt2 = tmp_path / "x2.sch"
    xslt2.write_text("<schema xmlns='http://purl.oclc.org/dsdl/schematron' "
                     "queryBinding='xslt2'><pattern><rule context='a'>"
                     "<assert test='1'>x</assert></rule></pattern></schema>")
    with pytest.raises(rahdari.RulesError) as e:
        rahdari.load_rules(str(xslt2))
    assert e.value.status == "RD_EUNSUPPORTED" and e.value.file == str(xslt2)
    # a rule file that is not XML is a ParseError, with its line
    notxml = tmp_path / "notxml.sch"
    notxml.write_text("<schema>\n<pattern>\n")
    with pytest.raises(rahdari.ParseError) as e:
        rahdari.load_rules(str(notxml))
    assert e.value.file == str(notxml) and e.value.line
    with pytest.raises(rahdari.InputError):
        rahdari.load_rules(str(tmp_path / "nothing-here"))


def test_signature_error(tmp_path):
    """Rules that must be a signed pack (trust=...) but are not."""
    trust = src("rules", "pk", "tests", "lic", "support", "trust-ca.pem")
    with pytest.raises(rahdari.SignatureError) as e:
        rahdari.load_rules(src("rules", "starter"), trust=trust)
    assert e.value.status == "RD_EUNSAFE"
    assert e.value.file
    assert "starter" in str(e.value)
    # a licence that does not verify, with strict=True
    altered = src("rules", "pk", "tests", "lic", "support", "signed-al-noor-altered.xml")
    with pytest.raises(rahdari.SignatureError) as e:
        rahdari.licence.verify(altered, trust=trust, as_of=AS_OF, strict=True)
    assert e.value.reason == "digest-mismatch" and e.value.file == altered


def test_argument_errors(rules):
    for kw in (dict(as_of="2026-02-30"), dict(as_of="tomorrow"), dict(phase="no-such-phase"),
               dict(params={"no-such-parameter": 1})):
        with pytest.raises(rahdari.ArgumentError) as e:
            rules.check(BOOKING, **kw)
        assert isinstance(e.value, ValueError)
        assert e.value.status in ("RD_EINVAL", "RD_ENOTFOUND"), kw
    with pytest.raises(TypeError):
        rules.check(BOOKING, as_of=20261201)
    with pytest.raises(TypeError):
        rules.check(BOOKING, lang=5)
    with pytest.raises(TypeError):
        rules.check(BOOKING, docs=5)


def test_error_after_other_threads(rules, tmp_path):
    """The error comes from the failing call's own thread, not another's."""
    from concurrent.futures import ThreadPoolExecutor
    paths = [str(tmp_path / ("missing-%d.xml" % i)) for i in range(40)]

    def fail(p):
        try:
            rules.check(p)
        except rahdari.InputError as e:
            return e.file
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(fail, paths)) == paths


def test_status_names():
    assert rahdari.status_name(-6) == "RD_EPARSE"
    assert rahdari.status_name(0) == "RD_OK"
    assert os.path.isdir(src("rules"))
