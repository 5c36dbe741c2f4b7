"""Lines of text extracted from a PDF → paragraphs: page furniture dropped, line wraps rejoined."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from reportgen.importer.labels import split_label
from reportgen.importer.wrapped_units import inside_unit

# Page numbers as GB/T 9704 prints them (“— 3 —”) and the other common forms: anchored, bounded.
_FURNITURE = (
    re.compile(r"[—–\-－~]{1,2}[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}[—–\-－~]{1,2}"),
    re.compile(
        r"第[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}页(?:[ \u3000，,]{0,3}共[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}页)?"
    ),
    re.compile(r"\d{1,4}(?:[ \u3000]{0,2}/[ \u3000]{0,2}\d{1,4})?"),
)
# One space between two Chinese characters is an extractor's artefact (“项 目支 出”), never a word
# break: Chinese has none. Wider gaps may separate a table's cells and stay.
_CJK = "\u4e00-\u9fff，。；：、“”‘’（）《》"
_STRAY_SPACE = re.compile(f"(?<=[{_CJK}])[ \u3000](?=[{_CJK}])")
_TERMINAL = "。；：！？;:!?"
_CLOSING = "”’」』）)"
# A line this many characters shorter than a full line ends its paragraph; a paragraph's first
# line is indented by two characters (GB/T 9704), so its full width is that much less.
_SHORT_AFTER_PUNCTUATION = 1.0
_SHORT = 2.5
_FIRST_LINE_INDENT = 2.0
# Text wrapped at a margin has this share of its lines within the tolerance of the full width.
_WRAPPED_SHARE = 0.3
_MARGIN_TOLERANCE = 1.5


def is_furniture(line: str) -> bool:
    return any(pattern.fullmatch(line) for pattern in _FURNITURE)


def width(line: str) -> float:
    """Printed width in characters: a CJK or full-width character is one, ASCII half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line)


def _running_headers(lines: list[str]) -> set[str]:
    """Short lines repeated on three or more pages, such as a department name atop each page."""
    counts = Counter(line for line in lines if line and len(line) <= 40)
    return {line for line, n in counts.items() if n >= 3 and split_label(line) is None}


def tidy(line: str) -> str:
    """A line without the spaces around it and an extractor's spaces between Chinese characters."""
    return _STRAY_SPACE.sub("", line.strip(" \t\u3000\f\v"))


# What a line cannot be broken inside, at the start of the next: a number or a Latin word with
# the punctuation that may not begin a line after it (“99.97%；”, “1,228.22万元” starts “1,228.22”),
# and a unit of money a word processor may keep with its number (“2,105.33万元”).
_UNBROKEN = re.compile(r"[\x21-\x7e]+(?:[千万亿]?元|[万亿])?[，。；：、！？）”’」』%％]*")


def _did_not_fit(line: str, following: str | None, full: float) -> bool:
    """Whether ``line`` stops short mid-sentence only because the number or word that starts
    ``following`` was too wide for the rest of it: text wrapped there, the paragraph goes on."""
    if following is None or _ends_sentence(line):
        return False
    start = _UNBROKEN.match(following.lstrip())
    return start is not None and width(line) + width(start.group(0)) > full


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSING)
    return bool(stripped) and stripped[-1] in _TERMINAL


