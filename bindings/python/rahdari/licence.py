"""Signed licences: verify a licence's enveloped XML Signature against the regulator's
trust store.

    >>> from rahdari import licence
    >>> store = licence.TrustStore("regulator-ca.pem", crl="regulator.crl")
    >>> v = licence.verify("licence.xml", trust=store, as_of="2026-12-01")
    >>> v.ok, v.reason, v.signer.subject
    (True, 'ok', 'CN=Licence Signing Officer,O=...,C=PK')

The profile is strict (doc/trust.md): one signature, a child of the root, one reference
URI="", enveloped-signature then exclusive C14N, RSA 2048+ or ECDSA with SHA-256 or
stronger, the signer's X.509 certificate chained to the trust store, valid at ``as_of``
and not revoked. A licence that does not verify is a result (``ok`` False, ``reason``
says why), not an exception, unless ``strict=True``; a file that cannot be read or parsed
raises InputError or ParseError. The result matches ``rahdari licence verify --format
json``.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple, Union

from . import _rahdari
from ._rahdari import SignatureError, TrustStore

__all__ = ["TrustStore", "Verification", "Signer", "REASONS", "verify"]

#: Every ``Verification.reason``, by code (the C library's rd_sig_status).
REASONS = (
    "ok",
    "missing",
    "digest-mismatch",
    "bad-signature",
    "untrusted",
    "expired",
    "not-yet-valid",
    "revoked",
    "weak-algorithm",
    "bad-profile",
    "malformed",
)

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Signer:
    """The signer's certificate."""

    subject: str
    issuer: Optional[str]
    serial: Optional[str]
    not_before: Optional[str]
    not_after: Optional[str]
    key: Optional[str]


@dataclass(frozen=True)
class Verification:
    """The outcome of one verification."""

    ok: bool
    """True when the licence verified, in the profile, by a trusted certificate."""
    reason: str
    """Why: one of REASONS ('ok', 'revoked', 'digest-mismatch', ...)."""
    code: int
    """The reason's number (rd_sig_status)."""
    message: str
    """The verdict in words."""
    document: Optional[str]
    sha256: Optional[str]
    signer: Optional[Signer]
    chain: Tuple[str, ...]
    """Subjects of the verified chain, the signer's first (empty when none was built)."""
    anchor: Optional[str]
    """The trust store's certificate the chain ends at."""
    signature_method: Optional[str]
    digest_method: Optional[str]
    checked_at: Optional[str]
    """When certificates were judged, 'YYYY-MM-DDTHH:MM:SSZ'."""
    warnings: Tuple[str, ...]

    def __bool__(self) -> bool:
        return self.ok

    def raise_for_status(self) -> None:
        """Raise SignatureError unless the licence verified."""
        if not self.ok:
            exc = SignatureError(self.message)
            exc.message = self.message
            exc.reason = self.reason
            exc.file = self.document
            raise exc


def verify(
    source: Union[PathLike, bytes, bytearray, memoryview],
    trust: Union[TrustStore, PathLike],
    crl: Union[None, PathLike, Sequence[PathLike]] = None,
    *,
    as_of: Union[None, str, datetime.date] = None,
    allow_weak: bool = False,
    strict: bool = False,
    max_size: Optional[int] = None,
    name: Optional[str] = None,
) -> Verification:
    """Verify a signed licence.

    ``source`` is a path, the licence's bytes, or a str of XML (a str is XML when it
    starts with '<' after white space; any other str is a path, and that file is read:
    give a licence received from a user as bytes). ``trust`` is a :class:`TrustStore`,
    or the path of one (a PEM file or a directory), with ``crl`` (a path or paths) for
    its CRLs; load a TrustStore once to verify many licences. ``as_of`` judges certificates and CRLs at
    the end of that day (UTC), or at 'YYYY-MM-DDTHH:MM:SSZ' (default: now).
    ``allow_weak`` accepts SHA-1, MD5 and short RSA keys, with a warning. With
    ``strict=True`` a licence that does not verify raises :class:`SignatureError`
    (``.reason`` says why). The GIL is released while the licence is verified.
    """
    d = _rahdari.licence_verify(
        source,
        trust,
        crl=crl,
        as_of=as_of,
        allow_weak=allow_weak,
        max_size=max_size,
        name=name,
    )
    signer = None
    if d.get("subject") is not None:
        signer = Signer(
            subject=d["subject"],
            issuer=d.get("issuer"),
            serial=d.get("serial"),
            not_before=d.get("not_before"),
            not_after=d.get("not_after"),
            key=d.get("key"),
        )
    v = Verification(
        ok=bool(d["ok"]),
        reason=d["reason"],
        code=int(d["code"]),
        message=d["message"],
        document=d.get("document"),
        sha256=d.get("sha256"),
        signer=signer,
        chain=tuple(d.get("chain") or ()),
        anchor=d.get("anchor"),
        signature_method=d.get("signature_method"),
        digest_method=d.get("digest_method"),
        checked_at=d.get("checked_at"),
        warnings=tuple(d.get("warnings") or ()),
    )
    if strict:
        v.raise_for_status()
    return v
