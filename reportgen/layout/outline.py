"""The outline of a report: a layout's chapters, sections and numbering (its ``outline.yaml``,
read and checked within its limits), and the plan a report is printed in. One department's
changes to it are made by :mod:`reportgen.layout.resolve`.

Why one module: the outline file's model, its limits and the plan made of it are one contract."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from reportgen.findings import FieldPath, Finding, Location, Severity, error
from reportgen.layout.numbering import DEFAULT_NUMBERING, NumberingStyle, numbered, ordinal_label
from reportgen.model.base import Name, StrictModel, Text, empty_list
from reportgen.model.formatting import money
from reportgen.model.outline_changes import SectionKey, is_section_key
from reportgen.read.loader import Document, load_file

OUTLINE_FILE = "outline.yaml"

# What an outline may hold: a real one has 4–6 chapters, 10–20 sections and fits in 2 KiB; the
# limits are far above that and keep a layout's check well under a second whatever the file.
MAX_OUTLINE_BYTES = 64 * 1024
MAX_CHAPTERS = 30
MAX_SECTIONS = 200  # in all chapters together
MAX_HEADING = 60  # characters


def _flag(value: Any) -> Any:
    """Only ``true`` or ``false``: ``yes``, ``1`` or ``是`` in an outline are likely mistakes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise PydanticCustomError("flag", "应为 true 或 false，实际为“{value}”", {"value": str(value)})


Flag = Annotated[bool, BeforeValidator(_flag)]


class SectionSpec(StrictModel):
    """A （一） section of a layout."""

    key: SectionKey = Field(max_length=40, description="节的键名，与数据中 sections 下的键相同")
    heading: Text = Field(max_length=MAX_HEADING, description="标题（不含编号）")
    required: Flag = Field(False, description="必填：数据中没有这一节时报错")
    from_facts: Literal["finance", "score"] | None = Field(
        None, description="数据未写这一节时由数字生成：finance 收支情况 | score 自评结论"
    )
    indicator_table: Flag = Field(False, description="在这一节正文之后印绩效指标表")
    budget_table: Flag = Field(False, description="在这一节正文之后印收支情况表")


class PrefaceSpec(StrictModel):
    """The untitled text before the first chapter (“根据……现将……报告如下：”): no heading, no
    number; the layout says only where the data writes it and whether it must."""

    key: SectionKey = Field(
        max_length=40, description="前言在数据中的键名（sections 下），内置版式为 preface"
    )
    name: Text = Field(
        "前言", max_length=MAX_HEADING, description="称呼：不印出，只在提示、表单和文档中用"
    )
    required: Flag = Field(False, description="必填：数据中没有前言时报错；不写为选填")


class ChapterSpec(StrictModel):
    """A 一、 chapter: its （一） sections, or none, when its own key holds its one body."""

    key: SectionKey = Field(max_length=40, description="章的键名；没有 sections 时也是正文所在的节")
    heading: Text = Field(max_length=MAX_HEADING, description="标题（不含编号）")
    required: Flag = Field(False, description="没有 sections 的章：数据中没有正文时报错")
    sections: list[SectionSpec] = Field(
        default_factory=empty_list, description="各节，按印出的顺序"
    )
    indicator_table: Flag = Field(
        False, description="在这一章之后（整章正文或最后一节之后）印绩效指标表"
    )
    budget_table: Flag = Field(False, description="在这一章之后印收支情况表")

    @field_validator("sections")
    @classmethod
    def _not_empty(cls, sections: list[SectionSpec]) -> list[SectionSpec]:
        if not sections:
            raise PydanticCustomError(
                "sections_empty",
                "sections 是空的：不分节的章请删去 sections 这一行（正文写在数据 sections 下章的键名中）",
                {},
            )
        return sections


def _default_numbering() -> list[NumberingStyle]:
    """A fresh copy (a named function: the model's validator is pickled, reportgen/model/compiled.py)."""
    return list(DEFAULT_NUMBERING)


