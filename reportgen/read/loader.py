"""Read a YAML file into plain data plus the line and column of every node.

PyYAML's composer gives us the node tree with marks; we build the Python values ourselves so
that duplicate keys are all reported, aliases cannot explode, and every scalar keeps its source
text (money stays exact when pydantic turns it into ``Decimal``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from reportgen.findings import FieldPath, Finding, Location, file_finding
from reportgen.read.text import (
    MAX_FILE_BYTES,
    control_message,
    line_column,
    normalise_line_ends,
    read_text,
    too_big,
)
from reportgen.read.yaml_errors import syntax_error, translate_problem

MAX_NODES = 200_000
MAX_DEPTH = 60

# The C composer is several times faster; its marks are the same.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A loaded YAML file: its data, where each node stands, and the problems met on the way."""

    file: str
    data: Any = None
    value_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    text: str = ""

    def locate(self, path: FieldPath, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that exists in the file."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(path)
        while True:
            mark = marks.get(probe) or self.value_marks.get(probe)
            if mark is not None:
                return Location(self.file, mark[0], mark[1])
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe[:-1]


_YAML_TAG = "tag:yaml.org,2002:"
# The tags a node gets without one being written (``=`` resolves to value, ``<<`` to merge);
# writing one of them explicitly changes nothing, as every scalar keeps its source text.
_PLAIN_TAGS = {
    f"{_YAML_TAG}{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "value", "merge")
}


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


class _Builder:
    """Turn composed nodes into dicts, lists and strings, recording marks and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def build(self, node: Node, path: FieldPath) -> Any:
        # _prescan and _expanded_size have bounded the nodes and the depth, aliases included
        self.doc.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:  # !important x would silently become “x”
            self.doc.findings.append(
                file_finding(
                    self.doc.file,
                    "E008",
                    f"不支持 YAML 标签“{_shown_tag(node.tag)}”；以“!”开头的文字请加引号",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        return None  # pragma: no cover - composer yields only these three

    @staticmethod
    def _scalar(node: ScalarNode) -> str | None:
        if node.tag == "tag:yaml.org,2002:null":
            return None
        # Everything else keeps its source text: pydantic parses numbers, booleans and dates
        # from it, and money stays exact.
        return str(node.value)

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:null":
                self.doc.findings.append(
                    file_finding(self.doc.file, "E005", "键必须是一段文字", line, column)
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                self.doc.findings.append(
                    file_finding(
                        self.doc.file, "E007", "不支持合并键“<<”，请把内容直接写出", line, column
                    )
                )
                continue
            if key in first_seen:
                self.doc.findings.append(
                    file_finding(
                        self.doc.file,
                        "E006",
                        f"键“{key}”重复（第一次出现在第 {first_seen[key]} 行）；"
                        "同一层的键只能出现一次",
                        line,
                        column,
                    )
                )
                continue
            first_seen[key] = line
            child = (*path, key)
            self.doc.key_marks[child] = (line, column)
            result[key] = self.build(value_node, child)
        return result


_ALIAS_BOMB = (
    f"锚点/别名（& 与 *）展开后内容过多（超过 {MAX_NODES} 项）、层数过深（超过 {MAX_DEPTH} 层）"
    "或引用了自身；这类文件（“billion laughs”）会耗尽内存，已停止读取"
)

# Line breaks only YAML knows: editors show them inside a line, so every later line number
# libyaml reports would be off. U+0085 also counts in libyaml, though it is a C1 control.
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def _event_position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _prescan(text: str, display: str) -> Finding | None:
    """Walk the parser's events before composing: libyaml's composer recurses in C, and a
    few kilobytes of ``[[[[…`` would crash the interpreter; a million tiny nodes would take
    hundreds of megabytes. Syntax errors propagate as from :func:`yaml.compose`."""
    try:
        return _prescan_with(_Loader, text, display)
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml refuses 1,000 flow levels while scanning ahead, before it emits the
        # events that would show where our own limit was crossed; the pure-Python parser
        # emits them lazily, so it finds that place without reading the rest.
        if "nesting depth" not in str(exc.problem) or _Loader is yaml.SafeLoader:
            raise
        return _prescan_with(yaml.SafeLoader, text, display)


def _prescan_with(loader: type[Any], text: str, display: str) -> Finding | None:
    depth = 0
    count = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return file_finding(
                    display,
                    "E004",
                    f"嵌套过深（超过 {MAX_DEPTH} 层），报告数据不需要这么多层；"
                    "请检查括号“[ ]”“{ }”是否配对。已停止读取",
                    *_event_position(event),
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, CollectionStartEvent | ScalarEvent | AliasEvent):
            count += 1
            if count > MAX_NODES:
                return file_finding(
                    display,
                    "E004",
                    f"内容过多（超过 {MAX_NODES} 项），一个部门一年的报告数据不应有这么多；"
                    "已停止读取",
                    *_event_position(event),
                )
    return None


def _expanded_size(root: Node) -> Node | None:
    """The first node at which expanding every alias exceeds the limits, or ``None``.

    Anchored nodes are shared, so this costs one visit per distinct node, however many times
    an alias repeats it: a billion laughs is refused before a single copy is made."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH or id(node) in open_nodes:  # too deep, or an alias to itself
            raise _TooBig(node)
        total = 1
        if isinstance(node, CollectionNode):
            open_nodes.add(id(node))
            children: list[Node] = (
                [n for pair in node.value for n in pair]
                if isinstance(node, MappingNode)
                else list(node.value)
            )
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise _TooBig(child)
            open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    try:
        size(root, 0)
    except _TooBig as exc:
        return exc.node
    return None


class _TooBig(Exception):
    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node


def load_text(text: str, display: str) -> Document:
    """Parse YAML text; syntax problems become findings instead of exceptions. Text over
    the size limit of a file (an imported draft) is refused as that file would be (E003)."""
    if len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8")) > MAX_FILE_BYTES:
        size = len(text.encode("utf-8"))
        return Document(file=display, findings=[too_big(display, size)])
    text = normalise_line_ends(text)
    doc = Document(file=display, text=text)
    odd_break = _YAML_ONLY_BREAKS.search(text)
    if odd_break is not None:
        line, column = line_column(text, odd_break.start())
        doc.findings.append(
            file_finding(
                display,
                "E010",
                f"含有特殊换行符 U+{ord(odd_break.group()):04X}（常见于从网页或 Word 复制的文字），"
                "会打乱行号；请删除或改为普通换行",
                line,
                column,
            )
        )
        return doc
    try:
        runaway = _prescan(text, display)
        if runaway is not None:
            doc.findings.append(runaway)
            return doc
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        message, line, column = syntax_error(text, exc)
        doc.findings.append(file_finding(display, "E010", message, line, column))
        return doc
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        doc.findings.append(file_finding(display, "E010", control_message(code), line, column))
        return doc
    except yaml.YAMLError as exc:
        doc.findings.append(file_finding(display, "E010", translate_problem(str(exc), None), 1, 1))
        return doc
    if node is None:
        doc.findings.append(file_finding(display, "E011", "文件是空的，没有任何报告数据", 1, 1))
        return doc
    exploded = _expanded_size(node)
    if exploded is not None:
        mark = exploded.start_mark
        doc.findings.append(
            file_finding(display, "E004", _ALIAS_BOMB, mark.line + 1, mark.column + 1)
        )
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    if not isinstance(doc.data, dict):
        doc.findings.append(
            file_finding(display, "E012", "文件顶层应是“键: 值”形式的映射（例如 year: 2023）", 1, 1)
        )
        doc.data = None
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file. Raises :class:`UsageError` only when it cannot be read."""
    name = display or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return Document(file=name, findings=problems)
    return load_text(text, name)
