"""Live reliability: Krippendorff's alpha per code, kept up to date unit by unit.

Alpha at every level is a function of the coincidence matrix o_ck (coder.reliability.alpha),
and o_ck is a sum over units. So the sufficient statistics are, per code (item) and per
transcript, the coincidence counts; a change to one unit subtracts that unit's old
contribution and adds its new one. A unit contributes (n_c n_k - [c = k] n_c) / (m - 1); the
counts are kept multiplied by L = lcm(1 .. raters - 1), which makes every contribution an
integer, so adding and subtracting is exact and an updated state equals a fresh one built
from the same rows, bit for bit, after any sequence of edits and undos.

The values follow the report's data matrices (coder.reliability.project.matrices) exactly:
presence = 1 where the rater applied the code, 0 where they completed the unit without it,
missing otherwise; a category set = the member's position (the later member if two);
ratings and session globals = the value when it is on the scale; only units in the code's
scope count; the consensus layer is not a rater. Pure: it is fed `UnitState` values (what
the store says about a unit now) and never reads anything itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from types import SimpleNamespace

import numpy as np

from ..codebook import Codebook
from ..coding.scope import applies_to
from .alpha import alpha_from_coincidences
from .project.matrices import LEVEL_OF, Item, _categories, plan_items
from .result import FEWER_THAN_TWO_RATERS, StatResult, undefined

SESSION = "session"


@dataclass(frozen=True)
class UnitState:
    """One unit as stored now: a segment (`unit` = its id) or a transcript's session row
    for the globals (`unit` = -transcript id, `kind` = "session")."""

    unit: int
    transcript: int
    kind: str
    role: str
    done: frozenset[int]                                # raters who completed it
    codings: tuple[tuple[int, str, float | None], ...]  # (rater id, code id, value)


class LiveAgreement:
    """Per-code coincidence counts per transcript for the given raters; `update` with the
    current state of changed units, `alpha(key)` / `alpha(key, transcript)` to read.

    Per item the category counts of every unit are one integer array (units x categories),
    so a project of 50,000 units and 40 codes holds a few megabytes; `from_snapshot` fills
    them with numpy from the report's own data matrices."""

    def __init__(self, codebook: Codebook, rater_ids) -> None:
        self.codebook = codebook
        self.raters = tuple(rater_ids)
        self._col = {r: i for i, r in enumerate(self.raters)}
        self.items = plan_items(SimpleNamespace(codebook=codebook))
        self._item = {i.key: i for i in self.items}
        self.scale = math.lcm(*range(1, max(2, len(self.raters))))
        self._cats = {}
        for item in self.items:
            values, _ = _categories(item)
            self._cats[item.key] = {v: i for i, v in enumerate(values)}
        self._scope: dict[tuple[str, str, str], bool] = {}
        self._row: dict[int, int] = {}                  # unit id -> row of the count arrays
        self._transcript = np.zeros(0, dtype=np.int64)  # row -> transcript id
        self._n: dict[str, np.ndarray] = {i.key: np.zeros((0, len(self._cats[i.key])),
                                                          dtype=np.int32) for i in self.items}
        self._used: dict[tuple[str, int | None], int] = {}
        self._o: dict[tuple[str, int], np.ndarray] = {}
        self._pooled: dict[str, np.ndarray] = {}

    @classmethod
    def from_snapshot(cls, snapshot) -> LiveAgreement:
        """Counts for every unit of a ReliabilitySnapshot (all its raters), built from the
        matrices the report uses (coder.reliability.project.matrices.full_matrix)."""
        from .project.matrices import Tables, full_matrix
        live = cls(snapshot.codebook, snapshot.rater_ids)
        t_ids = np.asarray(snapshot.transcript_ids, dtype=np.int64)
        units = np.concatenate([np.asarray(snapshot.seg_id, dtype=np.int64), -t_ids])
        live._rows(units, np.concatenate([t_ids[snapshot.seg_transcript], t_ids]))
        tables = Tables(snapshot)
        n_seg = snapshot.n_units
        for item in live.items:
            m = full_matrix(tables, item)
            rows = np.where(m.unit_index >= 0, m.unit_index, n_seg + m.clusters.astype(np.int64))
            q = len(_categories(item)[0])
            codes = m.coded.codes        # category positions (the matrix's float values unmade)
            counts = np.zeros((rows.size, q), dtype=np.int32)
            for c in range(q):
                for j in range(codes.shape[1]):
                    counts[:, c] += codes[:, j] == c
            live._n[item.key][rows] = counts
            live._add_many(item.key, rows, counts, 1)
        return live

    def _rows(self, units: np.ndarray, transcripts: np.ndarray) -> None:
        """Give new units rows in the count arrays."""
        start = self._transcript.size
        for k, u in enumerate(units.tolist()):
            self._row[u] = start + k
        self._transcript = np.concatenate([self._transcript, transcripts])
        for key, n in self._n.items():
            self._n[key] = np.vstack([n, np.zeros((units.size, n.shape[1]), dtype=np.int32)])

    # -- feeding ---------------------------------------------------------------------------
    def update(self, states) -> set[str]:
        """Take the current state of some units; returns the keys of the items whose
        counts changed."""
        changed: set[str] = set()
        for state in states:
            if state.unit not in self._row:
                self._rows(np.array([state.unit]), np.array([state.transcript]))
            row = self._row[state.unit]
            rows = np.array([row])
            for item in self.items:
                new = self._unit_counts(item, state)
                old = self._n[item.key][row]
                if np.array_equal(old, new):
                    continue
                self._add_many(item.key, rows, old[None, :].copy(), -1)
                self._n[item.key][row] = new
                self._add_many(item.key, rows, new[None, :], 1)
                changed.add(item.key)
        return changed

    def _unit_counts(self, item: Item, s: UnitState) -> np.ndarray:
        """How many raters gave each category on this unit (zeros: out of scope or no
        value)."""
        cats = self._cats[item.key]
        counts = np.zeros(len(cats), dtype=np.int32)
        if (item.kind == "global") != (s.kind == SESSION):
            return counts
        if item.kind != "global":
            scope = self._scope.get((item.key, s.kind, s.role))
            if scope is None:                     # archived codes keep the scope they had
                scope = self._scope[(item.key, s.kind, s.role)] = any(
                    applies_to(replace(c, archived=False), s.kind, s.role) for c in item.codes)
            if not scope:
                return counts
        values: dict[int, float] = {}
        if item.kind == "presence":
            values = {r: 0.0 for r in s.done if r in self._col}
        members = {c.id: k for k, c in enumerate(item.codes)}
        for rater, code_id, value in s.codings:
            if rater not in self._col or code_id not in members:
                continue
            if item.kind == "presence":
                values[rater] = 1.0
            elif item.kind == "category":
                k = float(members[code_id])
                values[rater] = max(values.get(rater, k), k)
            elif value is not None and float(value) in cats:
                values[rater] = float(value)
        for v in values.values():
            counts[cats[v]] += 1
        return counts

    def _add_many(self, key: str, rows: np.ndarray, counts: np.ndarray, sign: int) -> None:
        """Add (sign 1) or take away (-1) these units' contributions to o_ck."""
        m = counts.sum(axis=1)
        pair = m >= 2
        if not pair.any():
            return
        rows, counts, m = rows[pair], counts[pair].astype(np.int64), m[pair]
        weight = (self.scale // (m - 1)) * sign
        q = counts.shape[1]
        part = (counts[:, :, None] * counts[:, None, :]
                - counts[:, :, None] * np.eye(q, dtype=np.int64)) * weight[:, None, None]
        tids = self._transcript[rows]
        for t in np.unique(tids).tolist():
            sel = tids == t
            o = self._o.get((key, t))
            if o is None:
                o = self._o[(key, t)] = np.zeros((q, q), dtype=np.int64)
            o += part[sel].sum(axis=0)
            self._used[(key, t)] = self._used.get((key, t), 0) + sign * int(sel.sum())
        pooled = self._pooled.get(key)
        if pooled is None:
            pooled = self._pooled[key] = np.zeros((q, q), dtype=np.int64)
        pooled += part.sum(axis=0)
        self._used[(key, None)] = self._used.get((key, None), 0) + sign * int(rows.size)

    # -- reading ---------------------------------------------------------------------------
    def coincidences(self, key: str, transcript: int | None = None) -> np.ndarray | None:
        """The item's coincidence matrix o_ck (pooled, or one transcript's)."""
        o = self._pooled.get(key) if transcript is None else self._o.get((key, transcript))
        return None if o is None else o / self.scale

    def alpha(self, key: str, transcript: int | None = None) -> StatResult:
        """Krippendorff's alpha of the item at its level, from the counts."""
        item = self._item[key]
        level = LEVEL_OF[item.kind]
        cats = np.asarray(_categories(item)[0], dtype=float)
        name = "krippendorff_alpha"
        extra = {"measurement_level": level, "n_units_used": self.units_used(key, transcript)}
        if len(self.raters) < 2:
            return undefined(name, FEWER_THAN_TWO_RATERS, 0, **extra)
        o = self.coincidences(key, transcript)
        if o is None:
            o = np.zeros((cats.size, cats.size))
        return alpha_from_coincidences(o, level, cats, name, **extra)

    def units_used(self, key: str, transcript: int | None = None) -> int:
        """Units of the item with values from two or more raters."""
        return self._used.get((key, transcript), 0)

    def state(self) -> dict:
        """Every count, for comparing two instances (tests)."""
        units = {}
        for key, n in self._n.items():
            for u, row in self._row.items():
                if n[row].any():
                    units[(key, u)] = (int(self._transcript[row]), tuple(n[row].tolist()))
        return {"units": units,
                "o": {k: v.tolist() for k, v in self._o.items() if v.any()},
                "pooled": {k: v.tolist() for k, v in self._pooled.items() if v.any()},
                "used": {k: v for k, v in self._used.items() if v}}


def states_from_rows(units, done, codings) -> list[UnitState]:
    """UnitStates from plain rows: `units` (unit, transcript, kind, role), `done`
    (unit, rater), `codings` (unit, rater, code id, value); a session row's unit is
    -transcript id (kind "session")."""
    done_by: dict[int, set[int]] = {}
    for unit, rater in done:
        done_by.setdefault(unit, set()).add(rater)
    cod_by: dict[int, list] = {}
    for unit, rater, code_id, value in codings:
        cod_by.setdefault(unit, []).append((rater, code_id, value))
    return [UnitState(u, t, k, r or "", frozenset(done_by.get(u, ())),
                      tuple(cod_by.get(u, ()))) for u, t, k, r in units]
