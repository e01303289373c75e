"""Run an export: ``run_export(job, progress, cancel) -> ExportResult`` (worker-shaped).

Everything is read inside one read transaction on a fresh connection (a consistent view
while coding goes on; SQLite WAL readers never block writers), and nothing is written to
the project. The workbook is built with openpyxl in write-only mode: every sheet streams to
its own temporary file as rows come, so memory stays flat; sheets are created in the
standard order up front and filled in any order (README last, when its facts are known).
The .xlsx is then zipped into a temporary file beside the target and renamed into place
(:func:`coder.atomic.write_atomic`): a crash or a cancel leaves the old file (or none).
"""

from __future__ import annotations

import os
import time
from datetime import UTC
from pathlib import Path

from openpyxl import Workbook

from ..atomic import write_atomic
from ..forked import can_fork
from ..heap import map_large_blocks
from ..reliability.project import build_report_with, data_matrices
from ..store.snapshot_read import codings_reader, read_snapshot
from .context import Ctx
from .stats_source import LazyMatrices, report_with_by_item
from .table import continued
from .marker import mark_workbook
from .options import ExportJob, ExportResult, check_target
from .ticker import Ticker, expand_codes
from ..store.export_read import counts
from .sheets_data import write_codebook, write_codings, write_readme, write_segments
from .sheets_feedback import write_episodes, write_measures, write_profile
from .sheets_sessions import differing_at, write_disagreements, write_sessions
from .sheets_confusion import write_confusion
from .sheets_reference import write_reference
from .sheets_team import TEAM_SHEETS, WRITERS, consensus_rater, has_data
from .sheets_stats import (
    sheet_title,
    write_matrices,
    write_matrix,
    write_pairwise,
    write_reliability,
)


#: Statistics item by item and matrices built when a sheet reads them (flat memory in the
#: number of transcripts); False: the whole selection's report and every matrix at once.
STREAM_STATS = True
#: The statistics item by item and the heavy sheets' rows (Matrix, Sessions, Disagreements)
#: made in short-lived forked children, where forking is safe (the CLI, a spawned job; never
#: on a GUI thread: coder.forked.can_fork) and the store is SQLite: what building matrices
#: and reading codings allocates goes back to the system with each child, so the heap of
#: this process does not keep it (issue 17). False: everything here (the tests compare).
FORK_STAGES = True
#: ... for a selection of at least this many units × raters (a child costs ~25 ms: below it,
#: a small export would take seconds longer for memory that does not matter).
FORK_FROM_CELLS = 200_000
#: The report's cuts the sheets show (Pairwise, Reference, Confusion): no sheet shows the
#: per-transcript cut, so the export does not compute it.
EXPORT_CUTS = ("pairs", "reference")


class _CancellableFile:
    """A binary file that checks for cancel while the zip is written."""

    def __init__(self, fh, ticker: Ticker) -> None:
        self._fh, self._ticker, self._n = fh, ticker, 0

    def write(self, data) -> int:
        self._n += 1
        if self._n % 64 == 0:
            self._ticker.check()
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)


def _save(wb, fh, ticker: Ticker) -> None:
    """openpyxl's save_workbook (with streamed rows spliced in, see rowxml), closing the
    zip also when writing fails (else its finaliser writes into a closed file later)."""
    from datetime import datetime
    from zipfile import ZIP_DEFLATED, ZipFile

    from .rowxml import SplicingExcelWriter
    wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    archive = ZipFile(_CancellableFile(fh, ticker), "w", ZIP_DEFLATED, allowZip64=True)
    try:
        SplicingExcelWriter(wb, archive).save()
    except BaseException:
        try:
            archive.close()
        except BaseException:
            pass
        raise


