"""The arithmetic and completeness rules; each is a small function registered with a stable code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reportgen.derive import Derived
from reportgen.findings import Finding
from reportgen.model import Report

RuleFunction = Callable[[Report, Derived], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    summary: str
    check: RuleFunction


RULES: dict[str, Rule] = {}


def rule(code: str, summary: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``check`` under ``code``; codes are stable and documented in docs/rules.md."""

    def register(check: RuleFunction) -> RuleFunction:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, summary, check)
        return check

    return register


def run_rules(report: Report, derived: Derived) -> Iterator[Finding]:
    for registered in RULES.values():
        yield from registered.check(report, derived)


# Importing the modules registers their rules.
from reportgen.rules import budget, content, evaluation  # noqa: E402, F401
