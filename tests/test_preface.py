"""The preface: untitled, unnumbered text before the first chapter, declared by a layout's outline
(``preface:``), written in the data's ``sections``, printed before 一、 only when written, and
where an import puts the text between a report's title and its first chapter."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reportgen.check.validate import validate_file, validate_text
from reportgen.cli.app import app
from reportgen.docs.json_schema import report_schema
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.outline import searching
from reportgen.layout.search import LayoutSearch
from reportgen.output.render import render_to_file
from reportgen.serve.workbench import Workbench
from tests.conftest import COMPLETE
from tests.readback import (
    EXAMPLES,
    NS,
    Para,
    W,
    document_xml,
    paragraph_text,
    paragraphs,
    render_data,
    render_file,
)
from tests.test_fidelity import seeds

runner = CliRunner()

BASE: dict[str, Any] = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))


def preface(year: int) -> str:
    return (
        f"根据《关于开展{year}年度部门整体支出绩效自评工作的通知》要求，"
        f"现将我单位{year}年度部门整体支出绩效自评情况报告如下："
    )


PREFACE = preface(BASE["year"])
OUTLINE_LINES = "preface:\n  key: preface\n"


def _data(layout: str = "default", **sections: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["layout"] = layout
    data["sections"] = {**sections, **data["sections"]}
    return data


def _findings(data: dict[str, Any], search: LayoutSearch | None = None) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    return [f.as_text() for f in validate_text(text, "case.yaml", search).findings]


def _before_first_chapter(docx: Path) -> list[Para]:
    """The paragraphs between the title's last line and the first 一、 heading."""
    found = paragraphs(docx)
    title = max(i for i, p in enumerate(found) if p.style == "ReportTitle")
    first = next(i for i, p in enumerate(found) if p.style == "ReportHeading1")
    assert found[first].text.startswith("一、")
    return found[title + 1 : first]


def _layout(directory: Path, name: str, edit: tuple[str, str] | None = None) -> LayoutSearch:
    """``layout new --from default``, its outline changed by ``edit`` (old, new)."""
    result = runner.invoke(
        app, ["layout", "new", name, "--from", "default", "--dir", str(directory)]
    )
    assert result.exit_code == 0, result.output
    outline = directory / name / "outline.yaml"
    if edit is not None:
        text = outline.read_text(encoding="utf-8")
        assert edit[0] in text
        outline.write_text(text.replace(*edit), encoding="utf-8")
    return LayoutSearch((directory,))


# ---- printed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["default", "huadu", "panyu", "tables"])
def test_a_preface_is_printed_before_the_first_chapter_in_the_body_style(
    layout: str, tmp_path: Path
) -> None:
    docx = render_data(_data(layout, preface=PREFACE), tmp_path)
    # the spacer under the title, then the preface: its exact text, no number, no heading
    assert _before_first_chapter(docx) == [Para("ReportBody", ""), Para("ReportBody", PREFACE)]
    without = render_data(_data(layout), tmp_path / "without")
    assert _before_first_chapter(without) == [Para("ReportBody", "")]
    # no numbering of Word's either: the paragraph is the body style's, as every text paragraph
    [xml] = [p for p in document_xml(docx).iter(f"{W}p") if paragraph_text(p) == PREFACE]
    assert xml.find("w:pPr/w:numPr", NS) is None
    assert xml.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "ReportBody"
    # the one paragraph more: every other paragraph is the same
    printed = paragraphs(docx)
    printed.remove(Para("ReportBody", PREFACE))
    assert printed == paragraphs(without)


def test_no_preface_adds_no_paragraph_to_the_examples(tmp_path: Path) -> None:
    for source in EXAMPLES:
        before = _before_first_chapter(render_file(source, tmp_path / source.stem))
        assert before == [Para("ReportBody", "")], source.name


def test_a_preface_of_several_paragraphs_with_figures(tmp_path: Path) -> None:
    lines = [
        "根据有关要求，现将${year}年度自评情况报告如下：",
        {"numbered": ["第一点。", "第二点。"]},
    ]
    docx = render_data(_data(preface=lines), tmp_path)
    assert _before_first_chapter(docx) == [
        Para("ReportBody", ""),
        Para("ReportBody", f"根据有关要求，现将{BASE['year']}年度自评情况报告如下："),
        Para("ReportBody", "1.第一点。"),
        Para("ReportBody", "2.第二点。"),
    ]
    headings = [p.text for p in paragraphs(docx) if p.style == "ReportHeading1"]
    assert headings[:2] == ["一、部门基本情况", "二、绩效自评情况"]


