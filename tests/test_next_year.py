"""A next-year draft (``import --year``): last year's figures kept as ``previous:``, none of them
printed unmarked once the data is filled in, and only the report's own year made ``${year}``."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.check.figures import figure_table
from reportgen.check.rules.content import narrative_strings
from reportgen.check.validate import validate_text
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.facts import KEPT_NEXT_YEAR, with_placeholders
from reportgen.model.placeholders import substitute
from reportgen.model.previous import quantities_in
from tests.test_fidelity import seeds
from tests.test_import import SYNTHETIC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024 年 12 月，甘肃积石山发生地震", "2024 年 12 月，甘肃积石山发生地震"),
        ("2024年3月召开推进会", "2024年3月召开推进会"),
        ("2024年10月", "2024年10月"),
        ("2024年，区委办公室", "${year}年，区委办公室"),
        ("2024年度部门预算", "${year}年度部门预算"),
        ("2024年上半年", "${year}年上半年"),
        ("2024年1-6月", "${year}年1-6月"),
        ("截至2024年12月31日", "截至${year}年12月31日"),
        ("2024年12月底", "${year}年12月底"),
        ("2022—2024年规划", "2022—2024年规划"),
        ("2024年至2026年", "2024年至2026年"),
        ("《2024年度工作方案》", "《2024年度工作方案》"),
        ("2023年工作", "2023年工作"),
        # the year after the report's: a plan, which moves with the year
        ("起草2025年工作安排", "起草${next_year}年工作安排"),
        ("2025 年度预算编制", "${next_year} 年度预算编制"),
        ("2025年上半年", "${next_year}年上半年"),
        ("2025年1月起施行", "2025年1月起施行"),
        ("2024—2025年", "2024—2025年"),
        ("《2025年政府工作报告》", "《2025年政府工作报告》"),
        ("2026年", "2026年"),
    ],
)
def test_only_the_report_year_becomes_a_placeholder(text: str, expected: str) -> None:
    assert with_placeholders(text, [], 2024) == expected


_LAST_YEAR = re.compile(r"^(\s*(?:- )?[a-z_]+): 待填写  # \d{4}年：(\S+?)；")


def filled(draft: str) -> str:
    """The draft with every 待填写 given a new figure, as a clerk would: rates and scores
    moved by 0.07, money by a tenth or more; the grade left to the score."""
    lines = []
    top = ""
    for line in draft.splitlines():
        if re.match(r"^[a-z_]+:", line):
            top = line.split(":")[0]
        found = _LAST_YEAR.match(line)
        if found is not None:
            key, last = found.groups()
            if key.strip() == "grade":
                continue
            rate = last.endswith("%")
            value = Decimal(last.rstrip("%").replace(",", ""))
            if rate or top in {"score", "indicators"}:
                step = Decimal("0.07") if value < Decimal("99.9") else Decimal("-0.11")
                line = f"{key}: {value + step}{'%' if rate else ''}"
            else:
                factor = Decimal("1.1") + Decimal("0.013") * len(lines)  # ratios move too
                line = f"{key}: {(value * factor).quantize(Decimal('0.01'))}"
        lines.append(line.replace(": 待填写", ": 1"))  # an indicator's actual value
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_a_filled_next_year_draft_prints_no_figure_of_last_year_unmarked(seed: str) -> None:
    [source] = seeds().glob(f"{seed}_*.txt")
    imported = import_report(source, next_year=2030)
    draft = filled(draft_text(imported, 2030))
    assert ": 待填写" not in draft
    validation = validate_text(draft, "next.yaml")
    assert validation.report is not None and validation.derived is not None
    assert "previous:" in draft
    flagged = {format_path(f.path) for f in validation.findings if f.code == "R011"}
    table = figure_table(validation.report, validation.derived)
    facts = [
        fact.value
        for path, fact in imported.facts.found.items()
        if isinstance(fact.value, Decimal) and path not in KEPT_NEXT_YEAR  # the 10% limit
    ]
    facts += [c["score"] for c in imported.facts.components]
    tokens = last_years_figures(source.read_text(encoding="utf-8"), facts)
    assert tokens
    for path, text in narrative_strings(validation.report):
        printed = substitute(text, table)
        for token in tokens:
            left = re.search(rf"(?<![\d.,]){re.escape(token)}(?![\d])", printed)
            assert left is None or format_path(path) in flagged, (token, printed)


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_a_filled_next_year_draft_flags_each_quantity_of_last_year(seed: str) -> None:
    """“36.03万宗”, “2184 人次”: every count typed with its unit, from 10 up, left in the prose."""
    [source] = seeds().glob(f"{seed}_*.txt")
    validation = validate_text(filled(draft_text(import_report(source, next_year=2030), 2030)), "n")
    assert validation.report is not None
    flagged = {(format_path(f.path), f.actual) for f in validation.findings if f.code == "R011"}
    left = {
        (format_path(path), typed)
        for path, text in narrative_strings(validation.report)
        for typed, value, _ in quantities_in(text)
        if value >= 10 or value != value.to_integral_value()
    }
    assert len(left) >= 4
    assert left <= flagged


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_a_filled_next_year_draft_flags_each_percentage_of_last_year(seed: str) -> None:
    """“覆盖率达到42.5%”: every percentage the prose types that no field holds, from 10% up or
    with a fraction, not 100%, left in the prose."""
    [source] = seeds().glob(f"{seed}_*.txt")
    validation = validate_text(filled(draft_text(import_report(source, next_year=2030), 2030)), "n")
    assert validation.report is not None
    flagged = {(format_path(f.path), f.actual) for f in validation.findings if f.code == "R011"}
    assert validation.report.previous is not None
    facts = set(validation.report.previous.figures.values())  # kept next year (the 10% limit)
    left = {
        (format_path(path), match.group(0))
        for path, text in narrative_strings(validation.report)
        for match in re.finditer(r"(?<![\d.}])(\d{1,3}(?:\.\d+)?)%", text)
        if Decimal(match.group(1)) not in {Decimal(100), *facts}
        and (Decimal(match.group(1)) >= 10 or "." in match.group(1))
    }
    assert left <= flagged


def test_a_percentage_of_last_years_prose_is_kept_and_flagged(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "（五）部门整体绩效管理情况\n",
        "（五）部门整体绩效管理情况\n家庭医生签约覆盖率达到42.5%，绩效监控覆盖率100%，完成5个。\n",
    )
    source.write_text(text, encoding="utf-8")
    imported = import_report(source, next_year=2025)
    assert "42.5%" in imported.rates
    assert "100%" not in imported.rates
    validation = validate_text(filled(draft_text(imported, 2025)), "n.yaml")
    said = [f.message for f in validation.findings if f.code == "R011" and f.actual == "42.5%"]
    assert said == [
        "正文中的“42.5%”与上一年度（2024 年）正文中的百分比相同：请改为本年度的数；"
        "确属本年度的数，请在 previous.confirmed 中写上“42.5%”"
    ]


def last_years_figures(published: str, facts: list[Decimal]) -> set[str]:
    """The figures as the published report typed them (“1829.4 万元”, “66.5%”) that state one
    of its facts at the precision typed; whole numbers only when equal (100% is common)."""
    found = set()
    for match in re.finditer(
        r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(万元|%|分)", published
    ):
        typed = Decimal(match.group(1).replace(",", ""))
        exponent = typed.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 0
        close = Decimal(1).scaleb(-places) / 2 + Decimal("0.005") if places else Decimal(0)
        if any(abs(typed - fact) <= close for fact in facts):
            found.add(match.group(0))
    return found


def test_a_figure_typed_otherwise_becomes_a_placeholder_and_says_how_it_prints(
    tmp_path: Path,
) -> None:
    source = tmp_path / "last.txt"
    source.write_text(
        "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n（一）部门职能\n负责测试。\n"
        "二、部门整体收支情况\n2023年全年支出 1829.4 万元，其中基本支出 962.44万元，"
        "项目支出 866.96万元。2023 年 12 月，甘肃积石山发生地震。\n",
        encoding="utf-8",
    )
    imported = import_report(source, next_year=2024)
    assert imported.notes[-1] == (
        "正文中的“1829.4”改为 ${budget.expenditure.total}，按 reportgen 的格式印出"
        "（上一年的数会印为“1,829.40”）"
    )
    text = draft_text(imported, 2024)
    assert (
        "${year}年全年支出 ${budget.expenditure.total} 万元，其中基本支出 "
        "${budget.expenditure.basic.amount}万元，项目支出 ${budget.expenditure.project.amount}万元。"
        "2023 年 12 月，甘肃积石山发生地震。"
    ) in text
    assert "  figures:\n    budget.expenditure.total: 1829.4\n" in text


def test_years_either_side_of_last_years_move_or_are_marked(tmp_path: Path) -> None:
    """In a 2023 report “2024年工作安排” is next year's plan: ``${next_year}`` in a 2025 draft
    prints 2026. “2022年” may be the year before or an event's; a document's name keeps its
    year: those are marked for a reader (R012)."""
    source = tmp_path / "last.txt"
    source.write_text(
        "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n（一）部门职能\n负责测试。\n"
        "二、部门整体收支情况\n2023年全年支出 1,150.00万元，比2022年增长5%。"
        "起草2024年工作安排和《2024年政府工作报告》。\n本局2022年被评为先进单位。\n"
        "2022年12月，新办公楼启用。2021—2024年规划稳步实施。\n",
        encoding="utf-8",
    )
    imported = import_report(source, next_year=2025)
    before = (
        "“${budget.expenditure.total}万元，比2022年增长5%。起草”中的“2022年”是"
        "上一份报告（2023年度）的上一年：如指报告年度的上一年，请改为 ${last_year}年（2025年度的报告中"
        "印作“2024年”）；如是一件事发生的年份，保持原样"
    )
    titled = (
        "“${next_year}年工作安排和《2024年政府工作报告》”书名号中的“2024年”是上一份报告（2023年度）的"
        "下一年：如指报告年度的下一年，请改为 ${next_year}年（印作“2026年”）；如是文件的原名，保持原样"
    )
    event = (
        "“本局2022年被评为先进单位”中的“2022年”是上一份报告（2023年度）的上一年：如指报告年度的上一年，"
        "请改为 ${last_year}年（2025年度的报告中印作“2024年”）；如是一件事发生的年份，保持原样"
    )
    plans = (
        "正文中指下一年的“2024年”（1 处）改为 ${next_year}年，印出报告年度的下一年"
        "（2025年度的报告中为“2026年”）"
    )
    assert [n for n in imported.notes if "年”" in n] == [before, titled, event, plans]
    draft = draft_text(imported, 2025)
    lines = draft.splitlines()
    first = (
        "${year}年全年支出 ${budget.expenditure.total}万元，比2022年增长5%。"
        "起草${next_year}年工作安排和《2024年政府工作报告》。"
    )
    second = "本局2022年被评为先进单位。"
    third = "2022年12月，新办公楼启用。2021—2024年规划稳步实施。"
    at = next(n for n, line in enumerate(lines) if first in line)
    assert lines[at].endswith(f"{first}  # 【待核对】{before}  # 【待核对】{titled}")
    assert lines[at + 1].endswith(f"{second}  # 【待核对】{event}")
    assert lines[at + 2].endswith(f"- {third}")  # a date and a span stay, unmarked
    warned = [f for f in validate_text(draft, "d.yaml").findings if f.code == "R012"]
    assert [f.location.line if f.location else 0 for f in warned] == [at + 1, at + 1, at + 2]


def test_next_and_last_year_print_around_the_reports_year() -> None:
    draft = (
        "year: 2025\ndepartment: 测试局\nbudget:\n  expenditure:\n    total: 1\n"
        "score:\n  total: 90\nsections:\n  goals: ${last_year}年、${year}年、${next_year}年\n"
    )
    validation = validate_text(draft, "d.yaml")
    assert validation.report is not None and validation.derived is not None
    assert not [f for f in validation.findings if f.code == "R003"]
    table = figure_table(validation.report, validation.derived)
    [(_, goals)] = narrative_strings(validation.report)
    assert substitute(goals, table) == "2024年、2025年、2026年"
