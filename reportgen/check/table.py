"""The computed 自评表: the table's data scored by its profile — the contract of every output.

:func:`compute_table` turns a report's ``table:`` and its profile into a :class:`TableView` of
plain, frozen dataclasses holding ``Decimal`` figures (万元, percent, points) and text:

- ``header``: :class:`TableHeader` — unit, supervisor (主管部门), contact, phone, year, profile label.
- ``funds``: :class:`FundsBlock` — ``total`` (年度资金总额) and ``rows`` (本年财政拨款, 上年结转资金,
  其他资金 or 基本支出, 项目支出: only those published), each a :class:`FundsRow` with ``initial``
  (年初预算数), ``adjusted`` (全年预算数), ``executed`` (全年执行数) and ``rate`` (执行率 B/A);
  ``weight`` (分值) and ``score`` (得分) sit on the block, as on the total row of the form.
- ``goals``: :class:`GoalRow` — planned, adjusted, actual, reason.
- ``blocks``: :class:`BlockView` (一级) → ``groups`` :class:`GroupView` (二级) → ``indicators``
  :class:`IndicatorView` (三级) with ``target``/``adjusted_target``/``actual`` (``Decimal`` or a
  quality word), ``weight``, ``score`` (the score printed: stated when the data states it,
  else computed), ``computed_score``, ``completion`` (%), ``met``, ``deviation`` (偏离), ``core``,
  ``reason``; ``target_text``/``actual_text`` print them with sign and unit.
- ``components``: :class:`Component` per first-level block as scored (the funds block first when
  it is its own block) — what the report prints as ``score.components``.
- ``totals``: :class:`Totals` — ``weight`` (总分), ``score`` (before any cap), ``cap``,
  ``final`` (自评得分), ``grade``.
- ``profile``: the :class:`~reportgen.layout.profile.Profile` it was scored by.

Validation computes it once: ``validate_file(...).table`` (``None`` without ``table:``); the
report's indicators and score are filled in from it (check/fill.py), so both documents print
the same figures. One indicator is scored in check/scoring.py. Scores are kept at two decimals,
as printed, so the printed rows add up to the printed totals; figures are printed with
:mod:`reportgen.model.formatting`. Nothing here is checked: the rules
(check/rules/table_scores.py, table_content.py) compare what the data states with this.

Why one module: it is one contract, a dataclass per part of the form, and the map above is its
reference; the scoring itself is check/scoring.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportgen.check.derive import Line, budget_basis, expenditure_total, grade_in
from reportgen.check.scoring import HUNDRED, category_of, rounded, score_indicator
from reportgen.findings import FieldPath
from reportgen.layout.profile import Profile
from reportgen.model import formatting
from reportgen.model.amounts import percent
from reportgen.model.narrative import IndicatorCategory
from reportgen.model.report import Grade, Report
from reportgen.model.table import AssessmentTable, FundsLine

# The funds rows by source; by line, they are the expenditure's two lines (derive.Line).
SOURCES = (
    ("appropriation", "本年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
SOURCE_KEYS = tuple(key for key, _ in SOURCES)
LINE_KEYS = tuple(line.value for line in Line)
FUNDS_ROWS = (*SOURCES, *((line.value, line.label) for line in Line))


@dataclass(frozen=True)
class TableHeader:
    unit: str  # 单位名称
    supervisor: str | None  # 主管部门
    contact: str | None
    phone: str | None
    year: int
    profile: str  # the profile's name
    profile_label: str


@dataclass(frozen=True)
class FundsRow:
    key: str  # total | appropriation | carryover | other | basic | project
    label: str
    initial: Decimal | None
    adjusted: Decimal | None  # 全年预算数: stated, else the initial budget (not adjusted)
    executed: Decimal | None
    rate: Decimal | None  # executed ÷ adjusted, percent, unrounded
    path: FieldPath | None  # where the data states the row; None when taken from the budget


@dataclass(frozen=True)
class FundsBlock:
    total: FundsRow
    rows: tuple[FundsRow, ...]
    weight: Decimal | None  # 分值; None when the profile does not score the block
    score: Decimal | None  # the printed score: stated when stated, else computed
    computed_score: Decimal | None
    block: str  # the first-level block the score counts in
    reason: str | None


@dataclass(frozen=True)
class GoalRow:
    planned: str
    adjusted: str | None
    actual: str | None
    reason: str | None


@dataclass(frozen=True)
class IndicatorView:
    name: str
    category: IndicatorCategory
    nature: str  # 定量 | 定性
    sign: str | None
    target: Decimal | str | None
    adjusted_target: Decimal | str | None
    actual: Decimal | str | None
    unit: str | None
    approximate: bool
    weight: Decimal | None
    score: Decimal | None
    computed_score: Decimal | None
    completion: Decimal | None  # percent, unrounded; quantitative only
    met: bool | None  # None: cannot be told (a missing value, incomparable words)
    deviation: bool  # 偏离: ≥ the profile's threshold beyond the target
    core: bool
    reason: str | None
    path: FieldPath

    @property
    def target_text(self) -> str:
        return _value_text(self.target, self.sign, self.unit)

    @property
    def adjusted_target_text(self) -> str:
        return _value_text(self.adjusted_target, self.sign, self.unit)

    @property
    def actual_text(self) -> str:
        about = "约" if self.approximate and self.actual is not None else ""
        return about + _value_text(self.actual, None, self.unit)


@dataclass(frozen=True)
class GroupView:
    name: str
    indicators: tuple[IndicatorView, ...]
    weight: Decimal | None
    score: Decimal | None
    path: FieldPath


@dataclass(frozen=True)
class BlockView:
    name: str
    groups: tuple[GroupView, ...]
    weight: Decimal | None  # Σ of its indicators' weights
    score: Decimal | None  # Σ of its indicators' scores
    profile_weight: Decimal | None  # what the profile gives it; None: not one of its blocks
    path: FieldPath

    @property
    def indicators(self) -> tuple[IndicatorView, ...]:
        return tuple(i for g in self.groups for i in g.indicators)


@dataclass(frozen=True)
class Component:
    """A first-level block as scored: its indicators, plus the funds score where it counts."""

    name: str
    weight: Decimal | None
    score: Decimal | None


@dataclass(frozen=True)
class Totals:
    weight: Decimal  # 总分 as the table's weights add up
    score: Decimal | None  # Σ of the components, before any cap
    cap: Decimal | None  # the execution-rate cap that applies, if any
    final: Decimal | None  # 自评得分
    grade: Grade | None


@dataclass(frozen=True)
class TableView:
    header: TableHeader
    funds: FundsBlock
    goals: tuple[GoalRow, ...]
    blocks: tuple[BlockView, ...]
    components: tuple[Component, ...]
    totals: Totals
    profile: Profile

    @property
    def indicators(self) -> tuple[IndicatorView, ...]:
        return tuple(i for b in self.blocks for i in b.indicators)


def _value_text(value: Decimal | str | None, sign: str | None, unit: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{sign or ''}{formatting.quantity(value)}{unit or ''}"


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


# --- funds -----------------------------------------------------------------------------------


def _row(key: str, label: str, line: FundsLine, path: FieldPath | None) -> FundsRow:
    adjusted = line.adjusted if line.adjusted is not None else line.initial
    rate = None
    if line.executed is not None and adjusted is not None:
        rate = percent(line.executed, adjusted)
    return FundsRow(key, label, line.initial, adjusted, line.executed, rate, path)


def stated_rows(table: AssessmentTable) -> list[FundsRow]:
    """The rows the data states, in the form's order."""
    funds = table.funds
    if funds is None:
        return []
    rows = []
    for key, label in FUNDS_ROWS:
        line = getattr(funds, key)
        if line is not None:
            rows.append(_row(key, label, line, ("table", "funds", key)))
    return rows


