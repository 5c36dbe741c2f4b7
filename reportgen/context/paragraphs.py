"""Narrative → numbered paragraphs: labels from the structure, figures from the checked facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from reportgen.check.derive import Derived
from reportgen.layout.numbering import enumerate_chinese, ordinal_label
from reportgen.model import formatting
from reportgen.model.narrative import (
    Block,
    IndicatorsBlock,
    Item,
    JoinedBlock,
    KeyTasksBlock,
    Narrative,
    NumberedBlock,
    SummaryBlock,
)
from reportgen.model.placeholders import substitute
from reportgen.model.report import KeyTask, Report

_ITEM_END = "；;。，,、"


@dataclass(frozen=True)
class Paragraph:
    """One printed paragraph. ``level`` is the outline level of its label (3 for “1.”)."""

    kind: Literal["text", "heading", "item"]
    text: str = ""
    label: str = ""
    title: str = ""
    level: int = 0


class ParagraphWriter:
    """Writes one report's narrative, with its figure table for ``${…}``."""

    def __init__(
        self,
        report: Report,
        derived: Derived,
        figures: dict[str, str],
        label: Callable[[int, int], str] = ordinal_label,
        money: Callable[[Decimal], str] = formatting.money,
    ) -> None:
        self.report = report
        self.derived = derived
        self.figures = figures
        self.label = label  # the layout's numbering: (outline level, count) → label
        self.money = money  # the report's way of printing money (thousands separators or not)

    def fill(self, text: str) -> str:
        return substitute(text, self.figures)

    def section(self, narrative: Narrative, level: int) -> list[Paragraph]:
        """All paragraphs of a section whose first numbered items are at outline ``level``."""
        if isinstance(narrative, str):
            return list(self._lines(narrative))
        return list(self._blocks(narrative, level))

    def _lines(self, text: str) -> Iterator[Paragraph]:
        for line in text.splitlines():
            if line.strip():
                yield Paragraph("text", self.fill(line.strip()))

    def _blocks(self, blocks: list[Block], level: int) -> Iterator[Paragraph]:
        counter = 0

        def label() -> str:
            nonlocal counter
            counter += 1
            return self.label(level, counter)

        for block in blocks:
            if isinstance(block, str):
                yield from self._lines(block)
            elif isinstance(block, Item):
                generated = label()
                yield from self._item(block, block.label or generated, level)
            elif isinstance(block, NumberedBlock):
                for entry in block.numbered:
                    yield Paragraph("item", self.fill(entry), label(), level=level)
            elif isinstance(block, JoinedBlock):
                yield Paragraph("text", self._joined(block.joined, block.intro, block.outro))
            elif isinstance(block, KeyTasksBlock):
                yield from self._key_tasks(block, level)
            elif isinstance(block, IndicatorsBlock):
                yield Paragraph("text", self._indicators(block))
            elif isinstance(block, SummaryBlock):
                yield from self.summary(block.summary)

    def _item(self, item: Item, label: str, level: int) -> Iterator[Paragraph]:
        title = self.fill(item.title) if item.title else ""
        if item.text is not None:
            yield Paragraph("item", self.fill(item.text), label, title, level)
        else:
            yield Paragraph("heading", "", label, title, level)
        if item.body is not None:
            yield from self.section(item.body, level + 1)

    def _joined(self, entries: list[str], intro: str | None, outro: str | None) -> str:
        parts = [
            f"{enumerate_chinese(i)}{self.fill(entry).rstrip(_ITEM_END)}"
            for i, entry in enumerate(entries, 1)
        ]
        text = self.fill(intro or "") + "；".join(parts) + "。"
        return text + self.fill(outro or "")

    def _task_sentence(self, task: KeyTask) -> str:
        spent = ""
        if task.spending is not None:
            spent = f"支出 {self.money(task.spending)}万元"
        detail = task.text or ""  # the facts' text comes filled (placeholders.with_figures)
        return "，".join(part for part in (f"{task.name}{spent}", detail) if part)

    def _key_tasks(self, block: KeyTasksBlock, level: int) -> Iterator[Paragraph]:
        tasks = self.report.key_tasks.items if self.report.key_tasks else []
        if block.key_tasks == "joined":
            yield Paragraph(
                "text", self._joined([self._task_sentence(t) for t in tasks], block.intro, None)
            )
            return
        if block.intro:
            yield Paragraph("text", self.fill(block.intro))
        for i, task in enumerate(tasks, 1):
            label = self.label(level, i)
            yield Paragraph("heading", "", label, task.name, level)
            rest = []
            if task.spending is not None:
                rest.append(f"支出 {self.money(task.spending)}万元")
            if task.text:
                rest.append(task.text.rstrip("。"))
            if rest:
                yield Paragraph("text", "，".join(rest) + "。")

    def _indicators(self, block: IndicatorsBlock) -> str:
        sentences = []
        for i, indicator in enumerate(self.report.indicators):
            if indicator.category not in block.indicators:
                continue
            sentence = indicator.name
            if indicator.actual is not None:
                about = "约" if indicator.approximate else ""
                sentence += f"{about}{formatting.quantity(indicator.actual)}{indicator.unit or ''}"
            rate = self.derived.indicator_completion[i]
            if rate is not None:
                sentence += f"，指标完成率为{formatting.percent(rate)}"
            sentences.append(sentence)
        text = self.fill(block.intro or "") + "，".join(sentences) + "。"
        return text + self.fill(block.outro or "")

    def summary(self, which: Literal["finance", "score", "organization"]) -> list[Paragraph]:
        """The paragraphs reportgen writes itself from the facts."""
        if which == "finance":
            return [Paragraph("text", self._finance_summary())]
        if which == "score":
            return [Paragraph("text", self._score_summary())]
        return [Paragraph("text", self._organization_summary())]

    def _finance_summary(self) -> str:
        budget, d, money = self.report.budget, self.derived, self.money
        spent = budget.expenditure
        year = self.report.year
        sentences: list[str] = []
        if budget.initial is not None and budget.adjusted is not None:
            sentences.append(
                f"{year}年度年初预算{money(budget.initial)}万元，调整预算{money(budget.adjusted)}万元"
            )
        elif d.budget_base is not None:
            sentences.append(f"{year}年度部门预算{money(d.budget_base)}万元")
        spending = f"全年支出{money(d.expenditure_total)}万元"
        if d.execution_rate is not None:
            spending += f"，预算执行率为{formatting.percent(d.execution_rate)}"
        sentences.append(spending)
        text = "，".join(sentences) + "。"
        lines = []
        if spent.basic is not None:
            basic = f"基本支出{money(spent.basic.amount)}万元"
            if spent.basic.personnel is not None and spent.basic.public is not None:
                basic += (
                    f"（人员经费{money(spent.basic.personnel.amount)}万元，"
                    f"公用经费{money(spent.basic.public.amount)}万元）"
                )
            if d.basic_execution_rate is not None:
                basic += f"，执行率为{formatting.percent(d.basic_execution_rate)}"
            lines.append(basic)
        if spent.project is not None:
            project = f"项目支出{money(spent.project.amount)}万元"
            if d.project_execution_rate is not None:
                project += f"，执行率为{formatting.percent(d.project_execution_rate)}"
            lines.append(project)
        if lines:
            text += f"其中{'；'.join(lines)}。"
        if budget.income is not None and d.income_total is not None:
            text += f"全年收入合计{money(d.income_total)}万元"
            shares = "；".join(
                f"{s.name}{money(s.amount)}万元，占总收入{formatting.percent(share)}"
                for s, share in zip(budget.income.sources, d.income_shares, strict=True)
                if share is not None
            )
            text += f"，其中{shares}。" if shares else "。"
        carry = budget.carryover
        if carry is not None:
            text += f"年末结转结余{money(carry.year_end)}万元"
            if d.carryover_rate is not None:
                text += f"，结转结余率为{formatting.percent(d.carryover_rate)}"
            text += "。"
        return text

    def _score_summary(self) -> str:
        score = self.report.self_score
        text = f"{self.report.year}年度部门整体支出绩效自评得分为{formatting.score(score.total)}分"
        if score.components:
            parts = "，".join(
                f"{c.name}{formatting.score(c.score)}分"
                + (f"（满分{formatting.score(c.max)}分）" if c.max is not None else "")
                for c in score.components
            )
            text += f"，其中{parts}"
        return text + f"，自评等级为“{score.grade or self.derived.grade}”。"

    def _organization_summary(self) -> str:
        org = self.report.organization
        assert org is not None, "R004 refuses an organization summary without the facts"
        parts = []
        if org.internal_units:
            parts.append(
                f"内设机构{len(org.internal_units)}个，分别是{'、'.join(org.internal_units)}"
            )
        if org.subordinate_units:
            parts.append(
                f"下属单位{len(org.subordinate_units)}个，分别是{'、'.join(org.subordinate_units)}"
            )
        return "；".join(parts) + "。"
