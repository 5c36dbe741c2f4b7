"""${table.…}: the 自评表's figures in the report's text — listed for template authors, an
unknown one reported at its line with the nearest, a typed one advised to become its
placeholder (R006), and each printed exactly as the table prints it."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from reportgen.check.validate import validate_text
from reportgen.cli.app import app
from tests.conftest import ROOT
from tests.readback import document_text, render_file

runner = CliRunner()
WORKED = ROOT / "data" / "table" / "panyu-gov-office-2023-table.yaml"
SENTENCE = "自评得分为${score.total}分"  # in the worked example's effectiveness, line 170


def edited(after: str) -> str:
    text = WORKED.read_text(encoding="utf-8")
    assert text.count(SENTENCE) == 1
    return text.replace(SENTENCE, after)


def _findings(text: str) -> list[tuple[str, str, int, str]]:
    return [
        (f.code, f.severity.value, f.location.line if f.location else 0, f.message)
        for f in validate_text(text, "t.yaml").findings
    ]


TYPED = (
    "自评得分为98.79分，预算执行得分9.79分（执行率97.89%，全年执行4,191.30万元），"
    "管理效率三级指标得分39分，总分100分，等级优"
)
PLACED = (
    "自评得分为${table.score}分，预算执行得分${table.funds.score}分"
    "（执行率${table.funds.total.rate}，全年执行${table.funds.appropriation.executed}万元），"
    "管理效率三级指标得分${table.indicators[1].score}分，总分${table.weight}分，"
    "等级${table.grade}"
)


def test_table_placeholders_print_as_the_typed_text(tmp_path: Path) -> None:
    typed, placed = tmp_path / "typed.yaml", tmp_path / "placed.yaml"
    typed.write_text(edited(TYPED), encoding="utf-8")
    placed.write_text(edited(PLACED), encoding="utf-8")
    assert _findings(placed.read_text(encoding="utf-8")) == []
    texts = [document_text(render_file(f, tmp_path / f.stem)) for f in (typed, placed)]
    assert TYPED in texts[0]
    assert texts[0] == texts[1]


def test_an_unknown_table_placeholder_is_reported_at_its_line() -> None:
    found = _findings(edited("自评得分为${table.scor}分，预算执行得分${table.funds.scores}分"))
    assert found == [
        ("R003", "error", 170, "引用了不存在的数据“${table.scor}”（是否想写“${table.score}”？）"),
        (
            "R003",
            "error",
            170,
            "引用了不存在的数据“${table.funds.scores}”（是否想写“${table.funds.score}”？）",
        ),
    ]


def test_a_typed_table_figure_is_advised_to_become_its_placeholder() -> None:
    found = _findings(
        edited(
            "自评得分为98.79分，预算执行得分9.79分，履职效能得分50分，"
            "上年结转得分12.5分，全年执行4,191.30万元"
        )
    )
    advice = "自评表改动时正文才会随之更新"
    assert found == [
        (
            "R006",
            "warning",
            170,
            "正文手写了“4,191.30万元”，与 budget.expenditure.total 相同；"
            "请改用 ${budget.expenditure.total}，数据改动时正文才会随之更新",
        ),
        (
            "R006",
            "warning",
            170,
            f"正文手写了得分“98.79分”，与自评表的 score.total 相同；请改用 ${{score.total}}，{advice}",
        ),
        (
            "R006",
            "warning",
            170,
            "正文手写了得分“9.79分”，与自评表的 table.funds.score 相同；"
            f"请改用 ${{table.funds.score}}，{advice}",
        ),
    ]  # 50 is both 履职效能's first-level score and its block's: no one placeholder to advise


def test_without_a_table_typed_scores_are_left_alone() -> None:
    """A 0.2 file (no table:) types its score: R006 says nothing of it, as before."""
    text = (ROOT / "data" / "panyu-gov-office-2023.yaml").read_text(encoding="utf-8")
    assert "${score.total}" in text
    changed = text.replace("${score.total}", "98.79", 1)
    assert [f.code for f in validate_text(changed).findings if f.code == "R006"] == []


def test_template_vars_lists_the_table_figures() -> None:
    result = runner.invoke(app, ["template", "vars"])
    assert result.exit_code == 0
    for key, value in (
        ("table.score", "96.8"),
        ("table.funds.score", "7.8"),
        ("table.funds.total.rate", "78.00%"),
        ("table.indicators[0].score", "49"),
        ("table.indicators[0].items[0].items[1].score", "9"),
        ("table.grade", "优"),
    ):
        assert f"| `{key}` | {value} |" in result.output, key


GOAL = "    - planned: 进一步提升区政府系统办公室参谋辅政"


def test_placeholders_in_the_table_s_own_text_are_filled_in_both_files(tmp_path: Path) -> None:
    """A goal written with ${…} prints its figures in the .docx and the .xlsx (it was printed
    as written), and a wrong one is reported at its line."""
    text = WORKED.read_text(encoding="utf-8")
    assert text.count(GOAL) == 1
    wrong = text.replace(
        GOAL, "    - planned: ${year}年${table.scor}进一步提升区政府系统办公室参谋辅政"
    )
    assert _findings(wrong) == [
        ("R003", "error", 35, "引用了不存在的数据“${table.scor}”（是否想写“${table.score}”？）")
    ]
    source = tmp_path / "goal.yaml"
    source.write_text(
        text.replace(
            GOAL, "    - planned: ${year}年（得分${table.score}）进一步提升区政府系统办公室参谋辅政"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path), "--table"])
    assert result.exit_code == 0, result.output
    printed = "2023年（得分98.79）进一步提升区政府系统办公室参谋辅政"
    document = docx.Document(str(next(tmp_path.glob("*自评表.docx"))))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert any(c.startswith(printed) for c in cells)
    book = openpyxl.load_workbook(next(tmp_path.glob("*自评表.xlsx")))
    values = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert any(isinstance(v, str) and v.startswith(printed) for v in values)
    assert not any("${" in str(v) for v in values | cells)
