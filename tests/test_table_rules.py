"""The 自评表's rules (R301–R313): each fails on an edit of reportgen/samples/table.yaml with
exactly the findings listed (code, severity, path, line)."""

from __future__ import annotations

import pytest

from reportgen.check.validate import validate_text
from reportgen.findings import Finding, Severity
from tests.conftest import ROOT

TABLE_SAMPLE = ROOT / "reportgen" / "samples" / "table.yaml"
E, W = Severity.ERROR, Severity.WARNING
Row = tuple[str, Severity, str, int]


def edited(*edits: tuple[str, str]) -> str:
    text = TABLE_SAMPLE.read_text(encoding="utf-8")
    for before, after in edits:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return text


def rows(findings: list[Finding]) -> list[Row]:
    return [
        (f.code, f.severity, f.as_dict()["path"], f.location.line if f.location else 0)
        for f in findings
    ]


LEAF = "table.indicators[{}].items[{}].items[{}]"
FAILING: list[tuple[str, list[tuple[str, str]], list[Row]]] = [
    (
        "R301",
        [("weight: 10, score: 9, reason", "weight: 10, score: 10, reason")],
        [("R301", E, LEAF.format(0, 0, 1) + ".score", 32)],
    ),
    (
        "R301",
        [("    reason: 两个", "    score: 9\n    reason: 两个")],
        [("R301", E, "table.funds.score", 22)],
    ),
    (
        "R302",
        [('actual: 95, unit: "%", weight: 10', 'actual: 95, unit: "%", weight: 15')],
        [("R302", E, "table.indicators", 27), ("R302", E, "table.indicators[2]", 47)],
    ),
    (
        "R302",
        [('actual: 95, unit: "%", weight: 10', 'actual: 95, unit: "%", score: 10')],
        [("R302", E, LEAF.format(2, 0, 0), 51)],
    ),
    (
        "R303",
        [
            (
                "\ntable:\n",
                "\nscore:\n  total: 95\n  components:\n    - {name: 产品, score: 49}\ntable:\n",
            )
        ],
        [
            ("R201", E, "score.total", 15),
            ("R303", E, "score.total", 15),
            ("R303", E, "score.components[0].name", 17),
        ],
    ),
    (
        "R304",
        [
            (
                "  funds:\n",
                "  funds:\n    total: {initial: 1000.00, adjusted: 1200.00, executed: 0}\n",
            )
        ],
        [
            ("R304", E, "table.funds.total.executed", 20),
            ("R304", E, "table.funds.total.executed", 20),
        ],
    ),
    (
        "R304",
        [("executed: 36.00", "executed: 46.00")],
        [("R304", E, "table.funds", 20)],
    ),
    ("R305", [(", reason: 受场地限制", "")], [("R305", E, LEAF.format(0, 0, 1), 32)]),
    (
        "R305",
        [("    reason: 两个基建项目因招标延期，资金结转下年使用\n", "")],
        [("R305", E, "table.funds", 20)],
    ),
    (
        "R306",
        [("target: 40, actual: 44", "target: 40, actual: 60")],
        [("R306", W, LEAF.format(0, 0, 0) + ".actual", 31)],
    ),
    ("R307", [("profile: national", "profile: provincial")], [("R307", W, "table.funds", 20)]),
    (
        "R304",
        [("executed: 36.00", "executed: 360000.00")],
        [("R304", E, "table.funds", 20), ("R304", W, "table.funds.other.executed", 21)],
    ),
    (
        "R308",
        [("name: 平均办理时长, sign: ≤", "name: 平均办理成本, sign: ≥")],
        [("R305", E, LEAF.format(0, 2, 0), 38), ("R308", W, LEAF.format(0, 2, 0) + ".sign", 38)],
    ),
    (
        "R308",
        [("target: 40, actual: 44", 'target: "*", actual: 44')],
        [("R308", E, LEAF.format(0, 0, 0) + ".target", 31)],
    ),
    (
        "R308",
        [("target: 健全, actual: 健全", "target: 服务质量进一步提升, actual: 服务质量进一步提升")],
        [("R308", W, LEAF.format(1, 1, 0) + ".target", 46)],
    ),
    (
        "R310",
        [("- name: 满意度指标", "- name: 满意指标")],
        [("R310", E, "table.indicators", 27), ("R310", E, "table.indicators[2].name", 47)],
    ),
    (
        "R311",
        [("weight: 20, score: 20", "weight: 20, score: 22")],
        [
            ("R301", E, LEAF.format(0, 0, 0) + ".score", 31),
            ("R311", E, LEAF.format(0, 0, 0) + ".score", 31),
        ],
    ),
    (
        "R312",
        [("target: 健全, actual: 健全", "target: 健全, actual: 基本健全")],
        [("R305", E, LEAF.format(1, 1, 0), 46), ("R312", E, LEAF.format(1, 1, 0), 46)],
    ),
    (
        "R312",
        [("sections:\n", "indicators:\n  - {name: 另一个指标, target: 1, actual: 1}\nsections:\n")],
        [("R312", E, "indicators", 53)],
    ),
    (
        "R313",
        [("profile: national", "profile: nationl")],
        [("R313", E, "table.profile", 15), ("R004", E, "sections.effectiveness[1]", 58)],
    ),
]
CODES = {code for code, _, _ in FAILING}


