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
