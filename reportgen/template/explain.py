"""What went wrong while a template ran, said in Chinese: the error an expression of the template
raised (``'%s %s' % department``, ``department + 1``, a filter given the wrong argument), a value
not there, an operation the sandbox refused. Python's and Jinja's own English never reaches the
message: each common shape of their text is read for its facts (the operator, the kinds of value,
the name) and said again; any other is said by its kind of error alone.

Why one module: it is one table — the shapes of Python's and Jinja's messages, each with the
small function that says it in Chinese — read in order by ``cause``."""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE

# Python's names of the kinds of value a template meets, as a template author says them
_KINDS = {
    "str": "文字",
    "Markup": "文字",
    "int": "整数",
    "float": "小数",
    "Decimal": "数字",
    "bool": "真假值",
    "NoneType": "空值",
    "None": "空值",
    "list": "列表",
    "tuple": "列表",
    "dict": "映射",
    "set": "集合",
    "frozenset": "集合",
    "range": "range 数列",
    "bytes": "字节串",
    "generator": "生成器",
    "function": "函数",
    "builtin_function_or_method": "函数",
    "method": "函数",
    "Macro": "宏",
    "LoopContext": "loop",
    "Cycler": "cycler",
    "Joiner": "joiner",
    "Namespace": "namespace",
    "string": "文字",
    "integer": "整数",
}
_UNDEFINED = "不存在的值"


def kind(python_name: str) -> str:
    """The kind of value Python calls ``python_name`` (“str”, “x.y.Section object”), in Chinese."""
    name = python_name.removesuffix(" object").rsplit(".", 1)[-1]
    if name.endswith("Undefined"):
        return _UNDEFINED
    return _KINDS.get(name, "数据对象")


