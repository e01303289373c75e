"""ProjectService part: transcripts, speakers, turns and segments (reading; roles)."""

from __future__ import annotations

from pathlib import Path

from ..errors import SessionCoderError
from ..model import ROLES, Segment, Speaker, TranscriptInfo, Turn
from ..store import transcripts as rows


class TranscriptAccess:
    def transcripts(self) -> list[TranscriptInfo]:
        with self._engine.connect() as conn:
            return rows.list_infos(conn)

    def transcript(self, name_or_id: str | int) -> TranscriptInfo:
        """One transcript by id, by exact name, or by a unique name without extension."""
        infos = self.transcripts()
        for info in infos:
            if info.id == name_or_id or info.name == name_or_id:
                return info
        if isinstance(name_or_id, str):
            stem = [i for i in infos if Path(i.name).stem == name_or_id]
            if len(stem) == 1:
                return stem[0]
        known = ", ".join(i.name for i in infos) or "none yet"
        raise SessionCoderError(f"{self.path.name}: no transcript named {name_or_id!r} "
                                f"(transcripts: {known})")

    def turns(self, transcript_id: int) -> list[Turn]:
        with self._engine.connect() as conn:
            return rows.turns_of(conn, transcript_id)

    def speakers(self, transcript_id: int) -> list[Speaker]:
        with self._engine.connect() as conn:
            return rows.speakers_of(conn, transcript_id)

    def set_roles(self, transcript_id: int, roles: dict[str, str]) -> None:
        """Change speaker roles of one transcript (labels as written in the file)."""
        self._writable()
        bad = {r for r in roles.values() if r not in ROLES}
        if bad:
            raise SessionCoderError(f"unknown role(s) {sorted(bad)}; use {', '.join(ROLES)}")
        with self._engine.begin() as conn:
            for label, role in roles.items():
                if not rows.set_role(conn, transcript_id, label, role):
                    raise SessionCoderError(f"no speaker {label!r} in this transcript")

    def segment_count(self, transcript_id: int, kind: str) -> int:
        with self._engine.connect() as conn:
            return rows.count_segments(conn, transcript_id, kind)

    def segments(self, transcript_id: int, kind: str, first: int = 1,
                 last: int | None = None) -> list[Segment]:
        """Units of `kind` at positions first..last (1-based, inclusive)."""
        with self._engine.connect() as conn:
            return rows.segments_of(conn, transcript_id, kind, first, last)

    def position_at(self, transcript_id: int, kind: str, ms: int) -> int | None:
        """The unit (1-based position) playing at `ms`; None for an untimed transcript."""
        with self._engine.connect() as conn:
            return rows.position_at(conn, transcript_id, kind, ms)

    def positions_of_role(self, transcript_id: int, kind: str, role: str) -> list[int]:
        """Positions of the units spoken in `role` (therapist, client, other)."""
        with self._engine.connect() as conn:
            return rows.positions_of_role(conn, transcript_id, kind, role)

    def unit_hints(self, transcript_id: int, kind: str, codebook, *, progress=None,
                   cancel=None) -> dict[int, list]:
        """Marker-phrase suggestions per unit id (spaCy; run it in a worker)."""
        from ..coding.suggest import MarkerMatcher
        matcher = MarkerMatcher(codebook)
        if matcher.empty:
            return {}
        with self._engine.connect() as conn:
            units = rows.segments_of(conn, transcript_id, kind)
        hints = matcher.hints([u.text for u in units], [u.kind for u in units],
                              [u.role for u in units], progress=progress, cancel=cancel)
        return {u.id: h for u, h in zip(units, hints) if h}
