"""Rules on the money: expenditure and income sums, execution rates, shares, carry-over.

Why one module: R101–R110 read one table (the budget) and share the helpers that name its figures'
paths and the derived line budgets; each rule is a short function.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.derive import Derived, Line
from reportgen.check.rules.arithmetic import check_rate, check_sum, found, plain, rate_out_of_range
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.findings import FieldPath, Finding, error
from reportgen.model import formatting
from reportgen.model.report import Report

rules = RuleSet()

EXPENDITURE = ("budget", "expenditure")
BASIC = (*EXPENDITURE, "basic", "amount")
PROJECT = (*EXPENDITURE, "project", "amount")


def _spending_paths(report: Report) -> list[FieldPath]:
    """The fields the total spending comes from: the stated total, or else its two parts."""
    if report.budget.expenditure.total is not None:
        return [(*EXPENDITURE, "total")]
    return [BASIC, PROJECT]


def _budget_paths(derived: Derived) -> list[FieldPath]:
    return [derived.basis.path] if derived.basis is not None else []


def _line_budget_paths(report: Report, derived: Derived, line: Line) -> list[FieldPath]:
    """A line's budget: stated, or derived from the total budget and the other line's budget."""
    if getattr(report.budget.expenditure, line).budget is not None:
        return [(*EXPENDITURE, line, "budget")]
    return [*_budget_paths(derived), (*EXPENDITURE, line.other, "budget")]


@rules.rule(
    "R101",
    "支出合计 = 基本支出 + 项目支出",
    examples=[Example("    total: 1140.00", "    total: 1140.05")],
    fix="核对支出合计、基本支出、项目支出三个数，改正写错的那个；"
    "也可以删去 total 这一行，由程序计算。差额的容许范围见文末“尾数误差”。",
)
def expenditure_total(report: Report, derived: Derived) -> Iterator[Finding]:
    spent = report.budget.expenditure
    if spent.basic is None or spent.project is None:  # the split is not published
        return
    yield from found(
        check_sum(
            "R101",
            (*EXPENDITURE, "total"),
            "支出合计",
            spent.total,
            [("基本支出", spent.basic.amount), ("项目支出", spent.project.amount)],
            related=[BASIC, PROJECT],
        )
    )


@rules.rule(
    "R102",
    "基本支出 = 人员经费 + 公用经费（分列时）",
    examples=[Example("personnel: {amount: 700.00", "personnel: {amount: 690.00")],
    fix="核对基本支出、人员经费、公用经费三个数，改正写错的那个。",
)
def basic_split(report: Report, derived: Derived) -> Iterator[Finding]:
    basic = report.budget.expenditure.basic
    if basic is None or basic.personnel is None or basic.public is None:
        return
    yield from found(
        check_sum(
            "R102",
            (*EXPENDITURE, "basic", "amount"),
            "基本支出",
            basic.amount,
            [("人员经费", basic.personnel.amount), ("公用经费", basic.public.amount)],
            related=[(*EXPENDITURE, "basic", k, "amount") for k in ("personnel", "public")],
        )
    )


@rules.rule(
    "R103",
    "收入合计 = 各收入来源之和",
    examples=[Example("    total: 1200.00", "    total: 1210.00")],
    fix="核对收入合计与各项收入，改正写错的数；也可以删去 income 下的 total，由程序计算。"
    "合计改正后，据它计算的占比（R104）随之相符。",
)
def income_total(report: Report, derived: Derived) -> Iterator[Finding]:
    income = report.budget.income
    if income is None or not income.sources:
        return
    yield from found(
        check_sum(
            "R103",
            ("budget", "income", "total"),
            "收入合计",
            income.total,
            [(s.name, s.amount) for s in income.sources],
            related=[
                ("budget", "income", "sources", i, "amount") for i in range(len(income.sources))
            ],
        )
    )


@rules.rule(
    "R104",
    "收入占比 = 来源金额 ÷ 收入合计",
    examples=[Example("        share: 91.67%", "        share: 90%")],
    fix="改为消息中“=”后的计算值，或删去 share，由程序计算。",
)
def income_shares(report: Report, derived: Derived) -> Iterator[Finding]:
    income = report.budget.income
    if income is None or derived.income_total is None:
        return
    for i, (source, share) in enumerate(zip(income.sources, derived.income_shares, strict=True)):
        yield from found(
            check_rate(
                "R104",
                ("budget", "income", "sources", i, "share"),
                f"{source.name}占比",
                source.share,
                share,
                f"{plain(source.amount)} ÷ 收入合计 {plain(derived.income_total)}",
                related=[
                    ("budget", "income", "sources", i, "amount"),
                    ("budget", "income", "total"),
                ],
            )
        )


@rules.rule(
    "R105",
    "预算 = 基本支出预算 + 项目支出预算（均给出时）",
    examples=[Example("      budget: 880.00", "      budget: 900.00")],
    fix="核对预算（有调整预算时为调整预算，否则为年初预算）与基本支出、项目支出各自的预算；"
    "也可以只写其中一项的预算，另一项由程序用预算减去它推算。",
)
def budget_lines(report: Report, derived: Derived) -> Iterator[Finding]:
    spent = report.budget.expenditure
    basis = derived.basis
    if basis is None or spent.basic is None or spent.project is None:
        return
    if spent.basic.budget is None or spent.project.budget is None:
        return
    yield from found(
        check_sum(
            "R105",
            basis.path,
            basis.label,
            basis.amount,
            [("基本支出预算", spent.basic.budget), ("项目支出预算", spent.project.budget)],
            related=[(*EXPENDITURE, "basic", "budget"), (*EXPENDITURE, "project", "budget")],
        )
    )


@rules.rule(
    "R106",
    "预算执行率 = 支出合计 ÷ 预算（有调整预算时用调整预算）",
    examples=[Example("  execution_rate: 95.00%", "  execution_rate: 96%")],
    fix="改为消息中“=”后的计算值，或删去 execution_rate，由程序计算。"
    "注意有调整预算（adjusted）时按调整预算计算。",
)
def execution_rate(report: Report, derived: Derived) -> Iterator[Finding]:
    basis = derived.basis
    if basis is None:
        return
    yield from found(
        check_rate(
            "R106",
            ("budget", "execution_rate"),
            "预算执行率",
            report.budget.execution_rate,
            derived.execution_rate,
            f"支出合计 {plain(derived.expenditure_total)} ÷ {basis.label} {plain(basis.amount)}",
            related=[*_spending_paths(report), basis.path],
        )
    )


@rules.rule(
    "R107",
    "基本支出、项目支出各自的执行率 = 支出 ÷ 该项预算",
    examples=[Example("      execution_rate: 93.75%", "      execution_rate: 90%")],
    fix="改为消息中“=”后的计算值，或删去该项的 execution_rate，由程序计算。",
)
def line_execution_rates(report: Report, derived: Derived) -> Iterator[Finding]:
    for line in Line:
        spent = getattr(report.budget.expenditure, line)
        line_budget = derived.line_budget(line)
        if spent is None or line_budget is None or line_budget <= 0:  # R109 says why no rate
            continue
        yield from found(
            check_rate(
                "R107",
                (*EXPENDITURE, line, "execution_rate"),
                f"{line.label}执行率",
                spent.execution_rate,
                derived.line_execution_rate(line),
                f"{line.label} {plain(spent.amount)} ÷ 预算 {plain(line_budget)}",
                related=[
                    (*EXPENDITURE, line, "amount"),
                    *_line_budget_paths(report, derived, line),
                ],
            )
        )


@rules.rule(
    "R108",
    "结转结余率 = 年末结转结余 ÷ 分母（默认支出合计），且不超过所写上限",
    examples=[
        Example("    rate: 1.00%", "    rate: 2%"),
        Example("    limit: 10%", "    limit: 0.5%", note="结转结余率超过所写的上限"),
    ],
    fix="改为消息中“=”后的计算值，或删去 rate，由程序计算；超过上限（limit）时核对年末结转结余。"
    "分母默认是支出合计，写 rules: {carryover_denominator: budget} 则为预算。",
)
def carryover(report: Report, derived: Derived) -> Iterator[Finding]:
    carry = report.budget.carryover
    if carry is None or derived.carryover_denominator is None:
        return
    denominator = derived.carryover_label
    formula = (
        f"年末结转结余 {plain(carry.year_end)} ÷ {denominator} "
        f"{plain(derived.carryover_denominator)}"
    )
    related = [
        ("budget", "carryover", "year_end"),
        *(_budget_paths(derived) if derived.carryover_by_budget else _spending_paths(report)),
    ]
    yield from found(
        check_rate(
            "R108",
            ("budget", "carryover", "rate"),
            "结转结余率",
            carry.rate,
            derived.carryover_rate,
            formula,
            related=related,
        )
    )
    rate = derived.carryover_rate
    if carry.limit is not None and rate is not None and rate > carry.limit:
        yield error(
            "R108",
            ("budget", "carryover", "limit"),
            f"结转结余率 {formatting.percent(rate)}（{formula}）超过所写上限 {carry.limit}%",
            expected=f"≤ {carry.limit}%",
            actual=formatting.percent(rate),
            related=related,
        )


def _derived_line_budget(report: Report, derived: Derived, key: Line) -> Iterator[Finding]:
    """A line's budget must be positive where it divides its spending, and never negative."""
    line = getattr(report.budget.expenditure, key)
    label, value = key.label, derived.line_budget(key)
    if value is None or derived.basis is None:
        return
    if line.budget is not None:  # stated: its range is the parser's; only zero can be wrong here
        if value == 0 and line.amount > 0:
            yield error(
                "R109",
                (*EXPENDITURE, key, "budget"),
                f"{label}预算为 0，而{label} {plain(line.amount)} 万元，无法计算执行率",
                related=[(*EXPENDITURE, key, "amount")],
            )
        return
    other_key, other_label = key.other, key.other.label
    other = getattr(report.budget.expenditure, other_key).budget
    formula = (
        f"{derived.basis.label} {plain(derived.basis.amount)} − {other_label}预算 {plain(other)}"
    )
    cause: FieldPath = (*EXPENDITURE, other_key, "budget")
    if value < 0:
        yield error(
            "R109",
            cause,
            f"{other_label}预算 {plain(other)} 大于{derived.basis.label} "
            f"{plain(derived.basis.amount)}：推算出的{label}预算 {formula} = {plain(value)}，"
            "为负数",
            expected=f"≤ {plain(derived.basis.amount)}",
            actual=plain(other),
            related=[derived.basis.path],
        )
    elif value == 0 and line.amount > 0:
        yield error(
            "R109",
            cause,
            f"推算出的{label}预算 {formula} = 0，而{label} {plain(line.amount)} 万元，"
            "无法计算执行率",
            related=[derived.basis.path, (*EXPENDITURE, key, "amount")],
        )


