"""Form edits written into the YAML text: only the changed value moves, comments and order stay."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from reportgen.read.loader import load_text
from reportgen.serve.edit import Edit, EditError, apply_edit
from tests.conftest import EXAMPLES

STARTER = (
    Path(__file__).resolve().parents[1] / "reportgen" / "samples" / "starter.yaml"
).read_text(encoding="utf-8")
SMALL = "a:   # top\n  - x\n  - y   # why\nb: 1  # one\nc:\n  d: 2\nf: [1, 2]\ng: {x: 1}\n"


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize(
    ("text", "edit", "diff"),
    [
        # a figure keeps its comment and its digits exactly as typed
        (
            STARTER,
            Edit("set", ("budget", "initial"), "1200.50"),
            ["-  initial: 1000.00         # 年初预算", "+  initial: 1200.50         # 年初预算"],
        ),
        # a key the file lacks goes at the end of its mapping, at its indentation
        (STARTER, Edit("set", ("budget", "adjusted"), "1300"), ["+  adjusted: 1300"]),
        # and its parents are made
        (
            STARTER,
            Edit("set", ("budget", "income", "total"), "900"),
            ["+  income:", "+    total: 900"],
        ),
        # text YAML would read otherwise is quoted
        (
            STARTER,
            Edit("set", ("department",), "a: b # c"),
            ["-department: 广州市某某区某某局", '+department: "a: b # c"'],
        ),
        (
            STARTER,
            Edit("set", ("department",), "null"),
            ["-department: 广州市某某区某某局", '+department: "null"'],
        ),
        # several lines become a literal block at the right indentation
        (
            STARTER,
            Edit("set", ("sections", "goals"), "第一行\n第二行"),
            [
                "-  goals: 部门整体支出绩效目标的内容。",
                "+  goals: |-",
                "+    第一行",
                "+    第二行",
            ],
        ),
        # emptied: the key stays (with its comment), its value goes
        (
            STARTER,
            Edit("set", ("budget", "expenditure", "project", "purpose"), None),
            ["-      purpose: 业务工作经费  # 主要用途", "+      purpose:  # 主要用途"],
        ),
        (
            STARTER,
            Edit("insert", ("indicators",), {"name": "新指标", "category": "output"}, 1),
            ["+  - name: 新指标", "+    category: output"],
        ),
        (
            STARTER,
            Edit("remove", ("budget", "expenditure", "basic", "personnel")),
            ["-      personnel: 600.00    # 人员经费"],
        ),
        # the last item removed: an empty list, the key's comment kept
        (
            STARTER,
            Edit("remove", ("indicators", 0)),
            [
                "-indicators:                # 绩效指标（可删除）",
                "-  - name: 完成重点工作事项",
                "-    category: output       # output 产出 | outcome 效益 | satisfaction 满意度",
                "-    target: 20",
                "-    actual: 20",
                "-    unit: 项",
                "+indicators: []                # 绩效指标（可删除）",
            ],
        ),
        # the first key of an item shares the item's line
        (
            STARTER,
            Edit("remove", ("indicators", 0, "name")),
            [
                "-  - name: 完成重点工作事项",
                "-    category: output       # output 产出 | outcome 效益 | satisfaction 满意度",
                "+  - category: output       # output 产出 | outcome 效益 | satisfaction 满意度",
            ],
        ),
        (
            SMALL,
            Edit("move", ("a", 1), None, 0),
            ["+  - y   # why", "-  - y   # why"],
        ),
        (
            SMALL,
            Edit("set", ("b",), ["p", "q"]),
            ["-b: 1  # one", "+b:  # one", "+  - p", "+  - q"],
        ),
        (SMALL, Edit("set", ("c",), "5"), ["-c:", "-  d: 2", "+c: 5"]),
        # flow collections are written again in flow style
        (SMALL, Edit("insert", ("f",), "z", 2), ["-f: [1, 2]", "+f: [1, 2, z]"]),
        (SMALL, Edit("set", ("g", "y"), "a, b"), ["-g: {x: 1}", '+g: {x: 1, y: "a, b"}']),
    ],
)
def test_edit_changes_only_its_value(text: str, edit: Edit, diff: list[str]) -> None:
    after = apply_edit(text, edit)
    assert changed_lines(text, after) == diff


def test_moved_item_keeps_its_lines_and_the_others_stay() -> None:
    after = apply_edit(STARTER, Edit("move", ("sections", "effectiveness", 0), None, 1))
    assert load_text(after, "x").data["sections"]["effectiveness"] == [
        {"indicators": "all", "intro": "绩效指标完成情况："},
        "${year}年，部门较好地完成了年度工作任务。",
    ]
    assert sorted(after.splitlines()) == sorted(STARTER.splitlines())


def test_broken_yaml_is_refused_with_a_reason() -> None:
    with pytest.raises(EditError, match="YAML 文本有错误"):
        apply_edit("a: [1,\n", Edit("set", ("a",), "1"))


def test_a_path_that_is_not_there_is_refused() -> None:
    with pytest.raises(EditError, match="数据中没有 indicators\\[5\\]"):
        apply_edit(STARTER, Edit("remove", ("indicators", 5)))


def _leaves(value: Any, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_kind_of_value_in_the_examples_can_be_edited(example: Path) -> None:
    """Set a sample of the leaves of each published example to a figure, a sentence and two
    lines: every edit is checked inside apply_edit (the data is the old data with that change),
    and no comment line is lost."""
    text = example.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    leaves = _leaves(load_text(text, "x").data, ())
    for path in leaves[:: max(1, len(leaves) // 12)]:
        for value in ("1,234.50", "第一句：有冒号 # 和井号", "第一行\n  第二行缩进"):
            after = apply_edit(text, Edit("set", path, value))
            kept = [line for line in after.splitlines() if line.lstrip().startswith("#")]
            assert kept == comments, path


# A file as a clerk (or last year's colleague) may have written it: comments everywhere, flow
# collections on one line and over several, quoted strings of each kind, blank lines, CRLF-free.
RICH = """\
# 2024年度 某某局   （文件头注释）

