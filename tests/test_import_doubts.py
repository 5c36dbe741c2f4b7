"""import says what it could not do: Markdown headings read as headings, guessed line ends and
headings marked at their line (R012), and a draft that is not yet a report's data exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_text
from reportgen.cli.app import app
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.labels import split_label
from reportgen.importer.rejoin import Doubt, paragraphs
from tests.test_fidelity import seeds

runner = CliRunner()


def seed_text(seed: str) -> str:
    [source] = seeds().glob(f"{seed}_*.txt")
    return source.read_text(encoding="utf-8")


def draft_of(text: str, tmp_path: Path, name: str) -> str:
    """The draft of ``text`` without its first lines (they name the source file)."""
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return draft_text(import_report(source)).split("\n", 2)[2]


def as_markdown(lines: list[str], bold: bool = False) -> str:
    """The lines with the title as ``#``, chapters as ``##`` and sections as ``###`` headings."""
    marked = []
    in_body = False
    for line in lines:
        label = split_label(line.strip())
        if label is not None and label.kind == "chapter":
            in_body = True
            marked.append(f"## {line}")
        elif label is not None and label.kind == "section":
            marked.append(f"### **{line}**" if bold else f"### {line}")
        elif not in_body and line.strip():
            marked.append(f"# {line}")
        else:
            marked.append(line)
    return "\n".join(marked) + "\n"


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_markdown_and_plain_text_import_to_the_same_draft(seed: str, tmp_path: Path) -> None:
    text = seed_text(seed)
    plain = draft_of(text, tmp_path, "plain.txt")
    assert "sections:\n" in plain and "sections: {}" not in plain
    # the same lines with Markdown headings, and the way converters write it: one line a
    # paragraph, blank lines between, headings in bold
    assert draft_of(as_markdown(text.split("\n")), tmp_path, "headings.txt") == plain
    converted = as_markdown(paragraphs(text), bold=True).replace("\n", "\n\n")
    assert draft_of(converted, tmp_path, "converted.md") == plain


PAGE_BREAK = "\n\n— 3 —\n\f"


def test_a_paragraph_cut_at_a_page_break_is_noted_and_warned_at_its_line(
    tmp_path: Path,
) -> None:
    text = seed_text("000")
    line = "3.负责区政府大型会议、重大活动的组织安排，协助安排区\n"
    assert line in text
    # the page's last line stops short: the paragraph is cut mid-sentence, as in issue 17
    rest = "议、重大活动的组织安排，协助安排区政府领导的重要政务活动。\n"
    split = text.replace(
        line + "\n政府领导的重要政务活动。\n", f"3.负责区政府大型会{PAGE_BREAK}{rest}"
    )
    assert split != text
    source = tmp_path / "split.txt"
    source.write_text(split, encoding="utf-8")
    imported = import_report(source)
    note = (
        "“3.负责区政府大型会”与下一段“议、重大活动的组织安排，”原文在换页处断开，已分为两段，"
        "而句子没有结束；如是同一段，请把两项接起来"
    )
    assert note in imported.notes
    draft = draft_text(imported)
    [marked] = [n for n, line in enumerate(draft.splitlines(), 1) if "【待核对】" in line]
    assert draft.splitlines()[marked - 1].endswith(f"负责区政府大型会  # 【待核对】{note}")
    findings = [f for f in validate_text(draft, "d.yaml").findings if f.code == "R012"]
    assert [(format_path(f.path), f.location.line if f.location else 0) for f in findings] == [
        ("sections.functions[2].title", marked)
    ]
    assert findings[0].message == f"导入时{note}（核对后删去这一行的“# 【待核对】……”注释）"
    # the note removed, the warning is gone
    checked = draft.replace(f"  # 【待核对】{note}", "")
    assert not [f for f in validate_text(checked, "d.yaml").findings if f.code == "R012"]


def test_a_sentence_end_joined_across_a_page_is_a_doubt() -> None:
    lines = ["一、部门基本情况"] + [
        f"这是第{n}行写满了版心宽度的正文文字，一共有二十六个汉字宽。" for n in "一二三四五六"
    ]
    text = "\n".join(lines[:4]) + PAGE_BREAK + "\n".join(lines[4:]) + "\n"
    doubts: list[Doubt] = []
    paragraphs(text, doubts=doubts)
    assert doubts == [
        Doubt("，一共有二十六个汉字宽。", "这是第四行写满了版心宽度", joined=True, page_break=True)
    ]


def test_a_marker_inside_the_text_is_the_texts_own() -> None:
    text = (
        "year: 2024\ndepartment: 测试局\nbudget:\n  expenditure:\n    total: 1\n"
        "score:\n  total: 90\nsections:\n  goals: '提高 # 【待核对】效益'\n"
    )
    assert not [f for f in validate_text(text, "d.yaml").findings if f.code == "R012"]


def test_no_chapter_found_exits_1_with_a_short_summary_and_the_draft_written(
    tmp_path: Path,
) -> None:
    source = tmp_path / "report.txt"
    body = "本部门负责全区的测试工作，全年完成各项任务。" * 300
    source.write_text(f"2023年度测试局部门整体支出绩效自评报告\n{body}\n", encoding="utf-8")
    target = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert target.exists()
    assert body not in result.output and len(result.output) < 1500
    lines = result.output.splitlines()
    assert "未完成：没有找到“一、”这样的一级标题，正文未能分节" in lines
    assert lines[-1] == f"草稿已写入 {target}，补全后才能生成报告"


def test_required_figures_missing_exit_1_naming_them(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(
        "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n（一）部门职能\n负责测试。\n",
        encoding="utf-8",
    )
    target = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert (
        "未完成：原文中没有找到数据必须有的数：budget.expenditure.total（第 21 行）、"
        "score.total（第 26 行），草稿中写作“待填写”"
    ) in result.output.splitlines()
    assert target.exists()


def test_a_complete_draft_exits_0(tmp_path: Path) -> None:
    [source] = seeds().glob("000_*.txt")
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 0, result.output
    assert "未完成" not in result.output


def test_a_layout_without_thousands_separators_keeps_amounts_printed_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = tmp_path / "layouts"
    result = runner.invoke(
        app, ["layout", "new", "plain", "--from", "default", "--dir", str(layouts)]
    )
    assert result.exit_code == 0, result.output
    outline = layouts / "plain" / "outline.yaml"
    outline.write_text(
        outline.read_text(encoding="utf-8") + "money_thousands: false\n", encoding="utf-8"
    )
    monkeypatch.setenv("REPORTGEN_TEMPLATES", str(layouts))
    source = tmp_path / "report.txt"
    source.write_text(
        "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n（一）部门职能\n负责测试。\n"
        "（二）部门整体收支情况\n全年支出 1,150.00万元，其中基本支出 800.00万元，项目支出 350.00万元。\n",
        encoding="utf-8",
    )
    text = draft_text(import_report(source, "plain"))
    # 1,150.00 would print 1150.00 in this layout: it stays as published; 800.00 prints alike
    assert (
        "全年支出 1,150.00万元，其中基本支出 ${budget.expenditure.basic.amount}万元，"
        "项目支出 ${budget.expenditure.project.amount}万元。"
    ) in text
