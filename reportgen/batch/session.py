"""One ``reportgen render`` run: the inputs found, rendered in worker processes, each outcome
said as it arrives (above the progress bar on a terminal), the tally at the end."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from reportgen.batch.progress import batch_progress
from reportgen.batch.run import BatchTally, default_jobs, input_files, render_files
from reportgen.layout.search import LayoutSearch
from reportgen.output.render import check_output_dir


def render_batch(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    template: Path | None = None,
    strict: bool = False,
    pdf: bool = False,
    table: bool = False,
    jobs: int | None = None,
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> BatchTally:
    """Render every YAML file of ``paths`` (a folder gives its ``*.yaml``) into ``out_dir``
    with ``jobs`` processes (by default one per core); what each file gave is said as it comes.
    """
    started = time.monotonic()
    check_output_dir(out_dir)
    sources = input_files(paths)
    results = render_files(
        sources,
        out_dir,
        template=template,
        strict=strict,
        pdf=pdf,
        table=table,
        jobs=jobs or default_jobs(),
        search=search,
        layout=layout,
    )
    tally = BatchTally(files=len(sources))
    with batch_progress(len(sources)) as progress:
        for result in results:
            progress.advance(result.source)
            progress.report(result)
            tally.add(result)
    tally.seconds = time.monotonic() - started
    return tally
