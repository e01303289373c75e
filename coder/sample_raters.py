"""The sample project's three raters and their codings, made from the reference coding in
`sample_truth.py` the way trained raters depart from it — deterministically (fixed seeds), so
every sample project holds the same codings.

- The supervisor codes close to the reference: now and then she misses a marker.
- Sam is a steady rater: misses some markers, sometimes codes a marker phrase that is not a
  marker in context ("fine" said plainly), and confuses the codes whose definitions border on
  each other (abstract talk / content-affect split, linking in the session / in life).
- Priya starts as well as Sam and drifts: in sessions 3 and 4 she misses more, codes marker
  phrases by their surface, confuses more and rates windows and sessions more severely.

`CodeSampleSessions` writes raters, assignments, codings and completed units in one
transaction (the bulk store functions), so the sample is built in well under a second.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


from .codebook.model import Codebook
from .commands import ChangeSet
from .model import Segment
from .coding.scope import applies_to
from .store import codebooks as cb_store
from .store import sample as store
from .store.codings import now
from .sample_truth import CONFUSED, GLOBALS, NOTES, PRESENCE, WINDOWS


@dataclass(frozen=True)
class RaterProfile:
    """How far a rater departs from the reference, by session (0-based transcript order)."""

    name: str
    initials: str
    role: str
    seed: int
    miss: tuple[float, ...]           # chance to miss a reference marker
    surface: tuple[float, ...]        # chance to code a marker phrase out of context
    confuse: tuple[float, ...]        # chance to take a bordering code for the right one
    rating_slip: tuple[float, ...]    # chance a window/session rating is one point off
    severity: tuple[int, ...] = (0, 0, 0, 0)   # a drift towards harsher ratings

    def at(self, values: tuple, session: int):
        return values[min(session, len(values) - 1)]


SUPERVISOR = RaterProfile("Dr. Maren Ostrowski", "MO", "supervisor", 11,
                          miss=(0.04,), surface=(0.02,), confuse=(0.15,), rating_slip=(0.1,))
STEADY = RaterProfile("Sam Okafor", "SO", "rater", 23,
                      miss=(0.12,), surface=(0.08,), confuse=(0.5,), rating_slip=(0.3,))
DRIFTING = RaterProfile("Priya Natarajan", "PN", "rater", 37,
                        miss=(0.1, 0.12, 0.5, 0.55), surface=(0.06, 0.08, 0.5, 0.5),
                        confuse=(0.45, 0.5, 0.8, 0.8), rating_slip=(0.25, 0.3, 0.6, 0.6),
                        severity=(0, 0, 1, 1))
PROFILES = (SUPERVISOR, STEADY, DRIFTING)
#: Raised whenever the sample's codings change, so the app rebuilds an older sample.
SAMPLE_VERSION = "3"


@dataclass(frozen=True)
class PlannedCoding:
    transcript: str
    segment_id: int | None           # None: a session global
    code: str
    value: float | None = None
    span: tuple[int, int] | None = None
    note: str | None = None


def marker_patterns(codebook: Codebook) -> dict[str, re.Pattern]:
    """Whole-word, case-insensitive patterns of each presence code's marker phrases."""
    out = {}
    for entry in codebook.codes():
        code = entry.code
        phrases = [p.strip() for p in code.markers if p.strip()]
        if code.kind == "presence" and phrases:
            alternatives = "|".join(re.escape(p).replace("'", "['’]") for p in phrases)
            out[code.id] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return out


