"""Rules on the outline: a known layout, its required sections, the department's changes to it."""

from __future__ import annotations

from collections.abc import Iterator

from reportgen.check.derive import Derived
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.findings import Finding, error, warning
from reportgen.layout.outline import plan_of
from reportgen.layout.search import LayoutChoice
from reportgen.model.report import Report

rules = RuleSet()


@rules.outline_rule(
    "R001",
    "版式须为已知版式",
    examples=[Example("layout: default", "layout: defualt")],
    fix="把 layout 改为消息中列出的版式之一（多半照“是否想写”的提示改；"
    "`reportgen layout list` 列出全部版式）；不写 layout 即为 default 通用版式。",
)
def known_layout(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    if choice.layout is not None:
        return
    named = "命令行 --layout 指定了" if choice.from_option else ""
    yield error(
        "R001",
        () if choice.from_option else ("layout",),
        f"{named}{choice.search.unknown(choice.name)}",
        expected=" | ".join(choice.search.names()),
        actual=choice.name,
    )


@rules.outline_rule(
    "R002",
    "版式要求的各节都要有内容；版式不输出的节给出警告",
    examples=[
        Example("  efficiency: 预算执行率为${budget.execution_rate}。\n", ""),
        Example(
            "  goals: 提高财政资金使用效益。\n",
            "  goals: 提高财政资金使用效益。\n  achievements: 多项工作获表彰。\n",
            note="写了花都版式才有的一节“主要工作成效”",
        ),
    ],
    fix="在 sections 下补写缺少的一节（各版式的节见 docs/layouts.md）。"
    "若是警告“版式不输出这一节”，把其中的内容移到该版式输出的一节，或换用输出它的版式。",
)
def required_sections(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    plan = choice.plan
    if plan is None:
        return
    headings = plan.headings
    required = dict(plan.required())
    written = report.sections.written()
    advice: dict[str, str] = {}
    if any(key not in headings for key in written) or any(k not in written for k in required):
        # the advice of layout migrate, loaded only when a section is missing or unknown
        from reportgen.layout.migrate import body_advice, known_homes, rename_advice

        known = known_homes(choice.search, choice.name, report.layout)
        advice = body_advice(plan, choice.name, written, known)
        if choice.layout is not None and choice.layout.outline is not None:
            own = plan_of(choice.layout.outline)
            advice = rename_advice(plan, own, choice.name, written) | advice
    for name in type(report.sections).model_fields:
        present = getattr(report.sections, name) is not None
        if not present and name in required:
            how = f"：{advice[name]}" if name in advice else ""
            yield error(
                "R002",
                ("sections", name),
                f"缺少必填的一节“{required[name]}”{how}",
                expected=name,
            )
        elif present and name in advice:
            yield warning("R002", ("sections", name), advice[name])
        elif present and name not in headings:
            if name in plan.omitted:
                yield warning(
                    "R002",
                    ("sections", name),
                    f"outline.omit 略去了“{name}”，这一节的内容不会出现在报告中",
                )
                continue
            printed = "、".join(headings)
            yield warning(
                "R002",
                ("sections", name),
                f"版式“{choice.name}”不输出“{name}”这一节，其内容不会出现在报告中（该版式输出：{printed}）",
            )


@rules.outline_rule(
    "R010",
    "本部门对章节的调整（outline）须与版式相符",
    examples=[Example("attachment: 附件2\n", "attachment: 附件2\noutline:\n  omit: [goal]\n")],
    fix="outline 中只能写版式中有的章、节的键（消息列出了可用的键），只能略去选填的节；"
    "写法见 docs/yaml-format.md“调整本部门的章节”。",
)
def outline_changes(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    yield from choice.changes