def test_the_department_may_omit_the_optional_preface(tmp_path: Path) -> None:
    data = _data(preface=PREFACE)
    data["outline"] = {"omit": ["preface"]}
    assert _findings(data) == [
        "case.yaml:90:12 警告 R002 sections.preface: outline.omit 略去了“preface”，"
        "这一节的内容不会出现在报告中"
    ]
    assert _before_first_chapter(render_data(data, tmp_path)) == [Para("ReportBody", "")]


# ---- validated ----------------------------------------------------------------------------------


def test_a_preface_is_validated_like_a_section() -> None:
    assert _findings(_data(preface=PREFACE)) == []
    assert _findings(_data(preface=[{"tilte": "x"}])) == [
        "case.yaml:91:5 错误 S002 sections.preface[0].tilte: 未知的键“tilte”（是否想写“title”？）"
    ]
    # its words are checked as every section's are (R005: a year other than the report's)
    assert (
        _findings(_data(preface=preface(2023)))
        == [
            "case.yaml:90:12 警告 R005 sections.preface: 正文写的是“2023年度”，而报告年度是 2024 年；"
            "请确认，或改用 ${year}",
        ]
        * 2
    )


def test_changes_the_preface_cannot_take_are_said() -> None:
    data = _data(preface=PREFACE)
    data["outline"] = {
        "headings": {"preface": "前言"},
        "notes": {"preface": "说明"},
        "extra_sections": [{"key": "staffing", "heading": "人员情况", "after": "preface"}],
    }
    data["sections"]["staffing"] = "人员 30 人。"
    found = [f.split(": ", 1)[1] for f in _findings(data) if " R010 " in f]
    assert found == [
        "“preface”是第一章之前的前言，不印标题，也就无从改写标题：请删去这一项",
        "“preface”是第一章之前的前言，不印标题，也就无从在标题后加注：请删去这一项",
        "“preface”是第一章之前的前言，不在任何一章中：新节只能放在某一节之前或之后（after、before），"
        "或某一章的最后（chapter: basics、evaluation、problems、measures 之一）",
    ]
    data["outline"] = {
        "extra_sections": [{"key": "staffing", "heading": "人员", "chapter": "preface"}]
    }
    [found] = [f.split(": ", 1)[1] for f in _findings(data) if " R010 " in f]
    assert found.startswith("“preface”是第一章之前的前言，不在任何一章中：")


def test_a_layout_without_a_preface_does_not_print_one(tmp_path: Path) -> None:
    search = _layout(tmp_path / "layouts", "plain", (OUTLINE_LINES, ""))
    data = _data("plain", preface=PREFACE)
    [warning] = _findings(data, search)
    assert warning.startswith(
        "case.yaml:90:12 警告 R002 sections.preface: 版式“plain”不输出“preface”这一节，"
        "其内容不会出现在报告中（该版式输出：functions、"
    )
    assert _findings(_data("plain"), search) == []


def test_a_layout_may_require_its_preface_and_name_it(tmp_path: Path) -> None:
    edit = (OUTLINE_LINES, "preface:\n  key: foreword\n  name: 引言\n  required: true\n")
    search = _layout(tmp_path / "layouts", "strict", edit)
    assert _findings(_data("strict"), search) == [
        "case.yaml:90:3 错误 R002 sections.foreword: 缺少必填的一节“引言”"
    ]
    assert _findings(_data("strict", foreword=PREFACE), search) == []
    data = _data("strict", foreword=PREFACE)
    data["outline"] = {"omit": ["foreword"]}
    assert [f.split(": ", 1)[1] for f in _findings(data, search)] == [
        "“foreword”（引言）是必填的一节，不能略去"
    ]
    schema = report_schema(search, "strict")
    assert next(iter(schema["$defs"]["Sections"]["properties"])) == "foreword"
    description = schema["$defs"]["Sections"]["properties"]["foreword"]["description"]
    assert description == "引言（第一章之前，不印标题、不编号）"
    assert {"properties": {"sections": {"required": ["foreword"]}}, "required": ["sections"]} in (
        schema.get("allOf") or []
    )


