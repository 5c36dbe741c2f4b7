"""The data file after a migration (:mod:`reportgen.layout.migrate` plans it): its text edited
in place where it can be, so that the department's comments stay, and the data it must read
back as."""

from __future__ import annotations

import re
from typing import Any

import yaml

from reportgen.findings import FieldPath
from reportgen.layout.migrate import Migration
from reportgen.read.loader import Document


def migrated_text(doc: Document, migration: Migration) -> str:
    """``doc``'s text carried to the migration's layout: comments kept outside the parts that
    change (the ``outline:`` block is written anew when it changes)."""
    lines = doc.text.split("\n")
    sections = doc.data.get("sections") if isinstance(doc.data, dict) else None
    replacements: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines)
    if isinstance(sections, dict) and migration.merges:
        spans = _spans(doc, ("sections",), list(sections), len(lines))
        for chapter, parts in migration.merges.items():
            new = [f"  {chapter}:"]
            for part in parts:
                new.append(f"    - title: {_scalar(migration.titles[part])}")
                if part in spans:
                    first, end = spans[part]
                    new += _as_body(lines[first:end])
                else:
                    new.append(f"      body: [{{summary: {migration.summaries[part]}}}]")
            written = [p for p in parts if p in spans]
            first = min(spans[p][0] for p in written)
            replacements.append((first, first, new))
            replacements += [(*spans[p], []) for p in written]
    for old, new_key in migration.renames.items():
        mark = doc.key_marks.get(("sections", old))
        if mark is not None:
            line = lines[mark[0] - 1]
            renamed = re.sub(rf"^(\s*){re.escape(old)}(\s*:)", rf"\g<1>{new_key}\g<2>", line)
            replacements.append((mark[0] - 1, mark[0], [renamed]))
    outline = _changed_outline(doc.data, migration)
    in_place = _dropped_in_place(doc, migration, len(lines))
    if in_place is not None:
        replacements += in_place
    elif outline is not None:
        span = _top_span(doc, "outline", len(lines))
        block = _dump({"outline": outline}) if outline else []
        if span is not None:
            replacements.append((*span, block))
        elif block:
            at = _top_line(doc, "sections", len(lines))
            replacements.append((at, at, block))
    layout_line = _layout_line(doc, migration.layout, lines)
    if layout_line is not None:
        replacements.append(layout_line)
    for first, end, new in sorted(replacements, key=lambda r: (r[0], r[1]), reverse=True):
        lines[first:end] = new
    return "\n".join(lines)


def _dropped_in_place(
    doc: Document, migration: Migration, total: int
) -> list[tuple[int, int, list[str]]] | None:
    """The lines of the ``extra_sections`` entries the migration drops, when that is all it
    changes in ``outline:`` (the rest of the block keeps its comments); ``None``: not so."""
    if (
        migration.kept
        or migration.moved
        or migration.dropped_changes
        or not migration.dropped_extras
    ):
        return None
    changes = doc.data.get("outline") if isinstance(doc.data, dict) else None
    extras = changes.get("extra_sections") if isinstance(changes, dict) else None
    if not isinstance(extras, list):
        return None
    if len(migration.dropped_extras) == len(extras):
        paths: list[FieldPath] = [("outline", "extra_sections")]
    else:
        paths = [("outline", "extra_sections", i) for i in migration.dropped_extras]
    spans = [_span(doc, path, total) for path in paths]
    if any(span is None for span in spans):
        return None
    return [(first, end, []) for first, end in (s for s in spans if s is not None)]


def _span(doc: Document, path: FieldPath, total: int) -> tuple[int, int] | None:
    """The lines (first, end) of the entry at ``path``: from its key (or its value, in a list)
    to the next entry at its depth or above."""
    mark = doc.key_marks.get(path) or doc.value_marks.get(path)
    if mark is None:
        return None
    first = mark[0] - 1
    later = [
        m[0] - 1
        for marks in (doc.key_marks, doc.value_marks)
        for p, m in marks.items()
        if len(p) <= len(path) and p != path and m[0] - 1 > first
    ]
    end = min(later, default=total)
    return first, _trim(doc.text.split("\n"), first, end)


