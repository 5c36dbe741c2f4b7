"""Layouts: folders holding a .docx template and its outline, found on a search path."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from reportgen.errors import FileSystemError, UsageError
from reportgen.findings import Finding, Location, Severity, did_you_mean
from reportgen.layout.outline import OUTLINE_FILE, Outline, Plan, load_outline
from reportgen.layout.profile import (
    DEFAULT_PROFILE,
    ProfileFile,
    all_profiles,
    open_profile,
)
from reportgen.layout.resolve import resolve
from reportgen.model.outline_changes import OutlineChanges

TEMPLATE_FILE = "template.docx"
TABLE_FILE = "table.docx"  # the 自评表's template; a layout without one uses the default's
DEFAULT_LAYOUT = "default"
ENVIRONMENT = "REPORTGEN_TEMPLATES"
BUILTIN = "内置"


def templates_dir() -> Path:
    """The built-in layouts: shipped in the wheel, or ``templates/`` of a source checkout."""
    packaged = Path(str(resources.files("reportgen"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Layout:
    """One layout folder: ``template.docx`` and ``outline.yaml``."""

    name: str
    folder: Path
    origin: str  # the folder it was found in, or BUILTIN
    outline: Outline | None
    problems: tuple[Finding, ...] = ()

    @property
    def template(self) -> Path:
        return self.folder / TEMPLATE_FILE

    @property
    def table_template(self) -> Path:
        """The layout's own 自评表 template, else the built-in default layout's. Whatever is
        named ``table.docx`` is the layout's own (a folder or a dangling link is refused when
        read), never silently replaced by the default."""
        own = self.folder / TABLE_FILE
        return own if os.path.lexists(own) else templates_dir() / DEFAULT_LAYOUT / TABLE_FILE

    @property
    def label(self) -> str:
        return self.outline.label if self.outline is not None else "（大纲有错误）"


def load_layout(folder: Path, origin: str) -> Layout:
    """The layout in ``folder``; problems with its files are findings, located where possible."""
    problems: list[Finding] = []
    outline: Outline | None = None
    outside = [name for name in (TEMPLATE_FILE, OUTLINE_FILE) if _leads_out(folder, name)]
    for name in outside:
        problems.append(
            _missing(
                folder,
                f"版式文件夹中的 {name} 是指向文件夹之外的符号链接，未读取；"
                "版式的文件须放在版式文件夹之中",
            )
        )
    if outside:
        return Layout(folder.name, folder, origin, None, tuple(problems))
    if not (folder / TEMPLATE_FILE).is_file():
        problems.append(_missing(folder, f"版式文件夹中没有模板 {TEMPLATE_FILE}"))
    if (folder / OUTLINE_FILE).is_file():
        outline, found = load_outline(folder / OUTLINE_FILE)
        problems += found
    else:
        problems.append(_missing(folder, f"版式文件夹中没有大纲文件 {OUTLINE_FILE}"))
    return Layout(folder.name, folder, origin, outline, tuple(problems))


def _leads_out(folder: Path, name: str) -> bool:
    """Whether ``folder/name`` is a symbolic link to somewhere outside ``folder``."""
    path = folder / name
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling link or a loop: outside, as far as we can tell
        return True


def _missing(folder: Path, message: str) -> Finding:
    return Finding("L002", Severity.ERROR, message, location=Location(str(folder)))


@dataclass(frozen=True)
class LayoutSearch:
    """Where layouts are looked for: the given folders first, then the built-in ones."""

    folders: tuple[Path, ...] = field(default_factory=tuple)

    @classmethod
    def from_options(cls, templates: Sequence[Path] = ()) -> LayoutSearch:
        """``--templates`` folders, then those of ``REPORTGEN_TEMPLATES``, then the built-in."""
        from_environment = [Path(p) for p in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if p]
        return cls((*templates, *from_environment))

    def _places(self) -> Iterator[tuple[Path, str]]:
        for folder in self.folders:
            yield folder, str(folder)
        yield templates_dir(), BUILTIN

    def places(self) -> list[tuple[Path, str]]:
        """The folders searched, in order, with how each is shown (a path, or 内置)."""
        return list(self._places())

    def profile(self, name: str) -> ProfileFile | None:
        """The scoring profile ``name`` from ``profiles/`` of the first folder that has it."""
        return open_profile(name, self.places())

    def profiles(self) -> list[ProfileFile]:
        return list(all_profiles(self.places()))

    def names(self) -> list[str]:
        """Every layout name, the first folder that has it winning, in search order."""
        return list(self._found())

    def _found(self) -> dict[str, tuple[Path, str]]:
        found: dict[str, tuple[Path, str]] = {}
        for place, origin in self._places():
            if not place.is_dir():
                continue
            for folder in sorted(place.iterdir()):
                if folder.is_dir() and (folder / OUTLINE_FILE).is_file():
                    found.setdefault(folder.name, (folder, origin))
        return found

    def find(self, name: str) -> Layout | None:
        hit = self._found().get(name)
        return load_layout(*hit) if hit is not None else None

    def all(self) -> list[Layout]:
        return [load_layout(folder, origin) for folder, origin in self._found().values()]

    def suggestion(self, name: str) -> str:
        return did_you_mean(name, self.names())

    def unknown(self, name: str) -> str:
        """What is said of a layout name found nowhere: the closest name, every one there is,
        where they were looked for and how to add a folder of one's own."""
        hint = (
            ""
            if self.folders
            else f"；自制的版式请用 --templates 文件夹 或环境变量 {ENVIRONMENT} 指明其所在的文件夹"
        )
        return (
            f"未知的版式“{name}”{self.suggestion(name)}；可用的版式：{', '.join(self.names())}"
            f"（查找了：{self.where()}{hint}）"
        )

    def where(self) -> str:
        """Where layouts are looked for, in order, in Chinese."""
        places = [f"--templates 或 {ENVIRONMENT} 中的文件夹 {folder}" for folder in self.folders]
        return "、".join([*places, "内置版式"])


