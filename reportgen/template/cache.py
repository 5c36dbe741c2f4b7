"""Templates compiled once for a batch: read, checked, preprocessed and compiled per file."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate

from reportgen.errors import FileSystemError, UsageError
from reportgen.read.archive import MAX_UNPACKED_BYTES
from reportgen.read.text import open_regular
from reportgen.template import stored
from reportgen.template.doc_properties import app_properties, set_core_properties
from reportgen.template.merge import without_marks
from reportgen.template.package import KIND
from reportgen.template.run import (
    ReportTemplate,
    check_nothing_lost,
    check_part,
    load_template,
    put_body,
    template_errors,
    template_text_dropped,
)
from reportgen.template.sandbox import ReportSandbox, jinja_environment

# the core properties rendered as templates: none (see run.ReportTemplate.render_properties)
_PROPERTIES: tuple[str, ...] = ()
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_APP = "docProps/app.xml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH_STYLE = re.compile(rb'<w:pStyle w:val="([^"<>]{1,255})"')


def _for_jinja(xml: str) -> str:
    """docxtpl's last step before compiling a part (``render_xml_part``)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _from_jinja(xml: str, document: DocxTemplate) -> str:
    """docxtpl's steps after rendering a part (``render_xml_part``): a newline, tab or form feed
    in the printed text becomes a line break, tab or page break (``resolve_listing``)."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return str(document.resolve_listing(xml))


@dataclass(frozen=True)
class _Part:
    """A part other than the body that holds template tags: a header, footer or footnotes."""

    name: str
    template: jinja2.Template
    encoding: str
    reparsed: bool  # python-docx reparses headers and footers; footnotes stay as rendered


@dataclass(frozen=True)
class Prepared:
    """What preparing a template gives, as plain values (the compiled parts as code objects):
    what :class:`PreparedTemplate` renders from, and what is kept on disk between runs."""

    defined_styles: tuple[str, ...]
    body: CodeType
    parts: tuple[tuple[str, CodeType, str, bool], ...]  # name, code, encoding, reparsed
    properties: tuple[tuple[str, CodeType], ...]
    core: bytes  # docProps/core.xml before a report's properties are set
    root: bytes  # word/document.xml with an empty body
    app: bytes | None  # docProps/app.xml
    static: bytes  # a zip of the parts no report changes, compressed once


def _template(env: ReportSandbox, code: CodeType) -> jinja2.Template:
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _prepare(path: Path, document: DocxTemplate, env: ReportSandbox) -> Prepared:
    """Check ``document`` (the template at ``path``) as a render would, and compile its parts."""
    # said before compiling: a {%tr %} outside a table is Jinja's syntax error, too
    check_nothing_lost(path, template_text_dropped(path), [], [])
    docx = document.docx
    defined = tuple(
        sorted(style.get(f"{W}styleId") or "" for style in docx.styles.element.iter(f"{W}style"))
    )
    parts: list[tuple[str, CodeType, str, bool]] = []
    with template_errors(path):
        body = env.compile(_for_jinja(document.patch_xml(document.get_xml())))
        for uri in (document.HEADER_URI, document.FOOTER_URI):
            for _key, part in document.get_headers_footers(uri):
                xml = document.get_part_xml(part)
                code = env.compile(_for_jinja(document.patch_xml(xml)))
                encoding = document.get_headers_footers_encoding(xml)
                parts.append((part.partname.membername, code, encoding, True))
        for part in docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                xml = document.patch_xml(part.blob.decode("utf-8"))
                code = env.compile(_for_jinja(xml))
                parts.append((part.partname.membername, code, "utf-8", False))
        core_properties = docx.core_properties
        properties = tuple(
            (name, env.compile(getattr(core_properties, name))) for name in _PROPERTIES
        )
    core = serialize_part_xml(core_properties._element)
    root = copy.deepcopy(docx._element)
    for child in list(root.body):
        root.body.remove(child)
    buffer = io.BytesIO()
    docx.save(buffer)  # python-docx's own serialisation of the parts no report changes
    app: bytes | None = None
    with zipfile.ZipFile(buffer) as archive:
        if _APP in archive.namelist():
            app = archive.read(_APP)
    rendered = {_DOCUMENT, _CORE, _APP, *(name for name, *_ in parts)}
    static = io.BytesIO()
    with zipfile.ZipFile(buffer) as archive, zipfile.ZipFile(static, "w") as kept:
        for info in archive.infolist():
            content = archive.read(info)
            check_part(info.filename, content)
            if info.filename not in rendered:
                kept.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return Prepared(
        defined_styles=defined,
        body=body,
        parts=tuple(parts),
        properties=properties,
        core=bytes(core),
        root=bytes(serialize_part_xml(root)),
        app=app,
        # the parts no report changes, compressed once: each report appends its own to a copy
        static=static.getvalue(),
    )


class PreparedTemplate:
    """One .docx template, made ready to render many reports.

    docxtpl reopens the package, cleans the XML for Jinja (``patch_xml``) and compiles every
    part on each render, then python-docx serialises every part again. Here that is done once:
    each report renders the compiled parts, fixes tables and drawing ids as docxtpl does, and
    is zipped beside the template's other parts, serialised once by python-docx. The document
    is the one :func:`reportgen.output.render.render_document` makes without a cache.
    """

    def __init__(self, path: Path, state: Prepared | None = None) -> None:
        """Prepare the template at ``path``, or take ``state``: what preparing it gave before
        (see :mod:`reportgen.template.stored`), which skips reading, checking and compiling."""
        self.path = path
        self._environment: ReportSandbox = jinja_environment()
        if state is None:
            self._document = document = load_template(path)
            state = _prepare(path, document, self._environment)
        else:
            # docxtpl's methods that rework rendered XML need no package: none is opened
            self._document = ReportTemplate(str(path))
        self.state = state
        env = self._environment
        self.defined_styles = set(state.defined_styles)
        self.used_styles: set[str] = set()  # the paragraph styles of the last render
        self._body = _template(env, state.body)
        self._parts = [
            _Part(name, _template(env, code), encoding, reparsed)
            for name, code, encoding, reparsed in state.parts
        ]
        self._properties = {name: _template(env, code) for name, code in state.properties}
        self._core = parse_xml(state.core)
        self._root = parse_xml(state.root)
        self._app = state.app
        self._static = state.static

    @property
    def environment(self) -> ReportSandbox:
        """The environment the next render uses: what it printed is read after it."""
        return self._environment

    def render(
        self,
        context: Mapping[str, Any],
        identity: str,
        *,
        title: str | None = None,
        department: str | None = None,
    ) -> bytes:
        """The finished .docx for ``context``, no merge mark left in it; the template's limits
        apply to this render.

        With ``title`` and ``department`` the document's properties are the report's own, as
        :func:`reportgen.template.doc_properties.set_report_properties` sets them."""
        env = self._environment
        paragraphs = context.get("paragraphs")
        watched = id(paragraphs) in env.watched
        env.fresh_quota()
        if watched and isinstance(paragraphs, dict):
            env.watch(paragraphs)  # render_document asked for it before this render
        document_xml = self._render_document(context)
        self.used_styles = {m.decode("utf-8") for m in _PARAGRAPH_STYLE.findall(document_xml)}
        rendered: dict[str, bytes] = {_DOCUMENT: document_xml}
        for part in self._parts:
            xml = _from_jinja(part.template.render(context), self._document)
            if part.reparsed:  # as docxtpl's map_headers_footers_xml → python-docx's XmlPart
                rendered[part.name] = serialize_part_xml(parse_xml(xml.encode(part.encoding)))
            else:
                rendered[part.name] = xml.encode("utf-8")
        core = copy.deepcopy(self._core)
        properties = CoreProperties(core)
        for name, template in self._properties.items():
            setattr(properties, name, template.render(context))
        properties.identifier = identity
        if title is not None and department is not None:
            set_core_properties(properties, title, department, identity)
        rendered[_CORE] = serialize_part_xml(core)
        if self._app is not None:
            app = app_properties(self._app, department) if department is not None else None
            rendered[_APP] = app if app is not None else self._app
        # the merge marks left outside tables' cells: only the parts rendered here can hold them
        # (each process draws its own, so the parts kept from the template never do)
        rendered = {name: without_marks(content) for name, content in rendered.items()}
        for name, content in rendered.items():
            check_part(name, content)
        buffer = io.BytesIO(self._static)
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in rendered.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    def _render_document(self, context: Mapping[str, Any]) -> bytes:
        document = self._document
        tree = document.fix_tables(_from_jinja(self._body.render(context), document))
        document.docx_ids_index = 1000  # as docxtpl's render_init
        document.fix_docpr_ids(tree)
        root = copy.deepcopy(self._root)
        put_body(root, tree)
        return bytes(serialize_part_xml(root))


class TemplateCache:
    """Prepared templates by file, each prepared again when its file changes (its path,
    modification time and size are the key). One cache per process: a worker's share.

    A template prepared in an earlier run is taken from the user's cache folder
    (:mod:`reportgen.template.stored`) when its bytes are the same."""

    def __init__(self) -> None:
        self._prepared: dict[Path, tuple[tuple[int, int], PreparedTemplate]] = {}

    def get(self, path: Path) -> PreparedTemplate:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            return PreparedTemplate(path)  # which says so in Chinese
        except OSError as exc:
            raise FileSystemError(f"无法读取模板 {path}", exc) from exc
        key = path.resolve()
        version = (status.st_mtime_ns, status.st_size)
        found = self._prepared.get(key)
        if found is not None and found[0] == version:
            return found[1]
        prepared = _from_disk(path)
        self._prepared[key] = (version, prepared)
        return prepared


def _from_disk(path: Path) -> PreparedTemplate:
    """The template at ``path``, prepared in an earlier run if its bytes are the same, else
    prepared now (and kept for the next run)."""
    content = _template_bytes(path)
    if content is None:
        return PreparedTemplate(path)  # which refuses it in Chinese
    code = stored.fingerprint()
    fields = stored.load(content, code)
    if fields is not None:
        # an entry of another shape, or XML that does not parse (SyntaxError): prepared anew
        with contextlib.suppress(TypeError, ValueError, SyntaxError):
            return PreparedTemplate(path, Prepared(**fields))
    prepared = PreparedTemplate(path)
    if _template_bytes(path) == content:  # not changed while it was prepared
        state = prepared.state
        stored.save(
            content, code, {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
        )
    return prepared


def _template_bytes(path: Path) -> bytes | None:
    """The bytes of a regular template file of a size a template may have, else ``None``."""
    try:
        descriptor = open_regular(path, f"模板 {path}", KIND)
    except UsageError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        content = stream.read(MAX_UNPACKED_BYTES + 1)
    return content if len(content) <= MAX_UNPACKED_BYTES else None