@pytest.mark.parametrize(
    ("outline", "expected"),
    [
        (
            "preface:\n  key: Preface\n",
            "outline.yaml:9:8 错误 S003 preface.key: 节的键名须为小写，如 preface",
        ),
        (
            "preface:\n  key: preface\n  requird: true\n",
            "outline.yaml:10:3 错误 S002 preface.requird: 未知的键“requird”（是否想写“required”？）",
        ),
        (
            "preface:\n  key: functions\n",
            "outline.yaml:15:14 错误 L001 chapters[0].sections[0].key: 键名“functions”重复："
            "第9行已用过；每一章、每一节的键名都不能相同",
        ),
        (
            "preface:\n  key: preface\n  required: yes\n",
            "outline.yaml:10:13 错误 S003 preface.required: 应为 true 或 false，实际为“yes”",
        ),
    ],
)
def test_outline_mistakes_in_the_preface(outline: str, expected: str, tmp_path: Path) -> None:
    _layout(tmp_path / "layouts", "mine", (OUTLINE_LINES, outline))
    result = runner.invoke(
        app, ["layout", "check", "mine", "--templates", str(tmp_path / "layouts")]
    )
    assert result.exit_code == 1
    folder = tmp_path / "layouts" / "mine"
    assert result.output.splitlines()[0] == f"{folder}/{expected}"


# ---- templates ----------------------------------------------------------------------------------


def test_the_builtin_layouts_check_with_their_preface() -> None:
    result = runner.invoke(app, ["layout", "check", "default", "huadu", "panyu", "tables"])
    assert result.exit_code == 0, result.output


def _checked_without(tmp_path: Path, dropped: tuple[int, ...]) -> tuple[Path, Any]:
    """Layout “mine” (the default's copy) with the template's preface paragraphs at
    ``dropped`` (0 the if, 1 the value, 2 the endif) removed, and what `layout check` says."""
    import docx

    _layout(tmp_path / "layouts", "mine")
    template = tmp_path / "layouts" / "mine" / "template.docx"
    document = docx.Document(str(template))
    body = document.paragraphs
    start = next(i for i, p in enumerate(body) if p.text == "{%p if preface %}")
    assert [p.text for p in body[start : start + 3]] == [
        "{%p if preface %}",
        "{{p preface }}",
        "{%p endif %}",
    ]
    for paragraph in [body[start + n] for n in dropped]:
        paragraph._element.getparent().remove(paragraph._element)
    document.save(str(template))
    layouts = str(tmp_path / "layouts")
    return template, runner.invoke(app, ["layout", "check", "mine", "--templates", layouts])


def test_a_template_that_leaves_the_preface_out_is_found(tmp_path: Path) -> None:
    template, result = _checked_without(tmp_path, (0, 1, 2))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{template}: 模板没有印出“前言”（sections.preface，第一章之前用 {{%p if preface %}}"
        "{{p preface }}{%p endif %} 印出）的内容［试渲染：完整示例数据］",
        f"mine（{tmp_path / 'layouts' / 'mine'}）: 有问题",
    ]
    # data without a preface still renders with it; data with one is refused, never cut
    source = tmp_path / "in" / "report.yaml"
    source.parent.mkdir()
    for data, code in ((_data("mine"), 0), (_data("mine", preface=PREFACE), 1)):
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        args = ["render", str(source), "-o", str(tmp_path / f"out{code}")]
        result = runner.invoke(app, [*args, "--templates", str(tmp_path / "layouts")])
        assert result.exit_code == code, result.output
    assert "没有印出“前言”" in result.output and not (tmp_path / "out1").exists()


# ---- the form, the starter ----------------------------------------------------------------------


