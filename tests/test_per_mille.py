"""Rates in per mille (“婴儿死亡率1.85‰”) are rates as per cent ones are: a next-year draft keeps
those of last year's prose in ``previous.rates`` as typed, R011 finds them again, and an
indicator measured in ‰ keeps its unit in the draft, the report and audit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.check.rules.content import narrative_strings
from reportgen.check.validate import validate_text
from reportgen.importer import import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from reportgen.model.previous import Previous
from tests.test_import import SYNTHETIC, render_draft
from tests.test_import_indicators import read_back, report_text
from tests.test_next_year import filled
from tests.test_table_rules import TABLE_SAMPLE

SAID = "（五）部门整体绩效管理情况\n"
PER_MILLE = "全区婴儿死亡率1.85‰，安全事故率控制在0.5‰以内，较上年下降3‰。\n"


def next_year_draft(tmp_path: Path, added: str = PER_MILLE) -> str:
    source = tmp_path / "report.txt"
    text = SYNTHETIC.read_text(encoding="utf-8").replace(SAID, SAID + added)
    source.write_text(text, encoding="utf-8")
    imported = import_report(source, next_year=2025)
    # a rate from 10 up or with a fraction, as typed; “3‰” is too common to say it is last year's
    assert imported.rates == ["1.85‰", "0.5‰"]
    return filled(draft_text(imported, 2025))


def carried(draft: str) -> list[tuple[str, str | None]]:
    """R011's findings in the sentence the per mille rates were added in."""
    validation = validate_text(draft, "n.yaml")
    assert validation.report is not None
    [path] = [p for p, text in narrative_strings(validation.report) if "婴儿死亡率" in text]
    return [
        (f.message, f.actual) for f in validation.findings if f.code == "R011" and f.path == path
    ]


def per_mille_message(typed: str) -> str:
    return (
        f"正文中的“{typed}”与上一年度（2024 年）正文中的千分比相同：请改为本年度的数；"
        f"确属本年度的数，请在 previous.confirmed 中写上“{typed}”"
    )


def test_a_per_mille_of_last_years_prose_is_kept_as_typed_and_flagged(tmp_path: Path) -> None:
    draft = next_year_draft(tmp_path)
    assert "  rates:  # 正文中未写入数据的百分比、千分比（10 以上或有小数，100% 除外）\n" in draft
    assert "    - 1.85‰\n    - 0.5‰\n" in draft  # never as per cent
    assert carried(draft) == [
        (per_mille_message("1.85‰"), "1.85‰"),
        (per_mille_message("0.5‰"), "0.5‰"),
    ]


def test_this_years_per_mille_or_a_confirmed_one_is_not_flagged(tmp_path: Path) -> None:
    draft = next_year_draft(tmp_path)
    this_year = draft.replace("婴儿死亡率1.85‰", "婴儿死亡率1.62‰")
    this_year = this_year.replace("  confirmed: []", "  confirmed: [0.5‰]")
    assert carried(this_year) == []
    # the same rate typed as per cent is the same figure; at fewer decimals it is too
    assert carried(draft.replace("1.85‰", "0.185%").replace("0.5‰", "0.50 ‰")) == [
        (
            "正文中的“0.185%”与上一年度（2024 年）正文中的百分比相同：请改为本年度的数；"
            "确属本年度的数，请在 previous.confirmed 中写上“0.185%”",
            "0.185%",
        ),
        (per_mille_message("0.50 ‰").replace("写上“0.50 ‰”", "写上“0.50‰”"), "0.50 ‰"),
    ]


@pytest.mark.parametrize(
    ("typed", "flagged"),
    [("4.6‰", True), ("4.60‰", True), ("5‰", False), ("4.7‰", False), ("46‰", False)],
)
def test_a_per_mille_is_compared_at_the_decimals_typed(
    tmp_path: Path, typed: str, flagged: bool
) -> None:
    """Last year's 0.46% is 4.6‰; a whole number only when equal, as for per cent."""
    draft = next_year_draft(tmp_path).replace("    - 1.85‰\n", "    - 0.46%\n")
    draft = draft.replace("婴儿死亡率1.85‰", f"婴儿死亡率{typed}")
    found = [actual for _, actual in carried(draft)]
    assert found == ([typed, "0.5‰"] if flagged else ["0.5‰"])


def test_previous_holds_a_per_mille_in_per_cent() -> None:
    previous = Previous.model_validate({"year": 2024, "rates": ["1.85‰", "42.5%", "１．８５‰", 7]})
    assert previous.rates == [Decimal("0.185"), Decimal("42.5"), Decimal("0.185"), Decimal(7)]


