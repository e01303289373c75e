"""Backups of a project file: made with SQLite's online backup API, verified, rotated, listed
and restored.

Rules that hold here:
- the source is checked before a backup is made: a damaged project is never backed up;
- every new backup is written to a private temporary file, checked (integrity check + it
  opens as a project), flushed and renamed into place; one that fails is deleted and the
  existing backups are left alone, so the newest good backup is never rotated out for a bad one;
- a restore keeps the file it replaces (with its -wal/-shm) beside it under a new name, and
  refuses while another Session Coder holds the project lock.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..atomic import create_new, fsync_dir, replace_durably
from ..errors import ProjectError
from .integrity import (FULL_CHECK_ON_OPEN_BYTES, IntegrityReport, check_connection,
                        check_on_open, connect_readonly)
from .lock import ProjectLock
from .migrations import SCHEMA_VERSION

BACKUPS_KEPT = 5
BACKUP_INTERVAL_S = 3600
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(ProjectError):
    """A backup could not be made or restored; nothing was changed."""


def backup_dir(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backups")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    target = folder / f"{stem}{suffix}"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


# -- verdicts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """Whether a file can be restored: `ok`, or `text` says why not."""

    ok: bool
    text: str
    project_name: str | None = None
    schema: int | None = None


def verify_backup(path: Path) -> Verdict:
    """Integrity check (the full one on files up to 50 MB) and: does it open as a project?"""
    report = check_on_open(path, immutable=True)
    if not report.ok:
        return Verdict(False, f"damaged: {report.summary()}")
    try:
        conn = connect_readonly(path, immutable=True)
        try:
            rows = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('project_name', 'schema_version')"))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Verdict(False, f"not a Session Coder project ({exc})")
    name = rows.get("project_name")
    try:
        schema = int(rows.get("schema_version", ""))
    except ValueError:
        return Verdict(False, "not a Session Coder project (no schema version)")
    if name is None:
        return Verdict(False, "not a Session Coder project (no project name)")
    if schema > SCHEMA_VERSION:
        return Verdict(False, f"saved by a newer Session Coder (schema {schema})", name, schema)
    return Verdict(True, "ok", name, schema)


# -- making backups ----------------------------------------------------------------------------
def _copy_verified(source: sqlite3.Connection, target: Path) -> Path:
    """Online backup of `source` into a private temp file beside `target`, verified, then
    renamed to `target` (which must not exist). Raises BackupError; leaves nothing behind."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    os.close(create_new(tmp, private=True))
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")   # one self-contained file
        finally:
            dest.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        verdict = verify_backup(tmp)
        if not verdict.ok:
            raise BackupError(f"{target}: the new backup failed its check ({verdict.text}); "
                              "it was deleted and the older backups kept")
        replace_durably(tmp, target)
    except sqlite3.Error as exc:
        raise BackupError(f"{target}: no backup could be made ({exc})") from None
    finally:
        for suffix in ("", *SIDE_FILES):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return target


def _check_source(source: sqlite3.Connection, path: Path) -> None:
    size = path.stat().st_size if path.exists() else 0
    report = check_connection(source, full=size <= FULL_CHECK_ON_OPEN_BYTES)
    if not report.ok:
        raise BackupError(f"{path}: the project failed its integrity check "
                          f"({report.summary()}); no backup was made, the older ones are kept")


def make_backup(source: sqlite3.Connection, path: Path, target: Path, *,
                source_checked: bool = False) -> Path:
    """A verified backup of the open project `path` (DB-API connection `source`)."""
    if not source_checked:
        _check_source(source, path)
    return _copy_verified(source, target)


def backup_beside(source: sqlite3.Connection, path: Path, tag: str) -> Path:
    """A verified backup next to the project (before a schema upgrade)."""
    target = _free_name(path.parent, f"{path.stem}.{tag}-{_stamp()}", f"{path.suffix}.bak")
    return make_backup(source, path, target)


_STAMP = re.compile(r"(\d{8}-\d{6})")


def _taken(p: Path) -> datetime:
    """When a backup was made: the time in its name (copying keeps it), else its mtime."""
    found = _STAMP.findall(p.name)
    if found:
        try:
            return datetime.strptime(found[-1], "%Y%m%d-%H%M%S")
        except ValueError:
            pass
    return datetime.fromtimestamp(p.stat().st_mtime)


def _hourly(path: Path) -> list[Path]:
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir()
             if p.name.startswith(f"{path.stem}-") and p.name.endswith(path.suffix)
             and p.is_file()]
    return sorted(found, key=lambda p: (_taken(p), p.stat().st_mtime_ns, p.name))


def rotate_backups(source: sqlite3.Connection, path: Path, *, keep: int | None = None,
                   min_interval_s: float | None = None,
                   source_checked: bool = False) -> Path | None:
    """On open: a verified backup into `<name>.backups/`, at most one per interval, keeping
    the newest `keep`. Returns the new backup, or None when the last one is recent. Raises
    BackupError (nothing deleted) when the project or the new copy fails its check."""
    keep = BACKUPS_KEPT if keep is None else max(1, keep)
    min_interval_s = BACKUP_INTERVAL_S if min_interval_s is None else min_interval_s
    existing = _hourly(path)
    if existing and time.time() - existing[-1].stat().st_mtime < min_interval_s:
        return None
    folder = backup_dir(path)
    if not folder.exists():
        folder.mkdir(mode=0o700)
        fsync_dir(folder.parent)
    target = _free_name(folder, f"{path.stem}-{_stamp()}", path.suffix)
    made = make_backup(source, path, target, source_checked=source_checked)
    # `made` passed its check, so it is the newest good backup: only older ones go.
    for old in [p for p in _hourly(path) if p != made][:-(keep - 1) or None]:
        old.unlink(missing_ok=True)
    fsync_dir(folder)
    return made


