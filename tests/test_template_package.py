"""A template file that is no whole .docx — a damaged zip, a repeated part name, a part that is
not XML, declares a DOCTYPE (billion laughs, XXE) or another encoding, a .dotx, a zip of
thousands of entries, a folder or FIFO — is refused by render and by template check alike, in
Chinese and with exit 1 (2 for what is no file at all), writing nothing; never a traceback."""

from __future__ import annotations

import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.template.package import MAX_PARTS
from tests.conftest import DATA, ROOT

runner = CliRunner()
DEFAULT = ROOT / "templates" / "default" / "template.docx"
SOURCE = DATA / "panyu-gov-office-2023.yaml"
BODY = "word/document.xml"
RESAVE = "请在 Word 中打开后“另存为”一份新的 .docx"
LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
XXE = '<!DOCTYPE w:ftr [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(DEFAULT) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(path: Path, parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", method) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a repeated name, as it should
        for name, content in parts:
            archive.writestr(name, content)
    return path


def _with_prolog(content: bytes, prolog: str, paragraph: str = "") -> bytes:
    """``content`` with ``prolog`` after its XML declaration, ``paragraph`` before its end."""
    declaration, rest = content.decode("utf-8").split("?>", 1)
    end = rest.rindex("</")
    return f"{declaration}?>{prolog}{rest[:end]}{paragraph}{rest[end:]}".encode()


def damaged(path: Path) -> Path:
    """The body's deflated bytes garbled: the zip's directory is whole, the part is not."""
    _zipped(path, list(_parts().items()))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(BODY)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 40):
        raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))
    return path


def bad_crc(path: Path) -> Path:
    """A stored (uncompressed) body with one byte changed: only its CRC-32 tells."""
    _zipped(path, list(_parts().items()), zipfile.ZIP_STORED)
    raw = path.read_bytes()
    at = raw.index(b"<w:body>")
    path.write_bytes(raw[:at] + b"<w:bodY>" + raw[at + 8 :])
    return path


def repeated(path: Path) -> Path:
    parts = _parts()
    return _zipped(path, [*parts.items(), (BODY, parts[BODY])])


def too_many(path: Path) -> Path:
    empty = [(f"extra/{n}.bin", b"") for n in range(MAX_PARTS)]
    return _zipped(path, [*_parts().items(), *empty])


def laughs(path: Path) -> Path:
    parts = _parts()
    parts[BODY] = _with_prolog(parts[BODY], LAUGHS, "<w:p><w:r><w:t>&d;</w:t></w:r></w:p>")
    return _zipped(path, list(parts.items()))


def external_entity(path: Path) -> Path:
    parts = _parts()
    footer = "word/footer1.xml"
    parts[footer] = _with_prolog(parts[footer], XXE, "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>")
    return _zipped(path, list(parts.items()))


def doctype_in_styles(path: Path) -> Path:
    parts = _parts()
    parts["word/styles.xml"] = _with_prolog(parts["word/styles.xml"], "<!DOCTYPE w:styles>")
    return _zipped(path, list(parts.items()))


def not_xml(path: Path) -> Path:
    parts = _parts()
    parts[BODY] = parts[BODY][:-40]
    return _zipped(path, list(parts.items()))


def utf16_body(path: Path) -> Path:
    parts = _parts()
    text = parts[BODY].decode("utf-8")
    parts[BODY] = text.replace("UTF-8", "UTF-16", 1).encode("utf-16")
    return _zipped(path, list(parts.items()))


def utf16_body_undeclared(path: Path) -> Path:
    """UTF-16 said by the byte-order mark alone: no XML declaration names it."""
    parts = _parts()
    text = parts[BODY].decode("utf-8")
    parts[BODY] = text.split("?>", 1)[1].encode("utf-16")
    return _zipped(path, list(parts.items()))


def word_template(path: Path) -> Path:
    """A .dotx saved under a .docx name: only its main part's content type differs."""
    parts = _parts()
    types = "[Content_Types].xml"
    parts[types] = parts[types].replace(b"document.main+xml", b"template.main+xml")
    return _zipped(path, list(parts.items()))


def no_content_types(path: Path) -> Path:
    return _zipped(path, [(n, c) for n, c in _parts().items() if n != "[Content_Types].xml"])