INDICATOR = "效益指标：婴儿死亡率，目标值≤2‰，实际完成1.85‰，完成率108.11%。"


def test_an_indicator_in_per_mille_keeps_its_unit(tmp_path: Path) -> None:
    found = import_report(_written(tmp_path, INDICATOR))
    assert read_back(found) == [
        ("婴儿死亡率", "outcome", "2", "1.85", "‰", "negative", "108.11"),
    ]
    rendered = render_draft(draft_text(found), tmp_path / "out")
    at = rendered.index("婴儿死亡率")
    assert rendered[at : at + 4] == ["婴儿死亡率", "≤2‰", "1.85‰", "108.11%"]


def test_audit_checks_an_indicator_in_per_mille(tmp_path: Path) -> None:
    audit = audit_file(_written(tmp_path, INDICATOR))
    assert audit.ok and audit.slips == []
    slipped = audit_file(_written(tmp_path, INDICATOR.replace("108.11%", "118.11%")))
    assert [slip.as_text("r").splitlines() for slip in slipped.slips] == [
        [
            "r: 错误 R205 indicators[0].rate: 婴儿死亡率完成率 118.11% ≠ 目标值 2 ÷ 实际值 1.85"
            "（反向指标） = 108.11%",
            "    应为 108.11%，原文为 118.11%",
            "    原文：“效益指标：婴儿死亡率，目标值≤2‰，实际完成1.85‰，完成率118.11%。”",
        ]
    ]


def _written(tmp_path: Path, indicators: str) -> Path:
    source = tmp_path / "report.txt"
    source.write_text(report_text(indicators), encoding="utf-8")
    return source


def test_a_target_in_per_mille_within_a_bound_is_a_negative_one(tmp_path: Path) -> None:
    """“以内” bounds a target from above, as “以下” does (before 0.3.5 it was read into the unit)."""
    found = import_report(_written(tmp_path, "效益指标：婴儿死亡率目标2‰以内，实际1.85‰。"))
    assert read_back(found) == [("婴儿死亡率", "outcome", "2", "1.85", "‰", "negative", None)]
    rendered = render_draft(draft_text(found), tmp_path / "out")
    at = rendered.index("婴儿死亡率")
    assert rendered[at : at + 4] == ["婴儿死亡率", "≤2‰", "1.85‰", "108.11%"]
    missed = audit_file(_written(tmp_path, "效益指标：投诉率目标5%以内，实际6%。"))
    assert [slip.as_text("r").splitlines() for slip in missed.slips] == [
        [
            "r: 错误 R206 indicators[0]: 投诉率完成率 83.33% 未达到目标，原文没有写明未完成的原因",
            "    原文：“效益指标：投诉率目标5%以内，实际6%。”",
        ]
    ]


# ---- rates in Chinese numerals: “千分之二”, “百分之九十五” --------------------------------------

IN_WORDS = (
    "效益指标：婴儿死亡率，目标值≤千分之二，实际完成千分之一点八五，完成率百分之一百零八点一一。"
)


def test_an_indicator_in_chinese_numerals_is_read_as_its_figures(tmp_path: Path) -> None:
    """“千分之二” is 2‰ and “百分之九十五” 95%, as if typed so; the prose keeps its words."""
    stated = (
        "效益指标：婴儿死亡率，目标值≤千分之二，实际完成千分之一点八五；"
        "群众满意度目标值≥百分之九十，实际完成百分之九十五，指标完成率为百分之一百零五点五六。"
    )
    found = import_report(_written(tmp_path, stated))
    assert read_back(found) == [
        ("婴儿死亡率", "outcome", "2", "1.85", "‰", "negative", None),
        ("群众满意度", "outcome", "90", "95", "%", "positive", "105.56"),
    ]
    assert [i["sentence"] for i in found.facts.indicators] == [
        "效益指标：婴儿死亡率，目标值≤千分之二，实际完成千分之一点八五；",
        "群众满意度目标值≥百分之九十，实际完成百分之九十五，指标完成率为百分之一百零五点五六。",
    ]
    assert stated in draft_text(found)  # the words as published
    rendered = render_draft(draft_text(found), tmp_path / "out")
    at = rendered.index("婴儿死亡率")
    assert rendered[at : at + 4] == ["婴儿死亡率", "≤2‰", "1.85‰", "108.11%"]


