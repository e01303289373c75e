"""Project part: the media linked to transcripts (read, link, relocate, offset, turn times)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..media import files, timing
from ..media.commands import LinkMedia, SetMediaOffset, SetTurnTimes, UnlinkMedia
from ..media.model import Located, MediaInfo, MediaProblem
from ..store import Store
from ..store import media as rows
from ..store import transcripts as t_rows


def _info(tid: int, row: dict) -> MediaInfo:
    return MediaInfo(transcript_id=tid, **{k: row[k] for k in (
        "path", "size", "duration_ms", "sha256", "offset_ms", "linked_at")})


class Media:
    def __init__(self, store: Store, perform: Callable, project_path: Path) -> None:
        self._store, self._perform, self._project = store, perform, Path(project_path)

    # -- reads ---------------------------------------------------------------------------
    def get(self, transcript_id: int) -> MediaInfo | None:
        with self._store.read() as conn:
            row = rows.get(conn, transcript_id)
        return None if row is None else _info(transcript_id, row)

    def all(self) -> dict[int, MediaInfo]:
        with self._store.read() as conn:
            return {tid: _info(tid, row) for tid, row in rows.all_rows(conn).items()}

    def locate(self, transcript_id: int) -> Located:
        """Where the linked file is now (see `coder.media.files.locate`)."""
        info = self.get(transcript_id)
        if info is None:
            return Located(None, reason="no media is linked to this transcript")
        return files.locate(info, self._project)

    def warnings(self, transcript_id: int) -> list[str]:
        info = self.get(transcript_id)
        if info is None:
            return []
        with self._store.read() as conn:
            times = rows.turn_times(conn, transcript_id)
        ends = [e if e is not None else s for s, e in times if s is not None or e is not None]
        return timing.warnings(max(ends, default=None), info.duration_ms, info.offset_ms)

    # -- writes (commands) ---------------------------------------------------------------
    def link(self, transcript_id: int, path: str | Path, *, duration_ms: int | None = None,
             offset_ms: int | None = None):
        """Link a media file (read, hashed and probed here; a front end that knows the
        duration passes it)."""
        facts = files.read_facts(path, duration_ms)
        return self._perform(LinkMedia(transcript_id, facts,
                                       files.stored_path(facts.path, self._project),
                                       offset_ms))

    def relocate(self, transcript_id: int, path: str | Path):
        """Point a link at the moved file; refused when the file's content differs."""
        info = self.get(transcript_id)
        if info is None:
            raise MediaProblem("no media is linked to this transcript")
        facts = files.check_same(info, Path(path))
        command = LinkMedia(transcript_id, facts, files.stored_path(facts.path, self._project))
        command.text = f"Relocate {facts.path.name}"
        return self._perform(command)

    def set_duration(self, transcript_id: int, duration_ms: int):
        """Store a duration the player learned (a link made without a prober)."""
        info = self.get(transcript_id)
        if info is None or info.duration_ms == duration_ms:
            return None
        facts = files.MediaFacts(files.absolute(info.path, self._project), info.size,
                                 info.sha256, duration_ms)
        return self._perform(LinkMedia(transcript_id, facts, info.path))

    def unlink(self, transcript_id: int):
        return self._perform(UnlinkMedia(transcript_id))

    def set_offset(self, transcript_id: int, offset_ms: int):
        return self._perform(SetMediaOffset(transcript_id, offset_ms))

    def set_turn_times(self, transcript_id: int, times, text: str = "Set turn times"):
        return self._perform(SetTurnTimes(transcript_id, times, text))

    def nudge_turn(self, transcript_id: int, position: int, delta_ms: int):
        """Move one turn's start (and the previous turn's end) by `delta_ms`."""
        with self._store.read() as conn:
            times = rows.turn_times(conn, transcript_id)
        i = position - 1
        if not 0 <= i < len(times) or times[i][0] is None:
            raise MediaProblem(f"turn {position} has no time to nudge")
        start = max(0, times[i][0] + delta_ms)
        if i > 0 and times[i - 1][0] is not None and start < times[i - 1][0]:
            raise MediaProblem(f"turn {position} cannot start before turn {position - 1}")
        nxt = times[i + 1][0] if i + 1 < len(times) else None
        if nxt is not None and start > nxt:
            raise MediaProblem(f"turn {position} cannot start after turn {position + 1}")
        new = list(times)
        new[i] = (start, times[i][1])
        if i > 0 and times[i - 1][0] is not None:
            new[i - 1] = (times[i - 1][0], start)
        return self.set_turn_times(transcript_id, new, f"Nudge turn {position}")

    def transcript_name(self, transcript_id: int) -> str:
        with self._store.read() as conn:
            infos = t_rows.list_infos(conn, transcript_id)
        return infos[0].name if infos else str(transcript_id)
