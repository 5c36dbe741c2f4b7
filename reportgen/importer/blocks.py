"""Paragraphs of one section → narrative blocks: typed labels become items and numbered lists,
“一是…；二是…” runs become joined blocks, and the typed numbers are dropped."""

from __future__ import annotations

from typing import Any

from reportgen.importer.labels import Label, split_label
from reportgen.importer.mapping import Extra
from reportgen.importer.rejoin import width
from reportgen.importer.run_in import HEADING_WIDTH, RunIn, part_run_ins
from reportgen.importer.source import SourceParagraph
from reportgen.layout.numbering import chinese_number

Block = str | dict[str, Any]
_BOUNDARY = "：:，,。；;！？!? "
_ITEM_END = "；;。，,、"
_SEPARATORS = "；;"


def narrative(
    paragraphs: list[SourceParagraph | Extra], run_ins: list[RunIn] | None = None
) -> list[Block]:
    """The blocks of a section (or of an item's body); headings run into their text are parted
    from it where that is sure, and each is added to ``run_ins`` (see ``run_in.py``)."""
    labels = _labels(paragraphs)
    kind = next((label.kind for label in labels if label is not None and label.number == 1), None)
    blocks: list[Block] = []
    listed: list[tuple[Label, SourceParagraph, list[SourceParagraph | Extra]]] = []
    before: list[SourceParagraph | Extra] = []
    expected = 1
    for paragraph, label in zip(paragraphs, labels, strict=True):
        if (
            label is not None
            and label.kind == kind
            and label.number in {expected, 1}
            and isinstance(paragraph, SourceParagraph)
        ):
            expected = label.number + 1
            listed.append((label, paragraph, []))
        elif listed:
            listed[-1][2].append(paragraph)
        else:
            before.append(paragraph)
    blocks.extend(_plain(before, run_ins))
    if not listed:
        return blocks
    items = part_run_ins(listed, run_ins)
    if all(not body for _, body in items[:-1]):
        # a plain numbered list; what follows its last entry is text after the list
        blocks.append({"numbered": [label.rest for label, _ in items]})
        blocks.extend(_plain(items[-1][1], run_ins))
        return blocks
    for label, body in items:
        blocks.append(_item(label.rest, body, run_ins))
    return blocks


def _labels(paragraphs: list[SourceParagraph | Extra]) -> list[Label | None]:
    """Each paragraph's typed label; a Word heading style without one counts as a label too."""
    labels: list[Label | None] = []
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        if not isinstance(paragraph, SourceParagraph) or paragraph.row:
            labels.append(None)  # a table's row (“一、基本支出	2,180.00…”) is no list item
            continue
        label = split_label(paragraph.text)
        if label is None and paragraph.level is not None and paragraph.level >= 2:
            kind = f"styled{paragraph.level}"
            counts[kind] = counts.get(kind, 0) + 1
            label = Label(kind, counts[kind], paragraph.text)
        labels.append(label)
    return labels


def _item(
    rest: str, body: list[SourceParagraph | Extra], run_ins: list[RunIn] | None
) -> dict[str, Any]:
    short = width(rest) <= HEADING_WIDTH
    item: dict[str, Any] = {"title": rest} if short and body else {"text": rest}
    if body:
        item["body"] = narrative(body, run_ins)
    return item


def _plain(
    paragraphs: list[SourceParagraph | Extra], run_ins: list[RunIn] | None = None
) -> list[Block]:
    blocks: list[Block] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, Extra):
            extra: dict[str, Any] = {"title": paragraph.heading}
            if paragraph.paragraphs:
                extra["body"] = narrative(list(paragraph.paragraphs), run_ins)
            blocks.append(extra)
            continue
        joined = None if paragraph.row else split_joined(paragraph.text)
        blocks.append(paragraph.text if joined is None else joined)
    return blocks


def joined_markers(text: str) -> list[tuple[int, int]]:
    """Where each “一是”, “二是” … of ``text`` starts, and where its entry starts (after the
    marker); markers counted in order from 一, each after a boundary mark."""
    starts: list[tuple[int, int]] = []
    position = 0
    n = 1
    while True:
        marker = f"{chinese_number(n)}是"
        at = text.find(marker, position)
        while at > 0 and text[at - 1] not in _BOUNDARY:
            at = text.find(marker, at + 1)
        if at < 0:
            return starts
        starts.append((at, at + len(marker)))
        position = at + len(marker)
        n += 1


def split_joined(text: str, *, any_separator: bool = False) -> dict[str, Any] | None:
    """“intro一是A；二是B。” → ``{"joined": [A, B], "intro": intro}`` (two markers at least).

    Only entries separated by “；”, as reportgen prints them, unless ``any_separator``."""
    starts = joined_markers(text)
    if len(starts) < 2:
        return None
    # reportgen joins the entries with “；”: another mark between them would not print the same
    if not any_separator and any(text[at - 1] not in _SEPARATORS for at, _ in starts[1:]):
        return None
    entries = []
    for (_, begin), (end, _) in zip(starts, [*starts[1:], (len(text), 0)], strict=True):
        entries.append(text[begin:end].rstrip(_ITEM_END))
    if any(not entry for entry in entries):
        return None
    block: dict[str, Any] = {"joined": entries}
    intro = text[: starts[0][0]]
    if intro:
        block["intro"] = intro
    return block
