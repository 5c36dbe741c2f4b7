"""The one comparison policy of BRIEF §3, and the two checks built on it: a stated total against
its parts, a stated rate against its quotient.

A stated figure stands for the interval its rounding covers (97.89% for 97.885–97.895). The
computed value inside that interval → fine; outside it by no more than the rounding of the
unpublished figures behind it (one unit of the finest published precision, per part for a sum)
→ 尾数误差 warning; further → error. Money is compared at the cent; a rate or a score at the
decimals it was written with, so 66.5% and 66.55% both match 66.546…%, while 110% does not
match 111.25% (a whole point is no rounding slip). A score written as a whole number is the
exception: a table prints full marks as “10”, so “10” cannot be told from 9.81 rounded, and it
is compared at the two decimals scores are kept with (``SCORE_PLACES``): 10 matches 10.00, not
9.81. A score written with decimals is rounded as it is printed: 9.8 matches 9.81.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from enum import Enum

from reportgen.check.scoring import SCORE_PLACES
from reportgen.findings import FieldPath, Finding, error, warning
from reportgen.model import formatting
from reportgen.model.amounts import MAX_RATE, decimals, round_to

MONEY_PLACES = 2
RATE_PLACES = 2  # rates are printed with two decimals


# how a difference within rounding is said, before the comparison (“尾数误差：支出合计 … 与 …”)
TAIL_SAID = "尾数误差："


def comparison_of(message: str) -> str:
    """The comparison a finding's message states, without the words of a difference within
    rounding around it."""
    if not message.startswith(TAIL_SAID):
        return message
    return message.removeprefix(TAIL_SAID).rsplit("，相差 ", 1)[0]


class Agreement(Enum):
    EQUAL = "equal"
    TAIL = "tail"  # off by the rounding of figures the report does not publish
    WRONG = "wrong"


def unit(places: int) -> Decimal:
    """One unit in the last place of a figure with ``places`` decimals."""
    return Decimal(1).scaleb(-places)


def compare(stated: Decimal, computed: Decimal, places: int, tolerance: Decimal) -> Agreement:
    """``stated``, written with ``places`` decimals, against the unrounded ``computed``.

    ``tolerance`` is how far beyond the stated figure's rounding interval rounding of the
    underlying figures can carry the computed value.
    """
    if round_to(computed, places) == stated:
        return Agreement.EQUAL
    half = unit(places) / 2
    beyond = abs(computed - stated) - half
    return Agreement.TAIL if beyond <= tolerance else Agreement.WRONG


def same_figure(first: Decimal, second: Decimal) -> bool:
    """Two stated figures may be one figure written at different precisions (97.9% and 97.89%):
    the finer lies within the interval the coarser one's rounding covers, its ends included."""
    coarser, finer = sorted((first, second), key=decimals)
    places = decimals(coarser)
    return compare(coarser, finer, places, Decimal(0)) is not Agreement.WRONG


def rate_out_of_range(
    code: str,
    path: FieldPath,
    label: str,
    rate: Decimal | None,
    formula: str,
    check: str,
    related: Sequence[FieldPath] = (),
) -> Finding | None:
    """A computed rate above what any stated rate may be (MAX_RATE): ``check`` names the
    figures whose unit or decimal point is likely wrong."""
    if rate is None or rate <= MAX_RATE:
        return None
    return error(
        code,
        path,
        f"{label} {formula} = {formatting.percent(rate)}，超出合理范围（0%–{MAX_RATE}%），"
        f"请检查{check}的单位与小数点",
        expected=f"≤ {MAX_RATE}%",
        actual=formatting.percent(rate),
        related=related,
    )


def found(*findings: Finding | None) -> Iterator[Finding]:
    """The findings a check returned, without the ``None`` of the checks that passed."""
    yield from (f for f in findings if f is not None)


