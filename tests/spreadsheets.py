"""Read back a workbook or .csv reportgen wrote, and say where a spreadsheet could see a formula."""

from __future__ import annotations

import csv
import re
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook

from reportgen.output.cells import could_be_formula

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# parts that could run or fetch something: macros, links to other workbooks, embedded objects
_ACTIVE_PARTS = re.compile(r"vbaProject|externalLink|embeddings|activeX|connections", re.I)


def formula_risks(workbook: Path) -> list[str]:
    """Every cell of ``workbook`` that is, or could become, a formula, and every part that could
    run or fetch something: text cells must be text (``s``) no spreadsheet reads as a formula,
    numbers numeric (``n``); no ``<f>`` element, hyperlink, macro or external link. Text that
    looks like a formula must carry Excel's ``quotePrefix`` mark (text, even when edited)."""
    risks: list[str] = []
    with zipfile.ZipFile(workbook) as archive:
        for name in archive.namelist():
            if _ACTIVE_PARTS.search(name):
                risks.append(f"part {name}")
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if b"<f>" in xml or b"<f " in xml or b"<hyperlink" in xml:
                    risks.append(f"{name}: a formula or hyperlink element")
    book = load_workbook(workbook)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                where = f"{sheet.title}!{cell.coordinate}"
                if value is None:
                    continue
                if isinstance(value, str):
                    if cell.data_type != "s" or (could_be_formula(value) and not cell.quotePrefix):
                        risks.append(f"{where}: {cell.data_type} {value!r}")
                elif not isinstance(value, int | float | Decimal) or cell.data_type != "n":
                    risks.append(f"{where}: {cell.data_type} {value!r}")
    return risks


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def calc_formulas(spreadsheet: Path, soffice: str) -> tuple[list[str], list[list[str]]]:
    """Open ``spreadsheet`` (.xlsx, or .csv as Calc opens a double-clicked one, formulas
    evaluated) in LibreOffice Calc and save it as flat XML: the formulas Calc saw, and the text
    of every cell of the first sheet as Calc shows it."""
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "fods",
            "--outdir",
            folder,
        ]
        if spreadsheet.suffix == ".csv":
            # comma, double quote, UTF-8, from line 1; Calc evaluates formulas by default
            command += ["--infilter=CSV:44,34,76,1"]
        subprocess.run([*command, str(spreadsheet)], check=True, capture_output=True, timeout=120)
        flat = Path(folder) / f"{spreadsheet.stem}.fods"
        root = etree.parse(str(flat)).getroot()
    formulas = [
        str(cell.get(f"{{{_TABLE}}}formula")) for cell in root.iter(f"{{{_TABLE}}}table-cell")
    ]
    formulas = [f for f in formulas if f != "None"]
    table = next(root.iter(f"{{{_TABLE}}}table"))
    shown = []
    for row in table.iter(f"{{{_TABLE}}}table-row"):
        cells = []
        for cell in row.iter(f"{{{_TABLE}}}table-cell"):
            text = "\n".join("".join(p.itertext()) for p in cell if p.tag.endswith("}p"))
            repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
            cells.extend([text] * min(repeat, 50))
        while cells and not cells[-1]:
            cells.pop()
        shown.append(cells)
    return formulas, shown
