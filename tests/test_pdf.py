"""PDF conversion with LibreOffice: pages, text, page numbers, and the font substitution table."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from lxml import etree

from reportgen.check.validate import validate_file
from reportgen.output.pdf import convert_to_pdf, fontconfig_file, soffice
from reportgen.output.render import render_to_file
from reportgen.template.cache import TemplateCache
from tests.ci import requires
from tests.conftest import COMPLETE
from tests.readback import (
    EXAMPLES,
    TEMPLATES,
    document_text,
    render_data,
    render_file,
    write_yaml,
)

OFFICIAL_FONTS = ["仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"]
A4_POINTS = (595.3, 841.9)

needs_soffice = pytest.mark.requires(soffice() is not None, "LibreOffice (soffice) not installed")
NO_PDFTOTEXT = "pdftotext (poppler-utils) not installed"
needs_pdftotext = pytest.mark.requires(shutil.which("pdftotext"), NO_PDFTOTEXT)
# “— 3 —” alone on a line: the page number from the footer, not the document's text
PAGE_NUMBER_LINE = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out_dir = tmp_path_factory.mktemp("pdf")
    return {
        source.stem: convert_to_pdf(render_file(source, out_dir), out_dir) for source in EXAMPLES
    }


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def pdftotext(pdf: Path, *options: str) -> str:
    command = ["pdftotext", *options, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@needs_soffice
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_pages_and_text(pdfs: dict[str, Path], source: Path) -> None:
    report = validate_file(source).report
    assert report is not None
    pdf = pdfs[source.stem]
    assert pdf.name == f"{report.title}.pdf" and pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert 3 <= page_count(pdf) <= 25
    requires(shutil.which("pdftotext"), NO_PDFTOTEXT)
    text = re.sub(r"\s+", "", pdftotext(pdf))
    assert report.department in text
    assert f"{report.year}年度{report.department}部门整体支出绩效自评报告" in text
    assert "一、" in text and "四、下一步改进措施" in text


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_page_numbers_odd_right_even_left(pdfs: dict[str, Path], source: Path) -> None:
    """“— N —” at the foot of page N: right of the centre on odd pages, left on even ones."""
    pdf = pdfs[source.stem]
    layout = etree.fromstring(
        pdftotext(pdf, "-bbox").encode("utf-8"), etree.HTMLParser(encoding="utf-8")
    )
    pages = layout.findall(".//page")
    assert len(pages) == page_count(pdf)
    for number, page in enumerate(pages, 1):
        width, height = float(page.get("width")), float(page.get("height"))
        assert (round(width, 1), round(height, 1)) == A4_POINTS
        words = [(w.text, float(w.get("xmin")), float(w.get("ymin"))) for w in page.iter("word")]
        bottom = max(y for _, _, y in words)
        footer = sorted((x, text) for text, x, y in words if y == bottom)
        assert [text for _, text in footer] == ["—", str(number), "—"], number
        centre = (footer[0][0] + footer[-1][0]) / 2
        assert (centre > width / 2) == (number % 2 == 1), number


def characters(text: str) -> Counter[str]:
    return Counter(c for c in text if not c.isspace())


def lost_characters(docx: Path, pdf: Path) -> Counter[str]:
    """Characters of the .docx body that the PDF's text lacks, counted with repeats.

    The PDF may print more (a table's header row again on each page), never less; its page
    numbers are left out, or they could stand in for a lost “—” or digit.
    """
    printed = characters(PAGE_NUMBER_LINE.sub("", pdftotext(pdf)))
    return characters(document_text(docx)) - printed


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_pdf_keeps_every_character_of_the_examples(pdfs: dict[str, Path], source: Path) -> None:
    pdf = pdfs[source.stem]
    docx = pdf.with_suffix(".docx")
    assert lost_characters(docx, pdf) == Counter()


# Rounds thick with marks that may not start a line, in three paragraphs that start one character
# apart, so that many marks fall right after a line's 28th character: where Word lets them hang
# in the margin. LibreOffice dropped 15 of them with the templates before w:overflowPunct.
CROWDED = "文化、卫生、环境，" * 30 + "教育（医疗）；“体育”：养老。" * 12


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.glob("*/template.docx")), ids=lambda p: p.parent.name
)
def test_pdf_keeps_marks_at_line_ends(template: Path, tmp_path: Path) -> None:
    """A report crowded with punctuation loses none of it in any built-in template."""
    data = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    data["sections"]["problems"] = [CROWDED, "一" + CROWDED, "一二" + CROWDED]
    docx = render_data(data, tmp_path, template)
    assert CROWDED in document_text(docx)
    pdf = convert_to_pdf(docx, tmp_path / "pdf")
    assert lost_characters(docx, pdf) == Counter()


def saved_by_libreoffice(template: Path, directory: Path) -> Path:
    """``template`` opened and saved again as .docx by LibreOffice, as a template author might."""
    program = soffice()
    assert program is not None
    command = [
        program,
        f"-env:UserInstallation=file://{directory / 'profile'}",
        "--headless",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(directory / "saved"),
        str(template),
    ]
    subprocess.run(command, capture_output=True, check=True, timeout=180)
    saved = directory / "saved" / template.name
    styles = zipfile.ZipFile(saved).read("word/styles.xml")
    assert b'<w:overflowPunct w:val="false"/>' in styles  # what the save does to a template
    return saved


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize("cached", [False, True], ids=["render", "batch-cache"])
def test_a_template_saved_by_libreoffice_keeps_every_character(
    cached: bool, tmp_path: Path
) -> None:
    """Saving turns punctuation overflow off in the Normal style and every paragraph (and
    automatic hyphenation on); the reports of that template still print every character."""
    template = saved_by_libreoffice(TEMPLATES / "default" / "template.docx", tmp_path)
    data = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    data["sections"]["problems"] = [CROWDED, "一" + CROWDED, "一二" + CROWDED]
    validation = validate_file(write_yaml(data, tmp_path / "crowded.yaml"))
    docx = render_to_file(
        validation, tmp_path / "out", template, cache=TemplateCache() if cached else None
    )
    assert CROWDED in document_text(docx)
    pdf = convert_to_pdf(docx, tmp_path / "pdf")
    assert lost_characters(docx, pdf) == Counter()


def test_fontconfig_maps_every_official_font(tmp_path: Path) -> None:
    config = etree.parse(str(fontconfig_file(tmp_path))).getroot()
    aliases = {
        alias.findtext("family"): [f.text for f in alias.iterfind("prefer/family")]
        for alias in config.iterfind("alias")
    }
    for name in OFFICIAL_FONTS:
        assert aliases.get(name), f"{name} has no substitute"
        assert all(aliases[name]) and name not in aliases[name]
    assert config.find("include").text == "/etc/fonts/fonts.conf"


@needs_soffice
def test_libreoffice_profiles_are_kept_one_per_running_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile is made once and reused; a slot in use is skipped; a damaged profile costs one
    retry, not a PDF."""
    import fcntl
    import os

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    docx = render_file(EXAMPLES[0], tmp_path / "docx")
    profiles = tmp_path / "cache" / "reportgen" / "libreoffice-profiles"
    convert_to_pdf(docx, tmp_path / "first")
    assert (profiles / "0" / "user").is_dir() and not (profiles / "1").exists()
    assert oct(profiles.stat().st_mode & 0o777) == "0o700"

    with (profiles / "0.lock").open("a") as held:  # another LibreOffice has slot 0
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        convert_to_pdf(docx, tmp_path / "second")
    assert (profiles / "1" / "user").is_dir()

    # a profile LibreOffice cannot start with: a file where its folder should be
    shutil.rmtree(profiles / "0")
    (profiles / "0").write_text("damaged", encoding="utf-8")
    pdf = convert_to_pdf(docx, tmp_path / "third")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert (profiles / "0" / "user").is_dir()  # the file removed, a profile made anew

    # a profile whose settings LibreOffice cannot read: removed, and one retry
    shutil.rmtree(profiles / "0" / "user")
    (profiles / "0" / "user").write_text("damaged", encoding="utf-8")
    assert convert_to_pdf(docx, tmp_path / "3b").read_bytes().startswith(b"%PDF-")

    # slots replaced by links to other folders: never followed, nothing written there
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "user").mkdir(parents=True)
    (elsewhere / "user" / ".lock").write_text("someone's", encoding="utf-8")
    shutil.rmtree(profiles / "0")
    (profiles / "0").symlink_to(elsewhere)
    (profiles / "1" / "user").rename(tmp_path / "moved")
    (profiles / "1" / "user").symlink_to(elsewhere / "user")
    assert convert_to_pdf(docx, tmp_path / "links").read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in elsewhere.rglob("*")) == [".lock", "user"]
    assert (elsewhere / "user" / ".lock").read_text(encoding="utf-8") == "someone's"
    assert not (profiles / "0").is_symlink() and (profiles / "0" / "user").is_dir()

    shutil.rmtree(profiles / "0")
    os.chmod(profiles, 0o777)  # shared with other users: not used, a new profile each call
    convert_to_pdf(docx, tmp_path / "fourth")
    assert not (profiles / "0").exists()
