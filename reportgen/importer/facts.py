"""The budget and score figures a report states, found near their keywords, and replaced in the
prose by ``${…}`` where reportgen would print the very same text.

Why one module: a third of it is the vocabulary (the words that say which figure a number is), read
together with the scanner that uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from reportgen.check.rules.arithmetic import same_figure
from reportgen.importer.budget_table import FINAL_ACCOUNTS, Cell
from reportgen.importer.numerals import (
    CHINESE_RATE,
    MONEY_UNIT,
    ascii_figures,
    chinese_rate,
    decimal_of,
    exactly_in_ten_thousands,
    in_ten_thousands,
)
from reportgen.importer.words import MEASURE_WORDS, OWNER, SPENDING_CLASSES
from reportgen.importer.years import year_spans
from reportgen.model.amounts import FigureKind, in_percent
from reportgen.model.formatting import printed

# A number and its unit, in text whose figures are ASCII (``ascii_figures``); it starts only
# where no digit stands before it, nor a digit and “，” (“3，100万元” may be 3,100 or a count
# and 100: neither is read) (linear scan).
_FIGURE = re.compile(
    r"(?<![\d.,])(?<!\d，)(约[ \u3000]{0,2})?(\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?)"
    rf"[ \u3000]{{0,2}}({MONEY_UNIT}|%|分)"
)
TO_FILL = "待填写"  # a figure the draft asks the clerk for
DATED = "年底以前某一时点的执行率"  # what a rate of a point of the year is called, unchecked
# Figures a next-year draft keeps as they were (a rule, not a result of the year).
KEPT_NEXT_YEAR = frozenset({"budget.carryover.limit"})
# “自评等级为“优””, “绩效等级评定为良好”, “评定为优秀等次”: a grade is named as one (a unit
# “被评为优秀单位” is no grade).
_GRADE = re.compile(
    r"(?:(?:等级|评级|评价结果|自评结果)(?:评定|确定|认定)?[为是：:]{0,2}[ \u3000]{0,2}"
    r"[“\"「『]?(?P<grade>优秀|优|良好|良|中等|中|差)[”\"」』]?"
    r"|(?:评定|认定|评)为[ \u3000]{0,2}[“\"「『]?(?P<named>优秀|优|良好|良|中等|中|差)[”\"」』]?(?:等级|等次))"
)
_GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "差": "差"}
_INCOME_NAME = re.compile(
    r"([\u4e00-\u9fff]{1,16}收入|上年结转(?:资金)?)[ \u3000为是共计：:]{0,4}$"
)  # “上年结转50.00万元” beside this year's income is a source of it too
# A first-level score and its maximum: “履职效能得分 47.5分（满分 50分）”, “履职效能49.65/50”,
# “管理效率得分48分/满分50分”, “履职效能（分值50分）得分49.65分”.
_POINTS = r"\d{1,3}(?:\.\d{1,2})?"
_SAID = r"[为是：:]{0,2}[ \u3000]{0,2}"
_COMPONENT = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?)(?:指标)?[ \u3000]{0,2}(?:"
    rf"(?:得分|得|评分)?{_SAID}(?P<score>{_POINTS})[ \u3000]{{0,2}}分?[ \u3000]{{0,2}}"
    rf"(?:[/／][ \u3000]{{0,2}}(?:满分|分值)?|[（(，,]?[ \u3000]{{0,2}}(?:满分|分值))"
    rf"{_SAID}(?P<max>{_POINTS})[ \u3000]{{0,2}}分?"
    rf"|[（(]?(?:满分|分值){_SAID}(?P<max_first>{_POINTS})[ \u3000]{{0,2}}分[）)]?[，,]?"
    rf"[ \u3000]{{0,2}}(?:得分|得|评分){_SAID}(?P<score_after>{_POINTS})[ \u3000]{{0,2}}分"
    r")"
)
# A first-level score without its maximum: “履职效能评分 49.65 分”, “管理效率得分为48分”,
# ““履职效能”指标得分 49.65分”.
_COMPONENT_SCORE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?)[”\"」』]?(?:指标|方面)?[ \u3000]{0,2}(?:得分|评分)"
    rf"{_SAID}(?P<score>{_POINTS})[ \u3000]{{0,2}}分"
)
# A first-level score named after the total it is part of, without “得分”: “自评得分86.5分，
# 其中履职效能42.5分、管理效率44分” (read only after such a “其中”: :meth:`_Scanner._components`).
_COMPONENT_LISTED = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?)[”\"」』]?(?:指标|方面)?[ \u3000]{0,2}"
    rf"(?P<score>{_POINTS})[ \u3000]{{0,2}}分(?![值数])"
)
_LISTED_AFTER = ("得分", "评分", "总分")
# an indicator's target, actual value or rate stated before a bare “得分”
_INDICATOR_FIGURE = re.compile(r"(?:目标|实际|完成率|达成率)[^，,；;。]{0,8}?\d")
_COMPONENT_PREFIXES = ("其中", "一级指标", "以及", "及", "和", "“", '"')
_SENTENCE_END = "。；;！？!?\n"
_CLAUSE_END = "，,：:（）()、"
_CONTEXT = 60
# “支出决算数为 228.21 万元” after “项目支出…”: a clause this short speaks of the same subject.
_CARRY_SUBJECT_WITHIN = 8

# The first that the words before a figure name is its subject: “重点任务项目支出” speaks of the
# key tasks, not of the project spending.
_SUBJECTS = (
    ("重点任务", "key_tasks"),
    ("重点项目支出", "key_tasks"),  # “重点项目支出合计9,856.30万元” (not 重点项目预算)
    ("重点工作任务", "key_tasks"),
    ("重点工作经费", "key_tasks"),  # “重点工作经费支出合计596.40万元”
    ("重点工作支出", "key_tasks"),
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("公用支出", "public"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("结转结余", "carryover"),
    ("结转和结余", "carryover"),  # “年末结转和结余资金”
    ("年末结余", "carryover"),
)
_SPENDING_WORDS = ("支出", "执行数", "决算", "实际", "使用", "完成")
# a project named before 项目 (重点项目, 建设项目), not the line 项目支出 or “其中项目……”
_NAMED_PROJECT = re.compile(r"[\u4e00-\u9fff](?<![中全年度本各])项目(?!支出)")
# …and before 项目支出: a name, not the department's own words for its line (本局、本级、部门、
# 当年、其中、和、及、的 …)
_NAMED_PROJECT_SPENDING = re.compile(
    r"[\u4e00-\u9fff]{2}(?<![中全年度本各部局级位门和及与的含为])项目支出"
)
# A rate at a point of the year, not the year's: “上半年”, “前三季度”, “年中” (not a budget's
# “年中调整”), “截至9月底”, “9月末”, “九月底”, “1-9月”; 12月 and 年底 are the year's (_YEAR_END).
_MONTH = r"(?:(?<![\d.])(?:[1-9]|1[01])|(?<![一二三四五六七八九十])(?:十一|十|[一二三四五六七八九]))\s*月"
_PART_OF_THE_YEAR = re.compile(
    r"半年|第?[一二三前][一二三]?季度|年中(?![经调追])"
    rf"|截[至止]\s*(?:\d{{4}}\s*年\s*)?{_MONTH}|{_MONTH}(?:份|底|末|止|\s*\d{{1,2}}\s*日)"
    rf"|\d{{1,2}}\s*(?:月\s*)?[-—–~至到]\s*{_MONTH}"
)
# the year as a whole, or its end: said after a point of it, the rate is the year's again
_YEAR_END = re.compile(r"全年|(?<!半)年度|年末|年底|12\s*月|十二月|本年|当年")


def _of_part_of_the_year(words: str) -> bool:
    """Whether the last time ``words`` name (a sentence up to a rate) is a point of the year
    before its end (“截至9月底支出进度为”): a rate so said is not the year's 执行率."""
    part = [m.start() for m in _PART_OF_THE_YEAR.finditer(words)]
    year = [m.start() for m in _YEAR_END.finditer(words)]
    return bool(part) and max(part) > max(year, default=-1)


