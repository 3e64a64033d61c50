"""rahdari: check travel-agency work against the law, from Python.

Python bindings of librahdari (a C extension over its public API; no libxml2 object is
ever handed to Python, so rahdari and lxml never share one).

    >>> import rahdari
    >>> rules = rahdari.load_rules()                 # the embedded `pk` pack
    >>> report = rules.check("booking.xml", as_of="2026-12-01")
    >>> for f in report.findings:
    ...     print(f.severity, f.rule, f.line, f.message)
    >>> report.ok, report.summary
    >>> for record in rules.audit("q4.xml", as_of="2026-12-01"):
    ...     print(record.id, record.summary)

A str source is XML when it starts with '<' (after white space), else a PATH that is
opened: for text from users (a server), use Document.from_string() or
Document.from_bytes(), which never open a file.

A document that breaks rules gives a Report with findings; exceptions (all under
rahdari.Error) are for what could not be checked. Parsing and checking run with the GIL
released, and one Rules object may be shared by any number of threads.

Modules: rahdari.mrz (ICAO 9303 machine-readable zones, CNICs, MRZ names) and
rahdari.licence (signed licences and the regulator's trust store). The reference is
doc/python.md.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Optional, Union

from ._rahdari import (  # noqa: F401  (re-exported)
    ArgumentError,
    Audit,
    AuditRecord,
    Document,
    Error,
    Finding,
    InputError,
    ParseError,
    Report,
    Rules,
    RulesError,
    SignatureError,
    __version__,
    library_version,
    load_rules,
    render,
    status_name,
)
from . import licence, mrz  # noqa: F401  (submodules)

__all__ = [
    "ArgumentError",
    "Audit",
    "AuditRecord",
    "Document",
    "Error",
    "Finding",
    "InputError",
    "ParseError",
    "Report",
    "Rules",
    "RulesError",
    "SignatureError",
    "__version__",
    "check",
    "default_rules",
    "library_version",
    "licence",
    "load_rules",
    "mrz",
    "render",
    "status_name",
]

Source = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", Document]


@functools.lru_cache(maxsize=None)
def default_rules(jurisdiction: Optional[str] = None) -> Rules:
    """The embedded rule pack, loaded once per process and jurisdiction.

    ``default_rules()`` is the federal ``pk`` pack; ``default_rules("PK-PB")`` the Punjab
    overlay on it. The object is shared: Rules are immutable and thread-safe.
    """
    return load_rules(None, jurisdiction=jurisdiction)


def check(source: Source, *, rules: Optional[Rules] = None, **options: Any) -> Report:
    """Check one document with ``rules`` (default: :func:`default_rules`).

    A shortcut for ``rules.check(source, **options)``; see :meth:`Rules.check`. Without
    ``rules``, the embedded pack for ``options.get("jurisdiction")`` is used. A ``str``
    source that does not start with ``<`` is a path and that file is read: for input from
    users, give ``Document.from_string(text)`` or ``Document.from_bytes(data)``.
    """
    if rules is None:
        rules = default_rules(options.get("jurisdiction"))
    return rules.check(source, **options)
