"""ProjectEvents: the UI's side of the project's one door, and its one voice for what changed.

Every write reaches the core as a command through `Project.perform` (a part method such as
`project.raters.add(...)` builds the command and performs it). The project calls its
listeners with the change set after each commit; this object is that listener for the UI and
re-emits it as one Qt signal, `changed(ChangeSet)`. Views subscribe and repaint what the
change set names; no view reloads another by hand (DESIGN.md rule 3).

`perform(command)` puts an undoable command on the app's one undo stack (undo and redo go
through the project the same way). Signing in is not a write to the file, but it changes
what every view may show: `sign_in` announces it as ``ChangeSet(signed_in=True)``.
`opened(project)` says a project was opened (None: closed).
"""

from __future__ import annotations

from contextlib import contextmanager

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
        self.project = None
        self.undo_stack = QUndoStack(self)
        self._unsubscribe = None
        self._held = 0
        self._pending: ChangeSet | None = None
        if project is not None:
            self.set_project(project)

    def set_project(self, project, rater=None) -> None:
        """Open `project` (None: close) with `rater` signed in (None: nobody yet), so that
        every view loads once, as that rater. The undo stack starts empty."""
        self.undo_stack.clear()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if project is not None:
            if rater is not None:
                project.sign_in(rater.id)
            self._unsubscribe = project.subscribe(self.announce)
        self.project = project
        self.opened.emit(project)

    # -- what changed ----------------------------------------------------------------------------
    def announce(self, changes: ChangeSet) -> None:
        if self._held:
            self._pending = changes if self._pending is None else self._pending | changes
        else:
            self.changed.emit(changes)

    @contextmanager
    def held(self):
        """Announce the writes made inside as one change set, their union, at the end."""
        self.hold()
        try:
            yield
        finally:
            self.release()

    def hold(self) -> None:
        """Gather announcements until the matching `release` (a run of writes that spans
        several turns of the event loop, such as importing twenty files)."""
        self._held += 1

    def release(self) -> None:
        self._held = max(0, self._held - 1)
        if not self._held and self._pending is not None:
            changes, self._pending = self._pending, None
            self.changed.emit(changes)

    # -- writes ----------------------------------------------------------------------------------
    def perform(self, command: Command) -> None:
        """Apply a core command; an undoable one goes on the undo stack. Raises the core's
        error if it was refused (then nothing was pushed and nothing changed)."""
        if getattr(command, "undoable", True) is False:
            self.project.perform(command)
            return
        wrapped = UndoableCommand(self, command)
        self.undo_stack.push(wrapped)
        if wrapped.error is not None:
            raise wrapped.error

    def sign_in(self, rater, passphrase: str | None = None) -> None:
        """Sign `rater` in (a supervisor of a protected project needs the passphrase)."""
        self.project.sign_in(rater.id, passphrase)
        self.announce(ChangeSet(signed_in=True))
