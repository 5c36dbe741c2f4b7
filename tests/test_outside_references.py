"""A template that makes Word or LibreOffice reach outside the report — a linked picture, an
attached template, a field that fetches a file or runs a program (DDE) — is refused by render
and by template check, naming what and where; a hyperlink, fetched only when clicked, is not."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.conftest import DATA, ROOT

runner = CliRunner()
DEFAULT = ROOT / "templates" / "default" / "template.docx"
SOURCE = DATA / "panyu-gov-office-2023.yaml"
RELS = "word/_rels/document.xml.rels"
BODY = "<w:body>"
RELATIONSHIP = (
    '<Relationship Id="rId99" TargetMode="External" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
    'Target="{target}"/></Relationships>'
)
REFUSED = "：打开或转换报告时会访问网络、读取其他文件或运行程序，已拒绝；图片等内容请直接插入模板（不要“链接到文件”）"


def edited(tmp_path: Path, changes: dict[str, tuple[str, str]]) -> Path:
    """The default template with, in each named part, ``old`` replaced by ``new`` once."""
    target = tmp_path / "template.docx"
    with zipfile.ZipFile(DEFAULT) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in changes:
                old, new = changes[info.filename]
                text = content.decode("utf-8")
                assert text.count(old) == 1, (info.filename, old)
                content = text.replace(old, new).encode("utf-8")
            copy.writestr(info, content)
    return target


def linked(kind: str, target: str) -> dict[str, tuple[str, str]]:
    return {RELS: ("</Relationships>", RELATIONSHIP.format(kind=kind, target=target))}


def field_runs(*instructions: str) -> str:
    """A paragraph holding one complex field whose instructions are split over runs."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{i}</w:instrText></w:r>' for i in instructions
    )
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def simple_field(instructions: str) -> dict[str, tuple[str, str]]:
    """The body starting with a paragraph holding one simple field."""
    field = (
        f"<w:p><w:fldSimple w:instr='{instructions}'><w:r><w:t>域</w:t></w:r></w:fldSimple></w:p>"
    )
    return {"word/document.xml": (BODY, BODY + field)}


