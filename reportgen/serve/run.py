"""Running the server until Ctrl-C: the address with its token, the browser, a clean stop."""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from pathlib import Path

from reportgen.errors import FileSystemError, Interrupted, UsageError
from reportgen.layout.search import LayoutSearch
from reportgen.serve.server import ReportServer
from reportgen.serve.workbench import Workbench


def start(folder: Path, port: int = 0, search: LayoutSearch | None = None) -> ReportServer:
    """A server on loopback over ``folder`` (not yet serving); port 0 takes a free one."""
    if not folder.is_dir():
        raise UsageError(f"{folder} 不是文件夹")
    try:
        with os.scandir(folder):  # a folder it may not list is said now, not on every page
            pass
    except OSError as exc:
        raise FileSystemError(f"无法读取目录 {folder}", exc) from exc
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}：端口应在 0 到 65535 之间")
    try:
        return ReportServer(Workbench(folder, search), port)
    except OSError as exc:
        raise FileSystemError(f"无法在端口 {port} 上启动", exc) from exc


def serve(
    folder: Path,
    say: Callable[[str], None],
    *,
    port: int = 0,
    open_browser: bool = False,
    search: LayoutSearch | None = None,
) -> None:
    """Serve ``folder`` until Ctrl-C, which stops the server and returns."""
    server = start(folder, port, search)
    say(f"reportgen 正在运行，文件夹：{server.workbench.workspace.root}")
    say(f"请在浏览器中打开：{server.url}")
    say("（地址中含本次运行的口令，请勿发给他人；按 Ctrl-C 停止）")
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except (Interrupted, KeyboardInterrupt):
        say("已停止。")
    finally:
        server.server_close()
