"""What the 自评表's template sees: the computed table (check/table.py) as printed text.

Every figure is printed here, by :mod:`reportgen.model.formatting`, as the report prints it;
the template only places text. A block the data does not hold is ``None`` (or an empty list)
so that ``{%p if funds %}`` leaves it out; an unpublished cell is an empty string.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from reportgen.check.figures import figure_table
from reportgen.check.table import FundsRow, GoalRow, IndicatorView, TableView
from reportgen.check.validate import Validation
from reportgen.context.fields import ContextModel, TemplateContext
from reportgen.model import formatting
from reportgen.model.placeholders import substitute

TABLE_TITLE_SUFFIX = "部门整体支出绩效自评表"


def _money(value: Decimal | None, thousands: bool) -> str:
    return "" if value is None else formatting.money(value, thousands)


def _percent(value: Decimal | None) -> str:
    return "" if value is None else formatting.percent(value)


def _score(value: Decimal | None) -> str:
    return "" if value is None else formatting.score(value)


class FundsLineText(ContextModel):
    label: str = Field(
        description="资金来源：年度资金总额、本年财政拨款、上年结转资金、其他资金（或基本支出、项目支出）"
    )
    initial: str = Field(description="年初预算数（万元）；未公布时为空")
    adjusted: str = Field(description="全年预算数（A，万元）；未调整时同年初预算数")
    executed: str = Field(description="全年执行数（B，万元）")
    weight: str = Field(description="分值；只在“年度资金总额”一行")
    rate: str = Field(description="执行率（B/A），如 97.89%")
    score: str = Field(description="得分；只在“年度资金总额”一行")


class GoalText(ContextModel):
    number: int = Field(description="序号，从 1 起")
    planned: str = Field(description="预期目标")
    adjusted: str = Field(description="全年（调整）目标；没有时为空")
    actual: str = Field(description="实际完成情况")
    reason: str = Field(description="未完成原因；没有时为空")


class IndicatorText(ContextModel):
    level1: str = Field(
        description="一级指标；用 {{ row.level1|merged }} 输出时与上一行相同的单元格合并"
    )
    level2: str = Field(
        description="二级指标；用 {{ row.level2|merged }} 输出时同一一级指标下相同的合并"
    )
    name: str = Field(description="三级指标")
    nature: str = Field(description="指标性质：定量 / 定性")
    target: str = Field(description="年度指标值，含符号和单位，如 ≥80人次")
    adjusted_target: str = Field(description="调整后的指标值；没有时为空")
    actual: str = Field(description="实际完成值，含单位")
    weight: str = Field(description="分值")
    score: str = Field(description="得分（按评分方案计算，或数据中写明并经核对）")
    core: str = Field(description="是否核心指标：是 / 否")
    reason: str = Field(description="偏差原因分析及改进措施；没有时为空")


class HeaderText(ContextModel):
    unit: str = Field(description="单位名称")
    supervisor: str = Field(description="主管部门；没有时为空")
    contact: str = Field(description="联系人；没有时为空")
    phone: str = Field(description="联系电话；没有时为空")
    year: int = Field(description="年度")


class TotalsText(ContextModel):
    weight: str = Field(description="总分（各项分值之和，通常为 100）")
    score: str = Field(description="各项得分之和（封顶前）")
    final: str = Field(description="自评得分（按执行率封顶后，与报告所印相同）")
    grade: str = Field(description="自评等级：优 / 良 / 中 / 差")
    note: str = Field(description="自评得分低于各项之和时的说明（执行率封顶）；否则为空")


class FundsText(ContextModel):
    rows: list[FundsLineText] = Field(
        description="预算执行情况各行，第一行为年度资金总额；未公布的来源不在其中"
    )
    reason: str = Field(description="执行率偏低或调整预算的原因；没有时为空")


class TableContext(ContextModel):
    """What the 自评表's template can use."""

    attachment: str | None = Field(description="附件标签，如“附件3”；没有时为空")
    title: str = Field(description="完整标题：YYYY年度<部门名称>部门整体支出绩效自评表")
    year: int = Field(description="年度")
    department: str = Field(description="部门名称")
    profile: str = Field(description="评分方案的名称")
    header: HeaderText = Field(description="表头：单位名称、主管部门、联系人、联系电话")
    funds: FundsText | None = Field(description="预算执行情况；数据中没有资金数字时为空")
    goals: list[GoalText] = Field(description="年度总体目标各行；没有时为空列表")
    indicators: list[IndicatorText] = Field(
        description="绩效指标各行（一级、二级、三级指标按顺序展开），"
        "用 {%tr for row in indicators %} 输出"
    )
    totals: TotalsText = Field(description="总分、自评得分、等级")
    money_thousands: bool = Field(
        description="金额是否用千位分隔符（随版式与数据的 printing 设置）"
    )
    # what the trial render of ``template check`` asks of any context: a table has no
    # sections, paragraphs or ${…} figures
    figures: ClassVar[dict[str, str]] = {}
    sections: ClassVar[dict[str, Any]] = {}
    paragraphs: ClassVar[dict[str, Any]] = {}

    def as_mapping(self) -> dict[str, Any]:
        """The context as docxtpl wants it: a mapping of the top-level names."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    def left_out(self, printed: set[int], read: set[str]) -> list[str]:
        """Nothing of a table is printed by paragraph id: the render itself shows what is lost."""
        return []


def table_title(year: int, department: str) -> str:
    return f"{year}年度{department}{TABLE_TITLE_SUFFIX}"


def _funds_line(row: FundsRow, thousands: bool, weight: str = "", score: str = "") -> FundsLineText:
    return FundsLineText(
        label=row.label,
        initial=_money(row.initial, thousands),
        adjusted=_money(row.adjusted, thousands),
        executed=_money(row.executed, thousands),
        weight=weight,
        rate=_percent(row.rate),
        score=score,
    )


def _indicator(block: str, group: str, indicator: IndicatorView) -> IndicatorText:
    return IndicatorText(
        level1=block,
        level2=group,
        name=indicator.name,
        nature=indicator.nature,
        target=indicator.target_text,
        adjusted_target=indicator.adjusted_target_text,
        actual=indicator.actual_text,
        weight=_score(indicator.weight),
        score=_score(indicator.score),
        core="是" if indicator.core else "否",
        reason=indicator.reason or "",
    )


def build_table_context(
    view: TableView, *, attachment: str | None = None, money_thousands: bool = True
) -> TableContext:
    """The 自评表's template context for ``view``."""
    funds = view.funds
    rows = [_funds_line(funds.total, money_thousands, _score(funds.weight), _score(funds.score))]
    rows += [_funds_line(row, money_thousands) for row in funds.rows]
    has_funds = any(r.initial or r.adjusted or r.executed for r in rows)
    totals = view.totals
    note = ""
    if totals.cap is not None and totals.score is not None:
        note = (
            f"各项得分合计 {formatting.score(totals.score)} 分，"
            f"因预算执行率按评分方案封顶为 {formatting.score(totals.cap)} 分"
        )
    header = view.header
    return TableContext(
        attachment=attachment,
        title=table_title(header.year, header.unit),
        year=header.year,
        department=header.unit,
        profile=header.profile_label,
        header=HeaderText(
            unit=header.unit,
            supervisor=header.supervisor or "",
            contact=header.contact or "",
            phone=header.phone or "",
            year=header.year,
        ),
        funds=FundsText(rows=rows, reason=funds.reason or "") if has_funds else None,
        goals=[
            GoalText(
                number=n,
                planned=g.planned,
                adjusted=g.adjusted or "",
                actual=g.actual or "",
                reason=g.reason or "",
            )
            for n, g in enumerate(view.goals, 1)
        ],
        indicators=[
            _indicator(block.name, group.name, indicator)
            for block in view.blocks
            for group in block.groups
            for indicator in group.indicators
        ],
        money_thousands=money_thousands,
        totals=TotalsText(
            weight=_score(totals.weight),
            score=_score(totals.score),
            final=_score(totals.final),
            grade=totals.grade or "",
            note=note,
        ),
    )


