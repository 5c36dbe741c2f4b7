"""How deeply a template may nest: blocks inside blocks, and one tag's brackets and chained
operators, counted from the tags' text and Jinja's tokens before anything is parsed, since Jinja
parses and compiles by recursion. ``nesting_problems`` is the one check ``template check`` and
every render make (through run.template_text_dropped), so that both refuse the same templates.
And how an error an operation raised for a template is marked as the template's (see
sandbox.call_binop, run.raised_in_reportgen)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import jinja2
from jinja2.lexer import operators as OPERATOR_TOKENS

from reportgen.template.source import TAG, Block, Dropped, Marking

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


BLOCK_STATEMENTS = {"for", "if", "macro", "call", "filter", "with"}
_LEXER = jinja2.Environment().lexer  # the sandbox's delimiters are Jinja's own


def quoted(tag: str) -> str:
    """A tag as a message quotes it before saying what is wrong with it."""
    short = tag if len(tag) <= 40 else f"{tag[:39]}…"
    return f"{short}："


def too_deep_blocks(tag: str) -> str:
    return (
        f"{quoted(tag)}{{% if %}}、{{% for %}} 等块嵌套超过 {MAX_BLOCK_NESTING} 层，"
        "无法处理，请减少嵌套"
    )


def complexity(tag: str) -> str | None:
    """Why ``tag`` is nested too deeply to parse (counted from its tokens), or ``None``."""
    try:
        return tag_complexity(_LEXER.tokeniter(tag, None))
    except jinja2.TemplateSyntaxError:
        return None  # the parse says what is wrong


def pair(tag: str, block: Block | None, opened: list[tuple[str, Block | None]]) -> None:
    """Follow which blocks are open: a closing tag closes the innermost block of its kind
    (one that closes nothing is the whole part's parse error, reported by the trial render)."""
    match = re.match(r"\{%-?(?:(?:p|tr|tc)\s)?\s*(\w*)", tag)
    if match is None:
        return
    word = match[1]
    if word not in BLOCK_STATEMENTS:
        close = difflib.get_close_matches(word, sorted(BLOCK_STATEMENTS), n=1, cutoff=0.6)
        word = close[0] if close and not word.startswith("end") else word
    if word in BLOCK_STATEMENTS or (word == "set" and "=" not in tag):
        opened.append((word, block))
    elif word.startswith("end") and any(w == word[3:] for w, _ in opened):
        while opened and opened.pop()[0] != word[3:]:
            pass


def nesting_problems(marking: Marking) -> list[Dropped]:
    """Each tag nested past a limit in a marked template: its own brackets or chained
    operators, or the blocks open around it in its part (said once: past that, Jinja cannot
    compile the part). Marked ``stops``: no trial render gets past too deep a nesting."""
    found: list[Dropped] = []
    for block in marking.blocks:
        if block.kind == "row":
            continue  # its cells are blocks of their own
        for match in TAG.finditer(block.text):
            reason = complexity(match[0]) if not match[0].startswith("{#") else None
            if reason is not None:
                found.append(Dropped(block, f"{quoted(match[0])}{reason}"))
    opened: list[tuple[str, Block | None]] = []
    part = None
    for placed in marking.tags:
        if placed.part != part:
            opened, part = [], placed.part
        block = marking.blocks[placed.block]
        pair(placed.tag, block, opened)
        if len(opened) > MAX_BLOCK_NESTING:
            found.append(Dropped(block, too_deep_blocks(placed.tag), stops=True))
            break
    return found


# set on an error an operation raised for the template (see sandbox.call_binop)
TEMPLATES_OWN = "reportgen_raised_for_template"


@contextmanager
def the_templates_own() -> Iterator[None]:
    """An error raised here by a value the template handed over (``5|join``, ``for x in 5``,
    ``'%d' % department``) is the template's mistake, though reportgen's code raised it."""
    try:
        yield
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        setattr(exc, TEMPLATES_OWN, True)
        raise


TOO_DEEP = "表达式嵌套过深或过于复杂（如上千层括号、上千个连用的过滤器），无法处理"
