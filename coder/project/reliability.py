"""Project part: the inter-rater reliability report.

Reliability compares every rater's codings, so the access policy refuses it while blinding
applies (a blind project in the app, or a rater signed in). For the GUI:
:meth:`Reliability.report_job` (or :meth:`Reliability.snapshot_job`) asks the access policy
on the main thread and returns a job that reads the snapshot on the worker's own connection
(a ReadView) and then builds the report, with progress and cancel throughout: reading ~10^6
codings takes seconds, too long for the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..store import Store
from .access import AccessFacts, AccessPolicy


@dataclass(frozen=True)
class SnapshotSource:
    """A snapshot read that another process can run (:meth:`Reliability.process_source`): a
    picklable value naming the project file, the parent session's access facts and the
    selection. Called as a read job ``source(progress=None, cancel=None)``, it opens the file
    itself, applies exactly the parent's access decision (a blind session is refused with the
    same line) and reads the snapshot as :meth:`Reliability.snapshot_job` does.

    ``cache``: the parent store's :attr:`~coder.store.Store.snapshot_cache`. With "warm" (the
    app holds the project for writing) the child opens the file writable for one thing only:
    saving the snapshot cache rows it had to read, as the parent's own read would (a guarded,
    best-effort write that yields to any writer; see :mod:`coder.store.snapshot_cache`).
    Otherwise a report on a file whose cache is cold — a project another version closed, or
    one a large import just changed — read every codings row again on every report (the
    study: 17.6 s each, against 1.0 s warm)."""

    path: str
    project: str
    access: AccessFacts
    raters: object = None
    transcripts: object = None
    file_bytes: int = 0
    cache: str = "use"

    def __call__(self, progress=None, cancel=None):
        from . import read_ahead
        ahead = read_ahead.take(self)
        if ahead is not None:                           # read while the spare waited
            from ..jobs import report as tell
            tell(progress, 0, 0, "codings read ahead")
            return ahead
        store, part = self.open_part()
        try:
            return part.snapshot_job(self.raters, self.transcripts)(progress, cancel)
        finally:
            store.dispose()

    def open_part(self) -> tuple[Store, Reliability]:
        """The file opened here (``cache`` says how) and its reliability part, answering
        with the parent's access facts; the caller disposes of the store."""
        from .codebook import ProjectCodebook
        from .raters import Raters
        store = Store.open(Path(self.path), readonly=self.cache != "warm",
                           check=False)                 # checked at open
        try:
            policy = AccessPolicy.from_facts(self.access, lambda: Raters(
                store, policy, _no_writes).list())
            book = ProjectCodebook(store, _no_writes).current
            return store, Reliability(store, policy, book, self.project)
        except BaseException:
            store.dispose()
            raise

    def read_ahead(self) -> ReadAhead:
        """What a spare child does while it waits (:func:`coder.process_spare.prewarm`'s
        ``ahead``): read this snapshot and hold it for the next call in that process, which
        takes it if nothing was written since (:mod:`coder.project.read_ahead`)."""
        return ReadAhead(self)


@dataclass(frozen=True)
class ReadAhead:
    """:meth:`SnapshotSource.read_ahead`'s work, as a value: two are equal when their sources
    are (a bound method compares its object by identity, so the same read asked for twice
    looked new and the waiting spare was replaced)."""

    source: SnapshotSource

    def __call__(self) -> None:
        from . import read_ahead
        read_ahead.read(self.source)


def _no_writes(_command):
    raise RuntimeError("a snapshot source never writes")


