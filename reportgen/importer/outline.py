"""The outline of a published report: its title, 附件 label, chapters and sections, and the layout
whose sections they are (matched by heading text, tolerant of small wording differences)."""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field

from reportgen.importer.labels import heading_text, split_label
from reportgen.importer.rejoin import width
from reportgen.importer.source import SourceParagraph
from reportgen.layouts import LayoutSearch
from reportgen.outline import plan_of

MATCH_RATIO = 0.6  # below this a heading is the department's own, not a layout's section
_MAX_HEADING_WIDTH = 40
_ATTACHMENT = re.compile(r"附件[ \u3000：:]{0,3}([0-9一二三四五六七八九十]{1,3})[ \u3000：:]{0,3}")
_YEAR = re.compile(r"(20\d\d)[ \u3000]{0,2}年")
# Where the department's name ends in a title: “…部门整体支出绩效自评（情况）报告” and shorter forms.
_TITLE_ENDINGS = ("部门整体支出", "整体支出", "绩效自评", "自评报告")


# ---- the one adapter to the layouts (issue 9 turns them into data: change only here) ----------


@dataclass(frozen=True)
class LayoutChapter:
    """A layout's 一、 chapter: its heading, the section printed directly under it, or its （一）s."""

    title: str
    body: str | None
    sections: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class LayoutOutline:
    chapters: tuple[LayoutChapter, ...]
    required: frozenset[str]  # section keys the layout cannot print without


def layout_outlines(search: LayoutSearch | None = None) -> dict[str, LayoutOutline]:
    """Every layout's chapters (section key, heading) in print order, by layout name: the
    built-in ones and those of ``REPORTGEN_TEMPLATES`` (an outline with mistakes is skipped)."""
    found: dict[str, LayoutOutline] = {}
    for layout in (search or LayoutSearch.from_options()).all():
        if layout.outline is None:
            continue
        plan = plan_of(layout.outline)
        found[layout.name] = LayoutOutline(
            tuple(
                LayoutChapter(
                    c.heading,
                    c.key if c.body else None,
                    tuple((s.key, s.heading) for s in c.sections),
                )
                for c in plan.chapters
            ),
            frozenset(key for key, _ in plan.required()),
        )
    return found


# ---- the outline as printed ----------------------------------------------------------------------


@dataclass
class Section:
    heading: str | None  # None: the text under a chapter heading before its first （一）
    paragraphs: list[SourceParagraph] = field(default_factory=list)


@dataclass
class Chapter:
    heading: str
    paragraphs: list[SourceParagraph] = field(default_factory=list)  # everything under it
    sections: list[Section] = field(default_factory=list)


@dataclass
class Outline:
    attachment: str | None
    title: str
    year: int | None
    department: str | None
    chapters: list[Chapter]


def _is_heading(
    paragraph: SourceParagraph, kind: str, level: int, expected: int, known: list[str]
) -> str | None:
    """The heading's text when ``paragraph`` is the expected heading of this level; a layout's
    heading counts whatever its number, as numbers typed by hand skip and repeat."""
    label = split_label(paragraph.text)
    if label is not None and label.kind == kind:
        text = label.rest
    elif label is None and paragraph.level == level:
        text = paragraph.text  # a Word heading style numbered by the template, not typed
    else:
        return None
    inner = text.strip().rstrip("。：:")
    if width(inner) > _MAX_HEADING_WIDTH or any(mark in inner for mark in "。：:；;"):
        return None  # a sentence, or a heading with its text run in
    if label is not None and label.number != expected and not _is_known(heading_text(text), known):
        return None
    return heading_text(text)


_RUN_IN_WIDTH = 24
_RUN_IN_RATIO = 0.8


def _is_known(heading: str, known: list[str]) -> bool:
    return max((similarity(heading, each) for each in known), default=0) >= _RUN_IN_RATIO


def _known_headings() -> list[str]:
    return [
        heading_text(heading)
        for outline in layout_outlines().values()
        for chapter in outline.chapters
        for heading in (chapter.title, *(h for _, h in chapter.sections))
    ]


def _run_in(
    paragraph: SourceParagraph, kind: str, expected: int, known: list[str]
) -> tuple[str, str] | None:
    """“（一）部门职能：本部门负责……”: a layout's heading with its text on the same line."""
    label = split_label(paragraph.text)
    if label is None or label.kind != kind or label.number != expected:
        return None
    ends = [at for at in (label.rest.find(mark) for mark in "：:。") if 0 < at <= _RUN_IN_WIDTH]
    if not ends:
        return None
    heading = heading_text(label.rest[: min(ends)])
    if not _is_known(heading, known):
        return None
    rest = label.rest[min(ends) + 1 :].strip()
    return (heading, rest) if rest else None


