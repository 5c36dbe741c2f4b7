"""``reportgen import`` and ``audit`` on report styles met in an outside trial: spending by
source of money, indicators under 数量/质量/时效 lead-ins, Markdown tables and emphasis, and budget
tables (basic and project spending against their budgets)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import docx

from reportgen.check.validate import validate_text
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from reportgen.importer.markdown import markdown_text
from reportgen.importer.numerals import CHINESE_PERCENT, chinese_percent
from tests.test_fidelity import seeds

HEAD = """2024年度某某区交通运输局部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能
负责全区交通运输行业管理。
（二）部门整体收支情况
"""
TAIL = """二、绩效自评情况
（一）自评结论
自评得分为95.5分，等级为“优”。
三、存在的主要问题
部分项目前期工作滞后。
四、下一步改进措施
加强项目前期谋划。
"""


def imported(tmp_path: Path, finance: str, suffix: str = ".txt", tail: str = TAIL) -> Any:
    path = tmp_path / f"report{suffix}"
    path.write_text(HEAD + finance + tail, encoding="utf-8")
    return import_report(path)


def test_spending_by_source_of_money_is_no_total(tmp_path: Path) -> None:
    report = imported(
        tmp_path,
        "全年支出12,900.00万元，预算执行率为97.73%。"
        "其中，财政拨款支出12,650.00万元，其他资金支出250.00万元。\n",
    )
    assert report.facts.found["budget.expenditure.total"].token == "12,900.00"
    assert [n for n in report.notes if n.startswith(("前后不一致", "未能归类"))] == [
        "未能归类的金额 12,650.00万元（“其中，财政拨款支出12,650.00万元，其他资金支出250.00万元。”），"
        "留在正文中",
        "未能归类的金额 250.00万元（“其中，财政拨款支出12,650.00万元，其他资金支出250.00万元。”），"
        "留在正文中",
    ]
    assert "财政拨款支出12,650.00万元，其他资金支出250.00万元。" in draft_text(report)


def test_second_level_indicator_lead_ins_name_their_category(tmp_path: Path) -> None:
    report = imported(
        tmp_path,
        "全年支出12,900.00万元。\n",
        tail=TAIL.replace(
            "三、存在的主要问题",
            "（二）履职效能分析\n"
            "1.数量指标：新增公办学位数，目标值3000个，实际完成3240个，完成率108%。\n"
            "2.时效指标：校舍维修按期完工率，目标值100%，实际完成95%，完成率95%，主要原因是雨季停工。\n"
            "3.社会效益指标：家长满意度，目标值90%，实际完成91.5%，完成率101.67%。\n"
            "4.可持续影响指标：教师培训覆盖率，目标值90%，实际完成90%，完成率100%。\n"
            "三、存在的主要问题",
        ),
    )
    assert [(i["name"], i["category"]) for i in report.facts.indicators] == [
        ("新增公办学位数", "output"),
        ("校舍维修按期完工率", "output"),
        ("家长满意度", "outcome"),
        ("教师培训覆盖率", "outcome"),
    ]


def test_an_indicator_table_category_cell_names_its_category(tmp_path: Path) -> None:
    table = (
        "指标类别\t指标名称\t目标值\t实际值\t完成率\n"
        "产出指标\t公交线路新开通数\t8条\t8条\t100%\n"
        "数量指标\t农村公路改造里程\t100公里\t120公里\t120%\n"
        "满意度指标\t乘客满意度\t90%\t92%\t102.22%\n"
        "其他\t安全事故数\t0起\t0起\t100%\n"
    )
    report = imported(
        tmp_path,
        "全年支出12,900.00万元。\n",
        tail=TAIL.replace("三、", "（二）履职效能分析\n" + table + "三、"),
    )
    assert [(i["name"], i["category"]) for i in report.facts.indicators] == [
        ("公交线路新开通数", "output"),
        ("农村公路改造里程", "output"),
        ("乘客满意度", "satisfaction"),
        ("安全事故数", "other"),
    ]


def test_markdown_tables_and_emphasis_read_as_their_text() -> None:
    text = (
        "## 一、部门基本情况\n"
        "**产出指标：**老旧小区改造数量，目标值40个。__效益__ 2*3\n"
        "| 指标名称 | 目标值 | 实际值 | 完成率 |\n"
        "| :--- | ---: | --- | --- |\n"
        "| 老旧小区改造数量 | 40个 | 42个 | 105% |\n"
        "| 说明 \\| 备注 | — |\n"
        "|不是表格"
    )
    assert markdown_text(text).split("\n") == [
        "## 一、部门基本情况",
        "产出指标：老旧小区改造数量，目标值40个。效益 2*3",
        "指标名称\t目标值\t实际值\t完成率",
        "老旧小区改造数量\t40个\t42个\t105%",
        "说明 | 备注\t—",
        "|不是表格",
    ]


def test_a_markdown_indicator_table_is_read_as_indicators(tmp_path: Path) -> None:
    table = (
        "| 指标名称 | 目标值 | 实际值 | 完成率 |\n"
        "| --- | --- | --- | --- |\n"
        "| 老旧小区改造数量 | 40个 | 42个 | 105% |\n"
    )
    report = imported(
        tmp_path,
        "全年支出12,900.00万元。\n",
        ".md",
        TAIL.replace("三、", "（二）履职效能分析\n**产出指标：**\n\n" + table + "三、"),
    )
    assert [(i["name"], i["target"], i["actual"], i["rate"]) for i in report.facts.indicators] == [
        ("老旧小区改造数量", Decimal(40), Decimal(42), "105%")
    ]
    assert "    - 产出指标：\n" in draft_text(report)
    assert "|" not in draft_text(report)


# ---- budget tables -------------------------------------------------------------------------------

BUDGET_ROWS = [
    ["项目", "年初预算", "调整预算", "全年支出", "执行率"],
    ["基本支出", "2,150.00", "2,180.00", "2,175.60", "99.80%"],
    ["项目支出", "10,350.00", "11,020.00", "10,724.40", "97.32%"],
    ["其中：财政拨款", "—", "—", "10,000.00", "—"],
    ["合计", "12,500.00", "13,200.00", "12,900.00", "97.73%"],
]
BUDGET_FACTS = {
    "budget.initial": ("12500.00", "表格：合计，12,500.00，13,200.00，12,900.00，97.73%"),
    "budget.adjusted": ("13200.00", "表格：合计，12,500.00，13,200.00，12,900.00，97.73%"),
    "budget.expenditure.total": ("12900.00", "表格：合计，12,500.00，13,200.00，12,900.00，97.73%"),
    "budget.execution_rate": ("97.73", "表格：合计，12,500.00，13,200.00，12,900.00，97.73%"),
    "budget.expenditure.basic.budget": (
        "2180.00",
        "表格：基本支出，2,150.00，2,180.00，2,175.60，99.80%",
    ),
    "budget.expenditure.basic.amount": (
        "2175.60",
        "表格：基本支出，2,150.00，2,180.00，2,175.60，99.80%",
    ),
    "budget.expenditure.basic.execution_rate": (
        "99.80",
        "表格：基本支出，2,150.00，2,180.00，2,175.60，99.80%",
    ),
    "budget.expenditure.project.budget": (
        "11020.00",
        "表格：项目支出，10,350.00，11,020.00，10,724.40，97.32%",
    ),
    "budget.expenditure.project.amount": (
        "10724.40",
        "表格：项目支出，10,350.00，11,020.00，10,724.40，97.32%",
    ),
    "budget.expenditure.project.execution_rate": (
        "97.32",
        "表格：项目支出，10,350.00，11,020.00，10,724.40，97.32%",
    ),
}


def _budget(report: Any) -> dict[str, tuple[str, str]]:
    return {
        path: (str(fact.value), fact.sentence)
        for path, fact in report.facts.found.items()
        if path.startswith("budget.")
    }


def test_a_budget_table_copied_from_word_states_the_budget(tmp_path: Path) -> None:
    table = "\n".join("\t".join(row) for row in BUDGET_ROWS)
    report = imported(tmp_path, f"2024年度收支情况如下（单位：万元）：\n{table}\n")
    assert _budget(report) == BUDGET_FACTS
    draft = draft_text(report)
    finance = draft[draft.index("  finance:") : draft.index("  # 自评结论")]
    assert finance.splitlines() == [
        "  finance:",
        "    - ${year}年度收支情况如下（单位：万元）：",
        '    - "项目\\t年初预算\\t调整预算\\t全年支出\\t执行率"',
        '    - "基本支出\\t2,150.00\\t${budget.expenditure.basic.budget}'
        '\\t${budget.expenditure.basic.amount}\\t${budget.expenditure.basic.execution_rate}"',
        '    - "项目支出\\t10,350.00\\t${budget.expenditure.project.budget}'
        '\\t${budget.expenditure.project.amount}\\t${budget.expenditure.project.execution_rate}"',
        '    - "其中：财政拨款\\t—\\t—\\t10,000.00\\t—"',
        '    - "合计\\t${budget.initial}\\t${budget.adjusted}\\t${budget.expenditure.total}'
        '\\t${budget.execution_rate}"',
        "",
    ]
    assert not [n for n in report.notes if not n.startswith("原文没有")]


def test_a_markdown_budget_table_with_its_unit_in_a_heading(tmp_path: Path) -> None:
    header = ["项目", "年初预算（万元）", "调整预算（万元）", "全年支出（万元）", "执行率"]
    lines = ["| " + " | ".join(row) + " |" for row in [header, ["---"] * 5, *BUDGET_ROWS[1:]]]
    report = imported(tmp_path, "\n".join(lines) + "\n", ".md")
    assert _budget(report) == BUDGET_FACTS


def test_a_docx_budget_table_states_the_budget(tmp_path: Path) -> None:
    document = docx.Document()
    for line in (HEAD + "单位：万元").splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=len(BUDGET_ROWS), cols=len(BUDGET_ROWS[0]))
    for r, row in enumerate(BUDGET_ROWS):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    for line in TAIL.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(str(path))
    assert _budget(import_report(path)) == BUDGET_FACTS


def test_a_budget_table_in_yuan_is_held_in_ten_thousands(tmp_path: Path) -> None:
    table = "\n".join(
        [
            "项目\t预算数（元）\t支出数（元）",
            "基本支出\t21,800,000.00\t21,756,000.00",
            "项目支出\t110,200,000.00\t107,244,012.34",
            "合计\t132,000,000.00\t129,000,012.34",
        ]
    )
    report = imported(tmp_path, table + "\n")
    assert {path: str(fact.value) for path, fact in report.facts.found.items()} == {
        "budget.initial": "13200.00",
        "budget.expenditure.basic.budget": "2180.00",
        "budget.expenditure.basic.amount": "2175.60",
        "budget.expenditure.project.budget": "11020.00",
        "score.total": "95.5",
        "score.grade": "优",
    }
    assert [(i.path, i.token) for i in report.facts.inexact] == [
        ("budget.expenditure.project.amount", "107,244,012.34元"),
        ("budget.expenditure.total", "129,000,012.34元"),
    ]
    draft = draft_text(report)
    assert "  initial: 13200.00  # 原文为 132,000,000.00元，折合万元；原文：“表格：合计，" in draft
    assert '    - "合计\\t132,000,000.00\\t129,000,012.34"' in draft


def test_a_table_of_another_kind_or_without_unit_states_no_budget(tmp_path: Path) -> None:
    rows = "\n".join("\t".join(row) for row in BUDGET_ROWS)
    by_source = "项目\t财政拨款\t其他资金\n基本支出\t2,000.00\t175.60\n合计\t12,650.00\t250.00"
    report = imported(tmp_path, f"{rows}\n\n单位：万元\n{by_source}\n")
    assert _budget(report) == {}


def test_audit_finds_a_slip_in_a_budget_table_and_quotes_its_rows(tmp_path: Path) -> None:
    rows = [list(row) for row in BUDGET_ROWS]
    rows[-1][3:] = ["12,950.00", "98.11%"]  # 2,175.60 + 10,724.40 = 12,900.00
    table = "\n".join("\t".join(row) for row in rows)
    path = tmp_path / "report.txt"
    path.write_text(HEAD + f"单位：万元\n{table}\n" + TAIL, encoding="utf-8")
    audit = audit_file(path)
    errors = [slip.as_text("r.txt") for slip in audit.slips if slip.finding.is_error]
    assert errors == [
        "r.txt: 错误 R101 budget.expenditure.total: "
        "支出合计 12950.00 ≠ 基本支出 2175.60 + 项目支出 10724.40 = 12900.00\n"
        "    应为 12,900.00，原文为 12,950.00\n"
        "    原文：“表格：合计，12,500.00，13,200.00，12,950.00，98.11%”\n"
        "    原文：“表格：基本支出，2,150.00，2,180.00，2,175.60，99.80%”\n"
        "    原文：“表格：项目支出，10,350.00，11,020.00，10,724.40，97.32%”"
    ]
    assert [slip.finding.code for slip in audit.slips if not slip.finding.is_error] == ["R002"] * 4
    assert not audit.ok


def test_audit_says_a_slip_in_yuan_or_yi_as_the_report_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    finance = (
        "调整预算1.32亿元，全年支出887,654,300.00元，其中基本支出612,345,600.00元，"
        "项目支出275,380,700.00元。基本支出预算0.25亿元，项目支出预算1.08亿元。\n"
    )
    path.write_text(HEAD + finance + TAIL, encoding="utf-8")
    slips = [slip.as_text("r.txt") for slip in audit_file(path).slips]
    assert [slip.splitlines()[:2] for slip in slips if " R105 " in slip or " R101 " in slip] == [
        [
            # 0.25 + 1.08 = 1.33, but any of the three may have been rounded: 1.32 can be right,
            # and no “应为 1.33亿元” asks for it to be changed
            "r.txt: 警告 R105 budget.adjusted: 原文以亿元写出（1.32亿元、0.25亿元、1.08亿元），"
            "在其精度内相符，无法更精确核对：调整预算 13200.00 ≠ 基本支出预算 2500.00 + "
            "项目支出预算 10800.00 = 13300.00",
            "    原文：“调整预算1.32亿元，全年支出887,654,300.00元，其中基本支出612,345,600.00元，"
            "项目支出275,380,700.00”",  # quoted up to 80 characters
        ],
        [
            "r.txt: 错误 R101 budget.expenditure.total: 支出合计 88765.43 ≠ 基本支出 61234.56 + "
            "项目支出 27538.07 = 88772.63",
            "    应为 887,726,300.00元，原文为 887,654,300.00元",
        ],
    ]
    path.write_text(
        HEAD + "全年支出1.29亿元，其中基本支出2,175.60万元，项目支出10,744.40万元。\n" + TAIL,
        encoding="utf-8",
    )
    [slip] = [slip for slip in audit_file(path).slips if slip.finding.code == "R101"]
    assert not slip.finding.is_error  # 12,920.00万元 is 1.29亿元 as the report rounds it
    assert slip.as_text("r.txt").splitlines()[1].startswith("    原文：")  # nothing to change


# ---- chapters numbered （一）（二） -----------------------------------------------------------------

PAREN_CHAPTERS = """2024年度某某区司法局部门整体支出绩效自评报告
（一）部门基本情况
1.部门职能
负责全区法治建设。
2.年度总体工作和重点工作任务
全年办理法律援助案件1,286件。
3.部门整体收支情况
全年支出2,870.56万元，其中基本支出1,960.20万元，项目支出910.36万元。
4.部门整体绩效管理情况
按要求开展绩效自评。
（二）绩效自评情况
1.自评结论
自评得分为94.60分，等级为“优”。
2.履职效能分析
完成年度目标。
3.管理效率分析
预算执行规范。
（三）存在的主要问题
基层力量不足。
（四）下一步改进措施
充实基层力量。
"""


def test_chapters_numbered_like_sections_are_the_chapters(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(PAREN_CHAPTERS, encoding="utf-8")
    report = import_report(path)
    assert report.notes == [
        "原文的章编为“（一）”“（二）”……，生成的报告按版式编为“一、”“二、”……",
        "“部门基本情况”下的节原文编为“1.”“2.”……，生成的报告按版式编为“（一）”“（二）”……",
        "“绩效自评情况”下的节原文编为“1.”“2.”……，生成的报告按版式编为“（一）”“（二）”……",
    ]
    assert [(s.key, s.blocks) for s in report.sections] == [
        ("functions", ["负责全区法治建设。"]),
        ("annual_work", ["全年办理法律援助案件1,286件。"]),
        (
            "finance",
            [
                "全年支出${budget.expenditure.total}万元，其中基本支出${budget.expenditure.basic.amount}万元，"
                "项目支出${budget.expenditure.project.amount}万元。"
            ],
        ),
        ("performance_management", ["按要求开展绩效自评。"]),
        ("conclusion", ["自评得分为94.60分，等级为“${score.grade}”。"]),
        ("effectiveness", ["完成年度目标。"]),
        ("efficiency", ["预算执行规范。"]),
        ("problems", ["基层力量不足。"]),
        ("measures", ["充实基层力量。"]),
    ]


def test_a_first_section_that_is_no_chapter_leaves_the_report_unparted(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        PAREN_CHAPTERS.replace("（二）绩效自评情况", "（二）部门职能"), encoding="utf-8"
    )
    assert import_report(path).chapters == 0


# ---- tables laid out in columns by pdftotext -layout -------------------------------------------


def test_a_wide_table_laid_out_in_columns_leaves_the_paragraphs_as_they_were(
    tmp_path: Path,
) -> None:
    [seed] = seeds().glob("000_*.txt")
    lines = seed.read_text(encoding="utf-8").split("\n")
    at = lines.index("项目支出 1,072.44万元。") + 1
    table = [
        "",
        "单位：万元",
        "",
        "资产类别        年初数        年末数        增减额        备注说明",
        "",
    ]
    for n in range(1, 26):
        table += [
            f"第{n:02d}类资产      {100 + n}.00       {110 + n}.00       10.00       在用设备",
            "",
        ]
    (tmp_path / "a.txt").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(lines[:at] + table + lines[at:]), encoding="utf-8")
    plain = draft_text(import_report(tmp_path / "a.txt")).splitlines()[2:]
    tabled = draft_text(import_report(tmp_path / "b.txt")).splitlines()[2:]
    rows = {f"    - {line}" for line in table if line}
    assert [line for line in tabled if line not in rows] == plain
    assert len(tabled) - len(plain) == len(rows)


def test_a_budget_table_laid_out_in_columns_states_the_budget(tmp_path: Path) -> None:
    widths = (10, 14, 14, 14, 10)
    table = "\n\n".join(
        "".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in BUDGET_ROWS
    )
    report = imported(tmp_path, f"单位：万元\n\n{table}\n\n")
    assert _budget(report) == BUDGET_FACTS


# ---- a figure said twice, otherwise the second time ----------------------------------------------


def test_a_figure_said_otherwise_in_a_table_is_marked_and_audited(tmp_path: Path) -> None:
    rows = [list(row) for row in BUDGET_ROWS]
    rows[-1][4] = "96.73%"  # the prose says 97.73%
    table = "\n".join("\t".join(row) for row in rows)
    path = tmp_path / "report.txt"
    path.write_text(
        HEAD + f"全年预算执行率为97.73%。\n单位：万元\n{table}\n" + TAIL, encoding="utf-8"
    )
    note = (
        "前后不一致：budget.execution_rate: 前文为 97.73%，此处为 96.73%"
        "（“表格：合计，12,500.00，13,200.00，12,900.00，96.73%”）"
    )
    report = import_report(path)
    assert [n for n in report.notes if n.startswith("前后不一致")] == [note]
    draft = draft_text(report)
    assert (
        '    - "合计\\t${budget.initial}\\t${budget.adjusted}\\t${budget.expenditure.total}'
        f'\\t96.73%"  # 【待核对】发现原文{note}\n'
    ) in draft
    findings = validate_text(draft, "d.yaml").findings
    assert [(f.code, f.severity.value, format_path(f.path)) for f in findings][-1:] == [
        ("R012", "warning", "sections.finance[6]")
    ]
    assert {f.code for f in findings} == {"R002", "R012"}  # R002: sections HEAD leaves out
    errors = [slip.as_text("r.txt") for slip in audit_file(path).slips if slip.finding.is_error]
    assert errors == [
        "r.txt: 错误 R012 budget.execution_rate: 原文前后不一致：前文为 97.73%，此处为 96.73%\n"
        "    原文：“全年预算执行率为97.73%。”\n"
        "    原文：“表格：合计，12,500.00，13,200.00，12,900.00，96.73%”"
    ]


def test_a_rate_after_the_lines_of_basic_spending_is_basic_spending_s(tmp_path: Path) -> None:
    report = imported(
        tmp_path,
        "全年支出1,140.00万元，预算执行率为95.00%。其中基本支出840.00万元（人员经费700.00万元，"
        "公用经费140.00万元），执行率为95.45%；项目支出300.00万元，执行率为93.75%。\n",
    )
    rates = {p: str(f.value) for p, f in report.facts.found.items() if p.endswith("rate")}
    assert rates == {
        "budget.execution_rate": "95.00",
        "budget.expenditure.basic.execution_rate": "95.45",
        "budget.expenditure.project.execution_rate": "93.75",
    }
    assert report.facts.conflicts == []


def test_a_budget_table_of_two_years_reads_only_what_is_this_year_s(tmp_path: Path) -> None:
    table = "\n".join(
        [
            "项目\t上年决算数\t预算数\t决算数\t决算数\t增减额",
            "一、基本支出\t2,000.00\t2,180.00\t2,175.60\t2,175.60\t175.60",
            "二、项目支出\t9,000.00\t11,020.00\t10,724.40\t10,724.40\t1,724.40",
            "收入合计\t11,000.00\t13,200.00\t12,900.00\t12,900.00\t1,900.00",
            "支出合计\t11,000.00\t13,200.00\t12,900.00\t12,900.00\t1,900.00",
        ]
    )
    report = imported(tmp_path, f"单位：万元\n{table}\n")
    assert {path: str(fact.value) for path, (fact) in report.facts.found.items()} == {
        "budget.expenditure.basic.budget": "2180.00",
        "budget.expenditure.project.budget": "11020.00",
        "budget.adjusted": "13200.00",  # a bare 预算数 beside 决算数 (test_import_measures.py)
        "score.total": "95.5",
        "score.grade": "优",
    }
    assert report.facts.conflicts == []
    draft = draft_text(report)  # rows typed “一、” stay rows, as published
    assert draft[draft.index("  finance:") : draft.index("  # 自评结论")].splitlines()[2:] == [
        '    - "项目\\t上年决算数\\t预算数\\t决算数\\t决算数\\t增减额"',
        '    - "一、基本支出\\t2,000.00\\t${budget.expenditure.basic.budget}\\t2,175.60\\t2,175.60'
        '\\t175.60"',
        '    - "二、项目支出\\t9,000.00\\t${budget.expenditure.project.budget}\\t10,724.40'
        '\\t10,724.40\\t1,724.40"',
        '    - "收入合计\\t11,000.00\\t13,200.00\\t12,900.00\\t12,900.00\\t1,900.00"',
        '    - "支出合计\\t11,000.00\\t${budget.adjusted}\\t12,900.00\\t12,900.00\\t1,900.00"',
        "",
    ]


# ---- rates in Chinese numerals ---------------------------------------------------------------------


def test_chinese_percents_read_as_their_numbers() -> None:
    said = [
        "百分之百",
        "百分之一百",
        "百分之九十七点七三",
        "百分之十",
        "百分之十五",
        "百分之零点五",
        "百分之五",
    ]
    assert [str(chinese_percent(m)) for t in said if (m := CHINESE_PERCENT.fullmatch(t))] == [
        "100",
        "100",
        "97.73",
        "10",
        "15",
        "0.5",
        "5",
    ]


def test_a_rate_in_chinese_numerals_is_checked_where_its_clause_names_it(tmp_path: Path) -> None:
    finance = (
        "调整预算1,200.00万元，全年支出1,140.00万元，预算执行率为百分之九十。"
        "项目支出300.00万元，执行率达百分之百。\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(HEAD + finance + TAIL, encoding="utf-8")
    report = import_report(path)
    assert report.facts.found["budget.execution_rate"].value == Decimal(90)
    # “执行率达” alone speaks of the line its sentence named, as with figures (before 0.3.6 it
    # was left unread)
    assert report.facts.found["budget.expenditure.project.execution_rate"].value == Decimal(100)
    assert "预算执行率为百分之九十。" in draft_text(report)  # printed as published
    errors = [slip.as_text("r.txt") for slip in audit_file(path).slips if slip.finding.is_error]
    assert errors == [
        "r.txt: 错误 R106 budget.execution_rate: 预算执行率 90% ≠ 支出合计 1140.00 ÷ 调整预算 "
        "1200.00 = 95.00%\n"
        "    应为 95.00%，原文为 百分之九十\n"
        "    原文：“调整预算1,200.00万元，全年支出1,140.00万元，预算执行率为百分之九十。”"
    ]


def test_a_next_year_draft_marks_table_rows_that_keep_last_year_s_figures(tmp_path: Path) -> None:
    table = "\n".join("\t".join(row) for row in BUDGET_ROWS)
    path = tmp_path / "report.txt"
    path.write_text(HEAD + f"单位：万元\n{table}\n" + TAIL, encoding="utf-8")
    report = import_report(path, None, 2025)
    stale = [n for n in report.notes if n.startswith("表格中")]
    assert stale == [
        "表格中这一行的“2,150.00”照录上一年度的原文，不在数据中，不随年度更新：请改为本年度的数",
        "表格中这一行的“10,350.00”照录上一年度的原文，不在数据中，不随年度更新：请改为本年度的数",
        "表格中这一行的“10,000.00”照录上一年度的原文，不在数据中，不随年度更新：请改为本年度的数",
    ]
    findings = validate_text(draft_text(report, 2025), "d.yaml").findings
    marked = [f for f in findings if f.code == "R012"]
    assert [format_path(f.path) for f in marked] == [
        "sections.finance[2]",
        "sections.finance[3]",
        "sections.finance[4]",
    ]
    assert not [n for n in import_report(path).notes if n.startswith("表格中")]  # this year's
