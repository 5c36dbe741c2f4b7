"""The 自评表 as Word and Excel: `reportgen render --table`, read back from the files."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.model import formatting
from reportgen.output.pdf import soffice
from reportgen.template.merge import CLOSE, OPEN, apply_merges, merged
from tests.ci import requires
from tests.readback import NS, W, document_text, document_xml, paragraph_text
from tests.spreadsheets import formula_risks

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "reportgen" / "samples" / "table.yaml"
TITLE = "2024年度广州市示例区财政局部门整体支出绩效自评表"
REPORT = "2024年度广州市示例区财政局部门整体支出绩效自评报告"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("table")
    result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out), "--table"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"已生成：{out / f'{REPORT}.docx'}",
        f"已生成：{out / f'{TITLE}.docx'}",
        f"已生成：{out / f'{TITLE}.xlsx'}",
    ]
    return out


def _rows(docx: Path) -> list[list[str]]:
    """Every table row of the body as the text of its cells."""
    body = document_xml(docx)
    return [
        ["".join(paragraph_text(p) for p in tc.iter(f"{W}p")) for tc in tr.findall(f"{W}tc")]
        for tr in body.iter(f"{W}tr")
    ]


def test_the_word_table_holds_every_block(rendered: Path) -> None:
    docx = rendered / f"{TITLE}.docx"
    text = document_text(docx)
    assert TITLE in text and "金额单位：万元" in text
    rows = _rows(docx)
    assert ["单位名称", "广州市示例区财政局", "主管部门", "广州市示例区人民政府"] in rows
    assert ["联系人", "李明", "联系电话", "020-12345678"] in rows
    # funds: 分值 × 执行率 = 10 × 78% = 7.8 on the total row; the sources without
    assert ["年度资金总额", "1,000.00", "1,200.00", "936.00", "10", "78.00%", "7.8"] in rows
    assert ["本年财政拨款", "950.00", "1,150.00", "900.00", "", "78.26%", ""] in rows
    assert ["其他资金", "50.00", "50.00", "36.00", "", "72.00%", ""] in rows
    assert not any(r and r[0] == "上年结转资金" for r in rows)  # not published: left out
    assert [
        "1",
        "完成全区预算编审，推进全面预算绩效管理",
        "完成44个项目评审，绩效目标覆盖全部预算单位",
        "",
    ] in rows
    assert ["", "", "培训人次", "≥100人次", "90人次", "10", "9", "受场地限制"] in rows
    assert ["总分", "100", "自评得分", "96.8", "自评等级", "优", ""] in rows
    assert OPEN not in text and CLOSE not in text


def test_the_report_and_its_table_print_the_same_figures(rendered: Path) -> None:
    report = document_text(rendered / f"{REPORT}.docx")
    assert "自评得分96.8分，等级“优”" in report
    table = document_text(rendered / f"{TITLE}.docx")
    view = validate_file(SAMPLE).table
    assert view is not None and view.totals.final == Decimal("96.8")
    for indicator in view.indicators:
        assert indicator.name in report and indicator.name in table


def test_upper_levels_are_merged_and_headers_repeat(rendered: Path) -> None:
    body = document_xml(rendered / f"{TITLE}.docx")
    indicator_table = next(t for t in body.iter(f"{W}tbl") if "一级指标" in "".join(t.itertext()))
    merges = [
        [
            (m.get(f"{W}val") or "continue")
            if (m := tc.find(f"{W}tcPr/{W}vMerge")) is not None
            else ""
            for tc in tr.findall(f"{W}tc")[:2]
        ]
        for tr in indicator_table.findall(f"{W}tr")[2:]
    ]
    # 产出指标: 数量 ×2, 质量, 时效; 效益指标: 社会效益, 可持续影响; 满意度指标: one row
    assert merges == [
        ["restart", "restart"],
        ["continue", "continue"],
        ["continue", ""],
        ["continue", ""],
        ["restart", ""],
        ["continue", ""],
        ["", ""],
    ]
    headers = [
        tr
        for tr in indicator_table.findall(f"{W}tr")
        if tr.find(f"{W}trPr/{W}tblHeader") is not None
    ]
    assert len(headers) == 2
    size = body.find(f".//{W}sectPr/{W}pgSz")
    assert size is not None and size.get(f"{W}orient") == "landscape"


def test_a_merged_name_under_another_upper_cell_starts_its_own_cell() -> None:
    def row(*cells: str) -> str:
        return (
            "<w:tr>"
            + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells)
            + "</w:tr>"
        )

    m = merged
    xml = (
        f'<w:tbl xmlns:w="{NS["w"]}">'
        + row(m("甲"), m("数量"), "a")
        + row(m("甲"), m("数量"), "b")
        + row(m("乙"), m("数量"), "c")  # same 二级 name, other 一级: not merged upward
        + row("丙", m("数量"), "d")  # an unmarked cell to its left: not merged either
        + "</w:tbl>"
    )
    root = etree.fromstring(xml)
    apply_merges(root)
    cells = [
        [
            (
                "".join(tc.itertext()),
                None
                if (v := tc.find(f"{W}tcPr/{W}vMerge")) is None
                else v.get(f"{W}val", "continue"),
            )
            for tc in tr.findall(f"{W}tc")[:2]
        ]
        for tr in root.findall(f"{W}tr")
    ]
    assert cells == [
        [("甲", "restart"), ("数量", "restart")],
        [("", "continue"), ("", "continue")],
        [("乙", None), ("数量", None)],
        [("丙", None), ("数量", None)],
    ]


def test_the_workbook_has_the_same_blocks_as_numbers(rendered: Path) -> None:
    workbook = rendered / f"{TITLE}.xlsx"
    assert formula_risks(workbook) == []
    sheet = load_workbook(workbook)["自评表"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [TITLE]
    total = next(r for r in rows if r and r[0] == "年度资金总额")
    assert total == ["年度资金总额", 1000, 1200, 936, 10, 0.78, 7.8]
    trained = next(r for r in rows if "培训人次" in r)
    assert trained == ["培训人次", "≥100人次", "90人次", 10, 9, "受场地限制"]
    # a target that starts with “=” is the data's words, marked as text, not a formula
    covered = next(r for r in sheet.iter_rows() if any(c.value == "绩效目标覆盖率" for c in r))
    equal = next(c for c in covered if c.value == "=100%")
    assert equal.data_type == "s" and equal.quotePrefix
    assert ["总分", 100, "自评得分", 96.8, "自评等级", "优"] in rows
    merged_ranges = {str(r) for r in sheet.merged_cells.ranges}
    first = next(r.row for r in sheet["A"] if r.value == "产出指标")
    assert f"A{first}:A{first + 3}" in merged_ranges and f"B{first}:B{first + 1}" in merged_ranges
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.print_title_rows == "$1:$2"


def test_a_file_without_a_table_gets_nothing(tmp_path: Path) -> None:
    source = REPO / "data" / "panyu-gov-office-2023.yaml"
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "out"), "--table"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"错误：{source} 没有自评表的数据（table:），未生成自评表；"
        "写法见 docs/yaml-format.md 的“自评表”一节"
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_another_file_under_the_tables_name_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / f"{TITLE}.xlsx"
    mine.write_bytes(b"the clerk's own workbook")
    result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out), "--table"])
    assert result.exit_code == 2
    assert f"{mine} 已存在，但无法确认它是此前生成的《{TITLE}》" in result.output
    assert mine.read_bytes() == b"the clerk's own workbook"
    # rendered again over its own files: replaced
    mine.unlink()
    for _ in range(2):
        result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out), "--table"])
        assert result.exit_code == 0, result.output


def test_the_same_data_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    made = []
    for n in range(2):
        out = tmp_path / str(n)
        result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out), "--table"])
        assert result.exit_code == 0, result.output
        made.append([(out / f"{TITLE}{s}").read_bytes() for s in (".docx", ".xlsx")])
    assert made[0] == made[1]


def test_layout_check_covers_the_table_template(tmp_path: Path) -> None:
    layouts = tmp_path / "版式"
    shutil.copytree(REPO / "templates" / "default", layouts / "mine")
    table = layouts / "mine" / "table.docx"
    with zipfile.ZipFile(REPO / "templates" / "default" / "table.docx") as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"{{ row.name }}", b"{{ row.nmae }}"
    )
    with zipfile.ZipFile(table, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    result = runner.invoke(app, ["layout", "check", "mine", "--templates", str(layouts)])
    assert result.exit_code == 1
    assert re.search(
        r"table\.docx: 正文表格中的段落“\{\{ row\.nmae \}\}”.*：IndicatorText 没有“nmae”"
        r"（是否想写“name”？）",
        result.output,
    ), result.output
    clean = runner.invoke(app, ["template", "check", str(REPO / "templates/default/table.docx")])
    assert clean.exit_code == 0, clean.output


def test_the_pdf_of_the_table_keeps_every_character(tmp_path: Path) -> None:
    requires(soffice() is not None, "LibreOffice (soffice) not installed")
    requires(shutil.which("pdftotext"), "pdftotext (poppler-utils) not installed")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out), "--table", "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = out / f"{TITLE}.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_number = re.compile(r"—\s*\d+\s*—")
    squeeze = re.compile(r"\s+")
    printed = squeeze.sub("", page_number.sub("", text))
    for cell in {c for row in _rows(out / f"{TITLE}.docx") for c in row}:
        assert squeeze.sub("", cell) in printed, cell


AGREEING = [
    *sorted((REPO / "data" / "table").glob("*.yaml")),
    REPO / "tests" / "cases" / "table" / "culture-2024.yaml",
]


@pytest.mark.parametrize("source", AGREEING, ids=[s.stem for s in AGREEING])
def test_no_figure_the_report_and_its_table_share_differs(source: Path, tmp_path: Path) -> None:
    """Each indicator's row (target, actual, weight, score) reads the same in the report's
    indicator table and in the 自评表; the self-score, grade and the funds' execution rate
    the report prints are the table's."""
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path), "--table"])
    assert result.exit_code == 0, result.output
    report = next(tmp_path.glob("*自评报告.docx"))
    table = next(tmp_path.glob("*自评表.docx"))
    view = validate_file(source).table
    assert view is not None and view.totals.final is not None
    report_rows, table_rows = _rows(report), _rows(table)
    for indicator in view.indicators:
        shared = [
            indicator.target_text,
            indicator.actual_text,
            formatting.score(indicator.weight or Decimal(0)),
            formatting.score(indicator.score or Decimal(0)),
        ]
        in_report = [r for r in report_rows if indicator.name in r]
        in_table = [r for r in table_rows if indicator.name in r]
        assert len(in_report) == len(in_table) == 1, indicator.name
        for cell in shared:
            assert cell in in_report[0] and cell in in_table[0], (indicator.name, cell)
    text = document_text(report)
    final, grade = formatting.score(view.totals.final), view.totals.grade
    assert f"{final}分" in text and f"“{grade}”" in text
    assert ["总分", "100", "自评得分", final, "自评等级", grade, ""] in table_rows
    rate = view.funds.total.rate
    assert rate is not None and formatting.percent(rate) in text
    assert formatting.percent(rate) in next(r for r in table_rows if r[0] == "年度资金总额")
