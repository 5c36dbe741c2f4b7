"""The official format (BRIEF §4, GB/T 9704): page, styles and page numbers in the .docx XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.readback import (
    EXAMPLES,
    NS,
    TEMPLATES,
    Para,
    W,
    document_xml,
    footers,
    paragraphs,
    render_examples,
    settings_xml,
    styles_xml,
)

STEMS = [p.stem for p in EXAMPLES]
TWIPS_PER_MM = 1440 / 25.4
EM_DASH = "\u2014"

# style id → (font for ascii and eastAsia, size in half-points, bold)
STYLES = {
    "ReportBody": ("仿宋_GB2312", 32, False),
    "ReportTitle": ("方正小标宋简体", 44, False),
    "ReportHeading1": ("黑体", 32, False),
    "ReportHeading2": ("楷体_GB2312", 32, False),
    "ReportHeading3": ("仿宋_GB2312", 32, True),
    "ReportHeading4": ("仿宋_GB2312", 32, False),
    "ReportAttachment": ("黑体", 32, False),
    "ReportPageNumber": ("宋体", 28, False),
}
INDENTED = ["ReportBody", "ReportHeading1", "ReportHeading2", "ReportHeading3", "ReportHeading4"]
TABLE_STYLES = {"ReportTableHeader", "ReportTableText"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_examples(tmp_path_factory.mktemp("format"))


def style_element(styles: etree._Element, style_id: str, path: str) -> etree._Element | None:
    """The element at ``path`` in the style, or in the nearest style it is based on."""
    while style_id:
        [style] = styles.xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
        element = style.find(path, NS)
        if element is not None:
            return element
        based_on = style.find("w:basedOn", NS)
        style_id = based_on.get(f"{W}val") if based_on is not None else ""
    return None


def style_value(styles: etree._Element, style_id: str, path: str, attr: str) -> str | None:
    element = style_element(styles, style_id, path)
    return None if element is None else element.get(f"{W}{attr}")


def is_bold(styles: etree._Element, style_id: str) -> bool:
    element = style_element(styles, style_id, "w:rPr/w:b")
    return element is not None and element.get(f"{W}val") in (None, "1", "true", "on")


@pytest.mark.parametrize("stem", STEMS)
def test_a4_page_margins_and_line_grid(rendered: dict[str, Path], stem: str) -> None:
    section = document_xml(rendered[stem]).find("w:body/w:sectPr", NS)
    size = section.find("w:pgSz", NS)
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (
        "11906",
        "16838",
        None,
    )
    margins = section.find("w:pgMar", NS)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(margins.get(f"{W}{side}")) - mm * TWIPS_PER_MM) <= 1, side
    assert section.find("w:docGrid", NS).get(f"{W}linePitch") == "579"


@pytest.mark.parametrize("stem", STEMS)
def test_style_fonts_sizes_and_weight(rendered: dict[str, Path], stem: str) -> None:
    styles = styles_xml(rendered[stem])
    found = {
        style_id: (
            style_value(styles, style_id, "w:rPr/w:rFonts", "ascii"),
            style_value(styles, style_id, "w:rPr/w:rFonts", "eastAsia"),
            int(style_value(styles, style_id, "w:rPr/w:sz", "val") or 0),
            is_bold(styles, style_id),
        )
        for style_id in STYLES
    }
    assert found == {sid: (font, font, size, bold) for sid, (font, size, bold) in STYLES.items()}


@pytest.mark.parametrize("stem", STEMS)
def test_exact_line_spacing_indent_and_alignment(rendered: dict[str, Path], stem: str) -> None:
    styles = styles_xml(rendered[stem])

    def value(style_id: str, path: str, attr: str) -> str | None:
        return style_value(styles, style_id, path, attr)

    for style_id in [*INDENTED, "ReportAttachment"]:
        assert value(style_id, "w:pPr/w:spacing", "line") == "579", style_id
        assert value(style_id, "w:pPr/w:spacing", "lineRule") == "exact", style_id
    for style_id in INDENTED:
        assert value(style_id, "w:pPr/w:ind", "firstLineChars") == "200", style_id
        assert value(style_id, "w:pPr/w:ind", "firstLine") == "640", style_id
    assert value("ReportTitle", "w:pPr/w:jc", "val") == "center"
    assert value("ReportAttachment", "w:pPr/w:jc", "val") == "left"
    assert value("ReportAttachment", "w:pPr/w:ind", "firstLine") is None
    assert value("ReportBody", "w:pPr/w:jc", "val") == "both"


@pytest.mark.parametrize("stem", STEMS)
def test_text_takes_its_fonts_from_report_styles(rendered: dict[str, Path], stem: str) -> None:
    body = document_xml(rendered[stem]).find("w:body", NS)
    assert body.findall(".//w:r/w:rPr/w:rFonts", NS) == []
    used = {p.style for p in paragraphs(rendered[stem])}
    assert used <= set(STYLES) | TABLE_STYLES, used - set(STYLES) - TABLE_STYLES


def footer_tokens(paragraph: etree._Element) -> list[str]:
    """Each run as its text, ``<begin>``/``<separate>``/``<end>`` or ``<instr PAGE>``."""
    tokens = []
    for run in paragraph.iterfind("w:r", NS):
        char = run.find("w:fldChar", NS)
        instr = run.find("w:instrText", NS)
        if char is not None:
            tokens.append(f"<{char.get(f'{W}fldCharType')}>")
        elif instr is not None:
            tokens.append(f"<instr {instr.text.strip()}>")
        else:
            tokens.append("".join(t.text or "" for t in run.iterfind("w:t", NS)))
    return tokens


@pytest.mark.parametrize("stem", STEMS)
def test_page_numbers_odd_right_even_left(rendered: dict[str, Path], stem: str) -> None:
    toggle = settings_xml(rendered[stem]).find("w:evenAndOddHeaders", NS)
    assert toggle is not None and toggle.get(f"{W}val") in (None, "1", "true", "on")
    parts = footers(rendered[stem])
    assert sorted(parts) == ["default", "even"]
    for kind, side in (("default", "right"), ("even", "left")):
        [paragraph] = parts[kind].findall("w:p", NS)
        assert paragraph.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "ReportPageNumber"
        assert paragraph.find("w:pPr/w:jc", NS).get(f"{W}val") == side
        assert paragraph.find("w:pPr/w:ind", NS).get(f"{W}{side}") == "280"  # one 14 pt character
        tokens = footer_tokens(paragraph)
        assert tokens[0] == f"{EM_DASH} " and tokens[-1] == f" {EM_DASH}", tokens
        inner = tokens[1:-1]
        assert inner[0] == "<begin>" and inner[1] == "<instr PAGE>" and inner[-1] == "<end>"
        assert inner.count("<begin>") == inner.count("<end>") == 1


@pytest.mark.parametrize(
    ("stem", "label"),
    [
        ("huadu-gov-office-2022", "附件4"),
        ("nansha-party-office-2023", None),
        ("panyu-gov-office-2023", None),
    ],
)
def test_attachment_label_first_and_only_when_given(
    rendered: dict[str, Path], stem: str, label: str | None
) -> None:
    paras = paragraphs(rendered[stem])
    title_at = 0 if label is None else 1
    if label is not None:
        assert paras[0] == Para("ReportAttachment", label)
    assert [p.style for p in paras if p.text.startswith("附件")] == (
        [] if label is None else ["ReportAttachment"]
    )
    assert [p.style for p in paras[title_at : title_at + 2]] == ["ReportTitle", "ReportTitle"]
    # the title's lines: a name too long to stand beside the year breaks between words
    title = paras[title_at].text.replace("\n", "") + paras[title_at + 1].text
    assert title.endswith("部门整体支出绩效自评报告") and title.startswith(("2022年度", "2023年度"))


@pytest.mark.parametrize("stem", STEMS)
def test_headings_use_heading_styles(rendered: dict[str, Path], stem: str) -> None:
    paras = paragraphs(rendered[stem])
    chapters = [p for p in paras if re.match(r"[一二三四五六七八九十]+、", p.text)]
    sections = [p for p in paras if re.match(r"（[一二三四五六七八九十]+）", p.text)]
    assert [p.text[:2] for p in chapters] == ["一、", "二、", "三、", "四、"]
    assert {p.style for p in chapters} == {"ReportHeading1"}
    assert len(sections) >= 5 and {p.style for p in sections} == {"ReportHeading2"}
    assert [p for p in paras if p.style == "ReportHeading1"] == chapters


def test_item_title_bold_and_its_text_plain(rendered: dict[str, Path]) -> None:
    body = document_xml(rendered["huadu-gov-office-2022"]).find("w:body", NS)
    [item] = [p for p in body.iterfind("w:p", NS) if "".join(p.itertext()).startswith("1.综合政务")]
    runs = item.findall("w:r", NS)
    assert "".join(runs[0].itertext()) == "1.综合政务工作方面。"
    assert [r.find("w:rPr/w:b", NS) is not None for r in runs] == [True, False]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.glob("*/template.docx")), ids=lambda p: p.parent.name
)
def test_every_style_names_its_east_asian_font(template: Path) -> None:
    """No style falls back to a theme font: a Chinese run must never end up in Calibri or in a
    Japanese theme face, whichever style an author picks."""
    styles = etree.fromstring(zipfile.ZipFile(template).read("word/styles.xml"))
    fonts = styles.findall(f".//{W}rFonts")
    assert fonts
    for element in fonts:
        assert element.get(f"{W}eastAsia"), etree.tostring(element.getparent().getparent())
        assert not [name for name in element.attrib if name.endswith("Theme")]
