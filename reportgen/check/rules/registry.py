"""What a rule is: its code, summary, check, failing examples and fix; a module's rules in the
order it defines them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reportgen.check.derive import Derived
from reportgen.check.table import TableView
from reportgen.findings import Finding
from reportgen.layout.search import LayoutChoice
from reportgen.model.report import Report

RuleFunction = Callable[[Report, Derived], Iterable[Finding]]
# Rules on the outline read the layout the report is printed in, beside the figures.
OutlineRuleFunction = Callable[[Report, Derived, LayoutChoice], Iterable[Finding]]
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


class RuleSet:
    """The rules of one module, in the order it defines them; codes are stable and documented in
    docs/rules.md with the ``examples`` that fail each rule and its ``fix``."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def rule(
        self, code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
    ) -> Callable[[RuleFunction], RuleFunction]:
        """Define the rule ``code`` on the figures."""

        def define(check: RuleFunction) -> RuleFunction:
            self.rules.append(Rule(code, summary, check=check, examples=tuple(examples), fix=fix))
            return check

        return define

    def outline_rule(
        self, code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
    ) -> Callable[[OutlineRuleFunction], OutlineRuleFunction]:
        """Define the rule ``code`` on the outline, as :meth:`rule` does."""

        def define(check: OutlineRuleFunction) -> OutlineRuleFunction:
            self.rules.append(
                Rule(code, summary, check_outline=check, examples=tuple(examples), fix=fix)
            )
            return check

        return define

    def table_rule(
        self, code: str, summary: str, *, examples: Sequence[Example] = (), fix: str = ""
    ) -> Callable[[TableRuleFunction], TableRuleFunction]:
        """Define the rule ``code`` on the 自评表, as :meth:`rule` does."""

        def define(check: TableRuleFunction) -> TableRuleFunction:
            self.rules.append(
                Rule(code, summary, check_table=check, examples=tuple(examples), fix=fix)
            )
            return check

        return define


def catalogue(*sets: RuleSet) -> dict[str, Rule]:
    """Code → rule for every rule of ``sets``, in order; a code defined twice is a bug."""
    found: dict[str, Rule] = {}
    for rule_set in sets:
        for defined in rule_set.rules:
            if defined.code in found:
                raise ValueError(f"duplicate rule code {defined.code}")
            found[defined.code] = defined
    return found
