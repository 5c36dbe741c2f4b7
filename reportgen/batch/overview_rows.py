"""The finance bureau's overview as a table: one row per department, totals per year, every
problem — what the workbook and the .csv both show (batch/overview.py writes them)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from reportgen.check.derive import below_target
from reportgen.check.figures import figures
from reportgen.check.validate import Validation, validate_file
from reportgen.errors import ReportgenError
from reportgen.findings import SEVERITY_LABEL, Finding, Location, Severity, format_path
from reportgen.layout.search import LayoutSearch
from reportgen.model.amounts import round_to
from reportgen.output.cells import Value

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
    path: str  # in the figure table (reportgen.check.figures.figures)
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
    # from the 自评表 (table:), when the data has one
    ("预算执行得分", Column.SCORE),
    ("偏离指标数", Column.COUNT),
    ("缺原因数", Column.COUNT),
    ("错误数", Column.COUNT),
    ("警告数", Column.COUNT),
    ("状态", Column.TEXT),
]
FINDING_COLUMNS = ["文件", "行", "列", "代码", "级别", "字段", "信息"]
_SUMMED = {Column.MONEY, Column.COUNT}  # a total of rates or scores means nothing
_YEAR, _DEPARTMENT, _ERRORS, _WARNINGS, _STATUS = 1, 2, -3, -2, -1
_NAMES_SHOWN = 5  # in a note, the files left out of a total; “等 N 个” after them
_STARTER = "R013"  # starter content left as init wrote it

Cell = Value


@dataclass
class OverviewRow:
    """One department's line; a cell it cannot know is ``None``, never a guess.

    ``findings`` are validation's and the overview's own (unreadable, given twice)."""

    cells: list[Cell]
    findings: list[Finding] = field(default_factory=list)
    source: Path = Path()

    @property
    def year(self) -> int | None:
        year = self.cells[_YEAR]
        return year if isinstance(year, int) else None

    @property
    def starter(self) -> bool:
        """Whether it still holds what ``reportgen init`` wrote (R013): its figures may be the
        starter's, not the department's."""
        return any(finding.code == _STARTER for finding in self.findings)

    @property
    def counted(self) -> bool:
        """Whether its figures go into its year's total: read, without errors, not repeated,
        none of them perhaps the starter's."""
        return self.year is not None and self.cells[_ERRORS] == 0 and not self.starter


@dataclass(frozen=True)
class Total:
    """A year's 合计 row and the note that says which rows it leaves out, and why."""

    year: int | None  # None: the note on the files whose year is not known
    cells: list[Cell]
    note: str


def overview_rows(
    sources: Iterable[Path], search: LayoutSearch | None = None, layout: str | None = None
) -> Iterator[OverviewRow]:
    """Validate each source and yield its row, in the order given. ``search`` and ``layout``
    as for ``validate_file``: where layouts are, and one to use instead of each file's.

    A department and year already given (the same file twice, or two files) is an error of
    the later row, whose figures are then left out of the totals."""
    first: dict[tuple[int, str], Path] = {}
    for source in sources:
        row = _row(source, search, layout)
        year, department = row.year, row.cells[_DEPARTMENT]
        if year is not None and isinstance(department, str):
            key = (year, department)
            if key in first:
                _repeated(row, first[key])
            else:
                first[key] = source
        yield row


def _repeated(row: OverviewRow, source: Path) -> None:
    what = f"{row.cells[_YEAR]}年度{row.cells[_DEPARTMENT]}"
    if _same_file(row.source, source):
        message = f"同一个文件给出了两次（{what}），只计一次"
    else:
        message = (
            f"与 {file_name_shown(str(source))} 是同一部门同一年度（{what}）的数据，不计入合计；"
            "同一部门同一年度只能有一份数据"
        )
    row.findings.append(
        Finding("", Severity.ERROR, message, ("department",), location=Location(str(row.source)))
    )
    errors = row.cells[_ERRORS]
    row.cells[_ERRORS] = (errors if isinstance(errors, int) else 0) + 1
    row.cells[_STATUS] = "重复"


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one == other


def _row(source: Path, search: LayoutSearch | None, layout_name: str | None) -> OverviewRow:
    try:
        outcome = validate_file(source, search=search, layout=layout_name)
    except ReportgenError as exc:  # unreadable: the row says so; the problems list says why
        empty: list[Cell] = [None] * len(COLUMNS)
        empty[0], empty[_STATUS] = file_name_shown(str(source)), "无法读取"
        reason = Finding("", Severity.ERROR, file_name_shown(f"无法读取：{exc}"))
        return OverviewRow(empty, [reason], source=source)
    errors = sum(f.is_error for f in outcome.findings)
    warnings = len(outcome.findings) - errors
    year: Cell = None
    department: Cell = None
    layout: Cell = None
    grade: Cell = None
    below: Cell = None
    from_table: list[Cell] = [None, None, None]
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
        from_table = _table_cells(outcome, errors)
    status = "有错误" if errors else "有警告" if warnings else "通过"
    cells: list[Cell] = [
        file_name_shown(str(source)),
        year,
        department,
        layout,
        *values,
        grade,
        below,
        *from_table,
        errors,
        warnings,
        status,
    ]
    return OverviewRow(cells, list(outcome.findings), source)


