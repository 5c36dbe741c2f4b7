"""The draft YAML, written line by line so each figure carries its source sentence as a comment;
and writing it to a new file only, whole or not at all.

Why one module: one ``_Writer`` writes the draft in the order of the data format, each figure beside
the sentence it came from.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from reportgen.check.doubts import doubt_comment
from reportgen.errors import FileSystemError, UsageError
from reportgen.importer.assemble import Imported
from reportgen.importer.conventions import carryover_by_budget
from reportgen.importer.facts import TO_FILL, Fact, other_amounts
from reportgen.importer.marks import holds
from reportgen.importer.precision import coarse_range
from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed
from reportgen.model.outline_changes import OutlineChanges
from reportgen.model.report import Expenditure, SelfScore
from reportgen.output.atomic import NO_HARD_LINKS, create_exclusively, interrupts_held, umask

_INDENT = "  "
_BLOCK_KEY_ORDER = (
    "key_tasks",
    "indicators",
    "intro",
    "joined",
    "numbered",
    "title",
    "text",
    "body",
    "outro",
)


def scalar(value: object) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = yaml.safe_dump(str(value), allow_unicode=True, width=1_000_000_000, default_style=None)
    text = text.removesuffix("\n").removesuffix("\n...").removesuffix("\n")
    return text


_TYPED_RATE = re.compile(r"\d{1,6}(?:\.\d{1,6})?%")


def _comment(text: str) -> str:
    return " ".join(text.split())


class _Writer:
    def __init__(self, imported: Imported, next_year: int | None, table: bool = False) -> None:
        self.imported = imported
        self.next_year = next_year
        self.table = table
        self.lines: list[str] = []
        self.last_year = f"{imported.year}年" if imported.year else "上一年"
        # each placed once: in its section, at the string of its place (see marks.py)
        self.marks = {n: mark for n, mark in enumerate(imported.marks)}
        self.passed = dict.fromkeys(self.marks, 0)  # strings holding its words before its own
        self.key: str | None = None  # the section being written

    def _marked(self, line: str, value: str) -> str:
        """``line`` with the comment of each guess made in ``value`` (validate warns there)."""
        for n, mark in list(self.marks.items()):
            if mark.key not in {None, self.key} or not holds(value, mark.words):
                continue
            if mark.key is not None and self.passed[n] < mark.nth:
                self.passed[n] += 1
                continue
            del self.marks[n]
            line += doubt_comment(mark.note)
        return line

    def _unplaced(self, key: str, at: int) -> None:
        """The guesses about section ``key`` none of its strings took (their words were
        rewritten), said at the section's own line rather than not at all."""
        for n, mark in list(self.marks.items()):
            if mark.key == key:
                del self.marks[n]
                self.lines[at] += doubt_comment(mark.note)

    def fact_value(self, value: object, kind: FigureKind | None) -> str:
        if self.next_year is not None:
            return TO_FILL
        return self.fact_value_of(value, kind)

    @staticmethod
    def fact_value_of(value: object, kind: FigureKind | None) -> str:
        if kind is FigureKind.RATE and isinstance(value, Decimal):
            return f"{format(value, 'f')}%"
        return scalar(value)

    def fact(self, indent: int, key: str, fact: Fact) -> None:
        pad = _INDENT * indent
        note = f"原文：“{_comment(fact.sentence)}”"
        if fact.token.endswith("元") and not fact.token.endswith("万元"):
            note = f"原文为 {fact.token}，折合万元；{note}"
        if self.next_year is not None:
            note = f"{self.last_year}：{fact.token}；{note}"
        coarse = coarse_range(fact.token) if self.next_year is None else None
        if coarse is not None:  # 4,200.00 would print as exact what 0.42亿元 only brackets
            low, high = (format(bound.normalize(), ",f") for bound in coarse)
            note += doubt_comment(
                f"原文写作 {fact.token}（在 {low} 至 {high} 万元之间），草稿按 "
                f"{printed(FigureKind.MONEY, fact.value)} 万元写入，报告将照此印出：请改为准确的数（万元）"
            )
        self.lines.append(f"{pad}{key}: {self.fact_value(fact.value, fact.kind)}  # {note}")

    def write(self) -> str:
        imp = self.imported
        year = self.next_year or imp.year
        self._header()
        self.lines.append(f"year: {year if year is not None else TO_FILL}")
        self.lines.append(f"department: {scalar(imp.department or TO_FILL)}")
        self.lines.append(f"layout: {imp.mapping.layout}")
        if imp.attachment:
            self.lines.append(f"attachment: {scalar(imp.attachment)}")
        self.lines.append("")
        self._outline()
        self._rules()
        self._budget()
        self._score()
        self._key_tasks()
        if self.table:
            self._indicator_tree()
        else:
            self._indicators()
        if self.next_year is not None:
            self._previous(self.next_year)
        self._sections()
        return "\n".join(self.lines) + "\n"

    def _previous(self, next_year: int) -> None:
        """Last year's figures as data, so that validate finds those the prose still states."""
        imp = self.imported
        figures: dict[str, str] = {}
        for path, fact in imp.facts.found.items():
            if isinstance(fact.value, Decimal) and fact.kind is not None:
                figures[path] = self.fact_value_of(fact.value, fact.kind)
        for n, task in enumerate(imp.facts.key_tasks):
            if isinstance(task.get("spending"), Decimal):
                figures[f"key_tasks.items[{n}].spending"] = scalar(task["spending"])
        for n, component in enumerate(imp.facts.components):
            figures[f"score.components[{n}].score"] = scalar(component["score"])
        for n, indicator in enumerate(imp.facts.indicators):
            rate = indicator.get("rate")
            if isinstance(rate, str) and _TYPED_RATE.fullmatch(rate):  # as the prose typed it
                rate = Decimal(rate.removesuffix("%"))
            if isinstance(rate, Decimal) and rate != 100:  # 100% is too common to be last year's
                figures[f"indicators[{n}].rate"] = f"{format(rate, 'f')}%"
        amounts = [*other_amounts(imp.facts), *(each.exact for each in imp.facts.inexact)]
        add = self.lines.append
        year = imp.year if imp.year is not None else next_year - 1
        add(
            f"previous:  # {self.last_year}报告中的数：正文中仍写着其中一个数，reportgen validate "
            "就报错（R011），直到改为本年度的数，或写入 confirmed 表示确属本年度"
        )
        add(f"{_INDENT}year: {year}")
        if figures:
            add(f"{_INDENT}figures:")
            for path, value in figures.items():
                add(f"{_INDENT * 2}{scalar(path)}: {value}")
        if amounts:
            add(f"{_INDENT}amounts:  # 正文中未写入数据的金额（万元）")
            for amount in dict.fromkeys(amount.normalize() for amount in amounts):
                add(f"{_INDENT * 2}- {format(amount, 'f')}")
        if imp.rates:
            add(
                f"{_INDENT}rates:  # 正文中未写入数据的百分比、千分比（10 以上或有小数，100% 除外）"
            )
            for rate in imp.rates:
                add(f"{_INDENT * 2}- {rate}")
        if imp.quantities:
            add(f"{_INDENT}quantities:  # 指标实际值和正文中带计数单位的数（10 以上或有小数）")
            for quantity in imp.quantities:
                add(f"{_INDENT * 2}- {scalar(quantity)}")
        add(f"{_INDENT}confirmed: []  # 经核对确属本年度的数，照正文写，如 - 10%")
        add("")

    def _header(self) -> None:
        imp = self.imported
        add = self.lines.append
        add(f"# {imp.title or '（未找到报告标题）'}")  # whole: with no heading, the text is here
        add(
            f"# 由 reportgen import 从 {imp.source} 生成的草稿：请逐项核对后运行 reportgen validate。"
        )
        others = "；".join(f"{m.layout} {m.score:.1f}" for m in imp.ranking)
        add(f"# 版式：{imp.mapping.layout}（按标题匹配的得分：{others}；可用 --layout 指定）")
        if self.next_year is not None:
            add(
                f"# 这是 {self.next_year} 年度的草稿：数据项写着“{TO_FILL}”，注释中是{self.last_year}的数；"
                "正文沿用上一年的文字，其中的情况和数字请改为本年度的。"
            )
        if imp.notes:
            add("#")
            add("# 未能自动放置、需要人工核对的内容：")
            for note in imp.notes:
                add(f"#   - {_comment(note)}")
        add("")

    def _outline(self) -> None:
        """The department's outline changes, each with the layout's wording it replaces."""
        changes = self.imported.mapping.changes
        if changes == OutlineChanges():  # (not model_dump: a serializer is built at each run)
            return
        layout = self.imported.mapping.layout_headings
        add = self.lines.append
        add("outline:  # 本部门的章节与版式不同之处（见 docs/yaml-format.md“调整本部门的章节”）")
        for name, entries in (("headings", changes.headings), ("notes", changes.notes)):
            if entries:
                add(f"{_INDENT}{name}:")
            for key, text in entries.items():
                add(f"{_INDENT * 2}{key}: {scalar(text)}  # 版式中为“{layout[key]}”")
        if changes.extra_sections:
            add(f"{_INDENT}extra_sections:  # 版式中没有的节")
            for extra in changes.extra_sections:
                add(f"{_INDENT * 2}- key: {extra.key}")
                add(f"{_INDENT * 3}heading: {scalar(extra.heading)}")
                place, anchor = ("after", extra.after) if extra.after else ("before", extra.before)
                add(f"{_INDENT * 3}{place}: {anchor}")
        if changes.omit:
            add(f"{_INDENT}omit:  # 原文没有的选填节")
            for key in changes.omit:
                add(f"{_INDENT * 2}- {key}  # {layout[key]}")
        if changes.chapter_bodies:
            add(f"{_INDENT}chapter_bodies:  # 原文整章一段正文、不分节")
            for key in changes.chapter_bodies:
                add(f"{_INDENT * 2}- {key}  # {layout[key]}")
        add("")

    def _rules(self) -> None:
        """The conventions the report's own figures show it computed with."""
        why = carryover_by_budget(self.imported.facts.found)
        if why is not None:
            self.lines.append("rules:")
            self.lines.append(f"{_INDENT}carryover_denominator: budget  # {_comment(why)}")
            self.lines.append("")

    def _money(self, indent: int, key: str, path: str) -> bool:
        fact = self.imported.facts.found.get(path)
        if fact is None:
            return False
        self.fact(indent, key, fact)
        return True

    def _to_fill(self, indent: int, key: str, path: str, what: str) -> None:
        """A figure the data cannot do without and the draft has not: 待填写, and why."""
        inexact = self.imported.inexact_at(path)
        note = f"原文中没有找到{what}"
        if inexact is not None:
            note = f"{inexact.reason()}：请填写；原文：“{_comment(inexact.sentence)}”"
        self.lines.append(f"{_INDENT * indent}{key}: {TO_FILL}  # {note}")

    def _has(self, prefix: str) -> bool:
        return any(path.startswith(prefix) for path in self.imported.facts.found)

    def _budget(self) -> None:
        add = self.lines.append
        add("budget:")
        self._money(1, "initial", "budget.initial")
        self._money(1, "adjusted", "budget.adjusted")
        self._money(1, "execution_rate", "budget.execution_rate")
        sources = self.imported.facts.income_sources
        if sources or self._has("budget.income.total"):
            add(f"{_INDENT}income:")
            self._money(2, "total", "budget.income.total")
        if sources:
            add(f"{_INDENT * 2}sources:")
            for i, name in enumerate(sources):
                add(f"{_INDENT * 3}- name: {scalar(name)}")
                if not self._money(4, "amount", f"budget.income.sources[{i}].amount"):
                    add(f"{_INDENT * 4}amount: {TO_FILL}")
                self._money(4, "share", f"budget.income.sources[{i}].share")
        add(f"{_INDENT}expenditure:")
        split = self._has("budget.expenditure.basic") and self._has("budget.expenditure.project")
        if not self._money(2, "total", "budget.expenditure.total") and not split:
            self._to_fill(2, "total", "budget.expenditure.total", "支出合计")
        for part, label in (("basic", "基本支出"), ("project", "项目支出")):
            if not self._has(f"budget.expenditure.{part}") and _optional(Expenditure, part):
                add(f"{_INDENT * 2}# {part}: 原文中没有找到{label}")
                continue
            add(f"{_INDENT * 2}{part}:")
            if not self._money(3, "amount", f"budget.expenditure.{part}.amount"):
                self._to_fill(3, "amount", f"budget.expenditure.{part}.amount", label)
            self._money(3, "budget", f"budget.expenditure.{part}.budget")
            self._money(3, "execution_rate", f"budget.expenditure.{part}.execution_rate")
            self._money(3, "share", f"budget.expenditure.{part}.share")
            if part == "basic":
                for line in ("personnel", "public"):
                    if self._has(f"budget.expenditure.basic.{line}"):
                        add(f"{_INDENT * 3}{line}:")
                        self._money(4, "amount", f"budget.expenditure.basic.{line}.amount")
        if self._has("budget.carryover"):
            add(f"{_INDENT}carryover:")
            self._money(2, "year_start", "budget.carryover.year_start")
            if not self._money(2, "year_end", "budget.carryover.year_end"):
                self._to_fill(2, "year_end", "budget.carryover.year_end", "年末结转结余")
            self._money(2, "rate", "budget.carryover.rate")
            if "budget.carryover.limit" in self.imported.facts.found:
                fact = self.imported.facts.found["budget.carryover.limit"]
                rate = f"{format(fact.value, 'f')}%" if isinstance(fact.value, Decimal) else TO_FILL
                self.lines.append(
                    f"{_INDENT * 2}limit: {rate}  # 原文：“{_comment(fact.sentence)}”"
                )
        add("")

    def _score(self) -> None:
        self.lines.append("score:")
        if self._money(1, "total", "score.total"):
            pass
        elif _optional(SelfScore, "total"):
            self.lines.append(f"{_INDENT}# total: 原文中没有找到自评得分")
        else:
            self.lines.append(f"{_INDENT}total: {TO_FILL}  # 原文中没有找到自评得分")
        grade = self.imported.facts.found.get("score.grade")
        if grade is not None:
            self.fact(1, "grade", grade)
        components = self.imported.facts.components
        if components:
            self.lines.append(f"{_INDENT}components:")
            for component in components:
                note = f"原文：“{_comment(str(component['sentence']))}”"
                if self.next_year is not None:
                    note = f"{self.last_year}：{component['score']}；{note}"
                self.lines.append(f"{_INDENT * 2}- name: {scalar(component['name'])}")
                self.lines.append(
                    f"{_INDENT * 3}score: {self.fact_value(component['score'], None)}  # {note}"
                )
                if component["max"] is not None:
                    self.lines.append(f"{_INDENT * 3}max: {scalar(component['max'])}")
        self.lines.append("")

    def _key_tasks(self) -> None:
        tasks = self.imported.facts.key_tasks
        if not tasks:
            return
        add = self.lines.append
        add("key_tasks:")
        self._money(1, "total", "key_tasks.total")
        add(f"{_INDENT}items:")
        for n, task in enumerate(tasks):
            add(f"{_INDENT * 2}- name: {scalar(task['name'])}")
            note = f"原文：“{_comment(str(task['sentence']))}”"
            path = f"key_tasks.items[{n}].spending"
            inexact = self.imported.inexact_at(path)
            if "spending" not in task and "key_tasks.total" in self.imported.facts.found:
                self._to_fill(3, "spending", path, "支出")  # the total needs every part (R204)
            elif inexact is not None:
                add(f"{_INDENT * 3}# spending: {inexact.reason()}；{note}")
            elif "spending" in task:
                spending = self.fact_value(task["spending"], FigureKind.MONEY)
                if self.next_year is not None:
                    note = f"{self.last_year}：{task['spending']}；{note}"
                add(f"{_INDENT * 3}spending: {spending}  # {note}")
            if "text" in task:
                add(f"{_INDENT * 3}text: {scalar(task['text'])}")
        add("")

    def _indicators(self) -> None:
        indicators = self.imported.facts.indicators
        if not indicators:
            return
        add = self.lines.append
        add("indicators:")
        for indicator in indicators:
            add(
                f"{_INDENT}- name: {scalar(indicator['name'])}  # 原文：“{_comment(str(indicator['sentence']))}”"
            )
            add(f"{_INDENT * 2}category: {indicator['category']}")
            if "sign" in indicator:
                add(f"{_INDENT * 2}sign: {scalar(indicator['sign'])}")
            for key in ("target", "actual"):
                if key in indicator:
                    value = (
                        TO_FILL if self.next_year and key == "actual" else scalar(indicator[key])
                    )
                    add(f"{_INDENT * 2}{key}: {value}")
            if "unit" in indicator:
                add(f"{_INDENT * 2}unit: {scalar(indicator['unit'])}")
            if indicator.get("approximate"):
                add(f"{_INDENT * 2}approximate: true")
            if indicator.get("direction"):
                add(f"{_INDENT * 2}direction: {indicator['direction']}")
            for key in ("rate", "max_score", "score"):
                if key in indicator:
                    value = TO_FILL if self.next_year else scalar(indicator[key])
                    add(f"{_INDENT * 2}{key}: {value}")
            if "reason" in indicator:
                add(f"{_INDENT * 2}reason: {scalar(indicator['reason'])}")
        add("")

    def _indicator_tree(self) -> None:
        """The indicators as the 自评表's tree (``import --table``); without a usable profile,
        as the flat list."""
        from reportgen.importer.tree import tree_lines

        lines = tree_lines(self.imported, self.next_year, scalar, _comment)
        if lines is None:
            self._indicators()
        else:
            self.lines += lines

    def _sections(self) -> None:
        add = self.lines.append
        if not self.imported.sections:
            add("sections: {}  # 没有找到可放入各节的正文：请按 docs/yaml-format.md 填写")
            return
        add("sections:")
        for section in self.imported.sections:
            add(f"{_INDENT}# {section.heading}")
            for note in self.imported.mapping.section_notes.get(section.key, []):
                add(f"{_INDENT}# 注意：{_comment(note)}")
            at = len(self.lines)
            add(f"{_INDENT}{section.key}:")
            self.key = section.key
            self._blocks(section.blocks, 2)
            self._unplaced(section.key, at)
            add("")

    def _blocks(self, blocks: list[Any], indent: int) -> None:
        pad = _INDENT * indent
        for block in blocks:
            if isinstance(block, str):
                self.lines.append(self._marked(f"{pad}- {scalar(block)}", block))
                continue
            keys = sorted(
                block, key=lambda k: _BLOCK_KEY_ORDER.index(k) if k in _BLOCK_KEY_ORDER else 99
            )
            for n, key in enumerate(keys):
                lead = f"{pad}- " if n == 0 else f"{pad}  "
                value = block[key]
                if isinstance(value, list):
                    self.lines.append(f"{lead}{key}:")
                    if key == "body":
                        self._blocks(value, indent + 2)
                    else:
                        for entry in value:
                            line = f"{pad}{_INDENT * 2}- {scalar(entry)}"
                            self.lines.append(self._marked(line, str(entry)))
                else:
                    self.lines.append(self._marked(f"{lead}{key}: {scalar(value)}", str(value)))


