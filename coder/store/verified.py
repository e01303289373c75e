"""Verified marks: "this large project file is the one that last passed its check".

Reading all 802 MiB of a 1,000-session study for the open-time `quick_check` took 4.4 s of
CPU and 12-16 s of wall on every open (bench/README.md, issue 17). Above
`FULL_CHECK_ON_OPEN_BYTES` the check is skipped when the file's identity equals its mark:

- the mark is written after a check of the file passed (`remember`) and again after our own
  clean close of a writable project (the file as our writes and the last checkpoint left it);
- it lives outside the project, in the app's data folder (`coder.crashlog.app_data_dir()`,
  ``$SESSION_CODER_HOME/data`` in tests), one small JSON file per project path;
- the identity is the resolved path, size, mtime_ns, ctime_ns, inode and device, the -wal
  file's size and mtime_ns (or its absence; an empty one counts as absent), and the SQLite
  header's file change counter, page count and schema cookie. Any byte written through the file system changes mtime and
  ctime (a forged mtime via `os.utime` still moves ctime), so the check runs again;
- it is forgotten (`forget`) as soon as any check of the file fails.

What a mark cannot see: damage that no write through the file system made (a bad sector,
bit rot under the file system, a disk image restored with its old times), or a change within
one tick of a coarse file-system clock. The app's background `integrity_check` of every large
file after it opens is what still catches those. A mark never lets a backup be rotated
(`coder.store.backup`: the source is checked in the process that rotates).

A mark is an optimisation: when it cannot be read or written, the check simply runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

MARK_FOLDER = "verified"
_HEADER = 100


@dataclass(frozen=True)
class FileIdentity:
    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int
    wal_size: int | None            # None: no -wal file beside it, or an empty one
    wal_mtime_ns: int | None
    change_counter: int             # SQLite header, offset 24
    page_count: int                 # offset 28
    schema_cookie: int              # offset 40


def identity(path: Path) -> FileIdentity | None:
    """The file's identity now, or None when it cannot be read as a SQLite file."""
    try:
        resolved = Path(path).resolve()
        st = os.stat(resolved)
        with open(resolved, "rb") as fh:
            head = fh.read(_HEADER)
    except OSError:
        return None
    if len(head) < _HEADER or not head.startswith(b"SQLite format 3\x00"):
        return None
    try:        # an empty -wal (a read-only connection leaves one) holds nothing: as absent
        wal = os.stat(str(resolved) + "-wal")
        wal_size, wal_mtime = (wal.st_size, wal.st_mtime_ns) if wal.st_size else (None, None)
    except OSError:
        wal_size = wal_mtime = None
    counter, pages = struct.unpack(">II", head[24:32])
    (cookie,) = struct.unpack(">I", head[40:44])
    return FileIdentity(str(resolved), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                        st.st_dev, wal_size, wal_mtime, counter, pages, cookie)


def mark_path(path: Path) -> Path:
    """Where the mark of the project at `path` is kept."""
    from ..crashlog import app_data_dir
    key = hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogatepass"))
    return app_data_dir() / MARK_FOLDER / f"{key.hexdigest()[:32]}.json"


def read_mark(path: Path) -> FileIdentity | None:
    try:
        data = json.loads(mark_path(path).read_text(encoding="utf-8"))
        return FileIdentity(**data["identity"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def matches(path: Path) -> bool:
    """True when the file at `path` is, by every field, the one its mark recorded."""
    mark = read_mark(path)
    return mark is not None and identity(path) == mark


def remember(path: Path, why: str) -> bool:
    """Record the file's identity now as verified (`why`: "check passed", "clean close").
    False when it could not be recorded (the next open then checks)."""
    from ..atomic import write_atomic
    from ..errors import SessionCoderError
    ident = identity(path)
    if ident is None:
        forget(path)
        return False
    target = mark_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, json.dumps({"why": why, "identity": asdict(ident)},
                                        indent=1).encode("utf-8"), private=True)
    except (OSError, SessionCoderError):
        return False
    return True


def forget(path: Path) -> None:
    """Drop the mark: the next open of `path` runs the check."""
    try:
        mark_path(path).unlink(missing_ok=True)
    except OSError:
        pass
