"""What a report's own figures say of the conventions the rules can be told of: the draft sets
them so that the report is checked as it was computed, and says why at the line.

The carry-over rate (结转结余率) is year-end carry-over ÷ spending by default; some reports divide
by the budget (BRIEF §3: the denominator is configurable, ``rules: carryover_denominator``).
Where the stated rate agrees with the budget as denominator and not with spending, the draft
says so; where it agrees with both or neither, it is left to the default, and a wrong rate is
still an error."""

from __future__ import annotations

from decimal import Decimal

from reportgen.check.rules.arithmetic import Agreement, rate_agreement
from reportgen.importer.facts import Fact
from reportgen.model import formatting
from reportgen.model.amounts import percent


def _amount(found: dict[str, Fact], path: str) -> Decimal | None:
    fact = found.get(path)
    return fact.value if fact is not None and isinstance(fact.value, Decimal) else None


def _spending(found: dict[str, Fact]) -> Decimal | None:
    total = _amount(found, "budget.expenditure.total")
    if total is not None:
        return total
    basic = _amount(found, "budget.expenditure.basic.amount")
    project = _amount(found, "budget.expenditure.project.amount")
    return basic + project if basic is not None and project is not None else None


def carryover_by_budget(found: dict[str, Fact]) -> str | None:
    """Why the report's carry-over rate is by the budget (a comment for the draft's line), or
    ``None`` when it is not shown to be."""
    rate = _amount(found, "budget.carryover.rate")
    year_end = _amount(found, "budget.carryover.year_end")
    spending = _spending(found)
    budget, label = _amount(found, "budget.adjusted"), "调整预算"
    if budget is None:
        budget, label = _amount(found, "budget.initial"), "年初预算"
    if rate is None or year_end is None or spending is None or budget is None:
        return None
    by_budget, by_spending = percent(year_end, budget), percent(year_end, spending)
    if by_budget is None or by_spending is None:
        return None
    if rate_agreement(rate, by_budget) is Agreement.WRONG:
        return None
    if rate_agreement(rate, by_spending) is not Agreement.WRONG:
        return None
    return (
        f"原文的结转结余率 {rate}% = 年末结转结余 {year_end} ÷ {label} {budget}"
        f"（按支出合计 {spending} 为 {formatting.percent(by_spending)}）"
    )
