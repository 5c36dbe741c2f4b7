"""The ``reportgen`` command: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reportgen import __version__
from reportgen.errors import ReportgenError, UsageError
from reportgen.findings import Finding, findings_to_json
from reportgen.validate import Validation, validate_file

app = typer.Typer(
    name="reportgen",
    help="部门整体支出绩效自评报告生成工具：校验 YAML 数据，生成公文格式的 Word 报告。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")
    ] = False,
) -> None:
    """部门整体支出绩效自评报告生成工具：校验 YAML 数据，生成公文格式的 Word 报告。"""


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _summary(name: str, findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    verdict = "未通过" if errors else "通过"
    return f"{name}: {verdict}（{errors} 个错误，{warnings} 个警告）"


@app.command("validate")
def validate_command(
    files: Annotated[
        list[Path], typer.Argument(help="要校验的 YAML 文件，可写多个", show_default=False)
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="输出格式：text 文字 | json 机器可读")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="把警告也当作错误")] = False,
) -> None:
    """校验一个或多个报告数据文件，一次列出全部问题。

    退出码：0 无错误（可有警告）；1 有错误；2 文件无法读取或用法错误。
    """
    results: list[tuple[str, list[Finding]]] = []
    unreadable = False
    for path in files:
        try:
            outcome: Validation = validate_file(path)
        except UsageError as exc:
            unreadable = True
            typer.echo(str(exc), err=True)
            continue
        if strict:
            outcome = outcome.strict()
        results.append((str(path), outcome.findings))
    if output_format is OutputFormat.json:
        typer.echo(findings_to_json(results))
    else:
        for name, findings in results:
            for finding in findings:
                typer.echo(finding.as_text())
            typer.echo(_summary(name, findings))
    if unreadable:
        raise typer.Exit(2)
    if any(f.is_error for _, found in results for f in found):
        raise typer.Exit(1)


def main() -> None:
    """Entry point: a user's mistake is one Chinese line on stderr, never a traceback."""
    try:
        app()
    except ReportgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        sys.exit(exc.exit_code)
