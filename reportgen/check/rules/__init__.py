"""The arithmetic and completeness rules; each is a small function registered with a stable code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from reportgen.check.derive import Derived
from reportgen.check.table import TableView
from reportgen.findings import Finding
from reportgen.layout.search import LayoutChoice
from reportgen.model.report import Report

RuleFunction = Callable[[Report, Derived], Iterable[Finding]]
# Rules on the outline read the layout the report is printed in instead of the figures.
OutlineRuleFunction = Callable[[Report, LayoutChoice], Iterable[Finding]]
# Rules on the 自评表 read it as computed (check/table.py), beside the data as written.
TableRuleFunction = Callable[[Report, TableView], Iterable[Finding]]


@dataclass(frozen=True)
class Example:
    """A failing input for docs/rules.md: ``before``, which occurs exactly once in
    reportgen/samples/complete.yaml, becomes ``after``. With ``whole=True`` the file is
    ``after`` alone. ``note`` says in Chinese what the YAML cannot show (a tab).
    tests/test_rules_doc.py checks that it prints what the page shows."""

    before: str
    after: str
    whole: bool = False
    note: str = ""
    sample: str = "complete.yaml"  # the file of reportgen/samples/ the example changes

    def apply(self, sample: str) -> str:
        if self.whole:
            return self.after
        if sample.count(self.before) != 1:
            raise ValueError(f"{self.before!r} is not found exactly once in the sample")
        return sample.replace(self.before, self.after)


@dataclass(frozen=True)
class Rule:
    code: str
    summary: str
    check: RuleFunction | None = None
    check_outline: OutlineRuleFunction | None = None
    check_table: TableRuleFunction | None = None
    examples: tuple[Example, ...] = ()
    fix: str = ""  # how to fix a finding, in Chinese


RULES: dict[str, Rule] = {}


def _register(registered: Rule) -> None:
    if registered.code in RULES:
        raise ValueError(f"duplicate rule code {registered.code}")
    RULES[registered.code] = registered


def rule(
    code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``check`` under ``code``; codes are stable and documented in docs/rules.md
    with ``examples`` that fail the rule and the ``fix``."""

    def register(check: RuleFunction) -> RuleFunction:
        _register(Rule(code, summary, check=check, examples=tuple(examples), fix=fix))
        return check

    return register


def outline_rule(
    code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
) -> Callable[[OutlineRuleFunction], OutlineRuleFunction]:
    """Register a rule on the outline under ``code``, as :func:`rule` does."""

    def register(check: OutlineRuleFunction) -> OutlineRuleFunction:
        _register(Rule(code, summary, check_outline=check, examples=tuple(examples), fix=fix))
        return check

    return register


def table_rule(
    code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
) -> Callable[[TableRuleFunction], TableRuleFunction]:
    """Register a rule on the 自评表 under ``code``, as :func:`rule` does."""

    def register(check: TableRuleFunction) -> TableRuleFunction:
        _register(Rule(code, summary, check_table=check, examples=tuple(examples), fix=fix))
        return check

    return register


def run_rules(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    for registered in RULES.values():
        if registered.check is not None:
            yield from registered.check(report, derived)
        if registered.check_outline is not None:
            yield from registered.check_outline(report, choice)


def run_table_rules(report: Report, view: TableView) -> Iterator[Finding]:
    """The 自评表's rules on ``report`` as written and its table as computed."""
    for registered in RULES.values():
        if registered.check_table is not None:
            yield from registered.check_table(report, view)


# Importing the modules registers their rules.
from reportgen.check.rules import (  # noqa: E402, F401
    budget,
    carried,
    content,
    evaluation,
    sections,
    table_content,
    table_scores,
)
