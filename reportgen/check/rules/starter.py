"""What ``reportgen init`` wrote that is still in the file (R013): its example text prints as
if it were the department's, so each field still holding it is said, at its line.

The starter values are read from where ``init`` writes them from (``model.samples``), never
copied. What no department writes as it stands — the department's name, and the starter's
prose in the sections (第一项职能。, 措施的内容。, “主要工作成效”的内容。) — is said wherever it
stands in the sections. A value a real department may well hold too (a figure such as an initial
budget of 1000.00, a score of 95.5, a subsection title such as 预算管理, an intro, a sentence whose
figures come from the data, an indicator's name, the use of project spending) is said at the
place ``init`` wrote it only with evidence that the file is still the starter there: the
department's name is still the starter's, or every value of its group is still the starter's —
the budget, one indicator, one item's title and body. A group of one value (the score, an
intro) is no such evidence. A unit or an indicator's category qualifies a figure and is not said.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel

from reportgen.check.derive import Derived
from reportgen.check.rules.content import narrative_strings
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.findings import FieldPath, Finding, clip, warning
from reportgen.layout.outline import plan_of
from reportgen.layout.search import LayoutChoice
from reportgen.model.report import Report
from reportgen.model.samples import PREFACE_EXAMPLE, starter_data, starter_section

rules = RuleSet()

# In a section: a short label, said only with evidence; a block's selector (``indicators: all``)
# chooses rather than says anything.
_LABELS = frozenset({"title", "intro", "outro", "label"})
_SELECTORS = frozenset({"indicators", "key_tasks", "summary"})
# Of an indicator's values, these qualify its figures.
_QUALIFIERS = frozenset({"category", "unit"})
_QUOTED = 40  # characters of a text quoted in the message

_MISSING = object()


@dataclass(frozen=True)
class _Group:
    """Values the starter writes together at ``base``, by their paths under it: ``said`` those a
    finding may name, ``whole`` all of them. ``moves``: the group is the starter's wherever it
    stands in its list (an indicator), not only at ``base``."""

    base: FieldPath
    said: tuple[tuple[FieldPath, Any], ...]
    whole: tuple[tuple[FieldPath, Any], ...]
    reason: str  # why the whole group still holding the starter's values is evidence, in Chinese
    moves: bool = False


def _at(value: Any, path: FieldPath) -> Any:
    """The value at ``path`` of a model, or :data:`_MISSING`."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return _MISSING
            value = value[step]
        elif isinstance(value, BaseModel) and step in type(value).model_fields:
            value = getattr(value, step)
        else:
            return _MISSING
    return value


def _same(value: Any, starter: Any) -> bool:
    if isinstance(starter, Decimal):  # 1000 is the starter's 1000.00
        return isinstance(value, Decimal) and value == starter
    return type(value) is type(starter) and value == starter


def _holds(report: Report, base: FieldPath, values: tuple[tuple[FieldPath, Any], ...]) -> bool:
    return all(_same(_at(report, (*base, *path)), value) for path, value in values)


