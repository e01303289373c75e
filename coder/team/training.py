"""Rater training against a gold standard.

One rater's coding of selected transcripts is marked as the **master**. Each trainee who
coded those transcripts gets a report: agreement with the master per code from the
reliability engine (Krippendorff's alpha for unit codes, ICC(A,1) for session globals, with
their intervals, percent agreement beside them), the misses (master applied, trainee did
not) and extras (trainee applied, master did not) with the unit's text, and pass / not yet
against the supervisor's thresholds. Only units both completed are compared; an undefined
statistic is "not yet" with its reason, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store import Connection

from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..reliability.project import build_report, to_json
from ..store.snapshot_read import read_snapshot
from ..store import consensus as cons_store
from ..store import training as store
from ..store import transcripts as trows

DEFAULT_ALPHA, DEFAULT_ICC = 0.80, 0.75


class MarkMaster:
    """Make `rater_id`'s coding of the transcripts the master (None: unmark)."""

    def __init__(self, rater_id: int | None, transcript_ids: list[int]) -> None:
        self.rater_id, self.tids = rater_id, list(transcript_ids)
        self.text = "Mark master coding" if rater_id is not None else "Unmark master coding"
        self._old: dict[int, int] = {}

    def apply(self, conn: Connection) -> ChangeSet:
        old = store.masters(conn)
        self._old = {t: old.get(t) for t in self.tids}
        for t in self.tids:
            store.set_master(conn, t, self.rater_id)
        return ChangeSet(transcripts=frozenset(self.tids))

    def revert(self, conn: Connection) -> ChangeSet:
        for t, r in self._old.items():
            store.set_master(conn, t, r)
        return ChangeSet(transcripts=frozenset(self.tids))


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    label: str
    kind: str
    statistic: str                  # "krippendorff_alpha" | "icc_2_1"
    value: float | None
    ci: tuple[float, float] | None
    undefined_reason: str | None
    percent_agreement: float | None
    percent_agreement_ci: tuple[float, float] | None
    n_units: int
    threshold: float
    passed: bool | None             # None: not assessed (neither rater used the code)


@dataclass(frozen=True)
class Discrepancy:
    transcript: str
    unit_kind: str
    position: int
    text: str
    code: str
    what: str                       # "miss" | "extra" | "differs"
    master: float | bool | None
    trainee: float | bool | None


@dataclass(frozen=True)
class TraineeReport:
    trainee: str
    master: str
    transcripts: tuple[str, ...]
    codes: tuple[CodeAgreement, ...]
    misses: tuple[Discrepancy, ...]
    extras: tuple[Discrepancy, ...]
    differs: tuple[Discrepancy, ...]
    passed: bool

    def as_json(self) -> dict:
        from dataclasses import asdict
        return asdict(self)


def _agreement(entry: dict, alpha: float, icc: float) -> CodeAgreement:
    glob = entry["kind"] == "global"
    name = "icc_2_1" if glob else "krippendorff_alpha"
    stat = entry.get("statistics", {}).get(name) or {}
    value = stat.get("value")
    reason = stat.get("undefined_reason") or entry.get("undefined_reason")
    if value is None and reason is None:
        reason = "not enough units both raters completed"
    threshold = icc if glob else alpha
    pa_stat = entry.get("statistics", {}).get("percent_agreement") or {}
    pa, pa_ci = pa_stat.get("value"), pa_stat.get("ci")
    ci = stat.get("ci")
    n = int(entry.get("n_units") or 0)
    used = glob or any((v or 0) > 0 for v in (entry.get("prevalence") or {}).values()
                       if isinstance(v, (int, float)))
    passed = None if n == 0 or not used else (value is not None and value >= threshold)
    return CodeAgreement(entry["id"], entry.get("label", entry["id"]), entry["kind"], name,
                         value, tuple(ci) if ci else None, reason, pa,
                         tuple(pa_ci) if pa_ci else None, n, threshold, passed)


def _discrepancies(conn: Connection, master: int, trainee: int, tids: list[int],
                   names: dict[int, str], codes) -> tuple[list, list, list]:
    misses, extras, differs = [], [], []
    for tid in tids:
        done = cons_store.completed_pairs(conn, tid, [master, trainee])
        both = {s for s, r in done if r == master} & {s for s, r in done if r == trainee}
        by = {master: {}, trainee: {}}
        for sid, rid, key, value in cons_store.unit_codings(conn, tid, [master, trainee]):
            if sid in both and (codes is None or key in codes):
                by[rid][(sid, key)] = value
        units = {s.id: s for k in ("turn", "sentence", "window")
                 for s in trows.segments_of(conn, tid, k)}
        for sid, key in sorted(set(by[master]) | set(by[trainee]),
                               key=lambda x: (units[x[0]].kind, units[x[0]].position, x[1])):
            u = units[sid]
            m, t = (sid, key) in by[master], (sid, key) in by[trainee]
            mv, tv = by[master].get((sid, key)), by[trainee].get((sid, key))
            row = lambda what, a, b: Discrepancy(names[tid], u.kind, u.position,   # noqa: E731
                                                 u.text, key, what, a, b)
            if m and not t:
                misses.append(row("miss", True if mv is None else mv, False))
            elif t and not m:
                extras.append(row("extra", False, True if tv is None else tv))
            elif mv != tv:
                differs.append(row("differs", mv, tv))
    return misses, extras, differs


def training_reports(conn: Connection, master: str, *, trainees=None, codes=None,
                     alpha: float = DEFAULT_ALPHA, icc: float = DEFAULT_ICC,
                     ci: str = "analytic", replicates: int = 1000, seed: int = 0
                     ) -> list[TraineeReport]:
    """A report per trainee on the transcripts whose master is `master`. Intervals come
    from the reliability engine: analytic where it has one (ICC, percent agreement, kappa,
    AC1), alpha's only with ``ci="bootstrap"`` (resampling transcripts)."""
    raters = cons_store.independent_raters(conn)
    by_name = {n.casefold(): (i, n) for i, n in raters}
    if master.casefold() not in by_name:
        raise SessionCoderError(f"no rater {master!r} in this project")
    mid, mname = by_name[master.casefold()]
    tids = sorted(t for t, r in store.masters(conn).items() if r == mid)
    if not tids:
        raise SessionCoderError(f"no transcript has {mname}'s coding marked as the master; "
                                f"mark some first (training --mark)")
    names = {i.id: i.name for i in trows.list_infos(conn)}
    if trainees is None:
        pool = [(i, n) for i, n in raters if i != mid and any(
            r == i for t in tids for _, r in cons_store.completed_pairs(conn, t, [i]))]
    else:
        pool = []
        for n in trainees:
            if n.casefold() not in by_name:
                raise SessionCoderError(f"no rater {n!r} in this project")
            pool.append(by_name[n.casefold()])
    out = []
    for rid, rname in pool:
        snap = read_snapshot(conn, raters=[mid, rid], transcripts=tids)
        report = to_json(build_report(snap, codes=codes, cuts=(), ci=ci,
                                      replicates=replicates, seed=seed))
        agreements = tuple(_agreement(e, alpha, icc)
                           for e in report["codes"] + report["globals"])
        want = None if codes is None else set(codes)
        misses, extras, differs = _discrepancies(conn, mid, rid, tids, names, want)
        assessed = [a for a in agreements if a.passed is not None]
        out.append(TraineeReport(rname, mname, tuple(names[t] for t in tids), agreements,
                                 tuple(misses), tuple(extras), tuple(differs),
                                 bool(assessed) and all(a.passed for a in assessed)))
    return out
