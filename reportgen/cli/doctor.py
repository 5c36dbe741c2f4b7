"""``reportgen doctor``: what this machine has for making reports — Python, LibreOffice for
PDFs, the official fonts or the free ones that stand in for them — said in Chinese."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass

from reportgen import __version__
from reportgen.output.pdf import FONT_SUBSTITUTES, soffice

_PROBE_SECONDS = 30


@dataclass(frozen=True)
class Check:
    """One thing looked at: what, whether it is fine, and what was found or is to be done."""

    subject: str
    ok: bool
    detail: str

    def as_text(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.subject}：{self.detail}"


def _output(command: list[str]) -> str | None:
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=_PROBE_SECONDS, check=False, text=True
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def installed_font_families() -> set[str] | None:
    """The font families fontconfig knows, or ``None`` where there is no fontconfig (Windows)."""
    listing = _output(["fc-list", ":", "family"]) if shutil.which("fc-list") else None
    if listing is None:
        return None
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def _python() -> Check:
    version = platform.python_version()
    return Check("Python", sys.version_info >= (3, 11), f"{version}（{sys.executable}）")


def _libreoffice() -> Check:
    program = soffice()
    if program is None:
        return Check(
            "LibreOffice",
            False,
            "未找到 soffice，生成 Word 报告不受影响，但无法用 --pdf 生成 PDF；"
            "请安装 LibreOffice（Windows 上还需把其 program 目录加入 PATH）",
        )
    version = _output([program, "--version"])
    shown = version.strip().splitlines()[0] if version else "版本未知"
    return Check("LibreOffice", True, f"{shown}（{program}）")


def _fonts(families: set[str] | None) -> list[Check]:
    if families is None:
        return [
            Check(
                "字体",
                True,
                "本机没有 fontconfig（如 Windows），无法列出字体；Windows 通常自带仿宋、楷体、黑体、"
                "宋体，方正小标宋简体需另行安装",
            )
        ]
    checks = []
    for official, substitutes in FONT_SUBSTITUTES.items():
        if official in families:
            checks.append(Check(official, True, "已安装"))
            continue
        present = [name for name in substitutes if name in families]
        if present:
            checks.append(Check(official, True, f"未安装，生成 PDF 时以“{present[0]}”代替"))
        else:
            wanted = "、".join(substitutes)
            checks.append(
                Check(official, False, f"未安装，也没有可代替的字体（{wanted}）；PDF 中文可能缺字")
            )
    return checks


def _console() -> Check:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower()
    if encoding.replace("-", "") in {"utf8", "utf_8"}:
        return Check("控制台编码", True, encoding)
    return Check(
        "控制台编码",
        True,
        f"{encoding or '未知'}：无法显示的字符以“?”代替，文件中的文字不受影响"
        "（Windows 可先运行 chcp 65001 或设置 PYTHONUTF8=1）",
    )


def diagnose() -> list[Check]:
    """Everything ``reportgen doctor`` reports, in the order it prints it."""
    return [
        Check("reportgen", True, __version__),
        _python(),
        _libreoffice(),
        *_fonts(installed_font_families()),
        _console(),
    ]
