"""The 自评表 as a Word document: the computed table → its template → checked .docx bytes.

A layout folder may hold its own ``table.docx``; without one, the built-in default layout's is
used. The template is run like a report's (sandbox, limits, nothing lost, strict XML), then the
cells its author marked with ``|merged`` are merged down their column (template/merge.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reportgen.check.validate import Validation
from reportgen.clock import fixed_package, made_at
from reportgen.context.table_fields import TableContext, printed_view, table_context_of
from reportgen.errors import FileSystemError, InvalidReportError
from reportgen.layout.search import DEFAULT_LAYOUT, TABLE_FILE, templates_dir
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import check_replaceable, output_name, report_identity
from reportgen.output.render import placed_errors, prepare_output_dir
from reportgen.template.doc_properties import set_report_properties
from reportgen.template.merge import apply_merges, unmarked
from reportgen.template.run import (
    check_nothing_lost,
    check_xml,
    load_template,
    template_errors,
)
from reportgen.template.sandbox import jinja_environment
from reportgen.template.source import missing_styles

TABLE_KIND = "自评表"


def table_template(validation: Validation) -> Path:
    """The layout's own ``table.docx``, else the default layout's."""
    choice = validation.choice
    if choice is not None and choice.layout is not None:
        return choice.layout.table_template
    return templates_dir() / DEFAULT_LAYOUT / TABLE_FILE


def table_context(validation: Validation) -> TableContext:
    """The table's template context; refuses a file with errors or without a table."""
    report, view = validation.report, validation.table
    if report is None or not validation.ok:
        raise InvalidReportError(
            f"{validation.document.file} 有错误，未生成自评表；请先运行 reportgen validate"
        )
    if view is None:
        raise InvalidReportError(
            f"{validation.document.file} 没有自评表的数据（table:），未生成自评表；"
            "写法见 docs/yaml-format.md 的“自评表”一节"
        )
    return table_context_of(validation)


def render_table_document(validation: Validation, template: Path | None = None) -> bytes:
    """The finished 自评表 .docx as bytes. Raises a ReportgenError for bad data or template."""
    context = table_context(validation)
    source = template or table_template(validation)
    document = load_template(source)
    from reportgen.template.placing import dropped_text_placed  # when needed

    check_nothing_lost(source, dropped_text_placed(source, context), [], [])
    environment = jinja_environment()
    with placed_errors(source, context), template_errors(source):
        document.render(context.as_mapping(), jinja_env=environment)
    apply_merges(document.docx.element.body)
    check_nothing_lost(source, [], [], missing_styles(document.docx))
    set_report_properties(
        document,
        context.title,
        context.department,
        report_identity(context.year, context.department, TABLE_KIND),
    )
    buffer = io.BytesIO()
    document.save(buffer)
    content = fixed_package(unmarked(buffer.getvalue()))
    with template_errors(source):  # what the template's markup made of the table
        check_xml(content)
    return content


def table_name(year: int, department: str, suffix: str = ".docx") -> str:
    """``<年度>年度<部门>部门整体支出绩效自评表.docx`` (or ``.xlsx``), safe as a file name."""
    return output_name(year, department, kind=TABLE_KIND).removesuffix(".docx") + suffix


def render_table_to_file(
    validation: Validation,
    out_dir: Path,
    template: Path | None = None,
    *,
    document: bytes | None = None,
) -> Path:
    """Render the 自评表 (unless ``document`` is it, rendered already) and write
    ``out_dir/<name>.docx`` atomically; returns its path. A file of that name is replaced only
    when it is this department's table, as generated earlier."""
    content = document if document is not None else render_table_document(validation, template)
    report = validation.report
    assert report is not None  # table_context refused otherwise
    return _write(validation, out_dir, ".docx", lambda stream: stream.write(content))


def write_table_workbook_file(validation: Validation, out_dir: Path) -> Path:
    """Write the 自评表 as ``out_dir/<name>.xlsx`` atomically (replacing only this department's
    table, as generated earlier); returns its path."""
    from reportgen.output.table_workbook import write_table_workbook

    context = table_context(validation)  # refuses a file with errors or without a table
    view, report = printed_view(validation), validation.report
    assert report is not None
    made = made_at()
    return _write(
        validation,
        out_dir,
        ".xlsx",
        lambda stream: write_table_workbook(
            view,
            stream,
            made,
            identity=report_identity(context.year, context.department, TABLE_KIND),
            money_thousands=context.money_thousands,
        ),
    )


def write_table_files(
    validation: Validation, out_dir: Path, document: bytes | None = None
) -> list[Path]:
    """The 自评表 as .docx (``document`` when rendered already) and .xlsx beside the report;
    returns both paths."""
    return [
        render_table_to_file(validation, out_dir, document=document),
        write_table_workbook_file(validation, out_dir),
    ]


def _write(
    validation: Validation, out_dir: Path, suffix: str, write: Callable[[BinaryIO], object]
) -> Path:
    report = validation.report
    assert report is not None
    prepare_output_dir(out_dir)
    target = out_dir / table_name(report.year, report.department, suffix)
    check_replaceable(target, report_identity(report.year, report.department, TABLE_KIND))
    try:
        replace_atomically(target, write)
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    return target
