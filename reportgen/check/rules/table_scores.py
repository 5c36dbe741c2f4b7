"""Rules on the 自评表's scores: stated against computed, weights against the profile, the cap."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.rules.arithmetic import check_score, found
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.check.table import IndicatorView, TableView
from reportgen.findings import Finding, error, warning
from reportgen.model import formatting
from reportgen.model.formatting import score as fmt_score
from reportgen.model.report import Report

rules = RuleSet()

TABLE = "table.yaml"


def _formula(view: IndicatorView) -> str:
    weight = fmt_score(view.weight or Decimal(0))
    if view.met:
        return f"分值 {weight}（已达到目标，得满分）"
    if view.completion is None:
        return f"分值 {weight}（未达到目标）"
    return f"分值 {weight} × 完成率 {formatting.percent(min(view.completion, Decimal(100)))}"


@rules.table_rule(
    "R301",
    "自评表中写出的得分 = 按评分方案计算的得分（指标：达到目标得满分，未达到按完成率；"
    "预算执行：分值 × 执行率，不超过分值）",
    examples=[
        Example("weight: 10, score: 9, reason", "weight: 10, score: 10, reason", sample=TABLE)
    ],
    fix="改为消息中“=”后的计算值，或删去 score，由程序按评分方案计算。",
)
def stated_scores(report: Report, view: TableView) -> Iterator[Finding]:
    funds = view.funds
    if funds.weight is not None and funds.total.rate is not None:
        rate = formatting.percent(funds.total.rate)
        yield from found(
            check_score(
                "R301",
                ("table", "funds", "score"),
                "预算执行得分",
                funds.score,
                funds.computed_score,
                f"分值 {fmt_score(funds.weight)} × 执行率 {rate}（不超过分值）",
            )
        )
    for indicator in view.indicators:
        if indicator.weight is None or indicator.computed_score is None:
            continue
        yield from found(
            check_score(
                "R301",
                (*indicator.path, "score"),
                f"“{indicator.name}”得分",
                indicator.score,
                indicator.computed_score,
                _formula(indicator),
                related=[(*indicator.path, "actual"), (*indicator.path, "target")],
            )
        )


@rules.table_rule(
    "R302",
    "分值之和等于评分方案的总分，各一级指标的分值等于方案规定的分值，每个三级指标都有分值",
    examples=[
        Example(
            'actual: 95, unit: "%", weight: 10', 'actual: 95, unit: "%", weight: 15', sample=TABLE
        )
    ],
    fix="按评分方案调整各三级指标的分值（weight），使各一级指标的分值合计与方案相同；"
    "方案不同时，在版式大纲或 table 中写 profile 换用别的评分方案。",
)
def weights(report: Report, view: TableView) -> Iterator[Finding]:
    if not view.blocks:
        return
    for indicator in view.indicators:
        if indicator.weight is None:
            yield error("R302", indicator.path, f"“{indicator.name}”没有写分值（weight）")
    if any(i.weight is None for i in view.indicators):
        return
    funds = view.funds
    for block in view.blocks:
        expected = block.profile_weight
        if expected is None or block.weight is None:
            continue
        if block.name == funds.block and funds.weight is not None:
            expected -= funds.weight
        if block.weight != expected:
            yield error(
                "R302",
                block.path,
                f"“{block.name}”各三级指标分值之和为 {fmt_score(block.weight)}，"
                f"评分方案为 {fmt_score(expected)}",
                expected=fmt_score(expected),
                actual=fmt_score(block.weight),
            )
    total = view.profile.total
    if view.totals.weight != total:
        yield error(
            "R302",
            ("table", "indicators"),
            f"自评表分值合计 {fmt_score(view.totals.weight)} ≠ 评分方案总分 {fmt_score(total)}",
            expected=fmt_score(total),
            actual=fmt_score(view.totals.weight),
        )


@rules.table_rule(
    "R303",
    "写出的自评得分和一级指标得分 = 自评表计算的得分",
    examples=[Example("\ntable:\n", "\nscore:\n  total: 95\ntable:\n", sample=TABLE)],
    fix="删去 score（由自评表计算），或改为消息中“=”后的计算值。",
)
def self_score(report: Report, view: TableView) -> Iterator[Finding]:
    if not view.blocks:
        return
    parts = " + ".join(f"{c.name} {fmt_score(c.score)}" for c in view.components if c.score)
    capped = f"（按执行率封顶为 {fmt_score(view.totals.cap)}）" if view.totals.cap else ""
    printed = report.table.score if report.table is not None else None
    yield from found(
        check_score(
            "R303",
            ("table", "score"),
            "自评表的自评得分",
            printed,
            view.totals.final,
            f"{parts}{capped}",
        )
    )
    score = report.score
    if score is None:
        return
    yield from found(
        check_score(
            "R303",
            ("score", "total"),
            "自评得分",
            score.total,
            view.totals.final,
            f"自评表 {parts}{capped}",
        )
    )
    # “产出” for 产出指标: a report may name a first-level block without its “指标”
    computed = {c.name.removesuffix("指标"): c for c in view.components}
    for i, component in enumerate(score.components):
        table = computed.get(component.name.removesuffix("指标"))
        if table is None:
            names = "、".join(c.name for c in view.components)
            yield error(
                "R303",
                ("score", "components", i, "name"),
                f"自评表中没有一级指标“{component.name}”；自评表的一级指标：{names}",
            )
            continue
        yield from found(
            check_score(
                "R303",
                ("score", "components", i, "score"),
                f"{component.name}得分",
                component.score,
                table.score,
                "自评表中该一级指标的得分",
            )
        )


@rules.table_rule(
    "R307",
    "执行率低于评分方案规定的档次时，总分不超过该档的上限（按执行率封顶）",
    examples=[Example("profile: national", "profile: provincial", sample=TABLE)],
    fix="这是评分方案的规定：总分已按上限计算。写出的自评得分（score.total）不能超过上限。",
)
def capped(report: Report, view: TableView) -> Iterator[Finding]:
    cap, rate = view.totals.cap, view.funds.total.rate
    if cap is None or rate is None or view.totals.score is None:
        return
    yield warning(
        "R307",
        ("table", "funds"),
        f"执行率 {formatting.percent(rate)}，按评分方案总分最高 {fmt_score(cap)} 分："
        f"自评表合计 {fmt_score(view.totals.score)} 分，自评得分计为 {fmt_score(cap)} 分",
        expected=fmt_score(cap),
        actual=fmt_score(view.totals.score),
    )


@rules.table_rule(
    "R311",
    "自评表中的得分不超过分值",
    examples=[Example("weight: 20, score: 20", "weight: 20, score: 22", sample=TABLE)],
    fix="得分（score）不能超过分值（weight），按评分方案改正，或删去 score 由程序计算。",
)
def within_weight(report: Report, view: TableView) -> Iterator[Finding]:
    funds = view.funds
    if funds.weight is not None and funds.score is not None and funds.score > funds.weight:
        yield error(
            "R311",
            ("table", "funds", "score"),
            f"预算执行得分 {fmt_score(funds.score)} 超过分值 {fmt_score(funds.weight)}",
        )
    for indicator in view.indicators:
        weight, score = indicator.weight, indicator.score
        if weight is not None and score is not None and score > weight:
            yield error(
                "R311",
                (*indicator.path, "score"),
                f"“{indicator.name}”得分 {fmt_score(score)} 超过分值 {fmt_score(weight)}",
                expected=f"≤ {fmt_score(weight)}",
                actual=fmt_score(score),
            )
