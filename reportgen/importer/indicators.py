"""The indicators a published report states in its prose — name, target, actual value with its
unit, completion rate where stated (“家庭医生签约服务人数，目标值45万人，实际完成46.8万人，完成率
104%”, “群众满意度目标≥90%，实际完成92%”) — and those the draft cannot hold, with why."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportgen.importer.facts import sentence_at
from reportgen.importer.indicator_after import with_named_reasons, with_reasons, with_score
from reportgen.importer.indicator_merge import rated_by_name
from reportgen.importer.numerals import ascii_figures, decimal_of, rates_as_figures
from reportgen.importer.words import category_of

# a count as printed: 12,560 or 12560 or 88.5
_COUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?"
# a unit after a count: 人次, 万人, 万平方米, %, or so many per (“/10万”, “人次/年”); pdftotext
# may set a space between its digits and its words (“/10 万”)
_UNIT = (
    r"(?:(?!及?以[上下内]|左右)[\u4e00-\u9fff%％‰]){0,4}"
    r"(?:[ \u3000]?/[ \u3000]?\d{0,6}[ \u3000]?(?:(?!及?以[上下内]|左右)[\u4e00-\u9fff]){1,3})?"
)
# a word after a figure that bounds it, no part of its unit: “95%以上”, “10/10万以下”
BOUND = r"[ \u3000]{0,2}(?P<bound>及?以[上下内]|左右)?"
BELOW = ("以下", "以内")  # bounds of a target no figure may exceed
# “业务岗位培训人数88人次”: a name (which may hold digits, not end in one) and an actual value.
_ACTUAL = re.compile(
    rf"^(?P<name>.{{1,39}}?[^\d,，.．])(?P<about>约)?[ \u3000]{{0,2}}(?P<actual>{_COUNT})"
    rf"[ \u3000]{{0,2}}(?P<unit>{_UNIT}){BOUND}[ \u3000]{{0,2}}$"
)
_TARGET = re.compile(
    r"(?:年度|全年)?(?:目标|计划)(?:值|数)?[为是：:]{0,2}[ \u3000]{0,2}(?P<sign>[≥≤>=<]{0,2})[ \u3000]{0,2}"
    rf"(?P<value>{_COUNT})[ \u3000]{{0,2}}(?P<unit>{_UNIT}){BOUND}"
)
# The signs a target may be written with, as the report prints them before it (model TargetSign)
_PRINTED_SIGNS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "=": "=", ">=": "≥", "<=": "≤"}
# “实际完成46.8万人”, “实际报送190条” (实际 and a verb), or “完成46.8万人” as a clause of its own
_STATED_ACTUAL = re.compile(
    r"(?:实际(?:完成|达到|[\u4e00-\u9fff]{2}(?=[值数为是：:]|\d|[ \u3000]))?|(?<![^，,、])(?:完成|达到))(?:值|数)?[为是：:]{0,2}[ \u3000]{0,2}(?P<about>约?)[ \u3000]{0,2}"
    rf"(?P<value>{_COUNT})[ \u3000]{{0,2}}(?P<unit>{_UNIT}){BOUND}"
)
_INDICATOR_RATE = re.compile(
    r"(?:指标)?(?:完成率|完成指标率|达成率)[为是达：:]{0,2}[ \u3000]{0,2}(\d{1,5}(?:\.\d{1,2})?)[ \u3000]{0,2}[%％]"
)
# between a target and an actual value stated in one clause (“目标值80人次、实际值88人次”), or
# around them (“完成率104%（目标值45万人，实际完成46.8万人）”)
_BETWEEN = "、和及 \u3000（）()"
# what may stand before a name: “其中”, or the marker of a joined entry (“一是”)
_NAME_LEAD = re.compile(
    r"^(?:其中[，,]?|[一二三四五六七八九十]{1,2}是|[（(][1-9]\d?[）)]|[1-9]\d?[、．]|[①-⑳])"
)  # or a list's label in a run of entries (“（1）…；（2）…”)
# when an actual value was reached (“全年实际完成”, “截至12月底实际完成”, with an extractor's
# spaces “截至 2024 年 12 月 31 日”): no part of a name
_WHEN = re.compile(
    r"(?:全年|本年度?|年度|当年|年末|年底|累计|截[至止]\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:底|末|\d{1,2}\s*日)?)\s*"
)
_QUOTES = {("“", "”"), ('"', '"'), ("「", "」"), ("《", "》")}
_NAME_WIDTH = 40
# a lead-in that names no one indicator: a kind of them (“产出指标”, “社会效益指标”), the list
# (“主要绩效指标完成情况如下”), or words around it
_GENERIC_LEAD = re.compile(
    r".*(?:情况|如下|以下|具体|分别|方面|其中|如表|工作).*"
    r"|(?:主要|共性|个性|部门|整体|绩效|产出|效益|满意度|数量|质量|时效|成本|社会|经济|生态|可持续影响)*"
    r"(?:指标)?"
)  # longer words before the figures are a sentence, not a name
_SEGMENT = re.compile(r"[^；;。]+[；;。]?")
UNPAIRED = "写了目标值和实际值，分不清各属哪一项"
# a clause ends at a comma, except one grouping digits (12,560)
_CLAUSE = re.compile(r"(?:[^，,；;。]|(?<=\d),(?=\d{3}))+")


@dataclass(frozen=True)
class Unread:
    """An indicator, or part of one, the report states that the draft does not hold as
    published: what the notes say of it, and its figures no rule checks (as published)."""

    note: str
    figures: tuple[str, ...] = ()
    # a doubt to mark at the draft's line of the sentence: its string's index, its words
    doubt: tuple[int, str] | None = None


@dataclass
class ReadIndicators:
    found: list[dict[str, Any]] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


def prose_indicators(strings: Iterable[tuple[str, str]]) -> ReadIndicators:
    """The indicators of the narrative's strings, each ``(context, text)``: those a rule can
    check (:func:`checkable`), and those the draft cannot hold. One stated with its target and
    actual value but no completion rate takes the rate a sentence states of it by name."""
    read, strings = ReadIndicators(), list(strings)
    found = [
        indicator | {"at": at}
        for at, (context, text) in enumerate(strings)
        for indicator in indicators_in(text, context)
    ]
    with_named_reasons(found, [text for _, text in strings])
    for indicator in rated_by_name(found):
        problem, figures = indicator.pop("problem", None), indicator.pop("figures")
        at = indicator.pop("at")
        if not checkable(indicator) and problem != UNPAIRED:
            continue
        if problem is None:
            read.found.append(indicator)
            continue
        said = f"原文“{indicator['sentence']}”中的指标{problem}，未写入 indicators，正文保留原文；"
        if "rate" in indicator:
            note = f"{said}如要核对其完成率，请在 indicators 中补上这一项"
            read.unread.append(Unread(note, tuple(figures)))
        else:  # its target and actual value: marked at its sentence, as other doubts are
            note = f"{said}核对后可在 indicators 中补上这一项（不写原文没有的完成率）"
            read.unread.append(Unread(note, tuple(figures), (at, indicator["sentence"])))
    return read


# A colon after a lead-in: full-width, or ASCII not between figures (“8:30” is a time)
_COLON = re.compile(r"：|(?<!\d):|:(?!\d)")
_LABEL = re.compile(r"(?<!预期)(?:目标|计划|实际|完成|达到|完成率|达成率)(?:值|数)?$")
_FIGURE_AFTER = re.compile(r"[ \u3000]{0,2}[≥≤><=]{0,2}[ \u3000]{0,2}\d(?!\d{3}年)")


def _labels_a_figure(text: str, colon: int) -> bool:
    """Whether the colon at ``colon`` stands between a figure's words and the figure."""
    return bool(_LABEL.search(text, 0, colon)) and bool(_FIGURE_AFTER.match(text, colon + 1))


