"""``reportgen import``: a report whose outline differs from its layout's — a section of its own,
a heading worded otherwise or with a note, a section left out, a chapter as one body — comes
back as the department's ``outline:`` and renders back to the same text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.check.validate import validate_text
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.labels import split_note
from reportgen.importer.outline import layout_outlines
from tests.readback import DATA, render_file, texts
from tests.test_import import SYNTHETIC, import_report_text, plain, render_draft

# As reportgen prints it (so the text can come back whole): （二） is the department's own,
# （三） is worded otherwise, （四） carries a note, 部门整体支出绩效目标 is left out, 二、 is
# one body, and 二、's heading is worded otherwise too.
OWN_OUTLINE = """附件1
2024年度某某区档案馆部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能
本馆负责全区档案的接收、保管和利用。主要职责是：
1.贯彻执行档案工作的法律法规。
2.负责接收、征集、保管全区各类档案。
（二）设置机构及人员情况
内设3个科室，年末实有在编人员21人。
（三）年度主要工作任务
全年完成馆藏档案数字化扫描46万画幅，库房设备运行正常。
（四）部门整体收支情况（以决算数为统计口径）
2024年度调整预算1,200.00万元，全年支出1,150.00万元，预算执行率为95.83%。
（五）部门整体绩效管理情况
按要求编制绩效目标，按季度开展绩效运行监控。
二、绩效自评开展情况
2024年度部门整体支出绩效自评得分为95.5分，自评等级为“优”。
全年各项工作任务均按计划完成，资金使用规范。
三、存在的主要问题
一是档案开发利用深度不够；二是绩效目标有待细化。
四、下一步改进措施
（一）加强档案资源开发利用
依托数字化成果开展专题编研。
（二）提升绩效目标编制质量
细化量化各项绩效指标。
"""


def draft_of(text: str, tmp_path: Path, name: str = "report.txt") -> str:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return draft_text(import_report(source))


def body(lines: list[str]) -> list[str]:
    """The paragraphs from the first chapter heading on (the title may break otherwise)."""
    lines = [line for line in lines if line.strip()]
    return lines[lines.index("一、部门基本情况") :]


def test_own_outline_comes_back_as_the_departments_outline(tmp_path: Path) -> None:
    draft = draft_of(OWN_OUTLINE, tmp_path)
    assert [f.as_text() for f in validate_text(draft, "draft.yaml").findings] == []
    data = yaml.safe_load(draft)
    assert data["layout"] == "default"
    assert data["outline"] == {
        "headings": {"annual_work": "年度主要工作任务", "evaluation": "绩效自评开展情况"},
        "notes": {"finance": "以决算数为统计口径"},
        "extra_sections": [
            {"key": "extra_1", "heading": "设置机构及人员情况", "after": "functions"}
        ],
        "omit": ["goals"],
        "chapter_bodies": ["evaluation"],
    }
    assert data["sections"]["extra_1"] == ["内设3个科室，年末实有在编人员21人。"]
    assert data["sections"]["evaluation"][1] == "全年各项工作任务均按计划完成，资金使用规范。"
    rendered = render_draft(draft, tmp_path / "again")
    assert body(rendered) == body(OWN_OUTLINE.splitlines())
    assert plain(rendered) == plain(OWN_OUTLINE.splitlines())


def test_sections_of_its_own_keep_their_places(tmp_path: Path) -> None:
    """One before the first section, two in a row after the last."""
    text = OWN_OUTLINE.replace(
        "（一）部门职能", "（一）单位简介\n本馆成立于1959年。\n（二）部门职能"
    )
    text = text.replace("（二）设置机构", "（三）设置机构").replace("（三）年度", "（四）年度")
    text = text.replace("（四）部门整体收支", "（五）部门整体收支")
    text = text.replace(
        "（五）部门整体绩效管理情况\n按要求编制绩效目标，按季度开展绩效运行监控。\n",
        "（六）部门整体绩效管理情况\n按要求编制绩效目标，按季度开展绩效运行监控。\n"
        "（七）上年度问题整改情况\n均已整改。\n（八）其他需要说明的情况\n无。\n",
    )
    draft = draft_of(text, tmp_path)
    assert not [f for f in validate_text(draft, "draft.yaml").findings if f.is_error]
    assert yaml.safe_load(draft)["outline"]["extra_sections"] == [
        {"key": "extra_1", "heading": "单位简介", "before": "functions"},
        {"key": "extra_2", "heading": "设置机构及人员情况", "after": "functions"},
        {"key": "extra_3", "heading": "上年度问题整改情况", "after": "performance_management"},
        {"key": "extra_4", "heading": "其他需要说明的情况", "after": "extra_3"},
    ]
    rendered = render_draft(draft, tmp_path / "again")
    assert body(rendered) == body(text.splitlines())


def test_a_chapter_whose_headings_are_no_sections_is_one_body_with_items(tmp_path: Path) -> None:
    text = OWN_OUTLINE.replace(
        "全年各项工作任务均按计划完成，资金使用规范。\n",
        "（一）档案接收工作\n全年接收档案1.2万卷。\n（二）档案利用服务\n"
        "全年接待查档群众3000人次。\n",
    )
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    imported = import_report(source)
    assert imported.mapping.changes.chapter_bodies == ["evaluation"]
    assert [n for n in imported.notes if "整章作为一段正文" in n]
    evaluation = next(s for s in imported.sections if s.key == "evaluation").blocks
    assert evaluation[1:] == [
        {"title": "档案接收工作", "body": ["全年接收档案1.2万卷。"]},
        {"title": "档案利用服务", "body": ["全年接待查档群众3000人次。"]},
    ]
    draft = draft_text(imported)
    assert not [f for f in validate_text(draft, "draft.yaml").findings if f.is_error]
    rendered = render_draft(draft, tmp_path / "again")
    assert body(rendered) == body(text.splitlines())


def test_sections_out_of_the_layouts_order_keep_its_order_with_a_note() -> None:
    source = SYNTHETIC.read_text(encoding="utf-8")
    goals = "（三）部门整体支出绩效目标\n全面完成年度目标任务。\n"
    work = source[source.index("（二）年度总体") : source.index("（三）")]
    swapped = source.replace(work, "").replace(goals, goals.replace("（三）", "（二）") + work)
    swapped = swapped.replace("（二）年度总体", "（三）年度总体")
    with_default = import_report_text(swapped, layout="default")
    changes = with_default.mapping.changes
    # nothing invented: the one section of its own is the synthetic report's （四）
    assert [e.heading for e in changes.extra_sections] == ["其他需要说明的情况"]
    assert changes.omit == []
    assert [s.key for s in with_default.sections][:3] == ["functions", "annual_work", "goals"]
    assert (
        "“部门整体支出绩效目标”印在“年度总体工作和重点工作任务”之后，版式中在其前："
        "草稿按版式的顺序排列，请核对"
        in with_default.notes
        or "“年度总体工作和重点工作任务”印在“部门整体支出绩效目标”之后，版式中在其前："
        "草稿按版式的顺序排列，请核对"
        in with_default.notes
    )
    chosen = import_report_text(swapped)
    assert (chosen.mapping.layout, chosen.notes) == ("panyu", [])


def test_only_an_optional_section_left_out_is_omitted() -> None:
    text = SYNTHETIC.read_text(encoding="utf-8")
    text = text.replace("（三）部门整体支出绩效目标\n全面完成年度目标任务。\n", "")
    text = text.replace("（三）管理效率分析\n①预算管理规范。\n②资产管理规范。\n", "")
    text = text.replace("（一）自评结论\n", "").replace("（二）履职效能", "（一）履职效能")
    imported = import_report_text(text)
    # 自评结论 would be generated from the score: left out, it is omitted too
    assert imported.mapping.changes.omit == ["goals", "conclusion"]
    findings = validate_text(draft_text(imported), "draft.yaml").findings
    assert [(f.code, f.path) for f in findings if f.is_error] == [
        ("R002", ("sections", "efficiency"))
    ]


def test_a_chapter_the_layout_lacks_stays_a_titled_item() -> None:
    text = SYNTHETIC.read_text(encoding="utf-8") + "五、其他事项\n无。\n"
    imported = import_report_text(text)
    measures = next(s for s in imported.sections if s.key == "measures").blocks
    assert measures[-1]["body"][-1] == {"title": "其他事项", "body": ["无。"]}
    assert imported.notes == [
        "原文第五章“其他事项”是版式 default 没有的一章，outline 只能增加节、不能增加章："
        "这一章连同其下的文字放在上一节 measures（下一步改进措施）末尾，作为带小标题的条目，"
        "生成的报告中不再单独成章；如需单独成章，请用 reportgen layout new 新建一个有这一章的版式"
    ]
    # said again where the chapter went
    draft = draft_text(imported)
    at = draft.index("  measures:")
    assert draft[:at].endswith(
        "  # 下一步改进措施\n  # 注意：末尾的条目“其他事项”原是第五章，版式中没有，见文件开头的说明\n"
    )


def test_a_chapter_worded_as_a_section_the_report_does_not_print_otherwise_is_that_section() -> (
    None
):
    text = SYNTHETIC.read_text(encoding="utf-8")
    text = text.replace("（三）部门整体支出绩效目标\n全面完成年度目标任务。\n", "")
    text = text.replace("四、下一步改进措施", "五、下一步改进措施")
    text = text.replace("三、存在的主要问题", "四、存在的主要问题")
    text = text.replace(
        "二、绩效自评情况",
        "二、部门整体支出绩效目标\n（一）总体目标\n全面完成年度目标任务。\n"
        "（二）年度目标\n完成十项任务。\n三、绩效自评情况",
    )
    imported = import_report_text(text, layout="default")
    goals_blocks = next(s for s in imported.sections if s.key == "goals").blocks
    assert goals_blocks == [
        {"title": "总体目标", "body": ["全面完成年度目标任务。"]},
        {"title": "年度目标", "body": ["完成十项任务。"]},
    ]
    assert "goals" not in imported.mapping.changes.omit
    assert (
        "原文第二章“部门整体支出绩效目标”在版式 default 中是“部门基本情况”下的一节（goals）："
        "草稿按版式的位置排列，请核对"
    ) in imported.notes


def test_a_section_of_its_own_after_one_printed_out_of_its_chapter_stays_in_its_chapter() -> None:
    """“二、绩效自评情况 （一）绩效管理情况 （二）主要履职绩效 （三）自评结论”: （一） belongs to
    chapter 一 in the layout; （二）, the department's own, stays in chapter 二, before 自评结论."""
    text = SYNTHETIC.read_text(encoding="utf-8")
    management = text[text.index("（五）部门整体绩效管理情况") : text.index("二、绩效自评情况")]
    text = text.replace(management, "")
    text = text.replace(
        "二、绩效自评情况\n（一）自评结论\n",
        "二、绩效自评情况\n"
        + management.replace("（五）", "（一）")
        + "（二）主要履职绩效\n全年完成签约服务31.2万人。\n（三）自评结论\n",
    )
    text = text.replace("（二）履职效能分析", "（四）履职效能分析")
    text = text.replace("（三）管理效率分析", "（五）管理效率分析")
    text = text.replace("（四）其他需要说明的情况", "（六）其他需要说明的情况")
    imported = import_report_text(text, layout="default")
    own = [e for e in imported.mapping.changes.extra_sections if e.heading == "主要履职绩效"]
    assert [(e.after, e.before) for e in own] == [(None, "conclusion")]


