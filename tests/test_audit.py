"""``reportgen audit``: every rule's slip planted in a published report is found, with the
sentence it comes from; exit codes as ``validate``."""

from __future__ import annotations

import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_text
from reportgen.cli.app import app
from reportgen.findings import format_path, parse_path
from reportgen.importer import import_report
from reportgen.importer.audit import Audit, audit_file, quoted_once
from reportgen.importer.coverage import figure_label
from reportgen.importer.draft import draft_text
from reportgen.importer.facts import sentence_at
from reportgen.importer.precision import coarse_range
from tests.test_fidelity import seeds
from tests.test_import import SYNTHETIC

runner = CliRunner()

# (rule, the published words, the slip planted in them, severity, a sentence the slip quotes)
SLIPS = [
    ("R101", "全年支出 1,150.00万元", "全年支出 1,250.00万元", "error", "全年支出 1,250.00万元"),
    ("R101", "支出 800.00万元", "支出 900.00万元", "error", "支出 900.00万元"),  # 100 万元
    ("R102", "人员经费 700.00万元", "人员经费 700.01万元", "warning", "人员经费 700.01万元"),
    ("R103", "收入合计 1,200.00万元", "收入合计 1,300.00万元", "error", "收入合计 1,300.00万元"),
    ("R104", "占总收入 91.67%", "占总收入 90.67%", "error", "占总收入 90.67%"),
    (
        "R105",
        "基本支出预算 820.00万元",
        "基本支出预算 920.00万元",
        "error",
        "基本支出预算 920.00万元",
    ),
    ("R106", "预算执行率为 95.83%", "预算执行率为 85.83%", "error", "预算执行率为 85.83%"),
    ("R107", "执行率为 92.11%", "执行率为 82.11%", "error", "执行率为 82.11%"),
    ("R108", "结转结余率为 4.35%", "结转结余率为 5.35%", "error", "结转结余率为 5.35%"),
    ("R108", "结转结余率≤10%", "结转结余率≤4%", "error", "结转结余率≤4%"),
    (
        "R110",
        "支出 350.00万元，执行率为 92.11%",
        "支出 350.00万元，占全年支出的 33.43%，执行率为 92.11%",  # 350 ÷ 1,150 = 30.43%
        "error",
        "占全年支出的 33.43%",
    ),
    ("R201", "管理效率得分 48分", "管理效率得分 46分", "error", "管理效率得分 46分"),
    ("R202", "48分（满分 50分）", "48分（满分 60分）", "error", "满分 60分"),
    ("R203", "自评等级为“优”", "自评等级为“良”", "error", "自评等级为“良”"),
    ("R204", "经费支出 300.00万元", "经费支出 310.00万元", "error", "经费支出 310.00万元"),
    ("R205", "指标完成率为110%", "指标完成率为120%", "error", "指标完成率为120%"),
    (
        "R206",
        "实际值88人次，指标完成率为110%",
        "实际值70人次，指标完成率为87.5%",
        "error",
        "实际值70人次",
    ),
    (
        "R005",
        "（五）部门整体绩效管理情况\n",
        "（五）部门整体绩效管理情况\n2023年度按要求开展绩效管理。\n",
        "warning",
        None,
    ),
]


def planted(tmp_path: Path, published: str, slip: str) -> Path:
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert published in text
    path = tmp_path / "published.txt"
    path.write_text(text.replace(published, slip, 1), encoding="utf-8")
    return path


def after_the_total(tmp_path: Path, said: str) -> Path:
    """The synthetic report with ``said`` after its sentence of the total and the rate."""
    total = "全年支出 1,150.00万元，预算执行率为 95.83%。"
    return planted(tmp_path, total, total + said)


def unplaced(audit: Audit) -> list[str]:
    """The amounts audit found and could not place, as it lists them."""
    return [u.key for u in audit.unchecked if "未能归类" in u.key]


def test_the_report_as_published_has_no_slip() -> None:
    audit = audit_file(SYNTHETIC)
    assert audit.ok
    assert audit.slips == []


@pytest.mark.parametrize(("code", "published", "slip", "severity", "quoted"), SLIPS)
def test_every_rule_finds_its_planted_slip(
    tmp_path: Path, code: str, published: str, slip: str, severity: str, quoted: str | None
) -> None:
    audit = audit_file(planted(tmp_path, published, slip))
    found = [s for s in audit.slips if s.finding.code == code]
    assert found, [s.as_text("x") for s in audit.slips]
    assert {s.finding.severity.value for s in found} == {severity}
    if quoted is not None:
        assert any(quoted in sentence for s in found for sentence in s.sentences)


