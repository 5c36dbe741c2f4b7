"""A template's parts as its author wrote them: paragraphs and rows with their nearest heading,
the tags in each, and what docxtpl would drop from them without a word."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKER = re.compile(r"<!--rg(\d+)-->")
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PREFIXED = re.compile(r"\{(\{|%)(p|tr|tc|r) ")
_EXCERPT = 40
# a brace or percent sign typed full-width by a Chinese input method, next to another one
# that makes it a tag opener or closer; runs and proofing marks may sit between the two
_OPEN = re.compile(r"([｛{])((?:<[^>]*>)*)([｛{％%#])")
_CLOSE = re.compile(r"([｝}％%#])((?:<[^>]*>)*)([｝}])")
_ASCII = str.maketrans({"｛": "{", "｝": "}", "％": "%"})


def ascii_tags(xml: str) -> str:
    """``｛｛ x ｝｝`` and ``｛％ if ％｝`` as ``{{ x }}`` and ``{% if %}``: what the author meant."""

    def fix(match: re.Match[str]) -> str:
        first, between, second = match.groups()
        if first.isascii() and second.isascii():
            return match[0]
        return f"{first.translate(_ASCII)}{between}{second.translate(_ASCII)}"

    return _CLOSE.sub(fix, _OPEN.sub(fix, xml))


@dataclass(frozen=True)
class Block:
    """A paragraph, a table cell's paragraph or a table row of the template."""

    part: str  # 正文, 页眉, 页脚
    kind: str  # paragraph, cell, row
    text: str
    heading: str  # the text of the nearest heading before it, or ""

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= _EXCERPT else f"{text[: _EXCERPT - 1]}…"

    @property
    def place(self) -> str:
        where = {"paragraph": "段落", "cell": "表格中的段落", "row": "表格行"}[self.kind]
        under = f"（标题“{_short(self.heading)}”之下）" if self.heading else ""
        return f"{self.part}{where}“{self.excerpt}”{under}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else f"{text[: _EXCERPT - 1]}…"


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _is_heading(paragraph: etree._Element, headings: frozenset[str]) -> bool:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    if style is not None and style.get(f"{W}val") in headings:
        return True
    return paragraph.find(f"{W}pPr/{W}outlineLvl") is not None


def heading_styles(styles_xml: bytes | None) -> frozenset[str]:
    """The style ids of a template's headings and titles (by id or name, in English or Chinese)."""
    if not styles_xml:
        return frozenset()
    root = etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    found = set()
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        words = f"{style.get(f'{W}styleId')} {name.get(f'{W}val') if name is not None else ''}"
        if re.search(r"heading|title|标题", words, re.I):
            found.add(style.get(f"{W}styleId") or "")
    return frozenset(found)


class Marking:
    """Numbers every paragraph and row of the parts it marks, before docxtpl patches them: a
    comment ``<!--rgN-->`` before each survives docxtpl's patching, so that a line of the Jinja
    source (docxtpl puts each paragraph on a line) can be traced back to the block it came from."""

    def __init__(self, headings: frozenset[str]) -> None:
        self.blocks: list[Block] = []
        self.headings = headings

    def mark(self, root: etree._Element, part: str) -> None:
        heading = ""
        for element in list(root.iter(f"{W}p", f"{W}tr")):
            in_table = any(a.tag == f"{W}tc" for a in element.iterancestors())
            if element.tag == f"{W}tr":
                cells = [_text(cell) for cell in element.iter(f"{W}tc")]
                block = Block(part, "row", " | ".join(cells), heading)
            else:
                text = _text(element)
                block = Block(part, "cell" if in_table else "paragraph", text, heading)
                if not in_table and _is_heading(element, self.headings) and text.strip():
                    heading = text
            element.addprevious(etree.Comment(f"rg{len(self.blocks)}"))
            self.blocks.append(block)

    def lines(self, source: str) -> list[int | None]:
        """The block of each line of ``source`` (already split before every marker)."""
        found: list[int | None] = []
        current: int | None = None
        for line in source.split("\n"):
            match = MARKER.match(line)
            if match:
                current = int(match[1])
            found.append(current)
        return found