def test_audit_checks_an_indicator_in_chinese_numerals(tmp_path: Path) -> None:
    stated = "效益指标：群众满意度目标值≥百分之九十，实际完成百分之九十五，指标完成率为百分之{}。"
    audit = audit_file(_written(tmp_path, stated.format("一百零五点五六")))
    assert audit.ok and audit.slips == []
    slipped = audit_file(_written(tmp_path, stated.format("九十五")))
    assert [slip.as_text("r").splitlines()[:2] for slip in slipped.slips] == [
        [
            "r: 错误 R205 indicators[0].rate: 群众满意度完成率 95% ≠ 实际值 95 ÷ 目标值 90 = 105.56%",
            "    应为 105.56%，原文为 95%",
        ]
    ]


def test_a_missed_target_in_chinese_numerals_needs_its_reason(tmp_path: Path) -> None:
    missed = "效益指标：群众满意度目标值≥百分之九十，实际完成百分之八十五。"
    assert [s.finding.code for s in audit_file(_written(tmp_path, missed)).slips] == ["R206"]
    reason = missed.replace("。", "，主要原因是调查样本调整。")
    found = import_report(_written(tmp_path, reason))
    assert [i.get("reason") for i in found.facts.indicators] == ["主要原因是调查样本调整"]


def test_a_per_mille_of_last_years_prose_in_chinese_numerals_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    added = "全区婴儿死亡率千分之一点八五，安全事故率控制在千分之零点五以内，较上年下降千分之三。\n"
    source.write_text(SYNTHETIC.read_text(encoding="utf-8").replace(SAID, SAID + added))
    imported = import_report(source, next_year=2025)
    assert imported.rates == ["1.85‰", "0.5‰"]
    draft = filled(draft_text(imported, 2025))
    typed = draft.replace("婴儿死亡率千分之一点八五", "婴儿死亡率1.85‰")  # typed this year
    assert [actual for _, actual in carried(typed)] == ["1.85‰"]


# ---- R011 and last year's indicator targets in % or ‰ kept this year ---------------------------

KEPT_TARGETS = (
    "效益指标：群众满意度目标值≥90%，实际完成92.5%，指标完成率为102.78%；"
    "婴儿死亡率目标值≤2.5‰，实际1.85‰，指标完成率为135.14%。"
)


def _r011_in_the_indicators_sentence(draft: str) -> list[str | None]:
    validation = validate_text(draft, "n.yaml")
    assert validation.report is not None
    [path] = [p for p, text in narrative_strings(validation.report) if "群众满意度" in text]
    return [f.actual for f in validation.findings if f.code == "R011" and f.path == path]


def test_a_target_in_per_cent_or_per_mille_kept_this_year_is_not_last_years_figure(
    tmp_path: Path,
) -> None:
    """The next-year draft keeps each indicator's target; the text saying it again is this
    year's target. Last year's actual values and rates left in the text are still found."""
    imported = import_report(_written(tmp_path, KEPT_TARGETS), next_year=2025)
    assert imported.rates == ["90%", "92.5%", "2.5‰", "1.85‰"]
    draft = filled(draft_text(imported, 2025))
    assert "    target: 90\n" in draft and "    target: 2.5\n" in draft
    assert _r011_in_the_indicators_sentence(draft) == ["92.5%", "102.78%", "1.85‰", "135.14%"]
    # a target changed this year, the old one left in the text: found
    changed = draft.replace("    target: 90\n", "    target: 95\n")
    assert _r011_in_the_indicators_sentence(changed) == [
        "90%",
        "92.5%",
        "102.78%",
        "1.85‰",
        "135.14%",
    ]


def test_a_target_of_the_table_kept_this_year_is_not_last_years_figure() -> None:
    """The same for the 自评表's targets, written “2.5‰” or “90” with unit %."""
    text = TABLE_SAMPLE.read_text(encoding="utf-8").replace(
        "{name: 平均办理时长, sign: ≤, target: 5, actual: 4, unit: 天, weight: 10}",
        "{name: 差错率, sign: ≤, target: 2.5‰, actual: 1.2‰, weight: 10}",
    )
    text = text.replace(
        "  problems: 预算执行不够均衡。",
        "  problems: 差错率控制在2.5‰以内，评审意见采纳率目标为90%，去年差错率为1.85‰。",
    )
    text += "previous:\n  year: 2023\n  rates: [2.5‰, 90%, 1.85‰]\n"
    validation = validate_text(text, "t.yaml")
    assert [f.as_text() for f in validation.findings if f.code == "R011"] == [
        "t.yaml:61:13 错误 R011 sections.problems: 正文中的“1.85‰”与上一年度（2023 年）正文中的"
        "千分比相同：请改为本年度的数；确属本年度的数，请在 previous.confirmed 中写上“1.85‰”"
    ]
