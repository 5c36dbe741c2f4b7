"""The hostile-template corpus (cases.yaml) and the one way its templates are made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
_ALL: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (HERE / "cases.yaml").read_text(encoding="utf-8")
)
CASES = _ALL["cases"]
RUNTIME_ERRORS = _ALL["runtime_errors"]
DEEP_NESTING = _ALL["deep_nesting"]


def template_text(case: dict[str, Any]) -> str:
    """The case's template text: ``template``, then ``then`` ``times`` times, then ``end``."""
    return case["template"] + case.get("then", "") * case.get("times", 0) + case.get("end", "")


def make_template(text: str, path: Path) -> Path:
    """The built-in default template with ``text`` as one more body paragraph."""
    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    document.add_paragraph(text, style="ReportBody")
    document.save(str(path))
    return path
