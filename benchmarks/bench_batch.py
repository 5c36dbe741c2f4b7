"""The finance bureau's batch (issue 12): reportgen against bare docxtpl per report, PDFs per
report against one LibreOffice call, two jobs against one, peak memory at 100 and 1,000 reports.

Run through ``bench.py batch``, which writes the tables into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- bench.py batch: start -->"
END = "<!-- bench.py batch: end -->"


def make_batch(folder: Path, count: int) -> list[Path]:
    """``count`` valid files: the examples in turn, each copy a department of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    examples = sorted((ROOT / "data").glob("*.yaml"))
    made = []
    for n in range(count):
        example = examples[n % len(examples)]
        text = example.read_text(encoding="utf-8")
        department = next(
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("department:")
        )
        path = folder / f"{n:04d}-{example.name}"
        path.write_text(text.replace(department, f"{department}{n:04d}"), encoding="utf-8")
        made.append(path)
    return made


def per_report(sources: list[Path], repeat: int = 5) -> tuple[float, float, float]:
    """Seconds a report, median of ``repeat`` passes over ``sources``: bare docxtpl (template
    opened, rendered with the same context and sandbox, saved to memory), reportgen in a batch
    (validation, compiled-once template, bytes in memory), and reportgen writing each file."""
    from docxtpl import DocxTemplate

    from reportgen.batch.run import render_files
    from reportgen.check.validate import validate_file
    from reportgen.context.fields import build_context
    from reportgen.output.render import render_document
    from reportgen.template.cache import TemplateCache
    from reportgen.template.sandbox import jinja_environment

    jobs = []
    for source in sources:
        outcome = validate_file(source)
        choice = outcome.choice
        assert outcome.report is not None and outcome.derived is not None
        assert choice is not None and choice.layout is not None and choice.plan is not None
        context = build_context(
            outcome.report, outcome.derived, choice.plan, choice.layout.name
        ).as_mapping()
        jobs.append((choice.layout.template, context))

    def bare() -> None:
        for template, context in jobs:
            document = DocxTemplate(str(template))
            document.render(context, jinja_env=jinja_environment())
            document.save(io.BytesIO())

    def ours() -> None:
        cache = TemplateCache()
        for source in sources:
            render_document(validate_file(source), cache=cache)

    with tempfile.TemporaryDirectory() as out:

        def written() -> None:
            for result in render_files(sources, Path(out), jobs=1):
                assert result.exit_code == 0

        samples = {f: [] for f in (bare, ours, written)}  # type: ignore[var-annotated]
        for _ in range(repeat):
            for action, times in samples.items():  # interleaved: the machine's load hits all
                start = time.perf_counter()
                action()
                times.append((time.perf_counter() - start) / len(sources))
    return tuple(statistics.median(samples[f]) for f in (bare, ours, written))  # type: ignore[return-value]


def whole_render(folder: Path, out: Path, jobs: int, pdf: bool = False) -> float:
    """Seconds of ``reportgen render folder`` as a user runs it."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "reportgen", "render", str(folder), "-o", str(out)]
    command += ["-j", str(jobs)] + (["--pdf"] if pdf else [])
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def one_soffice_call(documents: list[Path], out: Path) -> float:
    from reportgen.output.pdf import convert_all_to_pdf

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    converted = convert_all_to_pdf(documents, out)
    elapsed = time.perf_counter() - start
    assert all(isinstance(p, Path) for p in converted), converted
    return elapsed


def pdf_tables(work: Path, rounds: int = 5) -> list[str]:
    """12 reports: one LibreOffice call against the whole ``render --pdf --jobs 2``, taken in
    turn ``rounds`` times (medians: LibreOffice's start varies with what else the machine
    does); then 40 reports, where the start is spread over more files."""
    twelve = work / "12"
    make_batch(twelve, 12)
    docx_dir = work / "12-docx"
    whole_render(twelve, docx_dir, jobs=2)
    documents = sorted(docx_dir.glob("*.docx"))
    singles, batches = [], []
    for _ in range(rounds):
        singles.append(one_soffice_call(documents, work / "12-pdf"))
        batches.append(whole_render(twelve, work / "12-out", jobs=2, pdf=True))
    single, with_pdf = statistics.median(singles), statistics.median(batches)
    forty = work / "40-pdf"
    make_batch(forty, 40)
    forty_pdf = statistics.median(
        whole_render(forty, work / "40-out", jobs=2, pdf=True) for _ in range(3)
    )
    return [
        f"| reports with PDF (median of {rounds} runs taken in turn; 40: of 3) | seconds "
        "| a report |",
        "| --- | --- | --- |",
        f"| one LibreOffice call converting the 12 .docx | {single:.2f} | {single / 12:.3f} |",
        f"| `reportgen render --pdf --jobs 2`, 12 reports (validate, render, convert) "
        f"| {with_pdf:.2f} | {with_pdf / 12:.3f} |",
        f"| ratio of the two (goal ≤ 1.5) | {with_pdf / single:.2f} | |",
        f"| `reportgen render --pdf --jobs 2`, 40 reports | {forty_pdf:.2f} "
        f"| {forty_pdf / 40:.3f} |",
        f"| all runs, 12 reports: one call {_seconds(singles)}; render --pdf {_seconds(batches)} "
        "| | |",
        "",
    ]


def _seconds(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def peak_memory(folder: Path, out: Path, jobs: int = 2) -> tuple[float, float, float]:
    """``reportgen render folder``: seconds, the largest process's peak RSS (MiB) and the
    peak of the RSS summed over the whole process tree, sampled every 20 ms."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "reportgen", "render", str(folder), "-o", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "-j", str(jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
    )
    largest = summed = 0
    while process.poll() is None:
        sizes = _tree_rss(process.pid)
        largest, summed = max(largest, *sizes.values(), 0), max(summed, sum(sizes.values()))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    assert process.returncode == 0
    return elapsed, largest / 1024, summed / 1024


