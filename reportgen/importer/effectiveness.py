"""The 履职效能 facts: key tasks with their spending (“一是××经费支出 62.67万元，……”) and
indicators with target, actual and completion rate, from the prose or from an indicator table."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from reportgen.importer.blocks import joined_markers
from reportgen.importer.facts import Inexact, sentence_at
from reportgen.importer.numerals import (
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
    r"[ \u3000]{0,2}(?P<unit>万元|亿元|元)?"
)
_UNITS = ("万元", "亿元", "元")


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


# “业务岗位培训人数88人次，指标完成率为110%”: a name, perhaps an actual value and its unit, a rate.
# a count as printed: 12,560 or 12560 or 88.5
_COUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?"
_ACTUAL = re.compile(
    rf"^(?P<name>[^\d]{{2,40}}?)(?P<about>约)?[ \u3000]{{0,2}}(?P<actual>{_COUNT})"
    r"[ \u3000]{0,2}(?P<unit>[\u4e00-\u9fff%]{1,3})?[ \u3000]{0,2}$"
)
_TARGET = re.compile(
    r"目标(?:值)?[为是：:]{0,2}[ \u3000]{0,2}(?P<sign>[≥≤>=<]{0,2})[ \u3000]{0,2}"
    rf"(?P<value>{_COUNT})[ \u3000]{{0,2}}(?P<unit>[\u4e00-\u9fff%]{{1,3}})?"
)
_STATED_ACTUAL = re.compile(
    r"实际(?:值|完成)?[为是：:]{0,2}[ \u3000]{0,2}(?P<about>约?)[ \u3000]{0,2}"
    rf"(?P<value>{_COUNT})[ \u3000]{{0,2}}(?P<unit>[\u4e00-\u9fff%]{{1,3}})?"
)
_INDICATOR_RATE = re.compile(
    r"(?:指标)?(?:完成率|完成指标率|达成率)[为是达：:]{0,2}[ \u3000]{0,2}(\d{1,5}(?:\.\d{1,2})?)[ \u3000]{0,2}[%％]"
)


_REASON_WORDS = ("原因", "由于")


_SEGMENT = re.compile(r"[^；;。]+[；;。]?")
# a clause ends at a comma, except one grouping digits (12,560)
_CLAUSE = re.compile(r"(?:[^，,；;。]|(?<=\d),(?=\d{3}))+")


def indicators_in(text: str, context: str) -> list[dict[str, Any]]:
    """Indicators stated as “name [target] [actual unit]，指标完成率为 X%”, clause by clause;
    only where the clause or its ``context`` (heading, lead-in) speaks of 指标. A lead-in
    (“产出指标：”, “效益指标：”) holds for the parts after it, up to the next one."""
    found: list[dict[str, Any]] = []
    lead = ""
    for segment in _SEGMENT.finditer(text):
        start = segment.start()
        colon = segment.group().rfind("：")
        if colon >= 0:
            lead = segment.group()[:colon]
            start += colon + 1
        clauses = [(m.start(), m.group()) for m in _CLAUSE.finditer(text, start, segment.end())]
        for i, (at, clause) in enumerate(clauses):
            indicator = _indicator(clause, _named_before(clauses, i), context + lead)
            if indicator is None:
                continue
            end = at + len(clause)
            indicator["sentence"] = sentence_at(text, at, end)
            if Decimal(ascii_figures(indicator["rate"]).rstrip("%")) < 100:
                reason = _reason_after(text, end)
                if reason is not None:
                    indicator["reason"] = reason
            found.append(indicator)
    return found


def _named_before(clauses: list[tuple[int, str]], i: int) -> str:
    """The clause before clause ``i``, with the one before that when it only states a target or
    an actual value (“困难群众12,560 人次，目标值 12,000 人次，完成率 104.67%”)."""
    if i == 0:
        return ""
    before = clauses[i - 1][1].strip()
    if i > 1 and (_TARGET.match(before) or _STATED_ACTUAL.match(before)):
        return f"{clauses[i - 2][1].strip()}，{before}"
    return before


def _indicator(clause: str, before: str, context: str) -> dict[str, Any] | None:
    """The indicator a clause states with its completion rate (the clauses before it naming it,
    when this one is only “指标完成率为 X%”): where the text speaks of 指标, or states the
    indicator's target (“目标值 12,000 人次”)."""
    clause = clause.strip()
    rate = _INDICATOR_RATE.search(clause)
    if rate is None or "预算" in clause:
        return None
    described = clause[: rate.start()].strip() or before.strip()
    if not described or _INDICATOR_RATE.search(described) or "预算" in described:
        return None
    if "指标" not in clause + context and _TARGET.search(described) is None:
        return None
    indicator = {"category": category_of(context), "rate": f"{rate.group(1)}%"}
    return indicator | _described(described)


