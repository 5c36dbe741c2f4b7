"""The report's figures from its table: the indicators and the score the data leaves out are
taken from the computed 自评表, so the report and the table print the same numbers."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError

from reportgen.check.table import IndicatorView, TableView
from reportgen.findings import Finding
from reportgen.layout.profile import Profile
from reportgen.model.amounts import MAX_RATE
from reportgen.model.report import Indicator, Report, ScoreComponent, SelfScore


@dataclass(frozen=True)
class Filled:
    """The report as printed, and the parts of it that came from the table."""

    report: Report
    roots: frozenset[str]  # top-level keys filled in: "indicators", "score"

    def from_table(self, finding: Finding) -> bool:
        """A finding on a figure the table filled in: the table's rules check it at its source."""
        return bool(finding.path) and finding.path[0] in self.roots


def _indicator(view: IndicatorView) -> Indicator:
    quantitative = view.nature == "定量"
    target = view.adjusted_target if view.adjusted_target is not None else view.target
    rate = view.completion
    if not quantitative:
        rate = Decimal(100) if view.met else None
    return Indicator(
        name=view.name,
        category=view.category,
        target=target if quantitative and isinstance(target, Decimal) else None,
        actual=view.actual if quantitative and isinstance(view.actual, Decimal) else None,
        unit=view.unit,
        approximate=view.approximate,
        direction="negative" if view.sign in ("≤", "<") else "positive",
        rate=rate if rate is not None and rate <= MAX_RATE else None,
        reason=view.reason,
        max_score=view.weight,
        score=view.score,
    )


def fill_from_table(report: Report, view: TableView | None, profile: Profile | None) -> Filled:
    """``report`` with what its table provides and the data does not write."""
    if view is None or profile is None:
        return Filled(report, frozenset())
    update: dict[str, object] = {}
    roots: set[str] = set()
    # A table whose figures break the report's bounds (a score above 100 from weights that do
    # not add up) fills nothing: its rules say what is wrong.
    with contextlib.suppress(ValidationError):
        if view.blocks and not report.indicators:
            update["indicators"] = [_indicator(i) for i in view.indicators]
            roots.add("indicators")
    with contextlib.suppress(ValidationError):
        components = [
            ScoreComponent(name=c.name, score=c.score, max=c.weight)
            for c in view.components
            if c.score is not None
        ]
        complete = view.blocks and len(components) == len(view.components)
        if report.score is None and complete and view.totals.final is not None:
            update["score"] = SelfScore(total=view.totals.final, components=components)
            roots.add("score")
        elif report.score is not None and not report.score.components and complete:
            update["score"] = report.score.model_copy(update={"components": components})
            roots.add("score")
    if "grade_bands" not in report.rules.model_fields_set:
        update["rules"] = report.rules.model_copy(update={"grade_bands": profile.grade_bands})
    return Filled(report.model_copy(update=update), frozenset(roots))
