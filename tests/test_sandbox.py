"""Templates from other people: injection payloads, resource bombs and oversized packages fail
with a clear TemplateError and write nothing."""

from __future__ import annotations

import contextlib
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from jinja2.sandbox import SandboxedEnvironment

from reportgen.check.validate import validate_file
from reportgen.errors import RenderError, TemplateError
from reportgen.output import render
from reportgen.output.render import render_to_file
from reportgen.template import limits as template_limits
from reportgen.template.limits import RenderQuota, TemplateLimitError
from reportgen.template.sandbox import ReportSandbox, bounded_filter, jinja_environment
from tests.conftest import COMPLETE, EXAMPLES, ROOT


def _template(directory: Path, text: str) -> Path:
    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    document.add_paragraph(text, style="ReportBody")
    path = directory / "custom.docx"
    document.save(str(path))
    return path


ATTRIBUTE_ESCAPES = [
    "{{ n.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ paragraphs.functions[0].__class__ }}",
    "{{ sections|attr('__class__') }}",
]


@pytest.mark.parametrize("payload", ATTRIBUTE_ESCAPES)
def test_attribute_escapes_are_refused_by_the_sandbox(tmp_path: Path, payload: str) -> None:
    with pytest.raises(TemplateError, match="试图访问不允许的内容") as failure:
        render_to_file(validate_file(COMPLETE), tmp_path / "out", _template(tmp_path, payload))
    assert "<class" not in str(failure.value)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ n.h1.__globals__ }}",
        "{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ request.application.__globals__ }}",
        "{{ config.items() }}",
        "{% import 'os' as os %}",
        "{% include '/etc/passwd' %}",
        "{{ figures.__class__.__base__.__subclasses__() }}",
        "{{ 'x' * 1000000000 }}",
        "{{ [0] * 1000000000 }}",
        "{{ 9 ** 99999999 }}",
        "{% for i in range(10**9) %}{% endfor %}",
    ],
)
def test_payload_fails_cleanly_and_writes_nothing(tmp_path: Path, payload: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as failure:
        render_to_file(validate_file(COMPLETE), out, _template(tmp_path, payload))
    message = str(failure.value)
    assert message.startswith("模板 ")
    assert "root:" not in message and "uid=" not in message
    assert not out.exists()


def test_bounded_operators_still_work_for_normal_use() -> None:
    env = jinja_environment()
    assert env.from_string("{{ '—' * 3 }}{{ 2 ** 10 }}{{ 3 * 4 }}").render() == "———102412"


def test_zip_bomb_template_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(TemplateError, match="解压后过大"):
        render_to_file(validate_file(COMPLETE), tmp_path / "out", bomb)


# ---- the limits of one render (the hostile corpus is tests/test_bad_templates.py)


def test_operations_within_the_limits_work_as_in_jinja() -> None:
    env = jinja_environment()
    source = (
        "{{ '{:>4}|{:.2f}'.format('x', 2.5) }} {{ '%05.1f'|format(3.14159) }} "
        "{{ 'a,b'.split(',')|join('-') }} {{ ([1, 2] + [3])|sum }} {{ 'ab' ~ 1 }} "
        "{{ 'x'.center(5) }}|{{ 'a\\nb'|indent(2, true) }} {{ dict(b=1, a=2)|dictsort|first }} "
        "{{ lipsum(1, html=false)|wordcount > 0 }} {{ '%s-%s' % ('a', 'b') }} "
        "{% set l = [] %}{% for i in range(3) %}{% set _ = l.append(i * 2) %}{% endfor %}{{ l }} "
        "{% macro m(x) %}<{{ x }}{{ caller() }}>{% endmacro %}{% call m(1) %}c{% endcall %} "
        "{% for x in [[1, [2]]] recursive %}{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}"
        "{% endif %}{% endfor %} {% set s %}{{ 'y' * 3 }}{% endset %}{{ s|upper }} "
        "{{ (1).to_bytes(2, 'big')|length }} {{ 'x'.ljust(3, '.') }}"
    )
    rendered = env.from_string(source).render()
    assert rendered == SandboxedEnvironment(autoescape=True).from_string(source).render()
    assert rendered == (
        "   x|2.50 003.1 a-b 6 ab1   x  |  a\n  b (&#39;a&#39;, 2) True a-b [0, 2, 4] "
        "<1c> 12 YYY 2 x.."
    )


def _past_steps(quota: RenderQuota) -> None:
    quota.steps = quota.max_steps
    quota.step()


def _past_depth(quota: RenderQuota) -> None:
    quota.depth = quota.max_depth
    with quota.nested():
        pass


def _past_time(quota: RenderQuota) -> None:
    quota.deadline = 0
    quota.check()


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        (lambda q: q.charge_text(q.max_text + 1), "生成的文字超过 1000 万个字符，已停止"),
        (lambda q: q.charge_items(q.max_items + 1), "生成的列表超过 100 万项，已停止"),
        (lambda q: q.ensure_bits(q.max_bits + 1), "计算的整数超过 4300 位，已停止"),
        (_past_steps, "的循环和调用超过 20 万次，已停止"),
        (_past_depth, "的宏调用或递归循环嵌套超过 50 层，已停止"),
        (_past_time, "运行超过 10 秒 CPU 时间，已停止"),
    ],
)
def test_each_limit_is_named_in_its_message_and_in_the_docs(refusal: Any, message: str) -> None:
    quota = RenderQuota()
    with pytest.raises(TemplateLimitError) as failure:
        refusal(quota)
    assert str(failure.value) == message
    assert message in (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")


def test_nesting_limit_is_named(tmp_path: Path) -> None:
    payload = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
    with pytest.raises(TemplateError) as failure:
        render_to_file(validate_file(COMPLETE), tmp_path / "out", _template(tmp_path, payload))
    assert str(failure.value).endswith(
        "的宏调用或递归循环嵌套超过 50 层，已停止；出错处：正文段落“{% macro f() %}{{ f() }}{% endmacro %}{…”"
    )


def test_limits_are_read_when_a_render_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_limits, "MAX_TEXT", 20_000)
    env = jinja_environment()
    with pytest.raises(TemplateLimitError, match="生成的文字超过 2 万个字符"):
        env.from_string("{{ 'x' * 20001 }}").render()


