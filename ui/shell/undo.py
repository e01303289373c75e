"""Core commands on the app's one QUndoStack (DESIGN.md, rule 3).

`UndoableCommand` wraps a core command: pushing it applies it through the open project
(committed before the view changes); undo and redo call the project again. The project tells
its listeners what each step changed, and `ProjectEvents` passes that on to the views. Push
through `ProjectEvents.perform`, not by hand.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from coder.commands import Command
from coder.errors import SessionCoderError
from coder.jobs import Cancelled


class UndoableCommand(QUndoCommand):
    def __init__(self, events, command: Command) -> None:
        super().__init__(command.text)
        self.events, self.command = events, command
        self.project = events.project             # undo always goes to the project it changed
        self.error: SessionCoderError | Cancelled | None = None
        self.applied_once = False

    def redo(self) -> None:
        try:
            self.project.perform(self.command)
        except (SessionCoderError, Cancelled) as exc:      # cancelled: rolled back, nothing done
            self.error = exc
            self.setObsolete(True)        # the stack drops a command that did nothing
            if self.applied_once:
                self.events.failed.emit(f"Redo refused: {exc}")
            return
        self.applied_once = True

    def undo(self) -> None:
        try:
            self.project.revert(self.command)
        except SessionCoderError as exc:
            self.setObsolete(True)        # nothing was changed; drop the step
            self.events.failed.emit(f"Undo refused: {exc}")

