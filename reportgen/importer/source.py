"""Read a published report (.docx, .txt extracted from a PDF, or .pdf) as a list of paragraphs.

Why one module: the three formats end in one ``Source`` (paragraphs, headings, kept tables); Word's
own list numbering (``_Numbering``) is the part that could stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.errors import FileSystemError, UsageError
from reportgen.importer.indicator_list import listed_indicators
from reportgen.importer.labels import split_label
from reportgen.importer.laid_out import cells as _cells
from reportgen.importer.laid_out import header_columns, is_heading_line, read_table
from reportgen.importer.limits import MAX_SOURCE_BYTES, check_paragraphs, check_text, refuse
from reportgen.importer.markdown import markdown_text
from reportgen.importer.numerals import MONEY_UNIT
from reportgen.importer.pdf_text import pdf_text
from reportgen.importer.rejoin import Doubt, is_furniture, paragraphs, tidy, width
from reportgen.importer.signature import signed_lines
from reportgen.importer.word import WordTable, word_blocks
from reportgen.read.text import require_regular_file
from reportgen.read.wide import wide_codec

SUFFIXES = (".docx", ".txt", ".md", ".pdf")


@dataclass(frozen=True)
class SourceParagraph:
    """One paragraph and, from a .docx, the outline level its style or numbering gives (1 = 一、)."""

    text: str
    level: int | None = None
    # where a heading typed before its text may end, and whether a gap was typed there (else a
    # line end the text was joined across): rejoin's ``heads``; run_in.py decides
    head_end: int | None = None
    head_gap: bool = False
    index: int | None = None  # its place among the source's paragraphs (a doubt's is said so)
    row: bool = False  # a table's row: text as it is, never a heading or a list item


@dataclass(frozen=True)
class Row:
    """A table's row as the paragraph it is kept as, its cells joined by “，”: each cell's
    column heading and where the cell stands in that paragraph."""

    text: str
    cells: tuple[tuple[str, int, int], ...]

    def cell(self, heading: str) -> tuple[int, int] | None:
        return next(((start, end) for h, start, end in self.cells if h == heading), None)


def row_of(header: list[str], cells: list[str], spanned: list[bool] | None = None) -> Row:
    """The paragraph of a row whose ``cells`` stand under ``header``; an empty cell and the
    repeats of a cell spanning columns (``spanned``: a .docx table gives it once per column)
    are left out. Two cells alike side by side (年初预算 1,850.00, 调整预算 1,850.00) are both kept."""
    kept: list[tuple[str, int, int]] = []
    text = ""
    for i, cell in enumerate(cells):
        if not cell or (spanned is not None and i < len(spanned) and spanned[i]):
            continue
        text += "，" if text else ""
        heading = header[i] if i < len(header) else ""
        kept.append((heading, len(text), len(text) + len(cell)))
        text += cell
    return Row(text, tuple(kept))


@dataclass(frozen=True)
class KeptTable:
    """A table kept in the text as one paragraph a row: its column headings, the rows after the
    header, and the unit a line above it states (“单位：万元”)."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    unit: str | None = None


@dataclass(frozen=True)
class Source:
    """A report's paragraphs in reading order, and the rows of its indicator and score tables
    (a score table's rows are paragraphs too: reportgen prints no such table of its own); the
    other tables, kept as paragraphs, in ``tables``."""

    paragraphs: list[SourceParagraph]
    indicator_rows: list[dict[str, str]] = field(default_factory=list)
    score_rows: list[dict[str, str]] = field(default_factory=list)
    tables: list[KeptTable] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # line ends rejoined by a guess
    headers: list[str] = field(default_factory=list)  # lines left out as running headers
    # indicators written as a list, a line of its name and one of its figures: rows, sentences
    listed_indicators: list[tuple[dict[str, str], str]] = field(default_factory=list)


# “单位：万元” above a table, or a caption ending in “（万元）”: the unit of its figures.
_UNIT_LINE = re.compile(
    rf"[（(]?单位[：:][ \u3000]{{0,2}}({MONEY_UNIT})[）)]?|[（(]({MONEY_UNIT})[）)]$"
)


def unit_said(line: str) -> str | None:
    """The unit a line ending in “单位：万元” or “（万元）” gives the table below it."""
    found = _UNIT_LINE.search(line.strip()[-12:])
    return (found.group(1) or found.group(2)) if found is not None else None


