"""A budget table's figures: rows 基本支出, 项目支出, 人员经费, 公用经费 and 合计 under columns
年初预算, 调整预算, 支出 and 执行率 (a .docx table, or one copied from Word or Markdown, its cells
parted by tabs), as the facts the prose states in sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reportgen.importer.numerals import (
    MONEY_UNIT,
    ascii_figures,
    decimal_of,
    exactly_in_ten_thousands,
    in_ten_thousands,
)
from reportgen.importer.source import KeptTable, Row
from reportgen.importer.words import SPENDING_CLASSES
from reportgen.model.amounts import FigureKind

# A row by what its first cell names (the first that matches): the whole, or one line of it.
_ROWS = (
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("公用支出", "public"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("合计", "whole"),
    ("总计", "whole"),
    ("部门整体支出", "whole"),
    ("总支出", "whole"),
)
_RATE_HEADINGS = ("执行率", "完成率", "支出进度", "执行进度")
_SPENT_HEADINGS = ("支出", "决算", "执行数", "实际")
# The 决算's own words for its spending: a bare 预算数 beside them is the year's budget as adjusted
# (the 自评表's 全年预算数), for a table's column as for a sentence's figure (facts.py).
FINAL_ACCOUNTS = re.compile(r"决算数?|执行数")
# Columns of another table: an indicator table, a key-task table, spending by source of money.
_OTHER_TABLES = ("指标", "任务", "项目名称", "财政拨款", "其他资金")
# Columns of another year or of a change: 上年决算数, 增减额, 同比.
_OTHER_YEAR = ("上年", "去年", "上一年", "同比", "增减", "增长", "变动", "比较")
_UNIT = re.compile(rf"[（(]({MONEY_UNIT})[）)]")
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?")
_RATE = re.compile(r"(\d{1,3}(?:\.\d{1,4})?)[ \u3000]?%")
_DIGIT = re.compile(r"\d")
_PATHS = {
    "whole": {
        "initial": "budget.initial",
        "adjusted": "budget.adjusted",
        "amount": "budget.expenditure.total",
        "rate": "budget.execution_rate",
    },
    "basic": {"amount": "budget.expenditure.basic.amount"},
    "project": {"amount": "budget.expenditure.project.amount"},
    "personnel": {"amount": "budget.expenditure.basic.personnel.amount"},
    "public": {"amount": "budget.expenditure.basic.public.amount"},
}


@dataclass(frozen=True)
class Cell:
    """One figure of a budget table: its field, value, kind, the cell as printed, where it
    stands in its row's paragraph (``(0, 0)`` for an amount printed in 元 or 亿元, which the
    draft holds in 万元), and the row as the draft's notes quote it."""

    path: str
    value: Decimal | None  # None: an amount in 元 that 万元 with two decimals cannot hold
    exact: Decimal  # in 万元 with every digit
    kind: FigureKind
    token: str
    span: tuple[int, int]
    sentence: str
    # the whole's budget under a bare “预算数”: the adjusted budget where the report states one
    # (what its 执行率 is measured against), else the initial (facts.scan_strings decides)
    basis: bool = False
    # a figure its column heading names as a sentence would (收入合计｜财政拨款收入): its field is
    # decided by the words of the heading, as the prose's are (``path`` is empty)
    heading: str | None = None


def column_kind(heading: str) -> str | None:
    """What a column states: ``initial``, ``adjusted`` (调整预算, 全年预算数), ``amount`` or
    ``rate``; ``None`` for another column (项目, 说明, 上年决算, 增减额)."""
    if any(word in heading for word in _OTHER_YEAR):
        return None
    if any(word in heading for word in _RATE_HEADINGS):
        return "rate"
    if "预算" in heading and "决算" not in heading:
        return "adjusted" if "调整" in heading or "全年预算" in heading else "initial"
    if any(word in heading for word in _SPENT_HEADINGS):
        return "amount"
    return None


def row_kind(name: str) -> str | None:
    """The line of the budget a row's first cell names (“一、基本支出”, “支出合计”), if any: not
    income (收入合计). The line named first: “基本支出（人员经费和公用经费）” is basic spending."""
    name = "".join(name.split())
    if "收入" in name:
        return None
    named = [(name.find(word), n, kind) for n, (word, kind) in enumerate(_ROWS) if word in name]
    return min(named)[2] if named else None


def is_budget_table(header: tuple[str, ...] | list[str], first_cells: list[str]) -> bool:
    """Columns of budget or spending figures, no column of another table, and two rows or more
    naming the budget's lines (基本支出, 项目支出, 合计 …), or a total and classes of spending
    (一般公共服务支出, 卫生健康支出 … 合计: its total is the department's)."""
    if any(word in heading for heading in header for word in _OTHER_TABLES):
        return False
    if not any(column_kind(h) in {"initial", "adjusted", "amount"} for h in header[1:]):
        return False
    lines = {row_kind(cell) for cell in first_cells} - {None}
    return len(lines) >= 2 or (lines == {"whole"} and any(map(spending_class, first_cells)))


def spending_class(name: str) -> bool:
    """Whether a row names a class of spending by function or economic kind (一般公共服务支出)."""
    name = "".join(name.split())
    return row_kind(name) is None and any(word in name for word in SPENDING_CLASSES)