# One item of a list, or one named project, heads the sentence so far (“二是公共卫生宣传项目，预算
# 100.00万元，实际支出120.00万元，执行率120%”): its figures are that item's, not the department's.
_ITEM = re.compile(r"[一二三四五六七八九十]是|[\u4e00-\u9fff]{2}(?:项目|工程|专项)[，,：:（(]")
_RATE_WORDS = (
    "执行率",
    "预算完成率",
    "完成预算数的",
    "完成预算的",
    "支出率",
    "支出进度",
    "执行进度",
)
_BUDGET_CHANGE_WORDS = ("追加", "追减", "调增", "调减", "增加", "减少")
# the budget a change made (“经追加调整后预算为”, “追加后预算”), not the change
_AFTER_CHANGE = re.compile(r"经?(?:(?:追加|追减|调增|调减|调整)[和与及、]?)+(?:预算)?后")
# why the budget changed, said before the change (“因公立医院改革补助等追加调整后预算为”): no
# thing of its own that the figure would be a part of
_CAUSE_OF_CHANGE = re.compile(r"(?:由于|因)[\u4e00-\u9fff]*?(?=经?(?:追加|追减|调增|调减|调整))")
# The year's budget after its changes, not its rate (全年预算执行率), income or spending:
# 全年预算数, as the 自评表's column names it beside 年初预算数; or a bare 预算数 in a sentence
# of the 决算 that states its 决算数 or 执行数 beside it (“预算数1,234.00万元，决算数1,200.00
# 万元”). 年初预算数 is the initial budget, and so is a budget named otherwise (“部门预算”).
_FULL_YEAR_BUDGET = re.compile(r"全年预算(?!执行|完成|收入|支出)")
_BARE_BUDGET = re.compile(r"预算数")
# Another year's figure, or the change from it (“较上年增加50.00万元”, “上年支出900.00万元”,
# “同比下降3.2%”): not this year's; 上年结转 is money this year has from the last.
_OTHER_YEAR = re.compile(
    r"[较比]\s*(?:上年|去年|上一年|同期|\d{4}\s*年)|同比|(?:上年度?|去年|上一年度?)(?!度|结转|结余)"
)
# A rate named for the whole budget, not for the part the sentence spoke of before.
_WHOLE_BUDGET_RATE_WORDS = ("预算执行率", "预算完成率", "部门预算", "整体")
_INCOME_TOTAL_WORDS = ("收入合计", "总收入", "收入总计", "全年收入", "收入总额", "收入决算")
# A first-level indicator is a dimension of the evaluation: 履职效能, 管理效率, 决策, 过程, 产出 …
_TOTAL_WORDS = ("得分", "总分", "评分", "自评分")
_COMPONENT_WORDS = (
    "效能",
    "效率",
    "决策",
    "过程",
    "产出",
    "效益",
    "满意",
    "管理",
    "履职",
    "执行",
    "编制",
)


