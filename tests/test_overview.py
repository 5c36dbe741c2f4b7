"""The overview workbook and .csv: figures, formats, totals and findings, read back."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.output.cells import could_be_formula
from reportgen.output.pdf import soffice
from tests.readback import DATA, EXAMPLES
from tests.spreadsheets import calc_formulas, csv_rows, formula_risks

runner = CliRunner()
HEADERS = [
    "文件", "年度", "部门", "版式", "年初预算", "调整预算", "支出合计", "基本支出", "项目支出",
    "预算执行率", "结转结余率", "自评得分", "等级", "未达标指标数", "预算执行得分", "偏离指标数", "缺原因数",
    "错误数", "警告数", "状态",
]  # fmt: skip
EXPECTED = [
    # the fourth example publishes neither the basic/project split nor an initial budget:
    # those cells stay empty, nothing is guessed
    [2023, "广州市从化区档案馆", "default", None, 1268.4, 1215.37, None, None,
     0.9582, 0.0453, 93.6, "优", 0, None, None, None, 0, 0, "通过"],
    [2022, "广州市花都区人民政府办公室", "huadu", 3392.15, None, 3101.73, 2873.52, 228.21,
     0.9144, None, 91.44, "优", 0, None, None, None, 0, 0, "通过"],
    [2023, "中国共产党广州市南沙区委员会办公室", "default", None, None, 1829.4, 962.44, 866.96,
     0.9963, 0.0025, 99.69, "优", 0, None, None, None, 0, 0, "通过"],
    [2023, "广州市番禺区人民政府办公室", "panyu", 4281.75, None, 4191.3, 3118.86, 1072.44,
     0.9789, None, 98.79, "优", 0, None, None, None, 0, 0, "通过"],
]  # fmt: skip
TOTALS = [
    ["合计", 2022, None, None, 3392.15, None, 3101.73, 2873.52, 228.21,
     None, None, None, None, 0, None, None, None, 0, 0, None],
    ["合计", 2023, None, None, 4281.75, 1268.4, 7236.07, 4081.3, 1939.4,
     None, None, None, None, 0, None, None, None, 0, 0, None],
]  # fmt: skip
NOTES = [
    "说明：2022年度合计计入全部 1 个单位；调整预算、偏离指标数、缺原因数没有单位填写，不作合计。",
    "说明：2023年度合计计入全部 3 个单位；偏离指标数、缺原因数没有单位填写，不作合计；"
    "年初预算、调整预算只有 1 个单位填写，合计只含这 1 个；"
    "基本支出、项目支出只有 2 个单位填写，合计只含这 2 个。",
]
HEADER_ROW = 3  # below the title and its line of 年度、单位数、生成时间


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


def _table(sheet: Worksheet) -> list[list[object]]:
    """The rows from the column headers on."""
    return [_values(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


def _notes(rows: list[list[object]]) -> list[object]:
    return [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("说明：")]


def test_the_examples_figures_read_back(tmp_path: Path) -> None:
    workbook = load_workbook(_overview(tmp_path, str(DATA), count=4))
    sheet = workbook["汇总"]
    assert sheet["A1"].value == "部门整体支出绩效自评汇总表"
    assert re.fullmatch(
        r"年度：2022、2023　　单位数：4　　文件数：4　　"
        r"生成时间：\d{4}-\d\d-\d\d \d\d:\d\d UTC([+-]\d\d:\d\d)?",
        str(sheet["A2"].value),
    )
    rows = _table(sheet)
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:5]] == [str(p) for p in EXAMPLES]
    assert [r[1:] for r in rows[1:5]] == EXPECTED
    assert rows[5:7] == TOTALS  # one per year: the figures of different years are never added
    assert rows[7:] == [[note, *[None] * (len(HEADERS) - 1)] for note in NOTES]


def test_number_formats_frozen_header_and_filter(tmp_path: Path) -> None:
    sheet = load_workbook(_overview(tmp_path, *map(str, EXAMPLES)))["汇总"]
    assert sheet.freeze_panes == "D4"  # the headers and the file, year and department
    assert sheet.auto_filter.ref == "A3:T7"  # the departments, not the totals rows
    formats = {sheet.cell(3, c).value: sheet.cell(4, c).number_format for c in range(1, 18)}
    assert formats["支出合计"] == formats["年初预算"] == "#,##0.00"
    assert formats["预算执行率"] == formats["结转结余率"] == "0.00%"
    assert formats["自评得分"] == "0.00"
    assert sheet.cell(8, 7).number_format == "#,##0.00"  # the totals rows too
    assert sheet.cell(3, 1).font.bold and sheet.cell(8, 1).font.bold


def test_the_workbook_is_set_up_to_print(tmp_path: Path) -> None:
    """A4 landscape, one page wide, the column headers on every page, the report's fonts,
    a grid, wrapped texts in rows tall enough for them, the page number at the foot."""
    broken = _broken(tmp_path)
    workbook = load_workbook(_overview(tmp_path, str(DATA), str(broken), count=5))
    for sheet, header_row in ((workbook["汇总"], 3), (workbook["问题清单"], 2)):
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${header_row}:${header_row}"
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert "A1:" in " ".join(r.coord for r in sheet.merged_cells.ranges)  # the title
        assert sheet["A1"].font.name == "黑体"
        headers = sheet[header_row]
        assert {c.font.name for c in headers} == {"黑体"}
        body = sheet[header_row + 1]
        assert {c.font.name for c in body} == {"仿宋_GB2312"}
        assert all(c.border.left.style == "thin" for c in (*headers, *body))
    problems = workbook["问题清单"]
    message = problems.cell(3, 7)
    assert message.alignment.wrap_text
    assert problems.row_dimensions[3].height >= 2 * 13.5  # 信息 takes two lines at 72 wide
    assert problems.column_dimensions["G"].width == 72
    # line, column, code and severity centred: “3” and “S002” side by side do not read as one
    assert [problems.cell(3, c).alignment.horizontal for c in range(1, 8)] == [
        None, "center", "center", "center", "center", None, None,
    ]  # fmt: skip


def test_a_file_with_errors_keeps_its_row_without_guessed_figures(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    unreadable = tmp_path / "missing.yaml"
    huadu = DATA / "huadu-gov-office-2022.yaml"
    workbook = load_workbook(_overview(tmp_path, str(broken), str(unreadable), str(huadu)))
    rows = _table(workbook["汇总"])
    # the total and the two parts it involves are unknown; what the file states otherwise stays
    assert rows[1] == [str(broken), 2023, "广州市番禺区人民政府办公室", "panyu", 4281.75, None,
                       None, None, None, 0.9789, None, 98.79, "优", None, None, None, None, 1, 0, "有错误"]  # fmt: skip
    assert rows[2] == [str(unreadable), *[None] * (len(HEADERS) - 2), "无法读取"]
    # a total counts only the departments without errors, and says so
    assert rows[4][:9] == ["合计", 2022, None, None, 3392.15, None, 3101.73, 2873.52, 228.21]
    assert rows[5][:9] == ["合计", 2023, *[None] * 7]
    assert _notes(rows) == [
        "说明：2022年度合计计入全部 1 个单位；调整预算、偏离指标数、缺原因数没有单位填写，不作合计。",
        "说明：2023年度的 1 个单位都有错误或重复，不作合计；不计有错误的 1 个（broken.yaml）："
        "其数字未经核实或不全，见“问题清单”。",
        "说明：未能读出年度的 1 个文件不计入任何合计：missing.yaml。",
    ]
    findings = list(workbook["问题清单"].iter_rows(min_row=2, values_only=True))
    assert findings == [
        ("文件", "行", "列", "代码", "级别", "字段", "信息"),
        (str(broken), 13, 12, "R101", "错误", "budget.expenditure.total",
         "支出合计 4191.40 ≠ 基本支出 3118.86 + 项目支出 1072.44 = 4191.30"),
        (str(unreadable), None, None, None, "错误", None, f"无法读取：{unreadable}: 文件不存在"),
    ]  # fmt: skip


def test_a_department_and_year_given_twice_is_a_problem_not_a_double_count(
    tmp_path: Path,
) -> None:
    panyu = DATA / "panyu-gov-office-2023.yaml"
    again = tmp_path / "again.yaml"
    again.write_bytes(panyu.read_bytes())
    workbook = load_workbook(
        _overview(tmp_path, str(panyu), str(again), str(panyu), str(DATA), count=7)
    )
    rows = _table(workbook["汇总"])
    assert [(r[0], r[-3], r[-1]) for r in rows[1:8]] == [
        (str(panyu), 0, "通过"),
        (str(again), 1, "重复"),
        (str(panyu), 1, "重复"),
        *[(str(p), 1 if p == panyu else 0, "重复" if p == panyu else "通过") for p in EXAMPLES],
    ]
    assert rows[9][:9] == TOTALS[1][:9]  # 2023 once each, as without the repeats
    assert _notes(rows)[1] == (
        "说明：2023年度合计只计无错误、不重复的 3 个单位（共 6 个）；不计重复的 3 个（again.yaml、"
        "panyu-gov-office-2023.yaml、panyu-gov-office-2023.yaml）：同一部门同一年度已计一次；"
        "偏离指标数、缺原因数没有单位填写，不作合计；年初预算、调整预算只有 1 个单位填写，合计只含这 1 个；基本支出、项目支出只有 2 个单位填写，"
        "合计只含这 2 个。"
    )
    messages = [r[6] for r in workbook["问题清单"].iter_rows(min_row=3, values_only=True)]
    assert messages == [
        f"与 {panyu} 是同一部门同一年度（2023年度广州市番禺区人民政府办公室）的数据，不计入合计；"
        "同一部门同一年度只能有一份数据",
        "同一个文件给出了两次（2023年度广州市番禺区人民政府办公室），只计一次",
        "同一个文件给出了两次（2023年度广州市番禺区人民政府办公室），只计一次",
    ]


def test_a_dangling_link_in_the_folder_gets_a_row(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(EXAMPLES[0].read_bytes())
    (folder / "b.yaml").symlink_to(folder / "gone.yaml")
    workbook = load_workbook(_overview(tmp_path, str(folder), count=2))
    rows = _table(workbook["汇总"])
    assert rows[2] == [str(folder / "b.yaml"), *[None] * (len(HEADERS) - 2), "无法读取"]
    [problem] = list(workbook["问题清单"].iter_rows(min_row=3, values_only=True))
    assert problem[6] == (
        f"无法读取：{folder / 'b.yaml'}: 这是一个符号链接，它指向的 {folder / 'gone.yaml'} 不存在"
    )


@pytest.mark.parametrize(
    ("args", "written", "message"),
    [
        (["-o", "x.csv"], "x.csv", None),
        (["-o", "x.XLSX"], "x.XLSX", None),
        (["-f", "csv"], "汇总.csv", None),
        (["-f", "csv", "-o", "x.csv"], "x.csv", None),
        (["-f", "csv", "-o", "x.xlsx"], None,
         "错误：--format csv 与汇总表文件 {}/x.xlsx 的扩展名不符；请把文件名改为 .csv 结尾，"
         "或去掉 --format（格式由扩展名决定）\n"),
        (["-f", "xlsx", "-o", "x.csv"], None,
         "错误：--format xlsx 与汇总表文件 {}/x.csv 的扩展名不符；请把文件名改为 .xlsx 结尾，"
         "或去掉 --format（格式由扩展名决定）\n"),
        (["-o", "x.txt"], None,
         "错误：汇总表文件 {}/x.txt 的扩展名应为 .xlsx（工作簿）或 .csv（文本表格）\n"),
    ],
)  # fmt: skip
def test_the_suffix_decides_the_format_and_format_must_agree(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    written: str | None,
    message: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [f"{tmp_path}/{a}" if a.startswith("x.") else a for a in args]
    result = runner.invoke(app, ["overview", str(EXAMPLES[0]), *args])
    if written is None:
        assert message is not None
        assert (result.exit_code, result.output) == (2, message.format(tmp_path))
        assert list(tmp_path.iterdir()) == []
        return
    assert result.exit_code == 0, result.output
    [made] = list(tmp_path.iterdir())
    assert made.name == written
    is_zip = made.read_bytes().startswith(b"PK")
    assert is_zip == made.suffix.lower().endswith("xlsx")


def test_csv(tmp_path: Path) -> None:
    target = tmp_path / "汇总.csv"
    broken = _broken(tmp_path)
    result = runner.invoke(app, ["overview", str(DATA), str(broken), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = csv_rows(target)
    assert rows[0] == HEADERS
    assert rows[4][1:] == [
        "2023", "广州市番禺区人民政府办公室", "panyu", "4281.75", "", "4191.30", "3118.86",
        "1072.44", "97.89%", "", "98.79", "优", "0", "", "", "", "0", "0", "通过",
    ]  # fmt: skip
    assert [r[:9] for r in rows[6:8]] == [
        ["合计", "2022", "", "", "3392.15", "", "3101.73", "2873.52", "228.21"],
        ["合计", "2023", "", "", "4281.75", "1268.40", "7236.07", "4081.30", "1939.40"],
    ]
    assert rows[8][0].startswith("说明：2022年度合计计入全部 1 个单位")
    assert rows[9][0].startswith("说明：2023年度合计只计无错误、不重复的 3 个单位（共 4 个）；")
    assert rows[10] == []
    assert rows[11:] == [
        ["文件", "行", "列", "代码", "级别", "字段", "信息"],
        [str(broken), "13", "12", "R101", "错误", "budget.expenditure.total",
         "支出合计 4191.40 ≠ 基本支出 3118.86 + 项目支出 1072.44 = 4191.30"],
        [str(broken), "", "", "", "错误", "department",
         f"与 {DATA / 'panyu-gov-office-2023.yaml'} 是同一部门同一年度（2023年度广州市番禺区人民政府"
         "办公室）的数据，不计入合计；同一部门同一年度只能有一份数据"],
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
    assert load_workbook(target)["汇总"].max_row == HEADER_ROW + len(EXAMPLES) + 2 * 2


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
        return _table(load_workbook(target)["汇总"])[1]

    without = row()  # mine is not a built-in layout: an error, in the row
    assert (without[3], without[-3], without[-1]) == ("mine", 1, "有错误")
    assert row("--templates", str(layouts)) == [
        str(own),
        *EXPECTED[3][:2],
        "mine",
        *EXPECTED[3][3:],
    ]
    forced = row("--templates", str(layouts), "--layout", "default")
    assert forced[3] == "default"


HOSTILE_NAMES = [
    '=HYPERLINK("http://x","点击")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(1)",
    "=1+1\t",
    "#N/A",
]


def _hostile(tmp_path: Path) -> Path:
    """Departments named like formulas, a file named like one, an unknown key like one, a
    department whose name starts with a tab or a carriage return (kept in the problems)."""
    text = (DATA / "panyu-gov-office-2023.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "hostile"
    folder.mkdir()
    department = "department: 广州市番禺区人民政府办公室"
    for i, name in enumerate(HOSTILE_NAMES):
        quoted = json.dumps(name, ensure_ascii=False)
        (folder / f"d{i}.yaml").write_text(text.replace(department, f"department: {quoted}"))
    for i, start in enumerate(["\\t", "\\r"]):
        (folder / f"e{i}.yaml").write_text(
            text.replace(department, f'department: "{start}@x"\n"{start}=2+2": 1')
        )
    (folder / "=HYPERLINK(1+1).yaml").write_text(text.replace("year: 2023", 'year: "=1+1"'))
    (folder / "+SUM(1).yaml").write_text(text.replace("year: 2023", 'year: 2023\n"=A1": 1'))
    return folder


def test_no_cell_of_a_hostile_overview_is_a_formula(tmp_path: Path) -> None:
    folder = _hostile(tmp_path)
    workbook = _overview(tmp_path, str(folder), count=len(HOSTILE_NAMES) + 4)
    assert formula_risks(workbook) == []
    table = _table(load_workbook(workbook)["汇总"])
    by_file = {Path(str(r[0])).name: r for r in table[1:] if str(r[0]).startswith(str(folder))}
    departments = [by_file[f"d{i}.yaml"][2] for i in range(len(HOSTILE_NAMES))]
    assert departments == [n.strip() for n in HOSTILE_NAMES]
    assert all(isinstance(by_file[f"d{i}.yaml"][4], float) for i in range(len(HOSTILE_NAMES)))
    problems = list(load_workbook(workbook)["问题清单"].iter_rows(min_row=3, values_only=True))
    assert {p[5] for p in problems} >= {"=A1", "year"}
    assert any("“=A1”" in str(p[6]) for p in problems)

    target = tmp_path / "汇总.csv"
    result = runner.invoke(app, ["overview", str(folder), "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = csv_rows(target)
    by_name = {Path(r[0]).name: r for r in rows if r and r[0].startswith(str(folder))}
    assert [by_name[f"d{i}.yaml"][2] for i in range(len(HOSTILE_NAMES))] == [
        n if n == "#N/A" else f"'{n}" for n in departments
    ]
    assert [cell for row in rows for cell in row if could_be_formula(cell)] == []
    names = [Path(r[0]).name for r in rows if r and r[0].startswith(str(folder))]
    assert "=HYPERLINK(1+1).yaml" in names and "+SUM(1).yaml" in names


def test_a_file_name_alone_in_a_cell_is_neutralised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _hostile(tmp_path)
    monkeypatch.chdir(folder)
    target = tmp_path / "汇总.xlsx"
    result = runner.invoke(
        app, ["overview", "=HYPERLINK(1+1).yaml", "+SUM(1).yaml", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert formula_risks(target) == []
    rows = _table(load_workbook(target)["汇总"])
    assert [r[0] for r in rows[1:3]] == ["=HYPERLINK(1+1).yaml", "+SUM(1).yaml"]


@pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
def test_libreoffice_opens_a_hostile_overview_with_no_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calc = soffice()
    assert calc is not None
    folder = _hostile(tmp_path)
    monkeypatch.chdir(folder)
    files = sorted(p.name for p in folder.iterdir())
    for name in ("汇总.xlsx", "汇总.csv"):
        target = tmp_path / name
        result = runner.invoke(app, ["overview", *files, "-o", str(target)])
        assert result.exit_code == 0, result.output
        formulas, shown = calc_formulas(target, calc)
        assert formulas == []
        texts = {cell for row in shown for cell in row}
        # a workbook keeps the text as written (quotePrefix), a .csv gets an apostrophe
        quote = "'" if name.endswith(".csv") else ""
        assert {f"{quote}{n.strip()}" for n in HOSTILE_NAMES if n != "#N/A"} <= texts
        assert {f"{quote}=HYPERLINK(1+1).yaml", f"{quote}+SUM(1).yaml", "#N/A"} <= texts
        assert "点击" not in texts
    # the check can fail: the same names written raw are formulas to Calc
    raw = tmp_path / "raw.csv"
    raw.write_text("".join(f"{json.dumps(n)}\n" for n in HOSTILE_NAMES[:2]), encoding="utf-8")
    formulas, _ = calc_formulas(raw, calc)
    assert len(formulas) == 2


def test_the_tables_figures_are_in_the_overview(tmp_path: Path) -> None:
    """The 自评表's funds score, 偏离 and missing reasons; with errors, only the reasons."""
    sample = Path(__file__).resolve().parents[1] / "reportgen" / "samples" / "table.yaml"
    text = sample.read_text(encoding="utf-8")
    beyond = tmp_path / "beyond.yaml"  # 60 against a target of 40: 偏离
    beyond.write_text(
        text.replace("广州市示例区财政局", "广州市示例区审计局").replace(
            "target: 40, actual: 44", "target: 40, actual: 60"
        ),
        encoding="utf-8",
    )
    silent = tmp_path / "silent.yaml"  # 90 of 100 without its reason
    silent.write_text(
        text.replace("广州市示例区财政局", "广州市示例区统计局").replace(
            ", reason: 受场地限制", ""
        ),
        encoding="utf-8",
    )
    rows = _table(load_workbook(_overview(tmp_path, str(sample), str(beyond), str(silent)))["汇总"])
    columns = [HEADERS.index(h) for h in ("预算执行得分", "偏离指标数", "缺原因数", "状态")]
    assert [[row[i] for i in columns] for row in rows[1:4]] == [
        [7.8, 0, 0, "通过"],
        [7.8, 1, 0, "有警告"],
        [None, None, 1, "有错误"],
    ]


