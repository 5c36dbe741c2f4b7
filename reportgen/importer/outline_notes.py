"""What the draft says of the outline as published where reportgen prints it otherwise: chapters
and sections numbered otherwise than the layout, marks after headings, and the 落款 at the end."""

from __future__ import annotations

from reportgen.importer.outline import Outline
from reportgen.importer.signature import Signature, signed_lines
from reportgen.importer.source import SourceParagraph


def signature(paragraphs: list[SourceParagraph], department: str | None) -> Signature | None:
    """The 落款 the report's paragraphs end with, if they do (see signature.py)."""
    count = signed_lines([p.text for p in paragraphs], department)
    taken = paragraphs[len(paragraphs) - count :] if count else []
    if not taken or taken[-1].level is not None:
        return None  # none, or a heading of Word's
    indexes = tuple(p.index for p in taken if p.index is not None)
    return Signature(indexes, tuple(p.text.strip() for p in taken))


def numbering_notes(outline: Outline) -> list[str]:
    """Chapters and sections numbered otherwise than the layout numbers them (“第一部分”,
    sections “1.” “2.”): the report prints the layout's numbers."""
    notes = []
    typed = [chapter.label for chapter in outline.chapters[:2] if chapter.label]
    if outline.chapter_kind != "chapter" and typed:
        shown = "".join(f"“{label}”" for label in typed)
        notes.append(f"原文的章编为{shown}……，生成的报告按版式编为“一、”“二、”……")
    for chapter in outline.chapters:
        if chapter.section_labels:
            shown = "".join(f"“{label}”" for label in chapter.section_labels)
            notes.append(
                f"“{chapter.heading}”下的节原文编为{shown}……，生成的报告按版式编为“（一）”“（二）”……"
            )
    return notes


def dropped_marks(outline: Outline) -> tuple[list[str], list[tuple[int | None, str, str]]]:
    """What the draft says of the marks after a heading: reportgen prints headings bare (a
    note), and a heading with its text run in on a line of its own (a note marked at the line
    of that text)."""
    notes: list[str] = []
    marks: list[tuple[int | None, str, str]] = []
    bare: list[str] = []
    headings: list[tuple[str | None, str, bool, bool, list[SourceParagraph]]] = []
    for chapter in outline.chapters:
        headings.append(
            (chapter.heading, chapter.dropped, chapter.run_in, False, chapter.paragraphs)
        )
        headings += [
            (s.heading, s.dropped, s.run_in, s.run_on, s.paragraphs) for s in chapter.sections
        ]
    for heading, dropped, run_in, run_on, paragraphs in headings:
        if not heading or not (dropped or run_in):
            continue
        if run_in:
            together = "与上一节的正文、其后的正文" if run_on else "与其后的正文"
            note = f"“{heading}{dropped}”{together}原在同一段：生成的报告中"
            note += "另起一节，标题单独一行" if run_on else "标题单独一行"
            if dropped:
                note += f"，标题后的“{dropped}”不再印出"
            notes.append(note)
            first = paragraphs[0] if paragraphs else None
            marks.append((first.index if first else None, first.text[:16] if first else "", note))
        else:
            bare.append(f"“{heading}{dropped}”")
    if bare:
        notes.append(f"生成的报告中标题不带标点，这些标题末尾的标点不再印出：{'、'.join(bare)}")
    return notes, marks
