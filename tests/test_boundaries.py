"""Each threshold of BRIEF and docs/rules.md pinned from both sides: exactly on it, one unit
inside, one unit outside (benchmarks/mutation.py checks that these tests notice a moved line)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.check.figures import figure_table
from reportgen.check.validate import validate_text
from reportgen.context.fields import build_context
from reportgen.findings import Finding, Severity
from reportgen.layout.search import LayoutSearch
from reportgen.template.limits import MAX_DEPTH, RenderQuota, TemplateLimitError
from reportgen.template.sandbox import jinja_environment
from tests.conftest import COMPLETE, DELETE, ROOT, mutated_text
from tests.test_import import import_report_text

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


# --- rates: 0 % to 10000 % ----------------------------------------------------------------------

RATE_ROW = {"indicators[0].rate": DELETE, "indicators[0].target": "1"}


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("99.999999", []),  # one unit inside
        ("100", []),  # exactly 10000 %
        ("100.000001", [("R205", E, "indicators[0].actual")]),  # one unit outside
    ],
)
def test_a_computed_rate_of_exactly_10000_percent_is_in_range(
    check_mutation: Check, actual: str, expected: list[tuple[str, Severity, str]]
) -> None:
    assert rows(check_mutation({**RATE_ROW, "indicators[0].actual": actual})) == expected


@pytest.mark.parametrize(
    ("stated", "refused"),
    [("0%", False), ("-0.01%", True), ("10000%", False), ("10000.01%", True)],
)
def test_a_stated_rate_from_0_to_10000_percent_is_accepted(
    check_mutation: Check, stated: str, refused: bool
) -> None:
    found = check_mutation({"budget.carryover.limit": stated})
    assert [(f.code, f.as_dict()["path"]) for f in found if f.code == "S003"] == (
        [("S003", "budget.carryover.limit")] if refused else []
    )


# --- carry-over: the rate may equal its limit ---------------------------------------------------

# 11.40 ÷ 1140.00 = 1.00 % exactly (the carry-over rate is taken of the expenditure)


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("1.01%", []),
        ("1%", []),  # equal to its limit
        ("1.00%", []),
        ("0.99%", [("R108", E, "budget.carryover.limit")]),
    ],
)
def test_the_carryover_rate_may_equal_its_limit(
    check_mutation: Check, limit: str, expected: list[tuple[str, Severity, str]]
) -> None:
    assert rows(check_mutation({"budget.carryover.limit": limit})) == expected


# --- a derived line budget is never negative ----------------------------------------------------

DERIVED_PROJECT = {
    "budget.expenditure.project.budget": DELETE,
    "budget.expenditure.basic.execution_rate": DELETE,
    "budget.expenditure.project.execution_rate": DELETE,
}


@pytest.mark.parametrize(
    ("basic_budget", "negative"),
    [
        # 1200.00 − basic: the project budget, derived
        ("1199.99", False),  # 0.01 (its execution rate is then out of range, another finding)
        ("1200.01", True),  # −0.01
        ("1200.50", True),  # −0.50
    ],
)
def test_a_slightly_negative_derived_budget_does_not_validate(
    basic_budget: str, negative: bool
) -> None:
    text = mutated_text(
        COMPLETE, {**DERIVED_PROJECT, "budget.expenditure.basic.budget": basic_budget}
    )
    validation = validate_text(text, "case.yaml")
    said = [
        (f.code, f.as_dict()["path"]) for f in validation.findings if f.message.endswith("为负数")
    ]
    assert said == ([("R109", "budget.expenditure.basic.budget")] if negative else [])
    assert not validation.ok


def test_a_derived_budget_of_exactly_zero_is_said_as_zero(check_mutation: Check) -> None:
    found = check_mutation({**DERIVED_PROJECT, "budget.expenditure.basic.budget": "1200.00"})
    [zero] = [f for f in found if f.code == "R109"]
    assert zero.message == (
        "推算出的项目支出预算 调整预算 1200.00 − 基本支出预算 1200.00 = 0，"
        "而项目支出 300.00 万元，无法计算执行率"
    )


# --- a share of income is at most 100 % ------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "over"),
    [("1199.99", False), ("1200.00", False), ("1200.01", True)],  # of an income of 1200.00
)
def test_a_share_of_exactly_100_percent_is_possible(
    check_mutation: Check, amount: str, over: bool
) -> None:
    found = check_mutation({"budget.income.sources[0].amount": amount})
    assert [(f.code, f.as_dict()["path"]) for f in found if f.code == "R109"] == (
        [("R109", "budget.income.sources[0].amount")] if over else []
    )


# --- an indicator below its target needs a reason; one exactly on it does not -----------------


@pytest.mark.parametrize(
    ("actual", "reason_needed"),
    [("100.01", False), ("100", False), ("99.99", True)],  # of a target of 100
)
def test_an_indicator_exactly_on_its_target_needs_no_reason(
    check_mutation: Check, actual: str, reason_needed: bool
) -> None:
    found = check_mutation(
        {
            "indicators[2].target": "100",
            "indicators[2].actual": actual,
            "indicators[2].rate": DELETE,
            "indicators[2].reason": DELETE,
        }
    )
    assert rows(found) == ([("R206", E, "indicators[2]")] if reason_needed else [])


# --- the outline: required sections, from_facts, omissions ---------------------------------------


def _layout(tmp_path: Path, outline: str) -> LayoutSearch:
    """A layout ``mine``: the default's template with ``outline`` as its outline.yaml."""
    folder = tmp_path / "版式" / "mine"
    shutil.copytree(ROOT / "templates" / "default", folder)
    (folder / "outline.yaml").write_text(outline, encoding="utf-8")
    return LayoutSearch((tmp_path / "版式",))


