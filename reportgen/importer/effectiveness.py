"""The 履职效能 key tasks with their spending (“一是××经费支出 62.67万元，……”), from the prose
or from a key-task table (the indicators are read by ``indicators.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from reportgen.importer.blocks import joined_markers
from reportgen.importer.facts import Inexact
from reportgen.importer.numerals import (
    MONEY_UNIT,
    MONEY_UNITS,
    ascii_figures,
    decimal_of,
    exactly_in_ten_thousands,
    in_ten_thousands,
)
from reportgen.importer.source import KeptTable, task_columns
from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed

# “政府办综合业务工作经费支出 62.67万元，…”: a name, 支出, an amount, then what was done.
_TASK = re.compile(
    r"(?P<name>[^，,。；;：:\d]{2,40}?)[ \u3000]{0,2}(?:经费)?支出[ \u3000]{0,2}"
    r"(?P<amount>\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,2})?|\d{1,12}(?:\.\d{1,2})?)[ \u3000]{0,2}万元[，,]?"
)


_NOT_TASKS = frozenset(
    {"基本", "项目", "人员", "公用", "人员经费", "公用经费", "基本经费", "项目经费", "全年", "其中"}
)


def _task_name(match: re.Match[str], text: str) -> str | None:
    """The name _TASK found, with the 经费 the report put before 支出; ``None`` for a part of
    the budget (“一是基本支出 800万元；二是项目支出…”), which is no task."""
    name = match.group("name")
    if name.strip("，, 的") in _NOT_TASKS:
        return None
    if not name.endswith("经费") and "经费支出" in text[match.start() : match.end()]:
        name += "经费"
    return name


Span = tuple[int, int]  # where a task's amount stands in the text it came from


def tasks_in_run(text: str) -> list[tuple[dict[str, Any], Span]] | None:
    """“一是××经费支出 62.67万元，……。二是……”, its entries parted by any mark: each entry's
    task (name, spending) and where its amount stands, when every entry is one."""
    starts = joined_markers(text)
    if len(starts) < 2:
        return None
    plain = ascii_figures(text)
    found: list[tuple[dict[str, Any], Span]] = []
    for (_, begin), (end, _) in zip(starts, [*starts[1:], (len(text), 0)], strict=True):
        match = _TASK.match(plain, begin, end)
        name = None if match is None else _task_name(match, text)
        if match is None or name is None:
            return None
        task = {
            "name": name,
            "spending": decimal_of(match.group("amount")),
            "sentence": text[begin : match.end()].rstrip("，,"),
        }
        found.append((task, match.span("amount")))
    return found


# “全年支出150.00万元，…”: the spending a task's own text opens with.
_SPENT = re.compile(
    r"[^，,。；;：:\d]{0,12}?(?:经费|资金)?(?:支出|使用资金|投入资金|投入)[为了共计：:]{0,3}[ \u3000]{0,2}"
    r"(?P<amount>\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,2})?|\d{1,12}(?:\.\d{1,2})?)[ \u3000]{0,2}万元"
)
_NAME_END = "：:，,。；; "
_NAME_WIDTH = 40


def task_of_item(title: str | None, text: str) -> tuple[dict[str, Any], Span] | None:
    """A numbered item that is a key task: its title the name, its text opening with what it
    spent (“（1）法律援助项目” / “全年支出150.00万元，…”); or, without a title, its text
    naming the task first (“法律援助项目：全年支出150.00万元，…”, “××经费支出 62.67万元，…”).
    The task, and where its amount stands in ``text``."""
    plain = ascii_figures(text)
    spent: re.Match[str] | None
    if title is None:
        match = _TASK.match(plain)
        if match is not None:
            name = _task_name(match, text)
            spent = match
        else:
            colon = min((at for at in (text.find(m) for m in "：:") if at > 0), default=-1)
            if not 0 < colon <= _NAME_WIDTH:
                return None
            name, spent = text[:colon], _SPENT.match(plain, colon + 1)
    else:
        name, spent = title.rstrip(_NAME_END), _SPENT.match(plain)
    if spent is None or not name or name in _NOT_TASKS:
        return None
    task = {
        "name": name,
        "spending": decimal_of(spent.group("amount")),
        "sentence": text[: spent.end()] if title is None else f"{title}：{text[: spent.end()]}",
    }
    return task, spent.span("amount")


_TOTAL_ROWS = ("合计", "总计")
_MONEY_CELL = re.compile(
    r"(?P<amount>\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?)"
    rf"[ \u3000]{{0,2}}(?P<unit>{MONEY_UNIT})?"
)
_UNITS = MONEY_UNITS


@dataclass(frozen=True)
class TableTasks:
    """The key tasks a table's rows state, and where in each row its figures and text stand."""

    tasks: list[dict[str, Any]]
    spans: dict[int, list[tuple[int, int, str]]]  # row index → (start, end, placeholder path)
    total: tuple[Decimal, str, str] | None  # the 合计 row's spending, as published, its row
    inexact: list[Inexact]  # in 元, not whole 万元 cents


def tasks_of_table(table: KeptTable) -> TableTasks | None:
    """The key tasks of a table with a task-name column and a spending column (its rows kept in
    the prose, each amount printed alike becoming ``${key_tasks.items[N].spending}`` and the
    完成情况 cell ``${key_tasks.items[N].text}``); ``None`` for any other table."""
    columns = task_columns(table.header)
    if columns is None:
        return None
    name, spent, done = columns
    unit = next((u for u in _UNITS if u in spent), table.unit)
    found = TableTasks([], {}, None, [])
    for index, row in enumerate(table.rows):
        where = (row.cell(name), row.cell(spent))
        if where[0] is None or where[1] is None:
            return None
        label = row.text[where[0][0] : where[0][1]]
        token = row.text[where[1][0] : where[1][1]]
        money = _MONEY_CELL.fullmatch(ascii_figures(token))
        said = money.group("unit") if money is not None else None
        if money is None or (said or unit) is None:
            return None
        amount, unit_of_cell = decimal_of(money.group("amount")), said or unit or "万元"
        value = in_ten_thousands(amount, unit_of_cell)
        sentence = f"表格：{row.text}"
        if "".join(label.split()) in _TOTAL_ROWS:
            if value is not None and found.total is None:
                found = replace(found, total=(value, token, sentence))
                if printed(FigureKind.MONEY, value) == token:
                    found.spans.setdefault(index, []).append((*where[1], "key_tasks.total"))
            continue
        n = len(found.tasks)
        task: dict[str, Any] = {"name": label, "sentence": sentence}
        if value is None:
            exact = exactly_in_ten_thousands(amount, unit_of_cell)
            path = f"key_tasks.items[{n}].spending"
            published = token if said else f"{token}{unit_of_cell}"
            found.inexact.append(Inexact(path, published, exact, sentence))
        else:
            task["spending"] = value
            if printed(FigureKind.MONEY, value) == token:
                path = f"key_tasks.items[{n}].spending"
                found.spans.setdefault(index, []).append((*where[1], path))
        text = row.cell(done) if done is not None else None
        if text is not None:
            task["text"] = row.text[text[0] : text[1]]
            found.spans.setdefault(index, []).append((*text, f"key_tasks.items[{n}].text"))
        found.tasks.append(task)
    return found if found.tasks else None
