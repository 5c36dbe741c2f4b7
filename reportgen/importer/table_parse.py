"""A published 自评表's rows → the ``table:`` data, as far as its labels say what each cell is.

Columns are found by their header words (年初预算数, 三级指标, 分值 …), so the order of a
bureau's form does not matter; a merged 一级/二级 cell (empty below its first row) carries down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from reportgen.importer.numerals import rates_as_figures
from reportgen.importer.table_rows import PlacedRow, Row

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")
_TARGET = re.compile(r"^(≥|≤|>=|<=|=|>|<|≧|≦)?\s*(\d[\d,]*(?:\.\d+)?)\s*(.*)$")
_SIGNS = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤"}
_HEADER = ("主管部门", "联系人", "联系电话")
_HEADER_KEYS = {"主管部门": "supervisor", "联系人": "contact", "联系电话": "phone"}
_FUNDS_ROWS = (
    ("总额", "total"),
    ("合计", "total"),
    ("财政拨款", "appropriation"),
    ("上年结转", "carryover"),
    ("其他资金", "other"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
)
_BLANK = {"", "-", "—", "/", "无"}
_REASON = ("原因", "情况说明", "说明")


def number(text: str) -> Decimal | None:
    text = text.replace("，", ",").removesuffix("%")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    return format(value, "f")


def value_of(text: str, unit: str | None) -> dict[str, str]:
    """A target or actual cell: ``≥40个`` → sign, number and unit; a word stays a word."""
    if text in _BLANK:
        return {}
    match = _TARGET.match(rates_as_figures(text).text)  # “≤千分之二” as “≤2‰”
    if match is None or number(match.group(2)) is None:
        return {"value": text}
    found = {"value": _plain(number(match.group(2)) or Decimal(0))}
    if match.group(1):
        found["sign"] = _SIGNS.get(match.group(1), match.group(1))
    rest = match.group(3)
    if rest and not unit:
        found["unit"] = rest
    return found


def _column(header: Row, *words: str) -> int | None:
    for i, cell in enumerate(header):
        if any(word in cell for word in words):
            return i
    return None


def _cell(row: Row, index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


@dataclass
class PublishedTable:
    """The table's data, the row each part was read from, and its printed total score."""

    data: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)  # field path → the row's text
    unread: list[str] = field(default_factory=list)  # rows that could not be read: where, why
    indicators_partial: bool = False  # an indicator row is among them

    def row_of(self, path: str) -> str | None:
        while path:
            if path in self.rows:
                return self.rows[path]
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return None


def _shown(row: Row) -> str:
    where = row.place if isinstance(row, PlacedRow) else PlacedRow.place
    return f"{where}：" + "，".join(cell for cell in row if cell)


def parse_table(rows: list[Row]) -> PublishedTable:
    table = PublishedTable()
    _header(rows, table)
    _funds(rows, table)
    _indicators(rows, table)
    return table


def _header(rows: list[Row], table: PublishedTable) -> None:
    for row in rows:
        for i, cell in enumerate(row):
            label = next((h for h in _HEADER if cell.startswith(h)), None)
            if label is None or _HEADER_KEYS[label] in table.data:
                continue
            rest = cell[len(label) :].lstrip(":：")
            value = rest or next((c for c in row[i + 1 :] if c and c not in _HEADER), "")
            if value and value not in _BLANK:
                table.data[_HEADER_KEYS[label]] = value
                table.rows[f"table.{_HEADER_KEYS[label]}"] = _shown(row)


def _funds(rows: list[Row], table: PublishedTable) -> None:
    at = next(
        (i for i, r in enumerate(rows) if _column(r, "全年执行数", "执行数") is not None), None
    )
    if at is None:
        return
    header = rows[at]
    columns = {
        "initial": _column(header, "年初预算"),
        "adjusted": _column(header, "全年预算"),
        "executed": _column(header, "执行数"),
    }
    score_at = _column(header, "得分")
    first = min(c for c in columns.values() if c is not None)
    funds: dict[str, Any] = {}
    for row in rows[at + 1 : at + 8]:
        label = "".join(row[:first])
        said = next((c for c in row[1:] if c and c not in _BLANK), "") if row else ""
        if label.startswith(_REASON) and said and "reason" not in funds:
            funds["reason"] = said  # the row under the funds that says why (原因说明)
            table.rows["table.funds.reason"] = _shown(row)
            continue
        key = next((k for word, k in _FUNDS_ROWS if word in label), None)
        if key is None or key in funds:
            if _column(row, "目标", "指标") is not None:
                break
            continue
        line = {
            name: _plain(value)
            for name, index in columns.items()
            if (value := number(_cell(row, index))) is not None
        }
        if line:
            funds[key] = line
            table.rows[f"table.funds.{key}"] = _shown(row)
        stated = number(_cell(row, score_at))
        if key == "total" and stated is not None:
            funds["score"] = _plain(stated)
            table.rows["table.funds.score"] = _shown(row)
    if funds:
        table.data["funds"] = funds
        table.rows["table.funds"] = _shown(rows[at])


