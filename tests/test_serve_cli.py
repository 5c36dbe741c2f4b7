"""``reportgen serve`` as a command: the address it prints, Ctrl-C, a folder that is not there."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from reportgen.cli.app import run_command


@pytest.mark.usefixtures("ctrl_c")
def test_serve_prints_its_address_answers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0] == f"reportgen 正在运行，文件夹：{tmp_path.resolve()}\n"
        address = re.fullmatch(
            r"请在浏览器中打开：(http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43})\n", lines[1]
        )
        assert address is not None, lines[1]
        assert lines[2] == "（地址中含本次运行的口令，请勿发给他人；按 Ctrl-C 停止）\n"
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(address.group(1), timeout=30) as reply:  # redirected, with the cookie
            assert "<title>reportgen 报告填写</title>" in reply.read().decode("utf-8")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (0, "已停止。\n", "")


def test_a_folder_that_is_not_there(tmp_path: Path, capsys: object) -> None:
    assert run_command(["serve", str(tmp_path / "无")]) == 2


def test_a_port_out_of_range() -> None:
    assert run_command(["serve", ".", "--port", "70000"]) == 2


def test_a_port_another_program_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The operating system's refusal is said in Chinese (it was “Address already in use”)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert run_command(["serve", str(tmp_path), "--port", str(port)]) == 2
    assert capsys.readouterr().err == f"错误：无法在端口 {port} 上启动（端口已被占用）\n"
