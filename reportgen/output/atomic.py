"""Replacing an output file atomically: a reader sees the earlier file or the new one, never half.

Inside a folder given as a root (``reportgen serve``'s, open once as a descriptor by
:func:`open_root`), names are opened one level at a time from that descriptor without following a
link (:func:`folder_within`), for writing (:func:`replace_in_folder`, :func:`create_in_folder`) as
for reading (:func:`open_in_folder`): a link put in place of the root, a folder or a file since
the root was opened or the name checked leads nowhere else.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from reportgen.errors import FileSystemError

# Writing and reading in a folder open as a descriptor (so that a link put in place of the
# folder since it was checked cannot lead elsewhere): POSIX; not Windows.
# (os.replace takes the same descriptors as os.rename, but is not listed in the set)
IN_FOLDER = (
    {os.open, os.stat, os.mkdir, os.rename, os.link, os.unlink} <= os.supports_dir_fd
    and hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "O_NONBLOCK")
)
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}
# what open(2) says of a link it was told not to follow (FreeBSD: EMLINK), and of a path
# through something that is not a folder
LINKED = {errno.ELOOP, errno.EMLINK, errno.ENOTDIR}


class Diverted(Exception):
    """``part`` (a folder on the way, or the file itself) is a link, or no longer a folder:
    following it could lead out of the root."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


class NotRegular(Exception):
    """The name stands for something other than a regular file (``mode`` says what)."""

    def __init__(self, mode: int) -> None:
        super().__init__(mode)
        self.mode = mode


def open_root(root: Path) -> int:
    """The folder ``root`` open as a descriptor (the caller closes it), itself not a link:
    whatever is later put under its name (another folder, a link), the descriptor stays on it."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(root, flags)
    except OSError as exc:
        if exc.errno in LINKED:
            raise Diverted(root.name) from None
        raise


def folder_gone(root: int) -> bool:
    """Whether the folder open as ``root`` has been deleted (nothing can be made in it)."""
    return os.fstat(root).st_nlink == 0


@contextlib.contextmanager
def folder_within(root: int, parts: Sequence[str], *, make: bool) -> Iterator[int]:
    """The folder ``parts…`` below the one open as ``root`` (which stays open), as a descriptor,
    reached one level at a time without following a link (:class:`Diverted` names the part that
    is one); with ``make``, folders missing on the way are made, else ``FileNotFoundError``."""
    descriptor = root
    try:
        for part in parts:
            if make:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=descriptor)
            try:
                inner = os.open(
                    part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=descriptor
                )
            except OSError as exc:
                if exc.errno in LINKED:
                    raise Diverted(part) from None
                raise
            if descriptor != root:
                os.close(descriptor)
            descriptor = inner
        yield descriptor
    finally:
        if descriptor != root:
            os.close(descriptor)


def open_in_folder(folder: int, name: str) -> int:
    """The regular file ``name`` in the folder open as ``folder``, open for reading (the
    caller closes it). A link standing there is never followed (:class:`Diverted`); anything
    but a regular file is refused before it is opened and again once open, in case it was
    replaced in between (:class:`NotRegular`): a FIFO would block the read, a device never end."""
    mode = os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    if stat.S_ISLNK(mode):
        raise Diverted(name)
    if not stat.S_ISREG(mode):
        raise NotRegular(mode)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(name, flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno in LINKED:
            raise Diverted(name) from None
        raise
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise NotRegular(mode)
    return descriptor


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


def replace_in_folder(
    folder: int,
    name: str,
    write: Callable[[BinaryIO], object],
    before_replace: Callable[[], object] = lambda: None,
) -> None:
    """As :func:`replace_atomically`, for the file ``name`` in the folder open as descriptor
    ``folder``: the temporary file is made, and renamed over ``name``, in that folder wherever
    its path now leads. A link standing at ``name`` is replaced, never followed. The file
    keeps the permissions of the one it replaces (one its owner kept from others stays so).
    ``before_replace`` runs once the new content is on disk, just before the rename: what it
    raises leaves ``name`` as it is (a check that nobody changed it meanwhile)."""
    mode = 0o666 & ~umask()
    with contextlib.suppress(OSError):
        replaced = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISREG(replaced.st_mode):
            mode = stat.S_IMODE(replaced.st_mode) & 0o777
    temporary: str | None = None
    stream: BinaryIO | None = None
    try:
        with interrupts_held():
            temporary, stream = _temporary_in(folder)
        with stream:
            os.fchmod(stream.fileno(), mode)
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        before_replace()
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with interrupts_held():
            if stream is not None:
                stream.close()
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=folder)
        raise


def create_in_folder(folder: int, name: str, content: bytes) -> None:
    """Create ``name`` holding ``content`` in the folder open as descriptor ``folder``: whole
    or not at all, and never over anything standing there, a link or a file created a moment
    ago (``FileExistsError``). The content is written to a temporary file, flushed, then
    hard-linked to ``name``; where hard links are not supported, ``O_EXCL`` creates it."""
    temporary: str | None = None
    try:
        with interrupts_held():
            temporary, stream = _temporary_in(folder)
        with stream:
            os.fchmod(stream.fileno(), 0o666 & ~umask())
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in NO_HARD_LINKS:
                raise
            _create_exclusively_in(folder, name, content)
    finally:
        if temporary is not None:
            with interrupts_held(), contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)


def _create_exclusively_in(folder: int, name: str, content: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor: int | None = None
    try:
        with interrupts_held():
            descriptor = os.open(name, flags, 0o666, dir_fd=folder)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        if descriptor is not None:
            with interrupts_held(), contextlib.suppress(OSError):
                os.unlink(name, dir_fd=folder)
        raise


def _temporary_in(folder: int) -> tuple[str, BinaryIO]:
    """A new file ``.reportgen-….tmp`` in the folder open as ``folder``, open for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = f".reportgen-{secrets.token_hex(8)}.tmp"
        try:
            descriptor = os.open(name, flags, 0o600, dir_fd=folder)
        except FileExistsError:
            continue
        return name, os.fdopen(descriptor, "wb")
    raise FileExistsError(errno.EEXIST, "no unused temporary file name")


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
