"""Trying a template on one department's data without stopping at its first mistake.

The template is marked before docxtpl patches it (see :class:`~reportgen.template.source.Marking`),
so every line of the Jinja source leads back to a paragraph or row the author can find. A name
that does not exist, a value that is not there, a section left out: each is recorded with its
place, and the render goes on. What stops a render (an expression that raises, a limit) is
recorded where it happened.


Why one module: the marked template, the recorder and the placing of problems under printed
headings all work on the same TrialTemplate and Block marks."""

from __future__ import annotations

import contextlib
import re
import sys
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from docx.oxml import parse_xml
from docxtpl import DocxTemplate, RichTextParagraph
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from lxml import etree
from markupsafe import Markup
from pydantic import BaseModel

from reportgen.context.table_fields import TrialContext
from reportgen.errors import ReportgenError
from reportgen.template.explain import (
    cause,
    expression_error,
    kind,
    missing_value,
    no_such_item,
    refused,
)
from reportgen.template.limits import TemplateLimitError
from reportgen.template.messages import VARS_COMMAND, suggestion, translate
from reportgen.template.nesting import TOO_DEEP
from reportgen.template.open_tags import defuse_open_tags
from reportgen.template.run import check_tables, raised_in_reportgen
from reportgen.template.sandbox import jinja_environment
from reportgen.template.source import (
    MARKER,
    TAG,
    Block,
    Marking,
    W,
    ascii_tags,
    heading_styles,
    is_heading,
    is_tag,
    missing_style_message,
    missing_styles,
    readable,
    split_at_markers,
)


@dataclass(frozen=True)
class Problem:
    """One problem of a template: what, where (``None``: the template as a whole), on which data."""

    message: str
    block: Block | None = None
    data: str | None = None  # the data it shows with, when only a trial render shows it
    syntax: bool = False  # a tag Jinja cannot read: no render gets past it
    limit: bool = False  # past a limit: no other data need try it again

    def as_text(self) -> str:
        where = f"{self.block.place}：" if self.block is not None else ""
        on = f"［试渲染：{self.data}］" if self.data else ""
        return readable(f"{where}{self.message}{on}")


_NOTES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": "脚注",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": "尾注",
}


class TrialTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl's template, each part marked so that a Jinja line number names its block."""

    def fix_tables(self, xml: str) -> Any:
        """docxtpl's, after the tables' grids are checked as a render checks them."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        with contextlib.suppress(etree.XMLSyntaxError):  # said by the render's own check
            check_tables(etree.fromstring(xml, parser))
        return super().fix_tables(xml)

    def __init__(self, path: Path, marking: Marking) -> None:
        super().__init__(str(path))
        self.init_docx()
        self.marking = marking
        self._marked: dict[str, str] = {}
        self.lines: dict[str, list[int | None]] = {}
        self.current: list[int | None] = []
        self.current_text: list[str] = []
        self.stand_ins: dict[str, str] = {}  # a tag Jinja cannot read → one it can
        # repairs of a part whose tags do not pair up: (line, tag) to take away, tags to add
        self.removals: dict[str, list[tuple[int, str]]] = {}
        self.closers: dict[str, list[str]] = {}
        self.current_part = ""
        self.stopped_at: int | None = None  # the Jinja line an expression raised at

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        """None rendered, as a render renders none (run.ReportTemplate.render_properties)."""

    def patch_xml(self, src_xml: str) -> Any:
        patched: str = super().patch_xml(src_xml)
        for tag, stand_in in self.stand_ins.items():
            patched = patched.replace(tag, stand_in)
        return patched

    def _mark(self, key: str, element: etree._Element, label: str) -> str:
        if key not in self._marked:
            root = parse_xml(ascii_tags(self.xml_to_string(deepcopy(element))))
            self.marking.mark(root, label)
            defuse_open_tags(root)  # said at its paragraph (template_problems); tried past it
            self._marked[key] = self.xml_to_string(root)
        return self._marked[key]

    def get_xml(self) -> str:
        return self._mark("/word/document.xml", self.docx._element.body, "正文")

    def get_part_xml(self, part: Any) -> str:
        label = "页眉" if "header" in str(part.partname) else "页脚"
        return self._mark(str(part.partname), parse_xml(part.blob), label)

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> Any:
        self.current_part = key = str(part.partname)
        lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", split_at_markers(src_xml)).split("\n")
        for number, tag in self.removals.get(key, []):
            lines[number - 1] = lines[number - 1].replace(tag, "", 1)
        text = "\n".join(lines) + "".join(self.closers.get(key, []))
        self.current = self.marking.lines(text)
        self.current_text = text.split("\n")
        source = re.sub(r"\n<w:p([ >])", r"<w:p\1", text)  # docxtpl puts them back
        return super().render_xml_part(source, part, context, jinja_env)

    def repair(self, error: jinja2.TemplateSyntaxError) -> bool:
        """Take away the tag a syntax error of the whole part names (a closing tag too many),
        or close the block it says is open, so that the next try gets further."""
        key, message = self.current_part, error.message or ""
        unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
        if message.startswith("Unexpected end of template") and unclosed:
            self.closers.setdefault(key, []).append(f"{{% end{unclosed[1]} %}}")
            return True
        extra = re.match(r"Encountered unknown tag '(end\w+|elif|else)'", message)
        line = error.lineno
        if extra and line is not None and 0 < line <= len(self.current_text):
            tag = re.search(r"\{%-?\s*" + extra[1] + r"\b.*?%\}", self.current_text[line - 1])
            if tag is not None:
                self.removals.setdefault(key, []).append((line, tag[0]))
                return True
        return False

    def sources(self) -> Iterator[tuple[str, list[int | None]]]:
        """Every part's Jinja source as docxtpl will render it, and the block of each line."""
        parts = [self.patch_xml(self.get_xml())]
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for _, part in self.get_headers_footers(uri):
                parts.append(self.patch_xml(self.get_part_xml(part)))
        for part in self.docx.part.package.parts:
            notes = _NOTES.get(part.content_type)
            if notes is not None:  # docxtpl renders footnotes; endnotes it leaves as typed
                marked = self._mark(str(part.partname), parse_xml(part.blob), notes)
                if notes == "脚注":
                    parts.append(self.patch_xml(marked))
        for patched in parts:
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", split_at_markers(patched))
            yield source, self.marking.lines(source)

    def block_at(self, lineno: int | None) -> Block | None:
        if lineno is None or not 0 < lineno <= len(self.current):
            return None
        index = self.current[lineno - 1]
        return self.marking.blocks[index] if index is not None else None


# names Jinja gives a loop or macro: a tag's check cannot tell whether one is inside it
_ONLY_INSIDE = {
    "loop": "变量“loop”只在 {% for %} 循环之中存在",
    "caller": "变量“caller”只在由 {% call %} 调用的宏之中存在",
    "varargs": "变量“varargs”只在宏之中存在",
    "kwargs": "变量“kwargs”只在宏之中存在",
}


