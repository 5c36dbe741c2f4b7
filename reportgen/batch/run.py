"""Render many reports in one run: each validated first, none overwriting another's file,
shared among worker processes that each compile a template once and start LibreOffice once."""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from reportgen.check.validate import validate_file
from reportgen.clock import source_date_epoch
from reportgen.errors import (
    FileSystemError,
    Interrupted,
    RenderError,
    ReportgenError,
    UsageError,
    interruption,
)
from reportgen.findings import Finding
from reportgen.layout.search import LayoutSearch
from reportgen.output.naming import output_name, pdf_name
from reportgen.output.render import render_to_file
from reportgen.read.text import require_regular_file
from reportgen.template.cache import TemplateCache

# Files a worker takes at a time: enough to amortise a LibreOffice start over its PDFs,
# few enough that progress moves and the last share does not keep one core busy alone.
SHARE = 8
PDF_SHARE = 25
# A LibreOffice start costs about as much CPU as converting ten reports: a second one pays
# only when it has at least this many to convert, or two starts compete for the same cores.
PDF_LEAST_SHARE = 20


@dataclass
class RenderResult:
    """What happened to one input file. Sent from a worker process, so it holds the error's
    message and exit code rather than the exception."""

    source: Path
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    error: str | None = None
    error_code: int = 0

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error_code
        return 1 if any(f.is_error for f in self.findings) else 0

    def fail(self, error: ReportgenError) -> None:
        if self.error is None:  # the first error is the one that stopped the file
            self.error, self.error_code = str(error), error.exit_code


@dataclass(frozen=True)
class _Settings:
    out_dir: Path
    template: Path | None
    strict: bool
    pdf: bool
    claims: Path  # a directory: one file per output name taken, holding its source
    search: LayoutSearch | None = None  # where layouts are (--templates, REPORTGEN_TEMPLATES)
    layout: str | None = None  # --layout: replaces each file's layout
    table: bool = False  # --table: the 自评表 too, as .docx and .xlsx


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, each folder replaced by its ``*.yaml`` files in name order. A folder
    named like a data file (``x.yaml``) stays, to be refused as a folder where a file was meant;
    so does a symbolic link in a folder that leads nowhere, to be refused as such."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and path.suffix not in {".yaml", ".yml"}:
            try:
                found = sorted(
                    p
                    for p in path.iterdir()
                    if p.suffix == ".yaml" and (p.is_file() or p.is_symlink())
                )
            except OSError as exc:
                raise FileSystemError(f"无法读取目录 {path}", exc) from exc
            if not found:
                raise UsageError(f"目录 {path} 中没有 .yaml 文件")
            files.extend(found)
        else:
            files.append(path)
    return files


