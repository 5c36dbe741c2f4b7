"""A template's parts as its author wrote them: paragraphs and rows with their nearest heading,
the tags in each, and what docxtpl would drop from them without a word.

Why one module: the marked-up copy of the template (``Marking``) and every question asked of it
(dropped text, tags apart, missing styles) read the same markers.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from reportgen.template.open_tags import open_tag_message, open_tags

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

    part: str  # 正文, 页眉, 页脚, 脚注, 尾注
    kind: str  # paragraph, cell, row
    text: str
    heading: str  # the text of the nearest heading before it, or ""
    several: bool = False  # printed under several headings (in a loop): ``heading`` is the first

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= _EXCERPT else f"{text[: _EXCERPT - 1]}…"

    @property
    def place(self) -> str:
        where = {"paragraph": "段落", "cell": "表格中的段落", "row": "表格行"}[self.kind]
        several = "等" if self.several else ""
        under = f"（标题“{_short(self.heading)}”{several}之下）" if self.heading else ""
        return f"{self.part}{where}“{self.excerpt}”{under}"


_TAG_HEADING = re.compile(r"（标题“[^”]*?(?:\{\{|\{%)[^”]*”等?之下）")


def readable(message: str) -> str:
    """``message`` without a nearest heading that is a tag (``{{ chapter.heading }}``): no place
    a reader can find. Placed under the heading printed there when a render shows it
    (placing.py); left out otherwise, and the excerpt alone says where."""
    return _TAG_HEADING.sub("", message)


def is_tag(text: str) -> bool:
    """Whether ``text`` (a heading as typed) holds a tag: printed, it reads otherwise."""
    return "{{" in text or "{%" in text


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else f"{text[: _EXCERPT - 1]}…"


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def is_heading(paragraph: etree._Element, headings: frozenset[str]) -> bool:
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


@dataclass(frozen=True)
class PlacedTag:
    """A ``{% … %}`` tag of the template and the element docxtpl leaves it in: a paragraph for
    a plain tag, the paragraph's container for ``{%p}``, the table for ``{%tr}``, the row for
    ``{%tc}`` (``None``: a ``{%tr}``/``{%tc}`` outside a table)."""

    tag: str
    part: int  # which marked part: tags pair up within one part only
    unit: str | None
    block: int


# revisions Word tracks (审阅 → 修订): docxtpl runs a deleted tag that Word does not show
_REVISIONS = (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")


# a row's or cell's own revision marks (its text's are the paragraphs')
_ROW_REVISIONS = (f"{W}trPr/{W}ins", f"{W}trPr/{W}del")
_CELL_REVISIONS = (f"{W}tc/{W}tcPr/{W}cellIns", f"{W}tc/{W}tcPr/{W}cellDel")


def _row_revised(row: etree._Element) -> bool:
    return any(row.find(path) is not None for path in (*_ROW_REVISIONS, *_CELL_REVISIONS))


class Marking:
    """Numbers every paragraph and row of the parts it marks, before docxtpl patches them: a
    comment ``<!--rgN-->`` before each survives docxtpl's patching, so that a line of the Jinja
    source (docxtpl puts each paragraph on a line) can be traced back to the block it came from.
    It notes the block tags' places and the tracked revisions on the way."""

    def __init__(self, headings: frozenset[str]) -> None:
        self.blocks: list[Block] = []
        self.headings = headings
        self.tags: list[PlacedTag] = []
        self.revisions: list[tuple[int, str]] = []  # block, the text deleted in it
        self.heading_blocks: set[int] = set()  # blocks that are headings of the template's own
        self.open_tags: list[tuple[int, str]] = []  # block, a tag opener not closed in it
        self.torn_tags: list[tuple[int, str, str]] = []  # block, a tag, what it crosses
        self._parts = 0

    def mark(self, root: etree._Element, part: str) -> None:
        heading = ""
        tree = root.getroottree()
        rows: dict[str, int] = {}
        self._parts += 1
        for element in list(root.iter(f"{W}p", f"{W}tr")):
            in_table = any(a.tag == f"{W}tc" for a in element.iterancestors())
            index = len(self.blocks)
            if element.tag == f"{W}tr":
                cells = [_text(cell) for cell in element.iter(f"{W}tc")]
                block = Block(part, "row", " | ".join(cells), heading)
                rows[tree.getpath(element)] = index
                if _row_revised(element):  # a row or cell inserted or deleted, even empty
                    self.revisions.append((index, ""))
            else:
                text = _text(element)
                block = Block(part, "cell" if in_table else "paragraph", text, heading)
                if not in_table and is_heading(element, self.headings) and text.strip():
                    heading = text
                    self.heading_blocks.add(index)
                self._note(element, index, tree, rows)
            element.addprevious(etree.Comment(f"rg{index}"))
            self.blocks.append(block)

    def _note(self, paragraph: etree._Element, index: int, tree: Any, rows: dict[str, int]) -> None:
        """The block tags of ``paragraph``'s own text (not of a text box in it), and its revisions."""
        texts = [
            t for t in paragraph.iter(f"{W}t") if next(t.iterancestors(f"{W}p"), None) is paragraph
        ]
        own = [t.text or "" for t in texts]
        self.open_tags += [(index, opener) for _, opener in open_tags("".join(own))]
        self.torn_tags += [(index, *torn) for torn in _torn_tags(paragraph, texts, own)]
        for match in re.finditer(r"\{%.*?%\}", "".join(own), re.S):
            prefix = _PREFIXED.match(match[0])
            kind = prefix[2] if prefix else ""
            unit: etree._Element | None = paragraph
            block = index
            if kind in {"tr", "tc"}:
                unit = next(paragraph.iterancestors(f"{W}{kind}"), None)
                if unit is not None and kind == "tr":
                    block = rows.get(tree.getpath(unit), index)
                unit = unit.getparent() if unit is not None else None
            elif kind == "p":
                unit = paragraph.getparent()
            path = tree.getpath(unit) if unit is not None else None
            self.tags.append(PlacedTag(match[0], self._parts, path, block))
        revised = [
            r
            for r in paragraph.iter(*_REVISIONS)
            if next(r.iterancestors(f"{W}p"), None) is paragraph
        ]
        if revised:
            deleted = "".join(t.text or "" for r in revised for t in r.iter(f"{W}delText"))
            self.revisions.append((index, deleted))

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