def _described(described: str) -> dict[str, Any]:
    """Name, target, actual and unit from “培训人数目标值80人次、实际值88人次” or “培训人数88人次”."""
    target = _TARGET.search(described)
    stated = _STATED_ACTUAL.search(described)
    found: dict[str, Any] = {}
    if target is None and stated is None:
        actual = _ACTUAL.match(described)
        if actual is None or not actual.group("name").strip():
            return {"name": described}
        found = {"name": actual.group("name").strip(), "actual": decimal_of(actual.group("actual"))}
        if actual.group("unit"):
            found["unit"] = actual.group("unit")
        if actual.group("about"):
            found["approximate"] = True
        return found
    name_end = len(described)
    for match, key in ((target, "target"), (stated, "actual")):
        if match is None:
            continue
        name_end = min(name_end, match.start())
        found[key] = decimal_of(match.group("value"))
        if match.group("unit"):
            found["unit"] = match.group("unit")
    if target is not None and target.group("sign") in {"≤", "<", "<="}:
        found["direction"] = "negative"
    if stated is not None and stated.group("about"):
        found["approximate"] = True
    named = described[:name_end].rstrip("，,、（( ")
    actual = _ACTUAL.match(named) if stated is None else None
    if actual is not None and actual.group("name").strip():
        # “困难群众12,560 人次，目标值 12,000 人次”: the actual value stated before the target
        named = actual.group("name").strip()
        found["actual"] = decimal_of(actual.group("actual"))
        if actual.group("about"):
            found["approximate"] = True
        found.setdefault("unit", actual.group("unit"))
        if found["unit"] is None:
            del found["unit"]
    found["name"] = named
    return found


def _reason_after(text: str, start: int) -> str | None:
    """The reason a report gives after an indicator that missed its target: from the clause
    naming 原因 (or 由于) to the end of its sentence."""
    hits = [at for at in (text.find(word, start) for word in _REASON_WORDS) if at >= 0]
    if not hits:
        return None
    at = min(hits)
    begin = max(text.rfind(mark, start, at) for mark in "，,；;。：:") + 1
    ends = [e for e in (text.find(mark, at) for mark in "。；;") if e >= 0]
    reason = text[max(begin, start) : min(ends, default=len(text))].strip("，,；; ")
    return reason or None


def category_of(context: str) -> str:
    for word, category in (("产出", "output"), ("效益", "outcome"), ("满意", "satisfaction")):
        if word in context:
            return category
    return "other"


_CATEGORY_NAMES = {"产出": "output", "效益": "outcome", "满意度": "satisfaction", "其他": "other"}
_CELL = re.compile(
    r"(?P<sign>[≤≥<>]?)[ \u3000]{0,2}(?P<about>约?)[ \u3000]{0,2}"
    r"(?P<value>\d{1,12}(?:\.\d{1,6})?)[ \u3000]{0,2}(?P<unit>[^\d]{0,6})"
)


def _column(row: dict[str, str], *words: str) -> str | None:
    for heading, value in row.items():
        if any(word in heading for word in words):
            value = value.strip()
            return value if value and value not in {"—", "-", "/", "无"} else None
    return None


def indicators_from_table(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Indicators from an indicator table's rows (指标名称, 目标值, 实际值, 完成率 …)."""
    found: list[dict[str, Any]] = []
    for row in rows:
        name = _column(row, "名称", "指标")
        if not name:
            continue
        indicator: dict[str, Any] = {"name": name, "sentence": f"表格：{'，'.join(row.values())}"}
        category = _column(row, "类别", "类型")
        indicator["category"] = _CATEGORY_NAMES.get(category or "", "other")
        for key, words in (("target", ("目标",)), ("actual", ("实际",))):
            cell = _column(row, *words)
            match = _CELL.fullmatch(cell) if cell else None
            if match is None:
                continue
            indicator[key] = decimal_of(match.group("value"))
            if match.group("unit").strip():
                indicator["unit"] = match.group("unit").strip()
            if key == "actual" and match.group("about"):
                indicator["approximate"] = True
            if key == "target" and match.group("sign") in {"≤", "<"}:
                indicator["direction"] = "negative"
        rate = _column(row, "完成率")
        if rate:
            indicator["rate"] = rate.replace("％", "%").replace(" ", "")
        for key, words in (("max_score", ("分值",)), ("score", ("得分",)), ("reason", ("原因",))):
            cell = _column(row, *words)
            if cell:
                indicator[key] = cell
        found.append(indicator)
    return found


def checkable(indicator: dict[str, Any]) -> bool:
    """An indicator from the prose that a rule can check: its rate against target and actual
    (R205), or a rate below 100% that needs a reason (R206). Only these become facts: each
    fact adds a row to the indicator table reportgen prints, which the prose did not have."""
    if "target" in indicator and "actual" in indicator:
        return True
    rate = str(indicator.get("rate", "")).rstrip("%")
    try:
        return Decimal(rate) < 100
    except ArithmeticError:
        return False


def merge_indicators(
    prose: list[dict[str, Any]], table: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The prose's indicators completed by the table's (which states targets), table order kept."""
    by_name = {i["name"]: i for i in prose}
    merged = []
    for row in table:
        said = by_name.pop(row["name"], None)
        if said is not None:
            row = {**said, **{k: v for k, v in row.items() if k not in {"sentence", "category"}}}
            if row.get("category") == "other" and said.get("category"):
                row["category"] = said["category"]
        merged.append(row)
    return merged + [i for i in prose if i["name"] in by_name]
