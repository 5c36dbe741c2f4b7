"""Turn pydantic's validation errors into Chinese findings at the YAML node they concern."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from reportgen.findings import FieldPath, Finding, Severity, did_you_mean, visible
from reportgen.model.narrative import BLOCK_TAGS
from reportgen.model.report import Report
from reportgen.read.loader import Document

_INVISIBLE_NAMES = {"\u3000": "全角空格", "\u00a0": "不换行空格", "\u200b": "零宽空格"}


def _invisible_hint(text: str) -> str:
    odd = [c for c in text if c != " " and visible(c) != c]
    if not odd:
        return ""
    name = _INVISIBLE_NAMES.get(odd[0], "不可见字符")
    return f"；其中含有{name} U+{ord(odd[0]):04X}，请删除"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "一个映射（键: 值）"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空值"
    text = str(value)
    text = f"{text[:40]}…" if len(text) > 40 else text
    return f"“{visible(text)}”"


def _literal_options(expected: str) -> str:
    """pydantic's ``'优', '良', '中' or '差'`` as ``优、良、中、差``."""
    options = re.findall(r"'([^']*)'", expected)
    return "、".join(options) if options else expected


_NUMBER_LIKE = re.compile(r"^\d[\d.]*%?$")


def _candidates(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _candidates(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [c for arg in get_args(annotation) for c in _candidates(arg)]
    return [annotation]


def allowed_keys(loc: tuple[Any, ...], root: type[BaseModel] = Report) -> list[str]:
    """The field names of the model that the mapping at ``loc`` was validated as."""
    current: list[Any] = [root]
    for part in loc:
        if isinstance(part, str) and part.startswith("~"):
            if part in BLOCK_TAGS:
                current = [BLOCK_TAGS[part]]
            continue
        following: list[Any] = []
        for candidate in current:
            if isinstance(part, int) and get_origin(candidate) is list:
                following += _candidates(get_args(candidate)[0])
            elif (
                isinstance(part, str)
                and isinstance(candidate, type)
                and issubclass(candidate, BaseModel)
                and part in candidate.model_fields
            ):
                following += _candidates(candidate.model_fields[part].annotation)
        current = following
    names: list[str] = []
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            names += [n for n in candidate.model_fields if n not in names]
    return names


def _message(
    err: ErrorDetails, keys_at: Callable[[tuple[Any, ...]], list[str]] = allowed_keys
) -> str:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    value = err.get("input")
    if kind == "missing":
        return f"缺少必填项“{err['loc'][-1]}”"
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        options = keys_at(tuple(err["loc"][:-1]))
        if _NUMBER_LIKE.match(key):  # {amount: 1,100.00}: the comma ended the value
            return (
                f"未知的键“{key}”：在“{{ }}”或“[ ]”中逗号会把数字断开；"
                "带千位分隔符的数字请加引号（如 '1,100.00'）或不写逗号"
            )
        hint = did_you_mean(key.strip(), options)
        allowed = f"；此处可用的键：{', '.join(options)}" if options and not hint else ""
        return f"未知的键“{visible(key)}”{hint}{allowed}{_invisible_hint(key)}"
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*年度?\s*", value):
            hint = "；只写数字，如 2024"
        elif kind == "int_parsing_size":
            hint = "；数字过大"
        return f"应为整数，实际为{_shown(value)}{hint}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"应为 true 或 false，实际为{_shown(value)}"
    if kind == "string_type":
        return f"应为一段文字，实际为{_shown(value)}"
    if kind in {"list_type", "tuple_type"}:
        return f"应为列表（每项以“- ”开头），实际为{_shown(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"应为映射（键: 值），实际为{_shown(value)}"
    if kind == "literal_error":
        return f"应为 {_literal_options(str(ctx.get('expected', '')))} 之一，实际为{_shown(value)}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}，实际为{_shown(value)}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}，实际为{_shown(value)}"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in {"decimal_parsing", "decimal_type", "float_parsing"}:
        return f"应为数字，实际为{_shown(value)}"
    if kind == "enum":
        return f"取值无效：{_shown(value)}"
    # our own PydanticCustomError messages are already Chinese
    if not str(err["msg"]).isascii():
        return str(err["msg"])
    return f"取值无效：{_shown(value)}（{err['msg']}）"


def _child(current: Any, part: Any) -> tuple[bool, Any]:
    if isinstance(current, dict) and isinstance(part, str) and part in current:
        return True, current[part]
    if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
        return True, current[part]
    return False, None


def data_path(loc: tuple[Any, ...], data: Any) -> FieldPath:
    """pydantic's location without the union tags it adds: only keys and indices that exist
    in the YAML data, so the path reads as the user wrote it."""
    path: list[str | int] = []
    current = data
    for part in loc:
        found, child = _child(current, part)
        if found:
            current = child
        elif isinstance(part, str) and (part.startswith("~") or not isinstance(current, dict)):
            continue  # a union tag, or a name pydantic gave a union member
        else:
            current = None  # a missing or unknown key: keep it, nothing below it exists
        path.append(part)
    return tuple(path)


def translate(
    exc: ValidationError,
    doc: Document,
    allowed: Callable[[tuple[Any, ...]], list[str]] = allowed_keys,
) -> list[Finding]:
    """Every schema error as a located finding; ``allowed`` names the keys a mapping may hold."""
    findings: list[Finding] = []
    for err in exc.errors(include_url=False):
        path = data_path(tuple(err["loc"]), doc.data)
        kind = err["type"]
        if kind == "missing":
            location = doc.locate(path[:-1], key=True)
        else:
            location = doc.locate(path, key=kind == "extra_forbidden")
        code = {"missing": "S001", "extra_forbidden": "S002"}.get(kind, "S003")
        findings.append(
            Finding(code, Severity.ERROR, _message(err, allowed), path, location=location)
        )
    return findings
