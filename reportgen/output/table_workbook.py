"""The 自评表 as a workbook: the same blocks as the Word table, values not formulas, print-ready.

Figures are numbers as the report prints them (money to the cent, a rate to the hundredth of a
percent, scores to two decimals), so that a cell, the Word table and the report agree; what is
a word or carries a sign and unit (a target such as “≥80人次”) is text. Every cell is written
by :mod:`reportgen.output.cells`: nothing a spreadsheet could run as a formula.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reportgen.check.table import TableView
from reportgen.context.table_fields import table_title
from reportgen.model.amounts import round_to
from reportgen.output.cells import workbook_bytes
from reportgen.output.sheets import (
    BODY,
    HEADING,
    TITLE_FONT,
    set_columns,
    set_page,
    write_cells,
    write_note,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# the indicators' eight columns are the sheet's grid; the other blocks are laid on it
WIDTHS = [12, 14, 28, 14, 14, 8, 8, 36]
COLUMNS = len(WIDTHS)
_MONEY = "#,##0.00"
_PLAIN_MONEY = "0.00"
_RATE = "0.00%"
_SCORE = "0.00"


def _rate(value: Decimal | None) -> Decimal | None:
    """A percent as the report prints it (two decimals, half up), as the fraction a cell holds."""
    return None if value is None else round_to(value, 2) / 100


class _Sheet:
    """Rows written one after another, each cell through output/cells.py."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.line = 0

    def row(
        self,
        cells: list[tuple[object, int]],
        font: Font = BODY,
        *,
        shade: bool = False,
        formats: dict[int, str] | None = None,
        left: set[int] | None = None,
    ) -> int:
        """Cells as (value, columns it spans); returns the row's number."""
        self.line += 1
        write_cells(self.sheet, self.line, cells, font, shade=shade, formats=formats, left=left)
        return self.line


def write_table_workbook(
    view: TableView,
    stream: BinaryIO,
    made: dt.datetime,
    *,
    identity: str | None = None,
    money_thousands: bool = True,
) -> None:
    """Write the 自评表 of ``view`` as an .xlsx into ``stream``, dated ``made``."""
    workbook = Workbook()
    title = table_title(view.header.year, view.header.unit)
    properties = workbook.properties
    properties.creator = "reportgen"
    properties.identifier = identity  # recognised before the file is replaced
    properties.title = title
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "自评表"
    set_columns(sheet, WIDTHS)
    out = _Sheet(sheet)
    money = _MONEY if money_thousands else _PLAIN_MONEY
    out.row([(title, COLUMNS)], TITLE_FONT)
    sheet.row_dimensions[out.line].height = 30
    out.row([(f"评分方案：{view.header.profile_label}　　金额单位：万元", COLUMNS)])
    header = view.header
    out.row(
        [("单位名称", 1), (header.unit, 3), ("主管部门", 1), (header.supervisor or "", 3)],
        left={1, 3},
    )
    out.row(
        [("联系人", 1), (header.contact or "", 3), ("联系电话", 1), (header.phone or "", 3)],
        left={1, 3},
    )
    _funds(out, view, money)
    _goals(out, view)
    _indicators(out, view)
    totals = view.totals
    out.row(
        [
            ("总分", 1),
            (totals.weight, 1),
            ("自评得分", 1),
            (totals.final, 1),
            ("自评等级", 1),
            (totals.grade or "", 2),
            ("", 1),
        ],
        HEADING,
        formats={1: _SCORE, 3: _SCORE},
    )
    if totals.cap is not None and totals.score is not None:
        write_note(
            sheet,
            out.line + 1,
            f"说明：各项得分合计 {totals.score} 分，因预算执行率按评分方案封顶为 {totals.cap} 分。",
            WIDTHS,
        )
    set_page(sheet, "1:2")
    stream.write(workbook_bytes(workbook, made))


def _funds(out: _Sheet, view: TableView, money: str) -> None:
    funds = view.funds
    rows = [funds.total, *funds.rows]
    if not any(r.initial is not None or r.executed is not None for r in rows):
        return
    out.row([("预算执行情况（万元）", COLUMNS)], HEADING, shade=True)
    out.row(
        [
            ("资金来源", 2),
            ("年初预算数", 1),
            ("全年预算数（A）", 1),
            ("全年执行数（B）", 1),
            ("分值", 1),
            ("执行率（B/A）", 1),
            ("得分", 1),
        ],
        HEADING,
        shade=True,
    )
    formats = {1: money, 2: money, 3: money, 4: _SCORE, 5: _RATE, 6: _SCORE}
    for n, row in enumerate(rows):
        total = n == 0
        out.row(
            [
                (row.label, 2),
                (row.initial, 1),
                (row.adjusted, 1),
                (row.executed, 1),
                (funds.weight if total else None, 1),
                (_rate(row.rate), 1),
                (funds.score if total else None, 1),
            ],
            HEADING if total else BODY,
            formats=formats,
            left={0},
        )
    if funds.reason:
        out.row([("原因说明", 2), (funds.reason, COLUMNS - 2)], left={1})


def _goals(out: _Sheet, view: TableView) -> None:
    if not view.goals:
        return
    out.row([("年度总体目标完成情况", COLUMNS)], HEADING, shade=True)
    out.row(
        [("序号", 1), ("预期目标", 3), ("实际完成情况", 3), ("未完成原因", 1)],
        HEADING,
        shade=True,
    )
    for n, goal in enumerate(view.goals, 1):
        out.row(
            [
                (n, 1),
                (_adjusted(goal.planned, goal.adjusted, "调整后："), 3),
                (goal.actual or "", 3),
                (goal.reason or "", 1),
            ],
            left={1, 2, 3},
        )


def _indicators(out: _Sheet, view: TableView) -> None:
    if not view.indicators:
        return
    out.row([("绩效指标完成情况", COLUMNS)], HEADING, shade=True)
    out.row(
        [
            (name, 1)
            for name in (
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            )
        ],
        HEADING,
        shade=True,
    )
    sheet = out.sheet
    for block in view.blocks:
        block_start = out.line + 1
        for group in block.groups:
            group_start = out.line + 1
            for indicator in group.indicators:
                out.row(
                    [
                        (block.name, 1),
                        (group.name, 1),
                        (indicator.name, 1),
                        (
                            _adjusted(
                                indicator.target_text,
                                indicator.adjusted_target_text
                                if indicator.adjusted_target is not None
                                else None,
                                "调整后",
                            ),
                            1,
                        ),
                        (indicator.actual_text, 1),
                        (indicator.weight, 1),
                        (indicator.score, 1),
                        (indicator.reason or "", 1),
                    ],
                    formats={5: _SCORE, 6: _SCORE},
                    left={2, 7},
                )
            _merge_down(sheet, 2, group_start, out.line)
        _merge_down(sheet, 1, block_start, out.line)


def _adjusted(written: str, adjusted: str | None, words: str) -> str:
    """A target or goal with its adjusted one after it, as table.docx prints them."""
    return f"{written}（{words}{adjusted}）" if adjusted else written


def _merge_down(sheet: Worksheet, column: int, first: int, last: int) -> None:
    if last > first:
        for line in range(first + 1, last + 1):
            sheet.cell(line, column).value = None
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
        sheet.cell(first, column).alignment = Alignment(
            vertical="center", horizontal="center", wrap_text=True
        )
