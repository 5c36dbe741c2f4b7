"""Where a problem of a template is, said as its reader would find it: the paragraph's excerpt
under the heading printed above it in the rendered report (“二、部门整体支出绩效情况”), never the
tag that prints that heading (``{{ chapter.label }}{{ chapter.heading }}``).

``template check`` places what it finds so (check.py, with trial.py's :func:`seen_headings` and
:func:`located`); ``render`` asks :func:`dropped_text_placed` before it writes anything, with the
report's own context, so that both name the same place."""

from __future__ import annotations

from pathlib import Path

from reportgen.context.table_fields import TrialContext
from reportgen.template.check import static_problems
from reportgen.template.source import Block, Marking, template_marking, template_problems
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
