"""Typesetting a PDF needs, enforced in every report whatever program saved the template."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from reportgen.check.validate import validate_file
from reportgen.output.render import render_to_file
from reportgen.template.cache import TemplateCache
from reportgen.template.typesetting import enforce_typesetting
from tests.conftest import COMPLETE
from tests.readback import TEMPLATES, W


def saved_elsewhere(directory: Path) -> Path:
    """The default template as LibreOffice and WPS save it: punctuation overflow off in the
    Normal style, a table style and a paragraph, none in the defaults; hyphenation on."""
    document = docx.Document(str(TEMPLATES / "default" / "template.docx"))
    styles = document.styles.element
    for default in styles.iter(f"{W}overflowPunct"):
        default.getparent().remove(default)
    for style_id in ("Normal", "TableGrid"):
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        properties = style.get_or_add_pPr()
        etree.SubElement(properties, f"{W}overflowPunct").set(f"{W}val", "0")
    paragraph = document.paragraphs[0]._p.get_or_add_pPr()
    paragraph.insert(0, etree.Element(f"{W}overflowPunct", {f"{W}val": "false"}))
    settings = document.settings.element
    settings.insert(0, etree.Element(f"{W}autoHyphenation", {f"{W}val": "true"}))
    path = directory / "saved.docx"
    document.save(str(path))
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


@pytest.mark.parametrize("cached", [False, True], ids=["render", "batch-cache"])
def test_reports_overflow_punctuation_and_do_not_hyphenate(cached: bool, tmp_path: Path) -> None:
    template = saved_elsewhere(tmp_path)
    validation = validate_file(COMPLETE)
    cache = TemplateCache() if cached else None
    report = render_to_file(validation, tmp_path / "out", template, cache=cache)
    styles = part(report, "word/styles.xml")
    settings = [
        (element.tag.removeprefix(W), element.get(f"{W}val"))
        for name in ("word/styles.xml", "word/document.xml", "word/settings.xml")
        for element in part(report, name).iter(f"{W}overflowPunct", f"{W}autoHyphenation")
    ]
    assert settings == [("overflowPunct", None)]  # on for every paragraph, by default
    assert styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}overflowPunct") is not None


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.glob("*/template.docx")), ids=lambda p: p.parent.name
)
def test_built_in_templates_already_say_so(template: Path) -> None:
    document = docx.Document(str(template))
    before = {str(p.partname): p.blob for p in document.part.package.iter_parts()}
    enforce_typesetting(document.part.package)
    after = {str(p.partname): p.blob for p in document.part.package.iter_parts()}
    assert after == before
