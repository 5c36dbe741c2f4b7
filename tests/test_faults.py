"""Faults around the command: the file system, the console, Ctrl-C and reportgen's own bugs.

Each case checks what the bad-input corpus checks: the exit code, the exact Chinese line,
no traceback, and no new, partial or changed file. Faults a root user cannot provoke for
real (a permission denied, a full disk) are injected by making the ``os`` function that
meets them raise, only for the path concerned; the others are real. Where the system lets
us, they are also provoked for real: as the user ``nobody`` (``setpriv``), and in a tiny
tmpfs mounted in a private mount namespace (``unshare``), which vanishes with the run.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportgen import bug_report
from reportgen.cli import entry
from reportgen.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
)
from reportgen.output.pdf import soffice
from tests.conftest import COMPLETE, ROOT

NAME = "2024年度广州市示例区财政局部门整体支出绩效自评报告"
EARLIER = b"PK\x03\x04 an earlier report, to be left byte-for-byte as it is\n" * 64


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output directory that already holds an unrelated report."""
    directory = tmp_path / "out"
    directory.mkdir()
    (directory / "earlier.docx").write_bytes(EARLIER)
    return directory


def snapshot(directory: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and directory (``None``) below ``directory``."""
    return {
        str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(directory.rglob("*"))
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command in this process, through the same boundary as the installed script."""
    code = entry.run(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, captured.err
    return code, captured.out, captured.err


def fail_for(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    error: int,
    when: Callable[[Path], bool],
) -> None:
    """Make ``os.<name>`` raise ``error`` for the paths ``when`` accepts, as the OS would."""
    real = getattr(os, name)

    def failing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, str | os.PathLike) and when(Path(path)):
            raise OSError(error, os.strerror(error), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, failing)


# ---- the file system, in this process


def test_input_without_permission(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "report.yaml"
    source.write_bytes(COMPLETE.read_bytes())
    fail_for(monkeypatch, "open", errno.EACCES, lambda p: p == source)
    assert run(capsys, "validate", str(source)) == (
        EXIT_USAGE,
        "",
        f"错误：{source}: 无法读取（权限不足）\n",
    )


def test_output_directory_without_permission(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "locked" / "out"
    fail_for(monkeypatch, "mkdir", errno.EACCES, lambda p: p.parent.name == "locked")
    assert run(capsys, "render", str(COMPLETE), "-o", str(target)) == (
        EXIT_USAGE,
        "",
        f"错误：{COMPLETE}: 无法创建输出目录 {target}（权限不足）\n",
    )
    assert not target.exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [(errno.ENOSPC, "磁盘已满"), (errno.EROFS, "只读文件系统"), (errno.EACCES, "权限不足")],
)
def test_output_file_cannot_be_created(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: Path,
    error: int,
    reason: str,
) -> None:
    before = snapshot(out)
    fail_for(monkeypatch, "open", error, lambda p: p.parent == out)
    assert run(capsys, "render", str(COMPLETE), "-o", str(out)) == (
        EXIT_USAGE,
        "",
        f"错误：{COMPLETE}: 无法写入 {out / NAME}.docx（{reason}）\n",
    )
    assert snapshot(out) == before


def test_template_without_permission(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    template = ROOT / "templates" / "default" / "template.docx"
    before = snapshot(out)
    fail_for(monkeypatch, "open", errno.EACCES, lambda p: p == template)
    assert run(capsys, "render", str(COMPLETE), "-o", str(out), "-t", str(template)) == (
        EXIT_USAGE,
        "",
        f"错误：模板 {template}: 无法读取（权限不足）\n",
    )
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (errno.EACCES, "错误：无法创建 {target}（权限不足）\n"),
        (errno.EROFS, "错误：无法创建 {target}（只读文件系统）\n"),
        (errno.ENAMETOOLONG, "错误：无法创建 {target}（文件名过长）\n"),
    ],
)
def test_init_target_cannot_be_created(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: int,
    message: str,
) -> None:
    target = tmp_path / "report.yaml"
    fail_for(monkeypatch, "open", error, lambda p: p == target)
    assert run(capsys, "init", str(target)) == (EXIT_USAGE, "", message.format(target=target))
    assert list(tmp_path.iterdir()) == []


def test_pdf_on_a_full_disk_names_the_pdf(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    """shutil.copyfile names LibreOffice's temporary file and our staging file; the user
    knows neither."""

    def full(documents: list[Path], out_dir: Path) -> list[Path]:
        error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/reportgen-pdf-x/out/r.pdf")
        error.filename2 = str(out_dir / ".reportgen-r.pdf.tmp")
        raise error

    monkeypatch.setattr("reportgen.output.pdf.convert_all_to_pdf", full)
    code, _, stderr = run(capsys, "render", str(COMPLETE), "-o", str(out), "--pdf")
    assert (code, stderr) == (
        EXIT_USAGE,
        f"错误：{COMPLETE}: 无法写入 PDF {out / NAME}.pdf（磁盘已满）\n",
    )
    assert sorted(snapshot(out)) == sorted(["earlier.docx", f"{NAME}.docx"])  # the .docx is whole


def test_an_unexpected_os_error_is_still_one_chinese_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> str:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "/mnt/share/x")

    monkeypatch.setattr("reportgen.docs.reference.context_reference", broken)
    assert run(capsys, "template", "vars") == (
        EXIT_USAGE,
        "",
        "错误：无法访问 /mnt/share/x（读写设备出错）\n",
    )


# ---- the file system, for real


def test_output_directory_name_too_long(capsys: pytest.CaptureFixture[str], out: Path) -> None:
    before = snapshot(out)
    target = out / ("长" * 100)  # 300 bytes
    assert run(capsys, "render", str(COMPLETE), "-o", str(target)) == (
        EXIT_USAGE,
        "",
        f"错误：{COMPLETE}: 无法创建输出目录 {target}（文件名过长）\n",
    )
    assert snapshot(out) == before


def test_output_directory_under_a_file(capsys: pytest.CaptureFixture[str], out: Path) -> None:
    before = snapshot(out)
    target = out / "earlier.docx" / "out"
    assert run(capsys, "render", str(COMPLETE), "-o", str(target)) == (
        EXIT_USAGE,
        "",
        f"错误：{COMPLETE}: 无法创建输出目录 {target}（路径中有一部分不是目录）\n",
    )
    assert snapshot(out) == before


def _special_templates(directory: Path) -> list[tuple[Path, str]]:
    directory.mkdir()
    cases = [
        (directory, "这是一个目录，不是 .docx 模板"),
        (directory / "missing.docx", "文件不存在"),
        (directory / ("长" * 100), "无法读取（文件名过长）"),
    ]
    if hasattr(os, "mkfifo"):
        os.mkfifo(directory / "fifo.docx")
        cases.append(
            (
                directory / "fifo.docx",
                "这是一个命名管道（FIFO），不是 .docx 模板（只能读取普通文件）",
            )
        )
    if Path("/dev/zero").exists():
        cases.append((Path("/dev/zero"), "这是一个设备文件，不是 .docx 模板（只能读取普通文件）"))
    return cases


@pytest.mark.parametrize("command", ["render", "check"])
def test_templates_that_are_not_regular_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out: Path, command: str
) -> None:
    before = snapshot(out)
    for template, message in _special_templates(tmp_path / "t"):
        args = (
            ["render", str(COMPLETE), "-o", str(out), "-t", str(template)]
            if command == "render"
            else ["template", "check", str(template)]
        )
        assert run(capsys, *args) == (EXIT_USAGE, "", f"错误：模板 {template}: {message}\n")
    assert snapshot(out) == before


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_pdf_name_taken_by_a_directory(capsys: pytest.CaptureFixture[str], out: Path) -> None:
    (out / f"{NAME}.pdf").mkdir()
    code, _, stderr = run(capsys, "render", str(COMPLETE), "-o", str(out), "--pdf")
    assert (code, stderr) == (
        EXIT_USAGE,
        f"错误：{COMPLETE}: 无法写入 PDF {out / NAME}.pdf（是一个目录）\n",
    )
    after = snapshot(out)
    assert sorted(after) == sorted(["earlier.docx", f"{NAME}.docx", f"{NAME}.pdf"])
    assert after[f"{NAME}.pdf"] is None and after["earlier.docx"] == EARLIER


