"""A published 自评表 in a PDF → the rows :mod:`reportgen.importer.table_parse` reads, each with
the page and line it stands on, and the rows that could not be read with certainty.

The geometry is importer/pdf_grid.py's. Here: where each block is (the funds block under its
header with 全年执行数, the indicators under the header with 三级指标, the lines of 主管部门 …
and of 总分), the rows of each block — a row the page break cuts goes on at the top of the
next page, under the header it repeats. The merged 一级/二级 cells are importer/pdf_levels.py's.
A row that more than one reading would give other text, or none, is not read: it is named
with its page and line (``PdfTable.unread``), and nothing is guessed for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import UsageError
from reportgen.importer.pdf_grid import (
    HeaderCell,
    Line,
    Piece,
    band_edges,
    boundaries,
    header_cells,
    line_height,
    lines_of,
    pieces_of,
    row_of,
    words_of,
)
from reportgen.importer.pdf_levels import PdfRow, level_names
from reportgen.importer.pdf_text import pdf_words
from reportgen.importer.table_parse import number
from reportgen.importer.table_rows import PlacedRow, Row

_FUNDS_KEY = "执行数"
_INDICATORS_KEY = "三级指标"
_FUNDS_END = ("目标", "指标", "总分")
_TOTAL = ("总分", "自评得分", "合计")


def place(line: Line) -> str:
    return f"PDF 第 {line.page} 页第 {line.number} 行"


@dataclass
class PdfTable:
    rows: list[Row] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # the rows not read, where and why
    indicators_partial: bool = False  # an indicator row is among them


def pdf_table(path: Path) -> PdfTable:
    """The published table at ``path`` as rows; raises :class:`UsageError` (exit 2), naming
    the reason, when its layout cannot be read."""
    lines = lines_of(words_of(pdf_words(path)))
    if not lines:
        raise UsageError(f"{path}: PDF 中没有可提取的文字（可能是扫描的图片），无法读取自评表")
    height = line_height(lines)
    found = PdfTable()
    funds = _find(lines, _FUNDS_KEY)
    indicators = _find(lines, _INDICATORS_KEY)
    first_block = min(i for i in (funds, indicators, len(lines)) if i is not None)
    found.rows += [_line_row(line, height) for line in lines[:first_block]]
    if funds is not None:
        _funds(path, lines, funds, height, found)
    end = len(lines)
    if indicators is not None:
        end = _indicators(path, lines, indicators, height, found)
    found.rows += [_line_row(line, height) for line in lines[end:]]
    return found


def _find(lines: Sequence[Line], key: str) -> int | None:
    return next((i for i, line in enumerate(lines) if any(key in w.text for w in line.words)), None)


def _spanning(line: Line, cells: Sequence[HeaderCell]) -> bool:
    """Whether a word of ``line`` stands across two columns' header cells (a merged row)."""
    return any(sum(1 for c in cells if word.x0 < c.centre < word.x1) >= 2 for word in line.words)


def _header_follows(lines: Sequence[Line], at: int) -> bool:
    """Whether the header is repeated at or below ``lines[at]`` on its page."""
    page = lines[at].page
    return any(_INDICATORS_KEY in line.text for line in lines[at:] if line.page == page)


def _line_row(line: Line, height: float) -> Row:
    row = PlacedRow(line.cells(height * 0.9))
    row.place = place(line)
    return row


def _column(cells: Sequence[HeaderCell], *words: str) -> int | None:
    return next((i for i, c in enumerate(cells) if any(w in c.text for w in words)), None)


def _header_row(cells: Sequence[HeaderCell], line: Line) -> Row:
    row = PlacedRow(c.text for c in cells)
    row.place = place(line)
    return row


# --- the funds block -------------------------------------------------------------------------


def _funds(path: Path, lines: Sequence[Line], at: int, height: float, found: PdfTable) -> None:
    cells, _ = header_cells(lines, at, height)
    end = at + 1
    while end < len(lines) and not any(w in lines[end].text for w in _FUNDS_END):
        if _spanning(lines[end], cells):
            break  # a row across the columns (原因说明): the figures' rows are above it
        end += 1
    region = lines[at + 1 : end]
    edges = boundaries(cells, [w for line in region for w in line.words])
    if edges is None:
        raise _touching(path, "预算执行情况", region[0] if region else lines[at])
    numeric = [_column(cells, w) for w in ("执行数", "全年预算", "年初预算")]
    anchor_columns = [c for c in numeric if c is not None]
    rows = _rows(region, lines[at], edges, anchor_columns, set(), height, [])
    found.rows.append(_header_row(cells, lines[at]))
    for row in rows:
        if row.doubt is None:
            found.rows.append(_emit(row, len(cells)))
        else:
            found.unread.append(_unread(row, cells, set()))
    following = end  # a row across the columns under the figures (原因说明), as its lines
    while following < len(lines) and not any(w in lines[following].text for w in _FUNDS_END):
        found.rows.append(_line_row(lines[following], height))
        following += 1


# --- the indicators --------------------------------------------------------------------------


