"""Where a problem of a template is, said as its reader would find it: the paragraph's excerpt
under the heading printed above it in the rendered report (“二、部门整体支出绩效情况”), never the
tag that prints that heading (``{{ chapter.label }}{{ chapter.heading }}``).

``template check`` places what it finds so (check.py, with trial.py's :func:`seen_headings` and
:func:`located`); ``render`` asks :func:`dropped_text_placed` before it writes anything, with the
report's own context, so that both name the same place."""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.context.table_fields import TrialContext
from reportgen.errors import TemplateError
from reportgen.template.check import static_problems
from reportgen.template.limits import TemplateLimitError, steps_capped
from reportgen.template.run import LostContentError, built_in
from reportgen.template.source import (
    Block,
    Marking,
    readable,
    template_marking,
    template_problems,
)
from reportgen.template.trial import (
    Problem,
    TrialTemplate,
    figure_patterns,
    located,
    template_headings,
    trial_render,
)


def dropped_text_placed(source: Path, context: TrialContext) -> list[str]:
    """What docxtpl would drop, garble or print raw in ``source``
    (:func:`~reportgen.template.source.template_problems`), each placed under the heading a
    reader sees in the report ``context`` prints. A template without such problems costs one
    reading of its parts; only one with problems is tried with ``context``."""
    found = template_problems(template_marking(source))
    if not found:
        return []
    # tags Jinja cannot read (a {%tr %} outside a table) get stand-ins, as template check's
    stand_ins: dict[str, str] = {}
    static_problems(
        TrialTemplate(source, Marking(template_headings(source))), context, frozenset(), stand_ins
    )
    seen: dict[Block, Block] = {}
    trial_render(source, context, figure_patterns(list(context.figures)), stand_ins, seen)
    return [p.as_text() for p in located([Problem(d.message, d.block) for d in found], seen)]


def failure_placed(source: Path, context: TrialContext, error: TemplateError) -> TemplateError:
    """``error``, which stopped a render of ``source`` with ``context``, with the paragraph (and the
    heading above it) where the render stopped, as ``template check`` names it: the template is
    tried again with the same context, only after a render has failed. A limit is reached again
    at no more cost than the first time; one of time, by the loops and calls made until then.
    A problem already placed, and a built-in template's limit (its data is too long), are left
    as they are."""
    limit = error.__cause__ if isinstance(error.__cause__, TemplateLimitError) else None
    if isinstance(error, LostContentError) or (limit is not None and built_in(source)):
        return error
    said = str(error)
    stand_ins: dict[str, str] = {}
    trial = TrialTemplate(source, Marking(template_headings(source)))
    tags = static_problems(trial, context, frozenset(), stand_ins)  # names, syntax
    seen: dict[Block, Block] = {}
    cap = max(limit.steps - 1, 0) if limit is not None and limit.timed_out else None
    with steps_capped(cap):
        found = trial_render(
            source, context, figure_patterns(list(context.figures)), stand_ins, seen
        )
    for problem in located([*found, *tags], seen):
        if problem.block is None:
            continue
        if (problem.limit and limit is not None) or _same(problem.message, said):
            return TemplateError(f"{said}；出错处：{readable(problem.block.place)}")
    return error


def _same(message: str, said: str) -> bool:
    """Whether a trial's ``message`` is what a render ``said`` (“模板 X 中的…”, “…；reportgen
    template check …”): the one contains the other, or both name the same values (“x”)."""
    core = message.removeprefix("模板")
    cause = re.sub(r"^模板 .*?\.docx(?:：| 中的| 的| )", "", said).split("；")[0]
    named = re.findall(r"“[^”]+”", cause)
    return core in said or cause in message or (bool(named) and all(n in message for n in named))
