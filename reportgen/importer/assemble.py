"""From a published report to the draft's content: outline, layout, narrative blocks and facts.

Why one module: ``import_report`` runs the importer's steps in order; the key-task helpers below it
serve only that sequence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.errors import UsageError
from reportgen.findings import clip
from reportgen.importer.blocks import Block, narrative
from reportgen.importer.budget_table import budget_cells, class_figures, labelled_cells
from reportgen.importer.effectiveness import (
    TableTasks,
    task_of_item,
    tasks_in_run,
    tasks_of_table,
)
from reportgen.importer.facts import (
    DATED,
    KEPT_NEXT_YEAR,
    TO_FILL,
    Conflict,
    Fact,
    Facts,
    Inexact,
    checked_components,
    scan_strings,
    scores_from_table,
    with_placeholders,
)
from reportgen.importer.indicator_merge import merge_indicators, without_a_rate
from reportgen.importer.indicator_table import indicators_from_table
from reportgen.importer.indicators import prose_indicators
from reportgen.importer.mapping import Extra, Mapping, choose_layout
from reportgen.importer.marks import Mark, Positions, holds
from reportgen.importer.outline import Outline, parse_outline
from reportgen.importer.outline_notes import dropped_marks, numbering_notes, signature
from reportgen.importer.preface import stray_lines
from reportgen.importer.quantities import kept_quantities, kept_rates
from reportgen.importer.rejoin import Doubt
from reportgen.importer.run_in import RunIn
from reportgen.importer.source import KeptTable, SourceParagraph, read_source
from reportgen.importer.years import doubtful_years
from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed
from reportgen.model.title import TITLE_SUFFIX


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
    chapters: int = 0  # the “一、” chapters found in the text
    # guesses the draft marks at the line of the string they concern
    marks: list[Mark] = field(default_factory=list)
    quantities: list[str] = field(default_factory=list)  # counted, for a next-year draft's R011
    # figures read as published that the draft holds nowhere, so no rule checks them
    unwritten: list[str] = field(default_factory=list)
    rates: list[str] = field(default_factory=list)  # typed in the prose (% or ‰), for R011 too

    def inexact_at(self, path: str) -> Inexact | None:
        """The amount in 元 published for ``path`` that the data cannot hold, if any."""
        return next((each for each in self.facts.inexact if each.path == path), None)

    def written(self, path: str) -> str | None:
        """The figure of ``path`` as the published text writes it (``3,401.26``, ``92.30``)."""
        fact = self.facts.found.get(path)
        return fact.token if fact is not None else None

    def sentence_of(self, path: str) -> str | None:
        """The sentence a fact came from (for audit), by its field path; for a list or a
        mapping, the sentence of its first fact."""
        fact = self.facts.found.get(path) or self.inexact_at(path)
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


def import_report(path: Path, layout: str | None = None, next_year: int | None = None) -> Imported:
    """Read ``path`` and work out the draft; raises :class:`UsageError` when it cannot be read.
    For ``next_year`` a figure printed otherwise than reportgen prints it becomes a placeholder
    too (its value is last year's anyway), and the notes say how its print changes."""
    source = read_source(path)
    outline = parse_outline(source.paragraphs)
    if not outline.chapters and outline.year is None:
        raise UsageError(
            f"{path}: 没有找到报告标题（年度）和“一、”这样的一级标题，不像一份部门整体支出绩效自评报告"
        )
    mapping, ranking = choose_layout(outline, layout)
    run_ins: list[RunIn] = []
    sections = [
        Section(key, heading, narrative(mapping.placements[key].paragraphs, run_ins))
        for key, heading in mapping.plan.headings.items()
        if key in mapping.placements and mapping.placements[key].paragraphs
    ]
    notes = list(mapping.notes)
    preface = mapping.plan.preface
    if outline.lead and outline.chapters and preface is not None:
        blocks = narrative(list(outline.lead), run_ins)
        sections.insert(0, Section(preface.key, preface.heading, blocks))
        lead = stray_lines(outline.lead)
        notes += [lead[2]] if lead is not None else []
    else:
        lead = _place_lead(sections, outline, mapping, run_ins, notes)
    positions = Positions(_source_order(sections, outline, mapping))
    notes.extend(numbering_notes(outline))
    if outline.year is not None and outline.department is not None:
        title = f"{outline.year}年度{outline.department}{TITLE_SUFFIX}"
        if outline.title != title:
            notes.append(
                f"原文标题为“{_clipped(outline.title)}”；reportgen 的标题总是“年度＋部门名称＋{TITLE_SUFFIX}”，"
                f"将印为“{title}”"
            )
    signed = signature(source.paragraphs, outline.department)
    if signed is not None:  # its lines are apart on purpose: no paragraph was cut there
        source.doubts[:] = [d for d in source.doubts if d.paragraph not in signed.indexes]
    heading_notes, heading_marks = dropped_marks(outline)
    marks = [positions.mark(*each) for each in heading_marks]
    notes.extend(heading_notes)
    marks += [
        positions.mark(doubt.paragraph, _doubt_words(doubt), doubt.note())
        for doubt in source.doubts
    ]
    notes.extend(doubt.note() for doubt in source.doubts)
    for header, times in Counter(source.headers).items():
        notes.append(
            f"原文中反复出现的短行“{header}”（{times} 处）当作页眉略去，未写入草稿；如是正文，请补上"
        )
    marks += [positions.mark(*lead)] if lead is not None else []
    marks += [positions.mark(r.paragraph, r.words(), r.note()) for r in run_ins]
    notes.extend(run_in.note() for run_in in run_ins)
    key = positions.key_of(signed.indexes[0]) if signed and signed.indexes else None
    if signed is not None and key is not None:
        note = signed.note(f"“{mapping.plan.headings.get(key, key)}”一节的末尾")
        marks.append(positions.mark(signed.indexes[0], signed.lines[0], note))
        notes.append(note)
    if not outline.chapters and not outline.lead:
        notes.append("没有找到“一、”这样的一级标题，全文无法分节")
    key_tasks, task_spans, table = _take_key_tasks(sections, source.tables)
    strings: list[tuple[str, str]] = []
    taken: dict[int, list[tuple[int, int, str]]] = {}

    def collect(where: Location, context: str, text: str) -> str:
        if where in task_spans:
            taken[len(strings)] = task_spans[where]
        strings.append((context, text))
        return text

    _map_strings(sections, collect)
    rows = {
        text: cells
        for table in source.tables
        for text, cells in (budget_cells(table) or labelled_cells(table)).items()
    }
    facts, replacements = scan_strings([text for _, text in strings], taken, rows)
    dropped = _unchecked_shares(facts)
    if dropped:
        notes.append("收入来源的占比合计不是 100%，又没有写收入合计：占比保留在正文中，未写入数据")
        replacements = {
            i: [span for span in spans if span[2] not in dropped]
            for i, spans in replacements.items()
        }
    facts.key_tasks = key_tasks
    if table is not None:
        _table_facts(facts, table, replacements, list(taken))
    prose = prose_indicators(strings)
    facts.indicators.extend(prose.found)
    table_scores, table_total = scores_from_table(source.score_rows)
    if not facts.components:
        facts.components = table_scores
    if table_total is not None and "score.total" not in facts.found:
        facts.found["score.total"] = Fact(
            "score.total", table_total, FigureKind.SCORE, str(table_total), "表格：合计"
        )
    stated = facts.found.get("score.total")
    total = stated.value if stated is not None and isinstance(stated.value, Decimal) else None
    components = checked_components(facts.components, total)
    if facts.components and components is None:
        names = "、".join(str(c["name"]) for c in facts.components)
        notes.append(f"只找到一项一级指标得分（{names}），未写入 score.components")
    facts.components = components or []
    table_indicators = indicators_from_table(source.indicator_rows)
    listed = indicators_from_table(
        [row for row, _ in source.listed_indicators], [said for _, said in source.listed_indicators]
    )
    table_indicators.found += listed.found
    table_indicators.unread += listed.unread
    facts.indicators = merge_indicators(facts.indicators, table_indicators.found)
    unrated = without_a_rate(prose.found, facts.indicators)
    notes += [unrated] if unrated is not None else []
    unread = prose.unread + table_indicators.unread
    notes.extend(each.note for each in unread)
    doubtful_indicators: dict[int, list[tuple[str, str]]] = {}
    for each in unread:
        if each.doubt is not None:
            doubtful_indicators.setdefault(each.doubt[0], []).append((each.doubt[1], each.note))
    if not mapping.plan.money_thousands:
        _printed_alike(facts, replacements, strings)
    if next_year is not None:
        notes.extend(_restyle(facts, replacements, strings, mapping.plan.money_thousands))
    counter = iter(range(len(strings)))
    year = outline.year
    plans = 0  # the next year's mentions made ${next_year}

    written: dict[str, list[str]] = {}  # each section's strings so far, as written
    table_rows = {row.text for table in source.tables for row in table.rows}

    def substitute(where: Location, __: str, text: str) -> str:
        nonlocal plans
        index = next(counter)
        result = with_placeholders(text, replacements.get(index, []), year)
        key = sections[int(where[0])].key
        for conflict in facts.conflicts_in.get(index, []):
            nth = sum(holds(before, conflict.then) for before in written.get(key, []))
            marks.append(Mark(conflict.then, f"发现原文前后不一致：{conflict.note()}", key, nth))
        for words, note in doubtful_indicators.get(index, []):
            nth = sum(holds(before, words) for before in written.get(key, []))
            marks.append(Mark(words, note, key, nth))
        if next_year is not None and year is not None:
            plans += result.count("${next_year}")
            said = list(doubtful_years(result, year, next_year))
            stale = _stale_row(result) if text in table_rows else None
            said += [stale] if stale is not None else []
            for words, note in said:
                nth = sum(holds(before, words) for before in written.get(key, []))
                marks.append(Mark(words, note, key, nth))
                notes.append(note)
        written.setdefault(key, []).append(result)
        return result

    _map_strings(sections, substitute)
    if plans and next_year is not None and year is not None:
        notes.append(
            f"正文中指下一年的“{year + 1}年”（{plans} 处）改为 ${{next_year}}年，印出报告年度的下一年"
            f"（{next_year}年度的报告中为“{next_year + 1}年”）"
        )
    for figure, sentence in facts.unplaced:
        notes.append(f"未能归类的金额 {figure}（“{sentence}”），留在正文中")
    for figure, sentence in facts.dated:
        notes.append(f"{DATED} {figure}（“{sentence}”）不是全年的预算执行率，留在正文中，不核对")
    notes.extend(
        f"{each.path}：{each.reason()}，正文保留原文（“{each.sentence}”）；这一项数据必须有时，"
        f"草稿中写作“{TO_FILL}”，reportgen validate 会列出"
        for each in facts.inexact
    )
    notes.extend(f"前后不一致：{c.note()}" for c in facts.conflicts)
    quantities = kept_quantities([text for _, text in strings], facts.indicators)
    by_class = [said for table in source.tables for said in class_figures(table)]
    if by_class:
        notes.append(
            f"按支出分类列出的预算表中各类支出的 {len(by_class)} 个数，数据中没有对应的项，"
            "照录在正文中（其“合计”一行写入 budget）；audit 把它们列为未核对"
        )
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
        len(outline.chapters),
        marks,
        quantities,
        [f"原文“{figure}”" for each in unread for figure in each.figures] + by_class,
        kept_rates([text for _, text in strings], facts),
    )


