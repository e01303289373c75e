"""Project part: codings, completed units and notes — always read through the access policy
(a blind project shows a rater only their own work) — and codings as tables in and out."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import SessionCoderError
from ..model import CodingView
from ..store import Store
from ..store import codings as store
from ..store import transcripts as rows
from .access import AccessPolicy


class Codings:
    def __init__(self, store: Store, access: AccessPolicy, perform: Callable,
                 codebook: Callable, project_name: str = "") -> None:
        self._store, self._access, self._perform = store, access, perform
        self._codebook = codebook
        self._name = project_name

    def snapshot(self, transcripts=None):
        """Every coding this session may read (all raters', or under blinding only the
        signed-in rater's) as a frozen :class:`~coder.snapshots.ReliabilitySnapshot`."""
        from ..store import codings as c_store
        from ..store.snapshot_read import read_snapshot
        readable = self._access.readable_raters()
        if readable == [] and self._access.viewer is None:
            self._access.check_reliability()              # says why: protected or blind
        with self._store.read() as conn:
            names = (None if readable is None else
                     [r.name for r in c_store.raters(conn) if r.id in readable])
            return read_snapshot(conn, self._codebook(), raters=names,
                                 transcripts=transcripts, project=self._name,
                                 cache=self._store.snapshot_cache)

    def on(self, segment_ids: list[int]) -> list[CodingView]:
        """Codings the signed-in rater may see on these units."""
        with self._store.read() as conn:
            return store.codings_on_segments(conn, segment_ids, self._access.visible_raters())

    def session_globals(self, transcript_id: int) -> list[CodingView]:
        with self._store.read() as conn:
            return store.codings_of_transcript(conn, transcript_id,
                                               self._access.visible_raters(), globals_only=True)

    def completed(self, segment_ids: list[int], rater_id: int | None = None) -> set[int]:
        rid = self._access.own(rater_id)
        with self._store.read() as conn:
            return store.completed(conn, segment_ids, rid)

    def progress(self, transcript_id: int, kind: str, rater_id: int | None = None
                 ) -> tuple[int, int]:
        """(completed units, all units) of one kind for a rater (default: the signed-in one)."""
        rid = self._access.own(rater_id)
        with self._store.read() as conn:
            return store.progress(conn, transcript_id, kind, rid)

    def notes(self, segment_ids: list[int]) -> dict[int, str]:
        with self._store.read() as conn:
            return store.segment_notes(conn, segment_ids, self._access.own(None))

    def next_unfinished(self, transcript_id: int, kind: str, after: int = 0) -> int | None:
        """Position of the first unit after `after` that the signed-in rater has not
        completed (wrapping round to the start); None when all are done."""
        with self._store.read() as conn:
            positions = rows.unit_positions(conn, transcript_id, kind)
        done = self.completed(list(positions))
        todo = sorted(p for sid, p in positions.items() if sid not in done)
        if not todo:
            return None
        return next((p for p in todo if p > after), todo[0])

    def positions_with_code(self, transcript_id: int, kind: str, code_id: str) -> list[int]:
        """Positions of units where a visible rater applied `code_id`."""
        with self._store.read() as conn:
            positions = rows.unit_positions(conn, transcript_id, kind)
            views = store.codings_on_segments(conn, list(positions),
                                              self._access.visible_raters())
        return sorted({positions[v.segment_id] for v in views if v.code == code_id})

    # -- codings as tables -------------------------------------------------------------
    def import_command(self, path, complete: bool = False, new_raters: bool = False,
                       missing=()):
        """The command that imports a long table of codings (CSV/XLSX); nothing is imported
        if any row is wrong, or if a new rater's name looks like a misspelling of another
        unless `new_raters`. `missing`: value tokens that mean a missing value (besides each
        scale's own). Its `summary` says what was done once performed."""
        from ..coding.table_io import ImportCodings
        return ImportCodings(path, self._book_or_fail(), complete, new_raters, missing)

    def import_table(self, path, complete: bool = False, new_raters: bool = False,
                     missing=()):
        """Import a table of codings now, as one command; returns the command."""
        command = self.import_command(path, complete, new_raters, missing)
        self._perform(command)
        return command

    def import_job(self, path, complete: bool = False, new_raters: bool = False,
                   missing=()):
        """The reading and checking of a codings table as a job for a worker thread:
        ``job(progress=, cancel=) -> PreparedCodings`` reads a read-only view of the project
        and writes nothing; :meth:`import_prepared` makes the command that writes it."""
        from functools import partial
        from ..coding.table_plan import prepare_codings
        return partial(prepare_codings, self._store.read_view(), path, self._book_or_fail(),
                       complete, new_raters, missing)

    def import_prepared(self, prepared):
        """The command that writes a table checked by :meth:`import_job`'s job."""
        from ..coding.table_io import ImportCodings
        return ImportCodings(None, self._book_or_fail(), prepared=prepared)

    def _book_or_fail(self):
        book = self._codebook()
        if book is None:
            raise SessionCoderError("this project has no codebook yet")
        return book

    def export_csv(self, path) -> int:
        """Write codings as CSV (every rater unless blinding applies; then your own).
        Returns the number of rows."""
        from ..atomic import write_atomic
        from ..coding.table_io import export_chunks, write_csv_to
        raters = self._access.readable_raters()
        if raters == [] and self._access.viewer is None:
            self._access.check_reliability()          # says why: protected or blind
        written = []
        with self._store.read_view().snapshot() as conn:   # one consistent state, streamed
            chunks = export_chunks(conn, self._codebook(), raters)
            write_atomic(path, lambda fh: written.append(write_csv_to(fh, chunks)))
        return written[0]
