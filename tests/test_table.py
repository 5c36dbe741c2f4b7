"""The computed 自评表 (check/table.py), the scoring profiles it uses, and the report's figures
taken from it: one data file, the same numbers in both documents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from typer.testing import CliRunner

from reportgen.check.validate import validate_file, validate_text
from reportgen.cli.app import app
from reportgen.layout.profile import load_profile
from reportgen.layout.search import LayoutSearch, templates_dir
from tests.conftest import ROOT
from tests.readback import document_text, render_file
from tests.test_table_rules import TABLE_SAMPLE, edited


def test_the_sample_table_is_scored_by_its_profile() -> None:
    validation = validate_file(TABLE_SAMPLE)
    view = validation.table
    assert view is not None
    assert view.header.profile == "national"
    total = view.funds.total
    assert (total.initial, total.adjusted, total.executed) == (
        Decimal("1000.00"),
        Decimal("1200.00"),
        Decimal("936.00"),
    )
    assert [r.label for r in view.funds.rows] == ["本年财政拨款", "其他资金"]
    assert (total.rate, view.funds.score) == (Decimal("78"), Decimal("7.80"))
    assert [(c.name, c.weight, c.score) for c in view.components] == [
        ("预算执行", Decimal(10), Decimal("7.80")),
        ("产出指标", Decimal(50), Decimal(49)),
        ("效益指标", Decimal(30), Decimal(30)),
        ("满意度指标", Decimal(10), Decimal(10)),
    ]
    assert (view.totals.weight, view.totals.final, view.totals.grade) == (
        Decimal(100),
        Decimal("96.80"),
        "优",
    )
    texts = [(i.target_text, i.actual_text, i.met) for i in view.indicators]
    assert texts[:4] == [
        ("≥40个", "44个", True),
        ("≥100人次", "90人次", False),
        ("≥90%", "96%", True),
        ("≤5天", "4天", True),
    ]
    assert texts[5] == ("健全", "健全", True)


def test_the_report_takes_score_and_indicators_from_the_table(tmp_path: Path) -> None:
    validation = validate_file(TABLE_SAMPLE)
    report = validation.report
    assert report is not None and report.score is not None
    assert report.score.total == Decimal("96.80")
    assert [(c.name, c.score, c.max) for c in report.score.components][1] == (
        "产出指标",
        Decimal(49),
        Decimal(50),
    )
    assert [i.name for i in report.indicators] == [
        "评审项目数",
        "培训人次",
        "评审意见采纳率",
        "平均办理时长",
        "绩效目标覆盖率",
        "绩效管理制度",
        "预算单位满意度",
    ]
    text = document_text(render_file(TABLE_SAMPLE, tmp_path))
    assert "自评得分96.8分，等级“优”。" in text
    assert "培训人次90人次，指标完成率为90.00%" in text
    assert "\n培训人次\n≥100人次\n90人次\n90.00%\n10\n9\n" in text
    assert "\n绩效管理制度\n健全\n健全\n100.00%\n10\n10\n" in text  # as the table prints it


def test_cap_and_deduction_of_a_platform_profile() -> None:
    text = edited(
        ("profile: national", "profile: provincial"),
        (
            "target: 40, actual: 44, unit: 个, weight: 20, score: 20",
            "target: 40, actual: 60, unit: 个, weight: 20",
        ),
    )
    validation = validate_text(text)
    view = validation.table
    assert view is not None
    [first] = [i for i in view.indicators if i.name == "评审项目数"]
    assert (first.deviation, first.score) == (True, Decimal(18))  # 20 less 10 % of 20
    assert view.totals.score == Decimal("94.80")
    assert (view.totals.cap, view.totals.final, view.totals.grade) == (
        Decimal(89),
        Decimal(89),
        "良",
    )
    assert validation.report is not None and validation.report.score is not None
    assert validation.report.score.total == Decimal(89)


def test_a_bureau_profile_beside_its_layouts(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    national = (templates_dir() / "profiles" / "national.yaml").read_text(encoding="utf-8")
    (profiles / "bureau.yaml").write_text(
        national.replace("weight: 10                 # 分值", "weight: 20").replace(
            "- name: 产出指标\n    weight: 50", "- name: 产出指标\n    weight: 40"
        ),
        encoding="utf-8",
    )
    search = LayoutSearch((tmp_path,))
    assert [p.name for p in search.profiles()] == ["bureau", "district", "national", "provincial"]
    validation = validate_text(edited(("profile: national", "profile: bureau")), search=search)
    assert validation.table is not None
    assert validation.table.funds.score == Decimal("15.60")
    assert [f.code for f in validation.findings] == ["R302", "R302"]


def test_a_profile_mistake_is_said_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "label: 测试\nblocks:\n  - name: 甲\n    weight: 60\n  - name: 乙\n    wieght: 40\n",
        encoding="utf-8",
    )
    profile, problems = load_profile(path)
    assert profile is None
    assert any(f.as_text().startswith(f"{path}:6:5 错误 S002") for f in problems)


def test_a_data_file_without_score_or_table_is_told_what_is_missing() -> None:
    text = TABLE_SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("table:\n"), text.index("sections:\n")
    found = validate_text(text[:start] + text[end:], "f.yaml").findings
    assert "f.yaml:4:1 错误 S001 score: 缺少必填项“score”（写了自评表 table 时可由程序计算）" in [
        f.as_text() for f in found
    ]


WORKED = ROOT / "data" / "table" / "panyu-gov-office-2023-table.yaml"
runner = CliRunner()


def test_the_worked_example_scores_as_published(tmp_path: Path) -> None:
    validation = validate_file(WORKED)
    assert validation.findings == []
    view = validation.table
    assert view is not None and view.header.profile == "district"
    assert view.funds.score == Decimal("9.79")  # 10 × 4191.3 ÷ 4281.75
    assert [(c.name, c.score) for c in view.components] == [
        ("履职效能", Decimal(50)),
        ("管理效率", Decimal("48.79")),
    ]
    assert view.totals.final == Decimal("98.79")  # the published self-score, stated and checked
    text = document_text(render_file(WORKED, tmp_path))
    assert "自评得分为98.79分，自评等级为“优”" in text
    assert "\n季度支出进度达标率\n=100%\n90%\n90.00%\n10\n9\n" in text


def test_init_offers_the_worked_example(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    result = runner.invoke(app, ["init", str(target), "--table"])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.endswith(WORKED.read_text(encoding="utf-8"))
    assert validate_file(target).findings == []


def test_profile_list_names_each_profile_and_its_mistakes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["profile", "list"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == [
        "district",
        "national",
        "provincial",
    ]
    (tmp_path / "profiles").mkdir()
    broken = tmp_path / "profiles" / "district.yaml"
    broken.write_text("label: 本区\nblocks:\n  - {name: 甲, weight: 90}\n", encoding="utf-8")
    result = runner.invoke(app, ["profile", "list", "--templates", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"district\t（评分方案有错误）\t{tmp_path}"
    assert lines[1].startswith(f"  {broken}:1:1 错误 S003")
    assert lines[1].endswith("各一级指标的分值（含预算执行）之和应为总分 100，实际为 90")


def test_the_documented_profile_file_loads(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8")
    block = page.split("## 方案文件的写法")[1].split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "p.yaml"
    path.write_text(block, encoding="utf-8")
    profile, problems = load_profile(path)
    assert problems == [] and profile is not None
    assert [b.name for b in profile.blocks] == ["履职效能", "管理效率"]


def test_import_places_old_indicators_in_the_tree(tmp_path: Path) -> None:
    docx = render_file(ROOT / "reportgen" / "samples" / "complete.yaml", tmp_path)
    target = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import", str(docx), "-o", str(target), "--table"])
    # two weights the report does not publish: the draft is written, and not yet complete
    assert result.exit_code == 1, result.output
    assert (
        "未完成：原文中没有找到数据必须有的数：table.indicators[0].items[0].items[0].weight（第 69 行）、"
        "table.indicators[0].items[0].items[2].weight（第 84 行），草稿中写作“待填写”"
    ) in result.output.splitlines()
    text = target.read_text(encoding="utf-8")
    assert "\nindicators:" not in text
    tree = text[text.index("table:") : text.index("\nsections:")]
    names = [line.strip() for line in tree.splitlines() if "- name:" in line]
    assert [n.split("  #")[0] for n in names] == [
        "- name: 履职效能",
        "- name: 产出指标",
        "- name: 评审项目数",
        "- name: 平均办理时长",
        "- name: 培训人次",
    ]
    assert "weight: '10'\n" in tree  # the published 分值 of 平均办理时长
    assert tree.count("weight: 待填写  # 原文没有分值") == 2
    assert "sign: ≤\n" in tree and "# 原文完成率 125.00%" in tree


def test_the_table_examples_satisfy_the_schema() -> None:
    from tests.test_json_schema import problems

    for source in (WORKED, TABLE_SAMPLE):
        assert problems(yaml.safe_load(source.read_text(encoding="utf-8"))) == []


def test_a_changed_profile_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("label: 甲\nblocks:\n  - {name: 甲, weight: 100}\n", encoding="utf-8")
    first, _ = load_profile(path)
    path.write_text("label: 乙方案\nblocks:\n  - {name: 乙, weight: 100}\n", encoding="utf-8")
    second, _ = load_profile(path)
    assert first is not None and second is not None
    assert (first.label, second.label) == ("甲", "乙方案")


def _per_mille_table(leaf: str) -> str:
    return edited(
        ("{name: 平均办理时长, sign: ≤, target: 5, actual: 4, unit: 天, weight: 10}", leaf)
    )


def test_a_target_in_per_mille_is_a_rate_as_one_in_per_cent_is() -> None:
    """“target: 2‰” is the number 2 in ‰, as “target: 2%” is 2 in %: measured, printed with its
    sign, scored; not a word of a qualitative indicator."""
    for sign in ("%", "‰", "％"):
        leaf = f"{{name: 差错率, sign: ≤, target: 2{sign}, actual: 1.5{sign}, weight: 10}}"
        validation = validate_text(_per_mille_table(leaf), "t.yaml")
        assert [f.as_text() for f in validation.findings if f.is_error] == []
        assert validation.table is not None
        [leaf_view] = [i for i in validation.table.indicators if i.name == "差错率"]
        typed = "%" if sign == "％" else sign
        assert (leaf_view.target_text, leaf_view.actual_text, leaf_view.met) == (
            f"≤2{typed}",
            f"1.5{typed}",
            True,
        )
        assert (leaf_view.target, leaf_view.actual, leaf_view.unit) == (
            Decimal(2),
            Decimal("1.5"),
            typed,
        )


def test_a_target_and_an_actual_in_per_mille_and_per_cent_are_said_to_differ() -> None:
    leaf = "{name: 差错率, sign: ≤, target: 2‰, actual: 0.15%, weight: 10}"
    findings = validate_text(_per_mille_table(leaf), "t.yaml").findings
    assert [f.as_text() for f in findings if f.code.startswith("S")] == [
        "t.yaml:38:15 错误 S003 table.indicators[0].items[2].items[0]: "
        "目标值、实际值写的单位不同（‰、%）：请统一为一种，或写在 unit 中"
    ]
