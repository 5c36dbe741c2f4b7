"""The text a published report prints between its title and its first chapter (“根据……要求，现将
……报告如下：”): the preface of a layout whose outline has one. Short lines at its head that read
as no sentence (a unit's name, a date, a subtitle under the title) are kept there too, so that
no word is lost, and said in the draft: they may not belong to the report's text."""

from __future__ import annotations

from reportgen.findings import clip
from reportgen.importer.rejoin import width
from reportgen.importer.source import SourceParagraph

# a line wider than this is text, whatever it ends with (a heading is at most as wide)
_MAX_LINE_WIDTH = 40
_SENTENCE_END = "。；;！？!?：:，,"
_SHOWN = 20


def stray_lines(lead: list[SourceParagraph]) -> tuple[int | None, str, str] | None:
    """The mark (paragraph, words, note) for the short lines at the head of ``lead`` that read
    as no sentence, or None when it starts with text."""
    stray: list[SourceParagraph] = []
    for paragraph in lead:
        text = " ".join(paragraph.text.split())
        if width(text) > _MAX_LINE_WIDTH or text.rstrip("”’）)")[-1:] in _SENTENCE_END:
            break
        stray.append(paragraph)
    if not stray:
        return None
    lines = "”“".join(clip(" ".join(p.text.split()), _SHOWN) for p in stray[:3])
    more = f"等 {len(stray)} 行" if len(stray) > 3 else ""
    note = (
        f"原文标题之下、第一章之前的“{lines}”{more}不像正文的句子（落款、日期或副标题？），"
        "已放在前言之首，将印在第一章之前：不属于报告正文的请删去"
    )
    return stray[0].index, stray[0].text.strip()[:16], note
