"""How deeply one tag may nest: counted from Jinja's tokens before the tag is parsed, since
Jinja parses and compiles expressions by recursion; and how an error an operation raised for a
template is marked as the template's (see sandbox.call_binop, run.raised_in_reportgen)."""

from __future__ import annotations

from collections.abc import Iterable

from jinja2.lexer import operators as OPERATOR_TOKENS

# One tag's expression: Jinja parses and compiles it by recursion, a level or more of Python's
# stack per bracket, filter, attribute or operator in a chain; 3,000 nested brackets or 5,000
# chained filters overflow it. Counted from Jinja's own tokens (read without recursion), before
# the tag is parsed: the longest tag of the built-in templates has 6 operators and 2 brackets.
MAX_TAG_BRACKETS = 20  # ( [ { inside each other
MAX_BLOCK_NESTING = 40  # {% if %}, {% for %} … inside each other (the built-in templates: 3)
MAX_TAG_OPERATORS = 60  # filters, tests, attributes, operators in one tag
_OPENERS = {"lparen", "lbracket", "lbrace"}
_CLOSERS = {"rparen", "rbracket", "rbrace"}
_OPERATORS = {
    "pipe", "dot", "add", "sub", "mul", "div", "floordiv", "mod", "pow", "tilde",
    "eq", "ne", "lt", "lteq", "gt", "gteq",
}  # fmt: skip
_WORD_OPERATORS = {"and", "or", "not", "is", "in", "if"}


def tag_complexity(tokens: Iterable[tuple[int, str, str]]) -> str | None:
    """Why a tag (Jinja's tokens of it) is too deeply nested to parse, or ``None``."""
    depth = deepest = operators = 0
    for _, token, value in tokens:
        kind = OPERATOR_TOKENS.get(value, token) if token == "operator" else token
        if kind in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif kind in _CLOSERS:
            depth -= 1
        elif kind in _OPERATORS or (kind == "name" and value in _WORD_OPERATORS):
            operators += 1
        if deepest > MAX_TAG_BRACKETS:
            return f"括号嵌套超过 {MAX_TAG_BRACKETS} 层，无法处理，请拆成几步（{{% set %}}）"
        if operators > MAX_TAG_OPERATORS:
            return (
                f"一个标签中的过滤器、属性和运算符超过 {MAX_TAG_OPERATORS} 个，无法处理，"
                "请拆成几步（{% set %}）"
            )
    return None


# set on an error an operation raised for the template (see sandbox.call_binop)
TEMPLATES_OWN = "reportgen_raised_for_template"
TOO_DEEP = "表达式嵌套过深或过于复杂（如上千层括号、上千个连用的过滤器），无法处理"
