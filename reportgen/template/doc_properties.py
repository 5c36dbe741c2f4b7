"""A report's own document properties (title, subject, company, dates), whatever saved its template."""

from __future__ import annotations

from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from reportgen.clock import made_at

# LibreOffice's “Office Open XML Text” and some WPS versions relate the core properties by this
# type; python-docx does not know it, adds a second docProps/core.xml and zipfile warns about it
_OTHER_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
)
_EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def adopt_core_properties(package: Any) -> None:
    """Let python-docx find a template's core properties under the other relationship type."""
    rels = package.rels
    if any(rel.reltype == RT.CORE_PROPERTIES for rel in rels.values()):
        return
    for rel in rels.values():
        if rel.reltype == _OTHER_CORE_PROPERTIES and not rel.is_external:
            rel._reltype = RT.CORE_PROPERTIES  # python-docx offers no setter
            return


def set_report_properties(document: Any, title: str, department: str, identity: str) -> None:
    """The report's properties, not its template's: title, subject and company, created and
    modified now (or at ``SOURCE_DATE_EPOCH``, see :mod:`reportgen.clock`); the template author's name, comments and revision count cleared."""
    set_core_properties(document.core_properties, title, department, identity)
    _set_company(document.part.package, department)


def set_core_properties(core: Any, title: str, department: str, identity: str) -> None:
    """The core properties (docProps/core.xml) of :func:`set_report_properties`."""
    now = made_at().replace(tzinfo=None)  # python-docx writes a naive time as UTC
    core.title = title
    core.subject = department
    core.identifier = identity
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = now
    core.modified = now


def app_properties(blob: bytes, department: str) -> bytes | None:
    """docProps/app.xml with the department as its company, or ``None`` if it is damaged."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        return None  # a damaged app.xml stays as it was; Word ignores it
    _company(root, department)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _company(root: Any, department: str) -> None:
    company = root.find(f"{_EXTENDED}Company")
    if company is None:
        company = etree.SubElement(root, f"{_EXTENDED}Company")
    company.text = department
    for name in ("Manager", "TotalTime"):
        found = root.find(f"{_EXTENDED}{name}")
        if found is not None:
            found.text = "0" if name == "TotalTime" else ""


def _set_company(package: Any, department: str) -> None:
    for part in package.iter_parts():
        if str(part.partname) != "/docProps/app.xml":
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            root = etree.fromstring(part.blob, parser)
        except etree.XMLSyntaxError:
            return  # a damaged app.xml stays as it was; Word ignores it
        _company(root, department)
        if hasattr(part, "_element"):  # loaded as an XML part: its element is what is saved
            part._element = root
        else:
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
