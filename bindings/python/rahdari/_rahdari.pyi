# Type stubs of rahdari._rahdari, the C extension of rahdari's Python bindings.
# SPDX-License-Identifier: MIT
import datetime
import os
from types import TracebackType
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Type, Union

__version__: str
HEADERS_VERSION: str

RD_OK: int
RD_ERROR: int
RD_ENOMEM: int
RD_EINVAL: int
RD_ENOTFOUND: int
RD_EIO: int
RD_EPARSE: int
RD_EUNSAFE: int
RD_ELIMIT: int
RD_ERULES: int
RD_EUNSUPPORTED: int
RD_ESTOPPED: int

_Path = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
_Source = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", "Document"]
_Date = Union[None, str, datetime.date]
_Pairs = Union[Mapping[str, Any], Sequence[Tuple[str, Any]]]

class Error(Exception):
    message: Optional[str]
    status: Optional[str]
    code: Optional[int]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]

class InputError(Error): ...
class ParseError(InputError): ...
class RulesError(Error): ...

class SignatureError(Error):
    reason: Optional[str]

class ArgumentError(Error, ValueError): ...

class Finding:
    rule: Optional[str]
    kind: str
    severity: str
    level: int
    message: Optional[str]
    lang: Optional[str]
    pattern: Optional[str]
    context: Optional[str]
    test: Optional[str]
    location: Optional[str]
    line: int
    document: Optional[str]
    cite: Optional[str]
    tags: Tuple[str, ...]
    confidence: Optional[str]
    jurisdiction: Optional[str]
    effective_from: Optional[str]
    effective_to: Optional[str]
    role: Optional[str]
    flag: Optional[str]
    see: Optional[str]
    source_file: Optional[str]
    rule_id: Optional[str]
    diagnostics: Tuple[Tuple[Optional[str], Optional[str]], ...]
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...

class Report:
    findings: Tuple[Finding, ...]
    summary: Dict[str, int]
    ok: bool
    max_severity: Optional[str]
    count: int
    rules: Dict[str, Optional[str]]
    document: Optional[str]
    sha256: Optional[str]
    as_of: Optional[str]
    phase: Optional[str]
    lang: Optional[str]
    def to_json(self) -> str: ...
    def to_jsonl(self) -> str: ...
    def to_svrl(self) -> str: ...
    def to_text(self, *, color: bool = ..., quiet: bool = ...) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __iter__(self) -> Iterator[Finding]: ...

class Document:
    name: str
    sha256: str
    root: str
    namespace: Optional[str]
    def __new__(
        cls, source: _Source, *, name: Optional[str] = ..., max_size: Optional[int] = ...
    ) -> "Document": ...
    @classmethod
    def from_string(
        cls, text: str, *, name: Optional[str] = ..., max_size: Optional[int] = ...
    ) -> "Document": ...
    @classmethod
    def from_bytes(
        cls,
        data: Union[bytes, bytearray, memoryview],
        *,
        name: Optional[str] = ...,
        max_size: Optional[int] = ...,
    ) -> "Document": ...

class TrustStore:
    cert_count: int
    crl_count: int
    def __new__(
        cls, path: _Path, crl: Union[None, _Path, Sequence[_Path]] = ...
    ) -> "TrustStore": ...
    def add_crl(self, path: _Path) -> None: ...

class AuditRecord:
    index: int
    number: int
    line: int
    id: Optional[str]
    element: Optional[str]
    document: Optional[str]
    summary: Dict[str, int]
    findings: Tuple[Finding, ...]
    facets: Tuple[str, ...]
    jsonl: Optional[str]
    ok: bool
    def to_dict(self) -> Dict[str, Any]: ...

class Audit(Iterator[AuditRecord]):
    summary: Dict[str, int]
    jsonl_end: Optional[str]
    progress: Dict[str, int]
    running: bool
    def __iter__(self) -> "Audit": ...
    def __next__(self) -> AuditRecord: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Audit": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