# R305: a reason the profile asks for (below target, low execution, an adjustment) is missing
_MISSING_REASON = "R305"


def _table_cells(outcome: Validation, errors: int) -> list[Cell]:
    """The 自评表's funds score and its indicators 30 % or more beyond target (偏离), known
    only without errors, and the reasons it lacks (each one of the errors); unknown (``None``)
    without a table."""
    view = outcome.table
    if view is None:
        return [None, None, None]
    missing = sum(finding.code == _MISSING_REASON for finding in outcome.findings)
    if errors:
        return [None, None, missing]
    funds = view.funds.score
    return [
        round_to(funds, 2) if funds is not None else None,
        sum(indicator.deviation for indicator in view.indicators),
        missing,
    ]


def _cell(value: object, kind: Column) -> Cell:
    if not isinstance(value, Decimal):
        return None
    if kind is Column.RATE:  # a fraction in the sheet, shown as a percent with two decimals
        return round_to(value, 2) / 100
    return round_to(value, 2)


def totals(rows: list[OverviewRow]) -> list[Total]:
    """合计 per year, of the rows it may add up (:attr:`OverviewRow.counted`), each with its
    note; then, if some files have no known year, a note on them alone."""
    years = sorted({row.year for row in rows if row.year is not None})
    found = [_year_total(year, [row for row in rows if row.year == year]) for year in years]
    unknown = [row for row in rows if row.year is None]
    if unknown:
        note = f"未能读出年度的 {len(unknown)} 个文件不计入任何合计：{_names(unknown)}。"
        found.append(Total(None, [], note))
    return found


def _year_total(year: int, rows: list[OverviewRow]) -> Total:
    counted = [row for row in rows if row.counted]
    cells: list[Cell] = [None] * len(COLUMNS)
    cells[0], cells[_YEAR] = "合计", year
    partial: dict[int, list[str]] = {}
    for i, (header, kind) in enumerate(COLUMNS):
        if kind not in _SUMMED or not counted:
            continue
        known = [c for row in counted if isinstance(c := row.cells[i], int | Decimal)]
        if known:
            total = sum(known, Decimal(0))
            cells[i] = total if kind is Column.MONEY else int(total)
        if len(known) < len(counted):
            partial.setdefault(len(known), []).append(header)
    repeated = [row for row in rows if row.cells[_STATUS] == "重复"]
    starter = [row for row in rows if row.starter and row.cells[_ERRORS] == 0]
    kinds = "无错误、不重复" + ("、不含示例内容" if starter else "")
    note = [
        f"{year}年度合计计入全部 {len(rows)} 个单位"
        if len(counted) == len(rows)
        else f"{year}年度合计只计{kinds}的 {len(counted)} 个单位（共 {len(rows)} 个）"
    ]
    wrong = [row for row in rows if not row.counted and row not in repeated + starter]
    if wrong:
        note.append(
            f"不计有错误的 {len(wrong)} 个（{_names(wrong)}）：其数字未经核实或不全，见“问题清单”"
        )
    if starter:
        note.append(
            f"不计仍有示例内容的 {len(starter)} 个（{_names(starter)}）：其数字可能是"
            " reportgen init 写的示例，见“问题清单”（R013）"
        )
    if repeated:
        note.append(
            f"不计重复的 {len(repeated)} 个（{_names(repeated)}）：同一部门同一年度已计一次"
        )
    for filled, headers in sorted(partial.items()):
        named = "、".join(headers)
        note.append(
            f"{named}只有 {filled} 个单位填写，合计只含这 {filled} 个"
            if filled
            else f"{named}没有单位填写，不作合计"
        )
    if not counted:
        why = "错误、重复或示例内容" if starter else "错误或重复"
        note = [f"{year}年度的 {len(rows)} 个单位都有{why}，不作合计", *note[1:]]
    return Total(year, cells, "；".join(note) + "。")


def _names(rows: list[OverviewRow]) -> str:
    names = "、".join(file_name_shown(row.source.name) for row in rows[:_NAMES_SHOWN])
    return names if len(rows) <= _NAMES_SHOWN else f"{names} 等 {len(rows)} 个"


def file_name_shown(text: str) -> str:
    """A file name as a cell can hold it: bytes that are not UTF-8 (a name from another
    system, which Python keeps as lone surrogates) shown as “�”, which Excel and CSV accept."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def finding_cells(row: OverviewRow, finding: Finding) -> list[Cell]:
    where = finding.location
    return [
        file_name_shown(where.file if where else str(row.source)),
        where.line if where else None,
        where.column if where else None,
        finding.code or None,
        SEVERITY_LABEL[finding.severity],
        format_path(finding.path) or None,
        finding.message,
    ]
