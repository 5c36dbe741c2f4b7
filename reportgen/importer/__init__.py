"""``reportgen import``: a published report (.docx, .txt, .pdf) → a commented YAML draft."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.check.validate import validate_text
from reportgen.errors import UsageError
from reportgen.findings import Finding, format_path
from reportgen.importer.assemble import Imported, import_report
from reportgen.importer.draft import draft_text, write_new
from reportgen.importer.facts import TO_FILL
from reportgen.importer.outline import layout_outlines, searching
from reportgen.layout.search import LayoutSearch


@dataclass(frozen=True)
class ImportOutcome:
    target: Path
    imported: Imported
    findings: list[Finding]  # what ``validate`` says about the draft as written
    unfinished: list[str]  # why the draft is not yet a report's data (exit 1), in Chinese


def _line_of(finding: Finding) -> str:
    line = finding.location.line if finding.location else None
    return f"第 {line} 行" if line else "草稿中"


def default_target(source: Path) -> Path:
    return source.with_suffix(".yaml")


def import_file(
    source: Path,
    target: Path | None = None,
    *,
    layout: str | None = None,
    next_year: int | None = None,
    table: bool = False,
    search: LayoutSearch | None = None,
) -> ImportOutcome:
    """Import ``source`` and write its draft to ``target`` (a new file); raises
    :class:`UsageError` (exit 2) when the source cannot be read or the target already exists.
    The layouts are those ``search`` finds (``--templates``)."""
    search = search or LayoutSearch.from_options()
    with searching(search):
        return _import_file(source, target, layout, next_year, table, search)


def _import_file(
    source: Path,
    target: Path | None,
    layout: str | None,
    next_year: int | None,
    table: bool,
    search: LayoutSearch,
) -> ImportOutcome:
    if layout is not None and layout not in layout_outlines():
        raise UsageError(search.unknown(layout))
    if next_year is not None and not 2000 <= next_year <= 2100:
        raise UsageError(f"--year {next_year}：年度应在 2000 到 2100 之间")
    target = target or default_target(source)
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise UsageError(f"{target}: 草稿文件名应以 .yaml 结尾")
    imported = import_report(source, layout, next_year)
    text = draft_text(imported, next_year, table)
    write_new(target, text)
    findings = validate_text(text, str(target), search).findings
    unfinished = []
    if not imported.chapters:
        unfinished.append("没有找到“一、”这样的一级标题，正文未能分节")
    missing = [f for f in findings if TO_FILL in f.message]
    if missing and next_year is None:  # a next-year draft asks for every figure on purpose
        where = "、".join(f"{format_path(f.path)}（{_line_of(f)}）" for f in missing[:5])
        more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
        unfinished.append(f"原文中没有找到数据必须有的数：{where}{more}，草稿中写作“{TO_FILL}”")
    return ImportOutcome(target, imported, findings, unfinished)


__all__ = ["ImportOutcome", "Imported", "default_target", "import_file", "import_report"]
