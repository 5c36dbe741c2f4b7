"""A table in a PDF as geometry: words with their page and box (pdftotext ``-tsv``), the visual
lines of each page, a header row's cells, the columns under them, and the bands of the rows.

A PDF holds no cells, only words where they are drawn. What makes a table readable anyway:

- **Columns** are found from a header row's cells (its words grouped by where they stand, a
  wrapped header such as 年度指标/值 is one cell). The boundary between two columns is the
  widest stretch between their header cells that no word of the block crosses: data pushed
  against each other leave none, and then the columns cannot be told apart (the caller refuses).
- **Rows** are anchored by a number printed in a column every row has (分值, 全年执行数): one
  anchor, one row. A wrapped cell's lines belong to the row whose band holds them; the band
  boundaries lie where no text of any column crosses, chosen so that each row's text is
  centred on its anchor (cells centred vertically) or starts at it (cells at the top). When
  both readings hold and disagree, or neither holds, the rows concerned are not read.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# a page's number printed in its footer: —1—, - 2 -, 第 3 页, 4
_PAGE_NUMBER = re.compile(
    r"^[—\-–－]*\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:共\s*\d{1,4}\s*页)?[—\-–－]*$"
)
_CENTRED_SLACK = 0.3  # of a line's height: how far a row's text may sit off its anchor


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    line: int = 0  # the visual line of its page, from 1

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def words_of(tsv: str) -> list[Word]:
    """The words of pdftotext's ``-tsv`` output, each with its visual line on its page."""
    found = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = unicodedata.normalize("NFKC", cells[11]).strip()
        try:
            page, left, top = int(cells[1]), float(cells[6]), float(cells[7])
            width, height = float(cells[8]), float(cells[9])
        except ValueError:
            continue
        if text and width >= 0 and height > 0:
            found.append(Word(page, left, left + width, top, top + height, text))
    return _numbered(found)


def _numbered(words: list[Word]) -> list[Word]:
    numbered: list[Word] = []
    for page in sorted({w.page for w in words}):
        on_page = sorted((w for w in words if w.page == page), key=lambda w: w.middle)
        line, middle = 0, float("-inf")
        for word in on_page:
            if word.middle - middle > word.height / 2:
                line, middle = line + 1, word.middle
            numbered.append(Word(**{**word.__dict__, "line": line}))
    return numbered


@dataclass(frozen=True)
class Line:
    page: int
    number: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def middle(self) -> float:
        return statistics.median(w.middle for w in self.words)

    def cells(self, gap: float) -> list[str]:
        """The line's words grouped into cells where they stand ``gap`` or more apart."""
        cells: list[str] = []
        right = float("-inf")
        for word in self.words:
            if word.x0 - right >= gap or not cells:
                cells.append(word.text)
            else:
                cells[-1] += word.text
            right = word.x1
        return cells


def lines_of(words: Iterable[Word]) -> list[Line]:
    """The visual lines, page by page from the top, without the pages' printed numbers."""
    by_line: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault((word.page, word.line), []).append(word)
    lines = [
        Line(page, number, tuple(sorted(found, key=lambda w: w.x0)))
        for (page, number), found in sorted(by_line.items())
    ]
    return [line for line in lines if not _PAGE_NUMBER.match(line.text)]


def line_height(lines: Sequence[Line]) -> float:
    return statistics.median(w.height for line in lines for w in line.words)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    x0: float
    x1: float
    lines: tuple[Line, ...] = field(default=(), compare=False)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def header_cells(lines: Sequence[Line], at: int, height: float) -> tuple[list[HeaderCell], int]:
    """The header row around ``lines[at]`` (the line holding its key word): its cells left to
    right, each wrapped cell joined, and the index of the first line after the header. A line
    with a digit ends the header; a word across two of the key line's cells is a title."""
    key = lines[at]
    band = [at]
    for step in (-1, 1):
        i = at + step
        while 0 <= i < len(lines) and lines[i].page == key.page:
            line = lines[i]
            if abs(line.middle - key.middle) > 2.6 * height or any(c.isdigit() for c in line.text):
                break
            band.append(i)
            i += step
    cells: list[list[Word]] = [[w] for w in key.words]
    loose: list[Word] = []
    for i in sorted(band):
        if i == at:
            continue
        for word in lines[i].words:
            under = [c for c in cells[: len(key.words)] if _overlap(word, c[0])]
            if len(under) == 1:
                under[0].append(word)
            elif not under:
                loose.append(word)
    for word in sorted(loose, key=lambda w: w.x0):
        own = next((c for c in cells[len(key.words) :] if _overlap(word, c[-1])), None)
        if own is None:
            cells.append([word])
        else:
            own.append(word)
    found = [
        HeaderCell(
            "".join(w.text for w in sorted(group, key=lambda w: (w.top, w.x0))),
            min(w.x0 for w in group),
            max(w.x1 for w in group),
        )
        for group in cells
    ]
    return sorted(found, key=lambda c: c.centre), max(band) + 1


def _overlap(word: Word, other: Word) -> bool:
    return min(word.x1, other.x1) - max(word.x0, other.x0) > 0


def boundaries(cells: Sequence[HeaderCell], words: Sequence[Word]) -> list[float] | None:
    """Between each two header cells, the middle of the widest stretch no word crosses;
    ``None`` when the words of two neighbouring columns touch."""
    found = []
    for left, right in itertools.pairwise(cells):
        free = _free(left.centre, right.centre, [(w.x0, w.x1) for w in words])
        if not free:
            return None
        start, end = max(free, key=lambda span: span[1] - span[0])
        found.append((start + end) / 2)
    return found


