"""Drift: the same reliability statistics per batch of transcripts over time.

A transcript falls into a batch by the date its independent coding was last worked on (the
latest unit completion by any rater; week ``2026-W49`` or month ``2026-12``), or by a named
round the supervisor set. Batches are whole transcripts, so the engine's unit of
resampling (the session) stays intact. Per batch and code: the chosen statistic with its
interval (default Gwet's AC1 with its analytic interval for unit codes, ICC(A,1) with its
F-based interval for session globals; Krippendorff's alpha with Krippendorff's own bootstrap
interval, Hayes & Krippendorff 2007), and the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..store import Connection

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..reliability.project import build_report, to_json
from ..store.snapshot_read import read_snapshot
from ..store import drift as store
from ..store import transcripts as trows

BATCHINGS = ("week", "month", "round")


@dataclass(frozen=True)
class DriftPoint:
    batch: str
    code: str
    label: str
    kind: str
    statistic: str
    value: float | None
    ci: tuple[float, float] | None
    n_units: int
    undefined_reason: str | None
    used: bool = True              # some rater applied the code in this batch


@dataclass(frozen=True)
class DriftReport:
    by: str
    batches: tuple[tuple[str, tuple[str, ...]], ...]     # (label, transcript names)
    points: tuple[DriftPoint, ...]

    def series(self, code: str) -> list[DriftPoint]:
        return [p for p in self.points if p.code == code]

    def codes(self) -> list[str]:
        return list(dict.fromkeys(p.code for p in self.points))


class SetRound:
    """Put transcripts into a named round (None: take them out)."""

    def __init__(self, transcript_ids: list[int], name: str | None) -> None:
        self.tids, self.name = list(transcript_ids), (name or "").strip() or None
        self.text = f"Set round '{self.name}'" if self.name else "Clear round"
        self._old: dict[int, str | None] = {}

    def apply(self, conn: Connection) -> ChangeSet:
        old = store.rounds(conn)
        self._old = {t: old.get(t) for t in self.tids}
        for t in self.tids:
            store.set_round(conn, t, self.name)
        return ChangeSet(transcripts=frozenset(self.tids))

    def revert(self, conn: Connection) -> ChangeSet:
        for t, n in self._old.items():
            store.set_round(conn, t, n)
        return ChangeSet(transcripts=frozenset(self.tids))


def batch_label(stamp: str, by: str) -> str:
    d = datetime.fromisoformat(stamp)
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return f"{d.year}-{d.month:02d}"


def batches(conn: Connection, by: str = "month") -> list[tuple[str, list[int]]]:
    """(label, transcript ids) in time (or round-name) order; transcripts without any
    completed unit (or without a round) are left out."""
    if by not in BATCHINGS:
        raise SessionCoderError(f"batch by one of {', '.join(BATCHINGS)}, not {by!r}")
    if by == "round":
        labels = store.rounds(conn)
        order = {}
        for tid, stamp in sorted(store.last_completion(conn).items(), key=lambda x: x[1]):
            if tid in labels:
                order.setdefault(labels[tid], stamp)
        for name in labels.values():
            order.setdefault(name, "~")
    else:
        labels = {t: batch_label(s, by) for t, s in store.last_completion(conn).items()}
        order = {lab: lab for lab in labels.values()}
    out: dict[str, list[int]] = {}
    for tid, lab in labels.items():
        out.setdefault(lab, []).append(tid)
    return [(lab, sorted(out[lab])) for lab in sorted(out, key=lambda k: (order[k], k))]


def drift_report(conn: Connection, *, by: str = "month", raters=None, codes=None,
                 statistic: str = "gwet_ac1", global_statistic: str = "icc_2_1",
                 ci: str = "analytic", progress=None, cancel=None) -> DriftReport:
    names = {i.id: i.name for i in trows.list_infos(conn)}
    groups = batches(conn, by)
    points: list[DriftPoint] = []
    for i, (label, tids) in enumerate(groups):
        snap = read_snapshot(conn, raters=raters, transcripts=tids)
        if len(snap.rater_names) < 2:
            continue
        report = to_json(build_report(snap, None, cancel, codes=codes, cuts=(), ci=ci))
        for e in report["codes"] + report["globals"]:
            name = global_statistic if e["kind"] == "global" else statistic
            st = (e.get("statistics") or {}).get(name) or {}
            c = st.get("ci")
            used = (e["kind"] == "global" and bool(e.get("n_units"))) or any(
                isinstance(v, (int, float)) and v > 0
                for v in (e.get("prevalence") or {}).values())
            points.append(DriftPoint(label, e["id"], e.get("label", e["id"]), e["kind"], name,
                                     st.get("value"), tuple(c) if c else None,
                                     int(e.get("n_units") or 0),
                                     st.get("undefined_reason") or e.get("undefined_reason"),
                                     used))
        if progress is not None:
            progress(i + 1, len(groups))
    return DriftReport(by, tuple((lab, tuple(names[t] for t in tids)) for lab, tids in groups),
                       tuple(points))
