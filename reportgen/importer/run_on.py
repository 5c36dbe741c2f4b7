"""Sections that run on in one paragraph (“（一）部门职能。……186人。（二）年度总体工作和重点工作
任务。全年……”): where the next section's heading starts inside a paragraph.

A compact report types a chapter as one paragraph, each heading run into its text. A label inside
a paragraph starts a section only when it is the next one of the chapter's sequence, starts a
sentence, and is followed by a heading ended by “。” or “：”: a layout's heading, or — among
sections already run into their text — a short phrase. A label after “，” or “；” starts a list
item or is cited in a sentence; once a label of the same kind restarts the count inside the
paragraph, what follows is that nested list's, unless it is a layout's heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.importer.labels import heading_text, split_label, split_note, trailing_marks
from reportgen.importer.rejoin import width

RUN_ON_KINDS = frozenset({"section", "jie"})  # labels no figure or date can be read as
_SENTENCE_END = "。！？!?"
_LABEL_STARTS = "（(第"  # the first character of a label of RUN_ON_KINDS
_HEADING_END = "。：:"
_HEADING_WIDTH = 24  # a heading's end is found this far after its label at the most
_OWN_HEADING_WIDTH = 16  # a heading no layout has is a short phrase
_NOT_IN_HEADING = "，,、；;（(“”《"
_MIN_TEXT = 2


@dataclass(frozen=True)
class RunOn:
    """A section heading inside a paragraph: where its label starts, the heading, the marks
    after it that reportgen does not print, and its text up to the paragraph's end."""

    at: int
    heading: str
    dropped: str
    text: str


Split = tuple[str, str, str]  # a heading, its text, the marks between them reportgen does not print


def next_run_on(
    text: str,
    kind: str,
    number: int,
    is_known: Callable[[str], bool],
    unmarked: Callable[[str], Split | None],
    *,
    own_headings: bool,
) -> RunOn | None:
    """The first heading of section ``number`` (labelled as ``kind``) inside ``text``, after its
    start: ended by a mark, or a layout's heading ``unmarked`` parts from its text without one;
    a heading no layout has only when ``own_headings`` (the text is a section's, run into its
    heading)."""
    if kind not in RUN_ON_KINDS:
        return None
    restarted = False
    for at in range(1, len(text)):
        if text[at] not in _LABEL_STARTS:
            continue
        label = split_label(text[at:])
        if label is None or label.kind != kind:
            continue
        if label.number < number:
            restarted = True  # a list of the text's own counts from （一） again
        if label.number != number or text[at - 1] not in _SENTENCE_END:
            continue
        own = own_headings and not restarted
        found = _heading(label.rest, is_known, own_headings=own) or unmarked(label.rest)
        if found is not None:
            heading, rest, dropped = found
            return RunOn(at, heading, dropped, rest)
    return None


def _heading(rest: str, is_known: Callable[[str], bool], *, own_headings: bool) -> Split | None:
    ends = [at for at in (rest.find(mark) for mark in _HEADING_END) if 0 < at <= _HEADING_WIDTH]
    if not ends:
        return None
    end = min(ends)
    heading = heading_text(rest[:end])
    after = rest[end + 1 :].lstrip(_HEADING_END + " \u3000")
    if len(after) < _MIN_TEXT:
        return None
    dropped = trailing_marks(rest[: len(rest) - len(after)])
    if is_known(split_note(heading)[0]):
        return heading, after, dropped
    own = (
        own_headings
        and len(heading) >= _MIN_TEXT
        and width(heading) <= _OWN_HEADING_WIDTH
        and not any(mark in heading for mark in _NOT_IN_HEADING)
        and rest[end] in "。"
    )
    return (heading, after, dropped) if own else None