def _indicators(rows: list[Row], table: PublishedTable) -> None:
    at = next((i for i, r in enumerate(rows) if _column(r, "三级指标") is not None), None)
    if at is None:
        return
    header = rows[at]
    col = {
        "first": _column(header, "一级指标"),
        "second": _column(header, "二级指标"),
        "name": _column(header, "三级指标"),
        "target": _column(header, "年度指标值", "指标值", "目标值"),
        "adjusted": _column(header, "调整"),
        "actual": _column(header, "实际完成值", "实际值", "完成值"),
        "unit": _column(header, "计量单位", "单位"),
        "nature": _column(header, "指标性质", "性质"),
        "weight": _column(header, "分值"),
        "score": _column(header, "得分"),
        "reason": _column(header, "原因"),
        "core": _column(header, "核心"),
    }
    if col["adjusted"] == col["target"]:
        col["adjusted"] = None
    blocks: list[dict[str, Any]] = []
    first = second = ""
    for row in rows[at + 1 :]:
        joined = "".join(row)
        opening = next((cell for cell in row if cell), "")
        if (
            "总分" in joined
            or opening.startswith("合计")
            or ("自评得分" in joined and not _cell(row, col["name"]))
        ):
            _total(row, table)
            break
        first = _cell(row, col["first"]) or first
        second = _cell(row, col["second"]) or second
        name = _cell(row, col["name"])
        if not name or not first or name == "三级指标":
            continue
        if not blocks or blocks[-1]["name"] != first:
            blocks.append({"name": first, "items": []})
        groups = blocks[-1]["items"]
        if not groups or groups[-1]["name"] != (second or first):
            groups.append({"name": second or first, "items": []})
        leaf = _leaf(row, col, name)
        b, g, i = len(blocks) - 1, len(groups) - 1, len(groups[-1]["items"])
        groups[-1]["items"].append(leaf)
        table.rows[f"table.indicators[{b}].items[{g}].items[{i}]"] = _shown(row)
    if blocks:
        table.data["indicators"] = blocks


def _leaf(row: Row, col: dict[str, int | None], name: str) -> dict[str, Any]:
    unit = _cell(row, col["unit"]) or None
    leaf: dict[str, Any] = {"name": name}
    target = value_of(_cell(row, col["target"]), unit)
    actual = value_of(_cell(row, col["actual"]), unit)
    if "sign" in target:
        leaf["sign"] = target["sign"]
    if "value" in target:
        leaf["target"] = target["value"]
    adjusted = value_of(_cell(row, col["adjusted"]), unit)
    if "value" in adjusted:
        leaf["adjusted_target"] = adjusted["value"]
    if "value" in actual:
        leaf["actual"] = actual["value"]
    unit = unit or target.get("unit") or actual.get("unit")
    if unit:
        leaf["unit"] = unit
    nature = _cell(row, col["nature"])
    if nature in ("定量", "定性"):
        leaf["nature"] = nature
    for key in ("weight", "score"):
        value = number(_cell(row, col[key]))
        if value is not None:
            leaf[key] = _plain(value)
    reason = _cell(row, col["reason"])
    if reason and reason not in _BLANK:
        leaf["reason"] = reason
    if _cell(row, col["core"]) in ("是", "√", "核心"):
        leaf["core"] = True
    return leaf


def _total(row: Row, table: PublishedTable) -> None:
    """The 总分 row: its last number is the self-score as the table prints it."""
    numbers = [n for cell in row if (n := number(cell)) is not None]
    if len(numbers) >= 2 or (numbers and "自评得分" in "".join(row)):
        table.data["score"] = _plain(numbers[-1])
        table.rows["table.score"] = _shown(row)
