"""A change made in the form, applied to the YAML text in place.

Only the characters of the changed value are rewritten, so every comment, blank line, key
order and quoting style elsewhere survives byte for byte, and money keeps the digits typed
(the loader hands every scalar on as its source text). Each edit is checked by loading the
result: the data must be the old data with exactly that change, or the edit is refused.

A flow collection (``[a, b]``, ``{x: 1}``) stays in flow style: its items are edited between
their neighbours' characters (:mod:`reportgen.serve.flow`). Values are written as YAML text by
:mod:`reportgen.serve.yaml_text`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from reportgen.errors import ReportgenError
from reportgen.findings import FieldPath, format_path
from reportgen.read.loader import load_text
from reportgen.serve import flow
from reportgen.serve.yaml_text import Value, after_key, block_text, flow_text, scalar_text

# libyaml's marks count characters as Python's do (tests/test_serve_edit.py edits Chinese text)
_Composer: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EditError(ReportgenError):
    """A form edit that cannot be written into the text; the clerk uses the YAML pane."""


@dataclass(frozen=True)
class Edit:
    """``set`` a value, ``insert`` an item into a list, ``remove`` a key or item, ``move`` an
    item, ``rename`` a key (``value`` is the new name)."""

    kind: str
    path: FieldPath
    value: Value = None
    index: int = 0  # insert: where; move: to where (the path names the item moved)


def apply_edit(text: str, edit: Edit) -> str:
    """The text with ``edit`` made, or :class:`EditError` saying why it cannot be."""
    before = load_text(text, "<编辑>")
    if before.data is None or before.findings:
        raise EditError("YAML 文本有错误，请先在 YAML 窗格中改正，再用表单修改")
    edit = _emptying(before.data, edit)
    expected = _changed(before.data, edit)
    for quoted in (False, True):
        editor = _Editor(text, quoted)
        try:
            result = editor.apply(edit)
        except _Unsupported:
            try:
                result = editor.rewrite_flow(edit.path, expected)
            except _Unsupported:
                continue
        after = load_text(result, "<编辑>")
        if after.data == expected and not after.findings:
            return result
    raise EditError(f"无法在原文中修改 {format_path(edit.path)}，请在 YAML 窗格中修改")


class _Unsupported(Exception):
    pass


def _emptying(data: Value, edit: Edit) -> Edit:
    """Removing the last key or item is setting its container empty (``{}``, ``[]``)."""
    if edit.kind != "remove" or not edit.path:
        return edit
    _at(data, edit.path)  # it must be there
    parent = _at(data, edit.path[:-1])
    if isinstance(parent, dict | list) and len(parent) == 1:
        return Edit("set", edit.path[:-1], {} if isinstance(parent, dict) else [])
    return edit


def _changed(data: Value, edit: Edit) -> Value:
    """What the data must be after ``edit``."""
    data = copy.deepcopy(data)
    if edit.kind == "set" and not edit.path:
        return copy.deepcopy(edit.value)
    parent_path, last = edit.path[:-1], edit.path[-1]
    parent = (
        _create(data, parent_path) if edit.kind in {"set", "insert"} else _at(data, parent_path)
    )
    if edit.kind == "set":
        if isinstance(parent, list) and last == len(parent):
            parent.append(copy.deepcopy(edit.value))
        else:
            parent[last] = copy.deepcopy(edit.value)
    elif edit.kind == "insert":
        items = parent.get(last) if isinstance(parent, dict) else parent[last]
        if items is None:
            items = parent[last] = []
        if not isinstance(items, list):
            raise EditError(f"{format_path(edit.path)} 不是列表")
        items.insert(edit.index, copy.deepcopy(edit.value))
    elif edit.kind == "remove":
        del parent[last]
    elif edit.kind == "move":
        if not isinstance(parent, list) or not isinstance(last, int):
            raise EditError(f"{format_path(edit.path)} 不是列表中的一项")
        parent.insert(edit.index, parent.pop(last))
    elif edit.kind == "rename":
        _rename(parent, edit)
    else:
        raise EditError(f"未知的修改：{edit.kind}")
    return data


def _rename(parent: Value, edit: Edit) -> None:
    last, name = edit.path[-1], edit.value
    if not isinstance(parent, dict) or last not in parent:
        raise EditError(f"数据中没有 {format_path(edit.path)}")
    if not isinstance(name, str) or not name.strip() or "\n" in name:
        raise EditError("名称不能为空，也不能换行")
    if name != last and name in parent:
        raise EditError(f"已有名为“{name}”的一项")
    renamed = {(name if key == last else key): value for key, value in parent.items()}
    parent.clear()
    parent.update(renamed)


def _at(data: Value, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"数据中没有 {format_path(path)}") from None
    return data


def _create(data: Value, path: FieldPath) -> Any:
    """The container at ``path``, empty mappings made where the data has none."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str) and data.get(part) is None:
            data[part] = {}
        data = _at(data, (part,))
    return data


