"""Issue 21's “Checked” scenario with a district outline of its own: ``layout new --from
default``, then an inserted required section, a chapter merged into one body that carries the
indicator table, 1、 numbering, a renamed chapter and an optional chapter at the end. Every check
follows that outline; the four example files are carried over by ``layout migrate`` and render;
a department nests its own sections and adds one to a chapter printed as one body; no message
names a template expression as a place."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.readback import DATA, EXAMPLES, texts

runner = CliRunner()

OUTLINE = """\
label: 南海区版式（整体情况 / 自评结果）
numbering: [一、, （一）, 1、, （1）]

chapters:
  - key: basics
    heading: 部门整体情况
    sections:
      - key: functions
        heading: 部门职责
        required: true
      - key: org_staff
        heading: 机构设置和人员编制
        required: true
      - key: annual_work
        heading: 年度重点工作
        required: true
      - key: finance
        heading: 部门整体收支情况
        from_facts: finance
        budget_table: true
      - key: performance_management
        heading: 绩效管理工作开展情况

  - key: evaluation
    heading: 部门整体支出绩效自评结果
    required: true
    indicator_table: true

  - key: problems
    heading: 存在问题
    required: true

  - key: measures
    heading: 改进措施及结果应用
    required: true

  - key: other_notes
    heading: 其他需要说明的情况
