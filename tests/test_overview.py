"""The overview workbook and .csv: figures, formats, totals and findings, read back."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.readback import DATA, EXAMPLES

runner = CliRunner()
HEADERS = [
    "文件", "年度", "部门", "版式", "年初预算", "调整预算", "支出合计", "基本支出", "项目支出",
    "预算执行率", "结转结余率", "自评得分", "等级", "未达标指标数", "错误数", "警告数", "状态",
]  # fmt: skip
EXPECTED = [
    # the fourth example publishes neither the basic/project split nor an initial budget:
    # those cells stay empty, nothing is guessed
    [2023, "广州市从化区档案馆", "default", None, 1268.4, 1215.37, None, None,
     0.9582, 0.0453, 93.6, "优", 0, 0, 0, "通过"],
    [2022, "广州市花都区人民政府办公室", "huadu", 3392.15, None, 3101.73, 2873.52, 228.21,
     0.9144, None, 91.44, "优", 0, 0, 0, "通过"],
    [2023, "中国共产党广州市南沙区委员会办公室", "default", None, None, 1829.4, 962.44, 866.96,
     0.9963, 0.0025, 99.69, "优", 0, 0, 0, "通过"],
    [2023, "广州市番禺区人民政府办公室", "panyu", 4281.75, None, 4191.3, 3118.86, 1072.44,
     0.9789, None, 98.79, "优", 0, 0, 0, "通过"],
]  # fmt: skip
TOTALS = ["合计", None, None, None, 7673.9, 1268.4, 10337.8, 6954.82, 2167.61,
          None, None, None, None, 0, 0, 0, None]  # fmt: skip


def _broken(tmp_path: Path) -> Path:
    """Panyu with a total that is not the sum of its parts (R101)."""
    text = (DATA / "panyu-gov-office-2023.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("    total: 4191.3 ", "    total: 4191.40 "), encoding="utf-8")
    return broken


def _overview(tmp_path: Path, *args: str, count: int | None = None) -> Path:
    target = tmp_path / "汇总.xlsx"
    result = runner.invoke(app, ["overview", *args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成：{target}（{count or len(args)} 个文件）\n"
    return target


def _values(row: tuple[object, ...]) -> list[object]:
    return [float(v) if isinstance(v, Decimal) else v for v in row]


def test_the_examples_figures_read_back(tmp_path: Path) -> None:
    workbook = load_workbook(_overview(tmp_path, str(DATA), count=4))
    sheet = workbook["汇总"]
    rows = [_values(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:5]] == [str(p) for p in EXAMPLES]
    assert [r[1:] for r in rows[1:5]] == EXPECTED
    assert rows[5] == TOTALS
    assert len(rows) == 6


def test_number_formats_frozen_header_and_filter(tmp_path: Path) -> None:
    sheet = load_workbook(_overview(tmp_path, *map(str, EXAMPLES)))["汇总"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q5"  # the departments, not the totals row
    formats = {sheet.cell(1, c).value: sheet.cell(2, c).number_format for c in range(1, 18)}
    assert formats["支出合计"] == formats["年初预算"] == "#,##0.00"
    assert formats["预算执行率"] == formats["结转结余率"] == "0.00%"
    assert formats["自评得分"] == "0.00"
    assert sheet.cell(6, 7).number_format == "#,##0.00"  # the totals row too
    assert sheet.cell(1, 1).font.bold and sheet.cell(6, 1).font.bold


def test_a_file_with_errors_keeps_its_row_without_guessed_figures(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    unreadable = tmp_path / "missing.yaml"
    huadu = DATA / "huadu-gov-office-2022.yaml"
    workbook = load_workbook(_overview(tmp_path, str(broken), str(unreadable), str(huadu)))
    rows = [_values(r) for r in workbook["汇总"].iter_rows(values_only=True)]
    # the total and the two parts it involves are unknown; what the file states otherwise stays
    assert rows[1] == [str(broken), 2023, "广州市番禺区人民政府办公室", "panyu", 4281.75, None,
                       None, None, None, 0.9789, None, 98.79, "优", None, 1, 0, "有错误"]  # fmt: skip
    assert rows[2] == [str(unreadable), *[None] * 15, f"无法读取：{unreadable}: 文件不存在"]
    assert rows[4][4] == 4281.75 + 3392.15  # totals of what is shown
    findings = list(workbook["问题清单"].iter_rows(values_only=True))
    assert findings == [
        ("文件", "行", "列", "代码", "级别", "字段", "信息"),
        (str(broken), 13, 12, "R101", "错误", "budget.expenditure.total",
         "支出合计 4191.40 ≠ 基本支出 3118.86 + 项目支出 1072.44 = 4191.30"),
    ]  # fmt: skip


def test_csv(tmp_path: Path) -> None:
    target = tmp_path / "汇总.csv"
    broken = _broken(tmp_path)
    result = runner.invoke(
        app, ["overview", str(DATA), str(broken), "-f", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == HEADERS
    assert rows[4][1:] == [
        "2023", "广州市番禺区人民政府办公室", "panyu", "4281.75", "", "4191.30", "3118.86",
        "1072.44", "97.89%", "", "98.79", "优", "0", "0", "0", "通过",
    ]  # fmt: skip
    assert rows[6][:9] == [
        "合计",
        "",
        "",
        "",
        "11955.65",
        "1268.40",
        "10337.80",
        "6954.82",
        "2167.61",
    ]
    assert rows[7] == []
    assert rows[8:] == [
        ["文件", "行", "列", "代码", "级别", "字段", "信息"],
        [str(broken), "13", "12", "R101", "错误", "budget.expenditure.total",
         "支出合计 4191.40 ≠ 基本支出 3118.86 + 项目支出 1072.44 = 4191.30"],
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["汇总.xlsx", "汇总.csv"])
def test_another_file_is_never_overwritten(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_bytes(b"mine")
    fmt = name.rsplit(".", 1)[1]
    result = runner.invoke(app, ["overview", str(DATA), "-f", fmt, "-o", str(target)])
    assert result.exit_code == 2
    assert result.output == (
        f"错误：{target} 已存在，且不是本程序生成的汇总表，为免覆盖未生成；"
        "请确认后删除或移走该文件，或换一个文件名\n"
    )
    assert target.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


def test_an_overview_it_made_is_replaced(tmp_path: Path) -> None:
    target = _overview(tmp_path, str(EXAMPLES[0]))
    _overview(tmp_path, *map(str, EXAMPLES))
    assert load_workbook(target)["汇总"].max_row == len(EXAMPLES) + 2


def test_layouts_from_templates_and_layout_as_render_takes_them(tmp_path: Path) -> None:
    """The overview validates each file as render would: with --templates, a department's
    own layout is found; with --layout, every file is checked against that layout."""
    layouts = tmp_path / "layouts"
    made = runner.invoke(app, ["layout", "new", "mine", "--from", "panyu", "--dir", str(layouts)])
    assert made.exit_code == 0, made.output
    text = (DATA / "panyu-gov-office-2023.yaml").read_text(encoding="utf-8")
    assert text.count("layout: panyu") == 1
    own = tmp_path / "own.yaml"
    own.write_text(text.replace("layout: panyu", "layout: mine"), encoding="utf-8")

    def row(*args: str) -> list[object]:
        target = tmp_path / "汇总.xlsx"
        target.unlink(missing_ok=True)
        result = runner.invoke(app, ["overview", str(own), *args, "-o", str(target)])
        assert result.exit_code == 0, result.output
        return _values(next(load_workbook(target)["汇总"].iter_rows(min_row=2, values_only=True)))

    without = row()  # mine is not a built-in layout: an error, in the row
    assert (without[3], without[14], without[16]) == ("mine", 1, "有错误")
    assert row("--templates", str(layouts)) == [
        str(own),
        *EXPECTED[3][:2],
        "mine",
        *EXPECTED[3][3:],
    ]
    forced = row("--templates", str(layouts), "--layout", "default")
    assert forced[3] == "default"
