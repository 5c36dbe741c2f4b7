"""Starting points for a new data file: the starter (in a layout, with a blank 自评表 laid out
by a scoring profile if asked), the worked example with its 自评表, last year's report."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reportgen.docs.json_schema import SCHEMA_LINE
from reportgen.docs.starter import table_example
from reportgen.errors import ReportgenError, UsageError
from reportgen.findings import Finding
from reportgen.importer import import_file
from reportgen.layout.outline import untitled
from reportgen.layout.profile import DEFAULT_PROFILE, Profile
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.model.samples import STARTER
from reportgen.serve.edit import Edit, apply_edit
from reportgen.serve.workspace import Workspace
from reportgen.serve.yaml_text import scalar_text

IMPORT_SUFFIXES = (".docx", ".pdf", ".txt")
STARTS = ("starter", "example")  # the blank starter; the worked example with its 自评表


@dataclass(frozen=True)
class Started:
    name: str
    notes: list[str]  # what the clerk still has to check or fill in (import's notes)
    findings: list[Finding]


@dataclass(frozen=True)
class Choice:
    """What the new-file dialog chose: the layout (``""``: the starting point's own), whether the
    file has a 自评表, and its scoring profile (``""``: the layout's)."""

    layout: str = ""
    table: bool = False
    profile: str = ""


def starter_text(layout: str, search: LayoutSearch) -> str:
    """The commented starter in ``layout``; for a layout other than the default, its sections
    are those the layout's outline prints, each left empty under its heading."""
    text = SCHEMA_LINE + STARTER.read_text(encoding="utf-8")
    if layout == DEFAULT_LAYOUT:
        return text
    found = search.find(layout)
    if found is None or found.outline is None:
        raise UsageError(search.unknown(layout))
    text = apply_edit(text, Edit("set", ("layout",), layout))
    head, _, _ = text.partition("\nsections:")
    lines = [f"{head}\n", "sections:                  # 各节正文：在冒号后填写，或在表单中填写"]
    preface = found.outline.preface
    if preface is not None:
        lines.append(f"  {scalar_text(preface.key, 4)}:    # {untitled(preface.name)}")
    for chapter in found.outline.chapters:
        parts = [(s.key, s.heading) for s in chapter.sections] or [(chapter.key, chapter.heading)]
        lines += [f"  {scalar_text(key, 4)}:    # {heading}" for key, heading in parts]
    return "\n".join(lines) + "\n"


def _profile(choice: Choice, search: LayoutSearch) -> tuple[str, Profile]:
    """The profile the 自评表 is scored by: the one chosen, else the layout's."""
    name = choice.profile
    if not name:
        found = search.find(choice.layout or DEFAULT_LAYOUT)
        outline = found.outline if found is not None else None
        name = outline.profile if outline is not None and outline.profile else ""
    name = name or DEFAULT_PROFILE
    profile = search.profile(name)
    if profile is None:
        names = "、".join(p.name for p in search.profiles())
        raise UsageError(f"未知的评分方案“{name}”；可用的评分方案：{names}")
    if profile.profile is None:
        raise UsageError(f"评分方案 {name} 有错误（运行 reportgen profile list 查看）")
    return name, profile.profile


def table_text(choice: Choice, search: LayoutSearch) -> str:
    """A blank 自评表 (``table:``) whose first-level indicators are the profile's blocks, each
    with one second- and one third-level indicator to fill in; nothing is filled in for the
    clerk (validate asks for each value)."""
    name, profile = _profile(choice, search)
    named = f"  profile: {scalar_text(name, 4)}" if choice.profile else f"  # profile: {name}"
    lines = [
        "table:                     # 部门整体支出绩效自评表（说明见 docs/table.md）",
        f"{named:<29}# 评分方案：{profile.label}",
        "  supervisor:               # 主管部门",
        "  contact:                  # 联系人",
        "  phone:                    # 联系电话",
        "  goals:                    # 年度总体目标与完成情况",
        "    - planned:              # 年度目标",
        "      actual:               # 实际完成情况",
        "  indicators:               # 绩效指标：一级 → 二级 → 三级",
    ]
    for block in profile.blocks:
        hint = f"，如 {'、'.join(block.groups[:3])}" if block.groups else ""
        lines += [
            f"    - name: {scalar_text(block.name, 8)}".ljust(29)
            + f"# 一级指标（{block.weight} 分）",
            "      items:",
            f"        - name:             # 二级指标{hint}",
            "          items:",
            "            - name:         # 三级指标",
            "              target:       # 年度指标值",
            "              actual:       # 实际完成值",
            "              unit:         # 计量单位",
            "              weight:       # 分值",
        ]
    return "\n".join(lines) + "\n"


def new_text(start: str, choice: Choice, search: LayoutSearch) -> str:
    """The text of a new file from ``start`` (one of :data:`STARTS`) as ``choice`` says."""
    if start == "example":
        text = SCHEMA_LINE + table_example().read_text(encoding="utf-8")
        if choice.layout:
            if search.find(choice.layout) is None:
                raise UsageError(search.unknown(choice.layout))
            text = apply_edit(text, Edit("set", ("layout",), choice.layout))
        if choice.profile:
            _profile(choice, search)
            text = apply_edit(text, Edit("set", ("table", "profile"), choice.profile))
        return text
    if start != "starter":
        raise UsageError(f"未知的起点：{start}")
    text = starter_text(choice.layout or DEFAULT_LAYOUT, search)
    if not choice.table:
        if choice.profile:
            raise UsageError("评分方案用于自评表：请同时选择“附自评表”")
        return text
    head, sections, tail = text.partition("\nsections:")
    return f"{head.rstrip()}\n\n{table_text(choice, search)}{sections}{tail}"


def new_file(
    workspace: Workspace, name: str, start: str, choice: Choice, search: LayoutSearch
) -> Started:
    """Create ``name`` from ``start``; an existing file is never replaced."""
    workspace.path(name)  # a name refused is said before the text is made
    return Started(workspace.create(name, new_text(start, choice, search)), [], [])


def import_upload(
    workspace: Workspace,
    filename: str,
    content: bytes,
    name: str,
    search: LayoutSearch,
    choice: Choice | None = None,
    year: int | None = None,
) -> Started:
    """Draft ``name`` from an uploaded published report (``filename`` says its kind); with
    ``choice.table`` its indicators become the 自评表's tree (``import --table``)."""
    choice = choice or Choice()
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise UsageError(f"{filename}：只能导入 {'、'.join(IMPORT_SUFFIXES)} 文件")
    if choice.profile and not choice.table:
        raise UsageError("评分方案用于自评表：请同时选择“附自评表”")
    if choice.profile:
        _profile(choice, search)
    if year is not None and not 2000 <= year <= 2100:  # as import --year; said as the page asks
        raise UsageError(f"为哪一年起草：{year} 年不在 2000 到 2100 年之间")
    target = workspace.path(name)
    if workspace.exists(target):
        raise UsageError(f"{name} 已存在，为免覆盖未做任何修改；请换一个文件名")
    with tempfile.TemporaryDirectory(prefix="reportgen-upload-") as folder:
        source = Path(folder) / f"上传的报告{suffix}"
        source.write_bytes(content)
        draft = Path(folder) / "草稿.yaml"
        try:
            outcome = import_file(
                source,
                draft,
                layout=choice.layout or None,
                next_year=year,
                table=choice.table,
                search=search,
            )
        except ReportgenError as exc:  # named by the clerk's file, not the temporary copy
            shown = PurePosixPath(filename.replace("\\", "/")).name
            exc.args = (str(exc).replace(str(source), shown),)
            raise
        text = draft.read_text(encoding="utf-8")
    if choice.profile:
        text = apply_edit(text, Edit("set", ("table", "profile"), choice.profile))
    created = workspace.create(name, text)
    notes = [*outcome.unfinished, *outcome.imported.notes]
    return Started(created, notes, outcome.findings)