DEFAULT_OUTLINE = (ROOT / "templates" / "default" / "outline.yaml").read_text(encoding="utf-8")
FINANCE = """      - key: finance
        heading: 部门整体收支情况
        from_facts: finance          # 数据未写时由收支数字生成
"""


def _in_layout(search: LayoutSearch, mutation: dict[str, Any]) -> list[tuple[str, str, str]]:
    text = mutated_text(COMPLETE, {"layout": "mine", **mutation})
    found = validate_text(text, "case.yaml", search).findings
    return [(f.code, f.as_dict()["path"], f.message) for f in found]


@pytest.mark.parametrize(
    ("finance", "expected"),
    [
        # required and from_facts: the figures write it when the data does not
        ("required: true\n        from_facts: finance", []),
        ("from_facts: finance", []),
        (
            "required: true",
            [("R002", "sections.finance", "缺少必填的一节“部门整体收支情况”")],
        ),
    ],
    ids=["required-from-facts", "from-facts", "required"],
)
def test_a_required_section_from_facts_needs_no_text(
    tmp_path: Path, finance: str, expected: list[tuple[str, str, str]]
) -> None:
    assert FINANCE in DEFAULT_OUTLINE
    outline = DEFAULT_OUTLINE.replace(
        FINANCE,
        f"      - key: finance\n        heading: 部门整体收支情况\n        {finance}\n",
    )
    found = _in_layout(_layout(tmp_path, outline), {})
    assert found == expected


def _evaluation_required(*keys: str) -> str:
    """The default outline with only ``keys`` required in its chapter 绩效自评情况."""
    start = DEFAULT_OUTLINE.index("  - key: evaluation")
    end = DEFAULT_OUTLINE.index("  - key: problems")
    chapter = DEFAULT_OUTLINE[start:end].replace("        required: true\n", "")
    for key in keys:
        chapter = chapter.replace(f"key: {key}\n", f"key: {key}\n        required: true\n")
    return DEFAULT_OUTLINE[:start] + chapter + DEFAULT_OUTLINE[end:]


