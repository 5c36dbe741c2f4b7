"""Build the built-in .docx templates (default, panyu, huadu) in the GB/T 9704 公文 format.

Run ``python templates/build_templates.py`` after changing a layout in ``reportgen/layouts.py``
or a style below. The .docx files it writes are the source template authors open in Word/WPS;
this script only saves them from retyping the styles and tags by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reportgen.layouts import LAYOUTS, Layout

HERE = Path(__file__).resolve().parent

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm type area
# 28 characters of 16 pt need 448 pt but the type area is 442 pt wide: condense each character
# by 0.25 pt (w:spacing is in twentieths of a point). A character grid would do the same in
# Word, but LibreOffice then gives every 16 pt character two grid cells.
BODY_CHAR_SPACING = -5

# style id → (font, size pt, bold, alignment, first-line indent in chars, outline level)
STYLES: dict[str, tuple[str, float, bool, str, int, int | None]] = {
    "ReportBody": (FANGSONG, 16, False, "justify", 2, None),
    "ReportTitle": (XIAOBIAOSONG, 22, False, "center", 0, None),
    "ReportAttachment": (HEITI, 16, False, "left", 0, None),
    "ReportHeading1": (HEITI, 16, False, "justify", 2, 0),
    "ReportHeading2": (KAITI, 16, False, "justify", 2, 1),
    "ReportHeading3": (FANGSONG, 16, True, "justify", 2, 2),
    "ReportHeading4": (FANGSONG, 16, False, "justify", 2, 3),
    "ReportTableText": (FANGSONG, 12, False, "center", 0, None),
    "ReportTableHeader": (HEITI, 12, False, "center", 0, None),
    "ReportPageNumber": (SONGTI, 14, False, "right", 0, None),
}
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def set_fonts(rpr: OxmlElement, font: str) -> None:
    """Name the font for every script: East Asian text ignores w:ascii."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)
    fonts.set(qn("w:hint"), "eastAsia")


KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


def prune_styles(doc: Document) -> None:
    """Drop python-docx's sample styles (Heading 1 in Calibri, a Japanese theme font …): an
    author picking one from Word's gallery would leave the official format unawares."""
    for style in list(doc.styles.element.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            doc.styles.element.remove(style)


def add_styles(doc: Document) -> None:
    prune_styles(doc)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    if spacing is not None:  # no 10 pt gap after every paragraph that has no style
        spacing.set(qn("w:after"), "0")
    # w:overflowPunct on is Word's default (ECMA-376 §17.3.1.21: a mark after a full line may
    # hang in the margin), written out for LibreOffice: its import reads the element inverted
    # (val 0 → hang) and hangs marks when the element is absent, and LibreOffice 7.4 does not
    # paint a hanging mark in a justified line. The PDF lost 4–6 marks per example report and 15
    # in one crowded with “文化、卫生、环境，”; written out, LibreOffice moves the mark down with
    # the character before it: 0 lost, and Word lays the page out as before. Toggling w:docGrid,
    # w:snapToGrid, w:kinsoku, w:topLinePunct, w:adjustRightInd or w:characterSpacingControl
    # changed nothing; without the condensed spacing fewer marks were lost, but not none.
    ppr_default.insert(0, OxmlElement("w:overflowPunct"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, FANGSONG)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    set_fonts(normal.element.get_or_add_rPr(), FANGSONG)

    for style_id, (font, size, bold, align, indent, outline) in STYLES.items():
        style = doc.styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = None
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, font)
        if size == 16:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(BODY_CHAR_SPACING))
            rpr.append(spacing)
        fmt = style.paragraph_format
        fmt.alignment = ALIGN[align]
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.widow_control = False
        if style_id == "ReportTitle":
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(35)
        elif style_id.startswith("ReportTable"):
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.space_before = Pt(3)
            fmt.space_after = Pt(3)
            snap = OxmlElement("w:snapToGrid")  # table rows keep their own height, not 28.95 pt
            snap.set(qn("w:val"), "0")
            style.element.get_or_add_pPr().append(snap)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Twips(LINE_PITCH)
        ppr = style.element.get_or_add_pPr()
        if indent:
            ind = OxmlElement("w:ind")
            ind.set(qn("w:firstLineChars"), str(indent * 100))
            ind.set(qn("w:firstLine"), str(int(size * 20 * indent)))
            ppr.append(ind)
        if outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            ppr.append(level)
        if style_id in {"ReportHeading1", "ReportHeading2", "ReportTitle"}:
            fmt.keep_with_next = True


def page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    doc.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer, "right")
    page_number(section.even_page_footer, "left")


def page_number(footer, side: str) -> None:  # type: ignore[no-untyped-def]
    """“— N —” in 4号宋体, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "ReportPageNumber"
    paragraph.alignment = ALIGN[side]
    if side == "right":
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    paragraph.add_run("— ")
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


def para(doc: Document, text: str, style: str = "ReportBody") -> None:
    doc.add_paragraph(text, style=style)


def tag(doc: Document, text: str) -> None:
    """A paragraph that holds only a docxtpl tag; docxtpl removes it when rendering."""
    doc.add_paragraph(text, style="ReportBody")


def indicator_table(doc: Document, with_scores: bool) -> None:
    headers = ["指标名称", "目标值", "实际值", "完成率"]
    cells = ["{{ row.name }}", "{{ row.target }}", "{{ row.actual }}", "{{ row.rate }}"]
    if with_scores:
        headers += ["分值", "得分"]
        cells += ["{{ row.max_score }}", "{{ row.score }}"]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "ReportTableHeader"
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for row in indicator_table.rows %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "ReportTableText"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    # the name column takes what the figures leave of the 156 mm type area
    figure_width = Mm(22 if with_scores else 28)
    widths = [Mm(156) - figure_width * (len(headers) - 1)] + [figure_width] * (len(headers) - 1)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width) // 635))  # EMU → twips
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_row.append(repeat)


def section_block(doc: Document, key: str, heading: str | None) -> None:
    tag(doc, f"{{%p if sections.{key} %}}")
    if heading is not None:
        para(doc, "{{ n.h2() }}" + heading, "ReportHeading2")
    tag(doc, f"{{{{p sections.{key} }}}}")
    if key == "effectiveness":
        tag(doc, "{%p if indicator_table and indicator_table.has_scores %}")
        indicator_table(doc, with_scores=True)
        tag(doc, "{%p elif indicator_table %}")
        indicator_table(doc, with_scores=False)
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def build(layout: Layout) -> Document:
    doc = Document()
    for paragraph in list(doc.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    add_styles(doc)
    page_setup(doc)
    doc.core_properties.title = f"部门整体支出绩效自评报告模板（{layout.label}）"
    doc.core_properties.author = "reportgen"
    tag(doc, "{%p if attachment %}")
    para(doc, "{{ attachment }}", "ReportAttachment")
    tag(doc, "{%p endif %}")
    para(doc, "{{ title_line1 }}", "ReportTitle")
    para(doc, "{{ title_line2 }}", "ReportTitle")
    para(doc, "", "ReportBody")
    for chapter in layout.chapters:
        para(doc, "{{ n.h1() }}" + chapter.title, "ReportHeading1")
        if chapter.body is not None:
            section_block(doc, chapter.body, None)
        for key, heading in chapter.sections:
            section_block(doc, key, heading)
    return doc


def main() -> None:
    for layout in LAYOUTS.values():
        target = HERE / layout.template
        build(layout).save(str(target))
        print(f"wrote {target.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
