"""A department's own sections in a chapter its layout prints as one body (issue 21, item 3):
``extra_sections`` with ``chapter:``. The chapter's body stays under its heading as a lead
before the sections, which are numbered with the layout's next level; validate, render, the
JSON Schema, template check, the samples and ``layout migrate`` agree."""

from __future__ import annotations

from pathlib import Path

import docx
import jsonschema
import yaml
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.docs.json_schema import report_schema
from tests.readback import DATA, texts
from tests.test_layout_own_outline import district_layout

runner = CliRunner()
CONGHUA = DATA / "conghua-archives-2023.yaml"
OWN = """    - key: audit_findings
      heading: 审计发现的问题
      chapter: problems
    - key: rectification
      heading: 整改情况
      after: audit_findings
"""
WRITTEN = """  audit_findings:
    - 区审计局指出档案数字化项目验收滞后。
  rectification:
    - numbered: [已完成项目验收, 已修订管理办法]
"""


def _with_own_sections(path: Path, lead: bool = True, source: Path = CONGHUA) -> Path:
    """Conghua's data with two sections of its own in “三、存在的主要问题” (one body in the
    default layout); ``lead``: its body kept."""
    text = source.read_text(encoding="utf-8")
    text = text.replace("      after: functions\n", "      after: functions\n" + OWN, 1)
    text = text.replace("  measures:\n", WRITTEN + "  measures:\n", 1)
    if not lead:
        start = text.index("  problems:\n")
        text = text[:start] + text[text.index("  audit_findings:\n") :]
    path.write_text(text, encoding="utf-8")
    return path