def plain(value: Decimal) -> str:
    """Money as messages show it: two decimals, no thousands separators (4191.30)."""
    return formatting.money(value, thousands=False)


def _finding(
    agreement: Agreement,
    code: str,
    path: FieldPath,
    message: str,
    gap: str,
    expected: str,
    actual: str,
    related: Sequence[FieldPath],
) -> Finding | None:
    if agreement is Agreement.EQUAL:
        return None
    if agreement is Agreement.TAIL:
        return warning(
            code,
            path,
            f"{TAIL_SAID}{message}，相差 {gap}，可能是未公布的明细数四舍五入所致，请核对",
            expected=expected,
            actual=actual,
            related=related,
        )
    return error(code, path, message, expected=expected, actual=actual, related=related)


def check_sum(
    code: str,
    path: FieldPath,
    label: str,
    stated: Decimal | None,
    parts: Sequence[tuple[str, Decimal]],
    related: Sequence[FieldPath] = (),
    *,
    shown: Callable[[Decimal], str] = plain,
    min_places: int = MONEY_PLACES,
) -> Finding | None:
    """``label`` = Σ parts, compared at the finest precision among the figures involved."""
    if stated is None or not parts:
        return None
    computed = sum((value for _, value in parts), Decimal(0))
    places = max(min_places, decimals(stated), *(decimals(value) for _, value in parts))
    agreement = compare(stated, computed, places, unit(places) * len(parts))
    terms = " + ".join(f"{name} {shown(value)}" for name, value in parts)
    expected, actual = shown(computed), shown(stated)
    relation = "≠" if agreement is Agreement.WRONG else "与"
    return _finding(
        agreement,
        code,
        path,
        f"{label} {actual} {relation} {terms} = {expected}",
        shown(abs(stated - computed)),
        expected,
        actual,
        related,
    )


def rate_agreement(stated: Decimal, computed: Decimal) -> Agreement:
    """A stated rate against its unrounded quotient, at the stated rate's own precision."""
    places = decimals(stated)
    return compare(stated, computed, places, unit(max(places, RATE_PLACES)))


def check_rate(
    code: str,
    path: FieldPath,
    label: str,
    stated: Decimal | None,
    computed: Decimal | None,
    formula: str,
    related: Sequence[FieldPath] = (),
) -> Finding | None:
    """``stated`` against ``computed`` at the stated rate's own precision (66.5% and 66.55%
    both match 66.546…); ``formula`` shows how it is derived."""
    if stated is None or computed is None:
        return None
    places = decimals(stated)
    agreement = rate_agreement(stated, computed)
    expected = formatting.percent(computed)
    actual = f"{stated}%"
    relation = "≠" if agreement is Agreement.WRONG else "与"
    gap = abs(round_to(computed, places) - stated)
    return _finding(
        agreement,
        code,
        path,
        f"{label} {actual} {relation} {formula} = {expected}",
        f"{gap} 个百分点",
        expected,
        actual,
        related,
    )


def check_score(
    code: str,
    path: FieldPath,
    label: str,
    stated: Decimal | None,
    computed: Decimal | None,
    formula: str,
    related: Sequence[FieldPath] = (),
) -> Finding | None:
    """A stated score against the one its rule computes, at the stated score's own precision
    (9.8 for 9.81), but a whole number at ``SCORE_PLACES`` (10 is full marks, not 9.81
    rounded); ``formula`` shows the computation."""
    if stated is None or computed is None:
        return None
    places = decimals(stated) or SCORE_PLACES
    agreement = compare(stated, computed, places, unit(max(places, RATE_PLACES)))
    expected, actual = formatting.score(computed), formatting.score(stated)
    relation = "≠" if agreement is Agreement.WRONG else "与"
    return _finding(
        agreement,
        code,
        path,
        f"{label} {actual} {relation} {formula} = {expected}",
        f"{formatting.score(abs(computed - stated))} 分",
        expected,
        actual,
        related,
    )
