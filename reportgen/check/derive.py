"""Derived figures: every total, rate, share and grade computed from the figures it depends on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from reportgen.findings import FieldPath
from reportgen.model.amounts import FigureKind, percent
from reportgen.model.report import Budget, Grade, Indicator, Report, RuleSettings


class Line(StrEnum):
    """One of the two lines of the expenditure, by its key in the data (budget.expenditure.<key>)."""

    BASIC = "basic"
    PROJECT = "project"

    @property
    def label(self) -> str:
        return "基本支出" if self is Line.BASIC else "项目支出"

    @property
    def other(self) -> Line:
        return Line.PROJECT if self is Line.BASIC else Line.BASIC


@dataclass(frozen=True)
class BudgetBasis:
    """The budget a rate is measured against: the adjusted budget when given, else the initial."""

    key: Literal["adjusted", "initial"]
    label: str
    amount: Decimal

    @property
    def path(self) -> FieldPath:
        return ("budget", self.key)


def budget_basis(budget: Budget) -> BudgetBasis | None:
    if budget.adjusted is not None:
        return BudgetBasis("adjusted", "调整预算", budget.adjusted)
    if budget.initial is not None:
        return BudgetBasis("initial", "年初预算", budget.initial)
    return None


@dataclass(frozen=True, kw_only=True)
class Derived:
    """What the arithmetic says, independent of what the YAML states for the same figures."""

    expenditure_sum: Decimal | None  # None when basic and project are not both published
    expenditure_total: Decimal  # stated when given (it is checked), else the sum
    basic_split_sum: Decimal | None
    basis: BudgetBasis | None
    basic_budget: Decimal | None
    project_budget: Decimal | None
    budget_lines_sum: Decimal | None
    execution_rate: Decimal | None
    basic_execution_rate: Decimal | None
    project_execution_rate: Decimal | None
    basic_share: Decimal | None = None  # of the expenditure total
    project_share: Decimal | None = None
    income_sum: Decimal | None
    income_total: Decimal | None
    income_shares: list[Decimal | None] = field(default_factory=list)
    key_tasks_sum: Decimal | None = None
    key_tasks_total: Decimal | None = None
    indicator_rates: list[Decimal | None] = field(default_factory=list)  # computed only
    # what the report prints as each indicator's 完成率: computed when it can be, else stated
    indicator_completion: list[Decimal | None] = field(default_factory=list)
    components_score_sum: Decimal | None = None
    components_max_sum: Decimal | None = None
    grade: str
    carryover_denominator: Decimal | None = None
    carryover_by_budget: bool = False  # rules: carryover_denominator: budget (else expenditure)
    carryover_rate: Decimal | None = None
    # the 自评表's figures a ${table.…} may name, path → kind and value, as check/table.py
    # computes them (empty without a table)
    table_figures: Mapping[str, tuple[FigureKind | None, object]] = field(default_factory=dict)

    @property
    def budget_base(self) -> Decimal | None:
        return self.basis.amount if self.basis is not None else None

    @property
    def carryover_label(self) -> str:
        """What the carry-over rate is measured against, as messages name it."""
        return "预算" if self.carryover_by_budget else "支出合计"

    def line_budget(self, line: Line) -> Decimal | None:
        return self.basic_budget if line is Line.BASIC else self.project_budget

    def line_execution_rate(self, line: Line) -> Decimal | None:
        return self.basic_execution_rate if line is Line.BASIC else self.project_execution_rate

    def line_share(self, line: Line) -> Decimal | None:
        return self.basic_share if line is Line.BASIC else self.project_share


def grade_in(score: Decimal, bands: Mapping[Grade, Decimal]) -> Grade:
    """The grade whose band holds ``score``: the highest band whose lower bound it reaches."""
    for grade, lower in sorted(bands.items(), key=lambda kv: kv[1], reverse=True):
        if score >= lower:
            return grade
    return "差"


def grade_for(score: Decimal, settings: RuleSettings) -> str:
    return grade_in(score, settings.grade_bands)


def expenditure_total(budget: Budget) -> Decimal:
    """支出合计: stated when given (it is checked), else basic + project."""
    spent = budget.expenditure
    if spent.total is not None:
        return spent.total
    assert spent.basic and spent.project, "the model requires the total without both parts"
    return spent.basic.amount + spent.project.amount


def below_target(completion: Decimal | None) -> bool:
    """Whether an indicator whose 完成率 is ``completion`` fell short of its target."""
    return completion is not None and completion < 100


def indicator_rate(indicator: Indicator) -> Decimal | None:
    """完成率: actual ÷ target for a positive indicator, target ÷ actual for a “≤” one."""
    if indicator.target is None or indicator.actual is None:
        return None
    if indicator.direction == "positive":
        return percent(indicator.actual, indicator.target)
    return percent(indicator.target, indicator.actual)


def _line_budgets(budget: Budget, base: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """The budgets of 基本支出 and 项目支出: stated, or one the rest of the whole when only the
    other is stated (and only when both lines are published)."""
    basic, project = budget.expenditure.basic, budget.expenditure.project
    if basic is None or project is None:
        return (basic.budget if basic else None), (project.budget if project else None)
    if base is not None and basic.budget is None and project.budget is not None:
        return base - project.budget, project.budget
    if base is not None and basic.budget is not None and project.budget is None:
        return basic.budget, base - basic.budget
    return basic.budget, project.budget


def _income(budget: Budget) -> tuple[Decimal | None, Decimal | None, list[Decimal | None]]:
    """The sum of the income sources, the income total (stated, else that sum), the shares."""
    income = budget.income
    if income is None:
        return None, None, []
    income_sum = sum((s.amount for s in income.sources), Decimal(0)) if income.sources else None
    total = income.total if income.total is not None else income_sum
    shares = [percent(s.amount, total) for s in income.sources] if total is not None else []
    return income_sum, total, shares


def _key_tasks(report: Report) -> tuple[Decimal | None, Decimal | None]:
    """The sum of the key tasks' spending, and their total (stated, else that sum)."""
    if report.key_tasks is None:
        return None, None
    spendings = [t.spending for t in report.key_tasks.items if t.spending is not None]
    key_sum = sum(spendings, Decimal(0)) if spendings else None
    return key_sum, report.key_tasks.total if report.key_tasks.total is not None else key_sum


