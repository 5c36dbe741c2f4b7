"""Numbered headings run into their text (issue 17): parted from it where the siblings show the
list is one of headings, listed in the notes and warned of at their line (R012) until checked;
a list of headings typed run in (“标题。正文”) prints as published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reportgen.check.validate import validate_text
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.assemble import Imported
from reportgen.importer.draft import draft_text

TITLE = "2024年度某某区某某局部门整体支出绩效自评报告"
FUNCTIONS = [
    "负责全区某某工作的统筹协调，组织起草综合性文件和报告，承担会议的组织安排和督促检查工作，"
    "协调推进各项重点工作任务的落实。",
    "负责区政府信息公开工作，指导、协调全区政务公开工作，组织办理人大代表建议和政协提案。",
    "负责收集、报送领导参阅的信息资料，指导、考核全区政务信息工作，承办上级交办的其他事项。",
]
HEADINGS = [
    "坚持政治引领，筑牢思想根基，彰显新作为",
    "立足中心，服务大局，在推动高质量发展中见担当",
    "优化服务，提升效能，展现新面貌",
]
TEXTS = [
    "今年以来，我局坚持把政治建设摆在首位，深入学习贯彻党的二十大精神，组织专题学习十二次，"
    "全面提升干部队伍政治素质和履职能力。",
    "今年以来，我局围绕区委区政府中心工作，统筹推进各项重点任务，完成专项督查二十余次，"
    "推动一批重点项目落地见效，全面加强监督检查。",
    "全年办理群众来信来访一千余件，办结率达到百分之百，群众满意度稳步提升，政务服务事项全部"
    "实现网上可办。",
]
REST = [
    "（三）部门整体支出绩效目标",
    "全面完成年度目标任务，各项工作取得明显成效，群众满意度进一步提升。",
    "（四）部门整体收支情况",
    "2024年度年初预算 1,000.00万元，调整预算 1,200.00万元。全年支出 1,150.00万元，预算执行率为 95.83%。",
    "二、绩效自评情况",
    "（一）自评结论",
    "自评得分为 95.5分，自评等级为“优”。",
    "三、存在的主要问题",
    "预算执行均衡性有待提高，个别项目支出进度偏慢，绩效目标设置还不够细化。",
    "四、下一步改进措施",
    "加强预算执行管理，按月分解支出计划，及时跟踪项目进度，科学设置绩效指标。",
]


def report(items: list[str]) -> list[str]:
    """The report's paragraphs with ``items`` in its 年度总体工作和重点工作任务."""
    head = [TITLE, "一、部门基本情况", "（一）部门职能", *FUNCTIONS]
    return [*head, "（二）年度总体工作和重点工作任务", *items, *REST]


def wrapped(paragraphs: list[str], width: int, indent: bool = False) -> str:
    """Paragraphs as pdftotext prints them: wrapped at ``width`` characters, a paragraph's first
    line indented by four spaces with pdftotext -layout (``indent``), headings not."""
    lines: list[str] = []
    for paragraph in paragraphs:
        first = indent and not paragraph.startswith(("一", "二", "三", "四", "（", "1", "2", "3"))
        text = ("\u3000\u3000" if first else "") + paragraph
        for at in range(0, len(text), width):
            line = text[at : at + width]
            lines.append(line.replace("\u3000\u3000", "    ", 1) if at == 0 and first else line)
    return "\n".join(lines) + "\n"


def imported(text: str, tmp_path: Path) -> Imported:
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    return import_report(source)


def annual_work(result: Imported) -> list[Any]:
    return next(s for s in result.sections if s.key == "annual_work").blocks


def titled(headings: list[str] = HEADINGS) -> list[dict[str, Any]]:
    return [{"title": h, "body": [t]} for h, t in zip(headings, TEXTS, strict=True)]


def split_note(heading: str, after: str, dropped: str = "") -> str:
    note = f"小标题“{heading}{dropped}”与其后的正文“{after[:12]}……”原文连在一起，已分开：生成的报告中标题单独一行"
    if dropped:
        note += f"，标题后的“{dropped}”不再印出"
    return note + "；如原文本是一段，请把标题与正文接回一项"


def run_in_notes(result: Imported) -> list[str]:
    return [n for n in result.notes if "小标题" in n]