# ---- where things stand in the text ---------------------------------------------------------


class _Editor:
    def __init__(self, text: str, quoted: bool) -> None:
        self.text = text
        self.quoted = quoted
        self.root = yaml.compose(text, Loader=_Composer)

    def apply(self, edit: Edit) -> str:
        if edit.kind == "set":
            return self._set(edit.path, edit.value)
        if edit.kind == "insert":
            return self._insert(edit.path, edit.index, edit.value)
        if edit.kind == "remove":
            return self._remove(edit.path)
        if edit.kind == "move":
            return self._move(edit.path, edit.index)
        if edit.kind == "rename":
            return self._rename(edit.path, edit.value)
        raise _Unsupported

    def rewrite_flow(self, path: FieldPath, expected: Value) -> str:
        """Write the outermost flow collection around ``path`` again, as ``expected`` has it."""
        for depth in range(len(path) + 1):
            node, _, _ = self._find(path[:depth])
            if node is None:
                break
            if isinstance(node, CollectionNode) and node.flow_style:
                new = flow_text(_at(expected, path[:depth]))
                return self._splice(node.start_mark.index, node.end_mark.index, new)
        raise _Unsupported

    # finding nodes

    def _find(self, path: FieldPath) -> tuple[Node | None, Node | None, Node | None]:
        """(node at path, its parent, the key node when the parent is a mapping)."""
        node: Node | None = self.root
        parent: Node | None = None
        key: Node | None = None
        for part in path:
            parent, key = node, None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        key, node = k, v
                        break
                else:
                    return None, parent, None
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return None, parent, None
                node = node.value[part]
            else:
                return None, parent, None
        return node, parent, key

    def _content_end(self, node: Node) -> int:
        """Where the node's own characters end (before the line break that follows)."""
        if isinstance(node, ScalarNode):
            if node.style in {"|", ">"}:
                end = node.end_mark.index
                while end > node.start_mark.index and self.text[end - 1] in " \t\n":
                    end -= 1
                return end
            return int(node.end_mark.index)
        if not isinstance(node, CollectionNode) or node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1]
        return self._content_end(last[1] if isinstance(node, MappingNode) else last)

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        """Just past the line break of the line holding ``index`` (or the end of the text)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def _column(self, index: int) -> int:
        return index - self._line_start(index)

    def _after_colon(self, key: Node) -> int:
        colon = self.text.find(":", key.end_mark.index)
        if colon < 0:
            raise _Unsupported
        return colon + 1

    def _dash(self, item: Node) -> int:
        """The index of the ``-`` that starts a block sequence item."""
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] in " \t":
            index -= 1
        if index < 0 or self.text[index] != "-":
            raise _Unsupported
        return index

    def _splice(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    # the edits

    def _set(self, path: FieldPath, value: Value) -> str:
        node, parent, key = self._find(path)
        if node is None:
            return self._add(path, value)
        if flow.in_flow(parent) or (flow.in_flow(node) and isinstance(value, dict | list)):
            try:
                return flow.set_value(self.text, node, value)
            except flow.NotFlow:
                raise _Unsupported from None
        if key is not None:
            column = key.start_mark.column
            empty = isinstance(node, ScalarNode) and node.value == "" and not node.style
            block = isinstance(node, CollectionNode) and not node.flow_style
            if empty or block or value is None or (isinstance(value, dict | list) and value):
                start = self._after_colon(key)
                end = start if empty else self._content_end(node)
                return self._after_key_line(start, end, after_key(value, column, self.quoted))
            new = block_text(value, column + 2, self.quoted)
            return self._splice(node.start_mark.index, self._content_end(node), new)
        if isinstance(parent, SequenceNode) and not parent.flow_style:
            new = block_text(value, self._column(self._dash(node)) + 2, self.quoted)
            return self._splice(node.start_mark.index, self._content_end(node), new)
        if not path:
            return block_text(value, 0, self.quoted) + "\n"
        raise _Unsupported

    def _after_key_line(self, start: int, end: int, new: str) -> str:
        """Replace ``start:end`` with ``new`` keeping a comment on the key's line on that line."""
        eol = self.text.find("\n", start)
        eol = len(self.text) if eol < 0 else eol
        if end <= eol:  # the old value was on the key's line
            if not new.startswith("\n"):
                return self._splice(start, end, new)
            tail, rest = self.text[end:eol], self.text[eol:]
        else:
            tail, rest = self.text[start:eol], self.text[end:]
        tail = tail if tail.strip() else ""
        if new.startswith("\n"):
            return self.text[:start] + tail + new + rest
        return self.text[:start] + new + tail + rest

    def _add(self, path: FieldPath, value: Value) -> str:
        """Set a key the mapping does not have yet (making its parents as needed)."""
        parent_path, last = path[:-1], path[-1]
        parent, _, _ = self._find(parent_path)
        if parent is None or (isinstance(parent, ScalarNode) and parent.value == ""):
            return self._set(parent_path, {last: value} if isinstance(last, str) else [value])
        if isinstance(parent, SequenceNode) and last == len(parent.value):
            return self._insert(parent_path, len(parent.value), value)
        if not isinstance(parent, MappingNode) or not isinstance(last, str):
            raise _Unsupported
        if flow.in_flow(parent):
            return flow.add_key(self.text, parent, last, value)
        if not parent.value:
            raise _Unsupported
        indent = parent.value[0][0].start_mark.column
        line = f"{scalar_text(last, indent, self.quoted)}:" + after_key(value, indent, self.quoted)
        end = self._line_end(self._content_end(parent))
        prefix = "" if end == 0 or self.text[end - 1] == "\n" else "\n"
        return self._splice(end, end, f"{prefix}{' ' * indent}{line}\n")

    def _insert(self, path: FieldPath, index: int, value: Value) -> str:
        node, _, _ = self._find(path)
        if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
            return self._set(path, [value])
        if isinstance(node, SequenceNode) and flow.in_flow(node):
            return flow.insert_item(self.text, node, index, value)
        if not isinstance(node, SequenceNode) or not node.value:
            raise _Unsupported
        items = node.value
        column = self._column(self._dash(items[0]))
        entry = f"{' ' * column}- {block_text(value, column + 2, self.quoted)}\n"
        if index < len(items):
            dash = self._dash(items[index])
            if self.text[self._line_start(dash) : dash].strip():
                raise _Unsupported  # an item that shares its line with something else
            at = self._line_start(dash)
        else:
            at = self._line_end(self._content_end(items[-1]))
            if at == len(self.text) and not self.text.endswith("\n"):
                entry = "\n" + entry
        return self._splice(at, at, entry)

    def _item_span(self, item: Node) -> tuple[int, int]:
        dash = self._dash(item)
        start = self._line_start(dash)
        if self.text[start:dash].strip():
            raise _Unsupported
        return start, self._line_end(self._content_end(item))

    def _remove(self, path: FieldPath) -> str:
        node, parent, key = self._find(path)
        if node is None or parent is None:
            raise _Unsupported
        if isinstance(parent, CollectionNode) and flow.in_flow(parent):
            try:
                return flow.remove(self.text, parent, node)
            except flow.NotFlow:
                raise _Unsupported from None
        if isinstance(parent, SequenceNode):
            if len(parent.value) == 1 or parent.flow_style:
                raise _Unsupported  # the caller sets the list instead
            start, end = self._item_span(node)
            return self._splice(start, end, "")
        if not isinstance(parent, MappingNode) or key is None or parent.flow_style:
            raise _Unsupported
        keys = [k for k, _ in parent.value]
        position = keys.index(key)
        line_start = self._line_start(key.start_mark.index)
        if self.text[line_start : key.start_mark.index].strip():  # “- key: …” starts an item
            if position + 1 == len(keys):
                raise _Unsupported
            return self._splice(key.start_mark.index, keys[position + 1].start_mark.index, "")
        return self._splice(line_start, self._line_end(self._content_end(node)), "")

    def _move(self, path: FieldPath, to: int) -> str:
        node, parent, _ = self._find(path)
        if node is None or not isinstance(parent, SequenceNode):
            raise _Unsupported
        if flow.in_flow(parent):
            return flow.move_item(self.text, parent, int(path[-1]), to)
        spans = [self._item_span(item) for item in parent.value]
        pieces = [self.text[s:e] for s, e in spans]
        gaps = [self.text[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
        moved = pieces.pop(int(path[-1]))
        pieces.insert(to, moved)
        if not pieces[-1].endswith("\n"):  # the last item had no line break after it
            pieces = [p if p.endswith("\n") else p + "\n" for p in pieces]
            pieces[-1] = pieces[-1][:-1]
        middle = pieces[0] + "".join(
            gap + piece for gap, piece in zip(gaps, pieces[1:], strict=True)
        )
        return self._splice(spans[0][0], spans[-1][1], middle)

    def _rename(self, path: FieldPath, name: Value) -> str:
        node, parent, key = self._find(path)
        if node is None or key is None or not isinstance(name, str):
            raise _Unsupported
        if flow.in_flow(parent):
            return flow.rename_key(self.text, key, name)
        if "\n" in name or not isinstance(key, ScalarNode) or key.style in {"|", ">"}:
            raise _Unsupported
        new = scalar_text(name, key.start_mark.column, self.quoted)
        return self._splice(key.start_mark.index, key.end_mark.index, new)
