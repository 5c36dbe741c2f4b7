"""docs/rules.md: every code reportgen can print is there, and each example prints exactly the
lines the page shows for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.check.rules import RULES, Example
from reportgen.cli.app import app
from reportgen.docs.rules_reference import (
    EXAMPLE_FILE,
    FILE_CODES,
    AnyExample,
    example_arguments,
    write_example,
)
from tests.conftest import ROOT

runner = CliRunner()
PAGE = ROOT / "docs" / "rules.md"
EXAMPLES: dict[str, tuple[AnyExample, ...]] = {
    **{code: entry.examples for code, entry in FILE_CODES.items()},
    **{code: r.examples for code, r in RULES.items()},
}
CASES = [(code, i) for code, examples in sorted(EXAMPLES.items()) for i in range(len(examples))]


def documented() -> dict[str, str]:
    """Each code's section of the page, by code."""
    sections = PAGE.read_text(encoding="utf-8").split("\n### ")[1:]
    return {section.split(" ", 1)[0]: section for section in sections}


def documented_outputs(code: str) -> list[list[str]]:
    """The command line and the lines the page shows for each example of ``code``, in order."""
    blocks = re.findall(
        r"`reportgen (.*?)` 输出：\n\n```text\n(.*?)\n```", documented()[code], re.DOTALL
    )
    return [[command, *block.split("\n")] for command, block in blocks]


def codes_in_the_code() -> set[str]:
    """Every finding code written as a literal anywhere in the package."""
    found: set[str] = set()
    for source in (ROOT / "reportgen").rglob("*.py"):
        found |= set(re.findall(r"\"([ERSL]\d{3})\"", source.read_text(encoding="utf-8")))
    return found


def test_every_code_the_package_can_print_has_a_section() -> None:
    codes = codes_in_the_code()
    assert {"E001", "E010", "S003", "L001", "R101", "R207"} <= codes  # the search finds them
    assert codes <= set(FILE_CODES) | set(RULES)
    assert sorted(documented()) == sorted(codes | set(FILE_CODES) | set(RULES))


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_an_example_and_a_fix(code: str) -> None:
    assert RULES[code].examples
    assert RULES[code].fix
    assert f"改法：{RULES[code].fix}" in documented()[code]


@pytest.mark.parametrize(("code", "index"), CASES, ids=[f"{c}-{i}" for c, i in CASES])
def test_the_example_prints_exactly_the_documented_lines(
    code: str, index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTGEN_TEMPLATES", raising=False)
    example = EXAMPLES[code][index]
    write_example(example, tmp_path)
    outputs = documented_outputs(code)
    assert len(outputs) == len(EXAMPLES[code])
    command, *shown = outputs[index]
    assert command.split(" ") == example_arguments(example)
    result = runner.invoke(app, example_arguments(example))
    *printed, summary = result.output.splitlines()
    assert printed == shown
    assert code in {line.split(" ")[2] for line in printed}, "the example must fail its own code"
    errors = sum(" 错误 " in line for line in printed)
    assert summary.startswith(f"{EXAMPLE_FILE}: ")
    assert result.exit_code == (1 if errors else 0)


def test_a_raw_example_is_described_not_shown_as_yaml() -> None:
    section = documented()["E002"]
    assert "```yaml" not in section
    for example in FILE_CODES["E002"].examples:
        assert f"例：{example.note}。\n\n`reportgen validate {EXAMPLE_FILE}` 输出：" in section


def test_an_edited_line_is_marked_with_its_number() -> None:
    assert "    total: 1140.05  # ← 第24行" in documented()["R101"]
    assert documented_outputs("R101")[0][1].startswith(f"{EXAMPLE_FILE}:24:12 错误 R101 ")


def test_an_edit_must_match_the_sample_exactly_once(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly once"):
        write_example(Example("  total:", "  total: 1"), tmp_path)


def test_a_layout_example_is_checked_with_its_folder() -> None:
    [example] = FILE_CODES["L002"].examples
    assert example_arguments(example) == ["validate", EXAMPLE_FILE, "--templates", "版式"]
    assert documented_outputs("L002")[0][1].startswith("版式/我的版式 错误 L002 ")
