"""libyaml's syntax errors in Chinese, at the line and column an editor shows."""

from __future__ import annotations

import re

import yaml

# Patterns, not compiled ones: only a file with a syntax error needs them (re caches them then),
# and compiling the 31 cost every start-up 1.5 ms.
_PROBLEM_TRANSLATIONS: list[tuple[str, str]] = [
    (
        r"found character '\\t' that cannot start any token",
        "不能使用制表符（Tab）缩进或分隔，请改用空格",
    ),
    (r"found a tab character", "不能使用制表符（Tab），请改用空格"),
    (
        r"found unacceptable character #x([0-9a-fA-F]+)",
        "含有不允许的控制字符 U+{0}，请删除（常见于从 Word 复制的文字）",
    ),
    (r"special characters are not allowed", "含有不允许的控制字符，请删除"),
    (
        r"mapping values are not allowed",
        "此处不能出现“: ”；文字中含半角冒号加空格时请给整段文字加引号",
    ),
    (r"could not find expected ':'", "缺少“:”，或上一行的缩进不对"),
    (r"did not find expected key", "缩进不一致，或某个键缺少“:”"),
    (
        r"did not find expected '-' indicator",
        "列表项缩进不一致（每一项以“- ”开头并对齐）",
    ),
    (r"found undefined alias '?([^']*)'?", "引用了未定义的锚点“*{0}”"),
    (r"found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    (
        r"found unknown escape character",
        "双引号文字中含有无效的转义符“\\”，请改用单引号或写成“\\\\”",
    ),
    (
        r"expected alphabetic or numeric character",
        "锚点或别名名称无效（以 & 或 * 开头的文字请加引号）",
    ),
    (
        r"hexdecimal number|invalid Unicode character escape",
        "双引号文字中的转义码（\\x、\\u、\\U）无效；请直接写出这个字符，或改用单引号",
    ),
    (
        r"block sequence entries are not allowed",
        "此处不能开始列表：“- ”应另起一行，并比上一层的键多缩进",
    ),
    (
        r"directive|incompatible YAML document",
        "以“%”开头的行会被当成 YAML 指令，不支持；请删除，或给这段文字加引号",
    ),
    (
        r"expected '>'|undefined tag handle|while (scanning|parsing) a tag",
        "以“!”开头的文字会被当成 YAML 标签；请给这段文字加引号",
    ),
    (
        r"did not find expected <document start>",
        "文件中只能有一个 YAML 文档（“...”或“---”之后不能再有内容）",
    ),
    (r"did not find expected node content", "此处缺少内容：括号、引号或列表项不完整"),
    (
        r"expected comment or line break",
        "这一行多出了内容：“|”“>”或引号闭合之后不能再接文字，正文请另起一行",
    ),
    (
        r"found character '(.)' that cannot start any token",
        "字符“{0}”不能出现在值的开头，请给这段文字加引号",
    ),
    (
        r"expected <block end>, but found '<block mapping start>'",
        "缩进不一致：同一层的键必须对齐",
    ),
    (r"expected <block end>, but found '-'", "列表项的缩进与上一层不一致"),
    (r"expected <block end>, but found", "缩进不一致，或多出了内容"),
    (r"found duplicate anchor", "锚点名称重复"),
    (
        r"expected a single document",
        "文件中只能有一个 YAML 文档（请删除“---”分隔的其余部分）",
    ),
    (r"found unexpected ':'", "此处不能出现“:”，请给这段文字加引号"),
    (r"while scanning a quoted scalar", "引号没有闭合"),
]


def translate_problem(problem: str, context: str | None) -> str:
    for pattern, chinese in _PROBLEM_TRANSLATIONS:
        match = re.search(pattern, problem)
        if match:
            return chinese.format(*match.groups())
    if context:
        for pattern, chinese in _PROBLEM_TRANSLATIONS:
            match = re.search(pattern, context)
            if match:
                return chinese.format(*match.groups())
    return f"YAML 语法错误，请检查这一行及上一行的缩进、引号和括号（{problem}）"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


_KEY = r"(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)"
# (pattern, group whose start the message points at, message); the key is group 1
_LINE_HINTS: list[tuple[str, str, str]] = [
    (
        rf"^\s*{_KEY}\s*(?P<at>：)",
        "at",
        "键“{key}”后用了全角冒号“：”，应为半角冒号加空格，如“{key}: 值”",
    ),
    (r"^ *(?P<at>\u3000)", "at", "这一行用全角空格（　）缩进，请改用半角空格"),
    (
        rf"^\s*{_KEY}:(?P<at>\u3000)",
        "at",
        "键“{key}”后的冒号后面是全角空格，应为半角空格，如“{key}: 值”",
    ),
    (
        rf"^\s*{_KEY}(?P<at>:)(?=[^\s/:])",
        "at",
        "键“{key}”后的冒号后面缺少空格，应写成“{key}: 值”",
    ),
]


