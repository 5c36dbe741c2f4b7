"""Rules on the 自评表's content: funds rows, reasons, 偏离, targets, blocks, its profile."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.derive import Derived, budget_basis, expenditure_total
from reportgen.check.rules.arithmetic import check_sum, found, plain
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.check.table import LINE_KEYS, SOURCE_KEYS, FundsRow, TableView, stated_rows
from reportgen.findings import FieldPath, Finding, error, warning
from reportgen.layout.search import LayoutChoice
from reportgen.model import formatting
from reportgen.model.report import Report

rules = RuleSet()

TABLE = "table.yaml"
_FIELDS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))
_BLANK_TARGETS = {"*", "＊", "—", "-", "/", "无"}
_COST_WORDS = ("成本",)
_YUAN_FACTOR = 100  # a funds figure this many times the report's is taken as written in 元
# a target that only names a direction (有效提升, 进一步加强) sets no level to check against
_VAGUE_WORDS = ("提升", "提高", "改善", "加强", "增强", "促进", "优化", "推进", "推动")
_VAGUE_ADVERBS = ("进一步", "逐步")


def _stated(report: Report, row: FundsRow, field: str) -> Decimal | None:
    """The figure the data itself writes in a funds row (not the 全年预算数 taken from 年初)."""
    funds = report.table.funds if report.table is not None else None
    line = getattr(funds, row.key, None) if funds is not None else None
    return getattr(line, field, None) if line is not None else None


@rules.table_rule(
    "R304",
    "年度资金总额 = 各资金来源（或基本支出 + 项目支出）之和，并与 budget 中的预算、支出相同",
    examples=[
        Example(
            "  funds:\n",
            "  funds:\n    total: {initial: 1000.00, adjusted: 1200.00, executed: 0}\n",
            sample=TABLE,
        ),
        Example("executed: 36.00", "executed: 360000.00", sample=TABLE),
    ],
    fix="核对总额行与各来源行；总额行可以不写，由各来源相加。与 budget 不同时，改正写错的一处。"
    "自评表的金额以万元为单位，按元填写的数除以 10000。",
)
def funds_rows(report: Report, view: TableView) -> Iterator[Finding]:
    table = report.table
    if table is None or table.funds is None:
        return
    rows = stated_rows(table)
    total = view.funds.total
    for keys in (SOURCE_KEYS, LINE_KEYS):
        parts = [r for r in rows if r.key in keys]
        if not parts:
            continue
        for field, label in _FIELDS:
            values = [(r.label, _stated(report, r, field)) for r in parts]
            if any(v is None for _, v in values):
                continue
            yield from found(
                check_sum(
                    "R304",
                    ("table", "funds", "total", field),
                    f"年度资金总额{label}",
                    _stated(report, total, field),
                    [(name, v) for name, v in values if v is not None],
                    related=[("table", "funds", r.key, field) for r in parts],
                )
            )
    yield from _against_budget(report, view)


def _against_budget(report: Report, view: TableView) -> Iterator[Finding]:
    """The table's total row and the report's budget are the same figures."""
    basis = budget_basis(report.budget)
    total = view.funds.total
    pairs: list[tuple[str, str, Decimal | None, Decimal | None, FieldPath]] = [
        ("initial", "年初预算数", total.initial, report.budget.initial, ("budget", "initial")),
        ("adjusted", "全年预算数", total.adjusted, basis.amount if basis else None, ("budget",)),
        (
            "executed",
            "全年执行数",
            total.executed,
            expenditure_total(report.budget),
            ("budget", "expenditure"),
        ),
    ]
    for field, label, ours, theirs, where in pairs:
        if ours is None or theirs is None or ours == theirs:
            continue
        path: FieldPath = ("table", "funds", "total", field) if total.path else ("table", "funds")
        yield error(
            "R304",
            path,
            f"自评表年度资金总额{label} {plain(ours)} 万元与报告中的 {plain(theirs)} 万元不同",
            expected=plain(theirs),
            actual=plain(ours),
            related=[where],
        )
        yield from _in_yuan(report, field, label, theirs, where)


def _in_yuan(
    report: Report, field: str, label: str, theirs: Decimal, where: FieldPath
) -> Iterator[Finding]:
    """A funds figure a hundred times the report's whole budget was most likely written in 元
    (the table is in 万元): say so at that figure, beside R304's error at the total."""
    if report.table is None or theirs <= 0:
        return
    for row in stated_rows(report.table):
        value = getattr(row, field)
        if row.path is None or value is None or value < theirs * _YUAN_FACTOR:
            continue
        yield warning(
            "R304",
            (*row.path, field),
            f"自评表{row.label}{label} {plain(value)} 超过报告中的 {plain(theirs)} 万元的 "
            f"{_YUAN_FACTOR} 倍：自评表的金额以万元为单位，这个数是否按元填写了？",
            related=[where],
        )