def test_the_form_lists_the_preface_first(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(COMPLETE.read_text(encoding="utf-8"), encoding="utf-8")
    check = Workbench(tmp_path).open("r.yaml")["check"]
    assert check["sections"][:2] == [
        {"key": "preface", "heading": "前言（第一章之前，不印标题、不编号）", "required": False},
        {"key": "functions", "heading": "部门职能", "required": True},
    ]


def test_the_starter_of_a_layout_offers_the_preface(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    result = runner.invoke(app, ["init", str(target), "--layout", "huadu"])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert (
        "sections:\n"
        "  # 前言（第一章之前，不印标题、不编号）（选填）；要写时去掉下一行行首的 #\n"
        "  # preface: 根据《……》要求，现将我单位${year}年度部门整体支出绩效自评情况报告如下：\n"
        "  # 一、基本情况\n"
    ) in text
    uncommented = text.replace("  # preface:", "  preface:")
    source = tmp_path / "u.yaml"
    source.write_text(uncommented, encoding="utf-8")
    assert [f for f in validate_text(uncommented).findings if f.is_error] == []


# ---- import -------------------------------------------------------------------------------------


def _seed(n: str) -> Path:
    [source] = seeds().glob(f"{n}_*.txt")
    return source


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_the_seeds_have_no_preface_and_keep_their_titles(seed: str) -> None:
    imported = import_report(_seed(seed))
    draft = draft_text(imported)
    assert "preface" not in yaml.safe_load(draft)["sections"]
    assert "【待核对】原文标题之后" not in draft


def _with_preface(seed: str, *lines: str) -> str:
    """The seed's text with ``lines`` between its title and its first chapter."""
    text = _seed(seed).read_text(encoding="utf-8")
    first = text.index("一、")
    return text[:first] + "".join(f"{line}\n\n" for line in lines) + text[first:]


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_text_before_the_first_chapter_is_imported_as_the_preface(
    seed: str, tmp_path: Path
) -> None:
    source = tmp_path / "report.txt"
    # a PDF's line wrap inside the preface, as the seeds have them
    year = yaml.safe_load(draft_text(import_report(_seed(seed))))["year"]
    text = preface(year)
    source.write_text(_with_preface(seed, text[:30], text[30:]), encoding="utf-8")
    imported = import_report(source)
    draft = draft_text(imported)
    data = yaml.safe_load(draft)
    written = data["sections"]["preface"]
    # the year of the notice's title is kept as printed, the report's own becomes ${year}
    assert written == [text.replace(f"我单位{year}", "我单位${year}")]
    assert "【待核对】" not in "\n".join(line for line in draft.split("\n") if "根据《" in line)
    assert not any("第一章之前" in note for note in imported.notes)
    plain = draft_text(import_report(_seed(seed)))
    assert yaml.safe_load(plain)["department"] == data["department"]
    assert yaml.safe_load(plain).get("attachment") == data.get("attachment")
    # and the report prints it before 一、
    target = tmp_path / "draft.yaml"
    target.write_text(draft, encoding="utf-8")
    before = _before_first_chapter(render_file(target, tmp_path / "out"))
    assert [p.text for p in before] == ["", text]


def test_short_lines_under_the_title_are_kept_in_the_preface_and_marked(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    text = _with_preface("000", "广州市番禺区人民政府办公室", preface(2023))
    source.write_text(text, encoding="utf-8")
    imported = import_report(source)
    note = (
        "原文标题之下、第一章之前的“广州市番禺区人民政府办公室”不像正文的句子（落款、日期或副标题？），"
        "已放在前言之首，将印在第一章之前：不属于报告正文的请删去"
    )
    assert note in imported.notes
    draft = draft_text(imported)
    assert (
        "  preface:\n"
        f"    - 广州市番禺区人民政府办公室  # 【待核对】{note}\n"
        "    - 根据《关于开展2023年度部门整体支出绩效自评工作的通知》要求，"
        "现将我单位${year}年度部门整体支出绩效自评情况报告如下：\n"
    ) in draft


def test_without_a_preface_in_the_layout_the_text_stays_marked_in_the_first_section(
    tmp_path: Path,
) -> None:
    search = _layout(tmp_path / "layouts", "plain", (OUTLINE_LINES, ""))
    source = tmp_path / "report.txt"
    source.write_text(_with_preface("000", preface(2023)), encoding="utf-8")
    with searching(search):
        imported = import_report(source, "plain")
    note = (
        "原文标题之后、第一章之前的 1 段文字（“根据《关于开展2023年度部门整体支出绩……”起）"
        "没有对应的章节，放在“部门职能”一节之首：请移到合适的位置"
    )
    assert note in imported.notes
    draft = draft_text(imported)
    assert "preface" not in yaml.safe_load(draft)["sections"]
    assert (
        "  functions:\n    - 根据《关于开展2023年度部门整体支出绩效自评工作的通知》要求，" in draft
    )
    assert f"报告如下：  # 【待核对】{note}\n" in draft


def test_a_title_that_does_not_end_in_report_does_not_swallow_the_preface(
    tmp_path: Path,
) -> None:
    """“……自评情况” ends no title line as “……自评报告” does: the sentence under it is the
    preface, not the title's last line."""
    source = tmp_path / "report.txt"
    text = _with_preface("000", preface(2023)).replace("绩效自评报告", "绩效自评情况", 1)
    source.write_text(text, encoding="utf-8")
    imported = import_report(source)
    assert (imported.year, imported.department) == (2023, "广州市番禺区人民政府办公室")
    assert imported.notes[0] == (
        "原文标题为“2023年度广州市番禺区人民政府办公室部门整体支出绩效自评情况”；reportgen 的标题总是"
        "“年度＋部门名称＋部门整体支出绩效自评报告”，将印为“2023年度广州市番禺区人民政府办公室部门整体支出绩效自评报告”"
    )
    sections = yaml.safe_load(draft_text(imported))["sections"]
    assert sections["preface"] == [preface(2023).replace("我单位2023", "我单位${year}")]


def test_a_report_of_ours_with_a_preface_imports_back_to_it(tmp_path: Path) -> None:
    data = _data(preface=[PREFACE, "本报告金额单位均为万元。"])
    imported = import_report(render_data(data, tmp_path))
    assert imported.notes == []
    sections = yaml.safe_load(draft_text(imported))["sections"]
    written = PREFACE.replace(f"我单位{BASE['year']}", "我单位${year}")
    assert sections["preface"] == [written, "本报告金额单位均为万元。"]


def test_a_preface_printed_without_its_if_is_found_in_the_sparse_sample(tmp_path: Path) -> None:
    template, result = _checked_without(tmp_path, (0, 2))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{template}: 正文段落“{{{{p preface }}}}”（标题“部门整体支出绩效自评报告”之下）："
        "这里输出的值在这份数据中为空，会印出“None”；请用 {% if … %} 判断后再输出"
        "［试渲染：最少示例数据（只有必填项）］"
    )


def test_migrate_carries_the_preface_to_the_layouts_key_or_says_it_has_none(
    tmp_path: Path,
) -> None:
    layouts = tmp_path / "layouts"
    _layout(layouts, "plain", (OUTLINE_LINES, ""))
    _layout(layouts, "fw", (OUTLINE_LINES, "preface:\n  key: foreword\n"))
    source = tmp_path / "data.yaml"
    source.write_text(
        yaml.safe_dump(_data("panyu", preface=PREFACE), allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    for layout, step in (
        ("fw", "前言 sections.preface 改名为 sections.foreword（版式“fw”前言的键名）"),
        (
            "plain",
            "版式“plain”没有前言（第一章之前不印标题的一段）：sections.preface 不会印出；"
            "请把它并入某一节的正文，或换用有前言的版式",
        ),
    ):
        target = tmp_path / f"{layout}.yaml"
        options = ["--layout", layout, "--templates", str(layouts), "-o", str(target)]
        result = runner.invoke(app, ["layout", "migrate", str(source), *options])
        assert result.output.splitlines()[0] == f"  sections.preface: {step}"
        sections = yaml.safe_load(target.read_text(encoding="utf-8"))["sections"]
        if layout == "fw":
            assert (result.exit_code, sections["foreword"]) == (0, PREFACE)
            assert "preface" not in sections
            validation = validate_file(target, search=LayoutSearch((layouts,)))
            assert validation.ok, [f.as_text() for f in validation.findings]
            docx = render_to_file(validation, tmp_path / "out")
            assert _before_first_chapter(docx)[1:] == [Para("ReportBody", PREFACE)]
        else:
            assert sections["preface"] == PREFACE  # kept, never dropped; validate warns (R002)
