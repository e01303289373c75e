"""TeamAccess: the team workflow's door for the GUI (reads through one engine; writes are
commands the caller performs, so they land on the undo stack)."""

from __future__ import annotations

from ..store import consensus as cons_store
from ..store import training as training_store
from ..store import transcripts as trows
from .consensus import DecideConsensus, UnitDifference, differences, outcome_of
from .drift import DriftReport, drift_report
from .training import TraineeReport, training_reports


TEAM_BLIND_MESSAGE = ("adjudication, training and drift compare raters, and this project is "
                      "blind: a supervisor can turn blinding off (Project ▸ Blind mode)")


def check_team(access) -> None:
    """Comparing raters (adjudication, training, drift, packages) needs every rater's
    codings: refused while the access policy hides some."""
    if access is None or not access.blinding_applies():
        return
    from ..project.access import BlindingError
    if access.viewer is None and not access.unlocked:
        raise BlindingError("this project is protected: give the supervisor passphrase to "
                            "read every rater's codings")
    raise BlindingError(TEAM_BLIND_MESSAGE)


def check_packages(access) -> None:
    """Exporting or merging a rater package handles that rater's work: a signed-in
    supervisor may, even while the project is blind for the raters; otherwise the rule of
    `check_team` applies."""
    if access is not None and access.blinding_applies() and access.is_supervisor:
        return
    if access is not None and access.blinding_applies() and access.viewer is not None:
        from ..project.access import BlindingError
        raise BlindingError("only a supervisor can export or merge rater packages")
    check_team(access)


class TeamAccess:
    """Reads that compare raters are refused while blinding applies (the service's rule)."""

    def __init__(self, store, access=None) -> None:
        self._store = store
        self._access = access

    @classmethod
    def of(cls, project) -> TeamAccess:
        return cls(project._store, project.access)

    def _check(self) -> None:
        check_team(self._access)

    def differences(self, transcript_id: int, kind: str, codes=None,
                    include_agreed: bool = False) -> list[UnitDifference]:
        self._check()
        with self._store.read() as conn:
            units = trows.segments_of(conn, transcript_id, kind)
            return differences(conn, units, codes, include_agreed)

    def decisions(self) -> list[dict]:
        self._check()
        with self._store.read() as conn:
            return cons_store.decisions(conn)

    def masters(self) -> dict[int, int]:
        with self._store.read() as conn:
            return training_store.masters(conn)

    def training(self, master: str, **options) -> list[TraineeReport]:
        self._check()
        with self._store.read() as conn:
            return training_reports(conn, master, **options)

    def drift(self, **options) -> DriftReport:
        self._check()
        with self._store.read() as conn:
            return drift_report(conn, **options)

    def drift_job(self, **options):
        """The drift report as a job ``fn(progress=None, cancel=None)``: blinding is checked
        now (on the caller's thread); the job reads one consistent state on the worker's own
        connection (``store.read_view()``), as the reliability report's job does."""
        self._check()
        view = self._store.read_view()

        def job(progress=None, cancel=None) -> DriftReport:
            with view.snapshot() as conn:
                return drift_report(conn, progress=progress, cancel=cancel, **options)
        return job

    @staticmethod
    def choose(decided_by: int | None, diff: UnitDifference, rater_id: int,
               reason: str | None = None) -> DecideConsensus:
        """The command 'consensus = this rater's codes on this unit'."""
        return DecideConsensus(decided_by, diff.unit, outcome_of(diff, rater_id),
                               {r.name: r.as_dict() for r in diff.raters}, reason)

    @staticmethod
    def decide(decided_by: int | None, diff: UnitDifference, outcome: dict,
               reason: str | None = None) -> DecideConsensus:
        return DecideConsensus(decided_by, diff.unit, outcome,
                               {r.name: r.as_dict() for r in diff.raters}, reason)

    # -- packages and exchange (the checks of blinding come first) --------------------------
    def export_package(self, rater, out, passphrase=None):
        from .packages import export_package
        check_packages(self._access)
        return export_package(self._store, rater, out, passphrase)

    def plan_import(self, package, passphrase=None, resolution=None):
        from .merge import plan_import
        check_packages(self._access)
        return plan_import(self._store, package, passphrase, resolution)

    def export_qdpx(self, target) -> dict:
        from ..exchange.qdpx_export import export_qdpx
        self._check()
        with self._store.read() as conn:
            return export_qdpx(conn, target)
