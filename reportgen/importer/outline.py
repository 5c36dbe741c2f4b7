"""The outline of a published report: its title, 附件 label, chapters and sections; and the
layouts' outlines they are compared with (``mapping.py`` matches them).

Why one module: the title, the chapters and their sections are one parse of the paragraphs, and
each of its tests (a heading, a heading run into its text, the label chapters are typed with)
asks the same question of the layouts' headings.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from reportgen.importer.labels import heading_text, split_label, split_note, trailing_marks
from reportgen.importer.numerals import ascii_figures
from reportgen.importer.rejoin import width
from reportgen.importer.run_on import next_run_on
from reportgen.importer.source import SourceParagraph
from reportgen.layout.outline import Outline as OutlineFile
from reportgen.layout.outline import plan_of
from reportgen.layout.search import LayoutSearch

_MAX_HEADING_WIDTH = 40
# “附件2”, or a bare “附件” line above the title
_ATTACHMENT = re.compile(
    r"附件(?:[ \u3000：:]{0,3}([0-9一二三四五六七八九十]{1,3}))?[ \u3000：:]{0,3}"
)
_YEAR = re.compile(r"(20\d\d)[ \u3000]{0,2}年")
# Where the department's name ends in a title: “…部门整体支出绩效自评（情况）报告” and shorter forms.
_TITLE_ENDINGS = ("部门整体支出", "整体支出", "绩效自评", "自评报告")


# ---- the one adapter to the layouts (their outline files: change only here) --------------------


@dataclass(frozen=True)
class LayoutChapter:
    """A layout's 一、 chapter: its key and heading, and its （一）s (none: one body under its key)."""

    key: str
    title: str
    sections: tuple[tuple[str, str], ...]

    @property
    def body(self) -> str | None:
        return None if self.sections else self.key


@dataclass(frozen=True)
class LayoutOutline:
    chapters: tuple[LayoutChapter, ...]
    required: frozenset[str]  # section keys the layout cannot print without
    optional: frozenset[str]  # chapter and section keys a department may omit
    spec: OutlineFile  # the layout's outline file, to which a department's changes apply


# The layouts an import looks at: ``--templates`` of the command that runs it (see ``searching``).
_SEARCH: ContextVar[LayoutSearch | None] = ContextVar("import_search", default=None)


@contextmanager
def searching(search: LayoutSearch | None) -> Iterator[None]:
    """Within the block, imports match the layouts ``search`` finds (``None``: the default)."""
    token = _SEARCH.set(search)
    try:
        yield
    finally:
        _SEARCH.reset(token)


def current_search() -> LayoutSearch:
    return _SEARCH.get() or LayoutSearch.from_options()


def layout_outlines(search: LayoutSearch | None = None) -> dict[str, LayoutOutline]:
    """Every layout's chapters (section key, heading) in print order, by layout name: those of
    ``--templates`` and ``REPORTGEN_TEMPLATES``, and the built-in ones (an outline with mistakes
    is skipped)."""
    found: dict[str, LayoutOutline] = {}
    for layout in (search or current_search()).all():
        if layout.outline is None:
            continue
        plan = plan_of(layout.outline)
        found[layout.name] = LayoutOutline(
            tuple(
                LayoutChapter(c.key, c.heading, tuple((s.key, s.heading) for s in c.sections))
                for c in plan.chapters
            ),
            frozenset(key for key, _ in plan.required()),
            plan.optional,
            layout.outline,
        )
    return found


# ---- the outline as printed ----------------------------------------------------------------------


@dataclass
class Section:
    heading: str | None  # None: the text under a chapter heading before its first （一）
    paragraphs: list[SourceParagraph] = field(default_factory=list)
    dropped: str = ""  # the marks after the heading that reportgen does not print (“：”)
    run_in: bool = False  # its text followed it in the same paragraph
    run_on: bool = False  # and the text of the section before it too


@dataclass
class Chapter:
    heading: str
    paragraphs: list[SourceParagraph] = field(default_factory=list)  # everything under it
    dropped: str = ""
    run_in: bool = False
    sections: list[Section] = field(default_factory=list)
    # its first two sections' labels as typed when not （一）（二）: “1.” “2.”, or “一、” “二、”
    # under a 第一部分 chapter (reportgen numbers them as the layout does)
    section_labels: tuple[str, ...] = ()
    label: str = ""  # its own label as typed: “一、”, “第一部分”


@dataclass
class Outline:
    attachment: str | None
    title: str
    year: int | None
    department: str | None
    chapters: list[Chapter]
    chapter_kind: str = "chapter"  # the labels its chapters are typed with (labels.py's kinds)
    lead: list[SourceParagraph] = field(default_factory=list)  # text before the first chapter


