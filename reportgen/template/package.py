"""A template file as a package: a regular file holding a whole .docx of bounded size, which
Word can open as a document and which reaches nothing outside itself."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from lxml import etree

from reportgen.errors import TemplateError
from reportgen.read.archive import unpacked_size_problem
from reportgen.read.text import require_regular_file
from reportgen.template.outside import RELATIONSHIP, outside_references

# A Word document has a few dozen parts, a few hundred with many pictures; reading the
# directory of a zip of 100,000 empty entries alone took 2 s and 110 MB.
MAX_PARTS = 5000
KIND = ".docx 模板"
_RESAVE = "请在 Word 中打开后“另存为”一份新的 .docx"

# Main parts that python-docx does not open, and what Word calls the file then.
_OTHER_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (
        "扩展名为 .dotx 的 Word 模板"
    ),
    "application/vnd.ms-word.document.macroEnabled.main+xml": "启用宏的 Word 文档（.docm）",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (
        "启用宏的 Word 模板（.dotm）"
    ),
}
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PACKAGE_LINKS = "_rels/.rels"
_TYPES = "[Content_Types].xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def check_package(path: Path) -> None:
    """Refuse a template that is not a regular file (:class:`~reportgen.errors.UsageError`),
    or (:class:`~reportgen.errors.TemplateError`) is no whole .docx: not a zip, a damaged
    one, one that would unpack to more than we are willing to hold (zip bomb), one whose part
    names repeat (which part Word reads is not said), another kind of Word file (.dotx,
    .docm), or one that makes Word or LibreOffice fetch something from elsewhere when the
    report is opened or converted (see ``outside_references``)."""
    require_regular_file(path, f"模板 {path}", KIND)
    try:
        with zipfile.ZipFile(path) as archive:
            problem, found = _package_problem(archive)
    except zipfile.BadZipFile as exc:
        raise TemplateError(f"模板 {path} 不是 .docx 文件（应为 Word 2007 及以后的格式）") from exc
    if problem:
        raise TemplateError(f"模板 {path} {problem}")
    if found:
        raise TemplateError(
            f"模板 {path} {'；'.join(found)}：打开或转换报告时会访问网络、读取其他文件或运行程序，"
            "已拒绝；图片等内容请直接插入模板（不要“链接到文件”）"
        )


def _package_problem(archive: zipfile.ZipFile) -> tuple[str | None, list[str]]:
    """What keeps the zip from being a whole Word document, in Chinese (None when nothing);
    and what in it points outside it (``outside_references``). Each part is read and each XML
    part parsed once; only the two small package parts are kept parsed."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        return f"含有 {len(infos)} 个部件（上限 {MAX_PARTS}），不像是正常的 Word 模板，已拒绝", []
    too_large = unpacked_size_problem(archive)
    if too_large:
        return f"{too_large}，不像是正常的 Word 模板，已拒绝", []
    strange = next((i.filename for i in infos if not _is_part_name(i.filename)), None)
    if strange is not None:
        return f"含有不合法的部件名（{strange[:80]}），不是 Word 保存的文件，已拒绝；{_RESAVE}", []
    # part names are compared without regard to case (ECMA-376 part 2, 6.2.2.3)
    counted = Counter(i.filename.casefold() for i in infos)
    repeated = list(dict.fromkeys(i.filename for i in infos if counted[i.filename.casefold()] > 1))
    if repeated:
        return (f"含有重名的部件（{'、'.join(repeated[:3])}），Word 不一定读哪一个；{_RESAVE}"), []
    for info in infos:  # every part whole, at most the unpacked size just bounded
        try:
            with archive.open(info) as member:
                while member.read(1024 * 1024):
                    pass
        except Exception:  # zipfile, zlib and the codecs raise many kinds for damage
            return (
                f"已损坏：部件 {info.filename} 无法解压（压缩数据不完整或校验不符）；{_RESAVE}"
            ), []
    active = _active_content([i.filename for i in infos])
    if active:
        return active, []
    styles = next((i for i in infos if i.filename == _STYLES), None)
    if styles is not None and styles.file_size > MAX_STYLES_BYTES:
        return (
            f"的样式表（{_STYLES}）过大（{styles.file_size / 1024 / 1024:.1f} MiB，"
            f"上限 {MAX_STYLES_BYTES // 1024 // 1024} MiB），不像是正常的 Word 模板，已拒绝；"
            "Word 自带的样式表不到 1 MiB"
        ), []
    package: dict[str, Any] = {}
    found: list[str] = []
    elements = total = 0
    for info in infos:
        name = info.filename
        if not name.endswith((".xml", ".rels")):
            continue
        problem, root = _xml_problem(name, archive.read(info))
        if problem:
            return problem, []
        problem = (
            _tags_not_rendered(name, root)
            or _linked_content(name, root)
            or _declared_macros(name, root)
            or _styles(name, root)
        )
        if problem:
            return problem, []
        found += outside_references(name, root)
        if name in {_PACKAGE_LINKS, _TYPES}:
            package[name] = root
        count = sum(1 for _ in root.iter())
        total += count
        if _RENDERED.fullmatch(name):
            elements += count
    problem = _too_many_elements(elements, total)
    if problem:
        return problem, []
    kind = _main_part_kind(package)
    if kind is not None:
        return (
            f"是{kind}，不是 Word 文档（.docx）；请在 Word 中“另存为 → Word 文档（*.docx）”后再用"
        ), []
    return None, found


