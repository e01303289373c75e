"""Write files so that a crash or a cancel never leaves a half-written one (DESIGN.md rule 6):
write a temporary file in the target folder, flush it to disk, rename it into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import SessionCoderError


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None] | bytes) -> None:
    """Write `write` (bytes, or a function that writes to a binary file) to `path`."""
    target = Path(path)
    if target.is_dir():
        raise SessionCoderError(f"{target}: is a folder")
    if not target.parent.is_dir():
        raise SessionCoderError(f"{target}: the folder {target.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
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
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise SessionCoderError(f"{target}: could not be written ({err.strerror or err}); "
                                "is it open in another program or read-only?") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