# Markdown headings (“## 一、部门基本情况”, as converters export them) and a line in bold.
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t\u3000]+(.*?)[ \t\u3000]*#*")
_BOLD = re.compile(r"(\*\*|__)(.+)\1")
# Line ends of every kind but a form feed, which marks a page (pdftotext puts one between pages).
_LINE_END = re.compile(r"\r\n|[\n\r\v\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTEXT = 12
_HEADING_KINDS = ("part", "jie", "chapter", "section")
_CHAPTER_KINDS = ("part", "jie", "chapter")  # 第一部分, 第一节, 一、: the body has begun
_INDENTED = 2  # columns: a paragraph's first line is indented by two characters, four columns
_INDENTED_SHARE = (0.05, 0.7)
# Blank lines after this share of lines, at least and less than: they part paragraphs, where no
# margin says where lines wrap (after nearly every line, they only space the lines out)
_PARTED_BY_BLANKS = (0.5, 0.9)


@dataclass(frozen=True)
class Doubt:
    """A place the rejoined text may be wrong: the words either side of a line end that was
    joined although a paragraph may end there, or taken as a paragraph's end mid-sentence."""

    before: str
    after: str
    joined: bool
    page_break: bool
    paragraph: int | None = field(default=None, compare=False)  # which one ``before`` is in

    def note(self) -> str:
        where = "换页处" if self.page_break else "行末"
        if self.joined:
            return (
                f"“{self.before}｜{self.after}”原文在{where}断开，已接成一段；"
                "如原文在此分段，请把“｜”之后的文字另起一项"
            )
        return (
            f"“{self.before}”与下一段“{self.after}”原文在{where}断开，已分为两段，而句子没有结束；"
            "如是同一段，请把两项接起来"
        )


def markdown_heading(line: str) -> str | None:
    """The heading of a Markdown heading line (“## 一、概况” → “一、概况”), if it is one."""
    found = _MARKDOWN_HEADING.fullmatch(line)
    if found is None or not found.group(1):
        return None
    text = found.group(1)
    bold = _BOLD.fullmatch(text)
    return bold.group(2) if bold is not None else text


def paragraphs(
    text: str,
    whole: Set[str] = frozenset(),
    doubts: list[Doubt] | None = None,
    heads: dict[int, tuple[int, bool]] | None = None,
    headers: list[str] | None = None,
) -> list[str]:
    """Rejoin the wrapped lines of ``text`` into paragraphs; a line in ``whole`` (a table's
    row) is one by itself. ``heads`` receives, by paragraph, where a labelled paragraph's
    heading may end, and whether a gap was typed there: a wide gap after the label's words (see
    :func:`heading_gap`), or the end of its first line when the next was joined to it although
    no sentence ended there. ``headers`` receives each line left out as a running header.

    A blank line separates paragraphs only where blank lines are rare: an extraction that puts
    one after every line (as the published PDFs' text does) says nothing with them. A line ends
    its paragraph when the next starts a heading or list label, or when it stops clearly short
    of a full line (a little short is enough after 。；：).
    """
    split = _LINE_END.split(text.removesuffix("\n"))
    pages = [False] + ["\f" in line for line in split[1:]]
    raw = [tidy(line) for line in split]
    indents = [_indent(line) for line in split]
    headings = set()
    for i, line in enumerate(raw):
        heading = markdown_heading(line)
        if heading is not None:
            raw[i] = tidy(heading)
            headings.add(i)
    nonblank = [i for i, line in enumerate(raw) if line]
    # pdftotext -layout indents a paragraph's first line and not the others: where some lines
    # are indented and most not, an indented line starts a paragraph and no other does
    indented_share = sum(indents[i] >= _INDENTED for i in nonblank) / max(len(nonblank), 1)
    indented = _INDENTED_SHARE[0] <= indented_share <= _INDENTED_SHARE[1]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and not raw[i + 1])
    blanks_mean_breaks = followed_by_blank < 0.5 * max(len(nonblank), 1)
    running = _running_headers(raw)
    lines: list[_Line] = []
    blank_afters: list[bool] = []  # by line: a blank line (or a heading of its own) follows it
    in_body = False  # past the first 一、 heading: a running header there is no title line
    page_break = False
    own_lines: set[int] = set()  # lines a Markdown heading ends
    for i in nonblank:
        line = raw[i]
        page_break = page_break or pages[i]
        if is_furniture(line) or (in_body and line in running):
            if headers is not None and line in running:
                headers.append(line)  # said in the draft's notes: a line of text may repeat
            page_break = True
            if lines and len(lines) - 1 not in own_lines:  # a blank line before a page
                lines[-1] = lines[-1]._replace(break_after=False)  # number parts nothing
            continue
        label = split_label(line)
        in_body = in_body or (label is not None and label.kind in _CHAPTER_KINDS)
        blank_after = i + 1 < len(raw) and not raw[i + 1]
        own = i in headings  # a Markdown heading is a paragraph of its own
        if own and lines:
            lines[-1] = lines[-1]._replace(break_after=True)
            own_lines.add(len(lines) - 1)
        if own:
            own_lines.add(len(lines))
        starts = indents[i] >= _INDENTED if indented else None
        gap = heading_gap(split[i])
        lines.append(
            _Line(
                line, (blank_after and blanks_mean_breaks) or own, page_break, in_body, starts, gap
            )
        )
        blank_afters.append(blank_after or own or i + 1 == len(raw))
        page_break = False
    widths = sorted(width(line.text) for line in lines if line.text not in whole)  # no table
    full = widths[int(len(widths) * 0.9)] if widths else 0.0
    at_margin = sum(
        1
        for w in widths
        if min(abs(w - full), abs(w - full + _FIRST_LINE_INDENT)) <= _MARGIN_TOLERANCE
    )
    heads = {} if heads is None else heads
    if at_margin < _WRAPPED_SHARE * len(widths):
        if (
            _PARTED_BY_BLANKS[0] * len(nonblank)
            <= followed_by_blank
            < _PARTED_BY_BLANKS[1] * len(nonblank)
        ):
            # no margin, but blank lines part most lines and not all: a paragraph's lines stand
            # together between blank lines (a PDF set in a proportional font, one blank line
            # between paragraphs)
            return _parted_by_blanks(lines, blank_afters, whole, heads)
        # no margin the lines stop at: each line is a paragraph (text saved from an editor)
        heads.update((n, (line.gap, True)) for n, line in enumerate(lines) if line.gap is not None)
        return [line.text for line in lines]
    found: list[str] = []
    current: list[str] = []
    head: tuple[int, bool] | None = None
    for index, (line, break_after, _, in_body, _, gap) in enumerate(lines):
        if line in whole:
            if current:
                found.append("".join(current))
                current = []
            found.append(line)
            continue
        first = not current
        if first:
            head = None if gap is None else (gap, True)
            if head is None and split_label(line) is not None and not _ends_sentence(line):
                head = (len(line), False)
        current.append(line if first else _glue(current[-1], line))
        following = lines[index + 1].text if index + 1 < len(lines) else None
        threshold = _SHORT_AFTER_PUNCTUATION if _ends_sentence(line) else _SHORT
        if first:
            threshold += _FIRST_LINE_INDENT
        certain = following is None or following in whole or break_after
        labelled = following is not None and split_label(following) is not None
        short = width(line) < full - threshold and not _did_not_fit(line, following, full)
        starts = lines[index + 1].starts if following is not None else None
        if inside_unit(line, following):
            short, starts = False, False  # a paragraph never ends inside a figure's unit
        if starts is not None and not labelled:
            # a line typeset short (“开展自” before “评。”, an opening quote moved on) goes
            # on when the next is not indented; a full line ends where the next is
            cut = certain or starts or (short and _ends_sentence(line))
        else:
            cut = certain or labelled or short
        if doubts is not None and following is not None and not certain and in_body:
            page_break = lines[index + 1].page_break
            doubt = _doubt(current, line, following, cut, page_break, starts)
            if doubt is not None:
                doubts.append(replace(doubt, paragraph=len(found)))
        if cut:
            if head is not None and head[0] < len("".join(current)):
                heads[len(found)] = head
            found.append("".join(current))
            current = []
    return found


