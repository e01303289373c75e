"""Reading for the export, one transcript at a time (memory stays flat however big the
project is), inside the caller's read transaction. Nothing here writes.

Units are ordered as the reliability snapshot orders them (the transcript's own units, then
windows; by position). Codings follow the codings CSV's order (``coder.coding.table_io``):
transcript, units before session globals, unit position, rater, codebook order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from .schema import code, coding, segment, speaker, transcript, turn, unit_status

_CHUNK = 500


@dataclass(frozen=True)
class Unit:
    id: int
    kind: str
    position: int
    turn: int | None
    speaker: str
    role: str
    text: str | None          # None for a window (its text is its turns)
    start_ms: int | None
    end_ms: int | None
    first_turn: int | None
    last_turn: int | None


def kind_order(kind: str) -> tuple:
    return (kind == "window", kind)


def units_of(conn: Connection, tid: int) -> list[Unit]:
    query = (select(segment.c.id, segment.c.kind, segment.c.position, turn.c.position,
                    speaker.c.label, speaker.c.role, turn.c.text, segment.c.char_start,
                    segment.c.char_end, segment.c.start_ms, segment.c.end_ms,
                    segment.c.first_turn, segment.c.last_turn)
             .select_from(segment.outerjoin(turn, turn.c.id == segment.c.turn_id)
                          .outerjoin(speaker, speaker.c.id == turn.c.speaker_id))
             .where(segment.c.transcript_id == tid))
    out = []
    for (sid, kind, pos, tpos, label, role, text, cs, ce, start, end, first,
         last) in conn.execute(query):
        out.append(Unit(sid, kind, pos, tpos, label or "", role or "",
                        None if text is None else text[cs:ce], start, end, first, last))
    out.sort(key=lambda u: (kind_order(u.kind), u.position))
    return out


def codings_of(conn: Connection, tid: int, rater_ids: list[int]) -> list[tuple]:
    """(segment id or None, rater id, code key, value, span start, span end, note,
    created at, codebook version) of one transcript's codings by these raters."""
    query = (select(coding.c.segment_id, coding.c.rater_id, code.c.key, coding.c.value,
                    coding.c.span_start, coding.c.span_end, coding.c.note,
                    coding.c.created_at, coding.c.codebook_version)
             .join(code, code.c.id == coding.c.code_id)
             .where(coding.c.transcript_id == tid, coding.c.rater_id.in_(rater_ids))
             .order_by(coding.c.id))
    return [tuple(r) for r in conn.execute(query)]


def done_of(conn: Connection, tid: int, rater_ids: list[int]) -> set[tuple[int, int]]:
    """(segment id, rater id) of the units these raters completed on one transcript."""
    query = (select(unit_status.c.segment_id, unit_status.c.rater_id)
             .join(segment, segment.c.id == unit_status.c.segment_id)
             .where(segment.c.transcript_id == tid, unit_status.c.rater_id.in_(rater_ids)))
    return {(s, r) for s, r in conn.execute(query)}


def code_labels(conn: Connection) -> dict[str, tuple[str, str]]:
    """code id -> (label, kind) for every code the project ever had."""
    return {k: (lab, kind) for k, lab, kind in conn.execute(
        select(code.c.key, code.c.label, code.c.kind))}


def counts(conn: Connection, t_ids: list[int], r_ids: list[int]) -> tuple[int, int]:
    """(units, codings) of the selection: sizes for the progress bar."""
    n_units = n_codings = 0
    for i in range(0, len(t_ids), _CHUNK):
        chunk = t_ids[i:i + _CHUNK]
        n_units += conn.execute(select(func.count()).select_from(segment)
                                .where(segment.c.transcript_id.in_(chunk))).scalar_one()
        n_codings += conn.execute(select(func.count()).select_from(coding).where(
            coding.c.transcript_id.in_(chunk), coding.c.rater_id.in_(r_ids))).scalar_one()
    return n_units, n_codings


def transcript_facts(conn: Connection, t_ids: list[int]) -> dict[int, dict]:
    """id -> {unit, window_minutes, duration_ms, format} of the selected transcripts."""
    out = {}
    for r in conn.execute(select(transcript.c.id, transcript.c.unit,
                                 transcript.c.window_minutes, transcript.c.duration_ms,
                                 transcript.c.format)
                          .where(transcript.c.id.in_(t_ids))).mappings():
        out[r["id"]] = dict(r)
    return out