def parse_outline(paragraphs: list[SourceParagraph]) -> Outline:
    preamble: list[str] = []
    chapters: list[Chapter] = []
    known = _known_headings()
    for paragraph in paragraphs:
        heading = _is_heading(paragraph, "chapter", 1, len(chapters) + 1, known)
        expected = len(chapters) + 1
        run_in = None if heading is not None else _run_in(paragraph, "chapter", expected, known)
        if heading is not None:
            chapters.append(Chapter(heading))
        elif run_in is not None:
            chapters.append(Chapter(run_in[0], [SourceParagraph(run_in[1])]))
        elif chapters:
            chapters[-1].paragraphs.append(paragraph)
        else:
            preamble.append(paragraph.text)
    for chapter in chapters:
        chapter.sections = _sections(chapter.paragraphs, known)
    attachment = None
    title_parts: list[str] = []
    for line in preamble:
        match = _ATTACHMENT.fullmatch(line)
        if match and attachment is None:
            attachment = f"附件{match.group(1)}"
        else:
            title_parts.append("".join(line.split()))
    title = "".join(title_parts)
    year, department = _title_facts(title)
    return Outline(attachment, title, year, department, chapters)


def _sections(paragraphs: list[SourceParagraph], known: list[str]) -> list[Section]:
    sections = [Section(None)]
    for paragraph in paragraphs:
        heading = _is_heading(paragraph, "section", 2, len(sections), known)
        run_in = (
            None if heading is not None else _run_in(paragraph, "section", len(sections), known)
        )
        if heading is not None:
            sections.append(Section(heading))
        elif run_in is not None:
            sections.append(Section(run_in[0], [SourceParagraph(run_in[1])]))
        else:
            sections[-1].paragraphs.append(paragraph)
    if not sections[0].paragraphs:
        sections.pop(0)
    return sections


def _title_facts(title: str) -> tuple[int | None, str | None]:
    """Year and department of “YYYY年度<部门>部门整体支出绩效自评报告”, or of “<部门>YYYY年度…”."""
    title = title.strip('《》“”"')
    match = _YEAR.search(title)
    if match is None:
        return None, None
    rest = title[match.end() :]
    rest = rest[1:] if rest.startswith("度") else rest
    for ending in _TITLE_ENDINGS:
        at = rest.find(ending)
        if at >= 0:
            department = rest[:at] or title[: match.start()].strip("《》“”：:")
            return int(match.group(1)), department or None
    return int(match.group(1)), None


# ---- matching an outline to a layout -------------------------------------------------------------


def similarity(found: str, wanted: str) -> float:
    """How alike two headings are: difflib's ratio, or 0.9 when one contains the other."""
    ratio = difflib.SequenceMatcher(None, found, wanted).ratio()
    if min(len(found), len(wanted)) >= 4 and (found in wanted or wanted in found):
        ratio = max(ratio, 0.9)
    return ratio


@dataclass
class Placement:
    """What goes into one section of the layout, and the headings it absorbed."""

    key: str
    paragraphs: list[SourceParagraph | Extra] = field(default_factory=list)


@dataclass
class Extra:
    """A part under a heading the layout does not have: printed as a titled item."""

    heading: str
    paragraphs: list[SourceParagraph]


@dataclass
class Mapping:
    layout: str
    score: float
    placements: dict[str, Placement]
    notes: list[str]


def _best(heading: str, candidates: list[tuple[str, str]]) -> tuple[str | None, float]:
    best: tuple[str | None, float] = (None, 0.0)
    for key, wanted in candidates:
        ratio = similarity(heading, heading_text(wanted))
        if ratio > best[1]:
            best = (key, ratio)
    return best if best[1] >= MATCH_RATIO else (None, best[1])


Key = tuple[int, int]  # (chapter, section) of the printed outline; section -1: the chapter