def _budget_rows(report: Report) -> list[FundsRow]:
    """Without a funds block, the basic and project lines the budget publishes."""
    spent = report.budget.expenditure
    rows = []
    for line in Line:
        published = spent.basic if line is Line.BASIC else spent.project
        if published is not None:
            funds = FundsLine(initial=published.budget, executed=published.amount)
            rows.append(_row(line.value, line.label, funds, None))
    return rows


def funds_total(report: Report, rows: list[FundsRow]) -> FundsRow:
    """The total row: as stated, else the sum of the sources (or lines), else the budget's."""
    funds = report.table.funds if report.table is not None else None
    stated = funds.total if funds is not None else None
    budget = report.budget
    basis = budget_basis(budget)
    from_budget = FundsLine(
        initial=budget.initial,
        adjusted=basis.amount if basis is not None else None,
        executed=expenditure_total(budget),
    )
    sources = [r for r in rows if r.key in SOURCE_KEYS] or [r for r in rows if r.key in LINE_KEYS]
    summed = FundsLine(
        initial=_sum([r.initial for r in sources]),
        adjusted=_sum([r.adjusted for r in sources]),
        executed=_sum([r.executed for r in sources]),
    )

    def pick(field: str) -> Decimal | None:
        for line in (stated, summed if sources else None, from_budget):
            value = getattr(line, field) if line is not None else None
            if value is not None:
                return value  # type: ignore[no-any-return]
        return None

    line = FundsLine(initial=pick("initial"), adjusted=pick("adjusted"), executed=pick("executed"))
    return _row("total", "年度资金总额", line, ("table", "funds", "total") if stated else None)


