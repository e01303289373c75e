"""JobRunner: the one way ui/ runs long work off the GUI thread (DESIGN.md rule 5).

A job is a core function shaped ``fn(*args, progress=, cancel=) -> result`` (the contract of
`coder/jobs.py`): it reads a snapshot or plain values and never writes; its result comes back
on the main thread, where the caller turns it into a command through `ProjectEvents`.

`JobRunner.start(title, fn, *args)` returns a `Job`, whose signals arrive on the main thread:
``progressed(done, total, message)``, then exactly one of ``finished(result)``,
``cancelled()`` or ``failed(message)``, then ``ended()``. `Job.cancel()` asks the function to
stop (it raises `Cancelled` at its next check); a result that arrives after cancel counts as
cancelled.

Errors are shown once. A caller with its own place for them (a banner, a file's row) passes
``on_error``; otherwise the runner emits ``error(title, message)`` and the shell shows one
box. An exception that is not a `SessionCoderError` is a bug: its traceback goes once to a
crash log (`coder.crashlog`) and the user gets one plain line naming that log.

The runner keeps every job alive until it ends, and `shutdown()` cancels all and waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot

from coder.errors import SessionCoderError
from coder.jobs import Cancelled


class Job(QObject):
    """One background job, created on the main thread. The worker thread emits the private
    `_t_*` signals; they reach @Slot methods here through queued connections and are
    re-emitted on the main thread. Delivering cross-thread signals straight to Python lambdas
    crashes PySide6 6.8+ now and then (PYSIDE-3124: "deallocating None"); a decorated slot on
    a QObject does not."""

    progressed = Signal(int, int, str)     # done, total, message
    finished = Signal(object)              # the result
    failed = Signal(str)                   # one line for the user
    cancelled = Signal()
    ended = Signal()                       # after any of the three above
    _t_progress = Signal(int, int, str)
    _t_finished = Signal(object)
    _t_failed = Signal(str)
    _t_cancelled = Signal()

    def __init__(self, title: str, fn: Callable, args: tuple, kwargs: dict,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._call = (fn, args, kwargs)
        self._cancel = threading.Event()
        self._stopped = threading.Event()    # the worker thread has left `fn`
        self.running = True
        self._t_progress.connect(self._on_progress, Qt.QueuedConnection)
        self._t_finished.connect(self._on_finished, Qt.QueuedConnection)
        self._t_failed.connect(self._on_failed, Qt.QueuedConnection)
        self._t_cancelled.connect(self._on_cancelled, Qt.QueuedConnection)

    # -- main thread ---------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the worker thread has left the function (True) or the time is up."""
        return self._stopped.wait(timeout_s)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.running:
            self.progressed.emit(done, total, message)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self._end(self.finished, result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end(self.failed, message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._end(self.cancelled)

    def _end(self, signal, *args) -> None:
        if not self.running:
            return
        self.running = False
        signal.emit(*args)
        self.ended.emit()

    # -- worker thread -------------------------------------------------------------------------
    def _progress(self, done: int, total: int, message: str = "") -> None:
        try:
            self._t_progress.emit(done, total, message or "")
        except RuntimeError:          # the job object is gone (app closing): stop quietly
            self._cancel.set()

    def execute(self) -> None:
        fn, args, kwargs = self._call
        try:
            result = fn(*args, progress=self._progress, cancel=self.is_cancelled, **kwargs)
        except Cancelled:
            self._t_cancelled.emit()
        except SessionCoderError as exc:
            self._t_failed.emit(str(exc))
        except Exception as exc:      # a bug: log it once, keep the app alive, say so plainly
            from coder.crashlog import classify
            verdict = classify(exc, context=f"a background job ({getattr(fn, '__name__', '')})")
            self._t_failed.emit(f"{verdict.message} Nothing was changed.")
        else:
            if self.is_cancelled():
                self._t_cancelled.emit()
            else:
                self._t_finished.emit(result)


class _JobRunnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(False)        # the runner holds it until the job has ended
        self.job = job

    def run(self) -> None:
        try:
            self.job.execute()
        except RuntimeError:             # signals deleted while the app closes: nobody listens
            pass
        finally:
            self.job._stopped.set()


class JobRunner(QObject):
    """Runs every background job of the app: import, suggestions, reliability, export."""

    error = Signal(str, str)             # title, message: a failure no caller took charge of

    def __init__(self, parent: QObject | None = None, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads or max(2, QThread.idealThreadCount()))
        self._live: list[_JobRunnable] = []

    def start(self, title: str, fn: Callable, *args,
              on_error: Callable[[str], None] | None = None, **kwargs) -> Job:
        """Run ``fn(*args, progress=, cancel=, **kwargs)`` on the pool; see the module doc."""
        self._live = [r for r in self._live if r.job.running or not r.job.wait(0)]
        job = Job(title, fn, args, kwargs)     # owned here, not by Qt: dropped once ended
        job.failed.connect(on_error if on_error is not None
                           else (lambda message: self.error.emit(title, message)))
        runnable = _JobRunnable(job)
        self._live.append(runnable)
        self.pool.start(runnable)
        return job

    def running(self) -> list[Job]:
        """Jobs whose end has not been delivered yet."""
        return [r.job for r in self._live if r.job.running]

    def active_count(self) -> int:
        """How many jobs are still inside their function on a worker thread (or queued)."""
        return sum(1 for r in self._live if not r.job.wait(0))

    def cancel_all(self) -> None:
        for job in self.running():
            job.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel every job and wait for the threads (the app is closing)."""
        self.cancel_all()
        self.pool.waitForDone(timeout_ms)
