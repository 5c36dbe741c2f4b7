"""The labels departments type before headings and list items: 第一部分 第一节 一、（一）1.（1）① and
their variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# “part”: 第一部分, 第一章, 第一篇; “jie”: 第一节 (a chapter's section under 第一章, else a chapter)
LabelKind = Literal["part", "jie", "chapter", "section", "arabic", "paren", "circled"]
_KINDS = ("part", "jie", "chapter", "section", "arabic", "paren", "circled")

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Anchored, bounded repetitions, no nested quantifiers: one pass over the start of a line.
_LABEL = re.compile(
    r"[ \t\u3000]{0,4}(?:"
    r"第[ \t\u3000]{0,2}(?P<part>[一二三四五六七八九十]{1,3}|\d{1,2})[ \t\u3000]{0,2}(?:部分|章|篇)"
    r"[ \t\u3000]{0,2}[、.．：:]?"
    r"|第[ \t\u3000]{0,2}(?P<jie>[一二三四五六七八九十]{1,3}|\d{1,2})[ \t\u3000]{0,2}节"
    r"[ \t\u3000]{0,2}[、.．：:]?"
    r"|(?P<chapter>[一二三四五六七八九十]{1,3})[ \t\u3000]{0,2}[、.．]"
    r"|[（(][ \t\u3000]{0,2}(?P<section>[一二三四五六七八九十]{1,3})[ \t\u3000]{0,2}[）)]"
    r"|(?P<arabic>\d{1,2})[ \t\u3000]{0,2}(?:[.．、](?![\d.．])|[)）])"
    r"|[（(][ \t\u3000]{0,2}(?P<paren>\d{1,2})[ \t\u3000]{0,2}[）)]"
    r"|(?P<circled>[\u2460-\u2473])"
    r")[ \t\u3000]{0,4}"
)


@dataclass(frozen=True)
class Label:
    """A typed label: its kind, its number and the text after it."""

    kind: str  # a LabelKind, or “styled2” … for a Word heading style that carries no typed label
    number: int
    rest: str

    def typed(self, text: str) -> str:
        """The label as typed at the start of ``text`` (“第一部分”, “一、”), spaces aside."""
        typed = "".join(text[: len(text) - len(self.rest)].split())
        return typed.rstrip("、.．：:") if self.kind in {"part", "jie"} else typed


def chinese_value(numeral: str) -> int:
    """一 … 九十九 as an int (0 when it is not a numeral)."""
    if not numeral or any(c not in _CN_DIGITS and c != "十" for c in numeral):
        return 0
    if "十" not in numeral:
        return _CN_DIGITS[numeral] if len(numeral) == 1 else 0
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return 0
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def split_label(text: str) -> Label | None:
    """The label at the start of ``text``, if it has one."""
    match = _LABEL.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    if not rest.strip():
        return None
    for kind in _KINDS:
        value = match.group(kind)
        if value is None:
            continue
        if value.isdecimal():
            number = int(value)
        elif kind in {"part", "jie", "chapter", "section"}:
            number = chinese_value(value)
        elif kind == "circled":
            number = _CIRCLED.index(value) + 1
        else:
            number = int(value)
        if number <= 0:
            return None
        return Label(kind, number, rest)
    return None


_HEADING_END = "。：:；;."


def heading_text(text: str) -> str:
    """A heading as compared with a layout's: without spaces and a trailing 。：."""
    return "".join(text.split()).rstrip(_HEADING_END)


def trailing_marks(text: str) -> str:
    """The marks :func:`heading_text` takes off the end of ``text``."""
    compact = "".join(text.split())
    return compact[len(compact.rstrip(_HEADING_END)) :]


_NOTE_WIDTH = 30


def split_note(heading: str) -> tuple[str, str | None]:
    """“部门整体收支情况（以决算数为统计口径）” → the heading and the note in brackets after it,
    as reportgen prints a heading's note; ``None`` when the heading ends otherwise."""
    if not heading.endswith("）"):
        return heading, None
    at = heading.rfind("（")
    note = heading[at + 1 : -1]
    if at <= 0 or not note or "）" in note or len(note) > _NOTE_WIDTH:
        return heading, None
    return heading[:at], note
