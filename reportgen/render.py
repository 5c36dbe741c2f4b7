"""Rendering: checked model → template context → sandboxed docxtpl → strict XML → atomic write."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.atomic import replace_atomically
from reportgen.context import TemplateContext, build_context
from reportgen.doc_properties import adopt_core_properties, set_report_properties
from reportgen.errors import (
    FileSystemError,
    InvalidReportError,
    RenderError,
    ReportgenError,
    TemplateError,
    UsageError,
)
from reportgen.sandbox import ReportSandbox, check_package, jinja_environment
from reportgen.template_limits import TemplateLimitError
from reportgen.template_messages import VARS_COMMAND, translate, translate_undefined
from reportgen.template_source import ascii_tags, dropped_text, missing_styles, template_blocks
from reportgen.title import TITLE_SUFFIX
from reportgen.validate import Validation

if TYPE_CHECKING:
    from reportgen.prepared import TemplateCache

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_CHARS = 60  # of the department part
# of the whole name in UTF-8: file systems allow 255; the rest is for the temporary and lock
# files written beside a report (“.reportgen-….tmp”, LibreOffice's “.~lock.…#”)
MAX_NAME_BYTES = 200
_TAG_CHARS = 8


def _safe_department(department: str) -> str:
    """The department with every character that is unsafe in a file name replaced by ``_``."""
    safe = "".join(
        "_" if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else c
        for c in _UNSAFE_NAME.sub("_", department)
    )
    return re.sub(r"\.{2,}", "_", safe.strip(" ._"))


def output_name(year: int, department: str) -> str:
    """``<year>年度<部门名称>部门整体支出绩效自评报告.docx``, safe on Windows and Linux.

    No path separator, no ``..``, none of ``<>:"/\\|?*``, no control or invisible format
    character (a right-to-left override would disguise the name), at most
    ``MAX_NAME_CHARS`` characters of the department and ``MAX_NAME_BYTES`` in UTF-8 even for
    characters outside the BMP, which take four bytes each.

    Different reports never share a name: when the department had to be changed or shortened
    to fit, ``_`` and a hash of the year and the full department follow the title
    (``…自评报告_1a2b3c4d.docx``), which a name kept as written never ends with.
    """
    safe = _safe_department(department)
    head, tail = f"{year}年度", TITLE_SUFFIX
    plain = f"{head}{safe}{tail}.docx"
    if safe == department and len(safe) <= MAX_NAME_CHARS and len(plain.encode()) <= MAX_NAME_BYTES:
        return plain
    digest = hashlib.sha256(f"{year}\n{department}".encode("utf-8", "surrogatepass"))
    tag = f"_{digest.hexdigest()[:_TAG_CHARS]}"
    budget = MAX_NAME_BYTES - len(f"{head}{tail}{tag}.docx".encode())
    safe = safe[:MAX_NAME_CHARS]
    while len(safe.encode()) > budget:
        safe = safe[:-1]
    safe = safe.rstrip(" .") or "未命名"
    return f"{head}{safe}{tail}{tag}.docx"


def report_identity(year: int, department: str) -> str:
    """What a report records about itself (core property “identifier”) to be recognised
    before it is replaced: the year and the full department name."""
    return f"reportgen:{year}:{department}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_xml(document: bytes) -> None:
    """Every XML part must parse strictly, or Word will refuse the file."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for name in archive.namelist():
            _check_part(name, archive.read(name))


def _check_part(name: str, content: bytes) -> None:
    if not name.endswith((".xml", ".rels")):
        return
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"生成的文档部件 {name} 不是合法的 XML（{exc}）") from exc
    if name.startswith("word/") and root.find(f".//{_W}t/*") is not None:
        # well-formed, but Word refuses markup inside a text run
        raise RenderError(
            f"生成的文档部件 {name} 中出现了段落套段落：模板里输出正文应写成 "
            "{{p sections.… }}（带 p），而不是 {{ sections.… }}"
        )


