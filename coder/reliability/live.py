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
    current state of changed units, `alpha(key)` / `alpha(key, transcript)` to read."""

    def __init__(self, codebook: Codebook, rater_ids) -> None:
        self.codebook = codebook
        self.raters = tuple(rater_ids)
        self._col = {r: i for i, r in enumerate(self.raters)}
        self.items = plan_items(SimpleNamespace(codebook=codebook))
        self.scale = math.lcm(*range(1, max(2, len(self.raters))))
        self._cats = {}
        for item in self.items:
            values, _ = _categories(item)
            self._cats[item.key] = {v: i for i, v in enumerate(values)}
        self._scope: dict[tuple[str, str, str], bool] = {}
        self._used: dict[tuple[str, int | None], int] = {}
        self._counts: dict[tuple[str, int], tuple[int, tuple[int, ...]]] = {}
        self._o: dict[tuple[str, int], np.ndarray] = {}
        self._pooled: dict[str, np.ndarray] = {}

    # -- feeding ---------------------------------------------------------------------------
    def update(self, states) -> set[str]:
        """Take the current state of some units; returns the keys of the items whose
        counts changed."""
        changed: set[str] = set()
        for state in states:
            for item in self.items:
                counts = self._unit_counts(item, state)
                key = (item.key, state.unit)
                old = self._counts.get(key)
                new = None if counts is None else (state.transcript, counts)
                if old == new:
                    continue
                if old is not None:
                    self._add(item, old[0], old[1], -1)
                if new is None:
                    self._counts.pop(key, None)
                else:
                    self._counts[key] = new
                    self._add(item, new[0], new[1], 1)
                changed.add(item.key)
        return changed

    def _unit_counts(self, item: Item, s: UnitState) -> tuple[int, ...] | None:
        """How many raters gave each category on this unit (None: not in scope or no
        value at all)."""
        if (item.kind == "global") != (s.kind == SESSION):
            return None
        if item.kind != "global":
            scope = self._scope.get((item.key, s.kind, s.role))
            if scope is None:                     # archived codes keep the scope they had
                scope = self._scope[(item.key, s.kind, s.role)] = any(
                    applies_to(replace(c, archived=False), s.kind, s.role) for c in item.codes)
            if not scope:
                return None
        cats = self._cats[item.key]
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
        if not values:
            return None
        counts = [0] * len(cats)
        for v in values.values():
            counts[cats[v]] += 1
        return tuple(counts)

    def _add(self, item: Item, transcript: int, counts: tuple[int, ...], sign: int) -> None:
        m = sum(counts)
        if m < 2:
            return
        for used in ((item.key, transcript), (item.key, None)):
            self._used[used] = self._used.get(used, 0) + sign
        n = np.asarray(counts, dtype=np.int64)
        part = (np.outer(n, n) - np.diag(n)) * (self.scale // (m - 1)) * sign
        for where, key in ((self._o, (item.key, transcript)), (self._pooled, item.key)):
            if key not in where:
                where[key] = np.zeros((n.size, n.size), dtype=np.int64)
            where[key] += part

    # -- reading ---------------------------------------------------------------------------
    def coincidences(self, key: str, transcript: int | None = None) -> np.ndarray | None:
        """The item's coincidence matrix o_ck (pooled, or one transcript's)."""
        o = self._pooled.get(key) if transcript is None else self._o.get((key, transcript))
        return None if o is None else o / self.scale

    def alpha(self, key: str, transcript: int | None = None) -> StatResult:
        """Krippendorff's alpha of the item at its level, from the counts."""
        item = next(i for i in self.items if i.key == key)
        level = LEVEL_OF[item.kind]
        cats = np.asarray(_categories(item)[0], dtype=float)
        name = "krippendorff_alpha"
        units = self.units_used(key, transcript)
        extra = {"measurement_level": level, "n_units_used": units}
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
        return {"units": dict(self._counts),
                "o": {k: v.tolist() for k, v in self._o.items() if v.any()},
                "pooled": {k: v.tolist() for k, v in self._pooled.items() if v.any()}}


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
