"""The bureau's desk (issue 22): each ratio of a whole reportgen command to the bare work it
stands for, measured on the machine as it is and again with two CPU-bound processes running
beside it (a loaded machine). Wall time and CPU time (user + system of the command and its
children) for each, as medians of runs taken in turn, so that what the machine does meanwhile
hits both sides of a ratio alike.

Run: ``.venv/bin/python benchmarks/bench_desk.py [rounds]`` — prints a Markdown table and
appends it, dated, to benchmarks/RESULTS.md (every run is kept). reportgen's bytecode is
written first, as the README's install does: without it (``PYTHONDONTWRITEBYTECODE`` set, and
a module changed since its bytecode was written) every run compiles that module's source.

The ratios:
- one report: ``reportgen render one.yaml`` ÷ a bare docxtpl process (the same template and
  the same context, read from JSON; autoescaped sandbox) — goal ≤ 1.2;
- start-up: ``reportgen validate one.yaml`` and ``reportgen --help`` ÷ ``python -c "import
  yaml, pydantic"`` — goal ≤ 2.5;
- a batch: ``reportgen render`` of 40 files ÷ one bare docxtpl process rendering the 40 — ≤ 1.0;
- PDF: ``reportgen render --pdf --jobs 2`` of 12 files ÷ one ``soffice --convert-to pdf`` of
  their 12 .docx — goal ≤ 1.3, wall and CPU;
- one PDF: ``reportgen render --pdf`` of one file ÷ (one ``soffice`` call + the bare render).

Beside them, what no change to reportgen's own code can remove:
- the floor of a command: a process that only imports the libraries that command loads (every
  module outside the standard library and reportgen found loaded after it ran, imported by
  name) ÷ the same bare process — the ratio the command would have if reportgen's own modules
  and work cost nothing;
- PDF with the same fonts: the 12-file ``soffice`` call given reportgen's font map
  (``FONTCONFIG_FILE``), so that it embeds the 宋/仿宋/楷体 substitutes our PDFs carry; the
  bare call prints all the text in one sans-serif font, and embeds less.
"""

from __future__ import annotations

import compileall
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV = Path(sys.executable)
REPORTGEN = [str(VENV), "-m", "reportgen"]
EXAMPLE = ROOT / "data" / "panyu-gov-office-2023.yaml"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

_BARE = """
import json, sys
from pathlib import Path
import jinja2.sandbox
from docxtpl import DocxTemplate
jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for n, (template, context) in enumerate(jobs):
    document = DocxTemplate(template)
    document.render(context, jinja_env=jinja2.sandbox.SandboxedEnvironment(autoescape=True))
    document.save(str(Path(sys.argv[2]) / f"{n}.docx"))
"""


_LOADED = """
import runpy, sys
sys.argv = ["reportgen", *sys.argv[1:]]
try:
    runpy.run_module("reportgen", run_name="__main__")
except SystemExit:
    pass
names = sorted(
    name for name in sys.modules
    if name.split(".")[0] not in sys.stdlib_module_names
    and name.split(".")[0] not in ("reportgen", "__main__", "_distutils_hack", "sitecustomize")
    and getattr(sys.modules[name], "__file__", None)  # not a stand-in reportgen put there
)
sys.__stdout__.write("\\n".join(["--- loaded ---", *names]))
"""


def libraries_loaded(arguments: list[str]) -> list[str]:
    """The modules outside the standard library and reportgen that ``reportgen arguments``
    has loaded when it ends."""
    done = subprocess.run(
        [str(VENV), "-c", _LOADED, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=_ENV,
    )
    return done.stdout.split("--- loaded ---")[-1].split()


def floor_command(arguments: list[str]) -> list[str]:
    """A process that imports what ``reportgen arguments`` loads from its libraries, by name,
    and does nothing else."""
    names = libraries_loaded(arguments)
    imports = (
        "import importlib\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"  # a compiled extension's helper module, not importable by name
        "        pass\n"
    )
    return [str(VENV), "-c", imports]


def _plain(value: object) -> object:
    """The template context as JSON: what the bare process renders with."""
    import dataclasses
    from decimal import Decimal

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)  # RichText and the like: their XML, which docxtpl prints as is