def render_files(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    template: Path | None = None,
    strict: bool = False,
    pdf: bool = False,
    table: bool = False,
    jobs: int = 1,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> Iterator[RenderResult]:
    """Validate and render each source, yielding its result in the order given; a failure
    stops only its own file. With ``jobs`` > 1 the files are shared among that many worker
    processes. Nothing is kept after it is yielded, so memory does not grow with the batch.

    ``layout`` (``--layout``) replaces each file's ``layout:``; ``search`` says where layouts are.

    Two sources of the same year and department would have the same report: the first to
    be rendered gets it (with ``jobs`` = 1, the first given), the other an error.
    """
    if template is not None:
        require_regular_file(template, f"模板 {template}", ".docx 模板")
    source_date_epoch()  # a malformed SOURCE_DATE_EPOCH is said once, before any file
    sources = list(sources)
    jobs = min(jobs, default_jobs())
    with tempfile.TemporaryDirectory(prefix="reportgen-claims-") as claims:
        settings = _Settings(out_dir, template, strict, pdf, Path(claims), search, layout, table)
        shares = (
            _shares(sources, jobs, PDF_SHARE, PDF_LEAST_SHARE)
            if pdf
            else _shares(sources, jobs, SHARE)
        )
        if jobs <= 1 or len(shares) <= 1:
            cache = TemplateCache()
            for share in shares:
                yield from _render_share(share, settings, cache)
            return
        yield from _in_workers(shares, settings, jobs)


def _shares(sources: list[Path], jobs: int, most: int, least: int = 1) -> list[list[Path]]:
    """``sources`` cut in order into shares of at most ``most`` files, small enough that every
    job gets one unless that would leave a share with fewer than ``least``."""
    if not sources:
        return []
    size = max(least, 1, min(most, math.ceil(len(sources) / max(jobs, 1))))
    size = min(size, most)
    return [sources[i : i + size] for i in range(0, len(sources), size)]


def _in_workers(shares: list[list[Path]], settings: _Settings, jobs: int) -> Iterator[RenderResult]:
    # Fork is fastest (a worker starts with everything imported) but only safe while no other
    # thread runs: a fork taken while a thread holds a lock can hang the child. Otherwise the
    # fork server imports reportgen once and each worker starts as a copy of it.
    import multiprocessing  # here: one report, the common case, starts no process
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.context import BaseContext

    methods = multiprocessing.get_all_start_methods()
    context: BaseContext
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        multiprocessing.set_forkserver_preload(["reportgen.batch.run"])
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        min(jobs, len(shares)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), context.get_start_method()),
    )
    finished = False
    # Submitted one by one rather than by pool.map, whose iterator cancels the futures left
    # when it is abandoned (Ctrl-C): Python 3.11's pool then marks those cancelled futures
    # failed when it finds its workers stopped, and its thread died with a traceback printed
    # after “已中止。” (InvalidStateError; fixed in 3.12). No future here is ever cancelled.
    futures = [pool.submit(_worker_share, (share, settings)) for share in shares]
    try:
        for future in futures:
            yield from future.result()
        finished = True
    except BrokenProcessPool as exc:
        raise RenderError("生成报告的子进程意外退出，批量生成已停止") from exc
    finally:
        if not finished:
            # Ctrl-C or an abandoned iterator: each worker gets SIGTERM, stops its LibreOffice
            # and removes its temporary files (see _start_worker) before it exits; the pool
            # finds them gone and fails the futures left.
            for process in list(pool._processes.values()):
                process.terminate()
        pool.shutdown(wait=True)


