"""What a template from someone else may do: a sandboxed Jinja environment (its package is
checked by template/package.py).

Why one module: it is one Jinja environment (``ReportSandbox``, half the module, each method a hook
Jinja calls) and the bounded helpers only it uses.
"""

from __future__ import annotations

import functools
import inspect
import operator
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from decimal import Decimal
from string import Formatter
from typing import Any

import jinja2
from jinja2 import BaseLoader, Environment, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import make_attrgetter
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum, pass_eval_context
from markupsafe import EscapeFormatter, Markup, escape
from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from reportgen.errors import TemplateError
from reportgen.layout.numbering import chinese_number
from reportgen.model import formatting
from reportgen.model.amounts import parse_decimal
from reportgen.template.limits import (
    FILTERS,
    MAX_TEXT,
    STRING_METHODS,
    RenderQuota,
    TemplateLimitError,
    items_added,
    lipsum_size,
    percent_size,
    spec_size,
    text_size,
)
from reportgen.template.merge import merged
from reportgen.template.nesting import the_templates_own

# What an XML document cannot hold (control characters but tab and line ends, lone surrogates,
# U+FFFE/FFFF): the data cannot hold them (validate refuses them), a template's expression can.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNPRINTABLE = (
    "输出的是函数，或一串尚未取出的值（如 map、select 的结果），报告中会印出程序内部的表示；"
    "函数请加括号调用，一串值请写成 …|join('、') 或 …|list"
)


def _number(value: object) -> Decimal:
    """A template may hand a filter a literal (1234.5), a string or a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return parse_decimal(value)


def _percent(value: object) -> str:
    """``percent``: its input is in percent, as the data and ``figures`` write rates — 97.89,
    Decimal('97.89') or the printed “97.89%” all give 97.89%; a ratio is multiplied by 100 first
    (``(ratio * 100)|percent``): 0.9789 is 0.98%, a rate some carry-overs really have."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        value = value.strip()[:-1].strip()
    return formatting.percent(_number(value))


def _our_filter(name: str, function: Callable[..., str]) -> Callable[..., str]:
    """One of reportgen's filters: a value the template hands it that it cannot print is the
    template author's mistake, said as such (render counts any other error raised in
    reportgen's own code as a bug of reportgen)."""

    def checked(*args: Any, **kwargs: Any) -> str:
        missing = next((a for a in args if isinstance(a, jinja2.Undefined)), None)
        if missing is not None:
            # a value the data does not have: said where it was looked up, not as a bad number
            return str(missing)
        try:
            return function(*args, **kwargs)
        except (ValueError, TypeError, ArithmeticError) as exc:  # PydanticCustomError too
            # imported when needed: a render that goes well never loads the explanations
            from reportgen.template.explain import cause, shown_value

            if isinstance(exc, TypeError) and _raised_by_the_call(exc):
                raise TemplateError(f"过滤器 {name} 不接受这样的参数（个数或名称不对）") from exc
            shown = ", ".join(shown_value(a) for a in args)
            reason = str(exc) if isinstance(exc, PydanticCustomError) else cause(exc)
            raise TemplateError(f"过滤器 {name} 无法处理 {shown}（{reason}）") from exc

    return checked


def _raised_by_the_call(error: TypeError) -> bool:
    """Whether ``error`` was raised by calling a function with arguments it does not take
    (its own code never ran: the traceback ends in the caller)."""
    return error.__traceback__ is not None and error.__traceback__.tb_next is None


def _size(value: Any) -> int:
    return text_size(value, MAX_TEXT)


_ITERATE = "iterate_in_quota"  # an environment attribute no template can name


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with loops and ``~`` routed through the environment's quota."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        # Jinja would run an expression of constants while it compiles ('x'|center(10**9)),
        # before the render's quota and out of any paragraph: only literal text is computed
        # here, every expression at render (the optimizer, which does the same, is off)
        if not isinstance(node, nodes.TemplateData | nodes.Const):
            raise nodes.Impossible()
        return str(super()._output_child_to_const(node, frame, finalize))

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Jinja allows no new node types; a call of an environment attribute marks the loop
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute(_ITERATE), [node.iter], [], None, None, lineno=node.lineno
        )
        super().visit_For(node, frame)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        callee = node.node
        if isinstance(callee, nodes.EnvironmentAttribute) and callee.name == _ITERATE:
            self.write(f"environment.{_ITERATE}(")
            self.visit(node.args[0], frame)
            self.write(")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concatenate({join}, (")
        for operand in node.nodes:
            self.visit(operand, frame)
            self.write(", ")
        self.write("))")