# What may hold some of a paragraph's runs and not others: docxtpl joins a tag's pieces from
# run to run, and cannot join them across the edge of one of these (its result is no XML).
_CONTAINERS = {
    "hyperlink": "超链接",
    "smartTag": "智能标记",
    "sdt": "内容控件",
    "sdtContent": "内容控件",
    "fldSimple": "域",
    "customXml": "自定义标记",
}


def _torn_tags(
    paragraph: etree._Element, texts: list[etree._Element], pieces: list[str]
) -> list[tuple[str, str]]:
    """The tags of ``paragraph`` (its text elements ``texts``, holding ``pieces``) whose
    characters lie in runs of different containers, each with what it crosses, in Chinese."""
    starts, total = [], 0
    for piece in pieces:
        starts.append(total)
        total += len(piece)
    torn = []
    for match in TAG.finditer("".join(pieces)):
        spanned = [
            t
            for t, start, piece in zip(texts, starts, pieces, strict=True)
            if start < match.end() and start + len(piece) > match.start()
        ]
        holders: list[etree._Element] = []  # kept alive, so that lxml gives the same proxies
        for text in spanned:
            holder = text.getparent().getparent()  # w:t → w:r → what holds the run
            if not any(holder is h for h in holders):
                holders.append(holder)
        if len(holders) > 1:
            crossed = next((h for h in holders if h is not paragraph), paragraph)
            name = etree.QName(crossed).localname
            torn.append((match[0], _CONTAINERS.get(name, f"标记 w:{name}")))
    return torn


def split_at_markers(source: str) -> str:
    return MARKER.sub(lambda m: f"\n{m[0]}", source)


# -- what docxtpl drops without a word


@dataclass(frozen=True)
class Dropped:
    block: Block
    message: str
    severity: str = "error"
    stops: bool = False  # no render gets past it (blocks nested too deeply)


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


_BLOCK_WORD = re.compile(r"\{%-?(?:(p|tr|tc|r)\s+|\s*)(\w+)")
_OPENERS = frozenset({"for", "if", "macro", "call", "filter", "with"})
_APART = {
    "": "不在同一段：普通标签跨段时，段落会被拆开重拼（判断不成立时两段并成一段，循环时各段错位）；"
    "跨段的判断和循环请写 {%p … %}，各占一段",
    "p": "不在同一层（如一个在内容控件、文本框或表格单元格中，另一个不在），报告的结构会被拆断；"
    "请把成对的 {%p … %} 放在同一层",
    "tr": "不在同一个表格中：两个表格之间的内容会被重复或丢失；成对的 {%tr … %} 须在同一表格中",
    "tc": "不在同一表格行中：成对的 {%tc … %} 须在同一行中",
}


