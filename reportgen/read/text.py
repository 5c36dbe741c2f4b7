"""Read a file's bytes as UTF-8 text, or say exactly why it is not text we can use."""

from __future__ import annotations

import os
import stat
from pathlib import Path as FsPath

from reportgen.errors import FileSystemError, UsageError
from reportgen.findings import Finding, file_finding
from reportgen.read.wide import wide_encoding

MAX_FILE_BYTES = 2 * 1024 * 1024


def too_big(display: str, size: int | None) -> Finding:
    """E003: over ``MAX_FILE_BYTES`` (``size`` unknown: it grew while being read)."""
    limit_mib = MAX_FILE_BYTES // (1024 * 1024)
    shown = (
        f"{size / 1024 / 1024:.1f} MiB"
        if size is not None
        else f"读了 {limit_mib} MiB 仍未结束，可能是仍在写入的文件"
    )
    return file_finding(
        display,
        "E003",
        f"文件过大（{shown}），上限为 {limit_mib} MiB；一个部门一年的报告数据不应有这么大",
        1,
        1,
    )


def _not_regular(mode: int) -> str | None:
    """What a path that is not a regular file is, in Chinese; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "一个目录"
    if stat.S_ISFIFO(mode):
        return "一个命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备文件"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    return "一个特殊文件"


def require_regular(mode: int, display: str, kind: str) -> None:
    """Raise a :class:`UsageError` saying what ``mode`` is unless it is a regular file's."""
    what = _not_regular(mode)
    if what == "一个目录":
        raise UsageError(f"{display}: 这是一个目录，不是 {kind}")
    if what is not None:
        raise UsageError(f"{display}: 这是{what}，不是 {kind}（只能读取普通文件）")


# A FIFO swapped in after the check must not block the open; O_NONBLOCK changes nothing
# for a regular file. Windows has neither flag, and no FIFOs to fear.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _missing(path: FsPath) -> str:
    """Why a path that cannot be found is not there: nothing, or a link to nothing."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError):
        return "文件不存在"
    return f"这是一个符号链接，它指向的 {os.fsdecode(target)} 不存在"


def open_regular(path: FsPath, display: str, kind: str = "YAML 文件") -> int:
    """A read-only descriptor of ``path``, which must be a regular file.

    A directory, FIFO, device or socket is refused from ``stat`` before it is opened (a FIFO
    would block the read forever, a device never ends), and once more from the open
    descriptor, in case the path was replaced in between. Every ``OSError`` becomes a
    :class:`UsageError` naming ``display`` and the reason in Chinese.
    """
    try:
        require_regular(os.stat(path).st_mode, display, kind)
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError as exc:
        raise UsageError(f"{display}: {_missing(path)}") from exc
    except OSError as exc:
        raise FileSystemError(f"{display}: 无法读取", exc) from exc
    try:
        require_regular(os.fstat(descriptor).st_mode, display, kind)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def require_regular_file(path: FsPath, display: str, kind: str) -> None:
    """Raise a :class:`UsageError` unless ``path`` is a regular file we may read."""
    os.close(open_regular(path, display, kind))


def read_text(path: FsPath, display: str) -> tuple[str | None, list[Finding]]:
    """Decode a file as UTF-8 (BOM allowed); explain every other encoding or binary content.

    Only regular files are read (see :func:`open_regular`), and at most ``MAX_FILE_BYTES``
    of them, so a huge file or one that grows while we read it costs no more memory than a
    file of the limit. Line ends are normalised to ``\\n`` (see :func:`normalise_line_ends`).
    """
    raw, problems = read_open(open_regular(path, display), display)
    return (None, problems) if problems else decode_text(raw, display)


def read_open(descriptor: int, display: str) -> tuple[bytes, list[Finding]]:
    """At most ``MAX_FILE_BYTES + 1`` bytes of the regular file open as ``descriptor`` (closed
    after), with E003 when the file is over ``MAX_FILE_BYTES`` or grew past it while read."""
    try:
        with os.fdopen(descriptor, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileSystemError(f"{display}: 无法读取", exc) from exc
    if size > MAX_FILE_BYTES:
        return raw, [too_big(display, size)]
    if len(raw) > MAX_FILE_BYTES:  # it grew while we read it
        return raw, [too_big(display, None)]
    return raw, []


def decode_text(raw: bytes, display: str) -> tuple[str | None, list[Finding]]:
    """A file's bytes as text (see :func:`read_text`), or the findings that say why not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    wide = wide_encoding(raw)
    if wide is not None:
        return None, [
            file_finding(
                display,
                "E002",
                f"文件不是 UTF-8 编码，看起来是 {wide} 编码"
                + ("（Windows 记事本“另存为”中的“Unicode”）" if wide == "UTF-16" else "")
                + "；请用“另存为 → 编码 UTF-8”保存后再试",
                1,
                1,
            )
        ]
    # 0x0D is never part of a multi-byte character in UTF-8, GBK/GB18030 or Big5
    raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8192]:
            return None, [_not_text(display)]
        start = exc.start
        while start > 0 and raw[start - 1] >= 0x80:  # point at the whole non-ASCII word
            start -= 1
        line = raw.count(b"\n", 0, start) + 1
        prefix = raw[raw.rfind(b"\n", 0, start) + 1 : start]
        column = len(prefix.decode("utf-8", errors="replace")) + 1
        return None, [file_finding(display, "E002", _encoding_message(raw), line, column)]
    nul = text.find("\x00")
    if nul >= 0:
        if text.count("\x00") > max(16, len(text) // 100):  # mostly NULs: not a text file
            return None, [_not_text(display)]
        # a few stray NULs in a text file: say where, like any other control character
        line, column = line_column(text, nul)
        return None, [
            file_finding(display, "E010", control_message(0), line, column),
        ]
    return text, []


def _not_text(display: str) -> Finding:
    return file_finding(
        display,
        "E001",
        "这不是文本文件（含有 NUL 字节，可能是 Word、Excel 或图片等二进制文件），"
        "请提供 UTF-8 编码的 YAML 文件",
        1,
        1,
    )


def normalise_line_ends(text: str) -> str:
    """CRLF (Windows) and a lone CR (old Mac editors, some exports) become LF.

    YAML reads all three as line breaks, so the data does not change; every line and column
    computed afterwards, by libyaml or by us, then counts lines as an editor shows them.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]`` in text whose line ends are normalised."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def control_message(code: int) -> str:
    return f"含有不允许的控制字符 U+{code:04X}，请删除（常见于从 Word 复制的文字）"


def _encoding_message(raw: bytes) -> str:
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return (
            f"文件不是 UTF-8 编码，看起来是 {label} 编码（Windows 记事本、WPS 常见的“ANSI”）；"
            "请用“另存为 → 编码 UTF-8”保存后再试"
        )
    return "文件不是 UTF-8 编码，也不是可识别的中文编码；请另存为 UTF-8 后再试"
