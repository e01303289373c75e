"""ProjectEvents: the UI's one door for writes and its one voice for what changed.

Every write the UI makes goes through here: `perform(command)` pushes a core command on the
app's undo stack (undo and redo go the same way). A few writes are not core commands yet
(sign-in, blind mode, raters, assignments, storing an import); each has a method here that
calls the project and announces the change set it caused, so callers never need to know
which kind a write is. When the core makes them commands, only this module changes.

Views subscribe to `changed(ChangeSet)` and repaint what it names; no view reloads another
view by hand (DESIGN.md rule 3). `opened(project)` says a project was opened (None: closed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from coder.commands import ChangeSet, Command

from ui.shell.undo import UndoableCommand


class ProjectEvents(QObject):
    changed = Signal(object)            # ChangeSet
    failed = Signal(str)                # an undo or redo the core refused
    opened = Signal(object)             # the project now open, or None

    def __init__(self, project=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self._held = 0
        self._pending: ChangeSet | None = None

    def set_project(self, project, rater=None) -> None:
        """Open `project` (None: close) with `rater` signed in (None: nobody yet), so that
        every view loads once, as that rater. The undo stack starts empty."""
        self.undo_stack.clear()
        if project is not None and rater is not None:
            project.sign_in(rater.id)
        self.project = project
        self.opened.emit(project)

    def announce(self, changes: ChangeSet) -> None:
        if self._held:
            self._pending = changes if self._pending is None else self._pending | changes
        else:
            self.changed.emit(changes)

    def hold(self) -> None:
        """Gather announcements until the matching `release` (a run of many writes, such as
        importing twenty files, is announced once, as the union of its change sets)."""
        self._held += 1

    def release(self) -> None:
        self._held = max(0, self._held - 1)
        if not self._held and self._pending is not None:
            changes, self._pending = self._pending, None
            self.changed.emit(changes)

    # -- the door --------------------------------------------------------------------------------
    def perform(self, command: Command) -> None:
        """Apply an undoable core command. Raises the core's error if it was refused (then
        nothing was pushed and nothing changed)."""
        wrapped = UndoableCommand(self, command)
        self.undo_stack.push(wrapped)
        if wrapped.error is not None:
            raise wrapped.error

    # -- writes that are not core commands yet -----------------------------------------------
    def sign_in(self, rater) -> None:
        self.project.sign_in(rater.id)
        self.announce(ChangeSet(signed_in=True))

    def set_blind(self, blind: bool) -> None:
        self.project.set_blind(blind)
        self.announce(ChangeSet(blinding=True))

    def add_rater(self, name: str, initials: str | None = None, role: str = "rater"):
        rater = self.project.add_rater(name, initials, role=role)
        self.announce(ChangeSet(raters=frozenset({rater.id})))
        return rater

    def set_assignments(self, cells: dict[tuple[int, int], bool]) -> None:
        """(transcript id, rater id) -> assigned or not; announced once."""
        try:
            for (tid, rid), assigned in cells.items():
                self.project.assign([tid], [rid], assigned)
        finally:
            self.announce(ChangeSet(assignments=True))

    def pick_double_coding(self, percent: float, seed: int | None = None):
        picked = self.project.pick_double_coding(percent, seed)
        self.announce(ChangeSet(assignments=True))
        return picked

    def store_import(self, prepared, *, roles: dict[str, str] | None = None,
                     replace: bool = False):
        result = self.project.store_import(prepared, roles=roles, replace=replace)
        self.announce(ChangeSet(transcripts=frozenset({result.transcript.id})))
        return result
