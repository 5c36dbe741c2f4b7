"""Rules on the narrative: placeholders, years, typed amounts and labels, facts the blocks need."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from reportgen.check.derive import Derived
from reportgen.check.figures import figure_table, figures
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.check.rules.typed_scores import typed_scores, typed_totals
from reportgen.findings import FieldPath, Finding, did_you_mean, error, warning
from reportgen.layout.search import LayoutChoice
from reportgen.model import formatting
from reportgen.model.amounts import FigureKind, round_to
from reportgen.model.narrative import (
    IndicatorsBlock,
    Item,
    JoinedBlock,
    KeyTasksBlock,
    NumberedBlock,
    SummaryBlock,
)
from reportgen.model.placeholders import (
    PLACEHOLDER,
    UNFILLED_TEXT,
    fact_strings,
    placeholders_in,
    strings_in,
)
from reportgen.model.report import Report

rules = RuleSet()


def narrative_strings(report: Report) -> Iterator[tuple[FieldPath, str]]:
    """Every string of every section, with the path of the YAML node it stands in (a block's
    selectors, such as ``key_tasks: joined``, are strings too: no rule finds anything in them)."""
    for name in type(report.sections).model_fields:
        yield from strings_in(getattr(report.sections, name), ("sections", name))


def narrative_blocks(report: Report) -> Iterator[tuple[FieldPath, Any]]:
    def walk(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield (*path, i), item
                if isinstance(item, Item) and item.body is not None:
                    yield from walk(item.body, (*path, i, "body"))

    for name in type(report.sections).model_fields:
        yield from walk(getattr(report.sections, name), ("sections", name))


# ${path} typed with a Chinese input method's ＄ or ｛ (a half-width ${ is a placeholder, or
# an unclosed one that R003 already reports)
_FULL_WIDTH_PLACEHOLDER = re.compile(r"(?:＄[{｛]|\$｛)\s*([A-Za-z_][\w.\[\] ]*?)\s*[}｝]")


@rules.rule(
    "R003",
    "正文和各项数据文字（任务名称、指标、单位等）中的 ${…} 须引用存在的数据",
    examples=[
        Example(
            "  goals: 提高财政资金使用效益。", "  goals: 预算执行率达到${budget.executon_rate}。"
        )
    ],
    fix="按“是否想写”的提示改正占位符中的路径（路径即数据中的键，见 docs/glossary.md）；"
    "占位符用半角字符写成 ${路径}（输入法打出的全角“＄｛｝”不是占位符，会原样印出），"
    "要印出字面的“${”时写“$${”。",
)
def placeholders_exist(report: Report, derived: Derived) -> Iterator[Finding]:
    table = figure_table(report, derived)
    for name in UNFILLED_TEXT:
        text = getattr(report, name)
        if text is not None and "${" in text:
            yield error(
                "R003",
                (name,),
                "此处不能使用占位符 ${…}（它用于文件名和标题）；请直接写出文字",
            )
    for path, text in (*narrative_strings(report), *fact_strings(report)):
        if PLACEHOLDER.sub("", text).count("${"):
            yield error(
                "R003", path, "“${”没有对应的“}”：占位符应写成 ${路径}；要写字面的 ${ 请写 $${"
            )
        for name in placeholders_in(text):
            if name in table:
                continue
            hint = did_you_mean(name, table, cutoff=0.7, shown=lambda path: f"${{{path}}}")
            yield error("R003", path, f"引用了不存在的数据“${{{name}}}”{hint}", actual=name)
        for match in _FULL_WIDTH_PLACEHOLDER.finditer(text):
            # a Chinese input method's ＄｛ ｝: printed as it is, no figure filled in
            written, name = match[0], match[1].strip()
            yield warning(
                "R003",
                path,
                f"“{written}”中有全角字符，它不是占位符，将原样印出；"
                f"要填入数字请用半角字符写成 ${{{name}}}",
                actual=written,
            )


@rules.rule(
    "R004",
    "key_tasks、indicators、summary 段落块所需的数据须存在",
    examples=[
        Example("  goals: 提高财政资金使用效益。", "  goals:\n    - indicators: [satisfaction]")
    ],
    fix="补写这个段落块要列出的数据（key_tasks、该类别的 indicators 或 organization），或删去这个段落块。",
)
def block_sources(report: Report, derived: Derived) -> Iterator[Finding]:
    for path, block in narrative_blocks(report):
        if isinstance(block, KeyTasksBlock) and report.key_tasks is None:
            yield error("R004", path, "此处列出重点任务（key_tasks），但文件中没有 key_tasks 数据")
        if isinstance(block, IndicatorsBlock):
            wanted = block.indicators
            chosen = [i for i in report.indicators if i.category in wanted]
            if not chosen:
                yield error("R004", path, "此处列出绩效指标，但没有该类别的指标（indicators）")
        if (
            isinstance(block, SummaryBlock)
            and block.summary == "organization"
            and report.organization is None
        ):
            yield error("R004", path, "此处生成机构设置段落，但文件中没有 organization 数据")


_FISCAL_YEAR = re.compile(r"(?<!\d)(20\d\d)\s{0,3}年度")


@rules.rule(
    "R005",
    "正文中的“YYYY年度”应与报告年度一致",
    examples=[Example("  goals: 提高财政资金使用效益。", "  goals: 2023年度预算执行率不低于90%。")],
    fix="多半是照抄了上一年的报告：改为报告年度，或写 ${year}年度，年度就随数据中的 year 印出。",
)
def year_mentions(report: Report, derived: Derived) -> Iterator[Finding]:
    for path, text in narrative_strings(report):
        for match in _FISCAL_YEAR.finditer(text):
            mentioned = int(match.group(1))
            if mentioned != report.year:
                yield warning(
                    "R005",
                    path,
                    f"正文写的是“{match.group(0)}”，而报告年度是 {report.year} 年；请确认，"
                    "或改用 ${year}",
                    expected=str(report.year),
                    actual=str(mentioned),
                )


# Bounded repetitions, and a number starts only where no digit stands before it: each position
# of a long run of digits is tried once, in constant time, so the scan is linear.
_TYPED_AMOUNT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,16}(?:\.\d{1,6})?)\s{0,3}万元"
)


def _money_facts(report: Report, derived: Derived) -> dict[Decimal, str]:
    """Every money figure of the facts → the placeholder that prints it."""
    facts: dict[Decimal, str] = {}
    for path, (kind, value) in figures(report, derived).items():
        if path.startswith("previous."):
            continue  # last year's figures: R011's
        if kind is FigureKind.MONEY and isinstance(value, Decimal):
            facts.setdefault(round_to(value, 2), path)
    return facts


def _print_change(typed: str, shown: str) -> str:
    """What following R006's advice changes in the printed text (nothing, or exactly what)."""
    if shown == typed:
        return ""
    if "," in shown and "," not in typed:
        return f"（印出为“{shown}”，不再是“{typed}”；不要千位分隔符，请在数据中写 printing.money_thousands: false）"
    return f"（印出为“{shown}”，不再是“{typed}”）"


