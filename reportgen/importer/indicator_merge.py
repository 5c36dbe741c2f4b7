"""Indicators a report states in two places, as one: in the prose, an indicator's target and
actual value and, apart, its completion rate; the prose's indicators and an indicator table's
rows (read by ``indicator_table.py``)."""

from __future__ import annotations

from typing import Any


def name_key(name: str) -> str:
    """A name as two printings of it compare (pdftotext sets spaces between digits and words)."""
    return "".join(name.split())


def merge_indicators(
    prose: list[dict[str, Any]], table: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The prose's indicators completed by the table's (which states targets), table order kept."""
    by_name = {name_key(i["name"]): i for i in prose}
    merged = []
    for row in table:
        said = by_name.pop(name_key(row["name"]), None)
        if said is not None:
            row = {**said, **{k: v for k, v in row.items() if k not in {"sentence", "category"}}}
            if row.get("category") == "other" and said.get("category"):
                row["category"] = said["category"]
        merged.append(row)
    return merged + [i for i in prose if name_key(i["name"]) in by_name]


def rated_by_name(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``found`` with an indicator stated with its target and actual value but no rate (“培训
    人次目标500人次，实际完成520人次”) and one stated only with its rate (“培训人次完成率为
    104%”), of the same name, as one: where the first of them was said, with both sentences."""
    rated = {
        name_key(i["name"]): i
        for i in found
        if "rate" in i and "target" not in i and "actual" not in i and "problem" not in i
    }
    unrated = {
        name_key(i["name"]): i
        for i in found
        if "rate" not in i and "target" in i and "actual" in i and "problem" not in i
    }
    kept: list[dict[str, Any]] = []
    merged: set[str] = set()
    for indicator in found:
        key = name_key(indicator["name"])
        rate, figures = rated.get(key), unrated.get(key)
        if rate is None or figures is None or not (indicator is rate or indicator is figures):
            kept.append(indicator)
        elif key not in merged:  # the second of the two is merged into the first
            merged.add(key)
            kept.append(_merged(rate, figures, first=indicator))
    return kept


def _merged(
    rated: dict[str, Any], unrated: dict[str, Any], first: dict[str, Any]
) -> dict[str, Any]:
    """An indicator's rate and its target and actual value, said apart, as one."""
    then = unrated if first is rated else rated
    merged = rated | {k: v for k, v in unrated.items() if k not in {"sentence", "category"}}
    merged["sentence"] = f"{first['sentence']}……{then['sentence']}"
    merged["figures"] = [*first["figures"], *then["figures"]]
    if merged["category"] == "other":
        merged["category"] = unrated["category"]
    return merged


def without_a_rate(prose: list[dict[str, Any]], merged: list[dict[str, Any]]) -> str | None:
    """What the draft says of the prose's indicators that still have no completion rate once
    merged with a table's: none is written, and the report reportgen prints computes one."""
    said = {name_key(i["name"]) for i in prose if "rate" not in i}
    names = [i["name"] for i in merged if "rate" not in i and name_key(i["name"]) in said]
    if not names:
        return None
    return (
        f"指标{'、'.join(f'“{name}”' for name in names)}原文写了目标值和实际值，没有写完成率："
        "indicators 中未写 rate；生成的报告的指标表中印出按目标值、实际值计算的完成率，请核对"
    )
