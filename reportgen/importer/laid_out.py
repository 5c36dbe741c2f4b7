"""A table laid out in columns by ``pdftotext -layout``: its cells where they start, and the
lines of its header (headings wrapped onto lines of their own, a heading over two columns that
the line below names, headings centred down their cells) as one heading per column."""

from __future__ import annotations

import re

from reportgen.importer.labels import split_label

_CELL = re.compile(r"\S(?:[ \u3000]?\S){0,1000}")
# a figure in a cell: 1,234.56, 97.73%, ≥60 座 — not a heading such as “2024年预算数”
FIGURE = re.compile(
    r"[≥≤=<>＝]?[ \u3000]?\d[\d,，.．]*[ \u3000]?(?:[%％‰]|[^\d\s]{1,3})?(?:/[^\d\s]{1,3})?"
)
_HEADING_CHARACTERS = 12  # the most characters of one line of a heading
_ALIGNED = 2  # how far two pieces of one heading may start apart


def cells(line: str) -> list[tuple[int, str]]:
    """The cells of a line laid out in columns (two spaces or more apart), with where each
    starts."""
    return [(m.start(), m.group()) for m in _CELL.finditer(line)]


def is_heading_line(line: str) -> bool:
    """Whether a line can be part of a table's header: short words, no figure, no sentence,
    no numbered heading."""
    found = cells(line)
    return bool(found) and all(
        len(cell) <= _HEADING_CHARACTERS
        and FIGURE.fullmatch(cell) is None
        and not any(mark in cell for mark in "。：:；;，,")
        and split_label(cell) is None
        for _, cell in found
    )


_Piece = tuple[int, int, int, str]  # line, start, end, text


def _together(a: _Piece, b: _Piece) -> bool:
    """Two pieces on different lines of one column's heading: overlapping, starting together
    (left-aligned) or centred on one another."""
    if a[0] == b[0]:
        return False
    overlap = a[1] < b[2] and b[1] < a[2]
    centred = abs((a[1] + a[2]) - (b[1] + b[2])) <= 3
    return overlap or abs(a[1] - b[1]) <= _ALIGNED or centred


def header_columns(lines: list[str]) -> list[tuple[int, str]]:
    """Each column's start and heading from a header's lines, top to bottom: the pieces of one
    heading joined in reading order (“年度目标”＋“值”); a heading printed above two columns
    whose own headings are on a lower line (“预算数” over 年初预算｜调整预算) put before each
    of theirs (“预算数年初预算”, “预算数调整预算”)."""
    columns: list[list[_Piece]] = []
    for n, line in enumerate(lines):
        for start, text in cells(line):
            piece = (n, start, start + len(text), text)
            home = next((c for c in columns if any(_together(p, piece) for p in c)), None)
            if home is None:
                columns.append([piece])
            else:
                home.append(piece)
    columns.sort(key=lambda column: min(p[1] for p in column))
    over: dict[int, str] = {}  # a column's index → the heading printed above it and its neighbour
    groups = [
        k
        for k in range(1, len(columns) - 1)
        if min(p[0] for p in columns[k - 1]) > max(p[0] for p in columns[k])
        and min(p[0] for p in columns[k + 1]) > max(p[0] for p in columns[k])
    ]
    for k in groups:
        over[k - 1] = over[k + 1] = "".join(p[3] for p in sorted(columns[k]))
    columns = [[] if k in groups else column for k, column in enumerate(columns)]
    return [
        (min(p[1] for p in column), over.get(k, "") + "".join(p[3] for p in sorted(column)))
        for k, column in enumerate(columns)
        if column
    ]
