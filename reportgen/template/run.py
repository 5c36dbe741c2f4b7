"""Running a report template: docxtpl with strict XML and the rendered body put in place in
linear time, and the checks every render makes, whether the template is read for one report
(render.py) or compiled once for a batch (prepared.py): errors raised while it runs said as the
template's, and nothing of the template or the data lost."""

from __future__ import annotations

import contextlib
import io
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.context.fields import TemplateContext
from reportgen.errors import RenderError, ReportgenError, TemplateError
from reportgen.layout.search import templates_dir
from reportgen.template.doc_properties import adopt_core_properties
from reportgen.template.limits import TemplateLimitError
from reportgen.template.messages import VARS_COMMAND, translate
from reportgen.template.nesting import TEMPLATES_OWN, TOO_DEEP, nesting_problems
from reportgen.template.outside import outside_references
from reportgen.template.package import check_package
from reportgen.template.sandbox import ReportSandbox
from reportgen.template.source import (
    Dropped,
    Marking,
    ascii_tags,
    readable,
    template_marking,
    template_problems,
)
from reportgen.template.typesetting import enforce_typesetting

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_xml(document: bytes) -> None:
    """Every XML part must parse strictly, or Word will refuse the file."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for name in archive.namelist():
            check_part(name, archive.read(name))


def check_part(name: str, content: bytes) -> None:
    if not name.endswith((".xml", ".rels")):
        return
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"生成的文档部件 {name} 不是合法的 XML（{xml_place(exc)}）") from exc
    if name.startswith("word/") and root.find(f".//{_W}t/*") is not None:
        # well-formed, but Word refuses markup inside a text run
        raise RenderError(
            f"生成的文档部件 {name} 中出现了段落套段落：模板里输出正文应写成 "
            "{{p sections.… }}（带 p），而不是 {{ sections.… }}；"
            "带标记的文字（lipsum()、|safe 的结果）也会如此，请写 lipsum(html=false)，不要用 |safe"
        )
    found = outside_references(name, root)
    if found:
        # markup a template outputs (|safe) is Word's own XML: a field in it works as one
        raise TemplateError(
            f"生成的文档中{'；'.join(found)}：模板用 |safe 输出的标记成了 Word 的内容，"
            "打开或转换报告时会访问网络、读取其他文件或运行程序，已拒绝，未生成报告；请不要用 |safe"
        )


def xml_place(error: etree.XMLSyntaxError) -> str:
    """Where an XML document stops being XML, in Chinese (lxml's own text is English)."""
    line, column = error.position if error.position else (error.lineno, 0)
    return f"第 {line} 行第 {column} 列有误"


class ReportTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl's template, with the rendered body put into the document in linear time and
    parsed strictly: docxtpl reparses it in lxml's recover mode, which silently cuts a text node
    over 10 MB and everything after it, the page setup included."""

    def map_tree(self, tree: etree._Element) -> None:
        put_body(self.docx._element, tree, super().map_tree)

    def patch_xml(self, src_xml: str) -> Any:
        return super().patch_xml(ascii_tags(src_xml))  # ｛｛ ｝｝ typed by an input method

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        """docxtpl renders the title, subject, author, comments … as templates; reportgen
        then sets them to the report's own (doc_properties.set_report_properties), so a tag
        there would only stop a render that ``template check`` passed: none is rendered."""

    def fix_tables(self, xml: str) -> Any:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            tree = etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                f"生成的文档正文不是合法的 XML，未生成报告（{xml_place(exc)}）；"
                "模板输出的文字过长，或标签没有成对出现"
            ) from exc
        check_tables(tree)
        return super().fix_tables(xml)


# Word's tables have at most 63 columns; a cell spans a whole number of them
_MAX_COLUMNS = 63


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def check_tables(tree: etree._Element) -> None:
    """Refuse, in Chinese, a table docxtpl's column fixing (and Word) cannot read: no column
    grid, a cell spanning a number of columns that is not one, a column width not a number."""
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            raise TemplateError("有一个表格缺少列定义（w:tblGrid）；请在 Word 中重新插入该表格")
        for column in grid.findall(f"{_W}gridCol"):
            width = column.get(f"{_W}w")
            if width is not None and not _is_number(width):
                raise TemplateError(
                    f"有一个表格的列宽（w:gridCol）“{width[:20]}”不是数字；请在 Word 中重新设置列宽"
                )
        for span in table.iter(f"{_W}gridSpan"):
            value = span.get(f"{_W}val", "")
            digits = value.lstrip("0")  # at most two digits: int() of 5,000 would raise
            if (
                not (value.isascii() and value.isdigit() and len(digits) <= 2 and digits)
                or int(digits) > _MAX_COLUMNS
            ):
                raise TemplateError(
                    f"有一个表格单元格的合并列数（w:gridSpan）“{value[:20]}”无效，应为 1 到 "
                    f"{_MAX_COLUMNS} 的整数；请在 Word 中重新合并该单元格"
                )


def put_body(root: etree._Element, tree: etree._Element, replace: Any = None) -> None:
    """Put the rendered body ``tree`` in place of ``root``'s body (``replace`` does it for the
    empty body, by default lxml's own replacement)."""
    # lxml moves a subtree into another document in time quadratic in the subtree's
    # xml:space attributes (docxtpl writes one per run: 20,000 items took 27 s; a table of
    # 5,000 rows, one child of the body, 29 s). Taken apart and moved one element at a time,
    # the whole tree costs linear time; an element keeps its tail text.
    placed = [(element.getparent(), element) for element in tree.iterdescendants()]
    for parent, element in reversed(placed):
        parent.remove(element)
    if replace is None:
        root.replace(root.find(f"{_W}body"), tree)
    else:
        replace(tree)
    for parent, element in placed:  # document order: each parent is back before its children
        parent.append(element)


def load_template(path: Path) -> DocxTemplate:
    """The template at ``path`` opened by docxtpl, after :func:`check_package`; a file
    python-docx cannot open is the template's :class:`TemplateError`."""
    check_package(path)
    try:
        template = ReportTemplate(str(path))
        template.init_docx()
        adopt_core_properties(template.docx.part.package)
        enforce_typesetting(template.docx.part.package)
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise TemplateError(
            f"无法打开模板 {path}：文件已损坏或不是 Word 文档（缺少必要的部件或内容无效）"
        ) from exc
    return template


_PACKAGE = Path(__file__).resolve().parents[1]


def built_in(template: Path) -> bool:
    try:
        return template.resolve().is_relative_to(templates_dir().resolve())
    except OSError:
        return False


def raised_in_reportgen(error: BaseException) -> bool:
    """Whether ``error`` was raised in reportgen's own code (the context a template calls,
    say), rather than in the template's expressions or the libraries they call. reportgen's
    filters turn a bad argument into a TemplateError themselves."""
    if getattr(error, TEMPLATES_OWN, False):  # an operator the sandbox ran for the template
        return False
    trace = error.__traceback__
    if trace is None:
        return False
    while trace.tb_next is not None:
        trace = trace.tb_next
    return Path(trace.tb_frame.f_code.co_filename).resolve().is_relative_to(_PACKAGE)


def sections_left_out(context: TemplateContext, environment: ReportSandbox) -> list[str]:
    """The sections of the report's data that the render did not print."""
    read = environment.watched.get(id(context.paragraphs), set())
    return context.left_out(environment.printed, read)


def template_text_dropped(source: Path) -> list[str]:
    """The template's text that docxtpl would drop (beside a ``{{p}}`` tag, say), garble or
    print as typed: :func:`~reportgen.template.source.template_problems`."""
    marking = template_marking(source)
    return [readable(f"{d.block.place}：{d.message}") for d in preparation_problems(marking)]


def preparation_problems(marking: Marking) -> list[Dropped]:
    """What a render refuses before it starts, and ``template check`` says the same: text
    docxtpl would drop (:func:`~reportgen.template.source.template_problems`) and tags nested
    too deeply (:func:`~reportgen.template.nesting.nesting_problems`)."""
    return template_problems(marking) + nesting_problems(marking)


@contextlib.contextmanager
def template_errors(source: Path) -> Iterator[None]:
    """What goes wrong while a template renders, as the template's error (or our bug)."""
    try:
        yield
    except TemplateLimitError as exc:
        if built_in(source):  # reportgen's own template: what is too long is the data
            raise TemplateError(
                f"报告过长：内置版式 {source.parent.name} 的模板{exc}；"
                "数据中的条目或文字过多（如上千个指标），请精简后再生成"
            ) from exc
        raise TemplateError(f"模板 {source} {exc}") from exc
    except TemplateError as exc:  # a filter handed what it cannot print, a value not there
        raise TemplateError(f"模板 {source}：{exc}") from exc
    except ReportgenError:
        raise
    except SecurityError as exc:
        from reportgen.template.explain import refused  # a render that goes well never loads it

        raise TemplateError(f"模板 {source} {refused(exc)}") from exc
    except jinja2.UndefinedError as exc:
        from reportgen.template.explain import missing_value

        raise TemplateError(
            f"模板 {source} 引用了不存在的值：{missing_value(exc.message or '')}；"
            f"可用的变量见 {VARS_COMMAND}，"
            f"reportgen template check {source} 列出每一处及其位置"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板 {source}：{translate(exc.message or '')}；"
            f"reportgen template check {source} 列出每一处及其位置"
        ) from exc
    except jinja2.TemplateError as exc:
        from reportgen.template.explain import cause

        raise TemplateError(f"模板 {source} 渲染失败：{cause(exc)}") from exc
    except (RecursionError, MemoryError) as exc:  # Jinja parses and compiles by recursion
        raise TemplateError(
            f"模板 {source} 的{TOO_DEEP}；reportgen template check {source} 列出其位置"
        ) from exc
    except Exception as exc:
        if raised_in_reportgen(exc):
            raise  # a bug of ours, not the template author's: the entry point says so (70)
        # An expression in the template raised (1/0, a Python method given the wrong type):
        # the template is someone else's code, and its author's mistake.
        from reportgen.template.explain import expression_error

        raise TemplateError(f"模板 {source} 中的{expression_error(exc)}") from exc


class LostContentError(TemplateError):
    """A report that would lack text of its template or of its data: said by
    :func:`check_nothing_lost`, and placed anew under a report's own headings (placing.py)."""


def check_nothing_lost(
    source: Path, dropped: list[str], left_out: list[str], missing: list[str]
) -> None:
    """A report that lacks text of its template (beside a ``{{p}}`` tag, say) or a section of its
    data, or whose paragraphs name a style the template does not define (Word shows them as
    plain text), is not written."""
    problems = [*dropped]
    problems += [f"没有印出{part}" for part in left_out]
    problems += [f"缺少段落样式“{style}”" for style in missing]
    if problems:
        raise LostContentError(
            f"模板 {source} {'；'.join(problems)}，未生成报告；"
            f"reportgen template check {source} 可列出问题所在"
        )