_WORD_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_part(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        return _zipped(path, [*_parts().items(), (name, content)])

    return make


def _note(kind: str, runs: list[str]) -> bytes:
    """A comments or endnotes part whose one note's paragraph holds ``runs``."""
    text = "".join(f"<w:r><w:t>{run}</w:t></w:r>" for run in runs)
    return (
        f'<w:{kind}s {_WORD_NS.decode()}><w:{kind} w:id="1"><w:p>{text}</w:p></w:{kind}></w:{kind}s>'
    ).encode()


def _chunk_link(path: Path) -> Path:
    parts = _parts()
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdChunk" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/aFChunk" Target="afchunk.htm"/></Relationships>',
    )
    return _zipped(path, [*parts.items(), ("word/afchunk.htm", b"<html>x</html>")])


def _linked_part(
    kind: str, target: str, content_type: str, content: bytes
) -> Callable[[Path], Path]:
    """The default template with a part at ``word/<target>`` of ``content_type``, tied to the
    body by a relationship of ``kind`` (its name says nothing of what it is)."""

    def make(path: Path) -> Path:
        parts = _parts()
        rels = "word/_rels/document.xml.rels"
        parts[rels] = parts[rels].replace(
            b"</Relationships>",
            f'<Relationship Id="rId99" Type="{kind}" Target="{target}"/></Relationships>'.encode(),
        )
        types = "[Content_Types].xml"
        parts[types] = parts[types].replace(
            b"</Types>",
            f'<Override PartName="/word/{target}" ContentType="{content_type}"/></Types>'.encode(),
        )
        return _zipped(path, [*parts.items(), (f"word/{target}", content)])

    return make


