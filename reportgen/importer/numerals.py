"""How departments type numbers: full-width digits and separators read as ASCII, and amounts in
元 or 亿元 as 万元 (the data's unit) when that is exact."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# A number of a rate in Chinese numerals (below 一千, four decimals): “九十七点七三”, “百”,
# “一百零五点五六”, “一百二十”.
_CN = "一二三四五六七八九"
_CHINESE_NUMBER = (
    rf"(?P<whole>[{_CN}两]?百(?:零[{_CN}]|[{_CN}]?十[{_CN}]?)?|[{_CN}]?十[{_CN}]?|[零〇两{_CN}])"
    r"(?:点(?P<decimals>[零〇一二三四五六七八九]{1,4}))?"
)
# “百分之九十七点七三”, “百分之百”: a per cent in Chinese numerals.
CHINESE_PERCENT = re.compile(rf"百分之{_CHINESE_NUMBER}")
# A per cent or a per mille (“千分之一点八五”) in Chinese numerals: the rate signs of
# model.amounts.RATE_SIGNS, said in words.
CHINESE_RATE = re.compile(rf"(?P<per>[百千])分之{_CHINESE_NUMBER}")
_CHINESE_SIGN = {"百": "%", "千": "‰"}
_CN_DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def chinese_rate(match: re.Match[str]) -> tuple[Decimal, str]:
    """The number a :data:`CHINESE_RATE` match states, as typed with its sign, and the sign
    (“千分之一点八五” → 1.85, ‰)."""
    return chinese_percent(match), _CHINESE_SIGN[match.group("per")]


@dataclass(frozen=True)
class RatesAsFigures:
    """A text with each rate in Chinese numerals typed as figures (“千分之二” → “2‰”, “百分之
    九十五” → “95%”): the text, where each of its positions (and its end) is in the original,
    and the words each figure stands for."""

    text: str
    origin: list[int]
    words: dict[str, str]

    def published(self, figure: str) -> str:
        """``figure`` (a part of ``text``) as the original writes it (“≤2‰” → “≤千分之二”)."""
        for typed, words in self.words.items():
            figure = re.sub(rf"(?<![\d.]){re.escape(typed)}", words, figure)
        return figure


def rates_as_figures(text: str) -> RatesAsFigures:
    """``text`` with each rate in Chinese numerals typed as figures (:class:`RatesAsFigures`)."""
    pieces: list[str] = []
    origin: list[int] = []
    words: dict[str, str] = {}
    position = 0
    for match in CHINESE_RATE.finditer(text):
        pieces.append(text[position : match.start()])
        origin.extend(range(position, match.start()))
        number, sign = chinese_rate(match)
        typed = f"{number}{sign}"
        pieces.append(typed)
        words[typed] = match.group()
        # the figure's characters stand for the words' start, its sign for their end
        origin.extend([match.start()] * (len(typed) - 1) + [match.end() - 1])
        position = match.end()
    pieces.append(text[position:])
    origin.extend(range(position, len(text) + 1))
    return RatesAsFigures("".join(pieces), origin, words)


def chinese_percent(match: re.Match[str]) -> Decimal:
    """The number a :data:`CHINESE_PERCENT` (or :data:`CHINESE_RATE`) match states, as typed
    (“百分之九十七点七三” → 97.73)."""
    words, number = match.group("whole"), 0
    if "百" in words:
        hundreds, _, words = words.partition("百")
        number += (_CN_DIGIT[hundreds] if hundreds else 1) * 100
        words = words.removeprefix("零")
    if "十" in words:
        tens, _, units = words.partition("十")
        number += (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)
    elif words:
        number += _CN_DIGIT[words]
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