def test_text_output_quotes_the_sentence_and_expected_against_stated(tmp_path: Path) -> None:
    path = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 1,250.00万元")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}: 错误 R101 budget.expenditure.total: 支出合计 1250.00 ≠ 基本支出 800.00 + "
        "项目支出 350.00 = 1150.00"
    ) in result.output
    assert "    应为 1,150.00，原文为 1,250.00" in result.output  # as the report writes them
    assert "    原文：“全年支出 1,250.00万元，预算执行率为 95.83%。”" in result.output
    assert f"{path}: 未通过（" in result.output


def test_a_score_slip_is_said_as_written_and_its_sentencequoted_once(tmp_path: Path) -> None:
    """“95.50” stays “95.50” (the data's 95.5), the sum it should be is written alike, and the
    sentence the total and the grade share is quoted once for each finding."""
    path = planted(
        tmp_path,
        "自评得分为 95.5分，其中履职效能得分 47.5分",
        "自评得分为 96.50分，其中履职效能得分 47.5分",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("自评等级为“优”", "自评等级为“良”", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 1
    sentence = (
        "    原文：“自评得分为 96.50分，其中履职效能得分 47.5分（满分 50分），"
        "管理效率得分 48分（满分 50分），自评等级为“良”。”"
    )
    lines = result.output.splitlines()
    total = lines.index(
        f"{path}: 错误 R201 score.total: 自评得分 96.5 ≠ 履职效能 47.5 + 管理效率 48 = 95.5"
    )
    assert lines[total + 1 : total + 3] == ["    应为 95.50，原文为 96.50", sentence]
    grade = next(i for i, line in enumerate(lines) if " R203 " in line)
    assert lines[grade + 1 : grade + 3] == ["    应为 优，原文为 良", sentence]
    assert lines[grade + 3].startswith(f"{path}: ")  # no second quote of the same sentence


@pytest.mark.parametrize("said", ["重点工作经费支出合计", "重点项目支出合计"])
def test_key_work_funds_are_the_key_tasks_total_and_checked(tmp_path: Path, said: str) -> None:
    """“重点工作经费支出合计”, as a 街道 writes it, or “重点项目支出合计”, is key_tasks.total
    (not the project spending: a false R012): its slip is found."""
    path = planted(tmp_path, "重点任务项目经费支出 300.00万元", f"{said} 310.00万元")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if " 错误 " in line] == [
        f"{path}: 错误 R204 key_tasks.total: 重点任务经费合计 310.00 ≠ 甲项目经费 120.00 + "
        "乙项目经费 180.00 = 300.00"
    ]


def test_an_amount_the_import_could_not_place_counts_as_found_and_unchecked(
    tmp_path: Path,
) -> None:
    """The coverage line counts every figure found: one left in the text unplaced too."""
    before = runner.invoke(app, ["audit", str(SYNTHETIC)]).output.splitlines()[-1]
    path = planted(tmp_path, "按要求编制绩效目标。", "按要求编制绩效目标，另安排专款 25.00万元。")
    after = runner.invoke(app, ["audit", str(path)]).output.splitlines()
    found, checked = (int(n) for n in re.findall(r"找到 (\d+) 个数，核对了 (\d+) 个", before)[0])
    assert after[-1] == (
        f"{path}: 通过（0 个错误，0 个警告；原文中找到 {found + 1} 个数，核对了 {checked} 个）"
    )
    assert (
        after[-2] == "    25.00万元（未能归类），原文：“按要求编制绩效目标，另安排专款 25.00万元。”"
    )


def test_a_window_of_a_quoted_sentence_is_not_quoted_again() -> None:
    """A figure's sentence can be a window of a longer one (“…总分为92.30分，…”): the
    longer one is quoted once, where the first of them stood."""
    whole = "经自评，2023年度部门整体支出绩效自评总分为92.30分，评价等级为“良”。"
    window = "部门整体支出绩效自评总分为92.30分，评价等级为“良”。"
    other = "全年支出3,401.26万元。"
    assert quoted_once([window], whole) == [whole]
    assert quoted_once([other, window], whole) == [other, whole]
    assert quoted_once([whole, other], window) == [whole, other]
    assert quoted_once([whole], other) == [whole, other]


def test_a_cent_of_rounding_is_a_warning_and_exits_0(tmp_path: Path) -> None:
    path = planted(tmp_path, "人员经费 700.00万元", "人员经费 700.01万元")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 0
    assert "警告 R102" in result.output
    assert "尾数误差" in result.output


def test_json_for_many_files_at_once(tmp_path: Path) -> None:
    bad = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 1,250.00万元")
    result = runner.invoke(app, ["audit", "--format", "json", str(SYNTHETIC), str(bad)])
    assert result.exit_code == 1
    files = json.loads(result.output)["files"]
    assert [(f["file"], f["ok"]) for f in files] == [(str(SYNTHETIC), True), (str(bad), False)]
    slip = next(f for f in files[1]["findings"] if f["code"] == "R101")
    assert slip["expected"] == "1150.00"
    assert slip["actual"] == "1250.00"
    assert "全年支出 1,250.00万元，预算执行率为 95.83%。" in slip["sentences"]


def test_an_unreadable_file_exits_2_and_the_others_are_still_audited(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["audit", str(missing), str(SYNTHETIC)])
    assert result.exit_code == 2
    assert "错误：" in result.output
    assert (
        f"{SYNTHETIC}: 通过（0 个错误，0 个警告；原文中找到 34 个数，核对了 32 个）"
        in result.output
    )


def test_a_figure_the_report_does_not_state_is_a_warning(tmp_path: Path) -> None:
    path = planted(tmp_path, "自评得分为 95.5分，", "")
    audit = audit_file(path)
    assert audit.ok
    [slip] = [s for s in audit.slips if s.finding.path == ("score", "total")]
    assert slip.finding.message == "原文中没有找到这一项，相关规则无法核对"


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_the_published_seeds_have_no_errors(seed: str) -> None:
    [source] = seeds().glob(f"{seed}_*.txt")
    assert audit_file(source).ok


def test_the_slip_of_the_issue_is_an_error() -> None:
    # 年初预算支出 5,381.80 万元 stated for 基本 1,059.00 + 项目 4,322.88 = 5,381.88
    audit = audit_file(Path(__file__).resolve().parent / "cases" / "import" / "variant.txt")
    assert not audit.ok
    [slip] = audit.slips
    assert (slip.finding.code, slip.finding.expected, slip.finding.actual) == (
        "R105",
        "5381.88",
        "5381.80",
    )
    assert slip.sentences[0].startswith(
        "2023年度部门年初预算支出5,381.80万元，其中基本支出1,059.00万元"
    )


def test_a_section_the_report_lacks_is_a_warning(tmp_path: Path) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8")
    start, end = text.index("（三）管理效率分析"), text.index("三、存在的主要问题")
    path = tmp_path / "published.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    audit = audit_file(path)
    assert audit.ok
    [slip] = [s for s in audit.slips if s.finding.code == "R002"]
    assert slip.finding.message.startswith("原文没有这一节：缺少必填的一节“管理效率分析”")


SCORES = "自评得分为 95.5分，其中履职效能得分 47.5分（满分 50分），管理效率得分 48分（满分 50分），"


@pytest.mark.parametrize(
    "written",
    [
        "履职效能评分 49.65 分，管理效能评分 48.5 分，总分 98.25 分，",
        "其中履职效能方面得分 49.65分，管理效能得分为48.5分；总分 98.25 分，",
        "得分见下表：\n一级指标        分值        评分\n履职效能        50        49.65\n"
        "管理效能        50        48.5\n合计        100        98.25\n",
        "得分见下表：\n序号  一级指标        得分\n1  履职效能        49.65\n"
        "2  管理效能        48.5\n",
    ],
)
def test_score_components_without_maxima_are_read_and_summed(tmp_path: Path, written: str) -> None:
    audit = audit_file(planted(tmp_path, SCORES, written))
    errors = [slip.finding for slip in audit.slips if slip.finding.is_error]
    if "序号" in written:  # no total stated: the two scores are read, there is nothing to sum
        assert errors == []
        return
    assert [(f.code, f.message) for f in errors] == [
        ("R201", "自评得分 98.25 ≠ 履职效能 49.65 + 管理效能 48.5 = 98.15")
    ]


def test_the_shares_of_basic_and_project_spending_are_found_and_checked(tmp_path: Path) -> None:
    path = planted(
        tmp_path,
        "支出 800.00万元，执行率为 97.56%",
        "支出 800.00万元，占比 69.57%，执行率为 97.56%",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "支出 350.00万元，执行率为 92.11%", "支出 350.00万元，占总支出 30.43%，执行率为 92.11%"
        ),
        encoding="utf-8",
    )
    audit = audit_file(path)
    assert audit.ok and audit.slips == []
    checked = set(audit.checked)
    assert {"budget.expenditure.basic.share", "budget.expenditure.project.share"} <= checked
    assert len(audit.checked) == 34


