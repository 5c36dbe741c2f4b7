"""The bad-input corpus: every case of tests/bad_inputs/cases.yaml through `reportgen render`.

A refused input must exit as expected with one Chinese line naming ``file:line:col``, its code
and its reason, print no traceback, write nothing, and leave an earlier report byte-for-byte
as it was. An accepted-but-tricky input must write one .docx with a safe name inside the
output directory, whose text holds the tricky strings exactly.
"""

from __future__ import annotations

import re
import threading
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from typer.testing import CliRunner, Result

from reportgen.cli.app import app
from tests.bad_inputs import make_generated
from tests.ci import requires

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))[
    "cases"
]
SAMPLE_NAME = "2024年度广州市示例区财政局部门整体支出绩效自评报告.docx"
EARLIER = b"PK\x03\x04 an earlier report, to be left byte-for-byte as it is\n" * 64
CJK = re.compile("[\u3400-\u9fff]")
WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
TIME_LIMIT = 120  # seconds; loose: the cases must return, speed is not what is tested here

runner = CliRunner()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_generated.generate(tmp_path_factory.mktemp("generated"))


def _source(case: dict[str, Any], generated: dict[str, Path]) -> Path:
    if case.get("generated"):
        requires(case["file"] in generated, f"{case['file']} cannot be made on this system")
        return generated[case["file"]]
    return CORPUS / case["file"]


def _invoke(args: list[str], measure: bool) -> tuple[Result, float]:
    """Run the CLI in a thread that must finish within TIME_LIMIT; the peak traced MB."""
    box: dict[str, Any] = {}

    def run() -> None:
        box["result"] = runner.invoke(app, args)

    if measure:
        tracemalloc.start()
    try:
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(TIME_LIMIT)
        peak = tracemalloc.get_traced_memory()[1] / 1e6 if measure else 0.0
    finally:
        if measure:
            tracemalloc.stop()
    if worker.is_alive():
        pytest.fail(f"reportgen {' '.join(args)} did not return within {TIME_LIMIT} s")
    return box["result"], peak


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}


def docx_text(path: Path) -> str:
    """Body paragraphs, then every table cell's paragraphs, one per line."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def _check_safe_name(name: str) -> None:
    assert name.endswith(".docx"), name
    assert not name.startswith("."), name
    assert ".." not in name, name
    assert not WINDOWS_FORBIDDEN & set(name), name
    assert not [c for c in name if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"}], name
    assert len(name.encode("utf-8")) <= 255, name


def test_corpus_is_complete_and_small() -> None:
    """At least 45 inputs; every committed input is in the manifest; none is big or binary."""
    committed = {p.name for p in CORPUS.glob("*.yaml")} - {"cases.yaml", "imports.yaml"}
    listed = [c["file"] for c in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert len(listed) >= 45
    assert committed <= set(listed), committed - set(listed)
    for name in committed:
        raw = (CORPUS / name).read_bytes()
        assert len(raw) < 64 * 1024, f"{name}: large inputs belong in make_generated.py"
        text = raw.decode("utf-8")  # committed inputs are UTF-8 text, no BOM, no raw controls
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]", text), name
    for case in CASES:
        assert ("generated" in case) or (CORPUS / case["file"]).is_file(), case["file"]
        assert case["exit"] in {0, 1, 2}
        if case["exit"]:
            assert CJK.search(case["message"]), case["file"]
        else:
            assert case.get("contains") or case.get("contains_from_generator"), case["file"]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input(case: dict[str, Any], generated: dict[str, Path], tmp_path: Path) -> None:
    source = _source(case, generated)
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.docx").write_bytes(EARLIER)
    if case["exit"]:  # an earlier report of the same name must survive a refused input too
        (out / SAMPLE_NAME).write_bytes(EARLIER + b"same name")
    before = _snapshot(out)
    inputs_before = sorted(p.name for p in CORPUS.iterdir())

    result, peak = _invoke(["render", str(source), "-o", str(out)], "max_memory_mb" in case)

    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == case["exit"], output
    if "max_memory_mb" in case:
        assert peak < case["max_memory_mb"], f"{peak:.1f} MB"
    assert sorted(p.name for p in CORPUS.iterdir()) == inputs_before  # nothing written there
    after = _snapshot(out)
    assert not [p for p in out.iterdir() if not p.is_file()]  # no directory created in out
    for name, content in before.items():  # earlier reports untouched
        assert after.get(name) == content, name

    if case["exit"]:
        _check_refused(case, source, output)
        assert after == before, sorted(set(after) - set(before))  # no output, no temp file
    else:
        _check_accepted(case, out, output, set(after) - set(before))


def _check_refused(case: dict[str, Any], source: Path, output: str) -> None:
    if case.get("line") is None:  # unreadable: the message names the file, not a line
        rows = [r for r in output.splitlines() if str(source) in r and case["message"] in r]
    else:
        where = f"{source}:{case['line']}:"
        if case.get("column") is not None:
            where += f"{case['column']} "
        rows = [
            r
            for r in output.splitlines()
            if r.startswith(where) and f"错误 {case['code']} " in r and case["message"] in r
        ]
    assert rows, (
        f"expected {case.get('code')} at {case.get('line')}:{case.get('column')}:\n{output}"
    )
    assert CJK.search(rows[0].split(" 错误 ", 1)[-1]), rows[0]


def _check_accepted(case: dict[str, Any], out: Path, output: str, new: set[str]) -> None:
    assert "错误" not in output, output
    assert len(new) == 1, sorted(new)  # one report, no temp file left beside it
    [name] = new
    written = out / name
    assert written.resolve().parent == out.resolve()
    assert f"已生成：{written}" in output, output
    _check_safe_name(name)
    if case.get("output"):
        assert name == case["output"]
    expected = (
        make_generated.EXPECTED_TEXT[case["file"]]
        if case.get("contains_from_generator")
        else case["contains"]
    )
    text = docx_text(written)
    for literal in expected:
        shown = literal if len(literal) < 80 else f"{literal[:80]}…"
        # a long department name's title breaks across lines
        assert literal in text or literal in text.replace("\n", ""), f"{shown!r} is not in it"