def _last_colon(text: str) -> int:
    """Where the last colon after a lead-in is in ``text``, or -1; not one after the words
    of a figure (“目标值：45万人”, “实际完成：46.8万人”)."""
    found = [m.start() for m in _COLON.finditer(text) if not _labels_a_figure(text, m.start())]
    return found[-1] if found else -1


def indicators_in(text: str, context: str) -> list[dict[str, Any]]:
    """Indicators stated as “name [target] [actual unit]，指标完成率为 X%”, the name, target and
    actual value in any order before the rate (or target and actual after it); only where the
    clause or its ``context`` (heading, lead-in) speaks of 指标, or a target is stated. A lead-in
    (“产出指标：”, “效益指标：”) holds for the parts after it, up to the next one. One the draft
    cannot hold has a ``problem``; each has its ``figures`` as published. A rate in Chinese
    numerals (“千分之二”, “百分之九十五”) is read as its figures are (“2‰”, “95%”)."""
    published, typed = text, rates_as_figures(text)
    text, origin = typed.text, typed.origin
    found: list[dict[str, Any]] = []
    ends: list[int] = []  # where each was said to
    lead = ""
    for segment in _SEGMENT.finditer(text):
        start = segment.start()
        named = ""  # “家庭医生签约服务人数：目标值45万人，…”: the lead-in names the indicator
        colon = _last_colon(segment.group())
        if colon >= 0:
            head = segment.group()[:colon]
            cut = _last_colon(head)
            outer, last = (head[:cut], head[cut + 1 :]) if cut >= 0 else ("", head)
            if _names_one(last):
                named, lead = last, outer or lead
            else:
                lead = head
            start += colon + 1
        spans = [(m.start(), m.group()) for m in _CLAUSE.finditer(text, start, segment.end())]
        clauses = [clause for _, clause in spans]
        said = [(i, i, _indicator(clauses, i, context + lead)) for i in range(len(clauses))]
        said += _unrated(clauses, context + lead)
        for opening, closing, indicator in sorted(said, key=lambda each: each[1]):
            if indicator is None:
                continue
            if not indicator["name"] and named:
                indicator["name"], named = _clean_name(named), ""
            if (
                indicator.get("problem") != UNPAIRED
                and not 0 < len(indicator["name"]) <= _NAME_WIDTH
            ):
                indicator["problem"] = "没有找到指标名称"
            end = spans[closing][0] + len(spans[closing][1])
            end = with_score(text, end, indicator)
            indicator["sentence"] = sentence_at(published, origin[spans[opening][0]], origin[end])
            indicator["figures"] = [typed.published(f) for f in indicator["figures"]]
            found.append(indicator)
            ends.append(origin[end])
    with_reasons(published, found, ends)
    return found


