"""Which of a published report's figures audit could check: a figure is checked when some rule
would notice it were it wrong (it is changed, and the findings change)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from reportgen.check.validate import validate_document
from reportgen.findings import FieldPath, Finding, format_path, parse_path
from reportgen.layout.search import LayoutSearch
from reportgen.model.previous import model_in
from reportgen.model.report import Report
from reportgen.read.loader import Document

# The data's figures: those of the facts, each a number (with % for a rate) the import wrote.
_FACTS = ("budget", "score", "key_tasks", "indicators")
_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")


def figure_paths(data: Any) -> Iterator[FieldPath]:
    """The path of every figure of the facts in the draft's data."""

    def walk(value: Any, path: FieldPath) -> Iterator[FieldPath]:
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from walk(inner, (*path, str(key)))
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                yield from walk(inner, (*path, i))
        elif not isinstance(value, bool) and _FIGURE.fullmatch(str(value).strip()):
            yield path

    if isinstance(data, dict):
        for name in _FACTS:
            yield from walk(data.get(name), (name,))


def _set(data: Any, path: FieldPath, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _get(data: Any, path: FieldPath) -> Any:
    for step in path:
        data = data[step]
    return data


def _changed(value: Any) -> str:
    """A figure clearly other than ``value`` and still valid: half of it plus one (one more
    than 2, which that leaves as it is)."""
    text = str(value).strip()
    rate = text.endswith("%")
    number = Decimal(text.rstrip("%").replace(",", ""))
    other = (number / 2 + 1).quantize(Decimal("0.01"))
    if other == number:
        other = number + 1
    return f"{other}%" if rate else str(other)


def _said(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.code, format_path(f.path), f.message) for f in findings}


def checked_figures(
    doc: Document, search: LayoutSearch | None = None
) -> tuple[list[str], list[str]]:
    """The figures of ``doc`` a rule checks, and those none does (by path)."""
    search = search if search is not None else LayoutSearch.from_options()
    baseline = _said(validate_document(doc, search).findings)
    checked: list[str] = []
    unchecked: list[str] = []
    for path in figure_paths(doc.data):
        found = _said(findings_with(doc, {path: _changed(_get(doc.data, path))}, search))
        (checked if found != baseline else unchecked).append(format_path(path))
    return checked, unchecked


def findings_with(
    doc: Document, changes: dict[FieldPath, str], search: LayoutSearch
) -> list[Finding]:
    """What validation finds in ``doc`` with the figures at the paths of ``changes`` changed
    (on a copy of its data)."""
    data = copy.deepcopy(doc.data)
    for path, value in changes.items():
        _set(data, path, value)
    return validate_document(replace(doc, data=data), search).findings


_LABEL_END = re.compile(r"[（(=＝；;，,\s]")


def figure_label(data: Any, key: str) -> str:
    """What the figure at ``key`` (``indicators[2].rate``) is called, in the words of the data
    format's own field descriptions, after the name of the item it belongs to: 年初预算,
    履职效能得分, 辖区环境卫生专项整治次数完成率; ``key`` itself when a step is unknown."""
    model: Any = Report
    value, owner, label = data, "", ""
    for step in parse_path(key) or ():
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and step < len(value) else None
            owner = str(value.get("name", "")) if isinstance(value, dict) else ""
            continue
        field = getattr(model, "model_fields", {}).get(step)
        if field is None:
            return key
        label = _LABEL_END.split(field.description or "", maxsplit=1)[0] or step
        model = model_in(field.annotation)
        value = value.get(step) if isinstance(value, dict) else None
    return f"{owner}{label}" or key
