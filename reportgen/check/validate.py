"""Validation: load a YAML file, build the model, run every rule, locate every finding."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from reportgen.check.derive import Derived, derive
from reportgen.check.doubts import doubts
from reportgen.check.figures import table_figures
from reportgen.check.fill import Filled, fill_from_table
from reportgen.check.rules import run_rules, run_table_rules
from reportgen.check.table import TableView, compute_table
from reportgen.findings import Finding, Severity, error, has_errors, sort_findings
from reportgen.layout.outline import declared_keys, written_keys
from reportgen.layout.search import (
    DEFAULT_LAYOUT,
    Layout,
    LayoutChoice,
    LayoutSearch,
    choose,
    section_fields,
)
from reportgen.model.report import Report, SelfScore, report_model
from reportgen.read.counts import count_findings
from reportgen.read.loader import Document, load_file, load_text


@dataclass(frozen=True)
class Validation:
    """The outcome for one file: the model (when it could be built) and every finding."""

    document: Document
    report: Report | None
    derived: Derived | None
    findings: list[Finding]
    choice: LayoutChoice | None = None
    table: TableView | None = None  # the scored 自评表, when the data has one

    @property
    def ok(self) -> bool:
        return self.report is not None and not has_errors(self.findings)

    def strict(self) -> Validation:
        """The same outcome with warnings counted as errors (``--strict``), saying so."""
        return replace(self, findings=[_strict(f) for f in self.findings])


def _strict(finding: Finding) -> Finding:
    if finding.is_error:
        return finding
    return replace(
        finding, severity=Severity.ERROR, message=f"{finding.message}（--strict：警告按错误处理）"
    )


def validate_document(
    doc: Document, search: LayoutSearch | None = None, layout: str | None = None
) -> Validation:
    """Check ``doc`` in its layout: ``layout`` when given (``--layout``), else the data's."""
    findings = list(doc.findings) + count_findings(doc) + list(doubts(doc))
    if doc.data is None or has_errors(findings):
        return Validation(doc, None, None, sort_findings(findings))
    search = search if search is not None else LayoutSearch.from_options()
    name = layout or _layout_named(doc.data)
    return _validate(doc, search, name, search.find(name), layout is not None)


def validate_in_layout(
    doc: Document, layout: Layout, search: LayoutSearch | None = None
) -> Validation:
    """Check ``doc`` in ``layout`` itself (a folder being checked), whatever its ``layout:`` says."""
    findings = list(doc.findings) + count_findings(doc) + list(doubts(doc))
    if doc.data is None or has_errors(findings):
        return Validation(doc, None, None, sort_findings(findings))
    search = search if search is not None else LayoutSearch.from_options()
    return _validate(doc, search, layout.name, layout, True)


def _validate(
    doc: Document, search: LayoutSearch, name: str, found: Layout | None, from_option: bool
) -> Validation:
    findings = list(doc.findings) + list(doubts(doc))
    layout = name if from_option else None

    def chosen(report: Report) -> LayoutChoice:
        """The layout ``report`` is printed in, with its outline changes and its printing."""
        outline, thousands = report.outline, report.printing.money_thousands
        return choose(name, search, found, outline, layout is not None, thousands)

    declared = declared_keys(doc.data)
    if found is None:  # a layout not found (R001, said once): its sections are not known
        declared |= written_keys(doc.data)
    model = report_model(section_fields(found, declared))
    layout_problems = list(found.problems) if found is not None else []
    try:
        report = model.model_validate(doc.data)
    except ValidationError as exc:
        # imported here, so that a report without schema errors starts without them
        from reportgen.model.salvage import salvage
        from reportgen.model.schema_errors import allowed_keys, translate

        findings += translate(exc, doc, lambda loc: allowed_keys(loc, model)) + layout_problems
        salvaged = salvage(doc.data, model)
        if salvaged is not None:
            scored = _scored(salvaged.report, chosen(salvaged.report))
            trusted = (salvaged.trusted(f) for f in scored.findings)
            findings += [_located(f, doc) for f in trusted if f is not None]
        return Validation(doc, None, None, sort_findings(findings))
    if layout is not None:
        report = report.model_copy(update={"layout": layout})
    choice = chosen(report)
    scored = _scored(report, choice)
    findings += [_located(f, doc) for f in scored.findings] + layout_problems
    findings += scored.profile_problems
    if not scored.complete:
        return Validation(doc, None, None, sort_findings(findings), choice, scored.view)
    report = scored.filled.report
    return Validation(doc, report, scored.derived, sort_findings(findings), choice, scored.view)


@dataclass(frozen=True)
class _Scored:
    filled: Filled
    derived: Derived
    view: TableView | None
    findings: list[Finding]  # at paths of the data
    profile_problems: list[Finding]  # located in the profile's file
    complete: bool  # False: the score could not be computed (the findings say why)


def _scored(report: Report, choice: LayoutChoice) -> _Scored:
    """The report's rules, and its table scored and its rules, with what the table fills in."""
    view, profile, problems = None, None, []
    if report.table is not None:
        name = choice.profile_name(report.table.profile)
        found = choice.search.profile(name)
        if found is not None:
            problems = list(found.problems)
            profile = found.profile
        if profile is not None:
            view = compute_table(report, name, profile)
    filled = fill_from_table(report, view, profile)
    complete = filled.report.score is not None

    if not complete:  # stand-in, so that the other rules still run; nothing is said of it
        stand_in = filled.report.model_copy(update={"score": SelfScore(total=Decimal(0))})
        filled = Filled(stand_in, filled.roots | {"score"})
    derived = derive(filled.report)
    if view is not None:
        derived = replace(derived, table_figures=table_figures(view))
    findings = [f for f in run_rules(filled.report, derived, choice) if not filled.from_table(f)]
    if view is not None:
        findings += run_table_rules(report, view)
    if report.score is None and report.table is None:
        findings.append(
            error("S001", ("score",), "缺少必填项“score”（写了自评表 table 时可由程序计算）")
        )
    if not complete and not has_errors([*findings, *problems]):
        findings.append(error("R312", ("table",), "自评得分无法由自评表计算，请写出 score"))
    return _Scored(filled, derived, view, findings, problems, complete)


def _layout_named(data: object) -> str:
    """The data's ``layout:`` when it is a name; the model reports any other value."""
    named = data.get("layout") if isinstance(data, dict) else None
    return named if isinstance(named, str) else DEFAULT_LAYOUT


def _located(finding: Finding, doc: Document) -> Finding:
    return replace(
        finding,
        location=doc.locate(finding.path),
        related_locations=tuple(doc.locate(p) for p in finding.related),
    )


def validate_file(
    path: Path,
    display: str | None = None,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> Validation:
    """Validate one file; raises :class:`~reportgen.errors.UsageError` if it cannot be read."""
    return validate_document(load_file(path, display), search, layout)


def validate_text(
    text: str,
    display: str = "<text>",
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> Validation:
    return validate_document(load_text(text, display), search, layout)
