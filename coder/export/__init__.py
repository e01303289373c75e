"""Excel (and CSV) export an analyst can use as it is (issue 6).

* :class:`ExportOptions` — which sheets, raters, transcripts, codes; reliability options;
* ``project.exports.job(...)`` — on the main thread: checks names, blinding (through the
  project's access policy) and the target file;
* :func:`run_export` — worker-shaped ``fn(job, progress, cancel) -> ExportResult``;
* ``project.exports.workbook(...)`` — both in one call (headless use, the CLI).

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
    check_target,
    normalise,
)
from .workbook import run_export


__all__ = [
    "RELIABILITY_SHEETS",
    "SHEETS",
    "SHEET_GUIDE",
    "ExportJob",
    "ExportOptions",
    "ExportResult",
    "check_target",
    "normalise",
    "run_export",
]
