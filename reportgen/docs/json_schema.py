"""The JSON Schema of the data format, for editors: VS Code's YAML extension completes keys and
checks values as a clerk types (``reportgen schema``; ``reportgen init`` points to it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from reportgen.errors import FileSystemError, ReportgenError, UsageError
from reportgen.layout.outline import Plan, plan_of, untitled
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


def layout_plan(search: LayoutSearch, name: str) -> Plan:
    """The outline of the layout ``name`` as ``search`` finds it; said in Chinese when there is
    no such layout (a usage mistake, exit 2) or its outline has errors (exit 1)."""
    layout = search.find(name)
    if layout is None:
        raise UsageError(search.unknown(name))
    if layout.outline is None:
        found = "；".join(f.as_text() for f in layout.problems)
        raise ReportgenError(
            f"版式“{name}”（{layout.folder}）的大纲有错误，未生成数据格式说明：{found}；"
            f"reportgen layout check {name} 列出全部问题"
        )
    return plan_of(layout.outline)


def _every_section(search: LayoutSearch) -> tuple[tuple[str, str], ...]:
    """Every part the layouts ``search`` finds declare (built-in or not), (key, its headings)."""
    headings: dict[str, list[str]] = {key: [heading] for key, heading in builtin_sections()}
    for layout in search.all():
        if layout.outline is None:
            continue
        for key, heading in plan_of(layout.outline).headings.items():
            seen = headings.setdefault(key, [])
            seen += [] if any(heading in h for h in seen) else [heading]
    return tuple((key, " / ".join(found)) for key, found in headings.items())


def _layout_sections(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The parts of ``plan`` in print order, each described by its numbered heading (the
    preface, first, by its name: it has no heading)."""
    found: list[tuple[str, str]] = []
    if plan.preface is not None:
        found.append((plan.preface.key, untitled(plan.preface.heading)))
    for i, chapter in enumerate(plan.chapters, 1):
        label = plan.label(1, i)
        if chapter.body:
            found.append((chapter.key, f"{label}{chapter.heading}（整章一段正文）"))
        for j, section in enumerate(chapter.sections, 1):
            found.append(
                (section.key, f"{plan.label(2, j)}{section.heading}（{label}{chapter.heading}）")
            )
    return tuple(found)


def _outline_lists(key: str, value: Any) -> dict[str, Any]:
    """A condition: the data's ``outline.<key>`` lists an item ``value`` matches."""
    outline = {
        "type": "object",
        "properties": {key: {"type": "array", "contains": value}},
        "required": [key],
    }
    return {"properties": {"outline": outline}, "required": ["outline"]}


def _own_section_in(chapter: str) -> dict[str, Any]:
    """A condition: the department adds a section of its own to ``chapter``."""
    placed = {
        "type": "object",
        "properties": {"chapter": {"const": chapter}},
        "required": ["chapter"],
    }
    return _outline_lists("extra_sections", placed)


def _needs(keys: list[str]) -> dict[str, Any]:
    return {"properties": {"sections": {"required": keys}}, "required": ["sections"]}


def _required_parts(plan: Plan) -> list[dict[str, Any]]:
    """What the data must write in ``plan``, as a validate of it requires (R002): a chapter's
    required sections, or its one body when the department's ``outline.chapter_bodies`` makes it
    one; a one-body chapter's body, unless the department gives it sections of its own (the
    body is then their lead)."""
    rules: list[dict[str, Any]] = []
    if plan.preface is not None and plan.preface.required:
        rules.append(_needs([plan.preface.key]))
    for chapter in plan.chapters:
        if chapter.body:
            if chapter.required:
                rules.append(
                    {"if": {"not": _own_section_in(chapter.key)}, "then": _needs([chapter.key])}
                )
            continue
        needed = [s.key for s in chapter.sections if s.required and s.from_facts is None]
        rules.append(
            {
                "if": _outline_lists("chapter_bodies", {"const": chapter.key}),
                "then": _needs([chapter.key]),
                **({"else": _needs(needed)} if needed else {}),
            }
        )
    return rules


def report_schema(search: LayoutSearch | None = None, layout: str | None = None) -> dict[str, Any]:
    """The schema of one report's YAML: every key, its Chinese title and description, enums
    (the layouts are those ``search`` finds: ``REPORTGEN_TEMPLATES`` and the built-in ones).

    Its ``sections`` are those every layout found declares; for ``layout``, that layout's alone,
    in print order, with what it requires, so that an editor completes the sections of that
    layout's outline."""
    search = search or LayoutSearch.from_options()
    plan = layout_plan(search, layout) if layout is not None else None
    model = report_model(_layout_sections(plan) if plan is not None else _every_section(search))
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
    described = "reportgen 的 YAML 数据格式；详见 docs/yaml-format.md"
    if plan is not None:
        schema["properties"]["layout"]["default"] = layout
        schema["allOf"] = _required_parts(plan)
        described = f"{described}；各节按版式“{layout}”的大纲"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": TITLE,
        "description": described,
    }


def schema_text(search: LayoutSearch | None = None, layout: str | None = None) -> str:
    return json.dumps(report_schema(search, layout), ensure_ascii=False, indent=2) + "\n"


def _is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            found = json.loads(stream.read(4 * 1024 * 1024))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("title") == TITLE


def write_schema(
    target: Path, search: LayoutSearch | None = None, layout: str | None = None
) -> None:
    """Write the schema to ``target`` atomically; only a schema reportgen wrote is replaced."""
    if target.exists() and (not target.is_file() or not _is_ours(target)):
        raise UsageError(f"{target} 已存在且不是 reportgen 生成的数据格式说明，为免覆盖未写入")
    text = schema_text(search, layout).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda stream: stream.write(text))
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
