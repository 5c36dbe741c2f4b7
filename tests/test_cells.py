"""Cells of the workbooks and .csv files: no text a spreadsheet reads as a formula, numbers as numbers."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from reportgen.output.cells import (
    MAX_CELL_CHARS,
    CsvTable,
    ShownNumber,
    could_be_formula,
    put,
    safe_text,
    write_row,
)
from tests.spreadsheets import csv_rows, formula_risks

HOSTILE = [
    '=HYPERLINK("http://x","点击")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "\u3000=1+1",
    "＝1+1",
    "=",
    "-",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_start_gets_an_apostrophe(text: str) -> None:
    assert could_be_formula(text)
    assert safe_text(text) == f"'{text}"
    assert not could_be_formula(safe_text(text))


@pytest.mark.parametrize("text", ["", "广州市档案馆", "1-2", "'=1", "a=b", "#N/A", "97.89%"])
def test_other_text_is_kept(text: str) -> None:
    assert not could_be_formula(text)
    assert safe_text(text) == text


def test_what_a_worksheet_cannot_hold_is_shown_not_dropped() -> None:
    assert safe_text("a\x01b\x1fc\ud800d\uffff") == "a\u2401b\u241fc\ufffdd\ufffd"
    assert safe_text("a\tb\nc") == "a\tb\nc"  # allowed inside a cell
    long = "字" * (MAX_CELL_CHARS + 10)
    cut = safe_text(long)
    assert len(cut) == MAX_CELL_CHARS
    assert cut.endswith(f"…（共 {MAX_CELL_CHARS + 10} 字，超出表格单元格的上限，以下从略）")
    # Excel counts a character outside the BMP (an emoji) as two of its 32,767
    emoji = "甲" + "🎉" * MAX_CELL_CHARS
    cut = safe_text(emoji)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert cut.startswith("甲🎉🎉")
    assert cut.endswith(f"…（共 {MAX_CELL_CHARS + 1} 字，超出表格单元格的上限，以下从略）")
    assert "\ufffd" not in cut  # never half an emoji
    fits = "🎉" * (MAX_CELL_CHARS // 2)
    assert safe_text(fits) == fits


def test_cells_have_their_data_type_stated(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    cells = write_row(sheet, 1, [*HOSTILE, "#N/A", 12, Decimal("-3.50"), None])
    assert [c.data_type for c in cells] == ["s"] * (len(HOSTILE) + 1) + ["n", "n", "n"]
    # the text as written, marked as text for whoever edits it
    assert [(c.value, c.quotePrefix) for c in cells[: len(HOSTILE)]] == [
        (text, True) for text in HOSTILE
    ]
    assert not cells[len(HOSTILE)].quotePrefix
    assert [c.value for c in cells[-4:]] == ["#N/A", 12, Decimal("-3.50"), None]
    for bad in (True, 1.5, object()):
        with pytest.raises(TypeError):
            put(sheet["A2"], bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        put(sheet["A2"], Decimal("NaN"))
    target = tmp_path / "t.xlsx"
    workbook.save(target)
    assert formula_risks(target) == []


def test_the_check_finds_a_formula(tmp_path: Path) -> None:
    """As openpyxl writes a text by itself: a formula, and an error value."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(['=HYPERLINK("http://x","点击")', "#N/A", "'=1"])
    target = tmp_path / "t.xlsx"
    workbook.save(target)
    assert formula_risks(target) == [
        "xl/worksheets/sheet1.xml: a formula or hyperlink element",
        'Sheet!A1: f \'=HYPERLINK("http://x","点击")\'',
        "Sheet!B1: e '#N/A'",
    ]


def test_csv_cells_read_back(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    with target.open("wb") as stream:
        table = CsvTable(stream)
        table.row(["文件", "数"])
        for text in HOSTILE:
            table.row([text, ShownNumber("-1,234.50"), 3, Decimal("0.25"), None])
        table.close()
    rows = csv_rows(target)
    assert rows[0] == ["文件", "数"]
    assert rows[1:] == [[f"'{text}", "-1,234.50", "3", "0.25", ""] for text in HOSTILE]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("text", ["=1", "1+1", "+1", "1e5", "", "--1", "1-", " 1"])
def test_a_shown_number_is_only_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        ShownNumber(text)


def test_a_csv_table_leaves_its_stream_open() -> None:
    stream = io.BytesIO()
    table = CsvTable(stream)
    table.row(["a"])
    table.close()
    assert not stream.closed
    assert stream.getvalue() == "\ufeffa\r\n".encode()
