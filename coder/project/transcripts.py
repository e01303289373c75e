"""Project part: transcripts, speakers, turns and units (reading), roles and removal."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import SessionCoderError
from ..importers.commands import RemoveTranscript, SetRoles
from ..model import Segment, Speaker, TranscriptInfo, Turn
from ..store import Store
from ..store import transcripts as rows
from .access import AccessPolicy


class Transcripts:
    def __init__(self, store: Store, access: AccessPolicy, perform: Callable,
                 project_file: str) -> None:
        self._store, self._access, self._perform = store, access, perform
        self._file = project_file

    def list(self) -> list[TranscriptInfo]:
        with self._store.read() as conn:
            return rows.list_infos(conn)

    def get(self, name_or_id: str | int) -> TranscriptInfo:
        """One transcript by id, by exact name, or by a unique name without extension."""
        if isinstance(name_or_id, int) and not isinstance(name_or_id, bool):
            with self._store.read() as conn:         # by id: only its rows are read
                found = rows.list_infos(conn, name_or_id)
            if found:
                return found[0]
        infos = self.list()
        for info in infos:
            if info.id == name_or_id or info.name == name_or_id:
                return info
        if isinstance(name_or_id, str):
            stem = [i for i in infos if Path(i.name).stem == name_or_id]
            if len(stem) == 1:
                return stem[0]
        known = ", ".join(i.name for i in infos) or "none yet"
        raise SessionCoderError(f"{self._file}: no transcript named {name_or_id!r} "
                                f"(transcripts: {known})")

    def turns(self, transcript_id: int) -> list[Turn]:
        with self._store.read() as conn:
            return rows.turns_of(conn, transcript_id)

    def speakers(self, transcript_id: int) -> list[Speaker]:
        with self._store.read() as conn:
            return rows.speakers_of(conn, transcript_id)

    def count(self, transcript_id: int, kind: str) -> int:
        with self._store.read() as conn:
            return rows.count_segments(conn, transcript_id, kind)

    def segments(self, transcript_id: int, kind: str, first: int = 1,
                 last: int | None = None) -> list[Segment]:
        """Units of `kind` at positions first..last (1-based, inclusive)."""
        with self._store.read() as conn:
            return rows.segments_of(conn, transcript_id, kind, first, last)

    def positions(self, transcript_id: int, kind: str) -> dict[int, int]:
        """segment id -> 1-based position, for one kind of unit of a transcript."""
        with self._store.read() as conn:
            return rows.unit_positions(conn, transcript_id, kind)

    def position_at(self, transcript_id: int, kind: str, ms: int) -> int | None:
        """The unit (1-based position) playing at `ms`; None for an untimed transcript."""
        with self._store.read() as conn:
            return rows.position_at(conn, transcript_id, kind, ms)

    def positions_of_role(self, transcript_id: int, kind: str, role: str) -> list[int]:
        """Positions of the units spoken in `role` (therapist, client, other)."""
        with self._store.read() as conn:
            return rows.positions_of_role(conn, transcript_id, kind, role)

    def search(self, transcript_id: int, kind: str, pattern: str,
               regex: bool = False) -> list[int]:
        """Positions of units whose text matches `pattern` (case-insensitive)."""
        try:
            rx = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE)
        except re.error as exc:
            raise SessionCoderError(f"not a valid regular expression: {exc}") from None
        return [u.position for u in self.segments(transcript_id, kind) if rx.search(u.text)]

    def unit_hints(self, transcript_id: int, kind: str, codebook, *, progress=None,
                   cancel=None) -> dict[int, list]:
        """Marker-phrase suggestions per unit id (spaCy; run it in a worker)."""
        from ..coding.suggest import MarkerMatcher
        matcher = MarkerMatcher(codebook)
        if matcher.empty:
            return {}
        units = self.segments(transcript_id, kind)
        hints = matcher.hints([u.text for u in units], [u.kind for u in units],
                              [u.role for u in units], progress=progress, cancel=cancel)
        return {u.id: h for u, h in zip(units, hints) if h}

    # -- writes (commands) ---------------------------------------------------------------
    def set_roles(self, transcript_id: int, roles: dict[str, str]):
        return self._perform(SetRoles(transcript_id, roles))

    def remove(self, transcript_id: int):
        return self._perform(RemoveTranscript(transcript_id, self._access.viewer_id))
