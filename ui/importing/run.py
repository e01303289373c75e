"""Background work of the import dialog (DESIGN.md, rule 5).

- `read_preview`: worker-shaped; reads one file through the service's static, database-free
  calls (columns, guessed mapping, parsed turns) and keeps what the preview shows.
- `ImportRun`: imports chosen files one at a time. Each file is prepared (parsed and
  segmented) off the main thread and stored on it with `project.importing.store` (a
  command through the project's one door); the whole run is announced as one change set
  when it ends. One file is prepared in a job on the app's `JobRunner`; two or more are
  prepared in order by one job whose spawned child reads ahead while this thread stores
  (`coder.importers.ahead.prepare_in_process`: on a thread, the parse would hold the GIL
  the store needs). Cancel stops the running job: the file being read is not stored, files
  stored before it stay, files after it are not started.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from coder.errors import SessionCoderError
from coder.importers.ahead import prepare_in_process
from coder.model import ColumnMap, ImportOptions, SegmentationOptions
from coder.rowcolumns import column

from ui.importing.models import (CANCELLED, FAILED, IMPORTED, IMPORTING, SKIPPED, FileEntry,
                                 FilePreview, plural, short_error)
from ui.shell.jobs import Job, JobRunner

#: From this many files, one job prepares them all in a child process (a child costs
#: ~0.3 s to start; one file goes on a thread).
PROCESS_FROM_FILES = 2
UNIT_WORDS = {"turn": "turn", "sentence": "sentence", "window": "window"}


@dataclass(frozen=True)
class PreviewResult:
    headers: list[str] | None            # tables only
    columns: ColumnMap | None            # the mapping used (guessed when none was given)
    preview: FilePreview | None          # None when the file could not be read
    error: str = ""


def read_preview(service, path: Path, merge: bool, columns: ColumnMap | None,
                 guess: bool, *, progress=None, cancel=None) -> PreviewResult:
    """Parse `path` for the preview; a problem with the file comes back as `error`."""
    headers = None
    try:
        if path.suffix.lower() in (".csv", ".tsv", ".xlsx"):
            headers = service.importing.table_columns(path)
            if guess and columns is None:
                columns = service.importing.guess_columns(headers)
        parsed = service.importing.preview(path, ImportOptions(merge_consecutive=merge,
                                                          columns=columns))
    except SessionCoderError as exc:
        return PreviewResult(headers, columns, None, str(exc))
    if not parsed.turns:
        return PreviewResult(headers, columns, None, "no talk turns were found in this file")
    return PreviewResult(headers, columns, FilePreview.of(parsed))


class ImportRun(QObject):
    """One press of Import: the queue of files, the running worker, the stored results."""

    file_started = Signal(object)             # FileEntry
    file_finished = Signal(object)            # FileEntry, status IMPORTED/FAILED/CANCELLED
    progressed = Signal(int, int, int, str)   # file index, done, total (0: unknown), message
    finished = Signal(list)                   # TranscriptInfo of every file stored

    def __init__(self, events, entries: list[FileEntry],
                 options_for: Callable[[FileEntry], ImportOptions],
                 segmentation: SegmentationOptions, replace: bool, runner: JobRunner,
                 parent=None) -> None:
        super().__init__(parent)
        self.events = events
        self.entries = list(entries)
        self.options_for = options_for
        self.segmentation = segmentation
        self.replace = replace
        self.runner = runner
        self.stored: list = []
        self.index = -1
        self.job: Job | None = None          # preparing the current file
        self.cancel_requested = False
        self.done = False
        self.ready: queue.Queue = queue.Queue(maxsize=1)   # prepared files, in order
        # One store per turn of the event loop, by a timer: a chain of posted events (signals,
        # zero-timers) is all handled before any timer or input, which let four or five
        # stores run back to back (~70 ms without a repaint).
        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.setInterval(1)
        self._drain_timer.timeout.connect(self._drain)

    @property
    def running(self) -> bool:
        return not self.done and self.index >= 0

    def start(self) -> None:
        self.events.hold()                   # released, announcing every file, in _finish
        if len(self.entries) >= PROCESS_FROM_FILES:
            self._start_batch()
        else:
            self._next()

    def cancel(self) -> None:
        """Stop after the running file (which is not stored)."""
        self.cancel_requested = True
        if self.job is not None:
            self.job.cancel()

    def abort(self) -> None:
        """Cancel, wait for the job to stop, and end the run now (the dialog is closing)."""
        if self.done:
            return
        self.cancel()
        if self.job is not None:
            self.job.wait()
            if self.index < len(self.entries):
                self._end_file(self.entries[self.index], CANCELLED, "")
        self._finish()

    # -- one file at a time ------------------------------------------------------------------
    def _next(self) -> None:
        self.job = None
        self.index += 1
        if self.cancel_requested or self.index >= len(self.entries):
            self._finish()
            return
        entry = self.entries[self.index]
        entry.status, entry.message = IMPORTING, ""
        job = self.runner.start(f"Import {entry.path.name}",
                                self.events.project.importing.prepare, entry.path,
                                self.options_for(entry), self.segmentation,
                                on_error=lambda msg: self._failed(job, msg))
        job.progressed.connect(lambda d, t, _m: self._progress(job, d, t))
        job.finished.connect(lambda r: self._prepared(job, r))
        job.cancelled.connect(lambda: self._cancelled(job))
        self.job = job
        self.progressed.emit(self.index, 0, 0, f"Reading {entry.path.name}…")
        self.file_started.emit(entry)

    def _current(self, job: Job) -> FileEntry | None:
        if self.done or job is not self.job or not 0 <= self.index < len(self.entries):
            return None
        return self.entries[self.index]

    def _progress(self, job: Job, done: int, total: int) -> None:
        entry = self._current(job)
        if entry is None:
            return
        self.progressed.emit(self.index, done, total,
                             f"Segmenting {entry.path.name} — {done:,}/{total:,} turns")

    def _prepared(self, job: Job, prepared) -> None:
        entry = self._current(job)
        if entry is None:
            return
        if self.cancel_requested:
            self._end_file(entry, CANCELLED, "")
            self._next()
            return
        self._store(entry, prepared)
        self._next()

    def _store(self, entry: FileEntry, prepared) -> None:
        labels = set(column(prepared.parsed.turns, "speaker"))
        roles = {k: v for k, v in entry.roles.items() if k in labels}
        self.progressed.emit(self.index, 1, 1, f"Saving {entry.path.name}…")
        try:
            result = self.events.project.importing.store(prepared, roles=roles,
                                                         replace=self.replace)
        except SessionCoderError as exc:
            self._end_file(entry, FAILED, short_error(str(exc), entry.path))
        except Exception as exc:        # a bug: keep the dialog alive and say so plainly
            from coder.crashlog import classify
            verdict = classify(exc, context=f"importing {entry.path}")
            self._end_file(entry, FAILED, f"{verdict.message} This file was not imported.")
        else:
            info = result.transcript
            entry.info = info
            self.stored.append(info)
            what = plural(info.segments, UNIT_WORDS.get(info.unit, "segment"))
            message = plural(info.turns, "turn") + ("" if info.unit == "turn" else f", {what}")
            self._end_file(entry, IMPORTED, message)

    # -- many files: one job, its child reading ahead ----------------------------------------
    def _start_batch(self) -> None:
        paths = [e.path for e in self.entries]
        options = [self.options_for(e) for e in self.entries]
        job = self.runner.start(f"Import {len(paths)} files", prepare_in_process, paths,
                                options, self.segmentation, self.ready,
                                on_error=lambda msg: self._batch_failed(job, msg))
        job.progressed.connect(lambda d, t, m: self._batch_progress(job, d, t, m))
        job.finished.connect(lambda _n: self._batch_done(job))
        job.cancelled.connect(lambda: self._batch_cancelled(job))
        self.job = job
        self._begin(0)

    def _begin(self, index: int) -> None:
        self.index = index
        if index < len(self.entries):
            entry = self.entries[index]
            entry.status, entry.message = IMPORTING, ""
            self.progressed.emit(index, 0, 0, f"Reading {entry.path.name}…")
            self.file_started.emit(entry)

    def _batch_progress(self, job: Job, done: int, total: int, message: str) -> None:
        if self._current(job) is None:
            return
        if message == "prepared":
            if not self._drain_timer.isActive():
                self._drain_timer.start()
        elif message == f"segmenting {self.index}":       # the child's file is ours now
            name = self.entries[self.index].path.name
            self.progressed.emit(self.index, done, total,
                                 f"Segmenting {name} — {done:,}/{total:,} turns")

    def _drain(self) -> bool:
        """Store the next prepared file if one waits (the job waits while one does), and
        look again in a later turn of the event loop: one file's store per turn, so the
        window stays responsive while the child keeps ahead. True when one was stored."""
        if self.cancel_requested or self.done:
            return False
        try:
            index, value = self.ready.get_nowait()
        except queue.Empty:
            return False
        entry = self.entries[index]
        if isinstance(value, SessionCoderError):
            self._end_file(entry, FAILED, short_error(str(value), entry.path))
        else:
            self._store(entry, value)
        self._begin(index + 1)
        self._drain_timer.start()                 # the next one, after other events
        return True

    def _batch_done(self, job: Job) -> None:
        if job is self.job and not self.done:
            while self._drain():             # the last files, if any wait
                pass
            self._finish()

    def _batch_cancelled(self, job: Job) -> None:
        if job is self.job and not self.done:
            self.cancel_requested = True
            if self.index < len(self.entries):
                self._end_file(self.entries[self.index], CANCELLED, "")
            self._finish()

    def _batch_failed(self, job: Job, message: str) -> None:
        if job is self.job and not self.done:
            if self.index < len(self.entries):
                entry = self.entries[self.index]
                self._end_file(entry, FAILED, short_error(message, entry.path))
            self._finish()

    def _failed(self, job: Job, message: str) -> None:
        entry = self._current(job)
        if entry is None:
            return
        self._end_file(entry, FAILED, short_error(message, entry.path))
        self._next()

    def _cancelled(self, job: Job) -> None:
        entry = self._current(job)
        if entry is None:
            return
        self.cancel_requested = True
        self._end_file(entry, CANCELLED, "")
        self._next()

    def _end_file(self, entry: FileEntry, status: str, message: str) -> None:
        entry.status, entry.message = status, message
        self.file_finished.emit(entry)

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self.job = None
        self._drain_timer.stop()
        for entry in self.entries[max(self.index, 0):]:
            if entry.status == IMPORTING:
                entry.status, entry.message = CANCELLED, ""
            elif entry.status not in (IMPORTED, FAILED, CANCELLED):
                entry.status, entry.message = SKIPPED, ""
                self.file_finished.emit(entry)
        self.events.release()
        self.finished.emit(list(self.stored))

    def summary(self) -> str:
        counts = {s: sum(1 for e in self.entries if e.status == s)
                  for s in (IMPORTED, FAILED, CANCELLED, SKIPPED)}
        parts = [f"{counts[IMPORTED]} imported" if counts[IMPORTED] else "Nothing imported"]
        if counts[FAILED]:
            parts.append(f"{counts[FAILED]} failed")
        if counts[CANCELLED] or counts[SKIPPED]:
            parts.append(f"{counts[CANCELLED] + counts[SKIPPED]} not imported (cancelled)")
        return ", ".join(parts)
