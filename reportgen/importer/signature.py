"""The 落款 at a report's end: the unit's name and the date, each alone on the last lines
(“广州市海珠区卫生健康局” over “2025年3月18日”). reportgen's layouts print no 落款, so the import
keeps the lines as text where they are and says in the draft that they are the 落款, rather than
taking the name for a paragraph cut mid-sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.importer.numerals import ascii_figures
from reportgen.importer.rejoin import width

_CN = "〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?:\d{{4}}|[{_CN}]{{4}})[ \u3000]{{0,2}}年[ \u3000]{{0,2}}(?:\d{{1,2}}|[{_CN}]{{1,3}})"
    rf"[ \u3000]{{0,2}}月(?:[ \u3000]{{0,2}}(?:\d{{1,2}}|[{_CN}]{{1,3}})[ \u3000]{{0,2}}日)?"
)
# How the names of the units that publish these reports end.
_UNIT_ENDINGS = (
    "局", "委", "办", "院", "中心", "政府", "所", "站", "队", "会", "部", "处", "馆", "厅",
    "室", "公司", "街道", "社", "团", "（盖章）", "(盖章)",
)  # fmt: skip
_SENTENCE_MARKS = "。，,；;：:！？!?、"
_UNIT_WIDTH = 30
_UNIT_LINES = 2  # a name may wrap onto a second line, or two units sign together


@dataclass(frozen=True)
class Signature:
    """The 落款's lines: the source paragraphs they are, and their text."""

    indexes: tuple[int, ...]
    lines: tuple[str, ...]

    def note(self, where: str) -> str:
        shown = "".join(f"“{line}”" for line in self.lines)
        count = "一两三"[len(self.lines) - 1]
        return (
            f"原文末尾的{shown}是落款（单位名称和日期）：reportgen 的版式不印落款，这{count}行作为正文"
            f"留在{where}，照原文的文字印出（正文的格式，不像落款那样右对齐）；不需要时请删去"
        )


def _is_unit(text: str, department: str | None) -> bool:
    return (
        bool(text)
        and width(text) <= _UNIT_WIDTH
        and not any(mark in text for mark in _SENTENCE_MARKS)
        and ((department is not None and department in text) or text.endswith(_UNIT_ENDINGS))
    )


def signed_lines(texts: Sequence[str], department: str | None = None) -> int:
    """How many of the last ``texts`` (lines or paragraphs) are the 落款: a date alone on the
    last (or after the unit's name on it), under at most two that are a unit's name; 0 when the
    text ends otherwise."""
    if not texts:
        return 0
    last = texts[-1].strip()
    date = _DATE.search(ascii_figures(last))
    if date is None or date.end() != len(last):
        return 0
    name = last[: date.start()].strip(" \u3000")
    if name:
        return 1 if _is_unit(name, department) else 0
    count = 1
    for text in reversed(texts[-1 - _UNIT_LINES : -1]):
        if not _is_unit(text.strip(), department):
            break
        count += 1
    return count