def _without_override() -> list[str] | None:
    """How to run reportgen so that file permissions bind it: as root, ``setpriv`` drops the
    capabilities that let root read, search and write past them (wherever the checkout lies:
    a clone inside a private ``mktemp -d`` folder too); any other user is bound already."""
    if not hasattr(os, "geteuid"):
        return None
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    with tempfile.TemporaryDirectory() as folder:
        closed = Path(folder) / "closed"
        closed.write_text("x", encoding="utf-8")
        closed.chmod(0)
        probe = [*command, sys.executable, "-c", f"open({str(closed)!r})"]
        try:
            denied = subprocess.run(probe, capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
    return command if b"PermissionError" in denied.stderr else None


@pytest.mark.requires(
    _without_override() is not None, "cannot run reportgen bound by file permissions here"
)
def test_paths_nobody_may_search(tmp_path: Path) -> None:
    """Real permission errors: a file nobody may read, a folder nobody may write into."""
    bound = _without_override()
    assert bound is not None
    source = tmp_path / "report.yaml"
    source.write_bytes(COMPLETE.read_bytes())
    source.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o500)
    target = closed / "out"

    def reportgen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*bound, sys.executable, "-m", "reportgen", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            cwd="/",
            check=False,
            timeout=120,  # serve would run until stopped, were it to start
        )

    try:
        read = reportgen("validate", str(source))
        assert (read.returncode, read.stdout) == (EXIT_USAGE, "")
        assert read.stderr == f"错误：{source}: 无法读取（权限不足）\n"
        write = reportgen("render", str(COMPLETE), "-o", str(target))
        assert (write.returncode, write.stdout) == (EXIT_USAGE, "")
        assert write.stderr == f"错误：{COMPLETE}: 无法创建输出目录 {target}（权限不足）\n"
        assert not target.exists()
        report = tmp_path / "published.txt"
        report.write_text("一、部门基本情况\n", encoding="utf-8")
        report.chmod(0)
        draft = reportgen("import", str(report))
        assert (draft.returncode, draft.stdout) == (EXIT_USAGE, "")
        assert draft.stderr == f"错误：{report}: 无法读取（权限不足）\n"
        template = tmp_path / "template.docx"
        template.write_bytes((ROOT / "templates" / "default" / "template.docx").read_bytes())
        template.chmod(0)
        unlisted = tmp_path / "unlisted"
        unlisted.mkdir(mode=0o300)
        refused = reportgen("serve", str(unlisted))
        assert (refused.returncode, refused.stdout) == (EXIT_USAGE, "")
        assert refused.stderr == f"错误：无法读取目录 {unlisted}（权限不足）\n"
        unlisted.chmod(0o700)
        checked = reportgen("template", "check", str(template))
        assert (checked.returncode, checked.stdout) == (EXIT_USAGE, "")
        assert checked.stderr == f"错误：模板 {template}: 无法读取（权限不足）\n"
    finally:
        closed.chmod(0o700)  # so that pytest can remove it


