"""Data written for one outline, carried to another: what to do with each section, and the
data changed accordingly (``reportgen layout migrate``).

A section the new outline does not print is traced to its *home*, the chapter it belonged to in
the outline it was written for (the data's own layout, else a built-in one). Sections whose
chapter is one body in the new outline are merged into that body, each under its old heading;
a department's own section the layout now provides loses its ``extra_sections`` entry; any
other section is kept as the department's own, placed after its old neighbour. Nothing is
invented: a required section the data never wrote is only named.


Why one module: the plan of a migration and the text it writes share the Migration and the
YAML marks; split, each half would be read only with the other."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from reportgen.findings import FieldPath
from reportgen.layout.outline import Outline, Plan, plan_of
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.read.loader import Document


@dataclass(frozen=True)
class Home:
    """Where a section stood in the outline the data was written for."""

    layout: str
    chapter: str
    chapter_heading: str
    heading: str
    order: tuple[str, ...]  # the keys of that chapter's sections, in order
    from_facts: dict[str, str] = field(default_factory=dict)  # key → finance | score


def homes(outlines: Iterable[tuple[str, Outline]]) -> dict[str, Home]:
    """Each section key's home: in the first of ``outlines`` that has it as a section."""
    found: dict[str, Home] = {}
    for name, outline in outlines:
        for chapter in outline.chapters:
            order = tuple(s.key for s in chapter.sections)
            facts = {s.key: str(s.from_facts) for s in chapter.sections if s.from_facts}
            for section in chapter.sections:
                found.setdefault(
                    section.key,
                    Home(name, chapter.key, chapter.heading, section.heading, order, facts),
                )
    return found


def known_homes(search: LayoutSearch, layout: str, named: str | None = None) -> dict[str, Home]:
    """The homes of sections outside ``layout``: in the data's layout ``named`` (when that is
    another), then the default layout, then every other layout ``search`` finds."""
    outlines: list[tuple[str, Outline]] = []
    for name in dict.fromkeys([*([named] if named else []), DEFAULT_LAYOUT, *search.names()]):
        found = search.find(name) if name != layout else None
        if found is not None and found.outline is not None:
            outlines.append((name, found.outline))
    return homes(outlines)


def body_advice(
    plan: Plan, layout: str, written: Iterable[str], known: dict[str, Home]
) -> dict[str, str]:
    """For each section written for another outline whose chapter is one body in ``plan``: what
    to do with it (the chapter's key: what to merge into it)."""
    found: dict[str, list[str]] = {}
    for key in written:
        home = known.get(key)
        if key not in plan.headings and home is not None and home.chapter in plan.body_keys:
            found.setdefault(home.chapter, []).append(key)
    advice: dict[str, str] = {}
    command = f"reportgen layout migrate 数据文件 --layout {layout}"
    for chapter, keys in found.items():
        heading = plan.headings[chapter]
        advice[chapter] = (
            f"“{heading}”在版式“{layout}”中整章一段，数据中的 {'、'.join(keys)} 原是这一章的各节："
            f"请把它们合并为 sections.{chapter}（{command} 可代为改写）"
        )
        for key in keys:
            advice[key] = (
                f"“{key}”（{known[key].heading}）原属“{heading}”一章，这一章在版式“{layout}”中"
                f"整章一段：请并入 sections.{chapter}（{command} 可代为改写）"
            )
    return advice


@dataclass
class Migration:
    """What carrying one data file to ``layout`` takes, step by step."""

    layout: str
    merges: dict[str, list[str]] = field(default_factory=dict)  # body chapter → keys, in order
    titles: dict[str, str] = field(default_factory=dict)  # key → its heading in the merged body
    summaries: dict[str, str] = field(default_factory=dict)  # from_facts key → what to generate
    dropped_extras: list[int] = field(default_factory=list)
    moved: dict[int, dict[str, str]] = field(default_factory=dict)  # entry → its new place
    kept: list[dict[str, str]] = field(default_factory=list)  # new extra_sections entries
    dropped_changes: list[FieldPath] = field(default_factory=list)
    steps: list[tuple[FieldPath, str]] = field(default_factory=list)  # (where, what to do)
    missing: list[tuple[str, str]] = field(default_factory=list)  # required, not written

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.merges or self.dropped_extras or self.moved or self.kept or self.dropped_changes
        )


