"""The overview as a workbook the bureau can print: A4 landscape, one page wide, a title,
headers on every page, the report's fonts, borders, wrapped texts, totals and their notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reportgen.batch.overview_rows import (
    COLUMNS,
    FINDING_COLUMNS,
    OVERVIEW_IDENTITY,
    Cell,
    Column,
    OverviewRow,
    Total,
    finding_cells,
)
from reportgen.clock import shown
from reportgen.output.cells import workbook_bytes, write_row
from reportgen.output.sheets import (
    BODY,
    GRID,
    HEADING,
    LINE_POINTS,
    SHADE,
    TITLE_FONT,
    column_width,
    set_columns,
    set_page,
    text_lines,
    write_note,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TITLE = "部门整体支出绩效自评汇总"
_FORMATS = {
    Column.MONEY: "#,##0.00",
    Column.RATE: "0.00%",
    Column.SCORE: "0.00",
    Column.COUNT: "0",
    Column.YEAR: "0",
}
_WIDTHS = {"文件": 18, "年度": 6, "部门": 20, "版式": 8, "等级": 5, "状态": 8}
_NARROW = {Column.MONEY: 11, Column.RATE: 9, Column.SCORE: 7, Column.COUNT: 7}
_FINDING_WIDTHS = [24, 5, 5, 7, 6, 22, 72]
_CENTERED = {"年度", "等级", "行", "列", "代码", "级别"}
_WRAPPED = {"文件", "部门", "版式", "状态", "字段", "信息"}


def write_workbook(
    rows: list[OverviewRow], totals: list[Total], made: dt.datetime, stream: BinaryIO
) -> None:
    """Write the overview's workbook, dated ``made`` (see :mod:`reportgen.clock`)."""
    workbook = Workbook()
    properties = workbook.properties
    properties.identifier = OVERVIEW_IDENTITY
    properties.creator = "reportgen"
    properties.title = f"{TITLE}表"
    summary = workbook.active
    assert summary is not None
    _summary(summary, rows, totals, made)
    _problems(workbook.create_sheet("问题清单"), rows)
    stream.write(workbook_bytes(workbook, made))


def _summary(
    sheet: Worksheet, rows: list[OverviewRow], totals: list[Total], made: dt.datetime
) -> None:
    sheet.title = "汇总"
    headers = [header for header, _ in COLUMNS]
    widths = [_WIDTHS.get(header) or _NARROW[kind] for header, kind in COLUMNS]
    years = sorted({row.year for row in rows if row.year is not None})
    units = {row.cells[2] for row in rows if row.year is not None}
    year_text = "、".join(map(str, years)) or "无"
    info = (
        f"年度：{year_text}　　单位数：{len(units)}　　文件数：{len(rows)}　　"
        f"生成时间：{shown(made)}"
    )
    title = f"{years[0]}年度{TITLE}表" if len(years) == 1 else f"{TITLE}表"
    set_columns(sheet, widths)
    _heading(sheet, [title, info], len(COLUMNS))
    header_row = 3
    _row(sheet, header_row, headers, HEADING, wrap=True, shade=True, center=True)
    wrapped = _wrapped(headers)
    centered = {i for i, header in enumerate(headers) if header in _CENTERED}
    line = header_row
    for row in rows:
        line += 1
        _row(sheet, line, row.cells, BODY, wrap_columns=wrapped, centered=centered)
    last_department = line
    for total in totals:
        if total.year is not None:
            line += 1
            _row(sheet, line, total.cells, HEADING, centered=centered)
    for total in totals:
        line += 1
        write_note(sheet, line, f"说明：{total.note}", widths)
    for index, (_, kind) in enumerate(COLUMNS, start=1):
        if kind in _FORMATS:
            for (cell,) in sheet.iter_rows(
                min_row=header_row + 1, max_row=line, min_col=index, max_col=index
            ):
                cell.number_format = _FORMATS[kind]
    last_column = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"D{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(last_department, header_row)}"
    set_page(sheet, f"{header_row}:{header_row}")


def _problems(sheet: Worksheet, rows: list[OverviewRow]) -> None:
    found = [finding_cells(row, finding) for row in rows for finding in row.findings]
    set_columns(sheet, _FINDING_WIDTHS)
    _heading(sheet, [f"问题清单（共 {len(found)} 条）"], len(FINDING_COLUMNS))
    header_row = 2
    _row(sheet, header_row, FINDING_COLUMNS, HEADING, wrap=True, shade=True, center=True)
    wrapped = _wrapped(FINDING_COLUMNS)
    centered = {i for i, header in enumerate(FINDING_COLUMNS) if header in _CENTERED}
    for line, cells in enumerate(found, start=header_row + 1):
        _row(sheet, line, cells, BODY, wrap_columns=wrapped, centered=centered)
    last = get_column_letter(len(FINDING_COLUMNS))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(found)}"
    set_page(sheet, f"{header_row}:{header_row}")


def _wrapped(headers: list[str]) -> set[int]:
    return {i for i, header in enumerate(headers) if header in _WRAPPED}


def _row(
    sheet: Worksheet,
    line: int,
    values: Sequence[Cell],
    font: Font,
    *,
    wrap: bool = False,
    wrap_columns: set[int] | None = None,
    shade: bool = False,
    center: bool = False,
    centered: set[int] | None = None,
) -> None:
    widths = [column_width(sheet, i) for i in range(len(values))]
    wrapped_at = set(range(len(values))) if wrap else (wrap_columns or set())
    heights = [
        text_lines(value, widths[i]) if i in wrapped_at and isinstance(value, str) else 1
        for i, value in enumerate(values)
    ]
    # Neither LibreOffice nor every Excel fits a row to its wrapped text when opening a file
    sheet.row_dimensions[line].height = max(heights, default=1) * LINE_POINTS + 3
    for i, cell in enumerate(write_row(sheet, line, values)):
        cell.font = font
        cell.border = GRID
        wrapped = wrap or i in (wrap_columns or set())
        cell.alignment = Alignment(
            wrap_text=wrapped,
            vertical="center",
            horizontal="center" if center or i in (centered or set()) else None,
        )
        if shade:
            cell.fill = SHADE


def _heading(sheet: Worksheet, lines: list[str], width: int) -> None:
    """The title row(s) above the table, each across its whole width."""
    for line, text in enumerate(lines, start=1):
        [cell] = write_row(sheet, line, [text])
        cell.font = TITLE_FONT if line == 1 else BODY
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        sheet.row_dimensions[line].height = 30 if line == 1 else 18
