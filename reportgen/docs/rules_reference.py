"""docs/rules.md, generated: every code reportgen prints, with an input that fails it, the
lines reportgen prints for that input (produced here, by validating it) and how to fix it.

Why one module: half of it is FILE_CODES, the table of codes found before any rule runs with their
failing inputs and fixes — data the page is generated from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.rules import RULES, Example, arithmetic
from reportgen.check.validate import validate_file, validate_text
from reportgen.docs.markdown import markdown_cell
from reportgen.findings import Severity
from reportgen.layout.outline import OUTLINE_FILE
from reportgen.layout.search import DEFAULT_LAYOUT, TEMPLATE_FILE, LayoutSearch, templates_dir
from reportgen.model.amounts import MAX_QUANTITY, MAX_QUANTITY_DECIMALS, MAX_RATE
from reportgen.model.samples import SAMPLE
from reportgen.read.counts import MAX_INDICATORS, MAX_LIST_ITEMS, MAX_PARAGRAPHS, MAX_SECTIONS
from reportgen.read.text import MAX_FILE_BYTES

EXAMPLE_FILE = "我的部门.yaml"
LAYOUTS_FOLDER = "版式"
LAYOUT_NAME = "我的版式"


@dataclass(frozen=True)
class RawExample:
    """A failing input that is not YAML text: ``note`` says what it is, in Chinese;
    ``content`` makes its bytes from the text of the sample report."""

    note: str
    content: Callable[[str], bytes]


@dataclass(frozen=True)
class LayoutExample:
    """A layout folder 版式/我的版式, a copy of the built-in ``default`` with one mistake: ``outline``
    edits its outline.yaml, or ``without_template`` leaves out its template.docx. The data
    names it (``layout: 我的版式``) and is checked with ``--templates 版式``."""

    note: str
    outline: Example | None = None
    without_template: bool = False


AnyExample = Example | RawExample | LayoutExample


@dataclass(frozen=True)
class FileCode:
    """A code of a problem found before any rule runs: in the file, its YAML or the schema."""

    summary: str
    examples: tuple[AnyExample, ...]
    fix: str


def _many_indicators(sample: str) -> bytes:
    """The sample with one indicator more than the limit allows."""
    extra = "".join(
        f"  - {{name: 指标{i}, category: output, target: 1, actual: 1, unit: 个, rate: 100%}}\n"
        for i in range(MAX_INDICATORS + 1)
    )
    return sample.replace("indicators:\n", f"indicators:\n{extra}", 1).encode("utf-8")


_ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcde", "bcdef", strict=True)
)

FILE_CODES: dict[str, FileCode] = {
    "E001": FileCode(
        "不是文本文件（二进制）",
        (
            RawExample(
                "把一个 Word 文件（.docx）改名为 我的部门.yaml",
                lambda sample: b"PK\x03\x04\x14\x00\x06\x00" + bytes(256),
            ),
        ),
        "数据文件应是纯文本的 YAML 文件：用 `reportgen init` 生成，用记事本、VS Code 或 WPS 的"
        "“纯文本”方式编辑，不要用 Word、Excel 另存。",
    ),
    "E002": FileCode(
        "不是 UTF-8 编码（指明 GBK/GB18030、Big5、UTF-16 等）",
        (
            RawExample(
                "示例数据用记事本以“ANSI”（GBK）编码保存", lambda sample: sample.encode("gb18030")
            ),
            RawExample(
                "示例数据用记事本以“Unicode”（UTF-16）编码保存",
                lambda sample: sample.encode("utf-16"),
            ),
        ),
        "用编辑器“另存为”，编码选 UTF-8（记事本：“编码”下拉框选“UTF-8”；VS Code：右下角的编码 → "
        "“通过编码保存” → UTF-8）。",
    ),
    "E003": FileCode(
        f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MiB，未读取",
        (
            RawExample(
                "一个 3 MiB 的文件（例如把大段材料整个粘贴进了数据文件）",
                lambda sample: b"#" * (3 * 1024 * 1024),
            ),
        ),
        "一个部门一年的数据只有几十 KB；请删去粘贴进来的大段材料，报告正文只写要印出的文字。",
    ),
    "E004": FileCode(
        "节点过多、嵌套过深或锚点/别名展开过多（billion laughs），已停止读取",
        (Example("", _ALIAS_BOMB, whole=True),),
        "不要用锚点（&）和别名（*）复制内容，把内容直接写出；检查括号“[ ]”“{ }”是否配对。",
    ),
    "E005": FileCode(
        "键不是一段文字",
        (
            Example(
                "  internal_units: [办公室, 预算科, 绩效科]", "  [办公室, 预算科, 绩效科]: 内设机构"
            ),
        ),
        "键（冒号前面的部分）只能是一个名称，如 `internal_units:`；列表写在冒号后面。",
    ),
    "E006": FileCode(
        "同一层的键重复",
        (
            Example(
                "  goals: 提高财政资金使用效益。\n",
                "  goals: 提高财政资金使用效益。\n  goals: 加强预算绩效管理。\n",
            ),
        ),
        "同一层的键只能写一次：删去其中一个，或把两段内容合并到一处。",
    ),
    "E007": FileCode(
        "不支持合并键 <<",
        (
            Example(
                "      personnel: {amount: 700.00, purpose: 人员工资}\n"
                "      public: {amount: 140.00, purpose: 日常办公}",
                "      personnel: &staff {amount: 700.00, purpose: 人员工资}\n"
                "      public: {<<: *staff, amount: 140.00}",
            ),
        ),
        "把要合并的内容直接写出来（`public: {amount: 140.00, purpose: 日常办公}`），不用 `<<`、`&`、`*`。",
    ),
    "E008": FileCode(
        "不支持 YAML 标签（! 或 !! 开头）",
        (Example("  goals: 提高财政资金使用效益。", "  goals: !important 提高财政资金使用效益。"),),
        "以“!”开头的文字要加引号：`goals: '!important 提高财政资金使用效益。'`；或删去“!…”。",
    ),
    "E010": FileCode(
        "YAML 语法错误（制表符、冒号、引号、括号、缩进、控制字符等，各有具体说明）",
        (
            Example("year: 2024", "year：2024"),
            Example(
                "  initial: 1000.00",
                "\tinitial: 1000.00",
                note="用 Tab 键缩进（看上去与空格一样）",
            ),
            Example(
                "  goals: 提高财政资金使用效益。",
                "  goals: 目标: 提高财政资金使用效益。",
                note="文字中有半角冒号加空格",
            ),
        ),
        "按消息所说改正这一行（或上一行）：键后面用半角冒号加一个空格，用空格而不用 Tab 缩进，"
        "同一层的键左对齐，引号和括号成对；文字中有“: ”时给整段文字加引号"
        "（`goals: '目标: 提高财政资金使用效益。'`）。",
    ),
    "E011": FileCode(
        "文件是空的",
        (Example("", "# 还没有填写\n", whole=True),),
        "用 `reportgen init 我的部门.yaml` 生成一份数据模板，再按注释填写。",
    ),
    "E012": FileCode(
        "顶层不是“键: 值”映射",
        (Example("", "- 2024\n- 广州市示例区财政局\n", whole=True),),
        "文件最外层应是 `year: 2024`、`department: …` 这样的“键: 值”，不是列表或一段文字；"
        "可参照 `reportgen init` 生成的模板。",
    ),
    "E013": FileCode(
        f"条目过多（指标 {MAX_INDICATORS} 个、节 {MAX_SECTIONS} 个、正文 {MAX_PARAGRAPHS:,} 段、"
        f"一个列表 {MAX_LIST_ITEMS:,} 项），已停止校验",
        (RawExample("由程序生成的数据，指标多达五百多个", _many_indicators),),
        "一份自评报告只有几十个指标、十几节、几百段文字；超出上限多半是生成数据的程序出了错，"
        "或把多个部门、多年的内容写进了一个文件：删去多余的条目，一个部门一年写一个文件。",
    ),
    "S001": FileCode(
        "缺少必填项",
        (Example("department: 广州市示例区财政局\n", ""),),
        "补写消息中的必填项（字段说明见 docs/yaml-format.md）。",
    ),
    "S002": FileCode(
        "未知的键（附“是否想写”的建议）",
        (Example("  goals: 提高财政资金使用效益。", "  goal: 提高财政资金使用效益。"),),
        "按“是否想写”的提示改正拼写；没有提示时，消息列出了此处可用的键。",
    ),
    "S003": FileCode(
        "取值无效（类型、数字格式、范围、控制字符等）",
        (
            Example("  initial: 1000.00", "  initial: 1000.00万元"),
            Example("year: 2024", "year: 2024年"),
        ),
        "按消息改正取值：金额只写数字（单位固定为万元），比率写 95.00% 或 95.00，年度只写 2024，"
        "等级只能是优、良、中、差。",
    ),
    "R012": FileCode(
        "导入时猜测的断行或标题、原文前后不一致的数（草稿中“# 【待核对】”注释）尚未核对",
        (
            Example(
                "  goals: 提高财政资金使用效益。",
                "  goals: 提高财政资金使用效益。  # 【待核对】“提高财政资金”与下一段“使用效益”"
                "原文在换页处断开，已分为两段，而句子没有结束；如是同一段，请把两项接起来",
            ),
        ),
        "reportgen import 把 PDF 文字的断行接成段落、把与正文同行的标题分开时，有些地方只能猜："
        "一句话在换页处被分成了两段，以“。”结尾的整行接上了下一页，或标题与正文原在同一行。"
        "草稿在这一行末尾写了“# 【待核对】”注释并说明是哪里。对照原文核对（需要时把两项接起来或拆开），"
        "然后删去这条注释，警告即消失。原文把同一个数写了两处而两处不同（如正文中的执行率 97.73%、表格中的"
        " 96.73%）时，数据中是前一处，后一处照原文留在正文中并同样注明：改为数据中的数（或 ${…}）后删去注释。"
        "`reportgen audit` 把这样的不一致报为错误 R012，列出两处原句。",
    ),
    "L001": FileCode(
        "版式大纲 outline.yaml 中章或节的键名重复（E0xx、S00x 也用于大纲文件，指明其行号）",
        (
            LayoutExample(
                f"版式文件夹 {LAYOUTS_FOLDER}/{LAYOUT_NAME}（复制自 default）的 outline.yaml 中"
                "两节用了同一个键名",
                outline=Example("      - key: goals\n", "      - key: functions\n"),
            ),
        ),
        "每一章、每一节的键名（key）都不能相同：改正重复的那个。改完用 "
        "`reportgen layout check 版式名 --templates 文件夹` 检查版式。",
    ),
    "L002": FileCode(
        "版式文件夹中缺少 template.docx 或 outline.yaml",
        (
            LayoutExample(
                f"版式文件夹 {LAYOUTS_FOLDER}/{LAYOUT_NAME}（复制自 default）中删去了 template.docx",
                without_template=True,
            ),
        ),
        "版式文件夹中要有模板 template.docx 和大纲 outline.yaml 两个文件；"
        "用 `reportgen layout new 版式名 --from default` 复制一个完整的版式再修改。",
    ),
    "L003": FileCode(
        "版式大纲超出上限（文件 64 KiB、30 章、共 200 节）",
        (
            LayoutExample(
                f"版式文件夹 {LAYOUTS_FOLDER}/{LAYOUT_NAME}（复制自 default）的 outline.yaml 中"
                "加了 30 个空章",
                outline=Example(
                    "chapters:\n",
                    "chapters:\n"
                    + "".join(f"  - {{key: empty{i}, heading: 空章}}\n" for i in range(30)),
                ),
            ),
        ),
        "一份报告的大纲只有几章、十几节；超出上限多半是生成大纲的程序出了错，删去多余的章节。"
        "标题最长 60 字，键名最长 40 个字符。",
    ),
}


def _sample_of(example: AnyExample) -> str:
    """The sample file an example changes: complete.yaml, or the one it names."""
    name = example.sample if isinstance(example, Example) else SAMPLE.name
    return (SAMPLE.parent / name).read_text(encoding="utf-8")


def write_example(example: AnyExample, folder: Path) -> None:
    """Write the files of ``example`` into ``folder``: the data file, and a layout's folder."""
    sample = _sample_of(example)
    if isinstance(example, RawExample):
        data = example.content(sample)
    elif isinstance(example, Example):
        data = example.apply(sample).encode("utf-8")
    else:
        layout = folder / LAYOUTS_FOLDER / LAYOUT_NAME
        shutil.copytree(templates_dir() / DEFAULT_LAYOUT, layout)
        if example.outline is not None:
            outline = layout / OUTLINE_FILE
            outline.write_text(
                example.outline.apply(outline.read_text(encoding="utf-8")), encoding="utf-8"
            )
        if example.without_template:
            (layout / TEMPLATE_FILE).unlink()
        data = Example("layout: default", f"layout: {LAYOUT_NAME}").apply(sample).encode("utf-8")
    (folder / EXAMPLE_FILE).write_bytes(data)


