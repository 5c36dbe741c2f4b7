"""Which layout section each printed heading is, and the department's outline changes that print
the rest as published: renamed headings, notes, sections of its own, omissions, chapters as one
body (the data's ``outline:``); then the layout that fits best.

Why one module: matching headings to sections and the outline changes that follow from the match
are one decision, scored per layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reportgen.importer.labels import heading_text, split_note
from reportgen.importer.outline import LayoutOutline, Outline, layout_outlines, similarity
from reportgen.importer.source import SourceParagraph
from reportgen.layout.numbering import chinese_number
from reportgen.layout.outline import Plan
from reportgen.layout.resolve import resolve
from reportgen.model.outline_changes import ExtraSection, OutlineChanges

MATCH_RATIO = 0.6  # alike enough to be the layout's section wherever it is printed
NEAR_RATIO = 0.4  # alike enough where the order of the sections around it agrees too
EXTRA_KEY = "extra_{n}"  # the key of a section of the department's own

Key = tuple[int, int]  # (chapter, section) of the printed outline


@dataclass
class Extra:
    """A part under a heading no section or chapter can hold: printed as a titled item."""

    heading: str
    paragraphs: list[SourceParagraph]


@dataclass
class Placement:
    """What goes into one section (or one-body chapter) of the report."""

    key: str
    paragraphs: list[SourceParagraph | Extra] = field(default_factory=list)


@dataclass
class Mapping:
    """A printed outline as one layout's: its score, what goes where, the changes it needs."""

    layout: str
    score: float
    placements: dict[str, Placement]
    changes: OutlineChanges  # the department's outline, as the report prints it
    plan: Plan  # the layout's outline with those changes: the sections in print order
    notes: list[str]
    layout_headings: dict[str, str]  # chapter or section key → the layout's own heading
    section_notes: dict[str, list[str]] = field(default_factory=dict)  # said at a section


def alike(printed: str, wanted: str) -> float:
    """How alike a printed heading is to a layout's, a note in brackets after it aside."""
    wanted = heading_text(wanted)
    base, note = split_note(printed)
    ratio = similarity(printed, wanted)
    return max(ratio, similarity(base, wanted)) if note is not None else ratio


