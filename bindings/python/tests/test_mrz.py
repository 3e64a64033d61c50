"""rahdari.mrz against `rahdari mrz --format json`: the ICAO specimen passport, a damaged
one, an identity card; check digits, codes, names and CNICs."""

import datetime

import pytest

import rahdari
from rahdari import mrz
from conftest import AS_OF, run_cli

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_icao_specimen():
    z = mrz.parse([L1, L2], as_of=AS_OF)
    assert z.format == "TD3" and z.valid
    assert z.fields == {
        "documentCode": "P", "issuingState": "UTO", "surname": "ERIKSSON",
        "givenNames": "ANNA MARIA", "documentNumber": "L898902C3", "nationality": "UTO",
        "birthDate": "1974-08-12", "sex": "F", "expiryDate": "2012-04-15",
        "optionalData": "ZE184226B"}
    assert (z.surname, z.given_names, z.document_number, z.birth_date, z.expiry_date,
            z.sex, z.nationality, z.issuing_state, z.document_code, z.optional_data) == (
        "ERIKSSON", "ANNA MARIA", "L898902C3", "1974-08-12", "2012-04-15", "F", "UTO", "UTO",
        "P", "ZE184226B")
    assert [(c.field, c.expected, c.found, c.ok, c.line, c.column) for c in z.checks] == [
        ("documentNumber", "6", "6", True, 2, 10), ("birthDate", "2", "2", True, 2, 20),
        ("expiryDate", "9", "9", True, 2, 28), ("optionalData", "1", "1", True, 2, 43),
        ("composite", "0", "0", True, 2, 44)]
    assert z.errors == ()
    assert [(w.code, w.field, w.line, w.column) for w in z.warnings] == [
        ("document-code-not-harmonised", "documentCode", 1, 2),
        ("specimen", "issuingState", 1, 3), ("specimen", "nationality", 2, 11)]
    assert all(w.severity == "warning" for w in z.warnings)
    assert not z.name_truncated
    assert z.to_json() == run_cli("mrz", "--format", "json", "--as-of", AS_OF, L1, L2).strip()
    assert z.to_dict()["fields"] == z.fields
    # one str, lines separated by a newline (CR/LF, white space around them)
    assert mrz.parse(L1 + "\n" + L2, as_of=AS_OF) == z
    assert mrz.parse("  " + L1 + "\r\n" + L2 + "\n", as_of=datetime.date(2026, 12, 1)) == z


def test_damaged():
    bad = L2[:9] + "7" + L2[10:]
    z = mrz.parse([L1, bad], as_of=AS_OF)
    assert not z.valid
    assert [(e.code, e.field, e.line, e.column) for e in z.errors] == [
        ("check-digit", "documentNumber", 2, 10), ("check-digit", "composite", 2, 44)]
    assert all(e.severity == "error" for e in z.errors)
    assert z.problems == z.errors + z.warnings
    assert z.to_json() == run_cli("mrz", "--format", "json", "--as-of", AS_OF, L1, bad,
                                  ok=(1,)).strip()


def test_td1_and_unknown():
    lines = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
             "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
    z = mrz.parse(lines, as_of=AS_OF)
    assert z.format == "TD1" and z.valid and z.document_number == "D23145890"
    assert z.to_json() == run_cli("mrz", "--format", "json", "--as-of", AS_OF, *lines).strip()
    u = mrz.parse("HELLO\nWORLD", as_of=AS_OF)
    assert u.format == "unknown" and not u.valid and u.errors


def test_arguments():
    with pytest.raises(rahdari.ArgumentError):
        mrz.parse([L1, L2], as_of="2026-99-01")
    with pytest.raises(TypeError):
        mrz.parse([L1, 5])
    with pytest.raises(TypeError):
        mrz.parse(42)


def test_helpers():
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("abc") is None
    assert mrz.known_code("PAK") and mrz.known_code("D<<") and not mrz.known_code("QQQ")
    assert mrz.name_to_mrz("Al-Hassan", "Muhammad") == "AL<HASSAN<<MUHAMMAD"
    assert mrz.name_matches("Muhammad Al-Hassan", "AL<HASSAN<<MUHAMMAD<<<")
    assert not mrz.name_matches("Ali Raza", "AL<HASSAN<<MUHAMMAD")
    c = mrz.cnic("34201-0891231-8")
    assert c.valid and c.province == "Punjab" and c.gender == "F"
    assert c.formatted == "34201-0891231-8" and c.digits == "3420108912318"
    assert "valid; Punjab; female" in run_cli("cnic", "34201-0891231-8")
    bad = mrz.cnic("12345")
    assert not bad.valid and bad.error
