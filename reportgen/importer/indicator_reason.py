"""Why an indicator fell short of its target, as the report says after it (“主要原因是……”,
“由于……”): the words from the clause naming the reason to the end of its sentence. A reason
stated after the next indicator is taken too (“A完成率90%，B完成率95%。A未完成的原因是……”):
a reason given to the wrong one may hide a slip, but none given to the right one would be a
false slip."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportgen.importer.numerals import ascii_figures

_REASON_WORDS = ("原因", "由于")


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
