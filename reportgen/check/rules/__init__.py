"""The arithmetic and completeness rules, each a small function with a stable code; ``RULES`` is
their catalogue, in the order they run (each module's rules in the order it defines them)."""

from __future__ import annotations

from collections.abc import Iterator

from reportgen.check.derive import Derived
from reportgen.check.rules import (
    budget,
    carried,
    content,
    evaluation,
    sections,
    starter,
    table_content,
    table_scores,
)
from reportgen.check.rules.registry import Example, Rule, catalogue
from reportgen.check.table import TableView
from reportgen.findings import Finding
from reportgen.layout.search import LayoutChoice
from reportgen.model.report import Report

RULES: dict[str, Rule] = catalogue(
    budget.rules,
    content.rules,
    carried.rules,
    starter.rules,
    evaluation.rules,
    sections.rules,
    table_content.rules,
    table_scores.rules,
)


def run_rules(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    for registered in RULES.values():
        if registered.check is not None:
            yield from registered.check(report, derived)
        if registered.check_outline is not None:
            yield from registered.check_outline(report, derived, choice)


def run_table_rules(report: Report, view: TableView) -> Iterator[Finding]:
    """The 自评表's rules on ``report`` as written and its table as computed."""
    for registered in RULES.values():
        if registered.check_table is not None:
            yield from registered.check_table(report, view)


__all__ = ["RULES", "Example", "Rule", "run_rules", "run_table_rules"]