"""
CHAPTERS = [
    "一、部门整体情况",
    "二、部门整体支出绩效自评结果",
    "三、存在问题",
    "四、改进措施及结果应用",
]


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    folder = tmp_path / "版式"
    made = runner.invoke(
        app, ["layout", "new", "nanhai", "--from", "default", "--dir", str(folder)]
    )
    assert made.exit_code == 0, made.output
    (folder / "nanhai" / "outline.yaml").write_text(OUTLINE, encoding="utf-8")
    return folder


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert not re.search(r"（标题“[^”]*\{[{%]", result.output), result.output
    return result.exit_code, result.output


def test_every_check_follows_the_district_outline(layouts: Path, tmp_path: Path) -> None:
    template = layouts / "nanhai" / "template.docx"
    where = ["--templates", str(layouts)]
    assert _run("layout", "check", "nanhai", *where) == (
        0,
        f"nanhai（{layouts / 'nanhai'}）: 可以使用\n",
    )
    assert _run("template", "check", str(template), *where, "--layout", "nanhai") == (
        0,
        f"{template}: 可以使用\n",
    )
    out = tmp_path / "预览"
    code, output = _run(
        "template", "preview", str(template), *where, "--layout", "nanhai", "-o", str(out)
    )
    assert code == 0, output
    printed = texts(out / "预览-完整示例数据.docx")
    assert [p for p in printed if p[:2] in {"一、", "二、", "三、", "四、", "五、"}] == [
        *CHAPTERS,
        "五、其他需要说明的情况",
    ]
    assert printed.index("（二）机构设置和人员编制") < printed.index("（三）年度重点工作")
    # 二、 is one body with the sample's own section after it, then the indicator table
    chapter = printed[printed.index(CHAPTERS[1]) : printed.index(CHAPTERS[2])]
    assert chapter[1:3] == ["这是“部门整体支出绩效自评结果”的示例正文。", "1、示例小标题"]
    assert chapter.index("（一）本部门增加的一节（示例）") < chapter.index("指标名称")
    sparse = texts(out / "预览-最少示例数据.docx")
    assert "五、其他需要说明的情况" not in sparse  # optional, not written: not printed
    code, output = _run("schema", "--layout", "nanhai", *where)
    assert code == 0
    assert list(yaml.safe_load(output)["$defs"]["Sections"]["properties"]) == [
        "functions",
        "org_staff",
        "annual_work",
        "finance",
        "performance_management",
        "evaluation",
        "problems",
        "measures",
        "other_notes",
    ]


def test_the_four_examples_are_migrated_and_render(layouts: Path, tmp_path: Path) -> None:
    where = ["--templates", str(layouts)]
    migrated: list[Path] = []
    for source in EXAMPLES:
        target = tmp_path / f"{source.stem}.nanhai.yaml"
        code, output = _run(
            "layout", "migrate", str(source), "--layout", "nanhai", *where, "-o", str(target)
        )
        assert target.is_file(), output
        migrated.append(target)
        if source.stem.startswith("conghua"):
            # its own “机构设置及人员情况” is the layout's new required section, in other words:
            # validate says so, migrate renames it
            checked = _run("validate", str(source), *where, "--layout", "nanhai")[1]
            assert (
                f"{source}:63:3 错误 R002 sections.org_staff: 缺少必填的一节“机构设置和人员编制”："
                "本部门的节“staffing”（机构设置及人员情况）标题相近，若是同一节，把 sections.staffing 改名为 "
                "org_staff，并删去 outline.extra_sections 中的那一项"
                "（reportgen layout migrate 数据文件 --layout nanhai 可代为改写）"
            ) in checked.splitlines()
            assert code == 0, output
            assert (
                "版式“nanhai”要求的“org_staff”（机构设置和人员编制）与数据中的“staffing”"
                "（机构设置及人员情况）标题相近，当作同一节：sections.staffing 改名为 sections.org_staff，"
                "删去 extra_sections 中的那一项" in output
            )
        else:  # a required section no data wrote is named, never invented
            assert code == 1, output
            assert output.rstrip().endswith(
                "错误 R002 sections.org_staff: 缺少必填的一节“机构设置和人员编制”"
            )
            text = target.read_text(encoding="utf-8")
            target.write_text(
                text.replace(
                    "\nsections:\n", "\nsections:\n  org_staff: 内设机构见部门概况。\n", 1
                ),
                encoding="utf-8",
            )
        assert _run("validate", str(target), *where)[0] == 0
    out = tmp_path / "out"
    code, output = _run("render", *map(str, migrated), *where, "-o", str(out))
    assert code == 0, output
    for report in sorted(out.glob("*.docx")):
        printed = texts(report)
        assert [p for p in printed if p[:2] in {"一、", "二、", "三、", "四、", "五、"}] == CHAPTERS
        staff = next(i for i, p in enumerate(printed) if p.endswith("）机构设置和人员编制"))
        assert printed[staff] in {"（二）机构设置和人员编制", "（三）机构设置和人员编制"}
        assert staff < printed.index("二、部门整体支出绩效自评结果")
    assert len(list(out.glob("*.docx"))) == 4


def test_a_department_nests_and_adds_a_section_to_a_body_chapter(
    layouts: Path, tmp_path: Path
) -> None:
    source = tmp_path / "conghua.yaml"
    code, _ = _run(
        "layout",
        "migrate",
        str(DATA / "conghua-archives-2023.yaml"),
        "--layout",
        "nanhai",
        "--templates",
        str(layouts),
        "-o",
        str(source),
    )
    assert code == 0
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["outline"]["extra_sections"] = [
        {"key": "digital", "heading": "数字档案馆建设", "after": "annual_work"},
        {"key": "audit", "heading": "审计整改情况", "chapter": "problems"},
    ]
    data["sections"]["digital"] = [
        {"label": "一、", "title": "基础设施", "body": "完成机房改造。"},
        {"label": "二、", "title": "数字资源", "body": ["完成馆藏档案数字化 120 万页。"]},
    ]
    data["sections"]["audit"] = [
        "2023年区审计局对我馆开展专项审计。",
        {"title": "发现的问题", "body": [{"title": "项目验收滞后", "text": "晚于合同约定。"}]},
    ]
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    where = ["--templates", str(layouts)]
    assert _run("validate", str(source), *where) == (0, f"{source}: 通过（0 个错误，0 个警告）\n")
    code, output = _run("render", str(source), *where, "-o", str(tmp_path / "out"))
    assert code == 0, output
    (report,) = (tmp_path / "out").glob("*.docx")
    printed = texts(report)
    digital = printed.index("（四）数字档案馆建设")
    assert (
        printed[digital - 2].startswith("（三）年度主要工作任务")
        or "（三）年度主要工作任务" in printed
    )
    assert printed[digital + 1 : digital + 5] == [
        "一、基础设施",
        "完成机房改造。",
        "二、数字资源",
        "完成馆藏档案数字化 120 万页。",
    ]
    problems = printed[printed.index("三、存在问题") : printed.index("四、改进措施及结果应用")]
    assert problems == [
        "三、存在问题",
        "一是档案数字化成果的开发利用深度不够，编研成果较少；二是绩效目标的细化量化程度有待提高。",
        "（一）审计整改情况",
        "2023年区审计局对我馆开展专项审计。",
        "1、发现的问题",
        "（1）项目验收滞后晚于合同约定。",
    ]


def test_no_place_is_a_template_expression(layouts: Path, tmp_path: Path) -> None:
    """Mistakes inside the loops over the chapters and the sections, said by layout check,
    template check and render under the headings the report prints."""
    template = layouts / "nanhai" / "template.docx"
    document = docx.Document(str(template))
    for paragraph in document.paragraphs:
        if paragraph.text == "{{p chapter.body }}":
            paragraph.add_run("（正文）")
        if paragraph.text == "{{p section.body }}":
            paragraph.insert_paragraph_before("注：{{ section.heding }}", style="ReportBody")
    document.save(str(template))
    beside = (
        "正文段落“{{p chapter.body }}（正文）”（标题“二、部门整体支出绩效自评结果”等之下）："
        "与 {%p …%} 或 {{p …}} 同段的文字“（正文）”不会印出：这类标签须独占一段，请把文字移到另一段"
    )
    heding = (
        "正文段落“注：{{ section.heding }}”（标题“（一）部门职责”等之下）：SectionView 没有“heding”"
        "（是否想写“heading”？）；可用的属性见 reportgen template vars"
    )
    code, output = _run("layout", "check", "nanhai", "--templates", str(layouts))
    assert code == 1
    lines = output.splitlines()
    assert lines[0] == f"{template}: {beside}"
    assert lines[1].startswith(f"{template}: {heding}［试渲染：")
    source = tmp_path / "conghua.yaml"
    runner.invoke(
        app,
        [
            "layout",
            "migrate",
            str(DATA / "conghua-archives-2023.yaml"),
            "--layout",
            "nanhai",
            "--templates",
            str(layouts),
            "-o",
            str(source),
        ],
    )
    code, output = _run(
        "render", str(source), "--templates", str(layouts), "-o", str(tmp_path / "o")
    )
    assert code == 1
    assert f"模板 {template} {beside}，未生成报告" in output


def test_init_writes_a_starter_for_the_district_layout(layouts: Path, tmp_path: Path) -> None:
    target = tmp_path / "部门" / "我的部门.yaml"
    where = ["--templates", str(layouts)]
    code, output = _run("init", str(target), "--layout", "nanhai", *where)
    assert code == 0, output
    text = target.read_text(encoding="utf-8")
    assert "\nlayout: nanhai\n" in text
    assert "  org_staff: “机构设置和人员编制”的内容。  # （二）机构设置和人员编制（必填）\n" in text
    assert "  # finance 不写时，程序按 budget 自动生成“（四）部门整体收支情况”。\n" in text
    assert "  # 五、其他需要说明的情况\n  other_notes: “其他需要说明的情况”的内容。" in text
    schema = yaml.safe_load((target.parent / "reportgen.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["layout"]["default"] == "nanhai"
    assert "org_staff" in schema["$defs"]["Sections"]["properties"]
    # valid, and each example it holds said at its line, the district's own sections too (R013)
    code, output = _run("validate", str(target), *where)
    *said, summary = output.splitlines()
    assert code == 0 and summary == f"{target}: 通过（0 个错误，{len(said)} 个警告）", output
    assert all(" 警告 R013 " in line for line in said), output
    lines = text.split("\n")
    for key in ("org_staff", "other_notes"):
        at = next(n for n, line in enumerate(lines, 1) if line.startswith(f"  {key}: "))
        assert any(
            line.startswith(f"{target}:{at}:") and f" sections.{key}: " in line for line in said
        )
    code, output = _run("init", str(tmp_path / "b.yaml"), "--layout", "nanhia", *where)
    assert code == 2 and output.startswith("错误：未知的版式“nanhia”（是否想写“nanhai”？）")
    assert not (tmp_path / "b.yaml").exists()
    code, output = _run("init", str(tmp_path / "c.yaml"), "--layout", "nanhai", "--table", *where)
    assert code == 2 and "--table 与 --layout 不能同时使用" in output


def test_the_documented_init_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    page = (Path(__file__).parents[1] / "docs" / "yaml-format.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"`(reportgen init [^`]*--layout[^`]*)`", page)
    monkeypatch.chdir(tmp_path)
    from tests.test_layout_own_outline import district_layout

    district_layout(Path("版式"))
    code, output = _run(*shlex.split(command)[1:])
    assert code == 0, output
    assert "  staffing: “设置机构及人员情况”的内容。  # （二）设置机构及人员情况（必填）" in (
        Path("我的部门.yaml").read_text(encoding="utf-8")
    )