def _rendered(data: Path, out: Path, *options: str) -> list[str]:
    result = runner.invoke(app, ["render", str(data), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.docx")
    return texts(written)


def test_the_body_is_the_lead_before_the_departments_own_sections(tmp_path: Path) -> None:
    data = _with_own_sections(tmp_path / "conghua.yaml")
    checked = runner.invoke(app, ["validate", str(data)])
    assert checked.output.splitlines() == [f"{data}: 通过（0 个错误，0 个警告）"]
    printed = _rendered(data, tmp_path / "out")
    start = printed.index("三、存在的主要问题")
    assert printed[start : printed.index("四、下一步改进措施")] == [
        "三、存在的主要问题",
        "一是档案数字化成果的开发利用深度不够，编研成果较少；二是绩效目标的细化量化程度有待提高。",
        "（一）审计发现的问题",
        "区审计局指出档案数字化项目验收滞后。",
        "（二）整改情况",
        "1.已完成项目验收",
        "2.已修订管理办法",
    ]


def test_the_lead_is_optional_once_the_chapter_has_sections(tmp_path: Path) -> None:
    data = _with_own_sections(tmp_path / "conghua.yaml", lead=False)
    checked = runner.invoke(app, ["validate", str(data)])
    assert checked.output.splitlines() == [f"{data}: 通过（0 个错误，0 个警告）"]
    printed = _rendered(data, tmp_path / "out")
    start = printed.index("三、存在的主要问题")
    assert printed[start : start + 3] == [
        "三、存在的主要问题",
        "（一）审计发现的问题",
        "区审计局指出档案数字化项目验收滞后。",
    ]
    # the department's own sections stay required
    text = data.read_text(encoding="utf-8")
    cut = text.index("  audit_findings:\n")
    data.write_text(text[:cut] + text[text.index("  rectification:\n") :], encoding="utf-8")
    checked = runner.invoke(app, ["validate", str(data)])
    assert checked.exit_code == 1
    assert "错误 R002 sections.audit_findings: 缺少必填的一节“审计发现的问题”" in (checked.output)


def test_a_district_layouts_numbering_and_body_chapter(tmp_path: Path) -> None:
    """In a layout of 1、 numbering, a department adds a section to 二、, which the layout
    prints as one body: （一）, its items 1、."""
    district_layout(tmp_path / "layouts", required=False)
    data = tmp_path / "d.yaml"
    migrated = runner.invoke(
        app,
        [
            "layout",
            "migrate",
            str(DATA / "panyu-gov-office-2023.yaml"),
            "--layout",
            "bureau",
            "--templates",
            str(tmp_path / "layouts"),
            "-o",
            str(data),
        ],
    )
    assert migrated.exit_code == 0, migrated.output
    text = data.read_text(encoding="utf-8")
    assert "\noutline:" not in text  # panyu writes no outline: changes of its own
    own = (
        "outline:\n  extra_sections:\n    - key: ranking\n      heading: 全区考核排名情况\n"
        "      chapter: evaluation\n"
    )
    text = text.replace("\nsections:\n", f"\n{own}\nsections:\n", 1)
    text += (
        "  ranking:\n    - title: 考核结果\n      text: 位列全区第一。\n    - 连续三年获评优秀。\n"
    )
    data.write_text(text, encoding="utf-8")
    layouts = ["--templates", str(tmp_path / "layouts")]
    checked = runner.invoke(app, ["validate", str(data), *layouts])
    assert checked.output.splitlines() == [f"{data}: 通过（0 个错误，0 个警告）"], checked.output
    printed = _rendered(data, tmp_path / "out", *layouts)
    start = printed.index("二、绩效自评情况")
    ranking = printed.index("（一）全区考核排名情况")
    assert start < ranking < printed.index("三、存在的主要问题")
    assert printed[ranking + 1 : ranking + 3] == ["1、考核结果位列全区第一。", "连续三年获评优秀。"]


def test_mistakes_in_placing_a_section_in_a_chapter(tmp_path: Path) -> None:
    cases = [
        (
            "      chapter: problms\n",
            "错误 R010 outline.extra_sections[1].chapter: 版式中没有“problms”这一章"
            "（是否想写“problems”？）；各章：basics、evaluation、problems、measures",
        ),
        (
            "      chapter: functions\n",
            "错误 R010 outline.extra_sections[1].chapter: “functions”是一节，不是一章："
            "chapter 只能写某一章（basics、evaluation、problems、measures）；"
            "要放在这一节之后，请写 after: functions",
        ),
        (
            "      after: problems\n",
            "错误 R010 outline.extra_sections[1].after: “problems”是一章，不是一节："
            "after、before 只能写某一节；要把新节放进这一章，请写 chapter: problems",
        ),
        (
            "      chapter: problems\n      after: functions\n",
            "错误 S003 outline.extra_sections[1]: 请用 after、before 或 chapter 之一指明新节的位置"
            "（三者只写一个）",
        ),
    ]
    for place, expected in cases:
        data = _with_own_sections(tmp_path / "c.yaml")
        text = data.read_text(encoding="utf-8").replace("      chapter: problems\n", place, 1)
        data.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["validate", str(data)])
        assert result.exit_code == 1
        found = [line.split(" ", 1)[1] for line in result.output.splitlines() if "错误" in line]
        assert expected in found, result.output
    # the chapter printed as one body again (chapter_bodies) cannot hold them
    data = _with_own_sections(tmp_path / "c.yaml")
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("[evaluation]", "[evaluation, problems]", 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 1
    assert (
        "outline.extra_sections[1].key: 本部门增加的节“audit_findings”在“存在的主要问题”一章中，"
        "而 outline.chapter_bodies 把这一章改为整章一段，这一节不会印出" in result.output
    )


def test_the_schema_agrees(tmp_path: Path) -> None:
    schema = report_schema(layout="default")
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(_with_own_sections(tmp_path / "c.yaml", lead=False).read_text("utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["outline"]["extra_sections"] = data["outline"]["extra_sections"][:1]
    assert [e.message for e in validator.iter_errors(data)] == ["'problems' is a required property"]
    extra = report_schema()["$defs"]["ExtraSection"]["properties"]
    assert extra["chapter"]["description"].startswith("放在哪一章的最后")


def _sections_or_body(template: Path) -> None:
    """A template that prints a chapter's body or its sections, never both."""
    document = docx.Document(str(template))
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "{%p if chapter.body %}")
    assert paragraphs[at + 2].text == "{%p endif %}"
    paragraphs[at + 2].text = "{%p else %}"
    # the end of the loop over the sections, followed by the end of the new else
    end = next(i for i, p in enumerate(paragraphs) if i > at and p.text == "{%p endfor %}")
    paragraphs[end + 1].insert_paragraph_before("{%p endif %}")
    document.save(str(template))


def test_template_check_finds_a_template_that_cannot_print_a_lead_and_sections(
    tmp_path: Path,
) -> None:
    folder = district_layout(tmp_path / "layouts")
    _sections_or_body(folder / "template.docx")
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    template = folder / "template.docx"
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"{template}: 模板没有印出“本部门增加的一节（示例）”一节（sections.own_section）的内容"
        "［试渲染：完整示例数据］",
        f"bureau（{folder}）: 有问题",
    ]
    # render says the same of a department's data, and writes nothing
    data = _with_own_sections(tmp_path / "c.yaml")
    out = tmp_path / "out"
    rendered = runner.invoke(app, ["render", str(data), "-t", str(template), "-o", str(out)])
    assert rendered.exit_code == 1
    assert "没有印出“审计发现的问题”一节（sections.audit_findings）的内容" in rendered.output
    assert not out.exists() or not list(out.iterdir())


def test_migrate_places_a_stranded_section_of_the_departments_own(tmp_path: Path) -> None:
    """A layout printing 一、 as one body: conghua's own section after “部门职能” is merged
    with the sections around it, where it stood; with 一、's body already written, it becomes a
    section of that chapter, after the body."""
    layouts = tmp_path / "layouts"
    result = runner.invoke(
        app, ["layout", "new", "dist", "--from", "default", "--dir", str(layouts)]
    )
    assert result.exit_code == 0
    outline = layouts / "dist" / "outline.yaml"
    text = outline.read_text(encoding="utf-8")
    start, end = text.index("  - key: basics"), text.index("  - key: evaluation")
    body = "  - key: basics\n    heading: 部门基本情况\n    required: true\n\n"
    outline.write_text(text[:start] + body + text[end:], encoding="utf-8")
    options = ["--layout", "dist", "--templates", str(layouts)]
    merged = tmp_path / "merged.yaml"
    result = runner.invoke(app, ["layout", "migrate", str(CONGHUA), *options, "-o", str(merged)])
    assert result.exit_code == 0, result.output
    assert (
        "sections.functions: “部门基本情况”在版式“dist”中整章一段：把 functions、staffing、"
        "annual_work、performance_management 合并为 sections.basics，各节原标题作小标题"
    ) in result.output
    data = yaml.safe_load(merged.read_text(encoding="utf-8"))
    assert [item["title"] for item in data["sections"]["basics"]] == [
        "部门职能",
        "机构设置及人员情况",
        "年度主要工作任务",
        "部门整体收支情况（以决算数为统计口径）",
        "部门整体绩效管理情况",
    ]
    assert "extra_sections" not in data["outline"]
    printed = _rendered(merged, tmp_path / "out1", "--templates", str(layouts))
    titles = [p for p in printed if p in {"（一）部门职能", "（二）机构设置及人员情况"}]
    assert titles == ["（一）部门职能", "（二）机构设置及人员情况"]
    assert printed.index("（二）机构设置及人员情况") < printed.index("二、绩效自评情况")
    # 一、's body written already: its old sections are kept as the department's own, after
    # that body (its lead), the department's renamed heading with them; its own section placed
    # after the omitted “goals” goes last
    source = tmp_path / "with-body.yaml"
    text = CONGHUA.read_text(encoding="utf-8").replace(
        "\nsections:\n", "\nsections:\n  basics: 本馆为区政府直属公益一类事业单位。\n", 1
    )
    source.write_text(text.replace("      after: functions\n", "      after: goals\n"), "utf-8")
    kept = tmp_path / "kept.yaml"
    result = runner.invoke(app, ["layout", "migrate", str(source), *options, "-o", str(kept)])
    assert result.exit_code == 0, result.output
    assert (
        "outline.extra_sections[0].after: 版式“dist”不输出“goals”（部门整体支出绩效目标）："
        "本部门的节“staffing”改为放在“部门基本情况”一章的最后（chapter: basics）"
    ) in result.output
    data = yaml.safe_load(kept.read_text(encoding="utf-8"))
    assert [(e["key"], e["chapter"]) for e in data["outline"]["extra_sections"]] == [
        ("functions", "basics"),
        ("annual_work", "basics"),
        ("performance_management", "basics"),
        ("staffing", "basics"),
    ]
    printed = _rendered(kept, tmp_path / "out2", "--templates", str(layouts))
    start = printed.index("一、部门基本情况")
    assert printed[start + 1] == "本馆为区政府直属公益一类事业单位。"
    headings = [p for p in printed[start : printed.index("二、绩效自评情况")] if p.startswith("（")]
    assert headings == [
        "（一）部门职能",
        "（二）年度主要工作任务",
        "（三）部门整体绩效管理情况",
        "（四）机构设置及人员情况",
    ]


def test_the_documented_example_prints_what_the_docs_show(tmp_path: Path) -> None:
    import re

    page = (Path(__file__).parents[1] / "docs" / "yaml-format.md").read_text(encoding="utf-8")
    part = page.split("**在整章一段的章中增加节。**", 1)[1]
    example, shown = re.findall(r"```(?:yaml)?\n(.*?)```", part, re.S)[:2]
    documented = yaml.safe_load(example)
    data = yaml.safe_load(CONGHUA.read_text(encoding="utf-8"))
    data["outline"]["extra_sections"] += documented["outline"]["extra_sections"]
    data["sections"].update(documented["sections"])
    source = tmp_path / "example.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    printed = _rendered(source, tmp_path / "out")
    chapter = printed[printed.index("三、存在的主要问题") : printed.index("四、下一步改进措施")]
    assert chapter == shown.strip().splitlines()
