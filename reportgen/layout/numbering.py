"""Heading and item labels: the numbering styles a layout may use, Chinese numerals, and the label
of the n-th item at each outline level (一、 （一） 1. （1） ①)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# A style is a label with 一 (Chinese numerals), 1 (Arabic) or ① (circled) for the count.
NUMBERING_STYLES = ("一、", "（一）", "1.", "1、", "1．", "（1）", "(1)", "①")
DEFAULT_NUMBERING = ("一、", "（一）", "1.", "（1）")


def _check_style(value: str) -> str:
    if value not in NUMBERING_STYLES:
        raise PydanticCustomError(
            "numbering_style",
            "编号样式应为 {styles} 之一（一 表示中文数字，1 表示阿拉伯数字），实际为“{value}”",
            {"styles": " ".join(NUMBERING_STYLES), "value": value},
        )
    return value


NumberingStyle = Annotated[str, AfterValidator(_check_style)]


def numbered(style: str, n: int) -> str:
    if "一" in style:
        return style.replace("一", chinese_number(n))
    if style == "①":
        return ordinal_label(5, n)
    return style.replace("1", str(n))


_DIGITS = "零一二三四五六七八九"


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
