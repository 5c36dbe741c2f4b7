"""Validation: load a YAML file, build the model, run every rule, locate every finding."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from reportgen.derive import Derived, derive
from reportgen.findings import Finding, Severity, has_errors, sort_findings
from reportgen.loader import Document, load_file, load_text
from reportgen.model import Report
from reportgen.rules import run_rules
from reportgen.salvage import salvage
from reportgen.schema_errors import translate


@dataclass(frozen=True)
class Validation:
    """The outcome for one file: the model (when it could be built) and every finding."""

    document: Document
    report: Report | None
    derived: Derived | None
    findings: list[Finding]

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


def validate_document(doc: Document) -> Validation:
    findings = list(doc.findings)
    if doc.data is None or has_errors(findings):
        return Validation(doc, None, None, sort_findings(findings))
    try:
        report = Report.model_validate(doc.data)
    except ValidationError as exc:
        findings += translate(exc, doc)
        salvaged = salvage(doc.data)
        if salvaged is not None:
            found = run_rules(salvaged.report, derive(salvaged.report))
            findings += [_located(f, doc) for f in map(salvaged.trusted, found) if f is not None]
        return Validation(doc, None, None, sort_findings(findings))
    derived = derive(report)
    findings += [_located(f, doc) for f in run_rules(report, derived)]
    return Validation(doc, report, derived, sort_findings(findings))


def _located(finding: Finding, doc: Document) -> Finding:
    return replace(
        finding,
        location=doc.locate(finding.path),
        related_locations=tuple(doc.locate(p) for p in finding.related),
    )


def validate_file(path: Path, display: str | None = None) -> Validation:
    """Validate one file; raises :class:`~reportgen.errors.UsageError` if it cannot be read."""
    return validate_document(load_file(path, display))


def validate_text(text: str, display: str = "<text>") -> Validation:
    return validate_document(load_text(text, display))
