"""The hostile-template corpus: every case of tests/bad_templates/cases.yaml through the CLI.

A runaway template must be stopped with the Chinese message naming its limit and the paragraph
where it stopped, exit 1 from ``reportgen render`` without a traceback, leave an existing report byte-for-byte as it was
and write nothing else, and ``reportgen template check`` must refuse it the same way.
Time and memory of each case are measured by benchmarks/bench.py, not asserted here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.output.render import render_to_file
from reportgen.template import limits as template_limits
from tests.bad_templates import CASES, DEEP_NESTING, RUNTIME_ERRORS, make_template, template_text
from tests.conftest import DATA

SOURCE = DATA / "panyu-gov-office-2023.yaml"
CJK = re.compile("[\u3400-\u9fff]")
runner = CliRunner()


@pytest.fixture(scope="module")
def earlier_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    """A good report of SOURCE, rendered with the built-in template: its name and bytes."""
    written = render_to_file(validate_file(SOURCE), tmp_path_factory.mktemp("earlier"))
    return written.name, written.read_bytes()


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


def _check_refused(result: Result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, result.output
    assert expected in result.output, result.output


def test_corpus_covers_every_family() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "a case name is used twice"
    families = {c["family"] for c in CASES}
    assert families >= {
        "loops",
        "recursion",
        "string growth",
        "lipsum",
        "list growth",
        "integer growth",
        "time",
    }
    for case in CASES:
        assert CJK.search(case["message"]), case["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_template(
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    earlier_report: tuple[str, bytes],
) -> None:
    if "seconds" in case:
        monkeypatch.setattr(template_limits, "MAX_SECONDS", case["seconds"])
    template = make_template(template_text(case), tmp_path / f"{case['name']}.docx")
    out = tmp_path / "out"
    out.mkdir()
    name, content = earlier_report
    (out / name).write_bytes(content)
    (out / "earlier.docx").write_bytes(b"an unrelated earlier file")
    before = _snapshot(out)
    expected = f"模板 {template} {case['message']}"

    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    _check_refused(rendered, expected)
    # where it stopped, as template check names it (a limit of time by the steps made until then)
    _check_refused(rendered, f"；出错处：正文段落“{template_text(case)[:15]}")
    assert "已生成" not in rendered.output, rendered.output
    assert _snapshot(out) == before  # the earlier report as it was, no temporary file left

    checked = runner.invoke(app, ["template", "check", str(template)])
    _check_refused(checked, f"模板{case['message']}")
    _check_refused(checked, f"{template}: 正文段落“{template_text(case)[:15]}")
    assert "可以使用" not in checked.output, checked.output
    assert f"{template}: 有 1 个问题" in checked.output, checked.output


@pytest.mark.parametrize("case", RUNTIME_ERRORS, ids=[c["name"] for c in RUNTIME_ERRORS])
def test_an_error_of_the_template_is_the_templates(case: dict[str, Any], tmp_path: Path) -> None:
    """What a template's own expression raises is a located template problem (exit 1) in
    ``template check`` and in ``render`` — never reportgen's internal error (exit 70)."""
    template = make_template(template_text(case), tmp_path / f"{case['name']}.docx")
    out = tmp_path / "out"
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(out)]
    )
    _check_refused(rendered, f"模板 {template} {case['render']}")
    assert not out.exists() or not list(out.iterdir())
    checked = runner.invoke(app, ["template", "check", str(template)])
    _check_refused(checked, case["check"])
    assert f"{template}: 正文段落“{template_text(case)[:20]}" in checked.output, checked.output
    assert f"{template}: 有 1 个问题" in checked.output, checked.output


@pytest.mark.parametrize("case", DEEP_NESTING, ids=[c["name"] for c in DEEP_NESTING])
def test_deep_nesting_is_refused_by_count(case: dict[str, Any], tmp_path: Path) -> None:
    """Thousands of brackets or chained filters: refused from the tag's tokens by ``template
    check`` naming the limit, and by ``render`` in Chinese (no RecursionError text)."""
    template = make_template(template_text(case), tmp_path / f"{case['name']}.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    _check_refused(checked, "无法处理，请拆成几步")
    assert re.search(r"括号嵌套超过 20 层|过滤器、属性和运算符超过 60 个", checked.output)
    assert f"{template}: 有 1 个问题" in checked.output, checked.output
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")]
    )
    _check_refused(rendered, f"模板 {template} ")
    assert "Recursion" not in rendered.output and "maximum" not in rendered.output


