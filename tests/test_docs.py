"""The generated reference pages are current, and every field a user or template sees is documented."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from reportgen.context.fields import TemplateContext
from reportgen.docs.reference import (
    _models,
    context_reference,
    glossary_reference,
    layouts_reference,
)
from reportgen.docs.rules_reference import rules_reference
from reportgen.model.report import Report
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("page", "generate"),
    [
        ("docs/template-context.md", context_reference),
        ("docs/rules.md", rules_reference),
        ("docs/glossary.md", glossary_reference),
        ("docs/layouts.md", layouts_reference),
    ],
)
def test_generated_page_is_current(page: str, generate: object) -> None:
    assert callable(generate)
    assert (ROOT / page).read_text(encoding="utf-8") == generate(), (
        f"{page} is stale: regenerate it with python -m reportgen.docs.reference"
    )


def _all_models(root: type[BaseModel]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    queue = [root]
    while queue:
        model = queue.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in model.model_fields.values():
            queue += _models(info.annotation)
    return seen


@pytest.mark.parametrize("root", [TemplateContext, Report])
def test_every_field_has_a_description(root: type[BaseModel]) -> None:
    missing = [
        f"{model.__name__}.{name}"
        for model in _all_models(root)
        for name, info in model.model_fields.items()
        if not info.description
    ]
    assert missing == []


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in readme.splitlines() if "pytest" in line).strip()
    assert test_command in ci


def test_the_documented_data_limits_are_the_code_s() -> None:
    from reportgen.model.amounts import MAX_QUANTITY_DECIMALS, MAX_RATE
    from reportgen.model.report import Report
    from reportgen.read.loader import MAX_DEPTH, MAX_NODES
    from reportgen.read.text import MAX_FILE_BYTES

    text = (ROOT / "docs" / "yaml-format.md").read_text(encoding="utf-8")
    department = Report.model_fields["department"].metadata
    assert f"| 数据文件大小 | {MAX_FILE_BYTES // (1024 * 1024)} MiB |" in text
    assert f"| 文件中的项（键、值、列表项） | {MAX_NODES} 项 |" in text
    assert f"| 嵌套层数 | {MAX_DEPTH} 层 |" in text
    assert f"| 百分比 | 0%–{MAX_RATE}% |" in text
    assert f"最多 {MAX_QUANTITY_DECIMALS} 位小数 | S003 |" in text
    assert f"| 部门名称 | {department[0].max_length} 个字 |" in text