def _shown(text: str, limit: int = 30) -> str:
    """A value Python quoted in its message (the template's own data or literal), unquoted."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _callee(name: str) -> str:
    """A function's name as Python gives it (“sync_do_first”, “dict.items”): the filter or
    method the template called."""
    name = name.rsplit(".", 1)[-1]
    return re.sub(r"^(?:sync_do_|do_|test_)", "", name)


_Say = Callable[[re.Match[str]], str]

# (error kind, the shape of its message, what to say): the first that matches is said
_SHAPES: list[tuple[str, re.Pattern[str], _Say]] = []


def _shape(error_kind: str, pattern: str) -> Callable[[_Say], _Say]:
    def add(say: _Say) -> _Say:
        _SHAPES.append((error_kind, re.compile(pattern, re.S), say))
        return say

    return add


# -- % formatting


@_shape("TypeError", r"not enough arguments for format string")
def _too_few_values(m: re.Match[str]) -> str:
    return "“%”格式中的占位符（如 %s）比 % 后给出的值多；有几个占位符，就须给出几个值，如 '%s %s' % (甲, 乙)"


@_shape("TypeError", r"not all arguments converted during (?:string|bytes) formatting")
def _too_many_values(m: re.Match[str]) -> str:
    return "% 后给出的值比“%”格式中的占位符（如 %s）多，或 % 左边的文字中没有占位符"


@_shape(
    "TypeError",
    r"%(?P<c>\w) format: an? (?:real number|number|integer) is required, not (?P<t>\w+)",
)
def _number_placeholder(m: re.Match[str]) -> str:
    return f"占位符 %{m['c']} 需要数字，给出的是{kind(m['t'])}"


@_shape("TypeError", r"%c requires")
def _char_placeholder(m: re.Match[str]) -> str:
    return "占位符 %c 需要整数或单个字符"


@_shape("TypeError", r"format requires a mapping")
def _mapping_placeholder(m: re.Match[str]) -> str:
    return "“%(名称)s”形式的占位符需要在 % 后给出映射，如 '%(a)s' % {'a': 值}"


@_shape("ValueError", r"unsupported format character '(?P<c>.)' \(0x[0-9a-f]+\)")
def _bad_placeholder(m: re.Match[str]) -> str:
    return f"“%”格式中的“%{m['c']}”不是可用的占位符（可用 %s、%d、%f 等；要印出 % 请写 %%）"


@_shape("ValueError", r"incomplete format")
def _incomplete_placeholder(m: re.Match[str]) -> str:
    return "“%”格式以单独的 % 结尾（要印出 % 请写 %%）"


# -- str.format and format specs


@_shape("IndexError", r"Replacement index (?P<n>\d+) out of range")
def _format_index(m: re.Match[str]) -> str:
    return f"format 的格式中有 {{{m['n']}}}，但给出的值没有这么多个（序号从 0 数起）"


@_shape("ValueError", r"Unknown format code '(?P<c>.)' for object of type '(?P<t>\w+)'")
def _format_code(m: re.Match[str]) -> str:
    return f"格式代码“{m['c']}”不适用于{kind(m['t'])}"


@_shape("ValueError", r"Single '(?P<c>[{}])' encountered in format string")
def _single_brace(m: re.Match[str]) -> str:
    return f"format 的格式中有单独的“{m['c']}”（要印出花括号请连写两个）"


@_shape("ValueError", r"unmatched '\{' in format spec|expected '\}' before end of string")
def _unmatched_brace(m: re.Match[str]) -> str:
    return "format 的格式中 { 与 } 没有成对出现"


@_shape("ValueError", r"[Ff]ormat specifier|format spec|Sign not allowed|Alternate form|"
        r"Cannot specify|[Pp]recision not allowed|Too many decimal digits")  # fmt: skip
def _format_spec(m: re.Match[str]) -> str:
    return "格式说明（: 之后的部分，如 {:.2f}）写法有误，或不适用于这个值"


@_shape("TypeError", r"unsupported format string passed to (?P<t>\w+)\.__format__")
def _format_of_kind(m: re.Match[str]) -> str:
    return f"格式说明不适用于{kind(m['t'])}"


# -- operators


@_shape("TypeError", r'can only concatenate (?P<a>\w+) \(not "(?P<b>\w+)"\) to \w+')
def _concatenate(m: re.Match[str]) -> str:
    return f"{kind(m['a'])}只能与{kind(m['a'])}相加，不能加{kind(m['b'])}（文字与数字相连请用 ~）"


@_shape(
    "TypeError", r"unsupported operand type\(s\) for (?P<op>.+?): '(?P<a>\w+)' and '(?P<b>\w+)'"
)
def _operands(m: re.Match[str]) -> str:
    op = m["op"].replace(" or pow()", "")
    return f"{kind(m['a'])}与{kind(m['b'])}之间不能做“{op}”运算"


@_shape(
    "TypeError", r"'(?P<op>.+?)' not supported between instances of '(?P<a>\w+)' and '(?P<b>\w+)'"
)
def _comparison(m: re.Match[str]) -> str:
    return f"{kind(m['a'])}与{kind(m['b'])}不能比较大小（“{m['op']}”）"


@_shape("TypeError", r"bad operand type for unary (?P<op>.): '(?P<t>\w+)'")
def _unary(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}前不能加“{m['op']}”"


@_shape("TypeError", r"can't multiply sequence by non-int of type '(?P<t>\w+)'")
def _repeat(m: re.Match[str]) -> str:
    return f"文字或列表只能乘以整数，不能乘以{kind(m['t'])}"


@_shape("ZeroDivisionError", r"cannot be raised to a negative power")
def _zero_power(m: re.Match[str]) -> str:
    return "除数为零：零不能取负数次方"


@_shape("OverflowError", r"Range too big")
def _big_range(m: re.Match[str]) -> str:
    return f"range 的项数超过 {MAX_RANGE:,}，不允许"


# -- kinds of value


@_shape("TypeError", r"'(?P<t>\w+)' object is not callable")
def _not_callable(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不是函数，后面不能加括号调用"


@_shape("TypeError", r"argument of type '(?P<t>\w+)' is not (?:iterable|a container)")
def _not_container(m: re.Match[str]) -> str:
    return f"不能在{kind(m['t'])}中查找（in 的右边应为文字、列表或映射）"


@_shape("TypeError|FilterArgumentError", r"'(?P<t>\w+)' object is not iterable|must be iterable")
def _not_iterable(m: re.Match[str]) -> str:
    what = kind(m["t"]) if m["t"] else "这个值"
    return f"{what}不能逐项取出（此处需要列表）"


@_shape("TypeError", r"'(?P<t>\w+)' object cannot be interpreted as an integer")
def _not_integer(m: re.Match[str]) -> str:
    return f"此处需要整数，给出的是{kind(m['t'])}"


@_shape("TypeError", r"'(?P<t>\w+)' object is not subscriptable")
def _not_subscriptable(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不能用 [ ] 取其中一项"


@_shape("TypeError", r"'(?P<t>\w+)' object does not support item assignment")
def _not_assignable(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不能修改其中一项"


@_shape("TypeError", r"object of type '(?P<t>\w+)' has no len\(\)")
def _no_length(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}没有长度"


@_shape("TypeError", r"unhashable type: '(?P<t>\w+)'")
def _unhashable(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不能作为映射的键或集合的成员"


@_shape("TypeError", r"type (?P<t>\w+) doesn't define __round__")
def _no_round(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不能取整（round 需要数字）"


@_shape("TypeError", r"sequence item \d+: expected str instance, (?P<t>\w+) found")
def _join_item(m: re.Match[str]) -> str:
    return f"连接的各项须为文字，其中有{kind(m['t'])}"


@_shape(
    "TypeError", r"(?:must be|expected) (?:an? )?(?P<want>\w+)(?: instance)?, not '?(?P<t>\w+)'?"
)
def _wrong_kind(m: re.Match[str]) -> str:
    return f"此处需要{kind(m['want'])}，给出的是{kind(m['t'])}"


@_shape("TypeError", r"conversion from (?P<t>\w+) to Decimal is not supported")
def _not_decimal(m: re.Match[str]) -> str:
    return f"{kind(m['t'])}不能当作数字"


# -- calls


@_shape("TypeError", r"macro '(?P<name>\w+)' takes not more than (?P<n>\d+) argument")
def _macro_count(m: re.Match[str]) -> str:
    return f"宏“{m['name']}”最多接受 {m['n']} 个参数"


@_shape("TypeError", r"macro '(?P<name>\w+)' takes no keyword argument '(?P<arg>\w+)'")
def _macro_keyword(m: re.Match[str]) -> str:
    return f"宏“{m['name']}”没有参数“{m['arg']}”"


@_shape("TypeError", r"macro '(?P<name>\w+)' was invoked with two values")
def _macro_caller(m: re.Match[str]) -> str:
    return f"宏“{m['name']}”的参数 caller 给了两次"


@_shape("TypeError", r"slice indices must be integers")
def _slice_index(m: re.Match[str]) -> str:
    return "[起:止] 中的起止须为整数"


@_shape("ValueError", r"slice step cannot be zero")
def _slice_step(m: re.Match[str]) -> str:
    return "[起:止:步长] 中的步长不能为零"


@_shape("NameError", r"name 'inf' is not defined|name 'nan' is not defined")
def _huge_literal(m: re.Match[str]) -> str:
    return "模板中写的数字过大，超出了小数的范围"


@_shape("AssertionError", r"expected length >= (?P<n>\d+), got (?P<got>-?\d+)")
def _truncate_length(m: re.Match[str]) -> str:
    return f"truncate 的长度须不小于 {m['n']}（给出的是 {m['got']}）"


@_shape("TypeError", r"got an unexpected keyword argument '(?P<name>\w+)'")
def _unknown_keyword(m: re.Match[str]) -> str:
    return f"调用时写了不存在的参数“{m['name']}”"


@_shape("TypeError", r"got multiple values for (?:keyword )?argument '(?P<name>\w+)'")
def _keyword_twice(m: re.Match[str]) -> str:
    return f"参数“{m['name']}”给了两次"


@_shape(
    "TypeError",
    r"(?P<f>[\w.]+)\(\) (?:takes|missing|expected|got)|"
    r"(?:expected|takes) (?:at most |at least |exactly )?\d+ (?:positional )?arguments?",
)
def _argument_count(m: re.Match[str]) -> str:
    name = f"“{_callee(m['f'])}”" if m["f"] else ""
    return f"调用{name}时给出的参数个数不对"


# -- values


@_shape("ValueError", r"invalid literal for int\(\) with base \d+: (?P<v>.*)")
def _not_an_integer(m: re.Match[str]) -> str:
    return f"“{_shown(m['v'])}”不是整数"


@_shape("ValueError", r"could not convert string to float: (?P<v>.*)")
def _not_a_number(m: re.Match[str]) -> str:
    return f"“{_shown(m['v'])}”不是数字"


@_shape("ValueError", r"(?:max|min)\(\) (?:arg is an empty sequence|iterable argument is empty)")
def _empty_extreme(m: re.Match[str]) -> str:
    return "空列表没有最大值或最小值"


@_shape("ValueError", r"range\(\) arg 3 must not be zero")
def _zero_step(m: re.Match[str]) -> str:
    return "range 的步长不能为零"


@_shape("ValueError", r"invalid width (?P<w>-?\d+)")
def _bad_width(m: re.Match[str]) -> str:
    return f"宽度须大于零（给出的是 {m['w']}）"


@_shape("ValueError", r"not enough values to unpack \(expected (?P<want>\d+), got (?P<got>\d+)\)")
def _unpack_few(m: re.Match[str]) -> str:
    return f"要拆成 {m['want']} 个值，实际只有 {m['got']} 个"


@_shape("ValueError", r"too many values to unpack \(expected (?P<want>\d+)")
def _unpack_many(m: re.Match[str]) -> str:
    return f"要拆成 {m['want']} 个值，实际多于 {m['want']} 个"


@_shape("ValueError", r"substring not found")
def _no_substring(m: re.Match[str]) -> str:
    return "文字中找不到要找的内容"


@_shape("ValueError", r"is not in (?:list|tuple)")
def _not_in_list(m: re.Match[str]) -> str:
    return "列表中没有要找的值"


@_shape("ValueError", r"empty separator")
def _empty_separator(m: re.Match[str]) -> str:
    return "分隔符不能为空"


@_shape("ValueError", r"Exceeds the limit \((?P<n>\d+) digits\)")
def _long_integer(m: re.Match[str]) -> str:
    return f"整数超过 {int(m['n']):,} 位，无法转为文字"


@_shape("ValueError", r"math domain error")
def _domain(m: re.Match[str]) -> str:
    return "数学运算的取值超出定义范围（如负数开平方）"


@_shape("ValueError|OverflowError", r"cannot convert float (?:NaN|infinity) to integer")
def _not_finite(m: re.Match[str]) -> str:
    return "非数字（nan）或无穷大不能转为整数"


@_shape("ValueError", r"base must be|int\(\) base")
def _bad_base(m: re.Match[str]) -> str:
    return "进制须为 0 或 2 到 36 的整数"


@_shape("ValueError", r"arg not in range|out of range")
def _value_out_of_range(m: re.Match[str]) -> str:
    return "取值超出允许的范围"


# -- lookups


@_shape("IndexError", r"(?P<t>\w+) index out of range")
def _index(m: re.Match[str]) -> str:
    return f"序号超出{kind(m['t'])}的范围（序号从 0 数起）"


@_shape("IndexError", r"from empty (?P<t>\w+)")
def _empty_pop(m: re.Match[str]) -> str:
    return f"空{kind(m['t'])}中没有可取出的项"


@_shape("AttributeError", r"'(?P<t>\w+)' object has no attribute")
def _no_attribute(m: re.Match[str]) -> str:
    # raised inside a filter (xmlattr, dictsort of text): the attribute is the filter's need
    return f"{kind(m['t'])}不能用在这里（它没有所需的属性）"


@_shape("LookupError", r"unknown encoding: (?P<name>.+)")
def _encoding(m: re.Match[str]) -> str:
    return f"不认识的编码“{_shown(m['name'])}”"


@_shape("UnicodeError", r".")
def _unicode(m: re.Match[str]) -> str:
    return "文字中有该编码无法表示的字符，或字节无法按该编码读出"


# -- Jinja's filters and its runtime


@_shape("TemplateRuntimeError", r"No (?P<what>filter|test) named '(?P<name>[^']+)'")
def _no_filter(m: re.Match[str]) -> str:
    return f"没有{'过滤器' if m['what'] == 'filter' else '判断'}“{m['name']}”"


@_shape("FilterArgumentError", r'sort by either "key" or "value"')
def _dictsort(m: re.Match[str]) -> str:
    return "dictsort 的 by 只能是 'key' 或 'value'"


@_shape("FilterArgumentError", r"method must be common, ceil or floor")
def _round_method(m: re.Match[str]) -> str:
    return "round 的 method 只能是 'common'、'ceil' 或 'floor'"


@_shape("FilterArgumentError", r"map requires a filter argument")
def _map_filter(m: re.Match[str]) -> str:
    return "map 须给出过滤器名或 attribute="


@_shape("FilterArgumentError", r"Missing parameter for attribute name")
def _attribute_name(m: re.Match[str]) -> str:
    return "selectattr、rejectattr 须给出属性名"


@_shape("FilterArgumentError", r"URI scheme")
def _uri_scheme(m: re.Match[str]) -> str:
    return "urlize 的 extra_schemes 须为“名称:”形式"


@_shape("RuntimeError", r"at least one item has to be provided")
def _empty_cycler(m: re.Match[str]) -> str:
    return "cycler 至少需要一个值"


# What each kind of error is, when its message has no shape above
_KIND_OF_ERROR = {
    "ZeroDivisionError": "除数为零（除以零或对零取余）",
    "OverflowError": "数值超出允许的范围",
    "TypeError": "参与运算的值类型不符（如数字与文字相加、给过滤器的参数类型不对）",
    "ValueError": "取值无效",
    "KeyError": "映射中没有这个键",
    "IndexError": "序号超出范围",
    "AttributeError": "没有这个属性",
    "LookupError": "查找的内容不存在",
    "ArithmeticError": "数字运算无效",
    "FilterArgumentError": "过滤器的参数有误",
    "AssertionError": "过滤器的参数取值无效",
}


def _is_a(error: BaseException, error_kind: str) -> bool:
    return any(cls.__name__ in error_kind.split("|") for cls in type(error).__mro__)


def cause(error: BaseException) -> str:
    """Why ``error`` was raised, in Chinese with no word of Python's or Jinja's."""
    text = str(error.message or "") if isinstance(error, jinja2.TemplateError) else str(error)
    for error_kind, pattern, say in _SHAPES:
        if _is_a(error, error_kind):
            match = pattern.search(text)
            if match:
                return say(match)
    if isinstance(error, KeyError) and error.args:
        if "popitem" in str(error.args[0]):
            return "空映射中没有可取出的项"
        return f"映射中没有键“{_shown(repr(error.args[0]))}”"
    return next(
        (said for name, said in _KIND_OF_ERROR.items() if _is_a(error, name)),
        "表达式运行出错",
    )


def expression_error(error: BaseException) -> str:
    """An error an expression of the template raised, said as the template's."""
    return f"表达式执行出错：{cause(error)}"


