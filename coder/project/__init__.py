"""`Project`: the one door into the core (DESIGN.md rule 2), an open project with named parts.

    with Project.open("study.scproj") as project:
        project.sign_in("Ana")                       # the access policy follows
        for t in project.transcripts.list(): ...
        project.perform(ApplyCode(...))              # every write is a command

Parts (each a small class with its dependencies passed in): ``transcripts``, ``importing``,
``codebook``, ``raters``, ``assignments``, ``codings``, ``reliability``, ``exports``,
``feedback``, ``media``; the
``access`` policy answers every read and write. The GUI, the CLI and scripts all reach the core
through this object and core value types. Writes take the project lock; a read-only open of a
project that another instance holds is allowed (``readonly=True``).
"""

from __future__ import annotations

import time

from collections.abc import Callable
from pathlib import Path

from ..codebook.commands import EditCodebook
from ..codebook.files import read_codebook_file
from ..codebook.shipped import default_codebook_path
from ..commands import ChangeSet, Command
from ..errors import DamagedProjectError, ProjectError
from ..importers.commands import SetProjectUnit
from ..model import Rater, SegmentationOptions
from ..store import Store
from ..store import meta as m_store
from ..store.lock import REFRESH_EVERY_S, ProjectLock
from .access import AccessPolicy, BlindingError
from .assignments import Assignments
from .codebook import ProjectCodebook
from .codings import Codings
from .exports import Exports
from .feedback import Feedback
from .importing import Importing
from .media import Media
from .raters import Raters
from .reliability import Reliability
from .transcripts import Transcripts

Listener = Callable[[ChangeSet], None]


