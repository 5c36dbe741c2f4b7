"""Scores typed in the narrative (R006, with :mod:`reportgen.check.rules.content`'s amounts):
those that equal a score the 自评表 computes, and a self-score that is not ``score.total``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from reportgen.check.derive import Derived
from reportgen.check.figures import figures
from reportgen.findings import FieldPath, Finding, warning
from reportgen.model import formatting
from reportgen.model.amounts import FigureKind, round_to
from reportgen.model.report import Report

# A score typed after 得分/评分: “自评得分为98.79分”, “预算执行得分9.79分”.
_TYPED_SCORE = re.compile(r"(?:得分|评分)(?:为|是)?\s{0,3}(\d{1,3}(?:\.\d{1,2})?)\s{0,3}分")


def _score_facts(report: Report, derived: Derived) -> dict[Decimal, str]:
    """With a 自评表, each score it computes → its placeholder: the self-score (as
    ``score.total``), the first-level scores, the funds block's, each block's, group's and
    indicator's. A score several of them share (10 for many indicators) has none."""
    if report.table is None:
        return {}
    found: dict[Decimal, list[str]] = {}
    for path, (kind, value) in figures(report, derived).items():
        own = path == "score.total" or (
            path.startswith("score.components") and path.endswith(".score")
        )
        table = path.startswith("table.") and path.endswith("score") and path != "table.score"
        if kind is FigureKind.SCORE and isinstance(value, Decimal) and (own or table):
            found.setdefault(round_to(value, 2), []).append(path)
    return {value: paths[0] for value, paths in found.items() if len(paths) == 1}


def typed_scores(path: FieldPath, text: str, report: Report, derived: Derived) -> Iterator[Finding]:
    facts = _score_facts(report, derived)
    for match in _TYPED_SCORE.finditer(text):
        typed = Decimal(match.group(1))
        same = facts.get(typed)
        if same is None:
            continue
        shown = formatting.score(typed)
        change = "" if shown == match.group(1) else f"（印出为“{shown}”，不再是“{match.group(1)}”）"
        yield warning(
            "R006",
            path,
            f"正文手写了得分“{match.group(1)}分”，与自评表的 {same} 相同；请改用 ${{{same}}}{change}，"
            "自评表改动时正文才会随之更新",
            expected=f"${{{same}}}",
            actual=f"{match.group(1)}分",
        )


# The self-score typed after the words that name it: “自评总分为92.30分”, “综合得分99.69分”,
# “部门整体支出绩效评价得分为93分”. Not “自评得分” alone (a project's own score reads so too).
_TYPED_TOTAL = re.compile(
    r"(?:总分|综合得分|总得分|整体支出绩效(?:自评|评价)?得分)(?:为|是|：|:)?\s{0,3}"
    r"(\d{1,3}(?:\.\d{1,2})?)\s{0,3}分"
)
# What makes a typed total another one: the scale (满分), a comparison, another year's.
_ANOTHER_TOTAL = re.compile(r"满分|上年|去年|上一年|同比|较|相比")


def typed_totals(path: FieldPath, text: str, report: Report) -> Iterator[Finding]:
    """A self-score typed in the text that is not ``score.total``: the text kept a figure the
    data has since changed (or the other way round)."""
    total = report.self_score.total
    for match in _TYPED_TOTAL.finditer(text):
        typed = Decimal(match.group(1))
        if typed == 100 or round_to(typed, 2) == round_to(total, 2):
            continue
        clause = re.split(r"[。；;，,]", text[: match.start()])[-1]
        years = {int(year) for year in re.findall(r"(\d{4})\s{0,2}年", clause)}
        if _ANOTHER_TOTAL.search(clause) or years - {report.year}:
            continue
        yield warning(
            "R006",
            path,
            f"正文写的自评总分“{match.group(1)}分”与 score.total = {formatting.score(total)} "
            "不同，是否写错？请改用 ${score.total}，数据改动时正文才会随之更新",
            expected=formatting.score(total),
            actual=f"{match.group(1)}分",
        )
