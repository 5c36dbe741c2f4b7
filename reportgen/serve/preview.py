"""The rendered report shown in the page: as HTML, or its pages as images.

The HTML is the preview that follows the clerk's typing: it is made in milliseconds, needs no
LibreOffice and holds exactly the .docx's text — the body (title block, headings, tables), the
page's size and margins, page breaks, and each header and footer with its page-number field.
Where Word lays the lines out differs (fonts, line breaks, where pages end); for that the
pages are drawn by LibreOffice (PDF → PNG) on request, one conversion at a time, bounded in
time and kept per version of the document so an unchanged report is shown again at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from reportgen.errors import RenderError
from reportgen.output.pdf import FONT_SUBSTITUTES, convert_to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=False)
MAX_PAGES = 60
PAGE_DPI = 60


Css = dict[str, str]


# what a header's or footer's type means, and what a field prints
PART_LABELS = {"default": "", "even": "（双页）", "first": "（首页）"}
FIELD_LABELS = {"PAGE": "页码", "NUMPAGES": "总页数", "SECTIONPAGES": "本节页数", "DATE": "日期"}


def docx_html(content: bytes, title: str = "") -> str:
    """The document as one page box of its size and margins: the body in reading order (each
    paragraph with its style's alignment, indent, size, weight and font, ``basedOn`` followed;
    tables with merged cells; page breaks marked), then its headers and footers, each field
    shown as what it prints (the page number). The text is exactly the .docx's text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())

        def part(name: str) -> etree._Element | None:
            return etree.fromstring(archive.read(name), _PARSER) if name in names else None

        root = part("word/document.xml")
        rendering = _Html(_style_table(part("word/styles.xml")))
        body = root.find(f"{W}body") if root is not None else None
        section = body.find(f"{W}sectPr") if body is not None else None
        targets = _relationships(part("word/_rels/document.xml.rels"))
        parts = []
        for kind, word in (("header", "页眉"), ("footer", "页脚")):
            for reference in section.iterfind(f"{W}{kind}Reference") if section is not None else []:
                found = part(targets.get(reference.get(f"{R}id") or "", ""))
                if found is None:
                    continue
                label = word + PART_LABELS.get(reference.get(f"{W}type") or "", "")
                parts.append((kind, label, rendering.blocks(found)))
    heads = "".join(_part_box(k, label, inner) for k, label, inner in parts if k == "header")
    feet = "".join(_part_box(k, label, inner) for k, label, inner in parts if k == "footer")
    caption = f'<div class="document-title">{html.escape(title)}</div>' if title else ""
    inner = rendering.blocks(body if body is not None else [])
    return (
        f'<div class="document">{caption}<div class="page" style="{_page_css(section)}">'
        f"{heads}{inner}{feet}</div></div>"
    )


def _relationships(rels: etree._Element | None) -> dict[str, str]:
    """Relationship id → the part's name in the package (targets inside word/ only)."""
    found: dict[str, str] = {}
    for rel in rels.iterfind(f"{RELS}Relationship") if rels is not None else []:
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or target.startswith("/") or ".." in target:
            continue
        found[rel.get("Id") or ""] = str(PurePosixPath("word") / target)
    return found


def _part_box(kind: str, label: str, inner: str) -> str:
    return (
        f'<div class="page-{kind}" title="{html.escape(label)}">'
        f'<span class="part-label">{html.escape(label)}</span>{inner}</div>'
    )


