"""A department's changes to its layout's outline (``outline:`` in the data: renamed headings,
notes, sections of its own, omissions, chapters as one body) made to the layout's plan, and
every change that cannot apply as an R010 finding at its place."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportgen.findings import FieldPath, Finding, did_you_mean, error, visible
from reportgen.layout.outline import Outline, Plan, PlannedSection, plan_of
from reportgen.model.outline_changes import ExtraSection, OutlineChanges


@dataclass
class _Resolver:
    plan: Plan
    findings: list[Finding] = field(default_factory=list)
    # sections of a chapter printed as one body (chapter_bodies): key → the chapter's heading
    folded: dict[str, str] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)  # the department's sections: key → index

    def problem(self, path: FieldPath, message: str, actual: str | None = None) -> None:
        self.findings.append(error("R010", path, message, actual=actual))

    def known(self, key: str, path: FieldPath, if_absent: str = "") -> bool:
        """Whether the outline has ``key``; if not, an R010 at ``path``, saying ``if_absent``
        when no known key is close to it (what to do about a change the layout has no place for).
        """
        keys = [*self.plan.headings, *(c.key for c in self.plan.chapters if not c.own_text)]
        if key in keys:
            return True
        if self.plan.preface is not None:  # it is no place for a change but omit: not offered
            keys.remove(self.plan.preface.key)
        if key in self.folded:
            self.problem(
                path,
                f"“{key}”所在的“{self.folded[key]}”一章已由 outline.chapter_bodies 改为整章一段，"
                "不再分节：请删去这一项",
                key,
            )
            return False
        hint = did_you_mean(key, keys) or if_absent
        self.problem(
            path, f"版式中没有“{visible(key)}”这一章或节{hint}；可用：{'、'.join(keys)}", key
        )
        return False

    def untitled(self, key: str, path: FieldPath, change: str) -> bool:
        """Whether ``key`` is the preface, which has no heading to change (an R010 if so)."""
        if self.plan.preface is None or key != self.plan.preface.key:
            return False
        self.problem(
            path,
            f"“{key}”是第一章之前的{self.plan.preface.heading}，不印标题，也就无从{change}："
            "请删去这一项",
            key,
        )
        return True

    def preface_anchor(self, key: str, path: FieldPath) -> bool:
        """Whether ``key`` is the preface, which no section can be placed beside (R010 if so)."""
        if self.plan.preface is None or key != self.plan.preface.key:
            return False
        chapters = "、".join(c.key for c in self.plan.chapters)
        self.problem(
            path,
            f"“{key}”是第一章之前的{self.plan.preface.heading}，不在任何一章中：新节只能放在某一节"
            f"之前或之后（after、before），或某一章的最后（chapter: {chapters} 之一）",
            key,
        )
        return True

    def retitle(self, key: str, heading: str | None = None, note: str | None = None) -> None:
        """Give the chapter or section ``key`` a new heading, or a note after its heading."""

        def changed(old: str) -> str:
            return f"{old}（{note}）" if note is not None else heading or old

        chapters = []
        for c in self.plan.chapters:
            sections = tuple(
                replace(s, heading=changed(s.heading)) if s.key == key else s for s in c.sections
            )
            own = changed(c.heading) if c.key == key else c.heading
            chapters.append(replace(c, heading=own, sections=sections))
        self.plan = replace(self.plan, chapters=tuple(chapters))

    def add(self, index: int, extra: ExtraSection) -> None:
        path: FieldPath = ("outline", "extra_sections", index)
        if extra.key in self.plan.headings or extra.key in {c.key for c in self.plan.chapters}:
            heading = self.plan.headings.get(extra.key) or next(
                c.heading for c in self.plan.chapters if c.key == extra.key
            )
            self.problem(
                (*path, "key"),
                f"版式已有“{extra.key}”这一章或节（{heading}）：若是同一节，删去 outline.extra_sections "
                f"中的这一项即可，正文照旧写在 sections.{extra.key} 下（reportgen layout migrate "
                "可代为改写）；若是另一节，请另取键名",
                extra.key,
            )
            return
        new = PlannedSection(extra.key, extra.heading, required=True)
        if extra.chapter is not None:
            self.add_to_chapter(extra.chapter, new, index)
            return
        anchor = extra.after or extra.before
        assert anchor is not None  # the model requires one
        where: FieldPath = (*path, "after" if extra.after else "before")
        if self.preface_anchor(anchor, where):
            return
        self.added[extra.key] = index
        for i, chapter in enumerate(self.plan.chapters):
            keys = [s.key for s in chapter.sections]
            if anchor in keys:
                at = keys.index(anchor) + (1 if extra.after else 0)
                sections = (*chapter.sections[:at], new, *chapter.sections[at:])
                chapters = list(self.plan.chapters)
                chapters[i] = replace(chapter, sections=sections)
                self.plan = replace(self.plan, chapters=tuple(chapters))
                return
        if anchor in {c.key for c in self.plan.chapters}:
            self.problem(
                where,
                f"“{anchor}”是一章，不是一节：after、before 只能写某一节；要把新节放进这一章，"
                f"请写 chapter: {anchor}",
                anchor,
            )
        else:
            self.known(anchor, where)

    def add_to_chapter(self, key: str, new: PlannedSection, index: int) -> None:
        """``new`` as the last section of the chapter ``key``; a chapter printed as one body
        keeps that body as its lead, before the sections, and no longer requires it."""
        where: FieldPath = ("outline", "extra_sections", index, "chapter")
        found = next((i for i, c in enumerate(self.plan.chapters) if c.key == key), None)
        if found is None:
            keys = [c.key for c in self.plan.chapters]
            if self.preface_anchor(key, where):
                return
            if key in self.plan.headings:
                self.problem(
                    where,
                    f"“{key}”是一节，不是一章：chapter 只能写某一章（{'、'.join(keys)}）；"
                    f"要放在这一节之后，请写 after: {key}",
                    key,
                )
            else:
                hint = did_you_mean(key, keys)
                self.problem(
                    where, f"版式中没有“{visible(key)}”这一章{hint}；各章：{'、'.join(keys)}", key
                )
            return
        self.added[new.key] = index
        chapter = self.plan.chapters[found]
        lead = chapter.lead or chapter.body
        changed = replace(
            chapter,
            sections=(*chapter.sections, new),
            lead=lead,
            required=chapter.required and not lead,
        )
        chapters = list(self.plan.chapters)
        chapters[found] = changed
        self.plan = replace(self.plan, chapters=tuple(chapters))

    def as_body(self, key: str, path: FieldPath) -> None:
        chapter = next((c for c in self.plan.chapters if c.key == key), None)
        if chapter is None:
            keys = [c.key for c in self.plan.chapters]
            hint = did_you_mean(key, keys)
            self.problem(
                path, f"版式中没有“{visible(key)}”这一章{hint}；各章：{'、'.join(keys)}", key
            )
            return
        for section in chapter.sections:
            self.folded[section.key] = chapter.heading
            if section.key in self.added:
                self.problem(
                    ("outline", "extra_sections", self.added[section.key], "key"),
                    f"本部门增加的节“{section.key}”在“{chapter.heading}”一章中，而 "
                    "outline.chapter_bodies 把这一章改为整章一段，这一节不会印出：请把它放到别的章，"
                    "或把内容写进这一章的正文",
                    section.key,
                )
        chapters = [
            replace(c, sections=(), required=True, lead=False) if c.key == key else c
            for c in self.plan.chapters
        ]
        self.plan = replace(self.plan, chapters=tuple(chapters))

    def omit(self, key: str, path: FieldPath) -> None:
        # a section of another layout (the data's layout was changed by hand): nothing to omit
        absent = (
            "，也就无须略去：删去这一项即可（换用版式时，reportgen layout migrate 会改写数据中"
            "大纲的调整）"
        )
        if not self.known(key, path, absent):
            return
        if key not in self.plan.optional:
            chapter = next((c for c in self.plan.chapters if c.key == key), None)
            if chapter is not None:
                self.problem(path, f"“{chapter.heading}”一章含必填的内容，不能略去", key)
            else:
                self.problem(
                    path, f"“{key}”（{self.plan.headings[key]}）是必填的一节，不能略去", key
                )
            return
        chapters = tuple(
            replace(c, sections=tuple(s for s in c.sections if s.key != key))
            for c in self.plan.chapters
            if c.key != key
        )
        preface = self.plan.preface
        if preface is not None and preface.key == key:
            preface = None
        self.plan = replace(
            self.plan, chapters=chapters, omitted=self.plan.omitted | {key}, preface=preface
        )


def resolve(
    outline: Outline, changes: OutlineChanges | None, money_thousands: bool | None = None
) -> tuple[Plan, list[Finding]]:
    """The layout's outline with the department's changes, and every change that cannot apply.

    ``money_thousands`` is the department's own choice of thousands separators, if it made one.
    """
    plan = plan_of(outline)
    if money_thousands is not None:
        plan = replace(plan, money_thousands=money_thousands)
    resolver = _Resolver(plan)
    if changes is None:
        return resolver.plan, []
    for i, extra in enumerate(changes.extra_sections):
        resolver.add(i, extra)
    for i, key in enumerate(changes.chapter_bodies):
        resolver.as_body(key, ("outline", "chapter_bodies", i))
    for key, heading in changes.headings.items():
        path: FieldPath = ("outline", "headings", key)
        if resolver.known(key, path) and not resolver.untitled(key, path, "改写标题"):
            resolver.retitle(key, heading=heading)
    for key, note in changes.notes.items():
        path = ("outline", "notes", key)
        if resolver.known(key, path) and not resolver.untitled(key, path, "在标题后加注"):
            resolver.retitle(key, note=note)
    for i, key in enumerate(changes.omit):
        resolver.omit(key, ("outline", "omit", i))
    return resolver.plan, resolver.findings