# ---- the console


def _reportgen(
    *args: str, env: dict[str, str] | None = None, **streams: Any
) -> subprocess.CompletedProcess[bytes]:
    """The real entry point, in its own process, with the given standard streams."""
    streams.setdefault("stdout", subprocess.PIPE)
    streams.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        env={**os.environ, **(env or {})},
        check=False,
        **streams,
    )


needs_dev_full = pytest.mark.requires(Path("/dev/full").exists(), "no /dev/full")


@needs_dev_full
def test_stdout_on_a_full_disk() -> None:
    with open("/dev/full", "wb") as full:
        result = _reportgen("validate", str(COMPLETE), stdout=full)
    assert result.returncode == EXIT_USAGE
    assert result.stderr.decode() == "错误：无法写入标准输出（磁盘已满）\n"


@needs_dev_full
def test_stderr_on_a_full_disk() -> None:
    """Nothing can be said, but the exit code is still ours (not Python's 120)."""
    with open("/dev/full", "wb") as full:
        result = _reportgen("validate", "missing.yaml", stderr=full)
        both = _reportgen("validate", str(COMPLETE), stdout=full, stderr=full)
    assert (result.returncode, result.stdout) == (EXIT_USAGE, b"")
    assert both.returncode == EXIT_USAGE


def test_stdout_closed_by_the_shell() -> None:
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "reportgen", "-h"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == EXIT_USAGE
    assert result.stderr.decode() == "错误：无法写入标准输出（已关闭）\n"


