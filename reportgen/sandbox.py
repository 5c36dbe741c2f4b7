"""What a template from someone else may do: a bounded package, a sandboxed Jinja environment."""

from __future__ import annotations

import operator
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from reportgen import formatting
from reportgen.amounts import parse_decimal
from reportgen.errors import TemplateError

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # uncompressed; the built-in templates are ~40 KiB
MAX_COMPRESSION_RATIO = 200
MAX_SEQUENCE = 100_000  # the longest string or list an operator may build
MAX_EXPONENT = 100


def check_package(path: Path) -> None:
    """Refuse a .docx whose parts would unpack to more than we are willing to hold (zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_TEMPLATE_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise TemplateError(
            f"模板 {path} 解压后过大（{total / 1024 / 1024:.1f} MiB，压缩比 {total / packed:.0f}），"
            "不像是正常的 Word 模板，已拒绝"
        )


def _number(value: object) -> Decimal:
    """A template may hand a filter a literal (1234.5), a string or a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return parse_decimal(value)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox, plus bounds on ``*`` and ``**``: ``{{ 'x' * 10**9 }}`` would otherwise
    take gigabytes, and ``{{ 9**9**9 }}`` would never finish."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"指数 {right} 过大")
            return operator.pow(left, right)
        for sequence, times in ((left, right), (right, left)):
            size = _length(sequence)
            if size is not None and isinstance(times, int) and size * times > MAX_SEQUENCE:
                raise SecurityError(f"重复后的长度 {size * times} 超过上限 {MAX_SEQUENCE}")
        return operator.mul(left, right)


def jinja_environment() -> ReportSandbox:
    """Templates come from other people: sandboxed, autoescaped, every name must exist."""
    env = ReportSandbox(autoescape=True, undefined=StrictUndefined)
    env.filters.update(
        money=lambda value, thousands=True: formatting.money(_number(value), thousands),
        percent=lambda value: formatting.percent(_number(value)),
        score=lambda value: formatting.score(_number(value)),
        cn_number=formatting.chinese_number,
    )
    return env