CASES = {
    "linked_picture": (
        linked("image", "http://example.invalid/beacon.png"),
        "链接了外部资源（word/_rels/document.xml.rels：image → http://example.invalid/beacon.png）",
    ),
    "attached_template": (
        linked("attachedTemplate", "file:///C:/模板/公文.dotm"),
        "链接了外部资源（word/_rels/document.xml.rels：attachedTemplate → file:///C:/模板/公文.dotm）",
    ),
    "dde_split_over_runs": (
        {"word/document.xml": (BODY, BODY + field_runs(" DDE", 'AUTO c:\\\\cmd.exe "/k calc"'))},
        "含有 DDEAUTO 域（word/document.xml）",
    ),
    "includepicture_in_a_footer": (
        {
            "word/footer1.xml": (
                "</w:ftr>",
                "<w:p><w:fldSimple w:instr=' INCLUDEPICTURE \"http://example.invalid/x.png\" \\d'>"
                "<w:r><w:t>图</w:t></w:r></w:fldSimple></w:p></w:ftr>",
            )
        },
        "含有 INCLUDEPICTURE 域（word/footer1.xml）",
    ),
    "database_field": (
        simple_field(' DATABASE \\d "\\\\\\\\host\\\\预算.mdb" \\s "select 1" '),
        "含有 DATABASE 域（word/document.xml）",
    ),
    "include_field": (
        simple_field(' INCLUDE "\\\\\\\\host\\\\x.docx" '),
        "含有 INCLUDE 域（word/document.xml）",
    ),
    "macrobutton_field": (
        simple_field(" MACROBUTTON AutoOpen 双击此处 "),
        "含有 MACROBUTTON 域（word/document.xml）",
    ),
    "hyperlink_field_to_a_share": (
        {"word/document.xml": (BODY, BODY + field_runs(" HYPER", 'LINK "\\\\\\\\host\\\\x.exe" '))},
        "含有不是网址的超链接（word/document.xml：\\\\host\\x.exe）",
    ),
    "hyperlink_to_a_share": (
        linked("hyperlink", "file://///host/share/x.exe"),
        "含有不是网址的超链接（word/_rels/document.xml.rels：file://///host/share/x.exe）",
    ),
    "hyperlink_to_a_script": (
        linked("hyperlink", "javascript:alert(1)"),
        "含有不是网址的超链接（word/_rels/document.xml.rels：javascript:alert(1)）",
    ),
    # Word takes the nested field's result for the field's name: DDEAUTO, unseen in the text
    "field_name_made_by_a_nested_field": (
        {
            "word/document.xml": (
                BODY,
                BODY
                + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                + '<w:r><w:instrText xml:space="preserve"> QUOTE "DDE" </w:instrText></w:r>'
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                + '<w:r><w:instrText xml:space="preserve">AUTO c:\\cmd.exe </w:instrText></w:r>'
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
            )
        },
        "含有名称由另一个域生成的域（word/document.xml）",
    ),
    "mail_merge_data_source": (
        {
            "word/settings.xml": (
                "</w:settings>",
                '<w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                '<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\host\\x.xlsx"/>'
                '<w:query w:val="SELECT * FROM `Sheet1$`"/></w:mailMerge></w:settings>',
            )
        },
        "含有邮件合并的数据源（word/settings.xml）",
    ),
    "vml_picture_source": (
        {
            "word/document.xml": (
                BODY,
                BODY + '<w:p><w:r><w:pict><v:rect style="width:9pt;height:9pt">'
                '<v:imagedata src="file://host/x.png"/></v:rect></w:pict></w:r></w:p>',
            )
        },
        "链接了外部资源（word/document.xml：src → file://host/x.png）",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_template_reaching_outside_is_refused(tmp_path: Path, case: str) -> None:
    changes, what = CASES[case]
    template = edited(tmp_path, changes)
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(SOURCE), "-t", str(template), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.output == f"错误：{SOURCE}: 模板 {template} {what}{REFUSED}\n"
    assert not out.exists() or list(out.iterdir()) == []
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 1, checked.output
    assert f"模板 {template} {what}{REFUSED}" in checked.output


def test_everything_outside_is_listed_at_once(tmp_path: Path) -> None:
    changes = {
        RELS: linked("image", "http://example.invalid/a.png")[RELS],
        "word/document.xml": (BODY, BODY + field_runs("LINK Excel.Sheet.8 预算.xls")),
    }
    template = edited(tmp_path, changes)
    result = runner.invoke(app, ["template", "check", str(template)])
    assert "image → http://example.invalid/a.png" in result.output
    assert "含有 LINK 域（word/document.xml）" in result.output


# a table of contents: its result holds a page-reference field of each heading
TABLE_OF_CONTENTS = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>一、部门基本情况</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def test_a_hyperlink_a_page_field_and_a_table_of_contents_are_allowed(tmp_path: Path) -> None:
    template = edited(
        tmp_path,
        {
            **linked("hyperlink", "https://czj.gz.gov.cn/"),
            "word/document.xml": (
                BODY,
                BODY
                + field_runs(" PAGE ")
                + field_runs(' HYPERLINK "mailto:czj@example.invalid" ')
                + field_runs(' HYPERLINK \\l "附件" ')
                + TABLE_OF_CONTENTS,
            ),
        },
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(SOURCE), "-t", str(template), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.docx"))) == 1


def _tag_paragraph(tag: str) -> str:
    escaped = tag.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p>'


@pytest.mark.parametrize(
    "tag",
    [
        "{{r '<w:fldSimple w:instr=\"DDEAUTO c:\\\\x.exe\"/>'|safe }}",
        "{{r ('<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>INCLUDE'"
        " ~ 'TEXT x.docx</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>')|safe }}",
    ],
)
def test_a_field_the_template_writes_while_rendering_is_refused(tmp_path: Path, tag: str) -> None:
    """Markup a template outputs (|safe) becomes Word's own XML: a field in it is refused in
    the rendered report as in the template's text, and nothing is written."""
    template = edited(tmp_path, {"word/document.xml": (BODY, BODY + _tag_paragraph(tag))})
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(SOURCE), "-t", str(template), "-o", str(out)])
    assert result.exit_code == 1, result.output
    field = "DDEAUTO" if "DDE" in tag else "INCLUDETEXT"
    said = f"模板 {template}：生成的文档中含有 {field} 域（word/document.xml）"
    assert said in result.output, result.output
    assert "|safe" in result.output
    assert not out.exists() or list(out.iterdir()) == []
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 1, checked.output
