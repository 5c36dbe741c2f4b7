"""Every error a template's own expression raises is said in Chinese, by ``template check`` at
its paragraph and by ``render``, exit 1, without a traceback and without a word of Python's or
Jinja's English (the words of the template's own tag and Jinja's vocabulary aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reportgen.cli.app import app
from reportgen.template.explain import cause, missing_value
from reportgen.template.messages import JINJA_TAGS
from reportgen.template.sandbox import jinja_environment
from tests.bad_templates import make_template
from tests.conftest import DATA

SOURCE = DATA / "panyu-gov-office-2023.yaml"
runner = CliRunner()

# Each expression raises in the template's own code: a type, a value, a count, a lookup.
HOSTILE = [
    "{{ '%s %s' % department }}",
    "{{ '%d' % department }}",
    "{{ '%y' % 1 }}",
    "{{ '%(x)s' % {} }}",
    "{{ '%' % 1 }}",
    "{{ department + 1 }}",
    "{{ 1 + department }}",
    "{{ department - 1 }}",
    "{{ -department }}",
    "{{ department < 1 }}",
    "{{ department * department }}",
    "{{ [1] * 'b' }}",
    "{{ 1/0 }}",
    "{{ 1 % 0 }}",
    "{{ 0 ** -1 }}",
    "{{ department() }}",
    "{{ 1 in 5 }}",
    "{{ 5[0] }}",
    "{{ 5|length }}",
    "{{ 5|join(',') }}",
    "{% for x in 5 %}{{ x }}{% endfor %}",
    "{% for a, b in [1] %}{{ a }}{% endfor %}",
    "{% for a, b in [[1, 2, 3]] %}{{ a }}{% endfor %}",
    "{{ ','.join(5) }}",
    "{{ 5|sum }}",
    "{{ ['a', 'b']|sum }}",
    "{{ department|round('x') }}",
    "{{ department|truncate('a') }}",
    "{{ department|truncate(-5) }}",
    "{{ department|center('x') }}",
    "{{ department|wordwrap(0) }}",
    "{{ department|string(1) }}",
    "{{ department|e(5) }}",
    "{{ department|reverse|first(1) }}",
    "{{ department|attr(5) }}",
    "{{ department|dictsort }}",
    "{{ {}|dictsort(by='x') }}",
    "{{ 3.5|round(method='x') }}",
    "{{ [1]|map()|list }}",
    "{{ [1]|selectattr()|list }}",
    "{{ department|select('nosuch')|list }}",
    "{{ department|map('nosuchfilter')|list }}",
    "{{ department|cn_number }}",
    "{{ department|money }}",
    "{{ '{0} {1}'.format(1) }}",
    "{{ '{:d}'.format('a') }}",
    "{{ '{'.format(1) }}",
    "{{ '{x}'.format_map({}) }}",
    "{{ range(1, 2, 0) }}",
    "{{ range(10**9)|list }}",
    "{{ dict(a=1).items(1) }}",
    "{{ dict(5) }}",
    "{{ lipsum('x') }}",
    "{{ department.split(None, 'x') }}",
    "{{ department.encode('nope') }}",
    "{{ department.index('zz') }}",
    "{{ [].pop() }}",
    "{{ {}.popitem() }}",
    "{{ department['x':] }}",
    "{{ [1, 2][::0] }}",
    "{{ 'abc'|int + [] }}",
    "{{ '%d' % 1e400 }}",
    "{{ cycler().next() }}",
    "{{ department.__class__ }}",
    "{{ department.foo }}",
    "{{ department[5000] }}",
    "{{ []|first }}",
    "{{ [1]|map('upper') }}",
    "{{ department.upper }}",
    "{{ lipsum() }}",
    "{{ loop.index }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=2) }}",
    "{{ (1, 2)[figures] }}",
    "{{ finance_table[finance_table] }}",
    "{{ 1.5|cn_number(true, 5) }}",
    "{{ outline|score }}",
]

# Jinja's own vocabulary a message may name (a filter, test, tag, argument or value the author
# writes), and reportgen's own words (commands, file kinds)
_ENV = jinja_environment()
VOCABULARY = {
    *_ENV.filters,
    *_ENV.tests,
    *_ENV.globals,
    *JINJA_TAGS,
    *[
        "key",
        "value",
        "common",
        "ceil",
        "floor",
        "attribute",
        "html",
        "false",
        "caller",
        "loop",
        "varargs",
        "kwargs",
    ],
    *[
        "reportgen",
        "template",
        "check",
        "vars",
        "validate",
        "docx",
        "yaml",
        "Word",
        "word",
        "document",
        "xml",
        "sections",
    ],
}
ENGLISH = re.compile(r"[A-Za-z_]{4,}")


def _foreign_words(output: str, tag: str, template: Path) -> set[str]:
    text = output.replace(str(template), "").replace(template.name, "").replace(str(SOURCE), "")
    own = set(ENGLISH.findall(tag)) | set(ENGLISH.findall(str(SOURCE)))
    headings = set(ENGLISH.findall("{{ section.label }}{{ section.heading }}"))
    return set(ENGLISH.findall(text)) - own - headings - VOCABULARY


def _refused(result: Result) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("tag", HOSTILE)
def test_an_expression_error_is_said_in_chinese(tag: str, tmp_path: Path) -> None:
    template = make_template(tag, tmp_path / "t.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    _refused(checked)
    assert f"{template}: 正文段落“{tag[:20]}" in checked.output, checked.output
    assert _foreign_words(checked.output, tag, template) == set(), checked.output
    out = tmp_path / "out"
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    _refused(rendered)
    # the template named, or the part of the report its output broke (lipsum() in a run)
    assert f"模板 {template}" in rendered.output or "生成的文档部件" in rendered.output
    assert _foreign_words(rendered.output, tag, template) == set(), rendered.output
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        ("'%s %s' % 'a'", "“%”格式中的占位符（如 %s）比 % 后给出的值多"),
        ("'%s' % (1, 2)", "% 后给出的值比“%”格式中的占位符（如 %s）多"),
        ("'%d' % 'a'", "占位符 %d 需要数字，给出的是文字"),
        ("'a' + 1", "文字只能与文字相加，不能加整数（文字与数字相连请用 ~）"),
        ("1 - 'a'", "整数与文字之间不能做“-”运算"),
        ("'a' < 1", "文字与整数不能比较大小（“<”）"),
        ("5()", "整数不是函数，后面不能加括号调用"),
        ("1 in 5", "不能在整数中查找（in 的右边应为文字、列表或映射）"),
        ("[1, 2][::0]", "[起:止:步长] 中的步长不能为零"),
        ("(1).__add__", "试图访问不允许的内容"),
    ],
)
def test_the_cause_names_what_went_wrong(expression: str, said: str) -> None:
    env = jinja_environment()
    with pytest.raises(Exception) as raised:
        env.from_string("{{ " + expression + " }}").render()
    found = cause(raised.value) if "__" not in expression else "试图访问不允许的内容"
    assert found.startswith(said), found


def test_an_unknown_shape_is_said_by_its_kind_alone() -> None:
    assert cause(TypeError("something Python says one day")) == (
        "参与运算的值类型不符（如数字与文字相加、给过滤器的参数类型不对）"
    )
    assert cause(RuntimeError("whatever")) == "表达式运行出错"
    assert missing_value("something unknown") == "引用了这份数据中没有的值"


def test_tags_in_the_document_properties_are_not_run(tmp_path: Path) -> None:
    """The title, subject, author … of a report are its own (set after the render), so a tag
    the template's properties hold is never run: neither check nor render stops at it."""
    import docx

    from tests.conftest import ROOT

    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    document.core_properties.title = "{{ 1/0 }}"
    document.core_properties.subject = "{{ no_such_name }}"
    document.core_properties.comments = "{% if %}"
    template = tmp_path / "properties.docx"
    document.save(str(template))
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "out"
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    assert rendered.exit_code == 0, rendered.output
    (report,) = out.iterdir()
    properties = docx.Document(str(report)).core_properties
    assert (properties.title, properties.subject, properties.comments) == (
        "2023年度广州市番禺区人民政府办公室部门整体支出绩效自评报告",
        "广州市番禺区人民政府办公室",
        "",
    )