def test_a_heading_with_a_note_run_into_its_text_is_split() -> None:
    """As a PDF line wrap joins them: the note's closing bracket ends the heading."""
    text = OWN_OUTLINE.replace("（以决算数为统计口径）\n", "（以决算数为统计口径）")
    imported = import_report_text(text)
    assert imported.mapping.changes.notes == {"finance": "以决算数为统计口径"}
    finance = next(s for s in imported.sections if s.key == "finance").blocks
    assert finance == [
        "${year}年度调整预算${budget.adjusted}万元，全年支出${budget.expenditure.total}万元，"
        "预算执行率为${budget.execution_rate}。"
    ]


@pytest.mark.parametrize(
    ("heading", "split"),
    [
        ("部门整体收支情况（以决算数为统计口径）", ("部门整体收支情况", "以决算数为统计口径")),
        ("部门整体收支情况（单位：万元）", ("部门整体收支情况", "单位：万元")),
        ("部门整体收支情况", ("部门整体收支情况", None)),
        ("（注）", ("（注）", None)),  # nothing before the brackets
        ("收支（决算）情况", ("收支（决算）情况", None)),  # not at the end
        ("收支情况（甲（乙））", ("收支情况（甲（乙））", None)),  # nested
        ("收支情况()", ("收支情况()", None)),  # reportgen prints full-width brackets
    ],
)
def test_a_note_is_the_bracketed_end_of_a_heading(heading: str, split: tuple[str, Any]) -> None:
    assert split_note(heading) == split