NOT_PRINTED = "（该版式输出：preface、functions、annual_work、goals、finance、performance_management、problems、measures）"


@pytest.mark.parametrize(
    ("required", "omit", "expected"),
    [
        # a chapter with nothing required may go: the data's text for it is then not printed
        (
            (),
            "evaluation",
            [
                (
                    "R002",
                    f"sections.{key}",
                    f"版式“mine”不输出“{key}”这一节，其内容不会出现在报告中{NOT_PRINTED}",
                )
                for key in ("effectiveness", "efficiency")
            ],
        ),
        # one required section keeps it
        (
            ("efficiency",),
            "evaluation",
            [("R010", "outline.omit[0]", "“绩效自评情况”一章含必填的内容，不能略去")],
        ),
        (
            ("efficiency",),
            "basics",
            [("R010", "outline.omit[0]", "“部门基本情况”一章含必填的内容，不能略去")],
        ),
        # a chapter that is one required body
        (
            ("efficiency",),
            "problems",
            [("R010", "outline.omit[0]", "“存在的主要问题”一章含必填的内容，不能略去")],
        ),
    ],
    ids=["nothing-required", "one-required-section", "required-sections", "required-body"],
)
def test_a_chapter_holding_required_sections_cannot_be_omitted(
    tmp_path: Path, required: tuple[str, ...], omit: str, expected: list[tuple[str, str, str]]
) -> None:
    search = _layout(tmp_path, _evaluation_required(*required))
    assert _in_layout(search, {"outline": {"omit": [omit]}}) == expected


# --- a template's nesting: MAX_DEPTH levels run, one more is refused -----------------------------


@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
def test_template_nesting_exactly_at_its_limit_runs(levels: int) -> None:
    source = (
        "{% macro f(n) %}{% if n > 1 %}{{ f(n - 1) }}{% else %}x{% endif %}{% endmacro %}"
        f"{{{{ f({levels}) }}}}"
    )
    template = jinja_environment().from_string(source)
    if levels <= MAX_DEPTH:
        assert template.render() == "x"
    else:
        with pytest.raises(TemplateLimitError, match=f"嵌套超过 {MAX_DEPTH} 层"):
            template.render()


def _steps(quota: RenderQuota, n: int) -> None:
    quota.steps = 0
    for _ in range(n):
        quota.step()


@pytest.mark.parametrize(
    ("spend", "limit_name"),
    [
        (lambda q, n: q.charge_text(n), "max_text"),
        (lambda q, n: q.ensure_text(n), "max_text"),
        (lambda q, n: q.charge_items(n), "max_items"),
        (lambda q, n: q.ensure_items(n), "max_items"),
        (lambda q, n: q.ensure_bits(n), "max_bits"),
        (lambda q, n: _steps(q, n), "max_steps"),
    ],
    ids=["text", "text-before", "items", "items-before", "bits", "steps"],
)
def test_each_render_limit_may_be_reached_not_passed(spend: Any, limit_name: str) -> None:
    def quota() -> RenderQuota:
        fresh = RenderQuota()
        fresh.max_steps = 1000  # a thousand steps draw the line as well as 200,000
        return fresh

    at = quota()
    spend(at, getattr(at, limit_name))  # exactly the limit
    past = quota()
    with pytest.raises(TemplateLimitError):
        spend(past, getattr(past, limit_name) + 1)


# --- import: one component score is no breakdown, two are ----------------------------------------

SCORES = ROOT / "tests" / "import_variants" / "score_forms.txt"
TWO = "其中履职效能49.65/50，管理效率得分46.85分/满分50分"


