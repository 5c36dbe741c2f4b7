"""The typesetting every report needs, whatever program saved its template last.

Saving a template in LibreOffice (and some WPS versions) turns off “allow punctuation to
overflow the margin” (``w:overflowPunct``) in the Normal style and in every paragraph of the
template; LibreOffice then hangs a line-end 、，。 in the margin and does not draw it, so the
PDF loses it. The same save switches on automatic hyphenation in the settings (cancelled in
the styles, but a template need not cancel it), which would print hyphens the text does not
hold. Each template is set right when it is opened, so both render paths (one report, the
batch cache) and the previews print the same text whatever saved it. A template that already
says so (the built-in ones) is left byte for byte as it was.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = {"0", "false", "off"}
# what follows w:overflowPunct in a w:pPr (ECMA-376 CT_PPrBase, then CT_PPr)
_AFTER_OVERFLOW_PUNCT = tuple(
    f"{W}{name}"
    for name in (
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
)


def enforce_typesetting(package: Any) -> None:
    """Set ``package`` (a python-docx package, read from a template) to print every character:
    punctuation may overflow the margin everywhere, no automatic hyphenation."""
    for part in package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/") and name.endswith(".xml")):
            continue
        element = getattr(part, "_element", None)
        if element is not None:  # a part python-docx parsed: its element is what is saved
            _enforce(name, element)
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            root = etree.fromstring(part.blob, parser)
        except etree.XMLSyntaxError:
            continue  # the package checks have said so already
        if _enforce(name, root):
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _enforce(name: str, root: etree._Element) -> bool:
    """Whether ``root`` (the part ``name``) had to change."""
    changed = False
    for setting in list(root.iter(f"{W}overflowPunct")):
        if _is_off(setting):
            setting.getparent().remove(setting)  # inherits the document default, set below
            changed = True
    if name == "/word/styles.xml":
        changed |= _default_overflow(root)
    if name == "/word/settings.xml":
        for setting in list(root.iter(f"{W}autoHyphenation")):
            setting.getparent().remove(setting)  # off, Word's and LibreOffice's default
            changed = True
    return changed


def _is_off(setting: etree._Element) -> bool:
    return setting.get(f"{W}val", "true").strip().lower() in _OFF


def _default_overflow(styles: etree._Element) -> bool:
    """Write ``w:overflowPunct`` into the document's default paragraph properties: where it
    is not written, LibreOffice takes it as off."""
    defaults = _child(styles, "docDefaults", first=True)
    paragraph = _child(_child(defaults, "pPrDefault"), "pPr")
    if paragraph.find(f"{W}overflowPunct") is not None:
        return False
    setting = etree.Element(f"{W}overflowPunct")
    successor = next((c for c in paragraph if c.tag in _AFTER_OVERFLOW_PUNCT), None)
    if successor is None:
        paragraph.append(setting)
    else:
        successor.addprevious(setting)
    return True


def _child(parent: etree._Element, tag: str, *, first: bool = False) -> etree._Element:
    """``parent``'s ``w:tag``, made if missing (docDefaults comes first in the styles,
    pPrDefault after rPrDefault, pPr alone)."""
    found = parent.find(f"{W}{tag}")
    if found is None:
        found = etree.Element(f"{W}{tag}")
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
