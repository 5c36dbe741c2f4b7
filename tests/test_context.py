"""The template context as a template author uses it: tables, figures, numbering, template check."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file, validate_text
from reportgen.cli.app import app
from reportgen.context.fields import Numbering, build_context
from reportgen.findings import format_path
from reportgen.layout.outline import Plan
from reportgen.layout.search import LayoutSearch
from reportgen.output.render import render_document
from reportgen.template.check import check_template
from tests.conftest import COMPLETE, ROOT

TEMPLATES = ROOT / "templates"
BUILTIN_TEMPLATES = sorted(TEMPLATES.glob("*/template.docx"))


def _default_plan() -> Plan:
    choice = validate_file(COMPLETE, search=LayoutSearch()).choice
    assert choice is not None and choice.plan is not None
    return choice.plan


def _table_template(directory: Path, name: str, rows: list[list[str]]) -> Path:
    """The default template plus a table; rows[1] holds the loop tag, rows[2] the cells."""
    document = docx.Document(str(TEMPLATES / "default" / "template.docx"))
    document.add_paragraph("{%p if true %}", style="ReportBody")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].text = text
    document.add_paragraph("{%p endif %}", style="ReportBody")
    path = directory / name
    document.save(str(path))
    return path


def _tables(content: bytes, tmp: Path) -> list[list[list[str]]]:
    path = tmp / "read.docx"
    path.write_bytes(content)
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def test_finance_table_when_the_template_asks_for_it(tmp_path: Path) -> None:
    template = _table_template(
        tmp_path,
        "finance.docx",
        [
            ["项目", "预算数", "支出数", "执行率"],
            ["{%tr for row in finance_table %}", "", "", ""],
            ["{{ row.item }}", "{{ row.budget }}", "{{ row.expenditure }}", "{{ row.rate }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
    )
    content = render_document(validate_file(COMPLETE), template)
    finance = _tables(content, tmp_path)[-1]
    assert finance == [
        ["项目", "预算数", "支出数", "执行率"],
        ["支出合计", "1,200.00", "1,140.00", "95.00%"],
        ["基本支出", "880.00", "840.00", "95.45%"],
        ["人员经费", "—", "700.00", "—"],
        ["公用经费", "—", "140.00", "—"],
        ["项目支出", "320.00", "300.00", "93.75%"],
    ]


def test_score_rows_and_figures(tmp_path: Path) -> None:
    template = _table_template(
        tmp_path,
        "score.docx",
        [
            ["一级指标", "分值", "得分"],
            ["{%tr for row in score_rows %}", "", ""],
            ["{{ row.name }}", "{{ row.max }}", "{{ row.score }}"],
            ["{%tr endfor %}", "", ""],
            [
                "合计 {{ score_total }}（{{ grade }}）",
                "{{ figures['budget.execution_rate'] }}",
                "{{ 1234.5|money }}",
            ],
        ],
    )
    content = render_document(validate_file(COMPLETE), template)
    assert _tables(content, tmp_path)[-1] == [
        ["一级指标", "分值", "得分"],
        ["履职效能", "50", "46"],
        ["管理效率", "50", "46.5"],
        ["合计 92.5（优）", "95.00%", "1,234.50"],
    ]


def test_indicator_table_shows_score_columns_only_when_given(tmp_path: Path) -> None:
    content = render_document(validate_file(COMPLETE))
    [indicators] = _tables(content, tmp_path)
    assert indicators[0] == ["指标名称", "目标值", "实际值", "完成率", "分值", "得分"]
    assert indicators[2] == ["平均办理时长", "≤5天", "4天", "125.00%", "10", "10"]
    assert indicators[3] == ["培训人次", "100人次", "90人次", "90.00%", "—", "—"]


def test_a_target_prints_the_sign_it_was_published_with(tmp_path: Path) -> None:
    """``sign`` is printed before the target as written; “≤” alone makes the indicator negative
    (its rate target ÷ actual); a sign against the direction is an error at the indicator."""
    text = COMPLETE.read_text(encoding="utf-8")
    stated = text.replace(
        "{name: 评审项目数, category: output, target: 40,",
        "{name: 评审项目数, category: output, sign: '≥', target: 40,",
    ).replace(
        "target: 5, actual: 4, unit: 天, direction: negative,",
        "sign: '<', target: 5, actual: 4, unit: 天,",
    )
    validation = validate_text(stated, "signs.yaml")
    assert validation.ok, validation.findings
    [indicators] = _tables(render_document(validation), tmp_path)
    assert indicators[1][:4] == ["评审项目数", "≥40个", "44个", "110.00%"]
    assert indicators[2][:4] == ["平均办理时长", "<5天", "4天", "125.00%"]  # negative: 5 ÷ 4
    against = text.replace(
        "target: 5, actual: 4, unit: 天, direction: negative,",
        "sign: '≥', target: 5, actual: 4, unit: 天, direction: negative,",
    )
    found = [f for f in validate_text(against, "signs.yaml").findings if f.is_error]
    assert [(format_path(f.path), f.message) for f in found] == [
        (
            "indicators[1]",
            "目标值前的符号“≥”与 direction: negative 不符：“≤”“<”是反向指标（negative），"
            "“≥”“>”是正向指标（positive）",
        )
    ]


def test_numbering_restarts_second_level_at_each_chapter() -> None:
    n = Numbering()
    assert [n.h1(), n.h2(), n.h2(), n.h1(), n.h2()] == [
        "一、",
        "（一）",
        "（二）",
        "二、",
        "（一）",
    ]


def test_generated_sections_fill_in_when_left_out() -> None:
    validation = validate_file(COMPLETE)
    assert validation.report is not None and validation.derived is not None
    context = build_context(validation.report, validation.derived, _default_plan(), "default")
    assert [p.text for p in context.paragraphs["conclusion"]] == [
        "2024年度部门整体支出绩效自评得分为92.5分，其中履职效能46分（满分50分），"
        "管理效率46.5分（满分50分），自评等级为“优”。"
    ]
    assert [p.text for p in context.paragraphs["finance"]] == [
        "2024年度年初预算1,000.00万元，调整预算1,200.00万元，全年支出1,140.00万元，"
        "预算执行率为95.00%。其中基本支出840.00万元（人员经费700.00万元，公用经费140.00万元），"
        "执行率为95.45%；项目支出300.00万元，执行率为93.75%。全年收入合计1,200.00万元，"
        "其中财政拨款收入1,100.00万元，占总收入91.67%；其他收入100.00万元，占总收入8.33%。"
        "年末结转结余11.40万元，结转结余率为1.00%。"
    ]


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES, ids=lambda p: p.parent.name)
def test_builtin_templates_pass_the_check(template: Path) -> None:
    assert check_template(template) == []


def test_template_check_names_unknown_variables_and_missing_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ departmnet }}")
    document.add_paragraph("{{p sections.goals }}")
    path = tmp_path / "bad.docx"
    document.save(str(path))
    problems = check_template(path)
    both = "［试渲染：完整示例数据、最少示例数据（只有必填项）］"
    left_out = [
        ("部门职能", "functions"),
        ("年度总体工作和重点工作任务", "annual_work"),
        ("部门整体收支情况", "finance"),
        ("部门整体绩效管理情况", "performance_management"),
        ("自评结论", "conclusion"),
        ("履职效能分析", "effectiveness"),
        ("管理效率分析", "efficiency"),
        ("存在的主要问题", "problems"),
        ("下一步改进措施", "measures"),
    ]
    missing_style = "：用它的段落会以默认样式显示；请在 Word 的“样式”中新建同名样式"
    assert problems == [
        "正文段落“{{ departmnet }}”：变量“departmnet”不存在（是否想写“department”？）；"
        "可用的变量见 reportgen template vars",
        *(
            f"模板缺少段落样式“{s}”{missing_style}"
            for s in ("ReportBody", "ReportHeading2", "ReportHeading3", "ReportHeading4")
        ),
        # the layout's preface, in the complete sample
        "模板没有印出“前言”（sections.preface，第一章之前用 {%p if preface %}{{p preface }}"
        "{%p endif %} 印出）的内容［试渲染：完整示例数据］",
        *(f"模板没有印出“{h}”一节（sections.{k}）的内容{both}" for h, k in left_out),
        # the complete sample's own section in a chapter printed as one body
        "模板没有印出“本部门增加的一节（示例）”一节（sections.own_section）的内容［试渲染：完整示例数据］",
        "正文段落“{{p sections.goals }}”：这里输出的值在这份数据中为空，会印出“None”；"
        "请用 {% if … %} 判断后再输出［试渲染：最少示例数据（只有必填项）］",
    ]
    result = CliRunner().invoke(app, ["template", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: 有 {len(problems)} 个问题" in result.output


def test_template_vars_lists_the_contract() -> None:
    result = CliRunner().invoke(app, ["template", "vars"])
    assert result.exit_code == 0
    assert "| `indicator_table` |" in result.output
    assert "ReportHeading3" in result.output


def test_each_figure_prints_by_its_kind_not_its_name() -> None:
    outcome = validate_file(COMPLETE)
    assert outcome.report is not None and outcome.derived is not None
    figures = build_context(outcome.report, outcome.derived, _default_plan(), "default").figures
    assert {
        path: figures[path]
        for path in (
            "budget.adjusted",  # Money
            "budget.expenditure.basic.personnel",  # a cost line prints as its amount
            "budget.carryover.limit",  # Rate
            "budget.income.sources[1].share",  # Rate, derived
            "score.total",  # Score
            "score.components[0].max",  # Score named max
            "indicators[1].max_score",  # Score
            "indicators[0].target",  # Quantity
            "indicators[2].rate",  # Rate, derived completion
            "organization.internal_units.count",
        )
    } == {
        "budget.adjusted": "1,200.00",
        "budget.expenditure.basic.personnel": "700.00",
        "budget.carryover.limit": "10.00%",
        "budget.income.sources[1].share": "8.33%",
        "score.total": "92.5",
        "score.components[0].max": "50",
        "indicators[1].max_score": "10",
        "indicators[0].target": "40",
        "indicators[2].rate": "90.00%",
        "organization.internal_units.count": "3",
    }
