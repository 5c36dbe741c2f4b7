"""Published reports saved as UTF-16 or UTF-32, with or without a byte-order mark, import and audit
as their UTF-8 text does; a binary file keeps its refusal (issue 18)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.read.wide import wide_codec, wide_encoding
from tests.test_fidelity import seeds

runner = CliRunner()
CODECS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"]


def seed_text(seed: str) -> str:
    [source] = seeds().glob(f"{seed}_*.txt")
    return source.read_text(encoding="utf-8")


def _draft(source: Path, target: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["import", str(source), "-o", str(target)])
    return result.exit_code, target.read_text(encoding="utf-8").split("\n", 2)[2]


@pytest.mark.parametrize("seed", ["000", "001", "002"])
@pytest.mark.parametrize("codec", CODECS)
def test_a_wide_text_imports_as_its_utf8_text(seed: str, codec: str, tmp_path: Path) -> None:
    """The seeds are Chinese almost throughout: few of their bytes are NUL."""
    text = seed_text(seed)
    plain, wide = tmp_path / "plain.txt", tmp_path / "wide.txt"
    plain.write_text(text, encoding="utf-8")
    wide.write_bytes(text.encode(codec))
    assert wide_codec(wide.read_bytes()) == codec
    assert _draft(wide, tmp_path / "wide.yaml") == _draft(plain, tmp_path / "plain.yaml")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_audit_reads_a_wide_text_without_a_mark(codec: str, tmp_path: Path) -> None:
    text = seed_text("001")
    plain, wide = tmp_path / "plain.txt", tmp_path / "wide.txt"
    plain.write_text(text, encoding="utf-8")
    wide.write_bytes(text.encode(codec))
    said = runner.invoke(app, ["audit", str(wide)])
    expected = runner.invoke(app, ["audit", str(plain)])
    assert said.exit_code == expected.exit_code == 0
    assert said.output.replace(str(wide), "F") == expected.output.replace(str(plain), "F")
    assert "通过（0 个错误，0 个警告；原文中找到 9 个数，核对了 9 个）" in said.output


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        # no ASCII at all but the line ends; a character outside the BMP; “一”“开”“最” are
        # U+4E00, U+5F00, U+6700: their low byte is NUL too
        ("一、部门基本情况\n负责开展最基础的𠀀工作。\n", "utf-16-le"),
        ("一、部门基本情况\n负责开展最基础的𠀀工作。\n", "utf-16-be"),
        ("一、部门基本情况\n负责开展最基础的𠀀工作。\n", "utf-32-le"),
        ("一、部门基本情况\n负责开展最基础的𠀀工作。\n", "utf-32-be"),
        # ASCII reads as ideographs the wrong way round: the NUL bytes decide
        ("year: 2024\ndepartment: test\n", "utf-16-le"),
        ("year: 2024\ndepartment: test\n", "utf-16-be"),
    ],
)
def test_the_codec_of_wide_text(text: str, codec: str) -> None:
    assert wide_codec(text.encode(codec)) == codec


def _docx() -> bytes:
    path = Path(__file__).resolve().parent / "readback.py"  # any file: a zip of it
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(path, "word/document.xml")
    return buffer.getvalue()


BINARIES = {
    "random": random.Random(17).randbytes(4096),
    "zeros": bytes(4096),
    "short": b"\x00\x01binary",  # as UTF-16-LE it would read “Āibnayr”
    "zip": _docx(),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02"
    + bytes(range(256)) * 8,
    "utf8 with a NUL": "一、部门基本情况\n负责测试工作。\x00\n".encode() * 50,
}


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_a_binary_file_is_not_text(name: str, tmp_path: Path) -> None:
    raw = BINARIES[name]
    assert wide_codec(raw) is None
    source = tmp_path / "report.txt"
    source.write_bytes(raw)
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2
    assert result.output == (
        f"错误：{source}: 不是文本文件（含有 NUL 字节，可能是二进制文件），请另存为 UTF-8 文本\n"
    )
    assert not (tmp_path / "d.yaml").exists()


def test_a_bomless_utf16_yaml_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_bytes("year: 2024\ndepartment: 测试局\n".encode("utf-16-le"))
    assert wide_encoding(data.read_bytes()) == "UTF-16"
    [finding] = validate_file(data).findings
    assert (finding.code, finding.message) == (
        "E002",
        "文件不是 UTF-8 编码，看起来是 UTF-16 编码（Windows 记事本“另存为”中的“Unicode”）；"
        "请用“另存为 → 编码 UTF-8”保存后再试",
    )
