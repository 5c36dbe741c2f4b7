"""Where a line of extracted text ends inside a figure's unit (“预算 22,026.37 万｜元”, “执行率百分｜
之九十”, “96.91｜%”): the figure goes on on the next line, so does the paragraph."""

from __future__ import annotations

import re

# A unit of a count or of money follows a figure; a fraction (“百分之”) is words.
_UNITS: tuple[str, ...] = (
    "万元",
    "亿元",
    "千元",
    "万人次",
    "万人",
    "万亩",
    "万吨",
    "万户",
    "万平方米",
    "平方米",
    "平方公里",
    "立方米",
    "公里",
    "公顷",
)
_FRACTIONS = ("百分之", "千分之", "万分之")
_SIGNS = "%％‰"  # printed with the figure before them
# a fraction spelt in words, its figure not yet ended (“百分之九十｜六点八”)
_SPELT = re.compile("[百千万]分之[零〇一二三四五六七八九十百点]*")
_SPELT_ON = "零〇一二三四五六七八九十百点"


def inside_unit(line: str, following: str | None) -> bool:
    """Whether ``line`` ends inside a figure's unit that ``following`` completes (or ends with
    the figure and ``following`` starts with its unit of money or count)."""
    if following is None:
        return False
    end, start = line.rstrip(), following.lstrip()
    if start[:1] in _SIGNS and end[-1:].isdigit():
        return True
    spelt = _SPELT.search(end[-12:])
    if spelt is not None and spelt.end() == len(end[-12:]) and start[:1] in _SPELT_ON:
        return spelt.group() != "百分之百"  # whole: “百分之百”｜“一是……” may part
    for unit in (*_UNITS, *_FRACTIONS):
        for cut in range(0 if unit in _UNITS else 1, len(unit)):
            head, tail = unit[:cut], unit[cut:]
            if not (start.startswith(tail) and end.endswith(head)):
                continue
            before = end[: len(end) - len(head)].rstrip()
            if unit in _FRACTIONS or before[-1:].isdigit():
                return True
    return False