def test_the_limits_leave_room_for_real_tags(tmp_path: Path) -> None:
    """20 brackets and 60 operators in one tag still render."""
    text = "{{ " + "(" * 20 + "1" + ")" * 20 + " }}{{ department" + "|string" * 60 + " }}"
    template = make_template(text, tmp_path / "busy.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("depth", [41, 120, 3000])
def test_deeply_nested_blocks_are_refused_by_count(depth: int, tmp_path: Path) -> None:
    """``template check`` and ``render`` refuse the same nesting, from the same count (Jinja
    itself would render 41 or 120 levels; 3,000 overflow its recursion)."""
    text = "{% if true %}" * depth + "x" + "{% endif %}" * depth
    template = make_template(text, tmp_path / "nested.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    said = "{% if true %}：{% if %}、{% for %} 等块嵌套超过 40 层，无法处理，请减少嵌套"
    _check_refused(checked, f"{template}: 正文段落“{text[:39]}…”：")
    _check_refused(checked, said)
    assert f"{template}: 有 1 个问题" in checked.output, checked.output
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")]
    )
    _check_refused(rendered, f"模板 {template} 正文段落“{text[:39]}…”：")
    _check_refused(rendered, f"{said}，未生成报告")
    assert "Recursion" not in rendered.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_forty_nested_blocks_still_render(tmp_path: Path) -> None:
    text = "{% if true %}" * 40 + "深处" + "{% endif %}" * 40
    template = make_template(text, tmp_path / "forty.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    assert checked.exit_code == 0, checked.output
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")]
    )
    assert rendered.exit_code == 0, rendered.output


@pytest.mark.parametrize(
    "text",
    ["{{ " + "(" * 21 + "1" + ")" * 21 + " }}", "{{ department" + "|string" * 61 + " }}"],
    ids=["21-brackets", "61-filters"],
)
def test_render_refuses_the_tags_template_check_refuses(text: str, tmp_path: Path) -> None:
    """Just past the limits Jinja could render the tag: render refuses it all the same, as
    template check does, so that the two always agree."""
    template = make_template(text, tmp_path / "busy.docx")
    checked = runner.invoke(app, ["template", "check", str(template)])
    _check_refused(checked, "无法处理，请拆成几步（{% set %}）")
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")]
    )
    _check_refused(rendered, f"模板 {template} 正文段落“")
    _check_refused(rendered, "无法处理，请拆成几步（{% set %}），未生成报告")


@pytest.mark.parametrize(
    ("text", "character"),
    [
        ("{{ '\\x01' }}", "U+0001"),
        ("{{ '%c' % 0 }}", "U+0000"),
        ("{{ '{:c}'.format(11) }}", "U+000B"),
        ("{{ '甲\\uffff' }}", "U+FFFF"),
        ("{{ '\\ud800' }}", "U+D800"),
        ("{{ '\\x1f'|safe }}", "U+001F"),
    ],
)
def test_a_character_no_word_document_holds_is_the_templates(
    text: str, character: str, tmp_path: Path
) -> None:
    """A control character the template's own expression prints (data cannot hold one: validate
    refuses it) is said at its paragraph; render said “不是合法的 XML（第 1 行第 1191 列有误）；
    模板输出的文字过长，或标签没有成对出现” and template check passed the template."""
    template = make_template(text, tmp_path / "control.docx")
    said = f"输出了 Word 文档无法容纳的字符 {character}"
    rendered = runner.invoke(
        app, ["render", str(SOURCE), "--template", str(template), "-o", str(tmp_path / "out")]
    )
    _check_refused(rendered, f"模板 {template}：{said}")
    _check_refused(rendered, f"；出错处：正文段落“{text[:12]}")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    checked = runner.invoke(app, ["template", "check", str(template)])
    _check_refused(checked, f"{template}: 正文段落“{text[:12]}")
    _check_refused(checked, said)
