"""Rendering: checked model → template context → sandboxed docxtpl → strict XML → atomic write."""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.context import TITLE_SUFFIX, build_context
from reportgen.errors import (
    InvalidReportError,
    RenderError,
    ReportgenError,
    TemplateError,
    UsageError,
)
from reportgen.layouts import LAYOUTS, template_path
from reportgen.sandbox import check_package, jinja_environment
from reportgen.template_limits import TemplateLimitError
from reportgen.validate import Validation

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_CHARS = 60  # of the department part: keeps the whole name under 255 bytes in UTF-8


def output_name(year: int, department: str) -> str:
    """``<year>年度<部门名称>部门整体支出绩效自评报告.docx``, safe on Windows and Linux.

    No path separator, no ``..``, none of ``<>:"/\\|?*``, no control or invisible format
    character (a right-to-left override would disguise the name), and at most 255 bytes in
    UTF-8 even for characters outside the BMP, which take four bytes each.
    """
    safe = "".join(
        "_" if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else c
        for c in _UNSAFE_NAME.sub("_", department)
    )
    safe = re.sub(r"\.{2,}", "_", safe.strip(" ._"))[:MAX_NAME_CHARS]
    head, tail = f"{year}年度", f"{TITLE_SUFFIX}.docx"
    budget = 255 - len(head.encode()) - len(tail.encode())
    while len(safe.encode()) > budget:
        safe = safe[:-1]
    safe = safe.rstrip(" .") or "未命名"
    return f"{head}{safe}{tail}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_xml(document: bytes) -> None:
    """Every XML part must parse strictly, or Word will refuse the file."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    root = etree.fromstring(archive.read(name), parser)
                except etree.XMLSyntaxError as exc:
                    raise RenderError(f"生成的文档部件 {name} 不是合法的 XML（{exc}）") from exc
                if name.startswith("word/") and root.find(f".//{_W}t/*") is not None:
                    # well-formed, but Word refuses markup inside a text run
                    raise RenderError(
                        f"生成的文档部件 {name} 中出现了段落套段落：模板里输出正文应写成 "
                        "{{p sections.… }}（带 p），而不是 {{ sections.… }}"
                    )


def _write_atomically(target: Path, content: bytes) -> None:
    """Write next to ``target`` and rename over it: no reader ever sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".reportgen-", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide the report from others
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _StrictDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl reparses the rendered body in lxml's recover mode, which silently cuts a text
    node over 10 MB and everything after it, the page setup included: parse it strictly first."""

    def fix_tables(self, xml: str) -> Any:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                f"生成的文档正文不是合法的 XML，未生成报告（{exc}）；"
                "模板输出的文字过长，或标签没有成对出现"
            ) from exc
        return super().fix_tables(xml)


def _load_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise UsageError(f"模板文件不存在：{path}")
    if not zipfile.is_zipfile(path):
        raise TemplateError(f"模板 {path} 不是 .docx 文件（应为 Word 2007 及以后的格式）")
    check_package(path)
    try:
        template = _StrictDocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise TemplateError(f"无法打开模板 {path}：文件已损坏或不是 Word 文档（{exc}）") from exc
    return template


def render_document(validation: Validation, template: Path | None = None) -> bytes:
    """The finished .docx as bytes. Raises a ReportgenError for bad data or a bad template."""
    report, derived = validation.report, validation.derived
    if report is None or derived is None or not validation.ok:
        raise InvalidReportError(
            f"{validation.document.file} 有错误，未生成报告；请先运行 reportgen validate"
        )
    layout = LAYOUTS[report.layout]
    source = template or template_path(layout)
    document = _load_template(source)
    context = build_context(report, derived, layout)
    try:
        document.render(context.as_mapping(), jinja_env=jinja_environment())
    except TemplateLimitError as exc:
        raise TemplateError(f"模板 {source} {exc}") from exc
    except ReportgenError:
        raise
    except SecurityError as exc:
        raise TemplateError(f"模板 {source} 试图访问不允许的内容，已拒绝（{exc}）") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"模板 {source} 引用了不存在的变量（{exc.message}）；可用变量见 docs/template-context.md"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板 {source} 的标签写法有误：{exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {source} 渲染失败：{exc}") from exc
    except Exception as exc:  # the template is someone else's code
        # An expression in the template raised (1/0, a filter given the wrong type, a
        # sandbox range limit): the template author's mistake, not ours.
        raise TemplateError(
            f"模板 {source} 中的表达式执行出错：{type(exc).__name__}: {exc}"
        ) from exc
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    _check_xml(content)
    return content


def render_to_file(validation: Validation, out_dir: Path, template: Path | None = None) -> Path:
    """Render and write ``out_dir/<name>.docx`` atomically; returns the written path."""
    report = validation.report
    content = render_document(validation, template)
    assert report is not None  # render_document refused otherwise
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置 {out_dir} 是一个文件，不是目录")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / output_name(report.year, report.department)
        _write_atomically(target, content)
    except OSError as exc:
        raise UsageError(f"无法写入输出目录 {out_dir}（{exc.strerror}）") from exc
    return target