def bare_jobs(sources: list[Path], target: Path) -> None:
    from reportgen.check.validate import validate_file
    from reportgen.context.fields import build_context

    jobs = []
    for source in sources:
        outcome = validate_file(source)
        choice = outcome.choice
        assert outcome.report is not None and outcome.derived is not None
        assert choice is not None and choice.plan is not None and choice.layout is not None
        context = build_context(outcome.report, outcome.derived, choice.plan, choice.layout.name)
        jobs.append([str(choice.layout.template), _plain(context.as_mapping())])
    target.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")


def run(
    command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or _ENV
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed: {process.stderr.read() if process.stderr else ''}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


_ENV = dict(os.environ)


def compare(
    ours: Callable[[], tuple[float, float]],
    bare: Callable[[], tuple[float, float]],
    rounds: int,
) -> tuple[float, float, float, float]:
    """Medians of (our wall, our CPU, bare wall, bare CPU), runs taken in turn."""
    ours(), bare()  # warm: files cached, the template prepared once
    mine, theirs = [], []
    for _ in range(rounds):
        mine.append(ours())
        theirs.append(bare())
    return (
        statistics.median(w for w, _ in mine),
        statistics.median(c for _, c in mine),
        statistics.median(w for w, _ in theirs),
        statistics.median(c for _, c in theirs),
    )


def make_batch(folder: Path, count: int) -> list[Path]:
    from benchmarks.bench_batch import make_batch as made

    return made(folder, count)


class Load:
    """Two CPU-bound processes beside the measurement (the machine's two cores busy)."""

    def __enter__(self) -> Load:
        self.burners = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)
        ]
        time.sleep(0.5)
        return self

    def __exit__(self, *_: object) -> None:
        for burner in self.burners:
            burner.kill()
            burner.wait()