@pytest.mark.parametrize(
    ("label", "width", "ran_in"),
    [("{n}、", 22, [0]), ("{n}.", 22, [0]), ("（{n}）", 22, [0, 2]), ("{n}．", 22, [0])],
)
def test_a_heading_that_fills_its_line_is_parted_from_the_text_joined_to_it(
    label: str, width: int, ran_in: list[int], tmp_path: Path
) -> None:
    """pdftotext without -layout: a heading that (nearly) fills its line had the line after it
    joined to it (under 4.5 characters short of it: rejoin.py's threshold for a labelled first
    line); its siblings stand over their text."""
    items = [f"{label.format(n=n)}{h}" for n, h in enumerate(HEADINGS, 1)]
    paragraphs = [p for pair in zip(items, TEXTS, strict=True) for p in pair]
    result = imported(wrapped(report(paragraphs), width), tmp_path)
    assert annual_work(result) == titled()
    assert run_in_notes(result) == [split_note(HEADINGS[n], TEXTS[n]) for n in ran_in]


def test_the_issues_heading_joined_to_a_line_then_cut_at_a_page_break(tmp_path: Path) -> None:
    """“2、立足中心…见担当” joined to its next line, which a page break then cut at “监/督”."""
    items = [f"{n}、{h}" for n, h in enumerate(HEADINGS, 1)]
    text = wrapped(report([p for pair in zip(items, TEXTS, strict=True) for p in pair]), 26)
    assert "\n2、立足中心，服务大局，在推动高质量发展中见担当\n" in text  # 2 short of 26
    assert "全面加强监督检查。\n" in text
    text = text.replace("全面加强监督检查。\n", "全面加强监\n\n— 3 —\n\f督检查。\n")
    result = imported(text, tmp_path)
    blocks = annual_work(result)
    assert blocks[1] == {"title": HEADINGS[1], "body": [TEXTS[1][:-4], "督检查。"]}
    assert run_in_notes(result) == [split_note(HEADINGS[1], TEXTS[1])]
    assert (
        "“项目落地见效，全面加强监”与下一段“督检查。”原文在换页处断开，已分为两段，而句子没有结束；"
        "如是同一段，请把两项接起来"
    ) in result.notes


@pytest.mark.parametrize("gap", ["\u3000", "\u3000\u3000", "  ", "   "])
def test_headings_parted_from_their_text_by_a_gap_are_parted(gap: str, tmp_path: Path) -> None:
    """Text with a paragraph a line (copied from a PDF or Word): a full-width space or two spaces
    between each heading and its text."""
    items = [f"{n}、{h}{gap}{t}" for n, (h, t) in enumerate(zip(HEADINGS, TEXTS, strict=True), 1)]
    result = imported("\n".join(report(items)) + "\n", tmp_path)
    assert annual_work(result) == titled()
    assert run_in_notes(result) == [split_note(h, t) for h, t in zip(HEADINGS, TEXTS, strict=True)]


def test_a_heading_typed_with_a_stop_among_headings_over_their_text_is_parted(
    tmp_path: Path,
) -> None:
    paragraphs = [f"1、{HEADINGS[0]}", TEXTS[0], f"2、{HEADINGS[1]}。{TEXTS[1]}"]
    paragraphs += [f"3、{HEADINGS[2]}", TEXTS[2]]
    result = imported("\n".join(report(paragraphs)) + "\n", tmp_path)
    assert annual_work(result) == titled()
    assert run_in_notes(result) == [split_note(HEADINGS[1], TEXTS[1], "。")]


@pytest.mark.parametrize("mark", ["。", "：", ""])
def test_a_list_whose_every_heading_is_typed_run_in_prints_as_published(
    mark: str, tmp_path: Path
) -> None:
    """“1、标题。正文” in every item is the department's way: kept as typed, nothing to check;
    without a mark nothing says where a heading would end."""
    items = [f"{n}、{h}{mark}{t}" for n, (h, t) in enumerate(zip(HEADINGS, TEXTS, strict=True), 1)]
    result = imported("\n".join(report(items)) + "\n", tmp_path)
    assert annual_work(result) == [{"numbered": [i[2:] for i in items]}]
    assert run_in_notes(result) == []


