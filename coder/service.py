"""ProjectService: the one door into the core (DESIGN.md, rule 2).

The GUI and the CLI both open a project through this class and ask it to do things; neither
reaches the database, the importers or spaCy directly. The class is assembled from parts in
`coder/access/` (transcripts, import, codebook, coding), one responsibility each. Writes take the project lock; reads
of a project that another instance holds open are allowed (``readonly=True``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from .access.codebook import CodebookAccess
from .access.coding import CodingAccess
from .access.imports import DuplicateTranscriptError, ImportAccess
from .access.export import ExportAccess
from .access.feedback import FeedbackAccess
from .access.reliability import ReliabilityAccess
from .access.transcripts import TranscriptAccess
from .codebook.shipped import default_codebook_path
from .codebook.commands import EditCodebook
from .codebook.files import read_codebook_file
from .commands import ChangeSet, Command
from .errors import ProjectError, TranscriptFormatError
from .store.database import create_project_file, open_project_file, rotate_backups
from .store.lock import REFRESH_EVERY_S, ProjectLock
from .store.schema import meta


class ProjectService(TranscriptAccess, ImportAccess, CodebookAccess, CodingAccess,
                     ReliabilityAccess, ExportAccess, FeedbackAccess):
    """An open project. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None) -> None:
        self.path = path
        self._engine = engine
        self._lock = lock
        with engine.connect() as conn:
            self.name = conn.execute(select(meta.c.value)
                                     .where(meta.c.key == "project_name")).scalar_one()

    # -- opening and closing -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, name: str | None = None, *,
               codebook: str | Path | None = None, empty: bool = False) -> ProjectService:
        """A new project file with the codebook at `codebook` (default: the shipped alliance &
        safeness codebook; `empty=True`: none). The codebook is read before the file is made,
        so a bad codebook leaves no project behind."""
        path = Path(path)
        book = None if empty else read_codebook_file(codebook or default_codebook_path())
        lock = ProjectLock(path)
        lock.acquire()
        try:
            engine = create_project_file(path, name or path.stem)
        except BaseException:
            lock.release()
            raise
        project = cls(path, engine, lock)
        if book is not None:
            source = Path(codebook or default_codebook_path()).name
            project.perform(EditCodebook(None, book[0], f"Use codebook '{book[0].name}'",
                                         source=source))
        return project

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False,
             backup: bool = True) -> ProjectService:
        """Open a project. Writable opens take the lock and keep rotating backups in
        `<name>.backups/` (at most one an hour, the newest five)."""
        path = Path(path)
        if readonly:
            return cls(path, open_project_file(path, readonly=True), None)
        lock = ProjectLock(path)
        lock.acquire()
        try:
            engine = open_project_file(path)
        except BaseException:
            lock.release()
            raise
        project = cls(path, engine, lock)
        if backup:
            try:
                project.last_backup = rotate_backups(engine, path)
            except OSError as exc:      # a full disk must not stop the work; say so
                project.backup_problem = f"no backup copy could be made ({exc.strerror})"
        return project

    last_backup: Path | None = None
    backup_problem: str | None = None

    @property
    def readonly(self) -> bool:
        return self._lock is None

    def keep_alive(self) -> None:
        """Refresh the project lock; call at least every `REFRESH_INTERVAL_S` seconds."""
        if self._lock is not None:
            self._lock.refresh()

    REFRESH_INTERVAL_S = REFRESH_EVERY_S

    def close(self) -> None:
        self._engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ProjectService:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _writable(self) -> None:
        if self._lock is None:
            raise ProjectError(f"{self.path}: opened read-only")

    # -- commands (DESIGN.md rule 3) ---------------------------------------------------------
    def perform(self, command: Command) -> ChangeSet:
        """Apply a command in one transaction: committed before this returns."""
        self._writable()
        with self._engine.begin() as conn:
            return command.apply(conn)

    def revert(self, command: Command) -> ChangeSet:
        self._writable()
        with self._engine.begin() as conn:
            return command.revert(conn)

__all__ = ["ProjectService", "DuplicateTranscriptError", "TranscriptFormatError"]
