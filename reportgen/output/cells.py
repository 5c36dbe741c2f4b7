"""Cells of the workbooks and .csv files reportgen writes: no text a spreadsheet could read as
a formula, numbers as numbers.

Excel, WPS and LibreOffice Calc run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula when a .csv is opened or a text cell is edited, and a tab or carriage return in front
hides such a start (OWASP's “CSV injection”). In a .csv every text cell therefore goes through
:func:`safe_text`, which puts an apostrophe ``'`` before such a start, as Excel itself does for
text typed that way. In a workbook the text stays as written (a target “=100%” is the data's
words) and such a cell carries Excel's own mark for it, ``quotePrefix``: stored as text, shown
as text, and still text when someone edits it. Every .xlsx cell is written with its data type
stated (text, number), never inferred from its content by openpyxl (which makes ``=…`` a
formula and ``#N/A`` an error value).

The only other way into a cell is a number: ``int`` or ``Decimal`` in a workbook, and in a
.csv a :class:`ShownNumber`, the text of a number as the caller formats it, which must look
like one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from reportgen.clock import fixed_package

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# The characters that start a formula (with their full-width forms, which an input method
# types and some versions of WPS convert), and those that hide one when they come first.
_FORMULA_START = frozenset("=+-@＝＋－＠")
_HIDING = "\t\r\n \u00a0\u3000"
# What the XML of a worksheet cannot hold (control characters, lone surrogates, U+FFFE/F):
# shown as the Unicode “control picture” of the character, or as “�”, never dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_CHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell; openpyxl would cut longer text silently
_NUMBER_SHOWN = re.compile(r"-?[0-9][0-9,]*(\.[0-9]+)?%?")

Value = str | int | Decimal | None


@dataclass(frozen=True)
class ShownNumber:
    """A number as a .csv shows it (``"1,234.50"``, ``"97.89%"``), formatted by the caller;
    nothing but digits, one sign, separators and a percent sign."""

    text: str

    def __post_init__(self) -> None:
        if not _NUMBER_SHOWN.fullmatch(self.text):
            raise ValueError(f"not a number as shown: {self.text!r}")


def safe_text(text: str) -> str:
    """``text`` as a .csv cell holds it: ``'`` before a start a spreadsheet could read as a
    formula, and as :func:`cell_text`."""
    text = cell_text(text)
    return cell_text(f"'{text}") if could_be_formula(text) else text


def cell_text(text: str) -> str:
    """``text`` as any cell can hold it: characters a worksheet cannot hold shown visibly, at
    most ``MAX_CELL_CHARS`` with the cut said in the cell."""
    text = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())), text)
    text = _NOT_CHARACTER.sub("\ufffd", text)
    if len(text) > MAX_CELL_CHARS // 2 and _excel_length(text) > MAX_CELL_CHARS:
        cut = f"…（共 {len(text)} 字，超出表格单元格的上限，以下从略）"
        kept = text.encode("utf-16-le")[: 2 * (MAX_CELL_CHARS - len(cut))]
        text = kept.decode("utf-16-le", errors="ignore") + cut  # never half a character
    return text


def _excel_length(text: str) -> int:
    """How long ``text`` is to Excel: in UTF-16 units, an emoji counting two."""
    return len(text.encode("utf-16-le")) // 2


def could_be_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text``, as a cell's content, as a formula."""
    if not text:
        return False
    if text[0] in "\t\r\n":
        return True
    stripped = text.lstrip(_HIDING)
    return bool(stripped) and stripped[0] in _FORMULA_START


# ---- .xlsx (openpyxl)


def put(cell: Cell, value: Value) -> Cell:
    """Write ``value`` into ``cell`` with its data type stated: text as text (see
    :func:`cell_text`; marked ``quotePrefix`` when a spreadsheet could read it as a formula),
    ``int`` and ``Decimal`` as numbers, ``None`` as an empty cell."""
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        text = cell_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would infer a formula or an error value
        if could_be_formula(text):
            cell.quotePrefix = True
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"a cell cannot hold {value}")
        cell.value = value
        cell.data_type = "n"
    else:
        raise TypeError(f"not a cell value: {value!r}")
    return cell


def write_row(sheet: Worksheet, row: int, values: Sequence[Value], column: int = 1) -> list[Cell]:
    """Write ``values`` into row ``row`` of ``sheet`` from ``column`` on (see :func:`put`)."""
    from openpyxl.cell.cell import Cell

    cells: list[Cell] = []
    for i, value in enumerate(values):
        cell = sheet.cell(row, column + i)
        if not isinstance(cell, Cell):  # the hidden part of a merged cell holds nothing
            raise ValueError(f"cell {cell.coordinate} is merged into another")
        cells.append(put(cell, value))
    return cells


def workbook_bytes(workbook: Workbook, made: dt.datetime) -> bytes:
    """``workbook`` as an .xlsx package dated ``made`` (see :mod:`reportgen.clock`: with
    ``SOURCE_DATE_EPOCH`` the same workbook always gives the same bytes)."""
    from openpyxl.writer.excel import ExcelWriter

    properties = workbook.properties
    properties.created = properties.modified = made.astimezone(dt.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    # openpyxl's own save() would date the workbook now, whatever its properties say
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return fixed_package(buffer.getvalue())


# ---- .csv


class CsvTable:
    """A .csv in UTF-8 with a byte-order mark, so that Excel opens Chinese as Chinese; every
    text cell through :func:`safe_text`, numbers as :class:`ShownNumber` or ``int``."""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)

    def row(self, values: Iterable[Value | ShownNumber]) -> None:
        self._writer.writerow([_csv_cell(value) for value in values])

    def close(self) -> None:
        """Flush what was written, leaving the stream open (its owner closes it)."""
        self._text.flush()
        self._text.detach()


def _csv_cell(value: Value | ShownNumber) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, ShownNumber):
        return value.text
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"not a cell value: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"a cell cannot hold {value}")
        return f"{value:f}"
    return str(value)