def _runs(clauses: list[str]) -> list[tuple[int, int]]:
    """The clauses in runs, first and last index: one that states more than figures, and those
    after it that state only a target or an actual value (“培训人次目标500人次，实际完成520人次”)."""
    starts = [i for i, clause in enumerate(clauses) if i == 0 or not _figures_only(clause)]
    ends = [*starts[1:], len(clauses)] if starts else []
    return [(start, end - 1) for start, end in zip(starts, ends, strict=True)]


def _read_with_a_rate(clauses: list[str], first: int, last: int) -> bool:
    """Whether the run of clauses ``first``–``last`` is an indicator's read with its rate: it
    states a rate, or the clause after it states one of it (“…，实际完成46.8万人，完成率104%”)."""
    after = _INDICATOR_RATE.search(clauses[last + 1]) if last + 1 < len(clauses) else None
    return any(_INDICATOR_RATE.search(clause) for clause in clauses[first : last + 1]) or (
        after is not None and _figures_only(clauses[last + 1][: after.start()])
    )


def _unrated(clauses: list[str], context: str) -> list[tuple[int, int, dict[str, Any]]]:
    """The indicators stated with a target and an actual value and no completion rate
    (“群众满意度目标≥90%，实际完成92%”), each with the first and last of its clauses: no rate is
    written for them. Targets and actual values that cannot be paired are one, not read."""
    found, unpaired = [], []
    for first, last in _runs(clauses):
        described = "，".join(c.strip() for c in clauses[first : last + 1] if c.strip())
        targets = list(_TARGET.finditer(described))
        actuals = list(_STATED_ACTUAL.finditer(described))
        if (
            "预算" in described
            # money is the budget's, not a count's; “计划2025年完成” states a year
            or any((unit_of(m) or "").endswith("元") for m in (*targets, *actuals))
            or any(re.match(r"(?:19|20)\d\d年", described[m.start("value") :]) for m in targets)
            or _read_with_a_rate(clauses, first, last)
        ):
            continue
        if len(targets) != 1 or len(actuals) != 1:
            unpaired += [(first, last, m.group().strip(), m.re) for m in (*targets, *actuals)]
            continue
        indicator: dict[str, Any] = {"category": category_of(context)} | _described(described)
        indicator["name"] = _clean_name(indicator["name"])
        if len(indicator["name"]) == 1:
            indicator["problem"] = "没有找到指标名称"
        found.append((first, last, indicator))
    if {pattern for *_, pattern in unpaired} == {_TARGET, _STATED_ACTUAL}:
        figures = [figure for _, _, figure, _ in unpaired]
        said = {"category": category_of(context), "name": "", "problem": UNPAIRED}
        found.append((unpaired[0][0], unpaired[-1][1], said | {"figures": figures}))
    return found