_worker_cache: TemplateCache | None = None
_working = False  # whether this worker is inside a share, with files to clean up if stopped
_parent = 0  # the process the worker was started by (the main process, or its fork server)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """Ask Linux to send this worker SIGTERM when the process that started it ends, however
    it ends (``kill -9`` included): a worker never outlives the batch that started it. Then
    check that the parent did not end before the request was made."""
    global _parent
    _parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    _exit_if_orphaned()


def _exit_if_orphaned() -> None:
    """A worker whose parent has gone (it was adopted by init or a subreaper) stops."""
    if os.getppid() != _parent:
        os._exit(130)


def _start_worker(main: int, method: str) -> None:
    """``main`` is the batch's process; ``method`` how the worker was started: forked from
    ``main``, or by a fork server that itself ends when ``main`` does."""
    global _worker_cache
    _die_with_parent()
    if method == "fork" and _parent != main:  # the batch ended before this worker started
        os._exit(130)
    _worker_cache = TemplateCache()
    # Ctrl-C reaches the whole foreground process group: the main process decides and stops
    # the pool with SIGTERM, which unwinds a worker's work as Ctrl-C would, so that atomic
    # writes remove their temporary files and a running LibreOffice's group is stopped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_term)


def _stop_on_term(signum: int, frame: FrameType | None) -> None:
    # Once: the pool may send SIGTERM again, and a second one raised inside a clean-up would
    # leave that clean-up's temporary file behind.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if not _working:
        os._exit(130)
    raise Interrupted


def _worker_share(task: tuple[list[Path], _Settings]) -> list[RenderResult]:
    global _working
    share, settings = task
    assert _worker_cache is not None  # set by _start_worker
    _exit_if_orphaned()
    _working = True
    try:
        return list(_render_share(share, settings, _worker_cache))
    except Interrupted:
        # Unwound: every temporary file is gone and LibreOffice is stopped. Exit now, or the
        # pool would hand this worker its next share.
        os._exit(130)
    finally:
        _working = False


def _render_share(
    share: list[Path], settings: _Settings, cache: TemplateCache
) -> Iterator[RenderResult]:
    """Render each file of ``share``; with PDFs, convert them all in one LibreOffice call."""
    results = [_render_one(source, settings, cache) for source in share]
    if settings.pdf:
        _convert(results, settings.out_dir)
    yield from results


def _render_one(source: Path, settings: _Settings, cache: TemplateCache) -> RenderResult:
    result = RenderResult(source)
    try:
        outcome = validate_file(source, search=settings.search, layout=settings.layout)
        if settings.strict:
            outcome = outcome.strict()
        result.findings = outcome.findings
        if outcome.ok and outcome.report is not None:
            table: bytes | None = None
            if settings.table:
                from reportgen.output.table import render_table_document, write_table_files

                # no table data, a mistake of the table's template: refused before anything
                # is written, so that no report stands there without its table
                table = render_table_document(outcome)
            _claim(
                settings.claims, output_name(outcome.report.year, outcome.report.department), source
            )
            result.written.append(
                render_to_file(outcome, settings.out_dir, settings.template, cache=cache)
            )
            if table is not None:
                result.written += write_table_files(outcome, settings.out_dir, table)
    except ReportgenError as exc:
        _stop_if_interrupted(exc)
        result.fail(exc)
    except OSError as exc:  # one the steps above did not expect, e.g. reading a template
        _stop_if_interrupted(exc)
        result.fail(FileSystemError(f"无法访问 {exc.filename or source}", exc))
    return result


def _claim(claims: Path, name: str, source: Path) -> None:
    """Take ``name`` for ``source`` in this batch, or say which file took it first."""
    # a file name need not be UTF-8 (bytes from another system): kept as the OS gave them
    with tempfile.NamedTemporaryFile(
        "w", dir=claims, delete=False, encoding="utf-8", errors="surrogateescape"
    ) as mine:
        mine.write(str(source))
    try:
        os.link(mine.name, claims / name)  # atomic: fails if another source took it
    except FileExistsError:
        first = (claims / name).read_text(encoding="utf-8", errors="surrogateescape")
        raise RenderError(
            f"与 {first} 的报告同名（{name}），为免覆盖未生成；同一部门同一年度只能有一份数据"
        ) from None
    finally:
        os.unlink(mine.name)


def _convert(results: list[RenderResult], out_dir: Path) -> None:
    """Every .docx written (a report, its 自评表) converted in one LibreOffice call."""
    documents = [
        (result, written)
        for result in results
        if result.error is None
        for written in result.written
        if written.suffix == ".docx"
    ]
    if not documents:
        return
    try:
        from reportgen.output.pdf import convert_all_to_pdf  # only for --pdf

        converted = convert_all_to_pdf([docx for _, docx in documents], out_dir)
    except ReportgenError as exc:
        _stop_if_interrupted(exc)
        for result, _ in documents:
            result.fail(exc)
        return
    except OSError as exc:
        _stop_if_interrupted(exc)
        # the error names LibreOffice's temporary files; the user knows the PDF's name
        for result, docx in documents:
            result.fail(FileSystemError(f"无法写入 PDF {out_dir / pdf_name(docx)}", exc))
        return
    for (result, _), outcome in zip(documents, converted, strict=True):
        if isinstance(outcome, ReportgenError):
            result.fail(outcome)
        else:
            result.written.append(outcome)


def _stop_if_interrupted(error: Exception) -> None:
    """After Ctrl-C the batch stops, even if a clean-up then failed with another error."""
    stop = interruption(error)
    if stop is not None:
        raise stop


def default_jobs() -> int:
    """The machine's cores (those this process may use): the default of ``--jobs`` and its
    most (more workers than cores only compete for them, each holding its own memory)."""
    with contextlib.suppress(AttributeError):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@dataclass
class BatchTally:
    """The closing line of a batch: how many reports were made, how many files failed."""

    files: int = 0
    reports: int = 0
    failed: int = 0
    seconds: float = 0.0
    worst: int = 0

    def add(self, result: RenderResult) -> None:
        self.reports += sum(path.suffix == ".docx" for path in result.written)
        self.failed += result.exit_code != 0
        self.worst = max(self.worst, result.exit_code)

    def summary(self) -> str:
        return f"生成 {self.reports} 份，{self.failed} 份有错误，用时 {self.seconds:.1f} 秒"
