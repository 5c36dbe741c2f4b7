"""Make the inputs of the bad-input corpus that must not be committed as files.

Binary, GBK, UTF-16, BOM, CRLF and CR files, raw control characters, multi-megabyte files,
an alias bomb, a 200 KB nesting bomb, a FIFO and links to devices are written into a directory the test chooses
(``tmp_path``), so the repository holds only small, readable text files.

    python tests/bad_inputs/make_generated.py DIR     # to look at them by hand
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPLETE = HERE.parent.parent / "reportgen" / "samples" / "complete.yaml"

GOALS = "goals: 提高财政资金使用效益。"
NUMBERED = "    - 拟订财政政策。"
LATE_RATE = ("rate: 90%, reason", "rate: 95%, reason")  # line 55 of 85
LATE_COLON = ("  efficiency: 预算", "  efficiency：预算")  # line 78
MIB = 1024 * 1024

# The paragraph long_text.yaml carries; the test finds it verbatim in the .docx.
LONG_PARAGRAPH = "财政资金使用效益＆<绩效>" * 20_000 + "。"
LONG_ITEM = "编制预算草案" * 5_000
EXPECTED_TEXT: dict[str, list[str]] = {"long_text.yaml": [LONG_PARAGRAPH, LONG_ITEM]}


def complete() -> str:
    return COMPLETE.read_text(encoding="utf-8")


def mutated(*pairs: tuple[str, str]) -> str:
    text = complete()
    for old, new in pairs:
        if old not in text:
            raise ValueError(f"complete.yaml no longer contains {old!r}")
        text = text.replace(old, new, 1)
    return text


def line_ends(text: str, *ends: str) -> str:
    """``text`` with its line ends replaced, taking ``ends`` in turn line after line."""
    lines = text.split("\n")
    return "".join(
        line + (ends[i % len(ends)] if i < len(lines) - 1 else "") for i, line in enumerate(lines)
    )


def _alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases, 9**9 strings once expanded."""
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    rows.append("year: 2024")
    return "\n".join(rows) + "\n"


def _huge() -> bytes:
    """3 MiB of valid YAML: a list of text, larger than the 2 MiB limit."""
    row = "  - 这一行重复很多次，使文件超过大小上限\n".encode()
    return b"year: 2024\nitems:\n" + row * (3 * MIB // len(row) + 1)


def _many_nodes() -> bytes:
    """Under the size limit, over the node limit: 300 000 one-character list items."""
    data = b"year: 2024\nitems:\n" + b"  - 1\n" * 300_000
    assert len(data) < 2 * MIB
    return data


def _files() -> dict[str, Callable[[], bytes | str]]:
    return {
        # encodings
        "binary.yaml": lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "gbk.yaml": lambda: complete().encode("gbk"),
        "utf16.yaml": lambda: complete().encode("utf-16"),  # with its BOM, as Notepad writes
        "bom.yaml": lambda: b"\xef\xbb\xbf" + complete().encode(),
        "bom_with_error.yaml": lambda: (
            b"\xef\xbb\xbf" + mutated(("year: 2024", "year: 1999")).encode()
        ),
        "crlf_with_error.yaml": lambda: (
            mutated(("year: 2024", "year: 1999")).replace("\n", "\r\n").encode()
        ),
        # line ends: Windows CRLF, a lone CR (old Mac editors, some exports), a mixture; the
        # finding is on a late line, where a miscounted line end would show most
        "crlf_late_rule.yaml": lambda: line_ends(mutated(LATE_RATE), "\r\n"),
        "cr_late_rule.yaml": lambda: line_ends(mutated(LATE_RATE), "\r"),
        "mixed_line_ends_late_rule.yaml": lambda: line_ends(mutated(LATE_RATE), "\n", "\r\n", "\r"),
        "crlf_late_syntax.yaml": lambda: line_ends(mutated(LATE_COLON), "\r\n"),
        "cr_late_syntax.yaml": lambda: line_ends(mutated(LATE_COLON), "\r"),
        "cr_late_control.yaml": lambda: line_ends(
            mutated((GOALS, "goals: 提高财政\x0b资金使用效益。")), "\r"
        ),
        "cr_gbk.yaml": lambda: line_ends(complete(), "\r").encode("gbk"),
        # size and structure limits
        "huge.yaml": _huge,
        "many_nodes.yaml": _many_nodes,
        "alias_bomb.yaml": _alias_bomb,
        "deep_nesting.yaml": lambda: "year: 2024\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "year_huge.yaml": lambda: mutated(("year: 2024", "year: " + "9" * 5000)),
        # raw control characters and YAML-only line breaks
        "control_raw_vertical_tab.yaml": lambda: mutated(
            (GOALS, "goals: 提高财政\x0b资金使用效益。")
        ),
        "control_raw_escape.yaml": lambda: mutated((NUMBERED, "    - 拟订\x1b[31m财政政策。")),
        "control_raw_nul.yaml": lambda: mutated((GOALS, "goals: 提高财政\x00资金使用效益。")),
        "control_line_separator.yaml": lambda: mutated(
            (GOALS, "goals: 提高财政\u2028资金使用效益。")
        ),
        "control_next_line.yaml": lambda: mutated((GOALS, "goals: 提高财政\x85资金使用效益。")),
        # long text, accepted
        "long_text.yaml": lambda: mutated(
            (GOALS, f"goals: '{LONG_PARAGRAPH}'"), (NUMBERED, f"    - {LONG_ITEM}")
        ),
    }


def generate(directory: Path) -> dict[str, Path]:
    """Write every generated input into ``directory``; file name → path."""
    directory.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for name, make in _files().items():
        content = make()
        path = directory / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        made[name] = path
    # a directory where a file is expected, and a file that does not exist
    (directory / "directory.yaml").mkdir(exist_ok=True)
    made["directory.yaml"] = directory / "directory.yaml"
    made["missing.yaml"] = directory / "missing.yaml"
    # devices: one that never ends, one that is always empty
    for device in ("zero", "null"):
        if Path(f"/dev/{device}").exists() and hasattr(os, "symlink"):
            link = directory / f"dev_{device}.yaml"
            if not link.is_symlink():
                link.symlink_to(f"/dev/{device}")
            made[link.name] = link
    # a named pipe no one writes to: opening it to read would wait forever
    if hasattr(os, "mkfifo"):
        fifo = directory / "fifo.yaml"
        if not fifo.exists():
            os.mkfifo(fifo)
        made["fifo.yaml"] = fifo
    return made


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_generated.py DIR")
    for name, path in generate(Path(sys.argv[1])).items():
        print(f"{name}\t{path}")
