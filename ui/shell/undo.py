"""Core commands on the app's one QUndoStack (DESIGN.md, rule 3).

`UndoableCommand` wraps a core command: pushing it applies it through the service (committed
before the view changes); undo and redo call the service again. The change set of each step
is broadcast through `ChangeHub.changed` so each view repaints only what changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from coder.commands import ChangeSet, Command
from coder.errors import SessionCoderError


class ChangeHub(QObject):
    """One place that says what changed in the open project."""

    changed = Signal(object)            # ChangeSet
    failed = Signal(str)                # an undo or redo the core refused


class UndoableCommand(QUndoCommand):
    def __init__(self, service, command: Command, hub: ChangeHub) -> None:
        super().__init__(command.text)
        self._service, self._command, self._hub = service, command, hub
        self.error: SessionCoderError | None = None

    def redo(self) -> None:
        try:
            changes = self._service.perform(self._command)
        except SessionCoderError as exc:
            self.error = exc
            self.setObsolete(True)        # the stack drops a command that did nothing
            if self._applied_once:
                self._hub.failed.emit(f"Redo refused: {exc}")
            return
        self._applied_once = True
        self._hub.changed.emit(changes)

    def undo(self) -> None:
        try:
            changes = self._service.revert(self._command)
        except SessionCoderError as exc:
            self.setObsolete(True)        # nothing was changed; drop the step
            self._hub.failed.emit(f"Undo refused: {exc}")
            return
        self._hub.changed.emit(changes)

    _applied_once = False


def run_command(stack: QUndoStack, service, command: Command, hub: ChangeHub) -> ChangeSet | None:
    """Apply `command` through the undo stack. Raises the core's error if it was refused
    (nothing is pushed then)."""
    wrapped = UndoableCommand(service, command, hub)
    stack.push(wrapped)
    if wrapped.error is not None:
        raise wrapped.error
    return None
