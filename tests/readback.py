"""Render the examples and read a .docx back: its paragraphs, text and the XML of its parts."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from lxml import etree

from reportgen.check.validate import validate_file
from reportgen.output.render import render_to_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W_NS, "r": R_NS, "rel": REL_NS}
W = f"{{{W_NS}}}"

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
TEMPLATES = REPO / "templates"
EXAMPLES = sorted(DATA.glob("*.yaml"))

_STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Para:
    """One paragraph of the body (table cells included): its style id and its text."""

    style: str | None
    text: str


def part(docx: Path, name: str) -> bytes:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(name)


def part_xml(docx: Path, name: str) -> etree._Element:
    """A part parsed strictly: a part Word would reject fails here too."""
    return etree.fromstring(part(docx, name), _STRICT)


def document_xml(docx: Path) -> etree._Element:
    return part_xml(docx, "word/document.xml")


def styles_xml(docx: Path) -> etree._Element:
    return part_xml(docx, "word/styles.xml")


def settings_xml(docx: Path) -> etree._Element:
    return part_xml(docx, "word/settings.xml")


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def paragraph_style(paragraph: etree._Element) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(f"{W}val")


def paragraphs(docx: Path) -> list[Para]:
    """Every paragraph of the body in document order, those in table cells included."""
    body = document_xml(docx).find("w:body", NS)
    return [Para(paragraph_style(p), paragraph_text(p)) for p in body.iter(f"{W}p")]


def texts(docx: Path) -> list[str]:
    return [p.text for p in paragraphs(docx)]


def document_text(docx: Path) -> str:
    """The body text, one paragraph (or table cell paragraph) per line."""
    return "\n".join(texts(docx))


def footers(docx: Path) -> dict[str, etree._Element]:
    """Footer type (``default``, ``even``, ``first``) → the footer part's XML."""
    rels = part_xml(docx, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}
    found = {}
    for reference in document_xml(docx).iterfind(".//w:sectPr/w:footerReference", NS):
        target = targets[reference.get(f"{{{R_NS}}}id")]
        name = target[1:] if target.startswith("/") else str(PurePosixPath("word") / target)
        found[reference.get(f"{W}type")] = part_xml(docx, name)
    return found


def load_example(stem: str) -> dict[str, Any]:
    """An example's raw YAML, as plain Python data to copy and change."""
    data: dict[str, Any] = yaml.safe_load((DATA / f"{stem}.yaml").read_text(encoding="utf-8"))
    return data


def write_yaml(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A wide line keeps every string on one line: folding would change the text.
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    path.write_text(text, encoding="utf-8")
    return path


def render_file(source: Path, out_dir: Path, template: Path | None = None) -> Path:
    """Validate and render one YAML file; the example must have no errors."""
    validation = validate_file(source)
    assert validation.ok, [f.as_text() for f in validation.findings]
    return render_to_file(validation, out_dir, template)


def render_data(data: dict[str, Any], directory: Path, template: Path | None = None) -> Path:
    """Render changed example data: the YAML goes to ``directory/in``, the .docx to ``/out``."""
    source = write_yaml(data, directory / "in" / "report.yaml")
    return render_file(source, directory / "out", template)


def render_examples(out_dir: Path) -> dict[str, Path]:
    """Every ``data/*.yaml`` rendered into ``out_dir``: file stem → .docx."""
    return {source.stem: render_file(source, out_dir) for source in EXAMPLES}
