"""Starting points for a new data file: the starter, a layout's outline, last year's report."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reportgen.docs.json_schema import SCHEMA_LINE
from reportgen.errors import UsageError
from reportgen.findings import Finding
from reportgen.importer import import_file
from reportgen.importer.draft import write_new
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.model.samples import STARTER
from reportgen.serve.edit import Edit, apply_edit
from reportgen.serve.workspace import Workspace
from reportgen.serve.yaml_text import scalar_text

IMPORT_SUFFIXES = (".docx", ".pdf", ".txt")


@dataclass(frozen=True)
class Started:
    name: str
    notes: list[str]  # what the clerk still has to check or fill in (import's notes)
    findings: list[Finding]


def starter_text(layout: str, search: LayoutSearch) -> str:
    """The commented starter in ``layout``; for a layout other than the default, its sections
    are those the layout's outline prints, each left empty under its heading."""
    text = SCHEMA_LINE + STARTER.read_text(encoding="utf-8")
    if layout == DEFAULT_LAYOUT:
        return text
    found = search.find(layout)
    if found is None or found.outline is None:
        raise UsageError(f"未知的版式“{layout}”；可用的版式：{'、'.join(search.names())}")
    text = apply_edit(text, Edit("set", ("layout",), layout))
    head, _, _ = text.partition("\nsections:")
    lines = [f"{head}\n", "sections:                  # 各节正文：在冒号后填写，或在表单中填写"]
    for chapter in found.outline.chapters:
        parts = [(s.key, s.heading) for s in chapter.sections] or [(chapter.key, chapter.heading)]
        lines += [f"  {scalar_text(key, 4)}:    # {heading}" for key, heading in parts]
    return "\n".join(lines) + "\n"


def new_file(workspace: Workspace, name: str, layout: str, search: LayoutSearch) -> Started:
    """Create ``name`` from the starter in ``layout``; an existing file is never replaced."""
    target = workspace.path(name)
    write_new(target, starter_text(layout, search))
    return Started(workspace.name_of(target), [], [])


def import_upload(
    workspace: Workspace,
    filename: str,
    content: bytes,
    name: str,
    layout: str | None = None,
    year: int | None = None,
) -> Started:
    """Draft ``name`` from an uploaded published report (``filename`` says its kind)."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise UsageError(f"{filename}：只能导入 {'、'.join(IMPORT_SUFFIXES)} 文件")
    target = workspace.path(name)
    with tempfile.TemporaryDirectory(prefix="reportgen-upload-") as folder:
        source = Path(folder) / f"上传的报告{suffix}"
        source.write_bytes(content)
        outcome = import_file(source, target, layout=layout or None, next_year=year)
    return Started(workspace.name_of(target), list(outcome.imported.notes), outcome.findings)