def refused(error: SecurityError) -> str:
    """What the sandbox refused (an attribute like ``__class__``, a function), in Chinese."""
    text = error.message or ""
    attribute = re.search(r"access to attribute '([^']*)'", text)
    if attribute:
        return f"试图访问不允许的内容“{attribute[1]}”，已拒绝"
    if "not safely callable" in text:
        return "试图调用不允许调用的函数，已拒绝"
    return "试图访问不允许的内容，已拒绝"


def missing_value(message: str) -> str:
    """Jinja's message about a value that is not there (an ``UndefinedError``), in Chinese."""
    match = re.search(r"^'([^']+)' is undefined", message)
    if match:
        return f"变量“{match[1]}”不存在"
    match = re.search(r"^'?dict object'? has no (?:attribute|element) '?(.+?)'?$", message, re.S)
    if match and _key_kind(match[1]) is not None:
        return f"映射不能用{_key_kind(match[1])}取其中一项（[ ] 中应为文字或整数）"
    if match:
        return f"这份数据中没有“{match[1]}”（未公布的数字、未写的节不在其中）"
    match = re.search(r"^'?(.+?)'? has no (?:attribute|element) '?(.+?)'?$", message, re.S)
    if match:
        key = _key_kind(match[2])
        if key is not None:
            return f"{kind(match[1])}不能用{key}取其中一项（[ ] 中应为文字或整数）"
        return f"{kind(match[1])}没有“{_shown(match[2])}”"
    match = re.search(r"No (?:first|last|random|aggregated) item, sequence was empty", message)
    if match:
        return "列表是空的，取不出其中一项（first、last、max、min 等）"
    return "引用了这份数据中没有的值"


def _key_kind(shown: str) -> str | None:
    """The kind of value a key Python shows as ``shown`` is, when it is not a name or a
    number (a list, a mapping, a function used as a key): ``None`` for a plain key."""
    text = shown.strip()
    if text[:1] in "[(":
        return "列表"
    if text[:1] == "{":
        return "映射"
    if text[:1] == "<" or re.match(r"[A-Za-z_]\w*\(", text) or text in ("True", "False"):
        return "函数、数据对象或真假值"
    return None


def shown_value(value: object) -> str:
    """A value a template handed a filter, as a message quotes it: text and numbers as they
    are (the data's own), anything else by its kind."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 30 else repr(value[:29]) + "…"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return _shown(str(value))
    if value is None:
        return "空值"
    return kind(type(value).__name__)


def no_such_item(owner: str, key: object) -> str | None:
    """What a template looked up that is not a key at all (a list, a mapping, an object used
    inside [ ]), said of ``owner`` (a kind of value); ``None`` for a text or number key."""
    if isinstance(key, str | int) and not isinstance(key, bool):
        return None
    shown = "真假值" if isinstance(key, bool) else kind(type(key).__name__)
    return f"{owner}不能用{shown}取其中一项（[ ] 中应为文字或整数）"
