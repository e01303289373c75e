"""The writes about media: link, unlink, offset, and turn times from tap-to-timestamp.

Each is one undoable command through ``Project.perform``. Setting turn times also makes the
transcript's window units (windows need times); it is refused while someone has coded the
windows it would replace.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..commands import ChangeSet
from ..model import ParsedTurn
from ..segmentation import windows
from .model import MediaFacts, MediaProblem
from ..lazy import lazy_module

if TYPE_CHECKING:
    from ..store import Connection

# the store (and SQLAlchemy) load when a command first runs, not at import
rows = lazy_module("coder.store.media")


def _exists(conn: Connection, tid: int) -> None:
    if not rows.transcript_exists(conn, tid):
        raise MediaProblem(f"no transcript with id {tid} in this project")


class LinkMedia:
    """Link a media file (by its stored path and facts) to a transcript, replacing any
    earlier link; the offset of an earlier link is kept unless one is given."""

    undoable = True

    def __init__(self, transcript_id: int, facts: MediaFacts, stored_path: str,
                 offset_ms: int | None = None) -> None:
        self.transcript_id, self.facts, self.stored_path = transcript_id, facts, stored_path
        self.offset_ms = offset_ms
        self.text = f"Link {facts.path.name}"
        self._before: dict | None = None

    def apply(self, conn: Connection) -> ChangeSet:
        _exists(conn, self.transcript_id)
        self._before = rows.get(conn, self.transcript_id)
        offset = self.offset_ms
        if offset is None:
            offset = self._before["offset_ms"] if self._before else 0
        rows.put(conn, self.transcript_id, {
            "path": self.stored_path, "size": self.facts.size,
            "duration_ms": self.facts.duration_ms, "sha256": self.facts.sha256,
            "offset_ms": offset,
            "linked_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        return ChangeSet(media=frozenset({self.transcript_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        if self._before is None:
            rows.remove(conn, self.transcript_id)
        else:
            rows.put(conn, self.transcript_id, self._before)
        return ChangeSet(media=frozenset({self.transcript_id}))


class UnlinkMedia:
    undoable = True

    def __init__(self, transcript_id: int) -> None:
        self.transcript_id = transcript_id
        self.text = "Unlink media"
        self._before: dict | None = None

    def apply(self, conn: Connection) -> ChangeSet:
        self._before = rows.get(conn, self.transcript_id)
        if self._before is None:
            raise MediaProblem("this transcript has no linked media")
        rows.remove(conn, self.transcript_id)
        return ChangeSet(media=frozenset({self.transcript_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        rows.put(conn, self.transcript_id, self._before)
        return ChangeSet(media=frozenset({self.transcript_id}))


class SetMediaOffset:
    """The media time at the transcript's zero (ms; may be negative)."""

    undoable = True

    def __init__(self, transcript_id: int, offset_ms: int) -> None:
        self.transcript_id, self.offset_ms = transcript_id, int(offset_ms)
        self.text = f"Set media offset to {self.offset_ms / 1000:+.1f} s"
        self._before = 0

    def apply(self, conn: Connection) -> ChangeSet:
        row = rows.get(conn, self.transcript_id)
        if row is None:
            raise MediaProblem("this transcript has no linked media; link one first")
        self._before = row["offset_ms"]
        rows.set_offset(conn, self.transcript_id, self.offset_ms)
        return ChangeSet(media=frozenset({self.transcript_id}))

    def revert(self, conn: Connection) -> ChangeSet:
        rows.set_offset(conn, self.transcript_id, self._before)
        return ChangeSet(media=frozenset({self.transcript_id}))


class SetTurnTimes:
    """Every turn's (start, end) in transcript time, in order (tap-to-timestamp, or one turn
    nudged). When every turn is timed the transcript gets window units of its window length
    (the import's, default 5 minutes)."""

    undoable = True

    def __init__(self, transcript_id: int, times: list[tuple[int | None, int | None]],
                 text: str = "Set turn times") -> None:
        self.transcript_id, self.times, self.text = transcript_id, list(times), text
        self._before: list | None = None
        self._windows_before: tuple | None = None

    def apply(self, conn: Connection) -> ChangeSet:
        _exists(conn, self.transcript_id)
        tid = self.transcript_id
        self._before = rows.turn_times(conn, tid)
        if len(self._before) != len(self.times):
            raise MediaProblem(f"{len(self.times)} times given for {len(self._before)} turns")
        minutes, duration, settings = rows.window_settings(conn, tid)
        self._windows_before = (rows.window_specs(conn, tid), minutes, duration)
        changed = rows.set_turn_times(conn, tid, self.times)
        turns = [ParsedTurn("", "", s, e) for s, e in self.times]
        timed = bool(turns) and all(s is not None for s, _ in self.times)
        length = minutes or json.loads(settings).get("segmentation", {}).get(
            "window_minutes") or 5.0
        specs = windows(turns, length) if timed else []
        ends = [e if e is not None else s for s, e in self.times]
        new_duration = max((e for e in ends if e is not None), default=duration)
        before_ids = set(rows.window_ids(conn, tid))
        if specs != self._windows_before[0]:
            if rows.windows_work(conn, tid):
                raise MediaProblem("the window units of this transcript are coded; new times "
                                   "would change them, so the times were not set")
            rows.replace_windows(conn, tid, specs, length, new_duration)
        return ChangeSet(segments=frozenset(changed) | before_ids | set(rows.window_ids(conn, tid)),
                         transcripts=frozenset({tid}), times=frozenset({tid}))

    def revert(self, conn: Connection) -> ChangeSet:
        tid = self.transcript_id
        changed = rows.set_turn_times(conn, tid, self._before)
        specs, minutes, duration = self._windows_before
        now = set(rows.window_ids(conn, tid))
        if specs != rows.window_specs(conn, tid):
            if rows.windows_work(conn, tid):
                raise MediaProblem("the window units made from these times are coded; undo "
                                   "would remove them")
            rows.replace_windows(conn, tid, specs, minutes, duration)
        return ChangeSet(segments=frozenset(changed) | now | set(rows.window_ids(conn, tid)),
                         transcripts=frozenset({tid}), times=frozenset({tid}))
