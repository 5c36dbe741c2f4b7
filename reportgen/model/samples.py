"""The example data files that ship with reportgen (``reportgen/samples/``): the complete one, the
sparse one with only what is required, one with a 自评表, and the starter file ``reportgen init``
writes — with what the starter puts in a section, the one source of ``init`` and of the rule
that says which of it is still in a file (R013)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from reportgen.read.loader import load_text

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
SAMPLE = SAMPLES_DIR / "complete.yaml"
SPARSE = SAMPLES_DIR / "sparse.yaml"
TABLE_SAMPLE = SAMPLES_DIR / "table.yaml"
STARTER = SAMPLES_DIR / "starter.yaml"
SAMPLE_NAMES = {
    SAMPLE: "完整示例数据",
    SPARSE: "最少示例数据（只有必填项）",
    TABLE_SAMPLE: "自评表示例数据",
}
# What the starter writes in a layout's preface (commented out where it is optional): the words
# published reports open with before their first chapter.
PREFACE_EXAMPLE = "根据《……》要求，现将我单位${year}年度部门整体支出绩效自评情况报告如下："


@cache
def starter_data() -> dict[str, Any]:
    """The starter's data as reportgen reads it (each scalar its text as written)."""
    loaded = load_text(STARTER.read_text(encoding="utf-8"), STARTER.name).data
    if not isinstance(loaded, dict):  # the file ships with reportgen: a broken one is a bug
        raise ValueError(f"{STARTER} is not a mapping")
    return loaded


def starter_section(key: str, heading: str) -> Any:
    """What the starter writes in the section ``key`` printed under ``heading``: its example
    text when it has one, else a line saying what to write there."""
    examples: dict[str, Any] = starter_data()["sections"]
    return examples.get(key, f"“{heading}”的内容。")
