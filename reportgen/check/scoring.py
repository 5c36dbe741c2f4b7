"""Scoring one 三级指标 under a profile: 完成率, whether the target is met, 偏离, the score."""

from __future__ import annotations

from decimal import Decimal

from reportgen.layout.profile import Profile
from reportgen.model.amounts import percent, round_to
from reportgen.model.narrative import IndicatorCategory
from reportgen.model.table import TableIndicator

SCORE_PLACES = 2
HUNDRED = Decimal(100)
# A 二级指标's name says what kind of indicator it is, where the block does not.
_GROUP_CATEGORIES: tuple[tuple[str, IndicatorCategory], ...] = (
    ("满意", "satisfaction"),
    ("效益", "outcome"),
    ("产出", "output"),
    ("数量", "output"),
    ("质量", "output"),
    ("时效", "output"),
    ("成本", "output"),
)


def rounded(value: Decimal) -> Decimal:
    """A score as the table keeps it: two decimals."""
    return round_to(value, SCORE_PLACES)


def completion(indicator: TableIndicator) -> tuple[Decimal | None, bool | None]:
    """完成率 (percent) and whether the target is met, for a quantitative indicator."""
    target, actual = indicator.measured_target, indicator.actual
    if not isinstance(target, Decimal) or not isinstance(actual, Decimal):
        return None, None
    sign = indicator.sign or "≥"
    if sign in ("≥", ">"):
        met = actual >= target if sign == "≥" else actual > target
        rate = percent(actual, target) if target else (HUNDRED if met else Decimal(0))
    elif sign in ("≤", "<"):
        met = actual <= target if sign == "≤" else actual < target
        rate = percent(target, actual) if actual else HUNDRED if met else Decimal(0)
    else:
        met = actual == target
        gap = percent(abs(actual - target), target) if target else None
        rate = (
            max(Decimal(0), HUNDRED - gap) if gap is not None else (HUNDRED if met else Decimal(0))
        )
    return rate, met


def quality_met(indicator: TableIndicator, levels: list[list[str]]) -> bool | None:
    target, actual = indicator.measured_target, indicator.actual
    if target is None or actual is None:
        return None
    if str(target) == str(actual):
        return True
    for scale in levels:
        if target in scale and actual in scale:
            return scale.index(str(actual)) <= scale.index(str(target))
    return None


def deviates(indicator: TableIndicator, profile: Profile) -> bool:
    """Whether the actual lies the profile's threshold or more beyond the target (偏离)."""
    rule = profile.switches.deviation
    target, actual = indicator.measured_target, indicator.actual
    if rule is None or not isinstance(target, Decimal) or not isinstance(actual, Decimal):
        return False
    if target <= 0:
        return False
    share = rule.threshold / HUNDRED
    sign = indicator.sign or "≥"
    if sign in ("≥", ">"):
        return actual >= target * (1 + share)
    if sign in ("≤", "<"):
        return actual <= target * (1 - share)
    return False


def category_of(group: str, block: str, profile: Profile) -> IndicatorCategory:
    for word, category in _GROUP_CATEGORIES:
        if word in group:
            return category
    spec = profile.block(block)
    if spec is not None:
        return spec.category
    for word, category in _GROUP_CATEGORIES:
        if word in block:
            return category
    return "other"


def score_indicator(
    indicator: TableIndicator, profile: Profile
) -> tuple[Decimal | None, Decimal | None, bool | None, bool]:
    """(computed score, completion, met, 偏离) of one 三级指标 under ``profile``."""
    if indicator.quantitative:
        rate, met = completion(indicator)
    else:
        rate, met = None, quality_met(indicator, profile.indicators.quality_levels)
    deviation = deviates(indicator, profile)
    weight = indicator.weight
    score = None
    if profile.indicators.rule == "proportional" and weight is not None and met is not None:
        if met:
            score = weight
        elif rate is not None:
            score = rounded(weight * min(rate, HUNDRED) / HUNDRED)
        rule = profile.switches.deviation
        if score is not None and deviation and rule is not None and rule.action == "deduction":
            score = max(Decimal(0), rounded(score - weight * rule.deduction_share / HUNDRED))
    return score, rate, met, deviation
