"""How a figure prints: money, percent, score, quantity. One rounding (half up, as the report
prints) for the report, the template filters and every message, so they always show the same digits."""

from __future__ import annotations

from decimal import Decimal

from reportgen.model.amounts import FigureKind, round_to


def money(value: Decimal, thousands: bool = True) -> str:
    """万元 with two decimals: ``4,281.75`` (or ``4281.75`` without separators)."""
    rounded = round_to(value, 2)
    return f"{rounded:,.2f}" if thousands else f"{rounded:.2f}"


def percent(value: Decimal) -> str:
    """A rate in percent with two decimals: ``97.89%``."""
    return f"{round_to(value, 2):.2f}%"


def score(value: Decimal) -> str:
    """A score as written, without trailing zeros beyond two decimals: ``98.79``, ``49.5``."""
    text = f"{round_to(value, 2):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def quantity(value: Decimal) -> str:
    """A count or measure as written: ``88``, ``1300``, ``3.5``."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def printed(kind: FigureKind | None, value: object, thousands: bool = True) -> str:
    """A figure as the report prints it, by its kind."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        if kind is FigureKind.RATE:
            return percent(value)
        if kind is FigureKind.SCORE:
            return score(value)
        if kind is FigureKind.QUANTITY:
            return quantity(value)
        return money(value, thousands)
    return str(value)
