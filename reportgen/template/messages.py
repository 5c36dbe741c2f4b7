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
        re.compile(r"unexpected '(?P<got>[^']+)', expected '(?P<want>[^']+)'"),
        lambda m: f"括号没有成对出现：此处应为“{m['want']}”，实际为“{m['got']}”",
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
    (
        re.compile(r"No (?P<what>filter|test) named '(?P<name>[^']+)'"),
        lambda m: f"没有{'过滤器' if m['what'] == 'filter' else '判断'}“{m['name']}”",
    ),
    (
        re.compile(r"block '(?P<name>[^']+)' defined twice"),
        lambda m: f"块“{m['name']}”定义了两次",
    ),
    (re.compile(r"expected name or number"), lambda m: "“.”之后应为名称或数字"),
    (re.compile(r"expected subscript expression"), lambda m: "[ ] 中缺少内容"),
    (re.compile(r"invalid syntax for function call"), lambda m: "函数调用的写法有误"),
    (re.compile(r"chain multiple tests with is"), lambda m: "不能连用多个 is 判断"),
    (
        re.compile(r"non-default argument follows default argument"),
        lambda m: "macro 中没有默认值的参数须写在有默认值的参数之前",
    ),
    (re.compile(r"^expected call"), lambda m: "{% call %} 之后应为一次调用"),
    (
        re.compile(r"[Cc]an't assign to special loop variable"),
        lambda m: "loop 是 for 循环自带的变量，不能赋值",
    ),
    (re.compile(r"can't assign to"), lambda m: "赋值的左边应为变量名"),
    (
        re.compile(r"Block names in Jinja have to be valid"),
        lambda m: "块名只能由字母、数字和下划线组成（不能有连字符）",
    ),
    (re.compile(r"Invalid character in identifier"), lambda m: "名称中有不能使用的字符"),
    (re.compile(r"missing end of comment tag"), lambda m: "注释 {# 缺少对应的 #}"),
    (
        re.compile(r"names starting with an underline"),
        lambda m: "不能导入以下划线开头的名称",
    ),
    (
        re.compile(r"special 'caller' argument"),
        lambda m: "macro 的参数 caller 不能写，或须给出默认值",
    ),
    (re.compile(r"extend"), lambda m: "extends 只能写在模板的最外层，且只能写一次"),
]


def translate(message: str) -> str:
    """Jinja's syntax message in Chinese; one it has no words for is said without its English."""
    for pattern, say in _TRANSLATIONS:
        match = pattern.search(message)
        if match:
            return say(match)
    return "标签写法有误，无法读懂（请检查其中的括号、引号和标签名）"
