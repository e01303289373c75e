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


class TeamAccess:
    """Reads that compare raters are refused while blinding applies (the service's rule)."""

    def __init__(self, engine, blinding_applies=lambda: False) -> None:
        self._engine = engine
        self._blinding_applies = blinding_applies

    @classmethod
    def of(cls, service) -> TeamAccess:
        return cls(service._engine, service.blinding_applies)

    def _check(self) -> None:
        if self._blinding_applies():
            from ..access.coding import BlindingError
            raise BlindingError(TEAM_BLIND_MESSAGE)

    def differences(self, transcript_id: int, kind: str, codes=None,
                    include_agreed: bool = False) -> list[UnitDifference]:
        self._check()
        with self._engine.connect() as conn:
            units = trows.segments_of(conn, transcript_id, kind)
            return differences(conn, units, codes, include_agreed)

    def decisions(self) -> list[dict]:
        self._check()
        with self._engine.connect() as conn:
            return cons_store.decisions(conn)

    def masters(self) -> dict[int, int]:
        with self._engine.connect() as conn:
            return training_store.masters(conn)

    def training(self, master: str, **options) -> list[TraineeReport]:
        self._check()
        with self._engine.connect() as conn:
            return training_reports(conn, master, **options)

    def drift(self, **options) -> DriftReport:
        self._check()
        with self._engine.connect() as conn:
            return drift_report(conn, **options)

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
