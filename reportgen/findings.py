"""Findings: one problem in one file, with its location, and how they are printed."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

FieldPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def visible(text: str) -> str:
    """Invisible characters spelt out, so “goals” and “go\\x01als” do not look the same."""
    if text.isascii() and text.isprintable():  # most names: none of them is invisible
        return text
    return "".join(
        f"<U+{ord(c):04X}>"
        if c != " " and unicodedata.category(c) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Cn"}
        else c
        for c in text
    )


_PAUSES = "，。；：、！？”’）》 ,;:)"  # a quoted text cut after one reads whole
_PAUSE_REACH = 20


def _in_word(before: str, after: str) -> bool:
    """Whether ``before`` and ``after`` are in one word of Latin script or one figure."""

    def part(c: str) -> bool:
        return c.isascii() and (c.isalnum() or c in "_.,%/-")

    return part(before) and part(after) and (before.isalnum() or after.isalnum())


def clip(text: str, most: int) -> str:
    """The start of ``text``, ``most`` characters at the most, cut between words: after a
    pause (“，”“；”, a space) in its last few characters if there is one, never inside a word of
    Latin script, a figure or a ``${…}`` placeholder. A message quotes a long text by it."""
    if len(text) <= most:
        return text
    floor = most // 2
    cut = next(
        (n for n in range(most, max(floor, most - _PAUSE_REACH), -1) if text[n - 1] in _PAUSES),
        most,
    )
    while cut > floor and _in_word(text[cut - 1], text[cut]):
        cut -= 1
    opened = text.rfind("${", 0, cut)
    if opened >= floor and text.find("}", opened, cut) < 0:
        cut = opened
    return text[:cut].rstrip()


def format_path(path: FieldPath) -> str:
    """``("budget", "income", "sources", 0, "share")`` → ``budget.income.sources[0].share``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = visible(part)
            text += f".{shown}" if text else shown
    return text


_PATH = re.compile(r"[A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*")
_PATH_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def parse_path(text: str) -> FieldPath | None:
    """``budget.income.sources[0].share`` → ``("budget", "income", "sources", 0, "share")``,
    the inverse of :func:`format_path` for keys that are names; ``None`` for other text."""
    if _PATH.fullmatch(text) is None:
        return None
    return tuple(int(index) if index else name for name, index in _PATH_STEP.findall(text))


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    path: FieldPath = ()
    expected: str | None = None
    actual: str | None = None
    location: Location | None = field(default=None, compare=False)
    # the other fields the relation involves, so a change to any of them is traced to its line
    related: tuple[FieldPath, ...] = ()
    related_locations: tuple[Location, ...] = field(default=(), compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        where = f"{self.location} " if self.location else ""
        subject = f"{format_path(self.path)}: " if self.path else ""
        text = f"{where}{SEVERITY_LABEL[self.severity]} {self.code} {subject}{self.message}"
        if self.related:
            lines = [
                f"{format_path(p)} 第{loc.line}行" if loc.line else format_path(p)
                for p, loc in zip(
                    self.related,
                    self.related_locations or [Location("")] * len(self.related),
                    strict=True,
                )
            ]
            text += f"（相关字段：{'；'.join(lines)}）"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
            "path": format_path(self.path),
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "related": [
                {"path": format_path(p), "line": loc.line, "column": loc.column}
                for p, loc in zip(self.related, self.related_locations, strict=False)
            ],
        }


def error(
    code: str,
    path: FieldPath,
    message: str,
    *,
    expected: str | None = None,
    actual: str | None = None,
    related: Sequence[FieldPath] = (),
) -> Finding:
    return Finding(code, Severity.ERROR, message, path, expected, actual, related=tuple(related))


def warning(code: str, path: FieldPath, message: str, **details: Any) -> Finding:
    """As :func:`error`, at warning severity."""
    return replace(error(code, path, message, **details), severity=Severity.WARNING)


def file_finding(file: str, code: str, message: str, line: int, column: int) -> Finding:
    """A problem with the file itself (encoding, YAML syntax): it has a place but no field."""
    return Finding(code, Severity.ERROR, message, (), location=Location(file, line, column))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int, str]:
        loc = f.location
        return (loc.line or 0 if loc else 0, loc.column or 0 if loc else 0, f.code)

    return sorted(findings, key=key)


def findings_to_json(results: Sequence[tuple[str, Sequence[Finding]]]) -> str:
    """One JSON document for several files: ``{"files": [{"file", "ok", "findings"}]}``."""
    import json  # only ``--format json`` needs it

    files = [
        {
            "file": name,
            "ok": not has_errors(found),
            "errors": sum(f.is_error for f in found),
            "warnings": sum(not f.is_error for f in found),
            "findings": [f.as_dict() for f in found],
        }
        for name, found in results
    ]
    return json.dumps({"files": files}, ensure_ascii=False, indent=2)


def did_you_mean(
    word: str, known: Iterable[str], *, cutoff: float = 0.6, shown: Callable[[str], str] = str
) -> str:
    """“（是否想写“x”？）” for the known name closest to ``word`` (the first of equals, in the
    order given), or nothing when none is close; ``shown`` writes the name as the message does."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f"（是否想写“{shown(close[0])}”？）" if close else ""
