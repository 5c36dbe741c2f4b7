"""Rendering a template with sample data for its author to look at, before it is sent out."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportgen.check.validate import (
    Validation,
    validate_document,
    validate_file,
    validate_in_layout,
)
from reportgen.errors import FileSystemError, InvalidReportError, TemplateError
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import check_replaceable, preview_name, report_identity
from reportgen.output.render import prepare_output_dir, render_document
from reportgen.template.samples import COMPLETE_NAME, SPARSE_NAME, samples

PREVIEW_NAMES = {COMPLETE_NAME: "完整示例数据", SPARSE_NAME: "最少示例数据"}


def preview(
    template: Path,
    data: Sequence[Path],
    out_dir: Path,
    pdf: bool = False,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> list[Path]:
    """``预览-<数据>.docx`` (and .pdf) in ``out_dir`` for each data file, or for the complete and
    the sparse sample (made for the outline of ``layout``) when none is given; returns the files
    written. A file of that name is replaced only when it is the same preview written earlier
    (its identity matches)."""
    written: list[Path] = []
    search = search if search is not None else LayoutSearch.from_options()
    tries: list[tuple[str, str, Validation]] = []
    if data:
        tries = [(str(p), p.stem, validate_file(p, search=search, layout=layout)) for p in data]
    else:
        found = search.find(layout or DEFAULT_LAYOUT)
        usable = found if found is not None and found.outline is not None else None
        for sample in samples(usable):
            if usable is not None:
                validation = validate_in_layout(sample.document, usable, search)
            else:
                validation = validate_document(sample.document, search, layout)
            tries.append((PREVIEW_NAMES[sample.name], PREVIEW_NAMES[sample.name], validation))
    for shown, stem, validation in tries:
        if not validation.ok:
            found_errors = "；".join(f.as_text() for f in validation.findings if f.is_error)
            raise InvalidReportError(
                f"{shown} 有错误，未生成预览：{found_errors}"
                if not data
                else f"{shown} 有错误，未生成预览；请先运行 reportgen validate {shown}"
            )
        try:
            content = render_document(validation, template)
        except TemplateError as exc:
            raise TemplateError(f"{exc}（用 {shown} 预览时）") from exc
        target = out_dir / preview_name(stem)
        report = validation.report
        assert report is not None  # validation.ok
        prepare_output_dir(out_dir)  # only once there is something to write
        # a file of that name that is not this preview, as written earlier, is the user's
        check_replaceable(target, report_identity(report.year, report.department), report.title)
        try:
            replace_atomically(target, functools.partial(_write, content))
        except OSError as exc:
            raise FileSystemError(f"无法写入 {target}", exc) from exc
        written.append(target)
        if pdf:
            from reportgen.output.pdf import convert_to_pdf

            written.append(convert_to_pdf(target, out_dir))
    return written


def _write(content: bytes, stream: BinaryIO) -> None:
    stream.write(content)
