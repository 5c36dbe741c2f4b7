"""Text saved as UTF-16 or UTF-32, with or without a byte-order mark: which codec it is.

Windows Notepad calls UTF-16 “Unicode”, Excel's “Unicode text” is UTF-16 too, and some converters
write either without a BOM. Such text always holds NUL bytes (a line end is ``0A 00``), which is
also what makes a file look binary: the bytes are decoded both ways and the one that reads as a
report's characters wins; a binary file reads as neither.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SAMPLE = 65536  # bytes looked at: a multiple of four
# The characters a Chinese report is written in: ASCII, Latin letters and signs (×, °), general
# punctuation, letter-like signs and number forms (℃, Ⅳ), arrows, mathematical signs (≤),
# enclosed numbers (①), box drawing and shapes (■), CJK punctuation, the CJK ideographs with their
# extensions and compatibility forms, full-width forms.
_TEXT_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x2000, 0x22FF),
    (0x2460, 0x27BF),
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)
_WHITESPACE = frozenset("\t\n\v\f\r")
# Share of a sample's characters that must be a report's for the bytes to be read as that codec,
# and the fewest characters that say so (a few bytes read as anything).
_TEXT_SHARE = 0.9
_MIN_CHARACTERS = 16


def _is_text(char: str) -> bool:
    code = ord(char)
    return char in _WHITESPACE or any(low <= code <= high for low, high in _TEXT_RANGES)


def _text_share(sample: bytes, codec: str) -> float:
    """The share of ``sample``'s characters, decoded as ``codec``, that a report is written in
    (0 when it does not decode or holds a NUL character, which no text file does)."""
    try:
        # a character cut by the sample's end is left out, not an error
        decoded = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
    except UnicodeDecodeError:
        return 0.0
    if len(decoded) < _MIN_CHARACTERS or "\x00" in decoded:
        return 0.0
    return sum(_is_text(c) for c in decoded) / len(decoded)


def wide_codec(raw: bytes) -> str | None:
    """Python's codec for ``raw`` when it is UTF-16 or UTF-32 text: ``utf-16``/``utf-32`` with a
    BOM (the codec reads it), else the one of ``utf-32-le``, ``utf-32-be``, ``utf-16-le``,
    ``utf-16-be`` the bytes read best as, if they hold NUL bytes and read as text that way."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec
    sample = raw[:_SAMPLE]
    if b"\x00" not in sample:  # UTF-8 and GB18030 text never holds one
        return None
    shares = {
        codec: _text_share(sample, codec)
        for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
    }
    # ties (ASCII reads as ideographs the wrong way round): the first, UTF-32 before UTF-16
    best = max(shares, key=lambda codec: shares[codec])
    if shares[best] < _TEXT_SHARE:
        return None
    if best.startswith("utf-16") and shares["utf-16-le"] == shares["utf-16-be"]:
        # the NUL bytes of ASCII characters are their high bytes
        best = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
    return best


def wide_encoding(raw: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when the bytes are text in it (see :func:`wide_codec`)."""
    codec = wide_codec(raw)
    return None if codec is None else codec[:6].upper()
