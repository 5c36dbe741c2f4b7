"""Prepared templates kept on disk between runs, so that one report costs little more than its
render: reading, checking and compiling a template is most of a single ``reportgen render``.

An entry is named by a hash of everything preparing depends on: the template's bytes, this
Python and reportgen's template code (:func:`fingerprint`), docxtpl, python-docx and Jinja. It is
kept in the user's private cache folder (:mod:`reportgen.user_cache`), written whole or not at
all, and read back only when its own checksum holds; anything else — a damaged, half-written or
foreign entry — is ignored and the template prepared again. At most ``MAX_ENTRIES`` are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.user_cache import private_dir

FOLDER = "templates"
MAX_ENTRIES = 32
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_MAGIC = b"reportgen-prepared-template 2\n"
_DIGEST = hashlib.sha256().digest_size
_TEMPLATE_CODE = Path(__file__).resolve().parent


def fingerprint() -> bytes:
    """What compiled templates depend on besides the template: Python's bytecode format, the
    libraries' versions, reportgen's version and its template code as installed (size and
    modification time of each module, so that an edited checkout never reads a stale entry)."""
    parts = [
        importlib.util.MAGIC_NUMBER,
        sys.version.encode(),
        __version__.encode(),
        *(_version(name).encode() for name in ("docxtpl", "python-docx", "jinja2", "lxml")),
    ]
    for module in sorted(_TEMPLATE_CODE.glob("*.py")):
        info = module.stat()
        parts.append(f"{module.name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return hashlib.sha256(b"\0".join(parts)).digest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def entry_name(template: bytes, code: bytes) -> str:
    return hashlib.sha256(code + template).hexdigest() + ".bin"


def _checksum(name: str, payload: bytes) -> bytes:
    """The entry's checksum, which names the entry: another template's entry, however whole,
    copied or renamed to this one's name does not pass for it."""
    return hashlib.sha256(name.encode() + b"\0" + payload).digest()


def load(template: bytes, code: bytes) -> dict[str, Any] | None:
    """The entry for ``template`` (its bytes) as saved, or ``None``."""
    folder = private_dir(FOLDER)
    if folder is None:
        return None
    name = entry_name(template, code)
    try:
        # not a link, and never waiting on a pipe put in its place: a regular file or nothing
        descriptor = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            content = stream.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    head, digest, payload = (
        content[: len(_MAGIC)],
        content[len(_MAGIC) : len(_MAGIC) + _DIGEST],
        content[len(_MAGIC) + _DIGEST :],
    )
    if head != _MAGIC or _checksum(name, payload) != digest:
        return None
    try:
        fields = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return fields if isinstance(fields, dict) else None


def save(template: bytes, code: bytes, fields: dict[str, Any]) -> None:
    """Keep ``fields`` (plain values and code objects) for the next run, if the cache can be
    used; never fails."""
    folder = private_dir(FOLDER)
    if folder is None:
        return
    try:
        payload = marshal.dumps(fields)
    except ValueError:  # a value marshal cannot write: nothing kept
        return
    if len(payload) > MAX_ENTRY_BYTES:
        return
    name = entry_name(template, code)
    content = _MAGIC + _checksum(name, payload) + payload
    target = folder / name
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError:
        return
    _trim(folder)


def _trim(folder: Path) -> None:
    """Keep the ``MAX_ENTRIES`` most recently written entries."""
    try:
        entries = sorted(
            (entry.stat().st_mtime_ns, entry) for entry in folder.glob("*.bin") if entry.is_file()
        )
    except OSError:
        return
    for _, entry in entries[:-MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            entry.unlink()
