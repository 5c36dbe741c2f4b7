"""A 自评表 laid out as departments publish theirs, not as reportgen renders it: a Word file
(A4 portrait, a table per block, narrow columns so that names wrap, merged 一级/二级 cells,
a long goals block so that the indicators break across the page inside a row), turned into
PDF by LibreOffice in the tests. The figures are those of data/table's worked example."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

REASON = (
    "业务工作的动态变化快，资金支出进度与支出事项申请和审批进程密切相关；"
    "下一步定期提醒年初预算资金较大的业务科室注意资金使用进度"
)
INDICATORS = [
    ("履职效能", "产出指标", "12345热线转办工单受理量", "≥30万宗", "36.03万宗", "10", "10", ""),
    ("履职效能", "产出指标", "上报政务信息", "≥1000条", "1050条", "5", "5", ""),
    ("履职效能", "产出指标", "协调处置各类值班事件", "≥900宗", "998宗", "5", "5", ""),
    ("履职效能", "产出指标", "人大建议和政协提案办结率", "=100%", "100%", "10", "10", ""),
    ("履职效能", "效益指标", "12345热线工单按时办结率", "≥98%", "100%", "10", "10", ""),
    ("履职效能", "满意度指标", "服务对象满意度", "≥90%", "95%", "10", "10", ""),
    ("管理效率", "预算管理", "季度支出进度达标率", "=100%", "90%", "10", "9", REASON),
    ("管理效率", "预算管理", "绩效目标编报覆盖率", "=100%", "100%", "10", "10", ""),
    ("管理效率", "资产管理", "资产管理制度", "健全", "健全", "10", "10", ""),
    ("管理效率", "运行成本", "“三公”经费支出控制率", "≤100%", "92.5%", "10", "10", ""),
]
HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
WIDTHS = [Cm(1.6), Cm(1.8), Cm(2.6), Cm(2.0), Cm(2.0), Cm(1.1), Cm(1.1), Cm(4.8)]


def _grid(document: docx.document.Document, rows: list[list[str]], centred: bool) -> Table:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
            if centred:
                table.cell(i, j).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def published_docx(
    path: Path,
    *,
    funds_score: str = "9.79",
    executed: str = "4191.30",
    total: str = "98.79",
    reason: bool = True,
    score: str = "9",
    centred_funds: bool = True,
) -> Path:
    """The worked example's table as a department might publish it; the keywords print a slip
    into it (a funds score, an executed amount, a total, a missing reason, a row's score)."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.size = Pt(10.5)  # type: ignore[union-attr]
    document.add_paragraph("2023年度部门整体支出绩效自评表")
    info = _grid(
        document,
        [
            ["单位名称", "广州市番禺区人民政府办公室", "主管部门", "广州市番禺区人民政府"],
            ["联系人", "", "联系电话", ""],
        ],
        False,
    )
    del info
    document.add_paragraph("预算执行情况（万元）")
    funds = [
        ["项目", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率", "得分"],
        ["年度资金总额", "4281.75", "4281.75", executed, "10", "97.89%", funds_score],
        ["其中：本年财政拨款", "4281.75", "4281.75", "4191.30", "", "", ""],
    ]
    _grid(document, funds, centred_funds)
    document.add_paragraph("年度总体目标完成情况")
    goals = [
        ["预期目标", "实际完成情况"],
        [
            "进一步提升区政府系统办公室参谋辅政和决策运转质效。" * 12,
            "全年受理12345热线转办工单36.03万宗，按时办结率100%。" * 12,
        ],
    ]
    _grid(document, goals, False)
    document.add_paragraph("绩效指标完成情况")
    rows = [[*HEADER, "偏差原因分析及改进措施"]]
    for first, second, *rest in INDICATORS:
        cells = [first, second, *rest]
        if cells[2] == "季度支出进度达标率":
            cells[6], cells[7] = score, cells[7] if reason else ""
        rows.append(cells)
    rows.append(["总分", "", "", "", "", "100", total, ""])
    table = _grid(
        document,
        [["", "", *r[2:]] if 0 < i < len(rows) - 1 else r for i, r in enumerate(rows)],
        True,
    )
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for column in (0, 1):  # merged 一级/二级 cells, their names centred on the rows they cover
        start = 1
        for i in range(2, len(rows)):
            ends = i == len(rows) - 1 or rows[i][column] != rows[start][column]
            if column == 1 and i < len(rows) - 1:
                ends = ends or rows[i][0] != rows[start][0]
            if ends:
                cell = table.cell(start, column)
                if i - 1 > start:
                    cell = cell.merge(table.cell(i - 1, column))
                cell.text = rows[start][column]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                start = i
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = WIDTHS[j]
    last = table.rows[-1].cells
    last[0].merge(last[4]).text = "总分"
    document.save(str(path))
    return path