def test_a_file_still_holding_the_starters_figures_is_left_out_of_the_total(
    tmp_path: Path,
) -> None:
    """`reportgen init`'s budget (1000.00 …) is no department's: the row shows it as the file
    states it, and the total leaves it out, saying why."""
    starter = tmp_path / "新部门.yaml"
    result = runner.invoke(app, ["init", str(starter)])
    assert result.exit_code == 0, result.output
    text = starter.read_text(encoding="utf-8")
    starter.write_text(re.sub(r"(?m)^year: \d{4}", "year: 2023", text), encoding="utf-8")
    panyu = DATA / "panyu-gov-office-2023.yaml"
    rows = _table(load_workbook(_overview(tmp_path, str(panyu), str(starter)))["汇总"])
    assert [(r[0], r[-1]) for r in rows[1:3]] == [(str(panyu), "通过"), (str(starter), "有警告")]
    assert rows[3][:5] == ["合计", 2023, None, None, 4281.75]  # the Panyu office's alone
    assert _notes(rows)[0].startswith(
        "说明：2023年度合计只计无错误、不重复、不含示例内容的 1 个单位（共 2 个）；"
        "不计仍有示例内容的 1 个（新部门.yaml）：其数字可能是 reportgen init 写的示例，"
        "见“问题清单”（R013）；"
    )
