"""Excel (and CSV) export an analyst can use as it is (issue 6).

* :class:`ExportOptions` — which sheets, raters, transcripts, codes; reliability options;
* :func:`make_job` — on the main thread: checks names, blinding and the target file;
* :func:`run_export` — worker-shaped ``fn(job, progress, cancel) -> ExportResult``;
* :func:`export_workbook` — both in one call (headless use, the CLI).

The workbook's sheets, in order: README, Codebook, Segments, Codings, Matrix <code> (or
Matrices), Reliability, Pairwise, Confusion, Sessions, Disagreements. The reliability sheets
show the numbers of ``python main.py reliability --json`` (same functions, same selection).
A rater signed in to a blind project gets only their own codings and no reliability sheets.
"""

from .options import (
    RELIABILITY_SHEETS,
    SHEET_GUIDE,
    SHEETS,
    ExportJob,
    ExportOptions,
    ExportResult,
    make_job,
)
from .workbook import run_export


def export_workbook(service, target, options: ExportOptions | None = None, *, csv_dir=None,
                    progress=None, cancel=None) -> ExportResult:
    """Check and run an export in one call."""
    return run_export(make_job(service, target, options, csv_dir=csv_dir), progress, cancel)


__all__ = [
    "RELIABILITY_SHEETS",
    "SHEETS",
    "SHEET_GUIDE",
    "ExportJob",
    "ExportOptions",
    "ExportResult",
    "export_workbook",
    "make_job",
    "run_export",
]
