"""`Store`: an open project database, the one holder of the SQLAlchemy engine.

Everything above the store asks it for a connection — ``store.read()`` for a read,
``store.write()`` for one transaction — and passes that connection to the functions of this
package, which hold all the SQL. Nothing outside `coder/store/` touches the engine.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine

from .database import (create_project_file, init_schema, open_project, open_project_file,
                       rotate_backups)


class Store:
    """One open project database (SQLite file; the schema is dialect-neutral)."""

    #: How the open vouched for the file: "checked" (the integrity check ran and passed),
    #: "mark" (a large file equal to its verified mark: no check ran in this process), or
    #: None (created here, a server database, or opened without the check).
    verified_by: str | None = None

    def __init__(self, engine: Engine, path: Path | None = None,
                 verified_by: str | None = None, *, readonly: bool = False) -> None:
        self._engine = engine
        self.path = path
        self.verified_by = verified_by
        self.readonly = readonly

    @classmethod
    def create(cls, path: Path, name: str) -> Store:
        return cls(create_project_file(path, name), path)

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, check: bool = True) -> Store:
        """Open a project file; with `check` (always, but to look inside a file already
        found damaged) it must first pass SQLite's integrity check."""
        engine, how = open_project(path, readonly=readonly, check=check)
        return cls(engine, path, how, readonly=readonly)

    @classmethod
    def open_damaged(cls, path: Path, problem: str) -> Store:
        """Read-only, without the check, a file already found damaged: as far as it can be
        read. ProjectError (carrying `problem`) when not even its name can be read."""
        from sqlalchemy.exc import DatabaseError

        from ..errors import DamagedProjectError
        from . import meta as m_store
        store = cls(open_project_file(path, readonly=True, check=False), path, readonly=True)
        try:
            with store.read() as conn:
                m_store.get(conn, "project_name")
        except DatabaseError as err:
            store.dispose()
            raise DamagedProjectError(f"{problem} (it cannot be read at all: {err.orig})",
                                      path=str(path)) from None
        return store

    @classmethod
    def from_url(cls, url: str, *, create_name: str | None = None) -> Store:
        """A store on any SQLAlchemy URL (the PostgreSQL tests; groundwork for a team
        server). With `create_name`, the schema is created in the (empty) database first."""
        from sqlalchemy import create_engine
        store = cls(create_engine(url, future=True))
        if create_name is not None:
            init_schema(store._engine, create_name)
        return store

    @property
    def local_file(self) -> Path | None:
        """The project file when the store is one another process can open itself (a local
        SQLite file), else None (a server database)."""
        if self.path is None or self.dialect != "sqlite" or not Path(self.path).is_file():
            return None
        return Path(self.path)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (no transaction is committed)."""
        with self._engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._engine.begin() as conn:
            yield conn

    @property
    def snapshot_cache(self) -> str:
        """How a snapshot read on this store treats the snapshot cache
        (:mod:`.snapshot_cache`): ``"warm"`` (use it and save what was read) when the file
        may be written, ``"use"`` when it is open read-only."""
        return "use" if self.readonly else "warm"

    def warm_snapshot_cache(self, *, segments=(), transcripts=(),
                            deadline: float | None = None) -> int:
        """Rebuild the snapshot cache rows a session's writes dropped (see
        `coder.store.snapshot_read.warm_cache`); nothing on a read-only store."""
        if self.readonly:
            return 0
        from .snapshot_read import warm_cache
        with self.read() as conn:
            return warm_cache(conn, segments=segments, transcripts=transcripts,
                              deadline=deadline)

    def read_view(self) -> ReadView:
        """A read-only view for a background job (see :mod:`coder.jobs`)."""
        return ReadView(self._engine)

    def rotate_backups(self, **options) -> Path | None:
        """A verified backup (see `coder.store.backup.rotate_backups` for `options`)."""
        if self.path is None:           # a server database keeps its own backups
            return None
        return rotate_backups(self._engine, self.path, **options)

    def dispose(self, *, remember: bool = False) -> None:
        """Close every connection. With `remember` (a clean close of a writable project
        whose file was vouched for on open), a large file's verified mark is written again
        for the file as this close left it (`coder.store.verified`)."""
        self._engine.dispose()
        if remember and self.path is not None and self.verified_by is not None:
            from . import verified
            from .integrity import needs_background_check
            if needs_background_check(self.path):
                verified.remember(self.path, "clean close")

    def forget_verified(self) -> None:
        """A later check of the file failed: no mark vouches for it any more, and none is
        written at close."""
        self.verified_by = None
        if self.path is not None:
            from . import verified
            verified.forget(self.path)


class ReadView:
    """What a worker job gets instead of the project: it can open read connections (each
    sees one consistent state of the file) and nothing else."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            yield conn


    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A connection inside one read transaction: every query sees the same state of
        the project, however long the job takes and whatever is written meanwhile."""
        with self._engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()
