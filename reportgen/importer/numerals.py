"""How departments type numbers: full-width digits and separators read as ASCII, and amounts in
元 or 亿元 as 万元 (the data's unit) when that is exact."""

from __future__ import annotations

import re
from decimal import Decimal

from reportgen.model.amounts import decimals

# One character for one, so a position in the plain text is the same position in the original.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# “２，８５０．００”: a full-width comma groups thousands only before three digits and a decimal
# part; “3，100万元” may as well be a count and an amount, and stays as typed.
_GROUPING_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?:[，,]\d{3}){0,4}\.\d)")
# Units an amount is written in, and how many 万元 one of them is.
# Units an amount is written in: how many places the decimal point moves to give 万元.
_SHIFT = {"万元": 0, "元": -4, "亿元": 4}
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