def test_a_gap_its_siblings_do_not_confirm_is_noted_and_kept(tmp_path: Path) -> None:
    items = [
        "1、负责文件处理工作。",
        "2、负责会议组织工作。",
        "3、督查督办\u3000负责决议的督促检查。",
    ]
    result = imported("\n".join(report(items)) + "\n", tmp_path)
    assert annual_work(result) == [
        {"numbered": ["负责文件处理工作。", "负责会议组织工作。", "督查督办负责决议的督促检查。"]}
    ]
    note = (
        "“督查督办”可能是与正文“负责决议的督促检查。……”连在一起的小标题，草稿中保持原样（照原文印出）；"
        "如是小标题，请把它写作该项的 title，正文写作 body"
    )
    assert note in result.notes
    draft = draft_text(result)
    [line] = [n for n, text in enumerate(draft.splitlines(), 1) if "【待核对】" in text]
    assert (
        draft.splitlines()[line - 1]
        == f"        - 督查督办负责决议的督促检查。  # 【待核对】{note}"
    )


def test_a_heading_run_in_with_nothing_between_among_headings_is_noted(tmp_path: Path) -> None:
    """“2、立足中心，…见担当今年以来，…”: its siblings are headings over their text, but nothing
    says where its own heading ends: kept as typed, and said."""
    paragraphs = [f"1、{HEADINGS[0]}", TEXTS[0], f"2、{HEADINGS[1]}{TEXTS[1]}"]
    paragraphs += [f"3、{HEADINGS[2]}", TEXTS[2]]
    result = imported("\n".join(report(paragraphs)) + "\n", tmp_path)
    blocks = annual_work(result)
    assert blocks[1] == {"text": HEADINGS[1] + TEXTS[1]}
    assert [blocks[0], blocks[2]] == [titled()[0], titled()[2]]
    note = (
        "“立足中心，服务大局，在推……”一项不像同一列表的其他各项那样是单独成行的小标题，可能是小标题与正文"
        "连在了一起（中间没有标点或空格），草稿中保持原样（照原文印出）；如是，请把小标题写作该项的 "
        "title，正文写作 body"
    )
    assert [n for n in result.notes if "小标题" in n] == [note]
    lines = draft_text(result).splitlines()
    [line] = [text for text in lines if "【待核对】" in text]
    assert line == f"    - text: {HEADINGS[1]}{TEXTS[1]}  # 【待核对】{note}"


@pytest.mark.parametrize("indent", [False, True])
def test_headings_over_their_text_are_no_run_in(indent: bool, tmp_path: Path) -> None:
    """Every heading on a line of its own: with and without pdftotext -layout's indentation."""
    items = [f"{n}、{h}" for n, h in enumerate(HEADINGS, 1)]
    texts = [t * 2 for t in TEXTS]  # enough full lines to show the margin
    paragraphs = [p for pair in zip(items, texts, strict=True) for p in pair]
    result = imported(wrapped(report(paragraphs), 30, indent), tmp_path)
    assert annual_work(result) == [
        {"title": h, "body": [t]} for h, t in zip(HEADINGS, texts, strict=True)
    ]
    assert run_in_notes(result) == []


def test_a_parted_heading_is_warned_of_at_its_line_until_the_note_is_removed(
    tmp_path: Path,
) -> None:
    items = [f"{n}、{h}" for n, h in enumerate(HEADINGS, 1)]
    paragraphs = [p for pair in zip(items, TEXTS, strict=True) for p in pair]
    result = imported(wrapped(report(paragraphs), len(items[0]) + 1), tmp_path)
    note = split_note(HEADINGS[0], TEXTS[0])
    draft = draft_text(result)
    lines = draft.splitlines()
    [line] = [n for n, text in enumerate(lines, 1) if "【待核对】小标题" in text]
    assert lines[line - 1] == f"    - title: {HEADINGS[0]}  # 【待核对】{note}"
    assert lines[line] == "      body:"
    warned = [
        f
        for f in validate_text(draft, "d.yaml").findings
        if f.code == "R012" and "小标题" in f.message
    ]
    assert [(format_path(f.path), f.location.line if f.location else 0) for f in warned] == [
        ("sections.annual_work[0].title", line)
    ]
    assert warned[0].message == f"导入时{note}（核对后删去这一行的“# 【待核对】……”注释）"
    checked = draft.replace(f"  # 【待核对】{note}", "")
    assert not [
        f
        for f in validate_text(checked, "d.yaml").findings
        if f.code == "R012" and "小标题" in f.message
    ]
