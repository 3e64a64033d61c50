"""Machine-readable zones (ICAO Doc 9303), Pakistani CNIC numbers and MRZ names.

    >>> from rahdari import mrz
    >>> z = mrz.parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    >>> z.format, z.valid, z.surname, z.birth_date
    ('TD3', True, 'ERIKSSON', '1974-08-12')
    >>> [w.code for w in z.warnings]
    ['document-code-not-harmonised', 'specimen', 'specimen']

:func:`parse` reads TD1, TD2 and TD3 documents and MRV-A and MRV-B visas: every check
digit, names, dates (with rahdari's stated century rule, relative to ``as_of``) and
country codes. An MRZ that breaks the rules is still parsed: ``valid`` says whether it
has errors, and ``errors`` and ``warnings`` say what and where. The result is the same as
``rahdari mrz --format json`` (``to_json()`` returns exactly that JSON). See doc/mrz.md
for the problem codes.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple, Union

from . import _rahdari

__all__ = [
    "MRZ",
    "Check",
    "Problem",
    "CNIC",
    "parse",
    "check_digit",
    "known_code",
    "name_to_mrz",
    "name_matches",
    "cnic",
]

#: JSON names of the fields, as in ``MRZ.fields`` (a format has only some of them).
FIELDS = (
    "documentCode",
    "issuingState",
    "surname",
    "givenNames",
    "documentNumber",
    "nationality",
    "birthDate",
    "sex",
    "expiryDate",
    "optionalData",
    "optionalData2",
    "name",
)


@dataclass(frozen=True)
class Check:
    """One check digit: the field it covers, the digit expected and the one found."""

    field: str
    expected: str
    found: str
    ok: bool
    line: int
    column: int


@dataclass(frozen=True)
class Problem:
    """A problem found in an MRZ (``severity`` is ``"error"`` or ``"warning"``).

    ``code`` is stable (doc/mrz.md lists the codes); ``field`` is the field concerned, or
    None; ``line`` and ``column`` are 1-based, or None when the problem is not about one
    position.
    """

    code: str
    severity: str
    message: str
    field: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None


@dataclass(frozen=True)
class MRZ:
    """A parsed machine-readable zone."""

    format: str
    """'TD1', 'TD2', 'TD3', 'MRVA', 'MRVB' or 'unknown'."""
    valid: bool
    """True when the MRZ has no error (warnings allowed)."""
    fields: Mapping[str, str]
    """The fields by their JSON names (``documentCode``, ``birthDate``, ...)."""
    checks: Tuple[Check, ...] = ()
    errors: Tuple[Problem, ...] = ()
    warnings: Tuple[Problem, ...] = ()
    name_truncated: bool = False
    """True when the name fills its whole field ending in a letter: it may be cut short."""
    json: str = field(default="", repr=False, compare=False)

    @property
    def problems(self) -> Tuple[Problem, ...]:
        """Errors, then warnings."""
        return self.errors + self.warnings

    def to_json(self) -> str:
        """The MRZ as ``rahdari mrz --format json`` writes it (doc/mrz.md)."""
        return self.json

    def to_dict(self) -> Dict[str, Any]:
        """``json.loads(self.to_json())``."""
        return json.loads(self.json)

    def _get(self, name: str) -> Optional[str]:
        return self.fields.get(name)

    document_code = property(lambda self: self._get("documentCode"), doc="e.g. 'P', 'PP', 'V'.")
    issuing_state = property(lambda self: self._get("issuingState"), doc="Three letters.")
    surname = property(lambda self: self._get("surname"), doc="Primary identifier.")
    given_names = property(lambda self: self._get("givenNames"), doc="Secondary identifier.")
    document_number = property(lambda self: self._get("documentNumber"), doc="With continuation.")
    nationality = property(lambda self: self._get("nationality"), doc="Three letters.")
    birth_date = property(lambda self: self._get("birthDate"), doc="YYYY-MM-DD, '' when unknown.")
    sex = property(lambda self: self._get("sex"), doc="'M', 'F' or 'X'.")
    expiry_date = property(lambda self: self._get("expiryDate"), doc="YYYY-MM-DD.")
    optional_data = property(lambda self: self._get("optionalData"), doc="Personal number.")


def _position(obj: Mapping[str, Any]) -> Tuple[Optional[int], Optional[int]]:
    pos = obj.get("position") or {}
    return pos.get("line"), pos.get("column")


def _problem(obj: Mapping[str, Any], severity: str) -> Problem:
    line, column = _position(obj)
    return Problem(
        code=obj["code"],
        severity=severity,
        message=obj.get("message", ""),
        field=obj.get("field"),
        line=line,
        column=column,
    )


def parse(
    text: Union[str, Iterable[str]],
    as_of: Union[None, str, datetime.date] = None,
) -> MRZ:
    """Parse and validate a machine-readable zone.

    ``text`` is the MRZ as one str (lines separated by newlines; CR/LF and white space
    around the lines are accepted) or as a sequence of its 2 or 3 lines. ``as_of``
    ('YYYY-MM-DD' or a date; default today) decides the century of two-digit years: a
    birth date is 20YY unless that is after ``as_of``; an expiry date is 20YY unless that
    is more than 20 years after it. Only a bad argument raises (ArgumentError,
    TypeError); an invalid MRZ is a result with ``valid`` False.
    """
    if not isinstance(text, str):
        lines = list(text)
        if not all(isinstance(line, str) for line in lines):
            raise TypeError("parse() takes a str or a sequence of str")
        text = "\n".join(lines)
    raw, truncated = _rahdari.mrz_parse(text, as_of)
    obj = json.loads(raw)
    checks = tuple(
        Check(
            field=c["field"],
            expected=c["expected"],
            found=c["found"],
            ok=bool(c["ok"]),
            line=_position(c)[0] or 0,
            column=_position(c)[1] or 0,
        )
        for c in obj.get("checks", [])
    )
    return MRZ(
        format=obj["format"] or "unknown",
        valid=bool(obj["valid"]),
        fields=dict(obj.get("fields") or {}),
        checks=checks,
        errors=tuple(_problem(p, "error") for p in obj.get("errors", [])),
        warnings=tuple(_problem(p, "warning") for p in obj.get("warnings", [])),
        name_truncated=bool(truncated),
        json=raw,
    )


def check_digit(text: str) -> Optional[str]:
    """The ICAO 9303 check digit (weights 7, 3, 1) of ``text``, as '0'..'9'; None when
    ``text`` has a character outside A-Z, 0-9 and '<'."""
    return _rahdari.mrz_check_digit(text)


def known_code(code: str) -> bool:
    """Whether a three-letter code is a known issuing state or nationality (ISO 3166-1
    alpha-3 or a code ICAO adds; fillers such as 'D<<' accepted)."""
    return _rahdari.mrz_known_code(code)


def name_to_mrz(surname: Optional[str], given: Optional[str] = None) -> str:
    """A printed name as an MRZ name field holds it: 'SURNAME<<GIVEN<NAMES' (upper case,
    diacritics transliterated, punctuation dropped), without fillers."""
    return _rahdari.name_to_mrz(surname, given)


def name_matches(printed: str, mrz_name: str) -> bool:
    """Whether a printed name (any order) and an MRZ name field name the same person,
    allowing for a truncated MRZ name."""
    return _rahdari.name_matches(printed, mrz_name)


@dataclass(frozen=True)
class CNIC:
    """What a Pakistani CNIC number says (CNICs have no check digit)."""

    valid: bool
    digits: str
    formatted: str
    province_digit: Optional[int]
    province: Optional[str]
    gender: Optional[str]
    error: Optional[str]


def cnic(text: str) -> CNIC:
    """Read a CNIC number ('#####-#######-#', dashes optional): format, province digit
    (1 to 7) and gender digit (odd male, even female)."""
    return CNIC(**_rahdari.cnic(text))
