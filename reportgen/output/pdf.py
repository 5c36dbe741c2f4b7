"""PDF conversion with LibreOffice, mapping the official font names to free CJK fonts."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from reportgen.errors import FileSystemError, RenderError, ReportgenError, UsageError
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import pdf_name
from reportgen.user_cache import private_dir

# The official fonts (Windows machines have them) → free fonts Debian packages:
# fonts-noto-cjk for 宋/仿宋/黑/小标宋, fonts-arphic-ukai for 楷体.
FONT_SUBSTITUTES: dict[str, list[str]] = {
    "仿宋_GB2312": ["FangSong", "Noto Serif CJK SC"],
    "仿宋": ["FangSong", "Noto Serif CJK SC"],
    "楷体_GB2312": ["KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "楷体": ["KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "Noto Sans CJK SC"],
    "方正小标宋简体": ["Noto Serif CJK SC"],
    "宋体": ["SimSun", "Noto Serif CJK SC"],
}


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file: the system configuration plus one alias per official font."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in substitutes)
        + "</prefer></alias>"
        for name, substitutes in FONT_SUBSTITUTES.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{aliases}\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


TERM_GRACE = 2.0  # seconds LibreOffice gets to exit on SIGTERM before it is killed
_POLL = 0.05


def _run_in_own_group(command: list[str], env: dict[str, str], timeout: float, log: Path) -> int:
    """Run LibreOffice as the leader of a new process group and return its exit code.

    soffice starts soffice.bin and helpers; killing only the process we started would leave
    them running, writing into a directory that is about to be removed. So the whole group is
    stopped: at the timeout, and also after a normal exit if anything of it is left. The
    leader is reaped only after that, so its pid cannot have been reused as a group id.
    """
    with log.open("wb") as errors:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,  # a file, not a pipe: a stray child cannot hold it open and hang us
            start_new_session=True,
        )
    if os.name != "posix":  # no process groups: stop the one process we started
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise _timed_out(timeout) from None
    try:
        finished = _exited(process.pid, timeout)
    finally:
        _stop_group(process.pid)
        process.wait()
    if not finished:
        raise _timed_out(timeout)
    return process.returncode


def _timed_out(timeout: float) -> RenderError:
    return RenderError(f"LibreOffice 转换 PDF 超过 {timeout:g} 秒未完成，已停止 LibreOffice")


def _exited(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` for ``pid`` to exit, leaving it unreaped (``WNOWAIT``)."""
    deadline = time.monotonic() + timeout
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)
    return True


def _stop_group(group: int) -> None:
    """SIGTERM every live process of ``group``, SIGKILL what is left after TERM_GRACE, and
    return once none is left."""
    for sig, grace in ((signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 10.0)):
        if not group_is_alive(group):
            return
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while group_is_alive(group) and time.monotonic() < deadline:
            time.sleep(_POLL)


def group_is_alive(group: int) -> bool:
    """Whether a process of ``group`` still runs. An exited process waiting to be reaped (a
    zombie) does not count: it writes nothing, and an orphan's reaping is up to init."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited while we looked
            continue
        state, _parent, process_group = stat.rsplit(")", 1)[1].split()[:3]
        if int(process_group) == group and state not in {"Z", "X"}:
            return True
    return False


def convert_to_pdf(docx: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``docx`` into ``out_dir`` and return the PDF's path."""
    result = convert_all_to_pdf([docx], out_dir, timeout)[0]
    if isinstance(result, ReportgenError):
        raise result
    return result


# A batch call's time limit: LibreOffice's start plus a share for each file.
BATCH_TIMEOUT = 120.0
BATCH_TIMEOUT_PER_FILE = 60.0


