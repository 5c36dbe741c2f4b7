"""Fidelity: each example renders its published report's outline and figures (shared/seeds/)."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.ci import requires
from tests.readback import DATA, render_file, texts

# The published reports live beside the repository (../shared/seeds); REPORTGEN_SEEDS moves them.
SEEDS = Path(
    os.environ.get("REPORTGEN_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds"
)

EXAMPLE_OF_SEED = {
    "000": "panyu-gov-office-2023",
    "001": "huadu-gov-office-2022",
    "002": "nansha-party-office-2023",
}
HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）")
PAGE_FURNITURE = re.compile(r"[—–-]\s*\d+\s*[—–-]")
LABEL = re.compile(r"附件\d+")
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")

Figure = tuple[Decimal, bool]  # value, and whether it is a percentage

# (seed, section heading, where the figure is found only, figure as printed) → why that is right.
ALLOWED: dict[tuple[str, str, str, str], str] = {
    ("001", "（三）各重点任务项目支出完成情况分析", "published", "66.5%"): (
        "published rounded to one decimal, as the same rate's first mention is not"
    ),
    ("001", "（三）各重点任务项目支出完成情况分析", "rendered", "66.55%"): (
        "the checked project execution rate 228.21 ÷ 342.94, printed for the published 66.5%"
    ),
    ("002", "（二）履职效能分析", "rendered", "80"): (
        "the indicator table prints the target 80 人次 that BRIEF §3 gives (88 vs 80 → 110%)"
    ),
}


def figure(text: str) -> Figure:
    """4,191.3 and 4191.30 are one figure; 110% and 110.00% another."""
    return Decimal(text.replace(",", "").rstrip("%")), text.endswith("%")


def figures(text: str) -> set[Figure]:
    return {figure(match) for match in NUMBER.findall(text)}


def split(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(lines before the first heading, [(heading, its text)]): whitespace removed, a wrapped
    line joined to the one before; headings compare without a trailing “。”."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for raw in lines:
        line = re.sub(r"\s+", "", raw)
        if not line or PAGE_FURNITURE.fullmatch(line):
            continue
        if HEADING.match(line):
            sections.append((line.rstrip("。"), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, [(heading, "".join(body)) for heading, body in sections]


def seeds() -> Path:
    requires(SEEDS.is_dir(), f"the published reports are not here: {SEEDS}")
    return SEEDS


def published(seed: str) -> tuple[list[str], list[tuple[str, str]]]:
    [path] = seeds().glob(f"{seed}_*.txt")
    return split(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out_dir = tmp_path_factory.mktemp("fidelity")
    return {
        seed: texts(render_file(DATA / f"{example}.yaml", out_dir))
        for seed, example in EXAMPLE_OF_SEED.items()
    }


SEED_IDS = [f"{seed}-{example}" for seed, example in EXAMPLE_OF_SEED.items()]


@pytest.mark.parametrize("seed", EXAMPLE_OF_SEED, ids=SEED_IDS)
def test_same_headings_in_same_order(seed: str, rendered: dict[str, list[str]]) -> None:
    _, seed_sections = published(seed)
    _, our_sections = split(rendered[seed])
    assert len(seed_sections) >= 12
    assert [h for h, _ in our_sections] == [h for h, _ in seed_sections]


@pytest.mark.parametrize("seed", EXAMPLE_OF_SEED, ids=SEED_IDS)
def test_same_attachment_label_and_title(seed: str, rendered: dict[str, list[str]]) -> None:
    seed_preamble, _ = published(seed)
    our_preamble, _ = split(rendered[seed])
    seed_labels = [line for line in seed_preamble if LABEL.fullmatch(line)]
    our_labels = [line for line in our_preamble if LABEL.fullmatch(line)]
    assert our_labels == seed_labels == (["附件4"] if seed == "001" else [])
    # The title may wrap at another place: compare the title lines joined.
    seed_title = "".join(line for line in seed_preamble if not LABEL.fullmatch(line))
    our_title = "".join(line for line in our_preamble if not LABEL.fullmatch(line))
    assert our_title == seed_title
    assert seed_title.endswith("部门整体支出绩效自评报告")


@pytest.mark.parametrize("seed", EXAMPLE_OF_SEED, ids=SEED_IDS)
def test_same_figures_per_section(seed: str, rendered: dict[str, list[str]]) -> None:
    _, seed_sections = published(seed)
    _, our_sections = split(rendered[seed])
    allowed = {
        (heading, where, figure(number)) for (s, heading, where, number) in ALLOWED if s == seed
    }
    assert sum(len(figures(text)) for _, text in seed_sections) > 20
    differences = set()
    for (heading, seed_text), (our_heading, our_text) in zip(
        seed_sections, our_sections, strict=True
    ):
        assert our_heading == heading
        ours, theirs = figures(our_text), figures(seed_text)
        differences |= {(heading, "published", f) for f in theirs - ours}
        differences |= {(heading, "rendered", f) for f in ours - theirs}
    assert differences - allowed == set(), "figures that differ and are not allow-listed"
    assert allowed - differences == set(), "allow-list entries no longer needed"


def test_every_seed_has_its_example() -> None:
    assert sorted(p.name[:3] for p in seeds().glob("*.txt")) == sorted(EXAMPLE_OF_SEED)
    assert all((DATA / f"{example}.yaml").is_file() for example in EXAMPLE_OF_SEED.values())