# ---- every layout: a department's changes, rendered, imported, rendered again -----------------

EXAMPLE_OF = {"default": "nansha-party-office-2023", "panyu": "panyu-gov-office-2023"}
EXAMPLE_OF["huadu"] = "huadu-gov-office-2022"


def _changes(layout: str) -> list[tuple[str, dict[str, Any], str]]:
    """(name, outline changes, extra text of ``sections``) made from the layout's own outline."""
    shape = layout_outlines()[layout]
    first, second = shape.chapters[0].sections[:2]
    last = shape.chapters[1].sections[-1]
    optional = [  # those a department writes, not generated from the figures
        s.key
        for c in shape.spec.chapters
        for s in c.sections
        if s.key in shape.optional and s.from_facts is None
    ]
    return [
        (
            "own-sections",
            {
                "extra_sections": [
                    {"key": "staffing", "heading": "机构设置及人员情况", "after": first[0]},
                    {"key": "other", "heading": "其他需要说明的情况", "after": last[0]},
                ]
            },
            "  staffing: 内设3个科室。\n  other: 无。\n",
        ),
        ("renamed", {"headings": {second[0]: second[1][2:]}, "notes": {last[0]: "单位：万元"}}, ""),
        ("omitted", {"omit": optional[-1:]}, ""),
    ]


