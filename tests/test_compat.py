"""0.1 data renders the same text: the examples' paragraphs and table cells, recorded before
layouts became folders (``tests/cases/text_0_1``), read back from the .docx."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readback import DATA, REPO, document_text, render_file

RECORDED = Path(__file__).resolve().parent / "cases" / "text_0_1"
SOURCES = [
    *(
        DATA / f"{name}.yaml"
        for name in ("huadu-gov-office-2022", "nansha-party-office-2023", "panyu-gov-office-2023")
    ),
    REPO / "reportgen" / "samples" / "complete.yaml",
]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_0_1_data_renders_the_recorded_text(source: Path, tmp_path: Path) -> None:
    recorded = (RECORDED / f"{source.stem}.txt").read_text(encoding="utf-8")
    assert document_text(render_file(source, tmp_path)) + "\n" == recorded
