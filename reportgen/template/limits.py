"""How much one template render may do: its time, the text and lists it builds, its steps.

A template is someone else's code. Every operation the sandbox lets it run goes through a
``RenderQuota``: loop iterations and calls count as steps, the text and list items each
operation produces are added up, and operations whose result can be huge from a small input
(``center(10**9)``, ``replace`` with a long text, ``'%*s'``, ``join`` of one long string
repeated) are sized *before* they run, so the memory is never taken. The clock is read at
every step and, while a filter or method runs Python code of its own, at every call inside it.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from types import FrameType
from typing import Any

from jinja2.constants import LOREM_IPSUM_WORDS

from reportgen.errors import TemplateError
from reportgen.template.nesting import the_templates_own

# A real report is well under 1 MB of text and renders in a fraction of a second; these
# limits are ten times and more above anything the three built-in layouts need.
MAX_SECONDS = 10.0
MAX_TEXT = 10_000_000  # characters built by the template's operations and output, in total
MAX_ITEMS = 1_000_000  # list, tuple and dict entries built, in total
MAX_STEPS = 200_000  # loop iterations plus calls
MAX_DEPTH = 50  # macros, caller() and recursive loops inside each other
MAX_DIGITS = 4300  # Python itself refuses to print a longer integer

_BITS_PER_DIGIT = 3.33  # log2(10), rounded up
_LOREM_WORD = max(len(word) for word in LOREM_IPSUM_WORDS.split()) + 2


class TemplateLimitError(TemplateError):
    """The template went past a limit; ``str()`` names it, the caller names the template.
    ``steps``: the loops and calls it had made; ``timed_out``: whether the limit was the clock."""

    def __init__(self, message: str, steps: int = 0, timed_out: bool = False) -> None:
        super().__init__(message)
        self.steps, self.timed_out = steps, timed_out


# Set while a render that ran out of time is tried again to find where it stopped: the try
# stops at the step it had reached, in the time the steps take rather than the clock's.
_STEPS_CAP: ContextVar[int | None] = ContextVar("steps_cap", default=None)


@contextmanager
def steps_capped(steps: int | None) -> Iterator[None]:
    """Renders started in this block make at most ``steps`` loops and calls (None: no cap)."""
    token = _STEPS_CAP.set(steps)
    try:
        yield
    finally:
        _STEPS_CAP.reset(token)


def _amount(number: float) -> str:
    """1000000 → “100 万”, as the Chinese messages write the limits."""
    whole = int(number)
    if whole == number and whole >= 10_000 and whole % 10_000 == 0:
        return f"{whole // 10_000} 万"
    return f"{number:g}"


class RenderQuota:
    """What is left of one render's limits. A refusal is final: every later check repeats it,
    so a filter that swallows exceptions cannot carry a runaway template past its limit."""

    def __init__(self) -> None:
        # read the module's limits now, so a test may lower one for a single render
        self.seconds, self.max_text, self.max_items = MAX_SECONDS, MAX_TEXT, MAX_ITEMS
        self.max_steps, self.max_depth = MAX_STEPS, MAX_DEPTH
        cap = _STEPS_CAP.get()
        if cap is not None:
            self.max_steps = min(self.max_steps, cap)
        self.max_bits = int(MAX_DIGITS * _BITS_PER_DIGIT)
        self.deadline = time.process_time() + self.seconds
        self.text = self.items = self.steps = self.depth = 0
        self.refusal: str | None = None
        self.timed_out = False
        self._watching = False

    # -- refusing

    def refuse(self, message: str) -> None:
        self.refusal = message
        raise TemplateLimitError(message, self.steps, self.timed_out)

    def check(self) -> None:
        if self.refusal is not None:
            raise TemplateLimitError(self.refusal, self.steps, self.timed_out)
        if time.process_time() > self.deadline:
            self.timed_out = True
            self.refuse(f"运行超过 {_amount(self.seconds)} 秒 CPU 时间，已停止")

    def too_much_text(self) -> None:
        self.check()  # an earlier refusal stands
        self.refuse(f"生成的文字超过 {_amount(self.max_text)}个字符，已停止")

    def too_many_items(self) -> None:
        self.check()
        self.refuse(f"生成的列表超过 {_amount(self.max_items)}项，已停止")

    # -- counting

    def step(self) -> None:
        self.check()
        self.steps += 1
        if self.steps > self.max_steps:
            self.refuse(f"的循环和调用超过 {_amount(self.max_steps)}次，已停止")

    def text_left(self) -> int:
        return self.max_text - self.text

    # Sizes are checked without the clock: they are on the hot path of every output, and
    # every loop iteration and call reads the clock anyway.

    def ensure_text(self, size: int) -> None:
        """Refuse before building ``size`` characters that the quota could not pay for."""
        if self.refusal is not None or size > self.max_text - self.text:
            self.too_much_text()

    def charge_text(self, size: int) -> None:
        self.text += size
        if self.refusal is not None or self.text > self.max_text:
            self.too_much_text()

    def ensure_items(self, count: int) -> None:
        if self.refusal is not None or count > self.max_items - self.items:
            self.too_many_items()

    def charge_items(self, count: int) -> None:
        self.items += count
        if self.refusal is not None or self.items > self.max_items:
            self.too_many_items()

    def ensure_bits(self, bits: int) -> None:
        if bits > self.max_bits:
            self.refuse(f"计算的整数超过 {MAX_DIGITS} 位，已停止")

    def account(self, result: Any) -> Any:
        """Charge what an operation produced; an iterator is charged as it is consumed."""
        if isinstance(result, str | bytes):
            self.charge_text(len(result))
        elif isinstance(result, list | tuple | dict | set | frozenset):
            self.charge_items(len(result))
        elif isinstance(result, int):
            self.ensure_bits(result.bit_length())
        elif isinstance(result, Iterator):
            return self._counted(result)
        return result

    def _counted(self, iterator: Iterator[Any]) -> Iterator[Any]:
        for item in iterator:
            self.charge_items(1)
            yield item

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """A template loop: every iteration is a step."""
        with the_templates_own():  # {% for x in 5 %}
            items = iter(iterable)
        for item in items:
            self.step()
            yield item

    # -- nesting and the clock inside other code

    @contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                self.refuse(f"的宏调用或递归循环嵌套超过 {self.max_depth} 层，已停止")
            yield
        finally:
            self.depth -= 1

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Read the clock at every call made while a filter or method runs: a thread cannot be
        stopped from outside, but a profile hook can raise inside it (striptags, for one, is
        quadratic in the number of tags). A single C call (one str.replace) is not interrupted;
        the size checks keep every such call small."""
        if self._watching or sys.getprofile() is not None:
            yield  # already watched, or someone is profiling reportgen: leave their hook be
            return
        self._watching = True
        sys.setprofile(self._on_profile_event)
        try:
            yield
        finally:
            sys.setprofile(None)
            self._watching = False

    def _on_profile_event(self, frame: FrameType, event: str, arg: Any) -> None:
        if time.process_time() > self.deadline and self.refusal is None:
            self.check()


