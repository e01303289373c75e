"""Bulk writes of many raters' work at once (the sample project; any scripted load): raters,
codings, completed units and assignments as single multi-row INSERTs."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert

from .bulk import bulk_insert
from .schema import assignment, coding, meta, rater, segment_note, unit_status

CODING_COLUMNS = ("transcript_id", "segment_id", "rater_id", "code_id", "value", "span_start",
                  "span_end", "note", "codebook_version", "created_at")


def add_rater(conn: Connection, name: str, initials: str, role: str, stamp: str) -> int:
    return conn.execute(insert(rater).values(name=name, initials=initials, role=role,
                                             created_at=stamp)).inserted_primary_key[0]


def add_codings(conn: Connection, rows: list[tuple]) -> None:
    """Rows are tuples in the order of `CODING_COLUMNS`."""
    bulk_insert(conn, coding, CODING_COLUMNS, rows)


def complete_units(conn: Connection, segment_ids: list[int], rater_id: int, stamp: str) -> None:
    bulk_insert(conn, unit_status, ("segment_id", "rater_id", "completed_at"),
                [(s, rater_id, stamp) for s in segment_ids])


def assign(conn: Connection, transcript_ids: list[int], rater_id: int, stamp: str) -> None:
    bulk_insert(conn, assignment, ("transcript_id", "rater_id", "double_coding", "created_at"),
                [(t, rater_id, 1, stamp) for t in transcript_ids])


def remove_raters(conn: Connection, rater_ids: list[int]) -> None:
    """Raters and everything they did (to undo a bulk load)."""
    for table in (coding, unit_status, assignment, segment_note):
        conn.execute(delete(table).where(table.c.rater_id.in_(rater_ids)))
    conn.execute(delete(rater).where(rater.c.id.in_(rater_ids)))


def set_sample_version(conn: Connection, version: str | None) -> None:
    """Mark the project as the sample built by this version of the builder (None: unmark)."""
    conn.execute(delete(meta).where(meta.c.key == "sample_version"))
    if version is not None:
        conn.execute(insert(meta).values(key="sample_version", value=version))


def sample_version(conn: Connection) -> str | None:
    from sqlalchemy import select
    return conn.execute(select(meta.c.value).where(meta.c.key == "sample_version")).scalar()