def plan_migration(
    data: dict[str, Any], layout: str, outline: Outline, known: dict[str, Home]
) -> Migration:
    """The steps that carry ``data`` to ``layout`` (whose outline is ``outline``)."""
    plan = plan_of(outline)
    migration = Migration(layout)
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    assert isinstance(sections, dict)
    changes = data.get("outline") if isinstance(data.get("outline"), dict) else {}
    assert isinstance(changes, dict)
    extras = [e for e in changes.get("extra_sections") or [] if isinstance(e, dict)]
    bodies = {k for k in changes.get("chapter_bodies") or [] if isinstance(k, str)}
    omitted = {k for k in changes.get("omit") or [] if isinstance(k, str)}
    headings: dict[str, Any] = _mapping(changes.get("headings"))
    notes: dict[str, Any] = _mapping(changes.get("notes"))
    printed = plan.headings
    chapters = {c.key for c in plan.chapters}
    own: set[str] = set()
    for i, extra in enumerate(extras):
        key = extra.get("key")
        if key in printed or key in chapters:
            migration.dropped_extras.append(i)
            migration.steps.append(
                (
                    ("outline", "extra_sections", i),
                    f"版式“{layout}”已有“{key}”这一节（{printed.get(key, key)}）："
                    "删去 extra_sections 中的这一项，正文照旧写在 sections 下",
                )
            )
        elif isinstance(key, str):
            own.add(key)
    merged: set[str] = set()
    for key in sections:
        if key in printed or key in own or key in bodies or key in merged:
            continue
        home = known.get(key)
        if home is None:
            migration.steps.append(
                (
                    ("sections", key),
                    f"版式“{layout}”中没有“{key}”这一节，也无从得知它原属哪一章："
                    "请改为版式中的节名，或在 outline.extra_sections 中声明它",
                )
            )
            continue
        if home.chapter in plan.body_keys and home.chapter not in sections:
            parts = _merged_parts(home, sections, omitted, printed)
            parts = _with_own(parts, extras, sections, migration)
            migration.merges[home.chapter] = parts
            merged |= set(parts)
            for part in parts:
                if part in migration.titles:
                    continue  # a section of the department's own: titled by its entry
                title = headings.get(part) or (known[part].heading if part in known else part)
                note = notes.get(part)
                migration.titles[part] = f"{title}（{note}）" if note else str(title)
                if part not in sections:
                    migration.summaries[part] = home.from_facts[part]
            written = "、".join(p for p in parts if p in sections)
            migration.steps.append(
                (
                    ("sections", key),
                    f"“{home.chapter_heading}”在版式“{layout}”中整章一段：把 {written} "
                    f"合并为 sections.{home.chapter}，各节原标题作小标题",
                )
            )
            continue
        after = _place(home, key, printed, plan)
        if after is None:
            migration.steps.append(
                (
                    ("sections", key),
                    f"版式“{layout}”不输出“{key}”（{home.heading}），且找不到可放它的位置："
                    "请把内容移到版式中的某一节",
                )
            )
            continue
        migration.kept.append({"key": key, "heading": home.heading, **after})
        migration.steps.append(
            (
                ("sections", key),
                f"版式“{layout}”不输出“{key}”（{home.heading}）：在 outline.extra_sections 中"
                f"把它声明为本部门的节（{_where(after, plan)}）",
            )
        )
    _move_stranded(migration, extras, printed, own, plan, known)
    own |= {entry["key"] for entry in migration.kept}
    for name in ("headings", "notes"):
        for key in changes.get(name) or {}:
            if key in merged or (key not in printed and key not in chapters and key not in own):
                migration.dropped_changes.append(("outline", name, key))
    for i, key in enumerate(changes.get("omit") or []):
        if key not in plan.optional:
            migration.dropped_changes.append(("outline", "omit", i))
            migration.steps.append(
                (("outline", "omit", i), f"版式“{layout}”中“{key}”不是可略去的节：删去这一项")
            )
    written_after = set(sections) | set(migration.merges)
    for key, heading in plan.required():
        if key not in written_after:
            migration.missing.append((key, heading))
    return migration


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _merged_parts(
    home: Home, sections: dict[str, Any], omitted: set[str], printed: dict[str, str]
) -> list[str]:
    """The sections of ``home``'s chapter that go into its one body, in their old order: those
    written, and those the old outline generated from the facts."""
    return [
        key
        for key in home.order
        if key not in printed and key not in omitted and (key in sections or key in home.from_facts)
    ]


