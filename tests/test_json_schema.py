"""``reportgen schema``: the JSON Schema an editor checks the YAML with, as the loader reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reportgen.check.validate import validate_text
from reportgen.cli.app import app
from reportgen.docs.json_schema import SCHEMA_FILE, SCHEMA_LINE, report_schema
from reportgen.model.amounts import parse_money
from reportgen.model.formatting import money
from reportgen.model.samples import STARTER
from tests.conftest import COMPLETE, EXAMPLES, mutated_text, set_path

runner = CliRunner()
VALIDATOR = jsonschema.Draft202012Validator(report_schema())


def problems(data: Any) -> list[tuple[list[str | int], str]]:
    return [(list(e.absolute_path), e.validator) for e in VALIDATOR.iter_errors(data)]


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema())


@pytest.mark.parametrize("source", [*EXAMPLES, COMPLETE, STARTER], ids=lambda p: p.stem)
def test_every_example_satisfies_the_schema(source: Path) -> None:
    assert problems(yaml.safe_load(source.read_text(encoding="utf-8"))) == []


def test_a_misspelt_key_is_flagged_where_it_stands() -> None:
    data = yaml.safe_load(mutated_text(COMPLETE, {"budget.intial": "1000"}))
    assert problems(data) == [(["budget"], "additionalProperties")]


def test_every_form_the_loader_accepts_is_accepted() -> None:
    data = yaml.safe_load(
        mutated_text(
            COMPLETE,
            {
                "year": "２０２４",
                "budget.initial": "1,000.00",
                "budget.execution_rate": "95.00%",
                "budget.expenditure.project": "300.00",  # the amount shorthand
                "sections.goals": [{"indicators": "all"}],
            },
        )
    )
    assert problems(data) == []


def test_enums_and_chinese_titles() -> None:
    schema = report_schema()
    budget = schema["$defs"]["Budget"]["properties"]
    assert budget["execution_rate"]["title"] == "预算执行率"
    assert sorted(schema["properties"]["layout"]["enum"]) == ["default", "huadu", "panyu", "tables"]
    grade = schema["$defs"]["SelfScore"]["properties"]["grade"]["anyOf"][0]
    assert grade["enum"] == ["优", "良", "中", "差"]
    direction = schema["$defs"]["Indicator"]["properties"]["direction"]
    assert direction["enum"] == ["positive", "negative"]
    assert problems(yaml.safe_load(mutated_text(COMPLETE, {"score.grade": "好"}))) == [
        (["score", "grade"], "anyOf")
    ]


def test_schema_command_writes_and_never_replaces_a_foreign_file(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    result = runner.invoke(app, ["schema", "-o", str(target)])
    assert (result.exit_code, result.output) == (0, f"已写入：{target}\n")
    assert json.loads(target.read_text(encoding="utf-8")) == report_schema()
    assert runner.invoke(app, ["schema", "-o", str(target)]).exit_code == 0  # its own: refreshed
    target.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 2
    assert f"{target} 已存在且不是 reportgen 生成的数据格式说明，为免覆盖未写入" in result.output
    assert target.read_text(encoding="utf-8") == "{}"


def test_init_points_the_editor_at_the_schema(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    result = runner.invoke(app, ["init", str(first)])
    assert result.exit_code == 0
    assert first.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    schema = tmp_path / SCHEMA_FILE
    assert json.loads(schema.read_text(encoding="utf-8")) == report_schema()
    schema.write_text("{}", encoding="utf-8")  # the clerk's own: left alone
    assert runner.invoke(app, ["init", str(second)]).exit_code == 0
    assert schema.read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", SCHEMA_FILE]


# ---- the schema and validate accept the same values (one source: reportgen/model/forms.py) ----

_CHARACTERS = list("0123456789０１２３４５６７８９,，.．+-－%％ \t\u3000\u00a0\u2009_eEa①²٣")
_FIELDS = {  # a field of each kind, and the decimals a YAML number of it may have
    "year": 0,
    "budget.initial": 2,  # money
    "budget.execution_rate": 4,  # rate
    "score.total": 4,  # score
    "indicators[0].target": 6,  # quantity
    "printing.money_thousands": 0,  # true / false
}
_text = st.text(alphabet=_CHARACTERS, max_size=14)
_digits = st.integers(min_value=0, max_value=10**16).map(str)
_grouped = st.integers(min_value=0, max_value=10**16).map(lambda n: f"{n:,}")
_words = st.sampled_from(["yes", "No", "TRUE", "off", "On", "t", "Y", "是", "true ", "2"])


def _numbers(places: int) -> st.SearchStrategy[Any]:
    whole = st.integers(min_value=-5, max_value=10**16)
    return st.one_of(
        whole,
        st.decimals(min_value=-1, max_value=10**9, places=places, allow_nan=False).map(float),
    )


def _both(dotted: str, value: Any) -> tuple[bool, bool]:
    """Whether ``validate``'s schema stage and the JSON Schema accept ``value`` at ``dotted``
    of the complete sample: the same YAML document given to both."""
    data = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    data.setdefault("printing", {})
    set_path(data, dotted, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    findings = validate_text(text, "case.yaml").findings
    validated = not [f for f in findings if f.code.startswith("S") and f.is_error]
    return validated, not list(VALIDATOR.iter_errors(yaml.safe_load(text)))


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(sorted(_FIELDS)),
    value=st.one_of(_text, _digits, _grouped, _words),
    number=st.data(),
)
def test_schema_and_validate_accept_the_same_values(field: str, value: str, number: Any) -> None:
    verdicts = _both(field, value)
    assert verdicts[0] == verdicts[1], (field, value, verdicts)
    if field != "printing.money_thousands":
        typed = number.draw(_numbers(_FIELDS[field]))
        verdicts = _both(field, typed)
        assert verdicts[0] == verdicts[1], (field, typed, verdicts)


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("printing.money_thousands", "yes", True),
        ("year", " 2023 ", True),
        ("year", "0999", False),
        ("year", "2_023", False),
        ("score.total", "150", False),
        ("score.total", 150, False),
        ("budget.initial", "abc", False),
        ("budget.initial", "-0", True),
        ("budget.initial", "１，２００．５０", True),
        ("budget.initial", "①", False),
        ("budget.execution_rate", "10,000.0 ％", True),
    ],
)
def test_the_hostile_pass_examples_agree(field: str, value: Any, accepted: bool) -> None:
    assert _both(field, value) == (accepted, accepted)


@pytest.mark.parametrize("text", ["-0", "-0.00", "－０", "-.0", "+0"])
def test_minus_zero_is_zero(text: str) -> None:
    value = parse_money(text)
    assert value == 0 and not value.is_signed()
    assert money(value) == "0.00"


def test_the_written_out_character_sets_are_unicodes() -> None:
    """forms.py writes these sets out instead of walking every code point at each start."""
    import unicodedata

    from reportgen.model import forms

    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == forms.WHITESPACE
    assert (
        "".join(chr(c) for c in range(0x80, 0x3001) if unicodedata.normalize("NFKC", chr(c)) == " ")
        == forms.GROUP_SPACES
    )
