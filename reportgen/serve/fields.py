"""What a request asks, read from its JSON or its address and checked: an edit, a text, a count,
a year; anything else is :class:`Refused` with its status and Chinese message."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from reportgen.read.loader import MAX_DEPTH as READ_MAX_DEPTH
from reportgen.serve.edit import Edit

Json = dict[str, Any]
MAX_EDIT_DEPTH = READ_MAX_DEPTH  # an edit's path and value: no deeper than a file may nest
MAX_INDEX = 1_000_000  # an edit's item number: far past any list a file may hold


class Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def count(text: str) -> int | None:
    """A count written in ASCII digits (a ``Content-Length``), else ``None``: ``str.isdigit``
    takes ``²`` and ``int`` refuses it, and more than 4,300 digits."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def year(text: str) -> int | None:
    if not text:
        return None
    found = count(text)
    if found is None:
        raise Refused(HTTPStatus.BAD_REQUEST, f"为哪一年起草：{text[:20]} 不是年份")
    return found


def edit(request: Json) -> Edit:
    raw = request.get("edit")
    if not isinstance(raw, dict):
        raise Refused(HTTPStatus.BAD_REQUEST, "缺少修改内容")
    path = raw.get("path")
    if not isinstance(path, list) or not all(isinstance(p, str | int) for p in path):
        raise Refused(HTTPStatus.BAD_REQUEST, "修改的位置无效")
    # the page edits a field or an item (a number counted from 0), never the whole file
    if not 0 < len(path) <= MAX_EDIT_DEPTH or not all(
        isinstance(p, str) or 0 <= p <= MAX_INDEX for p in path
    ):
        raise Refused(HTTPStatus.BAD_REQUEST, "修改的位置无效")
    index = raw.get("index", 0)
    if raw.get("kind") not in {"set", "insert", "remove", "move", "rename"} or not isinstance(
        index, int
    ):
        raise Refused(HTTPStatus.BAD_REQUEST, "修改的种类无效")
    if not 0 <= index <= MAX_INDEX:
        raise Refused(HTTPStatus.BAD_REQUEST, "修改的位置无效")
    if _depth(raw.get("value")) > MAX_EDIT_DEPTH:
        raise Refused(HTTPStatus.BAD_REQUEST, f"修改的内容嵌套过深（超过 {MAX_EDIT_DEPTH} 层）")
    return Edit(raw["kind"], tuple(path), raw.get("value"), index)


def _depth(value: object) -> int:
    """How deep ``value`` (parsed JSON) nests, counted without recursion."""
    deepest, waiting = 0, [(value, 1)]
    while waiting:
        value, depth = waiting.pop()
        deepest = max(deepest, depth)
        if depth > MAX_EDIT_DEPTH:
            break
        if isinstance(value, dict):
            waiting.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            waiting.extend((child, depth + 1) for child in value)
    return deepest


def text(request: Json, key: str = "text", default: str | None = None) -> str:
    value = request.get(key, default)
    if not isinstance(value, str):
        raise Refused(HTTPStatus.BAD_REQUEST, f"缺少 {key}")
    return value
