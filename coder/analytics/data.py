"""The snapshot the supervisor's-feedback analytics read: one session, its units, its codings.

Everything here is a frozen value filled by one reader in the store
(:func:`coder.store.analytics_read.read_session`); the analytics modules are pure functions
over it, so they run the same in the GUI, the CLI, a worker thread and a test built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..codebook import Codebook

#: Defaults of the episode rule (settable per project, see :class:`EpisodeSettings`).
DEFAULT_JOIN_UNITS = 10
DEFAULT_RESOLVE_UNITS = 5


@dataclass(frozen=True)
class EpisodeSettings:
    """N (``join_units``): markers within N units after an episode's first marker join it, and
    repairs within N units after its last marker belong to it. M (``resolve_units``): no
    marker may follow within M units after the last repair for the episode to be resolved."""

    join_units: int = DEFAULT_JOIN_UNITS
    resolve_units: int = DEFAULT_RESOLVE_UNITS


@dataclass(frozen=True)
class Unit:
    """One coding unit (turn or sentence) of the session, in order."""

    id: int
    position: int               # 1-based
    role: str                   # therapist | client | other | ""
    speaker: str
    start_ms: int | None
    end_ms: int | None
    text: str


@dataclass(frozen=True)
class Coding:
    """One code a rater recorded: on a unit, on a window, or for the session (both None)."""

    rater: str
    code: str
    segment_id: int | None = None      # a unit or a window
    value: float | None = None


@dataclass(frozen=True)
class SessionData:
    transcript_id: int
    name: str
    dyad: str | None
    duration_ms: int | None
    unit_kind: str                      # "turn" or "sentence"
    units: tuple[Unit, ...]
    windows: tuple[Unit, ...]           # time windows (for window ratings), maybe empty
    codings: tuple[Coding, ...]
    codebook: Codebook
    raters: tuple[str, ...] = field(default=())   # raters with codings here, in id order
    consensus: str | None = None        # the consensus layer's pseudo-rater, if the project has one

    def of_rater(self, rater: str) -> tuple[Coding, ...]:
        key = rater.casefold()
        return tuple(c for c in self.codings if c.rater.casefold() == key)

    @property
    def length_ms(self) -> int | None:
        """The session's length: its duration, else the last unit's end."""
        if self.duration_ms:
            return self.duration_ms
        ends = [u.end_ms or u.start_ms for u in self.units if (u.end_ms or u.start_ms)]
        return max(ends) if ends else None


def pick_rater(session: SessionData, rater: str | None) -> str:
    """The rater whose view is analysed: the named one (it may be the consensus layer's
    pseudo-rater), or the only rater with codings; a clear error otherwise."""
    from ..errors import SessionCoderError
    known = {r.casefold(): r for r in session.raters}
    if rater is not None:
        if rater.casefold() not in known:
            raise SessionCoderError(f"{session.name}: rater {rater!r} has no codings here "
                                    f"(raters with codings: {', '.join(session.raters) or 'none'})")
        return known[rater.casefold()]
    if len(session.raters) == 1:
        return session.raters[0]
    if not session.raters:
        raise SessionCoderError(f"{session.name}: nobody has coded this session yet")
    raise SessionCoderError(f"{session.name}: several raters coded this session "
                            f"({', '.join(session.raters)}): choose one with --rater NAME "
                            "or --consensus")
