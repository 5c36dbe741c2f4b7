"""The ``reportgen`` command: parse arguments, call the library, map errors to exit codes.

Why one module: typer builds the whole command from one app, and its help lists the commands in the
order they are defined here.
"""

# No ``from __future__ import annotations`` here: typer would evaluate every command's
# annotations from text each time it builds the commands (8 ms of each start-up).

import contextlib
import importlib
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reportgen import __version__
from reportgen.batch.overview_format import OverviewFormat
from reportgen.cli.authoring import layout_app, profile_app, template_app
from reportgen.cli.chinese import (
    ChineseCommand,
    ChineseGroup,
    UsageProblem,
    choice,
    help_hint,
    integer,
    is_no_args_help,
    localise_panels,
    usage_message,
)
from reportgen.cli.options import LayoutOption, TemplatesOption, layout_search, refusal
from reportgen.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    ReportgenError,
    UsageError,
)
from reportgen.findings import Finding, clip, findings_to_json

# The renderer (docxtpl, python-docx, lxml) is imported by the commands that use it, so that
# `reportgen validate` starts in the time validation needs. What each command imports is loaded
# by :func:`preload` first, while the process's start-up pauses the garbage collector.
_COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "validate": ("reportgen.check.validate",),
    "render": ("reportgen.batch.session",),
    "overview": ("reportgen.batch.overview", "reportgen.batch.run"),
    "import": ("reportgen.importer",),
    "audit": ("reportgen.importer.audit",),
    "serve": ("reportgen.serve.run",),
    "template check": ("reportgen.template.check",),
    "template preview": ("reportgen.output.preview",),
    "layout check": ("reportgen.template.check",),
}
# typer reads every command's options through pydantic's adapters, loaded at the first option
_OPTION_PARSING = "typer._adapters"

app = typer.Typer(
    name="reportgen",
    help="部门整体支出绩效自评报告生成工具：校验 YAML 数据，生成公文格式的 Word 报告。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    cls=ChineseGroup,
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


app.add_typer(template_app, name="template")
app.add_typer(layout_app, name="layout")
app.add_typer(profile_app, name="profile")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _summary(name: str, findings: list[Finding], passed: bool = True, more: str = "") -> str:
    """The last line for a file: its verdict, counts, and ``more`` to say."""
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    verdict = "未通过" if errors or not passed else "通过"
    return f"{name}: {verdict}（{errors} 个错误，{warnings} 个警告{more}）"


@app.command("validate", cls=ChineseCommand)
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="要校验的 YAML 文件，可写多个", show_default=False, readable=False),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            parser=choice(OutputFormat),
            help="输出格式：text 文字 | json 机器可读",
        ),
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="把警告也当作错误")] = False,
    layout: LayoutOption = None,
    templates: TemplatesOption = None,
) -> None:
    """校验一个或多个报告数据文件，一次列出全部问题（必填的节按所用版式的大纲检查）。

    退出码：0 无错误（可有警告）；1 有错误；2 文件无法读取或用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    # here, not at the top: ``reportgen --help`` and every other command's help need no model
    from reportgen.check.validate import validate_file

    search = layout_search(templates)
    results: list[tuple[str, list[Finding]]] = []
    unreadable = False
    for path in files:
        try:
            outcome = validate_file(path, search=search, layout=layout)
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
        raise typer.Exit(EXIT_USAGE)
    if any(f.is_error for _, found in results for f in found):
        raise typer.Exit(EXIT_INVALID)


@app.command("render", cls=ChineseCommand)
def render_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报告数据 YAML 文件或目录（目录取其中的 *.yaml），可写多个",
            show_default=False,
            readable=False,
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--output", "-o", help="输出目录（不存在时自动创建）", readable=False)
    ] = Path("output"),
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            "-t",
            help="使用自己的 .docx 模板，代替数据中 layout 指定的版式",
            readable=False,
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF")] = False,
    table: Annotated[
        bool,
        typer.Option(
            "--table",
            help="同时生成部门整体支出绩效自评表（.docx 和 .xlsx，与报告出自同一份数据；数据中须有 table:）",
        ),
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="有警告时也不生成")] = False,
    layout: LayoutOption = None,
    templates: TemplatesOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            parser=integer(minimum=1),
            help="同时生成的进程数（默认并且最多为本机的 CPU 核数，更多只会争用 CPU 和内存）",
            show_default=False,
        ),
    ] = None,
) -> None:
    """校验数据并生成 Word 报告。

    文件名为 <输出目录>/<年度>年度<部门名称>部门整体支出绩效自评报告.docx（部门名称须改动或截短才能作文件名时，末尾加 _ 和 8 位校验码）；加 --table 时另有同名的 …部门整体支出绩效自评表.docx 和 .xlsx。先校验，有错误的文件不生成任何输出，其余文件照常生成；写入是原子的，失败或按 Ctrl-C 都不会留下半个文件；已有同名文件时，只替换本程序为同一年度同一部门生成的报告。多个文件时在终端显示进度条，最后给出汇总。
    退出码：0 全部生成；1 数据或模板有错误；2 文件无法读取或写入、已有同名的其他文件、用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.batch.session import render_batch

    with refusal():
        tally = render_batch(
            files,
            out_dir,
            template=template,
            strict=strict,
            pdf=pdf,
            table=table,
            jobs=jobs,
            search=layout_search(templates),
            layout=layout,
        )
    if tally.files > 1:
        typer.echo(tally.summary(), err=True)
    if tally.worst:
        raise typer.Exit(tally.worst)


