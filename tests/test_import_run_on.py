"""``reportgen import`` / ``audit`` of a compact report: a chapter typed as one paragraph, each
（一）（二）… heading run into its text, is parted into its sections — but a label that starts a
list item, is cited in a sentence or is out of the chapter's sequence stays text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.importer.audit import audit_file
from tests.test_import import import_report_text

COMPACT = """2024年度某某镇人民政府部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能。某某镇人民政府负责辖区经济发展和公共服务，年末实有在职人员86人。（二）年度总体工作和重点工作任务。全年以乡村振兴为主线，一是推进农田建设；二是抓好就业服务。（三）部门整体收支情况。全年支出1,150.00万元，其中基本支出800.00万元，项目支出350.00万元。（四）部门整体绩效管理情况。按要求完成年中绩效运行监控。
二、绩效自评情况
（一）自评结论。自评得分95.5分，等级为“优”。（二）履职效能分析。全年完成农田建设3,200亩。（三）管理效率分析。预算编制细化到项目。
三、存在的主要问题
一是支出进度前低后高；二是指标有待细化。
四、下一步改进措施
一是按月分解支出计划；二是细化绩效指标。
"""


def _sections(text: str) -> dict[str, list[object]]:
    return {s.key: s.blocks for s in import_report_text(text, layout="default").sections}


def test_every_heading_run_on_in_a_chapters_paragraph_starts_its_section() -> None:
    imported = import_report_text(COMPACT, layout="default")
    sections = {s.key: s.blocks for s in imported.sections}
    assert sections["functions"] == [
        "某某镇人民政府负责辖区经济发展和公共服务，年末实有在职人员86人。"
    ]
    assert sections["annual_work"] == [
        {"intro": "全年以乡村振兴为主线，", "joined": ["推进农田建设", "抓好就业服务"]}
    ]
    assert sections["finance"] == [
        "全年支出${budget.expenditure.total}万元，其中基本支出${budget.expenditure.basic.amount}"
        "万元，项目支出${budget.expenditure.project.amount}万元。"
    ]
    assert sections["performance_management"] == ["按要求完成年中绩效运行监控。"]
    assert sections["conclusion"] == ["自评得分${score.total}分，等级为“${score.grade}”。"]
    assert sections["effectiveness"] == ["全年完成农田建设3,200亩。"]
    assert sections["efficiency"] == ["预算编制细化到项目。"]
    assert imported.mapping.changes.omit == ["goals"]  # finance is there: not left out
    note = (
        "“部门整体收支情况。”与上一节的正文、其后的正文原在同一段：生成的报告中另起一节，"
        "标题单独一行，标题后的“。”不再印出"
    )
    assert note in imported.notes


def test_a_compact_report_audits_without_missing_sections(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(COMPACT, encoding="utf-8")
    audit = audit_file(source)
    assert [s.finding.code for s in audit.slips if s.finding.code == "R002"] == []


@pytest.mark.parametrize(
    "kept",
    [
        "主要职责：负责经济发展；（二）部门整体收支情况。详见下文。",  # a list item after “；”
        "按照（二）年度总体工作和重点工作任务。全年推进。",  # cited inside a sentence
        "（三）部门整体收支情况。详见下文。",  # out of the sequence: （二） is expected
        # a list of the text's own restarted the count: its （二） is an item, not a section
        "主要职责：（一）负责经济发展。（二）负责公共服务。",
    ],
)
def test_a_label_that_is_no_section_heading_stays_text(kept: str) -> None:
    """… and the layout's heading after it, in the sequence, still starts its section."""
    text = COMPACT.replace("年末实有在职人员86人。（二）", f"年末实有在职人员86人。{kept}（二）")
    sections = _sections(text)
    assert sections["functions"] == [
        f"某某镇人民政府负责辖区经济发展和公共服务，年末实有在职人员86人。{kept}"
    ]
    assert sections["annual_work"][0]["intro"] == "全年以乡村振兴为主线，"
    assert sections["performance_management"] == ["按要求完成年中绩效运行监控。"]


def test_a_heading_of_the_departments_own_run_on_among_run_in_sections_is_a_section() -> None:
    text = COMPACT.replace(
        "年末实有在职人员86人。（二）年度总体工作和重点工作任务。全年以乡村振兴为主线，"
        "一是推进农田建设；二是抓好就业服务。（三）部门整体收支情况。",
        "年末实有在职人员86人。（二）设置机构及人员情况。内设3个办公室。"
        "（三）年度总体工作和重点工作任务。全年以乡村振兴为主线，"
        "一是推进农田建设；二是抓好就业服务。（四）部门整体收支情况。",
    ).replace("（四）部门整体绩效管理情况", "（五）部门整体绩效管理情况")
    imported = import_report_text(text, layout="default")
    [own] = imported.mapping.changes.extra_sections
    assert (own.heading, own.after) == ("设置机构及人员情况", "functions")
    sections = {s.key: s.blocks for s in imported.sections}
    assert sections[own.key] == ["内设3个办公室。"]
    assert sections["performance_management"] == ["按要求完成年中绩效运行监控。"]


@pytest.mark.parametrize(
    "joined",
    [
        "（二）年度总体工作和重点工作任务：全年",  # a colon
        "（二）年度总体工作和重点工作任务 全年",  # a space, no mark
        "（二）年度总体工作和重点工作任务全年",  # nothing: a layout's long heading, whole
    ],
)
def test_a_run_on_heading_is_parted_from_its_text_as_a_run_in_one_is(joined: str) -> None:
    text = COMPACT.replace("（二）年度总体工作和重点工作任务。全年", joined)
    sections = _sections(text)
    assert sections["functions"] == [
        "某某镇人民政府负责辖区经济发展和公共服务，年末实有在职人员86人。"
    ]
    assert sections["annual_work"][0]["intro"] == "全年以乡村振兴为主线，"


@pytest.mark.parametrize(
    ("typed", "chapter"),
    [
        ("一、部门基本情况（一）", "一、部门基本情况\n（一）"),
        ("二、绩效自评情况（一）", "二、绩效自评情况\n（一）"),
    ],
)
def test_a_chapters_first_section_run_into_its_heading_is_that_section(
    typed: str, chapter: str
) -> None:
    """“一、部门基本情况（一）部门职能。……”: the （一） is the first section's label, no note in
    brackets of the chapter's heading."""
    imported = import_report_text(COMPACT.replace(chapter, typed), layout="default")
    sections = {s.key: s.blocks for s in imported.sections}
    assert sections["functions"] == [
        "某某镇人民政府负责辖区经济发展和公共服务，年末实有在职人员86人。"
    ]
    assert sections["conclusion"] == ["自评得分${score.total}分，等级为“${score.grade}”。"]
    assert imported.mapping.changes.notes == {}
    assert imported.mapping.changes.chapter_bodies == []
