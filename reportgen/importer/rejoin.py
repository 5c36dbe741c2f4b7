"""Lines of text extracted from a PDF → paragraphs: page furniture dropped, line wraps rejoined."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Set

from reportgen.importer.labels import split_label

# Page numbers as GB/T 9704 prints them (“— 3 —”) and the other common forms: anchored, bounded.
_FURNITURE = (
    re.compile(r"[—–\-－~]{1,2}[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}[—–\-－~]{1,2}"),
    re.compile(
        r"第[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}页(?:[ \u3000，,]{0,3}共[ \u3000]{0,3}\d{1,4}[ \u3000]{0,3}页)?"
    ),
    re.compile(r"\d{1,4}(?:[ \u3000]{0,2}/[ \u3000]{0,2}\d{1,4})?"),
)
# One space between two Chinese characters is an extractor's artefact (“项 目支 出”), never a word
# break: Chinese has none. Wider gaps may separate a table's cells and stay.
_CJK = "\u4e00-\u9fff，。；：、“”‘’（）《》"
_STRAY_SPACE = re.compile(f"(?<=[{_CJK}])[ \u3000](?=[{_CJK}])")
_TERMINAL = "。；：！？;:!?"
_CLOSING = "”’」』）)"
# A line this many characters shorter than a full line ends its paragraph; a paragraph's first
# line is indented by two characters (GB/T 9704), so its full width is that much less.
_SHORT_AFTER_PUNCTUATION = 1.0
_SHORT = 2.5
_FIRST_LINE_INDENT = 2.0
# Text wrapped at a margin has this share of its lines within the tolerance of the full width.
_WRAPPED_SHARE = 0.3
_MARGIN_TOLERANCE = 1.5


def is_furniture(line: str) -> bool:
    return any(pattern.fullmatch(line) for pattern in _FURNITURE)


def width(line: str) -> float:
    """Printed width in characters: a CJK or full-width character is one, ASCII half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line)


def _running_headers(lines: list[str]) -> set[str]:
    """Short lines repeated on three or more pages, such as a department name atop each page."""
    counts = Counter(line for line in lines if line and len(line) <= 40)
    return {line for line, n in counts.items() if n >= 3 and split_label(line) is None}


def tidy(line: str) -> str:
    """A line without the spaces around it and an extractor's spaces between Chinese characters."""
    return _STRAY_SPACE.sub("", line.strip(" \t\u3000\f\v"))


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSING)
    return bool(stripped) and stripped[-1] in _TERMINAL


def paragraphs(text: str, whole: Set[str] = frozenset()) -> list[str]:
    """Rejoin the wrapped lines of ``text`` into paragraphs; a line in ``whole`` (a table's
    row) is one by itself.

    A blank line separates paragraphs only where blank lines are rare: an extraction that puts
    one after every line (as the published PDFs' text does) says nothing with them. A line ends
    its paragraph when the next starts a heading or list label, or when it stops clearly short
    of a full line (a little short is enough after 。；：).
    """
    raw = [tidy(line) for line in text.splitlines()]
    nonblank = [i for i, line in enumerate(raw) if line]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and not raw[i + 1])
    blanks_mean_breaks = followed_by_blank < 0.5 * max(len(nonblank), 1)
    headers = _running_headers(raw)
    lines: list[tuple[str, bool]] = []  # (line, a blank line follows it)
    in_body = False  # past the first 一、 heading: a running header there is no title line
    for i in nonblank:
        line = raw[i]
        if is_furniture(line) or (in_body and line in headers):
            continue
        label = split_label(line)
        in_body = in_body or (label is not None and label.kind == "chapter")
        blank_after = i + 1 < len(raw) and not raw[i + 1]
        lines.append((line, blank_after and blanks_mean_breaks))
    widths = sorted(width(line) for line, _ in lines)
    full = widths[int(len(widths) * 0.9)] if widths else 0.0
    at_margin = sum(
        1
        for w in widths
        if min(abs(w - full), abs(w - full + _FIRST_LINE_INDENT)) <= _MARGIN_TOLERANCE
    )
    if at_margin < _WRAPPED_SHARE * len(widths):
        # no margin the lines stop at: each line is a paragraph (text saved from an editor)
        return [line for line, _ in lines]
    found: list[str] = []
    current: list[str] = []
    for index, (line, break_after) in enumerate(lines):
        if line in whole:
            if current:
                found.append("".join(current))
                current = []
            found.append(line)
            continue
        first = not current
        current.append(line if first else _glue(current[-1], line))
        following = lines[index + 1][0] if index + 1 < len(lines) else None
        threshold = _SHORT_AFTER_PUNCTUATION if _ends_sentence(line) else _SHORT
        if first:
            threshold += _FIRST_LINE_INDENT
        if (
            following is None
            or following in whole
            or break_after
            or split_label(following) is not None
            or width(line) < full - threshold
        ):
            found.append("".join(current))
            current = []
    return found


def _glue(before: str, after: str) -> str:
    """Words of Latin script keep a space across the wrap; Chinese text joins directly."""
    if (
        before[-1:].isascii()
        and before[-1:].isalpha()
        and after[:1].isascii()
        and after[:1].isalpha()
    ):
        return " " + after
    return after
