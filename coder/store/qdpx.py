"""Reads and writes for REFI-QDA project exchange (portable SQL)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from .schema import code, coding, rater, unit_status


def codings_of(conn: Connection, transcript_id: int) -> list[dict]:
    """Every coding of a transcript (all raters, the consensus layer included)."""
    return [dict(r) for r in conn.execute(
        select(coding.c.id, coding.c.segment_id, coding.c.rater_id, code.c.key, coding.c.value,
               coding.c.span_start, coding.c.span_end, coding.c.note, coding.c.created_at)
        .join(code, code.c.id == coding.c.code_id)
        .where(coding.c.transcript_id == transcript_id).order_by(coding.c.id)).mappings()]


def raters(conn: Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(select(rater.c.id, rater.c.name, rater.c.initials,
                                                 rater.c.role).order_by(rater.c.id)).mappings()]


def drop_raters(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(unit_status).where(unit_status.c.rater_id.in_(ids)))
        conn.execute(delete(rater).where(rater.c.id.in_(ids)))
