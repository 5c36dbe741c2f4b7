"""Where the draft marks a guess (``# 【待核对】`` at the line of its string): the section the
source paragraph it concerns was placed in, and which of that section's strings holding its words
it is, counted in reading order. A note is placed by the source's position, not by the first
string anywhere that happens to hold the same words (a 落款 “××局” and the first paragraph
“××局（以下简称……）是……”)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportgen.importer.mapping import Extra
from reportgen.importer.source import SourceParagraph


@dataclass(frozen=True)
class Mark:
    """A note to write at the ``nth`` string (from 0) of section ``key`` that holds ``words``;
    ``key`` None: at the first string of the draft that holds them."""

    words: str
    note: str
    key: str | None = None
    nth: int = 0


# what a placeholder may have replaced: the figures and the year (“2023 年” → “${year} 年”)
_FIGURES = re.compile(r"\$\{[^{}]{1,200}\}|[\d,.%\s]")
_AGREEING = 6  # characters other than figures that must agree


def holds(value: str, words: str) -> bool:
    """Whether ``value`` is the string ``words`` were taken from (the start of a paragraph, or
    the words either side of a join): before or after its figures became placeholders, and when
    the paragraph was parted into blocks (an intro and its list), by its first words."""
    if not words:
        return False
    if words in value:
        return True
    loose, held = _FIGURES.sub("", words), _FIGURES.sub("", value)
    return any(loose[:n] in held for n in range(len(loose), _AGREEING - 1, -1))


Placed = Sequence[tuple[str, Sequence[SourceParagraph | Extra]]]


class Positions:
    """Where each source paragraph went: its section and the paragraphs before it there. A
    paragraph that held several sections run on (“（一）部门职能。……（二）……”) went to each."""

    def __init__(self, placed: Placed) -> None:
        self._at: dict[int, list[tuple[str, list[str], str]]] = {}
        for key, paragraphs in placed:
            before: list[str] = []
            for paragraph in _flat(paragraphs):
                if paragraph.index is not None:
                    places = self._at.setdefault(paragraph.index, [])
                    if not any(place[0] == key for place in places):
                        places.append((key, list(before), paragraph.text))
                before.append(paragraph.text)

    def key_of(self, index: int | None) -> str | None:
        """The (first) section the source paragraph ``index`` went to."""
        places = self._at.get(index) if index is not None else None
        return places[0][0] if places else None

    def mark(self, index: int | None, words: str, note: str) -> Mark:
        """The mark of ``note`` at the source paragraph ``index`` (``None``: not known): in the
        section its part holding ``words`` went to."""
        places = self._at.get(index) if index is not None else None
        if not places:
            return Mark(words, note)
        key, before, _ = next((p for p in places if holds(p[2], words)), places[0])
        return Mark(words, note, key, sum(holds(text, words) for text in before))


def _flat(paragraphs: Iterable[SourceParagraph | Extra]) -> Iterable[SourceParagraph]:
    for paragraph in paragraphs:
        if isinstance(paragraph, Extra):
            yield from _flat(paragraph.paragraphs)
        else:
            yield paragraph