def _align(scores: list[list[float]], threshold: float) -> list[tuple[int, int]]:
    """The pairs (printed, wanted) in the same order on both sides with the highest total score,
    each at least ``threshold``: an alignment of two short lists of headings."""
    n, m = len(scores), len(scores[0]) if scores else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1])
            if scores[i][j] >= threshold:
                best[i][j] = max(best[i][j], scores[i][j] + best[i + 1][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if scores[i][j] >= threshold and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _gaps(pairs: list[tuple[int, int]], n: int, m: int) -> Iterator[tuple[range, range]]:
    """The stretches of both lists between consecutive aligned pairs."""
    previous = (-1, -1)
    for i, j in [*pairs, (n, m)]:
        yield range(previous[0] + 1, i), range(previous[1] + 1, j)
        previous = (i, j)


def _best_first(
    found: list[int], wanted: list[int], score: Callable[[int, int], float]
) -> Iterator[tuple[int, int, float]]:
    """Pairs of the two lists alike by wording (MATCH_RATIO), the most alike first."""
    candidates = sorted(
        ((score(f, w), f, w) for f in found for w in wanted), key=lambda c: (-c[0], c[1], c[2])
    )
    taken_f: set[int] = set()
    taken_w: set[int] = set()
    for ratio, f, w in candidates:
        if ratio < MATCH_RATIO:
            break
        if f not in taken_f and w not in taken_w:
            taken_f.add(f)
            taken_w.add(w)
            yield f, w, ratio


class _Matcher:
    """The mapping of one printed outline to one layout."""

    def __init__(self, outline: Outline, name: str, shape: LayoutOutline) -> None:
        self.outline = outline
        self.name = name
        self.shape = shape
        self.chapter_of: dict[int, int] = {}  # printed chapter → layout chapter
        self.assigned: dict[Key, str] = {}  # printed section → layout section key
        self.chapter_as: dict[int, str] = {}  # printed chapter → the layout section it is
        self.score = 0.0
        self.notes: list[str] = []
        self.section_chapter = {
            key: li for li, c in enumerate(shape.chapters) for key, _ in c.sections
        }
        self.section_heading = {key: h for c in shape.chapters for key, h in c.sections}

    # ---- which layout chapter and section each printed heading is ----

    def match_chapters(self) -> None:
        printed = [c.heading for c in self.outline.chapters]
        layout = self.shape.chapters
        scores = [[alike(p, c.title) for c in layout] for p in printed]
        pairs = _align(scores, MATCH_RATIO)
        for ci, li in pairs:
            self.chapter_of[ci] = li
            self.score += scores[ci][li]
        free = [li for li in range(len(layout)) if li not in self.chapter_of.values()]
        unmatched = [ci for ci in range(len(printed)) if ci not in self.chapter_of]
        for ci, li, ratio in _best_first(unmatched, free, lambda f, w: scores[f][w]):
            self.chapter_of[ci] = li
            self.score += ratio
        for found, wanted in _gaps(pairs, len(printed), len(layout)):
            free_found = [ci for ci in found if ci not in self.chapter_of]
            free_wanted = [li for li in wanted if li not in self.chapter_of.values()]
            for ci, li in zip(free_found, free_wanted, strict=False):
                if layout[li].key not in self.shape.optional:
                    self.chapter_of[ci] = li
                    self._by_position(printed[ci], layout[li].title, layout[li].key)

    def match_sections(self) -> None:
        chapters = self.outline.chapters
        aligned: dict[int, list[tuple[int, int]]] = {}
        itemised = {ci for ci, li in self.chapter_of.items() if self.shape.chapters[li].body}
        for ci, li in self.chapter_of.items():
            wanted = self.shape.chapters[li].sections
            headed = [si for si, s in enumerate(chapters[ci].sections) if s.heading]
            scores = [
                [alike(chapters[ci].sections[si].heading or "", h) for _, h in wanted]
                for si in headed
            ]
            aligned[ci] = []
            for i, j in _align(scores, NEAR_RATIO):
                aligned[ci].append((headed[i], j))
                self.assigned[(ci, headed[i])] = wanted[j][0]
                self.score += scores[i][j]
        # printed elsewhere than the layout has it: another chapter, or another order (the
        # （一）s of a one-body chapter are its items, not sections)
        unmatched = [
            (ci, si)
            for ci, c in enumerate(chapters)
            if ci not in itemised
            for si, s in enumerate(c.sections)
            if s.heading and (ci, si) not in self.assigned
        ]
        free = [key for key in self.section_heading if key not in self.assigned.values()]

        def score(f: int, w: int) -> float:
            ci, si = unmatched[f]
            return alike(chapters[ci].sections[si].heading or "", self.section_heading[free[w]])

        for f, w, ratio in _best_first(list(range(len(unmatched))), list(range(len(free))), score):
            self.assigned[unmatched[f]] = free[w]
            self.score += ratio
        self._chapters_as_sections()
        for ci, pairs in aligned.items():
            if pairs:  # without one, its （一）s may be items of a chapter printed as one body
                self._sections_by_position(ci, pairs)

    def _chapters_as_sections(self) -> None:
        """A printed chapter no layout chapter holds, worded as a section the report does not
        print otherwise (“三、部门整体支出绩效目标” where the layout has it as a （三）): that
        section, where the layout prints it."""
        chapters = self.outline.chapters
        lone = [ci for ci in range(len(chapters)) if ci not in self.chapter_of]
        free = [key for key in self.section_heading if key not in self.assigned.values()]

        def score(ci: int, w: int) -> float:
            return alike(chapters[ci].heading, self.section_heading[free[w]])

        for ci, w, ratio in _best_first(lone, list(range(len(free))), score):
            self.chapter_as[ci] = free[w]
            self.score += ratio

    def _sections_by_position(self, ci: int, pairs: list[tuple[int, int]]) -> None:
        """Between the same two placed sections, a heading worded unlike any section and a
        required section not printed, at the same place among the unplaced ones: that section,
        worded otherwise (an optional one is left out, the heading becoming the department's
        own section)."""
        wanted = self.shape.chapters[self.chapter_of[ci]].sections
        sections = self.outline.chapters[ci].sections
        for found, places in _gaps(pairs, len(sections), len(wanted)):
            free_found = [
                si for si in found if sections[si].heading and (ci, si) not in self.assigned
            ]
            taken = {*self.assigned.values(), *self.chapter_as.values()}
            free_wanted = [j for j in places if wanted[j][0] not in taken]
            for si, j in zip(free_found, free_wanted, strict=False):
                key, heading = wanted[j]
                if key not in self.shape.optional:
                    self.assigned[(ci, si)] = key
                    self._by_position(sections[si].heading or "", heading, key)

    def _by_position(self, printed: str, heading: str, key: str) -> None:
        self.notes.append(f"“{printed}”按位置对应版式的“{heading}”（{key}），请核对")

    # ---- the department's changes and what goes into each section ----

    def build(self) -> Mapping:
        placer = _Placer(self, self._bodies())
        for ci in range(len(self.outline.chapters)):
            placer.chapter(ci)
        if placer.pending:
            self.notes.append(
                "全文没有可识别的节，无法放置：" + "、".join(e.heading for e in placer.pending)
            )
        changes = OutlineChanges(
            headings=placer.headings,
            notes=placer.heading_notes,
            omit=self._omitted(placer.placements, placer.bodies),
            extra_sections=placer.extras,
            chapter_bodies=placer.as_bodies,
        )
        plan, problems = resolve(self.shape.spec, changes)
        self.notes.extend(f.message for f in problems)
        self._order(plan, placer.printed_keys)
        own = {c.key: c.title for c in self.shape.chapters} | self.section_heading
        return Mapping(
            self.name,
            self.score,
            placer.placements,
            changes,
            plan,
            self.notes,
            own,
            placer.section_notes,
        )

    def _bodies(self) -> set[int]:
        """Printed chapters taken as one body: their layout chapter has sections, yet none of
        the printed ones is a section of the layout and the chapter has text of its own."""
        layout = self.shape.chapters
        taken = set(self.assigned.values())
        return {
            ci
            for ci, li in self.chapter_of.items()
            if not layout[li].body
            and self.outline.chapters[ci].paragraphs
            and not any(k[0] == ci for k in self.assigned)
            and not any(key in taken for key, _ in layout[li].sections)
        }

    def _heading_of(self, key: str) -> str:
        titles = {c.key: c.title for c in self.shape.chapters} | self.section_heading
        return titles.get(key, key)

    def _next_assigned(self, ci: int, si: int) -> str | None:
        """The layout section printed next after section ``si`` in chapter ``ci`` that the
        layout has in the same chapter, if any (one it has elsewhere anchors nothing here)."""
        sections = self.outline.chapters[ci].sections
        li = self.chapter_of.get(ci)
        keys = (self.assigned.get((ci, n)) for n in range(si + 1, len(sections)))
        return next(
            (key for key in keys if key is not None and self.section_chapter[key] == li), None
        )

    @staticmethod
    def _retitle(
        headings: dict[str, str], notes: dict[str, str], key: str, printed: str, heading: str
    ) -> None:
        """The published wording of a layout's heading, when it differs: ``headings``, and a
        note in brackets after it: ``notes``."""
        if printed == heading_text(heading):
            return
        base, note = split_note(printed)
        if note is not None:
            notes[key] = note
            printed = base
        if printed != heading_text(heading):
            headings[key] = printed

    def _omitted(self, placements: dict[str, Placement], bodies: set[int]) -> list[str]:
        """The optional chapters and sections the report does not print."""
        omit: list[str] = []
        printed = set(self.chapter_of.values())
        as_body = {self.chapter_of[ci] for ci in bodies}
        for li, chapter in enumerate(self.shape.chapters):
            if li in as_body:
                continue
            keys = [key for key, _ in chapter.sections]
            if (
                li not in printed
                and chapter.key in self.shape.optional
                and not any(key in placements for key in keys)
            ):
                omit.append(chapter.key)
                continue
            omit += [k for k in keys if k not in placements and k in self.shape.optional]
        return omit

    def _order(self, plan: Plan, printed_keys: list[str]) -> None:
        """Score the order, and note each part printed before one the layout puts ahead of it."""
        position = {key: n for n, key in enumerate(plan.headings)}
        order = [position[key] for key in printed_keys if key in position]
        self.score += 0.5 * sum(1 for a, b in itertools.pairwise(order) if a < b)
        # each required section the report lacks (a chapter printed as one body has none)
        self.score -= sum(
            1 for key in self.shape.required if key in position and key not in printed_keys
        )
        latest: str | None = None
        for key in printed_keys:
            if key not in position:
                continue
            if latest is not None and position[key] < position[latest]:
                self.notes.append(
                    f"“{plan.headings[key]}”印在“{plan.headings[latest]}”之后，版式中在其前："
                    "草稿按版式的顺序排列，请核对"
                )
            elif latest is None or position[key] > position[latest]:
                latest = key


class _Placer:
    """Walks the printed outline once, in print order, and puts each part where the layout
    (with the department's changes) prints it: a section, a one-body chapter, a section of the
    department's own, or a titled item of the section before."""

    def __init__(self, matcher: _Matcher, bodies: set[int]) -> None:
        self.matcher = matcher
        self.bodies = bodies
        self.headings: dict[str, str] = {}
        self.heading_notes: dict[str, str] = {}
        self.extras: list[ExtraSection] = []
        self.as_bodies: list[str] = []
        self.placements: dict[str, Placement] = {}
        self.printed_keys: list[str] = []  # in the order the report prints them
        self.pending: list[Extra] = []  # parts met before any section
        self.section_notes: dict[str, list[str]] = {}  # what the draft says at a section
        self.last: Placement | None = None
        reserved = {c.key for c in matcher.shape.chapters} | set(matcher.section_heading)
        self.extra_keys = (
            key
            for key in (EXTRA_KEY.format(n=n) for n in itertools.count(1))
            if key not in reserved
        )

    def place(self, key: str) -> Placement:
        placement = self.placements.setdefault(key, Placement(key))
        placement.paragraphs[:0] = self.pending
        self.pending.clear()
        self.printed_keys.append(key)
        self.last = placement
        return placement

    def retitle(self, key: str, printed: str, heading: str) -> None:
        self.matcher._retitle(self.headings, self.heading_notes, key, printed, heading)

    def extra(self, heading: str, paragraphs: list[SourceParagraph], what: str) -> None:
        """A part no section or chapter of the layout holds, as a titled item of the section
        before (or, before any, after): said at the top of the draft and at the section itself."""
        matcher = self.matcher
        if self.last is not None:
            self.last.paragraphs.append(Extra(heading, paragraphs))
            key, where = self.last.key, "末尾"
        else:
            self.pending.append(Extra(heading, paragraphs))
            key, where = None, "开头"
        place = (
            f"{'上' if key else '下'}一节{f' {key}（{matcher._heading_of(key)}）' if key else ''}"
        )
        if what.endswith("章"):
            matcher.notes.append(
                f"原文{what}“{heading}”是版式 {matcher.name} 没有的一章，outline 只能增加节、"
                f"不能增加章：这一章连同其下的文字放在{place}{where}，作为带小标题的条目，"
                "生成的报告中不再单独成章；如需单独成章，请用 reportgen layout new "
                "新建一个有这一章的版式"
            )
        else:
            matcher.notes.append(
                f"“{heading}”不是版式中的一节：其内容放在{place}{where}，作为带小标题的条目"
            )
        if key is not None:
            self.section_notes.setdefault(key, []).append(
                f"{where}的条目“{heading}”原是{what}，版式中没有，见文件开头的说明"
            )

    def chapter(self, ci: int) -> None:
        matcher, layout = self.matcher, self.matcher.shape.chapters
        chapter = matcher.outline.chapters[ci]
        li = matcher.chapter_of.get(ci)
        if li is not None:
            self.retitle(layout[li].key, chapter.heading, layout[li].title)
            if layout[li].body or ci in self.bodies:
                if ci in self.bodies:
                    self.as_bodies.append(layout[li].key)
                    if any(s.heading for s in chapter.sections):
                        matcher.notes.append(
                            f"“{chapter.heading}”下的小标题都不是版式中的节：整章作为一段正文"
                            "（outline.chapter_bodies），小标题作为条目，请核对"
                        )
                self.place(layout[li].key).paragraphs.extend(chapter.paragraphs)
                return
        elif ci in matcher.chapter_as:
            self.as_section(ci, matcher.chapter_as[ci])
            return
        elif not any(s.heading for s in chapter.sections):
            self.extra(chapter.heading, chapter.paragraphs, f"第{chinese_number(ci + 1)}章")
            return
        else:
            self.extra(chapter.heading, [], f"第{chinese_number(ci + 1)}章")
        previous: str | None = None  # the section printed before, in this chapter
        for si in range(len(chapter.sections)):
            previous = self.section(ci, si, li, previous)

    def as_section(self, ci: int, key: str) -> None:
        """Printed chapter ``ci`` as the layout's section ``key``: its text, and each of its
        own （一）s as a titled item."""
        matcher = self.matcher
        chapter = matcher.outline.chapters[ci]
        self.retitle(key, chapter.heading, matcher.section_heading[key])
        owner = matcher.shape.chapters[matcher.section_chapter[key]].title
        matcher.notes.append(
            f"原文第{chinese_number(ci + 1)}章“{chapter.heading}”在版式 {matcher.name} 中是"
            f"“{owner}”下的一节（{key}）：草稿按版式的位置排列，请核对"
        )
        placement = self.place(key)
        if not any(s.heading for s in chapter.sections):
            placement.paragraphs.extend(chapter.paragraphs)  # everything under it
            return
        for section in chapter.sections:
            if section.heading is None:
                placement.paragraphs.extend(section.paragraphs)
            else:
                placement.paragraphs.append(Extra(section.heading, section.paragraphs))

    def section(self, ci: int, si: int, li: int | None, previous: str | None) -> str | None:
        """Place section ``si`` of printed chapter ``ci`` (layout chapter ``li``); the key of
        the section printed last in this chapter."""
        matcher = self.matcher
        chapter = matcher.outline.chapters[ci]
        section = chapter.sections[si]
        if section.heading is None:
            if self.last is not None:
                self.last.paragraphs.extend(section.paragraphs)
                matcher.notes.append(
                    f"“{chapter.heading}”下、第一个小节之前的文字放入上一节 {self.last.key}"
                )
            else:
                self.pending.append(Extra(chapter.heading, section.paragraphs))
                matcher.notes.append(f"“{chapter.heading}”下、第一个小节之前的文字放入下一节")
            return previous
        key = matcher.assigned.get((ci, si))
        if key is not None:
            self.retitle(key, section.heading, matcher.section_heading[key])
            if li is not None and matcher.section_chapter[key] != li:
                owner = matcher.shape.chapters[matcher.section_chapter[key]].title
                matcher.notes.append(
                    f"“{section.heading}”印在“{chapter.heading}”下，版式中属于"
                    f"“{owner}”：草稿按版式的位置排列，请核对"
                )
                self.place(key).paragraphs.extend(section.paragraphs)
                return previous  # a section of its own after it stays in this chapter
            self.place(key).paragraphs.extend(section.paragraphs)
            return key
        following = matcher._next_assigned(ci, si)
        if li is None or (previous is None and following is None):
            self.extra(section.heading, section.paragraphs, "一节")
            return previous
        key = next(self.extra_keys)
        self.extras.append(
            ExtraSection(key=key, heading=section.heading, after=previous)
            if previous is not None
            else ExtraSection(key=key, heading=section.heading, before=following)
        )
        self.place(key).paragraphs.extend(section.paragraphs)
        return key


def map_outline(outline: Outline, layout: str) -> Mapping:
    matcher = _Matcher(outline, layout, layout_outlines()[layout])
    matcher.match_chapters()
    matcher.match_sections()
    return matcher.build()


def choose_layout(outline: Outline, wanted: str | None) -> tuple[Mapping, list[Mapping]]:
    """The mapping for ``wanted``, or for the layout that fits best; and every layout's."""
    mappings = [map_outline(outline, name) for name in layout_outlines()]
    ranked = sorted(mappings, key=lambda m: -m.score)
    if wanted is not None:
        return next(m for m in mappings if m.layout == wanted), ranked
    return ranked[0], ranked
