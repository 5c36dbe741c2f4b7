"""Under CI=true a test that cannot run fails; locally it skips (tests/ci.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readback import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(ci: bool, *args: str, **env: str) -> tuple[int, str]:
    """Run pytest on ``args`` in a child process: (exit code, summary line + whole output)."""
    child_env = {k: v for k, v in os.environ.items() if k != "CI"} | env
    if ci:
        child_env["CI"] = "true"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    return result.returncode, lines[-1] + "\n" + result.stdout


def counts(summary: str) -> dict[str, int]:
    """``3 failed, 2 errors in 0.5s`` → {"failed": 3, "error": 2}."""
    last = summary.splitlines()[0]
    return {word.removesuffix("s"): int(n) for n, word in re.findall(r"(\d+) (\w+)", last)}


FIDELITY = "tests/test_fidelity.py"


@pytest.fixture
def missing_seeds(tmp_path: Path) -> dict[str, str]:
    return {"REPORTGEN_SEEDS": str(tmp_path / "no-such-folder")}


def test_missing_seeds_fail_under_ci(missing_seeds: dict[str, str]) -> None:
    code, summary = run_pytest(True, FIDELITY, **missing_seeds)
    assert code == 1, summary
    found = counts(summary)
    assert found.get("failed", 0) >= 10 and "skipped" not in found and "passed" not in found
    assert "CI=true forbids skipping: the published reports are not here" in summary


def test_missing_seeds_skip_locally(missing_seeds: dict[str, str]) -> None:
    code, summary = run_pytest(False, FIDELITY, **missing_seeds)
    assert code == 0, summary
    found = counts(summary)
    assert found.get("skipped", 0) >= 10 and "failed" not in found and "passed" not in found


@pytest.mark.parametrize(
    ("ci", "expected_code", "outcome"), [(True, 1, "error"), (False, 0, "skipped")]
)
def test_missing_libreoffice_marker(
    tmp_path: Path, ci: bool, expected_code: int, outcome: str
) -> None:
    """The ``requires`` marker: no soffice and no pdftotext on an empty PATH."""
    empty = tmp_path / "bin"
    empty.mkdir()
    code, summary = run_pytest(ci, "tests/test_pdf.py", "-k", "pages_and_text", PATH=str(empty))
    assert code == expected_code, summary
    found = counts(summary)
    found.pop("deselected", None)
    assert found == {outcome: len(EXAMPLES)}
    if ci:
        assert "CI=true forbids skipping: LibreOffice (soffice) not installed" in summary
