"""Hostile published reports for ``reportgen import`` and ``reportgen audit``: families of
.docx, .txt and .pdf files, each made by a function of its variant (so that a family is tried
on several values, not one example). ``python make_imports.py DIR`` writes them to look at;
``imports.yaml`` says what each must do, ``tests/test_bad_imports.py`` runs them.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reportgen.layout.numbering import chinese_number
from tests.bad_inputs import make_pdfs

TITLE = "广州市某区某局2023年度部门整体支出绩效自评报告"
CHAPTERS = ("部门概况", "部门整体支出绩效情况", "存在问题及改进措施")


def _saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _element(tag: str, **values: str) -> object:
    element = OxmlElement(tag)
    for name, value in values.items():
        element.set(qn(f"w:{name}"), value)
    return element


def numbered_docx(*, start: str = "1", lvl: str = "0", ilvl: str = "0") -> bytes:
    """A report whose chapter headings Word numbers (numPr): ``start`` and ``lvl`` in
    numbering.xml, ``ilvl`` on each heading paragraph."""
    document = docx.Document()
    root = document.part.numbering_part.element
    abstract = _element("w:abstractNum", abstractNumId="90")
    level = _element("w:lvl", ilvl=lvl)
    level.append(_element("w:start", val=start))  # type: ignore[attr-defined]
    level.append(_element("w:numFmt", val="chineseCounting"))  # type: ignore[attr-defined]
    level.append(_element("w:lvlText", val="%1、"))  # type: ignore[attr-defined]
    abstract.append(level)  # type: ignore[attr-defined]
    root.insert(0, abstract)
    num = _element("w:num", numId="90")
    num.append(_element("w:abstractNumId", val="90"))  # type: ignore[attr-defined]
    root.append(num)
    document.add_paragraph(TITLE)
    for heading in CHAPTERS:
        paragraph = document.add_paragraph(heading)
        num_pr = _element("w:numPr")
        num_pr.append(_element("w:ilvl", val=ilvl))  # type: ignore[attr-defined]
        num_pr.append(_element("w:numId", val="90"))  # type: ignore[attr-defined]
        paragraph._p.get_or_add_pPr().append(num_pr)
        document.add_paragraph("本部门2023年支出100.00万元。")
    return _saved(document)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraph_xml(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _with_body(document: object, body: str) -> bytes:
    """``document`` saved with ``body`` (WordprocessingML) appended to its body: large bodies
    are written as text, which python-docx would take minutes to build element by element."""
    package = zipfile.ZipFile(io.BytesIO(_saved(document)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for info in package.infolist():
            content = package.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:sectPr", body.encode() + b"<w:sectPr", 1)
            made.writestr(info.filename, content)
    return out.getvalue()


def styled_docx(*, styles: int = 0, paragraphs: int = 40, headings_every: int = 0) -> bytes:
    """A report with ``styles`` extra paragraph styles and ``paragraphs`` body paragraphs, every
    ``headings_every``-th a Heading 2 (python-docx looks styles up one by one: quadratic)."""
    document = docx.Document()
    root = document.styles.element
    for n in range(styles):
        style = _element("w:style", type="paragraph", styleId=f"Extra{n}")
        style.append(_element("w:name", val=f"extra {n}"))  # type: ignore[attr-defined]
        root.append(style)
    document.add_paragraph(TITLE)
    document.add_paragraph(f"一、{CHAPTERS[0]}")
    body = "".join(
        _paragraph_xml(
            f"第{n}段。", "Heading2" if headings_every and n % headings_every == 0 else None
        )
        for n in range(paragraphs)
    )
    return _with_body(document, body)


def table_docx(rows: int, columns: int = 4, span: str | None = None) -> bytes:
    """A table of ``rows`` × ``columns`` cells; its first cell spans ``span`` columns."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(f"一、{CHAPTERS[0]}")
    first = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span is not None else ""
    header = "".join(
        f"<w:tc>{first if c == 0 else ''}{_paragraph_xml(f'列{c}')}</w:tc>" for c in range(columns)
    )
    cell = f"<w:tc>{_paragraph_xml('x')}</w:tc>"
    body = f"<w:tbl><w:tr>{header}</w:tr>" + f"<w:tr>{cell * columns}</w:tr>" * (rows - 1)
    return _with_body(document, body + "</w:tbl>")


