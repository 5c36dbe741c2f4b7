"""Money, rates and scores: parsing the numbers people type, and comparing them as BRIEF §3 says.

Money is ``Decimal`` 万元, never float. A rate is a ``Decimal`` in percent (97.89 means 97.89 %)
and keeps the number of decimals it was written with, so it can be compared at its own precision.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

CENT = Decimal("0.01")
MAX_MONEY = Decimal("100000000")  # 1 万亿元: larger is a typo, not a department budget
MAX_RATE = Decimal("10000")

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _normalise(raw: object, what: str) -> str:
    if isinstance(raw, bool):
        raise PydanticCustomError(
            "number_text", "应为{what}，实际为 {value}", {"what": what, "value": raw}
        )
    if isinstance(raw, int | Decimal):
        return str(raw)
    if isinstance(raw, float):  # only from Python callers; YAML gives us the source text
        return repr(raw)
    if not isinstance(raw, str):
        raise PydanticCustomError("number_text", "应为{what}，实际是列表或映射", {"what": what})
    # Full-width digits and separators (４，２８１．７５) are what Chinese input methods type.
    return unicodedata.normalize("NFKC", raw).strip().replace(" ", "")


def parse_decimal(raw: object, what: str = "数字") -> Decimal:
    """Parse ``4281.75``, ``4,281.75`` or full-width ``４２８１．７５``; explain anything else."""
    text = _normalise(raw, what)
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        hint = ""
        if text.endswith(("万元", "元", "万")):
            hint = "；金额只写数字，单位固定为万元"
        elif "," in text:
            hint = "；千位分隔符应每三位一个（如 4,281.75）"
        elif text.lower() in {"nan", "inf", "-inf", "infinity", ".nan", ".inf", "-.inf"}:
            hint = "；不接受 NaN 或无穷大"
        raise PydanticCustomError(
            "number_text",
            "应为{what}，实际为“{value}”{hint}",
            {"what": what, "value": raw, "hint": hint},
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid text
        raise PydanticCustomError("number_text", "应为{what}", {"what": what}) from exc


def parse_money(raw: object) -> Decimal:
    value = parse_decimal(raw, "金额（万元）")
    if value < 0:
        raise PydanticCustomError(
            "money_negative", "金额不能为负数，实际为 {value}", {"value": raw}
        )
    if value >= MAX_MONEY:
        raise PydanticCustomError(
            "money_absurd", "金额 {value} 万元大得不合理（单位是万元）", {"value": raw}
        )
    if decimals(value) > 2:
        raise PydanticCustomError(
            "money_precision",
            "金额最多两位小数（精确到 0.01 万元），实际为 {value}",
            {"value": raw},
        )
    return value


def parse_rate(raw: object) -> Decimal:
    """``97.89%`` or ``97.89`` → ``Decimal("97.89")`` (percent)."""
    text = raw
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if text.endswith("%"):
            text = text[:-1]
    value = parse_decimal(text, "百分比（如 97.89%）")
    if value < 0 or value > MAX_RATE:
        raise PydanticCustomError(
            "rate_range", "百分比应在 0% 到 10000% 之间，实际为 {value}", {"value": raw}
        )
    return value


def parse_quantity(raw: object) -> Decimal:
    value = parse_decimal(raw, "数值")
    if value < 0:
        raise PydanticCustomError(
            "quantity_negative", "数值不能为负数，实际为 {value}", {"value": raw}
        )
    return value


Money = Annotated[Decimal, BeforeValidator(parse_money)]
Rate = Annotated[Decimal, BeforeValidator(parse_rate)]
Quantity = Annotated[Decimal, BeforeValidator(parse_quantity)]


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` was written with."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_to(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money_tolerance(parts: int) -> Decimal:
    """A published total may miss the sum of its rounded parts by one cent per part."""
    return CENT * max(parts, 1)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator in percent, unrounded; ``None`` when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator / denominator * 100


def rate_matches(stated: Decimal, computed: Decimal) -> bool:
    """A rate matches at its own precision, with ± 0.01 percentage point at two decimals."""
    places = min(decimals(stated), 2)
    if places < 2:
        return round_to(computed, places) == stated.quantize(Decimal(1).scaleb(-places))
    return abs(round_to(computed, 2) - stated) <= CENT
