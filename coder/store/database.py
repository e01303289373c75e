"""Open, create and migrate a project file. The only module that knows the file is SQLite."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.exc import DatabaseError

from ..errors import ProjectError
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


def open_project_file(path: Path, *, readonly: bool = False) -> Engine:
    """Open an existing project, migrating it forward (after a backup copy) if it is older."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise ProjectError(f"{path}: not a Session Coder project (not a database file)")
    engine = _engine(path, readonly)
    try:
        with engine.connect() as conn:
            version = read_version(conn)
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
        backup_copy(engine, path, f"schema{version}")
        with engine.begin() as conn:
            migrate(conn, version)
    return engine


def backup_copy(engine: Engine, path: Path, tag: str) -> Path:
    """Consistent copy of the project next to it (SQLite online backup), returned."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}.bak")
    _sqlite_backup(engine, target)
    return target


def _sqlite_backup(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(str(target))
        try:
            raw.driver_connection.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()


BACKUPS_KEPT = 5
BACKUP_INTERVAL_S = 3600


def backup_dir(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backups")


def rotate_backups(engine: Engine, path: Path, *, keep: int | None = None,
                   min_interval_s: float | None = None) -> Path | None:
    """On open: a consistent copy into `<name>.backups/`, at most one per interval, keeping
    the newest `keep`. Returns the new backup, or None when the last one is recent."""
    keep = BACKUPS_KEPT if keep is None else keep
    min_interval_s = BACKUP_INTERVAL_S if min_interval_s is None else min_interval_s
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    existing = sorted(folder.glob(f"{path.stem}-*{path.suffix}"))
    if existing and time.time() - existing[-1].stat().st_mtime < min_interval_s:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    _sqlite_backup(engine, target)
    for old in sorted(folder.glob(f"{path.stem}-*{path.suffix}"))[:-keep]:
        old.unlink(missing_ok=True)
    return target

