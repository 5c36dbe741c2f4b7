"""The template context: the documented contract between reportgen and template authors.

Every field carries a description; ``reportgen template vars`` (and docs/template-context.md) is generated from them and a
test fails when one is missing. Numbers arrive formatted — templates compute nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from docxtpl import RichText, RichTextParagraph
from pydantic import ConfigDict, Field, PrivateAttr

from reportgen.check.derive import Derived
from reportgen.check.figures import figure_table
from reportgen.check.table import TableView
from reportgen.context.paragraphs import Paragraph, ParagraphWriter
from reportgen.layout.numbering import ordinal_label
from reportgen.layout.outline import Plan
from reportgen.model import formatting
from reportgen.model.compiled import KeptModel
from reportgen.model.placeholders import with_figures
from reportgen.model.report import Report
from reportgen.model.title import title_lines

DASH = "—"

# Paragraph styles the narrative is written in; a custom template must define them.
PARAGRAPH_STYLES = {
    "text": "ReportBody",
    2: "ReportHeading2",
    3: "ReportHeading3",
    4: "ReportHeading4",
}


class Numbering:
    """Heading labels generated in document order: ``{{ n.h1() }}`` → 一、, ``{{ n.h2() }}`` → （一），
    ``{{ n.h3() }}`` → 1."""

    def __init__(self, label: Callable[[int, int], str] = ordinal_label) -> None:
        self.chapter = 0
        self.section = 0
        self.item = 0
        self.label = label

    def h1(self) -> str:
        self.chapter += 1
        self.section = self.item = 0
        return self.label(1, self.chapter)

    def h2(self) -> str:
        self.section += 1
        self.item = 0
        return self.label(2, self.section)

    def h3(self) -> str:
        """The third level, 1. 2. … under the current （一）."""
        self.item += 1
        return self.label(3, self.item)


class ContextModel(KeptModel):
    """What a template sees, checked as it is built (its validator kept between runs)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class IndicatorRow(ContextModel):
    name: str = Field(description="指标名称")
    category: str = Field(description="指标类别：产出 / 效益 / 满意度 / 其他")
    target: str = Field(description="目标值（含单位；反向指标带“≤”），未给出时为“—”")
    actual: str = Field(description="实际值（含单位），未给出时为“—”")
    rate: str = Field(description="完成率，如 110.00%，未给出时为“—”")
    max_score: str = Field(description="分值，未给出时为“—”")
    score: str = Field(description="得分，未给出时为“—”")
    reason: str = Field(description="未完成原因，没有时为空")


class IndicatorTable(ContextModel):
    rows: list[IndicatorRow] = Field(description="每个指标一行，按 YAML 中的顺序")
    has_scores: bool = Field(description="是否有指标写了分值或得分（模板据此显示分值、得分两列）")


class FinanceRow(ContextModel):
    item: str = Field(description="项目：支出合计 / 基本支出 / 人员经费 / 公用经费 / 项目支出")
    budget: str = Field(description="预算数（万元），未知时为“—”")
    expenditure: str = Field(description="支出数（万元）")
    rate: str = Field(description="执行率，未知时为“—”")


class ScoreRow(ContextModel):
    name: str = Field(description="一级指标名称")
    score: str = Field(description="得分")
    max: str = Field(description="分值，未公布时为“—”")


class SectionView(ContextModel):
    key: str = Field(description="节的键名，如 functions")
    label: str = Field(description="生成的编号，如（一）；略去的节不占编号")
    heading: str = Field(description="标题（已含本部门的改写和加注）")
    body: RichTextParagraph = Field(description="正文段落，用 {{p section.body }} 输出")
    indicator_table: bool = Field(description="大纲要求在这一节正文后印绩效指标表")
    budget_table: bool = Field(description="大纲要求在这一节正文后印收支情况表（finance_table）")


