"""``reportgen doctor`` says in Chinese what the machine has, and what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import doctor
from reportgen.cli.app import app

runner = CliRunner()


def test_a_machine_without_libreoffice_or_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "soffice", lambda: None)
    monkeypatch.setattr(doctor, "installed_font_families", lambda: {"仿宋_GB2312", "SimHei"})
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[2] == (
        "✗ LibreOffice：未找到 soffice，生成 Word 报告不受影响，但无法用 --pdf 生成 PDF；"
        "请安装 LibreOffice（Windows 上还需把其 program 目录加入 PATH）"
    )
    assert lines[3:10] == [
        "✓ 仿宋_GB2312：已安装",
        "✗ 仿宋：未安装，也没有可代替的字体（FangSong、Noto Serif CJK SC）；PDF 中文可能缺字",
        "✗ 楷体_GB2312：未安装，也没有可代替的字体（KaiTi、AR PL UKai CN、Noto Serif CJK SC）；"
        "PDF 中文可能缺字",
        "✗ 楷体：未安装，也没有可代替的字体（KaiTi、AR PL UKai CN、Noto Serif CJK SC）；"
        "PDF 中文可能缺字",
        "✓ 黑体：未安装，生成 PDF 时以“SimHei”代替",
        "✗ 方正小标宋简体：未安装，也没有可代替的字体（Noto Serif CJK SC）；PDF 中文可能缺字",
        "✗ 宋体：未安装，也没有可代替的字体（SimSun、Noto Serif CJK SC）；PDF 中文可能缺字",
    ]


def test_a_machine_ready_for_pdfs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'LibreOffice 7.4.7.2 40(Build:2)'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(doctor, "soffice", lambda: str(fake))
    families = {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}
    monkeypatch.setattr(doctor, "installed_font_families", lambda: families)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert f"✓ LibreOffice：LibreOffice 7.4.7.2 40(Build:2)（{fake}）" in result.output
    assert "✓ 楷体_GB2312：未安装，生成 PDF 时以“AR PL UKai CN”代替" in result.output
    assert "✗" not in result.output
