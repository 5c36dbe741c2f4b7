"""Chapters typed “第一部分”, “第一章” or “第一节” are chapters as “一、” are; text an import could
not put under a heading is kept in the draft, said where; a long note is cut between words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.findings import clip
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.labels import Label, split_label

runner = CliRunner()

CHAPTERS = ("部门基本情况", "绩效自评情况", "存在的主要问题", "下一步改进措施")
SECTIONS = {
    "部门基本情况": [
        ("部门职能", "本局负责全区的测试工作，承担测试标准的制定和组织实施。"),
        ("年度总体工作和重点工作任务", "全年完成测试任务，测试覆盖全区所有街道和重点企业。"),
        ("部门整体绩效管理情况", "按要求开展绩效目标管理、运行监控和绩效自评工作。"),
    ],
    "绩效自评情况": [
        (
            "自评结论",
            "全年支出1,000.00万元，其中基本支出600.00万元，项目支出400.00万元。自评得分95.00分。",
        ),
        ("履职效能分析", "完成年度各项测试任务，服务对象满意度明显提高。"),
        ("管理效率分析", "预算编制规范，资产管理和政府采购合法合规。"),
    ],
}
BODIES = {
    "存在的主要问题": "个别项目受采购周期影响，上半年支出进度偏慢。",
    "下一步改进措施": "加强预算执行监控，建立项目支出月度通报机制。",
}
CN = "一二三四"


def report(chapter: str, section: str) -> str:
    """The small report with its chapters labelled ``chapter`` and sections ``section`` (“{}”
    stands for the Chinese numeral)."""
    lines = ["附件1", "2024年度测试局", "部门整体支出绩效自评报告"]
    for n, heading in enumerate(CHAPTERS):
        lines.append(chapter.format(CN[n]) + heading)
        for m, (title, text) in enumerate(SECTIONS.get(heading, [])):
            lines += [section.format(CN[m]) + title, text]
        if heading in BODIES:
            lines.append(BODIES[heading])
    return "\n".join(lines) + "\n"


def draft_of(text: str, tmp_path: Path, name: str) -> str:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return draft_text(import_report(source))


def without_source_line(draft: str) -> list[str]:
    return [line for line in draft.split("\n") if "由 reportgen import 从" not in line]


PLAIN = ("{}、", "（{}）")


@pytest.mark.parametrize(
    ("chapter", "section", "notes"),
    [
        (
            "第{}部分 ",
            "（{}）",
            ["原文的章编为“第一部分”“第二部分”……，生成的报告按版式编为“一、”“二、”……"],
        ),
        (
            "第{}部分：",
            "（{}）",
            ["原文的章编为“第一部分”“第二部分”……，生成的报告按版式编为“一、”“二、”……"],
        ),
        (
            "第{}章 ",
            "（{}）",
            ["原文的章编为“第一章”“第二章”……，生成的报告按版式编为“一、”“二、”……"],
        ),
        (
            "第{}节 ",
            "（{}）",
            ["原文的章编为“第一节”“第二节”……，生成的报告按版式编为“一、”“二、”……"],
        ),
        (  # 第一章 over 第一节: the 节 are its sections
            "第{}章 ",
            "第{}节 ",
            [
                "原文的章编为“第一章”“第二章”……，生成的报告按版式编为“一、”“二、”……",
                "“部门基本情况”下的节原文编为“第一节”“第二节”……，生成的报告按版式编为“（一）”“（二）”……",
                "“绩效自评情况”下的节原文编为“第一节”“第二节”……，生成的报告按版式编为“（一）”“（二）”……",
            ],
        ),
        (  # 第一部分 over 一、: the 一、 are its sections
            "第{}部分 ",
            "{}、",
            [
                "原文的章编为“第一部分”“第二部分”……，生成的报告按版式编为“一、”“二、”……",
                "“部门基本情况”下的节原文编为“一、”“二、”……，生成的报告按版式编为“（一）”“（二）”……",
                "“绩效自评情况”下的节原文编为“一、”“二、”……，生成的报告按版式编为“（一）”“（二）”……",
            ],
        ),
    ],
)
def test_chapters_typed_otherwise_import_as_with_yi(
    chapter: str, section: str, notes: list[str], tmp_path: Path
) -> None:
    plain = without_source_line(draft_of(report(*PLAIN), tmp_path, "plain.txt"))
    source = tmp_path / "typed.txt"
    source.write_text(report(chapter, section), encoding="utf-8")
    imported = import_report(source)
    assert imported.chapters == 4
    assert imported.notes == notes
    typed = without_source_line(draft_text(imported))
    # the same draft, with what reportgen numbers otherwise said among what to check
    said = ["#", "# 未能自动放置、需要人工核对的内容：", *(f"#   - {note}" for note in notes)]
    assert typed == [*plain[:2], *said, *plain[2:]]
    assert "  measures:\n    - 加强预算执行监控，建立项目支出月度通报机制。\n" in "\n".join(typed)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("第一部分 部门概况", Label("part", 1, "部门概况")),
        ("第二部分：绩效自评情况", Label("part", 2, "绩效自评情况")),
        ("第十二部分、其他", Label("part", 12, "其他")),
        ("第3章 存在问题", Label("part", 3, "存在问题")),
        ("第 四 篇 改进措施", Label("part", 4, "改进措施")),
        ("第一节 部门职能", Label("jie", 1, "部门职能")),
        ("第一季度支出偏慢", None),
        ("第一部分", None),
    ],
)
def test_di_labels(text: str, label: Label | None) -> None:
    assert split_label(text) == label


def test_with_no_chapter_the_text_is_kept_and_its_figures_read(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(
        "2024年度测试局部门整体支出绩效自评报告\n"
        "部门概况\n"
        "本局负责全区的测试工作，全年支出19,845.27万元，预算执行率98.21%。\n"
        "自评得分96.40分。\n",
        encoding="utf-8",
    )
    target = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 1
    note = (
        "没有找到“一、”这样的一级标题，全文无法分节：标题之后的 3 段文字（“部门概况”起）"
        "都放在“部门概况”一节，请按原文的章节分开"
    )
    assert f"  需要核对：{note}" in result.output.splitlines()
    draft = target.read_text(encoding="utf-8")
    assert draft.startswith("# 2024年度测试局部门整体支出绩效自评报告\n")
    assert "    total: 19845.27  # 原文：" in draft
    assert "  total: 96.40  # 原文：“自评得分96.40分。”" in draft
    assert draft.endswith(
        "sections:\n"
        "  # 部门概况\n"
        "  functions:\n"
        f"    - 部门概况  # 【待核对】{note}\n"
        "    - 本局负责全区的测试工作，全年支出${budget.expenditure.total}万元，"
        "预算执行率${budget.execution_rate}。\n"
        "    - 自评得分96.40分。\n\n"
    )


def test_text_between_the_title_and_the_first_chapter_is_kept(tmp_path: Path) -> None:
    """In the layout's preface (every built-in layout has one), unmarked; tests/test_preface.py
    has a layout without one, where it stays marked at the head of the first section."""
    lines = report(*PLAIN).split("\n")
    lines.insert(3, "为做好绩效自评工作，现将有关情况报告如下：")
    imported_draft = draft_of("\n".join(lines), tmp_path, "lead.txt")
    assert "【待核对】" not in imported_draft
    assert (
        "sections:\n"
        "  # 前言\n"
        "  preface:\n"
        "    - 为做好绩效自评工作，现将有关情况报告如下：\n\n"
        "  # 部门职能\n"
        "  functions:\n"
        "    - 本局负责全区的测试工作，承担测试标准的制定和组织实施。\n"
    ) in imported_draft
    assert imported_draft.startswith("# 2024年度测试局部门整体支出绩效自评报告\n")


@pytest.mark.parametrize(
    ("text", "most", "clipped"),
    [
        ("短文字", 10, "短文字"),
        ("原文标题为“第一部分”；reportgen 的标题总是", 16, "原文标题为“第一部分”；"),
        ("甲乙丙丁戊己庚辛壬癸" * 3 + "reportgen", 34, "甲乙丙丁戊己庚辛壬癸" * 3),
        ("甲乙丙丁戊己庚辛壬癸甲乙支出19,845.27万元", 18, "甲乙丙丁戊己庚辛壬癸甲乙支出"),
        ("甲乙丙丁戊己庚辛壬癸甲乙丙${budget.total}万元", 20, "甲乙丙丁戊己庚辛壬癸甲乙丙"),
    ],
)
def test_a_long_text_is_cut_between_words(text: str, most: int, clipped: str) -> None:
    assert clip(text, most) == clipped


def test_no_note_on_the_terminal_is_cut_in_a_word(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    title = "2024年度测试局部门整体支出绩效自评报告"
    heading = "部门基本情况说明" * 6  # a long title line the title keeps
    source.write_text(f"{title}（{heading}）\n一、部门基本情况\n负责测试。\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "d.yaml")])
    [line] = [line for line in result.output.splitlines() if "原文标题为" in line]
    cut = re.search(r"(.)…（共 \d+ 字）$", line)
    assert cut is not None and not cut.group(1).isascii(), line
