"""Run core functions shaped ``fn(..., progress=, cancel=) -> result`` on the thread pool.

Results and errors come back as signals, delivered on the main thread (queued connections),
where the caller applies them through the service (DESIGN.md, rule 5).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from coder.errors import SessionCoderError
from coder.jobs import Cancelled


class WorkerSignals(QObject):
    """Created on the main thread. The worker thread emits the private `_t_*` signals; they
    reach @Slot methods here through queued connections and are re-emitted on the main
    thread. Delivering cross-thread signals straight to Python lambdas crashes PySide6 6.8+
    now and then (PYSIDE-3124: "deallocating None"); a decorated slot on a QObject does not.
    """

    progress = Signal(int, int, str)       # done, total, message
    finished = Signal(object)              # the result
    failed = Signal(str)                   # a message for the user
    cancelled = Signal()
    _t_progress = Signal(int, int, str)
    _t_finished = Signal(object)
    _t_failed = Signal(str)
    _t_cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._t_progress.connect(self._on_progress, Qt.QueuedConnection)
        self._t_finished.connect(self._on_finished, Qt.QueuedConnection)
        self._t_failed.connect(self._on_failed, Qt.QueuedConnection)
        self._t_cancelled.connect(self._on_cancelled, Qt.QueuedConnection)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.emit(done, total, message)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()


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
        try:
            self.signals._t_progress.emit(done, total, message)
        except RuntimeError:        # the receiver is gone (app closing): stop quietly
            self._cancel.set()

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:        # signals deleted while the app closes: nobody listens
            pass

    def _run(self) -> None:
        try:
            result = self._fn(*self._args, progress=self._progress, cancel=self.is_cancelled,
                              **self._kwargs)
        except Cancelled:
            self.signals._t_cancelled.emit()
        except SessionCoderError as exc:
            self.signals._t_failed.emit(str(exc))
        except Exception as exc:    # a bug: keep the app alive, say so plainly, log details
            traceback.print_exc()
            self.signals._t_failed.emit(f"Unexpected error ({type(exc).__name__}: {exc}). "
                                        "Nothing was changed.")
        else:
            if self.is_cancelled():
                self.signals._t_cancelled.emit()
            else:
                self.signals._t_finished.emit(result)

    def start(self, pool: QThreadPool | None = None) -> Worker:
        (pool or QThreadPool.globalInstance()).start(self)
        return self