class Recorder:
    """The problems of one trial render, each at the block the template was rendering."""

    def __init__(
        self, trial: TrialTemplate, context: TrialContext, figure_keys: frozenset[str]
    ) -> None:
        self.trial = trial
        self.context = context
        self.figure_keys = figure_keys
        self.problems: list[Problem] = []

    def record(self, message: str, block: Block | None = None) -> None:
        problem = Problem(message, block if block is not None else self.here())
        if problem not in self.problems:
            self.problems.append(problem)

    def here(self) -> Block | None:
        """The block whose Jinja code is running now."""
        return self.trial.block_at(self.line())

    def line(self) -> int | None:
        """The line of the Jinja source running now."""
        frame = sys._getframe(1)
        while frame is not None:
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                return int(template.get_corresponding_lineno(frame.f_lineno))
            frame = frame.f_back  # type: ignore[assignment]
        return None

    def paragraphs_in_a_run(self, value: Any) -> None:
        """``{{ section.body }}`` without ``p``: paragraphs inside a paragraph, which Word refuses."""
        markup = isinstance(value, Markup) and "<" in value  # lipsum(), |safe
        if not markup and not isinstance(value, RichTextParagraph):
            return  # the common case, without walking the stack
        line = self.line()
        if line is not None:
            text = self.trial.current_text[line - 1] if line <= len(self.trial.current_text) else ""
            if "<w:t" not in text:
                return
            if markup:
                self.record(
                    "输出了带标记的文字（如 lipsum()、|safe 的结果），标记会写进文字之中，"
                    "Word 无法打开报告；lipsum 请写 lipsum(html=false)，不要用 |safe"
                )
            else:
                self.record(
                    "正文段落须用 {{p … }}（带 p）输出，写成 {{ … }} 时段落套段落，Word 无法打开报告"
                )

    def undefined(self, obj: Any, name: str | None) -> str | None:
        """What is missing, in the template author's words."""
        context = self.context
        if obj is jinja2.utils.missing:
            # a name no data has: each tag's check has said so already, except those Jinja
            # gives inside a loop or macro only, used outside one
            return _ONLY_INSIDE.get(str(name))
        odd = no_such_item(kind(type(obj).__name__), name)
        if odd is not None:  # figures[[1]], outline[outline]
            return odd
        if obj is context.figures:
            if _figure_pattern(str(name)) not in self.figure_keys:
                return None  # no data has it: said by the tag's check
            return (
                f"这份数据没有数字“{name}”（未公布的数字不在 figures 中）；"
                f"请用 {{% if '{name}' in figures %}} … {{% endif %}} 判断后再输出"
            )
        if obj is context.sections or obj is context.paragraphs:
            return f"没有节“{name}”{suggestion(str(name), context.sections)}；各节的键名见 {VARS_COMMAND}"
        if isinstance(obj, BaseModel):
            fields = type(obj).model_fields
            return f"{type(obj).__name__} 没有“{name}”{suggestion(str(name), fields)}；可用的属性见 {VARS_COMMAND}"
        if isinstance(obj, dict):
            return f"没有键“{str(name)[:40]}”{suggestion(str(name), map(str, obj))}"
        return f"{kind(type(obj).__name__)}没有“{str(name)[:40]}”"

    def none(self) -> str:
        self.record("这里输出的值在这份数据中为空，会印出“None”；请用 {% if … %} 判断后再输出")
        return ""


def seen_headings(trial: TrialTemplate) -> dict[Block, Block]:
    """Each block of a finished render whose own heading is a tag → the same block under the
    printed heading a reader sees above it (one the template prints: a chapter's or a
    section's, not a sub-heading of the data's text) (the first of several, in a loop); a block the render
    left out, under the heading printed last before its place."""
    shown: dict[int, list[str]] = {}
    rendered: list[tuple[int, str]] = []  # (block, the heading above it), in printed order
    heading = ""
    current = -1  # the block printing now: a heading of the data's text is not the template's
    for node in trial.docx.element.body.iter():
        if isinstance(node, etree._Comment):
            marker = MARKER.fullmatch(f"<!--{node.text}-->")
            if marker is not None:
                current = int(marker[1])
                rendered.append((current, heading))
                seen = shown.setdefault(current, [])
                seen += [] if not heading or heading in seen else [heading]
        elif (
            node.tag == f"{W}p"
            and current in trial.marking.heading_blocks
            and is_heading(node, trial.marking.headings)
        ):
            text = "".join(t.text or "" for t in node.iter(f"{W}t")).strip()
            heading = text if text and not is_tag(text) else heading
    # a block left out stands where the last block printed before it in the template ended
    latest: list[int] = [-1] * (len(trial.marking.blocks) + 1)  # block → last printed position
    for position, (index, _) in enumerate(rendered):
        if index < len(latest):
            latest[index] = max(latest[index], position)
    placed: dict[Block, Block] = {}
    before = -1
    for index, block in enumerate(trial.marking.blocks):
        headings = shown.get(index)
        if is_tag(block.heading) and block not in placed:
            if headings:
                placed[block] = replace(block, heading=headings[0], several=len(headings) > 1)
            elif before >= 0 and rendered[before][1]:
                placed[block] = replace(block, heading=rendered[before][1])
        before = max(before, latest[index])
    return placed


