"""How numbers look on the page: the shared filters for money, percent, scores and ordinals."""

from __future__ import annotations

from decimal import Decimal

from reportgen.amounts import round_to

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
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 99 → 九十九."""
    if not 0 < n < 100:
        raise ValueError(f"ordinal out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return f"{prefix}十{_DIGITS[ones] if ones else ''}"


def ordinal_label(level: int, n: int) -> str:
    """The generated heading label at ``level``: 一、 （一） 1. （1） ① ."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    return circled[n - 1] if n <= len(circled) else f"{n})"


def enumerate_chinese(n: int) -> str:
    """The “一是/二是” prefix for the n-th item of a joined list."""
    return f"{chinese_number(n)}是"
