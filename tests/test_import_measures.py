"""``reportgen import`` and ``audit`` on which figure of the budget a clause names: its own measure
(预算, 支出, 决算) or the one its sentence spoke of; a bare 预算数 beside 决算数; a 支出进度 of a
date before the year's end. Each: the exact figures read, and audit finds no false slip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.check.validate import validate_text
from reportgen.importer import Imported, import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from reportgen.importer.facts import DATED
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
        (  # both lines' budgets, then both lines' spending
            "基本支出预算3,900.00万元、项目支出预算3,700.00万元，基本支出3,800.00万元、项目支出"
            "3,497.82万元。全年支出7,297.82万元。",
            {
                "budget.expenditure.basic.budget": "3,900.00",
                "budget.expenditure.project.budget": "3,700.00",
                "budget.expenditure.basic.amount": "3,800.00",
                "budget.expenditure.project.amount": "3,497.82",
                "budget.expenditure.total": "7,297.82",
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
        "both-budgets-first",
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


# ---- a bare 预算数 beside 决算数 -----------------------------------------------------------------


# Decided from the 自评表 (TABLE.md: 年初预算数, 全年预算数 = the adjusted budget A, 全年执行数 B,
# 执行率 B/A) and seed 001 (“全年预算数 3,392.15 万元，执行数 3,101.73 万元，完成预算数的
# 91.44%”): the budget a 决算 sets beside its spending is the year's budget as adjusted. So
# 全年预算数 is ``budget.adjusted``, and so is a bare 预算数 in a sentence that states 决算数 or
# 执行数 (the words of the 决算's columns); 年初预算(数) stays ``budget.initial``, and so does a
# budget named otherwise (“部门预算”, “财政下达预算”) beside a spending named otherwise.
@pytest.mark.parametrize(
    ("finance", "figures"),
    [
        (
            "2024年度全年预算数1,234.00万元，决算数1,200.00万元，执行率97.24%。",
            {"adjusted": "1,234.00", "expenditure.total": "1,200.00", "execution_rate": "97.24%"},
        ),
        (
            "2024年度预算数1,234.00万元，决算数1,200.00万元，完成预算数的97.24%。",
            {"adjusted": "1,234.00", "expenditure.total": "1,200.00", "execution_rate": "97.24%"},
        ),
        (
            "2024年度预算数1,234.00万元，执行数1,200.00万元，执行率97.24%。",
            {"adjusted": "1,234.00", "expenditure.total": "1,200.00", "execution_rate": "97.24%"},
        ),
        (  # the 决算数 first
            "2024年度部门决算数1,200.00万元，预算数1,234.00万元，执行率97.24%。",
            {"expenditure.total": "1,200.00", "adjusted": "1,234.00", "execution_rate": "97.24%"},
        ),
        (  # 年初预算 said after it is another figure, not the same one stated otherwise
            "2024年度全年预算数1,234.00万元，决算数1,200.00万元，执行率97.24%。年初预算"
            "1,100.00万元。",
            {
                "adjusted": "1,234.00",
                "expenditure.total": "1,200.00",
                "execution_rate": "97.24%",
                "initial": "1,100.00",
            },
        ),
        (
            "2024年度年初预算数1,100.00万元，全年预算数1,234.00万元，决算数1,200.00万元，执行率97.24%。",
            {
                "initial": "1,100.00",
                "adjusted": "1,234.00",
                "expenditure.total": "1,200.00",
                "execution_rate": "97.24%",
            },
        ),
        (  # 年初预算数 stays the initial budget, beside 决算数 too
            "2024年度年初预算数1,234.00万元，决算数1,200.00万元，执行率97.24%。",
            {"initial": "1,234.00", "expenditure.total": "1,200.00", "execution_rate": "97.24%"},
        ),
        (  # a budget named otherwise, beside a spending named otherwise: the initial, as before
            "2024年度部门预算1,234.00万元，全年支出1,200.00万元，预算执行率97.24%。",
            {"initial": "1,234.00", "expenditure.total": "1,200.00", "execution_rate": "97.24%"},
        ),
        (  # the year's budgeted income is income, not the budget
            "2024年度全年预算收入1,234.00万元，全年支出1,200.00万元。",
            {"income.sources[0].amount": "1,234.00", "expenditure.total": "1,200.00"},
        ),
    ],
    ids=[
        "full-year",
        "bare",
        "executed",
        "spent-first",
        "initial-after",
        "both",
        "initial",
        "other",
        "income",
    ],
)
def test_a_bare_budget_beside_the_final_accounts_is_the_adjusted_budget(
    tmp_path: Path, finance: str, figures: dict[str, str]
) -> None:
    path = published(tmp_path, finance)
    imported = import_report(path)
    assert budget_figures(imported) == {f"budget.{key}": token for key, token in figures.items()}
    assert imported.facts.conflicts == []
    no_error(imported, path)


def test_a_tables_bare_budget_column_beside_its_final_accounts_is_the_adjusted_budget(
    tmp_path: Path,
) -> None:
    """A table's “预算数｜决算数” columns are read as the sentence “预算数…，决算数…” is."""
    path = published(
        tmp_path,
        "2024年度部门整体收支情况如下表。\n（单位：万元）\n项目\t预算数\t决算数\t执行率\n"
        "合计\t1,234.00\t1,200.00\t97.24%\n基本支出\t834.00\t820.00\t98.32%\n"
        "项目支出\t400.00\t380.00\t95.00%\n",
    )
    imported = import_report(path)
    assert budget_figures(imported) == {
        "budget.adjusted": "1,234.00",
        "budget.expenditure.total": "1,200.00",
        "budget.execution_rate": "97.24%",
        "budget.expenditure.basic.budget": "834.00",
        "budget.expenditure.basic.amount": "820.00",
        "budget.expenditure.basic.execution_rate": "98.32%",
        "budget.expenditure.project.budget": "400.00",
        "budget.expenditure.project.amount": "380.00",
        "budget.expenditure.project.execution_rate": "95.00%",
    }
    no_error(imported, path)


