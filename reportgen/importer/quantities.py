"""The quantities of last year's report a next-year draft keeps in ``previous.quantities``, so that
one left in this year's prose is found (R011): each indicator's actual value with its unit, and
each number the prose types with a unit of count (“2544人次”, “36.03万宗”) from 10 up or with a
fraction — a small whole count (“3个”) is too common to say it is last year's. Likewise the
percentages the prose types that no field holds (“覆盖率达到42.5%”), in ``previous.rates``:
from 10% up or with a fraction, and not 100% (too common)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from reportgen.importer.facts import Facts
from reportgen.importer.numerals import decimal_of
from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed
from reportgen.model.previous import parse_quantity, quantities_in, typed_figure

_SMALLEST = 10
# a percentage typed in prose (NFKC), not part of a longer number or a placeholder
_PERCENT = re.compile(r"(?<![\d.}])(?<!\d,)(\d{1,3}(?:\.\d{1,4})?)\s{0,3}%")


def kept_quantities(texts: list[str], indicators: list[dict[str, Any]]) -> list[str]:
    """Last year's quantities as the draft writes them, each once, in reading order."""
    kept: dict[tuple[Decimal, str], str] = {}
    for indicator in indicators:
        actual, unit = indicator.get("actual"), indicator.get("unit")
        if isinstance(actual, Decimal) and isinstance(unit, str) and unit:
            typed = f"{printed(FigureKind.QUANTITY, actual)}{typed_figure(unit)}"
            found = parse_quantity(typed)
            if found is not None:  # a unit of count: the prose may type it so
                kept.setdefault(found, typed)
    for text in texts:
        for typed, value, unit in quantities_in(text):
            if value >= _SMALLEST or value != value.to_integral_value():
                kept.setdefault((value, unit), typed_figure(typed))
    return list(kept.values())


def kept_rates(texts: list[str], facts: Facts) -> list[Decimal]:
    """Last year's percentages typed in the prose, each once, in reading order; not those the
    draft's ``previous.figures`` keep (the facts' rates, the indicators' completion rates)."""
    known = {f.value for f in facts.found.values() if f.kind is FigureKind.RATE}
    for indicator in facts.indicators:
        rate = indicator.get("rate")
        if isinstance(rate, str) and rate.endswith("%"):
            known.add(decimal_of(rate.removesuffix("%")))
    kept: dict[Decimal, None] = {}
    for text in texts:
        for match in _PERCENT.finditer(unicodedata.normalize("NFKC", text)):
            value = Decimal(match.group(1))
            whole = value == value.to_integral_value()
            if value != 100 and value not in known and (value >= _SMALLEST or not whole):
                kept.setdefault(value.normalize() if not whole else value, None)
    return list(kept)
