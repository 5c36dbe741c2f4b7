"""The overview's file formats, apart so that the command line offers them without loading the
overview."""

from __future__ import annotations

from enum import StrEnum


class OverviewFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