def test_stdout_into_a_closed_pipe() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = _reportgen("template", "vars", stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_USAGE
    assert result.stderr.decode() == "错误：无法写入标准输出（管道已关闭，接收输出的程序已退出）\n"


def test_a_gbk_console_replaces_what_it_cannot_show(tmp_path: Path) -> None:
    """Output redirected on Chinese Windows is cp936; the files keep every character."""
    department = "示例𠀀局😀"
    source = tmp_path / "report.yaml"
    source.write_text(
        COMPLETE.read_text(encoding="utf-8").replace("广州市示例区财政局", department),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = _reportgen("render", str(source), "-o", str(out), env={"PYTHONIOENCODING": "cp936"})
    assert (result.returncode, result.stderr) == (EXIT_OK, b"")
    name = f"2024年度{department}部门整体支出绩效自评报告.docx"
    shown = name.replace("𠀀", "?").replace("😀", "?")
    assert result.stdout == f"已生成：{out / shown}\n".encode("gbk")
    assert [p.name for p in out.iterdir()] == [name]

    missing = _reportgen(
        "validate", str(tmp_path / "缺失😀.yaml"), env={"PYTHONIOENCODING": "cp936"}
    )
    assert missing.returncode == EXIT_USAGE
    assert missing.stderr == f"错误：{tmp_path}/缺失?.yaml: 文件不存在\n".encode("gbk")


# ---- Ctrl-C


def _interrupt(*args: Any, **kwargs: Any) -> Any:
    """Press Ctrl-C now: the real signal, so the real handler runs."""
    signal.raise_signal(signal.SIGINT)
    raise AssertionError("SIGINT did not interrupt")  # pragma: no cover


@pytest.mark.parametrize(
    "where",
    [
        "reportgen.batch.run.validate_file",  # reading the input
        "reportgen.output.render.build_context",  # rendering
        "os.replace",  # moving the finished .docx into place
    ],
)
@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_while_rendering_leaves_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path, where: str
) -> None:
    before = snapshot(out)
    monkeypatch.setattr(where, _interrupt)
    assert run(capsys, "render", str(COMPLETE), "-o", str(out)) == (
        EXIT_INTERRUPTED,
        "",
        "已中止。\n",
    )
    assert snapshot(out) == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_during_the_pdf_keeps_the_whole_docx_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    monkeypatch.setattr(subprocess, "Popen", _interrupt)
    monkeypatch.setattr("reportgen.output.pdf.soffice", lambda: "/usr/bin/soffice")
    code, _, stderr = run(capsys, "render", str(COMPLETE), "-o", str(out), "--pdf")
    assert (code, stderr) == (EXIT_INTERRUPTED, "已中止。\n")
    assert sorted(snapshot(out)) == sorted(["earlier.docx", f"{NAME}.docx"])


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_during_init_leaves_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "report.yaml"
    monkeypatch.setattr(os, "write", _interrupt)
    assert run(capsys, "init", str(target)) == (EXIT_INTERRUPTED, "", "已中止。\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_during_start_up() -> None:
    """Before typer, pydantic and docxtpl are even imported."""
    program = (
        "import builtins, signal, sys\n"
        "real = builtins.__import__\n"
        "def hook(name, *args, **kwargs):\n"
        "    if name == 'typer':\n"
        "        signal.raise_signal(signal.SIGINT)\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = hook\n"
        f"sys.argv = ['reportgen', 'validate', {str(COMPLETE)!r}]\n"
        "from reportgen.cli.entry import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        EXIT_INTERRUPTED,
        "",
        "已中止。\n",
    )


# ---- reportgen's own bugs


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "logs"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    monkeypatch.delenv(bug_report.DEBUG_VARIABLE, raising=False)
    return directory


def _bug(*args: Any, **kwargs: Any) -> Any:
    return {}["no such key"]


def test_a_bug_is_not_blamed_on_the_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path, log_dir: Path
) -> None:
    before = snapshot(out)
    monkeypatch.setattr("reportgen.output.render.build_context", _bug)
    code, stdout, stderr = run(capsys, "render", str(COMPLETE), "-o", str(out))
    [log] = log_dir.iterdir()
    assert (code, stdout) == (EXIT_INTERNAL, "")
    assert stderr == (
        "reportgen 内部错误（这不是您的数据或模板的问题）：KeyError；"
        "请把以下信息报告给维护者（见 README“报告程序错误”）："
        f"所用的命令和日志文件 {log}\n"
    )
    details = log.read_text(encoding="utf-8")
    assert f"命令：reportgen render {COMPLETE} -o {out}\n" in details
    assert "Traceback (most recent call last)" in details and "in _bug" in details
    assert snapshot(out) == before


def test_a_bug_shows_its_traceback_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_dir: Path
) -> None:
    monkeypatch.setattr("reportgen.check.validate.derive", _bug)
    monkeypatch.setenv(bug_report.DEBUG_VARIABLE, "1")
    code = entry.run(["validate", str(COMPLETE)])
    stderr = capsys.readouterr().err
    assert code == EXIT_INTERNAL
    assert stderr.startswith("Traceback (most recent call last)")
    assert stderr.splitlines()[-1].startswith("reportgen 内部错误（这不是您的数据或模板的问题）")