def printed_view(validation: Validation) -> TableView:
    """The table of a validated report with the ``${…}`` of its text (names, goals, reasons,
    header) filled in, as the report's text is: what both the .docx and the .xlsx print."""
    view, report, derived, choice = (
        validation.table,
        validation.report,
        validation.derived,
        validation.choice,
    )
    assert view is not None and report is not None and derived is not None
    assert choice is not None and choice.plan is not None
    figures = figure_table(report, derived, choice.plan.money_thousands)

    def fill(text: str | None) -> str | None:
        return None if text is None else substitute(text, figures)

    def filled(indicator: IndicatorView) -> IndicatorView:
        return replace(indicator, name=fill(indicator.name) or "", reason=fill(indicator.reason))

    return replace(
        view,
        header=replace(
            view.header,
            supervisor=fill(view.header.supervisor),
            contact=fill(view.header.contact),
            phone=fill(view.header.phone),
        ),
        funds=replace(view.funds, reason=fill(view.funds.reason)),
        goals=tuple(
            GoalRow(fill(g.planned) or "", fill(g.adjusted), fill(g.actual), fill(g.reason))
            for g in view.goals
        ),
        blocks=tuple(
            replace(
                block,
                name=fill(block.name) or "",
                groups=tuple(
                    replace(
                        group,
                        name=fill(group.name) or "",
                        indicators=tuple(filled(i) for i in group.indicators),
                    )
                    for group in block.groups
                ),
            )
            for block in view.blocks
        ),
    )


def table_context_of(validation: Validation) -> TableContext:
    """The context of a validated report that has a table, printed as its report is."""
    choice = validation.choice
    assert validation.table is not None and choice is not None and choice.plan is not None
    return build_table_context(
        printed_view(validation), money_thousands=choice.plan.money_thousands
    )


# what ``template check`` tries a template with: a report's context or a table's
TrialContext = TemplateContext | TableContext
