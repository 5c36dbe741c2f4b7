"""The quantities of last year's report a next-year draft keeps in ``previous.quantities``, so that
one left in this year's prose is found (R011): each indicator's actual value with its unit, and
each number the prose types with a unit of count (“2544人次”, “36.03万宗”) from 10 up or with a
fraction — a small whole count (“3个”) is too common to say it is last year's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed
from reportgen.model.previous import parse_quantity, quantities_in, typed_figure

_SMALLEST = 10


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