@pytest.mark.parametrize(
    ("said", "figure"),
    [
        ("，较上年增加 50.00万元", "50.00万元"),
        ("，比2023年减少 50.00万元", "50.00万元"),
        ("，同比增加 50.00万元", "50.00万元"),
        ("，上年支出 1,100.00万元", "1,100.00万元"),
        ("，上年度支出 1,100.00万元", "1,100.00万元"),
    ],
)
def test_another_years_figure_or_the_change_from_it_is_not_this_years(
    tmp_path: Path, said: str, figure: str
) -> None:
    """Found and said unchecked, never taken for this year's total (a false R012)."""
    path = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 1,150.00万元" + said)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    result = runner.invoke(app, ["audit", str(path)])
    assert f"    {figure}（未能归类），原文：“全年支出 1,150.00万元{said}" in result.output


@pytest.mark.parametrize(
    ("said", "figures"),
    [
        (  # the spending of a class of the budget
            "按支出功能分类，一般公共服务支出 800.00万元，占 69.57%；卫生健康支出 350.00万元，占 30.43%。",
            ("800.00", "350.00"),
        ),
        (  # a fund named at the head of the sentence: 实际支出 is the fund's (two false R012)
            "“三公”经费预算12.00万元，实际支出9.56万元，其中公务接待费1.20万元，"
            "公务用车运行维护费8.36万元，因公出国（境）费0万元。",
            ("12.00", "9.56", "1.20", "8.36", "0"),
        ),
        (  # a project named at the head of the sentence (a false R012)
            "甲项目计划投入120.00万元，实际支出118.00万元。",
            ("120.00", "118.00"),
        ),
    ],
)
def test_the_figures_of_a_part_of_the_spending_are_not_the_total(
    tmp_path: Path, said: str, figures: tuple[str, ...]
) -> None:
    """A part's figures, found and said unchecked, never the department's total."""
    audit = audit_file(after_the_total(tmp_path, said))
    assert (audit.ok, audit.slips) == (True, [])
    assert unplaced(audit) == [f"{figure}万元（未能归类）" for figure in figures]


