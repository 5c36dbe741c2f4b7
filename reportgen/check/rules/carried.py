"""A figure of last year left in this year's text (``previous:``, written by a next-year import)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.derive import Derived
from reportgen.check.figures import figures
from reportgen.check.rules.arithmetic import same_figure
from reportgen.check.rules.content import narrative_strings
from reportgen.check.rules.registry import Example, RuleSet
from reportgen.findings import FieldPath, Finding, error
from reportgen.model.amounts import (
    RATE_SIGN,
    RATE_SIGNS,
    FigureKind,
    as_typed,
    decimals,
    in_percent,
    round_to,
)
from reportgen.model.placeholders import fact_strings
from reportgen.model.previous import figure_kind_at, parse_quantity, quantities_in, typed_figure
from reportgen.model.report import Report

# A number and its unit in text made half-width (NFKC); a number starts only where no digit,
# decimal point, placeholder or thousands group (“1,”) stands before it — a Chinese comma, which
# NFKC makes “,”, may. Bounded repetitions: linear on any text.
_TYPED_FIGURE = re.compile(
    r"(?<![\d.}])(?<!\d,)(\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,16}(?:\.\d{1,6})?)"
    rf"\s{{0,3}}(万元|亿元|元|{RATE_SIGN}|分(?![钟之]))"
)

rules = RuleSet()
_UNIT_KIND = {"万元": FigureKind.MONEY, "亿元": FigureKind.MONEY, "元": FigureKind.MONEY}
_KIND_WORD = {FigureKind.MONEY: "金额", FigureKind.SCORE: "分数"}  # a rate's: its sign's
_IN_TEN_THOUSANDS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}


def _typed_value(number: str, unit: str) -> tuple[FigureKind, Decimal, int]:
    """What a typed figure says: its kind, its value (money in 万元, a rate as typed, in % or
    ‰) and its decimals."""
    value = Decimal(number.replace(",", ""))
    places = decimals(value)
    if unit in _IN_TEN_THOUSANDS:
        return FigureKind.MONEY, value * _IN_TEN_THOUSANDS[unit], places
    return (FigureKind.RATE if unit in RATE_SIGNS else FigureKind.SCORE), value, places


def _kind_word(kind: FigureKind, unit: str) -> str:
    """What last year's figure is called: a rate as this year's is typed (百分比, 千分比)."""
    return RATE_SIGNS[unit].name if kind is FigureKind.RATE else _KIND_WORD[kind]


def _as_typed(kind: FigureKind, last: Decimal, unit: str) -> Decimal:
    """Last year's figure in the unit a figure of this year is typed in: a rate (held in per
    cent) in ‰ when typed so, compared at the decimals typed."""
    return as_typed(last, unit) if kind is FigureKind.RATE else last


def _same(typed: Decimal, places: int, last: Decimal) -> bool:
    """Whether a typed figure is last year's: equal, or the same figure at the decimals it was
    typed with (“66.5%” for 66.55%, by the one comparison policy) — a whole number only when
    equal (100% is common)."""
    return typed == last or (places > 0 and same_figure(typed, last))


@rules.rule(
    "R011",
    "正文中的数不应与上一年度（previous）的数相同，除非已确认",
    examples=[
        Example(
            "      body: 完善指标体系。",
            "      body: 完善指标体系。全年支出 987.65万元。\nprevious:\n  year: 2023\n"
            "  figures:\n    budget.expenditure.total: 987.65",
        )
    ],
    fix="草稿由上一年的报告导入，正文沿用了上一年的文字：把这个数改为本年度的数（最好改用消息中的"
    "占位符，数据改动时正文随之更新）。这个数确实是本年度的（如与上一年恰好相同的结转结余率上限、"
    "与上一年同样的“12场”），就把它照正文的写法加到 previous.confirmed 中，如“- 10%”“- 12场”。"
    "金额、百分比（及千分比，如 1.85‰）、分数与 previous.figures、previous.amounts、previous.rates 比较；带计数单位的数（人次、万宗、个、场、件……）"
    "与 previous.quantities 比较，数值和单位都相同才算。本年度的指标（含自评表的指标）的目标值、实际值"
    "仍是这个数（如沿用上一年的目标值“≥90%”“≤2‰”）时，正文中的这个数不报。",
)
def carried_figures(report: Report, derived: Derived) -> Iterator[Finding]:
    previous = report.previous
    if previous is None:
        return
    current = figures(report, derived)
    confirmed = {typed_figure(text) for text in previous.confirmed}
    last: list[tuple[FigureKind, Decimal, str]] = []
    for field, value in previous.figures.items():
        kind = figure_kind_at(type(report), field)
        if kind is None:
            yield error(
                "R011",
                ("previous", "figures", field),
                f"“{field}”不是数据中的一个数（应与 ${{…}} 中的写法相同，如 budget.expenditure.total）",
            )
            continue
        now = current.get(field, (None, None))[1]
        if isinstance(now, Decimal) and round_to(now, decimals(value)) == value:
            continue  # this year's data states the same figure: the text may too
        last.append((kind, value, field))
    last += [(FigureKind.MONEY, amount, "") for amount in previous.amounts]
    stated = _indicator_rates(report)
    last += [(FigureKind.RATE, rate, "") for rate in previous.rates if rate not in stated]
    counted = _last_quantities(report, previous.quantities)
    for path, text in [*narrative_strings(report), *fact_strings(report)]:
        yield from _carried_quantities(path, text, counted, confirmed, previous.year)
        plain = unicodedata.normalize("NFKC", text)
        for match in _TYPED_FIGURE.finditer(plain):
            if typed_figure(match.group(0)) in confirmed:
                continue
            kind, typed, places = _typed_value(match.group(1), match.group(2))
            hit = next(
                (
                    f
                    for f in last
                    if f[0] is kind and _same(typed, places, _as_typed(kind, f[1], match.group(2)))
                ),
                None,
            )
            if hit is None:
                continue
            last_kind, value, name = hit
            said = (
                f"上一年度（{previous.year} 年）的 {name} "
                if name
                else f"上一年度（{previous.year} 年）正文中的{_kind_word(last_kind, match.group(2))}"
            )
            advice = f"（或 ${{{name}}}）" if name else ""
            yield error(
                "R011",
                path,
                f"正文中的“{match.group(0)}”与{said}相同：请改为本年度的数{advice}；"
                f"确属本年度的数，请在 previous.confirmed 中写上“{typed_figure(match.group(0))}”",
                expected="本年度的数",
                actual=match.group(0),
            )


def _indicator_rates(report: Report) -> set[Decimal]:
    """The rates (in per cent) this year's indicators state as a target or an actual value in %
    or ‰, in the report and in its 自评表: a target kept from last year (“≥90%”) may stand in the
    text, as a quantity kept does (:func:`_last_quantities`)."""
    said: list[tuple[Decimal | str | None, str | None]] = [
        (value, indicator.unit)
        for indicator in report.indicators
        for value in (indicator.target, indicator.actual)
    ]
    table = report.table
    for block in table.indicators if table is not None else []:
        for group in block.items:
            said += [
                (value, leaf.unit)
                for leaf in group.items
                for value in (leaf.target, leaf.adjusted_target, leaf.actual)
            ]
    return {
        in_percent(value, unit)
        for value, unit in said
        if isinstance(value, Decimal) and unit in RATE_SIGNS
    }


def _last_quantities(report: Report, quantities: list[str]) -> dict[tuple[Decimal, str], str]:
    """Last year's quantities (``previous.quantities``) by value and unit, as typed; those this
    year's indicators state again (a target kept, with its unit) may stand in the text too."""
    stated = {
        (value, indicator.unit)
        for indicator in report.indicators
        for value in (indicator.target, indicator.actual)
        if isinstance(value, Decimal) and indicator.unit
    }
    counted: dict[tuple[Decimal, str], str] = {}
    for typed in quantities:
        found = parse_quantity(typed)
        if found is not None and found not in stated:
            counted.setdefault(found, typed)
    return counted


def _carried_quantities(
    path: FieldPath,
    text: str,
    counted: dict[tuple[Decimal, str], str],
    confirmed: set[str],
    year: int,
) -> Iterator[Finding]:
    """An error at each quantity of last year's (“2544人次”) typed in ``text``."""
    if not counted:
        return
    for typed, value, unit in quantities_in(text):
        last = counted.get((value, unit))
        if last is None or typed_figure(typed) in confirmed:
            continue
        yield error(
            "R011",
            path,
            f"正文中的“{typed}”与上一年度（{year} 年）的“{last}”相同："
            f"请改为本年度的数；确属本年度的数，请在 previous.confirmed 中写上“{typed_figure(typed)}”",
            expected="本年度的数",
            actual=typed,
        )
