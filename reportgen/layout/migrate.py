"""Data written for one outline, carried to another: what to do with each section, and the
data changed accordingly (``reportgen layout migrate``).

A section the new outline does not print is traced to its *home*, the chapter it belonged to in
the outline it was written for (the data's own layout, else a built-in one). Sections whose
chapter is one body in the new outline are merged into that body, each under its old heading;
a department's own section the layout now provides loses its ``extra_sections`` entry; any
other section is kept as the department's own, placed after its old neighbour. Nothing is
invented: a required section the data never wrote is only named.

The changed file is written by :mod:`reportgen.layout.migrate_text`.

Why one module: each step (merge, rename, keep, move) decides from the same homes and the
steps before it, and records itself in the one Migration; validate's advice says the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reportgen.findings import FieldPath
from reportgen.layout.outline import Outline, Plan, plan_of
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch


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
    """Each section key's home: in the first of ``outlines`` that has it as a section; a key no
    outline has as a section, in the first that has it as a chapter of one body (“其他需说明的
    情况”, say), its own chapter."""
    found: dict[str, Home] = {}
    bodies: dict[str, Home] = {}
    for name, outline in outlines:
        for chapter in outline.chapters:
            order = tuple(s.key for s in chapter.sections)
            facts = {s.key: str(s.from_facts) for s in chapter.sections if s.from_facts}
            for section in chapter.sections:
                found.setdefault(
                    section.key,
                    Home(name, chapter.key, chapter.heading, section.heading, order, facts),
                )
            if not chapter.sections:
                home = Home(name, chapter.key, chapter.heading, chapter.heading, (chapter.key,))
                bodies.setdefault(chapter.key, home)
    return {**bodies, **found}


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


def rename_advice(plan: Plan, own: Plan, layout: str, written: Iterable[str]) -> dict[str, str]:
    """For each section ``plan`` (a department's, of the layout whose own plan is ``own``)
    requires and the data lacks: the department's own section of that chapter whose heading
    says the same in other words, to be renamed."""
    keys = set(written)
    layouts_own = set(own.headings)
    advice: dict[str, str] = {}
    for chapter in plan.chapters:
        theirs = {
            s.key: s.heading for s in chapter.sections if s.key in keys and s.key not in layouts_own
        }
        for section in chapter.sections:
            if not section.required or section.from_facts or section.key in keys:
                continue
            found = alike(section.heading, theirs)
            if found is None:
                continue
            advice[section.key] = (
                f"本部门的节“{found}”（{theirs.pop(found)}）标题相近，若是同一节，把 sections.{found} "
                f"改名为 {section.key}，并删去 outline.extra_sections 中的那一项"
                f"（reportgen layout migrate 数据文件 --layout {layout} 可代为改写）"
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
    renames: dict[str, str] = field(default_factory=dict)  # a section's key → the layout's
    moved: dict[int, dict[str, str]] = field(default_factory=dict)  # entry → its new place
    kept: list[dict[str, str]] = field(default_factory=list)  # new extra_sections entries
    dropped_changes: list[FieldPath] = field(default_factory=list)
    steps: list[tuple[FieldPath, str]] = field(default_factory=list)  # (where, what to do)
    missing: list[tuple[str, str]] = field(default_factory=list)  # required, not written

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.merges
            or self.dropped_extras
            or self.renames
            or self.moved
            or self.kept
            or self.dropped_changes
        )


def plan_migration(
    data: dict[str, Any],
    layout: str,
    outline: Outline,
    known: dict[str, Home],
    preface: str | None = None,
) -> Migration:
    """The steps that carry ``data`` to ``layout`` (whose outline is ``outline``); ``preface``
    is the key of the preface in the outline the data was written for, if it has one."""
    plan = plan_of(outline)
    migration = Migration(layout)
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    assert isinstance(sections, dict)
    if preface is not None and preface in sections and preface not in plan.headings:
        _carry_preface(migration, plan, preface)
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
    _rename_alike(migration, plan, sections, extras, own, known)
    merged: set[str] = set()
    for key in sections:
        if key in printed or key in own or key in bodies or key in merged:
            continue
        if key in migration.renames or key == preface:
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
                    "请把内容移到版式中的某一节，或在 outline.extra_sections 中用 chapter: 放进某一章",
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
    written_after = set(sections) | set(migration.merges) | set(migration.renames.values())
    for key, heading in plan.required():
        if key not in written_after:
            migration.missing.append((key, heading))
    return migration


def _carry_preface(migration: Migration, plan: Plan, key: str) -> None:
    """The preface under the new layout's key for it; a layout without one has no place for
    untitled text before its first chapter, which is said (nothing is moved where it would
    get a heading the department never wrote)."""
    if plan.preface is not None:
        migration.renames[key] = plan.preface.key
        step = f"前言 sections.{key} 改名为 sections.{plan.preface.key}（版式“{migration.layout}”前言的键名）"
    else:
        step = (
            f"版式“{migration.layout}”没有前言（第一章之前不印标题的一段）：sections.{key} 不会印出；"
            "请把它并入某一节的正文，或换用有前言的版式"
        )
    migration.steps.append((("sections", key), step))


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


def alike(heading: str, candidates: dict[str, str]) -> str | None:
    """The one key of ``candidates`` (key → heading) whose heading says what ``heading`` says in
    other words (“机构设置及人员情况”, “机构设置和人员编制”): most characters shared, and no other
    as close."""

    def share(other: str) -> float:
        common = sum((Counter(heading) & Counter(other)).values())
        return 2 * common / (len(heading) + len(other)) if heading or other else 0.0

    scored = sorted(((share(h), k) for k, h in candidates.items()), reverse=True)
    if not scored or scored[0][0] < _ALIKE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two as close: which one is not for us to guess
    return scored[0][1]


_ALIKE = 0.6  # share of characters two headings of the same section have in common


def _rename_alike(
    migration: Migration,
    plan: Plan,
    sections: dict[str, Any],
    extras: list[dict[str, Any]],
    own: set[str],
    known: dict[str, Home],
) -> None:
    """A section the layout now requires, written by the department in the same chapter under
    another key and a heading in other words (its own section, or one of the outline the data
    was written for): the text moves to the layout's key, the department's entry goes."""
    printed = plan.headings
    chapter_of = {s.key: c.key for c in plan.chapters for s in c.sections}
    candidates: dict[str, tuple[str, str]] = {}  # key → (its chapter, its heading)
    for extra in extras:
        key, anchor = extra.get("key"), extra.get("after") or extra.get("before")
        if key not in own or key not in sections:
            continue
        chapter = extra.get("chapter") or chapter_of.get(str(anchor))
        if chapter is None and anchor in known:
            chapter = known[str(anchor)].chapter
        candidates[str(key)] = (str(chapter), str(extra.get("heading") or key))
    for key in sections:
        if key not in printed and key not in own and key in known:
            candidates[key] = (known[key].chapter, known[key].heading)
    for chapter in plan.chapters:
        for section in chapter.sections:
            if not section.required or section.from_facts or section.key in sections:
                continue
            near = {k: h for k, (c, h) in candidates.items() if c == chapter.key}
            found = alike(section.heading, near)
            if found is None:
                continue
            del candidates[found]
            _rename(migration, found, section.key, section.heading, extras, own, known)


def _rename(
    migration: Migration,
    found: str,
    key: str,
    heading: str,
    extras: list[dict[str, Any]],
    own: set[str],
    known: dict[str, Home],
) -> None:
    migration.renames[found] = key
    dropped = [i for i, e in enumerate(extras) if e.get("key") == found]
    migration.dropped_extras += dropped
    own.discard(found)
    migration.steps.append(
        (
            ("sections", found),
            f"版式“{migration.layout}”要求的“{key}”（{heading}）与数据中的“{found}”"
            f"（{_heading_of(found, extras, known)}）标题相近，当作同一节：sections.{found} 改名为 "
            f"sections.{key}{'，删去 extra_sections 中的那一项' if dropped else ''}"
            f"（若不是同一节，请改回，并补写 {key}）",
        )
    )


def _heading_of(key: str, extras: list[dict[str, Any]], known: dict[str, Home]) -> str:
    entry = next((e for e in extras if e.get("key") == key), None)
    if entry is not None:
        return str(entry.get("heading") or key)
    return known[key].heading if key in known else key


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
