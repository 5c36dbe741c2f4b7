"""Markdown the generated pages share."""

from __future__ import annotations


def markdown_cell(text: str) -> str:
    """``text`` as one cell of a Markdown table."""
    return text.replace("|", "\\|")
