"""``reportgen schema``: the JSON Schema an editor checks the YAML with, as the loader reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.docs.json_schema import SCHEMA_FILE, SCHEMA_LINE, report_schema
from reportgen.model.samples import STARTER
from tests.conftest import COMPLETE, EXAMPLES, mutated_text

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
