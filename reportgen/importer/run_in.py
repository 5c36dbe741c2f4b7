"""Numbered headings run into their text (“2、立足中心，服务大局，展现新担当今年以来，我办…”):
where such a heading ends, whether to part it from its text, and what the draft says of it.

A heading is a short phrase with no sentence mark inside. Where it ends is known only from what
the text shows: a mark typed after it (“。”“：”), a wide gap, or a line end that the extracted text
was joined across (``SourceParagraph.head_end``). It is parted from its text only where most of
its siblings — the other items of the same list — are headings over their own text or parted
from it by a gap. A list whose every item reads “heading。text” is kept as typed: it prints as
published. A gap its siblings do not confirm is noted: the draft's text loses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from reportgen.importer.labels import Label
from reportgen.importer.rejoin import width
from reportgen.importer.source import SourceParagraph

HEADING_WIDTH = 40  # the widest item text that is its title rather than a paragraph
_MARKS = "。：:"  # typed after a heading run into its text
_SENTENCE = "。；;：:！？!?"  # never inside a heading
_OPEN_END = "，,、（(“‘《"  # a heading never ends with one
_AFTER_WORDS = 12
_MIN_TEXT = 4  # characters after a heading that make a text
_MARKED_WORDS = 8
_OPENING_CLAUSE = 10  # a heading's first phrase (“立足中心，”) is no longer
_Body = TypeVar("_Body")  # what an item's body holds besides paragraphs


@dataclass(frozen=True)
class RunIn:
    """A heading run into its text: its words, the mark between them that reportgen does not
    print, the first words of the text, and whether the draft parts them."""

    heading: str
    dropped: str
    after: str
    split: bool
    unmarked: bool = (
        False  # nothing in the text says where it ends: ``heading`` is its item's start
    )
    paragraph: int | None = field(default=None, compare=False)  # the source paragraph it is in

    def note(self) -> str:
        if self.unmarked:
            return (
                f"“{self.heading}……”一项不像同一列表的其他各项那样是单独成行的小标题，可能是小标题与正文"
                "连在了一起（中间没有标点或空格），草稿中保持原样（照原文印出）；如是，请把小标题写作该项的 "
                "title，正文写作 body"
            )
        shown = f"“{self.heading}{self.dropped}”"
        after = f"“{self.after[:_AFTER_WORDS]}……”"
        if self.split:
            note = f"小标题{shown}与其后的正文{after}原文连在一起，已分开：生成的报告中标题单独一行"
            if self.dropped:
                note += f"，标题后的“{self.dropped}”不再印出"
            return note + "；如原文本是一段，请把标题与正文接回一项"
        return (
            f"{shown}可能是与正文{after}连在一起的小标题，草稿中保持原样（照原文印出）；"
            "如是小标题，请把它写作该项的 title，正文写作 body"
        )

    def words(self) -> str:
        """Words of the draft's string the note is marked at: the title, or the item's text."""
        return self.heading if self.split else self.heading[:_MARKED_WORDS]


@dataclass(frozen=True)
class Head:
    """Where a heading may end in an item's text."""

    heading: str
    dropped: str
    text: str  # what follows
    gap: bool  # a wide gap was typed there (not a mark, nor a line end)


def is_title(rest: str) -> bool:
    """Whether an item's text is a heading by itself (printed as the item's title)."""
    return _heading_like(rest.rstrip(_MARKS))


def _opens_like_heading(rest: str) -> bool:
    """Whether an item's text that is no heading opens as one: a short phrase before a “，”."""
    clause = rest.split("，", 1)[0]
    return 2 <= len(clause) <= _OPENING_CLAUSE < len(rest) and not any(
        m in clause for m in _SENTENCE
    )


def _heading_like(words: str) -> bool:
    return (
        len(words) >= 2
        and width(words) <= HEADING_WIDTH
        and not any(mark in words for mark in _SENTENCE)
        and words[-1] not in _OPEN_END
    )


def head_of(paragraph: SourceParagraph, label: Label) -> Head | None:
    """Where the heading of ``paragraph`` (labelled ``label``) may end: at the first “。”“：”,
    or at the line end or gap the text recorded, whichever comes first and leaves a heading."""
    rest = label.rest
    heads: list[tuple[int, Head]] = []
    at = min((i for i in (rest.find(m) for m in _MARKS) if i > 0), default=-1)
    if at > 0:
        end = at + 1
        while end < len(rest) and rest[end] in _MARKS:
            end += 1
        heads.append((at, Head(rest[:at], rest[at:end], rest[end:].strip(), gap=False)))
    if paragraph.head_end is not None:
        end = paragraph.head_end - (len(paragraph.text) - len(rest))
        if 0 < end < len(rest):
            head = Head(rest[:end].strip(), "", rest[end:].strip(), gap=paragraph.head_gap)
            heads.append((end, head))
    for _, head in sorted(heads, key=lambda each: each[0]):
        if _heading_like(head.heading) and len(head.text) >= _MIN_TEXT:
            return head
        return None  # the first place a heading could end leaves none
    return None


def part_run_ins(
    items: list[tuple[Label, SourceParagraph, list[SourceParagraph | _Body]]],
    found: list[RunIn] | None,
) -> list[tuple[Label, list[SourceParagraph | _Body]]]:
    """The items of one list with each heading run into its text parted from it where most of
    its siblings are headings (over their text, or parted from it by a typed gap); every heading
    parted, every one a gap parts but its siblings do not confirm, and every item among such
    siblings that opens like a heading with nothing to say where it ends, is added to ``found``."""
    heads = [
        None if is_title(label.rest) and body else head_of(paragraph, label)
        for label, paragraph, body in items
    ]
    headed = [
        bool(body and is_title(label.rest)) or (head is not None and head.gap)
        for (label, _, body), head in zip(items, heads, strict=True)
    ]
    parted: list[tuple[Label, list[SourceParagraph | _Body]]] = []
    for n, ((label, paragraph, body), head) in enumerate(zip(items, heads, strict=True)):
        siblings = sum(headed) - headed[n]
        sure = siblings >= 1 and 2 * siblings >= len(items) - 1
        if head is None and sure and not headed[n] and _opens_like_heading(label.rest):
            if found is not None:  # its end unmarked: only a reader can part it
                words = label.rest[:_AFTER_WORDS]
                found.append(RunIn(words, "", "", False, True, paragraph.index))
            parted.append((label, body))
            continue
        if head is None or not (sure or head.gap):
            # a heading typed “heading。text” in every item prints as published
            parted.append((label, body))
            continue
        if found is not None:
            found.append(RunIn(head.heading, head.dropped, head.text, sure, False, paragraph.index))
        if sure:
            title = Label(label.kind, label.number, head.heading)
            text = SourceParagraph(head.text, index=paragraph.index)
            parted.append((title, [text, *body]))
        else:
            parted.append((label, body))
    return parted
