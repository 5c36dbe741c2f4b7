"""When a file reportgen writes says it was made: now, or ``SOURCE_DATE_EPOCH`` when it is set.

``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: seconds since 1970-01-01 UTC) makes
the same data, template and reportgen version give byte-identical .docx and .xlsx files: the
documents' created and modified dates, the overview's 生成时间 and the time of every entry of
the zip package are that moment, and the package's entries are in one fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from reportgen.errors import UsageError

VARIABLE = "SOURCE_DATE_EPOCH"
_ZIP_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # a zip entry cannot be older
_LATEST = 253_402_300_799  # 9999-12-31 23:59:59 UTC


def source_date_epoch() -> dt.datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names (UTC), or ``None`` when it is unset or empty."""
    raw = os.environ.get(VARIABLE, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) > _LATEST:
        raise UsageError(
            f"环境变量 {VARIABLE} 应为自 1970-01-01 00:00:00 UTC 起的秒数（不大于 {_LATEST} 的"
            f"非负整数），实际为“{raw[:40]}”；请改正或删除该变量"
        )
    return dt.datetime.fromtimestamp(int(raw), dt.UTC)


def made_at() -> dt.datetime:
    """The time a file being written records (UTC, whole seconds)."""
    fixed = source_date_epoch()
    if fixed is not None:
        return fixed
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def fixed_package(content: bytes) -> bytes:
    """``content`` (a zip package: .docx, .xlsx) with its entries' times and order fixed when
    ``SOURCE_DATE_EPOCH`` is set: every entry dated that moment (1980 at the earliest, as zip
    allows), ``[Content_Types].xml`` first and the others by name. Unchanged otherwise."""
    fixed = source_date_epoch()
    if fixed is None:
        return content
    when = max(fixed, _ZIP_EARLIEST).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        entries = sorted(
            source.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)
        )
        with zipfile.ZipFile(buffer, "w") as target:
            for entry in entries:
                info = zipfile.ZipInfo(entry.filename, date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, source.read(entry))
    return buffer.getvalue()


def shown(moment: dt.datetime) -> str:
    """``moment`` as a person reads it: ``2026-12-07 10:09 UTC+08:00``, in the machine's zone;
    in UTC when ``SOURCE_DATE_EPOCH`` is set, so that the text is the same on every machine."""
    local = moment.astimezone(dt.UTC if source_date_epoch() is not None else None)
    offset = local.strftime("%z")  # "+0800"
    zone = "UTC" if offset in {"", "+0000"} else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {zone}"
