"""``reportgen init``: a commented starter file for a department's report, never over a file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from reportgen.errors import FileSystemError, UsageError
from reportgen.json_schema import SCHEMA_FILE, SCHEMA_LINE, write_schema

STARTER = Path(__file__).resolve().parent / "samples" / "starter.yaml"


def create_starter(target: Path) -> list[Path]:
    """Write the starter to ``target``, and the data format's JSON Schema beside it for the
    editor when none is there; refuse when anything already stands at ``target``.

    Each file appears whole or not at all: when writing fails (a full disk, Ctrl-C) what was
    created is removed, so it cannot block the next attempt. Returns the files written.
    """
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise UsageError(f"{target}: 文件名应以 .yaml 结尾")
    content = SCHEMA_LINE.encode("utf-8") + STARTER.read_bytes()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise UsageError(f"无法创建 {target}（{target.parent} 是一个文件，不是目录）") from exc
    except OSError as exc:
        raise FileSystemError(f"无法创建目录 {target.parent}", exc) from exc
    try:
        # O_EXCL: even a file created between a check and the write is never overwritten
        descriptor = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
        )
    except FileExistsError as exc:
        raise UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个文件名") from exc
    except OSError as exc:
        raise FileSystemError(f"无法创建 {target}", exc) from exc
    try:
        try:
            _write_all(descriptor, content)
        finally:
            os.close(descriptor)  # some file systems (NFS) report a full disk only here
    except BaseException as exc:
        with contextlib.suppress(OSError):  # it is ours: O_EXCL created it a moment ago
            target.unlink()
        if isinstance(exc, OSError):
            raise FileSystemError(f"无法写入 {target}", exc) from exc
        raise
    schema = target.parent / SCHEMA_FILE
    if schema.exists():  # the clerk's other reports share it; `reportgen schema` refreshes it
        return [target]
    try:
        write_schema(schema)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return [target, schema]


def _write_all(descriptor: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(descriptor, view) :]
