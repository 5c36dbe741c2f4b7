"""The quantities of last year's report a next-year draft keeps in ``previous.quantities``, so that
one left in this year's prose is found (R011): each indicator's actual value with its unit, and
each number the prose types with a unit of count (“2544人次”, “36.03万宗”) from 10 up or with a
fraction — a small whole count (“3个”) is too common to say it is last year's. Likewise the
rates the prose types that no field holds (“覆盖率达到42.5%”, “婴儿死亡率1.85‰”, or in Chinese
numerals, “千分之一点八五”, kept as 1.85‰), in
``previous.rates``: from 10 up or with a fraction, and not 100 (too common)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from reportgen.importer.facts import Facts
from reportgen.importer.numerals import decimal_of, rates_as_figures
from reportgen.model.amounts import RATE_SIGN, FigureKind, in_percent
from reportgen.model.formatting import printed
from reportgen.model.previous import parse_quantity, quantities_in, typed_figure

_SMALLEST = 10
# a rate typed in prose (NFKC), in % or ‰, not part of a longer number or a placeholder
_RATE = re.compile(rf"(?<![\d.}}])(?<!\d,)(\d{{1,3}}(?:\.\d{{1,4}})?)\s{{0,3}}({RATE_SIGN})")


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


def kept_rates(texts: list[str], facts: Facts) -> list[str]:
    """Last year's rates typed in the prose (“42.5%”, “1.85‰”), each once, in reading order, as
    the draft writes them: from 10 up or with a fraction, and not 100, as typed; not those the
    draft's ``previous.figures`` keep (the facts' rates, the indicators' completion rates)."""
    known = {f.value for f in facts.found.values() if f.kind is FigureKind.RATE}
    for indicator in facts.indicators:
        rate = indicator.get("rate")
        if isinstance(rate, str) and rate.endswith("%"):
            known.add(decimal_of(rate.removesuffix("%")))
    kept: dict[Decimal, str] = {}
    for text in texts:
        typed = rates_as_figures(unicodedata.normalize("NFKC", text)).text  # “千分之一点八五”
        for match in _RATE.finditer(typed):
            value, sign = Decimal(match.group(1)), match.group(2)
            whole = value == value.to_integral_value()
            if value == 100 or in_percent(value, sign) in known or (value < _SMALLEST and whole):
                continue
            kept.setdefault(
                in_percent(value, sign),
                f"{format(value if whole else value.normalize(), 'f')}{sign}",
            )
    return list(kept.values())