def test_a_refusal_is_final_even_if_a_filter_swallows_it() -> None:
    env = jinja_environment()

    def swallow(value: str) -> str:
        with contextlib.suppress(TemplateLimitError):
            env.quota.charge_text(env.quota.max_text + 1)
        return value

    env.filters["swallow"] = swallow
    with pytest.raises(TemplateLimitError, match="生成的文字超过"):
        env.from_string("{{ 'a'|swallow }}{% for i in range(2) %}{{ i }}{% endfor %}").render()


def test_the_clock_stops_a_filter_while_it_runs() -> None:
    """A thread cannot be killed, but a profile hook raises inside the filter's own code."""
    env = jinja_environment()
    finished = []

    def slow(value: str) -> str:
        env.quota.deadline = 0  # the render's time is up while this filter runs
        for _ in range(1000):
            str(value)  # any call inside the filter is where the clock is read
        finished.append(True)
        return value

    env.filters["slow"] = bounded_filter(env, "slow", slow)
    with pytest.raises(TemplateLimitError, match="运行超过 10 秒 CPU 时间，已停止"):
        env.from_string("{{ 'a'|slow }}").render()
    assert not finished
    assert sys.getprofile() is None


def test_a_running_profiler_is_left_alone() -> None:
    events: list[str] = []

    def profiler(frame: Any, event: str, arg: Any) -> None:
        events.append(event)

    env = jinja_environment()
    template = env.from_string("{{ 'a'|upper }}")
    sys.setprofile(profiler)
    try:
        assert template.render() == "A"
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)
    assert events


def test_builtin_templates_use_a_small_part_of_each_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ReportSandbox] = []

    def recording() -> ReportSandbox:
        made.append(jinja_environment())
        return made[-1]

    monkeypatch.setattr(render, "jinja_environment", recording)
    for example in EXAMPLES:
        render.render_document(validate_file(example))
        quota = made[-1].quota
        assert quota.text < quota.max_text / 100, example.name
        assert quota.steps < quota.max_steps / 100, example.name
        assert quota.items < quota.max_items / 100, example.name
        assert quota.refusal is None


def test_text_node_too_long_for_lxml_is_refused_not_cut(tmp_path: Path) -> None:
    """lxml's recover mode, which docxtpl uses, silently cut such a text node and the rest of
    the body, page setup included; within the text limit, 2.6 million four-byte characters
    are still more than its 10 MB."""
    out = tmp_path / "out"
    out.mkdir()
    earlier = render_to_file(validate_file(COMPLETE), out)
    content = earlier.read_bytes()
    template = _template(tmp_path, "{{ '😀' * 2600000 }}")
    with pytest.raises(RenderError, match="生成的文档正文不是合法的 XML"):
        render_to_file(validate_file(COMPLETE), out, template)
    assert [p.name for p in out.iterdir()] == [earlier.name]
    assert earlier.read_bytes() == content
