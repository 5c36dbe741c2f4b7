"""What an import could only guess (a line end rejoined, a heading parted from its text), marked
by a comment at the draft's line: a warning there until the comment is removed (R012)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from reportgen.findings import FieldPath, Finding, Location, Severity
from reportgen.read.loader import Document

DOUBT_MARK = "【待核对】"  # written by import after “# ”, on the line of the string concerned


def doubt_comment(note: str) -> str:
    return f"  # {DOUBT_MARK}{' '.join(note.split())}"


def _in_scalars(text: str) -> list[tuple[int, int]]:
    """The spans of the scalars of ``text`` (a marker inside one is the data's own words)."""
    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return spans  # the loader has said what is wrong with the file
    return spans


def _path_on(doc: Document, line: int) -> FieldPath:
    """The path of the innermost value (or else key) that starts on ``line`` (1-based)."""
    for marks in (doc.value_marks, doc.key_marks):
        paths = [path for path, (at, _) in marks.items() if at == line]
        if paths:
            return max(paths, key=len)
    return ()


def doubts(doc: Document) -> Iterator[Finding]:
    """A warning at each doubt an import marked and nobody has yet checked."""
    text = doc.text
    if DOUBT_MARK not in text:
        return
    scalars = _in_scalars(text)
    start = 0
    marker = f"# {DOUBT_MARK}"
    for number, line in enumerate(text.split("\n"), 1):
        # a line may carry several marks, each a comment after the one before
        ats = [at for at in _all(line, marker) if not any(s <= start + at < e for s, e in scalars)]
        start += len(line) + 1
        for at, following in zip(ats, [*ats[1:], len(line)][: len(ats)], strict=True):
            note = line[at + len(marker) : following].strip()
            yield Finding(
                "R012",
                Severity.WARNING,
                f"导入时{note}（核对后删去这一行的“{marker}……”注释）",
                _path_on(doc, number),
                location=Location(doc.file, number, at + 1),
            )


def _all(line: str, marker: str) -> Iterator[int]:
    at = line.find(marker)
    while at >= 0:
        yield at
        at = line.find(marker, at + len(marker))
