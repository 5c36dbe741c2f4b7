"""Every rule: one passing and one failing case, from mutations of a complete valid report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reportgen.findings import Finding, Severity
from reportgen.rules import RULES
from reportgen.validate import validate_file
from tests.conftest import COMPLETE, DELETE

Check = Callable[[dict[str, Any]], list[Finding]]

# (code, mutation, severity, path of the finding)
FAILING: list[tuple[str, dict[str, Any], Severity, str]] = [
    ("R101", {"budget.expenditure.total": "1150.00"}, Severity.ERROR, "budget.expenditure.total"),
    ("R101", {"budget.expenditure.total": "1140.02"}, Severity.WARNING, "budget.expenditure.total"),
    (
        "R102",
        {"budget.expenditure.basic.personnel.amount": "690.00"},
        Severity.ERROR,
        "budget.expenditure.basic.amount",
    ),
    ("R103", {"budget.income.total": "1201.00"}, Severity.ERROR, "budget.income.total"),
    (
        "R104",
        {"budget.income.sources[0].share": "90%"},
        Severity.ERROR,
        "budget.income.sources[0].share",
    ),
    ("R105", {"budget.expenditure.basic.budget": "900.00"}, Severity.ERROR, "budget.adjusted"),
    ("R106", {"budget.execution_rate": "96%"}, Severity.ERROR, "budget.execution_rate"),
    (
        "R107",
        {"budget.expenditure.project.execution_rate": "90%"},
        Severity.ERROR,
        "budget.expenditure.project.execution_rate",
    ),
    ("R108", {"budget.carryover.rate": "2%"}, Severity.ERROR, "budget.carryover.rate"),
    ("R108", {"budget.carryover.limit": "0.5%"}, Severity.ERROR, "budget.carryover.limit"),
    ("R201", {"score.total": "95"}, Severity.ERROR, "score.total"),
    ("R201", {"score.total": "92.51"}, Severity.WARNING, "score.total"),
    (
        "R202",
        {"score.components[0].score": "51", "score.total": "97.5"},
        Severity.ERROR,
        "score.components[0].score",
    ),
    ("R202", {"score.components[0].max": "60"}, Severity.ERROR, "score.components"),
    ("R203", {"score.grade": "良"}, Severity.ERROR, "score.grade"),
    ("R204", {"key_tasks.total": "85.00"}, Severity.ERROR, "key_tasks.total"),
    (
        "R204",
        {"key_tasks.items[1].spending": DELETE},
        Severity.ERROR,
        "key_tasks.items[1].spending",
    ),
    ("R205", {"indicators[0].rate": "100%"}, Severity.ERROR, "indicators[0].rate"),
    ("R205", {"indicators[1].rate": "80%"}, Severity.ERROR, "indicators[1].rate"),
    ("R206", {"indicators[2].reason": DELETE}, Severity.ERROR, "indicators[2]"),
    ("R207", {"indicators[1].score": "11"}, Severity.ERROR, "indicators[1].score"),
    ("R001", {"layout": "defualt"}, Severity.ERROR, "layout"),
    ("R002", {"sections.efficiency": DELETE}, Severity.ERROR, "sections"),
    (
        "R002",
        {"sections.achievements": "多项工作获表彰。"},
        Severity.WARNING,
        "sections.achievements",
    ),
    ("R003", {"sections.goals": "预算为${budget.intial}万元。"}, Severity.ERROR, "sections.goals"),
    ("R003", {"sections.goals": "预算为${budget.initial万元。"}, Severity.ERROR, "sections.goals"),
    (
        "R004",
        {"sections.goals": [{"indicators": ["satisfaction"]}]},
        Severity.ERROR,
        "sections.goals[0]",
    ),
    ("R005", {"sections.goals": "2019年度目标。"}, Severity.WARNING, "sections.goals"),
    ("R006", {"sections.goals": "全年支出1,140.00万元。"}, Severity.WARNING, "sections.goals"),
    ("R006", {"sections.goals": "全年支出1141万元。"}, Severity.WARNING, "sections.goals"),
]


def test_the_complete_case_is_clean() -> None:
    assert validate_file(COMPLETE).findings == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_failing_case(code: str) -> None:
    assert code in {case[0] for case in FAILING}


@pytest.mark.parametrize(
    ("code", "mutation", "severity", "path"),
    FAILING,
    ids=[f"{c[0]}-{'-'.join(c[1])}" for c in FAILING],
)
def test_rule_fails(
    check_mutation: Check, code: str, mutation: dict[str, Any], severity: Severity, path: str
) -> None:
    found = [(f.code, f.severity, f.as_dict()["path"]) for f in check_mutation(mutation)]
    assert (code, severity, path) in found


def test_total_message_names_both_sides(check_mutation: Check) -> None:
    [finding] = [
        f for f in check_mutation({"budget.expenditure.total": "1150.00"}) if f.code == "R101"
    ]
    assert finding.message == "支出合计 1150.00 ≠ 基本支出 840.00 + 项目支出 300.00 = 1140.00"
    assert (finding.expected, finding.actual) == ("1140.00", "1150.00")


def test_rounding_gap_within_a_cent_per_part_is_a_warning(check_mutation: Check) -> None:
    [finding] = [
        f for f in check_mutation({"budget.expenditure.total": "1140.02"}) if f.code == "R101"
    ]
    assert finding.message.startswith("尾数误差：支出合计 1140.02 与")


def test_rate_written_with_fewer_decimals_is_compared_at_its_precision(
    check_mutation: Check,
) -> None:
    # 300 ÷ 320 = 93.75 %: “93.8%” matches at one decimal, “93.7%” does not
    assert not [
        f
        for f in check_mutation({"budget.expenditure.project.execution_rate": "93.8%"})
        if f.code == "R107"
    ]
    assert [
        f
        for f in check_mutation({"budget.expenditure.project.execution_rate": "93.7%"})
        if f.code == "R107"
    ]


def test_execution_rate_uses_adjusted_budget_when_given(check_mutation: Check) -> None:
    # 1140 ÷ 1000 (initial) would be 114 %; with the adjusted 1200 it is 95 %
    assert not [f for f in check_mutation({}) if f.code == "R106"]
    findings = check_mutation(
        {"budget.adjusted": DELETE, "budget.expenditure.basic.budget": DELETE}
    )
    [finding] = [f for f in findings if f.code == "R106"]
    assert finding.message == "预算执行率 95.00% ≠ 支出合计 1140.00 ÷ 年初预算 1000.00 = 114.00%"


def test_missing_line_budget_is_derived_from_the_total(check_mutation: Check) -> None:
    # basic budget = 1200 − 320 = 880 → 840 ÷ 880 = 95.45 %
    findings = check_mutation({"budget.expenditure.basic.budget": DELETE})
    assert not [f for f in findings if f.code in {"R105", "R107"}]
    findings = check_mutation(
        {
            "budget.expenditure.basic.budget": DELETE,
            "budget.expenditure.basic.execution_rate": "90%",
        }
    )
    assert [f.message for f in findings if f.code == "R107"] == [
        "基本支出执行率 90% ≠ 基本支出 840.00 ÷ 预算 880.00 = 95.45%"
    ]


def test_grade_bands_are_configurable(check_mutation: Check) -> None:
    findings = check_mutation({"rules": {"grade_bands": {"优": 95, "良": 85, "中": 60}}})
    [finding] = [f for f in findings if f.code == "R203"]
    assert finding.expected == "良"


def test_carryover_denominator_is_configurable(check_mutation: Check) -> None:
    # 11.40 ÷ budget 1200 = 0.95 %, so the stated 1.00 % (right for ÷ expenditure) now fails
    findings = check_mutation({"rules": {"carryover_denominator": "budget"}})
    assert [f.code for f in findings] == ["R108"]
    assert findings[0].message == "结转结余率 1.00% ≠ 年末结转结余 11.40 ÷ 预算 1200.00 = 0.95%"


def test_negative_indicator_divides_target_by_actual(check_mutation: Check) -> None:
    [finding] = [f for f in check_mutation({"indicators[1].rate": "80%"}) if f.code == "R205"]
    assert finding.expected == "125.00%"


def test_unknown_placeholder_suggests_the_right_path(check_mutation: Check) -> None:
    [finding] = [
        f for f in check_mutation({"sections.goals": "${budget.intial}"}) if f.code == "R003"
    ]
    assert (
        finding.message == "引用了不存在的数据“${budget.intial}”（是否想写“${budget.initial}”？）"
    )


def test_all_problems_are_reported_in_one_run(check_mutation: Check) -> None:
    findings = check_mutation(
        {"budget.expenditure.total": "1150.00", "score.grade": "中", "indicators[0].rate": "1%"}
    )
    assert {"R101", "R203", "R205"} <= {f.code for f in findings}


def test_typed_amount_names_the_placeholder_to_use(check_mutation: Check) -> None:
    [same] = [
        f for f in check_mutation({"sections.goals": "全年支出1,140.00万元。"}) if f.code == "R006"
    ]
    assert same.message == (
        "正文手写了“1,140.00万元”，与 budget.expenditure.total 相同；"
        "请改用 ${budget.expenditure.total}，数据改动时正文才会随之更新"
    )
    [near] = [
        f for f in check_mutation({"sections.goals": "全年支出1141万元。"}) if f.code == "R006"
    ]
    assert "与 budget.expenditure.total = 1140.00 万元相近而不等" in near.message
    assert not [
        f for f in check_mutation({"sections.goals": "另有专项资金3000万元。"}) if f.code == "R006"
    ]
