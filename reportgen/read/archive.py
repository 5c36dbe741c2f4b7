"""A zip package (.docx) read within bounds: whether it would unpack to more than we hold."""

from __future__ import annotations

import zipfile

MAX_UNPACKED_BYTES = (
    50 * 1024 * 1024
)  # a .docx template or report, unpacked; the built-in templates are ~40 KiB
MAX_COMPRESSION_RATIO = 200


def unpacked_size_problem(archive: zipfile.ZipFile) -> str | None:
    """Why a .docx would unpack to more than we are willing to hold (a zip bomb), from its
    directory alone, before any part is read; None when it would not."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNPACKED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        return f"解压后过大（{total / 1024 / 1024:.1f} MiB，压缩比 {total / packed:.0f}）"
    return None
