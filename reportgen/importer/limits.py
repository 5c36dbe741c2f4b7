"""How much of a published report import and audit are willing to read, and the refusal.

A department's self-evaluation report runs to 10–40 pages, 3,000–60,000 characters and fewer
than 100 headings and list items; every limit here is many times that, so that a real report is
never refused, while a crafted file is refused in a fraction of a second, from counts rather than
from the clock (a time limit that passes or fails with the machine's load is no limit).
Only pdftotext, a program of its own, is bounded by CPU seconds and memory instead.
"""

from __future__ import annotations

from reportgen.errors import EXIT_INVALID, ReportgenError

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # the file as stored
MAX_PAGES = 500  # of a PDF
MAX_CHARACTERS = 300_000  # not counting spaces and line ends
MAX_LINES = 100_000  # of a .txt or of pdftotext's output
MAX_PARAGRAPHS = 10_000
MAX_HEADINGS = 1_000  # paragraphs with a number label (一、 （一） 1. …) or a heading level
MAX_TABLE_CELLS = 100_000
MAX_TABLE_COLUMNS = 63  # Word's limit
MAX_STYLES = 5_000  # in a .docx's styles.xml (Word's own templates hold about 400)
MAX_LIST_LEVEL = 8  # Word's list levels are 0–8
MAX_LIST_START = 32_767  # the highest start value Word accepts
PDF_CPU_SECONDS = 15
PDF_MEMORY_BYTES = 1024 * 1024 * 1024
PDF_TEXT_BYTES = 16 * 1024 * 1024  # pdftotext's output, before it is decoded


class SourceRefused(ReportgenError):
    """The report's content is over one of the limits above, or inconsistent: exit 1."""

    exit_code = EXIT_INVALID


def refuse(path: object, what: str) -> SourceRefused:
    """``FILE: what，不像一份自评报告，未导入`` — ``what`` names the limit."""
    return SourceRefused(f"{path}: {what}，不像一份正常的部门自评报告，未读取")


def shown_value(value: str) -> str:
    """A value from the file as a message quotes it: at most 20 characters."""
    return value if len(value) <= 20 else f"{value[:20]}…（共 {len(value)} 个字符）"


def count_characters(text: str) -> int:
    """Characters that are not white space (pdftotext's layout pads lines with spaces)."""
    return len(text) - sum(text.count(space) for space in (" ", "\n", "\t", "\u3000", "\r"))


def check_text(path: object, text: str) -> None:
    """Refuse text over the character or line limit, before it is split into paragraphs."""
    characters = count_characters(text)
    if characters > MAX_CHARACTERS:
        raise refuse(path, f"文字过多（{characters:,} 个字符，上限 {MAX_CHARACTERS:,}）")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise refuse(path, f"行数过多（{lines:,} 行，上限 {MAX_LINES:,}）")


def check_paragraphs(path: object, paragraphs: int, headings: int) -> None:
    if paragraphs > MAX_PARAGRAPHS:
        raise refuse(path, f"段落过多（{paragraphs:,} 段，上限 {MAX_PARAGRAPHS:,}）")
    if headings > MAX_HEADINGS:
        raise refuse(path, f"标题和编号条目过多（{headings:,} 个，上限 {MAX_HEADINGS:,}）")
