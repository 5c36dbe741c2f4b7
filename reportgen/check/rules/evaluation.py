"""Rules on the self-evaluation: score and grade, first-level scores, key tasks, indicators."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.derive import Derived, below_target
from reportgen.check.rules.arithmetic import check_rate, check_sum, found, rate_out_of_range
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.findings import Finding, error
from reportgen.model import formatting
from reportgen.model.report import Report

rules = RuleSet()

HUNDRED = Decimal(100)


@rules.rule(
    "R201",
    "自评得分 = 各一级指标得分之和",
    examples=[Example("  total: 92.5", "  total: 95")],
    fix="核对自评得分与各一级指标得分，改正写错的数。",
)
def score_total(report: Report, derived: Derived) -> Iterator[Finding]:
    components = report.self_score.components
    yield from found(
        check_sum(
            "R201",
            ("score", "total"),
            "自评得分",
            report.self_score.total if components else None,
            [(c.name, c.score) for c in components],
            related=[("score", "components", i, "score") for i in range(len(components))],
            shown=formatting.score,
            min_places=0,
        )
    )


@rules.rule(
    "R202",
    "一级指标得分不超过其分值，分值合计为 100（各分值都写出时）",
    examples=[Example("score: 46.5, max: 50", "score: 46.5, max: 60")],
    fix="各一级指标的分值（max）之和应为 100，得分（score）不超过分值；按评价方案改正。",
)
def score_components(report: Report, derived: Derived) -> Iterator[Finding]:
    components = report.self_score.components
    for i, component in enumerate(components):
        if component.max is not None and component.score > component.max:
            yield error(
                "R202",
                ("score", "components", i, "score"),
                f"{component.name}得分 {formatting.score(component.score)} 超过分值 {formatting.score(component.max)}",
                expected=f"≤ {formatting.score(component.max)}",
                actual=formatting.score(component.score),
            )
    if derived.components_max_sum is not None and derived.components_max_sum != HUNDRED:
        maxima = " + ".join(formatting.score(c.max) for c in components if c.max is not None)
        yield error(
            "R202",
            ("score", "components"),
            f"各一级指标分值之和应为 100，实际为 {maxima} = {formatting.score(derived.components_max_sum or Decimal(0))}",
            expected="100",
            actual=formatting.score(derived.components_max_sum or Decimal(0)),
        )


@rules.rule(
    "R203",
    "等级由得分确定：≥90 优，80–<90 良，60–<80 中，<60 差（分档可设置）",
    examples=[Example("  grade: 优", "  grade: 良")],
    fix="改为消息中的等级，或删去 grade，由程序按得分确定；"
    "本地的分档不同时，在 rules: {grade_bands: {优: 90, 良: 80, 中: 60}} 中设置。",
)
def grade(report: Report, derived: Derived) -> Iterator[Finding]:
    stated = report.self_score.grade
    if stated is None or stated == derived.grade:
        return
    bands = "，".join(
        f"≥{formatting.score(low)} {name}"
        for name, low in sorted(
            report.rules.grade_bands.items(), key=lambda kv: kv[1], reverse=True
        )
    )
    yield error(
        "R203",
        ("score", "grade"),
        f"等级“{stated}”与得分 {formatting.score(report.self_score.total)} 不符，应为“{derived.grade}”（{bands}）",
        expected=derived.grade,
        actual=stated,
        related=[("score", "total")],
    )


@rules.rule(
    "R204",
    "重点任务经费合计 = 各项任务支出之和",
    examples=[
        Example("  total: 80.00", "  total: 85.00"),
        Example(", spending: 30.00", "", note="写了合计，却有一项任务没写支出"),
    ],
    fix="核对重点任务经费合计与各项任务的支出（spending），或删去 key_tasks 下的 total，"
    "由程序计算；写了合计时，每项任务都要写支出。",
)
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


@rules.rule(
    "R205",
    "指标完成率 = 实际值 ÷ 目标值（正向）或 目标值 ÷ 实际值（反向）",
    examples=[Example("unit: 个, rate: 110%", "unit: 个, rate: 100%")],
    fix="改为消息中“=”后的计算值，或删去 rate，由程序计算。越小越好的指标（如办理时长，"
    "目标写作“≤5天”）写 direction: negative，按目标值 ÷ 实际值计算。",
)
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
        too_large = rate_out_of_range(
            "R205",
            ("indicators", i, "actual"),
            f"{indicator.name}完成率",
            computed,
            formula,
            "目标值、实际值",
            related=[("indicators", i, "target")],
        )
        if too_large is not None:
            yield too_large
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


# what R206 asks of a draft; said of a published report, audit puts its own words in its place
REASON_WANTED = "须填写未完成原因（reason）"


@rules.rule(
    "R206",
    "未达到目标的指标须写明未完成原因",
    examples=[Example(", reason: 受场地限制", "")],
    fix="为这项指标写上 reason: 未完成的原因。",
)
def indicator_reason(report: Report, derived: Derived) -> Iterator[Finding]:
    for i, (indicator, rate) in enumerate(
        zip(report.indicators, derived.indicator_completion, strict=True)
    ):
        if rate is None or not below_target(rate) or indicator.reason is not None:
            continue
        yield error(
            "R206",
            ("indicators", i),
            f"{indicator.name}完成率 {formatting.percent(rate)} 未达到目标，{REASON_WANTED}",
        )


@rules.rule(
    "R207",
    "指标得分不超过分值",
    examples=[Example("max_score: 10, score: 10", "max_score: 10, score: 11")],
    fix="指标得分（score）不能超过其分值（max_score），按评价方案改正。",
)
def indicator_scores(report: Report, derived: Derived) -> Iterator[Finding]:
    for i, indicator in enumerate(report.indicators):
        if indicator.score is None or indicator.max_score is None:
            continue
        if indicator.score > indicator.max_score:
            yield error(
                "R207",
                ("indicators", i, "score"),
                f"{indicator.name}得分 {formatting.score(indicator.score)} 超过分值 {formatting.score(indicator.max_score)}",
                expected=f"≤ {formatting.score(indicator.max_score)}",
                actual=formatting.score(indicator.score),
            )
