"""Codings as a long table, in and out: one row per rater x unit x code.

Columns: ``transcript`` (its name), ``segment`` (1-based position among that transcript's
units of the code's unit kind; empty for a session global), ``rater``, ``code`` (code id),
``value`` (empty for presence and category codes; a number for ratings and globals), and
an optional ``note``. Import checks every row first and imports nothing if any is wrong;
`ImportCodings` is a command, so an import is one undoable step.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from ..codebook import Codebook
from ..commands import ChangeSet
from ..errors import InputError
from ..jobs import Cancel, Progress, check, report
from ..store import codebooks as cb_store
from ..store import codings as store
from ..store import bulk_codings as bulk
from ..store.snapshot_cache import triggers_suspended
from ..store import transcripts as t_store
from .table_units import _codeable_units
from .table_rows import COLUMNS, REQUIRED, Rows, read_rows  # noqa: F401 (read_rows: API)
from .table_plan import (  # noqa: F401 (RaterNamesError, prepare_codings: API)
    PreparedCodings,
    RaterNamesError,
    _number,
    missing_tokens,
    plan_table,
    prepare_codings,
)

if TYPE_CHECKING:
    from ..store import Connection


class ImportCodings:
    """Import a long table of codings; with `complete`, mark every unit of each transcript
    in it that some code applies to as completed by each rater who appears for that
    transcript (a unit no code can apply to is never "not applied").

    Checks are set-based against the units and codebook loaded once; rows go in through one
    compiled INSERT with executemany and completions one INSERT ... SELECT per transcript and
    rater, all in the command's one transaction. Set `progress(done, total, message)` and
    `cancel()` (coder.jobs) before performing to follow or stop a long import."""

    def __init__(self, path: Path | None, codebook: Codebook, complete: bool = False,
                 new_raters: bool = False, missing=(), *,
                 prepared: PreparedCodings | None = None) -> None:
        """``missing``: value tokens that mean "missing" (besides each scale's own).
        ``prepared``: a table already read and checked by the job
        :func:`~.table_plan.prepare_codings` (the app does that off the GUI thread); the
        command then only writes it (``path``, ``complete``, ``new_raters`` and ``missing``
        come from it)."""
        if prepared is not None:
            path, complete = prepared.path, prepared.complete
            new_raters, missing = prepared.new_raters, prepared.missing
        self.path, self.codebook, self.complete = Path(path), codebook, complete
        self.new_raters = new_raters      # create new raters even when they look like typos
        self.missing = missing_tokens(missing)
        self.prepared = prepared
        self.rows = None if prepared is not None else read_rows(self.path)
        self.created_names: list[str] = []
        self.text = f"Import codings from {self.path.name}"
        self.summary = ""
        self.progress: Progress | None = None
        self.cancel: Cancel | None = None
        self._id_range = (0, 0)
        self._replaced: list[dict] = []
        self._raters_created: list[int] = []
        self._completed: list[tuple[int, int, list[tuple]]] = []

    def authorize(self, policy) -> None:
        """Writing any rater's codings from a table is a supervisor's act in a protected
        project."""
        policy.check_bulk_codings()


    def _plan(self, conn: Connection):
        """The checked rows: the prepared ones (after checking that their transcripts are
        still there), or the table checked now."""
        if self.prepared is None:
            return plan_table(conn, self.path, self.rows, self.codebook,
                              new_raters=self.new_raters, missing=self.missing,
                              progress=self.progress, cancel=self.cancel)
        plan = self.prepared.plan
        known = {t.id for t in t_store.list_infos(conn)}
        if not set(plan.transcripts) <= known:
            raise InputError(f"{self.path.name}: the project's transcripts changed while the "
                             "table was checked; nothing was imported, import it again")
        return plan, self.prepared.n_missing

    def apply(self, conn: Connection) -> ChangeSet:
        # A cancelled or failed apply was rolled back: start from nothing each time.
        self._replaced, self._raters_created, self._completed = [], [], []
        self.created_names = []
        plan, n_missing = self._plan(conn)
        existing = {r.name.casefold(): r for r in store.raters(conn, include_consensus=True)}
        rater_ids = []
        for name in plan.rater_names:
            r = existing.get(name.casefold())
            if r is None:
                initials = "".join(w[0] for w in name.split()[:3]).upper() or "R"
                r = store.add_rater(conn, name, initials, "rater")
                self._raters_created.append(r.id)
                self.created_names.append(r.name)
            rater_ids.append(r.id)
        ids = store.code_ids_by_key(conn)
        code_ids = [ids[k] for k in plan.code_keys]
        version = cb_store.latest_version(conn)
        transcripts = sorted(set(plan.transcripts))
        # the transcripts' cache rows go once; a large insert rebuilds the indexes after it
        with triggers_suspended(conn, transcripts), bulk.indexes_deferred(conn, len(plan)):
            return self._write(conn, plan, n_missing, rater_ids, code_ids, version,
                               transcripts)

    def _write(self, conn: Connection, plan, n_missing: int, rater_ids: list[int],
               code_ids: list[int], version, transcripts: list[int]) -> ChangeSet:
        """The rows and completions, on `transcripts` only (see `apply`)."""
        n = len(plan)
        old_raters = [rid for rid in rater_ids if rid not in self._raters_created]
        old = {}
        for row_id, tid, sid, rid, code_id in bulk.existing_keys(conn, transcripts, old_raters):
            old[(tid, sid or 0, rid, code_id)] = row_id
        if old:
            replaced = [old[k] for k in zip(plan.transcripts, plan.segments,
                                            (rater_ids[i] for i in plan.raters),
                                            (code_ids[i] for i in plan.codes)) if k in old]
            self._replaced = bulk.rows_by_ids(conn, replaced)
            bulk.delete_ids(conn, replaced)
        stamp = store.now()
        notes, isnan = plan.notes, math.isnan

        def rows():
            for i, (tid, sid, ri, ci, value) in enumerate(zip(
                    plan.transcripts, plan.segments, plan.raters, plan.codes, plan.values)):
                yield (tid, sid or None, rater_ids[ri], code_ids[ci],
                       None if isnan(value) else value, notes.get(i), version, stamp)

        def inserted(done: int) -> None:
            check(self.cancel)
            report(self.progress, done, n, "writing codings")
        low = bulk.max_coding_id(conn)
        bulk.insert_many(conn, rows(), inserted)
        self._id_range = (low, bulk.max_coding_id(conn))
        done = 0
        if self.complete:
            done = self._complete(conn, plan, rater_ids, stamp)
        self.summary = (f"{n} coding(s) imported ({len(self._replaced)} replaced), "
                        f"{len(self._raters_created)} new rater(s)"
                        + (f" ({', '.join(self.created_names)})" if self.created_names else "")
                        + (f", {done} unit(s) marked completed" if self.complete else "")
                        + (f", {n_missing} row(s) with a missing value left out"
                           if n_missing else ""))
        return ChangeSet(segments=frozenset(s for s in plan.segments if s),
                         transcripts=frozenset(transcripts),
                         codes=frozenset(plan.code_keys),
                         raters=frozenset(r.id for r in store.raters(
                             conn, include_consensus=True)))

    def _complete(self, conn: Connection, plan, rater_ids: list[int], stamp: str) -> int:
        """Mark each transcript's codeable units completed by each rater with rows on it;
        remembers what each (transcript, rater) had before, for undo. A rater this import
        created had nothing; transcripts whose every unit is codeable are marked together,
        one statement per rater."""
        pairs = sorted({(tid, rater_ids[ri]) for tid, ri in zip(plan.transcripts,
                                                                plan.raters)})
        codeable: dict[int, list[int] | None] = {}
        whole: dict[int, list[int]] = {}           # rater -> transcripts to mark whole
        done = 0
        for k, (tid, rid) in enumerate(pairs):
            if k % 50 == 0:
                check(self.cancel)
                report(self.progress, k, len(pairs), "marking units completed")
            new_rater = rid in self._raters_created
            before = [] if new_rater else bulk.completions_on(conn, tid, rid)
            if tid not in codeable:
                codeable[tid] = _codeable_units(conn, tid, self.codebook)
            if codeable[tid] is None:
                whole.setdefault(rid, []).append(tid)
            else:
                done += bulk.complete_all(conn, tid, rid, stamp, only=codeable[tid])
            self._completed.append((tid, rid, before))
        for rid, tids in whole.items():
            check(self.cancel)
            done += bulk.complete_transcripts(conn, tids, rid, stamp)
        return done

    def revert(self, conn: Connection) -> ChangeSet:
        for tid, rid, before in self._completed:
            bulk.uncomplete_all(conn, tid, rid, before)
        bulk.delete_above(conn, *self._id_range)
        store.restore_rows(conn, self._replaced)
        store.delete_raters(conn, self._raters_created)
        self._id_range, self._replaced, self._raters_created, self._completed = (0, 0), [], [], []
        self.created_names = []
        return ChangeSet(codes=frozenset(), raters=frozenset())


def export_rows(conn: Connection, codebook: Codebook | None, rater_ids: list[int] | None
                ) -> list[list[str]]:
    """Every coding (of `rater_ids`, or all) as table rows, in a stable order."""
    return [row for chunk in export_chunks(conn, codebook, rater_ids) for row in chunk]


def export_chunks(conn: Connection, codebook: Codebook | None, rater_ids: list[int] | None
                  ) -> Iterator[list[list[str]]]:
    """The rows of :func:`export_rows`, one transcript at a time (so memory holds one
    transcript's rows, whatever the project's size). Order: transcript name, units before
    session globals, unit position, rater name, codebook order, code id."""
    order = {cid: i for i, cid in enumerate(codebook.code_ids())} if codebook else {}
    names = {t.id: t.name for t in t_store.list_infos(conn)}
    raters = {r.id: r.name for r in store.raters(conn, include_consensus=True)}
    tids = sorted(names, key=names.get)
    for tid, rows in zip(tids, store.export_chunks(conn, tids, rater_ids)):
        name, out = names[tid], []
        for position, rid, key, value, note in rows:
            value = "" if value is None else (f"{int(value)}" if value == int(value)
                                              else repr(value))
            pos = "" if position is None else str(position)
            out.append((pos == "", int(pos or 0), raters[rid], order.get(key, len(order)),
                        key, [name, pos, raters[rid], key, value, note or ""]))
        out.sort(key=lambda r: r[:5])
        yield [r[-1] for r in out]


def write_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 CSV with a header; cells that a spreadsheet would run as a formula are quoted
    as text with a leading apostrophe."""
    buf = io.BytesIO()
    write_csv_to(buf, [rows])
    return buf.getvalue()


def write_csv_to(fh: BinaryIO, chunks: Iterable[list[list[str]]]) -> int:
    """:func:`write_csv` to a binary file, a chunk of rows at a time. Returns the number of
    rows written."""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    n = 0
    for rows in chunks:
        writer.writerows([_safe(c) for c in row] for row in rows)
        n += len(rows)
    text.flush()
    text.detach()
    return n


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell) else cell


def _unquote(cell: str) -> str:
    """Undo `_safe`: a leading apostrophe before = + - @ was added on export."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def _is_number(text: str) -> bool:
    return _number(text) is not None