@dataclass(frozen=True)
class CheckedBackup:
    """What `check_then_back_up` found and did."""
    report: IntegrityReport
    backup: Path | None = None          # the new backup (None: recent one kept, or none made)
    problem: str | None = None          # why no backup could be made, in one line


def check_then_back_up(path: Path, progress=None, cancel=None) -> CheckedBackup:
    """The open of a large file, finished in the background (``fn(path, progress, cancel)``):
    the complete integrity check that the open skipped, then — only if it passed — the
    hourly verified backup, copied from that checked file on a connection of its own (the
    app keeps coding meanwhile: WAL readers do not block the writer, and the one-step online
    backup copies the state of one read transaction). A damaged file gets no backup, so it
    can never rotate out a good one."""
    from .integrity import connect_readonly, full_check
    report = full_check(path, progress, cancel)
    if not report.ok:
        return CheckedBackup(report)
    try:
        source = connect_readonly(path)
        try:
            made = rotate_backups(source, path, source_checked=True)
        finally:
            source.close()
    except OSError as exc:
        return CheckedBackup(report, problem=f"no backup copy could be made ({exc.strerror})")
    except (BackupError, sqlite3.Error) as exc:
        return CheckedBackup(report, problem=str(exc))
    return CheckedBackup(report, made)


# -- listing and restoring ---------------------------------------------------------------------
@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime
    size: int
    kind: str            # "hourly" or "before upgrade"
    verdict: Verdict


def list_backups(path: Path, *, verify: bool = True) -> list[BackupInfo]:
    """Every backup of the project at `path`, newest first, each with its verdict."""
    path = Path(path)
    found = [(p, "hourly") for p in _hourly(path)]
    if path.parent.is_dir():
        found += [(p, "before upgrade") for p in path.parent.iterdir()
                  if p.name.startswith(f"{path.stem}.") and p.name.endswith(f"{path.suffix}.bak")]
    found.sort(key=lambda pk: (_taken(pk[0]), pk[0].stat().st_mtime_ns, pk[0].name),
               reverse=True)
    infos = []
    for p, kind in found:
        st = p.stat()
        verdict = verify_backup(p) if verify else Verdict(True, "not checked")
        infos.append(BackupInfo(p, _taken(p), st.st_size, kind, verdict))
    return infos


def find_backup(path: Path, name: str | Path) -> Path:
    """A backup given by path, or by file name among the project's backups."""
    candidate = Path(name)
    if candidate.is_file():
        return candidate
    for info in list_backups(path, verify=False):
        if info.path.name == candidate.name:
            return info.path
    raise BackupError(f"{name}: no such backup of {path}; list them with "
                      f"'python main.py restore {path} --list'")


@dataclass(frozen=True)
class RestoreResult:
    project: Path
    source: Path
    kept: Path | None        # the replaced file, renamed; None when there was none


def restore_backup(path: Path, backup: Path) -> RestoreResult:
    """Replace the project at `path` by a good backup. The replaced file (and its -wal/-shm)
    is kept beside it as `<name>.replaced-<time>.scproj`. Refuses while another process
    holds the project lock, and refuses a backup that fails its check."""
    path, backup = Path(path), Path(backup)
    verdict = verify_backup(backup)
    if not verdict.ok:
        raise BackupError(f"{backup}: cannot be restored ({verdict.text})")
    lock = ProjectLock(path)
    lock.acquire()
    try:
        fresh = _free_name(path.parent, f".{path.stem}.restoring-{secrets.token_hex(4)}",
                           path.suffix)
        src = connect_readonly(backup, immutable=True)
        try:
            _copy_verified(src, fresh)
        finally:
            src.close()
        kept = None
        if path.exists():
            kept = _free_name(path.parent, f"{path.stem}.replaced-{_stamp()}", path.suffix)
            os.replace(path, kept)
            for suffix in SIDE_FILES:
                side = Path(str(path) + suffix)
                if side.exists():
                    os.replace(side, Path(str(kept) + suffix))
        replace_durably(fresh, path)
    finally:
        lock.release()
    return RestoreResult(path, backup, kept)


def damage_message(path: Path, report: IntegrityReport) -> str:
    """One line: what is wrong, that a backup can be restored, and the command to do it."""
    import shlex
    q = shlex.quote(str(path))
    count = len(list_backups(path, verify=False))
    head = (f"{path}: the project file is damaged ({report.summary()}), so it cannot be read "
            f"safely; nothing was changed.")
    if not count:
        return f"{head} No backup of it was found (none in {backup_dir(path).name}/)."
    return (f"{head} {count} backup(s) found: see them with 'python main.py restore {q} "
            f"--list', restore one with 'python main.py restore {q} --from BACKUP'.")


def verify_all(path: Path, progress=None, cancel=None) -> list[BackupInfo]:
    """`list_backups` with verdicts, as a background job (``fn(path, progress, cancel)``)."""
    from ..jobs import Cancelled
    listed = list_backups(path, verify=False)
    done = []
    for i, info in enumerate(listed):
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(i, len(listed))
        done.append(BackupInfo(info.path, info.taken, info.size, info.kind,
                               verify_backup(info.path)))
    return done