year: 2024          # 年度
department: '某某局'   # 单引号
layout: "default"

budget:
  initial: 1000.00    # 年初预算

  adjusted: 1100.00   # 调整后
  execution_rate: "98.5%"
indicators:
  - {name: "完成重点工作事项", category: output, target: 20, actual: 20, unit: 项}   # 一行
  - name: 满意度
    category: satisfaction
    target: [90, "%"]
previous:
  figures: {budget.expenditure.total: 1829.4, "budget.execution_rate": '99.63%'}  # 上年
outline:
  headings: {
    goals: "一、部门整体支出绩效目标",   # 改写
    # 中间的注释
    effectiveness: 二、绩效目标完成情况
  }
tags: [甲, '乙', "丙"]   # 流式列表

# 文件尾注释
"""


def test_a_changed_figure_leaves_every_other_byte_alone() -> None:
    after = apply_edit(RICH, Edit("set", ("budget", "initial"), "1200.50"))
    assert after == RICH.replace("initial: 1000.00", "initial: 1200.50")


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        # an item of a flow sequence: only its characters change
        (Edit("set", ("tags", 1), "丁"), "'乙'", "丁"),
        (Edit("insert", ("tags",), "戊", 1), "[甲, ", "[甲, 戊, "),
        (Edit("insert", ("tags",), "戊", 3), '"丙"]', '"丙", 戊]'),
        (Edit("remove", ("tags", 0)), "[甲, '乙'", "['乙'"),
        (Edit("remove", ("tags", 2)), ', "丙"]', "]"),
        (Edit("move", ("tags", 2), None, 0), "[甲, '乙', \"丙\"]", "[\"丙\", 甲, '乙']"),
        # a whole flow list set from the form stays a flow list
        (Edit("set", ("tags",), ["a", "b c"]), "[甲, '乙', \"丙\"]", "[a, b c]"),
        # a flow mapping over several lines keeps its lines and its comments
        (
            Edit("set", ("outline", "headings", "effectiveness"), "二、完成情况"),
            "effectiveness: 二、绩效目标完成情况",
            "effectiveness: 二、完成情况",
        ),
        (
            Edit("rename", ("outline", "headings", "goals"), "costs"),
            "    goals: ",
            "    costs: ",
        ),
        (
            Edit("set", ("previous", "figures", "score.total"), "95"),
            "'99.63%'}",
            "'99.63%', score.total: 95}",
        ),
        (
            Edit("remove", ("previous", "figures", "budget.expenditure.total")),
            "{budget.expenditure.total: 1829.4, ",
            "{",
        ),
        (Edit("set", ("indicators", 0, "actual"), "19"), "actual: 20,", "actual: 19,"),
        (Edit("set", ("indicators", 1, "target", 0), "95"), "[90,", "[95,"),
        # a key of a block mapping renamed: its value and comment stay
        (Edit("rename", ("budget", "adjusted"), "final"), "  adjusted: 1100", "  final: 1100"),
    ],
)
def test_flow_collections_stay_flow_and_the_rest_byte_for_byte(
    edit: Edit, old: str, new: str
) -> None:
    assert RICH.count(old) == 1
    assert apply_edit(RICH, edit) == RICH.replace(old, new)


def test_rename_refuses_a_name_already_there_or_empty() -> None:
    with pytest.raises(EditError, match="已有名为“initial”的一项"):
        apply_edit(RICH, Edit("rename", ("budget", "adjusted"), "initial"))
    with pytest.raises(EditError, match="名称不能为空"):
        apply_edit(RICH, Edit("rename", ("budget", "adjusted"), " "))
