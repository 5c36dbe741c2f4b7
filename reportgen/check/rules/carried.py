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
from reportgen.findings import Finding, error
from reportgen.model.amounts import FigureKind, decimals, round_to
from reportgen.model.placeholders import fact_strings
from reportgen.model.previous import figure_kind_at, typed_figure
from reportgen.model.report import Report

# A number and its unit in text made half-width (NFKC); a number starts only where no digit,
# separator or placeholder stands before it. Bounded repetitions: linear on any text.
_TYPED_FIGURE = re.compile(
    r"(?<![\d,.}])(\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,16}(?:\.\d{1,6})?)"
    r"\s{0,3}(万元|亿元|元|%|分(?![钟之]))"
)

rules = RuleSet()
_UNIT_KIND = {"万元": FigureKind.MONEY, "亿元": FigureKind.MONEY, "元": FigureKind.MONEY}
_IN_TEN_THOUSANDS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}


def _typed_value(number: str, unit: str) -> tuple[FigureKind, Decimal, int]:
    """What a typed figure says: its kind, its value (money in 万元) and its decimals."""
    value = Decimal(number.replace(",", ""))
    places = decimals(value)
    if unit in _IN_TEN_THOUSANDS:
        return FigureKind.MONEY, value * _IN_TEN_THOUSANDS[unit], places
    return (FigureKind.RATE if unit == "%" else FigureKind.SCORE), value, places


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
    "占位符，数据改动时正文随之更新）。这个数确实是本年度的（如与上一年恰好相同的结转结余率上限），"
    "就把它照正文的写法加到 previous.confirmed 中，如“- 10%”。",
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
    for path, text in [*narrative_strings(report), *fact_strings(report)]:
        plain = unicodedata.normalize("NFKC", text)
        for match in _TYPED_FIGURE.finditer(plain):
            if typed_figure(match.group(0)) in confirmed:
                continue
            kind, typed, places = _typed_value(match.group(1), match.group(2))
            hit = next((f for f in last if f[0] is kind and _same(typed, places, f[1])), None)
            if hit is None:
                continue
            _, value, name = hit
            said = (
                f"上一年度（{previous.year} 年）的 {name} "
                if name
                else f"上一年度（{previous.year} 年）正文中的金额"
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
