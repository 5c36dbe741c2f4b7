"""What a part of a Word package points to outside the package, said in Chinese: an external
relationship, a field that fetches a file or runs a program, a picture's source written into a
shape. Asked of a template's parts before it is used (package.py) and of the parts a render
made (run.py: markup a template outputs with |safe is Word's own XML)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Fields whose result Word or LibreOffice fetches from elsewhere (INCLUDE is Word's older
# name of INCLUDETEXT, DATABASE queries a database), or a program or macro they run (DDE,
# MACROBUTTON on a double click).
_FETCHING_FIELDS = frozenset(
    {
        "DDE",
        "DDEAUTO",
        "INCLUDEPICTURE",
        "INCLUDETEXT",
        "INCLUDE",
        "LINK",
        "RD",
        "IMPORT",
        "DATABASE",
        "MACROBUTTON",
    }
)
# A hyperlink opens only when clicked, and only a web page or a mail: one to a file, a share
# (\\host\x.exe, which also hands the reader's Windows login to that host) or a script is not.
_WEB_ADDRESS = re.compile(r"(https?|mailto):", re.I)


def outside_references(name: str, root: Any) -> list[str]:
    """What the package's part ``name`` (parsed: ``root``) points to outside it, each said in
    Chinese with the part: an external
    relationship other than a hyperlink to a web page or a mail (a linked picture, an attached
    template, a frame, an OLE link, a hyperlink to a file …), a field that fetches (INCLUDEPICTURE,
    LINK …) or runs a program (DDE), and a picture's source written into the shape (VML).
    A hyperlink to a web page is fetched only when a reader clicks it, and stays allowed."""
    if name.endswith(".rels"):
        found = []
        for link in root.iter(RELATIONSHIP):
            if link.get("TargetMode") != "External":
                continue
            kind, target = link.get("Type", "").rsplit("/", 1)[-1], link.get("Target", "")
            if kind != "hyperlink":
                found.append(f"链接了外部资源（{name}：{kind} → {target[:80]}）")
            elif not _WEB_ADDRESS.match(target.strip()):
                found.append(f"含有不是网址的超链接（{name}：{target[:80]}）")
        return found
    if not name.startswith("word/"):
        return []
    found = []
    if root.find(f"{_W}mailMerge") is not None:  # settings: Word queries it on opening
        found.append(f"含有邮件合并的数据源（{name}）")
    for instructions in _fields(root):
        words = instructions.split(maxsplit=1)
        field = words[0].strip('"').upper() if words else ""
        if _NESTED in field:
            found.append(f"含有名称由另一个域生成的域（{name}）")
        elif field in _FETCHING_FIELDS:
            found.append(f"含有 {field} 域（{name}）")
        elif field == "HYPERLINK":
            target = _hyperlink_target(words[1] if len(words) > 1 else "")
            if target and not _WEB_ADDRESS.match(target):
                found.append(f"含有不是网址的超链接（{name}：{target[:80]}）")
    for source in _SOURCES(root):
        found.append(
            f"链接了外部资源（{name}：{etree.QName(source.attrname).localname} → {source[:80]}）"
        )
    return found


# A shape's picture or fill read from a path or an address (v:imagedata src, o:href …); the
# pictures Word saves are parts, named by a relationship (r:id).
_SOURCES = etree.XPath("//@*[local-name()='src' or local-name()='href'][normalize-space()!='']")


def _hyperlink_target(arguments: str) -> str:
    """Where a HYPERLINK field's instructions lead: its first argument that is not a switch,
    quotes and the doubled backslashes of a field's text removed; empty when the field only
    leads to a place in the document (``\\l "书签"``)."""
    words: Iterator[str] = iter(re.findall(r'"[^"]*"|\S+', arguments))
    for word in words:
        if re.fullmatch(r"\\[a-zA-Z]", word):
            if word[1].lower() in "lot":  # a place, a tooltip, a frame: each with its value
                next(words, None)
            continue
        return word.strip('"').replace("\\\\", "\\").strip()
    return ""


# Where a field nested in another's instructions stands in them: Word reads the nested field's
# result there, so a field named by one ({ {QUOTE "DDE"}AUTO … }) is named by nothing we can read.
_NESTED = "\ufffc"


def _fields(root: Any) -> list[str]:
    """Every field's instructions: simple fields, and complex fields whose instructions may be
    split over several runs (a field nested in them stands as ``_NESTED``)."""
    fields = [str(simple.get(f"{_W}instr", "")) for simple in root.iter(f"{_W}fldSimple")]
    # each open field: its instructions so far, or None once its result has begun
    open_fields: list[list[str] | None] = []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        kind = element.get(f"{_W}fldCharType")
        current = open_fields[-1] if open_fields else None
        if element.tag == f"{_W}instrText":
            if current is not None:
                current.append(element.text or "")
        elif kind == "begin":
            if current is not None:
                current.append(_NESTED)
            open_fields.append([])
        elif kind == "separate" and open_fields:
            if current is not None:
                fields.append("".join(current))
            open_fields[-1] = None  # the result's runs are not instructions
        elif kind == "end" and open_fields:
            if current is not None:
                fields.append("".join(current))
            open_fields.pop()
    return fields
