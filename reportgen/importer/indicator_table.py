"""An indicator table's rows (指标名称 | 目标值 | 实际值 | 完成率 …, from a .docx, or a .txt laid out
in columns or parted by tabs) as indicators, and what of them the indicator table reportgen prints
in its place cannot print as published."""

from __future__ import annotations

import re
from typing import Any

from reportgen.importer.indicators import BELOW, BOUND, ReadIndicators, Unread, unit_of
from reportgen.importer.numerals import (
    CHINESE_PERCENT,
    ascii_figures,
    chinese_percent,
    decimal_of,
)
from reportgen.importer.words import category_of

_CELL = re.compile(
    r"(?P<sign>[≤≥<>=＝]?)[ \u3000]{0,2}(?P<about>约?)[ \u3000]{0,2}"
    r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?)[ \u3000]{0,2}"
    r"(?P<unit>(?:(?!及?以[上下内]|左右)[^\d]){0,6}"
    r"(?:[ \u3000]?/[ \u3000]?\d{0,6}[ \u3000]?(?:(?!及?以[上下内]|左右)[^\d/]){1,4})?)"
    rf"{BOUND}"
)


def _column(row: dict[str, str], *words: str) -> str | None:
    for heading, value in row.items():
        if any(word in heading for word in words):
            value = value.strip()
            return value if value and value not in {"—", "-", "/", "无"} else None
    return None


# Column headings that say “指标” of something else than the indicator's name.
_NOT_NAMES = ("类别", "类型", "值", "率", "分", "原因")


def _levels(row: dict[str, str]) -> list[str]:
    """The headings of the 指标 columns, outermost first (一级指标, 二级指标, 三级指标), not a
    指标类别 or 指标值 column."""
    return [h for h in row if "指标" in h and not any(word in h for word in _NOT_NAMES)]


def _name(row: dict[str, str]) -> str | None:
    """The indicator's name: the 名称 column, else the last of the 指标 columns (三级指标 after
    一级指标 and 二级指标)."""
    said = _column(row, "名称")
    if said is not None:
        return said
    levels = _levels(row)
    return _column({levels[-1]: row[levels[-1]]}, "指标") if levels else None


def _category(row: dict[str, str]) -> str:
    """The category a 类别 column names, else the 指标 columns outside the name's (一级指标
    产出指标, 二级指标 数量指标)."""
    said = _column(row, "类别", "类型")
    if said is None:
        levels = [h for h in _levels(row) if "名称" not in h]
        outer = levels if _column(row, "名称") is not None else levels[:-1]
        said = "，".join(row[heading] for heading in outer)
    return category_of(said)


_LABELS = {"target": "目标值", "actual": "实际值"}
_DIGIT = re.compile(r"\d")


def indicators_from_table(
    rows: list[dict[str, str]], sentences: list[str] | None = None
) -> ReadIndicators:
    """Indicators from an indicator table's rows (指标名称, 目标值, 实际值, 完成率 …), and what
    of its rows the indicator table reportgen prints in its place cannot print as published;
    each quoted as the table's row, or as the ``sentences`` that state them (a list's)."""
    read = ReadIndicators()
    for n, row in enumerate(rows):
        name = _name(row)
        text = "，".join(row.values())
        if not name:
            figures = tuple(v.strip() for v in row.values() if _DIGIT.search(v))
            if figures:
                note = (
                    f"指标表中“{text}”一行没有指标名称，未写入 indicators，生成的指标表中没有这一行"
                )
                read.unread.append(Unread(note, figures))
            continue
        quoted = sentences[n] if sentences is not None else f"表格：{text}"
        indicator: dict[str, Any] = {"name": name, "sentence": quoted}
        indicator["category"] = _category(row)
        cells = _figure_cells(row, name, read)
        units = {key: unit_of(match) for key, (_, match) in cells.items() if unit_of(match)}
        if len(set(units.values())) > 1:
            both = "、".join(f"“{cell}”" for cell, _ in cells.values())
            note = (
                f"指标表“{name}”一行的目标值与实际值单位不同（{both}），未写入 target、actual，"
                "生成的指标表中印作“—”"
            )
            read.unread.append(Unread(note, tuple(cell for cell, _ in cells.values())))
            cells = {}
        _put_figures(indicator, cells, read)
        _put_rate(indicator, _column(row, "完成率"), read)
        for key, words in (("max_score", ("分值",)), ("score", ("得分",)), ("reason", ("原因",))):
            said = _column(row, *words)
            if said:
                indicator[key] = said
        read.found.append(indicator)
    return read


