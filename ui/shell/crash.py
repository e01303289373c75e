"""Nothing escapes the desktop app as a traceback: an exception no one caught becomes one
message box naming the log file that holds the details (`coder.crashlog`).

`install(app)` sets `sys.excepthook` (PySide6 hands exceptions raised in slots and event
handlers to it) and `threading.excepthook`. The box is shown on the main thread, one at a
time, and the same error repeating (a paint handler failing on every frame) is logged and
shown once.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from coder.crashlog import classify

MAX_REPEATS = 3          # the same error is logged at most this often per session


class CrashReporter(QObject):
    """Lives on the main thread; `report` may be emitted from any thread."""

    report = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._showing = False
        self._seen: dict[tuple[str, str], int] = {}
        self.report.connect(self._show, Qt.QueuedConnection)

    def handle(self, exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if exc is None:
            exc = exc_type()
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        key = (type(exc).__name__, str(exc)[:200])
        self._seen[key] = self._seen.get(key, 0) + 1
        if self._seen[key] > MAX_REPEATS:
            return
        verdict = classify(exc, context="the desktop app")
        print(f"error: {verdict.message}", file=sys.stderr)
        if self._seen[key] == 1:
            self.report.emit(verdict.message)

    @Slot(str)
    def _show(self, message: str) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            show_message(QApplication.activeWindow(), message)
        finally:
            self._showing = False


def show_message(parent, message: str) -> None:
    """A modal box: what happened, and the log's path as text the user can select and copy."""
    box = QMessageBox(QMessageBox.Critical, "Session Coder", "Something went wrong.", parent=parent)
    box.setInformativeText(message)
    box.setTextInteractionFlags(Qt.TextSelectableByMouse)
    box.exec()


def install(app: QApplication) -> CrashReporter:
    """Route every uncaught exception (main thread and others) to one reporter."""
    reporter = CrashReporter(app)
    sys.excepthook = reporter.handle
    threading.excepthook = lambda a: reporter.handle(a.exc_type, a.exc_value, a.exc_traceback)
    return reporter
