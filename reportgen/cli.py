"""The ``reportgen`` command: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reportgen import __version__
from reportgen.cli_chinese import (
    UsageProblem,
    help_hint,
    is_no_args_help,
    localise_help_option,
    localise_typer,
    usage_message,
)
from reportgen.errors import EXIT_INTERRUPTED, EXIT_USAGE, ReportgenError, UsageError
from reportgen.findings import Finding, findings_to_json
from reportgen.reading import require_regular_file
from reportgen.validate import Validation, validate_file

# The renderer (docxtpl, python-docx, lxml) is imported by the commands that use it, so that
# `reportgen validate` starts in the time validation needs.

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

    退出码：0 无错误（可有警告）；1 有错误；2 文件无法读取或用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    results: list[tuple[str, list[Finding]]] = []
    unreadable = False
    for path in files:
        try:
            outcome: Validation = validate_file(path)
        except UsageError as exc:
            unreadable = True
            typer.echo(f"错误：{exc}", err=True)
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


@app.command("render")
def render_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报告数据 YAML 文件或目录（目录取其中的 *.yaml），可写多个", show_default=False
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--output", "-o", help="输出目录（不存在时自动创建）")
    ] = Path("output"),
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", "-t", help="使用自己的 .docx 模板，代替数据中 layout 指定的版式"
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="有警告时也不生成")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="同时生成的进程数（默认：本机的 CPU 核数）",
            show_default=False,
        ),
    ] = None,
) -> None:
    """校验数据并生成 Word 报告。

    文件名为 <输出目录>/<年度>年度<部门名称>部门整体支出绩效自评报告.docx（部门名称须改动或截短才能作文件名时，末尾加 _ 和 8 位校验码）。先校验，有错误的文件不生成任何输出，其余文件照常生成；写入是原子的，失败或按 Ctrl-C 都不会留下半个文件；已有同名文件时，只替换本程序为同一年度同一部门生成的报告。多个文件时在终端显示进度条，最后给出汇总。
    退出码：0 全部生成；1 数据或模板有错误；2 文件无法读取或写入、已有同名的其他文件、用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    import time

    from reportgen.batch import BatchTally, default_jobs, input_files, render_files
    from reportgen.progress import batch_progress

    started = time.monotonic()
    try:
        if jobs is not None and jobs < 1:
            raise UsageError(f"--jobs 应为至少 1 的整数，实际为 {jobs}")
        sources = input_files(files)
        results = render_files(
            sources, out_dir, template=template, strict=strict, pdf=pdf, jobs=jobs or default_jobs()
        )
        tally = BatchTally()
        with batch_progress(len(sources)) as progress:
            for result in results:
                progress.advance(result.source)
                for finding in result.findings:
                    progress.say(finding.as_text())
                for written in result.written:
                    typer.echo(f"已生成：{written}")
                if result.error is not None:
                    message = result.error
                    if not message.startswith(str(result.source)):
                        message = f"{result.source}: {message}"
                    progress.say(f"错误：{message}")
                elif result.exit_code:
                    progress.say(f"{result.source}: 有错误，未生成报告")
                tally.add(result)
    except UsageError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    if len(sources) > 1:
        tally.seconds = time.monotonic() - started
        typer.echo(tally.summary(), err=True)
    if tally.worst:
        raise typer.Exit(tally.worst)


class OverviewChoice(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command("overview")
def overview_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报告数据 YAML 文件或目录（目录取其中的 *.yaml），可写多个", show_default=False
        ),
    ],
    target: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="汇总表文件（默认：汇总.xlsx 或 汇总.csv）", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        OverviewChoice, typer.Option("--format", "-f", help="格式：xlsx 工作簿 | csv 文本表格")
    ] = OverviewChoice.xlsx,
) -> None:
    """汇总多个部门的数据：每个部门一行（预算、支出、执行率、得分、等级、问题数），另列全部问题。

    有错误的文件也占一行，只填能读出的数。已有同名文件时，只替换本程序生成的汇总工作簿；.csv 不替换。
    退出码：0 已生成（各文件的错误写在表中）；2 文件无法读取或写入、已有同名的其他文件、用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.batch import input_files
    from reportgen.overview import OverviewFormat, write_overview

    chosen = OverviewFormat(output_format.value)
    target = target or Path(f"汇总.{chosen.value}")
    try:
        count = write_overview(input_files(files), target, chosen)
    except UsageError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"已生成：{target}（{count} 个文件）")


@app.command("init")
def init_command(
    target: Annotated[Path, typer.Argument(help="要创建的 YAML 文件", show_default=False)],
) -> None:
    """创建一份带中文说明的报告数据模板，按注释填写即可。已存在的文件不会被覆盖。"""
    from reportgen.starter import create_starter

    try:
        create_starter(target)
    except ReportgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"已创建：{target}（填写后运行 reportgen validate {target}）")


template_app = typer.Typer(
    help="模板作者用：列出可用变量、检查模板。", no_args_is_help=True, add_completion=False
)
app.add_typer(template_app, name="template")


@template_app.command("vars")
def template_vars_command() -> None:
    """列出模板中可用的全部变量、段落样式和过滤器（Markdown）。"""
    from reportgen.reference import context_reference

    typer.echo(context_reference())


@template_app.command("check")
def template_check_command(
    templates: Annotated[
        list[Path], typer.Argument(help="要检查的 .docx 模板，可写多个", show_default=False)
    ],
) -> None:
    """检查模板：变量是否存在、样式是否齐全，并用示例数据试渲染（在沙箱中）。

    退出码：0 可用；1 有问题；2 文件不存在或无法读取；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.template_check import check_template

    exit_code = 0
    for template in templates:
        try:
            require_regular_file(template, f"模板 {template}", ".docx 模板")
            problems = check_template(template)
        except UsageError as exc:
            typer.echo(f"错误：{exc}", err=True)
            exit_code = 2
            continue
        for problem in problems:
            typer.echo(f"{template}: {problem}")
        typer.echo(f"{template}: {'有问题' if problems else '可以使用'}")
        if problems:
            exit_code = max(exit_code, 1)
    if exit_code:
        raise typer.Exit(exit_code)


def run_command(argv: Sequence[str]) -> int:
    """Run one ``reportgen`` command line and return its exit code.

    A user's mistake is one Chinese line on stderr; :mod:`reportgen.entry` around it deals
    with Ctrl-C, the console and reportgen's own bugs.
    """
    if not argv or {"-h", "--help"} & set(argv):  # rich's help screens cost a tenth of a second
        localise_typer()
    command = typer.main.get_command(app)
    localise_help_option(command)
    try:
        code = command.main(list(argv), standalone_mode=False, prog_name="reportgen")
    except ReportgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        return exc.exit_code
    except UsageProblem as exc:
        if is_no_args_help(exc):
            exc.show()
            return EXIT_USAGE
        typer.echo(f"错误：{usage_message(exc)}\n{help_hint(exc)}", err=True)
        return EXIT_USAGE
    except typer.Abort:  # end of input at a prompt; older typer also says so for Ctrl-C
        typer.echo("已中止。", err=True)
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else 0
