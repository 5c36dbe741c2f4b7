"""Batch rendering: folders, worker processes, bad files among good ones, progress, PDFs."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from reportgen.batch.progress import batch_progress
from reportgen.batch.run import input_files, render_files
from reportgen.cli.app import app, run_command
from reportgen.output.pdf import group_is_alive, soffice
from tests.readback import EXAMPLES, texts

runner = CliRunner()
BROKEN = Path(__file__).parent / "bad_inputs" / "amount_nan.yaml"


def _batch(tmp_path: Path, count: int) -> Path:
    """A folder of ``count`` valid files: the examples, each copy a department of its own."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(count):
        example = EXAMPLES[n % len(EXAMPLES)]
        text = example.read_text(encoding="utf-8")
        name = _department(text)
        (folder / f"{n:03d}-{example.name}").write_text(
            text.replace(name, f"{name}{n:03d}"), encoding="utf-8"
        )
    return folder


def _department(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("department:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    raise AssertionError("no department")


def test_a_folder_is_its_yaml_files_in_name_order(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 3)
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    assert input_files([folder]) == sorted(folder.glob("*.yaml"))


def test_two_jobs_write_the_same_reports_as_one(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 6)
    sources = input_files([folder])
    one = [r for r in render_files(sources, tmp_path / "one", jobs=1)]
    two = [r for r in render_files(sources, tmp_path / "two", jobs=2)]
    assert [r.source for r in two] == sources  # in the order given
    assert [r.exit_code for r in one] == [r.exit_code for r in two] == [0] * 6
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir()) and len(names) == 6
    for name in names:
        assert texts(tmp_path / "one" / name) == texts(tmp_path / "two" / name)


def test_a_bad_file_gets_its_error_and_the_rest_are_rendered(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 3)
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(folder), str(BROKEN), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert len(list(out.glob("*.docx"))) == 3
    assert f"{BROKEN}:12:13 错误 S003 budget.adjusted: 应为金额（万元）" in result.output
    assert f"{BROKEN}: 有错误，未生成报告" in result.output
    assert "生成 3 份，1 份有错误，用时" in result.output


def test_the_same_department_twice_is_rendered_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / "a.yaml")
    shutil.copy(EXAMPLES[0], folder / "b.yaml")
    results = list(render_files(input_files([folder]), tmp_path / "out", jobs=1))
    assert [r.exit_code for r in results] == [0, 1]
    assert results[1].error is not None and results[1].error.startswith(
        f"与 {folder / 'a.yaml'} 的报告同名"
    )