CASES = [(layout, *change) for layout in EXAMPLE_OF for change in _changes(layout)]


@pytest.mark.parametrize(
    ("layout", "name", "outline", "sections"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_changes_of_every_layout_come_back(
    tmp_path: Path, layout: str, name: str, outline: dict[str, Any], sections: str
) -> None:
    example = (DATA / f"{EXAMPLE_OF[layout]}.yaml").read_text(encoding="utf-8")
    written = yaml.safe_dump({"outline": outline}, allow_unicode=True)
    source = tmp_path / "data.yaml"
    source.write_text(example.replace("\nsections:", f"\n{written}sections:") + sections, "utf-8")
    first = render_file(source, tmp_path / "first")
    imported = import_report(first)
    assert (imported.mapping.layout, imported.notes) == (layout, [])
    found = imported.mapping.changes.model_dump(exclude_defaults=True)
    expected = dict(outline)
    if "extra_sections" in expected:
        expected["extra_sections"] = [
            extra | {"key": f"extra_{n}"} for n, extra in enumerate(expected["extra_sections"], 1)
        ]
    assert found == expected
    again = render_draft(draft_text(imported), tmp_path / "again")
    assert again == texts(first)


@pytest.mark.parametrize(
    "joined",
    [
        "（二）年度总体工作和重点工作任务 全年围绕中心工作，",  # a space
        "（二）年度总体工作和重点工作任务\u3000全年围绕中心工作，",  # a full-width space
        "（二）年度总体工作和重点工作任务全年围绕中心工作，",  # nothing: a long heading, whole
    ],
)
def test_a_section_heading_run_into_its_text_without_a_mark_is_parted_and_marked(
    joined: str,
) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n全年围绕中心工作，", joined
    )
    imported = import_report_text(text)
    [work] = [s.blocks for s in imported.sections if s.key == "annual_work"]
    assert work == [
        {"intro": "全年围绕中心工作，", "joined": ["抓好统筹协调", "抓好督查督办", "抓好服务保障"]}
    ]
    note = "“年度总体工作和重点工作任务”与其后的正文原在同一段：生成的报告中标题单独一行"
    assert note in imported.notes
    draft = draft_text(imported)
    findings = validate_text(draft, "draft.yaml").findings
    [doubt] = [f for f in findings if f.code == "R012"]
    line = draft.split("\n")[doubt.location.line - 1] if doubt.location else ""
    assert line.startswith("    - intro: 全年围绕中心工作，") and line.endswith(
        f"# 【待核对】{note}"
    )


def test_the_mark_of_a_run_in_heading_stays_when_its_text_begins_with_the_year() -> None:
    """The text's year becomes ${year} in the draft: the mark is placed by its other words."""
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n全年围绕中心工作，",
        "（二）年度总体工作和重点工作任务 2024 年全年围绕中心工作，",
    )
    draft = draft_text(import_report_text(text))
    assert "    - intro: ${year} 年全年围绕中心工作，  # 【待核对】" in draft
    findings = validate_text(draft, "draft.yaml").findings
    assert [f.code for f in findings if f.code == "R012"] == ["R012"]