class Rules:
    id: Optional[str]
    version: Optional[str]
    title: Optional[str]
    path: Optional[str]
    jurisdiction: Optional[str]
    effective: Optional[str]
    default_phase: Optional[str]
    phases: Tuple[str, ...]
    params: Dict[str, Optional[str]]
    def __new__(
        cls,
        path: Union[None, _Path, bytes, str] = ...,
        *,
        jurisdiction: Optional[str] = ...,
        max_size: Optional[int] = ...,
        max_depth: Optional[int] = ...,
        trust: Union[None, TrustStore, _Path] = ...,
        crl: Optional[_Path] = ...,
        base_dir: Optional[_Path] = ...,
        name: Optional[str] = ...,
    ) -> "Rules": ...
    def check(
        self,
        source: _Source,
        *,
        licence: Optional[_Source] = ...,
        docs: Optional[_Pairs] = ...,
        as_of: _Date = ...,
        lang: Optional[str] = ...,
        phase: Optional[str] = ...,
        jurisdiction: Optional[str] = ...,
        tables: Optional[_Pairs] = ...,
        register: Optional[_Path] = ...,
        params: Optional[_Pairs] = ...,
        xsd: bool = ...,
        trust: Union[None, TrustStore, _Path] = ...,
        max_size: Optional[int] = ...,
        max_ops: Optional[int] = ...,
        name: Optional[str] = ...,
    ) -> Report: ...
    def audit(
        self,
        source: Union[str, bytes, bytearray, memoryview, "os.PathLike[str]"],
        *,
        record: Optional[str] = ...,
        carry: Optional[str] = ...,
        jobs: Optional[int] = ...,
        as_of: _Date = ...,
        lang: Optional[str] = ...,
        phase: Optional[str] = ...,
        jurisdiction: Optional[str] = ...,
        licence: Optional[_Source] = ...,
        docs: Optional[_Pairs] = ...,
        tables: Optional[_Pairs] = ...,
        register: Optional[_Path] = ...,
        params: Optional[_Pairs] = ...,
        xsd: bool = ...,
        trust: Union[None, TrustStore, _Path] = ...,
        facets: Optional[Sequence[str]] = ...,
        max_size: Optional[int] = ...,
        max_ops: Optional[int] = ...,
        buffer: int = ...,
        jsonl: bool = ...,
        name: Optional[str] = ...,
    ) -> Audit: ...
    def assertions(self) -> List[Dict[str, Any]]: ...
    def has_phase(self, phase: str) -> bool: ...

def load_rules(
    path: Union[None, _Path, bytes, str] = ...,
    *,
    jurisdiction: Optional[str] = ...,
    max_size: Optional[int] = ...,
    max_depth: Optional[int] = ...,
    trust: Union[None, TrustStore, _Path] = ...,
    crl: Optional[_Path] = ...,
    base_dir: Optional[_Path] = ...,
    name: Optional[str] = ...,
) -> Rules: ...
def render(
    reports: Sequence[Report], format: str = ..., *, color: bool = ..., quiet: bool = ...
) -> str: ...
def library_version() -> Dict[str, Any]: ...
def status_name(code: int) -> str: ...
def mrz_parse(text: str, as_of: _Date = ...) -> Tuple[str, bool]: ...
def mrz_check_digit(s: str) -> Optional[str]: ...
def mrz_known_code(code: str) -> bool: ...
def name_to_mrz(surname: Optional[str], given: Optional[str] = ...) -> str: ...
def name_matches(printed: str, mrz_name: str) -> bool: ...
def cnic(text: str) -> Dict[str, Any]: ...
def licence_verify(
    source: Union[str, bytes, bytearray, memoryview, "os.PathLike[str]"],
    trust: Union[TrustStore, _Path],
    *,
    crl: Union[None, _Path, Sequence[_Path]] = ...,
    as_of: _Date = ...,
    allow_weak: bool = ...,
    max_size: Optional[int] = ...,
    name: Optional[str] = ...,
) -> Dict[str, Any]: ...
def _restore_finding(state: Tuple[Any, ...]) -> Finding: ...
def _restore_record(state: Tuple[Any, ...]) -> AuditRecord: ...