def example_arguments(example: AnyExample) -> list[str]:
    """The ``reportgen`` command line that checks the example, run in its folder."""
    if isinstance(example, LayoutExample):
        return ["validate", EXAMPLE_FILE, "--templates", LAYOUTS_FOLDER]
    return ["validate", EXAMPLE_FILE]


def printed_lines(example: AnyExample) -> list[str]:
    """What ``reportgen validate`` prints for the example, one line per finding, with the
    paths of its files as seen from its folder."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_example(example, folder)
        # as the command line of the example: --templates only for a layout's example
        layouts = (folder / LAYOUTS_FOLDER,) if isinstance(example, LayoutExample) else ()
        search = LayoutSearch(layouts)
        outcome = validate_file(folder / EXAMPLE_FILE, EXAMPLE_FILE, search)
        return [f.as_text().replace(f"{folder}{os.sep}", "") for f in outcome.findings]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def excerpt(example: Example, sample: str) -> str:
    """The failing YAML: the lines ``example`` edits in ``sample``, marked with their line
    numbers, under the keys that hold them."""
    if example.whole:
        return example.after.rstrip("\n")
    failing = example.apply(sample)
    lines = failing.split("\n")
    # whole lines the edit keeps at its start are context, not change
    kept = ""
    for old, new in zip(
        example.before.splitlines(keepends=True),
        example.after.splitlines(keepends=True),
        strict=False,
    ):
        if old != new or not old.endswith("\n"):
            break
        kept += old
    before, after = example.before[len(kept) :], example.after[len(kept) :]
    start = sample.index(example.before) + len(kept)
    first = failing.count("\n", 0, start)
    whole_lines_removed = (
        not after and before.endswith("\n") and (start == 0 or sample[start - 1] == "\n")
    )
    if whole_lines_removed:
        removed = before.split("\n")[0]
        depth = _indent(removed)
        shown = [f"{' ' * depth}# （删去了这一行：{removed.strip()}）"]
    else:
        last = failing.count("\n", 0, start + len(after.rstrip("\n")))
        shown = [f"{lines[i]}  # ← 第{i + 1}行" for i in range(first, last + 1)]
        depth = min(_indent(lines[i]) for i in range(first, last + 1))
    parents: list[str] = []
    for line in reversed(lines[:first]):
        if line.strip() and not line.lstrip().startswith("#") and _indent(line) < depth:
            parents.insert(0, line)
            depth = _indent(line)
    return "\n".join([*parents, *shown])


def _code_section(code: str, summary: str, examples: Sequence[AnyExample], fix: str) -> list[str]:
    lines = [f"### {code} {summary}", ""]
    for example in examples:
        if example.note:
            lines += [f"例：{example.note}。", ""]
        if isinstance(example, Example):
            shown = excerpt(example, _sample_of(example))
            lines += ["```yaml", shown, "```", ""]
        elif isinstance(example, LayoutExample) and example.outline is not None:
            outline = (templates_dir() / DEFAULT_LAYOUT / OUTLINE_FILE).read_text(encoding="utf-8")
            lines += ["```yaml", excerpt(example.outline, outline), "```", ""]
        command = " ".join(["reportgen", *example_arguments(example)])
        lines += [f"`{command}` 输出：", "", "```text", *printed_lines(example), "```", ""]
    return [*lines, f"改法：{fix}", ""]


_TRAINING = "{name: 培训人次, sign: ≥, target: 100, actual: 90, unit: 人次, weight: 10, score: 9,"


def _training(actual: str, score: str) -> str:
    return _TRAINING.replace("target: 100, actual: 90", f"target: 1000, actual: {actual}").replace(
        "score: 9,", f"score: {score},"
    )


# (what is computed, an edit of the sample that states it, the rule that compares them,
# the sample file)
_TOLERANCE_CASES: list[tuple[str, str, list[tuple[str, str]], str, str]] = [
    (
        "支出合计 = 基本支出 840.00 + 项目支出 300.00 = 1140.00",
        "    total: 1140.00",
        [(f"    total: {v}", v) for v in ("1140.00", "1140.02", "1139.98", "1140.03", "1141")],
        "R101",
        SAMPLE.name,
    ),
    (
        "自评得分 = 履职效能 46 + 管理效率 46.5 = 92.5",
        "  total: 92.5",
        [(f"  total: {v}", v) for v in ("92.5", "92.50", "92.52", "92.53", "92.7", "92.8")],
        "R201",
        SAMPLE.name,
    ),
    (
        "预算执行率 = 支出合计 1140.00 ÷ 调整预算 1200.00 = 95%",
        "  execution_rate: 95.00%",
        [
            (f"  execution_rate: {v}", v)
            for v in ("95%", "95.0%", "95.00%", "95.01%", "94.99%", "95.02%", "95.1%", "96%")
        ],
        "R106",
        SAMPLE.name,
    ),
    (
        "项目支出执行率 = 项目支出 300.00 ÷ 预算 320.00 = 93.75%",
        "      execution_rate: 93.75%",
        [(f"      execution_rate: {v}", v) for v in ("93.75%", "93.8%", "93.7%", "94%", "93.6%")],
        "R107",
        SAMPLE.name,
    ),
    (
        "自评表指标得分 = 分值 10 × 完成率 98.10% = 9.81",
        _TRAINING,
        [(_training("981", v), v) for v in ("9.81", "9.8", "9.82", "9.9", "10")],
        "R301",
        "table.yaml",
    ),
    (
        "自评表指标得分 = 分值 10 × 完成率 99.90% = 9.99",
        _TRAINING,
        [(_training("999", v), v) for v in ("9.99", "10.0", "10")],
        "R301",
        "table.yaml",
    ),
    (
        "自评表指标得分 = 分值 10（达到目标，得满分）= 10",
        _TRAINING,
        [(_training("1000", v), v) for v in ("10", "10.00")],
        "R301",
        "table.yaml",
    ),
]

_VERDICT = {None: "相符", Severity.WARNING: "警告：尾数误差", Severity.ERROR: "**错误**"}


def _tolerance_table() -> list[str]:
    """Stated figures against computed ones, as validation judges them."""
    rows = ["| 计算 | 所写的数 | 结果 |", "| --- | --- | --- |"]
    for computed, before, statements, code, name in _TOLERANCE_CASES:
        sample = (SAMPLE.parent / name).read_text(encoding="utf-8")
        for after, stated in statements:
            text = Example(before, after).apply(sample)
            found = [f for f in validate_text(text).findings if f.code == code]
            verdict = _VERDICT[found[0].severity if found else None]
            shown = computed if after == statements[0][0] else ""
            rows.append(f"| {shown} | {stated} | {verdict} |")
    return rows


def rules_reference() -> str:
    """Markdown for docs/rules.md."""
    money_unit = arithmetic.unit(arithmetic.MONEY_PLACES)
    rate_unit = arithmetic.unit(arithmetic.RATE_PLACES)
    rules = sorted(RULES.values(), key=lambda r: r.code)
    lines = [
        "# 校验规则 / Rules",
        "",
        "本页由 `reportgen/rules_reference.py` 根据 `reportgen/rules/` 中的规则生成，请勿手改；"
        "代码（E001、R101 等）固定不变。Generated from the code; do not edit by hand.",
        "",
        "`reportgen validate` 发现的每个问题印成一行：",
        "",
        "```text",
        "文件:行:列 错误|警告 代码 路径: 消息（相关字段：路径 第N行；……）",
        "```",
        "",
        "* **错误**：必须改正，否则不生成报告（退出码 1）。",
        "* **警告**：请核对；报告照常生成。加 `--strict` 时警告也按错误处理。",
        "* **路径**指出数据中的位置，如 `budget.expenditure.total` 即 `budget` 下 `expenditure` 下的 "
        "`total`，`indicators[0]` 为 `indicators` 列表的第 1 项（从 0 数起）。",
        "* 一处写错可能同时引起几条相关的问题（合计错了，用到它的执行率也不符）；改正后重新校验即可。",
        "",
        "下面每个代码都有一个会出错的例子、reportgen 对它报出的全部问题（一字不差，"
        "测试 `tests/test_rules_doc.py` 逐条核对）和改法。例子大多是在示例数据 "
        f"`reportgen/samples/complete.yaml`（存为 `{EXAMPLE_FILE}`）中改动一处"
        "（自评表的规则 R301–R313 改动的是带自评表的 `reportgen/samples/table.yaml`），"
        "只列出改动的行（行末注明“# ← 第N行”）和它所属的上级键；文件编码等问题用文字说明。"
        "每个例子都注明了检查它的命令。",
        "",
        "## 一览 / index",
        "",
        "| 代码 | 检查什么 |",
        "| --- | --- |",
        *(f"| {code} | {markdown_cell(entry.summary)} |" for code, entry in FILE_CODES.items()),
        *(f"| {r.code} | {markdown_cell(r.summary)} |" for r in rules),
        "",
        "## 文件与结构 / file, YAML and schema",
        "",
        "E 开头的问题出在文件本身（编码、YAML 语法），此时不再往下检查；"
        "S 开头的问题是某一项缺少、写错了键名或取值无效；"
        "L 开头的问题出在版式文件夹（模板作者自制的版式，见 docs/templates.md），"
        "大纲文件 outline.yaml 中的 E、S 问题也指明它的行号。",
        "",
    ]
    for code, entry in FILE_CODES.items():
        lines += _code_section(code, entry.summary, entry.examples, entry.fix)
    lines += [
        "## 规则 / rules",
        "",
        "R0xx 检查正文与版式，R1xx 检查金额，R2xx 检查自评得分与绩效指标。",
        "",
    ]
    for registered in rules:
        if not registered.examples:
            raise ValueError(f"rule {registered.code} has no example for docs/rules.md")
        lines += _code_section(
            registered.code, registered.summary, registered.examples, registered.fix
        )
    lines += [
        "## 数字的比较与尾数误差 / how a stated figure is compared",
        "",
        "数据中写出的合计、执行率、占比和得分，都要与 reportgen 的计算值比较。比较的办法只有一种：",
        "",
        "1. **相符**：计算值按所写的位数四舍五入（逢五进一）后，等于所写的数。也就是说，所写的数代表"
        "一个舍入范围——写 95.00% 代表 94.995%～95.005%，写 95% 代表 94.5%～95.5%——计算值落在范围内即相符。"
        f"金额一律按两位小数（{money_unit} 万元）比较；百分比和得分按所写的位数比较，"
        "所以计算值为 66.546…% 时，写 66.5% 或 66.55% 都相符。"
        "只有一个例外：**写成整数的得分按两位小数比较**——自评表的满分印作“10”，"
        "看不出它是不是 9.81 四舍五入来的，所以得分写 10 而计算值为 9.81 是错误，"
        "计算值为 10.00 才相符；写成 9.8 的得分按一位小数比较，与 9.81 相符"
        "（与百分比相同：写 98% 与 97.89% 相符）。",
        "2. **尾数误差**（警告）：计算值在舍入范围之外，但离范围不超过末位的一个单位。"
        "这通常是未公布的明细数四舍五入造成的，请核对；加 `--strict` 时按错误处理。",
        "   * 合计（金额、得分）：每个加数容许一个单位，单位取所涉各数（含所写的合计）中最细的一位。"
        f"金额为 {money_unit} 万元，两个加数的合计即容许 {money_unit * 2} 万元；"
        "得分 46 + 46.5 的单位是 0.1 分，合计容许 0.2 分，而写成 92.52 时单位是 0.01 分，只容许 0.02 分。",
        f"   * 百分比（执行率、占比、结转结余率、完成率）：容许 {rate_unit} 个百分点。",
        "3. **错误**：离得更远。例如写 110% 而计算值为 111.25%，差了一个多百分点，"
        "不是四舍五入能造成的。",
        "",
        "例：在示例数据中只改一个数，reportgen 的判断如下（由校验实际得出）：",
        "",
        *_tolerance_table(),
        "",
        "由其他数推算出的数（由总预算减去另一项预算得到的预算、执行率、占比、结转结余率、指标完成率）"
        f"与写出的数受同样的限制：不能为负，不能以 0 作除数，百分比不超过 {MAX_RATE}%（R109、R205）。"
        f"指标的目标值、实际值不超过 {MAX_QUANTITY:,}，最多 {MAX_QUANTITY_DECIMALS} 位小数。",
        "",
        "一个文件的问题一次列出：某处取值无效或键名写错（S001–S003）时，其余能读入的部分照常校验；"
        "只是与出错的数字相关的规则（同一组金额、同一列表）不再报告，以免依据不完整的数据误报。",
    ]
    return "\n".join(lines) + "\n"
