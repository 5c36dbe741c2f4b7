"""A published 自评表 beside its report's draft, so ``audit`` checks both with the same rules."""

from __future__ import annotations

from pathlib import Path

import yaml

from reportgen.importer.pdf_table import pdf_table
from reportgen.importer.table_parse import PublishedTable, parse_table
from reportgen.importer.table_rows import table_rows
from reportgen.layout.search import LayoutSearch


def _profile_for(published: PublishedTable, layout: str) -> str | None:
    """The profile whose first-level blocks the table's are, when it is not the layout's own."""
    names = {block["name"] for block in published.data.get("indicators", [])}
    if not names:
        return None
    search = LayoutSearch.from_options()
    found = search.find(layout)
    own = found.outline.profile if found is not None and found.outline is not None else None
    best, overlap = None, 0
    for candidate in search.profiles():
        if candidate.profile is None:
            continue
        shared = len(names & set(candidate.profile.block_names))
        if shared > overlap:
            best, overlap = candidate.name, shared
    return best if best != (own or "district") else None


def _without_indicators(draft: str) -> str:
    """The draft without its flat ``indicators:``: the table's tree stands for them."""
    lines = draft.splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        top = line[:1] not in (" ", "#", "\n", "-", "")
        if top:
            skipping = line.startswith("indicators:")
        if not skipping:
            kept.append(line)
    return "".join(kept)


def read_table(path: Path) -> PublishedTable:
    """The published table at ``path`` (.xlsx, .docx or .pdf), with the rows of a PDF that
    could not be read with certainty."""
    if path.suffix.lower() == ".pdf" and path.is_file():
        found = pdf_table(path)
        published = parse_table(found.rows)
        published.unread = found.unread
        published.indicators_partial = found.indicators_partial
        return published
    return parse_table(table_rows(path))


def with_table(draft: str, path: Path, layout: str) -> tuple[str, PublishedTable]:
    """The report's draft with the published table at ``path`` as its ``table:``."""
    published = read_table(path)
    data = dict(published.data)
    profile = _profile_for(published, layout)
    if profile is not None:
        data = {"profile": profile, **data}
    if "indicators" in data:
        draft = _without_indicators(draft)
    if not data:
        return draft, published
    block = yaml.safe_dump({"table": data}, allow_unicode=True, sort_keys=False, width=1000)
    return f"{draft.rstrip()}\n\n# 自评表：读自 {path.name}\n{block}", published
