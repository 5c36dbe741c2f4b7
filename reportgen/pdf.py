"""PDF conversion with LibreOffice, mapping the official font names to free CJK fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reportgen.atomic import replace_atomically
from reportgen.errors import FileSystemError, RenderError, UsageError

# The official fonts (Windows machines have them) → free fonts Debian packages:
# fonts-noto-cjk for 宋/仿宋/黑/小标宋, fonts-arphic-ukai for 楷体.
FONT_SUBSTITUTES: dict[str, list[str]] = {
    "仿宋_GB2312": ["FangSong", "Noto Serif CJK SC"],
    "仿宋": ["FangSong", "Noto Serif CJK SC"],
    "楷体_GB2312": ["KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "楷体": ["KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "Noto Sans CJK SC"],
    "方正小标宋简体": ["Noto Serif CJK SC"],
    "宋体": ["SimSun", "Noto Serif CJK SC"],
}


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file: the system configuration plus one alias per official font."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in substitutes)
        + "</prefer></alias>"
        for name, substitutes in FONT_SUBSTITUTES.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{aliases}\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``docx`` into ``out_dir`` and return the PDF's path."""
    program = soffice()
    if program is None:
        raise UsageError("未找到 LibreOffice（soffice），无法生成 PDF；请先安装 libreoffice-writer")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as work:
        workdir = Path(work)
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(workdir)), HOME=str(workdir))
        command = [
            program,
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir / "out"),
            str(docx),
        ]
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒）") from exc
        produced = workdir / "out" / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.exists():
            detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
            raise RenderError(f"LibreOffice 未能把 {docx.name} 转成 PDF（{detail}）")
        target = out_dir / produced.name
        try:
            with produced.open("rb") as pdf:
                replace_atomically(target, lambda stream: shutil.copyfileobj(pdf, stream))
        except OSError as exc:
            raise FileSystemError(f"无法写入 PDF {target}", exc) from exc
    return target