def plan_rater(profile: RaterProfile, codebook: Codebook,
               units: dict[str, dict[str, list[Segment]]]) -> list[PlannedCoding]:
    """One rater's codings over `units` (transcript name -> unit kind -> units, in the
    sample's session order)."""
    rng = random.Random(profile.seed)
    patterns = marker_patterns(codebook)
    plan: list[PlannedCoding] = []
    for session, (name, kinds) in enumerate(units.items()):
        turns = {u.position: u for u in kinds.get("turn", [])}
        truth = PRESENCE.get(name, {})
        applied: dict[int, set[str]] = {}
        for code_id, positions in sorted(truth.items()):
            code = codebook.code(code_id)
            for pos in positions:
                unit = turns.get(pos)
                if unit is None or not applies_to(code, unit.kind, unit.role):
                    continue
                if rng.random() < profile.at(profile.miss, session):
                    continue
                chosen = code_id
                if code_id in CONFUSED and rng.random() < profile.at(profile.confuse, session):
                    chosen = CONFUSED[code_id]
                applied.setdefault(pos, set()).add(chosen)
        for pos, unit in sorted(turns.items()):       # marker phrases read out of context
            for code_id, pattern in patterns.items():
                code = codebook.code(code_id)
                if (code_id in applied.get(pos, ()) or not applies_to(code, "turn", unit.role)
                        or not pattern.search(unit.text)):
                    continue
                if rng.random() < profile.at(profile.surface, session):
                    applied.setdefault(pos, set()).add(code_id)
        for pos in sorted(applied):
            unit = turns[pos]
            for code_id in sorted(applied[pos]):
                span = None
                if profile is SUPERVISOR and code_id in patterns:
                    found = patterns[code_id].search(unit.text)
                    span = None if found is None else found.span()
                note = NOTES.get((name, pos, code_id)) if profile is SUPERVISOR else None
                plan.append(PlannedCoding(name, unit.id, code_id, span=span, note=note))
        windows = kinds.get("window", [])
        for code_id, values in sorted(WINDOWS.get(name, {}).items()):
            for unit, value in zip(windows, values):
                if value is not None:
                    plan.append(PlannedCoding(name, unit.id, code_id,
                                              _rated(rng, profile, session, value)))
        for code_id, value in sorted(GLOBALS.get(name, {}).items()):
            plan.append(PlannedCoding(name, None, code_id, _rated(rng, profile, session, value)))
    return plan


def _rated(rng: random.Random, profile: RaterProfile, session: int, value: int) -> float:
    value += profile.at(profile.severity, session)
    if rng.random() < profile.at(profile.rating_slip, session):
        value += rng.choice((-1, 1))
    return float(min(5, max(1, value)))


class CodeSampleSessions:
    """Add the sample's raters and their codings of every unit (all units completed)."""

    text = "Code the sample sessions"

    def __init__(self, units: dict[str, dict[str, list[Segment]]],
                 transcript_ids: dict[str, int], codebook: Codebook) -> None:
        self.units = units
        self.transcript_ids = transcript_ids
        self.plans = {p.name: plan_rater(p, codebook, units) for p in PROFILES}
        self.rater_ids: list[int] = []

    def apply(self, conn) -> ChangeSet:
        version = cb_store.latest_version(conn)
        code_ids = cb_store.code_keys(conn)
        stamp = now()
        segments = [u.id for kinds in self.units.values() for us in kinds.values() for u in us]
        tids = sorted(self.transcript_ids.values())
        self.rater_ids = []
        for profile in PROFILES:
            rid = store.add_rater(conn, profile.name, profile.initials, profile.role, stamp)
            self.rater_ids.append(rid)
            store.add_codings(conn, [
                (self.transcript_ids[c.transcript], c.segment_id, rid, code_ids[c.code],
                 c.value, None if c.span is None else c.span[0],
                 None if c.span is None else c.span[1], c.note, version, stamp)
                for c in self.plans[profile.name]])
            store.complete_units(conn, segments, rid, stamp)
            store.assign(conn, tids, rid, stamp)
        store.set_sample_version(conn, SAMPLE_VERSION)
        return self._changes(segments)

    def revert(self, conn) -> ChangeSet:
        store.remove_raters(conn, self.rater_ids)
        store.set_sample_version(conn, None)
        segments = [u.id for kinds in self.units.values() for us in kinds.values() for u in us]
        return self._changes(segments)

    def _changes(self, segments: list[int]) -> ChangeSet:
        codes = {c.code for plan in self.plans.values() for c in plan}
        return ChangeSet(segments=frozenset(segments), codes=frozenset(codes),
                         raters=frozenset(self.rater_ids),
                         transcripts=frozenset(self.transcript_ids.values()))