def _line_hint(lines: list[str], line: int) -> tuple[str, int, int] | None:
    """A common slip on the error line or just above it: full-width “：” or space, “key:value”."""
    for number in range(line, max(line - 4, 0), -1):
        if number > len(lines):
            continue
        text = lines[number - 1]
        for pattern, group, message in _LINE_HINTS:
            match = re.match(pattern, text)
            if match:
                key = match.group(1) if match.re.groups > 1 else ""
                return message.format(key=key), number, match.start(group) + 1
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _continuation_hint(lines: list[str], line: int) -> tuple[str, int, int] | None:
    """A key indented deeper than the “key: value” line above it reads as that value's next
    line, and libyaml then complains about the “: ” it finds there."""
    if not 1 < line <= len(lines):
        return None
    current = lines[line - 1]
    number = next(
        (
            n
            for n in range(line - 1, 0, -1)
            if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")
        ),
        None,
    )
    if number is None:
        return None
    previous = lines[number - 1]
    if _indent(current) <= _indent(previous):
        return None
    above = re.match(rf"^\s*{_KEY}:\s+\S", previous)
    if above is None or previous.rstrip().endswith(("|", ">", "|-", ">-")):
        return None
    return (
        f"这一行与第 {number} 行（键“{above.group(1)}”）缩进不一致：这一行缩进得更多，"
        f"被当成了第 {number} 行的值的续行；同一层的键必须左对齐",
        line,
        _indent(current) + 1,
    )


_LONGEST_KEY = 1024


def syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[str, int, int]:
    """A Chinese message and the line and column for a libyaml syntax error."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    lines = text.split("\n")
    message = translate_problem(problem, exc.context)
    char = _char_at(text, line, column)
    if char == "\t" or "\t" in problem:
        return "不能使用制表符（Tab）缩进或分隔，请改用空格", line, column
    if "undefined alias" in problem:
        name = re.match(r"\*?([^\s,\]\}]*)", lines[line - 1][column - 1 :])
        return f"引用了未定义的锚点“*{name.group(1) if name else ''}”", line, column
    start = exc.context_mark
    if (
        "could not find expected ':'" in problem
        and "simple key" in (exc.context or "")
        and start is not None
        and mark is not None
        and mark.line == start.line
        and mark.column - start.column >= _LONGEST_KEY
    ):  # a key YAML gives up on: it looks no further than 1,024 characters for its “:”
        return (
            f"这一行冒号“:”之前的文字超过 {_LONGEST_KEY} 个字符，YAML 不把它当作键；"
            "键名请写短，长文字写在“键: ”之后",
            start.line + 1,
            start.column + 1,
        )
    hint = _line_hint(lines, line)
    if hint is not None:
        return hint
    row = lines[line - 1] if line <= len(lines) else ""
    jinja = re.search(r"(?:^|:\s|-\s)\s*(\{[{%#])", row)
    if jinja is not None and jinja.start(1) < column:
        return (
            f"以“{jinja.group(1)}”开头的文字会被当成 YAML 的“{{ }}”映射；请给整段文字加引号",
            line,
            jinja.start(1) + 1,
        )
    quote = exc.context_mark
    if (
        "end of stream" in problem
        and "quoted scalar" in (exc.context or "")
        and quote is not None
        and line - (quote.line + 1) > 1
    ):  # point at the opening quote, not at the end of the file
        return (
            "这里开始的引号没有闭合（直到文件末尾都没有找到对应的引号）",
            quote.line + 1,
            quote.column + 1,
        )
    if "escape" in problem or "hexdecimal" in problem:  # point at the backslash
        backslash = row.rfind("\\", 0, column)
        column = backslash + 1 if backslash >= 0 else column
    if "cannot start any token" in problem and char:
        message = f"字符“{char}”不能出现在值的开头，请给这段文字加引号"
    elif "expected ',' or" in problem and exc.context_mark is not None:
        bracket = "[" if "']'" in problem else "{"
        start = exc.context_mark
        message = (
            f"第 {start.line + 1} 行第 {start.column + 1} 列的“{bracket}”没有闭合，"
            "或其中两项之间缺少逗号“,”"
        )
    elif "mapping values are not allowed" in problem:
        hint = _continuation_hint(lines, line)
        if hint is not None:
            return hint
    elif "did not find expected key" in problem and re.search(
        r"[\"']\s*$", lines[line - 1][: column - 1] if line <= len(lines) else ""
    ):
        message = (
            "引号闭合之后不能再接文字；文字中含引号时，请用另一种引号把整段括起来"
            "（如 '他说\"好\"' 或 \"它的'名字'\"）"
        )
    return message, line, column
