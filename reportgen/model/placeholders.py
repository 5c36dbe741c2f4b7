"""``${path}`` in the data's text: finding the placeholders, and filling them from a table of
printed figures (``$${`` is a literal ``${``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from reportgen.findings import FieldPath
from reportgen.model.report import Report

PLACEHOLDER = re.compile(r"\$\$\{|\$\{([^{}]*)\}")


def placeholders_in(text: str) -> Iterator[str]:
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) is not None:
            yield match.group(1).strip()


def substitute(text: str, table: dict[str, str]) -> str:
    """Replace every ``${path}``; ``$${`` is a literal ``${``. Unknown paths are left for the
    rules to report (validation runs before any rendering)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "${"
        return table.get(match.group(1).strip(), match.group(0))

    return PLACEHOLDER.sub(replace, text)


# Facts whose text is printed with its placeholders filled in; the sections are filled as they
# are written, and the department and attachment label take none (they name files and titles).
FILLED_FACTS = ("budget", "score", "key_tasks", "indicators", "organization", "table")
UNFILLED_TEXT = ("department", "attachment")


def strings_in(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """Every string in ``value`` (a model, a list, a string), with the path of its YAML node."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings_in(item, (*path, i))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings_in(getattr(value, name), (*path, name))


def fact_strings(report: Report) -> Iterator[tuple[FieldPath, str]]:
    """Every string of the facts that is printed with its ``${…}`` filled in."""
    for name in FILLED_FACTS:
        yield from strings_in(getattr(report, name), (name,))


def with_figures(report: Report, table: dict[str, str]) -> Report:
    """``report`` with the ``${…}`` of its facts' text replaced: done once, before printing,
    so no text is ever filled twice (a literal ``$${`` would become a placeholder)."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return substitute(value, table)
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, BaseModel):
            changes = {name: fill(getattr(value, name)) for name in type(value).model_fields}
            return value.model_copy(update=changes)
        return value

    return report.model_copy(update={name: fill(getattr(report, name)) for name in FILLED_FACTS})
