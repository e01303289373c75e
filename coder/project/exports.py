"""Project part: the Excel/CSV export (see :mod:`coder.export`).

For the GUI: call :meth:`Exports.job` on the main thread (quick checks of the selection,
blinding and the target file), then run :func:`coder.export.run_export` on the job in a worker
with progress and cancel. The job reads the project through a read-only view; export never
writes to the project.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import SessionCoderError
from ..store import Store
from .access import AccessPolicy


class Exports:
    def __init__(self, store: Store, access: AccessPolicy, project) -> None:
        self._store, self._access, self._project = store, access, project

    def job(self, target, options=None, *, csv_dir=None):
        """An :class:`~coder.export.ExportJob` for ``target`` (.xlsx). Raises
        SessionCoderError for an unknown name or a target that cannot be written, and
        BlindingError when a blind rater asks for other raters' codings."""
        from ..export import ExportJob, ExportOptions, check_target, normalise
        options = normalise(options or ExportOptions())
        raters, blind_rater = self._access.export_raters(options.raters)
        options = replace(options, raters=raters)
        self._check_names(options)
        if csv_dir is not None:
            csv_dir = Path(csv_dir)
            if not csv_dir.is_dir():
                raise SessionCoderError(f"{csv_dir}: the CSV folder does not exist")
        project = self._project
        return ExportJob(self._store.read_view(), project.name, Path(project.path),
                         check_target(target), options, blind_rater, csv_dir)

    def process_job(self, target, options=None, *, csv_dir=None):
        """For a child process: the checks of :meth:`job` made now (raising as it does);
        an :class:`~coder.export.in_child.ExportFile` to run with
        ``run_in_process(run_export_file, it)``, or None where a child cannot open the
        project itself (a store that is not a local file: PostgreSQL) and the caller runs
        :meth:`job` on a thread."""
        from ..export.in_child import ExportFile
        job = self.job(target, options, csv_dir=csv_dir)
        path = self._store.local_file
        return None if path is None else ExportFile.of(job, path)

    def workbook(self, target, options=None, *, csv_dir=None, progress=None, cancel=None):
        """Export in one call (headless use); returns an :class:`~coder.export.ExportResult`."""
        from ..export import run_export
        return run_export(self.job(target, options, csv_dir=csv_dir), progress, cancel)

    def sheet_rows(self, sheet: str, transcripts=None) -> list[tuple]:
        """The rows of the workbook's Segments or Codings sheet for what this session may
        read (the analysis API builds its DataFrames from them, so both agree)."""
        from ..export.context import Ctx
        from ..export.sheets_data import coding_rows, segment_rows
        from ..export.ticker import Ticker
        rows_of = {"Segments": segment_rows, "Codings": coding_rows}.get(sheet)
        if rows_of is None and sheet != "Episodes":
            raise SessionCoderError(f"no rows for the sheet {sheet!r}")
        snap = self._project.codings.snapshot(transcripts)
        rows: list[tuple] = []
        with self._store.read_view().snapshot() as conn:
            ctx = Ctx(None, conn, None, snap, snap.codebook, Ticker(None, None, 1), None)
            if sheet == "Episodes":
                from ..export.sheets_feedback import episode_rows
                return list(episode_rows(ctx))
            for tid, name in zip(snap.transcript_ids, snap.transcript_names):
                rows.extend(rows_of(ctx, tid, name))
        return rows

    def _check_names(self, options) -> None:
        raters = self._project.raters.list()
        known = {r.name.casefold() for r in raters} | {str(r.id) for r in raters}
        for name in options.raters or ():
            if name.casefold() not in known:
                names = ", ".join(r.name for r in raters) or "none"
                raise SessionCoderError(f"no rater {name!r} in this project (raters: {names})")
        for name in options.transcripts or ():
            self._project.transcripts.get(name)
        if options.codes is not None:
            book = self._project.codebook.current()
            if book is None:
                raise SessionCoderError("this project has no codebook yet")
            ids = set(book.code_ids()) | {g.id for _, g in book.iter_groups()}
            for cid in options.codes:
                if cid not in ids:
                    raise SessionCoderError(f"no code {cid!r} in codebook '{book.name}'")
        if options.reference is not None:
            chosen = options.raters or tuple(r.name for r in raters)
            if options.reference.casefold() not in {r.casefold() for r in chosen}:
                raise SessionCoderError(f"the reference rater {options.reference!r} is not "
                                        "among the selected raters")
