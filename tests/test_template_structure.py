"""Templates whose Word structure docxtpl would tear apart or print as typed: block tags paired
across paragraphs, content controls, tables or rows, ``{%tr %}`` outside a table, tracked
revisions (a deleted tag still runs), tags in endnotes and footnotes. Each is refused in Chinese
at its place, exit 1, by ``render --template``, by a batch's compiled-once template and by
``template check`` alike; nothing is written."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.errors import TemplateError
from reportgen.output.render import render_document
from reportgen.template.cache import TemplateCache
from tests.conftest import DATA, ROOT

runner = CliRunner()
DEFAULT = ROOT / "templates" / "default" / "template.docx"
SOURCE = DATA / "panyu-gov-office-2023.yaml"
HEADING = "（标题“{{ section.label }}{{ section.heading }}”之下）"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
REVISED = 'w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"'


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _cell(text: str) -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/></w:tcPr>{_p(_r(text))}</w:tc>"


def _table(*rows: list[str]) -> str:
    grid = "<w:tblGrid><w:gridCol w:w='2000'/><w:gridCol w:w='2000'/></w:tblGrid>"
    body = "".join("<w:tr>" + "".join(_cell(c) for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>{grid}{body}</w:tbl>"


def _sdt(content: str) -> str:
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def _notes(kind: str, text: str) -> bytes:
    note = f'<w:{kind} w:id="1"><w:p>{_r(text)}</w:p></w:{kind}>'
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NS}>{note}</w:{kind}s>'.encode()


def _template(path: Path, body: str, endnote: str | None = None, kind: str = "endnote") -> Path:
    """The default template with ``body`` before its last section's properties."""
    with zipfile.ZipFile(DEFAULT) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                xml = content.decode()
                end = xml.rindex("<w:sectPr")
                content = (xml[:end] + body + xml[end:]).encode()
            elif endnote is not None and info.filename == "word/_rels/document.xml.rels":
                link = (
                    '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/{kind}s" Target="{kind}s.xml"/>'
                )
                content = content.replace(b"</Relationships>", f"{link}</Relationships>".encode())
            elif endnote is not None and info.filename == "[Content_Types].xml":
                typ = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
                override = f'<Override PartName="/word/{kind}s.xml" ContentType="{typ}"/>'
                content = content.replace(b"</Types>", f"{override}</Types>".encode())
            target.writestr(info, content, zipfile.ZIP_DEFLATED)
        if endnote is not None:
            target.writestr(f"word/{kind}s.xml", _notes(kind, endnote))
    return path


CASES = {
    # {%p if false %} inside a content control: its closing tags fall inside the if
    "p_tag_in_a_content_control": (
        _sdt(_p(_r("{%p if false %}"))) + _p(_r("中间")) + _p(_r("{%p endif %}")),
        f"正文段落“{{%p if false %}}”{HEADING}：{{%p if false %}} 与 {{%p endif %}}"
        f"（在正文段落“{{%p endif %}}”{HEADING}）不在同一层",
    ),
    # printed 甲 | 乙甲 | 乙: two paragraphs spliced
    "plain_for_across_paragraphs": (
        _p(_r("{% for x in [1, 2] %}甲")) + _p(_r("乙{% endfor %}")),
        f"正文段落“{{% for x in [1, 2] %}}甲”{HEADING}：{{% for x in [1, 2] %}} 与 {{% endfor %}}"
        f"（在正文段落“乙{{% endfor %}}”{HEADING}）不在同一段",
    ),
    # the text between the tables printed twice
    "tr_loop_across_two_tables": (
        _table(["{%tr for x in [1, 2] %}", ""], ["{{ x }}", "b"])
        + _p(_r("表间文字"))
        + _table(["{%tr endfor %}", ""]),
        f"正文表格行“{{%tr for x in [1, 2] %}} |”{HEADING}：{{%tr for x in [1, 2] %}} 与 "
        f"{{%tr endfor %}}（在正文表格行“{{%tr endfor %}} |”{HEADING}）不在同一个表格中",
    ),
    # was: “tr”与 % 之间不能有空格, though there was none
    "tr_outside_a_table": (
        _p(_r("{%tr if true %}")) + _p(_r("中间")) + _p(_r("{%tr endif %}")),
        f"正文段落“{{%tr if true %}}”{HEADING}：{{%tr if true %}} 不在表格中：{{%tr … %}} "
        "只能写在表格的行中",
    ),
    "mixed_kinds_of_a_pair": (
        _p(_r("{%p if true %}")) + _p(_r("中间")) + _p(_r("尾{% endif %}")),
        f"正文段落“{{%p if true %}}”{HEADING}：{{%p if true %}} 与 {{% endif %}}"
        f"（在正文段落“尾{{% endif %}}”{HEADING}）写法不同",
    ),
    # Word hides the deleted if; docxtpl ran it and dropped both paragraphs without a word
    "tag_in_a_tracked_deletion": (
        _p(f"<w:del {REVISED}><w:r><w:delText>{{% if false %}}</w:delText></w:r></w:del>")
        + _p(_r("这段文字会被隐藏"))
        + _p(f"<w:del {REVISED}><w:r><w:delText>{{% endif %}}</w:delText></w:r></w:del>"),
        f"正文段落“”{HEADING}：含有未接受的修订（删除了“{{% if false %}}”）：报告会带着修订标记印出，"
        "Word 中看不到的被删除的标签仍会执行",
    ),
    # a whole row deleted with tracked changes, empty: Word hides it, the report would show it
    "tracked_row_deletion": (
        _table(["甲", "乙"]).replace("<w:tr>", f"<w:tr><w:trPr><w:del {REVISED}/></w:trPr>", 1),
        f"正文表格行“甲 | 乙”{HEADING}：含有未接受的修订：报告会带着修订标记印出；"
        "请在 Word 中“审阅 → 接受所有修订”（或拒绝）后再用",
    ),
    "tracked_insertion": (
        _p(f"<w:ins {REVISED}>{_r('插入的{{ department }}')}</w:ins>"),
        f"正文段落“插入的{{{{ department }}}}”{HEADING}：含有未接受的修订：报告会带着修订标记印出；"
        "请在 Word 中“审阅 → 接受所有修订”（或拒绝）后再用",
    ),
    # docxtpl joined the pieces across the hyperlink's edge: its result was no XML, and render
    # said only “不是合法的 XML（第 1 行第 1244 列有误）” while template check passed it
    "tag_half_in_a_hyperlink": (
        _p('<w:hyperlink w:anchor="x">' + _r("{{ depa") + "</w:hyperlink>", _r("rtment }}")),
        f"正文段落“{{{{ department }}}}”{HEADING}：标签 {{{{ department }}}} 有一部分在超链接之中、"
        "一部分在外：无法拼回一个标签，报告无法生成；请删除这个标签后重新输入（不要只把标签的一部分设为超链接）",
    ),
    "tag_half_in_a_smart_tag": (
        _p('<w:smartTag w:uri="u" w:element="e">' + _r("{{ year") + "</w:smartTag>", _r(" }}")),
        f"正文段落“{{{{ year }}}}”{HEADING}：标签 {{{{ year }}}} 有一部分在智能标记之中、一部分在外",
    ),
}


