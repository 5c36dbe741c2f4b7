"""The one family of user-facing errors: ``str(error)`` is the Chinese message."""

from __future__ import annotations

import errno
import os

# The exit codes of ``reportgen`` (README and the commands' help list them too).
EXIT_OK = 0
EXIT_INVALID = 1  # the data or a template has errors
EXIT_USAGE = 2  # a file cannot be used or written, or the command line is wrong
EXIT_INTERNAL = 70  # a bug in reportgen itself (EX_SOFTWARE of sysexits.h)
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process ended by SIGINT


class ReportgenError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits non-zero."""

    exit_code = EXIT_INVALID


class UsageError(ReportgenError):
    """The command line or an input file cannot be used at all (unreadable, missing)."""

    exit_code = EXIT_USAGE


class FileSystemError(UsageError):
    """The operating system refused to read or write a path the command needs.

    ``message`` names the path and what was being done; the reason follows in brackets:
    ``无法写入 output/x.docx（磁盘已满）``.
    """

    def __init__(self, message: str, error: OSError) -> None:
        self.reason = os_reason(error)
        super().__init__(f"{message}（{self.reason}）")


class Interrupted(BaseException):
    """Ctrl-C (see :mod:`reportgen.cli.entry`). Not a ``KeyboardInterrupt``, which typer turns
    into a silent exit 130 (older versions into an English “Aborted!”), and not an
    ``Exception``, so that nothing on the way catches it."""


def interruption(error: BaseException) -> BaseException | None:
    """The Ctrl-C during whose clean-up ``error`` was raised, if any.

    A clean-up that fails after Ctrl-C (LibreOffice still writing into a temporary
    directory being removed) must not turn the interruption into a file error.
    """
    seen: set[int] = set()
    context = error.__context__
    while context is not None and id(context) not in seen:
        if isinstance(context, Interrupted | KeyboardInterrupt):
            return context
        seen.add(id(context))
        context = context.__context__
    return None


class InvalidReportError(ReportgenError):
    """The report data has errors; the findings say which."""


class TemplateError(ReportgenError):
    """A template is missing, malformed or tried something the sandbox forbids."""


class RenderError(ReportgenError):
    """Rendering produced no valid document."""


# by name: not every platform defines every errno (Windows has no EDQUOT)
_REASON_BY_NAME = {
    "EACCES": "权限不足",
    "EPERM": "权限不足，操作不被允许",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "超出磁盘配额",
    "ENAMETOOLONG": "文件名过长",
    "EISDIR": "是一个目录",
    "ENOTDIR": "路径中有一部分不是目录",
    "ENOENT": "文件不存在",
    "EROFS": "只读文件系统",
    "EEXIST": "已存在",
    "ELOOP": "符号链接层数过多或形成了循环",
    "EIO": "读写设备出错",
    "EBUSY": "文件正被占用",
    "ETXTBSY": "文件正被占用",
    "EMFILE": "打开的文件过多",
    "ENFILE": "打开的文件过多",
    "EPIPE": "管道已关闭，接收输出的程序已退出",
    "EBADF": "已关闭",
    "EFBIG": "文件过大",
    "ENOMEM": "内存不足",
    "EINVAL": "文件名或参数无效",
    "EXDEV": "不能跨文件系统移动",
    "ENXIO": "设备不存在",
    "ENODEV": "设备不存在",
    "ESTALE": "网络文件已失效，请重新挂载",
    "EAGAIN": "资源暂时不可用，请稍后再试",
    "ENOTEMPTY": "目录不是空的",
    "EOPNOTSUPP": "所在的文件系统不支持这一操作",
    "ENOTSUP": "所在的文件系统不支持这一操作",
    "EOVERFLOW": "文件过大，超出了可以处理的范围",
    "EILSEQ": "文件名中有所在的文件系统不接受的字符",
    "ENOLCK": "无法给文件加锁",
    "EINTR": "操作被信号中断，请重试",
    "ETIMEDOUT": "操作超时（网络文件系统或设备没有响应）",
    "ECONNREFUSED": "连接被拒绝",
    "ECONNRESET": "连接被对方关闭",
    "ECONNABORTED": "连接已中断",
    "ENETUNREACH": "网络不可达",
    "EHOSTUNREACH": "主机不可达",
    "EADDRINUSE": "端口已被占用",
    "EADDRNOTAVAIL": "地址不可用",
    "ENOTCONN": "连接未建立或已断开",
}
_REASONS = {
    getattr(errno, name): reason for name, reason in _REASON_BY_NAME.items() if hasattr(errno, name)
}


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in Chinese; an unusual errno keeps its own text."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    name = errno.errorcode.get(error.errno or 0)
    detail = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    return f"系统错误 {name}：{detail}" if name else f"系统错误：{detail}"
