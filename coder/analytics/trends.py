"""Across the sessions of one therapist or dyad: figures per session in order, their trend
(least-squares slope per session) and their within-case variability (flexibility: the
standard deviation across sessions of each code group's rate, with n-1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import stdev

from .session import SessionFeedback


def session_order(name: str) -> tuple:
    """Natural order of session names (session2 before session10)."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", name))


@dataclass(frozen=True)
class Series:
    label: str                               # a code group, a measure, or a figure
    values: tuple[float | None, ...]         # one per session, in order

    @property
    def slope(self) -> float | None:
        pts = [(i, v) for i, v in enumerate(self.values) if v is not None]
        if len(pts) < 2:
            return None
        mx = sum(i for i, _ in pts) / len(pts)
        my = sum(v for _, v in pts) / len(pts)
        sxx = sum((i - mx) ** 2 for i, _ in pts)
        return sum((i - mx) * (v - my) for i, v in pts) / sxx

    @property
    def variability(self) -> float | None:
        pts = [v for v in self.values if v is not None]
        return stdev(pts) if len(pts) >= 2 else None


@dataclass(frozen=True)
class Trends:
    dyad: str | None
    sessions: tuple[str, ...]
    groups: tuple[Series, ...]       # code group rates (units per 10 min, else share of units)
    figures: tuple[Series, ...]      # episodes, unresolved, resolved share, adherence
    measures: tuple[Series, ...]


def _rate(g) -> float | None:
    return g.per_10min if g.per_10min is not None else g.share


def trends(feedbacks: list[SessionFeedback]) -> Trends:
    """Trends over sessions (already of one dyad); they are put in natural name order."""
    fbs = sorted(feedbacks, key=lambda f: session_order(f.name))
    group_labels: dict[str, str] = {}
    for f in fbs:
        for g in f.profile.groups:
            group_labels.setdefault(g.group_id, g.label)
    groups = []
    for gid, label in group_labels.items():
        vals = []
        for f in fbs:
            found = [g for g in f.profile.groups if g.group_id == gid]
            vals.append(_rate(found[0]) if found else None)
        groups.append(Series(label, tuple(vals)))
    figures = (
        Series("Episodes", tuple(float(f.episodes.count) for f in fbs)),
        Series("Unresolved episodes", tuple(float(f.episodes.unresolved) for f in fbs)),
        Series("Resolved share", tuple(f.episodes.resolved_share for f in fbs)),
        Series("Adherence (consistent moves)", tuple(f.adherence for f in fbs)),
    )
    names: list[str] = []
    for f in fbs:
        names.extend(m.name for m, _ in f.measures if m.name not in names)
    measures = tuple(Series(n, tuple(f.measure(n) for f in fbs)) for n in names)
    dyad = fbs[0].session.dyad if fbs else None
    return Trends(dyad, tuple(f.name for f in fbs), tuple(groups), figures, measures)
