"""Replacing an output file atomically: a reader sees the earlier file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Make ``target`` hold what ``write`` writes to the stream it is given.

    The content goes to a temporary file beside ``target`` (same filesystem, so the rename is
    atomic), is flushed to disk, then renamed over ``target``. On any failure, an interrupt
    included, the temporary file is removed and an earlier ``target`` is left as it was.
    """
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".reportgen-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide it from others
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
