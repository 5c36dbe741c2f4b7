"""``reportgen import`` and ``audit`` on reports written as other departments write them: full-width
figures and amounts in 元, score components as “49.65/50” or in a table, key tasks as numbered
items or sentences, indicators under several lead-ins. Each: the exact facts, the exact
findings, and the text that renders back."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from reportgen.check.validate import validate_text
from reportgen.importer import Imported, import_report
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from reportgen.importer.source import read_source
from tests.test_import import SYNTHETIC, import_report_text, render_draft

VARIANTS = Path(__file__).resolve().parent / "import_variants"


def facts(imported: Imported) -> dict[str, tuple[str, str]]:
    """Each fact's path → (value, as published)."""
    return {path: (str(f.value), f.token) for path, f in imported.facts.found.items()}


def findings(imported: Imported) -> list[str]:
    return [f.as_text() for f in validate_text(draft_text(imported), "d.yaml").findings]


def slips(path: Path) -> list[str]:
    return [slip.as_text("r") for slip in audit_file(path).slips]


def body(lines: list[str]) -> list[str]:
    """The paragraphs from the first chapter heading on, whitespace removed."""
    lines = ["".join(line.split()) for line in lines if line.strip()]
    return lines[next(i for i, line in enumerate(lines) if line.startswith("一、")) :]


def rendered_body(path: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """(the published body, the body of the report rendered from its draft)."""
    published = [p.text for p in read_source(path).paragraphs]
    rendered = render_draft(draft_text(import_report(path)), tmp_path)
    return body(published), body(rendered)


# ---- figures typed in full width, amounts in 元 ----------------------------------------------

FULL_WIDTH = VARIANTS / "fullwidth_yuan.txt"


def test_full_width_figures_and_amounts_in_yuan() -> None:
    imported = import_report(FULL_WIDTH)
    assert imported.year == 2023
    assert facts(imported) == {
        "budget.initial": ("3000.00", "３，０００．００"),
        "budget.expenditure.total": ("2850.00", "２，８５０．００"),
        # “占全年预算的” is the execution rate
        "budget.execution_rate": ("95.00", "９５．００％"),
        # 元 in 万元, exactly
        "budget.expenditure.basic.amount": ("1200.00", "12,000,000.00元"),
        "budget.expenditure.project.amount": ("1650.00", "16,500,000.00元"),
        "score.total": ("96", "９６"),
        "score.grade": ("优", "优"),
    }
    assert imported.notes == [
        "原文标题为“２０２３年度某某区民政局部门整体支出绩效自评报告”；reportgen 的标题总是"
        "“年度＋部门名称＋部门整体支出绩效自评报告”，将印为“2023年度某某区民政局部门整体支出绩效自评报告”",
        # a change to the budget is no budget
        "未能归类的金额 １００．００万元（“２０２３年度年初预算３，０００．００万元，年中追加预算"
        "１００．００万元，全年支出２，８５０．００万元，占全年预算的９５．００％。”），留在正文中",
        # 123.456789 万元 would need rounding: a figure the report does not state
        "budget.carryover.year_end：原文为 1,234,567.89元，折合 123.456789 万元，超过两位小数；"
        "数据只能精确到 0.01 万元，未写入数据，正文保留原文（“年末结转结余1,234,567.89元。”）；"
        "这一项数据必须有时，草稿中写作“待填写”，reportgen validate 会列出",
    ]
    draft = draft_text(imported)
    assert (
        "      amount: 1200.00  # 原文为 12,000,000.00元，折合万元；"
        "原文：“其中基本支出12,000,000.00元，项目支出16,500,000.00元。”"
    ) in draft
    assert findings(imported) == []
    assert slips(FULL_WIDTH) == []


def test_full_width_figures_render_back_as_published(tmp_path: Path) -> None:
    published, rendered = rendered_body(FULL_WIDTH, tmp_path)
    assert rendered == published


def test_a_full_width_slip_is_found(tmp_path: Path) -> None:
    path = tmp_path / "published.txt"
    text = FULL_WIDTH.read_text(encoding="utf-8")
    path.write_text(
        text.replace("全年支出２，８５０．００", "全年支出２，９５０．００"), encoding="utf-8"
    )
    said = "原文：“２０２３年度年初预算３，０００．００万元，年中追加预算１００．００万元，全年支出２，９５０．００万元，占全年预算的９５．００％。”"
    assert slips(path) == [
        "r: 错误 R106 budget.execution_rate: 预算执行率 95.00% ≠ 支出合计 2950.00 ÷ 年初预算 3000.00"
        f" = 98.33%\n    应为 98.33%，原文为 95.00%\n    {said}",
        "r: 错误 R101 budget.expenditure.total: 支出合计 2950.00 ≠ 基本支出 1200.00 + 项目支出 1650.00"
        f" = 2850.00\n    应为 2850.00，原文为 2950.00\n    {said}\n"
        "    原文：“其中基本支出12,000,000.00元，项目支出16,500,000.00元。”",
    ]


# ---- score components: “49.65/50”, “得分46.85分/满分50分”, a table -----------------------------

SCORES = VARIANTS / "score_forms.txt"


def components(imported: Imported) -> list[tuple[str, str, str]]:
    return [(c["name"], str(c["score"]), str(c["max"])) for c in imported.facts.components]


def test_score_components_written_as_fractions() -> None:
    imported = import_report(SCORES)
    assert components(imported) == [("履职效能", "49.65", "50"), ("管理效率", "46.85", "50")]
    assert facts(imported)["score.total"] == ("96.5", "96.5")  # 自评总分
    # “评定为优秀等次” is the grade; “被评为优秀档案馆” is not
    assert facts(imported)["score.grade"] == ("优", "优秀")
    assert imported.notes == []
    assert findings(imported) == []
    assert slips(SCORES) == []


def test_score_components_that_do_not_add_up_are_found(tmp_path: Path) -> None:
    path = tmp_path / "published.txt"
    path.write_text(
        SCORES.read_text(encoding="utf-8").replace("履职效能49.65/50", "履职效能48.65/50"),
        encoding="utf-8",
    )
    assert [s.splitlines()[0] for s in slips(path)] == [
        "r: 错误 R201 score.total: 自评得分 96.5 ≠ 履职效能 48.65 + 管理效率 46.85 = 95.5"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "其中履职效能得分49.65分/满分50分，管理效率得分46.85分/满分50分",
        "其中履职效能得分49.65分（满分50分），管理效率得分46.85分（满分50分）",
        "其中履职效能（分值50分）得分49.65分，管理效率（分值50分）得分46.85分",
        "其中履职效能指标49.65分/50分、管理效率指标46.85分/50分",
    ],
)
def test_every_way_of_writing_a_component(written: str) -> None:
    text = SCORES.read_text(encoding="utf-8").replace(
        "其中履职效能49.65/50，管理效率得分46.85分/满分50分", written
    )
    imported = import_report_text(text)
    assert components(imported) == [("履职效能", "49.65", "50"), ("管理效率", "46.85", "50")]
    assert facts(imported)["score.total"] == ("96.5", "96.5")


def test_score_components_in_a_table(tmp_path: Path) -> None:
    """As a .docx states them: 一级指标 | 分值 | 得分, a 合计 row; the table's words stay."""
    document = docx.Document()
    for line in SCORES.read_text(encoding="utf-8").splitlines():
        if line.startswith("部门整体支出绩效自评总分"):
            line = "部门整体支出绩效自评情况如下表，绩效等级评定为优秀等次。"
        document.add_paragraph(line)
        if line.startswith("部门整体支出绩效自评情况如下表"):
            rows = [["一级指标", "分值", "得分"], ["履职效能", "50", "49.65"]]
            rows += [["管理效率", "50", "46.85"], ["合计", "100", "96.5"]]
            table = document.add_table(rows=len(rows), cols=3)
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    path = tmp_path / "report.docx"
    document.save(str(path))
    imported = import_report(path)
    assert components(imported) == [("履职效能", "49.65", "50"), ("管理效率", "46.85", "50")]
    assert facts(imported)["score.total"] == ("96.5", "96.5")
    conclusion = next(s for s in imported.sections if s.key == "conclusion").blocks
    assert conclusion[1:] == [
        "一级指标，分值，得分",
        "履职效能，50，49.65",
        "管理效率，50，46.85",
        "合计，100，96.5",
    ]
    assert findings(imported) == []


# ---- key tasks: numbered items, sentences --------------------------------------------------

ITEMS = VARIANTS / "key_task_items.txt"
SENTENCES = VARIANTS / "key_task_sentences.txt"


def key_tasks(imported: Imported) -> list[tuple[str, str]]:
    return [(t["name"], str(t["spending"])) for t in imported.facts.key_tasks]


def test_key_tasks_as_numbered_items() -> None:
    imported = import_report(ITEMS)
    assert key_tasks(imported) == [("法律援助项目", "150.00"), ("人民调解项目", "250.00")]
    # the total is the key tasks', not the project spending's
    assert facts(imported)["key_tasks.total"] == ("400.00", "400.00")
    assert facts(imported)["budget.expenditure.total"] == ("1900.00", "1,900.00")
    assert imported.notes == []
    effectiveness = next(s for s in imported.sections if s.key == "effectiveness").blocks
    assert effectiveness[0]["body"] == [
        "全年重点任务项目支出合计${key_tasks.total}万元。",
        {
            "title": "法律援助项目",
            "body": ["全年支出${key_tasks.items[0].spending}万元，办理法律援助案件1,200宗。"],
        },
        {
            "title": "人民调解项目",
            "body": ["全年支出${key_tasks.items[1].spending}万元，调解矛盾纠纷3,500宗。"],
        },
    ]
    assert findings(imported) == []
    assert slips(ITEMS) == []


def test_key_tasks_as_sentences() -> None:
    imported = import_report(SENTENCES)
    assert key_tasks(imported) == [
        ("疾病预防控制项目经费", "1200.00"),
        ("基层医疗卫生服务能力提升项目经费", "1800.00"),
    ]
    assert facts(imported)["key_tasks.total"] == ("3000.00", "3,000.00")
    assert imported.notes == []
    assert findings(imported) == []


@pytest.mark.parametrize("source", [ITEMS, SENTENCES], ids=["items", "sentences"])
def test_key_tasks_render_back_as_published(source: Path, tmp_path: Path) -> None:
    published, rendered = rendered_body(source, tmp_path)
    assert rendered == published


@pytest.mark.parametrize(
    ("source", "published", "slip", "expected"),
    [
        (ITEMS, "全年支出250.00万元", "全年支出260.00万元", "410.00"),
        (
            SENTENCES,
            "经费支出1,800.00万元",
            "经费支出1,900.00万元",
            "3,100.00",
        ),  # written as the report writes its figures
    ],
    ids=["items", "sentences"],
)
def test_key_tasks_that_do_not_add_up_are_found(
    source: Path, published: str, slip: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "published.txt"
    path.write_text(source.read_text(encoding="utf-8").replace(published, slip), encoding="utf-8")
    [found] = [s for s in slips(path) if " R204 " in s]
    assert f"应为 {expected}" in found


# ---- indicators under several lead-ins ---------------------------------------------------------


def test_indicators_of_each_lead_in() -> None:
    imported = import_report(SCORES)
    assert [
        (i["name"], i["category"], str(i["target"]), str(i["actual"]), i["rate"], i.get("reason"))
        for i in imported.facts.indicators
    ] == [
        ("档案数字化扫描量", "output", "40", "46", "115%", None),
        ("档案查阅满意度", "outcome", "95", "90", "94.74%", "主要原因是查档高峰期等候时间较长"),
    ]


def test_indicators_render_back_with_their_table(tmp_path: Path) -> None:
    published, rendered = rendered_body(SCORES, tmp_path)
    # reportgen prints the indicators it checks as a table after their section's text
    table = [p for p in rendered if p not in published]
    assert table == [
        "指标名称",
        "目标值",
        "实际值",
        "完成率",
        "档案数字化扫描量",
        "40万画幅",
        "46万画幅",
        "115.00%",
        "档案查阅满意度",
        "95%",
        "90%",
        "94.74%",
    ]
    assert [p for p in rendered if p in published] == published


# ---- sections numbered 1. 2. … -----------------------------------------------------------------

ARABIC = VARIANTS / "arabic_sections.txt"


def test_sections_numbered_in_arabic_are_the_layouts_sections() -> None:
    imported = import_report(ARABIC)
    assert [s.key for s in imported.sections] == [
        "functions",
        "annual_work",
        "goals",
        "finance",
        "performance_management",
        "conclusion",
        "effectiveness",
        "efficiency",
        "problems",
        "measures",
    ]
    assert imported.mapping.changes.model_dump(exclude_defaults=True) == {}
    assert imported.notes == [
        "“部门基本情况”下的节原文编为“1.”“2.”……，生成的报告按版式编为“（一）”“（二）”……",
        "“绩效自评情况”下的节原文编为“1.”“2.”……，生成的报告按版式编为“（一）”“（二）”……",
    ]
    # the （1）s under a section are its items, as they were
    efficiency = next(s for s in imported.sections if s.key == "efficiency").blocks
    assert efficiency == [{"numbered": ["预算管理：预算编制规范。", "资产管理：资产管理规范。"]}]
    assert findings(imported) == []
    assert slips(ARABIC) == []


def test_sections_numbered_in_arabic_render_with_the_layouts_numbers(tmp_path: Path) -> None:
    published, rendered = rendered_body(ARABIC, tmp_path)
    assert len(rendered) == len(published)
    assert [(a, b) for a, b in zip(published, rendered, strict=True) if a != b] == [
        ("1.部门职能", "（一）部门职能"),
        ("2.年度总体工作和重点工作任务", "（二）年度总体工作和重点工作任务"),
        ("3.部门整体支出绩效目标", "（三）部门整体支出绩效目标"),
        ("4.部门整体收支情况", "（四）部门整体收支情况"),
        ("5.部门整体绩效管理情况", "（五）部门整体绩效管理情况"),
        ("1.自评结论", "（一）自评结论"),
        ("2.履职效能分析", "（二）履职效能分析"),
        ("3.管理效率分析", "（三）管理效率分析"),
        ("（1）预算管理：预算编制规范。", "1.预算管理：预算编制规范。"),
        ("（2）资产管理：资产管理规范。", "2.资产管理：资产管理规范。"),
    ]


def test_a_comma_between_digits_that_may_group_them_reads_no_figure() -> None:
    """“３，１００万元” may be 3,100 or a count and 100: neither is put in the draft."""
    text = FULL_WIDTH.read_text(encoding="utf-8").replace("２，８５０．００万元", "２，８５０万元")
    imported = import_report_text(text)
    assert "budget.expenditure.total" not in imported.facts.found
    finance = next(s for s in imported.sections if s.key == "finance").blocks
    assert "全年支出２，８５０万元" in finance[0]


def test_key_tasks_in_a_joined_run_keep_their_words(tmp_path: Path) -> None:
    """“一是…；二是…” stays a joined block in the published words, its amounts placeholders."""
    imported = import_report(SYNTHETIC)
    assert key_tasks(imported) == [("甲项目经费", "120.00"), ("乙项目经费", "180.00")]
    assert all("text" not in task for task in imported.facts.key_tasks)
    effectiveness = next(s for s in imported.sections if s.key == "effectiveness").blocks
    assert effectiveness[0] == {
        "intro": "重点任务项目经费支出 ${key_tasks.total}万元：",
        "joined": [
            "甲项目经费支出 ${key_tasks.items[0].spending}万元，完成了甲",
            "乙项目经费支出 ${key_tasks.items[1].spending}万元，完成了乙",
        ],
    }
    published, rendered = rendered_body(SYNTHETIC, tmp_path)
    run = "重点任务项目经费支出300.00万元：一是甲项目经费支出120.00万元，完成了甲；二是乙项目经费支出180.00万元，完成了乙。"
    assert run in published
    assert run in rendered


# ---- key tasks in a table -----------------------------------------------------------------

TASK_TABLE = VARIANTS / "key_task_table.txt"  # pdftotext -layout of a .docx with the table
TASK_ROWS = [
    ["重点任务", "预算金额", "实际支出", "完成情况"],
    ["生活垃圾分类项目", "620.00", "600.00", "新增分类投放点120个"],
    ["市容环境整治项目", "420.00", "400.00", "整治背街小巷35条"],
    ["合计", "1,040.00", "1,000.00", ""],
]


def task_table_docx(path: Path, rows: list[list[str]]) -> Path:
    """The variant as a .docx: its paragraphs, and the key tasks as a Word table."""
    document = docx.Document()
    for line in TASK_TABLE.read_text(encoding="utf-8").splitlines():
        line = " ".join(line.split())
        if line.startswith("重点任务 预算金额"):
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
            break
        if line:
            document.add_paragraph(line)
    for line in [
        "（三）管理效率分析",
        "预算管理规范。",
        "三、存在的主要问题",
        "预算执行进度不均衡。",
    ]:
        document.add_paragraph(line)
    for line in ["四、下一步改进措施", "加强预算执行管理。"]:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def test_key_tasks_in_a_table_laid_out_in_columns() -> None:
    """A wrapped cell (“新增分类投放点 / 120 个”) is joined again; each row is one paragraph."""
    imported = import_report(TASK_TABLE)
    assert [
        (t["name"], str(t["spending"]), t["text"], t["sentence"]) for t in imported.facts.key_tasks
    ] == [
        (
            "生活垃圾分类项目",
            "600.00",
            "新增分类投放点120 个",
            "表格：生活垃圾分类项目，620.00，600.00，新增分类投放点120 个",
        ),
        (
            "市容环境整治项目",
            "400.00",
            "整治背街小巷 35 条",
            "表格：市容环境整治项目，420.00，400.00，整治背街小巷 35 条",
        ),
    ]
    assert facts(imported)["key_tasks.total"] == ("1000.00", "1,000.00")
    effectiveness = next(s for s in imported.sections if s.key == "effectiveness").blocks
    # the table's words stay; what the data holds prints from it
    assert effectiveness == [
        "重点任务完成情况如下表（单位：万元）：",
        "重点任务，预算金额，实际支出，完成情况",
        "生活垃圾分类项目，620.00，${key_tasks.items[0].spending}，${key_tasks.items[0].text}",
        "市容环境整治项目，420.00，${key_tasks.items[1].spending}，${key_tasks.items[1].text}",
        "合计，1,040.00，${key_tasks.total}",
    ]
    assert imported.notes == []
    assert findings(imported) == []
    assert slips(TASK_TABLE) == []


def test_key_tasks_in_a_table_render_back(tmp_path: Path) -> None:
    published, rendered = rendered_body(TASK_TABLE, tmp_path)
    assert rendered == published


def test_key_tasks_in_a_word_table(tmp_path: Path) -> None:
    path = task_table_docx(tmp_path / "report.docx", TASK_ROWS)
    imported = import_report(path)
    assert [(t["name"], str(t["spending"]), t["text"]) for t in imported.facts.key_tasks] == [
        ("生活垃圾分类项目", "600.00", "新增分类投放点120个"),
        ("市容环境整治项目", "400.00", "整治背街小巷35条"),
    ]
    assert facts(imported)["key_tasks.total"] == ("1000.00", "1,000.00")
    assert findings(imported) == []
    published, rendered = rendered_body(path, tmp_path / "rendered")
    assert rendered == published


def test_key_tasks_in_a_table_that_do_not_add_up_are_found(tmp_path: Path) -> None:
    rows = [list(row) for row in TASK_ROWS]
    rows[1][2] = "610.00"
    path = task_table_docx(tmp_path / "report.docx", rows)
    assert slips(path) == [
        "r: 错误 R204 key_tasks.total: 重点任务经费合计 1000.00 ≠ 生活垃圾分类项目 610.00"
        " + 市容环境整治项目 400.00 = 1010.00\n"
        "    应为 1,010.00，原文为 1,000.00\n"
        "    原文：“表格：合计，1,040.00，1,000.00”\n"
        "    原文：“表格：生活垃圾分类项目，620.00，610.00，新增分类投放点120个”\n"
        "    原文：“表格：市容环境整治项目，420.00，400.00，整治背街小巷35条”"
    ]


def test_key_tasks_in_yuan_that_whole_cents_cannot_hold_are_said(tmp_path: Path) -> None:
    rows = [["重点任务", "支出（元）", "完成情况"], ["甲项目", "1,234,567.89", "完成甲"]]
    rows += [["乙项目", "2,000,000.00", "完成乙"]]
    imported = import_report(task_table_docx(tmp_path / "report.docx", rows))
    assert [(t["name"], str(t.get("spending"))) for t in imported.facts.key_tasks] == [
        ("甲项目", "None"),
        ("乙项目", "200.00"),
    ]
    assert imported.notes == [
        "key_tasks.items[0].spending：原文为 1,234,567.89元，折合 123.456789 万元，超过两位小数；"
        "数据只能精确到 0.01 万元，未写入数据，正文保留原文（“表格：甲项目，1,234,567.89，完成甲”）；"
        "这一项数据必须有时，草稿中写作“待填写”，reportgen validate 会列出"
    ]
    # no total: a task may go without its spending, which the draft says where it would be
    assert (
        "    - name: 甲项目\n"
        "      # spending: 原文为 1,234,567.89元，折合 123.456789 万元，超过两位小数；"
        "数据只能精确到 0.01 万元，未写入数据；原文：“表格：甲项目，1,234,567.89，完成甲”\n"
        "      text: 完成甲\n"
    ) in draft_text(imported)
    assert findings(imported) == []


def test_a_total_in_yuan_that_whole_cents_cannot_hold_is_asked_for(tmp_path: Path) -> None:
    """The total cannot be left out: 待填写 where it goes, and why; validate lists that only."""
    path = tmp_path / "published.txt"
    text = FULL_WIDTH.read_text(encoding="utf-8")
    text = text.replace("全年支出２，８５０．００万元", "全年支出28,501,234.56元")
    path.write_text(text.replace("其中基本支出12,000,000.00元，项目支出16,500,000.00元。", ""))
    imported = import_report(path)
    sentence = (
        "２０２３年度年初预算３，０００．００万元，年中追加预算１００．００万元，"
        "全年支出28,501,234.56元，占全年预算的９５．００％。"
    )
    reason = "原文为 28,501,234.56元，折合 2850.123456 万元，超过两位小数；数据只能精确到 0.01 万元，未写入数据"
    assert f"    total: 待填写  # {reason}：请填写；原文：“{sentence}”\n" in draft_text(imported)
    assert findings(imported) == [
        "d.yaml:23:12 错误 S003 budget.expenditure.total: 应为金额（万元），实际为“待填写”"
    ]
    # audit holds it at the nearest 0.01 万元 and checks it within the cent either side: the
    # rate (2850.12 ÷ 3000 = 95.00%) agrees, and the report is checked as a whole
    audit = audit_file(path)
    assert audit.slips == []
    assert "budget.expenditure.total" in audit.checked
    slipped = path.read_text(encoding="utf-8").replace("９５．００％", "９６．００％")
    path.write_text(slipped, encoding="utf-8")
    assert [s.finding.code for s in audit_file(path).slips] == ["R106"]


def test_a_rule_that_a_cent_of_an_amount_in_yuan_can_turn_is_a_warning_that_says_so(
    tmp_path: Path,
) -> None:
    """支出合计 28,500,050.00元 is 2850.005 万元: the parts' 2850.00 is within the cent."""
    path = tmp_path / "published.txt"
    text = FULL_WIDTH.read_text(encoding="utf-8")
    path.write_text(text.replace("全年支出２，８５０．００万元", "全年支出28,500,050.00元"))
    [slip] = audit_file(path).slips
    assert (slip.finding.code, slip.finding.severity.value) == ("R101", "warning")
    assert slip.finding.message == (
        "原文以元写出（28,500,050.00元，折合 2850.005 万元），数据只能精确到 0.01 万元，"
        "在其精度内相符，无法更精确核对：按 2850.01 万元核对时，支出合计 2850.01 与 "
        "基本支出 1200.00 + 项目支出 1650.00 = 2850.00"
    )


# ---- an indicator table by levels ---------------------------------------------------------

_LEVELS = [
    ["一级指标", "二级指标", "三级指标", "年度目标值", "实际完成值", "完成率"],
    ["产出指标", "数量指标", "培训人数", "80人次", "88人次", "110%"],
    ["效益指标", "社会效益指标", "新增学位数", "6,000个", "6,480个", "108%"],
    ["满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "95.2%", "105.78%"],
]


def _with_indicator_table(tmp_path: Path, rows: list[list[str]]) -> Path:
    """The synthetic report as a .docx, its indicators in a table by levels."""
    document = docx.Document()
    for line in SYNTHETIC.read_text(encoding="utf-8").splitlines():
        if line.startswith("产出指标完成情况"):
            document.add_paragraph("主要绩效指标完成情况见下表：")
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
        else:
            document.add_paragraph(line)
    path = tmp_path / "levels.docx"
    document.save(str(path))
    return path


def test_an_indicator_table_by_levels_gives_each_its_category_and_figures(
    tmp_path: Path,
) -> None:
    """一级指标 names the category (it was “other” for every row); a figure grouped by
    thousands (“6,000个”) is a figure (it was “not a value”, the row unchecked)."""
    imported = import_report(_with_indicator_table(tmp_path, _LEVELS))
    assert [
        (i["name"], i["category"], str(i["target"]), str(i["actual"]), i["unit"])
        for i in imported.facts.indicators
    ] == [
        ("培训人数", "output", "80", "88", "人次"),
        ("新增学位数", "outcome", "6000", "6480", "个"),
        ("家长满意度", "satisfaction", "90", "95.2", "%"),
    ]
    assert [n for n in imported.notes if "不是数值" in n] == []
    slipped = [*_LEVELS[:2], [*_LEVELS[2][:5], "110%"], _LEVELS[3]]
    assert slips(_with_indicator_table(tmp_path, slipped)) == [
        "r: 错误 R205 indicators[1].rate: 新增学位数完成率 110% ≠ 实际值 6480 ÷ 目标值 6000 = "
        "108.00%\n    应为 108.00%，原文为 110%\n"
        "    原文：“表格：效益指标，社会效益指标，新增学位数，6,000个，6,480个，110%”"
    ]


# ---- a table of one row of figures under their names ---------------------------------------

_BUDGET_LINE = "2024年度年初预算 1,000.00万元，调整预算 1,200.00万元。"


def _with_labelled_tables(tmp_path: Path, other: str = "100.00") -> Path:
    """The synthetic report as a .docx, its income and spending in tables of one row."""
    document = docx.Document()
    for line in SYNTHETIC.read_text(encoding="utf-8").splitlines():
        if not line.startswith(_BUDGET_LINE):
            document.add_paragraph(line)
            continue
        document.add_paragraph(_BUDGET_LINE + "预算执行率为 95.83%。")
        for caption, rows in (
            (
                "表1 收入情况（万元）",
                [["收入合计", "财政拨款收入", "其他收入"], ["1,200.00", "1,100.00", other]],
            ),
            (
                "表2 支出情况（单位：万元）",
                [["支出合计", "基本支出", "项目支出"], ["1,150.00", "800.00", "350.00"]],
            ),
        ):
            document.add_paragraph(caption)
            table = document.add_table(rows=2, cols=3)
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    path = tmp_path / "labelled.docx"
    document.save(str(path))
    return path


def test_a_table_of_one_row_under_the_names_of_its_figures_is_read(tmp_path: Path) -> None:
    """收入合计｜财政拨款收入｜其他收入 over one row of figures, its unit in the caption: each
    figure named by its heading as a sentence names it (they were not even counted as found)."""
    path = _with_labelled_tables(tmp_path)
    audit = audit_file(path)
    assert (audit.ok, audit.slips) == (True, [])
    assert {
        "budget.income.total",
        "budget.income.sources[0].amount",
        "budget.income.sources[1].amount",
        "budget.expenditure.total",
    } <= set(audit.checked)
    assert slips(_with_labelled_tables(tmp_path, "110.00")) == [
        "r: 错误 R103 budget.income.total: 收入合计 1200.00 ≠ 财政拨款收入 1100.00 + 其他收入 110.00"
        " = 1210.00\n    应为 1,210.00，原文为 1,200.00\n"
        "    原文：“表格：收入合计1,200.00，财政拨款收入1,100.00，其他收入110.00”"
    ]


# ---- a budget table laid out in columns, its cells wrapped ------------------------------------

# as pdftotext -layout gives a Word table whose headings and row names wrap onto more lines
_WRAPPED_BUDGET = """2024年度部门收支情况表（单位：万元）

项目        年初预算数      调整后预算数     全年支出数      预算执行率
          （万元）       （万元）       （万元）

基本支出（人    820.00     820.00     800.00     97.56%
员经费和公用
经费）

项目支出（专    380.00     380.00     350.00     92.11%
项业务经费）

合计        1,000.00   1,200.00   1,150.00   95.83%
"""


def test_a_laid_out_budget_table_whose_cells_wrap_is_read_row_by_row() -> None:
    """The rest of a heading (（万元）) and of a row's name (员经费和公用, 经费）) stand on lines
    of their own: joined to the cells above, the rows are read and kept whole (the table ended
    at the first such line, and the next row was taken for a header)."""
    text = SYNTHETIC.read_text(encoding="utf-8")
    text = text.replace(
        "（五）部门整体绩效管理情况", _WRAPPED_BUDGET + "（五）部门整体绩效管理情况", 1
    )
    imported = import_report_text(text)
    finance = next(s for s in imported.sections if s.key == "finance").blocks
    basic, project = "${budget.expenditure.basic.", "${budget.expenditure.project."
    assert finance[-4:] == [
        "项目  年初预算数（万元）  调整后预算数（万元）  全年支出数（万元）  预算执行率",
        f"基本支出（人员经费和公用经费）  820.00  {basic}budget}}  {basic}amount}}"
        f"  {basic}execution_rate}}",
        f"项目支出（专项业务经费）  380.00  {project}budget}}  {project}amount}}"
        f"  {project}execution_rate}}",
        "合计  ${budget.initial}  ${budget.adjusted}  ${budget.expenditure.total}"
        "  ${budget.execution_rate}",
    ]
    assert findings(imported) == []
    # the row is read: a figure unlike the prose's is found where the table states it
    slipped = import_report_text(text.replace("820.00     800.00", "820.00     810.00", 1))
    [conflict] = slipped.facts.conflicts
    assert (conflict.path, conflict.sentence) == (
        "budget.expenditure.basic.amount",
        "表格：基本支出（人员经费和公用经费），820.00，820.00，810.00，97.56%",
    )