def test_a_figure_near_a_fact_is_not_taken_for_a_typo_of_it(tmp_path: Path) -> None:
    """The prose's 1,145.00 is within 1% of the total 1,150.00 (R006 asks a draft's author
    whether it is a typo): a published report names many figures near each other (a budget and
    its spending), and a figure the import cannot place is listed, not doubted."""
    audit = audit_file(after_the_total(tmp_path, "其中政府采购合同金额1,145.00万元。"))
    assert (audit.ok, audit.slips) == (True, [])
    assert unplaced(audit) == ["1,145.00万元（未能归类）"]


def test_the_figures_of_one_listed_project_are_not_the_departments(tmp_path: Path) -> None:
    """“一是……项目，预算200.00万元，实际支出180.00万元，执行率90%”: that project's budget,
    spending and rate, found and said unchecked — not the department's (six false R012s)."""
    path = after_the_total(
        tmp_path,
        "重点项目：一是设备购置项目，预算200.00万元，"
        "实际支出180.00万元，执行率90%；二是宣传项目，预算100.00万元，实际支出120.00万元，执行率120%。",
    )
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert unplaced(audit) == [
        f"{figure}万元（未能归类）" for figure in ("200.00", "180.00", "100.00", "120.00")
    ]


def test_a_listed_part_of_the_departments_spending_is_still_read(tmp_path: Path) -> None:
    path = planted(
        tmp_path,
        "基本支出预算 820.00万元，支出 800.00万元",
        "一是基本支出预算 820.00万元，支出 800.00万元",
    )
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert "budget.expenditure.basic.amount" in audit.checked


@pytest.mark.parametrize(
    "said",
    [
        "政府采购执行率95%。",
        "“三公”经费预算执行率80%。",
        "重点项目预算执行率为90.50%。",
        "上半年预算执行率为45.00%。",
        "截至9月底，预算执行率为70.00%。",
        "自评得分较上年提高1.5分。",
    ],
)
def test_a_rate_or_score_of_a_part_or_of_part_of_the_year_is_not_the_reports(
    tmp_path: Path, said: str
) -> None:
    path = after_the_total(tmp_path, said)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])