def _scalar(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def _as_body(block: list[str]) -> list[str]:
    """A section's lines (``  key: value`` and what follows) as an item's ``body:``."""
    head = re.sub(r"^\s*[^:#]+:", "", block[0], count=1)
    rest = [f"    {line}" if line.strip() else line for line in block[1:]]
    return [f"      body:{head}", *rest]


def _spans(
    doc: Document, parent: FieldPath, keys: list[str], total: int
) -> dict[str, tuple[int, int]]:
    """The lines (first, end) of each key's entry in the mapping at ``parent``: from its key's
    line to the next key's line, or the end of the mapping."""
    starts = sorted(
        (doc.key_marks[(*parent, k)][0] - 1, k) for k in keys if (*parent, k) in doc.key_marks
    )
    end = _mapping_end(doc, parent, total)
    spans: dict[str, tuple[int, int]] = {}
    for i, (line, key) in enumerate(starts):
        following = starts[i + 1][0] if i + 1 < len(starts) else end
        spans[key] = (line, _trim(doc.text.split("\n"), line, following))
    return spans


def _trim(lines: list[str], first: int, end: int) -> int:
    """The end of a block without the blank lines and the comments of the next one at its end."""
    while end - 1 > first and not lines[end - 1].strip():
        end -= 1
    return end


def _mapping_end(doc: Document, parent: FieldPath, total: int) -> int:
    """The line after the mapping at ``parent`` (a top-level key's): the next top-level key."""
    starts = sorted(mark[0] - 1 for path, mark in doc.key_marks.items() if len(path) == 1)
    own = doc.key_marks.get(parent)
    if own is None:
        return total
    later = [line for line in starts if line > own[0] - 1]
    return later[0] if later else total


def _top_span(doc: Document, key: str, total: int) -> tuple[int, int] | None:
    mark = doc.key_marks.get((key,))
    if mark is None:
        return None
    first = mark[0] - 1
    return first, _trim(doc.text.split("\n"), first, _mapping_end(doc, (key,), total))


def _top_line(doc: Document, key: str, total: int) -> int:
    mark = doc.key_marks.get((key,))
    return mark[0] - 1 if mark is not None else total


def _layout_line(doc: Document, layout: str, lines: list[str]) -> tuple[int, int, list[str]] | None:
    mark = doc.key_marks.get(("layout",))
    if mark is None:
        department = doc.key_marks.get(("department",))
        at = department[0] if department is not None else 0
        return at, at, [f"layout: {_scalar(layout)}"]
    line = lines[mark[0] - 1]
    comment = re.search(r"\s+#.*$", line)
    return mark[0] - 1, mark[0], [f"layout: {_scalar(layout)}{comment[0] if comment else ''}"]


def _changed_outline(data: Any, migration: Migration) -> dict[str, Any] | None:
    """The department's ``outline:`` after the migration; ``None``: unchanged."""
    changes = data.get("outline") if isinstance(data, dict) else None
    if not (
        migration.dropped_extras or migration.moved or migration.kept or migration.dropped_changes
    ):
        return None
    changes = dict(changes) if isinstance(changes, dict) else {}
    # the layout's sections kept as the department's own come first: its own may follow them
    extras: list[Any] = list(migration.kept)
    extras += [
        _placed(e, migration.moved[i]) if i in migration.moved else e
        for i, e in enumerate(changes.get("extra_sections") or [])
        if i not in migration.dropped_extras
    ]
    changes["extra_sections"] = extras
    for path in migration.dropped_changes:
        _, name, which = path
        if name == "omit":
            continue
        changes[name] = {k: v for k, v in (changes.get(name) or {}).items() if k != which}
    dropped = {p[2] for p in migration.dropped_changes if p[1] == "omit"}
    changes["omit"] = [k for i, k in enumerate(changes.get("omit") or []) if i not in dropped]
    return {key: value for key, value in changes.items() if value}


def _placed(extra: Any, place: dict[str, str]) -> Any:
    """An ``extra_sections`` entry moved to ``place``."""
    if not isinstance(extra, dict):
        return extra
    kept = {k: v for k, v in extra.items() if k not in {"after", "before", "chapter"}}
    return {**kept, **place}


def _dump(data: dict[str, Any]) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    return text.rstrip("\n").split("\n")


def migrated_data(data: dict[str, Any], migration: Migration) -> dict[str, Any]:
    """What :func:`migrated_text` should read back as: the same changes made to the data."""
    result = dict(data)
    result["layout"] = migration.layout
    sections = dict(data.get("sections") or {})
    for chapter, parts in migration.merges.items():
        items: list[Any] = []
        for part in parts:
            body = sections.get(part, [{"summary": migration.summaries.get(part)}])
            items.append({"title": migration.titles[part], "body": body})
        merged = {key: value for key, value in sections.items() if key not in parts}
        first = next((p for p in parts if p in sections), None)
        ordered: dict[str, Any] = {}
        for key, value in sections.items():
            if key == first:
                ordered[chapter] = items
            if key in merged:
                ordered[key] = value
        sections = ordered
    sections = {migration.renames.get(key, key): value for key, value in sections.items()}
    result["sections"] = sections
    outline = _changed_outline(data, migration)
    if outline is not None:
        if outline:
            result["outline"] = outline
        else:
            result.pop("outline", None)
    return result
