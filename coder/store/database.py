"""Open, create and migrate a project file. The only module that knows the file is SQLite."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.exc import DatabaseError

from ..atomic import create_new
from ..errors import DamagedProjectError, ProjectError
from .integrity import check_on_open, needs_background_check
from .migrations import SCHEMA_VERSION, migrate, read_version
from .schema import meta

PROJECT_SUFFIX = ".scproj"


def _engine(path: Path, readonly: bool = False) -> Engine:
    url = f"sqlite:///file:{path}?mode=ro&uri=true" if readonly else f"sqlite:///{path}"
    engine = create_engine(url, future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:   # noqa: ANN001 - DB-API objects
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 5000")
        if not readonly:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    return engine


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def create_project_file(path: Path, name: str) -> Engine:
    """Create a new, empty project at `path` (which must not exist)."""
    if path.exists():
        raise ProjectError(f"{path}: a file of that name already exists")
    if not path.parent.exists():
        raise ProjectError(f"{path}: the folder {path.parent} does not exist")
    try:        # owner-only from the start: SQLite gives -wal/-shm the same mode
        os.close(create_new(path, private=True))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be created ({exc.strerror or exc})") from None
    engine = _engine(path)
    try:
        init_schema(engine, name)
    except Exception:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return engine


def init_schema(engine: Engine, name: str) -> None:
    """Create the newest schema in an empty database (any dialect) and name the project."""
    with engine.begin() as conn:
        migrate(conn, 0)
        conn.execute(insert(meta), [
            {"key": "project_name", "value": name},
            {"key": "created_at", "value": _now()},
        ])


def check_before_open(path: Path) -> str:
    """The open-time check of an existing SQLite file: "mark" when the file is larger than
    `FULL_CHECK_ON_OPEN_BYTES` and is by every field the one its verified mark recorded
    (`coder.store.verified`), else "checked" after `check_on_open` passed (the mark is then
    written for a large file). A failed check drops the mark and raises
    `DamagedProjectError` (one line: what is wrong, how to restore a backup)."""
    from . import verified
    large = needs_background_check(path)
    if large and verified.matches(path):
        return "mark"
    report = check_on_open(path)
    if not report.ok:
        verified.forget(path)
        from .backup import damage_message
        raise DamagedProjectError(damage_message(path, report), path=str(path),
                                  problem=report.summary())
    if large:
        verified.remember(path, "check passed")
    return "checked"


def open_project_file(path: Path, *, readonly: bool = False, check: bool = True) -> Engine:
    """`open_project` without saying how the file was vouched for."""
    return open_project(path, readonly=readonly, check=check)[0]


def open_project(path: Path, *, readonly: bool = False,
                 check: bool = True) -> tuple[Engine, str | None]:
    """Open an existing project, migrating it forward (after a backup copy) if it is older.

    With `check`, the file first passes `check_before_open` (SQLite's integrity check, or a
    large file's verified mark), else `DamagedProjectError` says what is wrong and how to
    restore a backup. Returns the engine and `check_before_open`'s answer ("checked",
    "mark"), None without `check`."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise ProjectError(f"{path}: not a Session Coder project (not a database file)")
    how = check_before_open(path) if check else None
    engine = _engine(path, readonly)
    try:
        with engine.connect() as conn:
            try:
                version = read_version(conn)
            except ProjectError as exc:
                raise ProjectError(f"{path}: {exc}") from None
            if version == 0 or conn.execute(
                    select(meta.c.value).where(meta.c.key == "project_name")).scalar() is None:
                raise ProjectError(f"{path}: not a Session Coder project (no project table)")
    except DatabaseError as exc:
        engine.dispose()
        raise ProjectError(f"{path}: cannot be read as a project ({exc.orig})") from None
    except ProjectError:
        engine.dispose()
        raise
    if version > SCHEMA_VERSION:
        engine.dispose()
        raise ProjectError(
            f"{path}: saved by a newer Session Coder (schema {version}; this version reads up "
            f"to {SCHEMA_VERSION}). Update the app to open it.")
    if version < SCHEMA_VERSION:
        if readonly:
            engine.dispose()
            raise ProjectError(f"{path}: needs an upgrade (schema {version} -> "
                               f"{SCHEMA_VERSION}); open it once for writing first")
        try:        # no verified backup, no upgrade
            backup_copy(engine, path, f"schema{version}")
            with engine.begin() as conn:
                migrate(conn, version)
        except BaseException:
            engine.dispose()
            raise
    return engine, how


def raw_sqlite(engine: Engine):
    """The DB-API sqlite3 connection under a pooled connection (close the wrapper after)."""
    return engine.raw_connection()


def backup_copy(engine: Engine, path: Path, tag: str) -> Path:
    """Verified copy of the project next to it (SQLite online backup), returned."""
    from .backup import backup_beside
    raw = raw_sqlite(engine)
    try:
        return backup_beside(raw.driver_connection, path, tag)
    finally:
        raw.close()


def rotate_backups(engine: Engine, path: Path, **options) -> Path | None:
    """A verified backup into `<name>.backups/` (see `coder.store.backup.rotate_backups`)."""
    from .backup import rotate_backups as rotate
    raw = raw_sqlite(engine)
    try:
        return rotate(raw.driver_connection, path, **options)
    finally:
        raw.close()
