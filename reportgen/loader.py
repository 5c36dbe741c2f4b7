"""Read a YAML file into plain data plus the line and column of every node.

PyYAML's composer gives us the node tree with marks; we build the Python values ourselves so
that duplicate keys are all reported, aliases cannot explode, and every scalar keeps its source
text (money stays exact when pydantic turns it into ``Decimal``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reportgen.errors import UsageError
from reportgen.findings import Finding, Location, Path, Severity

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 60

# The C composer is several times faster; its marks are the same.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A loaded YAML file: its data, where each node stands, and the problems met on the way."""

    file: str
    data: Any = None
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    text: str = ""

    def locate(self, path: Path, *, key: bool = False) -> Location:
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


def _syntax_finding(file: str, code: str, message: str, line: int, column: int) -> Finding:
    return Finding(code, Severity.ERROR, message, (), location=Location(file, line, column))


def read_text(path: FsPath, display: str) -> tuple[str | None, list[Finding]]:
    """Decode a file as UTF-8 (BOM allowed); explain every other encoding or binary content."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise UsageError(f"{display}: 文件不存在") from exc
    except OSError as exc:
        raise UsageError(f"{display}: 无法读取文件（{exc.strerror}）") from exc
    if path.is_dir():
        raise UsageError(f"{display}: 这是一个目录，不是 YAML 文件")
    if size > MAX_FILE_BYTES:
        limit_mib = MAX_FILE_BYTES // (1024 * 1024)
        return None, [
            _syntax_finding(
                display,
                "E003",
                f"文件过大（{size / 1024 / 1024:.1f} MiB），上限为 {limit_mib} MiB；"
                "一个部门一年的报告数据不应有这么大",
                1,
                1,
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{display}: 无法读取文件（{exc.strerror}）") from exc
    if b"\x00" in raw[:8192]:
        return None, [
            _syntax_finding(
                display,
                "E001",
                "这不是文本文件（含有 NUL 字节），请提供 UTF-8 编码的 YAML 文件",
                1,
                1,
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        start = exc.start
        while start > 0 and raw[start - 1] >= 0x80:  # point at the whole non-ASCII word
            start -= 1
        line = raw.count(b"\n", 0, start) + 1
        prefix = raw[raw.rfind(b"\n", 0, start) + 1 : start]
        column = len(prefix.decode("utf-8", errors="replace")) + 1
        return None, [_syntax_finding(display, "E002", _encoding_message(raw), line, column)]


def _encoding_message(raw: bytes) -> str:
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return (
            f"文件不是 UTF-8 编码，看起来是 {label} 编码（Windows 记事本、WPS 常见的“ANSI”）；"
            "请用“另存为 → 编码 UTF-8”保存后再试"
        )
    return "文件不是 UTF-8 编码，也不是可识别的中文编码；请另存为 UTF-8 后再试"


_PROBLEM_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"found character '\\t' that cannot start any token"),
        "不能使用制表符（Tab）缩进或分隔，请改用空格",
    ),
    (re.compile(r"found a tab character"), "不能使用制表符（Tab），请改用空格"),
    (
        re.compile(r"found unacceptable character #x([0-9a-fA-F]+)"),
        "含有不允许的控制字符 U+{0}，请删除（常见于从 Word 复制的文字）",
    ),
    (re.compile(r"special characters are not allowed"), "含有不允许的控制字符，请删除"),
    (
        re.compile(r"mapping values are not allowed"),
        "此处不能出现“: ”；文字中含半角冒号加空格时请给整段文字加引号",
    ),
    (re.compile(r"could not find expected ':'"), "缺少“:”，或上一行的缩进不对"),
    (re.compile(r"did not find expected key"), "缩进不一致，或某个键缺少“:”"),
    (
        re.compile(r"did not find expected '-' indicator"),
        "列表项缩进不一致（每一项以“- ”开头并对齐）",
    ),
    (re.compile(r"found undefined alias '?([^']*)'?"), "引用了未定义的锚点“*{0}”"),
    (re.compile(r"found unexpected end of stream"), "文件意外结束：引号或括号没有闭合"),
    (
        re.compile(r"found unknown escape character"),
        "双引号文字中含有无效的转义符“\\”，请改用单引号或写成“\\\\”",
    ),
    (
        re.compile(r"expected alphabetic or numeric character, but found"),
        "锚点或别名名称无效（以 & 或 * 开头的文字请加引号）",
    ),
    (
        re.compile(r"found character '(.)' that cannot start any token"),
        "字符“{0}”不能出现在值的开头，请给这段文字加引号",
    ),
    (
        re.compile(r"expected <block end>, but found '<block mapping start>'"),
        "缩进不一致：同一层的键必须对齐",
    ),
    (re.compile(r"expected <block end>, but found '-'"), "列表项的缩进与上一层不一致"),
    (re.compile(r"expected <block end>, but found"), "缩进不一致，或多出了内容"),
    (re.compile(r"found duplicate anchor"), "锚点名称重复"),
    (
        re.compile(r"expected a single document"),
        "文件中只能有一个 YAML 文档（请删除“---”分隔的其余部分）",
    ),
    (re.compile(r"found unexpected ':'"), "此处不能出现“:”，请给这段文字加引号"),
    (re.compile(r"while scanning a quoted scalar"), "引号没有闭合"),
]


def _translate_problem(problem: str, context: str | None) -> str:
    for pattern, chinese in _PROBLEM_TRANSLATIONS:
        match = pattern.search(problem)
        if match:
            return chinese.format(*match.groups())
    if context:
        for pattern, chinese in _PROBLEM_TRANSLATIONS:
            match = pattern.search(context)
            if match:
                return chinese.format(*match.groups())
    return f"YAML 语法错误（{problem}）"


class _Builder:
    """Turn composed nodes into dicts, lists and strings, recording marks and problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.nodes = 0
        self.too_big = False

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            if not self.too_big:
                self.too_big = True
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
                self.doc.findings.append(
                    _syntax_finding(
                        self.doc.file,
                        "E004",
                        f"结构过大或嵌套过深（超过 {MAX_NODES} 个节点或 {MAX_DEPTH} 层），"
                        "可能是锚点/别名反复展开；已停止读取",
                        line,
                        column,
                    )
                )
            return None
        self.doc.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        return None  # pragma: no cover - composer yields only these three

    @staticmethod
    def _scalar(node: ScalarNode) -> str | None:
        if node.tag == "tag:yaml.org,2002:null":
            return None
        # Everything else keeps its source text: pydantic parses numbers, booleans and dates
        # from it, and money stays exact.
        return str(node.value)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:null":
                self.doc.findings.append(
                    _syntax_finding(self.doc.file, "E005", "键必须是一段文字", line, column)
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                self.doc.findings.append(
                    _syntax_finding(
                        self.doc.file, "E007", "不支持合并键“<<”，请把内容直接写出", line, column
                    )
                )
                continue
            if key in first_seen:
                self.doc.findings.append(
                    _syntax_finding(
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
            result[key] = self.build(value_node, child, depth + 1)
        return result


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def load_text(text: str, display: str) -> Document:
    """Parse YAML text; syntax problems become findings instead of exceptions."""
    doc = Document(file=display, text=text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        message = _translate_problem(exc.problem or "", exc.context)
        char = _char_at(text, line, column)
        if char == "\t" or "\t" in (exc.problem or ""):
            message = "不能使用制表符（Tab）缩进或分隔，请改用空格"
        elif "undefined alias" in (exc.problem or ""):
            name = re.match(r"\*?([^\s,\]\}]*)", text.split("\n")[line - 1][column - 1 :])
            message = f"引用了未定义的锚点“*{name.group(1) if name else ''}”"
        elif "cannot start any token" in (exc.problem or "") and char:
            message = f"字符“{char}”不能出现在值的开头，请给这段文字加引号"
        doc.findings.append(_syntax_finding(display, "E010", message, line, column))
        return doc
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        message = f"含有不允许的控制字符 U+{code:04X}，请删除（常见于从 Word 复制的文字）"
        doc.findings.append(_syntax_finding(display, "E010", message, line, column))
        return doc
    except yaml.YAMLError as exc:
        doc.findings.append(
            _syntax_finding(display, "E010", _translate_problem(str(exc), None), 1, 1)
        )
        return doc
    if node is None:
        doc.findings.append(_syntax_finding(display, "E011", "文件是空的，没有任何报告数据", 1, 1))
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    if builder.too_big:
        doc.data = None
    elif not isinstance(doc.data, dict):
        doc.findings.append(
            _syntax_finding(
                display, "E012", "文件顶层应是“键: 值”形式的映射（例如 year: 2023）", 1, 1
            )
        )
        doc.data = None
    return doc


def load_file(path: FsPath, display: str | None = None) -> Document:
    """Read and parse one YAML file. Raises :class:`UsageError` only when it cannot be read."""
    name = display or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return Document(file=name, findings=problems)
    return load_text(text, name)
