"""A LibreOffice that hangs is stopped at the timeout with everything it started, and leaves
nothing behind: no process of its group, no working directory, no partial PDF."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reportgen.batch.run import render_files
from reportgen.errors import RenderError
from reportgen.output import pdf
from reportgen.output.pdf import convert_to_pdf, group_is_alive
from tests.readback import DATA

# Writes half a PDF where LibreOffice would, starts a helper that ignores SIGTERM (so only
# SIGKILL stops it), records its process group and output directory, and hangs.
FAKE_SOFFICE = """#!/bin/sh
outdir=""
while [ $# -gt 0 ]; do
    if [ "$1" = "--outdir" ]; then outdir="$2"; fi
    shift
done
mkdir -p "$outdir"
printf '%%PDF-1.7 half a file' > "$outdir/report.pdf"
sh -c 'trap "" TERM; exec sleep 300' &
echo "$$ $outdir" > "$FAKE_SOFFICE_RECORD"
sleep 300
"""


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """FAKE_SOFFICE first on PATH; the file it records its process group and folder in."""
    programs = tmp_path / "bin"
    programs.mkdir()
    fake = programs / "soffice"
    fake.write_text(FAKE_SOFFICE, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    record = tmp_path / "record"
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_RECORD", str(record))
    return record


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_hung_libreoffice_is_killed_with_its_children(tmp_path: Path, record: Path) -> None:
    docx = tmp_path / "report.docx"
    docx.write_bytes(b"not read by the fake")
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.pdf").write_bytes(b"%PDF an earlier report")

    with pytest.raises(RenderError) as failure:
        convert_to_pdf(docx, out, timeout=1)

    assert str(failure.value) == "LibreOffice 转换 PDF 超过 1 秒未完成，已停止 LibreOffice"
    group, workdir = record.read_text(encoding="utf-8").split()
    assert not group_is_alive(int(group))  # the shell, its sleep and the TERM-proof helper
    assert not Path(workdir).exists()  # the working directory and the half PDF in it
    assert not Path(workdir).parent.exists()
    assert [p.name for p in out.iterdir()] == ["earlier.pdf"]
    assert (out / "earlier.pdf").read_bytes() == b"%PDF an earlier report"


def test_group_is_alive_sees_only_running_processes() -> None:
    assert group_is_alive(os.getpgrp())
    assert not group_is_alive(2**22 + 1)  # above Linux's largest pid


@pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")
def test_a_hung_batch_call_is_killed_at_a_timeout_scaled_by_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: Path
) -> None:
    monkeypatch.setattr(pdf, "BATCH_TIMEOUT", 0.5)
    monkeypatch.setattr(pdf, "BATCH_TIMEOUT_PER_FILE", 0.25)
    out = tmp_path / "out"
    sources = [DATA / "panyu-gov-office-2023.yaml", DATA / "huadu-gov-office-2022.yaml"]

    results = list(render_files(sources, out, pdf=True, jobs=1))

    message = "LibreOffice 转换 PDF 超过 1 秒未完成，已停止 LibreOffice"  # 0.5 + 2 × 0.25
    assert [(r.error, r.exit_code) for r in results] == [(message, 1), (message, 1)]
    group, workdir = record.read_text(encoding="utf-8").split()
    assert not group_is_alive(int(group))
    assert not Path(workdir).parent.exists()
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".docx"]  # whole; no PDF
