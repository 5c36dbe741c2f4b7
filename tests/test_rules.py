"""Every rule: one passing and one failing case, from mutations of a complete valid report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from reportgen.check.rules import RULES
from reportgen.check.validate import validate_file, validate_text
from reportgen.findings import Finding, Severity
from reportgen.model.samples import starter_data
from tests.conftest import COMPLETE, DELETE, mutated_text
from tests.test_table_rules import CODES as TABLE_CODES

Check = Callable[[dict[str, Any]], list[Finding]]

E, W = Severity.ERROR, Severity.WARNING
Row = tuple[str, Severity, str, int]


def complete_indicators() -> list[Any]:
    indicators: list[Any] = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))["indicators"]
    return indicators


# (code under test, mutation of the complete report, the whole list of findings:
# (code, severity, path, line in the mutated file)). A finding too many fails as surely as
# one too few; the lines are those of the YAML that ``mutated_text`` writes.
FAILING: list[tuple[str, dict[str, Any], list[Row]]] = [
    (
        "R101",
        {"budget.expenditure.total": "1150.00"},
        [
            ("R106", E, "budget.execution_rate", 15),
            ("R101", E, "budget.expenditure.total", 26),
            # 11.40 ÷ 1150.00 = 0.991…%: the stated 1.00% is one unit beyond its rounding
            ("R108", W, "budget.carryover.rate", 45),
        ],
    ),
    (
        "R101",
        {"budget.expenditure.total": "1140.02"},
        [("R101", W, "budget.expenditure.total", 26)],
    ),
    (
        "R102",
        {"budget.expenditure.basic.personnel.amount": "690.00"},
        [("R102", E, "budget.expenditure.basic.amount", 28)],
    ),
    (
        "R103",
        {"budget.income.total": "1201.00"},
        [("R103", E, "budget.income.total", 17), ("R104", E, "budget.income.sources[0].share", 21)],
    ),
    (
        "R104",
        {"budget.income.sources[0].share": "90%"},
        [("R104", E, "budget.income.sources[0].share", 21)],
    ),
    (
        "R105",
        {"budget.expenditure.basic.budget": "900.00"},
        [
            ("R105", E, "budget.adjusted", 14),
            ("R107", E, "budget.expenditure.basic.execution_rate", 30),
        ],
    ),
    ("R106", {"budget.execution_rate": "96%"}, [("R106", E, "budget.execution_rate", 15)]),
    (
        "R107",
        {"budget.expenditure.project.execution_rate": "90%"},
        [("R107", E, "budget.expenditure.project.execution_rate", 40)],
    ),
    (
        "R110",
        {"budget.expenditure.project.share": "30%"},
        [("R110", E, "budget.expenditure.project.share", 42)],
    ),
    ("R108", {"budget.carryover.rate": "2%"}, [("R108", E, "budget.carryover.rate", 45)]),
    ("R108", {"budget.carryover.limit": "0.5%"}, [("R108", E, "budget.carryover.limit", 46)]),
    (
        "R109",
        {"budget.expenditure.basic.budget": "1500.00", "budget.expenditure.project.budget": DELETE},
        [
            ("R109", E, "budget.expenditure.basic.budget", 29),
            ("R107", E, "budget.expenditure.basic.execution_rate", 30),
        ],
    ),
    (
        "R109",
        {
            "budget.expenditure.project.budget": "0",
            "budget.expenditure.basic.budget": DELETE,
            "budget.expenditure.basic.execution_rate": DELETE,
            "budget.expenditure.project.execution_rate": DELETE,
        },
        [("R109", E, "budget.expenditure.project.budget", 37)],
    ),
    (
        "R109",
        {"budget.adjusted": "0"},
        [("R105", E, "budget.adjusted", 14), ("R109", E, "budget.adjusted", 14)],
    ),
    ("R201", {"score.total": "95"}, [("R201", E, "score.total", 48)]),
    ("R201", {"score.total": "92.51"}, [("R201", W, "score.total", 48)]),
    (
        "R202",
        {"score.components[0].score": "51", "score.total": "97.5"},
        [("R202", E, "score.components[0].score", 52)],
    ),
    ("R202", {"score.components[0].max": "60"}, [("R202", E, "score.components", 51)]),
    ("R203", {"score.grade": "良"}, [("R203", E, "score.grade", 49)]),
    ("R204", {"key_tasks.total": "85.00"}, [("R204", E, "key_tasks.total", 58)]),
    (
        "R204",
        {"key_tasks.items[1].spending": DELETE},
        [("R204", E, "key_tasks.items[1].spending", 63)],
    ),
    ("R205", {"indicators[0].rate": "100%"}, [("R205", E, "indicators[0].rate", 72)]),
    ("R205", {"indicators[1].rate": "80%"}, [("R205", E, "indicators[1].rate", 79)]),
    (
        "R205",
        {"indicators[0].actual": "400001", "indicators[0].rate": DELETE},
        [("R205", E, "indicators[0].actual", 70)],
    ),
    ("R206", {"indicators[2].reason": DELETE}, [("R206", E, "indicators[2]", 82)]),
    ("R207", {"indicators[1].score": "11"}, [("R207", E, "indicators[1].score", 81)]),
    ("R001", {"layout": "defualt"}, [("R001", E, "layout", 3)]),
    ("R002", {"sections.efficiency": DELETE}, [("R002", E, "sections.efficiency", 90)]),
    (
        "R002",
        {"sections.achievements": "多项工作获表彰。"},
        [("R002", W, "sections.achievements", 123)],
    ),
    (
        "R010",
        {"outline": {"headings": {"fuctions": "部门概况"}}},
        [("R010", E, "outline.headings.fuctions", 125)],
    ),
    ("R010", {"outline": {"omit": ["efficiency"]}}, [("R010", E, "outline.omit[0]", 125)]),
    (
        "R003",
        {"sections.goals": "预算为${budget.intial}万元。"},
        [("R003", E, "sections.goals", 101)],
    ),
    (
        "R003",
        {"sections.goals": "预算为${budget.initial万元。"},
        [("R003", E, "sections.goals", 101)],
    ),
    (
        "R003",
        {"sections.goals": "预算为＄｛budget.initial｝万元。"},
        [("R003", W, "sections.goals", 101)],
    ),
    (
        "R004",
        {"sections.goals": [{"indicators": ["satisfaction"]}]},
        [("R004", E, "sections.goals[0]", 102)],
    ),
    ("R005", {"sections.goals": "2019年度目标。"}, [("R005", W, "sections.goals", 101)]),
    ("R006", {"sections.goals": "全年支出1,140.00万元。"}, [("R006", W, "sections.goals", 101)]),
    (
        "R011",
        {
            "sections.goals": "上年支出987.65万元，执行率 95.8%，得分 95分，另 5000元、0.5万元。",
            "previous": {
                "year": 2023,
                "figures": {
                    "budget.expenditure.total": "987.65",
                    "budget.execution_rate": "95.83%",
                    "score.total": "95",  # “95分” is it, as 95.8% is 95.83% at one decimal
                    "budget.carryover.rate": "1.00%",  # this year's too: no finding
                    "budget.nothing": "1",
                },
                "amounts": ["0.5"],
                "confirmed": ["0.5 万元"],
            },
        },
        [("R011", E, "sections.goals", 101)] * 4  # 0.5万元 is confirmed, 5000元 is not
        + [("R011", E, "previous.figures.budget.nothing", 130)],
    ),
    (
        "R011",  # counted quantities: value and unit alike, “第15场” an ordinal, 12个 confirmed
        {
            "sections.goals": "培训2,544人次，受理30万宗、12个、3个、4 天，第15场，另15 场、44个、90人次。",
            "previous": {
                "year": 2023,
                "quantities": ["2544人次", "30万宗", "12个", "15场", "3件", "44个", "90人次"],
                "confirmed": ["12个"],
            },
        },
        # 44个 and 90人次 are this year's indicators' (评审项目数 44 个, 培训人次 90 人次)
        [("R011", E, "sections.goals", 101)] * 3,
    ),
    ("R006", {"sections.goals": "全年支出1141万元。"}, [("R006", W, "sections.goals", 101)]),
    # R013, what `reportgen init` wrote: its prose wherever it stands; a figure or a title the
    # complete report shares with the starter (1000.00, 95.00%, 绩效目标管理) only with evidence
    (
        "R013",
        {"sections.goals": "部门整体支出绩效目标的内容。"},
        [("R013", W, "sections.goals", 101)],
    ),
    (
        "R013",
        {"department": "广州市某某区某某局"},
        [
            ("R013", W, "department", 2),
            ("R013", W, "budget.initial", 13),
            ("R013", W, "budget.execution_rate", 15),
            ("R013", W, "sections.performance_management[0].title", 103),
        ],
    ),
    (
        "R013",  # the title is said with its body, both still the starter's
        {"sections.performance_management[0].body": "绩效目标管理的情况。"},
        [
            ("R013", W, "sections.performance_management[0].title", 103),
            ("R013", W, "sections.performance_management[0].body", 104),
        ],
    ),
    (
        "R013",  # the starter's whole budget, though the department is named
        {"budget": starter_data()["budget"]},
        [
            ("R013", W, "budget.initial", 13),
            ("R013", W, "budget.execution_rate", 14),
            ("R013", W, "budget.expenditure.total", 16),
            ("R013", W, "budget.expenditure.basic.amount", 18),
            ("R013", W, "budget.expenditure.basic.personnel.amount", 19),
            ("R013", W, "budget.expenditure.basic.public.amount", 20),
            ("R013", W, "budget.expenditure.project.amount", 22),
            ("R013", W, "budget.expenditure.project.purpose", 23),
        ],
    ),
    (
        "R013",  # the starter's whole indicator, wherever it stands in the list
        {"indicators": [*complete_indicators(), starter_data()["indicators"][0]]},
        [
            ("R013", W, "indicators[3].name", 89),
            ("R013", W, "indicators[3].target", 91),
            ("R013", W, "indicators[3].actual", 92),
        ],
    ),
    (
        "R007",
        {"sections.functions[1].numbered[0]": "1.拟订财政政策。"},
        [("R007", W, "sections.functions[1].numbered[0]", 93)],
    ),
    (
        "R007",
        {"sections.performance_management[0].title": "（一）绩效目标管理"},
        [("R007", W, "sections.performance_management[0].title", 103)],
    ),
    (
        "R007",
        {"sections.annual_work[0].joined[1]": "二是推进绩效管理"},
        [("R007", W, "sections.annual_work[0].joined[1]", 99)],
    ),
    (
        "R007",
        {"key_tasks.items[0].name": "①预算编审经费"},
        [("R007", W, "key_tasks.items[0].name", 60)],
    ),
    (
        "R008",
        {"sections.functions[1].numbered[0]": "拟订财政\u202e政策\u202c。"},
        [
            ("R008", E, "sections.functions[1].numbered[0]", 93),
            ("R008", E, "sections.functions[1].numbered[0]", 93),
        ],
    ),
    (
        "R008",
        {"department": "广州市示例区\u200b财政局", "key_tasks.items[0].name": "\ufeff预算编审经费"},
        [("R008", W, "department", 2), ("R008", W, "key_tasks.items[0].name", 60)],
    ),
]


def rows(findings: list[Finding]) -> list[Row]:
    return [
        (f.code, f.severity, f.as_dict()["path"], f.location.line if f.location else 0)
        for f in findings
    ]


def test_the_complete_case_is_clean() -> None:
    assert validate_file(COMPLETE).findings == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_failing_case(code: str) -> None:
    assert code in {case[0] for case in FAILING} | TABLE_CODES


@pytest.mark.parametrize(
    ("code", "mutation", "expected"),
    FAILING,
    ids=[f"{c[0]}-{'-'.join(c[1])}" for c in FAILING],
)
def test_rule_fails(
    check_mutation: Check, code: str, mutation: dict[str, Any], expected: list[Row]
) -> None:
    assert code in {row[0] for row in expected}
    assert rows(check_mutation(mutation)) == expected


def test_invisible_characters_are_named_at_their_place(check_mutation: Check) -> None:
    mutation = {"sections.functions[1].numbered[0]": "拟订\u200b财政\u202e政策。"}
    messages = [f.message for f in check_mutation(mutation) if f.code == "R008"]
    assert messages == [
        "第 3 个字符（“拟订”之后）有看不见的零宽空格 U+200B，印出后看不见，但会妨碍查找和核对；请删除",
        "第 6 个字符（“拟订财政”之后）有改变文字方向的不可见字符 U+202E，"
        "印出的文字会与数据中的顺序不同；请删除",
    ]


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


def test_full_width_placeholder_is_named_with_its_half_width_form(check_mutation: Check) -> None:
    text = "${year}年预算为＄｛budget.initial｝万元，$｛ year ｝，＄{year}，$${year}。"
    messages = [f.message for f in check_mutation({"sections.goals": text}) if f.code == "R003"]
    assert messages == [
        f"“{written}”中有全角字符，它不是占位符，将原样印出；要填入数字请用半角字符写成 ${{{name}}}"
        for written, name in (
            ("＄｛budget.initial｝", "budget.initial"),
            ("$｛ year ｝", "year"),
            ("＄{year}", "year"),
        )
    ]


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


def test_a_typed_self_score_that_is_not_score_total_is_named(check_mutation: Check) -> None:
    """The sample's score.total is 92.5: a total typed otherwise is a stale or wrong figure;
    the scale, another year's total and a comparison are not this report's total."""

    def r006(text: str) -> list[str]:
        found = check_mutation({"sections.goals": text})
        return [f.message for f in found if f.code == "R006"]

    assert r006("2024年度部门整体支出绩效自评总分为92.30分，等级为“优”。") == [
        "正文写的自评总分“92.30分”与 score.total = 92.5 不同，是否写错？"
        "请改用 ${score.total}，数据改动时正文才会随之更新"
    ]
    assert r006("经自评，综合得分93分。") != []
    for quiet in (
        "综合得分为92.50分。",  # the same score, written with two decimals
        "评价指标体系总分为100分，其中履职效能50分。",
        "满分总分为100分。",
        "上年自评总分为95分。",
        "2023年度自评总分为95分。",
        "较去年总分90分有所提高。",
        "某项目自评得分为80分。",
    ):
        assert r006(quiet) == [], quiet


NO_COMPONENTS = {"score.components": DELETE}


@pytest.mark.parametrize(
    ("total", "grade", "expected"),
    [
        ("90", "优", None),
        ("89.99", "优", "良"),
        ("80", "良", None),
        ("79.99", "良", "中"),
        ("60", "中", None),
        ("59.99", "中", "差"),
        ("0", "差", None),
    ],
)
def test_grade_band_boundaries(
    check_mutation: Check, total: str, grade: str, expected: str | None
) -> None:
    found = check_mutation({**NO_COMPONENTS, "score.total": total, "score.grade": grade})
    assert [(f.code, f.expected) for f in found] == ([("R203", expected)] if expected else [])


@pytest.mark.parametrize(
    ("score", "total", "expected"),
    [
        ("50", "96.5", []),  # exactly at its maximum
        ("50.01", "96.51", [("R202", E, "score.components[0].score", 52)]),
    ],
)
def test_component_at_its_maximum(
    check_mutation: Check, score: str, total: str, expected: list[Row]
) -> None:
    found = check_mutation({"score.components[0].score": score, "score.total": total})
    assert rows(found) == expected


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        # two parts: up to 0.02 is the rounding of the parts, 0.03 is not
        ({"budget.expenditure.total": "1139.98"}, W),
        ({"budget.expenditure.total": "1140.03"}, E),
        ({"key_tasks.total": "80.02"}, W),
        ({"key_tasks.total": "79.97"}, E),
        ({"score.total": "92.52"}, W),
        ({"score.total": "92.53"}, E),
        ({"budget.income.total": "1199.98"}, W),
        ({"budget.income.total": "1200.03"}, E),
    ],
    ids=lambda v: str(v),
)
def test_sum_tolerance_is_one_cent_per_part(
    check_mutation: Check, mutation: dict[str, Any], expected: Severity
) -> None:
    [path] = mutation
    found = [f for f in check_mutation(mutation) if f.as_dict()["path"] == path]
    assert [f.severity for f in found] == [expected]


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("95.00%", []),
        ("95%", []),
        ("95.01%", [("R106", W, "budget.execution_rate", 15)]),
        ("94.99%", [("R106", W, "budget.execution_rate", 15)]),
        ("95.02%", [("R106", E, "budget.execution_rate", 15)]),
        # a whole point is no rounding slip, whatever the stated precision
        ("96%", [("R106", E, "budget.execution_rate", 15)]),
        ("95.0%", []),
        ("95.1%", [("R106", E, "budget.execution_rate", 15)]),
    ],
)
def test_rate_within_its_rounding_is_fine_one_unit_beyond_is_a_tail(
    check_mutation: Check, stated: str, expected: list[Row]
) -> None:
    assert rows(check_mutation({"budget.execution_rate": stated})) == expected


@pytest.mark.parametrize(
    ("actual", "target", "stated", "expected"),
    [
        # 19577 ÷ 20000 = 97.885 % exactly: half up gives 97.89, half even would give 97.88
        ("19577", "20000", "97.89%", []),
        ("19577", "20000", "97.88%", [("R205", W, "indicators[0].rate", 72)]),
        # 1 ÷ 8 = 12.5 %: half up gives 13 at no decimals, half even 12
        ("1", "8", "13%", []),
        ("1", "8", "12.5%", []),
    ],
)
def test_rates_round_half_up(
    check_mutation: Check, actual: str, target: str, stated: str, expected: list[Row]
) -> None:
    mutation = {
        "indicators[0].actual": actual,
        "indicators[0].target": target,
        "indicators[0].rate": stated,
        "indicators[0].reason": "原因",
    }
    assert rows(check_mutation(mutation)) == expected


def test_a_tail_message_says_what_differs_and_strict_makes_it_an_error() -> None:
    text = mutated_text(COMPLETE, {"budget.execution_rate": "95.01%"})
    [finding] = validate_text(text, "case.yaml").findings
    assert finding.message == (
        "尾数误差：预算执行率 95.01% 与 支出合计 1140.00 ÷ 调整预算 1200.00 = 95.00%，"
        "相差 0.01 个百分点，可能是未公布的明细数四舍五入所致，请核对"
    )
    [strict] = validate_text(text, "case.yaml").strict().findings
    assert strict.severity is Severity.ERROR
    assert strict.message == finding.message + "（--strict：警告按错误处理）"
    assert "允许" not in strict.message


def test_a_negative_derived_budget_is_never_printed(check_mutation: Check) -> None:
    text = mutated_text(
        COMPLETE,
        {"budget.expenditure.basic.budget": "1500.00", "budget.expenditure.project.budget": DELETE},
    )
    outcome = validate_text(text, "case.yaml")
    assert not outcome.ok
    [negative] = [f for f in outcome.findings if f.code == "R109"]
    assert negative.message == (
        "基本支出预算 1500.00 大于调整预算 1200.00：推算出的项目支出预算 "
        "调整预算 1200.00 − 基本支出预算 1500.00 = -300.00，为负数"
    )
    assert [str(loc) for loc in negative.related_locations] == ["case.yaml:14:13"]


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (
            {"indicators[0].actual": "888888888888888888888888888"},
            "case.yaml:70:11 错误 S003 indicators[0].actual: 数值 888888888888888888888888888 "
            "大得不合理（上限为 1000 万亿，即 10 的 15 次方）",
        ),
        (
            {"indicators[0].target": "0.0000001"},
            "case.yaml:69:11 错误 S003 indicators[0].target: 数值最多 6 位小数，实际为 0.0000001",
        ),
        (
            {"organization": {}},
            "case.yaml:5:15 错误 S003 organization: 机构设置是空的："
            "至少要写 internal_units（内设机构）或 subordinate_units（下属单位）之一",
        ),
    ],
    ids=["huge-quantity", "quantity-precision", "empty-organization"],
)
def test_values_out_of_range_are_refused_at_their_line(
    mutation: dict[str, Any], expected: str
) -> None:
    found = validate_text(mutated_text(COMPLETE, mutation), "case.yaml").findings
    assert [f.as_text() for f in found if f.code.startswith("S")] == [expected]


def test_last_years_figure_names_its_field_and_the_way_to_confirm(check_mutation: Check) -> None:
    mutation = {
        "sections.goals": "上年支出987.65万元，全年执行率 100%。",
        "previous": {
            "year": 2023,
            "figures": {"budget.expenditure.total": "987.65", "budget.execution_rate": "99.6%"},
        },
    }
    [found] = [f for f in check_mutation(mutation) if f.code == "R011"]  # 100% is no 99.6%
    assert found.message == (
        "正文中的“987.65万元”与上一年度（2023 年）的 budget.expenditure.total 相同："
        "请改为本年度的数（或 ${budget.expenditure.total}）；"
        "确属本年度的数，请在 previous.confirmed 中写上“987.65万元”"
    )
    mutation["previous"]["confirmed"] = ["987.65 万元"]
    assert not [f for f in check_mutation(mutation) if f.code == "R011"]


def test_last_years_quantity_names_itself_and_the_way_to_confirm(check_mutation: Check) -> None:
    mutation = {
        "sections.goals": "全年培训，共２５４４ 人次。",
        "previous": {"year": 2023, "quantities": ["2,544人次"]},
    }
    [found] = [f for f in check_mutation(mutation) if f.code == "R011"]
    assert found.message == (
        "正文中的“2544 人次”与上一年度（2023 年）的“2,544人次”相同：请改为本年度的数；"
        "确属本年度的数，请在 previous.confirmed 中写上“2544人次”"
    )
    mutation["previous"]["confirmed"] = ["2544人次"]
    assert not [f for f in check_mutation(mutation) if f.code == "R011"]


def test_last_years_figure_after_a_chinese_comma_is_found(check_mutation: Check) -> None:
    """NFKC makes “，” a “,”: it is no thousands separator before a figure."""
    mutation = {
        "sections.goals": "执行率分别为97.00%，95.83%，1,095.83%。",
        "previous": {"year": 2023, "figures": {"budget.execution_rate": "95.83%"}},
    }
    found = [f for f in check_mutation(mutation) if f.code == "R011"]
    assert [f.actual for f in found] == ["95.83%"]


def test_previous_figures_print_for_year_on_year_text(check_mutation: Check) -> None:
    mutation = {
        "sections.goals": "上年支出${previous.budget.expenditure.total}万元（${previous.year}年）。",
        "previous": {"year": 2023, "figures": {"budget.expenditure.total": "987.6"}},
    }
    assert check_mutation(mutation) == []