@rules.outline_rule(
    "R006",
    "正文中手写的金额（有自评表时还有得分）应引用数据（${…}），且不应与数据中的金额相近而不等；"
    "手写的自评总分应与 score.total 相同",
    examples=[
        Example("  goals: 提高财政资金使用效益。", "  goals: 全年支出1,140.00万元。"),
        Example("自评得分${score.total}分", "自评得分96.8分", sample="table.yaml"),
        Example("  goals: 提高财政资金使用效益。", "  goals: 部门整体支出绩效自评总分为90.00分。"),
    ],
    fix="把手写的金额、得分换成消息中的占位符，如“全年支出${budget.expenditure.total}万元”"
    "“预算执行得分${table.funds.score}分”；与数据中的金额相近而不等、或手写的总分与 score.total "
    "不同时，核对是哪一个写错了。",
)
def typed_amounts(report: Report, derived: Derived, choice: LayoutChoice) -> Iterator[Finding]:
    facts = _money_facts(report, derived)
    thousands = choice.plan.money_thousands if choice.plan is not None else True
    for path, text in narrative_strings(report):
        for match in _TYPED_AMOUNT.finditer(text):
            typed = Decimal(match.group(1).replace(",", ""))
            same = facts.get(typed)
            if same is not None:
                change = _print_change(match.group(1), formatting.money(typed, thousands))
                yield warning(
                    "R006",
                    path,
                    f"正文手写了“{match.group(0)}”，与 {same} 相同；请改用 ${{{same}}}{change}，"
                    "数据改动时正文才会随之更新",
                    expected=f"${{{same}}}",
                    actual=match.group(0),
                )
                continue
            near = [
                (value, name)
                for value, name in facts.items()
                if value and abs(typed - value) / value <= Decimal("0.01")
            ]
            if near:
                value, name = min(near, key=lambda vn: abs(typed - vn[0]))
                yield warning(
                    "R006",
                    path,
                    f"正文手写的“{match.group(0)}”与 {name} = {value} 万元相近而不等，是否写错？"
                    f"如指同一金额，请改用 ${{{name}}}",
                    expected=str(value),
                    actual=str(typed),
                )
        yield from typed_scores(path, text, report, derived)
        yield from typed_totals(path, text, report)