def _is_heading(
    paragraph: SourceParagraph, kind: str, level: int, expected: int, known: list[str]
) -> str | None:
    """The heading's text when ``paragraph`` is the expected heading of this level; a layout's
    heading counts whatever its number, as numbers typed by hand skip and repeat."""
    if paragraph.row:
        return None  # a table's row (“一、基本支出	2,180.00…”)
    label = split_label(paragraph.text)
    if label is not None and label.kind == kind:
        text = label.rest
    elif label is None and paragraph.level == level:
        text = paragraph.text  # a Word heading style numbered by the template, not typed
    else:
        return None
    inner, _ = split_note(text.strip().rstrip("。：:"))
    if width(inner) > _MAX_HEADING_WIDTH or any(mark in inner for mark in "。：:；;"):
        return None  # a sentence, or a heading with its text run in
    if (
        label is not None
        and heading_text(inner) not in known
        and _run_in_unmarked(label.rest, known) is not None
    ):
        return None  # a layout's heading and the start of its text, as a line of its own
    if label is not None and label.number != expected and not _is_known(heading_text(inner), known):
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
    paragraph: SourceParagraph, kind: str, expected: int, known: list[str], *, chapter: bool = False
) -> tuple[str, str, str] | None:
    """“（一）部门职能：本部门负责……”: a layout's heading with its text on the same line; also
    “（四）部门整体收支情况（说明）2023年……”, a heading with a note joined to the text by a PDF
    line wrap."""
    label = None if paragraph.row else split_label(paragraph.text)
    if label is None or label.kind != kind or label.number != expected:
        return None
    first = _first_section_run_in(label.rest, kind, known) if chapter else None
    if first is not None:
        return first
    closing = label.rest.find("）", 0, _MAX_HEADING_WIDTH)
    if closing > 0:
        heading, note = split_note(heading_text(label.rest[: closing + 1]))
        rest = label.rest[closing + 1 :].strip()
        plain = not any(mark in heading for mark in "。：:；;，,")  # not a sentence's bracket
        if note is not None and rest and plain and _is_known(heading, known):
            return f"{heading}（{note}）", rest, ""
    ends = [at for at in (label.rest.find(mark) for mark in "：:。") if 0 < at <= _RUN_IN_WIDTH]
    if ends:
        heading = heading_text(label.rest[: min(ends)])
        if not _is_known(heading, known):
            return None
        rest = label.rest[min(ends) + 1 :].strip()
        dropped = trailing_marks(label.rest[: min(ends) + 1])
        return (heading, rest, dropped) if rest else None
    return _run_in_unmarked(label.rest, known)


def _first_section_run_in(rest: str, kind: str, known: list[str]) -> tuple[str, str, str] | None:
    """“一、部门基本情况（一）部门职能。……”: a chapter's heading with its first section's
    labelled heading run into it (the section's text: from its label on)."""
    for at in range(1, min(len(rest), _MAX_HEADING_WIDTH)):
        label = split_label(rest[at:]) if rest[at] in "（(第一二三四五六七八九十" else None
        kinds = _SECTION_KINDS.get(kind, ("section",))
        if label is None or label.number != 1 or label.kind not in kinds:
            continue
        heading = heading_text(rest[:at])
        if not _is_known(heading, known):
            return None
        return heading, rest[at:].strip(), trailing_marks(rest[:at])
    return None


# “（二）年度总体工作和重点工作任务 2023年，我局……”: no mark between a heading and its text
_GAP = re.compile(r"[ \u3000]+")
_LONG_HEADING = 6  # a heading this long, whole, is not the start of a sentence


def _run_in_unmarked(rest: str, known: list[str]) -> tuple[str, str, str] | None:
    """A layout's heading, written whole, followed by its text with only a space between them,
    or with nothing when the heading is long or followed by a figure (“部门职能是……” stays a
    sentence)."""
    gap = _GAP.search(rest, 0, _RUN_IN_WIDTH + 1)
    if gap is not None and gap.start() > 0:
        heading, text = heading_text(rest[: gap.start()]), rest[gap.end() :].strip()
        if text and heading in known:  # whole: “年度总体工作 和重点工作任务” is one heading
            return heading, text, ""
    for heading in sorted(set(known), key=len, reverse=True):
        text = rest[len(heading) :].strip()
        if (
            rest.startswith(heading)
            and text
            and (len(heading) >= _LONG_HEADING or text[0].isdigit())
        ):
            return heading, text, ""
    return None


# The labels a chapter may be typed with, and those its sections may then be typed with, in the
# order tried: under “第一部分” the sections may be “第一节”, “一、” or “（一）”.
_CHAPTER_KINDS = ("part", "jie", "chapter")
_SECTION_KINDS: dict[str, tuple[str, ...]] = {
    "part": ("jie", "chapter", "section"),
    "jie": ("section",),
    "section": (),  # under “（一）” chapters: only 1. 2. sections a layout knows
}


