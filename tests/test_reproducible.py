"""SOURCE_DATE_EPOCH: the same data, template and version give byte-identical .docx and .xlsx."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from typer.testing import CliRunner

from reportgen.check.validate import validate_file
from reportgen.cli.app import app
from reportgen.output.render import render_to_file
from reportgen.template.cache import TemplateCache
from tests.readback import DATA, EXAMPLES

runner = CliRunner()
EPOCH = "1711843200"  # 2024-03-31 00:00:00 UTC
DCTERMS = "{http://purl.org/dc/terms/}"


def _dates(package: Path) -> tuple[str | None, str | None, set[tuple[int, ...]]]:
    """The created and modified dates of ``package``'s core properties, and its entries' times."""
    with zipfile.ZipFile(package) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        times = {info.date_time for info in archive.infolist()}
    return core.findtext(f"{DCTERMS}created"), core.findtext(f"{DCTERMS}modified"), times


def _render_in_a_process(out: Path, *args: str, seed: str) -> None:
    """A whole ``reportgen`` run, with its own hash seed: no set or dict order leaks into a file."""
    subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        check=True,
        capture_output=True,
        env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=seed),
        timeout=300,
    )


def test_reports_rendered_twice_are_byte_identical(tmp_path: Path) -> None:
    _render_in_a_process(tmp_path / "a", "render", str(DATA), "-o", str(tmp_path / "a"), seed="1")
    _render_in_a_process(
        tmp_path / "b", "render", str(DATA), "-o", str(tmp_path / "b"), "-j", "2", seed="2"
    )
    made = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(made) == len(EXAMPLES)
    assert made == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in made:
        first, second = tmp_path / "a" / name, tmp_path / "b" / name
        assert first.read_bytes() == second.read_bytes(), name
        assert _dates(first) == (
            "2024-03-31T00:00:00Z",
            "2024-03-31T00:00:00Z",
            {(2024, 3, 31, 0, 0, 0)},
        )
        with zipfile.ZipFile(first) as archive:
            names = archive.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])


def test_the_cached_and_the_plain_render_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    validation = validate_file(EXAMPLES[0])
    plain = render_to_file(validation, tmp_path / "plain")
    cached = render_to_file(validation, tmp_path / "cached", cache=TemplateCache())
    assert plain.read_bytes() == cached.read_bytes()


def test_overviews_made_twice_are_byte_identical(tmp_path: Path) -> None:
    for seed, name in (("1", "a.xlsx"), ("2", "b.xlsx")):
        _render_in_a_process(tmp_path, "overview", str(DATA), "-o", str(tmp_path / name), seed=seed)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert first.read_bytes() == second.read_bytes()
    assert _dates(first) == (
        "2024-03-31T00:00:00Z",
        "2024-03-31T00:00:00Z",
        {(2024, 3, 31, 0, 0, 0)},
    )
    info = load_workbook(first)["汇总"]["A2"].value
    assert str(info).endswith("生成时间：2024-03-31 00:00 UTC")


def test_without_it_files_are_dated_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    report = render_to_file(validate_file(EXAMPLES[0]), tmp_path)
    target = tmp_path / "汇总.xlsx"
    assert runner.invoke(app, ["overview", str(DATA), "-o", str(target)]).exit_code == 0
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for package in (report, target):
        created, modified, _ = _dates(package)
        assert created == modified
        assert before <= dt.datetime.fromisoformat(str(created).rstrip("Z")) <= after


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999"])
def test_a_malformed_value_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(app, ["overview", str(DATA), "-o", str(tmp_path / "汇总.xlsx")])
    assert result.exit_code == 2
    assert result.output == (
        "错误：环境变量 SOURCE_DATE_EPOCH 应为自 1970-01-01 00:00:00 UTC 起的秒数（不大于 "
        f"253402300799 的非负整数），实际为“{value}”；请改正或删除该变量\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_moment_before_1980_dates_the_entries_1980(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    report = render_to_file(validate_file(EXAMPLES[0]), tmp_path)
    assert _dates(report) == (
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        {(1980, 1, 1, 0, 0, 0)},
    )


def test_a_malformed_value_stops_a_batch_before_any_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(DATA), "-o", str(out), "-j", "1"])
    assert result.exit_code == 2
    assert result.output.startswith("错误：环境变量 SOURCE_DATE_EPOCH 应为")
    assert result.output.count("SOURCE_DATE_EPOCH") == 1
    assert not out.exists()
