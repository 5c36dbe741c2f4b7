"""``reportgen import`` and ``audit`` on which figure of the budget a clause names: its own measure
(预算, 支出, 决算) or the one its sentence spoke of; a bare 预算数 beside 决算数; a 支出进度 of a
date before the year's end. Each: the exact figures read, and audit finds no false slip."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.check.validate import validate_text
from reportgen.importer import Imported, import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from tests.test_import import SYNTHETIC

# the synthetic report's paragraphs of money, replaced by each case's
_FINANCE_START = "2024年度年初预算"
_FINANCE_END = "（五）部门整体绩效管理情况"


def published(tmp_path: Path, finance: str) -> Path:
    """The synthetic report with ``finance`` as its paragraphs of 部门整体收支情况."""
    text = SYNTHETIC.read_text(encoding="utf-8")
    start, end = text.index(_FINANCE_START), text.index(_FINANCE_END)
    path = tmp_path / "published.txt"
    path.write_text(text[:start] + finance + "\n" + text[end:], encoding="utf-8")
    return path


def budget_figures(imported: Imported) -> dict[str, str]:
    """Each budget figure read: path → as published."""
    found = imported.facts.found.items()
    return {path: fact.token for path, fact in found if path.startswith("budget.")}


def unplaced(imported: Imported) -> list[str]:
    return [figure for figure, _ in imported.facts.unplaced]


def no_error(imported: Imported, path: Path) -> None:
    """The draft validates without an error, and audit finds no slip in the report."""
    findings = validate_text(draft_text(imported), "draft.yaml").findings
    assert [f.as_text() for f in findings if f.is_error] == []
    assert [s.as_text("r") for s in audit_file(path).slips] == []


# ---- a clause that names its own measure -------------------------------------------------------


@pytest.mark.parametrize(
    ("finance", "figures", "left"),
    [
        (  # the project line's budget, then its spending: “项目支出” is the spending
            "2024年度全年支出合计7,297.82万元，其中基本支出3,800.00万元；其中项目预算3,700.00万元，"
            "项目支出3,497.82万元，执行率94.54%。",
            {
                "budget.expenditure.total": "7,297.82",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.project.budget": "3,700.00",
                "budget.expenditure.project.amount": "3,497.82",
                "budget.expenditure.project.execution_rate": "94.54%",
            },
            [],
        ),
        (  # the same with 基本支出, and the spending called 决算 / 实际支出
            "基本支出预算3,900.00万元，基本支出决算3,800.00万元，执行率97.44%；项目支出预算"
            "3,700.00万元，实际支出3,497.82万元。全年支出7,297.82万元。",
            {
                "budget.expenditure.basic.budget": "3,900.00",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.basic.execution_rate": "97.44%",
                "budget.expenditure.project.budget": "3,700.00",
                "budget.expenditure.project.amount": "3,497.82",
                "budget.expenditure.total": "7,297.82",
            },
            [],
        ),
        (  # the line named again after its budget, with no measure word: its spending
            "基本支出预算3,900.00万元，基本支出3,800.00万元，执行率97.44%。全年支出7,297.82万元，"
            "其中项目支出3,497.82万元。",
            {
                "budget.expenditure.basic.budget": "3,900.00",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.basic.execution_rate": "97.44%",
                "budget.expenditure.total": "7,297.82",
                "budget.expenditure.project.amount": "3,497.82",
            },
            [],
        ),
        (  # 人员经费's budget: no field holds it, and it is no spending
            "全年支出7,297.82万元，基本支出3,800.00万元，其中人员经费预算3,000.00万元，人员经费"
            "支出2,950.00万元，公用经费850.00万元；项目支出3,497.82万元。",
            {
                "budget.expenditure.total": "7,297.82",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.basic.personnel.amount": "2,950.00",
                "budget.expenditure.basic.public.amount": "850.00",
                "budget.expenditure.project.amount": "3,497.82",
            },
            ["3,000.00万元"],
        ),
        (  # the lines listed after the budget are its parts: they keep the budget's measure
            "年初预算7,600.00万元，其中基本支出3,900.00万元，项目支出3,700.00万元。全年支出"
            "7,297.82万元，其中基本支出3,800.00万元，项目支出3,497.82万元。",
            {
                "budget.initial": "7,600.00",
                "budget.expenditure.basic.budget": "3,900.00",
                "budget.expenditure.project.budget": "3,700.00",
                "budget.expenditure.total": "7,297.82",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.project.amount": "3,497.82",
            },
            [],
        ),
        (  # a budget's 人员经费 is part of the budget, not the spending
            "基本支出预算3,900.00万元，其中人员经费3,050.00万元。全年支出7,297.82万元，其中基本"
            "支出3,800.00万元（人员经费2,950.00万元，公用经费850.00万元），项目支出3,497.82万元。",
            {
                "budget.expenditure.basic.budget": "3,900.00",
                "budget.expenditure.total": "7,297.82",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.basic.personnel.amount": "2,950.00",
                "budget.expenditure.basic.public.amount": "850.00",
                "budget.expenditure.project.amount": "3,497.82",
            },
            ["3,050.00万元"],
        ),
    ],
    ids=[
        "project",
        "basic-and-project",
        "named-again",
        "personnel-budget",
        "parts",
        "parts-of-basic",
    ],
)
def test_a_clause_naming_its_own_measure_does_not_take_the_sentences(
    tmp_path: Path, finance: str, figures: dict[str, str], left: list[str]
) -> None:
    path = published(tmp_path, finance)
    imported = import_report(path)
    assert budget_figures(imported) == figures
    assert unplaced(imported) == left
    assert imported.facts.conflicts == []
    no_error(imported, path)


def test_a_slip_in_the_project_spending_is_found_against_its_budget(tmp_path: Path) -> None:
    path = published(
        tmp_path,
        "2024年度全年支出合计7,297.82万元，其中基本支出3,800.00万元；其中项目预算3,700.00万元，"
        "项目支出3,497.82万元，执行率96.54%。",
    )
    assert [s.finding.code for s in audit_file(path).slips] == ["R107"]
