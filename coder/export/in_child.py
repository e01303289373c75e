"""An export that a spawned child process runs (the GUI's large exports, issue 17).

On the GUI's worker thread the export can neither fork its heavy stages
(:func:`coder.forked.can_fork`: Qt runs other threads) nor give their heap back: the study's
export left the app 150-170 MiB larger. :class:`ExportFile` is a picklable value naming the
project file and the job that ``project.exports.job`` made (the access policy already asked
there: the raters it resolved and whether the session is blind travel with it). Run with
``run_in_process(run_export_file, source)`` (:mod:`coder.process_job`), the child opens the
file read-only itself and runs :func:`~coder.export.run_export`, where forking is safe; the
parent gets the :class:`~coder.export.ExportResult` back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .options import ExportJob, ExportOptions


@dataclass(frozen=True)
class ExportFile:
    path: str                                   # the project file, resolved
    project: str
    target: Path
    options: ExportOptions
    blind_rater: str | None = None
    csv_dir: Path | None = None
    file_bytes: int = 0

    @classmethod
    def of(cls, job: ExportJob, path: Path) -> ExportFile:
        return cls(str(Path(path).resolve()), job.project, job.target, job.options,
                   job.blind_rater, job.csv_dir, Path(path).stat().st_size)


def run_export_file(source: ExportFile, progress=None, cancel=None):
    """The job a child runs: open ``source.path`` read-only, export as the parent asked."""
    from ..store import Store
    from .workbook import run_export
    store = Store.open(Path(source.path), readonly=True, check=False)   # checked at open
    try:
        job = ExportJob(store.read_view(), source.project, Path(source.path), source.target,
                        source.options, source.blind_rater, source.csv_dir)
        return run_export(job, progress, cancel)
    finally:
        store.dispose()
