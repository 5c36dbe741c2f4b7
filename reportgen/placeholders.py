"""``${path}`` in narrative text: the table of printable figures and the substitution itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from reportgen import formatting
from reportgen.derive import Derived
from reportgen.findings import FieldPath, format_path
from reportgen.model import Report

PLACEHOLDER = re.compile(r"\$\$\{|\$\{([^{}]*)\}")

_RATE_FIELDS = {"execution_rate", "share", "rate", "limit"}
_SCORE_FIELDS = {"max_score", "max"}
_QUANTITY_FIELDS = {"target", "actual"}


def _format_leaf(path: FieldPath, value: Any, thousands: bool) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if name in _RATE_FIELDS:
            return formatting.percent(value)
        if (
            path[:1] == ("score",)
            or name in _SCORE_FIELDS
            or (path[:1] == ("indicators",) and name == "score")
        ):
            return formatting.score(value)
        if name in _QUANTITY_FIELDS:
            return formatting.quantity(value)
        return formatting.money(value, thousands)
    return str(value)


def _walk(value: Any, path: FieldPath, table: dict[str, str], thousands: bool) -> None:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _walk(getattr(value, name), (*path, name), table, thousands)
        amount = getattr(value, "amount", None)
        if amount is not None:  # a cost line prints as its amount
            table[format_path(path)] = _format_leaf((*path, "amount"), amount, thousands)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, (*path, i), table, thousands)
        if value and all(isinstance(v, str) for v in value):
            table[format_path(path)] = "、".join(value)
            table[format_path((*path, "count"))] = str(len(value))
    elif value is not None and not isinstance(value, dict):
        table[format_path(path)] = _format_leaf(path, value, thousands)


def figure_table(report: Report, derived: Derived, thousands: bool = True) -> dict[str, str]:
    """Every path a placeholder may name → its printed value (checked or derived)."""
    table: dict[str, str] = {}
    _walk(report, (), table, thousands)
    for key in [k for k in table if k.startswith(("sections", "rules", "layout"))]:
        del table[key]

    def put_money(path: str, value: Decimal | None) -> None:
        if value is not None and path not in table:
            table[path] = formatting.money(value, thousands)

    def put_rate(path: str, value: Decimal | None) -> None:
        if value is not None:  # the derived rate is more precise than a stated one
            table[path] = formatting.percent(value)

    put_money("budget.expenditure.total", derived.expenditure_total)
    put_money("budget.expenditure.basic.budget", derived.basic_budget)
    put_money("budget.expenditure.project.budget", derived.project_budget)
    put_rate("budget.execution_rate", derived.execution_rate)
    put_rate("budget.expenditure.basic.execution_rate", derived.basic_execution_rate)
    put_rate("budget.expenditure.project.execution_rate", derived.project_execution_rate)
    if derived.budget_base is not None:
        put_money("budget.total", derived.budget_base)
    put_money("budget.income.total", derived.income_total)
    for i, share in enumerate(derived.income_shares):
        put_rate(f"budget.income.sources[{i}].share", share)
    put_money("key_tasks.total", derived.key_tasks_total)
    for i, rate in enumerate(derived.indicator_completion):
        put_rate(f"indicators[{i}].rate", rate)
    put_rate("budget.carryover.rate", derived.carryover_rate)
    table["score.grade"] = report.score.grade or derived.grade
    table["title"] = report.title
    return table


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
