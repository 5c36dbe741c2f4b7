"""The finance bureau's overview: one row per department, every finding, as .xlsx or .csv."""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from reportgen.check.derive import below_target
from reportgen.check.validate import validate_file
from reportgen.context.placeholders import figures
from reportgen.errors import FileSystemError, ReportgenError, UsageError
from reportgen.findings import SEVERITY_LABEL, Finding, format_path
from reportgen.layout.search import LayoutSearch
from reportgen.model.amounts import round_to
from reportgen.output.atomic import replace_atomically

OVERVIEW_IDENTITY = "reportgen:overview"  # a workbook reportgen made, which it may replace


class Column(StrEnum):
    """How a column's cells are written: its type, never its name, decides the format."""

    TEXT = "text"
    YEAR = "year"
    MONEY = "money"
    RATE = "rate"
    SCORE = "score"
    COUNT = "count"


@dataclass(frozen=True)
class _Figure:
    header: str
    path: str  # in the figure table (reportgen.context.placeholders.figures)
    kind: Column


FIGURES = [
    _Figure("年初预算", "budget.initial", Column.MONEY),
    _Figure("调整预算", "budget.adjusted", Column.MONEY),
    _Figure("支出合计", "budget.expenditure.total", Column.MONEY),
    _Figure("基本支出", "budget.expenditure.basic", Column.MONEY),
    _Figure("项目支出", "budget.expenditure.project", Column.MONEY),
    _Figure("预算执行率", "budget.execution_rate", Column.RATE),
    _Figure("结转结余率", "budget.carryover.rate", Column.RATE),
    _Figure("自评得分", "score.total", Column.SCORE),
]
COLUMNS: list[tuple[str, Column]] = [
    ("文件", Column.TEXT),
    ("年度", Column.YEAR),
    ("部门", Column.TEXT),
    ("版式", Column.TEXT),
    *[(f.header, f.kind) for f in FIGURES],
    ("等级", Column.TEXT),
    ("未达标指标数", Column.COUNT),
    ("错误数", Column.COUNT),
    ("警告数", Column.COUNT),
    ("状态", Column.TEXT),
]
FINDING_COLUMNS = ["文件", "行", "列", "代码", "级别", "字段", "信息"]
_SUMMED = {Column.MONEY, Column.COUNT}  # a total of rates or scores means nothing

Cell = str | int | Decimal | None


@dataclass
class OverviewRow:
    """One department's line; a cell it cannot know is ``None``, never a guess."""

    cells: list[Cell]
    findings: list[Finding] = field(default_factory=list)
    source: Path = Path()


def overview_rows(
    sources: Iterable[Path], search: LayoutSearch | None = None, layout: str | None = None
) -> Iterator[OverviewRow]:
    """Validate each source and yield its row, in the order given. ``search`` and ``layout``
    as for ``validate_file``: where layouts are, and one to use instead of each file's."""
    for source in sources:
        yield _row(source, search, layout)


def _row(source: Path, search: LayoutSearch | None, layout_name: str | None) -> OverviewRow:
    try:
        outcome = validate_file(source, search=search, layout=layout_name)
    except ReportgenError as exc:  # unreadable: the row says why and holds nothing else
        empty: list[Cell] = [None] * len(COLUMNS)
        empty[0], empty[-1] = _file_name(str(source)), _file_name(f"无法读取：{exc}")
        return OverviewRow(empty, source=source)
    errors = sum(f.is_error for f in outcome.findings)
    warnings = len(outcome.findings) - errors
    year: Cell = None
    department: Cell = None
    layout: Cell = None
    grade: Cell = None
    below: Cell = None
    values: list[Cell] = [None] * len(FIGURES)
    report, derived = outcome.report, outcome.derived
    if report is not None and derived is not None:
        year, department, layout = report.year, report.department, report.layout
        table = figures(report, derived)
        stated = outcome.document.value_marks
        wrong = [
            format_path(path)
            for f in outcome.findings
            if f.is_error
            for path in (f.path, *f.related)
        ]

        def known(path: str) -> bool:
            """Without errors, every figure; with them, only one the file states and no error
            involves: a figure computed from a wrong one would be a wrong number."""
            if path not in table:
                return False
            if not errors:
                return True
            keys = tuple(path.split("."))
            return (keys in stated or (*keys, "amount") in stated) and not any(
                w == path or w.startswith(f"{path}.") or path.startswith(f"{w}.") for w in wrong
            )

        for i, figure in enumerate(FIGURES):
            if known(figure.path):
                values[i] = _cell(table[figure.path][1], figure.kind)
        if known("score.grade"):
            grade = str(table["score.grade"][1])
        if not errors:
            below = sum(below_target(rate) for rate in derived.indicator_completion)
    status = "有错误" if errors else "有警告" if warnings else "通过"
    cells: list[Cell] = [
        _file_name(str(source)),
        year,
        department,
        layout,
        *values,
        grade,
        below,
        errors,
        warnings,
        status,
    ]
    return OverviewRow(cells, outcome.findings, source)


def _cell(value: object, kind: Column) -> Cell:
    if not isinstance(value, Decimal):
        return None
    if kind is Column.RATE:  # a fraction in the sheet, shown as a percent with two decimals
        return round_to(value, 2) / 100
    return round_to(value, 2)


