"""The rows live reliability (coder.reliability.live) needs about some units: each unit's
transcript, kind and speaker role, who completed it, and its codings; a transcript's session
globals as a unit of its own (id -transcript id, kind "session")."""

from __future__ import annotations

from sqlalchemy import Connection, literal, select

from .schema import code, coding, segment, speaker, transcript, turn, unit_status

_CHUNK = 500


def _units_query():
    return (select(segment.c.id, segment.c.transcript_id, segment.c.kind, speaker.c.role)
            .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                         .outerjoin(speaker, speaker.c.id == turn.c.speaker_id)))


def _coding_query():
    return (select(coding.c.segment_id, coding.c.rater_id, code.c.key, coding.c.value)
            .join(code, code.c.id == coding.c.code_id))


def live_rows(conn: Connection, segment_ids: list[int] | None,
              transcript_ids: list[int] | None) -> tuple[list, list, list]:
    """(units, done, codings) rows for these segments (None: every segment) and the session
    rows of these transcripts (None: every transcript)."""
    units: list = []
    done: list = []
    codings: list = []
    if segment_ids is None:
        units = [tuple(r) for r in conn.execute(_units_query())]
        done = [tuple(r) for r in conn.execute(select(unit_status.c.segment_id,
                                                      unit_status.c.rater_id))]
        codings = [tuple(r) for r in conn.execute(
            _coding_query().where(coding.c.segment_id.is_not(None)))]
    else:
        ids = sorted(set(segment_ids))
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            units += [tuple(r) for r in conn.execute(
                _units_query().where(segment.c.id.in_(chunk)))]
            done += [tuple(r) for r in conn.execute(
                select(unit_status.c.segment_id, unit_status.c.rater_id)
                .where(unit_status.c.segment_id.in_(chunk)))]
            codings += [tuple(r) for r in conn.execute(
                _coding_query().where(coding.c.segment_id.in_(chunk)))]
    session = select(-transcript.c.id, transcript.c.id, literal("session"), literal(""))
    globals_ = _coding_query().where(coding.c.segment_id.is_(None))
    if transcript_ids is not None:
        tids = sorted(set(transcript_ids))
        session = session.where(transcript.c.id.in_(tids))
        globals_ = globals_.where(coding.c.transcript_id.in_(tids))
    if transcript_ids is None or transcript_ids:
        units += [tuple(r) for r in conn.execute(session)]
        codings += [(-tid, r, k, v) for _, r, k, v, tid in conn.execute(
            globals_.add_columns(coding.c.transcript_id))]
    return units, done, codings
