"""Old-style indicators (a flat list with a category) placed in a profile's indicator tree:
一级 and 二级 by the category and the indicator's name, as far as they tell."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportgen.importer.assemble import Imported
from reportgen.importer.facts import TO_FILL
from reportgen.layout.profile import DEFAULT_PROFILE, BlockSpec, Profile
from reportgen.layout.search import LayoutSearch

# Words in an indicator's name that say which 二级指标 of the national frame it belongs to.
_GROUP_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("成本", "费用", "经费", "单价"), "成本指标"),
    (("及时", "时效", "时限", "按时", "时长", "天内", "周期"), "时效指标"),
    (("率", "合格", "质量", "达标", "准确"), "质量指标"),
    (("经济",), "经济效益指标"),
    (("生态", "环境", "节能"), "生态效益指标"),
    (("可持续", "长效", "机制"), "可持续影响指标"),
)
_CATEGORY_WORDS = {"output": "产出", "outcome": "效益", "satisfaction": "满意", "other": ""}


def _group_in(spec: BlockSpec, category: str, name: str) -> str:
    """The 二级指标 of ``spec`` an indicator goes in: named by its category, else by a word of
    its name, else the block's first (or the block's own name when it lists none)."""
    word = _CATEGORY_WORDS.get(category, "")
    for group in spec.groups:
        if word and word in group:
            return group
    for words, group in _GROUP_HINTS:
        if group in spec.groups and any(w in name for w in words):
            return group
    return spec.groups[0] if spec.groups else spec.name


def place(category: str, name: str, profile: Profile) -> tuple[str, str]:
    """(一级, 二级) for an indicator of ``category`` named ``name`` under ``profile``. A
    report's indicators are mostly its outputs: one whose kind it does not say (other) is
    placed with them, for the clerk to check."""
    if category == "other":
        category = "output"
    for spec in profile.blocks:
        if spec.category == category:
            return spec.name, _group_in(spec, category, name)
    word = _CATEGORY_WORDS.get(category, "")
    for spec in profile.blocks:
        if word and any(word in group for group in spec.groups):
            return spec.name, _group_in(spec, category, name)
    first = profile.blocks[0]
    return first.name, _group_in(first, category, name)


def indicator_tree(
    indicators: Sequence[Mapping[str, Any]], profile: Profile
) -> list[tuple[str, list[tuple[str, list[Mapping[str, Any]]]]]]:
    """The indicators grouped as 一级 → 二级 → 三级, blocks in the profile's order and the
    indicators in their own."""
    placed: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for indicator in indicators:
        block, group = place(
            str(indicator.get("category", "output")), str(indicator["name"]), profile
        )
        placed.setdefault(block, {}).setdefault(group, []).append(indicator)
    order = {name: i for i, name in enumerate(profile.block_names)}
    return [
        (block, list(groups.items()))
        for block, groups in sorted(placed.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


def tree_lines(
    imported: Imported,
    next_year: int | None,
    scalar: Callable[[object], str],
    comment: Callable[[str], str],
) -> list[str] | None:
    """The draft's ``table:`` with the indicators placed by the layout's profile; what the
    report does not say (分值) is 待填写. ``None`` when the profile cannot be read."""
    indicators = imported.facts.indicators
    if not indicators:
        return []
    search = LayoutSearch.from_options()
    layout = search.find(imported.mapping.layout)
    outline = layout.outline if layout is not None else None
    name = outline.profile if outline is not None and outline.profile else DEFAULT_PROFILE
    found = search.profile(name)
    if found is None or found.profile is None:
        return None
    lines = [f"table:  # 自评表：指标按评分方案“{name}”归入一级、二级指标，请核对", "  indicators:"]
    for block, groups in indicator_tree(indicators, found.profile):
        lines += [f"    - name: {scalar(block)}", "      items:"]
        for group, items in groups:
            lines += [f"        - name: {scalar(group)}", "          items:"]
            for indicator in items:
                lines += _leaf(indicator, next_year, scalar, comment)
    return [*lines, ""]


def _leaf(
    indicator: Mapping[str, Any],
    next_year: int | None,
    scalar: Callable[[object], str],
    comment: Callable[[str], str],
) -> list[str]:
    pad = " " * 14
    lines = [
        f"{pad[:-2]}- name: {scalar(indicator['name'])}  # 原文：“{comment(str(indicator['sentence']))}”"
    ]
    if "target" in indicator:
        lines.append(f"{pad}sign: {'≤' if indicator.get('direction') == 'negative' else '≥'}")
    for key in ("target", "actual"):
        if key in indicator:
            value = TO_FILL if next_year and key == "actual" else scalar(indicator[key])
            lines.append(f"{pad}{key}: {value}")
    if "unit" in indicator:
        lines.append(f"{pad}unit: {scalar(indicator['unit'])}")
    if indicator.get("approximate"):
        lines.append(f"{pad}approximate: true")
    if "max_score" in indicator:
        lines.append(f"{pad}weight: {scalar(indicator['max_score'])}")
    else:
        lines.append(f"{pad}weight: {TO_FILL}  # 原文没有分值")
    if "score" in indicator:
        lines.append(f"{pad}score: {TO_FILL if next_year else scalar(indicator['score'])}")
    if "rate" in indicator:
        lines.append(f"{pad}# 原文完成率 {indicator['rate']}（由程序计算，不再写）")
    if "reason" in indicator:
        lines.append(f"{pad}reason: {scalar(indicator['reason'])}")
    return lines