def _totals(rows: list[OverviewRow]) -> list[Cell]:
    totals: list[Cell] = [None] * len(COLUMNS)
    totals[0] = "合计"
    for i, (_, kind) in enumerate(COLUMNS):
        if kind in _SUMMED:
            known = [c for row in rows if isinstance(c := row.cells[i], int | Decimal)]
            if known:
                total = sum(known, Decimal(0))
                totals[i] = total if kind is Column.MONEY else int(total)
    return totals


def _file_name(text: str) -> str:
    """A file name as a cell can hold it: bytes that are not UTF-8 (a name from another
    system, which Python keeps as lone surrogates) shown as “�”, which Excel and CSV accept."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _finding_cells(row: OverviewRow, finding: Finding) -> list[Cell]:
    where = finding.location
    return [
        _file_name(where.file if where else str(row.source)),
        where.line if where else None,
        where.column if where else None,
        finding.code,
        SEVERITY_LABEL[finding.severity],
        format_path(finding.path) or None,
        finding.message,
    ]


# ---- writing


class OverviewFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def write_overview(
    sources: Iterable[Path],
    target: Path,
    output_format: OverviewFormat,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> int:
    """Write the overview of ``sources`` to ``target``, whole or not at all; the number of
    departments. An existing ``target`` is replaced only when it is an overview workbook
    reportgen made; anything else there (any .csv) is left alone."""
    _check_replaceable(target, output_format)
    rows = list(overview_rows(sources, search, layout))
    writer = _write_xlsx if output_format is OverviewFormat.xlsx else _write_csv
    try:
        replace_atomically(target, lambda stream: writer(rows, stream))
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    return len(rows)


def _check_replaceable(target: Path, output_format: OverviewFormat) -> None:
    from reportgen.output.render import stored_identity

    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise UsageError(f"无法写入 {target}（目录 {target.parent} 不存在）") from None
        return
    except OSError as exc:
        raise FileSystemError(f"无法检查已有的文件 {target}", exc) from exc
    if not stat.S_ISREG(mode):
        raise UsageError(f"无法写入 {target}（已存在同名的目录或特殊文件）")
    if output_format is OverviewFormat.xlsx:
        try:
            if stored_identity(target) == OVERVIEW_IDENTITY:
                return
        except OSError as exc:
            raise FileSystemError(f"无法读取已有的文件 {target}", exc) from exc
    raise UsageError(
        f"{target} 已存在，且不是本程序生成的汇总表，为免覆盖未生成；"
        "请确认后删除或移走该文件，或换一个文件名"
    )


def _write_xlsx(rows: list[OverviewRow], stream: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    formats = {
        Column.MONEY: "#,##0.00",
        Column.RATE: "0.00%",
        Column.SCORE: "0.00",
        Column.COUNT: "0",
        Column.YEAR: "0",
    }
    workbook = Workbook()
    workbook.properties.identifier = OVERVIEW_IDENTITY
    workbook.properties.creator = "reportgen"
    workbook.properties.title = "部门整体支出绩效自评汇总"
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "汇总"
    bold = Font(bold=True)
    sheet.append([header for header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append(row.cells)
    last = len(rows) + 1
    sheet.append(_totals(rows))
    for cell in sheet[last + 1]:
        cell.font = bold
    for index, (_, kind) in enumerate(COLUMNS, start=1):
        if kind in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[kind]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(last, len(COLUMNS)).coordinate}"
    _widths(sheet, [header for header, _ in COLUMNS], [20, 6, 30, 8] + [12] * 14)

    problems = workbook.create_sheet("问题清单")
    problems.append(FINDING_COLUMNS)
    for cell in problems[1]:
        cell.font = bold
    for row in rows:
        for finding in row.findings:
            problems.append(_finding_cells(row, finding))
    problems.freeze_panes = "A2"
    problems.auto_filter.ref = f"A1:{problems.cell(problems.max_row, 7).coordinate}"
    _widths(problems, FINDING_COLUMNS, [20, 6, 6, 8, 6, 30, 80])
    workbook.save(stream)


def _widths(sheet: object, headers: list[str], widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
    for index, width in enumerate(widths[: len(headers)], start=1):
        dimensions[get_column_letter(index)].width = width


def _write_csv(rows: list[OverviewRow], stream: BinaryIO) -> None:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese as Chinese. Two tables
    cannot share a .csv: the findings follow the departments after an empty line."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    write: Callable[[Sequence[Cell]], object] = csv.writer(text).writerow
    write([header for header, _ in COLUMNS])
    for row in rows:
        write([_csv_text(c, kind) for c, (_, kind) in zip(row.cells, COLUMNS, strict=True)])
    write([_csv_text(c, kind) for c, (_, kind) in zip(_totals(rows), COLUMNS, strict=True)])
    write([])
    write(FINDING_COLUMNS)
    for row in rows:
        for finding in row.findings:
            write(_finding_cells(row, finding))
    text.flush()
    text.detach()


def _csv_text(value: Cell, kind: Column) -> Cell:
    if isinstance(value, Decimal):
        if kind is Column.RATE:
            return f"{value * 100:.2f}%"
        return f"{value:.2f}"
    return value
