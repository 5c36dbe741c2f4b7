"""``reportgen layout migrate``: a data file carried to another layout, written as a new file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from reportgen.check.validate import Validation, validate_text
from reportgen.errors import FileSystemError, UsageError
from reportgen.layout.migrate import Migration, known_homes, plan_migration
from reportgen.layout.migrate_text import migrated_data, migrated_text
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.output.atomic import create_exclusively
from reportgen.read.loader import load_file, load_text


@dataclass(frozen=True)
class Migrated:
    target: Path | None  # None: nothing to change, no file written
    migration: Migration
    validation: Validation | None  # the new file checked in its layout
    comments_kept: bool


def migrate_file(
    source: Path, layout: str, search: LayoutSearch, target: Path | None = None
) -> Migrated:
    """Carry ``source`` to ``layout``; the result goes to ``target`` (default: beside the source,
    ``<name>.<layout>.yaml``), which must not exist yet."""
    found = search.find(layout)
    if found is None:
        raise UsageError(search.unknown(layout))
    if found.outline is None:
        problems = "；".join(f.as_text() for f in found.problems)
        raise UsageError(f"版式“{layout}”的大纲有错误，无法迁移：{problems}")
    doc = load_file(source)
    if doc.data is None or doc.findings or not isinstance(doc.data, dict):
        raise UsageError(f"{source} 无法读取，请先运行 reportgen validate {source}")
    given = doc.data.get("layout")
    named = given if isinstance(given, str) else DEFAULT_LAYOUT
    known = known_homes(search, layout, named)
    was = search.find(named)
    preface = was.outline.preface if was is not None and was.outline is not None else None
    migration = plan_migration(
        doc.data, layout, found.outline, known, preface.key if preface is not None else None
    )
    if search.find(named) is None:  # where its sections stood is guessed from other layouts
        migration.steps.insert(
            0,
            (
                ("layout",),
                f"{search.unknown(named)}：数据原用的版式找不到，各节原属哪一章只能按其他版式推断",
            ),
        )
    if target is None:
        target = source.with_name(f"{source.stem}.{layout}.yaml")
    text = migrated_text(doc, migration)
    expected = migrated_data(doc.data, migration)
    comments_kept = load_text(text, str(target)).data == expected
    if not comments_kept:  # the text could not be edited in place: written anew
        text = yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=10_000)
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} 已存在，为免覆盖未写入；请用 -o 指定另一个文件名")
    try:
        create_exclusively(target, text.encode("utf-8"))
    except FileExistsError as exc:
        raise UsageError(f"{target} 已存在，为免覆盖未写入；请用 -o 指定另一个文件名") from exc
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    validation = validate_text(text, str(target), search=search)
    return Migrated(target, migration, validation, comments_kept)
