"""A batch's progress: a bar on a terminal, nothing when the output is piped or redirected."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from reportgen.batch.run import RenderResult


class BatchProgress:
    """Advances once a file. The one printer of a batch while it runs: every line goes through
    it, above the bar when there is one, so that no line lands behind a copy of the bar."""

    def __init__(self, progress: Progress | None, task: TaskID | None) -> None:
        self._progress, self._task = progress, task

    def advance(self, source: Path) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, description=source.name)
            self._progress.refresh()

    def say(self, line: str) -> None:
        """A line on standard error (a finding, an error), above the bar when there is one."""
        if self._progress is None:
            typer.echo(line, err=True)
        else:
            self._above(line)

    def tell(self, line: str) -> None:
        """A line on standard output (a file written). When standard output is the terminal the
        bar is drawn on, it goes above the bar; redirected, it goes to its file or pipe."""
        if self._progress is None or not _is_terminal(sys.stdout):
            typer.echo(line)
        else:
            self._above(line)

    def report(self, result: RenderResult) -> None:
        """What one file gave: its findings and error above the bar, the files written on
        standard output."""
        for finding in result.findings:
            self.say(finding.as_text())
        for written in result.written:
            self.tell(f"已生成：{written}")
        if result.error is not None:
            message = result.error
            if not message.startswith(str(result.source)):
                message = f"{result.source}: {message}"
            self.say(f"错误：{message}")
        elif result.exit_code:
            self.say(f"{result.source}: 有错误，未生成报告")

    def _above(self, line: str) -> None:
        assert self._progress is not None
        # printed as given: no markup, emoji codes or highlighting taken from a file name
        self._progress.console.print(
            line, markup=False, emoji=False, highlight=False, soft_wrap=True
        )


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


@contextmanager
def batch_progress(total: int, console: Console | None = None) -> Iterator[BatchProgress]:
    """A bar on ``console`` (by default standard error) only when it is a terminal."""
    if total <= 1 or (console is None and not _is_terminal(sys.stderr)):
        yield BatchProgress(None, None)  # rich is not even imported: one report starts faster
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield BatchProgress(None, None)
        return
    progress = Progress(
        TextColumn("生成报告"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        # what is written to sys.stdout stays there (a pipe, a file): BatchProgress.tell
        # decides; a stray write to sys.stderr still goes above the bar
        redirect_stdout=False,
        auto_refresh=False,  # no drawing thread: worker processes may then be forked safely
    )
    with progress:
        yield BatchProgress(progress, progress.add_task("", total=total))