class Project:
    """An open project. Use as a context manager, or call `close()`."""

    REFRESH_INTERVAL_S = REFRESH_EVERY_S
    #: how long a close may spend rebuilding the snapshot cache rows this session's writes
    #: dropped (`coder.store.snapshot_read.warm_cache`), so the next reader finds them
    WARM_AT_CLOSE_S = 3.0

    def __init__(self, path: Path, store: Store, lock: ProjectLock | None, *,
                 interactive: bool = False) -> None:
        self.path = Path(path)
        self._store = store
        self._lock = lock
        self._listeners: list[Listener] = []
        self._written: tuple[set[int], set[int]] = (set(), set())    # segments, transcripts
        with store.read() as conn:
            self.name = m_store.get(conn, "project_name")
        self.last_backup: Path | None = None
        self.backup_problem: str | None = None
        self.access = AccessPolicy(self._read_blind, self._all_raters, interactive=interactive,
                                   read_passphrase=self._read_passphrase)
        perform = self.perform
        self.transcripts = Transcripts(store, self.access, perform, self.path.name)
        self.importing = Importing(store, perform)
        self.codebook = ProjectCodebook(store, perform)
        self.raters = Raters(store, self.access, perform)
        self.assignments = Assignments(store, self.access, perform)
        self.codings = Codings(store, self.access, perform, self.codebook.current, self.name)
        self.reliability = Reliability(store, self.access, self.codebook.current, self.name)
        self.exports = Exports(store, self.access, self)
        self.feedback = Feedback(store, self.access, perform)
        self.media = Media(store, perform, self.path)

    # -- opening and closing -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, name: str | None = None, *,
               codebook: str | Path | None = None, empty: bool = False,
               segmentation: SegmentationOptions | None = None) -> Project:
        """A new project file with the codebook at `codebook` (default: the shipped alliance &
        safeness codebook; `empty=True`: none) and the unit of coding its imports start from
        (default: talk turns). The codebook is read before the file is made, so a bad
        codebook leaves no project behind."""
        path = Path(path)
        unit = None if segmentation is None else SetProjectUnit(segmentation)
        book = None if empty else read_codebook_file(codebook or default_codebook_path())
        lock = ProjectLock(path)
        lock.acquire()
        try:
            store = Store.create(path, name or path.stem)
        except BaseException:
            lock.release()
            raise
        project = cls(path, store, lock)
        if unit is not None:
            project.perform(unit)
        if book is not None:
            source = Path(codebook or default_codebook_path()).name
            project.perform(EditCodebook(None, book[0], f"Use codebook '{book[0].name}'",
                                         source=source))
        return project

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, backup: bool = True,
             interactive: bool = False, allow_damaged: bool = False) -> Project:
        """Open a project. Writable opens take the lock and keep rotating verified backups
        in `<name>.backups/` (at most one an hour, the newest five).

        Every open runs SQLite's integrity check first. A damaged file raises
        `DamagedProjectError` (one line: what is wrong, how to restore a backup); with
        `allow_damaged=True` it opens read-only instead, `damage` holding that line."""
        path = Path(path)
        try:
            if readonly:
                return cls(path, Store.open(path, readonly=True), None, interactive=interactive)
            lock = ProjectLock(path)
            lock.acquire()
            try:
                store = Store.open(path)
            except BaseException:
                lock.release()
                raise
        except DamagedProjectError as exc:
            if not allow_damaged:
                raise
            return cls._open_damaged(path, exc, interactive)
        project = cls(path, store, lock, interactive=interactive)
        if backup:      # trusted as the source only after a check ran in this process:
            try:        # a verified mark alone makes rotate_backups check it first
                project.last_backup = store.rotate_backups(
                    source_checked=store.verified_by == "checked")
            except OSError as exc:      # a full disk must not stop the work; say so
                project.backup_problem = f"no backup copy could be made ({exc.strerror})"
            except ProjectError as exc:
                project.backup_problem = str(exc)
        return project

    @classmethod
    def _open_damaged(cls, path: Path, exc: DamagedProjectError,
                      interactive: bool) -> Project:
        project = cls(path, Store.open_damaged(path, str(exc)), None, interactive=interactive)
        project.damage = str(exc)
        return project

    #: Set when the file failed an integrity check: the project is read-only and says why.
    damage: str | None = None

    def mark_damaged(self, message: str) -> None:
        """A later (background) integrity check failed: refuse writes from now on, and
        drop the file's verified mark so that the next open checks it again."""
        self.damage = message
        self._store.forget_verified()

    @classmethod
    def attach(cls, store: Store, label: str, *, interactive: bool = False) -> Project:
        """A writable project over a store that is not a local file (the PostgreSQL store
        tests; groundwork for a team server, where the server does the locking)."""
        return cls(Path(label), store, _ServerLock(), interactive=interactive)

    @property
    def readonly(self) -> bool:
        return self._lock is None or self.damage is not None

    def keep_alive(self) -> None:
        """Refresh the project lock; call at least every `REFRESH_INTERVAL_S` seconds."""
        if self._lock is not None:
            self._lock.refresh()

    def close(self) -> None:
        segments, transcripts = self._written
        if self._lock is not None and self.damage is None and (segments or transcripts):
            self._store.warm_snapshot_cache(
                segments=segments, transcripts=transcripts,
                deadline=time.monotonic() + self.WARM_AT_CLOSE_S)
        self._written = (set(), set())
        # a clean close of a writable, undamaged project renews the file's verified mark
        self._store.dispose(remember=self._lock is not None and self.damage is None)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- who is working ------------------------------------------------------------------
    def sign_in(self, name_or_id: str | int, passphrase: str | None = None) -> Rater:
        """Sign in as a rater of this project (by id or name); blinding follows. A supervisor
        of a protected project needs the passphrase."""
        return self.access.sign_in(self.raters.get(name_or_id), passphrase)

    def unlock(self, passphrase: str | None) -> None:
        """Give the supervisor passphrase (headless work that reads every rater's codings)."""
        self.access.unlock(passphrase)

    def protect(self, passphrase: str):
        """Set or change the supervisor passphrase (a command; changing needs the old one)."""
        from ..coding.raters import ProtectSupervisorRole
        changes = self.perform(ProtectSupervisorRole(passphrase, self.access.viewer_id))
        self.access.unlock(passphrase)
        return changes

    @property
    def viewer(self) -> Rater | None:
        return self.access.viewer

    # -- the one door for writes (DESIGN.md rule 3) ----------------------------------------
    def perform(self, command: Command) -> ChangeSet:
        """Apply a command in one transaction: committed before this returns. Listeners
        hear the change set after the commit."""
        return self._run(command, command.apply)

    def revert(self, command: Command) -> ChangeSet:
        """Undo a performed command, in one transaction."""
        if getattr(command, "undoable", True) is False:
            raise ProjectError(f"'{command.text}' cannot be undone")
        return self._run(command, command.revert)

    def _run(self, command: Command, step) -> ChangeSet:
        self._writable()
        authorize = getattr(command, "authorize", None)
        if authorize is not None:
            authorize(self.access)
        self._raters_cache = None
        try:
            with self._store.write() as conn:
                changes = step(conn)
        finally:
            self._raters_cache = None
        self._written[0].update(changes.segments)
        self._written[1].update(changes.transcripts | changes.times)
        if changes.blinding or changes.settings:
            self.access.forget()
        for listener in list(self._listeners):
            listener(changes)
        return changes

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change_set)` after every committed command; returns the
        unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _writable(self) -> None:
        if self.damage:
            raise ProjectError(self.damage)
        if self._lock is None:
            raise ProjectError(f"{self.path}: opened read-only")

    # -- what the access policy needs, read from the store ---------------------------------
    def _read_blind(self) -> bool:
        with self._store.read() as conn:
            return m_store.get(conn, "blind", "1") == "1"

    def _read_passphrase(self) -> str | None:
        with self._store.read() as conn:
            return m_store.get(conn, "supervisor_passphrase")

    def _all_raters(self) -> list[Rater]:
        """Every rater, for the access policy, which asks several times per keypress: kept
        until the next write here, and at most two seconds (another process may add one)."""
        now = time.monotonic()
        cached = getattr(self, "_raters_cache", None)
        if cached is None or now - cached[0] > 2.0:
            cached = self._raters_cache = (now, self.raters.list())
        return list(cached[1])


class _ServerLock:
    """A database server does its own locking; nothing to hold here."""

    def refresh(self) -> None:
        pass

    def release(self) -> None:
        pass


__all__ = ["BlindingError", "Project"]
