"""How many entries a department's data may hold: indicators, sections, paragraphs of text and
the items of any one list, counted on the plain data as soon as the file is read, before a model
or a rule sees it. A report has a few dozen indicators, a dozen sections and a few hundred
paragraphs; a file of 10,000 indicators is refused at once (E013) instead of being checked and
rendered for minutes until the template's limit on text stops it."""

from __future__ import annotations

from typing import Any

from reportgen.findings import FieldPath, Finding, file_finding
from reportgen.read.loader import Document

MAX_INDICATORS = 500  # indicators: (the 76 example and test data files: at most 8)
MAX_SECTIONS = 200  # keys of sections:, outline.extra_sections (as a layout; the examples: 10)
MAX_PARAGRAPHS = 5_000  # pieces of text under sections: in all (the examples: at most 58)
MAX_LIST_ITEMS = 1_000  # items of any one list (the examples: at most 14)


def _texts(value: Any) -> int:
    """How many pieces of text ``value`` holds (its paragraphs, items, titles …)."""
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            count += 1
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return count


def _longest_list(data: Any) -> tuple[FieldPath, int] | None:
    """The first list (in the file's order) holding more than MAX_LIST_ITEMS items."""
    pending: list[tuple[FieldPath, Any]] = [((), data)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, list):
            if len(item) > MAX_LIST_ITEMS:
                return path, len(item)
            pending.extend(reversed([((*path, i), v) for i, v in enumerate(item)]))
        elif isinstance(item, dict):
            pending.extend(reversed([((*path, str(k)), v) for k, v in item.items()]))
    return None


def count_findings(doc: Document) -> list[Finding]:
    """E013 for each count of ``doc``'s data past its limit (none: all within)."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    found: list[tuple[FieldPath, str]] = []
    indicators = data.get("indicators")
    if isinstance(indicators, list) and len(indicators) > MAX_INDICATORS:
        found.append(
            (
                ("indicators",),
                f"指标（indicators）有 {len(indicators):,} 个，上限为 {MAX_INDICATORS} 个；"
                "一份自评报告的绩效指标通常只有几十个",
            )
        )
    sections = data.get("sections")
    if isinstance(sections, dict):
        if len(sections) > MAX_SECTIONS:
            found.append(
                (
                    ("sections",),
                    f"正文的节（sections）有 {len(sections):,} 个，上限为 {MAX_SECTIONS} 个",
                )
            )
        paragraphs = _texts(sections)
        if paragraphs > MAX_PARAGRAPHS:
            found.append(
                (
                    ("sections",),
                    f"正文（sections）共有 {paragraphs:,} 段文字，上限为 {MAX_PARAGRAPHS:,} 段；"
                    "一份自评报告通常只有几百段",
                )
            )
    outline = data.get("outline")
    extra = outline.get("extra_sections") if isinstance(outline, dict) else None
    if isinstance(extra, list) and len(extra) > MAX_SECTIONS:
        found.append(
            (
                ("outline", "extra_sections"),
                f"本部门增加的节（outline.extra_sections）有 {len(extra):,} 个，"
                f"上限为 {MAX_SECTIONS} 个",
            )
        )
    longest = _longest_list(data)
    if longest is not None and longest[0] != ("indicators",):
        path, size = longest
        shown = ".".join(str(p) for p in path) or "顶层"
        found.append((path, f"列表 {shown} 有 {size:,} 项，一个列表的上限为 {MAX_LIST_ITEMS:,} 项"))
    findings = []
    for path, message in found:
        place = doc.locate(path, key=True)
        line, column = place.line or 1, place.column or 1
        findings.append(file_finding(doc.file, "E013", f"{message}，已停止校验", line, column))
    return findings
