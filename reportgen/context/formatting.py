"""How numbers look on the page: the shared filters for money, percent, scores and ordinals."""

from __future__ import annotations

from decimal import Decimal

from reportgen.model.amounts import round_to

_DIGITS = "零一二三四五六七八九"


def money(value: Decimal, thousands: bool = True) -> str:
    """万元 with two decimals: ``4,281.75`` (or ``4281.75`` without separators)."""
    rounded = round_to(value, 2)
    return f"{rounded:,.2f}" if thousands else f"{rounded:.2f}"


def percent(value: Decimal) -> str:
    """A rate in percent with two decimals: ``97.89%``."""
    return f"{round_to(value, 2):.2f}%"


def score(value: Decimal) -> str:
    """A score as written, without trailing zeros beyond two decimals: ``98.79``, ``49.5``."""
    text = f"{round_to(value, 2):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def quantity(value: Decimal) -> str:
    """A count or measure as written: ``88``, ``1300``, ``3.5``."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def chinese_number(n: int) -> str:
    """Any positive count in Chinese numerals: 十一, 一百零一, 一百一十, 一千零一十, 十万零一百.

    A leading 一十 is written 十 (十五, 十万); a run of zeros inside the number is one 零; a
    trailing run is nothing. Groups of four digits take 万 and 亿 (一万亿 for 10**12).
    """
    if n <= 0:
        raise ValueError(f"ordinal out of range: {n}")
    return _chinese(n, leading=True)


def _chinese(n: int, leading: bool) -> str:
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            text = _chinese(high, leading) + unit
            if low:
                # 一万零五百: a lower part short of a full group is bridged by one 零
                text += ("零" if low < size // 10 else "") + _chinese(low, leading=False)
            return text
    return _below_ten_thousand(n, leading)


def _below_ten_thousand(n: int, leading: bool) -> str:
    text, zero = "", False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        if not (leading and not text and unit == "十" and digit == 1):
            text += _DIGITS[digit]
        text += unit
    return text


# ① … ⑳, ㉑ … ㉟, ㊱ … ㊿: every circled number Unicode has; Noto Serif CJK draws all of them.
_CIRCLED = (
    "".join(chr(c) for c in range(0x2460, 0x2474))
    + "".join(chr(c) for c in range(0x3251, 0x3260))
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))
)


def ordinal_label(level: int, n: int) -> str:
    """The generated heading label at ``level``: 一、 （一） 1. （1） ① .

    Level 5 runs ① … ㊿ and then ``51)``: no circled numbers exist past 50, and ``51)`` is
    neither a level-3 ``51.`` nor a level-4 ``（51）``.
    """
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    if n <= 0:
        raise ValueError(f"ordinal out of range: {n}")
    return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"{n})"


def enumerate_chinese(n: int) -> str:
    """The “一是/二是” prefix for the n-th item of a joined list."""
    return f"{chinese_number(n)}是"
