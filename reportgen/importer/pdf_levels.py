"""The merged 一级/二级 cells of a published 自评表 in a PDF: which rows each name covers.

A merged cell's name is drawn once, centred on the rows it covers or at the top of the first,
on the page where the cell begins (a cell that goes on to the next page has no name there).
For each page and level column, every reading the names' positions allow is found (names at
the top of their rows only when no centred reading holds); a 一级 must begin where a 二级 does. A row gets its names when every reading left gives it the same;
otherwise it is in doubt, and not read.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportgen.importer.pdf_grid import Line, Piece, pieces_of

_SLACK = 0.2  # of a line's height: how far a merged cell's name may sit off its rows' middle


@dataclass
class PdfRow:
    """A row of a block as read: the line of its anchor, its cells' pieces by column, its
    一级/二级 names, and why it is in doubt (then it is not read)."""

    anchor: Line
    cells: dict[int, list[Piece]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # level column → 一级/二级 name
    doubt: str | None = None
    band: tuple[float, float] | None = None  # its top and bottom on its page, when cut

    def add(self, piece: Piece) -> None:
        self.cells.setdefault(piece.column, []).append(piece)

    def text(self, column: int) -> str:
        if column in self.names:
            return self.names[column]
        return "".join(p.text for p in sorted(self.cells.get(column, []), key=_reading))


def _reading(piece: Piece) -> tuple[float, float]:
    return (piece.line.page, piece.top)


@dataclass(frozen=True)
class _Name:
    text: str
    first: int  # the page's rows it covers, first and last
    last: int


Reading = tuple[int, tuple[_Name, ...]]  # rows carried from the page before, then the names


def level_names(
    rows: list[PdfRow],
    region: Sequence[Line],
    edges: Sequence[float],
    levels: list[int],
    height: float,
) -> None:
    """Each row's 一级 and 二级 names, where one reading of the merged cells gives them."""
    if not levels:
        return
    last: dict[int, str] = {}
    pitch = _pitch(rows, height)
    pages = sorted({line.page for line in region})
    for n, page in enumerate(pages):
        page_rows = [r for r in rows if r.anchor.page == page]
        if not page_rows:
            continue
        on_page = [line for line in region if line.page == page]
        pieces = [p for p in pieces_of(on_page, edges) if p.column in levels]
        bands = _bands(page_rows, on_page)
        options = [
            _readings(
                [p for p in pieces if p.column == level],
                bands,
                (n > 0, n + 1 < len(pages)),
                (height, pitch),
            )
            for level in levels
        ]
        combined = [r for r in _combinations(options) if _nested(r)]
        if not combined:
            for row in page_rows:
                row.doubt = row.doubt or "属于哪个一级、二级指标无法确定（合并单元格的范围看不出）"
            continue
        for level_index, level in enumerate(levels):
            for k, row in enumerate(page_rows):
                names = {_name_at(r[level_index], k, last.get(level)) for r in combined}
                if len(names) != 1 or None in names:
                    row.doubt = (
                        row.doubt or "属于哪个一级、二级指标无法确定（合并单元格的范围看不出）"
                    )
                    continue
                row.names[level] = names.pop() or ""
            final = {
                _name_at(r[level_index], len(page_rows) - 1, last.get(level)) for r in combined
            }
            if len(final) == 1 and None not in final:
                last[level] = final.pop() or ""


def _pitch(rows: Sequence[PdfRow], height: float) -> float:
    """How far apart the lines of one cell stand: measured in the rows' wrapped cells, else
    a little more than a line's height."""
    steps = []
    for row in rows:
        for pieces in row.cells.values():
            ordered = sorted(pieces, key=lambda p: (p.line.page, p.top))
            steps += [
                b.top - a.top for a, b in itertools.pairwise(ordered) if a.line.page == b.line.page
            ]
    return statistics.median(steps) if steps else height * 1.1


