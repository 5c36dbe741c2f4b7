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
    """Replace the English panel titles of typer's help screens."""
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - rich not installed
        return
    for name, text in _PANEL_TITLES.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


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
        return option

    command.get_help_option = patched
    for sub in getattr(command, "commands", {}).values():
        localise_help_option(sub)


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        return str(getattr(param, "name", "")).upper()
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