def split_at_markers(source: str) -> str:
    return MARKER.sub(lambda m: f"\n{m[0]}", source)


# -- what docxtpl drops without a word


@dataclass(frozen=True)
class Dropped:
    block: Block
    message: str
    severity: str = "error"


def _outside_tags(text: str) -> str:
    return TAG.sub("", text).strip()


def dropped_text(blocks: list[Block]) -> list[Dropped]:
    """Text beside a ``{{p}}``/``{%p}`` (or ``{%tr}``) tag, which docxtpl discards with the rest of
    its paragraph (row); a second such tag; and rows holding nothing but plain block tags, which
    print as empty rows."""
    found: list[Dropped] = []
    for block in blocks:
        prefixed = [m for m in TAG.finditer(block.text) if _PREFIXED.match(m[0])]
        kinds = {_PREFIXED.match(m[0])[2] for m in prefixed}  # type: ignore[index]
        if block.kind in {"paragraph", "cell"} and "p" in kinds:
            rest = _outside_tags(block.text)
            if rest:
                found.append(
                    Dropped(
                        block,
                        f"与 {{%p …%}} 或 {{{{p …}}}} 同段的文字“{rest}”不会印出："
                        "这类标签须独占一段，请把文字移到另一段",
                    )
                )
            paragraph_tags = [m[0] for m in prefixed if _PREFIXED.match(m[0])[2] == "p"]  # type: ignore[index]
            if len(paragraph_tags) > 1:
                lost = "、".join(paragraph_tags[1:])
                found.append(
                    Dropped(
                        block,
                        f"一段中只能有一个 {{%p …%}} 或 {{{{p …}}}} 标签，其后的 {lost} 会被丢弃；"
                        "请分成几段",
                    )
                )
        if block.kind == "row":
            row_tags = [m[0] for m in prefixed if _PREFIXED.match(m[0])[2] == "tr"]  # type: ignore[index]
            if row_tags:
                rest = _outside_tags(block.text.replace("|", ""))
                if rest:
                    found.append(
                        Dropped(
                            block,
                            f"与 {{%tr …%}} 同一行的文字“{rest}”不会印出："
                            "这一行只用来放 {%tr …%} 标签",
                        )
                    )
            elif _only_block_tags(block.text):
                found.append(
                    Dropped(
                        block,
                        "这一行只有 {% for %}、{% if %} 一类的标签，会印成一个空行；"
                        "在表格中循环或判断整行，请写 {%tr for … %} … {%tr endfor %}",
                    )
                )
    return found


def _only_block_tags(row_text: str) -> bool:
    tags = [m[0] for m in TAG.finditer(row_text)]
    plain = all(t.startswith("{%") and not t.startswith(("{%tr ", "{%tc ")) for t in tags)
    return bool(tags) and plain and not _outside_tags(row_text.replace("|", ""))


def missing_styles(document: Any) -> list[str]:
    """Paragraph styles a rendered document's body uses that its styles do not define: Word
    shows such paragraphs in the default style, without a word."""
    defined = {style.get(f"{W}styleId") for style in document.styles.element.iter(f"{W}style")}
    used = {
        style.get(f"{W}val")
        for style in document.element.body.iter(f"{W}pStyle")
        if style.get(f"{W}val") is not None
    }
    return sorted(used - defined)


def missing_style_message(style: str) -> str:
    return (
        f"模板缺少段落样式“{style}”：用它的段落会以默认样式显示；请在 Word 的“样式”中新建同名样式"
    )


def template_blocks(path: Path) -> list[Block]:
    """The paragraphs and rows of a .docx template's body, headers and footers, in order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml") if "word/styles.xml" in names else None
        marking = Marking(heading_styles(styles))
        others = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        parts = ["word/document.xml", *others]
        for name in parts:
            if name not in names:
                continue
            root = etree.fromstring(ascii_tags(archive.read(name).decode("utf-8")).encode(), parser)
            label = (
                "正文" if name == "word/document.xml" else "页眉" if "header" in name else "页脚"
            )
            marking.mark(root, label)
    return marking.blocks