# The parts docxtpl renders (the body, headers, footers, footnotes), and the endnotes, whose
# tags template/source.py refuses at their paragraph. Tags anywhere else (a comment, a chart,
# a glossary entry) would be printed as typed in every report.
_RENDERED = re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml")
_TAG = re.compile(r"\{[{%#]")
_WHERE = {
    "comments": "批注",
    "endnotes": "尾注",
    "glossary": "文档部件（构建基块）",
    "charts": "图表",
}


_NAME_PARTS = re.compile(r"[^/\\:]+")


def _is_part_name(name: str) -> bool:
    """Whether ``name`` can name a part (or, ending in ``/``, a folder) of a package: a path
    inside it, without ``..``, a drive or a backslash, as a zip Word writes names them."""
    segments = name.removesuffix("/").split("/")
    return all(_NAME_PARTS.fullmatch(s) and s not in {".", ".."} for s in segments)


def _tags_not_rendered(name: str, root: Any) -> str | None:
    """Why a part that is not rendered holds template tags, in Chinese; None when it holds none."""
    if not name.startswith("word/") or not name.endswith(".xml") or _RENDERED.fullmatch(name):
        return None
    text = "".join(root.itertext())
    found = _TAG.search(text)
    if found is None:
        return None
    what = next((said for key, said in _WHERE.items() if key in name), "不会被替换的部件")
    shown = text[found.start() : found.start() + 30]
    return (
        f"的{what}（{name}）中有模板标签“{shown}”：这里的标签不会被替换，会原样出现在每份报告中，"
        f"已拒绝；请删除{what}中的标签"
    )


# The parts a render reads (the body, headers, footers, notes) of the built-in templates hold
# about 1,200 elements, those of a template made from a long published report tens of
# thousands; each render and each trial of template check looks at every element several
# times: 100,000 took 11 s to render, 200,000 paragraphs in a 54 KB template minutes and 2 GB.
MAX_ELEMENTS = 50_000
# Every part is read by python-docx and kept: the built-in templates hold about 11,000 elements
# in all; 1.2 million in a numbering.xml (2 MB zipped) took 20 s and 1 GB.
MAX_PACKAGE_ELEMENTS = 250_000


def _too_many_elements(rendered: int, total: int) -> str | None:
    if rendered > MAX_ELEMENTS:
        return (
            f"的正文、页眉、页脚和脚注共有 {rendered:,} 个 XML 元素（上限 {MAX_ELEMENTS:,}），"
            "不像是正常的 Word 模板，已拒绝；内置模板约有 1,200 个"
        )
    if total > MAX_PACKAGE_ELEMENTS:
        return (
            f"的各个部件共有 {total:,} 个 XML 元素（上限 {MAX_PACKAGE_ELEMENTS:,}），"
            "不像是正常的 Word 模板，已拒绝；内置模板约有 11,000 个"
        )
    return None


_STYLES = "word/styles.xml"
# Word's own styles.xml is 40–300 KiB with a few hundred styles. Every style is looked at when a
# template is checked and rendered: a 43 MiB styles.xml took 17 s and 1.7 GB.
MAX_STYLES_BYTES = 4 * 1024 * 1024
MAX_STYLES = 5000


def _styles(name: str, root: Any) -> str | None:
    if name != _STYLES:
        return None
    count = sum(1 for _ in root.iterchildren(f"{_W}style"))
    if count <= MAX_STYLES:
        return None
    return f"的样式表中有 {count:,} 个样式（上限 {MAX_STYLES:,}），不像是正常的 Word 模板，已拒绝"


# Content a Word document should not carry into every report: macros run code, ActiveX
# controls too; an imported chunk (altChunk) is HTML, RTF or another document that Word
# converts into the body when the report is opened, beyond any check of its text.
_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/)", re.I)
_CHUNK_LINK = "/aFChunk"


# The same by what a part is said to be rather than by its name: a macro project may be
# called anything, so long as a relationship or [Content_Types].xml says what it is.
_MACRO_KINDS = re.compile(r"vbaProject|vbaData|macroEnabled|activeX|keyMapCustomizations", re.I)
# An embedded object (a Packager object holding a program, an equation of the old Equation
# Editor, a workbook whose cells hold formulas) runs another program when double-clicked.
_EMBEDDED_LINKS = ("/oleObject", "/package")


