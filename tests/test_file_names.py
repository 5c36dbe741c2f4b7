"""File and folder names whose bytes are not UTF-8 — a folder unzipped from a Chinese Windows
zip holds GBK names — are paths like any other: a batch claims its report names with them,
the overview shows them (a “�” for each byte that is no character), LibreOffice converts the
reports in such a folder. Each used to end in “reportgen 内部错误” (exit 70) or a failed PDF."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.output.pdf import convert_all_to_pdf, convert_to_pdf, soffice
from reportgen.output.render import render_to_file
from tests.conftest import DATA

runner = CliRunner()
SOURCE = DATA / "panyu-gov-office-2023.yaml"
REPORT = "2023年度广州市番禺区人民政府办公室部门整体支出绩效自评报告"
GBK = "财政".encode("gbk")  # b'\xb2\xc6\xd5\xfe': not UTF-8


def _named(directory: Path, raw: bytes) -> Path:
    """A path in ``directory`` whose last part is the bytes ``raw``, as Python keeps them."""
    return directory / os.fsdecode(raw)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder named in GBK holding two departments, one of them in a file named in GBK."""
    found = _named(tmp_path, b"data-" + GBK)
    found.mkdir()
    shutil.copy(SOURCE, _named(found, GBK + b".yaml"))
    shutil.copy(DATA / "nansha-party-office-2023.yaml", found / "nansha.yaml")
    return found


def test_a_batch_of_files_named_in_gbk_is_rendered(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(folder), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert (out / f"{REPORT}.docx").is_file()
    # the same department twice: the message names the first file, whatever its bytes
    twice = runner.invoke(app, ["render", str(folder), str(folder), "-o", str(out), "--jobs", "1"])
    assert twice.exit_code == 1, twice.output
    # (the console shows each such byte as “?”; CliRunner's stream escapes it instead)
    assert (
        f"/data-\\udcb2\\udcc6\\udcd5\\udcfe/\\udcb2\\udcc6\\udcd5\\udcfe.yaml 的报告同名（{REPORT}"
        in (twice.output)
    )


def test_overview_shows_a_gbk_file_name_with_replacement_characters(
    folder: Path, tmp_path: Path
) -> None:
    shown = f"{tmp_path}/data-\ufffd\ufffd\ufffd\ufffd/\ufffd\ufffd\ufffd\ufffd.yaml"
    workbook = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["overview", str(folder), "-o", str(workbook)])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(workbook).worksheets[0].iter_rows(values_only=True))
    assert shown in [row[0] for row in rows]
    table = tmp_path / "汇总.csv"
    result = runner.invoke(app, ["overview", str(folder), "-o", str(table), "--format", "csv"])
    assert result.exit_code == 0, result.output
    with table.open(encoding="utf-8-sig", newline="") as stream:
        assert shown in [row[0] for row in csv.reader(stream) if row]


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_pdf_is_made_in_a_folder_named_in_gbk(tmp_path: Path) -> None:
    out = _named(tmp_path, b"out-" + GBK)
    written = render_to_file(validate_file(SOURCE), out)
    assert convert_to_pdf(written, out) == out / f"{REPORT}.pdf"
    [converted] = convert_all_to_pdf([written], out)
    assert converted == out / f"{REPORT}.pdf"
    assert converted.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in out.iterdir()) == [f"{REPORT}.docx", f"{REPORT}.pdf"]
