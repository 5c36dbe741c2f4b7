"""Rendering a template with sample data for its author to look at, before it is sent out."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportgen.check.validate import validate_file
from reportgen.errors import FileSystemError, InvalidReportError, TemplateError
from reportgen.layout.search import LayoutSearch
from reportgen.model.samples import SAMPLE, SPARSE
from reportgen.output.atomic import replace_atomically
from reportgen.output.naming import preview_name
from reportgen.output.render import prepare_output_dir, render_document

PREVIEW_NAMES = {SAMPLE: "完整示例数据", SPARSE: "最少示例数据"}


def preview(
    template: Path,
    data: Sequence[Path],
    out_dir: Path,
    pdf: bool = False,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> list[Path]:
    """``预览-<数据>.docx`` (and .pdf) in ``out_dir`` for each data file, or for the complete and
    the sparse sample when none is given; returns the files written."""
    written: list[Path] = []
    prepare_output_dir(out_dir)
    for path in data or (SAMPLE, SPARSE):
        validation = validate_file(path, search=search, layout=layout)
        if not validation.ok:
            raise InvalidReportError(
                f"{path} 有错误，未生成预览；请先运行 reportgen validate {path}"
            )
        try:
            content = render_document(validation, template)
        except TemplateError as exc:
            raise TemplateError(f"{exc}（用 {PREVIEW_NAMES.get(path, path)} 预览时）") from exc
        target = out_dir / preview_name(PREVIEW_NAMES.get(path, path.stem))
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
