"""How departments type numbers: full-width digits and separators read as ASCII, and amounts in
元 or 亿元 as 万元 (the data's unit) when that is exact."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from reportgen.model.amounts import decimals

# One character for one, so a position in the plain text is the same position in the original.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# “２，８５０．００”: a full-width comma groups thousands only before three digits and a decimal
# part; “3，100万元” may as well be a count and an amount, and stays as typed.
_GROUPING_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?:[，,]\d{3}){0,4}\.\d)")
# Units an amount is written in, and how many 万元 one of them is.
# Units an amount is written in: how many places the decimal point moves to give 万元.
_SHIFT = {"万元": 0, "元": -4, "千元": -1, "亿元": 4}
# the units an amount is written in, longest first (a regex alternation matches the first)
MONEY_UNITS = ("万元", "亿元", "千元", "元")
MONEY_UNIT = "|".join(MONEY_UNITS)
_MONEY_PLACES = 2


def ascii_figures(text: str) -> str:
    """``text`` with full-width digits, “．”, “％” and grouping “，” in ASCII, same length."""
    return _GROUPING_COMMA.sub(",", text.translate(_FULL_WIDTH))


def decimal_of(token: str) -> Decimal:
    return Decimal(ascii_figures(token).replace(",", ""))


def exactly_in_ten_thousands(value: Decimal, unit: str) -> Decimal:
    """An amount in 万元 with every digit it takes (12,345,678.90元 → 1234.567890)."""
    return value.scaleb(_SHIFT[unit])


def in_ten_thousands(value: Decimal, unit: str) -> Decimal | None:
    """An amount in 万元, as the data holds it; ``None`` when 万元 with two decimals cannot
    hold it exactly (12,345,678.90元): rounding it would put a figure in the draft that the
    report does not state."""
    shift = _SHIFT[unit]
    if shift == 0:
        return value
    converted = exactly_in_ten_thousands(value, unit)
    if decimals(converted.normalize()) > _MONEY_PLACES:
        return None
    places = min(max(decimals(value) - shift, 0), _MONEY_PLACES)
    return converted.quantize(Decimal(1).scaleb(-places))


# “百分之九十七点七三”, “百分之百”: a per cent in Chinese numerals (up to 一百, four decimals).
CHINESE_PERCENT = re.compile(
    r"百分之(?P<whole>一?百|[一二三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
    r"(?:点(?P<decimals>[零〇一二三四五六七八九]{1,4}))?"
)
_CN_DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def chinese_percent(match: re.Match[str]) -> Decimal:
    """The per cent a :data:`CHINESE_PERCENT` match states (“百分之九十七点七三” → 97.73)."""
    whole = match.group("whole")
    if whole.endswith("百"):
        number = 100
    elif "十" in whole:
        tens, _, units = whole.partition("十")
        number = _CN_DIGIT[tens] * 10 if tens else 10
        number += _CN_DIGIT[units] if units else 0
    else:
        number = _CN_DIGIT[whole]
    decimals = "".join(str(_CN_DIGIT[c]) for c in match.group("decimals") or "")
    return Decimal(f"{number}.{decimals}" if decimals else str(number))


def plain_number(text: str | None) -> Decimal | None:
    """A figure as the data and the rules' messages write it (``4,191.30``, ``97.89%``), as a
    number; ``None`` for other text (a grade, a figure in Chinese numerals)."""
    if text is None:
        return None
    try:
        return Decimal(re.sub(r"[,，%％\s]", "", text))
    except InvalidOperation:
        return None