# ---- a 支出进度 of a date before the year's end --------------------------------------------------

_THE_YEAR = "2024年度年初预算1,200.00万元，全年支出1,150.00万元，预算执行率为95.83%。"
_THE_YEARS_FIGURES = {
    "budget.initial": "1,200.00",
    "budget.expenditure.total": "1,150.00",
    "budget.execution_rate": "95.83%",
}


@pytest.mark.parametrize(
    "progress",
    [
        "截至9月底，部门预算支出进度为75.00%。",
        "9月底预算支出进度为75.00%，超过序时进度。",
        "1-9月支出进度为75.00%。",
        "2024年1至9月预算执行率为75.00%。",
        "上半年支出进度为45.00%。",
        "前三季度预算执行率为75.00%。",
        "第三季度末支出进度为75.00%。",
        "年中支出进度为55.00%。",
        "截至2024年9月30日，预算支出进度为75.00%。",
        "截至10月末支出进度达百分之八十五。",
        "截至9月底预算执行率为百分之七十五。",
        "截至九月底，预算支出进度为75.00%。",
        "十一月末支出进度为90.00%。",
        "半年支出进度为45.00%。",
    ],
)
def test_a_spending_progress_before_the_years_end_is_not_the_execution_rate(
    tmp_path: Path, progress: str
) -> None:
    """Said before the year's figures, a date's 支出进度 read as the year's would be the figure
    and the year's the conflict; said after them, a conflict; either way a false slip."""
    for finance in (progress + _THE_YEAR, _THE_YEAR + progress):
        path = published(tmp_path, finance)
        imported = import_report(path)
        assert budget_figures(imported) == _THE_YEARS_FIGURES, finance
        assert imported.facts.conflicts == []
        no_error(imported, path)
        # found, and said unchecked (a rate in Chinese numerals stays in the text unsaid)
        said = re.findall(r"\d+\.\d+%", progress)
        assert [u.key for u in audit_file(path).unchecked if DATED in u.key] == [
            f"{figure}（{DATED}）" for figure in said
        ]
        assert [n for n in imported.notes if DATED in n] == [
            f"{DATED} {figure}（“{progress}”）不是全年的预算执行率，留在正文中，不核对"
            for figure in said
        ]