class _BoundedFormatter(SandboxedFormatter):
    """``'{:999999999}'.format(1)``, ``'{0}' * 9999 .format(long)``: each field is sized
    from its spec and value before it is formatted, and charged after."""

    def __init__(self, env: ReportSandbox, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self.quota = env.quota

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            self.quota.ensure_text(10 * _size(value))  # !a spells é as \xe9
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.quota.ensure_text(_size(value) + spec_size(format_spec))
        return self.quota.account(super().format_field(value, format_spec))


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    pass


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def _literal_braces(xml: Markup) -> Markup:
    """Printed text whose braces are character references: docxtpl turns ``{_{``, ``}_}``,
    ``{_%`` and ``%_}`` into ``{{``, ``}}``, ``{%`` and ``%}`` in the whole rendered part (so
    that a template can show a tag as text), which would change a department's “甲&{_{乙”
    into “甲&{{乙”. No markup holds a brace, so the text alone is changed; the XML parser
    turns the references back into the braces the data holds."""
    return Markup(str(xml).translate(_BRACES)) if "{" in xml or "}" in xml else xml


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox with every operation paid from one ``RenderQuota`` per render: loop
    iterations and calls are steps, and what filters, methods, operators, ``~`` and the output
    build is text or list items, sized before it is built where a small input can ask for a
    large result. One environment serves one render (docxtpl renders every part with it)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        options["optimized"] = False  # see _BoundedCodeGenerator._output_child_to_const
        self.quota = RenderQuota()
        # what a render printed, to tell which of the report's sections it left out
        self.printed: set[int] = set()
        self.watched: dict[int, set[str]] = {}  # id of a context dict → the keys read from it
        super().__init__(**options)
        self.finalize = self._output
        self.concat = self._concat  # type: ignore[method-assign]
        setattr(self, _ITERATE, self.quota.iterate)

    def fresh_quota(self) -> None:
        """Start the next render with a whole quota: an environment whose compiled templates
        are kept for a batch serves one render at a time, each with its own limits."""
        self.quota = RenderQuota()
        setattr(self, _ITERATE, self.quota.iterate)
        self.printed = set()
        self.watched = {}

    # -- attributes: pydantic's own methods are not part of the template contract

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if (
            isinstance(obj, BaseModel)
            and attr not in type(obj).model_fields
            and hasattr(BaseModel, attr)
        ):
            return False  # model_dump_json(indent=10**9), model_copy(…) …
        return super().is_safe_attribute(obj, attr, value)

    # -- output, ``~`` and the text of every part

    def none_printed(self) -> Any:
        """What to print for a value that is not there (None): nothing is ever printed as
        “None”. A render refuses; a template check records where and goes on."""
        raise TemplateError(
            "输出了一个空值（这份数据中没有它），报告中会印出“None”；"
            "请用 {% if … %} … {% endif %} 判断后再输出"
            "（reportgen template check 模板 数据.yaml 可列出它在模板中的位置）"
        )

    def watch(self, mapping: dict[str, Any]) -> None:
        """Remember the keys a template reads from ``mapping`` (``paragraphs``, say)."""
        self.watched[id(mapping)] = set()

    def getitem(self, obj: Any, argument: Any) -> Any:
        keys = self.watched.get(id(obj)) if self.watched else None
        if keys is not None and isinstance(argument, str):
            keys.add(argument)
        return super().getitem(obj, argument)

    def getattr(self, obj: Any, attribute: str) -> Any:
        keys = self.watched.get(id(obj)) if self.watched else None
        if keys is not None:
            keys.add(attribute)
        return super().getattr(obj, attribute)

    @pass_eval_context
    def _output(self, eval_ctx: EvalContext, value: Any) -> Any:
        """Every ``{{ }}``: sized before it becomes text (a list of one long string repeated
        is small until printed), escaped here so that its real length is charged."""
        quota = self.quota
        if value is None:
            value = self.none_printed()
        if type(value) is not str:  # the common case, made cheap
            if (callable(value) or isinstance(value, Iterator)) and not isinstance(
                value, jinja2.Undefined
            ):
                raise TemplateError(UNPRINTABLE)
            self.printed.add(id(value))
            quota.ensure_text(_size(value))
        text = _literal_braces(escape(value)) if eval_ctx.autoescape else str(value)
        quota.charge_text(len(text))
        unheld = _NOT_IN_XML.search(text)
        if unheld is not None:
            raise TemplateError(
                f"输出了 Word 文档无法容纳的字符 U+{ord(unheld[0]):04X}（控制字符等），报告无法生成；"
                "请检查模板中写出它的表达式（如 '\\x01'、'%c' % 0）"
            )
        return text

    def concatenate(self, join: Callable[[Iterable[Any]], str], operands: tuple[Any, ...]) -> str:
        self.quota.ensure_text(sum(_size(operand) for operand in operands))
        result = join(operands)
        self.quota.charge_text(len(result))
        return result

    def _concat(self, pieces: Iterable[str]) -> str:
        """The text of a part, a macro, a ``{% set %}`` or ``{% filter %}`` block, charged
        piece by piece: static text repeated by a loop counts too."""
        quota, collected = self.quota, []
        for piece in pieces:
            try:
                quota.charge_text(len(piece))
            except TemplateLimitError as exc:
                if isinstance(pieces, Generator):  # raised where the template is: its line
                    pieces.throw(exc)
                raise
            collected.append(piece)
        return "".join(collected)

    # -- operators

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        with the_templates_own():
            return self._binop(operator_name, left, right)

    def _binop(self, operator_name: str, left: Any, right: Any) -> Any:
        quota = self.quota
        quota.check()
        if operator_name == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                quota.ensure_bits(left.bit_length() * right)
            return quota.account(operator.pow(left, right))
        if operator_name == "%":
            if isinstance(left, str):
                quota.ensure_text(percent_size(left, right, quota.text_left()))
            return quota.account(operator.mod(left, right))
        if operator_name == "+":
            if isinstance(left, str | bytes) and isinstance(right, str | bytes):
                quota.ensure_text(len(left) + len(right))
            elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
                quota.ensure_items(len(left) + len(right))
            return quota.account(operator.add(left, right))
        for sequence, times in ((left, right), (right, left)):
            if isinstance(times, int) and not isinstance(sequence, int):
                if isinstance(sequence, str | bytes):
                    quota.ensure_text(len(sequence) * times)
                elif isinstance(sequence, list | tuple):
                    quota.ensure_items(len(sequence) * times)
        if isinstance(left, int) and isinstance(right, int):
            quota.ensure_bits(left.bit_length() + right.bit_length())
        return quota.account(operator.mul(left, right))

    # -- calls: macros nest, everything else is sized

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        quota = __self.quota
        quota.step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (quota.iterate(args[0]), *args[1:])
        if isinstance(__obj, Macro | LoopContext | BlockReference):
            with quota.nested():
                return super().call(__context, __obj, *args, **kwargs)
        args = __self._size_call(__obj, args, kwargs)
        owner = getattr(__obj, "__self__", None)
        before = len(owner) if isinstance(owner, list | dict | set) else None
        with quota.watching():
            result = super().call(__context, __obj, *args, **kwargs)
        if before is not None:
            quota.charge_items(max(len(owner) - before, 0))  # type: ignore[arg-type]
        return quota.account(result)

    def _size_call(self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Refuse a call whose result would be too large; return the arguments to call with."""
        quota = self.quota
        owner, name = getattr(obj, "__self__", None), getattr(obj, "__name__", "")
        if obj is generate_lorem_ipsum:
            quota.ensure_text(_sized(lipsum_size, args, kwargs))
        elif isinstance(owner, str | bytes):
            if name == "join" and args:
                with the_templates_own():
                    items = list(args[0])
                quota.ensure_text(sum(_size(i) for i in items) + len(owner) * len(items))
                return (items, *args[1:])
            if name in STRING_METHODS:
                quota.ensure_text(_sized(STRING_METHODS[name], (owner, *args), kwargs))
        elif isinstance(owner, int) and name == "to_bytes":
            quota.ensure_text(_sized(lambda length=1, *_, **__: _whole(length), args, kwargs))
        elif isinstance(owner, list | dict | set) or owner in (list, dict):
            quota.ensure_items(items_added(name, args, kwargs))
        elif not isinstance(owner, int | float | Decimal | tuple | range):
            # someone else's method (a section's add(), a cycler): what it is handed may
            # be copied into what it keeps
            quota.charge_text(_size(args) + _size(kwargs))
        return args

    # -- str.format: the sandbox wraps it on attribute access; size every field

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter: Formatter
        if isinstance(text, Markup):
            formatter = _BoundedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = _BoundedFormatter(self)
        is_format_map = value.__name__ == "format_map"

        @functools.wraps(value)
        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    return wrapped(*args, **kwargs)  # let the sandbox raise its TypeError
                return type(text)(formatter.vformat(text, (), args[0]))
            return type(text)(formatter.vformat(text, args, kwargs))

        return bounded


def _whole(number: Any) -> int:
    return max(number, 0) if isinstance(number, int) else 0


def _sized(sizer: Callable[..., int], args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """The size ``sizer`` predicts; 0 when the arguments do not fit, so the call itself
    raises the TypeError the template author should see."""
    try:
        return sizer(*args, **kwargs)
    except (TypeError, ValueError, AttributeError):
        return 0


def bounded_filter(env: ReportSandbox, name: str, function: Callable[..., Any]) -> Any:
    """``function`` as a filter of ``env`` that is a step, sized before it runs (by its name, if
    FILTERS knows it) and charged after."""
    sizer = FILTERS.get(name)
    lead = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        quota = env.quota
        quota.step()
        passed, rest = args[:lead], args[lead:]
        if sizer is not None and rest:
            quota.ensure_text(_size(rest[0]))  # before any str(value) in the sizer
            quota.ensure_text(_sized(sizer, rest, kwargs))
        elif name in {"join", "sum"} and rest:
            with the_templates_own():
                args, kwargs = _read_whole_input(env, function, args, kwargs)
            passed, rest = args[:lead], args[lead:]
        elif name in {"batch", "slice"} and len(rest) > 1:
            fills = name == "slice" or len(rest) > 2 or kwargs.get("fill_with") is not None
            quota.ensure_items(_whole(rest[1]) if fills else 0)
        with quota.watching():
            try:
                result = function(*passed, *rest, **kwargs)
            except TypeError as exc:
                if _raised_by_the_call(exc):
                    # raised by the call itself: the filter does not take these arguments
                    raise TemplateError(
                        f"过滤器 {name} 不接受这样的参数（个数或名称不对）"
                    ) from exc
                raise
        return quota.account(result)

    return run


def _read_whole_input(
    env: ReportSandbox, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``join`` and ``sum`` read their whole input: read it here first, and size the result
    (``[long] * 99999`` is short as a list and enormous joined)."""
    quota = env.quota
    bound = inspect.signature(function).bind(*args, **kwargs)
    given = bound.arguments
    source = "value" if "value" in given else "iterable"
    values = list(given[source])
    attribute = given.pop("attribute", None)
    if attribute is not None:
        values = list(map(make_attrgetter(env, attribute), values))
    quota.charge_items(len(values))
    given[source] = values
    if "d" in inspect.signature(function).parameters:  # join
        separator = _size(given.get("d", ""))
        quota.ensure_text(sum(_size(v) for v in values) + separator * len(values))
    else:  # sum of lists concatenates them
        quota.ensure_items(sum(len(v) for v in values if isinstance(v, list | tuple)))
    return bound.args, bound.kwargs


class _NoOtherFiles(BaseLoader):
    """A report template is one .docx: ``include``, ``extends`` and ``import`` of another file
    are refused in Chinese (without a loader Jinja says “no loader for this environment”)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, None]:
        raise TemplateLimitError(
            f"引用了其他模板文件“{template[:80]}”（include、extends、import），不允许；"
            "请把内容直接写在模板中，重复的部分可用 macro 定义"
        )


def jinja_environment() -> ReportSandbox:
    """Templates come from other people: sandboxed, autoescaped, every name must exist.

    Make one per render, or call ``fresh_quota`` before each: the environment carries that
    render's quota."""
    env = ReportSandbox(autoescape=True, undefined=StrictUndefined, loader=_NoOtherFiles())
    env.filters.update(
        money=_our_filter(
            "money", lambda v, thousands=True: formatting.money(_number(v), thousands)
        ),
        percent=_our_filter("percent", _percent),
        score=_our_filter("score", lambda value: formatting.score(_number(value))),
        cn_number=_our_filter("cn_number", chinese_number),
        merged=_our_filter("merged", merged),
    )
    env.filters = {name: bounded_filter(env, name, f) for name, f in env.filters.items()}
    return env
