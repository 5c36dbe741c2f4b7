"""Edits inside a flow collection (``[a, b]``, ``{x: 1}``), made between the neighbours'
characters so the collection stays in flow style and every other item keeps its quoting,
spacing, line breaks and comments. Each function takes the text and the composed nodes of it
and returns the new text; :func:`reportgen.serve.edit.apply_edit` reads the result back."""

from __future__ import annotations

from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from reportgen.serve.yaml_text import Value, flow_text


class NotFlow(Exception):
    """The edit is not one these functions make (the caller tries another way)."""


def _start(node: Node) -> int:
    return int(node.start_mark.index)


def _end(node: Node) -> int:
    return int(node.end_mark.index)


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def in_flow(node: Node | None) -> bool:
    return isinstance(node, CollectionNode) and bool(node.flow_style)


def set_value(text: str, node: Node, value: Value) -> str:
    """``node`` (inside a flow collection, or a flow collection itself) replaced by ``value``."""
    if isinstance(node, ScalarNode) and node.value == "" and not node.style:
        raise NotFlow  # an empty value has no characters to replace
    return _splice(text, _start(node), _end(node), flow_text(value))


def add_key(text: str, mapping: MappingNode, key: str, value: Value) -> str:
    entry = f"{flow_text(key)}: {flow_text(value)}"
    if not mapping.value:
        return _splice(text, _start(mapping), _end(mapping), "{" + entry + "}")
    last_key, last_value = mapping.value[-1]
    at = max(_end(last_key), _end(last_value))
    return _splice(text, at, at, f", {entry}")


def insert_item(text: str, sequence: SequenceNode, index: int, value: Value) -> str:
    items = sequence.value
    if not items:
        return _splice(text, _start(sequence), _end(sequence), f"[{flow_text(value)}]")
    if index < len(items):
        at = _start(items[index])
        return _splice(text, at, at, f"{flow_text(value)}, ")
    at = _end(items[-1])
    return _splice(text, at, at, f", {flow_text(value)}")


def remove(text: str, parent: CollectionNode, node: Node) -> str:
    """Remove an item of a flow sequence, or the key of a flow mapping whose value is ``node``;
    the separator before it goes with it (after it, for the first)."""
    if isinstance(parent, SequenceNode):
        spans = [(_start(item), _end(item)) for item in parent.value]
        position = next(i for i, item in enumerate(parent.value) if item is node)
    elif isinstance(parent, MappingNode):
        spans = [(_start(k), max(_end(k), _end(v))) for k, v in parent.value]
        position = next(i for i, (_, v) in enumerate(parent.value) if v is node)
    else:
        raise NotFlow
    if len(spans) < 2:
        raise NotFlow  # the caller empties the collection instead
    if position + 1 < len(spans):
        return _splice(text, spans[position][0], spans[position + 1][0], "")
    return _splice(text, spans[position - 1][1], spans[position][1], "")


def move_item(text: str, sequence: SequenceNode, old: int, new: int) -> str:
    """Item ``old`` moved to ``new``; the items' own characters change places, the commas and
    spaces between them stay where they are."""
    spans = [(_start(item), _end(item)) for item in sequence.value]
    pieces = [text[s:e] for s, e in spans]
    pieces.insert(new, pieces.pop(old))
    for (start, end), piece in reversed(list(zip(spans, pieces, strict=True))):
        text = _splice(text, start, end, piece)
    return text


def rename_key(text: str, key: Node, name: str) -> str:
    return _splice(text, _start(key), _end(key), flow_text(name))
