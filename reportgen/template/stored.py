"""Prepared templates kept on disk between runs, so that one report costs little more than its
render: reading, checking and compiling a template is most of a single ``reportgen render``.

An entry is named by a hash of everything preparing depends on: the template's bytes, this
Python and reportgen's template code (:func:`fingerprint`), docxtpl, python-docx and Jinja. It is
kept in the user's private cache folder (:mod:`reportgen.user_cache`: written whole or not at
all, read back only when its own checksum holds); anything else — a damaged, half-written or
foreign entry — is ignored and the template prepared again. At most ``MAX_ENTRIES`` are kept.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import marshal
import sys
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.user_cache import installed, read_entry, write_entry

FOLDER = "templates"
MAX_ENTRIES = 32
_MAGIC = b"reportgen-prepared-template 2\n"
_TEMPLATE_CODE = Path(__file__).resolve().parent
# what a prepared template is made with: docxtpl, python-docx, Jinja and lxml
_LIBRARIES = ("docxtpl", "docx", "jinja2", "lxml.etree")


def fingerprint() -> bytes:
    """What compiled templates depend on besides the template: Python's bytecode format, the
    libraries' versions, reportgen's version and its template code as installed (size and
    modification time of each module, so that an edited checkout never reads a stale entry)."""
    parts = [importlib.util.MAGIC_NUMBER, sys.version.encode(), __version__.encode()]
    parts += [_version(name).encode() for name in _LIBRARIES]
    parts += [module.encode() for module in installed(_TEMPLATE_CODE, recursive=False)]
    return hashlib.sha256(b"\0".join(parts)).digest()


def _version(name: str) -> str:
    """A library's version and its module file as installed (a reinstall of the same version
    changes the file's time), from the module rendering imports anyway: reading the packages'
    metadata instead (``importlib.metadata``) cost 15 ms of a 0.3 s ``reportgen render``."""
    module = importlib.import_module(name)
    return (
        f"{name}:{getattr(module, '__version__', '?')}:{_installed(Path(module.__file__ or '.'))}"
    )


def _installed(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path.name}:?"
    return f"{path.name}:{info.st_size}:{info.st_mtime_ns}"


def entry_name(template: bytes, code: bytes) -> str:
    return hashlib.sha256(code + template).hexdigest() + ".bin"


def load(template: bytes, code: bytes) -> dict[str, Any] | None:
    """The entry for ``template`` (its bytes) as saved, or ``None``."""
    payload = read_entry(FOLDER, entry_name(template, code), _MAGIC)
    if payload is None:
        return None
    try:
        fields = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return fields if isinstance(fields, dict) else None


def save(template: bytes, code: bytes, fields: dict[str, Any]) -> None:
    """Keep ``fields`` (plain values and code objects) for the next run, if the cache can be
    used; never fails."""
    try:
        payload = marshal.dumps(fields)
    except ValueError:  # a value marshal cannot write: nothing kept
        return
    write_entry(FOLDER, entry_name(template, code), _MAGIC, payload, MAX_ENTRIES)