# A figure in a table's row that no placeholder prints (a cell the data holds nowhere).
_ROW_FIGURE = re.compile(r"\$\{[^{}]{1,200}\}|(\d[\d,.]*%?)")


def _stale_row(row: str) -> tuple[str, str] | None:
    """A next-year draft's table row that still prints last year's figures as typed: its first
    words and the note that says which (R011 knows no figure without its unit)."""
    figures = [m.group(1) for m in _ROW_FIGURE.finditer(row) if m.group(1)]
    if not figures:
        return None
    shown = "".join(f"“{figure}”" for figure in figures[:_STALE_SHOWN])
    more = f"等 {len(figures)} 个数" if len(figures) > _STALE_SHOWN else ""
    words = row[: row.find("${")] if "${" in row else row
    return words[:12] or row[:12], (
        f"表格中这一行的{shown}{more}照录上一年度的原文，不在数据中，不随年度更新：请改为本年度的数"
    )


_STALE_SHOWN = 4


def _place_lead(
    sections: list[Section],
    outline: Outline,
    mapping: Mapping,
    run_ins: list[RunIn],
    notes: list[str],
) -> tuple[int | None, str, str] | None:
    """The text between the title and the first chapter (all of it when no chapter was found)
    where the layout has no preface for it, put first in the first section, so that no word is
    lost: the draft says so there (the mark's paragraph, words and note)."""
    if not outline.lead:
        return None
    blocks = narrative(list(outline.lead), run_ins)
    if sections:
        section = sections[0]
    else:
        preface = mapping.plan.preface.key if mapping.plan.preface is not None else None
        key, heading = next((k, h) for k, h in mapping.plan.headings.items() if k != preface)
        section = Section(key, heading, [])
        sections.append(section)
    section.blocks[0:0] = blocks
    first = " ".join(outline.lead[0].text.split())
    words = clip(first, _LEAD_SHOWN) + ("……" if len(first) > _LEAD_SHOWN else "")
    if outline.chapters:
        note = (
            f"原文标题之后、第一章之前的 {len(outline.lead)} 段文字（“{words}”起）没有对应的章节，"
            f"放在“{section.heading}”一节之首：请移到合适的位置"
        )
    else:
        note = (
            f"没有找到“一、”这样的一级标题，全文无法分节：标题之后的 {len(outline.lead)} 段文字"
            f"（“{words}”起）都放在“{section.heading}”一节，请按原文的章节分开"
        )
    notes.append(note)
    return outline.lead[0].index, outline.lead[0].text[:16], note