class Outline(StrictModel):
    """A layout's ``outline.yaml``."""

    label: Text = Field(max_length=100, description="版式的中文说明，reportgen layout list 中显示")
    numbering: list[NumberingStyle] = Field(
        default_factory=_default_numbering,
        min_length=1,
        max_length=4,
        description="各级编号：章、节、条目、子条目，默认 一、 （一） 1. （1）；"
        "可用 一、 （一） 1. 1、 1． （1） (1) ①（一 为中文数字，1 为阿拉伯数字）",
    )
    preface: PrefaceSpec | None = Field(
        None,
        description="第一章之前不带标题、不编号的一段（如“根据……要求，现将……报告如下：”）；"
        "不写则版式没有前言",
    )
    chapters: list[ChapterSpec] = Field(min_length=1, description="各章，按印出的顺序")
    money_thousands: Flag = Field(
        True,
        description="金额是否用千位分隔符（4,281.75 或 4281.75）；各部门可在数据的 printing 中改",
    )
    profile: Name | None = Field(
        None,
        description="自评表的评分方案：内置 national | district，或版式文件夹旁 profiles/ 中的方案；"
        "不写为 district",
    )


@dataclass(frozen=True)
class PlannedSection:
    key: str
    heading: str
    required: bool = False
    from_facts: Literal["finance", "score"] | None = None
    indicator_table: bool = False
    budget_table: bool = False


@dataclass(frozen=True)
class PlannedChapter:
    """A chapter as printed: its sections, or (``body``) one body under its own key. A body
    chapter the department gave sections of its own (``extra_sections`` with ``chapter:``) keeps
    that text as its ``lead``, printed under the chapter's heading before the sections."""

    key: str
    heading: str
    required: bool
    sections: tuple[PlannedSection, ...] = ()
    indicator_table: bool = False
    budget_table: bool = False
    lead: bool = False

    @property
    def body(self) -> bool:
        return not self.sections

    @property
    def own_text(self) -> bool:
        """Whether the chapter's own key holds text: its one body, or its lead."""
        return self.body or self.lead


@dataclass(frozen=True)
class Plan:
    """The outline one report is printed in: the layout's, with the department's changes."""

    chapters: tuple[PlannedChapter, ...]
    numbering: tuple[str, ...] = DEFAULT_NUMBERING
    omitted: frozenset[str] = frozenset()
    money_thousands: bool = True  # 4,281.75 or 4281.75
    # the untitled text before the first chapter: its heading is its name, never printed
    preface: PlannedSection | None = None

    def money(self, value: Decimal) -> str:
        """Money as this report prints it."""
        return money(value, self.money_thousands)

    def label(self, level: int, n: int) -> str:
        """The generated label of the ``n``-th item at outline ``level`` (1 for chapters)."""
        if level > len(self.numbering):
            return ordinal_label(level, n)
        return numbered(self.numbering[level - 1], n)

    @property
    def headings(self) -> dict[str, str]:
        """Section key → heading, in print order; a body (or lead) chapter's key → the chapter's;
        the preface's key (first) → its name, which is not printed."""
        found: dict[str, str] = {}
        if self.preface is not None:
            found[self.preface.key] = self.preface.heading
        for chapter in self.chapters:
            if chapter.own_text:
                found[chapter.key] = chapter.heading
            for section in chapter.sections:
                found[section.key] = section.heading
        return found

    @property
    def body_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.chapters if c.body)

    @property
    def optional(self) -> frozenset[str]:
        """Keys a department may omit: sections not required, chapters with nothing required."""
        keys = {s.key for c in self.chapters for s in c.sections if not s.required}
        if self.preface is not None and not self.preface.required:
            keys.add(self.preface.key)
        keys |= {
            c.key
            for c in self.chapters
            if not c.required and not any(s.required for s in c.sections)
        }
        return frozenset(keys)

    def required(self) -> Iterator[tuple[str, str]]:
        """(key, heading) of every part the data must write."""
        if self.preface is not None and self.preface.required:
            yield self.preface.key, self.preface.heading
        for chapter in self.chapters:
            if chapter.body and chapter.required:
                yield chapter.key, chapter.heading
            for section in chapter.sections:
                if section.required and section.from_facts is None:
                    yield section.key, section.heading


