"""A template compiled once renders the same document as docxtpl's own render, each time
within the template's limits."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from reportgen.check.validate import validate_file
from reportgen.errors import TemplateError
from reportgen.output.render import render_document
from reportgen.template import limits as template_limits
from reportgen.template.cache import TemplateCache
from tests.readback import EXAMPLES

_CORE = "docProps/core.xml"


def _parts(document: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


THREE_LINES = "广州市南沙区港航局（南沙区口岸管理办公室）"  # a title of three lines


# the data's own layout; and the tables layout, which has default's outline, for the examples
# written for default
CASES = [(e, None) for e in [*EXAMPLES, THREE_LINES]] + [
    (e, "tables") for e in EXAMPLES if "layout: default" in e.read_text(encoding="utf-8")
]


@pytest.mark.parametrize(
    ("example", "layout"),
    CASES,
    ids=[
        f"{e.stem if isinstance(e, Path) else 'three-line-title'}-{layout}" for e, layout in CASES
    ],
)
def test_compiled_once_renders_the_same_parts(
    example: Path | str, layout: str | None, tmp_path: Path
) -> None:
    if isinstance(example, str):  # printed with a line break inside one paragraph
        text = EXAMPLES[0].read_text(encoding="utf-8")
        department = next(line for line in text.splitlines() if line.startswith("department:"))
        source = tmp_path / "three-lines.yaml"
        source.write_text(text.replace(department, f"department: {example}"), encoding="utf-8")
        example = source
    validation = validate_file(example, layout=layout)  # the data's own layout, or tables
    cache = TemplateCache()
    uncached = _parts(render_document(validation))
    first = _parts(render_document(validation, cache=cache))
    second = _parts(render_document(validation, cache=cache))
    assert sorted(first) == sorted(uncached)  # the order of a zip's members means nothing
    for name in uncached:
        if name != _CORE:  # it may carry the time of the render
            assert first[name] == uncached[name], name
            assert second[name] == uncached[name], name
    assert b"reportgen:" in first[_CORE]
    if example.name == "three-lines.yaml":
        assert "港航局</w:t><w:br/>".encode() in first["word/document.xml"]


def test_a_cache_reuses_a_template_until_its_file_changes(tmp_path: Path) -> None:
    validation = validate_file(EXAMPLES[0])
    choice = validation.choice
    assert choice is not None and choice.layout is not None
    template = tmp_path / "mine.docx"
    template.write_bytes(choice.layout.template.read_bytes())
    cache = TemplateCache()
    prepared = cache.get(template)
    assert cache.get(template) is prepared
    template.write_bytes(template.read_bytes() + b"\0")  # a changed size
    os.utime(template, ns=(1, 1))
    assert cache.get(template) is not prepared


def test_every_render_from_a_cache_gets_the_whole_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    validation = validate_file(EXAMPLES[0])
    cache = TemplateCache()
    one_report = len(render_document(validation, cache=cache))  # compressed, so well below
    monkeypatch.setattr(template_limits, "MAX_TEXT", 20 * one_report)
    for _ in range(30):  # together far over the limit, each well under it
        render_document(validation, cache=cache)
    monkeypatch.setattr(template_limits, "MAX_TEXT", 100)
    with pytest.raises(TemplateError, match="生成的文字超过"):
        render_document(validation, cache=cache)


@pytest.mark.parametrize("cached", [False, True], ids=["one report", "a batch"])
def test_a_built_in_layout_past_a_limit_blames_the_data(
    monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """reportgen's own templates are not the cause when a limit is passed: the data is."""
    validation = validate_file(EXAMPLES[0])  # conghua, layout default
    monkeypatch.setattr(template_limits, "MAX_TEXT", 100)
    with pytest.raises(TemplateError) as refused:
        render_document(validation, cache=TemplateCache() if cached else None)
    assert str(refused.value) == (
        "报告过长：内置版式 default 的模板生成的文字超过 100个字符，已停止；"
        "数据中的条目或文字过多（如上千个指标），请精简后再生成"
    )
