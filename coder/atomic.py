"""Write files so that a crash or a cancel never leaves a half-written one (DESIGN.md rule 6):
write a temporary file in the target folder, flush it to disk, rename it into place, then
flush the folder so the rename itself survives a power cut (POSIX).

Files that hold transcript text or codings are *private*: created owner-only (0600) on POSIX
whatever the umask. Other files (codebooks) follow the umask and are never made more open
than it allows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import SessionCoderError

PRIVATE_MODE = 0o600
POSIX = os.name == "posix"


def fsync_dir(folder: str | Path) -> None:
    """Flush a folder's entries (a rename, a new file) to disk. No-op where folders cannot be
    opened (Windows)."""
    if not POSIX:
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(source: str | Path, target: str | Path) -> None:
    """`os.replace(source, target)`, then flush the folder(s) that changed."""
    source, target = Path(source), Path(target)
    os.replace(source, target)
    fsync_dir(target.parent)
    if source.parent.resolve() != target.parent.resolve():
        fsync_dir(source.parent)


def create_new(path: str | Path, *, private: bool) -> int:
    """Create `path` (which must not exist) and return a writable fd. Private files are
    0600 whatever the umask; others get the umask's mode (0666 minus the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_MODE if private else 0o666)
    if private and POSIX:
        try:
            os.fchmod(fd, PRIVATE_MODE)     # a umask such as 0o277 must not make it 0400
        except BaseException:
            os.close(fd)
            raise
    return fd


def _final_mode(fd: int, target: Path, private: bool) -> int | None:
    """The mode the written file gets: private 0600; otherwise the umask's mode, narrowed to
    the replaced file's mode (a file the user closed stays closed), never widened."""
    if private or not POSIX:
        return None
    created = os.fstat(fd).st_mode & 0o777
    try:
        return created & target.stat().st_mode & 0o777
    except OSError:
        return None


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None] | bytes, *,
                 private: bool = True) -> None:
    """Write `write` (bytes, or a function that writes to a binary file) to `path`.

    `private=True` (the default: fail closed) for anything holding client data; pass
    `private=False` for files that hold none (codebooks)."""
    target = Path(path)
    if target.is_dir():
        raise SessionCoderError(f"{target}: is a folder")
    if not target.parent.is_dir():
        raise SessionCoderError(f"{target}: the folder {target.parent} does not exist")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        fd = create_new(tmp, private=private)
    except OSError as err:
        raise SessionCoderError(f"{target}: cannot write in {target.parent} "
                                f"({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(write, bytes):
                fh.write(write)
            else:
                write(fh)
            fh.flush()
            mode = _final_mode(fh.fileno(), target, private)
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        replace_durably(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise SessionCoderError(f"{target}: could not be written ({err.strerror or err}); "
                                "is it open in another program or read-only?") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
