"""Years typed in a report's prose: which follow the report's year (“2023年” → ``${year}``, the
next “2024年工作安排” → ``${next_year}``) and which stay as typed (dates, spans, document names);
in a next-year draft, those only a reader can place (“2022年” — the year before, or an event's?)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=[ \u3000]{0,2}年)")
# After “2023年”: a month (“12月，甘肃积石山发生地震”) dates an event, which stays as typed in
# next year's report; a span of months or the year's end (“1-6月”, “12月31日”, “12月底”) is
# part of the report's year and moves with it.
_SPACE = "[ \u3000]{0,2}"
_MONTH = "(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DATED = re.compile(f"年{_SPACE}{_MONTH}{_SPACE}月")
_PERIOD = re.compile(
    f"年{_SPACE}{_MONTH}{_SPACE}月?{_SPACE}[-—–~～至到]{_SPACE}{_MONTH}{_SPACE}月"
    f"|年{_SPACE}(?:12|十二){_SPACE}月{_SPACE}(?:31{_SPACE}日|三十一日|底|末)"
    f"|年{_SPACE}(?:0?1|一){_SPACE}月{_SPACE}(?:0?1{_SPACE}日|一日)"
)
# “2021—2023年”, “2023年至2025年”: a span of years names those years, not the report's.
_RANGE_MARKS = "-—–~～至到"
_SPAN_END = re.compile(f"20\\d\\d{_SPACE}年?{_SPACE}[{_RANGE_MARKS}]{_SPACE}$")
_CONTEXT = 8  # characters either side of a year a note quotes

# A year relative to the report's, by its offset: the placeholder that prints it.
RELATIVE = {0: "year", 1: "next_year", -1: "last_year"}


def _period_at(text: str, start: int, end: int) -> bool:
    """Whether the year at ``text[start:end]`` (before its “年”) names a period (the year, a
    part of it) rather than a date or one end of a span of years."""
    if _SPAN_END.search(text[max(0, start - 12) : start]):
        return False
    rest = text[end : end + 20].lstrip(" \u3000")
    if rest[1:].lstrip(" \u3000")[:1] in set(_RANGE_MARKS):
        return False
    return _DATED.match(rest) is None or _PERIOD.match(rest) is not None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    year: int
    period: bool  # names a period, not a date or a span's end
    titled: bool  # inside 《》: part of a document's name


def mentions(text: str) -> list[Mention]:
    """Every year typed before a “年” in ``text``."""
    found = []
    depth = 0
    last = 0
    for match in _YEAR.finditer(text):
        depth += text.count("《", last, match.start()) - text.count("》", last, match.start())
        last = match.start()
        period = _period_at(text, match.start(), match.end())
        found.append(Mention(match.start(), match.end(), int(match.group(1)), period, depth > 0))
    return found


def year_spans(
    text: str, year: int, taken: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The spans of the report's year and of the next (a plan: “2024年工作安排” in a 2023 report)
    that become ``${year}`` and ``${next_year}``: periods, outside a document's name and the
    spans ``taken``. The year before is often an event's (“2022年被评为……”) and stays."""
    spans = []
    for mention in mentions(text):
        free = not any(s <= mention.start < e for s, e, _ in taken)
        path = RELATIVE.get(mention.year - year)
        if path in {"year", "next_year"} and free and mention.period and not mention.titled:
            spans.append((mention.start, mention.end, path))
    return spans


_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")


def _around(text: str, start: int, end: int) -> str:
    """The words around ``text[start:end]`` a note quotes, no placeholder cut in two."""
    low, high = max(0, start - _CONTEXT), end + _CONTEXT
    for found in _PLACEHOLDER.finditer(text):
        if found.start() < low < found.end():
            low = found.start()
        if found.start() < high < found.end():
            high = found.end()
    return text[low:high]


def doubtful_years(text: str, year: int, new_year: int) -> list[tuple[str, str]]:
    """In a next-year draft (``new_year``) of a report of ``year``, the years in ``text`` (its
    draft string) only a reader can place: the year before ``year`` (the new report's year
    before, or an event's), and the next year in a document's name. Each as the words around it
    and the note that says so."""
    found = []
    for mention in mentions(text):
        offset = mention.year - year
        if not mention.period or offset not in {-1, 1} or (offset == 1) != mention.titled:
            continue
        words = _around(text, mention.start, mention.end)
        typed = f"{mention.year}年"
        if offset == -1:
            note = (
                f"“{words}”中的“{typed}”是上一份报告（{year}年度）的上一年：如指报告年度的上一年，"
                f"请改为 ${{last_year}}年（{new_year}年度的报告中印作“{new_year - 1}年”）；"
                "如是一件事发生的年份，保持原样"
            )
        else:
            note = (
                f"“{words}”书名号中的“{typed}”是上一份报告（{year}年度）的下一年：如指报告年度的"
                f"下一年，请改为 ${{next_year}}年（印作“{new_year + 1}年”）；如是文件的原名，保持原样"
            )
        found.append((words, note))
    return found