@dataclass
class Fact:
    """A figure found in the text: where it belongs, its value, and the sentence it came from."""

    path: str
    value: Decimal | str
    kind: FigureKind | None
    token: str
    sentence: str


@dataclass(frozen=True)
class Inexact:
    """An amount in 元 that 万元 with two decimals cannot hold: its field, as published, in 万元
    with all its digits, and its sentence. The draft asks for it (待填写) rather than round it."""

    path: str
    token: str
    exact: Decimal
    sentence: str

    def reason(self) -> str:
        return (
            f"原文为 {self.token}，折合 {self.exact.normalize():f} 万元，超过两位小数；"
            "数据只能精确到 0.01 万元，未写入数据"
        )


@dataclass(frozen=True)
class Conflict:
    """A figure the report states twice, otherwise the second time: the field, both as written,
    and both sentences. The data holds the first; the second stays in the text as written."""

    path: str
    first: str
    then: str
    sentence: str
    first_sentence: str
    where: str = "此处"  # “表格中” for a table's 合计 row

    def note(self) -> str:
        return f"{self.path}: 前文为 {self.first}，{self.where}为 {self.then}（“{self.sentence}”）"


@dataclass
class Facts:
    found: dict[str, Fact] = field(default_factory=dict)
    income_sources: list[str] = field(default_factory=list)
    key_tasks: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (figure, sentence)
    # the budget's rates at a point of the year before its end (“截至9月底支出进度为75%”)
    dated: list[tuple[str, str]] = field(default_factory=list)  # (figure, sentence)
    inexact: list[Inexact] = field(default_factory=list)  # in 元, not whole 万元 cents
    conflicts: list[Conflict] = field(default_factory=list)
    # the conflicts said in each string, by its index (the draft marks them at its line)
    conflicts_in: dict[int, list[Conflict]] = field(default_factory=dict)
    # figures the same as their fact but printed otherwise (“1829.4” for 1,829.40), by string
    # index: a next-year draft makes them placeholders too, saying how their print changes
    restyled: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)


