"""Layouts: folders holding a .docx template and its outline, found on a search path."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from reportgen.errors import FileSystemError, UsageError
from reportgen.findings import Finding, Location, Severity, did_you_mean
from reportgen.layout.outline import (
    OUTLINE_FILE,
    Outline,
    Plan,
    load_outline,
    resolve,
)
from reportgen.layout.profile import (
    DEFAULT_PROFILE,
    ProfileFile,
    all_profiles,
    open_profile,
)
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
        """The layout's own 自评表 template, else the built-in default layout's."""
        own = self.folder / TABLE_FILE
        return own if own.is_file() else templates_dir() / DEFAULT_LAYOUT / TABLE_FILE

    @property
    def label(self) -> str:
        return self.outline.label if self.outline is not None else "（大纲有错误）"


def load_layout(folder: Path, origin: str) -> Layout:
    """The layout in ``folder``; problems with its files are findings, located where possible."""
    problems: list[Finding] = []
    outline: Outline | None = None
    if not (folder / TEMPLATE_FILE).is_file():
        problems.append(_missing(folder, f"版式文件夹中没有模板 {TEMPLATE_FILE}"))
    if (folder / OUTLINE_FILE).is_file():
        outline, found = load_outline(folder / OUTLINE_FILE)
        problems += found
    else:
        problems.append(_missing(folder, f"版式文件夹中没有大纲文件 {OUTLINE_FILE}"))
    return Layout(folder.name, folder, origin, outline, tuple(problems))


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
        """What is said of a layout name found nowhere: the closest name, and every one there is."""
        return f"未知的版式“{name}”{self.suggestion(name)}；可用的版式：{', '.join(self.names())}"


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
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source.folder, target, copy_function=shutil.copyfile)
    except FileExistsError as exc:
        raise UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个名称或文件夹") from exc
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise FileSystemError(f"无法创建版式文件夹 {target}", exc) from exc
    return target


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