def _optional(model: type[BaseModel], name: str) -> bool:
    """Whether the model lets the draft leave a figure out (the report did not state it):
    then it is left out, as BRIEF §3 asks, rather than marked 待填写."""
    return not model.model_fields[name].is_required()


def draft_text(imported: Imported, next_year: int | None = None, table: bool = False) -> str:
    """The commented draft YAML; with ``next_year``, last year's facts become comments; with
    ``table``, the indicators are written as the 自评表's tree."""
    return _Writer(imported, next_year, table).write()


def write_new(target: Path, text: str) -> None:
    """Create ``target`` with ``text``: whole or not at all, and never over an existing file.

    The text goes to a temporary file beside ``target``, flushed to disk, then is hard-linked
    to ``target``: the link fails when anything stands there, even a file created a moment
    ago. Where hard links are not supported, ``O_EXCL`` creates the file and a failure while
    writing removes it.
    """
    content = text.encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileSystemError(f"无法创建目录 {target.parent}", exc) from exc
    if target.exists() or target.is_symlink():
        raise _exists(target)
    temporary: str | None = None
    try:
        try:
            with interrupts_held():  # so that the clean-up below knows the file's name
                handle, temporary = tempfile.mkstemp(
                    dir=target.parent, prefix=".reportgen-", suffix=".tmp"
                )
                stream = os.fdopen(handle, "wb")
        except OSError as exc:
            raise FileSystemError(f"无法创建 {target}", exc) from exc
        try:
            with stream:
                os.chmod(temporary, 0o666 & ~umask())
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.link(temporary, target)
        except FileExistsError as exc:
            raise _exists(target) from exc
        except OSError as exc:
            if exc.errno not in NO_HARD_LINKS:
                raise FileSystemError(f"无法写入 {target}", exc) from exc
            try:
                create_exclusively(target, content)
            except FileExistsError as missing_link:
                raise _exists(target) from missing_link
    finally:
        if temporary is not None:
            with interrupts_held(), contextlib.suppress(OSError):
                os.unlink(temporary)


def _exists(target: Path) -> UsageError:
    return UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个文件名或先移走它")