def _cleanup(wb) -> None:
    """Finish and remove the per-sheet temporary files after a failure or a cancel."""
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    from .rowxml import discard_all
    discard_all(wb)
    for ws in getattr(wb, "_sheets", []):
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()                            # ends the XML stream cleanly
        except Exception:
            pass
        out = getattr(writer, "out", None)
        if isinstance(out, str) and os.path.exists(out):
            os.remove(out)
        if out in ALL_TEMP_FILES:
            ALL_TEMP_FILES.remove(out)


def run_export(job: ExportJob, progress=None, cancel=None) -> ExportResult:
    """Write the workbook (and CSV files) that ``job`` describes. Raises
    :class:`coder.segmentation.Cancelled` when cancelled, SessionCoderError for problems."""
    started = time.perf_counter()
    o = job.options
    with job.view.snapshot() as conn:                # one consistent read view
        return _export(conn, job, o, progress, cancel, started)


def _export(conn, job: ExportJob, o, progress, cancel, started: float) -> ExportResult:
    ticker = Ticker(progress, cancel, 1)
    ticker.stage("Reading the project")
    map_large_blocks()          # each item's matrices go back to the system when freed
    # Without codings when the statistics go item by item: each item's codings, and each
    # stretch of transcripts' for Sessions and Disagreements, are read when needed
    # (ctx.codings), so the selection's codings are never held at once (issue 17).
    snap = read_snapshot(conn, None, raters=o.raters, transcripts=o.transcripts,
                         project=job.project, codings=not STREAM_STATS)
    book = snap.codebook
    sheets = job.sheets
    n_units, n_codings = counts(conn, list(snap.transcript_ids), list(snap.rater_ids))
    _check_rows(sheets, n_codings if not o.codes else 0)
    stats = any(s in sheets for s in ("Matrix", "Reliability", "Pairwise", "Reference",
                                      "Confusion", "Disagreements"))
    total = n_units * (("Segments" in sheets) + ("Codings" in sheets) * 0.5)
    total += n_codings * ("Codings" in sheets) + 50
    ticker.total = int(total) + (1000 if stats else 0)
    ctx = Ctx(None, conn, job, snap, book, ticker, expand_codes(book, o.codes))
    read = codings_reader(conn, snap)        # the units' lookup made once, shared by children
    ctx.codings = lambda codes=None, transcripts=None: read(codes, transcripts, cancel)
    ctx.fork = (FORK_STAGES and STREAM_STATS and conn.dialect.name == "sqlite"
                and snap.n_units * len(snap.rater_ids) >= FORK_FROM_CELLS and can_fork())
    if job.blind_rater is None:          # the consensus layer is its own rater column
        ctx.consensus = consensus_rater(conn)
    if stats:
        ticker.stage("Computing reliability")
        base = ticker.done

        def step(done: int, all_: int, *_):
            ticker.done = base + int(1000 * done / max(all_, 1))
            ticker.advance(0)
        options = dict(codes=o.codes, reference=o.reference, ci=o.ci,
                       replicates=o.replicates, seed=o.seed, scheme=o.scheme)
        # Disagreements' units found while each item's matrix is made for its statistics
        also = differing_at if "Disagreements" in sheets else None
        if STREAM_STATS:        # one item's matrices at a time (stats_source)
            ctx.report, found = report_with_by_item(
                snap, also, step, cancel, read=_item_reader(ctx), fork=ctx.fork,
                cuts=EXPORT_CUTS, **options)
            ctx.matrices = LazyMatrices(snap, o.codes, read=_item_reader(ctx))
        else:                   # the whole-selection path (kept; the tests compare the two)
            ctx.report, found = build_report_with(snap, also, step, cancel, **options)
            ctx.matrices = data_matrices(snap, o.codes)
        ctx.differing = {key: found[key] for key in ctx.matrices.keys() if key in found}
        ticker.done = base + 1000
    wb = Workbook(write_only=True)
    mark_workbook(wb)                       # so imports can tell it from a transcript
    ctx.wb = wb
    try:
        plan = _plan(wb, ctx, sheets)
        for name, fn in plan[1:] + plan[:1]:          # README last: it sums up the others
            ticker.stage(name)
            fn()
        names = [ws.title for ws in wb.worksheets]
        csv_files: list[Path] = []
        if job.csv_dir is not None:
            csv_files = write_csv(ctx, job.csv_dir)
        ticker.stage("Saving")
        check_target(job.target)                      # it may have changed meanwhile
        write_atomic(job.target, lambda fh: _save(wb, fh, ticker))
    except BaseException:
        _cleanup(wb)
        raise
    ticker.done = ticker.total
    ticker.stage("Done")
    return ExportResult(job.target, tuple(names), dict(ctx.rows), tuple(csv_files),
                        time.perf_counter() - started, dict(continued(wb)))


