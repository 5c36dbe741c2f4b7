"""Rendering: checked model → template context → sandboxed docxtpl → strict XML → atomic write."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from reportgen.check.validate import Validation
from reportgen.clock import fixed_package
from reportgen.context.fields import build_context
from reportgen.context.table_fields import TrialContext
from reportgen.errors import (
    FileSystemError,
    InvalidReportError,
    TemplateError,
    UsageError,
)
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import check_replaceable, output_name, report_identity
from reportgen.template.doc_properties import set_report_properties
from reportgen.template.merge import unmarked
from reportgen.template.run import (
    LostContentError,
    check_nothing_lost,
    check_xml,
    load_template,
    sections_left_out,
    template_errors,
)
from reportgen.template.sandbox import jinja_environment
from reportgen.template.source import missing_styles

if TYPE_CHECKING:
    from reportgen.template.cache import TemplateCache


def render_document(
    validation: Validation, template: Path | None = None, *, cache: TemplateCache | None = None
) -> bytes:
    """The finished .docx as bytes. Raises a ReportgenError for bad data or a bad template.

    With a ``cache`` (a batch), each template is read and compiled once: see
    :mod:`reportgen.template.cache`."""
    report, derived = validation.report, validation.derived
    if report is None or derived is None or not validation.ok:
        raise InvalidReportError(
            f"{validation.document.file} 有错误，未生成报告；请先运行 reportgen validate"
        )
    choice = validation.choice
    assert choice is not None and choice.layout is not None and choice.plan is not None  # R001
    source = template or choice.layout.template
    identity = report_identity(report.year, report.department)
    context = build_context(report, derived, choice.plan, choice.layout.name, validation.table)
    if cache is not None:
        try:
            prepared = cache.get(source)
        except LostContentError:
            # what the template would drop is said under the headings this report prints
            from reportgen.template.placing import dropped_text_placed  # when needed

            check_nothing_lost(source, dropped_text_placed(source, context), [], [])
            raise
        except TemplateError as exc:
            if isinstance(exc.__cause__, jinja2.TemplateSyntaxError):  # a tag, at its paragraph
                from reportgen.template.placing import failure_placed

                raise failure_placed(source, context, exc) from exc
            raise
        environment = prepared.environment
        environment.watch(context.paragraphs)
        with placed_errors(source, context), template_errors(source):
            content = prepared.render(
                context.as_mapping(), identity, title=report.title, department=report.department
            )
        check_nothing_lost(
            source,
            [],
            sections_left_out(context, environment),
            sorted(prepared.used_styles - prepared.defined_styles),
        )
        return fixed_package(content)
    document = load_template(source)
    # what docxtpl would drop or garble is said before a render it may break (as prepared.py)
    from reportgen.template.placing import dropped_text_placed  # when needed

    check_nothing_lost(source, dropped_text_placed(source, context), [], [])
    environment = jinja_environment()
    environment.watch(context.paragraphs)
    with placed_errors(source, context), template_errors(source):
        document.render(context.as_mapping(), jinja_env=environment)
    check_nothing_lost(
        source,
        [],
        sections_left_out(context, environment),
        missing_styles(document.docx),
    )
    set_report_properties(document, report.title, report.department, identity)
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    with template_errors(source):  # what the template's markup made of the report
        check_xml(content)
    return fixed_package(unmarked(content))


@contextlib.contextmanager
def placed_errors(source: Path, context: TrialContext) -> Iterator[None]:
    """A render the template stops, said with the paragraph where it stopped (as template check
    says it)."""
    try:
        yield
    except TemplateError as exc:
        from reportgen.template.placing import failure_placed  # only when a render failed

        raise failure_placed(source, context, exc) from exc


def render_to_file(
    validation: Validation,
    out_dir: Path,
    template: Path | None = None,
    *,
    cache: TemplateCache | None = None,
) -> Path:
    """Render and write ``out_dir/<name>.docx`` atomically; returns the written path.

    An existing file of that name is replaced only when it is this report, as generated
    earlier (its :func:`report_identity` matches); anything else there is left alone.
    """
    report = validation.report
    content = render_document(validation, template, cache=cache)
    assert report is not None  # render_document refused otherwise
    prepare_output_dir(out_dir)
    target = out_dir / output_name(report.year, report.department)
    check_replaceable(target, report_identity(report.year, report.department), report.title)
    try:
        replace_atomically(target, lambda stream: stream.write(content))
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    return target


# what a file the user meant to write would be called: ``-o 报告.docx`` names no folder
_DOCUMENT_SUFFIXES = frozenset({".docx", ".doc", ".pdf", ".xlsx", ".xls", ".wps", ".csv"})


def check_output_dir(out_dir: Path) -> None:
    """Refuse an output folder that is not there yet and is named like a document: the reports'
    names are made from their year and department, and ``-o 报告.docx`` made a folder of that
    name."""
    if out_dir.suffix.lower() in _DOCUMENT_SUFFIXES and not out_dir.is_dir():
        raise UsageError(
            f"-o {out_dir} 是文件名；-o 应为输出目录（报告的文件名按年度和部门自动生成），"
            "如 -o output"
        )


def prepare_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and its parents unless they exist; say in Chinese why it cannot be."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise UsageError(f"输出位置 {out_dir} 是一个文件，不是目录") from exc
    except OSError as exc:
        raise FileSystemError(f"无法创建输出目录 {out_dir}", exc) from exc
