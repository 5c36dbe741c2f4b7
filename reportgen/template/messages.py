"""Jinja's messages about a template, said in Chinese, with “did you mean” for names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from reportgen.findings import did_you_mean

VARS_COMMAND = "reportgen template vars"
# Jinja's own statement names, for “did you mean” on a mistyped tag
JINJA_TAGS = (
    "for",
    "endfor",
    "if",
    "elif",
    "else",
    "endif",
    "set",
    "endset",
    "macro",
    "endmacro",
    "call",
    "endcall",
    "filter",
    "endfilter",
    "with",
    "endwith",
)
# full-width characters a Chinese input method types inside a tag, and what Jinja wants
FULL_WIDTH = {
    "（": "(",
    "）": ")",
    "，": ",",
    "．": ".",
    "。": ".",
    "：": ":",
    "＝": "=",
    "｜": "|",
    "［": "[",
    "］": "]",
    "＇": "'",
    "＂": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "　": " ",
    "％": "%",
    "｛": "{",
    "｝": "}",
    "＜": "<",
    "＞": ">",
    "＋": "+",
    "－": "-",
}


def suggestion(name: str, known: Iterable[str]) -> str:
    """“（是否想写“x”？）” for the closest known name, or nothing."""
    return did_you_mean(name, sorted(set(known)))


def _unknown_tag(match: re.Match[str]) -> str:
    tag = match["tag"]
    rest = match["rest"] or ""
    if tag.startswith("end"):
        return f"多出的 {{% {tag} %}}：前面没有与之对应的 {{% {tag[3:]} … %}}"
    if tag in {"elif", "else"}:
        return f"多出的 {{% {tag} %}}：它不在 {{% if %}} 或 {{% for %}} 之中"
    if tag in {"tr", "tc"}:
        where = "行" if tag == "tr" else "单元格"
        return (
            f"{{%{tag} … %}} 只能写在表格的{where}中，且“{tag}”与 % 之间不能有空格"
            f"（应写 {{%{tag} … %}}）"
        )
    if tag in {"p", "r"}:
        return f"“{tag}”与 % 之间不能有空格：应写 {{%{tag} … %}}"
    wanted = re.search(r"looking for the following tags: (.*?)\.", rest)
    if wanted:
        inner = re.search(r"innermost block that needs to be closed is '(\w+)'", rest)
        block = inner[1] if inner else ""
        return f"未知的标签“{tag}”{suggestion(tag, JINJA_TAGS)}；此前的 {{% {block} %}} 尚未结束"
    return f"未知的标签“{tag}”{suggestion(tag, JINJA_TAGS)}"


def _unexpected_char(match: re.Match[str]) -> str:
    char = match["char"]
    if char in FULL_WIDTH:
        return f"标签中有全角字符“{char}”，应为半角“{FULL_WIDTH[char]}”（请切换到英文输入法）"
    return f"标签中有无法识别的字符“{char}”"


def unclosed_message(block: str) -> str:
    return f"标签没有成对出现：{{% {block} %}} 缺少对应的 {{% end{block} %}}"


def _end_of_template(match: re.Match[str]) -> str:
    return unclosed_message(match["block"])


def _expected(match: re.Match[str]) -> str:
    return f"标签写法有误：此处应为“{_token(match['want'])}”，实际为“{_token(match['got'])}”"


def _token(name: str) -> str:
    return {
        "end of print statement": "}}",
        "end of statement block": "%}",
        "name": "名称",
        "in": "in",
        "end of template": "模板结束",
    }.get(name, name)


_TRANSLATIONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"Encountered unknown tag '(?P<tag>[^']+)'\.(?P<rest>.*)", re.S),
        _unknown_tag,
    ),
    (re.compile(r"unexpected char '(?P<char>.)' at \d+"), _unexpected_char),
    (
        re.compile(
            r"Unexpected end of template\. Jinja was looking for the following tags: .*"
            r"The innermost block that needs to be closed is '(?P<block>\w+)'",
            re.S,
        ),
        _end_of_template,
    ),
    (
        re.compile(r"unexpected end of template, expected '(?P<want>[^']+)'"),
        lambda m: f"标签没有写完：缺少“{_token(m['want'])}”",
    ),
    (
        re.compile(r"expected token '(?P<want>[^']+)', got '(?P<got>[^']+)'"),
        _expected,
    ),
    (
        re.compile(r"unexpected '(?P<got>[^']+)'"),
        lambda m: f"标签写法有误：此处不应出现“{_token(m['got'])}”",
    ),
    (re.compile(r"tag name expected"), lambda m: "{% %} 中缺少标签名（如 for、if）"),
    (
        re.compile(r"Expected an expression, got '(?P<got>[^']+)'"),
        lambda m: f"标签中缺少表达式（实际为“{_token(m['got'])}”）",
    ),
    (
        re.compile(r"expected an expression|Expected an expression", re.I),
        lambda m: "标签中缺少表达式",
    ),
    (
        re.compile(r"unexpected end of template", re.I),
        lambda m: "标签没有写完",
    ),
]


def translate(message: str) -> str:
    """Jinja's syntax message in Chinese; one it has no words for is kept, marked as Jinja's."""
    for pattern, say in _TRANSLATIONS:
        match = pattern.search(message)
        if match:
            return say(match)
    return f"标签写法有误（Jinja 原文：{message}）"


def translate_undefined(message: str) -> str:
    """Jinja's message about a missing value, in Chinese."""
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        return f"变量“{match[1]}”不存在"
    match = re.search(r"'dict object' has no (?:attribute|element) '?([^']+)'?", message)
    if match:
        return f"这份数据中没有“{match[1]}”（未公布的数字、未写的节不在其中）"
    match = re.search(r"'([^']+)' has no (?:attribute|element) '?([^']+)'?", message)
    if match:
        return f"“{match[1].removesuffix(' object')}”没有“{match[2]}”"
    return message


# What went wrong in an expression of the template, by Python's name for it
_EXPRESSION_ERRORS = {
    "ZeroDivisionError": "除数为零",
    "OverflowError": "数值超出允许的范围",
    "TypeError": "参与运算的值类型不符（如数字与文字相加）",
    "ValueError": "取值无效",
    "KeyError": "没有这个键",
    "IndexError": "序号超出范围",
    "AttributeError": "没有这个属性",
}


def expression_error(error: BaseException) -> str:
    """An error an expression of the template raised, in Chinese, Python's words kept after."""
    name = type(error).__name__
    reason = next(
        (text for kind, text in _EXPRESSION_ERRORS.items() if _is_a(error, kind)), "运行出错"
    )
    return f"表达式执行出错：{reason}（{name}: {error}）"


def _is_a(error: BaseException, kind: str) -> bool:
    return any(cls.__name__ == kind for cls in type(error).__mro__)
