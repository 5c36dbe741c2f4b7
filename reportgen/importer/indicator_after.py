"""What a report says after an indicator's figures: its score and maximum (“，得分10分（分值10分）”),
and why it fell short of its target (“主要原因是……”, “由于……”): from the clause naming the reason
to the end of its sentence. A reason goes to the indicator it is tied to: the one it names
(“A完成率90%，B完成率95%。A未完成的原因是……”, in a later paragraph too), else the one it
follows nearest in the paragraph (“A完成率87.5%；B完成率90%，主要原因是……” is B's, not A's
too). A missed indicator no reason is tied to gets none: R206 asks for it, rather than the
draft giving it another one's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reportgen.importer.numerals import ascii_figures, decimal_of

_REASON_WORDS = ("原因", "由于")
_NAMED = 3  # a shorter name (“人数”) in another paragraph's reason may be any words
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
    """Give each of ``indicators`` that fell short of its target the reason ``text`` ties to it
    (``ends``: where each was said to, in order)."""
    for at, reason in _reasons(text, ends):
        said = [i for i, end in enumerate(ends) if end <= at]
        names = {i: indicators[i].get("name") or "" for i in said}
        named = [i for i, name in names.items() if name and name in reason]
        # “业务岗位培训人数” named, “培训人数” is not named too
        named = [i for i in named if not any(_within(names[i], names[j]) for j in named)]
        for i in named or said[-1:]:
            if _missed(indicators[i]) and "reason" not in indicators[i]:
                indicators[i]["reason"] = reason


def with_named_reasons(indicators: list[dict[str, Any]], texts: list[str]) -> None:
    """Give each of ``indicators`` (each with ``at``, the index of its text) that fell short of
    its target and has no reason yet the first reason a later text gives naming it (“培训人数
    未完成的原因是……” in a paragraph of its own)."""
    for indicator in indicators:
        name = indicator.get("name") or ""
        if len(name) < _NAMED or not _missed(indicator) or "reason" in indicator:
            continue
        later = (
            reason for text in texts[indicator["at"] + 1 :] for _, reason in _reasons(text, [0])
        )
        reason = next((reason for reason in later if name in reason), None)
        if reason is not None:
            indicator["reason"] = reason


def _within(name: str, other: str) -> bool:
    """Whether ``name`` is a part of another, longer name."""
    return name != other and name in other


def _missed(indicator: dict[str, Any]) -> bool:
    """Whether an indicator fell short of its target: by its stated rate, or else by its target
    and actual value (no rate is computed for it: the report states none)."""
    if "rate" in indicator:
        return Decimal(ascii_figures(indicator["rate"]).rstrip("%")) < 100
    target, actual = indicator.get("target"), indicator.get("actual")
    if not isinstance(target, Decimal) or not isinstance(actual, Decimal):
        return False
    return actual > target if indicator.get("direction") == "negative" else actual < target


def _reasons(text: str, ends: list[int]) -> list[tuple[int, str]]:
    """Each reason ``text`` states after the first indicator (one a sentence), where it
    names 原因 (or 由于): from its clause, after the indicator before it, to its sentence's end."""
    found: list[tuple[int, str]] = []
    start = min(ends, default=len(text))
    while True:
        hits = [at for at in (text.find(word, start) for word in _REASON_WORDS) if at >= 0]
        if not hits:
            return found
        at = min(hits)
        after = max([end for end in ends if end <= at], default=0)
        begin = max(text.rfind(mark, after, at) for mark in "，,；;。：:") + 1
        stops = [e for e in (text.find(mark, at) for mark in "。；;") if e >= 0]
        start = min(stops, default=len(text))
        reason = text[max(begin, after) : start].strip("，,；; ")
        if reason:
            found.append((at, reason))
