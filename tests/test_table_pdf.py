"""audit --table with a PDF 自评表: the table reportgen renders and one laid out as departments
publish theirs (tests/pdf_tables.py) are read back whole; their slips are found and quoted
with the PDF's page and line; rows that cannot be told apart are named, not guessed."""

from __future__ import annotations

import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.importer.audit import Audit, audit_file
from reportgen.importer.pdf_grid import words_of
from reportgen.importer.pdf_text import pdf_words
from reportgen.importer.table_audit import read_table
from reportgen.importer.table_parse import number
from reportgen.model import formatting
from reportgen.output.pdf import convert_to_pdf, soffice
from tests.conftest import ROOT
from tests.pdf_tables import INDICATORS, REASON, published_docx

runner = CliRunner()
pytestmark = pytest.mark.requires(
    soffice() is not None and shutil.which("pdftotext"),
    "LibreOffice (soffice) and pdftotext (poppler-utils) are needed",
)
# the worked example, and a department written for the tests (national profile, carry-over,
# a funds reason, wrapped names, a page break)
TABLES = [
    *sorted((ROOT / "data" / "table").glob("*.yaml")),
    ROOT / "tests/cases/table/culture-2024.yaml",
]
WORKED = ROOT / "data" / "table" / "panyu-gov-office-2023-table.yaml"
REPORT = "2023年度广州市番禺区人民政府办公室部门整体支出绩效自评报告"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example's report, rendered: the published report the tables go with."""
    out = tmp_path_factory.mktemp("report")
    result = runner.invoke(app, ["render", str(WORKED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / f"{REPORT}.docx"


def _tree(data: dict[str, object]) -> list[tuple[str, ...]]:
    """(一级, 二级, 三级, weight, score) of every indicator the table's data holds."""
    rows = []
    for block in data["indicators"]:  # type: ignore[attr-defined]
        for group in block["items"]:
            for leaf in group["items"]:
                weight, score = Decimal(leaf["weight"]), Decimal(leaf["score"])
                rows.append(
                    (block["name"], group["name"], leaf["name"], printed(weight), printed(score))
                )
    return rows


def printed(value: Decimal | None) -> str:
    assert value is not None
    return formatting.score(value)


def _published(tmp_path: Path, **slips: object) -> Path:
    return convert_to_pdf(published_docx(tmp_path / "published.docx", **slips), tmp_path)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", TABLES, ids=[t.stem for t in TABLES])
def test_the_table_reportgen_renders_is_read_back_whole(source: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path), "--table", "--pdf"])
    assert result.exit_code == 0, result.output
    word_pdf = next(tmp_path.glob("*自评表.pdf"))
    # the .xlsx printed by LibreOffice Calc: another layout (fixed row heights, one page)
    excel_pdf = convert_to_pdf(next(tmp_path.glob("*自评表.xlsx")), tmp_path / "calc")
    view = validate_file(source).table
    assert view is not None
    for table_pdf in (word_pdf, excel_pdf):
        published = read_table(table_pdf)
        assert published.unread == []
        assert _tree(published.data) == [
            (b.name, g.name, i.name, printed(i.weight), printed(i.score))
            for b in view.blocks
            for g in b.groups
            for i in g.indicators
        ]
        assert number(published.data["funds"]["score"]) == view.funds.score
        assert number(published.data["score"]) == view.totals.final
        audit = audit_file(next(tmp_path.glob("*自评报告.docx")), table_pdf)
        assert (audit.ok, audit.slips, audit.unaudited) == (True, [], []), table_pdf


def test_a_table_laid_out_otherwise_is_read_row_by_row(report: Path, tmp_path: Path) -> None:
    pdf = _published(tmp_path)
    pages = [row.split("\t") for row in pdf_words(pdf).splitlines() if row.startswith("1\t")]
    assert [(float(p[8]) < float(p[9])) for p in pages] == [True, True]  # A4 portrait, 2 pages
    indicator_pages = {w.page for w in words_of(pdf_words(pdf)) if w.text == "10"}
    assert indicator_pages == {1, 2}  # the indicator block breaks across the page
    published = read_table(pdf)
    assert published.unread == []
    assert _tree(published.data) == [(*row[:3], row[5], row[6]) for row in INDICATORS]
    split = published.data["indicators"][1]["items"][0]["items"][0]
    # the row the page break cuts: its name and reason go on at the top of page 2
    assert split["name"] == "季度支出进度达标率"
    assert split["reason"] == unicodedata.normalize("NFKC", REASON)
    assert published.rows["table.indicators[1].items[0].items[1]"] == (
        "PDF 第 2 页第 19 行：管理效率，预算管理，绩效目标编报覆盖率，=100%，100%，10，10"
    )
    assert published.data["funds"] == {
        "total": {"initial": "4281.75", "adjusted": "4281.75", "executed": "4191.30"},
        "score": "9.79",
        "appropriation": {"initial": "4281.75", "adjusted": "4281.75", "executed": "4191.30"},
    }
    audit = audit_file(report, pdf)
    assert (audit.ok, audit.slips, audit.unaudited) == (True, [], [])


def _slips(audit: Audit) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.finding.code, s.finding.message, s.sentences) for s in audit.slips]


