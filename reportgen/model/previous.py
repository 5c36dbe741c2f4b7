"""Last year's figures (``previous:``): what a next-year draft keeps of the report it was imported
from, so that a figure of last year left in this year's prose is found (R011)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, get_args

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from reportgen.model.amounts import (
    FigureKind,
    figure_kind,
    in_percent,
    parse_decimal,
    parse_rate,
    rate_sign,
)
from reportgen.model.base import Integer, StrictModel, Text, empty_list


def parse_figure(raw: object) -> Decimal:
    """``1829.4``, ``1,829.40``, ``99.63%`` or ``1.85‰`` (0.185, in per cent): a figure whose
    kind its path says."""
    text = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else ""
    sign = rate_sign(text)
    if sign is not None:
        # parse_rate reads “%” itself and then quotes a wrong figure as it was written
        return in_percent(parse_rate(raw if sign == "%" else text.removesuffix(sign)), sign)
    return parse_decimal(raw, "数字")


Figure = Annotated[
    Decimal,
    BeforeValidator(parse_figure),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
            "description": "上一年度的数：金额（万元）、百分比（可带 %）、千分比（带 ‰）或分数",
            "examples": [1829.4, "99.63%", "1.85‰"],
        },
        mode="validation",
    ),
]


def typed_figure(text: str) -> str:
    """A figure as typed in prose, compared without spaces and with half-width characters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# What reports count in (an indicator's unit, a tally in the prose): a number typed before one of
# these is a quantity last year's report may have left in this year's text. Durations (“24小时”,
# “365天”) are not: they name a service, the same every year.
_UNITS = (
    "人次 户次 场次 批次 件次 车次 架次 课时 学时 平方米 立方米 公里 千米 个 项 场 件 宗 篇 份 批 家 户 "
    "条 期 所 台 套 辆 张 册 卷 本 部 名 位 人 次 吨 亩 座 栋 处 起 单 封 支 节 堂 轮"
)
COUNT_UNITS = tuple(sorted(_UNITS.split(), key=len, reverse=True))  # longest first
_QUANTITY = re.compile(
    r"(?<![\d.}第])(?<!\d,)(\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,16}(?:\.\d{1,6})?)\s{0,3}"
    rf"((?:余|多)?(?:万|亿)?(?:{'|'.join(COUNT_UNITS)}))"
)


def quantities_in(text: str) -> Iterator[tuple[str, Decimal, str]]:
    """Each number typed with a unit of count in ``text`` (NFKC): as typed, its value, its unit
    (with “余”“多”“万” as typed: “600多篇” is not “600篇”)."""
    for match in _QUANTITY.finditer(unicodedata.normalize("NFKC", text)):
        yield match.group(0), Decimal(match.group(1).replace(",", "")), match.group(2)


def parse_quantity(text: str) -> tuple[Decimal, str] | None:
    """A quantity of ``previous.quantities`` (“2544人次”): its value and unit."""
    found = list(quantities_in(text))
    if len(found) != 1 or typed_figure(found[0][0]) != typed_figure(text):
        return None
    return found[0][1], found[0][2]


class Previous(StrictModel):
    """上一年度的数：由 ``reportgen import --year`` 写入；正文中与之相同的数须改写或确认。"""

    year: Integer = Field(ge=2000, le=2100, description="上一年度")
    figures: dict[Text, Figure] = Field(
        default_factory=dict,
        description="上一年度的数，键名是数据中的位置（与 ${…} 相同，如 budget.expenditure.total）",
    )
    amounts: list[Figure] = Field(
        default_factory=empty_list,
        description="上一年度正文中其他的金额（万元），未写入数据的",
    )
    rates: list[Figure] = Field(
        default_factory=empty_list,
        description="上一年度正文中其他的百分比、千分比（照正文写，如 42.5%、1.85‰；10 以上或有小数，"
        "100% 除外），未写入数据的",
    )
    quantities: list[Text] = Field(
        default_factory=empty_list,
        description="上一年度的指标实际值和正文中带计数单位的数，照原文写（如 2544人次、36.03万宗）",
    )
    confirmed: list[Text] = Field(
        default_factory=empty_list,
        description="正文中与上一年度相同、经核对确属本年度的数，照正文写（如 10%、4.58万元）",
    )


_STEP = re.compile(r"([A-Za-z_]\w*)((?:\[\d+\])*)")


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through ``X | None``, ``list[X]`` and ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def figure_kind_at(model: type[BaseModel], path: str) -> FigureKind | None:
    """The kind of the figure at ``path`` (``budget.income.sources[0].share``) in ``model``;
    ``None`` when the path names no figure (a cost line's path is its amount's)."""
    current: type[BaseModel] | None = model
    kind: FigureKind | None = None
    for step in path.split("."):
        match = _STEP.fullmatch(step)
        if current is None or match is None or match.group(1) not in current.model_fields:
            return None
        info = current.model_fields[match.group(1)]
        kind = figure_kind(info)
        current = model_in(info.annotation)
    if kind is None and current is not None and "amount" in current.model_fields:
        return figure_kind(current.model_fields["amount"])
    return kind if current is None else None