def check_folders(folders: Sequence[Path]) -> None:
    """A ``--templates`` folder that does not exist is a usage mistake, not an empty folder."""
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"版式文件夹 {folder} 不存在或不是目录")


def new_layout(name: str, base: str, search: LayoutSearch, target_dir: Path) -> Path:
    """Copy layout ``base`` to ``target_dir/name`` for a template author to edit; never overwrite."""
    if not name or name != Path(name).name or name.startswith("."):
        raise UsageError(f"版式名称“{name}”无效：只能是一个文件夹名，不能含路径分隔符")
    source = search.find(base)
    if source is None:
        raise UsageError(search.unknown(base))
    target = target_dir / name
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个名称或文件夹")
    if target_dir.exists() and not target_dir.is_dir():
        raise UsageError(f"--dir {target_dir} 不是文件夹；请指定一个文件夹（不存在时会新建）")
    files = _layout_files(source.folder)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", suffix=".tmp", dir=target_dir))
    except OSError as exc:
        raise FileSystemError(f"无法创建版式文件夹 {target}", exc) from exc
    try:
        for relative in files:
            copied = staging / relative
            copied.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.folder / relative, copied, follow_symlinks=False)
        staging.rename(target)  # all of it or nothing: never a partial copy under its name
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if target.exists():
            raise UsageError(
                f"{target} 已存在，为免覆盖未做任何修改；请换一个名称或文件夹"
            ) from exc
        raise FileSystemError(f"无法创建版式文件夹 {target}", exc) from exc
    return target


MAX_LAYOUT_FILES = 100
MAX_LAYOUT_BYTES = 100 * 1024 * 1024