def _indicators(path: Path, lines: Sequence[Line], at: int, height: float, found: PdfTable) -> int:
    """Reads the indicator block into ``found``; returns the index of the line after it."""
    cells, _ = header_cells(lines, at, height)
    levels = {c for c in (_column(cells, "一级指标"), _column(cells, "二级指标")) if c is not None}
    weight, score = _column(cells, "分值"), _column(cells, "得分")
    if weight is None and score is None:
        raise UsageError(
            f"{path}: {place(lines[at])} 的绩效指标表头中没有“分值”“得分”列，无法分出各行"
        )
    end = at + 1
    while end < len(lines) and not any(lines[end].text.startswith(t) for t in _TOTAL):
        if _spanning(lines[end], cells) and not _header_follows(lines, end):
            break  # a row across the columns (a note under the table), not a repeated title
        end += 1
    region = _below_headers(lines[at + 1 : end])
    data = [line for line in region if _INDICATORS_KEY not in line.text]
    edges = boundaries(cells, [w for line in data for w in line.words])
    if edges is None:
        raise _touching(path, "绩效指标", data[0] if data else lines[at])
    anchors = [c for c in (weight, score) if c is not None]
    kept: list[Line] = []
    rows = _rows(region, lines[at], edges, anchors, levels, height, kept)
    level_names(rows, kept, edges, sorted(levels), height)
    found.rows.append(_header_row(cells, lines[at]))
    for row in rows:
        if row.doubt is None:
            found.rows.append(_emit(row, len(cells)))
        else:
            found.unread.append(_unread(row, cells, levels))
            found.indicators_partial = True
    return end


def _below_headers(region: Sequence[Line]) -> list[Line]:
    """The block's lines without what a later page prints above its repeated header (the
    block's title, the header's first lines): the repeated key line itself stays."""
    kept: list[Line] = []
    for page in sorted({line.page for line in region}):
        on_page = [line for line in region if line.page == page]
        key = _repeated(on_page)
        kept += [line for line in on_page if key is None or line.middle >= key.middle]
    return kept


def _touching(path: Path, block: str, line: Line) -> UsageError:
    return UsageError(
        f"{path}: {place(line)} 起的{block}表中，相邻两列的文字连在一起，无法分清各列；"
        "请用 .xlsx 或 .docx 格式的自评表核对"
    )


# --- rows ------------------------------------------------------------------------------------


def _rows(
    region: Sequence[Line],
    key: Line,
    edges: Sequence[float],
    anchor_columns: Sequence[int],
    levels: set[int],
    height: float,
    kept: list[Line],
) -> list[PdfRow]:
    """The block's rows, page by page: the lines of a wrapped cell joined to their row. The
    header's key line is ``key``; what stands between a page's header and its first row is
    the header's own wrapped text, or the rest of a row the page before began. The lines
    below the headers are added to ``kept``."""
    rows: list[PdfRow] = []
    depth: float | None = None  # how far the header reaches below its key line
    pages = sorted({line.page for line in region})
    for page in pages:
        on_page = [line for line in region if line.page == page]
        header = key if page == key.page else _repeated(on_page)
        if header is not None and header is not key:
            reach = header.middle + (depth or 0.0)
            on_page = [line for line in on_page if line.middle > reach]
        elif header is key:
            on_page = [line for line in on_page if line.middle > key.middle]
        kept += on_page
        pieces = [p for p in pieces_of(on_page, edges) if p.column not in levels]
        anchors = _anchors(pieces, anchor_columns)
        if not anchors:
            for piece in pieces:  # the rest of the last row of the page before
                if rows and header is not key:
                    rows[-1].add(piece)
            continue
        span = (min(line.top for line in on_page), max(line.bottom for line in on_page))
        middles = [a.middle for a in anchors]
        closed = page == pages[-1]
        readings = band_edges(pieces, middles, span, height, continued=True, closed=closed)
        if header is key and readings:
            depth = min(r[0] for r in readings) - key.middle
        page_rows = [PdfRow(a.line) for a in anchors]
        if readings:  # the rows' bands as the closest reading cuts them
            for k, row in enumerate(page_rows):
                row.band = (readings[0][k], readings[0][k + 1])
        before = rows[-1] if rows and header is not key else None
        _assign(pieces, readings, page_rows, before)
        rows += page_rows
    return rows


def _repeated(on_page: Sequence[Line]) -> Line | None:
    """The header a later page repeats (its key line), and the lines above it dropped."""
    return next((line for line in on_page if _INDICATORS_KEY in line.text), None)


def _assign(
    pieces: Sequence[Piece],
    readings: Sequence[tuple[float, ...]],
    page_rows: Sequence[PdfRow],
    before: PdfRow | None,
) -> None:
    """Each piece to the row every reading gives it; a piece readings disagree on leaves its
    rows in doubt. Above the first row: ``before`` (the page before's last row), or nothing
    (the header's own text)."""
    owners = [tuple(row_of(p.middle, e[:-1]) for p in pieces) for e in readings]
    if not owners:
        for row in page_rows:
            row.doubt = "各行文字的上下范围无法确定（换行的文字属于哪一行看不出）"
        return
    for i, piece in enumerate(pieces):
        choices = {owner[i] for owner in owners}
        targets = [page_rows[k] if k >= 0 else before for k in sorted(choices)]
        if len(choices) != 1:
            for target in targets:
                if target is not None:
                    target.doubt = f"“{piece.text}”属于哪一行无法确定"
        elif targets[0] is not None:
            targets[0].add(piece)


def _anchors(pieces: Sequence[Piece], columns: Sequence[int]) -> list[Piece]:
    """One piece per row: a number in the first of ``columns`` the line has one in."""
    found: dict[int, Piece] = {}
    for column in reversed(columns):
        for piece in pieces:
            if piece.column == column and number(piece.text) is not None:
                found[piece.line.number] = piece
    return [found[k] for k in sorted(found)]


def _emit(row: PdfRow, width: int) -> Row:
    emitted = PlacedRow(row.text(c) for c in range(width))
    emitted.place = place(row.anchor)
    return emitted


def _unread(row: PdfRow, cells: Sequence[HeaderCell], levels: set[int]) -> str:
    shown = "，".join(t for c in range(len(cells)) if c not in levels and (t := row.text(c)))
    return f"{place(row.anchor)}（{shown}）：{row.doubt}，这一行未读入"
