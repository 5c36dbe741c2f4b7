"""The text forms of figures, years and yes/no that the data accepts, written once.

Each form is a regular expression built by one function for two readers: ``validate`` matches
it against the text after full-width characters are made ASCII and the ends are stripped
(``4,281.75`` for ``４，２８１．７５``), and the JSON Schema (``reportgen schema``) gets the same
expression widened to the full-width characters and spaces, so that an editor and ``validate``
accept exactly the same values (tests/test_json_schema.py feeds both the same documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# What Chinese input methods type for ASCII: the full-width forms U+FF01–U+FF5E.
FULL_WIDTH = {chr(code - 0xFEE0): chr(code) for code in range(0xFF01, 0xFF5F)}
# Spaces that group thousands as a plain space does (no-break, thin, ideographic …): the
# characters of U+0080–U+3000 that NFKC makes " ". Written out, not computed at each start
# (tests/test_json_schema.py computes both sets and compares).
GROUP_SPACES = (
    "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
# What str.strip() removes from the ends (every character for which str.isspace() is true);
# computing it walked all 1.1 million code points, a sixth of validate's start.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TO_ASCII = str.maketrans(
    {wide: ascii for ascii, wide in FULL_WIDTH.items()} | {space: " " for space in GROUP_SPACES}
)


def ascii_text(raw: str) -> str:
    """``raw`` with full-width characters and grouping spaces made ASCII, ends stripped."""
    return raw.translate(_TO_ASCII).strip()


class _Chars:
    """Character classes for the ASCII text ``validate`` matches, or (``wide``) for the
    text as typed, which the JSON Schema matches."""

    def __init__(self, wide: bool) -> None:
        self.wide = wide

    def char(self, c: str) -> str:
        if not self.wide:
            return re.escape(c)
        others = FULL_WIDTH.get(c, "") + (GROUP_SPACES if c == " " else "")
        return f"[{_escaped(c + others)}]" if others else re.escape(c)

    def text(self, literal: str) -> str:
        return "".join(self.char(c) for c in literal)

    @property
    def digit(self) -> str:
        return "[0-9０-９]" if self.wide else "[0-9]"

    @property
    def nonzero(self) -> str:
        return "[1-9１-９]" if self.wide else "[1-9]"


def _escaped(chars: str) -> str:
    """Characters for a class ``[…]`` that JavaScript and Python read alike."""
    out = []
    for c in chars:
        if c in "\\]^-[":
            out.append("\\" + c)
        elif not c.isprintable() or c.isspace():
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def _number(c: _Chars, whole_digits: int, decimals: int | None, top: str | None = None) -> str:
    """A non-negative number below ``10**whole_digits`` (or up to ``top`` when given: ``10000``
    with only zeros after the point), at most ``decimals`` decimals (``None``: any): plain
    (leading zeros allowed), or grouped by ``,`` or spaces every three digits."""
    d, point = c.digit, c.char(".")
    frac = "*" if decimals is None else f"{{0,{decimals}}}"
    frac_some = "+" if decimals is None else f"{{1,{decimals}}}"
    zero = c.char("0")
    plain = [
        f"{zero}*{d}{{1,{whole_digits}}}(?:{point}{d}{frac})?",
        f"{zero}*{point}{d}{frac_some}",
    ]
    if top is not None:
        plain.append(f"{zero}*{c.text(top)}(?:{point}{zero}*)?")
    forms = list(plain)
    for separator in (",", " "):
        sep = c.char(separator)
        for groups in range(1, 6):
            lead = whole_digits - 3 * groups
            if lead < 1:
                break
            forms.append(
                f"{c.nonzero}{d}{{0,{min(lead, 3) - 1}}}(?:{sep}{d}{{3}}){{{groups}}}"
                f"(?:{point}{d}{frac_some})?"
            )
        if top is not None and len(top) > 3:
            head, tail = top[: len(top) - 3], top[len(top) - 3 :]
            forms.append(f"{c.text(head)}{sep}{c.text(tail)}(?:{point}{zero}+)?")
    return "|".join(forms)


def _signed(c: _Chars, body: str) -> str:
    """``body`` with an optional ``+``; ``-`` only before zero (``-0`` is zero)."""
    zero, point = c.char("0"), c.char(".")
    return f"{c.char('+')}?(?:{body})|{c.char('-')}(?:{zero}+(?:{point}{zero}*)?|{point}{zero}+)"


def money_form(c: _Chars) -> str:
    return _signed(c, _number(c, 8, 2))  # below 1 亿万元, at most two decimals


def quantity_form(c: _Chars) -> str:
    return _signed(c, _number(c, 15, 6))


def score_form(c: _Chars) -> str:
    return _signed(c, _number(c, 2, None, top="100"))


def rate_form(c: _Chars) -> str:
    space = f"[{_escaped(WHITESPACE)}]" if c.wide else r"\s"
    return f"(?:{_signed(c, _number(c, 4, None, top='10000'))}){space}*{c.char('%')}?"


def year_form(c: _Chars) -> str:
    two, zero, one = c.char("2"), c.char("0"), c.char("1")
    return f"{two}{zero}{c.digit}{{2}}|{two}{one}{zero}{zero}"


YES = ("1", "on", "t", "true", "y", "yes")
NO = ("0", "off", "f", "false", "n", "no")


def flag_form(c: _Chars) -> str:
    """The words pydantic reads as true or false, in any case (no spaces around them)."""

    def any_case(word: str) -> str:
        return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ch for ch in word)

    words = YES + NO
    return "|".join(any_case(word) if c.wide else re.escape(word) for word in words)


def matcher(form: Callable[[_Chars], str]) -> re.Pattern[str]:
    """The expression ``validate`` matches against :func:`ascii_text` of a value."""
    return re.compile(f"(?:{form(_Chars(wide=False))})")


def schema_pattern(form: Callable[[_Chars], str], *, strip: bool = True) -> str:
    """The same form for the JSON Schema: full-width characters, spaces around it."""
    space = f"[{_escaped(WHITESPACE)}]*" if strip else ""
    return f"^{space}(?:{form(_Chars(wide=True))}){space}$"
