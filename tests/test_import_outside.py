"""``reportgen import`` and ``audit`` on report styles met in an outside trial: spending by
source of money, indicators under 数量/质量/时效 lead-ins, Markdown tables and emphasis, and budget
tables (basic and project spending against their budgets)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.markdown import markdown_text

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
