"""``reportgen audit``: check a published report as it stands — import it, run every rule, and
quote the sentence each slip comes from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from reportgen.check.rules.arithmetic import comparison_of
from reportgen.check.rules.evaluation import REASON_WANTED
from reportgen.check.validate import validate_text
from reportgen.findings import Finding, Severity, clip, format_path, has_errors, parse_path
from reportgen.importer import Imported, import_report
from reportgen.importer.coverage import checked_figures, figure_label
from reportgen.importer.draft import draft_text
from reportgen.importer.facts import DATED, TO_FILL, Conflict
from reportgen.importer.numerals import (
    CHINESE_PERCENT,
    MONEY_UNITS,
    chinese_percent,
    exactly_in_ten_thousands,
    plain_number,
)
from reportgen.importer.outline import current_search, searching
from reportgen.importer.precision import (
    coarse_range,
    found_within_the_cent,
    held_to_the_cent,
    within_precision,
)
from reportgen.layout.search import LayoutSearch

# Advice on how to write the YAML (use ${…}, drop typed numbers, check what import guessed):
# the published text is not YAML. R006's “相近而不等” too: a figure of the prose the import could
# not place is most often another figure near a fact (a budget beside its spending, within 1%),
# and a figure stated twice otherwise is said by the import itself (R012, :func:`_inconsistent`).
_DRAFTING_ADVICE = frozenset({"R006", "R007", "R012"})
# The table's rules on all its rows at once: with a row not read, they would report a slip
# that is not in the table (a weight missing from the sum).
_EVERY_ROW = frozenset({"R302", "R303", "R310"})
_LEAF_DEPTH = 7  # table.indicators[b].items[g].items[i]
_QUOTED = 80  # characters of a sentence quoted beside a figure no rule checks


@dataclass(frozen=True)
class Slip:
    finding: Finding
    sentences: tuple[str, ...]  # the published sentences of the figures involved
    written: str | None = None  # the stated figure as the published text writes it

    def as_text(self, source: str) -> str:
        finding = self.finding
        subject = f"{format_path(finding.path)}: " if finding.path else ""
        label = "错误" if finding.is_error else "警告"
        lines = [f"{source}: {label} {finding.code} {subject}{finding.message}"]
        if finding.expected is not None and finding.actual is not None:
            expected, actual = finding.expected, finding.actual
            if self.written is not None:  # both as the report writes its figures
                expected, actual = _written_like(self.written, expected), self.written
            lines.append(f"    应为 {expected}，原文为 {actual}")
        lines += [f"    原文：“{sentence}”" for sentence in self.sentences]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        found = self.finding.as_dict()
        for key in ("file", "line", "column", "related"):
            found.pop(key, None)
        found["related"] = [format_path(p) for p in self.finding.related]
        found["sentences"] = list(self.sentences)
        return found


@dataclass(frozen=True)
class Unchecked:
    """A figure of the published text that no rule checks: by its field path (or, when the draft
    cannot hold it, the text it was written in), what it is called, and where it was said."""

    key: str  # budget.initial; 原文“目标值45万人”; 1,228.22万元（未能归类）
    label: str = ""  # 年初预算
    written: str = ""  # 1,200.00, as the report writes it
    sentence: str = ""

    def as_text(self) -> str:
        named = " ".join(
            part for part in (self.label if self.label != self.key else "", self.written) if part
        )
        said = f"{named}（{self.key}）" if named else self.key
        return f"{said}，原文：“{self.sentence}”" if self.sentence else said


@dataclass(frozen=True)
class Audit:
    source: str
    layout: str
    slips: list[Slip]
    checked: list[str] = field(default_factory=list)  # figures a rule checks, by path
    unchecked: list[Unchecked] = field(default_factory=list)  # figures found no rule checks
    unaudited: list[str] = field(default_factory=list)  # why the report could not be audited

    @property
    def ok(self) -> bool:
        return not self.unaudited and not has_errors(slip.finding for slip in self.slips)

    def coverage(self) -> str:
        """How much of the report was checked, in a few words."""
        found = len(self.checked) + len(self.unchecked)
        return f"原文中找到 {found} 个数，核对了 {len(self.checked)} 个"


@dataclass(frozen=True)
class Unread:
    """A file of a batch that could not be audited, and why (its error's Chinese text)."""

    source: str
    reason: str
    exit_code: int


def audit_file(path: Path, table: Path | None = None, search: LayoutSearch | None = None) -> Audit:
    """Audit one published report, with its published 自评表 when ``table`` names it (the
    table's rules then check the table, and the table against the report), in the layouts
    ``search`` finds (``--templates``); raises :class:`UsageError` (exit 2) when either cannot
    be read."""
    with searching(search):
        return _audit_file(path, table)


def _audit_file(path: Path, table: Path | None) -> Audit:
    imported = import_report(path)
    fine = held_to_the_cent(imported.facts)
    dropped = _without_carryover_lacking_its_amount(imported)
    text = draft_text(imported)
    published = None
    if table is not None:
        from reportgen.importer.table_audit import with_table

        text, published = with_table(text, table, imported.mapping.layout)
    validation = validate_text(text, f"{path}（导入稿）", current_search())
    checked, unplaced = checked_figures(validation.document)
    data = validation.document.data
    unchecked = [
        Unchecked(
            key,
            figure_label(data, key),
            imported.written(key) or "",
            clip(imported.sentence_of(key) or "", _QUOTED),
        )
        for key in unplaced
    ]
    unchecked += [Unchecked(said) for said in imported.unwritten]  # the draft cannot hold it
    # an amount the import could not place, a rate of a point of the year: found, not checked
    unchecked += [
        Unchecked(f"{figure}（{said}）", sentence=clip(sentence, _QUOTED))
        for found, said in ((imported.facts.unplaced, "未能归类"), (imported.facts.dated, DATED))
        for figure, sentence in found
    ]
    unaudited = []
    if not imported.chapters:
        unaudited.append("没有找到“一、”这样的一级标题，无法分节：报告的结构和各节无从核对")
    if not checked and not unchecked:
        unaudited.append("原文中没有找到可核对的数（金额、执行率、得分等）")
    elif not checked:
        unaudited.append(f"原文中找到的 {len(unchecked)} 个数没有一个能与别的数相互核对")
    partial = published is not None and published.indicators_partial
    if published is not None:
        unaudited += [f"自评表 {row}" for row in published.unread]
    if partial:
        unaudited.append(
            "自评表有未读入的绩效指标：分值合计、自评得分与一级指标（R302、R303、R310）未核对"
        )
    slips = []
    coarse = _coarse_figures(imported) | fine
    stated = {(f.code, f.path) for f in validation.findings}
    turned = [
        _within_precision(finding, coarse, imported, at=corner)
        for finding, corner in found_within_the_cent(validation.document, fine, current_search())
        if (finding.code, finding.path) not in stated
    ]
    # a finding at a cent either side is said within precision already (rewritten)
    for finding, rewritten in [
        *((f, False) for f in validation.findings),
        *((f, True) for f in turned),
    ]:
        if finding.code == "R003" and any(f"${{{path}}}" in finding.message for path in dropped):
            continue  # the prose's placeholder of a figure taken out of the draft above
        kept = _as_published(finding, imported)
        if kept is None or (partial and _on_every_row(finding)):
            continue
        # an error, or a difference within rounding, that the coarse or fine figures explain
        compared = kept.is_error or (kept.expected is not None and not rewritten)
        if compared and within_precision(validation.document, kept, coarse, current_search()):
            kept = _within_precision(kept, coarse, imported)
        sentences: list[str] = []
        for each in (kept.path, *kept.related):
            where = format_path(each)
            sentence = imported.sentence_of(where)
            if published is not None and each[:1] == ("table",):
                sentence = published.row_of(where)
            if sentence:
                sentences = quoted_once(sentences, sentence)
        slips.append(Slip(kept, tuple(sentences), _written(kept, imported)))
    slips += [_inconsistent(conflict) for conflict in imported.facts.conflicts]
    return Audit(str(path), imported.mapping.layout, slips, checked, unchecked, unaudited)


_CARRYOVER_FIGURES = {
    "budget.carryover.year_start": "年初结转结余",
    "budget.carryover.rate": "结转结余率",
    "budget.carryover.limit": "结转结余率上限",
}


def _without_carryover_lacking_its_amount(imported: Imported) -> set[str]:
    """A carry-over rate or limit without the year-end carry-over it is measured by: the draft
    would ask for the amount (待填写), which fails the whole budget, so that no rule checks any
    of it. For audit the carry-over's figures are said unchecked instead, and the rest checked."""
    found = imported.facts.found
    dropped: set[str] = set()
    if "budget.carryover.year_end" in found:
        return dropped
    for path, label in _CARRYOVER_FIGURES.items():
        fact = found.pop(path, None)
        if fact is not None:
            dropped.add(path)
            imported.unwritten.append(
                f"{label} {fact.token}（{path}；原文中没有找到年末结转结余，无法核对），"
                f"原文：“{clip(fact.sentence, _QUOTED)}”"
            )
    return dropped


def _coarse_figures(imported: Imported) -> dict[str, tuple[Decimal, Decimal]]:
    """The figures the report writes more coarsely than the data holds them (in 亿元), with
    the range of 万元 amounts each stands for, by field path."""
    found: dict[str, tuple[Decimal, Decimal]] = {}
    for path in imported.facts.found:
        written = imported.written(path)
        bounds = coarse_range(written) if written else None
        if bounds is not None:
            found[path] = bounds
    return found


def _within_precision(
    finding: Finding,
    coarse: dict[str, tuple[Decimal, Decimal]],
    imported: Imported,
    at: Decimal | None = None,
) -> Finding:
    """``finding``, a difference smaller than a figure written coarsely (亿元), or finely (元,
    beyond the data's 0.01 万元), can show: a warning that says so (and, for one found with the
    figure a cent off, ``at`` that value)."""
    involved = [w for w in map(format_path, (finding.path, *finding.related)) if w in coarse]
    coarsely = [f"{imported.written(w)}" for w in involved if imported.inexact_at(w) is None]
    finely = [
        f"{each.token}，折合 {each.exact.normalize():f} 万元"
        for each in map(imported.inexact_at, involved)
        if each is not None
    ]
    said = ([f"以亿元写出（{'、'.join(coarsely)}）"] if coarsely else []) + (
        [f"以元写出（{'；'.join(finely)}），数据只能精确到 0.01 万元"] if finely else []
    )
    return replace(
        finding,
        severity=Severity.WARNING,
        # no “应为 …”: within its precision the published figure may well be the right one
        expected=None,
        actual=None,
        message=f"原文{'，'.join(said)}，在其精度内相符，无法更精确核对："
        + (f"按 {at} 万元核对时，" if at is not None else "")
        + comparison_of(finding.message),
    )


def _inconsistent(conflict: Conflict) -> Slip:
    """A figure the report states twice, otherwise the second time: an error, whichever is
    right (the draft marks it for R012 at the second)."""
    finding = Finding(
        "R012",
        Severity.ERROR,
        f"原文前后不一致：前文为 {conflict.first}，{conflict.where}为 {conflict.then}",
        parse_path(conflict.path) or (),
    )
    sentences = quoted_once([conflict.first_sentence], conflict.sentence)
    return Slip(finding, tuple(sentences))


def quoted_once(sentences: list[str], sentence: str) -> list[str]:
    """``sentences`` with ``sentence`` added, unless it is part of one of them (a figure's
    sentence can be a window of a longer one another figure came from); a sentence it holds
    gives way to it, in its place."""
    if any(sentence in quoted for quoted in sentences):
        return sentences
    kept = [quoted for quoted in sentences if quoted not in sentence]
    if len(kept) == len(sentences):
        return [*sentences, sentence]
    first = next(i for i, quoted in enumerate(sentences) if quoted in sentence)
    return [*kept[:first], sentence, *kept[first:]]


def _written(finding: Finding, imported: Imported) -> str | None:
    """The stated figure of ``finding`` as the published text writes it (“92.30”, “3,401.26”,
    “887,654,300.00元”), when it is the figure the finding says was stated."""
    written = imported.written(format_path(finding.path))
    if written is None or finding.actual is None:
        return None
    figure, unit = _unit_of(written)
    number = plain_number(figure)
    if number is not None and unit is not None:
        number = exactly_in_ten_thousands(number, unit)
    chinese = CHINESE_PERCENT.fullmatch(written)
    if chinese is not None:  # 百分之九十七点七三
        number = chinese_percent(chinese)
    return written if number is not None and number == plain_number(finding.actual) else None


def _written_like(written: str, value: str) -> str:
    """``value`` (a number as the data has it, money in 万元) with the decimals, thousands
    separators, per cent sign and unit (元, 亿元) of ``written``, when that loses none of its
    digits; else ``value`` as it is (money in 万元 said so beside an amount written in 元)."""
    number = in_wan = plain_number(value)
    if number is None or in_wan is None or CHINESE_PERCENT.fullmatch(written):
        return value  # “应为 95.00%，原文为 百分之九十”
    written, unit = _unit_of(written)
    if unit is not None:  # back from 万元 to the unit written
        number = number / exactly_in_ten_thousands(Decimal(1), unit)
    places = len(re.sub(r"[%％\s]", "", written).partition(".")[2])
    shown = number.quantize(Decimal(1).scaleb(-places))
    if shown != number:
        return value if unit is None else f"{in_wan:,f}万元"
    text = f"{shown:,f}" if "," in written else f"{shown:f}"
    if unit is not None:
        return f"{text}{unit}"
    return f"{text}%" if written.rstrip().endswith(("%", "％")) else text


def _unit_of(written: str) -> tuple[str, str | None]:
    """A figure as written and its unit when it is not the data's (元, 千元 or 亿元, not 万元)."""
    for unit in MONEY_UNITS:
        if written.endswith(unit):
            return written.removesuffix(unit), None if unit == "万元" else unit
    return written, None


def _on_every_row(finding: Finding) -> bool:
    """A finding on the table as a whole (a sum over its rows), not on one row of it."""
    return finding.code in _EVERY_ROW and len(finding.path) < _LEAF_DEPTH


def _as_published(finding: Finding, imported: Imported) -> Finding | None:
    """The finding as it concerns the published text, or ``None`` when it is drafting advice.
    What the text leaves out (a section, a figure) is a warning: no rule can check it."""
    if finding.code in _DRAFTING_ADVICE:
        return None
    if finding.code == "R002" and finding.is_error:
        return replace(
            finding,
            severity=Severity.WARNING,
            message=f"原文没有这一节：{finding.message}",
            location=None,
        )
    if finding.code == "R206":  # the published text, not a YAML field, lacks the reason
        said = finding.message.replace(REASON_WANTED, "原文没有写明未完成的原因")
        return replace(finding, message=said, location=None, related_locations=())
    if TO_FILL in finding.message:
        inexact = imported.inexact_at(format_path(finding.path))
        said = "原文中没有找到这一项" if inexact is None else inexact.reason()
        return replace(
            finding,
            severity=Severity.WARNING,
            message=f"{said}，相关规则无法核对",
            location=None,
        )
    return replace(finding, location=None, related_locations=())


def audits_to_json(audits: list[Audit | Unread]) -> str:
    """Every file in the order given: an audited file's findings, an unread file's reason."""
    files = [
        {"file": audit.source, "ok": False, "error": audit.reason}
        if isinstance(audit, Unread)
        else {
            "file": audit.source,
            "layout": audit.layout,
            "ok": audit.ok,
            "unaudited": audit.unaudited,
            "figures": len(audit.checked) + len(audit.unchecked),
            "checked": audit.checked,
            "unchecked": [figure.key for figure in audit.unchecked],
            "errors": sum(s.finding.is_error for s in audit.slips),
            "warnings": sum(not s.finding.is_error for s in audit.slips),
            "findings": [slip.as_dict() for slip in audit.slips],
        }
        for audit in audits
    ]
    return json.dumps({"files": files}, ensure_ascii=False, indent=2)
