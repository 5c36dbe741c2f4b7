"""The text of a PDF by poppler's ``pdftotext`` (see docs/import.md for why this extractor),
bounded: at most ``MAX_PAGES`` pages are extracted, and the program runs with limits on its CPU
seconds, memory and output size that the kernel enforces (a PDF whose streams inflate to
hundreds of MB, or that keeps pdftotext busy, is stopped the same way on a loaded machine as on
an idle one). Its English error text is never shown: each failure is said in Chinese."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportgen.errors import FileSystemError, UsageError
from reportgen.importer.limits import (
    MAX_PAGES,
    PDF_CPU_SECONDS,
    PDF_MEMORY_BYTES,
    PDF_TEXT_BYTES,
    refuse,
)

# A backstop only: the CPU limit stops a busy pdftotext; this stops one that waits on nothing.
WALL_SECONDS = 120


def _limits() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None

    def apply() -> None:  # runs in the child, between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (PDF_CPU_SECONDS, PDF_CPU_SECONDS + 1))
        resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY_BYTES, PDF_MEMORY_BYTES))
        resource.setrlimit(resource.RLIMIT_FSIZE, (PDF_TEXT_BYTES, PDF_TEXT_BYTES))

    return apply


def pdf_text(path: Path) -> str:
    """The text of the PDF's pages laid out in columns (``-layout``), pages joined."""
    return _extract(path, "-layout").replace(b"\f", b"").decode("utf-8", "replace")


def pdf_words(path: Path) -> str:
    """Every word of the PDF with its page and box, as pdftotext's ``-tsv`` table (the
    published 自评表 is read from where its words stand: importer/pdf_table.py)."""
    return _extract(path, "-tsv").decode("utf-8", "replace")


def _extract(path: Path, mode: str) -> bytes:
    """pdftotext's output in ``mode`` for the first pages, within the limits; raises in
    Chinese when it cannot be had."""
    program = shutil.which("pdftotext")
    if program is None:
        raise UsageError(
            f"{path}: 导入 PDF 需要 poppler 的 pdftotext 命令（apt install poppler-utils），"
            "也可先把 PDF 的文字另存为 .txt 再导入"
        )
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as work:
        out, err = Path(work) / "text", Path(work) / "errors"
        files = (str(path), str(out))
        try:
            with err.open("wb") as stderr:
                done = subprocess.run(
                    [program, mode, "-enc", "UTF-8", "-l", str(MAX_PAGES + 1), *files],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    preexec_fn=_limits(),  # the child only calls setrlimit before exec
                    timeout=WALL_SECONDS,
                    check=False,
                )
        except subprocess.TimeoutExpired as exc:
            raise refuse(path, f"提取文字超过 {WALL_SECONDS} 秒仍未完成") from exc
        except OSError as exc:
            raise FileSystemError(f"无法运行 pdftotext 提取 {path} 的文字", exc) from exc
        _check_outcome(path, done.returncode, err, out)
        if not out.exists():
            raise UsageError(f"{path}: 无法提取 PDF 的文字（pdftotext 没有输出）")
        raw = out.read_bytes()
    pages = raw.count(b"\f") if mode == "-layout" else raw.count(b"###PAGE###")
    if pages > MAX_PAGES:
        raise refuse(path, f"页数过多（超过 {MAX_PAGES} 页）")
    return raw


def _check_outcome(path: Path, code: int, err: Path, out: Path) -> None:
    if code == 0:
        return
    with err.open("rb") as stream:
        said = stream.read(4096).decode("utf-8", "replace").lower()
    if code in (-signal.SIGXCPU, -signal.SIGKILL) or "cpu" in said:
        raise refuse(path, f"提取文字用时超过 {PDF_CPU_SECONDS} 秒 CPU 时间（上限）")
    if code == -signal.SIGXFSZ or (out.exists() and out.stat().st_size >= PDF_TEXT_BYTES):
        raise refuse(path, f"提取出的文字超过 {PDF_TEXT_BYTES / 1024 / 1024:g} MiB（上限）")
    if code in (-signal.SIGABRT, -signal.SIGSEGV) or "memory" in said or "alloc" in said:
        raise refuse(path, f"提取文字需要的内存超过 {PDF_MEMORY_BYTES / 1024 / 1024:g} MiB（上限）")
    if "password" in said:
        raise UsageError(
            f"{path}: PDF 已加密（需要密码才能打开），无法提取文字；"
            "请用 PDF 阅读器去掉密码后另存，或把文字另存为 .txt 再导入"
        )
    raise UsageError(
        f"{path}: 无法提取 PDF 的文字（文件已损坏或不是 PDF）；可用 PDF 阅读器打开后另存，"
        "或把文字另存为 .txt 再导入"
    )
