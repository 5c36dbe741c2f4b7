"""How numbers look on the page: Chinese numerals and the generated labels at every level."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.layout.numbering import chinese_number, enumerate_chinese, ordinal_label

DIGITS = {d: i for i, d in enumerate("零一二三四五六七八九")}
UNITS = {"十": 10, "百": 100, "千": 1000}


def read_chinese(text: str) -> int:
    """The value of a Chinese numeral, read independently of how ``chinese_number`` writes it."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if unit in text:
            high, _, low = text.rpartition(unit)
            return read_chinese(high) * size + (read_chinese(low) if low else 0)
    total, digit = 0, None
    for char in text:
        if char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        else:
            digit = DIGITS[char]
    return total + (digit or 0)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (120, "一百二十"),
        (200, "二百"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (10_000, "一万"),
        (10_010, "一万零一十"),
        (10_500, "一万零五百"),
        (11_000, "一万一千"),
        (100_000, "十万"),
        (100_100, "十万零一百"),
        (1_000_001, "一百万零一"),
        (20_100_000, "二千零一十万"),
        (100_000_001, "一亿零一"),
        (100_010_000, "一亿零一万"),
        (10**12, "一万亿"),
    ],
)
def test_chinese_number(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


@given(st.integers(min_value=1, max_value=10**13))
def test_chinese_number_reads_back_and_obeys_the_zero_rules(n: int) -> None:
    text = chinese_number(n)
    assert read_chinese(text) == n
    assert "零零" not in text and not text.endswith("零") and not text.startswith("一十")
    assert not text.startswith("零")


def test_chinese_ordinals_are_distinct_up_to_twenty_thousand() -> None:
    labels = [chinese_number(n) for n in range(1, 20_001)]
    assert len(set(labels)) == len(labels)
    assert [read_chinese(label) for label in labels] == list(range(1, 20_001))


@pytest.mark.parametrize("n", [0, -1])
def test_chinese_number_refuses_non_positive(n: int) -> None:
    with pytest.raises(ValueError, match="ordinal out of range"):
        chinese_number(n)


@pytest.mark.parametrize(
    ("level", "n", "expected"),
    [
        (1, 4, "四、"),
        (1, 120, "一百二十、"),
        (2, 1, "（一）"),
        (2, 100, "（一百）"),
        (2, 120, "（一百二十）"),
        (3, 120, "120."),
        (4, 120, "（120）"),
        (5, 1, "①"),
        (5, 20, "⑳"),
        (5, 21, "㉑"),
        (5, 35, "㉟"),
        (5, 36, "㊱"),
        (5, 50, "㊿"),
        (5, 51, "51)"),
        (5, 120, "120)"),
    ],
)
def test_ordinal_label(level: int, n: int, expected: str) -> None:
    assert ordinal_label(level, n) == expected


def test_level_five_labels_are_distinct_and_never_a_level_three_or_four_label() -> None:
    fifth = [ordinal_label(5, n) for n in range(1, 501)]
    assert len(set(fifth)) == len(fifth)
    others = {ordinal_label(level, n) for level in (3, 4) for n in range(1, 501)}
    assert not set(fifth) & others


def test_enumerate_chinese_past_one_hundred() -> None:
    assert [enumerate_chinese(n) for n in (1, 10, 100, 101, 120)] == [
        "一是",
        "十是",
        "一百是",
        "一百零一是",
        "一百二十是",
    ]