def broken_table_docx() -> bytes:
    """A table whose first row continues a vertical merge from a row that is not there
    (python-docx raises ValueError reading it)."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(f"一、{CHAPTERS[0]}")
    merged = f"<w:tc><w:tcPr><w:vMerge/></w:tcPr>{_paragraph_xml('上')}</w:tc>"
    cell = f"<w:tc>{_paragraph_xml('任务')}</w:tc>"
    body = f"<w:tbl><w:tr>{merged}{cell}{cell}</w:tr><w:tr>{merged}{cell}{cell}</w:tr></w:tbl>"
    return _with_body(document, body)


def broken_part_docx(part: str = "word/document.xml", content: bytes = b"<w:document") -> bytes:
    """A good .docx with one part replaced by ``content`` (malformed XML by default)."""
    good = zipfile.ZipFile(io.BytesIO(_saved(docx.Document())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in good.infolist():
            package.writestr(info.filename, content if info.filename == part else good.read(info))
    return out.getvalue()


def without_part_docx(part: str = "word/document.xml") -> bytes:
    good = zipfile.ZipFile(io.BytesIO(_saved(docx.Document())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in good.infolist():
            if info.filename != part:
                package.writestr(info.filename, good.read(info))
    return out.getvalue()


def text_report(*, headings: int = 3, kind: str = "chapter", filler: int = 1) -> str:
    """A .txt report with ``headings`` headings of ``kind`` (chapter 一、, section （一）,
    arabic 1.), each followed by ``filler`` sentences; numbers run 1–99 and again (hand-typed
    numbers skip and repeat, and are read as headings all the same)."""
    lines = [TITLE, f"一、{CHAPTERS[0]}"]
    for n in range(1, headings + 1):
        number = (n - 1) % 99 + 1
        label = {
            "chapter": f"{chinese_number(number)}、",
            "section": f"（{chinese_number(number)}）",
        }.get(kind, f"{number}.")
        lines.append(f"{label}部门预算资金管理第{n}项情况")
        lines.append("本部门年度支出100.00万元，执行率95.00%。" * filler)
    return "\n".join(lines) + "\n"


def encoded(text: str, codec: str) -> bytes:
    return text.encode(codec)


# name → what makes its bytes; the file's suffix is the name's
FILES: dict[str, Callable[[], bytes]] = {
    # Word numbering: values Word never writes, each refused naming its range
    **{
        f"numbering_start_{label}.docx": (lambda v=value: numbered_docx(start=v))
        for label, value in {
            "minus": "-1",
            "letters": "abc",
            "huge": "9" * 5000,
            "over_word_max": "32768",
            "decimal": "1.5",
            "empty": "",
        }.items()
    },
    **{
        f"numbering_level_{label}.docx": (lambda v=value: numbered_docx(lvl=v, ilvl=v))
        for label, value in {
            "nine": "9",
            "huge": "99999999999",
            "letters": "x",
            "minus": "-1",
        }.items()
    },
    **{
        f"paragraph_level_{label}.docx": (lambda v=value: numbered_docx(ilvl=v))
        for label, value in {"nine": "9", "letters": "一", "minus": "-3"}.items()
    },
    # accepted: Word counts from 0, and from its largest start
    "numbering_start_zero.docx": lambda: numbered_docx(start="0"),
    "numbering_start_word_max.docx": lambda: numbered_docx(start="32767"),
    # counts over the limits
    "too_many_styles.docx": lambda: styled_docx(styles=6000),
    "too_many_paragraphs.docx": lambda: styled_docx(paragraphs=10_500),
    "too_many_heading_styles.docx": lambda: styled_docx(paragraphs=2500, headings_every=2),
    "too_many_table_cells.docx": lambda: table_docx(rows=2600, columns=40),
    **{
        f"table_span_{label}.docx": (lambda v=value: table_docx(rows=3, span=v))
        for label, value in {"huge": "1000000000", "zero": "0", "letters": "all"}.items()
    },
    "table_span_wide.docx": lambda: table_docx(rows=3, columns=40, span="30"),
    "table_vmerge_first_row.docx": lambda: broken_table_docx(),
    # broken packages
    "not_a_zip.docx": lambda: b"PK\x03\x04 this is not really a zip archive",
    "malformed_document_xml.docx": broken_part_docx,
    "malformed_styles_xml.docx": lambda: broken_part_docx("word/styles.xml", b"<w:styles><"),
    "no_document_part.docx": without_part_docx,
    # text: counts over the limits
    "too_many_chapter_headings.txt": lambda: text_report(headings=1200).encode(),
    "too_many_section_headings.txt": lambda: text_report(headings=1500, kind="section").encode(),
    "too_many_list_items.txt": lambda: text_report(headings=40_000, kind="arabic").encode(),
    "too_many_short_headings.txt": lambda: (
        TITLE + "\n" + "".join(f"{n % 9 + 1}.甲\n" for n in range(100_000))
    ).encode(),
    "too_many_characters.txt": lambda: text_report(headings=10, filler=2000).encode(),
    "too_many_lines.txt": lambda: (TITLE + "\n" + "\n" * 120_000 + "一、部门概况\n").encode(),
    # text: wide encodings are read or named, never “not a report”
    "utf32_bom.txt": lambda: encoded(text_report(), "utf-32"),
    "utf32_le.txt": lambda: encoded(text_report(), "utf-32-le"),
    "utf32_be.txt": lambda: encoded(text_report(), "utf-32-be"),
    "utf16_bom.txt": lambda: encoded(text_report(), "utf-16"),
    "utf16_le.txt": lambda: encoded(text_report(), "utf-16-le"),
    "utf16_be.txt": lambda: encoded(text_report(), "utf-16-be"),
    "utf32_bom_broken.txt": lambda: encoded(text_report(), "utf-32")[:-2],
    # PDFs
    **{name: make for name, make in make_pdfs.HOSTILE.items()},
}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for file_name, make in FILES.items():
        (target / file_name).write_bytes(make())