def test_the_project_budgets_rate_is_project_spendings(tmp_path: Path) -> None:
    """“其中项目预算执行率为92.11%”: project spending's rate (it was read as the department's)."""
    audit = audit_file(after_the_total(tmp_path, "其中项目预算执行率为92.11%。"))
    assert (audit.ok, audit.slips) == (True, [])
    slipped = audit_file(after_the_total(tmp_path, "其中项目预算执行率为93.11%。"))
    assert [(s.finding.code, format_path(s.finding.path)) for s in slipped.slips] == [
        ("R107", "budget.expenditure.project.execution_rate"),
        ("R012", "budget.expenditure.project.execution_rate"),
    ]


def test_the_rate_at_the_years_end_is_the_years(tmp_path: Path) -> None:
    path = after_the_total(
        tmp_path,
        "截至12月31日，预算执行率为96.83%。",
    )
    assert [s.finding.code for s in audit_file(path).slips] == ["R012"]


@pytest.mark.parametrize(
    ("said", "figures"),
    [
        ("其中政府采购支出50.00万元。", ["50.00"]),
        ("会议费支出2.00万元，培训费支出3.00万元。", ["2.00", "3.00"]),
        ("差旅费用支出1.00万元。", ["1.00"]),
        (
            "年初预算1,000.00万元，其中财政拨款900.00万元，其他资金100.00万元。",
            ["900.00", "100.00"],
        ),
        (
            "项目支出350.00万元，其中：专项业务费200.00万元，设备购置费150.00万元。",
            ["200.00", "150.00"],
        ),
        (
            "基本支出800.00万元，其中：工资福利支出700.00万元，商品和服务支出100.00万元。",
            ["700.00", "100.00"],
        ),
        (
            "年末结转结余50.00万元，其中基本支出结转10.00万元，项目支出结转40.00万元。",
            ["10.00", "40.00"],
        ),
    ],
)
def test_the_parts_a_figure_is_broken_into_are_not_that_figure(
    tmp_path: Path, said: str, figures: list[str]
) -> None:
    """“……，其中：专项业务费200.00万元，……”, an item of cost (会议费支出): parts, found and said
    unchecked, not the figure the sentence began with or the total (false R012s, or the budget
    replaced by its carry-over)."""
    path = after_the_total(tmp_path, said)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert unplaced(audit) == [f"{figure}万元（未能归类）" for figure in figures]


@pytest.mark.parametrize(
    "said",
    [
        "2024年度部门预算安排1,000.00万元，年中调整为1,200.00万元。",
        "2024年度年初预算数为1,000.00万元，全年预算数为1,200.00万元。",
        "2024年初部门预算1,000.00万元，经年中追加200.00万元后，全年预算为1,200.00万元。",
        "2024年度部门预算安排1,000.00万元，年中经追加调整后预算为1,200.00万元，比年初预算增加200.00万元。",
    ],
)
def test_the_adjusted_budget_said_otherwise_is_read(tmp_path: Path, said: str) -> None:
    """“年中调整为”, “全年预算数” after 年初预算: the adjusted budget, not a second initial one
    (a false R012, and the rates measured against the initial budget)."""
    path = planted(tmp_path, "2024年度年初预算 1,000.00万元，调整预算 1,200.00万元。", said)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert {"budget.adjusted", "budget.execution_rate"} <= set(audit.checked)


def test_a_carryover_rate_without_its_amount_leaves_the_rest_checked(tmp_path: Path) -> None:
    """Without the year-end carry-over the draft would ask for it and fail the whole budget:
    the rate and limit are said unchecked, and a slip elsewhere is still found."""
    path = planted(
        tmp_path,
        "年末结转结余 50.00万元，结转结余率为 4.35%",
        "年末留存资金50.00万元，结转结余率为 4.35%",
    )
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert [u.key.split("（")[0] for u in audit.unchecked][1:3] == [
        "结转结余率 4.35%",
        "结转结余率上限 10%",
    ]
    assert "budget.expenditure.total" in audit.checked
    slipped = path.read_text(encoding="utf-8").replace("支出 350.00万元", "支出 360.00万元")
    path.write_text(slipped, encoding="utf-8")
    assert [s.finding.code for s in audit_file(path).slips] == ["R101", "R107"]


