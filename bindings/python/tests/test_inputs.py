"""Hostile inputs at the edges (issue 11): bytes after the root element, devices, libxml2's
own messages, str arguments that are not text (a lone surrogate), and documents from
user input that must never be opened as files (Document.from_string, from_bytes)."""

import os

import pytest

import rahdari
from rahdari import licence, mrz
from conftest import AS_OF, src

BOOKING = src("examples", "bookings", "umrah-family.xml")


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------- after the root element


def test_nul_after_root_refused(starter):
    data = read(BOOKING)
    lines = data.count(b"\n")
    for source in (data + b"\0garbage", bytearray(data + b"\0"), data.decode() + "\0<x/>"):
        with pytest.raises(rahdari.ParseError) as e:
            starter.check(source, as_of=AS_OF)
        assert e.value.line == lines + 1 and e.value.column == 1, e.value.message
        assert "Extra content at the end of the document" in e.value.message
    # so is the audit of the same bytes
    with pytest.raises(rahdari.ParseError) as e:
        list(starter.audit(data + b"\0garbage", as_of=AS_OF, jobs=1))
    assert e.value.line == lines + 1


# ---------------------------------------------------------------- devices and libxml2


def test_devices_refused_at_once(starter):
    for dev in ("/dev/zero", "/dev/urandom"):
        with pytest.raises(rahdari.InputError) as e:
            starter.check(dev, as_of=AS_OF)
        assert "character device" in e.value.message
        with pytest.raises(rahdari.InputError):
            rahdari.Document(dev)
        with pytest.raises(rahdari.InputError):
            list(starter.audit(dev, as_of=AS_OF))
        with pytest.raises(rahdari.InputError):
            rahdari.load_rules(dev)


def test_encoding_error_is_rahdari_error(starter, capfd):
    data = (b"<?xml version='1.0' encoding='Shift_JIS'?>\n"
            b"<booking xmlns='urn:rahdari:doc:1'>\n  \x81\x20\xff</booking>\n")
    with pytest.raises(rahdari.ParseError) as e:
        starter.check(data, name="sjis.xml")
    assert e.value.message.startswith("sjis.xml:3:3: encoding error: input conversion failed")
    assert (e.value.line, e.value.column) == (3, 3)
    out, err = capfd.readouterr()
    assert out == "" and err == "", "libxml2 wrote: %r" % err


# ---------------------------------------------------------------- str that is not text

LONE = "\ud800"  # a lone (high) surrogate: no UTF-8 for it


def assert_argument_error(call, what):
    with pytest.raises(rahdari.ArgumentError) as e:
        call()
    assert isinstance(e.value, ValueError)
    assert "surrogate" in e.value.message and what in e.value.message, e.value.message
    assert isinstance(e.value.__cause__, UnicodeEncodeError)


def test_lone_surrogate_is_argument_error(starter, tmp_path):
    cases = [
        (lambda: starter.check("<a>" + LONE + "</a>"), "source"),
        (lambda: starter.check(LONE + ".xml"), "source"),
        (lambda: starter.check(BOOKING, as_of=LONE), "as_of"),
        (lambda: starter.check(BOOKING, lang=LONE), "lang"),
        (lambda: starter.check(BOOKING, phase=LONE), "phase"),
        (lambda: starter.check(BOOKING, jurisdiction=LONE), "jurisdiction"),
        (lambda: starter.check(BOOKING, name=LONE), "name"),
        (lambda: starter.check(BOOKING, params={"p": LONE}), "parameter value"),
        (lambda: starter.check(BOOKING, params={LONE: "1"}), "params"),
        (lambda: starter.check(BOOKING, tables={LONE: "t.csv"}), "tables"),
        (lambda: starter.check(BOOKING, tables={"t": LONE}), "a table"),
        (lambda: starter.check(BOOKING, docs={LONE: BOOKING}), "docs"),
        (lambda: starter.check(BOOKING, licence=LONE), "licence"),
        (lambda: list(starter.audit(BOOKING, record=LONE)), "record"),
        (lambda: list(starter.audit(BOOKING, facets=[LONE])), "facet"),
        (lambda: starter.has_phase(LONE), "phase"),
        (lambda: rahdari.Document(LONE), "source"),
        (lambda: rahdari.Document.from_string("<a>" + LONE + "</a>"), "text"),
        (lambda: rahdari.load_rules(LONE), "rules"),
        (lambda: rahdari.load_rules(jurisdiction=LONE), "jurisdiction"),
        (lambda: rahdari.render([], format=LONE), "format"),
        (lambda: mrz.parse(LONE), "text"),
        (lambda: mrz.parse(["P<UTO" + LONE, "L898902C36"]), "text"),
        (lambda: mrz.check_digit(LONE), "text"),
        (lambda: mrz.known_code(LONE), "code"),
        (lambda: mrz.name_to_mrz(LONE), "surname"),
        (lambda: mrz.name_to_mrz("A", LONE), "given"),
        (lambda: mrz.name_matches(LONE, "A<<B"), "printed"),
        (lambda: mrz.cnic(LONE), "text"),
        (lambda: licence.verify(LONE + ".xml", src("rules", "pk", "tests", "lic", "support",
                                                   "trust-ca.pem")), "source"),
        (lambda: licence.TrustStore(LONE), "path"),
    ]
    for call, what in cases:
        assert_argument_error(call, what)