@pytest.mark.parametrize(
    ("written", "components", "notes"),
    [
        (
            "其中履职效能49.65/50",
            [],
            ["只找到一项一级指标得分（履职效能），未写入 score.components"],
        ),
        (TWO, [("履职效能", "49.65", "50"), ("管理效率", "46.85", "50")], []),
    ],
    ids=["one", "two"],
)
def test_an_imported_report_stating_one_component_score(
    written: str, components: list[tuple[str, str, str]], notes: list[str]
) -> None:
    text = SCORES.read_text(encoding="utf-8")
    assert TWO in text
    imported = import_report_text(text.replace(TWO, written))
    assert [(c["name"], str(c["score"]), str(c["max"])) for c in imported.facts.components] == (
        components
    )
    assert [n for n in imported.notes if "一级指标" in n] == notes


# --- counts: indicators, sections, paragraphs, list items (E013) --------------------------------


def _complete_with(key: str, lines: list[str]) -> str:
    """The complete sample with ``lines`` (YAML, already indented) added under ``key:``."""
    text = COMPLETE.read_text(encoding="utf-8")
    return text.replace(f"{key}:\n", f"{key}:\n" + "".join(f"{line}\n" for line in lines), 1)


def _e013(text: str) -> list[str]:
    return [f.message for f in validate_text(text, "case.yaml").findings if f.code == "E013"]


INDICATOR = "  - {name: 指标, category: output, target: 1, actual: 1, unit: 个, rate: 100%}"


