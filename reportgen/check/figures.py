"""Every figure a ``${path}`` may name: its kind and value, as stated and checked or as derived."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from reportgen.check.derive import Derived
from reportgen.check.table import TableView
from reportgen.findings import FieldPath, format_path
from reportgen.model.amounts import FigureKind, figure_kind
from reportgen.model.formatting import printed
from reportgen.model.previous import figure_kind_at
from reportgen.model.report import Report

# The report's fields that hold no figure a placeholder may name: its text and its settings
# (last year's figures are added below, by their own paths).
_NOT_FIGURES = ("sections", "rules", "layout", "previous")

# What a derived figure is, for those the model does not hold as a field.
Typed = tuple[FigureKind | None, object]


def _walk(value: Any, path: FieldPath, kind: FigureKind | None, table: dict[str, Typed]) -> None:
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        for name, info in fields.items():
            _walk(getattr(value, name), (*path, name), figure_kind(info), table)
        amount = getattr(value, "amount", None)
        if amount is not None and "amount" in fields:  # a cost line prints as its amount
            table[format_path(path)] = (figure_kind(fields["amount"]), amount)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, (*path, i), kind, table)
        if value and all(isinstance(v, str) for v in value):
            table[format_path(path)] = (None, "、".join(value))
            table[format_path((*path, "count"))] = (None, str(len(value)))
    elif value is not None and not isinstance(value, dict):
        table[format_path(path)] = (kind, value)


def figures(report: Report, derived: Derived) -> dict[str, Typed]:
    """Every path a placeholder may name → its kind and value (checked or derived)."""
    table: dict[str, Typed] = {}
    fields = type(report).model_fields
    for name, info in fields.items():
        if not name.startswith(_NOT_FIGURES):  # the text, the settings: not walked at all
            _walk(getattr(report, name), (name,), figure_kind(info), table)
    if report.previous is not None:  # last year's figures, for year-on-year text
        table["previous.year"] = (None, report.previous.year)
        for path, value in report.previous.figures.items():
            kind = figure_kind_at(type(report), path)
            if kind is not None:
                table[f"previous.{path}"] = (kind, value)

    for path, kind, computed, replace in derived_figures(report, derived):
        if replace or path not in table:
            table[path] = (kind, computed)
    table |= derived.table_figures  # the 自评表's, as it prints them (stated or computed)
    table["title"] = (None, report.title)
    # the years either side of the report's: “${next_year}年工作安排” moves with the year
    table["next_year"] = (None, report.year + 1)
    table["last_year"] = (None, report.year - 1)
    return table


def derived_figures(
    report: Report, derived: Derived
) -> list[tuple[str, FigureKind | None, object, bool]]:
    """The figures reportgen computes: path, kind, value, and whether the computed value is
    printed in place of a stated one (a derived rate is more precise than a stated one, which
    the rules matched with it; a stated total is checked and printed as stated)."""
    money, rate = FigureKind.MONEY, FigureKind.RATE
    found: list[tuple[str, FigureKind | None, object, bool]] = [
        ("budget.expenditure.total", money, derived.expenditure_total, False),
        ("budget.expenditure.basic.budget", money, derived.basic_budget, False),
        ("budget.expenditure.project.budget", money, derived.project_budget, False),
        ("budget.execution_rate", rate, derived.execution_rate, True),
        ("budget.expenditure.basic.execution_rate", rate, derived.basic_execution_rate, True),
        ("budget.expenditure.project.execution_rate", rate, derived.project_execution_rate, True),
        ("budget.expenditure.basic.share", rate, derived.basic_share, True),
        ("budget.expenditure.project.share", rate, derived.project_share, True),
        ("budget.total", money, derived.budget_base, False),
        ("budget.income.total", money, derived.income_total, False),
        *(
            (f"budget.income.sources[{i}].share", rate, share, True)
            for i, share in enumerate(derived.income_shares)
        ),
        ("key_tasks.total", money, derived.key_tasks_total, False),
        *(
            (f"indicators[{i}].rate", rate, completion, True)
            for i, completion in enumerate(derived.indicator_completion)
        ),
        ("budget.carryover.rate", rate, derived.carryover_rate, True),
    ]
    figures = [entry for entry in found if entry[2] is not None]
    figures.append(("score.grade", None, report.self_score.grade or derived.grade, True))
    return figures


def figure_table(report: Report, derived: Derived, thousands: bool = True) -> dict[str, str]:
    """Every path a placeholder may name → its printed value."""
    return {
        path: printed(kind, value, thousands)
        for path, (kind, value) in figures(report, derived).items()
    }


def table_figures(view: TableView) -> dict[str, Typed]:
    """What a ``${table.…}`` may name, by the path of the data it stands beside: each funds
    row (``table.funds.total.executed``, ``….rate``), the funds block's weight and score, each
    block's and group's weights and scores (``table.indicators[0].score``), each indicator's
    score and completion (``….items[0].rate``), and ``table.weight`` (总分), ``table.score``
    (自评得分), ``table.grade``: as the table prints them."""
    money, rate, score = FigureKind.MONEY, FigureKind.RATE, FigureKind.SCORE
    found: dict[str, Typed] = {}

    def put(path: str, kind: FigureKind | None, value: object) -> None:
        if value is not None:
            found[path] = (kind, value)

    funds = view.funds
    for row in (funds.total, *funds.rows):
        line = f"table.funds.{row.key}"
        put(f"{line}.initial", money, row.initial)
        put(f"{line}.adjusted", money, row.adjusted)
        put(f"{line}.executed", money, row.executed)
        put(f"{line}.rate", rate, row.rate)
    put("table.funds.weight", score, funds.weight)
    put("table.funds.score", score, funds.score)
    for block in view.blocks:
        parts: list[tuple[FieldPath, Decimal | None, Decimal | None]] = [
            (block.path, block.weight, block.score),
            *((group.path, group.weight, group.score) for group in block.groups),
        ]
        for at, weight, points in parts:
            put(f"{format_path(at)}.weight", score, weight)
            put(f"{format_path(at)}.score", score, points)
        for indicator in block.indicators:
            put(f"{format_path(indicator.path)}.score", score, indicator.score)
            put(f"{format_path(indicator.path)}.rate", rate, indicator.completion)
    put("table.weight", score, view.totals.weight)
    put("table.score", score, view.totals.final)
    put("table.grade", None, view.totals.grade)
    return found
