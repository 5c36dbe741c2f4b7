"""A district's own layout end to end: checks and previews follow its outline (issue 21)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.layout.outline import load_outline, plan_of
from reportgen.layout.search import load_layout
from reportgen.template.samples import samples
from tests.readback import DATA, texts

runner = CliRunner()

STAFFING = (
    "      - key: annual_work\n",
    "      - key: staffing\n        heading: 设置机构及人员情况\n        required: true\n"
    "      - key: annual_work\n",
)


def district_layout(directory: Path, name: str = "bureau", required: bool = True) -> Path:
    """``layout new --from default``, then the outline changed as a bureau would: an inserted
    （二）设置机构及人员情况, 二、 as one body, 1、 numbering."""
    result = runner.invoke(
        app, ["layout", "new", name, "--from", "default", "--dir", str(directory)]
    )
    assert result.exit_code == 0, result.output
    outline = directory / name / "outline.yaml"
    text = outline.read_text(encoding="utf-8")
    text = text.replace(*STAFFING).replace("1., （1）]", "1、, （1）]")
    if not required:
        text = text.replace(
            "        heading: 设置机构及人员情况\n        required: true\n",
            "        heading: 设置机构及人员情况\n",
        )
    start, end = text.index("  - key: evaluation"), text.index("  - key: problems")
    body = "  - key: evaluation\n    heading: 绩效自评情况\n    required: true\n\n"
    outline.write_text(text[:start] + body + text[end:], encoding="utf-8")
    return directory / name


def _remove_chapter_body(template: Path) -> None:
    """The chapter body left out ({%p if chapter.body %} … {%p endif %}), a layout's own
    section used by its key."""
    document = docx.Document(str(template))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "{%p if chapter.body %}")
    assert paragraphs[start + 2].text == "{%p endif %}"
    for paragraph in paragraphs[start : start + 3]:
        paragraph._element.getparent().remove(paragraph._element)
    document.add_paragraph("{%p if sections.staffing %}", style="ReportBody")
    document.add_paragraph("另见：{{ department }}", style="ReportBody")
    document.add_paragraph("{%p endif %}", style="ReportBody")
    document.save(str(template))


def test_the_samples_are_made_from_the_layouts_outline(tmp_path: Path) -> None:
    folder = district_layout(tmp_path)
    complete, sparse = samples(load_layout(folder, str(tmp_path)))
    assert list(complete.document.data["sections"]) == [
        "preface",
        "functions",
        "staffing",
        "annual_work",
        "goals",
        "performance_management",
        "evaluation",
        "problems",
        "measures",
        "own_section",
    ]
    # a department's own section in the first chapter printed as one body
    assert complete.document.data["outline"] == {
        "extra_sections": [
            {"key": "own_section", "heading": "本部门增加的一节（示例）", "chapter": "evaluation"}
        ]
    }
    assert "outline" not in sparse.document.data
    assert (
        complete.document.data["sections"]["staffing"][0] == "这是“设置机构及人员情况”的示例正文。"
    )
    assert complete.document.data["layout"] == "bureau"
    outline, _ = load_outline(folder / "outline.yaml")
    assert outline is not None
    required = [key for key, _ in plan_of(outline).required()]
    assert list(sparse.document.data["sections"]) == required


def test_layout_check_follows_the_layouts_own_outline(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 0, result.output
    _remove_chapter_body(folder / "template.docx")
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    template = folder / "template.docx"
    tried = "［试渲染：完整示例数据、最少示例数据（只有必填项）］"
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{template}: 模板没有印出“绩效自评情况”一节（sections.evaluation）的内容{tried}",
        f"{template}: 模板没有印出“存在的主要问题”一节（sections.problems）的内容{tried}",
        f"{template}: 模板没有印出“下一步改进措施”一节（sections.measures）的内容{tried}",
        f"bureau（{folder}）: 有问题",
    ]
    check = runner.invoke(
        app,
        [
            "template",
            "check",
            str(template),
            "--templates",
            str(tmp_path / "layouts"),
            "--layout",
            "bureau",
        ],
    )
    assert check.exit_code == 1
    assert [line.removeprefix(f"{template}: ") for line in result.output.splitlines()[:-1]] == [
        line.split(": ", 1)[-1] if line.startswith(str(template)) else line
        for line in check.output.splitlines()
        if "没有印出" in line
    ]


def test_template_preview_renders_the_layouts_own_samples(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "template",
            "preview",
            str(folder / "template.docx"),
            "-o",
            str(out),
            "--templates",
            str(tmp_path / "layouts"),
            "--layout",
            "bureau",
        ],
    )
    assert result.exit_code == 0, result.output
    complete = texts(out / "预览-完整示例数据.docx")
    assert "（二）设置机构及人员情况" in complete
    assert "这是“设置机构及人员情况”的示例正文。" in complete
    assert "1、示例小标题" in complete
    assert "二、绩效自评情况" in complete
    assert "这是“绩效自评情况”的示例正文。" in complete
    sparse = texts(out / "预览-最少示例数据.docx")
    assert "（二）设置机构及人员情况" in sparse
    assert "（三）部门整体支出绩效目标" not in sparse


def test_layout_new_follows_no_symbolic_link_and_leaves_no_partial_copy(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts", "loopy")
    (folder / "self").symlink_to(".")
    (folder / "parts").mkdir()
    (folder / "parts" / "up").symlink_to("..")
    result = runner.invoke(
        app,
        [
            "layout",
            "new",
            "copy",
            "--from",
            "loopy",
            "--templates",
            str(tmp_path / "layouts"),
            "--dir",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：版式文件夹 {folder} 中的 parts/up、self 是符号链接；复制版式时不跟随"
        "符号链接（它可能指向文件夹之外或指回文件夹本身），请换成实际的文件后再复制"
    ]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_layout_file_linking_out_of_its_folder_is_not_read(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    secret = tmp_path / "elsewhere.yaml"
    (folder / "outline.yaml").rename(secret)
    (folder / "outline.yaml").symlink_to(secret)
    layout = load_layout(folder, "test")
    assert layout.outline is None
    assert [f.message for f in layout.problems] == [
        "版式文件夹中的 outline.yaml 是指向文件夹之外的符号链接，未读取；版式的文件须放在版式文件夹之中"
    ]


def test_outlines_past_their_limits_are_refused_before_they_are_read(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    outline = folder / "outline.yaml"
    chapters = "".join(
        f"  - key: c{c}\n    heading: 章{c}\n    sections:\n"
        + "".join(f"      - {{key: s{c}_{s}, heading: 节}}\n" for s in range(25))
        for c in range(10)
    )
    outline.write_text(f"label: 多\nchapters:\n{chapters}", encoding="utf-8")
    assert [(f.code, f.message) for f in load_layout(folder, "t").problems] == [
        ("L003", "大纲共有 250 节，上限为 200 节")
    ]
    outline.write_text("label: 大\nchapters:\n" + "  - {key: a, heading: 章}\n" * 40)
    assert [f.message for f in load_layout(folder, "t").problems] == ["大纲有 40 章，上限为 30 章"]
    outline.write_text("# " + "长" * 40_000 + "\nlabel: x\n", encoding="utf-8")
    assert [f.message for f in load_layout(folder, "t").problems] == [
        "大纲文件过大（117 KiB），上限为 64 KiB；一个版式的章节不会有这么多"
    ]
    outline.write_text(
        f"label: x\nchapters:\n  - {{key: a, heading: {'长' * 61}, required: true}}\n",
        encoding="utf-8",
    )
    assert [f.code for f in load_layout(folder, "t").problems] == ["S003"]


def test_validate_says_per_section_what_to_do_after_an_outline_change(tmp_path: Path) -> None:
    district_layout(tmp_path / "layouts", required=False)
    nansha = DATA / "nansha-party-office-2023.yaml"
    result = runner.invoke(
        app,
        ["validate", str(nansha), "--templates", str(tmp_path / "layouts"), "--layout", "bureau"],
    )
    command = "reportgen layout migrate 数据文件 --layout bureau 可代为改写"
    merge = "整章一段：请并入 sections.evaluation（" + command + "）"
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{nansha}:72:3 错误 R002 sections.evaluation: 缺少必填的一节“绩效自评情况”："
        "“绩效自评情况”在版式“bureau”中整章一段，数据中的 conclusion、effectiveness、efficiency "
        f"原是这一章的各节：请把它们合并为 sections.evaluation（{command}）",
        f"{nansha}:98:15 警告 R002 sections.conclusion: “conclusion”（自评结论）原属“绩效自评情况”一章，"
        f"这一章在版式“bureau”中{merge}",
        f"{nansha}:101:5 警告 R002 sections.effectiveness: “effectiveness”（履职效能分析）原属"
        f"“绩效自评情况”一章，这一章在版式“bureau”中{merge}",
        f"{nansha}:124:5 警告 R002 sections.efficiency: “efficiency”（管理效率分析）原属"
        f"“绩效自评情况”一章，这一章在版式“bureau”中{merge}",
        f"{nansha}: 未通过（1 个错误，3 个警告）",
    ]


def test_the_four_examples_are_migrated_to_new_files_and_render(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    district_layout(layouts, required=False)
    for source in sorted(DATA.glob("*.yaml")):
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        result = runner.invoke(
            app, ["layout", "migrate", str(copy), "--layout", "bureau", "--templates", str(layouts)]
        )
        assert result.exit_code == 0, result.output
        target = tmp_path / f"{source.stem}.bureau.yaml"
        assert copy.read_bytes() == source.read_bytes()
        text = target.read_text(encoding="utf-8")
        assert "layout: bureau" in text
        assert "注释未保留" not in result.output
        # the file's opening comment travels with it
        assert text.splitlines()[0] == source.read_text(encoding="utf-8").splitlines()[0]
        again = runner.invoke(
            app, ["layout", "migrate", str(copy), "--layout", "bureau", "--templates", str(layouts)]
        )
        assert again.exit_code == 2
        assert f"{target} 已存在，为免覆盖未写入" in again.output
        assert target.read_text(encoding="utf-8") == text
    rendered = runner.invoke(
        app,
        [
            "render",
            *map(str, sorted(tmp_path.glob("*.bureau.yaml"))),
            "--templates",
            str(layouts),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert rendered.exit_code == 0, rendered.output
    nansha = texts(next((tmp_path / "out").glob("*南沙*.docx")))
    assert "二、绩效自评情况" in nansha
    assert "（一）自评结论" in nansha and "（三）管理效率分析" in nansha
    conghua = tmp_path / "conghua-archives-2023.bureau.yaml"
    assert "extra_sections" not in conghua.read_text(encoding="utf-8")
    assert "  omit: [goals]                            # 略去选填的“部门整体支出绩效目标”" in (
        conghua.read_text(encoding="utf-8")
    )


def test_outline_mistakes_come_in_one_run(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    outline = folder / "outline.yaml"
    text = outline.read_text(encoding="utf-8")
    text = text.replace("      - key: annual_work\n", "      - key: functions\n")
    text = text.replace(
        "        heading: 部门整体支出绩效目标\n",
        "        heading: 部门整体支出绩效目标\n        required: yes\n",
    )
    text = text.replace(
        "    heading: 下一步改进措施\n", "    heading: 下一步改进措施\n    sections: []\n"
    )
    outline.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    where = {
        key: lines.index(line) + 1
        for key, line in (
            ("dup", "      - key: functions"),
            ("yes", "        required: yes"),
            ("empty", "    sections: []"),
        )
        if line in lines
    }
    first = lines.index("      - key: functions") + 1
    dup = [i + 1 for i, line in enumerate(lines) if line == "      - key: functions"][1]
    assert [f.as_text() for f in load_layout(folder, "t").problems] == [
        f"{outline}:{dup}:14 错误 L001 chapters[0].sections[2].key: 键名“functions”重复："
        f"第{first}行已用过；每一章、每一节的键名都不能相同",
        f"{outline}:{where['yes']}:19 错误 S003 chapters[0].sections[3].required: "
        "应为 true 或 false，实际为“yes”",
        f"{outline}:{where['empty']}:15 错误 S003 chapters[3].sections: sections 是空的：不分节的章"
        "请删去 sections 这一行（正文写在数据 sections 下章的键名中）",
    ]


def test_after_chapter_bodies_changes_to_its_sections_say_why(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(
        "year: 2024\ndepartment: 广州市示例区档案馆\noutline:\n  chapter_bodies: [basics]\n"
        "  headings:\n    functions: 新标题\n  omit: [goals]\n"
        "budget:\n  expenditure:\n    total: 300.00\nscore:\n  total: 85\nsections:\n"
        "  basics: 负责全区档案工作。\n  effectiveness: 完成。\n  efficiency: 规范。\n"
        "  problems: 不均衡。\n  measures: 加强。\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(data)])
    why = "所在的“部门基本情况”一章已由 outline.chapter_bodies 改为整章一段，不再分节：请删去这一项"
    assert result.output.splitlines() == [
        f"{data}:6:16 错误 R010 outline.headings.functions: “functions”{why}",
        f"{data}:7:10 错误 R010 outline.omit[0]: “goals”{why}",
        f"{data}: 未通过（2 个错误，0 个警告）",
    ]


def test_every_filter_example_in_the_docs_prints_what_the_docs_say() -> None:
    import re

    from reportgen.template.sandbox import jinja_environment

    page = (Path(__file__).parents[1] / "docs" / "template-context.md").read_text(encoding="utf-8")
    page = page.split("## 过滤器", 1)[1].split("\n## ", 1)[0]
    rows = [
        line
        for line in page.splitlines()
        if re.match(r"\| `(money|percent|score|cn_number)`", line)
    ]
    assert len(rows) == 4
    env = jinja_environment()
    for row in rows:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        examples = re.findall(r"`([^`]+)`", cells[2].replace("\\|", "|"))
        printed = [env.from_string(example).render() for example in examples]
        shown = re.split(r"[、；]", cells[3].split("（")[0])
        assert [p.rstrip("、") for p in printed] == [s for s in shown if s][: len(printed)], row


def test_a_figure_the_sparse_sample_lacks_is_a_located_problem_not_a_crash(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    document = docx.Document(str(folder / "template.docx"))
    document.add_paragraph(
        "执行率：{{ figures['budget.execution_rate']|percent }}", style="ReportBody"
    )
    document.add_paragraph(
        "{% if 'budget.execution_rate' in figures %}执行率："
        "{{ figures['budget.execution_rate']|percent }}{% endif %}",
        style="ReportBody",
    )
    document.save(str(folder / "template.docx"))
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if "execution_rate" in line]
    assert len(problems) == 1, result.output
    assert "这份数据没有数字“budget.execution_rate”" in problems[0]
    assert "［试渲染：最少示例数据（只有必填项）］" in problems[0]


DOCS = Path(__file__).parents[1] / "docs" / "templates.md"


def _code_blocks(after: str, language: str = "") -> list[str]:
    import re

    text = DOCS.read_text(encoding="utf-8").split(after, 1)[1]
    return re.findall(r"```" + language + r"\n(.*?)```", text, re.S)


def test_the_documented_outline_and_its_documented_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["layout", "new", "conghua", "--from", "default", "--dir", "版式"])
    assert made.exit_code == 0
    copied = Path("版式/conghua/outline.yaml").read_text(encoding="utf-8").splitlines()
    # the documented outline below the copied file's two comment lines
    assert all(line.startswith("# ") for line in copied[:2])
    outline = "\n".join(copied[:2]) + "\n" + _code_blocks("**第二步", "yaml")[0]
    Path("版式/conghua/outline.yaml").write_text(outline, encoding="utf-8")
    checked = runner.invoke(app, ["layout", "check", "conghua", "--templates", "版式"])
    assert checked.exit_code == 0, checked.output
    shown = _code_blocks("大纲写错时给出中文说明和位置")[0].strip().splitlines()
    broken = (
        outline.replace("[一、, （一）, 1、, （1）]", "[一、, （一）, 1), （1）]")
        .replace("      - key: annual_work\n", "      - key: functions\n")
        .replace(
            "        heading: 年度总体工作和重点工作任务\n",
            "        headng: 年度总体工作和重点工作任务\n",
        )
    )
    Path("版式/conghua/outline.yaml").write_text(broken, encoding="utf-8")
    checked = runner.invoke(app, ["layout", "check", "conghua", "--templates", "版式"])
    assert checked.exit_code == 1
    assert checked.output.splitlines()[:-1] == shown


def test_tables_follow_the_sections_and_chapters_the_outline_names(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    outline = folder / "outline.yaml"
    text = outline.read_text(encoding="utf-8")
    text = text.replace(
        "        from_facts: finance          # 数据未写时由收支数字生成\n",
        "        from_facts: finance\n        budget_table: true\n",
    )
    text = text.replace(
        "    heading: 绩效自评情况\n    required: true\n",
        "    heading: 绩效自评情况\n    required: true\n    indicator_table: true\n",
    )
    outline.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "template",
            "preview",
            str(folder / "template.docx"),
            "-o",
            str(out),
            "--templates",
            str(tmp_path / "layouts"),
            "--layout",
            "bureau",
        ],
    )
    assert result.exit_code == 0, result.output
    printed = texts(out / "预览-完整示例数据.docx")
    finance = printed.index("（五）部门整体收支情况")
    table = printed.index("预算数（万元）")
    assert finance < table < printed.index("（六）部门整体绩效管理情况")
    assert printed[table - 1 : table + 7] == [
        "项目",
        "预算数（万元）",
        "支出数（万元）",
        "执行率",
        "支出合计",
        "1,200.00",
        "1,140.00",
        "95.00%",
    ]
    body = printed.index("这是“绩效自评情况”的示例正文。")
    indicators = printed.index("指标名称")
    assert body < indicators < printed.index("三、存在的主要问题")
    assert "评审项目数" in printed[indicators : printed.index("三、存在的主要问题")]
    sparse = texts(out / "预览-最少示例数据.docx")
    assert "指标名称" not in sparse  # no indicators: no table
    assert "支出合计" in sparse


def _inserted(template: Path, before: str, text: str) -> None:
    document = docx.Document(str(template))
    for paragraph in document.paragraphs:
        if paragraph.text == before:
            paragraph.insert_paragraph_before(text, style="ReportBody")
    document.save(str(template))


def test_problems_are_placed_under_the_headings_a_reader_sees(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    template = folder / "template.docx"
    _inserted(template, "{{p section.body }}", "注：{{ section.heding }}")
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{template}: 正文段落“注：{{{{ section.heding }}}}”（标题“（一）部门职能”等之下）："
        "SectionView 没有“heding”（是否想写“heading”？）；可用的属性见 reportgen template vars"
        "［试渲染：完整示例数据、最少示例数据（只有必填项）］",
        f"bureau（{folder}）: 有问题",
    ]


def test_an_unclosed_block_is_one_problem_without_its_consequences(tmp_path: Path) -> None:
    folder = district_layout(tmp_path / "layouts")
    template = folder / "template.docx"
    _inserted(template, "{%p for chapter in outline %}", '{%p if attachment == "无" %}')
    result = runner.invoke(
        app, ["layout", "check", "bureau", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{template}: 正文段落“{{%p if attachment == "无" %}}”（标题“部门整体支出绩效自评报告”之下）：'
        "标签没有成对出现：{% if %} 缺少对应的 {% endif %}",
        f"bureau（{folder}）: 有问题",
    ]


def test_template_vars_lists_the_sections_of_a_layout_of_ones_own(tmp_path: Path) -> None:
    district_layout(tmp_path / "layouts")
    listed = runner.invoke(
        app, ["template", "vars", "--templates", str(tmp_path / "layouts"), "--layout", "bureau"]
    )
    assert listed.exit_code == 0, listed.output
    keys = [
        line.split("`")[1]
        for line in listed.output.split("## 各节的键", 1)[1].split("\n## ", 1)[0].splitlines()
        if line.startswith("| `")
    ]
    assert keys == [
        "functions",
        "staffing",
        "annual_work",
        "goals",
        "finance",
        "performance_management",
        "evaluation",
        "problems",
        "measures",
    ]
    assert "| `staffing` | bureau：设置机构及人员情况 | bureau |" in listed.output
    every = runner.invoke(app, ["template", "vars", "--templates", str(tmp_path / "layouts")])
    assert "| `staffing` |" in every.output and "| `project_spending` |" in every.output
    assert "| `staffing` |" not in runner.invoke(app, ["template", "vars"]).output
    unknown = runner.invoke(app, ["template", "vars", "--layout", "bureau"])
    assert unknown.exit_code == 2
    assert unknown.output.startswith("错误：未知的版式“bureau”")