def plan_of(outline: Outline) -> Plan:
    """The layout's own outline, before any department's changes."""
    return Plan(
        chapters=tuple(
            PlannedChapter(
                key=c.key,
                heading=c.heading,
                required=c.required,
                sections=tuple(
                    PlannedSection(
                        s.key,
                        s.heading,
                        s.required,
                        s.from_facts,
                        s.indicator_table,
                        s.budget_table,
                    )
                    for s in c.sections
                ),
                indicator_table=c.indicator_table,
                budget_table=c.budget_table,
            )
            for c in outline.chapters
        ),
        numbering=tuple(outline.numbering),
        money_thousands=outline.money_thousands,
        preface=_planned_preface(outline.preface),
    )


def untitled(name: str) -> str:
    """The preface's name as forms, comments and the docs show it: it has no heading."""
    return f"{name}（第一章之前，不印标题、不编号）"


def _planned_preface(preface: PrefaceSpec | None) -> PlannedSection | None:
    return None if preface is None else PlannedSection(preface.key, preface.name, preface.required)


def section_keys(outline: Outline) -> list[str]:
    """Every key the data's ``sections`` may hold under this outline: its preface's, its
    sections' and its one-body chapters'."""
    keys: list[str] = [outline.preface.key] if outline.preface is not None else []
    for chapter in outline.chapters:
        keys += [s.key for s in chapter.sections] if chapter.sections else [chapter.key]
    return keys


def declared_keys(data: Any) -> set[str]:
    """The section keys a department declares in its (not yet validated) ``outline:``."""
    changes = data.get("outline") if isinstance(data, dict) else None
    if not isinstance(changes, dict):
        return set()
    keys = {
        extra["key"]
        for extra in changes.get("extra_sections") or []
        if isinstance(extra, dict) and isinstance(extra.get("key"), str)
    }
    bodies = changes.get("chapter_bodies")
    if isinstance(bodies, list):
        keys |= {key for key in bodies if isinstance(key, str)}
    return {key for key in keys if is_section_key(key)}


def written_keys(data: Any) -> set[str]:
    """The keys the (not yet validated) data's ``sections`` hold that may name a section (not
    ``model_dump``, ``1a`` or ``中文``: those stay unknown keys)."""
    written = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(written, dict):
        return set()
    return {key for key in written if isinstance(key, str) and is_section_key(key)}


# --- the outline file ------------------------------------------------------------------------


# Outlines read in this process, by file: a batch reads a layout's outline once, not once per
# report. An entry holds while the file's identity, size and modification time are the same.
_READ: dict[Path, tuple[tuple[int, int, int, int], tuple[Outline | None, list[Finding]]]] = {}
_MAX_READ = 64


def load_outline(path: Path) -> tuple[Outline | None, list[Finding]]:
    """Read and check ``outline.yaml``: every mistake is a finding located in that file."""
    try:
        info = path.stat()
    except OSError:
        return _load_outline(path, 0)  # reading it says why not
    stamp = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
    known = _READ.get(path)
    if known is not None and known[0] == stamp:
        outline, findings = known[1]
        return outline, list(findings)
    outline, findings = _load_outline(path, info.st_size)
    if len(_READ) >= _MAX_READ:
        _READ.clear()
    _READ[path] = (stamp, (outline, list(findings)))
    return outline, findings


