"""The adherence profile of one session as one rater coded it.

Counts are of units: a unit coded with two codes of one group counts once for the group (and
once for each code). Rates: the share of the units of the speaker role the group's codes apply
to, and units per 10 minutes of session time (when the session's length is known). Consistent
and inconsistent moves are the codes whose group ``counts_as`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import SessionData

BIN_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class GroupCount:
    group_id: str
    label: str                          # "Outer / inner" for nested groups
    counts_as: str | None
    units: int                          # units with any code of the group
    by_role: tuple[tuple[str, int], ...]  # (role, units), roles in a fixed order
    share: float | None                 # units / units of the roles the group applies to
    per_10min: float | None
    bins: tuple[int, ...]               # units per 10-minute bin, from the session start


@dataclass(frozen=True)
class GlobalRating:
    code: str
    label: str
    value: float
    min: int
    max: int


@dataclass(frozen=True)
class Profile:
    rater: str
    units: int
    units_by_role: tuple[tuple[str, int], ...]
    minutes: float | None
    groups: tuple[GroupCount, ...]
    codes: tuple[tuple[str, int], ...]          # (code id, units), codebook order
    consistent: int                             # units with a consistent / inconsistent move
    inconsistent: int
    globals: tuple[GlobalRating, ...]
    window_ratings: tuple[tuple[str, str, tuple[float | None, ...]], ...]  # code, label, per window

    @property
    def consistent_share(self) -> float | None:
        total = self.consistent + self.inconsistent
        return self.consistent / total if total else None

    def group(self, group_id: str) -> GroupCount:
        for g in self.groups:
            if g.group_id == group_id:
                return g
        raise KeyError(group_id)


ROLE_ORDER = ("therapist", "client", "other", "")


def adherence_profile(session: SessionData, rater: str) -> Profile:
    book = session.codebook
    entries = {e.code.id: e for e in book.codes()}
    unit_by_id = {u.id: u for u in session.units}
    role_units: dict[str, int] = {}
    for u in session.units:
        role_units[u.role] = role_units.get(u.role, 0) + 1
    length = session.length_ms
    minutes = length / 60000 if length else None
    nbins = max(1, -(-length // BIN_MS)) if length else 0
    mine = session.of_rater(rater)
    group_units: dict[str, set[int]] = {}
    code_units: dict[str, set[int]] = {}
    consistent: set[int] = set()
    inconsistent: set[int] = set()
    for c in mine:
        e = entries.get(c.code)
        if e is None or c.segment_id not in unit_by_id or e.code.kind not in ("presence",
                                                                              "category"):
            continue
        group_units.setdefault(e.group.id, set()).add(c.segment_id)
        code_units.setdefault(c.code, set()).add(c.segment_id)
        if e.counts_as == "consistent":
            consistent.add(c.segment_id)
        elif e.counts_as == "inconsistent":
            inconsistent.add(c.segment_id)
    groups = []
    for path, g in book.iter_groups():
        direct = [c for c in g.codes if c.kind in ("presence", "category")]
        if not direct:
            continue
        ids = group_units.get(g.id, set())
        by_role: dict[str, int] = {}
        bins = [0] * nbins
        for sid in ids:
            u = unit_by_id[sid]
            by_role[u.role] = by_role.get(u.role, 0) + 1
            if nbins and u.start_ms is not None:
                bins[min(nbins - 1, u.start_ms // BIN_MS)] += 1
        roles = {r for c in direct for r in c.roles}
        base = (len(session.units) if "any" in roles
                else sum(role_units.get(r, 0) for r in roles))
        counts_as = next((x.counts_as for x in reversed(path + (g,)) if x.counts_as), None)
        groups.append(GroupCount(
            g.id, " / ".join(x.label for x in path + (g,)), counts_as, len(ids),
            tuple((r, by_role[r]) for r in ROLE_ORDER if r in by_role),
            len(ids) / base if base else None,
            len(ids) / minutes * 10 if minutes else None, tuple(bins)))
    globals_ = []
    for c in mine:
        e = entries.get(c.code)
        if c.segment_id is None and e is not None and e.code.kind == "global" \
                and c.value is not None:
            globals_.append(GlobalRating(c.code, e.code.label, c.value, e.code.scale.min,
                                         e.code.scale.max))
    order = {cid: i for i, cid in enumerate(entries)}
    globals_.sort(key=lambda g: order[g.code])
    windows = {w.id: i for i, w in enumerate(session.windows)}
    window_ratings = []
    for cid, e in entries.items():
        if e.code.kind == "rating" and e.code.unit == "window" and windows:
            values: list[float | None] = [None] * len(windows)
            for c in mine:
                if c.code == cid and c.segment_id in windows:
                    values[windows[c.segment_id]] = c.value
            if any(v is not None for v in values):
                window_ratings.append((cid, e.code.label, tuple(values)))
    return Profile(
        rater, len(session.units),
        tuple((r, role_units[r]) for r in ROLE_ORDER if r in role_units), minutes,
        tuple(groups),
        tuple((cid, len(code_units[cid])) for cid in entries if cid in code_units),
        len(consistent), len(inconsistent), tuple(globals_), tuple(window_ratings))
