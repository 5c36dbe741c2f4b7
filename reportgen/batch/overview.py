"""The finance bureau's overview written out, whole or not at all: a printable .xlsx
(:mod:`reportgen.batch.overview_workbook`) or a .csv; its rows are :mod:`reportgen.batch.overview_rows`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportgen.batch.overview_format import OverviewFormat
from reportgen.batch.overview_rows import (
    COLUMNS,
    FINDING_COLUMNS,
    OVERVIEW_IDENTITY,
    Cell,
    Column,
    OverviewRow,
    file_name_shown,
    finding_cells,
    overview_rows,
    totals,
)
from reportgen.clock import made_at
from reportgen.errors import FileSystemError, UsageError
from reportgen.layout.search import LayoutSearch
from reportgen.model import formatting
from reportgen.output.atomic import replace_atomically
from reportgen.output.cells import CsvTable, ShownNumber
from reportgen.output.naming import existing

# ---- writing


def overview_target(
    target: Path | None, requested: OverviewFormat | None
) -> tuple[Path, OverviewFormat]:
    """The file to write and its format: the file's suffix decides (``.xlsx``, ``.csv``); a
    ``requested`` format (``--format``) must agree with it, and names the file when none is
    given (``汇总.xlsx`` by default)."""
    if target is None:
        chosen = requested or OverviewFormat.xlsx
        return Path(f"汇总.{chosen.value}"), chosen
    suffix = target.suffix.lower().removeprefix(".")
    if suffix not in OverviewFormat.__members__:
        raise UsageError(
            f"汇总表文件 {file_name_shown(str(target))} 的扩展名应为 .xlsx（工作簿）或 .csv（文本表格）"
        )
    implied = OverviewFormat(suffix)
    if requested is not None and requested is not implied:
        raise UsageError(
            f"--format {requested.value} 与汇总表文件 {file_name_shown(str(target))} 的扩展名不符；"
            f"请把文件名改为 .{requested.value} 结尾，或去掉 --format（格式由扩展名决定）"
        )
    return target, implied


def write_overview(
    sources: Iterable[Path],
    target: Path,
    output_format: OverviewFormat | None = None,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> int:
    """Write the overview of ``sources`` to ``target``, whole or not at all; the number of
    departments. The format is ``target``'s suffix (see :func:`overview_target`). An existing
    ``target`` is replaced only when it is an overview workbook reportgen made; anything else
    there (any .csv) is left alone."""
    target, output_format = overview_target(target, output_format)
    _check_replaceable(target, output_format)
    made = made_at()  # a malformed SOURCE_DATE_EPOCH is said before the files are read
    rows = list(overview_rows(sources, search, layout))
    if output_format is OverviewFormat.xlsx:
        from reportgen.batch.overview_workbook import write_workbook

        def write(stream: BinaryIO) -> None:
            write_workbook(rows, totals(rows), made, stream)
    else:

        def write(stream: BinaryIO) -> None:
            _write_csv(rows, stream)

    try:
        replace_atomically(target, write)
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    return len(rows)


def _check_replaceable(target: Path, output_format: OverviewFormat) -> None:
    found = existing(target, read_identity=output_format is OverviewFormat.xlsx)
    if found.kind == "none":
        if not target.parent.is_dir():
            raise UsageError(f"无法写入 {target}（目录 {target.parent} 不存在）")
        return
    if found.kind != "file":
        raise UsageError(f"无法写入 {target}（已存在同名的目录或特殊文件）")
    if found.identity == OVERVIEW_IDENTITY:
        return
    raise UsageError(
        f"{target} 已存在，且不是本程序生成的汇总表，为免覆盖未生成；"
        "请确认后删除或移走该文件，或换一个文件名"
    )


def _write_csv(rows: list[OverviewRow], stream: BinaryIO) -> None:
    """Two tables cannot share a .csv: the problems follow the departments, their totals and
    the totals' notes after an empty line."""
    table = CsvTable(stream)
    table.row([header for header, _ in COLUMNS])
    for row in rows:
        table.row(_csv_cells(row.cells))
    found = totals(rows)
    for total in found:
        if total.year is not None:
            table.row(_csv_cells(total.cells))
    for total in found:
        table.row([f"说明：{total.note}"])
    table.row([])
    table.row(FINDING_COLUMNS)
    for row in rows:
        for finding in row.findings:
            table.row(finding_cells(row, finding))
    table.close()


def _csv_cells(cells: list[Cell]) -> list[Cell | ShownNumber]:
    shown: list[Cell | ShownNumber] = []
    for value, (_, kind) in zip(cells, COLUMNS, strict=True):
        if isinstance(value, Decimal):
            text = (
                formatting.percent(value * 100)
                if kind is Column.RATE
                else formatting.money(value, thousands=False)
            )
            shown.append(ShownNumber(text))
        else:
            shown.append(value)
    return shown