def test_the_slips_of_a_published_pdf_are_found_with_their_page_and_line(
    report: Path, tmp_path: Path
) -> None:
    pdf = _published(
        tmp_path, funds_score="9.5", executed="4200", total="97", reason=False, score="10"
    )
    total_row = "PDF 第 1 页第 8 行：年度资金总额，4281.75，4281.75，4200，10，97.89%，9.5"
    quarter = "PDF 第 1 页第 51 行：管理效率，预算管理，季度支出进度达标率，=100%，90%，10，10"
    assert _slips(audit_file(report, pdf)) == [
        (
            "R303",
            "自评得分 98.79 ≠ 自评表 履职效能 50 + 管理效率 49.5 = 99.5",
            ("自评得分为98.79分，自评等级为“优”。",),
        ),
        (
            "R304",
            "年度资金总额全年执行数 4200.00 ≠ 本年财政拨款 4191.30 = 4191.30",
            (total_row, "PDF 第 1 页第 10 行：其中:本年财政拨款，4281.75，4281.75，4191.30"),
        ),
        (
            "R304",
            "自评表年度资金总额全年执行数 4200.00 万元与报告中的 4191.30 万元不同",
            (total_row, "全年支出4,191.30万元，部门预算完成率为97.89%。"),
        ),
        ("R301", "预算执行得分 9.5 ≠ 分值 10 × 执行率 98.09%（不超过分值） = 9.81", (total_row,)),
        (
            "R303",
            "自评表的自评得分 97 ≠ 履职效能 50 + 管理效率 49.5 = 99.5",
            ("PDF 第 2 页第 13 行：总分，100，97",),
        ),
        (
            "R305",
            "“季度支出进度达标率”未达到目标（目标 =100%，实际 90%），须写偏差原因（reason）",
            (quarter,),
        ),
        ("R301", "“季度支出进度达标率”得分 10 ≠ 分值 10 × 完成率 90.00% = 9", (quarter,)),
    ]
    result = runner.invoke(app, ["audit", str(report), "--table", str(pdf)])
    assert result.exit_code == 1
    assert f"    原文：“{quarter}”" in result.output


def test_rows_that_cannot_be_told_apart_are_named_not_guessed(report: Path, tmp_path: Path) -> None:
    """Cells at the top of their rows, a label wrapped: “额” may end 年度资金总额 or begin the
    next row's label — both readings hold, so neither row is read, and the audit says so."""
    pdf = _published(tmp_path, centred_funds=False)
    audit = audit_file(report, pdf)
    doubt = "“额”属于哪一行无法确定，这一行未读入"
    assert (audit.ok, audit.slips) == (False, [])
    assert audit.unaudited == [
        f"自评表 PDF 第 1 页第 8 行（年度资金总，4281.75，4281.75，4191.30，10，97.89%，9.79）：{doubt}",
        f"自评表 PDF 第 1 页第 10 行（其中:本年财政拨款，4281.75，4281.75，4191.30）：{doubt}",
    ]
    result = runner.invoke(app, ["audit", str(report), "--table", str(pdf)])
    assert result.exit_code == 1
    assert "无法核对：自评表 PDF 第 1 页第 8 行" in result.output