@pytest.mark.parametrize("extra", [0, 1])
def test_indicators_up_to_the_limit(extra: int) -> None:
    from reportgen.read.counts import MAX_INDICATORS

    # the sample holds 3 indicators
    text = _complete_with("indicators", [INDICATOR] * (MAX_INDICATORS - 3 + extra))
    expected = [
        f"指标（indicators）有 {MAX_INDICATORS + 1} 个，上限为 500 个；"
        "一份自评报告的绩效指标通常只有几十个，已停止校验"
    ]
    assert _e013(text) == (expected if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_sections_up_to_the_limit(extra: int) -> None:
    from reportgen.read.counts import MAX_SECTIONS

    base = len(yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))["sections"])
    keys = [f"  extra_{i}: 文字" for i in range(MAX_SECTIONS - base + extra)]
    expected = ["正文的节（sections）有 201 个，上限为 200 个，已停止校验"]
    assert _e013(_complete_with("sections", keys)) == (expected if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_paragraphs_up_to_the_limit(extra: int) -> None:
    from reportgen.read.counts import MAX_LIST_ITEMS, MAX_PARAGRAPHS, _texts

    base = _texts(yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))["sections"])
    wanted = MAX_PARAGRAPHS - base + extra
    chunks = [min(MAX_LIST_ITEMS, wanted - start) for start in range(0, wanted, MAX_LIST_ITEMS)]
    lines = [f"  extra_{n}: [{', '.join(['一段'] * size)}]" for n, size in enumerate(chunks)]
    expected = [
        "正文（sections）共有 5,001 段文字，上限为 5,000 段；一份自评报告通常只有几百段，已停止校验"
    ]
    assert _e013(_complete_with("sections", lines)) == (expected if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_list_items_up_to_the_limit(extra: int) -> None:
    from reportgen.read.counts import MAX_LIST_ITEMS

    units = ", ".join(["科室"] * (MAX_LIST_ITEMS + extra))
    text = COMPLETE.read_text(encoding="utf-8").replace(
        "internal_units: [办公室, 预算科, 绩效科]", f"internal_units: [{units}]"
    )
    expected = [
        "列表 organization.internal_units 有 1,001 项，一个列表的上限为 1,000 项，已停止校验"
    ]
    assert _e013(text) == (expected if extra else [])


def test_ten_thousand_indicators_are_refused_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportgen.cli.app import app

    path = tmp_path / "many.yaml"
    path.write_text(_complete_with("indicators", [INDICATOR] * 10_000), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == (
        f"{path}:52:1 错误 E013 指标（indicators）有 10,003 个，上限为 500 个；"
        "一份自评报告的绩效指标通常只有几十个，已停止校验"
    )


@pytest.mark.parametrize("extra", [0, 1])
def test_extra_sections_up_to_the_limit(extra: int) -> None:
    from reportgen.read.counts import MAX_SECTIONS

    added = "".join(
        f"    - {{key: s{i}, heading: 第{i}节, after: functions}}\n"
        for i in range(MAX_SECTIONS + extra)
    )
    text = COMPLETE.read_text(encoding="utf-8").replace(
        "sections:\n", f"outline:\n  extra_sections:\n{added}sections:\n", 1
    )
    expected = ["本部门增加的节（outline.extra_sections）有 201 个，上限为 200 个，已停止校验"]
    assert _e013(text) == (expected if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_template_elements_up_to_the_limit(extra: int, tmp_path: Path) -> None:
    """The parts a render reads (body, headers, footers, notes) may hold MAX_ELEMENTS XML
    elements, not one more: 200,000 paragraphs in a 54 KB template took minutes and 2 GB."""
    import zipfile

    from lxml import etree

    from reportgen.errors import TemplateError
    from reportgen.template.package import MAX_ELEMENTS, check_package

    default = ROOT / "templates" / "default" / "template.docx"
    template = tmp_path / "many.docx"
    with zipfile.ZipFile(default) as source, zipfile.ZipFile(template, "w") as copy:
        rendered = re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml")
        names = [n for n in source.namelist() if rendered.fullmatch(n)]
        held = sum(sum(1 for _ in etree.fromstring(source.read(n)).iter()) for n in names)
        padding = "<w:p/>" * (MAX_ELEMENTS - held + extra)
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + padding.encode(), 1)
            copy.writestr(info, content, zipfile.ZIP_DEFLATED)
    if not extra:
        check_package(template)
        return
    with pytest.raises(TemplateError) as refused:
        check_package(template)
    assert str(refused.value) == (
        f"模板 {template} 的正文、页眉、页脚和脚注共有 50,001 个 XML 元素（上限 50,000），"
        "不像是正常的 Word 模板，已拒绝；内置模板约有 1,200 个"
    )


@pytest.mark.parametrize("extra", [0, 1])
def test_template_package_elements_up_to_the_limit(extra: int, tmp_path: Path) -> None:
    """All the parts of a template together may hold MAX_PACKAGE_ELEMENTS XML elements, not one
    more: 1.2 million in a numbering.xml (2 MB zipped) took 20 s and 1 GB."""
    import zipfile

    from lxml import etree

    from reportgen.errors import TemplateError
    from reportgen.template.package import MAX_PACKAGE_ELEMENTS, check_package

    default = ROOT / "templates" / "default" / "template.docx"
    template = tmp_path / "numbered.docx"
    with zipfile.ZipFile(default) as source, zipfile.ZipFile(template, "w") as copy:
        names = [n for n in source.namelist() if n.endswith((".xml", ".rels"))]
        held = sum(sum(1 for _ in etree.fromstring(source.read(n)).iter()) for n in names)
        # each <w:num> with its <w:abstractNumId> is two elements
        count, odd = divmod(MAX_PACKAGE_ELEMENTS - held + extra, 2)
        nums = "".join(
            f'<w:num w:numId="{900 + n}"><w:abstractNumId w:val="0"/></w:num>' for n in range(count)
        ) + ("<w:num w:numId='1'/>" if odd else "")
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/numbering.xml":
                content = content.replace(b"</w:numbering>", nums.encode() + b"</w:numbering>")
            copy.writestr(info, content, zipfile.ZIP_DEFLATED)
    if not extra:
        check_package(template)
        return
    with pytest.raises(TemplateError) as refused:
        check_package(template)
    assert str(refused.value) == (
        f"模板 {template} 的各个部件共有 250,001 个 XML 元素（上限 250,000），"
        "不像是正常的 Word 模板，已拒绝；内置模板约有 11,000 个"
    )