class Reliability:
    def __init__(self, store: Store, access: AccessPolicy, codebook: Callable,
                 project_name: str) -> None:
        self._store, self._access, self._codebook = store, access, codebook
        self._name = project_name

    def snapshot(self, raters=None, transcripts=None):
        """A :class:`~coder.snapshots.ReliabilitySnapshot` of the selected raters' codings and
        completed units on the selected transcripts (names; None for all)."""
        with self._store.read() as conn:
            return self.snapshot_on(conn, raters, transcripts)[1]

    def snapshot_on(self, conn, raters=None, transcripts=None):
        """``(version, snapshot)``: :meth:`snapshot` read on ``conn`` inside one read
        transaction begun here, and the file's ``data_version`` as that transaction sees it
        (:mod:`coder.project.read_ahead` compares it later)."""
        from ..store.snapshot_cache import version_now
        from ..store.snapshot_read import read_snapshot
        self._access.check_reliability()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        version = version_now(conn)
        return version, read_snapshot(conn, self._codebook(), raters=raters,
                                      transcripts=transcripts, project=self._name,
                                      cache=self._store.snapshot_cache)

    def snapshot_job(self, raters=None, transcripts=None):
        """For the GUI: the access policy is asked now (raises BlindingError while blinding
        applies, as :meth:`snapshot` does); the returned job ``fn(progress=None, cancel=None)``
        reads the same snapshot on the worker's own connection inside one read transaction,
        reporting "reading codings" and stopping (Cancelled) when asked, even mid-query."""
        self._access.check_reliability()
        view, book, name = self._store.read_view(), self._codebook(), self._name
        cache = self._store.snapshot_cache

        def read(progress=None, cancel=None):
            from ..jobs import report as tell
            from ..store.snapshot_read import read_snapshot
            tell(progress, 0, 0, "reading codings")
            with view.snapshot() as conn:
                return read_snapshot(conn, book, raters=raters, transcripts=transcripts,
                                     project=name, cancel=cancel, cache=cache)
        return read

    def process_source(self, raters=None, transcripts=None) -> SnapshotSource | None:
        """For a job in a child process: the access policy is asked now (raises as
        :meth:`snapshot_job` does); returns a :class:`SnapshotSource`, or None where a child
        cannot open the project itself (a store that is not a local file: PostgreSQL), and
        the caller keeps :meth:`snapshot_job` on a thread."""
        self._access.check_reliability()
        path = self._store.local_file
        if path is None:
            return None
        return SnapshotSource(str(path.resolve()), self._name, self._access.facts(),
                              raters, transcripts, path.stat().st_size,
                              self._store.snapshot_cache)

    def report_job(self, raters=None, transcripts=None, **options):
        """For the GUI: :meth:`snapshot_job`, then the report of :meth:`report` (same
        ``options``) in the same job ``fn(progress=None, cancel=None)``; progress says
        "reading codings", then counts the report's steps (one per code and cut)."""
        read = self.snapshot_job(raters, transcripts)

        def job(progress=None, cancel=None):
            from ..reliability.project import build_report
            snapshot = read(progress, cancel)
            return build_report(snapshot, progress, cancel, **options)
        return job

    def report(self, raters=None, transcripts=None, *, codes=None, reference: str | None = None,
               ci: str = "analytic", replicates: int = 1000, seed: int = 0,
               scheme: str | None = None, cuts=("per_transcript", "pairs", "reference"),
               progress=None, cancel=None):
        """The reliability report (see :func:`coder.reliability.project.build_report`)."""
        from ..reliability.project import build_report
        snapshot = self.snapshot(raters, transcripts)
        return build_report(snapshot, progress, cancel, codes=codes, reference=reference,
                            ci=ci, replicates=replicates, seed=seed, scheme=scheme, cuts=cuts)

    # -- live agreement (coder.reliability.live) -------------------------------------------
    def live(self):
        """A :class:`~coder.reliability.live.LiveAgreement` over every rater (not the
        consensus layer) and every transcript, filled from a snapshot; keep it current with
        :meth:`live_states` of the units each change set names."""
        from ..reliability.live import LiveAgreement
        return LiveAgreement.from_snapshot(self.snapshot())

    def live_job(self):
        """For the GUI: the access policy is asked now (raises while blinding applies); the
        returned job ``fn(progress=None, cancel=None)`` reads a snapshot on the worker's own
        connection (a ReadView) and builds the live counts, so nothing blocks the GUI."""
        self._access.check_reliability()
        view, book, name = self._store.read_view(), self._codebook(), self._name
        cache = self._store.snapshot_cache

        def job(progress=None, cancel=None):
            # imported here, on the worker: numpy and the statistics stay off the GUI thread
            from ..reliability.live import LiveAgreement
            from ..store.snapshot_read import read_snapshot
            with view.snapshot() as conn:
                snapshot = read_snapshot(conn, book, project=name, cache=cache)
            return LiveAgreement.from_snapshot(snapshot)
        return job

    def live_from_rows(self):
        """The same, built unit by unit from the store's rows (slower; a check on
        `live`)."""
        from ..reliability.live import LiveAgreement, states_from_rows
        from ..store.codings import raters as rater_rows
        from ..store.live_read import live_rows
        self._access.check_reliability()
        with self._store.read() as conn:
            ids = [r.id for r in rater_rows(conn)]
            rows = live_rows(conn, None, None)
        live = LiveAgreement(self._codebook(), ids)
        live.update(states_from_rows(*rows))
        return live

    def live_states(self, changes):
        """The current state of the units a change set names (its segments, and the session
        rows of its transcripts), for :meth:`LiveAgreement.update`."""
        from ..reliability.live import states_from_rows
        from ..store.live_read import live_rows
        self._access.check_reliability()
        segments = sorted(changes.segments)
        transcripts = sorted(t for t in changes.transcripts if t is not None)
        if not segments and not transcripts:
            return []
        with self._store.read() as conn:
            return states_from_rows(*live_rows(conn, segments, transcripts))
