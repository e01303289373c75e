"""Project part: the media linked to transcripts (read, link, relocate, offset, turn times)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..media import files, timing
from ..media.commands import LinkMedia, SetMediaOffset, SetTurnTimes, UnlinkMedia
from ..media.model import Located, MediaInfo, MediaProblem
from ..store import Store
from ..store import media as rows


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

    def turn_times(self, transcript_id: int) -> list[tuple[int | None, int | None]]:
        with self._store.read() as conn:
            return rows.turn_times(conn, transcript_id)

    def nudge_command(self, transcript_id: int, position: int, delta_ms: int) -> SetTurnTimes:
        """The command that moves one turn's start (and the previous turn's end)."""
        try:
            times = timing.nudged(self.turn_times(transcript_id), position, delta_ms)
        except ValueError as exc:
            raise MediaProblem(str(exc)) from None
        return SetTurnTimes(transcript_id, times, f"Nudge turn {position}")

    def nudge_turn(self, transcript_id: int, position: int, delta_ms: int):
        return self._perform(self.nudge_command(transcript_id, position, delta_ms))
