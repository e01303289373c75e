"""Every change to a project is a command with `apply` and `revert` (DESIGN.md, rule 3).

A command runs inside one database transaction (the service opens it) and returns a
`ChangeSet` saying what changed, so each view repaints only that. `revert` after `apply`
gives back the same state. The GUI wraps commands in QUndoCommands on one undo stack; the
core knows nothing of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Connection


@dataclass(frozen=True)
class ChangeSet:
    """What a command changed."""

    segments: frozenset[int] = field(default_factory=frozenset)
    codes: frozenset[str] = field(default_factory=frozenset)
    raters: frozenset[int] = field(default_factory=frozenset)
    transcripts: frozenset[int] = field(default_factory=frozenset)
    codebook: bool = False

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.segments | other.segments, self.codes | other.codes,
                         self.raters | other.raters, self.transcripts | other.transcripts,
                         self.codebook or other.codebook)


class Command(Protocol):
    """A change a user can undo. `text` is the menu text, e.g. "Rename 'Warmth'"."""

    text: str

    def apply(self, conn: Connection) -> ChangeSet: ...

    def revert(self, conn: Connection) -> ChangeSet: ...