def _source_order(
    sections: list[Section], outline: Outline, mapping: Mapping
) -> list[tuple[str, list[SourceParagraph | Extra]]]:
    """Each section's source paragraphs in the draft's order (the text before the first
    chapter first in the section it was put in)."""
    placed: list[tuple[str, list[SourceParagraph | Extra]]] = []
    for n, section in enumerate(sections):
        placement = mapping.placements.get(section.key)
        lead = list(outline.lead) if n == 0 else []
        placed.append((section.key, [*lead, *(placement.paragraphs if placement else [])]))
    return placed


_LEAD_SHOWN = 20


_TITLE_SHOWN = 80


def _clipped(text: str, most: int = _TITLE_SHOWN) -> str:
    """Text as a note quotes it: its first ``most`` characters, cut between words."""
    return text if len(text) <= most else f"{clip(text, most)}……（共 {len(text)} 字）"


def _doubt_words(doubt: Doubt) -> str:
    """Words of the draft's string a doubt is in: those either side of a join, or the end of
    the paragraph cut (its label, if any, is gone from the draft)."""
    return (doubt.before[-6:] + doubt.after[:6]) if doubt.joined else doubt.before[-6:]


def _printed_alike(
    facts: Facts,
    replacements: dict[int, list[tuple[int, int, str]]],
    strings: list[tuple[str, str]],
) -> None:
    """Keep as typed the amounts a layout without thousands separators would print otherwise
    (“1,829.40” printed “1829.40”): a placeholder prints what the text printed, or is none."""
    spending = {
        f"key_tasks.items[{n}].spending": task.get("spending")
        for n, task in enumerate(facts.key_tasks)
    }
    for index, spans in replacements.items():
        text = strings[index][1]
        kept = []
        for start, end, path in spans:
            fact = facts.found.get(path)
            value = fact.value if fact is not None and fact.kind is FigureKind.MONEY else None
            value = spending.get(path, value)
            if (
                isinstance(value, Decimal)
                and printed(FigureKind.MONEY, value, False) != text[start:end]
            ):
                continue
            kept.append((start, end, path))
        replacements[index] = kept