class ChapterView(ContextModel):
    key: str = Field(description="章的键名，如 evaluation")
    label: str = Field(description="生成的编号，如 二、")
    heading: str = Field(description="标题（已含本部门的改写和加注）")
    body: RichTextParagraph | None = Field(
        description="整章一段正文（不分节的章），或本部门在不分节的章中增加了节时、印在各节之前的"
        "原正文（引言）；用 {{p chapter.body }} 在各节之前输出；分节的章为空"
    )
    sections: list[SectionView] = Field(
        description="要印出的各节，按大纲顺序；没有内容的节不在其中"
    )
    indicator_table: bool = Field(
        description="大纲要求在这一章之后（整章正文或最后一节之后）印绩效指标表"
    )
    budget_table: bool = Field(description="大纲要求在这一章之后印收支情况表（finance_table）")


class TemplateContext(ContextModel):
    """What a template can use."""

    year: int = Field(description="年度，如 2023")
    department: str = Field(description="部门名称")
    title: str = Field(description="完整标题：YYYY年度<部门名称>部门整体支出绩效自评报告")
    title_lines: list[str] = Field(
        description="标题按词断开的各行（部门名称过长时在“委员会”“人民政府”“办公室”等之后断行）"
    )
    title_line1: str = Field(
        description="标题除最后一行外的各行，以换行连接（通常为 YYYY年度<部门名称>）"
    )
    title_line2: str = Field(description="标题最后一行（通常为 部门整体支出绩效自评报告）")
    attachment: str | None = Field(description="附件标签，如“附件2”；没有时为空")
    layout: str = Field(description="版式名称，如 default / panyu / huadu")
    preface: RichTextParagraph | None = Field(
        description="第一章之前不带标题、不编号的前言段落（版式大纲有 preface、数据写了时才有），"
        "用 {%p if preface %}{{p preface }}{%p endif %} 印在第一章之前；没有时为空，什么也不印"
    )
    outline: list[ChapterView] = Field(
        description="按版式大纲（及本部门的调整）排好的各章，"
        "用 {%p for chapter in outline %} … {%p for section in chapter.sections %} 输出；"
        "编号、标题均已生成"
    )
    n: Numbering = Field(
        description="标题编号器：{{ n.h1() }} 输出 一、二、…，{{ n.h2() }} 输出（一）（二）…，"
        "{{ n.h3() }} 输出 1. 2. …（编号样式随版式大纲）；"
        "按文档顺序计数，被 {%p if %} 略去的节不占编号"
    )
    sections: dict[str, RichTextParagraph | None] = Field(
        description="各节正文（已编号、已填入数字的段落），用 {{p sections.functions }} 输出；"
        "未写的节为空，可用 {%p if sections.goals %} 判断。段落样式：ReportBody 正文，"
        "ReportHeading2/3/4 条目标题"
    )
    paragraphs: dict[str, list[Paragraph]] = Field(
        description="各节正文的段落数据（kind、label、title、text、level），供需要自行排版的模板使用"
    )
    indicator_table: IndicatorTable | None = Field(description="绩效指标表；没有指标时为空")
    finance_table: list[FinanceRow] = Field(description="收支情况表的各行")
    score_total: str = Field(description="自评得分，如 98.79")
    grade: str = Field(description="自评等级：优 / 良 / 中 / 差")
    score_rows: list[ScoreRow] = Field(description="一级指标得分各行；没有分项时为空列表")
    figures: dict[str, str] = Field(
        description="全部可引用的数字（与 YAML 中 ${…} 相同的路径），已格式化，"
        "如 {{ figures['budget.execution_rate'] }}"
    )
    # the preface's key and name in the plan (what a render that leaves it out says)
    _preface: tuple[str, str] | None = PrivateAttr(None)

    def left_out(self, printed: set[int], read: set[str]) -> list[str]:
        """The sections of the outline with content that a render did not print: neither their
        paragraphs (ids in ``printed``) nor their entry in ``paragraphs`` (keys in ``read``).
        A section the outline does not print is validation's warning (R002), not the template's."""
        headings = {s.key: s.heading for c in self.outline for s in c.sections}
        headings |= {c.key: c.heading for c in self.outline if c.body is not None}
        if self._preface is not None:
            headings[self._preface[0]] = self._preface[1]
        missing = []
        for key, body in self.sections.items():
            if body is None or key not in headings or id(body) in printed or key in read:
                continue
            if self._preface is not None and key == self._preface[0]:
                how = "，第一章之前用 {%p if preface %}{{p preface }}{%p endif %} 印出"
                missing.append(f"“{headings[key]}”（sections.{key}{how}）的内容")
            else:
                missing.append(f"“{headings[key]}”一节（sections.{key}）的内容")
        return missing

    def as_mapping(self) -> dict[str, Any]:
        """The context as docxtpl wants it: a mapping of the top-level names."""
        return {name: getattr(self, name) for name in type(self).model_fields}