def chapter_kind(paragraphs: list[SourceParagraph]) -> str:
    """The kind of label the report's chapters are typed with: that of the first label numbered 1
    of the chapter kinds (“第一部分”, “第一章”, “第一节” or “一、”); with none, “（一）” when the
    first two so numbered are a layout's chapters (“（一）部门基本情况”“（二）绩效自评情况”, their
    sections then 1. 2.); “一、” otherwise."""
    firsts: dict[int, str] = {}  # the first （一） and （二） headings
    styled = False  # a Word heading style of the first level: the chapters, numbered by Word
    for paragraph in paragraphs:
        label = None if paragraph.row else split_label(paragraph.text)
        if label is not None and label.kind in _CHAPTER_KINDS and label.number == 1:
            return label.kind
        styled = styled or paragraph.level == 1
        if label is not None and label.kind == "section" and label.number in (1, 2):
            firsts.setdefault(label.number, label.rest)
    titles = _chapter_titles()
    if styled or len(firsts) < 2 or not all(_is_chapter(rest, titles) for rest in firsts.values()):
        return "chapter"
    return "section"


def _chapter_titles() -> list[str]:
    return [
        heading_text(chapter.title)
        for outline in layout_outlines().values()
        for chapter in outline.chapters
    ]


def _is_chapter(rest: str, titles: list[str]) -> bool:
    """Whether a heading (with its marks and a note in brackets) is a layout's chapter."""
    inner, _ = split_note(rest.strip().rstrip("。：:"))
    return _is_known(heading_text(inner), titles)


def parse_outline(paragraphs: list[SourceParagraph]) -> Outline:
    preamble: list[SourceParagraph] = []
    chapters: list[Chapter] = []
    known = _known_headings()
    kind = chapter_kind(paragraphs)
    for paragraph in paragraphs:
        heading = _is_heading(paragraph, kind, 1, len(chapters) + 1, known)
        expected = len(chapters) + 1
        run_in = (
            None if heading is not None else _run_in(paragraph, kind, expected, known, chapter=True)
        )
        label = split_label(paragraph.text)
        typed = label.typed(paragraph.text) if label is not None else ""
        if heading is not None:
            chapters.append(Chapter(heading, dropped=trailing_marks(paragraph.text), label=typed))
        elif run_in is not None:
            heading, rest, dropped = run_in
            text = SourceParagraph(rest, index=paragraph.index)
            chapters.append(Chapter(heading, [text], dropped, run_in=True, label=typed))
        elif chapters:
            chapters[-1].paragraphs.append(paragraph)
        else:
            preamble.append(paragraph)
    for chapter in chapters:
        if chapter.run_in:
            _rejoin_cut_text(chapter.paragraphs)
        chapter.sections, chapter.section_labels = _sections(
            chapter.paragraphs, known, _SECTION_KINDS.get(kind, ("section",))
        )
    attachment = None
    title_parts: list[str] = []
    title_lines, lead = _title_and_lead(preamble)
    for paragraph in title_lines:
        match = _ATTACHMENT.fullmatch(paragraph.text)
        if match and attachment is None:
            attachment = f"附件{match.group(1) or ''}"
        else:
            title_parts.append("".join(paragraph.text.split()))
    title = "".join(title_parts)
    year, department = _title_facts(title)
    return Outline(attachment, title, year, department, chapters, kind, lead)


_TITLE_LINES = 6  # a title wraps onto a few lines; below them, the text
_SENTENCE_END = "。；;！？!?：:"


def _title_and_lead(
    preamble: list[SourceParagraph],
) -> tuple[list[SourceParagraph], list[SourceParagraph]]:
    """The lines of the title (with the 附件 label) and the text that follows it before the
    first chapter: what follows the title's last line (“…自评报告”) and the lines in brackets
    under it. Where no line ends a title (“…自评情况”), the text starts at the first paragraph
    that reads as text (a sentence, or wider than a heading) after the first line: a preface
    (“根据……现将……报告如下：”) is not taken for the title's last line."""
    ends = [
        n
        for n, paragraph in enumerate(preamble[:_TITLE_LINES])
        if "".join(paragraph.text.split()).rstrip('》”"）)').endswith("报告")
    ]
    if ends:  # below the title, only a line in brackets (“（2023年度）”) is still the title
        start = ends[0] + 1
        while start < len(preamble) and _BRACKETED.fullmatch(preamble[start].text.strip()):
            start += 1
        return preamble[:start], preamble[start:]
    for n in range(1, len(preamble)):
        text = preamble[n].text.strip()
        if width(text) > _MAX_HEADING_WIDTH or text.rstrip("”’）)")[-1:] in _SENTENCE_END:
            return preamble[:n], preamble[n:]
    return preamble, []


_BRACKETED = re.compile(r"[（(][^（()）]{1,30}[）)]")


