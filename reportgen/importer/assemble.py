"""From a published report to the draft's content: outline, layout, narrative blocks and facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.errors import UsageError
from reportgen.importer.blocks import Block, narrative, split_joined
from reportgen.importer.effectiveness import (
    checkable,
    indicators_from_table,
    indicators_in,
    key_tasks_of,
    merge_indicators,
)
from reportgen.importer.facts import (
    Fact,
    Facts,
    checked_components,
    scan_strings,
    with_placeholders,
)
from reportgen.importer.mapping import Mapping, choose_layout
from reportgen.importer.outline import parse_outline
from reportgen.importer.source import read_source


@dataclass
class Section:
    key: str
    heading: str
    blocks: list[Block]


@dataclass
class Imported:
    """Everything the draft says, and what could not be placed."""

    source: str
    year: int | None
    department: str | None
    attachment: str | None
    title: str
    mapping: Mapping
    ranking: list[Mapping]
    sections: list[Section]
    facts: Facts
    notes: list[str] = field(default_factory=list)

    def sentence_of(self, path: str) -> str | None:
        """The sentence a fact came from (for audit), by its field path; for a list or a
        mapping, the sentence of its first fact."""
        fact = self.facts.found.get(path)
        if fact is not None:
            return fact.sentence
        for prefix, items in (
            ("key_tasks.items", self.facts.key_tasks),
            ("indicators", self.facts.indicators),
            ("score.components", self.facts.components),
        ):
            if path == prefix and items:
                return str(items[0].get("sentence", "")) or None
            if path.startswith(prefix + "["):
                index = path[len(prefix) + 1 : path.index("]")]
                if index.isdigit() and int(index) < len(items):
                    return str(items[int(index)].get("sentence", "")) or None
        inner = [f for p, f in self.facts.found.items() if p.startswith((f"{path}.", f"{path}["))]
        return inner[0].sentence if inner else None


def import_report(path: Path, layout: str | None = None) -> Imported:
    """Read ``path`` and work out the draft; raises :class:`UsageError` when it cannot be read."""
    source = read_source(path)
    outline = parse_outline(source.paragraphs)
    if not outline.chapters and outline.year is None:
        raise UsageError(
            f"{path}: 没有找到报告标题（年度）和“一、”这样的一级标题，不像一份部门整体支出绩效自评报告"
        )
    mapping, ranking = choose_layout(outline, layout)
    sections = [
        Section(key, heading, narrative(mapping.placements[key].paragraphs))
        for key, heading in mapping.plan.headings.items()
        if key in mapping.placements and mapping.placements[key].paragraphs
    ]
    notes = list(mapping.notes)
    if not outline.chapters:
        notes.append("没有找到“一、”这样的一级标题，全文无法分节")
    key_tasks = _take_key_tasks(sections)
    strings: list[tuple[str, str]] = []

    def collect(context: str, text: str) -> str:
        strings.append((context, text))
        return text

    _map_strings(sections, collect)
    facts, replacements = scan_strings([text for _, text in strings])
    dropped = _unchecked_shares(facts)
    if dropped:
        notes.append("收入来源的占比合计不是 100%，又没有写收入合计：占比保留在正文中，未写入数据")
        replacements = {
            i: [span for span in spans if span[2] not in dropped]
            for i, spans in replacements.items()
        }
    facts.key_tasks = key_tasks
    for context, text in strings:
        facts.indicators.extend(i for i in indicators_in(text, context) if checkable(i))
    components = checked_components(facts.components)
    if facts.components and components is None:
        names = "、".join(str(c["name"]) for c in facts.components)
        notes.append(f"只找到一项一级指标得分（{names}），未写入 score.components")
    facts.components = components or []
    facts.indicators = merge_indicators(
        facts.indicators, indicators_from_table(source.indicator_rows)
    )
    counter = iter(range(len(strings)))
    year = outline.year

    def substitute(_: str, text: str) -> str:
        return with_placeholders(text, replacements.get(next(counter), []), year)

    _map_strings(sections, substitute)
    for figure, sentence in facts.unplaced:
        notes.append(f"未能归类的金额 {figure}（“{sentence}”），留在正文中")
    notes.extend(f"前后不一致：{c}" for c in facts.conflicts)
    return Imported(
        str(path),
        outline.year,
        outline.department,
        outline.attachment,
        outline.title,
        mapping,
        ranking,
        sections,
        facts,
        notes,
    )


def _unchecked_shares(facts: Facts) -> set[str]:
    """Shares of income with no stated total, when they do not make 100%: the report lists only
    some sources, so the sum of those listed is no denominator (dropped, and so returned)."""
    shares = [
        path
        for path in facts.found
        if path.startswith("budget.income.sources[") and path.endswith(".share")
    ]
    if not shares or "budget.income.total" in facts.found:
        return set()
    values = [facts.found[path].value for path in shares]
    total = sum((v for v in values if isinstance(v, Decimal)), Decimal(0))
    if abs(total - 100) <= Decimal("0.1"):
        return set()
    for path in shares:
        del facts.found[path]
    return set(shares)


def _take_key_tasks(sections: list[Section]) -> list[dict[str, Any]]:
    """The first “一是××经费支出 X万元，……；二是……” paragraph becomes the key-tasks block.

    Its entries may be separated by “。” too: reportgen prints “；”, one character for facts
    the rules can check (R204)."""
    for section in sections:
        for block, replace in _runs(section.blocks):
            tasks = key_tasks_of(block)
            if tasks is None:
                continue
            new: dict[str, Any] = {"key_tasks": "joined"}
            if "intro" in block:
                new["intro"] = block["intro"]
            replace(new)
            return tasks
    return []


def _runs(blocks: list[Block]) -> list[tuple[dict[str, Any], Callable[[dict[str, Any]], None]]]:
    """Every “一是…二是…” run of the narrative, with how to replace the block it is in."""
    found: list[tuple[dict[str, Any], Callable[[dict[str, Any]], None]]] = []
    for index, block in enumerate(blocks):

        def replace(new: dict[str, Any], at: int = index) -> None:
            blocks[at] = new

        if isinstance(block, str):
            run = split_joined(block, any_separator=True)
            if run is not None:
                found.append((run, replace))
            continue
        if "joined" in block:
            found.append((block, replace))
        body = block.get("body")
        if isinstance(body, list):
            found.extend(_runs(body))
    return found


def _map_strings(sections: list[Section], change: Callable[[str, str], str]) -> None:
    """Apply ``change(context, text)`` to every string of the narrative, in reading order."""

    def walk(value: Any, context: str) -> Any:
        if isinstance(value, str):
            return change(context, value)
        if isinstance(value, list):
            return [walk(v, context) for v in value]
        if isinstance(value, dict):
            title = value.get("title")
            inner = f"{context} {title}" if isinstance(title, str) else context
            order = ["intro", "title", "text", "joined", "numbered", "body"]
            keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
            return {k: value[k] if k == "key_tasks" else walk(value[k], inner) for k in keys}
        return value

    for section in sections:
        section.blocks = walk(section.blocks, section.heading)


__all__ = ["Fact", "Imported", "Section", "import_report"]