def template_problems(marking: Marking) -> list[Dropped]:
    """Everything in a marked template that docxtpl would drop, garble or print raw:
    :func:`dropped_text`, block tags whose pair docxtpl would tear apart, tracked revisions
    (a deleted tag still runs), tags in endnotes (docxtpl leaves them as typed) and tags that do
    not close in their paragraph (open_tags.py: docxtpl would run them into the next ones)."""
    found = dropped_text(marking.blocks) + _tags_apart(marking)
    found += [Dropped(marking.blocks[i], open_tag_message(o)) for i, o in marking.open_tags]
    found += [
        Dropped(
            marking.blocks[i],
            f"标签 {_short(tag)} 有一部分在{crossed}之中、一部分在外：无法拼回一个标签，报告无法生成；"
            f"请删除这个标签后重新输入（不要只把标签的一部分设为{crossed}）",
        )
        for i, tag, crossed in marking.torn_tags
    ]
    for index, deleted in marking.revisions:
        what = f"（删除了“{_short(deleted)}”）" if deleted.strip() else ""
        hidden = "，Word 中看不到的被删除的标签仍会执行" if TAG.search(deleted) else ""
        found.append(
            Dropped(
                marking.blocks[index],
                f"含有未接受的修订{what}：报告会带着修订标记印出{hidden}；"
                "请在 Word 中“审阅 → 接受所有修订”（或拒绝）后再用",
            )
        )
    for block in marking.blocks:
        tags = [m[0] for m in TAG.finditer(block.text)]
        if block.part == "尾注" and tags:
            found.append(
                Dropped(
                    block,
                    f"尾注中的标签 {'、'.join(tags)} 不会被替换，会原样印出；"
                    "标签只能写在正文、页眉、页脚和脚注中",
                )
            )
    return found


def _tags_apart(marking: Marking) -> list[Dropped]:
    """Block tags docxtpl cannot keep together: ``{%tr}``/``{%tc}`` outside a table, and a pair
    (``if`` … ``else`` … ``endif``) whose tags differ in kind or sit in different elements."""
    found: list[Dropped] = []
    opened: list[tuple[str, str, PlacedTag]] = []  # word, kind, tag
    part = 0
    for placed in marking.tags:
        if placed.part != part:
            part, opened = placed.part, []
        match = _BLOCK_WORD.match(placed.tag)
        if match is None:
            continue
        kind = "" if match[1] in {None, "r"} else match[1]
        word = match[2]
        block = marking.blocks[placed.block]
        if placed.unit is None:
            found.append(
                Dropped(
                    block,
                    f"{placed.tag} 不在表格中：{{%{kind} … %}} 只能写在表格的"
                    f"{'行' if kind == 'tr' else '单元格'}中；在表格外判断或循环整段请写 {{%p … %}}",
                )
            )
            continue
        if word in _OPENERS or (word == "set" and "=" not in placed.tag):
            opened.append((word, kind, placed))
            continue
        closes = word[3:] if word.startswith("end") else "if" if word == "elif" else ""
        if word == "else" and opened:
            closes = opened[-1][0]
        if not opened or opened[-1][0] != closes:
            if closes:  # a stray or crossed tag: Jinja's own error, reported elsewhere
                opened = []
            continue
        _, first_kind, first = opened[-1] if word in {"else", "elif"} else opened.pop()
        if first_kind != kind:
            problem = (
                "写法不同：成对的标签须同为 {%p … %}、同为 {%tr … %}、同为 {%tc … %} 或同为普通标签，"
                "否则印出的段落和表格会错乱"
            )
        elif first.unit != placed.unit:
            opener = marking.blocks[first.block]
            if not kind and opener.kind == "cell" and _only_block_tags(opener.text):
                continue  # a row of nothing but a plain for: dropped_text says so
            problem = _APART[kind]
        else:
            continue
        where = marking.blocks[first.block]
        elsewhere = "" if first.block == placed.block else f"（在{block.place}）"
        found.append(Dropped(where, f"{first.tag} 与 {placed.tag}{elsewhere}{problem}"))
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


def template_marking(path: Path) -> Marking:
    """A .docx template's body, headers, footers, footnotes and endnotes, marked in order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml") if "word/styles.xml" in names else None
        marking = Marking(heading_styles(styles))
        others = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        parts = ["word/document.xml", *others, "word/footnotes.xml", "word/endnotes.xml"]
        for name in parts:
            if name not in names:
                continue
            root = etree.fromstring(ascii_tags(archive.read(name).decode("utf-8")).encode(), parser)
            marking.mark(root, part_label(name))
    return marking


def part_label(name: str) -> str:
    """What a template author calls the part ``name`` (a part name or URI)."""
    for word, label in (
        ("header", "页眉"),
        ("footer", "页脚"),
        ("footnote", "脚注"),
        ("endnote", "尾注"),
    ):
        if word in name:
            return label
    return "正文"
