"""Checking a template before it is sent out: its variables, its styles, a trial render."""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate

from reportgen.context import PARAGRAPH_STYLES, TemplateContext
from reportgen.errors import ReportgenError, UsageError
from reportgen.layouts import Layout
from reportgen.render import render_document
from reportgen.sandbox import check_package, jinja_environment
from reportgen.validate import validate_file

SAMPLE = Path(__file__).resolve().parent / "samples" / "complete.yaml"
_STYLE_ID = re.compile(r'<w:style\b[^>]*w:styleId="([^"]+)"')


def check_layout(layout: Layout, sample: Path = SAMPLE) -> list[str]:
    """Every problem of a layout folder: its outline's findings, then its template's."""
    problems = [finding.as_text() for finding in layout.problems]
    if layout.template.is_file():
        problems += [f"{layout.template}: {p}" for p in check_template(layout.template, sample)]
    return problems


def check_template(template: Path, sample: Path = SAMPLE) -> list[str]:
    """Every problem found in ``template``, in Chinese; an empty list means it is usable."""
    if not template.is_file():
        raise UsageError(f"模板文件不存在：{template}")
    if not zipfile.is_zipfile(template):
        return [f"{template} 不是 .docx 文件（应为 Word 2007 及以后的格式）"]
    try:
        check_package(template)
    except ReportgenError as exc:
        return [str(exc)]
    problems: list[str] = []
    known = set(TemplateContext.model_fields)
    try:
        used = DocxTemplate(str(template)).get_undeclared_template_variables(jinja_environment())
    except Exception as exc:  # a Jinja syntax error or a damaged package
        return [f"模板无法解析：{exc}"]
    for name in sorted(used - known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"（是否想写“{close[0]}”？）" if close else ""
        problems.append(f"模板使用了不存在的变量“{name}”{hint}")
    with zipfile.ZipFile(template) as archive:
        styles_xml = archive.read("word/styles.xml").decode("utf-8", "replace")
    defined = set(_STYLE_ID.findall(styles_xml))
    for style in sorted(set(PARAGRAPH_STYLES.values()) - defined):
        problems.append(f"模板缺少段落样式“{style}”（{{{{p sections.… }}}} 输出的段落使用它）")
    if problems:
        return problems
    validation = validate_file(sample)
    try:
        render_document(validation, template)
    except ReportgenError as exc:
        problems.append(f"用示例数据试渲染失败：{exc}")
    return problems