@app.command("overview", cls=ChineseCommand)
def overview_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="报告数据 YAML 文件或目录（目录取其中的 *.yaml），可写多个",
            show_default=False,
            readable=False,
        ),
    ],
    target: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="汇总表文件（默认：汇总.xlsx 或 汇总.csv）",
            show_default=False,
            readable=False,
        ),
    ] = None,
    output_format: Annotated[
        OverviewFormat | None,
        typer.Option(
            "--format",
            "-f",
            parser=choice(OverviewFormat),
            help="格式：xlsx 工作簿 | csv 文本表格（默认按 -o 文件的扩展名，无 -o 时为 xlsx）",
            show_default=False,
        ),
    ] = None,
    layout: LayoutOption = None,
    templates: TemplatesOption = None,
) -> None:
    """汇总多个部门的数据：每个部门一行（预算、支出、执行率、得分、等级、问题数），另列全部问题。

    格式由 -o 文件的扩展名（.xlsx 或 .csv）决定，--format 须与之一致。有错误的文件也占一行，只填能读出的数；合计按年度，只计无错误、不重复的单位。已有同名文件时，只替换本程序生成的汇总工作簿；.csv 不替换。
    退出码：0 已生成（各文件的错误写在表中）；2 文件无法读取或写入、已有同名的其他文件、用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.batch.overview import overview_target, write_overview
    from reportgen.batch.run import input_files

    with refusal():
        target, chosen = overview_target(target, output_format)
        count = write_overview(input_files(files), target, chosen, layout_search(templates), layout)
    typer.echo(f"已生成：{target}（{count} 个文件）")


@app.command("init", cls=ChineseCommand)
def init_command(
    target: Annotated[
        Path, typer.Argument(help="要创建的 YAML 文件", show_default=False, readable=False)
    ],
    table: Annotated[
        bool,
        typer.Option(
            "--table",
            help="以带自评表（table）的完整示例为起点（番禺区政府办 2023 年度，按区级评分方案计分）",
        ),
    ] = False,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            "-l",
            help="按这一版式的大纲写出各节（如财政局下发的区版式），数据格式说明也按它",
            show_default=False,
        ),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """创建一份带中文说明的报告数据模板，按注释填写即可。已存在的文件不会被覆盖。

    退出码：0 成功；1 版式的大纲有错误；2 文件已存在、版式不存在或用法错误。
    """
    from reportgen.docs.starter import create_starter

    search = layout_search(templates)
    with refusal():
        written = create_starter(target, table, search, layout)
    typer.echo(f"已创建：{target}（填写后运行 reportgen validate {target}）")
    for extra in written[1:]:
        typer.echo(
            f"已创建：{extra}（数据格式说明，供编辑器自动补全和检查，见 docs/yaml-format.md）"
        )


@app.command("doctor", cls=ChineseCommand)
def doctor_command() -> None:
    """检查本机环境：Python、LibreOffice（生成 PDF 用）、公文字体或其替代字体。

    退出码：0 一切就绪；1 有缺少的部分（以 ✗ 标出）。
    """
    from reportgen.cli.doctor import diagnose

    checks = diagnose()
    for check in checks:
        typer.echo(check.as_text())
    if not all(check.ok for check in checks):
        raise typer.Exit(EXIT_INVALID)


@app.command("schema", cls=ChineseCommand)
def schema_command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="写入此文件（不写则输出到屏幕）",
            show_default=False,
            readable=False,
        ),
    ] = None,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            "-l",
            help="按这一版式的大纲写出各节（键名、顺序、必填），编辑器据此补全；"
            "不写则列出各版式的全部节",
            show_default=False,
        ),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """输出数据格式的 JSON Schema，供 VS Code 等编辑器在填写 YAML 时自动补全和检查。

    退出码：0 成功；1 版式的大纲有错误；2 版式不存在、文件无法写入或用法错误。
    """
    from reportgen.docs.json_schema import schema_text, write_schema

    search = layout_search(templates)
    with refusal():
        if output is None:
            typer.echo(schema_text(search, layout), nl=False)
            return
        write_schema(output, search, layout)
    typer.echo(f"已写入：{output}")


@app.command("import", cls=ChineseCommand)
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="已发布的报告：.docx、.pdf、.txt（从 PDF 提取的文字）或 .md",
            show_default=False,
            readable=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="草稿文件（默认与报告同名、扩展名为 .yaml）；不会覆盖已有文件",
            readable=False,
        ),
    ] = None,
    layout: Annotated[
        str | None, typer.Option("--layout", help="指定版式（默认按标题自动选择）")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            parser=integer(),
            help="为该年度起草：数据项标为“待填写”，上一年的数写在注释中",
        ),
    ] = None,
    table: Annotated[
        bool,
        typer.Option(
            "--table",
            help="把绩效指标写成自评表的指标树（table.indicators，按版式的评分方案归入一级、二级指标）",
        ),
    ] = False,
    templates: TemplatesOption = None,
) -> None:
    """从已发布的报告生成 YAML 数据草稿：分节、去掉手写编号、提取数字并在正文中改为 ${…}。

    退出码：0 已生成；1 草稿已生成但不完整（没有找到一级标题，或缺少数据必须有的数），或报告超出可导入的上限（页数、字数、标题数、编号值等，此时不写草稿）；2 报告无法读取、草稿文件已存在或用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.importer import import_file

    with refusal():
        outcome = import_file(
            source,
            output,
            layout=layout,
            next_year=year,
            table=table,
            search=layout_search(templates),
        )
    imported = outcome.imported
    ranking = "；".join(f"{m.layout} {m.score:.1f}" for m in imported.ranking)
    typer.echo(
        f"已生成：{outcome.target}（版式 {imported.mapping.layout}；按标题匹配的得分：{ranking}）"
    )
    for note in imported.notes[:_NOTES_SHOWN]:
        typer.echo(f"  需要核对：{_shortened(note)}")
    if len(imported.notes) > _NOTES_SHOWN:
        typer.echo(f"  另有 {len(imported.notes) - _NOTES_SHOWN} 处需要核对，见草稿开头")
    errors = sum(f.is_error for f in outcome.findings)
    typer.echo(
        f"草稿校验：{errors} 个错误，{len(outcome.findings) - errors} 个警告；"
        f"请运行 reportgen validate {outcome.target}"
    )
    for reason in outcome.unfinished:
        typer.echo(f"未完成：{reason}", err=True)
    if outcome.unfinished:
        typer.echo(f"草稿已写入 {outcome.target}，补全后才能生成报告", err=True)
        raise typer.Exit(1)


