"""Consensus and adjudication.

After independent coding, the adjudicator goes through the units where raters differ and
decides the consensus. Consensus is its own layer: the codings of a pseudo-rater (role
``consensus``), created on first use, so no rater's coding is ever overwritten. Each
decision leaves an audit row (who, when, from which raters' codes, the outcome, an optional
reason). Reliability never sees the layer (the reliability snapshot leaves it out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..store import Connection

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..model import Segment
from ..store import codings as cstore
from ..store import consensus as store
from ..store import package_io as io


class ConsensusError(SessionCoderError):
    """A consensus decision that does not fit."""


NOT_APPLIED = False


@dataclass(frozen=True)
class RaterCodes:
    rater_id: int
    name: str
    codes: tuple[tuple[str, float | None], ...]     # (code id, value; None for presence)

    def as_dict(self) -> dict[str, float | None]:
        return dict(self.codes)


@dataclass(frozen=True)
class UnitDifference:
    """One unit where the raters who completed it differ."""

    unit: Segment
    raters: tuple[RaterCodes, ...]
    differing: tuple[str, ...]                      # code ids the raters differ on
    consensus: tuple[tuple[str, float | None], ...] | None   # None: not decided yet

    def all_codes(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.raters:
            for k, _ in r.codes:
                seen.setdefault(k, None)
        return list(seen)


def differences(conn: Connection, units: Sequence[Segment], codes: Sequence[str] | None = None,
                include_agreed: bool = False) -> list[UnitDifference]:
    """Units completed by at least two independent raters whose codes differ (on `codes`,
    default all). ``include_agreed`` also lists the units where they agree."""
    if not units:
        return []
    tid = units[0].transcript_id
    raters = store.independent_raters(conn)
    names = dict(raters)
    rids = [r for r, _ in raters]
    cons = store.consensus_rater(conn)
    done = store.completed_pairs(conn, tid, rids)
    by_unit: dict[tuple[int, int], dict[str, float | None]] = {}
    cons_codes: dict[int, dict[str, float | None]] = {}
    for sid, rid, key, value in store.unit_codings(conn, tid, rids + ([cons] if cons else [])):
        if sid is None or (codes is not None and key not in codes):
            continue
        if rid == cons:
            cons_codes.setdefault(sid, {})[key] = value
        else:
            by_unit.setdefault((sid, rid), {})[key] = value
    cons_done = store.completed_pairs(conn, tid, [cons]) if cons else set()
    out = []
    for u in units:
        who = [r for r in rids if (u.id, r) in done]
        if len(who) < 2:
            continue
        sets = [by_unit.get((u.id, r), {}) for r in who]
        keys = sorted({k for s in sets for k in s})
        differing = tuple(k for k in keys
                          if len({(k in s, s.get(k)) for s in sets}) > 1)
        if not differing and not include_agreed:
            continue
        decided = None
        if (u.id, cons) in cons_done:
            decided = tuple(sorted(cons_codes.get(u.id, {}).items()))
        out.append(UnitDifference(
            u, tuple(RaterCodes(r, names[r], tuple(sorted(s.items())))
                     for r, s in zip(who, sets)), differing, decided))
    return out


def outcome_of(diff: UnitDifference, rater_id: int) -> dict[str, float | None | bool]:
    """The outcome 'as this rater coded it', over every code any rater used on the unit."""
    mine = next(r for r in diff.raters if r.rater_id == rater_id).as_dict()
    return {k: mine[k] if k in mine else NOT_APPLIED for k in diff.all_codes()}


class DecideConsensus:
    """Set the consensus on one unit: ``outcome`` maps code id -> None (applied, presence or
    category), a number (rating), or False (not applied). ``from_raters``: rater name ->
    {code id: value} that the adjudicator saw. Marks the unit completed for the layer."""

    def __init__(self, decided_by: int | None, unit: Segment,
                 outcome: dict[str, float | None | bool], from_raters: dict[str, dict],
                 reason: str | None = None) -> None:
        if not outcome:
            raise ConsensusError("a consensus decision needs at least one code")
        self.decided_by, self.unit, self.outcome = decided_by, unit, dict(outcome)
        self.from_raters, self.reason = from_raters, (reason or "").strip() or None
        self.text = f"Decide consensus on {unit.kind} {unit.position}"
        self._created_rater: int | None = None
        self._inserted: list[int] = []
        self._deleted: list[dict] = []
        self._audit: list[int] = []
        self._marked: list[int] = []

    def apply(self, conn: Connection) -> ChangeSet:
        cons = store.consensus_rater(conn)
        if cons is None:
            cons = self._created_rater = store.add_consensus_rater(conn)
        u = self.unit
        for key, value in self.outcome.items():
            cid = io.code_id(conn, key)
            if cid is None:
                raise ConsensusError(f"no code {key!r} in this project's codebook")
            old = io.codings_at(conn, cons, u.id, u.transcript_id, key)
            cstore.delete_ids(conn, [r["id"] for r in old])
            self._deleted += old
            applied = value is not False
            if applied:
                self._inserted += cstore.insert_codings(conn, [{
                    "transcript_id": u.transcript_id, "segment_id": u.id, "rater_id": cons,
                    "code_id": cid, "value": value, "span_start": None, "span_end": None,
                    "note": None, "codebook_version": _version(conn),
                    "created_at": cstore.now()}])
            seen = {name: (codes.get(key, False) if key in codes else False)
                    for name, codes in self.from_raters.items()}
            self._audit.append(store.add_decision(
                conn, transcript_id=u.transcript_id, segment_id=u.id, code_key=key,
                decided_by=self.decided_by, from_raters=seen,
                outcome={"applied": applied, "value": None if not applied else value},
                reason=self.reason))
        self._marked = cstore.mark_completed(conn, [u.id], cons)
        return ChangeSet(segments=frozenset({u.id}), codes=frozenset(self.outcome),
                         raters=frozenset({cons}))

    def revert(self, conn: Connection) -> ChangeSet:
        cons = store.consensus_rater(conn)
        store.drop_decisions(conn, self._audit)
        cstore.delete_ids(conn, self._inserted)
        cstore.restore_rows(conn, self._deleted)
        cstore.unmark_completed(conn, self._marked, cons)
        if self._created_rater is not None:
            store.drop_rater(conn, self._created_rater)
        self._inserted, self._deleted, self._audit, self._marked = [], [], [], []
        self._created_rater = None
        return ChangeSet(segments=frozenset({self.unit.id}), codes=frozenset(self.outcome),
                         raters=frozenset({cons}))


def _version(conn: Connection) -> int:
    from ..store import codebooks as cb_store
    return cb_store.latest_version(conn)