@pytest.mark.parametrize(
    "sentence",
    [
        "（二）部门职能是负责全区某某工作，",  # a short heading, then words: a sentence
        "（二）年度总体工作 全年围绕中心工作，",  # not a layout's heading
    ],
)
def test_a_sentence_after_a_label_is_not_taken_for_a_heading(sentence: str) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n全年围绕中心工作，", sentence
    )
    imported = import_report_text(text)
    assert not [n for n in imported.notes if "与其后的正文原在同一段" in n]


def test_a_markdown_heading_line_holding_the_start_of_its_text_imports_as_the_plain_text() -> None:
    """A converter made “### （二）标题 正文的开头” a heading: parted, and its text joined again."""
    plain_text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n全年围绕中心工作，",
        "（二）年度总体工作和重点工作任务 全年围绕中心工作，",
    )
    markdown = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n全年围绕中心工作，",
        "### （二）年度总体工作和重点工作任务 全年围绕\n中心工作，",
    )
    drafts = [draft_text(import_report_text(t)).split("\n") for t in (markdown, plain_text)]
    assert drafts[0][2:] == drafts[1][2:]  # the second line names the (temporary) file


def test_a_markdown_chapter_heading_line_holding_the_start_of_its_text_is_rejoined() -> None:
    """The same for a chapter's heading: its cut text joins the next line again."""
    original = "三、存在的主要问题\n一是预算执行均衡性有待提高；"
    plain_text = SYNTHETIC.read_text(encoding="utf-8").replace(
        original, "三、存在的主要问题 一是预算执行均衡性有待提高；"
    )
    markdown = SYNTHETIC.read_text(encoding="utf-8").replace(
        original, "## 三、存在的主要问题 一是预算\n执行均衡性有待提高；"
    )
    imported = import_report_text(markdown)
    [problems] = [s.blocks for s in imported.sections if s.key == "problems"]
    assert problems == [{"joined": ["预算执行均衡性有待提高", "绩效指标有待细化"]}]
    drafts = [draft_text(import_report_text(t)).split("\n") for t in (markdown, plain_text)]
    assert drafts[0][2:] == drafts[1][2:]


def test_a_heading_with_a_space_inside_is_not_parted_there() -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（二）年度总体工作和重点工作任务\n", "（二）年度总体工作 和重点工作任务\n"
    )
    imported = import_report_text(text)
    assert not [n for n in imported.notes if "与其后的正文原在同一段" in n]
    [work] = [s.blocks for s in imported.sections if s.key == "annual_work"]
    assert work[0]["intro"] == "全年围绕中心工作，"