def funds_score(weight: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """分值 × 执行率, not above 分值 (rule ``rate_capped``)."""
    if weight is None or rate is None:
        return None
    return rounded(min(weight, weight * rate / HUNDRED))


def _funds(report: Report, table: AssessmentTable, profile: Profile) -> FundsBlock:
    rows = stated_rows(table) if table.funds is not None else _budget_rows(report)
    total = funds_total(report, rows)
    computed = funds_score(profile.funds.weight, total.rate)
    stated = table.funds.score if table.funds is not None else None
    return FundsBlock(
        total=total,
        rows=tuple(rows),
        weight=profile.funds.weight,
        score=stated if stated is not None else computed,
        computed_score=computed,
        block=profile.funds.block,
        reason=table.funds.reason if table.funds is not None else None,
    )


def _blocks(table: AssessmentTable, profile: Profile) -> list[BlockView]:
    blocks = []
    for b, block in enumerate(table.indicators):
        groups = []
        for g, group in enumerate(block.items):
            views = []
            for i, indicator in enumerate(group.items):
                computed, rate, met, deviation = score_indicator(indicator, profile)
                views.append(
                    IndicatorView(
                        name=indicator.name,
                        category=category_of(group.name, block.name, profile),
                        nature="定量" if indicator.quantitative else "定性",
                        sign=indicator.sign if indicator.quantitative else None,
                        target=indicator.target,
                        adjusted_target=indicator.adjusted_target,
                        actual=indicator.actual,
                        unit=indicator.unit,
                        approximate=indicator.approximate,
                        weight=indicator.weight,
                        score=indicator.score if indicator.score is not None else computed,
                        computed_score=computed,
                        completion=rate,
                        met=met,
                        deviation=deviation,
                        core=indicator.core,
                        reason=indicator.reason,
                        path=("table", "indicators", b, "items", g, "items", i),
                    )
                )
            groups.append(
                GroupView(
                    name=group.name,
                    indicators=tuple(views),
                    weight=_sum([v.weight for v in views]),
                    score=_sum([v.score for v in views]),
                    path=("table", "indicators", b, "items", g),
                )
            )
        spec = profile.block(block.name)
        blocks.append(
            BlockView(
                name=block.name,
                groups=tuple(groups),
                weight=_sum([grp.weight for grp in groups]),
                score=_sum([grp.score for grp in groups]),
                profile_weight=spec.weight if spec is not None else None,
                path=("table", "indicators", b),
            )
        )
    return blocks


def _components(funds: FundsBlock, blocks: list[BlockView], profile: Profile) -> list[Component]:
    found: list[Component] = []
    if profile.funds_is_block:
        found.append(Component(funds.block, funds.weight, funds.score))
    for block in blocks:
        weight, score = block.weight, block.score
        if block.name == funds.block and funds.weight is not None:
            weight = _sum([weight, funds.weight])
            score = _sum([score, funds.score])
        found.append(Component(block.name, weight, score))
    return found


def cap_for(rate: Decimal | None, profile: Profile) -> Decimal | None:
    """The lowest cap whose band the execution rate falls in."""
    if rate is None:
        return None
    caps = [band.max for band in profile.switches.cap_by_execution if rate < band.below]
    return min(caps) if caps else None


def compute_table(report: Report, profile_name: str, profile: Profile) -> TableView | None:
    """The scored table of ``report`` under ``profile``; ``None`` when the data has no table."""
    table = report.table
    if table is None:
        return None
    funds = _funds(report, table, profile)
    blocks = _blocks(table, profile)
    components = _components(funds, blocks, profile)
    weight = sum((c.weight for c in components if c.weight is not None), Decimal(0))
    score = _sum([c.score for c in components]) if blocks else None
    cap = cap_for(funds.total.rate, profile)
    final = min(score, cap) if score is not None and cap is not None else score
    bands = profile.grade_bands
    if "grade_bands" in report.rules.model_fields_set:
        bands = report.rules.grade_bands
    return TableView(
        header=TableHeader(
            unit=report.department,
            supervisor=table.supervisor,
            contact=table.contact,
            phone=table.phone,
            year=report.year,
            profile=profile_name,
            profile_label=profile.label,
        ),
        funds=funds,
        goals=tuple(GoalRow(g.planned, g.adjusted, g.actual, g.reason) for g in table.goals),
        blocks=tuple(blocks),
        components=tuple(components),
        totals=Totals(
            weight=weight,
            score=score,
            cap=cap if cap is not None and score is not None and score > cap else None,
            final=final,
            grade=grade_in(final, bands) if final is not None else None,
        ),
        profile=profile,
    )
