"""A district's own layout made by a bureau author (chapters in another order, a chapter of
its own, a section of its own): its data carried back to the default layout by
``layout migrate``, with or without the folder that holds the district's layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.conftest import COMPLETE, DATA, ROOT

runner = CliRunner()
TABLE_EXAMPLE = DATA / "table" / "panyu-gov-office-2023-table.yaml"

OUTLINE = """\
label: 示例区版式（部门概况 / 绩效目标 / 自评结果 / 问题及措施 / 其他）
numbering: [一、, （一）, 1、, (1)]
chapters:
  - key: basics
    heading: 部门概况
    sections:
      - {key: functions, heading: 部门主要职责, required: true}
      - {key: staffing, heading: 机构设置及人员情况, required: true}
      - {key: annual_work, heading: 年度总体工作和重点工作任务, required: true}
      - {key: performance_management, heading: 部门整体绩效管理情况, required: true}
  - key: goals
    heading: 部门整体支出绩效目标
  - key: evaluation
    heading: 绩效自评结果
    sections:
      - {key: effectiveness, heading: 履职效能分析, required: true}
      - {key: efficiency, heading: 管理效率分析}
  - key: issues
    heading: 存在的问题及改进措施
    sections:
      - {key: problems, heading: 存在的问题, required: true}
      - {key: measures, heading: 改进措施, required: true}
  - key: other_notes
    heading: 其他需说明的情况
"""


@pytest.fixture
def district(tmp_path: Path) -> tuple[Path, Path]:
    """The layouts folder with the district's layout, and a department's data written for it."""
    folder = tmp_path / "版式" / "district"
    folder.mkdir(parents=True)
    (folder / "outline.yaml").write_text(OUTLINE, encoding="utf-8")
    shutil.copy(ROOT / "templates" / "default" / "template.docx", folder / "template.docx")
    text = COMPLETE.read_text(encoding="utf-8").replace("layout: default", "layout: district")
    text += "  staffing: 内设3个科室。\n  other_notes: 本报告以决算数为准。\n"
    data = tmp_path / "数据.yaml"
    data.write_text(text, encoding="utf-8")
    checked = runner.invoke(app, ["validate", str(data), "--templates", str(folder.parent)])
    assert checked.exit_code == 0, checked.output
    return folder.parent, data


def test_migrate_says_the_datas_own_layout_was_not_found(
    district: tuple[Path, Path], tmp_path: Path
) -> None:
    """Without --templates the data's layout is nowhere: said first, not only that each of its
    sections has no known chapter."""
    _, data = district
    result = runner.invoke(
        app, ["layout", "migrate", str(data), "--layout", "default", "-o", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "  layout: 未知的版式“district”；可用的版式：default, huadu, panyu, tables"
        "（查找了：内置版式；自制的版式请用 --templates 文件夹 或环境变量 REPORTGEN_TEMPLATES "
        "指明其所在的文件夹）：数据原用的版式找不到，各节原属哪一章只能按其他版式推断"
    )


def test_migrate_knows_a_chapter_of_the_layouts_own(
    district: tuple[Path, Path], tmp_path: Path
) -> None:
    """other_notes is a whole chapter of the district's layout: migrate says so (it said “无从
    得知它原属哪一章”), and keeps staffing as the department's own section after functions."""
    layouts, data = district
    target = tmp_path / "b.yaml"
    options = ["--layout", "default", "--templates", str(layouts), "-o", str(target)]
    result = runner.invoke(app, ["layout", "migrate", str(data), *options])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [
        "  sections.staffing: 版式“default”不输出“staffing”（机构设置及人员情况）："
        "在 outline.extra_sections 中把它声明为本部门的节（放在“functions”之后）",
        "  sections.other_notes: 版式“default”不输出“other_notes”（其他需说明的情况），"
        "且找不到可放它的位置：请把内容移到版式中的某一节，"
        "或在 outline.extra_sections 中用 chapter: 放进某一章",
        f"已写出：{target}（原文件 {data} 未改动）",
    ]
    assert "无从得知" not in result.output