def measure(work: Path, rounds: int) -> list[tuple[str, tuple[float, float, float, float], str]]:
    soffice = shutil.which("soffice")
    one = work / "one.json"
    bare_jobs([EXAMPLE], one)
    forty = make_batch(work / "forty", 40)
    forty_jobs = work / "forty.json"
    bare_jobs(forty, forty_jobs)
    make_batch(work / "twelve", 12)
    out = work / "out"

    def fresh(name: str) -> Path:
        folder = out / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    rows = []
    rows.append(
        (
            "one report: `render one.yaml` ÷ bare docxtpl (goal ≤ 1.2)",
            compare(
                lambda: run([*REPORTGEN, "render", str(EXAMPLE), "-o", str(fresh("r1"))]),
                lambda: run([str(VENV), "-c", _BARE, str(one), str(fresh("b1"))]),
                rounds,
            ),
            "",
        )
    )
    render_floor = floor_command(["render", str(EXAMPLE), "-o", str(fresh("floor"))])
    rows.append(
        (
            "floor: the libraries `render one.yaml` loads, imported alone ÷ bare docxtpl",
            compare(
                lambda: run(render_floor),
                lambda: run([str(VENV), "-c", _BARE, str(one), str(fresh("b1"))]),
                rounds,
            ),
            "",
        )
    )
    imports = [str(VENV), "-c", "import yaml, pydantic"]
    validate_floor = floor_command(["validate", str(EXAMPLE)])
    rows.append(
        (
            "floor: the libraries `validate one.yaml` loads, imported alone ÷ `import yaml, pydantic`",
            compare(lambda: run(validate_floor), lambda: run(imports), rounds),
            "",
        )
    )
    rows.append(
        (
            "start-up: `validate one.yaml` ÷ `import yaml, pydantic` (goal ≤ 2.5)",
            compare(
                lambda: run([*REPORTGEN, "validate", str(EXAMPLE)]), lambda: run(imports), rounds
            ),
            "",
        )
    )
    rows.append(
        (
            "start-up: `--help` ÷ `import yaml, pydantic`",
            compare(lambda: run([*REPORTGEN, "--help"]), lambda: run(imports), rounds),
            "",
        )
    )
    rows.append(
        (
            "batch: `render` 40 files (`--jobs 1`) ÷ one bare process rendering 40 (goal ≤ 1.0)",
            compare(
                lambda: run(
                    [*REPORTGEN, "render", str(work / "forty"), "-o", str(fresh("r40")), "-j", "1"]
                ),
                lambda: run([str(VENV), "-c", _BARE, str(forty_jobs), str(fresh("b40"))]),
                rounds,
            ),
            "",
        )
    )
    if soffice is None:
        return rows
    docx12 = fresh("docx12")
    run([*REPORTGEN, "render", str(work / "twelve"), "-o", str(docx12)])
    documents = sorted(str(p) for p in docx12.glob("*.docx"))
    converter = [soffice, "--headless", "--convert-to", "pdf", "--outdir"]

    def ours_pdf12() -> tuple[float, float]:
        twelve = [str(work / "twelve"), "-o", str(fresh("p12")), "--pdf", "-j", "2"]
        return run([*REPORTGEN, "render", *twelve])

    rows.append(
        (
            "PDF: `render --pdf --jobs 2` 12 files ÷ one `soffice` call on their .docx (≤ 1.3)",
            compare(
                ours_pdf12,
                lambda: run([*converter, str(fresh("s12")), *documents]),
                rounds,
            ),
            "",
        )
    )

    from reportgen.output.pdf import fontconfig_file

    fonts = fontconfig_file(work)

    def same_fonts() -> tuple[float, float]:
        return run(
            [*converter, str(fresh("f12")), *documents], env={**_ENV, "FONTCONFIG_FILE": str(fonts)}
        )

    rows.append(
        (
            "PDF: `render --pdf --jobs 2` 12 files ÷ one `soffice` call with the same fonts",
            compare(
                ours_pdf12,
                same_fonts,
                rounds,
            ),
            "",
        )
    )

    def one_pdf_bare() -> tuple[float, float]:
        target = fresh("s1")
        wall, cpu = run([str(VENV), "-c", _BARE, str(one), str(target)])
        more = run([*converter, str(target), str(target / "0.docx")])
        return wall + more[0], cpu + more[1]

    rows.append(
        (
            "one PDF: `render --pdf one.yaml` ÷ (bare render + one `soffice` call)",
            compare(
                lambda: run([*REPORTGEN, "render", str(EXAMPLE), "-o", str(fresh("p1")), "--pdf"]),
                one_pdf_bare,
                rounds,
            ),
            "",
        )
    )
    return rows


def table(rows: list[tuple[str, tuple[float, float, float, float], str]], load: str) -> list[str]:
    lines = [
        f"| {load} | ours wall s | bare wall s | wall ratio | ours CPU s | bare CPU s | CPU ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, (wall, cpu, bare_wall, bare_cpu), _ in rows:
        lines.append(
            f"| {name} | {wall:.3f} | {bare_wall:.3f} | {wall / bare_wall:.2f} "
            f"| {cpu:.3f} | {bare_cpu:.3f} | {cpu / bare_cpu:.2f} |"
        )
    return lines


def main() -> None:
    rounds = int(sys.argv[1]) if sys.argv[1:] else 7
    compileall.compile_dir(ROOT / "reportgen", quiet=1)  # "bytecode present"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        load_before = os.getloadavg()[0]
        quiet = measure(work, rounds)
        with Load():
            loaded = measure(work, rounds)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"### bench_desk.py, {when}, {rounds} runs each by turns "
        f"(load average {load_before:.1f} before the first table)",
        "",
        *table(quiet, "machine as it is"),
        "",
        *table(loaded, "with two CPU-bound processes beside it"),
        "",
    ]
    print("\n".join(lines))
    with RESULTS.open("a", encoding="utf-8") as stream:
        stream.write("\n".join(lines))


if __name__ == "__main__":
    main()
