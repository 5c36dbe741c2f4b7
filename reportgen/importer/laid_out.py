"""A table laid out in columns by ``pdftotext -layout``: its cells where they start, and the
lines of its header (headings wrapped onto lines of their own, a heading over two columns that
the line below names, headings centred down their cells) as one heading per column."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from reportgen.importer.labels import split_label

_CELL = re.compile(r"\S(?:[ \u3000]?\S){0,1000}")
# a figure in a cell: 1,234.56, 97.73%, ≥60 座 — not a heading such as “2024年预算数”
FIGURE = re.compile(
    r"[≥≤=<>＝]?[ \u3000]?\d[\d,，.．]*[ \u3000]?(?:[%％‰]|[^\d\s]{1,3})?(?:/[^\d\s]{1,3})?"
)
_HEADING_CHARACTERS = 12  # the most characters of one line of a heading
_ALIGNED = 2  # how far two pieces of one heading may start apart


# figures side by side one space apart (“18,650.00 19,820.40”): narrow columns pdftotext set
# only one space between, never one cell
_NUMBER = r"[≥≤=]?\d[\d,.]*%?"
_NUMBERS = re.compile(rf"{_NUMBER}(?: {_NUMBER})+")


def cells(line: str) -> list[tuple[int, str]]:
    """The cells of a line laid out in columns (two spaces or more apart, or figures one space
    apart), with where each starts."""
    found: list[tuple[int, str]] = []
    for m in _CELL.finditer(line):
        if _NUMBERS.fullmatch(m.group()):
            found += [(m.start() + n.start(), n.group()) for n in re.finditer(r"\S+", m.group())]
        else:
            found.append((m.start(), m.group()))
    return found


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


_NEAR = 3  # how far a cell may start from where its column's cells start on the same page
_TEXT_COLUMNS = ("指标", "名称", "原因", "说明", "分析", "措施", "项目")
_LONGEST_PIECE = 16  # the most characters of a cell's piece on a line of its own


def _is_text_column(heading: str) -> bool:
    return any(word in heading for word in _TEXT_COLUMNS) and not any(
        word in heading for word in ("值", "率", "分值", "得分")
    )


def _by_order(found: list[tuple[int, str]], names: list[str]) -> list[int]:
    """The columns of a row's cells where the page's columns are not known yet (pdftotext sets
    each page on its own grid): in order, a figure under a column of figures, words under a
    column of words, with as few columns skipped between them as can be (merged cells left
    blank are on the left, an empty 原因 on the right)."""
    best: tuple[float, tuple[int, ...]] | None = None
    for chosen in itertools.combinations(range(len(names)), len(found)):
        fits = sum(
            (FIGURE.fullmatch(cell) is None) == _is_text_column(names[column])
            for (_, cell), column in zip(found, chosen, strict=True)
        )
        skipped = chosen[-1] - chosen[0] + 1 - len(chosen)
        score = fits - 1.01 * skipped
        if best is None or score > best[0]:
            best = (score, chosen)
    return list(best[1]) if best is not None else []


def _placed(found: list[tuple[int, str]], known: list[tuple[int, int]]) -> list[int] | None:
    """The columns of cells by where they start, when each starts where a column's cells
    started on the same page (``known``: start, column); ``None`` otherwise."""
    columns = []
    for at, _ in found:
        near = [column for start, column in known if abs(start - at) <= _NEAR]
        if not near:
            return None
        columns.append(near[0])
    return columns if len(set(columns)) == len(columns) else None


def is_row_line(line: str) -> bool:
    """A line starting a row of a table of figures: two cells or more, one of them a figure."""
    found = cells(line)
    return len(found) >= 2 and any(FIGURE.fullmatch(cell) for _, cell in found)


def _header_extent(lines: list[str], at: int) -> tuple[int, int]:
    """The first and the last line of the header whose line ``at`` names the columns: the lines
    of headings right below it, and the one right above it when its headings are centred down
    (some are on both sides)."""
    last = at
    while last + 1 < len(lines) and last - at < 2 and is_heading_line(lines[last + 1]):
        last += 1
    first = at
    if last > at and at > 0 and is_heading_line(lines[at - 1]):
        first = at - 1
    return first, last


def _ends(found: list[tuple[int, str]]) -> bool:
    """A line after the table: a numbered heading, a sentence, a piece too long for a cell."""
    return (
        split_label(found[0][1]) is not None
        or any(len(cell) > _LONGEST_PIECE for _, cell in found)
        or found[-1][1][-1] in "。：:"
    )


def read_table(
    lines: list[str], at: int, skipped: Callable[[str], bool]
) -> tuple[list[str], list[dict[str, str]], int, int]:
    """The table whose header names its columns on line ``at``: its headings, its rows by
    heading (a cell wrapped onto the lines below joined again, under the column it stands
    in; a row broken by a page joined across the page number and the header printed again),
    and the first and the line after the last it takes. ``skipped`` tells page furniture."""
    first, last = _header_extent(lines, at)
    columns = header_columns(lines[first : last + 1])
    names = [name for _, name in columns]
    header_pieces = {cell for line in lines[first : last + 1] for _, cell in cells(line)}
    known = [(start, n) for n, (start, _) in enumerate(columns)]
    rows: list[dict[str, str]] = []
    end = last + 1
    for n in range(last + 1, len(lines)):
        line = lines[n]
        found = cells(line)
        if not found or skipped(line.strip()):
            continue
        if all(cell in header_pieces for _, cell in found) and (
            len(found) > 1 or len(found[0][1]) > 3
        ):
            continue  # the header printed again atop the next page
        if is_row_line(line):
            placed = _placed(found, known)
            if placed is None:
                placed = _by_order(found, names)
            known = [(at_, column) for (at_, _), column in zip(found, placed, strict=True)]
            rows.append({name: "" for name in names})
        elif not rows or _ends(found):
            break
        else:
            placed = _placed(found, known) or _placed(
                found, [(s, k) for k, (s, _) in enumerate(columns)]
            )
            if placed is None:
                break
        for (_, cell), column in zip(found, placed, strict=True):
            rows[-1][names[column]] += cell
        end = n + 1
    return names, rows, first, end
