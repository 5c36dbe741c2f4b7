"""A .docx as blocks in reading order: each paragraph's text with the label Word's automatic
numbering draws and the outline level its style gives, and each table's cell texts.

Styles are looked up in a dictionary built once (python-docx searches styles.xml for every
paragraph, which made a document with many paragraphs and styles take minutes), and every
number the file states (list levels, start values, outline levels) is checked against Word's
own range before it is used: a value out of range is refused naming the limit, never a crash.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from reportgen.errors import FileSystemError, UsageError
from reportgen.importer.limits import (
    MAX_CHARACTERS,
    MAX_LIST_LEVEL,
    MAX_LIST_START,
    MAX_PARAGRAPHS,
    MAX_STYLES,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    count_characters,
    refuse,
    shown_value,
)
from reportgen.layout.numbering import chinese_number
from reportgen.read.archive import unpacked_size_problem


@dataclass(frozen=True)
class WordParagraph:
    label: str  # what automatic numbering draws before the text (“一、”), or ""
    text: str
    level: int | None  # 1 for Heading 1 / outline level 0; None for body text


@dataclass(frozen=True)
class WordTable:
    rows: list[list[str]]  # a merged cell's text repeated in every column it spans
    # True where a cell only repeats the one to its left, spanning that column too (gridSpan)
    spanned: list[list[bool]]


def open_document(path: Path) -> WordDocument:
    """The document, refused before it is unpacked when it would unpack to too much."""
    try:
        with zipfile.ZipFile(path) as archive:
            too_large = unpacked_size_problem(archive)
        if too_large:
            raise refuse(path, too_large)
        return open_docx(str(path))
    except zipfile.BadZipFile as exc:
        raise UsageError(f"{path}: 不是有效的 .docx 文件（不是 zip 压缩包，或文件不完整）") from exc
    except etree.XMLSyntaxError as exc:
        raise UsageError(
            f"{path}: 不是有效的 .docx 文件（其中的 XML 部件已损坏，第 {exc.lineno} 行）"
        ) from exc
    except (OpcError, KeyError, ValueError) as exc:
        raise UsageError(
            f"{path}: 不是有效的 .docx 文件（缺少 Word 文档的必要部件，可能是其他程序的文件）"
        ) from exc
    except OSError as exc:
        raise FileSystemError(f"无法读取 {path}", exc) from exc


def word_blocks(path: Path) -> Iterator[WordParagraph | WordTable]:
    """The body's paragraphs and tables in order; refused past the limits of ``limits.py``."""
    document = open_document(path)
    styles = _Styles(path, document)
    numbering = _Numbering(path, document)
    paragraphs = characters = cells = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text
            paragraphs += 1
            characters += count_characters(text)
            style = styles.chain(child)
            label = numbering.label(child, style, f"第 {paragraphs} 段")
            yield WordParagraph(label, text, _outline_level(child, style))
        elif child.tag == qn("w:tbl"):
            rows, spanned = _table_rows(path, child, document)
            paragraphs += len(rows)
            cells += sum(len(row) for row in rows)
            characters += sum(count_characters(cell) for row in rows for cell in row)
            yield WordTable(rows, spanned)
        if paragraphs > MAX_PARAGRAPHS:
            raise refuse(path, f"段落和表格行过多（超过 {MAX_PARAGRAPHS:,} 个）")
        if characters > MAX_CHARACTERS:
            raise refuse(path, f"文字过多（超过 {MAX_CHARACTERS:,} 个字符）")
        if cells > MAX_TABLE_CELLS:
            raise refuse(path, f"表格单元格过多（超过 {MAX_TABLE_CELLS:,} 个）")


_TC_PR = qn("w:tcPr")


