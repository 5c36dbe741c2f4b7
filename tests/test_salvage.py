"""Schema errors do not hide the rules: what loaded is still checked, in the same run."""

from __future__ import annotations

from typing import Any

from reportgen.check.validate import validate_text
from reportgen.findings import Finding
from tests.conftest import COMPLETE, DELETE, mutated_text

WRONG_TOTAL = {"key_tasks.total": "85.00"}


def rows(mutation: dict[str, Any]) -> list[tuple[str, str, int]]:
    found: list[Finding] = validate_text(mutated_text(COMPLETE, mutation), "case.yaml").findings
    return [(f.code, f.as_dict()["path"], f.location.line if f.location else 0) for f in found]


def test_a_misspelt_key_does_not_hide_a_wrong_total() -> None:
    assert rows({**WRONG_TOTAL, "budget.intial": "1000.00", "budget.initial": DELETE}) == [
        ("S002", "budget.intial", 46),
        ("R204", "key_tasks.total", 58),
    ]


def test_a_bad_figure_does_not_hide_the_rules_elsewhere() -> None:
    assert rows({**WRONG_TOTAL, "indicators[2].actual": "九十"}) == [
        ("R204", "key_tasks.total", 58),
        ("S003", "indicators[2].actual", 85),
    ]


def test_a_bad_required_scalar_gets_a_stand_in() -> None:
    assert rows({**WRONG_TOTAL, "year": "2024年度"}) == [
        ("S003", "year", 1),
        ("R204", "key_tasks.total", 58),
    ]


def test_missing_required_sections_come_with_the_rest() -> None:
    broken = {**WRONG_TOTAL, "sections.functions": DELETE, "sections.goals": {"numbered": []}}
    assert rows(broken) == [
        ("R204", "key_tasks.total", 58),
        ("R002", "sections.functions", 90),
        ("S003", "sections.goals", 96),
    ]


def test_nothing_is_said_about_figures_beside_one_that_failed() -> None:
    # without its adjusted budget the execution rate would be measured against the initial
    # budget and reported wrong: the rules on the budget's figures stay silent instead
    assert rows({"budget.adjusted": "一千二百", "budget.expenditure.total": "1150.00"}) == [
        ("S003", "budget.adjusted", 14),
    ]


def test_a_broken_list_item_is_set_aside_and_the_others_keep_their_lines() -> None:
    assert rows({"indicators[0].target": "四十", "indicators[2].rate": "80%"}) == [
        ("S003", "indicators[0].target", 69),
        ("R205", "indicators[2].rate", 87),
    ]
    assert rows({"key_tasks.items[0].spending": "五十", "indicators[2].rate": "80%"}) == [
        ("S003", "key_tasks.items[0].spending", 61),
        ("R205", "indicators[2].rate", 87),
    ]


def test_findings_after_a_removed_list_item_keep_their_own_index() -> None:
    broken = {"sections.annual_work": [{"numbered": []}, {"numbered": ["1.完成预算编审"]}]}
    assert rows(broken) == [
        ("S003", "sections.annual_work[0].numbered", 97),
        ("R007", "sections.annual_work[1].numbered[0]", 99),
    ]


def test_two_broken_items_of_one_list_set_aside_only_themselves() -> None:
    """Both are set aside in the same round: each is mapped back to the file as the list was
    when that round began, so the second does not shift onto the item after it."""
    broken = {
        "sections.annual_work": [
            {"numbered": []},
            {"numbered": []},
            {"numbered": ["1.完成预算编审"]},
        ]
    }
    assert rows(broken) == [
        ("S003", "sections.annual_work[0].numbered", 97),
        ("S003", "sections.annual_work[1].numbered", 98),
        ("R007", "sections.annual_work[2].numbered[0]", 100),
    ]