def _restyle(
    facts: Facts,
    replacements: dict[int, list[tuple[int, int, str]]],
    strings: list[tuple[str, str]],
    thousands: bool,
) -> list[str]:
    """Last year's figures typed otherwise than reportgen prints them (“1829.4”) become
    placeholders in a next-year draft; what each will print like is said."""
    notes: list[str] = []
    for index, spans in facts.restyled.items():
        kept = [span for span in spans if span[2] in facts.found and span[2] not in KEPT_NEXT_YEAR]
        replacements.setdefault(index, []).extend(kept)
        text = strings[index][1]
        for start, end, path in kept:
            fact = facts.found[path]
            note = (
                f"正文中的“{text[start:end]}”改为 ${{{path}}}，按 reportgen 的格式印出"
                f"（上一年的数会印为“{printed(fact.kind, fact.value, thousands)}”）"
            )
            if note not in notes:
                notes.append(note)
    return notes


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


Location = tuple[int | str, ...]  # a string's place among the sections' blocks
TaskSpans = dict[Location, list[tuple[int, int, str]]]


def _table_facts(
    facts: Facts,
    table: TableTasks,
    replacements: dict[int, list[tuple[int, int, str]]],
    rows: list[int],
) -> None:
    """What a key-task table states besides its tasks: the 合计 row's total (unless the prose
    states another, which is then a conflict and prints as published), and amounts in 元 that
    万元 cannot hold."""
    facts.inexact.extend(table.inexact)
    if table.total is None:
        return
    value, token, sentence = table.total
    known = facts.found.get("key_tasks.total")
    if known is None:
        facts.found["key_tasks.total"] = Fact(
            "key_tasks.total", value, FigureKind.MONEY, token, sentence
        )
    elif known.value != value:
        facts.conflicts.append(
            Conflict("key_tasks.total", known.token, token, sentence, known.sentence, "表格中")
        )
        for index in rows:
            replacements[index] = [s for s in replacements[index] if s[2] != "key_tasks.total"]


