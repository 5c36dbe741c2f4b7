"""The report title's lines: broken between words, as GB/T 9704 asks (词意完整，排列对称).

The title is 2号 (22 pt) on the 156 mm line of the official page: 20 characters, a digit
counting half. A department name that does not fit beside the year is broken where a person
would break it — after 委员会, 人民政府, 办公室 …, else after 市, 区, 县 … — never inside a word.
"""

from __future__ import annotations

import itertools
import unicodedata
from decimal import Decimal
from typing import NamedTuple

TITLE_WIDTH = Decimal(20)
TITLE_SUFFIX = "部门整体支出绩效自评报告"

# After these a title may break: the names of bodies first, then of places.
_BODIES = (
    "人民代表大会常务委员会",
    "常务委员会",
    "管理委员会",
    "委员会",
    "人民政府",
    "办公室",
    "办事处",
    "人民法院",
    "人民检察院",
    "管理局",
    "联合会",
    "中心",
    "局",
    "厅",
    "委",
    "院",
    "部",
    "处",
    "所",
    "站",
    "队",
    "馆",
    "会",
    "社",
)
_PLACES = ("中国共产党", "自治区", "自治州", "自治县", "省", "市", "区", "县", "镇", "乡", "街道")
# A break between these two characters would cut a word: 市场, 部门, 会计 …
_WORDS = frozenset(
    {
        "市场", "市民", "市政", "市辖", "市直", "市属", "区域", "区划", "区属", "县城", "县级",
        "县属", "局部", "部门", "部署", "处理", "处置", "所属", "所有", "会计", "会议", "院校",
        "委托", "站点", "队伍", "社会", "社区", "馆藏", "省级", "省属", "镇区", "乡村", "乡镇",
        "委员",
    }
)  # fmt: skip

_STRONG, _WEAK = 2, 1


def width(text: str) -> Decimal:
    """How many full-width characters ``text`` takes: ASCII digits and letters count half."""
    half = sum(1 for c in text if unicodedata.east_asian_width(c) in {"Na", "H"})
    return Decimal(len(text) - half) + Decimal(half) / 2


_OPENING = "（(《“‘〔【"
_CLOSING_BRACKETS = "）)》”’〕】"
_CLOSING = _CLOSING_BRACKETS + "、，。；："


def _strength(text: str, at: int) -> int:
    """How good a break before ``text[at]`` is: 2 after a body, 1 after a place, 0 never."""
    if at <= 0 or at >= len(text) or text[at - 1 : at + 1] in _WORDS:
        return 0
    if text[at] in _CLOSING or text[at - 1] in _OPENING:
        return 0
    head = text[:at].rstrip(_CLOSING)  # 知识产权局）: a break after the bracket that ends it
    if head.endswith(_BODIES):
        return _STRONG
    if head.endswith(_PLACES):
        return _WEAK
    return 0


class _Cost(NamedTuple):  # compared as a tuple; a dataclass(order=True) took 1 ms to define
    bracketed_breaks: int  # inside （…）: only when the bracket alone is longer than a line
    lines: int
    weak_breaks: int
    widest: Decimal


def _bracketed(text: str) -> set[int]:
    """The positions inside brackets: a break there would split what the bracket holds."""
    inside, depth = set(), 0
    for at, char in enumerate(text):
        if depth > 0:
            inside.add(at)
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING_BRACKETS and depth > 0:
            depth -= 1
    return inside


def title_lines(year: int, department: str, limit: Decimal = TITLE_WIDTH) -> list[str]:
    """The title's lines. A name that fits beside the year keeps the usual two lines; a longer
    one is broken at the fewest, strongest and most even places."""
    head = f"{year}年度{department}"
    if width(head) <= limit:
        return [head, TITLE_SUFFIX]
    text = head + TITLE_SUFFIX
    start = len(f"{year}年度")
    strengths = {at: _strength(head, at) for at in range(start, len(head))}
    strengths[len(head)] = _STRONG
    breaks = [0, *(at for at, strength in sorted(strengths.items()) if strength)]
    best = _best_breaks(text, breaks, strengths, _bracketed(head), limit)
    if best is None:  # one word longer than a line: break it where the line is full
        lines = _hard_wrapped(head, limit)
        if width(lines[-1] + TITLE_SUFFIX) <= limit:
            return [*lines[:-1], lines[-1] + TITLE_SUFFIX]
        return [*lines, TITLE_SUFFIX]
    cuts = [*best, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def _best_breaks(
    text: str, breaks: list[int], strengths: dict[int, int], bracketed: set[int], limit: Decimal
) -> list[int] | None:
    """The break positions (starting with 0) of the cheapest way to set ``text`` in lines."""
    # best[i]: the cheapest way to set text[breaks[i]:]; titles are short, a plain search will do
    best: dict[int, tuple[_Cost, list[int]]] = {}
    for i in reversed(range(len(breaks))):
        here = breaks[i]
        options: list[tuple[_Cost, list[int]]] = []
        if width(text[here:]) <= limit:
            options.append((_Cost(0, 1, 0, width(text[here:])), [here]))
        for j in range(i + 1, len(breaks)):
            line = text[here : breaks[j]]
            if width(line) > limit:
                break
            if j not in best:
                continue
            cost, rest = best[j]
            weak = cost.weak_breaks + (strengths.get(breaks[j]) == _WEAK)
            inside = cost.bracketed_breaks + (breaks[j] in bracketed)
            options.append(
                (_Cost(inside, cost.lines + 1, weak, max(cost.widest, width(line))), [here, *rest])
            )
        if options:
            best[i] = min(options, key=lambda option: option[0])
    return best[0][1] if 0 in best else None


def _hard_wrapped(text: str, limit: Decimal) -> list[str]:
    lines, line = [], ""
    for char in text:
        if width(line + char) > limit:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines
