"""A self-assessment report as a department might write it in Word, its figures in tables laid
out the common ways that reportgen's own template does not use: a budget table whose header has
two rows (“预算数” merged over 年初预算｜调整预算, the other headings merged down), an indicator
table of 一级/二级/三级指标 with merged cells and names narrow enough to wrap over two or three
lines, long enough to break across a page, and a budget table by 功能分类. Turned into PDF by
LibreOffice in the tests, read back through ``pdftotext -layout``."""

from __future__ import annotations

import itertools
from pathlib import Path

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

TITLE = "2024年度某某区水务局部门整体支出绩效自评报告"

# 项目 | 年初预算 | 调整预算 | 决算支出 | 执行率: the adjusted budget is each row's budget
BUDGET = [
    ["基本支出", "1,620.00", "1,688.40", "1,650.12", "97.73%"],
    ["其中：人员经费", "1,400.00", "1,452.00", "1,430.55", "98.52%"],
    ["公用经费", "220.00", "236.40", "219.57", "92.88%"],
    ["项目支出", "5,300.00", "6,115.60", "5,802.33", "94.88%"],
    ["合计", "6,920.00", "7,804.00", "7,452.45", "95.50%"],
]

# 功能分类 | 年初预算 | 调整预算 | 决算支出 | 执行率
BY_FUNCTION = [
    ["一般公共服务支出", "210.00", "226.00", "221.47", "98.00%"],
    ["农林水支出", "6,480.00", "7,318.00", "6,980.16", "95.38%"],
    ["住房保障支出", "230.00", "260.00", "250.82", "96.47%"],
    ["合计", "6,920.00", "7,804.00", "7,452.45", "95.50%"],
]

# 一级 | 二级 | 三级 | 年度目标值 | 实际完成值 | 完成率 | 偏差原因分析 (merged 一级/二级 left blank)
INDICATORS = [
    ["产出指标", "数量指标", "河涌清淤疏浚长度", "≥35公里", "36.4公里", "104.00%", ""],
    ["", "", "排水管网修复长度", "≥48公里", "50.2公里", "104.58%", ""],
    ["", "", "新建改造供水管网", "≥60公里", "57公里", "95.00%", "部分路段征地未完成，年内未能开工"],
    ["", "", "水闸泵站维修养护座数", "=42座", "42座", "100.00%", ""],
    ["", "质量指标", "城镇污水集中收集率", "≥75%", "77.3%", "103.07%", ""],
    ["", "", "水利工程验收合格率", "=100%", "100%", "100.00%", ""],
    ["", "", "农村集中供水水质达标率", "≥95%", "97.2%", "102.32%", ""],
    ["", "时效指标", "防汛物资补充及时率", "≥95%", "98%", "103.16%", ""],
    ["", "成本指标", "每公里河涌保洁成本", "≤3.2万元", "3.05万元", "104.92%", ""],
    ["效益指标", "社会效益指标", "城市内涝积水点消除数", "≥12个", "13个", "108.33%", ""],
    ["", "", "防洪排涝达标堤防长度", "≥80公里", "82.5公里", "103.13%", ""],
    ["", "生态效益指标", "地表水国考断面水质达标率", "=100%", "100%", "100.00%", ""],
    ["", "", "河湖水域岸线保护率", "≥90%", "91.8%", "102.00%", ""],
    ["满意度指标", "服务对象满意度指标", "沿河居民满意度", "≥90%", "92.5%", "102.78%", ""],
    ["", "", "供水用户满意度", "≥88%", "86.2%", "97.95%", "停水检修通知不够及时，部分用户不满意"],
]
INDICATOR_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度目标值",
    "实际完成值",
    "完成率",
    "偏差原因分析",
]

_BEFORE = [
    "附件2",
    TITLE,
    "一、部门基本情况",
    "（一）部门职能",
    "1.负责全区水资源的合理开发利用和保护，组织实施最严格水资源管理制度。",
    "2.负责全区水利工程、排水设施和供水设施的建设、运行与管理。",
    "3.负责全区防汛防旱和河湖长制的组织协调工作。",
    "（二）年度总体工作和重点工作任务",
    "2024年，区水务局围绕水安全、水环境、水生态、水资源统筹治理，重点推进河涌综合整治、"
    "排水管网修复和供水管网改造三项工作。",
    "（三）部门整体收支情况",
]
_MIDDLE = [
    "（四）部门整体绩效管理情况",
    "1.绩效目标管理。全部预算项目均设置绩效目标，目标与年度工作任务相匹配，并随部门预算公开。",
    "2.绩效运行监控。按季度对预算执行进度和绩效目标完成情况开展监控，对支出进度滞后的项目及时督办。",
    "二、绩效自评情况",
    "（一）自评结论",
    "本局2024年度部门整体支出绩效自评得分为93.40分，其中履职效能得分46.90分（满分50分），"
    "管理效率得分46.50分（满分50分），自评等级为“优”。",
    "（二）履职效能分析",
]
_FILLER = [
    "全年围绕河涌综合整治持续推进清淤疏浚、截污纳管和岸线整治，结合水质监测数据对重点河段开展"
    "动态巡查，及时处置排口溢流和违法排污问题，推动河湖水环境质量稳步提升。",
    "加强排水设施运行管理，对老旧排水管网开展检测评估，按轻重缓急分批修复破损管段，"
    "汛前完成雨水口和排水管渠清疏，城区内涝风险明显降低。",
    "推进供水管网改造，优先更换使用年限长、漏损率高的老旧管道，同步完善二次供水设施，"
    "供水保障能力和水质稳定性进一步提高。",
    "落实河湖长制，组织各级河长开展常态化巡河，建立问题清单和整改台账，"
    "对侵占河道、违法搭建等问题依法处置，河湖面貌持续改善。",
    "强化防汛防旱准备，修订完善应急预案，补充储备防汛物资，开展实战化演练，"
    "汛期安全度汛，未发生因灾死亡事件。",
    "深化水务领域“放管服”改革，排水许可等事项实现全程网办，办理时限进一步压缩，"
    "企业和群众办事更加便利。",
]
_AFTER = [
    "（三）管理效率分析",
    "1.预算管理。预算编制细化到具体项目，支出进度基本均衡。",
    "2.资产管理。完成年度资产清查，资产账实相符。",
    "三、存在的主要问题",
    "一是部分供水管网改造项目受征地影响未能按期开工；二是停水检修的通知不够及时。",
    "四、下一步改进措施",
    "一是提前开展项目用地预审；二是完善停水检修的通知机制。",
]


def _grid(document: docx.document.Document, rows: list[list[str]], widths: list[float]) -> Table:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.width = Cm(widths[j])
            if value:
                cell.text = value
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
    return table


def _centre(table: Table, rows: int) -> None:
    """Headings centred across and down their cells, as many departments set them."""
    for row in table.rows[:rows]:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_numbers(document: docx.document.Document) -> None:
    """“— 3 —” centred at the foot of each page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def report_docx(
    path: Path,
    *,
    budget: list[list[str]] = BUDGET,
    by_function: list[list[str]] | None = None,
    indicators: list[list[str]] = INDICATORS,
    centred: bool = False,
    filler: int = 5,
) -> Path:
    """The report, its budget table's header in two rows (none when ``budget`` is empty; given
    ``by_function``, a budget table by 功能分类 after it); ``filler`` paragraphs before the indicator table move it so
    that it breaks across a page; ``centred`` centres the headings."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(14)  # type: ignore[union-attr]
    for line in _BEFORE:
        document.add_paragraph(line)
    if budget:
        document.add_paragraph("2024年度部门预算安排及执行情况见下表。")
        document.add_paragraph("单位：万元")
        header = [
            ["项目", "预算数", "", "决算支出", "执行率"],
            ["", "年初预算", "调整预算", "", ""],
        ]
        table = _grid(document, [*header, *budget], [3.0, 2.6, 2.6, 2.6, 2.2])
        table.cell(0, 1).merge(table.cell(0, 2))
        for column in (0, 3, 4):
            table.cell(0, column).merge(table.cell(1, column))
        if centred:
            _centre(table, 2)
        whole = budget[-1]
        document.add_paragraph(
            f"2024年度部门年初预算{whole[1]}万元，调整预算{whole[2]}万元，全年支出{whole[3]}万元，"
            f"预算执行率{whole[4]}。"
        )
    if by_function is not None:
        document.add_paragraph("按支出功能分类，2024年度预算执行情况如下（单位：万元）：")
        rows = [["功能分类", "年初预算", "调整预算", "决算支出", "执行率"], *by_function]
        _grid(document, rows, [4.0, 2.4, 2.4, 2.4, 2.0])
    for line in _MIDDLE:
        document.add_paragraph(line)
    for n in range(filler):
        document.add_paragraph(_FILLER[n % len(_FILLER)])
    document.add_paragraph("本局部门整体绩效指标完成情况如下：")
    rows = [INDICATOR_HEADER, *indicators]
    table = _grid(document, rows, [1.6, 1.9, 3.2, 1.9, 1.9, 1.8, 3.0])
    for column in (0, 1):  # each name merged down to the next named row
        starts = [i for i, row in enumerate(rows) if i and row[column]] + [len(rows)]
        for start, end in itertools.pairwise(starts):
            if end - start > 1:
                table.cell(start, column).merge(table.cell(end - 1, column))
    if centred:
        _centre(table, 1)
    repeat = OxmlElement("w:tblHeader")  # the header printed again atop the next page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    _page_numbers(document)
    for line in _AFTER:
        document.add_paragraph(line)
    document.save(str(path))
    return path