@pytest.mark.parametrize(
    "progress",
    [
        "截至9月底支出进度为75.00%，全年支出进度为{rate}%。",
        "截至12月底支出进度为{rate}%。",
        "上半年支出进度为45.00%；年末预算支出进度为{rate}%。",
        "2024年1-12月支出进度为{rate}%。",
        "截至十二月底支出进度为{rate}%。",
    ],
)
def test_a_spending_progress_of_the_years_end_is_its_execution_rate(
    tmp_path: Path, progress: str
) -> None:
    finance = "2024年度年初预算1,200.00万元，全年支出1,150.00万元。" + progress
    path = published(tmp_path, finance.format(rate="95.83"))
    imported = import_report(path)
    assert budget_figures(imported) == _THE_YEARS_FIGURES | {"budget.execution_rate": "95.83%"}
    no_error(imported, path)
    path = published(tmp_path, finance.format(rate="96.83"))  # a slip: found
    assert [s.finding.code for s in audit_file(path).slips] == ["R106"]


def test_a_budget_changed_in_the_middle_of_the_year_is_no_point_of_it(tmp_path: Path) -> None:
    """“年中调整为”, “年中经追加调整后”: a change to the budget, not a rate's date."""
    for change in ("年中调整为", "年中经追加调整后预算为"):
        finance = (
            f"2024年度年初预算1,000.00万元，{change}1,200.00万元，支出1,150.00万元，"
            "预算执行率为95.83%。"
        )
        path = published(tmp_path, finance)
        assert budget_figures(import_report(path)) == {
            "budget.initial": "1,000.00",
            "budget.adjusted": "1,200.00",
            "budget.expenditure.total": "1,150.00",
            "budget.execution_rate": "95.83%",
        }


# ---- a project named before 项目支出 -------------------------------------------------------------


def test_a_named_projects_spending_is_not_the_project_line(tmp_path: Path) -> None:
    """“生活垃圾分类处理项目支出1.25亿元”: the project's own, not the department's 项目支出 (it
    was a false R012 against the line's 21,345.60)."""
    path = published(
        tmp_path,
        "2024年度全年支出合计34,802.38万元，其中基本支出13,456.78万元，项目支出21,345.60万元。"
        "主要项目：一是生活垃圾分类处理项目支出1.25亿元，全年处理生活垃圾52.6万吨；"
        "二是背街小巷环境整治项目支出3,860.45万元，完成整治背街小巷48条。"
        "本局项目支出主要用于城市管理。",
    )
    imported = import_report(path)
    assert budget_figures(imported)["budget.expenditure.project.amount"] == "21,345.60"
    assert imported.facts.conflicts == []
    assert unplaced(imported) == ["1.25亿元", "3,860.45万元"]


@pytest.mark.parametrize("rate", ["41%", "百分之四十一"])
def test_a_share_of_the_project_line_is_not_its_share_of_the_spending(
    tmp_path: Path, rate: str
) -> None:
    """“第四季度支出占全年项目支出的41%”: the line after 占 is the whole, so the rate is no
    项目支出占比 (it was a false R110 against 项目支出 ÷ 支出合计)."""
    path = published(
        tmp_path,
        "2024年度全年支出合计8,828.16万元，其中基本支出3,215.40万元，项目支出5,612.76万元，"
        f"占总支出的63.58%。项目支出进度前低后高，第四季度支出占全年项目支出的{rate}。",
    )
    imported = import_report(path)
    assert budget_figures(imported)["budget.expenditure.project.share"] == "63.58%"
    assert imported.facts.conflicts == []
    assert [s.as_text("r") for s in audit_file(path).slips] == []


