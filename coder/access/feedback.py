"""ProjectService part: reads for the supervisor's feedback (sessions as analytics snapshots,
episode settings, dyads, client measures). Writes are commands in `coder.feedback.commands`."""

from __future__ import annotations

from ..analytics.data import EpisodeSettings, SessionData
from ..analytics.measures import Measure, MeasureValue
from ..store import analytics_read
from ..store import feedback as rows


class FeedbackAccess:
    def session_data(self, transcript_id: int) -> SessionData:
        """One session with every rater's codings; blinded sessions keep only the viewer's."""
        with self._engine.connect() as conn:
            data = analytics_read.read_session(conn, transcript_id)
        if self.blinding_applies():
            from dataclasses import replace
            me = self.viewer.name if self.viewer is not None else None
            data = replace(data, codings=tuple(c for c in data.codings if c.rater == me),
                           raters=tuple(r for r in data.raters if r == me))
        return data

    def episode_settings(self) -> EpisodeSettings:
        with self._engine.connect() as conn:
            return analytics_read.read_settings(conn)

    def dyads(self) -> dict[int, str | None]:
        with self._engine.connect() as conn:
            return analytics_read.dyads(conn)

    def measures(self) -> list[Measure]:
        with self._engine.connect() as conn:
            return rows.measures(conn)

    def measure_values(self, transcript_id: int | None = None) -> list[MeasureValue]:
        with self._engine.connect() as conn:
            return rows.values(conn, transcript_id)