def _free(
    low: float, high: float, covered: Iterable[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The stretches of (low, high) that no interval of ``covered`` touches."""
    free: list[tuple[float, float]] = []
    at = low
    for start, end in sorted(covered):
        if end <= at or start >= high:
            continue
        if start > at:
            free.append((at, start))
        at = max(at, end)
    if at < high:
        free.append((at, high))
    return [(s, e) for s, e in free if e - s > 0.5]


def column_of(word: Word, edges: Sequence[float]) -> int:
    return sum(1 for edge in edges if word.x0 + (word.x1 - word.x0) / 2 > edge)


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A column's words on one visual line: one line of a cell."""

    column: int
    line: Line  # the visual line it stands on
    top: float
    bottom: float
    text: str

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def pieces_of(lines: Sequence[Line], edges: Sequence[float]) -> list[Piece]:
    found = []
    for line in lines:
        by_column: dict[int, list[Word]] = {}
        for word in line.words:
            by_column.setdefault(column_of(word, edges), []).append(word)
        for column, words in sorted(by_column.items()):
            text = "".join(w.text for w in words)
            top, bottom = min(w.top for w in words), max(w.bottom for w in words)
            found.append(Piece(column, line, top, bottom, text))
    return found


def band_edges(
    pieces: Sequence[Piece],
    anchors: Sequence[float],
    span: tuple[float, float],
    height: float,
    continued: bool,
    closed: bool = False,
) -> list[tuple[float, ...]]:
    """Every way to cut the page's part of the block (``span``: its top and bottom) into the
    anchors' rows that the text allows: the top edge of each row and the bottom of the last —
    one tuple per reading that holds, cells centred on their anchor first (their edges are the
    closer), then cells starting at it. On a ``continued`` page, text
    above the first row may be the rest of a row the page before began; when the block is
    ``closed`` on this page, its last row ends here too (none goes on to the next page)."""
    shrink = height * 0.15
    covered = sorted((p.top + shrink, p.bottom - shrink) for p in pieces)
    free = _free(span[0] - 1, span[1] + 1, covered)
    gaps = [(s + e) / 2 for s, e in free]
    # cells at the top: each row starts just above its anchor
    at_top: list[float] = []
    for anchor in anchors:
        above = [g for g in gaps if g <= anchor - height / 4 and (not at_top or g > at_top[-1])]
        if not above:
            break
        at_top.append(above[-1] if at_top or continued else above[0])
    top = len(at_top) == len(anchors) and _starts_at_anchors(pieces, anchors, at_top, height)
    # cells centred: each row's lower edge mirrors its upper edge about the anchor
    starts = [(s, min(e, anchors[0] - height / 4)) for s, e in free if s <= anchors[0] - height / 4]
    centred: list[tuple[float, ...]] = []
    for start in starts if continued else starts[:1]:
        for edges in _mirrored(start, anchors, free, _CENTRED_SLACK * height):
            last = [p for p in pieces if p.middle >= edges[-1]]
            middle = (min(p.top for p in last) + max(p.bottom for p in last)) / 2 if last else 0.0
            if closed and abs(middle - anchors[-1]) > _CENTRED_SLACK * height:
                continue  # the last row's text is not centred on its anchor
            bottom = 2 * anchors[-1] - edges[-1] if closed else span[1]
            if (*edges, bottom) not in centred:
                centred.append((*edges, bottom))
    return [*centred, *([(*at_top, span[1])] if top else [])]


def _mirrored(
    start: tuple[float, float],
    anchors: Sequence[float],
    free: Sequence[tuple[float, float]],
    slack: float,
) -> list[tuple[float, ...]]:
    """The row edges that hold when each row's lower edge mirrors its upper edge about its
    anchor, the first edge somewhere in ``start``: each edge as a stretch of places it may be
    (within ``slack``), kept to the stretches no text crosses; one tuple per way through."""
    Stretch = tuple[float, float]
    branches: list[tuple[Stretch, ...]] = [(start,)]
    for i, anchor in enumerate(anchors[:-1]):
        grown = []
        for stretches in branches:
            low, high = stretches[-1]
            wanted = (2 * anchor - high - slack, 2 * anchor - low + slack)
            for free_low, free_high in free:
                lower = max(wanted[0], free_low, anchor)
                upper = min(wanted[1], free_high, anchors[i + 1])
                if lower <= upper:
                    grown.append((*stretches, (lower, upper)))
        branches = grown[:32]
    # each way through: the last edge in the middle of its stretch, the ones above it mirrored
    # back from it (so the rows' edges are as near their true places as the text tells)
    found = []
    for stretches in branches:
        edges = [(stretches[-1][0] + stretches[-1][1]) / 2]
        for k in range(len(stretches) - 2, -1, -1):
            low, high = stretches[k]
            edges.insert(0, min(max(2 * anchors[k] - edges[0], low), high))
        found.append(tuple(edges))
    return found


def _starts_at_anchors(
    pieces: Sequence[Piece], anchors: Sequence[float], edges: Sequence[float], height: float
) -> bool:
    """Every cell of every row starts on its anchor's line (what cells at the top look like):
    none starts above it, or further down."""
    slack = _CENTRED_SLACK * height
    for i, anchor in enumerate(anchors):
        low = edges[i + 1] if i + 1 < len(edges) else float("inf")
        inside = [p for p in pieces if edges[i] <= p.middle < low]
        for column in {p.column for p in inside}:
            first = min(p.middle for p in inside if p.column == column)
            if abs(first - anchor) > slack:
                return False
    return True


def row_of(middle: float, edges: Sequence[float]) -> int:
    """The row whose band holds ``middle``: -1 above the first (a row carried over from the
    page before)."""
    return sum(1 for edge in edges if middle >= edge) - 1