_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _styles_with(count: int, padding: int = 0) -> Callable[[Path], Path]:
    """The template's styles.xml with ``count`` more paragraph styles, each ``padding``
    characters of description longer."""

    def make(path: Path) -> Path:
        parts = _parts()
        extra = "".join(
            f'<w:style w:type="paragraph" w:styleId="X{n}"><w:name w:val="x{n}"/>'
            f'<w:basedOn w:val="Normal"/><w:rPr><w:lang w:val="{"z" * padding}"/></w:rPr></w:style>'
            for n in range(count)
        )
        styles = "word/styles.xml"
        parts[styles] = parts[styles].replace(b"</w:styles>", extra.encode() + b"</w:styles>")
        return _zipped(path, list(parts.items()))

    return make


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "too-many-styles": (_styles_with(5200), "个样式（上限 5,000），不像是正常的 Word 模板，已拒绝"),
    "styles-too-large": (
        _styles_with(1000, padding=5000),
        "的样式表（word/styles.xml）过大（4.9 MiB，上限 4 MiB），不像是正常的 Word 模板，已拒绝",
    ),
    "tag-in-a-comment": (
        _with_part("word/comments.xml", _note("comment", ["{{ department }}"])),
        "的批注（word/comments.xml）中有模板标签“{{ department }}”：这里的标签不会被替换",
    ),
    "tag-split-over-runs-in-a-comment": (
        _with_part("word/comments.xml", _note("comment", ["{", "% if x %}"])),
        "的批注（word/comments.xml）中有模板标签“{% if x %}”",
    ),
    "tag-in-a-chart": (
        _with_part(
            "word/charts/chart1.xml",
            b"<c:chartSpace xmlns:c='urn:c'><c:v>{{ year }}</c:v></c:chartSpace>",
        ),
        "的图表（word/charts/chart1.xml）中有模板标签“{{ year }}”",
    ),
    "comment-in-a-comment": (
        _with_part("word/comments.xml", _note("comment", ["{# 作者的话 #}"])),
        "的批注（word/comments.xml）中有模板标签“{# 作者的话 #}”",
    ),
    "macro": (
        _with_part("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro"),
        "含有宏或 ActiveX 控件（word/vbaProject.bin），会被带进每份报告，已拒绝",
    ),
    "activex": (
        _with_part("word/activeX/activeX1.xml", b"<ax:ocx xmlns:ax='urn:x'/>"),
        "含有宏或 ActiveX 控件（word/activeX/activeX1.xml）",
    ),
    "macro-under-another-name": (
        _linked_part(
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "stuff.bin",
            "application/vnd.ms-office.vbaProject",
            b"\xd0\xcf\x11\xe0 macro",
        ),
        "含有宏或 ActiveX 控件（word/stuff.bin），会被带进每份报告，已拒绝",
    ),
    "embedded-ole-object": (
        _linked_part(
            f"{_RELATIONSHIPS}/oleObject",
            "embeddings/oleObject1.bin",
            "application/vnd.openxmlformats-officedocument.oleObject",
            b"\xd0\xcf\x11\xe0 package",
        ),
        "含有嵌入的对象（word/embeddings/oleObject1.bin）",
    ),
    "embedded-workbook": (
        _linked_part(
            f"{_RELATIONSHIPS}/package",
            "embeddings/Book1.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04 workbook",
        ),
        "含有嵌入的对象（word/embeddings/Book1.xlsx），双击时会运行其他程序",
    ),
    "embedded-workbook-with-macros": (
        _linked_part(
            f"{_RELATIONSHIPS}/package",
            "embeddings/Book1.xlsm",  # its content type says it holds macros
            "application/vnd.ms-excel.sheet.macroEnabled.12",
            b"PK\x03\x04 workbook",
        ),
        "含有宏或 ActiveX 控件（word/embeddings/Book1.xlsm）",
    ),
    "alt-chunk-html": (_chunk_link, "含有嵌入的外来内容（altChunk：afchunk.htm）"),
    "damaged-part": (damaged, f"已损坏：部件 {BODY} 无法解压（压缩数据不完整或校验不符）"),
    "bad-crc": (bad_crc, f"已损坏：部件 {BODY} 无法解压（压缩数据不完整或校验不符）"),
    "repeated-part-name": (
        repeated,
        f"含有重名的部件（{BODY}），Word 不一定读哪一个；{RESAVE}",
    ),
    "too-many-parts": (too_many, f"个部件（上限 {MAX_PARTS}），不像是正常的 Word 模板，已拒绝"),
    "billion-laughs": (laughs, f"的部件 {BODY} 含有文档类型声明（<!DOCTYPE …>）"),
    "external-entity": (
        external_entity,
        "的部件 word/footer1.xml 含有文档类型声明（<!DOCTYPE …>），Word 不接受这样的文件，已拒绝",
    ),
    "doctype-in-styles": (doctype_in_styles, "的部件 word/styles.xml 含有文档类型声明"),
    "truncated-part": (not_xml, f"已损坏：部件 {BODY} 不是合法的 XML（第 "),
    "utf-16-part": (utf16_body, f"的部件 {BODY} 是 UTF-16 编码，不是 Word 保存的 UTF-8；"),
    "utf-16-part-without-declaration": (
        utf16_body_undeclared,
        f"的部件 {BODY} 是 UTF-16 编码，不是 Word 保存的 UTF-8；",
    ),
    "part-name-leaving-the-package": (
        _with_part("word/../../evil.xml", b"<a/>"),
        "含有不合法的部件名（word/../../evil.xml），不是 Word 保存的文件，已拒绝",
    ),
    "absolute-part-name": (
        _with_part("/etc/evil.xml", b"<a/>"),
        "含有不合法的部件名（/etc/evil.xml），不是 Word 保存的文件，已拒绝",
    ),
    "part-names-differing-in-case": (
        _with_part("WORD/Document.xml", b"<a/>"),
        f"含有重名的部件（{BODY}、WORD/Document.xml），Word 不一定读哪一个；{RESAVE}",
    ),
    "dotx-renamed": (
        word_template,
        "是扩展名为 .dotx 的 Word 模板，不是 Word 文档（.docx）；"
        "请在 Word 中“另存为 → Word 文档（*.docx）”后再用",
    ),
    "no-content-types": (no_content_types, "文件已损坏或不是 Word 文档"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_broken_package_is_refused_by_render_and_check(case: str, tmp_path: Path) -> None:
    make, message = CASES[case]
    template = make(tmp_path / "模板.docx")
    out = tmp_path / "out"
    out.mkdir()

    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    assert rendered.exit_code == 1, rendered.output
    assert isinstance(rendered.exception, SystemExit), repr(rendered.exception)
    assert f"模板 {template}" in rendered.output and message in rendered.output, rendered.output
    assert list(out.iterdir()) == []

    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 1, checked.output
    assert isinstance(checked.exception, SystemExit), repr(checked.exception)
    assert f"{template}: 有 1 个问题" in checked.output, checked.output
    assert message in checked.output, checked.output


def test_a_folder_or_a_fifo_given_as_template_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    for template, what in (
        (fifo, "这是一个命名管道（FIFO），不是 .docx 模板"),
        (folder, "这是一个目录"),
    ):
        for args in (
            ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")],
            ["template", "check", str(template)],
        ):
            result = runner.invoke(app, args)
            assert result.exit_code == 2, result.output
            assert f"模板 {template}: {what}" in result.output, result.output
    assert not (tmp_path / "out").exists()