def _sections(
    paragraphs: list[SourceParagraph], known: list[str], kinds: tuple[str, ...]
) -> tuple[list[Section], tuple[str, ...]]:
    """A chapter's sections, of the first of ``kinds`` it has headings of, and their first
    labels as typed when they are not （一）（二） (reportgen prints the layout's)."""
    sections: list[Section] = []
    for kind in kinds:
        sections = _sections_of_kind(paragraphs, known, kind)
        if any(section.heading for section in sections):
            return sections, () if kind == "section" else _typed_labels(paragraphs, kind)
    # no （一）: some departments number a chapter's sections 1. 2. …; only headings the
    # layouts know count, so that a numbered list stays a list
    arabic = _sections_of_kind(paragraphs, known, "arabic", known_only=True)
    if any(section.heading for section in arabic):
        return arabic, _typed_labels(paragraphs, "arabic")
    return sections, ()


def _typed_labels(paragraphs: list[SourceParagraph], kind: str) -> tuple[str, ...]:
    """The first two labels of ``kind`` as typed (“1.” “2.”), for a note."""
    typed: list[str] = []
    for paragraph in paragraphs:
        label = split_label(paragraph.text)
        if label is not None and label.kind == kind and label.number == len(typed) + 1:
            typed.append(label.typed(paragraph.text))
    return tuple(typed[:2])


def _sections_of_kind(
    paragraphs: list[SourceParagraph], known: list[str], kind: str, *, known_only: bool = False
) -> list[Section]:
    sections = [Section(None)]
    for paragraph in paragraphs:
        heading = _is_heading(paragraph, kind, 2, len(sections), known)
        if heading is not None and known_only and not _is_known(split_note(heading)[0], known):
            heading = None
        run_in = None if heading is not None else _run_in(paragraph, kind, len(sections), known)
        if heading is not None:
            sections.append(Section(heading, dropped=trailing_marks(paragraph.text)))
        elif run_in is not None:
            heading, rest, dropped = run_in
            sections.append(Section(heading, [], dropped, run_in=True))
            _run_on(sections, SourceParagraph(rest, index=paragraph.index), kind, known)
        else:
            _run_on(sections, paragraph, kind, known)
    if not sections[0].paragraphs:
        sections.pop(0)
    for section in sections:
        if section.run_in:
            _rejoin_cut_text(section.paragraphs)
    return sections


def _run_on(
    sections: list[Section], paragraph: SourceParagraph, kind: str, known: list[str]
) -> None:
    """``paragraph`` added to the last of ``sections``, and each section's heading inside it
    (“……186人。（二）年度总体工作和重点工作任务。全年……”) starting a section of its own."""
    own = sections[-1].run_in and not sections[-1].paragraphs
    text = paragraph.text
    while not paragraph.row:
        found = next_run_on(
            text,
            kind,
            len(sections),
            lambda heading: _is_known(heading, known),
            lambda rest: _run_in_unmarked(rest, known),
            own_headings=own,
        )
        if found is None:
            break
        sections[-1].paragraphs.append(SourceParagraph(text[: found.at], index=paragraph.index))
        sections.append(Section(found.heading, [], found.dropped, run_in=True, run_on=True))
        text = found.text
    if text is paragraph.text:
        sections[-1].paragraphs.append(paragraph)
    else:
        sections[-1].paragraphs.append(SourceParagraph(text, index=paragraph.index))


def _rejoin_cut_text(paragraphs: list[SourceParagraph]) -> None:
    """The text parted from a chapter's or section's heading, joined again to the next paragraph
    when it stops in the middle of a sentence (a Markdown heading line ending “…2023 年，我局围绕”:
    the converter made the line a paragraph of its own)."""
    if len(paragraphs) < 2 or not paragraphs[0].text:
        return
    last = paragraphs[0].text[-1]
    if (last.isalnum() or "\u4e00" <= last <= "\u9fff") and split_label(paragraphs[1].text) is None:
        joined = paragraphs[0].text + paragraphs[1].text
        paragraphs[0:2] = [SourceParagraph(joined, index=paragraphs[0].index)]


def _title_facts(title: str) -> tuple[int | None, str | None]:
    """Year and department of “YYYY年度<部门>部门整体支出绩效自评报告”, or of “<部门>YYYY年度…”."""
    title = ascii_figures(title.strip('《》“”"'))
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


@functools.lru_cache(maxsize=65536)  # headings repeat; each pair is compared many times
def similarity(found: str, wanted: str) -> float:
    """How alike two headings are: difflib's ratio, or 0.9 when one contains the other."""
    ratio = difflib.SequenceMatcher(None, found, wanted).ratio()
    if min(len(found), len(wanted)) >= 4 and (found in wanted or wanted in found):
        ratio = max(ratio, 0.9)
    return ratio
