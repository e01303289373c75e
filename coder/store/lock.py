"""One writer per project: a lock file beside the project.

The lock holds the writer's host, process id and start time. It is stale, and may be taken
over, when the holder is on this host and its process is gone, or when the file has not been
refreshed for `STALE_AFTER_S` seconds (a live holder refreshes it, see `refresh`).
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ProjectLockedError

STALE_AFTER_S = 15 * 60
REFRESH_EVERY_S = 60


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class ProjectLock:
    """Exclusive write lock for one project file."""

    def __init__(self, project_path: Path) -> None:
        self.path = Path(str(project_path) + ".lock")
        self.held = False

    def _payload(self) -> bytes:
        return json.dumps({
            "host": socket.gethostname(), "pid": os.getpid(),
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }).encode()

    def holder(self) -> dict | None:
        """What the lock file says, or None when there is none (or it is unreadable)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def is_stale(self) -> bool:
        info = self.holder()
        try:
            age = time.time() - self.path.stat().st_mtime
        except OSError:
            return True
        if info is None:
            return age > 5          # a half-written lock file from a crash
        if info.get("host") == socket.gethostname() and not _pid_alive(int(info.get("pid", 0))):
            return True
        return age > STALE_AFTER_S

    def acquire(self) -> None:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self.is_stale():
                    self.path.unlink(missing_ok=True)
                    continue
                info = self.holder() or {}
                raise ProjectLockedError(
                    f"{self.path.with_suffix('')}: the project is open for writing in another "
                    f"Session Coder (process {info.get('pid', '?')} on {info.get('host', '?')} "
                    f"since {info.get('since', '?')}). Close it there first; if that program "
                    f"is gone, the lock is released automatically after "
                    f"{STALE_AFTER_S // 60} minutes.") from None
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._payload())
            self.held = True
            return
        raise ProjectLockedError(f"{self.path}: could not take the project lock")

    def refresh(self) -> None:
        """Tell other instances this holder is still alive."""
        if self.held:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def release(self) -> None:
        if self.held:
            info = self.holder()
            if info and info.get("pid") == os.getpid() and info.get("host") == socket.gethostname():
                self.path.unlink(missing_ok=True)
            self.held = False