def convert_all_to_pdf(
    documents: Sequence[Path], out_dir: Path, timeout: float | None = None
) -> list[Path | ReportgenError]:
    """Convert every .docx of ``documents`` into ``out_dir`` with one LibreOffice process,
    which starts once for all of them; for each, its PDF's path or why it has none.

    Without ``timeout``, the call may take ``BATCH_TIMEOUT`` and ``BATCH_TIMEOUT_PER_FILE``
    for each document. Past it LibreOffice's process group is stopped and no PDF of the call
    is kept: one it was writing could be cut short.
    """
    if not documents:
        return []
    program = _require_soffice()
    if timeout is None:
        timeout = BATCH_TIMEOUT + BATCH_TIMEOUT_PER_FILE * len(documents)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as work:
        workdir = Path(work)
        log = workdir / "soffice.log"
        staged = _staged(documents, workdir)
        with _profile(workdir) as (profile, kept):
            try:
                _run_in_own_group(
                    _command(program, profile, workdir, staged), _environment(workdir), timeout, log
                )
            except BaseException:
                if kept:  # stopped in the middle of writing it, perhaps
                    _remove(profile)
                raise
            if kept and not any((workdir / "out").glob("*.pdf")):
                # nothing converted: a damaged kept profile is one cause; try once with a new one
                _remove(profile)
                _run_in_own_group(
                    _command(program, workdir / "profile", workdir, staged),
                    _environment(workdir),
                    timeout,
                    log,
                )
        results: list[Path | ReportgenError] = []
        for number, docx in enumerate(documents):
            produced = workdir / "out" / f"{number}.pdf"
            try:
                if not produced.exists():  # LibreOffice's exit code covers the last file only
                    raise _not_converted(docx, log)
                results.append(_publish(produced, out_dir / pdf_name(docx)))
            except ReportgenError as exc:
                results.append(exc)
        return results


def _require_soffice() -> str:
    program = soffice()
    if program is None:
        raise UsageError("未找到 LibreOffice（soffice），无法生成 PDF；请先安装 libreoffice-writer")
    return program


def _environment(workdir: Path) -> dict[str, str]:
    return dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(workdir)), HOME=str(workdir))


# LibreOffice makes a new profile (its user settings folder) on its first start: a tenth of a
# second of CPU and, on removal, thousands of small files. A few profiles are kept in the user's
# cache, each used by one LibreOffice at a time (a lock file says which is taken).
PROFILE_SLOTS = 8


@contextlib.contextmanager
def _profile(workdir: Path) -> Iterator[tuple[Path, bool]]:
    """A LibreOffice profile folder for one call, and whether it is a kept one: a free slot of
    the user's cache, or a new folder in ``workdir`` when the cache cannot be used safely
    (not ours, shared with others, read-only, every slot taken)."""
    import fcntl

    base = private_dir("libreoffice-profiles")
    if base is not None:
        for slot in range(PROFILE_SLOTS):
            try:
                lock = os.open(base / f"{slot}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            except OSError:
                continue
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(lock)
                continue
            profile = base / str(slot)
            if not _own_folder(profile) or not _own_folder(profile / "user"):
                _remove(profile)  # a link, or a file: LibreOffice would follow it or fail
                if not _own_folder(profile):
                    os.close(lock)
                    continue
            try:
                with contextlib.suppress(OSError):
                    # left by a LibreOffice that was killed: the slot's lock says none runs
                    (profile / "user" / ".lock").unlink()
                yield profile, True
            finally:
                os.close(lock)  # releases the lock
            return
    yield workdir / "profile", False


def _own_folder(path: Path) -> bool:
    """Whether ``path`` is missing or a real folder (not a link to one) of this user."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def _remove(profile: Path) -> None:
    if profile.is_dir() and not profile.is_symlink():
        shutil.rmtree(profile, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            profile.unlink()


def _command(program: str, profile: Path, workdir: Path, documents: Sequence[Path]) -> list[str]:
    return [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workdir / "out"),
        *map(str, documents),
    ]


def _staged(documents: Sequence[Path], workdir: Path) -> list[Path]:
    """A copy of each document in the working directory named by its number: LibreOffice cannot
    load a path whose bytes are not UTF-8 (a folder unzipped from a Chinese Windows zip)."""
    staged = workdir / "in"
    staged.mkdir()
    copies = []
    for number, docx in enumerate(documents):
        copy = staged / f"{number}.docx"
        shutil.copyfile(docx, copy)
        copies.append(copy)
    return copies


def _not_converted(docx: Path, log: Path) -> RenderError:
    detail = log.read_bytes().decode("utf-8", "replace").strip()[-300:]
    return RenderError(f"LibreOffice 未能把 {docx.name} 转成 PDF（{detail}）")


def _publish(produced: Path, target: Path) -> Path:
    """Move a PDF LibreOffice wrote in its working directory to ``target``, whole or not at all."""
    try:
        with produced.open("rb") as pdf:
            replace_atomically(target, lambda stream: shutil.copyfileobj(pdf, stream))
    except OSError as exc:
        raise FileSystemError(f"无法写入 PDF {target}", exc) from exc
    return target
