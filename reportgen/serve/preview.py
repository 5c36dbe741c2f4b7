"""The rendered report shown in the page: its body as HTML, or its pages as images."""

from __future__ import annotations

import base64
import html
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from reportgen.errors import RenderError
from reportgen.output.pdf import FONT_SUBSTITUTES, convert_to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
MAX_PAGES = 60
PAGE_DPI = 60


Css = dict[str, str]


def docx_html(content: bytes) -> str:
    """The document's body in reading order, each paragraph with its style's alignment, indent,
    size, weight and font (styles.xml, ``basedOn`` followed) and tables with merged cells; the
    text is exactly the .docx's text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
        names = set(archive.namelist())
        styles = (
            etree.fromstring(archive.read("word/styles.xml"), _PARSER)
            if "word/styles.xml" in names
            else None
        )
    body = root.find(f"{W}body")
    return _Html(_style_table(styles)).blocks(body if body is not None else [])


def _style_table(styles: etree._Element | None) -> dict[str | None, Css]:
    """Style id → the CSS its paragraph and run properties give, inherited ones included;
    ``None`` → the document defaults."""
    if styles is None:
        return {None: {}}
    defaults: Css = {}
    for props in styles.iterfind(f"{W}docDefaults//{W}pPr"):
        defaults |= _paragraph_css(props)
    for props in styles.iterfind(f"{W}docDefaults//{W}rPr"):
        defaults |= _run_css(props)
    own: dict[str, tuple[str | None, Css]] = {}
    for style in styles.iterfind(f"{W}style"):
        css: Css = {}
        for props in style.iterfind(f"{W}pPr"):
            css |= _paragraph_css(props)
        for props in style.iterfind(f"{W}rPr"):
            css |= _run_css(props)
        own[style.get(f"{W}styleId") or ""] = (_val(style.find(f"{W}basedOn")), css)

    def resolved(style_id: str, depth: int = 0) -> Css:
        parent, css = own.get(style_id, (None, {}))
        base = resolved(parent, depth + 1) if parent and depth < 20 else defaults
        return base | css

    return {None: defaults} | {style_id: resolved(style_id) for style_id in own}


def _twips(value: str | None) -> str | None:
    return f"{int(value) / 20:g}pt" if value and value.lstrip("-").isdigit() else None


def _paragraph_css(props: etree._Element) -> Css:
    css: Css = {}
    align = _val(props.find(f"{W}jc"))
    if align:
        css["text-align"] = {"both": "justify", "distribute": "justify", "start": "left"}.get(
            align, align if align in {"center", "right", "left"} else "left"
        )
    indent = props.find(f"{W}ind")
    if indent is not None:
        chars = _val(indent, "firstLineChars")
        if chars and chars.isdigit():
            css["text-indent"] = f"{int(chars) / 100:g}em"
        elif first := _twips(_val(indent, "firstLine")):
            css["text-indent"] = first
        if left := _twips(_val(indent, "left") or _val(indent, "start")):
            css["margin-left"] = left
    spacing = props.find(f"{W}spacing")
    exact = spacing is not None and _val(spacing, "lineRule") in {"exact", "atLeast"}
    if exact and (line := _twips(_val(spacing, "line"))):
        css["line-height"] = line
    return css


def _run_css(props: etree._Element) -> Css:
    css: Css = {}
    size = _val(props.find(f"{W}sz"))
    if size and size.isdigit():
        css["font-size"] = f"{int(size) / 2:g}pt"
    bold = props.find(f"{W}b")
    if bold is not None:
        css["font-weight"] = "normal" if _val(bold) in {"0", "false"} else "bold"
    fonts = props.find(f"{W}rFonts")
    font = _val(fonts, "eastAsia") or _val(fonts, "ascii") if fonts is not None else None
    if font:
        css["font-family"] = ", ".join(
            f"'{name}'" for name in [font, *FONT_SUBSTITUTES.get(font, [])] if "'" not in name
        ) + (", sans-serif" if "黑" in font else ", serif")
    return css


def _style_attribute(css: Css) -> str:
    return html.escape("; ".join(f"{k}: {v}" for k, v in css.items()), quote=True)


class _Html:
    def __init__(self, styles: dict[str | None, Css]) -> None:
        self.styles = styles

    def blocks(self, elements: Any) -> str:
        return "".join(self.block(child) for child in elements)

    def block(self, element: etree._Element) -> str:
        if element.tag == f"{W}p":
            return self.paragraph(element)
        if element.tag == f"{W}tbl":
            return self.table(element)
        if element.tag == f"{W}sdt":
            return self.blocks(element.findall(f"{W}sdtContent/*"))
        return ""

    def paragraph(self, p: etree._Element) -> str:
        props = p.find(f"{W}pPr")
        style = _val(props.find(f"{W}pStyle")) if props is not None else None
        css = dict(self.styles.get(style, self.styles[None]))
        if props is not None:
            css |= _paragraph_css(props)
            for run_props in props.iterfind(f"{W}rPr"):
                css |= _run_css(run_props)
        runs = []
        for run in p.iter(f"{W}r"):
            text = "".join(
                (t.text or "") if t.tag == f"{W}t" else "\t" if t.tag == f"{W}tab" else "\n"
                for t in run
                if t.tag in {f"{W}t", f"{W}tab", f"{W}br"}
            )
            if not text:
                continue
            run_props = run.find(f"{W}rPr")
            own = _run_css(run_props) if run_props is not None else {}
            shown = html.escape(text).replace("\n", "<br>")
            runs.append(f'<span style="{_style_attribute(own)}">{shown}</span>' if own else shown)
        end = (
            ' class="section-end"'
            if props is not None and props.find(f"{W}sectPr") is not None
            else ""
        )
        return f'<p style="{_style_attribute(css)}"{end}>{"".join(runs) or "&nbsp;"}</p>'

    def table(self, table: etree._Element) -> str:
        rows = []
        for tr in table.findall(f"{W}tr"):
            cells = []
            for tc in tr.findall(f"{W}tc"):
                props = tc.find(f"{W}tcPr")
                merge = props.find(f"{W}vMerge") if props is not None else None
                if merge is not None and _val(merge) != "restart":
                    continue  # the cell above spans it
                span = _val(props.find(f"{W}gridSpan")) if props is not None else None
                spans = f' colspan="{int(span)}"' if span and span.isdigit() else ""
                cells.append(f"<td{spans}>{self.blocks(tc)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return f"<table>{''.join(rows)}</table>"


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def page_images(content: bytes, timeout: float = 120) -> list[str]:
    """The report's pages as PNG data URLs, by LibreOffice (PDF) and pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RenderError("未找到 pdftoppm（poppler-utils），无法生成页面图像")
    with tempfile.TemporaryDirectory(prefix="reportgen-pages-") as folder:
        work = Path(folder)
        docx = work / "报告.docx"
        docx.write_bytes(content)
        pdf = convert_to_pdf(docx, work / "pdf", timeout)
        try:
            subprocess.run(
                [
                    pdftoppm,
                    "-png",
                    "-r",
                    str(PAGE_DPI),
                    "-l",
                    str(MAX_PAGES),
                    str(pdf),
                    str(work / "page"),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise RenderError("无法把 PDF 转为页面图像（pdftoppm 失败）") from exc
        return [
            "data:image/png;base64," + base64.b64encode(page.read_bytes()).decode("ascii")
            for page in sorted(work.glob("page-*.png"))
        ]


def pdf_bytes(content: bytes, timeout: float = 180) -> bytes:
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as folder:
        docx = Path(folder) / "报告.docx"
        docx.write_bytes(content)
        return convert_to_pdf(docx, Path(folder) / "pdf", timeout).read_bytes()
