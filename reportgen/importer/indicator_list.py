"""Indicators written as a list, each on two lines: its name (“（1）家庭医生签约服务人数”), then
its figures, each after its label (“目标值：≥45万人；实际完成值：46.8万人；完成率：104.00%；偏差原因：
无。”) — an indicator table's row in all but its layout, read as one."""

from __future__ import annotations

import itertools
import re

from reportgen.importer.labels import split_label

# “目标值：≥45万人”: a label and, up to the next label, its value
_FIELD = re.compile(
    r"(?:^|(?<=[；;，,。 \u3000]))(?P<label>[\u4e00-\u9fff]{0,6}?(?:目标|实际|完成率|原因)"
    r"[\u4e00-\u9fff]{0,3}?)[：:]"
)
_NAME_WIDTH = 40
_FIGURE = re.compile(r"\d")


def _fields(line: str) -> dict[str, str] | None:
    """The labelled figures of an indicator's line, by label; ``None`` for another line: it
    must start with the target and state the completion rate."""
    labels = list(_FIELD.finditer(line))
    if not labels or labels[0].start() != 0:
        return None
    ends = [m.start() for m in labels[1:]] + [len(line)]
    found = {
        m.group("label"): line[m.end() : end].strip(" \u3000；;，,。")
        for m, end in zip(labels, ends, strict=True)
    }
    names = list(found)
    if "目标" not in names[0]:
        return None
    if not any("完成率" in name for name in names):
        return None
    return found


def _name(line: str) -> str | None:
    """The indicator's name a line states alone, its list label (“（1）”, “1.”) left out."""
    split = split_label(line)
    name = (split.rest if split is not None else line).strip(" \u3000：:")
    if not name or len(name) > _NAME_WIDTH or _FIGURE.search(name):
        return None
    if any(mark in name for mark in "。；;，,：:"):
        return None
    return name


def listed_indicators(lines: list[str]) -> list[tuple[dict[str, str], str]]:
    """The indicators a list of ``lines`` states, each a line of its name and a line of its
    labelled figures, as rows by heading (指标名称, 目标值, 实际完成值, 完成率, 偏差原因), each
    with its two lines as the sentence it was read from."""
    rows: list[tuple[dict[str, str], str]] = []
    for above, line in itertools.pairwise(lines):
        fields = _fields(line)
        name = _name(above) if fields is not None else None
        if fields is not None and name is not None:
            rows.append(({"指标名称": name, **fields}, f"{above} {line}"))
    return rows
