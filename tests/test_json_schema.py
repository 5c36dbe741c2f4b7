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
    "department": 0,  # text: any scalar, as written, not blank, no control character
    "sections.goals": 0,
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
        if "e" in yaml.safe_dump(typed).lower():  # 1.0e-06: YAML's exponent, documented
            assert not verdicts[0], (field, typed, verdicts)
        elif field == "year" and isinstance(typed, float):
            # 2023.0 is the integer 2023 to a JSON Schema; validate asks for four digits
            # (documented: test_a_whole_number_written_with_a_point). A random seed drew it.
            assert not verdicts[0], (field, typed, verdicts)
        else:
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
        ("department", 123, True),  # the text “123”, as written
        ("department", True, True),
        ("department", "", False),
        ("department", "\u3000 ", False),
        ("department", "甲\x07乙", False),
        ("department", "甲" * 101, False),
        ("sections.goals", 2024, True),
        ("sections.goals", "", False),
        ("attachment", "", False),
        ("indicators[0].unit", "", False),
        ("printing.money_thousands", 1, True),
        ("printing.money_thousands", 2, False),
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


def _schema(*args: str) -> tuple[int, Any, str]:
    result = runner.invoke(app, ["schema", *args])
    return (
        result.exit_code,
        json.loads(result.output) if result.exit_code == 0 else None,
        result.output,
    )


def test_the_schema_of_a_layout_lists_its_outlines_sections(tmp_path: Path) -> None:
    """``schema --layout`` (issue 21): the sections of that layout's outline, in print order,
    each with its numbered heading, and what the layout requires; the editor completes those."""
    from tests.test_layout_own_outline import district_layout

    district_layout(tmp_path / "layouts")
    code, schema, output = _schema("--layout", "bureau", "--templates", str(tmp_path / "layouts"))
    assert code == 0, output
    sections = schema["$defs"]["Sections"]["properties"]
    assert list(sections) == [
        "preface",
        "functions",
        "staffing",
        "annual_work",
        "goals",
        "finance",
        "performance_management",
        "evaluation",
        "problems",
        "measures",
    ]
    assert sections["staffing"]["description"] == "（二）设置机构及人员情况（一、部门基本情况）"
    assert sections["evaluation"]["description"] == "二、绩效自评情况（整章一段正文）"
    assert schema["properties"]["layout"]["default"] == "bureau"
    assert "bureau" in schema["properties"]["layout"]["enum"]
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    data["layout"] = "bureau"
    for key in ("conclusion", "effectiveness", "efficiency"):
        data["sections"].pop(key, None)
    data["sections"]["evaluation"] = "自评得分为${score.total}分。"
    missing = [(list(e.absolute_path), e.message) for e in validator.iter_errors(data)]
    assert missing == [(["sections"], "'staffing' is a required property")]
    data["sections"]["staffing"] = "年末实有在编人员 21 人。"
    assert list(validator.iter_errors(data)) == []
    # a department printing 一、 as one body (chapter_bodies) no longer needs its sections
    del data["sections"]["functions"], data["sections"]["staffing"]
    assert sorted(e.message for e in validator.iter_errors(data)) == [
        "'functions' is a required property",
        "'staffing' is a required property",
    ]
    data["outline"] = {"chapter_bodies": ["basics"]}
    data["sections"] = {"basics": "部门基本情况。", **data["sections"]}
    for key in ("annual_work", "performance_management", "goals", "finance"):
        data["sections"].pop(key, None)
    assert list(validator.iter_errors(data)) == []
    # the validator agrees: the same data validates in that layout
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from reportgen.layout.search import LayoutSearch

    checked = validate_text(text, search=LayoutSearch((tmp_path / "layouts",)))
    assert [f.message for f in checked.findings if f.is_error] == []


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_satisfies_the_schema_of_its_own_layout(source: Path) -> None:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    code, schema, output = _schema("--layout", data.get("layout", "default"))
    assert code == 0, output
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    del data["sections"]["functions"]
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == ["'functions' is a required property"]