def _page_css(section: etree._Element | None) -> str:
    """The page's width and margins (sectPr), so lines are as long as on paper."""
    if section is None:
        return ""
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    css: Css = {}
    if width := _twips(_val(size, "w")):
        css["width"] = width
    if height := _twips(_val(size, "h")):
        css["min-height"] = height
    if margins is not None:
        sides = [_twips(_val(margins, side)) for side in ("top", "right", "bottom", "left")]
        if all(sides):
            css["padding"] = " ".join(side or "" for side in sides)
    return _style_attribute(css)


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
        field: str | None = None  # the instruction of the field whose result is being read
        instruction, in_result = "", False
        page_break = False
        for run in p.iter(f"{W}r"):
            for mark in run.iterfind(f"{W}fldChar"):
                kind = mark.get(f"{W}fldCharType")
                if kind == "begin":
                    instruction, in_result, field = "", False, None
                elif kind == "separate":
                    in_result, field = True, instruction.split()[0] if instruction.split() else ""
                elif kind == "end":
                    in_result, field = False, None
            instruction += "".join(t.text or "" for t in run.iterfind(f"{W}instrText"))
            if any(_val(b, "type") == "page" for b in run.iterfind(f"{W}br")):
                page_break = True
            text = "".join(
                (t.text or "") if t.tag == f"{W}t" else "\t" if t.tag == f"{W}tab" else "\n"
                for t in run
                if t.tag in {f"{W}t", f"{W}tab"}
                or (t.tag == f"{W}br" and _val(t, "type") != "page")
            )
            if not text:
                continue
            run_props = run.find(f"{W}rPr")
            own = _run_css(run_props) if run_props is not None else {}
            shown = html.escape(text).replace("\n", "<br>")
            if in_result and field:
                meaning = FIELD_LABELS.get(field.upper(), field)
                shown = f'<span class="docx-field" title="{html.escape(meaning)}（打印时为实际的数）">{shown}</span>'
            runs.append(f'<span style="{_style_attribute(own)}">{shown}</span>' if own else shown)
        end = (
            ' class="section-end"'
            if props is not None and props.find(f"{W}sectPr") is not None
            else ""
        )
        before = props is not None and props.find(f"{W}pageBreakBefore") is not None
        shown = f'<p style="{_style_attribute(css)}"{end}>{"".join(runs) or "&nbsp;"}</p>'
        mark = '<div class="page-break" title="分页"></div>'
        return (mark if before else "") + shown + (mark if page_break else "")

    def table(self, table: etree._Element) -> str:
        """Rows of cells placed on the table's grid: a cell spans ``gridSpan`` columns, and a
        cell that starts a vertical merge spans the rows whose cell at its column continues it."""
        grid: list[list[tuple[int, etree._Element, str | None]]] = []
        for tr in table.findall(f"{W}tr"):
            before = _val(tr.find(f"{W}trPr/{W}gridBefore"))
            column = int(before) if before and before.isdigit() else 0
            row = []
            for tc in tr.findall(f"{W}tc"):
                props = tc.find(f"{W}tcPr")
                merge = props.find(f"{W}vMerge") if props is not None else None
                row.append((column, tc, None if merge is None else (_val(merge) or "continue")))
                span = _val(props.find(f"{W}gridSpan")) if props is not None else None
                column += int(span) if span and span.isdigit() else 1
            grid.append(row)
        rows = []
        for index, row in enumerate(grid):
            cells = []
            for column, tc, merge in row:
                if merge == "continue":
                    continue  # the cell above spans it
                props = tc.find(f"{W}tcPr")
                span = _val(props.find(f"{W}gridSpan")) if props is not None else None
                spans = f' colspan="{int(span)}"' if span and span.isdigit() else ""
                if merge == "restart":
                    down = 1
                    for later in grid[index + 1 :]:
                        if not any(c == column and m == "continue" for c, _, m in later):
                            break
                        down += 1
                    spans += f' rowspan="{down}"' if down > 1 else ""
                cells.append(f"<td{spans}>{self.blocks(tc)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        widths = [_twips(_val(col, "w")) for col in table.iterfind(f"{W}tblGrid/{W}gridCol")]
        if widths and all(widths):  # the columns as wide as in Word
            columns = "".join(f'<col style="width: {width}">' for width in widths)
            return f'<table class="gridded"><colgroup>{columns}</colgroup>{"".join(rows)}</table>'
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


def document_version(documents: Sequence[bytes]) -> str:
    """What the documents print, as a hash: every part but the creation time (docProps/core.xml),
    so the same data rendered again is the same version."""
    digest = hashlib.sha256()
    for content in documents:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in sorted(archive.namelist()):
                if name != "docProps/core.xml":
                    digest.update(name.encode() + b"\0" + archive.read(name) + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


class PageImages:
    """Page images of the last few document versions; LibreOffice runs for one at a time."""

    def __init__(self, keep: int = 6, timeout: float = 120) -> None:
        self.keep = keep
        self.timeout = timeout
        self._lock = threading.Lock()
        self._made: OrderedDict[str, list[str]] = OrderedDict()

    def images(self, documents: Sequence[bytes]) -> tuple[list[str], bool]:
        """The pages of ``documents`` one after another, and whether they were kept from before."""
        version = document_version(documents)
        with self._lock:  # a second request waits for the first, then finds its pages
            if version in self._made:
                self._made.move_to_end(version)
                return self._made[version], True
            pages = [page for content in documents for page in page_images(content, self.timeout)]
            self._made[version] = pages
            while len(self._made) > self.keep:
                self._made.popitem(last=False)
            return pages, False


def pdf_bytes(content: bytes, timeout: float = 180) -> bytes:
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as folder:
        docx = Path(folder) / "报告.docx"
        docx.write_bytes(content)
        return convert_to_pdf(docx, Path(folder) / "pdf", timeout).read_bytes()
