"""Saving a report: atomically, and readable by the owner only (it quotes the session)."""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import write_atomic


def owner_only(path: Path) -> None:
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def save_html(path: str | Path, html: str) -> None:
    write_atomic(path, html.encode("utf-8"))
    owner_only(Path(path))
