"""What a report says after an indicator's figures: its score and maximum (“，得分10分（分值10分）”),
and why it fell short of its target (“主要原因是……”, “由于……”): from the clause naming the reason
to the end of its sentence. A reason stated after the next indicator is taken too (“A完成率90%，
B完成率95%。A未完成的原因是……”): a reason given to the wrong one may hide a slip, but none
given to the right one would be a false slip."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reportgen.importer.numerals import ascii_figures, decimal_of

_REASON_WORDS = ("原因", "由于")
# an indicator's score after its figures, and its maximum: “，得分10分（分值10分）”
_SCORED = re.compile(
    r"[，,][ \u3000]{0,2}(?:指标)?得分[为是：:]{0,2}[ \u3000]{0,2}(?P<score>\d{1,3}(?:\.\d{1,2})?)"
    r"[ \u3000]{0,2}分(?:[（(，,][ \u3000]{0,2}(?:分值|满分)[为是：:]{0,2}[ \u3000]{0,2}"
    r"(?P<max_score>\d{1,3}(?:\.\d{1,2})?)[ \u3000]{0,2}分[）)]?)?"
)


def with_score(text: str, end: int, indicator: dict[str, Any]) -> int:
    """Put the score (and maximum) ``text`` states right after ``end`` into ``indicator``; where
    the indicator's words end then."""
    scored = _SCORED.match(text, end)
    if scored is None:
        return end
    indicator |= {key: decimal_of(value) for key, value in scored.groupdict().items() if value}
    return scored.end()


def with_reasons(text: str, indicators: list[dict[str, Any]], ends: list[int]) -> None:
    """Give each of ``indicators`` that fell short of its target the first reason ``text``
    states after it (``ends``: where each was said to)."""
    for indicator, end in zip(indicators, ends, strict=True):
        reason = _reason_after(text, end) if _missed(indicator) else None
        if reason is not None:
            indicator["reason"] = reason


def _missed(indicator: dict[str, Any]) -> bool:
    """Whether an indicator fell short of its target: by its stated rate, or else by its target
    and actual value (no rate is computed for it: the report states none)."""
    if "rate" in indicator:
        return Decimal(ascii_figures(indicator["rate"]).rstrip("%")) < 100
    target, actual = indicator.get("target"), indicator.get("actual")
    if not isinstance(target, Decimal) or not isinstance(actual, Decimal):
        return False
    return actual > target if indicator.get("direction") == "negative" else actual < target


def _reason_after(text: str, start: int) -> str | None:
    """From the clause naming 原因 (or 由于) after ``start`` to the end of its sentence."""
    hits = [at for at in (text.find(word, start) for word in _REASON_WORDS) if at >= 0]
    if not hits:
        return None
    at = min(hits)
    begin = max(text.rfind(mark, start, at) for mark in "，,；;。：:") + 1
    ends = [e for e in (text.find(mark, at) for mark in "。；;") if e >= 0]
    reason = text[max(begin, start) : min(ends, default=len(text))].strip("，,；; ")
    return reason or None