def test_last_years_carryover_beside_this_years_income_is_a_source_of_it(tmp_path: Path) -> None:
    published = "全年收入合计 1,200.00万元，其中财政拨款收入 1,100.00万元，占总收入 91.67%；其他收入 100.00万元，占总收入 8.33%。"
    path = planted(
        tmp_path, published, "收入总计1,200.00万元，包括本年收入1,150.00万元和上年结转50.00万元。"
    )
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert "budget.income.sources[1].amount" in audit.checked
    path = planted(
        tmp_path, published, "收入总计1,200.00万元，包括本年收入1,150.00万元和上年结转60.00万元。"
    )
    [slip] = audit_file(path).slips
    assert slip.finding.message == "收入合计 1200.00 ≠ 本年收入 1150.00 + 上年结转 60.00 = 1210.00"


def test_a_tables_bare_budget_column_is_the_adjusted_budget_when_the_report_has_one(
    tmp_path: Path,
) -> None:
    """A table's “预算数” beside its 执行率 is the budget the rate is measured against: with
    年初 and 调整预算 in the text, the adjusted one (it was read as a second initial budget)."""
    table = (
        "（单位：万元）\n项目\t预算数\t支出数\t执行率\n合计\t1,200.00\t1,150.00\t95.83%\n"
        "基本支出\t820.00\t800.00\t97.56%\n项目支出\t380.00\t350.00\t92.11%\n"
    )
    path = after_the_total(tmp_path, "\n" + table)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    path.write_text(path.read_text(encoding="utf-8").replace("合计\t1,200.00", "合计\t1,210.00"))
    [slip] = audit_file(path).slips
    assert (slip.finding.code, slip.finding.path) == ("R012", ("budget", "adjusted"))


def test_a_rate_compared_with_another_year_is_not_this_years() -> None:
    text = SYNTHETIC.read_text(encoding="utf-8").replace(
        "预算执行率为 95.83%", "预算执行率为 95.83%，执行率同比提高 2.00%"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.txt"
        path.write_text(text, encoding="utf-8")
        audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])


def test_audit_says_how_many_figures_it_found_and_checked(tmp_path: Path) -> None:
    audit = audit_file(SYNTHETIC)
    assert (len(audit.checked), [figure.key for figure in audit.unchecked]) == (
        32,
        ["budget.initial", "budget.carryover.limit"],
    )
    result = runner.invoke(app, ["audit", str(SYNTHETIC)])
    assert result.output.splitlines() == [
        f"{SYNTHETIC}: 以下 2 个数没有别的数可与之核对，未核对：",
        "    年初预算 1,000.00（budget.initial），"
        "原文：“2024年度年初预算 1,000.00万元，调整预算 1,200.00万元。”",
        "    结转结余率上限 10%（budget.carryover.limit），"
        "原文：“年末结转结余 50.00万元，结转结余率为 4.35%，结转结余率≤10%。”",
        f"{SYNTHETIC}: 通过（0 个错误，0 个警告；原文中找到 34 个数，核对了 32 个）",
    ]
    result = runner.invoke(app, ["audit", "--format", "json", str(SYNTHETIC)])
    [found] = json.loads(result.output)["files"]
    assert (found["figures"], found["unchecked"], found["unaudited"]) == (
        34,
        ["budget.initial", "budget.carryover.limit"],
        [],
    )


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        (  # a heading with no label: no chapter, the text still read for its figures
            "2023年度测试局部门整体支出绩效自评报告\n部门基本情况\n全年支出 100.00万元。\n",
            [
                "没有找到“一、”这样的一级标题，无法分节：报告的结构和各节无从核对",
                "原文中找到的 1 个数没有一个能与别的数相互核对",
            ],
        ),
        (  # chapters typed “第一部分” are chapters
            "2023年度测试局部门整体支出绩效自评报告\n第一部分 部门基本情况\n全年支出 100.00万元。\n",
            ["原文中找到的 1 个数没有一个能与别的数相互核对"],
        ),
        (
            "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n负责测试。\n",
            ["原文中没有找到可核对的数（金额、执行率、得分等）"],
        ),
        (
            "2023年度测试局部门整体支出绩效自评报告\n一、部门基本情况\n预算执行率为 95.5%。\n",
            ["原文中找到的 1 个数没有一个能与别的数相互核对"],
        ),
    ],
)
def test_what_audit_could_not_check_is_not_passed(
    tmp_path: Path, text: str, reasons: list[str]
) -> None:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert audit_file(path).unaudited == reasons
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if "无法核对：" in line] == [
        f"{path}: 无法核对：{reason}" for reason in reasons
    ]
    assert lines[-1].startswith(f"{path}: 未通过（0 个错误，")


