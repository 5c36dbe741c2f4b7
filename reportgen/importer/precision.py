"""Figures a report writes more coarsely than the data holds them: an amount in 亿元
(“0.42亿元”) is 4,200.00万元 in the draft, but stands for anything from 4,150 to 4,250万元.
A rule that finds it off by less than that is not finding a slip of the report. And, for audit,
amounts in 元 more finely than the data holds them (“593,750.00元” is 59.375万元): held at the
nearest 0.01 万元 and checked within the cent either side, so that the rest of the report is
checked too (the draft a clerk gets asks for such a figure instead: 待填写).

A finding on such figures (its own, or ones it was computed from) is within their precision
when some values the written figures stand for satisfy the rule: the draft is checked again with
the figures at the corners of their ranges, and the finding either goes, or what it found moves
from one side of what was stated to the other (a sum, a rate: they change steadily with each
figure, so between two corners on either side there is a value that fits)."""

from __future__ import annotations

import itertools
import re
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from reportgen.findings import FieldPath, Finding, format_path, parse_path
from reportgen.importer.coverage import findings_with
from reportgen.importer.facts import Fact, Facts
from reportgen.importer.numerals import plain_number
from reportgen.layout.search import LayoutSearch
from reportgen.model.amounts import FigureKind
from reportgen.read.loader import Document

# a unit coarser than the data's 万元, by how many 万元 one of it is
_COARSE = {"亿元": Decimal(10000)}
_MOST_INVOLVED = 4  # coarse figures in one finding tried together (2⁴ validations at most)
_WRITTEN = re.compile(r"([\d,，.．]+)\s*(亿元)$")


def coarse_range(written: str) -> tuple[Decimal, Decimal] | None:
    """The 万元 amounts a figure written in a coarse unit stands for (“0.42亿元” → 4150,
    4250), or ``None`` for one written as precisely as the data holds it."""
    found = _WRITTEN.search(written.strip())
    if found is None:
        return None
    digits = re.sub(r"[,，]", "", found.group(1)).replace("．", ".")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return None
    places = len(digits.partition(".")[2])
    half = Decimal(5).scaleb(-places - 1)
    scale = _COARSE[found.group(2)]
    return (number - half) * scale, (number + half) * scale


def held_to_the_cent(facts: Facts) -> dict[str, tuple[Decimal, Decimal]]:
    """Put each amount in 元 the data cannot hold exactly into ``facts`` at the nearest 0.01
    万元; the cents either side of it, by field path."""
    cent = Decimal("0.01")
    held: dict[str, tuple[Decimal, Decimal]] = {}
    for inexact in facts.inexact:
        if inexact.path in facts.found:
            continue
        nearest = inexact.exact.quantize(cent)
        facts.found[inexact.path] = Fact(
            inexact.path, nearest, FigureKind.MONEY, inexact.token, inexact.sentence
        )
        low = inexact.exact.quantize(cent, rounding=ROUND_FLOOR)
        held[inexact.path] = (low, low + cent)
    return held


def within_precision(
    doc: Document,
    finding: Finding,
    ranges: dict[str, tuple[Decimal, Decimal]],
    search: LayoutSearch,
) -> bool:
    """Whether ``finding`` on the draft ``doc`` goes, or turns to the other side, somewhere in
    the ranges of the coarsely written figures it involves (``ranges``, by field path): they
    are set together to each corner of their ranges (a sum or a rate is at its least and most
    at a corner), and what the rule computes less what the report states changes sign, or the
    finding goes, at one of them."""
    involved = [path for path in (finding.path, *finding.related) if format_path(path) in ranges]
    if not involved or len(involved) > _MOST_INVOLVED:
        return False
    sides = set()
    for corner in itertools.product(*(ranges[format_path(path)] for path in involved)):
        side = _side(doc, dict(zip(involved, corner, strict=True)), finding, search)
        if side is None or side == 0:
            return True
        sides.add(side)
    return len(sides) > 1


def _side(
    doc: Document, values: dict[FieldPath, Decimal], finding: Finding, search: LayoutSearch
) -> int | None:
    """With the figures at ``values``: the sign of what the rule computes less what the report
    states (0 when they are equal), or ``None`` when the finding goes."""
    changes = {path: f"{value.quantize(Decimal('0.01'))}" for path, value in values.items()}
    for found in findings_with(doc, changes, search):
        if found.code == finding.code and found.path == finding.path:
            expected, actual = plain_number(found.expected), plain_number(found.actual)
            if expected is None or actual is None:
                return 1  # nothing to compare: the same side at every corner, never “within”
            return (expected > actual) - (expected < actual)
    return None


def found_within_the_cent(
    doc: Document, held: dict[str, tuple[Decimal, Decimal]], search: LayoutSearch
) -> list[tuple[Finding, Decimal]]:
    """What the rules find on a figure held at its nearest cent (:func:`held_to_the_cent`) at
    a cent either side of it, once each, with the value it was found at: the report's exact
    figure lies between the two, so such a finding can be neither confirmed nor ruled out."""
    found: dict[tuple[str, FieldPath], tuple[Finding, Decimal]] = {}
    for key, corners in held.items():
        path = parse_path(key)
        if path is None:
            continue
        for corner in corners:
            for finding in findings_with(doc, {path: f"{corner}"}, search):
                if path in (finding.path, *finding.related):
                    found.setdefault((finding.code, finding.path), (finding, corner))
    return list(found.values())
