"""What several commands share: the ``--templates`` and ``--layout`` options, and a user's
mistake inside a command said as the entry point says it."""

# No ``from __future__ import annotations``: typer reads these annotations (see app.py).

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reportgen.errors import ReportgenError

if TYPE_CHECKING:  # imported where used: the outline's models cost every --help otherwise
    from reportgen.layout.search import LayoutSearch

TemplatesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates",
        help="到这个文件夹中找版式（可写多次，先于内置版式；同名时覆盖内置版式）；"
        "也可用环境变量 REPORTGEN_TEMPLATES",
        show_default=False,
        readable=False,
    ),
]
LayoutOption = Annotated[
    str | None,
    typer.Option(
        "--layout", "-l", help="使用这个版式，代替数据中 layout 指定的版式", show_default=False
    ),
]


@contextlib.contextmanager
def refusal() -> Iterator[None]:
    """A user's mistake inside a command: one Chinese line on stderr and its exit code (the
    same as the entry point prints, so that typer's test runner sees it too)."""
    try:
        yield
    except ReportgenError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def layout_search(templates: list[Path] | None) -> "LayoutSearch":
    """Where layouts are found; a ``--templates`` folder that is not there is a usage error."""
    from reportgen.layout.search import LayoutSearch, check_folders

    with refusal():
        check_folders(templates or [])
    return LayoutSearch.from_options(templates or [])