def _bands(page_rows: Sequence[PdfRow], on_page: Sequence[Line]) -> list[tuple[float, float]]:
    """Each row's top and bottom on the page: as its rows were cut, else from its text, up
    to the next row's."""
    if all(row.band is not None for row in page_rows):
        return [row.band for row in page_rows if row.band is not None]
    tops = []
    for row in page_rows:
        own = [p for ps in row.cells.values() for p in ps if p.line.page == row.anchor.page]
        tops.append(min([row.anchor.top, *(p.top for p in own)]))
    bottom = max(line.bottom for line in on_page)
    return [(top, tops[i + 1] if i + 1 < len(tops) else bottom) for i, top in enumerate(tops)]


def _readings(
    pieces: Sequence[Piece],
    bands: Sequence[tuple[float, float]],
    pages: tuple[bool, bool],
    sizes: tuple[float, float],
) -> list[Reading]:
    """Every reading of one level column on one page: how many rows go on from the page before,
    and the names with the rows they cover (centred on them, or at their first row). ``pages``:
    whether the page is continued from one before it, and whether the block goes on to one
    after it; ``sizes``: a line's height, and the distance of a cell's lines from each other
    (lines further apart are two names)."""
    continued, goes_on = pages
    height, pitch = sizes
    pieces = sorted(pieces, key=lambda p: p.top)
    found: set[Reading] = set()

    def centred(group: Sequence[Piece], first: int, last: int, ends_page: bool) -> bool:
        middle = (group[0].top + group[-1].bottom) / 2
        low, high = bands[first][0], bands[last][1]
        if ends_page and goes_on:  # a cell that goes on to the next page: its name is above
            return low - _SLACK * height <= middle <= high + _SLACK * height
        return abs((low + high) / 2 - middle) <= _SLACK * height

    def at_top(group: Sequence[Piece], first: int) -> bool:
        low, high = bands[first]
        return low - _SLACK * height <= group[0].middle < high

    def walk(i: int, row: int, names: tuple[_Name, ...], carried: int, mode: str) -> None:
        if len(found) > 64:
            return
        if i == len(pieces):
            if row == len(bands):
                found.add((carried, names))
            return
        if row >= len(bands):
            return
        for j in range(i, len(pieces)):
            if j > i and pieces[j].top - pieces[j - 1].top > pitch * 1.08:
                break  # a name's lines follow each other
            group = pieces[i : j + 1]
            text = "".join(p.text for p in group)
            firsts = range(row, len(bands)) if (not names and continued) else [row]
            for first in firsts:
                lasts = range(first, len(bands)) if j + 1 < len(pieces) else [len(bands) - 1]
                lasts = [k for k in lasts if k >= first]
                for last in lasts:
                    ends = last == len(bands) - 1
                    fits = (
                        centred(group, first, last, ends)
                        if mode == "centre"
                        else at_top(group, first)
                    )
                    if fits:
                        carried_now = first if not names else carried
                        walk(j + 1, last + 1, (*names, _Name(text, first, last)), carried_now, mode)

    if not pieces:
        return [(len(bands), ())] if continued else []
    # Centred names are bound to the middle of their rows; names at the top only to their first
    # row, which a wrapped name's second line can meet by chance: they are read only when no
    # centred reading holds.
    for mode in ("centre", "top"):
        if not found:
            walk(0, 0, (), 0, mode)
    return sorted(found, key=lambda r: (r[0], [(n.first, n.last, n.text) for n in r[1]]))


def _combinations(options: Sequence[list[Reading]]) -> list[tuple[Reading, ...]]:
    combined: list[tuple[Reading, ...]] = [()]
    for choices in options:
        combined = [(*c, r) for c in combined for r in choices]
    return combined


def _nested(readings: tuple[Reading, ...]) -> bool:
    """A 一级 begins where a 二级 does (the 二级 column is the second level column)."""
    if len(readings) < 2:
        return True
    (outer_carried, outer), (inner_carried, inner) = readings[0], readings[1]
    starts = {n.first for n in inner}
    return inner_carried <= outer_carried and all(n.first in starts for n in outer)


def _name_at(reading: Reading, row: int, before: str | None) -> str | None:
    carried, names = reading
    if row < carried:
        return before
    return next((n.text for n in names if n.first <= row <= n.last), None)
