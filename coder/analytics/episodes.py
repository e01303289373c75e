"""Rupture -> repair episodes: the rule, applied to one rater's codings of one session.

The rule (ours, after the marker / strategy split of Eubanks, Muran & Safran's rupture
resolution work; printed in every report by :func:`rule_text`):

1. A rupture marker (a code whose group counts as withdrawal or confrontation) on a unit that
   is not within N units after the opening marker of the latest episode opens a new episode.
2. Markers on units up to N units after an episode's opening marker join it.
3. A repair strategy (a code whose group counts as repair) on a unit after the episode's
   first marker and at most N units after its last marker belongs to the episode. One repair
   can belong to two overlapping episodes.
4. The episode is resolved when it has at least one repair and no rupture marker (of any
   episode) falls on the M units after its last repair; unresolved otherwise. An episode whose
   marker comes so late that no repair follows before the session ends is unresolved; a
   repair near the end is judged on the units that remain.

Latency is counted from the first marker to the first repair, in units and, where both units
carry times, in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from ..codebook.model import MARKER_KINDS, REPAIR_KINDS
from .data import EpisodeSettings, SessionData


@dataclass(frozen=True)
class UnitMarks:
    """What one unit carries for the rule: marker kinds and repair strategies (code ids with
    what they count as)."""

    position: int
    start_ms: int | None = None
    markers: tuple[tuple[str, str], ...] = ()      # (code id, withdrawal|confrontation)
    repairs: tuple[tuple[str, str], ...] = ()      # (code id, repair|repair_direct|...)


@dataclass(frozen=True)
class Episode:
    number: int                          # 1-based, in order of opening
    type: str                            # withdrawal | confrontation | both
    marker_units: tuple[int, ...]
    repair_units: tuple[int, ...]
    strategies: tuple[str, ...]          # code ids in order of first use
    direct: int                          # repairs that count as direct / indirect
    indirect: int
    resolved: bool
    latency_units: int | None
    latency_s: float | None
    marker_codes: tuple[str, ...] = ()

    @property
    def first_marker(self) -> int:
        return self.marker_units[0]

    @property
    def last_marker(self) -> int:
        return self.marker_units[-1]

    @property
    def first_repair(self) -> int | None:
        return self.repair_units[0] if self.repair_units else None

    @property
    def end(self) -> int:
        """Last unit the episode spans (its last repair or marker)."""
        return max(self.marker_units[-1], self.repair_units[-1] if self.repair_units else 0)


def find_episodes(units: Sequence[UnitMarks], settings: EpisodeSettings = EpisodeSettings()
                  ) -> list[Episode]:
    """Episodes in a session whose units (in position order) carry `units`' marks."""
    n, m = settings.join_units, settings.resolve_units
    ordered = sorted(units, key=lambda u: u.position)
    times = {u.position: u.start_ms for u in ordered}
    marker_positions = [u.position for u in ordered if u.markers]
    opened: list[list[UnitMarks]] = []
    for u in ordered:
        if not u.markers:
            continue
        if opened and u.position <= opened[-1][0].position + n:
            opened[-1].append(u)
        else:
            opened.append([u])
    out = []
    for number, markers in enumerate(opened, 1):
        first, last = markers[0].position, markers[-1].position
        repairs = [u for u in ordered if u.repairs and first < u.position <= last + n]
        kinds = {kind for u in markers for _, kind in u.markers}
        strategies: list[str] = []
        direct = indirect = 0
        for u in repairs:
            for code, kind in u.repairs:
                if code not in strategies:
                    strategies.append(code)
                direct += kind == "repair_direct"
                indirect += kind == "repair_indirect"
        resolved = False
        latency_units = latency_s = None
        if repairs:
            last_repair = repairs[-1].position
            resolved = not any(last_repair < p <= last_repair + m for p in marker_positions)
            latency_units = repairs[0].position - first
            t0, t1 = times.get(first), repairs[0].start_ms
            if t0 is not None and t1 is not None:
                latency_s = (t1 - t0) / 1000.0
        codes: list[str] = []
        for u in markers:
            codes.extend(c for c, _ in u.markers if c not in codes)
        out.append(Episode(
            number, "both" if len(kinds) > 1 else kinds.pop(),
            tuple(u.position for u in markers), tuple(u.position for u in repairs),
            tuple(strategies), direct, indirect, resolved, latency_units, latency_s,
            tuple(codes)))
    return out


def unit_marks(session: SessionData, rater: str) -> list[UnitMarks]:
    """The marks of every unit of `session` as `rater` coded it (codebook's ``counts_as``)."""
    counts = {e.code.id: e.counts_as for e in session.codebook.codes()}
    by_unit: dict[int, tuple[list, list]] = {}
    for c in session.of_rater(rater):
        kind = counts.get(c.code)
        if c.segment_id is None or kind is None:
            continue
        slot = by_unit.setdefault(c.segment_id, ([], []))
        if kind in MARKER_KINDS:
            slot[0].append((c.code, kind))
        elif kind in REPAIR_KINDS:
            slot[1].append((c.code, kind))
    return [UnitMarks(u.position, u.start_ms, tuple(by_unit[u.id][0]), tuple(by_unit[u.id][1]))
            for u in session.units if u.id in by_unit]


@dataclass(frozen=True)
class EpisodeSummary:
    episodes: tuple[Episode, ...]
    count: int
    resolved: int
    withdrawal: int
    confrontation: int
    both: int
    median_latency_units: float | None
    median_latency_s: float | None
    strategies: tuple[tuple[str, int], ...]      # (code id, episodes using it), most used first
    direct: int
    indirect: int

    @property
    def resolved_share(self) -> float | None:
        return self.resolved / self.count if self.count else None

    @property
    def unresolved(self) -> int:
        return self.count - self.resolved


def summarise(episodes: Sequence[Episode]) -> EpisodeSummary:
    lat_u = [e.latency_units for e in episodes if e.latency_units is not None]
    lat_s = [e.latency_s for e in episodes if e.latency_s is not None]
    uses: dict[str, int] = {}
    for e in episodes:
        for s in e.strategies:
            uses[s] = uses.get(s, 0) + 1
    return EpisodeSummary(
        tuple(episodes), len(episodes), sum(e.resolved for e in episodes),
        sum(e.type == "withdrawal" for e in episodes),
        sum(e.type == "confrontation" for e in episodes), sum(e.type == "both" for e in episodes),
        median(lat_u) if lat_u else None, median(lat_s) if lat_s else None,
        tuple(sorted(uses.items(), key=lambda kv: (-kv[1], kv[0]))),
        sum(e.direct for e in episodes), sum(e.indirect for e in episodes))


def session_episodes(session: SessionData, rater: str,
                     settings: EpisodeSettings = EpisodeSettings()) -> EpisodeSummary:
    return summarise(find_episodes(unit_marks(session, rater), settings))


def rule_text(settings: EpisodeSettings) -> str:
    n, m = settings.join_units, settings.resolve_units
    return (f"A rupture marker opens an episode; markers within the next {n} units join it. "
            f"Repair strategies after its first marker and within {n} units after its last "
            f"marker belong to it. It is resolved when it has at least one repair and no "
            f"rupture marker follows within {m} units after its last repair; otherwise "
            f"(also when the session ends first) it is unresolved. "
            f"N = {n}, M = {m} (set per project).")
