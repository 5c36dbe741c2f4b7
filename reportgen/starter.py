"""``reportgen init``: a commented starter file for a department's report, never over a file."""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.errors import UsageError

STARTER = Path(__file__).resolve().parent / "samples" / "starter.yaml"


def create_starter(target: Path) -> None:
    """Write the starter to ``target``; refuse when anything already stands there."""
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise UsageError(f"{target}: 文件名应以 .yaml 结尾")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: even a file created between a check and the write is never overwritten
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError as exc:
        raise UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个文件名") from exc
    except OSError as exc:
        raise UsageError(f"无法创建 {target}（{exc.strerror}）") from exc
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(STARTER.read_bytes())