@rules.table_rule(
    "R305",
    "须写原因：未达到目标的指标（偏差原因），执行率低于评分方案规定的比例或年中调整了预算、"
    "指标值（按评分方案的开关）",
    examples=[Example(", reason: 受场地限制", "", sample=TABLE)],
    fix="在该指标下写 reason: 偏差原因分析及改进措施；预算执行的原因写在 table.funds.reason。",
)
def reasons(report: Report, view: TableView) -> Iterator[Finding]:
    switches = view.profile.switches
    funds = view.funds
    rate = funds.total.rate
    if funds.reason is None and rate is not None:
        limit = switches.reason_below_execution
        total = funds.total
        if limit is not None and rate < limit:
            yield error(
                "R305",
                ("table", "funds"),
                f"执行率 {formatting.percent(rate)} 低于 {formatting.quantity(limit)}%，"
                "须写原因（table.funds.reason）",
            )
        elif (
            switches.reason_after_adjustment
            and total.initial is not None
            and total.adjusted is not None
            and total.initial != total.adjusted
        ):
            yield error(
                "R305",
                ("table", "funds"),
                f"年中调整了预算（年初 {plain(total.initial)} → 全年 {plain(total.adjusted)} 万元），"
                "须写原因（table.funds.reason）",
            )
    for indicator in view.indicators:
        if indicator.reason is not None:
            continue
        if switches.reason_below_target and indicator.met is False:
            yield error(
                "R305",
                indicator.path,
                f"“{indicator.name}”未达到目标（目标 {indicator.target_text}，"
                f"实际 {indicator.actual_text}），须写偏差原因（reason）",
            )
        elif switches.reason_after_adjustment and indicator.adjusted_target is not None:
            yield error(
                "R305",
                indicator.path,
                f"“{indicator.name}”的指标值年中作了调整，须写原因（reason）",
            )


@rules.table_rule(
    "R306",
    "实际值超出目标值达评分方案规定的幅度（通常 30%）为偏离：目标可能定得过低",
    examples=[Example("target: 40, actual: 44", "target: 40, actual: 60", sample=TABLE)],
    fix="核对目标值是否定得过低；写 reason 说明超出的原因。按评分方案扣分时，得分已扣除。",
)
def deviation(report: Report, view: TableView) -> Iterator[Finding]:
    rule = view.profile.switches.deviation
    if rule is None:
        return
    deducted = rule.action == "deduction"
    for indicator in view.indicators:
        if not indicator.deviation:
            continue
        note = (
            f"，按评分方案扣 {formatting.quantity(rule.deduction_share)}% 分值" if deducted else ""
        )
        yield warning(
            "R306",
            (*indicator.path, "actual"),
            f"“{indicator.name}”实际 {indicator.actual_text} 超出目标 {indicator.target_text} "
            f"{formatting.quantity(rule.threshold)}% 以上（偏离），目标可能定得过低{note}",
            related=[(*indicator.path, "target")],
        )


@rules.table_rule(
    "R308",
    "指标值的写法：百分比目标不超过 100%，成本指标不写“≥”，目标值不能空缺或写“*”，"
    "不能只写“有效提升”之类的方向",
    examples=[
        Example("target: 90, actual: 96", "target: 120, actual: 96", sample=TABLE),
        Example("target: 40, actual: 44", 'target: "*", actual: 44', sample=TABLE),
        Example("target: 健全, actual: 健全", "target: 有效提升, actual: 有效提升", sample=TABLE),
    ],
    fix="百分比目标改为 100% 以内（增长率等确实超过 100% 的可忽略）；成本指标写“≤”；"
    "目标值写出具体的数或等级（如 ≥95%、健全）。",
)
def target_forms(report: Report, view: TableView) -> Iterator[Finding]:
    for block in view.blocks:
        for group in block.groups:
            for indicator in group.indicators:
                target, path = indicator.target, (*indicator.path, "target")
                if target is None or (isinstance(target, str) and target in _BLANK_TARGETS):
                    yield error("R308", path, f"“{indicator.name}”的目标值空缺，须写出具体的值")
                    continue
                if isinstance(target, str) and _vague(target, view):
                    yield warning(
                        "R308",
                        path,
                        f"“{indicator.name}”的目标值“{target}”只写了方向，无法核对是否达到："
                        "写出具体的数或等级（如 ≥95%、健全）",
                    )
                if isinstance(target, Decimal) and indicator.unit == "%" and target > 100:
                    yield warning(
                        "R308",
                        path,
                        f"“{indicator.name}”的目标值 {formatting.quantity(target)}% 超过 100%",
                    )
                cost = any(w in group.name or w in indicator.name for w in _COST_WORDS)
                if cost and indicator.sign in ("≥", ">"):
                    yield warning(
                        "R308",
                        (*indicator.path, "sign"),
                        f"成本指标“{indicator.name}”写作“{indicator.sign}”：成本通常应控制在目标以内（≤）",
                    )