def test_undecodable_path_bytes_stay_a_path(starter, tmp_path):
    # a low surrogate from surrogateescape is a byte of a file name (os.fsencode): a path;
    # the message that names it (not UTF-8) is still a rahdari.Error, not a decoding error
    name = "b\udcff.xml"
    with pytest.raises(rahdari.InputError) as e:
        starter.check(str(tmp_path / name))
    assert "b\ufffd.xml: cannot open" in e.value.message
    assert e.value.file == str(tmp_path / name)
    with open(os.fsencode(str(tmp_path / name)), "wb") as f:
        f.write(read(BOOKING))
    assert starter.check(str(tmp_path / name), as_of=AS_OF).summary["errors"] >= 0


def test_nul_in_str_argument_is_argument_error(starter):
    with pytest.raises(rahdari.ArgumentError):
        starter.check(BOOKING, lang="en\0")


# ---------------------------------------------------------------- documents from user input


def test_from_string_never_opens_a_file(starter, tmp_path, monkeypatch):
    (tmp_path / "booking.xml").write_bytes(read(BOOKING))
    monkeypatch.chdir(tmp_path)
    # a str that does not start with '<' is a path for check() and Document() ...
    assert rahdari.Document("booking.xml").root == "booking"
    # ... never for from_string(): it is the text of the document
    with pytest.raises(rahdari.ParseError) as e:
        rahdari.Document.from_string("booking.xml")
    assert e.value.file == "<string>" and e.value.line == 1
    for text in ("/etc/passwd", "/dev/zero", "  booking.xml"):
        with pytest.raises(rahdari.ParseError):
            rahdari.Document.from_string(text)
    d = rahdari.Document.from_string(read(BOOKING).decode(), name="user-input")
    assert (d.name, d.root) == ("user-input", "booking")
    r = starter.check(d, as_of=AS_OF)
    assert r.document == "user-input"
    assert r.to_json() == starter.check(read(BOOKING), as_of=AS_OF, name="user-input").to_json()


def test_from_bytes(starter):
    data = read(BOOKING)
    for buf in (data, bytearray(data), memoryview(data)):
        d = rahdari.Document.from_bytes(buf)
        assert (d.name, d.root) == ("<bytes>", "booking")
    with pytest.raises(rahdari.ParseError):
        rahdari.Document.from_bytes(b"booking.xml")
    with pytest.raises(rahdari.ParseError):
        rahdari.Document.from_bytes(data + b"\0")
    with pytest.raises(rahdari.InputError):
        rahdari.Document.from_bytes(data, max_size=100)


def test_from_string_and_from_bytes_take_only_their_type(tmp_path):
    path = tmp_path / "b.xml"
    path.write_bytes(read(BOOKING))
    for bad in (b"<a/>", path, 3, None):
        with pytest.raises(TypeError):
            rahdari.Document.from_string(bad)
    for bad in ("<a/>", path, str(path), 3, None):
        with pytest.raises(TypeError):
            rahdari.Document.from_bytes(bad)
