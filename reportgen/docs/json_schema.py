"""The JSON Schema of the data format, for editors: VS Code's YAML extension completes keys and
checks values as a clerk types (``reportgen schema``; ``reportgen init`` points to it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from reportgen.errors import FileSystemError, UsageError
from reportgen.layout.search import LayoutSearch, builtin_sections
from reportgen.model.report import report_model
from reportgen.output.atomic import replace_atomically

SCHEMA_FILE = "reportgen.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"
TITLE = "部门整体支出绩效自评报告数据"
_TITLE_END = re.compile(r"[，；（(=：:]| = | \| ")


def _chinese_title(description: str) -> str:
    """``预算执行率 = 支出合计 ÷ 预算（…）`` → ``预算执行率``: the head of the description."""
    return _TITLE_END.split(description, maxsplit=1)[0].strip() or description


def _retitle(node: Any) -> None:
    """Every property titled in Chinese from its description, not pydantic's English name."""
    if isinstance(node, dict):
        description = node.get("description")
        if isinstance(description, str) and "title" in node:
            node["title"] = _chinese_title(description)
        for value in node.values():
            _retitle(value)
    elif isinstance(node, list):
        for value in node:
            _retitle(value)


def report_schema(search: LayoutSearch | None = None) -> dict[str, Any]:
    """The schema of one report's YAML: every key, its Chinese title and description, enums
    (the layouts are those ``search`` finds: ``REPORTGEN_TEMPLATES`` and the built-in ones)."""
    search = search or LayoutSearch.from_options()
    model = report_model(builtin_sections())
    schema = model.model_json_schema(mode="validation", schema_generator=GenerateJsonSchema)
    _retitle(schema)
    # the year's forms come from its type (model/base.py), as every figure's (model/forms.py)
    year = schema["properties"]["year"]
    year.update(title="年度", description=year.get("description", "年度"))
    # a department's own sections (declared under outline.extra_sections, or a chapter printed
    # as one body) are written beside the layout's: any key, in the same narrative form
    sections = schema["$defs"]["Sections"]
    first = next(iter(sections["properties"].values()))
    sections["additionalProperties"] = {
        key: value for key, value in first.items() if key not in {"title", "description"}
    } | {"description": "本部门在 outline 中声明的节（extra_sections）或整章正文（chapter_bodies）"}
    # score may be left out when the 自评表 computes it, but is never written as null
    score = schema["properties"]["score"]
    score["$ref"] = next(kind["$ref"] for kind in score.pop("anyOf") if "$ref" in kind)
    score.pop("default", None)
    schema["properties"]["layout"]["enum"] = search.names()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": TITLE,
        "description": "reportgen 的 YAML 数据格式；详见 docs/yaml-format.md",
    }


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def _is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            found = json.loads(stream.read(4 * 1024 * 1024))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("title") == TITLE


def write_schema(target: Path) -> None:
    """Write the schema to ``target`` atomically; only a schema reportgen wrote is replaced."""
    if target.exists() and (not target.is_file() or not _is_ours(target)):
        raise UsageError(f"{target} 已存在且不是 reportgen 生成的数据格式说明，为免覆盖未写入")
    text = schema_text().encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda stream: stream.write(text))
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