def located(problems: list[Problem], seen: dict[Block, Block]) -> list[Problem]:
    """``problems`` placed under the headings a reader sees (``seen``) instead of a tag."""
    placed = []
    for problem in problems:
        block = problem.block
        if block is not None and is_tag(block.heading) and block in seen:
            problem = replace(problem, block=seen[block])
        if "（标题“{" in problem.message:  # the message names another block: placed so too
            message = problem.message
            for old, new in seen.items():
                message = message.replace(old.place, new.place)
            problem = replace(problem, message=message)
        placed.append(problem)
    return placed


def _figure_pattern(key: str) -> str:
    return re.sub(r"\[\d+\]", "[]", key)


def figure_patterns(keys: Iterator[str] | list[str]) -> frozenset[str]:
    return frozenset(_figure_pattern(k) for k in keys)


class RecordingUndefined(jinja2.Undefined):
    """An undefined value that tells the recorder where it was used, then behaves as nothing."""

    __slots__ = ()
    recorder: ClassVar[Recorder]

    def _record(self) -> None:
        if issubclass(self._undefined_exception, SecurityError):
            name = self._undefined_name
            self.recorder.record(f"模板试图访问不允许的内容“{name}”，已拒绝")
            return
        if self._undefined_hint is not None:  # first of an empty list, say
            self.recorder.record(missing_value(self._undefined_hint))
            return
        message = self.recorder.undefined(self._undefined_obj, self._undefined_name)
        if message is not None:
            self.recorder.record(message)

    def __str__(self) -> str:
        self._record()
        return ""

    def __iter__(self) -> Iterator[Any]:
        self._record()
        return iter(())

    def __bool__(self) -> bool:
        self._record()
        return False

    def __len__(self) -> int:
        self._record()
        return 0

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        self._record()
        return self

    def __getitem__(self, key: Any) -> Any:
        self._record()
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._record()
        return self


def trial_render(
    path: Path,
    context: TrialContext,
    figure_keys: frozenset[str],
    stand_ins: dict[str, str],
    seen: dict[Block, Block] | None = None,
) -> list[Problem]:
    """Every problem rendering ``path`` with ``context`` shows, each at its block. Tags Jinja
    cannot read are replaced by ``stand_ins``; unknown filters and tests pass values through
    (each tag's own check has reported them); tags that do not pair up are reported, then
    repaired for another try, so that one mistake hides no other."""
    paired: list[Problem] = []
    removals: dict[str, list[tuple[int, str]]] = {}
    closers: dict[str, list[str]] = {}
    stand_ins = dict(stand_ins)  # and, ours, the tags of a paragraph a try stopped at
    stopped: list[Problem] = []  # found by tries that stopped
    for _ in range(_MAX_TRIES):
        trial = TrialTemplate(path, Marking(template_headings(path)))
        trial.stand_ins, trial.removals, trial.closers = stand_ins, removals, closers
        problems, error = _try(trial, context, figure_keys)
        if error is None and _step_past(trial, stand_ins):
            stopped += [p for p in problems if p not in stopped]
            continue  # tried again past the paragraph that stopped it, for what is after it
        if error is None:
            if seen is not None:  # after a repair too: the blocks are the template's own
                for block, placed in seen_headings(trial).items():
                    seen.setdefault(block, placed)  # the first data tried (complete) names it
            if closers or stopped:  # a block closed or stood in by us: what it hid follows
                problems = [p for p in problems if not p.message.startswith(LEFT_OUT)]
            return [*paired, *stopped, *(p for p in problems if p not in stopped)]
        at_end = (error.message or "").startswith("Unexpected end of template")
        if not at_end:  # a block left open: each tag's check has said where it opens
            found = Problem(translate(error.message or ""), trial.block_at(error.lineno))
            paired += [found] if found not in paired else []
        if error is None or not trial.repair(error):
            break
    return [*paired, *stopped]


