"""The 部门整体支出绩效自评表's data: header, funds by source, goals and the indicator tree.

The figures the report already holds (the budget, its execution) are not typed again: a funds
row the table does not state is taken from ``budget`` (check/table.py), and a row it states is
checked against it. Scores are computed by the layout's scoring profile, or stated and checked.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from reportgen.model.amounts import Money, Score, parse_quantity, rate_sign
from reportgen.model.base import Flag, Name, StrictModel, Text, check_text, empty_list

Nature = Literal["定量", "定性"]
Sign = Literal["≥", "≤", "=", ">", "<"]
_SIGNS: dict[str, str] = {">=": "≥", "<=": "≤", "＝": "=", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤"}


def _value(raw: Any) -> Any:
    """A target or actual: a number (``88``, ``4,281.75``, ``95%`` with the unit ``%``) or a
    quality word (``好``, ``达到预期``)."""
    if isinstance(raw, bool) or raw is None:
        return raw
    if isinstance(raw, int | float | Decimal):
        return parse_quantity(raw)
    if not isinstance(raw, str):
        raise PydanticCustomError("indicator_value", "应为数值或文字（如 好、高）", {})
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.removesuffix(rate_sign(text) or "")  # “95%”, “2‰”: the number in its unit
    try:
        return parse_quantity(text)
    except PydanticCustomError as exc:
        if any(ch.isdigit() for ch in text) and exc.type != "number_text":
            raise  # a number out of range, not a word
    return check_text(raw.strip())


def _sign(raw: Any) -> Any:
    if isinstance(raw, str):
        text = raw.strip()
        return _SIGNS.get(text, text)
    return raw


# The sign printed before a target, as published: ≥ ≤ = > < (>=, ＞, ≧ … read as these).
TargetSign = Annotated[Sign | None, BeforeValidator(_sign)]

IndicatorValue = Annotated[
    Decimal | str,
    BeforeValidator(_value),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}, mode="validation"
    ),
]


class FundsLine(StrictModel):
    """One row of the funds block (万元): only the figures the department publishes."""

    initial: Money | None = Field(None, description="年初预算数")
    adjusted: Money | None = Field(None, description="全年预算数（调整后）；未调整时不写")
    executed: Money | None = Field(None, description="全年执行数")


class Funds(StrictModel):
    """预算执行情况: the total row and the rows the department publishes, by source or by line."""

    total: FundsLine | None = Field(
        None, description="年度资金总额；不写则由各来源相加，再不写则取 budget 中的预算与支出"
    )
    appropriation: FundsLine | None = Field(None, description="本年财政拨款")
    carryover: FundsLine | None = Field(None, description="上年结转资金")
    other: FundsLine | None = Field(None, description="其他资金")
    basic: FundsLine | None = Field(None, description="基本支出（按支出性质分列时）")
    project: FundsLine | None = Field(None, description="项目支出（按支出性质分列时）")
    score: Score | None = Field(None, description="得分（写出时按评分方案核对）")
    reason: Text | None = Field(None, description="执行率偏低或预算调整的原因")


class Goal(StrictModel):
    """年度总体目标 beside 实际完成情况."""

    planned: Text = Field(description="年度目标（预期目标）")
    adjusted: Text | None = Field(None, description="全年（调整）目标")
    actual: Text | None = Field(None, description="实际完成情况")
    reason: Text | None = Field(None, description="未能完成的原因")


class TableIndicator(StrictModel):
    """A 三级指标 with its target, actual, weight and score."""

    name: Text = Field(description="三级指标名称")
    nature: Nature | None = Field(
        None, description="指标性质：定量 | 定性；不写则目标值是数字为定量，是文字为定性"
    )
    sign: TargetSign = Field(None, description="目标值前的符号：≥ ≤ = > <；定性指标不写")
    target: IndicatorValue | None = Field(None, description="年度指标值（数字，或 好、高 等）")
    adjusted_target: IndicatorValue | None = Field(None, description="调整后的指标值")
    actual: IndicatorValue | None = Field(None, description="实际完成值")
    unit: Text | None = Field(None, description="计量单位")
    approximate: Flag = Field(False, description="实际值前加“约”")
    weight: Score | None = Field(None, description="分值")
    score: Score | None = Field(None, description="得分；不写则按评分方案计算")
    core: Flag = Field(False, description="是否核心指标")
    reason: Text | None = Field(None, description="偏差原因分析及改进措施")

    @model_validator(mode="before")
    @classmethod
    def _rate_unit(cls, data: Any) -> Any:
        """``target: 95%`` is the number 95 in the unit %, ``target: 2‰`` 2 in ‰."""
        if not isinstance(data, dict):
            return data
        signs = {
            rate_sign(unicodedata.normalize("NFKC", data[key]).strip())
            for key in ("target", "adjusted_target", "actual")
            if isinstance(data.get(key), str)
        } - {None}
        if len(signs) > 1:
            raise PydanticCustomError(
                "rate_signs",
                "目标值、实际值写的单位不同（{signs}）：请统一为一种，或写在 unit 中",
                {"signs": "、".join(sorted((str(sign) for sign in signs), reverse=True))},
            )
        if signs and data.get("unit") is None:
            return {**data, "unit": signs.pop()}
        return data

    @property
    def measured_target(self) -> Decimal | str | None:
        """The target the actual is measured against: the adjusted one when there is one."""
        return self.adjusted_target if self.adjusted_target is not None else self.target

    @property
    def quantitative(self) -> bool:
        if self.nature is not None:
            return self.nature == "定量"
        return not isinstance(self.measured_target, str)


class IndicatorGroup(StrictModel):
    """A 二级指标 (数量指标, 社会效益指标 …) and its 三级指标."""

    name: Text = Field(description="二级指标名称")
    items: list[TableIndicator] = Field(min_length=1, description="三级指标")


class IndicatorBlock(StrictModel):
    """A 一级指标 (产出指标, 履职效能 …): one of the profile's blocks."""

    name: Text = Field(description="一级指标名称，与评分方案中的一级指标相同")
    items: list[IndicatorGroup] = Field(min_length=1, description="二级指标")


class AssessmentTable(StrictModel):
    """The data of the 部门整体支出绩效自评表 (``table:`` in the YAML)."""

    profile: Name | None = Field(
        None,
        description="评分方案：内置 national | district，或 --templates 中的方案；不写则按版式",
    )
    supervisor: Text | None = Field(None, description="主管部门")
    contact: Text | None = Field(None, description="联系人")
    phone: Text | None = Field(None, description="联系电话")
    funds: Funds | None = Field(None, description="预算执行情况（万元）；不写则取 budget 中的数")
    goals: list[Goal] = Field(default_factory=empty_list, description="年度总体目标与完成情况")
    indicators: list[IndicatorBlock] = Field(
        default_factory=empty_list, description="绩效指标：一级 → 二级 → 三级"
    )
    score: Score | None = Field(
        None, description="表中印出的自评得分（核对已发布的表时写；写了则与计算的得分核对）"
    )
