"""The one comparison policy (check/rules/arithmetic.py) at each side of its lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.check.rules.arithmetic import Agreement, compare, same_figure

D = Decimal


@pytest.mark.parametrize(
    ("stated", "computed", "places", "tolerance", "expected"),
    [
        # inside the stated figure's rounding interval, its lower end included (half up)
        ("97.89", "97.885", 2, "0.01", Agreement.EQUAL),
        ("97.89", "97.8949", 2, "0.01", Agreement.EQUAL),
        # its upper end rounds up to the next figure: half a unit beyond, within tolerance
        ("97.89", "97.895", 2, "0.01", Agreement.TAIL),
        ("97.89", "97.8849", 2, "0.01", Agreement.TAIL),
        # exactly on the warning/error line: half a unit plus the tolerance away
        ("97.89", "97.905", 2, "0.01", Agreement.TAIL),
        ("97.89", "97.875", 2, "0.01", Agreement.TAIL),
        # one step beyond it
        ("97.89", "97.9051", 2, "0.01", Agreement.WRONG),
        ("97.89", "97.8749", 2, "0.01", Agreement.WRONG),
        # money, two parts: one cent per part
        ("100.00", "100.025", 2, "0.02", Agreement.TAIL),
        ("100.00", "100.0251", 2, "0.02", Agreement.WRONG),
        ("100.00", "99.975", 2, "0.02", Agreement.TAIL),
        ("100.00", "99.9749", 2, "0.02", Agreement.WRONG),
        # no tolerance: only the interval itself
        ("95", "95.5", 0, "0", Agreement.TAIL),  # rounds to 96, yet only half a unit out
        ("95", "95.51", 0, "0", Agreement.WRONG),
        ("95", "94.5", 0, "0", Agreement.EQUAL),
        ("95", "94.49", 0, "0", Agreement.WRONG),
    ],
)
def test_compare_on_each_side_of_its_lines(
    stated: str, computed: str, places: int, tolerance: str, expected: Agreement
) -> None:
    assert compare(D(stated), D(computed), places, D(tolerance)) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("97.9", "97.89", True),
        ("97.89", "97.9", True),
        ("97.9", "97.85", True),  # exactly half a unit of the coarser figure
        ("97.9", "97.95", True),
        ("97.9", "97.84", False),  # one unit of the finer figure beyond
        ("97.9", "97.96", False),
        ("100", "100.00", True),
        ("100", "100.5", True),
        ("100", "100.51", False),
        ("4281.75", "4281.75", True),
        ("4281.75", "4281.76", False),
    ],
)
def test_two_stated_figures_are_one_within_the_coarser_ones_rounding(
    first: str, second: str, expected: bool
) -> None:
    assert same_figure(D(first), D(second)) is expected
