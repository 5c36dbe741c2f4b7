"""Render many reports in one run: each validated first, none overwriting another's file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import FileSystemError, RenderError, ReportgenError, interruption
from reportgen.findings import Finding
from reportgen.layouts import LayoutSearch
from reportgen.pdf import convert_to_pdf
from reportgen.render import output_name, render_to_file
from reportgen.validate import validate_file


@dataclass
class RenderResult:
    """What happened to one input file."""

    source: Path
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    error: ReportgenError | None = None

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return 1 if any(f.is_error for f in self.findings) else 0


def render_files(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    template: Path | None = None,
    strict: bool = False,
    pdf: bool = False,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> Iterator[RenderResult]:
    """Validate and render each source in turn; a failure stops only its own file.

    ``layout`` (``--layout``) replaces each file's ``layout:``; ``search`` says where layouts are.
    """
    claimed: dict[str, Path] = {}
    for source in sources:
        result = RenderResult(source)
        try:
            outcome = validate_file(source, search=search, layout=layout)
            if strict:
                outcome = outcome.strict()
            result.findings = outcome.findings
            if outcome.ok and outcome.report is not None:
                name = output_name(outcome.report.year, outcome.report.department)
                if name in claimed:
                    raise RenderError(
                        f"与 {claimed[name]} 的报告同名（{name}），为免覆盖未生成；"
                        "同一部门同一年度只能有一份数据"
                    )
                written = render_to_file(outcome, out_dir, template)
                claimed[name] = source
                result.written.append(written)
                if pdf:
                    result.written.append(_convert_to_pdf(written, out_dir))
        except ReportgenError as exc:
            _stop_if_interrupted(exc)
            result.error = exc
        except OSError as exc:  # one the steps above did not expect, e.g. reading a template
            _stop_if_interrupted(exc)
            result.error = FileSystemError(f"无法访问 {exc.filename or source}", exc)
        yield result


def _convert_to_pdf(docx: Path, out_dir: Path) -> Path:
    try:
        return convert_to_pdf(docx, out_dir)
    except OSError as exc:
        _stop_if_interrupted(exc)
        # the error names LibreOffice's temporary files; the user knows the PDF's name
        pdf = out_dir / f"{docx.stem}.pdf"
        raise FileSystemError(f"无法写入 PDF {pdf}", exc) from exc


def _stop_if_interrupted(error: Exception) -> None:
    """After Ctrl-C the batch stops, even if a clean-up then failed with another error."""
    stop = interruption(error)
    if stop is not None:
        raise stop