def _vague(target: str, view: TableView) -> bool:
    """A worded target that names a direction but no level: not a level of the profile's
    quality scales, no digit, and a word of improvement (有效提升, 进一步加强)."""
    levels = {level for scale in view.profile.indicators.quality_levels for level in scale}
    return (
        target not in levels
        and not any(c.isdigit() for c in target)
        and any(word in target for word in (*_VAGUE_WORDS, *_VAGUE_ADVERBS))
    )


@rules.table_rule(
    "R310",
    "自评表的一级指标与评分方案相同：方案要求的一级指标不能缺，不能有方案之外的一级指标",
    examples=[Example("- name: 满意度指标", "- name: 满意指标", sample=TABLE)],
    fix="一级指标的名称按评分方案填写（reportgen profile list 列出各方案）；"
    "方案不同时，在 table 中写 profile 换用别的评分方案。",
)
def blocks(report: Report, view: TableView) -> Iterator[Finding]:
    if not view.blocks:
        return
    profile = view.profile
    names = {b.name for b in view.blocks}
    known = ", ".join(profile.block_names)
    for block in view.blocks:
        if profile.block(block.name) is None:
            yield error(
                "R310",
                (*block.path, "name"),
                f"评分方案“{view.header.profile}”中没有一级指标“{block.name}”；方案的一级指标：{known}",
            )
    for spec in profile.blocks:
        if spec.required and spec.name not in names:
            yield error(
                "R310",
                ("table", "indicators"),
                f"缺少评分方案要求的一级指标“{spec.name}”（分值 {formatting.score(spec.weight)}）",
            )


@rules.table_rule(
    "R312",
    "自评表的指标写一处、能计分：有指标树时不再写 indicators；定性指标未达到或无法判断时须写得分；"
    "评分方案要求填写得分时每个指标都要写",
    examples=[
        Example("target: 健全, actual: 健全", "target: 健全, actual: 基本健全", sample=TABLE)
    ],
    fix="报告中的指标由 table.indicators 生成，删去 indicators；为无法自动计分的指标写 score。",
)
def scorable(report: Report, view: TableView) -> Iterator[Finding]:
    if not view.blocks and report.score is None:
        yield error(
            "R312",
            ("table",),
            "没有写自评得分（score），自评表中也没有指标（table.indicators），自评得分无从计算",
        )
    if view.blocks and report.indicators:
        yield error(
            "R312",
            ("indicators",),
            "已在 table.indicators 中写了指标树，报告中的指标由它生成，不再另写 indicators",
        )
    stated_rule = view.profile.indicators.rule == "stated"
    for indicator in view.indicators:
        if indicator.score is not None or indicator.weight is None:
            continue
        if stated_rule:
            why = "评分方案要求由部门填写得分"
        elif indicator.met is None:
            why = "无法判断是否达到目标（目标值、实际值缺少或等级不可比）"
        else:
            why = "定性指标未达到目标"
        yield error("R312", indicator.path, f"“{indicator.name}”须写得分（score）：{why}")


@rules.outline_rule(
    "R313",
    "自评表的评分方案存在：data 或版式大纲中的 profile 须是内置或 --templates 中的方案",
    examples=[Example("profile: national", "profile: nationl", sample=TABLE)],
    fix="改为 reportgen profile list 列出的方案名称，或把本地方案放在 --templates 文件夹的 profiles/ 中。",
)
def profile_known(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    if report.table is None:
        return
    name = choice.profile_name(report.table.profile)
    if choice.search.profile(name) is not None:
        return
    from reportgen.layout.profile import suggestion

    names = ", ".join(p.name for p in choice.search.profiles())
    path: FieldPath = ("table", "profile") if report.table.profile else ("layout",)
    yield error(
        "R313",
        path,
        f"没有评分方案“{name}”{suggestion(name, choice.search.places())}；可用：{names}",
        actual=name,
    )
