"""Every change to a project is a command with `apply` and `revert` (DESIGN.md, rule 3).

A command runs inside one database transaction (the service opens it) and returns a
`ChangeSet` saying what changed, so each view repaints only that. `revert` after `apply`
gives back the same state. The GUI wraps commands in QUndoCommands on one undo stack; the
core knows nothing of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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
    #: the project's blind flag changed: what every view may show changed with it
    blinding: bool = False
    #: a different rater signed in (not a write to the file, but it changes what views show)
    signed_in: bool = False
    #: which raters are assigned to which transcripts changed
    assignments: bool = False

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(**{f.name: getattr(self, f.name) | getattr(other, f.name)
                            for f in fields(ChangeSet)})


class Command(Protocol):
    """A change a user can undo. `text` is the menu text, e.g. "Rename 'Warmth'"."""

    text: str

    def apply(self, conn: Connection) -> ChangeSet: ...

    def revert(self, conn: Connection) -> ChangeSet: ...
