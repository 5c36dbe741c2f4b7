"""The example data files that ship with reportgen (``reportgen/samples/``): the complete one, the
sparse one with only what is required, one with a 自评表, and the starter file ``reportgen init``
writes."""

from __future__ import annotations

from pathlib import Path

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