# A label typed by hand where reportgen writes its own: 1. 1、 1) （1） （一） 一、 ① 一是 …
# Anchored, bounded repetitions and no nested quantifiers: linear on any text.
_TYPED_LABEL = re.compile(
    r"\s{0,8}("
    r"[（(]\s?(?:\d{1,3}|[一二三四五六七八九十百]{1,4})\s?[）)]"
    r"|\d{1,3}(?:[.．、](?!\d)|[)）])"
    r"|[一二三四五六七八九十百]{1,4}\s?[、.．]"
    r"|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2776-\u277f]"
    r"|[一二三四五六七八九十百]{1,4}是(?!否)"
    r")"
)


def numbered_strings(report: Report) -> Iterator[tuple[FieldPath, str]]:
    """The strings reportgen prints after a label of its own, with the path of each."""

    def walk(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
        if not isinstance(value, list):
            return
        for i, block in enumerate(value):
            where = (*path, i)
            if isinstance(block, Item):
                if block.title is not None:
                    yield (*where, "title"), block.title
                elif block.text is not None:
                    yield (*where, "text"), block.text
                yield from walk(block.body, (*where, "body"))
            elif isinstance(block, NumberedBlock):
                yield from (((*where, "numbered", j), s) for j, s in enumerate(block.numbered))
            elif isinstance(block, JoinedBlock):
                yield from (((*where, "joined", j), s) for j, s in enumerate(block.joined))

    for name in type(report.sections).model_fields:
        yield from walk(getattr(report.sections, name), ("sections", name))
    if report.key_tasks is not None:
        for i, task in enumerate(report.key_tasks.items):
            yield ("key_tasks", "items", i, "name"), task.name


@rules.rule(
    "R007",
    "自动编号的条目、小标题不应再手写编号（1. 1、（1）（一）一、① 一是 …）",
    examples=[Example("        - 拟订财政政策。", "        - 1.拟订财政政策。")],
    fix="删去手写的编号，编号由版式自动生成，删减条目后也不会断号。",
)
def typed_labels(report: Report, derived: Derived) -> Iterator[Finding]:
    for path, text in numbered_strings(report):
        match = _TYPED_LABEL.match(text)
        if match is None:
            continue
        label = match.group(1)
        yield warning(
            "R007",
            path,
            f"开头手写了编号“{label}”，而这里的编号由 reportgen 自动生成，保留会印成两个编号；"
            f"请删除“{label}”",
            actual=label,
        )


# Invisible characters of Unicode's “format” category, as text copied from web pages and Word
# carries them. Those that change the direction of what follows print the text in another
# order than the data's: an error. The rest only hide: a warning.
_DIRECTION = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE_NAMES = {
    "\u00ad": "软连字符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "零宽不换行",
    "\ufeff": "零宽不换行空格（BOM）",
}


@rules.rule(
    "R008",
    "文字中不应有看不见的字符（零宽空格、改变文字方向的控制字符等）",
    examples=[
        Example("        - 拟订财政政策。", '        - "拟订财政\\u202e政策。"'),
        Example("        - 拟订财政政策。", '        - "拟订财政\\u200b政策。"'),
    ],
    fix="删去这些字符：在编辑器中把光标移到消息所说的位置，删除看不见的那一个字符后重新输入。"
    "常见于从网页或 Word 复制的文字。",
)
def invisible_characters(report: Report, derived: Derived) -> Iterator[Finding]:
    for path, text in strings_in(report, ()):
        if text.isprintable():  # no format character (Cf is not printable): most text, at C speed
            continue
        seen: set[str] = set()
        for at, char in enumerate(text):
            if char in seen or unicodedata.category(char) != "Cf":
                continue
            seen.add(char)
            before = "".join(
                c for c in text[max(0, at - 6) : at] if unicodedata.category(c) != "Cf"
            )
            where = f"第 {at + 1} 个字符（“{before}”之后）" if before else "开头"
            code = f"U+{ord(char):04X}"
            if char in _DIRECTION:
                yield error(
                    "R008",
                    path,
                    f"{where}有改变文字方向的不可见字符 {code}，印出的文字会与数据中的顺序不同；"
                    "请删除",
                    actual=code,
                )
            else:
                name = _INVISIBLE_NAMES.get(char, "不可见的格式字符")
                yield warning(
                    "R008",
                    path,
                    f"{where}有看不见的{name} {code}，印出后看不见，但会妨碍查找和核对；请删除",
                    actual=code,
                )
