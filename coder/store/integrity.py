"""Is a project file (or a backup) intact? SQLite's own checks, read-only.

- `quick_check` reads every page and checks the b-trees' structure; it is O(pages) and runs
  on every open (bench/bench_integrity.py: its cost on a 100 MB project).
- `integrity_check` also checks that every index matches its table; on files up to
  `FULL_CHECK_ON_OPEN_BYTES` it replaces the quick check on open, on larger ones the GUI runs
  `full_check` in the background (a job: ``fn(path, progress, cancel)``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..jobs import Cancelled

FULL_CHECK_ON_OPEN_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 20
_STEPS_PER_CALLBACK = 1_000
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class IntegrityReport:
    """The verdict on one file: `ok`, or the problems SQLite found (at most `MAX_PROBLEMS`)."""

    ok: bool
    problems: tuple[str, ...] = ()
    full: bool = False          # integrity_check (True) or quick_check (False)

    def summary(self) -> str:
        if self.ok:
            return "ok"
        first = self.problems[0] if self.problems else "unknown problem"
        more = len(self.problems) - 1
        if more <= 0:
            return first
        more = f"{more}+" if len(self.problems) >= MAX_PROBLEMS else str(more)
        return f"{first}; and {more} more problem(s)"


def connect_readonly(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A plain read-only connection. `immutable` for files nobody writes (backups): no
    locks, no -wal/-shm files created beside it."""
    uri = Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def check_connection(conn: sqlite3.Connection, *, full: bool = False,
                     progress: Callable[[int, int], None] | None = None,
                     cancel: Callable[[], bool] | None = None) -> IntegrityReport:
    """Run quick_check (or integrity_check with `full`) on an open DB-API connection.
    `cancel()` returning True stops it (raises `Cancelled`); `progress(steps, 0)` ticks
    (SQLite cannot say how far along it is)."""
    pragma = "integrity_check" if full else "quick_check"
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += 1
        if progress is not None:
            progress(steps, 0)
        return 1 if cancel is not None and cancel() else 0

    if progress is not None or cancel is not None:
        conn.set_progress_handler(tick, _STEPS_PER_CALLBACK)
    try:
        rows = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except sqlite3.OperationalError as exc:
        if cancel is not None and cancel():
            raise Cancelled() from None
        return IntegrityReport(False, (str(exc),), full)
    except sqlite3.DatabaseError as exc:      # "database disk image is malformed", ...
        return IntegrityReport(False, (str(exc),), full)
    finally:
        if progress is not None or cancel is not None:
            conn.set_progress_handler(None, 0)
    problems = tuple(line.strip() for r in rows for line in str(r[0]).splitlines()
                     if line.strip() and not line.startswith("*** in database"))
    if problems == ("ok",):
        return IntegrityReport(True, (), full)
    return IntegrityReport(False, problems or ("no answer from the check",), full)


def check_file(path: Path, *, full: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancel: Callable[[], bool] | None = None,
               immutable: bool = False) -> IntegrityReport:
    """Check a file on disk through its own read-only connection."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return IntegrityReport(False, (f"cannot be read ({exc.strerror or exc})",), full)
    if head != SQLITE_MAGIC:
        return IntegrityReport(False, ("not a database file",), full)
    try:
        conn = connect_readonly(path, immutable=immutable)
    except sqlite3.Error as exc:
        return IntegrityReport(False, (str(exc),), full)
    try:
        return check_connection(conn, full=full, progress=progress, cancel=cancel)
    finally:
        conn.close()


def _prefetch(path: Path) -> None:
    """Read the file once, in order, into the OS cache. The check walks the b-trees in page
    order, which on a cold cache is thousands of small random reads (2.4 s for 100 MB here);
    one sequential pass first costs ~70 ms and makes the check run from memory."""
    buffer = bytearray(1 << 20)
    try:
        with open(path, "rb", buffering=0) as fh:
            while fh.readinto(buffer):
                pass
    except OSError:
        pass                    # the check itself will say what is wrong


def check_on_open(path: Path, *, immutable: bool = False) -> IntegrityReport:
    """The check every open runs: the full one on small files, the quick one on large."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    _prefetch(path)
    return check_file(path, full=size <= FULL_CHECK_ON_OPEN_BYTES, immutable=immutable)


def needs_background_check(path: Path) -> bool:
    """True when the open-time check was only the quick one (large file)."""
    try:
        return Path(path).stat().st_size > FULL_CHECK_ON_OPEN_BYTES
    except OSError:
        return False


def full_check(path: Path, progress: Callable[[int, int], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> IntegrityReport:
    """The complete integrity_check, as a background job (``fn(path, progress, cancel)``)."""
    return check_file(path, full=True, progress=progress, cancel=cancel)
