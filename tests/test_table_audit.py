"""audit --table: a published 自评表 (.xlsx, .docx) read and checked with its report by the
same rules, each slip quoted with its row."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.importer.audit import audit_file
from reportgen.importer.table_parse import parse_table, value_of
from tests.readback import render_file
from tests.test_table import WORKED

runner = CliRunner()
HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def published_rows(
    funds_score: object = 9.79,
    executed: object = 4191.3,
    reason: bool = True,
    total: object = 98.79,
) -> list[list[object]]:
    return [
        ["2023年度部门整体支出绩效自评表"],
        ["单位名称", "广州市番禺区人民政府办公室", None, "主管部门", "广州市番禺区人民政府"],
        ["项目", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", None, 4281.75, 4281.75, executed, 10, "97.89%", funds_score],
        ["其中：本年财政拨款", None, 4281.75, 4281.75, 4191.3, None, None, None],
        HEADER,
        ["履职效能", "产出指标", "12345热线转办工单受理量", "≥30万宗", "36.03万宗", 10, 10, None],
        [None, None, "上报政务信息", "≥1000条", "1050条", 5, 5, None],
        [None, None, "协调处置各类值班事件", "≥900宗", "998宗", 5, 5, None],
        [None, None, "人大建议和政协提案办结率", "＝100%", "100%", 10, 10, None],
        [None, "效益指标", "12345热线工单按时办结率", "≥98%", "100%", 10, 10, None],
        [None, "满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10, None],
        [
            "管理效率",
            "预算管理",
            "季度支出进度达标率",
            "＝100%",
            "90%",
            10,
            9,
            "进度不均衡" if reason else None,
        ],
        [None, None, "绩效目标编报覆盖率", "＝100%", "100%", 10, 10, None],
        [None, "资产管理", "资产管理制度", "健全", "健全", 10, 10, None],
        [None, "运行成本", "“三公”经费支出控制率", "≤100%", "92.5%", 10, 10, None],
        ["总分", None, None, None, None, 100, total, None],
    ]


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def word(path: Path, rows: list[list[object]]) -> Path:
    document = docx.Document()
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = str(value)
    document.save(str(path))
    return path


def test_a_published_table_that_agrees_with_its_report(tmp_path: Path) -> None:
    report = render_file(WORKED, tmp_path)
    for table in (
        xlsx(tmp_path / "t.xlsx", published_rows()),
        word(tmp_path / "t.docx", published_rows()),
    ):
        audit = audit_file(report, table)
        assert audit.slips == [], [s.as_text("x") for s in audit.slips]


def test_a_published_table_s_slips_are_found_with_their_rows(tmp_path: Path) -> None:
    report = render_file(WORKED, tmp_path)
    rows = published_rows(funds_score=9.5, executed=4200, reason=False)
    table = xlsx(tmp_path / "slips.xlsx", rows)
    audit = audit_file(report, table)
    found = [(s.finding.code, ".".join(map(str, s.finding.path))) for s in audit.slips]
    assert found == [
        ("R303", "score.total"),
        ("R304", "table.funds.total.executed"),
        ("R304", "table.funds.total.executed"),
        ("R301", "table.funds.score"),
        ("R303", "table.score"),  # the printed 98.79 was not brought down with its rows
        ("R305", "table.indicators.1.items.0.items.0"),
    ]
    funds = audit.slips[3]
    assert (
        funds.finding.message == "预算执行得分 9.5 ≠ 分值 10 × 执行率 98.09%（不超过分值） = 9.81"
    )
    assert funds.sentences == ("表格：年度资金总额，4281.75，4281.75，4200，10，97.89%，9.5",)
    result = runner.invoke(app, ["audit", str(report), "--table", str(table)])
    assert result.exit_code == 1
    assert (
        "错误 R305 table.indicators[1].items[0].items[0]: “季度支出进度达标率”未达到目标"
        in result.output
    )


def test_table_needs_one_report_and_a_readable_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "a.docx", "b.docx", "--table", "t.xlsx"])
    assert (result.exit_code, result.output.strip()) == (2, "错误：--table 只能与一份报告一起核对")
    report = render_file(WORKED, tmp_path)
    bad = tmp_path / "t.csv"
    bad.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(report), "--table", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: 自评表应为 .xlsx、.docx 或 .pdf 文件" in result.output


def test_cells_of_targets() -> None:
    assert value_of("≥30万宗", None) == {"value": "30", "sign": "≥", "unit": "万宗"}
    assert value_of("<=5", "天") == {"value": "5", "sign": "≤"}
    assert value_of("好", None) == {"value": "好"}
    assert value_of("—", None) == {}


def test_the_funds_reason_row_is_read() -> None:
    """The row under the funds that says why (原因说明) is the funds' reason: without it, a
    table whose budget was adjusted would be reported for a reason it prints (R305)."""
    rows = [[str(c) if c is not None else "" for c in row] for row in published_rows()]
    at = next(i for i, row in enumerate(rows) if row[0].startswith("其中"))
    rows.insert(at + 1, ["原因说明", "两个项目招标延期", "", "", "", "", "", ""])
    published = parse_table(rows)
    assert published.data["funds"]["reason"] == "两个项目招标延期"
    assert published.rows["table.funds.reason"] == "表格：原因说明，两个项目招标延期"
    assert published.data["funds"]["appropriation"]["executed"] == "4191.3"


def test_a_total_row_named_heji_ends_the_indicators() -> None:
    rows = [[str(c) if c is not None else "" for c in row] for row in published_rows()]
    rows[-1] = ["合计", "", "", "", "", "100", "98.79", ""]
    published = parse_table(rows)
    assert published.data["score"] == "98.79"
    assert published.rows["table.score"] == "表格：合计，100，98.79"


def test_a_damaged_or_oversized_table_is_said_in_chinese(tmp_path: Path) -> None:
    """Whatever the published 自评表 holds, audit --table says in Chinese why it cannot read
    it (exit 2) or refuses it from a count (exit 1) — never exit 70, never a library's words."""
    report = render_file(WORKED, tmp_path)
    cases = {
        "garbage.xlsx": (
            b"not a workbook",
            2,
            "无法作为 Excel 工作簿读取（不是 zip 压缩包，或已损坏）",
        ),
        "garbage.docx": (
            b"not a document",
            2,
            "无法作为 Word 文档读取（缺少必要的部件，可能是其他程序的文件）",
        ),
        "empty.docx": (
            b"PK\x05\x06" + bytes(18),
            2,
            "无法作为 Word 文档读取（缺少必要的部件，可能是其他程序的文件）",
        ),
    }
    for name, (content, code, said) in cases.items():
        table = tmp_path / name
        table.write_bytes(content)
        result = runner.invoke(app, ["audit", str(report), "--table", str(table)])
        assert (result.exit_code, result.output.strip()) == (code, f"错误：{table}: {said}")
    book = Workbook()
    for _ in range(17_000):  # 102,000 cells: a 自评表 has a few hundred
        book.active.append(["一级指标", "二级指标", "指标", 1, 2, 3])
    many = tmp_path / "many.xlsx"
    book.save(many)
    result = runner.invoke(app, ["audit", str(report), "--table", str(many)])
    assert (result.exit_code, result.output.strip()) == (
        1,
        f"错误：{many}: 表格的单元格过多（超过 100,000 个），不像一份正常的自评表，未读取",
    )


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("≤2‰", {"value": "2", "sign": "≤", "unit": "‰"}),
        ("≥90%", {"value": "90", "sign": "≥", "unit": "%"}),
        ("≤千分之二", {"value": "2", "sign": "≤", "unit": "‰"}),
        ("≥百分之九十", {"value": "90", "sign": "≥", "unit": "%"}),
        ("千分之一点五", {"value": "1.5", "unit": "‰"}),
        ("好", {"value": "好"}),
    ],
)
def test_a_cell_of_a_rate_in_per_mille_or_in_chinese_numerals_is_a_number(
    cell: str, read: dict[str, str]
) -> None:
    assert value_of(cell, None) == read
