"""One writer per project: an OS-level lock on a lock file beside the project.

The writer holds an exclusive, non-blocking lock on `<project>.lock` (`fcntl.flock` on POSIX,
`msvcrt.locking` on Windows) for as long as the project is open. The operating system drops
that lock when the process ends, however it ends, so a crashed writer leaves no lock behind:
a lock file nobody holds is stale and the next writer simply takes it. Taking it is atomic —
the kernel grants the lock to one process only — so two processes racing for a stale lock
never both win (tests/core/test_lock_race.py runs a thousand such races).

The file also records the holder's user, host, process id and start time, for the "open
elsewhere" message. A network drive may not pass locks between machines, so a lock file
written by *another host* counts as held until it has not been refreshed for `STALE_AFTER_S`
seconds (a live holder refreshes it every `REFRESH_EVERY_S`).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ProjectError, ProjectLockedError

STALE_AFTER_S = 15 * 60
REFRESH_EVERY_S = 60
_WINDOWS = os.name == "nt"
_LOCK_OFFSET = 1 << 20        # Windows: lock a byte far past the text, so readers can read it

if _WINDOWS:                  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        except OSError as exc:      # ENOLCK and the like: a file system without locks
            os.close(fd)
            raise ProjectError(f"the folder's file system does not support file locks "
                               f"({exc.strerror or exc}); copy the project to a local folder "
                               "to work on it") from None
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:           # no user name in the environment or the password database
        return "?"


class ProjectLock:
    """Exclusive write lock for one project file."""

    def __init__(self, project_path: Path) -> None:
        self.path = Path(str(project_path) + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _payload(self) -> bytes:
        return json.dumps({
            "user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }).encode()

    def holder(self) -> dict | None:
        """What the lock file says, or None when there is none (or it is unreadable)."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) else None

    def _same_file(self, fd: int) -> bool:
        """The locked file is still the one at `path` (not unlinked by a releasing holder)."""
        if _WINDOWS:            # pragma: no cover - open files cannot be unlinked there
            return True
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except OSError:
            return False

    def _held_on_another_host(self, fd: int) -> bool:
        """A lock file from another machine, refreshed lately: its locks may not reach us."""
        info = self.holder()
        if not info or info.get("host") in (None, socket.gethostname()):
            return False
        return time.time() - os.fstat(fd).st_mtime <= STALE_AFTER_S

    def _refuse(self) -> None:
        info = self.holder() or {}
        who = f" by {info['user']}" if info.get("user") else ""
        raise ProjectLockedError(
            f"{self.path.with_suffix('')}: the project is open for writing in another "
            f"Session Coder{who} (process {info.get('pid', '?')} on {info.get('host', '?')} "
            f"since {info.get('since', '?')}). Close it there first; the lock goes away "
            f"when that program ends.")

    def acquire(self) -> None:
        if self.held:
            return
        for _ in range(100):        # only a holder releasing at that instant makes us retry
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.path, flags, 0o666)     # no client data: follows the umask
            try:
                locked = _try_lock(fd)
            except ProjectError as exc:
                raise ProjectError(f"{self.path.with_suffix('')}: {exc}") from None
            if not locked:
                released = not self._same_file(fd)    # the holder let go just now
                os.close(fd)
                if released:
                    continue
                self._refuse()
            if not self._same_file(fd):
                _unlock(fd)
                os.close(fd)
                continue
            if self._held_on_another_host(fd):
                _unlock(fd)
                os.close(fd)
                self._refuse()
            try:
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, self._payload())
            except OSError:
                _unlock(fd)
                os.close(fd)
                raise
            self._fd = fd
            return
        raise ProjectLockedError(f"{self.path}: could not take the project lock")

    def refresh(self) -> None:
        """Tell instances on other hosts that this holder is still alive."""
        if self.held:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if not _WINDOWS and self._same_file(fd):
            self.path.unlink(missing_ok=True)     # while still locked: nobody can be mid-take
        _unlock(fd)
        os.close(fd)
        if _WINDOWS:            # pragma: no cover
            try:
                self.path.unlink()
            except OSError:
                pass
