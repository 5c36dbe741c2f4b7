"""A published 自评表 as rows of cell texts: from .xlsx (every sheet) or .docx (every table)."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from reportgen.errors import UsageError

Row = list[str]


class PlacedRow(list[str]):
    """A row with where it stands in its file, when that is more than its table's row (a PDF's
    page and line)."""

    place = "表格"


def cell_text(value: object) -> str:
    """A cell as text: full-width forms folded, line breaks and spaces inside removed;
    a number as written (10, 9.79), never 9.790000000000001."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(f"{path}: 无法作为 Excel 工作簿读取（{exc}）") from exc
    try:
        for sheet in book.worksheets:
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(v) for v in values]
    finally:
        book.close()


def _docx_rows(path: Path) -> Iterator[Row]:
    from docx import Document as open_docx

    try:
        document = open_docx(str(path))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(f"{path}: 无法作为 Word 文档读取（{exc}）") from exc
    for table in document.tables:
        for row in table.rows:
            cells: Row = []
            previous = None
            for cell in row.cells:
                # a cell merged across columns is the same cell each time: once is its text
                cells.append("" if cell._tc is previous else cell_text(cell.text))
                previous = cell._tc
            yield cells


def table_rows(path: Path) -> list[Row]:
    """Every row of the published table at ``path``; raises :class:`UsageError` (exit 2)
    when it cannot be read."""
    if not path.is_file():
        raise UsageError(f"{path}: 文件不存在")
    suffix = path.suffix.lower()
    readers = {".xlsx": _xlsx_rows, ".docx": _docx_rows}
    if suffix not in readers:
        raise UsageError(f"{path}: 自评表应为 .xlsx、.docx 或 .pdf 文件")
    return [row for row in readers[suffix](path) if any(row)]
