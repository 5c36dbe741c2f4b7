"""Rendering: each example reads back with its outline, prose and figures; failures leave no file."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.check.figures import figure_table
from reportgen.check.validate import validate_file
from reportgen.context.fields import Numbering, build_context
from reportgen.errors import RenderError, TemplateError
from reportgen.findings import format_path
from reportgen.layout.numbering import chinese_number
from reportgen.layout.outline import Plan
from reportgen.model import formatting
from reportgen.output.render import render_document, render_to_file
from reportgen.template.cache import TemplateCache
from reportgen.template.sandbox import jinja_environment
from tests.conftest import COMPLETE
from tests.readback import (
    DATA,
    EXAMPLES,
    TEMPLATES,
    W,
    load_example,
    paragraphs,
    part,
    render_data,
    render_file,
    texts,
    write_yaml,
)

CHINESE = "一二三四五六七八九十"
ITEM_END = "；;。，,、"  # a joined item's own closing punctuation gives way to “；”
PLACEHOLDER = re.compile(r"\$\$\{|\$\{([^{}]*)\}")
NANSHA = DATA / "nansha-party-office-2023.yaml"


def outline(plan: Plan, present: set[str]) -> list[tuple[str | None, str]]:
    """(section key, heading with its number) in print order; a chapter with （一） sections has
    no key of its own."""
    found: list[tuple[str | None, str]] = []
    for i, chapter in enumerate(plan.chapters, 1):
        found.append(
            (chapter.key if chapter.body else None, f"{CHINESE[i - 1]}、{chapter.heading}")
        )
        shown = [s for s in chapter.sections if s.key in present or s.from_facts is not None]
        found += [(s.key, f"（{CHINESE[n - 1]}）{s.heading}") for n, s in enumerate(shown, 1)]
    return found


def fill(text: str, figures: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return "${" if match.group(1) is None else figures[match.group(1).strip()]

    return PLACEHOLDER.sub(replace, text)


def narrative_strings(value: Any, figures: dict[str, str]) -> list[str]:
    """The text a section's raw YAML asks for, in print order; block options are not text."""
    if isinstance(value, str):
        return [fill(line.strip(), figures) for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [text for block in value for text in narrative_strings(block, figures)]
    found = []
    for key in ("intro", "title", "text", "numbered", "joined", "body", "outro"):
        if key in value:
            strings = narrative_strings(value[key], figures)
            found += [s.rstrip(ITEM_END) for s in strings] if key == "joined" else strings
    return found


def printed_fact(path: tuple[str | int, ...], value: Any) -> str | None:
    """How a fact from the YAML must read in the report, or None for settings never printed."""
    key = next(p for p in reversed(path) if isinstance(p, str))
    text = str(value)
    if isinstance(value, bool) or key in {"category", "direction"}:
        return None
    if key in {"execution_rate", "share", "rate", "limit"}:
        return formatting.percent(Decimal(text.rstrip("%")))
    if key in {"target", "actual"}:
        return formatting.quantity(Decimal(text))
    if key in {"max", "max_score", "score"} or path == ("score", "total"):
        return formatting.score(Decimal(text))
    if key == "year":
        return text
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        return formatting.money(Decimal(text.replace(",", "")))
    return text.rstrip(ITEM_END) if path[0] == "key_tasks" else text


def printed_in(fact: str, text: str) -> bool:
    """A figure must stand alone: 80 inside 1,829.40 does not count."""
    before = r"(?<![\d.,])" if fact[:1].isdigit() else ""
    after = r"(?![\d])" if fact[-1:].isdigit() else ""
    return re.search(before + re.escape(fact) + after, text) is not None


def facts(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if path or key not in {"sections", "layout", "rules", "outline"}:
                yield from facts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from facts(item, (*path, i))
    elif value is not None and (printed := printed_fact(path, value)) is not None:
        yield format_path(path), printed


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip(example: Path, tmp_path: Path) -> None:
    data = load_example(example.stem)
    validation = validate_file(example)
    assert validation.ok, [f.as_text() for f in validation.findings]
    assert validation.report is not None and validation.derived is not None
    out = render_to_file(validation, tmp_path)
    paras = texts(out)
    assert validation.choice is not None and validation.choice.plan is not None
    sections = {key: value for key, value in data["sections"].items() if value is not None}
    expected = outline(validation.choice.plan, set(sections))

    positions, start = [], 0
    for _, heading in expected:
        assert heading in paras[start:], f"heading {heading!r} missing or out of order"
        start = paras.index(heading, start) + 1
        positions.append(start - 1)
    chapters = [heading for _, heading in expected if heading[1] == "、"]
    assert [p for p in paras if re.match(r"[一二三四五六七八九十]+、", p)] == chapters
    assert [p.text for p in paragraphs(out) if p.style == "ReportHeading1"] == chapters

    figures = figure_table(validation.report, validation.derived)
    ends = [*positions[1:], len(paras)]
    for (key, heading), begin, end in zip(expected, positions, ends, strict=True):
        if key is None:
            continue
        body = "\n".join(paras[begin + 1 : end])
        assert body, f"{heading}: empty section"
        cursor, missing = 0, []
        for text in narrative_strings(sections.get(key, ""), figures):
            found = body.find(text, cursor)
            if found < 0:
                missing.append(text)
            else:
                cursor = found + len(text)
        assert missing == [], f"{heading}: not printed (in order)"

    whole = "\n".join(paras)
    assert [(path, text) for path, text in facts(data) if not printed_in(text, whole)] == []


def test_generated_sections_when_left_out(tmp_path: Path) -> None:
    data = load_example("panyu-gov-office-2023")
    del data["sections"]["finance"], data["sections"]["conclusion"]
    paras = texts(render_data(data, tmp_path))
    finance = paras[paras.index("（四）部门整体收支情况") + 1]
    assert finance == (
        "2023年度部门预算4,281.75万元，全年支出4,191.30万元，预算执行率为97.89%。"
        "其中基本支出3,118.86万元；项目支出1,072.44万元。"
    )
    conclusion = paras[paras.index("（一）自评结论") + 1]
    assert conclusion == "2023年度部门整体支出绩效自评得分为98.79分，自评等级为“优”。"


def test_markup_characters_are_escaped_once(tmp_path: Path) -> None:
    data = load_example("huadu-gov-office-2022")
    data["department"] = "A&B<C>\"D'"
    out = render_data(data, tmp_path)
    assert out.name == "2022年度A&B_C__D'部门整体支出绩效自评报告_99867a2f.docx"
    paras = texts(out)
    assert paras[1:3] == ["2022年度A&B<C>\"D'", "部门整体支出绩效自评报告"]
    assert paras[paras.index("（一）部门概况") + 1].startswith(
        "A&B<C>\"D'（以下简称“区政府办公室”）"
    )
    xml = part(out, "word/document.xml").decode("utf-8")
    assert "A&amp;B&lt;C&gt;" in xml and "&amp;amp;" not in xml and "&amp;lt;" not in xml


def test_template_tags_in_yaml_text_print_literally(tmp_path: Path) -> None:
    data = load_example("huadu-gov-office-2022")
    data["department"] = "{{ year }}{% if true %}部门{% endif %}"
    data["sections"]["annual_work"] = (
        "标签{{ department }}与{% if true %}是{% endif %}{#注#}{%p if x %}照印"
    )
    data["sections"]["effectiveness"][0]["title"] = "{{ title }}方面。"
    paras = texts(render_data(data, tmp_path))
    title = paras[1].replace("\n", "") + paras[2]
    assert title == "2022年度{{ year }}{% if true %}部门{% endif %}部门整体支出绩效自评报告"
    assert "标签{{ department }}与{% if true %}是{% endif %}{#注#}{%p if x %}照印" in paras
    assert any(p.startswith("1.{{ title }}方面。2022年，分办") for p in paras)


BRACE_MIXES = ["甲&{_{乙", "{_{%_}}", "x{_%y}_}", "%_}{_#", "{{{", "}}}", "\\{_{\\", "{_%%_}"]


@pytest.mark.parametrize("cached", [False, True], ids=["render", "batch-cache"])
def test_brace_mixes_in_the_data_print_as_typed(cached: bool, tmp_path: Path) -> None:
    """docxtpl turns {_{ }_} {_% %_} into {{ }} {% %} in what a part printed (a template's way
    to show a tag); the data's text is not the template's and prints as typed, in the body and
    in a header."""
    document = docx.Document(str(TEMPLATES / "default" / "template.docx"))
    document.sections[0].header.paragraphs[0].text = "页眉{{ department }}"
    template = tmp_path / "header.docx"
    document.save(str(template))
    data = load_example("huadu-gov-office-2022")
    data["department"] = "甲&{_{乙"
    data["sections"]["annual_work"] = BRACE_MIXES
    source = write_yaml(data, tmp_path / "braces.yaml")
    validation = validate_file(source)
    assert validation.ok, [f.as_text() for f in validation.findings]
    content = render_document(validation, template, cache=TemplateCache() if cached else None)
    out = tmp_path / "out.docx"
    out.write_bytes(content)
    paras = texts(out)
    assert all(mix in paras for mix in BRACE_MIXES)
    assert paras[1].replace("\n", "") == "2022年度甲&{_{乙"
    header = docx.Document(str(out)).sections[0].header.paragraphs[0].text
    assert header == "页眉甲&{_{乙"


def numbered_labels(paras: list[str]) -> list[str]:
    label = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.(?!\d)|（\d+）")
    return [m.group(0) for p in paras if (m := label.match(p))]


def test_omitted_section_leaves_no_gap_and_lists_restart(tmp_path: Path) -> None:
    data = load_example("nansha-party-office-2023")
    del data["sections"]["goals"]
    data["sections"]["efficiency"][0]["body"] = [
        {"title": "编制依据：", "text": "按要求编制。"},
        {"title": "报送时限：", "text": "按时报送。"},
    ]
    out = render_data(data, tmp_path)
    paras = texts(out)
    assert [p.text for p in paragraphs(out) if p.style == "ReportHeading2"][:5] == [
        "（一）部门职能",
        "（二）年度总体工作和重点工作任务",
        "（三）部门整体收支情况",
        "（四）部门整体绩效管理情况",
        "（一）自评结论",
    ]
    assert numbered_labels(paras) == [
        "一、", "（一）", "（二）", "（三）", "（四）", "1.", "2.", "3.", "4.", "5.",
        "二、", "（一）", "（二）", "1.", "（1）", "（2）", "2.", "3.", "4.",
        "（三）", "1.", "（1）", "（2）", "2.", "（1）", "（2）", "3.", "4.", "5.", "6.", "7.",
        "三、", "四、", "（一）", "（二）",
    ]  # fmt: skip
    assert "（1）编制依据：按要求编制。" in paras


def test_long_lists_number_past_one_hundred(tmp_path: Path) -> None:
    """120 items at every level a list can sit at: 120. （120） （一百二十） and past ⑳."""
    data = load_example("nansha-party-office-2023")
    data["sections"]["functions"] = [{"numbered": [f"第{i}项职能。" for i in range(1, 121)]}]
    data["sections"]["measures"] = [
        {"title": f"措施{i}", "body": f"措施{i}的内容。"} for i in range(1, 121)
    ]
    data["sections"]["performance_management"] = [
        {
            "title": "绩效目标管理",
            "body": [
                {"title": "目标设置", "body": [{"numbered": [f"第{i}条。" for i in range(1, 61)]}]},
                *[{"title": f"第{i}项", "text": "已完成。"} for i in range(2, 121)],
            ],
        }
    ]
    out = render_data(data, tmp_path)
    paras = texts(out)
    functions = paras.index("（一）部门职能") + 1
    assert paras[functions : functions + 120] == [f"{i}.第{i}项职能。" for i in range(1, 121)]
    measures = paras.index("四、下一步改进措施") + 1
    assert paras[measures : measures + 240 : 2] == [
        f"（{chinese_number(i)}）措施{i}" for i in range(1, 121)
    ]
    assert paras[measures + 2 * 99] == "（一百）措施100"
    assert paras[measures + 2 * 100] == "（一百零一）措施101"
    assert paras[measures + 2 * 119 : measures + 2 * 120] == [
        "（一百二十）措施120",
        "措施120的内容。",
    ]
    assert [p.style for p in paragraphs(out)[measures : measures + 240 : 2]] == [
        "ReportHeading2"
    ] * 120
    goals = paras.index("1.绩效目标管理")
    assert paras[goals + 1] == "（1）目标设置"
    fifth = paras[goals + 2 : goals + 62]
    assert fifth[:3] == ["①第1条。", "②第2条。", "③第3条。"]
    assert fifth[19:22] == ["⑳第20条。", "㉑第21条。", "㉒第22条。"]
    assert fifth[49:] == ["㊿第50条。", "51)第51条。", *[f"{i})第{i}条。" for i in range(52, 61)]]
    assert paras[goals + 62] == "（2）第2项已完成。"
    assert paras[goals + 62 + 118] == "（120）第120项已完成。"


def xml_parts(document: bytes) -> dict[str, bytes]:
    """Every XML part of a .docx, canonicalised: the same XML reads the same."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return {
            name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


@pytest.mark.parametrize("stem", [*(p.stem for p in EXAMPLES), "long-list", "long-table"])
def test_body_is_the_one_docxtpl_writes(stem: str, tmp_path: Path) -> None:
    """render.py moves the rendered body in element by element for speed (a long list is many
    children of the body, a long table one deep child); the XML must not change."""
    source = DATA / f"{stem}.yaml"
    if stem == "long-list":
        data = load_example("nansha-party-office-2023")
        data["sections"]["functions"] = [{"numbered": [f"第{i}项 职能" for i in range(1, 301)]}]
        source = write_yaml(data, tmp_path / "long.yaml")
    if stem == "long-table":
        data = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
        row = {"category": "output", "target": 40, "actual": 44, "unit": "个", "rate": "110%"}
        data["indicators"] = [{"name": f"指标{i}", **row} for i in range(300)]
        source = write_yaml(data, tmp_path / "table.yaml")
    validation = validate_file(source)
    assert validation.ok and validation.report is not None and validation.derived is not None
    choice = validation.choice
    assert choice is not None and choice.layout is not None and choice.plan is not None
    plain = DocxTemplate(str(choice.layout.template))
    context = build_context(validation.report, validation.derived, choice.plan, choice.layout.name)
    plain.render(context.as_mapping(), jinja_env=jinja_environment())
    buffer = io.BytesIO()
    plain.save(buffer)
    ours, theirs = xml_parts(render_document(validation)), xml_parts(buffer.getvalue())
    assert list(ours) == list(theirs)
    # the document properties differ on purpose: they are the report's own, not the template's
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert differ == ["docProps/core.xml", "docProps/app.xml"]
    identifier = etree.fromstring(ours["docProps/core.xml"]).findtext(
        "{http://purl.org/dc/elements/1.1/}identifier"
    )
    report = validation.report
    assert identifier == f"reportgen:{report.year}:{report.department}"
    body = etree.fromstring(ours["word/document.xml"]).find(f"{W}body")
    assert len(body) > (300 if stem == "long-list" else 30)


def template_with(directory: Path, text: str) -> Path:
    """The default template with one more paragraph holding ``text``."""
    document = docx.Document(str(TEMPLATES / "default" / "template.docx"))
    document.add_paragraph(text, style="ReportBody")
    path = directory / "custom.docx"
    document.save(str(path))
    return path


def garbage_file(directory: Path) -> Path:
    path = directory / "broken.docx"
    path.write_bytes(b"this is not a Word document")
    return path


def zip_without_document(directory: Path) -> Path:
    path = directory / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no word/document.xml here")
    return path


def undefined_variable(directory: Path) -> Path:
    return template_with(directory, "{{ no_such_figure }}")


@pytest.mark.parametrize(
    ("make_template", "message"),
    [
        (garbage_file, "不是 .docx 文件"),
        (zip_without_document, "无法打开模板"),
        (undefined_variable, "引用了不存在的值：变量“no_such_figure”不存在"),
    ],
    ids=["not-a-zip", "zip-without-document", "undefined-variable"],
)
def test_failed_render_keeps_earlier_output(
    tmp_path: Path, make_template: Any, message: str
) -> None:
    out_dir = tmp_path / "out"
    good = render_file(NANSHA, out_dir)
    before = good.read_bytes()
    template = make_template(tmp_path)
    with pytest.raises(TemplateError) as failure:
        render_file(NANSHA, out_dir, template)
    assert message in str(failure.value) and str(template) in str(failure.value)
    assert good.read_bytes() == before
    assert [p.name for p in out_dir.iterdir()] == [good.name]


def test_a_merge_mark_outside_a_table_leaves_nothing_behind(tmp_path: Path) -> None:
    """``|merged`` in a paragraph prints its value; no mark is left in any part of the package,
    rendered with the cache of a batch or without."""
    template = template_with(tmp_path, "合并：{{ department|merged }}")
    validation = validate_file(NANSHA)
    for cache in (None, TemplateCache()):
        package = render_document(validation, template, cache=cache)
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            marked = [n for n in archive.namelist() if "\ufdd0".encode() in archive.read(n)]
            text = "".join(etree.fromstring(archive.read("word/document.xml")).itertext())
        assert marked == []
        assert "合并：中国共产党广州市南沙区委员会办公室" in text


def test_custom_template_paragraph_is_rendered(tmp_path: Path) -> None:
    """The control for the sandbox tests: the added paragraph really goes through Jinja."""
    out = render_file(NANSHA, tmp_path / "out", template_with(tmp_path, "自定义：{{ department }}"))
    assert texts(out)[-1] == "自定义：中国共产党广州市南沙区委员会办公室"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{{ 1/0 }}", "中的表达式执行出错：除数为零（除以零或对零取余）"),
        (
            "{% for i in range(1000000) %}{% endfor %}",
            "中的表达式执行出错：range 的项数超过 100,000，不允许",
        ),
        (
            "{{ department|money }}",
            "过滤器 money 无法处理 '中国共产党广州市南沙区委员会办公室'（应为数字，",
        ),
    ],
    ids=["division", "sandbox-range", "filter-type"],
)
def test_template_runtime_error_is_template_error(
    tmp_path: Path, payload: str, message: str
) -> None:
    with pytest.raises(TemplateError, match=re.escape(message)):
        render_file(NANSHA, tmp_path / "out", template_with(tmp_path, payload))


def test_a_bug_in_reportgen_is_not_blamed_on_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in template calls the context's numbering: a bug there is ours."""

    def broken_state(self: Numbering) -> None:
        self.chapter, self.section = "一", 0  # h1() then fails inside reportgen/context.py

    monkeypatch.setattr(Numbering, "__init__", broken_state)
    with pytest.raises(TypeError):
        render_file(NANSHA, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_rich_paragraphs_without_p_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="段落套段落"):
        render_file(NANSHA, tmp_path / "out", template_with(tmp_path, "{{ sections.goals }}"))
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
def test_output_file_mode_follows_umask(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    out = render_file(NANSHA, tmp_path)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
