"""Where the help screens may break a line of Chinese text.

rich breaks lines only at spaces: to it a Chinese sentence is one long word, which it moves
whole to the next line and then folds at the edge, so a line broke after “（生成 PDF” and the
next began with “，”. Here every Chinese character is a place to break, except where the rules
of Chinese typesetting (避头尾) forbid it: no line begins with a closing mark or a pause (，。）
and no line ends with an opening one (（“). A run of Latin letters or digits stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# marks that never begin a line (closing brackets and quotes, pauses, the ellipsis) ...
NO_LINE_START = "，。、；：！？）］｝」』】》〉”’…—·％,.;:!?)]}%"
# ... and marks that never end one
NO_LINE_END = "（［｛「『【《〈“‘([{"

_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
_OPEN = re.escape(NO_LINE_END)
_CLOSE = re.escape(NO_LINE_START)
# a piece that may not be broken: opening marks, then one wide character or a run of narrow
# ones, then the closing marks and pauses after it, then the spaces after those
_PIECE = re.compile(rf"\s*[{_OPEN}]*(?:[^\s{_WIDE}{_OPEN}]+|[{_WIDE}])[{_CLOSE}]*\s*|\s*\S+\s*")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """rich's ``_wrap.words``: each piece of ``text`` a line may not break inside, as
    ``(start, end, piece)`` with the spaces after it."""
    position = 0
    while (found := _PIECE.match(text, position)) is not None and found.end() > position:
        yield found.start(), found.end(), found.group(0)
        position = found.end()


def install() -> None:
    """Make rich break lines by :func:`words` (rich's ``divide_line`` looks the name up in its
    module at every call). Only the help screens draw text with rich."""
    from rich import _wrap

    _wrap.words = words
