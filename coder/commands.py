"""Every change to a project is a command with `apply` and `revert` (DESIGN.md, rule 3).

A command runs inside one database transaction (the project opens it through the store) and
returns a `ChangeSet` saying what changed, so each view repaints only that. `revert` after
`apply` gives back the same state. A command that cannot be undone says so
(``undoable = False``); it still goes through the one door, ``Project.perform``. A command
may refuse in ``authorize(policy)`` what the signed-in user may not do. The GUI wraps
undoable commands in QUndoCommands on one undo stack; the core knows nothing of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Protocol

from .model import CodingView

if TYPE_CHECKING:                       # the store's connection type; no import at run time
    from .store import Connection


@dataclass(frozen=True)
class UnitWrite:
    """One coding row written by a command: row `coding_id` (rater `rater_id`, code `code`,
    on unit `unit_id`; None: a session global of the transcript) is now `coding`, or gone
    when `coding` is None. Applied in order they turn the codings before into those after."""

    unit_id: int | None
    transcript_id: int
    rater_id: int
    code: str
    coding_id: int
    coding: CodingView | None = None


@dataclass(frozen=True)
class ChangeSet:
    """What a command changed."""

    segments: frozenset[int] = field(default_factory=frozenset)
    codes: frozenset[str] = field(default_factory=frozenset)
    raters: frozenset[int] = field(default_factory=frozenset)
    transcripts: frozenset[int] = field(default_factory=frozenset)
    codebook: bool = False
    blinding: bool = False          # the project's blind flag changed
    assignments: bool = False       # who codes which transcript (or the double-coding pick)
    settings: bool = False          # other project settings
    #: transcripts whose linked media (file, offset) changed
    media: frozenset[int] = field(default_factory=frozenset)
    #: transcripts whose turn and unit times changed (and with them, maybe, window units)
    times: frozenset[int] = field(default_factory=frozenset)
    #: a different rater signed in: not a write to the file, but what every view may show
    #: changes with it (the UI announces it; no core command returns it)
    signed_in: bool = False
    #: the exact coding writes, in order, when the command knows them all: every coding that
    #: changed on `segments` (and on the globals of `transcripts`) is here, so a view can
    #: update from them without reading the store again. None: not described (read again).
    written: tuple[UnitWrite, ...] | None = None

    def __or__(self, other: ChangeSet) -> ChangeSet:
        merged = {f.name: getattr(self, f.name) | getattr(other, f.name)
                  for f in fields(ChangeSet) if f.name != "written"}
        return ChangeSet(**merged, written=_written_union(self, other))

    @property
    def empty(self) -> bool:
        return self == ChangeSet()


def _written_union(a: ChangeSet, b: ChangeSet) -> tuple[UnitWrite, ...] | None:
    """Both described: their writes in order. One side not described: still described only
    if that side touched no unit or transcript (e.g. a rater's name)."""
    if a.written is not None and b.written is not None:
        return a.written + b.written
    for known, unknown in ((a, b), (b, a)):
        if known.written is not None and not (unknown.segments or unknown.transcripts
                                              or unknown.codebook or unknown.times):
            return known.written
    return None


class Command(Protocol):
    """A change a user can undo. `text` is the menu text, e.g. "Rename 'Warmth'"."""

    text: str

    def apply(self, conn: Connection) -> ChangeSet: ...

    def revert(self, conn: Connection) -> ChangeSet: ...
