"""The process around the command line: console streams, Ctrl-C, file-system errors and
reportgen's own bugs each end as one Chinese line and a documented exit code.

Only the standard library is imported here, so that Ctrl-C is handled before the slow
start-up (typer, pydantic, docxtpl) begins.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import os
import signal
import sys
import threading
import types
from collections.abc import Iterable, Iterator, Sequence
from types import FrameType
from typing import Any, NoReturn, TextIO

from reportgen.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    FileSystemError,
    Interrupted,
    ReportgenError,
    interruption,
)

INTERRUPTED = "已中止。"


class ConsoleError(FileSystemError):
    """Writing to standard output or standard error failed (a full disk, a closed pipe)."""


class _GuardedStream:
    """A console stream whose failed writes become one :class:`ConsoleError`; ``None``
    stands for a stream the shell closed (``>&-``)."""

    def __init__(self, stream: TextIO | None, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            if self._stream is None:
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            return self._stream.write(text)
        except OSError as exc:
            raise ConsoleError(f"无法写入{self._name}", exc) from exc

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise ConsoleError(f"无法写入{self._name}", exc) from exc

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise Interrupted


def _catch_interrupts() -> Any:
    """Make Ctrl-C raise :class:`Interrupted`; the handler to restore, or ``None`` when we
    leave SIGINT alone (not the main thread, or ignored as for a ``nohup`` job)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return None
    return signal.signal(signal.SIGINT, _interrupt)


def _replace_errors(stream: TextIO | None) -> None:
    """Print what the console's encoding lacks as ``?`` instead of failing: a GBK console
    (Chinese Windows, or output redirected there) cannot show 𠀀 or an emoji in a name."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        # it flushes first: a stream that fails here fails again, and is reported, later
        with contextlib.suppress(OSError, ValueError):
            reconfigure(errors="replace")


def _say(stream: TextIO | None, line: str) -> None:
    """Write a last line to the real console; if even that fails there is no one to tell."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(f"{line}\n")
        stream.flush()


def run(argv: Sequence[str], *, own_process: bool = False) -> int:
    """Run ``reportgen`` with ``argv``; every outcome is an exit code and at most one line on
    standard error, never a traceback (unless ``REPORTGEN_DEBUG`` asks for one).

    ``own_process``: the process ends with this command (:func:`main`), so what the imports
    made may be left out of the garbage collector's work (:func:`_collector_spared`).
    """
    stdout, stderr = sys.stdout, sys.stderr
    _replace_errors(stdout)
    _replace_errors(stderr)
    sys.stdout = _GuardedStream(stdout, "标准输出")
    sys.stderr = _GuardedStream(stderr, "标准错误输出")
    previous = _catch_interrupts()
    try:
        try:
            with _collector_spared(freeze=own_process):
                from reportgen.cli.app import preload, run_command  # the slow part of start-up

                preload(argv)

            code = run_command(argv)
            sys.stdout.flush()  # a full disk may show only now
            return code
        except (Interrupted, KeyboardInterrupt):
            return _interrupted(stderr)
        except Exception as exc:
            if interruption(exc) is not None:  # a clean-up after Ctrl-C failed
                return _interrupted(stderr)
            return _report(exc, argv, stderr)
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _collector_spared(freeze: bool) -> Iterator[None]:
    """Import with the cyclic garbage collector paused and then, with ``freeze``, keep it from
    walking what the imports made ever again.

    The models pydantic compiles live as long as the process and are slow to walk (a full
    collection took 5–10 ms, against 2 ms for bare pydantic); collections during the imports
    and the last ones at exit walked them all the same: about 35 ms of the 0.26 s that
    `reportgen validate` took (benchmarks/RESULTS.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _interrupted(stderr: TextIO | None) -> int:
    if signal.getsignal(signal.SIGINT) is _interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
    _say(stderr, INTERRUPTED)
    return EXIT_INTERRUPTED


def _report(exc: Exception, argv: Sequence[str], stderr: TextIO | None) -> int:
    """One line for an error that reached the top, and its exit code."""
    if isinstance(exc, ReportgenError):  # the commands print their own; this is a safety net
        _say(stderr, f"错误：{exc}")
        return exc.exit_code
    if isinstance(exc, OSError):
        _say(stderr, f"错误：{_os_error_message(exc)}")
        return EXIT_USAGE
    _say(stderr, _internal_error_message(exc, argv, stderr))
    return EXIT_INTERNAL


def _os_error_message(exc: OSError) -> str:
    """An OSError no step expected: name the path it carries, if any."""
    path = exc.filename
    return str(FileSystemError(f"无法访问 {path}" if path is not None else "文件操作失败", exc))


def _internal_error_message(exc: Exception, argv: Sequence[str], stderr: TextIO | None) -> str:
    """One line for a bug in reportgen; its traceback goes to a log file (and to standard
    error when ``REPORTGEN_DEBUG`` is set), never the locals."""
    from reportgen.bug_report import bug_line

    line, details = bug_line(exc, argv)
    if details is not None:
        _say(stderr, details)
    return line


def main() -> NoReturn:
    """Entry point of the ``reportgen`` command and of ``python -m reportgen``."""
    # reportgen uses no pydantic plugin: without this pydantic reads the metadata of every
    # installed package on the first model, looking for one (a twentieth of a start)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_discovery()
    try:
        code = run(sys.argv[1:], own_process=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # exiting: too late to interrupt
    except KeyboardInterrupt:  # in the instant between run() and the line above
        code = EXIT_INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            # Already reported by run(). Without this the interpreter would try the same
            # flush on exit, print “Exception ignored …” and exit with 120.
            _silence(stream)
            code = code or EXIT_USAGE
    sys.exit(code)


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_discovery() -> None:
    """With every pydantic plugin disabled, stand in for pydantic's plugin loader with one that
    finds none, as the real one would: the real one imports ``importlib.metadata`` (and with it
    ``email``, ``zipfile``, ``csv``) before it reads the setting, 15 ms of a 0.2 s start-up
    (benchmarks/RESULTS.md). Any other name pydantic asks of it loads the real module."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true"):
        return
    if _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> Any:
        if name.startswith("__"):  # the import system asking whether it is a package
            raise AttributeError(name)
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def _silence(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
