"""Money, rates and scores: parsing the numbers people type, and comparing them as BRIEF §3 says.

Money is ``Decimal`` 万元, never float. A rate is a ``Decimal`` in percent (97.89 means 97.89 %)
and keeps the number of decimals it was written with, so it can be compared at its own precision.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, NamedTuple, get_args, get_origin

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from reportgen.model.forms import (
    ascii_text,
    matcher,
    money_form,
    quantity_form,
    rate_form,
    schema_pattern,
    score_form,
)

MAX_MONEY = Decimal("100000000")  # 1 万亿元: larger is a typo, not a department budget
MAX_RATE = Decimal("10000")
# An indicator's target or actual: a count, a length, an amount in 元 — never a quadrillion.
# The bound keeps every rate computed from two of them within Decimal's 28 digits.
MAX_QUANTITY = Decimal("1000000000000000")
MAX_QUANTITY_DECIMALS = 6

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACED_NUMBER = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_CHINESE_NUMERALS = re.compile("[零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]")
_NOT_FINITE = {"nan", "inf", "infinity", ".nan", ".inf", "∞"}
_SHOWN_CHARS = 40


def _shown(raw: object) -> str:
    """The value as the message quotes it: never pages of text."""
    text = str(raw)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}…"


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
    # Full-width digits and separators (４，２８１．７５) are what Chinese input methods type;
    # NFKC also turns no-break and thin spaces into plain ones.
    text = unicodedata.normalize("NFKC", raw).strip()
    if _SPACED_NUMBER.match(text):  # 4 281.75: spaces that group thousands, as ISO writes
        text = text.replace(" ", "")
    return text


def _hint(text: str, what: str) -> str:
    """Why ``text`` is not a number, in the words of the person who typed it."""
    if text.lower().lstrip("+-") in _NOT_FINITE:
        return "；不接受 NaN 或无穷大"
    if text.endswith(("万元", "元", "万", "亿")) or text.startswith(("¥", "RMB")):
        if what.startswith("金额"):
            return "；金额只写数字，单位固定为万元"
        return "；只写数字，不带单位"
    if text.endswith(("分", "个", "人", "天", "次")):
        return "；只写数字，不带单位"
    if _EXPONENT.match(text):
        return "；不接受科学计数法，请写出完整的数字"
    if "。" in text:
        return "；小数点应为半角“.”，不是句号“。”"
    if _EUROPEAN.match(text):
        return "；小数点应为“.”，千位分隔符为“,”（如 4,281.75）"
    if "," in text:
        return "；千位分隔符应每三位一个（如 4,281.75）"
    if " " in text:
        return "；数字中间不能有空格（千位分隔请用“,”，如 4,281.75）"
    if "_" in text:
        return "；数字中不能有下划线"
    if _CHINESE_NUMERALS.search(text):
        return "；请用阿拉伯数字书写（如 1200.50）"
    return ""


def parse_decimal(raw: object, what: str = "数字", shown: object = None) -> Decimal:
    """Parse ``4281.75``, ``4,281.75`` or full-width ``４２８１．７５``; explain anything else.

    ``shown`` is what the message quotes, when it differs from ``raw`` (a rate without its %).
    """
    text = _normalise(raw, what)
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        raise PydanticCustomError(
            "number_text",
            "应为{what}，实际为“{value}”{hint}",
            {
                "what": what,
                "value": _shown(raw if shown is None else shown),
                "hint": _hint(text, what),
            },
        )
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid text
        raise PydanticCustomError("number_text", "应为{what}", {"what": what}) from exc
    return value.copy_abs() if value.is_zero() else value  # -0 is zero, never printed “-0.00”


def _in_form(form: re.Pattern[str], raw: object, what: str, value: Decimal) -> Decimal:
    """``value`` when ``raw`` is written in one of ``form``'s ways (the forms the JSON Schema
    states, see model/forms.py); the checks above have said why in all other common cases."""
    text = raw if isinstance(raw, str) else str(raw)
    if not form.fullmatch(ascii_text(text)):
        raise PydanticCustomError(
            "number_text",
            "应为{what}，实际为“{value}”；请用半角或全角阿拉伯数字书写（如 1200.50）",
            {"what": what, "value": _shown(raw)},
        )
    return value


_MONEY = matcher(money_form)
_RATE = matcher(rate_form)
_QUANTITY = matcher(quantity_form)
_SCORE = matcher(score_form)


def parse_money(raw: object) -> Decimal:
    value = parse_decimal(raw, "金额（万元）")
    if value < 0:
        raise PydanticCustomError(
            "money_negative", "金额不能为负数，实际为 {value}", {"value": _shown(raw)}
        )
    if value >= MAX_MONEY:
        raise PydanticCustomError(
            "money_absurd",
            "金额 {value} 万元大得不合理（单位是万元，上限 1 亿万元即 1 万亿元）",
            {"value": _shown(raw)},
        )
    if decimals(value) > 2:
        raise PydanticCustomError(
            "money_precision",
            "金额最多两位小数（精确到 0.01 万元），实际为 {value}",
            {"value": _shown(raw)},
        )
    return _in_form(_MONEY, raw, "金额（万元）", value)


def parse_rate(raw: object) -> Decimal:
    """``97.89%`` or ``97.89`` → ``Decimal("97.89")`` (percent)."""
    text = raw
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if text.endswith("%"):
            text = text[:-1]
    value = parse_decimal(text, "百分比（如 97.89%）", shown=raw)
    if value < 0 or value > MAX_RATE:
        raise PydanticCustomError(
            "rate_range", "百分比应在 0% 到 10000% 之间，实际为 {value}", {"value": _shown(raw)}
        )
    return _in_form(_RATE, raw, "百分比（如 97.89%）", value)


# The signs a rate is typed with, and how many places the decimal point moves to give per cent,
# the data's unit: “42.5%”, and per mille, “1.85‰” (0.185%). One owner for what a typed rate is:
# the prose's rates a next-year draft keeps, R011 that finds them again, ``previous:`` that holds
# them. A completion rate is always in per cent.
class RateSign(NamedTuple):
    shift: int
    name: str  # what a rate typed so is called


RATE_SIGNS = {"%": RateSign(0, "百分比"), "‰": RateSign(-1, "千分比")}
RATE_SIGN = "|".join(RATE_SIGNS)


def rate_sign(text: str) -> str | None:
    """The rate sign ``text`` (NFKC, stripped) ends with, if any."""
    return next((sign for sign in RATE_SIGNS if text.endswith(sign)), None)


def in_percent(value: Decimal, sign: str) -> Decimal:
    """A rate typed with ``sign`` in per cent, every digit kept (1.85‰ → 0.185)."""
    return value.scaleb(RATE_SIGNS[sign].shift)


def as_typed(percent: Decimal, sign: str) -> Decimal:
    """A rate in per cent as it is typed with ``sign`` (0.185 → 1.85 for ‰)."""
    return percent.scaleb(-RATE_SIGNS[sign].shift)


def parse_quantity(raw: object) -> Decimal:
    value = parse_decimal(raw, "数值")
    if value < 0:
        raise PydanticCustomError(
            "quantity_negative", "数值不能为负数，实际为 {value}", {"value": _shown(raw)}
        )
    if value >= MAX_QUANTITY:
        raise PydanticCustomError(
            "quantity_absurd",
            "数值 {value} 大得不合理（上限为 1000 万亿，即 10 的 15 次方）",
            {"value": _shown(raw)},
        )
    if decimals(value) > MAX_QUANTITY_DECIMALS:
        raise PydanticCustomError(
            "quantity_precision",
            "数值最多 {places} 位小数，实际为 {value}",
            {"places": MAX_QUANTITY_DECIMALS, "value": _shown(raw)},
        )
    return _in_form(_QUANTITY, raw, "数值", value)


def parse_score(raw: object) -> Decimal:
    value = parse_decimal(raw, "分数")
    if not 0 <= value <= 100:
        return value  # the field's range (ge=0, le=100) says what is wrong
    return _in_form(_SCORE, raw, "分数", value)


class FigureKind(Enum):
    """What a number is, which decides how it is printed and what it is compared with."""

    MONEY = "money"
    RATE = "rate"
    SCORE = "score"
    QUANTITY = "quantity"


def _typed(
    description: str, examples: list[object], form: Any, number: dict[str, object]
) -> WithJsonSchema:
    """What the JSON Schema (``reportgen schema``) says of a number: a YAML number in the
    range ``number`` states, or text in one of the forms ``validate`` reads (model/forms.py)."""
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", **number},
                {"type": "string", "pattern": schema_pattern(form)},
            ],
            "description": description,
            "examples": examples,
        },
        mode="validation",
    )


Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    FigureKind.MONEY,
    _typed(
        "金额，单位万元，最多两位小数",
        [4281.75, "4,281.75"],
        money_form,
        {"minimum": 0, "exclusiveMaximum": int(MAX_MONEY)},
    ),
]
Rate = Annotated[
    Decimal,
    BeforeValidator(parse_rate),
    FigureKind.RATE,
    _typed("百分比，可带 %", ["97.89%", 110], rate_form, {"minimum": 0, "maximum": int(MAX_RATE)}),
]
Quantity = Annotated[
    Decimal,
    BeforeValidator(parse_quantity),
    FigureKind.QUANTITY,
    _typed(
        "数值，不带单位",
        [88, 3.5],
        quantity_form,
        {"minimum": 0, "exclusiveMaximum": int(MAX_QUANTITY)},
    ),
]
Score = Annotated[
    Decimal,
    BeforeValidator(parse_score),
    Field(ge=0, le=100),
    FigureKind.SCORE,
    _typed("分数，0–100", [98.79, 49.5], score_form, {"minimum": 0, "maximum": 100}),
]


@functools.cache  # a field's declaration never changes; the figure table asks per value
def figure_kind(field: FieldInfo) -> FigureKind | None:
    """The kind a model field was declared with (``Money``, ``Money | None`` …), if any."""

    def search(metadata: list[Any], annotation: Any) -> FigureKind | None:
        for item in metadata:
            if isinstance(item, FigureKind):
                return item
        if get_origin(annotation) is Annotated:
            return search(list(getattr(annotation, "__metadata__", ())), get_args(annotation)[0])
        for arg in get_args(annotation):
            found = search([], arg)
            if found is not None:
                return found
        return None

    return search(list(field.metadata), field.annotation)


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` was written with."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round_to(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator in percent, unrounded; ``None`` when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator / denominator * 100