_NOTES_SHOWN = 10
_NOTE_WIDTH = 120


def _shortened(text: str) -> str:
    """A note on one terminal line or two: never pages of a report's text."""
    text = " ".join(text.split())
    return text if len(text) <= _NOTE_WIDTH else f"{clip(text, _NOTE_WIDTH)}…（共 {len(text)} 字）"


@app.command("audit", cls=ChineseCommand)
def audit_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="已发布的报告（.docx、.pdf、.txt、.md），可写多个",
            show_default=False,
            readable=False,
        ),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            parser=choice(OutputFormat),
            help="输出格式：text 文字 | json 机器可读",
        ),
    ] = OutputFormat.text,
    table: Annotated[
        Path | None,
        typer.Option(
            "--table",
            help="同时核对与报告一起发布的自评表（.xlsx、.docx 或 .pdf；只核对一份报告时使用）",
            show_default=False,
            readable=False,
        ),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """核对已发布的报告：导入后运行全部校验规则，列出每处差错及其所在的原句，以及找到、核对了多少个数。

    退出码：0 无错误（可有警告）；1 有错误，或无法分节、没有可核对的数，或报告超出可导入的上限；2 文件无法读取或用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    多个文件时，--format json 列出每个文件：读不了的文件写明原因（error）。
    """
    from reportgen.importer.audit import Audit, Unread, audit_file, audits_to_json

    if table is not None and len(files) != 1:
        typer.echo("错误：--table 只能与一份报告一起核对", err=True)
        raise typer.Exit(EXIT_USAGE)
    audits: list[Audit | Unread] = []
    crash: Exception | None = None
    search = layout_search(templates)
    for path in files:
        try:
            audits.append(audit_file(path, table, search))
        except ReportgenError as exc:
            audits.append(Unread(str(path), str(exc), exc.exit_code))
            typer.echo(f"错误：{exc}", err=True)
        except Exception as exc:  # a bug: the other files are still reported, then it is raised
            audits.append(Unread(str(path), "reportgen 内部错误，见下方的说明", EXIT_INTERNAL))
            crash = crash or exc
    done = [audit for audit in audits if isinstance(audit, Audit)]
    if output_format is OutputFormat.json:
        typer.echo(audits_to_json(audits))
    else:
        for audit in done:
            for slip in audit.slips:
                typer.echo(slip.as_text(audit.source))
            for reason in audit.unaudited:
                typer.echo(f"{audit.source}: 无法核对：{reason}")
            if audit.unchecked:
                typer.echo(
                    f"{audit.source}: 以下 {len(audit.unchecked)} 个数没有别的数可与之核对，未核对："
                )
                for figure in audit.unchecked:
                    typer.echo(f"    {figure.as_text()}")
            findings = [slip.finding for slip in audit.slips]
            typer.echo(_summary(audit.source, findings, audit.ok, f"；{audit.coverage()}"))
    if crash is not None:
        raise crash
    codes = {audit.exit_code for audit in audits if isinstance(audit, Unread)}
    if EXIT_USAGE in codes:
        raise typer.Exit(EXIT_USAGE)
    if codes or not all(audit.ok for audit in done):
        raise typer.Exit(EXIT_INVALID)


@app.command("serve", cls=ChineseCommand)
def serve_command(
    folder: Annotated[
        Path, typer.Argument(help="数据文件所在的文件夹（默认：当前文件夹）", readable=False)
    ] = Path("."),
    open_browser: Annotated[bool, typer.Option("--open", help="启动后打开浏览器")] = False,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            parser=integer(minimum=0),
            help="端口（默认：任选一个空闲端口）",
            show_default=False,
        ),
    ] = 0,
    templates: TemplatesOption = None,
) -> None:
    """在浏览器中填写、校验报告数据并下载报告：只在本机（127.0.0.1）运行，不连网。

    显示的地址含本次运行的口令；只能打开这个文件夹中的文件。按 Ctrl-C 停止。
    退出码：0 已停止（Ctrl-C）；2 文件夹不存在、端口被占用或用法错误；70 程序内部错误。
    """
    from reportgen.serve.run import serve

    search = layout_search(templates)
    with refusal():
        serve(folder, typer.echo, port=port, open_browser=open_browser, search=search)