def other_amounts(facts: Facts) -> list[Decimal]:
    """The amounts the text states that no field holds, in 万元."""
    found: list[Decimal] = []
    for token, _ in facts.unplaced:
        match = _FIGURE.search(ascii_figures(token))
        if match is not None and match.group(3).endswith("元"):
            found.append(exactly_in_ten_thousands(decimal_of(match.group(2)), match.group(3)))
    return found


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, at most a few dozen characters either side."""
    left = start
    while left > 0 and start - left < _CONTEXT and text[left - 1] not in _SENTENCE_END:
        left -= 1
    right = end
    while right < len(text) and right - end < _CONTEXT and text[right] not in _SENTENCE_END:
        right += 1
    if right < len(text) and text[right] in _SENTENCE_END:
        right += 1
    # a window's edge never cuts a figure or a Latin word (“项目支出275,380,700.0”)
    while 0 < right < len(text) and _in_figure(text[right - 1]) and _in_figure(text[right]):
        right += 1
    while 0 < left < len(text) and _in_figure(text[left - 1]) and _in_figure(text[left]):
        left -= 1
    return text[left:right].strip()


def _in_figure(char: str) -> bool:
    return (char.isascii() and (char.isalnum() or char in ",.%")) or char in "．％"


def _clause(text: str, start: int, floor: int) -> str:
    """The words before a figure, back to the previous figure or clause mark."""
    left = start
    while (
        left > floor
        and start - left < _CONTEXT
        and text[left - 1] not in _CLAUSE_END + _SENTENCE_END
    ):
        left -= 1
    return text[left:start]


def _names_its_own(clause: str) -> bool:
    """Whether a clause names a thing of its own before an amount (“其中：专项业务费”, “工资福利”,
    “其中财政拨款”): a part of the figure the sentence spoke of, not that figure. Income has its
    own names (收入), read as sources."""
    if "收入" in clause:
        return False
    words = _CAUSE_OF_CHANGE.sub("", "".join(c for c in clause if _is_cjk(c)))
    words = _AFTER_CHANGE.sub("", OWNER.sub("", words))
    for word in (*_SOURCE_WORDS, "一般公共", *MEASURE_WORDS, *_SPENDING_WORDS):
        # a source's figure is the total or a part by what was said before: _a_part_by_source
        words = words.replace(word, "")
    return len(words) >= 2


def _subject_of(clause: str) -> str | None:
    """The line of the budget a clause names (基本支出, 项目支出, 人员经费 …): “项目预算” is
    project spending's budget unless a project is named before it (“重点项目预算”); a project
    named before 项目支出 (“生活垃圾分类处理项目支出1.25亿元”) spends its own, no line."""
    own = next((name for word, name in _SUBJECTS if word in clause), None)
    if own == "project" and _NAMED_PROJECT_SPENDING.search(clause):
        return None
    if own is None and "项目预算" in clause and not _NAMED_PROJECT.search(clause):
        return "project"  # “其中项目预算执行率为92.11%”
    return own


def _listed_after_a_total(text: str, match: re.Match[str]) -> bool:
    """Whether a score without “得分” follows, in its sentence, a total and its “其中”."""
    before = text[_sentence_start(text, match.start()) : match.start("score")]
    return "其中" in before and any(word in before for word in _LISTED_AFTER)


def _last_named(text: str, names: list[str]) -> str | None:
    """Which of ``names`` ``text`` names last."""
    said = [(text.rfind(name), name) for name in names if name in text]
    return max(said)[1] if said else None


def _last_subject(text: str) -> str | None:
    """The line of the budget ``text`` names last (基本支出, 项目支出 …)."""
    word = _last_named(text, [word for word, _ in _SUBJECTS])
    return dict(_SUBJECTS)[word] if word is not None else None


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence (to a 。 or ；) that ``text[at]`` is in begins."""
    return max(text.rfind(mark, 0, at) for mark in _SENTENCE_END) + 1


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence that ``text[at]`` is in ends (its 。 or ；, or the text's end)."""
    ends = [end for end in (text.find(mark, at) for mark in _SENTENCE_END) if end >= 0]
    return min(ends, default=len(text))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _cjk_count(text: str) -> int:
    return sum(1 for c in text if _is_cjk(c))


# “其中财政拨款支出 12,650.00万元，其他资金支出 250.00万元”: the spending of one source of money.
# It is the total when the department has no other source (as the total stated before, or the
# first said), a part of it otherwise: the model holds spending by source nowhere.
_SOURCE_WORDS = ("财政拨款", "其他资金", "自有资金", "专项资金", "单位资金", "上级补助")
_BY_SOURCE = ("budget.expenditure.total", "budget.initial", "budget.adjusted")  # so stated too


def _names_a_fund(clause: str) -> bool:
    """“一是××经费支出 62.67万元”: the spending of one fund or task, not the department's;
    or of one class of the budget's classification (“卫生健康支出 387.50万元”)."""
    return (
        "经费" in clause
        or any(f"{n}是" in clause for n in "一二三四五六七八九十")
        or any(kind in clause for kind in SPENDING_CLASSES)
        or _COST_ITEM.search(clause) is not None
    )


# one item of cost (“会议费支出2.00万元”, “差旅费用支出”): a part of the spending
_COST_ITEM = re.compile(r"[\u4e00-\u9fff]费用?(?:支出|开支)")


class _Scanner:
    """Walks one string and records what its figures are."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.measure: str | None = None  # what the sentence so far speaks of: budget | amount
        self.budgeted: set[str] = set()  # the lines whose budget the sentence so far stated
        self.restyled: list[tuple[int, int, str]] = []
        self.sentence_so_far = ""  # the words of the sentence before the figure read
        self.sentence = ""  # the whole sentence (to a 。 or ；) of the figure read

    def record(
        self, path: str, value: Decimal | str, kind: FigureKind | None, token: str, sentence: str
    ) -> bool:
        """Remember the figure; ``True`` when it is the same as the fact (first mention wins)."""
        known = self.facts.found.get(path)
        if known is None:
            self.facts.found[path] = Fact(path, value, kind, token, sentence)
            return True
        if isinstance(value, Decimal) and isinstance(known.value, Decimal):
            if not same_figure(value, known.value):
                self.facts.conflicts.append(
                    Conflict(path, known.token, token, sentence, known.sentence)
                )
                return False
            return value == known.value
        return value == known.value

    def scan(
        self, source: str, taken: list[tuple[int, int, str]] | None = None
    ) -> list[tuple[int, int, str]]:
        """The figures of ``source``: ``(start, end, placeholder path)`` for those printed alike.
        ``taken`` are spans already known (a key task's spending), which the scan leaves be."""
        text = ascii_figures(source)  # the same positions, the figures in ASCII
        replacements: list[tuple[int, int, str]] = list(taken or [])
        subject: str | None = None
        income: str | None = None
        head: str | None = None  # the clause of the sentence's first figure
        previous_end = 0
        for match in _FIGURE.finditer(text):
            if any(c in _SENTENCE_END for c in text[previous_end : match.start()]):
                subject, income, self.measure, head = None, None, None, None
                self.budgeted = set()
            clause = _clause(text, match.start(), previous_end)
            head = clause if head is None else head
            self.sentence_so_far = text[_sentence_start(text, match.start()) : match.start()]
            self.sentence = (
                self.sentence_so_far + text[match.start() : _sentence_end(text, match.end())]
            )
            previous_end = match.end()
            if any(start < match.end() and match.start() < end for start, end, _ in taken or []):
                continue
            token, unit = source[match.start(2) : match.end(2)], match.group(3)
            sentence = sentence_at(source, match.start(), match.end())
            value: Decimal | None = decimal_of(token)
            own = _subject_of(clause)
            # a listed item, or a fund or project named at the head of the sentence (“三公”经费预算
            # 12.00万元，实际支出9.56万元; 甲项目计划投入120.00万元，实际支出118.00万元): its
            # figures are its own
            of_a_part = (
                _ITEM.search(self.sentence_so_far)
                or _names_a_fund(head)
                or _NAMED_PROJECT.search(head)
            )
            if (own is None and subject is None and of_a_part) or (
                unit.endswith("元")
                and (
                    (own is None and _names_its_own(clause) and not self._income_named(clause))
                    or (own in {"basic", "project"} and ("结转" in clause or "结余" in clause))
                )
            ):  # “其中：专项业务费200.00万元”, “项目支出结转40.00万元”: a part, said unchecked
                if unit.endswith("元"):
                    self.facts.unplaced.append((source[match.start(2) : match.end(3)], sentence))
                continue
            if own is not None:
                subject = own
            elif "÷" in clause or "除以" in clause:
                subject = None  # a term of a formula names itself (“÷支出合计1,150.00万元”)
            elif unit.endswith("元") and _cjk_count(clause) > _CARRY_SUBJECT_WITHIN:
                subject = None  # a clause of its own names a figure of its own
            path: str | None
            kind: FigureKind
            span = (match.start(2), match.end(2))
            if unit.endswith("元"):
                kind = FigureKind.MONEY
                path, income = self._money_path(clause, subject, income)
                if unit != "万元":
                    value = in_ten_thousands(decimal_of(token), unit)
                    exact = exactly_in_ten_thousands(decimal_of(token), unit)
                    token = source[match.start(2) : match.end(3)]
                    span = (0, 0)  # printed in 万元, never as published
                    if value is None and path is not None:
                        self.facts.inexact.append(Inexact(path, token, exact, sentence))
                        continue
            elif unit == "%":
                kind = FigureKind.RATE
                path = self._rate_path(clause, subject, income, own)
                span = (match.start(2), match.end(3))
                token = source[match.start(2) : match.end(3)]
                if path is None and self._of_a_date(clause):
                    self.facts.dated.append((token, sentence))
            else:
                kind = FigureKind.SCORE
                path = self._score_path(clause, text[match.end() : match.end() + 8])
                if _OTHER_YEAR.search(clause):
                    path = None  # “自评得分较上年提高1.5分”
            if path in _BY_SOURCE and self._a_part_by_source(path, clause, value):
                path = None
            if path is None or value is None:
                if unit.endswith("元"):
                    self.facts.unplaced.append((source[match.start(2) : match.end(3)], sentence))
                continue
            same = self.record(path, value, kind, token, sentence)
            if same and printed(kind, value) == source[span[0] : span[1]]:
                replacements.append((*span, path))
            elif same and span != (0, 0):
                self.restyled.append((*span, path))
        self._chinese_rates(text, source)
        for match in _GRADE.finditer(text):
            group = "grade" if match.group("grade") else "named"
            grade = _GRADES[match.group(group)]
            sentence = sentence_at(source, match.start(), match.end())
            same = self.record("score.grade", grade, None, match.group(group), sentence)
            if same and grade == match.group(group):
                replacements.append((*match.span(group), "score.grade"))
        self._components(text, source)
        return replacements

    def cells(self, text: str, cells: list[Cell]) -> list[tuple[int, int, str]]:
        """The figures of a budget table's row: recorded as the prose's are."""
        replacements: list[tuple[int, int, str]] = []
        income: str | None = None
        for cell in cells:
            if cell.heading is not None:  # named by its heading, as a clause names a figure
                path, income = self._path_of_heading(cell.heading, cell.kind, income)
                if path is None:
                    if cell.kind is FigureKind.MONEY:
                        self.facts.unplaced.append((cell.token, cell.sentence))
                    continue
                cell = replace(cell, path=path)
            if cell.value is None:
                self.facts.inexact.append(Inexact(cell.path, cell.token, cell.exact, cell.sentence))
                continue
            same = self.record(cell.path, cell.value, cell.kind, cell.token, cell.sentence)
            start, end = cell.span
            if same and end > start and printed(cell.kind, cell.value) == text[start:end]:
                replacements.append((start, end, cell.path))
            elif same and end > start:
                self.restyled.append((start, end, cell.path))
        return replacements

    def _path_of_heading(
        self, heading: str, kind: FigureKind, income: str | None
    ) -> tuple[str | None, str | None]:
        """The field a table's column heading names (收入合计, 财政拨款收入, 基本支出, 执行率),
        read as the words before a figure in a sentence are."""
        own = _subject_of(heading)
        if kind is FigureKind.RATE:
            return self._rate_path(heading, own, income, own), income
        if own is None and _names_its_own(heading) and not self._income_named(heading):
            return None, income
        self.measure, self.budgeted = None, set()
        return self._money_path(heading, own, income)

    def _chinese_rates(self, text: str, source: str) -> None:
        """Rates in Chinese numerals (“预算执行率达百分之九十七点七三”, “千分之…”), where their own clause
        names what they are: the whole budget's, or basic or project spending's. Checked as
        the figures are; the text keeps them as written."""
        for match in CHINESE_RATE.finditer(text):
            clause = _clause(text, match.start(), 0)
            self.sentence_so_far = text[_sentence_start(text, match.start()) : match.start()]
            own = _subject_of(clause)
            whole = any(word in clause for word in _WHOLE_BUDGET_RATE_WORDS)
            if own is None and not whole and _cjk_count(clause) <= _CARRY_SUBJECT_WITHIN:
                # “项目支出5,612.76万元，预算5,904.60万元，执行率百分之九十五点零六”: a clause
                # this short speaks of the line its sentence named last, as figures do
                own = _last_subject(self.sentence_so_far)
            income = None
            if own is None and not whole and "占" in clause:
                # “其中财政拨款收入8,960.00万元，占百分之九十八点二五”: the source named last
                income = _last_named(self.sentence_so_far, self.facts.income_sources)
            path = self._rate_path(clause, own, income, own) if own or whole or income else None
            if path is None or (income is None and path.startswith("budget.income")):
                continue
            value = in_percent(*chinese_rate(match))  # “千分之二” is 0.2%
            sentence = sentence_at(source, match.start(), match.end())
            if self.record(path, value, FigureKind.RATE, match.group(), sentence):
                self.restyled.append((match.start(), match.end(), path))

    def _income_named(self, clause: str) -> bool:
        """Whether the clause names a source of income: “财政拨款收入”, or 上年结转 where the
        sentence speaks of income (“包括本年收入1,150.00万元和上年结转50.00万元”)."""
        named = _INCOME_NAME.search(clause)
        return named is not None and "收入" in named.group(1) + self.sentence_so_far

    def _a_part_by_source(self, path: str, clause: str, value: Decimal | None) -> bool:
        """Whether spending (or a budget) named by its source of money differs from the total
        (the budget) stated before."""
        known = self.facts.found.get(path)
        return (
            any(word in clause for word in _SOURCE_WORDS)
            and known is not None
            and isinstance(known.value, Decimal)
            and value is not None
            and not same_figure(value, known.value)
        )

    def _components(self, text: str, source: str) -> None:
        """First-level scores, with their maxima where stated, where a dimension of the
        evaluation is named."""
        spans: list[tuple[int, int]] = []
        for pattern in (_COMPONENT, _COMPONENT_SCORE, _COMPONENT_LISTED):
            for match in pattern.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in spans):
                    continue  # the same score, already read with its maximum
                if pattern is _COMPONENT_LISTED and not _listed_after_a_total(text, match):
                    continue
                name = match.group("name")
                for prefix in _COMPONENT_PREFIXES:
                    name = name.removeprefix(prefix)
                name = name.removesuffix("方面")
                if not any(word in name for word in _COMPONENT_WORDS):
                    continue
                groups = match.groupdict()
                score = groups.get("score") or groups.get("score_after")
                maximum = groups.get("max") or groups.get("max_first")
                spans.append(match.span())
                self.facts.components.append(
                    {
                        "name": name,
                        "score": decimal_of(score or ""),
                        "max": decimal_of(maximum) if maximum else None,
                        "sentence": sentence_at(source, match.start(), match.end()),
                    }
                )

    def _money_path(
        self, clause: str, subject: str | None, income: str | None
    ) -> tuple[str | None, str | None]:
        # of the budget: said so, or the sentence speaks of it (“年初预算…，年中调整为…”)
        budgetary = "预算" in clause or (subject is None and self._measure(clause) == "budget")
        if subject is None and budgetary and _AFTER_CHANGE.search(clause):
            return "budget.adjusted", income
        if budgetary and any(word in clause for word in _BUDGET_CHANGE_WORDS):
            return None, income  # a change to the budget, not the budget itself
        if _OTHER_YEAR.search(clause):
            return None, income
        if ("调整" in clause and "预算" in clause) or (
            subject is None and budgetary and ("调整" in clause or self._full_year(clause))
        ):
            return "budget.adjusted", income  # “调整预算”, “年中调整为”, “全年预算数为”
        named = _INCOME_NAME.search(clause) if self._income_named(clause) else None
        if any(word in clause for word in _INCOME_TOTAL_WORDS):
            return "budget.income.total", income
        if named is not None and subject is None:
            name = named.group(1)
            for prefix in ("其中", "包括", "全年", "年度", "本年"):
                if name.removeprefix(prefix) != "收入":  # “本年收入” beside 上年结转 keeps its name
                    name = name.removeprefix(prefix)
            if name not in self.facts.income_sources:
                self.facts.income_sources.append(name)
            index = self.facts.income_sources.index(name)
            return f"budget.income.sources[{index}].amount", name
        budget = self._measure(clause) == "budget"
        if subject in {"personnel", "public"}:
            # their budgets are nowhere in the data: “其中人员经费预算3,000.00万元” stays said
            return (None if budget else f"budget.expenditure.basic.{subject}.amount"), income
        if subject in {"basic", "project"}:
            leaf = "budget" if budget else "amount"
            return f"budget.expenditure.{subject}.{leaf}", income
        if subject == "carryover":
            return (
                "budget.carryover.year_start" if "年初" in clause else "budget.carryover.year_end"
            ), income
        if subject == "key_tasks":
            return "key_tasks.total", income
        if budget:
            return "budget.initial", income
        if self.measure == "amount" and not _names_a_fund(clause):
            return "budget.expenditure.total", income
        return None, income

    def _of_a_date(self, clause: str) -> bool:
        """Whether a rate's clause names the budget's rate at a point of the year before its end:
        no rate of the year, a figure found and not checked."""
        return any(word in clause for word in _RATE_WORDS) and _of_part_of_the_year(
            self.sentence_so_far
        )

    def _full_year(self, clause: str) -> bool:
        """Whether a budget's clause names the year's budget as adjusted (_FULL_YEAR_BUDGET)."""
        if "年初" in clause:
            return False
        return _FULL_YEAR_BUDGET.search(clause) is not None or (
            _BARE_BUDGET.search(clause) is not None
            and FINAL_ACCOUNTS.search(self.sentence) is not None
        )

    def _measure(self, clause: str) -> str | None:
        """Whether the clause speaks of a budget or of spending. A clause that names only its
        subject goes on with what its sentence spoke of when it names another line (“年初预算…，
        其中基本支出…，项目支出…”: the budget's parts); naming again a line whose budget the
        sentence stated, it names that line's spending (“其中项目预算…，项目支出…”)."""
        words = clause
        for word, _ in _SUBJECTS:
            words = words.replace(word, "")
        own = _subject_of(clause)
        if "预算" in words and "决算" not in words:
            self.measure = "budget"
        elif any(word in words for word in _SPENDING_WORDS) or own in self.budgeted:
            self.measure = "amount"
        if self.measure == "budget" and own is not None:
            self.budgeted.add(own)
        return self.measure

    def _rate_path(
        self, clause: str, subject: str | None, income: str | None, own: str | None
    ) -> str | None:
        if _OTHER_YEAR.search(clause):
            return None  # “执行率同比提高2%”: a change from another year
        if (
            _names_a_fund(clause)
            or _NAMED_PROJECT.search(clause)
            or _of_part_of_the_year(self.sentence_so_far)
        ):
            return None  # “政府采购执行率95%”, “重点项目预算执行率”, “上半年预算执行率”
        if "占" in clause and income is not None:
            index = self.facts.income_sources.index(income)
            return f"budget.income.sources[{index}].share"
        if "占" in clause and subject in {"basic", "project"} and "预算" not in clause:
            of = clause.split("占", 1)[1]
            if any(word in of for word, name in _SUBJECTS if name == subject):
                return None  # “第四季度支出占全年项目支出的41%”: the line is the whole
            return f"budget.expenditure.{subject}.share"  # “项目支出…，占总支出的68.48%”
        if "结转结余率" in clause or (subject == "carryover" and "率" in clause):
            limit = any(word in clause for word in ("≤", "<=", "不超过", "不高于", "以内", "低于"))
            return "budget.carryover.limit" if limit else "budget.carryover.rate"
        is_budget_rate = any(word in clause for word in _RATE_WORDS) or (
            ("完成率" in clause or "占" in clause) and "预算" in clause
        )
        whole = any(word in clause for word in _WHOLE_BUDGET_RATE_WORDS)
        if subject in {"personnel", "public"}:
            subject = "basic"  # “基本支出840.00万元（人员经费…，公用经费…），执行率为95.45%”
        if is_budget_rate and "指标" not in clause:
            if subject in {"basic", "project"} and not (whole and own is None):
                return f"budget.expenditure.{subject}.execution_rate"
            return "budget.execution_rate"
        return None

    def _score_path(self, clause: str, after: str) -> str | None:
        """The total score: “自评得分为 98.79分”, “自评总分92分”, “综合评分95分” — not a
        first-level score, nor a maximum (“满分100分”, “总分100分，得分95分”)."""
        at, word = max((clause.rfind(word), word) for word in _TOTAL_WORDS)
        if at < 0 or (word == "总分" and "得分" in after.lstrip("，,；; \u3000")[:4]):
            return None
        start = at
        while start > 0 and at - start < 12 and _is_cjk(clause[start - 1]):
            start -= 1
        name = clause[start:at]
        if name in {"", "指标"} and _INDICATOR_FIGURE.search(self.sentence_so_far):
            return None  # “培训人次目标500人次，实际完成520人次，得分10分”: the indicator's
        return None if any(word in name for word in _COMPONENT_WORDS) else "score.total"


def scan_strings(
    strings: list[str],
    taken: dict[int, list[tuple[int, int, str]]] | None = None,
    rows: dict[str, list[Cell]] | None = None,
) -> tuple[Facts, dict[int, list[tuple[int, int, str]]]]:
    """Scan the narrative's strings in reading order; the replacements found in each (with the
    spans ``taken`` by the caller, by string index). A budget table's row among them (``rows``,
    by its text) states the figures its cells hold."""
    facts = Facts()
    replacements: dict[int, list[tuple[int, int, str]]] = {}
    bases: list[tuple[int, str, Cell]] = []  # a bare 预算数, known once the text is read
    for index, text in enumerate(strings):
        cells = (rows or {}).get(text)
        bases += [(index, text, cell) for cell in cells or [] if cell.basis]
        found = _read(facts, index, text, [c for c in cells or [] if not c.basis], cells, taken)
        if found:
            replacements[index] = found
    adjusted = "budget.adjusted" in facts.found
    for index, text, cell in bases:
        cell = replace(cell, path="budget.adjusted") if adjusted else cell
        replacements[index] = [
            *replacements.get(index, []),
            *_read(facts, index, text, [cell], [cell]),
        ]
    return facts, replacements


def _read(
    facts: Facts,
    index: int,
    text: str,
    cells: list[Cell],
    row: list[Cell] | None = None,
    taken: dict[int, list[tuple[int, int, str]]] | None = None,
) -> list[tuple[int, int, str]]:
    """Record the figures of string ``index``: the ``cells`` of a budget table's ``row``, or
    its prose; the replacements, and what it restyled or stated otherwise, by its index."""
    scanner = _Scanner(facts)
    said = len(facts.conflicts)
    if row is not None:
        found = scanner.cells(text, cells)
    else:
        found = scanner.scan(text, (taken or {}).get(index))
    if scanner.restyled:
        facts.restyled.setdefault(index, []).extend(scanner.restyled)
    if len(facts.conflicts) > said:
        facts.conflicts_in.setdefault(index, []).extend(facts.conflicts[said:])
    return found


def with_placeholders(text: str, spans: list[tuple[int, int, str]], year: int | None) -> str:
    """``text`` with each span replaced by ``${path}``, the report's year and the next by
    ``${year}`` and ``${next_year}`` (see ``years.py``), and a literal ``${`` escaped."""
    pieces: list[str] = []
    position = 0
    marks = sorted(spans)
    if year is not None:
        marks = sorted(marks + year_spans(text, year, marks))
    for start, end, path in marks:
        if start < position:
            continue
        pieces.append(text[position:start].replace("${", "$${"))
        pieces.append(f"${{{path}}}")
        position = end
    pieces.append(text[position:].replace("${", "$${"))
    return "".join(pieces)


def checked_components(
    components: list[dict[str, Any]], total: Decimal | None = None
) -> list[dict[str, Any]] | None:
    """First-level scores, when two or more were found (one alone is not a breakdown).

    Scores stated in several sentences may be of two levels (“履职效能评分 48.6 分，管理效率评分
    47.9 分。其中预算执行得分 9.5 分。”): when all of them do not add up to the total, the first
    level is the one sentence whose scores do, or else the one sentence that names two or more
    beside sentences naming one each. Otherwise all are kept. Either way R201 compares them with
    the total: a slip stays a slip."""
    if len(components) < 2:
        return None
    if total is None or sum(c["score"] for c in components) == total:
        return components
    sentences: dict[str, list[dict[str, Any]]] = {}
    for component in components:
        sentences.setdefault(component["sentence"], []).append(component)
    several = [group for group in sentences.values() if len(group) >= 2]
    adding_up = [group for group in several if sum(c["score"] for c in group) == total]
    if len(adding_up) == 1:
        return adding_up[0]
    return several[0] if len(several) == 1 else components


_POINTS_CELL = re.compile(rf"({_POINTS})[ \u3000]{{0,2}}分?")
_TOTAL_ROWS = ("合计", "总分", "总计", "综合得分")


def scores_from_table(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], Decimal | None]:
    """First-level scores (name, score, maximum) from a score table's rows, and the total its
    合计 row states."""
    components: list[dict[str, Any]] = []
    total: Decimal | None = None
    for row in rows:
        cells = list(row.items())
        name = "".join(cells[0][1].split()) if cells else ""
        score = next((v for h, v in cells if "得分" in h or "评分" in h), None)
        maximum = next((v for h, v in cells if any(w in h for w in ("分值", "满分", "权重"))), None)
        said = [
            _POINTS_CELL.fullmatch(ascii_figures(v.strip())) if v else None
            for v in (score, maximum)
        ]
        if not name or said[0] is None or (maximum and said[1] is None):
            continue
        points = [decimal_of(match.group(1)) if match else None for match in said]
        if name in _TOTAL_ROWS:
            total = points[0]
            continue
        sentence = f"表格：{'，'.join(v for _, v in cells)}"
        components.append(
            {"name": name, "score": points[0], "max": points[1], "sentence": sentence}
        )
    return components, total
