"""Chinese for the text typer prints itself: help panel titles, the help option, usage errors.

typer has no translation catalogue, so the panel titles are replaced and usage errors are
caught by the entry point and re-worded here. Everything is looked up defensively: if a
future typer renames an attribute, its English text shows instead of a crash.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# typer vendors click and does not re-export its exception classes; older typer used click.
try:
    _errors: Any = importlib.import_module("typer._click.exceptions")
except ImportError:  # pragma: no cover
    _errors = importlib.import_module("click.exceptions")

HELP_TEXT = "显示帮助信息并退出"
_PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ABORTED_TEXT": "已中止。",
}
UsageProblem = _errors.UsageError


def localise_typer() -> None:
    """Replace the English panel titles of typer's help screens and its “Usage:”."""
    _usage_prefix()
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - rich not installed
        return
    for name, text in _PANEL_TITLES.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


USAGE_PREFIX = "用法："


def _usage_prefix() -> None:
    """click's formatter writes “Usage: ” unless told otherwise; tell it “用法：”."""
    for name in ("typer._click.formatting", "click.formatting"):
        try:
            formatter = importlib.import_module(name).HelpFormatter
        except (ImportError, AttributeError):
            continue
        original = formatter.write_usage
        if getattr(original, "localised", False):
            continue

        def write_usage(
            self: Any,
            prog: str,
            args: str = "",
            prefix: str | None = None,
            _original: Any = original,
        ) -> Any:
            return _original(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

        write_usage.localised = True  # type: ignore[attr-defined]
        formatter.write_usage = write_usage


# What the help screens show for a parameter's value: an argument by its name, an option by
# its kind of value; a flag takes none. Choices keep typer's own list of values.
ARGUMENT_NAMES = {
    "files": "文件",
    "target": "文件",
    "source": "报告",
    "template": "模板",
    "data": "数据",
    "names": "版式",
    "name": "名称",
}
_VALUE_KINDS = {
    "path": "路径",
    "str": "文本",
    "text": "文本",
    "int": "整数",
    "integer": "整数",
    "float": "数字",
    "bool": "",
    "boolean": "",
}
_LIST_OF = re.compile(r"^list\[(.*)\]$")


def localise_placeholders(command: Any) -> None:
    """Chinese placeholders in the help screens of ``command`` and its subcommands:
    ``[选项]``, ``命令 [参数]...``, ``{文件}...`` and ``路径`` instead of ``[OPTIONS]``,
    ``COMMAND [ARGS]...``, ``{files}...`` and ``<path>``; a flag shows no ``<bool>``."""
    if getattr(command, "options_metavar", None):
        command.options_metavar = "[选项]"
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = "命令 [参数]..."
    for param in getattr(command, "params", []):
        if getattr(param, "metavar", None) is None:
            _localise_param(param)
    for sub in getattr(command, "commands", {}).values():
        localise_placeholders(sub)


def _localise_param(param: Any) -> None:
    if getattr(param, "is_flag", False):
        param.metavar = ""
        return
    kind = _VALUE_KINDS.get(_value_kind(param) or "")
    if getattr(param, "param_type_name", "") != "argument":
        if kind is not None:
            param.metavar = kind
        return
    name = ARGUMENT_NAMES.get(str(getattr(param, "name", "")))
    if name is None:
        return
    param.metavar = name  # the usage line adds “...” to an argument taking several
    if kind is not None and hasattr(param, "display_type_rich"):  # typer ≥ 0.20: its own column
        shown = f"{kind}..." if getattr(param, "nargs", 1) != 1 else kind
        param.display_type_rich = lambda ctx: shown


def _value_kind(param: Any) -> str | None:
    """``path``, ``str``, ``int`` …: from typer's type display, or click's type name."""
    try:
        shown = param.display_type(None)  # typer ≥ 0.20; needs a context for choices only
    except Exception:  # older typer, or a choice
        return getattr(getattr(param, "type", None), "name", None)
    kind = str(shown).strip("<>")
    listed = _LIST_OF.match(kind)
    return (listed.group(1) if listed else kind).lower()


def localise_help_option(command: Any) -> None:
    """Give every command's ``-h/--help`` a Chinese help text."""
    get = getattr(command, "get_help_option", None)
    if get is None:
        return
    original = get

    def patched(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.help = HELP_TEXT
            option.metavar = ""  # a flag: no “<bool>”
        return option

    command.get_help_option = patched
    for sub in getattr(command, "commands", {}).values():
        localise_help_option(sub)


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        name = str(getattr(param, "name", ""))
        return ARGUMENT_NAMES.get(name, name.upper())
    return " / ".join(opts)


_CHOICE = re.compile(r"^(?:Value error, )?'?(.*?)'? is not one of (.*)\.$")
_NEEDS_VALUE = re.compile(r"^Option '(.+)' requires an argument\.$")
_NO_COMMAND = re.compile(r"^No such command '(.*?)'\.(?: Did you mean '(.*?)'\?)?")
_EXTRA_ARGS = re.compile(r"^Got unexpected extra arguments? \((.*)\)$")


def usage_message(error: Any) -> str:
    """A usage error of typer, in Chinese."""
    message = str(getattr(error, "message", "") or error)
    if isinstance(error, _errors.MissingParameter):
        return f"缺少参数：{_param_name(error.param)}"
    if isinstance(error, _errors.NoSuchOption):
        hint = ""
        possibilities = getattr(error, "possibilities", None)
        if possibilities:
            hint = f"（是否想写 {'、'.join(sorted(possibilities))}？）"
        return f"没有这个选项：{error.option_name}{hint}"
    if isinstance(error, _errors.BadParameter):
        name = _param_name(error.param) or str(getattr(error, "param_hint", "") or "")
        choice = _CHOICE.match(message)
        if choice:
            return f"{name} 的值“{choice.group(1)}”无效，可选：{choice.group(2)}"
        return f"{name} 的值无效：{message}"
    needs = _NEEDS_VALUE.match(message)
    if needs:
        return f"选项 {needs.group(1)} 后面需要写一个值"
    extra = _EXTRA_ARGS.match(message)
    if extra:
        return f"多出了参数：{extra.group(1)}"
    unknown = _NO_COMMAND.match(message)
    if unknown:
        guess = f"（是否想写 {unknown.group(2)}？）" if unknown.group(2) else ""
        return f"没有这个命令：{unknown.group(1)}{guess}"
    return f"用法错误：{message}"


def help_hint(error: Any) -> str:
    ctx = getattr(error, "ctx", None)
    path = getattr(ctx, "command_path", None) or "reportgen"
    return f"运行“{path} -h”查看帮助。"


def is_no_args_help(error: Any) -> bool:
    return type(error).__name__ == "NoArgsIsHelpError"
