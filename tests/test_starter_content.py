"""What ``reportgen init`` wrote and the clerk has not yet replaced (R013): said at its line, in
every layout init can write; figures and titles a real department may share only with evidence;
``render`` prints the warnings and still writes the report (``--strict`` does not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file, validate_text
from reportgen.cli.app import app
from reportgen.docs.starter import create_starter
from reportgen.findings import FieldPath, Severity, format_path
from reportgen.layout.search import LayoutSearch
from reportgen.model.samples import SAMPLES_DIR, STARTER
from reportgen.read.loader import load_file
from tests.readback import DATA, document_text

runner = CliRunner()
LAYOUTS = LayoutSearch.from_options().names()
# What init writes that says nothing of the department: the year, the layout's name, an
# indicator's category and unit, a block's selector (``indicators: all`` in a section).
NOT_SAID = {"year", "layout", "category", "unit"}


def _leaves(value: Any, path: FieldPath = ()) -> list[FieldPath]:
    if isinstance(value, dict):
        selectors = {"indicators"} if path[:1] == ("sections",) else set()
        kept = [(k, v) for k, v in value.items() if k not in NOT_SAID | selectors]
        return [p for k, v in kept for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


@pytest.mark.parametrize("layout", [None, *LAYOUTS])
def test_every_example_a_fresh_starter_holds_is_said_once_at_its_line(
    layout: str | None, tmp_path: Path
) -> None:
    target = tmp_path / "我的部门.yaml"
    create_starter(target, layout=layout)
    doc = load_file(target)
    outcome = validate_file(target)
    assert outcome.ok
    assert {(f.code, f.severity) for f in outcome.findings} == {("R013", Severity.WARNING)}
    # every value init wrote (a cost line's amount is said at its own line)
    written = sorted(doc.value_marks[path] for path in _leaves(doc.data))
    said = sorted((f.location.line, f.location.column) for f in outcome.findings if f.location)
    assert said == written


@pytest.mark.parametrize("layout", [None, *LAYOUTS])
def test_the_preface_example_uncommented_is_said(layout: str | None, tmp_path: Path) -> None:
    target = tmp_path / "我的部门.yaml"
    create_starter(target, layout=layout)
    text = target.read_text(encoding="utf-8")
    assert text.count("\n  # preface: ") == 1  # optional in the built-in layouts
    text = text.replace("\n  # preface: ", "\n  preface: ")
    said = {format_path(f.path): f.message for f in validate_text(text, "x.yaml").findings}
    assert said["sections.preface"] == (
        "“根据《……》要求，现将我单位${year}年度部门整体支出绩效自评情况报告如下：”仍是 reportgen init "
        "写入的示例文字，会照样印入报告；请改写为本部门的内容，不需要的删去"
    )
    # the department named, its gap (《……》) still says it is the starter's
    text = _named(text)
    assert "sections.preface" in {
        format_path(f.path) for f in validate_text(text, "x.yaml").findings
    }


def _named(text: str) -> str:
    return text.replace("department: 广州市某某区某某局", "department: 广州市示例区某局")


def _said(text: str) -> list[str]:
    return [format_path(f.path) for f in validate_text(text, "x.yaml").findings]


def test_once_the_department_is_named_only_prose_and_whole_groups_are_said() -> None:
    starter = STARTER.read_text(encoding="utf-8")
    text = _named(starter).replace("purpose: 业务工作经费", "purpose: 政务服务经费")
    assert _said(text) == [
        # the budget is no longer the starter's as a whole, nor is the score (95.5) evidence
        # alone; the indicator still is the starter's whole
        "indicators[0].name",
        "indicators[0].target",
        "indicators[0].actual",
        "sections.functions[0].numbered[0]",
        "sections.functions[0].numbered[1]",
        "sections.annual_work",
        "sections.goals",
        "sections.performance_management[0].title",  # with its body, still the starter's
        "sections.performance_management[0].body",
        # effectiveness: a sentence of figures from the data and an intro, either the department's
        "sections.efficiency[0].title",
        "sections.efficiency[0].body",
        "sections.problems[0].joined[0]",
        "sections.problems[0].joined[1]",
        "sections.measures[0].title",
        "sections.measures[0].body",
    ]
    # the whole starter budget is said though the department is named; one figure is not
    assert _said(_named(starter))[:8] == [
        "budget.initial",
        "budget.execution_rate",
        "budget.expenditure.total",
        "budget.expenditure.basic.amount",
        "budget.expenditure.basic.personnel.amount",
        "budget.expenditure.basic.public.amount",
        "budget.expenditure.project.amount",
        "budget.expenditure.project.purpose",
    ]


def test_a_title_kept_over_the_department_s_own_text_is_not_said() -> None:
    text = _named(STARTER.read_text(encoding="utf-8"))
    for body in ("绩效目标管理的情况。", "预算执行率为${budget.execution_rate}。", "措施的内容。"):
        text = text.replace(f"body: {body}", "body: 本部门写的正文。")
    said = _said(text)
    assert not [p for p in said if p.endswith((".title", ".body"))]


def test_prose_moved_or_under_a_heading_the_department_changed_is_still_said(
    tmp_path: Path,
) -> None:
    target = tmp_path / "花都.yaml"
    create_starter(target, layout="huadu")
    text = target.read_text(encoding="utf-8")
    text = text.replace("    - 第一项职能。\n", "    - 本部门的第一项职能。\n    - 第一项职能。\n")
    text = text.replace(
        "\nsections:\n", "\noutline:\n  headings: {achievements: 工作成效}\nsections:\n"
    )
    findings = validate_text(text, "x.yaml").findings
    said = {format_path(f.path): f for f in findings}
    assert "sections.functions[0].numbered[0]" not in said
    assert {"sections.functions[0].numbered[1]", "sections.functions[0].numbered[2]"} <= set(said)
    achievements = said["sections.achievements"]
    assert achievements.location is not None
    assert text.split("\n")[achievements.location.line - 1].startswith(
        "  achievements: “主要工作成效”"
    )
    assert achievements.message == (
        "““主要工作成效”的内容。”仍是 reportgen init 写入的示例文字，会照样印入报告；"
        "请改写为本部门的内容，不需要的删去"
    )


@pytest.mark.parametrize(
    "source",
    [*sorted(DATA.glob("*.yaml")), *sorted((DATA / "table").glob("*.yaml"))]
    + [SAMPLES_DIR / f"{name}.yaml" for name in ("complete", "sparse", "table")],
    ids=lambda p: p.stem,
)
def test_real_data_and_the_samples_hold_no_starter_content(source: Path) -> None:
    # complete.yaml shares 1000.00, 95.00%, 绩效目标管理 and 预算执行率为${…}。 with the starter
    assert not [f for f in validate_file(source).findings if f.code == "R013"]


def test_render_prints_the_examples_and_still_writes_the_report(tmp_path: Path) -> None:
    data = tmp_path / "a.yaml"
    create_starter(data)
    warnings = [f.as_text() for f in validate_file(data, str(data)).findings]
    result = runner.invoke(app, ["render", str(data), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if " R013 " in line] == warnings
    (report,) = (tmp_path / "out").glob("*.docx")
    assert "第一项职能。" in document_text(report)  # printed as the data holds it, and said
    strict = runner.invoke(app, ["render", str(data), "-o", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1 and "错误 R013 department:" in strict.output
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())
