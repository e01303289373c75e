"""Run core functions shaped ``fn(..., progress=, cancel=) -> result`` on the thread pool.

Results and errors come back as signals, delivered on the main thread (queued connections),
where the caller applies them through the service (DESIGN.md, rule 5).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from coder.errors import SessionCoderError
from coder.segmentation import Cancelled


class WorkerSignals(QObject):
    progress = Signal(int, int, str)       # done, total, message
    finished = Signal(object)              # the result
    failed = Signal(str)                   # a message for the user
    cancelled = Signal()


class Worker(QRunnable):
    """One background job. Keep a reference until one of its end signals arrives."""

    def __init__(self, fn: Callable, *args, **kwargs) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = WorkerSignals()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.signals.progress.emit(done, total, message)

    def run(self) -> None:
        try:
            result = self._fn(*self._args, progress=self._progress, cancel=self.is_cancelled,
                              **self._kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except SessionCoderError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:    # a bug: keep the app alive, say so plainly, log details
            traceback.print_exc()
            self.signals.failed.emit(f"Unexpected error ({type(exc).__name__}: {exc}). "
                                     "Nothing was changed.")
        else:
            if self.is_cancelled():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)

    def start(self, pool: QThreadPool | None = None) -> Worker:
        (pool or QThreadPool.globalInstance()).start(self)
        return self
