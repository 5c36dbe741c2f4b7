"""A report is replaced whole or not at all: faults injected into the .docx and the .pdf writes."""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportgen.check.validate import validate_file
from reportgen.docs.starter import create_starter
from reportgen.errors import UsageError
from reportgen.importer.draft import write_new
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import output_name
from reportgen.output.pdf import convert_to_pdf
from reportgen.output.render import render_to_file
from tests.readback import DATA, texts

NANSHA = DATA / "nansha-party-office-2023.yaml"
EARLIER = b"an earlier report, to be left byte-for-byte as it is\n" * 64
FAKE_PDF = b"%PDF-1.7\n% written by the fake soffice of tests/test_atomic.py\n"

# os.replace: the last step; os.fsync: halfway, the temporary file holds the content already.
STEPS = ["replace", "fsync"]
FAULTS: dict[str, Callable[[], BaseException]] = {
    "disk-full": lambda: OSError(errno.ENOSPC, "No space left on device"),
    "interrupt": KeyboardInterrupt,
}


def inject(monkeypatch: pytest.MonkeyPatch, step: str, fault: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise FAULTS[fault]()

    monkeypatch.setattr(os, step, fail)


def expected_failure(fault: str) -> type[BaseException]:
    """An OSError reaches the caller as the Chinese UsageError; an interrupt stays one."""
    return UsageError if fault == "disk-full" else KeyboardInterrupt


def assert_left_alone(out_dir: Path, target: Path, earlier: bytes = EARLIER) -> None:
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in out_dir.iterdir()) == [target.name], "a temporary file is left"


@pytest.fixture
def docx_target(tmp_path: Path) -> Path:
    """The path render_to_file writes NANSHA to, holding an earlier report of the same
    department (another department's file is never replaced at all)."""
    validation = validate_file(NANSHA)
    assert validation.report is not None
    out_dir = tmp_path / "out"
    target = render_to_file(validation, out_dir)
    assert target == out_dir / output_name(validation.report.year, validation.report.department)
    return target


def test_docx_replaces_the_earlier_report(docx_target: Path) -> None:
    """The control: without a fault the same path gets the new report."""
    os.utime(docx_target, (0, 0))
    assert render_to_file(validate_file(NANSHA), docx_target.parent) == docx_target
    assert docx_target.stat().st_mtime > 0
    assert "部门整体支出绩效自评报告" in "".join(texts(docx_target))
    assert [p.name for p in docx_target.parent.iterdir()] == [docx_target.name]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("step", STEPS)
def test_docx_fault_keeps_the_earlier_report(
    docx_target: Path, monkeypatch: pytest.MonkeyPatch, step: str, fault: str
) -> None:
    validation = validate_file(NANSHA)
    earlier = docx_target.read_bytes()
    inject(monkeypatch, step, fault)
    with pytest.raises(expected_failure(fault)) as failure:
        render_to_file(validation, docx_target.parent)
    monkeypatch.undo()
    if fault == "disk-full":
        assert str(failure.value) == f"无法写入 {docx_target}（磁盘已满）"
    assert_left_alone(docx_target.parent, docx_target, earlier)


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ``soffice`` first on PATH that writes FAKE_PDF where LibreOffice would."""
    if os.name != "posix":
        pytest.skip("the fake soffice is a script with a #! line")  # a platform, not a tool
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        "args = sys.argv[1:]\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n"
        f"(out / (pathlib.Path(args[-1]).stem + '.pdf')).write_bytes({FAKE_PDF!r})\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture
def pdf_source(tmp_path: Path) -> Path:
    source = tmp_path / "in" / "报告.docx"
    source.parent.mkdir()
    source.write_bytes(b"the fake soffice does not read this")
    return source


@pytest.mark.usefixtures("fake_soffice")
def test_pdf_replaces_the_earlier_pdf(tmp_path: Path, pdf_source: Path) -> None:
    """The control: the fake soffice's PDF reaches the target, with the mode the umask gives."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "报告.pdf").write_bytes(EARLIER)
    target = convert_to_pdf(pdf_source, out_dir)
    assert target == out_dir / "报告.pdf"
    assert target.read_bytes() == FAKE_PDF
    assert [p.name for p in out_dir.iterdir()] == [target.name]
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.usefixtures("fake_soffice")
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("step", STEPS)
def test_pdf_fault_keeps_the_earlier_pdf(
    tmp_path: Path, pdf_source: Path, monkeypatch: pytest.MonkeyPatch, step: str, fault: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "报告.pdf"
    target.write_bytes(EARLIER)
    inject(monkeypatch, step, fault)
    with pytest.raises(expected_failure(fault)) as failure:
        convert_to_pdf(pdf_source, out_dir)
    monkeypatch.undo()
    if fault == "disk-full":
        assert str(failure.value) == f"无法写入 PDF {target}（磁盘已满）"
    assert_left_alone(out_dir, target)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are held on POSIX")
@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_right_after_the_temporary_file_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signal comes the moment the file exists, before the clean-up could know its name:
    held until it does, the interrupt still removes the file."""
    made = tempfile.mkstemp

    def then_ctrl_c(*args: Any, **kwargs: Any) -> tuple[int, str]:
        created = made(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)  # the handler runs where Python next can
        return created

    monkeypatch.setattr(tempfile, "mkstemp", then_ctrl_c)
    target = tmp_path / "report.docx"
    target.write_bytes(EARLIER)
    with pytest.raises(KeyboardInterrupt):
        replace_atomically(target, lambda stream: stream.write(b"new"))
    assert_left_alone(tmp_path, target)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are held on POSIX")
@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_right_after_a_draft_s_temporary_file_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tempfile.mkstemp

    def then_ctrl_c(*args: Any, **kwargs: Any) -> tuple[int, str]:
        created = made(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)
        return created

    monkeypatch.setattr(tempfile, "mkstemp", then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_new(tmp_path / "draft.yaml", "year: 2024\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are held on POSIX")
@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_right_after_init_creates_its_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "我的部门.yaml"
    opened = os.open

    def then_ctrl_c(path: Any, *args: Any, **kwargs: Any) -> int:
        descriptor = opened(path, *args, **kwargs)
        if Path(path) == target:
            signal.raise_signal(signal.SIGINT)
        return descriptor

    monkeypatch.setattr(os, "open", then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        create_starter(target)
    assert list(tmp_path.iterdir()) == []  # no empty file that the next init would refuse
