"""A published 自评表 as rows of cell texts: from .xlsx (every sheet) or .docx (every table)."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from reportgen.errors import UsageError, os_reason
from reportgen.importer.limits import MAX_SOURCE_BYTES, MAX_TABLE_CELLS, SourceRefused
from reportgen.read.archive import unpacked_size_problem

Row = list[str]


class PlacedRow(list[str]):
    """A row with where it stands in its file, when that is more than its table's row (a PDF's
    page and line)."""

    place = "表格"


def _refused(path: Path, what: str) -> SourceRefused:
    """``FILE: what，不像一份正常的自评表，未读取`` (exit 1) — ``what`` names the limit."""
    return SourceRefused(f"{path}: {what}，不像一份正常的自评表，未读取")


def _unreadable(path: Path, kind: str, error: Exception) -> UsageError:
    """Why ``path`` cannot be read as ``kind``, in Chinese (the libraries' own text is English)."""
    if isinstance(error, OSError) and error.errno is not None:
        reason = os_reason(error)
    elif isinstance(error, zipfile.BadZipFile):
        reason = "不是 zip 压缩包，或已损坏"
    elif isinstance(error, KeyError) or type(error).__name__ == "PackageNotFoundError":
        reason = "缺少必要的部件，可能是其他程序的文件"
    else:
        reason = "其中的内容无效或已损坏"
    return UsageError(f"{path}: 无法作为{kind}读取（{reason}）")


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
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _unreadable(path, " Excel 工作簿", exc) from exc
    try:
        for sheet in book.worksheets:
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(v) for v in values]
    except Exception as exc:  # a damaged sheet is found as it is read
        raise _unreadable(path, " Excel 工作簿", exc) from exc
    finally:
        book.close()


def _docx_rows(path: Path) -> Iterator[Row]:
    from docx import Document as open_docx

    try:
        document = open_docx(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise _unreadable(path, " Word 文档", exc) from exc
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
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            too_large = unpacked_size_problem(archive)
    except zipfile.BadZipFile:
        too_large = None  # the reader says what the file is not
    except OSError as exc:
        raise _unreadable(path, "自评表", exc) from exc
    if size > MAX_SOURCE_BYTES:
        raise _refused(path, f"文件过大（{size / 1024 / 1024:.1f} MiB，上限 20 MiB）")
    if too_large:
        raise _refused(path, too_large)
    rows, cells = [], 0
    for row in readers[suffix](path):
        cells += len(row)
        if cells > MAX_TABLE_CELLS:
            raise _refused(path, f"表格的单元格过多（超过 {MAX_TABLE_CELLS:,} 个）")
        if any(row):
            rows.append(row)
    return rows