def rich(paragraphs: list[Paragraph]) -> RichTextParagraph:
    """The paragraphs as Word XML in the template's styles (text is escaped by RichText)."""
    xml = []
    for p in paragraphs:
        # One RichTextParagraph per paragraph, joined once: its add() appends to an attribute
        # string, which copies the whole block each time and made a long section quadratic.
        one = RichTextParagraph()
        if p.kind == "heading":
            style = PARAGRAPH_STYLES.get(min(max(p.level, 2), 4), "ReportHeading4")
            one.add(RichText(f"{p.label}{p.title}"), parastyle=style)
        else:
            run = RichText()
            if p.kind == "item":
                run.add(f"{p.label}{p.title}", bold=p.level == 3 and bool(p.title))
            run.add(p.text)
            one.add(run, parastyle=PARAGRAPH_STYLES["text"])
        xml.append(one.xml)
    block = RichTextParagraph()
    block.xml = "".join(xml)
    return block


def _or_dash(text: str | None) -> str:
    return text if text else DASH


def _shown(value: Decimal | None, fmt: Callable[[Decimal], str]) -> str:
    """``value`` printed by ``fmt``, or “—” where the figure is not known."""
    return fmt(value) if value is not None else DASH


def _table_texts(report: Report, table: TableView | None) -> list[tuple[str, str]] | None:
    """Target and actual as the 自评表 prints them, when the report's indicators are its
    tree's (a quality word such as 健全 is printed, not “—”)."""
    if table is None or len(table.indicators) != len(report.indicators):
        return None
    return [(view.target_text, view.actual_text) for view in table.indicators]


def _indicator_table(
    report: Report, derived: Derived, table: TableView | None = None
) -> IndicatorTable | None:
    if not report.indicators:
        return None
    names = {"output": "产出", "outcome": "效益", "satisfaction": "满意度", "other": "其他"}
    texts = _table_texts(report, table)
    rows = []
    for n, (indicator, rate) in enumerate(
        zip(report.indicators, derived.indicator_completion, strict=True)
    ):
        unit = indicator.unit or ""
        target = None
        if indicator.target is not None:
            sign = indicator.sign or ("≤" if indicator.direction == "negative" else "")
            target = f"{sign}{formatting.quantity(indicator.target)}{unit}"
        actual = None
        if indicator.actual is not None:
            about = "约" if indicator.approximate else ""
            actual = f"{about}{formatting.quantity(indicator.actual)}{unit}"
        if texts is not None:
            target, actual = texts[n]
        rows.append(
            IndicatorRow(
                name=indicator.name,
                category=names[indicator.category],
                target=_or_dash(target),
                actual=_or_dash(actual),
                rate=_shown(rate, formatting.percent),
                max_score=_shown(indicator.max_score, formatting.score),
                score=_shown(indicator.score, formatting.score),
                reason=indicator.reason or "",
            )
        )
    has_scores = any(i.max_score is not None or i.score is not None for i in report.indicators)
    return IndicatorTable(rows=rows, has_scores=has_scores)