def _figures_only(clause: str) -> bool:
    """Whether a clause states only a target, an actual value or both (“目标值45万人”, “实际完成
    46.8万人”, “目标值80人次、实际值88人次”): no name."""
    rest = clause.strip(_BETWEEN)
    while rest:
        when = _WHEN.match(rest)
        rest = rest[when.end() :] if when is not None else rest
        match = _TARGET.match(rest) or _STATED_ACTUAL.match(rest)
        if match is None:
            return False
        rest = rest[match.end() :].lstrip(_BETWEEN)
    return True


def _description(clauses: list[str], i: int, rate_at: int, rate_end: int) -> str:
    """What states the indicator whose rate clause ``i`` gives: the words before its rate and,
    while those state only figures, the clauses before it back to the one naming it (“家庭医生
    签约服务人数，目标值45万人，实际完成46.8万人，完成率104%”); then the words and clauses after
    it that state only its target or actual value (“…，完成率104%，目标值45万人，实际完成
    46.8万人”, “…完成率104%（目标值45万人，实际完成46.8万人）”)."""
    parts = [clauses[i][:rate_at].strip()]
    j = i - 1
    while j >= 0 and _figures_only(parts[0]) and not _INDICATOR_RATE.search(clauses[j]):
        parts.insert(0, clauses[j].strip())
        j -= 1
    tail = clauses[i][rate_end:]
    after: list[str] = []
    for clause in clauses[i + 1 :] if _figures_only(tail) else []:
        if _INDICATOR_RATE.search(clause):  # they are the next indicator's
            after = []
            break
        if not clause.strip() or not _figures_only(clause):
            break
        after.append(clause)
    if _figures_only(tail):
        after.insert(0, tail)
    return "，".join(part.strip() for part in [*parts, *after] if part.strip())


def _indicator(clauses: list[str], i: int, context: str) -> dict[str, Any] | None:
    """The indicator clause ``i`` states with its completion rate: where the text speaks of 指标,
    or states the indicator's target (“目标值 12,000 人次”)."""
    clause = clauses[i].strip()
    rate = _INDICATOR_RATE.search(clause)
    if rate is None or "预算" in clause:
        return None
    rate_at = clauses[i].index(rate.group())
    described = _description(clauses, i, rate_at, rate_at + len(rate.group()))
    if not described or "预算" in described:
        return None
    if "指标" not in clause + context and _TARGET.search(described) is None:
        return None
    indicator: dict[str, Any] = {"category": category_of(context), "rate": f"{rate.group(1)}%"}
    indicator |= _described(described)
    indicator["figures"] = [*indicator.pop("figures"), rate.group()]
    indicator["name"] = _clean_name(indicator["name"])
    return indicator