class _ReportTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl's template, with the rendered body put into the document in linear time and
    parsed strictly: docxtpl reparses it in lxml's recover mode, which silently cuts a text node
    over 10 MB and everything after it, the page setup included."""

    def map_tree(self, tree: etree._Element) -> None:
        _put_body(self.docx._element, tree, super().map_tree)

    def patch_xml(self, src_xml: str) -> Any:
        return super().patch_xml(ascii_tags(src_xml))  # ｛｛ ｝｝ typed by an input method

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


def _put_body(root: etree._Element, tree: etree._Element, replace: Any = None) -> None:
    """Put the rendered body ``tree`` in place of ``root``'s body (``replace`` does it for the
    empty body, by default lxml's own replacement)."""
    # lxml moves a subtree into another document in time quadratic in the subtree's
    # xml:space attributes (docxtpl writes one per run: 20,000 items took 27 s). Moved one
    # at a time, the body's children cost linear time.
    children = list(tree)
    for child in children:
        tree.remove(child)
    if replace is None:
        root.replace(root.find(f"{_W}body"), tree)
    else:
        replace(tree)
    tree.extend(children)


def _load_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise UsageError(f"模板文件不存在：{path}")
    if not zipfile.is_zipfile(path):
        raise TemplateError(f"模板 {path} 不是 .docx 文件（应为 Word 2007 及以后的格式）")
    check_package(path)
    try:
        template = _ReportTemplate(str(path))
        template.init_docx()
        adopt_core_properties(template.docx.part.package)
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise TemplateError(f"无法打开模板 {path}：文件已损坏或不是 Word 文档（{exc}）") from exc
    return template


_PACKAGE = Path(__file__).resolve().parent


def _raised_in_reportgen(error: BaseException) -> bool:
    """Whether ``error`` was raised in reportgen's own code (the context a template calls,
    say), rather than in the template's expressions or the libraries they call. reportgen's
    filters turn a bad argument into a TemplateError themselves."""
    trace = error.__traceback__
    if trace is None:
        return False
    while trace.tb_next is not None:
        trace = trace.tb_next
    return Path(trace.tb_frame.f_code.co_filename).resolve().is_relative_to(_PACKAGE)


def render_document(
    validation: Validation, template: Path | None = None, *, cache: TemplateCache | None = None
) -> bytes:
    """The finished .docx as bytes. Raises a ReportgenError for bad data or a bad template.

    With a ``cache`` (a batch), each template is read and compiled once: see
    :mod:`reportgen.prepared`."""
    report, derived = validation.report, validation.derived
    if report is None or derived is None or not validation.ok:
        raise InvalidReportError(
            f"{validation.document.file} 有错误，未生成报告；请先运行 reportgen validate"
        )
    choice = validation.choice
    assert choice is not None and choice.layout is not None and choice.plan is not None  # R001
    source = template or choice.layout.template
    identity = report_identity(report.year, report.department)
    context = build_context(report, derived, choice.plan, choice.layout.name)
    if cache is not None:
        prepared = cache.get(source)
        environment = prepared.environment
        environment.watch(context.paragraphs)
        with _template_errors(source):
            content = prepared.render(
                context.as_mapping(), identity, title=report.title, department=report.department
            )
        _check_nothing_lost(
            source,
            prepared.dropped,
            _left_out(context, environment),
            sorted(prepared.used_styles - prepared.defined_styles),
        )
        return content
    document = _load_template(source)
    environment = jinja_environment()
    environment.watch(context.paragraphs)
    with _template_errors(source):
        document.render(context.as_mapping(), jinja_env=environment)
    _check_nothing_lost(
        source,
        _dropped(source),
        _left_out(context, environment),
        missing_styles(document.docx),
    )
    set_report_properties(document, report.title, report.department, identity)
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    _check_xml(content)
    return content


def _left_out(context: TemplateContext, environment: ReportSandbox) -> list[str]:
    """The sections of the report's data that the render did not print."""
    read = environment.watched.get(id(context.paragraphs), set())
    return context.left_out(environment.printed, read)


def _dropped(source: Path) -> list[str]:
    """The template's text that docxtpl would drop (beside a ``{{p}}`` tag, say)."""
    return [f"{d.block.place}：{d.message}" for d in dropped_text(template_blocks(source))]


