"""Project part: the supervisor's feedback — sessions as analytics snapshots (what the access
policy lets this session read), the episode rule, dyads and the client's measures. Writes are
commands in `coder.feedback.commands`; the methods below that write are sugar over them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..analytics.data import EpisodeSettings, SessionData
from ..analytics.measures import Measure, MeasureValue
from ..feedback.commands import (DefineMeasure, ImportMeasures, SetDyad, SetEpisodeSettings,
                                 SetMeasureValues)
from ..store import Store
from ..store import analytics_read
from ..store import codebooks as cb_rows
from ..store import feedback as rows
from .access import AccessPolicy


class Feedback:
    def __init__(self, store: Store, access: AccessPolicy, perform: Callable) -> None:
        self._store, self._access, self._perform = store, access, perform
        self._codebook: tuple[int, object] | None = None     # (version, parsed codebook)

    # -- reads -----------------------------------------------------------------------------
    def session(self, transcript_id: int) -> SessionData:
        """One session with the codings this session may read (blinding: the viewer's own;
        a protected project opened by nobody: none)."""
        with self._store.read() as conn:
            version = cb_rows.latest_version(conn)
            if self._codebook is None or self._codebook[0] != version:
                self._codebook = (version, cb_rows.load_version(conn, version))
            return analytics_read.read_session(conn, transcript_id,
                                               self._access.readable_raters(),
                                               self._codebook[1])

    def settings(self) -> EpisodeSettings:
        with self._store.read() as conn:
            return analytics_read.read_settings(conn)

    def dyads(self) -> dict[int, str | None]:
        with self._store.read() as conn:
            return analytics_read.dyads(conn)

    def measures(self) -> list[Measure]:
        with self._store.read() as conn:
            return rows.measures(conn)

    def measure_values(self, transcript_id: int | None = None) -> list[MeasureValue]:
        with self._store.read() as conn:
            return rows.values(conn, transcript_id)

    # -- writes (each one command) -----------------------------------------------------------
    def set_dyad(self, transcript_id: int, dyad: str | None):
        return self._perform(SetDyad(transcript_id, dyad))

    def set_rule(self, settings: EpisodeSettings):
        return self._perform(SetEpisodeSettings(settings))

    def define_measure(self, measure: Measure):
        return self._perform(DefineMeasure(measure))

    def set_values(self, transcript_id: int, values: dict[str, float | None]):
        return self._perform(SetMeasureValues(transcript_id, values))

    def import_measures(self, path: str | Path) -> ImportMeasures:
        command = ImportMeasures(Path(path))
        self._perform(command)
        return command