def _clean_name(words: str) -> str:
    """An indicator's name without the marks around it: a joined entry's “一是”, “指标” after
    it, quotation marks."""
    name = _NAME_LEAD.sub("", words).strip()
    if name.endswith("指标") and len(name) > len("指标") + 1:
        name = name[: -len("指标")]
    if len(name) > 2 and (name[0], name[-1]) in _QUOTES:
        name = name[1:-1]
    return name


def _names_one(lead: str) -> bool:
    """Whether a lead-in names one indicator (“孕产妇死亡率：”), not a kind of them or the list
    (“产出指标：”, “效益指标完成情况如下：”)."""
    words = lead.strip()
    return 1 < len(words) <= _NAME_WIDTH and _GENERIC_LEAD.fullmatch(words) is None


def unit_of(match: re.Match[str]) -> str | None:
    """A unit as the data holds it: without the spaces pdftotext sets in it."""
    return "".join(match.group("unit").split()) or None


def _described(described: str) -> dict[str, Any]:
    """Name, target, actual and unit from “培训人数目标值80人次、实际值88人次” or “培训人数88人次”
    (and the figures as published)."""
    target = _TARGET.search(described)
    stated = _STATED_ACTUAL.search(described)
    found: dict[str, Any] = {"figures": []}
    if target is None and stated is None:
        actual = _ACTUAL.match(described)
        if actual is None or not actual.group("name").strip():
            return found | {"name": described}
        found["name"] = actual.group("name").strip()
        found["actual"] = decimal_of(actual.group("actual"))
        found["figures"].append(described[actual.start("actual") :].strip())
        if unit_of(actual):
            found["unit"] = unit_of(actual)
        if actual.group("about"):
            found["approximate"] = True
        return found
    name_end = len(described)
    units: dict[str, str] = {}
    for match, key in ((target, "target"), (stated, "actual")):
        if match is None:
            continue
        name_end = min(name_end, match.start())
        found[key] = decimal_of(match.group("value"))
        found["figures"].append(match.group().strip())
        unit = unit_of(match)
        if unit:
            units[key] = unit
    if target is not None and (
        target.group("sign") in {"≤", "<", "<="} or (target.group("bound") or "").endswith(BELOW)
    ):
        found["direction"] = "negative"
    if target is not None and target.group("sign") in _PRINTED_SIGNS:
        found["sign"] = _PRINTED_SIGNS[target.group("sign")]  # printed before it as published
    if stated is not None and stated.group("about"):
        found["approximate"] = True
    named = re.sub(f"(?:{_WHEN.pattern})$", "", described[:name_end].rstrip("，,、（( "))
    actual = _ACTUAL.match(named) if stated is None else None
    if actual is not None and actual.group("name").strip():
        # “困难群众12,560 人次，目标值 12,000 人次”: the actual value stated before the target
        named = actual.group("name").strip()
        found["actual"] = decimal_of(actual.group("actual"))
        found["figures"].insert(0, described[actual.start("actual") : actual.end()].strip())
        if actual.group("about"):
            found["approximate"] = True
        if unit_of(actual):
            units["actual"] = unit_of(actual) or ""
    found["name"] = named
    said = {ascii_figures(unit) for unit in units.values()}
    if len(said) > 1:
        found["problem"] = f"目标值与实际值的单位不同（{'、'.join(units.values())}）"
    elif units:
        found["unit"] = units.get("actual", units.get("target"))
    return found


def checkable(indicator: dict[str, Any]) -> bool:
    """An indicator from the prose that a rule can check: its rate against target and actual
    (R205), or a rate below 100% that needs a reason (R206). Only these become facts: each
    fact adds a row to the indicator table reportgen prints, which the prose did not have."""
    if "target" in indicator and "actual" in indicator:
        return True
    rate = str(indicator.get("rate", "")).rstrip("%")
    try:
        return Decimal(rate) < 100
    except ArithmeticError:
        return False