def test_the_table_sample_is_clean() -> None:
    assert validate_text(TABLE_SAMPLE.read_text(encoding="utf-8"), "t.yaml").findings == []


@pytest.mark.parametrize(("code", "edits", "expected"), FAILING, ids=[c[0] for c in FAILING])
def test_table_rule_fails(code: str, edits: list[tuple[str, str]], expected: list[Row]) -> None:
    assert code in {row[0] for row in expected}
    assert rows(validate_text(edited(*edits), "t.yaml").findings) == expected


@pytest.mark.parametrize("target", ["按时完成", "有效", "基本健全", '"≥95%提升"'])
def test_a_worded_target_that_sets_a_level_is_not_vague(target: str) -> None:
    edit = ("target: 健全, actual: 健全", f"target: {target}, actual: {target}")
    assert rows(validate_text(edited(edit), "t.yaml").findings) == []


def test_a_vague_target_says_why() -> None:
    edit = ("target: 健全, actual: 健全", "target: 有效提升, actual: 有效提升")
    (finding,) = validate_text(edited(edit), "t.yaml").findings
    assert finding.message == (
        "“绩效管理制度”的目标值“有效提升”只写了方向，无法核对是否达到：写出具体的数或等级（如 ≥95%、健全）"
    )


def test_messages_say_the_computation() -> None:
    found = validate_text(edited(("weight: 10, score: 9, reason", "weight: 10, score: 10, reason")))
    assert found.findings[0].message == ("“培训人次”得分 10 ≠ 分值 10 × 完成率 90.00% = 9")
    found = validate_text(edited(("    reason: 两个", "    score: 9\n    reason: 两个")))
    assert found.findings[0].message == (
        "预算执行得分 9 ≠ 分值 10 × 执行率 78.00%（不超过分值） = 7.8"
    )


TRAINING = "{name: 培训人次, sign: ≥, target: 100, actual: 90, unit: 人次, weight: 10, score: 9, reason: 受场地限制}"


def _training(score: str, actual: str = "981") -> list[Finding]:
    """培训人次 with 981 of 1000 (score 10 × 98.1% = 9.81) and the score as ``score``."""
    changed = TRAINING.replace("target: 100, actual: 90", f"target: 1000, actual: {actual}")
    return validate_text(
        edited((TRAINING, changed.replace("score: 9,", f"score: {score},")))
    ).findings


@pytest.mark.parametrize(
    ("score", "actual", "expected"),
    [
        ("9.81", "981", []),
        ("9.8", "981", []),  # written with one decimal: rounded as printed
        ("9.9", "981", [("R301", E, "“培训人次”得分 9.9 ≠ 分值 10 × 完成率 98.10% = 9.81")]),
        ("10", "981", [("R301", E, "“培训人次”得分 10 ≠ 分值 10 × 完成率 98.10% = 9.81")]),
        ("10", "999", [("R301", W, "“培训人次”得分 10 与 分值 10 × 完成率 99.90% = 9.99")]),
        ("10", "1000", []),
        ("10.00", "1000", []),
        ("9", "900", []),  # a whole number equal to the computed score
        ("10", "995", [("R301", E, "“培训人次”得分 10 ≠ 分值 10 × 完成率 99.50% = 9.95")]),
    ],
)
def test_a_whole_number_score_is_compared_at_two_decimals(
    score: str, actual: str, expected: list[tuple[str, Severity, str]]
) -> None:
    """“10” is what a table prints for full marks: it is not 9.81 or 9.95 rounded. A score
    with decimals is compared at its own decimals (9.8 for 9.81), as rates are."""
    found = [(f.code, f.severity, f.message.split("，相差")[0]) for f in _training(score, actual)]
    expected = [
        (code, severity, f"尾数误差：{message}" if severity is W else message)
        for code, severity, message in expected
    ]
    assert found == expected


def test_a_first_level_score_named_without_its_zhibiao_is_the_table_s() -> None:
    """A report writes “产出48.5分” for the block 产出指标 (import reads it so): the same block."""
    text = edited(
        (
            "\ntable:\n",
            "\nscore:\n  total: 96.8\n  components:\n"
            "    - {name: 预算执行, score: 7.8}\n    - {name: 产出, score: 49}\n"
            "    - {name: 效益指标, score: 30}\n    - {name: 满意度, score: 10}\ntable:\n",
        )
    )
    assert rows(validate_text(text, "t.yaml").findings) == []
    wrong = text.replace("{name: 产出, score: 49}", "{name: 产出, score: 48}")
    found = validate_text(wrong, "t.yaml").findings
    assert [(f.code, f.message) for f in found if f.code == "R303"] == [
        ("R303", "产出得分 48 ≠ 自评表中该一级指标的得分 = 49")
    ]