def _table_rows(
    path: Path, table: etree._Element, document: WordDocument
) -> tuple[list[list[str]], list[list[bool]]]:
    """Each row's cell texts, a cell spanning columns (gridSpan) repeated in each, a cell
    merged with the one above (vMerge) repeating that one's text: python-docx's ``row.cells``,
    read in one pass (python-docx looks up the row above for every merged cell, and repeats a
    spanning cell as often as the file says, however large); and which of them are a spanning
    cell's repeats."""
    cells = sum(1 for _ in table.iter(qn("w:tc")))
    if cells > MAX_TABLE_CELLS:
        raise refuse(path, f"表格单元格过多（{cells:,} 个，上限 {MAX_TABLE_CELLS:,}）")
    rows: list[list[str]] = []
    spanned: list[list[bool]] = []
    above: dict[int, str] = {}  # grid column → the text of the cell standing there above
    span_path, merge_path = f"{_TC_PR}/{qn('w:gridSpan')}", f"{_TC_PR}/{qn('w:vMerge')}"
    for tr in table.iterchildren(qn("w:tr")):
        row: list[str] = []
        repeats: list[bool] = []
        for tc in tr.iterchildren(qn("w:tc")):
            spans = tc.find(span_path)
            given = spans.get(qn("w:val")) if spans is not None else None
            span = _int(given, 1)
            if span is None or not 1 <= span <= MAX_TABLE_COLUMNS:
                raise refuse(
                    path,
                    f"表格中一格跨“{shown_value(given or '')}”列，"
                    f"不是 1–{MAX_TABLE_COLUMNS} 之间的整数",
                )
            merged = tc.find(merge_path)
            if merged is not None and merged.get(qn("w:val"), "continue") == "continue":
                text = above.get(len(row), "")
            else:
                text = "\n".join(
                    Paragraph(p, document).text for p in tc.iterchildren(qn("w:p"))
                ).strip()
            for column in range(len(row), len(row) + span):
                above[column] = text
            row.extend([text] * span)
            repeats.extend([False] + [True] * (span - 1))
            if len(row) > MAX_TABLE_COLUMNS:
                raise refuse(path, f"表格一行超过 {MAX_TABLE_COLUMNS} 列（Word 的上限）")
        rows.append(row)
        spanned.append(repeats)
    return rows, spanned


def _int(value: str | None, default: int) -> int | None:
    """A decimal number as OOXML writes it; ``None`` when it is not one."""
    if value is None:
        return default
    value = value.strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        return None
    return int(value)


def _level(path: Path, value: str | None, where: str) -> int:
    level = _int(value, 0)
    if level is None or not 0 <= level <= MAX_LIST_LEVEL:
        raise refuse(
            path,
            f"{where}的列表级别“{shown_value(value or '')}”不是 0–{MAX_LIST_LEVEL} 之间的整数"
            "（Word 的列表最多 9 级）",
        )
    return level


_P_STYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"


class _Styles:
    """Paragraph styles by id: each style's chain of ``w:style`` elements (itself, then the
    styles it is based on), as python-docx's ``paragraph.style`` and ``base_style`` give it."""

    def __init__(self, path: Path, document: WordDocument) -> None:
        try:
            root = document.styles.element
        except (KeyError, NotImplementedError):
            root = None
        found = root.findall(qn("w:style")) if root is not None else []
        if len(found) > MAX_STYLES:
            raise refuse(path, f"样式过多（{len(found):,} 个，上限 {MAX_STYLES:,}）")
        self.by_id: dict[str, etree._Element] = {}
        self.default: etree._Element | None = None
        for style in found:
            self.by_id.setdefault(style.get(qn("w:styleId"), ""), style)
            if (
                style.get(qn("w:type")) == "paragraph"
                and style.get(qn("w:default")) in ("1", "true", "on")
                and self.default is None
            ):
                self.default = style
        self.chains: dict[str | None, tuple[etree._Element, ...]] = {}

    def chain(self, p: etree._Element) -> tuple[etree._Element, ...]:
        found = p.find(_P_STYLE)
        style_id = found.get(qn("w:val")) if found is not None else None
        if style_id not in self.chains:
            self.chains[style_id] = self._chain(style_id)
        return self.chains[style_id]

    def _chain(self, style_id: str | None) -> tuple[etree._Element, ...]:
        style = self.by_id.get(style_id or "")
        if style is None or style.get(qn("w:type")) != "paragraph":
            style = self.default
        chain: list[etree._Element] = []
        while style is not None and len(chain) < 10:
            chain.append(style)
            based = style.xpath("./w:basedOn/@w:val")
            style = self.by_id.get(str(based[0])) if based else None
        return tuple(chain)


