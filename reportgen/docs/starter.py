"""``reportgen init``: a commented starter file for a department's report, never over a file."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import yaml

from reportgen.docs.json_schema import SCHEMA_FILE, SCHEMA_LINE, layout_plan, write_schema
from reportgen.errors import FileSystemError, UsageError
from reportgen.layout.outline import Plan, untitled
from reportgen.layout.search import LayoutSearch
from reportgen.model.samples import PREFACE_EXAMPLE, SAMPLES_DIR, STARTER, starter_section
from reportgen.output.atomic import create_exclusively

# The worked example of a report with its 自评表: data/ of a source checkout, shipped in the
# wheel as samples/table-example.yaml (pyproject.toml).
WORKED_TABLE = "panyu-gov-office-2023-table.yaml"


def table_example() -> Path:
    packaged = SAMPLES_DIR / "table-example.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "table" / WORKED_TABLE


def layout_starter(plan: Plan, name: str) -> str:
    """The starter for a department of layout ``name`` (whose outline is ``plan``): its
    ``sections`` those of that outline, in print order, each under its numbered heading, with
    the starter's example text where it has one, else a line saying what to write."""
    text = STARTER.read_text(encoding="utf-8")
    head = re.split(r"(?m)^sections:", text, maxsplit=1)[0]
    head = re.sub(r"(?m)^layout: .*$", f"layout: {_scalar(name)}", head)
    lines = ["sections:"]
    if plan.preface is not None:
        key, name = plan.preface.key, plan.preface.heading
        example = yaml.safe_dump({key: PREFACE_EXAMPLE}, allow_unicode=True, width=1000).rstrip()
        if plan.preface.required:
            lines += [f"  # {untitled(name)}（必填）", f"  {example}"]
        else:
            lines += [f"  # {untitled(name)}（选填）；要写时去掉下一行行首的 #", f"  # {example}"]
    for i, chapter in enumerate(plan.chapters, 1):
        lines.append(f"  # {plan.label(1, i)}{chapter.heading}")
        parts: list[tuple[str, str, bool, str | None]] = (
            [(chapter.key, chapter.heading, chapter.required, None)] if chapter.body else []
        )
        parts += [(s.key, s.heading, s.required, s.from_facts) for s in chapter.sections]
        for j, (key, heading, required, facts) in enumerate(parts, 1):
            label = "" if chapter.body else plan.label(2, j)
            if facts is not None:
                source = "budget" if facts == "finance" else "score"
                lines.append(f"  # {key} 不写时，程序按 {source} 自动生成“{label}{heading}”。")
                continue
            note = f"# {label}{heading}（{'必填' if required else '选填，不写则不印'}）"
            value = starter_section(key, heading)
            dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1000)
            first, *rest = dumped.rstrip("\n").split("\n")
            lines.append(f"  {first}  {note}")
            lines += [f"  {line}" for line in rest]
    return head + "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True).removesuffix("\n...\n").strip()


def create_starter(
    target: Path,
    table: bool = False,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> list[Path]:
    """Write the starter (``table``: the worked example with its 自评表; ``layout``: its sections
    those of that layout, as ``search`` finds it) to ``target``, and the data format's JSON
    Schema beside it for the editor when none is there (for ``layout``, its outline's);
    refuse when anything already stands at ``target``.

    Each file appears whole or not at all: when writing fails (a full disk, Ctrl-C) what was
    created is removed, so it cannot block the next attempt. Returns the files written.
    """
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise UsageError(f"{target}: 文件名应以 .yaml 结尾")
    if layout is not None and table:
        raise UsageError("--table 与 --layout 不能同时使用：带自评表的完整示例按它自己的版式写成")
    if layout is not None:
        search = search or LayoutSearch.from_options()
        starter = layout_starter(layout_plan(search, layout), layout).encode("utf-8")
    else:
        starter = (table_example() if table else STARTER).read_bytes()
    content = SCHEMA_LINE.encode("utf-8") + starter
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
        write_schema(schema, search, layout)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return [target, schema]
