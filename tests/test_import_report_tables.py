"""``reportgen import``/``audit`` on the tables of a report written in Word (tests/report_tables.py),
as .docx and as the PDF LibreOffice makes of it: a budget table whose header has two rows, an
indicator table of 一级/二级/三级指标 whose names wrap and which breaks across a page, a budget
table by 功能分类."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from reportgen.importer.rejoin import width
from reportgen.output.pdf import convert_all_to_pdf, soffice
from tests.report_tables import BUDGET, BY_FUNCTION, INDICATORS, report_docx
from tests.test_import_outside import TAIL
from tests.test_import_outside import imported as imported_text

needs_pdf = pytest.mark.requires(
    soffice() is not None and shutil.which("pdftotext"),
    "LibreOffice (soffice) and pdftotext (poppler-utils) are needed",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report as .docx, its headings at the top of their cells or centred both ways, and
    the PDF of each."""
    out = tmp_path_factory.mktemp("reports")
    found = {
        "top.docx": report_docx(out / "top.docx"),
        "centred.docx": report_docx(out / "centred.docx", centred=True),
    }
    return found


@pytest.fixture(scope="module")
def pdfs(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfs")
    made = convert_all_to_pdf(list(reports.values()), out)
    assert all(isinstance(pdf, Path) for pdf in made), made
    return {name.replace(".docx", ".pdf"): pdf for name, pdf in zip(reports, made, strict=True)}  # type: ignore[misc]


def _row(name: str) -> str:
    return "表格：" + "，".join(next(row for row in BUDGET if row[0] == name))


BUDGET_FACTS = {
    "budget.initial": ("6920.00", _row("合计")),
    "budget.adjusted": ("7804.00", _row("合计")),
    "budget.expenditure.total": ("7452.45", _row("合计")),
    "budget.execution_rate": ("95.50", _row("合计")),
    "budget.expenditure.basic.budget": ("1688.40", _row("基本支出")),
    "budget.expenditure.basic.amount": ("1650.12", _row("基本支出")),
    "budget.expenditure.basic.execution_rate": ("97.73", _row("基本支出")),
    "budget.expenditure.basic.personnel.amount": ("1430.55", _row("其中：人员经费")),
    "budget.expenditure.basic.public.amount": ("219.57", _row("公用经费")),
    "budget.expenditure.project.budget": ("6115.60", _row("项目支出")),
    "budget.expenditure.project.amount": ("5802.33", _row("项目支出")),
    "budget.expenditure.project.execution_rate": ("94.88", _row("项目支出")),
}


def _budget(report: Any) -> dict[str, tuple[str, str]]:
    return {
        path: (str(fact.value), fact.sentence)
        for path, fact in report.facts.found.items()
        if path.startswith("budget.")
    }


@pytest.mark.parametrize("name", ["top.docx", "centred.docx"])
def test_a_docx_budget_header_of_two_rows_names_each_column(
    reports: dict[str, Path], name: str
) -> None:
    """“预算数” merged over 年初预算｜调整预算: the columns the lower row names are read (they
    were dropped), and the adjusted budget is the rows' budget."""
    report = import_report(reports[name])
    assert _budget(report) == BUDGET_FACTS
    audit = audit_file(reports[name])
    assert "budget.expenditure.basic.execution_rate" in audit.checked
    assert "budget.expenditure.project.execution_rate" in audit.checked


def _slipped_docx(tmp_path: Path, **changes: str) -> Path:
    budget = [[changes.get(cell, cell) for cell in row] for row in BUDGET]
    return report_docx(tmp_path / "slipped.docx", budget=budget)


def test_a_slip_in_a_column_under_a_merged_heading_is_found(tmp_path: Path) -> None:
    audit = audit_file(_slipped_docx(tmp_path, **{"97.73%": "96.73%"}))
    assert [(s.finding.code, format_path(s.finding.path)) for s in audit.slips] == [
        ("R107", "budget.expenditure.basic.execution_rate")
    ]


@needs_pdf
@pytest.mark.parametrize("name", ["top.pdf", "centred.pdf"])
def test_a_pdf_budget_header_of_two_lines_names_each_column(
    pdfs: dict[str, Path], name: str
) -> None:
    """pdftotext sets 年初预算｜调整预算 on a line below “预算数” (or “预算数” above the line of the
    other headings, when they are centred): each column is read by its own heading; the 年初预算
    column was taken for the rows' budget and the 调整预算 column said to contradict it."""
    report = import_report(pdfs[name])
    assert _budget(report) == BUDGET_FACTS
    draft = draft_text(report)
    finance = draft[draft.index("  finance:") : draft.index("  # 部门整体绩效管理情况")]
    header = (
        ["    - 项目  预算数  决算支出  执行率", "    - 年初预算  调整预算"]
        if name == "top.pdf"
        else ["    - 预算数", "    - 项目  决算支出  执行率", "    - 年初预算  调整预算"]
    )
    lines = finance.splitlines()
    start = lines.index("    - 单位：万元") + 1
    assert lines[start : start + len(header) + 1] == [
        *header,
        "    - 基本支出  1,620.00  ${budget.expenditure.basic.budget}"
        "  ${budget.expenditure.basic.amount}  ${budget.expenditure.basic.execution_rate}",
    ]
    audit = audit_file(pdfs[name])
    assert [s for s in audit.slips if format_path(s.finding.path).startswith("budget")] == []


def _indicators(report: Any) -> list[tuple[str, str, str, str, str | None]]:
    """(category, name, target as printed, actual, rate, reason) of each indicator read."""
    return [
        (
            i["category"],
            i["name"],
            f"{i.get('sign', '')}{i.get('target', '')}",
            str(i.get("actual", "")),
            i.get("rate", ""),
            i.get("reason"),
        )
        for i in report.facts.indicators
    ]


@needs_pdf
@pytest.mark.parametrize("filler", [3, 4, 5])
def test_a_pdf_indicator_table_whose_names_wrap_over_a_page_is_read_row_by_row(
    tmp_path: Path, filler: int
) -> None:
    """三级指标 names wrapped over two or three lines, merged 一级/二级 cells, a header whose
    headings wrap (“年度目标/值”, “偏差原因/分析”), a page break inside the table (the page
    number, the header printed again, a row's name broken across it): every cell is read under
    the column it stands in (the wrapped rest of a name was glued to the next column and the
    later columns shifted; the header's wrapped lines became an indicator “分析”)."""
    docx_path = report_docx(tmp_path / "report.docx", filler=filler)
    pdf = convert_all_to_pdf([docx_path], tmp_path)[0]
    assert isinstance(pdf, Path)
    report = import_report(pdf)
    assert [(name, rate, reason or None) for _, _, name, _, _, rate, reason in INDICATORS] == [
        (name, rate, reason) for _, name, _, _, rate, reason in _indicators(report)
    ]
    assert _indicators(report) == _indicators(import_report(docx_path))
    assert _indicators(report)[8] == (
        "output",
        "每公里河涌保洁成本",
        "≤3.2",
        "3.05",
        "104.92%",
        None,
    )
    assert not [n for n in report.notes if "“分析”" in n or ("不是数值" in n and "=" not in n)]


def test_a_target_written_with_an_equals_sign_is_a_number(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    """“=42座”, “=100%”: “=” is a target's sign as ≥ and ≤ are (TABLE.md); the target was said
    not to be a number and printed as “—”, its row left unchecked."""
    report = import_report(reports["top.docx"])
    equal = [i for i in report.facts.indicators if i.get("sign") == "="]
    assert [(i["name"], str(i["target"]), i.get("unit")) for i in equal] == [
        ("水闸泵站维修养护座数", "42", "座"),
        ("水利工程验收合格率", "100", "%"),
        ("地表水国考断面水质达标率", "100", "%"),
    ]
    assert not [note for note in report.notes if "不是数值" in note]
    draft = tmp_path / "draft.yaml"
    draft.write_text(draft_text(report), encoding="utf-8")
    assert "    sign: '='\n" in draft.read_text(encoding="utf-8")
    slipped = [[*row[:5], "101.00%" if row[3] == "=42座" else row[5], row[6]] for row in INDICATORS]
    audit = audit_file(report_docx(tmp_path / "slipped.docx", indicators=slipped))
    assert [(s.finding.code, s.finding.message) for s in audit.slips] == [
        ("R205", "水闸泵站维修养护座数完成率 101.00% ≠ 实际值 42 ÷ 目标值 42 = 100.00%")
    ]


def _by_function_said(rows: list[list[str]]) -> list[str]:
    """Audit's line for each figure of the rows of classes of spending, as it lists them."""
    headings = ["年初预算", "调整预算", "决算支出", "执行率"]
    return [
        f"{row[0]}·{heading} {cell}（按支出分类的一行，数据中没有这一项），"
        f"原文：“表格：{'，'.join(row)}”"
        for row in rows[:-1]
        for heading, cell in zip(headings, row[1:], strict=True)
    ]


def test_a_budget_table_by_function_gives_the_total_and_counts_its_rows(tmp_path: Path) -> None:
    """一般公共服务支出 … 合计 under 年初预算｜调整预算｜决算支出｜执行率: the 合计 row is the
    department's budget and spending, each class's figures are listed as unchecked with their
    row and column (the table was skipped whole, its figures not even counted)."""
    path = report_docx(tmp_path / "report.docx", budget=[], by_function=BY_FUNCTION)
    report = import_report(path)
    total = "表格：" + "，".join(BY_FUNCTION[-1])
    assert _budget(report) == {
        "budget.initial": ("6920.00", total),
        "budget.adjusted": ("7804.00", total),
        "budget.expenditure.total": ("7452.45", total),
        "budget.execution_rate": ("95.50", total),
    }
    assert any("按支出分类列出的预算表中各类支出的 12 个数" in note for note in report.notes)
    audit = audit_file(path)
    assert {"budget.adjusted", "budget.expenditure.total", "budget.execution_rate"} <= set(
        audit.checked
    )
    assert [u.key for u in audit.unchecked if "按支出分类" in u.key] == _by_function_said(
        BY_FUNCTION
    )


def test_a_typed_budget_table_by_function_is_read_by_its_columns(tmp_path: Path) -> None:
    """The same table typed in a text file, its columns lined up by printed width (a Chinese
    character as wide as two spaces): each cell is under its own heading."""

    def padded(cell: str, size: int = 20) -> str:
        return cell + " " * (size - round(width(cell) * 2))

    lines = ["".join(padded(c) for c in ["功能分类", "年初预算", "调整预算", "决算支出", "执行率"])]
    lines += ["".join(padded(c) for c in row).rstrip() for row in BY_FUNCTION]
    text = imported_text(tmp_path, "单位：万元\n" + "\n".join(lines) + "\n")
    assert _budget(text)["budget.adjusted"][0] == "7804.00"
    audit = audit_file(tmp_path / "report.txt")
    assert [u.key for u in audit.unchecked if "按支出分类" in u.key] == _by_function_said(
        BY_FUNCTION
    )


_LISTED = """（二）履职效能分析
2.绩效指标完成情况
（1）河涌清淤疏浚长度
目标值：≥35公里；实际完成值：36.4公里；完成率：104.00%；偏差原因：无。
（2）供水用户满意度
目标值：≥88%；实际完成值：86.2%；完成率：{rate}；偏差原因：停水检修通知不够及时，部分用户不满意。
（3）每公里河涌保洁成本
目标值：≤3.2万元；实际完成值：3.05万元；完成率：104.92%；偏差原因：无。
"""


def test_indicators_listed_a_name_a_line_then_its_figures_are_read(tmp_path: Path) -> None:
    """A list of indicators, each its name on a line of its own and its labelled figures on the
    next (目标值：…；实际完成值：…；完成率：…；偏差原因：…): each is read as an indicator table's
    row and checked (they were left in the text, not even counted among the figures found)."""
    tail = TAIL.replace("三、", _LISTED.format(rate="97.95%") + "三、")
    report = imported_text(tmp_path, "全年支出12,900.00万元。\n", tail=tail)
    assert _indicators(report) == [
        ("other", "河涌清淤疏浚长度", "≥35", "36.4", "104.00%", None),
        (
            "other",
            "供水用户满意度",
            "≥88",
            "86.2",
            "97.95%",
            "停水检修通知不够及时，部分用户不满意",
        ),
        ("other", "每公里河涌保洁成本", "≤3.2", "3.05", "104.92%", None),
    ]
    audit = audit_file(tmp_path / "report.txt")
    assert {
        f"indicators[{n}].{key}" for n in range(3) for key in ("target", "actual", "rate")
    } <= set(audit.checked)
    slipped = TAIL.replace("三、", _LISTED.format(rate="99.95%") + "三、")
    imported_text(tmp_path, "全年支出12,900.00万元。\n", tail=slipped)
    assert [
        (s.finding.code, s.finding.message, s.sentences)
        for s in audit_file(tmp_path / "report.txt").slips
        if s.finding.code != "R002"  # the short report's sections it leaves out
    ] == [
        (
            "R205",
            "供水用户满意度完成率 99.95% ≠ 实际值 86.2 ÷ 目标值 88 = 97.95%",
            (
                "（2）供水用户满意度 目标值：≥88%；实际完成值：86.2%；完成率：99.95%；"
                "偏差原因：停水检修通知不够及时，部分用户不满意。",
            ),
        )
    ]


def test_figures_of_narrow_columns_one_space_apart_are_cells_of_their_own(tmp_path: Path) -> None:
    """pdftotext sets narrow columns one space apart (“18,650.00 19,820.40”): each figure is a
    cell under its own heading, not one cell of two (the 合计 row's adjusted budget was lost)."""
    table = "\n".join(
        [
            "功能分类       年初预算      调整预算        决算支出      执行率",
            "一般公共服务     210.00    226.00      221.47    98.00%",
            "支出",
            "农林水支出     6,480.00 7,318.00   6,980.16 95.38%",
            "住房保障支出     230.00    260.00      250.82    96.47%",
            "合计         6,920.00 7,804.00   7,452.45 95.50%",
        ]
    )
    report = imported_text(tmp_path, f"单位：万元\n{table}\n")
    total = "表格：合计，6,920.00，7,804.00，7,452.45，95.50%"
    assert _budget(report) == {
        "budget.initial": ("6920.00", total),
        "budget.adjusted": ("7804.00", total),
        "budget.expenditure.total": ("7452.45", total),
        "budget.execution_rate": ("95.50", total),
    }
