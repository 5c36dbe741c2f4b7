"""Folders in the user's cache (``$XDG_CACHE_HOME/reportgen``, else ``~/.cache/reportgen``)
that only this user can write: what reportgen keeps between runs to start faster.

A folder that is not the user's own, or that others may write to, is not used: what is read
back from it would be someone else's. Nothing kept there is needed: every caller works without.
"""

from __future__ import annotations

import os
import stat
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