def _rate_in_range(
    path: FieldPath, label: str, rate: Decimal | None, formula: str, related: list[FieldPath]
) -> Iterator[Finding]:
    yield from found(
        rate_out_of_range("R109", path, f"推算出的{label}", rate, formula, "金额", related)
    )


@rules.rule(
    "R109",
    "推算出的预算、执行率、占比、结转结余率不为负、不以 0 作除数、不超出范围",
    examples=[Example("  adjusted: 1200.00", "  adjusted: 0")],
    fix="没有调整预算时删去 adjusted 这一行，不要写 0；推算出的数为负或过大时，"
    "核对相关金额的单位（万元）和小数点。",
)
def derived_ranges(report: Report, derived: Derived) -> Iterator[Finding]:
    budget, spent = report.budget, report.budget.expenditure
    basis = derived.basis
    if basis is not None:
        if basis.amount == 0 and derived.expenditure_total > 0:
            yield error(
                "R109",
                basis.path,
                f"{basis.label}为 0，而支出合计 {plain(derived.expenditure_total)} 万元，"
                "无法计算预算执行率",
                related=_spending_paths(report),
            )
        yield from _rate_in_range(
            basis.path,
            "预算执行率",
            derived.execution_rate,
            f"支出合计 {plain(derived.expenditure_total)} ÷ {basis.label} {plain(basis.amount)}",
            _spending_paths(report),
        )
    for key in Line:
        yield from _derived_line_budget(report, derived, key)
        value = derived.line_budget(key)
        if value is not None and value > 0:
            line = getattr(spent, key)
            yield from _rate_in_range(
                _line_budget_paths(report, derived, key)[0],
                f"{key.label}执行率",
                derived.line_execution_rate(key),
                f"{key.label} {plain(line.amount)} ÷ 预算 {plain(value)}",
                [(*EXPENDITURE, key, "amount")],
            )
    income = budget.income
    if income is not None and derived.income_total is not None:
        total_path: FieldPath = ("budget", "income", "total")
        if derived.income_total == 0:
            yield error(
                "R109",
                total_path if income.total is not None else ("budget", "income", "sources"),
                "收入合计为 0，无法计算各收入来源的占比",
            )
        for i, share in enumerate(derived.income_shares):
            if share is not None and share > 100:
                yield error(
                    "R109",
                    ("budget", "income", "sources", i, "amount"),
                    f"{income.sources[i].name} {plain(income.sources[i].amount)} 大于收入合计 "
                    f"{plain(derived.income_total)}，占比 {formatting.percent(share)} 超过 100%",
                    related=[total_path],
                )
    carry = budget.carryover
    if carry is not None and derived.carryover_denominator is not None:
        denominator = derived.carryover_label
        by_budget = derived.carryover_by_budget
        denominator_paths = _budget_paths(derived) if by_budget else _spending_paths(report)
        if derived.carryover_denominator == 0 and carry.year_end > 0:
            yield error(
                "R109",
                ("budget", "carryover", "year_end"),
                f"结转结余率的分母（{denominator}）为 0，无法计算结转结余率",
                related=denominator_paths,
            )
        yield from _rate_in_range(
            ("budget", "carryover", "year_end"),
            "结转结余率",
            derived.carryover_rate,
            f"年末结转结余 {plain(carry.year_end)} ÷ {denominator} "
            f"{plain(derived.carryover_denominator)}",
            denominator_paths,
        )


@rules.rule(
    "R110",
    "基本支出、项目支出占比 = 该项支出 ÷ 支出合计",
    examples=[
        Example(
            "      execution_rate: 93.75%\n",
            "      execution_rate: 93.75%\n      share: 30%\n",
        )
    ],
    fix="改为消息中“=”后的计算值，或删去该项的 share，由程序计算。",
)
def line_shares(report: Report, derived: Derived) -> Iterator[Finding]:
    total = derived.expenditure_total
    for line in Line:
        spent = getattr(report.budget.expenditure, line)
        if spent is None:
            continue
        if total == 0:
            if spent.share is not None:
                yield error(
                    "R110",
                    (*EXPENDITURE, line, "share"),
                    f"支出合计为 0，无法计算{line.label}占比（写的是 {formatting.percent(spent.share)}）",
                    related=_spending_paths(report),
                )
            continue
        yield from found(
            check_rate(
                "R110",
                (*EXPENDITURE, line, "share"),
                f"{line.label}占比",
                spent.share,
                derived.line_share(line),
                f"{line.label} {plain(spent.amount)} ÷ 支出合计 {plain(total)}",
                related=[(*EXPENDITURE, line, "amount"), *_spending_paths(report)],
            )
        )
