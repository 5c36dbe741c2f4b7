"""``reportgen init``: a commented starter file for a department's report, never over a file."""

from __future__ import annotations

import contextlib
from pathlib import Path

from reportgen.docs.json_schema import SCHEMA_FILE, SCHEMA_LINE, write_schema
from reportgen.errors import FileSystemError, UsageError
from reportgen.model.samples import SAMPLES_DIR, STARTER
from reportgen.output.atomic import create_exclusively

# The worked example of a report with its 自评表: data/ of a source checkout, shipped in the
# wheel as samples/table-example.yaml (pyproject.toml).
WORKED_TABLE = "panyu-gov-office-2023-table.yaml"


def table_example() -> Path:
    packaged = SAMPLES_DIR / "table-example.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "table" / WORKED_TABLE


def create_starter(target: Path, table: bool = False) -> list[Path]:
    """Write the starter (``table``: the worked example with its 自评表) to ``target``, and the data format's JSON Schema beside it for the
    editor when none is there; refuse when anything already stands at ``target``.

    Each file appears whole or not at all: when writing fails (a full disk, Ctrl-C) what was
    created is removed, so it cannot block the next attempt. Returns the files written.
    """
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise UsageError(f"{target}: 文件名应以 .yaml 结尾")
    content = SCHEMA_LINE.encode("utf-8") + (table_example() if table else STARTER).read_bytes()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise UsageError(f"无法创建 {target}（{target.parent} 是一个文件，不是目录）") from exc
    except OSError as exc:
        raise FileSystemError(f"无法创建目录 {target.parent}", exc) from exc
    try:
        create_exclusively(target, content)
    except FileExistsError as exc:
        raise UsageError(f"{target} 已存在，为免覆盖未做任何修改；请换一个文件名") from exc
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
