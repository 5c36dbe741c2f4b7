"""The 自评表 under hostile data and templates: every character of the data in the .docx, no
formula and exact values in the .xlsx, no merge mark left anywhere, the template's faults its own."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.readback import document_text
from tests.spreadsheets import formula_risks

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "reportgen" / "samples" / "table.yaml"
DEFAULT = REPO / "templates" / "default"
TITLE = "2024年度广州市示例区财政局部门整体支出绩效自评表"
REPORT = "2024年度广州市示例区财政局部门整体支出绩效自评报告"

# each family in the first character of a field, and in its middle
HOSTILE = [
    '=HYPERLINK("http://x","点击")',
    "+1+1",
    "-2-3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "{{ department }}{% if x %}{#",
    "\ufdd0名称\ufdd1",
    "名\ufdd1\ufdd0称",
    "\ufdd1",
    "<w:t>&amp;]]>",
    "长" * 300,
]


def _hostile_data() -> tuple[dict[str, Any], list[str]]:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    table = data["table"]
    texts: list[str] = []
    n = 0
    for level1 in table["indicators"]:
        for level2 in level1["items"]:
            for level3 in level2["items"]:
                level3["name"] = f"{HOSTILE[n % len(HOSTILE)]}指标{n}"
                texts.append(level3["name"])
                n += 1
    for key, value in (("supervisor", "=1+1"), ("contact", "@李明"), ("phone", "+8620-1234")):
        table[key] = value
        texts.append(value)
    table["goals"] = [
        {"planned": f"{h}目标{i}", "actual": f"-{h}完成{i}"} for i, h in enumerate(HOSTILE)
    ]
    texts += [g["planned"] for g in table["goals"]] + [g["actual"] for g in table["goals"]]
    table["funds"]["reason"] = "=\ufdd0原因\ufdd1"
    texts.append(table["funds"]["reason"])
    return data, texts


def test_reasons_and_adjusted_targets_are_printed(tmp_path: Path) -> None:
    """Nothing of the table's data is left out: the funds' reason, a goal's adjusted goal and an
    indicator's adjusted target appear in the .docx and the .xlsx."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    table = data["table"]
    table["funds"]["reason"] = "-资金原因"
    table["goals"][0]["adjusted"] = "@调整目标"
    first = table["indicators"][0]["items"][0]["items"][0]
    first.update(adjusted_target=41, reason="年中调整")
    result, out = _render(data, tmp_path)
    assert result.exit_code == 0, result.output
    expected = [
        "-资金原因",
        f"{table['goals'][0]['planned']}（调整后：@调整目标）",
        "≥40个（调整后≥41个）",
    ]
    text = document_text(out / f"{TITLE}.docx")
    assert [t for t in expected if t not in text] == []
    xlsx = out / f"{TITLE}.xlsx"
    assert formula_risks(xlsx) == []
    values = {
        cell.value
        for sheet in load_workbook(xlsx).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert [t for t in expected if t not in values] == []
    assert "原因说明" in text and "原因说明" in values


def _render(data: dict[str, Any], tmp_path: Path, *extra: str) -> Any:
    source = tmp_path / "data.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    return runner.invoke(app, ["render", str(source), "-o", str(out), "--table", *extra]), out


def _marks(docx: Path) -> list[str]:
    """Parts of ``docx`` holding a merge mark (a noncharacter next to the 16-digit token)."""
    with zipfile.ZipFile(docx) as archive:
        return [
            name
            for name in archive.namelist()
            if b"\xef\xb7\x90" in (content := archive.read(name))
            and any(b"\xef\xb7\x90" + bytes([c]) in content for c in b"0123456789abcdef")
        ]


def test_hostile_text_in_every_field_is_kept_exactly(tmp_path: Path) -> None:
    data, texts = _hostile_data()
    result, out = _render(data, tmp_path)
    assert result.exit_code == 0, result.output
    docx, xlsx = out / f"{TITLE}.docx", out / f"{TITLE}.xlsx"
    text = document_text(docx)
    assert [t for t in texts if t not in text] == []
    assert _marks(docx) == [] and _marks(out / f"{REPORT}.docx") == []
    assert formula_risks(xlsx) == []
    values = {
        cell.value
        for sheet in load_workbook(xlsx).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert [t for t in texts if t not in values] == []


def test_noncharacters_of_the_data_do_not_break_merging(tmp_path: Path) -> None:
    """An indicator name holding the characters the merge marks are made of is printed as
    written, and the 一级/二级 cells are still merged."""
    data, _ = _hostile_data()
    first = data["table"]["indicators"][0]
    first["items"][0]["items"][0]["name"] = "\ufdd0"
    first["items"][0]["items"][1]["name"] = "\ufdd1\ufdd0"
    result, out = _render(data, tmp_path)
    assert result.exit_code == 0, result.output
    docx = out / f"{TITLE}.docx"
    text = document_text(docx)
    assert "\ufdd0" in text and "\ufdd1\ufdd0" in text
    body = zipfile.ZipFile(docx).read("word/document.xml")
    assert body.count(b'w:vMerge w:val="restart"') >= 2


def _layout(tmp_path: Path, name: str, which: str, edit: Any) -> Path:
    folder = tmp_path / "layouts" / name
    shutil.copytree(DEFAULT, folder)
    document = Document(str(folder / which))
    edit(document)
    document.save(str(folder / which))
    return folder.parent


@pytest.mark.parametrize(
    "where",
    ["header of table.docx", "paragraph of table.docx", "report template", "nested table"],
)
def test_merged_outside_a_table_body_prints_its_value_and_no_mark(
    tmp_path: Path, where: str
) -> None:
    tag = "{{ department|merged }}"

    def nested(document: Any) -> None:
        inner = document.tables[0].rows[0].cells[0].add_table(rows=2, cols=1)
        for row in inner.rows:
            row.cells[0].text = tag

    which, edit = {
        "header of table.docx": (
            "table.docx",
            lambda d: d.sections[0].header.add_paragraph(f"页眉{tag}"),
        ),
        "paragraph of table.docx": ("table.docx", lambda d: d.add_paragraph(f"段落{tag}")),
        "report template": ("template.docx", lambda d: d.add_paragraph(f"段落{tag}")),
        "nested table": ("table.docx", nested),
    }[where]
    layouts = _layout(tmp_path, "hostile", which, edit)
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["layout"] = "hostile"
    check = runner.invoke(app, ["layout", "check", "hostile", "--templates", str(layouts)])
    assert check.exit_code == 0, check.output
    result, out = _render(data, tmp_path, "--templates", str(layouts))
    assert result.exit_code == 0, result.output
    for docx in out.glob("*.docx"):
        assert _marks(docx) == [], docx.name
    with zipfile.ZipFile(out / f"{TITLE if which == 'table.docx' else REPORT}.docx") as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("word/"))
    assert "广州市示例区财政局".encode() in xml


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
def test_a_table_docx_that_is_not_a_file_is_refused_not_replaced_by_the_default(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportgen.cli.entry import run

    folder = tmp_path / "layouts" / "own"
    shutil.copytree(DEFAULT, folder)
    table = folder / "table.docx"
    table.unlink()
    if kind == "folder":
        table.mkdir()
        said = f"模板 {table}: 这是一个目录，不是 .docx 模板"
    else:
        table.symlink_to(tmp_path / "gone.docx")
        said = f"模板 {table}: 这是一个符号链接，它指向的 {tmp_path / 'gone.docx'} 不存在"
    layouts = str(folder.parent)
    capsys.readouterr()
    assert run(["layout", "check", "own", "--templates", layouts]) == 2
    assert capsys.readouterr().err.strip() == f"错误：{said}"
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["layout"] = "own"
    source, out = tmp_path / "data.yaml", tmp_path / "out"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run(["render", str(source), "-o", str(out), "--table", "--templates", layouts]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"错误：{source}: {said}"
    assert not out.exists() or not list(out.iterdir())  # no report without its table


def _edited(tmp_path: Path, edit: Any) -> Path:
    """A layout ``own`` whose table.docx's document.xml is ``edit(xml)``."""
    folder = tmp_path / "layouts" / "own"
    shutil.copytree(DEFAULT, folder)
    table = folder / "table.docx"
    with zipfile.ZipFile(table) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(table, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in parts.items():
            if info.filename == "word/document.xml":
                content = edit(content.decode("utf-8")).encode("utf-8")
            archive.writestr(info, content)
    return table


def _span_before(tag: str, value: str) -> Any:
    def edit(xml: str) -> str:
        place = xml.rfind("<w:tcPr>", 0, xml.index(tag))
        return xml[:place] + f'<w:tcPr><w:gridSpan w:val="{value}"/>' + xml[place + 8 :]

    return edit


BAD_GRIDS = {
    "gridSpan x": (
        _span_before("row.level1|merged", "x"),
        "有一个表格单元格的合并列数（w:gridSpan）“x”无效，应为 1 到 63 的整数；请在 Word 中重新合并该单元格",
    ),
    "gridSpan 0": (
        _span_before("goal.reason", "0"),
        "有一个表格单元格的合并列数（w:gridSpan）“0”无效，应为 1 到 63 的整数；请在 Word 中重新合并该单元格",
    ),
    "gridSpan huge": (
        _span_before("header.phone", "9" * 5000),
        "有一个表格单元格的合并列数（w:gridSpan）“99999999999999999999”无效，应为 1 到 63 的整数；"
        "请在 Word 中重新合并该单元格",
    ),
    "gridCol width": (
        lambda xml: xml.replace('<w:gridCol w:w="', '<w:gridCol w:w="abc', 1),
        "有一个表格的列宽（w:gridCol）“abc",
    ),
    "no tblGrid": (
        lambda xml: xml.replace(
            xml[xml.index("<w:tblGrid>") : xml.index("</w:tblGrid>") + len("</w:tblGrid>")], "", 1
        ),
        "有一个表格缺少列定义（w:tblGrid）；请在 Word 中重新插入该表格",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_GRIDS))
def test_a_table_grid_docxtpl_cannot_read_is_the_templates_located_problem(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportgen.cli.entry import run

    edit, said = BAD_GRIDS[case]
    table = _edited(tmp_path, edit)
    capsys.readouterr()
    assert run(["template", "check", str(table)]) == 1
    assert said in capsys.readouterr().out
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["layout"] = "own"
    source, out = tmp_path / "data.yaml", tmp_path / "out"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    layouts = str(table.parent.parent)
    assert run(["render", str(source), "-o", str(out), "--table", "--templates", layouts]) == 1
    assert f"模板 {table}：{said}" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())  # no report without its table
