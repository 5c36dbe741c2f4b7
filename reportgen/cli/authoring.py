"""The template author's commands: ``reportgen template …`` and ``reportgen layout …``."""

# No ``from __future__ import annotations``: typer reads these annotations (see app.py).

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.chinese import ChineseCommand, ChineseGroup
from reportgen.cli.options import TemplatesOption, layout_search, refusal
from reportgen.errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from reportgen.read.text import require_regular_file

template_app = typer.Typer(
    help="模板作者用：列出可用变量、检查模板。",
    no_args_is_help=True,
    add_completion=False,
    cls=ChineseGroup,
)


@template_app.command("vars", cls=ChineseCommand)
def template_vars_command(
    templates: TemplatesOption = None,
    layout: Annotated[
        str | None,
        typer.Option("--layout", help="只列出这一版式大纲中的节", show_default=False),
    ] = None,
) -> None:
    """列出模板中可用的全部变量、段落样式和过滤器（Markdown）；各节的键名取自内置版式和
    --templates 文件夹中的版式。

    退出码：0 成功；2 版式不存在或用法错误。
    """
    from reportgen.docs.reference import context_reference

    search = layout_search(templates)
    with refusal():
        typer.echo(context_reference(search, layout))


@template_app.command("check", cls=ChineseCommand)
def template_check_command(
    template: Annotated[
        Path, typer.Argument(help="要检查的 .docx 模板", show_default=False, readable=False)
    ],
    data: Annotated[
        list[Path] | None,
        typer.Argument(
            help="再用这些部门的数据试渲染（可写多个）", show_default=False, readable=False
        ),
    ] = None,
    templates: TemplatesOption = None,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            help="按这一版式的大纲试渲染（默认：模板所在的版式文件夹的版式，"
            "否则各数据都写的 layout，否则 default）",
        ),
    ] = None,
    table: Annotated[
        bool,
        typer.Option(
            "--table",
            help="按自评表模板检查（文件名为 table.docx 时自动如此），用自评表示例数据试渲染",
        ),
    ] = False,
) -> None:
    """检查模板：逐个标签检查写法、变量、过滤器和节的键名，再用完整示例数据、最少示例数据
    （只有必填项）和给出的各部门数据试渲染；一次列出全部问题，每个问题给出所在段落和最近的标题。
    版式文件夹中的自评表模板 table.docx 按自评表检查（或加 --table）。

    退出码：0 可用；1 有问题；2 文件不存在或无法读取；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.layout.search import TABLE_FILE
    from reportgen.template.check import check_table_template, check_template

    with refusal():
        require_regular_file(template, f"模板 {template}", ".docx 模板")
        for path in data or []:
            require_regular_file(path, f"数据文件 {path}", "YAML 数据文件")
        check = check_table_template if table or template.name == TABLE_FILE else check_template
        problems = check(template, data or [], layout_search(templates), layout)
    for problem in problems:
        typer.echo(f"{template}: {problem}")
    typer.echo(f"{template}: {f'有 {len(problems)} 个问题' if problems else '可以使用'}")
    if problems:
        raise typer.Exit(EXIT_INVALID)


@template_app.command("preview", cls=ChineseCommand)
def template_preview_command(
    template: Annotated[
        Path, typer.Argument(help="要预览的 .docx 模板", show_default=False, readable=False)
    ],
    data: Annotated[
        list[Path] | None,
        typer.Argument(
            help="用这些部门的数据预览（不写时用完整、最少两份示例数据）",
            show_default=False,
            readable=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--output", "-o", help="预览文件写入的目录", readable=False)
    ] = Path("预览"),
    pdf: Annotated[bool, typer.Option("--pdf", help="同时生成 PDF（需 LibreOffice）")] = False,
    templates: TemplatesOption = None,
    layout: Annotated[
        str | None, typer.Option("--layout", help="按这一版式的大纲预览（默认按数据中的 layout）")
    ] = None,
) -> None:
    """用示例数据（或给出的部门数据）生成预览报告“预览-….docx”，供模板作者查看版面。

    退出码：0 已生成；1 模板或数据有错误；2 文件无法读取或写入；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.output.preview import preview

    require_regular_file(template, f"模板 {template}", ".docx 模板")
    for path in preview(template, data or [], out_dir, pdf, layout_search(templates), layout):
        typer.echo(f"已生成：{path}")


layout_app = typer.Typer(
    help="模板作者用：列出版式、复制一个版式来修改、检查版式。",
    no_args_is_help=True,
    add_completion=False,
    cls=ChineseGroup,
)


@layout_app.command("list", cls=ChineseCommand)
def layout_list_command(templates: TemplatesOption = None) -> None:
    """列出可用的版式：名称、说明、所在位置（先列出的文件夹优先）。

    退出码：0 全部可用；1 有版式的大纲或模板有问题；2 用法错误。
    """
    broken = False
    for layout in layout_search(templates).all():
        typer.echo(f"{layout.name}\t{layout.label}\t{layout.origin}")
        for problem in layout.problems:
            broken = True
            typer.echo(f"  {problem.as_text()}")
    if broken:
        raise typer.Exit(EXIT_INVALID)