def _rate(amount: Decimal | None, base: Decimal | None) -> Decimal | None:
    return percent(amount, base) if amount is not None and base is not None else None


def derive(report: Report) -> Derived:
    budget = report.budget
    basic, project = budget.expenditure.basic, budget.expenditure.project
    total = expenditure_total(budget)
    basis = budget_basis(budget)
    base = basis.amount if basis is not None else None
    basic_budget, project_budget = _line_budgets(budget, base)
    lines_sum = None
    if basic and project and basic.budget is not None and project.budget is not None:
        lines_sum = basic.budget + project.budget
    income_sum, income_total, shares = _income(budget)
    key_sum, key_total = _key_tasks(report)
    carry_by_budget = report.rules.carryover_denominator == "budget"
    carry_denominator = base if carry_by_budget else total
    carry_year_end = budget.carryover.year_end if budget.carryover is not None else None
    components = report.self_score.components
    rates = [indicator_rate(i) for i in report.indicators]
    return Derived(
        expenditure_sum=basic.amount + project.amount if basic and project else None,
        expenditure_total=total,
        basic_split_sum=(
            basic.personnel.amount + basic.public.amount
            if basic is not None and basic.personnel is not None and basic.public is not None
            else None
        ),
        basis=basis,
        basic_budget=basic_budget,
        project_budget=project_budget,
        budget_lines_sum=lines_sum,
        execution_rate=_rate(total, base),
        basic_execution_rate=_rate(basic.amount if basic else None, basic_budget),
        project_execution_rate=_rate(project.amount if project else None, project_budget),
        basic_share=_rate(basic.amount if basic else None, total),
        project_share=_rate(project.amount if project else None, total),
        income_sum=income_sum,
        income_total=income_total,
        income_shares=shares,
        key_tasks_sum=key_sum,
        key_tasks_total=key_total,
        indicator_rates=rates,
        indicator_completion=[
            computed if computed is not None else indicator.rate
            for indicator, computed in zip(report.indicators, rates, strict=True)
        ],
        components_score_sum=sum((c.score for c in components), Decimal(0)) if components else None,
        components_max_sum=(
            sum((c.max for c in components if c.max is not None), Decimal(0))
            if components and all(c.max is not None for c in components)
            else None
        ),
        grade=grade_for(report.self_score.total, report.rules),
        carryover_denominator=carry_denominator,
        carryover_by_budget=carry_by_budget,
        carryover_rate=_rate(carry_year_end, carry_denominator),
    )
