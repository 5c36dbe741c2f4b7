"""The preview in the page: the HTML holds exactly what the .docx prints — the body with its
title block and tables, the page's size and margins, each footer with its page number, and the
自评表 after the report when the data has one; page images are made once per document version."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from reportgen.check.validate import validate_file
from reportgen.output.render import render_document
from reportgen.output.table import render_table_document
from reportgen.serve import preview
from reportgen.serve.workbench import Workbench
from tests.conftest import COMPLETE, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE = ROOT / "data" / "table" / "panyu-gov-office-2023-table.yaml"


def _docx_texts(content: bytes, part: str = "word/document.xml") -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read(part))
    found = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    return [text for text in found if text]


def _html_texts(element: lxml_html.HtmlElement) -> list[str]:
    found = (
        p.text_content().replace("\t", "").replace("\xa0", "")
        for p in element.iter("p")
        if not p.xpath("ancestor::div[contains(@class, 'page-footer')]")
    )
    return [text for text in found if text]


def _documents(markup: str) -> list[lxml_html.HtmlElement]:
    return lxml_html.fragment_fromstring(markup, create_parent="div").find_class("document")


@pytest.mark.parametrize("source", [COMPLETE, TABLE], ids=["complete", "with-table"])
def test_the_preview_holds_the_report_s_text_page_and_footers(source: Path) -> None:
    content = render_document(validate_file(source))
    (document,) = _documents(preview.docx_html(content))
    assert _html_texts(document) == _docx_texts(content)  # title block, body, table cells
    page = document.find_class("page")[0]
    # A4 portrait with the 公文 margins of the template (twips / 20 = pt)
    assert (
        page.get("style")
        == "width: 595.3pt; min-height: 841.9pt; padding: 104.9pt 73.7pt 99.2pt 79.35pt"
    )
    footers = document.find_class("page-footer")
    assert [f.get("title") for f in footers] == ["页脚", "页脚（双页）"]
    for footer in footers:  # “— 1 —”, the 1 being the PAGE field
        assert footer.text_content().endswith("— 1 —")
        (number,) = footer.find_class("docx-field")
        assert number.text_content() == "1" and number.get("title").startswith("页码")
    styles = [p.get("style") for f in footers for p in f.iter("p")]
    assert "text-align: right" in styles[0] and "text-align: left" in styles[1]


def test_with_a_table_the_preview_shows_the_table_after_the_report(tmp_path: Path) -> None:
    validation = validate_file(TABLE)
    workbench = Workbench(tmp_path)
    shown = workbench.preview("t.yaml", TABLE.read_text(encoding="utf-8"))
    assert shown["documents"] == ["报告", "自评表"]
    report, table = _documents(shown["html"])
    assert report.find_class("document-title")[0].text_content() == "报告"
    assert table.find_class("document-title")[0].text_content() == "自评表"
    expected = render_table_document(validation)
    title = table.find_class("document-title")[0]
    title.getparent().remove(title)
    assert _html_texts(table) == _docx_texts(expected)
    assert "98.79" in table.text_content()
    # landscape A4
    assert (
        table.find_class("page")[0].get("style").startswith("width: 841.9pt; min-height: 595.3pt")
    )
    # a report without a table shows the report alone, untitled
    alone = workbench.preview("c.yaml", COMPLETE.read_text(encoding="utf-8"))
    assert alone["documents"] == ["报告"] and "document-title" not in alone["html"]


def test_page_images_are_made_once_per_document_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[int] = []

    def fake(content: bytes, timeout: float = 120) -> list[str]:
        made.append(len(content))
        time.sleep(0.2)  # long enough for the second request to arrive while this one runs
        return [f"page of {len(made)}"]

    monkeypatch.setattr(preview, "page_images", fake)
    images = preview.PageImages(keep=2)
    validation = validate_file(COMPLETE)
    first = render_document(validation)
    time.sleep(1.1)  # the next rendering has another creation time: the same version still
    again = render_document(validation)
    assert first != again
    answers: list[tuple[list[str], bool]] = []
    threads = [
        threading.Thread(target=lambda c=c: answers.append(images.images([c])))
        for c in (first, again)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1  # one LibreOffice run; the other request waited and found its pages
    assert sorted(kept for _, kept in answers) == [False, True]
    # another version is made anew; the oldest is forgotten past `keep`
    changed = render_document(validate_file(TABLE))
    assert images.images([changed]) == (["page of 2"], False)
    assert images.images([first, changed])[1] is False
    assert images.images([first])[1] is False  # forgotten (keep=2)
    assert len(made) == 5


def test_merged_cells_keep_every_row_on_the_table_s_grid() -> None:
    """The 自评表 merges 一级 and 二级指标 down the rows: each HTML row, with the cells that
    span down into it, fills exactly the columns of the .docx's grid."""
    content = render_table_document(validate_file(TABLE))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    widths = [len(t.findall(f"{W}tblGrid/{W}gridCol")) for t in root.iter(f"{W}tbl")]
    (document,) = _documents(preview.docx_html(content))
    tables = document.findall(".//table")
    assert len(tables) == len(widths)
    merged = 0
    for table, width in zip(tables, widths, strict=True):
        covered = [0] * width  # rows each column is still covered for, by a cell above
        for tr in table.findall("tr"):
            column = 0
            for td in tr.findall("td"):
                while column < width and covered[column]:
                    column += 1
                columns, rows = int(td.get("colspan", 1)), int(td.get("rowspan", 1))
                assert column + columns <= width, tr.text_content()
                covered[column : column + columns] = [rows] * columns
                column += columns
                merged += rows > 1
            assert all(covered), tr.text_content()  # no hole, nothing pushed past the grid
            covered = [left - 1 for left in covered]
    assert merged  # the 自评表 has merged cells, so this checked them