EMPTY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_pdf_that_cannot_be_read_is_refused_with_its_reason(report: Path, tmp_path: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(EMPTY_PDF)
    result = runner.invoke(app, ["audit", str(report), "--table", str(scanned)])
    assert result.exit_code == 2
    assert f"{scanned}: PDF 中没有可提取的文字（可能是扫描的图片），无法读取自评表" in result.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["audit", str(report), "--table", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}: 无法提取 PDF 的文字（文件已损坏或不是 PDF）" in result.output


def _slipped_docx(source: Path, target: Path) -> Path:
    """The rendered table with two slips typed into it: 全民健身中心改造工程完成率 scored 10
    (its 92% gives 9.2) and 图书馆新增馆藏图书册数's reason deleted (18600 of 20000)."""
    document = docx.Document(str(source))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            texts = [c.text for c in cells]
            if "全民健身中心改造工程完成率" in texts:
                runs = cells[6].paragraphs[0].runs
                runs[0].text = "10"
                for run in runs[1:]:
                    run.text = ""
            if "图书馆新增馆藏图书册数" in texts:
                for paragraph in cells[7].paragraphs:
                    for run in paragraph.runs:
                        run.text = ""
    document.save(str(target))
    return target


def _slipped_xlsx(source: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(source)
    for sheet in book:
        for row in sheet.iter_rows():
            values = [c.value for c in row]
            if "全民健身中心改造工程完成率" in values:
                row[values.index("全民健身中心改造工程完成率") + 4].value = 10
            if "图书馆新增馆藏图书册数" in values:
                for cell in row[values.index("图书馆新增馆藏图书册数") + 5 :]:
                    cell.value = None
    book.save(target)
    return target


def test_the_slips_typed_into_a_rendered_table_are_found_in_each_format(tmp_path: Path) -> None:
    source = ROOT / "tests/cases/table/culture-2024.yaml"
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--table", "--pdf"])
    assert result.exit_code == 0, result.output
    report = next(out.glob("*自评报告.docx"))
    for clean in sorted(out.glob("*自评表.*")):
        audit = audit_file(report, clean)
        assert (audit.ok, audit.slips, audit.unaudited) == (True, [], []), clean.suffix
    slipped = tmp_path / "slipped"
    slipped.mkdir()
    word = _slipped_docx(next(out.glob("*自评表.docx")), slipped / "t.docx")
    excel = _slipped_xlsx(next(out.glob("*自评表.xlsx")), slipped / "t.xlsx")
    pdf = convert_to_pdf(word, slipped)
    leaf = "table.indicators.0.items.0.items.{}"
    expected = [
        ("R303", "score.total"),
        ("R303", "score.components.1.score"),  # the report's 48.5 against the table's 49.3
        ("R303", "table.score"),
        ("R305", leaf.format(1)),
        ("R301", leaf.format(2) + ".score"),
    ]
    for table in (word, excel, pdf):
        audit = audit_file(report, table)
        found = [(s.finding.code, ".".join(map(str, s.finding.path))) for s in audit.slips]
        assert (found, audit.unaudited) == (expected, []), table.suffix
        assert audit.slips[-1].finding.message == (
            "“全民健身中心改造工程完成率”得分 10 ≠ 分值 10 × 完成率 92.00% = 9.2"
        )
    assert audit.slips[-2].sentences == (
        "PDF 第 2 页第 3 行：产出指标，数量指标，图书馆新增馆藏图书册数，≥20000册，18600册，10，9.3",
    )