def text_size(value: Any, limit: int) -> int:
    """How many characters ``str(value)`` would have, counted until past ``limit``: a list
    holding one long string 100,000 times is small in memory and enormous as text."""
    total = 0
    pending = [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bytes):
            total += 4 * len(item) + 3  # repr: b'\x00'
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, float | Decimal):
            total += 32
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            pending.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            pending.extend(item.keys())
            pending.extend(item.values())
        else:  # objects of the context: their text comes from the report's data
            total += 8
    return total


def _whole(number: Any) -> int:
    """A width or count as the operation will read it; anything else lets the call fail."""
    return max(number, 0) if isinstance(number, int) else 0


def _lines(text: Any) -> int:
    return text.count("\n") + 1 if isinstance(text, str) else 1


# -- str.format and the % operator: widths and precisions are sizes too

_PERCENT_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<kind>[diouxXeEfFgGcrsa%])"
)


def percent_size(template: str, arguments: Any, limit: int) -> int:
    """An upper bound on the length of ``template % arguments``."""
    values = arguments if isinstance(arguments, tuple) else (arguments,)
    mapping = arguments if isinstance(arguments, Mapping) else None
    total, position = len(template), 0
    for spec in _PERCENT_SPEC.finditer(template):
        if spec["kind"] == "%":
            continue
        for part in (spec["width"], spec["precision"]):
            if part == "*":
                total += _whole(values[position]) if position < len(values) else 0
                position += 1
            elif part:
                total += int(part) if len(part) < 12 else limit + 1
        if spec["key"] is not None and mapping is not None:
            value = mapping.get(spec["key"])
        else:
            value = values[position] if position < len(values) else None
            position += 1
        total += text_size(value, limit - total)
        if total > limit:
            break
    return total


def spec_size(format_spec: str) -> int:
    """The width plus precision a ``format()`` spec asks for (``{:999999999}``)."""
    return sum(int(n) if len(n) < 12 else sys.maxsize for n in re.findall(r"\d+", format_spec))


