"""reportgen: YAML → checked model → official-format 部门整体支出绩效自评报告 (.docx).

The public Python API is re-exported here and loaded on first use, so that ``reportgen
validate`` does not pay for the rendering libraries it never touches.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.3.6"

_PUBLIC = {
    "validate_file": "reportgen.check.validate",
    "validate_text": "reportgen.check.validate",
    "render_to_file": "reportgen.output.render",
    "LayoutSearch": "reportgen.layout.search",
    "input_files": "reportgen.batch.run",
    "render_files": "reportgen.batch.run",
    "OverviewFormat": "reportgen.batch.overview_format",
    "write_overview": "reportgen.batch.overview",
    "import_file": "reportgen.importer",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