def _finance_table(
    report: Report, derived: Derived, money: Callable[[Decimal], str]
) -> list[FinanceRow]:
    spent = report.budget.expenditure
    lines: list[tuple[str, Decimal | None, Decimal, Decimal | None]] = [
        ("支出合计", derived.budget_base, derived.expenditure_total, derived.execution_rate),
    ]
    if spent.basic is not None:
        basic = spent.basic
        lines.append(("基本支出", derived.basic_budget, basic.amount, derived.basic_execution_rate))
        for item, part in (("人员经费", basic.personnel), ("公用经费", basic.public)):
            if part is not None:
                lines.append((item, None, part.amount, None))
    if spent.project is not None:
        lines.append(
            (
                "项目支出",
                derived.project_budget,
                spent.project.amount,
                derived.project_execution_rate,
            )
        )
    return [
        FinanceRow(
            item=item,
            budget=_shown(budget, money),
            expenditure=money(amount),
            rate=_shown(rate, formatting.percent),
        )
        for item, budget, amount, rate in lines
    ]


def build_context(
    report: Report, derived: Derived, plan: Plan, layout: str, table: TableView | None = None
) -> TemplateContext:
    """The context of one report printed in ``plan`` (the outline of layout ``layout``);
    ``table`` is its scored 自评表, whose indicators the report's are."""
    figures = figure_table(report, derived, plan.money_thousands)
    report = with_figures(report, figures)
    writer = ParagraphWriter(report, derived, figures, plan.label, plan.money)
    paragraphs: dict[str, list[Paragraph]] = {}
    for key, narrative in report.sections.written().items():
        # the preface's numbered items are 1. 2. …: 一、 and （一） are the chapters' and sections'
        paragraphs[key] = writer.section(narrative, 2 if key in plan.body_keys else 3)
    for chapter in plan.chapters:
        for section in chapter.sections:
            if section.key not in paragraphs and section.from_facts is not None:
                paragraphs[section.key] = writer.summary(section.from_facts)
    written = {key: rich(found) for key, found in paragraphs.items()}
    lines = report.title_lines or title_lines(report.year, report.department)
    preface = plan.preface
    context = TemplateContext(
        year=report.year,
        department=report.department,
        title=report.title,
        title_lines=lines,
        title_line1="\n".join(lines[:-1]),  # docxtpl prints a newline as a line break
        title_line2=lines[-1],
        attachment=report.attachment,
        layout=layout,
        preface=written.get(preface.key) if preface is not None else None,
        outline=_outline(plan, written),
        n=Numbering(plan.label),
        sections={key: written.get(key) for key in type(report.sections).model_fields},
        paragraphs=paragraphs,
        indicator_table=_indicator_table(report, derived, table),
        finance_table=_finance_table(report, derived, plan.money),
        score_total=formatting.score(report.self_score.total),
        grade=report.self_score.grade or derived.grade,
        score_rows=[
            ScoreRow(
                name=c.name, score=formatting.score(c.score), max=_shown(c.max, formatting.score)
            )
            for c in report.self_score.components
        ],
        figures=figures,
    )
    context._preface = (preface.key, preface.heading) if preface is not None else None
    return context


def _outline(plan: Plan, written: dict[str, RichTextParagraph]) -> list[ChapterView]:
    """The chapters and the sections that have something to print, numbered without gaps: an
    optional chapter with nothing written (no body, no section, no table after it) is left out
    and takes no number, as an optional section is."""
    chapters: list[ChapterView] = []
    for chapter in plan.chapters:
        sections: list[SectionView] = []
        for section in chapter.sections:
            if section.key in written:
                sections.append(
                    SectionView(
                        key=section.key,
                        label=plan.label(2, len(sections) + 1),
                        heading=section.heading,
                        body=written[section.key],
                        indicator_table=section.indicator_table,
                        budget_table=section.budget_table,
                    )
                )
        body = written.get(chapter.key) if chapter.own_text else None
        if body is None and not sections and not (chapter.indicator_table or chapter.budget_table):
            continue
        chapters.append(
            ChapterView(
                key=chapter.key,
                label=plan.label(1, len(chapters) + 1),
                heading=chapter.heading,
                body=body,
                sections=sections,
                indicator_table=chapter.indicator_table,
                budget_table=chapter.budget_table,
            )
        )
    return chapters
