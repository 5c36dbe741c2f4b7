"""Validation: load a YAML file, build the model, run every rule, locate every finding."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from reportgen.check.derive import Derived, derive
from reportgen.check.rules import run_rules
from reportgen.findings import Finding, Severity, has_errors, sort_findings
from reportgen.layout.outline import declared_keys, section_keys
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutChoice, LayoutSearch, choose
from reportgen.model.report import Report, report_model
from reportgen.read.loader import Document, load_file, load_text


@dataclass(frozen=True)
class Validation:
    """The outcome for one file: the model (when it could be built) and every finding."""

    document: Document
    report: Report | None
    derived: Derived | None
    findings: list[Finding]
    choice: LayoutChoice | None = None

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
    findings = list(doc.findings)
    if doc.data is None or has_errors(findings):
        return Validation(doc, None, None, sort_findings(findings))
    search = search if search is not None else LayoutSearch.from_options()
    name = layout or _layout_named(doc.data)
    found = search.find(name)
    keys = declared_keys(doc.data)
    if found is not None and found.outline is not None:
        keys |= set(section_keys(found.outline))
    model = report_model(frozenset(keys))
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
            choice = choose(
                name,
                search,
                found,
                salvaged.report.outline,
                layout is not None,
                salvaged.report.printing.money_thousands,
            )
            found_rules = run_rules(salvaged.report, derive(salvaged.report), choice)
            trusted = (salvaged.trusted(f) for f in found_rules)
            findings += [_located(f, doc) for f in trusted if f is not None]
        return Validation(doc, None, None, sort_findings(findings))
    if layout is not None:
        report = report.model_copy(update={"layout": layout})
    choice = choose(
        name, search, found, report.outline, layout is not None, report.printing.money_thousands
    )
    derived = derive(report)
    findings += [_located(f, doc) for f in run_rules(report, derived, choice)] + layout_problems
    return Validation(doc, report, derived, sort_findings(findings), choice)


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
