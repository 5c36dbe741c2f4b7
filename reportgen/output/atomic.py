"""Replacing an output file atomically: a reader sees the earlier file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from reportgen.errors import FileSystemError


def replace_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Make ``target`` hold what ``write`` writes to the stream it is given.

    The content goes to a temporary file beside ``target`` (same filesystem, so the rename is
    atomic), is flushed to disk, then renamed over ``target``. On any failure, an interrupt
    included, the temporary file is removed and an earlier ``target`` is left as it was.
    """
    # Ctrl-C (or a batch worker's SIGTERM) raises wherever Python is. The file is created and
    # its name kept with them held, so that when one is raised the clean-up knows what to remove.
    temporary: str | None = None
    stream: BinaryIO | None = None
    try:
        with interrupts_held():
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=".reportgen-", suffix=".tmp"
            )
            stream = os.fdopen(handle, "wb")
        with stream:
            os.chmod(temporary, 0o666 & ~umask())  # mkstemp's 0600 would hide it from others
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with interrupts_held():
            if stream is not None:
                stream.close()
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done: their Python handlers run after it.

    Leaving the block, a held signal's handler raises at once — in the ``try`` that removes
    the temporary file. Where signals cannot be held (Windows, a thread), the block is plain."""
    held = {signal.SIGINT, signal.SIGTERM}
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def create_exclusively(target: Path, content: bytes) -> None:
    """Create ``target`` holding ``content``, never over anything already there (``O_EXCL``:
    even a file created a moment ago): ``FileExistsError`` then. Whole or not at all: a
    failure or an interrupt while writing removes the file it created.

    Other errors are a ``FileSystemError``: 无法创建 (the file could not be made) or 无法写入.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor: int | None = None
    try:
        try:
            with interrupts_held():  # so that the clean-up below knows the file is ours
                descriptor = os.open(target, flags, 0o666)
        except FileExistsError:
            raise
        except OSError as exc:
            raise FileSystemError(f"无法创建 {target}", exc) from exc
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)  # some file systems (NFS) report a full disk only here
    except BaseException as exc:
        if descriptor is not None:
            with interrupts_held(), contextlib.suppress(OSError):
                target.unlink()
            if isinstance(exc, OSError):
                raise FileSystemError(f"无法写入 {target}", exc) from exc
        raise
