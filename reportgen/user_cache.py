"""Folders in the user's cache (``$XDG_CACHE_HOME/reportgen``, else ``~/.cache/reportgen``)
that only this user can write: what reportgen keeps between runs to start faster, as entries
written whole or not at all and read back only when their checksum holds.

A folder that is not the user's own, or that others may write to, is not used: what is read
back from it would be someone else's. Nothing kept there is needed: every caller works without.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

DISABLE = "REPORTGEN_NO_CACHE"  # set (to anything but empty) to keep nothing between runs


def private_dir(name: str) -> Path | None:
    """``reportgen/<name>`` in the user's cache, made if need be (mode 0700), or ``None`` when
    it cannot be used safely: turned off, not ours, writable by others, or not writable."""
    if os.environ.get(DISABLE):
        return None
    try:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or "")
        if not cache.is_absolute():  # unset, or relative: ignored, as the XDG spec says
            cache = Path.home() / ".cache"
        base = cache / "reportgen"
        folder = base / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path in (base, folder):
            info = os.lstat(path)
            if (
                not stat.S_ISDIR(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                return None
    except (OSError, RuntimeError):  # RuntimeError: no home to find
        return None
    return folder


MAX_ENTRY_BYTES = 64 * 1024 * 1024
_DIGEST = hashlib.sha256().digest_size


def _checksum(name: str, payload: bytes) -> bytes:
    """An entry's checksum, which names the entry: another entry, however whole, copied or
    renamed to this one's name does not pass for it."""
    return hashlib.sha256(name.encode() + b"\0" + payload).digest()


def read_entry(folder_name: str, name: str, magic: bytes) -> bytes | None:
    """The payload of the entry ``name`` in the cache folder ``folder_name`` as written by
    :func:`write_entry` with the same ``magic``, or ``None`` (no cache, no entry, or not whole)."""
    folder = private_dir(folder_name)
    if folder is None:
        return None
    try:
        # not a link, and never waiting on a pipe put in its place: a regular file or nothing
        descriptor = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            content = stream.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    head = content[: len(magic)]
    digest = content[len(magic) : len(magic) + _DIGEST]
    payload = content[len(magic) + _DIGEST :]
    if head != magic or _checksum(name, payload) != digest:
        return None
    return payload


def write_entry(folder_name: str, name: str, magic: bytes, payload: bytes, keep: int) -> None:
    """Keep ``payload`` as the entry ``name`` for the next run, if the cache can be used, and
    the ``keep`` most recently written entries of the folder; never fails."""
    folder = private_dir(folder_name)
    if folder is None or len(payload) > MAX_ENTRY_BYTES:
        return
    content = magic + _checksum(name, payload) + payload
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, folder / name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError:
        return
    _trim(folder, Path(name).suffix, keep)


def _trim(folder: Path, suffix: str, keep: int) -> None:
    """Keep the ``keep`` most recently written entries."""
    try:
        entries = sorted(
            (entry.stat().st_mtime_ns, entry)
            for entry in folder.glob(f"*{suffix}")
            if entry.is_file()
        )
    except OSError:
        return
    for _, entry in entries[: max(len(entries) - keep, 0)]:
        with contextlib.suppress(OSError):
            entry.unlink()


def installed(folder: Path, recursive: bool = True) -> list[str]:
    """Every Python module under ``folder`` as installed — ``relative/path.py:size:mtime`` —
    sorted: what an entry made by that code is keyed by, so that an edited or reinstalled module
    never reads a stale entry. (``os.scandir`` keeps this at half a millisecond for reportgen's
    150 modules; ``Path.rglob`` took 2.5 ms of every start-up.)"""
    found: list[str] = []
    pending = [folder]
    while pending:
        place = pending.pop()
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive and entry.name != "__pycache__":
                    pending.append(Path(entry.path))
            elif entry.name.endswith(".py"):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                where = Path(entry.path).relative_to(folder).as_posix()
                found.append(f"{where}:{info.st_size}:{info.st_mtime_ns}")
    return sorted(found)