def _with_own(
    parts: list[str], extras: list[dict[str, Any]], sections: dict[str, Any], migration: Migration
) -> list[str]:
    """``parts`` of a body being merged, with the department's own sections placed after or
    before one of them merged in too, where they stood; their ``extra_sections`` entries go."""
    parts = list(parts)
    placed = True
    while placed:
        placed = False
        for i, extra in enumerate(extras):
            key, anchor = extra.get("key"), extra.get("after") or extra.get("before")
            if i in migration.dropped_extras or key not in sections or anchor not in parts:
                continue
            at = parts.index(anchor) + (1 if "after" in extra else 0)
            parts.insert(at, str(key))
            migration.dropped_extras.append(i)
            migration.titles[str(key)] = str(extra.get("heading") or key)
            placed = True
    return parts


def _move_stranded(
    migration: Migration,
    extras: list[dict[str, Any]],
    printed: dict[str, str],
    own: set[str],
    plan: Plan,
    known: dict[str, Home],
) -> None:
    """The department's own sections placed after or before a section the new outline does
    not print: placed beside that section's nearest printed neighbour, else in its chapter."""
    for i, extra in enumerate(extras):
        if i in migration.dropped_extras:
            continue
        word = "after" if "after" in extra else "before"
        anchor = extra.get(word)
        kept = {entry["key"] for entry in migration.kept}
        if not isinstance(anchor, str) or anchor in printed or anchor in own | kept:
            continue
        home = known.get(anchor)
        place = _place(home, anchor, printed, plan) if home is not None else None
        if home is None or place is None:
            continue  # validate names the anchor (R010)
        migration.moved[i] = place
        migration.steps.append(
            (
                ("outline", "extra_sections", i, word),
                f"版式“{migration.layout}”不输出“{anchor}”（{home.heading}）："
                f"本部门的节“{extra.get('key')}”改为{_where(place, plan)}",
            )
        )


def _place(home: Home, key: str, printed: dict[str, str], plan: Plan) -> dict[str, str] | None:
    """Where a section of ``home`` goes in ``plan``: beside its nearest printed neighbour, else
    as the last section of its old chapter (a chapter printed as one body keeps that body as
    the lead before it)."""
    found = _neighbour(home, key, printed)
    if found is None and home.chapter in {c.key for c in plan.chapters}:
        return {"chapter": home.chapter}
    return found


def _where(place: dict[str, str], plan: Plan) -> str:
    """A place of :func:`_place` in words."""
    if "chapter" in place:
        heading = next(c.heading for c in plan.chapters if c.key == place["chapter"])
        return f"放在“{heading}”一章的最后（chapter: {place['chapter']}）"
    word = "after" if "after" in place else "before"
    return f"放在“{place[word]}”{'之后' if word == 'after' else '之前'}"


def _neighbour(home: Home, key: str, printed: dict[str, str]) -> dict[str, str] | None:
    """Where a kept section goes: after the nearest section before it that is printed, else
    before the nearest one after it."""
    at = home.order.index(key)
    for before in reversed(home.order[:at]):
        if before in printed:
            return {"after": before}
    for after in home.order[at + 1 :]:
        if after in printed:
            return {"before": after}
    return None


# --- the changed file ------------------------------------------------------------------------


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
    result["sections"] = sections
    outline = _changed_outline(data, migration)
    if outline is not None:
        if outline:
            result["outline"] = outline
        else:
            result.pop("outline", None)
    return result
