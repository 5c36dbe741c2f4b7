"""Rules on the self-evaluation: score and grade, first-level scores, key tasks, indicators."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.amounts import MAX_RATE
from reportgen.derive import Derived, below_target
from reportgen.findings import Finding, error
from reportgen.formatting import score as fmt_score
from reportgen.model import Report
from reportgen.rules import rule
from reportgen.rules.arithmetic import check_rate, check_sum, found

HUNDRED = Decimal(100)


@rule("R201", "自评得分 = 各一级指标得分之和")
def score_total(report: Report, derived: Derived) -> Iterator[Finding]:
    components = report.score.components
    yield from found(
        check_sum(
            "R201",
            ("score", "total"),
            "自评得分",
            report.score.total if components else None,
            [(c.name, c.score) for c in components],
            related=[("score", "components", i, "score") for i in range(len(components))],
            shown=fmt_score,
            min_places=0,
        )
    )


@rule("R202", "一级指标得分不超过其分值，分值合计为 100")
def score_components(report: Report, derived: Derived) -> Iterator[Finding]:
    components = report.score.components
    for i, component in enumerate(components):
        if component.score > component.max:
            yield error(
                "R202",
                ("score", "components", i, "score"),
                f"{component.name}得分 {fmt_score(component.score)} 超过分值 {fmt_score(component.max)}",
                expected=f"≤ {fmt_score(component.max)}",
                actual=fmt_score(component.score),
            )
    if components and derived.components_max_sum != HUNDRED:
        maxima = " + ".join(fmt_score(c.max) for c in components)
        yield error(
            "R202",
            ("score", "components"),
            f"各一级指标分值之和应为 100，实际为 {maxima} = {fmt_score(derived.components_max_sum or Decimal(0))}",
            expected="100",
            actual=fmt_score(derived.components_max_sum or Decimal(0)),
        )


@rule("R203", "等级由得分确定：≥90 优，80–<90 良，60–<80 中，<60 差（分档可设置）")
def grade(report: Report, derived: Derived) -> Iterator[Finding]:
    stated = report.score.grade
    if stated is None or stated == derived.grade:
        return
    bands = "，".join(
        f"≥{fmt_score(low)} {name}"
        for name, low in sorted(
            report.rules.grade_bands.items(), key=lambda kv: kv[1], reverse=True
        )
    )
    yield error(
        "R203",
        ("score", "grade"),
        f"等级“{stated}”与得分 {fmt_score(report.score.total)} 不符，应为“{derived.grade}”（{bands}）",
        expected=derived.grade,
        actual=stated,
        related=[("score", "total")],
    )


@rule("R204", "重点任务经费合计 = 各项任务支出之和")
def key_tasks_total(report: Report, derived: Derived) -> Iterator[Finding]:
    tasks = report.key_tasks
    if tasks is None:
        return
    parts = [(t.name, t.spending) for t in tasks.items if t.spending is not None]
    if tasks.total is not None and len(parts) < len(tasks.items):
        missing = next(i for i, t in enumerate(tasks.items) if t.spending is None)
        yield error(
            "R204",
            ("key_tasks", "items", missing, "spending"),
            "写了重点任务经费合计，则每项任务都要写支出（spending）",
        )
        return
    yield from found(
        check_sum(
            "R204",
            ("key_tasks", "total"),
            "重点任务经费合计",
            tasks.total,
            parts,
            related=[("key_tasks", "items", i, "spending") for i in range(len(parts))],
        )
    )


@rule("R205", "指标完成率 = 实际值 ÷ 目标值（正向）或 目标值 ÷ 实际值（反向）")
def indicator_rates(report: Report, derived: Derived) -> Iterator[Finding]:
    for i, (indicator, computed) in enumerate(
        zip(report.indicators, derived.indicator_rates, strict=True)
    ):
        if indicator.target is None or indicator.actual is None:
            continue
        if indicator.direction == "positive":
            formula = f"实际值 {indicator.actual} ÷ 目标值 {indicator.target}"
        else:
            formula = f"目标值 {indicator.target} ÷ 实际值 {indicator.actual}（反向指标）"
        if computed is None:
            yield error(
                "R205",
                ("indicators", i, "target"),
                f"{indicator.name}的目标值或实际值为 0，无法计算完成率",
            )
            continue
        if computed > MAX_RATE:
            yield error(
                "R205",
                ("indicators", i, "actual"),
                f"{indicator.name}完成率 {formula} = {computed:.2f}%，超出合理范围"
                f"（0%–{MAX_RATE}%），请检查目标值、实际值的单位与小数点",
                expected=f"≤ {MAX_RATE}%",
                actual=f"{computed:.2f}%",
                related=[("indicators", i, "target")],
            )
            continue
        yield from found(
            check_rate(
                "R205",
                ("indicators", i, "rate"),
                f"{indicator.name}完成率",
                indicator.rate,
                computed,
                formula,
                related=[("indicators", i, "actual"), ("indicators", i, "target")],
            )
        )


@rule("R206", "未达到目标的指标须写明未完成原因")
def indicator_reason(report: Report, derived: Derived) -> Iterator[Finding]:
    for i, (indicator, rate) in enumerate(
        zip(report.indicators, derived.indicator_completion, strict=True)
    ):
        if not below_target(rate) or indicator.reason is not None:
            continue
        yield error(
            "R206",
            ("indicators", i),
            f"{indicator.name}完成率 {rate:.2f}% 未达到目标，须填写未完成原因（reason）",
        )


@rule("R207", "指标得分不超过分值")
def indicator_scores(report: Report, derived: Derived) -> Iterator[Finding]:
    for i, indicator in enumerate(report.indicators):
        if indicator.score is None or indicator.max_score is None:
            continue
        if indicator.score > indicator.max_score:
            yield error(
                "R207",
                ("indicators", i, "score"),
                f"{indicator.name}得分 {fmt_score(indicator.score)} 超过分值 {fmt_score(indicator.max_score)}",
                expected=f"≤ {fmt_score(indicator.max_score)}",
                actual=fmt_score(indicator.score),
            )