def class_figures(table: KeptTable) -> list[str]:
    """The figures of a budget table's rows of classes of spending, which the data holds
    nowhere (the department's total is in the 合计 row): each said with its row and column
    and the row it stands in, for audit's list of figures no rule checks."""
    first = [row.text[row.cells[0][1] : row.cells[0][2]] for row in table.rows if row.cells]
    if table_unit(table) is None or not is_budget_table(table.header, first):
        return []
    said: list[str] = []
    for row in table.rows:
        name = row.text[row.cells[0][1] : row.cells[0][2]] if row.cells else ""
        if not spending_class(name):
            continue
        sentence = "表格：" + "，".join(row.text[start:end] for _, start, end in row.cells)
        for heading, start, end in row.cells[1:]:
            cell = row.text[start:end].strip()
            if column_kind(heading) is not None and _DIGIT.search(cell):
                said.append(
                    f"{name}·{heading} {cell}（按支出分类的一行，数据中没有这一项），原文：“{sentence}”"
                )
    return said


def table_unit(table: KeptTable) -> str | None:
    """The unit of a table's amounts: a column heading's (“支出（万元）”), else the line above it."""
    for heading in table.header:
        found = _UNIT.search(heading)
        if found is not None:
            return found.group(1)
    return table.unit


def budget_cells(table: KeptTable) -> dict[str, list[Cell]]:
    """The figures of a budget table's rows, by the row's paragraph; empty for another table
    or one whose unit is stated nowhere."""
    first = [row.text[row.cells[0][1] : row.cells[0][2]] for row in table.rows if row.cells]
    unit = table_unit(table)
    if unit is None or not is_budget_table(table.header, first):
        return {}
    kinds = {heading: column_kind(heading) for heading in table.header[1:]}
    said = [kind for heading in table.header[1:] if (kind := column_kind(heading)) is not None]
    if any(FINAL_ACCOUNTS.search(heading) for heading in table.header[1:]):
        # “预算数｜决算数”: the bare 预算数 is the year's budget as adjusted
        kinds = {
            h: "adjusted" if k == "initial" and "年初" not in h else k for h, k in kinds.items()
        }
        said = [kind for h in table.header[1:] if (kind := kinds[h]) is not None]
    kinds = {h: k if k is not None and said.count(k) == 1 else None for h, k in kinds.items()}
    found: dict[str, list[Cell]] = {}
    for row in table.rows:
        line = row_kind(row.text[row.cells[0][1] : row.cells[0][2]]) if row.cells else None
        if line is None:
            continue
        cells = _row_cells(row, line, kinds, unit)
        if cells:
            found[row.text] = cells
    return found


def _row_cells(row: Row, line: str, kinds: dict[str, str | None], unit: str) -> list[Cell]:
    sentence = "表格：" + "，".join(row.text[start:end] for _, start, end in row.cells)
    budget_kind = "adjusted" if "adjusted" in kinds.values() else "initial"
    cells: list[Cell] = []
    for heading, start, end in row.cells[1:]:
        kind = kinds.get(heading)
        path = _PATHS[line].get(kind or "")
        if path is None and line in {"basic", "project"} and kind in {budget_kind, "rate"}:
            leaf = "execution_rate" if kind == "rate" else "budget"
            path = f"budget.expenditure.{line}.{leaf}"
        if path is None:
            continue
        text = row.text[start:end].strip()
        if kind == "rate":
            rate = _RATE.fullmatch(ascii_figures(text))
            if rate is not None:
                value = Decimal(rate.group(1))
                cells.append(
                    Cell(path, value, value, FigureKind.RATE, text, (start, end), sentence)
                )
            continue
        amount = _MONEY.fullmatch(ascii_figures(text))
        if amount is None:
            continue
        basis = path == "budget.initial" and "年初" not in heading
        if unit == "万元":
            money = decimal_of(text)
            cells.append(
                Cell(path, money, money, FigureKind.MONEY, text, (start, end), sentence, basis)
            )
        else:
            exact = exactly_in_ten_thousands(decimal_of(text), unit)
            converted = in_ten_thousands(decimal_of(text), unit)
            token = f"{text}{unit}"
            cells.append(
                Cell(path, converted, exact, FigureKind.MONEY, token, (0, 0), sentence, basis)
            )
    return cells


def labelled_cells(table: KeptTable) -> dict[str, list[Cell]]:
    """A table of one row of figures under a header of what they are (收入合计｜财政拨款收入｜
    其他收入, 支出合计｜基本支出｜项目支出): each figure named by its heading, as a sentence
    names one. Empty for any other table, or amounts whose unit is stated nowhere."""
    if len(table.rows) != 1 or len(table.header) < 2:
        return {}
    if any(not heading or _DIGIT.search(heading) for heading in table.header):
        return {}
    row, unit = table.rows[0], table_unit(table)
    sentence = "表格：" + "，".join(f"{h}{row.text[start:end]}" for h, start, end in row.cells)
    cells: list[Cell] = []
    for heading, start, end in row.cells:
        text = row.text[start:end].strip()
        rate = _RATE.fullmatch(ascii_figures(text))
        found: tuple[Decimal | None, Decimal, FigureKind, str, tuple[int, int]]
        if rate is not None:
            value = Decimal(rate.group(1))
            found = (value, value, FigureKind.RATE, text, (start, end))
        elif unit is None or _MONEY.fullmatch(ascii_figures(text)) is None:
            return {}  # a row of words, or amounts in no stated unit: not such a table
        elif unit == "万元":
            money = decimal_of(text)
            found = (money, money, FigureKind.MONEY, text, (start, end))
        else:  # printed in 万元, never as published
            exact = exactly_in_ten_thousands(decimal_of(text), unit)
            converted = in_ten_thousands(decimal_of(text), unit)
            found = (converted, exact, FigureKind.MONEY, f"{text}{unit}", (0, 0))
        cells.append(Cell("", *found, sentence, heading=heading))
    return {row.text: cells}
