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

from lxml import etree

from reportgen.errors import RenderError
from reportgen.output.pdf import convert_to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
MAX_PAGES = 60
PAGE_DPI = 60


def docx_html(content: bytes) -> str:
    """The document's body in reading order: paragraphs with their alignment, indent and bold
    runs, tables with merged cells; the text is exactly the .docx's text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
    body = root.find(f"{W}body")
    return "".join(_block(child) for child in (body if body is not None else []))


def _block(element: etree._Element) -> str:
    if element.tag == f"{W}p":
        return _paragraph(element)
    if element.tag == f"{W}tbl":
        return _table(element)
    if element.tag == f"{W}sdt":
        content = element.find(f"{W}sdtContent")
        return "".join(_block(c) for c in (content if content is not None else []))
    return ""


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def _paragraph(p: etree._Element) -> str:
    props = p.find(f"{W}pPr")
    classes = []
    align = _val(props.find(f"{W}jc")) if props is not None else None
    if align in {"center", "right", "both"}:
        classes.append(f"a-{align}")
    style = _val(props.find(f"{W}pStyle")) if props is not None else None
    if style:
        classes.append("s-" + "".join(c for c in style if c.isalnum()))
    indent = props.find(f"{W}ind") if props is not None else None
    if indent is not None and (_val(indent, "firstLineChars") or _val(indent, "firstLine")):
        classes.append("indent")
    if props is not None and props.find(f"{W}sectPr") is not None:
        classes.append("section-end")
    runs = []
    for run in p.iter(f"{W}r"):
        text = "".join(
            t.text or "" if t.tag == f"{W}t" else "\t" if t.tag == f"{W}tab" else "\n"
            for t in run
            if t.tag in {f"{W}t", f"{W}tab", f"{W}br"}
        )
        if not text:
            continue
        bold = run.find(f"{W}rPr/{W}b") is not None
        shown = html.escape(text)
        runs.append(f"<b>{shown}</b>" if bold else shown)
    return f'<p class="{" ".join(classes)}">{"".join(runs) or "&nbsp;"}</p>'


def _table(table: etree._Element) -> str:
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
            inner = "".join(_block(c) for c in tc)
            cells.append(f"<td{spans}>{inner}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>{''.join(rows)}</table>"


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
