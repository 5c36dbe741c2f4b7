"""Rendering: checked model → template context → sandboxed docxtpl → strict XML → atomic write."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from reportgen.check.validate import Validation
from reportgen.clock import fixed_package
from reportgen.context.fields import build_context
from reportgen.errors import (
    FileSystemError,
    InvalidReportError,
    UsageError,
)
from reportgen.model.title import TITLE_SUFFIX
from reportgen.output.atomic import replace_atomically
from reportgen.template.doc_properties import set_report_properties
from reportgen.template.run import (
    check_nothing_lost,
    check_xml,
    load_template,
    sections_left_out,
    template_errors,
    template_text_dropped,
)
from reportgen.template.sandbox import jinja_environment
from reportgen.template.source import missing_styles

if TYPE_CHECKING:
    from reportgen.template.cache import TemplateCache

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


# what a document other than the report is: its kind (recorded in its identity) → title suffix
KIND_SUFFIXES = {"自评表": "部门整体支出绩效自评表"}


def output_name(year: int, department: str, kind: str | None = None) -> str:
    """``<year>年度<部门名称>部门整体支出绩效自评报告.docx`` (with a ``kind``, that document's
    title instead: ``…自评表.docx``), safe on Windows and Linux.

    No path separator, no ``..``, none of ``<>:"/\\|?*``, no control or invisible format
    character (a right-to-left override would disguise the name), at most
    ``MAX_NAME_CHARS`` characters of the department and ``MAX_NAME_BYTES`` in UTF-8 even for
    characters outside the BMP, which take four bytes each.

    Different reports never share a name: when the department had to be changed or shortened
    to fit, ``_`` and a hash of the year and the full department follow the title
    (``…自评报告_1a2b3c4d.docx``), which a name kept as written never ends with.
    """
    safe = _safe_department(department)
    head, tail = f"{year}年度", KIND_SUFFIXES[kind] if kind else TITLE_SUFFIX
    plain = f"{head}{safe}{tail}.docx"
    if safe == department and len(safe) <= MAX_NAME_CHARS and len(plain.encode()) <= MAX_NAME_BYTES:
        return plain
    digest = hashlib.sha256(f"{year}\n{department}".encode("utf-8", "surrogatepass"))
    if kind:  # a report and its table never share a name, hashed or not
        digest.update(f"\n{kind}".encode())
    tag = f"_{digest.hexdigest()[:_TAG_CHARS]}"
    budget = MAX_NAME_BYTES - len(f"{head}{tail}{tag}.docx".encode())
    safe = safe[:MAX_NAME_CHARS]
    while len(safe.encode()) > budget:
        safe = safe[:-1]
    safe = safe.rstrip(" .") or "未命名"
    return f"{head}{safe}{tail}{tag}.docx"


def report_identity(year: int, department: str, kind: str | None = None) -> str:
    """What a report (or, with a ``kind``, another document of the department's such as its
    自评表) records about itself (core property “identifier”) to be recognised before it is
    replaced: the kind, the year and the full department name."""
    if kind:
        return f"reportgen:{kind}:{year}:{department}"
    return f"reportgen:{year}:{department}"


def identity_title(identity: str) -> str:
    """The title of the document an identity names: 《2023年度…部门整体支出绩效自评报告》."""
    kind, _, rest = identity.removeprefix("reportgen:").partition(":")
    if kind in KIND_SUFFIXES:
        year, _, department = rest.partition(":")
        return f"{year}年度{department}{KIND_SUFFIXES[kind]}"
    return f"{kind}年度{rest}{TITLE_SUFFIX}"


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
        prepared = cache.get(source)
        environment = prepared.environment
        environment.watch(context.paragraphs)
        with template_errors(source):
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
    check_nothing_lost(source, template_text_dropped(source), [], [])
    environment = jinja_environment()
    environment.watch(context.paragraphs)
    with template_errors(source):
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
    check_xml(content)
    return fixed_package(content)


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


def check_replaceable(target: Path, identity: str, title: str | None = None) -> None:
    """Refuse to replace ``target`` unless it is the document ``identity`` names, as generated
    earlier; ``title`` is what the message calls it (by default, from the identity)."""
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
        kind = found.removeprefix("reportgen:").partition(":")[0]
        noun = kind if kind in KIND_SUFFIXES else "报告"
        problem = f"是另一份{noun}《{identity_title(found)}》"
    else:
        problem = (
            f"已存在，但无法确认它是此前生成的《{title or identity_title(identity)}》"
            "（它不是 reportgen 生成的，或已被其他软件另存）"
        )
    raise UsageError(
        f"{target} {problem}，为免覆盖未生成；请确认后删除或移走该文件，或换一个输出目录"
    )
