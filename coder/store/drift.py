"""Reads for drift: when each transcript's independent coding was done, and named rounds."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select

from .schema import coding_round, rater, segment, unit_status


def last_completion(conn: Connection) -> dict[int, str]:
    """transcript id -> the latest unit completion by an independent rater (ISO time)."""
    return dict(conn.execute(
        select(segment.c.transcript_id, func.max(unit_status.c.completed_at))
        .join(segment, segment.c.id == unit_status.c.segment_id)
        .join(rater, rater.c.id == unit_status.c.rater_id)
        .where(rater.c.role != "consensus")
        .group_by(segment.c.transcript_id)).all())


def rounds(conn: Connection) -> dict[int, str]:
    return dict(conn.execute(select(coding_round.c.transcript_id, coding_round.c.name)).all())


def set_round(conn: Connection, transcript_id: int, name: str | None) -> None:
    conn.execute(delete(coding_round).where(coding_round.c.transcript_id == transcript_id))
    if name:
        conn.execute(insert(coding_round).values(transcript_id=transcript_id, name=name))