def run_command(argv: Sequence[str]) -> int:
    """Run one ``reportgen`` command line and return its exit code.

    A user's mistake is one Chinese line on stderr; :mod:`reportgen.cli.entry` around it deals
    with Ctrl-C, the console and reportgen's own bugs.
    """
    empty = [i for i, arg in enumerate(argv, 1) if arg == ""]
    if empty:  # typer would read '' as the current folder: render '' would take every .yaml there
        typer.echo(
            f"错误：第 {empty[0]} 个参数是空的（常见于引号中的变量没有值）；"
            "请写出文件、目录或选项的值\n运行“reportgen -h”查看帮助。",
            err=True,
        )
        return EXIT_USAGE
    command = typer.main.get_command(app)
    if _shows_help(command, argv):  # rich's help screens cost a tenth of a second
        localise_panels()
    try:
        code = command.main(list(argv), standalone_mode=False, prog_name="reportgen")
    except ReportgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        return exc.exit_code
    except UsageProblem as exc:
        if is_no_args_help(exc):
            exc.show()
            return EXIT_USAGE
        typer.echo(
            f"错误：{usage_message(exc, command)}\n{help_hint(exc, command, argv)}", err=True
        )
        return EXIT_USAGE
    except typer.Abort:  # end of input at a prompt; older typer also says so for Ctrl-C
        typer.echo("已中止。", err=True)
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK


def preload(argv: Sequence[str]) -> None:
    """Import what the command ``argv`` names will import when it runs (nothing for a help
    screen): :mod:`reportgen.cli.entry` does this with the garbage collector paused, which
    spares a tenth of `reportgen render`'s start-up (benchmarks/RESULTS.md)."""
    if not argv or {"-h", "--help"} & set(argv):
        return
    words = [arg for arg in argv if not arg.startswith("-")][:2]
    modules = _COMMAND_MODULES.get(words[0] if words else "") or _COMMAND_MODULES.get(
        " ".join(words), ()
    )
    with contextlib.suppress(ImportError):  # a later typer may parse options another way
        importlib.import_module(_OPTION_PARSING)
    for module in modules:
        importlib.import_module(module)


def _shows_help(command: object, argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks for a help screen: ``-h``, or a group with no command."""
    if not argv or {"-h", "--help"} & set(argv):
        return True
    groups = getattr(command, "commands", {})
    return len(argv) == 1 and isinstance(groups.get(argv[0]), typer.core.TyperGroup)