def _item_reader(ctx: Ctx):
    """``read(codes)`` for :mod:`.stats_source`: the snapshot with those codes' codings."""
    return lambda codes: ctx.codings(codes=codes)


def _check_rows(sheets, n_codings: int) -> None:
    """With continuation sheets off (``table.CONTINUE = False``), refuse up front a Codings
    sheet longer than Excel allows (it has a row per coding at least; `n_codings` is 0 when
    codes are filtered); any other overflow is caught by
    :class:`~coder.export.table.Table` as it happens, before the save. With them on (the
    default) a long table goes on on "<sheet> (2)", ... (see ``Table``)."""
    from . import table
    if table.CONTINUE:
        return
    if "Codings" in sheets and n_codings + 1 > table.MAX_ROWS:
        raise table.too_many_rows("Codings", f"at least {n_codings:,}")


def write_csv(ctx: Ctx, folder: Path) -> list[Path]:
    from .csv_out import write_csv_files
    return write_csv_files(ctx, folder)


def _plan(wb, ctx: Ctx, sheets: tuple[str, ...]) -> list[tuple[str, object]]:
    """Create the sheets in the standard order; returns (name, writer) pairs."""
    plan = []
    taken: set[str] = set()
    for name in sheets:
        if name == "Matrix":
            keys = list((ctx.matrices or {}).keys())
            if len(keys) > ctx.job.options.matrix_sheets:
                ws = wb.create_sheet(sheet_title("Matrices", "", taken).strip())
                plan.append(("Matrices", lambda ws=ws: write_matrices(ctx, ws)))
            else:
                for key in keys:        # each matrix built when its sheet is written
                    ws = wb.create_sheet(sheet_title("Matrix", key, taken))
                    plan.append((ws.title, lambda ws=ws, key=key: write_matrix(
                        ctx, ws, key)))
            continue
        if name == "Reference":                # only with a reference rater
            if ctx.report is not None and ctx.report.reference is not None:
                ws = wb.create_sheet(name)
                plan.append((name, lambda ws=ws: write_reference(ctx, ws)))
            continue
        if name in TEAM_SHEETS:
            if has_data(ctx.conn, name):
                ws = wb.create_sheet(name)
                plan.append((name, lambda ws=ws, fn=WRITERS[name]: fn(ctx, ws)))
            continue
        taken.add(name.casefold())
        ws = wb.create_sheet(name)
        fn = {"Codebook": write_codebook, "Segments": write_segments,
              "Codings": write_codings, "Reliability": write_reliability,
              "Pairwise": write_pairwise, "Confusion": write_confusion,
              "Sessions": write_sessions, "Disagreements": write_disagreements,
              "Episodes": write_episodes, "Profile": write_profile,
              "Measures": write_measures}.get(name)
        if name == "README":
            plan.append((name, lambda ws=ws: write_readme(
                ctx, ws, [w.title for w in wb.worksheets])))
        else:
            plan.append((name, lambda ws=ws, fn=fn: fn(ctx, ws)))
    if not plan or plan[0][0] != "README":
        plan.insert(0, ("", lambda: None))
    return plan