# -- the size of a filter's, method's or operator's result, known before it runs

Sizer = Callable[..., int]


def _replace_size(text: Any, old: Any, new: Any, count: Any = -1, *_: Any) -> int:
    if not isinstance(text, str | bytes) or not isinstance(old, str | bytes):
        return 0
    found = int(text.count(old)) if old else len(text) + 1  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0) if hasattr(new, "__len__") else 0


def _padded_size(text: Any, width: Any = 80, *_: Any) -> int:
    return max(len(text), _whole(width))


def _expandtabs_size(text: Any, tabsize: Any = 8) -> int:
    tabs = text.count("\t" if isinstance(text, str) else b"\t")
    return len(text) + int(tabs) * _whole(tabsize)


def _translate_size(text: Any, table: Any, *_: Any) -> int:
    if isinstance(table, Mapping):
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
        return len(text) * max(longest, 1)
    return len(text)


# Methods of str and bytes whose result can be many times longer than the text: a width, a
# count or a second text multiplies it. Those that at most triple it (upper, encode) are
# charged after they run, like every result.
STRING_METHODS: dict[str, Sizer] = {
    "center": _padded_size,
    "ljust": _padded_size,
    "rjust": _padded_size,
    "zfill": _padded_size,
    "expandtabs": _expandtabs_size,
    "replace": _replace_size,
    "translate": _translate_size,
}


def _urlize_size(text: Any, *args: Any, **options: Any) -> int:
    words = len(text.split()) if isinstance(text, str) else 1
    extra = sum(len(v) for v in (*args, *options.values()) if isinstance(v, str))
    return 2 * len(str(text)) + words * (80 + extra)  # the address twice, and the tag


def _ratio(factor: int) -> Sizer:
    return lambda value, *_, **__: factor * text_size(value, MAX_TEXT)


# Filters whose result is text, by the size of that text, which is charged after they run.
# Escaping (at most five characters for one) is left to that charge, so that a long text from
# the report is not refused for what it might become; urlencode and tojson can make many
# characters of one Chinese character. The others (length, sort, map …) build no text, and
# the lists they build are counted as they are built.
FILTERS: dict[str, Sizer] = {
    "center": lambda value, width=80, *_: max(text_size(value, MAX_TEXT), _whole(width)),
    "indent": lambda value, width=4, *_, **__: (
        text_size(value, MAX_TEXT)
        + _lines(value) * (len(width) if isinstance(width, str) else _whole(width))
    ),
    "replace": lambda value, old, new, count=None, *_: _replace_size(
        str(value), str(old), str(new), -1 if count is None else count
    ),
    "truncate": lambda value, length=255, killwords=False, end="...", *_, **__: (
        text_size(value, MAX_TEXT) + text_size(end, MAX_TEXT)
    ),
    "wordwrap": lambda value, width=79, long=True, wrapstring=None, *_, **__: (
        text_size(value, MAX_TEXT) * (1 + text_size(wrapstring or "\n", MAX_TEXT))
    ),
    "urlize": _urlize_size,
    "format": lambda value, *args, **kwargs: percent_size(
        str(value) if isinstance(value, str) else "", kwargs or args, sys.maxsize
    ),
    "e": _ratio(1),
    "escape": _ratio(1),
    "forceescape": _ratio(1),
    "safe": _ratio(1),
    "string": _ratio(1),
    "striptags": _ratio(1),
    "trim": _ratio(1),
    "wordcount": _ratio(1),
    "upper": _ratio(1),
    "lower": _ratio(1),
    "title": _ratio(1),
    "capitalize": _ratio(1),
    "pprint": _ratio(1),
    "xmlattr": _ratio(1),
    "urlencode": _ratio(9),  # one character → up to four UTF-8 bytes, each %XX
    "tojson": lambda value, indent=None, *_: (
        text_size(value, MAX_TEXT) * (12 + (_whole(indent) if indent else 0))
    ),
}


def lipsum_size(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> int:
    """``lipsum(n, html, min, max)``: ``n`` paragraphs of up to ``max`` words."""
    return _whole(n) * (_whole(max) * _LOREM_WORD + 10)


def items_added(method: str, arguments: tuple[Any, ...], options: Mapping[str, Any]) -> int:
    """How many entries a list or dict method is about to add (``l.extend(l)`` doubles)."""
    if method in {"append", "insert", "setdefault"}:
        return 1
    if method in {"extend", "update", "fromkeys"}:
        sized = [a for a in arguments[:1] if isinstance(a, Sized)]
        return sum(len(a) for a in sized) + len(options)
    return 0