def _active_content(names: list[str]) -> str | None:
    macro = next((n for n in names if _MACRO_PARTS.search(n)), None)
    return _macro(macro) if macro is not None else None


def _macro(part: str) -> str:
    return (
        f"含有宏或 ActiveX 控件（{part[:80]}），会被带进每份报告，已拒绝；"
        "请在 Word 中“另存为 → Word 文档（*.docx）”（不含宏）后再用"
    )


def _declared_macros(name: str, root: Any) -> str | None:
    """Why the content types declare a macro part, in Chinese; None when they do not."""
    if name != _TYPES:
        return None
    for declared in root.iter(f"{_CONTENT_TYPES}Override", f"{_CONTENT_TYPES}Default"):
        if _MACRO_KINDS.search(declared.get("ContentType", "")) and not _is_main(declared):
            part = declared.get("PartName") or f"*.{declared.get('Extension', '')}"
            return _macro(part.lstrip("/"))
    return None


def _is_main(declared: Any) -> bool:
    """The main part of a .docm or .dotm: said by ``_main_part_kind`` as the kind of file."""
    return declared.get("ContentType", "") in _OTHER_MAIN_TYPES


def _linked_content(name: str, root: Any) -> str | None:
    """Why a relationships part ties in content we cannot check, in Chinese: an imported chunk
    (altChunk), a macro, an embedded object; None when it ties in none."""
    if not name.endswith(".rels"):
        return None
    for link in root.iter(RELATIONSHIP):
        kind, target = link.get("Type", ""), link.get("Target", "")[:80]
        if kind.endswith(_CHUNK_LINK):
            return (
                f"含有嵌入的外来内容（altChunk：{target}），Word 打开报告时才把它"
                "转为正文，其中的文字无法检查，会被带进每份报告，已拒绝；请在 Word 中打开模板后"
                "“另存为”一份新的 .docx（外来内容会变成普通正文）"
            )
        if _MACRO_KINDS.search(kind.rsplit("/", 1)[-1]):
            return _macro(_part_name(name, target))
        if kind.endswith(_EMBEDDED_LINKS):
            return (
                f"含有嵌入的对象（{_part_name(name, target)}），双击时会运行其他程序，"
                "其中的内容（公式、宏、程序）无法检查，会被带进每份报告，已拒绝；"
                "请在 Word 中删除该对象，需要时改为插入图片"
            )
    return None


def _part_name(links: str, target: str) -> str:
    """The part a relationship of the part ``links`` (its .rels) names, as the zip names it."""
    if target.startswith("/") or "://" in target:
        return target.lstrip("/")
    folder = links.rsplit("_rels/", 1)[0]
    return posixpath.normpath(folder + target)


def _xml_problem(name: str, content: bytes) -> tuple[str | None, Any]:
    """Why an XML part is not one Word writes, in Chinese (None when it is), and the part
    parsed (None when it is not XML). Office refuses a
    document type declaration (DOCTYPE) in any part (ECMA-376 part 2, M1.17), and its
    entities are how an XML file expands a billion-fold or reads other files."""
    try:
        root = etree.fromstring(content, _XML)
    except etree.XMLSyntaxError as exc:
        return (f"已损坏：部件 {name} 不是合法的 XML（第 {exc.lineno} 行有误）；{_RESAVE}"), None
    document = root.getroottree().docinfo
    # no declaration names a part's encoding when its byte-order mark alone does
    encoding = next((e for mark, e in _MARKS if content.startswith(mark)), document.encoding)
    if document.doctype:
        return (
            f"的部件 {name} 含有文档类型声明（<!DOCTYPE …>），Word 不接受这样的文件，已拒绝",
            root,
        )
    if encoding.replace("-", "").upper() != "UTF8":
        # Word writes UTF-8; docxtpl reads its parts as UTF-8 whatever they declare
        return (f"的部件 {name} 是 {encoding} 编码，不是 Word 保存的 UTF-8；{_RESAVE}"), root
    return None, root


_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _main_part_kind(parts: dict[str, Any]) -> str | None:
    """What Word calls the file when its main part is not a document's (.dotx, .docm …)."""
    relationships = parts.get(_PACKAGE_LINKS)
    types = parts.get(_TYPES)
    if relationships is None or types is None:
        return None  # python-docx says what is missing
    for link in relationships.iter(RELATIONSHIP):
        if link.get("Type", "").endswith("/officeDocument"):
            target = "/" + link.get("Target", "").lstrip("/")
            for override in types.iter(f"{_CONTENT_TYPES}Override"):
                if override.get("PartName", "").lower() == target.lower():
                    return _OTHER_MAIN_TYPES.get(override.get("ContentType", ""))
    return None