def test_a_dangling_link_in_a_folder_is_said_not_skipped(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 2)
    (folder / "zz.yaml").symlink_to(tmp_path / "gone.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(folder), "-o", str(out), "-j", "1"])
    assert result.exit_code == 2
    assert (
        f"错误：{folder / 'zz.yaml'}: 这是一个符号链接，它指向的 {tmp_path / 'gone.yaml'} 不存在\n"
        in result.output
    )
    assert len(list(out.glob("*.docx"))) == 2


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == f"错误：目录 {tmp_path} 中没有 .yaml 文件\n"


def test_progress_is_drawn_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with batch_progress(3, console) as progress:
        for source in EXAMPLES:
            progress.advance(source)
    assert "生成报告" in screen.getvalue() and "3/3" in screen.getvalue()


def test_progress_is_not_drawn_when_piped() -> None:
    screen = io.StringIO()
    with batch_progress(3, Console(file=screen)) as progress:
        for source in EXAMPLES:
            progress.advance(source)
        progress.say("一行")
    assert screen.getvalue() == ""


def _run_on_terminal(argv: list[str]) -> str:
    """Run ``reportgen`` with a terminal as standard error; what it drew there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", *argv],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=dict(os.environ, COLUMNS="120"),
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        drawn += chunk
    assert process.wait(120) == 0
    os.close(leader)
    return drawn.decode("utf-8", "replace")


def test_render_draws_progress_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 4)
    drawn = _run_on_terminal(["render", str(folder), "-o", str(tmp_path / "tty"), "-j", "1"])
    assert "生成报告" in drawn and "生成 4 份，0 份有错误" in drawn
    piped = subprocess.run(
        [sys.executable, "-m", "reportgen", "render", str(folder), "-o", str(tmp_path / "pipe")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "生成报告" not in piped.stderr and "\x1b" not in piped.stderr
    assert piped.stderr.startswith("生成 4 份，0 份有错误，用时")


def _screen(drawn: str) -> list[str]:
    """What a terminal shows (scrolled-off lines included) after ``drawn``: the few controls
    rich uses (carriage return, erase line, cursor up), colours and cursor hiding ignored."""
    lines: list[list[str]] = [[]]
    row = column = 0
    controls = re.compile(r"\x1b\[(\??)(\d*)([A-Za-z])")
    position = 0
    while position < len(drawn):
        control = controls.match(drawn, position)
        if control:
            _, count, letter = control.groups()
            if letter == "A":
                row = max(0, row - int(count or 1))
            elif letter == "K":
                lines[row] = []
            position = control.end()
            continue
        char = drawn[position]
        position += 1
        if char == "\r":
            column = 0
        elif char == "\n":
            row += 1
            column = 0
            if row == len(lines):
                lines.append([])
        else:
            line = lines[row]
            line.extend(" " * (column - len(line)))
            line[column : column + 1] = [char]
            column += 1
    shown = ["".join(line).rstrip() for line in lines]
    while shown and not shown[-1]:
        shown.pop()
    return shown


def _on_a_terminal(argv: list[str], *, stdout_too: bool, code: int = 0) -> tuple[list[str], str]:
    """Run ``reportgen`` with a terminal as standard error, and as standard output too with
    ``stdout_too`` (else a pipe): the terminal's screen and what the pipe got."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", *argv],
        stdout=follower if stdout_too else subprocess.PIPE,
        stderr=follower,
        env=dict(os.environ, COLUMNS="400"),
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    piped = process.stdout.read().decode() if process.stdout is not None else ""
    assert process.wait(120) == code
    os.close(leader)
    return _screen(drawn.decode("utf-8", "replace")), piped


def test_the_screen_emulation_shows_a_torn_line() -> None:
    """The check below can fail: a line written behind the bar stays beside a copy of it."""
    bar = "\r\x1b[2K生成报告 ━━ 1/3"
    assert _screen(f"{bar}已生成：a.docx\r\n{bar}\r\n\r\x1b[1A\x1b[2K") == [
        "生成报告 ━━ 1/3已生成：a.docx"
    ]


def test_log_lines_never_land_behind_the_bar(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 4)
    out = tmp_path / "out"
    screen, _ = _on_a_terminal(["render", str(folder), "-o", str(out), "-j", "1"], stdout_too=True)
    written = sorted(out.glob("*.docx"))
    assert len(written) == 4
    assert sorted(screen[:-1]) == sorted(f"已生成：{path}" for path in written)  # no bar left
    assert re.fullmatch(r"生成 4 份，0 份有错误，用时 \d+\.\d 秒", screen[-1])


def test_written_lines_go_to_a_redirected_output_and_the_bar_stays_alone(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 3)
    out = tmp_path / "out"
    screen, piped = _on_a_terminal(
        ["render", str(folder), "-o", str(out), "-j", "1"], stdout_too=False
    )
    assert sorted(piped.splitlines()) == sorted(f"已生成：{p}" for p in out.glob("*.docx"))
    assert len(screen) == 1 and screen[0].startswith("生成 3 份，0 份有错误")


def test_findings_and_errors_go_above_the_bar_too(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 3)
    broken = sorted(folder.iterdir())[0]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("layout:", "unknown_key: 1\nlayout:", 1), encoding="utf-8")
    argv = ["render", str(folder), "-o", str(tmp_path / "o"), "-j", "1"]
    screen, _ = _on_a_terminal(argv, stdout_too=True, code=1)
    assert not [line for line in screen if "━" in line]  # no copy of the bar left
    assert f"{broken}: 有错误，未生成报告" in screen
    assert sum(line.startswith("已生成：") for line in screen) == 2


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_a_pdf_batch_converts_every_report(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 4)
    out = tmp_path / "out"
    results = list(render_files(input_files([folder]), out, pdf=True, jobs=2))
    assert [r.exit_code for r in results] == [0] * 4
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(p.stem for p in out.glob("*.docx"))
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    assert not list(out.glob(".reportgen-*"))


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_stops_the_workers_and_leaves_no_partial_file(tmp_path: Path) -> None:
    folder = _batch(tmp_path, 60)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "render", str(folder), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group, as a shell's foreground job
    )
    assert process.stdout is not None
    process.stdout.readline()  # the first report is written: the workers are busy
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().endswith("已中止。\n")
    deadline = time.monotonic() + 10
    while group_is_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_is_alive(process.pid)  # no worker left behind
    assert not [p for p in out.iterdir() if p.suffix != ".docx"]
    assert 0 < len(list(out.iterdir())) < 60
    for docx in out.iterdir():
        assert texts(docx)  # each whole


