"""A tag opened in a paragraph and not closed there (``联系人：{{ department``).

docxtpl strips the Word markup from a tag's opener to the next closer wherever it is, so such a
tag swallows the paragraphs after it up to the next ``}}``: the render stops with a syntax error
about text the author never wrote in that tag (“此处不应出现‘/’”), or about the next paragraph.
Every render refuses it first, at its paragraph (source.template_problems); ``template check``
says so and, its trial renders seeing the opener as plain text (:func:`defuse_open_tags`), goes
on to find the template's other problems."""

from __future__ import annotations

import re

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PIECE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\{%|\{#", re.S)
_CLOSER = {"{{": "}}", "{%": "%}"}


def open_tags(text: str) -> list[tuple[int, str]]:
    """Where in ``text`` a ``{{`` or ``{%`` opens a tag that does not close in it, and which.
    A comment ``{#`` left open may go on in the next paragraphs (docxtpl allows it): nothing
    after it counts."""
    found = []
    for match in _PIECE.finditer(text):
        piece = match[0]
        if piece == "{#":
            break
        if piece in _CLOSER:
            found.append((match.start(), piece))
    return found


def open_tag_message(opener: str) -> str:
    return f"标签 {opener} 没有对应的 {_CLOSER[opener]}（标签须在同一段中结束）"


def defuse_open_tags(root: etree._Element) -> None:
    """Each paragraph's opener that does not close there made plain text (its first brace
    full-width), so that a trial render gets past it."""
    for paragraph in root.iter(f"{W}p"):
        texts = [t for t in paragraph.iter(f"{W}t") if _own(t, paragraph)]
        joined = "".join(t.text or "" for t in texts)
        for at, _ in open_tags(joined):
            for node in texts:
                length = len(node.text or "")
                if at < length:
                    text = node.text or ""
                    node.text = f"{text[:at]}｛{text[at + 1 :]}"
                    break
                at -= length


def _own(text: etree._Element, paragraph: etree._Element) -> bool:
    return next(text.iterancestors(f"{W}p"), None) is paragraph