def _tree_rss(group: int) -> dict[int, int]:
    """KiB of VmHWM (each process's own peak) of every process in ``group``."""
    sizes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    sizes[int(entry.name)] = int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return sizes


def spare_cores() -> float:
    """How many cores this run really has: two CPU-bound processes' throughput over one's
    (2.0 on an idle two-core machine, 1.0 when other work takes the second core)."""
    burn = [sys.executable, "-c", "sum(range(3 * 10**7))"]
    start = time.perf_counter()
    subprocess.run(burn, check=True)
    one = time.perf_counter() - start
    start = time.perf_counter()
    both = [subprocess.Popen(burn) for _ in range(2)]
    for process in both:
        process.wait()
    return 2 * one / (time.perf_counter() - start)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at the start "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the machine is shared with other "
        "work, so single timings are noisy; ratios measured side by side are steadier)"
    )


def run() -> str:
    """The batch tables as Markdown."""
    from reportgen.output.pdf import soffice

    lines = [f"Measured {date.today().isoformat()} with `bench.py batch` on {machine()}.", ""]
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        work = Path(tmp)
        forty = make_batch(work / "40", 40)
        bare, ours, written = per_report(forty)
        lines += [
            "| 40-report batch, one process | ms a report | ÷ bare docxtpl |",
            "| --- | --- | --- |",
            f"| bare docxtpl (open, render, save to memory) | {bare * 1000:.1f} | 1.00 |",
            f"| reportgen: validate + render (compiled once) | {ours * 1000:.1f} | {ours / bare:.2f} |",
            f"| reportgen: the same + atomic write of each file | {written * 1000:.1f} "
            f"| {written / bare:.2f} |",
            "",
        ]
        hundred = work / "100"
        make_batch(hundred, 100)
        capacity = spare_cores()
        one = whole_render(hundred, work / "out1", jobs=1)
        two = whole_render(hundred, work / "out2", jobs=2)
        lines += [
            "| `reportgen render` 100 reports | seconds | reports/s |",
            "| --- | --- | --- |",
            f"| --jobs 1 | {one:.2f} | {100 / one:.1f} |",
            f"| --jobs 2 | {two:.2f} | {100 / two:.1f} |",
            f"| throughput jobs 2 ÷ jobs 1 | {one / two:.2f} | |",
            f"| for scale: two CPU-bound processes ÷ one, measured just before | "
            f"{capacity:.2f} | |",
            "",
        ]
        if soffice() is not None:
            lines += pdf_tables(work)
        rows = []
        for count in (100, 1000):
            folder = work / f"mem{count}"
            make_batch(folder, count)
            seconds, largest, summed = peak_memory(folder, work / f"mem{count}-out")
            rows.append(f"| {count} | {seconds:.1f} | {largest:.0f} | {summed:.0f} |")
        lines += [
            "| `render --jobs 2` reports | seconds | largest process peak RSS MiB "
            "| whole process tree, peak of summed RSS MiB |",
            "| --- | --- | --- | --- |",
            *rows,
        ]
    return "\n".join(lines) + "\n"


def write_results(table: str) -> None:
    """Put ``table`` into RESULTS.md between the batch markers (added at the end once)."""
    results = ROOT / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    block = f"{START}\n{table}{END}"
    if START in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## The finance bureau's batch (issue 12)\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