def test_a_figure_no_rule_checks_is_named_in_the_data_formats_words() -> None:
    data = {
        "indicators": [{"name": "档案数字化扫描量", "target": "45"}],
        "score": {"components": [{"name": "履职效能", "score": "47.5"}]},
        "key_tasks": {"items": [{"name": "甲项目", "spending": "120.00"}]},
    }
    named = {
        key: figure_label(data, key)
        for key in (
            "budget.initial",
            "budget.carryover.limit",
            "budget.expenditure.project.execution_rate",
            "indicators[0].target",
            "score.components[0].score",
            "key_tasks.items[0].spending",
            "key_tasks.total",
            "budget.unknown",
        )
    }
    assert named == {
        "budget.initial": "年初预算",
        "budget.carryover.limit": "结转结余率上限",
        "budget.expenditure.project.execution_rate": "项目支出执行率",
        "indicators[0].target": "档案数字化扫描量目标值",
        "score.components[0].score": "履职效能得分",
        "key_tasks.items[0].spending": "甲项目支出",
        "key_tasks.total": "重点任务经费合计",
        "budget.unknown": "budget.unknown",
    }


def test_an_amount_written_in_yi_yuan_is_checked_within_its_precision(tmp_path: Path) -> None:
    """“0.12亿元” is anything from 1,150 to 1,250万元: the parts' 1,150.00 and the rates
    computed from it agree with it (warnings saying so); “0.13亿元” does not (errors)."""
    coarse = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 0.12亿元")
    result = runner.invoke(app, ["audit", str(coarse)])
    assert result.exit_code == 0
    said = "原文以亿元写出（0.12亿元），在其精度内相符，无法更精确核对："
    assert [line for line in result.output.splitlines() if " R1" in line] == [
        f"{coarse}: 警告 R106 budget.execution_rate: {said}预算执行率 95.83% ≠ "
        "支出合计 1200.00 ÷ 调整预算 1200.00 = 100.00%",
        f"{coarse}: 警告 R101 budget.expenditure.total: {said}支出合计 1200.00 ≠ "
        "基本支出 800.00 + 项目支出 350.00 = 1150.00",
        f"{coarse}: 警告 R108 budget.carryover.rate: {said}结转结余率 4.35% ≠ "
        "年末结转结余 50.00 ÷ 支出合计 1200.00 = 4.17%",
    ]
    # within its precision the published figure may be right: no “应为 …” to copy into it
    assert "应为" not in result.output
    wrong = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 0.13亿元")
    result = runner.invoke(app, ["audit", str(wrong)])
    assert result.exit_code == 1
    assert "    应为 1,150.00万元，原文为 0.13亿元" in result.output.splitlines()
    assert [line.split(" ")[1:3] for line in result.output.splitlines() if " R1" in line] == [
        ["错误", "R106"],
        ["错误", "R101"],
        ["错误", "R108"],
    ]


def test_the_draft_marks_an_amount_written_in_yi_yuan_for_the_exact_figure(tmp_path: Path) -> None:
    """A report rendered from the draft would print 1,200.00 as if exact: R012 until checked."""
    coarse = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 0.12亿元")
    draft = draft_text(import_report(coarse))
    [line] = [line for line in draft.splitlines() if line.startswith("    total: 1200 ")]
    assert line.startswith("    total: 1200  # 原文为 0.12亿元，折合万元；")
    assert line.endswith(
        "  # 【待核对】原文写作 0.12亿元（在 1,150 至 1,250 万元之间），草稿按 1,200.00 万元写入，"
        "报告将照此印出：请改为准确的数（万元）"
    )
    doubts = [f for f in validate_text(draft, "d.yaml").findings if f.code == "R012"]
    assert [(f.path, f.message.split("（核对后")[0]) for f in doubts] == [
        (
            ("budget", "expenditure", "total"),
            "导入时原文写作 0.12亿元（在 1,150 至 1,250 万元之间），草稿按 1,200.00 万元写入，"
            "报告将照此印出：请改为准确的数（万元）",
        )
    ]


def test_an_amount_written_in_qian_yuan_is_read_and_checked(tmp_path: Path) -> None:
    """“11,500千元” is 1,150.0万元: found and checked like the others (it went unread)."""
    right = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 11,500千元")
    audit = audit_file(right)
    assert (audit.ok, audit.slips) == (True, [])
    assert "budget.expenditure.total" in audit.checked
    wrong = planted(tmp_path, "全年支出 1,150.00万元", "全年支出 11,600千元")
    result = runner.invoke(app, ["audit", str(wrong)])
    assert "    应为 11,500千元，原文为 11,600千元" in result.output


