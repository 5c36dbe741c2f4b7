"""Values written as YAML text: a scalar (plain, quoted or a literal block), a block
collection at a given indentation, or a flow collection. Each writer's result is read back by
:func:`reportgen.serve.edit.apply_edit`, which refuses an edit whose text reads otherwise."""

from __future__ import annotations

import json
from typing import Any

from reportgen.read.loader import load_text

Value = Any  # a string, None, or lists and dicts of them (what the loader hands on)


def _plain_reads_back(value: str) -> bool:
    probe = load_text(f"k: {value}\n", "<值>")
    return not probe.findings and probe.data == {"k": value}


def scalar_text(value: str | None, indent: int, quoted: bool = False) -> str:
    """``value`` written where a scalar starts; lines after the first are at ``indent``."""
    if value is None:
        return ""
    if "\n" in value and not quoted and _literal_fits(value):
        chomp = "-" if not value.endswith("\n") else ""
        body = value[:-1] if value.endswith("\n") else value
        pad = " " * indent
        return f"|{chomp}\n" + "\n".join(pad + line if line else "" for line in body.split("\n"))
    if not quoted and "\n" not in value and _plain_reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar


def _literal_fits(value: str) -> bool:
    body = value[:-1] if value.endswith("\n") else value
    lines = body.split("\n")
    return (
        not body.endswith("\n")
        and not lines[0].startswith((" ", "\t"))
        and all(line == line.rstrip(" \t") or line.strip() for line in lines)
        and all(c == "\t" or c >= " " for c in body.replace("\n", ""))
    )


def block_text(value: Value, indent: int, quoted: bool) -> str:
    """A value written in block style starting at the current column (which is ``indent``)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            head = f"{scalar_text(str(key), indent, quoted)}:"
            lines.append(head + after_key(item, indent, quoted))
        return f"\n{pad}".join(lines)
    if isinstance(value, list):
        if not value:
            return "[]"
        return f"\n{pad}".join("- " + block_text(item, indent + 2, quoted) for item in value)
    return scalar_text(value, indent, quoted)


def flow_text(value: Value) -> str:
    """A value in flow style (``[a, b]``, ``{k: v}``), for a list or mapping written so."""
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{flow_text(str(k))}: {flow_text(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    if value is None:
        return "null"
    plain = not any(c in value for c in ",[]{}") and "\n" not in value
    return value if plain and _plain_reads_back(value) else json.dumps(value, ensure_ascii=False)


def after_key(value: Value, key_indent: int, quoted: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list) and value:
        inner = key_indent + 2
        return f"\n{' ' * inner}" + block_text(value, inner, quoted)
    return " " + block_text(value, key_indent + 2, quoted)