def _written(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every value written in ``value`` (a model validated from the starter), by its path."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name in value.model_fields_set:
                yield from _written(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _written(item, (*path, i))
    else:
        yield path, value


def _fact_group(value: BaseModel, base: FieldPath, reason: str, moves: bool = False) -> _Group:
    whole = tuple(_written(value))
    said = tuple((path, v) for path, v in whole if path[-1] not in _QUALIFIERS)
    return _Group(base, said, whole, reason, moves)


@cache
def _fact_groups(model: type[Report]) -> tuple[_Group, ...]:
    """The budget, the score and each indicator the starter writes, as ``model`` reads them."""
    starter = model.model_validate({k: v for k, v in starter_data().items() if k != "sections"})
    groups = [_fact_group(starter.budget, ("budget",), "预算各项都还是示例")]
    if starter.score is not None:
        groups.append(_fact_group(starter.score, ("score",), ""))
    groups += [
        _fact_group(indicator, ("indicators", i), "这一指标各项都还是示例", moves=True)
        for i, indicator in enumerate(starter.indicators)
    ]
    return tuple(groups)


def _strings(
    value: Any, path: FieldPath, item: FieldPath | None = None
) -> Iterator[tuple[FieldPath | None, FieldPath, str]]:
    """Every string of a section as the starter writes it (plain data) but its selectors, with
    its path and that of the innermost mapping (an item, a block) it stands in."""
    if isinstance(value, str):
        yield item, path, value
    elif isinstance(value, list):
        for i, entry in enumerate(value):
            yield from _strings(entry, (*path, i), item)
    elif isinstance(value, dict):
        for key, entry in value.items():
            if key not in _SELECTORS:
                yield from _strings(entry, (*path, key), path)


def _own_words(path: FieldPath, text: str) -> bool:
    """Whether the starter's ``text`` at ``path`` is prose no department writes as it stands:
    not a label (a title such as 预算管理), nor a sentence whose figures come from the data
    (预算执行率为${budget.execution_rate}。 is true of any department) unless it leaves a gap to
    fill in (根据《……》要求)."""
    if isinstance(path[-1], str) and path[-1] in _LABELS:
        return False
    return "${" not in text or "……" in text


@cache
def _section_starter(
    headings: tuple[tuple[str, str], ...], preface: str | None
) -> tuple[frozenset[str], tuple[_Group, ...]]:
    """For a layout whose sections are ``headings`` (key, heading) and whose preface is
    ``preface`` (its key): the prose the starter writes in the sections, and each of its other
    strings with the item it stands in (a title with its body), or alone."""
    sections: dict[str, Any] = dict(starter_data()["sections"])
    sections.update((key, starter_section(key, heading)) for key, heading in headings)
    if preface is not None:
        sections[preface] = PREFACE_EXAMPLE
    strings = [
        found for key, value in sections.items() for found in _strings(value, ("sections", key))
    ]
    texts = frozenset(text for _, path, text in strings if _own_words(path, text))
    groups = []
    for item, path, text in strings:
        if _own_words(path, text):
            continue
        base = path if item is None else item
        whole = tuple((p[len(base) :], t) for i, p, t in strings if i == item and item is not None)
        said = ((path[len(base) :], text),)
        groups.append(_Group(base, said, whole or said, "这一条的小标题和正文都还是示例"))
    return texts, tuple(groups)


def _outline(choice: LayoutChoice) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """The layout's sections as ``init --layout`` writes them — its own outline's, without the
    department's changes: each (key, heading), and its preface's key."""
    layout = choice.layout
    if layout is None or layout.outline is None:
        return (), None
    plan = plan_of(layout.outline)
    preface = plan.preface.key if plan.preface is not None else None
    return tuple((k, h) for k, h in plan.headings.items() if k != preface), preface


def _shown(value: Any) -> str:
    return f"“{clip(value, _QUOTED)}”" if isinstance(value, str) else ""


@rules.outline_rule(
    "R013",
    "reportgen init 写入的示例内容应改为本部门的：部门名称、各节的示例文字，以及看得出仍是示例的数据和小标题",
    examples=[
        Example("  goals: 提高财政资金使用效益。", "  goals: 部门整体支出绩效目标的内容。"),
        Example(
            "department: 广州市示例区财政局",
            f"department: {starter_data()['department']}",
            note="部门名称仍是示例，与示例相同的数据和小标题也就报出",
        ),
    ],
    fix="`reportgen init` 写出的部门名称、各节文字和各项数据都是示例，只为说明怎样填写："
    "逐项改为本部门的内容，不需要的条目删去。示例的说明文字（如“第一项职能。”“措施的内容。”）"
    "无论写在哪一节都会报出；数据、小标题和引用数据的句子（如年初预算 1000.00、小标题“预算管理”、"
    "“预算执行率为${budget.execution_rate}。”）本部门也可能恰好相同，所以只在部门名称还是示例，"
    "或同一组（预算各项、一个指标的各项、一条的小标题和正文）全都还是示例时报出。"
    "这是警告：报告照常生成，但会照样印出示例内容；`reportgen render --strict` 有警告时不生成。",
)
def starter_content(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    found: dict[FieldPath, Finding] = {}
    starter_name = starter_data()["department"]
    unnamed = report.department == starter_name
    if unnamed:
        found[("department",)] = _text(("department",), starter_name, "请改为本部门的名称")
    prose, labels = _section_starter(*_outline(choice))
    for path, text in narrative_strings(report):
        if text in prose and path not in found:
            found[path] = _text(path, text, "请改写为本部门的内容，不需要的删去")
    for group in (*_fact_groups(type(report)), *labels):
        for base, reason in _evidence(report, group, unnamed):
            for path, value in group.said:
                at = (*base, *path)
                if at not in found and _same(_at(report, at), value):
                    found[at] = warning(
                        "R013",
                        at,
                        f"{_shown(value)}仍是 reportgen init 写入的示例（{reason}），"
                        "会当作本部门的内容印入报告；请改为本部门的内容",
                        actual=value if isinstance(value, str) else str(value),
                    )
    yield from found.values()


def _evidence(report: Report, group: _Group, unnamed: bool) -> Iterator[tuple[FieldPath, str]]:
    """Where ``group``'s values are the starter's, with why: the whole group still holds them
    (anywhere in its list when it ``moves``), or at its own place the department's name is
    still the starter's."""
    bases = [group.base]
    if group.moves:
        listed = _at(report, group.base[:-1])
        bases += [
            (*group.base[:-1], i) for i in range(len(listed) if isinstance(listed, list) else 0)
        ]
    for base in dict.fromkeys(bases):
        if len(group.whole) > 1 and _holds(report, base, group.whole):
            yield base, group.reason
        elif unnamed and base == group.base:
            yield base, "部门名称也还是示例"


def _text(path: FieldPath, text: str, advice: str) -> Finding:
    return warning(
        "R013",
        path,
        f"{_shown(text)}仍是 reportgen init 写入的示例文字，会照样印入报告；{advice}",
        actual=text,
    )