def _refused(template: Path, expected: str, tmp_path: Path) -> None:
    # render and template check place it under the heading the report prints there, never
    # under the tag that prints that heading
    expected = expected.replace(HEADING, "（标题“四、下一步改进措施”之下）")
    out = tmp_path / "out"
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    assert rendered.exit_code == 1, rendered.output
    assert isinstance(rendered.exception, SystemExit), repr(rendered.exception)
    assert f"模板 {template} " in rendered.output and expected in rendered.output, rendered.output
    assert not out.exists() or not list(out.iterdir())
    with pytest.raises(TemplateError) as batched:
        render_document(validate_file(SOURCE), template, cache=TemplateCache())
    assert expected in str(batched.value)
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 1, checked.output
    assert f"{template}: {expected}" in checked.output, checked.output
    assert "Traceback" not in rendered.output + checked.output
    assert "{{ section" not in rendered.output + checked.output + str(batched.value)


@pytest.mark.parametrize("name", list(CASES))
def test_structure_docxtpl_would_break_is_refused(name: str, tmp_path: Path) -> None:
    body, expected = CASES[name]
    _refused(_template(tmp_path / f"{name}.docx", body), expected, tmp_path)


def test_a_tag_in_an_endnote_is_refused(tmp_path: Path) -> None:
    """docxtpl renders footnotes but not endnotes: the tag was printed as typed."""
    template = _template(tmp_path / "endnote.docx", "", endnote="尾注：{{ department }}")
    expected = (
        "尾注段落“尾注：{{ department }}”：尾注中的标签 {{ department }} 不会被替换，会原样印出"
    )
    _refused(template, expected, tmp_path)


def test_pairs_kept_together_still_render(tmp_path: Path) -> None:
    """A {%p %} pair inside one content control, a {%tr %} loop in one table, an inline if."""
    body = (
        _sdt(_p(_r("{%p if true %}")) + _p(_r("控件中")) + _p(_r("{%p endif %}")))
        + _table(["{%tr for x in [1, 2] %}", ""], ["{{ x }}", "b"], ["{%tr endfor %}", ""])
        + _p(_r("前{% if true %}中"), _r("{% endif %}后"))
    )
    template = _template(tmp_path / "fine.docx", body)
    content = render_document(validate_file(SOURCE), template)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = re.sub("<[^>]+>", "", archive.read("word/document.xml").decode())
    assert "控件中" in text and "前中后" in text and "1b2b" in text
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 0, checked.output


def test_a_mistake_in_a_footnote_is_found_by_template_check(tmp_path: Path) -> None:
    """docxtpl renders footnotes: check used to say 可以使用 where render failed."""
    template = _template(
        tmp_path / "footnote.docx", "", endnote="脚注：{{ departmnt }}", kind="footnote"
    )
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 1, checked.output
    expected = f"{template}: 脚注段落“脚注：{{{{ departmnt }}}}”：变量“departmnt”不存在"
    assert expected in checked.output, checked.output
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "o")]
    )
    assert rendered.exit_code == 1 and "变量“departmnt”不存在" in rendered.output, rendered.output


def test_a_tag_over_several_runs_of_one_container_renders(tmp_path: Path) -> None:
    """Word splits a tag into runs (formatting, a spelling mark); docxtpl joins them, inside a
    hyperlink as outside one."""
    body = _p(_r("甲{{ depa"), '<w:proofErr w:type="spellStart"/>', _r("rtment }}乙")) + _p(
        '<w:hyperlink w:anchor="x">' + _r("丙{{ ye") + _r("ar }}丁") + "</w:hyperlink>"
    )
    template = _template(tmp_path / "runs.docx", body)
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 0, checked.output
    content = render_document(validate_file(SOURCE), template)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "甲广州市番禺区人民政府办公室乙" in text
    assert "丙2023丁" in text