@contextlib.contextmanager
def _template_errors(source: Path) -> Iterator[None]:
    """What goes wrong while a template renders, as the template's error (or our bug)."""
    try:
        yield
    except TemplateLimitError as exc:
        raise TemplateError(f"模板 {source} {exc}") from exc
    except TemplateError as exc:  # a filter handed what it cannot print, a value not there
        raise TemplateError(f"模板 {source}：{exc}") from exc
    except ReportgenError:
        raise
    except SecurityError as exc:
        raise TemplateError(f"模板 {source} 试图访问不允许的内容，已拒绝（{exc}）") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"模板 {source} 引用了不存在的值：{translate_undefined(exc.message or '')}；"
            f"可用的变量见 {VARS_COMMAND}，"
            f"reportgen template check {source.name} 列出每一处及其位置"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板 {source} 的标签写法有误：{translate(exc.message or '')}；"
            f"reportgen template check {source.name} 列出每一处及其位置"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {source} 渲染失败：{exc}") from exc
    except Exception as exc:
        if _raised_in_reportgen(exc):
            raise  # a bug of ours, not the template author's: the entry point says so (70)
        # An expression in the template raised (1/0, a Python method given the wrong type):
        # the template is someone else's code, and its author's mistake.
        raise TemplateError(
            f"模板 {source} 中的表达式执行出错：{type(exc).__name__}: {exc}"
        ) from exc


def _check_nothing_lost(
    source: Path, dropped: list[str], left_out: list[str], missing: list[str]
) -> None:
    """A report that lacks text of its template (beside a ``{{p}}`` tag, say) or a section of its
    data, or whose paragraphs name a style the template does not define (Word shows them as
    plain text), is not written."""
    problems = [*dropped]
    problems += [f"没有印出{part}" for part in left_out]
    problems += [f"缺少段落样式“{style}”" for style in missing]
    if problems:
        raise TemplateError(
            f"模板 {source} {'；'.join(problems)}，未生成报告；"
            f"reportgen template check {source.name} 可列出问题所在"
        )


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
    _check_replaceable(target, report_identity(report.year, report.department), report.title)
    try:
        replace_atomically(target, lambda stream: stream.write(content))
    except OSError as exc:
        raise FileSystemError(f"无法写入 {target}", exc) from exc
    return target


def prepare_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and its parents unless they exist; say in Chinese why it cannot be."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise UsageError(f"输出位置 {out_dir} 是一个文件，不是目录") from exc
    except OSError as exc:
        raise FileSystemError(f"无法创建输出目录 {out_dir}", exc) from exc


_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"
_MAX_CORE_BYTES = 1024 * 1024


def stored_identity(docx: Path) -> str | None:
    """The :func:`report_identity` a .docx records, or ``None`` (none, or not a .docx)."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(docx) as archive:
            core = archive.getinfo("docProps/core.xml")
            if core.file_size > _MAX_CORE_BYTES:
                return None
            root = etree.fromstring(archive.read(core), parser)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None
    found = root.findtext(_DC_IDENTIFIER)
    return found if found and found.startswith("reportgen:") else None


def _check_replaceable(target: Path, identity: str, title: str) -> None:
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileSystemError(f"无法检查已有的文件 {target}", exc) from exc
    if stat.S_ISDIR(mode):
        raise UsageError(f"无法写入 {target}（是一个目录）")
    if not stat.S_ISREG(mode):
        raise UsageError(f"无法写入 {target}（已存在同名的特殊文件）")
    try:
        found = stored_identity(target)
    except OSError as exc:
        raise FileSystemError(f"无法读取已有的文件 {target}", exc) from exc
    if found == identity:
        return
    if found is not None:
        year, _, department = found.removeprefix("reportgen:").partition(":")
        problem = f"是另一份报告《{year}年度{department}{TITLE_SUFFIX}》"
    else:
        problem = (
            f"已存在，但无法确认它是此前生成的《{title}》"
            "（它不是 reportgen 生成的，或已被其他软件另存）"
        )
    raise UsageError(
        f"{target} {problem}，为免覆盖未生成；请确认后删除或移走该文件，或换一个输出目录"
    )
