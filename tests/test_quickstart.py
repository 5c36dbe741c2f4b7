"""docs/quickstart.md is true: its steps are run in order and every output it shows is checked.

The guide's code blocks are its script. A ``console`` block holds commands (``$ reportgen …``),
each followed by the lines it prints. A block after ``<!-- quickstart:ACTION … -->`` is an
action: ``file NAME`` writes the block as NAME, ``line NAME N`` makes it line N of NAME,
``docx`` lists paragraphs the report rendered so far must contain, ``exit N`` sets the exit
code of the console block that follows (0 otherwise).
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import errors
from reportgen.cli import doctor
from reportgen.cli.app import app
from reportgen.output.pdf import soffice
from tests.conftest import ROOT
from tests.readback import texts

GUIDE = ROOT / "docs" / "quickstart.md"
README = ROOT / "README.md"
runner = CliRunner()

_BLOCK = re.compile(
    r"(?:<!-- quickstart:(?P<action>[^>]*?) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.DOTALL
)


@dataclass(frozen=True)
class Block:
    action: list[str]
    lang: str
    body: str


def blocks(text: str) -> Iterator[Block]:
    for match in _BLOCK.finditer(text):
        action = (match.group("action") or "").split()
        yield Block(action, match.group("lang"), match.group("body"))


def commands(body: str) -> Iterator[tuple[str, list[str]]]:
    """Each ``$ command`` of a console block with the lines shown after it."""
    current: tuple[str, list[str]] | None = None
    for line in body.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            if current is not None:
                yield current
            current = (line[2:], [])
        else:
            assert current is not None, f"output before any command: {line}"
            current[1].append(line)
    if current is not None:
        yield current


def on_a_windows_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine the guide's `reportgen doctor` shows: its probes answer as Windows would."""
    program = r"C:\Program Files\LibreOffice\program\soffice.exe"
    monkeypatch.setattr(doctor, "soffice", lambda: program)
    monkeypatch.setattr(doctor, "_output", lambda command: "LibreOffice 24.8.4.2\n")
    monkeypatch.setattr(doctor, "installed_font_families", lambda: None)  # no fontconfig
    monkeypatch.setattr(doctor.platform, "python_version", lambda: "3.12.8")
    monkeypatch.setattr(
        sys, "executable", r"C:\Users\zhangsan\pipx\venvs\reportgen\Scripts\python.exe"
    )


def run(command: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    program, *arguments = shlex.split(command)
    assert program == "reportgen"
    with monkeypatch.context() as patch:
        if arguments == ["doctor"]:
            on_a_windows_machine(patch)
        result = runner.invoke(app, arguments)
    return result.exit_code, result.output.rstrip("\n").split("\n")


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_every_step_of_the_guide_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    exit_code = 0
    ran: list[str] = []
    guide = GUIDE.read_text(encoding="utf-8")
    for block in blocks(guide):
        match block.action:
            case ["exit", code]:
                exit_code = int(code)
                assert block.lang == "console"
            case ["file", name]:
                # the guide fills in the file `reportgen init` wrote: its comments stay as they were
                written = (tmp_path / name).read_text(encoding="utf-8")
                header = written[: written.index("\nyear:")]
                assert block.body.startswith(header)
                (tmp_path / name).write_text(block.body, encoding="utf-8")
                continue
            case ["line", name, number]:
                assert f"把第 {number} 行改为" in guide  # the prose names the line changed
                lines = (tmp_path / name).read_text(encoding="utf-8").split("\n")
                [new] = block.body.rstrip("\n").split("\n")
                assert lines[int(number) - 1].split(":")[0] == new.split(":")[0]
                lines[int(number) - 1] = new
                (tmp_path / name).write_text("\n".join(lines), encoding="utf-8")
                continue
            case ["docx"]:
                [report] = tmp_path.rglob("*.docx")
                found = texts(report)
                for paragraph in block.body.rstrip("\n").split("\n"):
                    assert paragraph in found
                continue
            case []:
                assert block.lang == "console", f"a {block.lang} block the test does not check"
            case _:
                pytest.fail(f"unknown action {block.action}")
        for command, shown in commands(block.body):
            code, printed = run(command, monkeypatch)
            assert printed == shown, f"{command}: docs/quickstart.md shows other output"
            assert code == exit_code, command
            ran.append(command)
        exit_code = 0
    assert ran == [
        "reportgen doctor",
        "reportgen init 我的部门.yaml",
        "reportgen validate 我的部门.yaml",
        "reportgen validate 我的部门.yaml",
        "reportgen render 我的部门.yaml -o 输出 --pdf",
    ]
    assert sorted(p.suffix for p in (tmp_path / "输出").iterdir()) == [".docx", ".pdf"]


def test_the_exit_codes_are_the_program_s() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\d+)` \|", text, re.MULTILINE)
    codes = [value for name, value in vars(errors).items() if name.startswith("EXIT_")]
    assert sorted(map(int, listed)) == sorted(codes)


def test_the_readme_links_the_guide_in_its_chinese_part() -> None:
    readme = README.read_text(encoding="utf-8")
    chinese = readme[: readme.index("## English")]
    assert "(docs/quickstart.md)" in chinese
