"""Report file names never collide, and a report never replaces another department's file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.output.naming import MAX_NAME_BYTES, output_name, report_identity, stored_identity
from reportgen.output.pdf import soffice
from tests.conftest import COMPLETE

runner = CliRunner()
DEPARTMENT = "广州市示例区财政局"
SAMPLE_NAME = "2024年度广州市示例区财政局部门整体支出绩效自评报告.docx"
EARLIER = b"PK\x03\x04 a file someone else put here\n" * 64


def _source(tmp_path: Path, department: str, name: str = "report.yaml") -> Path:
    source = tmp_path / "in" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    text = COMPLETE.read_text(encoding="utf-8")
    assert f"department: {DEPARTMENT}\n" in text
    source.write_text(
        text.replace(f"department: {DEPARTMENT}\n", f"department: '{department}'\n"),
        encoding="utf-8",
    )
    return source


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


def test_a_name_kept_as_written_has_no_hash() -> None:
    assert output_name(2024, DEPARTMENT) == SAMPLE_NAME


@pytest.mark.parametrize(
    "departments",
    [
        ["某" * 60 + "甲", "某" * 60 + "乙"],  # the same first 60 characters
        ["示例/局", "示例\\局", "示例:局", "示例_局", "示例\u202e局"],  # one unsafe character
        ["..示例局", "示例局..", "示例局"],  # dots the name may not start or end with
        ["𠀀" * 60, "𠀀" * 59 + "𠀁"],  # four-byte characters, cut by the byte limit
    ],
    ids=["shared-60", "unsafe-character", "dots", "astral"],
)
def test_departments_that_map_to_the_same_characters_get_different_names(
    departments: list[str],
) -> None:
    names = [output_name(2024, d) for d in departments]
    assert len(set(names)) == len(names), names
    for department, name in zip(departments, names, strict=True):
        assert len(name.encode()) <= MAX_NAME_BYTES
        if name != f"2024年度{department}部门整体支出绩效自评报告.docx":
            assert re.search(r"自评报告_[0-9a-f]{8}\.docx$", name), name


def test_the_hash_covers_the_year() -> None:
    assert output_name(2023, "示例/局")[9:] != output_name(2024, "示例/局")[9:]


@given(
    first=st.text(min_size=1, max_size=100),
    second=st.text(min_size=1, max_size=100),
    year=st.integers(min_value=2000, max_value=2100),
)
def test_different_departments_never_share_a_name(first: str, second: str, year: int) -> None:
    if first != second:
        assert output_name(year, first) != output_name(year, second)
    name = output_name(year, first)
    assert name == output_name(year, first)  # deterministic, across runs too
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_a_report_records_its_year_and_department(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert stored_identity(tmp_path / SAMPLE_NAME) == report_identity(2024, DEPARTMENT)


def test_rendering_again_replaces_the_same_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)]).exit_code == 0
    (out / SAMPLE_NAME).write_bytes((out / SAMPLE_NAME).read_bytes())  # an older copy
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成：{out / SAMPLE_NAME}\n"
    assert sorted(_files(out)) == [SAMPLE_NAME]


def test_another_departments_report_under_the_name_is_not_replaced(tmp_path: Path) -> None:
    """As after a hash collision, or a name an older version gave two departments."""
    out = tmp_path / "out"
    other = _source(tmp_path, "广州市示例区审计局", "other.yaml")
    assert runner.invoke(app, ["render", str(other), "-o", str(out)]).exit_code == 0
    [written] = out.iterdir()
    written.rename(out / SAMPLE_NAME)
    before = _files(out)

    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)])

    assert result.exit_code == 2
    assert result.output == (
        f"错误：{COMPLETE}: {out / SAMPLE_NAME} 是另一份报告"
        "《2024年度广州市示例区审计局部门整体支出绩效自评报告》，为免覆盖未生成；"
        "请确认后删除或移走该文件，或换一个输出目录\n"
    )
    assert _files(out) == before


def test_a_file_reportgen_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / SAMPLE_NAME).write_bytes(EARLIER)

    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)])

    assert result.exit_code == 2
    assert result.output == (
        f"错误：{COMPLETE}: {out / SAMPLE_NAME} 已存在，但无法确认它是此前生成的"
        "《2024年度广州市示例区财政局部门整体支出绩效自评报告》"
        "（它不是 reportgen 生成的，或已被其他软件另存），为免覆盖未生成；"
        "请确认后删除或移走该文件，或换一个输出目录\n"
    )
    assert _files(out) == {SAMPLE_NAME: EARLIER}


def test_a_directory_under_the_name_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / SAMPLE_NAME).mkdir(parents=True)
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output == f"错误：{COMPLETE}: 无法写入 {out / SAMPLE_NAME}（是一个目录）\n"
    assert [p.name for p in out.iterdir()] == [SAMPLE_NAME]
    assert list((out / SAMPLE_NAME).iterdir()) == []


def test_two_departments_sharing_60_characters_keep_both_reports_across_runs(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    first = _source(tmp_path, "某" * 60 + "甲", "first.yaml")
    second = _source(tmp_path, "某" * 60 + "乙", "second.yaml")
    for source in (first, second):  # separate runs: batch.py's own check does not apply
        result = runner.invoke(app, ["render", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
    identities = {stored_identity(p) for p in out.iterdir()}
    assert identities == {
        report_identity(2024, "某" * 60 + "甲"),
        report_identity(2024, "某" * 60 + "乙"),
    }


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_the_pdf_of_60_four_byte_characters_fits_the_file_system(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = _source(tmp_path, "𠀀" * 60)
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    docx_name = output_name(2024, "𠀀" * 60)
    pdf_name = docx_name.removesuffix(".docx") + ".pdf"
    assert sorted(_files(out)) == sorted([docx_name, pdf_name])
    assert (out / pdf_name).read_bytes().startswith(b"%PDF-")
