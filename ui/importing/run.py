"""Background work of the import dialog (DESIGN.md, rule 5).

- `read_preview`: worker-shaped; reads one file through the service's static, database-free
  calls (columns, guessed mapping, parsed turns) for the preview.
- `ImportRun`: imports chosen files one at a time. Each file is prepared (parsed and
  segmented) in a job on the app's `JobRunner`; the result is stored on the main thread
  with `project.importing.store` (a command through the project's one door), and the whole
  run is announced as one change set when it ends. While a file is stored, the next one is
  already being prepared (one file ahead: the SQLite driver lets go of the GIL while it
  writes, so the two overlap). Cancel stops the running job and the one ahead: that file is
  not stored, files stored before it stay, files after it are not started.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from coder.errors import SessionCoderError
from coder.model import ColumnMap, ImportOptions, ParsedTranscript, SegmentationOptions
from coder.rowcolumns import column

from ui.importing.models import (CANCELLED, FAILED, IMPORTED, IMPORTING, SKIPPED, FileEntry, plural,
                            short_error)
from ui.shell.jobs import Job, JobRunner

UNIT_WORDS = {"turn": "turn", "sentence": "sentence", "window": "window"}


@dataclass(frozen=True)
class PreviewResult:
    headers: list[str] | None            # tables only
    columns: ColumnMap | None            # the mapping used (guessed when none was given)
    parsed: ParsedTranscript | None
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
    return PreviewResult(headers, columns, parsed)


def prepare_compact(importing, path: Path, options: ImportOptions,
                    segmentation: SegmentationOptions, *, progress=None, cancel=None):
    """A job: one file read, parsed and segmented, its turns and units as columns (cheaper
    for the store on the main thread; `PreparedImport.compact`)."""
    return importing.prepare(path, options, segmentation, progress=progress,
                             cancel=cancel).compact()


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
        self.ahead: Job | None = None        # preparing the file after it
        self.cancel_requested = False
        self.done = False

    @property
    def running(self) -> bool:
        return not self.done and self.index >= 0

    def start(self) -> None:
        self.events.hold()                   # released, announcing every file, in _finish
        self._next()

    def cancel(self) -> None:
        """Stop after the running file (which is not stored)."""
        self.cancel_requested = True
        for job in (self.job, self.ahead):
            if job is not None:
                job.cancel()

    def abort(self) -> None:
        """Cancel, wait for the job to stop, and end the run now (the dialog is closing)."""
        if self.done:
            return
        self.cancel()
        if self.ahead is not None:
            self.ahead.wait()
        if self.job is not None:
            self.job.wait()
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
        self.job, self.ahead = self.ahead or self._prepare(entry), None
        self.progressed.emit(self.index, 0, 0, f"Reading {entry.path.name}…")
        self.file_started.emit(entry)

    def _prepare(self, entry: FileEntry) -> Job:
        """A job preparing ``entry``; its signals count once it is the current file's
        (queued signals reach this thread after `_next` made it so)."""
        job = self.runner.start(f"Import {entry.path.name}", prepare_compact,
                                self.events.project.importing, entry.path,
                                self.options_for(entry), self.segmentation,
                                on_error=lambda msg: self._failed(job, msg))
        job.progressed.connect(lambda d, t, _m: self._progress(job, d, t))
        job.finished.connect(lambda r: self._prepared(job, r))
        job.cancelled.connect(lambda: self._cancelled(job))
        return job

    def _current(self, job: Job) -> FileEntry | None:
        return None if self.done or job is not self.job else self.entries[self.index]

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
        if self.index + 1 < len(self.entries):      # the next file, while this one is stored
            self.ahead = self._prepare(self.entries[self.index + 1])
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
        self._next()

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
        self.job = self.ahead = None
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