def _assign(
    outline: Outline, chapters: tuple[LayoutChapter, ...]
) -> tuple[dict[Key, str], float, list[str]]:
    """Which layout section each printed heading is: by its wording first, then — for a heading
    no section's wording fits — by its position among its chapter's sections, when the layout's
    section at that position is still free. Also the wording score and the notes."""
    sections = [pair for c in chapters for pair in c.sections]
    assigned: dict[Key, str] = {}
    matched: dict[int, LayoutChapter] = {}
    score = 0.0
    notes: list[str] = []
    for ci, chapter in enumerate(outline.chapters):
        bodies = [(c.body, c.title) for c in chapters if c.body and c.body not in assigned.values()]
        body, ratio = _best(chapter.heading, bodies)
        if body is not None:
            assigned[(ci, -1)] = body
            score += ratio
            continue
        titles = [(str(i), c.title) for i, c in enumerate(chapters) if c.body is None]
        index, ratio = _best(chapter.heading, titles)
        if index is not None:
            matched[ci] = chapters[int(index)]
            score += ratio
        for si, section in enumerate(chapter.sections):
            if section.heading is None:
                continue
            free = [(k, h) for k, h in sections if k not in assigned.values()]
            key, ratio = _best(section.heading, free)
            if key is not None:
                assigned[(ci, si)] = key
                score += ratio
    for ci, layout_chapter in matched.items():
        headed = [si for si, s in enumerate(outline.chapters[ci].sections) if s.heading]
        for position, si in enumerate(headed):
            if (ci, si) in assigned or position >= len(layout_chapter.sections):
                continue
            key, heading = layout_chapter.sections[position]
            if key not in assigned.values():
                assigned[(ci, si)] = key
                printed = outline.chapters[ci].sections[si].heading
                notes.append(f"“{printed}”按位置对应版式的“{heading}”（{key}），请核对")
    return assigned, score, notes


def map_outline(outline: Outline, layout: str) -> Mapping:
    shape = layout_outlines()[layout]
    chapters = shape.chapters
    keys_in_order = [key for c in chapters for key, _ in c.sections] + [
        c.body for c in chapters if c.body is not None
    ]
    assigned, score, notes = _assign(outline, chapters)
    placements: dict[str, Placement] = {}
    pending: list[Extra] = []  # parts met before any known section
    last: Placement | None = None
    order: list[int] = []

    def place(key: str) -> Placement:
        nonlocal last
        placement = placements.setdefault(key, Placement(key))
        placement.paragraphs[:0] = pending
        pending.clear()
        order.append(keys_in_order.index(key))
        last = placement
        return placement

    def extra(heading: str, paragraphs: list[SourceParagraph], why: str) -> None:
        if last is not None:
            last.paragraphs.append(Extra(heading, paragraphs))
            notes.append(f"“{heading}”{why}，其内容放入上一节 {last.key}，作为带小标题的条目")
        else:
            pending.append(Extra(heading, paragraphs))
            notes.append(f"“{heading}”{why}，其内容放入下一节，作为带小标题的条目")

    for ci, chapter in enumerate(outline.chapters):
        if (ci, -1) in assigned:
            place(assigned[(ci, -1)]).paragraphs.extend(chapter.paragraphs)
            continue
        known = any(similarity(chapter.heading, c.title) >= MATCH_RATIO for c in chapters)
        if not known:
            if not any(s.heading for s in chapter.sections):
                extra(chapter.heading, chapter.paragraphs, "不是版式中的一章")
                continue
            extra(chapter.heading, [], "不是版式中的一章")
        for si, section in enumerate(chapter.sections):
            if section.heading is None:
                if last is not None:
                    last.paragraphs.extend(section.paragraphs)
                    notes.append(
                        f"“{chapter.heading}”下、第一个小节之前的文字放入上一节 {last.key}"
                    )
                else:
                    pending.append(Extra(chapter.heading, section.paragraphs))
                    notes.append(f"“{chapter.heading}”下、第一个小节之前的文字放入下一节")
                continue
            if (ci, si) in assigned:
                place(assigned[(ci, si)]).paragraphs.extend(section.paragraphs)
            else:
                extra(section.heading, section.paragraphs, "不是版式中的一节")
    if pending:
        notes.append("全文没有可识别的节，无法放置：" + "、".join(e.heading for e in pending))
    score += 0.5 * sum(1 for a, b in itertools.pairwise(order) if a < b)
    score -= sum(1 for key in shape.required if key not in placements)
    return Mapping(layout, score, placements, notes)


def choose_layout(outline: Outline, wanted: str | None) -> tuple[Mapping, list[Mapping]]:
    """The mapping for ``wanted``, or for the layout that fits best; and every layout's."""
    mappings = [map_outline(outline, name) for name in layout_outlines()]
    ranked = sorted(mappings, key=lambda m: -m.score)
    if wanted is not None:
        return next(m for m in mappings if m.layout == wanted), ranked
    return ranked[0], ranked
