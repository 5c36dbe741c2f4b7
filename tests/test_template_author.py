"""A template author's mistakes as a bureau author makes them, said where they are: by
``template check`` and, the same, by ``render`` (exit 1, no file written)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.template.check import check_template
from tests.conftest import COMPLETE, DATA
from tests.readback import NS, TEMPLATES, W, document_xml, render_file
from tests.test_template_check import _paragraph, _template

runner = CliRunner()
UNDER = "（标题“附加说明”之下）"
HEADING = _paragraph(["附加说明"], style="ReportHeading1")


def _render(template: Path, out: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["render", str(COMPLETE), "-t", str(template), "-o", str(out)])
    return result.exit_code, result.output


def test_a_tag_left_open_is_said_at_its_paragraph_and_hides_no_other_problem(
    tmp_path: Path,
) -> None:
    """docxtpl runs an opener with no closer in its paragraph into the next paragraphs: the
    render used to stop with “此处不应出现‘/’” (Word's markup) or a mistake of the next paragraph,
    and the next paragraph's own mistake went unsaid."""
    template = _template(
        tmp_path / "t.docx",
        [
            HEADING,
            _paragraph(["联系人：{{ depart", "ment "]),
            _paragraph(["单位：{{ departmnet }}"]),
            _paragraph(["{% if grade 等级"]),
            _paragraph(["{{ n.h1.__globals__ }}"]),
        ],
    )
    both = "［试渲染：完整示例数据、最少示例数据（只有必填项）］"
    assert check_template(template) == [
        f"正文段落“单位：{{{{ departmnet }}}}”{UNDER}：变量“departmnet”不存在（是否想写“department”？）；"
        "可用的变量见 reportgen template vars",
        f"正文段落“联系人：{{{{ department”{UNDER}：标签 {{{{ 没有对应的 }}}}（标签须在同一段中结束）",
        f"正文段落“{{% if grade 等级”{UNDER}：标签 {{% 没有对应的 %}}（标签须在同一段中结束）",
        f"正文段落“{{{{ n.h1.__globals__ }}}}”{UNDER}：模板试图访问不允许的内容“__globals__”，已拒绝{both}",
    ]
    code, output = _render(template, tmp_path / "out")
    assert code == 1
    assert output.strip() == (
        f"错误：{COMPLETE}: 模板 {template} 正文段落“联系人：{{{{ department”{UNDER}："
        "标签 {{ 没有对应的 }}（标签须在同一段中结束）；"
        f"正文段落“{{% if grade 等级”{UNDER}：标签 {{% 没有对应的 %}}（标签须在同一段中结束），"
        f"未生成报告；reportgen template check {template} 可列出问题所在"
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_full_width_opener_left_open_is_said_too(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", [HEADING, _paragraph(["｛｛ department"])])
    assert check_template(template) == [
        f"正文段落“{{{{ department”{UNDER}：标签 {{{{ 没有对应的 }}}}（标签须在同一段中结束）"
    ]


def test_a_comment_may_go_on_over_paragraphs(tmp_path: Path) -> None:
    """docxtpl lets {# … #} run over several paragraphs: no opener in it is said."""
    template = _template(
        tmp_path / "t.docx",
        [HEADING, _paragraph(["{# 暂不印出：{{ department"]), _paragraph(["#}"])],
    )
    assert check_template(template) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "{% for x in year %}{{ x }}{% endfor %}",
            "中的表达式执行出错：整数不能逐项取出（此处需要列表）",
        ),
        ("单位：{{ departmnet }}", "引用了不存在的值：变量“departmnet”不存在"),
        ("{{ department.__class__ }}", "试图访问不允许的内容“__class__”，已拒绝"),
        ("金额：{{ department | }}", "：标签写法有误：此处应为“名称”，实际为“}}”；"),
        ("{% fro x in outline %}{% endfor %}", "：未知的标签“fro”（是否想写“for”？）；"),
    ],
)
def test_render_says_where_the_template_stopped(tmp_path: Path, text: str, said: str) -> None:
    """A render the template stops names the paragraph, as template check does (it used to say
    only the cause, and “标签写法有误：标签写法有误：” twice)."""
    template = _template(tmp_path / "t.docx", [HEADING, _paragraph([text])])
    for files in ([COMPLETE], [COMPLETE, DATA / "conghua-archives-2023.yaml"]):  # one; a batch
        result = runner.invoke(
            app, ["render", *map(str, files), "-t", str(template), "-o", str(tmp_path / "out")]
        )
        assert result.exit_code == 1, result.output
        line = next(x for x in result.output.splitlines() if x.startswith(f"错误：{COMPLETE}"))
        assert line.startswith(f"错误：{COMPLETE}: 模板 {template}"), line
        assert said in line, line
        excerpt = " ".join(text.split())
        assert line.endswith(f"；出错处：正文段落“{excerpt}”{UNDER}") or line.endswith(
            f"；出错处：正文段落“{excerpt}”"
        ), line
        assert "标签写法有误：标签写法有误" not in line


def test_a_trial_render_goes_on_past_an_expression_that_stops_it(tmp_path: Path) -> None:
    """Every mistake in one run, as docs/templates.md promises: a trial render stopped by one
    expression is tried again past that paragraph (it used to hide every later problem that
    only a render shows: a figure some data lacks, a refused attribute, another failing one)."""
    template = _template(
        tmp_path / "t.docx",
        [
            HEADING,
            _paragraph(["{% for x in year %}{{ x }}{% endfor %}"]),
            _paragraph(["{{ 1 / 0 }}"]),
            _paragraph(["{% if department.__class__ %}有{% endif %}"]),
            _paragraph(["年初预算{{ figures['budget.initial'] }}万元"]),
        ],
    )
    both = "［试渲染：完整示例数据、最少示例数据（只有必填项）］"
    assert check_template(template) == [
        f"正文段落“{{% for x in year %}}{{{{ x }}}}{{% endfor %}}”{UNDER}："
        f"表达式执行出错：整数不能逐项取出（此处需要列表）{both}",
        f"正文段落“{{{{ 1 / 0 }}}}”{UNDER}：表达式执行出错：除数为零（除以零或对零取余）{both}",
        f"正文段落“{{% if department.__class__ %}}有{{% endif …”{UNDER}："
        f"模板试图访问不允许的内容“__class__”，已拒绝{both}",
        f"正文段落“年初预算{{{{ figures['budget.initial'] }}}}万元”{UNDER}："
        "这份数据没有数字“budget.initial”（未公布的数字不在 figures 中）；"
        "请用 {% if 'budget.initial' in figures %} … {% endif %} 判断后再输出"
        "［试渲染：最少示例数据（只有必填项）］",
    ]


@pytest.mark.parametrize("layout", sorted(p.parent.name for p in TEMPLATES.glob("*/template.docx")))
def test_no_row_of_a_built_in_report_table_breaks_across_pages(layout: str) -> None:
    """A row of the indicator table printed half on one page, half on the next (“人大建议和政协
    提案” / “办结率”): each row of the built-in templates' tables is kept on one page (Word's
    “允许跨页断行” unticked), as the 自评表's rows are."""
    rows = document_xml(TEMPLATES / layout / "template.docx").iter(f"{W}tr")
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)


def test_a_rendered_indicator_table_keeps_each_row_on_one_page(tmp_path: Path) -> None:
    docx = render_file(DATA / "table" / "panyu-gov-office-2023-table.yaml", tmp_path)
    rows = list(document_xml(docx).iter(f"{W}tr"))
    names = ["".join(row.itertext()) for row in rows]
    assert any(n.startswith("人大建议和政协提案办结率") for n in names), names
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