def _style_name(style: etree._Element) -> str:
    names = style.xpath("./w:name/@w:val")
    return str(names[0]).lower().replace(" ", "") if names else ""


def _outline_level(p: etree._Element, chain: tuple[etree._Element, ...]) -> int | None:
    """1 for Heading 1 / 标题 1 or outline level 0, 2 for the next; ``None`` for body text."""
    levels = p.xpath("./w:pPr/w:outlineLvl/@w:val")
    if levels:
        return int(levels[0]) + 1 if str(levels[0]).isdigit() and int(levels[0]) < 9 else None
    for style in chain:
        name = _style_name(style)
        for prefix in ("heading", "标题"):
            number = name[len(prefix) :]
            if name.startswith(prefix) and number.isascii() and number.isdigit():
                return int(number) if len(number) < 3 else None
        found = style.xpath("./w:pPr/w:outlineLvl/@w:val")
        if found and str(found[0]).isdigit() and int(found[0]) < 9:
            return int(found[0]) + 1
    return None


@dataclass(frozen=True)
class _Level:
    format: str
    text: str
    start: int


class _Numbering:
    """The labels Word's automatic lists draw (numPr): counted as Word counts them."""

    def __init__(self, path: Path, document: WordDocument) -> None:
        self.path = path
        self.formats: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # python-docx: the document has no numbering
            root = None
        if root is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in node.findall(qn("w:lvl")):
                ilvl = _level(path, lvl.get(qn("w:ilvl")), "Word 自动编号（numbering.xml）中")
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start_node = lvl.find(qn("w:start"))
                start_text = start_node.get(qn("w:val")) if start_node is not None else None
                start = _int(start_text, 1)
                if start is None or not 0 <= start <= MAX_LIST_START:
                    raise refuse(
                        path,
                        f"Word 自动编号第 {ilvl + 1} 级的起始值“{shown_value(start_text or '')}”"
                        f"不是 0–{MAX_LIST_START} 之间的整数",
                    )
                levels[ilvl] = _Level(
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    start,
                )
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.formats[num.get(qn("w:numId"), "")] = abstract.get(
                    ref.get(qn("w:val"), ""), {}
                )

    def _num_pr(
        self, p: etree._Element, chain: tuple[etree._Element, ...], where: str
    ) -> tuple[str, int] | None:
        for holder in (p, *chain):
            num_pr = holder.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            level = ilvl.get(qn("w:val")) if ilvl is not None else None
            return (
                num_id.get(qn("w:val"), "") if num_id is not None else "",
                _level(self.path, level, where if holder is p else f"{where}（其样式）"),
            )
        return None

    def label(self, p: etree._Element, chain: tuple[etree._Element, ...], where: str) -> str:
        """The label drawn before paragraph ``p`` (``where`` says which it is, for a refusal)."""
        found = self._num_pr(p, chain, where)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self.formats.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [None] * (MAX_LIST_LEVEL + 1))
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, MAX_LIST_LEVEL + 1):
            counters[deeper] = None
        text = levels[ilvl].text
        for level in range(ilvl, -1, -1):
            each = levels.get(level, _Level("decimal", "", 1))
            value = counters[level]
            text = text.replace(
                f"%{level + 1}", _format_number(each.format, each.start if value is None else value)
            )
        return text if levels[ilvl].format != "bullet" else ""


def _format_number(fmt: str, value: int) -> str:
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return chinese_number(value) if value > 0 else "〇"
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    return str(value)
