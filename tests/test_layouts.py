"""Layouts as folders: made by the CLI, edited as text, found on the search path, checked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.layout.search import LayoutSearch, templates_dir
from tests.conftest import COMPLETE, ROOT
from tests.readback import DATA, paragraphs, texts

runner = CliRunner()
NANSHA = DATA / "nansha-party-office-2023.yaml"
HEADING = re.compile(r"([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _headings(docx: Path) -> list[str]:
    return [
        p.text
        for p in paragraphs(docx)
        if p.style in {"ReportHeading1", "ReportHeading2"} and HEADING.match(p.text)
    ]


def _new_layout(directory: Path, name: str = "mine", base: str = "default") -> Path:
    result = runner.invoke(app, ["layout", "new", name, "--from", base, "--dir", str(directory)])
    assert result.exit_code == 0, result.output
    return directory / name


def _edit(outline: Path, *changes: tuple[str, str]) -> None:
    text = outline.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    outline.write_text(text, encoding="utf-8")


GOALS = "      - key: goals\n        heading: 部门整体支出绩效目标\n"
ANNUAL = "      - key: annual_work\n        heading: 年度总体工作和重点工作任务\n        required: true\n"
EFFICIENCY = "        heading: 管理效率分析\n        required: true\n"


def test_a_layout_made_by_the_cli_and_edited_as_text_renders(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path / "layouts")
    assert sorted(p.name for p in folder.iterdir()) == [
        "outline.yaml",
        "table.docx",
        "template.docx",
    ]
    _edit(
        folder / "outline.yaml",
        ("heading: 部门职能", "heading: 部门主要职责"),  # a heading renamed
        (ANNUAL + GOALS, GOALS + ANNUAL),  # two sections swapped
        (EFFICIENCY, "        heading: 管理效率分析\n"),  # one made optional
    )
    data = NANSHA.read_text(encoding="utf-8")
    start = data.index("  efficiency:")
    end = data.index("\n  problems:")
    source = tmp_path / "nansha.yaml"
    source.write_text(data[:start] + data[end + 1 :], encoding="utf-8")
    out = tmp_path / "out"
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    result = runner.invoke(app, ["render", str(source), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    [docx] = out.glob("*.docx")
    headings = _headings(docx)
    assert [h for h in headings if h[1] == "、"] == [
        "一、部门基本情况",
        "二、绩效自评情况",
        "三、存在的主要问题",
        "四、下一步改进措施",
    ]
    assert headings[: headings.index("三、存在的主要问题") + 1] == [
        "一、部门基本情况",
        "（一）部门主要职责",
        "（二）部门整体支出绩效目标",
        "（三）年度总体工作和重点工作任务",
        "（四）部门整体收支情况",
        "（五）部门整体绩效管理情况",
        "二、绩效自评情况",
        "（一）自评结论",
        "（二）履职效能分析",
        "三、存在的主要问题",
    ]
    # the fourth example's own changes apply on top of the edited outline
    conghua = DATA / "conghua-archives-2023.yaml"
    result = runner.invoke(app, ["render", str(conghua), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    docx_file = out / "2023年度广州市从化区档案馆部门整体支出绩效自评报告.docx"
    assert _headings(docx_file) == [
        "一、部门基本情况",
        "（一）部门主要职责",
        "（二）机构设置及人员情况",
        "（三）年度主要工作任务",
        "（四）部门整体收支情况（以决算数为统计口径）",
        "（五）部门整体绩效管理情况",
        "二、绩效自评情况",
        "三、存在的主要问题",
        "四、下一步改进措施",
        "（一）加强档案资源开发利用",
        "（二）提升绩效目标编制质量",
    ]
    # the same data without --layout: efficiency is required by the built-in default
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 1
    assert "错误 R002 sections.efficiency: 缺少必填的一节“管理效率分析”" in result.output


def test_an_outline_edited_between_two_renders_of_one_process_is_read_again(
    tmp_path: Path,
) -> None:
    """Outlines are kept per process (a batch reads each once); an edited file is read anew,
    even when its size is the same."""
    folder = _new_layout(tmp_path / "layouts")
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    out = tmp_path / "out"
    for old, new in (
        ("heading: 部门职能", "heading: 部门职责"),
        ("heading: 部门职责", "heading: 单位职责"),
    ):
        _edit(folder / "outline.yaml", (old, new))
        result = runner.invoke(app, ["render", str(NANSHA), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        [docx_file] = out.glob("*.docx")
        assert f"（一）{new.removeprefix('heading: ')}" in _headings(docx_file)


def test_the_complete_sample_renders_in_a_copied_layout(tmp_path: Path) -> None:
    _new_layout(tmp_path / "layouts", "copy", base="panyu")
    out = tmp_path / "out"
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "copy"]
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    [docx] = out.glob("*.docx")
    assert _headings(docx)[1:4] == [
        "（一）部门职能",
        "（二）部门整体支出绩效目标",
        "（三）年度总体工作和重点工作",
    ]


def test_numbering_labels_come_from_the_outline(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path / "layouts")
    _edit(
        folder / "outline.yaml",
        ("numbering: [一、, （一）, 1., （1）]", "numbering: [一、, （一）, 1、, (1)]"),
    )
    out = tmp_path / "out"
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    [docx] = out.glob("*.docx")
    body = texts(docx)
    assert "1、拟订财政政策。" in body and "2、编制预算草案。" in body
    assert "(1)目标审核逐项审核。" in body
    assert not [t for t in body if re.match(r"\d+\.(?!\d)", t)]


def test_layout_list_shows_name_label_and_origin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["layout", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "default\t通用版式（部门基本情况 / 绩效自评情况）\t内置",
        "huadu\t花都版式（基本情况 / 综合评价分析）\t内置",
        "panyu\t番禺版式（绩效目标在年度工作之前）\t内置",
        "tables\t通用版式附表（收支情况表、自评得分表，问题与措施逐段排版）\t内置",
    ]
    _new_layout(tmp_path / "a", "mine")
    _new_layout(tmp_path / "b", "default", base="huadu")
    result = runner.invoke(
        app,
        ["layout", "list", "--templates", str(tmp_path / "a")],
        env={"REPORTGEN_TEMPLATES": str(tmp_path / "b")},
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"mine\t通用版式（部门基本情况 / 绩效自评情况）\t{tmp_path / 'a'}",
        f"default\t花都版式（基本情况 / 综合评价分析）\t{tmp_path / 'b'}",
        "huadu\t花都版式（基本情况 / 综合评价分析）\t内置",
        "panyu\t番禺版式（绩效目标在年度工作之前）\t内置",
        "tables\t通用版式附表（收支情况表、自评得分表，问题与措施逐段排版）\t内置",
    ]


def test_a_user_layout_overrides_a_builtin_of_the_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _new_layout(tmp_path / "layouts", "default")
    _edit(folder / "outline.yaml", ("heading: 部门职能", "heading: 本单位职能"))
    monkeypatch.setenv(
        "REPORTGEN_TEMPLATES",
        os.pathsep.join([str(tmp_path / "nowhere"), str(tmp_path / "layouts")]),
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [docx] = out.glob("*.docx")
    assert _headings(docx)[1] == "（一）本单位职能"


def test_layout_new_never_overwrites(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path, "mine")
    outline = folder / "outline.yaml"
    outline.write_text("label: 我的版式\n", encoding="utf-8")
    result = runner.invoke(
        app, ["layout", "new", "mine", "--from", "huadu", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.output == f"错误：{folder} 已存在，为免覆盖未做任何修改；请换一个名称或文件夹\n"
    assert outline.read_text(encoding="utf-8") == "label: 我的版式\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["x", "--from", "defualt"],
            "错误：未知的版式“defualt”（是否想写“default”？）；可用的版式：default, huadu, panyu, tables"
            "（查找了：内置版式；自制的版式请用 --templates 文件夹 或环境变量 REPORTGEN_TEMPLATES "
            "指明其所在的文件夹）\n",
        ),
        (["a/b"], "错误：版式名称“a/b”无效：只能是一个文件夹名，不能含路径分隔符\n"),
    ],
)
def test_layout_new_refuses_bad_names(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["layout", "new", *args, "--dir", str(tmp_path)])
    assert (result.exit_code, result.output) == (2, message)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_templates_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(COMPLETE), "--templates", str(tmp_path / "no")])
    assert (result.exit_code, result.output) == (
        2,
        f"错误：版式文件夹 {tmp_path / 'no'} 不存在或不是目录\n",
    )


def test_validate_follows_the_layout_actually_used() -> None:
    result = runner.invoke(app, ["validate", str(COMPLETE), "--layout", "huadu"])
    assert result.exit_code == 0, result.output
    shown = "preface、functions、annual_work、finance、performance_management、conclusion、effectiveness、project_spending、achievements、problems、measures"
    assert [line.split(" ", 1)[1] for line in result.output.splitlines()[:-1]] == [
        f"警告 R002 sections.goals: 版式“huadu”不输出“goals”这一节，其内容不会出现在报告中（该版式输出：{shown}）",
        f"警告 R002 sections.efficiency: 版式“huadu”不输出“efficiency”这一节，其内容不会出现在报告中（该版式输出：{shown}）",
    ]


def _broken(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    folder = _new_layout(tmp_path / "layouts")
    _edit(folder / "outline.yaml", *changes)
    return folder / "outline.yaml"


def test_outline_mistakes_are_chinese_findings_at_their_lines(tmp_path: Path) -> None:
    outline = _broken(
        tmp_path,
        ("numbering: [一、, （一）, 1., （1）]", "numbering: [一、, （一）, 1), （1）]"),
        ("        heading: 部门整体支出绩效目标\n", "        headng: 部门整体支出绩效目标\n"),
    )
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    result = runner.invoke(app, ["validate", str(COMPLETE), *args])
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == [
        f"{outline}:4:22 错误 S003 numbering[2]: 编号样式应为 一、 （一） 1. 1、 1． （1） (1) ① 之一"
        "（一 表示中文数字，1 表示阿拉伯数字），实际为“1)”",
        f"{outline}:22:9 错误 S002 chapters[0].sections[2].headng: 未知的键“headng”（是否想写“heading”？）",
    ]


def test_a_duplicate_key_in_an_outline_names_both_lines(tmp_path: Path) -> None:
    outline = _broken(tmp_path, ("      - key: goals\n", "      - key: functions\n"))
    result = runner.invoke(app, ["layout", "list", "--templates", str(tmp_path / "layouts")])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "mine\t（大纲有错误）\t" + str(tmp_path / "layouts"),
        f"  {outline}:21:14 错误 L001 chapters[0].sections[2].key: 键名“functions”重复：第15行已用过；"
        "每一章、每一节的键名都不能相同",
    ]


def test_a_layout_folder_without_its_template_is_reported(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path / "layouts")
    (folder / "template.docx").unlink()
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 1
    assert f"{folder} 错误 L002 版式文件夹中没有模板 template.docx" in result.output
    assert not (tmp_path / "out").exists()


def test_builtin_layouts_are_found_in_a_checkout() -> None:
    assert templates_dir() == ROOT / "templates"
    assert LayoutSearch().names() == ["default", "huadu", "panyu", "tables"]
    for layout in LayoutSearch().all():
        assert layout.problems == ()
        assert layout.template.is_file()


def test_installed_layouts_are_found_inside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "reportgen"
    (package / "templates" / "default").mkdir(parents=True)
    monkeypatch.setattr("reportgen.layout.search.resources.files", lambda name: package)
    assert templates_dir() == package / "templates"


def test_the_wheel_ships_the_layout_folders() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates" = "reportgen/templates"' in pyproject
    assert not list((ROOT / "templates").glob("*.py")), "no builder may overwrite the .docx files"


def test_an_unknown_layout_on_the_command_line_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(NANSHA), "-o", str(tmp_path), "--layout", "hudu"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{NANSHA}:5:1 错误 R001 命令行 --layout 指定了未知的版式“hudu”（是否想写“huadu”？）；"
        "可用的版式：default, huadu, panyu, tables（查找了：内置版式；自制的版式请用 --templates 文件夹 "
        "或环境变量 REPORTGEN_TEMPLATES 指明其所在的文件夹）",
        f"{NANSHA}: 有错误，未生成报告",
    ]
    assert list(tmp_path.iterdir()) == []


def test_layout_check_reports_the_outline_and_the_template(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path / "layouts")
    _edit(
        folder / "outline.yaml",
        ("        heading: 部门职能\n", "        heading: 部门职能\n        requird: true\n"),
    )
    document = docx.Document(str(folder / "template.docx"))
    document.add_paragraph("{{ departmnet }}", style="ReportBody")
    document.save(str(folder / "template.docx"))
    result = runner.invoke(
        app, ["layout", "check", "mine", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{folder / 'outline.yaml'}:17:9 错误 S002 chapters[0].sections[0].requird: "
        "未知的键“requird”（是否想写“required”？）",
        f"{folder / 'template.docx'}: 正文段落“{{{{ departmnet }}}}”"
        "（标题“四、下一步改进措施”之下）："
        "变量“departmnet”不存在（是否想写“department”？）；可用的变量见 reportgen template vars",
        f"mine（{folder}）: 有问题",
    ]


def test_layout_check_passes_the_builtin_layouts() -> None:
    result = runner.invoke(app, ["layout", "check", "default", "huadu", "panyu", "tables"])
    assert result.exit_code == 0, result.output
    assert [line.split("（")[0] for line in result.output.splitlines()] == [
        "default",
        "huadu",
        "panyu",
        "tables",
    ]
    assert all(line.endswith("可以使用") for line in result.output.splitlines())


def test_thousands_separators_follow_the_layout_unless_the_data_says(tmp_path: Path) -> None:
    folder = _new_layout(tmp_path / "layouts")
    with (folder / "outline.yaml").open("a", encoding="utf-8") as outline:
        outline.write("money_thousands: false\n")
    args = ["--templates", str(tmp_path / "layouts"), "--layout", "mine"]
    panyu = DATA / "panyu-gov-office-2023.yaml"

    def printed(source: Path, out: Path) -> str:
        result = runner.invoke(app, ["render", str(source), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        [docx] = out.glob("*.docx")
        return "\n".join(texts(docx))

    plain = printed(panyu, tmp_path / "plain")
    assert "全年支出4191.30万元" in plain and "4,191.30" not in plain
    assert "政府办综合业务工作经费支出 62.67万元" in plain
    data = panyu.read_text(encoding="utf-8").replace(
        "\nbudget:", "\nprinting:\n  money_thousands: true\n\nbudget:", 1
    )
    source = tmp_path / "panyu.yaml"
    source.write_text(data, encoding="utf-8")
    grouped = printed(source, tmp_path / "grouped")
    assert "全年支出4,191.30万元" in grouped


def test_the_tables_layout_prints_the_worked_examples(tmp_path: Path) -> None:
    """The built-in layout that shows template authors the finance table, the score table and
    a paragraph loop (docs/templates.md)."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(COMPLETE), "--layout", "tables", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [report] = out.glob("*.docx")
    document = docx.Document(str(report))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [
        ["项目", "预算数（万元）", "支出数（万元）", "执行率"],
        ["支出合计", "1,200.00", "1,140.00", "95.00%"],
        ["基本支出", "880.00", "840.00", "95.45%"],
        ["人员经费", "—", "700.00", "—"],
        ["公用经费", "—", "140.00", "—"],
        ["项目支出", "320.00", "300.00", "93.75%"],
    ]
    assert tables[1] == [
        ["一级指标", "分值", "得分"],
        ["履职效能", "50", "46"],
        ["管理效率", "50", "46.5"],
    ]
    paras = [(p.style.name, p.text) for p in document.paragraphs]
    finance = paras.index(("ReportHeading2", "（四）部门整体收支情况"))
    assert paras[finance + 1][1].startswith("2024年度年初预算1,000.00万元")
    # the chapters printed as one body come paragraph by paragraph, headings in their style
    problems = paras.index(("ReportHeading1", "三、存在的主要问题"))
    measures = paras.index(("ReportHeading1", "四、下一步改进措施"))
    assert all(
        style in {"ReportBody", "ReportHeading2"} for style, _ in paras[problems + 1 : measures]
    )
    assert measures - problems > 1
