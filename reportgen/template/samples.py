"""The sample data a template is tried with, made for the layout it is checked in.

The facts (budget, score, indicators …) come from ``reportgen/samples/complete.yaml`` and
``sparse.yaml``; the ``sections`` are generated from the layout's outline, so that a layout's own
sections are written, its one-body chapters hold their body, its preface (the untitled text
before the first chapter) is written in the complete sample, and a template that leaves one out
is found. A section the sample files write keeps their text (every block kind, in the complete
sample); any other gets a short text of its own, and in the complete sample a numbered
sub-heading, so that the heading styles are tried too.

The complete sample also adds a section of the department's own (``outline.extra_sections``)
to the first chapter printed as one body, as a department may: that chapter then prints its
body as a lead before the section, and a template that prints only one of the two is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reportgen.layout.outline import Plan, plan_of
from reportgen.layout.search import Layout
from reportgen.model.samples import SAMPLE, SPARSE
from reportgen.read.loader import Document, load_file, load_text


@dataclass(frozen=True)
class Sample:
    """One sample: its name in messages and file names, and the data."""

    name: str
    document: Document
    path: Path  # the sample file its facts come from


COMPLETE_NAME = "完整示例数据"
# the department's own section the complete sample adds to a chapter printed as one body
OWN_SECTION = "own_section"
OWN_HEADING = "本部门增加的一节（示例）"
SPARSE_NAME = "最少示例数据（只有必填项）"


def samples(layout: Layout | None) -> list[Sample]:
    """The complete and the sparse sample, their sections following ``layout``'s outline (the
    sample files as they are when there is no usable outline)."""
    if layout is None or layout.outline is None:
        return [
            Sample(COMPLETE_NAME, load_file(SAMPLE, COMPLETE_NAME), SAMPLE),
            Sample(SPARSE_NAME, load_file(SPARSE, SPARSE_NAME), SPARSE),
        ]
    plan = plan_of(layout.outline)
    return [
        _made(SAMPLE, COMPLETE_NAME, layout.name, plan, complete=True),
        _made(SPARSE, SPARSE_NAME, layout.name, plan, complete=False),
    ]


def _made(path: Path, name: str, layout: str, plan: Plan, complete: bool) -> Sample:
    text = path.read_text(encoding="utf-8")
    written = load_file(path).data["sections"]
    facts = re.split(r"(?m)^sections:", text, maxsplit=1)[0]
    facts = re.sub(r"(?m)^layout: .*$", f"layout: {_quoted(layout)}", facts)
    sections = _sections(plan, written, complete)
    parts: dict[str, Any] = {"sections": sections}
    body_chapter = next((c for c in plan.chapters if c.body), None)
    if complete and body_chapter is not None and OWN_SECTION not in sections:
        extra = {"key": OWN_SECTION, "heading": OWN_HEADING, "chapter": body_chapter.key}
        parts = {"outline": {"extra_sections": [extra]}, "sections": sections}
        sections[OWN_SECTION] = _text(OWN_HEADING, complete)
    body = yaml.safe_dump(parts, allow_unicode=True, sort_keys=False, width=1000)
    display = f"{name}（按版式“{layout}”的大纲）"
    return Sample(name, load_text(facts + body, display), path)


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True).removesuffix("\n...\n").strip()


def _sections(plan: Plan, written: dict[str, Any], complete: bool) -> dict[str, Any]:
    """Every part of ``plan`` the sample writes: all (but those the facts write) when
    ``complete``, else only the required ones."""
    required = dict(plan.required())
    found: dict[str, Any] = {}
    preface = plan.preface
    if preface is not None and (complete or preface.key in required):
        found[preface.key] = written.get(preface.key) or _preface_text(preface.heading)
    for chapter in plan.chapters:
        parts: list[tuple[str, str, str | None]] = []
        if chapter.body:
            parts.append((chapter.key, chapter.heading, None))
        parts += [(s.key, s.heading, s.from_facts) for s in chapter.sections]
        for key, heading, from_facts in parts:
            if key in written and (complete or key in required):
                found[key] = written[key]
            elif key in required or (complete and from_facts is None):
                found[key] = _text(heading, complete)
    return found


def _preface_text(name: str) -> str:
    """The untitled text before the first chapter, as published reports word it."""
    return f"这是“{name}”的示例正文：根据有关要求，现将本部门整体支出绩效自评情况报告如下："


def _text(heading: str, complete: bool) -> Any:
    first = f"这是“{heading}”的示例正文。"
    if not complete:
        return first
    return [first, {"title": "示例小标题", "body": f"“{heading}”之下一条的示例正文。"}]