def _take_key_tasks(
    sections: list[Section], tables: list[KeptTable]
) -> tuple[list[dict[str, Any]], TaskSpans, TableTasks | None]:
    """The first run of key tasks, each “××经费支出 X万元” with its spending: the tasks, and
    the spans of their amounts in the prose.

    However they are written — “一是…；二是…”, entries parted by “。”, numbered items, the rows
    of a table — they keep their words, their amounts becoming
    ``${key_tasks.items[N].spending}``."""
    by_first_row = {table.rows[0].text: table for table in tables if table.rows}
    for n, section in enumerate(sections):
        at_table = _task_table_in(section.blocks, (n,), by_first_row)
        if at_table is not None:
            return at_table
        found = _tasks_in(section.blocks, (n,))
        if found is not None:
            return (*found, None)
    return [], {}, None


def _task_table_in(
    blocks: list[Block], where: Location, tables: dict[str, KeptTable]
) -> tuple[list[dict[str, Any]], TaskSpans, TableTasks] | None:
    """A key-task table whose rows are paragraphs of ``blocks`` (or of an item's body)."""
    for index, block in enumerate(blocks):
        if isinstance(block, dict):
            body = block.get("body")
            inner = (
                _task_table_in(body, (*where, index, "body"), tables)
                if isinstance(body, list)
                else None
            )
            if inner is not None:
                return inner
            continue
        table = tables.get(block)
        rows = [row.text for row in table.rows] if table is not None else []
        if table is None or blocks[index : index + len(rows)] != rows:
            continue
        found = tasks_of_table(table)
        if found is not None:
            spans = {(*where, index + i): row for i, row in found.spans.items()}
            return found.tasks, spans, found
    return None


