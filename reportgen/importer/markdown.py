"""Markdown a converter exported, read as the text it marks up: a pipe table's rows as lines of
cells parted by tabs (as a table copied from Word), its |---| line dropped, and inline emphasis
(``**产出指标：**``) without its marks. Headings (``## 一、概况``) are read by rejoin.py."""

from __future__ import annotations

import re

# A pipe table's row: “| 基本支出 | 3,210.50 |” (the pipes at both ends as converters write them).
_ROW = re.compile(r"[ \u3000]{0,3}\|(.*)\|[ \u3000]*")
_PIPE = re.compile(r"(?<!\\)\|")
_RULE_CELL = re.compile(r":?-{3,}:?")
# Strong or emphasised words on one line: **…**, __…__ (the words inside kept).
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def _cells(line: str) -> list[str] | None:
    """The cells of a pipe table's row, ``None`` for a line that is none."""
    found = _ROW.fullmatch(line)
    if found is None:
        return None
    return [cell.strip().replace("\\|", "|") for cell in _PIPE.split(found.group(1))]


def markdown_text(text: str) -> str:
    """``text`` with its pipe tables as tab-parted lines and its emphasis marks taken away."""
    lines: list[str] = []
    for line in text.split("\n"):
        cells = _cells(line)
        if cells is not None and len(cells) >= 2:
            if all(_RULE_CELL.fullmatch(cell) for cell in cells):
                continue  # the line under the header
            line = "\t".join(cells)
        lines.append(_EMPHASIS.sub(r"\2", line))
    return "\n".join(lines)