def test_the_range_a_coarsely_written_amount_stands_for() -> None:
    assert coarse_range("0.42亿元") == (Decimal("4150.0"), Decimal("4250.0"))
    assert coarse_range("1.2亿元") == (Decimal("11500"), Decimal("12500"))
    assert coarse_range("3亿元") == (Decimal("25000"), Decimal("35000"))
    assert coarse_range("4,191.30") is None
    assert coarse_range("4,191.30万元") is None


def test_a_quoted_window_of_a_long_sentence_never_cuts_a_figure() -> None:
    """A figure's sentence is a window of a few dozen characters either side of it; its edge
    fell inside “275,380,700.00” and the quote ended “275,380,700.0”."""
    text = (
        "调整预算1.32亿元，全年支出887,654,300.00元，其中基本支出612,345,600.00元，"
        "项目支出275,380,700.00元。"
    )
    start = text.index("1.32")
    assert sentence_at(text, start, start + len("1.32亿元")) == text[: text.index("元。")]


def test_a_field_path_is_read_back_as_it_is_written() -> None:
    path = ("budget", "income", "sources", 0, "share")
    assert parse_path(format_path(path)) == path
    assert parse_path("indicators[12].rate") == ("indicators", 12, "rate")
    assert parse_path("原文“目标值45万人”") is None
    assert parse_path("budget..initial") is None


def test_income_stated_as_its_final_account_is_the_income_total(tmp_path: Path) -> None:
    """“本年度收入决算5,812.46万元”: 决算 names the income's final figure, not spending (a
    false R101, R106 and R012 before)."""
    path = planted(tmp_path, "全年收入合计 1,200.00万元", "本年度收入决算1,200.00万元")
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert {"budget.income.total", "budget.expenditure.total"} <= set(audit.checked)


def test_a_carryover_rate_by_the_budget_is_checked_by_the_budget(tmp_path: Path) -> None:
    """50.00 ÷ the adjusted budget 1,200.00 = 4.17% (by spending, 1,150.00: 4.35%): the draft
    says the report's denominator, and a rate true by neither is still an error."""
    path = planted(tmp_path, "结转结余率为 4.35%", "结转结余率为 4.17%")
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert "budget.carryover.rate" in audit.checked
    draft = draft_text(import_report(path))
    assert (
        "rules:\n  carryover_denominator: budget  # 原文的结转结余率 4.17% = 年末结转结余 50.00"
        " ÷ 调整预算 1200.00（按支出合计 1150.00 为 4.35%）\n"
    ) in draft
    [slip] = audit_file(planted(tmp_path, "结转结余率为 4.35%", "结转结余率为 4.50%")).slips
    assert slip.finding.message == (
        "结转结余率 4.50% ≠ 年末结转结余 50.00 ÷ 支出合计 1150.00 = 4.35%"
    )
    assert "rules:" not in draft_text(import_report(SYNTHETIC))


def test_a_rounding_difference_of_amounts_in_yuan_says_so_as_an_error_would(
    tmp_path: Path,
) -> None:
    """Amounts in 元 held at their nearest 0.01 万元 can differ by a cent where the report adds
    up exactly: the warning names the figures in 元, as a difference found at the cent either
    side does, not a difference of unpublished details (it said 尾数误差 … 请核对)."""
    text = SYNTHETIC.read_text(encoding="utf-8")
    for published, in_yuan in (
        ("全年支出 1,150.00万元", "全年支出 11,500,120.00元"),
        ("支出 800.00万元", "支出 8,000,060.00元"),
        ("公用经费 100.00万元", "公用经费 1,000,060.00元"),
        ("支出 350.00万元", "支出 3,500,060.00元"),
    ):
        text = text.replace(published, in_yuan, 1)
    path = tmp_path / "yuan.txt"
    path.write_text(text, encoding="utf-8")
    audit = audit_file(path)
    assert (audit.ok, [s.finding.code for s in audit.slips]) == (True, ["R101", "R106", "R102"])
    assert audit.slips[0].finding.message == (
        "原文以元写出（11,500,120.00元，折合 1150.012 万元；8,000,060.00元，折合 800.006 万元；"
        "3,500,060.00元，折合 350.006 万元），数据只能精确到 0.01 万元，在其精度内相符，无法更精确核对："
        "支出合计 1150.01 与 基本支出 800.01 + 项目支出 350.01 = 1150.02"
    )
    assert all(s.finding.message.count("原文以元写出") == 1 for s in audit.slips)