def test_a_bug_without_a_log_file_says_how_to_see_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_dir: Path
) -> None:
    monkeypatch.setattr("reportgen.check.validate.derive", _bug)
    log_dir.rmdir()  # the temporary directory is gone
    assert run(capsys, "validate", str(COMPLETE)) == (
        EXIT_INTERNAL,
        "",
        "reportgen 内部错误（这不是您的数据或模板的问题）：KeyError；"
        "请把以下信息报告给维护者（见 README“报告程序错误”）："
        "所用的命令和设置环境变量 REPORTGEN_DEBUG=1 后重新运行所显示的详细信息\n",
    )


def test_a_data_error_is_still_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("year: [", encoding="utf-8")
    code, _, _ = run(capsys, "validate", str(broken))
    assert code == EXIT_INVALID


def test_every_exit_code_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("退出码："))
    for code in (EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED):
        assert f"`{code}`" in line, code


# ---- a really full disk: a tiny tmpfs in a private mount namespace, where root may mount


def _can_mount() -> bool:
    if shutil.which("unshare") is None or not Path("/proc/self/ns/mnt").exists():
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs t /mnt"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return probe.returncode == 0


def _on_a_full_disk(disk: Path, size: str, *args: str) -> tuple[int, str, list[str]]:
    """Run reportgen with ``disk`` a tmpfs of ``size`` whose first page is taken; its exit
    code, its stderr and what ``disk`` holds afterwards (the tmpfs vanishes with the run)."""
    disk.mkdir()
    script = (
        f'mount -t tmpfs -o size={size} reportgen-test "$0" && printf x > "$0/filler" && '
        '{ "$@" >/dev/null; code=$?; cd "$0" && find . -mindepth 1 | sort; exit $code; }'
    )
    namespace = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
    result = subprocess.run(
        [*namespace, str(disk), sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    contents = [row.removeprefix("./") for row in result.stdout.splitlines()]
    return result.returncode, result.stderr, contents


needs_mount = pytest.mark.requires(_can_mount(), "cannot mount a tmpfs here")


@needs_mount
def test_init_on_a_really_full_disk(tmp_path: Path) -> None:
    target = tmp_path / "disk" / "report.yaml"
    assert _on_a_full_disk(tmp_path / "disk", "4k", "init", str(target)) == (
        EXIT_USAGE,
        f"错误：无法写入 {target}（磁盘已满）\n",
        ["filler"],  # no 0-byte file to block the retry
    )


@needs_mount
def test_render_on_a_really_full_disk(tmp_path: Path) -> None:
    out = tmp_path / "disk" / "out"
    assert _on_a_full_disk(tmp_path / "disk", "4k", "render", str(COMPLETE), "-o", str(out)) == (
        EXIT_USAGE,
        f"错误：{COMPLETE}: 无法写入 {out / NAME}.docx（磁盘已满）\n",
        ["filler", "out"],
    )


@needs_mount
@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_pdf_on_a_really_full_disk(tmp_path: Path) -> None:
    """Room for the .docx (about 35 KB), not for the PDF (about 250 KB)."""
    out = tmp_path / "disk" / "out"
    args = ("render", str(COMPLETE), "-o", str(out), "--pdf")
    assert _on_a_full_disk(tmp_path / "disk", "100k", *args) == (
        EXIT_USAGE,
        f"错误：{COMPLETE}: 无法写入 PDF {out / NAME}.pdf（磁盘已满）\n",
        ["filler", "out", f"out/{NAME}.docx"],
    )