def _load_outline(path: Path, size: int) -> tuple[Outline | None, list[Finding]]:
    if size > MAX_OUTLINE_BYTES:
        message = (
            f"大纲文件过大（{size // 1024} KiB），上限为 {MAX_OUTLINE_BYTES // 1024} KiB；"
            "一个版式的章节不会有这么多"
        )
        return None, [Finding("L003", Severity.ERROR, message, location=Location(str(path)))]
    doc = load_file(path)
    if doc.data is None or doc.findings:
        return None, doc.findings
    too_many = _too_many(doc)
    if too_many:
        return None, too_many
    duplicates = list(_duplicates(doc))
    try:
        outline = Outline.model_validate(doc.data)
    except ValidationError as exc:
        # the schema step imports the model; and a good outline starts without it
        from reportgen.model.schema_errors import translate

        return None, sorted(
            [*_one_per_cause(translate(exc, doc, _outline_keys)), *duplicates],
            key=lambda f: (f.location.line or 0, f.location.column or 0) if f.location else (0, 0),
        )
    return (None if duplicates else outline), duplicates


def _one_per_cause(findings: list[Finding]) -> list[Finding]:
    """A key misspelt (``headng``) is one mistake: its “missing ``heading``” is left out."""
    meant = {
        (f.path[:-1], hint)
        for f in findings
        if f.code == "S002"
        for hint in re.findall(r"是否想写“([^”]+)”", f.message)
    }
    return [f for f in findings if not (f.code == "S001" and (f.path[:-1], f.path[-1]) in meant)]


def _too_many(doc: Document) -> list[Finding]:
    """More chapters or sections than any report has: said before the outline is checked."""
    chapters = doc.data.get("chapters") if isinstance(doc.data, dict) else None
    if not isinstance(chapters, list):
        return []
    if len(chapters) > MAX_CHAPTERS:
        message = f"大纲有 {len(chapters)} 章，上限为 {MAX_CHAPTERS} 章"
        return [replace(error("L003", ("chapters",), message), location=doc.locate(("chapters",)))]
    sections = [c.get("sections") for c in chapters if isinstance(c, dict)]
    count = sum(len(s) for s in sections if isinstance(s, list))
    if count > MAX_SECTIONS:
        message = f"大纲共有 {count} 节，上限为 {MAX_SECTIONS} 节"
        return [replace(error("L003", ("chapters",), message), location=doc.locate(("chapters",)))]
    return []


def _outline_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[StrictModel] = Outline
    for part in loc:
        if part == "chapters":
            model = ChapterSpec
        elif part == "preface":
            model = PrefaceSpec
        elif part == "sections":
            model = SectionSpec
    return list(model.model_fields)


def _duplicates(doc: Document) -> Iterator[Finding]:
    """Keys used twice, found in the file as written (so with any other mistake, in one run)."""
    seen: dict[str, FieldPath] = {}
    places: list[tuple[Any, FieldPath]] = []
    preface = doc.data.get("preface") if isinstance(doc.data, dict) else None
    if isinstance(preface, dict):
        places.append((preface.get("key"), ("preface", "key")))
    chapters = doc.data.get("chapters") if isinstance(doc.data, dict) else None
    for i, chapter in enumerate(chapters if isinstance(chapters, list) else []):
        if not isinstance(chapter, dict):
            continue
        places.append((chapter.get("key"), ("chapters", i, "key")))
        sections = chapter.get("sections")
        for j, section in enumerate(sections if isinstance(sections, list) else []):
            if isinstance(section, dict):
                places.append((section.get("key"), ("chapters", i, "sections", j, "key")))
    for key, path in places:
        if not isinstance(key, str):
            continue
        if key in seen:
            first = doc.locate(seen[key])
            yield replace(
                error(
                    "L001",
                    path,
                    f"键名“{key}”重复：第{first.line}行已用过；每一章、每一节的键名都不能相同",
                ),
                location=doc.locate(path),
            )
        else:
            seen[key] = path