def _parted_by_blanks(
    lines: list[_Line],
    blank_afters: list[bool],
    whole: Set[str],
    heads: dict[int, tuple[int, bool]],
) -> list[str]:
    """Paragraphs as blank lines part them: the lines between two blank lines joined, unless
    the next starts a heading or list item, or is a table's row."""
    found: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if line.text in whole:
            if current:
                found.append("".join(current))
                current = []
            found.append(line.text)
            continue
        if not current and line.gap is not None:
            heads[len(found)] = (line.gap, True)
        current.append(line.text if not current else _glue(current[-1], line.text))
        following = lines[index + 1].text if index + 1 < len(lines) else None
        if (
            blank_afters[index]
            or following is None
            or following in whole
            or split_label(following) is not None
        ):
            found.append("".join(current))
            current = []
    return found


class _Line(NamedTuple):
    text: str
    break_after: bool  # a blank line (where blank lines part paragraphs) or a heading follows
    page_break: bool  # a page ends before it
    in_body: bool  # past the first chapter heading (一、, 第一部分)
    starts: bool | None  # indented as a paragraph's first line (None: the text says not)
    gap: int | None  # where a heading ends at a wide gap after its label (see heading_gap)


# A full-width space, or two spaces or more, between words: typed to part a heading from its text
# (one half-width space between Chinese characters is an extractor's artefact, see _STRAY_SPACE).
_GAP = re.compile("[^ \u3000](\u3000+| {2,})(?=[^ \u3000])")
_GAP_WIDTH = 40


def heading_gap(line: str) -> int | None:
    """Where the words after a line's label end at a wide gap (“2、立足中心，服务大局　今年以来”),
    as an offset in the tidied line; ``None`` for a line without a label or such a gap."""
    stripped = line.strip(" \t\u3000\f\v")
    label = split_label(stripped)
    if label is None:
        return None
    found = _GAP.search(stripped, len(stripped) - len(label.rest))
    if found is None:
        return None
    before = tidy(stripped[: found.start(1)])
    return len(before) if width(before) <= _GAP_WIDTH else None


def _indent(line: str) -> int:
    """How far a line is indented, in half-width columns."""
    stripped = line.lstrip(" \u3000\f\t")
    return round(width(line[: len(line) - len(stripped)].replace("\f", "")) * 2)


def _doubt(
    current: list[str],
    line: str,
    following: str,
    cut: bool,
    page_break: bool,
    starts: bool | None,
) -> Doubt | None:
    """Whether ending (or not ending) the paragraph after ``line`` is a guess worth a note: a
    paragraph ended mid-sentence (“大型会｜议”), or a line ending a sentence at the margin
    joined to the next across a page."""
    before, after = "".join(current)[-_CONTEXT:], following[:_CONTEXT]
    if starts is not None:  # indentation says where paragraphs start
        if cut and not starts and split_label(following) is None:
            return Doubt(before, after, joined=False, page_break=page_break)
        return None
    if cut:
        label = split_label(current[0])
        if _ends_sentence(line) or split_label(following) is not None:
            return None  # a sentence ends there, or a heading or item starts
        if label is not None and (label.kind in _HEADING_KINDS or not page_break):
            return None  # a heading (“（一）部门职能”, “1.绩效目标管理”) over its text
        return Doubt(before, after, joined=False, page_break=page_break)
    if page_break and _ends_sentence(line):
        return Doubt(before, after, joined=True, page_break=True)
    return None


def _glue(before: str, after: str) -> str:
    """Words of Latin script keep a space across the wrap; Chinese text joins directly."""
    if (
        before[-1:].isascii()
        and before[-1:].isalpha()
        and after[:1].isascii()
        and after[:1].isalpha()
    ):
        return " " + after
    return after