def read_source(path: Path) -> Source:
    """The paragraphs of ``path``; :class:`UsageError` (exit 2) when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{path}: 只能导入 .docx、.txt（从 PDF 提取的文字）、.md 或 .pdf 文件")
    require_regular_file(path, str(path), f"{suffix} 文件")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileSystemError(f"无法读取 {path}", exc) from exc
    if size > MAX_SOURCE_BYTES:
        raise refuse(path, f"文件过大（{size / 1024 / 1024:.1f} MiB，上限 20 MiB）")
    if suffix == ".docx":
        source = _read_docx(path)
    else:
        text = pdf_text(path) if suffix == ".pdf" else _decode(path)
        if suffix == ".md":
            text = markdown_text(text)
        check_text(path, text)
        text, rows, scores = _table_lines(text)
        text, tables = _task_tables(text)
        text, copied, headers_typed = _column_tables(text)
        tables += copied
        whole = {row.text for table in tables for row in table.rows} | headers_typed
        whole |= {"，".join(table.header) for table in tables}
        whole |= _signature_lines(text)  # each a paragraph, never joined to the text above
        doubts: list[Doubt] = []
        heads: dict[int, tuple[int, bool]] = {}
        headers: list[str] = []
        in_tables = {row.text for table in tables for row in table.rows} | headers_typed
        in_tables |= {"，".join(table.header) for table in tables}
        found = [
            SourceParagraph(p, row=p in in_tables)
            for p in paragraphs(text, whole, doubts, heads, headers)
        ]
        for n, (end, gap) in heads.items():
            found[n] = SourceParagraph(found[n].text, head_end=end, head_gap=gap, row=found[n].row)
        source = Source(found, rows, scores, tables, doubts, headers)
    source.paragraphs[:] = [replace(p, index=n) for n, p in enumerate(source.paragraphs)]
    source.listed_indicators.extend(listed_indicators([p.text for p in source.paragraphs]))
    headings = sum(
        p.level is not None or split_label(p.text) is not None for p in source.paragraphs
    )
    check_paragraphs(path, len(source.paragraphs), headings)
    return source


_LAST_LINES = 3


def _signature_lines(text: str) -> set[str]:
    """The lines of the 落款 the text ends with (see signature.py)."""
    last: list[str] = []
    for line in reversed(text.splitlines()):
        line = tidy(line)
        if line and not is_furniture(line):
            last.insert(0, line)
            if len(last) == _LAST_LINES:
                break
    count = signed_lines(last)
    return set(last[len(last) - count :]) if count else set()


_CELL_GAP = re.compile(r"[ \u3000]{2,}")


def _line_cells(line: str) -> list[str]:
    """A line's cells: parted by tabs as Word copies a table (an empty cell kept, so that each
    cell stays under its heading), or by two spaces or more as ``pdftotext -layout`` sets them."""
    if "\t" in line:
        return [cell.strip(" \u3000\r") for cell in line.split("\t")]
    return [c for c in _CELL_GAP.split(line.strip()) if c]


def is_indicator_table(header: list[str]) -> bool:
    return any("指标" in h for h in header) and any("完成率" in h for h in header)


# A key-task table: 重点任务 | 预算（万元） | 支出（万元） | 完成情况 (its headings as printed).
_NAME_HEADINGS = ("任务", "项目名称", "名称")
_SPENT_HEADINGS = ("支出", "决算", "执行数", "实际使用", "使用金额")
_TEXT_HEADINGS = ("完成情况", "实施情况", "工作成效", "主要成效", "绩效情况", "完成内容")
_NOT_SPENT = ("预算", "率", "进度", "指标")


def _heading(header: Sequence[str], words: tuple[str, ...], unless: tuple[str, ...]) -> str | None:
    return next(
        (h for h in header if any(w in h for w in words) and not any(w in h for w in unless)),
        None,
    )


def task_columns(header: Sequence[str]) -> tuple[str, str, str | None] | None:
    """The headings of a key-task table's name, spending and 完成情况 columns; ``None`` for
    another table (an indicator table's “指标名称” names no task)."""
    if any("指标" in h for h in header):
        return None
    name = _heading(header, _NAME_HEADINGS, ())
    spent = _heading(header, _SPENT_HEADINGS, _NOT_SPENT)
    if name is None or spent is None:
        return None
    return name, spent, _heading(header, _TEXT_HEADINGS, ())


def is_score_table(header: list[str]) -> bool:
    """一级指标 | 分值 | 得分: first-level scores, with their maxima when a column states them."""
    return (
        any("得分" in h or "评分" in h for h in header)
        and any(word in h for h in header for word in ("分值", "满分", "权重", "指标"))
        and not is_indicator_table(header)
    )


def _table_lines(text: str) -> tuple[str, list[dict[str, str]], list[dict[str, str]]]:
    """Tables laid out in columns (``pdftotext -layout``, or a table copied from Word, its cells
    parted by tabs): an indicator table's rows by column heading, taken out of the text
    (reportgen prints that table from the facts), and a score table's rows, left in the text."""
    lines = text.splitlines()
    rows: list[dict[str, str]] = []
    scores: list[dict[str, str]] = []
    kept: list[str] = []
    header: list[str] | None = None
    starts: list[int] = []  # where the header's cells start (laid out in columns)
    into = rows
    after_row = False  # the line before is a row (not a blank line)
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        cells = _line_cells(line)
        wraps = header is not None and bool(into) and after_row and _wraps(line, starts)
        after_row = bool(line.strip())
        if header is not None and len(cells) >= 3 and not wraps:
            into.append(dict(zip(header, cells, strict=False)))
            if into is scores:
                kept.append(line)
            continue
        if header is not None and not line.strip():
            continue
        if wraps and header is not None:
            for at, cell in _cells(line):  # the rest of the cells above it
                name = header[_column_of(at, starts)]
                into[-1][name] = into[-1].get(name, "") + tidy(cell)
            if into is scores:
                kept.append(line)
            continue
        header = None
        names = ["".join(c.split()) for c in cells]
        starts = [at for at, _ in _cells(line)] if "\t" not in line else []
        if len(cells) >= 3 and is_indicator_table(names) and not starts:
            header, into = names, rows
            continue
        if len(cells) >= 3 and is_indicator_table(names):  # laid out by pdftotext
            at = index - 1
            names, found, first, index = read_table(lines, at, is_furniture)
            rows += _merged_down(names, found)
            if first < at:  # a line of the header above it, kept already
                kept.pop()
            after_row = False
            continue
        if len(cells) >= 3 and is_score_table(names):
            header, into = names, scores
        kept.append(line)
    return "\n".join(kept), rows, scores


def _merged_down(names: list[str], rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """An indicator table's rows with the 一级/二级指标 of a merged cell, printed once, in every
    row it spans (as a .docx table's merged cell is read)."""
    levels = [h for h in names if "指标" in h and not any(w in h for w in ("值", "率", "原因"))]
    above: dict[str, str] = {}
    for row in rows:
        for heading in levels[:-1]:
            row[heading] = row[heading] or above.get(heading, "")
            above[heading] = row[heading]
    return rows


_DIGIT = re.compile(r"\d")
_WRAPPED = 8  # the most characters of a cell's text wrapped onto a line of its own
_ALIGNED = 2  # how far a wrapped cell's text may start from its column's


def _wraps(line: str, starts: list[int]) -> bool:
    """Whether a line right below a row of a table laid out in columns holds only the rest of
    cells wrapped from it (“学校数” under “新建改扩建”, “（万元）” under “年初预算数”): short
    cells without a figure, each where a column starts; not a heading, list item or sentence."""
    cells = _cells(line)
    return (
        bool(starts)
        and bool(cells)
        and all(
            len(cell) <= _WRAPPED
            and _DIGIT.search(cell) is None
            and split_label(cell) is None
            and cell[-1] not in "。：:；;"
            and min(abs(at - start) for start in starts) <= _ALIGNED
            for at, cell in cells
        )
    )


def _task_tables(text: str) -> tuple[str, list[KeptTable]]:
    """Key-task tables laid out in columns: each row one line “cell，cell，…” as a .docx table's
    row is read, a cell wrapped onto the lines below joined again (a line that does not start in
    the first column continues the cells it stands under)."""
    lines = text.splitlines()
    kept: list[str] = []
    tables: list[KeptTable] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        cells = _cells(line)
        names = ["".join(c.split()) for _, c in cells]
        if len(cells) < 3 or task_columns(names) is None:
            kept.append(line)
            index += 1
            continue
        above = next((k for k in reversed(kept) if k.strip()), "")
        starts = [at for at, _ in cells]
        rows: list[list[str]] = []
        index += 1
        while index < len(lines):
            found = _cells(lines[index])
            if not found:
                index += 1
                continue
            columns = [_column_of(at, starts) for at, _ in found]
            if columns[0] == 0 and len(found) >= 2:
                rows.append([""] * len(starts))
            elif not rows or (columns[0] == 0 and not _continues_name(found[0][1], starts)):
                break
            for column, (_, cell) in zip(columns, found, strict=True):
                rows[-1][column] += tidy(cell)
            index += 1
        table = KeptTable(tuple(names), tuple(row_of(names, row) for row in rows), unit_said(above))
        tables.append(table)
        kept.append("，".join(names))
        kept.extend(row.text for row in table.rows)
    return "\n".join(kept), tables


def _column_tables(text: str) -> tuple[str, list[KeptTable], set[str]]:
    """Tables that stay in the text a line a row: copied from Word (or Markdown's, made so by
    markdown.py), their cells parted by tabs, or laid out in columns by ``pdftotext -layout``
    (three cells or more, two spaces or more apart, blank lines between the rows). The first
    line is the header; the text, a laid-out table whose cells wrapped onto lines of their own
    with those lines joined to its rows (:func:`_wraps`); the tables, and their header lines as
    the text has them."""
    tables: list[KeptTable] = []
    headers: set[str] = set()
    kept: list[str] = []
    above = last = above_last = top_unit = ""
    block: list[str] = []
    starts: list[int] = []  # where the cells of the block's header start (laid out in columns)
    taken: list[str] = []  # the block's lines as the text has them, blank ones too
    wrapped: set[int] = set()  # the block's lines that hold the rest of cells above them
    for line in [*text.splitlines(), None]:
        after_row = bool(taken) and bool(taken[-1].strip())
        if line is not None and after_row and _wraps(line, starts):
            wrapped.add(len(block))
            block.append(line)
            taken.append(line)
            continue
        if line is not None and _table_line(line, bool(block)):
            if not block:
                top_unit, above = above_last, last
                starts = [at for at, _ in _cells(line)] if "\t" not in line else []
            block.append(line)
            taken.append(line)
            continue
        if line is not None and not line.strip() and block:
            taken.append(line)
            continue  # a blank line between rows
        heads = _header_lines(block, wrapped)
        if len(block) > heads and heads > 1:  # a header of two lines or more, kept as it is
            # a heading centred above the first line of the header (“预算数” over two columns)
            top = [above] if kept[-1:] == [above] and is_heading_line(above) else []
            columns = header_columns([*top, *block[:heads]])
            rows = _folded(block[heads:], {n - heads for n in wrapped if n >= heads}, columns)
            table = _folded_table(rows, unit_said(top_unit if top else above))
            tables.append(table)
            lines = ["  ".join(tidy(cell) for _, cell in _cells(line)) for line in block[:heads]]
            if top:  # each line of the header a paragraph, its headings two spaces apart
                kept[-1] = "  ".join(tidy(cell) for _, cell in _cells(above))
                headers.add(kept[-1])
            headers.update(lines)
            kept += [*lines, *(row.text for row in table.rows)]
            taken = [line for line in taken[-1:] if not line.strip()]
        elif len(block) >= 2 and wrapped:  # each row a line of its own, cells two spaces apart
            table = _folded_table(_folded(block, wrapped), unit_said(above))
            tables.append(table)
            header = "  ".join(table.header)
            headers.add(header)
            kept += [header, *(row.text for row in table.rows)]
            taken = [line for line in taken[-1:] if not line.strip()]
        elif len(block) >= 2:
            tables.append(_column_table(block, unit_said(above)))
            headers.add(tidy(block[0]))
        kept += taken
        last = block[-1] if block else last
        block, starts, taken, wrapped = [], [], [], set()
        if line is not None:
            kept.append(line)
            if line.strip():
                above_last, last = last, line
    return "\n".join(kept), tables, headers


def _header_lines(block: list[str], wrapped: set[int]) -> int:
    """How many of a laid-out table's first lines are its header: the first, and the lines
    right below it without a figure when one of them names columns of its own (年初预算｜调整预算
    under “预算数”), not only the rest of headings wrapped (those :func:`_folded` joins)."""
    heads = 1
    while heads < len(block) and "\t" not in block[0] and is_heading_line(block[heads]):
        heads += 1
    return heads if any(n not in wrapped for n in range(1, heads)) else 1


def _folded(
    block: list[str], wrapped: set[int], header: list[tuple[int, str]] | None = None
) -> list[list[tuple[int, str]]]:
    """A laid-out table's lines as cells where they start, each line in ``wrapped`` joined to
    the cells above it; the first line is the header unless ``header`` is given."""
    rows: list[list[tuple[int, str]]] = [list(header)] if header is not None else []
    for n, line in enumerate(block):
        cells = [(at, tidy(cell)) for at, cell in _cells(line)]
        if n not in wrapped or len(rows) < (2 if header is not None else 1):
            rows.append(cells)
            continue
        row = rows[-1]
        for at, cell in cells:
            near = min(range(len(row)), key=lambda k: abs(row[k][0] - at), default=None)
            if near is not None and abs(row[near][0] - at) <= _ALIGNED:
                row[near] = (row[near][0], row[near][1] + cell)
            else:
                row.append((at, cell))
                row.sort()
    return rows


def _folded_table(rows: list[list[tuple[int, str]]], unit: str | None) -> KeptTable:
    """A laid-out table from its rows' cells (the first row the header), each cell under the
    heading that starts nearest to where it started; a row's text its cells two spaces apart."""
    header = ["".join(cell.split()) for _, cell in rows[0]]
    starts = [at for at, _ in rows[0]]
    kept: list[Row] = []
    for cells in rows[1:]:
        text = ""
        spans: list[tuple[str, int, int]] = []
        for at, cell in cells:
            text += "  " if text else ""
            spans.append((header[_column_of(at, starts)], len(text), len(text) + len(cell)))
            text += cell
        kept.append(Row(text, tuple(spans)))
    return KeptTable(tuple(header), tuple(kept), unit)


def _table_line(line: str, in_table: bool) -> bool:
    stripped = line.strip(" \u3000\t\f\v")
    if "\t" in stripped:
        return len(_line_cells(line)) >= 2
    return len(_line_cells(line)) >= (2 if in_table else 3)


def _column_table(block: list[str], unit: str | None) -> KeptTable:
    """A table's lines as its header and rows, each row the paragraph its line stays."""
    if "\t" in block[0]:
        header = ["".join(c.split()) for c in block[0].split("\t")]
        return KeptTable(tuple(header), tuple(_tab_row(header, row) for row in block[1:]), unit)
    header = ["".join(cell.split()) for _, cell in _cells(block[0])]
    return KeptTable(
        tuple(header), tuple(_laid_out_row(header, block[0], r) for r in block[1:]), unit
    )


def _tab_row(header: list[str], line: str) -> Row:
    """A row parted by tabs, as the paragraph it stays (its tabs kept)."""
    line = tidy(line)
    cells: list[tuple[str, int, int]] = []
    at = 0
    for i, cell in enumerate(line.split("\t")):
        if cell.strip():
            start = at + len(cell) - len(cell.lstrip())
            cells.append((header[i] if i < len(header) else "", start, at + len(cell.rstrip())))
        at += len(cell) + 1
    return Row(line, tuple(cells))


def _laid_out_row(header: list[str], header_line: str, line: str) -> Row:
    """A row laid out in columns, each cell under the heading that starts nearest to it."""
    text = tidy(line)
    cells: list[tuple[str, int, int]] = []
    at = 0
    found_cells = _cells(line)
    columns = _columns_of(line, found_cells, header_line)
    for (_, cell), column in zip(found_cells, columns, strict=True):
        cell = tidy(cell)
        found = text.find(cell, at)
        if found < 0:
            continue
        cells.append((header[column], found, found + len(cell)))
        at = found + len(cell)
    return Row(text, tuple(cells))


def _columns_of(line: str, cells: list[tuple[int, str]], header_line: str) -> list[int]:
    """The columns of a laid-out row's cells: in order when it has a cell in every column;
    else each under the heading that starts nearest to it, counting where it starts in
    characters (as pdftotext sets them) or in printed width (an editor's, where a Chinese
    character is as wide as two spaces), whichever the cells stand nearer to their headings by."""
    heads = _cells(header_line)
    if len(cells) == len(heads):
        return list(range(len(cells)))
    best: tuple[int, list[int]] | None = None
    for measure in (len, lambda text: round(width(text) * 2)):
        starts = [measure(header_line[:at]) for at, _ in heads]
        places = [measure(line[:at]) for at, _ in cells]
        columns = [_column_of(at, starts) for at in places]
        off = sum(abs(starts[c] - at) for c, at in zip(columns, places, strict=True))
        if best is None or off < best[0]:
            best = (off, columns)
    return best[1] if best is not None else []


def _continues_name(cell: str, starts: list[int]) -> bool:
    """A lone short cell in the first column is the rest of a wrapped name; a heading, a list
    item or a wider line is the text after the table."""
    return split_label(cell) is None and len(cell) < starts[1] and cell[-1] not in "。：:；;"


def _column_of(at: int, starts: list[int]) -> int:
    """The column whose heading starts nearest to ``at``."""
    return min(range(len(starts)), key=lambda n: abs(starts[n] - at))


def _decode(path: Path) -> str:
    """A text file's text: UTF-8, GB18030, or UTF-16/UTF-32 with or without a byte-order mark
    (Windows Notepad's “Unicode”); any other encoding is named in the refusal."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileSystemError(f"无法读取 {path}", exc) from exc
    codec = wide_codec(raw)
    if codec is not None:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
        raise UsageError(
            f"{path}: 文本是 {codec[:6].upper()} 编码，但其中有不成对或无效的字节，无法读取；"
            "请另存为 UTF-8 文本"
        )
    if b"\x00" in raw[:4096]:
        raise UsageError(
            f"{path}: 不是文本文件（含有 NUL 字节，可能是二进制文件），请另存为 UTF-8 文本"
        )
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{path}: 既不是 UTF-8 也不是 GB18030 编码的文本，请另存为 UTF-8")


# ---- .docx -------------------------------------------------------------------------------------


def _read_docx(path: Path) -> Source:
    source = Source([])
    for block in word_blocks(path):
        if isinstance(block, WordTable):
            _add_table(source, block.rows, block.spanned)
            continue
        text = block.text.strip(" \t\u3000")
        if text and not is_furniture(text):
            source.paragraphs.append(SourceParagraph(block.label + text, block.level))
    return source


_FIGURE = re.compile(r"[≥≤=<>]?[ \u3000]?[\d,，.．]+[ \u3000]?[%％‰]?")


def two_row_header(rows: list[list[str]], spanned: list[list[bool]]) -> tuple[list[str], int]:
    """A table's column headings and how many rows its header takes: two when a heading of the
    first row spans columns (“预算数” over 年初预算｜调整预算) that the second row names, each
    column then headed by both (“预算数年初预算”; a heading merged down is said once)."""
    first = ["".join(cell.split()) for cell in rows[0]]
    if len(rows) < 3 or not any(spanned[0]):
        return first, 1
    second = ["".join(cell.split()) for cell in rows[1]]
    if any(_FIGURE.fullmatch(cell) for cell in second if cell):
        return first, 1
    named = [j for j, repeats in enumerate(spanned[0]) if repeats]
    if not any(second[j] and second[j] != first[j] for j in named):
        return first, 1
    joined = [a + b if b and b != a else a for a, b in zip(first, second, strict=False)]
    return joined + first[len(joined) :], 2


def _add_table(source: Source, rows: list[list[str]], spanned: list[list[bool]]) -> None:
    """An indicator table (指标 … 完成率 in its first row) gives rows by column heading; any
    other table gives one paragraph per row, its cells joined by “，”."""
    if not rows:
        return
    header, heads = two_row_header(rows, spanned)
    if is_indicator_table(header):
        source.indicator_rows.extend(dict(zip(header, row, strict=False)) for row in rows[heads:])
        return
    if is_score_table(header):
        source.score_rows.extend(dict(zip(header, row, strict=False)) for row in rows[heads:])
    kept = [row_of(header, row, repeats) for row, repeats in zip(rows, spanned, strict=True)]
    above = source.paragraphs[-1].text if source.paragraphs else ""
    source.tables.append(
        KeptTable(tuple(header), tuple(r for r in kept[heads:] if r.text), unit_said(above))
    )
    source.paragraphs.extend(SourceParagraph(row.text, row=True) for row in kept if row.text)
