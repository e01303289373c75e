"""Which raters are assigned which transcripts, and the double-coding pick."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from .meta import now
from .schema import assignment, rater


def all_assignments(conn: Connection) -> list[tuple[int, int, int]]:
    """(transcript id, rater id, double_coding) rows, ordered."""
    return [tuple(r) for r in conn.execute(
        select(assignment.c.transcript_id, assignment.c.rater_id, assignment.c.double_coding)
        .order_by(assignment.c.transcript_id, assignment.c.rater_id))]


def set_assigned(conn: Connection, pairs: list[tuple[int, int]], assigned: bool,
                 double_coding: dict[tuple[int, int], int] | None = None) -> None:
    for tid, rid in pairs:
        conn.execute(delete(assignment).where(assignment.c.transcript_id == tid,
                                              assignment.c.rater_id == rid))
        if assigned:
            flag = (double_coding or {}).get((tid, rid), 0)
            conn.execute(insert(assignment).values(transcript_id=tid, rater_id=rid,
                                                   double_coding=flag, created_at=now()))


def set_double_coding(conn: Connection, transcript_ids: list[int]) -> None:
    conn.execute(update(assignment).values(double_coding=0))
    if transcript_ids:
        conn.execute(update(assignment).where(assignment.c.transcript_id.in_(transcript_ids))
                     .values(double_coding=1))


def double_coded(conn: Connection) -> list[int]:
    return sorted({r[0] for r in conn.execute(
        select(assignment.c.transcript_id).where(assignment.c.double_coding == 1))})


def delete_rater(conn: Connection, rater_id: int) -> None:
    conn.execute(delete(rater).where(rater.c.id == rater_id))

