"""Vertically merged table cells, asked for in a template with the ``merged`` filter.

docxtpl's ``{% vm %}`` merges the copies of a cell made by one loop; a table of three levels
(一级 → 二级 → 三级 indicators) needs each level merged over its own rows. A template author
writes ``{{ row.level1|merged }}`` in a cell instead: after rendering, a marked cell whose
text equals the marked cell above it, in the same column, joins it — provided every marked cell
to its left joined too, so a 二级 name repeated under another 一级 starts a cell of its own.
The marks are Unicode noncharacters around a token drawn afresh by each process, so that no
text of the data or the template can pass for one (a name holding U+FDD0 keeps it), and none is
left behind: marks outside a table's cells (a header, the document's properties) are removed
from the finished package by :func:`unmarked`.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_TOKEN = secrets.token_hex(8)
OPEN, CLOSE = f"\ufdd0{_TOKEN}\ufdd1", f"\ufdd1{_TOKEN}\ufdd0"
_MARKS = (OPEN.encode(), CLOSE.encode())


def merged(value: object) -> str:
    """The ``merged`` filter: ``value`` marked for merging with equal cells above it."""
    return f"{OPEN}{'' if value is None else value}{CLOSE}"


def apply_merges(root: etree._Element) -> None:
    """Merge the marked cells of every table under ``root`` (a rendered part) and remove
    every mark, in place."""
    for table in root.iter(f"{_W}tbl"):
        _merge_table(table)
    for text in root.iter(f"{_W}t"):
        if text.text and (OPEN in text.text or CLOSE in text.text):
            text.text = text.text.replace(OPEN, "").replace(CLOSE, "")


def without_marks(content: bytes) -> bytes:
    """``content`` (a part's XML) with every mark removed."""
    for mark in _MARKS:
        content = content.replace(mark, b"")
    return content


def unmarked(package: bytes) -> bytes:
    """``package`` (a finished .docx) without any mark left in its parts: ``|merged`` used
    outside a table body's cells prints its value as it is."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    if not any(mark in content for _, content in parts for mark in _MARKS):
        return package
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in parts:
            archive.writestr(info, without_marks(content))
    return buffer.getvalue()


def _merge_table(table: etree._Element) -> None:
    above: dict[int, tuple[str, etree._Element]] = {}  # grid column → (text, the restart cell)
    for row in table.findall(f"{_W}tr"):
        joined_left = True
        current: dict[int, tuple[str, etree._Element]] = {}
        for column, cell in _cells(row):
            marked = _marked_text(cell)
            if marked is None:
                joined_left = False
                continue
            first = above.get(column)
            if joined_left and first is not None and first[0] == marked:
                _continue_merge(first[1], cell)
                current[column] = first
            else:
                joined_left = False
                current[column] = (marked, cell)
        above = current


def _cells(row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
    column = 0
    for cell in row.findall(f"{_W}tc"):
        yield column, cell
        span = cell.find(f"{_W}tcPr/{_W}gridSpan")
        column += int(span.get(f"{_W}val", "1")) if span is not None else 1


def _marked_text(cell: etree._Element) -> str | None:
    text = "".join(t.text or "" for t in cell.iter(f"{_W}t"))
    if not (text.startswith(OPEN) and text.endswith(CLOSE)):
        return None
    return text[len(OPEN) : -len(CLOSE)]


def _continue_merge(first: etree._Element, cell: etree._Element) -> None:
    _set_merge(first, "restart")
    _set_merge(cell, None)
    # a continued cell shows nothing: its own paragraphs give way to one empty paragraph
    paragraphs = cell.findall(f"{_W}p")
    for paragraph in paragraphs[1:]:
        cell.remove(paragraph)
    if paragraphs:
        for child in list(paragraphs[0]):
            if child.tag != f"{_W}pPr":
                paragraphs[0].remove(child)


def _set_merge(cell: etree._Element, value: str | None) -> None:
    properties = cell.find(f"{_W}tcPr")
    if properties is None:
        properties = etree.Element(f"{_W}tcPr")
        cell.insert(0, properties)
    merge = properties.find(f"{_W}vMerge")
    if merge is None:
        merge = etree.SubElement(properties, f"{_W}vMerge")
        # CT_TcPr's order: tcW, gridSpan, hMerge, vMerge, ... — after the first three present
        anchor = None
        for name in ("tcW", "gridSpan", "hMerge"):
            found = properties.find(f"{_W}{name}")
            if found is not None:
                anchor = found
        properties.remove(merge)
        if anchor is None:
            properties.insert(0, merge)
        else:
            anchor.addnext(merge)
    if value is None:
        merge.attrib.pop(f"{_W}val", None)
    else:
        merge.set(f"{_W}val", value)
