"""The hostile published reports of tests/bad_inputs/make_imports.py through `reportgen import`
and `reportgen audit`: each drafted, or refused with its Chinese reason (a limit named, exit 1;
an unreadable file, exit 2) — never a traceback, exit 70, library text or a draft left behind.
Time and memory are measured in benchmarks/bench_import.py, not asserted here."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.importer import pdf_text
from reportgen.read import loader, text
from tests.bad_inputs import make_imports, make_pdfs
from tests.ci import requires

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "imports.yaml").read_text(encoding="utf-8")
)
# English a library or pdftotext says: never in a message
LIBRARY_TEXT = re.compile(
    r"XMLSyntaxError|BadZipFile|KeyError|ValueError|Incorrect password|Syntax Error|"
    r"Traceback|Error:|line \d+, column|[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("imports")
    for name, make in make_imports.FILES.items():
        (folder / name).write_bytes(make())
    return folder


def _needs_pdftotext(name: str) -> None:
    if name.endswith(".pdf"):
        requires(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")


def test_every_file_has_an_expectation() -> None:
    assert set(EXPECTED) == set(make_imports.FILES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import(name: str, corpus: Path, tmp_path: Path) -> None:
    _needs_pdftotext(name)
    expected = EXPECTED[name]
    draft = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["import", str(corpus / name), "-o", str(draft)])
    assert result.exit_code == expected["exit"], result.output
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert expected["message"] in result.output, result.output
    if expected.get("drafted"):
        assert draft.exists()
        return
    assert not draft.exists()
    line = result.output.strip()
    assert "\n" not in line, line
    assert line.startswith(f"错误：{corpus / name}: "), line
    said = line.removeprefix(f"错误：{corpus / name}: ")
    assert not LIBRARY_TEXT.search(said), said


def test_audit_of_a_batch_reports_every_file(corpus: Path) -> None:
    """One file's refusal never hides the others: the JSON lists every file in order, the
    read ones with their findings and the others with their reasons."""
    names = [n for n in sorted(EXPECTED) if not n.endswith(".pdf") or shutil.which("pdftotext")]
    requires(len(names) == len(EXPECTED) or not names[0], "pdftotext is not installed")
    good = Path(__file__).resolve().parent / "cases" / "import" / "synthetic.txt"
    files = [str(good)] + [str(corpus / n) for n in names]
    result = runner.invoke(app, ["audit", "--format", "json", *files])
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2  # some files cannot be read at all
    listed = json.loads(result.stdout)["files"]
    assert [f["file"] for f in listed] == files
    assert "findings" in listed[0] and "error" not in listed[0]
    for entry, name in zip(listed[1:], names, strict=True):
        if EXPECTED[name].get("drafted"):
            assert "findings" in entry, entry
        else:
            assert entry["ok"] is False
            assert EXPECTED[name]["message"] in entry["error"], entry


def test_audit_of_files_over_a_limit_exits_1(corpus: Path) -> None:
    files = [str(corpus / "numbering_start_huge.docx"), str(corpus / "too_many_lines.txt")]
    result = runner.invoke(app, ["audit", "--format", "json", *files])
    assert result.exit_code == 1, result.output
    listed = json.loads(result.stdout)["files"]
    assert [bool(f["error"]) for f in listed] == [True, True]


@pytest.mark.parametrize(
    ("limit", "value", "made", "message"),
    [
        (
            "PDF_CPU_SECONDS",
            1,
            lambda: make_pdfs.inflating_text(200),
            "提取文字用时超过 1 秒 CPU 时间（上限）",
        ),
        (
            "PDF_TEXT_BYTES",
            2048,
            make_pdfs.too_many_pages,
            "提取出的文字超过 0.00195312 MiB（上限）",
        ),
    ],
)
def test_pdftotext_is_bounded(
    limit: str, value: int, made: Any, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    requires(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    monkeypatch.setattr(pdf_text, limit, value)
    source = tmp_path / "report.pdf"
    source.write_bytes(made())
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output


def test_a_draft_validate_would_refuse_is_not_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft over validate's size limit (here lowered to 64 KiB, as a 300,000-character
    report's draft can pass 2 MiB) is reported with validate's E003, never “0 个错误”."""
    monkeypatch.setattr(text, "MAX_FILE_BYTES", 64 * 1024)
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 64 * 1024)
    source = tmp_path / "report.txt"
    source.write_text(make_imports.text_report(headings=20, filler=60), encoding="utf-8")
    draft = tmp_path / "d.yaml"
    result = runner.invoke(app, ["import", str(source), "-o", str(draft)])
    assert draft.stat().st_size > 64 * 1024
    assert "草稿校验：1 个错误" in result.output, result.output
    checked = runner.invoke(app, ["validate", str(draft)])
    assert checked.exit_code == 1 and "E003" in checked.output
