"""Gold-standard (master) codings for rater training (portable SQL)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from .codings import now
from .schema import training_master


def masters(conn: Connection) -> dict[int, int]:
    """transcript id -> the rater whose coding of it is the master."""
    return dict(conn.execute(select(training_master.c.transcript_id,
                                    training_master.c.rater_id)).all())


def set_master(conn: Connection, transcript_id: int, rater_id: int | None) -> None:
    conn.execute(delete(training_master).where(training_master.c.transcript_id == transcript_id))
    if rater_id is not None:
        conn.execute(insert(training_master).values(transcript_id=transcript_id,
                                                    rater_id=rater_id, marked_at=now()))
