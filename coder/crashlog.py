"""The last line of defence: any exception becomes one line for the user, never a traceback.

`classify(exc)` sorts an exception into a problem the user can fix (exit code 1: bad input,
a file that cannot be read or written, a damaged project) or an internal error (exit code 2).
For an internal error the full traceback goes to a log file under the app's data folder
(`app_data_dir() / "logs"`) and the line names that file. The CLI and the GUI both use it.

The data folder is ``$SESSION_CODER_HOME/data`` when that variable is set (tests, portable
set-ups), else the platform's per-user application data folder — the same folder Qt's
``QStandardPaths.AppDataLocation`` gives the desktop app, found here without Qt.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from .errors import SessionCoderError

EXIT_BAD_INPUT = 1
EXIT_INTERNAL = 2
KEEP_LOGS = 20                         # older crash logs are removed beyond this many
_ORG, _APP = "SessionCoder", "Session Coder"


def app_data_dir() -> Path:
    """Per-user data folder of the app (not created here)."""
    home = os.environ.get("SESSION_CODER_HOME")
    if home:
        return Path(home) / "data"
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / _ORG / _APP


def log_dir() -> Path:
    return app_data_dir() / "logs"


@dataclass(frozen=True)
class Verdict:
    """What to tell the user about an exception, and the exit code that goes with it."""

    message: str
    exit_code: int
    log: Path | None = None


def _damaged_database(exc: BaseException) -> bool:
    import sqlite3
    inner = getattr(exc, "orig", None) or exc
    if not isinstance(inner, sqlite3.DatabaseError):
        return False
    text = str(inner).lower()
    return any(w in text for w in ("malformed", "not a database", "disk i/o", "encrypted"))


def _os_message(exc: OSError) -> str:
    what = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename
    return f"{name}: {what}" if name else what


def classify(exc: BaseException, context: str = "") -> Verdict:
    """Sort `exc` into bad input (exit 1) or an internal error (exit 2, logged)."""
    if isinstance(exc, SessionCoderError):
        return Verdict(str(exc) or type(exc).__name__, EXIT_BAD_INPUT)
    if isinstance(exc, MemoryError):
        log = write_log(exc, context)
        return Verdict("ran out of memory (is an input file unusually large?); "
                       + _log_note(log), EXIT_INTERNAL, log)
    if isinstance(exc, OSError) and exc.errno is not None:
        return Verdict(f"cannot read or write a file: {_os_message(exc)}", EXIT_BAD_INPUT)
    if _damaged_database(exc):
        log = write_log(exc, context)
        return Verdict("the project file is damaged and cannot be read "
                       f"({_first_line(getattr(exc, 'orig', None) or exc)}); restore it from "
                       "a backup ('python main.py restore PROJECT --list'). " + _log_note(log),
                       EXIT_BAD_INPUT, log)
    log = write_log(exc, context)
    return Verdict(f"internal error ({type(exc).__name__}: {_first_line(exc)}). This is a bug "
                   f"in Session Coder, not in your files; " + _log_note(log), EXIT_INTERNAL, log)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:200] if text else "") or type(exc).__name__


def _log_note(log: Path | None) -> str:
    if log is None:
        return "no log could be written."
    return f"details were written to {log}"


def write_log(exc: BaseException, context: str = "") -> Path | None:
    """Write the full traceback (and what was running) to a new file; its path, or None."""
    now = dt.datetime.now()
    body = "".join([
        f"Session Coder crash log, {now.isoformat(timespec='seconds')}\n",
        f"while: {context or 'running'}\n",
        f"command line: {' '.join(sys.argv)}\n",
        f"python {platform.python_version()} on {platform.platform()}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    name = f"crash-{now:%Y%m%d-%H%M%S-%f}-{os.getpid()}.log"
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "session-coder-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            _prune(folder)
            return path
        except OSError:
            continue
    return None


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("crash-*.log"))
    for old in logs[:-KEEP_LOGS]:
        try:
            old.unlink()
        except OSError:
            pass