def _step_past(trial: TrialTemplate, stand_ins: dict[str, str]) -> bool:
    """Stand-ins for the tags of the line where ``trial`` stopped (an expression that raised):
    a loop over nothing, a condition that is false, an output of nothing. Whether any is new."""
    line = trial.stopped_at
    if line is None or not 0 < line <= len(trial.current_text):
        return False
    added = False
    for tag in TAG.findall(trial.current_text[line - 1]):
        word = re.match(r"\{%-?\s*(for|if|elif)\b", tag)
        stand_in = "" if tag.startswith("{{") else None
        if word is not None:
            stand_in = {"for": "{% for _ in () %}", "if": "{% if false %}"}.get(
                word[1], "{% elif false %}"
            )
        if stand_in is not None and tag not in stand_ins:
            stand_ins[tag] = stand_in
            added = True
    return added


_MAX_TRIES = 10
LEFT_OUT = "模板没有印出"


def _try(
    trial: TrialTemplate, context: TrialContext, figure_keys: frozenset[str]
) -> tuple[list[Problem], jinja2.TemplateSyntaxError | None]:
    """One render; the problems recorded, or the syntax error of a whole part."""
    recorder = Recorder(trial, context, figure_keys)
    env = jinja_environment()
    env.filters = _Lenient(env.filters, lambda value, *_, **__: value)
    env.tests = _Lenient(env.tests, lambda *_, **__: False)
    env.undefined = type("Recording", (RecordingUndefined,), {"recorder": recorder})
    env.none_printed = recorder.none  # type: ignore[method-assign]
    printed = env.finalize
    assert printed is not None

    @pass_eval_context
    def finalize(eval_ctx: EvalContext, value: Any) -> Any:
        recorder.paragraphs_in_a_run(value)
        return printed(eval_ctx, value)

    env.finalize = finalize
    env.watch(context.paragraphs)
    try:
        trial.render(context.as_mapping(), jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        return [], exc
    except TemplateLimitError as exc:
        block = trial.block_at(_template_line(exc))
        return [*recorder.problems, Problem(f"模板{exc}", block, limit=True)], None
    except Exception as exc:
        trial.stopped_at = _template_line(exc)
        recorder.record(_stopped(exc), trial.block_at(trial.stopped_at))
        return recorder.problems, None
    for part in context.left_out(env.printed, env.watched.get(id(context.paragraphs), set())):
        recorder.record(f"{LEFT_OUT}{part}", block=None)
    for style in missing_styles(trial.docx):
        recorder.record(missing_style_message(style), block=None)
    return recorder.problems, None


class _Lenient(dict[str, Any]):
    """Filters or tests where a name that does not exist stands for ``default``."""

    def __init__(self, known: Any, default: Any) -> None:
        super().__init__(known)
        self.default = default

    def __contains__(self, name: object) -> bool:
        return True

    def __missing__(self, name: str) -> Any:
        return self.default

    def get(self, name: str, default: Any = None) -> Any:
        return self[name]


def template_headings(path: Path) -> frozenset[str]:
    with zipfile.ZipFile(path) as archive:
        try:
            styles = archive.read("word/styles.xml")
        except KeyError:
            styles = None
    return heading_styles(styles)


def _stopped(exc: BaseException) -> str:
    """Why a trial render stopped, in Chinese."""
    if isinstance(exc, SecurityError):
        return f"模板{refused(exc)}"
    if isinstance(exc, ReportgenError):
        return str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return (
            f"对不存在的值做了运算：{missing_value(exc.message or '')}；可用的变量见 {VARS_COMMAND}"
        )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return translate(exc.message or "")
    if isinstance(exc, jinja2.TemplateError):
        return cause(exc)
    if isinstance(exc, RecursionError | MemoryError):
        return TOO_DEEP
    if raised_in_reportgen(exc):
        raise exc  # a bug of ours: the entry point says so (exit 70)
    return expression_error(exc)


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception was raised at (Jinja rewrites its traceback so)."""
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