def test_schema_takes_templates_and_says_what_is_wrong_with_a_layout(tmp_path: Path) -> None:
    from tests.test_layout_own_outline import district_layout

    folder = district_layout(tmp_path / "layouts")
    # every layout's sections without --layout, those of --templates folders too
    code, schema, _ = _schema("--templates", str(tmp_path / "layouts"))
    assert code == 0 and "staffing" in schema["$defs"]["Sections"]["properties"]
    assert "allOf" not in schema
    assert "staffing" not in report_schema()["$defs"]["Sections"]["properties"]
    code, _, output = _schema("--layout", "buraeu", "--templates", str(tmp_path / "layouts"))
    assert code == 2
    assert output.startswith("错误：未知的版式“buraeu”（是否想写“bureau”？）")
    outline = folder / "outline.yaml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace("required: true", "required: yes", 1),
        encoding="utf-8",
    )
    code, _, output = _schema("--layout", "bureau", "--templates", str(tmp_path / "layouts"))
    assert code == 1
    assert output.startswith(f"错误：版式“bureau”（{folder}）的大纲有错误，未生成数据格式说明：")
    assert "应为 true 或 false，实际为“yes”" in output
    assert output.rstrip().endswith("reportgen layout check bureau 列出全部问题")
    target = tmp_path / "s.json"
    assert runner.invoke(app, ["schema", "-l", "huadu", "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == report_schema(layout="huadu")


def test_the_documented_schema_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    import shlex

    from tests.conftest import ROOT
    from tests.test_layout_own_outline import district_layout

    page = (ROOT / "docs" / "yaml-format.md").read_text(encoding="utf-8")
    command = re.findall(r"```\n(reportgen schema --layout[^\n]*)\n```", page)
    assert len(command) == 1
    monkeypatch.chdir(tmp_path)
    district_layout(Path("版式"))
    result = runner.invoke(app, shlex.split(command[0])[1:])
    assert result.exit_code == 0, result.output
    schema = json.loads(Path(SCHEMA_FILE).read_text(encoding="utf-8"))
    staffing = schema["$defs"]["Sections"]["properties"]["staffing"]
    assert staffing["description"] == "（二）设置机构及人员情况（一、部门基本情况）"
    assert "（二）设置机构及人员情况（一、部门基本情况）" in page


# ---- numbers written without quotes: what the schema sees is the number, not how it is written

# the lines of the complete sample a written number replaces, and the decimals each kind allows
# (None: any); rates and scores take any number of decimals, money two, quantities six
_WRITTEN = {
    "money": ("  initial: 1000.00", "  initial: {}", 2, 10**8),
    "quantity": ("target: 40, actual: 44", "target: {}, actual: 44", 6, 10**15),
    "rate": ("  execution_rate: 95.00%", "  execution_rate: {}", None, 10_000),
    "score": ("  total: 92.5", "  total: {}", None, 100),
}


def _written(kind: str, text: str) -> tuple[bool, bool]:
    """Whether ``validate`` and the JSON Schema accept the sample with ``text`` written, unquoted,
    as the figure of ``kind``: the same file to both, as an editor and ``validate`` read it."""
    line, replacement, _, _ = _WRITTEN[kind]
    source = COMPLETE.read_text(encoding="utf-8")
    assert source.count(line) == 1
    document = source.replace(line, replacement.format(text))
    findings = validate_text(document, "case.yaml").findings
    validated = not [f for f in findings if f.code.startswith("S") and f.is_error]
    return validated, not list(VALIDATOR.iter_errors(yaml.safe_load(document)))


@settings(max_examples=120, deadline=None)
@given(
    kind=st.sampled_from(sorted(_WRITTEN)),
    whole=st.integers(min_value=0, max_value=10**9),
    places=st.integers(min_value=0, max_value=9),
    fraction=st.integers(min_value=0, max_value=10**9 - 1),
)
def test_written_decimals_agree_up_to_the_places_a_kind_allows(
    kind: str, whole: int, places: int, fraction: int
) -> None:
    """Unquoted decimals, written with 0 to 9 places: ``validate`` and the schema agree, except
    where the number has more places than its kind allows (money 2, quantities 6) — the schema
    sees the number YAML reads, not how many places were written (docs/yaml-format.md says so)."""
    _, _, allowed, top = _WRITTEN[kind]
    digits = str(fraction).zfill(9)[:places]
    text = f"{whole}.{digits}" if places else str(whole)
    validated, schema = _written(kind, text)
    too_many = allowed is not None and places > allowed
    if too_many:
        assert not validated, text
        assert schema == (float(text) < top), text  # the documented difference
    else:
        assert validated == schema, (kind, text, validated, schema)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("money", "1.234"),  # more decimals than money has
        ("money", "1.230"),  # a trailing zero YAML drops
        ("quantity", "1.0000001"),
        ("money", "1_000"),  # YAML 1.1's underscores
        ("money", "0x1F"),  # hexadecimal
        ("money", "190:20:30"),  # sexagesimal
        ("money", "1.5e+2"),  # an exponent
        ("rate", "1.5e+2"),
    ],
)
def test_what_the_schema_cannot_see(kind: str, text: str) -> None:
    """The documented exceptions (docs/yaml-format.md, “在编辑器中自动补全和检查”): written
    unquoted, these are numbers to an editor and refused by ``validate``, which reads the text."""
    assert _written(kind, text) == (False, True)


def test_a_whole_number_written_with_a_point() -> None:
    """``year: 2023.0`` is the integer 2023 to a JSON Schema (and to an editor); ``validate``
    asks for four digits (documented with the exceptions above)."""
    assert _both("year", 2023.0) == (False, True)
