"""The one read behind the supervisor's-feedback analytics: a session as a `SessionData`."""

from __future__ import annotations

from sqlalchemy import Connection, select

from ..analytics.data import (DEFAULT_JOIN_UNITS, DEFAULT_RESOLVE_UNITS, Coding, EpisodeSettings,
                              SessionData, Unit)
from . import codebooks as cb_store
from . import transcripts as t_store
from .codings import codings_of_transcript, raters
from .schema import meta, transcript

JOIN_KEY, RESOLVE_KEY = "episode_join_units", "episode_resolve_units"


def read_session(conn: Connection, transcript_id: int,
                 rater_ids: list[int] | None = None, codebook=None) -> SessionData:
    """Units, windows and the codings of `rater_ids` (None: every rater) of one transcript,
    with the project's current codebook. Whose codings may be read is the caller's business
    (the access policy). `codebook`: the current one when the caller has it parsed already
    (parsing the YAML is most of the cost of a read)."""
    info = t_store.list_infos(conn, transcript_id)[0]
    dyad = conn.execute(select(transcript.c.dyad)
                        .where(transcript.c.id == transcript_id)).scalar()
    kind = "turn" if info.unit == "window" else info.unit
    units = tuple(Unit(s.id, s.position, s.role, s.speaker, s.start_ms, s.end_ms, s.text)
                  for s in t_store.segments_of(conn, transcript_id, kind))
    windows = ()
    if t_store.count_segments(conn, transcript_id, "window"):
        windows = tuple(Unit(s.id, s.position, "", "", s.start_ms, s.end_ms, "")
                        for s in t_store.segments_of(conn, transcript_id, "window"))
    everyone = raters(conn, include_consensus=True)
    names = {r.id: r.name for r in everyone}
    layer = next((r.name for r in everyone if r.role == "consensus"), None)
    views = codings_of_transcript(conn, transcript_id, rater_ids)
    codings = tuple(Coding(names[c.rater_id], c.code, c.segment_id, c.value) for c in views)
    used = sorted({c.rater_id for c in views})
    if codebook is None:
        codebook = cb_store.load_version(conn)
    if codebook is None:
        from ..codebook import Codebook
        codebook = Codebook(id="none", name="no codebook")
    return SessionData(transcript_id, info.name, dyad, info.duration_ms, kind, units, windows,
                       codings, codebook, tuple(names[r] for r in used), layer)


def read_settings(conn: Connection) -> EpisodeSettings:
    values = dict(conn.execute(select(meta.c.key, meta.c.value)
                               .where(meta.c.key.in_([JOIN_KEY, RESOLVE_KEY]))).all())
    return EpisodeSettings(int(values.get(JOIN_KEY, DEFAULT_JOIN_UNITS)),
                           int(values.get(RESOLVE_KEY, DEFAULT_RESOLVE_UNITS)))


def dyads(conn: Connection) -> dict[int, str | None]:
    """transcript id -> its dyad / therapist label."""
    return dict(conn.execute(select(transcript.c.id, transcript.c.dyad)).all())
