"""The two comparisons every rule uses: a stated total against its parts, a stated rate against
its quotient, with the rounding tolerance of BRIEF §3."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportgen import formatting
from reportgen.amounts import money_tolerance, rate_matches
from reportgen.findings import FieldPath, Finding, error, warning


def plain(value: Decimal) -> str:
    """Money as messages show it: two decimals, no thousands separators (4191.30)."""
    return formatting.money(value, thousands=False)


def check_sum(
    code: str,
    path: FieldPath,
    label: str,
    stated: Decimal | None,
    parts: Sequence[tuple[str, Decimal]],
    related: Sequence[FieldPath] = (),
) -> Finding | None:
    """``label`` = Σ parts: exact → nothing; within a cent per part → 尾数误差 warning; else error."""
    if stated is None or not parts:
        return None
    computed = sum((value for _, value in parts), Decimal(0))
    gap = abs(stated - computed)
    if gap == 0:
        return None
    terms = " + ".join(f"{name} {plain(value)}" for name, value in parts)
    expected, actual = plain(computed), plain(stated)
    if gap <= money_tolerance(len(parts)):
        return warning(
            code,
            path,
            f"尾数误差：{label} {actual} 与 {terms} = {expected} 相差 {plain(gap)}（四舍五入所致，允许）",
            expected=expected,
            actual=actual,
            related=related,
        )
    return error(
        code,
        path,
        f"{label} {actual} ≠ {terms} = {expected}",
        expected=expected,
        actual=actual,
        related=related,
    )


def check_rate(
    code: str,
    path: FieldPath,
    label: str,
    stated: Decimal | None,
    computed: Decimal | None,
    formula: str,
    related: Sequence[FieldPath] = (),
) -> Finding | None:
    """``stated`` matches ``computed`` at its own precision; ``formula`` shows how it is derived."""
    if stated is None or computed is None or rate_matches(stated, computed):
        return None
    expected = formatting.percent(computed)
    actual = f"{stated}%"
    return error(
        code,
        path,
        f"{label} {actual} ≠ {formula} = {expected}",
        expected=expected,
        actual=actual,
        related=related,
    )
