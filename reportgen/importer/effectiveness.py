"""The 履职效能 facts: key tasks with their spending (“一是××经费支出 62.67万元，……”) and
indicators with target, actual and completion rate, from the prose or from an indicator table."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reportgen.importer.facts import decimal_of, sentence_at

# “政府办综合业务工作经费支出 62.67万元，…”: a name, 支出, an amount, then what was done.
_TASK = re.compile(
    r"(?P<name>[^，,。；;：:\d]{2,40}?)[ \u3000]{0,2}(?:经费)?支出[ \u3000]{0,2}"
    r"(?P<amount>\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,2})?|\d{1,12}(?:\.\d{1,2})?)[ \u3000]{0,2}万元[，,]?"
)


_NOT_TASKS = frozenset(
    {"基本", "项目", "人员", "公用", "人员经费", "公用经费", "基本经费", "项目经费", "全年", "其中"}
)


def key_tasks_of(block: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The key tasks of a joined block whose every entry is “<name>支出 X万元，…”."""
    tasks = []
    for entry in block.get("joined", []):
        match = _TASK.match(entry)
        if match is None:
            return None
        name = match.group("name")
        if name.strip("，, 的") in _NOT_TASKS:
            return None  # “一是基本支出 800万元；二是项目支出…”: the budget's parts, not tasks
        if not name.endswith("经费") and "经费支出" in entry[: match.end()]:
            name += "经费"
        task: dict[str, Any] = {"name": name, "spending": decimal_of(match.group("amount"))}
        text = entry[match.end() :].strip()
        if text:
            task["text"] = text
        task["sentence"] = entry[: match.end()].rstrip("，,")
        tasks.append(task)
    return tasks if len(tasks) >= 2 else None


# “业务岗位培训人数88人次，指标完成率为110%”: a name, perhaps an actual value and its unit, a rate.
_ACTUAL = re.compile(
    r"^(?P<name>[^\d]{2,40}?)(?P<about>约)?[ \u3000]{0,2}(?P<actual>\d{1,12}(?:\.\d{1,4})?)"
    r"[ \u3000]{0,2}(?P<unit>[\u4e00-\u9fff%]{1,3})?[ \u3000]{0,2}$"
)
_TARGET = re.compile(
    r"目标(?:值)?[为是：:]{0,2}[ \u3000]{0,2}(?P<sign>[≥≤>=<]{0,2})[ \u3000]{0,2}"
    r"(?P<value>\d{1,12}(?:\.\d{1,4})?)[ \u3000]{0,2}(?P<unit>[\u4e00-\u9fff%]{1,3})?"
)
_STATED_ACTUAL = re.compile(
    r"实际(?:值|完成)?[为是：:]{0,2}[ \u3000]{0,2}(?P<about>约?)[ \u3000]{0,2}"
    r"(?P<value>\d{1,12}(?:\.\d{1,4})?)[ \u3000]{0,2}(?P<unit>[\u4e00-\u9fff%]{1,3})?"
)
_INDICATOR_RATE = re.compile(
    r"(?:指标)?(?:完成率|完成指标率|达成率)[为是达：:]{0,2}[ \u3000]{0,2}(\d{1,5}(?:\.\d{1,2})?)[ \u3000]{0,2}[%％]"
)


_REASON_WORDS = ("原因", "由于")


def indicators_in(text: str, context: str) -> list[dict[str, Any]]:
    """Indicators stated as “name [target] [actual unit]，指标完成率为 X%”, clause by clause;
    only where the clause or its ``context`` (heading, lead-in) speaks of 指标."""
    found: list[dict[str, Any]] = []
    lead, colon, body = text.rpartition("：")
    body = body if colon else text
    context += lead
    clauses = [c.strip() for c in re.split(r"[，,；;。]", body)]
    for i, clause in enumerate(clauses):
        rate = _INDICATOR_RATE.search(clause)
        if rate is None or "预算" in clause or "指标" not in clause + context:
            continue
        described = clause[: rate.start()].strip() or (clauses[i - 1] if i > 0 else "")
        if not described or _INDICATOR_RATE.search(described):
            continue
        indicator = {"category": category_of(context), "rate": f"{rate.group(1)}%"}
        indicator |= _described(described)
        at = text.find(clause)
        indicator["sentence"] = sentence_at(text, at, at + len(clause))
        if Decimal(rate.group(1)) < 100:
            reason = _reason_after(text, at + len(clause))
            if reason is not None:
                indicator["reason"] = reason
        found.append(indicator)
    return found


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
    found["name"] = described[:name_end].rstrip("，,、（( ")
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
