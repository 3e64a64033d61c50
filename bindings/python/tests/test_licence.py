"""rahdari.licence against `rahdari licence verify --format json`, and checks whose
licences are verified against a trust store (Rules.check(trust=...)) against
`rahdari check --trust`."""

import json

import pytest

import rahdari
from rahdari import licence
from conftest import AS_OF, cli_json, run_cli, src

SUPPORT = src("rules", "pk", "tests", "lic", "support")
CA = src("rules", "pk", "tests", "lic", "support", "trust-ca.pem")
CRL = src("rules", "pk", "tests", "lic", "support", "trust-crl.pem")


def sup(name):
    return src("rules", "pk", "tests", "lic", "support", name)


def cli_verify(path, *extra):
    out = run_cli("licence", "verify", "--format", "json", "--trust", CA, "--as-of", AS_OF,
                  *extra, path)
    return json.loads(out)["licences"][0]


@pytest.mark.parametrize("name,reason,crl", [
    ("signed-al-noor.xml", "ok", False),
    ("signed-al-noor-altered.xml", "digest-mismatch", False),
    ("signed-outsider.xml", "untrusted", False),
    ("signed-revoked.xml", "revoked", True),
    ("licence-al-noor.xml", "missing", False),
])
def test_verify_like_cli(name, reason, crl):
    path = sup(name)
    extra = ["--crl", CRL] if crl else []
    j = cli_verify(path, *extra)
    v = licence.verify(path, trust=CA, crl=CRL if crl else None, as_of=AS_OF)
    assert v.reason == reason == j["status"]
    assert v.ok == j["verified"] == (reason == "ok") == bool(v)
    assert v.code == licence.REASONS.index(reason)
    assert v.message == j["message"]
    assert v.document == j["file"] and v.sha256 == j["sha256"]
    assert v.checked_at == j["checked_at"]
    assert v.signature_method == j["signature_method"]
    assert v.digest_method == j["digest_method"]
    assert v.anchor == j["anchor"]
    assert list(v.chain) == j["chain"]
    assert list(v.warnings) == j["warnings"]
    if j["signer"]:
        s = j["signer"]
        assert (v.signer.subject, v.signer.issuer, v.signer.serial, v.signer.not_before,
                v.signer.not_after, v.signer.key) == (s["subject"], s["issuer"], s["serial"],
                                                      s["not_before"], s["not_after"], s["key"])
    else:
        assert v.signer is None


def test_trust_store_object_and_sources():
    store = licence.TrustStore(CA, crl=[CRL])
    assert store.cert_count >= 1 and store.crl_count == 1
    assert "TrustStore" in repr(store)
    path = sup("signed-al-noor.xml")
    with open(path, "rb") as fh:
        data = fh.read()
    a = licence.verify(path, store, as_of=AS_OF)
    b = licence.verify(data, store, as_of=AS_OF, name="upload.xml")
    c = licence.verify(data.decode("utf-8"), store, as_of="2026-12-01T12:00:00Z")
    assert a.ok and b.ok and c.ok
    assert b.document == "upload.xml" and a.sha256 == b.sha256
    assert licence.verify(sup("signed-revoked.xml"), store, as_of=AS_OF).reason == "revoked"
    # a store without its CRL: the revoked signer is not known to be revoked
    plain = licence.TrustStore(CA)
    assert plain.crl_count == 0
    plain.add_crl(CRL)
    assert plain.crl_count == 1
    with pytest.raises(rahdari.ArgumentError):
        licence.verify(path, store, crl=CRL)


def test_verify_errors(tmp_path):
    with pytest.raises(rahdari.InputError) as e:
        licence.TrustStore(str(tmp_path / "none.pem"))
    assert e.value.file
    with pytest.raises(rahdari.InputError):
        licence.verify(str(tmp_path / "none.xml"), trust=CA)
    bad = tmp_path / "bad.xml"
    bad.write_text("<licence>\n<oops>\n")
    with pytest.raises(rahdari.ParseError) as e:
        licence.verify(str(bad), trust=CA)
    assert e.value.file == str(bad) and e.value.line
    v = licence.verify(sup("signed-al-noor-altered.xml"), trust=CA, as_of=AS_OF)
    with pytest.raises(rahdari.SignatureError) as e:
        v.raise_for_status()
    assert e.value.reason == "digest-mismatch"


@pytest.mark.parametrize("case,lic", [
    ("lic-020-revoked-signer.xml", "signed-revoked.xml"),
    ("lic-019-altered-licence.xml", "signed-al-noor-altered.xml"),
])
def test_check_with_trust_like_cli(rules, case, lic):
    path = src("rules", "pk", "tests", "lic", case)
    store = licence.TrustStore(CA, crl=CRL)
    got = rules.check(path, as_of=AS_OF, licence=sup(lic), trust=store)
    want = run_cli("check", "-f", "json", "--as-of", AS_OF, "--licence", sup(lic), "--trust",
                   CA, "--crl", CRL, path)
    assert got.to_json() == want
    fired = {f.rule for f in got.findings}
    assert ("PK-LIC-020" in fired) == case.startswith("lic-020")
    assert ("PK-LIC-019" in fired) == case.startswith("lic-019")
    # without a trust store the signature is not judged
    assert rules.check(path, as_of=AS_OF, licence=sup(lic)).to_json() == run_cli(
        "check", "-f", "json", "--as-of", AS_OF, "--licence", sup(lic), path)


def test_signed_pack_rules(tmp_path):
    """load_rules(trust=...) accepts only a signed pack: the embedded pack needs none."""
    assert rahdari.load_rules(None, trust=CA).id == "pk"
    with pytest.raises(rahdari.SignatureError):
        rahdari.load_rules(src("rules", "pk"), trust=CA)
    with pytest.raises(rahdari.ArgumentError):
        rahdari.load_rules(src("rules", "pk"), crl=CRL)
    # one trust store for licences and packs: a TrustStore serves load_rules too
    store = licence.TrustStore(CA, crl=CRL)
    assert rahdari.load_rules(None, trust=store).id == "pk"
    with pytest.raises(rahdari.SignatureError):
        rahdari.load_rules(src("rules", "pk"), trust=store)
    with pytest.raises(rahdari.ArgumentError):
        rahdari.load_rules(src("rules", "pk"), trust=store, crl=CRL)
    assert cli_json  # the tool's own signed-pack tests are tests/cli_packsig.sh
