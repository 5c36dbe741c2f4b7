"""The page of ``reportgen serve`` loads nothing from outside the package, and ships in it."""

from __future__ import annotations

import re
from importlib import resources

STATIC = resources.files("reportgen.serve") / "static"


def test_every_script_and_style_is_served_from_the_package() -> None:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("/static/") or s == "data:," for s in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert STATIC.joinpath(*source.removeprefix("/static/").split("/")).is_file(), source


def test_our_own_code_names_no_outside_address() -> None:
    for name in ("index.html", "app.js", "form.js", "app.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|//cdn|@import|fonts\.googleapis", text), name


def test_vendored_files_record_their_version_and_licence() -> None:
    vendor = STATIC / "vendor"
    record = (vendor / "README.md").read_text(encoding="utf-8")
    folders = [f.name for f in vendor.iterdir() if f.is_dir()]
    assert folders == ["codemirror-5.65.21"]
    assert "| codemirror | 5.65.21 | MIT" in record
    assert "MIT License" in (vendor / "codemirror-5.65.21" / "LICENSE").read_text(encoding="utf-8")
