"""A guess the import made is marked at the string of its place in the source: the section its
paragraph went to, and among that section's strings the one it is, not the first string anywhere
that holds the same words."""

from __future__ import annotations

from pathlib import Path

from reportgen.check.validate import validate_text
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.marks import Mark, Positions
from reportgen.importer.source import SourceParagraph

# the measures' paragraph ends mid-sentence at a short line: a guess, its last words also those
# of the functions' first paragraph
CUT = """2024年度测试局部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能
本局负责全区测试工作的组织实施，承担测试标准的制定、
测试机构的监督管理和测试数据的统计分析等工作职责。
（二）年度总体工作和重点工作任务
全年完成测试任务，测试覆盖全区所有街道和重点企业，
全年支出1,000.00万元，自评得分95.00分。
二、下一步改进措施
进一步加强全区测试工作的组织实施
和监督检查，提高测试质量，确保各项测试任务按时完成。
"""
NOTE = (
    "“强全区测试工作的组织实施”与下一段“和监督检查，提高测试质量”原文在行末断开，"
    "已分为两段，而句子没有结束；如是同一段，请把两项接起来"
)


def test_a_doubt_is_marked_where_its_paragraph_went(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(CUT, encoding="utf-8")
    draft = draft_text(import_report(source))
    assert draft.split("sections:\n", 1)[1] == (
        "  # 部门职能\n"
        "  functions:\n"
        "    - 本局负责全区测试工作的组织实施，承担测试标准的制定、测试机构的监督管理和测试数据的统计分析等工作职责。\n"
        "\n"
        "  # 年度总体工作和重点工作任务\n"
        "  annual_work:\n"
        "    - 全年完成测试任务，测试覆盖全区所有街道和重点企业，全年支出${budget.expenditure.total}万元，"
        "自评得分95.00分。\n"
        "\n"
        "  # 下一步改进措施\n"
        "  measures:\n"
        f"    - 进一步加强全区测试工作的组织实施  # 【待核对】{NOTE}\n"
        "    - 和监督检查，提高测试质量，确保各项测试任务按时完成。\n"
        "\n"
    )
    [warning] = [f for f in validate_text(draft, "d.yaml").findings if f.code == "R012"]
    assert format_path(warning.path) == "sections.measures[0]"
    assert warning.message == f"导入时{NOTE}（核对后删去这一行的“# 【待核对】……”注释）"


def test_the_nth_string_holding_the_words_in_its_section() -> None:
    paragraphs = [SourceParagraph(text, index=n) for n, text in enumerate(["甲乙丙丁戊己"] * 3)]
    positions = Positions([("goals", paragraphs[:1]), ("measures", paragraphs[1:])])
    assert positions.mark(0, "甲乙丙丁戊己", "注") == Mark("甲乙丙丁戊己", "注", "goals", 0)
    assert positions.mark(2, "甲乙丙丁戊己", "注") == Mark("甲乙丙丁戊己", "注", "measures", 1)
    assert positions.mark(None, "甲乙丙丁戊己", "注") == Mark("甲乙丙丁戊己", "注")
