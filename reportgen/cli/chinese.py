"""Chinese for the text typer prints itself, through typer's and click's hooks: our command and
group classes (usage line, help option, placeholders, unknown commands, extra arguments),
parsers for numbers and choices (``typer.Option(parser=…)``), and usage errors worded from the
fields of click's exceptions, never from their English text.

What has no hook: the titles of the help screens' panels (“Options”, “Arguments”, …) are
constants of ``typer.rich_utils``, looked up by its functions when a help screen is drawn;
:func:`localise_panels` replaces them (typer's ``_()`` reads Python's global gettext domain,
which would need the user's locale set to Chinese and a catalogue bound for every program in
the process). A value typer itself converts (a path that is not valid) keeps its English reason
after our Chinese option name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from difflib import get_close_matches
from enum import Enum
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

# typer vendors click and does not re-export its exception classes; older typer used click
try:
    _errors: Any = importlib.import_module("typer._click.exceptions")
except ImportError:  # pragma: no cover
    _errors = importlib.import_module("click.exceptions")

HELP_TEXT = "显示帮助信息并退出"
USAGE_PREFIX = "用法："
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


class ChineseUsageError(UsageProblem):  # type: ignore[misc,valid-type]
    """A usage error whose message is already the Chinese one."""


class InvalidValue(typer.BadParameter):
    """A value an option or argument cannot take; ``expected`` says what it can."""

    def __init__(self, value: object, expected: str) -> None:
        super().__init__(f"“{value}”无效，{expected}")


def integer(minimum: int | None = None) -> Callable[[object], int]:
    """A ``parser`` for an integer option, at least ``minimum``."""
    expected = "应为整数" if minimum is None else f"应为至少 {minimum} 的整数"

    def parse(text: object) -> int:
        if isinstance(text, int):
            return text
        try:
            number = int(str(text).strip())
        except ValueError:
            raise InvalidValue(text, expected) from None
        if minimum is not None and number < minimum:
            raise InvalidValue(text, expected)
        return number

    return parse


Choice = TypeVar("Choice", bound=Enum)


def choice(kind: type[Choice]) -> Callable[[object], Choice]:
    """A ``parser`` for an option whose values are the members of the enum ``kind``."""
    values = [str(member.value) for member in kind]

    def parse(text: object) -> Choice:
        if isinstance(text, kind):
            return text
        try:
            return kind(text)
        except ValueError:
            raise InvalidValue(text, f"可选：{'、'.join(values)}") from None

    return parse


class ChineseCommand(TyperCommand):
    """A command whose usage line, help option, placeholders and extra arguments are Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"
        self._placeholders_done = False

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(
            ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX
        )

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_placeholders(self)
        super().format_help(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # the extra ones are said below, in Chinese
        try:
            rest: list[str] = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ChineseUsageError(f"多出了参数：{' '.join(rest)}", ctx)
        return rest


class ChineseGroup(TyperGroup):
    """A group of commands, Chinese as :class:`ChineseCommand`; an unknown command is said
    with the nearest known ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"
        self.subcommand_metavar = "命令 [参数]..."
        self._placeholders_done = False

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(
            ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX
        )

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_placeholders(self)
        super().format_help(ctx, formatter)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            guesses = get_close_matches(name, list(self.commands))
            guess = f"（是否想写 {'、'.join(guesses)}？）" if guesses else ""
            raise ChineseUsageError(f"没有这个命令：{name}{guess}", ctx)
        return super().resolve_command(ctx, args)


def localise_panels() -> None:
    """The panel titles of typer's help screens in Chinese (no hook: see the module's doc),
    and help texts that wrap in a narrow terminal: rich breaks lines only at spaces, so a
    Chinese sentence, one “word” to it, was cut off with “…” (its table cells' default) or
    moved whole to the next line (now broken between characters: :mod:`line_breaks`)."""
    from typer import rich_utils

    from reportgen.cli import line_breaks

    line_breaks.install()
    for name, text in _PANEL_TITLES.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    for name in ("_get_parameter_help", "_make_command_help"):
        made = getattr(rich_utils, name, None)
        if callable(made) and not getattr(made, "folds", False):
            setattr(rich_utils, name, _folding(made))


def _folding(made: Callable[..., Any]) -> Callable[..., Any]:
    """``made`` (a maker of help text for a table cell), its texts folded at the cell's edge
    where they have no space to break at, rather than cut."""
    from rich.text import Text

    def folded(*args: Any, **kwargs: Any) -> Any:
        shown = made(*args, **kwargs)
        for text in (shown, *getattr(shown, "renderables", ())):
            if isinstance(text, Text):
                text.overflow = "fold"
        return shown

    folded.folds = True  # type: ignore[attr-defined]
    return folded


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_TEXT
        option.metavar = ""  # a flag: no “<bool>”
    return option


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


def _localise_placeholders(command: Any) -> None:
    """Chinese placeholders for the parameters of ``command`` (once, when its help is first
    drawn: the start-up of every other run does not pay for it): ``{文件}...`` and ``路径``
    instead of ``{files}...`` and ``<path>``; a flag shows no ``<bool>``."""
    if command._placeholders_done:
        return
    command._placeholders_done = True
    for param in command.params:
        if param.metavar is None:
            _localise_param(param)


def _localise_param(param: Any) -> None:
    if getattr(param, "is_flag", False):
        param.metavar = ""
        return
    kind = _VALUE_KINDS.get(_value_kind(param) or "")
    if param.param_type_name != "argument":
        if kind is not None:
            param.metavar = kind
        return
    name = ARGUMENT_NAMES.get(str(param.name))
    if name is None:
        return
    param.metavar = name  # the usage line adds “...” to an argument taking several
    if kind is not None:  # typer shows the kind of value in a column of its own
        shown = f"{kind}..." if param.nargs != 1 else kind
        param.display_type_rich = lambda ctx: shown


def _value_kind(param: Any) -> str | None:
    """``path``, ``str``, ``int`` …: from typer's type display (a choice needs a context)."""
    try:
        shown = str(param.display_type(None)).strip("<>")
    except Exception:  # a choice
        return None
    if shown.startswith("list[") and shown.endswith("]"):
        shown = shown[len("list[") : -1]
    return shown.lower()


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        name = str(getattr(param, "name", ""))
        return ARGUMENT_NAMES.get(name, name.upper())
    return " / ".join(opts)


def usage_message(error: Any, command: Any) -> str:
    """A usage error of typer, in Chinese, from its fields; ``command`` is the root command."""
    if isinstance(error, ChineseUsageError):
        return str(error.message)
    if isinstance(error, _errors.MissingParameter):
        return f"缺少参数：{_param_name(error.param)}"
    if isinstance(error, _errors.NoSuchOption):
        possibilities = sorted(error.possibilities or [])
        hint = f"（是否想写 {'、'.join(possibilities)}？）" if possibilities else ""
        return f"没有这个选项：{error.option_name}{hint}"
    if isinstance(error, InvalidValue):
        return f"{_param_name(error.param)} 的值{error.message}"
    if isinstance(error, _errors.BadParameter):
        return f"{_param_name(error.param)} 的值无效：{error.message}"
    if isinstance(error, _errors.BadOptionUsage):  # a value missing, or given to a flag
        if _is_flag(command, error.option_name):
            return f"选项 {error.option_name} 是开关，后面不能写值"
        return f"选项 {error.option_name} 后面需要写一个值"
    return f"用法错误：{error.message}"


def _is_flag(command: Any, option: str) -> bool:
    """Whether ``option`` is a flag of ``command`` or of one of its subcommands."""
    for param in _all_params(command):
        if option in (*param.opts, *param.secondary_opts):
            return bool(getattr(param, "is_flag", False))
    return False


def _all_params(command: Any) -> Iterable[Any]:
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _all_params(sub)


def help_hint(error: Any, command: Any, argv: Sequence[str]) -> str:
    """Where to read more: the help of the command the error is about. The parser's errors
    (a value missing, or given to a flag) carry no context: the command is read off ``argv``."""
    path = getattr(getattr(error, "ctx", None), "command_path", None)
    if path is None:
        names = ["reportgen"]
        for token in argv:
            commands = getattr(command, "commands", None)
            if commands is None or token.startswith("-"):
                break
            command = commands.get(token)
            if command is None:
                break
            names.append(token)
        path = " ".join(names)
    return f"运行“{path} -h”查看帮助。"


def is_no_args_help(error: Any) -> bool:
    return isinstance(error, _errors.NoArgsIsHelpError)
