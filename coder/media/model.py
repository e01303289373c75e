"""Values about a media file linked to a transcript."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SessionCoderError


class MediaProblem(SessionCoderError):
    """A media file cannot be linked or found: one line saying what and where."""


@dataclass(frozen=True)
class MediaFacts:
    """What was read from a media file on disk."""

    path: Path                   # absolute
    size: int                    # bytes
    sha256: str
    duration_ms: int | None      # None: no prober could tell


@dataclass(frozen=True)
class MediaInfo:
    """A transcript's linked media as stored in the project."""

    transcript_id: int
    path: str                    # as stored: relative to the project's folder when possible
    size: int
    duration_ms: int | None
    sha256: str
    offset_ms: int               # media time at the transcript's zero
    linked_at: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    def as_json(self) -> dict:
        return {"path": self.path, "duration_ms": self.duration_ms, "sha256": self.sha256}


@dataclass(frozen=True)
class Located:
    """Where a linked media file is now. `path` is None when it was not found; `reason` says
    why (or, when found somewhere else, where)."""

    path: Path | None
    moved: bool = False
    reason: str = ""