@layout_app.command("check", cls=ChineseCommand)
def layout_check_command(
    names: Annotated[
        list[str], typer.Argument(help="要检查的版式名称，可写多个", show_default=False)
    ],
    templates: TemplatesOption = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data", help="再用这份部门数据试渲染（可写多次）", show_default=False, readable=False
        ),
    ] = None,
) -> None:
    """检查版式：大纲 outline.yaml 的每个错误（文件:行:列），模板 template.docx 的变量、样式与试渲染。

    退出码：0 可用；1 有问题；2 版式不存在或用法错误；70 程序内部错误；130 已中止（Ctrl-C）。
    """
    from reportgen.template.check import check_layout

    search = layout_search(templates)
    exit_code = EXIT_OK
    for name in names:
        layout = search.find(name)
        if layout is None:
            typer.echo(f"错误：{search.unknown(name)}", err=True)
            exit_code = EXIT_USAGE
            continue
        problems = check_layout(layout, data or [], search)
        for problem in problems:
            typer.echo(problem)
        typer.echo(f"{name}（{layout.folder}）: {'有问题' if problems else '可以使用'}")
        if problems:
            exit_code = max(exit_code, EXIT_INVALID)
    if exit_code:
        raise typer.Exit(exit_code)


@layout_app.command("new", cls=ChineseCommand)
def layout_new_command(
    name: Annotated[str, typer.Argument(help="新版式的名称（文件夹名）", show_default=False)],
    base: Annotated[
        str, typer.Option("--from", help="从哪个版式复制，如 default", show_default=False)
    ] = "default",
    target_dir: Annotated[
        Path, typer.Option("--dir", help="在哪个文件夹中创建（默认当前目录）", readable=False)
    ] = Path("."),
    templates: TemplatesOption = None,
) -> None:
    """复制一个版式（模板 template.docx 与大纲 outline.yaml）供修改；已存在的文件夹不会被覆盖。

    退出码：0 已创建；2 名称无效、版式不存在、目标已存在或无法写入。
    """
    with refusal():
        from reportgen.layout.search import new_layout

        created = new_layout(name, base, layout_search(templates), target_dir)
    typer.echo(
        f"已创建：{created}（修改其中的 template.docx 与 outline.yaml 后，"
        f"用 --templates {target_dir} --layout {name} 使用）"
    )


@layout_app.command("migrate", cls=ChineseCommand)
def layout_migrate_command(
    data: Annotated[
        Path, typer.Argument(help="部门的 YAML 数据文件", show_default=False, readable=False)
    ],
    layout: Annotated[
        str, typer.Option("--layout", "-l", help="迁移到这个版式", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="新文件（默认 <原名>.<版式>.yaml）；不会覆盖已有文件",
            readable=False,
        ),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """把为一个大纲写的数据改写为另一个版式（或改过大纲的版式）的写法，写入新文件：各节并入整章正文、
    删去版式已提供的本部门节、保留其余的节；原文件不变，注释尽量保留。

    退出码：0 已写出且可用；1 已写出但仍有错误（如须补写的必填节）；2 文件或版式问题。
    """
    from reportgen.findings import format_path
    from reportgen.output.migrated import migrate_file

    with refusal():
        migrated = migrate_file(data, layout, layout_search(templates), output)
    for where, step in migrated.migration.steps:
        typer.echo(f"  {format_path(where)}: {step}")
    typer.echo(f"已写出：{migrated.target}（原文件 {data} 未改动）")
    if not migrated.comments_kept:
        typer.echo("  注意：无法在原文上逐处修改，新文件按数据重写，原有注释未保留")
    validation = migrated.validation
    if validation is not None and not validation.ok:
        for finding in validation.findings:
            if finding.is_error:
                typer.echo(finding.as_text())
        raise typer.Exit(EXIT_INVALID)


profile_app = typer.Typer(
    help="自评表的评分方案：列出内置与 --templates 文件夹 profiles/ 中的方案。",
    no_args_is_help=True,
    add_completion=False,
    cls=ChineseGroup,
)


@profile_app.command("list", cls=ChineseCommand)
def profile_list_command(templates: TemplatesOption = None) -> None:
    """列出可用的评分方案：名称、说明、所在文件（先列出的文件夹优先）；方案文件有错时列出每个错误。

    退出码：0 全部可用；1 有方案文件有错误；2 用法错误。
    """
    broken = False
    for found in layout_search(templates).profiles():
        typer.echo(f"{found.name}\t{found.label}\t{found.origin}")
        for problem in found.problems:
            broken = True
            typer.echo(f"  {problem.as_text()}")
    if broken:
        raise typer.Exit(EXIT_INVALID)