def test_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_command(["render", str(EXAMPLES[0]), "-o", str(tmp_path), "-j", "0"])
    assert (code, capsys.readouterr().err) == (
        2,
        "错误：--jobs / -j 的值“0”无效，应为至少 1 的整数\n运行“reportgen render -h”查看帮助。\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("attempt", range(3))
def test_workers_die_with_a_killed_parent(tmp_path: Path, attempt: int) -> None:
    """``kill -9`` of the batch (no clean-up runs in it): its workers stop by themselves."""
    folder = _batch(tmp_path, 200)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "render", str(folder), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert process.stdout is not None
    process.stdout.readline()  # the workers are busy
    workers = _children(process.pid)
    assert workers, "no worker process was started"
    process.kill()  # SIGKILL of the parent alone
    process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1 * (attempt + 1))
    left = _alive(workers)
    for pid in left:  # a failed test leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers left running: {left}"
    assert not group_is_alive(process.pid)
    assert not [p for p in out.iterdir() if p.suffix != ".docx"]  # no temporary file left


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def test_jobs_are_capped_at_the_cpu_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures
    from concurrent.futures.process import ProcessPoolExecutor as real

    import reportgen.batch.run as batch_run

    started: list[int] = []

    def pool(workers: int, **options: object) -> object:
        started.append(workers)
        return real(workers, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(batch_run, "default_jobs", lambda: 2)
    folder = _batch(tmp_path, 40)
    results = list(render_files(input_files([folder]), tmp_path / "out", jobs=10_000))
    assert len(results) == 40 and all(r.exit_code == 0 for r in results)
    assert started == [2]


def test_an_output_folder_named_like_a_document_is_refused(tmp_path: Path) -> None:
    """``-o 报告.docx`` made a folder of that name and put the report in it."""
    for name in ("报告.docx", "report.PDF", "汇总.xlsx"):
        result = runner.invoke(app, ["render", str(EXAMPLES[0]), "-o", str(tmp_path / name)])
        assert result.exit_code == 2
        assert result.output.splitlines() == [
            f"错误：-o {tmp_path / name} 是文件名；-o 应为输出目录（报告的文件名按年度和部门自动生成），"
            "如 -o output"
        ]
    assert list(tmp_path.iterdir()) == []
    folder = tmp_path / "2023.docx"  # a folder of that name that is there is a folder
    folder.mkdir()
    result = runner.invoke(app, ["render", str(EXAMPLES[0]), "-o", str(folder)])
    assert result.exit_code == 0
    assert [p.suffix for p in folder.iterdir()] == [".docx"]


def test_an_abandoned_batch_leaves_the_pools_thread_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopping a batch with shares still waiting (Ctrl-C, or its results no longer read)
    printed a traceback of the pool's thread after “已中止。” now and then: Python 3.11's pool
    failed the futures the abandoned ``pool.map`` had cancelled (InvalidStateError). No future
    is cancelled now: the pool fails those left when it finds its workers stopped."""
    import threading
    from concurrent.futures import Future

    raised: list[str] = []
    cancelled: list[Future[object]] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(repr(args.exc_value)))
    cancel = Future.cancel
    monkeypatch.setattr(Future, "cancel", lambda f: cancelled.append(f) or cancel(f))
    sources = sorted(_batch(tmp_path, 40).iterdir())
    for attempt in range(3):
        results = render_files(sources, tmp_path / f"out{attempt}", jobs=2)
        assert next(results).error is None
        results.close()  # the shares not started are never run, the running ones stopped
    assert (raised, cancelled) == ([], [])
    assert not [p for p in tmp_path.glob("out*/*") if p.suffix != ".docx"]