@pytest.mark.parametrize(
    "changed",
    [
        "年中因公立医院改革补助等追加调整后预算为22,028.40万元",
        "年中因人员增加等调整后预算为22,028.40万元",
        "由于疫情防控需要经追加调整后预算为22,028.40万元",
    ],
)
def test_the_cause_of_a_budget_change_is_no_part_named(tmp_path: Path, changed: str) -> None:
    """Why the budget changed, said before the change, names nothing the figure would be a part
    of: the figure is the adjusted budget (it was unplaced, and 执行率 was checked against the
    initial budget: a false R106)."""
    path = published(
        tmp_path,
        f"2024年度本局年初预算20,806.00万元，{changed}，全年支出21,303.13万元，预算执行率96.71%。",
    )
    imported = import_report(path)
    assert budget_figures(imported)["budget.adjusted"] == "22,028.40"
    assert unplaced(imported) == []
    assert [s.as_text("r") for s in audit_file(path).slips] == []


@pytest.mark.parametrize("owner", ["本镇", "我街道", "派潭镇人民政府", "本乡"])
def test_a_town_naming_itself_before_its_budget_is_the_department(
    tmp_path: Path, owner: str
) -> None:
    """“本镇年初预算8,650.00万元”: a town or street office naming itself names no part (the
    figure was unplaced); another name still does (“各村年初预算”)."""
    path = published(
        tmp_path,
        f"2024年度{owner}年初预算8,650.00万元，调整预算9,120.00万元；全年支出8,828.16万元，"
        "预算执行率为96.80%。各村年初预算120.00万元。",
    )
    imported = import_report(path)
    assert budget_figures(imported)["budget.initial"] == "8,650.00"
    assert unplaced(imported) == ["120.00万元"]


@pytest.mark.parametrize(
    ("rate", "slip"), [("百分之九十五点零六", False), ("百分之九十九点零六", True)]
)
def test_a_lines_rate_in_chinese_numerals_is_read_like_its_figures(
    tmp_path: Path, rate: str, slip: bool
) -> None:
    """“项目支出…，预算…，执行率百分之九十五点零六”: the short clause speaks of the line its
    sentence named, in Chinese numerals as in figures (it was neither read nor counted)."""
    path = published(
        tmp_path,
        "2024年度全年支出合计8,828.16万元。其中基本支出3,215.40万元；"
        f"项目支出5,612.76万元，预算5,904.60万元，执行率{rate}。",
    )
    imported = import_report(path)
    assert budget_figures(imported)["budget.expenditure.project.execution_rate"] == rate
    slips = [s.finding.code for s in audit_file(path).slips if s.finding.is_error]
    assert slips == (["R107"] if slip else [])


@pytest.mark.parametrize(
    ("share", "slip"), [("百分之九十八点二五", False), ("百分之八十九点二五", True)]
)
def test_an_income_share_in_chinese_numerals_is_the_source_named_before_it(
    tmp_path: Path, share: str, slip: bool
) -> None:
    """“其中财政拨款收入8,960.00万元，占百分之九十八点二五”: the share of the source the
    sentence named last, as in figures (it was neither read nor counted)."""
    path = published(
        tmp_path,
        "2024年度全年收入9,120.00万元，其中财政拨款收入8,960.00万元，"
        f"占{share}，其他收入160.00万元，占百分之一点七五。全年支出8,828.16万元。",
    )
    imported = import_report(path)
    figures = budget_figures(imported)
    assert figures["budget.income.sources[0].share"] == share
    assert figures["budget.income.sources[1].share"] == "百分之一点七五"
    slips = [s.finding.code for s in audit_file(path).slips if s.finding.is_error]
    assert slips == (["R104"] if slip else [])