def _layout_files(folder: Path) -> list[Path]:
    """The files of a layout folder to copy, relative to it; a symbolic link (which could lead
    out of the folder or back into it) or a folder too large to be a layout is refused."""
    found: list[Path] = []
    links: list[str] = []
    size = 0
    pending = [Path()]
    while pending:
        relative = pending.pop()
        with os.scandir(folder / relative) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                inside = relative / entry.name
                if entry.is_symlink():
                    links.append(inside.as_posix())
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(inside)
                elif entry.is_file(follow_symlinks=False):
                    found.append(inside)
                    size += entry.stat(follow_symlinks=False).st_size
                if len(found) > MAX_LAYOUT_FILES or size > MAX_LAYOUT_BYTES:
                    raise UsageError(
                        f"版式文件夹 {folder} 过大（超过 {MAX_LAYOUT_FILES} 个文件或 "
                        f"{MAX_LAYOUT_BYTES // 1024 // 1024} MiB），不像一个版式；未做任何复制"
                    )
    if links:
        raise UsageError(
            f"版式文件夹 {folder} 中的 {'、'.join(sorted(links))} 是符号链接；复制版式时不跟随"
            "符号链接（它可能指向文件夹之外或指回文件夹本身），请换成实际的文件后再复制"
        )
    return found


def _outline_sections(outline: Outline) -> list[tuple[str, str]]:
    """(key, heading) of every part the data's ``sections`` may write, in print order: each
    section, and each chapter without sections (its one body), after the untitled preface."""
    preface = outline.preface
    found: list[tuple[str, str]] = [(preface.key, preface.name)] if preface is not None else []
    for chapter in outline.chapters:
        found += [(s.key, s.heading) for s in chapter.sections] or [(chapter.key, chapter.heading)]
    return found


@lru_cache(maxsize=4)
def _builtin_sections(folder: Path) -> tuple[tuple[str, str], ...]:
    headings: dict[str, list[str]] = {}
    for layout in LayoutSearch().all():
        if layout.origin != BUILTIN or layout.outline is None:
            continue
        for key, heading in _outline_sections(layout.outline):
            seen = headings.setdefault(key, [])
            seen += [] if heading in seen else [heading]
    return tuple((key, " / ".join(found)) for key, found in headings.items())


def builtin_sections() -> tuple[tuple[str, str], ...]:
    """Every part the built-in layouts' outline files declare, (key, its headings): the keys
    data written for any built-in layout may hold, known from those files alone."""
    return _builtin_sections(templates_dir())


def section_fields(layout: Layout | None, declared: set[str]) -> tuple[tuple[str, str], ...]:
    """The keys a report's ``sections`` may hold, with a description each: ``layout``'s own in
    print order, then those the department ``declared`` in its ``outline:``, then those of the
    built-in layouts (data moved from one to another keeps validating, with a warning)."""
    found: dict[str, str] = {}
    if layout is not None and layout.outline is not None:
        found |= dict(_outline_sections(layout.outline))
    for key in sorted(declared - set(found)):
        found[key] = "本部门在 outline 中增加的节"
    for key, heading in builtin_sections():
        found.setdefault(key, f"内置版式中的节：{heading}")
    return tuple(found.items())


@dataclass(frozen=True)
class LayoutChoice:
    """The layout a report is printed in, as found, and its outline with the department's changes."""

    name: str
    search: LayoutSearch
    layout: Layout | None
    plan: Plan | None = None
    changes: tuple[Finding, ...] = ()  # the department's changes that cannot apply
    from_option: bool = False  # named by --layout rather than by the data

    def profile_name(self, named: str | None = None) -> str:
        """The scoring profile: ``named`` by the data, else the layout's, else the default."""
        if named is not None:
            return named
        outline = self.layout.outline if self.layout is not None else None
        if outline is not None and outline.profile is not None:
            return outline.profile
        return DEFAULT_PROFILE


def choose(
    name: str,
    search: LayoutSearch,
    layout: Layout | None,
    changes: OutlineChanges | None,
    from_option: bool = False,
    money_thousands: bool | None = None,
) -> LayoutChoice:
    """The layout ``name`` (``layout``, as ``search`` found it) with the department's changes."""
    if layout is None or layout.outline is None:
        return LayoutChoice(name, search, layout, from_option=from_option)
    plan, problems = resolve(layout.outline, changes, money_thousands)
    return LayoutChoice(name, search, layout, plan, tuple(problems), from_option)
