"""The arithmetic and completeness rules; each is a small function registered with a stable code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reportgen.derive import Derived
from reportgen.findings import Finding
from reportgen.layouts import LayoutChoice
from reportgen.model import Report

RuleFunction = Callable[[Report, Derived], Iterable[Finding]]
# Rules on the outline read the layout the report is printed in instead of the figures.
OutlineRuleFunction = Callable[[Report, LayoutChoice], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    summary: str
    check: RuleFunction | None = None
    check_outline: OutlineRuleFunction | None = None


RULES: dict[str, Rule] = {}


def rule(code: str, summary: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``check`` under ``code``; codes are stable and documented in docs/rules.md."""

    def register(check: RuleFunction) -> RuleFunction:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, summary, check)
        return check

    return register


def outline_rule(code: str, summary: str) -> Callable[[OutlineRuleFunction], OutlineRuleFunction]:
    """Register a rule on the outline under ``code``, as :func:`rule` does."""

    def register(check: OutlineRuleFunction) -> OutlineRuleFunction:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, summary, check_outline=check)
        return check

    return register


def run_rules(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    for registered in RULES.values():
        if registered.check is not None:
            yield from registered.check(report, derived)
        if registered.check_outline is not None:
            yield from registered.check_outline(report, choice)


# Importing the modules registers their rules.
from reportgen.rules import budget, content, evaluation, sections  # noqa: E402, F401
