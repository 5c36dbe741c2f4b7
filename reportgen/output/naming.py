"""The names of the files reportgen writes, and whether a file already there may be replaced.

A report is ``<year>年度<部门名称>部门整体支出绩效自评报告.docx`` (its 自评表 ``…自评表.docx``), a PDF
has the stem of its .docx, a template's preview is ``预览-<data>.docx``. A file is replaced only
when it records the identity of what is about to be written (the same document of the same year
and department, the overview): anything else there — a user's file, another report, a folder —
is left alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from lxml import etree

from reportgen.errors import FileSystemError, UsageError
from reportgen.model.title import TITLE_SUFFIX

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_CHARS = 60  # of the department part
# of the whole name in UTF-8: file systems allow 255; the rest is for the temporary and lock
# files written beside a report (“.reportgen-….tmp”, LibreOffice's “.~lock.…#”)
MAX_NAME_BYTES = 200
_TAG_CHARS = 8


def _safe_department(department: str) -> str:
    """The department with every character that is unsafe in a file name replaced by ``_``."""
    safe = "".join(
        "_" if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else c
        for c in _UNSAFE_NAME.sub("_", department)
    )
    return re.sub(r"\.{2,}", "_", safe.strip(" ._"))


# what a document other than the report is: its kind (recorded in its identity) → title suffix
KIND_SUFFIXES = {"自评表": "部门整体支出绩效自评表"}


def output_name(year: int, department: str, kind: str | None = None) -> str:
    """``<year>年度<部门名称>部门整体支出绩效自评报告.docx`` (with a ``kind``, that document's
    title instead: ``…自评表.docx``), safe on Windows and Linux.

    No path separator, no ``..``, none of ``<>:"/\\|?*``, no control or invisible format
    character (a right-to-left override would disguise the name), at most
    ``MAX_NAME_CHARS`` characters of the department and ``MAX_NAME_BYTES`` in UTF-8 even for
    characters outside the BMP, which take four bytes each.

    Different reports never share a name: when the department had to be changed or shortened
    to fit, ``_`` and a hash of the year and the full department follow the title
    (``…自评报告_1a2b3c4d.docx``), which a name kept as written never ends with.
    """
    safe = _safe_department(department)
    head, tail = f"{year}年度", KIND_SUFFIXES[kind] if kind else TITLE_SUFFIX
    plain = f"{head}{safe}{tail}.docx"
    if safe == department and len(safe) <= MAX_NAME_CHARS and len(plain.encode()) <= MAX_NAME_BYTES:
        return plain
    digest = hashlib.sha256(f"{year}\n{department}".encode("utf-8", "surrogatepass"))
    if kind:  # a report and its table never share a name, hashed or not
        digest.update(f"\n{kind}".encode())
    tag = f"_{digest.hexdigest()[:_TAG_CHARS]}"
    budget = MAX_NAME_BYTES - len(f"{head}{tail}{tag}.docx".encode())
    safe = safe[:MAX_NAME_CHARS]
    while len(safe.encode()) > budget:
        safe = safe[:-1]
    safe = safe.rstrip(" .") or "未命名"
    return f"{head}{safe}{tail}{tag}.docx"


def report_identity(year: int, department: str, kind: str | None = None) -> str:
    """What a report (or, with a ``kind``, another document of the department's such as its
    自评表) records about itself (core property “identifier”) to be recognised before it is
    replaced: the kind, the year and the full department name."""
    if kind:
        return f"reportgen:{kind}:{year}:{department}"
    return f"reportgen:{year}:{department}"


def identity_title(identity: str) -> str:
    """The title of the document an identity names: 《2023年度…部门整体支出绩效自评报告》."""
    kind, _, rest = identity.removeprefix("reportgen:").partition(":")
    if kind in KIND_SUFFIXES:
        year, _, department = rest.partition(":")
        return f"{year}年度{department}{KIND_SUFFIXES[kind]}"
    return f"{kind}年度{rest}{TITLE_SUFFIX}"


def pdf_name(docx: str | PurePath) -> str:
    """The name of the PDF of the .docx ``docx`` (a name or a path): the same stem."""
    return f"{PurePath(docx).stem}.pdf"


def preview_name(data: str) -> str:
    """A template's preview rendered with the data ``data`` names (a file's stem, a sample)."""
    return f"预览-{data}.docx"


_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"
_MAX_CORE_BYTES = 1024 * 1024


def stored_identity(docx: Path) -> str | None:
    """The :func:`report_identity` a .docx records, or ``None`` (none, or not a .docx)."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(docx) as archive:
            core = archive.getinfo("docProps/core.xml")
            if core.file_size > _MAX_CORE_BYTES:
                return None
            root = etree.fromstring(archive.read(core), parser)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None
    found = root.findtext(_DC_IDENTIFIER)
    return found if found and found.startswith("reportgen:") else None


def check_replaceable(target: Path, identity: str, title: str | None = None) -> None:
    """Refuse to replace ``target`` unless it is the document ``identity`` names, as generated
    earlier; ``title`` is what the message calls it (by default, from the identity)."""
    found = existing(target)
    if found.kind == "none" or found.identity == identity:
        return
    if found.kind == "folder":
        raise UsageError(f"无法写入 {target}（是一个目录）")
    if found.kind == "special":
        raise UsageError(f"无法写入 {target}（已存在同名的特殊文件）")
    if found.identity is not None:
        kind = found.identity.removeprefix("reportgen:").partition(":")[0]
        noun = kind if kind in KIND_SUFFIXES else "报告"
        problem = f"是另一份{noun}《{identity_title(found.identity)}》"
    else:
        problem = (
            f"已存在，但无法确认它是此前生成的《{title or identity_title(identity)}》"
            "（它不是 reportgen 生成的，或已被其他软件另存）"
        )
    raise UsageError(
        f"{target} {problem}，为免覆盖未生成；请确认后删除或移走该文件，或换一个输出目录"
    )


@dataclass(frozen=True)
class Existing:
    """What is at a path reportgen is about to write: nothing, a folder, a special file, or a
    regular file with the identity it records (``None``: none, or not a file we can read as one)."""

    kind: str  # "none" | "folder" | "special" | "file"
    identity: str | None = None


def existing(target: Path, *, read_identity: bool = True) -> Existing:
    """What is at ``target``; raises :class:`FileSystemError` when it cannot be looked at."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return Existing("none")
    except OSError as exc:
        raise FileSystemError(f"无法检查已有的文件 {target}", exc) from exc
    if stat.S_ISDIR(mode):
        return Existing("folder")
    if not stat.S_ISREG(mode):
        return Existing("special")
    if not read_identity:
        return Existing("file")
    try:
        return Existing("file", stored_identity(target))
    except OSError as exc:
        raise FileSystemError(f"无法读取已有的文件 {target}", exc) from exc