def test_render_table_with_a_broken_table_template_writes_nothing(tmp_path: Path) -> None:
    """A mistake in the layout's table.docx used to be found after the report was written:
    exit 1 with the report there and no 自评表 beside it. Now nothing is written."""
    layouts = tmp_path / "版式"
    made = runner.invoke(app, ["layout", "new", "mine", "--from", "panyu", "--dir", str(layouts)])
    assert made.exit_code == 0, made.output
    table = layouts / "mine" / "table.docx"
    document = docx.Document(str(ROOT / "templates" / "default" / "table.docx"))
    document.add_paragraph("联系电话：{{ header.phone ")
    document.save(str(table))
    source = tmp_path / "有自评表.yaml"
    text = TABLE_EXAMPLE.read_text(encoding="utf-8")
    source.write_text(text.replace("layout: panyu", "layout: mine"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(source), "--templates", str(layouts), "--table", "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"错误：{source}: 模板 {table} 正文段落“联系电话：{{{{ header.phone”"
    ), result.output
    assert "标签 {{ 没有对应的 }}（标签须在同一段中结束）" in result.output
    assert "已生成" not in result.output
    assert not out.exists() or not list(out.iterdir())


def _staffing_template(path: Path) -> Path:
    """The district template with a paragraph only its own section prints, using a figure the
    sparse sample has not."""
    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    for text in ("{%p if sections.staffing %}", "编制：{{ figures['budget.adjusted'] }}"):
        document.add_paragraph(text, style="ReportBody")
    document.add_paragraph("{%p endif %}", style="ReportBody")
    document.save(str(path))
    return path


def test_template_check_without_layout_takes_the_layout_of_the_folder_or_of_the_data(
    district: tuple[Path, Path], tmp_path: Path
) -> None:
    """Without --layout, template check tried every template with the default outline and
    validated the data given in it: “没有节‘staffing’” and “数据 … 有错误” (validate passes it),
    and the real problem inside the district's own section went unsaid."""
    layouts, data = district
    said = (
        "正文段落“编制：{{ figures['budget.adjusted'] }}”（标题“五、其他需说明的情况”之下）："
        "这份数据没有数字“budget.adjusted”（未公布的数字不在 figures 中）；"
        "请用 {% if 'budget.adjusted' in figures %} … {% endif %} 判断后再输出"
    )
    # a template in the layout's folder: that layout, without --templates
    inside = _staffing_template(layouts / "district" / "草稿.docx")
    result = runner.invoke(app, ["template", "check", str(inside)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{inside}: {said}［试渲染：最少示例数据（只有必填项）］",
        f"{inside}: 有 1 个问题",
    ]
    # elsewhere, with the district's data: the layout the data names
    outside = _staffing_template(tmp_path / "我的模板.docx")
    result = runner.invoke(
        app, ["template", "check", str(outside), str(data), "--templates", str(layouts)]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{outside}: {said}［试渲染：最少示例数据（只有必填项）］",
        f"{outside}: 有 1 个问题",
    ]
    # a layout named still wins; the data is then tried in it
    result = runner.invoke(app, ["template", "check", str(outside), "--layout", "default"])
    assert "没有节“staffing”" in result.output


def test_a_layout_not_found_is_said_once_not_with_each_section_of_its_own(
    district: tuple[Path, Path],
) -> None:
    """Without --templates the district's layout is not found: one R001 saying so (and how to
    name the folder). Its own sections used to be called unknown keys too, against the
    built-in layouts' sections, as if they were the mistake."""
    _, data = district
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{data}:5:9 错误 R001 layout: 未知的版式“district”；可用的版式：default, huadu, panyu, tables"
        "（查找了：内置版式；自制的版式请用 --templates 文件夹 或环境变量 REPORTGEN_TEMPLATES "
        "指明其所在的文件夹）",
        f"{data}: 未通过（1 个错误，0 个警告）",
    ]


def test_with_its_layout_not_found_a_key_no_section_may_have_is_still_unknown(
    tmp_path: Path,
) -> None:
    """The data's own section keys stand in for the unknown layout's, except those no section
    may have: a name of the model's own (model_dump) made a model that could not be built, and
    validate crashed with exit 70."""
    text = COMPLETE.read_text(encoding="utf-8").replace("layout: default", "layout: nosuch", 1)
    text = text.replace("sections:\n", "sections:\n  model_dump: 文字\n  1abc: 文字\n", 1)
    data = tmp_path / "report.yaml"
    data.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 1
    said = [line.split(" ", 3)[1:3] for line in result.output.splitlines()[:-1]]
    assert said == [["错误", "R001"], ["错误", "S002"], ["错误", "S002"]]
    assert "sections.model_dump: 未知的键“model_dump”" in result.output
    assert "sections.1abc: 未知的键“1abc”" in result.output
