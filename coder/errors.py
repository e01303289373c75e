"""Errors the core raises for bad input. Each says what went wrong and where."""

from __future__ import annotations


class SessionCoderError(Exception):
    """Base class: a problem a user can understand and fix (never a bug)."""


class InputError(SessionCoderError):
    """Bad input in a file: carries file name, 1-based line and column where known.

    ``str(err)`` gives ``file:line:column: message`` (parts that are unknown are left out).
    """

    def __init__(self, message: str, *, file: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def where(self) -> str:
        parts = [p for p in (self.file,
                             None if self.line is None else str(self.line),
                             None if self.column is None else str(self.column)) if p]
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class TranscriptFormatError(InputError):
    """A transcript file that cannot be imported as it is."""


class ProjectError(SessionCoderError):
    """A project file that cannot be opened or written (locked, newer schema, not a project)."""


class ProjectLockedError(ProjectError):
    """Another Session Coder is writing this project."""


class DamagedProjectError(ProjectError):
    """The project file failed SQLite's integrity check: it may only be opened read-only,
    and a backup can be restored. `problem` says what the check found."""

    def __init__(self, message: str, *, path: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.problem = problem
