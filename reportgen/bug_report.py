"""A bug in reportgen, said as the project says it everywhere: one Chinese line naming a log
file that holds the traceback (and the traceback itself on standard error only when
``REPORTGEN_DEBUG`` asks for it) — for the command line (:mod:`reportgen.cli.entry`) and for
``reportgen serve``, whose window is the clerk's too."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

DEBUG_VARIABLE = "REPORTGEN_DEBUG"
REPORT_TO = "维护者（见 README“报告程序错误”）"


def bug_line(exc: BaseException, command: Sequence[str]) -> tuple[str, str | None]:
    """The line that says ``exc`` is a bug of reportgen's, and the traceback to show as well
    (``None`` unless ``REPORTGEN_DEBUG`` is set); ``command`` is what was run, for the log."""
    import traceback

    details = "".join(traceback.format_exception(exc))
    log = _write_log(details, command)
    where = (
        f"日志文件 {log}"
        if log is not None
        else f"设置环境变量 {DEBUG_VARIABLE}=1 后重新运行所显示的详细信息"
    )
    line = (
        f"reportgen 内部错误（这不是您的数据或模板的问题）：{type(exc).__name__}；"
        f"请把以下信息报告给{REPORT_TO}：所用的命令和{where}"
    )
    return line, details.rstrip("\n") if os.environ.get(DEBUG_VARIABLE) else None


def _write_log(details: str, command: Sequence[str]) -> str | None:
    """Write the traceback to a new file in the temporary directory; its path, or ``None``."""
    import platform
    import shlex
    import tempfile
    from datetime import datetime

    from reportgen import __version__

    try:
        descriptor, path = tempfile.mkstemp(prefix="reportgen-error-", suffix=".log")
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="replace") as log:
            log.write(
                f"reportgen {__version__} 内部错误 {datetime.now().isoformat(timespec='seconds')}\n"
                f"命令：reportgen {shlex.join(command)}\n"
                f"Python {platform.python_version()} on {platform.platform()}\n\n{details}"
            )
    except OSError:
        return None
    return path


def say_bug(exc: BaseException, command: Sequence[str]) -> str:
    """Write the line for a bug that ``reportgen serve`` survives to its window (and the
    traceback when asked for); the line, for the page."""
    line, details = bug_line(exc, command)
    with contextlib.suppress(OSError, ValueError):  # a closed window: nobody to tell
        if details is not None:
            print(details, file=sys.stderr)
        print(line, file=sys.stderr, flush=True)
    return line