def _tasks_in(
    blocks: list[Block], where: Location
) -> tuple[list[dict[str, Any]], TaskSpans] | None:
    for index, block in enumerate(blocks):
        at = (*where, index)
        if isinstance(block, str):
            run = tasks_in_run(block)
            if run is not None:
                return _placed([(task, (*at,), span) for task, span in run])
            continue
        for kind in ("joined", "numbered"):
            entries = [
                (task_of_item(None, entry), (*at, kind, i))
                for i, entry in enumerate(block.get(kind, []))
            ]
            found = _all_tasks(entries)
            if found is not None:
                return found
        body = block.get("body")
        if isinstance(body, list):
            inner = _tasks_in(body, (*at, "body"))
            if inner is not None:
                return inner
    return _tasks_of_items(blocks, where)


def _tasks_of_items(
    blocks: list[Block], where: Location
) -> tuple[list[dict[str, Any]], TaskSpans] | None:
    """Sibling items, each a key task: “（1）××项目” over “全年支出 X万元，…”, or “××项目：
    支出 X万元，…” in one paragraph."""
    entries: list[tuple[tuple[dict[str, Any], tuple[int, int]] | None, Location]] = []
    for index, block in enumerate(blocks):
        if isinstance(block, str) or not ({"title", "text"} & set(block)):
            continue
        title, text, body = block.get("title"), block.get("text"), block.get("body")
        if text is not None:
            entries.append((task_of_item(title, text), (*where, index, "text")))
        elif isinstance(body, list) and body and isinstance(body[0], str):
            entries.append((task_of_item(title, body[0]), (*where, index, "body", 0)))
        else:
            entries.append((None, (*where, index)))
    return _all_tasks(entries)


def _all_tasks(
    entries: list[tuple[tuple[dict[str, Any], tuple[int, int]] | None, Location]],
) -> tuple[list[dict[str, Any]], TaskSpans] | None:
    """The tasks of a list whose every entry is one (two at least)."""
    if len(entries) < 2 or any(found is None for found, _ in entries):
        return None
    return _placed([(found[0], at, found[1]) for found, at in entries if found is not None])


def _placed(
    found: list[tuple[dict[str, Any], Location, tuple[int, int]]],
) -> tuple[list[dict[str, Any]], TaskSpans]:
    spans: TaskSpans = {}
    for n, (_, at, (start, end)) in enumerate(found):
        spans.setdefault(at, []).append((start, end, f"key_tasks.items[{n}].spending"))
    return [task for task, _, _ in found], spans


def _map_strings(sections: list[Section], change: Callable[[Location, str, str], str]) -> None:
    """Apply ``change(where, context, text)`` to every string of the narrative, in reading
    order."""

    def walk(value: Any, context: str, where: Location) -> Any:
        if isinstance(value, str):
            return change(where, context, value)
        if isinstance(value, list):
            return [walk(v, context, (*where, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            title = value.get("title")
            inner = f"{context} {title}" if isinstance(title, str) else context
            order = ["intro", "title", "text", "joined", "numbered", "body"]
            keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
            return {
                k: value[k] if k == "key_tasks" else walk(value[k], inner, (*where, k))
                for k in keys
            }
        return value

    for n, section in enumerate(sections):
        section.blocks = walk(section.blocks, section.heading, (n,))


__all__ = ["Fact", "Imported", "Section", "import_report"]