# a completion rate as a table's cell states it: per cent, its sign sometimes left out
_RATE = re.compile(r"(\d+(?:\.\d+)?)%?")


def _put_rate(indicator: dict[str, Any], cell: str | None, read: ReadIndicators) -> None:
    """A row's completion rate in ``indicator``; a cell that states another thing (“%”, words)
    kept in ``read.unread`` (the table reportgen prints has the rate it computes there, or “—”)."""
    if cell is None:
        return
    said = ascii_figures(cell).replace(" ", "")
    match, words = _RATE.fullmatch(said), CHINESE_PERCENT.fullmatch(said)
    if match is not None:
        indicator["rate"] = f"{match.group(1)}%"
    elif words is not None:  # 百分之一百零八点三三
        indicator["rate"] = f"{chinese_percent(words)}%"
    elif said:
        note = f"指标表“{indicator['name']}”一行的完成率“{cell}”不是数值，未写入 rate"
        read.unread.append(Unread(note, (cell,) if _DIGIT.search(cell) else ()))


def _put_figures(
    indicator: dict[str, Any], cells: dict[str, tuple[str, re.Match[str]]], read: ReadIndicators
) -> None:
    """A row's target and actual value in ``indicator``, the sign before the target kept
    (``sign``); the words around them the table reportgen prints does not print as published
    (“以上”; “以下” prints “≤”; a sign before the actual value) said in ``read.unread``."""
    for key, (cell, match) in cells.items():
        indicator[key] = decimal_of(match.group("value"))
        if unit_of(match):
            indicator["unit"] = unit_of(match)
        if key == "actual" and match.group("about"):
            indicator["approximate"] = True
        sign, bound = match.group("sign"), match.group("bound") or ""
        negative = sign in {"≤", "<"} or bound.endswith(BELOW)
        if key == "target" and negative:
            indicator["direction"] = "negative"
        if key == "target" and sign:
            indicator["sign"] = sign.replace("＝", "=")  # printed before the target as published
        shown = [f"不印“{sign}”"] if sign and key == "actual" else []
        if key == "target" and bound.endswith(BELOW) and not sign:
            shown.append(f"“{bound}”印作目标值前的“≤”")
        elif bound:
            shown.append(f"不印“{bound}”")
        if shown:
            note = (
                f"指标表“{indicator['name']}”一行的{_LABELS[key]}为“{cell}”，"
                f"生成的指标表中{'，'.join(shown)}"
            )
            read.unread.append(Unread(note))


def _figure_cells(
    row: dict[str, str], name: str, read: ReadIndicators
) -> dict[str, tuple[str, re.Match[str]]]:
    """A row's target and actual cells that state a value; another kept in ``read.unread``
    (the table reportgen prints has “—” there)."""
    cells: dict[str, tuple[str, re.Match[str]]] = {}
    for key, words in (("target", ("目标",)), ("actual", ("实际",))):
        cell = _column(row, *words)
        match = _CELL.fullmatch(cell) if cell else None
        if cell and match is None:
            note = f"指标表“{name}”一行的{_LABELS[key]}“{cell}”不是数值，生成的指标表中印作“—”"
            read.unread.append(Unread(note, (cell,) if _DIGIT.search(cell) else ()))
        elif cell and match is not None:
            cells[key] = (cell, match)
    return cells
