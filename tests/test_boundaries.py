"""Each threshold of BRIEF and docs/rules.md pinned from both sides: exactly on it, one unit
inside, one unit outside (benchmarks/mutation.py checks that these tests notice a moved line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportgen.check.figures import figure_table
from reportgen.check.validate import validate_text
from reportgen.context.fields import build_context
from reportgen.findings import Finding, Severity
from tests.conftest import COMPLETE, DELETE, mutated_text

Check = Callable[[dict[str, Any]], list[Finding]]
E, W = Severity.ERROR, Severity.WARNING


def rows(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.code, f.severity, f.as_dict()["path"]) for f in findings]


# --- messages print a figure as the report does ---------------------------------------------


def test_a_message_rounds_a_rate_as_the_report_prints_it() -> None:
    # 133.09 ÷ 200 = 66.545 %: half up, as the report prints it, is 66.55 (half even said 66.54)
    text = mutated_text(
        COMPLETE,
        {
            "indicators[2].actual": "133.09",
            "indicators[2].target": "200",
            "indicators[2].rate": DELETE,
            "indicators[2].reason": DELETE,
        },
    )
    validation = validate_text(text, "case.yaml")
    assert [f.message for f in validation.findings] == [
        "培训人次完成率 66.55% 未达到目标，须填写未完成原因（reason）"
    ]
    assert validation.report is not None and validation.derived is not None
    assert figure_table(validation.report, validation.derived)["indicators[2].rate"] == "66.55%"
    assert validation.choice is not None and validation.choice.plan is not None
    context = build_context(
        validation.report, validation.derived, validation.choice.plan, "default"
    )
    assert context.indicator_table is not None
    assert context.indicator_table.rows[2].rate == "66.55%"
