"""How the workbooks reportgen writes look on paper: fonts, grid, wrapped rows, A4 landscape.

Cell values go through :mod:`reportgen.output.cells` (no formula, numbers as numbers); this
module only lays them out: the report's fonts, a grid, rows as tall as their wrapped text
(neither LibreOffice nor every Excel fits a row when opening a file), one page wide.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from reportgen.output.cells import Value, put

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# the report's fonts (the templates' 黑体 headings and 仿宋_GB2312 body)
BODY = Font(name="仿宋_GB2312", size=10)
HEADING = Font(name="黑体", size=10, bold=True)
TITLE_FONT = Font(name="黑体", size=16, bold=True)
_THIN = Side(style="thin", color="000000")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SHADE = PatternFill("solid", fgColor="D9D9D9")
LINE_POINTS = 13.5  # one line of 10-point text


def set_columns(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def column_width(sheet: Worksheet, index: int) -> float:
    """The width of the column at ``index`` (from 0), in Excel's character units."""
    width = sheet.column_dimensions[get_column_letter(index + 1)].width
    return float(width or 8)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (at the
    sheets' 10 points, a little more than a width unit of Excel's 11-point default)."""
    room = max(width - 1, 1.0)
    return sum(max(1, math.ceil(text_width(part) / room)) for part in text.split("\n"))


def text_width(text: str) -> int:
    """Width in character cells: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_cells(
    sheet: Worksheet,
    line: int,
    cells: Sequence[tuple[object, int]],
    font: Font = BODY,
    *,
    shade: bool = False,
    formats: dict[int, str] | None = None,
    left: set[int] | None = None,
) -> None:
    """Row ``line``: each (value, columns it spans) in turn, bordered, wrapped and centred
    (left-aligned where ``left`` says), the row as tall as its longest text."""
    column, height = 1, 1
    for index, (value, span) in enumerate(cells):
        cell = sheet.cell(line, column)
        put(cell, value)  # type: ignore[arg-type]  # output/cells.py checks the value's type
        cell.font = font
        cell.alignment = Alignment(
            wrap_text=True,
            vertical="center",
            horizontal="left" if left and index in left else "center",
        )
        if formats and index in formats:
            cell.number_format = formats[index]
        for spanned in range(column, column + span):
            sheet.cell(line, spanned).border = GRID
            if shade:
                sheet.cell(line, spanned).fill = SHADE
        if span > 1:
            sheet.merge_cells(
                start_row=line, start_column=column, end_row=line, end_column=column + span - 1
            )
        if isinstance(value, str):
            width = sum(column_width(sheet, c - 1) for c in range(column, column + span))
            height = max(height, text_lines(value, width))
        column += span
    sheet.row_dimensions[line].height = height * LINE_POINTS + 3


def write_note(sheet: Worksheet, line: int, text: Value, widths: Sequence[float]) -> None:
    """A note across the table, as tall as its wrapped text: neither Excel nor LibreOffice
    fits a merged cell's height to its text."""
    cell = put(sheet.cell(line, 1), text)  # type: ignore[arg-type]
    cell.font = BODY
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=len(widths))
    shown = text if isinstance(text, str) else ""
    sheet.row_dimensions[line].height = text_lines(shown, sum(widths)) * LINE_POINTS + 4


def set_page(sheet: Worksheet, title_rows: str) -> None:
    """A4 landscape, one page wide (as many pages long as it takes), ``title_rows`` (“3:3”)
    repeated on every page and the page number at the foot."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    footer = sheet.oddFooter
    assert footer is not None  # openpyxl makes one with every sheet
    footer.center.text = "第 &P 页，共 &N 页"
    footer.center.font = "仿宋_GB2312"
