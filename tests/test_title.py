"""The title's lines break between words, never inside one, and keep the usual two lines."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reportgen.check.validate import validate_text
from reportgen.cli.app import app
from reportgen.model.title import TITLE_SUFFIX, TITLE_WIDTH, title_lines, width
from reportgen.output.pdf import soffice
from tests.ci import requires
from tests.conftest import COMPLETE, mutated_text
from tests.readback import DATA, load_example, render_data, render_file, texts

runner = CliRunner()
BRACKETED = "广州市南沙区港航局（南沙区口岸管理办公室）"


def pdftotext(pdf: Path) -> str:
    command = ["pdftotext", "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("department", "lines"),
    [
        # fits beside the year: the usual two lines, as every 0.1 report printed them
        ("广州市番禺区人民政府办公室", ["2023年度广州市番禺区人民政府办公室", TITLE_SUFFIX]),
        # as the published report breaks it: after 委员会, not inside 委员会 or 办公室
        (
            "中国共产党广州市南沙区委员会办公室",
            ["2023年度中国共产党广州市南沙区委员会", "办公室部门整体支出绩效自评报告"],
        ),
        (
            "广州市番禺区人民代表大会常务委员会办公室",
            ["2023年度广州市番禺区人民代表大会", "常务委员会办公室部门整体支出绩效自评报告"],
        ),
        # no break inside 市场 after 南沙区市
        ("广州市南沙区市场监督管理局", ["2023年度广州市南沙区市场监督管理局", TITLE_SUFFIX]),
        # a bracketed second name stays whole, brackets included
        (
            "广州市番禺区市场监督管理局（广州市番禺区知识产权局）",
            ["2023年度广州市番禺区市场监督管理局", "（广州市番禺区知识产权局）", TITLE_SUFFIX],
        ),
        # a third line rather than a break inside the bracket (after 南沙区 would fit in two)
        (
            "广州市南沙区港航局（南沙区口岸管理办公室）",
            ["2023年度广州市南沙区港航局", "（南沙区口岸管理办公室）", TITLE_SUFFIX],
        ),
        # a bracket longer than a line is broken inside once, between words
        (
            "广州市南沙区港航局（广州市南沙区口岸管理和综合协调服务中心）",
            [
                "2023年度广州市南沙区港航局（广州市",
                "南沙区口岸管理和综合协调服务中心）",
                TITLE_SUFFIX,
            ],
        ),
        # only a place to break at: after 番禺区, rather than inside 委员会
        (
            "中国人民政治协商会议广州市番禺区委员会办公室",
            ["2023年度中国人民政治协商会议广州市番禺区", "委员会办公室部门整体支出绩效自评报告"],
        ),
    ],
)
def test_long_names_break_where_a_person_would(department: str, lines: list[str]) -> None:
    assert title_lines(2023, department) == lines


def test_a_name_with_nowhere_to_break_is_cut_where_the_line_is_full() -> None:
    assert title_lines(2023, "甲" * 30) == ["2023年度" + "甲" * 16, "甲" * 14, TITLE_SUFFIX]


def test_digits_count_half() -> None:
    assert width("2023年度") == Decimal(4)


@given(
    st.text(alphabet="广州市区县委员会办公室人民政府局中心街道（）甲乙丙", min_size=1, max_size=60)
)
def test_lines_are_the_title_and_fit(department: str) -> None:
    lines = title_lines(2024, department)
    assert "".join(lines) == f"2024年度{department}{TITLE_SUFFIX}"
    assert all(width(line) <= TITLE_WIDTH for line in lines)
    assert all(lines)


def test_the_data_may_give_the_title_s_lines(tmp_path: Path) -> None:
    data = load_example("panyu-gov-office-2023")
    data["title_lines"] = ["2023年度广州市番禺区人民政府", "办公室部门整体支出绩效自评报告"]
    paras = texts(render_data(data, tmp_path))
    assert paras[:2] == ["2023年度广州市番禺区人民政府", "办公室部门整体支出绩效自评报告"]


def test_title_lines_must_spell_the_title() -> None:
    text = mutated_text(COMPLETE, {"title_lines": ["2024年度示例区财政局", TITLE_SUFFIX]})
    assert [f.as_text() for f in validate_text(text, "case.yaml").findings] == [
        "case.yaml:124:1 错误 S003 title_lines: 标题各行连起来应是"
        "“2024年度广州市示例区财政局部门整体支出绩效自评报告”，"
        "实际为“2024年度示例区财政局部门整体支出绩效自评报告”",
    ]


def test_a_long_name_s_title_reads_back_broken_between_words(tmp_path: Path) -> None:
    paras = texts(render_file(DATA / "nansha-party-office-2023.yaml", tmp_path))
    assert paras[:2] == ["2023年度中国共产党广州市南沙区委员会", "办公室部门整体支出绩效自评报告"]


def test_a_three_line_title_is_printed_on_three_lines_by_the_cli(tmp_path: Path) -> None:
    """The title's first lines are one paragraph with line breaks, as the command renders it
    (a batch's compiled-once template), and the PDF shows three lines."""
    text = (DATA / "panyu-gov-office-2023.yaml").read_text(encoding="utf-8")
    source = tmp_path / "港航局.yaml"
    source.write_text(
        text.replace("department: 广州市番禺区人民政府办公室", f"department: {BRACKETED}"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    pdf = soffice() is not None and shutil.which("pdftotext") is not None
    result = runner.invoke(
        app, ["render", str(source), "-o", str(out), *(["--pdf"] if pdf else [])]
    )
    assert result.exit_code == 0, result.output
    [docx] = out.glob("*.docx")
    assert texts(docx)[:2] == [f"2023年度{BRACKETED}", TITLE_SUFFIX]
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert '港航局</w:t><w:br/><w:t xml:space="preserve">（南沙区' in body
    requires(pdf, "LibreOffice and pdftotext are needed to read the PDF back")
    [printed] = out.glob("*.pdf")
    lines = [line.strip() for line in pdftotext(printed).splitlines() if line.strip()]
    assert lines[:3] == ["2023 年度广州市南沙区港航局", "（南沙区口岸管理办公室）", TITLE_SUFFIX]
