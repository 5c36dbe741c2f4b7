"""A department's own outline (``outline:`` in its data) and facts it does not publish."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.check.validate import validate_text
from tests.conftest import COMPLETE
from tests.readback import paragraphs, render_data, texts

BASE: dict[str, Any] = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))


def _data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def _headings(docx: Path) -> list[str]:
    return [p.text for p in paragraphs(docx) if p.style in {"ReportHeading1", "ReportHeading2"}]


def _findings(data: dict[str, Any]) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    return [f.as_text() for f in validate_text(text, "case.yaml").findings]


def _after(paras: list[str], heading: str) -> str:
    return paras[paras.index(heading) + 1]


def test_a_renamed_heading(tmp_path: Path) -> None:
    data = _data(outline={"headings": {"functions": "部门概况", "evaluation": "绩效自评结果"}})
    headings = _headings(render_data(data, tmp_path))
    assert headings[:2] == ["一、部门基本情况", "（一）部门概况"]
    assert "二、绩效自评结果" in headings


def test_a_note_after_a_heading(tmp_path: Path) -> None:
    data = _data(outline={"notes": {"finance": "以决算数为统计口径"}})
    assert "（四）部门整体收支情况（以决算数为统计口径）" in _headings(render_data(data, tmp_path))


def test_a_section_of_its_own_is_numbered_in_sequence(tmp_path: Path) -> None:
    data = _data(
        outline={
            "extra_sections": [
                {"key": "staffing", "heading": "设置机构及人员情况", "after": "functions"},
                {"key": "reform", "heading": "机构改革情况", "before": "functions"},
            ]
        }
    )
    data["sections"]["staffing"] = [
        "年末实有人员 30 人。",
        {"title": "在编人员", "body": [{"numbered": ["行政编制 20 人。", "事业编制 10 人。"]}]},
    ]
    data["sections"]["reform"] = "本年度未涉及机构改革。"
    docx = render_data(data, tmp_path)
    assert _headings(docx)[:5] == [
        "一、部门基本情况",
        "（一）机构改革情况",
        "（二）部门职能",
        "（三）设置机构及人员情况",
        "（四）年度总体工作和重点工作任务",
    ]
    paras = texts(docx)
    start = paras.index("（三）设置机构及人员情况")
    assert paras[start + 1 : start + 5] == [
        "年末实有人员 30 人。",
        "1.在编人员",
        "（1）行政编制 20 人。",
        "（2）事业编制 10 人。",
    ]


def test_an_optional_section_left_out_leaves_no_gap(tmp_path: Path) -> None:
    data = _data(outline={"omit": ["goals", "finance"]})
    headings = _headings(render_data(data, tmp_path))
    assert headings[:4] == [
        "一、部门基本情况",
        "（一）部门职能",
        "（二）年度总体工作和重点工作任务",
        "（三）部门整体绩效管理情况",
    ]
    assert _findings(data) == [
        "case.yaml:101:10 警告 R002 sections.goals: outline.omit 略去了“goals”，这一节的内容不会出现在报告中"
    ]


def test_a_chapter_printed_as_one_body(tmp_path: Path) -> None:
    data = _data(outline={"chapter_bodies": ["evaluation"]})
    for key in ("conclusion", "effectiveness", "efficiency"):
        data["sections"].pop(key, None)
    data["sections"]["evaluation"] = "全年自评得分为${score.total}分，各项目标基本完成。"
    docx = render_data(data, tmp_path)
    paras = texts(docx)
    assert _after(paras, "二、绩效自评情况") == "全年自评得分为92.5分，各项目标基本完成。"
    assert paras[paras.index("二、绩效自评情况") + 2] == "三、存在的主要问题"
    assert "指标名称" not in paras  # the indicator table belonged to a section not printed


def test_a_chapter_body_must_be_written() -> None:
    data = _data(outline={"chapter_bodies": ["evaluation"]})
    for key in ("conclusion", "effectiveness", "efficiency"):
        data["sections"].pop(key, None)
    assert _findings(data) == [
        "case.yaml:90:3 错误 R002 sections.evaluation: 缺少必填的一节“绩效自评情况”"
    ]


@pytest.mark.parametrize(
    ("outline", "sections", "expected"),
    [
        (
            {"extra_sections": [{"key": "staffing", "heading": "人员情况", "after": "functions"}]},
            {"stafing": "人员 30 人。"},
            [
                "case.yaml:90:3 错误 R002 sections.staffing: 缺少必填的一节“人员情况”",
                "case.yaml:123:3 错误 S002 sections.stafing: 未知的键“stafing”（是否想写“staffing”？）",
            ],
        ),
        (
            {"extra_sections": [{"key": "staffing", "heading": "人员情况", "after": "fuctions"}]},
            {"staffing": "人员 30 人。"},
            [
                "case.yaml:123:13 警告 R002 sections.staffing: 版式“default”不输出“staffing”这一节，"
                "其内容不会出现在报告中（该版式输出：preface、functions、annual_work、goals、finance、"
                "performance_management、conclusion、effectiveness、efficiency、problems、measures）",
                "case.yaml:128:12 错误 R010 outline.extra_sections[0].after: "
                "版式中没有“fuctions”这一章或节（是否想写“functions”？）；可用：functions、annual_work、"
                "goals、finance、performance_management、conclusion、effectiveness、efficiency、"
                "problems、measures、basics、evaluation",
            ],
        ),
        (
            {"extra_sections": [{"key": "goals", "heading": "目标", "after": "functions"}]},
            {},
            [
                "case.yaml:125:10 错误 R010 outline.extra_sections[0].key: 版式已有“goals”这一章或节"
                "（部门整体支出绩效目标）：若是同一节，删去 outline.extra_sections 中的这一项即可，"
                "正文照旧写在 sections.goals 下（reportgen layout migrate 可代为改写）；若是另一节，请另取键名"
            ],
        ),
        (
            {"extra_sections": [{"key": "staffing", "heading": "人员情况", "after": "basics"}]},
            {"staffing": "人员 30 人。"},
            [
                "case.yaml:123:13 警告 R002 sections.staffing: 版式“default”不输出“staffing”这一节，"
                "其内容不会出现在报告中（该版式输出：preface、functions、annual_work、goals、finance、"
                "performance_management、conclusion、effectiveness、efficiency、problems、measures）",
                "case.yaml:128:12 错误 R010 outline.extra_sections[0].after: “basics”是一章，不是一节："
                "after、before 只能写某一节；要把新节放进这一章，请写 chapter: basics",
            ],
        ),
        (
            {"extra_sections": [{"key": "staffing", "heading": "人员情况", "after": "functions"}]},
            {},
            ["case.yaml:90:3 错误 R002 sections.staffing: 缺少必填的一节“人员情况”"],
        ),
        (
            {"omit": ["efficiency"]},
            {},
            [
                "case.yaml:125:5 错误 R010 outline.omit[0]: “efficiency”（管理效率分析）是必填的一节，不能略去"
            ],
        ),
        (
            {"omit": ["project_spending"]},  # a section of another layout (huadu)
            {},
            [
                "case.yaml:125:5 错误 R010 outline.omit[0]: 版式中没有“project_spending”这一章或节，"
                "也就无须略去：删去这一项即可（换用版式时，reportgen layout migrate 会改写数据中大纲的调整）；"
                "可用：functions、annual_work、goals、finance、performance_management、conclusion、"
                "effectiveness、efficiency、problems、measures、basics、evaluation",
            ],
        ),
        (
            {"chapter_bodies": ["evaluaton"]},
            {},
            [
                "case.yaml:125:5 错误 R010 outline.chapter_bodies[0]: 版式中没有“evaluaton”这一章"
                "（是否想写“evaluation”？）；各章：basics、evaluation、problems、measures",
            ],
        ),
        (
            {"extra_sections": [{"key": "Staff", "heading": "人员情况", "after": "functions"}]},
            {},
            [
                "case.yaml:125:10 错误 S003 outline.extra_sections[0].key: 节的键名须为小写，如 staff",
            ],
        ),
        (
            {"extra_sections": [{"key": "json", "heading": "人员情况", "after": "functions"}]},
            {"json": "人员 30 人。"},
            [
                "case.yaml:123:3 错误 S002 sections.json: 未知的键“json”；此处可用的键：preface, functions, "
                "annual_work, goals, finance, performance_management, conclusion, effectiveness, "
                "efficiency, problems, measures, project_spending, achievements",
                "case.yaml:126:10 错误 S003 outline.extra_sections[0].key: "
                "“json”是保留的名字，不能作节的键名，请换一个",
            ],
        ),
    ],
)
def test_mistakes_in_a_departments_outline(
    outline: dict[str, Any], sections: dict[str, Any], expected: list[str]
) -> None:
    data = _data(outline=outline)
    data["sections"].update(sections)
    assert _findings(data) == expected


# --- facts that are not published ------------------------------------------------------------


def _budget(**changes: Any) -> dict[str, Any]:
    data = _data()
    data["budget"].update(changes)
    return data


def test_total_spending_without_the_split(tmp_path: Path) -> None:
    data = _budget(expenditure={"total": "1140.00"}, income=None)
    del data["budget"]["income"]
    assert _findings(data) == []
    paras = texts(render_data(data, tmp_path))
    assert _after(paras, "（四）部门整体收支情况") == (
        "2024年度年初预算1,000.00万元，调整预算1,200.00万元，全年支出1,140.00万元，"
        "预算执行率为95.00%。年末结转结余11.40万元，结转结余率为1.00%。"
    )
    assert not [p for p in paras if "基本支出" in p or "项目支出" in p]


def test_only_project_spending_with_the_total(tmp_path: Path) -> None:
    data = _budget(
        expenditure={"total": "1140.00", "project": {"amount": "300.00", "budget": "320.00"}}
    )
    assert _findings(data) == []  # R101 needs both parts, R105 both budgets: neither runs
    paras = texts(render_data(data, tmp_path))
    finance = _after(paras, "（四）部门整体收支情况")
    assert "其中项目支出300.00万元，执行率为93.75%。" in finance
    assert "基本支出" not in finance


def test_spending_needs_a_total_without_both_parts() -> None:
    data = _budget(expenditure={"project": "300.00"})
    assert _findings(data) == [
        "case.yaml:26:5 错误 S003 budget.expenditure: "
        "未同时写出基本支出（basic）和项目支出（project）时，须写支出合计（total）"
    ]


def test_income_without_sources(tmp_path: Path) -> None:
    data = _budget(income={"total": "1200.00"})
    assert _findings(data) == []
    finance = _after(texts(render_data(data, tmp_path)), "（四）部门整体收支情况")
    assert "全年收入合计1,200.00万元。年末结转结余" in finance
    assert "占总收入" not in finance


def test_income_needs_a_total_or_sources() -> None:
    data = _budget(income={})
    assert _findings(data) == [
        "case.yaml:16:11 错误 S003 budget.income: 收入须写收入合计（total）或各收入来源（sources）"
    ]


def test_only_an_adjusted_budget(tmp_path: Path) -> None:
    data = _budget()
    del data["budget"]["initial"]
    assert _findings(data) == []
    finance = _after(texts(render_data(data, tmp_path)), "（四）部门整体收支情况")
    assert finance.startswith(
        "2024年度部门预算1,200.00万元，全年支出1,140.00万元，预算执行率为95.00%。"
    )
    assert "年初预算" not in finance


def test_a_score_without_components(tmp_path: Path) -> None:
    data = _data(score={"total": "92.5"})
    assert _findings(data) == []
    paras = texts(render_data(data, tmp_path))
    assert (
        _after(paras, "（一）自评结论")
        == "2024年度部门整体支出绩效自评得分为92.5分，自评等级为“优”。"
    )
    assert "满分" not in "".join(paras)


def test_key_tasks_without_spending(tmp_path: Path) -> None:
    data = _data(
        key_tasks={
            "items": [{"name": "预算编审", "text": "完成全区预算编审"}, {"name": "绩效评价"}]
        }
    )
    data["sections"]["effectiveness"] = [{"key_tasks": "joined"}]
    assert _findings(data) == []
    paras = texts(render_data(data, tmp_path))
    assert _after(paras, "（二）履职效能分析") == "一是预算编审，完成全区预算编审；二是绩效评价。"
    assert not [p for p in paras if "万元" in p and "预算编审" in p]


def test_score_components_without_their_maxima(tmp_path: Path) -> None:
    data = _data(
        score={
            "total": "92.5",
            "components": [
                {"name": "履职效能", "score": "46"},
                {"name": "管理效率", "score": "46.5"},
            ],
        }
    )
    assert _findings(data) == []  # R201 still adds the scores up; R202 has no maxima to check
    paras = texts(render_data(data, tmp_path))
    assert _after(paras, "（一）自评结论") == (
        "2024年度部门整体支出绩效自评得分为92.5分，其中履职效能46分，管理效率46.5分，自评等级为“优”。"
    )
    assert "满分" not in "".join(paras)


def test_score_components_still_add_up_without_maxima() -> None:
    data = _data(score={"total": "93", "components": [{"name": "履职效能", "score": "46"}]})
    assert _findings(data) == [
        "case.yaml:48:10 错误 R201 score.total: 自评得分 93 ≠ 履职效能 46 = 46"
        "（相关字段：score.components[0].score 第51行）"
    ]
